# The local cluster's add-ons as host processes (CoreDNS, metrics-server, local-path-provisioner,
# the ingress controller), the operator installed as a pod from its image, and the dev instance. Each add-on is
# built once from the Go module proxy at a pinned version, cached in $UMS_CACHE/bin/<name>-<version>;
# so is Helm, which the chart's tests use. Sourced by scripts/ums.sh after platform.sh.

UMS_COREDNS_MODULE=github.com/coredns/coredns@v1.14.7
UMS_METRICS_SERVER_MODULE=sigs.k8s.io/metrics-server/cmd/metrics-server@v0.8.0
UMS_LOCAL_PATH_MODULE=github.com/rancher/local-path-provisioner@v0.0.30
UMS_HELM_MODULE=helm.sh/helm/v4/cmd/helm@v4.3.2
UMS_DEV_NAMESPACE=user-management-dev

addon_bin() { # MODULE@VERSION: where its binary is cached
  local mod="${1%@*}" version="${1##*@}"
  echo "$UMS_CACHE/bin/$(basename "$mod")-$version/$(basename "$mod")"
}

ensure_go_tool() { # MODULE@VERSION [LDFLAGS]: `go install` into the cache (static, stripped)
  local bin dir; bin="$(addon_bin "$1")"; dir="$(dirname "$bin")"
  [ -x "$bin" ] && return 0
  command -v go >/dev/null || die "Go is needed to build $1"
  step "building $1 from the Go module proxy (first run only)"
  mkdir -p "$dir.tmp"
  (CGO_ENABLED=0 GOBIN="$dir.tmp" go install -v -trimpath -ldflags "-s -w ${2:-}" "$1" 2>&1) | progress_lines \
    || die "building $1 failed"
  rm -rf "$dir" && mv "$dir.tmp" "$dir"
  ok "built $(basename "$bin") into $dir"
}

# Helm for the chart's tests (charts/ums-operator), recorded as HELM_BIN in .local/env. The version
# is stamped as Helm's release build does; unstamped, `helm version` says only "v4.3".
ensure_helm() {
  local version="${UMS_HELM_MODULE##*@}"
  ensure_go_tool "$UMS_HELM_MODULE" "-X helm.sh/helm/v4/internal/version.version=$version"
  set_env HELM_BIN "$(addon_bin "$UMS_HELM_MODULE")"
  ok "Helm $version at $HELM_BIN"
}

ensure_addon_binaries() {
  local m
  for m in "$UMS_COREDNS_MODULE" "$UMS_METRICS_SERVER_MODULE" "$UMS_LOCAL_PATH_MODULE"; do
    ensure_go_tool "$m"
  done
}

fill_placeholders() { # FILE: the add-on manifests with this cluster's values
  sed -e "s|__CA_BUNDLE__|$(base64 -w0 <"$_pki/ca.crt")|" -e "s|__NODE_IP__|$UMS_NODE_IP|" \
    -e "s|__VOLUME_DIR__|$UMS_PLATFORM_STATE/volumes|" -e "s|__HELPER_IMAGE__|$(image_ref busybox)|" "$1"
}

addons_up() {
  step "applying the add-ons' RBAC, StorageClass, IngressClass and metrics APIService"
  fill_placeholders "$UMS_ROOT/scripts/platform/addons.yaml" | platform_kubectl apply --server-side -f - >/dev/null
  fill_placeholders "$UMS_ROOT/scripts/platform/local-path-config.yaml" | platform_kubectl apply --server-side -f - >/dev/null
  coredns_up
  metrics_server_up
  local_path_up
  ingress_up
}

coredns_up() {
  cat >"$_pconf/Corefile" <<COREFILE
.:53 {
    bind $UMS_NODE_IP
    errors
    health 127.0.0.1:58053
    ready 127.0.0.1:58054
    kubernetes cluster.local in-addr.arpa ip6.arpa {
        kubeconfig $_pconf/coredns.kubeconfig ums-local
        pods insecure
        fallthrough in-addr.arpa ip6.arpa
        ttl 5
    }
    forward . /etc/resolv.conf
    cache 5
}
COREFILE
  if ! pid_alive coredns; then
    UMS_STARTED+=(coredns)
    step "starting CoreDNS on $UMS_NODE_IP:53 (cluster.local)"
    start_bg coredns "$(addon_bin "$UMS_COREDNS_MODULE")" -conf "$_pconf/Corefile"
  fi
  wait_for coredns 30 curl -fsS http://127.0.0.1:58054/ready
  ok "CoreDNS ${UMS_COREDNS_MODULE##*@} (pods resolve <service>.<namespace>.svc.cluster.local)"
}

