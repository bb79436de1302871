"""Wrong input gets a Dutch message at the field, never a 500, and changes nothing.

Each case posts one wrong value into an otherwise valid form and checks that the page shows
the message in the field's own error element (``id_<field>_error``), that the answer is the
form again (200) and that no table a write could touch has changed.
"""

import re
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.urls import reverse

from agreements.models import Evaluation, IndicatorValue, ProgressUpdate
from cycle.models import Milestone, ReportingRound
from projects.models import Project
from sustainability.models import EnergyLabelFigure

from .factories import action, login
from .helpers_tracking import (
    RENT_INCREASE,
    evaluation_data,
    indicator_value,
    label_data,
    label_index,
    labelfigure_url,
    progress_data,
    project_at,
    project_data,
    realisation_data,
)

TOO_LONG = "x" * 4001
TOO_LONG_MESSAGE = "Zorg dat deze waarde niet meer dan 4.000 tekens bevat (het zijn er nu 4.001)."


class ErrorElements(HTMLParser):
    """Collects the text inside every element whose id ends in ``_error``."""

    def __init__(self):
        super().__init__()
        self.errors: dict[str, str] = {}
        self._stack: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag, attrs):
        element_id = dict(attrs).get("id")
        if tag in ("br", "input", "img", "hr", "meta", "link"):
            return
        self._stack.append(
            (tag, element_id if element_id and element_id.endswith("_error") else None)
        )

    def handle_endtag(self, tag):
        while self._stack:
            open_tag, _ = self._stack.pop()
            if open_tag == tag:
                break

    def handle_data(self, data):
        for _, element_id in self._stack:
            if element_id:
                self.errors[element_id] = self.errors.get(element_id, "") + data


def field_errors(response) -> dict[str, str]:
    parser = ErrorElements()
    parser.feed(response.content.decode())
    return {key: re.sub(r"\s+", " ", text).strip() for key, text in parser.errors.items()}


def database_state():
    return {
        model.__name__: (list(model.objects.order_by("pk").values()), model.history.count())
        for model in (Project, EnergyLabelFigure, IndicatorValue, ProgressUpdate, Evaluation)
    }


# --- the forms, each with a valid submission to spoil ------------------------------------


def progress_form(**wrong):
    return (
        "weller",
        lambda: reverse("agreements:action-update", args=[2024, "1.8"]),
        lambda: progress_data(action("1.8"), **wrong),
    )


def evaluation_form(**wrong):
    return (
        "kernteam",
        lambda: reverse("agreements:action-evaluate", args=[2024, "1.8"]),
        lambda: evaluation_data(action("1.8"), **wrong),
    )


def project_form(**wrong):
    return (
        "woonpunt",
        lambda: reverse("projects:project-update", args=[project_at("nieuwbouw", 1).pk]),
        lambda: project_data(project_at("nieuwbouw", 1), **wrong),
    )


def label_form(year, value):
    return (
        "weller",
        lambda: labelfigure_url("weller"),
        lambda: label_data("Weller", {2023: 555, year: value}),
    )


def realisation_form(**wrong):
    return (
        "weller",
        lambda: reverse(
            "agreements:indicator-realisation", args=[indicator_value(RENT_INCREASE, "Weller").pk]
        ),
        lambda: realisation_data(indicator_value(RENT_INCREASE, "Weller"), **wrong),
    )


