"""The same figures of each jaarschijf side by side."""

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agreements.models import Action, Jaarschijf
from evaluation.compare import (
    action_status_counts,
    comparison,
    efg_own_year_totals,
    project_figures,
)
from evaluation.services import create_next_jaarschijf
from projects.models import Project
from sustainability.models import EnergyLabelFigure

from .factories import YEAR, action, login, make_progress_update
from .helpers_evaluation import label_figure, project

pytestmark = pytest.mark.django_db


def make_2025(user) -> Jaarschijf:
    return create_next_jaarschijf(source=Jaarschijf.objects.get(year=YEAR), user=user).jaarschijf


def row(table, section_title, label):
    section = next(s for s in table.sections if s.title == section_title)
    return next(r for r in section.rows if r.label == label)


def test_actions_are_counted_by_their_latest_status_per_year(kernteamlid, jaarschijf):
    make_progress_update(action("1.7"), kernteamlid, status="afgerond", percent_done=100)
    make_progress_update(action("1.8"), kernteamlid, status="afgerond", percent_done=100)
    make_progress_update(action("1.8"), kernteamlid, status="vertraagd", explanation="Toch niet")
    make_2025(kernteamlid)

    counts = action_status_counts(Action.objects.all())

    assert counts[2024] == {"niet_gestart": 65, "afgerond": 1, "vertraagd": 1}
    # 1.7 was finished: 66 actions carried, none with an update yet.
    assert counts[2025] == {"niet_gestart": 66}


def test_project_figures_count_a_possible_duplicate_once(jaarschijf):
    slakhorst = project("Slakhorst")
    slakhorst.realised_dwellings = 40
    slakhorst.status = "gerealiseerd"
    slakhorst.save()

    figures = project_figures(Project.objects.all())[2024]

    per_category = {
        r["category"]: r for r in Project.objects.filter(jaarschijf=jaarschijf).per_category()
    }
    for category, values in figures.items():
        assert values["planned"] == per_category[category]["planned"]
        assert values["projects"] == per_category[category]["projects"]
    assert figures["nieuwbouw"]["realised"] == 40
    assert figures["nieuwbouw"]["completed"] == 1
    assert figures["sloop"]["realised"] is None  # unknown, not 0
    # The renovation table counts the Saffierflat twice in the document, once here.
    assert (
        figures["renovatie"]["projects"]
        == Project.objects.filter(jaarschijf=jaarschijf, category="renovatie").count() - 1
    )


def test_efg_totals_are_those_of_each_jaarschijfs_own_year(kernteamlid, jaarschijf):
    make_2025(kernteamlid)
    weller = label_figure("Weller", 2024)
    weller.realised = 470
    weller.save()

    totals = efg_own_year_totals(EnergyLabelFigure.objects.all())

    assert totals[2024]["target_total"] == 474 + 26 + 475 + 606
    assert totals[2024]["unknown_targets"] == 1  # Woonpunt: "t.b."
    assert totals[2024]["realised_total"] == 470
    assert totals[2025]["target_total"] == 352 + 0 + 451 + 486


def test_comparison_puts_the_years_side_by_side(kernteamlid, jaarschijf):
    make_progress_update(action("1.7"), kernteamlid, status="afgerond", percent_done=100)
    make_2025(kernteamlid)

    table = comparison(Jaarschijf.objects.all())

    assert [j.year for j in table.jaarschijven] == [2024, 2025]
    assert row(table, "Afspraken per status", "Afgerond").values == [1, 0]
    assert row(table, "Afspraken per status", "Totaal afspraken").values == [67, 66]
    efg = row(
        table, "EFG-labels (alle corporaties)", "EFG-labels: doel in het jaar van de jaarschijf"
    )
    assert efg.values == [1581, 352 + 0 + 451 + 486]
    # A total over the known figures says of how many corporations (Woonpunt: "t.b.").
    assert efg.notes == ["4 van 5 corporaties", "4 van 5 corporaties"]
    planned = row(table, "Woningen per projectcategorie", "Nieuwbouw: woningen gepland")
    assert planned.values[0] == planned.values[1]  # nothing realised, all carried


def test_compare_page_shows_a_table_across_years(client, kernteamlid, jaarschijf):
    make_2025(kernteamlid)
    login(client, kernteamlid)

    response = client.get(reverse("evaluation:compare-years"))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Jaarschijven vergelijken" in page
    assert (
        '<th scope="col" class="heerlen-num"><a class="utrecht-link utrecht-link--html-a" href="/jaarschijf/2024/">2024</a>'
        in page
    )
    assert '2025</a> <span class="heerlen-muted">(concept)</span>' in page
    assert "1.581" in page  # Dutch thousands separator
    assert "Nieuwbouw: woningen gepland" in page


