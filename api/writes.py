"""The write API for a party's own systems: EFG realisations, project progress, indicator
realisations, each with an API token of that party.

Every write goes the way of the web form: the same form class validates the input (same
Dutch messages, returned as problem+json ``invalidParams``), the same service locks the row,
checks the `rules` permission and the version, validates the model and saves it with the
history. The token's technical account is the history's user and the token is named as the
change reason. A refusal is always a problem+json with the reason:

- 400: the input is not valid (per field, in the form's words);
- 401: no token, or an unknown, revoked or expired one (``WWW-Authenticate: Bearer``);
- 403: another party's figure, or a jaarschijf that is geëvalueerd (read-only);
- 404: no such figure; 409: someone saved the figure after the version in the request;
- 429: too many requests with this token (``Retry-After``).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import RegexValidator
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import exceptions, permissions, serializers
from rest_framework.parsers import JSONParser
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from agreements.forms import IndicatorRealisationForm
from agreements.models import Comparator, IndicatorValue
from agreements.services import record_indicator_realisation
from core.history import changes_since
from core.validators import MAX_COUNT
from core.versioning import ConflictError, describe_user
from projects.forms import ProjectUpdateForm
from projects.models import MAX_YEARS_AHEAD, MIN_EXPECTED_YEAR, Project
from projects.services import update_project
from sustainability.forms import LabelRealisationForm
from sustainability.models import EnergyLabelFigure
from sustainability.services import LabelRealisation, record_label_realisations

from .authentication import BearerTokenAuthentication
from .models import ApiToken
from .problems import PROBLEM_CONTENT_TYPE, problem
from .throttling import TokenThrottleMixin
from .tokens import writing_with
from .views import BaseAPIView, path_number

#: The largest version a request may name (the column is a PostgreSQL integer).
MAX_VERSION = 2**31 - 1
NON_FIELD = "nonFieldErrors"
#: What the forms refuse in free text (core.validators), said in the OpenAPI document.
NO_CONTROL_CHARACTERS = RegexValidator(r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$")


# --- OpenAPI: problem bodies ------------------------------------------------------------------


class InvalidParamSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="Het veld van de invoer.")
    reason = serializers.CharField(help_text="Wat er mis is, in het Nederlands.")


class FieldChangeSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="Het gewijzigde veld (naam in het model).")
    label = serializers.CharField(help_text="De naam van het veld zoals gebruikers die lezen.")
    old = serializers.CharField(help_text="De oude waarde, zoals op het scherm.")
    new = serializers.CharField(help_text="De nieuwe waarde, zoals op het scherm.")


class ChangeSerializer(serializers.Serializer):
    by = serializers.CharField(help_text="Wie de wijziging deed, met de partij.")
    at = serializers.DateTimeField(help_text="Wanneer (ISO 8601).")
    version = serializers.IntegerField(allow_null=True, help_text="De versie na de wijziging.")
    fields = FieldChangeSerializer(many=True)


class WriteProblemSerializer(serializers.Serializer):
    """A refusal (RFC 9457 problem details) in Dutch."""

    type = serializers.CharField()
    title = serializers.CharField(help_text="Korte omschrijving van het soort fout.")
    status = serializers.IntegerField()
    detail = serializers.CharField(help_text="De reden, in het Nederlands.")
    invalidParams = InvalidParamSerializer(  # noqa: N815 (the name in RFC 9457 and the NL API rules)
        many=True, required=False, help_text="Bij 400: de velden met hun fout."
    )
    current_version = serializers.IntegerField(
        required=False, help_text="Bij 409: de versie zoals die nu is opgeslagen."
    )
    changes = ChangeSerializer(
        many=True,
        required=False,
        help_text="Bij 409: wat anderen sinds de meegestuurde versie wijzigden, nieuwste eerst.",
    )


def problem_response(description: str) -> OpenApiResponse:
    return OpenApiResponse(response=WriteProblemSerializer, description=description)


def documented_responses(ok_serializer, *, write: bool) -> dict:
    responses = {
        200: OpenApiResponse(
            response=ok_serializer,
            description="De realisatie zoals die nu is opgeslagen, met de nieuwe versie."
            if write
            else "De realisatie zoals die nu is opgeslagen, met de versie om mee te sturen.",
        ),
        (401, PROBLEM_CONTENT_TYPE): problem_response(
            "Geen API-token meegestuurd, of een onbekend, ingetrokken of verlopen token."
        ),
        (403, PROBLEM_CONTENT_TYPE): problem_response(
            "Het cijfer hoort bij een andere partij dan het token, of de jaarschijf is "
            "geëvalueerd en daarmee alleen-lezen."
        ),
        (404, PROBLEM_CONTENT_TYPE): problem_response("Er is geen cijfer met dit nummer."),
        (429, PROBLEM_CONTENT_TYPE): problem_response(
            "Te veel verzoeken met dit token; Retry-After zegt na hoeveel seconden het weer kan."
        ),
    }
    if write:
        responses |= {
            (400, PROBLEM_CONTENT_TYPE): problem_response(
                "De invoer is niet geldig: invalidParams noemt per veld de fout, in dezelfde "
                "woorden als het formulier. Of de inhoud is geen geldige JSON. Er is niets "
                "opgeslagen."
            ),
            (409, PROBLEM_CONTENT_TYPE): problem_response(
                "Iemand anders heeft het cijfer na de meegestuurde versie gewijzigd: de reden "
                "zegt wie wat wanneer wijzigde, changes somt het op. Er is niets opgeslagen."
            ),
            (415, PROBLEM_CONTENT_TYPE): problem_response(
                "De aanvraag is geen JSON (Content-Type: application/json)."
            ),
        }
    return responses


def documented(*, read: dict, write: dict, parameters, output):
    """The OpenAPI description of a view's GET and PUT, with every status code they answer."""
    common = {"parameters": parameters, "tags": ["Schrijven"]}
    return extend_schema_view(
        get=extend_schema(**read, **common, responses=documented_responses(output, write=False)),
        put=extend_schema(**write, **common, responses=documented_responses(output, write=True)),
    )


