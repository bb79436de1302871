"""The quick start's living demo: a year of invented progress, said to be demo on every page."""

import json

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.urls import reverse

from accounts.models import User
from agreements.demo import NOTE_PREFIX
from agreements.models import Action, ProgressUpdate
from core.history import changes_of
from projects.models import Project
from projects.services import update_project
from sustainability.models import EnergyLabelFigure

from .factories import login
from .helpers_dashboard import page_text


@pytest.fixture
def demo(jaarschijf, settings):
    settings.DEBUG = True
    settings.DEMO_ACCOUNTS = True
    call_command("create_demo_accounts")
    call_command("load_demo_scenario")
    return jaarschijf


def test_the_demo_shows_progress_on_most_agreements_and_some_realisations(demo):
    actions = Action.objects.filter(jaarschijf=demo)
    with_progress = actions.filter(updates__isnull=False).distinct().count()
    assert with_progress > actions.count() * 3 / 4
    assert with_progress < actions.count()  # some agreements are left waiting: overdue
    assert ProgressUpdate.objects.filter(status="vertraagd").exists()
    assert all(
        note.startswith(NOTE_PREFIX)
        for note in ProgressUpdate.objects.values_list("explanation", flat=True)
    )
    assert Project.objects.filter(jaarschijf=demo, realised_dwellings__gt=0).exists()
    assert EnergyLabelFigure.objects.filter(jaarschijf=demo, realised__isnull=False).exists()


def test_every_page_says_demogegevens_while_the_demo_is_loaded(demo, client):
    from accounts.models import User

    login(client, User.objects.get(username="huurders"))
    for url in (
        reverse("overview:dashboard"),
        reverse("overview:action-list"),
        reverse("overview:sustainability"),
    ):
        assert "Demogegevens" in page_text(client.get(url)), url


def test_loading_twice_adds_nothing(demo):
    before = ProgressUpdate.objects.count()
    call_command("load_demo_scenario")
    assert ProgressUpdate.objects.count() == before


def test_without_demo_accounts_there_is_no_demo(jaarschijf, settings, client, huurder):
    settings.DEBUG = True
    settings.DEMO_ACCOUNTS = False
    with pytest.raises(ImproperlyConfigured):
        call_command("load_demo_scenario")
    login(client, huurder)
    assert "Demogegevens" not in page_text(client.get(reverse("overview:dashboard")))


def test_the_signed_jaarschijf_fixture_holds_no_demo_data():
    fixture = django_settings.BASE_DIR / "fixtures" / "jaarschijf-2024.json"
    records = json.loads(fixture.read_text(encoding="utf-8"))
    assert not [r for r in records if r["model"] == "agreements.progressupdate"]
    assert NOTE_PREFIX not in fixture.read_text(encoding="utf-8")


def test_a_real_edit_of_a_demo_project_is_credited_only_with_what_it_changed(demo):
    """The demo's changes are in the history, by the demo's author at the demo's date: the
    first real edit afterwards shows only its own change, not the demo's as well."""
    project = Project.objects.filter(jaarschijf=demo, updated_by__isnull=False).first()
    demo_record = project.history.order_by("-history_date", "-history_id").first()
    assert demo_record.history_change_reason == "Demogegevens"
    assert demo_record.history_user == project.updated_by
    assert demo_record.history_date == project.updated_at

    editor = User.objects.get(username="kernteam")
    update_project(
        project=project,
        user=editor,
        version=project.version,
        realised_dwellings=(project.realised_dwellings or 0) + 1,
    )
    newest = changes_of(project.history.select_related("history_user"))[0]
    assert [f.label for f in newest.fields] == ["gerealiseerde woningen"]
