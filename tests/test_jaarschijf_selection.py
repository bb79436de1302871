"""Which jaarschijf a page shows: the switcher's choice, a ?jaar= link, or the newest."""

import pytest
from django.urls import reverse

from agreements.models import Jaarschijf
from overview.jaarschijf import SESSION_KEY, parse_year

from .factories import login
from .helpers_dashboard import switcher_years

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("raw", "year"),
    [
        ("2024", 2024),
        (" 2025 ", 2025),
        ("99999999999999999999", None),
        ("²०२४", None),
        ("20 24", None),
        ("", None),
        (None, None),
        ("-2024", None),
    ],
)
def test_only_plausible_years_are_read_from_user_input(raw, year):
    assert parse_year(raw) == year


def test_a_jaar_parameter_that_overflows_the_database_falls_back_to_the_newest(client, kernteamlid):
    login(client, kernteamlid)
    response = client.get(reverse("overview:dashboard"), {"jaar": "9" * 30})
    assert response.status_code == 200
    assert response.context["jaarschijf"].year == 2024


def test_a_concept_jaarschijf_is_not_shown_by_default_but_can_be_chosen(
    client, kernteamlid, jaarschijf
):
    Jaarschijf.objects.create(
        year=2025, title="Concept", municipality=jaarschijf.municipality, status="concept"
    )
    login(client, kernteamlid)
    assert client.get(reverse("overview:dashboard")).context["jaarschijf"].year == 2024
    session = client.session
    session[SESSION_KEY] = 2025
    session.save()
    assert client.get(reverse("overview:dashboard")).context["jaarschijf"].year == 2025


def test_the_year_switcher_lists_the_newest_jaarschijven_and_links_to_all_of_them(
    client, kernteamlid
):
    from django.core.management import call_command

    from overview.jaarschijf import RECENT_IN_SWITCHER

    call_command("generate_data", scale=12, verbosity=0)  # 2089–2100 next to 2024
    login(client, kernteamlid)

    response = client.get(reverse("overview:dashboard"))
    html = response.content.decode()
    listed = switcher_years(response)
    # The newest eight, and 2024: the newest that is not a concept, shown by default.
    assert listed == [str(y) for y in range(2100, 2100 - RECENT_IN_SWITCHER, -1)] + ["2024"]
    assert 'href="/jaarschijven/">Alle jaarschijven</a>' in html

    # An older year is still chosen by link or by the switcher, and then listed while shown.
    html = client.get(reverse("overview:dashboard"), {"jaar": "2090"}).content.decode()
    assert '<option value="2090" selected>2090</option>' in html
    response = client.post(reverse("overview:jaarschijf-switch"), {"jaar": "2089", "next": "/"})
    assert response.status_code == 302
    assert client.session["jaarschijf"] == 2089


def test_the_page_of_all_jaarschijven_pages_through_them_newest_first(client, kernteamlid):
    from django.core.management import call_command

    call_command("generate_data", scale=30, verbosity=0)
    login(client, kernteamlid)

    first = client.get(reverse("overview:jaarschijf-list"))
    text = first.content.decode()
    assert "31 jaarschijven, de nieuwste eerst." in text
    assert '<a class="utrecht-link utrecht-link--html-a" href="/?jaar=2100">2100</a>' in text
    assert "Pagina 1 van 2" in text
    second = client.get(reverse("overview:jaarschijf-list"), {"pagina": 2}).content.decode()
    assert 'href="/?jaar=2024">2024</a>' in second
    assert 'href="/?jaar=2100"' not in second


def test_a_visitor_sees_no_concept_in_the_list_of_all_jaarschijven(client, jaarschijf, settings):
    from django.core.management import call_command

    settings.PUBLIC_DASHBOARD = True
    call_command("generate_data", scale=2, verbosity=0)

    text = client.get(reverse("overview:jaarschijf-list")).content.decode()

    assert "1 jaarschijf, de nieuwste eerst." in text
    assert 'href="/?jaar=2100"' not in text
