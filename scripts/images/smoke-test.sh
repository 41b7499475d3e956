#!/usr/bin/env bash
# Smoke-tests the built images without a cluster: each runs under runc on its own unpacked root
# file system, read-only, as the user the operator runs it as, with every capability dropped,
# tmpfs where the Pod has emptyDirs and a host directory as its volume, in a network namespace
# of its own; then a client on the host (entering that namespace) checks it answers.
#   bash scripts/images/smoke-test.sh [NAME...]   (default: every image that runs a server)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"
source "$UMS_ROOT/scripts/lib/infra.sh"
source "$UMS_ROOT/scripts/lib/images.sh"
cd "$UMS_ROOT"

work="$UMS_LOCAL/run/images-smoke"
netns="ums-smoke-$$"
# run_image runs in a command substitution, so it records its containers in a file, not a variable.
containers="$work.containers"

cleanup() {
  local c
  [ -f "$containers" ] || return 0
  while read -r c; do
    runc delete --force "$c" >/dev/null 2>&1 || true
    buildah umount "$c" >/dev/null 2>&1 || true
    buildah rm "$c" >/dev/null 2>&1 || true
  done <"$containers"
  rm -f "$containers"
  ip netns delete "$netns" 2>/dev/null || true
}
trap cleanup EXIT

