"""A rule lives once, in the model: forms, import, admin, commands and the database agree."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from agreements.models import ActionStatus, ProgressUpdate, Theme
from core.validators import IMPLAUSIBLE_DATE_MESSAGE
from evaluation.importer import WorkbookError, read_workbook
from projects.models import Project
from projects.services import update_project
from sustainability.models import BatStock, EnergyLabelFigure

from .factories import action
from .helpers_evaluation import edit, export_bytes, project

pytestmark = pytest.mark.django_db

DONE = "Een afgeronde afspraak is voor 100 % gereed."
NOT_STARTED = "Een afspraak die niet gestart is, staat op 0 %."


def test_a_finished_action_is_100_percent_done_for_a_direct_create_and_full_clean(jaarschijf):
    update = ProgressUpdate(action=action("1.7"), status=ActionStatus.AFGEROND, percent_done=40)

    with pytest.raises(ValidationError) as error:
        update.full_clean()

    assert DONE in error.value.message_dict["percent_done"][0]


def test_an_action_not_started_is_0_percent_done_for_full_clean(jaarschijf):
    update = ProgressUpdate(action=action("1.7"), status=ActionStatus.NIET_GESTART, percent_done=10)

    with pytest.raises(ValidationError) as error:
        update.full_clean()

    assert NOT_STARTED in error.value.message_dict["percent_done"][0]


def test_a_consistent_update_passes_full_clean(jaarschijf):
    ProgressUpdate(
        action=action("1.7"), status=ActionStatus.AFGEROND, percent_done=100
    ).full_clean()
    ProgressUpdate(
        action=action("1.7"), status=ActionStatus.NIET_GESTART, percent_done=0
    ).full_clean()


@pytest.mark.parametrize(
    ("status", "percent", "constraint"),
    [
        (ActionStatus.AFGEROND, 40, "progress_afgerond_is_100_percent"),
        (ActionStatus.NIET_GESTART, 10, "progress_niet_gestart_is_0_percent"),
    ],
)
def test_the_database_refuses_a_status_that_contradicts_its_percentage(
    jaarschijf, status, percent, constraint
):
    before = ProgressUpdate.objects.count()

    with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
        ProgressUpdate.objects.create(action=action("1.7"), status=status, percent_done=percent)

    assert ProgressUpdate.objects.count() == before


def test_realised_dwellings_above_the_limit_are_refused_by_the_model_and_the_database(
    jaarschijf,
):
    slakhorst = project("Slakhorst")
    slakhorst.realised_dwellings = 100_000

    with pytest.raises(ValidationError) as error:
        slakhorst.full_clean()
    assert "meer woningen dan een project kan hebben" in str(error.value)

    with pytest.raises(IntegrityError), transaction.atomic():
        Project.objects.filter(pk=slakhorst.pk).update(realised_dwellings=100_000)


def test_label_counts_above_the_limit_are_refused_by_the_database(jaarschijf):
    figure = EnergyLabelFigure.objects.filter(jaarschijf=jaarschijf).first()

    with pytest.raises(IntegrityError), transaction.atomic():
        EnergyLabelFigure.objects.filter(pk=figure.pk).update(realised=100_000)


def test_the_service_gives_the_forms_message_for_too_many_dwellings(jaarschijf, kernteamlid):
    slakhorst = project("Slakhorst")

    with pytest.raises(ValidationError) as error:
        update_project(
            project=slakhorst,
            user=kernteamlid,
            version=slakhorst.version,
            status=slakhorst.status,
            realised_dwellings=2_147_483_647,
            expected_year=None,
            expected_quarter=None,
            explanation="",
        )

    assert "meer woningen dan een project kan hebben" in str(error.value)
    slakhorst.refresh_from_db()
    assert slakhorst.realised_dwellings is None


@pytest.mark.parametrize(("sheet", "column"), [("Projecten", "Gerealiseerd"), ("EFG-labels", None)])
def test_an_import_of_2147483647_is_refused_with_a_dutch_problem(
    jaarschijf, kernteamlid, sheet, column
):
    def changes(wb):
        ws = wb[sheet]
        headers = [cell.value for cell in ws[1]]
        name = column or next(h for h in headers if h and h.endswith("realisatie"))
        ws.cell(2, headers.index(name) + 1).value = 2_147_483_647

    with pytest.raises(WorkbookError) as error:
        read_workbook(
            edit(export_bytes(jaarschijf), changes), jaarschijf=jaarschijf, user=kernteamlid
        )

    messages = [str(problem) for problem in error.value.problems]
    assert len(messages) == 1, messages
    assert messages[0].startswith(f"Blad {sheet}, rij 2, kolom ")
    assert "controleer het aantal" in messages[0]


def test_own_corporation_is_the_corporation_of_a_medewerker_only(
    weller_medewerker, gemeente_medewerker, kernteamlid, huurder, beheerder
):
    assert weller_medewerker.own_corporation.name == "Weller"
    assert gemeente_medewerker.own_corporation is None
    assert kernteamlid.own_corporation is None
    assert huurder.own_corporation is None
    assert beheerder.own_corporation is None


def test_a_signing_day_or_a_bat_reference_date_outside_2000_2100_is_refused_at_the_field(
    jaarschijf,
):
    jaarschijf.signed_on = date(1, 1, 1)
    with pytest.raises(ValidationError) as error:
        jaarschijf.full_clean()
    assert error.value.message_dict["signed_on"] == [IMPLAUSIBLE_DATE_MESSAGE]

    stock = BatStock.objects.filter(jaarschijf__year=2024).first()
    stock.reference_date = date(9999, 12, 31)
    with pytest.raises(ValidationError) as error:
        stock.full_clean()
    assert error.value.message_dict["reference_date"] == [IMPLAUSIBLE_DATE_MESSAGE]
    with pytest.raises(IntegrityError), transaction.atomic():
        BatStock.objects.filter(pk=stock.pk).update(reference_date=date(9999, 12, 31))


def test_a_duplicate_theme_number_or_efg_figure_is_refused_at_the_field_that_repeats(jaarschijf):
    theme = Theme.objects.filter(jaarschijf=jaarschijf).first()
    with pytest.raises(ValidationError) as error:
        Theme(jaarschijf=jaarschijf, number=theme.number, title="Nog een").full_clean()
    assert error.value.message_dict == {
        "number": ["Er is al een thema met dit nummer in jaarschijf 2024."]
    }

    figure = EnergyLabelFigure.objects.filter(jaarschijf=jaarschijf).first()
    twin = EnergyLabelFigure(
        jaarschijf=jaarschijf, corporation=figure.corporation, year=figure.year, target=1
    )
    with pytest.raises(ValidationError) as error:
        twin.full_clean()
    assert error.value.message_dict["year"] == [
        f"Er is al een EFG-labelcijfer van {figure.corporation} voor {figure.year} in "
        "jaarschijf 2024."
    ]
    assert "__all__" not in error.value.message_dict
