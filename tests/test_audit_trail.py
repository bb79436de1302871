"""Every write path leaves a history record with the right user and the old and new values.

The application's forms, the services when called outside a request, and the beheerder's
admin pages all save through the models, so django-simple-history sees every change.
"""

import ast
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from agreements import services as agreement_services
from agreements.models import Evaluation, Indicator, Party, ProgressUpdate
from core.history import changes_of
from projects import services as project_services
from sustainability.models import BatStock

from .factories import action, login, make_progress_update
from .helpers_tracking import (
    RENT_INCREASE,
    indicator_value,
    label_figure,
    post_evaluation,
    post_labels,
    post_progress,
    post_project,
    post_realisation,
    project_at,
)


def latest_change(obj, **kwargs):
    return changes_of(type(obj).history.filter(id=obj.pk).select_related("history_user"), **kwargs)[
        0
    ]


def diff(change):
    return {f.name: (f.old, f.new) for f in change.fields}


# --- the application's own forms ---------------------------------------------------------


def test_progress_update_from_the_action_page_is_recorded_with_its_author(
    client, weller_medewerker
):
    login(client, weller_medewerker)

    post_progress(client, action("1.8"), status="op_schema", percent_done="35")

    update = ProgressUpdate.objects.get(action=action("1.8"))
    record = update.history.get()
    assert record.history_type == "+"
    assert record.history_user == weller_medewerker
    assert (record.status, record.percent_done) == ("op_schema", 35)


def test_evaluation_from_the_action_page_is_recorded_with_its_author(client, kernteamlid):
    login(client, kernteamlid)

    post_evaluation(client, action("1.8"), assessment="behaald")

    record = Evaluation.objects.get(action=action("1.8")).history.get()
    assert (record.history_type, record.history_user, record.assessment) == (
        "+",
        kernteamlid,
        "behaald",
    )


def test_project_update_is_recorded_with_user_and_old_and_new_values(client, woonpunt_medewerker):
    login(client, woonpunt_medewerker)
    project = project_at("nieuwbouw", 1)

    post_project(client, project, status="in_uitvoering", expected_year="2026")

    change = latest_change(project)
    assert change.user == woonpunt_medewerker
    assert diff(change) == {
        "status": ("Gepland", "In uitvoering"),
        "expected_year": ("leeg", "2026"),
    }


def test_label_figure_entry_is_recorded_with_user_and_old_and_new_values(client, weller_medewerker):
    login(client, weller_medewerker)

    post_labels(client, "Weller", "weller", {2024: 470})

    change = latest_change(label_figure("Weller", 2024))
    assert change.user == weller_medewerker
    assert diff(change) == {"realised": ("leeg", "470")}


def test_indicator_realisation_is_recorded_with_user_and_old_and_new_values(
    client, weller_medewerker
):
    login(client, weller_medewerker)
    value = indicator_value(RENT_INCREASE, "Weller")

    post_realisation(client, value, realised="-0,5", realised_note="Begroting")

    change = latest_change(value)
    assert change.user == weller_medewerker
    assert diff(change) == {
        "realised": ("leeg", "-0,5"),
        "realised_note": ("leeg", "Begroting"),
    }


def test_first_change_keeps_the_value_from_the_document_as_its_old_value(
    client, woonpunt_medewerker
):
    login(client, woonpunt_medewerker)
    project = project_at("nieuwbouw", 1)

    post_project(client, project, status="in_voorbereiding")

    records = list(project.history.order_by("history_date"))
    assert [(r.history_user, r.status) for r in records] == [
        (None, "gepland"),
        (woonpunt_medewerker, "in_voorbereiding"),
    ]


# --- services called outside a request (imports, commands) -------------------------------


def test_service_called_outside_a_request_records_the_user_it_was_given(kernteamlid):
    project = project_at("nieuwbouw", 1)

    project_services.update_project(
        project=project, user=kernteamlid, version=1, status="in_uitvoering"
    )
    agreement_services.post_progress_update(
        action=action("1.8"),
        author=kernteamlid,
        status="vertraagd",
        percent_done=5,
        explanation="Vergunning loopt vertraging op.",
        seen_latest_id=None,
    )

    assert latest_change(project).user == kernteamlid
    assert ProgressUpdate.objects.get().history.get().history_user == kernteamlid


# --- the beheerder's admin pages ------------------------------------------------------------


def admin_form_data(response) -> dict:
    """The admin change form as the browser would send it back, inlines included."""
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms.append(inline.formset.management_form)
        forms.extend(inline.formset.forms)
    data = {}
    for form in forms:
        for name in form.fields:
            bound = form[name]
            value = bound.value()
            if value is None or value is False:
                continue
            if value is True:
                data[bound.html_name] = "on"
            elif isinstance(value, list | tuple):
                data[bound.html_name] = [str(getattr(v, "pk", v)) for v in value]
            else:
                data[bound.html_name] = str(getattr(value, "pk", value))
    return data


