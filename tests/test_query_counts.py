"""Every overview page runs a fixed number of SQL queries, however much data there is.

The pages are measured at scale 1 and at scale 10 of ``generate_data`` under the same bound,
and the counts must be equal: a query per row would show up as a difference.

Every page stays within 10 queries, for a public visitor and for a logged-in writer alike.
A logged-in user pays 2 more, the same on every page: reading the session and the user with
its party (the session is renewed at most once a minute, not written on every page; in
production a verified second factor adds its device). A writer's lists also carry the
permission twins (``editable_by``) as annotations, which cost no extra query.
"""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agreements.models import Action, ActionParty, Jaarschijf

from .factories import action, login, make_progress_update
from .helpers_plans import analysed_plan, rows_read, scans_of

pytestmark = pytest.mark.django_db

SYNTHETIC_YEAR = 2100
LOGIN_OVERHEAD = 2
PUBLIC_BOUND = 10

#: page -> (URL name, GET parameters, queries for a public visitor)
PAGES = {
    "dashboard": ("overview:dashboard", {}, 10),
    "afspraken": ("overview:action-list", {}, 7),
    "afspraken gefilterd": (
        "overview:action-list",
        {"party": "weller", "lead_only": "on", "status": "op_schema", "q": "woning"},
        8,
    ),
    "afspraken aandacht": ("overview:action-list", {"attention": "on", "stale_days": "30"}, 7),
    "afspraken excel": ("overview:action-list-export", {"party": "weller"}, 4),
    "projecten": ("overview:project-list", {"bat": "BAT2", "sort": "-dwellings"}, 7),
    "duurzaamheid": ("overview:sustainability", {}, 5),
    "partijen": ("overview:party-list", {}, 3),
    "partij corporatie": ("overview:party-detail", {"slug": "weller"}, 9),
    "partij collectief": ("overview:party-detail", {"slug": "woningcorporaties"}, 6),
}


def load(client, name, year) -> int:
    url_name, params, _bound = PAGES[name]
    params = dict(params)
    slug = params.pop("slug", None)
    url = reverse(url_name, args=[slug] if slug else [])
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, {**params, "jaar": year})
    assert response.status_code == 200, (name, response.status_code)
    return len(queries.captured_queries)


def counts_at_scale_1_and_10(client, name, year, bound, django_assert_max_num_queries):
    counts = []
    for scale in (1, 10):
        call_command("generate_data", scale=scale, verbosity=0)
        load(client, name, year)  # warm up caches such as the content types
        with django_assert_max_num_queries(bound):
            counts.append(load(client, name, year))
    return counts


@pytest.mark.parametrize("name", list(PAGES))
@pytest.mark.parametrize("year", [2024, SYNTHETIC_YEAR])
def test_a_writers_page_runs_the_same_number_of_queries_at_scale_1_and_10(
    client, weller_medewerker, django_assert_max_num_queries, name, year
):
    login(client, weller_medewerker)
    client.get(reverse("overview:ping"))  # the first page after login renews the session
    bound = min(PAGES[name][2] + LOGIN_OVERHEAD, PUBLIC_BOUND)

    counts = counts_at_scale_1_and_10(client, name, year, bound, django_assert_max_num_queries)

    assert counts[0] == counts[1], f"{name}: {counts[0]} queries at scale 1, {counts[1]} at 10"


@pytest.mark.parametrize("name", list(PAGES))
def test_a_public_page_stays_within_ten_queries_at_scale_1_and_10(
    client, jaarschijf, settings, django_assert_max_num_queries, name
):
    settings.PUBLIC_DASHBOARD = True
    bound = PAGES[name][2]
    assert bound <= PUBLIC_BOUND

    counts = counts_at_scale_1_and_10(
        client, name, SYNTHETIC_YEAR, bound, django_assert_max_num_queries
    )

    assert counts[0] == counts[1], f"{name}: {counts[0]} queries at scale 1, {counts[1]} at 10"


def test_the_trivial_ping_page_runs_only_the_login_queries(client, weller_medewerker):
    login(client, weller_medewerker)
    client.get(reverse("overview:ping"))  # the first page after login renews the session

    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("overview:ping"))

    assert len(queries.captured_queries) <= LOGIN_OVERHEAD


# --- The action page: its updates are paginated ---------------------------------------------

#: The action page of a logged-in writer, whatever the number of updates on the action: the
#: action with its parties, the latest update with the number of updates, one page of updates
#: with their evidence files, evaluations, indicators, milestones, the jaarschijf switcher and
#: two permission checks. Twelve with the login queries.
ACTION_PAGE_BOUND = 10


