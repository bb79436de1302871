import re
import uuid
from datetime import datetime, time, timedelta
from functools import cached_property

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, RegexValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q, Subquery
from django.db.models.functions import JSONObject
from django.db.models.lookups import IsNull
from django.utils import timezone
from simple_history.models import HistoricalRecords

from core.aggregates import JSONArrayAgg
from core.figures import Comparator, Total
from core.formats import nl_decimal, period_label
from core.links import reverse_cached
from core.models import CheckedTextModel, VersionedModel
from core.naturalkeys import NaturalKeyModel, NaturalKeyQuerySet
from core.validators import implausible_dates, plausible_date

# The choices live in choices.py (the predicates need them without the models); they are
# re-exported here so that ``from agreements.models import ActionStatus`` keeps working.
from .choices import (  # noqa: F401
    CLOSED_STATUSES,
    STATUSES_NEEDING_EXPLANATION,
    ActionStatus,
    EvaluationAssessment,
    JaarschijfStatus,
    PartyKind,
)
from .predicates import editable_rows

ACTION_NUMBER_RE = r"^\d{1,3}\.\d{1,3}$"


class PartyQuerySet(NaturalKeyQuerySet):
    def corporations(self):
        return self.filter(kind=Party.Kind.CORPORATIE)


class Party(NaturalKeyModel):
    """A signing party, or a collective that the document names as responsible."""

    Kind = PartyKind

    NATURAL_KEY = ("name",)

    name = models.CharField("naam", max_length=200, unique=True)
    short_name = models.CharField("korte naam", max_length=60, blank=True)
    slug = models.SlugField("slug", max_length=80, unique=True)
    kind = models.CharField("soort", max_length=32, choices=Kind.choices)
    corporation = models.ForeignKey(
        "self",
        verbose_name="hoort bij corporatie",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tenant_organisations",
        limit_choices_to={"kind": "corporatie"},
    )
    members = models.ManyToManyField(
        "self",
        verbose_name="leden",
        symmetrical=False,
        blank=True,
        related_name="collectives",
        help_text="Voor een collectief: de partijen die er deel van uitmaken.",
    )
    sort_order = models.PositiveSmallIntegerField("volgorde", default=0)
    note = models.TextField("opmerking", blank=True)

    history = HistoricalRecords(m2m_fields=[members])
    objects = PartyQuerySet.as_manager()

    class Meta:
        verbose_name = "partij"
        verbose_name_plural = "partijen"
        ordering = ["sort_order", "name"]
        constraints = [
            models.CheckConstraint(name="party_kind_valid", condition=Q(kind__in=PartyKind.values)),
        ]

    def __str__(self):
        return self.name

    @property
    def label(self) -> str:
        return self.short_name or self.name

    @property
    def is_corporation(self) -> bool:
        return self.kind == PartyKind.CORPORATIE

    def get_absolute_url(self):
        return reverse_cached("overview:party-detail", (self.slug,))

    @cached_property
    def ids_with_collectives(self) -> tuple[int, ...]:
        """The party's pk and the pks of the collectives it belongs to: one query, once per
        instance (or set by a page that has read the memberships already)."""
        return (self.pk, *self.collectives.order_by("pk").values_list("pk", flat=True))

    def with_collectives_q(self, field: str) -> Q:
        """``field`` (a foreign key to Party) is this party or a collective it belongs to.

        A plain ``IN`` list when ``ids_with_collectives`` is known, else a subquery of the
        memberships: never a query of its own, and never a join through the memberships per
        row (which made every subquery over the parties of an action a hash join).
        """
        known = self.__dict__.get("ids_with_collectives")
        if known is not None:
            return Q(**{f"{field}__in": known})
        return Q(**{field: self.pk}) | Q(**{f"{field}__in": self.collectives.values("pk")})


class Signatory(NaturalKeyModel):
    NATURAL_KEY = ("jaarschijf__year", "name")

    jaarschijf = models.ForeignKey(
        "Jaarschijf",
        verbose_name="jaarschijf",
        on_delete=models.CASCADE,
        related_name="signatories",
    )
    party = models.ForeignKey(
        Party, verbose_name="partij", on_delete=models.PROTECT, related_name="signatories"
    )
    name = models.CharField("naam", max_length=200)
    function = models.CharField(
        "functie",
        max_length=200,
        blank=True,
        help_text="Leeg als het document bij de handtekening geen functie noemt.",
    )
    sort_order = models.PositiveSmallIntegerField("volgorde", default=0)

    objects = NaturalKeyQuerySet.as_manager()

    class Meta:
        verbose_name = "ondertekenaar"
        verbose_name_plural = "ondertekenaars"
        ordering = ["jaarschijf", "sort_order"]
        constraints = [
            models.UniqueConstraint(
                fields=["jaarschijf", "name"],
                name="signatory_unique_per_jaarschijf",
                violation_error_message="Er is al een ondertekenaar met deze naam in jaarschijf "
                "{jaarschijf.year}.",
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.party})"


