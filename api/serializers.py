"""What the API and the open-data downloads say about each object: one serializer per dataset.

Field names are snake_case (the README says why), values keep their real type and ``null``
means unknown, never zero. The help_text of every field is the Dutch description in the
OpenAPI document and the "betekenis" column of the open-data data dictionary.

Who sees what is the public policy (agreements/public.py): the views pass ``visitor`` in the
context, and the fields that are not public (notes, names) are then left empty.
"""

from collections.abc import Callable

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from agreements.models import (
    Action,
    Indicator,
    IndicatorValue,
    Jaarschijf,
    Party,
    ProgressUpdate,
    Theme,
)
from agreements.public import is_visitor
from cycle.models import Milestone
from projects.models import Project, ProjectBreakdown
from sustainability.models import BatStock, EnergyLabelFigure

from .pagination import LINK_SCHEMA

UNKNOWN = " Leeg (null) = onbekend, niet 0."


def for_visitor(serializer) -> bool:
    request = serializer.context.get("request")
    return request is None or is_visitor(request.user)


@extend_schema_field(
    {
        "type": "object",
        "description": "Links bij dit object: ‘self’ is zijn eigen adres in de API.",
        "required": ["self"],
        "properties": {"self": LINK_SCHEMA},
    }
)
class SelfLinkField(serializers.Field):
    """``{"self": {"href": …}}``: where the object is on its own (its detail endpoint).

    Absolute with a request (the API, the open-data downloads), the path without one. Made
    from fields the row already has loaded: no query.
    """

    def __init__(self, view_name: str, keys: Callable, **kwargs):
        self.view_name = view_name
        self.keys = keys
        kwargs.setdefault("label", "Links")
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, value):
        path = reverse(f"api:{self.view_name}", args=self.keys(value))
        request = self.context.get("request")
        return {"self": {"href": request.build_absolute_uri(path) if request else path}}


class PartyRefSerializer(serializers.ModelSerializer):
    slug = serializers.SlugField(help_text="Vaste sleutel van de partij, bv. ‘weller’.")
    name = serializers.CharField(help_text="Naam van de partij.")

    class Meta:
        model = Party
        fields = ["slug", "name"]


class JaarschijfSerializer(serializers.ModelSerializer):
    year = serializers.IntegerField(help_text="Jaar van de jaarschijf (sleutel).")
    title = serializers.CharField(help_text="Titel van de jaarschijf.")
    status = serializers.CharField(
        help_text="concept, vastgesteld of geevalueerd (geëvalueerd). Bezoekers zonder login "
        "zien geen concepten."
    )
    signed_on = serializers.DateField(
        allow_null=True, help_text="Datum van ondertekening (ISO 8601)." + UNKNOWN
    )
    municipality = PartyRefSerializer(help_text="De gemeente van de jaarschijf.")
    previous_year = serializers.IntegerField(
        source="previous.year",
        allow_null=True,
        default=None,
        help_text="Jaar van de jaarschijf waaruit deze voortkwam; leeg als er geen is.",
    )

    class Meta:
        model = Jaarschijf
        fields = ["year", "title", "status", "signed_on", "municipality", "previous_year"]


class ThemeSerializer(serializers.ModelSerializer):
    jaarschijf = serializers.IntegerField(source="jaarschijf.year", help_text="Jaar.")
    number = serializers.IntegerField(help_text="Nummer van het thema in de jaarschijf.")
    title = serializers.CharField(help_text="Titel van het thema.")
    intro = serializers.CharField(help_text="Inleiding van het thema (Markdown).")

    class Meta:
        model = Theme
        fields = ["jaarschijf", "number", "title", "intro"]


class PartySerializer(serializers.ModelSerializer):
    slug = serializers.SlugField(help_text="Vaste sleutel van de partij.")
    name = serializers.CharField(help_text="Naam van de partij.")
    short_name = serializers.CharField(help_text="Korte naam; leeg als die er niet is.")
    kind = serializers.CharField(
        help_text="gemeente, corporatie, huurdersorganisatie, collectief of overig."
    )
    corporation = serializers.SlugRelatedField(
        slug_field="slug",
        read_only=True,
        allow_null=True,
        help_text="Voor een huurdersorganisatie: de corporatie waar zij bij hoort.",
    )
    members = serializers.SlugRelatedField(
        slug_field="slug",
        many=True,
        read_only=True,
        help_text="Voor een collectief (bv. ‘Woningcorporaties’): de partijen die er deel van "
        "uitmaken.",
    )
    collectives = serializers.SlugRelatedField(
        slug_field="slug",
        many=True,
        read_only=True,
        help_text="De collectieven waar deze partij lid van is.",
    )
    _links = SelfLinkField("party-detail", lambda party: [party.slug])

    class Meta:
        model = Party
        fields = [
            "_links",
            "slug",
            "name",
            "short_name",
            "kind",
            "corporation",
            "members",
            "collectives",
        ]


