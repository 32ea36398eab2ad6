"""Stable error codes. Expected failures are data (userErrors); the rest are GraphQL errors."""

from __future__ import annotations

from enum import StrEnum

from graphql import GraphQLError


class UserErrorCode(StrEnum):
    """Codes of the `userErrors` of mutations; clients switch on these, so never rename one."""

    NOT_FOUND = "NOT_FOUND"  # also for "not yours": R-22, the two answer alike
    INVALID_INPUT = "INVALID_INPUT"
    TOO_LONG = "TOO_LONG"
    CONTROL_CHARACTERS = "CONTROL_CHARACTERS"
    REQUIRED = "REQUIRED"
    SLOT_TAKEN = "SLOT_TAKEN"
    SLOT_IN_PAST = "SLOT_IN_PAST"
    SLOT_NOT_COMPATIBLE = "SLOT_NOT_COMPATIBLE"
    ONLINE_BOOKING_UNAVAILABLE = "ONLINE_BOOKING_UNAVAILABLE"
    NAME_MISSING = "NAME_MISSING"
    BOOKING_NOT_ACTIVE = "BOOKING_NOT_ACTIVE"
    BOOKING_IN_PAST = "BOOKING_IN_PAST"
    CANCELLATION_NOT_ALLOWED = "CANCELLATION_NOT_ALLOWED"
    REBOOKING_NOT_ALLOWED = "REBOOKING_NOT_ALLOWED"
    MESSAGE_NOT_ALLOWED = "MESSAGE_NOT_ALLOWED"
    ERRAND_TYPE_UNAVAILABLE = "ERRAND_TYPE_UNAVAILABLE"
    NOT_OPEN_TO_GUARDIANS = "NOT_OPEN_TO_GUARDIANS"
    ERRAND_CLOSED = "ERRAND_CLOSED"
    INVALID_ANSWER = "INVALID_ANSWER"
    UNKNOWN_QUESTION = "UNKNOWN_QUESTION"
    DUPLICATE_ANSWER = "DUPLICATE_ANSWER"
    ALREADY_SUBMITTED = "ALREADY_SUBMITTED"
    ALREADY_SENT = "ALREADY_SENT"
    RECIPIENT_NOT_AVAILABLE = "RECIPIENT_NOT_AVAILABLE"
    INVALID_TRANSITION = "INVALID_TRANSITION"
    INVALID_TIME = "INVALID_TIME"
    OVERLAPPING_SLOT = "OVERLAPPING_SLOT"
    INVALID_QUESTION = "INVALID_QUESTION"
    FORM_NOT_AVAILABLE = "FORM_NOT_AVAILABLE"
    TOO_MANY = "TOO_MANY"


class ErrorCode(StrEnum):
    """Codes in `errors[].extensions.code` of GraphQL errors."""

    UNAUTHENTICATED = "UNAUTHENTICATED"
    FORBIDDEN = "FORBIDDEN"
    NOT_FOUND = "NOT_FOUND"
    BAD_USER_INPUT = "BAD_USER_INPUT"
    GRAPHQL_VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED"
    AUDIT_UNAVAILABLE = "AUDIT_UNAVAILABLE"
    INTERNAL_SERVER_ERROR = "INTERNAL_SERVER_ERROR"


class ApiError(GraphQLError):
    """An expected GraphQL error with a stable code; never masked."""

    def __init__(self, code: ErrorCode, message: str) -> None:
        super().__init__(message, extensions={"code": code.value})
        self.code = code


def unauthenticated() -> ApiError:
    return ApiError(ErrorCode.UNAUTHENTICATED, "Log in with e-ID to use this field.")


def bad_input(message: str) -> ApiError:
    return ApiError(ErrorCode.BAD_USER_INPUT, message)
