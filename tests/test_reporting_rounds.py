"""Reporting rounds: composed in the browser form, counted per party, frozen at closing."""

import io
import re
from datetime import date, datetime, timedelta

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts.models import UserRole
from agreements.forms import URL_MESSAGE
from agreements.models import Indicator, IndicatorValue, Party
from agreements.services import record_indicator_realisation
from core.formats import nl_date
from cycle import services as cycle_services
from cycle.models import ReportingRound, Submission
from sustainability.models import EnergyLabelFigure
from sustainability.services import LabelRealisation, record_label_realisations

from .factories import (
    action,
    login,
    make_progress_update,
    make_round,
    make_user,
    pdf_bytes,
    pdf_upload,
)
from .helpers_dashboard import page_text

pytestmark = pytest.mark.django_db

SHARE = "Aandeel taakstelling vergunninghouders (verdeling naar rato bezit)"


def open_round(client, kernteamlid, name="Voortgangsrapportage 1e halfjaar 2024", **extra):
    indicator = Indicator.objects.get(jaarschijf__year=2024, name=SHARE)
    data = {
        "name": name,
        "period_start": "01-01-2024",
        "period_end": "30-06-2024",
        "deadline": "15-07-2024",
        "past_deadline_accepted": "on",
        "open_actions": "on",
        "efg": "on",
        "indicators": [indicator.pk],
        "deliverable": "Cijfers vastgoedvoorraad en ontwikkeling (6.5)",
        "deliverable_party": Party.objects.get(name="Woningcorporaties").pk,
        **extra,
    }
    response = login(client, kernteamlid).post(reverse("cycle:round-new") + "?jaar=2024", data)
    assert response.status_code == 302, response.context["form"].errors
    return ReportingRound.objects.get(name=name)


def weller_row(client, reporting_round):
    response = client.get(reverse("cycle:round-detail", args=[reporting_round.pk]))
    rows = {p.party_slug: p for p in response.context["parties"]}
    return rows["weller"], response


def weller_leads_open_actions():
    from agreements.models import Action

    return Action.objects.filter(jaarschijf__year=2024).involving(
        Party.objects.get(name="Weller"), lead_only=True
    )


def test_a_round_asks_weller_for_its_actions_figures_and_the_6_5_deliverable(client, kernteamlid):
    reporting_round = open_round(client, kernteamlid)
    weller, response = weller_row(client, reporting_round)
    subjects = [a.subject for a in weller.asks]
    expected_actions = weller_leads_open_actions().count()
    assert sum(1 for s in subjects if s.startswith("Afspraak ")) == expected_actions > 0
    assert "EFG-labels 2024" in subjects
    assert f"{SHARE} 2024" in subjects
    assert "Cijfers vastgoedvoorraad en ontwikkeling (6.5)" in subjects
    assert weller.delivered == 0 and weller.asked == len(subjects)
    assert f"0 van {weller.asked} aangeleverd" in response.content.decode()
    # the municipality is asked for its actions, not for the corporations' 6.5 figures
    rows = {p.party_slug: p for p in response.context["parties"]}
    gemeente = [a.subject for a in rows["gemeente-heerlen"].asks]
    assert "Cijfers vastgoedvoorraad en ontwikkeling (6.5)" not in gemeente


