"""The read API (/api/v1/...): every collection the dashboard shows, as JSON, and the main
objects one by one (afspraken, projecten, voortgangsupdates, partijen).

Who sees what is the pages' rule: ``core.access.may_read`` (a login, or PUBLIC_DASHBOARD on)
and the public policy of agreements/public.py (a visitor never sees a concept jaarschijf, a
private note or a name). A caller is a logged-in session or an API token (``Authorization:
Bearer``); a token reads as its technical account, a medewerker of its party, so exactly what
a logged-in session of that party reads. A token that is unknown, revoked or expired is a 401,
never an anonymous read; each token's reads count towards its rate limit.

An object the caller may not read is a 404, as if it did not exist (never a 403 that would
tell it does). The querysets are the domain's own (``with_progress``, ``totals_per_year``,
``overview.figures.headline_figures``): the API computes nothing the pages do not compute the
same way. Each collection and each object runs a fixed number of queries.
"""

from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
)
from rest_framework import exceptions, generics, serializers
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import BasePermission

from agreements.models import Action
from core.access import may_read
from projects.models import ProjectCategory

from . import datasets, filters
from . import serializers as s
from .authentication import BearerTokenAuthentication
from .pagination import LinkedPagination
from .problems import PROBLEM_CONTENT_TYPE
from .throttling import TokenThrottleMixin
from .views import VersionedAPIMixin, path_number

NOT_PUBLIC = (
    "Dit dashboard is niet openbaar: log in of stuur een API-token mee om de gegevens te lezen."
)


class ProblemSerializer(serializers.Serializer):
    # The docstring is the component's description in the OpenAPI document: Dutch.
    """Een fout volgens RFC 9457 (application/problem+json), in het Nederlands."""

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


class ReadSchema(AutoSchema):
    """A read also works without a login when PUBLIC_DASHBOARD is on: the empty requirement."""

    def get_auth(self):
        return [*super().get_auth(), {}]


class ReadAPIMixin(TokenThrottleMixin, VersionedAPIMixin):
    """Who reads: an API token or a session (the pages' login), else a visitor.

    The token comes first: its challenge makes a read that needs a login a 401 with
    ``WWW-Authenticate: Bearer``. A session needs no CSRF token to read (DRF asks it only for
    unsafe methods), a token never does.
    """

    authentication_classes = [BearerTokenAuthentication, SessionAuthentication]
    permission_classes = [MayRead]
    schema = ReadSchema()

    def permission_denied(self, request, message=None, code=None):
        if request.authenticators and not request.successful_authenticator:
            raise exceptions.NotAuthenticated(NOT_PUBLIC)
        super().permission_denied(request, message=message, code=code)


class ReadListView(ReadAPIMixin, generics.ListAPIView):
    """A paginated, filterable collection; refusals as problem+json."""

    pagination_class = LinkedPagination
    filter_backends = [DjangoFilterBackend]


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
            responses={200: serializer, **problem_responses(400, 401, 403, 404, 429)},
        )
    )


def collection(name, summary, description, serializer, filterset, rows, parameters=None):
    """A documented ReadListView over ``rows(user)`` (api/datasets.py)."""
    view = type(
        name,
        (ReadListView,),
        {
            "__doc__": summary,
            "__module__": __name__,
            "serializer_class": serializer,
            "filterset_class": filterset,
            "get_queryset": lambda self: rows(self.request.user),
        },
    )
    if parameters is None:
        parameters = (YEAR_FILTER_PARAMETER,)
    return documented(summary, description, serializer, parameters=parameters)(view)


YEAR_AND_THEME = (YEAR_FILTER_PARAMETER, THEME_PARAMETER)