def add_updates(number: str, count: int) -> None:
    from agreements.models import Action, ProgressEvidence, ProgressUpdate

    subject = Action.objects.get(jaarschijf__year=SYNTHETIC_YEAR, number=number)
    updates = ProgressUpdate.objects.bulk_create(
        ProgressUpdate(action=subject, status="op_schema", percent_done=n % 100, explanation="x")
        for n in range(count)
    )
    # Every update carries two evidence files: shown with the update, not a query per update.
    ProgressEvidence.objects.bulk_create(
        ProgressEvidence(
            update=update, file=f"bewijs/{n}.pdf", original_name=f"{n}.pdf", kind="pdf", size=n
        )
        for update in updates
        for n in (1, 2)
    )


@pytest.mark.parametrize("page", [1, 2])
def test_the_action_page_runs_the_same_number_of_queries_at_scale_1_and_10(
    client, weller_medewerker, django_assert_max_num_queries, page
):
    """Scale 1: the synthetic data plus 15 updates on action 2.5; scale 10: 150 in all."""
    login(client, weller_medewerker)
    client.get(reverse("overview:ping"))
    url = reverse("agreements:action-detail", args=[SYNTHETIC_YEAR, "2.5"])
    counts = []
    for scale in (1, 10):
        call_command("generate_data", scale=scale, verbosity=0)
        add_updates("2.5", 15 * scale - (15 if scale == 10 else 0))
        client.get(url, {"pagina": page})
        with django_assert_max_num_queries(ACTION_PAGE_BOUND + LOGIN_OVERHEAD):
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url, {"pagina": page})
        assert response.status_code == 200
        assert response.context["updates_page"].number == page
        assert 0 < len(response.context["updates"]) <= 10
        # generate_data's own updates have none, the ones added here two each.
        shown = [len(update.evidence) for update in response.context["updates"]]
        assert set(shown) <= {0, 2} and 2 in shown
        counts.append(len(queries.captured_queries))

    assert counts[0] == counts[1], f"page {page}: {counts[0]} queries at scale 1, {counts[1]} at 10"


# --- The evaluation pages -------------------------------------------------------------------

#: The evaluation page stays within the bound of every page (one of its 9 reads the decisions
#: withdrawn by a reopening); the report is the whole jaarschijf on one page (every table of
#: the dashboard and more) and runs a fixed 15 plus the login queries, however many actions,
#: verdicts, decisions and views there are.
EVALUATION_PAGES = {"evaluation:evaluation-overview": 9, "evaluation:evaluation-report": 16}


def add_evaluation_data(year: int, times: int) -> None:
    """``times`` verdicts per action, decisions of every signing party, views on every theme."""
    from agreements.models import Evaluation, Jaarschijf, Party, Signatory
    from evaluation.models import Approval, TenantView, Vaststelling

    jaarschijf = Jaarschijf.objects.get(year=year)
    for signatory in Signatory.objects.filter(jaarschijf__year=2024):
        Signatory.objects.get_or_create(
            jaarschijf=jaarschijf,
            name=signatory.name,
            defaults={"party": signatory.party, "function": signatory.function},
        )
    vaststelling, _ = Vaststelling.objects.get_or_create(jaarschijf=jaarschijf)
    for party in Party.objects.filter(signatories__jaarschijf=jaarschijf).distinct():
        Approval.objects.get_or_create(
            vaststelling=vaststelling,
            party=party,
            defaults={"decision": "akkoord", "signer_name": "N.N.", "signer_function": "Lid"},
        )
    Evaluation.objects.bulk_create(
        Evaluation(action=action, assessment="behaald", explanation=f"Oordeel {n}")
        for action in jaarschijf.actions.all()
        for n in range(times)
    )
    tenants = Party.objects.filter(kind="huurdersorganisatie")[:times]
    for tenant in tenants:
        for theme in [None, *jaarschijf.themes.all()]:
            TenantView.objects.get_or_create(
                jaarschijf=jaarschijf, party=tenant, theme=theme, defaults={"text": "Zienswijze"}
            )


@pytest.mark.parametrize("url_name", list(EVALUATION_PAGES))
def test_the_evaluation_pages_run_a_fixed_number_of_queries_whatever_the_data(
    client, weller_medewerker, django_assert_max_num_queries, url_name
):
    call_command("generate_data", scale=1, verbosity=0)
    login(client, weller_medewerker)
    client.get(reverse("overview:ping"))
    url = reverse(url_name, args=[SYNTHETIC_YEAR])
    counts = []
    for times in (1, 5):
        add_evaluation_data(SYNTHETIC_YEAR, times)
        client.get(url)
        with django_assert_max_num_queries(EVALUATION_PAGES[url_name] + LOGIN_OVERHEAD):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
        counts.append(len(queries.captured_queries))

    assert counts[0] == counts[1], f"{url_name}: {counts[0]} queries, then {counts[1]}"