class ActionPartySerializer(serializers.Serializer):
    slug = serializers.SlugField(source="party.slug", help_text="Sleutel van de partij.")
    name = serializers.CharField(source="party.name", help_text="Naam van de partij.")
    is_lead = serializers.BooleanField(help_text="Of deze partij trekker is van de afspraak.")


class MilestoneSerializer(serializers.ModelSerializer):
    code = serializers.SlugField(help_text="Sleutel van de mijlpaal in de jaarschijf.")
    description = serializers.CharField(help_text="Wat er af moet zijn.")
    due_date = serializers.DateField(help_text="Uiterste datum: de laatste dag van de termijn.")
    due_text = serializers.CharField(help_text="De termijn zoals afgesproken, bv. ‘Q1 2024’.")
    responsible = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, help_text="Sleutel van de verantwoordelijke partij."
    )
    done_on = serializers.DateField(
        allow_null=True, help_text="De dag waarop de mijlpaal is gehaald; leeg = nog open."
    )
    done_at = serializers.DateTimeField(
        allow_null=True,
        help_text="Wanneer de afronding is vastgelegd (kan later zijn dan done_on); "
        "leeg = nog open.",
    )

    done_note = serializers.CharField(
        help_text="Toelichting bij de afronding: hoe of waar de mijlpaal is gehaald; leeg als "
        "er geen is of de mijlpaal nog open is."
    )

    class Meta:
        model = Milestone
        fields = [
            "code",
            "description",
            "due_date",
            "due_text",
            "responsible",
            "done_on",
            "done_at",
            "done_note",
        ]


class ActionSerializer(serializers.ModelSerializer):
    jaarschijf = serializers.IntegerField(source="jaarschijf.year", help_text="Jaar.")
    number = serializers.CharField(help_text="Nummer zoals in het document, bv. ‘1.7’.")
    theme = serializers.IntegerField(source="theme.number", help_text="Nummer van het thema.")
    text = serializers.CharField(help_text="Tekst van de afspraak (Markdown).")
    note = serializers.CharField(help_text="Opmerking bij de bron; leeg als er geen is.")
    parties = ActionPartySerializer(
        source="action_parties",
        many=True,
        help_text="Betrokken partijen, de trekker(s) gemarkeerd.",
    )
    status = serializers.CharField(
        source="current_status",
        help_text="Status uit de laatste voortgangsupdate: niet_gestart, op_schema, "
        "vertraagd, afgerond of vervallen. Zonder update: niet_gestart.",
    )
    percent_done = serializers.IntegerField(
        source="current_percent",
        help_text="Percentage gereed (0–100) uit de laatste voortgangsupdate; zonder update 0.",
    )
    last_update_at = serializers.DateTimeField(
        allow_null=True, help_text="Datum van de laatste voortgangsupdate; leeg = nog geen."
    )
    milestones = MilestoneSerializer(many=True, help_text="Mijlpalen van de afspraak.")
    _links = SelfLinkField("action-detail", lambda action: [action.jaarschijf.year, action.number])

    class Meta:
        model = Action
        fields = [
            "_links",
            "jaarschijf",
            "number",
            "theme",
            "text",
            "note",
            "parties",
            "status",
            "percent_done",
            "last_update_at",
            "milestones",
        ]


