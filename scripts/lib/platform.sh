# The full single-node cluster behind `npm run platform:up`: cluster_up's etcd and kube-apiserver,
# plus kube-controller-manager, kube-scheduler, containerd + kubelet, kube-proxy, and host-process
# add-ons: CoreDNS (cluster DNS), metrics-server, local-path-provisioner (volumes) and the
# project's ingress controller (scripts/src/ingress, on 127.0.0.1:$UMS_INGRESS_PORT). Needs root: it adds an address to lo, makes
# network namespaces and iptables rules. Sourced by scripts/ums.sh after infra.sh and images.sh;
# add-ons and teardown are in platform-addons.sh and platform-teardown.sh.

UMS_PLATFORM_STATE=/var/lib/ums-platform   # containerd's images, the kubelet's pods, volumes
UMS_PLATFORM_RUN=/run/ums-platform         # sockets and containerd's runtime state
export UMS_CONTAINERD_SOCK="$UMS_PLATFORM_RUN/containerd/containerd.sock" # the tests tag images with ctr
UMS_POD_CIDR=10.244.0.0/16
UMS_POD_SUBNET=10.244.0.0/24               # the one node's share of it (host-local IPAM)
UMS_BRIDGE=ums0
UMS_INGRESS_PORT="${UMS_INGRESS_PORT:-58080}"
_pconf="$_data/platform"                    # generated configuration and kubeconfigs

platform_kubectl() { "$(k8s_bin_dir)/kubectl" --kubeconfig "$UMS_LOCAL/kubeconfig" "$@"; }

platform_prepare_host() {
  is_root || die "platform:up runs containers: it needs root (network namespaces, iptables, mounts)"
  ensure_apt_packages containerd runc containernetworking-plugins iptables iproute2 conntrack kmod
  mkdir -p "$_pconf" "$UMS_PLATFORM_STATE"/{containerd,kubelet,volumes,cni} "$UMS_PLATFORM_RUN/containerd"
  modprobe overlay 2>/dev/null || true
  modprobe br_netfilter 2>/dev/null || true
  sysctl -qw net.ipv4.ip_forward=1 net.bridge.bridge-nf-call-iptables=1 \
    || die "could not enable IP forwarding and bridge netfilter (br_netfilter)"
}

# --- containerd (Debian package) ----------------------------------------------------------------

write_containerd_config() {
  mkdir -p "$_pconf/cni"
  # restrict_oom_score_adj: without CAP_SYS_RESOURCE a negative oom_score_adj fails every sandbox.
  cat >"$_pconf/containerd.toml" <<TOML
version = 2
root = "$UMS_PLATFORM_STATE/containerd"
state = "$UMS_PLATFORM_RUN/containerd"
disabled_plugins = ["io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper"]
[grpc]
  address = "$UMS_CONTAINERD_SOCK"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "$(containerd_ref "$(image_ref pause)")"
  restrict_oom_score_adj = true
  disable_apparmor = true
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        SystemdCgroup = false
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "$_pconf/cni"
TOML
  # One bridge for the node's pods; portmap for hostPort.
  cat >"$_pconf/cni/10-ums.conflist" <<JSON
{
  "cniVersion": "1.0.0",
  "name": "ums",
  "plugins": [
    {
      "type": "bridge", "bridge": "$UMS_BRIDGE", "isGateway": true, "ipMasq": true, "hairpinMode": true,
      "ipam": { "type": "host-local", "dataDir": "$UMS_PLATFORM_STATE/cni/ipam",
                "ranges": [[{ "subnet": "$UMS_POD_SUBNET" }]], "routes": [{ "dst": "0.0.0.0/0" }] }
    },
    { "type": "portmap", "capabilities": { "portMappings": true } }
  ]
}
JSON
}

containerd_up() {
  local before; before="$(cat "$_pconf/containerd.toml" 2>/dev/null || true)"
  write_containerd_config
  if pid_alive containerd && [ "$before" != "$(cat "$_pconf/containerd.toml")" ]; then
    note "containerd's configuration changed: restarting it (running containers keep running)"
    stop_bg containerd
  fi
  if ! pid_alive containerd; then
    UMS_STARTED+=(containerd)
    step "starting containerd ($UMS_CONTAINERD_SOCK)"
    start_bg containerd containerd --config "$_pconf/containerd.toml"
  fi
  wait_for containerd 30 ctr --address "$UMS_CONTAINERD_SOCK" version
  ok "containerd $(containerd --version | awk '{print $3}') with runc and the CNI bridge $UMS_BRIDGE ($UMS_POD_SUBNET)"
}

