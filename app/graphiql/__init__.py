"""GraphiQL for staff exploring the schema: the page, its scripts and the storage that keeps no
header in the browser. Served by the HTTP layer; imports nothing of ours but the layers
below."""
