# Real local servers on loopback: PostgreSQL, Redis, FerretDB (MongoDB wire), etcd and
# kube-apiserver. Data lives in .local/ (git-ignored); built binaries in $UMS_CACHE keyed by
# version. Sourced by scripts/ums.sh after common.sh.

UMS_PG_PORT="${UMS_PG_PORT:-55432}"
UMS_REDIS_PORT="${UMS_REDIS_PORT:-56379}"
UMS_MONGO_PORT="${UMS_MONGO_PORT:-57017}"
UMS_ETCD_PORT="${UMS_ETCD_PORT:-52379}"
UMS_KUBE_PORT="${UMS_KUBE_PORT:-56443}"
UMS_K8S_TOOLS="$UMS_ROOT/scripts/tools/k8s"
source "$UMS_ROOT/scripts/lib/kube-pki.sh"

_data="$UMS_LOCAL/data" _log="$UMS_LOCAL/log" _run="$UMS_LOCAL/run"
UMS_STARTED=() # servers this invocation started, so `npm start` and `npm test` stop only those

# --- small helpers --------------------------------------------------------------------------

set_env() { # KEY VALUE: records a connection setting in .local/env for tests and services
  local file="$UMS_LOCAL/env"
  touch "$file"; chmod 600 "$file"
  grep -v "^$1=" "$file" >"$file.tmp" || true
  printf '%s=%s\n' "$1" "$2" >>"$file.tmp"
  mv "$file.tmp" "$file"
  export "$1=$2"
}
unset_env() { [ -f "$UMS_LOCAL/env" ] && { grep -v "^$1=" "$UMS_LOCAL/env" >"$UMS_LOCAL/env.tmp" || true; mv "$UMS_LOCAL/env.tmp" "$UMS_LOCAL/env"; }; }

secret_file() { # NAME: a random secret generated once per checkout, kept in .local/data
  local f="$_data/$1.secret"
  [ -s "$f" ] || { (umask 077; openssl rand -hex 24 >"$f"); }
  cat "$f"
}

go_mod_version() { # FILE MODULE: the version a go.mod requires
  awk -v m="$2" '{ for (i = 1; i < NF; i++) if ($i == m && $(i + 1) ~ /^v/) { print $(i + 1); exit } }' "$1"
}

pid_alive() { local p; p="$(cat "$_run/$1.pid" 2>/dev/null)" && [ -n "$p" ] && kill -0 "$p" 2>/dev/null; }

# wait_for NAME SECONDS COMMAND...: polls a health check, then fails with the log's tail.
wait_for() {
  local name="$1" timeout="$2"; shift 2
  local deadline=$((SECONDS + timeout))
  until "$@" >/dev/null 2>&1; do
    if [ $SECONDS -ge $deadline ]; then
      printf '\n--- last lines of %s ---\n' "$_log/$name.log" >&2
      tail -n 25 "$_log/$name.log" >&2 2>/dev/null || true
      die "$name did not become healthy within ${timeout}s (check above, full log: $_log/$name.log)"
    fi
    sleep 0.3
  done
}

tcp_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

port_free_or_die() {
  tcp_open "$1" && die "port $1 is already in use by another program; set $2 to another port"
  return 0
}

# start_bg NAME COMMAND...: runs a server in its own session, logging to .local/log/NAME.log
start_bg() {
  local name="$1"; shift
  setsid "$@" >>"$_log/$name.log" 2>&1 </dev/null &
  echo $! >"$_run/$name.pid"
}

stop_bg() { # NAME: SIGTERM, wait up to 15 s, then SIGKILL
  local name="$1" pid i
  pid="$(cat "$_run/$name.pid" 2>/dev/null)" || return 0
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for i in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.3; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
    ok "$name stopped"
  fi
  rm -f "$_run/$name.pid"
}

# --- PostgreSQL (Debian package) --------------------------------------------------------------

pg_bin() {
  local d
  d="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
  [ -n "$d" ] && [ -x "$d/postgres" ] || return 1
  echo "$d"
}

# PostgreSQL refuses to run as root: as root the cluster belongs to the 'postgres' user.
as_pg_user() { if is_root; then runuser -u postgres -- "$@"; else "$@"; fi; }

