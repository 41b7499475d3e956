# The local monitoring stack's binaries (docs/local-stack.md): Prometheus with promtool,
# Alertmanager and the node exporter from Debian's packages, Jaeger v2 built once from the Go
# module proxy through the tools module scripts/tools/jaeger. Running them is the TypeScript
# module scripts/src/monitoring's job (npm start, npm run monitoring:up, the tests); this file only
# makes sure they exist and records their paths in .local/env.
# Sourced by scripts/ums.sh after infra.sh.

UMS_JAEGER_TOOLS="$UMS_ROOT/scripts/tools/jaeger"

jaeger_version() { go_mod_version "$UMS_JAEGER_TOOLS/go.mod" github.com/jaegertracing/jaeger; }
jaeger_bin() {
  echo "$UMS_CACHE/bin/jaeger-$(jaeger_version)-$(sha256sum "$UMS_JAEGER_TOOLS/go.sum" | cut -c1-12)/jaeger"
}

ensure_jaeger() {
  local bin dir v; bin="$(jaeger_bin)"; dir="$(dirname "$bin")"; v="$(jaeger_version)"
  if [ ! -x "$bin" ]; then
    command -v go >/dev/null || die "Go is needed to build Jaeger"
    step "building Jaeger v2 (module $v) from the Go module proxy (first run only, about 5 min)"
    mkdir -p "$dir.tmp"
    (cd "$UMS_JAEGER_TOOLS" && CGO_ENABLED=0 go build -v -trimpath -ldflags "-s -w" \
      -o "$dir.tmp/jaeger" github.com/jaegertracing/jaeger/cmd/jaeger 2>&1) | progress_lines \
      || die "building Jaeger failed"
    rm -rf "$dir" && mv "$dir.tmp" "$dir"
    ok "built into $dir"
  fi
  set_env JAEGER_BIN "$bin"
}

# Debian's packages come with init scripts that their maintainer scripts start (invoke-rc.d,
# deb-systemd-invoke) on Debian's default ports. Nothing here uses those services: our instances
# run with their own ports, configuration and data under .local/. So the install runs with a
# policy-rc.d that forbids starting services, unless the machine already has one.
ensure_monitoring_packages() {
  local pkgs=(prometheus prometheus-alertmanager prometheus-node-exporter) policy=/usr/sbin/policy-rc.d rc=0
  if is_root && [ ! -e "$policy" ] && [ "$(dpkg-query -W -f='${Status}\n' "${pkgs[@]}" 2>/dev/null \
    | grep -c 'install ok installed')" != "${#pkgs[@]}" ]; then
    printf '#!/bin/sh\n# written by scripts/lib/monitoring.sh for one apt-get install\nexit 101\n' >"$policy"
    chmod 755 "$policy"
    (ensure_apt_packages "${pkgs[@]}") || rc=$?
    rm -f "$policy"
    [ $rc -eq 0 ] || exit $rc
  else
    ensure_apt_packages "${pkgs[@]}"
  fi
}

ensure_monitoring_tools() { # for npm start and npm test: the four binaries, recorded in .local/env
  ensure_monitoring_packages
  ensure_jaeger
  set_env PROMETHEUS_BIN /usr/bin/prometheus
  set_env PROMTOOL /usr/bin/promtool
  set_env ALERTMANAGER_BIN /usr/bin/prometheus-alertmanager
  set_env NODE_EXPORTER_BIN /usr/bin/prometheus-node-exporter
  ok "$(/usr/bin/prometheus --version 2>&1 | head -n 1 | cut -d' ' -f1-3), Alertmanager $(/usr/bin/prometheus-alertmanager --version 2>&1 | head -n 1 | awk '{print $3}'), node exporter $(/usr/bin/prometheus-node-exporter --version 2>&1 | head -n 1 | awk '{print $3}'), Jaeger $(jaeger_version)"
}
