"""The whole anonymous surface, walked URL pattern by URL pattern, against the public policy.

Public (agreements/public.py, README "Openbaar dashboard"): the agreements, their status and
percentage, the figures and the published evaluation. Not public: progress notes unless
marked public, evaluations in progress, people's names, the change history and concept
jaarschijven. Every page and download a visitor can reach is checked for planted markers
of each private thing, with PUBLIC_DASHBOARD on and off.
"""

import io
import zipfile
from itertools import product

import pytest
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

from accounts.models import UserRole
from agreements.models import (
    Action,
    Evaluation,
    IndicatorValue,
    Jaarschijf,
    Party,
    ProgressUpdate,
    Theme,
)
from api import opendata
from projects.models import Project
from projects.services import update_project

from .factories import action, make_progress_update, make_user

pytestmark = pytest.mark.django_db

CONCEPT_YEAR = 2087
EVALUATED_YEAR = 2023

PRIVATE = {
    "private progress note": "PRIVENOTITIE7F3A",
    "private evidence link": "prive-bewijs-7f3a",
    "evaluation in progress": "LOPENDEEVALUATIE5D1E",
    "first name": "Geheimvoornaam",
    "last name": "Verborgenachternaam",
    "username": "geheimgebruiker",
    "project working note": "PROJECTNOTITIE2B8C",
    "concept jaarschijf title": "CONCEPTTITEL4E6F",
    "concept action": "CONCEPTAFSPRAAK4E6F",
    "concept year in the switcher": f'value="{CONCEPT_YEAR}"',
    "concept year as a heading": f"Jaarschijf {CONCEPT_YEAR}",
}
PUBLIC_NOTE = "OPENBARENOTITIE91C2"
PUBLISHED_EVALUATION = "GEPUBLICEERDEEVALUATIE0A11"


def _jaarschijf_with_one_action(year, status, title, text):
    jaarschijf = Jaarschijf.objects.create(
        year=year,
        title=title,
        municipality=Party.objects.get(name="Gemeente Heerlen"),
        status=status,
    )
    theme = Theme.objects.create(jaarschijf=jaarschijf, number=1, title="Thema")
    return Action.objects.create(jaarschijf=jaarschijf, theme=theme, number="1.1", text=text)


@pytest.fixture
def planted(jaarschijf):
    writer = make_user(
        UserRole.KERNTEAMLID,
        "Weller",
        "geheimgebruiker",
        first_name="Geheimvoornaam",
        last_name="Verborgenachternaam",
    )
    make_progress_update(
        action("1.7"),
        writer,
        explanation=PRIVATE["private progress note"],
        evidence_url=f"https://example.org/{PRIVATE['private evidence link']}",
    )
    make_progress_update(action("1.8"), writer, explanation=PUBLIC_NOTE, is_public=True)
    Evaluation.objects.create(
        action=action("1.9"),
        author=writer,
        assessment="behaald",
        explanation=PRIVATE["evaluation in progress"],
    )
    project = Project.objects.filter(jaarschijf=jaarschijf, corporation__name="Weller").first()
    update_project(
        project=project,
        user=writer,
        version=project.version,
        explanation=PRIVATE["project working note"],
    )
    concept = _jaarschijf_with_one_action(
        CONCEPT_YEAR, "concept", PRIVATE["concept jaarschijf title"], PRIVATE["concept action"]
    )
    evaluated = _jaarschijf_with_one_action(
        EVALUATED_YEAR, "geevalueerd", "Geëvalueerde jaarschijf", "Een afspraak."
    )
    Evaluation.objects.create(
        action=evaluated, author=writer, assessment="behaald", explanation=PUBLISHED_EVALUATION
    )
    return {"writer": writer, "project": project, "concept": concept, "evaluated": evaluated}


