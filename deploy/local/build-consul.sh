#!/usr/bin/env bash
# build-consul.sh builds HashiCorp Consul v1.16.6 (the last MPL-licensed release)
# from the Go module proxy into a cache directory, once, and prints the binary path.
# Never change the version to a later, non-open-source release.
set -euo pipefail

VERSION=v1.16.6
CACHE=${HOSTPLANE_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/hostplane/tools}
BIN=$CACHE/consul-$VERSION/consul

if [ -x "$BIN" ] && "$BIN" version 2>/dev/null | grep -q "Consul $VERSION"; then
  echo "$BIN"
  exit 0
fi

mkdir -p "$CACHE"
work=$(mktemp -d)
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT

echo "building Consul $VERSION from the Go module proxy (about 5 min cold)..." >&2
dir=$(cd "$work" && GOFLAGS=-mod=mod go mod download -json "github.com/hashicorp/consul@$VERSION" \
  | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
[ -n "$dir" ] || { echo "build-consul: module download failed" >&2; exit 1; }
cp -r "$dir" "$work/src"
chmod -R u+w "$work/src"
cd "$work/src"
for m in api sdk envoyextensions proto-public troubleshoot; do
  go mod edit -dropreplace="github.com/hashicorp/consul/$m"
done
go mod edit \
  -require=github.com/hashicorp/consul/envoyextensions@v0.5.1 \
  -require=github.com/hashicorp/consul/troubleshoot@v0.5.2 \
  -replace=github.com/hashicorp/consul/api=github.com/hashicorp/consul/api@v1.25.1 \
  -replace=golang.org/x/exp=golang.org/x/exp@v0.0.0-20230321023759-10a507213a29
mkdir -p "$(dirname "$BIN")"
GOWORK=off CGO_ENABLED=0 GOFLAGS=-mod=mod go build -trimpath -ldflags='-s -w' -o "$BIN.tmp" . >&2
mv "$BIN.tmp" "$BIN"
"$BIN" version | head -1 >&2
echo "$BIN"
