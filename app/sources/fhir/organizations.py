"""A region's Organizations as the clinics of our catalogue, matched by HSA-id."""

from __future__ import annotations

from collections.abc import Iterable

from fhir.resources.R4B.organization import Organization

from app.data.db import SessionFactory
from app.data.models import Clinic
from app.data.store.rows import rows_where_in
from app.sources.fhir import mapping


def hsa_id(organization: Organization) -> str | None:
    """The Organization's one HSA-id; None when it has none or several."""
    ids = [i.value for i in organization.identifier or [] if i.system == mapping.HSA_ID]
    return ids[0] if len(ids) == 1 else None


async def clinics_of(
    sessions: SessionFactory, organizations: Iterable[Organization]
) -> dict[str, Clinic]:
    """Our clinic behind each Organization, by the Organization's id; clinics that are not on
    1177 (not in the catalogue) are left out."""
    hsa_of = {str(o.id): hsa_id(o) for o in organizations}
    rows = await rows_where_in(sessions, Clinic, Clinic.hsa_id, hsa_of.values())
    by_hsa = {row.hsa_id: row for row in rows}
    return {oid: by_hsa[hsa] for oid, hsa in hsa_of.items() if hsa in by_hsa}
