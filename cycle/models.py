"""The yearly cycle: milestones (what is due when, by whom) and reporting rounds.

This app depends on agreements and accounts; they never import it. Pages that show
milestones (dashboard, action list, party pages) import it.
"""

from __future__ import annotations

import calendar
import secrets
import uuid
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, JSONObject, NullIf
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from agreements.models import ActionParty
from agreements.predicates import editable_rows
from core.aggregates import JSONArrayAgg
from core.formats import nl_date
from core.links import reverse_cached
from core.models import CheckedTextModel, VersionedModel
from core.naturalkeys import NaturalKeyModel, NaturalKeyQuerySet
from core.validators import implausible_dates, plausible_date

#: Milestones due within this many days count as "binnenkort" (Mijn werk, reminders).
UPCOMING_DAYS = 14


class DuePrecision(models.TextChoices):
    """How precisely the document states a due date; the stored date is the period's last day."""

    DAY = "dag", "Dag"
    MONTH = "maand", "Maand"
    QUARTER = "kwartaal", "Kwartaal"
    HALF_YEAR = "halfjaar", "Halfjaar"
    YEAR = "jaar", "Jaar"


def period_end(year: int, precision: str, number: int = 1, day: int | None = None) -> date:
    """The last day of the printed period: Q1 2024 -> 31-03-2024, 2026 -> 31-12-2026."""
    if precision == DuePrecision.DAY:
        return date(year, number, day)
    if precision == DuePrecision.MONTH:
        return date(year, number, calendar.monthrange(year, number)[1])
    if precision == DuePrecision.QUARTER:
        month = number * 3
        return date(year, month, calendar.monthrange(year, month)[1])
    if precision == DuePrecision.HALF_YEAR:
        return date(year, 6, 30) if number == 1 else date(year, 12, 31)
    return date(year, 12, 31)


