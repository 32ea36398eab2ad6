"""Stable error codes. Expected failures are data (userErrors); the rest are GraphQL errors."""

from __future__ import annotations

from enum import StrEnum

from graphql import GraphQLError


class UserErrorCode(StrEnum):
    """Codes of the `userErrors` of mutations; clients switch on these, so never rename one."""

    NOT_FOUND = "NOT_FOUND"  # also for "not yours": R-22, the two answer alike
    FORBIDDEN = "FORBIDDEN"  # staff at their own clinic, without the role this needs
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
    REPLY_NOT_ALLOWED = "REPLY_NOT_ALLOWED"  # a message that cannot be answered
    INBOX_UNAVAILABLE = "INBOX_UNAVAILABLE"  # the clinic's region does not offer the inbox
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
    MANAGED_BY_REGIONAL_SYSTEM = "MANAGED_BY_REGIONAL_SYSTEM"  # changed there, not through us
    IDEMPOTENCY_KEY_REUSED = "IDEMPOTENCY_KEY_REUSED"  # the key already made another booking
    SOURCE_UNAVAILABLE = "SOURCE_UNAVAILABLE"  # the region's system failed: nothing was done
    SOURCE_TIMEOUT = "SOURCE_TIMEOUT"  # no answer in time: retry with the same idempotency key
    RENEWAL_NOT_OFFERED = "RENEWAL_NOT_OFFERED"  # the clinic renews nothing from the list
    MEDICATION_LIST_NOT_OPEN = "MEDICATION_LIST_NOT_OPEN"  # 13-17: ask in an errand
    NOT_RENEWABLE_HERE = "NOT_RENEWABLE_HERE"  # prescribed elsewhere, or after a visit
    LISTING_NOT_OFFERED = "LISTING_NOT_OFFERED"  # a region without LISTING
    NOT_LISTABLE = "NOT_LISTABLE"  # the centre takes no listings
    QUEUE_CONSENT_REQUIRED = "QUEUE_CONSENT_REQUIRED"  # a full centre: joinQueue
    TOO_MANY_CHANGES = "TOO_MANY_CHANGES"  # two changes in twelve months already
    ALREADY_LISTED_THERE = "ALREADY_LISTED_THERE"
    CHANGE_PENDING = "CHANGE_PENDING"  # a change waits for the region already
    ALREADY_DECIDED = "ALREADY_DECIDED"  # the request was decided meanwhile
    SAMPLE_HANDLING_UNAVAILABLE = "SAMPLE_HANDLING_UNAVAILABLE"  # the clinic's region: a padlock
    OFFER_EXPIRED = "OFFER_EXPIRED"  # ordered after the offer's last day
    ORDER_LIMIT_REACHED = "ORDER_LIMIT_REACHED"  # the offer's orders are used up
    BELOW_AGE_LIMIT = "BELOW_AGE_LIMIT"  # younger than the offer allows
    LOCATION_NOT_OFFERED = "LOCATION_NOT_OFFERED"  # a place the offer does not name
    ORDER_EXPIRED = "ORDER_EXPIRED"  # the order's window closed before the sample
    COMPLAINTS_UNAVAILABLE = "COMPLAINTS_UNAVAILABLE"  # the region has no patient board
    NO_ANSWER_POSSIBLE = "NO_ANSWER_POSSIBLE"  # anonymous: no one to answer
    PROGRAMS_UNAVAILABLE = "PROGRAMS_UNAVAILABLE"  # the clinic's region: a padlock
    ALREADY_ENROLLED = "ALREADY_ENROLLED"  # in the program already
    STEP_OUT_OF_ORDER = "STEP_OUT_OF_ORDER"  # an earlier step is not done
    STEP_ALREADY_COMPLETED = "STEP_ALREADY_COMPLETED"
    MODULE_NOT_OPEN = "MODULE_NOT_OPEN"  # the therapist has not opened it
    ENROLMENT_NOT_ACTIVE = "ENROLMENT_NOT_ACTIVE"  # done or ended
    HANDOFF_UNAVAILABLE = "HANDOFF_UNAVAILABLE"  # no hand-off key configured (production)
    OFFER_TAKEN = "OFFER_TAKEN"  # another watcher took the earlier time first


