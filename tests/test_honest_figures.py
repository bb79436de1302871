"""Honest figures: like-for-like EFG comparisons, completeness beside every total, the stand
before the jaarschijf, comparators on kengetallen and the document's own contradictions."""

import pytest
from django.urls import reverse

from core.figures import Total
from sustainability.models import EnergyLabelFigure

from .factories import login, party
from .helpers_dashboard import page_text, row_of, table

pytestmark = pytest.mark.django_db


def get(client, user, name, *args):
    login(client, user)
    response = client.get(reverse(f"overview:{name}", args=args))
    assert response.status_code == 200
    return response


@pytest.fixture
def only_weller_reported(jaarschijf):
    """Weller alone entered its realisations; the other four have reported nothing yet."""
    for year, realised in ((2024, 590), (2025, 541), (2026, 468)):
        EnergyLabelFigure.objects.filter(
            jaarschijf=jaarschijf, corporation=party("Weller"), year=year
        ).update(realised=realised)


def test_a_total_says_how_many_of_its_values_are_known():
    total = Total.of([474, 26, 475, None, 606])

    assert (total.value, total.known, total.count) == (1581, 4, 5)
    assert str(total) == "1.581 (onvolledig: 4 van 5 bekend)"
    assert str(Total.of([0, 0])) == "0"  # a known zero is a zero, not unknown
    assert str(Total.of([None, None])) == "onbekend (0 van 2 bekend)"


@pytest.mark.parametrize("page", ["dashboard", "sustainability"])
def test_a_partial_realisation_is_compared_with_the_target_of_the_same_corporations(
    client, kernteamlid, only_weller_reported, page
):
    html = get(client, kernteamlid, page)
    rows = table(html, "Gemelde realisatie per jaar")

    year_2025 = row_of(rows, "2025")
    assert year_2025[1] == "1 van 5 corporaties"
    assert year_2025[2] == "541"
    assert year_2025[3] == "352"  # Weller's own target, not 3.063 of all five
    assert "Weller: 541 / 352" in year_2025[4]
    assert "3.063" not in " ".join(year_2025)


def test_the_years_before_the_jaarschijf_are_the_measured_stand_not_a_target(client, kernteamlid):
    html = get(client, kernteamlid, "dashboard")
    rows = table(html, "Sociale huurwoningen met een EFG-label")
    header = rows[1]

    assert header[0] == "Stand (peildatum)" and header[2] == "Stand (peildatum)"  # 2022, 2023
    assert header[4] == "Doel"  # 2024
    assert "2022 en 2023: gemeten stand op peildatum, geen doel" in page_text(html)
    assert "Stand op peildatum (gemeten)" in html.content.decode()  # the chart's legend


def test_every_efg_total_states_its_completeness(client, kernteamlid, only_weller_reported):
    html = get(client, kernteamlid, "sustainability")
    totals = row_of(table(html, "Sociale huurwoningen met een EFG-label"), "Totaal")

    assert "1.581 (4 van 5 bekend)" in totals  # 2024 target: Woonpunt t.b.
    assert "590 (1 van 5 gemeld)" in totals  # 2024 realised: only Weller
    # The chart says under every year how many corporations each column covers.
    chart = html.content.decode()
    assert "doel 4 van 5" in chart and "gemeld 1 van 5" in chart


def test_the_efg_contradiction_of_the_document_is_shown(client, kernteamlid):
    text = page_text(get(client, kernteamlid, "sustainability"))

    assert "Het document spreekt zichzelf tegen" in text
    assert "Voor 2029 zijn alle EFG-labels (behoudens de sloopwoningen)" in text
    assert "173 (Wonen Zuid), 208 (Vincio Wonen)" in text


def test_each_corporation_has_its_own_trajectory_chart(client, kernteamlid):
    html = get(client, kernteamlid, "sustainability").content.decode()

    for name in ("Weller", "Wonen Limburg", "Wonen Zuid", "Woonpunt", "Vincio Wonen"):
        assert f"EFG-labels {name}: stand, doel en realisatie per jaar" in html


