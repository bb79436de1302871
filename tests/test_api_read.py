"""The read API shows what the pages show: the same figures, the same public policy, and
refusals as Dutch problem+json."""

import base64

import pytest
from django.conf import settings as django_settings

from agreements.models import Action, Jaarschijf
from overview.figures import headline_figures
from projects.models import Project

from .factories import action, login, make_progress_update, party

pytestmark = pytest.mark.django_db

API = "/api/v1/"
COLLECTIONS = [
    "jaarschijven",
    "themas",
    "partijen",
    "afspraken",
    "voortgangsupdates",
    "projecten",
    "efg-labelcijfers",
    "efg-totalen",
    "bat-voorraad",
    "kengetallen",
    "kerncijfers",
]


def get(client, path, **params):
    return client.get(API + path, params)


def assert_problem(response, status):
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    assert response["API-Version"] == django_settings.API_VERSION
    body = response.json()
    assert body["status"] == status
    return body


def all_results(client, path, **params):
    response = get(client, path, page_size=200, **params)
    assert response.status_code == 200, response.content
    return response.json()["results"]


@pytest.mark.parametrize("path", COLLECTIONS)
def test_without_the_public_dashboard_an_anonymous_caller_reads_nothing(
    client, jaarschijf, settings, path
):
    settings.PUBLIC_DASHBOARD = False

    response = get(client, path)
    body = assert_problem(response, 401)

    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert body["detail"] == (
        "Dit dashboard is niet openbaar: log in of stuur een API-token mee om de gegevens te lezen."
    )


@pytest.mark.parametrize("path", COLLECTIONS)
def test_with_the_public_dashboard_every_collection_answers_with_links(
    client, jaarschijf, settings, path
):
    settings.PUBLIC_DASHBOARD = True

    response = get(client, path)

    assert response.status_code == 200
    assert response["API-Version"] == django_settings.API_VERSION
    body = response.json()
    assert body["_links"]["self"]["href"].startswith("http://testserver/api/v1/" + path)
    assert 'rel="first"' in response["Link"]
    assert body["count"] == len(body["results"]) or body["count"] > 50


def test_a_visitor_sees_the_agreements_with_their_latest_status_parties_and_lead(
    client, jaarschijf, settings, weller_medewerker
):
    settings.PUBLIC_DASHBOARD = True
    make_progress_update(action("1.7"), weller_medewerker, status="op_schema", percent_done=30)
    make_progress_update(
        action("1.7"), weller_medewerker, status="vertraagd", percent_done=40, explanation="x"
    )

    rows = all_results(client, "afspraken", jaarschijf=2024)

    assert len(rows) == Action.objects.filter(jaarschijf=jaarschijf).count()
    first = next(row for row in rows if row["number"] == "1.7")
    assert (first["status"], first["percent_done"]) == ("vertraagd", 40)
    assert first["parties"], "every action of the document names a party"
    leads = [p["slug"] for p in first["parties"] if p["is_lead"]]
    expected = [p.party.slug for p in action("1.7").action_parties.all() if p.is_lead]
    assert leads == expected
    untouched = next(row for row in rows if row["number"] == "1.8")
    assert (untouched["status"], untouched["percent_done"]) == ("niet_gestart", 0)


def test_a_visitor_never_sees_a_concept_jaarschijf_a_logged_in_user_does(
    client, jaarschijf, settings, huurder
):
    settings.PUBLIC_DASHBOARD = True
    Jaarschijf.objects.filter(pk=jaarschijf.pk).update(status=Jaarschijf.Status.CONCEPT)

    assert all_results(client, "jaarschijven") == []
    assert all_results(client, "afspraken") == []
    assert all_results(client, "projecten") == []
    assert_problem(get(client, "kerncijfers", jaarschijf=2024), 404)

    login(client, huurder)
    assert [row["year"] for row in all_results(client, "jaarschijven")] == [2024]
    assert len(all_results(client, "afspraken")) == jaarschijf.actions.count()


def test_a_private_note_and_the_writers_name_stay_out_for_a_visitor(
    client, jaarschijf, settings, weller_medewerker
):
    settings.PUBLIC_DASHBOARD = True
    make_progress_update(
        action("1.7"), weller_medewerker, explanation="Intern: wacht op de wethouder."
    )
    make_progress_update(
        action("1.8"), weller_medewerker, explanation="Gestart met de bewoners.", is_public=True
    )

    rows = {row["action"]: row for row in all_results(client, "voortgangsupdates")}
    assert rows["1.7"]["explanation"] == ""
    assert rows["1.8"]["explanation"] == "Gestart met de bewoners."
    assert rows["1.7"]["author"] is None and rows["1.7"]["party"] == "weller"

    login(client, weller_medewerker)
    rows = {row["action"]: row for row in all_results(client, "voortgangsupdates")}
    assert rows["1.7"]["explanation"] == "Intern: wacht op de wethouder."
    assert rows["1.7"]["author"] == str(weller_medewerker)


def test_a_projects_working_note_is_for_logged_in_users_only(
    client, jaarschijf, settings, weller_medewerker
):
    settings.PUBLIC_DASHBOARD = True
    project = Project.objects.filter(jaarschijf=jaarschijf, corporation=party("Weller")).first()
    Project.objects.filter(pk=project.pk).update(explanation="Werknotitie")

    def note():
        rows = all_results(client, "projecten", corporatie="weller")
        return next(r for r in rows if r["name"] == project.name)["explanation"]

    assert note() == ""
    login(client, weller_medewerker)
    assert note() == "Werknotitie"


