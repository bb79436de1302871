"""An API token reads the whole API as its party's logged-in session would; one object at a
time through the detail endpoints, with the collection's policy: what a caller may not read
is a 404, as if it did not exist."""

from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.core.cache import caches
from django.utils import timezone

from agreements.models import Jaarschijf
from api.models import ApiToken
from projects.models import Project

from .factories import action, login, make_api_token, make_progress_update, party

pytestmark = pytest.mark.django_db

API = "/api/v1/"


def bearer(secret: str) -> dict:
    return {"Authorization": f"Bearer {secret}"}


def results(client, path, headers=None, **params):
    response = client.get(API + path, {"page_size": 200, **params}, headers=headers or {})
    assert response.status_code == 200, response.content
    return response.json()["results"]


def assert_problem(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    assert response["API-Version"] == django_settings.API_VERSION
    return response.json()


@pytest.fixture
def concept_with_private_notes(jaarschijf, weller_medewerker):
    """Jaarschijf 2024 as a concept (not public), with a private note and a working note."""
    make_progress_update(action("1.7"), weller_medewerker, explanation="Intern: nog geheim.")
    project = Project.objects.filter(jaarschijf=jaarschijf, corporation=party("Weller")).first()
    Project.objects.filter(pk=project.pk).update(explanation="Werknotitie Weller")
    Jaarschijf.objects.filter(pk=jaarschijf.pk).update(status=Jaarschijf.Status.CONCEPT)
    return jaarschijf


# --- Tokens on the read collections -----------------------------------------------------------


@pytest.mark.parametrize("public_dashboard", [True, False])
def test_a_weller_token_reads_the_non_public_rows_a_weller_session_reads(
    client, concept_with_private_notes, weller_medewerker, settings, public_dashboard
):
    settings.PUBLIC_DASHBOARD = public_dashboard
    _, secret = make_api_token("Weller")

    as_token = {
        path: results(client, path, bearer(secret))
        for path in ("jaarschijven", "afspraken", "voortgangsupdates", "projecten")
    }

    assert [row["year"] for row in as_token["jaarschijven"]] == [2024]  # the concept
    assert len(as_token["afspraken"]) == concept_with_private_notes.actions.count()
    assert [row["explanation"] for row in as_token["voortgangsupdates"]] == ["Intern: nog geheim."]
    assert "Werknotitie Weller" in [row["explanation"] for row in as_token["projecten"]]
    # Exactly what a logged-in medewerker of Weller reads, no more and no less.
    login(client, weller_medewerker)
    for path, rows in as_token.items():
        assert results(client, path) == rows, path


def test_a_visitor_still_gets_only_the_public_set(client, concept_with_private_notes, settings):
    settings.PUBLIC_DASHBOARD = True
    Jaarschijf.objects.update(status=Jaarschijf.Status.VASTGESTELD)

    updates = results(client, "voortgangsupdates")
    projects = results(client, "projecten")

    assert [(u["explanation"], u["author"]) for u in updates] == [("", None)]
    assert {p["explanation"] for p in projects} == {""}
    Jaarschijf.objects.update(status=Jaarschijf.Status.CONCEPT)
    assert results(client, "afspraken") == []


def test_with_the_dashboard_closed_a_visitor_gets_401_with_a_bearer_challenge(
    client, jaarschijf, settings
):
    settings.PUBLIC_DASHBOARD = False

    body = assert_problem(client.get(API + "afspraken"), 401)

    assert client.get(API + "afspraken")["WWW-Authenticate"] == 'Bearer realm="api"'
    assert body["detail"] == (
        "Dit dashboard is niet openbaar: log in of stuur een API-token mee om de gegevens te lezen."
    )


@pytest.mark.parametrize("public_dashboard", [True, False])
def test_an_expired_revoked_or_unknown_token_is_401_on_a_read_never_anonymous(
    client, jaarschijf, settings, public_dashboard, beheerder
):
    settings.PUBLIC_DASHBOARD = public_dashboard
    expired, expired_secret = make_api_token("Weller", "Verlopen")
    past = timezone.now() - timedelta(days=1)
    ApiToken.objects.filter(pk=expired.pk).update(
        created_at=past - timedelta(days=30), expires_at=past
    )
    revoked, revoked_secret = make_api_token("Weller", "Ingetrokken")
    ApiToken.objects.filter(pk=revoked.pk).update(revoked_at=timezone.now())

    for secret, reason in [
        (expired_secret, "verlopen"),
        (revoked_secret, "ingetrokken"),
        ("pa_00000000_" + "a" * 43, "Onbekend API-token"),
    ]:
        for path in ("afspraken", "afspraken/2024/1.7"):
            response = client.get(API + path, headers=bearer(secret))
            body = assert_problem(response, 401)
            assert response["WWW-Authenticate"] == 'Bearer realm="api"'
            assert reason in body["detail"]


def test_a_bad_token_beside_a_valid_session_is_still_refused(client, jaarschijf, huurder):
    login(client, huurder)

    response = client.get(API + "afspraken", headers=bearer("pa_00000000_" + "b" * 43))

    assert_problem(response, 401)


def test_reads_with_a_token_count_towards_its_rate_limit(client, jaarschijf, settings):
    settings.API_TOKEN_RATE = "2/minute"
    caches["api-throttle"].clear()
    _, secret = make_api_token("Weller")

    statuses = [
        client.get(API + path, headers=bearer(secret)).status_code
        for path in ("afspraken", "partijen/weller")
    ]
    refused = client.get(API + "projecten", headers=bearer(secret))

    assert statuses == [200, 200]
    body = assert_problem(refused, 429)
    assert "Te veel verzoeken met dit API-token" in body["detail"]
    assert 0 < int(refused["Retry-After"]) <= 60
    # A visitor has no token, so no token limit.
    settings.PUBLIC_DASHBOARD = True
    assert client.get(API + "projecten").status_code == 200


# --- One object -------------------------------------------------------------------------------

DETAILS = ["afspraken", "projecten", "voortgangsupdates", "partijen"]


@pytest.mark.parametrize("collection", DETAILS)
def test_every_item_links_to_itself_and_the_link_answers_the_same_object(
    client, jaarschijf, settings, weller_medewerker, collection
):
    settings.PUBLIC_DASHBOARD = True
    make_progress_update(action("1.8"), weller_medewerker, explanation="Openbaar", is_public=True)

    for item in results(client, collection)[:3]:
        href = item["_links"]["self"]["href"]
        assert href.startswith("http://testserver" + API + collection + "/")
        response = client.get(href)
        assert response.status_code == 200, (href, response.content)
        assert response["API-Version"] == django_settings.API_VERSION
        assert response.json() == item


def test_the_detail_paths_use_the_keys_the_collections_show(
    client, jaarschijf, settings, weller_medewerker
):
    settings.PUBLIC_DASHBOARD = True
    update = make_progress_update(
        action("1.7"), weller_medewerker, status="vertraagd", explanation="Wacht op vergunning."
    )
    project = Project.objects.filter(jaarschijf=jaarschijf).first()

    got = client.get(API + "afspraken/2024/1.7").json()
    assert (got["number"], got["status"]) == ("1.7", "vertraagd")
    got = client.get(API + f"voortgangsupdates/{update.pk}").json()
    assert (got["id"], got["action"]) == (update.pk, "1.7")
    got = client.get(API + f"projecten/2024/{project.category}/{project.position}").json()
    assert got["name"] == project.name
    got = client.get(API + "partijen/woningcorporaties").json()
    assert "weller" in got["members"]


@pytest.mark.parametrize(
    "path",
    [
        "afspraken/2024/99.99",
        "afspraken/2024/abc",
        "afspraken/1999/1.7",
        "afspraken/99999999999999999999/1.7",
        "projecten/2024/kasteel/1",
        "projecten/2024/nieuwbouw/32767",
        "projecten/2024/nieuwbouw/-1",
        "voortgangsupdates/999999",
        "voortgangsupdates/99999999999999999999999",
        "voortgangsupdates/x",
        "partijen/bestaat-niet",
    ],
)
def test_an_unknown_key_is_a_dutch_404_problem(client, jaarschijf, settings, path):
    settings.PUBLIC_DASHBOARD = True

    body = assert_problem(client.get(API + path), 404)

    assert body["detail"].startswith("Dit object bestaat niet, of u mag het niet lezen.")


def test_what_a_visitor_may_not_read_is_a_404_like_what_does_not_exist(
    client, concept_with_private_notes, settings, weller_medewerker
):
    settings.PUBLIC_DASHBOARD = True
    update = concept_with_private_notes.actions.get(number="1.7").updates.get()
    project = Project.objects.filter(explanation="Werknotitie Weller").get()
    paths = [
        "afspraken/2024/1.7",
        f"voortgangsupdates/{update.pk}",
        f"projecten/2024/{project.category}/{project.position}",
    ]
    missing = client.get(API + "afspraken/2024/99.99").json()

    for path in paths:
        assert assert_problem(client.get(API + path), 404) == missing

    _, secret = make_api_token("Weller")
    for path in paths:
        assert client.get(API + path, headers=bearer(secret)).status_code == 200
    assert client.get(API + paths[1], headers=bearer(secret)).json()["explanation"] == (
        "Intern: nog geheim."
    )


def test_a_private_note_stays_out_of_a_visitors_detail(
    client, jaarschijf, settings, weller_medewerker
):
    settings.PUBLIC_DASHBOARD = True
    update = make_progress_update(action("1.7"), weller_medewerker, explanation="Intern.")

    got = client.get(API + f"voortgangsupdates/{update.pk}").json()
    assert (got["explanation"], got["author"]) == ("", None)

    login(client, weller_medewerker)
    got = client.get(API + f"voortgangsupdates/{update.pk}").json()
    assert (got["explanation"], got["author"]) == ("Intern.", str(weller_medewerker))


def test_with_the_dashboard_closed_a_detail_needs_a_login_or_token(client, jaarschijf, settings):
    settings.PUBLIC_DASHBOARD = False
    _, secret = make_api_token("Weller")

    assert_problem(client.get(API + "partijen/weller"), 401)
    assert client.get(API + "partijen/weller", headers=bearer(secret)).status_code == 200


def test_the_openapi_document_describes_the_detail_endpoints_in_dutch(client):
    paths = client.get(API + "openapi.json").json()["paths"]

    for path, summary in [
        ("/api/v1/afspraken/{jaarschijf}/{nummer}", "Eén afspraak"),
        ("/api/v1/projecten/{jaarschijf}/{categorie}/{volgnummer}", "Eén project"),
        ("/api/v1/voortgangsupdates/{id}", "Eén voortgangsupdate"),
        ("/api/v1/partijen/{slug}", "Eén partij"),
    ]:
        get = paths[path]["get"]
        assert get["summary"] == summary
        assert {"200", "401", "404", "429"} <= set(get["responses"])
        assert "404" in get["description"]
    security = paths["/api/v1/afspraken"]["get"]["security"]
    assert {"apiToken": []} in security