# The server's home: data/ (PGDATA), run/ (socket) and postgres.log, owned by the user that runs
# it. Normally .local/data/postgres; as root, when the 'postgres' user cannot reach the checkout
# (say under a 700 home directory), a folder in /var/tmp keyed by the checkout, linked from there.
pg_home() {
  local home="$_data/postgres"
  if is_root && ! runuser -u postgres -- test -x "$_data" 2>/dev/null; then
    home="/var/tmp/ums-postgres-$(printf '%s' "$UMS_ROOT" | sha256sum | cut -c1-12)"
    [ -L "$_data/postgres" ] || ln -sfn "$home" "$_data/postgres"
  fi
  echo "$home"
}

postgres_up() {
  if [ -n "${DATABASE_URL:-}" ] && ! grep -q '^DATABASE_URL=' "$UMS_LOCAL/env" 2>/dev/null; then
    ok "PostgreSQL: using DATABASE_URL from the environment"; return 0
  fi
  ensure_apt_packages postgresql openssl
  local bin home pw
  bin="$(pg_bin)" || die "PostgreSQL server binaries not found under /usr/lib/postgresql"
  "$bin/postgres" --version | grep -qE ' (1[5-9]|[2-9][0-9])\.' || die "PostgreSQL 15+ needed, found: $("$bin/postgres" --version)"
  home="$(pg_home)"
  pw="$(secret_file postgres)"
  mkdir -p "$home/run"
  is_root && chown -R postgres:postgres "$home"
  ln -sf "$home/postgres.log" "$_log/postgres.log"
  if [ ! -s "$home/data/PG_VERSION" ]; then
    step "initialising PostgreSQL cluster in $home/data"
    local pwfile="$home/run/initdb.pw"
    (umask 077; echo "$pw" >"$pwfile"); is_root && chown postgres "$pwfile"
    as_pg_user "$bin/initdb" -D "$home/data" -U ums --pwfile="$pwfile" --auth-local=scram-sha-256 \
      --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >"$_log/postgres-initdb.log" 2>&1 \
      || { rm -f "$pwfile"; die "initdb failed, see $_log/postgres-initdb.log"; }
    rm -f "$pwfile"
  fi
  if ! as_pg_user "$bin/pg_ctl" -D "$home/data" status >/dev/null 2>&1; then
    port_free_or_die "$UMS_PG_PORT" UMS_PG_PORT
    UMS_STARTED+=(postgres)
    step "starting PostgreSQL on 127.0.0.1:$UMS_PG_PORT"
    as_pg_user "$bin/pg_ctl" -D "$home/data" -l "$home/postgres.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -p $UMS_PG_PORT -k $home/run -c max_connections=200" \
      start >/dev/null || { tail -n 20 "$home/postgres.log" >&2; die "PostgreSQL failed to start"; }
  fi
  wait_for postgres 30 "$bin/pg_isready" -q -h 127.0.0.1 -p "$UMS_PG_PORT"
  PGPASSWORD="$pw" "$bin/psql" -h 127.0.0.1 -p "$UMS_PG_PORT" -U ums -d postgres -tAc \
    "SELECT 1 FROM pg_database WHERE datname='ums'" | grep -q 1 \
    || PGPASSWORD="$pw" "$bin/createdb" -h 127.0.0.1 -p "$UMS_PG_PORT" -U ums ums
  set_env DATABASE_URL "postgres://ums:$pw@127.0.0.1:$UMS_PG_PORT/ums"
  ok "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$UMS_PG_PORT (database ums)"
}

postgres_down() {
  local bin home
  bin="$(pg_bin)" || return 0
  home="$(pg_home)"
  [ -s "$home/data/PG_VERSION" ] || return 0
  if as_pg_user "$bin/pg_ctl" -D "$home/data" status >/dev/null 2>&1; then
    as_pg_user "$bin/pg_ctl" -D "$home/data" -m fast -w stop >/dev/null && ok "PostgreSQL stopped"
  fi
}

postgres_status() {
  local bin; bin="$(pg_bin)" || { echo "postgres: not installed"; return; }
  if "$bin/pg_isready" -q -h 127.0.0.1 -p "$UMS_PG_PORT"; then echo "postgres: up (127.0.0.1:$UMS_PG_PORT)"; else echo "postgres: down"; fi
}

# --- Redis (Debian package) ---------------------------------------------------------------------