CASES = [
    # (form, field whose error element shows the message, message)
    (
        "percentage-120",
        progress_form(percent_done="120"),
        "percent_done",
        "Een percentage kan niet hoger zijn dan 100.",
    ),
    (
        "percentage-negatief",
        progress_form(percent_done="-5"),
        "percent_done",
        "Een percentage kan niet lager zijn dan 0.",
    ),
    (
        "percentage-tekst",
        progress_form(percent_done="veel"),
        "percent_done",
        "Vul een heel getal in van 0 tot en met 100, zonder %-teken.",
    ),
    (
        "percentage-leeg",
        progress_form(percent_done=""),
        "percent_done",
        "Vul in hoeveel procent van de afspraak gereed is (0 tot en met 100).",
    ),
    (
        "onbekende-status",
        progress_form(status="klaar"),
        "status",
        "Kies een van de statussen uit de lijst.",
    ),
    (
        "vertraagd-zonder-toelichting",
        progress_form(status="vertraagd"),
        "explanation",
        "Licht toe waarom de afspraak vertraagd is; lezers willen weten waarom.",
    ),
    ("toelichting-te-lang", progress_form(explanation=TOO_LONG), "explanation", TOO_LONG_MESSAGE),
    (
        "link-geen-adres",
        progress_form(evidence_url="mijn verslag"),
        "evidence_url",
        "Vul een volledig webadres in dat begint met https:// (of http://).",
    ),
    (
        "link-javascript",
        progress_form(evidence_url="javascript:alert(1)"),
        "evidence_url",
        "Vul een volledig webadres in dat begint met https:// (of http://).",
    ),
    (
        "link-te-lang",
        progress_form(evidence_url="https://example.nl/" + "a" * 490),
        "evidence_url",
        "Zorg dat deze waarde niet meer dan 500 tekens bevat (het zijn er nu 509).",
    ),
    (
        "onbekend-oordeel",
        evaluation_form(assessment="super"),
        "evaluatie_assessment",
        "Kies een van de oordelen uit de lijst.",
    ),
    (
        "oordeel-zonder-toelichting",
        evaluation_form(explanation="  "),
        "evaluatie_explanation",
        "Licht het oordeel toe; zo blijft het navolgbaar.",
    ),
    (
        "negatieve-woningen",
        project_form(realised_dwellings="-1"),
        "realised_dwellings",
        "Het aantal woningen kan niet negatief zijn.",
    ),
    (
        "halve-woningen",
        project_form(realised_dwellings="12,5"),
        "realised_dwellings",
        "Vul een heel aantal woningen in, zonder komma; punten tussen de duizendtallen mogen (1.500).",
    ),
    (
        "absurd-veel-woningen",
        project_form(realised_dwellings="99999999999999999999"),
        "realised_dwellings",
        "Dat zijn meer woningen dan een project kan hebben; controleer het aantal.",
    ),
    (
        "oplevering-2300",
        project_form(expected_year="2300"),
        "expected_year",
        "Vul een jaar in tussen 2000 en 2054.",
    ),
    (
        "oplevering-1999",
        project_form(expected_year="1999"),
        "expected_year",
        "Vul een jaar in tussen 2000 en 2054.",
    ),
    (
        "oplevering-in-woorden",
        project_form(expected_year="volgend jaar"),
        "expected_year",
        "Vul een jaartal in van vier cijfers, bijvoorbeeld 2025.",
    ),
    (
        "kwartaal-5",
        project_form(expected_year="2025", expected_quarter="5"),
        "expected_quarter",
        "Kies een kwartaal: Q1, Q2, Q3 of Q4.",
    ),
    (
        "kwartaal-zonder-jaar",
        project_form(expected_quarter="2"),
        "expected_year",
        "Vul ook het jaar in bij het kwartaal van de oplevering.",
    ),
    (
        "onbekende-projectstatus",
        project_form(status="klaar"),
        "status",
        "Kies een van de statussen uit de lijst.",
    ),
    (
        "vervallen-zonder-toelichting",
        project_form(status="vervallen"),
        "explanation",
        "Licht toe waarom het project vervalt.",
    ),
    (
        "projecttoelichting-te-lang",
        project_form(explanation=TOO_LONG),
        "explanation",
        TOO_LONG_MESSAGE,
    ),
    (
        "negatieve-efg",
        label_form(2024, "-3"),
        "efg-{2024}-realised",
        "Het aantal woningen kan niet negatief zijn.",
    ),
    (
        "efg-tekst",
        label_form(2024, "veel"),
        "efg-{2024}-realised",
        "Vul een heel aantal woningen in, zonder komma; punten tussen de duizendtallen mogen (1.500).",
    ),
    (
        "efg-absurd",
        label_form(2024, "1000000"),
        "efg-{2024}-realised",
        "Dat zijn meer woningen dan een corporatie hier heeft; controleer het aantal.",
    ),
    (
        "realisatie-tekst",
        realisation_form(realised="ongeveer half"),
        "realised",
        "Vul een getal in, met een komma voor decimalen (bijvoorbeeld 85,5) en eventueel "
        "punten tussen de duizendtallen (1.500).",
    ),
    (
        "realisatie-drie-decimalen",
        realisation_form(realised="0,125"),
        "realised",
        "Gebruik hoogstens twee cijfers achter de komma.",
    ),
    (
        "realisatie-te-groot",
        realisation_form(realised="123456789012"),
        "realised",
        "Dit getal is te groot; vul hoogstens tien cijfers voor de komma in.",
    ),
    (
        "realisatietoelichting-te-lang",
        realisation_form(realised_note=TOO_LONG),
        "realised_note",
        TOO_LONG_MESSAGE,
    ),
]


@pytest.mark.parametrize(
    ("form", "field", "message"),
    [pytest.param(form, field, message, id=case) for case, form, field, message in CASES],
)
def test_wrong_input_gets_a_dutch_message_at_the_field_and_changes_nothing(
    client, personas, form, field, message
):
    persona, url, data = form
    login(client, personas[persona])
    if "{2024}" in field:
        field = field.replace("{2024}", str(label_index("Weller", 2024)))
    before = database_state()

    response = client.post(url(), data())

    assert response.status_code == 200
    assert field_errors(response).get(f"id_{field}_error") == f"Fout: {message}"
    assert database_state() == before


