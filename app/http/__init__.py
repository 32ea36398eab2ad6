"""HTTP: the Starlette routes and middleware a request passes first (the GraphQL endpoint, CORS,
security headers, the login check, health probes, the certificate download route), and the
request's context built from an admitted operation. May import every layer below it (guard,
execution, resolvers' schema, context, access, sources, data, domain) and the process-wide
resources; nothing but the composition root imports it."""