redis_up() {
  if [ -n "${REDIS_URL:-}" ] && ! grep -q '^REDIS_URL=' "$UMS_LOCAL/env" 2>/dev/null; then
    ok "Redis: using REDIS_URL from the environment"; return 0
  fi
  ensure_apt_packages redis-server openssl
  redis-server --version | grep -qE 'v=([7-9]|[1-9][0-9])\.' || die "Redis 7+ needed, found: $(redis-server --version)"
  local pw; pw="$(secret_file redis)"
  mkdir -p "$_data/redis"
  if ! pid_alive redis; then
    port_free_or_die "$UMS_REDIS_PORT" UMS_REDIS_PORT
    UMS_STARTED+=(redis)
    step "starting Redis on 127.0.0.1:$UMS_REDIS_PORT"
    # appendonly: acknowledged stream entries (the event bus) survive a restart.
    printf 'requirepass %s\n' "$pw" >"$_run/redis.conf"; chmod 600 "$_run/redis.conf"
    start_bg redis redis-server "$_run/redis.conf" --bind 127.0.0.1 --port "$UMS_REDIS_PORT" \
      --dir "$_data/redis" --appendonly yes --appendfsync everysec --save '' --daemonize no \
      --protected-mode yes
  fi
  wait_for redis 20 sh -c "REDISCLI_AUTH='$pw' redis-cli -h 127.0.0.1 -p $UMS_REDIS_PORT ping | grep -q PONG"
  set_env REDIS_URL "redis://:$pw@127.0.0.1:$UMS_REDIS_PORT/0"
  ok "Redis $(redis-server --version | sed -E 's/.*v=([^ ]+).*/\1/') on 127.0.0.1:$UMS_REDIS_PORT"
}
redis_down() { stop_bg redis; }
redis_status() { if pid_alive redis; then echo "redis: up (127.0.0.1:$UMS_REDIS_PORT)"; else echo "redis: down"; fi; }

# --- FerretDB 1.x (MongoDB wire protocol, SQLite backend), built from its Go module ---------------

UMS_FERRETDB_TOOLS="$UMS_ROOT/scripts/tools/ferretdb"
ferretdb_version() { go_mod_version "$UMS_FERRETDB_TOOLS/go.mod" github.com/FerretDB/FerretDB; }
ferretdb_bin() {
  echo "$UMS_CACHE/bin/ferretdb-$(ferretdb_version)-$(cat "$UMS_FERRETDB_TOOLS"/go.sum "$UMS_FERRETDB_TOOLS"/main.go | sha256sum | cut -c1-12)/ferretdb"
}

ensure_ferretdb() {
  local bin dir; bin="$(ferretdb_bin)"; dir="$(dirname "$bin")"
  [ -x "$bin" ] && return 0
  command -v go >/dev/null || die "Go is needed to build FerretDB"
  step "building FerretDB $(ferretdb_version) from its Go module (first run only, 1-3 min)"
  mkdir -p "$dir.tmp"
  (cd "$UMS_FERRETDB_TOOLS" && go build -v -trimpath -ldflags "-s -w" -o "$dir.tmp/ferretdb" . 2>&1) \
    | progress_lines || die "building FerretDB failed"
  rm -rf "$dir" && mv "$dir.tmp" "$dir"
  ok "FerretDB built: $bin"
}

ferretdb_up() {
  if [ -n "${MONGODB_URI:-}" ] && ! grep -q '^MONGODB_URI=' "$UMS_LOCAL/env" 2>/dev/null; then
    ok "MongoDB: using MONGODB_URI from the environment"; return 0
  fi
  ensure_ferretdb
  mkdir -p "$_data/ferretdb"
  if ! pid_alive ferretdb; then
    port_free_or_die "$UMS_MONGO_PORT" UMS_MONGO_PORT
    UMS_STARTED+=(ferretdb)
    step "starting FerretDB on 127.0.0.1:$UMS_MONGO_PORT (SQLite backend in $_data/ferretdb)"
    start_bg ferretdb "$(ferretdb_bin)" -sqlite-url "file:$_data/ferretdb/" \
      -listen-addr "127.0.0.1:$UMS_MONGO_PORT" -log-level warn
  fi
  wait_for ferretdb 30 tcp_open "$UMS_MONGO_PORT"
  set_env MONGODB_URI "mongodb://127.0.0.1:$UMS_MONGO_PORT/ums"
  set_env FERRETDB_BIN "$(ferretdb_bin)" # tests that start their own FerretDB use this one
  ok "FerretDB $(ferretdb_version) on 127.0.0.1:$UMS_MONGO_PORT"
}
ferretdb_down() { stop_bg ferretdb; }
ferretdb_status() { if pid_alive ferretdb; then echo "ferretdb: up (127.0.0.1:$UMS_MONGO_PORT)"; else echo "ferretdb: down"; fi; }

