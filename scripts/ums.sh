#!/usr/bin/env bash
# The project's one entry point behind `npm start`, `npm test` and the infra:* scripts.
# It makes sure of Node 24, the npm dependencies and the real local servers, then hands over.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
source "$UMS_ROOT/scripts/lib/infra.sh"
cd "$UMS_ROOT"

bootstrap() {
  step "bootstrap"
  ensure_node
  ensure_deps
}

cmd="${1:-help}"; shift || true
case "$cmd" in
  bootstrap) bootstrap ;;
  start)
    bootstrap
    step "local servers"
    infra_up
    load_local_env
    # Ctrl-C goes to the whole foreground group: node stops the stack, then we stop the servers.
    trap 'true' INT TERM
    rc=0; node scripts/src/stack/start.ts "$@" || rc=$?
    [ ${#UMS_STARTED[@]} -gt 0 ] && step "stopping the local servers this run started" && stop_started
    exit $rc
    ;;
  test)
    bootstrap
    step "local servers"
    infra_up all
    load_local_env
    rc=0; node scripts/src/stack/test-all.ts "$@" || rc=$?
    if [ ${#UMS_STARTED[@]} -gt 0 ] && [ -z "${UMS_KEEP_SERVERS:-}" ]; then
      step "stopping the local servers this run started (UMS_KEEP_SERVERS=1 keeps them)"
      stop_started
    fi
    exit $rc
    ;;
  infra)
    sub="${1:-status}"
    case "$sub" in
      up) infra_up all ;;
      down) infra_down ;;
      status) infra_status ;;
      cluster-up) cluster_up ;;
      cluster-down) cluster_down ;;
      *) die "unknown infra command: $sub (up, down, status, cluster-up, cluster-down)" ;;
    esac
    ;;
  exec) # runs a tool on Node 24 with the local env, e.g. `scripts/ums.sh exec eslint .`
    ensure_node >/dev/null
    load_local_env
    export PATH="$UMS_ROOT/node_modules/.bin:$PATH"
    exec "$@"
    ;;
  typecheck) # TypeScript 7 over every workspace (node_modules/.bin/tsc is TS 6, ESLint's parser)
    ensure_node >/dev/null
    status=0
    for ws in $(node -p 'require("./package.json").workspaces.join(" ")'); do
      for dir in $ws; do
        [ -f "$dir/tsconfig.json" ] || continue
        step "typecheck $dir"
        node node_modules/typescript7/bin/tsc --noEmit -p "$dir" || status=1
      done
    done
    exit $status
    ;;
  *)
    echo "usage: scripts/ums.sh {bootstrap|start|test|infra up|down|status|cluster-up|cluster-down|exec CMD|typecheck}"
    exit 2
    ;;
esac
