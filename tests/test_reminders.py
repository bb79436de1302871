"""send_reminders: one digest per person, delivered to a real SMTP server, never twice."""

import email
import re
import socket
from datetime import date
from email.policy import default as default_policy
from io import StringIO

import pytest
from aiosmtpd.controller import Controller
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import UserRole
from agreements.models import Party
from cycle import reminders
from cycle.models import ReminderKind, ReminderSent

from .factories import add_milestones, login, make_round, make_user
from .helpers_security import production_settings

pytestmark = pytest.mark.django_db


class Inbox:
    """aiosmtpd handler: keeps every message that arrives."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        message = email.message_from_bytes(envelope.content, policy=default_policy)
        self.messages.append((envelope.rcpt_tos, message))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp(settings):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.DEFAULT_FROM_EMAIL = "prestatieafspraken@heerlen.example"
    yield inbox
    controller.stop()


@pytest.fixture
def people(jaarschijf):
    return {
        "kernteam": make_user(
            UserRole.KERNTEAMLID, "Gemeente Heerlen", "kt", email="kernteam@heerlen.example"
        ),
        "weller": make_user(UserRole.MEDEWERKER, "Weller", "wl", email="medewerker@weller.example"),
        "vincio": make_user(
            UserRole.MEDEWERKER, "Vincio Wonen", "vw", email="medewerker@vincio.example"
        ),
    }


def run(*args) -> str:
    out = StringIO()
    call_command("send_reminders", *args, stdout=out)
    return out.getvalue()


def bodies(inbox):
    return {to[0]: message.get_content() for to, message in inbox.messages}


def test_dry_run_on_1_november_2024_lists_jaarschijf_2025_due_14_november_for_the_kernteam(
    people, smtp
):
    output = run("--dry-run", "--op", "2024-11-01")
    kernteam = output.split("== ")[1]
    assert "kernteam@heerlen.example" in kernteam
    assert "Mijlpalen binnen 14 dagen:" in kernteam
    upcoming = kernteam.split("Mijlpalen binnen 14 dagen:")[1]
    assert "14-11-2024 (vóór 15 november 2024) – afspraak 6.1: Opstellen jaarschijf" in upcoming
    assert smtp.messages == [] and not ReminderSent.objects.exists()


def test_each_person_gets_one_digest_at_the_smtp_server_and_a_second_run_sends_nothing(
    people, smtp
):
    assert "3 herinnering(en) verstuurd" in run("--op", "2024-11-01")
    received = bodies(smtp)
    assert sorted(received) == [
        "kernteam@heerlen.example",
        "medewerker@vincio.example",
        "medewerker@weller.example",
    ]
    assert "Opstellen jaarschijf prestatie afspraken 2025" in received["kernteam@heerlen.example"]
    # Vincio's own 2.1 date, not in Weller's digest
    assert "per 01-07-2024" in received["medewerker@vincio.example"]
    assert "afspraak 2.1" not in received["medewerker@weller.example"]
    subject = smtp.messages[0][1]["Subject"]
    assert subject.startswith("Prestatieafspraken: wat er voor") and "01-11-2024" in subject

    assert "0 herinnering(en) verstuurd" in run("--op", "2024-11-01")
    assert len(smtp.messages) == 3


def test_a_person_who_switched_reminders_off_gets_none(people, smtp):
    weller = people["weller"]
    weller.remind_milestones = False
    weller.remind_rounds = False
    weller.save()
    run("--op", "2024-11-01")
    assert "medewerker@weller.example" not in bodies(smtp)
    assert len(smtp.messages) == 2


def test_a_milestone_that_becomes_late_is_reminded_again_once(people, smtp):
    run("--op", "2024-11-01")
    run("--op", "2024-11-20")  # 15 November has passed: now late, one new reminder
    kernteam = [m.get_content() for to, m in smtp.messages if to == ["kernteam@heerlen.example"]]
    assert len(kernteam) == 2
    assert "Mijlpalen die te laat zijn:" in kernteam[1]
    assert "Opstellen jaarschijf prestatie afspraken 2025" in kernteam[1]
    assert "Evaluatie uitvoeren jaarschijf 2023" not in kernteam[1]  # already sent on the 1st


SITE = "https://prestatieafspraken.example"


def test_the_digest_links_to_mijn_werk_and_to_the_form_of_each_item(
    people, smtp, settings, client, jaarschijf
):
    settings.SITE_URL = SITE
    kernteam, weller = people["kernteam"], people["weller"]
    reporting_round = make_round(
        kernteam,
        [{"kind": "stuk", "label": "Cijfers 6.5", "party": Party.objects.get(slug="weller")}],
        name="Voortgangsrapportage 3e kwartaal 2024",
        period_start=date(2024, 7, 1),
        period_end=date(2024, 9, 30),
        deadline=date(2024, 11, 10),
    )
    run("--op", "2024-11-01")
    body = bodies(smtp)["medewerker@weller.example"]
    links = re.findall(r"https?://\S+", body)
    item = reporting_round.items.get()
    assert f"{SITE}{reverse('cycle:my-work')}" in links
    assert f"{SITE}{reverse('cycle:round-submit', args=[item.pk])}" in links
    # the round is named once, above what it asks
    asked = body.replace("\r\n", "\n").split("Wat een open rapportageronde nog vraagt:\n")[1]
    assert asked.startswith("Voortgangsrapportage 3e kwartaal 2024 (uiterlijk 10-11-2024):\n")
    assert "\n- Cijfers 6.5\n" in asked and body.count("Voortgangsrapportage 3e kwartaal") == 1
    milestone_lines = body.split("Mijlpalen binnen 14 dagen:")[1].split("Wat een open")[0]
    assert re.findall(r"https?://\S+", milestone_lines)  # each milestone has its page
    # every link opens a page for the person it was sent to
    login(client, weller)
    for link in links:
        assert link.startswith(SITE + "/")
        response = client.get(link.removeprefix(SITE))
        assert response.status_code == 200, link


def test_without_a_site_address_send_reminders_refuses_in_dutch(people, smtp, settings):
    settings.SITE_URL = ""
    with pytest.raises(Exception, match="Zet SITE_URL"):
        run("--op", "2024-11-01")
    assert smtp.messages == []


def test_a_bad_date_is_refused_in_dutch(people):
    with pytest.raises(Exception, match="--op verwacht een datum"):
        run("--op", "1-11-2024")


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"EMAIL_PORT": "smtp"}, "EMAIL_PORT"),
        ({"EMAIL_PORT": "70000"}, "EMAIL_PORT"),
        ({"EMAIL_USE_TLS": "misschien"}, "EMAIL_USE_TLS"),
        ({"DEFAULT_FROM_EMAIL": "geen adres"}, "DEFAULT_FROM_EMAIL"),
        ({"EMAIL_USE_TLS": "true", "EMAIL_USE_SSL": "true"}, "EMAIL_USE_SSL"),
        ({"SITE_URL": "prestatieafspraken.example"}, "SITE_URL"),
        ({"SITE_URL": "ftp://prestatieafspraken.example"}, "SITE_URL"),
    ],
)
def test_bad_mail_settings_stop_the_start_up(monkeypatch, env, message):
    import importlib

    import heerlen.settings as module

    monkeypatch.setenv("DEBUG", "1")
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ImproperlyConfigured, match=message):
        importlib.reload(module)
    for name in env:
        monkeypatch.delenv(name)
    importlib.reload(module)


def test_smtp_backend_when_email_host_is_set_console_otherwise(monkeypatch):
    import importlib

    import heerlen.settings as module

    monkeypatch.setenv("DEBUG", "1")
    monkeypatch.delenv("EMAIL_HOST", raising=False)
    assert importlib.reload(module).EMAIL_BACKEND.endswith("console.EmailBackend")
    monkeypatch.setenv("EMAIL_HOST", "smtp.heerlen.example")
    reloaded = importlib.reload(module)
    assert reloaded.EMAIL_BACKEND.endswith("smtp.EmailBackend")
    assert reloaded.EMAIL_USE_TLS is True
    monkeypatch.delenv("EMAIL_HOST")
    importlib.reload(module)


def test_the_site_address_comes_from_site_url_or_the_site_host_in_production():
    assert production_settings("SITE_URL") == {"SITE_URL": "https://prestatieafspraken.example"}
    assert production_settings(
        "SITE_URL", extra_env={"SITE_URL": "https://werk.heerlen.example/prestatieafspraken/"}
    ) == {"SITE_URL": "https://werk.heerlen.example/prestatieafspraken"}


def test_when_the_smtp_server_is_down_nothing_is_recorded_so_the_next_run_sends_it(
    people, smtp, settings
):
    settings.EMAIL_PORT = free_port()  # nobody listens there
    with pytest.raises(OSError):
        run("--op", "2024-11-01")
    assert not ReminderSent.objects.exists()


# --- A party with many open milestones: a readable mail, a bounded read ----------------------

ON = date(2024, 11, 1)


#: Milestones of the backlog fall due from this day on: long before the document's own dates.
BACKLOG_START = date(2020, 1, 1)


def add_late_milestones(party_name: str, count: int, *, prefix: str = "achterstand"):
    """``count`` open milestones of ``party_name`` in jaarschijf 2024, long late on ``ON``."""
    add_milestones(2024, party_name, count, (ON - BACKLOG_START).days, prefix, on=ON)


def named_backlog(body: str) -> list[str]:
    return re.findall(r"Achterstand mijlpaal (\d+)\b", body)


def test_a_mail_names_the_oldest_milestones_up_to_its_limit_and_links_to_the_full_list(
    people, smtp, settings, monkeypatch
):
    settings.SITE_URL = SITE
    monkeypatch.setattr(reminders, "MILESTONES_PER_DIGEST", 3)
    add_late_milestones("Weller", 8)

    run("--op", "2024-11-01")
    first = bodies(smtp)["medewerker@weller.example"]
    run("--op", "2024-11-02")
    second = [m.get_content() for to, m in smtp.messages if to == ["medewerker@weller.example"]][1]

    assert named_backlog(first) == ["0", "1", "2"]
    assert "Er zijn meer mijlpalen te laat of binnen 14 dagen dan deze mail noemt" in first
    assert f"De volledige lijst: {SITE}{reverse('cycle:my-milestones')}" in first
    # The next mail names the next ones: each reminder still goes out once.
    assert named_backlog(second) == ["3", "4", "5"]
    assert ReminderSent.objects.filter(user=people["weller"], key__contains=":").count() >= 6
    # Vincio gets none of Weller's backlog, and no more than 3 of its own milestones.
    vincio = bodies(smtp)["medewerker@vincio.example"]
    assert named_backlog(vincio) == []
    assert 0 < vincio.count("\n- ") <= 3


def test_a_mail_looks_only_at_the_oldest_milestones_it_considers_and_says_there_are_more(
    people, smtp, monkeypatch
):
    monkeypatch.setattr(reminders, "MILESTONES_CONSIDERED", 5)
    add_late_milestones("Weller", 8)

    output = run("--dry-run", "--op", "2024-11-01")

    weller = next(part for part in output.split("== ") if "medewerker@weller.example" in part)
    assert named_backlog(weller) == ["0", "1", "2", "3", "4"]
    assert "Er zijn meer mijlpalen te laat" in weller


def test_the_digests_take_as_many_queries_and_name_as_few_milestones_whatever_the_backlog(people):
    def queries_for_digests() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queries:
            found = reminders.digests(ON)
        sent_rows = sum(len(digest.lines) for digest in found)
        return len(queries), sent_rows

    add_late_milestones("Weller", 60, prefix="een")
    ReminderSent.objects.bulk_create(
        ReminderSent(user=people["weller"], kind=ReminderKind.MILESTONE_OVERDUE, key=f"oud:{n}")
        for n in range(100)
    )
    once = queries_for_digests()
    add_late_milestones("Weller", 600, prefix="tien")
    ReminderSent.objects.bulk_create(
        ReminderSent(user=people["weller"], kind=ReminderKind.MILESTONE_OVERDUE, key=f"oud:{n}")
        for n in range(100, 1000)
    )
    ten_times = queries_for_digests()

    assert once[0] == ten_times[0]
    # Weller's mail names at most MILESTONES_PER_DIGEST milestones, however many are late.
    weller = next(d for d in reminders.digests(ON) if d.user == people["weller"])
    named = [line for line in weller.lines if line.kind != ReminderKind.ROUND_ITEM]
    assert len(named) == reminders.MILESTONES_PER_DIGEST
    assert weller.more_milestones
