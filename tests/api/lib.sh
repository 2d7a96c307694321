# shellcheck shell=bash
# Helpers for shell scripts that run a real `irnet serve` (sourced by
# tests/api/run_schemathesis.sh and bench/*.sh). Needs curl and python3.
#
#   irnet_start LOG DATA_DIR [extra serve args...]   sets IRNET_PID IRNET_PORT IRNET_URL
#   irnet_stop                                        SIGTERM, bounded wait; returns serve's exit code
#   irnet_create_admin EMAIL PASSWORD [cli args...]   e.g. --data-dir DIR [--database-url URL]
#   irnet_create_token EMAIL [cli args...]            prints the token

IRNET_READY_TIMEOUT="${IRNET_READY_TIMEOUT:-60}"
IRNET_STOP_TIMEOUT="${IRNET_STOP_TIMEOUT:-15}"

irnet_log() { printf '[%s] %s\n' "${IRNET_LOG_TAG:-irnet}" "$*" >&2; }
irnet_die() { irnet_log "ERROR: $*"; exit 1; }

# The release binary: $IRNET_BIN, else $CARGO_TARGET_DIR/release/irnet, else target/release/irnet.
irnet_bin() {
  if [[ -n "${IRNET_BIN:-}" ]]; then
    printf '%s\n' "$IRNET_BIN"
  elif [[ -n "${CARGO_TARGET_DIR:-}" ]]; then
    printf '%s\n' "$CARGO_TARGET_DIR/release/irnet"
  else
    printf '%s\n' "target/release/irnet"
  fi
}

irnet_free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# Poll URL/readyz until 200, bounded; fail early if PID died.
irnet_wait_ready() {
  local url="$1" pid="$2" log="$3" timeout="${4:-$IRNET_READY_TIMEOUT}"
  local deadline=$(( $(date +%s) + timeout ))
  until curl -fsS -o /dev/null --max-time 2 "$url/readyz" 2>/dev/null; do
    if ! kill -0 "$pid" 2>/dev/null; then
      irnet_log "irnet serve (pid $pid) exited before it was ready; last lines of $log:"
      tail -n 40 "$log" >&2 || true
      return 1
    fi
    if (( $(date +%s) >= deadline )); then
      irnet_log "/readyz not 200 within ${timeout}s; last lines of $log:"
      tail -n 40 "$log" >&2 || true
      return 1
    fi
    sleep 0.1
  done
}

irnet_start() {
  local log="$1" data_dir="$2"; shift 2
  local bin; bin="$(irnet_bin)"
  [[ -x "$bin" ]] || irnet_die "irnet binary not found at $bin (cargo build --release -p irnet-cli, or set IRNET_BIN)"
  IRNET_PORT="$(irnet_free_port)"
  IRNET_URL="http://127.0.0.1:$IRNET_PORT"
  RUST_LOG="${RUST_LOG:-info}" "$bin" serve --listen "127.0.0.1:$IRNET_PORT" --data-dir "$data_dir" "$@" \
    </dev/null >"$log" 2>&1 &
  IRNET_PID=$!
  irnet_wait_ready "$IRNET_URL" "$IRNET_PID" "$log" || return 1
  if ! grep -qF "$IRNET_URL" "$log"; then
    irnet_log "contract: serve did not print a line containing $IRNET_URL"
    return 1
  fi
}

# Stop the server started by irnet_start; returns its exit status (0 = graceful).
irnet_stop() {
  [[ -n "${IRNET_PID:-}" ]] || return 0
  local pid="$IRNET_PID" status=0
  IRNET_PID=""
  kill -TERM "$pid" 2>/dev/null || true
  local deadline=$(( $(date +%s) + IRNET_STOP_TIMEOUT ))
  while kill -0 "$pid" 2>/dev/null; do
    if (( $(date +%s) >= deadline )); then
      irnet_log "irnet serve (pid $pid) still running ${IRNET_STOP_TIMEOUT}s after SIGTERM; killing it"
      kill -KILL "$pid" 2>/dev/null || true
      wait "$pid" 2>/dev/null || true
      return 124
    fi
    sleep 0.1
  done
  wait "$pid" 2>/dev/null || status=$?
  return "$status"
}

irnet_create_admin() {
  local email="$1" password="$2"; shift 2
  printf '%s\n' "$password" | "$(irnet_bin)" user create "$@" --email "$email" \
    --org "Trung tâm Ứng cứu Thử nghiệm" --name "Quản trị Thử nghiệm" --admin --password-stdin >&2
}

irnet_create_token() {
  local email="$1"; shift
  local out token
  out="$("$(irnet_bin)" token create "$@" --email "$email" --name "test-$$" --expires 30d </dev/null)" || return 1
  token="$(printf '%s\n' "$out" | tail -n 1 | tr -d '[:space:]')"
  if [[ "$token" != irnet_* ]]; then
    irnet_log "contract: token create's last line does not start with irnet_: '$token'"
    return 1
  fi
  printf '%s\n' "$token"
}
