"""Citizens with valid generated personnummer, and the families the proxy rules need."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from app.data.models import Citizen, Guardianship
from app.domain.clock import add_years
from app.domain.identifiers import with_check_digit
from app.domain.keys import pk
from seeds.catalogue import REGIONS

GIVEN = [
    "Anna",
    "Erik",
    "Maria",
    "Lars",
    "Karin",
    "Johan",
    "Sara",
    "Per",
    "Emma",
    "Olof",
    "Ida",
    "Nils",
    "Elsa",
    "Axel",
    "Maja",
    "Hugo",
    "Alva",
    "Liam",
    "Wilma",
    "Noah",
]
FAMILY = [
    "Andersson",
    "Johansson",
    "Karlsson",
    "Nilsson",
    "Eriksson",
    "Larsson",
    "Olsson",
    "Persson",
    "Svensson",
    "Gustafsson",
    "Pettersson",
    "Lindberg",
    "Åberg",
    "Öberg",
]


@dataclass
class People:
    """The seeded citizens, with the notable ones by role for demos and tests."""

    everyone: list[Citizen] = field(default_factory=list)
    named: dict[str, Citizen] = field(default_factory=dict)


class NumberMaker:
    """Unique personnummer: birth date + serial + Luhn digit (R-60..R-63)."""

    def __init__(self) -> None:
        self._serials: dict[str, int] = {}

    def make(self, birth: date, female: bool, coordination: bool = False) -> str:
        day = birth.day + (60 if coordination else 0)
        stem = f"{birth.year:04d}{birth.month:02d}{day:02d}"
        serial = self._serials.get(stem, 20) + 1
        if (serial % 2 == 0) != female:  # odd third digit = male, even = female
            serial += 1
        self._serials[stem] = serial + 1
        return with_check_digit(f"{stem}{serial:03d}")


def _citizen(
    numbers: NumberMaker, rng: random.Random, birth: date, given: str, family: str, **facts: bool
) -> Citizen:
    female = given in {
        "Anna",
        "Maria",
        "Karin",
        "Sara",
        "Emma",
        "Ida",
        "Elsa",
        "Maja",
        "Alva",
        "Wilma",
        "Lena",
        "Ella",
        "Saga",
    }
    coordination = facts.pop("coordination", False)
    return Citizen(
        personnummer=numbers.make(birth, female, coordination),
        given_name=given,
        family_name=family,
        birth_date=birth,
        home_region_code=rng.choice(list(REGIONS)),
        **facts,
    )


async def seed_people(session: AsyncSession, rng: random.Random, today: date, count: int) -> People:
    numbers = NumberMaker()
    people = People()

    def person(role: str, birth: date, given: str, family: str, **facts: bool) -> Citizen:
        citizen = _citizen(numbers, rng, birth, given, family, **facts)
        # The demo people live in Stockholm, where their vårdcentral and its services are
        # (listing, renewals): the same every day. (The draw above keeps the rest's.)
        citizen.home_region_code = "01"
        people.named[role] = citizen
        return citizen

    def years(n: int, days: int = 0) -> date:
        """The birth date of someone n years old today, moved by `days`."""
        return add_years(today, -n) + timedelta(days=days)

    family = [
        person("guardian", years(41, -40), "Anna", "Andersson"),
        person("co_guardian", years(43, -100), "Erik", "Andersson"),
        person("child_turning_13", years(13, 3), "Ella", "Andersson"),  # 13 in three days
        person("child", years(5, -20), "Olle", "Andersson"),
        person("protected_child", years(8, -5), "Saga", "Andersson", protected_identity=True),
        person("just_turned_13", years(13, -1), "Alva", "Andersson"),  # 13 yesterday
        person("blocked_guardian", years(38, -3), "Johan", "Berg"),
        person("other_guardian", years(36, -9), "Lena", "Berg"),
        person("child_of_blocked", years(7, -60), "Maja", "Berg"),
        person("protected_guardian", years(35, -2), "Karin", "Ek", protected_identity=True),
        person("child_of_protected", years(4, -11), "Nils", "Ek"),
        person("deceased", years(80, -7), "Olof", "Gustafsson", deceased=True),
        person("coordination", years(30, -30), "Liam", "Smith", coordination=True),
        # Their own journal: not yet at 14 (it opens at 16, R-134), open at 16.
        person("teen_14", years(14, -30), "Wilma", "Lind"),
        person("teen_16", years(16, -30), "Hugo", "Lind"),
    ]
    people.everyone.extend(family)
    for n in range(max(count - len(family), 0)):
        birth = years(rng.randint(18, 90), -rng.randint(0, 364))
        people.everyone.append(
            _citizen(numbers, rng, birth, GIVEN[n % len(GIVEN)], rng.choice(FAMILY))
        )
    session.add_all(people.everyone)
    await session.flush()
    links = [
        ("guardian", "child_turning_13", False),
        ("guardian", "child", False),
        ("guardian", "protected_child", False),
        ("guardian", "just_turned_13", False),
        ("co_guardian", "child_turning_13", False),
        ("co_guardian", "child", False),
        ("blocked_guardian", "child_of_blocked", True),
        ("other_guardian", "child_of_blocked", False),
        ("protected_guardian", "child_of_protected", False),
    ]
    for guardian, child, blocked in links:
        session.add(
            Guardianship(
                guardian_id=pk(people.named[guardian]),
                child_id=pk(people.named[child]),
                blocked=blocked,
            )
        )
    return people
