//go:build tools

// Package tools pins the tofu command for `go build`.
package tools

import _ "github.com/opentofu/opentofu/cmd/tofu"
