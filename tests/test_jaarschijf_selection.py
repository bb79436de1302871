"""Which jaarschijf a page shows: the switcher's choice, a ?jaar= link, or the newest."""

import pytest
from django.urls import reverse

from agreements.models import Jaarschijf
from overview.jaarschijf import SESSION_KEY, parse_year

from .conftest import login

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
