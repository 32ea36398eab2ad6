"""Trusted documents: the client contract's GraphQL documents, known by their sha256.

A client may send `{"documentId": "sha256:<hex>"}` instead of the text. The manifest is built
from the files themselves: the id is the hash of the exact file text, so a changed document
gets a new id. `python -m app.guard.trusted_documents` prints the manifest for client builds.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graphql import OperationDefinitionNode, parse

ID_PREFIX = "sha256:"
CONTRACT = Path(__file__).resolve().parents[2] / "contract"


def document_id(text: str) -> str:
    return ID_PREFIX + hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True)
class TrustedDocument:
    id: str
    name: str  # its file, e.g. "citizen/Me.graphql"
    text: str

    @property
    def label(self) -> str:
        """Its name without the suffix ("citizen/Me"): what metrics call it."""
        return self.name.removesuffix(".graphql")

    def operation(self) -> OperationDefinitionNode:
        operations = [
            d for d in parse(self.text).definitions if isinstance(d, OperationDefinitionNode)
        ]
        return operations[0]


class TrustedDocuments:
    def __init__(self, documents: Iterable[TrustedDocument]) -> None:
        self._by_id = {document.id: document for document in documents}

    @classmethod
    def from_directory(cls, root: Path) -> TrustedDocuments:
        return cls(
            TrustedDocument(document_id(text), path.relative_to(root).as_posix(), text)
            for path in sorted(Path(root).rglob("*.graphql"))
            for text in [path.read_text(encoding="utf-8")]
        )

    def __len__(self) -> int:
        return len(self._by_id)

    def documents(self) -> list[TrustedDocument]:
        return sorted(self._by_id.values(), key=lambda document: document.name)

    def by_id(self, id_: str) -> TrustedDocument | None:
        return self._by_id.get(id_)

    def of_text(self, text: str) -> TrustedDocument | None:
        """The document `text` is exactly (a client may send the text instead of the id)."""
        return self._by_id.get(document_id(text))

    def manifest(self) -> dict[str, Any]:
        """Apollo's persisted query manifest exactly: a client build reads it (Apollo's
        persisted-query-lists) and sends each operation's `id` as its sha256Hash."""
        operations = []
        for document in self.documents():
            operation = document.operation()
            operations.append(
                {
                    "id": document.id.removeprefix(ID_PREFIX),
                    "name": operation.name.value if operation.name else document.name,
                    "type": operation.operation.value,
                    "body": document.text,
                }
            )
        return {"format": "apollo-persisted-query-manifest", "version": 1, "operations": operations}


if __name__ == "__main__":
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else CONTRACT
    json.dump(TrustedDocuments.from_directory(root).manifest(), sys.stdout, indent=2)
    sys.stdout.write("\n")
