#!/usr/bin/env bash
# Latency and throughput of the incident endpoints over a synthetic network of BENCH_ORGS member
# organisations and BENCH_INCIDENTS incidents (`irnet bench seed-incidents`, through the
# production search index), under wrk; on SQLite, then PostgreSQL, each a fresh database.
#
# Measured, each as requests/s, p50 and p99 (median of BENCH_RUNS runs):
#   list         GET /api/v1/incidents?limit=50             a responder of the busiest member
#   list-page2   the same, second page (its cursor)
#   search       GET /api/v1/incidents?limit=50&q=…          the same responder, bench/incidents-search.lua
#   count        GET /api/v1/incidents/count                 the same responder
#   overdue      GET /api/v1/incidents?limit=50&due=overdue  the coordinator
#   submit       POST /api/v1/incidents {"submit": true}     the responder, bench/incidents-submit.lua
#   list-c1, search-c1   list and search again with one connection (wrk -t1 -c1): what one
#                person waits for when the server is not already saturated by 16 clients
#
# Env: BENCH_ORGS (300), BENCH_INCIDENTS (1000000), BENCH_RUNS (3), BENCH_DURATION (30s),
#      BENCH_CONNECTIONS (16), BENCH_THREADS (2), BENCH_SKIP_BUILD=1, BENCH_SKIP_PG=1,
#      BENCH_SKIP_SQLITE=1, IRNET_BIN, BENCH_PG_BASE.
set -euo pipefail
# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

ORGS="${BENCH_ORGS:-300}"
INCIDENTS="${BENCH_INCIDENTS:-1000000}"
RUNS="${BENCH_RUNS:-3}"
DURATION="${BENCH_DURATION:-30s}"
CONNS="${BENCH_CONNECTIONS:-16}"
THREADS="${BENCH_THREADS:-2}"
SEARCH_LUA="$(pwd)/bench/incidents-search.lua"
SUBMIT_LUA="$(pwd)/bench/incidents-submit.lua"

bench_need wrk:wrk curl:curl pg_isready:postgresql-client /usr/bin/time:time
bench_build

bench_workdir incidents

RESULTS=()
SEEDING=()

json_field() { python3 -c 'import json,sys; print(json.load(sys.stdin)[sys.argv[1]] or "")' "$1"; }

# create_account ADMIN_TOKEN EMAIL ORG_ID ROLES_JSON: an account through the API, as an
# administrator would create one.
create_account() {
  curl -fsS -o /dev/null -H "Authorization: Bearer $1" -H 'content-type: application/json' \
    -d "{\"email\":\"$2\",\"display_name\":\"Bench\",\"org_id\":\"$3\",\"password\":\"Bench-password-$RANDOM-$RANDOM\",\"roles\":$4}" \
    "$IRNET_URL/api/v1/users"
}

