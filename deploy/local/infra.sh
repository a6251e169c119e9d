#!/usr/bin/env bash
# infra.sh starts, stops and reports the real infrastructure that Hostplane's
# integration tests and `make stack` use, on one machine, without containers:
#
#   postgres    127.0.0.1:5432  the Debian cluster "main" (trust auth for root, postgres)
#   postgres-2  127.0.0.1:5433  a second cluster "tenants2" (tenant placement tests)
#   redis       127.0.0.1:6379  nothing kept on disk
#   consul      127.0.0.1:8500  a dev agent (Consul v1.16.6, built by build-consul.sh)
#
# usage: infra.sh up|down|status
#   up      starts whatever does not answer (installing Debian packages a fresh
#           machine lacks) and waits until each answers; idempotent.
#   down    stops only what infra.sh itself started; a server that was running
#           before (the machine's own PostgreSQL and Redis) is left alone.
#   status  one line per dependency; exits 1 when any is down.
#
# State (pid files, logs, markers) lives in ${XDG_CACHE_HOME:-~/.cache}/hostplane
# (HOSTPLANE_RUN_DIR overrides it); tools in its tools/ (HOSTPLANE_TOOLS_DIR),
# as build-consul.sh does.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
RUN_DIR=${HOSTPLANE_RUN_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/hostplane}

PG_PORT=5432
PG2_PORT=5433
PG2_CLUSTER=tenants2
REDIS_PORT=6379
CONSUL_HTTP=127.0.0.1:8500

CONSUL_PID=$RUN_DIR/consul.pid
CONSUL_LOG=$RUN_DIR/consul.log
REDIS_PID=$RUN_DIR/redis.pid
REDIS_LOG=$RUN_DIR/redis.log
PG_MARK=$RUN_DIR/postgres-main.started-by-infra

# The Go toolchain builds Consul; make sure the usual install is on PATH.
if ! command -v go >/dev/null 2>&1 && [ -x /usr/local/go/bin/go ]; then
  PATH=/usr/local/go/bin:$PATH
fi

