"""Forms in the embedded database: 1177's own, sent by staff through this API, for clinics of
every region (so no region filter here, unlike scheduling and certificates)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import delete, insert, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import SQLModel, col

from app.data.db import SessionFactory, rows_affected
from app.data.models import Form, FormAnswer, FormQuestion, FormRequest
from app.data.records import CitizenRecord
from app.data.store.direct import DirectStatements
from app.data.store.form_request_page import form_request_page
from app.data.store.rows import rows_where_in
from app.domain.form_answers import Answer
from app.domain.keys import pk
from app.domain.paging import Page, PageRequest
from app.sources.ports import FormNotOpen, FormStatus, ListedFormRequest, OwnIds

Row = TypeVar("Row", bound=SQLModel)


def _grouped(rows: Sequence[Row], keys: OwnIds, key_of: Any) -> dict[int, list[Row]]:
    grouped: dict[int, list[Row]] = {key: [] for key in keys}
    for row in rows:
        grouped[key_of(row)].append(row)
    return grouped


class SqlForms:
    def __init__(self, sessions: SessionFactory, direct: DirectStatements) -> None:
        self._sessions = sessions
        self._direct = direct

    async def forms(self, wanted: OwnIds) -> dict[int, Form]:
        return {pk(r): r for r in await rows_where_in(self._sessions, Form, Form.id, wanted)}

    async def questions_of_forms(self, wanted: OwnIds) -> dict[int, list[FormQuestion]]:
        rows = await rows_where_in(
            self._sessions, FormQuestion, FormQuestion.form_id, wanted, (FormQuestion.position,)
        )
        return _grouped(rows, wanted, lambda row: row.form_id)

    async def form_requests(self, wanted: OwnIds) -> dict[int, FormRequest]:
        rows = await rows_where_in(self._sessions, FormRequest, FormRequest.id, wanted)
        return {pk(row): row for row in rows}

    async def answers_of_requests(self, wanted: OwnIds) -> dict[int, list[FormAnswer]]:
        rows = await rows_where_in(
            self._sessions, FormAnswer, FormAnswer.form_request_id, wanted, (FormAnswer.id,)
        )
        return _grouped(rows, wanted, lambda row: row.form_request_id)

    async def form_requests_of(
        self, patient: CitizenRecord, status: FormStatus | None, page: PageRequest
    ) -> Page[ListedFormRequest]:
        return await form_request_page(self._direct, patient.id, status, page)

    async def save_answers(
        self,
        request: FormRequest,
        answers: list[Answer],
        submit: bool,
        now: datetime,
        local: AsyncSession,
    ) -> None:
        # Guarded on "not yet submitted": a racing submission leaves this one changing nothing.
        touched = await local.execute(
            update(FormRequest)
            .where(col(FormRequest.id) == pk(request), col(FormRequest.submitted_at).is_(None))
            .values(submitted_at=now if submit else None)
        )
        if rows_affected(touched) != 1:
            raise FormNotOpen
        await local.execute(
            delete(FormAnswer).where(col(FormAnswer.form_request_id) == pk(request))
        )
        if answers:
            await local.execute(
                insert(FormAnswer),
                [
                    {
                        "form_request_id": pk(request),
                        "question_id": a.question_id,
                        "answer_values": a.values,
                    }
                    for a in answers
                ],
            )