def set_realised(name, realised, comparator="exact"):
    from agreements.models import IndicatorValue

    value = IndicatorValue.objects.get(indicator__name=name)
    value.realised, value.realised_comparator = realised, comparator
    value.save()
    return value


def test_kengetallen_show_their_comparator_in_words_and_judge_with_it(client, kernteamlid):
    set_realised("DAEB-toewijzing", 86)
    set_realised("Vrije toewijzing", 16)
    set_realised("Verhuurde woningen corporaties in Heerlen", 16300)
    rows = table(get(client, kernteamlid, "dashboard"), "Kengetallen")

    daeb = row_of(rows, "2.4")
    assert "minimaal 85 %" in daeb and "Ja" in daeb
    free = [row for row in rows if "Vrije toewijzing" in row][0]
    assert "maximaal 15 %" in free and "Nee" in free
    housing = [row for row in rows if "Verhuurde woningen corporaties in Heerlen" in row][0]
    # what the number is stays beside it: the size of the stock, not a target
    assert "circa 16.200 woningen (omvang: gezamenlijk verhuurde woningen)" in housing
    assert "Niet te beoordelen: schatting" in housing  # an estimate is never met by itself
    research = [row for row in rows if "Onderzoek aanpak woningen De Hees" in row][0]
    assert "ruim 480 woningen" in research


def test_an_estimated_realisation_is_never_met_by_itself(jaarschijf):
    value = set_realised("DAEB-toewijzing", 86, comparator="circa")

    assert value.is_met() is None
    assert value.verdict == "Niet te beoordelen: schatting"


def test_a_target_not_yet_set_is_a_state_and_a_remaining_quota_keeps_its_label(client, kernteamlid):
    rows = table(get(client, kernteamlid, "dashboard"), "Kengetallen")
    quota = [row for row in rows if "Taakstelling huisvesting vergunninghouders" in row[1]]

    second_half = [row for row in quota if "2e halfjaar 2024" in row][0]
    assert "Nog niet vastgesteld" in second_half
    remaining = [row for row in quota if "2023" in row][0]
    assert "0 (restopgave 2023)" in remaining


def test_the_database_refuses_a_target_state_that_contradicts_the_target(jaarschijf):
    from django.db import IntegrityError, transaction

    from agreements.models import IndicatorValue

    value = IndicatorValue.objects.get(indicator__name="DAEB-toewijzing")
    with pytest.raises(IntegrityError, match="indicator_value_target_state"), transaction.atomic():
        IndicatorValue.objects.filter(pk=value.pk).update(target=None)
    with pytest.raises(IntegrityError, match="comparator_valid"), transaction.atomic():
        IndicatorValue.objects.filter(pk=value.pk).update(target_comparator="ongeveer")


def test_the_renovation_headline_reconciles_with_the_table_exactly(client, kernteamlid):
    from overview.figures import headline_figures
    from projects.models import Project

    paadweg = Project.objects.get(jaarschijf__year=2024, name="Paadweg")
    assert (paadweg.dwellings, paadweg.dwellings_after, paadweg.counted_dwellings) == (17, 9, 9)
    rows = {row["figure"].label: row for row in headline_figures(paadweg.jaarschijf)}
    assert rows["Woningen renovatie"]["computed"] == 245  # Paadweg 9, Saffierflat once
    assert not rows["Woningen renovatie"]["differs"]
    assert rows["Complexen renovatie"]["computed"] == 10
    text = page_text(get(client, kernteamlid, "dashboard"))
    assert "245 Woningen renovatie Berekend uit de tabellen; gelijk aan het document." in text


