"""Root operations, one per file, per domain: each checks the policy through access, calls
loaders and sources, and builds schema types. Imports the schema and everything below it;
nothing but the root schema imports a resolver."""
