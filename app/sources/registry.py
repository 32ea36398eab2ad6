"""Which source serves which region, built once from regions.toml and the known adapters.

The SQL adapter serves all its regions as one source; any other adapter gets one source per
region (each region runs its own system), named "<adapter>:<county code>". Breakers live here,
for the whole process, so a region that is down stays known as down between requests.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from app.db import SessionFactory
from app.regions_config import RegionsConfig, RegionsConfigError
from app.sources.breaker import CircuitBreaker
from app.sources.ports import BookingsSource
from app.sources.sql import SqlBookings

# An adapter builds a region's bookings source from its region code.
AdapterFactory = Callable[[str], BookingsSource]


@dataclass(frozen=True)
class RegisteredSource:
    bookings: BookingsSource
    regions: tuple[str, ...]


@dataclass(frozen=True)
class SourceTuning:
    timeout_seconds: float = 2.0
    failure_threshold: int = 3
    reset_after_seconds: float = 30.0


class SourceRegistry:
    def __init__(
        self,
        config: RegionsConfig,
        sessions: SessionFactory,
        adapters: Mapping[str, AdapterFactory] | None = None,
        tuning: SourceTuning = SourceTuning(),
    ) -> None:
        self.tuning = tuning
        self.sources: dict[str, RegisteredSource] = {}
        known = {"sql", *(adapters or {})}
        for adapter, codes in sorted(config.regions_by_source().items()):
            if adapter not in known:
                raise RegionsConfigError(
                    f"regions.toml: region(s) {', '.join(sorted(codes))}: unknown source "
                    f"{adapter!r} (known: {', '.join(sorted(known))})"
                )
            if adapter == "sql":
                self.sources["sql"] = RegisteredSource(
                    SqlBookings(sessions, codes), tuple(sorted(codes))
                )
                continue
            factory = (adapters or {})[adapter]
            for code in sorted(codes):
                self.sources[f"{adapter}:{code}"] = RegisteredSource(factory(code), (code,))
        self.breakers = {
            name: CircuitBreaker(
                failure_threshold=tuning.failure_threshold,
                reset_after_seconds=tuning.reset_after_seconds,
            )
            for name in self.sources
        }