# bench_backend LABEL [extra cli args for the database...]
bench_backend() {
  local label="$1"; shift
  local data="$WORK/$label"
  irnet_start "$WORK/$label-server.log" "$data" "$@"
  local admin="admin-$label@bench.irnet.vn"
  irnet_create_admin "$admin" "Bench-password-$RANDOM-$RANDOM" --data-dir "$data" "$@"
  local admin_token; admin_token="$(irnet_create_token "$admin" --data-dir "$data" "$@")"

  irnet_log "$label: seeding $INCIDENTS incidents over $ORGS organisations"
  local seeded
  seeded="$(/usr/bin/time -v -o "$WORK/$label-seed-time.txt" \
    "$IRNET_BIN" bench seed-incidents --orgs "$ORGS" --incidents "$INCIDENTS" --data-dir "$data" "$@")"
  irnet_log "$label: $seeded"
  local member coordinator_org size
  member="$(awk '/^member-org:/ {print $2}' <<<"$seeded")"
  coordinator_org="$(awk '/^coordinator-org:/ {print $2}' <<<"$seeded")"
  if [[ "$label" == sqlite ]]; then
    size="$(du -chs "$data"/irnet.db* | awk '/total$/ {print $1}') (file and WAL)"
  else
    # What autovacuum would do soon after a bulk load: planner statistics and the visibility
    # map (index-only scans), so that the plans measured are those of a settled database.
    irnet_log "$label: VACUUM ANALYZE"
    psql "$PG_URL" -qc 'VACUUM ANALYZE' >&2
    size="$(psql "$PG_URL" -Atc 'SELECT pg_size_pretty(pg_database_size(current_database()))')"
  fi
  SEEDING+=("$label: $(head -n 1 <<<"$seeded") Size $size; seeding peak RSS $(awk -F': ' '/Maximum resident/ {print $2}' "$WORK/$label-seed-time.txt") KiB; $(sed -n 2p <<<"$seeded")")

  local responder="ungcuu-$label@bench.irnet.vn" coordinator="dieuphoi-$label@bench.irnet.vn"
  create_account "$admin_token" "$responder" "$member" \
    "[{\"role\":\"responder\",\"scope\":\"org\",\"scope_id\":\"$member\"}]"
  create_account "$admin_token" "$coordinator" "$coordinator_org" \
    '[{"role":"coordinator","scope":"network"}]'
  local token coord_token
  token="$(irnet_create_token "$responder" --data-dir "$data" "$@")"
  coord_token="$(irnet_create_token "$coordinator" --data-dir "$data" "$@")"
  local auth="Authorization: Bearer $token" coord_auth="Authorization: Bearer $coord_token"

  # The pages must hold what they claim, or the numbers would measure empty answers.
  local page cursor
  page="$(curl -fsS -H "$auth" "$IRNET_URL/api/v1/incidents?limit=50")"
  python3 -c 'import json,sys; r=json.loads(sys.argv[1]); assert len(r["items"]) == 50, r' "$page" \
    || irnet_die "$label: the member's first page does not hold 50 incidents"
  cursor="$(json_field next_cursor <<<"$page")"
  [[ -n "$cursor" ]] || irnet_die "$label: the member's first page has no next page"
  curl -fsS -H "$auth" "$IRNET_URL/api/v1/incidents?limit=50&q=ma+doc" \
    | python3 -c 'import json,sys; r=json.load(sys.stdin); assert r["items"], r' \
    || irnet_die "$label: the member's search for 'ma doc' found nothing"
  curl -fsS -H "$coord_auth" "$IRNET_URL/api/v1/incidents?limit=50&due=overdue" \
    | python3 -c 'import json,sys; r=json.load(sys.stdin); assert r["items"], r' \
    || irnet_die "$label: the coordinator has no overdue incident"

  local name measured
  # The one-connection rows come before `submit`, whose thousands of submissions by the same
  # responder would otherwise be the newest incidents every later read walks first.
  for name in list list-page2 search list-c1 search-c1 count overdue submit; do
    case "$name" in
      list) measured="$(bench_wrk "$label $name" -H "$auth" "$IRNET_URL/api/v1/incidents?limit=50")" ;;
      list-page2) measured="$(bench_wrk "$label $name" -H "$auth" "$IRNET_URL/api/v1/incidents?limit=50&cursor=$cursor")" ;;
      search) measured="$(bench_wrk "$label $name" -s "$SEARCH_LUA" -H "$auth" "$IRNET_URL")" ;;
      count) measured="$(bench_wrk "$label $name" -H "$auth" "$IRNET_URL/api/v1/incidents/count")" ;;
      overdue) measured="$(bench_wrk "$label $name" -H "$coord_auth" "$IRNET_URL/api/v1/incidents?limit=50&due=overdue")" ;;
      submit) measured="$(bench_wrk "$label $name" -s "$SUBMIT_LUA" -H "$auth" "$IRNET_URL")" ;;
      list-c1) measured="$(CONNS=1 THREADS=1 bench_wrk "$label $name" -H "$auth" "$IRNET_URL/api/v1/incidents?limit=50")" ;;
      search-c1) measured="$(CONNS=1 THREADS=1 bench_wrk "$label $name" -s "$SEARCH_LUA" -H "$auth" "$IRNET_URL")" ;;
    esac
    local rps p50 p99 runs
    read -r rps p50 p99 runs <<<"$measured"
    RESULTS+=("$(printf '%-10s %-11s %12s %10s %10s %6s   runs (req/s): %s' "$label" "$name" "$rps" "$p50" "$p99" \
      "$(cut -d' ' -f1 /proc/loadavg)" "$runs")")
  done
  irnet_stop || irnet_log "$label: serve did not exit 0 on SIGTERM"
  # A million incidents take about 16 GB on SQLite: give the room back before the next backend.
  [[ "$label" != sqlite ]] || rm -rf "$data"
}

bench_backends bench_backend

echo
echo "== incidents: $INCIDENTS incidents over $ORGS members; wrk -t$THREADS -c$CONNS -d$DURATION --latency,"
echo "   median of $RUNS run(s); load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
bench_machine
printf '%s\n' "${SEEDING[@]}"
printf '%-10s %-11s %12s %10s %10s %6s\n' backend endpoint "requests/s" "p50 ms" "p99 ms" load
printf '%s\n' "${RESULTS[@]}"
