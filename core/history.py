"""The audit trail as people read it: who changed what, when, from which value to which.

django-simple-history stores a full copy of a row per save. These helpers turn a row's
records into a list of changes (old → new per field), and make sure that rows loaded from
the signed document have a first record, so that their first change can show the old value
and a round's report can read what they said at its deadline.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.db import models
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from core.formats import nl_date, nl_datetime, nl_decimal, nl_number

#: The change reason of the record that keeps a row's state before its first change in the
#: application (rows loaded from the document with loaddata have no history of their own).
BASELINE_REASON = "Stand vóór de eerste wijziging (zoals geladen uit het document)"

#: Bookkeeping columns that every change touches; showing them would only add noise.
NOISE_FIELDS = frozenset({"version", "updated_by", "updated_at"})

EMPTY = "leeg"


@dataclass(frozen=True)
class FieldChange:
    name: str
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class Change:
    """One historical record compared with the one before it."""

    user: object | None
    date: datetime
    kind: str
    reason: str
    version: int | None
    fields: list[FieldChange] = field(default_factory=list)

    @property
    def is_baseline(self) -> bool:
        return self.reason == BASELINE_REASON


KIND_LABELS = {"+": "aangemaakt", "~": "gewijzigd", "-": "verwijderd"}


def display_value(model_field: models.Field, value) -> str:
    """A stored value as a reader knows it: the label of a choice, "leeg" for nothing."""
    if value is None or value == "":
        return EMPTY
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if model_field.is_relation:
        # A relation by name (to_field, e.g. a wijk) is readable as it is stored.
        if getattr(model_field, "to_fields", None) and model_field.to_fields[0] not in (None, "id"):
            return str(value)
        # The record holds the id only; naming the row would cost a query per change.
        return f"nr. {value}"
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, Decimal):
        return nl_decimal(value)
    if isinstance(value, date):
        return nl_datetime(value) if isinstance(value, datetime) else nl_date(value)
    if isinstance(value, int) and not is_code_like(model_field):
        return nl_number(value)
    return str(value)


def is_code_like(model_field: models.Field) -> bool:
    """Years and positions are read as labels, not amounts: 2026, not 2.026."""
    return "year" in model_field.name or model_field.name in ("position", "sort_order")


def ensure_baseline(instance: models.Model) -> None:
    """Record the row as stored now, if it has no history yet.

    Rows loaded from the signed document (loaddata) have no history; without this record
    their first change could not show the document's value as "old".
    """
    model = type(instance)
    attribute = getattr(model._meta, "simple_history_manager_attribute", None)
    if attribute is None or instance.pk is None:
        return
    history = getattr(model, attribute)
    if history.filter(**{model._meta.pk.attname: instance.pk}).exists():
        return
    stored = model._default_manager.filter(pk=instance.pk).first()
    if stored is None:
        return
    # Nobody made this state in the application; without this the middleware would name
    # the user who happens to make the first change.
    stored._history_user = None
    history.bulk_history_create([stored], default_change_reason=BASELINE_REASON)


@contextmanager
def rows_loaded() -> Iterator[list[tuple[type[models.Model], object]]]:
    """Collect (model, primary key) of every row that a fixture load saves inside the block.

    loaddata saves each row "raw" (``post_save`` with ``raw=True``) and, like every raw save,
    without a history record.
    """
    rows: list[tuple[type[models.Model], object]] = []

    def collect(sender, instance, raw=False, **kwargs):
        if raw:
            rows.append((sender, instance.pk))

    post_save.connect(collect, weak=False, dispatch_uid="core.history.rows_loaded")
    try:
        yield rows
    finally:
        post_save.disconnect(dispatch_uid="core.history.rows_loaded")


def _tracked(rows):
    """``rows`` (model, primary key) per model whose history is kept: (model, its history
    manager, the primary keys)."""
    by_model: dict[type[models.Model], set] = defaultdict(set)
    for model, pk in rows:
        by_model[model].add(pk)
    for model, pks in by_model.items():
        attribute = getattr(model._meta, "simple_history_manager_attribute", None)
        if attribute is not None:
            yield model, getattr(model, attribute), pks


def record_baselines(rows, *, at: datetime) -> int:
    """Give every tracked row of ``rows`` without history its first record: the row as stored,
    dated ``at``, by nobody, with the baseline reason. Rows that have history keep it as it is
    (loading the same document twice adds nothing). Returns the number of records made."""
    made = 0
    for model, history, pks in _tracked(rows):
        pk_name = model._meta.pk.attname
        known = set(
            history.filter(**{f"{pk_name}__in": pks}).values_list(pk_name, flat=True).distinct()
        )
        fresh = list(model._base_manager.filter(pk__in=pks - known).order_by("pk"))
        for row in fresh:
            row._history_user = None  # nobody made this state in the application
        made += len(
            history.bulk_history_create(
                fresh, batch_size=500, default_change_reason=BASELINE_REASON, default_date=at
            )
        )
    return made


def record_loaded_state(rows, *, reason: str, when, who) -> int:
    """Give every tracked row of ``rows`` (from :func:`rows_loaded`) a history record of its
    state as loaded: dated ``when(row)``, by ``who(row)``, with ``reason``. For a load that
    changes rows which already have history (a demo over the document): without it, the next
    edit's record would credit its editor with everything the load changed. Returns the
    number of records made."""
    made = 0
    for model, history, pks in _tracked(rows):
        loaded = list(model._base_manager.filter(pk__in=pks).order_by("pk"))
        for row in loaded:
            row._history_date = when(row)
            row._history_user = who(row)
        made += len(
            history.bulk_history_create(loaded, batch_size=500, default_change_reason=reason)
        )
    return made


@receiver(pre_save, dispatch_uid="core.history.baseline")
def keep_state_before_first_change(sender, instance, raw=False, **kwargs):
    """Before any tracked row is changed (form, admin, import), make sure it has a baseline."""
    if raw or instance._state.adding:
        return
    if getattr(sender._meta, "simple_history_manager_attribute", None) is None:
        return
    ensure_baseline(instance)


def changes_of(records, *, fields: list[str] | None = None) -> list[Change]:
    """The records of one row as changes, newest first.

    ``records`` may come in any order; it is read once (one query), each record is compared
    with its predecessor in Python, so the number of queries does not grow with the history.
    ``fields`` limits which fields are compared (default: every editable, tracked field).
    """
    ordered = sorted(records, key=lambda r: (r.history_date, r.history_id))
    result = []
    previous = None
    for record in ordered:
        model_fields = [
            f
            for f in record.instance_type._meta.concrete_fields
            if f.editable
            and f.name not in NOISE_FIELDS
            and (fields is None or f.name in fields)
            and not f.primary_key
        ]
        changed = []
        if previous is not None:
            for model_field in model_fields:
                old = getattr(previous, model_field.attname)
                new = getattr(record, model_field.attname)
                if old != new:
                    changed.append(
                        FieldChange(
                            name=model_field.name,
                            label=str(model_field.verbose_name),
                            old=display_value(model_field, old),
                            new=display_value(model_field, new),
                        )
                    )
        result.append(
            Change(
                user=record.history_user,
                date=record.history_date,
                kind=KIND_LABELS.get(record.history_type, record.history_type),
                reason=record.history_change_reason or "",
                version=getattr(record, "version", None),
                fields=changed,
            )
        )
        previous = record
    result.reverse()
    return result


def changes_since(instance: models.Model, version: int) -> list[Change]:
    """The changes other people saved after ``version``, newest first (for a conflict)."""
    records = (
        type(instance)
        .history.filter(**{instance._meta.pk.attname: instance.pk})
        .select_related("history_user")
    )
    all_changes = changes_of(records)
    return [c for c in all_changes if c.version is not None and c.version > version]
