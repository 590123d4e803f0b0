"""Medical codes: checked against their coding system, edited in admin, shown on the page and in structured data."""

import pytest
from django.urls import reverse
from reversion.models import Version

from encyclopedia.codes import CodingSystem, InvalidCode, check_code, verhoeff_check_digit, verhoeff_is_valid
from encyclopedia.models import MedicalCode, Status

from .conftest import client_for, make_article
from .test_findable import json_ld
from .test_medical_trust import post_change


@pytest.mark.db_independent
class TestVerhoeff:
    # Published SNOMED CT concept identifiers: myocardial infarction, type 2 diabetes, hypertension, asthma.
    @pytest.mark.parametrize("identifier", ["22298006", "44054006", "38341003", "195967001"])
    def test_known_snomed_identifiers_pass(self, identifier):
        assert verhoeff_is_valid(identifier)
        assert verhoeff_check_digit(identifier[:-1]) == identifier[-1]

    @pytest.mark.parametrize("identifier", ["22298007", "44054060", "38341030", "195976001"])
    def test_a_wrong_digit_or_swapped_neighbours_fail(self, identifier):
        # Verhoeff catches every single-digit error and every swap of adjacent digits.
        assert not verhoeff_is_valid(identifier)

    def test_the_textbook_example(self):
        assert verhoeff_check_digit("236") == "3"
        assert verhoeff_is_valid("2363") and not verhoeff_is_valid("2364")


@pytest.mark.db_independent
class TestChecking:
    def test_icd10cm_code_is_normalized_with_its_official_description_and_ancestors(self):
        checked = check_code("icd10cm", " r252 ")
        assert (checked.code, checked.description) == ("R25.2", "Cramp and spasm")
        assert checked.ancestors == ("R25", "R25-R29")  # the chapter ("18") is too broad to be useful

    @pytest.mark.parametrize(
        ("code", "reason"),
        [
            ("Z99.99", "“Z99.99” is not in the ICD-10-CM code set."),
            ("18", "is not written like an ICD-10-CM code"),
            ("R25.2.1", "is not written like an ICD-10-CM code"),
        ],
    )
    def test_unknown_icd10cm_codes_are_refused_with_the_reason(self, code, reason):
        with pytest.raises(InvalidCode, match=reason):
            check_code("icd10cm", code)

    @pytest.mark.parametrize(
        ("code", "reason"),
        [
            ("22298007", "not the right check digit"),
            ("12345", "6 to 18 digits"),
            ("A2298006", "6 to 18 digits"),
            # Right check digit, but partition 01: the identifier of a description.
            ("123456701" + verhoeff_check_digit("123456701"), "of a description or relationship, not a concept"),
        ],
    )
    def test_malformed_snomed_identifiers_are_refused_with_the_reason(self, code, reason):
        with pytest.raises(InvalidCode, match=reason):
            check_code("snomedct", code)

    def test_an_unknown_system_is_named_in_the_refusal(self):
        with pytest.raises(InvalidCode, match="“loinc” is not a coding system here; use one of: icd10cm"):
            check_code("loinc", "1234-5")


