//go:build tools

// Package tools pins the kubectl command for `go build`.
package tools

import _ "k8s.io/kubernetes/cmd/kubectl"
