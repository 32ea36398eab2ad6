"""The short path for plain fields answers exactly as graphql-core's standard path does,
errors included (app/execution/compiled.py)."""

from __future__ import annotations

from enum import Enum
from inspect import isawaitable
from typing import Annotated, Any

import pytest
import strawberry
from graphql import execute, parse

from app.data.shared_objects import shared_as_built
from app.execution.compiled import _PLANS, PlainFieldsExecution

pytestmark = pytest.mark.anyio


@strawberry.enum
class Colour(Enum):
    RED = "red"


@strawberry.type
class Place:
    city: str


@strawberry.type
class Thing:
    name: str
    note: str | None
    colour: Colour
    count: int
    place: Place
    maybe_place: Place | None

    @strawberry.field
    def shout(self) -> str:
        return self.name.upper()


HOME = Place(city="Umeå")
NOWHERE: Any = Place(city=None)  # type: ignore[arg-type]
GOOD = Thing(name="a", note=None, colour=Colour.RED, count=2, place=HOME, maybe_place=None)
BROKEN: Any = Thing(
    name=None,  # type: ignore[arg-type]
    note=None,
    colour=Colour.RED,
    count=1,
    place=HOME,
    maybe_place=NOWHERE,
)
WRONG: Any = Thing(
    name="x",
    note=None,
    colour=Colour.RED,
    count="many",  # type: ignore[arg-type]
    place="not a place",  # type: ignore[arg-type]
    maybe_place=HOME,
)


@shared_as_built
@strawberry.type
class Depot:
    """As a clinic of the catalogue: never changed once built, shown to every request."""

    city: str
    place: Place


@strawberry.type
class Stop:
    depot: Depot
    place: Place


@strawberry.type
class Route:
    stops: list[Stop]


UMEÅ = Depot(city="Umeå", place=HOME)
ROUTE = Route(stops=[Stop(depot=UMEÅ, place=HOME), Stop(depot=UMEÅ, place=HOME)])


@strawberry.type
class Shelf:
    things: list[Thing]
    maybe_things: list[Thing] | None


SHELVES: dict[str, Any] = {
    "good": Shelf(things=[GOOD, GOOD], maybe_things=[]),
    "gap": Shelf(things=[GOOD, None], maybe_things=[None]),  # type: ignore[list-item]
    "stranger": Shelf(things=[GOOD, "x"], maybe_things=[HOME]),  # type: ignore[list-item]
    "broken": Shelf(things=[GOOD, BROKEN], maybe_things=[BROKEN]),
    "empty": Shelf(things=(), maybe_things=None),  # type: ignore[arg-type]
}


@strawberry.interface
class Named:
    name: str


@strawberry.type
class Pet(Named):
    legs: int


@strawberry.type
class Robot(Named):
    volts: int


Creature = Annotated[Pet | Robot, strawberry.union("Creature")]


@strawberry.type
class Kennel:
    pet: Pet
    pets: list[Pet]
    # Interfaces and unions: each value completes as its own type (a journal's entries).
    named: Named
    all_named: list[Named]
    maybe_named: Named | None
    creatures: list[Creature]
    # Lists of leaves (a journal source's categories).
    tags: list[str]
    colours: list[Colour]
    counts: list[int]


# Types with an interface have an is_type_of, asked once per class, but a value cast to
# another type (strawberry.cast marks the instance) is not one of its class any more.
REX = Pet(name="Rex", legs=4)
ROBBY = Robot(name="Robby", volts=12)
DISGUISED = strawberry.cast(Robot, Pet(name="R2", legs=0))


def kennel(**unusual: Any) -> Kennel:
    usual: dict[str, Any] = {
        "pet": REX,
        "pets": [REX, DISGUISED],
        "named": ROBBY,
        "all_named": [REX, ROBBY],
        "maybe_named": None,
        "creatures": [ROBBY, REX],
        "tags": ["a", "b"],
        "colours": [Colour.RED, Colour.RED],
        "counts": [1, 2],
    }
    return Kennel(**{**usual, **unusual})


KENNELS: dict[str, Any] = {
    "usual": kennel(),
    "disguised": kennel(all_named=[REX, DISGUISED], named=DISGUISED, creatures=[DISGUISED]),
    "gap": kennel(all_named=[REX, None], tags=["a", None], colours=[None]),
    "stranger": kennel(named=HOME, creatures=[REX, "x"], counts=[1, "two"], colours=["RED"]),
    "empty": kennel(all_named=(), creatures=[], tags=(), colours=[], counts=[]),
}


