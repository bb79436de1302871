"""A large import: the checked workbook waits as its owner's stored, expiring draft, the preview
pages through it, and validation and apply cost a fixed number of queries, whatever the rows."""

import html
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.bulk import constraint_violations, record_history, update_rows
from evaluation import views
from evaluation.drafts import apply_draft
from evaluation.importer import read_workbook
from evaluation.models import ImportDraft, ImportDraftRow
from evaluation.services import apply_change_set
from projects.models import Project, ProjectStatus
from sustainability.models import EnergyLabelFigure

from .factories import YEAR, login, make_user
from .helpers_evaluation import confirm, edit, export_bytes, template_bytes, upload

pytestmark = pytest.mark.django_db

PREVIEW = reverse("evaluation:evaluation-import-preview", args=[YEAR])


def page(response) -> str:
    return html.unescape(response.content.decode())


def add_projects(jaarschijf, count: int) -> None:
    """``count`` more projects in the jaarschijf, modelled on its existing rows."""
    existing = list(Project.objects.filter(jaarschijf=jaarschijf).order_by("category", "position"))
    last = {}
    for project in existing:
        last[project.category] = max(last.get(project.category, 0), project.position)
    extra = []
    for index in range(count):
        model = existing[index % len(existing)]
        last[model.category] += 1
        extra.append(
            Project(
                jaarschijf=jaarschijf,
                category=model.category,
                position=last[model.category],
                name=f"Extra project {index + 1}",
                corporation_id=model.corporation_id,
                dwellings=model.dwellings,
            )
        )
    Project.objects.bulk_create(extra)


def every_project_changed(jaarschijf, note: str) -> bytes:
    """The template with every project's Gerealiseerd, Status and Toelichting changed."""

    def changes(wb):
        ws = wb["Projecten"]
        header = [cell.value for cell in ws[1]]
        status, realised, explanation = (
            header.index(name) + 1 for name in ("Status", "Gerealiseerd", "Toelichting")
        )
        for row in range(2, ws.max_row + 1):
            ws.cell(row, status).value = "In uitvoering"
            ws.cell(row, realised).value = row % 30 + 1
            ws.cell(row, explanation).value = f"{note} {row}"

    return edit(template_bytes(jaarschijf), changes)


def changed_tracking_fields():
    return list(
        Project.objects.order_by("pk").values_list("status", "realised_dwellings", "explanation")
    )


# --- The stored draft ------------------------------------------------------------------


def test_an_upload_is_stored_as_a_draft_of_its_owner_and_not_in_the_session(
    client, kernteamlid, jaarschijf
):
    login(client, kernteamlid)
    response = upload(client, every_project_changed(jaarschijf, "Opgeleverd"), name="groot.xlsx")
    assert response.status_code == 302

    draft = ImportDraft.objects.get()
    assert (draft.owner, draft.jaarschijf, draft.filename) == (
        kernteamlid,
        jaarschijf,
        "groot.xlsx",
    )
    assert draft.row_count == Project.objects.filter(jaarschijf=jaarschijf).count()
    assert draft.expires > timezone.now() > draft.created
    assert draft.rows.count() == draft.row_count
    # The session keeps the login, not the change set.
    assert "Opgeleverd" not in str(dict(client.session.items()))


def test_a_new_upload_replaces_the_owners_earlier_draft(client, kernteamlid, jaarschijf):
    login(client, kernteamlid)
    upload(client, every_project_changed(jaarschijf, "Eerste"))
    upload(client, every_project_changed(jaarschijf, "Tweede"))

    assert ImportDraft.objects.count() == 1
    assert "Tweede" in page(client.get(PREVIEW))


def test_an_expired_draft_is_refused_in_dutch_removed_and_changes_nothing(
    client, kernteamlid, jaarschijf
):
    before = changed_tracking_fields()
    login(client, kernteamlid)
    upload(client, every_project_changed(jaarschijf, "Te laat"))
    token = str(ImportDraft.objects.get().token)
    ImportDraft.objects.update(
        created=timezone.now() - timedelta(hours=3), expires=timezone.now() - timedelta(hours=2)
    )

    response = client.post(PREVIEW, {"token": token, "apply": "1"}, follow=True)

    assert "Dit voorbeeld is verlopen" in page(response)
    assert "Er is niets opgeslagen. Upload de werkmap opnieuw." in page(response)
    assert not ImportDraft.objects.exists() and not ImportDraftRow.objects.exists()
    assert changed_tracking_fields() == before


