"""Who may log in at all (R-35, R-36, R-03): a verified citizen token is refused when the
population register does not know its person, or auth.policy.may_log_in says no (deceased).

Checked with the read the operation needs anyway, the viewer with their children
(People.viewers), which the request's loader then starts from: on PostgreSQL the one the rate
limit's spend makes with its upsert (app/guard/rate_limits.py), so a login's check costs no
statement of its own; elsewhere, and for a personnummer the spend found nobody for, read here.
A person found admitted is not checked again for a minute: the operations that show their data
read them anyway and check again (app/access/citizens.py), so the minute only spares the public
ones (clinic search) a read, as auth/tokens.VerifiedTokens spares the signature check.

A samordningsnummer rarely gets this far: auth/tokens.py refuses it with the token.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable

from app.access.citizens import person_facts
from app.data.records import Viewer
from app.data.store.people import People
from auth.policy import may_log_in
from auth.principal import CitizenLogin, Principal


class LoginRefused(Exception):
    """A token of someone who may not log in: answered like any bad token (R-22), the reason
    for the log only."""


class LoginChecks:
    def __init__(
        self,
        people: People,
        *,
        seconds: float = 60.0,
        size: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._people = people
        self._seconds = seconds
        self._size = size
        self._clock = clock
        self._admitted: OrderedDict[str, float] = OrderedDict()  # personnummer -> until

    async def viewer_of(self, principal: Principal) -> Viewer | None:
        """The logged-in citizen with their children when they were read for the check; None
        for staff, anonymous callers and citizens admitted a moment ago."""
        number = self.due(principal)
        return None if number is None else await self.check(number, None)

    def due(self, principal: Principal) -> str | None:
        """The personnummer of a citizen whose login is to be checked now: not admitted within
        the minute. None for staff, anonymous callers and citizens admitted a moment ago."""
        if not isinstance(principal, CitizenLogin):
            return None
        number = principal.personnummer
        return None if self._admitted.get(number, 0.0) > self._clock() else number

    async def check(self, number: str, read: Viewer | None) -> Viewer:
        """The citizen `number`, admitted for the minute, or LoginRefused. `read`: the viewer as
        the request read them already (with the spend), None where it did not (or found no
        one): then they are read here."""
        viewer = read if read is not None else (await self._people.viewers([number]))[0]
        if viewer is None:
            raise LoginRefused("personnummer not in the population register (R-03)")
        if not may_log_in(person_facts(viewer.citizen)):
            raise LoginRefused("may not log in: deceased or samordningsnummer (R-35, R-36)")
        self._admit(number)
        return viewer

    def _admit(self, number: str) -> None:
        self._admitted[number] = self._clock() + self._seconds
        self._admitted.move_to_end(number)
        if len(self._admitted) > self._size:
            self._admitted.popitem(last=False)
