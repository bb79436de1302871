"""A double click posts the same form twice: stored once, and the user is told it was saved."""

import pytest
from django.urls import reverse

from projects.models import Project

from .factories import action, login
from .helpers_dashboard import page_text
from .helpers_tracking import evaluation_data, progress_data, project_data

pytestmark = pytest.mark.django_db


def twice(client, url, data):
    first = client.post(url, data)
    second = client.post(url, data, follow=True)
    return first, second


def test_a_double_clicked_progress_update_is_stored_once_and_reported_saved(
    client, weller_medewerker
):
    login(client, weller_medewerker)
    target = action("1.7")
    before = target.updates.count()
    data = progress_data(target, explanation="Bouwteam gestart.")

    first, second = twice(client, reverse("agreements:action-update", args=[2024, "1.7"]), data)

    assert first.status_code == 302
    text = page_text(second)
    assert "Niet opgeslagen" not in text
    assert "De voortgang van afspraak 1.7 is opgeslagen." in text
    assert target.updates.count() == before + 1


def test_a_double_clicked_evaluation_is_stored_once_and_reported_saved(client, kernteamlid):
    login(client, kernteamlid)
    target = action("1.7")
    before = target.evaluations.count()

    _, second = twice(
        client, reverse("agreements:action-evaluate", args=[2024, "1.7"]), evaluation_data(target)
    )

    text = page_text(second)
    assert "Niet opgeslagen" not in text
    assert "De evaluatie van afspraak 1.7 is opgeslagen." in text
    assert target.evaluations.count() == before + 1


def test_a_double_clicked_project_update_is_reported_saved(client, weller_medewerker):
    login(client, weller_medewerker)
    project = Project.objects.filter(jaarschijf__year=2024, corporation__name="Weller").first()
    data = project_data(project, explanation="Vergunning aangevraagd.")

    _, second = twice(client, reverse("projects:project-update", args=[project.pk]), data)

    text = page_text(second)
    assert "Niet opgeslagen" not in text
    assert "is bijgewerkt" in text
    project.refresh_from_db()
    assert project.explanation == "Vergunning aangevraagd."
    assert project.version == data["version"] + 1


def test_someone_elses_different_change_is_still_a_conflict(client, weller_medewerker, kernteamlid):
    target = action("1.7")
    stale = progress_data(target, explanation="Mijn versie.")
    login(client, kernteamlid)
    client.post(
        reverse("agreements:action-update", args=[2024, "1.7"]),
        progress_data(target, explanation="Ander."),
    )
    login(client, weller_medewerker)
    response = client.post(reverse("agreements:action-update", args=[2024, "1.7"]), stale)
    assert "Niet opgeslagen" in page_text(response)
