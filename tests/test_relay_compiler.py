"""relay-compiler itself (npm, tests/clients/relay) compiles every contract document with
`@connection` on every paged field: our connections are shaped and named as Relay expects
(`…Connection`, `pageInfo { hasNextPage hasPreviousPage startCursor endCursor }`), so a Relay
app keeps its lists in its store as they page."""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from graphql import (
    ArgumentNode,
    DirectiveNode,
    FieldNode,
    GraphQLObjectType,
    NameNode,
    OperationDefinitionNode,
    StringValueNode,
    TypeInfo,
    TypeInfoVisitor,
    Visitor,
    get_named_type,
    parse,
    print_ast,
    visit,
)

from app.guard.trusted_documents import CONTRACT, TrustedDocuments
from app.root_schema import build_schema
from tests.processes import ROOT

pytestmark = pytest.mark.slow
COMPILER = ROOT / "tests" / "clients" / "relay" / "node_modules" / "relay-compiler" / "cli.js"


class WithConnections(Visitor):
    """Relay's conventions on one document: the operation named after its module, and
    `@connection(key: "<module>_<field>")` on every field whose type is a connection."""

    def __init__(self, type_info: TypeInfo, module: str) -> None:
        super().__init__()
        self.type_info, self.module, self.connections = type_info, module, 0

    def enter_operation_definition(self, node: OperationDefinitionNode, *_: Any) -> Any:
        return replace(node, name=NameNode(value=self.module + node.operation.value.capitalize()))

    def enter_field(self, node: FieldNode, *_: Any) -> Any:
        field = self.type_info.get_field_def()
        named = get_named_type(field.type) if field else None
        if not isinstance(named, GraphQLObjectType) or not named.name.endswith("Connection"):
            return None
        self.connections += 1
        key = StringValueNode(value=f"{self.module}_{(node.alias or node.name).value}")
        connection = DirectiveNode(
            name=NameNode(value="connection"),
            arguments=(ArgumentNode(name=NameNode(value="key"), value=key),),
        )
        return replace(node, directives=(*(node.directives or ()), connection))


def test_relay_compiler_compiles_the_contract_with_connection_on_every_paged_field(
    tmp_path: Path,
) -> None:
    if not COMPILER.exists():
        pytest.fail("relay-compiler is not installed: `python3 dev.py test` runs npm ci for it")
    schema = build_schema()._schema
    source = tmp_path / "src"
    source.mkdir()
    (tmp_path / "__generated__").mkdir()
    shutil.copy(ROOT / "schema.graphql", tmp_path / "schema.graphql")
    connections = 0
    for document in TrustedDocuments.from_directory(CONTRACT).documents():
        module = Path(document.name).stem
        type_info = TypeInfo(schema)
        relay = WithConnections(type_info, module)
        text = print_ast(visit(parse(document.text), TypeInfoVisitor(type_info, relay)))
        connections += relay.connections
        (source / f"{module}.ts").write_text(
            'import { graphql } from "relay-runtime";\n\n'
            f"export const document = graphql`\n{text}\n`;\n"
        )
    config = {
        "src": "./src",
        "schema": "./schema.graphql",
        "language": "typescript",
        "artifactDirectory": "./__generated__",
    }
    (tmp_path / "relay.config.json").write_text(json.dumps(config))
    compiled = subprocess.run(  # noqa: S603 - node with relay-compiler
        ["node", str(COMPILER)],  # noqa: S607
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert compiled.returncode == 0, compiled.stdout + compiled.stderr
    assert connections >= 8  # every paged list of the contract, the staff's queue included
    artifacts = list((tmp_path / "__generated__").glob("*.graphql.ts"))
    assert len(artifacts) == len(TrustedDocuments.from_directory(CONTRACT))