# --- The pages of the yearly cycle (cycle app) ----------------------------------------------

#: page -> (URL name, needs the round's pk, bound for a logged-in writer, GET parameters).
#: Mijn werk and an open round compute every ask of the round from live data: the items with
#: their answers, the trekkers with their updates, and one query per kind of figure
#: (cycle/rounds.py). Mijn werk counts the party's milestones of every jaarschijf in one query
#: (from an index, no join: counted together with the shown rows the query ran over every
#: open milestone with its joins, 1,3 s at scale 1000) and lists those of the shown one in a
#: second; the list of them all ("open mijlpalen") is paginated: the counts, one page of
#: milestones, the jaarschijf of the header. An open round also asks which of the asked
#: parties have nobody who may deliver (one query over the users).
CYCLE_PAGES = {
    "mijn werk": ("cycle:my-work", False, PUBLIC_BOUND + 1, {}),
    "open mijlpalen": ("cycle:my-milestones", False, 5, {}),
    "open mijlpalen pagina 2": ("cycle:my-milestones", False, 5, {"pagina": 2}),
    "mijlpalen": ("cycle:milestone-list", False, 6, {}),
    "mijlpalen te laat": ("cycle:milestone-list", False, 6, {"te_laat": "on"}),
    "rapportages": ("cycle:round-list", False, 5, {}),
    "rapportage open": ("cycle:round-detail", True, PUBLIC_BOUND + 1, {}),
}


def add_cycle_data():
    """Give every synthetic jaarschijf the milestones of 2024 and open one round on 2100."""
    from agreements.models import Action, Indicator, Jaarschijf, Party
    from cycle.models import Milestone, ReportingRound, RoundItem

    template = list(Milestone.objects.filter(jaarschijf__year=2024).select_related("action"))
    for jaarschijf in Jaarschijf.objects.filter(year__gt=2024).exclude(milestones__isnull=False):
        actions = {a.number: a for a in Action.objects.filter(jaarschijf=jaarschijf)}
        Milestone.objects.bulk_create(
            Milestone(
                jaarschijf=jaarschijf,
                action=actions.get(m.action.number) if m.action_id else None,
                code=m.code,
                description=m.description,
                due_date=m.due_date.replace(year=jaarschijf.year, day=min(m.due_date.day, 28)),
                due_precision=m.due_precision,
                due_text=m.due_text,
                responsible_id=m.responsible_id,
            )
            for m in template
            if not m.action_id or m.action.number in actions
        )
    jaarschijf = Jaarschijf.objects.get(year=SYNTHETIC_YEAR)
    reporting_round, created = ReportingRound.objects.get_or_create(
        jaarschijf=jaarschijf,
        name="Voortgangsrapportage",
        defaults={
            "period_start": "2100-01-01",
            "period_end": "2100-06-30",
            "deadline": "2100-07-15",
        },
    )
    if created:
        RoundItem.objects.create(round=reporting_round, kind="open_afspraken")
        RoundItem.objects.create(round=reporting_round, kind="efg")
        RoundItem.objects.create(
            round=reporting_round,
            kind="kengetal",
            indicator=Indicator.objects.filter(jaarschijf=jaarschijf).first(),
        )
        RoundItem.objects.create(
            round=reporting_round,
            kind="stuk",
            label="Cijfers 6.5",
            party=Party.objects.get(name="Woningcorporaties"),
        )
    return reporting_round


@pytest.mark.parametrize("name", list(CYCLE_PAGES))
@pytest.mark.parametrize("who", ["weller_medewerker", "kernteamlid"])
def test_a_cycle_page_runs_the_same_number_of_queries_at_scale_1_and_10(
    client, request, django_assert_max_num_queries, name, who
):
    url_name, per_round, bound, extra = CYCLE_PAGES[name]
    params = {"jaar": SYNTHETIC_YEAR, **extra}
    login(client, request.getfixturevalue(who))
    client.get(reverse("overview:ping"))
    counts = []
    for scale in (1, 10):
        call_command("generate_data", scale=scale, verbosity=0)
        reporting_round = add_cycle_data()
        url = reverse(url_name, args=[reporting_round.pk] if per_round else [])
        client.get(url, params)
        with django_assert_max_num_queries(bound):
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url, params)
        assert response.status_code == 200, (name, response.status_code)
        if "page" in response.context:  # more milestones than a page holds, at either scale
            page = response.context["page"]
            assert page.number == int(extra.get("pagina", 1))
            assert 0 < len(page.object_list) <= page.paginator.per_page < page.paginator.count
        counts.append(len(queries.captured_queries))
    assert counts[0] == counts[1], f"{name}: {counts[0]} queries at scale 1, {counts[1]} at 10"


