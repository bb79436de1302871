"""Milestones: every dated commitment of the document, overdue on the pages, moved and closed."""

import importlib
import json
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone

from core.formats import nl_date
from cycle.models import Milestone, period_end

from .factories import action, login
from .helpers_dashboard import page_text

pytestmark = pytest.mark.django_db

SOURCE = Path(__file__).resolve().parent.parent / "fixtures" / "source" / "milestones.json"


def milestone(number, due, words):
    """The milestone of the action with that due date whose text holds ``words``."""
    rows = Milestone.objects.filter(
        jaarschijf__year=2024, due_date=date.fromisoformat(due), description__contains=words
    )
    rows = rows.filter(action__number=number) if number else rows.filter(action__isnull=True)
    return rows.select_related("responsible").get()


@pytest.mark.parametrize(
    ("number", "due", "words", "printed", "precision", "responsible"),
    [
        # 6.1: the cycle itself
        (
            "6.1",
            "2024-03-31",
            "Evaluatie uitvoeren jaarschijf 2023",
            "in het eerste kwartaal van 2024",
            "kwartaal",
            "Kernteam prestatieafspraken",
        ),  # noqa: E501
        (
            "6.1",
            "2024-06-30",
            "biedingen prestatieafspraken 2025",
            "in het tweede kwartaal van 2024",
            "kwartaal",
            "Woningcorporaties",
        ),  # noqa: E501
        (
            "6.1",
            "2024-11-14",  # "vóór 15 november": the last day is the 14th
            "Opstellen jaarschijf prestatie afspraken 2025",
            "vóór 15 november 2024",
            "dag",
            "Kernteam prestatieafspraken",
        ),  # noqa: E501
        (
            "6.1",
            "2024-09-30",
            "huurdersparticipatie",
            "uitvoering in het derde kwartaal van 2024",
            "kwartaal",
            "Kernteam prestatieafspraken",
        ),  # noqa: E501
        # dates of the agreements themselves
        ("3.2", "2024-03-31", "uitvoeringsplan", "in Q1 van 2024", "kwartaal", "Gemeente Heerlen"),
        (
            "4.6",
            "2024-03-31",
            "problematiek",
            "in het eerste kwartaal van 2024",
            "kwartaal",
            "Gemeente Heerlen",
        ),  # noqa: E501
        (
            "5.12",
            "2024-06-30",
            "eindevaluatie",
            "in het tweede kwartaal 2024",
            "kwartaal",
            "Woningcorporaties",
        ),  # noqa: E501
        (
            "4.2",
            "2024-12-31",  # February is the meeting, not the concept: no date of its own
            "conceptvisie",
            "n.a.v. de bestuurlijke bijeenkomst in februari 2024",
            "jaar",
            "Gemeente Heerlen",
        ),
        ("3.5", "2026-12-31", "in 2026 vastgesteld", "in 2026", "jaar", "Gemeente Heerlen"),
        ("3.4", "2027-12-31", "definitief uitvoeringsplan", "in 2027", "jaar", "Gemeente Heerlen"),
        ("2.1", "2024-07-01", "per 01-07-2024", "per 01-07-2024", "dag", "Vincio Wonen"),
        (
            "2.4",
            "2024-12-31",
            "Jaarlijks monitoren",
            "jaarlijks, als onderdeel van de evaluatie",
            "jaar",
            "Woningcorporaties",
        ),  # noqa: E501
        # half-yearly reports (4.5, 4.8) and the yearly deliveries (6.5)
        (
            "4.5",
            "2024-06-30",
            "ieder halfjaar in een voortgangsrapportage",
            "ieder halfjaar (1e halfjaar 2024)",
            "halfjaar",
            "Gemeente Heerlen",
        ),  # noqa: E501
        (
            "4.5",
            "2024-12-31",
            "ieder halfjaar in een voortgangsrapportage",
            "ieder halfjaar (2e halfjaar 2024)",
            "halfjaar",
            "Gemeente Heerlen",
        ),  # noqa: E501
        (
            "4.8",
            "2024-06-30",
            "Loket Housing zal ieder halfjaar",
            "ieder halfjaar (1e halfjaar 2024)",
            "halfjaar",
            "Woningcorporaties",
        ),  # noqa: E501
        (
            "4.8",
            "2024-12-31",
            "Loket Housing zal ieder halfjaar",
            "ieder halfjaar (2e halfjaar 2024)",
            "halfjaar",
            "Woningcorporaties",
        ),  # noqa: E501
        ("6.5", "2024-12-31", "vastgoedvoorraad", "elk jaar", "jaar", "Woningcorporaties"),
        ("6.5", "2024-12-31", "Thuis in Limburg", "elk jaar", "jaar", "Woningcorporaties"),
        ("6.5", "2024-12-31", "passend en DAEB-toewijzen", "elk jaar", "jaar", "Woningcorporaties"),
        ("6.5", "2024-12-31", "ontruiming", "in de evaluatie", "jaar", "Woningcorporaties"),
        (
            "6.3",
            "2024-06-30",
            "Regionale Prestatie Afspraken Parkstad",
            "in het tweede kwartaal van 2024",
            "kwartaal",
            "Woningcorporaties",
        ),  # noqa: E501
        (
            "3.1",
            "2028-12-31",
            "Voor 2029 zijn alle EFG-labels",
            "voor 2029",
            "jaar",
            "Woningcorporaties",
        ),  # noqa: E501
        (
            None,
            "2024-12-31",
            "In 2024 komt de woonzorgvisie tot stand",
            "in 2024",
            "jaar",
            "Gemeente Heerlen",
        ),  # noqa: E501
    ],
)
def test_the_document_s_dated_commitments_are_milestones_with_the_printed_term(
    jaarschijf, number, due, words, printed, precision, responsible
):
    found = milestone(number, due, words)
    assert found.due_text == printed
    assert found.due_precision == precision
    assert found.responsible.name == responsible
    assert found.done_at is None


