"""The catalogue's objects as shown, kept once per process: by key, and never past a bound."""

from __future__ import annotations

from app.data.shared_objects import SharedObjects


def test_an_object_is_built_once_per_key() -> None:
    shared = SharedObjects()
    built: list[str] = []

    def build(name: str) -> object:
        built.append(name)
        return object()

    first = shared.get(("clinic", 1, "Söder"), lambda: build("Söder"))
    assert shared.get(("clinic", 1, "Söder"), lambda: build("again")) is first
    renamed = shared.get(("clinic", 1, "Söder Nya"), lambda: build("Söder Nya"))
    assert renamed is not first
    assert built == ["Söder", "Söder Nya"]


def test_past_its_bound_it_starts_again() -> None:
    shared = SharedObjects(most=3)
    for key in range(3):
        shared.get(key, object)
    assert len(shared) == 3
    shared.get(3, object)  # a fourth: the three go
    assert len(shared) == 1
    for key in range(100):
        shared.get(key, object)
    assert len(shared) <= 3
