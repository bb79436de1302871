from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse
from simple_history.models import HistoricalRecords

from agreements.predicates import editable_rows
from core.badges import BadgeChoices, Look
from core.figures import Comparator, Total
from core.formats import nl_number
from core.models import VersionedModel
from core.naturalkeys import NaturalKeyModel, NaturalKeyQuerySet
from core.validators import MAX_COUNT, max_count

TOO_MANY_DWELLINGS = "Dat zijn meer woningen dan een project kan hebben; controleer het aantal."
#: "Een kwartaal vraagt een jaar": Q3 alone names no moment.
QUARTER_NEEDS_YEAR = "Vul ook het jaar in bij het kwartaal van de oplevering."
#: "Vervallen vraagt een toelichting": readers want to know why a project stopped.
LAPSE_NEEDS_EXPLANATION = "Licht toe waarom het project vervalt."
#: The expected completion lies from MIN_EXPECTED_YEAR up to MAX_YEARS_AHEAD after the
#: jaarschijf; later than that is a typing error, not a plan.
MIN_EXPECTED_YEAR = 2000
MAX_YEARS_AHEAD = 30
EXPECTED_YEAR_RANGE = "Vul een jaar in tussen %(min)s en %(max)s."


class CountState(models.TextChoices):
    """Whether the document's count applies: "N.v.t." is neither unknown nor zero."""

    VAN_TOEPASSING = "van_toepassing", "Van toepassing"
    NIET_VAN_TOEPASSING = "nvt", "Niet van toepassing (n.v.t.)"


NOT_APPLICABLE_HAS_NO_COUNT = (
    "Bij 'niet van toepassing' blijft het aantal woningen leeg (ook na samenvoegen of "
    "splitsen) en is de vergelijking 'exact'."
)
COMPARATOR_NEEDS_COUNT = (
    "Een vergelijking (circa, minimaal, …) hoort bij een aantal: vul het aantal woningen in "
    "of kies 'exact'."
)


class ProjectQuerySet(NaturalKeyQuerySet):
    def editable_by(self, user):
        """Rows the user may update: twin of projects.update_project."""
        return editable_rows(self, user, own=lambda rows: rows.filter(corporation=user.party_id))

    def in_document_order(self, *, descending=False):
        """Categories in the order the document lists them (nieuwbouw … onderzoek), not A–Z."""
        rank = models.Case(
            *(
                models.When(category=category, then=models.Value(index))
                for index, category in enumerate(ProjectCategory.values)
            ),
            default=models.Value(len(ProjectCategory.values)),
            output_field=models.IntegerField(),
        )
        ordered = self.alias(category_rank=rank)
        if descending:
            return ordered.order_by("-category_rank", "-position")
        return ordered.order_by("category_rank", "position")

    def counted(self):
        """Rows that count towards totals: a flagged possible duplicate is counted once."""
        return self.filter(possible_duplicate_of__isnull=True)

    #: The aggregates of a set of projects; a row counts its dwellings after a merge or split
    #: ("17 duplexwoningen samengevoegd tot 9 gezinswoningen" counts 9). A row whose count
    #: does not apply (n.v.t.) is neither known nor unknown: ``not_applicable`` counts it
    #: apart. ``planned_<comparator>`` counts the known numbers that are not exact.
    AGGREGATES = {
        "projects": Count("pk"),
        "planned": Sum(Coalesce("dwellings_after", "dwellings")),
        "planned_known": Count("pk", filter=Q(dwellings__isnull=False)),
        "not_applicable": Count("pk", filter=Q(dwellings_state=CountState.NIET_VAN_TOEPASSING)),
        **{
            f"planned_{comparator}": Count(
                "pk", filter=Q(dwellings__isnull=False, dwellings_comparator=comparator)
            )
            for comparator in Comparator.qualified()
        },
        "realised": Sum("realised_dwellings"),
        "realised_known": Count("pk", filter=Q(realised_dwellings__isnull=False)),
        # The plan of the projects that reported a realisation: what the realisation is
        # compared with (never the plan of every project).
        "planned_reported": Sum(
            Coalesce("dwellings_after", "dwellings"), filter=Q(realised_dwellings__isnull=False)
        ),
    }

    def totals(self):
        """Planned and realised dwellings of this set, duplicates counted once (one query).

        ``planned_total`` and ``realised_total`` are :class:`core.figures.Total`: the sum
        with how many rows were known.
        """
        return with_completeness(self.counted().aggregate(**self.AGGREGATES))

    def per_category(self):
        """Per category: number of rows and planned/realised dwellings (one query)."""
        return self.per_category_and_neighbourhood()[0]

    def per_category_and_neighbourhood(self):
        """``per_category()`` and the number of projects per wijk, from one grouped query.

        Every aggregate is a count or a sum, so the (category, wijk) groups add up to the
        category's figures; a sum stays None when none of its rows was known.
        """
        rows = self.counted().values("category", "neighbourhood").annotate(**self.AGGREGATES)
        by_category: dict[str, dict] = {}
        neighbourhoods: dict[str, int] = {}
        for row in rows:
            if row["neighbourhood"] is not None:
                neighbourhoods[row["neighbourhood"]] = (
                    neighbourhoods.get(row["neighbourhood"], 0) + row["projects"]
                )
            into = by_category.setdefault(row["category"], {"category": row["category"]})
            for key in self.AGGREGATES:
                if row[key] is not None:
                    into[key] = row[key] + (into.get(key) or 0)
                else:
                    into.setdefault(key, None)
        empty = dict.fromkeys(self.AGGREGATES, 0) | {
            "planned": None,
            "realised": None,
            "planned_reported": None,
        }
        categories = [
            with_completeness(
                empty
                | by_category.get(category.value, {"category": category.value})
                | {"label": category.label}
            )
            for category in Project.Category
        ]
        return categories, neighbourhoods


