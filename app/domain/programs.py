"""Programs' vocabulary and the order their steps are done in (R-190..R-194), with no I/O.

A step is done in order: every step before it in the version (by module, then step) done, and
its module open to the person (R-191: the therapist opens or hides modules). The next step is
the first not done; it may be in a module not opened yet, and then waits for the therapist.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from enum import StrEnum


class ProgramStepKind(StrEnum):
    READ = "READ"
    EXERCISE = "EXERCISE"
    FORM = "FORM"


class EnrolmentStatus(StrEnum):
    IN_PROGRESS = "IN_PROGRESS"
    DONE = "DONE"  # every step done
    ENDED = "ENDED"  # ended before that, by the therapist


@dataclass(frozen=True, slots=True)
class StepInOrder:
    step_id: int
    module_id: int


class StepRefusal(StrEnum):
    """Why a step cannot be done now; the values are the API's userError codes."""

    NOT_IN_PROGRAM = "NOT_FOUND"  # not a step of the enrolment's version
    ALREADY_COMPLETED = "STEP_ALREADY_COMPLETED"
    MODULE_NOT_OPEN = "MODULE_NOT_OPEN"
    OUT_OF_ORDER = "STEP_OUT_OF_ORDER"


def step_refusal(
    steps: Sequence[StepInOrder],
    done: Collection[int],
    open_modules: Collection[int],
    step_id: int,
) -> StepRefusal | None:
    """None when `step_id` may be done now; `steps`: the version's, in order."""
    position = next((n for n, step in enumerate(steps) if step.step_id == step_id), None)
    if position is None:
        return StepRefusal.NOT_IN_PROGRAM
    if step_id in done:
        return StepRefusal.ALREADY_COMPLETED
    if steps[position].module_id not in open_modules:
        return StepRefusal.MODULE_NOT_OPEN
    if any(step.step_id not in done for step in steps[:position]):
        return StepRefusal.OUT_OF_ORDER
    return None


def next_step(steps: Sequence[StepInOrder], done: Collection[int]) -> int | None:
    return next((step.step_id for step in steps if step.step_id not in done), None)
