"""The dashboard of a jaarschijf: where the agreements stand, without reading 67 actions."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone

from agreements.models import Action, IndicatorValue, Jaarschijf, ProgressUpdate
from overview.jaarschijf import SESSION_KEY
from projects.models import Project
from sustainability.models import BatStock, EnergyLabelFigure

from .factories import action, login, make_progress_update, party
from .helpers_dashboard import make_update_days_ago, page_text, row_of, table

pytestmark = pytest.mark.django_db


def dutch(number: int) -> str:
    return f"{number:,}".replace(",", ".")


@pytest.fixture
def everything_recently_updated(jaarschijf):
    """Every action got an 'op schema' update yesterday, so only what a test changes stands out."""
    ProgressUpdate.objects.bulk_create(
        ProgressUpdate(
            action=a,
            status="op_schema",
            percent_done=20,
            created_at=timezone.now() - timedelta(days=5),
        )
        for a in Action.objects.filter(jaarschijf=jaarschijf)
    )


def rows_in(category: str) -> int:
    return Project.objects.filter(jaarschijf__year=2024, category=category).counted().count()


def dashboard(client, user, **params):
    login(client, user)
    return client.get(reverse("overview:dashboard"), params)


def test_headline_figures_are_computed_and_the_printed_figure_is_shown_where_it_differs(
    client, kernteamlid
):
    renovation = Project.objects.filter(jaarschijf__year=2024, category="renovatie").counted()
    renovation.filter(name="Vijgenweg").update(dwellings=20)  # 18 in the document

    text = page_text(dashboard(client, kernteamlid))

    assert "247 Woningen renovatie" in text
    assert "In het document: 245" in text
    assert "55 Woningen verkoop Berekend uit de tabellen; gelijk aan het document." in text
    # Woonpunt's "ca. 14 woningen" is one of the five: the sum is an estimate too.
    assert (
        "Volledig: 5 van 5 projecten bekend; 1 aantal bij benadering (circa), de som dus ook."
        in text
    )


def test_headline_figure_follows_the_project_table_when_a_project_changes(client, kernteamlid):
    project = Project.objects.get(jaarschijf__year=2024, category="verkoop", position=1)
    project.dwellings += 10
    project.save()

    text = page_text(dashboard(client, kernteamlid))

    assert "65 Woningen verkoop" in text
    assert "In het document: 55" in text


def test_efg_headline_total_says_in_words_how_many_corporations_it_covers(client, kernteamlid):
    page = dashboard(client, kernteamlid)
    text = page_text(page)
    cards = page.content.decode().split('id="kerncijfers"')[1].split("</section>")[0]

    assert "1.581 Te verbeteren energielabels" in text
    assert (
        "Onvolledig: 4 van 5 corporaties bekend; de onbekende tellen niet mee, "
        "het werkelijke aantal kan hoger zijn." in text
    )
    assert "*" not in cards  # no mark to decode: the completeness is said in words


def test_a_headline_over_projects_with_an_unknown_count_says_how_many_are_unknown(
    client, kernteamlid
):
    sold = Project.objects.filter(jaarschijf__year=2024, category="verkoop")
    sold.filter(corporation=party("Weller")).update(dwellings=None)  # "3 (van de 7)" unknown now

    text = page_text(dashboard(client, kernteamlid))

    assert "52 Woningen verkoop" in text
    assert "In het document: 55" in text
    assert "Onvolledig: 4 van 5 projecten bekend; de onbekende tellen niet mee" in text


def test_status_per_theme_counts_the_latest_update_of_each_action(client, kernteamlid):
    make_update_days_ago(action("1.7"), 20, status="op_schema")
    make_update_days_ago(action("1.7"), 2, status="vertraagd")
    make_update_days_ago(action("1.8"), 3, status="afgerond", percent_done=100)
    in_theme_1 = Action.objects.filter(jaarschijf__year=2024, theme__number=1).count()

    rows = table(dashboard(client, kernteamlid), "Aantal afspraken per thema en status")

    header = rows[0]
    theme_1 = dict(zip(header, row_of(rows, "1. "), strict=True))
    assert theme_1["Vertraagd"] == "1"
    assert theme_1["Afgerond"] == "1"
    assert theme_1["Op schema"] == "0"
    assert theme_1["Niet gestart"] == str(in_theme_1 - 2)
    assert theme_1["Totaal"] == str(in_theme_1)
    assert row_of(rows, "Totaal")[-1] == "67"


def test_status_takeaway_sums_up_the_statuses_in_one_sentence(client, kernteamlid):
    make_update_days_ago(action("2.1"), 2, status="vertraagd")

    text = page_text(dashboard(client, kernteamlid))

    assert "Van de 67 afspraken zijn er 66 niet gestart en 1 vertraagd." in text


def test_aandacht_nodig_lists_late_actions_and_open_actions_without_a_recent_update(
    client, kernteamlid, everything_recently_updated
):
    make_update_days_ago(action("1.7"), 1, status="vertraagd")
    ProgressUpdate.objects.filter(action=action("1.9")).update(
        created_at=timezone.now().replace(year=2023)
    )
    ProgressUpdate.objects.filter(action=action("1.10")).delete()
    make_update_days_ago(action("1.10"), 200, status="afgerond", percent_done=100)

    response = dashboard(client, kernteamlid)

    rows = table(response, "Afspraken die aandacht nodig hebben")
    numbers = [row[0] for row in rows[1:]]
    assert numbers == ["1.7", "1.9"]
    assert (
        "2 afspraken vragen aandacht: 1 vertraagd en 1 zonder voortgangsmelding in de laatste 90 dagen."
        in page_text(response)
    )


def test_aandacht_nodig_rows_are_the_action_lists_rows_with_the_same_columns_and_links(
    client, kernteamlid, everything_recently_updated
):
    make_update_days_ago(action("1.8"), 1, status="vertraagd")

    response = dashboard(client, kernteamlid)
    listed = client.get(reverse("overview:action-list"), {"attention": "on"})

    shown = table(response, "Afspraken die aandacht nodig hebben")
    in_list = table(listed, "Afspraken")
    assert len(shown[0]) == len(in_list[0]) == 10  # Nr. … Te laat, Bijwerken
    row = row_of(shown[1:], "1.8")
    assert row == row_of(in_list[1:], "1.8")
    assert row[3] == "Weller"  # the trekker, as in the list
    html = response.content.decode()
    assert reverse("agreements:action-update", args=[2024, "1.8"]) in html
    assert reverse("agreements:action-detail", args=[2024, "1.8"]) in html


def test_aandacht_nodig_says_so_when_nothing_needs_attention(
    client, kernteamlid, everything_recently_updated
):
    text = page_text(dashboard(client, kernteamlid))

    assert "Geen afspraak is vertraagd" in text


def test_projects_per_category_show_planned_and_realised_dwellings(client, kernteamlid):
    project = Project.objects.get(jaarschijf__year=2024, category="nieuwbouw", position=1)
    project.realised_dwellings = 100
    project.save()
    planned = Project.objects.filter(jaarschijf__year=2024, category="nieuwbouw").aggregate(
        total=Sum("dwellings")
    )["total"]

    rows = table(dashboard(client, kernteamlid), "Projecten per categorie")

    header = rows[0]
    nieuwbouw = dict(zip(header, row_of(rows, "Nieuwbouw"), strict=True))
    # '+65 woningen' is minimaal 65: the sum is a lower bound and says so.
    assert nieuwbouw["Gepland (woningen)"] == f"minimaal {dutch(planned)}"
    reported = project.counted_dwellings
    assert nieuwbouw["Gerealiseerd (woningen)"] == f"100 (1 van {rows_in('nieuwbouw')} gemeld)"
    assert reported == 147
    # Compared with the plan of the same project (100 of 147), not with every project's plan.
    assert nieuwbouw["Gerealiseerd (% van het plan van dezelfde projecten)"] == "68 %"
    sloop = dict(zip(header, row_of(rows, "Sloop"), strict=True))
    assert sloop["Gerealiseerd (woningen)"].startswith("–")  # nothing reported yet: not 0


def test_efg_trajectory_shows_unknown_targets_as_unknown_never_as_zero(client, kernteamlid):
    rows = table(dashboard(client, kernteamlid), "Sociale huurwoningen met een EFG-label")

    years = [cell for cell in rows[0][1:-1]]
    column = 1 + 2 * years.index("2024")  # doel of 2024
    assert row_of(rows, "Woonpunt")[column].startswith("t.b.")
    assert row_of(rows, "Wonen Limburg")[column + 2] == "0"  # a real zero in 2025 stays 0
    assert row_of(rows, "Totaal")[column] == "1.581 (4 van 5 bekend)"
    assert row_of(rows, "Woonpunt")[-1].startswith("Onbekend (t.b.)")
    assert row_of(rows, "Vincio Wonen")[-1].startswith("Nee, doel 208")


def test_efg_takeaway_tells_whether_the_targets_reach_zero_labels_in_the_goal_year(
    client, kernteamlid
):
    text = page_text(dashboard(client, kernteamlid))

    assert (
        "Volgens de afgesproken doelen hebben in 2029 nog minstens 381 woningen een EFG-label "
        "(Wonen Zuid 173, Vincio Wonen 208; doel 2 van 5 corporaties bekend); het doel voor 2029 is nog onbekend (t.b.) voor "
        "Weller, Wonen Limburg, Woonpunt." in text
    )


def test_realised_efg_labels_above_the_target_are_said_in_words(client, kernteamlid):
    EnergyLabelFigure.objects.filter(
        jaarschijf__year=2024, corporation=party("Weller"), year=2024
    ).update(realised=500)

    rows = table(dashboard(client, kernteamlid), "Sociale huurwoningen met een EFG-label")

    assert "500 (boven doel)" in row_of(rows, "Weller")


def test_bat_stock_totals_are_computed_from_the_rows(client, kernteamlid):
    stock = BatStock.objects.filter(jaarschijf__year=2024)
    weller = stock.filter(corporation=party("Weller")).aggregate(total=Sum("count"))["total"]
    stock.filter(corporation=party("Weller"), bat_class="BAT3").update(count=128)
    everything = stock.aggregate(total=Sum("count"))["total"]

    rows = table(dashboard(client, kernteamlid), "Woningen per BAT-klasse")

    assert row_of(rows, "Weller")[-1] == dutch(weller + 100)
    assert row_of(rows, "Totaal")[-1] == dutch(everything)


def test_kengetallen_compare_target_and_realised_and_highlight_the_taakstelling(
    client, kernteamlid
):
    value = IndicatorValue.objects.get(
        indicator__code="4-5-taakstelling-huisvesting-vergunninghouders", period="2024-H1"
    )
    value.realised = 80
    value.save()

    response = dashboard(client, kernteamlid)

    rows = table(response, "Kengetallen")
    quota = [row for row in rows if "1e halfjaar 2024" in row]
    assert quota == [
        [
            "4.5",
            "Taakstelling huisvesting vergunninghouders Taakstelling",
            "Gemeente Heerlen",
            "1e halfjaar 2024",  # the key "2024-H1" in words
            "91",  # the document gives no unit: none is made up
            "80",
            "Nee",
            "Realisatie invullen voor Taakstelling huisvesting vergunninghouders, Gemeente Heerlen, 1e halfjaar 2024",
        ]
    ]
    daeb = row_of([row[1:] for row in rows], "DAEB-toewijzing")
    assert daeb[3] == "minimaal 85 %"
    assert daeb[5] == "Nog niet bekend"
    html = response.content.decode()
    assert html.count("utrecht-table__row--selected") == sum(
        1 for row in rows if "Taakstelling" in row[1].split()
    )


def test_charts_are_inline_svg_without_style_attributes_and_never_colour_alone(client, kernteamlid):
    html = dashboard(client, kernteamlid).content.decode()

    charts = re.findall(r"<svg\b.*?</svg>", html, flags=re.S)
    assert len(charts) >= 4
    for chart in charts:
        assert not re.search(r"\sstyle=", chart)
        assert "<title" in chart
        assert "<script" not in chart
    status_chart = next(chart for chart in charts if "Vertraagd" in chart)
    # Every status has a pattern of its own, not only a colour, and a text label in the legend.
    for label in ("Niet gestart", "Op schema", "Vertraagd", "Afgerond", "Vervallen"):
        assert f">{label}</text>" in status_chart
    assert status_chart.count("<pattern") >= 3


def bar_figures(svg: str) -> list[str]:
    """The numbers written after the bars of a chart (a value, or a stacked bar's total)."""
    return sorted(re.findall(r'text-anchor="start"[^>]*>([\d.]+)</text>', svg))


def test_each_chart_comes_in_a_narrow_layout_with_the_same_labels_and_figures(client, kernteamlid):
    html = dashboard(client, kernteamlid).content.decode()

    pairs = re.findall(
        r'<span class="heerlen-chart__wide heerlen-chart__wide--(\d+)em">(<svg\b.*?</svg>)</span>'
        r'<span class="heerlen-chart__narrow">(<svg\b.*?</svg>)</span>',
        html,
        flags=re.S,
    )
    # Status per theme, projects per category, EFG per year, the EFG of each of the five
    # corporations, BAT stock.
    assert len(pairs) == 9
    for width, wide, narrow in pairs:
        assert f'width="{width}em"' in wide and 'width="21em"' in narrow
        title = re.search(r"<title[^>]*>(.*?)</title>", wide).group(1)
        assert re.search(r"<title[^>]*>(.*?)</title>", narrow).group(1) == title
        texts = re.findall(r"<text[^>]*>([^<]*)</text>", narrow)
        if 'text-anchor="end"' in wide:  # bars: every value (grouped) or total (stacked)
            assert bar_figures(narrow) == bar_figures(wide) != []
            for label in re.findall(r'text-anchor="end"[^>]*>([^<]*)</text>', wide):
                assert any(text.startswith(label.rstrip("…")) for text in texts), label
        else:  # columns per year: every figure and unknown ("t.b."), every year
            assert column_figures(narrow) == column_figures(wide) != []
            for year in re.findall(r'font-weight="bold">(\d{4})</text>', wide):
                assert any(text.startswith(year) for text in texts), year
    status = next(narrow for _width, _wide, narrow in pairs if "Vertraagd" in narrow)
    assert ">3. Duurzaamheid</text>" in status
    # The years of the EFG total carry what each total covers, as under the wide columns.
    assert any(re.search(r">2022 \(stand \d van \d\)</text>", narrow) for *_, narrow in pairs)
    # Two layouts on one page, each with its own ids (patterns, title).
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids))


