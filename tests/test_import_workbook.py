"""Corporations deliver their project progress and EFG realisations as a workbook."""

import html
import io
import random
import zipfile

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from django.urls import reverse

from agreements.models import Party
from evaluation.export import LABEL_INFO_HEADERS
from evaluation.importer import WorkbookError, read_workbook
from evaluation.services import apply_change_set
from projects.models import Project
from sustainability.models import EnergyLabelFigure

from .factories import YEAR, login
from .helpers_evaluation import (
    column_of,
    confirm,
    data_rows,
    edit,
    export_bytes,
    find_row,
    header,
    label_figure,
    open_workbook,
    project,
    save,
    set_text,
    template_bytes,
    upload,
    zip_of,
)
from .helpers_tracking import make_evaluated

pytestmark = pytest.mark.django_db


def page(response) -> str:
    """The page as a reader sees it (without HTML escapes)."""
    return html.unescape(response.content.decode())


def history_size() -> int:
    return Project.history.count() + EnergyLabelFigure.history.count()


def tracking_state():
    """Everything an import could change, to assert that nothing did."""
    return (
        list(
            Project.objects.order_by("pk").values_list(
                "status", "realised_dwellings", "explanation", "version"
            )
        ),
        list(EnergyLabelFigure.objects.order_by("pk").values_list("realised", "target", "version")),
        history_size(),
    )


def set_project(wb, name, **columns):
    ws = wb["Projecten"]
    row = find_row(ws, Project=name)
    for column, value in columns.items():
        cell = ws.cell(row, column_of(ws, column))
        if isinstance(value, str):
            set_text(cell, value)
        else:
            cell.value = value
    return row


def set_label(wb, year, column, value):
    ws = wb["EFG-labels"]
    ws.cell(find_row(ws, Jaar=year), column_of(ws, column)).value = value


def weller_template(client, weller_medewerker):
    login(client, weller_medewerker)
    response = client.get(reverse("evaluation:evaluation-import-template", args=[YEAR]))
    assert response.status_code == 200
    return b"".join(response.streaming_content)


# --- Round trip and the happy path ---------------------------------------------------------


def test_reimporting_an_unchanged_export_changes_nothing(client, kernteamlid, jaarschijf):
    before = tracking_state()
    login(client, kernteamlid)

    response = upload(client, export_bytes(jaarschijf))

    assert response.status_code == 302
    preview = client.get(response["Location"])
    assert preview.context["draft"].is_empty
    assert "er verandert niets" in page(preview)
    assert tracking_state() == before


def test_reimporting_an_unchanged_template_changes_nothing(jaarschijf, kernteamlid):
    weller = Party.objects.get(name="Weller")
    for data in (template_bytes(jaarschijf), template_bytes(jaarschijf, weller)):
        change_set = read_workbook(data, jaarschijf=jaarschijf, user=kernteamlid)
        assert change_set.is_empty
        assert change_set.checked_rows["Projecten"] > 0


def test_weller_template_holds_only_wellers_rows(client, weller_medewerker, jaarschijf):
    wb = open_workbook(weller_template(client, weller_medewerker))

    assert wb.sheetnames[:2] == ["Projecten", "EFG-labels"]
    projects = data_rows(wb["Projecten"])
    assert {row[3] for row in projects} == {"Weller"}
    assert (
        len(projects)
        == Project.objects.filter(jaarschijf=jaarschijf, corporation__name="Weller").count()
    )
    assert header(wb["EFG-labels"]) == [
        "Jaar",
        "Weller doel",
        "Weller realisatie",
        "Totaal doel",
        "Totaal realisatie",
        *LABEL_INFO_HEADERS,  # computed, never read back
    ]


def test_corporation_updates_its_projects_after_seeing_the_preview(
    client, weller_medewerker, jaarschijf
):
    data = weller_template(client, weller_medewerker)
    target = Project.objects.filter(jaarschijf=jaarschijf, corporation__name="Weller").first()

    def changes(wb):
        set_project(wb, target.name, Status="In uitvoering", Gerealiseerd=12)
        set_project(wb, target.name, Toelichting="Eerste 12 woningen opgeleverd.")
        set_label(wb, 2024, "Weller realisatie", 470)

    response = upload(client, edit(data, changes), name="weller.xlsx")
    assert response.status_code == 302

    # The preview shows old → new and nothing is stored yet.
    preview = client.get(response["Location"])
    text = page(preview)
    assert "Gepland" in text and "In uitvoering" in text and "Eerste 12 woningen" in text
    assert Project.objects.get(pk=target.pk).status == "gepland"
    assert preview.context["draft"].field_count == 4

    response = confirm(client)
    assert response.status_code == 302

    stored = Project.objects.get(pk=target.pk)
    assert (stored.status, stored.realised_dwellings, stored.explanation) == (
        "in_uitvoering",
        12,
        "Eerste 12 woningen opgeleverd.",
    )
    assert stored.version == target.version + 1
    assert stored.updated_by == weller_medewerker
    assert stored.history.first().history_user == weller_medewerker
    figure = label_figure("Weller", 2024)
    assert figure.realised == 470
    assert figure.history.first().history_user == weller_medewerker
    followed = client.get(response["Location"])
    assert "De import is doorgevoerd: 2 rijen bijgewerkt." in page(followed)


