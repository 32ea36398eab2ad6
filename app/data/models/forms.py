"""Forms (formulär) a clinic sends, their questions, requests and answers."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.data.models.columns import UTCDateTime


class Form(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    clinic_id: int | None = Field(default=None, foreign_key="clinic.id", index=True)
    title: str = Field(max_length=200)


class FormQuestion(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("form_id", "position"),)

    id: int | None = Field(default=None, primary_key=True)
    form_id: int = Field(foreign_key="form.id", index=True)
    position: int
    text: str = Field(max_length=1000)
    kind: str = Field(max_length=20)  # QuestionKind
    required: bool = False
    min: float | None = None
    max: float | None = None
    # [{"value": ..., "label": ...}] for the choice kinds
    options: list[dict[str, str]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )


class FormRequest(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    form_id: int = Field(foreign_key="form.id")
    citizen_id: int = Field(foreign_key="citizen.id", index=True)
    clinic_id: int = Field(foreign_key="clinic.id")
    sent_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    due_date: date | None = None
    submitted_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))


class FormAnswer(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("form_request_id", "question_id"),)

    id: int | None = Field(default=None, primary_key=True)
    form_request_id: int = Field(foreign_key="formrequest.id", index=True)
    question_id: int = Field(foreign_key="formquestion.id")
    answer_values: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
