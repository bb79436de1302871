"""The loaded jaarschijf 2024 matches the signed document (28-02-2024)."""

import io
import json
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction

from agreements.models import (
    Action,
    ActionParty,
    HeadlineFigure,
    Indicator,
    IndicatorValue,
    Party,
    ProgressUpdate,
    Signatory,
    Theme,
)
from overview.figures import headline_figures
from projects.models import Project, ProjectBreakdown
from sustainability.models import BatStock, EnergyLabelFigure, EnergyLabelNote

from .factories import action

CORPORATIONS = ["Weller", "Wonen Limburg", "Wonen Zuid", "Woonpunt", "Vincio Wonen"]

# The EFG table of 3.1 as printed; None where the document says "t.b.".
EFG = {
    2022: [598, 97, 511, 1417, 907],
    2023: [559, 80, 492, 1292, 640],
    2024: [474, 26, 475, None, 606],
    2025: [352, 0, 451, None, 486],
    2026: [253, 0, 345, None, 377],
    2027: [188, 0, 253, None, 318],
    2028: [None, None, 173, None, 293],
    2029: [None, None, 173, None, 208],
}
# BAT stock on 31-12-2023 as printed: class -> Wonen Zuid, Wonen Limburg, Weller, Woonpunt, Vincio
BAT = {
    "BAT1": {
        "Wonen Zuid": 374,
        "Wonen Limburg": 511,
        "Weller": 2801,
        "Woonpunt": 346,
        "Vincio Wonen": 855,
    },
    "BAT2": {
        "Wonen Zuid": 184,
        "Wonen Limburg": 295,
        "Weller": 0,
        "Woonpunt": 391,
        "Vincio Wonen": 201,
    },
    "BAT3": {
        "Wonen Zuid": 0,
        "Wonen Limburg": 58,
        "Weller": 28,
        "Woonpunt": 10,
        "Vincio Wonen": 24,
    },
    "BAT4": {
        "Wonen Zuid": 24,
        "Wonen Limburg": 36,
        "Weller": 184,
        "Woonpunt": 49,
        "Vincio Wonen": 0,
    },
}

pytestmark = pytest.mark.django_db


def test_jaarschijf_2024_is_the_signed_document(jaarschijf):
    assert jaarschijf.title == "Sprong naar een krachtige toekomst"
    assert jaarschijf.signed_on == date(2024, 2, 28)
    assert jaarschijf.municipality.name == "Gemeente Heerlen"
    assert jaarschijf.status == "vastgesteld"


def test_six_themes_with_their_introductions(jaarschijf):
    titles = list(Theme.objects.filter(jaarschijf=jaarschijf).values_list("number", "title"))
    assert titles == [
        (1, "Beschikbaarheid, kwaliteit en vastgoedtransitie"),
        (2, "Betaalbaarheid"),
        (3, "Duurzaamheid"),
        (4, "Wonen met zorg en maatschappelijke doelgroepen"),
        (5, "Leefbaarheid"),
        (6, "Samenwerking en informatie-uitwisseling"),
    ]
    intro = Theme.objects.get(jaarschijf=jaarschijf, number=2).intro
    assert intro.startswith("Samen zorgen we er voor dat wonen betaalbaar blijft")


def test_actions_per_chapter_match_the_document(jaarschijf):
    counts = [
        Action.objects.filter(jaarschijf=jaarschijf, theme__number=n).count() for n in range(1, 7)
    ]
    assert counts == [12, 10, 19, 8, 12, 6]
    assert Action.objects.filter(jaarschijf=jaarschijf).count() == 67


def test_actions_5_5_and_6_4_are_not_invented(jaarschijf):
    assert not Action.objects.filter(number__in=["5.5", "6.4"]).exists()


def test_actions_sort_numerically(jaarschijf):
    numbers = list(Action.objects.filter(theme__number=1).values_list("number", flat=True))
    assert numbers == [f"1.{n}" for n in range(7, 19)]