def test_twice_a_year_gives_two_briefings_in_the_year_not_one_per_half_year(jaarschijf):
    """4.5: "De gemeente informeert de corporaties tenminste twee keer per jaar": the document
    gives no dates, so a first briefing in July is on time; neither is due at mid-year."""
    briefings = Milestone.objects.filter(
        jaarschijf=jaarschijf, action__number="4.5", due_text="tenminste twee keer per jaar"
    ).order_by("sort_order")
    assert [(m.description[-13:], m.due_date, m.due_precision) for m in briefings] == [
        ("(eerste keer)", date(2024, 12, 31), "jaar"),
        ("(tweede keer)", date(2024, 12, 31), "jaar"),
    ]
    assert all("geen data" in m.note for m in briefings)


def test_every_transcribed_milestone_is_loaded_and_its_date_is_the_end_of_the_printed_period(
    jaarschijf,
):
    source = json.loads(SOURCE.read_text(encoding="utf-8"))
    assert Milestone.objects.filter(jaarschijf=jaarschijf).count() == len(source) >= 50
    for m in Milestone.objects.filter(jaarschijf=jaarschijf):
        if m.due_precision in ("kwartaal", "halfjaar", "jaar", "maand"):
            # the stored date sorts as the last day of the printed period
            assert m.due_date.day >= 28, m
            assert period_end(m.due_date.year, "jaar") >= m.due_date


def test_milestones_sort_as_dates_first_quarter_first_end_of_year_in_document_order(jaarschijf):
    rows = Milestone.objects.filter(jaarschijf=jaarschijf)
    dates = list(rows.values_list("due_date", flat=True))
    assert dates == sorted(dates)
    assert dates[0] == date(2024, 3, 31)  # Q1 2024 (3.2, 4.6, 6.1)
    # 4.2: the concept vision, its first result, comes before the regional vision itself.
    same_day = list(rows.filter(action__number="4.2").values_list("code", flat=True))
    assert same_day == ["4-2-conceptvisie-woonzorg", "4-2-regionale-woonzorgvisie"]


def test_action_page_shows_its_milestones_and_marks_the_late_ones(client, weller_medewerker):
    response = login(client, weller_medewerker).get(action("6.1").get_absolute_url())
    html = response.content.decode()
    assert "Opstellen jaarschijf prestatie afspraken 2025" in html
    assert "vóór 15 november 2024" in html
    assert "14-11-2024" in html
    assert "Te laat" in html  # today lies after 2024


