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

from .conftest import login

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
