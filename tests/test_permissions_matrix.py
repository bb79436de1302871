"""Every role × every write view × a row of its own party and of another.

Allowed: the write succeeds (redirect, the row changed, by this user).
Not allowed: 403 and the database is exactly as before, in every table a write could touch.
The expected outcome is written out per case below (not derived from the rules under test).
"""

from decimal import Decimal

import pytest
from django.urls import reverse

from agreements.models import Evaluation, IndicatorValue, ProgressUpdate
from projects.models import Project
from sustainability.models import EnergyLabelFigure

from .conftest import action, login, make_user
from .helpers_tracking import (
    DAEB,
    RENT_INCREASE,
    indicator_value,
    label_figure,
    labelfigure_url,
    make_evaluated,
    post_evaluation,
    post_labels,
    post_progress,
    post_project,
    post_realisation,
    project_of,
)

PERSONAS = [
    "beheerder",
    "kernteam",
    "weller",
    "woonpunt",
    "gemeente",
    "huurder",
    "medewerker-huurders",
]
WRITERS_EVERYWHERE = {"beheerder", "kernteam"}


@pytest.fixture
def everyone(personas):
    """The conftest personas, and a medewerker of a tenant organisation: reads only too."""
    tenant_staff = make_user("medewerker", "Weller - huurdersvereniging(en)", "huurder-medewerker")
    return personas | {"medewerker-huurders": tenant_staff}


def database_state():
    """Every row a write view could change, and the size of every history table."""
    state = {
        model.__name__: list(model.objects.order_by("pk").values())
        for model in (Project, EnergyLabelFigure, IndicatorValue, ProgressUpdate, Evaluation)
    }
    for model in (Project, EnergyLabelFigure, IndicatorValue, ProgressUpdate, Evaluation):
        state[f"history-{model.__name__}"] = model.history.count()
    return state


# --- the write cases: how to post, and how to see that it took effect ----------------------


def _progress(number):
    def write(client):
        return post_progress(client, action(number), status="op_schema", percent_done="40")

    def took_effect(user):
        return ProgressUpdate.objects.filter(action=action(number), author=user).exists()

    return write, took_effect


def _evaluation(number):
    def write(client):
        return post_evaluation(client, action(number))

    def took_effect(user):
        return Evaluation.objects.filter(action=action(number), author=user).exists()

    return write, took_effect


def _project(corporation):
    def write(client):
        return post_project(client, project_of(corporation), status="in_uitvoering")

    def took_effect(user):
        project = project_of(corporation)
        return project.status == "in_uitvoering" and project.updated_by == user

    return write, took_effect


def _labels(corporation, slug):
    def write(client):
        return post_labels(client, corporation, slug, {2024: 470})

    def took_effect(user):
        figure = label_figure(corporation, 2024)
        return figure.realised == 470 and figure.updated_by == user

    return write, took_effect


def _realisation(code, party, period="2024"):
    def write(client):
        return post_realisation(client, indicator_value(code, party, period), realised="1,5")

    def took_effect(user):
        value = indicator_value(code, party, period)
        return value.realised == Decimal("1.5") and value.history.filter(history_user=user).exists()

    return write, took_effect


CASES = {
    # Weller takes part directly (and Wonen Zuid, the municipality); Woonpunt does not.
    "voortgang 3.9 (Weller, Wonen Zuid, gemeente)": (
        _progress("3.9"),
        WRITERS_EVERYWHERE | {"weller", "gemeente"},
    ),
    # Neither Weller nor Woonpunt takes part.
    "voortgang 3.10 (Wonen Zuid, gemeente)": (
        _progress("3.10"),
        WRITERS_EVERYWHERE | {"gemeente"},
    ),
    # Only the collective "Woningcorporaties": every corporation, not the municipality.
    "voortgang 3.16 (via collectief Woningcorporaties)": (
        _progress("3.16"),
        WRITERS_EVERYWHERE | {"weller", "woonpunt"},
    ),
    "evaluatie 3.9": (_evaluation("3.9"), WRITERS_EVERYWHERE),
    "project van Weller": (_project("Weller"), WRITERS_EVERYWHERE | {"weller"}),
    "project van Woonpunt": (_project("Woonpunt"), WRITERS_EVERYWHERE | {"woonpunt"}),
    "EFG-labels van Weller": (_labels("Weller", "weller"), WRITERS_EVERYWHERE | {"weller"}),
    "EFG-labels van Woonpunt": (
        _labels("Woonpunt", "woonpunt"),
        WRITERS_EVERYWHERE | {"woonpunt"},
    ),
    "kengetal van Weller": (_realisation(RENT_INCREASE, "Weller"), WRITERS_EVERYWHERE | {"weller"}),
    "kengetal van Wonen Zuid": (_realisation(RENT_INCREASE, "Wonen Zuid"), WRITERS_EVERYWHERE),
    "kengetal zonder partij": (_realisation(DAEB, None), WRITERS_EVERYWHERE),
    "kengetal van de gemeente": (
        _realisation(
            "4-5-taakstelling-huisvesting-vergunninghouders", "Gemeente Heerlen", "2024-H1"
        ),
        WRITERS_EVERYWHERE | {"gemeente"},
    ),
}

