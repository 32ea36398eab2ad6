"""The guard: what every GraphQL request must pass before anything runs. Reading the request,
trusted documents, shape, depth, cost and rate limits, refused with one stable code. It
hands execution an Admitted operation and imports execution only for that type and for what
errors may say; it never imports the HTTP layer or anything that reads patient data."""