@strawberry.type
class Query:
    @strawberry.field
    def things(self) -> list[Thing]:
        return [GOOD]

    @strawberry.field
    def route(self) -> Route:
        return ROUTE

    @strawberry.field
    def kennel(self, name: str = "usual") -> Kennel:
        return KENNELS[name]  # type: ignore[no-any-return]

    @strawberry.field
    def shelf(self, name: str) -> Shelf | None:
        return SHELVES[name]  # type: ignore[no-any-return]

    @strawberry.field
    def later(self) -> Shelf:
        """Plain attributes holding awaitables: graphql-core awaits them, so must we."""

        async def place() -> Place:
            return HOME

        async def thing() -> Thing:
            return GOOD

        pending: Any = place()
        later = Thing(
            name="later", note=None, colour=Colour.RED, count=3, place=pending, maybe_place=None
        )
        return Shelf(things=[later, GOOD], maybe_things=[thing()])  # type: ignore[list-item]

    @strawberry.field
    def broken(self) -> Thing | None:
        return BROKEN  # type: ignore[no-any-return]

    # Async resolvers: their awaited values are completed by the short path too.
    @strawberry.field
    async def shelf_later(self, name: str) -> Shelf | None:
        return SHELVES[name]  # type: ignore[no-any-return]

    @strawberry.field
    async def things_later(self, name: str) -> list[Thing]:
        return list(SHELVES[name].things)

    @strawberry.field
    async def required(self, name: str) -> Thing:
        returned: dict[str, Any] = {"good": GOOD, "none": None, "broken": BROKEN, "wrong": HOME}
        return returned[name]  # type: ignore[no-any-return]

    @strawberry.field
    async def failing(self) -> Thing | None:
        raise ValueError("the source failed")

    @strawberry.field
    def wrong(self) -> Thing | None:
        return WRONG  # type: ignore[no-any-return]


def schemas() -> tuple[strawberry.Schema, strawberry.Schema]:
    return strawberry.Schema(Query), strawberry.Schema(
        Query, execution_context_class=PlainFieldsExecution
    )


@pytest.mark.parametrize(
    "query",
    [
        "{ things { name note colour count shout place { city } maybePlace { city } } }",
        "{ things { __typename n: name p: place { __typename c: city } } }",
        "{ broken { note name } }",
        "{ broken { maybePlace { city } } }",  # a non-null error inside a nullable object
        "{ wrong { name count } }",
        "{ wrong { place { city } } }",  # an object of the wrong type
        "{ wrong { maybePlace { city } } }",
        # Lists of objects: each item's selection, or the list's error as the standard way
        '{ shelf(name: "good") { things { name place { city } } maybeThings { name } } }',
        '{ shelf(name: "gap") { maybeThings { name } } }',
        '{ shelf(name: "gap") { things { name } } }',
        '{ shelf(name: "stranger") { maybeThings { name } } }',
        '{ shelf(name: "stranger") { things { name } } }',
        '{ shelf(name: "broken") { maybeThings { name } } }',
        '{ shelf(name: "broken") { things { name } } }',
        '{ shelf(name: "broken") { things { note maybePlace { city } } } }',
        '{ shelf(name: "empty") { things { name } maybeThings { name } } }',
        "{ later { things { name place { city } } maybeThings { name } } }",
        "{ kennel { pet { name legs } } }",
        "{ kennel { pet { name } pets { name legs } } }",  # the cast one is refused
        *(
            f'{{ {field}(name: "{name}") {{ {selection} }} }}'
            for field, names, selection in (
                ("shelfLater", SHELVES, "things { name place { city } } maybeThings { name }"),
                ("thingsLater", SHELVES, "name maybePlace { city }"),
                ("required", ("good", "none", "broken", "wrong"), "name"),
            )
            for name in names
        ),
        "{ failing { name } things { name } }",
        *(
            f'{{ kennel(name: "{name}") {{ {selection} }} }}'
            for name in KENNELS
            for selection in (
                "named { __typename name ... on Pet { legs } ... on Robot { volts } }",
                "allNamed { name ... on Robot { volts } } maybeNamed { name }",
                "creatures { __typename ... on Pet { name legs } ... on Robot { volts } }",
                "tags colours counts",
            )
        ),
    ],
)
async def test_the_same_answer_as_the_standard_path(query: str) -> None:
    standard, short = schemas()
    expected, got = await standard.execute(query), await short.execute(query)
    assert got.data == expected.data
    assert [(e.message, e.path) for e in got.errors or []] == [
        (e.message, e.path) for e in expected.errors or []
    ]
    if query.startswith(("{ kennel(", "{ shelfLater", "{ thingsLater", "{ required")):
        return  # the same answer, faults and all
    faultless = (
        "{ wrong { maybePlace",
        '"good"',
        '"empty"',
        "{ later",
        "{ kennel { pet { name legs",
    )
    assert bool(expected.errors) == (
        not any(marker in query for marker in faultless) and not query.startswith("{ things")
    )


