"""Hostile and random input in every form: never a server error, never stored half, never
shown unescaped.

Hypothesis draws a value for every field of the form as the page renders it (so new fields
are fuzzed too): HTML and script, SQL fragments, control characters including NUL, huge
strings, unusual unicode, malformed numbers. Runs are derandomized so CI sees the same cases
every time; set FUZZ_EXAMPLES (and FUZZ_RANDOM=1) for a longer, random session.
"""

import io
import os
from urllib.parse import urlsplit

import openpyxl
import pytest
from django.db import transaction
from django.db.models import Sum
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from accounts.models import User
from agreements.models import Evaluation, IndicatorValue, Jaarschijf, ProgressUpdate
from projects.models import Project
from sustainability.models import EnergyLabelFigure

from .conftest import action, login
from .helpers_security import find_form, page_forms

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "25")),
    derandomize=os.environ.get("FUZZ_RANDOM", "") != "1",
    database=None,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)

# Shown raw, any of these would run in a visitor's browser.
CANARIES = [
    "<script>fuzzCanary()</script>",
    '"><img src=x onerror=fuzzCanary()>',
    "'><svg onload=fuzzCanary()>",
    "</textarea><b id=fuzzCanary>",
]
HOSTILE = [
    *CANARIES,
    "javascript:fuzzCanary()",
    "'; DROP TABLE accounts_user; --",
    "1' OR '1'='1",
    "1; SELECT pg_sleep(10)--",
    "\x00",
    "tekst met \x00 nul",
    "\x0b\x0c\x1b[2J\x7f",
    "\u202eesrever\u202c",
    "\ufeff\u200b\u200d",
    "𝕳𝖊𝖊𝖗𝖑𝖊𝖓 🏠🏚️",
    "Z̴̡̛a̸̢l̵g̵o̸",
    "İıẞß",
    "x" * 100_000,
    "€" * 20_000,
    "-1",
    "1e309",
    "NaN",
    "Infinity",
    "99999999999999999999999999999",
    "0x1F",
    "1.581",
    "85 %",
    "1,5",
    "",
    "   ",
    "../../../etc/passwd",
    "%00%0d%0a",
    "{{ request }}{% debug %}",
    "%s%s%n",
    "https://example.org/<script>fuzzCanary()</script>",
]
hostile_text = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(st.characters(exclude_categories=("Cs",)), max_size=200),
    st.tuples(st.sampled_from(HOSTILE), st.text(max_size=20), st.sampled_from(HOSTILE)).map(
        "".join
    ),
)

NOT_FUZZED = {"csrfmiddlewaretoken"}


def fingerprint(*users):
    """Everything a form in this application can change, in one comparable value."""
    return (
        Jaarschijf.objects.count(),
        ProgressUpdate.objects.count(),
        Evaluation.objects.count(),
        Project.objects.aggregate(v=Sum("version"))["v"],
        IndicatorValue.objects.aggregate(v=Sum("version"))["v"],
        EnergyLabelFigure.objects.aggregate(v=Sum("version"))["v"],
        tuple(User.objects.filter(pk__in=[u.pk for u in users]).values_list("password")),
    )


def fuzzed(data, fields: dict) -> dict:
    values = {}
    for name, original in fields.items():
        if name in NOT_FUZZED:
            values[name] = original
        else:
            values[name] = data.draw(st.one_of(st.just(original), hostile_text), label=name)
    return values


def assert_no_canary(response, values: dict, where: str):
    body = response.content.decode(errors="replace")
    for value in values.values():
        for canary in CANARIES:
            if canary in str(value):
                assert canary not in body, f"onge-escapete invoer op {where}"


def check_post(client, url: str, values: dict, users=(), page_after=None):
    before = fingerprint(*users)
    response = client.post(url, values)
    assert response.status_code < 500, (response.status_code, values)
    assert_no_canary(response, values, url)
    if response.status_code != 302:
        assert fingerprint(*users) == before, "een geweigerd formulier heeft iets veranderd"
    if page_after:
        shown = client.get(page_after)
        assert shown.status_code < 500
        assert_no_canary(shown, values, page_after)
    return response


