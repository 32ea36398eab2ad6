"""A keyed hash standing for a principal in our own bookkeeping (rate-limit buckets,
idempotency keys): stable per person, and no personnummer, HSA-id or address in the table."""

from __future__ import annotations

import hashlib

from auth.principal import CareSystemLogin, CitizenLogin, Principal, StaffLogin


def principal_key(principal: Principal, secret: bytes, client_address: str = "-") -> str:
    """48 hex digits; anonymous callers are told apart by their address only."""
    if isinstance(principal, CitizenLogin):
        subject = f"citizen:{principal.personnummer}"
    elif isinstance(principal, StaffLogin):
        subject = f"staff:{principal.hsa_id}"
    elif isinstance(principal, CareSystemLogin):
        subject = f"care-system:{principal.issuer}:{principal.client_id}"
    else:
        subject = f"address:{client_address}"
    return hashlib.blake2b(subject.encode(), key=secret[:64], digest_size=24).hexdigest()
