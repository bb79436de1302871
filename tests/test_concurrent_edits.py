"""Two people editing the same record: the second save is refused, nothing is overwritten.

The refusal names the other person and shows their change; the form keeps the user's input
and now carries what the user has been shown, so saving again is a deliberate choice.
"""

import re
import threading
import time

import pytest
from django.db import connection

from agreements.models import Evaluation, ProgressUpdate
from core.versioning import ConflictError
from projects import services as project_services
from projects.models import Project

from .conftest import action, login, make_user
from .helpers_tracking import (
    RENT_INCREASE,
    evaluation_data,
    indicator_value,
    label_data,
    label_figure,
    label_index,
    labelfigure_url,
    post_realisation,
    progress_data,
    project_at,
    project_data,
    realisation_data,
)


def text_of(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def resubmit(form) -> dict:
    """What the browser sends when the user presses save again on the re-rendered form."""
    return {key: form.data[key] for key in form.data if key != "csrfmiddlewaretoken"}


def test_second_project_save_on_an_old_version_is_refused_and_shows_the_first_change(
    client, woonpunt_medewerker, kernteamlid
):
    project = project_at("nieuwbouw", 1)
    url = f"/projecten/{project.pk}/bijwerken/"
    form_of_woonpunt = project_data(project, status="in_uitvoering", realised_dwellings="20")
    form_of_kernteam = project_data(project, status="vervallen", explanation="Gaat niet door.")

    login(client, woonpunt_medewerker)
    assert client.post(url, form_of_woonpunt).status_code == 302
    login(client, kernteamlid)
    response = client.post(url, form_of_kernteam)

    assert response.status_code == 200
    project.refresh_from_db()
    assert (project.status, project.realised_dwellings) == ("in_uitvoering", 20)
    assert project.updated_by == woonpunt_medewerker
    shown = text_of(response)
    assert "Niet opgeslagen: Medewerker Woonpunt (Woonpunt) heeft dit project op" in shown
    assert "Status: Gepland → In uitvoering" in shown
    assert "Gerealiseerde woningen: leeg → 20" in shown
    # The kernteam's own input is still in the form, now on the current version.
    form = response.context["form"]
    assert form.data["status"] == "vervallen"
    assert form.data["version"] == str(project.version)

    response = client.post(url, resubmit(form))

    assert response.status_code == 302
    project.refresh_from_db()
    assert (project.status, project.updated_by) == ("vervallen", kernteamlid)


def test_progress_update_posted_without_seeing_a_newer_one_is_refused_and_shows_it(
    client, weller_medewerker, gemeente_medewerker
):
    subject = action("1.8")
    form_of_weller = progress_data(subject, status="op_schema", percent_done="30")
    form_of_gemeente = progress_data(
        subject, status="vertraagd", percent_done="10", explanation="Wachten op het Rijk."
    )
    url = "/afspraken/2024/1.8/voortgang/"

    login(client, weller_medewerker)
    assert client.post(url, form_of_weller).status_code == 302
    login(client, gemeente_medewerker)
    response = client.post(url, form_of_gemeente)

    assert response.status_code == 200
    assert ProgressUpdate.objects.filter(action=subject).count() == 1
    shown = text_of(response)
    assert "Niet opgeslagen: Medewerker Weller (Weller) heeft op" in shown
    assert "een nieuwere voortgang geplaatst" in shown
    assert "De nieuwere voortgang" in shown and "30 %" in shown
    form = response.context["progress_form"]
    assert form.data["explanation"] == "Wachten op het Rijk."

    assert client.post(url, resubmit(form)).status_code == 302
    assert ProgressUpdate.objects.filter(action=subject).first().author == gemeente_medewerker


def test_evaluation_recorded_without_seeing_a_newer_one_is_refused(client, kernteamlid, beheerder):
    subject = action("1.8")
    first = evaluation_data(subject, assessment="behaald", explanation="Gesprek gestart.")
    second = evaluation_data(subject, assessment="niet_behaald", explanation="Niets gebeurd.")
    url = "/afspraken/2024/1.8/evaluatie/"

    login(client, kernteamlid)
    assert client.post(url, first).status_code == 302
    login(client, beheerder)
    response = client.post(url, second)

    assert Evaluation.objects.filter(action=subject).count() == 1
    assert "al een nieuwere evaluatie vastgelegd (behaald)" in text_of(response)


def test_stale_label_row_refuses_the_whole_form_and_names_who_changed_it(
    client, weller_medewerker, kernteamlid
):
    stale_form = label_data("Weller", {2024: 460, 2025: 350})
    login(client, kernteamlid)
    assert (
        client.post(labelfigure_url("weller"), label_data("Weller", {2024: 470})).status_code == 302
    )

    login(client, weller_medewerker)
    response = client.post(labelfigure_url("weller"), stale_form)

    assert response.status_code == 200
    assert label_figure("Weller", 2024).realised == 470
    assert label_figure("Weller", 2025).realised is None  # all or nothing
    shown = text_of(response)
    assert (
        "Niet opgeslagen: iemand anders heeft intussen EFG-cijfers van Weller gewijzigd." in shown
    )
    assert "2024: intussen gewijzigd door Kernteamlid Wonen Zuid (Wonen Zuid)" in shown
    assert "realisatie (EFG-labels): leeg → 470" in shown
    formset = response.context["formset"]
    row = formset.forms[label_index("Weller", 2024)]
    assert row.errors["realised"]
    assert row.data[f"efg-{label_index('Weller', 2024)}-version"] == str(
        label_figure("Weller", 2024).version
    )

    assert client.post(labelfigure_url("weller"), resubmit(formset)).status_code == 302
    assert label_figure("Weller", 2024).realised == 460
    assert label_figure("Weller", 2025).realised == 350


def test_stale_indicator_realisation_is_refused(client, weller_medewerker, kernteamlid):
    value = indicator_value(RENT_INCREASE, "Weller")
    stale = realisation_data(value, realised="-0,4")
    login(client, kernteamlid)
    assert post_realisation(client, value, realised="-0,6").status_code == 302

    login(client, weller_medewerker)
    response = client.post(f"/kengetallen/{value.pk}/realisatie/", stale)

    value.refresh_from_db()
    assert str(value.realised) == "-0.60"
    assert "Niet opgeslagen: Kernteamlid Wonen Zuid (Wonen Zuid) heeft deze realisatie op" in (
        text_of(response)
    )


@pytest.mark.django_db(transaction=True)
def test_two_saves_at_the_same_moment_let_exactly_one_through(jaarschijf, monkeypatch):
    """Both read version 1 at once; the row lock makes the second wait and then see version 2."""
    first = make_user("kernteamlid", "Wonen Zuid", "eerste")
    second = make_user("medewerker", "Woonpunt", "tweede")
    project = project_at("nieuwbouw", 1)
    original_full_clean = Project.full_clean

    def slow_full_clean(self, *args, **kwargs):
        time.sleep(0.3)  # widen the window between reading the version and saving
        return original_full_clean(self, *args, **kwargs)

    monkeypatch.setattr(Project, "full_clean", slow_full_clean)
    start = threading.Barrier(2)
    outcomes = {}

    def save(user, realised):
        try:
            start.wait()
            project_services.update_project(
                project=project, user=user, version=1, realised_dwellings=realised
            )
            outcomes[user.username] = "opgeslagen"
        except ConflictError:
            outcomes[user.username] = "geweigerd"
        finally:
            connection.close()

    threads = [
        threading.Thread(target=save, args=(first, 10)),
        threading.Thread(target=save, args=(second, 20)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes.values()) == ["geweigerd", "opgeslagen"]
    project.refresh_from_db()
    winner = first if outcomes["eerste"] == "opgeslagen" else second
    assert project.updated_by == winner
    assert project.realised_dwellings == (10 if winner == first else 20)
    assert project.version == 2