def test_cancelling_the_preview_stores_nothing(client, kernteamlid, jaarschijf):
    before = tracking_state()
    login(client, kernteamlid)
    data = edit(export_bytes(jaarschijf), lambda wb: set_project(wb, "Slakhorst", Gerealiseerd=3))
    upload(client, data)
    preview = client.get(reverse("evaluation:evaluation-import-preview", args=[YEAR]))
    token = preview.context["draft"].token

    client.post(
        reverse("evaluation:evaluation-import-preview", args=[YEAR]),
        {"token": token, "cancel": "1"},
    )

    assert tracking_state() == before
    assert (
        client.get(reverse("evaluation:evaluation-import-preview", args=[YEAR])).status_code == 302
    )


def test_a_text_that_looks_like_a_formula_survives_the_round_trip(client, kernteamlid, jaarschijf):
    login(client, kernteamlid)
    note = '=HYPERLINK("http://example.invalid")'
    upload(
        client,
        edit(export_bytes(jaarschijf), lambda wb: set_project(wb, "Slakhorst", Toelichting=note)),
    )
    confirm(client)
    assert project("Slakhorst").explanation == note

    # Exported and imported again: still text, and nothing changes.
    change_set = read_workbook(export_bytes(jaarschijf), jaarschijf=jaarschijf, user=kernteamlid)
    assert change_set.is_empty


# --- All or nothing, errors per sheet, row and column --------------------------------------


def test_one_bad_row_means_nothing_is_written(client, kernteamlid, jaarschijf):
    before = tracking_state()
    login(client, kernteamlid)

    def changes(wb):
        set_project(wb, "Slakhorst", Gerealiseerd=20)  # fine on its own
        set_project(wb, "MSP", Gerealiseerd="veel")
        set_label(wb, 2024, "Weller realisatie", 400)

    response = upload(client, edit(export_bytes(jaarschijf), changes))

    assert response.status_code == 200
    problems = response.context["problems"]
    assert len(problems) == 1
    problem = problems[0]
    assert (problem.sheet, problem.column, problem.column_letter) == (
        "Projecten",
        "Gerealiseerd",
        "K",
    )
    assert str(problem).startswith(f"Blad Projecten, rij {problem.row}, kolom Gerealiseerd (K): ")
    assert "'veel' is geen geheel getal" in problem.message
    text = page(response)
    assert "Er is niets opgeslagen" in text and "veel" in text
    assert tracking_state() == before


def test_a_text_longer_than_the_form_allows_is_refused_at_its_cell(client, kernteamlid, jaarschijf):
    """The Toelichting holds 4.000 characters in the form; the import says the same, so a
    project never holds a text that its own form could not save again."""
    before = tracking_state()
    login(client, kernteamlid)
    long_note = "w" * 10_500

    response = upload(
        client,
        edit(
            export_bytes(jaarschijf),
            lambda wb: set_project(wb, "Slakhorst", Toelichting=long_note),
        ),
    )

    assert response.status_code == 200
    (problem,) = response.context["problems"]
    assert (problem.sheet, problem.column) == ("Projecten", "Toelichting")
    assert "niet meer dan 4.000 tekens" in problem.message
    assert "het zijn er nu 10.500" in problem.message
    assert "Er is niets opgeslagen" in page(response)
    assert tracking_state() == before


