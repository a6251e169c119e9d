#!/usr/bin/env bash
# bench/run.sh — `make bench`: Hostplane's gateway benchmark, in one run on
# this machine (see bench/results/README.md for what it measures and the last
# results).
#
# It starts auth, billing, sites, tenancy, stats and the gateway as separate
# processes from bin/hostplane, a Redis of its own on a free port, nginx (the
# Debian package, its own instance) and bench/goproxy, then measures
# GET /wp-json/wu/v2/customers/{id}:
#   (a) straight to billing with a signed principal, (b) through the gateway,
#   (c) through nginx, (d) through httputil.ReverseProxy,
# with wrk, interleaved (a b c d a b c d …); then the gateway's added latency
# at half its peak (open loop), Redis hung and refusing under load, the auth
# cache and Redis round trips, two gateways sharing one key's limit, idle RSS
# and a CPU profile. Every process it starts is stopped on exit, Redis is
# always resumed, and all load goes to 127.0.0.1 with bounded duration.
#
# Knobs (environment):
#   BENCH_QUICK=1            ~1 minute smoke run (short durations, 2 rounds)
#   BENCH_DURATION=10        seconds per wrk run            (quick: 2)
#   BENCH_ROUNDS=3           interleaved rounds (≥ 2)         (quick: 2)
#   BENCH_OPEN_DURATION=10   seconds per open-loop run       (quick: 2)
#   BENCH_OPEN_ROUNDS=2      open-loop rounds (a b a b)      (quick: 1)
#   BENCH_FAULT_DURATION=8   seconds per fault run, fault in the middle half (quick: 4)
#   BENCH_SHARED_SECONDS=5   two-gateway run                 (quick: 2)
#   BENCH_SHARED_LIMIT=500   that key's limit per second
#   BENCH_SHARED_RATE=2000   open-loop rate of the two-gateway check (then a saturated closed-loop run too)
#   BENCH_CONNECTIONS=64 BENCH_THREADS=2   wrk -c / -t (and the generator's connections)
#   BENCH_NGINX_WORKERS=auto nginx worker_processes
#   BENCH_PROFILE_SECONDS=5  CPU profile of the gateway during an extra (b) run (0: none)
#   BENCH_IDLE_SECONDS=5     idle time before the final RSS reading (also quick: the gateway trims 2–4 s after its last request)
#   BENCH_KEEP=1             keep the temporary directory (logs, configs)
#   BENCH_GATEWAY_ENV="K=V …" extra settings of the gateways under test
#   HOSTPLANE_BIN            the binary (default bin/hostplane)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
BIN=${HOSTPLANE_BIN:-$ROOT/bin/hostplane}

secs() { local v=${1%s}; [[ $v =~ ^[0-9]+$ ]] || { echo "run.sh: '$1' is not a number of seconds" >&2; exit 2; }; echo "$v"; }
if [ "${BENCH_QUICK:-0}" = 1 ]; then
  MODE=quick
  DUR=$(secs "${BENCH_DURATION:-2}"); ROUNDS=${BENCH_ROUNDS:-2}
  OPEN_DUR=$(secs "${BENCH_OPEN_DURATION:-2}"); OPEN_ROUNDS=${BENCH_OPEN_ROUNDS:-1}
  FAULT_TOTAL=$(secs "${BENCH_FAULT_DURATION:-4}"); SHARED_S=$(secs "${BENCH_SHARED_SECONDS:-2}")
  PROFILE_S=$(secs "${BENCH_PROFILE_SECONDS:-2}"); SETTLE=3; IDLE_S=$(secs "${BENCH_IDLE_SECONDS:-5}")
else
  MODE=full
  DUR=$(secs "${BENCH_DURATION:-10}"); ROUNDS=${BENCH_ROUNDS:-3}
  OPEN_DUR=$(secs "${BENCH_OPEN_DURATION:-10}"); OPEN_ROUNDS=${BENCH_OPEN_ROUNDS:-2}
  FAULT_TOTAL=$(secs "${BENCH_FAULT_DURATION:-8}"); SHARED_S=$(secs "${BENCH_SHARED_SECONDS:-5}")
  PROFILE_S=$(secs "${BENCH_PROFILE_SECONDS:-5}"); SETTLE=3; IDLE_S=$(secs "${BENCH_IDLE_SECONDS:-5}")
fi
[ "$ROUNDS" -ge 2 ] || { echo "run.sh: BENCH_ROUNDS must be at least 2" >&2; exit 2; }
CONNS=${BENCH_CONNECTIONS:-64}
THREADS=${BENCH_THREADS:-2}
SHARED_LIMIT=${BENCH_SHARED_LIMIT:-500}
SHARED_RATE=${BENCH_SHARED_RATE:-$(( SHARED_LIMIT * 4 ))}
NGINX_WORKERS=${BENCH_NGINX_WORKERS:-auto}
FAULT_AT=$(( FAULT_TOTAL / 4 )); FAULT_LEN=$(( FAULT_TOTAL / 2 ))
[ "$FAULT_AT" -ge 1 ] || FAULT_AT=1
[ "$FAULT_LEN" -ge 1 ] || FAULT_LEN=1

