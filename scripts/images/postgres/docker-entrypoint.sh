#!/bin/sh
# The part of the official postgres image's entrypoint the operator relies on: on an empty
# PGDATA, initdb with POSTGRES_USER / POSTGRES_PASSWORD, password (scram-sha-256) logins over TCP
# from anywhere, listening on every address, and the database POSTGRES_DB; then the server.
# Runs as the postgres user itself (uid 70): there is no root step to drop.
set -eu
die() { echo "docker-entrypoint: $*" >&2; exit 1; }

case "${1:-}" in -*) set -- postgres "$@" ;; esac
[ "${1:-}" = postgres ] || exec "$@"
[ "$(id -u)" != 0 ] || die "PostgreSQL does not run as root; run as uid 70 (the image's USER)"

: "${PGDATA:?PGDATA is not set}"
mkdir -p "$PGDATA"
# A volume's fsGroup handling may have widened it; PostgreSQL insists on 0700.
chmod 700 "$PGDATA" 2>/dev/null || true

if [ ! -s "$PGDATA/PG_VERSION" ]; then
  [ -n "${POSTGRES_PASSWORD:-}" ] || die "the database is uninitialised and POSTGRES_PASSWORD is not set"
  user="${POSTGRES_USER:-postgres}"
  db="${POSTGRES_DB:-$user}"
  pwfile="$(mktemp)"
  trap 'rm -f "$pwfile"' EXIT
  printf '%s\n' "$POSTGRES_PASSWORD" >"$pwfile"
  # shellcheck disable=SC2086 # POSTGRES_INITDB_ARGS is a list of flags, as in the official image
  initdb --username="$user" --pwfile="$pwfile" --auth-local=trust --auth-host=scram-sha-256 \
    --encoding=UTF8 --locale=C.UTF-8 ${POSTGRES_INITDB_ARGS:-}
  rm -f "$pwfile"
  printf '\nhost all all all scram-sha-256\n' >>"$PGDATA/pg_hba.conf"
  printf "\nlisten_addresses = '*'\n" >>"$PGDATA/postgresql.conf"
  if [ "$db" != postgres ]; then
    # Single-user mode: no server, socket or password needed for this one statement.
    printf 'CREATE DATABASE "%s";\n' "$(printf '%s' "$db" | sed 's/"/""/g')" \
      | postgres --single -D "$PGDATA" -c listen_addresses='' postgres >/dev/null
  fi
  echo "docker-entrypoint: initialised $PGDATA (user $user, database $db)"
fi
exec "$@"