def test_every_problem_is_reported_at_once(jaarschijf, kernteamlid):
    def changes(wb):
        set_project(wb, "Slakhorst", Status="Half klaar")
        set_project(wb, "MSP", Gerealiseerd=-3)
        set_label(wb, 2024, "Weller realisatie", 2.5)

    with pytest.raises(WorkbookError) as error:
        read_workbook(
            edit(export_bytes(jaarschijf), changes), jaarschijf=jaarschijf, user=kernteamlid
        )

    messages = [str(p) for p in error.value.problems]
    assert len(messages) == 3
    assert any("kolom Status (J): Onbekende status 'Half klaar'" in m for m in messages)
    assert any("kolom Gerealiseerd (K): Een aantal kan niet negatief zijn." in m for m in messages)
    assert any(
        m.startswith("Blad EFG-labels") and "kolom Weller realisatie (C)" in m for m in messages
    )


@pytest.mark.parametrize("typed", ["twintig", 1999, "2.025"])
def test_a_year_that_is_no_year_asks_for_a_year_not_for_an_amount(jaarschijf, kernteamlid, typed):
    def changes(wb):
        ws = wb["EFG-labels"]
        ws.cell(find_row(ws, Jaar=2024), column_of(ws, "Jaar")).value = typed

    with pytest.raises(WorkbookError) as error:
        read_workbook(
            edit(export_bytes(jaarschijf), changes), jaarschijf=jaarschijf, user=kernteamlid
        )

    (message,) = [str(p) for p in error.value.problems]
    assert f"kolom Jaar (A): '{typed}' is geen jaartal. " in message
    assert message.endswith("Vul een jaartal in tussen 2000 en 2100, zoals 2025.")
    assert "aantal" not in message


def test_a_row_of_another_corporation_is_refused(client, weller_medewerker, jaarschijf):
    before = tracking_state()
    login(client, weller_medewerker)
    woonpunt = Project.objects.filter(jaarschijf=jaarschijf, corporation__name="Woonpunt").first()
    weller = Project.objects.filter(jaarschijf=jaarschijf, corporation__name="Weller").first()

    def changes(wb):
        set_project(wb, weller.name, Gerealiseerd=1)
        set_project(wb, woonpunt.name, Gerealiseerd=1)

    # The full export holds every corporation's rows and columns.
    response = upload(client, edit(export_bytes(jaarschijf), changes))

    assert response.status_code == 200
    messages = [str(p) for p in response.context["problems"]]
    assert any(
        "Dit is een project van Woonpunt. U mag alleen projecten van Weller" in m for m in messages
    )
    assert any("Dit is een kolom van Woonpunt" in m for m in messages)
    assert tracking_state() == before


def test_formula_cells_are_refused(jaarschijf, kernteamlid):
    def changes(wb):
        ws = wb["Projecten"]
        ws.cell(find_row(ws, Project="Slakhorst"), column_of(ws, "Gerealiseerd")).value = "=F2-100"

    with pytest.raises(WorkbookError) as error:
        read_workbook(
            edit(export_bytes(jaarschijf), changes), jaarschijf=jaarschijf, user=kernteamlid
        )

    [problem] = error.value.problems
    assert problem.column == "Gerealiseerd"
    assert problem.message.startswith("Formules zijn niet toegestaan")


def test_document_columns_are_not_imported_but_reported(jaarschijf, kernteamlid):
    def changes(wb):
        set_project(wb, "Slakhorst", Wijk="Ergens anders", Gerealiseerd=5)
        set_label(wb, 2025, "Weller doel", 1)

    change_set = read_workbook(
        edit(export_bytes(jaarschijf), changes), jaarschijf=jaarschijf, user=kernteamlid
    )

    assert [(r.label, [c.field for c in r.changes]) for r in change_set.rows] == [
        ("Nieuwbouw: Slakhorst (Woonpunt)", ["realised_dwellings"])
    ]
    warnings = [str(w) for w in change_set.warnings]
    assert any("Wijk" in w and "niet geïmporteerd" in w for w in warnings)
    assert any("Weller 2025: het doel (1)" in w for w in warnings)


def test_projects_with_the_same_name_are_told_apart_by_their_document_columns(
    jaarschijf, kernteamlid
):
    first = project("Caumerboord (Heerlerbaan)", position=5)
    second = project("Caumerboord (Heerlerbaan)", position=10)
    assert (first.dwellings, second.dwellings) == (8, 2)

    def changes(wb):
        ws = wb["Projecten"]
        row = find_row(ws, Project=second.name, Woningen=2)
        ws.cell(row, column_of(ws, "Gerealiseerd")).value = 2
        # Sorting the sheet puts the second project above the first: the match holds.
        ws.move_range(f"A{row}:L{row}", rows=ws.max_row + 1 - row)
        ws.delete_rows(row)

    change_set = read_workbook(
        edit(export_bytes(jaarschijf), changes), jaarschijf=jaarschijf, user=kernteamlid
    )

    assert [(row.pk, row.changes[0].value) for row in change_set.rows] == [(second.pk, 2)]


