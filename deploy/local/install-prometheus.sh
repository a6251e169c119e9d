#!/usr/bin/env bash
# install-prometheus.sh prints the path of a promtool that can check
# observability/prometheus: it installs the Debian package `prometheus` when
# no promtool is on PATH, and, when that promtool was built without Consul
# service discovery (Debian's is: "field consul_sd_configs not found"),
# builds promtool of the Prometheus release the compose file runs from the
# Go module proxy into a cache directory, once (a few minutes cold).
set -euo pipefail

VERSION=v2.54.1
MODULE_VERSION=v0.54.1 # github.com/prometheus/prometheus tags v2.x.y as v0.x.y
CACHE=${HOSTPLANE_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/hostplane/tools}
BIN=$CACHE/promtool-$VERSION/promtool

# supports_consul tells whether promtool $1 knows consul_sd_configs.
supports_consul() {
  local dir
  dir=$(mktemp -d)
  printf 'scrape_configs:\n  - job_name: probe\n    consul_sd_configs:\n      - server: 127.0.0.1:8500\n' >"$dir/p.yml"
  "$1" check config --syntax-only "$dir/p.yml" >/dev/null 2>&1
  local rc=$?
  rm -rf "$dir"
  return $rc
}

if [ -x "$BIN" ]; then
  echo "$BIN"
  exit 0
fi
if ! command -v promtool >/dev/null; then
  echo "installing the Debian package prometheus (promtool)..." >&2
  if [ "$(id -u)" = 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends prometheus >&2 ||
      { apt-get update >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends prometheus >&2; }
  else
    sudo DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends prometheus >&2
  fi
fi
if command -v promtool >/dev/null && supports_consul "$(command -v promtool)"; then
  command -v promtool
  exit 0
fi

echo "promtool lacks Consul service discovery: building promtool $VERSION from the Go module proxy..." >&2
work=$(mktemp -d)
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
dir=$(cd "$work" && GOWORK=off GOFLAGS=-mod=mod go mod download -json "github.com/prometheus/prometheus@$MODULE_VERSION" |
  sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
[ -n "$dir" ] || { echo "install-prometheus: module download failed" >&2; exit 1; }
cp -r "$dir" "$work/src"
chmod -R u+w "$work/src"
mkdir -p "$(dirname "$BIN")"
(cd "$work/src" && GOWORK=off CGO_ENABLED=0 GOFLAGS=-mod=mod go build -trimpath -ldflags='-s -w' -o "$BIN.tmp" ./cmd/promtool >&2)
mv "$BIN.tmp" "$BIN"
"$BIN" --version 2>&1 | head -1 >&2
echo "$BIN"
