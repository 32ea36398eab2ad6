"""The catalogue's entries lists look up, kept per process within a bound of time
(app/data/store/kept_catalogue.py): what was read is answered until the bound has passed, then
read again; what named nothing is kept as such; a bound of 0 keeps nothing; both kinds of entry
share the bound."""

from __future__ import annotations

import pytest

from app.data.records import BookingTypeRecord, ClinicRecord
from app.data.store.kept_catalogue import KeptCatalogue, KeptForAWhile, TypeAtClinic
from tests.seconds import Seconds

NORRA = ClinicRecord(
    7, "SE2321000016-N001", "Vårdcentralen Norra", "01", "Gatan 1", "11122", "Stockholm",
    "08-123", "8-17", True,
)  # fmt: skip


def test_a_clinic_read_is_answered_until_the_bound_has_passed() -> None:
    seconds = Seconds()
    kept = KeptForAWhile[str, ClinicRecord | None](60, clock=seconds)
    assert kept.look_up([NORRA.hsa_id]) == ({}, [NORRA.hsa_id])
    kept.keep(NORRA.hsa_id, NORRA)
    seconds.now += 59.9
    assert kept.look_up([NORRA.hsa_id]) == ({NORRA.hsa_id: NORRA}, [])
    seconds.now += 0.1
    assert kept.look_up([NORRA.hsa_id]) == ({}, [NORRA.hsa_id])


def test_an_hsa_id_that_names_no_clinic_is_kept_as_such() -> None:
    kept = KeptForAWhile[str, ClinicRecord | None](60, clock=Seconds())
    kept.keep("SE2321000016-GONE", None)
    assert kept.look_up(["SE2321000016-GONE", NORRA.hsa_id]) == (
        {"SE2321000016-GONE": None},
        [NORRA.hsa_id],
    )


def test_a_bound_of_zero_keeps_nothing() -> None:
    kept = KeptForAWhile[str, ClinicRecord | None](0, clock=Seconds())
    kept.keep(NORRA.hsa_id, NORRA)
    assert kept.look_up([NORRA.hsa_id]) == ({}, [NORRA.hsa_id])


def test_past_the_most_it_starts_again() -> None:
    kept = KeptForAWhile[str, ClinicRecord | None](60, clock=Seconds(), most=2)
    for hsa_id in ("A", "B", "C"):
        kept.keep(hsa_id, None)
    assert kept.look_up(["A", "B", "C"]) == ({"C": None}, ["A", "B"])


def test_a_booking_type_with_its_clinic_is_kept_within_the_same_bound() -> None:
    seconds = Seconds()
    kept = KeptCatalogue(60, clock=seconds)
    visit = TypeAtClinic(BookingTypeRecord(3, NORRA.id, "Besök", 20, True, True, False), NORRA)
    kept.booking_types.keep(3, visit)
    kept.booking_types.keep(4, None)
    kept.clinics_by_hsa_id.keep(NORRA.hsa_id, NORRA)
    seconds.now += 59.9
    assert kept.booking_types.look_up([3, 4, 5]) == ({3: visit, 4: None}, [5])
    seconds.now += 0.1
    assert kept.booking_types.look_up([3, 4]) == ({}, [3, 4])
    assert kept.clinics_by_hsa_id.look_up([NORRA.hsa_id]) == ({}, [NORRA.hsa_id])


@pytest.mark.anyio
async def test_read_through_reads_only_what_is_not_kept_and_keeps_it() -> None:
    kept = KeptForAWhile[str, ClinicRecord | None](60, clock=Seconds())
    kept.keep(NORRA.hsa_id, NORRA)
    asked: list[list[str]] = []

    async def read(missing: list[str]) -> dict[str, ClinicRecord | None]:
        asked.append(missing)
        return dict.fromkeys(missing)

    first = await kept.read_through([NORRA.hsa_id, "GONE"], read)
    again = await kept.read_through([NORRA.hsa_id, "GONE"], read)
    assert first == again == {NORRA.hsa_id: NORRA, "GONE": None}
    assert asked == [["GONE"]]
