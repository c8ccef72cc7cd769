# Sourced by backends.sh (uses its settings and helpers): the fault tests' switches.
# A real outage as clients see it: connections dropped, new ones refused; durable queues, persistent
# messages and committed rows survive. The markers of start/stop are left as they are; `-up` on a
# server that is up does nothing, so a test can always end with both.
rabbit_down() {
    timeout 60 rabbitmqctl -q stop_app >/dev/null || die "rabbitmq: stop_app failed"
    log "rabbitmq: application stopped (node $RABBITMQ_NODENAME still up)"
}
rabbit_up() {
    amqp_answers "$AMQP_HOST" "$AMQP_PORT" && { log "rabbitmq: already up"; return 0; }
    timeout 90 rabbitmqctl -q start_app >/dev/null || rabbit_fail "start_app failed"
    local deadline=$((SECONDS + 30))
    until amqp_answers "$AMQP_HOST" "$AMQP_PORT"; do
        [ "$SECONDS" -lt "$deadline" ] || rabbit_fail "start_app done but $AMQP_HOST:$AMQP_PORT does not answer AMQP"
        sleep 0.2
    done
    log "rabbitmq: application started"
}
pg_down() {
    pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" stop -m fast || die "postgres: fast shutdown failed"
    log "postgres: stopped (fast)"
}
pg_up() {
    pg_isready -q -h "$PG_HOST" -p "$PG_PORT" && { log "postgres: already up"; return 0; }
    pg_clear_stale_pidfile
    pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" start -o "-c listen_addresses=$PG_HOST" \
        || die "postgres: start failed (log: $(pg_logfile))"
    local deadline=$((SECONDS + PG_WAIT))
    until pg_isready -q -h "$PG_HOST" -p "$PG_PORT"; do
        [ "$SECONDS" -lt "$deadline" ] || die "postgres: not ready after ${PG_WAIT}s"
        sleep 0.2
    done
    log "postgres: started"
}
