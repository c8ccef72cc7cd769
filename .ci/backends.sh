#!/usr/bin/env bash
# Test backends for CI and local runs: PostgreSQL 15 (cluster 15/main) and RabbitMQ,
# both from Debian's packages, both on 127.0.0.1 only.
#
#   bash .ci/backends.sh install   # apt-get install what is missing (quick when all is there)
#   bash .ci/backends.sh start     # start both, create role/db; remembers what it started
#   bash .ci/backends.sh stop      # stop only what `start` started; never fails if already down
#   bash .ci/backends.sh env       # print `export ...` lines for the test suite
#   bash .ci/backends.sh status    # one line per backend
#
# For the fault tests (tests/faults), which take a running backend away and bring it back:
#   bash .ci/backends.sh rabbitmq-down|rabbitmq-up    # stop/start the RabbitMQ application (the node stays)
#   bash .ci/backends.sh postgres-down|postgres-up    # fast shutdown / start of cluster 15/main
#
# Needs root (apt-get, pg_ctlcluster, rabbitmq-server). State lives in $ERDM_CI_STATE_DIR
# (default /tmp/erdm-ci): markers saying which server `start` started, RabbitMQ's pid file.
set -euo pipefail

PG_VERSION=15
PG_CLUSTER=main
PG_HOST=127.0.0.1
PG_PORT=5432
PG_USER=erdm
PG_PASSWORD=erdm
PG_DB=erdm_test

AMQP_HOST=127.0.0.1
AMQP_PORT=5672

STATE_DIR=${ERDM_CI_STATE_DIR:-/tmp/erdm-ci}
RABBIT_DIR=$STATE_DIR/rabbitmq                 # owned by the rabbitmq user: it writes the pid file
RABBIT_PID_FILE=$RABBIT_DIR/rabbitmq.pid
PG_MARK=$STATE_DIR/postgresql.started-by-us
RABBIT_MARK=$STATE_DIR/rabbitmq.started-by-us
EPMD_MARK=$STATE_DIR/epmd.started-by-us

PG_WAIT=30          # seconds for pg_isready after start
PG_START_WAIT=600   # seconds pg_ctl waits for a start, crash recovery included
PG_STOP_WAIT=30     # seconds for the postmaster to exit after SIGINT
RABBIT_WAIT=90      # seconds for `rabbitmqctl wait`
RABBIT_STOP_WAIT=30 # seconds for beam to exit after SIGTERM

# Every rabbitmqctl call must use the same node name as the server.
export RABBITMQ_NODENAME=rabbit@localhost
export RABBITMQ_NODE_IP_ADDRESS=$AMQP_HOST
export RABBITMQ_NODE_PORT=$AMQP_PORT
export RABBITMQ_PID_FILE=$RABBIT_PID_FILE

log()  { printf '[backends %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die()  { printf '[backends %s] ERROR: %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; exit 1; }

need_root() { [ "$(id -u)" = 0 ] || die "must run as root (uses apt-get, pg_ctlcluster, rabbitmq-server)"; }

# True if something accepts TCP connections on host:port (no ss/netstat needed).
port_open() { timeout 2 bash -c 'exec 3<>"/dev/tcp/$1/$2"' _ "$1" "$2" 2>/dev/null; }