def end_of_period_containing(day: date, precision: str) -> date:
    """The last day of the month, quarter, half-year or year ``day`` lies in (the day itself
    for precision "dag"): the date a milestone of that precision is stored with."""
    if precision == DuePrecision.MONTH:
        return period_end(day.year, precision, day.month)
    if precision == DuePrecision.QUARTER:
        return period_end(day.year, precision, (day.month - 1) // 3 + 1)
    if precision == DuePrecision.HALF_YEAR:
        return period_end(day.year, precision, 1 if day.month <= 6 else 2)
    if precision == DuePrecision.YEAR:
        return period_end(day.year, precision)
    return day


def today() -> date:
    return timezone.localdate()


class MilestoneQuerySet(NaturalKeyQuerySet):
    def open(self):
        return self.filter(done_at__isnull=True)

    def overdue(self, on: date | None = None):
        """Open milestones whose due date has passed (the period's last day lies before ``on``)."""
        return self.open().filter(due_date__lt=on or today())

    def upcoming(self, on: date | None = None, days: int = UPCOMING_DAYS):
        on = on or today()
        return self.open().filter(due_date__gte=on, due_date__lte=on + timedelta(days=days))

    def due_or_overdue(self, on: date | None = None, days: int = UPCOMING_DAYS):
        on = on or today()
        return self.open().filter(due_date__lte=on + timedelta(days=days))

    def for_party(self, party):
        """Milestones the party answers for, directly or through a collective it belongs to.

        The collectives as a list or a subquery, not a join: no duplicate rows to remove with
        DISTINCT, so the rows can be counted, windowed and limited as they are."""
        return self.filter(party.with_collectives_q("responsible"))

    def editable_by(self, user):
        """Twin of ``cycle.manage_milestone``: the milestones the user may move or close."""

        def own(rows):
            party = user.party
            leads = ActionParty.objects.filter(action=OuterRef("action"), is_lead=True).filter(
                party.with_collectives_q("party")
            )
            wide = Q(action__isnull=True) & party.with_collectives_q("responsible")
            return rows.filter(Exists(leads) | wide)

        return editable_rows(self, user, own=own)


class Milestone(VersionedModel, NaturalKeyModel):
    """A dated commitment of the jaarschijf: of one action, or of the jaarschijf as a whole."""

    Precision = DuePrecision

    NATURAL_KEY = ("jaarschijf__year", "code")

    jaarschijf = models.ForeignKey(
        "agreements.Jaarschijf",
        verbose_name="jaarschijf",
        on_delete=models.CASCADE,
        related_name="milestones",
    )
    action = models.ForeignKey(
        "agreements.Action",
        verbose_name="afspraak",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="milestones",
        help_text="Leeg voor een mijlpaal van de jaarschijf als geheel.",
    )
    code = models.SlugField("code", max_length=80)
    description = models.TextField("wat", max_length=2000)
    due_date = models.DateField(
        "uiterste datum", help_text="De laatste dag van de periode die het document noemt."
    )
    due_precision = models.CharField(
        "precisie", max_length=10, choices=DuePrecision.choices, default=DuePrecision.DAY
    )
    due_text = models.CharField(
        "termijn zoals afgesproken", max_length=200, help_text="Bijvoorbeeld ‘Q1 2024’."
    )
    responsible = models.ForeignKey(
        "agreements.Party",
        verbose_name="verantwoordelijk",
        on_delete=models.PROTECT,
        related_name="milestones",
    )
    done_on = models.DateField(
        "afgerond op",
        null=True,
        blank=True,
        help_text="De dag waarop de mijlpaal is gehaald; leeg = nog open.",
    )
    done_at = models.DateTimeField(
        "afronding vastgelegd op",
        null=True,
        blank=True,
        help_text="Wanneer iemand de mijlpaal als afgerond vastlegde.",
    )
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="afgerond door",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    done_note = models.TextField(
        "toelichting bij de afronding",
        blank=True,
        max_length=4000,
        help_text="Hoe of waar de mijlpaal is gehaald; leeg bij een open mijlpaal.",
    )
    note = models.TextField("opmerking", blank=True)
    sort_order = models.PositiveSmallIntegerField("volgorde", default=0)

    history = HistoricalRecords()
    objects = MilestoneQuerySet.as_manager()

    class Meta:
        verbose_name = "mijlpaal"
        verbose_name_plural = "mijlpalen"
        ordering = ["due_date", "sort_order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["jaarschijf", "code"],
                name="milestone_code_unique_per_jaarschijf",
                violation_error_message="Er is al een mijlpaal met deze code in jaarschijf "
                "{jaarschijf.year}.",
            ),
            models.CheckConstraint(
                name="milestone_precision_valid", condition=Q(due_precision__in=DuePrecision.values)
            ),
            models.CheckConstraint(
                name="milestone_done_by_only_when_done",
                condition=Q(done_by__isnull=True) | Q(done_at__isnull=False),
            ),
            models.CheckConstraint(
                # Done has both its day and when that was recorded, open has neither.
                name="milestone_done_on_with_done_at",
                condition=Q(done_on__isnull=True, done_at__isnull=True)
                | Q(done_on__isnull=False, done_at__isnull=False),
            ),
            models.CheckConstraint(
                name="milestone_done_on_plausible", condition=plausible_date("done_on")
            ),
            models.CheckConstraint(
                # How it was reached belongs to a closing: an open milestone has none.
                name="milestone_done_note_only_when_done",
                condition=Q(done_note="") | Q(done_on__isnull=False),
            ),
            models.CheckConstraint(name="milestone_due_text_required", condition=~Q(due_text="")),
            models.CheckConstraint(
                name="milestone_due_date_plausible", condition=plausible_date("due_date")
            ),
        ]
        indexes = [
            # The open milestones by due date: Mijn werk counts the party's late and soon-due
            # ones from this index alone, and its list of open milestones reads it in order.
            models.Index(
                fields=["due_date", "responsible", "jaarschijf"],
                condition=Q(done_at__isnull=True),
                name="milestone_open_due",
            ),
            # Every milestone in the default order (the admin list): read from the top of
            # this index instead of sorting every milestone of every jaarschijf.
            models.Index(fields=["due_date", "sort_order", "id"], name="milestone_due_order"),
        ]

    def __str__(self):
        prefix = f"{self.action.number}: " if self.action_id else ""
        return f"{prefix}{self.short_description}"

    @property
    def short_description(self) -> str:
        return self.shorten(self.description)

    @staticmethod
    def shorten(description: str) -> str:
        text = " ".join(description.split())
        return text if len(text) <= 120 else text[:117].rstrip() + "…"

    @property
    def responsible_label(self) -> str:
        return self.responsible.label

    @property
    def move_url(self) -> str:
        return reverse_cached("cycle:milestone-move", (self.pk,))

    @property
    def close_url(self) -> str:
        return reverse_cached("cycle:milestone-close", (self.pk,))

    @property
    def is_done(self) -> bool:
        return self.done_on is not None

    def is_overdue(self, on: date | None = None) -> bool:
        return not self.is_done and self.due_date < (on or today())

    def clean(self):
        errors = implausible_dates(self, "due_date", "done_on")
        if "done_on" not in errors and self.done_on and self.done_on > today():
            errors["done_on"] = (
                f"Een mijlpaal kan niet in de toekomst gehaald zijn; vandaag is {nl_date(today())}."
            )
        if self.done_on and self.done_at is None:
            self.done_at = timezone.now()  # recorded now (the admin gives only the day)
        elif self.done_on is None and self.done_at is not None:
            errors["done_on"] = (
                "Vul de dag in waarop de mijlpaal is gehaald, of maak ook "
                "‘afronding vastgelegd op’ leeg als hij nog open is."
            )
        if self.done_by_id and self.done_at is None:
            errors["done_by"] = "Alleen een afgeronde mijlpaal heeft iemand die hem afrondde."
        if self.done_note and self.done_on is None:
            errors["done_note"] = (
                "Alleen een afgeronde mijlpaal heeft een toelichting bij de afronding; maak "
                "die leeg of vul de dag in waarop de mijlpaal is gehaald."
            )
        if (
            self.action_id
            and self.jaarschijf_id
            and self.action.jaarschijf_id != self.jaarschijf_id
        ):
            errors["action"] = "Kies een afspraak uit dezelfde jaarschijf."
        if not (self.due_text or "").strip():
            errors["due_text"] = "Schrijf de termijn zoals afgesproken, bijvoorbeeld ‘Q1 2024’."
        if "due_date" not in errors and self.due_date and self.due_precision:
            end = end_of_period_containing(self.due_date, self.due_precision)
            if end != self.due_date:
                precision = DuePrecision(self.due_precision).label.lower()
                errors["due_date"] = (
                    f"Bij een {precision} is de uiterste datum de laatste dag daarvan: "
                    f"{nl_date(end)} (of kies ‘Dag’ als de termijn een vaste dag is)."
                )
        if errors:
            raise ValidationError(errors)

    def get_absolute_url(self):
        if self.action_id:
            return f"{self.action.get_absolute_url()}#mijlpalen"
        return reverse("cycle:milestone-list")


