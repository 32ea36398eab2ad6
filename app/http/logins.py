"""Who may log in at all (R-35, R-36, R-03): a verified citizen token is refused when the
population register does not know its person, or auth.policy.may_log_in says no (deceased).

Checked before the gate with the read the operation needs anyway, the viewer with their
children (People.viewers), which the request's loader then starts from. A person found
admitted is not read again for a minute: the operations that show their data read them anyway
and check again (app/access/citizens.py), so the minute only spares the public ones (clinic search)
a read, as auth/tokens.VerifiedTokens spares the signature check.

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
        if not isinstance(principal, CitizenLogin):
            return None
        number = principal.personnummer
        if self._admitted.get(number, 0.0) > self._clock():
            return None
        viewer = (await self._people.viewers([number]))[0]
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
