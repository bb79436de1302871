"""The project rules live once, in the model: "een kwartaal vraagt een jaar" and "vervallen
vraagt een toelichting". The form, the workbook import, the admin, the service (commands, the
API) and the database give the same Dutch answer, and a refused write changes nothing."""

import importlib

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.forms.models import model_to_dict
from django.urls import reverse

from evaluation.importer import WorkbookError, read_workbook
from projects.forms import ProjectUpdateForm
from projects.models import Project
from projects.services import update_project

from .factories import login
from .helpers_evaluation import column_of, edit, export_bytes, find_row, project, set_text
from .helpers_tracking import post_project, project_data

pytestmark = pytest.mark.django_db

QUARTER = "Vul ook het jaar in bij het kwartaal van de oplevering."
LAPSE = "Licht toe waarom het project vervalt."


def stored(name: str) -> tuple:
    row = project(name)
    return (
        row.status,
        row.expected_year,
        row.expected_quarter,
        row.explanation,
        row.version,
        row.history.count(),
    )


def test_a_quarter_without_a_year_and_a_lapse_without_reason_fail_full_clean_at_their_fields(
    jaarschijf,
):
    slakhorst = project("Slakhorst")
    slakhorst.expected_quarter = 3
    slakhorst.status = Project.Status.VERVALLEN
    slakhorst.explanation = "   "

    with pytest.raises(ValidationError) as error:
        slakhorst.full_clean()

    assert error.value.message_dict == {"expected_year": [QUARTER], "explanation": [LAPSE]}


def test_a_quarter_with_its_year_and_a_lapse_with_its_reason_pass_full_clean(jaarschijf):
    slakhorst = project("Slakhorst")
    slakhorst.expected_year, slakhorst.expected_quarter = 2025, 3
    slakhorst.status = Project.Status.VERVALLEN
    slakhorst.explanation = "De gemeente trekt de locatie terug."

    slakhorst.full_clean()


@pytest.mark.parametrize(
    ("changes", "constraint"),
    [
        ({"expected_quarter": 2, "expected_year": None}, "project_quarter_needs_year"),
        ({"status": "vervallen", "explanation": ""}, "project_vervallen_needs_explanation"),
        ({"status": "vervallen", "explanation": " \n\t"}, "project_vervallen_needs_explanation"),
    ],
)
def test_the_database_refuses_a_project_that_breaks_a_rule(jaarschijf, changes, constraint):
    before = stored("Slakhorst")

    with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
        Project.objects.filter(pk=project("Slakhorst").pk).update(**changes)

    assert stored("Slakhorst") == before


def test_the_project_form_refuses_both_rules_with_the_models_messages_and_saves_nothing(
    client, kernteamlid
):
    login(client, kernteamlid)
    before = stored("Slakhorst")

    response = post_project(
        client,
        project("Slakhorst"),
        status="vervallen",
        expected_year="",
        expected_quarter="3",
        explanation="  ",
    )

    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors == {"expected_year": [QUARTER], "explanation": [LAPSE]}
    assert stored("Slakhorst") == before


def test_the_project_form_holds_no_copy_of_the_rules():
    # The rules are the model's: the form has no clean() of its own that could drift.
    assert "clean" not in vars(ProjectUpdateForm)


def test_the_service_that_commands_and_the_api_use_refuses_both_rules(jaarschijf, kernteamlid):
    slakhorst = project("Slakhorst")
    before = stored("Slakhorst")

    with pytest.raises(ValidationError) as error:
        update_project(
            project=slakhorst,
            user=kernteamlid,
            version=slakhorst.version,
            status=Project.Status.VERVALLEN,
            realised_dwellings=None,
            expected_year=None,
            expected_quarter=4,
            explanation="",
        )

    assert error.value.message_dict == {"expected_year": [QUARTER], "explanation": [LAPSE]}
    assert stored("Slakhorst") == before


def test_the_admin_refuses_both_rules_at_the_fields_and_saves_nothing(client, beheerder):
    login(client, beheerder)
    slakhorst = project("Slakhorst")
    before = stored("Slakhorst")
    data = {
        key: "" if value is None else value
        for key, value in model_to_dict(slakhorst).items()
        if key not in ("id", "version", "updated_by")
    }
    data |= {
        "status": "vervallen",
        "explanation": "",
        "expected_year": "",
        "expected_quarter": "1",
        "breakdowns-TOTAL_FORMS": "0",
        "breakdowns-INITIAL_FORMS": "0",
    }

    response = client.post(reverse("admin:projects_project_change", args=[slakhorst.pk]), data)

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors == {"expected_year": [QUARTER], "explanation": [LAPSE]}
    assert stored("Slakhorst") == before