# --- control plane: kube-controller-manager and kube-scheduler ----------------------------------

component_kubeconfigs() {
  local c
  for c in kubelet kube-controller-manager kube-scheduler kube-proxy coredns metrics-server local-path-provisioner ingress; do
    write_kubeconfig "$_pconf/$c.kubeconfig" "$c"
  done
}

control_plane_up() {
  local bin p="$_pki"; bin="$(k8s_bin_dir)"
  if ! pid_alive kube-controller-manager; then
    UMS_STARTED+=(kube-controller-manager)
    step "starting kube-controller-manager"
    # Each controller signs in with its own service account.
    start_bg kube-controller-manager "$bin/kube-controller-manager" \
      --kubeconfig "$_pconf/kube-controller-manager.kubeconfig" \
      --authentication-kubeconfig "$_pconf/kube-controller-manager.kubeconfig" \
      --authorization-kubeconfig "$_pconf/kube-controller-manager.kubeconfig" \
      --bind-address 127.0.0.1 --secure-port 10257 --leader-elect=false \
      --use-service-account-credentials=true --service-account-private-key-file "$p/sa.key" \
      --root-ca-file "$p/ca.crt" --cluster-signing-cert-file "$p/ca.crt" --cluster-signing-key-file "$p/ca.key" \
      --service-cluster-ip-range "$UMS_SERVICE_CIDR" --allocate-node-cidrs=false \
      --horizontal-pod-autoscaler-sync-period 10s --v=1
  fi
  if ! pid_alive kube-scheduler; then
    UMS_STARTED+=(kube-scheduler)
    step "starting kube-scheduler"
    start_bg kube-scheduler "$bin/kube-scheduler" --kubeconfig "$_pconf/kube-scheduler.kubeconfig" \
      --authentication-kubeconfig "$_pconf/kube-scheduler.kubeconfig" \
      --authorization-kubeconfig "$_pconf/kube-scheduler.kubeconfig" \
      --bind-address 127.0.0.1 --secure-port 10259 --leader-elect=false --v=1
  fi
  wait_for kube-controller-manager 60 curl -fsSk https://127.0.0.1:10257/healthz
  wait_for kube-scheduler 60 curl -fsSk https://127.0.0.1:10259/healthz
  ok "kube-controller-manager and kube-scheduler $(k8s_version)"
}

# --- the node: kubelet and kube-proxy -----------------------------------------------------------

write_node_configs() {
  # cgroup v1 (hybrid) and no systemd: cgroupfs driver. oomScoreAdj 0: a negative value needs
  # CAP_SYS_RESOURCE. Image GC off: the images are loaded here and cannot be pulled again.
  cat >"$_pconf/kubelet.yaml" <<YAML
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
failCgroupV1: false
cgroupDriver: cgroupfs
containerRuntimeEndpoint: unix://$UMS_CONTAINERD_SOCK
address: $UMS_NODE_IP
port: 10250
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
healthzPort: 10248
authentication:
  anonymous: { enabled: false }
  webhook: { enabled: true }
  x509: { clientCAFile: $_pki/ca.crt }
authorization: { mode: Webhook }
tlsCertFile: $_pki/kubelet-serving.crt
tlsPrivateKeyFile: $_pki/kubelet-serving.key
clusterDNS: [$UMS_NODE_IP]
clusterDomain: cluster.local
failSwapOn: false
oomScoreAdj: 0
hairpinMode: hairpin-veth
serializeImagePulls: false
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
evictionHard: { memory.available: 200Mi }
localStorageCapacityIsolation: false
rotateCertificates: false
serverTLSBootstrap: false
shutdownGracePeriod: 0s
YAML
  cat >"$_pconf/kube-proxy.yaml" <<YAML
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
clientConnection: { kubeconfig: $_pconf/kube-proxy.kubeconfig }
mode: iptables
clusterCIDR: $UMS_POD_CIDR
hostnameOverride: $UMS_NODE_NAME
iptables: { masqueradeAll: true }
conntrack: { maxPerCore: 0, tcpEstablishedTimeout: 0s, tcpCloseWaitTimeout: 0s }
oomScoreAdj: 0
metricsBindAddress: 127.0.0.1:10249
healthzBindAddress: 127.0.0.1:10256
YAML
}