def test_action_text_keeps_paragraphs_and_bullets(jaarschijf):
    text = action("6.1").text
    assert text.startswith("Het kernteam prestatie afspraken neemt de volgende taken op zich:")
    assert "\n- Evaluatie uitvoeren jaarschijf 2023 in het eerste kwartaal van 2024\n" in text
    assert "<" not in text and "→" not in text
    assert "\n\n" in action("4.2").text  # three paragraphs as printed


@pytest.mark.parametrize(
    ("number", "parties", "leads"),
    [
        ("1.7", ["Woningcorporaties", "Gemeente Heerlen"], ["Gemeente Heerlen"]),
        ("1.8", ["Weller", "Woningcorporaties", "Gemeente Heerlen"], ["Weller"]),
        (
            "1.15",
            ["Woningcorporaties", "Gemeente Heerlen"],
            ["Woningcorporaties", "Gemeente Heerlen"],
        ),
        ("2.1", ["Vincio Wonen", "Gemeente Heerlen"], []),
        (
            "2.6",
            ["Woningcorporaties", "Gemeente Heerlen", "Huurdersorganisaties"],
            ["Huurdersorganisaties"],
        ),
        ("3.1", ["Woningcorporaties", "Gemeente Heerlen"], ["Woningcorporaties"]),
        ("3.9", ["Weller", "Wonen Zuid", "Gemeente Heerlen"], ["Weller", "Wonen Zuid"]),
        ("3.17", ["Woningcorporaties aangesloten bij de C12"], []),
        (
            "5.3",
            ["Wonen Zuid", "Bewoners", "Gemeente Heerlen"],
            ["Wonen Zuid", "Bewoners", "Gemeente Heerlen"],
        ),
        ("6.1", ["Kernteam prestatieafspraken"], ["Kernteam prestatieafspraken"]),
        (
            "6.5",
            ["Woningcorporaties", "Gemeente Heerlen", "Huurdersorganisaties"],
            ["Woningcorporaties", "Gemeente Heerlen", "Huurdersorganisaties"],
        ),
    ],
)
def test_parties_and_leads_are_as_printed(jaarschijf, number, parties, leads):
    rows = ActionParty.objects.filter(action=action(number)).order_by("sort_order")
    assert [row.party.name for row in rows] == parties
    assert [row.party.name for row in rows if row.is_lead] == leads


def test_actions_of_a_corporation_include_those_of_its_collectives(jaarschijf):
    weller = Party.objects.get(name="Weller")
    numbers = set(Action.objects.involving(weller).values_list("number", flat=True))
    assert {"1.8", "3.9"} <= numbers  # named directly
    assert "1.7" in numbers  # through Woningcorporaties
    assert "6.1" in numbers  # through the kernteam
    assert "2.3" not in numbers  # Wonen Limburg alone
    lead = set(Action.objects.involving(weller, lead_only=True).values_list("number", flat=True))
    assert {"1.8", "3.9", "1.15", "3.1"} <= lead
    assert "1.7" not in lead


def test_collective_membership_is_data(jaarschijf):
    corporations = Party.objects.get(name="Woningcorporaties")
    assert sorted(corporations.members.values_list("name", flat=True)) == sorted(CORPORATIONS)
    tenants = Party.objects.get(name="Huurdersorganisaties").members.all()
    assert tenants.count() == Party.objects.filter(kind="huurdersorganisatie").count() > 0


def test_tenant_organisations_are_linked_to_their_corporation(jaarschijf):
    linked = dict(
        Party.objects.filter(kind="huurdersorganisatie", corporation__isnull=False).values_list(
            "corporation__name", "name"
        )
    )
    assert sorted(linked) == sorted(CORPORATIONS)
    assert linked["Wonen Zuid"] == "Huurdersvereniging Wonen Zuid (HWZ)"


def test_signatories_from_the_last_page(jaarschijf):
    signatories = {s.name: (s.function, s.party.name) for s in Signatory.objects.all()}
    assert len(signatories) == 11
    assert signatories["Dhr. C. Gelderblom"] == ("Wethouder", "Gemeente Heerlen")
    assert signatories["Dhr. B. Braeken"] == ("Bestuurder", "Weller")
    assert signatories["Dhr. W. Hazeu"] == ("Bestuurder", "Woonpunt")
    assert signatories["Mevr. M. Plag (i.o. Mevr. E. Jacobs)"][1] == (
        "Wonen Limburg - huurdersvereniging"
    )
    # Under a tenant organisation's signature the document prints no function: none is made up.
    tenant_signers = [
        name for name, (_, party) in signatories.items() if "huurdersvereniging" in party.lower()
    ]
    assert len(tenant_signers) == 5
    assert all(signatories[name][0] == "" for name in tenant_signers)