def path_parameter(name: str, kind, description: str) -> OpenApiParameter:
    return OpenApiParameter(name, kind, OpenApiParameter.PATH, description=description)


JAARSCHIJF_PARAMETER = path_parameter("jaarschijf", int, "Jaar van de jaarschijf, bv. 2024.")
PARTY_DESCRIPTION = "Sleutel (slug) van de partij, bv. ‘weller’ (zie /api/v1/partijen)."


# --- The views ----------------------------------------------------------------------------------


class HasApiToken(permissions.BasePermission):
    message = "Dit deel van de API vraagt een API-token."

    def has_permission(self, request, view):
        return isinstance(request.auth, ApiToken)


def number(value: str, maximum: int) -> int:
    """A whole number from the path, or the API's 404 (a path is never a 500)."""
    return path_number(value, maximum, NOT_FOUND)


NOT_FOUND = "Dit cijfer bestaat niet. Controleer de sleutels in het adres."
SMALL = 32767  # PositiveSmallIntegerField


class TokenWriteView(TokenThrottleMixin, BaseAPIView):
    """GET the current realisation (with its version), PUT a new one.

    A figure is addressed by its natural key, as the read API shows it. Subclasses name the
    lookup, the permission, the form and the service call.
    """

    authentication_classes = [BearerTokenAuthentication]
    permission_classes = [HasApiToken]
    parser_classes = [JSONParser]
    renderer_classes = [JSONRenderer]
    metadata_class = None  # no OPTIONS description: the OpenAPI document is the description

    permission: str
    #: The input's JSON names (the names of the form's fields): (JSON type, may be null).
    fields: dict[str, tuple[str, bool]]
    output: type[serializers.Serializer]

    def get_queryset(self):
        raise NotImplementedError

    def lookup(self, **kwargs) -> dict:
        """The filter for the figure at the path's keys."""
        raise NotImplementedError

    def owner_of(self, obj):
        raise NotImplementedError

    def jaarschijf_of(self, obj):
        raise NotImplementedError

    def build_form(self, obj, data: dict):
        raise NotImplementedError

    def save(self, obj, user, form) -> None:
        raise NotImplementedError

    # Refusals in Dutch -----------------------------------------------------------------------

    def permission_denied(self, request, message=None, code=None):
        if request.authenticators and not request.successful_authenticator:
            raise exceptions.NotAuthenticated(
                "Stuur een API-token mee: Authorization: Bearer gevolgd door het token."
            )
        raise exceptions.PermissionDenied(message)

    def refusal(self, token: ApiToken, obj) -> exceptions.PermissionDenied:
        """Why the `rules` refused: the decision is the rule's, this only names the reason."""
        owner = self.owner_of(obj)
        if owner is None or owner.pk != token.party_id:
            whose = f"van {owner.name}" if owner is not None else "zonder partij"
            return exceptions.PermissionDenied(
                f"Dit API-token van {token.party.name} mag alleen cijfers van "
                f"{token.party.name} vastleggen; dit cijfer is {whose}."
            )
        jaarschijf = self.jaarschijf_of(obj)
        if jaarschijf.is_evaluated:
            return exceptions.PermissionDenied(
                f"Jaarschijf {jaarschijf.year} is geëvalueerd en daarmee alleen-lezen: alleen "
                "de beheerder kan er nog iets in wijzigen."
            )
        return exceptions.PermissionDenied("Dit API-token mag dit cijfer niet wijzigen.")

    def get_object(self, **kwargs):
        obj = self.get_queryset().filter(**self.lookup(**kwargs)).first()
        if obj is None:
            raise exceptions.NotFound(NOT_FOUND)
        if not self.request.user.has_perm(self.permission, obj):
            raise self.refusal(self.request.auth, obj)
        return obj

    # Input -------------------------------------------------------------------------------------

    def form_data(self, data) -> tuple[dict, int]:
        """The request's JSON as the form's data, and the version; 400 when it is not that.

        Checks the JSON types the OpenAPI document promises (a number is not a text, no
        lists or objects); what the values mean is the form's to check. Unknown fields are
        ignored (a missing known field is not).
        """
        if not isinstance(data, dict):
            raise exceptions.ValidationError(
                {NON_FIELD: "Stuur een JSON-object met de velden van de realisatie."}
            )
        errors = {}
        for name, (kind, nullable) in self.fields.items():
            if name not in data:
                errors[name] = (
                    "Dit veld ontbreekt; geef null voor ‘nog niet bekend’."
                    if nullable
                    else "Dit veld ontbreekt."
                )
            elif not _has_kind(data[name], kind, nullable):
                errors[name] = TYPE_MESSAGES[kind] + (" (of null)." if nullable else ".")
        version = data.get("version")
        if "version" not in errors and not 1 <= version <= MAX_VERSION:
            errors["version"] = (
                "Geef de versie mee die u het laatst las: een geheel getal vanaf 1 "
                "(het veld version van de realisatie)."
            )
        if errors:
            raise exceptions.ValidationError(errors)
        return {name: data[name] for name in self.fields}, version

    def field_errors(self, error_dict: dict) -> exceptions.ValidationError:
        """Form or model errors under the request's JSON names."""
        detail: dict[str, list[str]] = {}
        for name, messages in error_dict.items():
            key = name if name in self.fields else NON_FIELD
            detail.setdefault(key, []).extend(str(m) for m in messages)
        return exceptions.ValidationError(detail)

    # Methods -----------------------------------------------------------------------------------

    def get(self, request, **kwargs):
        return Response(self.output(self.get_object(**kwargs)).data)

    def put(self, request, **kwargs):
        obj = self.get_object(**kwargs)
        data, version = self.form_data(request.data)
        form = self.build_form(obj, data)
        if not form.is_valid():
            raise self.field_errors(form.errors)
        try:
            with writing_with(request.auth):
                self.save(obj, request.user, form)
        except ConflictError as conflict:
            return self.conflict_response(obj, version, conflict)
        except PermissionDenied:
            raise self.refusal(request.auth, obj) from None
        except DjangoValidationError as error:
            if hasattr(error, "error_dict"):
                raise self.field_errors(error.message_dict) from None
            raise exceptions.ValidationError({NON_FIELD: error.messages}) from None
        return Response(self.output(self.get_queryset().get(pk=obj.pk)).data)

    def conflict_response(self, obj, version: int, conflict: ConflictError) -> Response:
        current = self.get_queryset().get(pk=obj.pk)
        changes = [
            {
                "by": describe_user(change.user),
                "at": change.date.isoformat(),
                "version": change.version,
                "fields": [
                    {"name": f.name, "label": f.label, "old": f.old, "new": f.new}
                    for f in change.fields
                ],
            }
            for change in changes_since(current, version)
        ]
        return Response(
            problem(
                409,
                " ".join(conflict.messages),
                current_version=current.version,
                changes=changes,
            ),
            status=409,
            content_type=PROBLEM_CONTENT_TYPE,
        )


