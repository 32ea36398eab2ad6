"""Vårdgraf's application: the composition root at this package's top (main, asgi, cli,
settings, resources, context, root_schema) and its wings below, in the order a request meets
them: http, guard, execution, then (after resolvers/ and schema/) context, access, sources and
certificates, data, domain. docs/architecture.md is the map; pyproject.toml's layer contract
keeps it true."""
