#!/usr/bin/env bash
# bench/suites/sites.sh — the sites service's benchmark (run by `make bench`
# after the gateway's): backup and restore of a site with 1 GiB in 10,000
# files against `tar | gzip` of the same tree, and sb lists by term over
# 100,000 sites in PostgreSQL, through the gateway (auth and gateway
# started with an API key of their own) and straight to the service. See
# bench/sites/main.go.
#
# Knobs: BENCH_SITES_BYTES (1073741824), BENCH_SITES_FILES (10000),
# BENCH_SITES_ROUNDS (2), BENCH_SITES_COUNT (100000), BENCH_SITES_REQUESTS
# (2000), BENCH_SITES_WRITE_EVERY (100: a site written before every 100th
# list request, untimed; 0: never), BENCH_SITES_LIST_ONLY=1 (the lists
# alone, no backup), BENCH_QUICK=1 (64 MiB, 1,000 files, 10,000 sites, 300
# requests),
# HOSTPLANE_BIN, HOSTPLANE_TEST_DATABASE_URL (PostgreSQL admin URL),
# HOSTPLANE_TEST_REDIS_URL (the gateway's Redis).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
ROOT=$PWD
BIN=${HOSTPLANE_BIN:-$ROOT/bin/hostplane}
[ -x "$BIN" ] || { echo "sites.sh: $BIN missing (run make build)" >&2; exit 1; }
bash "$ROOT/deploy/local/infra.sh" up >&2 || true

if [ "${BENCH_QUICK:-0}" = 1 ]; then
  BYTES=${BENCH_SITES_BYTES:-67108864}; FILES=${BENCH_SITES_FILES:-1000}; COUNT=${BENCH_SITES_COUNT:-10000}; REQ=${BENCH_SITES_REQUESTS:-300}
else
  BYTES=${BENCH_SITES_BYTES:-1073741824}; FILES=${BENCH_SITES_FILES:-10000}; COUNT=${BENCH_SITES_COUNT:-100000}; REQ=${BENCH_SITES_REQUESTS:-2000}
fi
ROUNDS=${BENCH_SITES_ROUNDS:-2}
SKIP=()
if [ "${BENCH_SITES_LIST_ONLY:-0}" = 1 ]; then SKIP=(-skip-backup); BYTES=0; fi
WORK=$(mktemp -d /tmp/hostplane-bench-sites.XXXXXX)
trap 'rm -rf "$WORK"' EXIT INT TERM

# The tree, one archive of each kind and a restore's copy: about 3.5 times
# the tree's size at the peak. Refuse to start without room for it.
need_kb=$(( BYTES / 1024 * 4 ))
free_kb=$(df -Pk "$WORK" | awk 'NR==2 {print $4}')
if [ "$free_kb" -lt "$need_kb" ]; then
  echo "sites.sh: $((free_kb / 1024)) MiB free under $WORK, need $((need_kb / 1024)) MiB" >&2
  exit 1
fi

mkdir -p "$ROOT/bench/results"
go build -o "$WORK/bench-sites" ./bench/sites
"$WORK/bench-sites" -bin "$BIN" -work "$WORK/run" \
  -db "${HOSTPLANE_TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable}" \
  -redis "${HOSTPLANE_TEST_REDIS_URL:-redis://127.0.0.1:6379/0}" \
  -bytes "$BYTES" -files "$FILES" -rounds "$ROUNDS" -sites "$COUNT" -requests "$REQ" \
  -write-every "${BENCH_SITES_WRITE_EVERY:-100}" "${SKIP[@]}" | tee "$ROOT/bench/results/sites-latest.txt"
