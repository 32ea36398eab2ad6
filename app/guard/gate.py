"""The gate every operation passes before any resolver runs, in order of what is cheapest:

resolve the document (text or trusted id; citizens in production: trusted only) -> size ->
parse (cached; token limit) -> pick the operation (no mutations over GET) -> shape limits
(depth, aliases, root fields, directives; fragments expanded) -> validate (cached; no
introspection or suggestions unless the principal may explore) -> static cost against the
per-operation maximum -> spend the cost from the principal's rate-limit bucket.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Protocol

from graphql import (
    DocumentNode,
    GraphQLError,
    GraphQLSchema,
    OperationDefinitionNode,
    OperationType,
)
from graphql.execution.values import VariableValues
from graphql.utilities import get_operation_ast

from app.domain.errors import ErrorCode
from app.execution.admitted import Admitted
from app.execution.exploration import may_explore_as, without_suggestions
from app.execution.graphql_errors import without_values
from app.guard.cost import cost_of
from app.guard.documents import CACHE_SIZE, DocumentCache
from app.guard.graphql_request import GraphQLRequest
from app.guard.limits import OperationLimits
from app.guard.principal_keys import principal_key
from app.guard.rate_limits import RateLimiter
from app.guard.refusal import Refusal, over_limit, request_error
from app.guard.shape import Shape
from app.guard.trusted_documents import ID_PREFIX, TrustedDocument, TrustedDocuments, document_id
from app.guard.variables import coerce_variables
from auth.principal import Anonymous, CareSystemLogin, Principal, StaffLogin


@dataclass(frozen=True)
class Asker:
    principal: Principal
    key: str  # principal_key(): the principal (or address) in rate limits and idempotency
    may_explore: bool  # introspection and suggestions (staff, or development)
    trusted_only: bool  # citizens and anonymous callers in production


class OperationGate:
    def __init__(
        self,
        schema: GraphQLSchema,
        limits: OperationLimits,
        trusted: TrustedDocuments,
        rate_limiter: RateLimiter | None,
    ) -> None:
        self._schema = schema
        self._limits = limits
        self._trusted = trusted
        self._rate_limiter = rate_limiter
        self._documents = DocumentCache(schema, limits.max_tokens, limits.max_validation_errors)
        self._costs: dict[tuple[str, str | None, tuple[tuple[str, Any], ...]], int] = {}

    async def admit(
        self, request: GraphQLRequest, asker: Asker, *, viewer_of: str | None = None
    ) -> Admitted:
        """`viewer_of`: a citizen's personnummer, to read them (and their children) with the
        spend (RateLimiter.spend_reading_viewer): Admitted.viewer."""
        text, trusted = self._text(request, asker)
        self._check_size(text)
        document = self._documents.parse(text)
        operation = self._operation(document, request)
        name = operation.name.value if operation.name else None
        shape = self._documents.shape(text, name)
        self._check_shape(shape)
        self._check_valid(text, asker)
        variables = self._variables(text, name, operation, request.variables)
        cost = self._cost(text, document, operation, variables.coerced, shape.fields)
        label = trusted.label if trusted else "adhoc"
        admitted = Admitted(
            text,
            label,
            asker.key,
            document,
            operation,
            variables,
            cost,
            self._limits.max_cost,
            None,
        )
        self._check_cost(admitted)
        return await self._spend(admitted, asker, viewer_of)

    def _cost(
        self,
        text: str,
        document: DocumentNode,
        operation: OperationDefinitionNode,
        variables: dict[str, Any],
        root_fields: int,
    ) -> int:
        """cost_of, remembered: an operation's cost depends on its document, its numbers
        (page sizes) and the length of its lists (ids) alone (app/guard/cost.py), and the
        clients send the same few documents with the same page sizes over and over. Other
        values (ids, text: possibly personal) are not kept."""
        sizes = tuple((name, _size(value)) for name, value in variables.items())
        key = (text, operation.name.value if operation.name else None, sizes)
        cost = self._costs.get(key)
        if cost is None:
            cost = cost_of(self._schema, document, operation, variables, self._limits, root_fields)
            if len(self._costs) >= CACHE_SIZE:
                self._costs.clear()  # rarely: only many ad hoc documents fill it
            self._costs[key] = cost
        return cost

    def _check_size(self, text: str) -> None:
        size, limit = len(text.encode()), self._limits.max_document_bytes
        if size > limit:
            raise over_limit(ErrorCode.DOCUMENT_TOO_LARGE, "bytes in the document", limit, size)

    def _check_valid(self, text: str, asker: Asker) -> None:
        errors = self._documents.validate(text, asker.may_explore)
        if errors:
            raise Refusal(
                400,
                ErrorCode.GRAPHQL_VALIDATION_FAILED,
                "The document is not valid.",
                request_error=True,
                causes=[
                    error
                    if asker.may_explore
                    else GraphQLError(without_suggestions(error.message), error.nodes)
                    for error in errors
                ],
            )

    def _check_cost(self, admitted: Admitted) -> None:
        if admitted.cost > admitted.max_cost:
            raise Refusal(
                400,
                ErrorCode.TOO_COSTLY,
                f"The operation costs {admitted.cost}; one operation may cost "
                f"{admitted.max_cost}. Ask for fewer items (first) or fewer fields.",
                request_error=True,
                extensions=admitted.extensions(),
            )

    def _text(self, request: GraphQLRequest, asker: Asker) -> tuple[str, TrustedDocument | None]:
        """The text to run, and the trusted document it is (None: the client's own)."""
        if request.persisted_hash is not None:
            found = self._persisted(request)
            if found is not None:
                return found.text, found
        if request.document_id is not None:
            document = self._trusted.by_id(request.document_id)
            if document is None:
                raise Refusal(
                    400, ErrorCode.TRUSTED_DOCUMENT_NOT_FOUND, "No trusted document has this id."
                )
            if request.query is not None and document_id(request.query) != document.id:
                raise Refusal(
                    400, ErrorCode.TRUSTED_DOCUMENT_MISMATCH, "The query is not the documentId's."
                )
            return document.text, document
        assert request.query is not None  # read_graphql_request asks for one or the other
        trusted = self._trusted.of_text(request.query)
        if request.method == "GET" and trusted is None:
            raise Refusal(
                405,
                ErrorCode.METHOD_NOT_ALLOWED,
                "GET runs trusted documents only (documentId); send other queries with POST.",
                headers={"allow": "POST"},
            )
        if asker.trusted_only and trusted is None:
            raise Refusal(
                403,
                ErrorCode.TRUSTED_DOCUMENT_REQUIRED,
                "Only the trusted documents of the Vårdgraf clients may be run.",
            )
        return request.query, trusted

    def _persisted(self, request: GraphQLRequest) -> TrustedDocument | None:
        """Apollo's persisted query: the trusted document of that hash. An unknown hash with no
        text is PERSISTED_QUERY_NOT_FOUND, on which Apollo Client sends the text; the trusted
        set is the contract's and is never added to, so the text then stands on its own."""
        digest = ID_PREFIX + str(request.persisted_hash)
        document = self._trusted.by_id(digest)
        if request.query is not None and document_id(request.query) != digest:
            raise Refusal(
                400, ErrorCode.TRUSTED_DOCUMENT_MISMATCH, "The query is not the sha256Hash's."
            )
        if document is None and request.query is None:
            raise request_error(
                ErrorCode.PERSISTED_QUERY_NOT_FOUND,
                "PersistedQueryNotFound: no trusted document has this sha256Hash.",
            )
        return document

    def _operation(
        self, document: DocumentNode, request: GraphQLRequest
    ) -> OperationDefinitionNode:
        operation = get_operation_ast(document, request.operation_name)
        if operation is None:
            raise request_error(
                ErrorCode.OPERATION_RESOLUTION_FAILED,
                "Name the operation to run (operationName): it must be one in the document."
                if request.operation_name is None
                else "The document has no operation of that name.",
            )
        if operation.operation != OperationType.QUERY and request.method == "GET":
            raise Refusal(
                405,
                ErrorCode.METHOD_NOT_ALLOWED,
                "Mutations are sent with POST, never GET.",
                headers={"allow": "POST"},
            )
        return operation

    def _variables(
        self,
        text: str,
        name: str | None,
        operation: OperationDefinitionNode,
        given: dict[str, Any],
    ) -> VariableValues:
        """The variables coerced to their types, as execution takes them: a value that does
        not fit is a request error (and is not echoed: it may be a personnummer)."""
        signatures = self._documents.signatures(text, name)
        coerced = coerce_variables(self._schema, operation, signatures, given)
        if isinstance(coerced, list):
            raise request_error(
                ErrorCode.BAD_USER_INPUT, "; ".join(without_values(e.message) for e in coerced)
            )
        return coerced

    def _check_shape(self, shape: Shape) -> None:
        limits = self._limits
        for code, what, limit, actual in (
            (ErrorCode.TOO_DEEP, "levels of nesting", limits.max_depth, shape.depth),
            (ErrorCode.TOO_MANY_ALIASES, "aliases", limits.max_aliases, shape.aliases),
            (ErrorCode.TOO_MANY_ROOT_FIELDS, "root fields", limits.max_root_fields, shape.fields),
            (ErrorCode.TOO_MANY_SELECTIONS, "fields", limits.max_selections, shape.selections),
            (ErrorCode.TOO_MANY_DIRECTIVES, "directives", limits.max_directives, shape.directives),
        ):
            if actual > limit:
                raise over_limit(code, what, limit, actual)
        if shape.repeated_directives:
            # None of the schema's directives is repeatable: a pile of one at one place is an
            # attack on validation (each copy an error), refused with one error before it.
            raise request_error(
                ErrorCode.REPEATED_DIRECTIVE,
                "A directive is used more than once at one place; each may be used once there.",
            )

    async def _spend(self, admitted: Admitted, asker: Asker, viewer_of: str | None) -> Admitted:
        limiter = self._rate_limiter
        if limiter is None:
            return admitted
        if viewer_of is None:
            anonymous = isinstance(asker.principal, Anonymous)
            throttle = await limiter.spend(asker.key, anonymous, admitted.cost)
            admitted = replace(admitted, throttle=throttle)
        else:
            throttle, viewer = await limiter.spend_reading_viewer(
                asker.key, admitted.cost, viewer_of
            )
            admitted = replace(admitted, throttle=throttle, viewer=viewer)
        if not throttle.admitted:
            raise Refusal(
                429,
                ErrorCode.RATE_LIMITED,
                f"Too many requests: try again in {throttle.retry_after_seconds} s.",
                headers={"retry-after": str(throttle.retry_after_seconds)},
                extensions=admitted.extensions(),
            )
        return admitted


def _size(value: Any) -> Any:
    """What of a variable's value the cost can depend on."""
    if value is None or value.__class__ is int or value.__class__ is bool:
        return value
    return len(value) if isinstance(value, list) else ...


class AskerSettings(Protocol):
    """Of the settings (app/settings.py, read by the composition root), what the gate uses."""

    @property
    def mode(self) -> str: ...

    @property
    def require_trusted_documents(self) -> bool | None: ...


def asker_for(
    principal: Principal, client_address: str, settings: AskerSettings, secret: bytes
) -> Asker:
    required = settings.require_trusted_documents
    production = settings.mode == "production"
    # Staff and care systems are few, known and authenticated, and run their own documents
    # (the staff tool, GraphiQL, a care system's integration); citizens' apps run ours.
    organisation = isinstance(principal, StaffLogin | CareSystemLogin)
    return Asker(
        principal=principal,
        key=principal_key(principal, secret, client_address),
        may_explore=may_explore_as(principal, settings),
        trusted_only=not organisation and (production if required is None else required),
    )
