#!/usr/bin/env bash
# A throw-away PostgreSQL 15 + PostGIS cluster for the shared platform's tests
# and for local use: its own data folder, listening on 127.0.0.1 only, with the
# platform's schemas and roles (scripts/pg/platform.sql) in database `citytwin`.
#
#   scripts/pg-cluster.sh start    # create on first use, start, wait until ready, print the env
#   scripts/pg-cluster.sh stop     # stop (the data folder stays; delete it to start afresh)
#   scripts/pg-cluster.sh status   # exit 0 when running
#   scripts/pg-cluster.sh env      # PGHOST, PGPORT, PGDATABASE, PGPASSFILE lines to eval
#   scripts/pg-cluster.sh psql ... # psql as the cluster's administrator (over the local socket)
#
# Environment: CITYTWIN_PG_DIR (default <repo>/.pg), CITYTWIN_PG_PORT (default:
# 54329, or the next free port up to 54349 when that one is taken).
#
# The server refuses to run as root, so as root every server command runs as
# the `postgres` OS user (runuser); as another user it runs as that user. The
# department roles get random passwords on creation, written only to
# <dir>/pgpass (mode 600), which libpq reads through PGPASSFILE: no password is
# printed, passed on a command line or written to the server log.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
bin=/usr/lib/postgresql/15/bin
dir=${CITYTWIN_PG_DIR:-$repo/.pg}
roles=(citytwin_transport citytwin_energy citytwin_planning citytwin_twin)
database=citytwin

die() { echo "pg-cluster: $*" >&2; exit 1; }

[ -x "$bin/pg_ctl" ] || die "PostgreSQL 15 is not installed ($bin/pg_ctl missing); run scripts/install-deps.sh"
[ -f /usr/share/postgresql/15/extension/postgis.control ] ||
  die "PostGIS for PostgreSQL 15 is not installed (postgresql-15-postgis-3); run scripts/install-deps.sh"

if [ "$(id -u)" -eq 0 ]; then
  server_user=postgres
  as_server() { runuser -u postgres -- "$@"; }
else
  server_user=$(id -un)
  as_server() { "$@"; }
fi

mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
# The server's own files (data, socket, log) live in $dir when the server user
# can reach it, else (a private parent folder, a long path: a Unix socket path
# is limited to ~107 bytes) in a folder of /tmp named after $dir.
server_dir=$dir
if [ ${#dir} -gt 70 ] || ! as_server test -x "$dir" 2>/dev/null; then
  server_dir=/tmp/citytwin-pg-$(printf '%s' "$dir" | md5sum | cut -c1-12)
  mkdir -p "$server_dir"
fi
data=$server_dir/data
log=$server_dir/server.log
sockets=$server_dir/run

port_of_cluster() { sed -n 's/^port = \([0-9]*\).*/\1/p' "$data/postgresql.auto.conf" 2>/dev/null | tail -n1; }

running() { [ -f "$data/postmaster.pid" ] && as_server "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; }

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

choose_port() {
  if [ -n "${CITYTWIN_PG_PORT:-}" ]; then echo "$CITYTWIN_PG_PORT"; return; fi
  for p in $(seq 54329 54349); do
    if port_free "$p"; then echo "$p"; return; fi
  done
  die "no free port in 54329-54349 on 127.0.0.1; set CITYTWIN_PG_PORT"
}

admin_psql() { as_server "$bin/psql" -X -q -v ON_ERROR_STOP=1 -h "$sockets" -p "$(port_of_cluster)" -U "$server_user" "$@"; }

print_env() {
  echo "export PGHOST=127.0.0.1"
  echo "export PGPORT=$(port_of_cluster)"
  echo "export PGDATABASE=$database"
  echo "export PGPASSFILE=$dir/pgpass"
}

create_cluster() {
  local port=$1
  echo "pg-cluster: creating a cluster in $data (port $port)" >&2
  rm -rf "$data"
  mkdir -p "$data"
  [ "$server_user" = postgres ] && chown postgres: "$data"
  chmod 700 "$data"
  # Local socket: the administrator by peer authentication only; every TCP
  # connection (loopback only) by password (SCRAM).
  as_server "$bin/initdb" -D "$data" -U "$server_user" -E UTF8 --locale=C.UTF-8 \
    --auth-local=peer --auth-host=scram-sha-256 >"$dir/initdb.log" 2>&1 ||
    die "initdb failed; see $dir/initdb.log: $(tail -n 3 "$dir/initdb.log")"
  cat >"$dir/postgresql.conf.add" <<EOF
port = $port
listen_addresses = '127.0.0.1'
unix_socket_directories = '$sockets'
password_encryption = 'scram-sha-256'
log_min_error_statement = panic
fsync = off
synchronous_commit = off
full_page_writes = off
EOF
  as_server tee -a "$data/postgresql.auto.conf" <"$dir/postgresql.conf.add" >/dev/null
  rm -f "$dir/postgresql.conf.add"
  # Only loopback TCP connections, by password; no replication.
  printf '%s\n' "local all $server_user peer" "local all all scram-sha-256" \
    "host all all 127.0.0.1/32 scram-sha-256" | as_server tee "$data/pg_hba.conf" >/dev/null
}

bootstrap() {
  echo "pg-cluster: creating database $database, PostGIS, schemas and roles (scripts/pg/platform.sql)" >&2
  admin_psql -d postgres -c "CREATE DATABASE $database"
  admin_psql -d "$database" -f - <"$repo/scripts/pg/platform.sql" >/dev/null
  # Random passwords, set over the socket from stdin and kept in pgpass only.
  local pgpass=$dir/pgpass.new sql="" role pw
  umask 077
  : >"$pgpass"
  for role in "${roles[@]}"; do
    pw=$(head -c 18 /dev/urandom | base64 | tr '+/' 'xy')
    sql+="ALTER ROLE $role PASSWORD '$pw';"$'\n'
    echo "*:$(port_of_cluster):$database:$role:$pw" >>"$pgpass"
  done
  printf 'SET log_statement = none;\n%s' "$sql" | admin_psql -d "$database" -f - >/dev/null
  mv "$pgpass" "$dir/pgpass"
}

start() {
  if running; then print_env; return; fi
  local fresh=0
  if [ ! -f "$data/PG_VERSION" ] || [ ! -f "$dir/pgpass" ]; then
    create_cluster "$(choose_port)"
    fresh=1
  elif ! port_free "$(port_of_cluster)"; then
    die "port $(port_of_cluster) of the cluster in $data is taken by another server; stop it, or delete $dir to start afresh"
  fi
  mkdir -p "$sockets"
  touch "$log"
  [ "$server_user" = postgres ] && chown postgres: "$sockets" "$server_dir" "$log"
  [ "$log" = "$dir/server.log" ] || ln -sfn "$log" "$dir/server.log"
  # The server outlives this script: it must not inherit our open files (a lock
  # held by whoever started us, e.g. `flock LOCK ctest`, would stay held).
  (
    for fd in /proc/$BASHPID/fd/*; do
      fd=${fd##*/}
      [ "$fd" -gt 2 ] && eval "exec $fd>&-"
    done
    as_server "$bin/pg_ctl" -D "$data" -l "$log" -w -t 60 start >/dev/null
  ) || die "the server did not start; the end of $log says: $(tail -n 5 "$log" 2>/dev/null)"
  as_server "$bin/pg_isready" -q -h 127.0.0.1 -p "$(port_of_cluster)" -t 30 ||
    die "the server started but does not accept connections on 127.0.0.1:$(port_of_cluster); see $log"
  [ "$fresh" -eq 1 ] && bootstrap
  chmod 600 "$dir/pgpass"
  print_env >"$dir/env"
  echo "pg-cluster: running on 127.0.0.1:$(port_of_cluster), data in $data" >&2
  print_env
}

stop() {
  if running; then
    as_server "$bin/pg_ctl" -D "$data" -m fast -w -t 60 stop >/dev/null
    echo "pg-cluster: stopped" >&2
  else
    echo "pg-cluster: not running" >&2
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) if running; then echo "pg-cluster: running on 127.0.0.1:$(port_of_cluster), data in $data"; else echo "pg-cluster: not running"; exit 3; fi ;;
  env) [ -f "$data/PG_VERSION" ] || die "no cluster in $data; run: $0 start"; print_env ;;
  psql) shift; running || die "not running; run: $0 start"; admin_psql -d "$database" "$@" ;;
  *) echo "usage: $0 start|stop|status|env|psql [psql arguments]" >&2; exit 2 ;;
esac