def open_wide_milestones():
    """Annotation for a jaarschijf query: its open milestones of the jaarschijf as a whole, as
    JSON rows, so a page that already reads the jaarschijf lists them without a query of its
    own (``wide_milestones`` reads them)."""
    rows = (
        Milestone.objects.filter(jaarschijf=OuterRef("pk"), action__isnull=True)
        .open()
        .order_by()
        .values("jaarschijf")
        .annotate(
            rows=JSONArrayAgg(
                JSONObject(
                    pk="pk",
                    description="description",
                    due_date="due_date",
                    due_text="due_text",
                    sort_order="sort_order",
                    responsible=Coalesce(
                        NullIf(F("responsible__short_name"), models.Value("")),
                        F("responsible__name"),
                    ),
                )
            )
        )
        .values("rows")
    )
    return Subquery(rows, output_field=models.JSONField())


@dataclass
class WideMilestone:
    pk: int
    description: str
    due_date: date
    due_text: str
    responsible: str
    is_overdue: bool

    @property
    def short_description(self) -> str:
        return Milestone.shorten(self.description)


def wide_milestones(jaarschijf, on: date | None = None) -> list[WideMilestone]:
    """The open milestones of the jaarschijf as a whole, by due date; from the annotation
    ``open_wide_milestones`` when the jaarschijf carries it, else one query."""
    on = on or today()
    rows = getattr(jaarschijf, "open_wide_milestones", None)
    if rows is None and not hasattr(jaarschijf, "open_wide_milestones"):
        rows = (
            jaarschijf._meta.model.objects.filter(pk=jaarschijf.pk)
            .annotate(rows=open_wide_milestones())
            .values_list("rows", flat=True)[0]
        )
    result = []
    for row in sorted(rows or [], key=lambda r: (r["due_date"], r["sort_order"], r["pk"])):
        due = date.fromisoformat(row["due_date"][:10])
        result.append(
            WideMilestone(
                pk=row["pk"],
                description=row["description"],
                due_date=due,
                due_text=row["due_text"],
                responsible=row["responsible"],
                is_overdue=due < on,
            )
        )
    return result


class RoundStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "gesloten", "Gesloten"


class RoundQuerySet(NaturalKeyQuerySet):
    def open(self):
        return self.filter(status=RoundStatus.OPEN)


