//go:build tools

// Package tools pins the gator command for `go build`.
package tools

import _ "github.com/open-policy-agent/gatekeeper/v3/cmd/gator"
