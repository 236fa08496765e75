# Local stand-in for the official `postgres:16` image, built from Debian's postgresql (15 on bookworm), with the
# official image's environment: POSTGRES_PASSWORD (or POSTGRES_HOST_AUTH_METHOD=trust), POSTGRES_USER, POSTGRES_DB,
# PGDATA; scripts in /docker-entrypoint-initdb.d run once on a new data directory.
PACKAGE=postgresql
TAG=eventwire-local/postgres:15-bookworm
SETTING=EVENTWIRE_POSTGRES_IMAGE
CHANGES=(
  'ENTRYPOINT ["docker-entrypoint.sh"]'
  'CMD ["postgres"]'
  'EXPOSE 5432'
  'ENV PATH=/usr/lib/postgresql/15/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'
  'ENV PGDATA=/var/lib/postgresql/data'
  'ENV LANG=C.UTF-8'
)
# The official image stops with SIGINT (fast shutdown); `docker import` cannot set STOPSIGNAL, so the harness
# sends it itself for a clean restart.
setup_rootfs() { # $1: rootfs
  # The package's own cluster is not used: the entrypoint creates one in PGDATA, as the official image does.
  rm -rf "$1/var/lib/postgresql/15" "$1/etc/postgresql/15"
  mkdir -p "$1/var/lib/postgresql/data" "$1/var/run/postgresql" "$1/docker-entrypoint-initdb.d"
  chroot "$1" chown -R postgres:postgres /var/lib/postgresql /var/run/postgresql
  chmod 3777 "$1/var/run/postgresql"
}