def test_the_cleanup_command_removes_expired_drafts_only(
    client, kernteamlid, beheerder, jaarschijf
):
    data = every_project_changed(jaarschijf, "Opruimen")
    for user in (kernteamlid, beheerder):
        login(client, user)
        upload(client, data)
    ImportDraft.objects.filter(owner=kernteamlid).update(
        created=timezone.now() - timedelta(hours=2), expires=timezone.now() - timedelta(hours=1)
    )

    call_command("clear_import_drafts", verbosity=0)

    assert list(ImportDraft.objects.values_list("owner", flat=True)) == [beheerder.pk]
    assert ImportDraftRow.objects.filter(draft__owner=kernteamlid).count() == 0


def test_only_the_owner_can_apply_a_draft(client, kernteamlid, jaarschijf):
    before = changed_tracking_fields()
    login(client, kernteamlid)
    upload(client, every_project_changed(jaarschijf, "Van de eigenaar"))
    draft = ImportDraft.objects.get()
    colleague = make_user("kernteamlid", "Gemeente Heerlen", username="collega")

    # Through the web the colleague has no draft of their own, even with the owner's token.
    login(client, colleague)
    response = client.post(PREVIEW, {"token": str(draft.token), "apply": "1"}, follow=True)
    assert "Er staat geen werkmap klaar" in page(response)
    # And the service refuses anyone but the owner.
    with pytest.raises(PermissionDenied):
        apply_draft(draft=draft, user=colleague)

    assert changed_tracking_fields() == before
    assert ImportDraft.objects.filter(pk=draft.pk).exists()


def test_applying_removes_the_draft_and_records_every_row_in_the_history(
    client, kernteamlid, jaarschijf
):
    projects = Project.objects.filter(jaarschijf=jaarschijf)
    versions = dict(projects.values_list("pk", "version"))
    history_before = Project.history.count()
    login(client, kernteamlid)
    upload(client, every_project_changed(jaarschijf, "Gemeld"), name="rapportage.xlsx")

    response = confirm(client)

    assert response.status_code == 302
    assert not ImportDraft.objects.exists()
    assert Project.history.count() == history_before + len(versions)
    for project in projects:
        assert project.status == ProjectStatus.IN_UITVOERING
        assert project.explanation.startswith("Gemeld ")
        assert project.version == versions[project.pk] + 1
        assert project.updated_by == kernteamlid
        record = project.history.first()
        assert record.history_user == kernteamlid
        assert record.history_change_reason == "Import werkmap rapportage.xlsx"
        assert record.version == project.version


@pytest.mark.parametrize("model", [Project, EnergyLabelFigure])
def test_the_history_of_an_import_holds_the_records_simple_history_itself_writes(
    model, kernteamlid, jaarschijf
):
    rows = list(model.objects.filter(jaarschijf=jaarschijf).order_by("pk")[:4])
    for row in rows:
        row.version += 1
    update_rows(model, rows, ["version"])
    when = timezone.now()

    written = record_history(model, rows, user=kernteamlid, reason="Import werkmap x", date=when)
    ours = list(model.history.filter(history_date=when).order_by("id"))
    model.history.filter(history_date=when).delete()
    model.history.bulk_history_create(
        rows,
        update=True,
        default_user=kernteamlid,
        default_change_reason="Import werkmap x",
        default_date=when,
    )
    theirs = list(model.history.filter(history_date=when).order_by("id"))

    assert written == len(rows) == len(ours) == len(theirs)
    names = [field.attname for field in model.history.model.tracked_fields]
    names += ["history_date", "history_user_id", "history_change_reason", "history_type"]
    assert [[getattr(r, n) for n in names] for r in ours] == [
        [getattr(r, n) for n in names] for r in theirs
    ]
    assert {r.history_type for r in ours} == {"~"}


def test_a_conflict_at_apply_writes_nothing_and_keeps_the_draft(client, kernteamlid, jaarschijf):
    login(client, kernteamlid)
    upload(client, every_project_changed(jaarschijf, "Botsing"))
    other = Project.objects.filter(jaarschijf=jaarschijf).order_by("pk").last()
    Project.objects.filter(pk=other.pk).update(explanation="Intussen", version=other.version + 1)
    before = changed_tracking_fields()
    history_before = Project.history.count()

    response = confirm(client)

    assert response.status_code == 200
    assert "is gewijzigd nadat u de werkmap uploadde" in page(response)
    assert changed_tracking_fields() == before
    assert Project.history.count() == history_before
    assert ImportDraft.objects.exists()


# --- The preview, page by page ---------------------------------------------------------


def test_the_preview_of_a_large_import_is_paginated(client, kernteamlid, jaarschijf, monkeypatch):
    monkeypatch.setattr(views, "PREVIEW_ROWS_PER_PAGE", 10)
    login(client, kernteamlid)
    upload(client, every_project_changed(jaarschijf, "Pagina"))
    total = ImportDraft.objects.get().row_count
    assert total > 20

    first = page(client.get(PREVIEW))
    second = page(client.get(PREVIEW, {"pagina": 2}))

    assert f"in {total} rijen; rijen 1–10" in first
    assert 'aria-label="Paginering wijzigingen"' in first and "Volgende" in first
    assert "rijen 11–20" in second
    # Each page shows its own rows, and the button still applies all of them.
    assert first.count("<tr>") == second.count("<tr>")
    assert f"Alle {total} gewijzigde rijen doorvoeren" in second


