#!/usr/bin/env bash
# One sample for bench/startup.sh (run under hyperfine): start `irnet serve` on an
# existing database, poll /readyz until 200, then kill it.
#   start-until-ready.sh serve PORT DATA_DIR [extra serve args...]
#   start-until-ready.sh baseline PORT      (PORT: an already-running server)
# The baseline does everything but start irnet (a stand-in process, the same
# polling, the same kill), so "serve - baseline" is irnet's own time to ready.
set -euo pipefail
mode="$1"; port="$2"; shift 2
url="http://127.0.0.1:$port/readyz"
case "$mode" in
  serve)
    data_dir="$1"; shift
    "${IRNET_BIN:?IRNET_BIN must be set}" serve --listen "127.0.0.1:$port" --data-dir "$data_dir" "$@" \
      </dev/null >/dev/null 2>&1 &
    ;;
  baseline)
    sleep 60 >/dev/null 2>&1 &
    ;;
  *) echo "usage: $0 serve PORT DATA_DIR [args] | baseline PORT" >&2; exit 2 ;;
esac
pid=$!
deadline=$(( $(date +%s) + 30 ))
until curl -fs -o /dev/null --max-time 1 "$url"; do
  if ! kill -0 "$pid" 2>/dev/null || (( $(date +%s) >= deadline )); then
    kill -KILL "$pid" 2>/dev/null || true
    echo "not ready (pid $pid gone or 30 s passed)" >&2
    exit 1
  fi
  sleep 0.005
done
kill -KILL "$pid"
wait "$pid" 2>/dev/null || true
