"""The round report as workbook sheets for the existing writer; rows come from the snapshot."""

from __future__ import annotations

from collections.abc import Iterator

from core.workbook import FORMAT_INTEGER, Column, Sheet

from .rounds import asks_of, compare, per_party, previous_round

SUMMARY_COLUMNS = [
    Column("Partij", 30),
    Column("Gevraagd", 12, FORMAT_INTEGER),
    Column("Aangeleverd", 12, FORMAT_INTEGER),
]
ASK_COLUMNS = [
    Column("Partij", 24),
    Column("Onderdeel", 36, wrap=True),
    Column("Onderwerp", 30, wrap=True),
    Column("Aangeleverd", 12),
    Column("Vastgelegde stand", 50, wrap=True),
    Column("Sinds de vorige rapportage", 30, wrap=True),
]


def round_sheets(reporting_round) -> list[Sheet]:
    asks = asks_of(reporting_round)
    differences = compare(asks, previous_round(reporting_round))

    def summary() -> Iterator[list]:
        for row in per_party(asks):
            yield [row.party, row.asked, row.delivered]

    def details() -> Iterator[list]:
        for ask in asks:
            yield [
                ask.party,
                ask.item,
                ask.subject,
                ask.delivered,
                ask.value or None,
                differences.get(ask.key) or None,
            ]

    return [
        Sheet("Per partij", SUMMARY_COLUMNS, summary()),
        Sheet("Onderdelen", ASK_COLUMNS, details()),
    ]
