#!/usr/bin/env bash
# Stops the cluster tests/pg/start.sh started and removes its folder.
set -euo pipefail
DIR=${COPYDESK_PG_DIR:?COPYDESK_PG_DIR is not set: nothing to stop}
BIN=${COPYDESK_PG_BIN:?COPYDESK_PG_BIN is not set}
if [ "$(id -u)" = 0 ]; then
  runuser -u nobody -- "$BIN/pg_ctl" -D "$DIR/data" -m fast -w stop >&2 || true
else
  "$BIN/pg_ctl" -D "$DIR/data" -m fast -w stop >&2 || true
fi
rm -rf "$DIR"
