#!/usr/bin/env bash
# Run a command against a private PostgreSQL server that this script starts (installing the
# Debian package first when run as root) and stops again afterwards, with DATABASE_URL set:
#   scripts/with-postgres.sh make test
# Used by CI (.ci/run) and by the load test (make load-test). PG_PORT picks the port (54329).
set -euo pipefail
if ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "PostgreSQL is not installed and this is not root: install the Debian package postgresql." >&2
    exit 1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >/dev/null
fi
pg_bin=$(dirname "$(ls -d /usr/lib/postgresql/*/bin/pg_ctl | sort -V | tail -n 1)")
pg_dir=$(mktemp -d /tmp/cdm-pg.XXXXXX)
pg_port=${PG_PORT:-54329}
# PostgreSQL refuses to run as root: run it as an unprivileged user.
if [ "$(id -u)" -eq 0 ]; then
  id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
  chown postgres "$pg_dir"
  as_pg() { runuser -u postgres -- "$@"; }
else
  as_pg() { "$@"; }
fi
as_pg "$pg_bin/initdb" -D "$pg_dir/data" -U cdm -A trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
as_pg "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/log" -w \
  -o "-p $pg_port -k $pg_dir -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off ${PG_OPTIONS:-}" \
  start >/dev/null
stop_pg() { as_pg "$pg_bin/pg_ctl" -D "$pg_dir/data" -m fast stop >/dev/null || true; rm -rf "$pg_dir"; }
trap stop_pg EXIT
as_pg "$pg_bin/createdb" -h 127.0.0.1 -p "$pg_port" -U cdm cdm
DATABASE_URL="postgres://cdm@127.0.0.1:$pg_port/cdm" "$@"
