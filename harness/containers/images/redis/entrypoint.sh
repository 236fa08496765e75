#!/bin/sh
# Behaves as the official redis image's entrypoint: arguments that start with `-` or name a .conf file are given to
# redis-server, protected mode is off (the official image builds Redis with it off: the container's port mapping is
# the boundary), and the server runs as the redis user in /data.
set -e
case "$1" in
  -* | *.conf) set -- redis-server "$@" ;;
esac
if [ "$1" = redis-server ]; then
  shift
  if [ "${1%.conf}" != "$1" ]; then
    conf=$1
    shift
    set -- redis-server "$conf" --protected-mode no "$@"
  else
    set -- redis-server --protected-mode no "$@"
  fi
  if [ "$(id -u)" = 0 ]; then
    find /data \! -user redis -exec chown redis:redis '{}' +
    exec setpriv --reuid=redis --regid=redis --init-groups "$@"
  fi
fi
exec "$@"
