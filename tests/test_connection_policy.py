"""Database connections in production live for one request, so exhaustion heals by itself.

The scenario itself (few PostgreSQL connections, more gunicorn threads, load, then quiet)
is benchmarks/exhaustion.py; its figures are in docs/load-and-fault.md.
"""

from .helpers_security import run_in_production


def production_database(extra_env: dict | None = None) -> dict:
    return run_in_production(
        "from django.conf import settings\n"
        "d = settings.DATABASES['default']\n"
        "print(json.dumps({'age': d['CONN_MAX_AGE'], 'checks': d['CONN_HEALTH_CHECKS']}))",
        {
            "DATABASE_URL": "postgresql://app@db.example:5432/prestatieafspraken",
            **(extra_env or {}),
        },
    )


def test_production_opens_a_connection_per_request_by_default():
    assert production_database() == {"age": 0, "checks": True}


def test_a_chosen_connection_age_is_honoured_with_health_checks():
    assert production_database({"CONN_MAX_AGE": "30"}) == {"age": 30, "checks": True}
