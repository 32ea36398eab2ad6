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
