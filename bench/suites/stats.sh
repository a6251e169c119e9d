#!/usr/bin/env bash
# bench/suites/stats.sh — the stats service's benchmark (run by `make bench`
# after the gateway's): through the real gateway, ingestion of batches of
# 1,000 front-office events into PostgreSQL (target >= 50,000 events/s),
# the 366-day report of a site holding 10 million events (target p99 <
# 20 ms) and live visitors for 100,000 visitor ids (target p99 < 5 ms).
# See bench/stats/main.go.
#
# Knobs: BENCH_STATS_DURATION (60s), BENCH_STATS_EVENTS (10000000),
# BENCH_STATS_WORKERS (8), BENCH_STATS_REQUESTS (2000), BENCH_QUICK=1 (15 s,
# 1,000,000 events, 300 requests), HOSTPLANE_BIN, HOSTPLANE_TEST_DATABASE_URL
# (PostgreSQL admin URL), HOSTPLANE_TEST_REDIS_URL.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
ROOT=$PWD
BIN=${HOSTPLANE_BIN:-$ROOT/bin/hostplane}
[ -x "$BIN" ] || { echo "stats.sh: $BIN missing (run make build)" >&2; exit 1; }
bash "$ROOT/deploy/local/infra.sh" up >&2 || true

if [ "${BENCH_QUICK:-0}" = 1 ]; then
  DURATION=${BENCH_STATS_DURATION:-15s}; EVENTS=${BENCH_STATS_EVENTS:-1000000}; REQ=${BENCH_STATS_REQUESTS:-300}
else
  DURATION=${BENCH_STATS_DURATION:-60s}; EVENTS=${BENCH_STATS_EVENTS:-10000000}; REQ=${BENCH_STATS_REQUESTS:-2000}
fi
WORK=$(mktemp -d /tmp/hostplane-bench-stats.XXXXXX)
trap 'rm -rf "$WORK"' EXIT INT TERM

# 10 million events take about 1.5 GB in PostgreSQL (raw log, rollups),
# dropped at the end.
mkdir -p "$ROOT/bench/results"
go build -o "$WORK/bench-stats" ./bench/stats
"$WORK/bench-stats" -bin "$BIN" \
  -db "${HOSTPLANE_TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable}" \
  -redis "${HOSTPLANE_TEST_REDIS_URL:-redis://127.0.0.1:6379/0}" \
  -workers "${BENCH_STATS_WORKERS:-8}" -duration "$DURATION" -events "$EVENTS" \
  -reports "$REQ" -lives "$REQ" -visitors 100000 | tee "$ROOT/bench/results/stats-latest.txt"
