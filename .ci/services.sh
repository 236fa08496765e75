#!/usr/bin/env bash
# Makes sure Redis, RabbitMQ and PostgreSQL answer on their standard local ports, starting any that is down with
# the machine's own start command. Tests use REDIS_URL, AMQP_URL and DATABASE_URL when another location is wanted.
set -uo pipefail

wait_for() { # name, check command
  for _ in $(seq 1 60); do
    if eval "$2" >/dev/null 2>&1; then echo "$1 is up"; return 0; fi
    sleep 1
  done
  echo "$1 did not come up" >&2
  return 1
}

if ! redis-cli -h 127.0.0.1 ping >/dev/null 2>&1; then
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log
fi
wait_for redis "redis-cli -h 127.0.0.1 ping"

if ! pg_isready -h 127.0.0.1 -p 5432 >/dev/null 2>&1; then
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql)" main start
fi
wait_for postgresql "pg_isready -h 127.0.0.1 -p 5432"

if ! rabbitmqctl -q status >/dev/null 2>&1; then
  rabbitmq-server -detached
fi
wait_for rabbitmq "rabbitmqctl -q await_startup"
