"""The personal iCalendar feed (RFC 5545), built with the ``icalendar`` library."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

from agreements.models import Jaarschijf

from .models import Milestone, ReportingRound

#: The feed holds the milestones and round deadlines of this many of the newest jaarschijven:
#: however many jaarschijven the database holds, a calendar program reads a feed of some
#: hundreds of events. Mijn werk and the milestone list have the older ones.
FEED_JAARSCHIJVEN = 8


def feed_years() -> list[int]:
    """The years of the jaarschijven the feed covers, newest first."""
    return list(
        Jaarschijf.objects.order_by("-year").values_list("year", flat=True)[:FEED_JAARSCHIJVEN]
    )


def add_day(event: Event, day: date) -> None:
    """The event takes the whole day ``day``. Its end is the next day; for the last day a
    date can hold (stored before dates were checked) the end is left out, which RFC 5545
    also reads as one whole day, so one absurd date never breaks the feed."""
    event.add("dtstart", day)
    if day < date.max:
        event.add("dtend", day + timedelta(days=1))


def feed_for(user) -> bytes:
    """Milestones of the user's party (all of them for a beheerder) and round deadlines, of
    the ``FEED_JAARSCHIJVEN`` newest jaarschijven."""
    calendar = Calendar()
    calendar.add("prodid", "-//Prestatieafspraken//Jaarcyclus//NL")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Prestatieafspraken – mijlpalen en rapportages")
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    stamp = timezone.now()
    years = feed_years()
    milestones = Milestone.objects.filter(jaarschijf__year__in=years).select_related(
        "action", "responsible", "jaarschijf"
    )
    if user.party_id is not None:
        milestones = milestones.for_party(user.party)
    for milestone in milestones.order_by("due_date", "pk"):
        event = Event()
        event.add("uid", f"mijlpaal-{milestone.pk}@prestatieafspraken")
        event.add("dtstamp", stamp)
        add_day(event, milestone.due_date)
        prefix = f"{milestone.action.number} " if milestone.action_id else ""
        status = " (afgerond)" if milestone.is_done else ""
        event.add("summary", f"{prefix}{milestone.short_description}{status}")
        event.add(
            "description",
            f"{milestone.description}\n\nTermijn: {milestone.due_text}\n"
            f"Verantwoordelijk: {milestone.responsible}\n{milestone.jaarschijf}",
        )
        event.add("categories", ["Mijlpaal"])
        calendar.add_component(event)
    rounds = ReportingRound.objects.filter(jaarschijf__year__in=years).select_related("jaarschijf")
    for reporting_round in rounds.order_by("deadline", "pk"):
        event = Event()
        event.add("uid", f"ronde-{reporting_round.pk}@prestatieafspraken")
        event.add("dtstamp", stamp)
        add_day(event, reporting_round.deadline)
        event.add("summary", f"Aanleveren: {reporting_round.name}")
        event.add("categories", ["Rapportageronde"])
        calendar.add_component(event)
    return calendar.to_ical()
