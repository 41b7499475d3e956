# Argo CD on the local cluster (docs/gitops.md): its application controller and repo server as
# host processes, like the other add-ons, built once from the Go module proxy through the tools
# module scripts/tools/argocd (Argo CD's go.mod has replace directives, so `go install` refuses
# it). Argo CD v3.6 needs Go 1.27: GOTOOLCHAIN=go1.27.3 is set for that one build (the go command
# fetches that toolchain from the proxy like a module). Also the third-party CRDs the rendered
# manifests use: Argo CD's from its module; the Prometheus Operator's generated from its API
# module by controller-gen, as its own Makefile does (scripts/tools/prometheus-operator).
# Sourced by scripts/ums.sh after platform-addons.sh.

UMS_ARGOCD_TOOLS="$UMS_ROOT/scripts/tools/argocd"
UMS_ARGOCD_GO=go1.27.3
UMS_PROMETHEUS_OPERATOR_TOOLS="$UMS_ROOT/scripts/tools/prometheus-operator"
UMS_PROMETHEUS_OPERATOR_API=github.com/prometheus-operator/prometheus-operator/pkg/apis/monitoring
UMS_ARGOCD_NAMESPACE=argocd
UMS_ARGOCD_REDIS_PORT="${UMS_ARGOCD_REDIS_PORT:-58379}"
UMS_ARGOCD_REPO_PORT="${UMS_ARGOCD_REPO_PORT:-58082}"

