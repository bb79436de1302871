"""Invisible control characters are refused at the field, in every free-text form, in Dutch."""

import pytest
from django.urls import reverse

from agreements.models import Evaluation, IndicatorValue, ProgressUpdate
from projects.models import Project

from .factories import action, login
from .helpers_tracking import (
    RENT_INCREASE,
    evaluation_data,
    indicator_value,
    progress_data,
    project_data,
    realisation_data,
)

pytestmark = pytest.mark.django_db

MESSAGE = "onzichtbaar stuurteken"
PASTED = "Overleg loopt\x1b[1m met \x0bde huurders\x07."


def test_a_progress_note_with_control_characters_is_refused(client, weller_medewerker):
    login(client, weller_medewerker)
    before = ProgressUpdate.objects.count()
    response = client.post(
        reverse("agreements:action-update", args=[2024, "1.7"]),
        progress_data(action("1.7"), explanation=PASTED),
    )
    assert response.status_code == 200
    assert MESSAGE in response.content.decode()
    assert ProgressUpdate.objects.count() == before


def test_an_evaluation_with_control_characters_is_refused(client, kernteamlid):
    login(client, kernteamlid)
    before = Evaluation.objects.count()
    response = client.post(
        reverse("agreements:action-evaluate", args=[2024, "1.7"]),
        evaluation_data(action("1.7"), explanation=PASTED),
    )
    assert MESSAGE in response.content.decode()
    assert Evaluation.objects.count() == before


def test_a_project_note_with_control_characters_is_refused(client, weller_medewerker):
    login(client, weller_medewerker)
    project = Project.objects.filter(jaarschijf__year=2024, corporation__name="Weller").first()
    response = client.post(
        reverse("projects:project-update", args=[project.pk]),
        project_data(project, explanation=PASTED),
    )
    assert MESSAGE in response.content.decode()
    project.refresh_from_db()
    assert project.explanation == ""


def test_an_indicator_note_with_control_characters_is_refused(client, kernteamlid):
    login(client, kernteamlid)
    value = indicator_value(RENT_INCREASE, "Weller")
    response = client.post(
        reverse("agreements:indicator-realisation", args=[value.pk]),
        realisation_data(value, realised="1", realised_note=PASTED),
    )
    assert MESSAGE in response.content.decode()
    assert IndicatorValue.objects.get(pk=value.pk).realised_note == value.realised_note


def test_tabs_and_line_breaks_stay_allowed(client, weller_medewerker):
    login(client, weller_medewerker)
    response = client.post(
        reverse("agreements:action-update", args=[2024, "1.7"]),
        progress_data(action("1.7"), explanation="Regel 1\r\nRegel 2\tmet tab"),
    )
    assert response.status_code == 302
