# Local stand-in for the official `rabbitmq:3.13-management` image, built from Debian's rabbitmq-server (3.10 on
# bookworm), configured as the official image is: guest may connect from outside the container, logs go to the
# console, the management and Prometheus plugins are on.
PACKAGE=rabbitmq-server
TAG=eventwire-local/rabbitmq:3.10-management-bookworm
SETTING=EVENTWIRE_RABBITMQ_IMAGE
CHANGES=(
  'ENTRYPOINT ["docker-entrypoint.sh"]'
  'CMD ["rabbitmq-server"]'
  'EXPOSE 4369 5671 5672 15671 15672 15691 15692 25672'
  # Debian's /usr/sbin/rabbitmq-server sends the broker's output to a file; the scripts under /usr/lib/rabbitmq/bin
  # log to the console, as the official image's do.
  'ENV PATH=/usr/lib/rabbitmq/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'
  'ENV HOME=/var/lib/rabbitmq'
  'ENV RABBITMQ_DATA_DIR=/var/lib/rabbitmq'
  'ENV LANG=C.UTF-8'
)
setup_rootfs() { # $1: rootfs
  mkdir -p "$1/etc/rabbitmq/conf.d"
  cat >"$1/etc/rabbitmq/conf.d/10-defaults.conf" <<'CONF'
# As the official image: guest from anywhere (the container's port mapping is the boundary), logs to the console.
loopback_users.guest = false
log.console = true
CONF
  echo '[rabbitmq_management,rabbitmq_prometheus].' >"$1/etc/rabbitmq/enabled_plugins"
  # Debian's env file pins the node to 127.0.0.1; the official image listens on every interface.
  : >"$1/etc/rabbitmq/rabbitmq-env.conf"
  chroot "$1" chown -R rabbitmq:rabbitmq /etc/rabbitmq /var/lib/rabbitmq
}
