//go:build tools

// Package tools pins the kine command for `go build`.
package tools

import _ "github.com/k3s-io/kine"
