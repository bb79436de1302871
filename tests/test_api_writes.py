"""The write API: a party's system records its own figures with its API token, through the
same forms' rules and services as the pages, with the token named in the history."""

import json
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from agreements.models import IndicatorValue, Jaarschijf
from core.history import changes_of
from core.templatetags.ui import person
from projects.models import MAX_YEARS_AHEAD, MIN_EXPECTED_YEAR, Project
from sustainability.models import EnergyLabelFigure
from sustainability.services import LabelRealisation, record_label_realisations

from .factories import YEAR, login, make_api_token

pytestmark = pytest.mark.django_db


def figure_of(corporation: str, year: int = YEAR) -> EnergyLabelFigure:
    return EnergyLabelFigure.objects.get(
        corporation__name=corporation, jaarschijf__year=YEAR, year=year
    )


def project_of(corporation: str) -> Project:
    return Project.objects.filter(corporation__name=corporation, jaarschijf__year=YEAR).first()


def put(client, url: str, secret: str, body):
    return client.put(
        url,
        data=json.dumps(body),
        content_type="application/json",
        headers={"Authorization": f"Bearer {secret}"},
    )


def efg_url(figure) -> str:
    return (
        f"/api/v1/efg-labelcijfers/{figure.jaarschijf.year}/{figure.corporation.slug}/"
        f"{figure.year}/realisatie"
    )


def project_url(project) -> str:
    return f"/api/v1/projecten/{project.jaarschijf.year}/{project.category}/{project.position}/voortgang"


def indicator_url(value) -> str:
    return (
        f"/api/v1/kengetallen/{value.indicator.jaarschijf.year}/{value.indicator.code}/waarden/"
        f"{value.party.slug}/{value.period}/realisatie"
    )