def test_projects_per_category_match_the_document(jaarschijf):
    counts = {
        category: Project.objects.filter(jaarschijf=jaarschijf, category=category).count()
        for category in ["nieuwbouw", "sloop", "renovatie", "verkoop", "aankoop", "onderzoek"]
    }
    assert counts == {
        "nieuwbouw": 9,
        "sloop": 3,
        "renovatie": 11,
        "verkoop": 5,
        "aankoop": 5,
        "onderzoek": 39,
    }
    assert Project.objects.count() == 72


def test_new_build_total_is_446_and_sale_total_is_55(jaarschijf):
    assert Project.objects.filter(category="nieuwbouw").totals()["planned"] == 446
    assert Project.objects.filter(category="verkoop").totals()["planned"] == 55


@pytest.mark.parametrize(
    ("name", "dwellings", "text"),
    [
        ("Aldenhofpark, Hoensbroek", 65, "+65 woningen"),
        ("Parcstaete (nieuwbouw)", 101, "101 (50 huur en 51 koop)"),
        ("Vrieheide (ingepond)", 6, "6 woningen (van de 25)"),
        ("GMS", 3, "3 (van de 7)"),
        ("Paadweg", 17, "17 woningen"),
    ],
)
def test_dwelling_counts_keep_the_documents_wording(jaarschijf, name, dwellings, text):
    project = Project.objects.get(name=name)
    assert (project.dwellings, project.dwellings_text) == (dwellings, text)


def test_unknown_dwelling_counts_stay_empty_and_geen_is_a_known_zero(jaarschijf):
    unknown = Project.objects.filter(dwellings__isnull=True)
    assert set(unknown.values_list("dwellings_text", flat=True)) <= {"Onbekend", "pm", "N.v.t."}
    assert not unknown.filter(category="verkoop").exists()
    zero = Project.objects.filter(dwellings=0)
    assert set(zero.values_list("dwellings_text", flat=True)) == {"Geen"}
    assert zero.count() == 3  # verkoop Wonen Limburg and Wonen Zuid, aankoop Wonen Zuid
    vincio = Project.objects.get(category="verkoop", corporation__name="Vincio Wonen")
    assert (vincio.dwellings, vincio.dwellings_text) == (38, "38 VHE")


def test_breakdowns_split_counts_per_class(jaarschijf):
    slakhorst = Project.objects.get(category="nieuwbouw", name="Slakhorst")
    bat = [(b.label, b.count) for b in slakhorst.breakdowns.filter(kind="bat")]
    rent = [(b.label, b.count) for b in slakhorst.breakdowns.filter(kind="huur")]
    assert bat == [("BAT-0", 88), ("BAT-2", 59)]
    assert rent == [("1e aftop", 53), ("2e aftop", 32), ("geliberaliseerd", 23), ("middenhuur", 29)]
    assert (
        ProjectBreakdown.objects.filter(
            project__name="Versliënbosch (start plan van aanpak)", kind="huur"
        ).count()
        == 2
    )


def test_saffierflat_is_kept_twice_and_flagged_as_possible_duplicate(jaarschijf):
    rows = Project.objects.filter(category="renovatie", name__startswith="Saffierflat")
    assert rows.count() == 2
    first, second = rows.order_by("position")
    assert first.dwelling_type != second.dwelling_type
    assert second.possible_duplicate_of == first
    assert second.source_note


def test_projects_name_their_neighbourhood_where_the_row_gives_one(jaarschijf):
    assert Project.objects.get(name="De Wieer (Heerlerheide)").neighbourhood_id == "Heerlerheide"
    assert (
        Project.objects.get(name="Vorstenstraat (Eikenderveld)").neighbourhood_id == "Eikenderveld"
    )
    assert Project.objects.filter(neighbourhood="De Hees").count() >= 10