@pytest.mark.parametrize(
    ("form", "tampered"),
    [
        (progress_form(), {"seen_latest_id": "abc"}),
        (project_form(), {"version": "abc"}),
        (project_form(), {"version": ""}),
        (realisation_form(), {"version": "-1"}),
        (label_form(2024, "470"), {"efg-0-figure_id": "niets"}),
        (label_form(2024, "470"), {"efg-TOTAL_FORMS": "100000"}),
        (label_form(2024, "470"), {"efg-TOTAL_FORMS": None}),
    ],
    ids=[
        "voortgang-kapotte-versie",
        "project-kapotte-versie",
        "project-zonder-versie",
        "realisatie-negatieve-versie",
        "efg-kapotte-regel",
        "efg-te-veel-regels",
        "efg-zonder-beheerformulier",
    ],
)
def test_a_tampered_hidden_field_is_refused_without_a_server_error(
    client, personas, form, tampered
):
    persona, url, data = form
    login(client, personas[persona])
    payload = data()
    for key, value in tampered.items():
        if value is None:
            payload.pop(key)
        else:
            payload[key] = value
    before = database_state()

    response = client.post(url(), payload)

    assert response.status_code == 200
    assert "Het formulier is niet verwerkt." in response.content.decode()
    assert database_state() == before


def test_the_application_speaks_dutch_even_about_a_broken_hidden_field(client, woonpunt_medewerker):
    assert settings.LANGUAGE_CODE == "nl"
    login(client, woonpunt_medewerker)
    project = project_at("nieuwbouw", 1)
    payload = project_data(project)
    payload.pop("version")

    response = client.post(reverse("projects:project-update", args=[project.pk]), payload)

    assert response.headers["Content-Language"] == "nl"
    html = response.content.decode()
    assert "Het formulier is onvolledig of beschadigd verstuurd." in html
    assert "Verborgen veld" not in html and "version" not in re.sub(r"<[^>]+>", "", html)


def test_more_realised_than_planned_is_not_an_error(client, woonpunt_medewerker):
    login(client, woonpunt_medewerker)
    project = project_at("nieuwbouw", 1)

    response = client.post(
        reverse("projects:project-update", args=[project.pk]),
        project_data(project, realised_dwellings="160"),
    )

    assert response.status_code == 302
    project.refresh_from_db()
    assert project.realised_dwellings == 160


def round_data(**wrong):
    return {
        "name": "Voortgangsrapportage 1e halfjaar 2024",
        "period_start": "01-01-2024",
        "period_end": "30-06-2024",
        "deadline": "15-07-2024",
        "past_deadline_accepted": "on",
        "open_actions": "on",
        **wrong,
    }


def milestone_data(**wrong):
    return {
        "description": "Eerste overleg buurt",
        "due_date": "30-09-2024",
        "due_precision": "kwartaal",
        "due_text": "Q3 2024",
        **wrong,
    }


@pytest.mark.parametrize("value", ["99999999999999999999", "-99999999999999999999", "-1", "0"])
@pytest.mark.parametrize(
    ("url", "data", "field", "message"),
    [
        (
            "cycle:round-new",
            lambda value: round_data(indicators=[value]),
            "indicators",
            "Selecteer een geldige keuze. {value} is geen beschikbare keuze.",
        ),
        (
            "cycle:round-new",
            lambda value: round_data(deliverable="Cijfers 6.5", deliverable_party=value),
            "deliverable_party",
            "Selecteer een geldige keuze. Deze keuze is niet beschikbaar.",
        ),
        (
            "cycle:milestone-add",
            lambda value: milestone_data(responsible=value),
            "responsible",
            "Kies een partij uit de lijst.",
        ),
    ],
    ids=["ronde-kengetallen", "ronde-aanleverende-partij", "mijlpaal-verantwoordelijke"],
)
def test_an_id_that_names_nothing_in_a_list_of_choices_gets_a_dutch_message_and_saves_nothing(
    client, kernteamlid, url, data, field, message, value
):
    login(client, kernteamlid)
    before = (ReportingRound.objects.count(), Milestone.objects.count())

    response = client.post(reverse(url) + "?jaar=2024", data(value))

    assert response.status_code == 200
    assert field_errors(response).get(f"id_{field}_error") == f"Fout: {message.format(value=value)}"
    assert (ReportingRound.objects.count(), Milestone.objects.count()) == before
