"""A region's certificates over FHIR R4: DocumentReferences (mapping.py says how they read).
Deliveries to recipients are 1177's own record (R-91), kept in our database."""

from __future__ import annotations

from datetime import datetime

from fhir.resources.R4B.attachment import Attachment
from fhir.resources.R4B.documentreference import DocumentReference
from fhir.resources.R4B.organization import Organization
from fhir.resources.R4B.resource import Resource

from app.data.db import SessionFactory
from app.data.models import Certificate
from app.data.records import CitizenRecord
from app.domain.keys import pk
from app.domain.paging import Page, PageRequest, Position
from app.sources.fanout import SourceError
from app.sources.fhir import mapping
from app.sources.fhir.client import FhirClient
from app.sources.fhir.organizations import clinics_of
from app.sources.fhir.paging import keyset_page
from app.sources.fhir.patients import Patients
from app.sources.ports import OwnIds
from app.sources.refs import ForeignRecord, SourceRefs

KINDS = frozenset({"SICK_LEAVE", "DRIVING_LICENCE", "MEDICAL_STATEMENT"})
RECIPIENTS = frozenset({"FKASSA", "TRANSPORTSTYRELSEN"})
WITH_ISSUER = ("_include", "DocumentReference:custodian")


class FhirCertificates:
    def __init__(
        self,
        client: FhirClient,
        patients: Patients,
        sessions: SessionFactory,
        refs: SourceRefs,
        source_name: str,
    ) -> None:
        self._client, self._patients, self._sessions = client, patients, sessions
        self._refs, self._source = refs, source_name

    async def certificates(self, wanted: OwnIds) -> dict[int, Certificate]:
        if not wanted:
            return {}
        found, _ = await self._client.search(
            "DocumentReference", [("_id", ",".join(wanted.values())), WITH_ISSUER]
        )
        return {pk(row): row for row, _ in await self._ours(found)}

    async def certificates_of(self, patient: CitizenRecord, page: PageRequest) -> Page[Certificate]:
        patient_ids = await self._patients.ids_of(patient)
        if not patient_ids:
            return Page(items=[], has_next_page=False)
        params = [
            ("subject", ",".join(f"Patient/{p}" for p in patient_ids)),
            ("status", "current"),
            ("type", f"{mapping.CERTIFICATE_KIND}|"),  # not the journal's notes
            ("_sort", "-date"),
            WITH_ISSUER,
        ]
        if page.after is not None and isinstance(page.after.value, datetime):
            params.append(("date", f"le{page.after.value.isoformat()}"))
        return await keyset_page(
            self._client, "DocumentReference", params, page, self._ours, descending=True
        )

    async def _ours(self, found: list[Resource]) -> list[tuple[Certificate, Position]]:
        """Current documents of our citizens from clinics of our catalogue, in order found."""
        documents = [d for d in found if isinstance(d, DocumentReference) and d.status == "current"]
        issuers = await clinics_of(
            self._sessions, (o for o in found if isinstance(o, Organization))
        )
        citizens = await self._patients.citizens_of(
            mapping.reference_id(d.subject, "Patient") for d in documents
        )
        keys = await self._refs.keys_for(
            ForeignRecord(self._source, "certificate", str(d.id)) for d in documents
        )
        ours = []
        for document in documents:
            citizen = citizens.get(mapping.reference_id(document.subject, "Patient"))
            issuer = issuers.get(mapping.reference_id(document.custodian, "Organization"))
            if citizen is None or issuer is None:
                continue  # not our citizen, or a clinic not on 1177
            key = keys[ForeignRecord(self._source, "certificate", str(document.id))]
            row = _certificate(document, key, pk(citizen), pk(issuer))
            ours.append((row, Position(row.issued_at, key)))
        return ours


def _certificate(document: DocumentReference, key: int, citizen: int, issuer: int) -> Certificate:
    coding = document.type.coding or [] if document.type is not None else []
    codes = [c.code for c in coding if c.system == mapping.CERTIFICATE_KIND]
    if len(codes) != 1 or codes[0] not in KINDS:
        raise SourceError(f"DocumentReference/{document.id}: no certificate kind we know")
    recipients = [
        str(e.valueCode) for e in document.extension or [] if e.url == mapping.CERTIFICATE_RECIPIENT
    ]
    if not set(recipients) <= RECIPIENTS or not document.description:
        raise SourceError(f"DocumentReference/{document.id}: recipients or title malformed")
    return Certificate(
        id=key,
        citizen_id=citizen,
        issuer_clinic_id=issuer,
        kind=codes[0],
        title=document.description,
        issued_at=mapping.instant(document.date, "DocumentReference.date"),
        sections=[_section(document, c.attachment) for c in document.content],
        recipients=recipients,
    )


def _section(document: DocumentReference, attachment: Attachment) -> dict[str, str]:
    content_type = attachment.contentType or ""
    if not attachment.title or attachment.data is None or not content_type.startswith("text/plain"):
        raise SourceError(f"DocumentReference/{document.id}: a section is malformed")
    try:  # the model has decoded the base64 already
        body = attachment.data.decode("utf-8")
    except UnicodeDecodeError:
        raise SourceError(f"DocumentReference/{document.id}: a section is not UTF-8 text") from None
    return {"heading": attachment.title, "body": body}