INTEGER, NUMBER, STRING = "integer", "number", "string"
TYPE_MESSAGES = {
    INTEGER: "Geef een geheel getal (een JSON-getal, geen tekst)",
    NUMBER: "Geef een getal als JSON-getal, geen tekst, met een punt voor decimalen (85.5)",
    STRING: "Geef een tekst",
}


def _has_kind(value, kind: str, nullable: bool) -> bool:
    """Whether a JSON value has the type the OpenAPI document gives the field."""
    if value is None:
        return nullable
    if isinstance(value, bool):
        return False
    if kind == INTEGER:
        return isinstance(value, int)
    if kind == NUMBER:
        return isinstance(value, (int, float))
    return isinstance(value, str)


# --- EFG realisations -------------------------------------------------------------------------


class LabelRealisationInput(serializers.Serializer):
    version = serializers.IntegerField(
        min_value=1, max_value=MAX_VERSION, help_text="De versie die u het laatst las."
    )
    realised = serializers.IntegerField(
        allow_null=True,
        min_value=0,
        max_value=MAX_COUNT,
        help_text="Woningen met een E-, F- of G-label (realisatie); null = nog niet bekend.",
    )


class LabelRealisationOutput(serializers.Serializer):
    jaarschijf = serializers.IntegerField(source="jaarschijf.year", help_text="Jaar.")
    corporation = serializers.CharField(
        source="corporation.slug", help_text="Sleutel van de corporatie."
    )
    year = serializers.IntegerField(help_text="Het jaar waarop het cijfer slaat.")
    target = serializers.IntegerField(allow_null=True, help_text="Doel; null = nog niet bekend.")
    realised = serializers.IntegerField(
        allow_null=True, help_text="Realisatie; null = nog niet bekend."
    )
    version = serializers.IntegerField(help_text="Stuur deze mee bij de volgende wijziging.")