in_ns() { ip netns exec "$netns" "$@"; }
json_array() { if [ $# -eq 0 ]; then echo '[]'; else printf '%s\n' "$@" | jq -nRc '[inputs]'; fi; }

# run_image NAME UID:GID VOLUME_PATH TMPFS_PATHS [ENV=VALUE...] [-- ARGS...]: starts the image's
# entrypoint + cmd (or + ARGS; ARGS starting with :exec replace the entrypoint too) detached; its
# output goes to $work/NAME.log.
run_image() {
  local name="$1" user="$2" volume="$3" tmpfs="$4"; shift 4
  local envs=() args=() id c root cfg bundle="$work/$name" p entrypoint=true
  while [ $# -gt 0 ] && [ "$1" != -- ]; do envs+=("$1"); shift; done
  [ "${1:-}" = -- ] && { shift; args=("$@"); }
  [ "${args[0]:-}" = :exec ] && { entrypoint=false; args=("${args[@]:1}"); }
  id="$(cut -d' ' -f2 "$UMS_IMAGES_CACHE/stamps/$name")"
  c="$(buildah from --pull=never "$id")" && echo "$c" >>"$containers"
  root="$(buildah mount "$c")"
  cfg="$(buildah inspect --type image "$id" | jq -c '.Docker.config')"
  rm -rf "$bundle" && mkdir -p "$bundle/volume"
  chown "$user" "$bundle/volume" && chmod 2770 "$bundle/volume" # what fsGroup leaves
  (cd "$bundle" && runc spec)
  jq --arg root "$root" --arg user "$user" --argjson cfg "$cfg" --arg volume "$volume" \
    --arg vsrc "$bundle/volume" --arg tmpfs "$tmpfs" --arg netns "/var/run/netns/$netns" \
    --argjson entrypoint "$entrypoint" --argjson args "$(json_array "${args[@]}")" --argjson envs "$(json_array "${envs[@]}")" '
    .root = { path: $root, readonly: true }
    | .process.terminal = false
    | .process.user = { uid: ($user | split(":")[0] | tonumber), gid: ($user | split(":")[1] | tonumber) }
    | .process.args = (if $entrypoint then $cfg.Entrypoint // [] else [] end) + (if ($args | length) > 0 then $args else ($cfg.Cmd // []) end)
    | .process.env = ($cfg.Env // []) + $envs
    | .process.cwd = (if ($cfg.WorkingDir // "") == "" then "/" else $cfg.WorkingDir end)
    | .process.capabilities = { bounding: [], effective: [], permitted: [] }
    | .process.noNewPrivileges = true
    | .mounts += [ $tmpfs | split(" ")[] | select(. != "")
                   | { destination: ., type: "tmpfs", source: "tmpfs", options: ["nosuid", "nodev", "mode=1777"] } ]
    | .mounts += (if $volume == "" then [] else [ { destination: $volume, type: "bind", source: $vsrc, options: ["rbind", "rw"] } ] end)
    | .linux.namespaces = [ .linux.namespaces[] | if .type == "network" then . + { path: $netns } else . end ]
    ' <"$bundle/config.json" >"$bundle/config.tmp" && mv "$bundle/config.tmp" "$bundle/config.json"
  for p in $tmpfs $volume; do [ -d "$root$p" ] || die "$name: $p is missing in the image (a mount point is needed)"; done
  runc run --detach --bundle "$bundle" "$c" >"$work/$name.log" 2>&1 </dev/null || { cat "$work/$name.log" >&2; die "$name did not start"; }
  echo "$c" >"$work/$name.id"
  echo "$c"
}

wait_until() { # SECONDS NAME COMMAND...
  local deadline=$((SECONDS + $1)) name="$2"; shift 2
  until "$@" >/dev/null 2>&1; do
    [ $SECONDS -lt $deadline ] || { tail -n 20 "$work/$name.log" >&2; die "$name: no answer to: $*"; }
    sleep 0.5
  done
}

rootfs_writable() { # CONTAINER: true when the container can write to its root file system
  runc exec "$1" sh -c 'touch /smoke-write' >/dev/null 2>&1
}

smoke_postgres() {
  local c; c="$(run_image postgres 70:70 /var/lib/postgresql/data "/var/run/postgresql /tmp" \
    POSTGRES_USER=ums POSTGRES_PASSWORD=smoke-pw POSTGRES_DB=ums PGDATA=/var/lib/postgresql/data/pgdata)"
  wait_until 60 postgres in_ns pg_isready -q -h 127.0.0.1 -U ums -d ums
  runc exec "$c" sh -c 'pg_isready -h 127.0.0.1 -U "$POSTGRES_USER" -d ums' >/dev/null || die "postgres: the operator's probe fails"
  [ "$(in_ns env PGPASSWORD=smoke-pw psql -h 127.0.0.1 -U ums -d ums -tAc 'SELECT current_user || current_database()')" = umsums ] \
    || die "postgres: password login failed"
  if in_ns env PGPASSWORD=wrong psql -h 127.0.0.1 -U ums -d ums -tAc 'SELECT 1' >/dev/null 2>&1; then die "postgres: a wrong password got in"; fi
  rootfs_writable "$c" && die "postgres: root file system is writable"
  ok "postgres: initialised as uid 70, probe passes, password login from the host works, wrong password refused"
}

smoke_redis() {
  local c; c="$(run_image redis 999:999 /data "/tmp" REDIS_PASSWORD=smoke-pw REDISCLI_AUTH=smoke-pw -- \
    --requirepass smoke-pw --appendonly yes --dir /data)"
  wait_until 20 redis in_ns sh -c 'REDISCLI_AUTH=smoke-pw redis-cli -h 127.0.0.1 ping | grep -q PONG'
  runc exec "$c" redis-cli ping | grep -q PONG || die "redis: the operator's probe fails"
  in_ns redis-cli -h 127.0.0.1 ping 2>&1 | grep -q NOAUTH || die "redis: answered without the password"
  in_ns sh -c 'REDISCLI_AUTH=smoke-pw redis-cli -h 127.0.0.1 set k v' | grep -q OK || die "redis: SET failed"
  [ -n "$(ls "$work/redis/volume")" ] || die "redis: nothing written to /data"
  ok "redis: PING with the password as uid 999, refused without it, AOF in /data"
}

smoke_ferretdb() {
  local c; c="$(run_image ferretdb 999:999 /data/db "/tmp" MONGO_INITDB_ROOT_USERNAME=ums \
    MONGO_INITDB_ROOT_PASSWORD=smoke-pw MONGO_INITDB_DATABASE=ums)"
  wait_until 30 ferretdb in_ns bash -c 'exec 3<>/dev/tcp/127.0.0.1/27017'
  local client="$work/mongo-client.mjs" good bad anon
  cat >"$client" <<JS
import { createRequire } from 'node:module';
// The profile service's own driver.
const { MongoClient } = createRequire('$UMS_ROOT/services/profile/package.json')('mongodb');
const client = new MongoClient(process.argv[2], { serverSelectionTimeoutMS: 5000 });
try {
  await client.connect();
  await client.db('ums').collection('smoke').insertOne({ ok: 1 });
  console.log('count', await client.db('ums').collection('smoke').countDocuments());
} catch (error) { console.log('error', error.message); } finally { await client.close(); }
JS
  good="$(in_ns node "$client" 'mongodb://ums:smoke-pw@127.0.0.1:27017/ums?authSource=admin')"
  bad="$(in_ns node "$client" 'mongodb://ums:wrong@127.0.0.1:27017/ums?authSource=admin')"
  anon="$(in_ns node "$client" 'mongodb://127.0.0.1:27017/ums')"
  [ "$good" = "count 1" ] || die "ferretdb: login with the credentials failed: $good"
  [[ "$bad" == error* ]] || die "ferretdb: a wrong password got in: $bad"
  [[ "$anon" == error* ]] || die "ferretdb: an anonymous client could write: $anon"
  ok "ferretdb: login as uid 999 with MONGO_INITDB_ROOT_* works (authSource=admin), wrong password and anonymous refused"
}

smoke_node() {
  local c out; c="$(run_image node 10001:10001 "" "/tmp" -- sleep 60)"
  out="$(runc exec "$c" sh -c 'node -e "console.log(process.version)" && npm --version')"
  ok "node: $(echo "$out" | tr '\n' ' ')as uid 10001"
}

# run_to_exit CONTAINER COMMAND: runs a shell command in it for up to 20 s; prints its output and
# then "exit N".
run_to_exit() { runc exec "$1" sh -c "timeout 20 $2 2>&1; echo \"exit \$?\""; }

smoke_app() { # NAME: starts far enough to refuse its missing config; db:migrate is there and runs
  local name="$1" c out
  c="$(run_image "$name" 10001:10001 "" "/tmp" -- sleep 120)"
  out="$(run_to_exit "$c" "node src/main.ts")"
  [ "$(tail -n 1 <<<"$out")" != "exit 0" ] && grep -qiE 'config|required|invalid' <<<"$out" \
    || { echo "$out" >&2; die "$name: node src/main.ts did not refuse its missing config"; }
  note "$(grep -m 1 -iE 'config|required|invalid' <<<"$out" | cut -c1-150)"
  runc exec "$c" node -e 'process.exit(require("./package.json").scripts["db:migrate"] ? 0 : 1)' \
    || die "$name: package.json has no db:migrate script"
  out="$(run_to_exit "$c" "npm run --silent db:migrate")"
  [ "$(tail -n 1 <<<"$out")" != "exit 0" ] && grep -qiE 'config|required|invalid|URL|URI' <<<"$out" \
    || { echo "$out" >&2; die "$name: npm run --silent db:migrate did not get as far as its config"; }
  ok "$name: as uid 10001 on a read-only root, node src/main.ts and npm run --silent db:migrate start and refuse the missing config"
  # The migration Job's command against the database image smoke-tested above, when it ran.
  local db env
  case "$name" in
    auth) db=postgres env="DATABASE_URL=postgres://ums:smoke-pw@127.0.0.1:5432/ums" ;;
    profile) db=ferretdb env="MONGODB_URI=mongodb://ums:smoke-pw@127.0.0.1:27017/ums?authSource=admin" ;;
  esac
  [ -s "$work/$db.id" ] && runc state "$(cat "$work/$db.id")" 2>/dev/null | grep -q '"running"' || return 0
  out="$(runc exec --env "$env" --env NODE_ENV=production "$c" sh -c 'timeout 60 npm run --silent db:migrate 2>&1; echo "exit $?"')"
  [ "$(tail -n 1 <<<"$out")" = "exit 0" ] || { echo "$out" >&2; die "$name: npm run --silent db:migrate against the $db image failed"; }
  note "$(grep -v '^exit' <<<"$out" | tail -n 2 | tr '\n' ' ' | cut -c1-150)"
  ok "$name: npm run --silent db:migrate against the $db image succeeded"
}

smoke_operator() {
  local c out
  c="$(run_image operator 10001:10001 "" "/tmp" -- :exec sleep 60)"
  out="$(run_to_exit "$c" "node operator/src/main.ts")"
  [ "$(tail -n 1 <<<"$out")" != "exit 0" ] || { echo "$out" >&2; die "operator: ran without a cluster?"; }
  note "$(grep -v '^exit' <<<"$out" | head -n 1 | cut -c1-150)"
  ok "operator: node operator/src/main.ts starts as uid 10001 and stops for want of a cluster"
}

smoke_web() {
  local c code body
  c="$(run_image web 10001:10001 "" "/tmp")"
  wait_until 20 web in_ns curl -fsS http://127.0.0.1:8080/health
  body="$(in_ns curl -fsS http://127.0.0.1:8080/)"
  grep -q '<div id="root"' <<<"$body" || grep -q '<html' <<<"$body" || die "web: / is not the app shell"
  code="$(in_ns curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:8080/api/v1/nothing)"
  [ "$code" = 404 ] || die "web: /api/... gave $code, not 404"
  in_ns curl -sI http://127.0.0.1:8080/ | grep -qi '^content-security-policy:' || die "web: no CSP header"
  rootfs_writable "$c" && die "web: root file system is writable"
  ok "web: nginx as uid 10001 serves the app on 8080 (health, shell, CSP, API 404) on a read-only root"
}

rm -rf "$work" "$containers" && mkdir -p "$work"
ip netns add "$netns" && ip -n "$netns" link set lo up
names=("$@")
[ ${#names[@]} -gt 0 ] || names=(postgres redis ferretdb node auth profile operator web)
for name in "${names[@]}"; do
  step "smoke test: $(image_ref "$name")"
  case "$name" in
    auth | profile) smoke_app "$name" ;;
    *) "smoke_$name" ;;
  esac
done
