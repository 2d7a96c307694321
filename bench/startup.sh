#!/usr/bin/env bash
# Time from start to ready (GET /readyz = 200) on an existing, migrated database,
# with hyperfine, on SQLite and PostgreSQL; and idle resident memory (VmRSS)
# after start and after a few hundred requests.
#
# Env: BENCH_RUNS (hyperfine runs, default 20), BENCH_SKIP_BUILD=1, BENCH_SKIP_PG=1,
#      IRNET_BIN, BENCH_PG_BASE, BENCH_OUT (where hyperfine's JSON/markdown go).
set -euo pipefail
# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

RUNS="${BENCH_RUNS:-20}"

bench_need hyperfine:hyperfine curl:curl pg_isready:postgresql-client
bench_build

bench_workdir startup
OUT="${BENCH_OUT:-$WORK/out}"
mkdir -p "$OUT"

SAMPLE="$(pwd)/bench/start-until-ready.sh"
SUMMARY=()

# prepare LABEL [serve args]: migrate a database and put a user in it, then stop.
prepare() {
  local label="$1"; shift
  irnet_start "$WORK/$label-prepare.log" "$WORK/$label" "$@"
  irnet_create_admin "bench-$label@cert.example.vn" "Bench-password-$RANDOM-$RANDOM" --data-dir "$WORK/$label" "$@"
  irnet_stop || irnet_die "$label: serve did not exit 0 on SIGTERM"
}

# time_startup LABEL [serve args]
time_startup() {
  local label="$1"; shift
  local port; port="$(irnet_free_port)"
  local extra="" a
  for a in "$@"; do extra+=" $(printf '%q' "$a")"; done

  # Baseline: the same harness against an already-running server.
  irnet_start "$WORK/$label-baseline.log" "$WORK/$label" "$@"
  hyperfine --style basic --warmup 2 --runs "$RUNS" \
    --export-json "$OUT/startup-$label-baseline.json" \
    -n "baseline (harness only)" "$SAMPLE baseline $IRNET_PORT"
  irnet_stop || true

  hyperfine --style basic --warmup 2 --runs "$RUNS" \
    --export-json "$OUT/startup-$label.json" --export-markdown "$OUT/startup-$label.md" \
    -n "irnet serve → ready ($label)" "$SAMPLE serve $port $(printf '%q' "$WORK/$label")$extra"

  SUMMARY+=("$(python3 - "$label" "$OUT/startup-$label.json" "$OUT/startup-$label-baseline.json" <<'PY'
import json, statistics, sys
label, run, base = sys.argv[1], json.load(open(sys.argv[2])), json.load(open(sys.argv[3]))
r, b = run["results"][0]["times"], base["results"][0]["times"]
mr, mb = statistics.median(r) * 1000, statistics.median(b) * 1000
print(f"{label:<10} {mr:10.1f} {mb:12.1f} {mr - mb:12.1f} {min(r) * 1000:9.1f} {max(r) * 1000:9.1f}")
PY
)")
}

# idle_rss LABEL [serve args]
idle_rss() {
  local label="$1"; shift
  irnet_start "$WORK/$label-rss.log" "$WORK/$label" "$@"
  local after_start; after_start="$(awk '/^VmRSS:/ {print $2}' "/proc/$IRNET_PID/status")"
  local email="rss-$label-$RANDOM@cert.example.vn"
  irnet_create_admin "$email" "Bench-password-$RANDOM-$RANDOM" --data-dir "$WORK/$label" "$@"
  local token; token="$(irnet_create_token "$email" --data-dir "$WORK/$label" "$@")"
  local i api=() pages=()
  for (( i = 0; i < 100; i++ )); do
    api+=(-o /dev/null "$IRNET_URL/api/v1/me")
    pages+=(-o /dev/null "$IRNET_URL/login" -o /dev/null "$IRNET_URL/healthz")
  done
  # Two curl processes, 300 requests on reused connections; every one must be 200.
  local codes
  codes="$( { curl -s -H "Authorization: Bearer $token" -w '%{http_code}\n' "${api[@]}"
              curl -s -w '%{http_code}\n' "${pages[@]}"; } | sort | uniq -c)"
  if grep -vq ' 200$' <<<"$codes"; then
    irnet_die "$label: not every warm-up request answered 200: $codes"
  fi
  local idle hwm
  idle="$(awk '/^VmRSS:/ {print $2}' "/proc/$IRNET_PID/status")"
  hwm="$(awk '/^VmHWM:/ {print $2}' "/proc/$IRNET_PID/status")"
  irnet_stop || irnet_log "$label: serve did not exit 0 on SIGTERM"
  SUMMARY_RSS+=("$(printf '%-10s %14s %16s %12s' "$label" "$((after_start / 1024)) MiB" "$((idle / 1024)) MiB" "$((hwm / 1024)) MiB")")
}
SUMMARY_RSS=()

# One backend: a migrated database, its start-up times, its resident memory.
startup_backend() {
  prepare "$@"
  time_startup "$@"
  idle_rss "$@"
}
bench_backends startup_backend

echo
echo "== start to ready on an existing database (hyperfine, $RUNS runs; ms)"
bench_machine
printf '%-10s %10s %12s %12s %9s %9s\n' backend median baseline "irnet only" min max
printf '%s\n' "${SUMMARY[@]}"
echo
echo "== resident memory (VmRSS; peak = VmHWM)"
printf '%-10s %14s %16s %12s\n' backend "after start" "after 300 req" "peak"
printf '%s\n' "${SUMMARY_RSS[@]}"
echo
echo "hyperfine exports: $OUT (removed at exit unless BENCH_OUT is set)"
