"""The read API (/api/v1/...): every collection the dashboard shows, as JSON.

Who sees what is the pages' rule: ``core.access.may_read`` (a login, or PUBLIC_DASHBOARD on)
and the public policy of agreements/public.py (a visitor never sees a concept jaarschijf, a
private note or a name). The querysets are the domain's own (``with_progress``,
``totals_per_year``, ``overview.figures.headline_figures``): the API computes nothing the
pages do not compute the same way. Each collection runs a fixed number of queries.
"""

from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, generics, serializers
from rest_framework.permissions import BasePermission

from core.access import may_read

from . import datasets, filters
from . import serializers as s
from .pagination import LinkedPagination
from .problems import PROBLEM_CONTENT_TYPE
from .views import VersionedAPIMixin

NOT_PUBLIC = "Dit dashboard is niet openbaar: log in om de gegevens te lezen."


class ProblemSerializer(serializers.Serializer):
    """RFC 9457 problem details, in Dutch."""

    type = serializers.CharField(help_text="Soort probleem (about:blank).")
    title = serializers.CharField(help_text="Korte omschrijving, bv. ‘Niet gevonden’.")
    status = serializers.IntegerField(help_text="De HTTP-statuscode.")
    detail = serializers.CharField(help_text="Wat er mis is, in het Nederlands.")
    invalidParams = serializers.ListField(  # noqa: N815 - the API Design Rules' member name
        child=serializers.DictField(child=serializers.CharField()),
        required=False,
        help_text="Bij ongeldige invoer: per parameter (name) de reden (reason).",
    )


def problem_responses(*codes: int) -> dict:
    return {(code, PROBLEM_CONTENT_TYPE): ProblemSerializer for code in codes}


class MayRead(BasePermission):
    """Reading needs a login, unless PUBLIC_DASHBOARD opens it to everyone (like the pages)."""

    message = NOT_PUBLIC

    def has_permission(self, request, view):
        return may_read(request.user)


class ReadListView(VersionedAPIMixin, generics.ListAPIView):
    """A paginated, filterable collection; refusals as problem+json."""

    permission_classes = [MayRead]
    pagination_class = LinkedPagination
    filter_backends = [DjangoFilterBackend]

    def permission_denied(self, request, message=None, code=None):
        if request.authenticators and not request.successful_authenticator:
            raise exceptions.NotAuthenticated(NOT_PUBLIC)
        super().permission_denied(request, message=message, code=code)


YEAR_FILTER_PARAMETER = OpenApiParameter(
    "jaarschijf",
    type={"type": "integer", "minimum": filters.MIN_YEAR, "maximum": filters.MAX_YEAR},
    description="Alleen deze jaarschijf (jaar, bv. 2024).",
)
THEME_PARAMETER = OpenApiParameter(
    "thema",
    type={"type": "integer", "minimum": 0, "maximum": filters.MAX_SMALL},
    description="Alleen dit thema (nummer, bv. 1).",
)


def documented(summary: str, description: str, serializer, *, parameters=(YEAR_FILTER_PARAMETER,)):
    """extend_schema for a list: the Dutch texts, the serializer and the problem answers.

    The numeric filters are documented with their range (django-filter's own description
    of them has none), so a generated client knows which years exist.
    """
    return extend_schema_view(
        get=extend_schema(
            summary=summary,
            description=description,
            parameters=list(parameters),
            responses={200: serializer, **problem_responses(400, 401, 403, 404)},
        )
    )


@documented(
    "Jaarschijven",
    "De jaarschijven, nieuwste eerst. Bezoekers zonder login zien geen concepten.",
    s.JaarschijfSerializer,
)
class JaarschijfList(ReadListView):
    serializer_class = s.JaarschijfSerializer
    filterset_class = filters.JaarschijfFilter

    def get_queryset(self):
        return datasets.jaarschijven(self.request.user)


@documented("Thema's", "De thema's van de jaarschijven.", s.ThemeSerializer)
class ThemeList(ReadListView):
    serializer_class = s.ThemeSerializer
    filterset_class = filters.ThemeFilter

    def get_queryset(self):
        return datasets.themes(self.request.user)


@documented(
    "Partijen",
    "De ondertekenende partijen en de collectieven (zoals ‘Woningcorporaties’) met hun leden.",
    s.PartySerializer,
    parameters=(),
)
class PartyList(ReadListView):
    serializer_class = s.PartySerializer
    filterset_class = filters.PartyFilter

    def get_queryset(self):
        return datasets.parties(self.request.user)


@documented(
    "Afspraken",
    "De afspraken met trekker en betrokken partijen, de status en het percentage uit de "
    "laatste voortgangsupdate en de mijlpalen. Filter ‘partij’ telt ook betrokkenheid via een "
    "collectief.",
    s.ActionSerializer,
    parameters=(YEAR_FILTER_PARAMETER, THEME_PARAMETER),
)
class ActionList(ReadListView):
    serializer_class = s.ActionSerializer
    filterset_class = filters.ActionFilter

    def get_queryset(self):
        return datasets.actions(self.request.user)


