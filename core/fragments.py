"""Rendered parts of a page kept while the data they show is unchanged.

The dashboard and a party's page read the same rows for every request until somebody writes.
``fragment_key`` gives the ``{% cache %}`` tag a key that changes with every committed write
anywhere in the database, so a kept fragment is never older than the data:

    {% load cache %}
    {% cache fragments.timeout "dashboard" fragments.key jaarschijf.pk user.pk request.get_full_path %}

(``{% cache %}`` keeps fragments in the ``template_fragments`` cache, see settings; the user
and the address are in the key when the fragment shows what depends on them: edit links, a
table's page.) ``kept_value`` keeps a computed value under the same key (the year switcher
that every page's header reads).

The key is the database's data revision: a counter that every committed transaction which
changed a tracked table raises by one, at its commit (``install_change_tracking``: a trigger
on every table, installed after each ``migrate``). Every way of writing counts (views, import,
admin, commands, ``QuerySet.update``, SQL by hand), without a signal. The tables that change
on every visit without changing what a page shows are not tracked: the sessions, the API's
rate-limit counts, the login attempts (settings.FRAGMENT_UNTRACKED_TABLES). The figures are
read after the key, so a fragment kept under a revision shows that data or newer, and no later
request has that revision.

Nothing is kept (timeout 0, which ``{% cache %}`` takes as "do not store") when the database
is not PostgreSQL (SQLite, the embedded default), when a table is not tracked that should be,
or when the request runs inside a transaction (``atomic``), which may have written rows that
its revision does not count yet.
"""

import functools
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils import timezone


@dataclass(frozen=True)
class FragmentKey:
    timeout: int  # seconds; 0: render every time, keep nothing
    key: str


NOT_KEPT = FragmentKey(timeout=0, key="")

#: The cache {% cache %} keeps fragments in when it exists (settings.CACHES).
FRAGMENT_CACHE = "template_fragments"


def data_revision(using: str = DEFAULT_DB_ALIAS) -> int | None:
    """The database's data revision, or None when it cannot tell unchanged data apart."""
    connection = connections[using]
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        # Inside a transaction its own changes are not counted until it commits (and a read
        # view runs in autocommit, so this costs a view nothing).
        return None
    if not _tracks_every_table(using):
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT value FROM core_data_revision WHERE id = 1")
        row = cursor.fetchone()
    return row[0] if row else None


def fragment_key(using: str = DEFAULT_DB_ALIAS) -> FragmentKey:
    """The ``{% cache %}`` timeout and key for fragments showing the data as it is now.

    The date is part of the key: what a section says may depend on today (a deadline passed).
    """
    timeout = settings.FRAGMENT_CACHE_SECONDS
    revision = data_revision(using) if timeout else None
    if revision is None:
        return NOT_KEPT
    return FragmentKey(timeout=timeout, key=f"{revision}-{timezone.localdate().isoformat()}")


_MISSING = object()


def kept_value(name: str, parts: tuple, compute):
    """``compute()``, kept like a fragment (``fragment_key``) under ``name`` and ``parts``.

    For a value many pages read and whose computing costs more than reading the data revision
    (the year switcher of every page): computed once per data revision, date and ``parts``,
    then read from the fragment cache (a copy per request). Computed every time when nothing
    may be kept (SQLite, inside a transaction, ``FRAGMENT_CACHE_SECONDS=0``).
    """
    fragments = fragment_key()
    if not fragments.timeout:
        return compute()
    cache = caches[FRAGMENT_CACHE]
    key = ":".join(("kept", name, fragments.key, *map(str, parts)))
    value = cache.get(key, _MISSING)
    if value is _MISSING:
        value = compute()
        cache.set(key, value, fragments.timeout)
    return value


def on_demand(compute):
    """``compute()`` run once, when first asked for: a context value for a kept fragment.

    The template calls it (a template calls what it finds callable), so the figures of a
    fragment that ``{% cache %}`` serves are not computed at all.
    """
    return functools.cache(compute)


