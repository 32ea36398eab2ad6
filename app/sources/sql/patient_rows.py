"""A patient's rows in one table of the SQL regions' own systems (medication lists, listings):
one statement on the driver, built once per source with its regions bound as r0..rN, each row
handed back by column name for the source's own mapping."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import String, bindparam, select

from app.data.store.direct import DirectStatements, NamedStatement, region_values, regions_in


class PatientRows:
    def __init__(
        self, direct: DirectStatements, table: Any, order_by: Sequence[Any], regions: Sequence[str]
    ) -> None:
        self._direct = direct
        self._values = region_values(regions)
        self._statement = (
            NamedStatement(
                select(table)
                .where(
                    table.c.patient_personnummer == bindparam("patient", type_=String()),
                    regions_in(table.c.region_code, len(regions)),
                )
                .order_by(*order_by)
            )
            if regions
            else None  # a source serving no region has nothing to read
        )

    async def of(self, personnummer: str) -> list[dict[str, Any]]:
        if self._statement is None:
            return []
        values = {"patient": personnummer, **self._values}
        return await self._direct.fetch_named(self._statement, values)
