from __future__ import annotations

from pathlib import Path

import pytest

from app.domain.journal import DelayKind
from app.domain.regions_config import (
    Feature,
    JournalVisibility,
    RegionsConfigError,
    load_regions,
)

ROOT = Path(__file__).resolve().parents[2]


def test_the_shipped_configuration_is_valid() -> None:
    config = load_regions(ROOT / "regions.toml")
    assert len(config.regions) == 21
    assert config.offers("01", Feature.BOOKING)
    assert config.features("99") == []


def write(tmp_path: Path, text: str) -> Path:
    shipped = (ROOT / "regions.toml").read_text()
    path = tmp_path / "regions.toml"
    path.write_text(shipped.replace('[regions."25"]', text + '\n[regions."25"]', 1))
    return path


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[regions."02"]\nsource = "sql"\nfeatures = []', "unknown county code(s) 02"),
        ('[regions."11"]\nsource = "sql"\nfeatures = []', "unknown county code(s) 11"),
    ],
)
def test_mistakes_are_named(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(RegionsConfigError, match=message.replace("(", r"\(").replace(")", r"\)")):
        load_regions(write(tmp_path, text))


def test_unknown_feature_missing_region_and_bad_toml(tmp_path: Path) -> None:
    shipped = (ROOT / "regions.toml").read_text()
    path = tmp_path / "regions.toml"
    path.write_text(shipped.replace('"JOURNAL"', '"JURNAL"', 1))
    with pytest.raises(RegionsConfigError, match=r"regions\.\d\d\.features"):
        load_regions(path)
    path.write_text(shipped.split('[regions."25"]')[0])
    with pytest.raises(RegionsConfigError, match="region\\(s\\) 25 missing"):
        load_regions(path)
    path.write_text("regions = [")
    with pytest.raises(RegionsConfigError, match="not valid TOML"):
        load_regions(path)
    with pytest.raises(RegionsConfigError, match="file not found"):
        load_regions(tmp_path / "nowhere.toml")


def test_a_regions_journal_rules_default_to_the_strictest_reading() -> None:
    rules = load_regions(ROOT / "regions.toml").regions["01"].journal
    assert rules == JournalVisibility()
    assert not rules.show_unsigned
    assert rules.delay_days == {DelayKind.SIGNED: 0, DelayKind.UNSIGNED: 14, DelayKind.RESULTS: 14}
    assert {"THIRD_PERSON", "CONCERN_FOR_CHILD"} <= rules.hidden_note_kinds()


@pytest.mark.parametrize(
    ("journal", "message"),
    [
        ("delay_days = { SIGNED = 0, RESULTS = 14 }", "delay_days needs UNSIGNED"),
        ("delay_days = { SIGNED = 0, UNSIGNED = 3, RESULTS = 400 }", "0 to 366 days"),
        ("delay_days = { SIGNED = 0, UNSIGNED = 3, RESULT = 4 }", r"regions\.25\.journal"),
        ('excluded_units = ["E0666"]', "not an HSA-id: E0666"),
        ('excluded_note_kinds = ["third person"]', "not a note kind"),
        ("show_unsigend = true", r"regions\.25\.journal\.show_unsigend"),
    ],
)
def test_journal_rules_mistakes_are_named(tmp_path: Path, journal: str, message: str) -> None:
    shipped = (ROOT / "regions.toml").read_text()
    path = tmp_path / "regions.toml"
    path.write_text(shipped + f'\n[regions."25".journal]\n{journal}\n')
    with pytest.raises(RegionsConfigError, match=message):
        load_regions(path)
