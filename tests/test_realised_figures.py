"""Entering realised figures: EFG labels per corporation and year, indicator realisations."""

import re
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from agreements.models import IndicatorValue
from core.formats import nl_date, nl_number
from projects.models import Project
from sustainability.models import EnergyLabelFigure

from .factories import action, login
from .helpers_tracking import (
    RENT_INCREASE,
    indicator_value,
    label_figure,
    labelfigure_url,
    post_labels,
    post_project,
    post_realisation,
)


def text_of(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def messages_of(response, level_tag):
    return [m.message for m in get_messages(response.wsgi_request) if m.level_tag == level_tag]


def test_entry_page_lists_every_year_of_the_corporation_with_its_target(client, weller_medewerker):
    login(client, weller_medewerker)

    response = client.get(labelfigure_url("weller"))

    assert response.status_code == 200
    rows = response.context["rows"]
    assert [figure.year for _, figure in rows] == list(range(2022, 2030))
    assert {figure.corporation.name for _, figure in rows} == {"Weller"}
    shown = text_of(response)
    assert "EFG-labels Weller" in shown
    assert "474" in shown and "t.b." in shown  # 2024 target, and 2028 still unknown
    assert "2024" in shown and "2.024" not in shown  # a year is no amount


def test_medewerker_enters_realised_labels_for_several_years_at_once(client, weller_medewerker):
    login(client, weller_medewerker)

    response = post_labels(client, "Weller", "weller", {2023: 555, 2024: 470})

    assert response.status_code == 302
    assert label_figure("Weller", 2023).realised == 555
    assert label_figure("Weller", 2024).realised == 470
    assert label_figure("Weller", 2024).updated_by == weller_medewerker
    assert label_figure("Weller", 2025).realised is None
    assert label_figure("Weller", 2025).version == 1  # untouched rows stay as they were
    assert messages_of(response, "success") == [
        "De EFG-realisatie van Weller is opgeslagen (2023, 2024)."
    ]
    # who changed it last, and when (the document's own figures were never "bijgewerkt")
    rows = re.findall(
        r'<th scope="row">(\d{4}).*?data-label="Laatst bijgewerkt">(.*?)</td>',
        client.get(labelfigure_url("weller")).content.decode(),
        flags=re.S,
    )
    last = {year: re.sub(r"<[^>]+>", "", cell).strip() for year, cell in rows}
    today = nl_date(timezone.localdate())
    assert last["2024"].endswith(f"(Weller), {today}") and last["2025"] == "nog niet"


def test_more_labels_left_than_the_target_is_saved_with_a_warning(client, weller_medewerker):
    login(client, weller_medewerker)

    response = post_labels(client, "Weller", "weller", {2024: 480})

    assert label_figure("Weller", 2024).realised == 480
    assert messages_of(response, "warning") == [
        "Let op: Weller heeft in 2024 meer woningen met een EFG-label (480) dan het doel (474)."
    ]


def test_the_warning_writes_large_numbers_the_dutch_way(client, weller_medewerker):
    login(client, weller_medewerker)

    response = post_labels(client, "Weller", "weller", {2024: 12345})

    assert messages_of(response, "warning") == [
        "Let op: Weller heeft in 2024 meer woningen met een EFG-label (12.345) dan het doel (474)."
    ]


def test_emptying_a_realised_figure_makes_it_unknown_again(client, weller_medewerker):
    login(client, weller_medewerker)
    post_labels(client, "Weller", "weller", {2024: 470})

    post_labels(client, "Weller", "weller", {2024: ""})

    assert label_figure("Weller", 2024).realised is None


def test_one_bad_row_saves_no_row_at_all(client, weller_medewerker):
    login(client, weller_medewerker)

    response = post_labels(client, "Weller", "weller", {2023: 555, 2024: -3})

    assert response.status_code == 200
    assert label_figure("Weller", 2023).realised is None
    assert label_figure("Weller", 2024).realised is None
    assert "Het aantal woningen kan niet negatief zijn." in response.content.decode()


def test_a_row_of_another_corporation_smuggled_into_the_form_is_refused(client, weller_medewerker):
    login(client, weller_medewerker)
    woonpunt = label_figure("Woonpunt", 2024)

    response = post_labels(
        client,
        "Weller",
        "weller",
        {2024: 470},
        **{"efg-0-figure_id": str(woonpunt.pk), "efg-0-version": str(woonpunt.version)},
    )

    assert response.status_code == 200
    assert "Het formulier hoort niet bij deze corporatie of jaarschijf." in text_of(response)
    assert EnergyLabelFigure.objects.filter(realised__isnull=False).count() == 0


def test_entry_start_page_sends_a_medewerker_to_their_own_corporation(client, weller_medewerker):
    login(client, weller_medewerker)

    response = client.get(reverse("sustainability:labelfigure-entry-index"))

    assert response.status_code == 302
    assert response["Location"] == labelfigure_url("weller")


def test_entry_start_page_lets_the_kernteam_choose_a_corporation(client, kernteamlid):
    login(client, kernteamlid)

    response = client.get(reverse("sustainability:labelfigure-entry-index"))

    assert response.status_code == 200
    names = [c.name for c in response.context["corporations"]]
    assert sorted(names) == ["Vincio Wonen", "Weller", "Wonen Limburg", "Wonen Zuid", "Woonpunt"]


def test_corporation_records_the_realisation_of_its_own_indicator_with_a_decimal_comma(
    client, weller_medewerker
):
    login(client, weller_medewerker)
    value = indicator_value(RENT_INCREASE, "Weller")

    response = post_realisation(
        client, value, realised="-0,75", realised_note="Volgens de begroting 2024."
    )

    assert response.status_code == 302
    value.refresh_from_db()
    assert value.realised == Decimal("-0.75")
    assert value.realised_note == "Volgens de begroting 2024."
    assert value.version == 2
    page = client.get(action("2.5").get_absolute_url())
    shown = text_of(page)
    assert "-0,75" in shown
    assert "Volgens de begroting 2024." in shown


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("1.500", "1500"), ("1.234.567,5", "1234567.5"), ("1234567,5", "1234567.5"), ("-0,5", "-0.5")],
)
def test_a_realisation_is_typed_as_the_page_shows_numbers_with_dots_between_thousands(
    client, weller_medewerker, typed, stored
):
    login(client, weller_medewerker)
    value = indicator_value(RENT_INCREASE, "Weller")
    assert post_realisation(client, value, realised=typed).status_code == 302
    value.refresh_from_db()
    assert value.realised == Decimal(stored)


