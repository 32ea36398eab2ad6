"""The regions configuration (regions.toml): each region's data source and functions.

Validated once at start; a mistake stops the server with a message naming the file, the
region and what is wrong, e.g. `regions.toml: region "12": unknown feature "JURNAL"`.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from enum import StrEnum
from functools import cached_property
from pathlib import Path

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from app.domain.identifiers import is_valid_hsa_id
from app.domain.journal import ALWAYS_EXCLUDED_NOTE_KINDS, DelayKind
from app.domain.regional_services import RegionalService, client_id, service_number

COUNTY_CODES = ("01", "03", "04", "05", "06", "07", "08", "09", "10", "12", "13", "14",
                "17", "18", "19", "20", "21", "22", "23", "24", "25")  # fmt: skip


class Feature(StrEnum):
    BOOKING = "BOOKING"
    CERTIFICATES = "CERTIFICATES"
    FORMS = "FORMS"
    JOURNAL = "JOURNAL"
    INBOX = "INBOX"
    PRESCRIPTION_RENEWAL = "PRESCRIPTION_RENEWAL"
    LISTING = "LISTING"
    SAMPLE_HANDLING = "SAMPLE_HANDLING"
    SUPPORT_PROGRAMS = "SUPPORT_PROGRAMS"
    COMPLAINTS = "COMPLAINTS"


class RegionsConfigError(ValueError):
    pass


NOTE_KIND = re.compile(r"^[A-Z][A-Z0-9_]{0,40}$")


def each_valid(values: frozenset[str], valid: Callable[[str], object], what: str) -> frozenset[str]:
    """`values` if each is `valid`; else the first wrong one (sorted) named in the error."""
    wrong = sorted(value for value in values if not valid(value))
    if wrong:
        raise ValueError(f"not {what}: {wrong[0]}")
    return values


class JournalVisibility(BaseModel):
    """What a region shows of its journal, and when (R-126/R-127), as auth/journal_policy.py
    reads it. Left out of regions.toml: the strictest reading (no unsigned notes; results and
    unsigned notes after 14 days)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    show_unsigned: bool = False
    # Days from the Stockholm date a record was made to the date it shows, per DelayKind.
    delay_days: dict[DelayKind, int] = Field(
        default_factory=lambda: {
            DelayKind.SIGNED: 0,
            DelayKind.UNSIGNED: 14,
            DelayKind.RESULTS: 14,
        }
    )
    excluded_units: frozenset[str] = frozenset()  # HSA-ids, e.g. child-protection units
    # Besides ALWAYS_EXCLUDED_NOTE_KINDS, which no region can let through.
    excluded_note_kinds: frozenset[str] = frozenset()

    @field_validator("delay_days")
    @classmethod
    def _every_kind_within_a_year(cls, value: dict[DelayKind, int]) -> dict[DelayKind, int]:
        missing = sorted(set(DelayKind) - value.keys())
        if missing:
            raise ValueError(f"delay_days needs {', '.join(missing)}")
        if any(not 0 <= days <= 366 for days in value.values()):
            raise ValueError("delay_days are 0 to 366 days")
        return value

    @field_validator("excluded_units")
    @classmethod
    def _hsa_ids(cls, value: frozenset[str]) -> frozenset[str]:
        return each_valid(value, is_valid_hsa_id, "an HSA-id")

    @field_validator("excluded_note_kinds")
    @classmethod
    def _note_kinds(cls, value: frozenset[str]) -> frozenset[str]:
        return each_valid(value, NOTE_KIND.fullmatch, "a note kind (A-Z, 0-9, _)")

    def hidden_note_kinds(self) -> frozenset[str]:
        return ALWAYS_EXCLUDED_NOTE_KINDS | self.excluded_note_kinds


ATC_PREFIX = re.compile(r"^[A-Z][0-9A-Z]{0,6}$")


class RenewalTerms(BaseModel):
    """A region's terms for renewing prescriptions from the list (R-153), shown to the citizen
    before they ask. Left out of regions.toml: the defaults here."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    turnaround_days: int = Field(default=3, ge=0, le=60)  # working days to an answer
    fee_sek: int = Field(default=0, ge=0, le=5000)
    # ATC codes (or their prefixes) a prescriber renews only after a visit: e.g. N05BA
    # (benzodiazepines), N02A (opioids).
    needs_visit_atc: frozenset[str] = frozenset()
    not_offered_at: frozenset[str] = frozenset()  # clinics (HSA-ids) that do not renew here

    @field_validator("needs_visit_atc")
    @classmethod
    def _atc_codes(cls, value: frozenset[str]) -> frozenset[str]:
        return each_valid(value, ATC_PREFIX.fullmatch, "an ATC code")

    @field_validator("not_offered_at")
    @classmethod
    def _clinics(cls, value: frozenset[str]) -> frozenset[str]:
        return each_valid(value, is_valid_hsa_id, "an HSA-id")

    def needs_visit(self, atc_code: str | None) -> bool:
        # One C call over the prefixes (a medication list asks this of every line).
        return atc_code is not None and atc_code.startswith(tuple(self.needs_visit_atc))


class ComplaintTerms(BaseModel):
    """A region's complaints (R-200..R-204): its patient board (patientnämnden), a care unit of
    the catalogue named by HSA-id, without which the service is off (R-202), and the answer
    time each receiver promises (R-204: four weeks unless said)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    patient_board: str | None = None
    care_provider_answer_days: int = Field(default=28, ge=1, le=365)
    patient_board_answer_days: int = Field(default=28, ge=1, le=365)

    @field_validator("patient_board")
    @classmethod
    def _hsa_id(cls, value: str | None) -> str | None:
        if value is not None and not is_valid_hsa_id(value):
            raise ValueError(f"not an HSA-id: {value}")
        return value


class RegionConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    source: str = Field(pattern=r"^[a-z][a-z0-9_-]{0,30}$")  # an adapter's name, e.g. "sql"
    features: frozenset[Feature]
    journal: JournalVisibility = JournalVisibility()
    prescription_renewal: RenewalTerms = RenewalTerms()
    complaints: ComplaintTerms = ComplaintTerms()
    services: tuple[RegionalService, ...] = ()  # the region's own e-services
    # The adapter's own settings, e.g. a FHIR server's base_url; the adapter validates them.
    settings: dict[str, str | int | float | bool | list[str]] = Field(default_factory=dict)

    @field_validator("features", mode="before")
    @classmethod
    def _no_duplicates(cls, value: object) -> object:
        if isinstance(value, list) and len(set(value)) != len(value):
            raise ValueError("a feature is listed twice")
        return value

    @field_validator("services")
    @classmethod
    def _keys_once(cls, value: tuple[RegionalService, ...]) -> tuple[RegionalService, ...]:
        keys = [service.key for service in value]
        if len(set(keys)) != len(keys):
            raise ValueError("a service key is listed twice")
        return value

    @model_validator(mode="after")
    def _complaints_need_a_patient_board(self) -> RegionConfig:
        if Feature.COMPLAINTS in self.features and self.complaints.patient_board is None:
            raise ValueError("COMPLAINTS needs complaints.patient_board (R-202)")
        return self


class RegionsConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    regions: dict[str, RegionConfig]

    @cached_property
    def services_by_number(self) -> dict[int, tuple[str, RegionalService]]:
        """Every region's services by their number (their opaque ids'), with the region."""
        found = {
            service_number(code, service.key): (code, service)
            for code, region in self.regions.items()
            for service in region.services
        }
        if len(found) != sum(len(region.services) for region in self.regions.values()):
            raise RegionsConfigError("regions.toml: two services' numbers collide: rename one")
        return found

    def service_of_client(self, client: str) -> tuple[str, RegionalService] | None:
        code, _, key = client.partition("/")
        region = self.regions.get(code)
        service = next((s for s in region.services if s.key == key), None) if region else None
        return None if service is None or client_id(code, key) != client else (code, service)

    def offers(self, region_code: str, feature: Feature) -> bool:
        region = self.regions.get(region_code)
        return region is not None and feature in region.features

    def regions_by_source(self) -> dict[str, frozenset[str]]:
        grouped: dict[str, set[str]] = {}
        for code, region in self.regions.items():
            grouped.setdefault(region.source, set()).add(code)
        return {source: frozenset(codes) for source, codes in grouped.items()}

    def features(self, region_code: str) -> list[Feature]:
        return list(self._in_order.get(region_code, ()))

    @cached_property
    def _in_order(self) -> dict[str, tuple[Feature, ...]]:
        """Sorted once: every clinic in a list names its region, and so its features."""
        order = list(Feature)
        return {
            code: tuple(sorted(region.features, key=order.index))
            for code, region in self.regions.items()
        }


def load_regions(path: Path) -> RegionsConfig:
    name = path.name
    try:
        raw = tomllib.loads(path.read_text())
    except FileNotFoundError:
        raise RegionsConfigError(f"{name}: file not found ({path})") from None
    except tomllib.TOMLDecodeError as error:
        raise RegionsConfigError(f"{name}: not valid TOML: {error}") from None
    try:
        config = RegionsConfig.model_validate(raw)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise RegionsConfigError(f"{name}: {where}: {first['msg']}") from None
    missing = sorted(set(COUNTY_CODES) - config.regions.keys())
    unknown = sorted(config.regions.keys() - set(COUNTY_CODES))
    if unknown:
        raise RegionsConfigError(f"{name}: unknown county code(s) {', '.join(unknown)}")
    if missing:
        raise RegionsConfigError(f"{name}: region(s) {', '.join(missing)} missing")
    _ = config.services_by_number  # two services whose ids would collide stop the start
    return config
