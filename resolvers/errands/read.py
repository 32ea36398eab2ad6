"""Opening an errand reads the clinic's latest reply: its unread mark goes.

The apps open an errand with the registered Errand document (a query), so this is where the
mark is cleared, as 1177 does; it is one guarded UPDATE, and only when the mark is set.
"""

from __future__ import annotations

from sqlalchemy import update
from sqlmodel import col

from app.context import Context
from app.data.db import write_transaction
from app.data.models import Errand as ErrandRow
from app.domain.keys import pk


async def mark_read(context: Context, errand: ErrandRow) -> ErrandRow:
    if not errand.unread_by_citizen:
        return errand
    async with write_transaction(context.sessions) as session:
        await session.execute(
            update(ErrandRow)
            .where(col(ErrandRow.id) == pk(errand), col(ErrandRow.unread_by_citizen).is_(True))
            .values(unread_by_citizen=False)
        )
    return errand.model_copy(update={"unread_by_citizen": False})