class ProgressUpdateSerializer(serializers.ModelSerializer):
    jaarschijf = serializers.IntegerField(source="action.jaarschijf.year", help_text="Jaar.")
    action = serializers.CharField(source="action.number", help_text="Nummer van de afspraak.")
    created_at = serializers.DateTimeField(help_text="Datum en tijd van de update.")
    status = serializers.CharField(help_text="Status die de update meldt.")
    percent_done = serializers.IntegerField(help_text="Percentage gereed (0–100).")
    party = serializers.SlugRelatedField(
        slug_field="slug",
        read_only=True,
        allow_null=True,
        help_text="Sleutel van de partij namens wie de update is gedaan.",
    )
    author = serializers.SerializerMethodField(
        help_text="Naam van de schrijver; alleen voor ingelogde gebruikers (namen zijn niet "
        "openbaar)."
    )
    explanation = serializers.SerializerMethodField(
        help_text="Toelichting; voor bezoekers zonder login alleen als de schrijver haar "
        "openbaar maakte (anders leeg)."
    )
    evidence_url = serializers.SerializerMethodField(
        help_text="Link naar onderbouwing; openbaar onder dezelfde regel als de toelichting."
    )
    is_public = serializers.BooleanField(help_text="Of de toelichting openbaar is.")
    id = serializers.IntegerField(
        help_text="Nummer van de voortgangsupdate (sleutel: /voortgangsupdates/{id})."
    )
    _links = SelfLinkField("progress-detail", lambda update: [update.pk])

    class Meta:
        model = ProgressUpdate
        fields = [
            "_links",
            "id",
            "jaarschijf",
            "action",
            "created_at",
            "status",
            "percent_done",
            "party",
            "author",
            "explanation",
            "evidence_url",
            "is_public",
        ]

    def _note_visible(self, update) -> bool:
        return update.is_public or not for_visitor(self)

    def get_author(self, update) -> str | None:
        if for_visitor(self) or update.author is None:
            return None
        return str(update.author)

    def get_explanation(self, update) -> str:
        return update.explanation if self._note_visible(update) else ""

    def get_evidence_url(self, update) -> str:
        return update.evidence_url if self._note_visible(update) else ""


class BreakdownSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(help_text="bat (BAT-klasse) of huur (huurklasse).")
    label = serializers.CharField(help_text="De klasse zoals in het document.")
    count = serializers.IntegerField(help_text="Aantal woningen in deze klasse.")
    approximate = serializers.BooleanField(help_text="Het document zegt ‘circa’.")

    class Meta:
        model = ProjectBreakdown
        fields = ["kind", "label", "count", "approximate"]


class ProjectSerializer(serializers.ModelSerializer):
    jaarschijf = serializers.IntegerField(source="jaarschijf.year", help_text="Jaar.")
    category = serializers.CharField(
        help_text="nieuwbouw, sloop, renovatie, verkoop, aankoop of onderzoek."
    )
    position = serializers.IntegerField(help_text="Volgnummer binnen de categorie.")
    name = serializers.CharField(help_text="Project of locatie.")
    neighbourhood = serializers.CharField(
        source="neighbourhood_id", allow_null=True, help_text="Wijk; leeg als onbekend."
    )
    corporation = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, help_text="Sleutel van de corporatie."
    )
    dwellings = serializers.IntegerField(
        allow_null=True,
        help_text="Geplande woningen (aantal)."
        + UNKNOWN
        + " Leeg en niet onbekend als dwellings_state ‘nvt’ is.",
    )
    dwellings_comparator = serializers.CharField(
        help_text="Hoe het aantal in het document staat: exact, circa (‘circa’, ‘ca.’), ruim, "
        "minimaal (‘+65’) of maximaal. Een som over zulke aantallen is bij benadering of een "
        "onder- of bovengrens."
    )
    dwellings_approximate = serializers.BooleanField(
        source="dwellings_estimate",
        help_text="Het aantal is een schatting: dwellings_comparator is circa of ruim.",
    )
    dwellings_state = serializers.CharField(
        help_text="van_toepassing, of nvt waar het document ‘N.v.t.’ zegt: dan is er geen "
        "aantal (niet onbekend en niet 0) en telt het project niet mee in de volledigheid."
    )
    dwellings_after = serializers.IntegerField(
        allow_null=True,
        help_text="Woningen na samenvoegen of splitsen; leeg als het aantal gelijk blijft. "
        "Totalen tellen dit aantal.",
    )
    dwellings_text = serializers.CharField(help_text="Het aantal zoals in het document.")
    dwelling_type = serializers.CharField(help_text="Type woningen.")
    bat_class = serializers.CharField(help_text="BAT-klasse(n) zoals in het document.")
    rent_class = serializers.CharField(help_text="Huurklasse(n) zoals in het document.")
    status = serializers.CharField(
        help_text="gepland, in_voorbereiding, in_uitvoering, gerealiseerd of vervallen."
    )
    realised_dwellings = serializers.IntegerField(
        allow_null=True, help_text="Gerealiseerde woningen (aantal)." + UNKNOWN
    )
    expected_year = serializers.IntegerField(
        allow_null=True, help_text="Verwachte oplevering: jaar." + UNKNOWN
    )
    expected_quarter = serializers.IntegerField(
        allow_null=True, help_text="Verwachte oplevering: kwartaal (1–4)." + UNKNOWN
    )
    possible_duplicate = serializers.SerializerMethodField(
        help_text="Mogelijk dubbel met een ander project: telt dan niet mee in totalen."
    )
    explanation = serializers.SerializerMethodField(
        help_text="Werknotitie van de corporatie; alleen voor ingelogde gebruikers."
    )
    breakdowns = BreakdownSerializer(
        many=True, help_text="Uitsplitsing per BAT- of huurklasse zoals het document die geeft."
    )
    _links = SelfLinkField(
        "project-detail",
        lambda project: [project.jaarschijf.year, project.category, project.position],
    )

    class Meta:
        model = Project
        fields = [
            "_links",
            "jaarschijf",
            "category",
            "position",
            "name",
            "neighbourhood",
            "corporation",
            "dwellings",
            "dwellings_comparator",
            "dwellings_approximate",
            "dwellings_state",
            "dwellings_after",
            "dwellings_text",
            "dwelling_type",
            "bat_class",
            "rent_class",
            "status",
            "realised_dwellings",
            "expected_year",
            "expected_quarter",
            "possible_duplicate",
            "explanation",
            "breakdowns",
        ]

    def get_possible_duplicate(self, project) -> bool:
        return project.possible_duplicate_of_id is not None

    def get_explanation(self, project) -> str:
        return "" if for_visitor(self) else project.explanation


