#!/usr/bin/env bash
# Builds (or finds) the external tools the verification tests run, and links
# them into .tools/bin/ for the tests (test/support/tools.ts).
#
#   Go tools:  each built from the Go module proxy at the versions pinned by its
#              wrapper module tools/<tool>/go.mod (+ go.sum): actionlint, gator,
#              helm, kine, kube-apiserver, kubectl, kustomize, tofu. One mechanism for all: a
#              wrapper module, `go build -trimpath -ldflags='-s -w'`, and a cache
#              outside the repository under
#              ${GITOPS_TOOLS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/gitops-platform-tools}/<tool>-<version>-<go.mod+go.sum hash>/
#              so a second run does not rebuild. Builds run two at a time.
#   promtool:  Debian's `prometheus` package; installed here when CI=true,
#              running as root and missing.
#   providers: the terraform-provider-helm and terraform-provider-kubernetes
#              releases that stacks/ pins, as an OpenTofu filesystem mirror
#              named by GITOPS_PROVIDER_MIRROR (see tools/README.md); linked
#              into .tools/providers when it holds both.
#   python3:   runs the compliance report script in its test; Debian's
#              `python3-minimal`, installed the same way.
#
# Without Go (or promtool) this prints one line per tool it cannot provide and
# exits 0: the tests then skip that tool, naming it. With CI=true a tool that
# cannot be built or found fails this script, and so `npm test`.
set -uo pipefail
cd "$(dirname "$0")/.."

cache="${GITOPS_TOOLS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/gitops-platform-tools}"
links=".tools/bin"
mkdir -p "$links" .tools/log
ci="${CI:-}"
failed=0
parallel="${GITOPS_TOOLS_JOBS:-2}"

fail_or_skip() { # tool, reason
  if [ "$ci" = "true" ]; then
    echo "tools: $1: $2" >&2
    failed=1
  else
    echo "tools: skipping $1: $2"
  fi
  rm -f "$links/$1"
}

# Go tools: name and the package its wrapper module tools/<name>/ builds.
GO_TOOLS=(
  "actionlint github.com/rhysd/actionlint/cmd/actionlint"
  "gator github.com/open-policy-agent/gatekeeper/v3/cmd/gator"
  "helm helm.sh/helm/v4/cmd/helm"
  "kine github.com/k3s-io/kine"
  "kube-apiserver k8s.io/kubernetes/cmd/kube-apiserver"
  "kubectl k8s.io/kubernetes/cmd/kubectl"
  "kustomize sigs.k8s.io/kustomize/kustomize/v5"
  "tofu github.com/opentofu/opentofu/cmd/tofu"
)

# The cached binary of tool NAME: <cache>/<name>-<version>-<hash>/<name>.
go_target() {
  local dir="tools/$1" version hash
  version="$(awk '/^require /{print $3; exit}' "$dir/go.mod")"
  hash="$(cat "$dir/go.mod" "$dir/go.sum" | sha256sum | cut -c1-12)"
  echo "$cache/$1-$version-$hash/$1"
}

# Builds NAME's PACKAGE into its cache folder; the log goes to .tools/log/NAME.log.
go_build() {
  local name="$1" pkg="$2" target="$3" start=$SECONDS
  mkdir -p "$(dirname "$target")"
  if (cd "tools/$name" && CGO_ENABLED=0 GOFLAGS=-mod=readonly go build -p 2 -trimpath -ldflags='-s -w' -o "$target.tmp" "$pkg") >".tools/log/$name.log" 2>&1; then
    mv "$target.tmp" "$target"
    echo "tools: built $name in $((SECONDS - start))s"
  else
    rm -f "$target.tmp"
    tail -n 5 ".tools/log/$name.log" | sed "s/^/tools: $name: /" >&2
  fi
}

if ! command -v go >/dev/null 2>&1; then
  for entry in "${GO_TOOLS[@]}"; do
    name="${entry%% *}"
    fail_or_skip "$name" "Go is not installed (install Go >= 1.26, then npm test builds it from tools/$name/go.mod)"
  done
else
  start=$SECONDS
  building=()
  for entry in "${GO_TOOLS[@]}"; do
    name="${entry%% *}" pkg="${entry#* }" target="$(go_target "${entry%% *}")"
    [ -x "$target" ] && continue
    echo "tools: building $name $(awk '/^require /{print $3; exit}' "tools/$name/go.mod") into $target"
    building+=("$name")
    while [ "$(jobs -rp | wc -l)" -ge "$parallel" ]; do wait -n; done
    go_build "$name" "$pkg" "$target" &
  done
  wait
  [ "${#building[@]}" -gt 0 ] && echo "tools: built ${building[*]} in $((SECONDS - start))s"
  for entry in "${GO_TOOLS[@]}"; do
    name="${entry%% *}" target="$(go_target "$name")"
    if [ -x "$target" ]; then
      ln -sfn "$target" "$links/$name"
    else
      fail_or_skip "$name" "go build of tools/$name failed (log: .tools/log/$name.log)"
    fi
  done
fi

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
# The providers' filesystem mirror: linked when it holds the pinned releases.
rm -f .tools/providers
if [ -n "${GITOPS_PROVIDER_MIRROR:-}" ]; then
  missing=""
  for p in helm kubernetes; do
    ls "$GITOPS_PROVIDER_MIRROR"/*/hashicorp/"$p"/ >/dev/null 2>&1 || missing="$missing $p"
  done
  if [ -z "$missing" ]; then
    ln -sfn "$(cd "$GITOPS_PROVIDER_MIRROR" && pwd)" .tools/providers
  else
    echo "tools: GITOPS_PROVIDER_MIRROR has no provider:$missing" >&2
  fi
fi

exit "$failed"