def column_figures(svg: str) -> list[str]:
    """The values and unknowns written in a chart (not its years, legend or sublabels)."""
    return sorted(
        text
        for text in re.findall(r"<text[^>]*>([^<]*)</text>", svg)
        if re.fullmatch(r"[\d.]+|t\.b\.|onbekend", text) and not re.fullmatch(r"\d{4}", text)
    )


def test_edit_links_for_efg_figures_show_only_to_users_who_may_enter_them(
    client, weller_medewerker, huurder, kernteamlid
):
    def rows_with_link(user):
        response = dashboard(client, user)
        rows = table(response, "Sociale huurwoningen met een EFG-label")
        # The links sit outside the scrolling table, so they stay in view on any screen.
        assert not any("Realisatie invullen" in cell for row in rows for cell in row)
        links = re.search(
            r'<p class="[^"]*heerlen-efg-actions">(.*?)</p>', response.content.decode(), re.S
        )
        return re.findall(r"Realisatie invullen voor </span>([^<]+)</a>", links[1] if links else "")

    assert rows_with_link(weller_medewerker) == ["Weller"]
    assert rows_with_link(huurder) == []
    assert len(rows_with_link(kernteamlid)) == 5


def test_jaarschijf_switch_remembers_the_year_and_returns_to_the_page(client, kernteamlid):
    Jaarschijf.objects.create(
        year=2025, title="Volgende", municipality=party("Gemeente Heerlen"), status="concept"
    )
    login(client, kernteamlid)

    response = client.post(
        reverse("overview:jaarschijf-switch"), {"jaar": "2025", "next": "/projecten/"}
    )

    assert response.status_code == 302
    assert response["Location"] == "/projecten/"
    assert client.session[SESSION_KEY] == 2025
    assert "Jaarschijf 2025" in page_text(client.get(reverse("overview:dashboard")))


