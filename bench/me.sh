#!/usr/bin/env bash
# Throughput and latency of GET /api/v1/me (bearer-token auth + one lookup) under
# wrk, on SQLite and then on PostgreSQL, each on a fresh database.
#
# Env: BENCH_RUNS (wrk runs per backend, median reported; default 3),
#      BENCH_DURATION (default 30s), BENCH_CONNECTIONS (64), BENCH_THREADS (2),
#      BENCH_SKIP_BUILD=1, BENCH_SKIP_PG=1, IRNET_BIN, BENCH_PG_BASE.
set -euo pipefail
# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

RUNS="${BENCH_RUNS:-3}"
DURATION="${BENCH_DURATION:-30s}"
CONNS="${BENCH_CONNECTIONS:-64}"
THREADS="${BENCH_THREADS:-2}"

bench_need wrk:wrk curl:curl pg_isready:postgresql-client
bench_build

bench_workdir me

RESULTS=()

# bench_backend LABEL [extra cli args for user/token create and serve...]
bench_backend() {
  local label="$1"; shift
  local data="$WORK/$label"
  irnet_start "$WORK/$label-server.log" "$data" "$@"
  local email="bench-$label@cert.example.vn"
  irnet_create_admin "$email" "Bench-password-$RANDOM-$RANDOM" --data-dir "$data" "$@"
  local token; token="$(irnet_create_token "$email" --data-dir "$data" "$@")"
  local url="$IRNET_URL/api/v1/me"

  local code; code="$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" "$url")"
  [[ "$code" == 200 ]] || irnet_die "$label: GET /api/v1/me answered $code, not 200"

  local measured
  measured="$(bench_wrk "$label" -H "Authorization: Bearer $token" "$url")"
  local rss; rss="$(awk '/^VmRSS:/ {print $2 " " $3}' "/proc/$IRNET_PID/status")"
  irnet_stop || irnet_log "$label: serve did not exit 0 on SIGTERM"

  local rps p50 p99 runs
  read -r rps p50 p99 runs <<<"$measured"
  RESULTS+=("$(printf '%-10s %12s %10s %10s %14s   runs: %s' "$label" "$rps" "$p50" "$p99" "$rss" "$runs")")
}

bench_backends bench_backend

echo
echo "== GET /api/v1/me, wrk -t$THREADS -c$CONNS -d$DURATION --latency, median of $RUNS run(s)"
bench_machine
printf '%-10s %12s %10s %10s %14s\n' backend "requests/s" "p50 ms" "p99 ms" "RSS after"
printf '%s\n' "${RESULTS[@]}"