class JaarschijfQuerySet(NaturalKeyQuerySet):
    pass


class Jaarschijf(NaturalKeyModel):
    Status = JaarschijfStatus

    NATURAL_KEY = ("year",)
    #: A jaarschijf's year has four digits (the URLs and ``?jaar=`` take four) and starts in
    #: 2000. No tighter upper bound: synthetic data sets for speed measurements
    #: (``generate_data --scale 1000``) need more than a century of free years.
    FIRST_YEAR, LAST_YEAR = 2000, 9999

    year = models.PositiveSmallIntegerField("jaar", unique=True)
    title = models.CharField("titel", max_length=200)
    municipality = models.ForeignKey(
        Party,
        verbose_name="gemeente",
        on_delete=models.PROTECT,
        related_name="jaarschijven",
        limit_choices_to={"kind": "gemeente"},
    )
    signed_on = models.DateField("datum ondertekening", null=True, blank=True)
    status = models.CharField(
        "status", max_length=16, choices=Status.choices, default=Status.CONCEPT
    )
    previous = models.ForeignKey(
        "self",
        verbose_name="voortgekomen uit",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="successors",
    )

    history = HistoricalRecords()
    objects = JaarschijfQuerySet.as_manager()

    class Meta:
        verbose_name = "jaarschijf"
        verbose_name_plural = "jaarschijven"
        ordering = ["-year"]
        indexes = [
            # The newest jaarschijf that is not a concept (the default one shown, and what a
            # visitor may read): found at the top of this index, however many concepts exist.
            models.Index(
                fields=["year"],
                name="jaarschijf_settled_year",
                condition=~Q(status=JaarschijfStatus.CONCEPT),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                name="jaarschijf_year_four_digits_from_2000",
                condition=Q(year__gte=2000) & Q(year__lte=9999),
            ),
            models.CheckConstraint(
                name="jaarschijf_status_valid", condition=Q(status__in=JaarschijfStatus.values)
            ),
            models.CheckConstraint(
                name="jaarschijf_signed_on_plausible", condition=plausible_date("signed_on")
            ),
        ]

    def __str__(self):
        return f"Jaarschijf {self.year}"

    @property
    def is_evaluated(self) -> bool:
        return self.status == self.Status.GEEVALUEERD

    def clean(self):
        """Geëvalueerd only through the vaststelling: every signing party said akkoord. The
        same rule for the vaststelling, the status page, the admin and every other write.
        The signing day is a plausible date (core.validators)."""
        errors = implausible_dates(self, "signed_on")
        if self.status == self.Status.GEEVALUEERD and self.pk is not None:
            stored = Jaarschijf.objects.filter(pk=self.pk).values_list("status", flat=True).first()
            if stored != self.Status.GEEVALUEERD and not self.evaluation_agreed():
                errors["status"] = EVALUATED_ONLY_BY_VASTSTELLING
        if errors:
            raise ValidationError(errors)

    def evaluation_agreed(self) -> bool:
        """Every party that signed the jaarschijf agreed to its evaluation. The decisions are
        the vaststelling's (evaluation app), read through its reverse relations: agreements
        never imports the layer above it."""
        parties = set(self.signatories.values_list("party_id", flat=True))
        vaststelling = getattr(self, "vaststelling", None)
        if not parties or vaststelling is None:
            return False
        agreed = vaststelling.approvals.filter(decision=APPROVAL_AGREED)
        return parties <= set(agreed.values_list("party_id", flat=True))


#: The decision value with which a signing party agrees (evaluation.models.Decision.AKKOORD).
APPROVAL_AGREED = "akkoord"
EVALUATED_ONLY_BY_VASTSTELLING = (
    "Een jaarschijf wordt geëvalueerd door de vaststelling: pas als elke partij die de "
    "jaarschijf ondertekende akkoord is gegaan met de evaluatie."
)


class Theme(NaturalKeyModel):
    NATURAL_KEY = ("jaarschijf__year", "number")

    jaarschijf = models.ForeignKey(
        Jaarschijf, verbose_name="jaarschijf", on_delete=models.CASCADE, related_name="themes"
    )
    number = models.PositiveSmallIntegerField("nummer")
    title = models.CharField("titel", max_length=200)
    intro = models.TextField("inleiding", blank=True)

    history = HistoricalRecords()
    objects = NaturalKeyQuerySet.as_manager()

    class Meta:
        verbose_name = "thema"
        verbose_name_plural = "thema's"
        ordering = ["jaarschijf", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["jaarschijf", "number"],
                name="theme_number_unique_per_jaarschijf",
                violation_error_message="Er is al een thema met dit nummer in jaarschijf "
                "{jaarschijf.year}.",
            )
        ]

    def __str__(self):
        return f"{self.number}. {self.title}"


