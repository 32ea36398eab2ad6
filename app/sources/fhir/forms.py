"""A region's forms over FHIR R4: Questionnaires, and QuestionnaireResponses as the requests
sent to citizens with their answers (mapping.py says how they read). Drafts and the
submission are written to the region; nothing of them is kept here."""

from __future__ import annotations

from datetime import date, datetime

from fhir.resources.R4B.organization import Organization
from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.questionnaireresponse import (
    QuestionnaireResponse,
    QuestionnaireResponseItem,
)
from fhir.resources.R4B.resource import Resource
from sqlalchemy.ext.asyncio import AsyncSession

from app.data.db import SessionFactory
from app.data.models import Form, FormAnswer, FormQuestion, FormRequest
from app.data.records import CitizenRecord
from app.domain.form_answers import Answer
from app.domain.keys import pk
from app.domain.paging import Page, PageRequest, Position
from app.sources.fanout import SourceError
from app.sources.fhir import mapping
from app.sources.fhir.answers import answer_values, fhir_answer
from app.sources.fhir.client import Conflict, FhirClient, PreconditionFailed
from app.sources.fhir.organizations import clinics_of
from app.sources.fhir.paging import keyset_page
from app.sources.fhir.patients import Patients
from app.sources.fhir.questionnaires import question_record, questions_of
from app.sources.ports import FormNotOpen, FormStatus, OwnIds
from app.sources.refs import ForeignRecord, SourceRefs

STATUSES = {"OPEN": "in-progress", "SUBMITTED": "completed"}
WITH_CLINIC = ("_include", "QuestionnaireResponse:author")


