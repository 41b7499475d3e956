// The Prometheus Operator's CRDs are generated here as its own Makefile does (generate-crds:
// controller-gen over pkg/apis/monitoring/v1 and v1alpha1): the module proxy serves the API
// module at v0.95, the repository's root module (with example/prometheus-operator-crd) only up
// to v0.85. scripts/lib/gitops.sh (ensure_gitops_crds) runs it.
package tools

import (
	_ "github.com/prometheus-operator/prometheus-operator/pkg/apis/monitoring/v1"
	_ "github.com/prometheus-operator/prometheus-operator/pkg/apis/monitoring/v1alpha1"
)