def test_unknown_project_counts_are_shown_with_completeness_and_geen_is_zero(client, kernteamlid):
    from projects.models import Project

    sold = Project.objects.filter(jaarschijf__year=2024, category="verkoop")
    assert sorted(p.dwellings for p in sold) == [0, 0, 3, 14, 38]  # "Geen" is a known zero
    assert sold.get(corporation=party("Woonpunt")).dwellings_comparator == "circa"  # "ca. 14"
    rows = table(get(client, kernteamlid, "dashboard"), "Projecten per categorie")

    purchase = row_of(rows, "Aankoop")
    assert purchase[2] == "0 (1 van 5 bekend)"  # four 'Onbekend', one 'Geen'
    assert row_of(rows, "Verkoop")[2] == "circa 55"


def test_a_bat_total_over_a_missing_figure_says_it_is_incomplete(client, kernteamlid):
    from sustainability.models import BatStock

    BatStock.objects.filter(corporation=party("Weller"), bat_class="BAT3").delete()
    rows = table(get(client, kernteamlid, "dashboard"), "Woningen per BAT-klasse")

    assert row_of(rows, "Weller")[-1].endswith("(3 van 4 bekend)")
    totals = row_of(rows, "Totaal")
    assert totals[3].endswith("(4 van 5 bekend)")  # BAT3 over the five corporations
    assert totals[-1].endswith("(19 van 20 bekend)")


# --- The workbook ------------------------------------------------------------------------


def workbook(jaarschijf):
    from .helpers_evaluation import export_bytes, open_workbook

    return open_workbook(export_bytes(jaarschijf))


def sheet_rows(ws) -> list[dict]:
    from .helpers_evaluation import data_rows, header

    names = header(ws)
    return [dict(zip(names, row, strict=False)) for row in data_rows(ws)]


def summary_table(ws, heading: str) -> list[tuple]:
    """The rows of one small table of the Samenvatting sheet, below its heading."""
    rows = list(ws.iter_rows(values_only=True))
    start = next(i for i, row in enumerate(rows) if row[0] == heading)
    table = []
    for row in rows[start + 1 :]:
        if not any(value is not None for value in row):
            break
        table.append(row)
    return table


def test_kengetallen_sheet_has_the_comparator_beside_the_number_and_judges_with_it(jaarschijf):
    set_realised("DAEB-toewijzing", 84)
    set_realised("Verhuurde woningen corporaties in Heerlen", 16300)
    rows = sheet_rows(workbook(jaarschijf)["Kengetallen"])
    by_name = {(row["Kengetal"], row["Periode"]): row for row in rows}

    daeb = by_name[("DAEB-toewijzing", "2024")]
    assert (daeb["Vergelijking doel"], daeb["Doel"], daeb["Realisatie"]) == ("minimaal", 85, 84)
    assert daeb["Gehaald?"] == "Nee"  # below a floor of 85 %
    assert by_name[("Vrije toewijzing", "2024")]["Vergelijking doel"] == "maximaal"
    housing = by_name[("Verhuurde woningen corporaties in Heerlen", "2024")]
    assert (housing["Vergelijking doel"], housing["Doel"]) == ("circa", 16200)
    assert housing["Gehaald?"] == "Niet te beoordelen: schatting"
    research = [row for row in rows if row["Kengetal"] == "Onderzoek aanpak woningen De Hees"][0]
    assert (research["Vergelijking doel"], research["Doel"]) == ("ruim", 480)


def test_workbook_keeps_geen_as_zero_and_unknown_as_empty(jaarschijf):
    wb = workbook(jaarschijf)
    quota = [
        row
        for row in sheet_rows(wb["Kengetallen"])
        if row["Kengetal"] == "Taakstelling huisvesting vergunninghouders"
    ]
    second_half = [row for row in quota if row["Periode"] == "2024-H2"][0]
    assert second_half["Doel"] is None and second_half["Status doel"] == "Nog niet vastgesteld"
    remaining = [row for row in quota if row["Periode"] == "2023"][0]
    assert (remaining["Doel"], remaining["Soort doel"]) == (0, "restopgave 2023")

    projects = sheet_rows(wb["Projecten"])
    geen = [p for p in projects if p["Woningen (document)"] == "Geen"]
    assert len(geen) == 3 and all(p["Woningen"] == 0 for p in geen)
    unknown = [p for p in projects if p["Woningen (document)"] == "Onbekend"]
    assert unknown and all(p["Woningen"] is None for p in unknown)

    efg = sheet_rows(wb["EFG-labels"])
    year_2024 = [row for row in efg if row["Jaar"] == 2024][0]
    assert year_2024["Woonpunt doel"] is None  # "t.b."
    assert year_2024["Wonen Limburg doel"] == 26


