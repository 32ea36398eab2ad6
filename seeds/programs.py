"""Support and treatment programs for the demo (R-190..R-194): Sömnskolan (KBT vid
sömnproblem, in two versions: the second adds a sleep-restriction step) and Oro och ängslan
(KBT vid oro), offered by Vårdcentralen Stockholm City, whose therapist is Eva Holm. Citizens
of Stockholm may start Sömnskolan themselves; Oro a therapist enrols them in. Anna is in Oro,
enrolled by Eva, one step done and a message waiting for her therapist."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.data.models import (
    Citizen,
    Clinic,
    Program,
    ProgramEnrolment,
    ProgramMessage,
    ProgramModule,
    ProgramOffer,
    ProgramQuestion,
    ProgramStep,
    ProgramStepDone,
    ProgramVersion,
    Staff,
)
from app.domain.clock import STOCKHOLM
from app.domain.keys import pk

STOCKHOLM_CITY = "SE2321000001-E0001"
ISI = [("0", "Inga"), ("1", "Lätta"), ("2", "Måttliga"), ("3", "Svåra"), ("4", "Mycket svåra")]
GAD = [
    ("0", "Inte alls"),
    ("1", "Flera dagar"),
    ("2", "Mer än hälften av dagarna"),
    ("3", "Nästan varje dag"),
]


@dataclass
class Step:
    kind: str
    title: str
    content: str
    questions: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Module:
    title: str
    steps: list[Step]
    open_at_start: bool = False


def _choice(text: str, options: list[tuple[str, str]]) -> dict[str, Any]:
    return {
        "text": text,
        "kind": "SINGLE_CHOICE",
        "required": True,
        "options": [{"value": v, "label": label} for v, label in options],
    }


SLEEP_START = Module(
    "Om sömn och sömnproblem",
    [
        Step(
            "READ",
            "Välkommen till Sömnskolan",
            "Programmet bygger på KBT vid sömnproblem (KBT-I). Räkna med 30 minuter i veckan "
            "under sex veckor. Din behandlare följer dig och svarar på dina meddelanden.",
        ),
        Step(
            "FORM",
            "Hur sover du i dag?",
            "Svara på frågorna om de senaste två veckorna (Insomnia Severity Index).",
            [
                _choice("Svårt att somna", ISI),
                _choice("Svårt att sova hela natten", ISI),
                _choice("Vaknar för tidigt", ISI),
            ],
        ),
    ],
    open_at_start=True,
)
SLEEP_DIARY = Module(
    "Sömndagbok",
    [
        Step(
            "EXERCISE",
            "Fyll i sömndagboken",
            "Skriv varje morgon när du gick och lade dig, när du somnade och när du vaknade.",
            [
                {
                    "text": "Hur många timmar sov du i natt?",
                    "kind": "NUMBER",
                    "required": True,
                    "min": 0,
                    "max": 24,
                },
                {"text": "Vad påverkade natten?", "kind": "TEXT", "required": False, "max": 500},
            ],
        )
    ],
)
SLEEP_RESTRICTION = Module(
    "Sömnrestriktion",
    [
        Step(
            "READ",
            "Varför mindre tid i sängen?",
            "Genom att bara ligga i sängen när du sover stärks kopplingen mellan säng och sömn.",
        ),
        Step(
            "EXERCISE",
            "Ditt sömnfönster",
            "Bestäm med din behandlare när du ska gå och lägga dig och när du ska gå upp.",
        ),
    ],
)
WORRY = [
    Module(
        "Vad är oro?",
        [
            Step(
                "READ",
                "Om oro och ängslan",
                "Oro är en normal reaktion, men kan ta över. Här lär du dig känna igen den.",
            ),
            Step(
                "FORM",
                "Hur har du mått?",
                "Hur ofta har du besvärats av följande de senaste två veckorna (GAD-7)?",
                [
                    _choice("Känt dig nervös, ängslig eller på helspänn", GAD),
                    _choice("Inte kunnat sluta oroa dig", GAD),
                ],
            ),
        ],
        open_at_start=True,
    ),
    Module(
        "Orostid",
        [
            Step(
                "EXERCISE",
                "Schemalägg din oro",
                "Välj en kvart om dagen då du får oroa dig. Skjut upp oron till dess.",
                [{"text": "Vilken tid valde du?", "kind": "TEXT", "required": True, "max": 100}],
            )
        ],
    ),
]


async def publish_version(
    session: AsyncSession, program: Program, version: int, modules: list[Module], at: datetime
) -> tuple[ProgramVersion, list[ProgramStep]]:
    """The version and its steps, in the order they are done."""
    row = ProgramVersion(program_id=pk(program), version=version, published_at=at)
    steps: list[ProgramStep] = []
    session.add(row)
    await session.flush()
    for m, module in enumerate(modules, start=1):
        module_row = ProgramModule(
            version_id=pk(row), position=m, title=module.title, open_at_start=module.open_at_start
        )
        session.add(module_row)
        await session.flush()
        for s, step in enumerate(module.steps, start=1):
            step_row = ProgramStep(
                module_id=pk(module_row),
                position=s,
                kind=step.kind,
                title=step.title,
                content=step.content,
            )
            session.add(step_row)
            await session.flush()
            steps.append(step_row)
            session.add_all(
                ProgramQuestion(step_id=pk(step_row), position=q, **question)
                for q, question in enumerate(step.questions, start=1)
            )
    return row, steps


async def seed_programs(
    session: AsyncSession,
    today: date,
    named: dict[str, Citizen],
    clinics: list[Clinic],
    eva: Staff,
) -> None:
    published = datetime.combine(today - timedelta(days=200), time(8), STOCKHOLM).astimezone(UTC)
    sleep = Program(
        code="somnskolan",
        name="Sömnskolan",
        description="KBT vid sömnproblem: sex veckor med sömndagbok och sömnrestriktion.",
    )
    worry = Program(
        code="oro",
        name="Oro och ängslan",
        description="KBT vid oro: lär dig känna igen oron och ta tillbaka kontrollen.",
    )
    session.add_all([sleep, worry])
    await session.flush()
    await publish_version(session, sleep, 1, [SLEEP_START, SLEEP_DIARY], published)
    later = published + timedelta(days=120)
    await publish_version(session, sleep, 2, [SLEEP_START, SLEEP_DIARY, SLEEP_RESTRICTION], later)
    worry_v1, worry_steps = await publish_version(session, worry, 1, WORRY, published)
    city = next(clinic for clinic in clinics if clinic.hsa_id == STOCKHOLM_CITY)
    sleep_offer = ProgramOffer(clinic_id=pk(city), program_id=pk(sleep), self_start=True)
    worry_offer = ProgramOffer(clinic_id=pk(city), program_id=pk(worry))
    session.add_all([sleep_offer, worry_offer])
    await session.flush()
    anna = named["guardian"]
    started = datetime.combine(today - timedelta(days=6), time(10), STOCKHOLM).astimezone(UTC)
    enrolment = ProgramEnrolment(
        citizen_id=pk(anna),
        offer_id=pk(worry_offer),
        program_id=pk(worry),
        version_id=pk(worry_v1),
        clinic_id=pk(city),
        therapist_id=pk(eva),
        status="IN_PROGRESS",
        started_at=started,
        last_activity_at=started + timedelta(days=2),
    )
    session.add(enrolment)
    await session.flush()
    session.add(
        ProgramStepDone(
            enrolment_id=pk(enrolment),
            step_id=pk(worry_steps[0]),
            completed_at=started + timedelta(days=1),
        )
    )
    session.add_all(
        [
            ProgramMessage(
                enrolment_id=pk(enrolment),
                author_staff_id=pk(eva),
                body="Välkommen! Börja med att läsa om oro, så hörs vi om en vecka.",
                sent_at=started,
            ),
            ProgramMessage(
                enrolment_id=pk(enrolment),
                body="Tack! Jag har läst första delen. Oron är värst på kvällarna.",
                sent_at=started + timedelta(days=2),
            ),
        ]
    )
