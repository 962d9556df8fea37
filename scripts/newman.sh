#!/usr/bin/env bash
# Runs the Postman collection (postman/) with newman against a live `multimed serve`, end to end:
#   npm ci (when postman/node_modules is missing or older than the lock file), a throwaway data dir and
#   database, a CLINICIAN made by `multimed users create`, the server on a free loopback port, newman,
#   then the server stopped and everything removed. Exits with newman's status.
#
#   scripts/newman.sh [extra newman options, e.g. --reporters cli,junit --reporter-junit-export out.xml]
#
# Environment: MULTIMED_NEWMAN_PG_URL (default $MULTIMED_TEST_PG_URL, else postgresql://postgres@127.0.0.1:5432/
# postgres) is where the throwaway database is created and dropped; when it does not answer, the server uses
# its embedded PostgreSQL under the throwaway data dir. MULTIMED_NEWMAN_KEEP=1 keeps the data dir and log;
# MULTIMED_NEWMAN_LOG_LEVEL (default WARNING) is the server's log level; MULTIMED_NEWMAN_TIMEOUT (default 420)
# bounds newman in seconds.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
POSTMAN="$ROOT/postman"
PY="$ROOT/.venv/bin/python"
MULTIMED="$ROOT/.venv/bin/multimed"
NEWMAN="$POSTMAN/node_modules/.bin/newman"
PG_URL="${MULTIMED_NEWMAN_PG_URL:-${MULTIMED_TEST_PG_URL:-postgresql://postgres@127.0.0.1:5432/postgres}}"
KEEP="${MULTIMED_NEWMAN_KEEP:-0}"
SERVER_LOG_LEVEL="${MULTIMED_NEWMAN_LOG_LEVEL:-WARNING}"
NEWMAN_SECONDS="${MULTIMED_NEWMAN_TIMEOUT:-420}"
READY_SECONDS=180

log() { echo "newman.sh: $*" >&2; }

for tool in node npm curl timeout; do
    command -v "$tool" >/dev/null || { log "$tool is not installed"; exit 127; }
done
[[ -x "$MULTIMED" ]] || { log "no $MULTIMED: run make install first"; exit 1; }

# npm writes node_modules/.package-lock.json on every install: older than the lock file means stale.
if [[ ! -x "$NEWMAN" || "$POSTMAN/package-lock.json" -nt "$POSTMAN/node_modules/.package-lock.json" ]]; then
    log "npm ci in postman/"
    (cd "$POSTMAN" && npm ci --no-audit --no-fund --loglevel=error >&2)
fi

# The server must see only what we set here, not the caller's MULTIMED_* (test servers, a dev database).
while IFS= read -r name; do unset "$name"; done < <(compgen -e | grep '^MULTIMED_' || true)
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1

WORK="$(mktemp -d "${TMPDIR:-/tmp}/multimed-newman.XXXXXX")"
SERVER_LOG="$WORK/server.log"
SERVER_PID=""
DATABASE=""

pg_admin() {
    # $1: SQL run on the maintenance database; asyncpg, because the venv has it and psql may be absent.
    "$PY" - "$PG_URL" "$1" <<'PY'
import asyncio, sys

import asyncpg


async def main() -> None:
    conn = await asyncpg.connect(sys.argv[1], timeout=5)
    try:
        await conn.execute(sys.argv[2])
    finally:
        await conn.close()


asyncio.run(main())
PY
}

cleanup() {
    local status=$?
    if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
        # SIGINT, not SIGTERM: uvicorn shuts down gracefully and atexit still stops an embedded PostgreSQL.
        kill -INT "$SERVER_PID" 2>/dev/null || true
        for _ in $(seq 1 60); do
            kill -0 "$SERVER_PID" 2>/dev/null || break
            sleep 0.5
        done
        kill -0 "$SERVER_PID" 2>/dev/null && kill -KILL "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    if [[ -n "$DATABASE" ]]; then
        pg_admin "DROP DATABASE IF EXISTS \"$DATABASE\" WITH (FORCE)" || log "could not drop $DATABASE"
    fi
    if [[ "$KEEP" == "1" ]]; then
        log "kept $WORK"
    else
        rm -rf "$WORK"
    fi
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

server_log_tail() {
    log "server log tail:"
    tail -n 60 "$SERVER_LOG" >&2 || true
}

PORT="$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
secret() { "$PY" -c 'import secrets; print(secrets.token_urlsafe(24))'; }
ADMIN_PASSWORD="$(secret)"
CLINICIAN="clinician"
CLINICIAN_PASSWORD="$(secret)"

export MULTIMED_ENV=dev MULTIMED_DATA_DIR="$WORK/data" MULTIMED_ADMIN_PASSWORD="$ADMIN_PASSWORD"
export MULTIMED_LOG_LEVEL="$SERVER_LOG_LEVEL"
candidate="multimed_newman_$(date +%s)_$$"
if pg_admin "CREATE DATABASE \"$candidate\"" 2>/dev/null; then
    DATABASE="$candidate"
    export MULTIMED_DATABASE_URL="${PG_URL%/*}/$DATABASE"
    log "database $DATABASE on ${PG_URL%/*}"
else
    log "no PostgreSQL at $PG_URL: the server uses its embedded one under $WORK/data"
fi

started=$SECONDS
# Before the server, so the CLI and the server never migrate (or start an embedded PostgreSQL) at once.
"$MULTIMED" users create "$CLINICIAN" --role clinician --password "$CLINICIAN_PASSWORD" >/dev/null
log "clinician created ($((SECONDS - started)) s)"

"$MULTIMED" serve --host 127.0.0.1 --port "$PORT" >"$SERVER_LOG" 2>&1 &
SERVER_PID=$!
BASE_URL="http://127.0.0.1:$PORT"
until [[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 3 "$BASE_URL/health/ready" || true)" == "200" ]]; do
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
        log "the server exited before it was ready"
        server_log_tail
        exit 1
    fi
    if ((SECONDS - started > READY_SECONDS)); then
        log "the server was not ready within ${READY_SECONDS} s"
        server_log_tail
        exit 1
    fi
    sleep 0.5
done
log "server ready on $BASE_URL ($((SECONDS - started)) s)"

newman_started=$SECONDS
set +e
# A bound on newman itself: it exits only when no socket is left open, and a hung run must still reach
# cleanup (bash runs its traps only after the foreground command ends).
timeout --foreground "$NEWMAN_SECONDS" "$NEWMAN" run "$POSTMAN/multimed.postman_collection.json" \
    --environment "$POSTMAN/multimed.postman_environment.json" \
    --env-var "base_url=$BASE_URL" \
    --env-var "username=$CLINICIAN" \
    --env-var "password=$CLINICIAN_PASSWORD" \
    --working-dir "$POSTMAN/fixtures" \
    --timeout-request 120000 \
    --color off \
    "$@"
status=$?
set -e
((status == 124)) && log "newman did not finish within ${NEWMAN_SECONDS} s (MULTIMED_NEWMAN_TIMEOUT)"
log "newman exited $status after $((SECONDS - newman_started)) s (whole run $((SECONDS - started)) s)"
if ((status != 0)); then
    server_log_tail
fi
exit "$status"
