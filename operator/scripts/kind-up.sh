#!/usr/bin/env bash
# Creates a kind cluster, builds and loads the platform images, installs the CRD, RBAC and
# operator, and applies the dev example. Needs a running Docker engine, `kind` and `kubectl`:
# it cannot run on a machine without a Docker engine (use `npm run cluster:up` there, which
# gives an API server for tests but runs no pods).
set -euo pipefail

cluster="${UMS_KIND_CLUSTER:-ums}"
tag="${UMS_IMAGE_TAG:-0.1.0}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
kubectl="${KUBECTL:-kubectl}"

die() { printf 'kind:up: %s\n' "$*" >&2; exit 1; }
step() { printf '==> %s\n' "$*"; }

command -v docker >/dev/null || die "docker is not installed; kind needs a Docker engine"
docker info >/dev/null 2>&1 || die "no Docker engine is running (docker info failed); kind cannot run here"
command -v kind >/dev/null || die "kind is not installed (https://kind.sigs.k8s.io)"
command -v "$kubectl" >/dev/null || die "kubectl is not installed (or set KUBECTL)"

if ! kind get clusters 2>/dev/null | grep -qx "$cluster"; then
  step "creating kind cluster $cluster"
  kind create cluster --name "$cluster" --wait 120s
fi
"$kubectl" config use-context "kind-$cluster" >/dev/null

# The images are built as on machines without Docker (buildah, scripts/lib/images.sh: the services
# and the local database images dev.yaml names), then handed to kind as archives.
command -v buildah >/dev/null || die "buildah is needed to build the images (apt-get install buildah)"
step "building the images (bash scripts/ums.sh images build)"
bash "$root/scripts/ums.sh" images build
for ref in $(bash "$root/scripts/ums.sh" images list | awk '$3 != "(not" {print $2}'); do
  archive="$(mktemp --suffix=.tar)"
  buildah push --quiet "$ref" "docker-archive:$archive:$ref" >/dev/null
  kind load image-archive "$archive" --name "$cluster"
  rm -f "$archive"
done

step "installing the CRD, RBAC and operator"
"$kubectl" apply --server-side -f "$root/operator/config/manager/namespace.yaml"
"$kubectl" apply --server-side -f "$root/operator/config/crd" -f "$root/operator/config/rbac"
"$kubectl" wait --for=condition=Established --timeout=60s crd/usermanagementinstances.platform.ums.dev
"$kubectl" apply --server-side -f "$root/operator/config/manager/deployment.yaml"
"$kubectl" -n ums-system set image deployment/ums-operator "operator=ums/operator:$tag"
"$kubectl" -n ums-system rollout status deployment/ums-operator --timeout=180s

step "applying the dev instance"
"$kubectl" create namespace user-management-dev --dry-run=client -o yaml | "$kubectl" apply -f -
"$kubectl" apply -f "$root/operator/examples/dev.yaml"
"$kubectl" -n user-management-dev wait umi/dev --for=condition=Ready --timeout=600s \
  || { "$kubectl" -n user-management-dev describe umi/dev; die "the dev instance did not become Ready"; }
"$kubectl" -n user-management-dev get umi
printf '\nOpen the app: kubectl -n user-management-dev port-forward svc/dev-web 3000:80\n'