def form_on(client, page_url: str, action_url: str, method: str = "post") -> dict:
    response = client.get(page_url)
    assert response.status_code == 200, page_url
    return find_form(response.content.decode(), action_url, method, page_url=page_url)


# --- the forms ------------------------------------------------------------------------------


@FUZZ
@given(data=st.data())
def test_login_form_survives_hostile_input(client, jaarschijf, data):
    form = form_on(client, reverse("accounts:login"), reverse("accounts:login"))
    values = fuzzed(data, form["fields"])
    response = client.post(reverse("accounts:login"), values)
    assert response.status_code < 500
    assert_no_canary(response, values, "inloggen")


@FUZZ
@given(data=st.data())
def test_password_change_form_survives_hostile_input(client, weller_medewerker, data):
    login(client, weller_medewerker)
    form = form_on(client, reverse("accounts:password_change"), reverse("accounts:password_change"))
    check_post(
        client,
        reverse("accounts:password_change"),
        fuzzed(data, form["fields"]),
        [weller_medewerker],
    )


@FUZZ
@given(data=st.data())
def test_progress_update_form_survives_hostile_input(client, weller_medewerker, data):
    login(client, weller_medewerker)
    target = action("1.8")
    update_url = reverse("agreements:action-update", args=[target.jaarschijf.year, target.number])
    form = form_on(client, target.get_absolute_url(), update_url)
    check_post(
        client, update_url, fuzzed(data, form["fields"]), page_after=target.get_absolute_url()
    )


@FUZZ
@given(data=st.data())
def test_evaluation_form_survives_hostile_input(client, kernteamlid, data):
    login(client, kernteamlid)
    target = action("1.8")
    url = reverse("agreements:action-evaluate", args=[target.jaarschijf.year, target.number])
    form = form_on(client, target.get_absolute_url(), url)
    check_post(client, url, fuzzed(data, form["fields"]), page_after=target.get_absolute_url())


@FUZZ
@given(data=st.data())
def test_indicator_realisation_form_survives_hostile_input(client, kernteamlid, data):
    login(client, kernteamlid)
    value = IndicatorValue.objects.filter(indicator__jaarschijf__year=2024).order_by("pk").first()
    url = reverse("agreements:indicator-realisation", args=[value.pk])
    form = form_on(client, url, url)
    check_post(client, url, fuzzed(data, form["fields"]), page_after=url)


@FUZZ
@given(data=st.data())
def test_project_update_form_survives_hostile_input(client, kernteamlid, data):
    login(client, kernteamlid)
    project = Project.objects.filter(jaarschijf__year=2024).order_by("pk").first()
    url = reverse("projects:project-update", args=[project.pk])
    form = form_on(client, project.get_absolute_url(), url)
    check_post(client, url, fuzzed(data, form["fields"]), page_after=project.get_absolute_url())


@FUZZ
@given(data=st.data())
def test_label_realisation_form_survives_hostile_input(client, kernteamlid, data):
    login(client, kernteamlid)
    figure = EnergyLabelFigure.objects.order_by("pk").first()
    url = reverse("sustainability:labelfigure-entry", args=[figure.corporation.slug])
    form = form_on(client, url, url)
    check_post(client, url, fuzzed(data, form["fields"]), page_after=url)


@FUZZ
@given(data=st.data())
def test_next_jaarschijf_form_survives_hostile_input(client, kernteamlid, data):
    # Each example in a savepoint that is rolled back: a created jaarschijf 2025 would hide
    # the form from the next example.
    with transaction.atomic():
        login(client, kernteamlid)
        url = reverse("evaluation:jaarschijf-next", args=[2024])
        form = form_on(client, url, url)
        values = fuzzed(data, form["fields"])
        response = check_post(client, url, values)
        if response.status_code == 302:
            shown = client.get(response["Location"])
            assert shown.status_code == 200
            assert_no_canary(shown, values, response["Location"])
        transaction.set_rollback(True)


