"""Variants of the shipped regions.toml for tests that need another configuration."""

from __future__ import annotations

from pathlib import Path

SHIPPED = Path(__file__).resolve().parent.parent / "regions.toml"


def with_region_changed(directory: Path, code: str, old: str, new: str) -> Path:
    """A copy of regions.toml where, in region `code`'s table only, `old` becomes `new`."""
    shipped = SHIPPED.read_text()
    start = shipped.index(f'[regions."{code}"]')
    end = shipped.find("[regions.", start + 1)
    end = len(shipped) if end == -1 else end
    block = shipped[start:end]
    assert old in block, f"{old!r} is not in region {code}'s table"
    path = directory / "regions.toml"
    path.write_text(shipped[:start] + block.replace(old, new) + shipped[end:])
    return path


def with_fhir_regions(directory: Path, base_urls: dict[str, str], settings: str = "") -> Path:
    """A copy of regions.toml where each region of `base_urls` is served by the FHIR adapter
    at its own server (a tenant of the stand-in, each region its own system); `settings`: more
    of the adapter's settings, as TOML (`journal_categories = ["NOTE"]`)."""
    text = SHIPPED.read_text()
    for code, base_url in base_urls.items():
        start = text.index(f'[regions."{code}"]')
        end = text.find("[regions.", start + 1)
        end = len(text) if end == -1 else end
        more = f", {settings}" if settings else ""
        fhir = f'source = "fhir"\nsettings = {{ base_url = "{base_url}"{more} }}'
        block = text[start:end]
        assert 'source = "sql"' in block, f"region {code} is not on the SQL source"
        text = text[:start] + block.replace('source = "sql"', fhir) + text[end:]
    path = directory / "regions.toml"
    path.write_text(text)
    return path


def with_more(directory: Path, toml: str) -> Path:
    """A copy of regions.toml with `toml` added at its end (e.g. more services of a region)."""
    path = directory / "regions.toml"
    path.write_text(SHIPPED.read_text() + "\n" + toml)
    return path