class FhirForms:
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

    async def forms(self, wanted: OwnIds) -> dict[int, Form]:
        by_id = {own: key for key, own in wanted.items()}
        return {
            by_id[str(q.id)]: Form(id=by_id[str(q.id)], title=_title(q))
            for q in await self._questionnaires(by_id)
        }

    async def questions_of_forms(self, wanted: OwnIds) -> dict[int, list[FormQuestion]]:
        by_id = {own: key for key, own in wanted.items()}
        found = await self._questionnaires(by_id)
        records = [question_record(self._source, q, item) for q in found for item in q.item or []]
        keys = await self._refs.keys_for(records)
        return {
            by_id[str(q.id)]: questions_of(q, by_id[str(q.id)], keys, self._source) for q in found
        }

    async def form_requests(self, wanted: OwnIds) -> dict[int, FormRequest]:
        found = await self._responses(wanted, WITH_CLINIC)
        return {pk(row): row for row, _ in await self._requests(found)}

    async def answers_of_requests(self, wanted: OwnIds) -> dict[int, list[FormAnswer]]:
        by_id = {own: key for key, own in wanted.items()}
        answers: dict[int, list[FormAnswer]] = {}
        for response in await self._responses(wanted):
            if not isinstance(response, QuestionnaireResponse):
                continue
            questionnaire = _questionnaire_id(response)
            records = {
                item.linkId: ForeignRecord(
                    self._source, "form_question", f"{questionnaire}#{item.linkId}"
                )
                for item in response.item or []
            }
            keys = await self._refs.keys_for(records.values())
            answers[by_id[str(response.id)]] = [
                FormAnswer(
                    form_request_id=by_id[str(response.id)],
                    question_id=keys[records[item.linkId]],
                    answer_values=answer_values(item),
                )
                for item in response.item or []
            ]
        return answers

    async def form_requests_of(
        self, patient: CitizenRecord, status: FormStatus | None, page: PageRequest
    ) -> Page[FormRequest]:
        patient_ids = await self._patients.ids_of(patient)
        if not patient_ids:
            return Page(items=[], has_next_page=False)
        statuses = [STATUSES[status]] if status else sorted(STATUSES.values())
        params = [
            ("subject", ",".join(f"Patient/{p}" for p in patient_ids)),
            ("status", ",".join(statuses)),
            ("_sort", "-sent"),  # a SearchParameter on FORM_SENT, which the region defines
            WITH_CLINIC,
        ]
        if page.after is not None and isinstance(page.after.value, datetime):
            params.append(("sent", f"le{page.after.value.isoformat()}"))
        return await keyset_page(
            self._client, "QuestionnaireResponse", params, page, self._requests, descending=True
        )

    async def save_answers(
        self,
        request: FormRequest,
        answers: list[Answer],
        submit: bool,
        now: datetime,
        local: AsyncSession,
    ) -> None:
        own = await self._own_id(pk(request), "form_request")
        response, version = await self._client.read(QuestionnaireResponse, own)
        if response is None or response.status != "in-progress" or version is None:
            raise FormNotOpen
        questionnaire, _ = await self._client.read(Questionnaire, _questionnaire_id(response))
        if questionnaire is None:
            raise SourceError(f"QuestionnaireResponse/{own}: its Questionnaire is gone")
        types = {item.linkId: item.type for item in questionnaire.item or []}
        records = await self._refs.records_of([a.question_id for a in answers])
        items = []
        for answer in answers:
            link_id = records[answer.question_id].foreign_id.split("#", 1)[1]
            values = [fhir_answer(types.get(link_id) or "", value) for value in answer.values]
            items.append(QuestionnaireResponseItem(linkId=link_id, answer=values))
        response.item = items or None
        if submit:
            response.status, response.authored = "completed", now
        try:
            await self._client.update(response, version)
        except (Conflict, PreconditionFailed):
            raise FormNotOpen from None

    async def _questionnaires(self, by_id: dict[str, int]) -> list[Questionnaire]:
        if not by_id:
            return []
        found, _ = await self._client.search("Questionnaire", [("_id", ",".join(by_id))])
        return [q for q in found if isinstance(q, Questionnaire) and str(q.id) in by_id]

    async def _responses(self, wanted: OwnIds, *more: tuple[str, str]) -> list[Resource]:
        """The responses asked for, with what `more` includes (e.g. their clinics)."""
        if not wanted:
            return []
        found, _ = await self._client.search(
            "QuestionnaireResponse", [("_id", ",".join(wanted.values())), *more]
        )
        return found

    async def _requests(self, found: list[Resource]) -> list[tuple[FormRequest, Position]]:
        """Open and submitted requests of our citizens from clinics on 1177, in order found."""
        responses = [
            r
            for r in found
            if isinstance(r, QuestionnaireResponse) and r.status in STATUSES.values()
        ]
        clinics = await clinics_of(
            self._sessions, (o for o in found if isinstance(o, Organization))
        )
        citizens = await self._patients.citizens_of(
            mapping.reference_id(r.subject, "Patient") for r in responses
        )
        records = {
            str(r.id): (
                ForeignRecord(self._source, "form_request", str(r.id)),
                ForeignRecord(self._source, "form", _questionnaire_id(r)),
            )
            for r in responses
        }
        keys = await self._refs.keys_for(record for pair in records.values() for record in pair)
        requests = []
        for response in responses:
            citizen = citizens.get(mapping.reference_id(response.subject, "Patient"))
            clinic = clinics.get(mapping.reference_id(response.author, "Organization"))
            if citizen is None or clinic is None:
                continue  # not our citizen, or a clinic not on 1177
            request_record, form_record = records[str(response.id)]
            row = FormRequest(
                id=keys[request_record],
                form_id=keys[form_record],
                citizen_id=pk(citizen),
                clinic_id=pk(clinic),
                sent_at=mapping.instant(
                    _extension(response, mapping.FORM_SENT, "valueDateTime"), "sent"
                ),
                due_date=_due_date(response),
                submitted_at=mapping.instant(response.authored, "QuestionnaireResponse.authored")
                if response.status == "completed"
                else None,
            )
            requests.append((row, Position(row.sent_at, pk(row))))
        return requests

    async def _own_id(self, key: int, resource: str) -> str:
        record = (await self._refs.records_of([key])).get(key)
        if record is None or record.source != self._source or record.resource != resource:
            raise SourceError(f"{resource} {key} is not of {self._source}")
        return record.foreign_id


def _title(questionnaire: Questionnaire) -> str:
    if not questionnaire.title:
        raise SourceError(f"Questionnaire/{questionnaire.id} has no title")
    return questionnaire.title


def _questionnaire_id(response: QuestionnaireResponse) -> str:
    canonical = response.questionnaire or ""
    kind, _, logical_id = canonical.partition("/")
    if kind != "Questionnaire" or not logical_id or "/" in logical_id:
        raise SourceError(f"QuestionnaireResponse/{response.id}: expected Questionnaire/<id>")
    return logical_id


def _extension(
    response: QuestionnaireResponse, url: str, kind: str, *, required: bool = True
) -> object:
    values = [getattr(e, kind) for e in response.extension or [] if e.url == url]
    if len(values) > 1 or (required and not values):
        raise SourceError(f"QuestionnaireResponse/{response.id}: needs one {url}")
    return values[0] if values else None


def _due_date(response: QuestionnaireResponse) -> date | None:
    due = _extension(response, mapping.FORM_DUE, "valueDate", required=False)
    if due is not None and not isinstance(due, date):
        raise SourceError(f"QuestionnaireResponse/{response.id}: the due date is not a date")
    return due