@FUZZ
@given(data=st.data())
def test_two_factor_code_form_survives_hostile_input(client, settings, kernteamlid, data):
    from .helpers_security import confirmed_device, post_login

    settings.OTP_REQUIRED = True
    confirmed_device(kernteamlid)
    post_login(client, "kernteam")
    url = reverse("accounts:two-factor-verify")
    form = form_on(client, url, url)
    values = fuzzed(data, form["fields"])
    response = client.post(url, values)
    assert response.status_code < 500
    assert_no_canary(response, values, url)
    client.post(reverse("accounts:logout"))


LIST_PAGES = [
    "overview:dashboard",
    "overview:action-list",
    "overview:project-list",
    "overview:party-list",
    "overview:sustainability",
    "evaluation:compare-years",
]
EXTRA_GET_PARAMETERS = ["sort", "page", "per_page", "jaar", "q", "next", "_export"]


@FUZZ
@given(data=st.data(), name=st.sampled_from(LIST_PAGES))
def test_filters_and_list_parameters_survive_hostile_input(client, kernteamlid, data, name):
    login(client, kernteamlid)
    url = reverse(name)
    page = client.get(url)
    fields = {}
    for form in page_forms(page.content.decode()):
        if form["method"] == "get":
            fields.update(form["fields"])
    for extra in EXTRA_GET_PARAMETERS:
        fields.setdefault(extra, "")
    params = {k: v for k, v in fuzzed(data, fields).items() if v != ""}
    response = client.get(url, params)
    assert response.status_code < 500, (name, params)
    assert_no_canary(response, params, url)


@FUZZ
@given(next_url=hostile_text, year=hostile_text)
def test_year_switch_never_sends_anyone_to_another_site(client, kernteamlid, next_url, year):
    login(client, kernteamlid)
    response = client.get(reverse("overview:jaarschijf-switch"), {"jaar": year, "next": next_url})
    assert response.status_code < 500
    if response.status_code in (301, 302):
        location = urlsplit(response["Location"])
        assert not location.scheme and not location.netloc, response["Location"]
        assert not location.path.startswith(("//", "/\\")), response["Location"]


# --- specific hostile values ----------------------------------------------------------------


def test_a_nul_character_gets_a_dutch_message_at_the_field_and_nothing_is_stored(
    client, weller_medewerker
):
    login(client, weller_medewerker)
    target = action("1.8")
    update_url = reverse("agreements:action-update", args=[target.jaarschijf.year, target.number])
    values = form_on(client, target.get_absolute_url(), update_url)["fields"]
    values.update(status="vertraagd", percent_done="40", explanation="vertraagd door \x00 iets")
    before = fingerprint()
    response = client.post(update_url, values)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Null-tekens zijn niet toegestaan." in html or "onzichtbaar stuurteken" in html
    assert fingerprint() == before


def test_a_nul_character_in_the_login_form_is_no_server_error(client, weller_medewerker):
    response = client.post(
        reverse("accounts:login"), {"username": "wel\x00ler", "password": "x\x00"}
    )
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_text_pasted_with_control_characters_never_breaks_the_evaluation_workbook(
    client, weller_medewerker, kernteamlid
):
    """Whatever a form accepted must still export: openpyxl refuses control characters."""
    login(client, weller_medewerker)
    target = action("1.8")
    update_url = reverse("agreements:action-update", args=[target.jaarschijf.year, target.number])
    values = form_on(client, target.get_absolute_url(), update_url)["fields"]
    values.update(status="vertraagd", percent_done="40", explanation="regel\x0bregel\x1b[1m")
    client.post(update_url, values)

    login(client, kernteamlid)
    response = client.get(reverse("evaluation:evaluation-export", args=[2024]))
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(
        io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content)
    )
    assert workbook.sheetnames


def test_a_superscript_digit_as_year_is_no_server_error(client, kernteamlid):
    # "²".isdigit() is true in Python, int("²") is not.
    login(client, kernteamlid)
    response = client.get(reverse("overview:jaarschijf-switch"), {"jaar": "²"})
    assert response.status_code < 500


