"""The read API (/api/v1/...): every collection the dashboard shows, as JSON.

Who sees what is the pages' rule: ``core.access.may_read`` (a login, or PUBLIC_DASHBOARD on)
and the public policy of agreements/public.py (a visitor never sees a concept jaarschijf, a
private note or a name). The querysets are the domain's own (``with_progress``,
``totals_per_year``, ``overview.figures.headline_figures``): the API computes nothing the
pages do not compute the same way. Each collection runs a fixed number of queries.
"""

from django.db.models import Prefetch
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, generics, serializers
from rest_framework.permissions import BasePermission

from agreements.models import (
    Action,
    Indicator,
    IndicatorValue,
    Jaarschijf,
    Party,
    ProgressUpdate,
    Theme,
)
from agreements.public import readable_jaarschijven, readable_rows
from core.access import may_read
from cycle.models import Milestone
from overview.figures import headline_figures
from overview.jaarschijf import all_jaarschijven
from overview.views import parties_prefetch
from projects.models import Project
from sustainability.models import BatStock, EnergyLabelFigure

from . import filters
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

    def readable(self, queryset, jaarschijf_path="jaarschijf"):
        return readable_rows(self.request.user, queryset, jaarschijf_path)


def documented(summary: str, description: str, serializer, *, parameters=None):
    """extend_schema for a list: the Dutch texts, the serializer and the problem answers."""
    return extend_schema_view(
        get=extend_schema(
            summary=summary,
            description=description,
            parameters=parameters,
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
        queryset = Jaarschijf.objects.select_related("municipality", "previous").order_by("-year")
        return self.readable(queryset, "")


@documented("Thema's", "De thema's van de jaarschijven.", s.ThemeSerializer)
class ThemeList(ReadListView):
    serializer_class = s.ThemeSerializer
    filterset_class = filters.ThemeFilter

    def get_queryset(self):
        queryset = Theme.objects.select_related("jaarschijf").order_by(
            "-jaarschijf__year", "number"
        )
        return self.readable(queryset)


@documented(
    "Partijen",
    "De ondertekenende partijen en de collectieven (zoals ‘Woningcorporaties’) met hun leden.",
    s.PartySerializer,
)
class PartyList(ReadListView):
    serializer_class = s.PartySerializer
    filterset_class = filters.PartyFilter

    def get_queryset(self):
        slugs = Party.objects.only("pk", "slug")
        return (
            Party.objects.select_related("corporation")
            .prefetch_related(
                Prefetch("members", queryset=slugs), Prefetch("collectives", queryset=slugs)
            )
            .order_by("sort_order", "name")
        )


@documented(
    "Afspraken",
    "De afspraken met trekker en betrokken partijen, de status en het percentage uit de "
    "laatste voortgangsupdate en de mijlpalen. Filter ‘partij’ telt ook betrokkenheid via een "
    "collectief.",
    s.ActionSerializer,
)
class ActionList(ReadListView):
    serializer_class = s.ActionSerializer
    filterset_class = filters.ActionFilter

    def get_queryset(self):
        milestones = Milestone.objects.select_related("responsible").order_by(
            "due_date", "sort_order", "pk"
        )
        queryset = (
            Action.objects.with_progress()
            .select_related("jaarschijf", "theme")
            .prefetch_related(parties_prefetch(), Prefetch("milestones", queryset=milestones))
            .order_by("-jaarschijf__year", "number_major", "number_minor")
        )
        return self.readable(queryset)


@documented(
    "Voortgangsupdates",
    "Alle voortgangsupdates, nieuwste eerst. Bezoekers zonder login lezen status en percentage; "
    "de toelichting en link alleen als de schrijver ze openbaar maakte, namen nooit.",
    s.ProgressUpdateSerializer,
)
class ProgressUpdateList(ReadListView):
    serializer_class = s.ProgressUpdateSerializer
    filterset_class = filters.ProgressUpdateFilter

    def get_queryset(self):
        queryset = ProgressUpdate.objects.select_related(
            "action__jaarschijf", "party", "author"
        ).order_by("-created_at", "-pk")
        return self.readable(queryset, "action__jaarschijf")


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
        queryset = (
            Project.objects.in_document_order()
            .order_by("-jaarschijf__year", "category_rank", "position")
            .select_related("jaarschijf", "corporation")
            .prefetch_related("breakdowns")
        )
        return self.readable(queryset)


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
        queryset = EnergyLabelFigure.objects.select_related("jaarschijf", "corporation").order_by(
            "-jaarschijf__year", "corporation__sort_order", "year"
        )
        return self.readable(queryset)


@documented(
    "BAT-voorraad",
    "Per corporatie de woningen per BAT-toegankelijkheidsklasse op de peildatum.",
    s.BatStockSerializer,
)
class BatStockList(ReadListView):
    serializer_class = s.BatStockSerializer
    filterset_class = filters.BatStockFilter

    def get_queryset(self):
        queryset = BatStock.objects.select_related("jaarschijf", "corporation").order_by(
            "-jaarschijf__year", "bat_class", "corporation__sort_order"
        )
        return self.readable(queryset)


@documented(
    "Kengetallen",
    "De kengetallen met per partij en periode het doel (met vergelijking: minimaal, "
    "maximaal, circa, …) en de realisatie, en of het doel gehaald is.",
    s.IndicatorSerializer,
)
class IndicatorList(ReadListView):
    serializer_class = s.IndicatorSerializer
    filterset_class = filters.IndicatorFilter

    def get_queryset(self):
        values = IndicatorValue.objects.select_related("party").order_by("sort_order", "pk")
        queryset = (
            Indicator.objects.select_related("jaarschijf", "action")
            .prefetch_related(Prefetch("values", queryset=values))
            .order_by("-jaarschijf__year", "sort_order", "pk")
        )
        return self.readable(queryset)


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
        readable = readable_jaarschijven(self.request.user, all_jaarschijven())
        if year is None:
            settled = [j for j in readable if j.status != Jaarschijf.Status.CONCEPT]
            return (settled or readable or [None])[0]
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
        if jaarschijf is None:
            return []
        rows = headline_figures(jaarschijf)
        for row in rows:
            row["figure"].jaarschijf = jaarschijf  # the one already loaded, not a query per row
        return rows


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
        if jaarschijf is None:
            return []
        return EnergyLabelFigure.objects.filter(jaarschijf=jaarschijf).totals_per_year()