class Counting(PlainFieldsExecution):
    """Counts the fields that took graphql-core's standard way (it builds a ResolveInfo)."""

    standard: list[str] = []  # noqa: RUF012 - one test's tally

    def build_resolve_info(self, field_def: Any, field_nodes: Any, *args: Any) -> Any:
        Counting.standard.append(field_nodes[0].name.value)
        return super().build_resolve_info(field_def, field_nodes, *args)


async def test_plain_fields_take_the_short_path_and_resolvers_do_not() -> None:
    schema = strawberry.Schema(Query, execution_context_class=Counting)
    Counting.standard.clear()
    result = await schema.execute(
        '{ things { name colour shout place { city } } shelf(name: "good") { things { name } } }'
    )
    assert result.errors is None
    # name, colour, place, city, the shelf's list of things and their names: short
    assert Counting.standard == ["things", "shout", "shelf"]
    plans = _PLANS[schema._schema]
    assert plans[("Thing", "place")] is not None
    assert plans[("Shelf", "things")] is not None
    assert plans[("Thing", "shout")] is None


class Walking(PlainFieldsExecution):
    """Records the objects the short path walked field by field, not by a generated function
    (app/execution/generated_selections.py)."""

    walked: list[str] = []  # noqa: RUF012 - one test's tally

    def _run(self, parent_type: Any, *args: Any) -> Any:
        Walking.walked.append(parent_type.name)
        return super()._run(parent_type, *args)


async def run_document(document: Any, variables: dict[str, Any] | None = None) -> Any:
    """One parsed document run as the app runs it (app/execution/operation.py): its nodes, the same
    ones each time, are what generated functions are remembered by."""
    schema = strawberry.Schema(Query, execution_context_class=Walking)
    result = execute(schema._schema, document, variable_values=variables, executor_class=Walking)
    return await result if isawaitable(result) else result


async def test_a_selection_plain_all_the_way_down_is_one_generated_function() -> None:
    Walking.walked.clear()
    document = parse(
        '{ shelf(name: "good") { things { name colour count place { city } maybePlace { city } }'
        " maybeThings { name } } }"
    )
    thing = {"name": "a", "colour": "RED", "count": 2, "place": {"city": "Umeå"}}
    for _ in range(2):  # made on first use, then reused
        result = await run_document(document)
        assert result.errors is None
        assert result.data == {
            "shelf": {"things": [{**thing, "maybePlace": None}] * 2, "maybeThings": []}
        }
    assert Walking.walked == ["Query", "Query"]  # the shelf and all below it: generated


async def test_an_object_shared_as_built_is_answered_once_per_selection() -> None:
    """A depot (as a clinic of the catalogue) on every stop: its answer is made once and
    given again; a place (not shared) is answered each time."""
    document = parse("{ route { stops { depot { city place { city } } place { city } } } }")
    result = await run_document(document)
    stop = {"depot": {"city": "Umeå", "place": {"city": "Umeå"}}, "place": {"city": "Umeå"}}
    assert result.errors is None
    assert result.data == {"route": {"stops": [stop, stop]}}
    first, second = result.data["route"]["stops"]
    assert first["depot"] is second["depot"]
    assert first["place"] is not second["place"]


async def test_an_unusual_object_below_is_completed_the_standard_way() -> None:
    Walking.walked.clear()
    result = await run_document(parse('{ shelf(name: "broken") { things { name } } }'))
    assert result.data == {"shelf": None}
    assert [(e.message, e.path) for e in result.errors] == [
        ("Cannot return null for non-nullable field Thing.name.", ["shelf", "things", 1, "name"])
    ]
    assert Walking.walked[:2] == ["Query", "Shelf"]  # the generated function gave way


async def test_a_document_with_directives_selects_by_its_variables_each_time() -> None:
    """The same nodes select differently by a fragment's @include: nothing is generated."""
    Walking.walked.clear()
    document = parse(
        'query Q($full: Boolean!) { shelf(name: "good") { things { name ...Detail @include(if:'
        " $full) } } } fragment Detail on Thing { count }"
    )
    for full in (True, False, True):
        result = await run_document(document, {"full": full})
        thing = {"name": "a", "count": 2} if full else {"name": "a"}
        assert result.data == {"shelf": {"things": [thing, thing]}}
    assert "Thing" in Walking.walked


