"""Project counts keep the document's meaning: "N.v.t." is a count that does not apply (neither
unknown nor zero, left out of every completeness) and "+65", "circa", "ruim" keep their
comparator, in the data, on the pages, in the workbook and in the API (READING-2.md B9, B10)."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from core.figures import Comparator, Total
from evaluation.services import create_next_jaarschijf
from overview.figures import headline_figures
from projects.models import CountState, Project

from .factories import YEAR, login
from .helpers_dashboard import page_text, row_of, table
from .test_honest_figures import sheet_rows, summary_table, workbook

pytestmark = pytest.mark.django_db

GRONDPOSITIES = "Grondposities in samenwerking met gemeente Heerlen onderzoeken."


def grondposities() -> Project:
    return Project.objects.get(jaarschijf__year=YEAR, name__startswith=GRONDPOSITIES)


def aldenhofpark() -> Project:
    return Project.objects.get(jaarschijf__year=YEAR, name="Aldenhofpark, Hoensbroek")


def research_row(rows):
    return row_of(rows, "Onderzoek")


# --- The data ----------------------------------------------------------------------------


def test_the_fixture_holds_nvt_for_grondposities_and_minimaal_for_plus_65(jaarschijf):
    plot = grondposities()
    assert (plot.dwellings_text, plot.dwellings, plot.dwellings_state) == ("N.v.t.", None, "nvt")
    assert plot.dwellings_in_words == "n.v.t. (niet van toepassing)"

    plus = aldenhofpark()
    assert (plus.dwellings_text, plus.dwellings, plus.dwellings_comparator) == (
        "+65 woningen",
        65,
        "minimaal",
    )
    assert plus.dwellings_in_words == "minimaal 65"
    # Only the document's N.v.t. does not apply; only its '+65', 'ca.' and 'Circa' are not exact.
    assert Project.objects.filter(dwellings_state=CountState.NIET_VAN_TOEPASSING).count() == 1
    qualified = Project.objects.exclude(dwellings_comparator=Comparator.EXACT)
    assert sorted(qualified.values_list("dwellings_comparator", flat=True)) == [
        "circa",
        "minimaal",
    ]


def test_the_database_refuses_a_count_for_a_project_that_does_not_apply(jaarschijf):
    plot = grondposities()
    plot.dwellings = 4
    with pytest.raises(ValidationError) as refused:
        plot.full_clean()
    assert "Bij 'niet van toepassing' blijft het aantal woningen leeg" in str(refused.value)

    with transaction.atomic(), pytest.raises(IntegrityError, match="project_not_applicable"):
        Project.objects.filter(pk=plot.pk).update(dwellings=4)


def test_a_comparator_without_a_count_is_refused(jaarschijf):
    unknown = Project.objects.filter(jaarschijf__year=YEAR, dwellings_text="Onbekend").first()
    unknown.dwellings_comparator = Comparator.CIRCA
    with pytest.raises(ValidationError) as refused:
        unknown.full_clean()
    assert "Een vergelijking (circa, minimaal, …) hoort bij een aantal" in str(refused.value)

    with transaction.atomic(), pytest.raises(IntegrityError, match="comparator_needs_count"):
        Project.objects.filter(pk=unknown.pk).update(dwellings_comparator="circa")


def test_a_total_leaves_out_what_does_not_apply_and_says_what_kind_of_sum_it_is():
    research = Total.with_comparators(1906, 35, 38, 1)
    assert research.completeness() == "35 van 38 bekend, 1 n.v.t."
    assert str(research) == "1.906 (onvolledig: 35 van 38 bekend, 1 n.v.t.)"

    new = Total.with_comparators(446, 9, 9, minimaal=1)
    assert new.comparator == "minimaal" and new.number_words == "minimaal 446"
    assert new.sentence("project", "projecten") == (
        "Volledig: 9 van 9 projecten bekend; 1 aantal minimaal, de som is dus een ondergrens."
    )
    # An estimate in the sum makes the whole sum an estimate, also beside a floor.
    mixed = new + Total.with_comparators(55, 5, 5, circa=1)
    assert (mixed.comparator, mixed.number_words) == ("circa", "circa 501")
    assert mixed.qualification == (
        "1 aantal minimaal, 1 aantal bij benadering (circa), de som is dus bij benadering"
    )
    # Floors and ceilings together bound nothing: an estimate too.
    assert Total.with_comparators(10, 2, 2, minimaal=1, maximaal=1).comparator == "circa"
    assert Total.with_comparators(10, 2, 2, maximaal=1).comparator == "maximaal"
    assert str(Total(None, 0, 0, 1)) == "n.v.t."


# --- Completeness ------------------------------------------------------------------------


def test_the_research_completeness_leaves_nvt_out_of_known_and_count(jaarschijf):
    categories = {
        row["category"]: row for row in Project.objects.filter(jaarschijf=jaarschijf).per_category()
    }
    research = categories["onderzoek"]["planned_total"]

    assert (research.value, research.known, research.count, research.not_applicable) == (
        1906,
        35,
        38,
        1,
    )
    assert research.completeness() == "35 van 38 bekend, 1 n.v.t."
    assert categories["onderzoek"]["realised_total"].count == 38


def test_the_nieuwbouw_sum_over_plus_65_says_it_is_a_lower_bound(jaarschijf):
    categories = {
        row["category"]: row for row in Project.objects.filter(jaarschijf=jaarschijf).per_category()
    }
    new = categories["nieuwbouw"]["planned_total"]
    assert (new.value, new.comparator) == (446, "minimaal")
    # The sale headline stays an estimate (Woonpunt 'ca. 14'): unchanged wording.
    rows = {row["figure"].label: row for row in headline_figures(jaarschijf)}
    assert rows["Woningen verkoop"]["completeness"] == (
        "Volledig: 5 van 5 projecten bekend; 1 aantal bij benadering (circa), de som dus ook."
    )


# --- Pages -------------------------------------------------------------------------------


def test_the_dashboard_shows_nvt_apart_and_the_lower_bound_in_words(client, kernteamlid):
    login(client, kernteamlid)
    rows = table(client.get(reverse("overview:dashboard")), "Projecten per categorie")

    assert research_row(rows)[2] == "1.906 (35 van 38 bekend, 1 n.v.t.)"
    assert row_of(rows, "Nieuwbouw")[2] == "minimaal 446"
    assert row_of(rows, "Verkoop")[2] == "circa 55"


def test_the_project_list_and_detail_show_nvt_and_minimaal_in_words(client, kernteamlid):
    login(client, kernteamlid)
    listing = client.get(reverse("overview:project-list"), {"category": "onderzoek"})
    text = page_text(listing)
    assert "n.v.t. (telt niet mee)" in text
    assert "1 project met ‘n.v.t.’ (niet van toepassing) telt niet als onbekend" in text
    footer = row_of(table(listing, "Projecten"), "Totaal (39 projecten)")
    assert "1.906 (35 van 38 bekend, 1 n.v.t.)" in footer

    new = page_text(client.get(reverse("overview:project-list"), {"category": "nieuwbouw"}))
    assert "minimaal 65" in new
    assert "Van de geplande woningen: 1 aantal minimaal, de som is dus een ondergrens." in new

    detail = page_text(client.get(grondposities().get_absolute_url()))
    assert "n.v.t. (niet van toepassing) (in het document: ‘N.v.t.’)" in detail
    detail = page_text(client.get(aldenhofpark().get_absolute_url()))
    assert "minimaal 65 (in het document: ‘+65 woningen’)" in detail


def test_the_report_per_corporation_says_nvt_and_counts_the_merged_result(client, kernteamlid):
    login(client, kernteamlid)
    page = client.get(reverse("evaluation:evaluation-report", args=[YEAR]))
    rows = table(page, "Per corporatie en categorie")

    woonpunt = [row for row in rows if row[:2] == ["Woonpunt", "Onderzoek"]][0]
    assert woonpunt[3] == "565 (4 van 4 bekend, 1 n.v.t.)"  # Versliënbosch … Passart
    renovation = [row for row in rows if row[:2] == ["Woonpunt", "Renovatie"]][0]
    assert renovation[3] == "9"  # Paadweg: 17 duplexes merged into 9 family homes


# --- Workbook and API --------------------------------------------------------------------


def test_the_projecten_sheet_has_the_comparator_and_nvt_beside_the_number(jaarschijf):
    wb = workbook(jaarschijf)
    rows = sheet_rows(wb["Projecten"])

    plus = [row for row in rows if row["Project"] == "Aldenhofpark, Hoensbroek"][0]
    assert (plus["Woningen"], plus["Vergelijking woningen"], plus["Aantal van toepassing"]) == (
        65,
        "minimaal",
        "ja",
    )
    plot = [row for row in rows if row["Project"].startswith(GRONDPOSITIES)][0]
    assert (plot["Woningen"], plot["Vergelijking woningen"], plot["Aantal van toepassing"]) == (
        None,
        None,
        "n.v.t.",
    )

    categories = summary_table(wb["Samenvatting"], "Projecten per categorie")
    header = categories[0]
    by_category = {row[0]: dict(zip(header, row, strict=False)) for row in categories[1:]}
    research = by_category["Onderzoek"]
    assert (research["Woningen gepland"], research["Gepland bekend"]) == (
        1906,
        "35 van 38 bekend, 1 n.v.t.",
    )
    new = by_category["Nieuwbouw"]
    assert (new["Vergelijking gepland"], new["Woningen gepland"]) == ("minimaal", 446)
    assert (
        new["Gepland bekend"] == "9 van 9 bekend; 1 aantal minimaal, de som is dus een ondergrens"
    )
    assert by_category["Totaal"]["Vergelijking gepland"] == "circa"  # minimaal + circa


def test_the_api_and_open_data_carry_the_comparator_and_the_state(client, jaarschijf, settings):
    settings.PUBLIC_DASHBOARD = True
    response = client.get("/api/v1/projecten", {"page_size": 200, "categorie": "onderzoek"})
    assert response.status_code == 200, response.content
    results = client.get("/api/v1/projecten", {"page_size": 200}).json()["results"]
    by_name = {row["name"]: row for row in results}

    plot = next(row for name, row in by_name.items() if name.startswith(GRONDPOSITIES))
    assert (plot["dwellings"], plot["dwellings_state"]) == (None, "nvt")
    plus = by_name["Aldenhofpark, Hoensbroek"]
    assert (plus["dwellings"], plus["dwellings_comparator"], plus["dwellings_approximate"]) == (
        65,
        "minimaal",
        False,
    )

    figures = client.get("/api/v1/kerncijfers", {"page_size": 200}).json()["results"]
    sale = next(row for row in figures if row["label"] == "Woningen verkoop")
    assert (sale["computed"], sale["comparator"]) == (55, "circa")
    assert sale["completeness"].startswith("Volledig: 5 van 5 projecten bekend; 1 aantal bij")

    schema = client.get("/api/v1/openapi.json").json()
    project = schema["components"]["schemas"]["Project"]["properties"]
    assert "minimaal (‘+65’)" in project["dwellings_comparator"]["description"]
    assert "‘N.v.t.’" in project["dwellings_state"]["description"]

    dictionary = client.get("/open-data/").content.decode()
    assert "<code>dwellings_state</code>" in dictionary
    assert "<code>dwellings_comparator</code>" in dictionary


def test_the_next_jaarschijf_keeps_the_comparator_and_the_state(jaarschijf, kernteamlid):
    create_next_jaarschijf(source=jaarschijf, user=kernteamlid)
    carried = Project.objects.filter(jaarschijf__year=YEAR + 1)

    plus = carried.get(name="Aldenhofpark, Hoensbroek")
    assert (plus.dwellings, plus.dwellings_comparator) == (65, "minimaal")
    assert carried.get(name__startswith=GRONDPOSITIES).dwellings_state == "nvt"
    assert carried.get(name="Paadweg").counted_dwellings == 9  # the merge goes along too