def test_samenvatting_shows_the_renovation_headline_as_computed_245_equal_to_printed(jaarschijf):
    headline = summary_table(workbook(jaarschijf)["Samenvatting"], "Kerncijfers")
    renovation = [row for row in headline if row[0] == "Woningen renovatie"][0]

    assert renovation[2:6] == (
        245,
        245,
        0,
        "Volledig: 10 van 10 projecten bekend. Berekend = document.",
    )


def test_samenvatting_headline_says_the_completeness_of_each_figure_in_words(jaarschijf):
    headline = {
        row[0]: row for row in summary_table(workbook(jaarschijf)["Samenvatting"], "Kerncijfers")
    }

    efg = headline["Te verbeteren energielabels"]
    assert efg[2:5] == (1581, 1581, 0)
    assert efg[5].startswith("Onvolledig: 4 van 5 corporaties bekend;")
    sale = headline["Woningen verkoop"][5]
    assert sale.startswith("Volledig: 5 van 5 projecten bekend; 1 aantal bij benadering (circa)")


def test_projecten_sheet_carries_description_breakdowns_delivery_and_duplicate_flag(jaarschijf):
    from projects.models import Project

    Project.objects.filter(name="Vijgenweg").update(expected_year=2025, expected_quarter=3)
    rows = sheet_rows(workbook(jaarschijf)["Projecten"])

    paadweg = [row for row in rows if row["Project"] == "Paadweg"][0]
    assert (paadweg["Woningen"], paadweg["Woningen na samenvoegen/splitsen"]) == (17, 9)
    assert paadweg["Huurklasse-uitsplitsing"] == "2e aftoppingsgrens: 4; liberalisatiegrens: 13"
    geerstraat = [row for row in rows if row["Project"] == "Centrum, Schinkel, Geerstraat"][0]
    assert geerstraat["Huurklasse-uitsplitsing"] == "Duur: circa 98; geliberaliseerd: circa 10"
    assert geerstraat["BAT-uitsplitsing"] == "BAT-2: 108"
    saffier = [row for row in rows if row["Project"].startswith("Saffierflat")]
    assert [row["Mogelijk dubbel met"] is not None for row in saffier] == [False, True]
    woonpunt_sale = [
        row for row in rows if row["Categorie"] == "Verkoop" and row["Corporatie"] == "Woonpunt"
    ][0]
    assert woonpunt_sale["Vergelijking woningen"] == "circa"  # "ca. 14 woningen"
    assert woonpunt_sale["Omschrijving"].startswith("Woonpunt verkoopt de komende tien jaar")
    vijgenweg = [row for row in rows if row["Project"] == "Vijgenweg"][0]
    assert vijgenweg["Verwachte oplevering"] == "Q3 2025"