def recent_since(days=None, now=None) -> datetime:
    """Where "the last ``days`` days" begin: midnight (local time) ``days`` days before today.

    Whole days, as the pages show an update's date without its time: two actions last updated
    on the same day are both recent or both stale, and what is stale changes only at midnight
    (which lets a page be kept for the rest of the day, core.fragments).
    """
    days = settings.STALE_AFTER_DAYS if days is None else days
    first_day = timezone.localdate(now) - timedelta(days=days)
    return timezone.make_aware(datetime.combine(first_day, time.min))


def _recent_updates(days, now):
    """The updates of the (outer) action in the last ``days`` days: what "stale" is not."""
    return ProgressUpdate.objects.filter(
        action=OuterRef("pk"), created_at__gte=recent_since(days, now)
    )


def takes_part(party, *, lead_only=False, directly=False, per_action=True):
    """Whether the party takes part in the action (``OuterRef("pk")``), directly or through a
    collective it belongs to: a condition for ``filter()`` or ``annotate()``.

    ``party``: a Party, or an expression (``OuterRef``) for a party of an outer query.
    ``directly``: only where the party itself is named (not through a collective).

    ``per_action`` (for the actions of one jaarschijf, or one action): asked per action, as
    "the action's first such party link is not null" (a scalar subquery, one index probe per
    action). As ``EXISTS``, PostgreSQL answered it with one hashed pass over the party's
    links in every jaarschijf whenever it guessed that cheaper, a cost that grew with the
    number of jaarschijven (3–14 ms at scale 100 in the action query of one jaarschijf).
    ``per_action=False`` (over the actions of every jaarschijf, the API and the admin, or for
    every party at once, the party list's counts): as ``EXISTS``, which PostgreSQL may answer
    from the party's links (counting a party's actions in every jaarschijf at scale 1000: 82 ms
    against 318 ms probing every action; the party list's counts 17 ms against 40 ms).
    """
    parties = ActionParty.objects.filter(action=OuterRef("pk"))
    if isinstance(party, Party):
        parties = parties.filter(Q(party=party) if directly else party.with_collectives_q("party"))
    else:  # an expression (OuterRef): the collectives through the memberships
        parties = parties.filter(
            Q(party=party) if directly else Q(party=party) | Q(party__members=party)
        )
    if lead_only:
        parties = parties.filter(is_lead=True)
    if not per_action:
        return Exists(parties)
    return IsNull(Subquery(parties.order_by().values("pk")[:1]), False)


class ActionQuerySet(NaturalKeyQuerySet):
    def numeric_order(self):
        return self.order_by("jaarschijf__year", "number_major", "number_minor")

    def with_progress(self):
        """Annotate the latest progress update: status, percentage, date, author's party.

        One correlated subquery per column instead of one query per action.
        """
        latest = ProgressUpdate.objects.filter(action=OuterRef("pk")).order_by("-created_at", "-pk")
        return self.annotate(
            current_status=models.functions.Coalesce(
                Subquery(latest.values("status")[:1]), models.Value(ActionStatus.NIET_GESTART)
            ),
            current_percent=models.functions.Coalesce(
                Subquery(latest.values("percent_done")[:1]), models.Value(0)
            ),
            last_update_at=Subquery(latest.values("created_at")[:1]),
            latest_update_id=Subquery(latest.values("pk")[:1]),
        )

    def with_party_links(self):
        """Annotate ``party_links``: the action's parties as a list of dicts (party_id, name,
        short_name, is_lead, sort_order, pk), from one correlated subquery instead of a
        prefetch query (and its model instances).

        The dashboard uses it to show its actions in the action table within its query bound;
        ``agreements.tables`` reads it where present.
        """
        links = (
            ActionParty.objects.filter(action=OuterRef("pk"))
            .order_by()
            .values("action")
            .annotate(
                rows=JSONArrayAgg(
                    JSONObject(
                        pk="pk",
                        party_id="party_id",
                        is_lead="is_lead",
                        sort_order="sort_order",
                        name="party__name",
                        short_name="party__short_name",
                    )
                )
            )
            .values("rows")
        )
        return self.annotate(party_links=Subquery(links))

    def with_overdue_milestones(self, on=None):
        """Annotate ``overdue_milestones``: open milestones (cycle app) past their due date."""
        on = on or timezone.localdate()
        # A correlated count, not Count() over a join: the join made the whole action query
        # GROUP BY every selected column (with the progress subqueries in the group key), a sort
        # and a group step over wide rows, and several milliseconds more planning per request.
        milestone = self.model._meta.get_field("milestones").related_model  # cycle sits above
        late = (
            milestone.objects.filter(action=OuterRef("pk"), done_at__isnull=True, due_date__lt=on)
            .order_by()
            .values("action")
            .annotate(late=models.Count("pk"))
            .values("late")
        )
        return self.annotate(
            overdue_milestones=models.functions.Coalesce(
                Subquery(late, output_field=models.IntegerField()), models.Value(0)
            )
        )

    def involving(self, party, *, lead_only=False, directly=False, per_action=True):
        """Actions the party takes part in, directly or through a collective it belongs to
        (``takes_part``; ``per_action=False`` over the actions of every jaarschijf)."""
        return self.filter(
            takes_part(party, lead_only=lead_only, directly=directly, per_action=per_action)
        )

    def editable_by(self, user):
        """The actions the user may post progress updates on: twin of agreements.update_action."""
        return editable_rows(self, user, own=lambda rows: rows.involving(user.party))

    def stale(self, *, days=None, now=None):
        """Open actions without any progress update in the last ``days`` days."""
        return self.exclude(Exists(_recent_updates(days, now)))

    def with_staleness(self, *, days=None, now=None):
        """Annotate ``is_stale``: no progress update in the last ``days`` days (``stale()``).

        A correlated ``NOT EXISTS`` on the action's own updates: filtering a second action
        query by pk instead made PostgreSQL read every action of every jaarschijf."""
        return self.annotate(is_stale=~Exists(_recent_updates(days, now)))