def _patterns(resolvers=None, namespace=""):
    """(namespaced name, pattern) of every named URL outside the admin."""
    for entry in resolvers if resolvers is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            if getattr(entry, "app_name", None) == "admin":
                continue
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _patterns(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield namespace + entry.name, entry


def _candidate_kwargs(planted):
    project = planted["project"]
    return {
        "year": [2024, CONCEPT_YEAR, EVALUATED_YEAR],
        "number": ["1.1", "1.7", "1.8", "1.9"],
        "pk": [project.pk, IndicatorValue.objects.order_by("pk").first().pk],
        # Parties, and the open-data datasets (their CSV and JSON downloads).
        "slug": ["weller", "woningcorporaties", *(d.slug for d in opendata.DATASETS)],
        "extension": ["csv", "json"],
        # A calendar feed answers only its owner's secret token; a guessed one is a 404.
        "token": ["geraden-token"],
        # The write API's figures, by natural key (a visitor has no token: 401).
        "jaarschijf": ["2024", str(CONCEPT_YEAR)],
        "corporatie": ["weller"],
        "jaar": ["2024"],
        "categorie": ["nieuwbouw"],
        "volgnummer": ["1"],
        "code": [IndicatorValue.objects.order_by("pk").first().indicator.code],
        "partij": ["weller"],
        "periode": ["2024"],
        # The read API's objects: the concept's action, the private and the public note.
        "nummer": ["1.1", "1.7"],
        "id": [str(pk) for pk in ProgressUpdate.objects.values_list("pk", flat=True)],
    }


def anonymous_urls(planted) -> list[str]:
    candidates = _candidate_kwargs(planted)
    urls, unreached = [], []
    for name, pattern in _patterns():
        params = list(pattern.pattern.converters)
        reached = False
        for values in product(*(candidates[p] for p in params)):
            try:
                urls.append(reverse(name, kwargs=dict(zip(params, values, strict=True))))
                reached = True
            except NoReverseMatch:  # a combination this pattern does not accept
                continue
        if not reached:
            unreached.append(name)
    assert not unreached, f"no test values for {unreached}"
    # Year selection through the query string, and the downloads of a concept year.
    for query in (f"?jaar={CONCEPT_YEAR}", f"?jaar={EVALUATED_YEAR}"):
        urls += [
            reverse("overview:dashboard") + query,
            reverse("overview:action-list") + query,
            reverse("overview:action-list-export") + query,
            reverse("overview:project-list") + query,
            reverse("overview:sustainability") + query,
            reverse("overview:party-detail", args=["weller"]) + query,
        ]
    urls += [reverse("evaluation:compare-years") + f"?jaren={CONCEPT_YEAR}&jaren=2024"]
    urls += ["/admin/", "/admin/login/", "/admin/agreements/progressupdate/"]
    return urls


def text_of(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if content[:2] == b"PK":  # a download: every part of the workbook
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return "".join(archive.read(n).decode("utf-8", "replace") for n in archive.namelist())
    return content.decode("utf-8", "replace")


def walk(client, urls):
    leaks, seen = [], {}
    for url in urls:
        response = client.get(url, follow=True)
        assert response.status_code < 500, url
        text = text_of(response)
        seen[url] = (response.status_code, text)
        for what, marker in PRIVATE.items():
            if marker in text:
                leaks.append(f"{url}: {what}")
    return leaks, seen


@pytest.mark.parametrize("public", [True, False], ids=["openbaar", "besloten"])
def test_no_private_thing_appears_anywhere_a_visitor_can_go(client, settings, planted, public):
    settings.PUBLIC_DASHBOARD = public
    urls = anonymous_urls(planted)
    assert len(urls) > 40

    leaks, seen = walk(client, urls)

    assert leaks == []
    if public:
        # The public things are there: this walk can see what it looks for.
        assert PUBLIC_NOTE in seen[action("1.8").get_absolute_url()][1]
        assert PUBLISHED_EVALUATION in seen[planted["evaluated"].get_absolute_url()][1]
        assert "Van de 67 afspraken" in seen[reverse("overview:dashboard")][1]
        assert seen[planted["concept"].get_absolute_url()][0] == 404
    else:
        assert PUBLIC_NOTE not in seen[action("1.8").get_absolute_url()][1]


def test_a_logged_in_reader_does_see_every_planted_thing(client, planted, huurder):
    """The markers are planted where the pages show them: the walk above could fail."""
    client.force_login(huurder)
    _, seen = walk(
        client,
        [
            action("1.7").get_absolute_url(),
            action("1.9").get_absolute_url(),
            planted["project"].get_absolute_url(),
            planted["concept"].get_absolute_url(),
            reverse("evaluation:jaarschijf-manage", args=[CONCEPT_YEAR]),
        ],
    )
    everything = "".join(text for _, text in seen.values())
    for what, marker in PRIVATE.items():
        if what not in ("concept year in the switcher", "username"):
            assert marker in everything, what
    assert f'value="{CONCEPT_YEAR}"' in seen[action("1.7").get_absolute_url()][1]


def test_the_login_page_lists_no_concept_year(client, planted):
    page = client.get(reverse("accounts:login")).content.decode()
    assert f'value="{CONCEPT_YEAR}"' not in page
    assert 'value="2024"' in page


def test_a_progress_note_is_not_public_unless_its_writer_marks_it(client, planted, settings):
    settings.PUBLIC_DASHBOARD = True
    writer = planted["writer"]
    client.force_login(writer)
    target = action("1.10")
    for explanation, is_public in (("NIETOPENBAAR1", ""), ("WELOPENBAAR2", "on")):
        latest = target.updates.first()
        client.post(
            reverse("agreements:action-update", args=[2024, "1.10"]),
            {
                "status": "op_schema",
                "percent_done": 20,
                "explanation": explanation,
                "is_public": is_public,
                "seen_latest_id": latest.pk if latest else "",
            },
        )
    client.logout()
    page = client.get(target.get_absolute_url()).content.decode()
    assert "WELOPENBAAR2" in page
    assert "NIETOPENBAAR1" not in page
