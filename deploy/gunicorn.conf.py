"""gunicorn for Prestatieafspraken: ``gunicorn -c deploy/gunicorn.conf.py heerlen.wsgi``.

Sizing (see README, "Databaseverbindingen"): every thread that serves a request holds one
PostgreSQL connection while it does, so per server workers × threads, summed over all app
servers, must stay below PostgreSQL's max_connections minus its reserved connections and some
headroom (migrations, backups, psql). With CONN_MAX_AGE=0 (the default) a connection exists
only during a request, so an exhausted database recovers as soon as the load drops.
"""

import os

from core.tempfiles import use_private_tempdir

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "3"))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
worker_class = "gthread"
# The largest page and the export stay well within this; a stuck request is ended.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
# Above nginx's upstream keepalive reuse, so nginx does not send on a closing connection.
keepalive = 75
# Renew workers now and then (memory); the jitter keeps them from restarting together.
max_requests = 2000
max_requests_jitter = 200
# Only nginx on this machine talks to gunicorn; it sets X-Forwarded-Proto.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"
errorlog = "-"


def post_fork(server, worker):
    # Each worker writes temporary files in its own directory; those of killed workers go.
    use_private_tempdir()