def test_an_import_that_lapses_a_project_without_reason_is_refused_at_the_toelichting_column(
    jaarschijf, kernteamlid
):
    before = stored("Slakhorst")

    def lapse_without_reason(wb):
        ws = wb["Projecten"]
        row = find_row(ws, Project="Slakhorst")
        set_text(ws.cell(row, column_of(ws, "Status")), "Vervallen")
        ws.cell(row, column_of(ws, "Toelichting")).value = None

    with pytest.raises(WorkbookError) as error:
        read_workbook(
            edit(export_bytes(jaarschijf), lapse_without_reason),
            jaarschijf=jaarschijf,
            user=kernteamlid,
        )

    messages = [str(problem) for problem in error.value.problems]
    assert len(messages) == 1, messages
    assert messages[0].startswith("Blad Projecten, rij ")
    assert "kolom Toelichting" in messages[0]
    assert messages[0].endswith(LAPSE)
    assert stored("Slakhorst") == before


def test_rows_stored_before_the_rules_are_repaired_without_inventing_a_reason(jaarschijf):
    migration = importlib.import_module("projects.migrations.0006_repair_rows_before_project_rules")
    # The rows as an older version could store them: without the constraints (the test's
    # transaction restores them).
    with connection.schema_editor() as editor:
        for constraint in Project._meta.constraints:
            if constraint.name in (
                "project_quarter_needs_year",
                "project_vervallen_needs_explanation",
            ):
                editor.remove_constraint(Project, constraint)
    quarter_alone, lapsed, fine = (
        project("Slakhorst"),
        project("MSP"),
        Project.objects.exclude(name__in=["Slakhorst", "MSP"]).first(),
    )
    Project.objects.filter(pk=quarter_alone.pk).update(expected_quarter=3)
    Project.objects.filter(pk=lapsed.pk).update(status="vervallen", explanation=" ")
    Project.objects.filter(pk=fine.pk).update(expected_year=2025, expected_quarter=2)
    # An older database had no history for loaded rows (load_jaarschijf gives it now).
    Project.history.filter(id__in=[quarter_alone.pk, lapsed.pk]).delete()

    # The models as a migration sees them (no history signals, no custom methods), in the
    # shape of today's tables: the repair touches no column a later migration changed.
    loader = MigrationExecutor(connection).loader
    state = loader.project_state(loader.graph.leaf_nodes("projects"))
    migration.repair_rows_that_break_the_rules(state.apps, None)

    quarter_alone.refresh_from_db()
    lapsed.refresh_from_db()
    fine.refresh_from_db()
    # No year is guessed: the quarter goes, the completion is "nog niet bekend".
    assert (quarter_alone.expected_year, quarter_alone.expected_quarter) == (None, None)
    # The lapse stays; the text says that no reason was recorded, it names none.
    assert lapsed.status == "vervallen"
    assert lapsed.explanation == migration.NO_REASON
    assert (fine.expected_year, fine.expected_quarter, fine.version) == (2025, 2, 1)
    for repaired in (quarter_alone, lapsed):
        assert repaired.version == 2
        repaired.full_clean()
        newest = repaired.history.order_by("-history_date", "-history_id")
        assert [r.history_change_reason for r in newest][1] == migration.BASELINE_REASON
    assert newest.first().history_user is None
    old_quarter = quarter_alone.history.order_by("history_date", "history_id").first()
    assert old_quarter.expected_quarter == 3


def test_the_project_form_accepts_a_lapse_with_its_reason_and_a_quarter_with_its_year(
    client, kernteamlid
):
    login(client, kernteamlid)
    slakhorst = project("Slakhorst")

    form = ProjectUpdateForm(
        data=project_data(
            slakhorst,
            status="vervallen",
            expected_year="2026",
            expected_quarter="2",
            explanation="De locatie gaat naar een ander plan.",
        ),
        project=slakhorst,
    )

    assert form.is_valid(), form.errors


@pytest.mark.parametrize("year", [1999, 2055])
def test_an_expected_year_outside_the_jaarschijfs_range_fails_full_clean_as_in_the_form(
    jaarschijf, year
):
    slakhorst = project("Slakhorst")
    slakhorst.expected_year = year

    with pytest.raises(ValidationError) as error:
        slakhorst.full_clean()

    # The same words as the project form (tests/test_bad_input.py): 2024 + 30 years.
    assert error.value.message_dict == {"expected_year": ["Vul een jaar in tussen 2000 en 2054."]}
    slakhorst.expected_year = 2054
    slakhorst.full_clean()