def test_the_party_filter_counts_actions_through_a_collective_like_the_pages(
    client, jaarschijf, settings
):
    settings.PUBLIC_DASHBOARD = True
    weller = party("Weller")

    numbers = [row["number"] for row in all_results(client, "afspraken", partij="weller")]

    expected = Action.objects.filter(jaarschijf=jaarschijf).involving(weller).numeric_order()
    assert numbers == [a.number for a in expected]
    assert (
        len(numbers)
        > Action.objects.filter(jaarschijf=jaarschijf).involving(weller, directly=True).count()
    ), "Weller takes part in more actions through 'Woningcorporaties'"


@pytest.mark.parametrize(
    ("path", "params", "name", "reason"),
    [
        ("afspraken", {"partij": "wellerr"}, "partij", "Onbekende partij"),
        ("afspraken", {"status": "klaar"}, "status", "Onbekende status: kies uit niet_gestart"),
        ("afspraken", {"jaarschijf": "twintig"}, "jaarschijf", "Geef een jaartal"),
        ("projecten", {"categorie": "villa"}, "categorie", "Onbekende categorie"),
        ("projecten", {"corporatie": "gemeente-heerlen"}, "corporatie", "Onbekende corporatie"),
        ("kerncijfers", {"jaarschijf": "1999"}, "jaarschijf", "Een jaarschijf is er vanaf 2000"),
    ],
)
def test_a_bad_filter_value_is_a_dutch_problem_naming_the_parameter(
    client, jaarschijf, settings, path, params, name, reason
):
    settings.PUBLIC_DASHBOARD = True

    body = assert_problem(get(client, path, **params), 400)

    assert body["title"] == "Ongeldig verzoek"
    [param] = body["invalidParams"]
    assert param["name"] == name
    assert param["reason"].startswith(reason)


def test_pages_link_to_each_other_and_an_unknown_page_is_a_404_problem(
    client, jaarschijf, settings
):
    settings.PUBLIC_DASHBOARD = True
    total = Action.objects.filter(jaarschijf=jaarschijf).count()

    first = get(client, "afspraken", page_size=10).json()
    second = client.get(first["_links"]["next"]["href"]).json()

    assert first["count"] == total
    assert "prev" not in first["_links"]
    assert second["_links"]["prev"]["href"] == first["_links"]["self"]["href"]
    assert {r["number"] for r in first["results"]}.isdisjoint(
        r["number"] for r in second["results"]
    )
    last = client.get(first["_links"]["last"]["href"]).json()
    assert "next" not in last["_links"]
    assert len(last["results"]) == total - 10 * ((total - 1) // 10)
    body = assert_problem(get(client, "afspraken", page=999), 404)
    assert body["detail"] == "Deze pagina bestaat niet."


@pytest.mark.parametrize(
    "path", ["/api/v1/bestaatniet", "/api/v1/afspraken/", "/api/v2/afspraken", "/api/"]
)
def test_an_unknown_api_path_is_a_404_problem_also_with_a_trailing_slash(client, path):
    body = assert_problem(client.get(path), 404)

    assert body["title"] == "Niet gevonden"
    assert "/api/v1/openapi.json" in body["detail"]


def test_the_headline_figures_are_the_dashboards_with_their_completeness(
    client, jaarschijf, settings
):
    settings.PUBLIC_DASHBOARD = True

    rows = all_results(client, "kerncijfers")

    expected = headline_figures(jaarschijf)
    assert [(r["label"], r["computed"], r["incomplete"]) for r in rows] == [
        (e["figure"].label, e["computed"], e["incomplete"]) for e in expected
    ]
    assert any(r["incomplete"] for r in rows), "the 2024 EFG targets include a 't.b.'"


def test_efg_totals_say_how_many_corporations_are_unknown(client, jaarschijf, settings):
    settings.PUBLIC_DASHBOARD = True

    rows = all_results(client, "efg-totalen", jaarschijf=2024)
    figures = all_results(client, "efg-labelcijfers", jaarschijf=2024)

    for row in rows:
        year = [f for f in figures if f["year"] == row["year"]]
        assert row["corporations"] == len(year)
        assert row["unknown_targets"] == sum(1 for f in year if f["target"] is None)


def test_the_openapi_document_describes_every_collection_in_dutch(client):
    document = client.get(API + "openapi.json").json()

    for path in COLLECTIONS:
        operation = document["paths"][f"/api/v1/{path}"]["get"]
        assert operation["description"]
        assert "application/problem+json" in operation["responses"]["400"]["content"]
        for parameter in operation.get("parameters", []):
            assert parameter.get("description"), (path, parameter["name"])
    afspraken = document["paths"]["/api/v1/afspraken"]["get"]
    names = {p["name"] for p in afspraken["parameters"]}
    assert {"jaarschijf", "thema", "partij", "status", "page", "page_size"} <= names


def test_in_production_plain_http_is_refused_with_a_problem_not_redirected(
    client, jaarschijf, settings
):
    settings.PUBLIC_DASHBOARD = True
    settings.SECURE = True
    settings.SECURE_SSL_REDIRECT = True

    body = assert_problem(get(client, "afspraken"), 403)

    assert "alleen bereikbaar via https" in body["detail"]
    assert client.get(API + "afspraken", secure=True).status_code == 200
    assert client.get("/afspraken/").status_code == 301, "the pages are still redirected"


def test_the_api_takes_no_passwords_over_http_basic(client, jaarschijf, weller_medewerker):
    credentials = base64.b64encode(b"weller:Wachtwoord-voor-tests-2024").decode()

    response = client.get(API + "afspraken", HTTP_AUTHORIZATION=f"Basic {credentials}")

    assert_problem(response, 401)
    assert response["WWW-Authenticate"] == 'Bearer realm="api"', "a token, never a password"
