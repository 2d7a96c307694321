# shellcheck shell=bash
# Shared setup for bench/*.sh (sourced). Runs from the repository root.

cd "$(dirname "${BASH_SOURCE[0]}")/.." || exit 1
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/irnet-target}"
# shellcheck disable=SC2034 # read by tests/api/lib.sh
IRNET_LOG_TAG=bench
# shellcheck source=../tests/api/lib.sh
source tests/api/lib.sh

BENCH_PG_BASE="${BENCH_PG_BASE:-postgres://postgres@127.0.0.1:5432}"

# Install Debian packages for the given commands if missing (cmd:package pairs).
bench_need() {
  local pair cmd pkg missing=()
  for pair in "$@"; do
    cmd="${pair%%:*}"; pkg="${pair#*:}"
    command -v "$cmd" >/dev/null 2>&1 || missing+=("$pkg")
  done
  if (( ${#missing[@]} )); then
    irnet_log "installing ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
  fi
}

bench_build() {
  if [[ "${BENCH_SKIP_BUILD:-0}" == 1 ]]; then
    irnet_log "BENCH_SKIP_BUILD=1: using $(irnet_bin) as built"
  else
    irnet_log "cargo build --release -p irnet-cli"
    cargo build --release -p irnet-cli
  fi
  export IRNET_BIN
  IRNET_BIN="$(irnet_bin)"
  [[ "$IRNET_BIN" == /* ]] || IRNET_BIN="$(pwd)/$IRNET_BIN"
  [[ -x "$IRNET_BIN" ]] || irnet_die "no binary at $IRNET_BIN"
}

bench_pg_up() { pg_isready -q -h 127.0.0.1 -p 5432 -t 3; }

# Create a fresh database; prints its URL.
bench_pg_create() {
  local name
  name="irnet_bench_$(python3 -c 'import secrets; print(secrets.token_hex(4))')"
  psql "$BENCH_PG_BASE/postgres" -v ON_ERROR_STOP=1 -qc "CREATE DATABASE $name" >&2
  printf '%s\n' "$BENCH_PG_BASE/$name"
}

bench_pg_drop() {
  local url="$1"
  psql "$BENCH_PG_BASE/postgres" -v ON_ERROR_STOP=1 -qc "DROP DATABASE IF EXISTS ${url##*/} WITH (FORCE)" >&2 || true
}

bench_machine() {
  printf 'machine: %s, %s cores, %s RAM, %s\n' "$(uname -srm)" "$(nproc)" \
    "$(free -h | awk '/^Mem:/ {print $2}')" "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
  printf 'date: %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  printf 'commit: %s\n' "$(git rev-parse --short HEAD 2>/dev/null || echo none)"
  printf 'binary: %s (%s bytes)\n' "$IRNET_BIN" "$(stat -c %s "$IRNET_BIN")"
}

# Latency string from wrk (e.g. 812.00us, 1.23ms, 1.02s) -> milliseconds.
bench_ms() {
  awk -v v="$1" 'BEGIN {
    n = v + 0
    if (v ~ /us$/) n = n / 1000; else if (v ~ /ms$/) n = n; else if (v ~ /s$/) n = n * 1000
    printf "%.3f", n }'
}

bench_median() { sort -g | awk '{a[NR] = $1} END { if (NR % 2) print a[(NR + 1) / 2]; else printf "%.3f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

# bench_wrk NAME [wrk args: -s SCRIPT, -H HEADER, URL...]: a 3 s warm-up, then RUNS runs of
# `wrk -tTHREADS -cCONNS -dDURATION --latency` (the caller's variables); dies on any non-2xx
# answer; prints "requests/s p50-ms p99-ms runs" (medians; runs as requests/s, comma-separated).
bench_wrk() {
  local name="$1"; shift
  irnet_log "$name: warm-up 3s"
  wrk -t"$THREADS" -c"$CONNS" -d3s "$@" >/dev/null
  local i out rps=() p50=() p99=()
  for (( i = 1; i <= RUNS; i++ )); do
    irnet_log "$name: run $i/$RUNS: wrk -t$THREADS -c$CONNS -d$DURATION --latency $*"
    out="$(wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --latency "$@")"
    printf '%s\n' "$out" | sed 's/^/    /' >&2
    if grep -q 'Non-2xx or 3xx responses' <<<"$out"; then
      irnet_die "$name: some responses were not 2xx; the numbers would be meaningless"
    fi
    rps+=("$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")")
    p50+=("$(bench_ms "$(awk '$1 == "50%" {print $2}' <<<"$out")")")
    p99+=("$(bench_ms "$(awk '$1 == "99%" {print $2}' <<<"$out")")")
  done
  printf '%s %s %s %s\n' \
    "$(printf '%s\n' "${rps[@]}" | bench_median)" \
    "$(printf '%s\n' "${p50[@]}" | bench_median)" \
    "$(printf '%s\n' "${p99[@]}" | bench_median)" \
    "$(IFS=,; echo "${rps[*]}")"
}

# bench_workdir NAME: a temporary WORK directory, removed on exit with the server stopped and
# the PostgreSQL database (PG_URL, when set) dropped.
bench_workdir() {
  WORK="$(mktemp -d -t "irnet-bench-$1-XXXXXX")"
  PG_URL=""
  trap bench_cleanup EXIT
}

bench_cleanup() {
  irnet_stop || true
  [[ -n "${PG_URL:-}" ]] && bench_pg_drop "$PG_URL"
  rm -rf "$WORK"
}

# bench_backends FUNC: FUNC sqlite, then FUNC postgres --database-url URL on a fresh database
# (BENCH_SKIP_SQLITE=1, BENCH_SKIP_PG=1 leave one out).
bench_backends() {
  local fn="$1"
  if [[ "${BENCH_SKIP_SQLITE:-0}" == 1 ]]; then
    irnet_log "BENCH_SKIP_SQLITE=1: SQLite skipped"
  else
    "$fn" sqlite
  fi
  if [[ "${BENCH_SKIP_PG:-0}" == 1 ]]; then
    irnet_log "BENCH_SKIP_PG=1: PostgreSQL skipped"
  elif ! bench_pg_up; then
    irnet_die "PostgreSQL is not answering on 127.0.0.1:5432 (set BENCH_SKIP_PG=1 to skip it)"
  else
    PG_URL="$(bench_pg_create)"
    "$fn" postgres --database-url "$PG_URL"
    bench_pg_drop "$PG_URL"
    PG_URL=""
  fi
}
