"""The layer contract (pyproject.toml, docs/architecture.md) is not a wish: the tree keeps it,
and one import against it, of each kind the contract forbids, breaks it. Each probe is added
to a copy of the packages, never to the tree itself."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.processes import ROOT

PACKAGES = ("app", "auth", "loaders", "resolvers", "schema", "seeds")
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


@pytest.fixture(scope="module")
def copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("tree")
    for package in PACKAGES:
        shutil.copytree(
            ROOT / package, root / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    shutil.copy(ROOT / "pyproject.toml", root / "pyproject.toml")
    return root


def lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - the installed lint-imports
        [str(LINT_IMPORTS), "--no-cache"], cwd=root, capture_output=True, text=True, check=False
    )


def test_the_tree_keeps_every_contract(copy: Path) -> None:
    linted = lint_imports(copy)
    assert linted.returncode == 0, linted.stdout
    assert "0 broken" in linted.stdout


@pytest.mark.parametrize(
    ("probe", "line", "broken"),
    [
        ("app/domain/probe.py", "import app.http.endpoint", "app.domain is not allowed to import"),
        ("schema/probe.py", "import resolvers.bookings.book", "schema is not allowed to import"),
        ("app/data/probe.py", "import app.context", "app.data is not allowed to import"),
        ("loaders/probe.py", "import strawberry", "loaders is not allowed to import strawberry"),
        ("auth/probe.py", "import app.access.citizens", "auth is not allowed to import"),
        ("resolvers/probe.py", "import app.sources.fhir.mapping", "A region's FHIR system"),
        ("app/sources/sql/probe.py", "import app.sources.fhir.mapping", "do not know each other"),
        (
            "loaders/probe.py",
            "import app.data.models.region_journal",
            "The region systems' tables",
        ),
    ],
)
def test_an_import_against_the_contract_breaks_it(
    copy: Path, probe: str, line: str, broken: str
) -> None:
    module = copy / probe
    module.write_text(f"{line}\n")
    try:
        linted = lint_imports(copy)
    finally:
        module.unlink()
    assert linted.returncode == 1
    assert broken in linted.stdout
    assert probe.removesuffix(".py").replace("/", ".") in linted.stdout  # the chain is named


@pytest.mark.parametrize(
    ("names", "adapter", "models"),
    [
        (
            ("RegionJournal", "region_journal_"),
            "app/sources/sql/journal.py",
            "app/data/models/region_journal.py",
        ),
        (
            ("RegionMedication", "region_medication"),
            "app/sources/sql/medications.py",
            "app/data/models/region_medications.py",
        ),
        (
            ("RegionListing", "region_listing"),
            "app/sources/sql/listing.py",
            "app/data/models/region_listing.py",
        ),
    ],
)
def test_only_the_sql_adapter_names_the_region_systems_tables(
    names: tuple[str, str], adapter: str, models: str
) -> None:
    """The contract checks imports of the modules; this, that no other code of ours reaches
    the tables through app.data.models, which names every table (R-33)."""
    allowed = {adapter, models, "app/data/models/__init__.py"}
    naming = {
        str(path.relative_to(ROOT))
        for package in PACKAGES
        if package != "seeds"  # the demo data plays the region's system: it writes them
        for path in (ROOT / package).rglob("*.py")
        if any(name in path.read_text() for name in names)
    }
    assert naming <= allowed, naming - allowed