class ErrorCode(StrEnum):
    """Codes in `errors[].extensions.code` of GraphQL errors."""

    UNAUTHENTICATED = "UNAUTHENTICATED"
    FORBIDDEN = "FORBIDDEN"
    NOT_FOUND = "NOT_FOUND"
    BAD_USER_INPUT = "BAD_USER_INPUT"
    GRAPHQL_VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED"
    AUDIT_UNAVAILABLE = "AUDIT_UNAVAILABLE"
    SOURCE_UNAVAILABLE = "SOURCE_UNAVAILABLE"  # a region's system failed or answered garbage
    SOURCE_TIMEOUT = "SOURCE_TIMEOUT"  # a region's system did not answer in time
    INTERNAL_SERVER_ERROR = "INTERNAL_SERVER_ERROR"
    # Refused before any resolver ran (app/guard, app/http): nothing was read or written.
    BAD_REQUEST = "BAD_REQUEST"  # not a GraphQL-over-HTTP request (body, parameters)
    GRAPHQL_PARSE_FAILED = "GRAPHQL_PARSE_FAILED"
    OPERATION_RESOLUTION_FAILED = "OPERATION_RESOLUTION_FAILED"  # operationName fits no operation
    TRUSTED_DOCUMENT_NOT_FOUND = "TRUSTED_DOCUMENT_NOT_FOUND"
    TRUSTED_DOCUMENT_MISMATCH = "TRUSTED_DOCUMENT_MISMATCH"  # text and documentId differ
    TRUSTED_DOCUMENT_REQUIRED = "TRUSTED_DOCUMENT_REQUIRED"
    PERSISTED_QUERY_NOT_FOUND = "PERSISTED_QUERY_NOT_FOUND"  # Apollo's code: it sends the text
    DOCUMENT_TOO_LARGE = "DOCUMENT_TOO_LARGE"
    TOO_MANY_TOKENS = "TOO_MANY_TOKENS"
    TOO_DEEP = "TOO_DEEP"
    TOO_MANY_ALIASES = "TOO_MANY_ALIASES"
    TOO_MANY_ROOT_FIELDS = "TOO_MANY_ROOT_FIELDS"
    TOO_MANY_DIRECTIVES = "TOO_MANY_DIRECTIVES"
    REPEATED_DIRECTIVE = "REPEATED_DIRECTIVE"  # none of ours is repeatable (before validation)
    TOO_MANY_SELECTIONS = "TOO_MANY_SELECTIONS"
    TOO_COSTLY = "TOO_COSTLY"
    RATE_LIMITED = "RATE_LIMITED"
    SUBSCRIPTION_LIMIT = "SUBSCRIPTION_LIMIT"  # over the subscriptions a citizen or process has
    METHOD_NOT_ALLOWED = "METHOD_NOT_ALLOWED"
    PREFLIGHT_HEADER_REQUIRED = "PREFLIGHT_HEADER_REQUIRED"  # a GET without it could be CSRF
    UNSUPPORTED_MEDIA_TYPE = "UNSUPPORTED_MEDIA_TYPE"
    NOT_ACCEPTABLE = "NOT_ACCEPTABLE"
    BODY_TOO_LARGE = "BODY_TOO_LARGE"
    OPERATION_TIMEOUT = "OPERATION_TIMEOUT"
    SERVICE_UNAVAILABLE = "SERVICE_UNAVAILABLE"  # the database cannot be reached: retry later


class ApiError(GraphQLError):
    """An expected GraphQL error with a stable code; never masked."""

    def __init__(self, code: ErrorCode, message: str, **details: object) -> None:
        super().__init__(message, extensions={"code": code.value, **details})
        self.code = code


def unauthenticated() -> ApiError:
    return ApiError(ErrorCode.UNAUTHENTICATED, "Log in to use this field.")  # whoever asks


def bad_input(message: str) -> ApiError:
    return ApiError(ErrorCode.BAD_USER_INPUT, message)
