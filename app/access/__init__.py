"""Access and audit: the gates between a request and a person's data (a citizen's subjects, a
staff member's commissions), which load the facts through the loaders and ask auth/'s
policies, the reads that log themselves, and the audit trail written with the answer. May
import loaders, sources, data, domain and auth; never the schema or anything above it."""