def test_the_shared_validator_refuses_control_characters_once_in_dutch():
    from django import forms

    from core.validators import NoControlCharactersFormMixin

    class NoteForm(NoControlCharactersFormMixin, forms.Form):
        note = forms.CharField()

    for bad in ("a\x00b", "regel\x0bregel", "\x1b[1m", "\x7f"):
        form = NoteForm({"note": bad})
        assert not form.is_valid()
        assert len(form.errors["note"]) == 1
        assert "onzichtbaar stuurteken" in form.errors["note"][0]
    for good in ("regel 1\r\nregel 2\tmet tab", "𝕳𝖊𝖊𝖗𝖑𝖊𝖓 🏠", "<b>1.581</b>"):
        assert NoteForm({"note": good}).is_valid(), good


# --- workbook import ------------------------------------------------------------------------

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

hostile_cell = st.one_of(
    hostile_text.map(lambda text: ILLEGAL_CHARACTERS_RE.sub("", text)[:32_000]),
    st.integers(min_value=-(10**15), max_value=10**15),
    st.floats(allow_nan=False, allow_infinity=False),
    st.none(),
)


def upload(name: str, content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type=XLSX)


@FUZZ
@given(
    content=st.one_of(
        st.binary(max_size=4000),
        st.binary(max_size=4000).map(lambda b: b"PK\x03\x04" + b),
        st.just(b""),
    ),
    name=st.one_of(st.just("werkmap.xlsx"), hostile_text.map(lambda t: (t[:200] or "x") + ".xlsx")),
)
def test_import_survives_files_that_are_not_workbooks(client, kernteamlid, content, name):
    login(client, kernteamlid)
    url = reverse("evaluation:evaluation-import", args=[2024])
    before = fingerprint()
    response = client.post(url, {"workbook": upload(name, content)})
    assert response.status_code < 500
    assert response.status_code != 302 or not content  # garbage never reaches the preview
    assert_no_canary(response, {"name": name}, url)
    assert fingerprint() == before


@FUZZ
@given(data=st.data())
def test_import_of_a_template_with_hostile_cells_never_fails_badly(client, kernteamlid, data):
    login(client, kernteamlid)
    template = client.get(reverse("evaluation:evaluation-import-template", args=[2024]))
    content = b"".join(template.streaming_content) if template.streaming else template.content
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    cells = [
        (sheet, cell)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(min_row=2, max_row=min(sheet.max_row, 6))
        for cell in row
    ]
    # A few cells at a time, so that most workbooks still pass and reach the preview.
    chosen = data.draw(st.sets(st.integers(0, len(cells) - 1), min_size=1, max_size=3))
    written = {}
    for index in chosen:
        sheet, cell = cells[index]
        cell.value = data.draw(hostile_cell, label=f"{sheet.title}!{cell.coordinate}")
        written[f"{sheet.title}!{cell.coordinate}"] = cell.value
    buffer = io.BytesIO()
    workbook.save(buffer)

    before = fingerprint()
    url = reverse("evaluation:evaluation-import", args=[2024])
    response = client.post(url, {"workbook": upload("werkmap.xlsx", buffer.getvalue())})
    assert response.status_code < 500
    assert_no_canary(response, written, url)
    assert fingerprint() == before, "uploaden alleen mag nog niets opslaan"
    if response.status_code != 302:
        return
    preview_url = reverse("evaluation:evaluation-import-preview", args=[2024])
    preview = client.get(preview_url)
    assert preview.status_code == 200
    assert_no_canary(preview, written, preview_url)
    form = find_form(preview.content.decode(), preview_url)
    applied = client.post(preview_url, {**form["fields"], "apply": "1"})
    assert applied.status_code < 500
    assert_no_canary(applied, written, preview_url)
    if applied.status_code != 302:
        assert fingerprint() == before, "een geweigerde import heeft iets veranderd"