JaarschijfList = collection(
    "JaarschijfList",
    "Jaarschijven",
    "De jaarschijven, nieuwste eerst. Bezoekers zonder login zien geen concepten.",
    s.JaarschijfSerializer,
    filters.JaarschijfFilter,
    datasets.jaarschijven,
)
ThemeList = collection(
    "ThemeList",
    "Thema's",
    "De thema's van de jaarschijven.",
    s.ThemeSerializer,
    filters.ThemeFilter,
    datasets.themes,
)
PartyList = collection(
    "PartyList",
    "Partijen",
    "De ondertekenende partijen en de collectieven (zoals ‘Woningcorporaties’) met hun leden.",
    s.PartySerializer,
    filters.PartyFilter,
    datasets.parties,
    parameters=(),
)
ActionList = collection(
    "ActionList",
    "Afspraken",
    "De afspraken met trekker en betrokken partijen, de status en het percentage uit de "
    "laatste voortgangsupdate en de mijlpalen. Filter ‘partij’ telt ook betrokkenheid via een "
    "collectief.",
    s.ActionSerializer,
    filters.ActionFilter,
    datasets.actions,
    parameters=YEAR_AND_THEME,
)
ProgressUpdateList = collection(
    "ProgressUpdateList",
    "Voortgangsupdates",
    "Alle voortgangsupdates, nieuwste eerst. Bezoekers zonder login lezen status en percentage; "
    "de toelichting en link alleen als de schrijver ze openbaar maakte, namen nooit.",
    s.ProgressUpdateSerializer,
    filters.ProgressUpdateFilter,
    datasets.progress_updates,
    parameters=YEAR_AND_THEME,
)
ProjectList = collection(
    "ProjectList",
    "Projecten",
    "De woningbouwprojecten (nieuwbouw, sloop, renovatie, verkoop, aankoop, onderzoek) met hun "
    "uitsplitsing per BAT- en huurklasse, in de volgorde van het document.",
    s.ProjectSerializer,
    filters.ProjectFilter,
    datasets.projects,
)
EnergyLabelList = collection(
    "EnergyLabelList",
    "EFG-labelcijfers",
    "Per corporatie en jaar: sociale huurwoningen met een E-, F- of G-label, doel (of de stand "
    "op de peildatum) en realisatie. Leeg is onbekend, niet 0.",
    s.EnergyLabelFigureSerializer,
    filters.EnergyLabelFilter,
    datasets.energy_labels,
)
BatStockList = collection(
    "BatStockList",
    "BAT-voorraad",
    "Per corporatie de woningen per BAT-toegankelijkheidsklasse op de peildatum.",
    s.BatStockSerializer,
    filters.BatStockFilter,
    datasets.bat_stock,
)
IndicatorList = collection(
    "IndicatorList",
    "Kengetallen",
    "De kengetallen met per partij en periode het doel (met vergelijking: minimaal, "
    "maximaal, circa, …) en de realisatie, en of het doel gehaald is.",
    s.IndicatorSerializer,
    filters.IndicatorFilter,
    datasets.indicators,
    parameters=YEAR_AND_THEME,
)


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

    def get_queryset(self):
        jaarschijf = self.jaarschijf()
        return self.compute(jaarschijf) if jaarschijf else []


@documented(
    "Kerncijfers",
    "De kerncijfers van de eerste pagina van het document, opnieuw berekend uit de tabellen, met "
    "hun volledigheid (‘incomplete’: onbekende waarden tellen niet mee) en of de berekening "
    "afwijkt van het document.",
    s.HeadlineFigureSerializer,
    parameters=(JAARSCHIJF_PARAMETER,),
)
class HeadlineFigureList(OneJaarschijfList):
    serializer_class = s.HeadlineFigureSerializer
    compute = staticmethod(datasets.headline_rows)


@documented(
    "EFG-totalen",
    "Per jaar de som van de EFG-doelen en -realisaties over de corporaties, met hoeveel "
    "corporaties hun cijfer nog niet kennen: een som over onbekende waarden is onvolledig.",
    s.EnergyLabelTotalSerializer,
    parameters=(JAARSCHIJF_PARAMETER,),
)
class EnergyLabelTotalList(OneJaarschijfList):
    serializer_class = s.EnergyLabelTotalSerializer
    compute = staticmethod(datasets.energy_label_totals)


# --- One object ---------------------------------------------------------------------------------

NOT_FOUND = "Dit object bestaat niet, of u mag het niet lezen. Controleer de sleutels in het adres."
SMALL = filters.MAX_SMALL  # PositiveSmallIntegerField
MAX_ID = 2**63 - 1  # BigAutoField


class ReadDetailView(ReadAPIMixin, generics.RetrieveAPIView):
    """One object of a collection, by the keys the collection shows, with the same query and
    serializer: a row the caller may not read is not in ``rows(user)``, so it is a 404."""

    rows = None  # datasets.x: the collection's rows for a user

    def lookup(self, **kwargs) -> dict:
        raise NotImplementedError

    def get_object(self):
        obj = self.rows(self.request.user).filter(**self.lookup(**self.kwargs)).first()
        if obj is None:
            raise exceptions.NotFound(NOT_FOUND)
        return obj


