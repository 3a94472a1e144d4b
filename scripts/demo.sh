#!/usr/bin/env bash
# `make demo`: the bundled checkup.json, end to end on this machine, offline.
# Starts `checkup serve` on 127.0.0.1:3000, prints one round, then stores a round every minute
# (`checkup every 1m`) until Ctrl-C. DEMO_ONCE=1 stores one round and exits (used by the tests).
# Results go to ./checks/ under DEMO_DIR (default: the repository).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "${DEMO_DIR:-$ROOT}"
CHECKUP="${NODE:-node} $ROOT/dist/cmd/checkup.js -c $ROOT/checkup.json"

$CHECKUP serve --listen 127.0.0.1:3000 &
SERVE_PID=$!
trap 'kill "$SERVE_PID" 2>/dev/null; wait "$SERVE_PID" 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do
  (exec 3<>/dev/tcp/127.0.0.1/3000) 2>/dev/null && break
  kill -0 "$SERVE_PID" 2>/dev/null || { echo "checkup serve did not start" >&2; exit 1; }
  sleep 0.1
done

$CHECKUP || true    # one round, printed (exit 1 would only mean something is unhealthy)
$CHECKUP --store
echo
echo "Status page: http://127.0.0.1:3000/   (results in ./checks/, metrics at /metrics)"
if [ "${DEMO_ONCE:-}" = 1 ]; then exit 0; fi
echo "Storing a round every minute; Ctrl-C to stop."
$CHECKUP every 1m
