#!/usr/bin/env bash
# Sharing (issue 5): the TAXII 2.1 server against medallion 3.0.0, bulk lookup, STIX import.
#
# taxii   BENCH_INDICATORS (100,000) indicators, generated as a STIX bundle (bench/stix_gen.py)
#         and imported with `irnet stix import`, are read back through irnet's TAXII collection
#         by bench/taxii-page.py (taxii2-client `as_pages`, BENCH_PAGE = 1000 per request), which
#         saves what irnet served; medallion 3.0.0 (the OASIS reference server, memory backend,
#         max_page_size BENCH_PAGE) is loaded with those very objects and read by the same script.
#         Then wrk on `collections/<id>/objects/?limit=BENCH_PAGE` with the TAXII Accept header
#         and credentials, for both: requests/s, objects/s, p50, p99. medallion's memory backend
#         filters a whole collection on each first page in quadratic time, so it is also measured
#         on the first BENCH_MEDALLION_SIZES objects ("1000 2000"), and at the full size it gets
#         one request bounded by BENCH_MEDALLION_TIMEOUT seconds (300). Its wrk runs last
#         BENCH_MEDALLION_DURATION (60s) with one connection (its best latency: one process).
# import  a bundle of BENCH_IMPORT_INDICATORS (1,000,000) indicators imported with
#         `irnet stix import FILE --as EMAIL` (the API's use-case, all or nothing, one
#         transaction) under /usr/bin/time -v: time and peak RSS.
# lookup  then BENCH_LOOKUP_VALUES (100,000) observables, half held by those indicators and half
#         not, kinds mixed, POSTed to /api/v1/indicators/lookup, timed by hyperfine
#         (BENCH_LOOKUP_RUNS = 5 runs after a warm-up).
#
# SQLite, then PostgreSQL (fresh databases) for irnet; `uptime` is printed before and after each
# measurement (the machine may be shared). BENCH_PARTS ("taxii import") picks the parts; lookup
# runs with import. Other env: BENCH_RUNS (3), BENCH_DURATION (30s), BENCH_CONNECTIONS (16),
# BENCH_THREADS (2), BENCH_SKIP_BUILD=1, BENCH_SKIP_PG=1, BENCH_SKIP_SQLITE=1, IRNET_BIN,
# BENCH_PG_BASE, BENCH_VENV (a venv for medallion and taxii2-client; created if missing).
set -euo pipefail
# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

INDICATORS="${BENCH_INDICATORS:-100000}"
IMPORT_INDICATORS="${BENCH_IMPORT_INDICATORS:-1000000}"
LOOKUP_VALUES="${BENCH_LOOKUP_VALUES:-100000}"
LOOKUP_RUNS="${BENCH_LOOKUP_RUNS:-5}"
PAGE="${BENCH_PAGE:-1000}"
MEDALLION_SIZES="${BENCH_MEDALLION_SIZES:-1000 2000}"
MEDALLION_TIMEOUT="${BENCH_MEDALLION_TIMEOUT:-300}"
# Longer than a few of medallion's pages, or wrk sees none complete.
MEDALLION_DURATION="${BENCH_MEDALLION_DURATION:-60s}"
PARTS="${BENCH_PARTS:-taxii import}"
RUNS="${BENCH_RUNS:-3}"
DURATION="${BENCH_DURATION:-30s}"
CONNS="${BENCH_CONNECTIONS:-16}"
THREADS="${BENCH_THREADS:-2}"
VENV="${BENCH_VENV:-$HOME/.cache/irnet-bench-venv}"
ACCEPT='Accept: application/taxii+json;version=2.1'
GEN="$(pwd)/bench/stix_gen.py"
PAGER="$(pwd)/bench/taxii-page.py"

bench_need wrk:wrk curl:curl hyperfine:hyperfine pg_isready:postgresql-client /usr/bin/time:time
if [[ ! -x "$VENV/bin/medallion" ]]; then
  irnet_log "installing medallion 3.0.0 and taxii2-client 2.3.0 in $VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q medallion==3.0.0 taxii2-client==2.3.0
fi
bench_build
bench_workdir taxii

RESULTS=()
NOTES=()
load() { printf 'load %s' "$(cut -d' ' -f1-3 /proc/loadavg)"; }
note() { NOTES+=("$*"); irnet_log "$*"; }