def test_jaarschijf_switch_never_sends_the_user_to_another_site(client, kernteamlid):
    login(client, kernteamlid)

    response = client.post(
        reverse("overview:jaarschijf-switch"), {"jaar": "2024", "next": "https://elders.example/"}
    )

    assert response["Location"] == reverse("overview:dashboard")


def test_jaarschijf_switch_drops_a_year_parameter_from_the_page_it_returns_to(client, kernteamlid):
    login(client, kernteamlid)

    response = client.post(
        reverse("overview:jaarschijf-switch"),
        {"jaar": "2024", "next": "/afspraken/?jaar=2023&status=x"},
    )

    assert response["Location"] == "/afspraken/?status=x"


def test_jaarschijf_switch_refuses_an_unknown_year_with_a_dutch_message(client, kernteamlid):
    login(client, kernteamlid)

    response = client.post(reverse("overview:jaarschijf-switch"), {"jaar": "1999"}, follow=True)

    assert SESSION_KEY not in client.session
    assert "Kies een jaarschijf uit de lijst; dat jaar bestaat niet." in page_text(response)
    assert "Jaarschijf 2024" in page_text(response)


def test_text_from_the_data_is_escaped_inside_the_charts(client, kernteamlid, jaarschijf):
    theme = jaarschijf.themes.get(number=1)
    theme.title = "<script>alert(1)</script> & co"
    theme.save()

    html = dashboard(client, kernteamlid).content.decode()

    status_chart = next(
        c for c in re.findall(r"<svg\b.*?</svg>", html, flags=re.S) if "Vertraagd" in c
    )
    assert "&lt;script&gt;" in status_chart
    assert "<script>" not in html