def test_projects_take_their_wijk_from_the_one_list_or_stay_empty(jaarschijf):
    from django.db import IntegrityError, connection, transaction

    from projects.models import Neighbourhood

    listed = set(Neighbourhood.objects.values_list("name", flat=True))
    used = set(Project.objects.exclude(neighbourhood=None).values_list("neighbourhood", flat=True))
    assert used == listed  # every wijk of the list comes from the document's projects
    assert Project.objects.get(name="Paadweg").neighbourhood is None  # the row names none
    with pytest.raises(IntegrityError), transaction.atomic():
        Project.objects.filter(name="Paadweg").update(neighbourhood="Nergenshuizen")
        connection.check_constraints()  # the foreign key is checked at commit otherwise


def test_every_efg_cell_matches_the_document(jaarschijf):
    for year, row in EFG.items():
        printed = dict(zip(CORPORATIONS, row, strict=True))
        stored = dict(
            EnergyLabelFigure.objects.filter(year=year).values_list("corporation__name", "target")
        )
        assert stored == printed, year
    assert EnergyLabelFigure.objects.count() == 40


def test_efg_notes_of_3_1(jaarschijf):
    notes = dict(EnergyLabelNote.objects.values_list("corporation__name", "text"))
    assert "188" in notes["Weller"]
    assert "208" in notes["Vincio Wonen"]
    assert "De Hees" in notes["Wonen Zuid"]
    assert "2028" in notes["Woonpunt"]
    assert "2025" in notes["Wonen Limburg"]


def test_every_bat_cell_and_the_computed_totals(jaarschijf):
    for bat_class, row in BAT.items():
        stored = dict(
            BatStock.objects.filter(bat_class=bat_class).values_list("corporation__name", "count")
        )
        assert stored == row
    totals = {c: sum(BAT[c].values()) for c in BAT}
    assert totals == {"BAT1": 4887, "BAT2": 1071, "BAT3": 120, "BAT4": 293}
    from django.db.models import Sum

    assert BatStock.objects.aggregate(total=Sum("count"))["total"] == 6371
    per_corporation = dict(
        BatStock.objects.values("corporation__name")
        .annotate(total=Sum("count"))
        .values_list("corporation__name", "total")
    )
    assert per_corporation == {
        "Wonen Zuid": 582,
        "Wonen Limburg": 900,
        "Weller": 3013,
        "Woonpunt": 796,
        "Vincio Wonen": 1080,
    }


def indicator_values(name):
    return {
        (v.party.name if v.party else None, v.period): v.target
        for v in IndicatorValue.objects.filter(indicator__name=name)
    }


def test_indicators_hold_the_figures_the_actions_state(jaarschijf):
    assert indicator_values("DAEB-toewijzing") == {(None, "2024"): Decimal("85")}
    assert IndicatorValue.objects.get(indicator__name="DAEB-toewijzing").target_comparator == (
        "minimaal"
    )
    assert indicator_values("Vrije toewijzing") == {(None, "2024"): Decimal("15")}
    rent = indicator_values("Huurstijging (concernbreed, begroting)")
    assert rent == {
        ("Wonen Zuid", "2024"): Decimal("-1.4"),
        ("Wonen Limburg", "2024"): Decimal("-0.5"),
        ("Weller", "2024"): Decimal("-0.5"),
        ("Vincio Wonen", "2024"): Decimal("-0.5"),
    }
    quota = indicator_values("Taakstelling huisvesting vergunninghouders")
    assert quota == {
        ("Gemeente Heerlen", "2023"): Decimal("0"),
        ("Gemeente Heerlen", "2024-H1"): Decimal("91"),
        ("Gemeente Heerlen", "2024-H2"): None,
    }
    shares = indicator_values("Aandeel taakstelling vergunninghouders (verdeling naar rato bezit)")
    assert {party: value for (party, _), value in shares.items()} == {
        "Woonpunt": 31,
        "Weller": 35,
        "Wonen Limburg": 6,
        "Wonen Zuid": 12,
        "Vincio Wonen": 16,
    }
    assert sum(shares.values()) == 100
    ceiling = IndicatorValue.objects.get(
        indicator__action__number="4.5", target_comparator="maximaal"
    )
    assert ceiling.target == 10
    assert Indicator.objects.get(action__number="4.8").values.get().target == 120
    housing = {
        i.name: i.values.get().target for i in Indicator.objects.filter(action__number="5.11")
    }
    assert housing == {
        "Verhuurde woningen corporaties in Heerlen": 16200,
        "Mutatiegraad": 8,
        "Herverhuringen": 1300,
    }
    assert all(i.action.jaarschijf_id == jaarschijf.pk for i in Indicator.objects.all())


