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

WORK="$(mktemp -d -t irnet-bench-me-XXXXXX)"
PG_URL=""
cleanup() {
  irnet_stop || true
  [[ -n "$PG_URL" ]] && bench_pg_drop "$PG_URL"
  rm -rf "$WORK"
}
trap cleanup EXIT

# Latency string from wrk (e.g. 812.00us, 1.23ms, 1.02s) -> milliseconds.
to_ms() {
  awk -v v="$1" 'BEGIN {
    n = v + 0
    if (v ~ /us$/) n = n / 1000; else if (v ~ /ms$/) n = n; else if (v ~ /s$/) n = n * 1000
    printf "%.3f", n }'
}

median() { sort -g | awk '{a[NR] = $1} END { if (NR % 2) print a[(NR + 1) / 2]; else printf "%.3f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

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

  irnet_log "$label: warm-up 3s"
  wrk -t"$THREADS" -c"$CONNS" -d3s -H "Authorization: Bearer $token" "$url" >/dev/null

  local i out rps=() p50=() p99=()
  for (( i = 1; i <= RUNS; i++ )); do
    irnet_log "$label: run $i/$RUNS: wrk -t$THREADS -c$CONNS -d$DURATION --latency $url"
    out="$(wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --latency -H "Authorization: Bearer $token" "$url")"
    printf '%s\n' "$out" >"$WORK/$label-wrk-$i.txt"
    printf '%s\n' "$out" | sed 's/^/    /' >&2
    if grep -q 'Non-2xx or 3xx responses' <<<"$out"; then
      irnet_die "$label: some responses were not 2xx; the numbers would be meaningless"
    fi
    rps+=("$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")")
    p50+=("$(to_ms "$(awk '$1 == "50%" {print $2}' <<<"$out")")")
    p99+=("$(to_ms "$(awk '$1 == "99%" {print $2}' <<<"$out")")")
  done
  local rss; rss="$(awk '/^VmRSS:/ {print $2 " " $3}' "/proc/$IRNET_PID/status")"
  irnet_stop || irnet_log "$label: serve did not exit 0 on SIGTERM"

  RESULTS+=("$(printf '%-10s %12s %10s %10s %14s   runs: %s' "$label" \
    "$(printf '%s\n' "${rps[@]}" | median)" \
    "$(printf '%s\n' "${p50[@]}" | median)" \
    "$(printf '%s\n' "${p99[@]}" | median)" \
    "$rss" "$(IFS=,; echo "${rps[*]}")")")
}

bench_backend sqlite

if [[ "${BENCH_SKIP_PG:-0}" == 1 ]]; then
  irnet_log "BENCH_SKIP_PG=1: PostgreSQL skipped"
elif ! bench_pg_up; then
  irnet_die "PostgreSQL is not answering on 127.0.0.1:5432 (set BENCH_SKIP_PG=1 to skip it)"
else
  PG_URL="$(bench_pg_create)"
  bench_backend postgres --database-url "$PG_URL"
  bench_pg_drop "$PG_URL"
  PG_URL=""
fi

echo
echo "== GET /api/v1/me, wrk -t$THREADS -c$CONNS -d$DURATION --latency, median of $RUNS run(s)"
bench_machine
printf '%-10s %12s %10s %10s %14s\n' backend "requests/s" "p50 ms" "p99 ms" "RSS after"
printf '%s\n' "${RESULTS[@]}"