def test_jaarschijf_switch_without_next_returns_to_the_referring_page_of_this_site(
    client, kernteamlid
):
    login(client, kernteamlid)

    back = client.post(
        reverse("overview:jaarschijf-switch"),
        {"jaar": "2024"},
        headers={"referer": "http://testserver/projecten/?category=sloop&jaar=2023"},
    )
    elsewhere = client.post(
        reverse("overview:jaarschijf-switch"),
        {"jaar": "2024"},
        headers={"referer": "https://elders.example/projecten/"},
    )

    assert back["Location"] == "/projecten/?category=sloop"
    assert elsewhere["Location"] == reverse("overview:dashboard")


@pytest.mark.parametrize(
    "next_url",
    [
        "0",
        "projecten",
        "//elders.example/",
        "/\\elders.example/",
        "http://testserver//elders.example/",
        "javascript:alert(1)",
        "/afspraken/\nSet-Cookie: x=1",
    ],
)
def test_jaarschijf_switch_only_returns_to_a_path_on_this_site(client, kernteamlid, next_url):
    login(client, kernteamlid)

    response = client.post(
        reverse("overview:jaarschijf-switch"), {"jaar": "2024", "next": next_url}
    )

    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith("/") and not location.startswith(("//", "/\\"))
    assert "\n" not in location