argocd_version() { go_mod_version "$UMS_ARGOCD_TOOLS/go.mod" github.com/argoproj/argo-cd/v3; }
argocd_bin() {
  echo "$UMS_CACHE/bin/argocd-$(argocd_version)-$(sha256sum "$UMS_ARGOCD_TOOLS/go.sum" | cut -c1-12)/argocd"
}
module_dir() { # MODULE@VERSION: its folder in the Go module cache, downloaded if need be
  (cd "$UMS_ARGOCD_TOOLS" && GOTOOLCHAIN="$UMS_ARGOCD_GO" go mod download -json "$1" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')
}

ensure_argocd() {
  local bin dir v; bin="$(argocd_bin)"; dir="$(dirname "$bin")"; v="$(argocd_version)"
  if [ ! -x "$bin" ]; then
    command -v go >/dev/null || die "Go is needed to build Argo CD"
    step "building Argo CD $v from the Go module proxy (first run only, 5-15 min; Go $UMS_ARGOCD_GO is fetched for it)"
    mkdir -p "$dir.tmp"
    (cd "$UMS_ARGOCD_TOOLS" && GOTOOLCHAIN="$UMS_ARGOCD_GO" CGO_ENABLED=0 go build -v -trimpath \
      -ldflags "-s -w -X github.com/argoproj/argo-cd/v3/common.version=${v#v} -X github.com/argoproj/argo-cd/v3/common.gitTreeState=clean" \
      -o "$dir.tmp/argocd" github.com/argoproj/argo-cd/v3/cmd 2>&1) | progress_lines || die "building Argo CD failed"
    # One binary, many commands: it acts as the one it is called as.
    ln -sf argocd "$dir.tmp/argocd-application-controller"
    ln -sf argocd "$dir.tmp/argocd-repo-server"
    rm -rf "$dir" && mv "$dir.tmp" "$dir"
    ok "built into $dir"
  fi
  set_env ARGOCD_BIN "$bin"
}

prometheus_operator_version() { go_mod_version "$UMS_PROMETHEUS_OPERATOR_TOOLS/go.mod" "$UMS_PROMETHEUS_OPERATOR_API"; }

# The Prometheus Operator's CRDs at the API module's version: `make generate-crds` of its
# repository (controller-gen crd:crdVersions=v1 over monitoring/v1 and v1alpha1, then the
# operator.prometheus.io/version annotation), cached by version and go.sum.
ensure_prometheus_operator_crds() {
  local v dir api
  v="$(prometheus_operator_version)"
  dir="$UMS_CACHE/crds/prometheus-operator-$v-$(sha256sum "$UMS_PROMETHEUS_OPERATOR_TOOLS/go.sum" | cut -c1-12)"
  if [ ! -f "$dir/monitoring.coreos.com_servicemonitors.yaml" ]; then
    step "generating the Prometheus Operator $v CRDs with controller-gen (first run only, about 1 min)"
    api="$UMS_PROMETHEUS_OPERATOR_API"
    rm -rf "$dir.tmp" && mkdir -p "$dir.tmp"
    (cd "$UMS_PROMETHEUS_OPERATOR_TOOLS" && GOTOOLCHAIN=local go tool controller-gen crd:crdVersions=v1 \
      "paths=$api/v1" "paths=$api/v1alpha1" "output:crd:dir=$dir.tmp") \
      || die "generating the Prometheus Operator's CRDs failed"
    sed -i "s|^\(    controller-gen.kubebuilder.io/version: .*\)$|\1\n    operator.prometheus.io/version: ${v#v}|" "$dir.tmp"/*.yaml
    rm -rf "$dir" && mv "$dir.tmp" "$dir"
  fi
  set_env PROMETHEUS_OPERATOR_CRDS "$dir"
}

# The CRDs the rendered manifests need beyond the platform's own: the tests dry-run them.
ensure_gitops_crds() {
  local argo
  argo="$(module_dir "github.com/argoproj/argo-cd/v3@$(argocd_version)")" || die "downloading Argo CD's module failed"
  [ -f "$argo/manifests/crds/application-crd.yaml" ] || die "no Argo CD CRDs in $argo"
  set_env ARGOCD_MANIFESTS "$argo/manifests"
  ensure_prometheus_operator_crds
}

ensure_gitops_tools() { # for npm test: the binary and the CRDs
  ensure_apt_packages git
  ensure_argocd
  ensure_gitops_crds
  ok "Argo CD $(argocd_version), its CRDs and the Prometheus Operator's $(prometheus_operator_version)"
}

argocd_kubectl_apply() { platform_kubectl apply --server-side --force-conflicts "$@" >/dev/null; }

# Argo CD's settings for the local cluster: its CRDs, its namespace, the controller's identity
# (a client certificate bound to Argo CD's own cluster role), and argocd-cm with a short
# reconciliation period so that a commit is seen within seconds rather than three minutes.
argocd_config() {
  local m="$ARGOCD_MANIFESTS" prom="$PROMETHEUS_OPERATOR_CRDS" f
  step "applying Argo CD's CRDs and settings, and the Prometheus Operator's CRDs (namespace $UMS_ARGOCD_NAMESPACE)"
  argocd_kubectl_apply -f "$m/crds/application-crd.yaml" -f "$m/crds/appproject-crd.yaml" -f "$m/crds/applicationset-crd.yaml"
  for f in servicemonitors podmonitors prometheusrules; do argocd_kubectl_apply -f "$prom/monitoring.coreos.com_$f.yaml"; done
  argocd_kubectl_apply -f "$m/cluster-rbac/application-controller/argocd-application-controller-clusterrole.yaml"
  platform_kubectl wait --for=condition=Established --timeout=60s crd/applications.argoproj.io crd/appprojects.argoproj.io >/dev/null
  platform_kubectl apply --server-side -f - >/dev/null <<YAML
apiVersion: v1
kind: Namespace
metadata: { name: $UMS_ARGOCD_NAMESPACE }
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: { name: ums-argocd-application-controller }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: argocd-application-controller }
subjects: [{ apiGroup: rbac.authorization.k8s.io, kind: User, name: "ums:argocd-application-controller" }]
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: argocd-cm
  namespace: $UMS_ARGOCD_NAMESPACE
  labels: { app.kubernetes.io/name: argocd-cm, app.kubernetes.io/part-of: argocd }
data:
  timeout.reconciliation: 10s
  timeout.reconciliation.jitter: 2s
YAML
  platform_kubectl -n "$UMS_ARGOCD_NAMESPACE" create secret generic argocd-secret \
    --from-literal=server.secretkey="$(secret_file argocd-server)" --dry-run=client -o yaml \
    | platform_kubectl apply --server-side -f - >/dev/null
  # The platform's health checks, exactly as rendered for every environment.
  argocd_kubectl_apply -f "$UMS_ROOT/cdk8s/dist/dev/argocd-cm.yaml"
}

gitops_up() {
  ensure_gitops_tools
  load_local_env
  issue_cert argocd-application-controller "/CN=ums:argocd-application-controller" 'extendedKeyUsage=clientAuth'
  write_kubeconfig "$_pconf/argocd.kubeconfig" argocd-application-controller
  argocd_config
  local bin dir pw; bin="$(argocd_bin)"; dir="$(dirname "$bin")"; pw="$(secret_file argocd-redis)"
  if ! pid_alive argocd-redis; then
    port_free_or_die "$UMS_ARGOCD_REDIS_PORT" UMS_ARGOCD_REDIS_PORT
    UMS_STARTED+=(argocd-redis)
    step "starting Argo CD's Redis (a cache) on 127.0.0.1:$UMS_ARGOCD_REDIS_PORT"
    printf 'requirepass %s\n' "$pw" >"$_run/argocd-redis.conf"; chmod 600 "$_run/argocd-redis.conf"
    start_bg argocd-redis redis-server "$_run/argocd-redis.conf" --bind 127.0.0.1 \
      --port "$UMS_ARGOCD_REDIS_PORT" --save '' --appendonly no --daemonize no
  fi
  wait_for argocd-redis 20 sh -c "REDISCLI_AUTH='$pw' redis-cli -h 127.0.0.1 -p $UMS_ARGOCD_REDIS_PORT ping | grep -q PONG"
  mkdir -p "$_data/argocd/repo" "$_data/argocd/home" "$_data/argocd/bin"
  # The repo server runs Argo CD's git-verify-wrapper.sh on every revision (its image puts it on
  # PATH); the module holds it, read-only and not executable.
  install -m 755 "$ARGOCD_MANIFESTS/../hack/git-verify-wrapper.sh" "$_data/argocd/bin/"
  if ! pid_alive argocd-repo-server; then
    port_free_or_die "$UMS_ARGOCD_REPO_PORT" UMS_ARGOCD_REPO_PORT
    UMS_STARTED+=(argocd-repo-server)
    step "starting the Argo CD repo server on 127.0.0.1:$UMS_ARGOCD_REPO_PORT"
    # No GPG verification of commits (ARGOCD_GPG_ENABLED), so no keyring under /app/config.
    PATH="$_data/argocd/bin:$PATH" HOME="$_data/argocd/home" TMPDIR="$_data/argocd/repo" \
      REDIS_PASSWORD="$pw" ARGOCD_GPG_ENABLED=false \
      start_bg argocd-repo-server "$dir/argocd-repo-server" --address 127.0.0.1 \
      --port "$UMS_ARGOCD_REPO_PORT" --metrics-port 58084 --disable-tls --client-ca-path "" \
      --redis "127.0.0.1:$UMS_ARGOCD_REDIS_PORT" --loglevel warn
  fi
  wait_for argocd-repo-server 60 tcp_open "$UMS_ARGOCD_REPO_PORT"
  if ! pid_alive argocd-application-controller; then
    UMS_STARTED+=(argocd-application-controller)
    step "starting the Argo CD application controller (namespace $UMS_ARGOCD_NAMESPACE)"
    # Out of the cluster, "in-cluster" (https://kubernetes.default.svc) means this kubeconfig's
    # cluster. --persist-resource-health: each resource's health in the Application's status, as
    # before Argo CD 3 (the tests read the instance's).
    HOME="$_data/argocd/home" REDIS_PASSWORD="$pw" ARGOCD_FAKE_IN_CLUSTER=true \
      KUBECONFIG="$_pconf/argocd.kubeconfig" start_bg argocd-application-controller \
      "$dir/argocd-application-controller" --kubeconfig "$_pconf/argocd.kubeconfig" \
      --namespace "$UMS_ARGOCD_NAMESPACE" --repo-server "127.0.0.1:$UMS_ARGOCD_REPO_PORT" \
      --repo-server-plaintext --redis "127.0.0.1:$UMS_ARGOCD_REDIS_PORT" --metrics-port 58085 \
      --app-resync 20 --app-resync-jitter 2 --status-processors 4 --operation-processors 2 \
      --persist-resource-health --loglevel info
  fi
  wait_for argocd-application-controller 60 curl -fsS http://127.0.0.1:58085/metrics -o /dev/null
  ok "Argo CD $(argocd_version): application controller and repo server running (logs in $_log/argocd-*.log)"
}

gitops_down() { stop_bg argocd-application-controller; stop_bg argocd-repo-server; stop_bg argocd-redis; }
gitops_status() {
  local p
  for p in argocd-application-controller argocd-repo-server argocd-redis; do
    if pid_alive "$p"; then echo "$p: up"; else echo "$p: down"; fi
  done
}