@pytest.mark.parametrize("typed", ["1e5", "85.5", "1.50", "1,2,3", "12.34.567"])
def test_a_number_that_is_not_written_the_dutch_way_is_refused_not_guessed(
    client, weller_medewerker, typed
):
    login(client, weller_medewerker)
    value = indicator_value(RENT_INCREASE, "Weller")
    response = post_realisation(client, value, realised=typed)
    assert response.status_code == 200
    (error,) = response.context["form"].errors["realised"]
    assert "komma voor decimalen" in error and "1.500" in error
    value.refresh_from_db()
    assert value.version == 1


def test_a_realisation_keeps_its_kind_of_number_and_is_exact_when_none_is_sent(
    client, weller_medewerker
):
    login(client, weller_medewerker)
    value = indicator_value(RENT_INCREASE, "Weller")

    estimate = post_realisation(client, value, realised="-0,5", realised_comparator="circa")
    value.refresh_from_db()
    stored_estimate = (value.realised, value.realised_comparator, value.version)
    plain = post_realisation(client, value, realised="-0,6")
    value.refresh_from_db()

    assert (estimate.status_code, plain.status_code) == (302, 302)
    assert stored_estimate == (Decimal("-0.5"), "circa", 2)
    assert (value.realised, value.realised_comparator, value.version) == (
        Decimal("-0.6"),
        "exact",
        3,
    )


def test_a_realisation_with_an_unknown_kind_of_number_is_refused_and_changes_nothing(
    client, weller_medewerker
):
    login(client, weller_medewerker)
    value = indicator_value(RENT_INCREASE, "Weller")

    response = post_realisation(client, value, realised="-0,5", realised_comparator="ongeveer")

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["realised_comparator"]
    assert "geldige keuze" in response.context["form"].errors["realised_comparator"][0]
    value.refresh_from_db()
    assert (value.realised, value.realised_comparator, value.version) == (None, "exact", 1)


def test_circa_without_a_number_is_refused_at_the_number_and_the_database_refuses_it_too(
    client, weller_medewerker
):
    login(client, weller_medewerker)
    value = indicator_value(RENT_INCREASE, "Weller")

    response = post_realisation(client, value, realised="", realised_comparator="circa")

    assert response.status_code == 200
    (error,) = response.context["form"].errors["realised"]
    assert "ook het getal in" in error
    value.refresh_from_db()
    assert (value.realised, value.realised_comparator, value.version) == (None, "exact", 1)
    # the same rule below every other way in (import, admin, API): the constraint
    with pytest.raises(IntegrityError), transaction.atomic():
        IndicatorValue.objects.filter(pk=value.pk).update(realised_comparator="circa")


