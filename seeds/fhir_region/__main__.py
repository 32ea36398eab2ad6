"""`python -m seeds.fhir_region --port 8091`: run the stand-in regional FHIR server."""

from __future__ import annotations

import argparse

import uvicorn

from seeds.fhir_region.app import build_app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8091)
    arguments = parser.parse_args()
    uvicorn.run(build_app(), host=arguments.host, port=arguments.port, log_level="warning")


if __name__ == "__main__":
    main()