@pytest.mark.parametrize("year", ["²", "٢٠٢٤", "2024.0", "-1", "", "99999999999999999999"])
def test_jaarschijf_switch_answers_a_strange_year_with_a_message_not_an_error(
    client, kernteamlid, year
):
    login(client, kernteamlid)

    response = client.post(reverse("overview:jaarschijf-switch"), {"jaar": year}, follow=True)

    assert response.status_code == 200
    assert "Kies een jaarschijf uit de lijst" in page_text(response)


def test_pages_of_a_jaarschijf_without_data_say_so_without_errors(client, kernteamlid):
    Jaarschijf.objects.create(
        year=2025, title="Nog leeg", municipality=party("Gemeente Heerlen"), status="concept"
    )
    login(client, kernteamlid)

    texts = {}
    for name in ("dashboard", "action-list", "project-list", "sustainability", "party-list"):
        response = client.get(reverse(f"overview:{name}"), {"jaar": 2025})
        assert response.status_code == 200, name
        texts[name] = page_text(response)
    weller = client.get(reverse("overview:party-detail", args=["weller"]), {"jaar": 2025})
    assert weller.status_code == 200

    assert "Deze jaarschijf heeft nog geen afspraken." in texts["dashboard"]
    assert "Er zijn voor deze jaarschijf geen EFG-labelcijfers vastgelegd." in texts["dashboard"]
    assert "0 afspraken gevonden." in texts["action-list"]
    assert "Er is voor deze jaarschijf geen BAT-voorraad vastgelegd." in texts["sustainability"]


