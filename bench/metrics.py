"""The server's own account of a run, from its Prometheus endpoint: per operation, how many
ran, their mean time and the SQL statements each sent (the difference of two scrapes)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import httpx
from prometheus_client.parser import text_string_to_metric_families


@dataclass(frozen=True)
class OperationTotals:
    count: float
    seconds: float
    statements: float

    @property
    def mean_ms(self) -> float:
        return 1000 * self.seconds / self.count if self.count else 0.0

    @property
    def statements_each(self) -> float:
        return self.statements / self.count if self.count else 0.0


Snapshot = dict[str, OperationTotals]


def scrape(url: str, token: str) -> Snapshot:
    answer = httpx.get(f"{url}/metrics", headers={"authorization": f"Bearer {token}"}, timeout=10)
    answer.raise_for_status()
    sums: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for family in text_string_to_metric_families(answer.text):
        for sample in family.samples:
            name = sample.labels.get("operation")
            if name is None:
                continue
            if sample.name == "vardgraf_graphql_operation_seconds_count":
                sums[name]["count"] += sample.value
            elif sample.name == "vardgraf_graphql_operation_seconds_sum":
                sums[name]["seconds"] += sample.value
            elif sample.name == "vardgraf_sql_statements_per_operation_sum":
                sums[name]["statements"] += sample.value
    return {
        name: OperationTotals(v["count"], v["seconds"], v["statements"]) for name, v in sums.items()
    }


def difference(after: Snapshot, before: Snapshot) -> Snapshot:
    zero = OperationTotals(0, 0, 0)
    return {
        name: OperationTotals(
            totals.count - before.get(name, zero).count,
            totals.seconds - before.get(name, zero).seconds,
            totals.statements - before.get(name, zero).statements,
        )
        for name, totals in after.items()
        if totals.count > before.get(name, zero).count
    }