def test_the_preview_page_costs_the_same_queries_for_more_rows(
    client, kernteamlid, jaarschijf, django_assert_max_num_queries
):
    counts = []
    login(client, kernteamlid)
    for extra in (0, 300):
        add_projects(jaarschijf, extra)
        upload(client, every_project_changed(jaarschijf, f"Meer {extra}"))
        with CaptureQueriesContext(connection) as queries:
            assert client.get(PREVIEW).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


# --- Set-based: queries independent of the rows -----------------------------------------


def test_validation_and_apply_cost_the_same_queries_at_ten_times_the_rows(kernteamlid, jaarschijf):
    base = Project.objects.filter(jaarschijf=jaarschijf).count()
    counts = {}
    for scale in (1, 10):
        add_projects(
            jaarschijf, base * scale - Project.objects.filter(jaarschijf=jaarschijf).count()
        )
        data = every_project_changed(jaarschijf, f"Schaal {scale}")
        with CaptureQueriesContext(connection) as read:
            change_set = read_workbook(data, jaarschijf=jaarschijf, user=kernteamlid)
        with CaptureQueriesContext(connection) as applied:
            changed = apply_change_set(
                jaarschijf=jaarschijf, change_set=change_set, user=kernteamlid
            )
        assert changed == base * scale
        counts[scale] = (len(read), len(applied))

    # The history records too are one statement, however many rows.
    assert counts[10] == counts[1]


def messages_of_the_model(instances) -> dict[int, list[str]]:
    """What Django's own validate_constraints() says per instance that breaks a constraint."""
    expected = {}
    for instance in instances:
        try:
            instance.validate_constraints()
        except Exception as exc:  # noqa: BLE001 - the messages are what is compared
            expected[instance.pk] = exc.messages
    return expected


def test_the_set_based_constraint_check_gives_the_models_own_messages(jaarschijf):
    projects = list(Project.objects.filter(jaarschijf=jaarschijf).order_by("pk")[:3])
    projects[0].realised_dwellings = 100_000
    projects[1].status = "onbekend"
    projects[2].realised_dwellings = 12

    found = constraint_violations(
        Project, projects, ["status", "realised_dwellings", "explanation"]
    )

    assert found == messages_of_the_model(projects)
    assert set(found) == {projects[0].pk, projects[1].pk}
    assert found[projects[0].pk] == [
        "Dat zijn meer woningen dan een project kan hebben; controleer het aantal."
    ]


def test_the_constraint_check_names_every_refused_row_of_many_and_writes_nothing(jaarschijf):
    add_projects(jaarschijf, 120)
    projects = list(Project.objects.filter(jaarschijf=jaarschijf).order_by("pk"))
    before = {p.pk: (p.status, p.realised_dwellings, p.explanation) for p in projects}
    refused = {3, 64, 65, len(projects) - 1}
    for index, project in enumerate(projects):
        project.explanation = f"Nieuw {index}"
        project.realised_dwellings = 100_000 if index in refused else index
    projects[65].status = "onbekend"

    found = constraint_violations(
        Project, projects, ["status", "realised_dwellings", "explanation"]
    )

    assert found == messages_of_the_model(projects)
    assert set(found) == {projects[index].pk for index in refused}
    assert len(found[projects[65].pk]) == 2
    after = {
        p.pk: (p.status, p.realised_dwellings, p.explanation)
        for p in Project.objects.filter(jaarschijf=jaarschijf)
    }
    assert after == before


def test_a_rule_broken_by_one_row_of_a_large_import_writes_nothing(client, kernteamlid, jaarschijf):
    add_projects(jaarschijf, 200)
    before = changed_tracking_fields()
    login(client, kernteamlid)

    def one_bad_row(wb):
        ws = wb["Projecten"]
        header = [cell.value for cell in ws[1]]
        ws.cell(150, header.index("Gerealiseerd") + 1).value = 100_000
        for row in range(2, ws.max_row + 1):
            ws.cell(row, header.index("Toelichting") + 1).value = f"Bijna {row}"

    response = upload(client, edit(export_bytes(jaarschijf), one_bad_row))

    assert response.status_code == 200
    text = page(response)
    problems = response.context["problems"]
    assert [(p.sheet, p.row, p.column, p.column_letter) for p in problems] == [
        ("Projecten", 150, "Gerealiseerd", "K")
    ]
    assert "Dat zijn meer woningen dan een project kan hebben" in problems[0].message
    assert problems[0].message in text
    assert changed_tracking_fields() == before
    assert not ImportDraft.objects.exists()
