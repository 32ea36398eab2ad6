"""Write the schema as SDL to schema.graphql (committed; tests/test_schema.py keeps it current)."""

from __future__ import annotations

import sys
from pathlib import Path

from graphql import print_schema

from app.root_schema import build_schema

SDL_FILE = Path(__file__).resolve().parent.parent / "schema.graphql"


def sdl() -> str:
    # graphql-core's printer: Strawberry's leaves out the schema's own description.
    return print_schema(build_schema()._schema) + "\n"


def main() -> int:
    SDL_FILE.write_text(sdl())
    print(f"wrote {SDL_FILE.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
