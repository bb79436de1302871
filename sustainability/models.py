from django.conf import settings
from django.db import models
from django.db.models import Q, Sum
from simple_history.models import HistoricalRecords

from agreements.predicates import editable_rows
from core.naturalkeys import NaturalKeyModel, NaturalKeyQuerySet


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


class EnergyLabelFigure(NaturalKeyModel):
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
        "doel (EFG-labels)", null=True, blank=True, help_text="Leeg = nog niet bekend (t.b.)."
    )
    realised = models.PositiveIntegerField("realisatie (EFG-labels)", null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="bijgewerkt door",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    version = models.PositiveIntegerField(default=1, editable=False)

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
            ),
            models.CheckConstraint(
                name="label_figure_year_plausible", condition=Q(year__gte=2000, year__lte=2100)
            ),
        ]

    def __str__(self):
        return f"{self.corporation} {self.year}"


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
                fields=["jaarschijf", "corporation"], name="label_note_unique_per_corporation"
            )
        ]

    def __str__(self):
        return f"{self.corporation}"


class BatStockBatClass(models.TextChoices):
    BAT1 = "BAT1", "Wandelstokgeschikt (BAT1)"
    BAT2 = "BAT2", "Rollatorbewoonbaar (BAT2)"
    BAT3 = "BAT3", "Rolstoelbewoonbaar (BAT3)"
    BAT4 = "BAT4", "Geschikt verpleegzorg thuis (BAT4)"


class BatStock(NaturalKeyModel):
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
    version = models.PositiveIntegerField(default=1, editable=False)

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
            ),
            models.CheckConstraint(
                name="bat_stock_class_valid",
                condition=Q(bat_class__in=BatStockBatClass.values),
            ),
        ]

    def __str__(self):
        return f"{self.corporation} {self.bat_class}: {self.count}"