def test_headline_figures_are_computed_from_the_tables(jaarschijf):
    values = {row["figure"].label: row for row in headline_figures(jaarschijf)}
    assert values["Woningen verkoop"]["computed"] == 55
    assert values["Woningen verkoop"]["differs"] is False
    assert values["Te verbeteren energielabels"]["computed"] == 1581
    renovation = values["Woningen renovatie"]
    # The renovation table counts Paadweg after the merge (17 duplexes into 9 family homes)
    # and the twice-listed Saffierflat once: exactly the printed 245, no false discrepancy.
    assert (renovation["computed"], renovation["figure"].printed_value) == (245, 245)
    assert renovation["differs"] is False
    assert values["Complexen renovatie"]["computed"] == 10
    assert HeadlineFigure.objects.count() == 4


def test_loading_the_fixture_twice_changes_nothing(jaarschijf):
    def snapshot():
        out = io.StringIO()
        call_command(
            "dumpdata",
            "agreements",
            "projects",
            "sustainability",
            stdout=out,
            natural_foreign=True,
        )
        return json.loads(out.getvalue())

    before = snapshot()
    call_command("loaddata", "jaarschijf-2024", verbosity=0)
    assert snapshot() == before


@pytest.mark.parametrize(
    ("make_bad", "constraint"),
    [
        (
            lambda j: Action.objects.create(
                jaarschijf=j,
                theme=Theme.objects.get(jaarschijf=j, number=1),
                number="1.7",
                text="x",
            ),
            "action_number_unique_per_jaarschijf",
        ),
        (
            lambda j: ProgressUpdate.objects.create(
                action=Action.objects.get(number="1.7"), status="op_schema", percent_done=120
            ),
            "progress_percent_0_100",
        ),
        (
            lambda j: ProgressUpdate.objects.create(
                action=Action.objects.get(number="1.7"), status="vertraagd", percent_done=5
            ),
            "progress_explanation_when_late_or_dropped",
        ),
        (
            lambda j: ProgressUpdate.objects.create(
                action=Action.objects.get(number="1.7"), status="klaar", percent_done=5
            ),
            "progress_status_valid",
        ),
        (
            lambda j: EnergyLabelFigure.objects.create(
                jaarschijf=j, corporation=Party.objects.get(name="Weller"), year=2024, target=1
            ),
            "label_figure_unique_per_corporation_year",
        ),
        (
            lambda j: Project.objects.filter(name="Paadweg").update(dwellings=-1),
            "dwellings",
        ),
        (lambda j: BatStock.objects.filter(bat_class="BAT1").update(count=-5), "count"),
        (
            lambda j: Project.objects.filter(name="Paadweg").update(status="klaar"),
            "project_status_valid",
        ),
    ],
    ids=[
        "duplicate-action-number",
        "percentage-over-100",
        "delay-without-explanation",
        "unknown-progress-status",
        "second-label-figure-same-year",
        "negative-dwellings",
        "negative-bat-stock",
        "unknown-project-status",
    ],
)
def test_postgresql_itself_refuses_bad_data(jaarschijf, make_bad, constraint):
    with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
        make_bad(jaarschijf)


