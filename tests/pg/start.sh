#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster for the database tests and prints the
# shell lines that point the tests at it:
#
#   eval "$(tests/pg/start.sh)"; trap tests/pg/stop.sh EXIT
#
# Installs PostgreSQL from the distribution's packages when it is missing. The
# cluster runs as an unprivileged user (`nobody` when run as root), in a
# temporary folder, on a free local port, with password authentication (the
# tests check a wrong password is refused). Everything it prints goes to stdout;
# progress goes to stderr.
set -euo pipefail

bindir() {
  if command -v pg_config >/dev/null && [ -x "$(pg_config --bindir)/initdb" ]; then
    pg_config --bindir
    return
  fi
  local d
  for d in /usr/lib/postgresql/*/bin; do
    [ -x "$d/initdb" ] && { echo "$d"; return; }
  done
  return 1
}

if ! BIN=$(bindir); then
  echo "tests/pg: installing PostgreSQL from the distribution's packages" >&2
  if [ "$(id -u)" != 0 ]; then
    echo "tests/pg: PostgreSQL is missing and installing it needs root" >&2
    exit 1
  fi
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
  BIN=$(bindir)
fi

DIR=$(mktemp -d "${TMPDIR:-/tmp}/copydesk-pg.XXXXXX")
PASSWORD="copydesk-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
printf '%s\n' "$PASSWORD" >"$DIR/pwfile"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

# As root, the cluster belongs to `nobody`: PostgreSQL refuses to run as root.
if [ "$(id -u)" = 0 ]; then
  chown -R nobody "$DIR"
  chmod 700 "$DIR"
  as_owner() { runuser -u nobody -- "$@"; }
else
  as_owner() { "$@"; }
fi

as_owner "$BIN/initdb" -D "$DIR/data" -U copydesk --pwfile="$DIR/pwfile" -A scram-sha-256 \
  --no-sync -E UTF8 --locale=C.UTF-8 >"$DIR/initdb.log" 2>&1 ||
  { cat "$DIR/initdb.log" >&2; exit 1; }
as_owner "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -t 60 \
  -o "-p $PORT -k $DIR -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >&2 ||
  { cat "$DIR/server.log" >&2; exit 1; }

echo "tests/pg: PostgreSQL ($("$BIN/postgres" --version)) on 127.0.0.1:$PORT, data in $DIR" >&2
echo "export COPYDESK_PG_DIR='$DIR'"
echo "export COPYDESK_PG_BIN='$BIN'"
echo "export COPYDESK_TEST_DATABASE_URL='postgres://copydesk:$PASSWORD@127.0.0.1:$PORT/postgres'"
