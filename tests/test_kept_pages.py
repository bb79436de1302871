"""The dashboard and a party's page are kept as rendered while the data is unchanged, and so
is every page's year switcher.

They are kept per user and address, under the database's data revision (core.fragments): a
second view with nothing changed reads no figures again, and anything committed, by whatever
way it was written, shows on the next view; a visit (its session) changes nothing. These tests
commit, as the site does.
"""

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from agreements.models import Jaarschijf, ProgressUpdate
from core.fragments import untracked_tables
from projects.models import Project

from .factories import YEAR, action, login, make_progress_update, make_user
from .helpers_dashboard import page_text, row_of, switcher_years, table

pytestmark = pytest.mark.django_db(transaction=True)

CATEGORIES = "Projecten per categorie"
STATUS = "Aantal afspraken per thema en status"


def view(client, url):
    """The page and the number of queries it took."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response, len(queries)


def logged_in(client, user):
    """Logged in, past the first page (which renews the session: a write)."""
    login(client, user)
    client.get("/ping/")
    return client


def test_a_second_view_of_the_dashboard_with_nothing_changed_is_the_same_page_from_fewer_queries(
    client, jaarschijf
):
    logged_in(client, make_user("kernteamlid", "Weller", "kern"))

    first, first_queries = view(client, "/")
    second, second_queries = view(client, "/")

    assert page_text(second) == page_text(first)
    assert second_queries < first_queries


def test_the_dashboard_shows_a_change_written_past_every_form_and_signal_on_the_next_view(
    client, jaarschijf
):
    login(client, make_user("kernteamlid", "Weller", "kern"))
    before = row_of(table(client.get("/"), CATEGORIES), "Nieuwbouw")
    rows = Project.objects.filter(jaarschijf=jaarschijf, category="nieuwbouw")

    # QuerySet.update: no save(), no signal, as SQL by hand or a bulk import would write.
    rows.update(realised_dwellings=1)

    after = row_of(table(client.get("/"), CATEGORIES), "Nieuwbouw")
    assert after[3] == str(rows.count())
    assert after[3] != before[3]


def test_a_change_made_in_sql_by_hand_shows_on_the_next_view(client, jaarschijf):
    logged_in(client, make_user("kernteamlid", "Weller", "kern"))
    client.get("/")
    rows = Project.objects.filter(jaarschijf=jaarschijf, category="nieuwbouw")

    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE projects_project SET realised_dwellings = 3 "
            "WHERE jaarschijf_id = %s AND category = 'nieuwbouw'",
            [jaarschijf.pk],
        )

    after = row_of(table(client.get("/"), CATEGORIES), "Nieuwbouw")
    assert after[3] == str(3 * rows.count())


def test_other_peoples_visits_leave_the_kept_dashboard_kept(client, jaarschijf):
    """Visits write their session (and logins their attempts): not a change to what is shown."""
    logged_in(client, make_user("kernteamlid", "Weller", "kern"))
    _, fresh_queries = view(client, "/")
    other = Client()
    logged_in(other, make_user("medewerker", "Woonpunt", "ander"))
    other.session["iets"] = "gezien"
    other.session.save()

    _, queries = view(client, "/")

    assert queries < fresh_queries


def test_every_table_of_the_application_is_tracked(jaarschijf):
    """A model added later is tracked too: the triggers are put on after every migrate."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE t.tgname = 'core_data_changed'"
        )
        with_trigger = {name for (name,) in cursor.fetchall()}
    models = set(connection.introspection.django_table_names(only_existing=True))

    assert models - set(settings.FRAGMENT_UNTRACKED_TABLES) <= with_trigger
    assert {"agreements_action", "projects_project", "accounts_user"} <= with_trigger
    assert "django_session" not in with_trigger
    assert untracked_tables() == []


def test_a_progress_update_shows_in_the_status_per_theme_on_the_next_view(client, jaarschijf):
    writer = make_user("kernteamlid", "Weller", "kern")
    login(client, writer)
    late_before = row_of(table(client.get("/"), STATUS), "Totaal")

    make_progress_update(action("2.5"), writer, status="vertraagd", explanation="Vergunning laat.")

    response = client.get("/")
    late_after = row_of(table(response, STATUS), "Totaal")
    header = table(response, STATUS)[0]
    column = header.index("Vertraagd")
    assert int(late_after[column]) == int(late_before[column]) + 1
    assert ProgressUpdate.objects.filter(status="vertraagd").count() == 1


def test_a_reader_is_never_shown_the_dashboard_kept_for_a_writer(client, kernteamlid, huurder):
    login(client, kernteamlid)
    writer_page = page_text(client.get("/"))
    assert "Voor Wonen Zuid" in writer_page
    assert "Voortgang melden" in writer_page

    login(client, huurder)
    reader_page = page_text(client.get("/"))

    assert "Voor Wonen Zuid" not in reader_page
    assert "Voortgang melden" not in reader_page


def test_a_party_page_shows_the_change_of_one_of_its_projects_on_the_next_view(client, jaarschijf):
    logged_in(client, make_user("kernteamlid", "Weller", "kern"))
    url = f"/partijen/weller/?jaar={YEAR}"
    _, fresh_queries = view(client, url)
    _, kept_queries = view(client, url)
    assert kept_queries < fresh_queries
    weller = Project.objects.filter(jaarschijf=jaarschijf, corporation__slug="weller")
    category = weller.values_list("category", flat=True).first()

    weller.filter(category=category).update(realised_dwellings=2)

    response, queries = view(client, url)
    label = dict(Project._meta.get_field("category").choices)[category]
    row = row_of(table(response, "Projecten van Weller per categorie"), label)
    assert row[3] == str(2 * weller.filter(category=category).count())
    assert queries > kept_queries


def test_nothing_is_kept_when_fragment_cache_seconds_is_zero(client, jaarschijf, settings):
    settings.FRAGMENT_CACHE_SECONDS = 0
    logged_in(client, make_user("kernteamlid", "Weller", "kern"))

    _, first_queries = view(client, "/")
    _, second_queries = view(client, "/")

    assert second_queries == first_queries


def test_a_new_jaarschijf_is_in_the_year_switcher_of_the_next_page(client, jaarschijf):
    logged_in(client, make_user("kernteamlid", "Weller", "kern"))
    assert switcher_years(client.get("/afspraken/")) == ["2024"]
    _, kept_queries = view(client, "/afspraken/")

    Jaarschijf.objects.create(
        year=2025, title="Volgende", municipality=jaarschijf.municipality, status="concept"
    )

    response, queries = view(client, "/afspraken/")
    assert switcher_years(response) == ["2025", "2024"]
    assert queries == kept_queries + 1  # the switcher read again, once


def test_a_visitor_never_gets_the_year_switcher_kept_for_a_member(client, jaarschijf, settings):
    settings.PUBLIC_DASHBOARD = True
    Jaarschijf.objects.create(
        year=2025, title="Concept", municipality=jaarschijf.municipality, status="concept"
    )
    logged_in(client, make_user("kernteamlid", "Weller", "kern"))
    assert switcher_years(client.get("/")) == ["2025", "2024"]

    visitor = Client()
    assert switcher_years(visitor.get("/")) == ["2024"]
    assert visitor.get("/", {"jaar": "2025"}).context["jaarschijf"].year == 2024