def with_completeness(row: dict) -> dict:
    """The row's sums as :class:`core.figures.Total`: with how many rows were known, how many
    do not apply (n.v.t., counted in neither) and how many known numbers are not exact."""
    not_applicable = row.get("not_applicable") or 0
    count = (row["projects"] or 0) - not_applicable
    planned = Total.with_comparators(
        row["planned"],
        row["planned_known"] or 0,
        count,
        not_applicable,
        **{c: row.get(f"planned_{c}") or 0 for c in Comparator.qualified()},
    )
    return row | {
        "planned_total": planned,
        "realised_total": Total(row["realised"], row["realised_known"] or 0, count, not_applicable),
        "approximate": planned.comparator != Comparator.EXACT,
    }


class Neighbourhood(NaturalKeyModel):
    """A wijk of the municipality: one list, kept as data, that projects take their wijk from."""

    NATURAL_KEY = ("name",)

    name = models.CharField("naam", max_length=100, unique=True)
    sort_order = models.PositiveSmallIntegerField("volgorde", default=0)
    note = models.TextField("opmerking", blank=True)

    objects = NaturalKeyQuerySet.as_manager()

    class Meta:
        verbose_name = "wijk"
        verbose_name_plural = "wijken"
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name


class ProjectCategory(models.TextChoices):
    NIEUWBOUW = "nieuwbouw", "Nieuwbouw"
    SLOOP = "sloop", "Sloop"
    RENOVATIE = "renovatie", "Renovatie"
    VERKOOP = "verkoop", "Verkoop"
    AANKOOP = "aankoop", "Aankoop (inponden)"
    ONDERZOEK = "onderzoek", "Onderzoek"


