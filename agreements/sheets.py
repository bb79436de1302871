"""The action columns of every workbook, declared once, and the rows that fill them.

The action-list download uses :data:`ACTION_COLUMNS`; the evaluation's sheet Afspraken adds
:data:`EVALUATION_COLUMNS`. The exporter, the importer and the tests read the headers from
these declarations; :mod:`core.workbook` writes them.

"Trekker" names the leading parties and "Betrokken partijen" the others; the status,
percentage and note are those of the latest progress update (an action without one is "Niet
gestart" with an empty, unknown percentage). "% gereed" is a fraction in a percentage cell.
A status cell is filled with the colour declared next to its choices (agreements.choices).
"Afspraak" is the full text of the agreement without Markdown emphasis.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from core.workbook import (
    FORMAT_DATE,
    FORMAT_DATETIME,
    FORMAT_PERCENT,
    FORMAT_TEXT,
    Column,
    fraction,
)

from .models import (
    Action,
    ActionParty,
    ActionStatus,
    Evaluation,
    EvaluationAssessment,
    ProgressUpdate,
)

# Widths add up to what a landscape A4 page holds at >= 9 pt once fitted to its width (the
# evaluation's Afspraken sheet, about 165 characters): long texts wrap instead of widening.
ACTION_COLUMNS = (
    Column("Nummer", width=8, number_format=FORMAT_TEXT),
    Column("Thema", width=13, wrap=True),
    Column("Afspraak", width=36, wrap=True),
    Column("Trekker", width=12, wrap=True),
    Column("Betrokken partijen", width=13, wrap=True),
    Column("Status", width=11, wrap=True, fills=ActionStatus.fills()),
    Column("% gereed", width=8, wrap=True, number_format=FORMAT_PERCENT),
    Column("Laatste update", width=11, wrap=True, number_format=FORMAT_DATE),
)
EVALUATION_COLUMNS = (
    Column("Toelichting", width=20, wrap=True),
    Column("Oordeel", width=10, wrap=True, fills=EvaluationAssessment.fills()),
    Column("Evaluatie", width=22, wrap=True),
)
PROGRESS_COLUMNS = (
    Column("Datum", width=17, number_format=FORMAT_DATETIME),
    Column("Afspraak", width=10, number_format=FORMAT_TEXT),
    Column("Auteur", width=22),
    Column("Partij", width=20),
    Column("Status", width=14, fills=ActionStatus.fills()),
    Column("% gereed", width=10, number_format=FORMAT_PERCENT),
    Column("Toelichting", width=60, wrap=True),
    Column("Onderbouwing (link)", width=40, wrap=True),
)


def plain_text(markdown: str) -> str:
    """The action text without Markdown emphasis; paragraphs and bullets stay readable."""
    return re.sub(r"\*\*|__", "", markdown or "").strip()


def local_date(value, tz):
    """The local date of ``value`` in ``tz`` (the current time zone, looked up once per sheet:
    a lookup per row costs more than the conversion)."""
    return value.astimezone(tz).date() if value is not None else None


def local_datetime(value, tz):
    """Excel knows no time zones: the local wall-clock time, as people read it."""
    return value.astimezone(tz).replace(tzinfo=None) if value is not None else None


def action_rows(actions, *, evaluation: bool = False) -> Iterator[list[Any]]:
    """One row per action of the ``actions`` QuerySet, in the order of ACTION_COLUMNS.

    With ``evaluation`` the row goes on with EVALUATION_COLUMNS: the latest update's note and
    the kernteam's latest judgement. A fixed number of queries, however many actions.
    """
    # Plain values instead of model instances: the sheet needs no model behaviour, and
    # building thousands of instances costs more than the queries.
    selected = actions.values("pk")
    parties: dict[int, tuple[list[str], list[str]]] = {}
    for action_id, is_lead, short_name, name in (
        ActionParty.objects.filter(action__in=selected)
        .order_by("action_id", "sort_order", "pk")
        .values_list("action_id", "is_lead", "party__short_name", "party__name")
    ):
        leads, others = parties.setdefault(action_id, ([], []))
        (leads if is_lead else others).append(short_name or name)
    latest_update = ProgressUpdate.objects.filter(action=OuterRef("pk")).order_by(
        "-created_at", "-pk"
    )
    latest_evaluation = Evaluation.objects.filter(action=OuterRef("pk")).order_by(
        "-created_at", "-pk"
    )
    fields = [
        "pk",
        "number",
        "theme__number",
        "theme__title",
        "text",
        "current_status",
        "current_percent",
        "last_update_at",
        "latest_update_id",
    ]
    rows = Action.objects.filter(pk__in=selected).with_progress()
    if evaluation:
        rows = rows.annotate(
            latest_explanation=Subquery(latest_update.values("explanation")[:1]),
            latest_assessment=Subquery(latest_evaluation.values("assessment")[:1]),
            latest_evaluation_text=Subquery(latest_evaluation.values("explanation")[:1]),
        )
        fields += ["latest_explanation", "latest_assessment", "latest_evaluation_text"]
    status_labels = dict(ActionStatus.choices)
    assessment_labels = dict(EvaluationAssessment.choices)
    tz = timezone.get_current_timezone()
    # The actions of a jaarschijf are as many as its document agrees (tens to hundreds, at
    # every scale): one fetch. A server-side cursor (.iterator()) costs three round trips
    # (DECLARE, FETCH, CLOSE) for the same rows; the sheets without such a bound (Voortgang,
    # Projecten) stream through one.
    for values in rows.numeric_order().values_list(*fields):
        pk, number, theme_number, theme_title, text, status, percent, updated, update_id = values[
            :9
        ]
        leads, others = parties.get(pk, ((), ()))
        row = [
            number,
            f"{theme_number}. {theme_title}",
            plain_text(text),
            ", ".join(leads),
            ", ".join(others),
            status_labels.get(status, status),
            fraction(percent) if update_id is not None else None,
            local_date(updated, tz),
        ]
        if evaluation:
            explanation, assessment, evaluation_text = values[9:]
            row += [
                explanation or None,
                assessment_labels.get(assessment) if assessment else None,
                evaluation_text or None,
            ]
        yield row


def progress_rows(jaarschijf) -> Iterator[list[Any]]:
    """Every progress update of the jaarschijf, oldest first, in the order of PROGRESS_COLUMNS."""
    updates = (
        ProgressUpdate.objects.filter(action__jaarschijf=jaarschijf)
        .order_by("created_at", "pk")
        .values_list(
            "created_at",
            "action__number",
            "author__username",
            "author__first_name",
            "author__last_name",
            "party__short_name",
            "party__name",
            "status",
            "percent_done",
            "explanation",
            "evidence_url",
        )
    )
    status_labels = dict(ActionStatus.choices)
    tz = timezone.get_current_timezone()
    for (
        created_at,
        number,
        username,
        first_name,
        last_name,
        short_name,
        party,
        status,
        percent,
        explanation,
        evidence,
    ) in updates.iterator(chunk_size=2000):
        # As User.__str__: the full name, else the username.
        author = f"{first_name or ''} {last_name or ''}".strip() or username
        yield [
            local_datetime(created_at, tz),
            number,
            author or None,
            short_name or party or None,
            status_labels.get(status, status),
            fraction(percent),
            explanation or None,
            evidence or None,
        ]