class Action(VersionedModel, NaturalKeyModel):
    """An afspraak of a jaarschijf, numbered as printed ("1.7")."""

    NATURAL_KEY = ("jaarschijf__year", "number")

    jaarschijf = models.ForeignKey(
        Jaarschijf, verbose_name="jaarschijf", on_delete=models.CASCADE, related_name="actions"
    )
    theme = models.ForeignKey(
        Theme, verbose_name="thema", on_delete=models.PROTECT, related_name="actions"
    )
    number = models.CharField(
        "nummer",
        max_length=8,
        validators=[RegexValidator(ACTION_NUMBER_RE, "Gebruik een nummer als 1.7 of 3.12.")],
    )
    # Derived from number on save, so that 1.10 sorts after 1.9 in every database.
    number_major = models.PositiveSmallIntegerField(editable=False, default=0)
    number_minor = models.PositiveSmallIntegerField(editable=False, default=0)
    text = models.TextField("tekst", help_text="Markdown: alinea's, **kopjes** en - opsommingen.")
    note = models.TextField("opmerking bij de bron", blank=True)
    parties = models.ManyToManyField(
        Party, verbose_name="partijen", through="ActionParty", related_name="actions"
    )
    origin = models.ForeignKey(
        "self",
        verbose_name="doorgeschoven uit",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="carried_forward",
    )

    history = HistoricalRecords()
    objects = ActionQuerySet.as_manager()

    class Meta:
        verbose_name = "afspraak"
        verbose_name_plural = "afspraken"
        ordering = ["jaarschijf__year", "number_major", "number_minor"]
        constraints = [
            models.UniqueConstraint(
                fields=["jaarschijf", "number"],
                name="action_number_unique_per_jaarschijf",
                violation_error_message="Er is al een afspraak met dit nummer in jaarschijf "
                "{jaarschijf.year}.",
            ),
        ]

    def __str__(self):
        return f"{self.number} {self.short_text}"

    def save(self, *args, **kwargs):
        self.number_major, self.number_minor = self.number_parts(self.number)
        super().save(*args, **kwargs)

    @staticmethod
    def number_parts(number: str) -> tuple[int, int]:
        match = re.match(r"^(\d+)\.(\d+)$", number or "")
        return (int(match[1]), int(match[2])) if match else (0, 0)

    @property
    def short_text(self) -> str:
        """The first sentence of the text without markup, for lists."""
        plain = re.sub(r"[*_#>]+", "", self.text).replace("\n", " ").strip()
        plain = re.sub(r"^- ", "", plain)
        first = re.split(r"(?<=[.!?])\s", plain, maxsplit=1)[0]
        return first if len(first) <= 140 else first[:137].rstrip() + "…"

    def get_absolute_url(self):
        return reverse_cached("agreements:action-detail", (self.jaarschijf.year, self.number))


class ActionParty(NaturalKeyModel):
    NATURAL_KEY = ("action__jaarschijf__year", "action__number", "party__name")

    action = models.ForeignKey(
        Action, verbose_name="afspraak", on_delete=models.CASCADE, related_name="action_parties"
    )
    party = models.ForeignKey(
        Party, verbose_name="partij", on_delete=models.PROTECT, related_name="action_parties"
    )
    is_lead = models.BooleanField("trekker", default=False)
    sort_order = models.PositiveSmallIntegerField("volgorde", default=0)

    history = HistoricalRecords()
    objects = NaturalKeyQuerySet.as_manager()

    class Meta:
        verbose_name = "betrokken partij"
        verbose_name_plural = "betrokken partijen"
        ordering = ["action", "sort_order"]
        constraints = [
            models.UniqueConstraint(
                fields=["action", "party"],
                name="action_party_unique",
                violation_error_message="Deze partij hoort al bij afspraak {action.number}.",
            )
        ]

    def __str__(self):
        return f"{self.party}{' (trekker)' if self.is_lead else ''}"