@pytest.mark.django_db
class TestAdmin:
    def codes(self, *rows):
        data = {"codes-TOTAL_FORMS": str(len(rows)), "codes-INITIAL_FORMS": "0"}
        for number, (system, code) in enumerate(rows):
            data |= {f"codes-{number}-system": system, f"codes-{number}-code": code, f"codes-{number}-description": ""}
        return data

    def test_an_editor_adds_codes_and_icd_descriptions_are_filled_in(self, writer):
        article = make_article(status=Status.DRAFT)
        article.status = "draft"
        article.save()
        response = post_change(client_for(writer), article, **self.codes(("icd10cm", "r252"), ("snomedct", "44054006")))
        assert response.status_code == 302
        assert list(article.codes.values_list("system", "code", "description")) == [
            ("icd10cm", "R25.2", "Cramp and spasm"),
            ("snomedct", "44054006", ""),
        ]

    def test_an_unknown_icd10cm_code_is_refused_and_nothing_is_saved(self, reviewer):
        article = make_article(status=Status.DRAFT, title="Cramps")
        response = post_change(client_for(reviewer), article, title="Renamed", **self.codes(("icd10cm", "Z99.99")))
        assert response.status_code == 200
        assert "“Z99.99” is not in the ICD-10-CM code set." in response.content.decode()
        article.refresh_from_db()
        assert article.title == "Cramps" and not article.codes.exists()

    def test_a_snomed_identifier_with_a_wrong_check_digit_is_refused(self, reviewer):
        article = make_article(status=Status.DRAFT)
        response = post_change(client_for(reviewer), article, **self.codes(("snomedct", "44054007")))
        assert "its last digit is not the right check digit" in response.content.decode()
        assert not article.codes.exists()

    def test_the_same_code_written_twice_differently_is_refused(self, reviewer):
        article = make_article(status=Status.DRAFT)
        response = post_change(client_for(reviewer), article, **self.codes(("icd10cm", "R25.2"), ("icd10cm", "r252")))
        assert response.status_code == 200
        assert "Please correct the duplicate data" in response.content.decode()
        assert not article.codes.exists()

    def test_comparing_revisions_shows_a_changed_code(self, reviewer):
        article = make_article(status=Status.DRAFT)
        client = client_for(reviewer)
        post_change(client, article, **self.codes(("icd10cm", "R25.2")))
        existing = article.codes.get()
        post_change(
            client, article, **{"codes-TOTAL_FORMS": "1", "codes-INITIAL_FORMS": "1", "codes-0-id": str(existing.pk),
                                "codes-0-article": str(article.pk), "codes-0-system": "icd10cm", "codes-0-code": "R25",
                                "codes-0-description": ""},
        )  # fmt: skip
        new, old = Version.objects.get_for_object(article)[:2]
        url = reverse("admin:encyclopedia_article_compare", args=[article.pk])
        page = client.get(url, {"from": old.pk, "to": new.pk}).content.decode()
        assert "<del>- ICD-10-CM R25.2</del>" in page and "<ins>+ ICD-10-CM R25</ins>" in page

    def test_revisions_keep_the_codes(self, reviewer):
        article = make_article(status=Status.DRAFT)
        post_change(client_for(reviewer), article, **self.codes(("icd10cm", "R25.2")))
        version = Version.objects.get_for_object(article).first()
        stored = [v.field_dict for v in version.revision.version_set.all() if v.content_type.model == "medicalcode"]
        assert [(fields["system"], fields["code"]) for fields in stored] == [("icd10cm", "R25.2")]


@pytest.mark.django_db
def test_codes_are_shown_discreetly_on_the_page_and_in_structured_data(client):
    article = make_article(slug="leg-cramps")
    MedicalCode.objects.create(
        article=article, system=CodingSystem.ICD10CM, code="R25.2", description="Cramp and spasm"
    )
    MedicalCode.objects.create(article=article, system=CodingSystem.SNOMEDCT, code="44054006")
    page = client.get("/symptoms/leg-cramps/").content.decode()
    assert (
        "<small>Medical codes: ICD-10-CM <code>R25.2</code> (Cramp and spasm); SNOMED CT <code>44054006</code></small>"
        in page
    )
    about = json_ld(page)[0]["about"]
    assert about["code"] == [
        {"@type": "MedicalCode", "codingSystem": "ICD-10-CM", "codeValue": "R25.2", "name": "Cramp and spasm"},
        {"@type": "MedicalCode", "codingSystem": "SNOMED CT", "codeValue": "44054006"},
    ]


@pytest.mark.django_db
def test_pages_without_codes_say_nothing_about_codes(client):
    make_article(slug="plain")
    page = client.get("/symptoms/plain/").content.decode()
    assert "Medical codes" not in page and '"code"' not in page