def test_compare_page_needs_the_same_queries_for_more_years(
    client, kernteamlid, jaarschijf, django_assert_max_num_queries
):
    login(client, kernteamlid)
    client.get(reverse("overview:dashboard"))  # the first page after login renews the session

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("evaluation:compare-years")).status_code == 200
        return len(captured)

    one_year = queries()
    make_2025(kernteamlid)
    assert queries() == one_year
    with django_assert_max_num_queries(15):
        client.get(reverse("evaluation:compare-years"))


def test_compare_page_needs_a_login_unless_the_dashboard_is_public(client, jaarschijf):
    response = client.get(reverse("evaluation:compare-years"))
    assert response.status_code == 302
    with override_settings(PUBLIC_DASHBOARD=True):
        assert client.get(reverse("evaluation:compare-years")).status_code == 200


def test_compare_page_shows_the_five_most_recent_years_unless_asked_otherwise(
    client, kernteamlid, jaarschijf
):
    source = jaarschijf
    for _ in range(5):
        source = create_next_jaarschijf(source=source, user=kernteamlid).jaarschijf
    login(client, kernteamlid)

    shown = client.get(reverse("evaluation:compare-years")).context["comparison"].jaarschijven
    assert [j.year for j in shown] == [2025, 2026, 2027, 2028, 2029]

    shown = client.get(reverse("evaluation:compare-years"), {"van": "2024", "tot": "2025"})
    assert [j.year for j in shown.context["comparison"].jaarschijven] == [2024, 2025]


def test_compare_page_explains_a_range_that_runs_backwards(client, kernteamlid, jaarschijf):
    make_2025(kernteamlid)
    login(client, kernteamlid)
    response = client.get(reverse("evaluation:compare-years"), {"van": "2025", "tot": "2024"})
    assert response.status_code == 200
    assert "Het beginjaar ligt na het eindjaar." in response.content.decode()
    assert [j.year for j in response.context["comparison"].jaarschijven] == [2024, 2025]


def test_the_set_based_counts_agree_with_the_latest_status_of_every_action(kernteamlid, jaarschijf):
    from django.core.management import call_command

    from evaluation.compare import status_counts_per_year

    call_command("generate_data", scale=2, verbosity=0)
    make_progress_update(action("1.7"), kernteamlid, status="afgerond", percent_done=100)

    counted = status_counts_per_year(Jaarschijf.objects.all())

    assert counted == action_status_counts(Action.objects.all())
    assert set(counted) == {2024, 2099, 2100}
    assert counted[2024]["afgerond"] == 1


def test_the_compare_page_pages_through_the_years_the_newest_first(client, kernteamlid, jaarschijf):
    from django.core.management import call_command

    call_command("generate_data", scale=6, verbosity=0)  # 2095–2100 next to 2024
    login(client, kernteamlid)
    url = reverse("evaluation:compare-years")

    first = client.get(url)
    assert [c.year for c in first.context["comparison"].columns] == [2096, 2097, 2098, 2099, 2100]
    html = first.content.decode()
    assert "Jaarschijf 2096 tot en met 2100 van 7 jaarschijven; 5 per pagina" in html
    assert 'aria-label="Paginering jaarschijven"' in html
    assert 'href="?pagina=2">Eerdere jaarschijven</a>' in html
    # The years are typed, not listed: no option per jaarschijf in the form.
    form = html[html.index('<form method="get"') :]
    form = form[: form.index("</form>")]
    assert "<option" not in form
    assert 'type="number" name="van"' in form

    second = client.get(url, {"pagina": 2})
    assert [c.year for c in second.context["comparison"].columns] == [2024, 2095]
    assert "Latere jaarschijven" in second.content.decode()

    chosen = client.get(url, {"van": "2097", "tot": "2098"})
    assert [c.year for c in chosen.context["comparison"].columns] == [2097, 2098]
    assert "2 jaarschijven in deze periode." in chosen.content.decode()

    wrong = client.get(url, {"van": "12"})
    assert "Vul een jaar in tussen 2000 en 9999, bijvoorbeeld 2024." in wrong.content.decode()
    assert len(wrong.context["comparison"].columns) == 5


def test_the_compare_page_runs_the_same_queries_at_scale_1_and_10(client, kernteamlid, jaarschijf):
    from django.core.management import call_command

    login(client, kernteamlid)
    client.get(reverse("overview:dashboard"))
    counts = []
    for scale in (1, 10):
        call_command("generate_data", scale=scale, verbosity=0)
        for params in ({}, {"pagina": 2}):
            client.get(reverse("evaluation:compare-years"), params)
            with CaptureQueriesContext(connection) as captured:
                client.get(reverse("evaluation:compare-years"), params)
            counts.append(len(captured))
    assert counts[0] == counts[2] and counts[1] == counts[3], counts


def test_compare_page_with_one_jaarschijf_says_1_jaarschijf(client, kernteamlid, jaarschijf):
    login(client, kernteamlid)

    page = client.get(reverse("evaluation:compare-years")).content.decode()

    assert "1 jaarschijf." in page
    assert "1 jaarschijven" not in page