DONE_MESSAGE = "Een afgeronde afspraak is voor 100 % gereed. Vul 100 in of kies een andere status."
NOT_STARTED_MESSAGE = (
    "Een afspraak die niet gestart is, staat op 0 %. Vul 0 in of kies een andere status."
)


class ProgressUpdate(CheckedTextModel):
    """Append-only: the action's current status is its latest update."""

    action = models.ForeignKey(
        Action, verbose_name="afspraak", on_delete=models.CASCADE, related_name="updates"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="auteur",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="progress_updates",
    )
    party = models.ForeignKey(
        Party,
        verbose_name="partij",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="progress_updates",
    )
    created_at = models.DateTimeField("datum", default=timezone.now, db_index=True)
    status = models.CharField("status", max_length=16, choices=ActionStatus.choices)
    percent_done = models.PositiveSmallIntegerField("% gereed", validators=[MaxValueValidator(100)])
    explanation = models.TextField("toelichting", max_length=4000, blank=True)
    evidence_url = models.URLField("link naar onderbouwing", max_length=500, blank=True)
    # The status and percentage are public (PUBLIC_DASHBOARD); the note is the kernteam's,
    # unless its writer publishes it.
    is_public = models.BooleanField(
        "toelichting openbaar",
        default=False,
        help_text="Bezoekers zonder login zien de toelichting en de link alleen als dit aan staat.",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "voortgangsupdate"
        verbose_name_plural = "voortgangsupdates"
        ordering = ["-created_at", "-pk"]
        # The latest update of an action (with_progress, the workbooks) is one index probe,
        # however many updates the action has.
        indexes = [
            models.Index(fields=["action", "-created_at", "-id"], name="progress_latest_per_action")
        ]
        constraints = [
            models.CheckConstraint(
                name="progress_percent_0_100", condition=Q(percent_done__lte=100)
            ),
            models.CheckConstraint(
                name="progress_status_valid", condition=Q(status__in=ActionStatus.values)
            ),
            models.CheckConstraint(
                name="progress_explanation_when_late_or_dropped",
                condition=~Q(status__in=[s.value for s in STATUSES_NEEDING_EXPLANATION])
                | ~Q(explanation=""),
            ),
            models.CheckConstraint(
                name="progress_afgerond_is_100_percent",
                condition=~Q(status=ActionStatus.AFGEROND) | Q(percent_done=100),
                violation_error_message=DONE_MESSAGE,
            ),
            models.CheckConstraint(
                name="progress_niet_gestart_is_0_percent",
                condition=~Q(status=ActionStatus.NIET_GESTART) | Q(percent_done=0),
                violation_error_message=NOT_STARTED_MESSAGE,
            ),
        ]

    def __str__(self):
        return f"{self.action.number}: {self.get_status_display()} ({self.percent_done} %)"

    #: What makes two updates "the same": sending an unchanged form again adds nothing.
    SAME_AS_LATEST_FIELDS = ("status", "percent_done", "explanation", "evidence_url")

    def clean(self):
        """The status rules, at the field that breaks them; the constraints hold them in the
        database too, so a command, the import or an API cannot store "afgerond, 40 %"."""
        super().clean()
        errors = {}
        percent = self.percent_done
        if self.status == ActionStatus.AFGEROND and percent is not None and percent != 100:
            errors["percent_done"] = DONE_MESSAGE
        if self.status == ActionStatus.NIET_GESTART and percent:
            errors["percent_done"] = NOT_STARTED_MESSAGE
        if self.status in STATUSES_NEEDING_EXPLANATION and not (self.explanation or "").strip():
            label = ActionStatus(self.status).label.lower()
            errors["explanation"] = (
                f"Licht toe waarom de afspraak {label} is; lezers willen weten waarom."
            )
        if errors:
            raise ValidationError(errors)
        # A new update that repeats the action's latest one is refused: sending the unchanged
        # form again would store an empty duplicate and reset the "aandacht nodig" clock.
        if self.pk is not None or self.action_id is None or getattr(self, "has_new_files", False):
            return
        latest = (
            ProgressUpdate.objects.filter(action_id=self.action_id)
            .order_by("-created_at", "-pk")
            .values("pk", *self.SAME_AS_LATEST_FIELDS)
            .first()
        )
        if latest is None:
            return
        latest_pk = latest.pop("pk")
        mine = {name: getattr(self, name) for name in self.SAME_AS_LATEST_FIELDS}
        # Evidence is the link and the files: an update after one with files differs from it.
        if latest == mine and not ProgressEvidence.objects.filter(update_id=latest_pk).exists():
            raise ValidationError(
                "Niet opgeslagen: deze update is gelijk aan de laatste (zelfde status, "
                "percentage, toelichting en onderbouwing). Wijzig iets of laat weten wat er "
                "nieuw is in de toelichting."
            )


def evidence_path(instance, filename) -> str:
    # The stored name is not the user's: a random name under the action, the original kept.
    return f"onderbouwing/{instance.update.action_id}/{uuid.uuid4().hex}"


class ProgressEvidence(CheckedTextModel):
    """A file (report, decision, photo) attached to a progress update; served only to readers
    of the update, as a download (agreements.views.evidence_download)."""

    update = models.ForeignKey(
        ProgressUpdate,
        verbose_name="voortgangsupdate",
        on_delete=models.CASCADE,
        related_name="evidence_files",
    )
    file = models.FileField("bestand", upload_to=evidence_path, max_length=300)
    original_name = models.CharField("bestandsnaam", max_length=255)
    kind = models.CharField("soort", max_length=16)
    size = models.PositiveIntegerField("grootte (bytes)")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="geüpload door",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField("datum", default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "bestand bij voortgang"
        verbose_name_plural = "bestanden bij voortgang"
        ordering = ["update", "pk"]

    def __str__(self):
        return self.original_name


class Evaluation(CheckedTextModel):
    """The kernteam's judgement of an action for the annual evaluation; the latest counts."""

    Assessment = EvaluationAssessment

    action = models.ForeignKey(
        Action, verbose_name="afspraak", on_delete=models.CASCADE, related_name="evaluations"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="auteur",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="evaluations",
    )
    created_at = models.DateTimeField("datum", default=timezone.now)
    assessment = models.CharField("oordeel", max_length=16, choices=Assessment.choices)
    explanation = models.TextField("toelichting", max_length=4000)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "evaluatie"
        verbose_name_plural = "evaluaties"
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(
                fields=["action", "-created_at", "-id"], name="evaluation_latest_per_action"
            )
        ]
        constraints = [
            models.CheckConstraint(
                name="evaluation_assessment_valid",
                condition=Q(assessment__in=EvaluationAssessment.values),
            ),
        ]

    def __str__(self):
        return f"{self.action.number}: {self.get_assessment_display()}"


class TargetState(models.TextChoices):
    VASTGESTELD = "vastgesteld", "Vastgesteld"
    NIET_VASTGESTELD = "niet_vastgesteld", "Nog niet vastgesteld"
    ONBEKEND = "onbekend", "Onbekend"


class Indicator(NaturalKeyModel):
    """A kengetal that an action states, with targets and realisations per party and period."""

    NATURAL_KEY = ("jaarschijf__year", "code")

    jaarschijf = models.ForeignKey(
        Jaarschijf, verbose_name="jaarschijf", on_delete=models.CASCADE, related_name="indicators"
    )
    action = models.ForeignKey(
        Action, verbose_name="afspraak", on_delete=models.CASCADE, related_name="indicators"
    )
    code = models.SlugField("code", max_length=80)
    name = models.CharField("kengetal", max_length=200)
    unit = models.CharField("eenheid", max_length=60, blank=True)
    sort_order = models.PositiveSmallIntegerField("volgorde", default=0)
    note = models.TextField("opmerking", blank=True)

    history = HistoricalRecords()
    objects = NaturalKeyQuerySet.as_manager()

    class Meta:
        verbose_name = "kengetal"
        verbose_name_plural = "kengetallen"
        ordering = ["jaarschijf", "sort_order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["jaarschijf", "code"],
                name="indicator_code_unique_per_jaarschijf",
                violation_error_message="Er is al een kengetal met deze code in jaarschijf "
                "{jaarschijf.year}.",
            ),
        ]

    def __str__(self):
        return self.name


