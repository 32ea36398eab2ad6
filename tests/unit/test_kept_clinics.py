"""The catalogue's clinics by HSA-id, kept per process within a bound of time
(app/data/store/kept_clinics.py): what was read is answered until the bound has passed, then
read again; what named no clinic is kept as such; a bound of 0 keeps nothing."""

from __future__ import annotations

from app.data.records import ClinicRecord
from app.data.store.kept_clinics import KeptClinics


class Seconds:
    """A monotonic clock the test moves."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


NORRA = ClinicRecord(
    7, "SE2321000016-N001", "Vårdcentralen Norra", "01", "Gatan 1", "11122", "Stockholm",
    "08-123", "8-17", True,
)  # fmt: skip


def test_a_clinic_read_is_answered_until_the_bound_has_passed() -> None:
    seconds = Seconds()
    kept = KeptClinics(60, clock=seconds)
    assert kept.look_up([NORRA.hsa_id]) == ({}, [NORRA.hsa_id])
    kept.keep(NORRA.hsa_id, NORRA)
    seconds.now += 59.9
    assert kept.look_up([NORRA.hsa_id]) == ({NORRA.hsa_id: NORRA}, [])
    seconds.now += 0.1
    assert kept.look_up([NORRA.hsa_id]) == ({}, [NORRA.hsa_id])


def test_an_hsa_id_that_names_no_clinic_is_kept_as_such() -> None:
    kept = KeptClinics(60, clock=Seconds())
    kept.keep("SE2321000016-GONE", None)
    assert kept.look_up(["SE2321000016-GONE", NORRA.hsa_id]) == (
        {"SE2321000016-GONE": None},
        [NORRA.hsa_id],
    )


def test_a_bound_of_zero_keeps_nothing() -> None:
    kept = KeptClinics(0, clock=Seconds())
    kept.keep(NORRA.hsa_id, NORRA)
    assert kept.look_up([NORRA.hsa_id]) == ({}, [NORRA.hsa_id])


def test_past_the_most_it_starts_again() -> None:
    kept = KeptClinics(60, clock=Seconds(), most=2)
    for hsa_id in ("A", "B", "C"):
        kept.keep(hsa_id, None)
    assert kept.look_up(["A", "B", "C"]) == ({"C": None}, ["A", "B"])