class ProjectStatus(BadgeChoices):
    GEPLAND = "gepland", "Gepland"
    IN_VOORBEREIDING = "in_voorbereiding", "In voorbereiding"
    IN_UITVOERING = "in_uitvoering", "In uitvoering"
    GEREALISEERD = "gerealiseerd", "Gerealiseerd"
    VERVALLEN = "vervallen", "Vervallen"

    @classmethod
    def looks(cls):
        return {
            cls.GEPLAND: Look("inactive", "open", fill="E7E6E6"),
            cls.IN_VOORBEREIDING: Look("active", "half", fill="FFF2CC"),
            cls.IN_UITVOERING: Look("success", "dot", fill="DDEBF7"),
            cls.GEREALISEERD: Look("neutral", "check", fill="C6EFCE"),
            cls.VERVALLEN: Look("inactive", "cross", fill="F4CCCC"),
        }


ProjectStatus.register()


class Project(VersionedModel, NaturalKeyModel):
    """A row of the document's project tables (nieuwbouw, sloop, renovatie, …)."""

    Category = ProjectCategory

    Status = ProjectStatus

    CountState = CountState

    Comparator = Comparator

    NATURAL_KEY = ("jaarschijf__year", "category", "position")

    jaarschijf = models.ForeignKey(
        "agreements.Jaarschijf",
        verbose_name="jaarschijf",
        on_delete=models.CASCADE,
        related_name="projects",
    )
    category = models.CharField("categorie", max_length=16, choices=Category.choices)
    position = models.PositiveSmallIntegerField(
        "volgnummer", help_text="Volgorde binnen de categorie, zoals in het document."
    )
    name = models.CharField("project / locatie", max_length=500)
    #: The wijk from the one list (:class:`Neighbourhood`), by name; empty where the document
    #: does not place the project.
    neighbourhood = models.ForeignKey(
        Neighbourhood,
        verbose_name="wijk",
        to_field="name",
        db_column="neighbourhood",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="projects",
    )
    corporation = models.ForeignKey(
        "agreements.Party",
        verbose_name="corporatie",
        on_delete=models.PROTECT,
        related_name="projects",
        limit_choices_to={"kind": "corporatie"},
    )
    dwellings = models.PositiveIntegerField(
        "woningen",
        null=True,
        blank=True,
        help_text="Leeg waar het document Onbekend, pm, nnb of N.v.t. zegt; 'Geen' is 0.",
    )
    dwellings_comparator = models.CharField(
        "vergelijking woningen",
        max_length=16,
        choices=Comparator.choices,
        default=Comparator.EXACT,
        help_text="Zoals het document het aantal schrijft: 'circa'/'ca.' is circa, 'ruim' is "
        "ruim, '+65' of 'minimaal' is minimaal. Een som over zulke aantallen is dan ook bij "
        "benadering of een ondergrens.",
    )
    dwellings_state = models.CharField(
        "aantal van toepassing",
        max_length=16,
        choices=CountState.choices,
        default=CountState.VAN_TOEPASSING,
        help_text="'Niet van toepassing' waar het document 'N.v.t.' zegt: het aantal blijft "
        "leeg en telt niet als onbekend en niet als 0.",
    )
    dwellings_after = models.PositiveIntegerField(
        "woningen na samenvoegen of splitsen",
        null=True,
        blank=True,
        help_text="Bijvoorbeeld 17 duplexwoningen samengevoegd tot 9 gezinswoningen: 9. "
        "Leeg als het aantal gelijk blijft. Totalen tellen dit aantal.",
    )
    dwellings_text = models.CharField("woningen (document)", max_length=200, blank=True)
    dwelling_type = models.CharField("type", max_length=300, blank=True)
    bat_class = models.CharField("BAT", max_length=200, blank=True)
    rent_class = models.CharField("huurklasse", max_length=300, blank=True)
    description = models.TextField("omschrijving", blank=True)
    possible_duplicate_of = models.ForeignKey(
        "self",
        verbose_name="mogelijk dubbel met",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="possible_duplicates",
    )
    source_note = models.TextField("opmerking bij de bron", blank=True)
    # Tracking fields, kept current by the corporations and the kernteam.
    status = models.CharField(
        "status", max_length=20, choices=Status.choices, default=Status.GEPLAND
    )
    realised_dwellings = models.PositiveIntegerField(
        "gerealiseerde woningen",
        null=True,
        blank=True,
        validators=[max_count(TOO_MANY_DWELLINGS)],
    )
    #: Its range depends on the jaarschijf: Project.clean() (EXPECTED_YEAR_RANGE).
    expected_year = models.PositiveSmallIntegerField(
        "verwachte oplevering (jaar)", null=True, blank=True
    )
    expected_quarter = models.PositiveSmallIntegerField(
        "verwachte oplevering (kwartaal)",
        null=True,
        blank=True,
        choices=[(1, "Q1"), (2, "Q2"), (3, "Q3"), (4, "Q4")],
    )
    explanation = models.TextField("toelichting", max_length=4000, blank=True)
    origin = models.ForeignKey(
        "self",
        verbose_name="doorgeschoven uit",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="carried_forward",
    )
    updated_at = models.DateTimeField("laatst bijgewerkt", auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = "project"
        verbose_name_plural = "projecten"
        ordering = ["jaarschijf", "category", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["jaarschijf", "category", "position"],
                name="project_position_unique_per_category",
                violation_error_message="Er is al een project met dit volgnummer in deze "
                "categorie van jaarschijf {jaarschijf.year}.",
            ),
            models.CheckConstraint(
                name="project_realised_dwellings_at_most_99999",
                condition=Q(realised_dwellings__lte=MAX_COUNT),
                violation_error_message=TOO_MANY_DWELLINGS,
            ),
            models.CheckConstraint(
                name="project_category_valid",
                condition=Q(category__in=ProjectCategory.values),
            ),
            models.CheckConstraint(
                name="project_status_valid", condition=Q(status__in=ProjectStatus.values)
            ),
            models.CheckConstraint(
                name="project_quarter_1_4",
                condition=Q(expected_quarter__isnull=True)
                | Q(expected_quarter__gte=1, expected_quarter__lte=4),
            ),
            models.CheckConstraint(
                name="project_quarter_needs_year",
                condition=Q(expected_quarter__isnull=True) | Q(expected_year__isnull=False),
                violation_error_message=QUARTER_NEEDS_YEAR,
            ),
            models.CheckConstraint(
                name="project_vervallen_needs_explanation",
                # Some character that is not white space (clean() strips, as the service).
                condition=~Q(status=ProjectStatus.VERVALLEN) | Q(explanation__regex=r"\S"),
                violation_error_message=LAPSE_NEEDS_EXPLANATION,
            ),
            models.CheckConstraint(
                name="project_dwellings_comparator_valid",
                condition=Q(dwellings_comparator__in=Comparator.values),
                violation_error_message="Kies een geldige vergelijking voor het aantal woningen.",
            ),
            models.CheckConstraint(
                name="project_dwellings_state_valid",
                condition=Q(dwellings_state__in=CountState.values),
                violation_error_message="Kies of het aantal woningen van toepassing is.",
            ),
            models.CheckConstraint(
                name="project_not_applicable_has_no_count",
                condition=~Q(dwellings_state=CountState.NIET_VAN_TOEPASSING)
                | Q(
                    dwellings__isnull=True,
                    dwellings_after__isnull=True,
                    dwellings_comparator=Comparator.EXACT,
                ),
                violation_error_message=NOT_APPLICABLE_HAS_NO_COUNT,
            ),
            models.CheckConstraint(
                name="project_dwellings_comparator_needs_count",
                condition=Q(dwellings_comparator=Comparator.EXACT) | Q(dwellings__isnull=False),
                violation_error_message=COMPARATOR_NEEDS_COUNT,
            ),
            models.CheckConstraint(
                name="project_not_duplicate_of_itself",
                condition=~Q(possible_duplicate_of=models.F("pk")),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("projects:project-detail", args=[self.pk])

    def latest_expected_year(self) -> int | None:
        """The last year an expected completion may name (None without a jaarschijf)."""
        return self.jaarschijf.year + MAX_YEARS_AHEAD if self.jaarschijf_id else None

    def clean(self):
        """The project rules, at the field that breaks them; the constraints hold them in the
        database too, so the form, the import, the admin, the API and commands agree. (The
        range of the expected year depends on the jaarschijf: no constraint can hold it.)"""
        super().clean()
        errors = {}
        year, latest = self.expected_year, None
        if year is not None:
            latest = self.latest_expected_year()
            if year < MIN_EXPECTED_YEAR or (latest is not None and year > latest):
                errors["expected_year"] = ValidationError(
                    EXPECTED_YEAR_RANGE,
                    code="out_of_range",
                    params={"min": MIN_EXPECTED_YEAR, "max": latest or "…"},
                )
        if self.expected_quarter is not None and year is None:
            errors["expected_year"] = QUARTER_NEEDS_YEAR
        if self.status == ProjectStatus.VERVALLEN and not (self.explanation or "").strip():
            errors["explanation"] = LAPSE_NEEDS_EXPLANATION
        if errors:
            raise ValidationError(errors)

    @property
    def expected_completion(self) -> str:
        if not self.expected_year:
            return ""
        return (
            f"Q{self.expected_quarter} {self.expected_year}"
            if self.expected_quarter
            else str(self.expected_year)
        )

    @property
    def counted_dwellings(self) -> int | None:
        """The dwellings this row adds to a total: after a merge or split, if any."""
        return self.dwellings_after if self.dwellings_after is not None else self.dwellings

    @property
    def dwellings_estimate(self) -> bool:
        """The document gives the count as an estimate (circa, ca., ruim)."""
        return self.dwellings_comparator in Comparator.estimates()

    @property
    def dwellings_not_applicable(self) -> bool:
        return self.dwellings_state == CountState.NIET_VAN_TOEPASSING

    @property
    def dwellings_in_words(self) -> str:
        """'circa 14', 'minimaal 65', '17 → 9 na samenvoegen', 'onbekend', 'n.v.t.'."""
        if self.dwellings_not_applicable:
            return "n.v.t. (niet van toepassing)"
        if self.dwellings is None:
            return "onbekend"
        words = Comparator.words(self.dwellings_comparator)
        text = f"{words} {nl_number(self.dwellings)}".strip()
        if self.dwellings_after is not None:
            text += f" → {nl_number(self.dwellings_after)} na samenvoegen/splitsen"
        return text

    def realised_exceeds_planned(self) -> bool:
        planned = self.counted_dwellings
        return (
            planned is not None
            and self.realised_dwellings is not None
            and self.realised_dwellings > planned
        )


class ProjectBreakdownKind(models.TextChoices):
    BAT = "bat", "BAT-klasse"
    RENT = "huur", "Huurklasse"


class ProjectBreakdown(NaturalKeyModel):
    """A count per class that a row spells out ("88 BAT-0 59 BAT-2" gives two rows)."""

    Kind = ProjectBreakdownKind

    NATURAL_KEY = (
        "project__jaarschijf__year",
        "project__category",
        "project__position",
        "kind",
        "position",
    )

    project = models.ForeignKey(
        Project, verbose_name="project", on_delete=models.CASCADE, related_name="breakdowns"
    )
    kind = models.CharField("soort", max_length=8, choices=Kind.choices)
    position = models.PositiveSmallIntegerField("volgnummer")
    label = models.CharField("klasse", max_length=100)
    count = models.PositiveIntegerField("aantal")
    approximate = models.BooleanField("circa", default=False)

    history = HistoricalRecords()
    objects = NaturalKeyQuerySet.as_manager()

    class Meta:
        verbose_name = "uitsplitsing"
        verbose_name_plural = "uitsplitsingen"
        ordering = ["project", "kind", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "kind", "position"],
                name="breakdown_unique_position",
                violation_error_message="Dit project heeft al een regel op deze plaats in deze "
                "uitsplitsing.",
            ),
            models.CheckConstraint(
                name="breakdown_kind_valid", condition=Q(kind__in=ProjectBreakdownKind.values)
            ),
        ]

    def __str__(self):
        return f"{'circa ' if self.approximate else ''}{self.count} × {self.label}"