def test_a_row_that_matches_no_project_is_an_error(jaarschijf, kernteamlid):
    def changes(wb):
        set_text(wb["Projecten"].cell(2, 2), "Een nieuw project")

    with pytest.raises(WorkbookError, match="Een import voegt geen projecten toe"):
        read_workbook(
            edit(export_bytes(jaarschijf), changes), jaarschijf=jaarschijf, user=kernteamlid
        )


# --- Hostile files ----------------------------------------------------------------------


def _too_many_rows() -> bytes:
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("Projecten")
    ws.append(
        [
            "Categorie",
            "Project",
            "Wijk",
            "Corporatie",
            "Woningen (document)",
            "Woningen",
            "Type",
            "BAT",
            "Huurklasse",
            "Status",
            "Gerealiseerd",
            "Toelichting",
        ]
    )
    for number in range(6_000):
        ws.append(["Nieuwbouw", f"Project {number}", None, "Weller"])
    labels = wb.create_sheet("EFG-labels")
    labels.append(["Jaar"])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _zip_bomb() -> bytes:
    # 60 MB of zeros compresses to about 60 kB: far above any sane ratio.
    return zip_of(
        {
            "[Content_Types].xml": b"<Types/>",
            "xl/workbook.xml": b"<workbook/>",
            "xl/worksheets/sheet1.xml": b"\0" * (60 * 1024 * 1024),
        }
    )