def test_workbook_compares_a_partial_realisation_like_for_like_and_states_completeness(
    jaarschijf, only_weller_reported
):
    wb = workbook(jaarschijf)
    efg = summary_table(wb["Samenvatting"], "EFG-labels per jaar (alle corporaties)")
    header, rows = efg[0], {row[0]: dict(zip(efg[0], row, strict=False)) for row in efg[1:]}

    assert header[1] == "Soort"
    assert rows[2022]["Soort"] == "stand (peildatum)" and rows[2023]["Soort"] == "stand (peildatum)"
    assert rows[2024]["Soort"] == "doel"
    assert rows[2024]["Stand of doel totaal"] == 1581 and rows[2024]["Bekend"] == "4 van 5 bekend"
    assert rows[2025]["Realisatie gemeld"] == "1 van 5 corporaties"
    assert rows[2025]["Realisatie totaal"] == 541
    assert rows[2025]["Doel van dezelfde corporaties"] == 352  # Weller's, not all five

    labels = {row["Jaar"]: row for row in sheet_rows(wb["EFG-labels"])}
    assert labels[2022]["Soort"] == "stand (peildatum)"
    assert labels[2025]["Totaal realisatie gemeld"] == "1 van 5 gemeld"
    assert labels[2025]["Doel van de corporaties die realisatie meldden"] == 352
    assert labels[2024]["Totaal doel bekend"] == "4 van 5 bekend"

    categories = summary_table(wb["Samenvatting"], "Projecten per categorie")
    purchase = [row for row in categories if row[0] == "Aankoop (inponden)"][0]
    assert purchase[3:6] == ("exact", 0, "1 van 5 bekend")


def test_party_page_and_project_filter_use_the_one_list_of_wijken(client, kernteamlid):
    from projects.models import Neighbourhood, Project

    Neighbourhood.objects.create(name="Zonder projecten", sort_order=99)
    html = get(client, kernteamlid, "party-detail", "weller").content.decode()
    weller = Project.objects.filter(jaarschijf__year=2024, corporation=party("Weller")).counted()
    vrieheide = weller.filter(neighbourhood="Vrieheide").count()

    assert "Per wijk" in html
    assert f"Vrieheide</a> ({vrieheide} projecten)" in html
    assert "neighbourhood=Vrieheide" in html

    listing = get(client, kernteamlid, "project-list").content.decode()
    assert '<option value="Vrieheide">' in listing
    assert "Zonder projecten" not in listing  # only wijken with projects this jaarschijf


def test_kengetallen_sheet_keeps_the_documents_words_and_what_each_number_is(jaarschijf):
    """READING-2 B3/B4/B5: the qualifiers, the document's sentence and the note are exported."""
    rows = {
        (row["Kengetal"], row["Partij"], row["Periode"]): row
        for row in sheet_rows(workbook(jaarschijf)["Kengetallen"])
    }

    housing = rows[("Huisvesting kandidaten via Loket Housing", "Woningcorporaties", "2024")]
    assert housing["Doel"] == 120
    assert housing["Soort doel"] == "begroot voor de regio Parkstad Limburg"
    assert "begroot voor de regio Parkstad Limburg" in housing["In het document"]
    assert housing["Toelichting kengetal"].startswith("Geldt voor de regio Parkstad Limburg")

    relets = rows[("Herverhuringen", "Woningcorporaties", "2024")]
    assert (relets["Vergelijking doel"], relets["Doel"]) == ("exact", 1300)
    assert relets["Soort doel"].startswith("verwachting")
    assert relets["In het document"] == ("verwachten wij in 2024 1300 woningen opnieuw te verhuren")
    assert "exclusief op te leveren nieuwbouwwoningen" in relets["Toelichting kengetal"]


def test_projecten_sheet_says_where_the_documents_breakdown_does_not_add_up(jaarschijf):
    """READING-2 B7: the source note (e.g. a breakdown of 137 for 147 dwellings) is exported."""
    rows = sheet_rows(workbook(jaarschijf)["Projecten"])
    by_name = {row["Project"]: row for row in rows}

    assert "tellen op tot 137" in by_name["Slakhorst"]["Opmerking bij de bron"]
    assert "tellen op tot 162" in by_name["Passart, Acasiastraat e.o."]["Opmerking bij de bron"]
    assert "'+65 woningen'" in by_name["Aldenhofpark, Hoensbroek"]["Opmerking bij de bron"]
    assert by_name["Vijgenweg"]["Opmerking bij de bron"] is None