def test_the_realisation_page_opens_with_the_stored_figure(client, weller_medewerker):
    login(client, weller_medewerker)
    value = indicator_value(RENT_INCREASE, "Weller")
    post_realisation(
        client, value, realised="-0,5", realised_comparator="circa", realised_note="Bron: begroting"
    )

    response = client.get(reverse("agreements:indicator-realisation", args=[value.pk]))

    form = response.context["form"]
    assert (form["realised"].value(), form["realised_comparator"].value()) == (
        Decimal("-0.50"),
        "circa",
    )
    assert form["realised_note"].value() == "Bron: begroting"
    assert form["version"].value() == 2
    assert 'value="-0,50"' in response.content.decode()


def test_realisation_page_shows_the_target_as_agreed(client, weller_medewerker):
    login(client, weller_medewerker)
    value = indicator_value(RENT_INCREASE, "Weller")

    response = client.get(reverse("agreements:indicator-realisation", args=[value.pk]))

    shown = text_of(response)
    assert "Weller CAO index – 0,5%" in shown
    assert "-0,5 %-punt t.o.v. CAO-index" in shown


def test_the_realisation_field_says_its_unit_and_a_field_without_a_unit_invents_none(
    client, weller_medewerker, kernteamlid
):
    """2.5's number is "%-punt t.o.v. CAO-index", not a percentage of rent: the field says so
    (read out with it). The quota of 4.5 has no unit in the document: none is made up."""
    login(client, weller_medewerker)
    value = indicator_value(RENT_INCREASE, "Weller")
    html = client.get(reverse("agreements:indicator-realisation", args=[value.pk])).content
    described = re.search(
        r'<input[^>]*name="realised"[^>]*aria-describedby="([^"]+)"', html.decode()
    ).group(1)
    help_text = re.search(rf'id="{described.split()[0]}"[^>]*>([^<]*)<', html.decode()).group(1)
    assert help_text.startswith("In %-punt t.o.v. CAO-index, zoals het doel. Een getal")

    quota = indicator_value(
        "4-5-taakstelling-huisvesting-vergunninghouders", "Gemeente Heerlen", "2024-H1"
    )
    page = text_of(
        login(client, kernteamlid).get(reverse("agreements:indicator-realisation", args=[quota.pk]))
    )
    assert "Gemeente Heerlen · 1e halfjaar 2024" in page
    assert "In aantal" not in page and " zoals het doel." not in page


def test_indicator_page_reports_whether_the_target_was_met(client, kernteamlid):
    login(client, kernteamlid)
    daeb = indicator_value("2-4-daeb-toewijzing", None)

    post_realisation(client, daeb, realised="83,5")

    page = client.get(action("2.4").get_absolute_url())
    row = [v for i in page.context["indicators"] for v in i.value_rows if v.pk == daeb.pk][0]
    assert row.is_met() is False
    assert "83,5" in text_of(page)


def test_a_screen_reader_hears_let_op_once_before_the_warning(client, weller_medewerker):
    login(client, weller_medewerker)

    response = post_labels(client, "Weller", "weller", {2024: 480})

    page = text_of(client.get(response.url))
    assert "Let op: Weller heeft in 2024" in page
    assert "Let op: Let op:" not in page
    assert page.count("Let op:") == 1


@pytest.mark.parametrize(("typed", "stored"), [("1.234", 1234), ("1234", 1234), (" 470 ", 470)])
def test_whole_numbers_are_typed_as_the_pages_print_them_with_dots_between_thousands(
    client, weller_medewerker, typed, stored
):
    """The pages print "1.581"; the EFG and project forms take a number written that way."""
    login(client, weller_medewerker)
    assert post_labels(client, "Weller", "weller", {2024: typed}).status_code == 302
    assert label_figure("Weller", 2024).realised == stored
    # and the form shows it again as the pages print it
    entry = client.get(labelfigure_url("weller")).content.decode()
    field = re.search(r'for="(id_efg-\d+-realised)">Realisatie 2024<', entry).group(1)
    assert re.search(rf'value="{nl_number(stored)}"[^>]*id="{field}"', entry)

    project = Project.objects.filter(jaarschijf__year=2024, corporation__name="Weller").first()
    assert post_project(client, project, realised_dwellings=typed).status_code == 302
    project.refresh_from_db()
    assert project.realised_dwellings == stored


@pytest.mark.parametrize("typed", ["1.5", "12,5", "1.2345", "1e3", "1.234,0"])
def test_a_whole_number_with_a_comma_or_a_stray_dot_is_refused_not_guessed(
    client, weller_medewerker, typed
):
    login(client, weller_medewerker)
    response = post_labels(client, "Weller", "weller", {2024: typed})
    assert response.status_code == 200
    assert "Vul een heel aantal woningen in, zonder komma" in response.content.decode()
    assert label_figure("Weller", 2024).realised is None
