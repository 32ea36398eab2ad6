"""The order a program's steps are done in (app/domain/programs.py, R-191)."""

from __future__ import annotations

from app.domain.programs import StepInOrder, StepRefusal, next_step, step_refusal

# Two modules: steps 1 and 2 in module 10, step 3 in module 20.
STEPS = [StepInOrder(1, 10), StepInOrder(2, 10), StepInOrder(3, 20)]


def test_steps_are_done_in_order_in_open_modules_once() -> None:
    assert step_refusal(STEPS, set(), {10}, 1) is None
    assert step_refusal(STEPS, set(), {10}, 2) is StepRefusal.OUT_OF_ORDER
    assert step_refusal(STEPS, {1}, {10}, 1) is StepRefusal.ALREADY_COMPLETED
    assert step_refusal(STEPS, {1, 2}, {10}, 3) is StepRefusal.MODULE_NOT_OPEN
    assert step_refusal(STEPS, {1, 2}, {10, 20}, 3) is None
    assert step_refusal(STEPS, {1}, {10, 20}, 3) is StepRefusal.OUT_OF_ORDER
    assert step_refusal(STEPS, set(), {10}, 99) is StepRefusal.NOT_IN_PROGRAM


def test_the_next_step_is_the_first_not_done() -> None:
    assert next_step(STEPS, set()) == 1
    assert next_step(STEPS, {1, 2}) == 3  # waiting for the therapist to open its module
    assert next_step(STEPS, {1, 2, 3}) is None
