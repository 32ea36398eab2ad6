"""The plan check reports a statement that reads a large table's rows only to leave them out:
an index that serves the statement but not its filter makes it grow with the table (the access
log's page read a person's 941 own reads for none shown, session 37). A count over a large
share of a table, read whole, is the planner's choice and not reported."""

from __future__ import annotations

from typing import Any

from bench.explain import (
    LEFT_OUT_ROWS,
    LEFT_OUT_SHARE,
    PlanCheck,
    PlanTiming,
    RowsRead,
    rows_read_by_table,
)
from bench.report import Report, _plan_targets, _plans

# EXPLAIN (ANALYZE, FORMAT JSON)'s counts are per loop of a node.
ACCESS_LOG_PAGE: dict[str, Any] = {
    "Node Type": "Limit",
    "Actual Rows": 3,
    "Plans": [
        {
            "Node Type": "Nested Loop",
            "Actual Rows": 3,
            "Plans": [
                {
                    "Node Type": "Index Scan",
                    "Relation Name": "auditevent",
                    "Index Name": "ix_audit_subject_at",
                    "Actual Loops": 1,
                    "Actual Rows": 3,
                    "Rows Removed by Filter": 941,
                },
                {
                    "Node Type": "Index Scan",
                    "Relation Name": "clinic",
                    "Index Name": "clinic_pkey",
                    "Actual Loops": 3,
                    "Actual Rows": 1,
                    "Rows Removed by Filter": 2.5,
                },
            ],
        }
    ],
}


def test_rows_kept_and_left_out_are_counted_per_table_over_every_loop() -> None:
    assert rows_read_by_table(ACCESS_LOG_PAGE) == {
        "auditevent": RowsRead(kept=3, left_out=941),
        "clinic": RowsRead(kept=3, left_out=8),
    }


def test_a_read_is_wasteful_past_a_page_and_past_a_share_of_what_it_keeps() -> None:
    assert RowsRead(kept=3, left_out=941).wasteful
    assert not RowsRead(kept=3, left_out=LEFT_OUT_ROWS).wasteful  # a page's worth
    # The live month's unique visitors: 34,060 kept of 145,941 read, by a sequential scan.
    assert not RowsRead(kept=34_060, left_out=111_881).wasteful
    assert RowsRead(kept=1_000, left_out=LEFT_OUT_SHARE * 1_000 + 1).wasteful


def check(left_out: list[str]) -> PlanCheck:
    return PlanCheck(
        "AccessLog",
        "WITH access_logged AS (INSERT INTO auditevent ...) SELECT ...",
        ["Index Scan using ix_audit_subject_at on auditevent"],
        [],
        PlanTiming(custom_ms=0.3, generic_ms=0.3),
        left_out,
    )


def report_with(*plans: PlanCheck) -> Report:
    settings: Any = None  # the plan rows read neither the settings nor the identities
    report = Report(idp=settings, settings=settings, seconds=10.0, command="bench")
    report.plans = list(plans)
    return report


def test_a_statement_that_leaves_out_a_large_tables_rows_fails_the_target_and_is_named() -> None:
    report = report_with(check(["auditevent: 941 left out, 3 kept"]), check([]))
    [target] = [row for row in _plan_targets(report) if "leaves out" in row]
    assert target.endswith("| 1 of 2 | **no** |")
    [wasteful, kept] = [row for row in _plans(report) if row.startswith("| AccessLog")]
    assert "**auditevent: 941 left out, 3 kept: read to be left out**" in wasteful
    assert "left out" not in kept


def test_statements_that_keep_what_they_read_meet_the_target() -> None:
    report = report_with(check([]), check([]))
    [target] = [row for row in _plan_targets(report) if "leaves out" in row]
    assert target.endswith("| 2 of 2 | yes |")
