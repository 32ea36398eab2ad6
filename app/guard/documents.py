"""Parsing and validating documents, each cached: the same text is parsed and validated once.

Both caches are bounded, so unique texts cannot grow memory; trusted documents stay hot.
"""

from __future__ import annotations

from functools import lru_cache

from graphql import (
    DocumentNode,
    GraphQLError,
    GraphQLSchema,
    OperationDefinitionNode,
    parse,
    specified_rules,
    validate,
)
from graphql.validation import NoSchemaIntrospectionCustomRule
from strawberry.schema.validation_rules.maybe_null import MaybeNullValidationRule
from strawberry.schema.validation_rules.one_of import OneOfInputValidationRule

from app.domain.errors import ErrorCode
from app.guard.refusal import Refusal, request_error
from app.guard.shape import Shape, shape_of
from app.guard.variables import Signatures, signatures_of

CACHE_SIZE = 512
_TOO_MANY_TOKENS = "Syntax Error: Document contains more than"
_TOO_DEEP = "Syntax Error: Document is nested too deeply"


# Strawberry's own rules (Maybe, @oneOf), as its validate_document adds them to graphql's.
STRAWBERRY_RULES = (MaybeNullValidationRule, OneOfInputValidationRule)


class DocumentCache:
    def __init__(self, schema: GraphQLSchema, max_tokens: int, max_errors: int) -> None:
        self._schema = schema
        self._max_tokens = max_tokens
        self._max_errors = max_errors
        self.parse = lru_cache(maxsize=CACHE_SIZE)(self._parse)
        self.validate = lru_cache(maxsize=CACHE_SIZE)(self._validate)
        self.shape = lru_cache(maxsize=CACHE_SIZE)(self._shape)
        self.signatures = lru_cache(maxsize=CACHE_SIZE)(self._signatures)

    def _parse(self, text: str) -> DocumentNode:
        """The document, or a Refusal (raised, so lru_cache keeps only good documents)."""
        try:
            return parse(text, no_location=False, max_tokens=self._max_tokens)
        except GraphQLError as error:
            raise _parse_refusal(error) from None

    def _validate(self, text: str, may_explore: bool) -> tuple[GraphQLError, ...]:
        explore = () if may_explore else (NoSchemaIntrospectionCustomRule,)
        rules = (*specified_rules, *STRAWBERRY_RULES, *explore)
        document = self.parse(text)
        return tuple(validate(self._schema, document, rules, max_errors=self._max_errors))

    def _shape(self, text: str, operation_name: str | None) -> Shape:
        """The shape of one operation of a (parsed) document: measuring it walks every node,
        which costs more than running a small operation."""
        document = self.parse(text)
        return shape_of(document, _operation_of(document, operation_name))

    def _signatures(self, text: str, operation_name: str | None) -> Signatures:
        """One operation's variable signatures (app/guard/variables.py): each variable's type
        looked up from the document, once rather than on every request."""
        operation = _operation_of(self.parse(text), operation_name)
        return signatures_of(self._schema, operation)


def _operation_of(document: DocumentNode, operation_name: str | None) -> OperationDefinitionNode:
    return next(
        d
        for d in document.definitions
        if isinstance(d, OperationDefinitionNode)
        and (operation_name is None or (d.name is not None and d.name.value == operation_name))
    )


def _parse_refusal(error: GraphQLError) -> Refusal:
    if error.message.startswith(_TOO_MANY_TOKENS):
        return request_error(
            ErrorCode.TOO_MANY_TOKENS, error.message.removeprefix("Syntax Error: ")
        )
    if error.message.startswith(_TOO_DEEP):
        return request_error(ErrorCode.TOO_DEEP, "The document is nested too deeply.")
    return Refusal(
        400, ErrorCode.GRAPHQL_PARSE_FAILED, error.message, request_error=True, causes=[error]
    )
