#!/usr/bin/env bash
# Latency and throughput of GET /api/v1/search (organisations, people and systems in one query)
# over a synthetic directory of BENCH_ORGS organisations and BENCH_PEOPLE people, as the
# coordinator (who may read every member's people: the largest result sets), under wrk with
# bench/search.lua rotating realistic queries; on SQLite, then PostgreSQL, each a fresh database.
#
# Env: BENCH_ORGS (10000), BENCH_PEOPLE (100000), BENCH_RUNS (wrk runs per backend, median
#      reported; 3), BENCH_DURATION (30s), BENCH_CONNECTIONS (16), BENCH_THREADS (2),
#      BENCH_SKIP_BUILD=1, BENCH_SKIP_PG=1, IRNET_BIN, BENCH_PG_BASE.
set -euo pipefail
# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

ORGS="${BENCH_ORGS:-10000}"
PEOPLE="${BENCH_PEOPLE:-100000}"
RUNS="${BENCH_RUNS:-3}"
DURATION="${BENCH_DURATION:-30s}"
CONNS="${BENCH_CONNECTIONS:-16}"
THREADS="${BENCH_THREADS:-2}"
LUA="$(pwd)/bench/search.lua"

bench_need wrk:wrk curl:curl pg_isready:postgresql-client
bench_build

bench_workdir search

RESULTS=()
SEEDING=()

# bench_backend LABEL [extra cli args for the database...]
bench_backend() {
  local label="$1"; shift
  local data="$WORK/$label"
  irnet_start "$WORK/$label-server.log" "$data" "$@"
  local admin="admin-$label@bench.irnet.vn" coordinator="dieuphoi-$label@bench.irnet.vn"
  irnet_create_admin "$admin" "Bench-password-$RANDOM-$RANDOM" --data-dir "$data" "$@"
  local admin_token; admin_token="$(irnet_create_token "$admin" --data-dir "$data" "$@")"
  # The coordinator, through the API as an administrator would create one.
  local org_id
  org_id="$(curl -fsS -H "Authorization: Bearer $admin_token" "$IRNET_URL/api/v1/me" | python3 -c 'import json,sys; print(json.load(sys.stdin)["org_id"])')"
  curl -fsS -o /dev/null -H "Authorization: Bearer $admin_token" -H 'content-type: application/json' \
    -d "{\"email\":\"$coordinator\",\"display_name\":\"Điều phối\",\"org_id\":\"$org_id\",\"password\":\"Bench-password-$RANDOM-$RANDOM\",\"roles\":[{\"role\":\"coordinator\",\"scope\":\"network\"}]}" \
    "$IRNET_URL/api/v1/users"
  local token; token="$(irnet_create_token "$coordinator" --data-dir "$data" "$@")"

  irnet_log "$label: seeding $ORGS organisations and $PEOPLE people"
  local seeded
  seeded="$("$IRNET_BIN" bench seed-directory --orgs "$ORGS" --people "$PEOPLE" --data-dir "$data" "$@")"
  irnet_log "$label: $seeded"
  SEEDING+=("$label: $seeded")

  local url="$IRNET_URL/api/v1/search?q=nguyen+van&limit=10"
  local body; body="$(curl -fsS -H "Authorization: Bearer $token" "$url")"
  python3 -c 'import json,sys; r=json.loads(sys.argv[1]); assert r["people"]["total"] > 0, r' "$body" \
    || irnet_die "$label: the coordinator's search for 'nguyen van' found nobody"

  local measured
  measured="$(bench_wrk "$label" -s "$LUA" -H "Authorization: Bearer $token" "$IRNET_URL")"
  irnet_stop || irnet_log "$label: serve did not exit 0 on SIGTERM"

  local rps p50 p99 runs
  read -r rps p50 p99 runs <<<"$measured"
  RESULTS+=("$(printf '%-10s %12s %10s %10s   runs (req/s): %s' "$label" "$rps" "$p50" "$p99" "$runs")")
}

bench_backends bench_backend

echo
echo "== GET /api/v1/search as the coordinator, $ORGS organisations and $PEOPLE people,"
echo "   wrk -t$THREADS -c$CONNS -d$DURATION --latency -s bench/search.lua, median of $RUNS run(s)"
bench_machine
printf '%s\n' "${SEEDING[@]}"
printf '%-10s %12s %10s %10s\n' backend "requests/s" "p50 ms" "p99 ms"
printf '%s\n' "${RESULTS[@]}"