def test_dashboard_offers_the_evaluation_download_only_to_those_who_may_export(
    client, kernteamlid, huurder
):
    export_url = reverse("evaluation:evaluation-export", args=[2024])
    login(client, kernteamlid)
    assert export_url in client.get(reverse("overview:dashboard")).content.decode()
    login(client, huurder)
    assert export_url not in client.get(reverse("overview:dashboard")).content.decode()


def test_the_year_switcher_returns_to_the_page_it_was_used_on(client, kernteamlid):
    login(client, kernteamlid)
    page = client.get(reverse("overview:project-list"), {"category": "sloop"}).content.decode()
    assert 'name="next" value="/projecten/?category=sloop"' in page
    response = client.post(
        reverse("overview:jaarschijf-switch"),
        {"jaar": "2024", "next": "/projecten/?category=sloop"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/projecten/?category=sloop"


def test_a_get_of_the_year_switch_changes_no_session_state(client, kernteamlid):
    Jaarschijf.objects.create(
        year=2025, title="Volgende", municipality=party("Gemeente Heerlen"), status="concept"
    )
    login(client, kernteamlid)

    response = client.get(
        reverse("overview:jaarschijf-switch"), {"jaar": "2025", "next": "/projecten/"}
    )

    assert SESSION_KEY not in client.session
    # Only that one page shows 2025, through its address.
    assert response["Location"] == "/projecten/?jaar=2025"
    assert client.get(reverse("overview:dashboard")).context["jaarschijf"].year == 2024
    assert client.get(response["Location"]).context["jaarschijf"].year == 2025


def test_the_year_switcher_in_the_header_posts_with_a_csrf_token(client, kernteamlid):
    login(client, kernteamlid)
    html = client.get(reverse("overview:dashboard")).content.decode()
    form = re.search(r'<form class="heerlen-jaarschijf-switch"[^>]*>.*?</form>', html, re.S)[0]
    assert 'method="post"' in form
    assert "csrfmiddlewaretoken" in form


def test_an_update_keeps_an_action_recent_for_the_whole_of_the_first_day_of_the_window(
    jaarschijf,
):
    """The pages show an update's date, not its time: "in de laatste 30 dagen" is whole days."""
    now = datetime(2026, 11, 30, 15, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))
    make_progress_update(action("1.7"), created_at=now - timedelta(days=30, hours=6))  # 31-10 9:00
    make_progress_update(
        action("1.8"), created_at=now - timedelta(days=30, hours=16)
    )  # 30-10 23:00

    rows = Action.objects.filter(jaarschijf=jaarschijf, number__in=["1.7", "1.8"])
    stale = {a.number: a.is_stale for a in rows.with_staleness(days=30, now=now)}

    assert stale == {"1.7": False, "1.8": True}
