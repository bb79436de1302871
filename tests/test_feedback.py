"""Feedback where the eye is: the page after a save opens at a focused confirmation, a refused
form says "Fout:" in its title and focuses its error summary, and an update that repeats the
latest one is refused by the model, whichever way it is written."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from agreements import services
from agreements.models import ProgressUpdate

from .factories import action, login, make_progress_update
from .helpers_tracking import label_data, latest_update_id, post_progress, post_project, project_of


def title_of(response) -> str:
    return re.search(r"<title>(.*?)</title>", response.content.decode(), re.S)[1].strip()


def test_after_a_progress_update_the_page_opens_at_the_focused_confirmation(
    client, weller_medewerker
):
    login(client, weller_medewerker)
    response = post_progress(client, action("1.8"), status="op_schema", percent_done="40")

    assert response["Location"].endswith("#melding")
    html = client.get(response["Location"]).content.decode()
    box = re.search(r'<div class="heerlen-messages"[^>]*>', html)[0]
    assert 'id="melding"' in box and 'tabindex="-1"' in box and "autofocus" in box
    assert "De voortgang van afspraak 1.8 is opgeslagen." in html
    # The form shows the saved state.
    assert re.search(r'<option value="op_schema" selected>', html)
    assert re.search(r'name="percent_done" value="40"', html)


def test_after_saving_a_project_or_efg_figures_the_page_opens_at_the_confirmation(
    client, kernteamlid
):
    login(client, kernteamlid)
    project = project_of("Woonpunt", "nieuwbouw")
    assert post_project(client, project, explanation="Vergunning verleend.")["Location"].endswith(
        "#melding"
    )
    response = client.post(
        reverse("sustainability:labelfigure-entry", args=["weller"]),
        label_data("Weller", {2024: 100}),
    )
    assert response["Location"].endswith("#melding")


def test_a_refused_form_has_fout_in_its_title_and_a_focused_error_summary(
    client, weller_medewerker
):
    login(client, weller_medewerker)
    response = post_progress(client, action("1.8"), status="op_schema", percent_done="200")

    assert response.status_code == 200
    assert title_of(response).startswith("Fout: ")
    summary = re.search(
        r'<div class="[^"]*heerlen-error-summary[^"]*"[^>]*>', response.content.decode()
    )[0]
    assert 'tabindex="-1"' in summary and "autofocus" in summary


def test_a_page_without_errors_has_no_fout_in_its_title(client, weller_medewerker):
    login(client, weller_medewerker)
    response = client.get(action("1.8").get_absolute_url())
    assert not title_of(response).startswith("Fout")


def test_sending_the_same_update_again_is_refused_and_nothing_is_stored(client, weller_medewerker):
    login(client, weller_medewerker)
    post_progress(client, action("1.8"), status="op_schema", percent_done="50")
    assert ProgressUpdate.objects.filter(action=action("1.8")).count() == 1

    response = post_progress(client, action("1.8"), status="op_schema", percent_done="50")

    assert response.status_code == 200
    assert "deze update is gelijk aan de laatste" in response.content.decode()
    assert title_of(response).startswith("Fout: ")
    assert ProgressUpdate.objects.filter(action=action("1.8")).count() == 1


def test_a_different_text_or_percentage_is_a_new_update(client, weller_medewerker):
    login(client, weller_medewerker)
    post_progress(client, action("1.8"), status="op_schema", percent_done="50")
    post_progress(client, action("1.8"), status="op_schema", percent_done="55")
    post_progress(
        client, action("1.8"), status="op_schema", percent_done="55", explanation="Nieuw overleg."
    )
    assert ProgressUpdate.objects.filter(action=action("1.8")).count() == 3


def test_the_service_and_the_model_refuse_a_repeated_update_too(weller_medewerker):
    target = action("1.8")
    make_progress_update(target, weller_medewerker, status="op_schema", percent_done=50)
    with pytest.raises(ValidationError, match="gelijk aan de laatste"):
        services.post_progress_update(
            action=target,
            author=weller_medewerker,
            status="op_schema",
            percent_done=50,
            seen_latest_id=latest_update_id(target),
        )
    repeat = ProgressUpdate(action=target, status="op_schema", percent_done=50)
    with pytest.raises(ValidationError, match="gelijk aan de laatste"):
        repeat.full_clean()
    assert target.updates.count() == 1