# wrk_row LABEL CONNS THREADS [wrk args]: one bench_wrk, its row in RESULTS (objects/s = req/s
# × the page size, which the caller checked).
wrk_row() {
  local label="$1" conns="$2" threads="$3"; shift 3
  local before measured rps p50 p99 runs
  before="$(load)"
  measured="$(CONNS="$conns" THREADS="$threads" bench_wrk "$label" "$@")"
  read -r rps p50 p99 runs <<<"$measured"
  RESULTS+=("$(printf '%-28s %4s %10s %12s %9s %9s   %s → %s; runs (req/s): %s' "$label" "$conns" "$rps" \
    "$(awk -v r="$rps" -v p="$PAGE" 'BEGIN { printf "%.0f", r * p }')" "$p50" "$p99" "$before" "$(load)" "$runs")")
}

# page_row LABEL URL USER PASSWORD EXPECT [--save FILE]: bench/taxii-page.py, its row in NOTES.
page_row() {
  local label="$1" url="$2" user="$3" password="$4" expect="$5"; shift 5
  local before out
  before="$(load)"
  out="$("$VENV/bin/python" "$PAGER" "$url" --user "$user" --password "$password" \
    --per-request "$PAGE" --expect "$expect" "$@")" || irnet_die "$label: the paging script failed"
  note "$label: taxii-page.py: $out ($before → $(load))"
}

# A responder account in the administrator's organisation, through the API, and its token.
responder() {
  local label="$1" admin_token="$2" email="$3"; shift 3
  local org_id
  org_id="$(curl -fsS -H "Authorization: Bearer $admin_token" "$IRNET_URL/api/v1/me" | python3 -c 'import json,sys; print(json.load(sys.stdin)["org_id"])')"
  curl -fsS -o /dev/null -H "Authorization: Bearer $admin_token" -H 'content-type: application/json' \
    -d "{\"email\":\"$email\",\"display_name\":\"Ứng cứu\",\"org_id\":\"$org_id\",\"password\":\"Bench-password-$RANDOM-$RANDOM\",\"roles\":[{\"role\":\"responder\",\"scope\":\"org\",\"scope_id\":\"$org_id\"}]}" \
    "$IRNET_URL/api/v1/users"
  irnet_create_token "$email" "$@"
}

# irnet_up LABEL DATA [db args]: a server on a fresh database with a responder; sets TOKEN, EMAIL.
irnet_up() {
  local label="$1" data="$2"; shift 2
  irnet_start "$WORK/$label-server.log" "$data" "$@"
  local admin="admin-$label@bench.irnet.vn"
  irnet_create_admin "$admin" "Bench-password-$RANDOM-$RANDOM" --data-dir "$data" "$@"
  local admin_token; admin_token="$(irnet_create_token "$admin" --data-dir "$data" "$@")"
  EMAIL="ungcuu-$label@bench.irnet.vn"
  TOKEN="$(responder "$label" "$admin_token" "$EMAIL" --data-dir "$data" "$@")"
}

# import_timed LABEL FILE N [db args]: `irnet stix import` under /usr/bin/time -v.
import_timed() {
  local label="$1" file="$2" n="$3"; shift 3
  local before out
  before="$(load)"
  out="$(/usr/bin/time -v -o "$WORK/$label-import-time.txt" \
    "$IRNET_BIN" stix import "$file" --as "$EMAIL" "$@")" || irnet_die "$label: import failed"
  note "$label: import of $n indicators ($(du -h "$file" | cut -f1)): $out wall $(awk -F': ' '/Elapsed \(wall/ {print $2}' "$WORK/$label-import-time.txt"), peak RSS $(awk -F': ' '/Maximum resident/ {print $2}' "$WORK/$label-import-time.txt") KiB ($before → $(load))"
}

# ---- taxii ---------------------------------------------------------------------------------
SAVED="$WORK/irnet-pages.jsonl"

