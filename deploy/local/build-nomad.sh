#!/usr/bin/env bash
# build-nomad.sh builds HashiCorp Nomad v1.6.3 (the last open-source line served)
# from the Go module proxy into a cache directory, once, and prints the binary path.
# Tests use it for `nomad job validate` and `nomad fmt -check`; no agent is needed.
# Never change the version to v1.7.0 or later (not open source).
set -euo pipefail

VERSION=v1.6.3
# The nomad/api pseudo-version that matches v1.6.3 (its replace points at ./api,
# which a module download does not carry).
API_VERSION=v0.0.0-20231030125810-e0497bff1437
CACHE=${HOSTPLANE_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/hostplane/tools}
BIN=$CACHE/nomad-$VERSION/nomad

if [ -x "$BIN" ] && "$BIN" version 2>/dev/null | grep -q "Nomad $VERSION"; then
  echo "$BIN"
  exit 0
fi

mkdir -p "$CACHE"
work=$(mktemp -d)
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT

echo "building Nomad $VERSION from the Go module proxy (about 3 min cold)..." >&2
dir=$(cd "$work" && GOWORK=off GOFLAGS=-mod=mod go mod download -json "github.com/hashicorp/nomad@$VERSION" \
  | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
[ -n "$dir" ] || { echo "build-nomad: module download failed" >&2; exit 1; }
cp -r "$dir" "$work/src"
chmod -R u+w "$work/src"
cd "$work/src"
go mod edit -dropreplace=github.com/hashicorp/nomad/api
go mod edit -require="github.com/hashicorp/nomad/api@$API_VERSION"
mkdir -p "$(dirname "$BIN")"
GOWORK=off CGO_ENABLED=1 GOFLAGS=-mod=mod go build -mod=mod -trimpath -ldflags='-s -w' -o "$BIN.tmp" . >&2
mv "$BIN.tmp" "$BIN"
"$BIN" version | head -1 >&2
echo "$BIN"
