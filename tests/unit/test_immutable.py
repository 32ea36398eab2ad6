"""Records (app/domain/immutable.py) are values as frozen dataclasses are: equal when their
fields are, hashed alike, usable as keys; and changed copies are new records."""

from __future__ import annotations

import dataclasses
from datetime import date

from app.data.records import ClinicRecord
from app.sources.medication_records import MedicationLine


def a_clinic(name: str = "Vårdcentralen City") -> ClinicRecord:
    return ClinicRecord(
        1, "SE2321000016-E0001", name, "01", "Storgatan 3", "111 22", "Stockholm",
        "08-123456", "Mån-fre 08-17", True,
    )  # fmt: skip


def test_a_record_is_a_value() -> None:
    assert a_clinic() == a_clinic()
    assert hash(a_clinic()) == hash(a_clinic())
    assert {a_clinic(): "kept"}[a_clinic()] == "kept"
    assert a_clinic() != a_clinic("Vårdcentralen Söder")


def test_a_changed_record_is_another_record() -> None:
    clinic = a_clinic()
    renamed = dataclasses.replace(clinic, name="Vårdcentralen Söder")
    assert (clinic.name, renamed.name) == ("Vårdcentralen City", "Vårdcentralen Söder")


def test_a_record_holds_its_fields_only() -> None:
    """Slotted: no __dict__ per record (a list of 50 builds 150 of them)."""
    line = MedicationLine(
        1, "01", "191212121212", "Enalapril", "10 mg", "tablett", None, "Sara Ek", None,
        "SE2321000001-E0001", "Vårdcentralen", "SE2321000001", "ACTIVE", date(2026, 1, 1), True,
    )  # fmt: skip
    assert not hasattr(line, "__dict__")
    assert dataclasses.fields(line)[0].name == "key"
