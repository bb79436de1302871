from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q, Sum
from simple_history.models import HistoricalRecords

from agreements.predicates import editable_rows
from core.models import VersionedModel
from core.naturalkeys import NaturalKeyModel, NaturalKeyQuerySet
from core.validators import MAX_COUNT, implausible_dates, max_count, plausible_date

TOO_MANY_LABELS = "Dat zijn meer woningen dan een corporatie hier heeft; controleer het aantal."


class EnergyLabelQuerySet(NaturalKeyQuerySet):
    def editable_by(self, user):
        """Rows the user may update: twin of sustainability.update_labelfigure."""
        return editable_rows(self, user, own=lambda rows: rows.filter(corporation=user.party_id))

    def totals_per_year(self):
        """Target and realised EFG totals per year over the corporations (one query).

        A year's total target is None when any corporation's figure is still unknown
        ("t.b."): a sum over unknowns would look exact while it is not.
        """
        rows = (
            self.values("year")
            .annotate(
                target_total=Sum("target"),
                realised_total=Sum("realised"),
                unknown_targets=models.Count("pk", filter=Q(target__isnull=True)),
                unknown_realised=models.Count("pk", filter=Q(realised__isnull=True)),
                corporations=models.Count("pk"),
            )
            .order_by("year")
        )
        return list(rows)


def totals_per_year_of(figures) -> list[dict]:
    """``totals_per_year`` over label figures already loaded: the same rows, no query.

    Like SQL's SUM, a total over only unknown values is None; ``unknown_*`` count them.
    """
    years: dict[int, list] = {}
    for figure in figures:
        years.setdefault(figure.year, []).append(figure)

    def total(values):
        known = [v for v in values if v is not None]
        return sum(known) if known else None

    return [
        {
            "year": year,
            "target_total": total(f.target for f in rows),
            "realised_total": total(f.realised for f in rows),
            "unknown_targets": sum(1 for f in rows if f.target is None),
            "unknown_realised": sum(1 for f in rows if f.realised is None),
            "corporations": len(rows),
        }
        for year, rows in sorted(years.items())
    ]


class EnergyLabelFigure(VersionedModel, NaturalKeyModel):
    """Social rental dwellings with an E, F or G label: a corporation's target and realisation."""

    NATURAL_KEY = ("jaarschijf__year", "corporation__name", "year")

    jaarschijf = models.ForeignKey(
        "agreements.Jaarschijf",
        verbose_name="jaarschijf",
        on_delete=models.CASCADE,
        related_name="label_figures",
    )
    corporation = models.ForeignKey(
        "agreements.Party",
        verbose_name="corporatie",
        on_delete=models.PROTECT,
        related_name="label_figures",
        limit_choices_to={"kind": "corporatie"},
    )
    year = models.PositiveSmallIntegerField("jaar")
    target = models.PositiveIntegerField(
        "doel (EFG-labels)",
        null=True,
        blank=True,
        help_text="Leeg = nog niet bekend (t.b.).",
        validators=[max_count(TOO_MANY_LABELS)],
    )
    realised = models.PositiveIntegerField(
        "realisatie (EFG-labels)",
        null=True,
        blank=True,
        validators=[max_count(TOO_MANY_LABELS)],
    )

    history = HistoricalRecords()
    objects = EnergyLabelQuerySet.as_manager()

    class Meta:
        verbose_name = "EFG-labelcijfer"
        verbose_name_plural = "EFG-labelcijfers"
        ordering = ["jaarschijf", "corporation__sort_order", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["jaarschijf", "corporation", "year"],
                name="label_figure_unique_per_corporation_year",
                violation_error_message="Er is al een EFG-labelcijfer van {corporation} voor "
                "{year} in jaarschijf {jaarschijf.year}.",
            ),
            models.CheckConstraint(
                name="label_figure_year_plausible", condition=Q(year__gte=2000, year__lte=2100)
            ),
            models.CheckConstraint(
                name="label_figure_counts_at_most_99999",
                condition=Q(target__lte=MAX_COUNT) & Q(realised__lte=MAX_COUNT),
                violation_error_message=TOO_MANY_LABELS,
            ),
        ]

    def __str__(self):
        return f"{self.corporation} {self.year}"

    @property
    def is_stand(self) -> bool:
        """A year before the jaarschijf's own year is the measured stand (peildatum), not a
        target: an agreement signed in 2024 cannot set a target for 2022."""
        return self.year < self.jaarschijf.year

    @property
    def kind_label(self) -> str:
        return figure_kind_label(self.year, self.jaarschijf.year)


def figure_kind_label(year: int, jaarschijf_year: int) -> str:
    """'stand (peildatum)' for the years before the jaarschijf, 'doel' from its year on."""
    return "stand (peildatum)" if year < jaarschijf_year else "doel"