def items_on_demand(compute, names) -> dict:
    """Context values ``name: compute()[name]`` for each of ``names``, with ``compute()`` run
    once (``on_demand``), when the template first asks for one of them."""
    compute = on_demand(compute)
    return {name: (lambda name=name: compute()[name]) for name in names}


# --- Change tracking (PostgreSQL) ---------------------------------------------------------------

REVISION_TABLE = "core_data_revision"
PENDING_TABLE = "core_data_change_pending"
TRIGGER = "core_data_changed"
OWN_TABLES = (REVISION_TABLE, PENDING_TABLE)

logger = logging.getLogger(__name__)

# The first change in a transaction leaves one pending row; the pending row's deferred trigger
# raises the revision at commit, once per transaction. The revision's row is locked only from
# the commit on, after all the transaction's other work: writers queue there for an instant
# and cannot deadlock on it.
INSTALL = """
CREATE TABLE IF NOT EXISTS core_data_revision (
    id smallint PRIMARY KEY CONSTRAINT core_data_revision_one_row CHECK (id = 1),
    value bigint NOT NULL
);
INSERT INTO core_data_revision (id, value) VALUES (1, 0) ON CONFLICT (id) DO NOTHING;
CREATE TABLE IF NOT EXISTS core_data_change_pending (id bigserial PRIMARY KEY);

CREATE OR REPLACE FUNCTION core_data_revision_raise() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE core_data_revision SET value = value + 1 WHERE id = 1;
    DELETE FROM core_data_change_pending WHERE id = NEW.id;
    RETURN NULL;
END $$;
DROP TRIGGER IF EXISTS core_data_revision_raise ON core_data_change_pending;
CREATE CONSTRAINT TRIGGER core_data_revision_raise
    AFTER INSERT ON core_data_change_pending DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION core_data_revision_raise();

CREATE OR REPLACE FUNCTION core_data_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('core.data_changed', true) IS DISTINCT FROM 'on' THEN
        PERFORM set_config('core.data_changed', 'on', true);
        INSERT INTO core_data_change_pending DEFAULT VALUES;
    END IF;
    RETURN NULL;
END $$;
"""


def _tracked_tables(connection) -> list[str]:
    untracked = set(settings.FRAGMENT_UNTRACKED_TABLES) | set(OWN_TABLES)
    with connection.cursor() as cursor:
        tables = connection.introspection.get_table_list(cursor)
    return sorted(t.name for t in tables if t.type == "t" and t.name not in untracked)


def install_change_tracking(using: str = DEFAULT_DB_ALIAS) -> None:
    """Create the revision and put the trigger on every tracked table (idempotent).

    Run after every ``migrate`` (core.apps), so that a table a later migration adds is
    tracked from the start.
    """
    connection = connections[using]
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(INSTALL)
        for table in _tracked_tables(connection):
            cursor.execute(
                f"CREATE OR REPLACE TRIGGER {TRIGGER} "
                f"AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {connection.ops.quote_name(table)} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION {TRIGGER}()"
            )
    _tracks_every_table.cache_clear()


def untracked_tables(using: str = DEFAULT_DB_ALIAS) -> list[str]:
    """The tables that should carry the trigger and do not (empty when all is well)."""
    connection = connections[using]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE t.tgname = %s",
            [TRIGGER],
        )
        tracked = {name for (name,) in cursor.fetchall()}
        cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [REVISION_TABLE])
        (installed,) = cursor.fetchone()
    if not installed:
        return [REVISION_TABLE]
    return [table for table in _tracked_tables(connection) if table not in tracked]


@functools.cache
def _tracks_every_table(using: str) -> bool:
    """Asked once per process: keep nothing if a table escapes the revision."""
    missing = untracked_tables(using)
    if missing:
        logger.warning(
            "Pagina's worden niet bewaard: geen wijzigingstrigger op %s (draai manage.py migrate).",
            ", ".join(missing),
        )
    return not missing
