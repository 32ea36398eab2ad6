"""Running an admitted operation: the runner (operation.py), graphql-core's execution with the
compiled and generated short paths for plain fields, the classification and masking of
errors, and who may explore the schema. May import the request's context and what lies below
it; never the guard or the HTTP layer (the root schema is handed to it)."""
