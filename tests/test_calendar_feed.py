"""The personal calendar feed: RFC 5545 via icalendar, secret and renewable."""

from datetime import date

import pytest
from django.db import connection
from django.urls import reverse
from icalendar import Calendar

from agreements.models import Jaarschijf, Party
from cycle import calendar
from cycle.models import Milestone

from .factories import login

pytestmark = pytest.mark.django_db


def make_feed_address(client, user) -> str:
    login(client, user).post(reverse("cycle:calendar-settings"))
    user.refresh_from_db()
    return reverse("cycle:calendar-feed", args=[user.calendar_token])


def events(content: bytes) -> dict[str, date]:
    calendar = Calendar.from_ical(content)
    return {str(event["summary"]): event.decoded("dtstart") for event in calendar.walk("VEVENT")}


def test_the_feed_parses_and_holds_the_6_1_dates_of_the_kernteam(client, kernteamlid):
    address = make_feed_address(client, kernteamlid)
    client.logout()  # a calendar program has no session: the token is the key
    response = client.get(address)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    found = events(response.content)
    six_one = {summary: day for summary, day in found.items() if summary.startswith("6.1 ")}
    assert six_one["6.1 Opstellen jaarschijf prestatie afspraken 2025"] == date(2024, 11, 14)
    assert six_one["6.1 Evaluatie uitvoeren jaarschijf 2023"] == date(2024, 3, 31)
    assert date(2024, 6, 30) in six_one.values()  # biedingen 2025, Q2 2024 (corporaties)
    assert date(2024, 9, 30) in six_one.values()  # participatieadvies, Q3 2024


def test_a_party_sees_its_own_milestones_only(client, weller_medewerker):
    found = events(client.get(make_feed_address(client, weller_medewerker)).content)
    assert not any(s.startswith("2.1 ") for s in found)  # Vincio's
    assert any(s.startswith("5.12 ") for s in found)  # Woningcorporaties, Weller is a member


def test_renewing_the_token_makes_the_old_address_404(client, weller_medewerker):
    old = make_feed_address(client, weller_medewerker)
    new = make_feed_address(client, weller_medewerker)
    assert old != new
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200
    assert client.get("/agenda/verzonnen.ics").status_code == 404


def test_the_settings_page_shows_the_address_and_the_reminder_switches(client, weller_medewerker):
    address = make_feed_address(client, weller_medewerker)
    html = client.get(reverse("cycle:calendar-settings")).content.decode()
    assert address in html
    client.post(reverse("cycle:reminder-preferences"), {"remind_rounds": "on"})
    weller_medewerker.refresh_from_db()
    assert weller_medewerker.remind_milestones is False
    assert weller_medewerker.remind_rounds is True


def test_the_feed_holds_the_newest_jaarschijven_only_and_the_settings_page_names_them(
    client, weller_medewerker, monkeypatch
):
    monkeypatch.setattr(calendar, "FEED_JAARSCHIJVEN", 1)
    newer = Jaarschijf.objects.create(
        year=2030, title="Jaarschijf 2030", municipality=Party.objects.get(name="Gemeente Heerlen")
    )
    Milestone.objects.create(
        jaarschijf=newer,
        code="bod-2031",
        description="Bod 2031 indienen",
        due_date=date(2030, 7, 1),
        due_text="vóór 1 juli 2030",
        responsible=Party.objects.get(name="Weller"),
    )

    found = events(client.get(make_feed_address(client, weller_medewerker)).content)
    settings_page = client.get(reverse("cycle:calendar-settings")).content.decode()

    assert found == {"Bod 2031 indienen": date(2030, 7, 1)}
    assert "aanleverdata van de rapportagerondes van jaarschijf 2030." in settings_page
    assert "Een e-mail noemt hoogstens 50 mijlpalen" in settings_page

    monkeypatch.setattr(calendar, "FEED_JAARSCHIJVEN", 8)
    found = events(client.get(make_feed_address(client, weller_medewerker)).content)
    settings_page = client.get(reverse("cycle:calendar-settings")).content.decode()
    assert "Bod 2031 indienen" in found and any(s.startswith("5.12 ") for s in found)
    assert "van de jaarschijven 2024 en 2030." in settings_page


def test_a_milestone_stored_on_the_last_day_a_date_can_hold_does_not_break_the_feed(
    client, kernteamlid
):
    # Stored before dates were checked: take the check away for this test only (the test's
    # transaction rolls the table back as it was).
    constraint = next(
        c for c in Milestone._meta.constraints if c.name == "milestone_due_date_plausible"
    )
    with connection.schema_editor() as editor:
        editor.remove_constraint(Milestone, constraint)
    Milestone.objects.filter(
        jaarschijf__year=2024, description__startswith="Opstellen jaarschijf"
    ).update(due_date=date(9999, 12, 31))

    response = client.get(make_feed_address(client, kernteamlid))

    assert response.status_code == 200
    found = events(response.content)
    assert found["6.1 Opstellen jaarschijf prestatie afspraken 2025"] == date(9999, 12, 31)