class EnergyLabelGoal(NaturalKeyModel):
    """The document's own words on where the EFG trajectory ends ("Voor 2029 zijn alle
    EFG-labels ... verdwenen"), kept to compare with the table's figures."""

    NATURAL_KEY = ("jaarschijf__year",)

    jaarschijf = models.OneToOneField(
        "agreements.Jaarschijf",
        verbose_name="jaarschijf",
        on_delete=models.CASCADE,
        related_name="label_goal",
    )
    year = models.PositiveSmallIntegerField("jaar")
    remaining = models.PositiveIntegerField(
        "toegestaan aantal EFG-labels", default=0, help_text="0 = geen EFG-labels meer."
    )
    quote = models.TextField("tekst in het document")

    history = HistoricalRecords()
    objects = NaturalKeyQuerySet.as_manager()

    class Meta:
        verbose_name = "EFG-doel"
        verbose_name_plural = "EFG-doelen"
        constraints = [
            models.CheckConstraint(
                name="label_goal_year_plausible", condition=Q(year__gte=2000, year__lte=2100)
            ),
        ]

    def __str__(self):
        return f"{self.jaarschijf}: {self.year}"


class EnergyLabelNote(NaturalKeyModel):
    """What the document says about a corporation's trajectory (mixed complexes, exceptions)."""

    NATURAL_KEY = ("jaarschijf__year", "corporation__name")

    jaarschijf = models.ForeignKey(
        "agreements.Jaarschijf",
        verbose_name="jaarschijf",
        on_delete=models.CASCADE,
        related_name="label_notes",
    )
    corporation = models.ForeignKey(
        "agreements.Party",
        verbose_name="corporatie",
        on_delete=models.PROTECT,
        related_name="label_notes",
        limit_choices_to={"kind": "corporatie"},
    )
    text = models.TextField("toelichting")

    history = HistoricalRecords()
    objects = NaturalKeyQuerySet.as_manager()

    class Meta:
        verbose_name = "toelichting EFG-traject"
        verbose_name_plural = "toelichtingen EFG-traject"
        constraints = [
            models.UniqueConstraint(
                fields=["jaarschijf", "corporation"],
                name="label_note_unique_per_corporation",
                violation_error_message="Er is al een toelichting van deze corporatie in "
                "jaarschijf {jaarschijf.year}.",
            )
        ]

    def __str__(self):
        return f"{self.corporation}"


class BatStockBatClass(models.TextChoices):
    BAT1 = "BAT1", "Wandelstokgeschikt (BAT1)"
    BAT2 = "BAT2", "Rollatorbewoonbaar (BAT2)"
    BAT3 = "BAT3", "Rolstoelbewoonbaar (BAT3)"
    BAT4 = "BAT4", "Geschikt verpleegzorg thuis (BAT4)"


class BatStock(VersionedModel, NaturalKeyModel):
    """A corporation's dwellings per BAT accessibility class on the reference date."""

    BatClass = BatStockBatClass

    NATURAL_KEY = ("jaarschijf__year", "corporation__name", "bat_class")

    jaarschijf = models.ForeignKey(
        "agreements.Jaarschijf",
        verbose_name="jaarschijf",
        on_delete=models.CASCADE,
        related_name="bat_stock",
    )
    corporation = models.ForeignKey(
        "agreements.Party",
        verbose_name="corporatie",
        on_delete=models.PROTECT,
        related_name="bat_stock",
        limit_choices_to={"kind": "corporatie"},
    )
    bat_class = models.CharField("BAT-klasse", max_length=4, choices=BatClass.choices)
    reference_date = models.DateField("peildatum")
    count = models.PositiveIntegerField("aantal woningen")

    history = HistoricalRecords()
    objects = NaturalKeyQuerySet.as_manager()

    class Meta:
        verbose_name = "BAT-voorraad"
        verbose_name_plural = "BAT-voorraad"
        ordering = ["jaarschijf", "bat_class", "corporation__sort_order"]
        constraints = [
            models.UniqueConstraint(
                fields=["jaarschijf", "corporation", "bat_class"],
                name="bat_stock_unique_per_corporation_class",
                violation_error_message="Er is al BAT-voorraad van {corporation} in deze "
                "BAT-klasse in jaarschijf {jaarschijf.year}.",
            ),
            models.CheckConstraint(
                name="bat_stock_class_valid",
                condition=Q(bat_class__in=BatStockBatClass.values),
            ),
            models.CheckConstraint(
                name="bat_stock_reference_date_plausible",
                condition=plausible_date("reference_date"),
            ),
        ]

    def __str__(self):
        return f"{self.corporation} {self.bat_class}: {self.count}"

    def clean(self):
        super().clean()
        errors = implausible_dates(self, "reference_date")
        if errors:
            raise ValidationError(errors)