class EnergyLabelFigureSerializer(serializers.ModelSerializer):
    jaarschijf = serializers.IntegerField(source="jaarschijf.year", help_text="Jaar.")
    corporation = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, help_text="Sleutel van de corporatie."
    )
    year = serializers.IntegerField(help_text="Jaar waar het cijfer over gaat.")
    kind = serializers.CharField(
        source="kind_label",
        help_text="‘stand (peildatum)’ voor jaren vóór de jaarschijf, anders ‘doel’.",
    )
    target = serializers.IntegerField(
        allow_null=True,
        help_text="Sociale huurwoningen met een E-, F- of G-label: doel of stand (aantal)."
        + UNKNOWN
        + " (het document zegt ‘t.b.’)",
    )
    realised = serializers.IntegerField(
        allow_null=True, help_text="Gerealiseerd aantal woningen met een EFG-label." + UNKNOWN
    )

    class Meta:
        model = EnergyLabelFigure
        fields = ["jaarschijf", "corporation", "year", "kind", "target", "realised"]


class EnergyLabelTotalSerializer(serializers.Serializer):
    jaarschijf = serializers.IntegerField(help_text="Jaar van de jaarschijf.")
    year = serializers.IntegerField(help_text="Jaar waar de som over gaat.")
    target_total = serializers.IntegerField(
        allow_null=True,
        help_text="Som van de doelen van de corporaties die hun doel kennen; leeg als geen "
        "enkele bekend is. Onvolledig als unknown_targets > 0.",
    )
    realised_total = serializers.IntegerField(
        allow_null=True, help_text="Som van de bekende realisaties; leeg als er geen is."
    )
    unknown_targets = serializers.IntegerField(help_text="Aantal corporaties zonder doel.")
    unknown_realised = serializers.IntegerField(
        help_text="Aantal corporaties zonder gemelde realisatie."
    )
    corporations = serializers.IntegerField(help_text="Aantal corporaties in dit jaar.")


class BatStockSerializer(serializers.ModelSerializer):
    jaarschijf = serializers.IntegerField(source="jaarschijf.year", help_text="Jaar.")
    corporation = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, help_text="Sleutel van de corporatie."
    )
    bat_class = serializers.CharField(help_text="BAT1, BAT2, BAT3 of BAT4.")
    reference_date = serializers.DateField(help_text="Peildatum (ISO 8601).")
    count = serializers.IntegerField(help_text="Aantal woningen in deze klasse op de peildatum.")

    class Meta:
        model = BatStock
        fields = ["jaarschijf", "corporation", "bat_class", "reference_date", "count"]