# --- etcd + kube-apiserver + kubectl, built from the upstream Go modules --------------------------

progress_lines() { # turns `go build -v` package lines into a periodic progress count
  awk '{ n++; if (n % 100 == 0) { printf "    ... %d packages compiled\n", n; fflush() } }
       /^# |\.go:[0-9]+:[0-9]+: / { print; fflush() }'
}

k8s_version() { go_mod_version "$UMS_K8S_TOOLS/go.mod" k8s.io/kubernetes; }
k8s_bin_dir() { echo "$UMS_CACHE/bin/k8s-$(k8s_version)-$(sha256sum "$UMS_K8S_TOOLS/go.sum" | cut -c1-12)"; }

ensure_k8s_binaries() {
  local dir v; dir="$(k8s_bin_dir)"; v="$(k8s_version)"
  # Built into $dir.tmp and moved into place whole, so the folder holds every binary or none.
  if [ ! -x "$dir/kube-apiserver" ] || [ ! -x "$dir/kubelet" ] || [ ! -x "$dir/etcd" ]; then
    command -v go >/dev/null || die "Go is needed to build the Kubernetes components and etcd"
    step "building etcd and Kubernetes $v (kube-apiserver, kubectl, kubelet, kube-controller-manager, kube-scheduler, kube-proxy) from the upstream Go modules (first run only, 10-30 min)"
    local minor ldflags=''
    minor="$(echo "$v" | cut -d. -f2)"
    # Stamp the real version, as the upstream release build does, so clients see v1.3x.
    for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
      ldflags+=" -X $pkg.gitVersion=$v -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor -X $pkg.gitTreeState=clean"
    done
    mkdir -p "$dir.tmp"
    (cd "$UMS_K8S_TOOLS" && go build -v -trimpath -ldflags "-s -w$ldflags" -o "$dir.tmp/" \
      ./etcd k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kubectl \
      k8s.io/kubernetes/cmd/kubelet k8s.io/kubernetes/cmd/kube-controller-manager \
      k8s.io/kubernetes/cmd/kube-scheduler k8s.io/kubernetes/cmd/kube-proxy 2>&1) | progress_lines \
      || die "building the Kubernetes tools failed"
    rm -rf "$dir" && mv "$dir.tmp" "$dir"
    ok "built into $dir"
  fi
  ln -sf "$dir/kubectl" "$UMS_LOCAL/bin/kubectl"
}

# The node IP lives on lo so that pods (behind the CNI bridge) and host processes reach the same
# API server address; nothing outside this machine routes to it.
ensure_node_ip() {
  is_root || return 0
  ip -4 addr show dev lo | grep -q " $UMS_NODE_IP/32" || ip addr add "$UMS_NODE_IP/32" dev lo \
    || die "could not add $UMS_NODE_IP/32 to lo"
}

