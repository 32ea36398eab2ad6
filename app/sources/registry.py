"""Which source serves which region, built once from regions.toml and the known adapters.

The SQL adapter serves all its regions as one source, named "sql"; any other adapter gets one
source per region (each region runs its own system), named "<adapter>:<county code>". Breakers
live here, for the whole process, so a region that is down stays known as down between
requests.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import TypeVar

from app.data.db import SessionFactory
from app.data.store.direct import DirectStatements
from app.domain.regions_config import Feature, RegionsConfig, RegionsConfigError
from app.sources.breaker import CircuitBreaker
from app.sources.fanout import Call, SourceFailure, SourceObserver, ask_one, fan_out, unobserved
from app.sources.ports import AdapterFactory, AdapterSetup, RegionalSource
from app.sources.refs import ForeignRecord, SourceRefs, is_foreign
from app.sources.sql.adapter import SqlCertificates, SqlDirectory, SqlScheduling
from app.sources.sql.forms import SqlForms
from app.sources.sql.journal import SqlJournal
from app.sources.sql.listing import SqlListing
from app.sources.sql.medications import SqlMedications

T = TypeVar("T")
SQL = "sql"


@dataclass(frozen=True)
class RegisteredSource:
    source: RegionalSource
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
        direct: DirectStatements,
        adapters: Mapping[str, AdapterFactory] | None = None,
        tuning: SourceTuning = SourceTuning(),
        observe: SourceObserver = unobserved,
    ) -> None:
        self.tuning = tuning
        self.observe = observe  # every call's outcome and time (app/observability/metrics.py)
        self.refs = SourceRefs(sessions)
        self.sources: dict[str, RegisteredSource] = {}
        self._by_region: dict[str, str] = {}
        known = {SQL, *(adapters or {})}
        # Keys of our own rows (positive) belong to the SQL source even where no region uses it.
        sql_regions = config.regions_by_source().get(SQL, frozenset())
        self._sql = RegionalSource(
            SqlDirectory(),
            SqlScheduling(sessions, direct, sql_regions),
            SqlCertificates(sessions, direct, sql_regions),
            SqlForms(sessions, direct),
            SqlJournal(
                sessions,
                direct,
                frozenset(code for code in sql_regions if config.offers(code, Feature.JOURNAL)),
            ),
            # Every SQL region's prescriptions: a list shows what was prescribed anywhere.
            SqlMedications(sessions, direct, sql_regions),
            SqlListing(sessions, direct, sql_regions),
        )
        for adapter, codes in sorted(config.regions_by_source().items()):
            if adapter not in known:
                raise RegionsConfigError(
                    f"regions.toml: region(s) {', '.join(sorted(codes))}: unknown source "
                    f"{adapter!r} (known: {', '.join(sorted(known))})"
                )
            if adapter == SQL:
                self._add(SQL, self._sql, codes)
                continue
            for code in sorted(codes):
                name = f"{adapter}:{code}"
                region = config.regions[code]
                setup = AdapterSetup(
                    code, name, region.settings, sessions, self.refs, region.features
                )
                self._add(name, (adapters or {})[adapter](setup), frozenset({code}))
        if SQL not in self.sources:
            self._add(SQL, self._sql, frozenset())
        self.breakers = {
            name: CircuitBreaker(
                failure_threshold=tuning.failure_threshold,
                reset_after_seconds=tuning.reset_after_seconds,
            )
            for name in self.sources
        }

    def _add(self, name: str, source: RegionalSource, codes: frozenset[str]) -> None:
        self.sources[name] = RegisteredSource(source, tuple(sorted(codes)))
        self._by_region.update(dict.fromkeys(codes, name))

    def name_for_region(self, region_code: str) -> str:
        return self._by_region[region_code]

    def name_for_record(self, record: ForeignRecord) -> str | None:
        """The source a foreign key was handed out by, if it is still configured."""
        return record.source if record.source in self.sources else None

    async def name_for_key(self, key: int) -> str | None:
        """The source that holds the record behind one of our keys."""
        if not is_foreign(key):
            return SQL
        record = (await self.refs.records_of([key])).get(key)
        return None if record is None else self.name_for_record(record)

    async def ask(
        self,
        name: str,
        run: Callable[[RegionalSource], Awaitable[T]],
        passes: tuple[type[Exception], ...] = (),
    ) -> T:
        """One call to one source, with its timeout and breaker; raises SourceFailed."""
        source = self.sources[name]
        call = Call(source.regions, lambda: run(source.source), passes)
        return await ask_one(
            name,
            call,
            self.breakers[name],
            seconds=self.tuning.timeout_seconds,
            observe=self.observe,
        )

    async def ask_all(
        self, calls: Mapping[str, Call[T]]
    ) -> tuple[dict[str, T], list[SourceFailure]]:
        """Several sources at once, each with its timeout and breaker (fan_out)."""
        return await fan_out(
            calls, self.breakers, seconds=self.tuning.timeout_seconds, observe=self.observe
        )