@pytest.mark.parametrize(
    ("name", "realised", "met"),
    [
        ("DAEB-toewijzing", "86.5", True),  # at least 85 %
        ("DAEB-toewijzing", "84", False),
        ("Vrije toewijzing", "15", True),  # at most 15 %
        ("Herverhuringen", "1300", True),  # "1300 woningen": the document says no "circa"
        ("Herverhuringen", "1100", False),
        ("Verhuurde woningen corporaties in Heerlen", "16200", None),  # circa: an estimate
        ("Onderzoek aanpak woningen De Hees", "500", None),  # "ruim 480": an estimate
    ],
)
def test_a_realisation_is_judged_against_its_target_and_comparator(jaarschijf, name, realised, met):
    value = IndicatorValue.objects.get(indicator__name=name)
    value.realised = Decimal(realised)
    assert value.is_met() is met
    value.realised = None
    assert value.is_met() is None


def test_2_5_parties_follow_the_text_and_the_bold_rent_list_names_no_lead(jaarschijf):
    # The party column of 2.5 holds the corporations' budgeted rent rises in bold, not leads;
    # the text speaks of all corporations (naming Woonpunt too) and the tenant organisations.
    subject = Action.objects.get(jaarschijf=jaarschijf, number="2.5")
    parties = {ap.party.name: ap.is_lead for ap in subject.action_parties.all()}
    assert parties == {"Woningcorporaties": False, "Huurdersorganisaties": False}
    woonpunt = Party.objects.get(name="Woonpunt")
    assert Action.objects.involving(woonpunt).filter(pk=subject.pk).exists()


# --- Second reading (READING-2.md): corrections, one test each ----------------------------


def test_a_kengetal_note_says_each_thing_once_and_nothing_of_one_party_for_all(jaarschijf):
    """B6: the notes of the values were glued together into the kengetal's note."""
    budget = Indicator.objects.get(name="Huurstijging (concernbreed, begroting)")
    quota = Indicator.objects.get(name="Taakstelling huisvesting vergunninghouders")
    share = Indicator.objects.get(name__startswith="Aandeel taakstelling vergunninghouders")

    assert budget.note.count("houden in hun begroting vooralsnog rekening met") == 1
    assert quota.note.count("Eenheid staat niet in het document.") == 1
    for indicator in (budget, share):  # "Vincio" concerns one value; its target_text says so
        assert "Vincio" not in indicator.note
    assert IndicatorValue.objects.get(indicator=share, party__name="Vincio Wonen").target_text == (
        "Vincio: 16 %"
    )


def test_expectations_assumptions_and_regional_budgets_keep_their_words(jaarschijf):
    """B3, B4, B5: what a number is, in the document's words, stays beside the number."""

    def qualifier(name):
        return IndicatorValue.objects.get(indicator__name=name).target_qualifier

    # "Voor 2024 is de huisvesting van 120 kandidaten via het Loket Housing begroot voor de
    # regio Parkstad Limburg": a regional budget, not a Heerlen target.
    assert qualifier("Huisvesting kandidaten via Loket Housing") == (
        "begroot voor de regio Parkstad Limburg"
    )
    # "Op basis van een gemiddelde mutatiegraad van 8% verwachten wij in 2024 1300 woningen
    # opnieuw te verhuren": an expectation, printed without 'circa', so exact.
    herverhuring = IndicatorValue.objects.get(indicator__name="Herverhuringen")
    assert (herverhuring.target, herverhuring.target_comparator) == (Decimal("1300"), "exact")
    assert herverhuring.target_qualifier.startswith("verwachting")
    assert qualifier("Mutatiegraad").startswith("gemiddelde, uitgangspunt")
    assert qualifier("Verhuurde woningen corporaties in Heerlen").startswith("omvang")
    # "in 2024 en 2025 (elk) begrenst op 0,5% beneden de CAO-loonontwikkeling"
    assert qualifier("Huursomstijging (landelijke prestatieafspraken)") == (
        "landelijk, in 2024 en 2025 (elk)"
    )
    budgets = IndicatorValue.objects.filter(
        indicator__name="Huurstijging (concernbreed, begroting)"
    )
    assert {v.target_qualifier for v in budgets} == {"vooralsnog, in de begroting"}


