"""Opaque public ids: one AES block over (kind, primary key, zero check bytes).

A single AES block is a keyed pseudo-random permutation: ids are stable (clients may cache
them), reveal neither the kind nor the key nor how many rows exist, and cannot be forged: a
guessed or altered id decrypts to noise whose 7 check bytes are zero with chance 2**-56, so it
answers like a missing one. Sequential keys give unrelated ids, so nothing can be enumerated.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from enum import IntEnum

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

_CHECK = bytes(7)
_ENCODED_LENGTH = 22  # 16 bytes in unpadded base64url


class NodeKind(IntEnum):
    CITIZEN = 1
    CLINIC = 2
    BOOKING_TYPE = 3
    SLOT = 4
    BOOKING = 5
    ERRAND_TYPE = 6
    ERRAND = 7
    ERRAND_MESSAGE = 8
    FORM = 9
    FORM_QUESTION = 10
    FORM_REQUEST = 11
    CERTIFICATE = 12
    PATIENT = 13  # a person as care staff see them: not the Citizen's id (Relay's cache)
    INBOX_MESSAGE = 14
    SENT_MESSAGE = 15  # a message as its clinic sees it: not the InboxMessage's id
    JOURNAL_ENTRY = 16  # a record of a region's journal, by its key (app/sources/refs.py)
    PRESCRIPTION = 17  # a medication of a region's list, by its key (as JOURNAL_ENTRY)
    LISTING_REQUEST = 18  # a listing request in a region's listing system, by its key
    SAMPLE_OFFER = 19
    SAMPLE_ORDER = 20
    COMPLAINT = 21
    RECEIVED_COMPLAINT = 22  # a complaint as its receiver sees it: not the Complaint's id
    PROGRAM = 23  # a program as a clinic offers it (its ProgramOffer)
    PROGRAM_ENROLMENT = 24
    PROGRAM_PARTICIPANT = 25  # an enrolment as its therapists see it: not the enrolment's id
    PROGRAM_MODULE = 26
    PROGRAM_STEP = 27
    PROGRAM_QUESTION = 28
    PROGRAM_MESSAGE = 29
    REGIONAL_SERVICE = 30  # by its number (app/domain/regional_services.service_number)


class IdCodec:
    def __init__(self, secret: str) -> None:
        key = hashlib.sha256(b"vardgraf/opaque-ids/v1:" + secret.encode()).digest()
        # ECB on exactly one block is the raw block cipher: the PRP described above.
        cipher = Cipher(algorithms.AES(key), modes.ECB())  # noqa: S305
        # ECB keeps no state between blocks: one context serves every id (making a context
        # per id costs more than the encryption), and a block in gives a block out at once.
        self._encryptor = cipher.encryptor()
        self._decryptor = cipher.decryptor()

    def encode(self, kind: NodeKind, pk: int) -> str:
        # Signed: keys of records in regional systems are negative (app/sources/refs.py).
        plain = bytes([kind]) + pk.to_bytes(8, "big", signed=True) + _CHECK
        block = self._encryptor.update(plain)
        return base64.urlsafe_b64encode(block).rstrip(b"=").decode()

    def decode(self, public_id: str) -> tuple[NodeKind, int] | None:
        """The kind and key of an id, or None for anything not minted by us."""
        if len(public_id) != _ENCODED_LENGTH or not public_id.isascii():
            return None
        try:
            block = base64.urlsafe_b64decode(public_id + "==")
        except (binascii.Error, ValueError):
            return None
        if len(block) != 16:  # a partial block would stay in the shared context
            return None
        plain = self._decryptor.update(block)
        if plain[9:] != _CHECK or plain[0] not in NodeKind._value2member_map_:
            return None
        return NodeKind(plain[0]), int.from_bytes(plain[1:9], "big", signed=True)

    def decode_as(self, public_id: str, kind: NodeKind) -> int | None:
        decoded = self.decode(public_id)
        if decoded is None or decoded[0] is not kind:
            return None
        return decoded[1]
