"""How a lab value's flag reads to the patient (schema/journal/types.py): a flag we do not know
is never shown as normal."""

from __future__ import annotations

from decimal import Decimal

from app.sources.journal_records import Analysis, ReferenceRange
from schema.journal.types import ResultInterpretation, _interpretation

RANGE = ReferenceRange(low=Decimal("4.0"), high=Decimal("6.0"))


def analysis(flag: str | None, reference: ReferenceRange | None = RANGE) -> Analysis:
    return Analysis(
        name="P-Glukos",
        code="NPU02192",
        value="9.9",
        unit="mmol/L",
        reference_range=reference,
        flag=flag,
    )


def test_the_labs_flags_and_no_flag_against_a_range() -> None:
    assert _interpretation(analysis("HIGH")) is ResultInterpretation.HIGH
    assert _interpretation(analysis("LOW")) is ResultInterpretation.LOW
    assert _interpretation(analysis(None)) is ResultInterpretation.NORMAL
    assert _interpretation(analysis(None, reference=None)) is None


def test_a_flag_we_do_not_know_is_abnormal_not_normal() -> None:
    assert _interpretation(analysis("CRITICAL_HIGH")) is ResultInterpretation.ABNORMAL
