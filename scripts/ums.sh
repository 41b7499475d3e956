#!/usr/bin/env bash
# The project's one entry point behind `npm start`, `npm test` and the infra:* scripts.
# It makes sure of Node 24, the npm dependencies and the real local servers, then hands over.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
source "$UMS_ROOT/scripts/lib/infra.sh"
for lib in images platform platform-addons platform-teardown gitops monitoring api-fuzz; do source "$UMS_ROOT/scripts/lib/$lib.sh"; done
cd "$UMS_ROOT"

stop_started_on_exit() {
  local rc=$?
  if [ ${#UMS_STARTED[@]} -gt 0 ]; then
    step "stopping the local servers this run started ($1)"
    stop_started
  fi
  exit $rc
}

bootstrap() {
  step "bootstrap"
  ensure_node
  ensure_deps
  reserve_local_ports
}

cmd="${1:-help}"; shift || true
case "$cmd" in
  bootstrap) bootstrap ;;
  start)
    bootstrap
    trap 'stop_started_on_exit "npm run infra:up keeps them running"' EXIT
    step "local servers"
    infra_up
    ensure_monitoring_tools # Prometheus, Alertmanager, node exporter, Jaeger: start.ts runs them
    set_env TOKEN_KEK "$(secret_file token-kek)" # the auth service's key-encryption key, per checkout
    load_local_env
    # Ctrl-C goes to the whole foreground group: node stops the stack, then we stop the servers.
    trap 'true' INT TERM
    node scripts/src/stack/start.ts "$@"
    ;;
  test)
    bootstrap
    # Whatever happens from here on (a server that fails to start included), stop what we started.
    if [ -z "${UMS_KEEP_SERVERS:-}" ]; then trap 'stop_started_on_exit "UMS_KEEP_SERVERS=1 keeps them"' EXIT; fi
    # The operator's suites mark Job and Deployment status by hand: no controller may run then.
    if pid_alive kube-controller-manager || pid_alive kubelet; then
      step "the full local cluster is up: stopping it first (the operator's suites need the API server alone)"
      platform_down
    fi
    step "local servers"
    infra_up all
    ensure_gitops_tools
    ensure_monitoring_tools # PROMETHEUS_BIN, PROMTOOL, ALERTMANAGER_BIN, NODE_EXPORTER_BIN, JAEGER_BIN
    ensure_schemathesis # SCHEMATHESIS_BIN, for the API fuzz test (scripts/src/e2e/api-fuzz.test.ts)
    load_local_env
    node scripts/src/stack/test-all.ts "$@"
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
  gitops) # Argo CD's controller and repo server on the full local cluster (docs/gitops.md)
    sub="${1:-status}"
    case "$sub" in
      up) bootstrap; gitops_up ;;
      down) gitops_down ;;
      status) gitops_status ;;
      *) die "unknown gitops command: $sub (up, down, status)" ;;
    esac
    ;;
  monitoring) # Prometheus, Alertmanager, node exporter and Jaeger in the background (docs/local-stack.md)
    sub="${1:-status}"
    case "$sub" in
      up) bootstrap; ensure_monitoring_tools; load_local_env; node scripts/src/monitoring/main.ts up ;;
      down|status) ensure_node >/dev/null; load_local_env; node scripts/src/monitoring/main.ts "$sub" ;;
      *) die "unknown monitoring command: $sub (up, down, status)" ;;
    esac
    ;;
  platform) # the full single-node cluster that runs the platform's pods (docs/local-cluster.md)
    sub="${1:-status}"; shift || true
    case "$sub" in
      up) bootstrap; platform_up "$@" ;;
      down) platform_down "$@" ;;
      status) platform_status ;;
      *) die "unknown platform command: $sub (up [--reset], down [--purge], status)" ;;
    esac
    ;;
  db) # database commands over every workspace that owns a database (auth: PostgreSQL, profile: MongoDB)
    sub="${1:-status}"; shift || true
    ensure_node >/dev/null
    step "local servers"
    infra_up
    load_local_env
    ws() { npm run --silent "db:$1" --workspaces --if-present -- "${@:2}"; }
    case "$sub" in
      status|validate|migrate|migrate:rollback|migrate:status|seed|seed:rollback) ws "$sub" "$@" ;;
      fresh) ws migrate && ws seed ;;
      reset)
        [[ " $* " == *" --force "* ]] || die "db:reset destroys every table and collection: npm run db:reset -- --force"
        ws reset --force && ws migrate && ws seed ;;
      backup)
        export UMS_BACKUP_DIR="${UMS_BACKUP_DIR:-$UMS_LOCAL/backups/$(date -u +%Y%m%dT%H%M%SZ)}"
        ws backup && ok "backup in $UMS_BACKUP_DIR" ;;
      restore)
        latest="$(ls -d "$UMS_LOCAL"/backups/*/ 2>/dev/null | sort | tail -n 1)"
        export UMS_BACKUP_DIR="${1:-${UMS_BACKUP_DIR:-${latest%/}}}"
        [ -d "$UMS_BACKUP_DIR" ] || die "no backup to restore (looked for ${UMS_BACKUP_DIR:-.local/backups/*})"
        ws restore && ok "restored from $UMS_BACKUP_DIR" ;;
      *) die "unknown db command: $sub" ;;
    esac
    ;;
  images) # container images built with buildah, no Docker engine (docs/images.md)
    sub="${1:-build}"; shift || true
    case "$sub" in
      build) images_build "$@" ;;
      load)
        [ $# -ge 1 ] || die "usage: scripts/ums.sh images load <containerd-socket> [name...]"
        images_load "$@" ;;
      list) images_list ;;
      prune) images_prune ;;
      *) die "unknown images command: $sub (build [name...], load <containerd-socket> [name...], list, prune)" ;;
    esac
    ;;
  keys-rotate)
    ensure_node >/dev/null
    set_env TOKEN_KEK "$(secret_file token-kek)"
    load_local_env
    npm run --silent keys:rotate -w @ums/auth
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
    echo "usage: scripts/ums.sh {bootstrap|start|test|infra up|down|status|cluster-up|cluster-down|monitoring up|down|status|images build|load SOCKET|list|prune|exec CMD|typecheck}"
    exit 2
    ;;
esac