# True if host:port answers the AMQP 0-9-1 protocol header with a frame (type 1 = method).
amqp_answers() {
    local first
    first=$(timeout 3 bash -c '
        exec 3<>"/dev/tcp/$1/$2" || exit 1
        printf "AMQP\x00\x00\x09\x01" >&3
        head -c 1 <&3 | od -An -tx1' _ "$1" "$2" 2>/dev/null) || return 1
    [ "${first// /}" = 01 ]
}

# A process that exited but is not yet reaped (zombie; this machine's pid 1 reaps slowly)
# counts as gone.
pid_alive() {
    [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null || return 1
    local stat; stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
    stat=${stat##*) }
    [ "${stat%% *}" != Z ]
}
# pid_is NAME PID: PID is alive and runs NAME (a stale pid file may name a reused pid).
pid_is() { pid_alive "$2" && [ "$(cat "/proc/$2/comm" 2>/dev/null)" = "$1" ]; }

# Wait until pid $1 does not exist at all (zombie reaped), at most $2 seconds.
wait_gone_zombie() {
    local pid=$1 deadline=$((SECONDS + $2))
    while kill -0 "$pid" 2>/dev/null; do
        [ "$SECONDS" -lt "$deadline" ] || return 1
        sleep 0.2
    done
}

# Wait until pid $1 is gone, at most $2 seconds. Returns 1 on timeout.
wait_pid_gone() {
    local pid=$1 deadline=$((SECONDS + $2))
    while pid_alive "$pid"; do
        [ "$SECONDS" -lt "$deadline" ] || return 1
        sleep 0.2
    done
}

# ---------------------------------------------------------------- install
POLICY_RC_D=/usr/sbin/policy-rc.d
POLICY_ADDED=0
pkg_installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q '^install ok installed$'; }

cmd_install() {
    need_root
    local missing=()
    pkg_installed "postgresql-$PG_VERSION" && command -v pg_ctlcluster >/dev/null \
        || missing+=(postgresql "postgresql-$PG_VERSION")
    pkg_installed rabbitmq-server && command -v rabbitmqctl >/dev/null \
        || missing+=(rabbitmq-server)
    # Only installed: the gateway's rate-limit tests start (and stop) their own redis-server.
    pkg_installed redis-server && command -v redis-server >/dev/null \
        || missing+=(redis-server)
    if [ "${#missing[@]}" -eq 0 ]; then
        log "install: postgresql-$PG_VERSION, rabbitmq-server and redis-server already installed"
        return 0
    fi
    log "install: missing ${missing[*]}; apt-get update + install"
    # Keep package scripts from starting the services: `start` starts them its own way
    # (127.0.0.1 only, our node name) and must know it started them.
    if [ ! -e "$POLICY_RC_D" ]; then
        printf '#!/bin/sh\nexit 101\n' > "$POLICY_RC_D" && chmod +x "$POLICY_RC_D"
        POLICY_ADDED=1
        trap 'if [ "$POLICY_ADDED" = 1 ]; then rm -f "$POLICY_RC_D"; fi' EXIT
    fi
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq || die "apt-get update failed"
    apt-get install -y -qq "${missing[@]}" || die "apt-get install ${missing[*]} failed"
    if [ "$POLICY_ADDED" = 1 ]; then rm -f "$POLICY_RC_D"; POLICY_ADDED=0; fi
    log "install: done"
}

# ---------------------------------------------------------------- PostgreSQL
pg_datadir() {
    # pg_lsclusters -h: ver cluster port status owner datadir logfile
    pg_lsclusters -h 2>/dev/null | awk -v v="$PG_VERSION" -v c="$PG_CLUSTER" '$1==v && $2==c {print $6}'
}
pg_cluster_port() {
    pg_lsclusters -h 2>/dev/null | awk -v v="$PG_VERSION" -v c="$PG_CLUSTER" '$1==v && $2==c {print $3}'
}
pg_logfile() {
    pg_lsclusters -h 2>/dev/null | awk -v v="$PG_VERSION" -v c="$PG_CLUSTER" '$1==v && $2==c {print $7}'
}
pg_postmaster_pid() {
    local dd; dd=$(pg_datadir)
    [ -n "$dd" ] && [ -r "$dd/postmaster.pid" ] && head -n 1 "$dd/postmaster.pid" | tr -dc '0-9'
}
# Not `pg_ctlcluster status`: pg_ctl takes an exited, not yet reaped (zombie) postmaster
# for a running one.
pg_running() { pid_is postgres "$(pg_postmaster_pid || true)"; }
# A killed postmaster leaves postmaster.pid behind. postgres removes it by itself, unless
# its pid still exists: a zombie (this machine's pid 1 reaps late) or a reused pid.
pg_clear_stale_pidfile() {
    local pid; pid=$(pg_postmaster_pid || true)
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
    if [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = postgres ]; then
        log "postgres: waiting for the exited postmaster $pid to be reaped"
        wait_gone_zombie "$pid" 30 || die "postgres: exited postmaster $pid still not reaped after 30s"
    else
        log "postgres: removing stale postmaster.pid (pid $pid is now another process)"
        rm -f "$(pg_datadir)/postmaster.pid"
    fi
}
# psql as the postgres superuser over the unix socket (peer auth).
pg_super() { (cd / && runuser -u postgres -- psql -X -q -v ON_ERROR_STOP=1 -p "$PG_PORT" "$@"); }

pg_start() {
    command -v pg_ctlcluster >/dev/null || die "PostgreSQL is not installed (run: $0 install)"
    if [ -z "$(pg_datadir)" ]; then
        log "postgres: cluster $PG_VERSION/$PG_CLUSTER does not exist; creating it"
        pg_createcluster -p "$PG_PORT" "$PG_VERSION" "$PG_CLUSTER" >/dev/null \
            || die "pg_createcluster $PG_VERSION $PG_CLUSTER failed"
    fi
    local port; port=$(pg_cluster_port)
    [ "$port" = "$PG_PORT" ] || die "cluster $PG_VERSION/$PG_CLUSTER is configured for port $port, expected $PG_PORT"

    if pg_running; then
        if [ -e "$PG_MARK" ]; then
            log "postgres: already running (started by an earlier 'start')"
        else
            log "postgres: already running before 'start'; 'stop' will leave it running"
        fi
    else
        rm -f "$PG_MARK"
        port_open "$PG_HOST" "$PG_PORT" \
            && die "port $PG_HOST:$PG_PORT is taken by something other than cluster $PG_VERSION/$PG_CLUSTER"
        pg_clear_stale_pidfile
        log "postgres: starting cluster $PG_VERSION/$PG_CLUSTER on $PG_HOST:$PG_PORT"
        : > "$PG_MARK"   # before starting: an interrupted start must still be stopped
        # -o options also make pg_ctlcluster skip its systemctl redirect. A cluster whose
        # postmaster was killed (a machine restarted mid-run) first fsyncs every file of
        # every database, file by file: over a minute with the suite's template databases,
        # longer than pg_ctl's default 60 s wait. syncfs does it in one call per file
        # system, and pg_ctl is given PG_START_WAIT for the recovery.
        if ! pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" start \
                -o "-c listen_addresses=$PG_HOST -c recovery_init_sync_method=syncfs" \
                -- -t "$PG_START_WAIT"; then
            tail -n 20 "$(pg_logfile)" >&2 2>/dev/null || true
            die "pg_ctlcluster $PG_VERSION $PG_CLUSTER start failed (log: $(pg_logfile))"
        fi
    fi

    local deadline=$((SECONDS + PG_WAIT))
    until pg_isready -q -h "$PG_HOST" -p "$PG_PORT"; do
        if [ "$SECONDS" -ge "$deadline" ]; then
            tail -n 20 "$(pg_logfile)" >&2 2>/dev/null || true
            die "postgres: not ready on $PG_HOST:$PG_PORT after ${PG_WAIT}s (log: $(pg_logfile))"
        fi
        sleep 0.2
    done

    # Role and database, idempotently. SUPERUSER so tests may create databases/extensions.
    pg_super -d postgres <<SQL || die "postgres: could not create role $PG_USER"
DO \$\$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$PG_USER') THEN
    CREATE ROLE $PG_USER LOGIN SUPERUSER PASSWORD '$PG_PASSWORD';
  ELSE
    ALTER ROLE $PG_USER LOGIN SUPERUSER PASSWORD '$PG_PASSWORD';
  END IF;
END
\$\$;
SQL
    if [ "$(pg_super -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$PG_DB'")" != 1 ]; then
        pg_super -d postgres -c "CREATE DATABASE $PG_DB OWNER $PG_USER" \
            || die "postgres: could not create database $PG_DB"
    fi
    log "postgres: ready (role $PG_USER, database $PG_DB)"
}

pg_stop() {
    if [ ! -e "$PG_MARK" ]; then
        if command -v pg_lsclusters >/dev/null && pg_running; then
            log "postgres: was running before 'start'; leaving it running"
        fi
        return 0
    fi
    local pid; pid=$(pg_postmaster_pid || true)
    if ! pid_is postgres "$pid"; then
        log "postgres: already stopped"
        rm -f "$PG_MARK"; return 0
    fi
    log "postgres: stopping (SIGINT to postmaster $pid)"
    kill -INT "$pid" 2>/dev/null || true
    if ! wait_pid_gone "$pid" "$PG_STOP_WAIT"; then
        log "postgres: still up after ${PG_STOP_WAIT}s; immediate shutdown (SIGQUIT)"
        kill -QUIT "$pid" 2>/dev/null || true
        wait_pid_gone "$pid" 10 || { log "postgres: WARNING: postmaster $pid did not exit"; return 0; }
    fi
    rm -f "$PG_MARK"
    log "postgres: stopped"
}

# ---------------------------------------------------------------- RabbitMQ
rabbit_pid() { [ -r "$RABBIT_PID_FILE" ] && head -n 1 "$RABBIT_PID_FILE" | tr -dc '0-9'; }
epmd_running() { epmd -names >/dev/null 2>&1; }
rabbit_log() { echo "/var/log/rabbitmq/$RABBITMQ_NODENAME.log"; }
rabbit_fail() {
    local f
    for f in "$STATE_DIR/rabbitmq-server.out" "$(rabbit_log)"; do
        [ -s "$f" ] && { echo "--- tail of $f" >&2; tail -n 20 "$f" >&2; }
    done
    die "rabbitmq: $*"
}

rabbit_wait_ready() {
    # `rabbitmqctl await_startup` right after start fails (node not registered yet);
    # `wait <pidfile>` waits for the pid file, then for the app to boot.
    if ! timeout $((RABBIT_WAIT + 30)) rabbitmqctl -q wait --timeout "$RABBIT_WAIT" "$RABBIT_PID_FILE" \
            > "$STATE_DIR/rabbitmqctl-wait.out" 2>&1; then
        cat "$STATE_DIR/rabbitmqctl-wait.out" >&2 || true
        rabbit_fail "not up after ${RABBIT_WAIT}s (rabbitmqctl wait failed)"
    fi
    local deadline=$((SECONDS + 30))
    until amqp_answers "$AMQP_HOST" "$AMQP_PORT"; do
        [ "$SECONDS" -lt "$deadline" ] || rabbit_fail "node booted but $AMQP_HOST:$AMQP_PORT does not answer AMQP"
        sleep 0.2
    done
}

rabbit_start() {
    command -v rabbitmq-server >/dev/null || die "RabbitMQ is not installed (run: $0 install)"
    local pid; pid=$(rabbit_pid || true)
    if pid_is beam.smp "$pid"; then
        amqp_answers "$AMQP_HOST" "$AMQP_PORT" || {
            log "rabbitmq: node $pid is up but not answering yet; waiting"
            rabbit_wait_ready
        }
        if [ -e "$RABBIT_MARK" ]; then
            log "rabbitmq: already running (started by an earlier 'start')"
        else
            log "rabbitmq: already running before 'start'; 'stop' will leave it running"
        fi
        return 0
    fi
    if port_open "$AMQP_HOST" "$AMQP_PORT"; then
        amqp_answers "$AMQP_HOST" "$AMQP_PORT" \
            || die "rabbitmq: port $AMQP_HOST:$AMQP_PORT is taken by something that does not speak AMQP"
        rm -f "$RABBIT_MARK"
        log "rabbitmq: an AMQP server was already running before 'start'; 'stop' will leave it running"
        return 0
    fi
    rm -f "$RABBIT_MARK" "$RABBIT_PID_FILE"
    # epmd is ours if it is not running now, or if an earlier 'start' of ours launched it
    # and its node died without 'stop' (then EPMD_MARK is still there).
    epmd_running || : > "$EPMD_MARK"
    mkdir -p "$RABBIT_DIR"
    chown rabbitmq:rabbitmq "$RABBIT_DIR"
    log "rabbitmq: starting $RABBITMQ_NODENAME on $AMQP_HOST:$AMQP_PORT (detached)"
    : > "$RABBIT_MARK"   # before starting: an interrupted start must still be stopped
    # epmd (started by the node when absent) and the distribution port (25672) listen
    # on loopback only.
    ERL_EPMD_ADDRESS=127.0.0.1 \
    RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="${RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS:-} -kernel inet_dist_use_interface {127,0,0,1}" \
        rabbitmq-server -detached > "$STATE_DIR/rabbitmq-server.out" 2>&1 \
        || rabbit_fail "rabbitmq-server -detached failed"
    rabbit_wait_ready
    log "rabbitmq: ready (pid $(rabbit_pid))"
}

rabbit_stop() {
    if [ ! -e "$RABBIT_MARK" ]; then
        if command -v rabbitmq-server >/dev/null && port_open "$AMQP_HOST" "$AMQP_PORT"; then
            log "rabbitmq: was running before 'start'; leaving it running"
        fi
        return 0
    fi
    local pid; pid=$(rabbit_pid || true)
    if pid_is beam.smp "$pid"; then
        log "rabbitmq: stopping (SIGTERM to $pid)"
        kill -TERM "$pid" 2>/dev/null || true
        if ! wait_pid_gone "$pid" "$RABBIT_STOP_WAIT"; then
            log "rabbitmq: still up after ${RABBIT_STOP_WAIT}s; SIGKILL"
            kill -KILL "$pid" 2>/dev/null || true
            wait_pid_gone "$pid" 5 || log "rabbitmq: WARNING: pid $pid did not exit"
        fi
    elif port_open "$AMQP_HOST" "$AMQP_PORT" || epmd -names 2>/dev/null | grep -q "^name ${RABBITMQ_NODENAME%@*} "; then
        # Marker but no pid file (e.g. start interrupted half-way): ask the node itself.
        log "rabbitmq: no pid file; rabbitmqctl stop"
        timeout 60 rabbitmqctl -q stop >/dev/null 2>&1 || log "rabbitmq: WARNING: rabbitmqctl stop failed"
    else
        log "rabbitmq: already stopped"
    fi
    if [ -e "$EPMD_MARK" ]; then
        # Refused by epmd while other nodes are still registered, which is what we want.
        epmd -kill >/dev/null 2>&1 || true
        rm -f "$EPMD_MARK"
    fi
    rm -f "$RABBIT_MARK" "$RABBIT_PID_FILE"
    log "rabbitmq: stopped"
}

# ---------------------------------------------------------------- faults
source "$(dirname "${BASH_SOURCE[0]}")/backends-faults.sh"

# ---------------------------------------------------------------- commands
cmd_start() {
    need_root
    mkdir -p "$STATE_DIR"
    local t0=$SECONDS
    pg_start
    rabbit_start
    log "start: both backends ready in $((SECONDS - t0))s"
}

cmd_stop() {
    need_root
    mkdir -p "$STATE_DIR"
    # Never fail: stop both even if one misbehaves.
    ( pg_stop ) || log "postgres: WARNING: stop reported an error"
    ( rabbit_stop ) || log "rabbitmq: WARNING: stop reported an error"
    return 0
}

cmd_env() {
    echo "export ERDM_TEST_POSTGRES_URL=postgresql+psycopg://$PG_USER:$PG_PASSWORD@$PG_HOST:$PG_PORT/$PG_DB"
    echo "export ERDM_TEST_AMQP_URL=amqp://guest:guest@$AMQP_HOST:$AMQP_PORT//"
    echo "export ERDM_TEST_BACKENDS_CONTROL=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$(basename "${BASH_SOURCE[0]}")"
}

cmd_status() {
    local pg=down rb=down
    pg_isready -q -h "$PG_HOST" -p "$PG_PORT" 2>/dev/null && pg=up
    amqp_answers "$AMQP_HOST" "$AMQP_PORT" && rb=up
    echo "postgresql $PG_HOST:$PG_PORT $pg$([ -e "$PG_MARK" ] && echo ' (started by us)')"
    echo "rabbitmq   $AMQP_HOST:$AMQP_PORT $rb$([ -e "$RABBIT_MARK" ] && echo ' (started by us)')"
}

case "${1:-}" in
    install) cmd_install ;;
    start)   cmd_start ;;
    stop)    cmd_stop ;;
    env)     cmd_env ;;
    status)  cmd_status ;;
    rabbitmq-down) need_root; rabbit_down ;;
    rabbitmq-up)   need_root; rabbit_up ;;
    postgres-down) need_root; pg_down ;;
    postgres-up)   need_root; pg_up ;;
    *) echo "usage: $0 {install|start|stop|env|status|rabbitmq-down|rabbitmq-up|postgres-down|postgres-up}" >&2; exit 2 ;;
esac
