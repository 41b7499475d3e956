# The local cluster's certificates and kubeconfigs: one CA for the cluster, one for the API
# aggregation front proxy, a client certificate per component. Generated once per checkout into
# .local/data/kube/pki; a new layout version regenerates them. Sourced by infra.sh.

UMS_NODE_IP="${UMS_NODE_IP:-10.245.0.1}"     # a /32 on lo: node IP, kubelet and API server address
UMS_NODE_NAME="${UMS_NODE_NAME:-ums-node}"
UMS_SERVICE_CIDR="10.96.0.0/16"
UMS_KUBERNETES_SERVICE_IP="10.96.0.1"
UMS_PKI_LAYOUT=2 # bump when a certificate's names change (new ones are simply issued)
_pki="$UMS_LOCAL/data/kube/pki"

# issue_cert NAME SUBJECT EXTENSIONS [CA]: a key and a certificate signed by CA (default ca).
issue_cert() {
  local name="$1" subject="$2" ext="$3" ca="${4:-ca}"
  [ -s "$_pki/$name.crt" ] && return 0
  (
    cd "$_pki" && umask 077
    openssl req -newkey rsa:2048 -nodes -subj "$subject" -keyout "$name.key" -out "$name.csr" 2>/dev/null
    printf '%s\n' "$ext" >"$name.ext"
    openssl x509 -req -in "$name.csr" -CA "$ca.crt" -CAkey "$ca.key" -CAcreateserial -days 3650 \
      -extfile "$name.ext" -out "$name.crt" 2>/dev/null
    rm -f "$name.csr" "$name.ext"
  ) || die "issuing the $name certificate failed"
}

new_ca() { # NAME CN
  [ -s "$_pki/$1.crt" ] && return 0
  (cd "$_pki" && umask 077 && openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=$2" \
    -keyout "$1.key" -out "$1.crt" 2>/dev/null) || die "creating the $1 certificate authority failed"
}

ensure_cluster_pki() {
  if [ "$(cat "$_pki/layout" 2>/dev/null)" != "$UMS_PKI_LAYOUT" ]; then
    rm -rf "$_pki"
  fi
  # Each certificate is issued once; one added later is issued on the next start.
  mkdir -p "$_pki"; chmod 700 "$_pki"
  local client='extendedKeyUsage=clientAuth'
  new_ca ca ums-local-ca
  new_ca front-proxy-ca ums-front-proxy-ca
  issue_cert server "/CN=kube-apiserver" "subjectAltName=IP:127.0.0.1,IP:$UMS_NODE_IP,IP:$UMS_KUBERNETES_SERVICE_IP,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local
extendedKeyUsage=serverAuth"
  issue_cert admin "/O=system:masters/CN=ums-admin" "$client"
  issue_cert apiserver-kubelet-client "/O=system:masters/CN=kube-apiserver-kubelet-client" "$client"
  issue_cert front-proxy-client "/CN=front-proxy-client" "$client" front-proxy-ca
  issue_cert kubelet "/O=system:nodes/CN=system:node:$UMS_NODE_NAME" "$client"
  issue_cert kubelet-serving "/CN=$UMS_NODE_NAME" "subjectAltName=IP:$UMS_NODE_IP,DNS:$UMS_NODE_NAME
extendedKeyUsage=serverAuth"
  issue_cert kube-controller-manager "/CN=system:kube-controller-manager" "$client"
  issue_cert kube-scheduler "/CN=system:kube-scheduler" "$client"
  issue_cert kube-proxy "/CN=system:kube-proxy" "$client"
  issue_cert coredns "/CN=ums:coredns" "$client"
  issue_cert metrics-server "/CN=ums:metrics-server" "$client"
  issue_cert metrics-server-serving "/CN=metrics-server" "subjectAltName=IP:$UMS_NODE_IP,DNS:metrics-server.kube-system.svc
extendedKeyUsage=serverAuth"
  issue_cert local-path-provisioner "/CN=ums:local-path-provisioner" "$client"
  issue_cert ingress "/CN=ums:ingress" "$client"
  [ -s "$_pki/sa.key" ] || (cd "$_pki" && umask 077 && openssl genrsa -out sa.key 2048 2>/dev/null \
    && openssl rsa -in sa.key -pubout -out sa.pub 2>/dev/null) || die "generating the service account key failed"
  echo "$UMS_PKI_LAYOUT" >"$_pki/layout"
}

kube_server_url() { # pods reach the API server at the node IP; without root (no lo address), loopback
  if is_root; then echo "https://$UMS_NODE_IP:$UMS_KUBE_PORT"; else echo "https://127.0.0.1:$UMS_KUBE_PORT"; fi
}

# write_kubeconfig FILE CERT_NAME: a kubeconfig for one component's client certificate.
write_kubeconfig() {
  local file="$1" name="$2" b64='base64 -w0'
  (umask 077; cat >"$file" <<KUBECONFIG
apiVersion: v1
kind: Config
clusters:
  - name: ums-local
    cluster:
      server: $(kube_server_url)
      certificate-authority-data: $($b64 <"$_pki/ca.crt")
users:
  - name: $name
    user:
      client-certificate-data: $($b64 <"$_pki/$name.crt")
      client-key-data: $($b64 <"$_pki/$name.key")
contexts:
  - name: ums-local
    context: { cluster: ums-local, user: $name, namespace: default }
current-context: ums-local
KUBECONFIG
  )
}
