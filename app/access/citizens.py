"""The gate between a request and a person's data: loads the facts, asks auth.policy.

Refusals and missing rows are the same None (R-22): callers answer both alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.data.records import CitizenRecord, GuardianshipRecord, Viewer
from app.domain.errors import unauthenticated
from app.domain.identifiers import Personnummer
from auth.policy import (
    AgeLimits,
    Capability,
    GuardianshipFacts,
    PersonFacts,
    Relation,
    may_access,
    may_log_in,
    may_represent,
)
from auth.principal import CitizenLogin, Principal
from loaders.factories import already_loaded
from loaders.registry import Loaders


def person_facts(citizen: CitizenRecord) -> PersonFacts:
    return PersonFacts(
        citizen_id=citizen.id,
        birth_date=citizen.birth_date,
        protected_identity=citizen.protected_identity,
        deceased=citizen.deceased,
        coordination_number=Personnummer(citizen.personnummer).is_coordination_number,
    )


def guardianship_facts(guardianship: GuardianshipRecord) -> GuardianshipFacts:
    return GuardianshipFacts(
        guardian_id=guardianship.guardian_id,
        child_id=guardianship.child_id,
        blocked=guardianship.blocked,
    )


@dataclass(frozen=True, slots=True)
class Subject:
    """A person whose data the viewer may use now, and how they are related."""

    citizen: CitizenRecord
    relation: Relation

    @property
    def id(self) -> int:
        return self.citizen.id


class AccessGate:
    def __init__(
        self, principal: Principal, loaders: Loaders, today: date, limits: AgeLimits
    ) -> None:
        self._principal = principal
        self._loaders = loaders
        self.today = today
        self.limits = limits
        # What this request found, asked again by each field that reads a person's data (a
        # page of samples asks for its offers and its orders): the viewer, read by the loader
        # anyway, and each answer of `subject`. Nothing here changes within a request.
        self._admitted: Viewer | None = None
        self._subjects: dict[tuple[int, Capability], Subject | None] = {}

    @property
    def authenticated(self) -> bool:
        return isinstance(self._principal, CitizenLogin)

    async def viewer(self) -> CitizenRecord:
        """The logged-in citizen; UNAUTHENTICATED for anyone else (R-35/R-36, R-46)."""
        return (await self._logged_in()).citizen

    def known_viewer(self) -> Viewer | None:
        """The logged-in citizen if this request has read them already (nothing is read
        here): for what is noted after the answer, such as the usage statistics' region."""
        if not isinstance(self._principal, CitizenLogin):
            return None
        return already_loaded(self._loaders.viewer, self._principal.personnummer)

    async def _logged_in(self) -> Viewer:
        """The viewer with the children they are guardian of, read in one statement."""
        if self._admitted is not None:
            return self._admitted
        if not isinstance(self._principal, CitizenLogin):
            raise unauthenticated()
        viewer = await self._loaders.viewer.load(self._principal.personnummer)
        if viewer is None or not may_log_in(person_facts(viewer.citizen)):
            raise unauthenticated()
        self._admitted = viewer
        return viewer

    async def represented(self) -> list[CitizenRecord]:
        """R-01..R-30: the children the viewer may act for today, in a stable order."""
        viewer = await self._logged_in()
        guardian = person_facts(viewer.citizen)
        return [
            child
            for guardianship, child in viewer.children
            if may_represent(
                guardian,
                person_facts(child),
                guardianship_facts(guardianship),
                self.today,
                self.limits,
            )
        ]

    async def subject(self, citizen_id: int, capability: Capability) -> Subject | None:
        """The subject when the viewer may use `capability` on their data, else None."""
        key = (citizen_id, capability)
        if key in self._subjects:
            return self._subjects[key]
        found = self._subjects[key] = await self._subject(citizen_id, capability)
        return found

    async def _subject(self, citizen_id: int, capability: Capability) -> Subject | None:
        viewer = await self.viewer()
        if citizen_id == viewer.id:
            relation = Relation.SELF
            subject = viewer
        else:
            children = {child.id: child for child in await self.represented()}
            if citizen_id not in children:
                return None
            relation, subject = Relation.GUARDIAN, children[citizen_id]
        if not may_access(relation, capability, person_facts(subject), self.today, self.limits):
            return None
        return Subject(subject, relation)
