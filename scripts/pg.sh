# A throwaway PostgreSQL cluster in a temporary directory, owned by the unprivileged
# "postgres" user when run as root (initdb refuses root). Sourced, not run.
PG_BIN="${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}"
if [ -z "$PG_BIN" ] || [ ! -x "$PG_BIN/initdb" ]; then
  echo "PostgreSQL-serverprogramma's niet gevonden; installeer het Debian-pakket postgresql-15." >&2
  exit 1
fi

pg_as() {
  if [ "$(id -u)" = "0" ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_start() {
  PGDATA_DIR="$(mktemp -d /tmp/pa-pg.XXXXXX)"
  PGSOCKETDIR="$PGDATA_DIR/socket"
  mkdir -p "$PGSOCKETDIR"
  [ "$(id -u)" = "0" ] && chown -R postgres:postgres "$PGDATA_DIR"
  PGPORT="${PGPORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')}"
  pg_as "$PG_BIN/initdb" -D "$PGDATA_DIR/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
  pg_as "$PG_BIN/pg_ctl" -D "$PGDATA_DIR/data" -l "$PGDATA_DIR/log" -w \
    -o "-k $PGSOCKETDIR -p $PGPORT -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" start >/dev/null
  pg_as "$PG_BIN/createdb" -h "$PGSOCKETDIR" -p "$PGPORT" -U postgres prestatieafspraken
  export PGDATA_DIR PGSOCKETDIR PGPORT PG_BIN
  echo "PostgreSQL draait tijdelijk op poort $PGPORT ($PGDATA_DIR)"
}

pg_stop() {
  if [ -n "${PGDATA_DIR:-}" ] && [ -d "$PGDATA_DIR/data" ]; then
    pg_as "$PG_BIN/pg_ctl" -D "$PGDATA_DIR/data" -m fast stop >/dev/null 2>&1 || true
    rm -rf "$PGDATA_DIR"
  fi
}