@documented(
    "Voortgangsupdates",
    "Alle voortgangsupdates, nieuwste eerst. Bezoekers zonder login lezen status en percentage; "
    "de toelichting en link alleen als de schrijver ze openbaar maakte, namen nooit.",
    s.ProgressUpdateSerializer,
    parameters=(YEAR_FILTER_PARAMETER, THEME_PARAMETER),
)
class ProgressUpdateList(ReadListView):
    serializer_class = s.ProgressUpdateSerializer
    filterset_class = filters.ProgressUpdateFilter

    def get_queryset(self):
        return datasets.progress_updates(self.request.user)


@documented(
    "Projecten",
    "De woningbouwprojecten (nieuwbouw, sloop, renovatie, verkoop, aankoop, onderzoek) met hun "
    "uitsplitsing per BAT- en huurklasse, in de volgorde van het document.",
    s.ProjectSerializer,
)
class ProjectList(ReadListView):
    serializer_class = s.ProjectSerializer
    filterset_class = filters.ProjectFilter

    def get_queryset(self):
        return datasets.projects(self.request.user)


@documented(
    "EFG-labelcijfers",
    "Per corporatie en jaar: sociale huurwoningen met een E-, F- of G-label, doel (of de stand "
    "op de peildatum) en realisatie. Leeg is onbekend, niet 0.",
    s.EnergyLabelFigureSerializer,
)
class EnergyLabelList(ReadListView):
    serializer_class = s.EnergyLabelFigureSerializer
    filterset_class = filters.EnergyLabelFilter

    def get_queryset(self):
        return datasets.energy_labels(self.request.user)


@documented(
    "BAT-voorraad",
    "Per corporatie de woningen per BAT-toegankelijkheidsklasse op de peildatum.",
    s.BatStockSerializer,
)
class BatStockList(ReadListView):
    serializer_class = s.BatStockSerializer
    filterset_class = filters.BatStockFilter

    def get_queryset(self):
        return datasets.bat_stock(self.request.user)


@documented(
    "Kengetallen",
    "De kengetallen met per partij en periode het doel (met vergelijking: minimaal, "
    "maximaal, circa, …) en de realisatie, en of het doel gehaald is.",
    s.IndicatorSerializer,
    parameters=(YEAR_FILTER_PARAMETER, THEME_PARAMETER),
)
class IndicatorList(ReadListView):
    serializer_class = s.IndicatorSerializer
    filterset_class = filters.IndicatorFilter

    def get_queryset(self):
        return datasets.indicators(self.request.user)


JAARSCHIJF_PARAMETER = OpenApiParameter(
    "jaarschijf",
    type={"type": "integer", "minimum": filters.MIN_YEAR, "maximum": filters.MAX_YEAR},
    description="Jaar van de jaarschijf; zonder: de nieuwste die geen concept is (zoals het "
    "dashboard).",
)


class OneJaarschijfList(ReadListView):
    """Figures computed for one jaarschijf: the one asked for, or the dashboard's default."""

    filter_backends = []

    def jaarschijf(self):
        form = filters.JaarschijfFilter(self.request.query_params).form
        if not form.is_valid():
            raise exceptions.ValidationError(form.errors)
        year = form.cleaned_data.get("jaarschijf")
        readable = datasets.readable(self.request.user)
        if year is None:
            return datasets.default_jaarschijf(readable)
        for jaarschijf in readable:
            if jaarschijf.year == year:
                return jaarschijf
        raise exceptions.NotFound(f"Er is geen jaarschijf {year}.")


@extend_schema_view(
    get=extend_schema(
        summary="Kerncijfers",
        description="De kerncijfers van de eerste pagina van het document, opnieuw berekend uit "
        "de tabellen, met hun volledigheid (‘incomplete’: onbekende waarden tellen niet mee) en "
        "of de berekening afwijkt van het document.",
        parameters=[JAARSCHIJF_PARAMETER],
        responses={200: s.HeadlineFigureSerializer, **problem_responses(400, 401, 403, 404)},
    )
)
class HeadlineFigureList(OneJaarschijfList):
    serializer_class = s.HeadlineFigureSerializer

    def get_queryset(self):
        jaarschijf = self.jaarschijf()
        return datasets.headline_rows(jaarschijf) if jaarschijf else []


@extend_schema_view(
    get=extend_schema(
        summary="EFG-totalen",
        description="Per jaar de som van de EFG-doelen en -realisaties over de corporaties, met "
        "hoeveel corporaties hun cijfer nog niet kennen: een som over onbekende waarden is "
        "onvolledig.",
        parameters=[JAARSCHIJF_PARAMETER],
        responses={200: s.EnergyLabelTotalSerializer, **problem_responses(400, 401, 403, 404)},
    )
)
class EnergyLabelTotalList(OneJaarschijfList):
    serializer_class = s.EnergyLabelTotalSerializer

    def get_queryset(self):
        jaarschijf = self.jaarschijf()
        return datasets.energy_label_totals(jaarschijf) if jaarschijf else []