log() { printf 'infra: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

# ---------------------------------------------------------------- probes

# port_open PORT: something accepts TCP connections on 127.0.0.1:PORT.
port_open() {
  # shellcheck disable=SC2016 # $1 expands in the inner shell
  timeout 2 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1"' _ "$1" 2>/dev/null
}

# pg_up PORT: PostgreSQL accepts connections on 127.0.0.1:PORT.
pg_up() {
  if command -v pg_isready >/dev/null 2>&1; then
    pg_isready -q -h 127.0.0.1 -p "$1" -t 2 2>/dev/null
  else
    port_open "$1"
  fi
}

# pg_trusts PORT USER: USER connects over TCP without a password.
pg_trusts() {
  PGCONNECT_TIMEOUT=3 psql -w -h 127.0.0.1 -p "$1" -U "$2" -d postgres -Atqc 'select 1' >/dev/null 2>&1
}

# redis_up: Redis answers PING on 127.0.0.1:6379.
redis_up() {
  local reply
  # shellcheck disable=SC2016 # $1 and $line expand in the inner shell
  reply=$(timeout 2 bash -c '
    exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 1
    printf "PING\r\n" >&3
    IFS= read -r line <&3 && printf "%s" "$line"' _ "$REDIS_PORT" 2>/dev/null) || return 1
  [[ $reply == +PONG* ]]
}

# http_get URL: the body of a GET (empty and failing when it does not answer).
http_get() {
  if command -v curl >/dev/null 2>&1; then
    curl -fsS -m 2 "$1" 2>/dev/null
  else
    local hostport=${1#http://} path
    path=/${hostport#*/}
    hostport=${hostport%%/*}
    # shellcheck disable=SC2016 # $1 and $2 expand in the inner shell
    timeout 2 bash -c '
      exec 3<>"/dev/tcp/${1%:*}/${1##*:}" || exit 1
      printf "GET %s HTTP/1.0\r\nHost: %s\r\n\r\n" "$2" "$1" >&3
      sed "1,/^\r\?$/d" <&3' _ "$hostport" "$path" 2>/dev/null
  fi
}

# consul_leader: the agent's leader address, or failure when it has none.
consul_leader() {
  local body
  body=$(http_get "http://$CONSUL_HTTP/v1/status/leader") || return 1
  [ -n "$body" ] && [ "$body" != '""' ] || return 1
  printf '%s' "$body" | tr -d '"'
}

# wait_for WHAT SECONDS CMD...: retries CMD every half second.
wait_for() {
  local what=$1 secs=$2 i
  shift 2
  for ((i = 0; i < secs * 2; i++)); do
    if "$@"; then
      return 0
    fi
    sleep 0.5
  done
  die "$what did not come up within ${secs}s"
}

# ---------------------------------------------------------------- packages

APT_UPDATED=
apt_install() {
  command -v apt-get >/dev/null 2>&1 || die "need Debian packages $*, and there is no apt-get"
  if [ -z "$APT_UPDATED" ]; then
    log "apt-get update"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
    APT_UPDATED=1
  fi
  log "apt-get install $*"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >&2
}

# pg_version: the newest PostgreSQL major version with clusters configured.
pg_version() {
  find /etc/postgresql -mindepth 1 -maxdepth 1 -type d -printf '%f\n' 2>/dev/null | sort -V | tail -n 1
}

ensure_pg_packages() {
  if ! command -v pg_ctlcluster >/dev/null 2>&1 || [ -z "$(pg_version)" ]; then
    apt_install postgresql
  fi
  [ -n "$(pg_version)" ] || die "no PostgreSQL cluster under /etc/postgresql after installing"
}

# as_postgres CMD...: runs CMD as the postgres system user (peer auth on the socket).
as_postgres() {
  if command -v runuser >/dev/null 2>&1; then
    runuser -u postgres -- "$@"
  else
    su postgres -s /bin/sh -c "$(printf '%q ' "$@")"
  fi
}

# ---------------------------------------------------------------- postgres

# pg_trust_local VERSION CLUSTER PORT: trust auth on the loopback addresses,
# and a superuser role root, unless users postgres and root already get in.
pg_trust_local() {
  local version=$1 cluster=$2 port=$3 hba
  command -v psql >/dev/null 2>&1 || { log "no psql: cannot check auth on :$port"; return 0; }
  if pg_trusts "$port" postgres && pg_trusts "$port" root; then
    return 0
  fi
  hba=/etc/postgresql/$version/$cluster/pg_hba.conf
  if ! pg_trusts "$port" postgres; then
    [ -f "$hba" ] || die "no $hba"
    log "postgres :$port: trusting local TCP connections in $hba"
    local tmp
    tmp=$(mktemp)
    {
      echo "# added by hostplane deploy/local/infra.sh: trust local TCP connections"
      echo "host all all 127.0.0.1/32 trust"
      echo "host all all ::1/128 trust"
      grep -v '^# added by hostplane deploy/local/infra.sh' "$hba" |
        grep -Ev '^host[[:space:]]+all[[:space:]]+all[[:space:]]+(127\.0\.0\.1/32|::1/128)[[:space:]]+trust[[:space:]]*$' || true
    } >"$tmp"
    cat "$tmp" >"$hba" # keeps the file's owner and mode
    rm -f "$tmp"
    pg_ctlcluster --skip-systemctl-redirect "$version" "$cluster" reload >&2
    wait_for "postgres :$port (trust auth)" 10 pg_trusts "$port" postgres
  fi
  if ! pg_trusts "$port" root; then
    log "postgres :$port: creating superuser role root"
    psql -w -h 127.0.0.1 -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 -qc \
      "DO \$\$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'root') THEN CREATE ROLE root SUPERUSER LOGIN; END IF; END\$\$;" >&2
    if ! psql -w -h 127.0.0.1 -p "$port" -U postgres -d postgres -Atqc \
      "SELECT 1 FROM pg_database WHERE datname = 'root'" | grep -q 1; then
      psql -w -h 127.0.0.1 -p "$port" -U postgres -d postgres -qc 'CREATE DATABASE root OWNER root' >&2
    fi
  fi
}

pg_main_up() {
  if pg_up "$PG_PORT"; then
    log "postgres 127.0.0.1:$PG_PORT already answers"
  else
    ensure_pg_packages
    local version
    version=$(pg_version)
    [ -d "/etc/postgresql/$version/main" ] || die "no cluster $version/main (pg_createcluster $version main)"
    if pg_up "$PG_PORT"; then
      log "postgres 127.0.0.1:$PG_PORT answers after install"
    else
      log "starting postgres cluster $version/main on :$PG_PORT"
      mkdir -p "$RUN_DIR"
      pg_ctlcluster --skip-systemctl-redirect "$version" main start >&2
      touch "$PG_MARK"
      wait_for "postgres :$PG_PORT" 30 pg_up "$PG_PORT"
    fi
  fi
  if ! pg_trusts "$PG_PORT" postgres || ! pg_trusts "$PG_PORT" root; then
    pg_trust_local "$(pg_version)" main "$PG_PORT"
  fi
}

pg2_exists() {
  [ -n "$(pg_version)" ] && [ -d "/etc/postgresql/$(pg_version)/$PG2_CLUSTER" ]
}

pg2_up() {
  if pg_up "$PG2_PORT"; then
    log "postgres-2 127.0.0.1:$PG2_PORT already answers"
  else
    ensure_pg_packages
    local version
    version=$(pg_version)
    if ! pg2_exists; then
      log "creating postgres cluster $version/$PG2_CLUSTER on :$PG2_PORT"
      pg_createcluster "$version" "$PG2_CLUSTER" --port "$PG2_PORT" --start-conf manual >&2
      cat >"/etc/postgresql/$version/$PG2_CLUSTER/pg_hba.conf" <<'EOF'
# written by hostplane deploy/local/infra.sh: a throwaway test cluster
local all postgres           peer
local all all                peer
host  all all 127.0.0.1/32   trust
host  all all ::1/128        trust
EOF
      chown postgres:postgres "/etc/postgresql/$version/$PG2_CLUSTER/pg_hba.conf"
    fi
    log "starting postgres cluster $version/$PG2_CLUSTER on :$PG2_PORT"
    pg_ctlcluster --skip-systemctl-redirect "$version" "$PG2_CLUSTER" start >&2
    wait_for "postgres-2 :$PG2_PORT" 30 pg_up "$PG2_PORT"
  fi
  if ! pg_trusts "$PG2_PORT" postgres || ! pg_trusts "$PG2_PORT" root; then
    pg_trust_local "$(pg_version)" "$PG2_CLUSTER" "$PG2_PORT"
  fi
}

pg_down() {
  local version
  version=$(pg_version)
  if pg2_exists && pg_up "$PG2_PORT"; then
    log "stopping postgres cluster $version/$PG2_CLUSTER"
    pg_ctlcluster --skip-systemctl-redirect "$version" "$PG2_CLUSTER" stop -m fast >&2
  fi
  if [ -f "$PG_MARK" ]; then
    if [ -n "$version" ] && pg_up "$PG_PORT"; then
      log "stopping postgres cluster $version/main (started by infra.sh)"
      pg_ctlcluster --skip-systemctl-redirect "$version" main stop -m fast >&2
    fi
    rm -f "$PG_MARK"
  fi
}

# ---------------------------------------------------------------- redis

redis_start() {
  if redis_up; then
    log "redis 127.0.0.1:$REDIS_PORT already answers"
    return 0
  fi
  if ! command -v redis-server >/dev/null 2>&1; then
    apt_install redis-server
    # A package install may start its own server.
    if redis_up; then
      log "redis 127.0.0.1:$REDIS_PORT answers after install"
      return 0
    fi
  fi
  mkdir -p "$RUN_DIR"
  log "starting redis-server on 127.0.0.1:$REDIS_PORT"
  redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" --save "" --appendonly no \
    --dir "$RUN_DIR" --pidfile "$REDIS_PID" --logfile "$REDIS_LOG" >&2
  wait_for "redis :$REDIS_PORT" 20 redis_up
}

redis_stop() {
  stop_pidfile redis "$REDIS_PID"
}

# ---------------------------------------------------------------- consul

consul_start() {
  if consul_leader >/dev/null; then
    log "consul $CONSUL_HTTP already answers (leader $(consul_leader))"
    return 0
  fi
  if port_open 8500; then
    log "consul on $CONSUL_HTTP answers without a leader yet; waiting"
    wait_for "consul leader" 30 consul_leader >/dev/null
    return 0
  fi
  local bin
  bin=${HOSTPLANE_CONSUL_BIN:-$("$HERE/build-consul.sh")}
  [ -x "$bin" ] || die "no consul binary at $bin"
  mkdir -p "$RUN_DIR"
  log "starting consul dev agent on $CONSUL_HTTP ($bin, log $CONSUL_LOG)"
  CHECKPOINT_DISABLE=1 nohup "$bin" agent -dev -bind 127.0.0.1 -client 127.0.0.1 \
    </dev/null >"$CONSUL_LOG" 2>&1 &
  echo $! >"$CONSUL_PID"
  local i
  for ((i = 0; i < 60; i++)); do
    if consul_leader >/dev/null; then
      log "consul leader elected: $(consul_leader)"
      return 0
    fi
    if ! kill -0 "$(cat "$CONSUL_PID")" 2>/dev/null; then
      tail -n 20 "$CONSUL_LOG" >&2 || true
      die "consul exited; see $CONSUL_LOG"
    fi
    sleep 0.5
  done
  die "consul elected no leader within 30s; see $CONSUL_LOG"
}

consul_stop() {
  stop_pidfile consul "$CONSUL_PID"
}

# stop_pidfile NAME FILE: stops the process a pid file of ours names.
stop_pidfile() {
  local name=$1 file=$2 pid i
  [ -f "$file" ] || return 0
  pid=$(cat "$file")
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    log "stopping $name (pid $pid)"
    kill "$pid"
    for ((i = 0; i < 40; i++)); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.25
    done
    if kill -0 "$pid" 2>/dev/null; then
      log "$name did not stop; killing it"
      kill -9 "$pid" 2>/dev/null || true
    fi
  fi
  rm -f "$file"
}

# ---------------------------------------------------------------- commands

cmd_up() {
  pg_main_up
  pg2_up
  redis_start
  consul_start
  log "all up"
  cmd_status >&2 || true
}

cmd_down() {
  consul_stop
  redis_stop
  pg_down
  log "down (services infra.sh did not start are left running)"
}

cmd_status() {
  local ok=0 leader
  line() { printf '%-11s %-5s %s\n' "$1" "$2" "$3"; }
  if pg_up "$PG_PORT"; then line postgres up "127.0.0.1:$PG_PORT"; else line postgres down "127.0.0.1:$PG_PORT"; ok=1; fi
  if pg_up "$PG2_PORT"; then line postgres-2 up "127.0.0.1:$PG2_PORT"; else line postgres-2 down "127.0.0.1:$PG2_PORT"; ok=1; fi
  if redis_up; then line redis up "127.0.0.1:$REDIS_PORT"; else line redis down "127.0.0.1:$REDIS_PORT"; ok=1; fi
  if leader=$(consul_leader); then
    line consul up "$CONSUL_HTTP (leader $leader)"
  else
    line consul down "$CONSUL_HTTP"
    ok=1
  fi
  return "$ok"
}

case ${1:-} in
up) cmd_up ;;
down) cmd_down ;;
status) cmd_status ;;
*)
  echo "usage: $0 up|down|status" >&2
  exit 2
  ;;
esac
