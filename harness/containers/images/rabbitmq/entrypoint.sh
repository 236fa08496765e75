#!/bin/sh
# Behaves as the official rabbitmq image's entrypoint: arguments that start with `-` are given to rabbitmq-server,
# the broker runs as the rabbitmq user, and RABBITMQ_ERLANG_COOKIE (when set) becomes the node's cookie.
set -e
case "$1" in
  -*) set -- rabbitmq-server "$@" ;;
esac
cookie=/var/lib/rabbitmq/.erlang.cookie
if [ -n "${RABBITMQ_ERLANG_COOKIE:-}" ]; then
  printf '%s' "$RABBITMQ_ERLANG_COOKIE" >"$cookie"
  chmod 600 "$cookie"
fi
if [ "$(id -u)" = 0 ]; then
  find /var/lib/rabbitmq /etc/rabbitmq \! -user rabbitmq -exec chown rabbitmq:rabbitmq '{}' +
  exec setpriv --reuid=rabbitmq --regid=rabbitmq --init-groups "$@"
fi
exec "$@"
