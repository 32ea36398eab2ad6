"""From answer inputs to validated answers, and from problems to userErrors."""

from __future__ import annotations

from collections.abc import Sequence

from app.context import Context
from app.domain.errors import UserErrorCode
from app.domain.form_answers import Answer, AnswerProblem, Question, validate_answers
from app.domain.ids import NodeKind
from schema.errors import Refusal, user_error
from schema.forms.inputs import FormAnswerInput

NO_QUESTION = 0  # no row has id 0: an id we did not mint becomes an unknown question


def decode_answers(
    context: Context, inputs: Sequence[FormAnswerInput], kind: NodeKind = NodeKind.FORM_QUESTION
) -> list[Answer]:
    """`kind`: whose questions they answer (a form's, or a program step's)."""
    return [
        Answer(context.ids.decode_as(str(item.question_id), kind) or NO_QUESTION, list(item.values))
        for item in inputs
    ]


def refusal_for(problems: Sequence[AnswerProblem], field: str = "answers") -> Refusal:
    errors = []
    for problem in problems:
        if problem.index is None:
            path = [field]
        else:
            leaf = "questionId" if problem.code == "UNKNOWN_QUESTION" else "values"
            path = [field, str(problem.index), leaf]
        errors.append(user_error(UserErrorCode(problem.code), path, problem.message))
    return Refusal(*errors)


def valid_answers(
    questions: Sequence[Question], answers: Sequence[Answer], *, complete: bool
) -> list[Answer]:
    """The cleaned answers; a Refusal listing every problem otherwise."""
    cleaned, problems = validate_answers(questions, answers, complete=complete)
    if problems:
        raise refusal_for(problems)
    return cleaned
