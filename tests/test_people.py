"""People, not roles: updates, evaluations and history name a person and the party's name."""

import re

from django.urls import reverse

from accounts.models import UserRole

from .factories import action, login, make_user
from .helpers_tracking import post_evaluation, post_progress


def text_of(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_an_update_and_an_evaluation_are_signed_with_full_name_and_party_name(client, jaarschijf):
    writer = make_user(
        UserRole.KERNTEAMLID, "Gemeente Heerlen", "jjansen", first_name="Jan", last_name="Jansen"
    )
    login(client, writer)
    post_progress(client, action("1.8"), status="op_schema", percent_done="30")
    post_evaluation(client, action("1.8"))

    shown = text_of(client.get(action("1.8").get_absolute_url()))

    assert shown.count("Jan Jansen (Gemeente Heerlen)") >= 3  # latest, timeline, evaluation
    assert "(Gemeente)" not in shown


def test_without_a_name_the_username_is_shown(client, jaarschijf):
    writer = make_user(UserRole.MEDEWERKER, "Weller", "tcoenen", first_name="", last_name="")
    login(client, writer)
    post_progress(client, action("1.8"), status="op_schema", percent_done="30")
    assert "tcoenen (Weller)" in text_of(client.get(action("1.8").get_absolute_url()))


def test_the_municipality_has_one_name_as_trekker_everywhere(client, huurder):
    login(client, huurder)
    listed = text_of(client.get(reverse("overview:action-list"), {"q": "4.5"}))
    detail = text_of(client.get(action("4.5").get_absolute_url()))
    assert "Gemeente Heerlen" in listed and "Gemeente Heerlen" in detail
    assert not re.search(r"Gemeente(?! Heerlen)", listed.split("Afspraken 2024", 1)[1])


def test_a_single_corporations_page_speaks_in_the_singular(client, huurder):
    login(client, huurder)
    shown = text_of(client.get(reverse("overview:party-detail", args=["weller"])))
    assert "De corporaties hebben samen" not in shown
    assert re.search(r"Weller heeft [\d.]+ woningen met een BAT-klasse", shown)


def test_readers_see_no_column_they_cannot_use(client, huurder):
    login(client, huurder)
    for url in (
        reverse("overview:dashboard"),
        reverse("overview:action-list"),
        reverse("overview:project-list"),
        reverse("overview:party-detail", args=["weller"]),
        action("4.5").get_absolute_url(),
    ):
        html = client.get(url).content.decode()
        assert ">Bijwerken<" not in html and ">Acties<" not in html, url
