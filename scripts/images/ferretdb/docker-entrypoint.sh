#!/bin/sh
# The official mongo image creates MONGO_INITDB_ROOT_USERNAME in the admin database on first
# start and then requires authentication. FerretDB 1.24 does the same with its (experimental)
# new authentication: --setup-* creates the user when the database --setup-database does not
# exist yet, and --test-enable-new-auth makes every command except the handshake ones require a
# SCRAM login. Clients use mongodb://USER:PASSWORD@HOST:27017/ums?authSource=admin.
set -eu
case "${1:-}" in -*) set -- ferretdb "$@" ;; esac
if [ "${1:-}" = ferretdb ]; then
  user="${MONGO_INITDB_ROOT_USERNAME:-}" password="${MONGO_INITDB_ROOT_PASSWORD:-}"
  if [ -n "$user" ] && [ -n "$password" ]; then
    # Through the environment, not argv, so the password does not show in the process list.
    export FERRETDB_TEST_ENABLE_NEW_AUTH=true FERRETDB_SETUP_DATABASE=admin \
      FERRETDB_SETUP_USERNAME="$user" FERRETDB_SETUP_PASSWORD="$password"
  elif [ -n "$user$password" ]; then
    echo "docker-entrypoint: set both MONGO_INITDB_ROOT_USERNAME and MONGO_INITDB_ROOT_PASSWORD, or neither" >&2
    exit 1
  fi
  unset MONGO_INITDB_ROOT_PASSWORD
fi
exec "$@"