async def test_interfaces_unions_and_lists_of_leaves_are_generated_too() -> None:
    """Each value of an interface or union completes by its own type's generated function,
    chosen by its class (as Strawberry resolves a value not cast); lists of leaves too."""
    Walking.walked.clear()
    document = parse(
        "{ kennel { named { __typename name ... on Robot { volts } }"
        " allNamed { name ... on Pet { legs } ... on Robot { volts } }"
        " creatures { ... on Pet { legs } ... on Robot { name } } tags colours counts } }"
    )
    for _ in range(2):
        result = await run_document(document)
        assert result.errors is None
        assert result.data == {
            "kennel": {
                "named": {"__typename": "Robot", "name": "Robby", "volts": 12},
                "allNamed": [{"name": "Rex", "legs": 4}, {"name": "Robby", "volts": 12}],
                "creatures": [{"name": "Robby"}, {"legs": 4}],
                "tags": ["a", "b"],
                "colours": ["RED", "RED"],
                "counts": [1, 2],
            }
        }
    assert Walking.walked == ["Query", "Query"]  # the kennel and all below it: generated


async def test_a_value_cast_to_another_type_gives_way_to_the_standard_path() -> None:
    Walking.walked.clear()
    document = parse('{ kennel(name: "disguised") { named { __typename name } } }')
    result = await run_document(document)
    assert result.data == {"kennel": {"named": {"__typename": "Robot", "name": "R2"}}}
    assert "Kennel" in Walking.walked


class Compiling(PlainFieldsExecution):
    """Counts the selection sets compiled (each field's plan is asked when one is)."""

    planned: list[str] = []  # noqa: RUF012 - one test's tally

    def plan_for(self, parent_type: Any, fields: Any) -> Any:
        Compiling.planned.append(f"{parent_type.name}.{fields[0].node.name.value}")
        return super().plan_for(parent_type, fields)


async def test_an_operation_run_again_is_not_collected_or_compiled_again() -> None:
    """Without directives, what an operation selects depends on its document alone: the second
    run, with other variables, reuses the first run's selection sets and answers by its own."""
    schema = strawberry.Schema(Query, execution_context_class=Compiling)
    document = parse("query Q($name: String!) { shelf(name: $name) { things { name } } }")

    async def run(name: str) -> Any:
        result = execute(
            schema._schema, document, variable_values={"name": name}, executor_class=Compiling
        )
        return await result if isawaitable(result) else result

    broken_errors = [
        ("Cannot return null for non-nullable field Thing.name.", ["shelf", "things", 1, "name"])
    ]
    Compiling.planned.clear()
    first = await run("broken")  # the generated function gives way: all of it is compiled
    assert first.data == {"shelf": None}
    assert [(e.message, e.path) for e in first.errors] == broken_errors
    assert {"Query.shelf", "Shelf.things", "Thing.name"} <= set(Compiling.planned)
    Compiling.planned.clear()
    good, empty, broken = await run("good"), await run("empty"), await run("broken")
    assert good.data == {"shelf": {"things": [{"name": "a"}, {"name": "a"}]}}
    assert empty.data == {"shelf": {"things": []}}
    assert broken.data == {"shelf": None}
    assert [(e.message, e.path) for e in broken.errors] == broken_errors
    assert Compiling.planned == []


class Completing(PlainFieldsExecution):
    """Counts the values graphql-core's chain completed (complete_value, per value)."""

    completed: list[str] = []  # noqa: RUF012 - one test's tally

    def complete_value(self, return_type: Any, *args: Any) -> Any:
        Completing.completed.append(str(return_type))
        return super().complete_value(return_type, *args)


async def test_an_async_resolvers_object_is_completed_by_the_short_path() -> None:
    schema = strawberry.Schema(Query, execution_context_class=Completing)
    Completing.completed.clear()
    result = await schema.execute(
        '{ shelfLater(name: "good") { things { name place { city } } }'
        ' thingsLater(name: "good") { name } }'
    )
    assert result.errors is None
    assert result.data == {
        "shelfLater": {"things": [{"name": "a", "place": {"city": "Umeå"}}] * 2},
        "thingsLater": [{"name": "a"}] * 2,
    }
    assert Completing.completed == []
