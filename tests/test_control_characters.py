"""Invisible control characters are refused at the field, in Dutch: in every free-text form,
and by the model itself for the admin, the workbook import, commands and the API."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from agreements.models import Evaluation, IndicatorValue, Party, ProgressUpdate
from evaluation.importer import WorkbookError, read_workbook
from projects.models import Project

from .factories import action, login
from .helpers_evaluation import column_of, edit, find_row, set_text, template_bytes
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


# --- The same rule in the model: admin, workbook import, commands and the API -----------------


def test_a_model_refuses_control_characters_at_the_field_whatever_saves_it(weller_medewerker):
    update = ProgressUpdate(
        action=action("1.7"),
        author=weller_medewerker,
        party=weller_medewerker.party,
        status="op_schema",
        percent_done=10,
        explanation=PASTED,
    )
    with pytest.raises(ValidationError) as error:
        update.full_clean()
    assert list(error.value.message_dict) == ["explanation"]
    assert MESSAGE in error.value.message_dict["explanation"][0]


def test_the_admin_refuses_control_characters_at_the_field(client, beheerder):
    login(client, beheerder)
    party = Party.objects.get(name="Weller")
    url = reverse("admin:agreements_party_change", args=[party.pk])
    data = {
        "name": party.name,
        "short_name": party.short_name,
        "slug": party.slug,
        "kind": party.kind,
        "sort_order": party.sort_order,
        "note": "Fusie\x1b[1m besproken",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert list(errors) == ["note"], errors
    assert MESSAGE in errors["note"][0]
    assert Party.objects.get(pk=party.pk).note == party.note


def test_the_workbook_import_refuses_control_characters_in_the_row_and_column(
    jaarschijf, weller_medewerker
):
    """DEL is the control character an .xlsx can carry (XML forbids the C0 ones; Excel writes
    those as the text "_x001B_"), and openpyxl writes it as it is."""
    target = Project.objects.filter(jaarschijf=jaarschijf, corporation__name="Weller").first()

    def changes(wb):
        ws = wb["Projecten"]
        set_text(
            ws.cell(find_row(ws, Project=target.name), column_of(ws, "Toelichting")),
            "Eerste woningen\x7f opgeleverd.",
        )

    with pytest.raises(WorkbookError) as error:
        read_workbook(
            edit(template_bytes(jaarschijf, weller_medewerker.party), changes),
            jaarschijf=jaarschijf,
            user=weller_medewerker,
        )
    [problem] = error.value.problems
    assert (problem.sheet, problem.column) == ("Projecten", "Toelichting")
    assert MESSAGE in problem.message
    assert Project.objects.get(pk=target.pk).explanation == target.explanation
