"""A patient's rows in one table of the SQL regions' own systems (medication lists, listings):
one statement on the driver, built once per source with its regions bound as r0..rN, each row
handed back as read (`rows`: the columns asked for, in their order) or by column name (`of`),
for the source's own mapping."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import String, bindparam, select

from app.data.store.direct import (
    DirectStatements,
    NamedStatement,
    Row,
    region_values,
    regions_in,
)


class PatientRows:
    def __init__(
        self,
        direct: DirectStatements,
        table: Any,
        order_by: Sequence[Any],
        regions: Sequence[str],
        columns: Sequence[Any] | None = None,  # None: every column of the table
    ) -> None:
        self._direct = direct
        self._values = region_values(regions)
        self._statement = (
            NamedStatement(
                select(*(columns or [table]))
                .where(
                    table.c.patient_personnummer == bindparam("patient", type_=String()),
                    regions_in(table.c.region_code, len(regions)),
                )
                .order_by(*order_by)
            )
            if regions
            else None  # a source serving no region has nothing to read
        )

    async def rows(self, personnummer: str) -> list[Row]:
        if self._statement is None:
            return []
        return await self._direct.fetch(self._statement, self._values_for(personnummer))

    async def of(self, personnummer: str) -> list[dict[str, Any]]:
        if self._statement is None:
            return []
        return await self._direct.fetch_named(self._statement, self._values_for(personnummer))

    def _values_for(self, personnummer: str) -> dict[str, Any]:
        return {"patient": personnummer, **self._values}
