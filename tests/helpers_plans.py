"""Helpers for the tests that read a query plan: how many rows of a table a query reads."""

from django.db import connection


def analysed_plan(sql: str, *, ruled_out: tuple[str, ...] = ()) -> dict:
    """The top node of ``EXPLAIN (ANALYZE, FORMAT JSON)`` of ``sql``.

    ``ruled_out``: planner methods switched off for this one plan ("seqscan", "sort"). A test
    table of a few hundred rows is cheaper to scan or sort than to search; ruled out, the plan
    shows what PostgreSQL can do at scale (where it picks the index itself).
    """
    with connection.cursor() as cursor:
        for method in ruled_out:
            cursor.execute(f"SET LOCAL enable_{method} = off")
        cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql)
        plan = cursor.fetchone()[0][0]["Plan"]
        for method in ruled_out:
            cursor.execute(f"RESET enable_{method}")
    return plan


def scans_of(plan: dict, table: str):
    """(rows, loops) of every node of an EXPLAIN ANALYZE plan that reads ``table``."""
    if plan.get("Relation Name") == table:
        yield plan["Actual Rows"], plan["Actual Loops"]
    for child in plan.get("Plans", ()):
        yield from scans_of(child, table)


def rows_read(plan: dict, table: str) -> int:
    """Rows of ``table`` a plan looked at: the ones it kept and the ones its filters dropped."""
    read = 0
    if plan.get("Relation Name") == table:
        read += (plan["Actual Rows"] + plan.get("Rows Removed by Filter", 0)) * plan["Actual Loops"]
    return read + sum(rows_read(child, table) for child in plan.get("Plans", ()))