def path_parameter(name: str, schema: dict, description: str, example) -> OpenApiParameter:
    return OpenApiParameter(
        name,
        type=schema,
        location=OpenApiParameter.PATH,
        description=description,
        examples=[OpenApiExample(str(example), value=example)],
    )


def number_path(name: str, maximum: int, description: str) -> OpenApiParameter:
    """A whole-number key (from 1), with 1 as its example."""
    return path_parameter(
        name, {"type": "integer", "minimum": 1, "maximum": maximum}, description, 1
    )


YEAR_PATH = path_parameter(
    "jaarschijf",
    {"type": "integer", "minimum": filters.MIN_YEAR, "maximum": filters.MAX_YEAR},
    "Jaar van de jaarschijf, bv. 2024.",
    2024,
)


def documented_detail(summary: str, description: str, serializer, parameters):
    return extend_schema_view(
        get=extend_schema(
            summary=summary,
            description=description
            + " Bestaat het object niet, of mag u het niet lezen, dan is het antwoord 404.",
            parameters=parameters,
            responses={200: serializer, **problem_responses(401, 403, 404, 429)},
        )
    )


@documented_detail(
    "Eén afspraak",
    "De afspraak zoals in de lijst /afspraken: tekst, partijen, status en percentage uit de "
    "laatste voortgangsupdate en mijlpalen.",
    s.ActionSerializer,
    [
        YEAR_PATH,
        path_parameter(
            "nummer",
            {"type": "string", "pattern": r"^[0-9]{1,3}\.[0-9]{1,3}$"},
            "Nummer van de afspraak zoals in het document, bv. 1.7.",
            "1.7",
        ),
    ],
)
class ActionDetail(ReadDetailView):
    serializer_class = s.ActionSerializer
    rows = staticmethod(datasets.actions)

    def lookup(self, *, jaarschijf, nummer):
        if Action.number_parts(nummer) == (0, 0):
            raise exceptions.NotFound(NOT_FOUND)
        return {"jaarschijf__year": path_number(jaarschijf, SMALL, NOT_FOUND), "number": nummer}


@documented_detail(
    "Eén project",
    "Het project zoals in de lijst /projecten, met zijn uitsplitsing.",
    s.ProjectSerializer,
    [
        YEAR_PATH,
        path_parameter(
            "categorie",
            {"type": "string", "enum": list(ProjectCategory.values)},
            "Categorie van het project: nieuwbouw, sloop, renovatie, verkoop, aankoop of "
            "onderzoek.",
            ProjectCategory.values[0],
        ),
        number_path("volgnummer", SMALL, "Volgnummer binnen de categorie, zoals in het document."),
    ],
)
class ProjectDetail(ReadDetailView):
    serializer_class = s.ProjectSerializer
    rows = staticmethod(datasets.projects)

    def lookup(self, *, jaarschijf, categorie, volgnummer):
        if categorie not in ProjectCategory.values:
            raise exceptions.NotFound(NOT_FOUND)
        return {
            "jaarschijf__year": path_number(jaarschijf, SMALL, NOT_FOUND),
            "category": categorie,
            "position": path_number(volgnummer, SMALL, NOT_FOUND),
        }


@documented_detail(
    "Eén voortgangsupdate",
    "De voortgangsupdate zoals in de lijst /voortgangsupdates (het veld id). Bezoekers zonder "
    "login lezen de toelichting alleen als de schrijver haar openbaar maakte, namen nooit.",
    s.ProgressUpdateSerializer,
    [number_path("id", MAX_ID, "Nummer van de voortgangsupdate (het veld id in de lijst).")],
)
class ProgressUpdateDetail(ReadDetailView):
    serializer_class = s.ProgressUpdateSerializer
    rows = staticmethod(datasets.progress_updates)

    def lookup(self, *, id):  # noqa: A002 - the path's name for it
        return {"pk": path_number(id, MAX_ID, NOT_FOUND)}


@documented_detail(
    "Eén partij",
    "De partij of het collectief zoals in de lijst /partijen, met leden en collectieven.",
    s.PartySerializer,
    [
        path_parameter(
            "slug",
            {"type": "string", "pattern": "^[-a-zA-Z0-9_]+$", "maxLength": 80},
            "Sleutel (slug) van de partij, bv. ‘weller’.",
            "weller",
        )
    ],
)
class PartyDetail(ReadDetailView):
    serializer_class = s.PartySerializer
    rows = staticmethod(datasets.parties)

    def lookup(self, *, slug):
        return {"slug": slug}
