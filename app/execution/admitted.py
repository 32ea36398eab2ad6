"""An operation the guard let through (app/guard/gate.py), as execution receives it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from graphql import DocumentNode, OperationDefinitionNode
from graphql.execution.values import VariableValues

from app.data.records import Viewer


class Budget(Protocol):
    """The rate budget left after this operation's cost (app/guard/rate_limits.py's status)."""

    def as_extension(self) -> dict[str, Any]: ...


# For an Admitted kept while its variables are not needed (a subscription's, for hours).
NO_VARIABLES = VariableValues({}, {})


@dataclass(frozen=True)
class Admitted:
    """An operation that passed the gate: what runs, what it costs, what budget is left."""

    text: str
    label: str  # for metrics: the trusted document's name, or "adhoc"
    principal_key: str  # who asked (Asker.key), for the idempotency keys of mutations
    document: DocumentNode
    operation: OperationDefinitionNode
    # Coerced once, by the gate (app/guard/variables.py): execution is built with them.
    variables: VariableValues
    cost: int
    max_cost: int
    throttle: Budget | None
    # The citizen asking, with their children, when the rate limit's spend read them too
    # (app/guard/rate_limits.py): the request's viewer loader starts from them.
    viewer: Viewer | None = None

    def extensions(self) -> dict[str, Any]:
        cost: dict[str, Any] = {"requestedQueryCost": self.cost, "maximumCost": self.max_cost}
        if self.throttle is not None:
            cost["throttleStatus"] = self.throttle.as_extension()
        return {"cost": cost}