@pytest.mark.parametrize("number", ["4.2", "5.12"])  # gemeente trekker; the corporations
def test_the_action_page_offers_move_and_close_exactly_to_who_may_by_the_rules(
    client, kernteamlid, weller_medewerker, gemeente_medewerker, huurder, number
):
    milestones = list(action(number).milestones.all())
    assert milestones
    offered_to = set()
    for user in (kernteamlid, weller_medewerker, gemeente_medewerker, huurder):
        html = login(client, user).get(action(number).get_absolute_url()).content.decode()
        for m in milestones:
            may = user.has_perm("cycle.manage_milestone", m)
            assert (reverse("cycle:milestone-move", args=[m.pk]) in html) is may, (user, m)
            assert (reverse("cycle:milestone-close", args=[m.pk]) in html) is may, (user, m)
            offered_to |= {user.username} if may else set()
        may_add = user.has_perm("cycle.add_milestone", action(number))
        assert ("Mijlpaal toevoegen" in html) is may_add
    assert "huurder" not in offered_to and "kernteam" in offered_to
    assert ("weller" in offered_to) is (number == "5.12")  # trekker through the collective
    assert ("gemeente" in offered_to) is (number == "4.2")


def test_action_list_filters_te_laat_and_shows_the_column(client, weller_medewerker):
    client = login(client, weller_medewerker)
    everything = client.get(reverse("overview:action-list"), {"jaar": 2024})
    late = client.get(reverse("overview:action-list"), {"jaar": 2024, "late": "on"})
    assert "Te laat" in everything.content.decode()
    late_numbers = {a.number for a in late.context["table"].data}
    assert "6.1" in late_numbers and "3.2" in late_numbers
    assert "1.7" not in late_numbers  # no dated commitment
    assert "4 mijlpalen" in late.content.decode()  # 6.1 has four


def test_dashboard_and_party_page_list_overdue_milestones(client, weller_medewerker):
    client = login(client, weller_medewerker)
    dashboard = client.get(reverse("overview:dashboard"), {"jaar": 2024}).content.decode()
    assert "Mijlpalen te laat" in dashboard
    assert "Afspraak 6.1</a>: 4 mijlpalen te laat" in dashboard
    vincio = client.get(reverse("overview:party-detail", args=["vincio-wonen"]), {"jaar": 2024})
    html = vincio.content.decode()
    assert "Afspraak 2.1</a>: 1 mijlpaal te laat" in html  # Vincio's own 01-07-2024
    woonpunt = client.get(reverse("overview:party-detail", args=["woonpunt"]), {"jaar": 2024})
    assert "Afspraak 2.1</a>" not in woonpunt.content.decode()


def wide_rows(client) -> dict[str, str]:
    """The dashboard's table of jaarschijf-wide milestones: description -> state."""
    html = client.get(reverse("overview:dashboard"), {"jaar": 2024}).content.decode()
    section = html[html.index('id="mijlpalen-jaarschijf"') :]
    section = section[: section.index("</section>")]
    return {
        " ".join(re.sub(r"<[^>]+>", " ", cells[0]).split()): re.sub(r"<[^>]+>", "", cells[1])
        for cells in re.findall(
            r'<th scope="row">(.*?)</th><td>.*?</td><td>(.*?)</td></tr>', section, flags=re.S
        )
    }


def test_dashboard_lists_the_open_milestones_of_the_jaarschijf_as_a_whole(
    client, kernteamlid, settings
):
    settings.PUBLIC_DASHBOARD = True  # a visitor reads them too, like the milestone list
    wide = Milestone.objects.filter(jaarschijf__year=2024, action__isnull=True)
    assert wide.count() == 5
    rows = wide_rows(client)
    assert len(rows) == 5
    # all due 31-12-2024, so late today; each says so
    assert set(rows.values()) == {"Te laat"}
    assert any(text.startswith("In 2024 komt de woonzorgvisie tot stand") for text in rows)

    closed = milestone(None, "2024-12-31", "woonzorgvisie")
    client = login(client, kernteamlid)
    client.post(
        reverse("cycle:milestone-close", args=[closed.pk]),
        {"version": closed.version, "done_on": "20-12-2024"},
    )
    rows = wide_rows(client)
    assert len(rows) == 4
    assert not any("woonzorgvisie" in text for text in rows)