taxii_backend() {
  local label="$1"; shift
  local data="$WORK/taxii-$label"
  irnet_up "$label" "$data" "$@"
  import_timed "taxii $label" "$WORK/bundle-$INDICATORS.json" "$INDICATORS" --data-dir "$data" "$@"
  [[ "$label" == postgres ]] && psql "$PG_URL" -qc 'VACUUM ANALYZE' >&2
  local auth="Authorization: Bearer $TOKEN" collection
  collection="$(curl -fsS -H "$auth" -H "$ACCEPT" "$IRNET_URL/taxii2/api/collections/" | python3 -c '
import json, sys
cs = json.load(sys.stdin)["collections"]
print(next(c["id"] for c in cs if "CLEAR" in c["title"]))')"
  local url="$IRNET_URL/taxii2/api/collections/$collection/objects/?limit=$PAGE"
  # What wrk will ask for must be a full page of indicators, with a 200.
  curl -fsS -H "$auth" -H "$ACCEPT" "$url" | python3 -c '
import json, sys
e = json.load(sys.stdin); n = int(sys.argv[1])
assert len(e["objects"]) == n and e["more"] and all(o["type"] == "indicator" for o in e["objects"]), e.get("more")' "$PAGE" \
    || irnet_die "$label: the first TAXII page does not hold $PAGE indicators"
  local save=()
  [[ -s "$SAVED" ]] || save=(--save "$SAVED")
  page_row "irnet $label" "$IRNET_URL/taxii2/api/collections/$collection/" "bench" "$TOKEN" "$INDICATORS" "${save[@]}"
  wrk_row "irnet $label" 1 1 -H "$ACCEPT" -H "$auth" "$url"
  wrk_row "irnet $label" "$CONNS" "$THREADS" -H "$ACCEPT" -H "$auth" "$url"
  irnet_stop || irnet_log "$label: serve did not exit 0 on SIGTERM"
}

MEDALLION_PID=""
medallion_up() {
  local data="$1" port
  port="$(irnet_free_port)"
  MEDALLION_URL="http://127.0.0.1:$port"
  printf '{"backend": {"module": "medallion.backends.memory_backend", "module_class": "MemoryBackend", "filename": "%s"}, "users": {"bench": "bench-password"}, "taxii": {"max_page_size": %s}}\n' \
    "$data" "$PAGE" >"$WORK/medallion.json"
  "$VENV/bin/medallion" --host 127.0.0.1 --port "$port" "$WORK/medallion.json" >"$WORK/medallion.log" 2>&1 &
  MEDALLION_PID=$!
  local i
  for (( i = 0; i < 600; i++ )); do
    curl -fsS -o /dev/null -u bench:bench-password -H "$ACCEPT" "$MEDALLION_URL/taxii2/" 2>/dev/null && return 0
    kill -0 "$MEDALLION_PID" 2>/dev/null || irnet_die "medallion exited: $(tail -5 "$WORK/medallion.log")"
    sleep 0.5
  done
  irnet_die "medallion did not answer in 300 s"
}
medallion_down() {
  [[ -n "$MEDALLION_PID" ]] || return 0
  kill "$MEDALLION_PID" 2>/dev/null || true
  wait "$MEDALLION_PID" 2>/dev/null || true
  MEDALLION_PID=""
}

taxii_medallion() {
  local collection=5b1e3f35-1c8a-4e3e-9d1e-4c0f6c1a2b3d size data
  for size in $MEDALLION_SIZES "$INDICATORS"; do
    data="$WORK/medallion-$size.json"
    python3 - "$SAVED" "$size" "$WORK/pages-$size.jsonl" <<'EOF'
import json, sys
source, size, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
objects = []
with open(source, encoding="utf-8") as f:
    for line in f:
        objects.extend(json.loads(line)["envelope"]["objects"])
with open(out, "w", encoding="utf-8") as f:
    f.write(json.dumps({"envelope": {"objects": objects[:size]}}) + "\n")
EOF
    python3 "$GEN" medallion "$WORK/pages-$size.jsonl" "$data" >/dev/null
    irnet_log "medallion: $size objects"
    medallion_up "$data"
    local url="$MEDALLION_URL/api/collections/$collection/objects/?limit=$PAGE"
    if [[ "$size" == "$INDICATORS" && "$size" -gt 5000 ]]; then
      local before code
      before="$(load)"
      code="$(curl -sS -o "$WORK/medallion-first.json" -w '%{http_code} %{time_total}' --max-time "$MEDALLION_TIMEOUT" \
        -u bench:bench-password -H "$ACCEPT" "$url" || true)"
      note "medallion $size: first page (limit=$PAGE) answered '${code:-nothing}' within the ${MEDALLION_TIMEOUT} s bound ($before → $(load))"
    else
      curl -fsS -u bench:bench-password -H "$ACCEPT" "$url" | python3 -c '
import json, sys
e = json.load(sys.stdin); n = int(sys.argv[1])
assert len(e["objects"]) == n, len(e["objects"])' "$(( size < PAGE ? size : PAGE ))" \
        || irnet_die "medallion $size: the first page does not hold the objects"
      page_row "medallion $size" "$MEDALLION_URL/api/collections/$collection/" bench bench-password "$size"
      DURATION="$MEDALLION_DURATION" wrk_row "medallion $size" 1 1 --timeout 600s -H "$ACCEPT" \
        -H "Authorization: Basic $(printf 'bench:bench-password' | base64)" "$url"
    fi
    medallion_down
  done
}

