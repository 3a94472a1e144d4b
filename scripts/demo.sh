#!/usr/bin/env bash
# `make demo`: the bundled checkup.json, end to end on this machine, offline.
# Starts `checkup serve` on 127.0.0.1:$DEMO_PORT (default 3000; when that port is taken, a free one,
# said so), prints one round, then stores a round every minute (`checkup every 1m`) until Ctrl-C.
# DEMO_ONCE=1 stores one round and exits (used by the tests). DEMO_PORT=0 takes any free port.
# Results go to ./checks/ under DEMO_DIR (default: the repository).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
NODE="${NODE:-node}"
cd "${DEMO_DIR:-$ROOT}"

# The port is chosen before anything starts, so the checks (which read $CHECKUP_PORT) watch this
# demo's own server and never another program that holds the port.
wanted="${DEMO_PORT:-3000}"
port=$("$NODE" "$ROOT/scripts/free-port.mjs" "${wanted:-3000}")
if [ "$port" != "${wanted:-3000}" ] && [ "${wanted:-3000}" != 0 ]; then
  echo "checkup: port $wanted is in use by another program; using $port instead" >&2
fi
export CHECKUP_PORT="$port"
CHECKUP=("$NODE" "$ROOT/dist/cmd/checkup.js" -c "$ROOT/checkup.json")

fifo=$(mktemp -u); mkfifo "$fifo"
"${CHECKUP[@]}" serve --listen "127.0.0.1:$port" >"$fifo" &
SERVE_PID=$!
trap 'kill "$SERVE_PID" 2>/dev/null; wait "$SERVE_PID" 2>/dev/null || true; rm -f "$fifo"' EXIT
# Wait for serve's own "serving on" line (or its exit), not for any answer on the port.
if ! read -r -t 20 ready <"$fifo"; then echo "checkup serve did not start" >&2; exit 1; fi
echo "$ready"
cat "$fifo" >/dev/null &

"${CHECKUP[@]}" || true    # one round, printed (exit 1 would only mean something is unhealthy)
"${CHECKUP[@]}" --store
echo
echo "Status page: http://127.0.0.1:$port/   (results in ./checks/, metrics at /metrics)"
if [ "${DEMO_ONCE:-}" = 1 ]; then exit 0; fi
echo "Storing a round every minute; Ctrl-C to stop."
"${CHECKUP[@]}" every 1m