def test_a_jaarschijf_wide_milestone_not_yet_due_reads_open(client, kernteamlid):
    Milestone.objects.filter(jaarschijf__year=2024, action__isnull=True).update(
        due_date=date(2099, 12, 31)
    )
    rows = wide_rows(login(client, kernteamlid))
    assert set(rows.values()) == {"Open"} and len(rows) == 5


def test_kernteam_moves_a_milestone_with_a_reason_kept_in_history(client, kernteamlid):
    m = milestone("6.1", "2024-11-14", "Opstellen jaarschijf")
    response = login(client, kernteamlid).post(
        reverse("cycle:milestone-move", args=[m.pk]),
        {
            "due_date": "01-12-2024",
            "due_precision": "dag",
            "due_text": "vóór 1 december 2024",
            "reason": "Bestuurlijk overleg verschoven",
            "version": m.version,
        },
    )
    assert response.status_code == 302
    m.refresh_from_db()
    assert m.due_date == date(2024, 12, 1) and m.due_text == "vóór 1 december 2024"
    reasons = list(m.history.values_list("history_change_reason", flat=True))
    assert "Verschoven: Bestuurlijk overleg verschoven" in reasons
    page = client.get(reverse("cycle:milestone-move", args=[m.pk])).content.decode()
    assert "Bestuurlijk overleg verschoven" in page and "14-11-2024" in page


@pytest.mark.parametrize(
    ("typed", "precision", "end"),
    [
        ("15-05-2025", "kwartaal", "30-06-2025"),
        ("01-03-2025", "maand", "31-03-2025"),
        ("30-06-2025", "jaar", "31-12-2025"),
        ("31-05-2025", "halfjaar", "30-06-2025"),
    ],
)
def test_a_date_that_is_not_the_last_day_of_its_period_is_refused_with_the_day_it_should_be(
    client, kernteamlid, typed, precision, end
):
    """Q2 2025 is due on 30-06-2025: a milestone "per kwartaal" due mid-May would be late
    six weeks early. The same rule (Milestone.clean) for adding, moving, admin and import."""
    m = milestone("6.1", "2024-11-14", "Opstellen jaarschijf")
    client = login(client, kernteamlid)
    moved = client.post(
        reverse("cycle:milestone-move", args=[m.pk]),
        {
            "due_date": typed,
            "due_precision": precision,
            "due_text": "in 2025",
            "reason": "Planning herzien",
            "version": m.version,
        },
    )
    assert moved.status_code == 200
    (error,) = moved.context["form"].errors["due_date"]
    assert f"de laatste dag daarvan: {end}" in error
    m.refresh_from_db()
    assert m.due_date == date(2024, 11, 14) and m.version == 1
    added = client.post(
        reverse("cycle:milestone-add-for-action", args=[2024, "6.1"]),
        {
            "description": "Tussenstand bespreken",
            "due_date": typed,
            "due_precision": precision,
            "due_text": "in 2025",
            "responsible": m.responsible_id,
        },
    )
    assert added.status_code == 200
    assert f"de laatste dag daarvan: {end}" in added.context["form"].errors["due_date"][0]
    assert not Milestone.objects.filter(description="Tussenstand bespreken").exists()


