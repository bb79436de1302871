"""E-mail reminders: one digest per person of what is due for their party.

A reminder is identified by a key (the milestone, its state and due date; the round and the
ask), recorded in ``ReminderSent`` once mailed, so the same reminder never goes out twice: a
second run on the same day sends nothing. Moving a milestone gives it a new key.

A mail stays readable however many milestones a party has open: it names at most
``MILESTONES_PER_DIGEST`` of them that were not mailed before (the oldest first, of the
``MILESTONES_CONSIDERED`` oldest that are late or due soon) and says where the complete list
is. Only the reminders already sent for those keys are read, not every reminder ever sent.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.urls import reverse

from accounts.models import User
from core.formats import nl_date

from .models import UPCOMING_DAYS, ReminderKind, ReminderSent
from .rounds import open_asks_for_party
from .work import OTHERS_COUNTED, milestones_of

#: A digest names at most this many milestones that were not mailed before, the oldest first.
MILESTONES_PER_DIGEST = 50
#: The oldest this many open milestones of a party that are late or due soon are looked at
#: for the mail; the list the mail links to (Mijn werk's) holds them all.
MILESTONES_CONSIDERED = OTHERS_COUNTED


def absolute(path: str) -> str:
    """A link for outside the browser: the site's address (``SITE_URL``) before the path."""
    return f"{settings.SITE_URL}{path}"


@dataclass
class Line:
    kind: str
    key: str
    text: str
    url: str  # absolute: the form (or page) that settles it
    #: the heading the line stands under (a round's name and deadline, named once)
    group: str = ""


@dataclass
class Digest:
    user: User
    on: date
    lines: list[Line] = field(default_factory=list)
    #: more milestones are late or due soon than the digest names
    more_milestones: bool = False

    @property
    def subject(self) -> str:
        return f"Prestatieafspraken: wat er voor {self.user.party.label} klaarstaat ({nl_date(self.on)})"

    def section(self, kind) -> list[Line]:
        return [line for line in self.lines if line.kind == kind]

    @property
    def body(self) -> str:
        parts = [f"Beste {self.user.get_full_name() or self.user.username},", ""]
        titles = [
            (ReminderKind.MILESTONE_OVERDUE, "Mijlpalen die te laat zijn:"),
            (ReminderKind.MILESTONE_UPCOMING, f"Mijlpalen binnen {UPCOMING_DAYS} dagen:"),
            (ReminderKind.ROUND_ITEM, "Wat een open rapportageronde nog vraagt:"),
        ]
        for kind, title in titles:
            lines = self.section(kind)
            if lines:
                parts.append(title)
                group = ""
                for line in lines:
                    if line.group and line.group != group:
                        group = line.group
                        parts.append(f"{group}:")
                    parts += [f"- {line.text}", f"  {line.url}"]
                parts.append("")
            if kind == ReminderKind.MILESTONE_UPCOMING and self.more_milestones:
                parts += [
                    "Er zijn meer mijlpalen te laat of binnen "
                    f"{UPCOMING_DAYS} dagen dan deze mail noemt. De volledige lijst: "
                    f"{absolute(reverse('cycle:my-milestones'))}",
                    "",
                ]
        parts += [
            f"U vindt dit ook op de pagina Mijn werk: {absolute(reverse('cycle:my-work'))}",
            "Herinneringen uitzetten kan onder Mijn werk > Agenda en herinneringen: "
            f"{absolute(reverse('cycle:calendar-settings'))}",
        ]
        return "\n".join(parts)


def _milestone_lines(party, on) -> tuple[list[Line], bool]:
    """The reminders of the party's oldest ``MILESTONES_CONSIDERED`` milestones that are late
    or due soon, and whether it has more."""
    lines = []
    due = milestones_of(party).due_or_overdue(on).order_by("due_date", "pk")
    rows = list(due[: MILESTONES_CONSIDERED + 1])
    for m in rows[:MILESTONES_CONSIDERED]:
        late = m.due_date < on
        kind = ReminderKind.MILESTONE_OVERDUE if late else ReminderKind.MILESTONE_UPCOMING
        where = f"afspraak {m.action.number}" if m.action_id else str(m.jaarschijf)
        lines.append(
            Line(
                kind=kind,
                key=f"mijlpaal:{m.pk}:{kind}:{m.due_date.isoformat()}",
                text=f"{nl_date(m.due_date)} ({m.due_text}) – {where}: {m.short_description}",
                url=absolute(m.get_absolute_url()),
            )
        )
    return lines, len(rows) > MILESTONES_CONSIDERED


def _round_lines(party) -> list[Line]:
    return [
        Line(
            kind=ReminderKind.ROUND_ITEM,
            key=f"ronde:{r.pk}:{ask.key}"[:120],
            text=ask.subject if ask.subject == ask.item else f"{ask.item} – {ask.subject}",
            url=absolute(ask.url),
            group=f"{r.name} (uiterlijk {nl_date(r.deadline)})",
        )
        for r, ask in open_asks_for_party(party)
    ]


def digests(on: date) -> list[Digest]:
    """The digest of every person with an e-mail address, without what they already got."""
    users = list(
        User.objects.filter(is_active=True, party__isnull=False)
        .exclude(email="")
        .select_related("party")
        .order_by("party__sort_order", "username")
    )
    people: dict[int, list[User]] = {}
    for user in users:
        people.setdefault(user.party_id, []).append(user)
    per_party: dict[int, tuple[list[Line], bool, list[Line], set]] = {}
    for party_id, party_users in people.items():
        party = party_users[0].party
        milestone_lines, more = _milestone_lines(party, on)
        round_lines = _round_lines(party)
        # Only the reminders already sent for these keys, to this party's people.
        sent = set(
            ReminderSent.objects.filter(
                user__in=party_users, key__in=[line.key for line in milestone_lines + round_lines]
            ).values_list("user_id", "key")
        )
        per_party[party_id] = (milestone_lines, more, round_lines, sent)
    result = []
    for user in users:
        milestone_lines, more, round_lines, sent = per_party[user.party_id]
        new = []
        if user.remind_milestones:
            new = [line for line in milestone_lines if (user.pk, line.key) not in sent]
            more = more or len(new) > MILESTONES_PER_DIGEST
            new = new[:MILESTONES_PER_DIGEST]
        if user.remind_rounds:
            new += [line for line in round_lines if (user.pk, line.key) not in sent]
        if new:
            result.append(
                Digest(
                    user=user,
                    on=on,
                    lines=new,
                    more_milestones=user.remind_milestones and more,
                )
            )
    return result


def send(digest_list: list[Digest]) -> int:
    """Mail each digest and record its reminders; returns how many mails went out."""
    count = 0
    with get_connection() as connection:
        for digest in digest_list:
            message = EmailMessage(
                subject=digest.subject,
                body=digest.body,
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=[digest.user.email],
                connection=connection,
            )
            with transaction.atomic():
                ReminderSent.objects.bulk_create(
                    [
                        ReminderSent(user=digest.user, kind=line.kind, key=line.key)
                        for line in digest.lines
                    ],
                    ignore_conflicts=True,
                )
                # A failed send rolls the record back, so the reminder goes out next time.
                message.send()
            count += 1
    return count
