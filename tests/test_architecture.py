"""One direction of dependency between our packages: config → editorial → encyclopedia → core.

A module may import from its own package and from the layers below it, never from one above,
so core imports no app and no two packages import each other. Every Python import counts,
wherever it is (module level, inside a function, relative, migrations included); dotted paths in
strings do not: they are settings that Django reads, not imports.
"""

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LAYERS = ("core", "encyclopedia", "editorial", "config")  # lowest first
RANK = {package: rank for rank, package in enumerate(LAYERS)}


def absolute_imports(node: ast.AST, package: str) -> Iterator[str]:
    """The modules an import statement imports, relative ones resolved against `package`."""
    if isinstance(node, ast.Import):
        for alias in node.names:
            yield alias.name
    elif isinstance(node, ast.ImportFrom):
        if node.level == 0:
            yield node.module
            return
        parts = package.split(".")
        if node.level > len(parts):
            yield ""  # beyond the top-level package: Python refuses it too
            return
        base = ".".join(parts[: len(parts) - node.level + 1])
        yield f"{base}.{node.module}" if node.module else base


def layer_violations(path: Path, source: str) -> list[str]:
    relative = path.relative_to(ROOT)
    module_parts = relative.with_suffix("").parts
    package = ".".join(module_parts if path.name == "__init__.py" else module_parts[:-1])
    own_rank = RANK[module_parts[0]]
    violations = []
    for node in ast.walk(ast.parse(source, filename=str(relative))):
        for target in absolute_imports(node, package):
            top = target.partition(".")[0]
            if top == "":
                violations.append(f"{relative}:{node.lineno}: `{ast.unparse(node)}` goes beyond the top-level package")
            elif RANK.get(top, -1) > own_rank:
                violations.append(
                    f"{relative}:{node.lineno}: `{ast.unparse(node)}`: {module_parts[0]} must not import {top}"
                    f" (the direction is {' → '.join(reversed(LAYERS))})"
                )
    return violations


def test_no_module_imports_a_layer_above_its_own():
    files = [path for layer in LAYERS for path in sorted((ROOT / layer).rglob("*.py"))]
    assert {path.relative_to(ROOT).parts[0] for path in files} == set(LAYERS)
    assert any("migrations" in path.parts for path in files)
    violations = [message for path in files for message in layer_violations(path, path.read_text())]
    assert not violations, "Imports against the direction of dependency:\n" + "\n".join(violations)


def test_an_import_inside_a_function_is_caught_with_its_file_and_line():
    source = "import logging\n\n\ndef later():\n    from editorial.models import Feedback\n"
    assert layer_violations(ROOT / "core" / "example.py", source) == [
        "core/example.py:5: `from editorial.models import Feedback`: core must not import editorial"
        " (the direction is config → editorial → encyclopedia → core)"
    ]


def test_plain_imports_of_a_higher_layer_are_caught():
    source = "import config.urls\nimport encyclopedia.models as models\n"
    violations = layer_violations(ROOT / "encyclopedia" / "migrations" / "0099_example.py", source)
    assert [message.split(":")[1] for message in violations] == ["1"]
    assert "encyclopedia must not import config" in violations[0]


def test_relative_imports_are_resolved_to_their_own_package():
    assert list(absolute_imports(ast.parse("from .. import revisions").body[0], "editorial.admin")) == ["editorial"]
    assert list(absolute_imports(ast.parse("from .models import Article").body[0], "encyclopedia")) == [
        "encyclopedia.models"
    ]
    assert layer_violations(ROOT / "editorial" / "admin" / "example.py", "from .. import revisions\n") == []
    assert layer_violations(ROOT / "core" / "__init__.py", "from . import outage\n") == []
    assert layer_violations(ROOT / "core" / "example.py", "from ..editorial import views\n") == [
        "core/example.py:1: `from ..editorial import views` goes beyond the top-level package"
    ]


def test_dotted_paths_in_strings_are_not_imports():
    source = 'MIDDLEWARE = ["editorial.views.Middleware"]\nROOT_URLCONF = "config.urls"\n'
    assert layer_violations(ROOT / "core" / "example.py", source) == []
