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
