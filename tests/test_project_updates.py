"""The project page and its update form, as a corporation keeps its projects current."""

import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from projects import services
from projects.models import Project

from .factories import login
from .helpers_tracking import (
    post_project,
    project_at,
)


def text_of(response) -> str:
    html = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def slakhorst() -> Project:
    """Woonpunt's first new-build row: 147 dwellings with a BAT and rent breakdown."""
    return project_at("nieuwbouw", 1)


def test_project_page_shows_every_field_of_the_document(client, huurder):
    login(client, huurder)
    project = slakhorst()

    response = client.get(project.get_absolute_url())

    assert response.status_code == 200
    shown = text_of(response)
    for expected in (
        "Slakhorst",
        "Nieuwbouw",
        "Woonpunt",
        "147",
        "in het document: ‘147 woningen’",
        "EGW, EGW-levensloopbestendig",
        "88 BAT-0 59 BAT-2",
        "53 1e aftop 32 2e aftop 23 geliberaliseerd 29 middenhuur",
        "BAT-klasse: 88 × BAT-0",
        "De aantallen per huurklasse tellen op tot 137",
        "Gepland",
    ):
        assert expected in shown, expected
    assert response.context["form"] is None  # a tenant organisation reads only


def test_possible_duplicate_is_flagged_visibly_with_a_link_to_the_other_row(client, huurder):
    login(client, huurder)
    duplicate, original = project_at("renovatie", 11), project_at("renovatie", 9)

    html = client.get(duplicate.get_absolute_url()).content.decode()
    other_side = client.get(original.get_absolute_url()).content.decode()

    assert "Mogelijk dubbel." in html
    assert f'href="{original.get_absolute_url()}"' in html
    assert f'href="{duplicate.get_absolute_url()}"' in other_side


def test_corporation_updates_status_realised_dwellings_and_expected_completion(
    client, woonpunt_medewerker
):
    login(client, woonpunt_medewerker)
    project = slakhorst()

    response = post_project(
        client,
        project,
        status="in_uitvoering",
        realised_dwellings="40",
        expected_year="2025",
        expected_quarter="3",
        explanation="Eerste fase opgeleverd.",
    )

    assert response.status_code == 302
    project.refresh_from_db()
    assert project.status == "in_uitvoering"
    assert project.realised_dwellings == 40
    assert project.expected_completion == "Q3 2025"
    assert project.explanation == "Eerste fase opgeleverd."
    assert project.updated_by == woonpunt_medewerker
    assert project.version == 2
    shown = text_of(client.get(project.get_absolute_url()))
    assert "Project ‘Slakhorst’ is bijgewerkt." in shown
    assert "Q3 2025" in shown


def test_project_page_shows_its_history_with_who_when_and_old_and_new_value(
    client, woonpunt_medewerker, kernteamlid
):
    project = slakhorst()
    login(client, woonpunt_medewerker)
    post_project(client, project, status="in_voorbereiding")
    project.refresh_from_db()
    login(client, kernteamlid)
    post_project(client, project, status="in_uitvoering", realised_dwellings="10")

    response = client.get(project.get_absolute_url())

    changes = response.context["changes"]
    assert [c.user for c in changes] == [kernteamlid, woonpunt_medewerker, None]
    assert [(f.label, f.old, f.new) for f in changes[0].fields] == [
        ("status", "In voorbereiding", "In uitvoering"),
        ("gerealiseerde woningen", "leeg", "10"),
    ]
    assert [(f.old, f.new) for f in changes[1].fields] == [("Gepland", "In voorbereiding")]
    assert changes[2].is_baseline
    shown = text_of(response)
    assert "Medewerker Woonpunt (Woonpunt)" in shown
    assert "Gepland → In voorbereiding" in shown


def test_more_realised_than_planned_is_saved_but_warned_after_saving_and_on_the_page(
    client, woonpunt_medewerker
):
    login(client, woonpunt_medewerker)
    project = slakhorst()

    response = post_project(client, project, status="gerealiseerd", realised_dwellings="150")

    assert response.status_code == 302
    project.refresh_from_db()
    assert project.realised_dwellings == 150
    warnings = [m.message for m in get_messages(response.wsgi_request) if m.level_tag == "warning"]
    assert warnings == [
        "Let op: er zijn meer woningen gerealiseerd (150) dan gepland (147). "
        "Dat kan kloppen, maar controleer het aantal."
    ]
    assert "meer woningen gerealiseerd (150) dan gepland (147)" in text_of(
        client.get(project.get_absolute_url())
    )


def test_unchanged_form_saves_nothing_and_adds_no_history(client, woonpunt_medewerker):
    login(client, woonpunt_medewerker)
    project = slakhorst()
    loaded = project.history.count()  # the document's state, from load_jaarschijf

    post_project(client, project)

    project.refresh_from_db()
    assert project.version == 1
    assert project.history.count() == loaded == 1
    assert "Er is nog niets gewijzigd sinds het document." in text_of(
        client.get(project.get_absolute_url())
    )


def test_get_on_the_update_address_leads_to_the_form_on_the_project_page(
    client, woonpunt_medewerker
):
    login(client, woonpunt_medewerker)
    project = slakhorst()

    response = client.get(reverse("projects:project-update", args=[project.pk]))

    assert response.status_code == 302
    assert response["Location"] == f"{project.get_absolute_url()}#bijwerken"


def test_update_service_changes_only_the_tracking_fields(woonpunt_medewerker):
    project = slakhorst()

    with pytest.raises(TypeError, match="dwellings"):
        services.update_project(project=project, user=woonpunt_medewerker, version=1, dwellings=500)

    project.refresh_from_db()
    assert project.dwellings == 147


@pytest.mark.parametrize("persona", ["woonpunt", "weller", "kernteam", "beheerder", "huurder"])
def test_project_page_loads_in_a_bounded_number_of_queries(
    client, personas, persona, django_assert_max_num_queries
):
    project = slakhorst()
    for index in range(10):
        services.update_project(
            project=project,
            user=personas["woonpunt"] if index % 2 else personas["kernteam"],
            version=index + 1,
            realised_dwellings=index,
        )
    login(client, personas[persona])

    with django_assert_max_num_queries(12):
        response = client.get(project.get_absolute_url())

    assert response.status_code == 200
    assert len(response.context["changes"]) == 11
    assert len(response.context["breakdowns"]) == 6


def test_visitor_reads_the_project_page_only_when_the_dashboard_is_public(
    client, jaarschijf, settings
):
    url = slakhorst().get_absolute_url()
    settings.PUBLIC_DASHBOARD = False
    assert client.get(url).status_code == 302

    settings.PUBLIC_DASHBOARD = True
    response = client.get(url)

    assert response.status_code == 200
    assert response.context["form"] is None
