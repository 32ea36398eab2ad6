"""Parsing and validating documents, each cached: the same text is parsed and validated once.

Both caches are bounded, so unique texts cannot grow memory; trusted documents stay hot.
"""

from __future__ import annotations

from functools import lru_cache

from graphql import DocumentNode, GraphQLError, GraphQLSchema, parse, specified_rules
from graphql.validation import NoSchemaIntrospectionCustomRule
from strawberry.schema.schema import validate_document

from app.errors import ErrorCode
from app.guard.refusal import Refusal, request_error

CACHE_SIZE = 512
_TOO_MANY_TOKENS = "Syntax Error: Document contains more than"
_TOO_DEEP = "Syntax Error: Document is nested too deeply"


class DocumentCache:
    def __init__(self, schema: GraphQLSchema, max_tokens: int) -> None:
        self._schema = schema
        self._max_tokens = max_tokens
        self.parse = lru_cache(maxsize=CACHE_SIZE)(self._parse)
        self.validate = lru_cache(maxsize=CACHE_SIZE)(self._validate)

    def _parse(self, text: str) -> DocumentNode:
        """The document, or a Refusal (raised, so lru_cache keeps only good documents)."""
        try:
            return parse(text, no_location=False, max_tokens=self._max_tokens)
        except GraphQLError as error:
            raise _parse_refusal(error) from None

    def _validate(self, text: str, may_explore: bool) -> tuple[GraphQLError, ...]:
        # Strawberry's validate_document adds its own rules (@oneOf, Maybe) to graphql's.
        rules = (*specified_rules, *(() if may_explore else (NoSchemaIntrospectionCustomRule,)))
        return tuple(validate_document(self._schema, self.parse(text), rules))


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