metrics_server_up() {
  local kc="$_pconf/metrics-server.kubeconfig"
  if ! pid_alive metrics-server; then
    UMS_STARTED+=(metrics-server)
    step "starting metrics-server on $UMS_NODE_IP:4443 (metrics.k8s.io)"
    start_bg metrics-server "$(addon_bin "$UMS_METRICS_SERVER_MODULE")" --kubeconfig "$kc" \
      --authentication-kubeconfig "$kc" --authorization-kubeconfig "$kc" \
      --bind-address "$UMS_NODE_IP" --secure-port 4443 \
      --tls-cert-file "$_pki/metrics-server-serving.crt" --tls-private-key-file "$_pki/metrics-server-serving.key" \
      --kubelet-certificate-authority "$_pki/ca.crt" --kubelet-preferred-address-types InternalIP \
      --kubelet-use-node-status-port --metric-resolution 15s
  fi
  # Serving is enough: the first metrics follow its first scrape of the kubelet (15 s at most).
  wait_for metrics-server 60 curl -fsSk "https://$UMS_NODE_IP:4443/livez"
  ok "metrics-server ${UMS_METRICS_SERVER_MODULE##*@} (kubectl top, HPAs on CPU and memory)"
}

local_path_up() {
  fill_placeholders "$UMS_ROOT/scripts/platform/local-path-config.yaml" \
    | awk '/config.json: \|-/{f=1; next} f && /^  [a-z]/{exit} f{sub(/^    /, ""); print}' >"$_pconf/local-path.json"
  if ! pid_alive local-path-provisioner; then
    UMS_STARTED+=(local-path-provisioner)
    step "starting local-path-provisioner (volumes in $UMS_PLATFORM_STATE/volumes)"
    start_bg local-path-provisioner "$(addon_bin "$UMS_LOCAL_PATH_MODULE")" start \
      --kubeconfig "$_pconf/local-path-provisioner.kubeconfig" --config "$_pconf/local-path.json" \
      --namespace local-path-storage --helper-image "$(image_ref busybox)" \
      --provisioner-name rancher.io/local-path --configmap-name local-path-config \
      --service-account-name local-path-provisioner-service-account
  fi
  sleep 1
  pid_alive local-path-provisioner || { tail -n 20 "$_log/local-path-provisioner.log" >&2; die "local-path-provisioner exited"; }
  ok "local-path-provisioner ${UMS_LOCAL_PATH_MODULE##*@} (default StorageClass local-path)"
}

# The ingress controller is the project's own (scripts/src/ingress): no ingress controller can be
# built here from the Go module proxy (Traefik v3's dependencies include modules it does not serve).
ingress_up() {
  if ! pid_alive ingress; then
    port_free_or_die "$UMS_INGRESS_PORT" UMS_INGRESS_PORT
    UMS_STARTED+=(ingress)
    step "starting the ingress controller on 127.0.0.1:$UMS_INGRESS_PORT (IngressClass ums, the default)"
    KUBECONFIG="$_pconf/ingress.kubeconfig" INGRESS_LISTEN="127.0.0.1:$UMS_INGRESS_PORT" \
      INGRESS_HEALTH_LISTEN=127.0.0.1:58081 start_bg ingress node "$UMS_ROOT/scripts/src/ingress/main.ts"
  fi
  wait_for ingress 30 curl -fsS http://127.0.0.1:58081/ping
  ok "ingress controller on 127.0.0.1:$UMS_INGRESS_PORT"
}

# --- the operator, as a pod from its image, with its generated RBAC only -------------------------

operator_install() {
  local cfg="$UMS_ROOT/operator/config"
  step "installing the operator (CRD, RBAC and Deployment from operator/config, image $(image_ref operator))"
  platform_kubectl apply --server-side -f "$cfg/manager/namespace.yaml" -f "$cfg/crd" -f "$cfg/rbac" >/dev/null
  platform_kubectl wait --for=condition=Established --timeout=60s crd/usermanagementinstances.platform.ums.dev >/dev/null
  sed -e "s|image: .*/operator:.*|image: $(image_ref operator)|" "$cfg/manager/deployment.yaml" \
    | platform_kubectl apply --server-side -f - >/dev/null
  platform_kubectl -n ums-system rollout status deployment/ums-operator --timeout=180s \
    || { platform_kubectl -n ums-system describe pods | tail -n 30 >&2; die "the operator did not roll out"; }
  ok "operator running in ums-system"
}

dev_instance_up() {
  step "applying operator/examples/dev.yaml (namespace $UMS_DEV_NAMESPACE)"
  platform_kubectl create namespace "$UMS_DEV_NAMESPACE" --dry-run=client -o yaml | platform_kubectl apply -f - >/dev/null
  platform_kubectl apply -f "$UMS_ROOT/operator/examples/dev.yaml" >/dev/null
  note "waiting for the instance to be Ready (databases, migrations, rollout; the first time takes a minute or two)"
  if ! platform_kubectl -n "$UMS_DEV_NAMESPACE" wait umi/dev --for=condition=Ready --timeout=600s >/dev/null; then
    platform_kubectl -n "$UMS_DEV_NAMESPACE" get umi,pods >&2
    die "the dev instance did not become Ready (kubectl -n $UMS_DEV_NAMESPACE describe umi dev)"
  fi
  platform_kubectl -n "$UMS_DEV_NAMESPACE" get umi dev
  ok "dev instance Ready"
}
