//go:build tools

// Package tools pins Argo CD v3: its go.mod has replace directives (the Kubernetes staging
// modules and a few others), which `go install pkg@version` refuses, so this module copies them.
// The one binary is all of Argo CD's commands, chosen by the name it is called with
// (argocd-application-controller, argocd-repo-server, argocd).
// Argo CD v3.6 needs Go 1.27: scripts/lib/argocd.sh sets GOTOOLCHAIN=go1.27.3 for this module only.
package tools

import _ "github.com/argoproj/argo-cd/v3/cmd"
