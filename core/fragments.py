"""Rendered parts of a page kept while the data they show is unchanged.

The dashboard and a party's page read the same rows for every request until somebody writes.
``fragment_key`` gives the ``{% cache %}`` tag a key that changes with every committed write
anywhere in the database, so a kept fragment is never older than the data:

    {% load cache %}
    {% cache fragments.timeout "dashboard" fragments.key jaarschijf.pk user.pk request.get_full_path %}

(``{% cache %}`` keeps fragments in the ``template_fragments`` cache, see settings; the user
and the address are in the key when the fragment shows what depends on them: edit links, a
table's page.)

The key is PostgreSQL's current snapshot (``pg_current_snapshot()``): which transactions a
query sees as committed. Two requests with the same snapshot see exactly the same rows; any
commit or rollback of a writing transaction gives later requests a different one. This covers
every way of writing (views, import, admin, commands, ``QuerySet.update``, SQL by hand)
without a trigger or a signal. The figures are read after the key, so a fragment kept under a
key shows that data or newer, and no later request has that key.

Nothing is kept (timeout 0, which ``{% cache %}`` takes as "do not store") when the database
has no snapshots to compare (SQLite, the embedded default) or when the request runs inside a
transaction (``atomic``), which may have written rows that are not in the snapshot.
"""

import functools
import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils import timezone


@dataclass(frozen=True)
class FragmentKey:
    timeout: int  # seconds; 0: render every time, keep nothing
    key: str


NOT_KEPT = FragmentKey(timeout=0, key="")


def data_snapshot(using: str = DEFAULT_DB_ALIAS) -> str | None:
    """The database's current snapshot, or None when it cannot tell unchanged data apart."""
    connection = connections[using]
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        # Inside a transaction the rows it wrote are not in the snapshot (and a read view runs
        # in autocommit, so this costs a view nothing).
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_current_snapshot()::text, pg_current_xact_id_if_assigned() IS NULL"
        )
        snapshot, nothing_written = cursor.fetchone()
    return snapshot if nothing_written else None


def fragment_key(using: str = DEFAULT_DB_ALIAS) -> FragmentKey:
    """The ``{% cache %}`` timeout and key for fragments showing the data as it is now.

    The date is part of the key: what a section says may depend on today (a deadline passed).
    """
    timeout = settings.FRAGMENT_CACHE_SECONDS
    snapshot = data_snapshot(using) if timeout else None
    if snapshot is None:
        return NOT_KEPT
    key = f"{snapshot}|{timezone.localdate().isoformat()}"
    return FragmentKey(timeout=timeout, key=hashlib.sha256(key.encode()).hexdigest())


def on_demand(compute):
    """``compute()`` run once, when first asked for: a context value for a kept fragment.

    The template calls it (a template calls what it finds callable), so the figures of a
    fragment that ``{% cache %}`` serves are not computed at all.
    """
    return functools.cache(compute)