def assert_problem(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == status
    return body


def test_a_weller_token_records_a_weller_efg_realisation_named_in_the_history(client, beheerder):
    _, secret = make_api_token("Weller", "Vastgoedsysteem")
    figure = figure_of("Weller")

    response = put(client, efg_url(figure), secret, {"version": figure.version, "realised": 1234})

    assert response.status_code == 200, response.content
    assert response["API-Version"]
    body = response.json()
    assert (body["corporation"], body["year"], body["realised"], body["version"]) == (
        "weller",
        figure.year,
        1234,
        figure.version + 1,
    )
    figure.refresh_from_db()
    assert figure.realised == 1234
    newest = changes_of(figure.history.filter(id=figure.pk).select_related("history_user"))[0]
    assert person(newest.user) == "API-token Vastgoedsysteem (Weller)"
    assert newest.reason == "Via de API met API-token ‘Vastgoedsysteem’ (Weller)"
    assert [(f.old, f.new) for f in newest.fields] == [("leeg", "1.234")]
    # The beheerder's history page of the figure shows the token and its party.
    login(client, beheerder)
    page = client.get(
        reverse("admin:sustainability_energylabelfigure_history", args=[figure.pk])
    ).content.decode()
    assert "Via de API met API-token ‘Vastgoedsysteem’ (Weller)" in page


def test_a_weller_token_cannot_record_woonpunts_figure(client, jaarschijf):
    _, secret = make_api_token("Weller")
    figure = figure_of("Woonpunt")

    response = put(client, efg_url(figure), secret, {"version": figure.version, "realised": 5})

    body = assert_problem(response, 403)
    assert body["detail"] == (
        "Dit API-token van Weller mag alleen cijfers van Weller vastleggen; dit cijfer is van "
        "Woonpunt."
    )
    figure.refresh_from_db()
    assert (figure.realised, figure.version) == (None, 1)
    # Not even bad input tells it more than that: the refusal comes first.
    assert put(client, efg_url(figure), secret, {"realised": "veel"}).status_code == 403


def test_nothing_in_an_evaluated_jaarschijf_can_be_written(client, jaarschijf):
    _, secret = make_api_token("Weller")
    Jaarschijf.objects.filter(pk=jaarschijf.pk).update(status=Jaarschijf.Status.GEEVALUEERD)
    figure, project = figure_of("Weller"), project_of("Weller")
    value = IndicatorValue.objects.filter(party__name="Weller").first()

    responses = [
        put(client, efg_url(figure), secret, {"version": 1, "realised": 5}),
        put(
            client,
            project_url(project),
            secret,
            {
                "version": project.version,
                "status": "in_uitvoering",
                "realised_dwellings": None,
                "expected_year": None,
                "expected_quarter": None,
                "explanation": "",
            },
        ),
        put(
            client,
            indicator_url(value),
            secret,
            {"version": 1, "realised": 3, "realised_comparator": "exact", "realised_note": ""},
        ),
    ]

    for response in responses:
        body = assert_problem(response, 403)
        assert body["detail"] == (
            "Jaarschijf 2024 is geëvalueerd en daarmee alleen-lezen: alleen de beheerder kan er "
            "nog iets in wijzigen."
        )
    figure.refresh_from_db()
    project.refresh_from_db()
    assert (figure.version, project.status) == (1, Project.Status.GEPLAND)


def test_a_stale_version_gets_409_saying_who_changed_what_and_when(client, weller_medewerker):
    _, secret = make_api_token("Weller")
    figure = figure_of("Weller")
    record_label_realisations(
        user=weller_medewerker,
        jaarschijf=figure.jaarschijf,
        corporation=figure.corporation,
        rows=[LabelRealisation(figure_id=figure.pk, version=1, realised=900)],
    )

    response = put(client, efg_url(figure), secret, {"version": 1, "realised": 800})

    body = assert_problem(response, 409)
    assert "Medewerker Weller (Weller)" in body["detail"]
    assert "realisatie (EFG-labels): leeg → 900" in body["detail"]
    assert body["current_version"] == 2
    [change] = body["changes"]
    assert change["by"] == "Medewerker Weller (Weller)"
    assert timezone.now() - datetime.fromisoformat(change["at"]) < timedelta(minutes=1)
    assert change["fields"] == [
        {"name": "realised", "label": "realisatie (EFG-labels)", "old": "leeg", "new": "900"}
    ]
    figure.refresh_from_db()
    assert (figure.realised, figure.version) == (900, 2)


def test_bad_input_gets_400_with_the_forms_dutch_messages_and_changes_nothing(client, jaarschijf):
    _, secret = make_api_token("Weller")
    figure, project = figure_of("Weller"), project_of("Weller")

    negative = put(client, efg_url(figure), secret, {"version": 1, "realised": -5})
    dropped = put(
        client,
        project_url(project),
        secret,
        {
            "version": project.version,
            "status": "vervallen",
            "realised_dwellings": None,
            "expected_year": None,
            "expected_quarter": 3,
            "explanation": "  ",
        },
    )
    shapeless = put(client, efg_url(figure), secret, {"realised": [1], "colour": "rood"})

    assert assert_problem(negative, 400)["invalidParams"] == [
        {"name": "realised", "reason": "Het aantal woningen kan niet negatief zijn."}
    ]
    assert sorted(
        (p["name"], p["reason"]) for p in assert_problem(dropped, 400)["invalidParams"]
    ) == [
        ("expected_year", "Vul ook het jaar in bij het kwartaal van de oplevering."),
        ("explanation", "Licht toe waarom het project vervalt."),
    ]
    names = {p["name"] for p in assert_problem(shapeless, 400)["invalidParams"]}
    assert names == {"realised", "version"}  # an unknown field is ignored
    figure.refresh_from_db()
    project.refresh_from_db()
    assert (figure.realised, figure.version) == (None, 1)
    assert (project.status, project.version) == (Project.Status.GEPLAND, 1)


def test_project_progress_through_the_api_shows_on_the_project_page(client, kernteamlid):
    _, secret = make_api_token("Weller", "Vastgoedsysteem")
    project = project_of("Weller")

    response = put(
        client,
        project_url(project),
        secret,
        {
            "version": project.version,
            "status": "in_uitvoering",
            "realised_dwellings": 4,
            "expected_year": 2026,
            "expected_quarter": 2,
            "explanation": "Bouw gestart.",
        },
    )

    assert response.status_code == 200, response.content
    assert response.json()["expected_quarter"] == 2
    project.refresh_from_db()
    assert (project.status, project.realised_dwellings, project.expected_completion) == (
        "in_uitvoering",
        4,
        "Q2 2026",
    )
    login(client, kernteamlid)
    page = client.get(reverse("projects:project-detail", args=[project.pk])).content.decode()
    assert "API-token Vastgoedsysteem (Weller)" in page


def test_an_expected_year_beyond_the_models_bound_gets_the_models_message(client, jaarschijf):
    """The jaarschijf decides how far ahead a delivery may lie (Project.clean()): the API
    refuses what the project form refuses, with the same words, also beyond 2100."""
    _, secret = make_api_token("Weller")
    project = project_of("Weller")
    latest = project.jaarschijf.year + MAX_YEARS_AHEAD

    def send(year):
        return put(
            client,
            project_url(project),
            secret,
            {
                "version": project.version,
                "status": "gepland",
                "realised_dwellings": None,
                "expected_year": year,
                "expected_quarter": None,
                "explanation": None,
            },
        )

    for year in (latest + 1, 2100, 2200, MIN_EXPECTED_YEAR - 1):
        assert assert_problem(send(year), 400)["invalidParams"] == [
            {"name": "expected_year", "reason": f"Vul een jaar in tussen 2000 en {latest}."}
        ], year
    project.refresh_from_db()
    assert (project.expected_year, project.version) == (None, 1)
    assert send(latest).status_code == 200
    # The published document names the model's lower bound and leaves the upper one to it.
    schema = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    year_field = schema["ProjectProgressInput"]["properties"]["expected_year"]
    assert year_field["minimum"] == MIN_EXPECTED_YEAR
    assert "maximum" not in year_field


def test_an_indicator_realisation_is_recorded_with_its_comparator(client, jaarschijf):
    _, secret = make_api_token("Weller")
    value = IndicatorValue.objects.filter(party__name="Weller").first()
    url = indicator_url(value)

    current = client.get(url, headers={"Authorization": f"Bearer {secret}"}).json()
    response = put(
        client,
        url,
        secret,
        {
            "version": current["version"],
            "realised": 12.5,
            "realised_comparator": "circa",
            "realised_note": "Uit het vastgoedsysteem.",
        },
    )

    assert response.status_code == 200, response.content
    value.refresh_from_db()
    assert (value.realised, value.realised_comparator, value.realised_note) == (
        Decimal("12.50"),
        "circa",
        "Uit het vastgoedsysteem.",
    )
    too_precise = put(
        client,
        url,
        secret,
        {
            "version": value.version,
            "realised": 1.234,
            "realised_comparator": "exact",
            "realised_note": "",
        },
    )
    assert assert_problem(too_precise, 400)["invalidParams"] == [
        {"name": "realised", "reason": "Gebruik hoogstens twee cijfers achter de komma."}
    ]
    circa_of_nothing = put(
        client,
        url,
        secret,
        {
            "version": value.version,
            "realised": None,
            "realised_comparator": "circa",
            "realised_note": "",
        },
    )
    (problem,) = assert_problem(circa_of_nothing, 400)["invalidParams"]
    assert problem["name"] == "realised" and "ook het getal in" in problem["reason"]
    as_text = put(
        client,
        url,
        secret,
        {
            "version": value.version,
            "realised": "1.5",
            "realised_comparator": "exact",
            "realised_note": "",
        },
    )
    # The number came as text: the message says so, and how a number is sent.
    (problem,) = assert_problem(as_text, 400)["invalidParams"]
    assert problem["name"] == "realised"
    assert "geen tekst" in problem["reason"] and "85.5" in problem["reason"]


def test_an_unknown_id_gets_a_problem_404(client, jaarschijf):
    _, secret = make_api_token("Weller")
    for url in (
        "/api/v1/efg-labelcijfers/2024/weller/99999999999999999999/realisatie",
        "/api/v1/efg-labelcijfers/2024/weller/-1/realisatie",
        "/api/v1/efg-labelcijfers/2024/niemand/2025/realisatie",
        "/api/v1/projecten/2024/nieuwbouw/999/voortgang",
    ):
        assert_problem(client.get(url, headers={"Authorization": f"Bearer {secret}"}), 404)


def test_the_openapi_document_describes_the_writes_with_the_bearer_scheme(client, jaarschijf):
    document = client.get("/api/v1/openapi.json").json()

    scheme = document["components"]["securitySchemes"]["apiToken"]
    assert (scheme["type"], scheme["scheme"]) == ("http", "bearer")
    operation = document["paths"][
        "/api/v1/efg-labelcijfers/{jaarschijf}/{corporatie}/{jaar}/realisatie"
    ]["put"]
    assert operation["security"] == [{"apiToken": []}]
    assert set(operation["responses"]) == {"200", "400", "401", "403", "404", "409", "415", "429"}
    assert "geëvalueerd" in operation["responses"]["403"]["description"]
    assert "application/problem+json" in operation["responses"]["409"]["content"]


@pytest.mark.parametrize("body", [b"{bad", b'{"realised": 5,}', b"\xff\xfe{}"])
def test_a_body_that_is_no_json_gets_a_dutch_400_and_changes_nothing(client, jaarschijf, body):
    _, secret = make_api_token("Weller")
    figure = figure_of("Weller")

    response = client.put(
        efg_url(figure),
        data=body,
        content_type="application/json",
        headers={"Authorization": f"Bearer {secret}"},
    )

    problem = assert_problem(response, 400)
    assert problem["title"] == "Ongeldig verzoek"
    assert problem["detail"].startswith("De inhoud is geen geldige JSON")
    assert "JSON parse error" not in response.content.decode()
    figure.refresh_from_db()
    assert (figure.realised, figure.version) == (None, 1)