LABEL_PARAMETERS = [
    JAARSCHIJF_PARAMETER,
    path_parameter("corporatie", str, "Sleutel (slug) van de corporatie, bv. ‘weller’."),
    path_parameter("jaar", int, "Het jaar waarop het cijfer slaat, bv. 2025."),
]


@documented(
    read=dict(
        operation_id="efg_realisatie_lezen",
        summary="EFG-realisatie van een corporatie lezen",
        description="Het EFG-cijfer (doel en realisatie) met de versie die bij een wijziging "
        "hoort. Alleen voor een token van de corporatie zelf.",
    ),
    write=dict(
        operation_id="efg_realisatie_vastleggen",
        summary="EFG-realisatie van een corporatie vastleggen",
        description="Legt het aantal woningen met een E-, F- of G-label vast dat de corporatie "
        "in dat jaar nog had (realisatie). Stuur de versie mee die u las; is het cijfer "
        "sindsdien gewijzigd, dan volgt 409 en wordt niets opgeslagen.",
        request=LabelRealisationInput,
    ),
    parameters=LABEL_PARAMETERS,
    output=LabelRealisationOutput,
)
class LabelRealisationView(TokenWriteView):
    permission = "sustainability.update_labelfigure"
    fields = {"version": (INTEGER, False), "realised": (INTEGER, True)}
    output = LabelRealisationOutput

    def get_queryset(self):
        return EnergyLabelFigure.objects.select_related("jaarschijf", "corporation")

    def lookup(self, *, jaarschijf, corporatie, jaar):
        return {
            "jaarschijf__year": number(jaarschijf, SMALL),
            "corporation__slug": corporatie,
            "year": number(jaar, SMALL),
        }

    def owner_of(self, obj):
        return obj.corporation

    def jaarschijf_of(self, obj):
        return obj.jaarschijf

    def build_form(self, obj, data):
        return LabelRealisationForm(data={**data, "figure_id": obj.pk})

    def save(self, obj, user, form):
        record_label_realisations(
            user=user,
            jaarschijf=obj.jaarschijf,
            corporation=obj.corporation,
            rows=[
                LabelRealisation(
                    figure_id=obj.pk,
                    version=form.cleaned_data["version"],
                    realised=form.cleaned_data.get("realised"),
                )
            ],
        )


