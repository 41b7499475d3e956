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

# Images whose sources do not exist yet (a service still being written) are skipped with a note;
# the instance then waits for them (ImagePullBackOff) rather than failing the whole script.
for image in operator auth profile web; do
  case "$image" in
    operator) src="$root/operator" ;;
    web) src="$root/web/package.json" ;;
    *) src="$root/services/$image/src" ;;
  esac
  if [ ! -e "$src" ]; then
    printf 'kind:up: skipping the %s image: %s does not exist yet\n' "$image" "${src#"$root/"}" >&2
    continue
  fi
  step "building ums/$image:$tag"
  # The web image lives with its nginx config and the tests that run it (web/Dockerfile).
  dockerfile="$root/operator/docker/$image.Dockerfile"
  [ "$image" = web ] && dockerfile="$root/web/Dockerfile"
  docker build -f "$dockerfile" -t "ums/$image:$tag" "$root"
  kind load docker-image "ums/$image:$tag" --name "$cluster"
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