# nap: a sleep that a signal interrupts at once (the trap runs, Redis resumes)
nap() { sleep "$1" & wait $!; }
say() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { say "FAILED: $*"; exit 1; }

# ---------------------------------------------------------------- tools
# apt-get without starting the packages' services (nginx on :80).
apt_install() {
  say "installing $* (apt-get)"
  local policy=/usr/sbin/policy-rc.d made=0
  if [ ! -e "$policy" ]; then printf '#!/bin/sh\nexit 101\n' >"$policy"; chmod +x "$policy"; made=1; fi
  local rc=0
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@"; } >&2 || rc=$?
  if [ "$made" = 1 ]; then rm -f "$policy"; fi
  return $rc
}
need=()
command -v wrk >/dev/null || need+=(wrk)
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || need+=(nginx)
command -v redis-server >/dev/null || need+=(redis-server)
command -v redis-cli >/dev/null || need+=(redis-tools)
command -v curl >/dev/null || need+=(curl)
if [ ${#need[@]} -gt 0 ]; then
  [ "$(id -u)" = 0 ] || die "missing ${need[*]} and not root to install them"
  apt_install "${need[@]}" || die "apt-get install ${need[*]}"
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
command -v go >/dev/null || die "no go on PATH"

WORK=$(mktemp -d /tmp/hostplane-bench.XXXXXX)
chmod 755 "$WORK"
RAW=$WORK/raw LOGS=$WORK/logs TOOLS=$WORK/tools
mkdir -p "$RAW" "$LOGS" "$TOOLS"
FACTS=$RAW/facts.txt
fact() { echo "$1=$2" >>"$FACTS"; }

# ---------------------------------------------------------------- cleanup
declare -A PID=()
REDIS_PID=
cleanup() {
  local rc=$?
  set +e
  trap - EXIT INT TERM
  # Redis first: a stopped Redis must never outlive the bench.
  [ -n "$REDIS_PID" ] && kill -CONT "$REDIS_PID" 2>/dev/null
  local pids=()
  for name in "${!PID[@]}"; do pids+=("${PID[$name]}"); done
  [ ${#pids[@]} -gt 0 ] && kill -TERM "${pids[@]}" 2>/dev/null
  for _ in $(seq 50); do
    local alive=0
    for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && alive=1; done
    [ $alive = 0 ] && break
    sleep 0.1
  done
  for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && kill -KILL "$p" 2>/dev/null; done
  # and whatever else still runs in the background (wrk, load, sleep)
  local left; left=$(jobs -p)
  [ -n "$left" ] && kill -TERM $left 2>/dev/null
  wait 2>/dev/null
  if [ -d "$RAW" ]; then
    rm -rf "$ROOT/bench/results/raw"
    mkdir -p "$ROOT/bench/results"
    cp -r "$RAW" "$ROOT/bench/results/raw" 2>/dev/null
    cp -r "$LOGS" "$ROOT/bench/results/raw/logs" 2>/dev/null
  fi
  if [ "${BENCH_KEEP:-0}" = 1 ]; then say "kept $WORK"; else rm -rf "$WORK"; fi
  [ $rc = 0 ] || say "exit status $rc (raw output in bench/results/raw)"
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# start NAME CMD... runs CMD in the background, logging to $LOGS/NAME.log.
start() {
  local name=$1; shift
  "$@" >"$LOGS/$name.log" 2>&1 &
  PID[$name]=$!
}
stop() {
  local name=$1 p=${PID[$1]:-}
  [ -n "$p" ] || return 0
  kill -TERM "$p" 2>/dev/null || true
  for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$p" 2>/dev/null || true
  wait "$p" 2>/dev/null || true
  unset "PID[$name]"
}

USED_PORTS=" "
freeport() {
  local p
  for _ in $(seq 200); do
    p=$(( 20000 + RANDOM % 30000 ))
    case $USED_PORTS in *" $p "*) continue ;; esac
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
      USED_PORTS+="$p "
      echo "$p"
      return
    fi
  done
  die "no free port"
}

wait_http() { # URL NAME [seconds]
  local url=$1 name=$2 t=${3:-20}
  for _ in $(seq $(( t * 10 ))); do
    if curl -fsS -o /dev/null --max-time 1 "$url" 2>/dev/null; then return 0; fi
    if [ -n "${PID[$name]:-}" ] && ! kill -0 "${PID[$name]}" 2>/dev/null; then break; fi
    sleep 0.1
  done
  tail -n 20 "$LOGS/$name.log" >&2 || true
  die "$name did not answer on $url"
}

wait_port() { # PORT NAME
  for _ in $(seq 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.1
  done
  tail -n 20 "$LOGS/$2.log" >&2 || true
  die "$2 is not listening on $1"
}

# ---------------------------------------------------------------- build
if [ ! -x "$BIN" ]; then
  say "building $BIN"
  (cd "$ROOT" && go build -trimpath -o "$BIN" ./cmd/hostplane)
fi
say "building the bench tools"
(cd "$ROOT/bench" && go build -trimpath -o "$TOOLS/" ./load ./goproxy ./sign ./report) || die "go build bench tools"

# ---------------------------------------------------------------- start
SECRET=bench-internal-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')
ROOT_KEY=hp_root_bench
ROOT_SECRET=bench-root-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')
P_REDIS=$(freeport) P_AUTH=$(freeport) P_BILLING=$(freeport) P_SITES=$(freeport) P_TENANCY=$(freeport) P_STATS=$(freeport)
P_GW=$(freeport) P_GW2=$(freeport) P_PPROF=$(freeport) P_PPROF_BILLING=$(freeport) P_NGINX=$(freeport) P_GOPROXY=$(freeport)
GW=http://127.0.0.1:$P_GW
BILLING=http://127.0.0.1:$P_BILLING

fact meta.date "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
fact meta.commit "$(git -C "$ROOT" describe --always --dirty 2>/dev/null || echo unknown)"
fact meta.nproc "$(nproc)"
fact meta.loadavg "$(cut -d' ' -f1-3 /proc/loadavg)"
fact meta.clk_tck "$(getconf CLK_TCK)"
fact meta.mode "$MODE"
fact meta.duration_s "$DUR"
fact meta.rounds "$ROUNDS"
fact meta.conns "$CONNS"
fact meta.threads "$THREADS"
fact meta.open_duration_s "$OPEN_DUR"
fact meta.nginx_version "$("$NGINX" -v 2>&1 | sed 's|.*nginx/||')"
fact meta.nginx_workers "$NGINX_WORKERS"
fact meta.go_version "$(go env GOVERSION)"

# ---------------------------------------------------------------- probes
rss() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
ticks() { # total user+system ticks of PIDs and their threads
  local t=0 p
  for p in "$@"; do
    [ -r "/proc/$p/stat" ] || continue
    t=$(( t + $(awk '{sub(/^.*\) /, ""); print $12 + $13}' "/proc/$p/stat") ))
  done
  echo $t
}
# machine-wide CPU ticks: "<busy> <all>" (all CPUs added up)
machine_ticks() { awk '/^cpu / {s = 0; for (i = 2; i <= NF; i++) s += $i; print s - $5 - $6, s; exit}' /proc/stat; }
# ticks of this script and of the children it has waited for (wrk, load, curl …)
self_ticks() { awk '{sub(/^.*\) /, ""); print $12 + $13 + $14 + $15}' /proc/$$/stat; }
metric() { # URL NAME → sum of the samples of NAME
  curl -sS --max-time 5 "$1/metrics" | awk -v n="$2" '$1 == n || index($1, n "{") == 1 {s += $2} END {printf "%.0f\n", s}'
}
metric_route() { # URL NAME ROUTE → sum of the samples of NAME labelled route="ROUTE"
  curl -sS --max-time 5 "$1/metrics" | awk -v n="$2" -v r="$3\"" 'index($1, n "{") == 1 && index($1, r) > 0 {s += $2} END {printf "%.0f\n", s}'
}
redis_calls() { # → "<EVAL/EVALSHA calls> <all commands, those run inside scripts included>"
  redis-cli -p "$P_REDIS" INFO commandstats | tr -d '\r' |
    awk -F'[:,=]' '/^cmdstat_/ {all += $3} /^cmdstat_(eval|evalsha|eval_ro|evalsha_ro):/ {ev += $3} END {printf "%d %d\n", ev, all}'
}
memstats() { # COMPONENT FILE: the Go runtime's MemStats through pprof
  local port=$P_PPROF
  [ "$1" = billing ] && port=$P_PPROF_BILLING
  curl -sS --max-time 5 "http://127.0.0.1:$port/debug/pprof/heap?debug=1" 2>/dev/null | grep '^# ' >"$2" || true
}
nginx_pids() { local m=${PID[nginx]:-}; [ -n "$m" ] && echo "$m $(pgrep -P "$m" | tr '\n' ' ')"; }
our_pids() { local n; for n in "${!PID[@]}"; do echo "${PID[$n]}"; done; [ -n "${PID[nginx]:-}" ] && pgrep -P "${PID[nginx]}"; true; }

# cpu_begin / cpu_end TAG: the machine's idle share during a phase and the
# CPU used by processes that are not the bench's (other work on the machine
# disturbs the figures), as % of one CPU.
cpu_begin() { read -r CB_BUSY CB_ALL < <(machine_ticks); CB_OURS=$(( $(ticks $(our_pids)) + $(self_ticks) )); }
cpu_end() {
  local busy all ours n
  read -r busy all < <(machine_ticks)
  ours=$(( $(ticks $(our_pids)) + $(self_ticks) ))
  n=$(nproc)
  local dall=$(( all - CB_ALL > 0 ? all - CB_ALL : 1 ))
  fact "env.$1.idle_pct" $(( (dall - (busy - CB_BUSY)) * 100 / dall ))
  local foreign=$(( (busy - CB_BUSY) - (ours - CB_OURS) ))
  [ $foreign -ge 0 ] || foreign=0
  fact "env.$1.foreign_cpu_pct" $(( foreign * 100 * n / dall ))
}

record_rss() { # PHASE [COMPONENT…]: VmRSS, and its anonymous and file-backed parts (kB)
  local phase=$1 c f; shift
  [ $# -gt 0 ] || set -- auth billing gateway sites tenancy stats goproxy
  for c in "$@"; do
    f=/proc/${PID[$c]}/status
    fact "rss.$phase.$c" "$(awk '/^VmRSS:/ {print $2}' "$f" 2>/dev/null || echo 0)"
    fact "rssanon.$phase.$c" "$(awk '/^RssAnon:/ {print $2}' "$f" 2>/dev/null || echo 0)"
    fact "rssfile.$phase.$c" "$(awk '/^RssFile:/ {print $2}' "$f" 2>/dev/null || echo 0)"
  done
}
say "starting redis :$P_REDIS (bench's own), auth, billing, sites, tenancy, stats, gateway, goproxy"
start redis redis-server --port "$P_REDIS" --bind 127.0.0.1 --save "" --appendonly no --protected-mode no --logfile ""
REDIS_PID=${PID[redis]}
wait_port "$P_REDIS" redis

# The components get a clean environment: nothing of the caller's Consul,
# database or OTel settings.
cenv=(env -i PATH="$PATH" HOME="${HOME:-/root}" HOSTPLANE_INTERNAL_SECRET="$SECRET" HOSTPLANE_LOG_LEVEL=warn)
UPSTREAMS="auth=127.0.0.1:$P_AUTH,billing=127.0.0.1:$P_BILLING,sites=127.0.0.1:$P_SITES,tenancy=127.0.0.1:$P_TENANCY,stats=127.0.0.1:$P_STATS"
gwenv=("${cenv[@]}" HOSTPLANE_REDIS_URL="redis://127.0.0.1:$P_REDIS/0" HOSTPLANE_UPSTREAMS="$UPSTREAMS")
# BENCH_GATEWAY_ENV="K=V …" adds settings to the gateways (e.g. to compare
# HOSTPLANE_GATEWAY_STD_SERVER=true or HOSTPLANE_GATEWAY_GC_PERCENT=100).
read -r -a gwextra <<<"${BENCH_GATEWAY_ENV:-}"
gwenv+=("${gwextra[@]}")
start auth "${cenv[@]}" HOSTPLANE_ROOT_API_KEY="$ROOT_KEY" HOSTPLANE_ROOT_API_SECRET="$ROOT_SECRET" "$BIN" auth --addr="127.0.0.1:$P_AUTH"
start billing "${cenv[@]}" HOSTPLANE_PPROF_ADDR="127.0.0.1:$P_PPROF_BILLING" "$BIN" billing --addr="127.0.0.1:$P_BILLING"
mkdir -p "$WORK/data"
start sites "${cenv[@]}" HOSTPLANE_DATA_DIR="$WORK/data" HOSTPLANE_UPSTREAMS="$UPSTREAMS" "$BIN" sites --addr="127.0.0.1:$P_SITES"
start tenancy "${cenv[@]}" HOSTPLANE_UPSTREAMS="$UPSTREAMS" "$BIN" tenancy --addr="127.0.0.1:$P_TENANCY"
start stats "${cenv[@]}" HOSTPLANE_UPSTREAMS="$UPSTREAMS" "$BIN" stats --addr="127.0.0.1:$P_STATS"
start gateway "${gwenv[@]}" HOSTPLANE_PPROF_ADDR="127.0.0.1:$P_PPROF" "$BIN" gateway --addr="127.0.0.1:$P_GW"
start goproxy "${cenv[@]}" "$TOOLS/goproxy" -addr "127.0.0.1:$P_GOPROXY" -upstream "127.0.0.1:$P_BILLING"
for c in auth:$P_AUTH billing:$P_BILLING sites:$P_SITES tenancy:$P_TENANCY stats:$P_STATS gateway:$P_GW; do
  wait_http "http://127.0.0.1:${c#*:}/readyz" "${c%%:*}"
done
wait_port "$P_GOPROXY" goproxy
sleep "$SETTLE"
record_rss fresh

# ---------------------------------------------------------------- data
jstr() { grep -o "\"$1\": *\"[^\"]*\"" | head -n1 | sed 's/.*: *"\(.*\)"/\1/'; }
jnum() { grep -o "\"$1\": *[0-9]*" | head -n1 | sed 's/.*: *//'; }
post() { # URL USER:PASS JSON → body; fails on non-2xx
  local out code
  out=$(curl -sS --max-time 15 -u "$2" -H 'Content-Type: application/json' -H 'Accept: application/json' -w '\n%{http_code}' -d "$3" "$1") || die "POST $1"
  code=${out##*$'\n'}
  [[ $code == 2* ]] || die "POST $1 → $code: ${out%$'\n'*}"
  echo "${out%$'\n'*}"
}
say "creating the bench keys and a customer through the gateway"
KEYJSON=$(post "$GW/api/application/keys" "$ROOT_KEY:$ROOT_SECRET" '{"name":"bench","email":"bench@example.com","permissions":["*"],"rate_limit":"10000000/s"}')
API_KEY=$(jstr api_key <<<"$KEYJSON"); API_SECRET=$(jstr api_secret <<<"$KEYJSON")
[ -n "$API_KEY" ] && [ -n "$API_SECRET" ] || die "no key in $KEYJSON"
LIMJSON=$(post "$GW/api/application/keys" "$ROOT_KEY:$ROOT_SECRET" "{\"name\":\"bench-shared\",\"email\":\"bench@example.com\",\"permissions\":[\"customers:index\"],\"rate_limit\":\"$SHARED_LIMIT/s\"}")
LIM_KEY=$(jstr api_key <<<"$LIMJSON"); LIM_SECRET=$(jstr api_secret <<<"$LIMJSON")
CUSTJSON=$(post "$GW/wp-json/wu/v2/customers" "$API_KEY:$API_SECRET" '{"username":"benchuser","email":"bench.user@example.com","password":"bench-password-2024"}')
CID=$(jnum id <<<"$CUSTJSON")
[ -n "$CID" ] || die "no customer id in $CUSTJSON"
PATH_GET=/wp-json/wu/v2/customers/$CID

sign_args() { # -H arguments for wrk/load, signed now
  local line
  while IFS= read -r line; do printf '%s\n' -H "$line"; done < <("${cenv[@]}" "$TOOLS/sign" -path "$PATH_GET")
}
mapfile -t SIGNED < <(sign_args)

# nginx: a fresh config (with freshly signed headers) before each (c) run.
NGX=$WORK/nginx
mkdir -p "$NGX/tmp" && chmod 777 "$NGX/tmp"
start_nginx() {
  local user=""
  [ "$(id -u)" = 0 ] && user="user root;"
  cat >"$NGX/nginx.conf" <<EOF
$user
worker_processes $NGINX_WORKERS;
daemon off;
pid $NGX/nginx.pid;
error_log $NGX/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $NGX/tmp/body;
  proxy_temp_path $NGX/tmp/proxy;
  fastcgi_temp_path $NGX/tmp/fastcgi;
  uwsgi_temp_path $NGX/tmp/uwsgi;
  scgi_temp_path $NGX/tmp/scgi;
  upstream billing { server 127.0.0.1:$P_BILLING; keepalive 256; }
  server {
    listen 127.0.0.1:$P_NGINX;
    location / {
      proxy_pass http://billing;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
$("${cenv[@]}" "$TOOLS/sign" -path "$PATH_GET" -format nginx | sed 's/^/      /')
    }
  }
}
EOF
  start nginx "$NGINX" -p "$NGX" -c "$NGX/nginx.conf" -e "$NGX/error.log"
  wait_port "$P_NGINX" nginx
}

say "sanity: every path answers 200"
check200() { # NAME URL curl-args...
  local name=$1 url=$2; shift 2
  local code
  code=$(curl -sS -o "$LOGS/check-$name.json" -w '%{http_code}' --max-time 5 "$@" "$url") || die "$name: curl failed"
  [ "$code" = 200 ] || die "$name: $url → $code: $(cat "$LOGS/check-$name.json")"
}
curl_signed=()
for ((i = 0; i < ${#SIGNED[@]}; i += 2)); do curl_signed+=(-H "${SIGNED[i+1]}"); done
check200 direct "$BILLING$PATH_GET" "${curl_signed[@]}"
check200 gateway "$GW$PATH_GET" -u "$API_KEY:$API_SECRET"
check200 goproxy "http://127.0.0.1:$P_GOPROXY$PATH_GET"
start_nginx
check200 nginx "http://127.0.0.1:$P_NGINX$PATH_GET"
stop nginx

say "settling ${SETTLE}s"
sleep "$SETTLE"
record_rss start
memstats gateway "$RAW/memstats-gateway-start.txt"
memstats billing "$RAW/memstats-billing-start.txt"

# wait_quiet MAX: this machine is shared; before a measurement wait (at most
# MAX seconds, and BENCH_QUIET_BUDGET seconds over the whole run) for a
# second in which processes outside the bench use less than
# BENCH_QUIET_PCT % of one CPU. Each run records what others used anyway.
QUIET_PCT=${BENCH_QUIET_PCT:-20}
QUIET_LEFT=${BENCH_QUIET_BUDGET:-$([ "$MODE" = quick ] && echo 5 || echo 120)}
wait_quiet() {
  local max=$1 waited=0 b0 a0 b1 a1 n pct
  n=$(nproc)
  while [ "$waited" -lt "$max" ] && [ "$QUIET_LEFT" -gt 0 ]; do
    read -r b0 a0 < <(machine_ticks)
    local o0; o0=$(( $(ticks $(our_pids)) + $(self_ticks) ))
    sleep 1
    read -r b1 a1 < <(machine_ticks)
    local o1; o1=$(( $(ticks $(our_pids)) + $(self_ticks) ))
    pct=$(( ( (b1 - b0) - (o1 - o0) ) * 100 * n / (a1 - a0 > 0 ? a1 - a0 : 1) ))
    [ "$pct" -lt "$QUIET_PCT" ] && return 0
    waited=$(( waited + 1 )); QUIET_LEFT=$(( QUIET_LEFT - 1 ))
    [ $(( waited % 5 )) = 1 ] && say "  machine busy with other work (${pct}% of a CPU), waiting"
  done
  return 0
}
fallbacks() { cat "$LOGS"/gateway*.log 2>/dev/null | grep -c 'redis unreachable' || true; }

# ---------------------------------------------------------------- wrk rounds
wrk_run() { # SCENARIO ROUND URL [wrk args...]
  local s=$1 r=$2 url=$3; shift 3
  local front_pids=""
  case $s in
    b) front_pids=${PID[gateway]} ;;
    c) front_pids=$(nginx_pids) ;;
    d) front_pids=${PID[goproxy]} ;;
  esac
  local b0 f0 r0 a0 w0 m0 h0 e0 c0 q0
  if [ "$s" = b ]; then
    m0=$(metric "$GW" hostplane_gateway_auth_cache_misses_total); h0=$(metric "$GW" hostplane_gateway_auth_cache_hits_total)
    # Credential verifications only (the settings poll and the key activity
    # batches are other calls to auth).
    q0=$(metric_route "http://127.0.0.1:$P_AUTH" hostplane_auth_http_requests_total /internal/v1/keys/verify)
    read -r e0 c0 < <(redis_calls)
    memstats gateway "$RAW/memstats-b-$r-0.txt"
  fi
  wait_quiet 15
  local fb0; fb0=$(fallbacks)
  b0=$(ticks "${PID[billing]}"); f0=$(ticks $front_pids); r0=$(ticks "$REDIS_PID"); a0=$(ticks "${PID[auth]}")
  cpu_begin
  w0=$(self_ticks)
  fact "run.$s.$r.start_ns" "$(date +%s%N)"
  wrk -t"$THREADS" -c"$CONNS" -d"${DUR}s" --latency "$@" "$url" >"$RAW/wrk-$s-$r.txt" 2>&1 || { cat "$RAW/wrk-$s-$r.txt" >&2; die "wrk $s"; }
  fact "run.$s.$r.end_ns" "$(date +%s%N)"
  fact "cpu.$s.$r.wrk" $(( $(self_ticks) - w0 ))
  fact "cpu.$s.$r.billing" $(( $(ticks "${PID[billing]}") - b0 ))
  [ -n "$front_pids" ] && fact "cpu.$s.$r.proxy" $(( $(ticks $front_pids) - f0 ))
  if [ "$s" = b ]; then
    fact "cpu.$s.$r.redis" $(( $(ticks "$REDIS_PID") - r0 ))
    fact "cpu.$s.$r.auth" $(( $(ticks "${PID[auth]}") - a0 ))
  fi
  cpu_end "$s.$r"
  fact "fallback.$s.$r" $(( $(fallbacks) - fb0 ))
  if [ "$s" = b ]; then
    local e1 c1 m1 h1 q1
    memstats gateway "$RAW/memstats-b-$r-1.txt"
    read -r e1 c1 < <(redis_calls)
    m1=$(metric "$GW" hostplane_gateway_auth_cache_misses_total); h1=$(metric "$GW" hostplane_gateway_auth_cache_hits_total)
    q1=$(metric_route "http://127.0.0.1:$P_AUTH" hostplane_auth_http_requests_total /internal/v1/keys/verify)
    fact "cache.b.$r.misses" $(( m1 - m0 ))
    fact "cache.b.$r.hits" $(( h1 - h0 ))
    fact "auth.b.$r.requests" $(( q1 - q0 ))
    fact "redis.b.$r.eval" $(( e1 - e0 ))
    # minus our own INFO
    fact "redis.b.$r.calls" $(( c1 - c0 - 1 ))
  fi
  say "  ($s) round $r: $("$TOOLS/report" wrk "$RAW/wrk-$s-$r.txt")"
}

WARM_S=$([ "$MODE" = quick ] && echo 1 || echo 2)
say "warm-up (${WARM_S}s each path)"
for u in "$GW$PATH_GET" "http://127.0.0.1:$P_GOPROXY$PATH_GET"; do
  wrk -t"$THREADS" -c"$CONNS" -d"${WARM_S}s" -H "Authorization: Basic $(printf '%s' "$API_KEY:$API_SECRET" | base64 -w0)" "$u" >/dev/null
done
wrk -t"$THREADS" -c"$CONNS" -d"${WARM_S}s" "${SIGNED[@]}" "$BILLING$PATH_GET" >/dev/null

BASIC="Authorization: Basic $(printf '%s' "$API_KEY:$API_SECRET" | base64 -w0)"
say "$ROUNDS interleaved rounds of wrk -t$THREADS -c$CONNS -d${DUR}s --latency (a b c d)"
for r in $(seq "$ROUNDS"); do
  mapfile -t SIGNED < <(sign_args)
  wrk_run a "$r" "$BILLING$PATH_GET" "${SIGNED[@]}"
  wrk_run b "$r" "$GW$PATH_GET" -H "$BASIC"
  start_nginx
  wrk_run c "$r" "http://127.0.0.1:$P_NGINX$PATH_GET"
  fact "rss.end.nginx" "$(for p in $(nginx_pids); do rss "$p"; done | awk '{s += $1} END {print s + 0}')"
  stop nginx
  wrk_run d "$r" "http://127.0.0.1:$P_GOPROXY$PATH_GET"
done

# ---------------------------------------------------------------- profile
if [ "$PROFILE_S" -gt 0 ]; then
  say "CPU profile of the gateway during an extra (b) run (${PROFILE_S}s)"
  if curl -fsS --max-time 2 -o /dev/null "http://127.0.0.1:$P_PPROF/debug/pprof/"; then
    wrk -t"$THREADS" -c"$CONNS" -d"$(( PROFILE_S + 2 ))s" -H "$BASIC" "$GW$PATH_GET" >"$LOGS/wrk-profile.txt" 2>&1 &
    wrk_pid=$!
    sleep 1
    curl -fsS --max-time $(( PROFILE_S + 10 )) -o "$RAW/gateway.cpu.pprof" "http://127.0.0.1:$P_PPROF/debug/pprof/profile?seconds=$PROFILE_S" || say "profile fetch failed"
    wait "$wrk_pid" || true
    if [ -s "$RAW/gateway.cpu.pprof" ]; then
      go tool pprof -top -nodecount=30 "$RAW/gateway.cpu.pprof" 2>/dev/null >"$RAW/pprof-top.txt" || true
      go tool pprof -top -cum -nodefraction=0 -nodecount=100000 "$RAW/gateway.cpu.pprof" 2>/dev/null >"$RAW/pprof-cum.txt" || true
    fi
  else
    fact pprof.note "the gateway serves no /debug/pprof/ (HOSTPLANE_PPROF_ADDR not supported by this build)"
  fi
fi

# ---------------------------------------------------------------- open loop
RATE=$("$TOOLS/report" rate -dir "$RAW" -scenario b -fraction 0.5)
fact meta.open_rate "$RATE"
say "open loop at $RATE req/s (half of (b)'s median), ${OPEN_DUR}s per run, $OPEN_ROUNDS round(s) (a b c …)"
for r in $(seq "$OPEN_ROUNDS"); do
  mapfile -t SIGNED < <(sign_args)
  wait_quiet 15
  cpu_begin
  "$TOOLS/load" -url "$BILLING$PATH_GET" -c "$CONNS" -rate "$RATE" -d "${OPEN_DUR}s" "${SIGNED[@]}" -o "$RAW/open-a-$r.json" 2>>"$LOGS/load.log" || die "load (a)"
  cpu_end "open-a.$r"
  wait_quiet 15
  fb0=$(fallbacks)
  cpu_begin
  memstats gateway "$RAW/memstats-open-b-$r-0.txt"
  fact "run.open-b.$r.start_ns" "$(date +%s%N)"
  "$TOOLS/load" -url "$GW$PATH_GET" -c "$CONNS" -rate "$RATE" -d "${OPEN_DUR}s" -basic "$API_KEY:$API_SECRET" -o "$RAW/open-b-$r.json" 2>>"$LOGS/load.log" || die "load (b)"
  fact "run.open-b.$r.end_ns" "$(date +%s%N)"
  memstats gateway "$RAW/memstats-open-b-$r-1.txt"
  cpu_end "open-b.$r"
  fact "fallback.open-b.$r" $(( $(fallbacks) - fb0 ))
  # (c) at the same rate: what a plain keep-alive proxy adds on this machine.
  start_nginx
  wait_quiet 15
  cpu_begin
  "$TOOLS/load" -url "http://127.0.0.1:$P_NGINX$PATH_GET" -c "$CONNS" -rate "$RATE" -d "${OPEN_DUR}s" -o "$RAW/open-c-$r.json" 2>>"$LOGS/load.log" || die "load (c)"
  cpu_end "open-c.$r"
  stop nginx
  tail -n 3 "$LOGS/load.log" | sed 's/^/  /' >&2
done

# ---------------------------------------------------------------- two gateways
say "two gateways sharing Redis: one key limited to $SHARED_LIMIT/s, ${SHARED_S}s through both at $SHARED_RATE req/s, then saturated"
start gateway2 "${gwenv[@]}" "$BIN" gateway --addr="127.0.0.1:$P_GW2"
wait_http "http://127.0.0.1:$P_GW2/readyz" gateway2
# Warm both caches, then let the bucket fill again (burst = limit, 1 s).
for g in "$GW" "http://127.0.0.1:$P_GW2"; do curl -sS -o /dev/null --max-time 5 -u "$LIM_KEY:$LIM_SECRET" "$g$PATH_GET"; done
sleep 1.5
fact twogw.limit "$SHARED_LIMIT"
fact twogw.burst "$SHARED_LIMIT"
fact twogw.rate "$SHARED_RATE"
# twogw: open loop at SHARED_RATE (above the limit, below saturation) — the
# check; twogw-saturated: closed loop, as fast as both gateways answer.
for variant in twogw twogw-saturated; do
  wait_quiet 15
  fb0=$(fallbacks)
  cpu_begin
  if [ "$variant" = twogw ]; then
    "$TOOLS/load" -url "$GW$PATH_GET,http://127.0.0.1:$P_GW2$PATH_GET" -c "$CONNS" -rate "$SHARED_RATE" -d "${SHARED_S}s" -basic "$LIM_KEY:$LIM_SECRET" -o "$RAW/$variant.json" 2>>"$LOGS/load.log" || die "load (two gateways)"
  else
    "$TOOLS/load" -url "$GW$PATH_GET,http://127.0.0.1:$P_GW2$PATH_GET" -c "$CONNS" -d "${SHARED_S}s" -basic "$LIM_KEY:$LIM_SECRET" -o "$RAW/$variant.json" 2>>"$LOGS/load.log" || die "load (two gateways, saturated)"
  fi
  cpu_end "$variant"
  fact "$variant.fallbacks" $(( $(fallbacks) - fb0 ))
  tail -n 1 "$LOGS/load.log" | sed 's/^/  /' >&2
  sleep 1.5 # the bucket fills again (burst = limit: 1 s)
done
stop gateway2

# ---------------------------------------------------------------- Redis faults
now_ns() { date +%s%N; }
fault_run() { # NAME — load for FAULT_TOTAL s with the fault from FAULT_AT for FAULT_LEN
  local name=$1
  wait_quiet 15
  cpu_begin
  "$TOOLS/load" -url "$GW$PATH_GET" -c "$CONNS" -d "${FAULT_TOTAL}s" -timeline 250ms -basic "$API_KEY:$API_SECRET" -o "$RAW/fault-$name.json" 2>>"$LOGS/load.log" &
  local lp=$!
  nap "$FAULT_AT"
  fact "fault.$name.start_ns" "$(now_ns)"
  case $name in
    hung) kill -STOP "$REDIS_PID" ;;
    refused) stop redis; REDIS_PID= ;;
  esac
  nap "$FAULT_LEN"
  case $name in
    hung) kill -CONT "$REDIS_PID" ;;
    refused)
      start redis redis-server --port "$P_REDIS" --bind 127.0.0.1 --save "" --appendonly no --protected-mode no --logfile ""
      REDIS_PID=${PID[redis]} ;;
  esac
  fact "fault.$name.end_ns" "$(now_ns)"
  wait "$lp" || die "load ($name)"
  cpu_end "fault-$name"
  tail -n 1 "$LOGS/load.log" | sed 's/^/  /' >&2
}
fact fault.total_s "$FAULT_TOTAL"; fact fault.at_s "$FAULT_AT"; fact fault.len_s "$FAULT_LEN"
say "Redis hung (SIGSTOP ${FAULT_LEN}s) under load"
fault_run hung
sleep 2
say "Redis refusing (stopped ${FAULT_LEN}s) under load"
fault_run refused
wait_port "$P_REDIS" redis

# ---------------------------------------------------------------- idle RSS
say "idle ${IDLE_S}s, then RSS"
fact meta.idle_s "$IDLE_S"
sleep "$IDLE_S"
record_rss end
memstats gateway "$RAW/memstats-gateway-end.txt"
memstats billing "$RAW/memstats-billing-end.txt"
# What the Go runtime keeps only until its next collection: force one in the
# two processes that serve pprof, let the scavenger return pages, read again.
curl -sS -o /dev/null --max-time 5 "http://127.0.0.1:$P_PPROF/debug/pprof/heap?gc=1" || true
curl -sS -o /dev/null --max-time 5 "http://127.0.0.1:$P_PPROF_BILLING/debug/pprof/heap?gc=1" || true
sleep 2
record_rss gc gateway billing
if curl -fsS --max-time 5 -o "$RAW/gateway.heap.pprof" "http://127.0.0.1:$P_PPROF/debug/pprof/heap"; then
  go tool pprof -top -sample_index=inuse_space -nodecount=12 "$RAW/gateway.heap.pprof" 2>/dev/null >"$RAW/pprof-heap.txt" || true
fi

# ---------------------------------------------------------------- report
mkdir -p "$ROOT/bench/results"
"$TOOLS/report" summary -dir "$RAW" | tee "$ROOT/bench/results/latest.txt"