def _shared_strings_bomb(jaarschijf) -> bytes:
    """A real export whose shared strings expand to about 95 MB from 1 MB: a ratio under 100.

    Each text varies (a random number) so the ratio stays below the zip-bomb threshold; openpyxl
    would parse the whole part on opening, for half a minute, before reading any row.
    """
    rng = random.Random(14)
    padding = b"x" * 1000
    texts = [b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">']
    size = 0
    while size < 95 * 1024 * 1024:
        text = b"<si><t>%d %s</t></si>" % (rng.getrandbits(40), padding)
        texts.append(text)
        size += len(text)
    texts.append(b"</sst>")
    with zipfile.ZipFile(io.BytesIO(export_bytes(jaarschijf))) as source:
        files = {name: source.read(name) for name in source.namelist()}
    files["xl/sharedStrings.xml"] = b"".join(texts)
    data = zip_of(files)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        info = archive.getinfo("xl/sharedStrings.xml")
    assert info.file_size / info.compress_size < 100  # passes the ratio check on its own
    assert len(data) < 1.5 * 1024 * 1024
    return data


def _xml_bomb(jaarschijf) -> bytes:
    """A workbook whose XML expands entities a billion times ("billion laughs")."""
    laughs = '<!ENTITY a0 "ha">' + "".join(
        f'<!ENTITY a{i} "{("&a" + str(i - 1) + ";") * 10}">' for i in range(1, 10)
    )
    bomb = f'<?xml version="1.0"?><!DOCTYPE workbook [{laughs}]><workbook>&a9;</workbook>'
    with zipfile.ZipFile(io.BytesIO(export_bytes(jaarschijf))) as source:
        files = {name: source.read(name) for name in source.namelist()}
    files["xl/workbook.xml"] = bomb.encode()
    return zip_of(files)


def _renamed_sheet(jaarschijf) -> bytes:
    def changes(wb):
        wb["Projecten"].title = "Projects"

    return edit(export_bytes(jaarschijf), changes)


def _missing_sheet(jaarschijf) -> bytes:
    def changes(wb):
        del wb["EFG-labels"]

    return edit(export_bytes(jaarschijf), changes)


def _renamed_header(jaarschijf) -> bytes:
    def changes(wb):
        wb["Projecten"]["J1"].value = "Stand van zaken"

    return edit(export_bytes(jaarschijf), changes)


HOSTILE = {
    "tekstbestand": (lambda j: b"Categorie;Project\nNieuwbouw;Slakhorst\n", "geen Excel-werkmap"),
    "zip zonder werkmap": (lambda j: zip_of({"word/document.xml": b"<w/>"}), "geen Excel-werkmap"),
    "zip-bom": (lambda j: _zip_bomb(), "zip-bom"),
    "gedeelde-teksten-bom": (_shared_strings_bomb, "de gedeelde teksten (xl/sharedStrings.xml)"),
    "zesduizend rijen": (lambda j: _too_many_rows(), "meer dan 5.000 rijen"),
    "hernoemd blad": (_renamed_sheet, "Het blad 'Projecten' ontbreekt"),
    "ontbrekend blad": (_missing_sheet, "Het blad 'EFG-labels' ontbreekt"),
    "hernoemde kop": (_renamed_header, "hier hoort 'Status' te staan, niet 'Stand van zaken'"),
    "xml-bom": (_xml_bomb, "kan niet als Excel-werkmap worden gelezen"),
    "beschadigd": (
        lambda j: zip_of({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<kapot"}),
        "kan niet als Excel-werkmap worden gelezen",
    ),
}


@pytest.mark.parametrize("kind", list(HOSTILE))
def test_a_hostile_file_gets_a_clear_dutch_error_and_changes_nothing(
    client, kernteamlid, jaarschijf, kind
):
    make, message = HOSTILE[kind]
    data = make(jaarschijf)
    before = tracking_state()
    login(client, kernteamlid)

    response = upload(client, data, name=f"{kind}.xlsx")

    assert response.status_code == 200
    assert message in page(response)
    assert tracking_state() == before
    assert (
        client.get(reverse("evaluation:evaluation-import-preview", args=[YEAR])).status_code == 302
    )


@override_settings(IMPORT_MAX_BYTES=10_000)
def test_a_file_above_the_size_limit_is_refused_unread(client, kernteamlid, jaarschijf):
    login(client, kernteamlid)
    response = upload(client, export_bytes(jaarschijf))
    assert response.status_code == 200
    assert "Het bestand is te groot" in page(response)


@override_settings(IMPORT_MAX_ROWS=10)
def test_reading_stops_after_the_maximum_number_of_rows(jaarschijf, kernteamlid):
    with pytest.raises(WorkbookError, match="meer dan 10 rijen"):
        read_workbook(export_bytes(jaarschijf), jaarschijf=jaarschijf, user=kernteamlid)


@override_settings(IMPORT_MAX_PART_BYTES=100 * 1024 * 1024, IMPORT_MAX_UNCOMPRESSED_BYTES=20_000)
def test_the_total_uncompressed_size_is_bounded_before_opening(jaarschijf, monkeypatch):
    def opened(*args, **kwargs):
        raise AssertionError("openpyxl opened a workbook that the zip directory refuses")

    monkeypatch.setattr("evaluation.importer.load_workbook", opened)
    with pytest.raises(WorkbookError, match="uitgepakt te groot om te lezen"):
        read_workbook(export_bytes(jaarschijf), jaarschijf=jaarschijf)


@override_settings(IMPORT_MAX_PART_BYTES=100_000)
def test_a_sheet_larger_than_the_part_limit_is_refused_before_opening(jaarschijf, monkeypatch):
    def opened(*args, **kwargs):
        raise AssertionError("openpyxl opened a workbook that the zip directory refuses")

    monkeypatch.setattr("evaluation.importer.load_workbook", opened)
    with pytest.raises(WorkbookError, match=r"een onderdeel \(xl/worksheets/sheet1.xml\)"):
        read_workbook(_too_many_rows(), jaarschijf=jaarschijf)


def test_an_archive_with_very_many_members_is_refused_before_opening(jaarschijf):
    members = {"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"}
    members.update({f"xl/media/{i}.bin": b"x" for i in range(600)})
    with pytest.raises(WorkbookError, match="ongewoon veel onderdelen"):
        read_workbook(zip_of(members, zipfile.ZIP_STORED), jaarschijf=jaarschijf)


# --- Locking, permissions ------------------------------------------------------------------


def test_a_project_changed_after_the_upload_fails_the_whole_import(client, kernteamlid, jaarschijf):
    login(client, kernteamlid)

    def changes(wb):
        set_project(wb, "Slakhorst", Gerealiseerd=10)
        set_project(wb, "MSP", Gerealiseerd=5)

    upload(client, edit(export_bytes(jaarschijf), changes))
    # Meanwhile someone else saves MSP through the application.
    msp = project("MSP")
    msp.explanation = "Intussen bijgewerkt"
    msp.version += 1
    msp.save()

    response = confirm(client)

    assert response.status_code == 200
    assert "is gewijzigd nadat u de werkmap uploadde" in page(response)
    assert project("Slakhorst").realised_dwellings is None
    assert project("MSP").realised_dwellings is None


def test_tenants_and_the_municipality_cannot_import(
    client, huurder, gemeente_medewerker, jaarschijf
):
    for user in (huurder, gemeente_medewerker):
        login(client, user)
        assert client.get(reverse("evaluation:evaluation-import", args=[YEAR])).status_code == 403
        assert (
            client.get(reverse("evaluation:evaluation-import-template", args=[YEAR])).status_code
            == 403
        )
        assert upload(client, export_bytes(jaarschijf)).status_code == 403


def test_after_the_evaluation_only_the_beheerder_imports(
    client, kernteamlid, beheerder, jaarschijf
):
    make_evaluated(jaarschijf)
    data = edit(export_bytes(jaarschijf), lambda wb: set_project(wb, "Slakhorst", Gerealiseerd=9))

    login(client, kernteamlid)
    assert upload(client, data).status_code == 403

    login(client, beheerder)
    assert upload(client, data).status_code == 302
    confirm(client)
    assert project("Slakhorst").realised_dwellings == 9


def test_the_session_preview_of_one_user_is_not_applied_for_another(
    jaarschijf, kernteamlid, weller_medewerker
):
    data = edit(export_bytes(jaarschijf), lambda wb: set_project(wb, "Slakhorst", Gerealiseerd=9))
    change_set = read_workbook(data, jaarschijf=jaarschijf, user=kernteamlid)
    # Slakhorst is Woonpunt's: Weller may not apply the kernteam's change set.
    with pytest.raises(WorkbookError, match="U mag"):
        apply_change_set(jaarschijf=jaarschijf, change_set=change_set, user=weller_medewerker)
    assert project("Slakhorst").realised_dwellings is None


def test_import_page_loads_with_a_bounded_number_of_queries(
    client, kernteamlid, django_assert_max_num_queries
):
    login(client, kernteamlid)
    with django_assert_max_num_queries(15):
        assert client.get(reverse("evaluation:evaluation-import", args=[YEAR])).status_code == 200


# --- Command line -----------------------------------------------------------------------


def test_command_dry_run_shows_the_changes_and_stores_nothing(jaarschijf, tmp_path):
    path = tmp_path / "werkmap.xlsx"
    path.write_bytes(
        edit(export_bytes(jaarschijf), lambda wb: set_project(wb, "Slakhorst", Gerealiseerd=7))
    )
    before = tracking_state()
    out = io.StringIO()

    call_command("import_workbook", str(path), "--jaarschijf", "2024", "--dry-run", stdout=out)

    assert "Gerealiseerd (leeg) → 7" in out.getvalue()
    assert "Proefdraaien" in out.getvalue()
    assert tracking_state() == before


def test_command_imports_as_a_user_with_that_users_rules(jaarschijf, tmp_path, weller_medewerker):
    path = tmp_path / "werkmap.xlsx"
    path.write_bytes(
        edit(export_bytes(jaarschijf), lambda wb: set_project(wb, "Slakhorst", Gerealiseerd=7))
    )

    with pytest.raises(CommandError, match="U mag alleen projecten van Weller importeren"):
        call_command("import_workbook", str(path), "--jaarschijf", "2024", "--user", "weller")
    assert project("Slakhorst").realised_dwellings is None

    call_command("import_workbook", str(path), "--jaarschijf", "2024", stdout=io.StringIO())
    assert project("Slakhorst").realised_dwellings == 7
    assert project("Slakhorst").history.first().history_user is None


def test_command_refuses_a_hostile_file(jaarschijf, tmp_path):
    path = tmp_path / "werkmap.xlsx"
    path.write_bytes(b"dit is geen werkmap")
    with pytest.raises(CommandError, match="geen Excel-werkmap"):
        call_command("import_workbook", str(path), "--jaarschijf", "2024")


def test_workbook_saved_by_openpyxl_from_scratch_with_the_layout_is_accepted(
    jaarschijf, kernteamlid
):
    """A corporation may build the workbook itself, as long as the layout is the agreed one."""
    source = open_workbook(export_bytes(jaarschijf))
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name in ("EFG-labels", "Projecten"):  # another order of the sheets is fine
        ws = wb.create_sheet(name)
        for row in source[name].iter_rows(values_only=True):
            ws.append(list(row))
    ws = wb["Projecten"]
    ws.cell(find_row(ws, Project="Slakhorst"), column_of(ws, "Status")).value = "gerealiseerd"

    change_set = read_workbook(save(wb), jaarschijf=jaarschijf, user=kernteamlid)

    assert [(r.label, r.changes[0].new) for r in change_set.rows] == [
        ("Nieuwbouw: Slakhorst (Woonpunt)", "Gerealiseerd")
    ]
