"""Every page speaks Dutch formats: 1.581 · 28-02-2024 · 85 %, and a year is never 2.024."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from agreements.models import Party
from core.formats import nl_list, period_label
from projects.models import Project

from .factories import action, login, make_progress_update

pytestmark = pytest.mark.django_db


def page_urls():
    paadweg = Project.objects.get(name="Paadweg")
    weller = Party.objects.get(name="Weller")
    return [
        reverse("overview:dashboard"),
        reverse("overview:action-list"),
        reverse("agreements:action-detail", args=[2024, "4.5"]),
        reverse("overview:project-list"),
        reverse("projects:project-detail", args=[paadweg.pk]),
        reverse("overview:sustainability"),
        reverse("overview:party-list"),
        reverse("overview:party-detail", args=[weller.slug]),
        reverse("evaluation:compare-years"),
        reverse("evaluation:jaarschijf-manage", args=[2024]),
    ]


def test_no_page_prints_a_year_with_a_thousands_separator(client, kernteamlid):
    make_progress_update(action("4.5"), kernteamlid, percent_done=85)
    login(client, kernteamlid)
    for url in page_urls():
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert not re.search(r"\b20\.\d{3}\b", html), f"{url} prints a year as 2.0xx"
        assert 'lang="nl"' in html


def test_dashboard_shows_numbers_and_dates_in_dutch(client, kernteamlid):
    login(client, kernteamlid)
    html = client.get(reverse("overview:dashboard")).content.decode()
    assert "1.581" in html
    assert "28-02-2024" in html
    assert "6.371" in html  # BAT stock in all


def test_progress_percentages_and_dates_are_dutch_on_the_action_page(client, kernteamlid):
    update = make_progress_update(action("4.5"), kernteamlid, percent_done=85)
    login(client, kernteamlid)
    html = client.get(reverse("agreements:action-detail", args=[2024, "4.5"])).content.decode()
    assert "85 %" in html or "85&nbsp;%" in html
    local = timezone.localtime(update.created_at)  # Europe/Amsterdam, as the page shows it
    assert local.strftime("%d-%m-%Y") in html


@pytest.mark.parametrize(
    ("parts", "sentence"),
    [
        ([], ""),
        (["3 vertraagd"], "3 vertraagd"),
        ([2024, 2025], "2024 en 2025"),
        (["Woningen", "Status", "Oplevering"], "Woningen, Status en Oplevering"),
    ],
)
def test_a_list_in_a_sentence_is_joined_with_commas_and_en(parts, sentence):
    assert nl_list(parts) == sentence


@pytest.mark.parametrize(
    ("code", "words"),
    [
        ("2024-H1", "1e halfjaar 2024"),
        ("2024-H2", "2e halfjaar 2024"),
        ("2025-Q3", "3e kwartaal 2025"),
        ("2023", "2023"),
        ("2024-H3", "2024-H3"),  # no such half year: the key as it is
        ("voorjaar 2024", "voorjaar 2024"),
    ],
)
def test_a_period_key_reads_as_words(code, words):
    assert period_label(code) == words