MATRIX = [
    pytest.param(case, persona, persona in allowed, id=f"{persona}-{case}")
    for case, (_, allowed) in CASES.items()
    for persona in PERSONAS
]


@pytest.mark.parametrize(("case", "persona", "allowed"), MATRIX)
def test_role_may_write_only_where_the_rules_allow(client, everyone, case, persona, allowed):
    (write, took_effect), _ = CASES[case]
    user = everyone[persona]
    login(client, user)
    before = database_state()

    response = write(client)

    if allowed:
        assert response.status_code == 302, response.content.decode()[:2000]
        assert took_effect(user)
    else:
        assert response.status_code == 403
        assert database_state() == before


@pytest.mark.parametrize(
    ("case", "persona"),
    [pytest.param(case, persona, id=f"{persona}-{case}") for case in CASES for persona in PERSONAS],
)
def test_after_the_evaluation_only_the_beheerder_may_write(
    client, everyone, jaarschijf, case, persona
):
    make_evaluated(jaarschijf)
    (write, took_effect), _ = CASES[case]
    user = everyone[persona]
    login(client, user)
    before = database_state()

    response = write(client)

    if persona == "beheerder":
        assert response.status_code == 302
        assert took_effect(user)
    else:
        assert response.status_code == 403
        assert database_state() == before


@pytest.mark.parametrize("case", list(CASES))
def test_visitor_who_is_not_logged_in_is_sent_to_the_login_page_and_changes_nothing(
    client, jaarschijf, case
):
    (write, _), _ = CASES[case]
    before = database_state()

    response = write(client)

    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]
    assert database_state() == before


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [
        ("beheerder", True),
        ("kernteam", True),
        ("weller", False),
        ("gemeente", False),
        ("huurder", False),
    ],
)
def test_entry_page_of_woonpunt_label_figures_opens_only_for_who_may_fill_it_in(
    client, personas, persona, allowed
):
    login(client, personas[persona])

    response = client.get(labelfigure_url("woonpunt"))

    assert response.status_code == (200 if allowed else 403)


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [
        ("beheerder", True),
        ("kernteam", True),
        ("weller", True),
        ("woonpunt", False),
        ("huurder", False),
    ],
)
def test_realisation_page_of_weller_indicator_opens_only_for_who_may_fill_it_in(
    client, personas, persona, allowed
):
    login(client, personas[persona])
    value = indicator_value(RENT_INCREASE, "Weller")

    response = client.get(reverse("agreements:indicator-realisation", args=[value.pk]))

    assert response.status_code == (200 if allowed else 403)


def test_tenant_organisation_gets_no_label_entry_at_all(client, huurder):
    login(client, huurder)

    assert client.get(reverse("sustainability:labelfigure-entry-index")).status_code == 403


def test_unknown_objects_answer_404_not_500(client, kernteamlid):
    login(client, kernteamlid)

    assert (
        client.post(reverse("agreements:action-update", args=[2024, "9.99"]), {}).status_code == 404
    )
    assert client.post(reverse("projects:project-update", args=[999999]), {}).status_code == 404
    assert client.get(reverse("agreements:indicator-realisation", args=[999999])).status_code == 404
    assert client.get(labelfigure_url("gemeente-heerlen")).status_code == 404
