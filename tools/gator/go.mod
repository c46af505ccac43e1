// Pins gator, Gatekeeper's policy test CLI, at the release of the Gatekeeper
// chart the catalogue installs (chart 3.23.0; v3.23.1 is the 3.23 patch release
// the Go module proxy serves).
module gitops-platform/tools/gator

go 1.25

require github.com/open-policy-agent/gatekeeper/v3 v3.23.1