node_up() {
  local bin; bin="$(k8s_bin_dir)"
  write_node_configs
  if ! pid_alive kubelet; then
    UMS_STARTED+=(kubelet)
    step "starting the kubelet (node $UMS_NODE_NAME at $UMS_NODE_IP)"
    start_bg kubelet "$bin/kubelet" --config "$_pconf/kubelet.yaml" \
      --kubeconfig "$_pconf/kubelet.kubeconfig" --node-ip "$UMS_NODE_IP" \
      --hostname-override "$UMS_NODE_NAME" --root-dir "$UMS_PLATFORM_STATE/kubelet" --v=1
  fi
  if ! pid_alive kube-proxy; then
    UMS_STARTED+=(kube-proxy)
    step "starting kube-proxy (iptables)"
    start_bg kube-proxy "$bin/kube-proxy" --config "$_pconf/kube-proxy.yaml" --v=1
  fi
  wait_for kube-proxy 60 curl -fsS http://127.0.0.1:10256/healthz
  wait_for kubelet 90 platform_kubectl wait "node/$UMS_NODE_NAME" --for=condition=Ready --timeout=5s
  ok "node $UMS_NODE_NAME Ready (kubelet $(k8s_version), kube-proxy)"
}

# --- the whole platform -------------------------------------------------------------------------

platform_url() { echo "http://ums.localtest.me:$UMS_INGRESS_PORT"; }

timed() { # LABEL COMMAND...: runs it and says how long it took
  local label="$1" t=$SECONDS; shift
  "$@"
  note "$label: $((SECONDS - t)) s"
}

# platform_up [--reset]: --reset first deletes etcd's data and the volumes (not the images), for a
# cluster holding nothing but the platform (npm test: the operator suites leave test namespaces).
platform_up() {
  local began=$SECONDS
  platform_prepare_host
  if [ "${1:-}" = --reset ]; then
    step "resetting the cluster's state (etcd's data, volumes)"
    node_teardown
    cluster_down
    rm -rf "$_data/etcd" "$UMS_PLATFORM_STATE/volumes"
  fi
  platform_clean_stale
  timed "API server" cluster_up
  timed "add-on binaries" ensure_addon_binaries
  timed "images" images_build
  timed "containerd" containerd_up
  timed "image loading" images_load "$UMS_CONTAINERD_SOCK"
  component_kubeconfigs
  timed "controllers and scheduler" control_plane_up
  timed "the node" node_up
  timed "add-ons" addons_up
  timed "the operator" operator_install
  set_env UMS_INGRESS_URL "$(platform_url)"
  set_env UMS_CONTAINERD_SOCK "$UMS_CONTAINERD_SOCK"
  # The end-to-end tests apply the dev instance themselves, to watch it come up.
  if [ "${UMS_PLATFORM_INSTANCE:-1}" != 0 ]; then timed "the dev instance" dev_instance_up; fi
  ok "platform up in $((SECONDS - began)) s"
  platform_print_access
}

platform_print_access() {
  cat <<EOF

    The web app:   $(platform_url)   (ums.localtest.me resolves to 127.0.0.1 in public DNS;
                   offline: curl --resolve ums.localtest.me:$UMS_INGRESS_PORT:127.0.0.1 ...,
                   or add "127.0.0.1 ums.localtest.me" to /etc/hosts)
    Sign in as:    admin@usermanagement.local / AdminPassword123!  (the README lists the others)
    kubectl:       KUBECONFIG=$UMS_LOCAL/kubeconfig $UMS_LOCAL/bin/kubectl -n user-management-dev get umi,pods
    Logs:          $_log/{kubelet,containerd,ingress,...}.log; pods: kubectl logs
    Stop:          npm run platform:down

EOF
}
