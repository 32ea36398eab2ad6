"""Opaque, tamper-proof cursors: a position in a list, sealed with AES-SIV.

A cursor tells a client nothing (not the sort value, not the row's key) and cannot be made or
altered: AES-SIV is authenticated encryption, so anything not sealed by this server with the
same secret as the ids (app/domain/ids.py) fails to open and is refused as BAD_USER_INPUT. It is
deterministic (the same position, the same cursor), which costs no nonce and lets clients
compare cursors. The list's sort kind is sealed in as associated data: a cursor of a list
sorted by time does not open on one sorted by name.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from datetime import datetime

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESSIV

from app.domain.paging import InvalidCursor, Position, SortKind

MAX_CURSOR_LENGTH = 400  # a sealed text position is far shorter; longer is not ours
_DATETIME, _TEXT = [b"datetime"], [b"text"]  # the sort kinds, as associated data


class CursorCodec:
    def __init__(self, secret: str) -> None:
        # 64 bytes: AES-256-SIV. Derived apart from the ids' key, from the same secret.
        key = hashlib.sha512(b"vardgraf/cursors/v1:" + secret.encode()).digest()
        self._siv = AESSIV(key)

    def encode(self, position: Position) -> str:
        value = position.value
        if isinstance(value, datetime):
            # The JSON json.dumps makes of [iso, id] (an ISO text needs no escapes), spelled
            # out: one cursor per edge, and the encoder's set-up cost more than the sealing.
            plain = f'["{value.isoformat()}",{int(position.id)}]'.encode()
            sealed = self._siv.encrypt(plain, _DATETIME)
        else:
            plain = json.dumps([value, position.id], separators=(",", ":")).encode()
            sealed = self._siv.encrypt(plain, _TEXT)
        return base64.urlsafe_b64encode(sealed).rstrip(b"=").decode()

    def decode(self, cursor: str, sort: SortKind) -> Position:
        """The position a cursor of this server stands for, or InvalidCursor."""
        try:
            if len(cursor) > MAX_CURSOR_LENGTH or not cursor.isascii():
                raise ValueError("not a cursor of ours")
            sealed = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
            value, row_id = json.loads(self._siv.decrypt(sealed, [sort.encode()]))
        except (ValueError, TypeError, binascii.Error, InvalidTag) as error:
            raise InvalidCursor("The cursor is not valid for this list.") from error
        if sort == "datetime":
            return Position(datetime.fromisoformat(value), row_id)
        return Position(value, row_id)