class ReportingRound(VersionedModel, NaturalKeyModel):
    """A rapportageronde: what the kernteam asks of the parties by a deadline.

    While open, the asks are computed from live data; closing stores ``snapshot`` (what every
    ask said at that moment) and the round's report is made from the snapshot only.
    """

    Status = RoundStatus

    NATURAL_KEY = ("jaarschijf__year", "name")

    jaarschijf = models.ForeignKey(
        "agreements.Jaarschijf",
        verbose_name="jaarschijf",
        on_delete=models.CASCADE,
        related_name="reporting_rounds",
    )
    name = models.CharField("naam", max_length=200)
    period_start = models.DateField("periode van")
    period_end = models.DateField("periode tot en met")
    deadline = models.DateField("uiterste aanleverdatum")
    status = models.CharField(
        "status", max_length=10, choices=RoundStatus.choices, default=RoundStatus.OPEN
    )
    opened_at = models.DateTimeField("geopend op", default=timezone.now)
    closed_at = models.DateTimeField("gesloten op", null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="gesloten door",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    snapshot = models.JSONField("stand bij sluiting", null=True, blank=True, editable=False)

    history = HistoricalRecords(excluded_fields=["snapshot"])
    objects = RoundQuerySet.as_manager()

    class Meta:
        verbose_name = "rapportageronde"
        verbose_name_plural = "rapportagerondes"
        ordering = ["-opened_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["jaarschijf", "name"],
                name="round_name_unique_per_jaarschijf",
                violation_error_message="Er is al een rapportageronde met deze naam in jaarschijf "
                "{jaarschijf.year}. Kies een andere naam.",
            ),
            models.CheckConstraint(
                name="round_status_valid", condition=Q(status__in=RoundStatus.values)
            ),
            models.CheckConstraint(
                name="round_period_in_order", condition=Q(period_start__lte=models.F("period_end"))
            ),
            models.CheckConstraint(
                name="round_deadline_after_period",
                condition=Q(deadline__gte=models.F("period_end")),
            ),
            models.CheckConstraint(
                name="round_dates_plausible",
                condition=plausible_date("period_start")
                & plausible_date("period_end")
                & plausible_date("deadline"),
            ),
            models.CheckConstraint(
                name="round_closed_has_snapshot",
                condition=Q(status="open", snapshot__isnull=True, closed_at__isnull=True)
                | Q(status="gesloten", snapshot__isnull=False, closed_at__isnull=False),
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_open(self) -> bool:
        return self.status == RoundStatus.OPEN

    @property
    def deadline_passed(self) -> bool:
        """Open after its deadline: what is still missing is late."""
        return self.is_open and self.deadline < today()

    def clean(self):
        # The period is what the parties report on; the deadline is the last day to deliver
        # that report. A deadline before the period ends would ask for figures of days that
        # have not yet happened.
        errors = implausible_dates(self, "period_start", "period_end", "deadline")
        if "period_end" not in errors and self.period_start and self.period_end:
            if self.period_start > self.period_end:
                errors["period_end"] = "De periode eindigt op of na de dag waarop zij begint."
        if not errors.keys() & {"period_end", "deadline"} and self.period_end and self.deadline:
            if self.deadline < self.period_end:
                errors["deadline"] = (
                    "De uiterste aanleverdatum ligt op of na het einde van de periode "
                    f"({nl_date(self.period_end)}): over de periode wordt aangeleverd als "
                    "zij voorbij is."
                )
        if errors:
            raise ValidationError(errors)

    def get_absolute_url(self):
        return reverse("cycle:round-detail", args=[self.pk])


class RoundItemKind(models.TextChoices):
    OPEN_ACTIONS = "open_afspraken", "Voortgang van alle open afspraken (per trekker)"
    INDICATOR = "kengetal", "Realisatie van een kengetal (per partij)"
    EFG = "efg", "EFG-realisatie per corporatie"
    DELIVERABLE = "stuk", "Aan te leveren stuk of cijfers (per partij)"


class RoundItem(CheckedTextModel):
    """One thing a round asks; the kernteam composes rounds from these kinds without code."""

    Kind = RoundItemKind

    round = models.ForeignKey(
        ReportingRound, verbose_name="ronde", on_delete=models.CASCADE, related_name="items"
    )
    kind = models.CharField("soort", max_length=20, choices=RoundItemKind.choices)
    indicator = models.ForeignKey(
        "agreements.Indicator",
        verbose_name="kengetal",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    party = models.ForeignKey(
        "agreements.Party",
        verbose_name="partij of collectief",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Voor een stuk: wie het aanlevert (een collectief: elk lid).",
    )
    label = models.CharField("omschrijving", max_length=300, blank=True)
    sort_order = models.PositiveSmallIntegerField("volgorde", default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "onderdeel van een ronde"
        verbose_name_plural = "onderdelen van een ronde"
        ordering = ["round", "sort_order", "pk"]
        constraints = [
            models.CheckConstraint(
                name="round_item_kind_valid", condition=Q(kind__in=RoundItemKind.values)
            ),
            models.CheckConstraint(
                name="round_item_indicator_iff_kind_indicator",
                condition=Q(kind="kengetal", indicator__isnull=False)
                | (~Q(kind="kengetal") & Q(indicator__isnull=True)),
            ),
            models.CheckConstraint(
                name="round_item_deliverable_has_label_and_party",
                condition=~Q(kind="stuk") | (~Q(label="") & Q(party__isnull=False)),
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def title(self) -> str:
        if self.label:
            return self.label
        if self.kind == RoundItemKind.INDICATOR and self.indicator_id:
            return f"Realisatie {self.indicator.name}"
        return self.get_kind_display()

    def clean(self):
        errors = {}
        if self.kind == RoundItemKind.INDICATOR and not self.indicator_id:
            errors["indicator"] = "Kies het kengetal waarvan de realisatie wordt gevraagd."
        if self.kind != RoundItemKind.INDICATOR and self.indicator_id:
            errors["indicator"] = (
                "Een kengetal hoort alleen bij de soort ‘realisatie van een kengetal’."
            )
        if self.kind == RoundItemKind.DELIVERABLE:
            if not self.label.strip():
                errors["label"] = "Beschrijf wat er aangeleverd moet worden."
            if not self.party_id:
                errors["party"] = "Kies de partij (of het collectief) die het stuk aanlevert."
        if errors:
            raise ValidationError(errors)


def submission_path(instance, filename) -> str:
    # Not the user's name: a random name under the round; the original name is kept.
    return f"rondes/{instance.item.round_id}/{uuid.uuid4().hex}"


class Submission(CheckedTextModel):
    """A party's answer to a deliverable item of a round: figures, a link, and/or a file.

    A file is checked on its content (agreements.evidence) and served only through a view
    that asks ``cycle.view_submission_file`` (cycle.views.submission_file).
    """

    item = models.ForeignKey(
        RoundItem, verbose_name="onderdeel", on_delete=models.CASCADE, related_name="submissions"
    )
    party = models.ForeignKey(
        "agreements.Party", verbose_name="partij", on_delete=models.PROTECT, related_name="+"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="ingediend door",
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField("ingediend op", default=timezone.now)
    text = models.TextField("cijfers of toelichting", max_length=4000, blank=True)
    evidence_url = models.URLField("link naar het bestand", max_length=500, blank=True)
    file = models.FileField("bestand", upload_to=submission_path, max_length=300, blank=True)
    original_name = models.CharField("bestandsnaam", max_length=255, blank=True)
    file_kind = models.CharField("soort bestand", max_length=16, blank=True)
    file_size = models.PositiveIntegerField("grootte (bytes)", null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "aanlevering"
        verbose_name_plural = "aanleveringen"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="submission_text_or_file", condition=~Q(text="") | ~Q(file="")
            ),
            models.CheckConstraint(
                name="submission_file_described",
                condition=Q(file="", original_name="", file_kind="", file_size__isnull=True)
                | (
                    ~Q(file="")
                    & ~Q(original_name="")
                    & ~Q(file_kind="")
                    & Q(file_size__isnull=False)
                ),
            ),
        ]

    def __str__(self):
        return f"{self.item} – {self.party}"

    def clean(self):
        if not (self.text or "").strip() and not self.file:
            raise ValidationError(
                {"text": "Vul de cijfers of een toelichting in, of voeg een bestand toe."}
            )


class ReminderKind(models.TextChoices):
    MILESTONE_UPCOMING = "mijlpaal_binnenkort", "Mijlpaal binnenkort"
    MILESTONE_OVERDUE = "mijlpaal_te_laat", "Mijlpaal te laat"
    ROUND_ITEM = "ronde", "Open onderdeel van een rapportageronde"


class ReminderSent(CheckedTextModel):
    """One reminder that went out; the same key never goes to the same person twice."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="gebruiker",
        on_delete=models.CASCADE,
        related_name="reminders_sent",
    )
    kind = models.CharField("soort", max_length=24, choices=ReminderKind.choices)
    key = models.CharField("sleutel", max_length=120)
    sent_at = models.DateTimeField("verstuurd op", default=timezone.now)

    class Meta:
        verbose_name = "verstuurde herinnering"
        verbose_name_plural = "verstuurde herinneringen"
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="reminder_once_per_user_and_key"),
            models.CheckConstraint(
                name="reminder_kind_valid", condition=Q(kind__in=ReminderKind.values)
            ),
        ]

    def __str__(self):
        return f"{self.user} – {self.key}"


def new_calendar_token() -> str:
    return secrets.token_urlsafe(32)