def test_moving_without_a_reason_or_with_a_bad_date_says_so_at_the_field_and_changes_nothing(
    client, kernteamlid
):
    m = milestone("6.1", "2024-11-14", "Opstellen jaarschijf")
    response = login(client, kernteamlid).post(
        reverse("cycle:milestone-move", args=[m.pk]),
        {
            "due_date": "31-02-2024",
            "due_precision": "dag",
            "due_text": "x",
            "reason": "",
            "version": m.version,
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "bestaande datum" in errors["due_date"][0]
    assert "waarom" in errors["reason"][0]
    m.refresh_from_db()
    assert m.due_date == date(2024, 11, 14)


def test_a_stale_move_is_refused_naming_who_moved_it_first(
    client, kernteamlid, gemeente_medewerker
):
    m = milestone("3.2", "2024-03-31", "uitvoeringsplan")
    seen = m.version
    data = {"due_precision": "kwartaal", "due_text": "Q2 2024", "reason": "later"}
    login(client, gemeente_medewerker).post(
        reverse("cycle:milestone-move", args=[m.pk]),
        {**data, "due_date": "30-06-2024", "version": seen},
    )
    response = login(client, kernteamlid).post(
        reverse("cycle:milestone-move", args=[m.pk]),
        {**data, "due_date": "30-09-2024", "version": seen},
    )
    assert response.status_code == 200
    assert "Niet opgeslagen" in response.content.decode()
    m.refresh_from_db()
    assert m.due_date == date(2024, 6, 30)


def test_only_kernteam_and_lead_parties_may_change_a_milestone(
    client, weller_medewerker, gemeente_medewerker, huurder
):
    m = milestone("3.2", "2024-03-31", "uitvoeringsplan")  # trekker: Gemeente Heerlen
    url = reverse("cycle:milestone-close", args=[m.pk])
    for user in (weller_medewerker, huurder):
        assert login(client, user).get(url).status_code == 403
        assert (
            login(client, user)
            .post(url, {"version": m.version, "done_on": "29-03-2024"})
            .status_code
            == 403
        )
    m.refresh_from_db()
    assert m.done_at is None
    response = login(client, gemeente_medewerker).post(
        url, {"version": m.version, "done_on": "29-03-2024"}
    )
    assert response.status_code == 302
    m.refresh_from_db()
    assert m.done_at is not None and m.done_by == gemeente_medewerker
    assert Milestone.objects.editable_by(weller_medewerker).filter(pk=m.pk).count() == 0
    assert Milestone.objects.editable_by(gemeente_medewerker).filter(pk=m.pk).count() == 1


@pytest.mark.parametrize(
    "target",
    ["https://evil.example/phish", "//evil.example/x", "/\\evil.example", "javascript:alert(1)"],
)
def test_closing_a_milestone_never_sends_the_user_to_another_site(client, kernteamlid, target):
    m = milestone("3.2", "2024-03-31", "uitvoeringsplan")
    url = reverse("cycle:milestone-close", args=[m.pk])
    response = login(client, kernteamlid).post(
        url, {"version": m.version, "done_on": "29-03-2024", "next": target}
    )
    assert response.status_code == 302
    # its own page, opened at the confirmation
    assert response["Location"] == action("3.2").get_absolute_url() + "#melding"
    m.refresh_from_db()
    assert m.done_at is not None


def test_closing_asks_the_day_it_was_reached_and_the_report_judges_that_day_not_today(
    client, kernteamlid
):
    """A milestone reached in March 2024 and recorded today was met on time: the report
    compares the day it was reached with its due date, the list shows that day, and the
    history keeps when it was recorded and the note."""
    m = milestone("3.2", "2024-03-31", "uitvoeringsplan")
    url = reverse("cycle:milestone-close", args=[m.pk])
    page = login(client, kernteamlid).get(url)
    html = page.content.decode()
    assert "Afgerond op" in html and "Toelichting" in html
    assert f'value="{nl_date(timezone.localdate())}"' in html  # today, to change

    response = client.post(
        url,
        {"version": m.version, "done_on": "29-03-2024", "note": "Plan vastgesteld door B&W."},
    )

    assert response.status_code == 302
    confirmation = page_text(client.get(response["Location"]))
    assert "De mijlpaal ‘Het" in confirmation  # which one, named
    assert "na het vast…’ is afgerond op 29-03-2024." in confirmation
    m.refresh_from_db()
    assert m.done_on == date(2024, 3, 29)
    assert timezone.localdate(m.done_at) == timezone.localdate()  # recorded now
    assert m.history.first().history_change_reason == "Afgerond: Plan vastgesteld door B&W."
    action_page = page_text(client.get(action("3.2").get_absolute_url()))
    assert "Afgerond op 29-03-2024" in action_page
    report = page_text(client.get(reverse("evaluation:evaluation-report", args=[2024])))
    assert "Gehaald op 29-03-2024" in report
    assert "Te laat gehaald op 29-03-2024" not in report


def test_the_note_given_when_closing_stands_with_the_milestone_until_it_is_reopened(
    client, kernteamlid
):
    """How a milestone was reached is read where the milestone is: on the action page, the
    jaarschijf's milestone list, the evaluation report and the API; reopening takes it away
    (the history keeps it)."""
    m = milestone("3.2", "2024-03-31", "uitvoeringsplan")
    url = reverse("cycle:milestone-close", args=[m.pk])
    login(client, kernteamlid).post(
        url,
        {
            "version": m.version,
            "done_on": "29-03-2024",
            "note": "Plan  vastgesteld\ndoor het college.",
        },
    )
    m.refresh_from_db()
    assert m.done_note == "Plan vastgesteld door het college."
    pages = [
        action("3.2").get_absolute_url(),
        reverse("cycle:milestone-list") + "?jaar=2024",
        reverse("evaluation:evaluation-report", args=[2024]),
    ]
    for page in pages:
        assert "Plan vastgesteld door het college." in page_text(client.get(page)), page
    api = client.get(reverse("api:action-detail", args=[2024, "3.2"])).json()
    assert [r["done_note"] for r in api["milestones"] if r["code"] == m.code] == [m.done_note]

    client.post(url, {"version": m.version, "reopen": "on"})
    m.refresh_from_db()
    assert m.done_on is None and m.done_note == ""
    assert "Plan vastgesteld door het college." not in page_text(client.get(pages[0]))
    assert "Afgerond: Plan vastgesteld door het college." in [
        h.history_change_reason for h in m.history.all()
    ]


def test_an_open_milestone_cannot_carry_a_note_on_its_closing(kernteamlid):
    m = milestone("3.2", "2024-03-31", "uitvoeringsplan")
    m.done_note = "Gehaald."
    with pytest.raises(ValidationError) as refused:
        m.full_clean()
    assert "done_note" in refused.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        Milestone.objects.filter(pk=m.pk).update(done_note="Gehaald.")


@pytest.mark.parametrize(
    ("day", "message"),
    [
        ("", "Vul een datum in als 15-11-2024."),
        ("31-02-2024", "Vul een bestaande datum in"),
        ("tomorrow", "Een mijlpaal kan niet in de toekomst gehaald zijn"),
        ("31-12-1999", "Vul een datum in tussen"),
    ],
)
def test_a_missing_impossible_or_future_day_of_closing_is_refused_at_the_field(
    client, kernteamlid, day, message
):
    m = milestone("3.2", "2024-03-31", "uitvoeringsplan")
    if day == "tomorrow":
        day = nl_date(timezone.localdate() + timedelta(days=1))
    url = reverse("cycle:milestone-close", args=[m.pk])
    response = login(client, kernteamlid).post(url, {"version": m.version, "done_on": day})
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert 'aria-invalid="true"' in html and 'name="done_on"' in html
    m.refresh_from_db()
    assert m.done_on is None and m.done_at is None and m.version == 1


def test_reopening_clears_the_day_and_closing_again_asks_it_anew(client, kernteamlid):
    m = milestone("3.2", "2024-03-31", "uitvoeringsplan")
    url = reverse("cycle:milestone-close", args=[m.pk])
    login(client, kernteamlid).post(url, {"version": m.version, "done_on": "29-03-2024"})
    m.refresh_from_db()
    # A closed milestone's page is not a form: back to where the user came from.
    assert client.get(url)["Location"] == m.get_absolute_url()
    client.post(url, {"version": m.version, "reopen": "on"})
    m.refresh_from_db()
    assert m.done_on is None and m.done_at is None and m.done_by is None
    assert client.get(url).status_code == 200


def test_closing_a_milestone_returns_to_the_list_it_was_closed_on(client, kernteamlid):
    m = milestone("3.2", "2024-03-31", "uitvoeringsplan")
    back = reverse("cycle:milestone-list") + "?jaar=2024&open=on"
    url = reverse("cycle:milestone-close", args=[m.pk])
    # The list's link carries where it was; the page's form carries it on.
    page = login(client, kernteamlid).get(url, {"next": back})
    assert f'name="next" value="{back.replace("&", "&amp;")}"' in page.content.decode()
    response = client.post(url, {"version": m.version, "done_on": "29-03-2024", "next": back})
    assert response["Location"] == back + "#melding"


def test_a_lead_party_adds_a_milestone_to_its_action(
    client, gemeente_medewerker, weller_medewerker
):
    url = reverse("cycle:milestone-add-for-action", args=[2024, "3.2"])
    data = {
        "description": "Eerste overleg buurt",
        "due_date": "30-09-2024",
        "due_precision": "kwartaal",
        "due_text": "Q3 2024",
        "responsible": action("3.2").parties.get(name="Gemeente Heerlen").pk,
    }
    assert login(client, weller_medewerker).post(url, data).status_code == 403
    assert login(client, gemeente_medewerker).post(url, data).status_code == 302
    assert action("3.2").milestones.filter(description="Eerste overleg buurt").exists()


@pytest.mark.parametrize("due", ["31-12-9999", "01-01-0001", "31-12-1999", "01-01-2101"])
def test_a_milestone_due_in_an_absurd_year_is_refused_at_the_date_and_nothing_saved(
    client, kernteamlid, due
):
    before = Milestone.objects.count()
    response = login(client, kernteamlid).post(
        reverse("cycle:milestone-add") + "?jaar=2024",
        {
            "description": "Verre toekomst",
            "due_date": due,
            "due_precision": "dag",
            "due_text": due,
            "responsible": action("3.2").parties.get(name="Gemeente Heerlen").pk,
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["due_date"] == ["Vul een datum in tussen 01-01-2000 en 31-12-2100."]
    assert Milestone.objects.count() == before


def test_moving_a_milestone_to_the_year_9999_is_refused_at_the_date_and_changes_nothing(
    client, kernteamlid
):
    m = milestone("6.1", "2024-11-14", "Opstellen jaarschijf")
    response = login(client, kernteamlid).post(
        reverse("cycle:milestone-move", args=[m.pk]),
        {
            "due_date": "31-12-9999",
            "due_precision": "dag",
            "due_text": "ooit",
            "reason": "Veel later",
            "version": m.version,
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["due_date"] == ["Vul een datum in tussen 01-01-2000 en 31-12-2100."]
    m.refresh_from_db()
    assert m.due_date == date(2024, 11, 14)


def test_the_database_refuses_a_milestone_due_in_the_year_9999(jaarschijf):
    m = milestone("6.1", "2024-11-14", "Opstellen jaarschijf")
    with pytest.raises(IntegrityError, match="milestone_due_date_plausible"), transaction.atomic():
        Milestone.objects.filter(pk=m.pk).update(due_date=date(9999, 12, 31))


def test_a_milestone_closed_before_the_note_was_kept_gets_the_note_of_its_latest_closing_back(
    client, kernteamlid
):
    """Until 02-12-2026 the note of a closing lived only in the history ("Afgerond: …"); the
    migration puts the note of the latest closing with the milestone, and a closing without
    a note or a reopened milestone gets none."""
    migration = importlib.import_module("cycle.migrations.0009_milestone_done_note")
    noted = milestone("3.2", "2024-03-31", "uitvoeringsplan")
    url = reverse("cycle:milestone-close", args=[noted.pk])
    login(client, kernteamlid)
    for data in (
        {"done_on": "28-03-2024", "note": "Eerste versie."},
        {"reopen": "on"},
        {"done_on": "29-03-2024", "note": "Plan vastgesteld door B&W."},
    ):
        noted.refresh_from_db()
        client.post(url, {"version": noted.version, **data})
    reopened = Milestone.objects.filter(jaarschijf__year=2024).exclude(pk=noted.pk).first()
    url = reverse("cycle:milestone-close", args=[reopened.pk])
    client.post(url, {"version": 1, "done_on": "01-03-2024", "note": "Toen nog wel."})
    client.post(url, {"version": 2, "reopen": "on"})
    # The table as it was before the migration: no note with the milestone.
    Milestone.objects.update(done_note="")

    loader = MigrationExecutor(connection).loader
    migration.notes_from_history(
        loader.project_state(("cycle", "0009_milestone_done_note")).apps, None
    )

    noted.refresh_from_db()
    reopened.refresh_from_db()
    assert noted.done_note == "Plan vastgesteld door B&W."
    assert (reopened.done_on, reopened.done_note) == (None, "")
