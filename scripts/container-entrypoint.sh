#!/bin/sh
# The container's entry point: runs checkup with the mounted config; arguments are checkup's own
# (default `every 1m`). A missing config is said plainly, with the mount that fixes it (exit 2).
# CHECKUP_CONFIG may also be a fleet's shared config URL (https://…, s3://…): checkup reads it.
set -eu
CHECKUP_HOME="${CHECKUP_HOME:-/app}"
config="${CHECKUP_CONFIG:-/config/checkup.json}"
case "$config" in *://*) remote=1 ;; *) remote= ;; esac
if [ -z "$remote" ] && [ ! -f "$config" ]; then
  echo "checkup: no config at $config: mount one, e.g. -v \"\$PWD/checkup.json:$config:ro\" (or set CHECKUP_CONFIG)" >&2
  exit 2
fi
[ "$#" -gt 0 ] || set -- every 1m
exec node "$CHECKUP_HOME/dist/cmd/checkup.js" -c "$config" "$@"
