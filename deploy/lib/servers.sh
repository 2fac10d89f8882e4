#!/usr/bin/env bash
# Starts and stops local PostgreSQL 15 and Redis 7 servers on loopback, for
# deploy/up (data kept under .local/) and for the tests (throwaway folders).
# Sourced for its functions, or run as a command:
#   servers.sh pg-start DIR PORT [trust|scram]   servers.sh pg-stop DIR
#   servers.sh redis-start DIR PORT [persist]     servers.sh redis-stop DIR
#   servers.sh free-port
# PostgreSQL refuses to run as root: as root, it runs as the `postgres` user.
set -euo pipefail

AGORA_PG_BINDIR=${AGORA_PG_BINDIR:-/usr/lib/postgresql/15/bin}

agora_free_port() {
  /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# Runs a PostgreSQL binary as the server's owner.
_agora_pg_as_owner() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

# agora_pg_start DIR PORT [trust|scram]: initialises DIR on first use (with
# scram, the password is read from DIR/../pg-password, created if missing) and
# starts the server on 127.0.0.1:PORT, its socket inside DIR.
agora_pg_start() {
  local dir=$1 port=$2 auth=${3:-trust}
  mkdir -p "$dir"
  if [ "$(id -u)" = 0 ]; then
    chown postgres: "$dir"
    # The postgres user must be able to reach DIR (mktemp -d makes 0700 folders).
    chmod o+x "$(dirname "$dir")"
  fi
  chmod 700 "$dir"
  if [ ! -f "$dir/PG_VERSION" ]; then
    local initdb_auth=(--auth=trust)
    if [ "$auth" = scram ]; then
      local pwfile
      pwfile=$(dirname "$dir")/pg-password
      [ -s "$pwfile" ] || (umask 077; head -c 24 /dev/urandom | base64 | tr -d '/+=' > "$pwfile")
      local tmp_pw
      tmp_pw=$(mktemp)
      cp "$pwfile" "$tmp_pw"
      if [ "$(id -u)" = 0 ]; then chown postgres: "$tmp_pw"; fi
      initdb_auth=(--auth=scram-sha-256 --pwfile="$tmp_pw")
    fi
    _agora_pg_as_owner "$AGORA_PG_BINDIR/initdb" -D "$dir" -U agora --encoding=UTF8 \
      --locale=C.UTF-8 "${initdb_auth[@]}" >"$dir.initdb.log" 2>&1 ||
      { cat "$dir.initdb.log" >&2; return 1; }
    [ -z "${tmp_pw:-}" ] || rm -f "$tmp_pw"
  fi
  local options="-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=200"
  if [ "$auth" = trust ]; then
    # Throwaway test data: durability off for speed.
    options="$options -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
  fi
  _agora_pg_as_owner "$AGORA_PG_BINDIR/pg_ctl" -D "$dir" -l "$dir/server.log" \
    -o "$options" -w -t 60 start >/dev/null ||
    { cat "$dir/server.log" >&2; return 1; }
}

agora_pg_stop() {
  local dir=$1
  [ -f "$dir/postmaster.pid" ] || return 0
  _agora_pg_as_owner "$AGORA_PG_BINDIR/pg_ctl" -D "$dir" -m fast -w -t 60 stop >/dev/null
}

# agora_redis_start DIR PORT [persist]: Redis on 127.0.0.1:PORT, files in DIR.
agora_redis_start() {
  local dir=$1 port=$2 mode=${3:-throwaway}
  mkdir -p "$dir"
  local persistence=(--save "" --appendonly no)
  if [ "$mode" = persist ]; then persistence=(--save "60 1000" --appendonly yes); fi
  redis-server --port "$port" --bind 127.0.0.1 --dir "$dir" --daemonize yes \
    --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" "${persistence[@]}"
  local i
  for i in $(seq 1 100); do
    redis-cli -p "$port" ping >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  cat "$dir/redis.log" >&2
  return 1
}

agora_redis_stop() {
  local dir=$1
  [ -f "$dir/redis.pid" ] || return 0
  local pid
  pid=$(cat "$dir/redis.pid")
  kill "$pid" 2>/dev/null || true
  local i
  for i in $(seq 1 100); do
    kill -0 "$pid" 2>/dev/null || { rm -f "$dir/redis.pid"; return 0; }
    sleep 0.1
  done
  kill -9 "$pid" 2>/dev/null || true
  rm -f "$dir/redis.pid"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  command=${1:?usage: servers.sh pg-start|pg-stop|redis-start|redis-stop|free-port ...}
  shift
  case "$command" in
    pg-start) agora_pg_start "$@" ;;
    pg-stop) agora_pg_stop "$@" ;;
    redis-start) agora_redis_start "$@" ;;
    redis-stop) agora_redis_stop "$@" ;;
    free-port) agora_free_port ;;
    *) echo "unknown command: $command" >&2; exit 2 ;;
  esac
fi
