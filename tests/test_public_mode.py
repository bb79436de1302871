"""PUBLIC_DASHBOARD: off, visitors must log in; on, they read every overview but change nothing."""

import pytest
from django.urls import reverse

from overview.jaarschijf import SESSION_KEY
from projects.models import Project

from .factories import action, login
from .helpers_dashboard import page_text

pytestmark = pytest.mark.django_db

EDIT_WORDS = ("Voortgang melden", "Realisatie invullen", ">Bijwerken<")


def read_pages():
    """Every read-only page: the overviews, their download, and the detail pages."""
    return [
        reverse("overview:dashboard"),
        reverse("overview:action-list"),
        reverse("overview:action-list") + "?party=weller&status=niet_gestart",
        reverse("overview:action-list-export"),
        reverse("overview:project-list"),
        reverse("overview:project-list") + "?bat=BAT0",
        reverse("overview:sustainability"),
        reverse("overview:party-list"),
        reverse("overview:party-detail", args=["weller"]),
        reverse("overview:party-detail", args=["woningcorporaties"]),
        action("4.5").get_absolute_url(),
        Project.objects.filter(jaarschijf__year=2024).first().get_absolute_url(),
    ]


def test_visitors_are_sent_to_the_login_page_when_the_dashboard_is_not_public(
    client, jaarschijf, settings
):
    settings.PUBLIC_DASHBOARD = False

    for url in read_pages():
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("accounts:login")), url
        assert "next=" in response["Location"], url


def test_visitors_read_every_overview_without_edit_links_when_the_dashboard_is_public(
    client, jaarschijf, settings
):
    settings.PUBLIC_DASHBOARD = True

    for url in read_pages():
        response = client.get(url)
        assert response.status_code == 200, url
        if response["Content-Type"].startswith("text/html"):
            html = response.content.decode()
            for word in EDIT_WORDS:
                assert word not in html, (url, word)


def test_logged_in_readers_see_the_same_pages_when_the_dashboard_is_not_public(
    client, huurder, settings
):
    settings.PUBLIC_DASHBOARD = False
    login(client, huurder)

    for url in read_pages():
        assert client.get(url).status_code == 200, url


def test_public_visitors_see_the_figures_a_logged_in_reader_sees(client, huurder, settings):
    settings.PUBLIC_DASHBOARD = True
    public = page_text(client.get(reverse("overview:dashboard")))
    login(client, huurder)
    logged_in = page_text(client.get(reverse("overview:dashboard")))

    for sentence in (
        "1.581 Te verbeteren energielabels",
        "Onvolledig: 4 van 5 corporaties bekend",
        "Van de 67 afspraken",
    ):
        assert sentence in public
        assert sentence in logged_in


def test_public_visitors_may_switch_the_jaarschijf(client, jaarschijf, settings):
    settings.PUBLIC_DASHBOARD = True

    response = client.post(
        reverse("overview:jaarschijf-switch"), {"jaar": "2024", "next": "/afspraken/"}
    )

    assert response["Location"] == "/afspraken/"
    assert client.session[SESSION_KEY] == 2024


def test_the_year_switch_needs_a_login_when_the_dashboard_is_not_public(
    client, jaarschijf, settings
):
    settings.PUBLIC_DASHBOARD = False

    response = client.post(reverse("overview:jaarschijf-switch"), {"jaar": "2024"})

    assert response["Location"].startswith(reverse("accounts:login"))
    assert SESSION_KEY not in client.session


@pytest.mark.parametrize("public", [False, True])
def test_the_ping_page_always_needs_a_login(client, jaarschijf, settings, public):
    settings.PUBLIC_DASHBOARD = public

    assert client.get(reverse("overview:ping")).status_code == 302


def test_the_ping_page_answers_a_logged_in_user(client, huurder):
    login(client, huurder)

    response = client.get(reverse("overview:ping"))

    assert response.status_code == 200
    assert response.content == b"ok"