REALISED_COMPARATOR_NEEDS_NUMBER = (
    "Vul bij ‘circa’, ‘ruim’, ‘minimaal’ of ‘maximaal’ ook het getal in; is de realisatie nog "
    "niet bekend, laat het getal dan leeg en kies ‘exact’."
)


class IndicatorValue(VersionedModel, NaturalKeyModel):
    NATURAL_KEY = ("indicator__jaarschijf__year", "indicator__code", "period", "party__name")

    indicator = models.ForeignKey(
        Indicator, verbose_name="kengetal", on_delete=models.CASCADE, related_name="values"
    )
    party = models.ForeignKey(
        Party,
        verbose_name="partij",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="indicator_values",
    )
    period = models.CharField("periode", max_length=20, help_text="Bijvoorbeeld 2024 of 2024-H1.")
    target_comparator = models.CharField(
        "vergelijking doel", max_length=16, choices=Comparator.choices, default=Comparator.EXACT
    )
    target = models.DecimalField("doel", max_digits=12, decimal_places=2, null=True, blank=True)
    target_state = models.CharField(
        "status doel",
        max_length=16,
        choices=TargetState.choices,
        default=TargetState.VASTGESTELD,
        help_text="Een doel zonder getal is 'nog niet vastgesteld' of 'onbekend', nooit 0.",
    )
    target_qualifier = models.CharField(
        "soort doel",
        max_length=100,
        blank=True,
        help_text="Wat bij het getal hoort, bv. 'restopgave 2023' (niet de taakstelling van dat jaar).",
    )
    target_text = models.CharField("doel zoals afgesproken", max_length=200, blank=True)
    realised_comparator = models.CharField(
        "vergelijking realisatie",
        max_length=16,
        choices=Comparator.choices,
        default=Comparator.EXACT,
    )
    realised = models.DecimalField(
        "realisatie", max_digits=12, decimal_places=2, null=True, blank=True
    )
    realised_note = models.TextField("toelichting realisatie", max_length=4000, blank=True)
    sort_order = models.PositiveSmallIntegerField("volgorde", default=0)

    history = HistoricalRecords()
    objects = NaturalKeyQuerySet.as_manager()

    class Meta:
        verbose_name = "kengetalwaarde"
        verbose_name_plural = "kengetalwaarden"
        ordering = ["indicator", "sort_order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "party", "period"],
                condition=Q(party__isnull=False),
                name="indicator_value_unique_per_party_period",
            ),
            models.UniqueConstraint(
                fields=["indicator", "period"],
                condition=Q(party__isnull=True),
                name="indicator_value_unique_per_period_without_party",
            ),
            models.CheckConstraint(
                name="indicator_value_target_comparator_valid",
                condition=Q(target_comparator__in=Comparator.values),
                violation_error_message="Kies een geldige vergelijking voor het doel.",
            ),
            models.CheckConstraint(
                name="indicator_value_realised_comparator_valid",
                condition=Q(realised_comparator__in=Comparator.values),
                violation_error_message="Kies een geldige vergelijking voor de realisatie.",
            ),
            # "circa", "minimaal" … say how a number relates to what it counts; without a
            # number there is nothing to qualify.
            models.CheckConstraint(
                name="indicator_value_realised_comparator_needs_number",
                condition=Q(realised__isnull=False) | Q(realised_comparator=Comparator.EXACT),
                violation_error_message=REALISED_COMPARATOR_NEEDS_NUMBER,
            ),
            models.CheckConstraint(
                name="indicator_value_target_state_matches_target",
                condition=Q(target__isnull=False, target_state=TargetState.VASTGESTELD)
                | Q(target__isnull=True) & ~Q(target_state=TargetState.VASTGESTELD),
                violation_error_message=(
                    "Een vastgesteld doel heeft een getal; zonder getal is het doel "
                    "'nog niet vastgesteld' of 'onbekend'."
                ),
            ),
        ]

    def __str__(self):
        who = f" {self.party.label}" if self.party_id else ""
        return f"{self.indicator}{who} {self.period_label}"

    def clean(self):
        """A kind of number ("circa", "ruim", "minimaal") needs the number: the same rule as
        the constraint, told at the number's field."""
        if self.realised is None and self.realised_comparator != Comparator.EXACT:
            raise ValidationError({"realised": REALISED_COMPARATOR_NEEDS_NUMBER})

    @property
    def period_label(self) -> str:
        """The period in words: "1e halfjaar 2024" for the key "2024-H1"."""
        return period_label(self.period)

    def _in_words(self, comparator: str, number) -> str:
        unit = self.indicator.unit.strip()
        text = f"{nl_decimal(number)} {unit}".strip() if unit else str(nl_decimal(number))
        return f"{Comparator.words(comparator)} {text}".strip()

    @property
    def target_in_words(self) -> str:
        """'minimaal 85 %', '0 aantal (restopgave 2023)', 'Nog niet vastgesteld'."""
        if self.target is None:
            return self.get_target_state_display()
        text = self._in_words(self.target_comparator, self.target)
        return f"{text} ({self.target_qualifier})" if self.target_qualifier else text

    @property
    def realised_in_words(self) -> str | None:
        if self.realised is None:
            return None
        return self._in_words(self.realised_comparator, self.realised)

    def is_met(self) -> bool | None:
        """Whether the realisation meets the target, by the target's comparator.

        None while either is unknown, and None when either is an estimate ("circa", "ruim"):
        an estimate is never met or missed by itself. A realisation that is itself a bound
        ("minimaal 90") decides only when the bound settles it.
        """
        if self.target is None or self.realised is None:
            return None
        estimates = Comparator.estimates()
        if self.target_comparator in estimates or self.realised_comparator in estimates:
            return None
        target, realised, bound = self.target, self.realised, self.realised_comparator
        if self.target_comparator == Comparator.MINIMAAL:
            if bound in (Comparator.EXACT, Comparator.MINIMAAL) and realised >= target:
                return True
            if bound in (Comparator.EXACT, Comparator.MAXIMAAL) and realised < target:
                return False
            return None
        if self.target_comparator == Comparator.MAXIMAAL:
            if bound in (Comparator.EXACT, Comparator.MAXIMAAL) and realised <= target:
                return True
            if bound in (Comparator.EXACT, Comparator.MINIMAAL) and realised > target:
                return False
            return None
        if bound != Comparator.EXACT:
            return None
        return realised == target

    @property
    def verdict(self) -> str:
        """'Ja', 'Nee' or why it cannot be said, for the 'Gehaald?' column."""
        met = self.is_met()
        if met is not None:
            return "Ja" if met else "Nee"
        if self.target is None:
            return self.get_target_state_display() if self.target_state else "Nog niet bekend"
        if self.realised is None:
            return "Nog niet bekend"
        estimates = Comparator.estimates()
        if self.target_comparator in estimates or self.realised_comparator in estimates:
            return "Niet te beoordelen: schatting"
        return "Niet te beoordelen"