# ---- import and lookup ---------------------------------------------------------------------
import_backend() {
  local label="$1"; shift
  local data="$WORK/import-$label"
  irnet_up "$label" "$data" "$@"
  import_timed "import $label" "$WORK/bundle-$IMPORT_INDICATORS.json" "$IMPORT_INDICATORS" --data-dir "$data" "$@"
  if [[ "$label" == postgres ]]; then
    psql "$PG_URL" -qc 'VACUUM ANALYZE' >&2
    note "postgres: database size $(psql "$PG_URL" -Atc 'SELECT pg_size_pretty(pg_database_size(current_database()))')"
  else
    note "sqlite: database size $(du -chs "$data"/irnet.db* | awk '/total$/ {print $1}') (file and WAL)"
  fi
  local url="$IRNET_URL/api/v1/indicators/lookup" auth="Authorization: Bearer $TOKEN"
  curl -fsS -H "$auth" -H 'content-type: application/json' --data-binary "@$WORK/lookup.json" "$url" | python3 -c '
import json, sys
r = json.load(sys.stdin); n = int(sys.argv[1])
assert r["checked"] == n and len(r["matches"]) == n // 2 and not r["invalid"], (r["checked"], len(r["matches"]), r["invalid"][:3])' "$LOOKUP_VALUES" \
    || irnet_die "$label: the lookup did not find exactly half of $LOOKUP_VALUES values"
  local before
  before="$(load)"
  hyperfine --warmup 1 --runs "$LOOKUP_RUNS" --export-json "$WORK/lookup-$label.json" \
    "curl -fsS -o /dev/null -H '$auth' -H 'content-type: application/json' --data-binary @$WORK/lookup.json $url" >&2
  note "lookup $label: $LOOKUP_VALUES values ($(du -h "$WORK/lookup.json" | cut -f1) JSON) against $IMPORT_INDICATORS indicators: $(python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))["results"][0]
print("mean %.3f s ± %.3f, min %.3f, max %.3f, %d runs" % (r["mean"], r["stddev"], r["min"], r["max"], len(r["times"])))' "$WORK/lookup-$label.json") ($before → $(load))"
  irnet_stop || irnet_log "$label: serve did not exit 0 on SIGTERM"
}

if [[ " $PARTS " == *" taxii "* ]]; then
  irnet_log "generating a bundle of $INDICATORS indicators"
  python3 "$GEN" bundle "$INDICATORS" "$WORK/bundle-$INDICATORS.json"
  bench_backends taxii_backend
  [[ -s "$SAVED" ]] || irnet_die "nothing saved from irnet's TAXII pages"
  trap 'medallion_down; bench_cleanup' EXIT
  taxii_medallion
fi
if [[ " $PARTS " == *" import "* ]]; then
  irnet_log "generating a bundle of $IMPORT_INDICATORS indicators and $LOOKUP_VALUES lookup values"
  python3 "$GEN" bundle "$IMPORT_INDICATORS" "$WORK/bundle-$IMPORT_INDICATORS.json"
  python3 "$GEN" lookup "$IMPORT_INDICATORS" "$LOOKUP_VALUES" "$WORK/lookup.json"
  bench_backends import_backend
fi

echo
echo "== sharing: TAXII (page $PAGE), STIX import, lookup; wrk -d$DURATION --latency, median of $RUNS run(s)"
bench_machine
echo "uptime at the end: $(uptime)"
printf '%s\n' "${NOTES[@]}"
if (( ${#RESULTS[@]} )); then
  printf '%-28s %4s %10s %12s %9s %9s\n' "server (wrk)" conns "requests/s" "objects/s" "p50 ms" "p99 ms"
  printf '%s\n' "${RESULTS[@]}"
fi
