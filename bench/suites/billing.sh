#!/usr/bin/env bash
# bench/suites/billing.sh — the billing service's performance targets (issue 3),
# run by `make bench` after the gateway bench, or on its own:
#
#   (1) with 1,000,000 customers in PostgreSQL, GET /wp-json/wu/v2/customers
#       page 1 and page 500 with search and orderby: p99 under 20 ms each;
#   (2) POST /wp-json/wu/v2/register through the gateway: at least 300/s
#       with p99 under 50 ms.
#
# It starts Redis (its own, on a free port), auth, billing (PostgreSQL, a
# database of its own on the machine's server), sites, tenancy, stats and
# the gateway from bin/hostplane as separate processes, seeds the customers
# straight in SQL (bench/billing/seed), measures the lists in open loop with
# bench/load through the gateway and straight to billing (signed headers),
# new searches (a share of first-time terms) with bench/billing/search,
# then registrations with bench/billing/register: closed loop (peak) and
# open loop at the target rate, first with the default Argon2id cost
# (m=7 MiB, t=5), then with a cheaper one to show what the hash costs.
# Every process it starts is stopped on exit; all load goes to 127.0.0.1 and
# every run is bounded in time.
#
# Knobs (environment):
#   BENCH_BILLING_CUSTOMERS=1000000   customers to seed
#   BENCH_BILLING_ADMIN_URL           a PostgreSQL server to use (admin URL). Unset: a server of the
#                                     bench's own (initdb, shared_buffers=1GB, on a free port, removed
#                                     at the end) when the PostgreSQL binaries are here and the bench
#                                     runs as root; else the machine's 127.0.0.1:5432
#   BENCH_BILLING_REUSE=1             keep the seeded database between runs (default: drop it at the end)
#   BENCH_BILLING_DBNAME=hostplane_bench_billing   the database's name
#   BENCH_BILLING_REGISTER=0          skip the registrations (2)
#   BENCH_BILLING_LIST_SECONDS=15 BENCH_BILLING_LIST_RATE=20   per list scenario (open loop)
#   BENCH_BILLING_REGISTER_SECONDS=15 BENCH_BILLING_REGISTER_RATE=300 BENCH_BILLING_REGISTER_CONNS=32
#   BENCH_BILLING_CHEAP_ARGON2="1024 1"   memory (KiB) and passes of the cheaper run ("" skips it)
#   BENCH_QUICK=1                     short runs, 100,000 customers
#   HOSTPLANE_BIN                     the binary (default bin/hostplane)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."
ROOT=$PWD
BIN=${HOSTPLANE_BIN:-$ROOT/bin/hostplane}
QUICK=${BENCH_QUICK:-0}
if [ "$QUICK" = 1 ]; then
  N=${BENCH_BILLING_CUSTOMERS:-100000}; LIST_S=${BENCH_BILLING_LIST_SECONDS:-5}; REG_S=${BENCH_BILLING_REGISTER_SECONDS:-5}
else
  N=${BENCH_BILLING_CUSTOMERS:-1000000}; LIST_S=${BENCH_BILLING_LIST_SECONDS:-15}; REG_S=${BENCH_BILLING_REGISTER_SECONDS:-15}
fi
LIST_RATE=${BENCH_BILLING_LIST_RATE:-20}
REG_RATE=${BENCH_BILLING_REGISTER_RATE:-300}
REG_CONNS=${BENCH_BILLING_REGISTER_CONNS:-32}
CHEAP=${BENCH_BILLING_CHEAP_ARGON2-1024 1}
DBNAME=${BENCH_BILLING_DBNAME:-hostplane_bench_billing}
REGISTER=${BENCH_BILLING_REGISTER:-1}