# --- Project progress -------------------------------------------------------------------------


class ProjectProgressInput(serializers.Serializer):
    version = serializers.IntegerField(
        min_value=1, max_value=MAX_VERSION, help_text="De versie die u het laatst las."
    )
    status = serializers.ChoiceField(choices=Project.Status.choices, help_text="De status.")
    realised_dwellings = serializers.IntegerField(
        allow_null=True,
        min_value=0,
        max_value=MAX_COUNT,
        help_text="Opgeleverde (gesloopte, verkochte, …) woningen; null = nog niet bekend.",
    )
    # The lower bound is the model's; the upper bound depends on the project's jaarschijf, so
    # only the model (Project.clean()) decides it and its message reaches the caller.
    expected_year = serializers.IntegerField(
        allow_null=True,
        min_value=MIN_EXPECTED_YEAR,
        help_text=f"Verwachte oplevering: jaar, hoogstens {MAX_YEARS_AHEAD} jaar na de "
        "jaarschijf; null = nog niet bekend. Met een kwartaal is het jaar verplicht.",
    )
    expected_quarter = serializers.ChoiceField(
        choices=[1, 2, 3, 4],
        allow_null=True,
        help_text="Verwachte oplevering: kwartaal (1-4); null = nog niet bekend.",
    )
    explanation = serializers.CharField(
        allow_blank=True,
        allow_null=True,
        max_length=4000,
        validators=[NO_CONTROL_CHARACTERS],
        help_text="Toelichting; verplicht als het project vervalt. null = leeg.",
    )


class ProjectProgressOutput(serializers.Serializer):
    jaarschijf = serializers.IntegerField(source="jaarschijf.year", help_text="Jaar.")
    category = serializers.CharField(help_text="Categorie (nieuwbouw, sloop, …).")
    position = serializers.IntegerField(help_text="Volgnummer binnen de categorie.")
    name = serializers.CharField(help_text="Project of locatie.")
    corporation = serializers.CharField(
        source="corporation.slug", help_text="Sleutel van de corporatie."
    )
    status = serializers.CharField()
    realised_dwellings = serializers.IntegerField(allow_null=True)
    expected_year = serializers.IntegerField(allow_null=True)
    expected_quarter = serializers.IntegerField(allow_null=True)
    explanation = serializers.CharField()
    version = serializers.IntegerField(help_text="Stuur deze mee bij de volgende wijziging.")


PROJECT_PARAMETERS = [
    JAARSCHIJF_PARAMETER,
    path_parameter("categorie", str, "Categorie: nieuwbouw, sloop, renovatie, verkoop, …"),
    path_parameter("volgnummer", int, "Volgnummer binnen de categorie, zoals in het document."),
]


@documented(
    read=dict(
        operation_id="projectvoortgang_lezen",
        summary="Voortgang van een project lezen",
        description="Status, opgeleverde woningen en verwachte oplevering van een project, met "
        "de versie die bij een wijziging hoort. Alleen voor een token van de corporatie zelf.",
    ),
    write=dict(
        operation_id="projectvoortgang_vastleggen",
        summary="Voortgang van een project vastleggen",
        description="Legt status, opgeleverde woningen, verwachte oplevering en toelichting "
        "vast, met dezelfde regels als het formulier op de projectpagina.",
        request=ProjectProgressInput,
    ),
    parameters=PROJECT_PARAMETERS,
    output=ProjectProgressOutput,
)
class ProjectProgressView(TokenWriteView):
    permission = "projects.update_project"
    fields = {
        "version": (INTEGER, False),
        "status": (STRING, False),
        "realised_dwellings": (INTEGER, True),
        "expected_year": (INTEGER, True),
        "expected_quarter": (INTEGER, True),
        "explanation": (STRING, True),
    }
    output = ProjectProgressOutput

    def get_queryset(self):
        return Project.objects.select_related("jaarschijf", "corporation")

    def lookup(self, *, jaarschijf, categorie, volgnummer):
        return {
            "jaarschijf__year": number(jaarschijf, SMALL),
            "category": categorie,
            "position": number(volgnummer, SMALL),
        }

    def owner_of(self, obj):
        return obj.corporation

    def jaarschijf_of(self, obj):
        return obj.jaarschijf

    def build_form(self, obj, data):
        return ProjectUpdateForm(data=data, project=obj)

    def save(self, obj, user, form):
        update_project(project=obj, user=user, **form.service_kwargs())