@pytest.mark.parametrize("name", ["dashboard", "afspraken", "afspraken aandacht"])
def test_the_action_query_of_a_page_never_groups_every_action(client, weller_medewerker, name):
    """Overdue milestones are counted per action in a subquery: counting them over a join made
    PostgreSQL sort and group every selected action column (with its progress subqueries)."""
    login(client, weller_medewerker)
    call_command("generate_data", scale=1, verbosity=0)
    url_name, params, _bound = PAGES[name]

    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse(url_name), {"jaar": SYNTHETIC_YEAR, **params})

    assert response.status_code == 200
    grouped = [
        q["sql"] for q in queries.captured_queries if 'GROUP BY "agreements_action"' in q["sql"]
    ]
    assert not grouped


@pytest.mark.parametrize("name", ["dashboard", "afspraken", "partij corporatie"])
def test_the_action_query_of_a_page_reads_only_the_actions_of_the_jaarschijf_shown(
    client, weller_medewerker, name
):
    """Whether the writer may edit a row (``editable_by``) and whether the writer's party takes
    part are asked within the jaarschijf shown: asked with an ``EXISTS`` over every action,
    PostgreSQL answered with one pass over the editable actions (or their parties) of every
    jaarschijf, a cost that grew with the number of jaarschijven."""
    login(client, weller_medewerker)
    call_command("generate_data", scale=10, verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    url_name, params, _bound = PAGES[name]
    params = dict(params)
    slug = params.pop("slug", None)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(
            reverse(url_name, args=[slug] if slug else []), {**params, "jaar": SYNTHETIC_YEAR}
        )
    assert response.status_code == 200
    in_year = Action.objects.filter(jaarschijf__year=SYNTHETIC_YEAR).count()
    assert Action.objects.count() > 5 * in_year
    links_in_year = ActionParty.objects.filter(action__jaarschijf__year=SYNTHETIC_YEAR).count()
    action_queries = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith('SELECT "agreements_action"."id"') and "can_edit" in q["sql"]
    ]
    assert action_queries
    for sql in action_queries:
        plan = analysed_plan(sql)
        read = [rows * loops for rows, loops in scans_of(plan, "agreements_action")]
        assert max(read) <= in_year, f"{name}: a scan read {max(read)} actions ({in_year} shown)"
        read = [rows * loops for rows, loops in scans_of(plan, "agreements_actionparty")]
        assert max(read) <= links_in_year, (
            f"{name}: a scan read {max(read)} parties of actions ({links_in_year} shown)"
        )


def test_the_year_comparison_reads_one_update_per_action_however_many_an_action_has(
    kernteamlid, jaarschijf
):
    """The status counts of compare years take each action's latest update from the index: a
    pass over every update of the shown jaarschijven grew with the updates of a busy action."""
    from evaluation.compare import status_counts_per_year

    shown = Jaarschijf.objects.filter(year=2024)
    actions = Action.objects.filter(jaarschijf__in=shown).count()
    busy = action("1.7")
    for n in range(3 * actions):
        make_progress_update(busy, kernteamlid, status="op_schema", percent_done=n % 100)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    with CaptureQueriesContext(connection) as queries:
        counted = status_counts_per_year(shown)
    assert sum(counted[2024].values()) == actions
    (sql,) = [q["sql"] for q in queries.captured_queries if "COUNT(*)" in q["sql"]]
    plan = analysed_plan(sql, ruled_out=("seqscan",))
    read = sum(rows * loops for rows, loops in scans_of(plan, "agreements_progressupdate"))
    assert read <= 2 * actions, f"{read} updates read for {actions} actions"


def test_the_year_switcher_finds_the_published_jaarschijven_without_reading_the_concepts(
    jaarschijf,
):
    """The default jaarschijf (the newest that is not a concept) and everything a visitor may
    see come from the top of an index of the jaarschijven that are not concepts: before, the
    query walked through every concept jaarschijf newer than the published one."""
    from django.contrib.auth.models import AnonymousUser

    from overview.jaarschijf import switcher_jaarschijven

    Jaarschijf.objects.bulk_create(
        Jaarschijf(year=year, title=f"Concept {year}", municipality=jaarschijf.municipality)
        for year in range(2100, 2400)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE agreements_jaarschijf")
    with CaptureQueriesContext(connection) as queries:
        shown = switcher_jaarschijven(AnonymousUser())
    assert [j.year for j in shown] == [2024]
    (sql,) = [q["sql"] for q in queries.captured_queries]
    read = rows_read(analysed_plan(sql), "agreements_jaarschijf")
    assert read <= 4, f"{read} jaarschijven read for one published jaarschijf and 300 concepts"