class IndicatorValueSerializer(serializers.ModelSerializer):
    party = serializers.SlugRelatedField(
        slug_field="slug",
        read_only=True,
        allow_null=True,
        help_text="Sleutel van de partij; leeg voor een waarde van de jaarschijf als geheel.",
    )
    period = serializers.CharField(help_text="Periode, bv. 2024 of 2024-H1.")
    target_comparator = serializers.CharField(
        help_text="Hoe het doel bedoeld is: exact, minimaal, maximaal, circa of ruim."
    )
    target = serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        coerce_to_string=False,
        allow_null=True,
        help_text="Doel (getal, in de eenheid van het kengetal)." + UNKNOWN,
    )
    target_state = serializers.CharField(
        help_text="vastgesteld, niet_vastgesteld of onbekend: een doel zonder getal is nooit 0."
    )
    target_qualifier = serializers.CharField(
        help_text="Wat bij het getal hoort, bv. ‘restopgave 2023’."
    )
    target_text = serializers.CharField(help_text="Het doel zoals afgesproken (tekst).")
    realised_comparator = serializers.CharField(
        help_text="Hoe de realisatie bedoeld is: exact, minimaal, maximaal, circa of ruim."
    )
    realised = serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        coerce_to_string=False,
        allow_null=True,
        help_text="Realisatie (getal, in de eenheid van het kengetal)." + UNKNOWN,
    )
    realised_note = serializers.CharField(help_text="Toelichting bij de realisatie.")
    is_met = serializers.BooleanField(
        allow_null=True,
        help_text="Of het doel gehaald is volgens de vergelijking; leeg als dat niet te zeggen "
        "is (onbekend of een schatting).",
    )
    verdict = serializers.CharField(
        help_text="‘Ja’, ‘Nee’ of waarom het niet te zeggen is (zoals op de pagina)."
    )

    class Meta:
        model = IndicatorValue
        fields = [
            "party",
            "period",
            "target_comparator",
            "target",
            "target_state",
            "target_qualifier",
            "target_text",
            "realised_comparator",
            "realised",
            "realised_note",
            "is_met",
            "verdict",
        ]


class IndicatorSerializer(serializers.ModelSerializer):
    jaarschijf = serializers.IntegerField(source="jaarschijf.year", help_text="Jaar.")
    code = serializers.SlugField(help_text="Sleutel van het kengetal in de jaarschijf.")
    action = serializers.CharField(
        source="action.number", help_text="Nummer van de afspraak die het kengetal noemt."
    )
    name = serializers.CharField(help_text="Naam van het kengetal.")
    unit = serializers.CharField(help_text="Eenheid, bv. ‘%’ of ‘aantal’.")
    values = IndicatorValueSerializer(
        many=True, help_text="Doelen en realisaties per partij en periode."
    )

    class Meta:
        model = Indicator
        fields = ["jaarschijf", "code", "action", "name", "unit", "values"]


class HeadlineFigureSerializer(serializers.Serializer):
    jaarschijf = serializers.IntegerField(source="figure.jaarschijf.year", help_text="Jaar.")
    label = serializers.CharField(source="figure.label", help_text="Omschrijving.")
    theme_label = serializers.CharField(source="figure.theme_label", help_text="Rubriek.")
    printed_value = serializers.IntegerField(
        source="figure.printed_value",
        allow_null=True,
        help_text="Het getal zoals in het document." + UNKNOWN,
    )
    computed = serializers.IntegerField(
        allow_null=True,
        help_text="Het getal berekend uit de tabellen; leeg als het niet te berekenen is.",
    )
    incomplete = serializers.BooleanField(
        help_text="De berekening telt onbekende waarden niet mee: het echte getal is hoger."
    )
    comparator = serializers.CharField(
        help_text="Wat het berekende getal is: exact, circa (een opgeteld aantal is circa of "
        "ruim) of minimaal (een opgeteld aantal is een ondergrens, zoals ‘+65’)."
    )
    completeness = serializers.CharField(
        help_text="De volledigheid in woorden, zoals op het dashboard: hoeveel bekend, hoeveel "
        "n.v.t. (niet meegeteld) en of de som bij benadering of een ondergrens is."
    )
    differs = serializers.BooleanField(
        help_text="Het berekende getal wijkt af van het getal in het document."
    )
    source = serializers.CharField(
        source="figure.source",
        help_text="Hoe het getal berekend wordt: project_dwellings, project_count, efg_total "
        "of none.",
    )
    note = serializers.CharField(source="figure.note", help_text="Opmerking.")
