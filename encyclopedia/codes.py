"""Medical coding systems: which codes exist, what they mean, and their hierarchy.

ICD-10-CM codes are checked against the official code set shipped by the `simple-icd-10-cm`
package (about 98,500 chapters, blocks, categories and subcategories with their hierarchy).
Its table is built when the package is first imported, which takes about three seconds and
100 MB, so it is imported on first use, not when Django starts.

SNOMED CT has no freely redistributable table; its identifiers are checked for form: 6 to 18
digits whose last one is the Verhoeff check digit of the others.
"""

import functools
import re
import warnings
from dataclasses import dataclass

from django.db import models


class CodingSystem(models.TextChoices):
    """A system needs code of its own (how its codes are checked, what their hierarchy is), so
    the systems are an enumeration here rather than rows editors could add without a checker."""

    ICD10CM = "icd10cm", "ICD-10-CM"
    SNOMEDCT = "snomedct", "SNOMED CT"


class InvalidCode(ValueError):
    """The code is not one of the system's; the message says why, in words for editors and app developers."""


@dataclass(frozen=True)
class CheckedCode:
    code: str  # in the system's canonical form (ICD-10-CM: upper case, with its dot)
    description: str  # from the official table; empty where the system has none here (SNOMED CT)
    ancestors: tuple[str, ...]  # nearest first, chapters left out


@functools.cache
def _icd10cm():
    with warnings.catch_warnings():
        # 1.5.0 reads its data with importlib.resources' legacy functions.
        warnings.simplefilter("ignore", DeprecationWarning)
        import simple_icd_10_cm

    return simple_icd_10_cm


ICD10CM_FORM = re.compile(r"^[A-Z][0-9][0-9A-Z](\.?[0-9A-Z]{1,4})?$|^[A-Z][0-9][0-9A-Z]-[A-Z][0-9][0-9A-Z]$")


def normalize(system: str, code: str) -> str:
    """The form codes are stored and compared in: no spaces; ICD-10-CM in upper case with its dot."""
    code = "".join(code.split())
    if system == CodingSystem.ICD10CM:
        code = code.upper()
        if len(code) > 3 and "-" not in code and code[3] != ".":
            code = f"{code[:3]}.{code[3:]}"
    return code


def check_icd10cm(code: str) -> CheckedCode:
    code = normalize(CodingSystem.ICD10CM, code)
    if not ICD10CM_FORM.match(code):
        raise InvalidCode(
            f"“{code}” is not written like an ICD-10-CM code: a letter, two characters, then optionally a dot "
            "and up to four more (R25.2), or a block (R25-R29)."
        )
    icd = _icd10cm()
    if not icd.is_valid_item(code) or icd.is_chapter(code):
        raise InvalidCode(f"“{code}” is not in the ICD-10-CM code set.")
    ancestors = []
    for ancestor in icd.get_ancestors(code):
        # A block holding a single category has the category's name ("T14" above "T14"); chapters are
        # numbers ("18") far too broad to say what to read.
        if ancestor != code and ancestor not in ancestors and not icd.is_chapter(ancestor):
            ancestors.append(ancestor)
    return CheckedCode(code=code, description=icd.get_description(code), ancestors=tuple(ancestors))


# Verhoeff's dihedral-group tables (multiplication, permutation, inverse).
_D = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 2, 3, 4, 0, 6, 7, 8, 9, 5], [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
    [3, 4, 0, 1, 2, 8, 9, 5, 6, 7], [4, 0, 1, 2, 3, 9, 5, 6, 7, 8], [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
    [6, 5, 9, 8, 7, 1, 0, 4, 3, 2], [7, 6, 5, 9, 8, 2, 1, 0, 4, 3], [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
    [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
]  # fmt: skip
_P = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 5, 7, 6, 2, 8, 3, 0, 9, 4], [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
    [8, 9, 1, 6, 0, 4, 3, 5, 2, 7], [9, 4, 5, 3, 1, 2, 6, 8, 7, 0], [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
    [2, 7, 9, 3, 8, 0, 6, 4, 1, 5], [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
]  # fmt: skip
_INV = [0, 4, 3, 2, 1, 5, 6, 7, 8, 9]


def verhoeff_check_digit(digits: str) -> str:
    """The digit to append to `digits` so that the whole passes `verhoeff_is_valid`."""
    check = 0
    for position, digit in enumerate(reversed(digits), start=1):
        check = _D[check][_P[position % 8][int(digit)]]
    return str(_INV[check])


def verhoeff_is_valid(number: str) -> bool:
    check = 0
    for position, digit in enumerate(reversed(number)):
        check = _D[check][_P[position % 8][int(digit)]]
    return check == 0


SNOMEDCT_FORM = re.compile(r"^[1-9][0-9]{5,17}$")


def check_snomedct(code: str) -> CheckedCode:
    code = normalize(CodingSystem.SNOMEDCT, code)
    if not SNOMEDCT_FORM.match(code):
        raise InvalidCode(f"“{code}” is not a SNOMED CT identifier: 6 to 18 digits, not starting with 0.")
    if not verhoeff_is_valid(code):
        raise InvalidCode(f"“{code}” is not a SNOMED CT identifier: its last digit is not the right check digit.")
    # The partition (second and third digits from the right) says what the identifier names;
    # 00 and 10 are concepts, which is what an article is about.
    if code[-3:-1] not in {"00", "10"}:
        raise InvalidCode(f"“{code}” is a SNOMED CT identifier, but of a description or relationship, not a concept.")
    return CheckedCode(code=code, description="", ancestors=())


CHECKERS = {CodingSystem.ICD10CM: check_icd10cm, CodingSystem.SNOMEDCT: check_snomedct}


def check_code(system: str, code: str) -> CheckedCode:
    """The code in canonical form with its description and ancestors, or `InvalidCode` saying why not."""
    if system not in CodingSystem.values:
        names = ", ".join(f"{value} ({label})" for value, label in CodingSystem.choices)
        raise InvalidCode(f"“{system}” is not a coding system here; use one of: {names}.")
    if not code.strip():
        raise InvalidCode("The code is empty.")
    return CHECKERS[CodingSystem(system)](code)
