#!/usr/bin/env bash
# Property-based API tests: schemathesis against our own OpenAPI document, on a
# real `irnet serve` with a fresh SQLite data dir, an admin and a bearer token.
# Also runs the contract smoke checks (tests/api/smoke.py) first.
#
# Env: IRNET_BIN (binary), IRNET_ARTIFACT_DIR (logs, JUnit report),
#      ST_MAX_EXAMPLES (per operation, default 25), ST_TIMEOUT (seconds, default 600),
#      ST_SEED (reproduce a run), ST_WORKERS (default 2).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
# shellcheck disable=SC2034 # read by lib.sh
IRNET_LOG_TAG=api
# shellcheck source=lib.sh
source tests/api/lib.sh

if ! command -v schemathesis >/dev/null 2>&1; then
  if [[ -x "$HOME/.cache/irnet-venv/bin/schemathesis" ]]; then
    PATH="$HOME/.cache/irnet-venv/bin:$PATH"
  else
    irnet_die "schemathesis not found: pip install -r tests/requirements.txt (or run .ci/run)"
  fi
fi
PYTHON="$(dirname "$(command -v schemathesis)")/python3"
[[ -x "$PYTHON" ]] || PYTHON=python3

ARTIFACTS="${IRNET_ARTIFACT_DIR:-$(mktemp -d -t irnet-api-XXXXXX)}"
mkdir -p "$ARTIFACTS"
WORK="$(mktemp -d -t irnet-api-data-XXXXXX)"
cleanup() {
  irnet_stop || true
  rm -rf "$WORK"
}
trap cleanup EXIT

irnet_log "artifacts in $ARTIFACTS"
irnet_start "$ARTIFACTS/server.log" "$WORK/data"
irnet_log "serving at $IRNET_URL (pid $IRNET_PID)"

EMAIL="api-admin-$RANDOM@cert.example.vn"
PASSWORD="St-$(python3 -c 'import secrets; print(secrets.token_urlsafe(18))')"
irnet_create_admin "$EMAIL" "$PASSWORD" --data-dir "$WORK/data"
TOKEN="$(irnet_create_token "$EMAIL" --data-dir "$WORK/data")"

failures=0

irnet_log "contract smoke checks"
if ! "$PYTHON" tests/api/smoke.py "$IRNET_URL" "$TOKEN" "$EMAIL"; then
  failures=$((failures + 1))
fi

seed_args=()
[[ -n "${ST_SEED:-}" ]] && seed_args=(--seed "$ST_SEED")

# Operations that can take away the fuzzing account's own access (deactivate it,
# drop its admin role, revoke its token) once schemathesis learns its ids. They run
# in a second pass, so they do not turn the rest of the run into 401s.
SELF_HARM='^(PATCH /api/v1/users/\{id\}|DELETE /api/v1/users/\{id\}/roles/\{grant_id\}|DELETE /api/v1/me/tokens/\{id\})$'

# run_st LABEL [filter args...]: one schemathesis pass; counts a failure.
run_st() {
  local label="$1"; shift
  irnet_log "schemathesis pass: $label"
  local status=0
  # Run from the artifact dir: schemathesis keeps its replay cache (.schemathesis/)
  # in the working directory, and `st replay ID` works from there.
  (cd "$ARTIFACTS" && timeout --signal=INT --kill-after=30 "${ST_TIMEOUT:-600}" \
    schemathesis run "$IRNET_URL/api/openapi.json" \
      --checks not_a_server_error,response_schema_conformance \
      --header "Authorization: Bearer $TOKEN" \
      --max-examples "${ST_MAX_EXAMPLES:-25}" \
      --workers "${ST_WORKERS:-2}" \
      --request-timeout 10 \
      --generation-database none \
      --report junit --report-dir "$ARTIFACTS" --report-junit-path "junit-$label.xml" \
      --no-color \
      "${seed_args[@]}" "$@") \
    || status=$?
  if (( status != 0 )); then
    if (( status == 124 || status == 130 )); then
      irnet_log "schemathesis ($label) did not finish within ${ST_TIMEOUT:-600}s"
    fi
    irnet_log "schemathesis ($label) failed (exit $status); JUnit report in $ARTIFACTS"
    failures=$((failures + 1))
  fi
}

irnet_log "$(schemathesis --version 2>/dev/null | tail -n 1)"
run_st main --exclude-name-regex "$SELF_HARM"
code="$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOKEN" "$IRNET_URL/api/v1/me")"
if [[ "$code" != 200 ]]; then
  irnet_log "the fuzzing token stopped working during the main pass (GET /api/v1/me -> $code): coverage was partial"
  failures=$((failures + 1))
fi
run_st self-harm --include-name-regex "$SELF_HARM"

# The server must have survived the fuzzing, then stop gracefully.
if ! curl -fsS -o /dev/null --max-time 5 "$IRNET_URL/readyz"; then
  irnet_log "server not ready any more after schemathesis"
  failures=$((failures + 1))
fi
stop_status=0
irnet_stop || stop_status=$?
if (( stop_status != 0 )); then
  irnet_log "contract: irnet serve exited $stop_status after SIGTERM (want 0, a graceful stop)"
  failures=$((failures + 1))
fi

if ! "$(irnet_bin)" audit verify --data-dir "$WORK/data" >"$ARTIFACTS/audit-verify.log" 2>&1; then
  irnet_log "audit verify failed after the API run:"
  cat "$ARTIFACTS/audit-verify.log" >&2
  failures=$((failures + 1))
fi

if (( failures != 0 )); then
  irnet_log "API suite: $failures part(s) failed; server log: $ARTIFACTS/server.log"
  exit 1
fi
irnet_log "API suite passed"
