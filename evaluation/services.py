"""Writes of the evaluation area that touch several models: applying an import, drawing up
the next jaarschijf and changing a jaarschijf's status. Each runs in one transaction, checks
the permission itself (the command line passes ``user=None``) and records the user in the
history."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from agreements.models import (
    CLOSED_STATUSES,
    EVALUATED_ONLY_BY_VASTSTELLING,
    Action,
    ActionParty,
    HeadlineFigure,
    Indicator,
    IndicatorValue,
    Jaarschijf,
    JaarschijfStatus,
    Theme,
)
from core.bulk import clean_changed, constraint_violations, record_history, update_rows
from core.versioning import ConflictError, apply_versioned
from projects.models import Project, ProjectBreakdown, ProjectStatus
from sustainability.models import EnergyLabelFigure, EnergyLabelNote

from .importer import IMPORTABLE_FIELDS, ChangeSet, Problem, WorkbookError

BATCH_SIZE = 500


def _require(user, perm: str, obj) -> None:
    if user is not None and not user.has_perm(perm, obj):
        raise PermissionDenied


# --- Import -----------------------------------------------------------------------------


#: The kinds of row an import changes: model and the permission a user needs on each row
#: (checked through its QuerySet twin ``editable_by``).
IMPORT_MODELS = {
    "project": (Project, "projects.update_project"),
    "labelfigure": (EnergyLabelFigure, "sustainability.update_labelfigure"),
}


@transaction.atomic
def apply_change_set(*, jaarschijf: Jaarschijf, change_set: ChangeSet, user) -> int:
    """Write every change of ``change_set`` or none of them; returns the rows changed.

    The rows are locked and compared with the version they had when the workbook was read:
    a row that someone changed in the meantime fails the whole import (optimistic locking),
    as does a row the user may no longer change. Only IMPORTABLE_FIELDS are written, whatever
    the change set says. Raises :class:`WorkbookError` (nothing written) or PermissionDenied.

    Set-based: per kind of row one locking query, one UPDATE for all rows (:mod:`core.bulk`;
    the field validators and ``clean()`` run in Python, the database checks the constraints
    and only when it refuses are the refused rows named, with the model's messages) and
    the history records in one INSERT … SELECT, so the cost per row is Python, not SQL statements. The history records the user and the file.
    """
    if change_set.year != jaarschijf.year:
        raise WorkbookError("Deze wijzigingen horen bij een andere jaarschijf.")
    _require(user, "agreements.import_workbook", jaarschijf)
    locked = {}
    existing: dict[str, set[int]] = {}
    for kind, (model, _perm) in IMPORT_MODELS.items():
        pks = [row.pk for row in change_set.rows if row.kind == kind]
        rows = model.objects.filter(jaarschijf=jaarschijf, pk__in=pks)
        if user is not None:
            # The QuerySet twin of the permission: one query instead of a check per row.
            rows = rows.editable_by(user)
        locked[kind] = {obj.pk: obj for obj in rows.select_for_update(of=("self",))}
        missing = set(pks) - set(locked[kind])
        # Only when a row was left out: which of them still exist (the user may not change those).
        existing[kind] = (
            set(model.objects.filter(pk__in=missing).values_list("pk", flat=True))
            if missing
            else set()
        )
    problems: list[Problem] = []
    reason = f"Import werkmap {change_set.filename}".strip()
    now = timezone.now()
    to_write: dict[str, list] = {kind: [] for kind in IMPORT_MODELS}
    origin: dict[tuple[str, int], object] = {}
    for row in change_set.rows:
        obj = locked[row.kind].get(row.pk)
        if obj is None:
            if row.pk in existing[row.kind]:
                problems.append(Problem(f"U mag {row.label} niet wijzigen.", row.sheet, row.row))
            else:
                problems.append(Problem(f"{row.label} bestaat niet meer.", row.sheet, row.row))
            continue
        obj.jaarschijf = jaarschijf
        fields = {}
        for change in row.changes:
            if change.field not in IMPORTABLE_FIELDS[row.kind]:
                raise WorkbookError(f"Het veld {change.label} kan niet worden geïmporteerd.")
            fields[change.field] = change.value
        try:
            changed = apply_versioned(
                locked=obj, user=user, version=row.version, changes=fields, noun=row.label
            )
            if changed:
                clean_changed(obj, changed)
        except ConflictError:
            problems.append(
                Problem(
                    f"{row.label} is gewijzigd nadat u de werkmap uploadde. Upload de werkmap "
                    "opnieuw om de wijzigingen te zien.",
                    row.sheet,
                    row.row,
                )
            )
            continue
        except ValidationError as exc:
            problems += [Problem(f"{row.label}: {m}", row.sheet, row.row) for m in exc.messages]
            continue
        if changed:
            obj._change_reason = reason
            if hasattr(obj, "updated_at"):
                obj.updated_at = now  # auto_now is not applied by bulk_update
            to_write[row.kind].append(obj)
            origin[(row.kind, obj.pk)] = row

    def refused_rows() -> list[Problem]:
        """The rows a check constraint of their model refuses, with the model's messages."""
        refused = []
        for kind, objs in to_write.items():
            model, _perm = IMPORT_MODELS[kind]
            violations = constraint_violations(model, objs, IMPORTABLE_FIELDS[kind])
            for pk, messages in violations.items():
                row = origin[(kind, pk)]
                refused += [Problem(f"{row.label}: {m}", row.sheet, row.row) for m in messages]
        return refused

    if problems:
        raise WorkbookError(problems + refused_rows())
    written = {kind: objs for kind, objs in to_write.items() if objs}
    try:
        # The database checks the rules of every row in the set-based write; only when it
        # refuses (nothing written: the savepoint is rolled back) are the rows named.
        with transaction.atomic():
            for kind, objs in written.items():
                model, _perm = IMPORT_MODELS[kind]
                fields = sorted(IMPORTABLE_FIELDS[kind] | {"version", "updated_by"})
                if hasattr(model, "updated_at"):
                    fields.append("updated_at")
                update_rows(model, objs, fields)
    except IntegrityError:
        refused = refused_rows()
        if not refused:
            raise
        raise WorkbookError(refused) from None
    changed_rows = 0
    for kind, objs in written.items():
        model, _perm = IMPORT_MODELS[kind]
        # One INSERT … SELECT of the rows as written, not a historical instance per row.
        record_history(model, objs, user=user, reason=reason, date=now)
        changed_rows += len(objs)
    return changed_rows


# --- Jaarschijf status ------------------------------------------------------------------

#: Which status may follow which by hand. Geëvalueerd is not among them: only the vaststelling
#: (every signing party akkoord, evaluation.vaststelling.record_decision) gets a jaarschijf
#: there, a rule of the model (Jaarschijf.clean). Reopening an evaluated jaarschijf is
#: possible, but the permission rules leave it to the beheerder.
TRANSITIONS = {
    JaarschijfStatus.CONCEPT: (JaarschijfStatus.VASTGESTELD,),
    JaarschijfStatus.VASTGESTELD: (JaarschijfStatus.CONCEPT,),
    JaarschijfStatus.GEEVALUEERD: (JaarschijfStatus.VASTGESTELD,),
}
TRANSITION_LABELS = {
    (JaarschijfStatus.CONCEPT, JaarschijfStatus.VASTGESTELD): "Markeer als vastgesteld",
    (JaarschijfStatus.VASTGESTELD, JaarschijfStatus.CONCEPT): "Terug naar concept",
    (JaarschijfStatus.GEEVALUEERD, JaarschijfStatus.VASTGESTELD): "Heropenen (vastgesteld)",
}


def allowed_transitions(jaarschijf: Jaarschijf) -> list[tuple[str, str]]:
    """(status, button label) pairs that may follow the jaarschijf's current status."""
    current = JaarschijfStatus(jaarschijf.status)
    return [(s.value, TRANSITION_LABELS[(current, s)]) for s in TRANSITIONS[current]]


@transaction.atomic
def set_jaarschijf_status(*, jaarschijf: Jaarschijf, status: str, user) -> Jaarschijf:
    """Move the jaarschijf to ``status`` if that may follow its current status.

    Marking it geëvalueerd makes it read-only for everyone but the beheerder (the rules check
    ``jaarschijf_open``). Raises PermissionDenied or ValidationError.
    """
    _require(user, "agreements.manage_jaarschijf", jaarschijf)
    locked = Jaarschijf.objects.select_for_update().get(pk=jaarschijf.pk)
    if status == JaarschijfStatus.GEEVALUEERD and locked.status != status:
        raise ValidationError({"status": EVALUATED_ONLY_BY_VASTSTELLING})
    if status not in dict(allowed_transitions(locked)):
        raise ValidationError(
            {
                "status": f"Een jaarschijf met status {locked.get_status_display().lower()} kan "
                f"niet naar deze status."
            }
        )
    locked.status = status
    locked.full_clean()
    locked._history_user = user
    locked.save()
    jaarschijf.status = locked.status
    return locked


# --- Next jaarschijf --------------------------------------------------------------------


def carried_actions(source: Jaarschijf):
    """Actions whose current status is not afgerond or vervallen: they go to the next year."""
    return (
        Action.objects.filter(jaarschijf=source)
        .with_progress()
        .exclude(current_status__in=CLOSED_STATUSES)
        .numeric_order()
    )


def carried_projects(source: Jaarschijf):
    """Projects that are not gerealiseerd and not vervallen."""
    return Project.objects.filter(jaarschijf=source).exclude(
        status__in=[ProjectStatus.GEREALISEERD, ProjectStatus.VERVALLEN]
    )


def carried_label_figures(source: Jaarschijf):
    """The EFG trajectory from the new year on; the realised values stay with their year."""
    return EnergyLabelFigure.objects.filter(jaarschijf=source, year__gte=source.year + 1)


@dataclass
class NextJaarschijfSummary:
    """What drawing up the next jaarschijf copies or carries forward (before or after)."""

    year: int
    themes: int
    actions: int
    projects: int
    label_figures: int
    indicators: int
    headline_figures: int
    jaarschijf: Jaarschijf | None = None


def next_jaarschijf_summary(source: Jaarschijf) -> NextJaarschijfSummary:
    actions = carried_actions(source)
    return NextJaarschijfSummary(
        year=source.year + 1,
        themes=source.themes.count(),
        actions=actions.count(),
        projects=carried_projects(source).count(),
        label_figures=carried_label_figures(source).count(),
        indicators=Indicator.objects.filter(action__in=actions.values("pk")).count(),
        headline_figures=source.headline_figures.count(),
    )


def _valid(obj):
    """Validate a copied row without a query per row.

    The relations point at rows that were just read or created in this transaction, and the
    uniqueness rules hold by construction in a new jaarschijf; the database still enforces
    every constraint, inside the same transaction.
    """
    relations = [f.name for f in obj._meta.concrete_fields if f.is_relation]
    obj.full_clean(exclude=relations, validate_unique=False, validate_constraints=False)
    return obj


def _shift_period(period: str, source_year: int, year: int) -> str | None:
    """The period a carried target belongs to in the new jaarschijf, or None to drop it.

    Targets of the source year move to the new year ("2024-H1" -> "2025-H1"); targets of
    later years stay; targets of earlier years are history and stay behind. A period that
    names no year ("doorlopend") is kept.
    """
    match = re.match(r"^(\d{4})(.*)$", period)
    if not match:
        return period
    period_year = int(match[1])
    if period_year == source_year:
        return f"{year}{match[2]}"
    if period_year >= year:
        return period
    return None


@transaction.atomic
def create_next_jaarschijf(*, source: Jaarschijf, user, title: str = "") -> NextJaarschijfSummary:
    """Draw up jaarschijf ``source.year + 1`` from ``source``, as a concept.

    - Themes are copied; parties are global and reused.
    - Every action that is not afgerond or vervallen is carried forward with the same number,
      theme and parties, linked to it through ``origin``; its progress updates stay behind.
    - The indicators of the carried actions come along with their targets, without
      realisations (see :func:`_shift_period` for the periods).
    - Every project that is not gerealiseerd or vervallen is carried forward (``origin``),
      with its breakdowns, status and expected completion; realised dwellings and the
      explanation belong to the year reported on and stay behind.
    - The EFG trajectory is carried for the years from the new year on (targets only) with the
      corporations' notes; realised values stay with their year.
    - The headline figures are carried as definitions, without the printed value.
    - The BAT stock is NOT copied: it is a count on a reference date, and the corporations
      deliver a new one for each jaarschijf; a copy would show last year's count as current.
    - Signatories are not copied: the new jaarschijf is signed anew.
    """
    _require(user, "agreements.manage_jaarschijf", source)
    year = source.year + 1
    if Jaarschijf.objects.filter(year=year).exists():
        raise ValidationError({"__all__": f"Jaarschijf {year} bestaat al."})
    reason = f"Doorgeschoven uit jaarschijf {source.year}"

    def create(objs, model):
        return bulk_create_with_history(
            [_valid(o) for o in objs],
            model,
            batch_size=BATCH_SIZE,
            default_user=user,
            default_change_reason=reason,
        )

    new = Jaarschijf(
        year=year,
        title=title or source.title,
        municipality=source.municipality,
        status=JaarschijfStatus.CONCEPT,
        previous=source,
    )
    new.full_clean()
    new._history_user = user
    new._change_reason = reason
    new.save()

    themes = create(
        [
            Theme(jaarschijf=new, number=t.number, title=t.title, intro=t.intro)
            for t in source.themes.order_by("number")
        ],
        Theme,
    )
    theme_by_number = {t.number: t for t in themes}

    # Actions, their parties and indicators
    originals = list(
        carried_actions(source)
        .select_related("theme")
        .prefetch_related("action_parties", "indicators__values")
    )
    new_actions = []
    for original in originals:
        action = Action(
            jaarschijf=new,
            theme=theme_by_number[original.theme.number],
            number=original.number,
            text=original.text,
            note=original.note,
            origin=original,
        )
        # bulk_create does not call save(), which derives the sort keys.
        action.number_major, action.number_minor = Action.number_parts(action.number)
        new_actions.append(action)
    new_actions = create(new_actions, Action)
    create(
        [
            ActionParty(
                action=action, party_id=ap.party_id, is_lead=ap.is_lead, sort_order=ap.sort_order
            )
            for original, action in zip(originals, new_actions, strict=True)
            for ap in original.action_parties.all()
        ],
        ActionParty,
    )
    indicator_pairs = [
        (indicator, action)
        for original, action in zip(originals, new_actions, strict=True)
        for indicator in original.indicators.all()
    ]
    new_indicators = create(
        [
            Indicator(
                jaarschijf=new,
                action=action,
                code=indicator.code,
                name=indicator.name,
                unit=indicator.unit,
                sort_order=indicator.sort_order,
                note=indicator.note,
            )
            for indicator, action in indicator_pairs
        ],
        Indicator,
    )
    values = []
    for (indicator, _action), new_indicator in zip(indicator_pairs, new_indicators, strict=True):
        originals_values = list(indicator.values.all())
        taken = {(v.party_id, v.period) for v in originals_values}
        for value in originals_values:
            period = _shift_period(value.period, source.year, year)
            if period is None:
                continue
            # An explicit target for the new year wins over the carried one of this year.
            if period != value.period and (value.party_id, period) in taken:
                continue
            taken.add((value.party_id, period))
            values.append(
                IndicatorValue(
                    indicator=new_indicator,
                    party_id=value.party_id,
                    period=period,
                    target=value.target,
                    target_text=value.target_text,
                    target_comparator=value.target_comparator,
                    target_state=value.target_state,
                    target_qualifier=value.target_qualifier,
                    sort_order=value.sort_order,
                )
            )
    create(values, IndicatorValue)

    # Projects and their breakdowns
    original_projects = list(
        carried_projects(source).order_by("category", "position").prefetch_related("breakdowns")
    )
    new_projects = create(
        [
            Project(
                jaarschijf=new,
                category=p.category,
                position=p.position,
                name=p.name,
                neighbourhood_id=p.neighbourhood_id,
                corporation_id=p.corporation_id,
                dwellings=p.dwellings,
                dwellings_comparator=p.dwellings_comparator,
                dwellings_state=p.dwellings_state,
                dwellings_after=p.dwellings_after,
                dwellings_text=p.dwellings_text,
                dwelling_type=p.dwelling_type,
                bat_class=p.bat_class,
                rent_class=p.rent_class,
                description=p.description,
                source_note=p.source_note,
                status=p.status,
                expected_year=p.expected_year,
                expected_quarter=p.expected_quarter,
                origin=p,
                updated_by=user,
            )
            for p in original_projects
        ],
        Project,
    )
    new_by_original = {p.pk: n for p, n in zip(original_projects, new_projects, strict=True)}
    create(
        [
            ProjectBreakdown(
                project=new_by_original[p.pk],
                kind=b.kind,
                position=b.position,
                label=b.label,
                count=b.count,
                approximate=b.approximate,
            )
            for p in original_projects
            for b in p.breakdowns.all()
        ],
        ProjectBreakdown,
    )
    for p in original_projects:
        duplicate = new_by_original.get(p.possible_duplicate_of_id)
        if duplicate is not None:
            carried = new_by_original[p.pk]
            carried.possible_duplicate_of = duplicate
            carried._history_user = user
            carried.save(update_fields=["possible_duplicate_of"])

    # EFG trajectory and notes
    figures = create(
        [
            EnergyLabelFigure(
                jaarschijf=new,
                corporation_id=f.corporation_id,
                year=f.year,
                target=f.target,
                updated_by=user,
            )
            for f in carried_label_figures(source)
        ],
        EnergyLabelFigure,
    )
    create(
        [
            EnergyLabelNote(jaarschijf=new, corporation_id=n.corporation_id, text=n.text)
            for n in EnergyLabelNote.objects.filter(jaarschijf=source)
        ],
        EnergyLabelNote,
    )

    headline = create(
        [
            HeadlineFigure(
                jaarschijf=new,
                sort_order=h.sort_order,
                label=h.label,
                theme_label=h.theme_label,
                source=h.source,
                category=h.category,
                year=year if h.year == source.year else h.year,
            )
            for h in source.headline_figures.all()
        ],
        HeadlineFigure,
    )
    return NextJaarschijfSummary(
        year=year,
        themes=len(themes),
        actions=len(new_actions),
        projects=len(new_projects),
        label_figures=len(figures),
        indicators=len(new_indicators),
        headline_figures=len(headline),
        jaarschijf=new,
    )
