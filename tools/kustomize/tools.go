//go:build tools

// Package tools pins the kustomize command for `go build`.
package tools

import _ "sigs.k8s.io/kustomize/kustomize/v5"
