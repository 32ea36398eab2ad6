"""The limits every GraphQL operation is held to, and the rate budgets of principals.

All of them are checked before any resolver runs. Defaults are set so that every document of
the client contract fits with room to spare (tests/graphql/test_operation_limits.py measures
them); docs/security.md compares them with GitHub, Shopify, Apollo Router and GraphQL Armor.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class OperationLimits(BaseModel):
    model_config = ConfigDict(frozen=True)

    max_body_bytes: int = Field(default=65_536, ge=1024, le=10_485_760)
    max_document_bytes: int = Field(default=16_384, ge=256, le=1_048_576)
    max_tokens: int = Field(default=1_000, ge=50, le=100_000)
    max_depth: int = Field(default=10, ge=2, le=50)
    # Fields at every level, fragments expanded. graphql-core's overlapping-fields rule compares
    # same-named fields pairwise: 450 selections took 0.45 s of validation, 200 take ~0.05 s.
    max_selections: int = Field(default=200, ge=10, le=100_000)
    max_aliases: int = Field(default=15, ge=0, le=1_000)
    max_root_fields: int = Field(default=10, ge=1, le=1_000)
    max_directives: int = Field(default=20, ge=0, le=1_000)
    # Errors in the answer to an invalid document (graphql-core stops validating after them):
    # a document of many faults costs the same as one of a few, to check and to answer.
    max_validation_errors: int = Field(default=5, ge=1, le=100)
    # Static cost (see app/guard/cost.py): what one operation may cost at most.
    max_cost: int = Field(default=2_000, ge=10, le=1_000_000)
    mutation_cost: int = Field(default=10, ge=0, le=1_000)
    assumed_list_size: int = Field(default=10, ge=1, le=1_000)  # lists without `first`
    timeout_seconds: float = Field(default=10.0, gt=0, le=120)


class RateLimits(BaseModel):
    """A bucket of cost points per principal (and per client address for anonymous requests),
    refilled continuously: a session's first burst fits, sustained abuse runs dry."""

    model_config = ConfigDict(frozen=True)

    enabled: bool = True
    capacity: int = Field(default=10_000, ge=10, le=10_000_000)
    restore_per_second: float = Field(default=200.0, gt=0, le=1_000_000)
    # Anonymous callers only search clinics, but many share one address (mobile carriers' NAT).
    anonymous_capacity: int = Field(default=20_000, ge=10, le=10_000_000)
    anonymous_restore_per_second: float = Field(default=500.0, gt=0, le=1_000_000)
    # Anonymous complaints per client address and hour, besides the points above.
    anonymous_complaints: int = Field(default=10, ge=1, le=10_000)
    # Hand-off redemptions per regional service: a burst, then so many a second.
    handoff_redemptions_burst: int = Field(default=60, ge=1, le=100_000)
    handoff_redemptions_per_second: float = Field(default=10.0, gt=0, le=10_000)


class SubscriptionLimits(BaseModel):
    """GraphQL subscriptions over WebSocket (app/http/subscriptions.py): how many, and the
    connection's timers."""

    model_config = ConfigDict(frozen=True)

    per_connection: int = Field(default=10, ge=1, le=1_000)
    per_citizen: int = Field(default=20, ge=1, le=10_000)
    per_process: int = Field(default=10_000, ge=1, le=1_000_000)
    # Logins at connection_init and subscriptions' first checks (the reader's right, read and
    # logged) that run at once; the rest wait before them. After a deploy every app
    # reconnects together: 2,000 checks under way at once, each with its context and reads,
    # left the process 9 KiB a subscription larger for good (docs/performance-history.md,
    # sessions 23 and 34). Twice a database pool keeps it busy.
    setting_up_at_once: int = Field(default=20, ge=1, le=10_000)
    ping_seconds: float = Field(default=20.0, gt=0, le=3_600)
    init_seconds: float = Field(default=5.0, gt=0, le=60)