class HeadlineFigureSource(models.TextChoices):
    PROJECT_DWELLINGS = "project_dwellings", "Som woningen van projecten in een categorie"
    PROJECT_COUNT = "project_count", "Aantal projecten in een categorie"
    EFG_TOTAL = "efg_total", "Totaal EFG-labels in een jaar"
    NONE = "none", "Niet te berekenen"


class HeadlineFigureQuerySet(NaturalKeyQuerySet):
    def computed(self, jaarschijf, *, categories, efg_totals):
        """The jaarschijf's headline figures with their value computed from the tables.

        ``categories`` are the jaarschijf's ``Project.objects.per_category()`` rows and
        ``efg_totals`` its ``EnergyLabelFigure.objects.totals_per_year()`` rows: the apps
        above this one compute them (overview.figures.headline_figures). Returns dicts
        ``figure, computed, differs, incomplete, approximate, comparator, completeness``; one
        query. ``comparator`` says what the computed sum is: exact, circa (a summed count is an
        estimate) or minimaal (a summed count is a floor, as "+65").
        ``completeness`` says in words over how many rows or corporations the figure was
        computed and how many of them were known ("Onvolledig: 4 van 5 corporaties bekend"),
        never a bare mark.
        """
        figures = list(self.filter(jaarschijf=jaarschijf).order_by("sort_order"))
        projects = {row["category"]: row for row in categories}
        efg = {row["year"]: row for row in efg_totals}
        rows = []
        for figure in figures:
            computed, incomplete, approximate, completeness = None, False, False, ""
            comparator = Comparator.EXACT
            if figure.source == HeadlineFigureSource.PROJECT_DWELLINGS:
                row = projects.get(figure.category, {})
                computed = row.get("planned")
                total = row.get("planned_total")
                incomplete = total is not None and not total.complete
                if total is not None:
                    comparator = total.comparator if computed is not None else comparator
                    approximate = comparator != Comparator.EXACT
                    completeness = total.sentence("project", "projecten")
            elif figure.source == HeadlineFigureSource.PROJECT_COUNT:
                computed = projects.get(figure.category, {}).get("projects")
            elif figure.source == HeadlineFigureSource.EFG_TOTAL:
                row = efg.get(figure.year, {})
                computed = row.get("target_total")
                incomplete = bool(row.get("unknown_targets"))
                if row:
                    count = row["corporations"]
                    completeness = Total(computed, count - row["unknown_targets"], count).sentence(
                        "corporatie", "corporaties"
                    )
            rows.append(
                {
                    "figure": figure,
                    "computed": computed,
                    "incomplete": incomplete,
                    "approximate": approximate,
                    "comparator": comparator,
                    "completeness": completeness,
                    "differs": computed is not None
                    and figure.printed_value is not None
                    and computed != figure.printed_value,
                }
            )
        return rows


