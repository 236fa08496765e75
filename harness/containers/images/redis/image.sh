# Local stand-in for the official `redis:7.4` image, built from Debian's redis-server (7.0 on bookworm).
PACKAGE=redis-server
TAG=eventwire-local/redis:7.0-bookworm
SETTING=EVENTWIRE_REDIS_IMAGE
CHANGES=(
  'ENTRYPOINT ["docker-entrypoint.sh"]'
  'CMD ["redis-server"]'
  'EXPOSE 6379'
  'WORKDIR /data'
  'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'
)
setup_rootfs() { # $1: rootfs
  mkdir -p "$1/data"
  chroot "$1" chown redis:redis /data
}
