"""Whatever a visitor types into the address bar gets a page or a Dutch 404/400, never a 500."""

import re

import pytest
from django.urls import reverse

from agreements.models import Party

from .factories import YEAR, login
from .helpers_dashboard import page_text

pytestmark = pytest.mark.django_db

LISTS = ["overview:action-list", "overview:project-list"]


def list_urls():
    weller = Party.objects.get(name="Weller")
    return [reverse(name) for name in LISTS] + [
        reverse("overview:party-detail", args=[weller.slug])
    ]


@pytest.mark.parametrize("per_page", ["-1", "0", "100000", "99999999999999999999999", "-0"])
def test_an_absurd_page_size_shows_a_bounded_page(client, kernteamlid, per_page):
    login(client, kernteamlid)
    for url in list_urls():
        response = client.get(url, {"per_page": per_page})
        assert response.status_code == 200, url
        assert 1 <= response.context["table"].paginator.per_page <= 500, url


def test_a_page_size_within_bounds_is_honoured(client, kernteamlid):
    login(client, kernteamlid)
    response = client.get(reverse("overview:action-list"), {"per_page": "10"})
    assert len(response.context["table"].page.object_list) == 10


@pytest.mark.parametrize(
    "path",
    [
        f"/afspraken/{YEAR}/1.15%00/",
        f"/afspraken/{YEAR}/1.1%00/voortgang/",
        f"/afspraken/{YEAR}/1.1%00/evaluatie/",
        f"/afspraken/{YEAR}/%00/",
        f"/afspraken/{YEAR}/1.1x/",
        f"/afspraken/{YEAR}/{'1' * 200}.1/",
        "/afspraken/99999999999999999999999/1.1/",
        "/afspraken/0/1.1/",
        "/projecten/99999999999999999999999/",
        "/projecten/99999999999999999999999/bijwerken/",
        "/kengetallen/99999999999999999999999/realisatie/",
        "/evaluatie/99999999999999999999999/export/",
        "/evaluatie/99999999999999999999999/import/",
        "/evaluatie/99999999999999999999999/import/sjabloon/",
        "/evaluatie/99999999999999999999999/import/voorbeeld/",
        "/jaarschijf/99999999999999999999999/",
        "/jaarschijf/99999999999999999999999/nieuw/",
        "/jaarschijf/99999999999999999999999/status/",
        "/partijen/weller%00/",
        "/duurzaamheid/efg-realisatie/weller%00/",
    ],
)
def test_a_malformed_url_is_a_dutch_404_not_a_server_error(client, kernteamlid, path):
    login(client, kernteamlid)
    response = client.get(path)
    assert response.status_code == 404, path
    assert "niet gevonden" in response.content.decode().lower()


def paginated_lists():
    """Each list page with a paginated table: its address and the table's page field."""
    weller = Party.objects.get(name="Weller")
    return [
        (reverse("overview:action-list"), "page"),
        (reverse("overview:project-list"), "page"),
        (reverse("overview:party-detail", args=[weller.slug]), "a-page"),
    ]


def shown_page(response) -> tuple[int, int]:
    """The page the reader sees, as (number, of): "Pagina 3 van 7"."""
    found = re.search(r"Pagina (\d+) van (\d+)", page_text(response))
    assert found, "no pagination shown"
    return int(found[1]), int(found[2])


@pytest.mark.parametrize("page", ["99999999999999999999", str(2**63), "-1", "abc"])
def test_an_absurd_page_number_shows_the_last_or_first_page_not_a_server_error(
    client, kernteamlid, page
):
    login(client, kernteamlid)
    for url, field in paginated_lists():
        per_page = field.replace("page", "per_page")
        response = client.get(url, {field: page, per_page: 2})
        assert response.status_code == 200, url
        number, of = shown_page(response)
        assert of > 1, url
        assert number == (1 if page == "abc" else of), url


@pytest.mark.parametrize(
    "path",
    [
        "/mijn-werk/herinneringen/",
        f"/evaluatie/{YEAR}/compleet/",
        f"/evaluatie/{YEAR}/heropenen/",
        f"/evaluatie/{YEAR}/besluit/",
        f"/jaarschijf/{YEAR}/status/",
        "/rapportages/1/sluiten/",
        "/uitloggen/",
    ],
)
def test_opening_an_address_that_only_takes_a_form_explains_so_in_dutch(client, kernteamlid, path):
    login(client, kernteamlid)

    response = client.get(path, HTTP_REFERER="http://testserver/mijn-werk/")

    assert response.status_code == 405
    assert "POST" in response.headers["Allow"]
    text = page_text(response)
    assert "Dit adres verwerkt alleen een verstuurd formulier" in text
    assert "Terug naar de vorige pagina" in text
    html = response.content.decode()
    assert 'href="/mijn-werk/"' in html  # back where the visitor came from
    assert 'id="main"' in html  # the site's layout, with its header and navigation


def test_the_page_about_a_form_address_links_to_the_dashboard_not_to_another_site(
    client, kernteamlid
):
    login(client, kernteamlid)

    response = client.get("/mijn-werk/herinneringen/", HTTP_REFERER="https://example.com/x")

    assert response.status_code == 405
    html = response.content.decode()
    assert "example.com" not in html
    assert 'href="/"' in html and "Naar het dashboard" in page_text(response)