def test_opening_a_round_without_anything_asked_or_with_a_reversed_period_says_so(
    client, kernteamlid
):
    response = login(client, kernteamlid).post(
        reverse("cycle:round-new") + "?jaar=2024",
        {
            "name": "Leeg",
            "period_start": "30-06-2024",
            "period_end": "01-01-2024",
            "deadline": "15-07-2024",
            "past_deadline_accepted": "on",
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "eindigt op of na" in form.errors["period_end"][0]
    assert "ten minste één onderdeel" in form.non_field_errors()[0]
    assert not ReportingRound.objects.exists()


def test_the_service_refuses_a_round_that_asks_nothing_with_the_pages_words(
    kernteamlid, jaarschijf
):
    # A command or any other caller of the service gets the page's answer.
    with pytest.raises(ValidationError) as error:
        cycle_services.open_round(
            jaarschijf=jaarschijf,
            user=kernteamlid,
            name="Leeg",
            period_start=date(2024, 6, 30),
            period_end=date(2024, 1, 1),
            deadline=date(2024, 7, 15),
            items=[],
        )

    assert error.value.message_dict == {
        NON_FIELD_ERRORS: ["Kies ten minste één onderdeel dat de ronde vraagt."],
        "period_end": ["De periode eindigt op of na de dag waarop zij begint."],
    }
    assert not ReportingRound.objects.exists()


def test_only_the_kernteam_opens_and_closes_rounds(client, weller_medewerker, kernteamlid):
    assert login(client, weller_medewerker).get(reverse("cycle:round-new")).status_code == 403
    reporting_round = open_round(client, kernteamlid)
    response = login(client, weller_medewerker).post(
        reverse("cycle:round-close", args=[reporting_round.pk]),
        {"version": reporting_round.version, "confirmed": "on"},
    )
    assert response.status_code == 403
    reporting_round.refresh_from_db()
    assert reporting_round.is_open


def test_closing_a_round_needs_a_confirmation_that_says_what_is_missing_and_how_soon(
    client, kernteamlid
):
    """Closing cannot be undone: without the checkbox the round stays open and the message
    stands at it; the text at it counts what is not delivered and says the deadline is to come."""
    deadline = timezone.localdate() + timedelta(days=20)
    reporting_round = open_round(client, kernteamlid, deadline=nl_date(deadline))
    url = reverse("cycle:round-close", args=[reporting_round.pk])
    asked = page_text(client.get(reporting_round.get_absolute_url()))
    match = re.search(r"(\d+) van de (\d+) onderdelen zijn niet aangeleverd", asked)
    assert match and match.group(1) == match.group(2)  # nothing delivered yet
    assert f"de uiterste aanleverdatum ({nl_date(deadline)}) is nog niet voorbij" in asked

    response = client.post(url, {"version": reporting_round.version})

    assert response.status_code == 200
    html = response.content.decode()
    assert "Vink aan dat u de ronde sluit; zonder dat blijft zij open." in html
    # the error summary names the checkbox by its short label
    assert "Ik wil deze ronde sluiten</a>: Vink aan" in html
    assert 'aria-invalid="true"' in html
    reporting_round.refresh_from_db()
    assert reporting_round.is_open and not reporting_round.snapshot
    closed = client.post(url, {"version": reporting_round.version, "confirmed": "on"})
    assert closed.status_code == 302
    reporting_round.refresh_from_db()
    assert not reporting_round.is_open


def test_updates_realisations_and_submissions_during_the_round_count_for_weller(
    client, kernteamlid, weller_medewerker
):
    reporting_round = open_round(client, kernteamlid)
    first = weller_leads_open_actions().first()
    make_progress_update(first, weller_medewerker, status="op_schema", percent_done=40)
    share = IndicatorValue.objects.get(indicator__name=SHARE, party__name="Weller")
    record_indicator_realisation(
        value=share, user=weller_medewerker, version=share.version, realised=31
    )
    figure = EnergyLabelFigure.objects.get(
        jaarschijf__year=2024, corporation__name="Weller", year=2024
    )
    record_label_realisations(
        user=weller_medewerker,
        jaarschijf=figure.jaarschijf,
        corporation=figure.corporation,
        rows=[LabelRealisation(figure_id=figure.pk, version=figure.version, realised=470)],
    )
    item = reporting_round.items.get(kind="stuk")
    response = login(client, weller_medewerker).post(
        reverse("cycle:round-submit", args=[item.pk]),
        {"text": "Voorraad 14.012 vhe, zie Woonatlas"},
    )
    assert response.status_code == 302
    weller, _ = weller_row(client, reporting_round)
    assert weller.delivered == 4
    values = {a.subject: a.value for a in weller.asks if a.delivered}
    assert values[f"Afspraak {first.number}"] == "Op schema, 40 %"
    assert values["EFG-labels 2024"] == "470"
    assert values[f"{SHARE} 2024"] == "31"


def test_a_figure_filled_in_and_emptied_again_during_the_round_is_not_delivered(
    client, kernteamlid, weller_medewerker
):
    """An empty figure is unknown: saved and then cleared, it does not count as delivered,
    neither on the round page nor in the frozen report."""
    reporting_round = open_round(client, kernteamlid)
    share = IndicatorValue.objects.get(indicator__name=SHARE, party__name="Weller")
    record_indicator_realisation(
        value=share, user=weller_medewerker, version=share.version, realised=31
    )
    share.refresh_from_db()
    record_indicator_realisation(
        value=share, user=weller_medewerker, version=share.version, realised=None
    )
    figure = EnergyLabelFigure.objects.get(
        jaarschijf__year=2024, corporation__name="Weller", year=2024
    )
    for realised in (1234, None):
        figure.refresh_from_db()
        record_label_realisations(
            user=weller_medewerker,
            jaarschijf=figure.jaarschijf,
            corporation=figure.corporation,
            rows=[LabelRealisation(figure_id=figure.pk, version=figure.version, realised=realised)],
        )

    weller, _ = weller_row(client, reporting_round)
    asks = {a.subject: a for a in weller.asks}
    for subject in ("EFG-labels 2024", f"{SHARE} 2024"):
        assert (asks[subject].delivered, asks[subject].value) == (False, "onbekend"), subject
    assert weller.delivered == 0
    cycle_services.close_round(
        reporting_round=reporting_round, user=kernteamlid, version=reporting_round.version
    )
    weller, _ = weller_row(client, reporting_round)
    assert weller.delivered == 0


def test_a_party_not_asked_cannot_submit_and_an_empty_text_is_refused(
    client, kernteamlid, gemeente_medewerker, weller_medewerker
):
    reporting_round = open_round(client, kernteamlid)
    item = reporting_round.items.get(kind="stuk")
    url = reverse("cycle:round-submit", args=[item.pk])
    assert login(client, gemeente_medewerker).post(url, {"text": "x"}).status_code == 403
    response = login(client, weller_medewerker).post(url, {"text": ""})
    assert "Vul de cijfers" in response.context["form"].errors["text"][0]
    assert not Submission.objects.exists()


def report_of(client, reporting_round) -> str:
    """The report as the page shows it (the main element; the header has a fresh nonce)."""
    html = client.get(reverse("cycle:round-detail", args=[reporting_round.pk])).content.decode()
    return html[html.index("<main") : html.index("</main>")]


def workbook_cells(client, reporting_round):
    response = client.get(reverse("cycle:round-workbook", args=[reporting_round.pk]))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return {ws.title: [[c.value for c in row] for row in ws.iter_rows()] for ws in book}


def test_closing_freezes_the_report_later_edits_change_the_live_pages_only(
    client, kernteamlid, weller_medewerker
):
    reporting_round = open_round(client, kernteamlid)
    first = weller_leads_open_actions().first()
    make_progress_update(first, weller_medewerker, status="op_schema", percent_done=40)
    client = login(client, kernteamlid)
    closed = client.post(
        reverse("cycle:round-close", args=[reporting_round.pk]),
        {"version": 1, "confirmed": "on"},
        follow=True,
    )
    assert "De ronde is gesloten; het rapport ligt vast." in closed.content.decode()
    reporting_round.refresh_from_db()
    assert not reporting_round.is_open and reporting_round.snapshot
    page_before = report_of(client, reporting_round)
    book_before = workbook_cells(client, reporting_round)
    assert book_before["Onderdelen"][0][:4] == ["Partij", "Onderdeel", "Onderwerp", "Aangeleverd"]
    assert ["Weller", f"Afspraak {first.number}", "Ja", "Op schema, 40 %"] in [
        [row[0], row[2], row[3], row[4]] for row in book_before["Onderdelen"]
    ]
    # The file says what it is: which round and period, and the state of which moment.
    about = {row[0]: row[1] for row in book_before["Ronde"][1:] if row and row[0]}
    assert book_before["Ronde"][0][0] == "Rapport Voortgangsrapportage 1e halfjaar 2024"
    # real dates (openpyxl reads them as datetimes at midnight)
    assert [about[k].date() for k in ("Periode van", "Periode tot en met")] == [
        date(2024, 1, 1),
        date(2024, 6, 30),
    ]
    assert about["Uiterste aanleverdatum"].date() == date(2024, 7, 15)
    assert about["Status"] == "Gesloten"
    assert about["Jaarschijf"] == 2024  # a number, printed without a thousands dot
    assert about["Vergeleken met"] == "geen: er is geen eerder gesloten ronde"
    # opened in 2026, after its deadline: the state at closing
    assert about["Peilmoment"] == (
        "Het moment van sluiten (de ronde werd pas na de uiterste aanleverdatum geopend)"
    )
    assert isinstance(about["Stand van"], datetime)
    assert (about["Gevraagd"], about["Aangeleverd"]) == (
        len(book_before["Onderdelen"]) - 1,
        sum(1 for row in book_before["Onderdelen"][1:] if row[3] == "Ja"),
    )

    make_progress_update(
        first, weller_medewerker, status="vertraagd", percent_done=45, explanation="Later"
    )
    live = client.get(first.get_absolute_url()).content.decode()
    assert "Later" in live and "Vertraagd" in live
    assert report_of(client, reporting_round) == page_before
    assert workbook_cells(client, reporting_round) == book_before
    assert "Op schema, 40 %" in page_before


def test_the_next_round_compares_with_the_previous_one(client, kernteamlid, weller_medewerker):
    first_round = open_round(client, kernteamlid)
    first = weller_leads_open_actions().first()
    make_progress_update(first, weller_medewerker, status="op_schema", percent_done=40)
    client = login(client, kernteamlid)
    client.post(
        reverse("cycle:round-close", args=[first_round.pk]), {"version": 1, "confirmed": "on"}
    )
    second = open_round(client, kernteamlid, name="Jaarevaluatie 2024")
    make_progress_update(first, weller_medewerker, status="op_schema", percent_done=70)
    html = client.get(reverse("cycle:round-detail", args=[second.pk])).content.decode()
    assert "sinds de vorige rapportage" in html
    assert "was: Op schema, 40 %" in html


def test_mijn_werk_lists_what_the_round_asks_and_links_to_the_forms(
    client, kernteamlid, weller_medewerker
):
    reporting_round = open_round(client, kernteamlid)
    response = login(client, weller_medewerker).get(reverse("cycle:my-work") + "?jaar=2024")
    html = response.content.decode()
    item = reporting_round.items.get(kind="stuk")
    assert reverse("cycle:round-submit", args=[item.pk]) in html
    assert reverse("sustainability:labelfigure-entry", args=["weller"]) in html
    first = weller_leads_open_actions().first()
    assert reverse("agreements:action-update", args=[2024, first.number]) in html
    assert "Mijlpalen" in html


def section_of(html: str, slug: str) -> str:
    """One party's part of the round page."""
    start = html.index(f'id="partij-{slug}"')
    end = html.find("<section", start)
    return html[start : end if end != -1 else html.index("</main>")]


def test_the_round_page_links_each_subject_and_offers_a_writer_only_its_own_forms(
    client, kernteamlid, weller_medewerker, huurder
):
    reporting_round = open_round(client, kernteamlid)
    page = reverse("cycle:round-detail", args=[reporting_round.pk])
    first = weller_leads_open_actions().first()
    detail = reverse("agreements:action-detail", args=[2024, first.number])
    update = reverse("agreements:action-update", args=[2024, first.number])
    item = reporting_round.items.get(kind="stuk")
    submit = reverse("cycle:round-submit", args=[item.pk])
    efg = reverse("sustainability:labelfigure-entry", args=["weller"])

    html = login(client, weller_medewerker).get(page).content.decode()
    weller = section_of(html, "weller")
    assert f'href="{detail}"' in weller  # the subject leads to the action
    assert f'href="{update}"' in weller and f'href="{submit}"' in weller
    assert f'href="{efg}"' in weller and "Aanleveren" in weller
    # another party's asks are readable, not answerable by Weller
    gemeente = section_of(html, "gemeente-heerlen")
    assert "/afspraken/2024/" in gemeente and "Aanleveren" not in gemeente
    assert "/bijwerken/" not in gemeente

    # a reader of a party that is asked follows the subjects but is offered no form
    html = login(client, huurder).get(page).content.decode()
    assert f'href="{detail}"' in html
    assert "Aanleveren" not in html and f'href="{update}"' not in html

    # once the round is closed, nobody is offered a form on it
    login(client, kernteamlid).post(
        reverse("cycle:round-close", args=[reporting_round.pk]), {"version": 1, "confirmed": "on"}
    )
    html = login(client, weller_medewerker).get(page).content.decode()
    assert f'href="{detail}"' in html
    assert "Aanleveren" not in html and f'href="{update}"' not in html


def test_the_round_page_says_which_asked_parties_have_nobody_who_can_deliver(
    client, kernteamlid, weller_medewerker, huurder
):
    """The document makes the tenant organisations trekker of some actions, so a round asks
    them; a party whose users only read (or that has none) can never deliver, and the page
    says so instead of leaving it at "0 van N" for good."""
    reporting_round = open_round(client, kernteamlid)
    page = reverse("cycle:round-detail", args=[reporting_round.pk])
    html = client.get(page).content.decode()
    tenants = "weller-huurdersvereniging-en"  # the huurder reads only
    assert f'id="partij-{tenants}"' in html  # it is asked (trekker through a collective)
    assert "Niemand van Weller - huurdersvereniging(en) kan dit aanleveren" in html
    assert 'id="niemand-weller"' not in html  # Weller has a medewerker
    assert 'id="niemand-wonen-zuid"' not in html  # and Wonen Zuid a kernteam member

    # a writing member of the tenant organisation makes it answerable
    make_user(UserRole.MEDEWERKER, "Weller - huurdersvereniging(en)", "huurder-schrijft")
    html = client.get(page).content.decode()
    assert "Niemand van Weller - huurdersvereniging(en)" not in html

    # a closed round is history: it no longer says who could deliver now
    client.post(
        reverse("cycle:round-close", args=[reporting_round.pk]), {"version": 1, "confirmed": "on"}
    )
    assert "kan dit aanleveren" not in client.get(page).content.decode()


def test_mijn_werk_names_each_open_round_once_with_its_items_and_what_is_left(
    client, kernteamlid, weller_medewerker
):
    reporting_round = open_round(client, kernteamlid)
    html = login(client, weller_medewerker).get(reverse("cycle:my-work") + "?jaar=2024")
    html = html.content.decode()
    part = html[html.index('id="ronde-onderdelen"') : html.index('id="mijlpalen"')]
    assert part.count(f">{reporting_round.name}</h3>") == 1  # a heading, not on every line
    assert reporting_round.name not in "".join(part.split("<li")[1:])
    asked = len(weller_leads_open_actions()) + 3  # EFG, the indicator, the 6.5 figures
    assert f"nog {asked} onderdelen" in part
    assert reverse("cycle:round-detail", args=[reporting_round.pk]) in part
    # the open actions as one line: the item's title once, each action a link
    lines = [line for line in part.split("<li") if "Voortgang van alle open afspraken" in line]
    assert len(lines) == 1
    for number in weller_leads_open_actions().values_list("number", flat=True):
        assert reverse("agreements:action-update", args=[2024, number]) in lines[0]


def test_mijn_werk_sends_readers_to_the_dashboard(client, huurder):
    assert login(client, huurder).get(reverse("cycle:my-work"))["Location"] == reverse(
        "overview:dashboard"
    )


def test_mijn_werk_shows_stale_actions_and_open_figures_of_the_party(client, weller_medewerker):
    html = login(client, weller_medewerker).get(reverse("cycle:my-work") + "?jaar=2024")
    text = html.content.decode()
    assert "Voortgang melden voor afspraak 1.8" in text  # Weller is trekker, never updated
    assert "EFG-realisatie invullen: EFG-labels 2024" in text
    make_progress_update(action("1.8"), weller_medewerker)
    text = client.get(reverse("cycle:my-work") + "?jaar=2024").content.decode()
    assert "Voortgang melden voor afspraak 1.8" not in text


def test_the_kernteam_finds_its_open_rounds_on_mijn_werk(client, kernteamlid):
    reporting_round = open_round(client, kernteamlid)
    html = client.get(reverse("cycle:my-work") + "?jaar=2024").content.decode()
    assert "Open rapportagerondes (kernteam)" in html
    assert reporting_round.get_absolute_url() in html


def test_the_report_freezes_what_each_item_said_at_the_deadline_not_at_closing(
    client, kernteamlid, weller_medewerker
):
    """Weller reports during the round; after the deadline (before closing) it changes its
    update and its figure and delivers the 6.5 figures late: none of that enters the report."""
    now = timezone.now()
    reporting_round = open_round(client, kernteamlid)
    ReportingRound.objects.filter(pk=reporting_round.pk).update(
        opened_at=now - timedelta(days=10),
        deadline=timezone.localdate() - timedelta(days=2),
    )
    reporting_round.refresh_from_db()
    during = now - timedelta(days=5)
    first = weller_leads_open_actions().first()
    make_progress_update(
        first, weller_medewerker, status="op_schema", percent_done=40, created_at=during
    )
    share = IndicatorValue.objects.get(indicator__name=SHARE, party__name="Weller")
    record_indicator_realisation(
        value=share, user=weller_medewerker, version=share.version, realised=31
    )
    IndicatorValue.history.filter(id=share.pk).update(history_date=during)
    share.refresh_from_db()

    # after the deadline, before closing
    make_progress_update(
        first, weller_medewerker, status="vertraagd", percent_done=45, explanation="Na de deadline"
    )
    record_indicator_realisation(
        value=share, user=weller_medewerker, version=share.version, realised=99
    )
    item = reporting_round.items.get(kind="stuk")
    login(client, weller_medewerker).post(
        reverse("cycle:round-submit", args=[item.pk]), {"text": "Te laat aangeleverd"}
    )
    assert Submission.objects.count() == 1
    live = report_of(client, reporting_round)
    assert "Na de deadline" in live and "Te laat aangeleverd" in live  # the live page has it

    client = login(client, kernteamlid)
    client.post(
        reverse("cycle:round-close", args=[reporting_round.pk]), {"version": 1, "confirmed": "on"}
    )
    weller, response = weller_row(client, reporting_round)
    values = {a.subject: (a.delivered, a.value) for a in weller.asks}
    assert values[f"Afspraak {first.number}"] == (True, "Op schema, 40 %")
    assert values[f"{SHARE} 2024"] == (True, "31")
    assert values["Cijfers vastgoedvoorraad en ontwikkeling (6.5)"] == (False, "")
    page = report_of(client, reporting_round)
    assert "Na de deadline" not in page and "Te laat aangeleverd" not in page
    deadline_day = nl_date(reporting_round.deadline)
    assert f"Dit rapport is de stand op {deadline_day} 23:59: het einde van de uiterste" in page
    rows = workbook_cells(client, reporting_round)["Onderdelen"]
    assert ["Weller", f"Afspraak {first.number}", "Ja", "Op schema, 40 %"] in [
        [row[0], row[2], row[3], row[4]] for row in rows
    ]


def test_a_round_closed_before_its_deadline_reports_the_moment_of_closing(
    client, kernteamlid, weller_medewerker
):
    reporting_round = open_round(client, kernteamlid, deadline="31-12-2099")
    first = weller_leads_open_actions().first()
    make_progress_update(first, weller_medewerker, status="op_schema", percent_done=40)
    client = login(client, kernteamlid)
    client.post(
        reverse("cycle:round-close", args=[reporting_round.pk]), {"version": 1, "confirmed": "on"}
    )
    weller, _ = weller_row(client, reporting_round)
    values = {a.subject: a.value for a in weller.asks}
    assert values[f"Afspraak {first.number}"] == "Op schema, 40 %"
    assert "het moment van sluiten, vóór de uiterste aanleverdatum" in report_of(
        client, reporting_round
    )


def test_a_round_opened_after_its_deadline_says_its_report_is_the_state_at_closing(
    client, kernteamlid, weller_medewerker
):
    """A round recorded afterwards (its deadline already past when it opened) reports what
    was delivered until it closed, and says why, rather than claim the deadline came later."""
    reporting_round = open_round(client, kernteamlid)  # deadline 15-07-2024, opened today
    first = weller_leads_open_actions().first()
    make_progress_update(first, weller_medewerker, status="op_schema", percent_done=40)
    client = login(client, kernteamlid)
    client.post(
        reverse("cycle:round-close", args=[reporting_round.pk]), {"version": 1, "confirmed": "on"}
    )
    weller, _ = weller_row(client, reporting_round)
    assert {a.subject: a.value for a in weller.asks}[f"Afspraak {first.number}"] == (
        "Op schema, 40 %"
    )
    page = report_of(client, reporting_round)
    assert "het moment van sluiten (de ronde werd pas na de uiterste aanleverdatum geopend)" in page
    assert "het einde van de uiterste aanleverdatum" not in page


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def test_weller_answers_the_deliverable_with_a_file_that_only_the_kernteam_and_weller_download(
    client, kernteamlid, weller_medewerker, woonpunt_medewerker, media
):
    reporting_round = open_round(client, kernteamlid)
    item = reporting_round.items.get(kind="stuk")
    data = pdf_bytes()
    response = login(client, weller_medewerker).post(
        reverse("cycle:round-submit", args=[item.pk]),
        {"text": "", "file": pdf_upload("voorraad 2024.pdf", data)},
    )
    assert response.status_code == 302
    submission = Submission.objects.get()
    assert submission.original_name == "voorraad 2024.pdf" and submission.file_kind == "pdf"
    assert "voorraad" not in submission.file.name  # stored under a random name

    weller, page = weller_row(login(client, kernteamlid), reporting_round)
    ask = next(a for a in weller.asks if a.subject.startswith("Cijfers vastgoedvoorraad"))
    assert ask.delivered and ask.value == "bestand: voorraad 2024.pdf"
    download = reverse("cycle:submission-file", args=[submission.pk])
    assert download in page.content.decode()
    got = client.get(download)
    assert got.status_code == 200
    assert b"".join(got.streaming_content) == data
    assert got["Content-Disposition"].startswith("attachment")
    assert got["Content-Type"] == "application/pdf"
    assert login(client, weller_medewerker).get(download).status_code == 200
    assert login(client, woonpunt_medewerker).get(download).status_code == 403
    page = client.get(reverse("cycle:round-detail", args=[reporting_round.pk])).content.decode()
    assert download not in page  # Woonpunt sees that Weller delivered, not the file

    # the closed round's report keeps the file (as it stood at the deadline)
    login(client, kernteamlid).post(
        reverse("cycle:round-close", args=[reporting_round.pk]), {"version": 1, "confirmed": "on"}
    )
    assert download in report_of(client, reporting_round)


def test_a_file_that_is_no_document_or_too_large_is_refused_at_the_field_and_nothing_saved(
    client, kernteamlid, weller_medewerker, media, settings
):
    reporting_round = open_round(client, kernteamlid)
    url = reverse("cycle:round-submit", args=[reporting_round.items.get(kind="stuk").pk])
    client = login(client, weller_medewerker)
    fake = SimpleUploadedFile("cijfers.pdf", b"MZ\x90\x00 geen pdf", "application/pdf")
    response = client.post(url, {"text": "Zie bestand", "file": fake})
    assert response.status_code == 200
    assert "cijfers.pdf: Dit bestand is geen PDF" in response.context["form"].errors["file"][0]
    settings.EVIDENCE_MAX_BYTES = 100
    response = client.post(url, {"text": "Zie bestand", "file": pdf_upload()})
    assert "te groot" in response.context["form"].errors["file"][0]
    response = client.post(url, {"text": "", "file": ""})
    assert "of voeg een bestand toe" in response.context["form"].errors["text"][0]
    assert not Submission.objects.exists()
    assert not any(media.rglob("*")) if media.exists() else True


@pytest.mark.parametrize(
    ("dates", "field", "words"),
    [
        ({"period_start": "01-01-0001"}, "period_start", "tussen 01-01-2000 en 31-12-2100"),
        ({"deadline": "31-12-9999"}, "deadline", "tussen 01-01-2000 en 31-12-2100"),
        (
            {"deadline": "01-01-2024"},
            "deadline",
            "De uiterste aanleverdatum ligt op of na het einde van de periode (30-06-2024)",
        ),
    ],
)
def test_a_round_with_an_absurd_date_or_a_deadline_before_the_period_ends_is_refused_at_the_field(
    client, kernteamlid, dates, field, words
):
    data = {
        "name": "Voortgangsrapportage 1e halfjaar 2024",
        "period_start": "01-01-2024",
        "period_end": "30-06-2024",
        "deadline": "15-07-2024",
        "past_deadline_accepted": "on",
        "open_actions": "on",
        **dates,
    }
    response = login(client, kernteamlid).post(reverse("cycle:round-new") + "?jaar=2024", data)
    assert response.status_code == 200
    form = response.context["form"]
    assert words in form.errors[field][0]
    assert not form.non_field_errors()
    assert not ReportingRound.objects.exists()


def test_a_deadline_already_past_is_asked_about_at_the_field_and_opens_only_when_confirmed(
    client, kernteamlid
):
    """A round recorded afterwards is allowed, but never by accident: the message says what a
    past deadline means, and the checkbox to confirm it appears only then."""
    data = {
        "name": "Voortgangsrapportage 1e halfjaar 2024",
        "period_start": "01-01-2024",
        "period_end": "30-06-2024",
        "deadline": "15-07-2024",
        "open_actions": "on",
    }
    url = reverse("cycle:round-new") + "?jaar=2024"
    form_page = login(client, kernteamlid).get(url).content.decode()
    assert 'type="checkbox" name="past_deadline_accepted"' not in form_page

    response = client.post(url, data)

    assert response.status_code == 200
    assert response.context["form"].errors["deadline"] == [
        f"Deze datum is al voorbij (vandaag is {nl_date(timezone.localdate())}). Partijen "
        "kunnen dan aanleveren tot u de ronde sluit, en het rapport legt de stand vast bij het "
        "sluiten. Kies een latere datum, of vink hieronder aan dat u de ronde toch zo opent."
    ]
    html = response.content.decode()
    assert re.search(r'<input type="checkbox" name="past_deadline_accepted"', html)
    assert "Toch openen met een verstreken aanleverdatum" in html
    assert not ReportingRound.objects.exists()

    opened = client.post(url, {**data, "past_deadline_accepted": "on"})
    assert opened.status_code == 302
    assert ReportingRound.objects.get().deadline == date(2024, 7, 15)


def test_an_open_round_past_its_deadline_is_marked_late_and_two_rounds_are_named_as_two(
    client, kernteamlid, weller_medewerker
):
    late = make_round(kernteamlid, [{"kind": "open_afspraken"}], name="Eerste helft")
    due = make_round(
        kernteamlid,
        [{"kind": "open_afspraken"}],
        name="Tweede helft",
        period_start=date(2024, 7, 1),
        period_end=date(2024, 12, 31),
        deadline=timezone.localdate() + timedelta(days=10),
    )
    rounds = page_text(login(client, kernteamlid).get(reverse("cycle:round-list") + "?jaar=2024"))
    assert "Eerste helft · Open · aanleveren uiterlijk 15-07-2024 · aanleverdatum verstreken" in (
        rounds
    )
    assert f"Tweede helft · Open · aanleveren uiterlijk {nl_date(due.deadline)}" in rounds
    assert rounds.count("aanleverdatum verstreken") == 1
    assert "aanleverdatum verstreken" in page_text(client.get(late.get_absolute_url()))
    assert "aanleverdatum verstreken" not in page_text(client.get(due.get_absolute_url()))

    work = page_text(login(client, weller_medewerker).get(reverse("cycle:my-work") + "?jaar=2024"))
    assert "Wat de open rapportagerondes nog vragen" in work
    assert "Eerste helft Te laat: aanleveren was uiterlijk 15-07-2024; nog" in work
    assert f"Tweede helft Aanleveren uiterlijk {nl_date(due.deadline)}; nog" in work
    assert work.index("Eerste helft Te laat") < work.index(
        "Tweede helft Aanleveren"
    )  # urgent first

    cycle_services.close_round(reporting_round=late, user=kernteamlid, version=late.version)
    closed = page_text(client.get(late.get_absolute_url()))
    assert "aanleverdatum verstreken" not in closed  # closed: nothing is late any more
    work = page_text(client.get(reverse("cycle:my-work") + "?jaar=2024"))
    assert "Wat de open rapportageronde nog vraagt" in work


def test_a_deadline_on_the_last_day_of_the_period_is_accepted(kernteamlid, jaarschijf):
    reporting_round = make_round(
        kernteamlid,
        [{"kind": "open_afspraken"}],
        name="Tot en met de laatste dag",
        deadline=date(2024, 6, 30),
    )
    assert reporting_round.deadline == date(2024, 6, 30)


def test_a_second_round_with_the_same_name_is_refused_at_the_name_field(client, kernteamlid):
    open_round(client, kernteamlid, name="Voortgangsrapportage 2024")
    response = client.post(
        reverse("cycle:round-new") + "?jaar=2024",
        {
            "name": "Voortgangsrapportage 2024",
            "period_start": "01-01-2024",
            "period_end": "30-06-2024",
            "deadline": "15-07-2024",
            "past_deadline_accepted": "on",
            "open_actions": "on",
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["name"] == [
        "Er is al een rapportageronde met deze naam in jaarschijf 2024. Kies een andere naam."
    ]
    assert not form.non_field_errors()
    assert ReportingRound.objects.filter(name="Voortgangsrapportage 2024").count() == 1


@pytest.mark.parametrize("address", ["geen webadres", "ftp://bestanden.weller.nl/6-5.xlsx"])
def test_a_submission_with_a_bad_link_says_which_address_is_expected_like_other_forms(
    client, kernteamlid, weller_medewerker, address
):
    reporting_round = open_round(client, kernteamlid)
    item = reporting_round.items.get(kind="stuk")
    response = login(client, weller_medewerker).post(
        reverse("cycle:round-submit", args=[item.pk]), {"text": "Cijfers", "evidence_url": address}
    )
    assert response.context["form"].errors["evidence_url"] == [URL_MESSAGE]
    assert not Submission.objects.exists()


def test_the_new_round_form_lists_the_indicators_in_the_order_of_the_document(client, kernteamlid):
    form = login(client, kernteamlid).get(reverse("cycle:round-new") + "?jaar=2024")
    html = form.content.decode()
    labels = re.findall(r'for="id_indicators_\d+">([\d.]+) ', html)
    numbers = [tuple(int(p) for p in label.split(".")) for label in labels]
    assert len(numbers) == Indicator.objects.filter(jaarschijf__year=2024).count()
    assert numbers == sorted(numbers)
    assert ">Kies een partij</option>" in html  # not "---------"
