#!/usr/bin/env bash
# Builds (or finds) the external tools the verification tests run, and links
# them into .tools/bin/ for the tests (test/support/tools.ts).
#
#   gator, helm: built from the Go module proxy at the versions pinned by the
#                wrapper modules tools/<tool>/go.mod (+ go.sum), cached outside
#                the repository under
#                ${GITOPS_TOOLS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/gitops-platform-tools}/<tool>-<version>-<go.sum hash>/
#                so a second run does not rebuild.
#   promtool:    Debian's `prometheus` package; installed here when CI=true,
#                running as root and missing.
#   python3:     runs the compliance report script in its test; Debian's
#                `python3-minimal`, installed the same way.
#
# Without Go (or promtool) this prints one line per tool it cannot provide and
# exits 0: the tests then skip that tool, naming it. With CI=true a tool that
# cannot be built or found fails this script, and so `npm test`.
set -uo pipefail
cd "$(dirname "$0")/.."

cache="${GITOPS_TOOLS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/gitops-platform-tools}"
links=".tools/bin"
mkdir -p "$links"
ci="${CI:-}"
failed=0

fail_or_skip() { # tool, reason
  if [ "$ci" = "true" ]; then
    echo "tools: $1: $2" >&2
    failed=1
  else
    echo "tools: skipping $1: $2"
  fi
  rm -f "$links/$1"
}

# go_tool NAME PACKAGE: builds PACKAGE from the wrapper module tools/NAME.
go_tool() {
  local name="$1" pkg="$2" dir="tools/$1"
  if ! command -v go >/dev/null 2>&1; then
    fail_or_skip "$name" "Go is not installed (install Go >= 1.26, then npm test builds it from tools/$name/go.mod)"
    return
  fi
  local module version hash target
  module="$(awk '/^require /{print $2; exit}' "$dir/go.mod")"
  version="$(awk '/^require /{print $3; exit}' "$dir/go.mod")"
  hash="$(sha256sum "$dir/go.sum" | cut -c1-12)"
  target="$cache/$name-$version-$hash/$name"
  if [ ! -x "$target" ]; then
    echo "tools: building $name $version ($module) into $target"
    local start=$SECONDS
    mkdir -p "$(dirname "$target")"
    if ! (cd "$dir" && CGO_ENABLED=0 GOFLAGS=-mod=readonly go build -trimpath -ldflags='-s -w' -o "$target.tmp" "$pkg"); then
      rm -f "$target.tmp"
      fail_or_skip "$name" "go build of $module $version failed"
      return
    fi
    mv "$target.tmp" "$target"
    echo "tools: built $name $version in $((SECONDS - start))s"
  fi
  ln -sfn "$target" "$links/$name"
}

go_tool gator github.com/open-policy-agent/gatekeeper/v3/cmd/gator
go_tool helm helm.sh/helm/v4/cmd/helm

if ! command -v promtool >/dev/null 2>&1 && [ "$ci" = "true" ] && [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "tools: installing promtool (Debian package prometheus)"
  apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus >/dev/null
fi
if command -v promtool >/dev/null 2>&1; then
  ln -sfn "$(command -v promtool)" "$links/promtool"
else
  fail_or_skip promtool "not installed (Debian: apt-get install prometheus)"
fi

if ! command -v python3 >/dev/null 2>&1 && [ "$ci" = "true" ] && [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "tools: installing python3 (Debian package python3-minimal)"
  apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-minimal >/dev/null
fi
if command -v python3 >/dev/null 2>&1; then
  ln -sfn "$(command -v python3)" "$links/python3"
else
  fail_or_skip python3 "not installed (Debian: apt-get install python3-minimal)"
fi

exit "$failed"
