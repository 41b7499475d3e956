#!/bin/sh
# As the official redis image: flags or a .conf file as the first argument go to redis-server.
# Without a config file the server uses its built-in defaults (every address, port 6379);
# protected mode is off there as in the official build, where a password is what guards access.
set -e
case "${1:-}" in -* | *.conf) set -- redis-server "$@" ;; esac
if [ "${1:-}" = redis-server ]; then
  shift
  case "${1:-}" in
    *.conf) set -- redis-server "$@" ;;
    *) set -- redis-server --protected-mode no "$@" ;;
  esac
fi
exec "$@"