say() { printf '[bench billing %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { say "FAILED: $*"; exit 1; }
for c in redis-server psql curl go; do command -v $c >/dev/null || die "missing $c"; done

WORK=$(mktemp -d /tmp/hostplane-bench-billing.XXXXXX)
LOGS=$WORK/logs TOOLS=$WORK/tools RAW=$WORK/raw
mkdir -p "$LOGS" "$TOOLS" "$RAW" "$WORK/data"
declare -A PID=()
cleanup() {
  local rc=$?
  set +e
  trap - EXIT INT TERM
  local pids=()
  for n in "${!PID[@]}"; do pids+=("${PID[$n]}"); done
  [ ${#pids[@]} -gt 0 ] && kill -TERM "${pids[@]}" 2>/dev/null
  for _ in $(seq 50); do
    local alive=0
    for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && alive=1; done
    [ $alive = 0 ] && break
    sleep 0.1
  done
  for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && kill -KILL "$p" 2>/dev/null; done
  wait 2>/dev/null
  if [ -n "${OWN_PG:-}" ]; then
    runuser -u postgres -- "$PGBIN/pg_ctl" -D "$OWN_PG/data" stop -m fast >/dev/null 2>&1
    rm -rf "$OWN_PG"
  elif [ "${BENCH_BILLING_REUSE:-0}" != 1 ] && [ -n "${ADMIN:-}" ]; then
    psql "$ADMIN" -qc "DROP DATABASE IF EXISTS $DBNAME WITH (FORCE)" >/dev/null 2>&1
  fi
  mkdir -p "$ROOT/bench/results"
  rm -rf "$ROOT/bench/results/billing-raw" && cp -r "$RAW" "$ROOT/bench/results/billing-raw" 2>/dev/null && cp -r "$LOGS" "$ROOT/bench/results/billing-raw/logs" 2>/dev/null
  rm -rf "$WORK"
  [ $rc = 0 ] || say "exit status $rc (logs in bench/results/billing-raw/logs)"
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

start() { local name=$1; shift; "$@" >"$LOGS/$name.log" 2>&1 & PID[$name]=$!; }
stop() {
  local p=${PID[$1]:-}
  [ -n "$p" ] || return 0
  kill -TERM "$p" 2>/dev/null || true
  for _ in $(seq 100); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$p" 2>/dev/null || true
  wait "$p" 2>/dev/null || true
  unset "PID[$1]"
}
USED=" "
freeport() {
  local p
  for _ in $(seq 200); do
    p=$(( 20000 + RANDOM % 30000 ))
    case $USED in *" $p "*) continue ;; esac
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then USED+="$p "; echo "$p"; return; fi
  done
  die "no free port"
}
wait_http() {
  for _ in $(seq 300); do
    curl -fsS -o /dev/null --max-time 1 "$1" 2>/dev/null && return 0
    [ -n "${PID[$2]:-}" ] && ! kill -0 "${PID[$2]}" 2>/dev/null && break
    sleep 0.1
  done
  tail -n 30 "$LOGS/$2.log" >&2
  die "$2 did not answer on $1"
}

if [ ! -x "$BIN" ]; then say "building $BIN"; (cd "$ROOT" && go build -trimpath -o "$BIN" ./cmd/hostplane); fi
say "building the bench tools"
(cd "$ROOT/bench" && go build -trimpath -o "$TOOLS/" ./load ./sign ./billing/seed ./billing/register ./billing/search) || die "go build"

# ---------------------------------------------------------------- database
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)
OWN_PG=
if [ -n "${BENCH_BILLING_ADMIN_URL:-}" ]; then
  ADMIN=$BENCH_BILLING_ADMIN_URL
elif [ "$(id -u)" = 0 ] && [ -x "$PGBIN/initdb" ] && id postgres >/dev/null 2>&1; then
  OWN_PG=$(mktemp -d /tmp/hostplane-bench-pg.XXXXXX)
  chown postgres "$OWN_PG"
  P_PG=$(freeport)
  say "starting a PostgreSQL of the bench's own on :$P_PG (shared_buffers=1GB)"
  runuser -u postgres -- "$PGBIN/initdb" -D "$OWN_PG/data" -A trust -U postgres >"$LOGS/initdb.log" 2>&1 || die initdb
  runuser -u postgres -- "$PGBIN/pg_ctl" -D "$OWN_PG/data" -l "$OWN_PG/log" -w -o \
    "-p $P_PG -k $OWN_PG -c listen_addresses=127.0.0.1 -c shared_buffers=1GB -c work_mem=16MB -c effective_cache_size=4GB -c max_connections=200" \
    start >/dev/null || { cat "$OWN_PG/log" >&2; die "pg_ctl start"; }
  ADMIN="postgres://postgres@127.0.0.1:$P_PG/postgres?sslmode=disable"
else
  ADMIN=postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable
fi
BILLDB=${ADMIN/\/postgres\?/\/$DBNAME?}
if [ "${BENCH_BILLING_REUSE:-0}" = 1 ] && psql "$ADMIN" -tAc "SELECT 1 FROM pg_database WHERE datname = '$DBNAME'" | grep -q 1; then
  say "reusing database $DBNAME"
else
  psql "$ADMIN" -qc "DROP DATABASE IF EXISTS $DBNAME WITH (FORCE)" >/dev/null
  psql "$ADMIN" -qc "CREATE DATABASE $DBNAME" >/dev/null
fi

# ---------------------------------------------------------------- processes
SECRET=bench-internal-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')
ROOT_KEY=hp_root_bench ROOT_SECRET=bench-root-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')
P_PPROF=$(freeport) P_REDIS=$(freeport) P_AUTH=$(freeport) P_BILLING=$(freeport) P_SITES=$(freeport) P_TENANCY=$(freeport) P_STATS=$(freeport) P_GW=$(freeport)
GW=http://127.0.0.1:$P_GW
BILLING=http://127.0.0.1:$P_BILLING
UPSTREAMS="auth=127.0.0.1:$P_AUTH,billing=127.0.0.1:$P_BILLING,sites=127.0.0.1:$P_SITES,tenancy=127.0.0.1:$P_TENANCY,stats=127.0.0.1:$P_STATS"
REDIS_URL=redis://127.0.0.1:$P_REDIS/0
cenv=(env -i PATH="$PATH" HOME="${HOME:-/root}" HOSTPLANE_INTERNAL_SECRET="$SECRET" HOSTPLANE_LOG_LEVEL=warn
  HOSTPLANE_UPSTREAMS="$UPSTREAMS" HOSTPLANE_REDIS_URL="$REDIS_URL")
start redis redis-server --port "$P_REDIS" --bind 127.0.0.1 --save "" --appendonly no --protected-mode no --logfile ""
start auth "${cenv[@]}" HOSTPLANE_ROOT_API_KEY="$ROOT_KEY" HOSTPLANE_ROOT_API_SECRET="$ROOT_SECRET" "$BIN" auth --addr="127.0.0.1:$P_AUTH"
start_billing() { # [extra env…]
  start billing "${cenv[@]}" HOSTPLANE_BILLING_DATABASE_URL="$BILLDB" HOSTPLANE_PPROF_ADDR="127.0.0.1:$P_PPROF" "$@" "$BIN" billing --addr="127.0.0.1:$P_BILLING"
  wait_http "$BILLING/readyz" billing
}
start_billing
start sites "${cenv[@]}" HOSTPLANE_DATA_DIR="$WORK/data" "$BIN" sites --addr="127.0.0.1:$P_SITES"
start tenancy "${cenv[@]}" HOSTPLANE_DATA_DIR="$WORK/data" "$BIN" tenancy --addr="127.0.0.1:$P_TENANCY"
start stats "${cenv[@]}" "$BIN" stats --addr="127.0.0.1:$P_STATS"
start gateway "${cenv[@]}" "$BIN" gateway --addr="127.0.0.1:$P_GW"
for c in auth:$P_AUTH sites:$P_SITES tenancy:$P_TENANCY stats:$P_STATS gateway:$P_GW; do
  wait_http "http://127.0.0.1:${c#*:}/readyz" "${c%%:*}"
done

post() { # URL USER:PASS JSON → body; fails on non-2xx
  local out code
  out=$(curl -sS --max-time 30 -u "$2" -H 'Content-Type: application/json' -w '\n%{http_code}' -d "$3" "$1") || die "POST $1"
  code=${out##*$'\n'}
  [[ $code == 2* ]] || die "POST $1 → $code: ${out%$'\n'*}"
  echo "${out%$'\n'*}"
}
jstr() { grep -o "\"$1\": *\"[^\"]*\"" | head -n1 | sed 's/.*: *"\(.*\)"/\1/'; }
KEYJSON=$(post "$GW/api/application/keys" "$ROOT_KEY:$ROOT_SECRET" '{"name":"bench-billing","email":"bench@example.com","permissions":["*"],"rate_limit":"10000000/s"}')
KEY=$(jstr api_key <<<"$KEYJSON"); SEC=$(jstr api_secret <<<"$KEYJSON")
[ -n "$KEY" ] && [ -n "$SEC" ] || die "no key in $KEYJSON"

RESULTS=$RAW/billing.txt
: >"$RESULTS"
fact() { echo "$1=$2" | tee -a "$RESULTS" >&2; }
fact meta.date "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
fact meta.commit "$(git -C "$ROOT" describe --always --dirty 2>/dev/null || echo unknown)"
fact meta.nproc "$(nproc)"
fact meta.loadavg "$(cut -d' ' -f1-3 /proc/loadavg)"
fact meta.postgres "$(psql "$ADMIN" -tAc 'SHOW server_version') shared_buffers=$(psql "$ADMIN" -tAc 'SHOW shared_buffers')$([ -n "$OWN_PG" ] && echo ' (the bench'"'"'s own server)')"

# ---------------------------------------------------------------- (1) lists
say "seeding $N customers into $DBNAME"
reuse=(); [ "${BENCH_BILLING_REUSE:-0}" = 1 ] && reuse=(-reuse)
SEED_START=$(date +%s)
"$TOOLS/seed" -db "$BILLDB" -n "$N" "${reuse[@]}" 2>>"$LOGS/seed.log" || { tail "$LOGS/seed.log" >&2; die seed; }
fact seed.customers "$(psql "$BILLDB" -tAc 'SELECT count(*) FROM customers')"
fact seed.seconds $(( $(date +%s) - SEED_START ))
fact seed.smith_matches "$(psql "$BILLDB" -tAc "SELECT count(*) FROM customers WHERE search_text LIKE '%smith%'")"

list_run() { # NAME QUERY
  local name=$1 query=$2 path=/wp-json/wu/v2/customers
  # the first request (cold: nothing of it cached), a warm-up, then the
  # measured open-loop run, through the gateway
  "$TOOLS/load" -url "$GW$path?$query" -c 1 -n 1 -d 30s -basic "$KEY:$SEC" -o "$RAW/list-$name-cold.json" 2>/dev/null || true
  fact "list.$name.cold_ms" "$(grep -o '"p50": *[0-9.]*' "$RAW/list-$name-cold.json" | head -1 | sed 's/.*: *//')"
  "$TOOLS/load" -url "$GW$path?$query" -c 4 -d 2s -rate "$LIST_RATE" -basic "$KEY:$SEC" -o /dev/null 2>/dev/null || true
  "$TOOLS/load" -url "$GW$path?$query" -c 4 -d "${LIST_S}s" -rate "$LIST_RATE" -basic "$KEY:$SEC" -o "$RAW/list-$name-gw.json" 2>>"$LOGS/load.log" || die "load $name"
  # and straight to billing with the signed principal
  mapfile -t H < <(HOSTPLANE_INTERNAL_SECRET="$SECRET" "$TOOLS/sign" -path "$path" | sed 's/^/-H\n/')
  "$TOOLS/load" -url "$BILLING$path?$query" -c 4 -d "${LIST_S}s" -rate "$LIST_RATE" "${H[@]}" -o "$RAW/list-$name-direct.json" 2>>"$LOGS/load.log" || die "load $name direct"
  local total; total=$(curl -sS -D - -o /dev/null -u "$KEY:$SEC" "$GW$path?$query" | tr -d '\r' | awk -F': ' 'tolower($1)=="x-wp-total" {print $2}')
  for via in gw direct; do
    local f=$RAW/list-$name-$via.json
    fact "list.$name.$via.p50_ms" "$(grep -o '"p50": *[0-9.]*' "$f" | head -1 | sed 's/.*: *//')"
    fact "list.$name.$via.p99_ms" "$(grep -o '"p99": *[0-9.]*' "$f" | head -1 | sed 's/.*: *//')"
    fact "list.$name.$via.status" "$(tr -d ' \n' <"$f" | grep -o '"status":{[^}]*}' | head -1)"
  done
  fact "list.$name.x_wp_total" "$total"
}
say "list latency: open loop $LIST_RATE req/s, ${LIST_S}s per scenario, 4 connections"
list_run page1_search_orderby "per_page=20&page=1&search=smith&orderby=date_registered&order=desc"
list_run page500_search_orderby "per_page=20&page=500&search=smith&orderby=date_registered&order=desc"
list_run page1_orderby "per_page=20&page=1&orderby=last_login&order=asc"
list_run page500_orderby "per_page=20&page=500&orderby=date_registered&order=desc"
list_run page1_search_status "per_page=20&page=1&search=john&status=active&orderby=id&order=desc"

# New searches: one request in four searches a term never sent before (a
# piece of a seeded name: nothing of it cached), the others the scenario's
# hot term; figures for the first-time requests (new), the repeated ones
# and both together (all), through the gateway.
search_run() { # NAME SEED HOT QUERY
  "$TOOLS/search" -url "$GW/wp-json/wu/v2/customers" -basic "$KEY:$SEC" -rate "$LIST_RATE" -d "${LIST_S}s" -c 4 \
    -new-every 4 -seed "$2" -hot "$3" -query "$4" -facts "list.$1" -o "$RAW/search-$1.json" 2>>"$LOGS/search.log" \
    | tee -a "$RESULTS" >&2 || die "search $1"
}
say "new searches: open loop $LIST_RATE req/s, ${LIST_S}s per scenario, one in four a new term"
search_run first_page1_search_orderby 1 smith "per_page=20&page=1&orderby=date_registered&order=desc"
search_run first_page1_search_status 2 john "per_page=20&page=1&status=active&orderby=id&order=desc"
search_run first_page2_search_lastlogin 3 smith "per_page=20&page=2&orderby=last_login&order=asc"

# ---------------------------------------------------------------- (2) register
if [ "$REGISTER" != 1 ]; then
  cp "$RESULTS" "$ROOT/bench/results/billing.txt"
  say "registrations skipped; results in bench/results/billing.txt"
  exit 0
fi
post "$GW/wp-json/wu/v2/products" "$KEY:$SEC" '{"name":"Basic Plan","slug":"basic-plan","amount":29.99,"currency":"USD"}' >/dev/null
ticks() { # total user+system clock ticks of PIDs
  local t=0 p
  for p in "$@"; do
    [ -r "/proc/$p/stat" ] || continue
    t=$(( t + $(awk '{sub(/^.*\) /, ""); print $12 + $13}' "/proc/$p/stat") ))
  done
  echo $t
}
pg_pids() { # the PostgreSQL server's processes (the bench's own server only)
  [ -n "$OWN_PG" ] || return 0
  local m; m=$(head -n1 "$OWN_PG/data/postmaster.pid" 2>/dev/null) || return 0
  echo "$m $(pgrep -P "$m" | tr '\n' ' ')"
}
register_runs() { # LABEL
  local label=$1 prefix
  prefix=r$(head -c 3 /dev/urandom | od -An -tx1 | tr -d ' \n')
  "$TOOLS/register" -url "$GW/wp-json/wu/v2/register" -basic "$KEY:$SEC" -c 8 -d 2s -prefix "${prefix}w" -o /dev/null 2>/dev/null || true
  local comps=(gateway auth billing sites stats tenancy redis) before=() c i pg0 all0 all1 pg1
  for c in "${comps[@]}"; do before+=("$(ticks "${PID[$c]}")"); done
  pg0=$(ticks $(pg_pids)); all0=$(awk '/^cpu / {s = 0; for (i = 2; i <= NF; i++) s += $i; print s - $5 - $6}' /proc/stat)
  local prof=$(( REG_S > 6 ? 5 : REG_S - 1 ))
  (sleep 1; curl -fsS --max-time $(( prof + 10 )) -o "$RAW/billing-$label.cpu.pprof" "http://127.0.0.1:$P_PPROF/debug/pprof/profile?seconds=$prof") >/dev/null 2>&1 &
  local profpid=$!
  "$TOOLS/register" -url "$GW/wp-json/wu/v2/register" -basic "$KEY:$SEC" -c "$REG_CONNS" -d "${REG_S}s" -prefix "${prefix}c" \
    -o "$RAW/register-$label-closed.json" 2>>"$LOGS/register.log" || die "register closed"
  # CPU seconds each process used during the closed-loop run (machine: all busy ticks)
  i=0
  for c in "${comps[@]}"; do
    fact "register.$label.closed.cpu_s.$c" "$(awk -v t=$(( $(ticks "${PID[$c]}") - before[i] )) -v hz="$(getconf CLK_TCK)" 'BEGIN {printf "%.2f", t / hz}')"
    i=$((i + 1))
  done
  pg1=$(ticks $(pg_pids)); all1=$(awk '/^cpu / {s = 0; for (i = 2; i <= NF; i++) s += $i; print s - $5 - $6}' /proc/stat)
  fact "register.$label.closed.cpu_s.postgres" "$(awk -v t=$(( pg1 - pg0 )) -v hz="$(getconf CLK_TCK)" 'BEGIN {printf "%.2f", t / hz}')"
  fact "register.$label.closed.cpu_s.machine" "$(awk -v t=$(( all1 - all0 )) -v hz="$(getconf CLK_TCK)" 'BEGIN {printf "%.2f", t / hz}')"
  "$TOOLS/register" -url "$GW/wp-json/wu/v2/register" -basic "$KEY:$SEC" -c "$REG_CONNS" -d "${REG_S}s" -rate "$REG_RATE" -prefix "${prefix}o" \
    -o "$RAW/register-$label-open.json" 2>>"$LOGS/register.log" || die "register open"
  wait "$profpid" 2>/dev/null || true
  [ -s "$RAW/billing-$label.cpu.pprof" ] && go tool pprof -top -nodecount=25 "$RAW/billing-$label.cpu.pprof" >"$RAW/billing-$label.pprof-top.txt" 2>/dev/null
  for mode in closed open; do
    local f=$RAW/register-$label-$mode.json
    for k in ok_rps p50_ms p99_ms ok_p50_ms ok_p99_ms; do
      fact "register.$label.$mode.$k" "$(grep -o "\"$k\": *[0-9.]*" "$f" | sed 's/.*: *//')"
    done
    fact "register.$label.$mode.status" "$(tr -d ' \n' <"$f" | grep -o '"status":{[^}]*}')"
  done
}
say "register: closed loop ($REG_CONNS connections) and open loop at $REG_RATE/s, ${REG_S}s each, Argon2id m=7168 KiB t=5 (default)"
register_runs argon2_default
if [ -n "$CHEAP" ]; then
  read -r CHEAP_M CHEAP_T <<<"$CHEAP"
  say "register again with Argon2id m=$CHEAP_M KiB t=$CHEAP_T"
  stop billing
  start_billing HOSTPLANE_BILLING_ARGON2_MEMORY_KIB="$CHEAP_M" HOSTPLANE_BILLING_ARGON2_TIME="$CHEAP_T"
  register_runs "argon2_m${CHEAP_M}_t${CHEAP_T}"
fi
fact registrations.total "$(psql "$BILLDB" -tAc "SELECT count(*) FROM memberships")"
mkdir -p "$ROOT/bench/results"
cp "$RESULTS" "$ROOT/bench/results/billing.txt"
say "results in bench/results/billing.txt"
