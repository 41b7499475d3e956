# Teardown of the full local cluster (`npm run platform:down`), also run at the start of
# platform:up to clear what a killed run left behind: processes by PID, the pods' processes and
# cgroups, mounts, network namespaces, the CNI bridge, iptables chains, the kubelet's and
# containerd's state folders. Every step is safe to run twice. Sourced after platform.sh.

_node_processes=(ingress local-path-provisioner metrics-server coredns kube-proxy kubelet kube-scheduler kube-controller-manager)

pod_cgroup_dirs() { # every cgroup the kubelet made (cgroupfs driver: kubepods/...), deepest first
  find /sys/fs/cgroup -mindepth 1 -maxdepth 2 -type d -name 'kubepods*' 2>/dev/null | while read -r top; do
    find "$top" -depth -type d
  done
}

kill_pod_processes() {
  local dir pids=''
  while read -r dir; do
    [ -f "$dir/cgroup.procs" ] && pids+=" $(tr '\n' ' ' <"$dir/cgroup.procs")"
  done < <(pod_cgroup_dirs)
  # shellcheck disable=SC2086 # a list of PIDs
  if [ -n "${pids// /}" ]; then kill -KILL $pids 2>/dev/null || true; fi
  # The shims of this containerd (their containers are gone now).
  pkill -KILL -f "containerd-shim-runc-v2 .*-address $UMS_CONTAINERD_SOCK" 2>/dev/null || true
}

remove_pod_cgroups() {
  local dir i
  for i in 1 2 3 4 5; do # a cgroup can be busy for a moment after its last process died
    while read -r dir; do rmdir "$dir" 2>/dev/null || true; done < <(pod_cgroup_dirs)
    [ -z "$(pod_cgroup_dirs | head -n 1)" ] && return 0
    sleep 0.5
  done
  note "some pod cgroups are still busy: $(pod_cgroup_dirs | head -n 3 | tr '\n' ' ')"
}

unmount_platform() { # mounts under the state folders, netns bind mounts, deepest first
  local m
  awk -v a="$UMS_PLATFORM_STATE/" -v b="$UMS_PLATFORM_RUN/" \
    'index($2, a) == 1 || index($2, b) == 1 || $2 ~ /^\/run\/netns\/cni-/ { print $2 }' /proc/self/mounts \
    | awk '{ print length($0), $0 }' | sort -rn | cut -d' ' -f2- | while read -r m; do
      umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true
    done
  local ns
  for ns in $(ip netns list 2>/dev/null | awk '/^cni-/ {print $1}'); do ip netns delete "$ns" 2>/dev/null || true; done
}

remove_iptables_rules() { # kube-proxy's KUBE-* and the CNI plugins' CNI-* chains and the rules using them
  local cmd
  for cmd in iptables ip6tables; do
    command -v "$cmd-save" >/dev/null || continue
    "$cmd-save" 2>/dev/null | grep -qE 'KUBE-|CNI-' || continue
    "$cmd-save" | grep -vE 'KUBE-|CNI-' | "$cmd-restore" || note "could not restore $cmd without the cluster's rules"
  done
}

# Node processes that no PID file of this checkout knows: another checkout's (a CI clone after a
# session), or one whose PID file was lost. Matched by the cached binaries they run from.
kill_strays() {
  local name
  for name in kubelet kube-proxy kube-controller-manager kube-scheduler coredns metrics-server local-path-provisioner; do
    pkill -KILL -f "^$UMS_CACHE/bin/[^ ]*/$name( |$)" 2>/dev/null || true
  done
  pkill -KILL -f 'node .*/scripts/src/ingress/main\.ts' 2>/dev/null || true
  pkill -KILL -f '^containerd --config .*/\.local/data/platform/containerd\.toml' 2>/dev/null || true
  return 0
}

# Everything of the node; the API server and etcd stay (they are cluster_up's).
node_teardown() {
  local name
  for name in "${_node_processes[@]}"; do stop_bg "$name"; done
  kill_pod_processes
  local keep_images=''
  if pid_alive containerd; then remove_containers && keep_images=1; stop_bg containerd; fi
  kill_strays
  unmount_platform
  remove_pod_cgroups
  ip link delete "$UMS_BRIDGE" 2>/dev/null || true
  remove_iptables_rules
  rm -rf "$UMS_PLATFORM_STATE/kubelet" "$UMS_PLATFORM_STATE/cni" "$UMS_PLATFORM_RUN" \
    "$UMS_PLATFORM_STATE/containerd/io.containerd.grpc.v1.cri"
  # The loaded images are a cache (the next start needs no import): kept when containerd could
  # remove its containers itself, else its whole root goes.
  [ -n "$keep_images" ] || rm -rf "$UMS_PLATFORM_STATE/containerd"
}

remove_containers() { # every container and task, through containerd; its images stay
  local c ids
  c=(ctr --address "$UMS_CONTAINERD_SOCK" -n k8s.io)
  ids="$("${c[@]}" containers ls -q 2>/dev/null)" || return 1
  for id in $ids; do "${c[@]}" tasks delete --force "$id" >/dev/null 2>&1 || true; done
  # shellcheck disable=SC2086 # a list of container IDs
  [ -z "$ids" ] || "${c[@]}" containers delete $ids >/dev/null 2>&1 || return 1
}

platform_state_present() { # what a killed run leaves: pods' folders, mounts, the bridge, cgroups
  [ -n "$(ls -A "$UMS_PLATFORM_STATE/kubelet/pods" 2>/dev/null)" ] || ip link show "$UMS_BRIDGE" >/dev/null 2>&1 \
    || grep -q " $UMS_PLATFORM_RUN/" /proc/self/mounts || [ -n "$(pod_cgroup_dirs | head -n 1)" ]
}

platform_clean_stale() { # a run that was killed leaves mounts and chains but no containerd
  pid_alive containerd && return 0
  platform_state_present || return 0
  step "clearing what an earlier platform run left behind (mounts, namespaces, cgroups, iptables)"
  node_teardown
  ok "cleared"
}

# platform:down [--purge]: the whole cluster; --purge also deletes etcd's data and the volumes.
platform_down() {
  is_root || die "platform:down needs root, as platform:up did"
  step "stopping the local platform"
  gitops_down
  node_teardown
  cluster_down
  ip addr delete "$UMS_NODE_IP/32" dev lo 2>/dev/null || true
  if [ "${1:-}" = --purge ]; then
    rm -rf "$UMS_PLATFORM_STATE" "$_data/etcd"
    ok "etcd data, volumes and loaded images deleted"
  fi
  ok "platform stopped (processes, pods, mounts, network namespaces, $UMS_BRIDGE, iptables chains, state folders)"
}

platform_status() {
  local name
  cluster_status
  for name in containerd "${_node_processes[@]}"; do
    if pid_alive "$name"; then echo "$name: up"; else echo "$name: down"; fi
  done
}