def test_nnb_is_not_a_class_in_the_bat_or_rent_breakdown(jaarschijf):
    """B8: '8 nnb' (nog niet bekend) is eight dwellings whose class is unknown, not a class."""
    assert not ProjectBreakdown.objects.filter(label__iexact="nnb").exists()
    soesterberg = Project.objects.get(name__contains="Soesterbergstr.")
    assert (soesterberg.dwellings, soesterberg.bat_class, soesterberg.rent_class) == (
        8,
        "8 nnb",
        "8 nnb",
    )
    assert not soesterberg.breakdowns.exists()
    beersdal = Project.objects.get(name="Beersdalweg")
    assert [(b.kind, b.label, b.count) for b in beersdal.breakdowns.all()] == [("bat", "BAT-0", 2)]


def test_milestones_say_where_the_document_gives_no_date_or_no_party(jaarschijf):
    """B11, B13, B14: a date or a party the document does not give is said to be a choice."""
    from cycle.models import Milestone

    concept = Milestone.objects.get(code="4-2-conceptvisie-woonzorg")
    # "een conceptvisie … n.a.v. de bestuurlijke bijeenkomst in februari 2024": February is
    # the meeting; the concept follows it, within the 2024 trajectory: due at the end of 2024,
    # not overdue the day after the signing (28-02-2024).
    assert concept.due_text == "n.a.v. de bestuurlijke bijeenkomst in februari 2024"
    assert (concept.due_date, concept.due_precision) == (date(2024, 12, 31), "jaar")
    assert "geen eigen datum" in concept.note
    assert "niet van de conceptvisie" in concept.note

    annual_report = Milestone.objects.get(code="thema-1-jaarverslag-woonruimteverdeling")
    assert annual_report.responsible.name == "Kernteam prestatieafspraken"
    assert "niet omdat het document het zegt" in annual_report.note

    spread = Milestone.objects.get(code="4-4-beeld-spreiding-doelgroepen")
    assert spread.responsible.name == "Woningcorporaties"
    assert "keuze die niet uit het document komt" in spread.note

    # Where the document names several parties (bold, or "alle betrokken partijen") and a
    # milestone holds one, its note says that one is a choice.
    for code in (
        "1-16-0-meting",
        "2-4-monitoring-extra-ruimte",
        "5-1-gebiedsvisie-heerlen-noord",
        "6-3-regionale-prestatieafspraken",
    ):
        assert "keuze die niet uit het document komt" in Milestone.objects.get(code=code).note
    for code in ("thema-4-toekomstvisie-wonen-zorg", "thema-4-instrumenten-wijken"):
        chosen = Milestone.objects.get(code=code)
        assert chosen.responsible.name == "Kernteam prestatieafspraken"
        assert "niet omdat het document het zegt" in chosen.note

    # "vóór 15 november 2024": the last day is the 14th, as the help text of the date says.
    jaarschijf_2025 = Milestone.objects.get(code="6-1-jaarschijf-2025")
    assert jaarschijf_2025.due_date == date(2024, 11, 14)
    assert jaarschijf_2025.due_text == "vóór 15 november 2024"


def test_an_option_the_document_leaves_to_the_corporations_is_no_milestone(jaarschijf):
    """2.5: corporations *may* raise rents by income from 01-07-2024, and three said they
    will not: no deadline for all five corporations that would read as late. Vincio Wonen's
    own intention (2.1) is a milestone of Vincio Wonen."""
    from cycle.models import Milestone

    assert not Milestone.objects.filter(jaarschijf=jaarschijf, action__number="2.5").exists()
    (vincio,) = Milestone.objects.filter(jaarschijf=jaarschijf, action__number="2.1")
    assert vincio.responsible.name == "Vincio Wonen"
    assert vincio.due_date == date(2024, 7, 1)


def test_woonpunts_sale_over_ten_years_says_the_key_figure_counts_it_this_year(jaarschijf):
    sale = Project.objects.get(
        jaarschijf=jaarschijf, category="verkoop", corporation__name="Woonpunt"
    )
    assert sale.dwellings == 14 and sale.dwellings_comparator == "circa"
    assert "de komende tien jaar" in sale.description
    assert "tien jaar" in sale.source_note and "55" in sale.source_note
