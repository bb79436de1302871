"""The round report as workbook sheets for the existing writer; rows come from the snapshot."""

from __future__ import annotations

from collections.abc import Iterator

from core.workbook import FORMAT_INTEGER, Column, Sheet, StyledRow, year

from .rounds import (
    SNAPSHOT_REASON_WORDS,
    asks_of,
    compare,
    per_party,
    previous_round,
    snapshot_as_of,
    snapshot_reason,
)

ABOUT_COLUMNS = [Column("", 26), Column("", 60, wrap=True)]
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
    previous = previous_round(reporting_round)
    differences = compare(asks, previous)

    def about() -> Iterator[list | StyledRow]:
        """What the file is: which round, which period, the state of which moment."""
        as_of = snapshot_as_of(reporting_round)
        yield StyledRow([f"Rapport {reporting_round.name}"], "title")
        yield ["Jaarschijf", year(reporting_round.jaarschijf.year)]
        yield ["Periode van", reporting_round.period_start]
        yield ["Periode tot en met", reporting_round.period_end]
        yield ["Uiterste aanleverdatum", reporting_round.deadline]
        yield ["Status", reporting_round.get_status_display()]
        yield ["Gesloten op", reporting_round.closed_at]
        yield ["Stand van", as_of]
        yield [
            "Peilmoment",
            as_of and SNAPSHOT_REASON_WORDS[snapshot_reason(reporting_round, as_of)].capitalize(),
        ]
        yield ["Gevraagd", len(asks)]
        yield ["Aangeleverd", sum(1 for ask in asks if ask.delivered)]
        yield [
            "Vergeleken met",
            previous.name if previous else "geen: er is geen eerder gesloten ronde",
        ]

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
        Sheet("Ronde", ABOUT_COLUMNS, about(), table=False),
        Sheet("Per partij", SUMMARY_COLUMNS, summary()),
        Sheet("Onderdelen", ASK_COLUMNS, details()),
    ]
