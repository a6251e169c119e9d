#!/usr/bin/env bash
# bench/suites/tenancy.sh — the tenancy service's benchmark (issue 5), run by
# `make bench` after the gateway's, or on its own:
#
#   (1) bootstrap of a site with 100 MiB in its tables, from the request to
#       ready (role, database, COPY with checksums, files, drop under lock,
#       routing, verification), next to `pg_dump -t 's1_*' | psql` of the
#       same tables into an empty database on the same server (made
#       beforehand, untimed; its CREATE DATABASE is shown aside); target: no
#       slower. Each contender starts after a CHECKPOINT of the servers, so
#       that neither pays for what the other left dirty;
#   (2) 100 tenants bootstrapped at once, then deleted at once: every one
#       ready, no failure, nothing left.
#
# bench/tenancy runs bin/hostplane tenancy as its own process against the
# machine's PostgreSQL (and the second server on 5433 when it answers, for
# placement) with a fake sites service, and drops every database and role
# it made at the end. Disk: about 4 times the site's size at the peak.
#
# Knobs: BENCH_TENANCY_MB (100), BENCH_TENANCY_ROUNDS (5),
# BENCH_TENANCY_TENANTS (100), BENCH_TENANCY_WORKERS (4), BENCH_QUICK=1
# (20 MiB, 1 round, 20 tenants), HOSTPLANE_BIN, HOSTPLANE_TEST_DATABASE_URL
# and HOSTPLANE_TEST_DATABASE2_URL (admin URLs of the two servers),
# CONSUL_HTTP_ADDR (routing entries in Consul when set).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
ROOT=$PWD
BIN=${HOSTPLANE_BIN:-$ROOT/bin/hostplane}
[ -x "$BIN" ] || { echo "tenancy.sh: $BIN missing (run make build)" >&2; exit 1; }
for c in pg_dump psql go; do command -v $c >/dev/null || { echo "tenancy.sh: missing $c" >&2; exit 1; }; done
bash "$ROOT/deploy/local/infra.sh" up >&2 || true

if [ "${BENCH_QUICK:-0}" = 1 ]; then
  MB=${BENCH_TENANCY_MB:-20}; ROUNDS=${BENCH_TENANCY_ROUNDS:-1}; TENANTS=${BENCH_TENANCY_TENANTS:-20}
else
  MB=${BENCH_TENANCY_MB:-100}; ROUNDS=${BENCH_TENANCY_ROUNDS:-5}; TENANTS=${BENCH_TENANCY_TENANTS:-100}
fi
WORKERS=${BENCH_TENANCY_WORKERS:-4}
WORK=$(mktemp -d /tmp/hostplane-bench-tenancy.XXXXXX)
trap 'rm -rf "$WORK"' EXIT INT TERM

need_kb=$(( MB * 1024 * 4 + 2 * 1024 * 1024 ))
free_kb=$(df -Pk "$WORK" | awk 'NR==2 {print $4}')
if [ "$free_kb" -lt "$need_kb" ]; then
  echo "tenancy.sh: $((free_kb / 1024)) MiB free, need $((need_kb / 1024)) MiB" >&2
  exit 1
fi

mkdir -p "$ROOT/bench/results"
go build -o "$WORK/bench-tenancy" ./bench/tenancy
consul=${CONSUL_HTTP_ADDR:-}
if [ -z "$consul" ] && curl -fsS -m 2 http://127.0.0.1:8500/v1/status/leader >/dev/null 2>&1; then consul=127.0.0.1:8500; fi
{
  echo "tenancy benchmark, $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, $(uname -sr)"
  timeout 3600 "$WORK/bench-tenancy" -bin "$BIN" -work "$WORK/run" -consul "$consul" \
    -admin "${HOSTPLANE_TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable}" \
    -admin2 "${HOSTPLANE_TEST_DATABASE2_URL:-postgres://postgres@127.0.0.1:5433/postgres?sslmode=disable}" \
    -mb "$MB" -rounds "$ROUNDS" -tenants "$TENANTS" -workers "$WORKERS"
} | tee "$ROOT/bench/results/tenancy-latest.txt"