class HeadlineFigure(NaturalKeyModel):
    """A figure of the document's first page, recomputed from the tables where they allow it."""

    Source = HeadlineFigureSource

    NATURAL_KEY = ("jaarschijf__year", "sort_order")

    jaarschijf = models.ForeignKey(
        Jaarschijf,
        verbose_name="jaarschijf",
        on_delete=models.CASCADE,
        related_name="headline_figures",
    )
    sort_order = models.PositiveSmallIntegerField("volgorde")
    label = models.CharField("omschrijving", max_length=200)
    theme_label = models.CharField("rubriek", max_length=100, blank=True)
    printed_value = models.PositiveIntegerField("waarde in het document", null=True, blank=True)
    source = models.CharField("berekening", max_length=32, choices=Source.choices)
    category = models.CharField("projectcategorie", max_length=16, blank=True)
    year = models.PositiveSmallIntegerField("jaar", null=True, blank=True)
    note = models.TextField("opmerking", blank=True)

    history = HistoricalRecords()
    objects = HeadlineFigureQuerySet.as_manager()

    class Meta:
        verbose_name = "kerncijfer"
        verbose_name_plural = "kerncijfers"
        ordering = ["jaarschijf", "sort_order"]
        constraints = [
            models.UniqueConstraint(
                fields=["jaarschijf", "sort_order"],
                name="headline_figure_unique_order",
                violation_error_message="Er is al een kerncijfer met deze volgorde in jaarschijf "
                "{jaarschijf.year}.",
            ),
            models.CheckConstraint(
                name="headline_figure_source_valid",
                condition=Q(source__in=HeadlineFigureSource.values),
            ),
        ]

    def __str__(self):
        return self.label
