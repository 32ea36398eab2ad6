"""The "fhir" adapter: `source = "fhir"` in regions.toml, with the region's server in
`settings`:

    [regions."12".settings]
    base_url = "https://fhir.example.se/r4"   # the region's FHIR R4 base
    directory_seconds = 60                     # how long its booking types are kept (optional)
    journal_categories = ["NOTE", "DIAGNOSIS"] # what its journal supplies (optional; default:
                                               # every category FHIR maps, journal_mapping.py)
"""

from __future__ import annotations

import httpx
from pydantic import AnyHttpUrl, BaseModel, ConfigDict, Field, ValidationError, field_validator

from app.domain.journal import JournalCategory
from app.domain.regions_config import Feature, RegionsConfigError
from app.sources.fhir.certificates import FhirCertificates
from app.sources.fhir.client import FhirClient
from app.sources.fhir.directory import Directory
from app.sources.fhir.forms import FhirForms
from app.sources.fhir.journal import FHIR_CATEGORIES, FhirJournal
from app.sources.fhir.listing import FhirListing
from app.sources.fhir.medications import FhirMedications
from app.sources.fhir.patients import Patients
from app.sources.fhir.scheduling import FhirScheduling
from app.sources.ports import AdapterFactory, AdapterSetup, RegionalSource


class FhirSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    base_url: AnyHttpUrl
    directory_seconds: float = Field(default=60.0, ge=0, le=3600)
    journal_categories: frozenset[JournalCategory] = FHIR_CATEGORIES

    @field_validator("journal_categories")
    @classmethod
    def _mapped(cls, categories: frozenset[JournalCategory]) -> frozenset[JournalCategory]:
        if not categories <= FHIR_CATEGORIES:
            unmapped = ", ".join(sorted(categories - FHIR_CATEGORIES))
            raise ValueError(f"the FHIR adapter does not map {unmapped}")
        return categories


def fhir_adapter(http: httpx.AsyncClient) -> AdapterFactory:
    """Builds each FHIR region's source; all share one HTTP client (its connection pool)."""

    def build(setup: AdapterSetup) -> RegionalSource:
        try:
            settings = FhirSettings.model_validate(dict(setup.settings))
        except ValidationError as error:
            first = error.errors()[0]
            where = ".".join(str(part) for part in first["loc"])
            raise RegionsConfigError(
                f'regions.toml: region "{setup.region_code}": settings.{where}: {first["msg"]}'
            ) from None
        client = FhirClient(str(settings.base_url), http)
        directory = Directory(
            client, setup.sessions, setup.refs, setup.source_name, settings.directory_seconds
        )
        patients = Patients(client, setup.sessions)
        name, refs = setup.source_name, setup.refs
        scheduling = FhirScheduling(client, directory, patients, refs, name)
        journal = (
            FhirJournal(
                client, patients, refs, name, setup.region_code, settings.journal_categories
            )
            if Feature.JOURNAL in setup.features
            else None
        )
        return RegionalSource(
            directory=scheduling,  # both read the region's directory (Directory, cached)
            scheduling=scheduling,
            certificates=FhirCertificates(client, patients, setup.sessions, refs, name),
            forms=FhirForms(client, patients, setup.sessions, refs, name),
            journal=journal,
            # Every region's prescriptions: a list shows what was prescribed anywhere.
            medications=FhirMedications(client, refs, name, setup.region_code),
            listing=FhirListing(client, patients, refs, name, setup.region_code),
        )

    return build
