#!/usr/bin/env bash
# stack.sh runs every Hostplane component as its own process against real
# PostgreSQL, Redis and Consul (started by infra.sh when missing): the
# multi-process layout of production on one machine. Ctrl-C stops it all.
#
# Environment: HOSTPLANE_DATABASE_URL, HOSTPLANE_REDIS_URL, CONSUL_HTTP_ADDR,
# HOSTPLANE_ROOT_API_KEY / HOSTPLANE_ROOT_API_SECRET override the defaults.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
bin=${HOSTPLANE_BIN:-$root/bin/hostplane}
[ -x "$bin" ] || { echo "stack.sh: $bin missing (run make build)" >&2; exit 1; }

bash "$root/deploy/local/infra.sh" up

rand() { head -c "$1" /dev/urandom | od -An -tx1 | tr -d ' \n'; }
export HOSTPLANE_DATABASE_URL=${HOSTPLANE_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable}
export HOSTPLANE_REDIS_URL=${HOSTPLANE_REDIS_URL:-redis://127.0.0.1:6379/0}
export CONSUL_HTTP_ADDR=${CONSUL_HTTP_ADDR:-127.0.0.1:8500}
export HOSTPLANE_INTERNAL_SECRET=${HOSTPLANE_INTERNAL_SECRET:-$(rand 24)}
export HOSTPLANE_ROOT_API_KEY=${HOSTPLANE_ROOT_API_KEY:-hp_root_$(rand 6)}
export HOSTPLANE_ROOT_API_SECRET=${HOSTPLANE_ROOT_API_SECRET:-$(rand 24)}
# Site files and backups, and the tenancy key (kept, so the tenant
# passwords stored in PostgreSQL open again after a restart).
state=${XDG_STATE_HOME:-$HOME/.local/state}/hostplane
mkdir -p "$state" && chmod 700 "$state"
export HOSTPLANE_DATA_DIR=${HOSTPLANE_DATA_DIR:-$state/stack-data}
mkdir -p "$HOSTPLANE_DATA_DIR"
if [ -z "${HOSTPLANE_TENANCY_KEY:-}" ]; then
  [ -s "$state/stack-tenancy.key" ] || (umask 077 && rand 32 >"$state/stack-tenancy.key")
  HOSTPLANE_TENANCY_KEY=$(cat "$state/stack-tenancy.key")
  export HOSTPLANE_TENANCY_KEY
fi

logs=${XDG_CACHE_HOME:-$HOME/.cache}/hostplane/stack
mkdir -p "$logs"
pids=()
stop() {
  trap - INT TERM EXIT
  echo "stopping..." >&2
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop INT TERM EXIT

"$bin" migrate >>"$logs/migrate.log" 2>&1 || { echo "stack.sh: migrate failed, see $logs/migrate.log" >&2; exit 1; }

start() { # name addr
  "$bin" "$1" --addr="$2" >>"$logs/$1-${2##*:}.log" 2>&1 &
  pids+=($!)
}
start auth 127.0.0.1:8081
start billing 127.0.0.1:8082
start billing 127.0.0.1:8092
start sites 127.0.0.1:8083
start tenancy 127.0.0.1:8084
start stats 127.0.0.1:8085
start gateway 127.0.0.1:8080

for _ in $(seq 1 100); do
  curl -fsS -o /dev/null http://127.0.0.1:8080/readyz 2>/dev/null && break
  sleep 0.2
done

cat <<MSG

Hostplane stack is running: each component its own process, registered in Consul at $CONSUL_HTTP_ADDR.
  gateway  http://127.0.0.1:8080   (logs in $logs)
  root key HOSTPLANE_ROOT_API_KEY=$HOSTPLANE_ROOT_API_KEY HOSTPLANE_ROOT_API_SECRET=$HOSTPLANE_ROOT_API_SECRET

  curl -u '$HOSTPLANE_ROOT_API_KEY:$HOSTPLANE_ROOT_API_SECRET' http://127.0.0.1:8080/wp-json/wu/v2/customers

Ctrl-C stops every component.
MSG
wait
