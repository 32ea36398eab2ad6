"""Who is calling: the outcome of authentication, before any database lookup."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class CitizenLogin:
    """A citizen authenticated with e-ID; `personnummer` is the 12-digit form."""

    personnummer: str
    issuer: str
    # The token's `iat`: one login's requests share it, what usage statistics count logins by
    # . Not part of who the principal is.
    logged_in_at: int | None = field(default=None, compare=False)

    def __repr__(self) -> str:
        return f"CitizenLogin(issuer={self.issuer!r})"  # never print the personnummer


@dataclass(frozen=True, slots=True)
class StaffLogin:
    """A care worker authenticated with SITHS; `hsa_id` is their HSA-id (R-71)."""

    hsa_id: str
    issuer: str


@dataclass(frozen=True, slots=True)
class CareSystemLogin:
    """A care system sending through the API (the national AddMessage contract's role, R-100):
    a client-credentials token of its own issuer and audience, for the care units (HSA-ids)
    it may send for. No person: it reads nothing and acts for no one."""

    client_id: str
    care_units: frozenset[str]
    issuer: str


@dataclass(frozen=True, slots=True)
class Anonymous:
    pass


Authenticated = CitizenLogin | StaffLogin | CareSystemLogin
Principal = Authenticated | Anonymous