# --- Indicator realisations -------------------------------------------------------------------


class IndicatorRealisationInput(serializers.Serializer):
    version = serializers.IntegerField(
        min_value=1, max_value=MAX_VERSION, help_text="De versie die u het laatst las."
    )
    realised = serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        allow_null=True,
        coerce_to_string=False,
        help_text="De realisatie, een getal met hoogstens twee decimalen (punt) en tien "
        "cijfers ervoor; null = nog niet bekend.",
    )
    realised_comparator = serializers.ChoiceField(
        choices=Comparator.choices,
        help_text="Soort getal: exact, minimaal, maximaal, circa of ruim (een schatting).",
    )
    realised_note = serializers.CharField(
        allow_blank=True,
        allow_null=True,
        max_length=4000,
        validators=[NO_CONTROL_CHARACTERS],
        help_text="Toelichting, bijvoorbeeld de bron. null = leeg.",
    )


class IndicatorRealisationOutput(serializers.Serializer):
    jaarschijf = serializers.IntegerField(source="indicator.jaarschijf.year", help_text="Jaar.")
    indicator = serializers.CharField(source="indicator.code", help_text="Code van het kengetal.")
    party = serializers.CharField(source="party.slug", help_text="Sleutel van de partij.")
    period = serializers.CharField(help_text="Periode, bijvoorbeeld 2024 of 2024-H1.")
    realised = serializers.DecimalField(
        max_digits=12, decimal_places=2, allow_null=True, coerce_to_string=False
    )
    realised_comparator = serializers.CharField()
    realised_note = serializers.CharField()
    version = serializers.IntegerField(help_text="Stuur deze mee bij de volgende wijziging.")


INDICATOR_PARAMETERS = [
    JAARSCHIJF_PARAMETER,
    path_parameter("code", str, "Code van het kengetal (zie /api/v1/kengetallen)."),
    path_parameter("partij", str, PARTY_DESCRIPTION),
    path_parameter("periode", str, "Periode van de waarde, bv. 2024 of 2024-H1."),
]


@documented(
    read=dict(
        operation_id="kengetalrealisatie_lezen",
        summary="Realisatie van een kengetal lezen",
        description="De realisatie van een kengetal van de partij, met de versie die bij een "
        "wijziging hoort. Alleen voor een token van die partij.",
    ),
    write=dict(
        operation_id="kengetalrealisatie_vastleggen",
        summary="Realisatie van een kengetal vastleggen",
        description="Legt de realisatie van een kengetal van de partij vast, met soort getal "
        "en toelichting, met dezelfde regels als het formulier.",
        request=IndicatorRealisationInput,
    ),
    parameters=INDICATOR_PARAMETERS,
    output=IndicatorRealisationOutput,
)
class IndicatorRealisationView(TokenWriteView):
    permission = "agreements.update_indicatorvalue"
    fields = {
        "version": (INTEGER, False),
        "realised": (NUMBER, True),
        "realised_comparator": (STRING, False),
        "realised_note": (STRING, True),
    }
    output = IndicatorRealisationOutput

    def get_queryset(self):
        return IndicatorValue.objects.select_related("indicator__jaarschijf", "party")

    def lookup(self, *, jaarschijf, code, partij, periode):
        return {
            "indicator__jaarschijf__year": number(jaarschijf, SMALL),
            "indicator__code": code,
            "party__slug": partij,
            "period": periode,
        }

    def owner_of(self, obj):
        return obj.party

    def jaarschijf_of(self, obj):
        return obj.indicator.jaarschijf

    def build_form(self, obj, data):
        return IndicatorRealisationForm(data=data)

    def save(self, obj, user, form):
        record_indicator_realisation(value=obj, user=user, **form.service_kwargs())