def admin_change(client, obj, **changes):
    meta = obj._meta
    url = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])
    data = admin_form_data(client.get(url))
    data.update(changes)
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    return response


@pytest.mark.parametrize(
    ("get_object", "field", "new_value", "shown_old", "shown_new"),
    [
        (lambda: Party.objects.get(name="Weller"), "short_name", "Stichting Weller", None, None),
        (
            lambda: BatStock.objects.filter(corporation__name="Weller").order_by("pk").first(),
            "count",
            "9999",
            None,
            "9.999",
        ),
        (lambda: action("1.8"), "note", "Nagekeken door de beheerder.", "leeg", None),
        (
            lambda: Indicator.objects.get(code=RENT_INCREASE),
            "unit",
            "procentpunt",
            None,
            "procentpunt",
        ),
        (lambda: project_at("nieuwbouw", 1), "neighbourhood", "Heerlerheide", "leeg", None),
        (lambda: label_figure("Woonpunt", 2024), "target", "300", "leeg", "300"),
    ],
    ids=["partij", "BAT-voorraad", "afspraak", "kengetal", "project", "EFG-labelcijfer"],
)
def test_admin_change_is_recorded_with_user_and_old_and_new_value(
    client, beheerder, get_object, field, new_value, shown_old, shown_new
):
    obj = get_object()
    old = getattr(obj, field)
    login(client, beheerder)

    admin_change(client, obj, **{field: new_value})

    records = list(type(obj).history.filter(id=obj.pk).order_by("history_date"))
    assert records[-1].history_user == beheerder
    assert str(getattr(records[-1], field)) == new_value
    change = changes_of(records)[0]
    shown = diff(change)[field]
    as_read = f"{old:,}".replace(",", ".") if isinstance(old, int) else str(old)  # 2.801
    assert shown[0] == (shown_old or as_read)
    assert shown[1] == (shown_new or new_value)


def test_admin_deletion_of_a_progress_update_is_recorded_with_user(client, beheerder, huurder):
    update = make_progress_update(action("1.8"), None, status="op_schema", percent_done=10)
    login(client, beheerder)

    response = client.post(
        reverse("admin:agreements_progressupdate_delete", args=[update.pk]), {"post": "yes"}
    )

    assert response.status_code == 302
    assert not ProgressUpdate.objects.filter(pk=update.pk).exists()
    record = ProgressUpdate.history.filter(id=update.pk).latest("history_date")
    assert (record.history_type, record.history_user) == ("-", beheerder)


def test_admin_history_page_lists_who_changed_a_project(client, beheerder, woonpunt_medewerker):
    project = project_at("nieuwbouw", 1)
    project_services.update_project(
        project=project, user=woonpunt_medewerker, version=1, status="in_uitvoering"
    )
    login(client, beheerder)

    response = client.get(reverse("admin:projects_project_history", args=[project.pk]))

    assert response.status_code == 200
    assert str(woonpunt_medewerker) in response.content.decode()


# --- no write path around the history ------------------------------------------------------

APPS = (
    "core",
    "accounts",
    "agreements",
    "projects",
    "sustainability",
    "overview",
    "evaluation",
    "heerlen",
)
#: Writes rows without history on purpose: synthetic data for load tests, never real data.
SYNTHETIC_DATA = {"overview/management/commands/generate_data.py"}
#: Working data without history of its own: an uploaded workbook's rows waiting to be applied
#: (applying them writes the history of every changed record, evaluation.services).
WORKING_DATA = {"evaluation/drafts.py"}
BYPASSING_HISTORY = {"update", "bulk_update", "bulk_create"}
QUERYSET_RECEIVER = re.compile(r"(\.objects\b|\.(filter|exclude|all|select_for_update)\(|_set\b)")


def queryset_writes_in(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in BYPASSING_HISTORY
            and QUERYSET_RECEIVER.search(ast.unparse(node.func.value))
        ):
            found.append(f"{path}:{node.lineno}: {ast.unparse(node)[:80]}")
    return found


def test_no_write_path_of_the_application_bypasses_the_history():
    root = Path(settings.BASE_DIR)
    sources = [
        path
        for app in APPS
        for path in (root / app).rglob("*.py")
        if "migrations" not in path.parts
        and str(path.relative_to(root)) not in SYNTHETIC_DATA | WORKING_DATA
    ]
    assert len(sources) > 20  # the scan really looked at the application

    offenders = [line for path in sources for line in queryset_writes_in(path)]

    assert offenders == []


def test_the_scan_would_notice_a_queryset_update(tmp_path):
    sneaky = tmp_path / "sneaky.py"
    sneaky.write_text("Project.objects.filter(pk=1).update(status='gerealiseerd')\n")

    assert queryset_writes_in(sneaky)