cluster_up() {
  ensure_apt_packages openssl curl iproute2
  ensure_k8s_binaries
  ensure_cluster_pki
  ensure_node_ip
  local bin p="$_data/kube/pki" addr=127.0.0.1; bin="$(k8s_bin_dir)"
  is_root && addr="$UMS_NODE_IP"
  if ! pid_alive etcd; then
    port_free_or_die "$UMS_ETCD_PORT" UMS_ETCD_PORT
    UMS_STARTED+=(etcd)
    step "starting etcd on 127.0.0.1:$UMS_ETCD_PORT"
    start_bg etcd "$bin/etcd" --name ums --data-dir "$_data/etcd" \
      --listen-client-urls "http://127.0.0.1:$UMS_ETCD_PORT" --advertise-client-urls "http://127.0.0.1:$UMS_ETCD_PORT" \
      --listen-peer-urls "http://127.0.0.1:$((UMS_ETCD_PORT + 1))" \
      --initial-advertise-peer-urls "http://127.0.0.1:$((UMS_ETCD_PORT + 1))" \
      --initial-cluster "ums=http://127.0.0.1:$((UMS_ETCD_PORT + 1))" \
      --listen-metrics-urls '' --log-level warn --quota-backend-bytes 2147483648
  fi
  wait_for etcd 30 curl -fsS "http://127.0.0.1:$UMS_ETCD_PORT/health"
  ok "etcd $("$bin/etcd" --version | awk 'NR==1{print $3}') on 127.0.0.1:$UMS_ETCD_PORT"
  if ! pid_alive kube-apiserver; then
    port_free_or_die "$UMS_KUBE_PORT" UMS_KUBE_PORT
    UMS_STARTED+=(kube-apiserver)
    step "starting kube-apiserver on https://$addr:$UMS_KUBE_PORT"
    # Node,RBAC and NodeRestriction: the kubelet gets only its own node's objects. The front proxy
    # settings and aggregator routing let metrics-server (a host process) serve metrics.k8s.io.
    start_bg kube-apiserver "$bin/kube-apiserver" \
      --etcd-servers "http://127.0.0.1:$UMS_ETCD_PORT" \
      --bind-address "$addr" --advertise-address "$addr" --secure-port "$UMS_KUBE_PORT" \
      --tls-cert-file "$p/server.crt" --tls-private-key-file "$p/server.key" \
      --client-ca-file "$p/ca.crt" --authorization-mode Node,RBAC \
      --enable-admission-plugins NodeRestriction \
      --service-account-issuer https://kubernetes.default.svc \
      --service-account-key-file "$p/sa.pub" --service-account-signing-key-file "$p/sa.key" \
      --api-audiences https://kubernetes.default.svc \
      --service-cluster-ip-range "$UMS_SERVICE_CIDR" --allow-privileged=true \
      --kubelet-client-certificate "$p/apiserver-kubelet-client.crt" \
      --kubelet-client-key "$p/apiserver-kubelet-client.key" \
      --kubelet-certificate-authority "$p/ca.crt" --kubelet-preferred-address-types InternalIP \
      --requestheader-client-ca-file "$p/front-proxy-ca.crt" --requestheader-allowed-names front-proxy-client \
      --requestheader-username-headers X-Remote-User --requestheader-group-headers X-Remote-Group \
      --requestheader-extra-headers-prefix X-Remote-Extra- \
      --proxy-client-cert-file "$p/front-proxy-client.crt" --proxy-client-key-file "$p/front-proxy-client.key" \
      --enable-aggregator-routing=true \
      --cert-dir "$_data/kube/certs" --profiling=false --v=1
  fi
  wait_for kube-apiserver 90 curl -fsS --cacert "$p/ca.crt" "https://$addr:$UMS_KUBE_PORT/readyz"
  write_kubeconfig "$UMS_LOCAL/kubeconfig" admin
  set_env KUBECONFIG "$UMS_LOCAL/kubeconfig"
  ok "kube-apiserver $(k8s_version) on https://$addr:$UMS_KUBE_PORT (kubeconfig: .local/kubeconfig, kubectl: .local/bin/kubectl)"
}

cluster_down() { stop_bg kube-apiserver; stop_bg etcd; }

cluster_status() {
  if pid_alive kube-apiserver && curl -fsS --cacert "$_data/kube/pki/ca.crt" "$(kube_server_url)/readyz" >/dev/null 2>&1; then
    echo "kube-apiserver: up ($(kube_server_url))"
  else echo "kube-apiserver: down"; fi
  if pid_alive etcd; then echo "etcd: up (127.0.0.1:$UMS_ETCD_PORT)"; else echo "etcd: down"; fi
}

# --- Chromium (Debian package) for browser tests -------------------------------------------------

chromium_up() {
  ensure_apt_packages chromium fonts-liberation
  set_env CHROMIUM_PATH "$(command -v chromium)"
  ok "$(chromium --version 2>/dev/null | head -n 1) at $CHROMIUM_PATH"
}

# --- nginx (Debian package): the web image's server, run unprivileged by the web delivery test --

nginx_up() {
  ensure_apt_packages nginx
  # Debian installs it in /usr/sbin, which a non-root PATH may not have.
  local bin
  bin="$(command -v nginx || echo /usr/sbin/nginx)"
  set_env NGINX_PATH "$bin"
  ok "$("$bin" -v 2>&1) at $bin"
}

# --- commands -----------------------------------------------------------------------------------

infra_up() { # the data servers for npm start; `infra_up all` adds the cluster, Chromium, nginx and Helm
  postgres_up; redis_up; ferretdb_up
  if [ "${1:-}" = all ]; then cluster_up; chromium_up; nginx_up; ensure_helm; fi
}
infra_down() { cluster_down; ferretdb_down; redis_down; postgres_down; }
stop_started() { # stops, newest first, the servers this invocation started
  local i name
  for ((i = ${#UMS_STARTED[@]} - 1; i >= 0; i--)); do
    name="${UMS_STARTED[$i]}"
    case "$name" in postgres) postgres_down ;; *) stop_bg "$name" ;; esac
  done
}
infra_status() { postgres_status; redis_status; ferretdb_status; cluster_status; }
