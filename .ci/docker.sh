#!/usr/bin/env bash
# Prepares what the containers mode of the harness needs on a machine that reaches Debian's packages but no
# container registry: Debian's Docker engine, a running dockerd, and the three broker images built locally with
# debootstrap (no `docker pull`, ever). Each image is built once per machine: an image already in the engine is
# kept. Writes .eventwire/local-images.json so the harness's image settings (EVENTWIRE_REDIS_IMAGE, ...) name the
# local builds. Every step prints how long it took.
#
#   bash .ci/docker.sh              # install, start, build what is missing   (npm run containers:prepare)
#   bash .ci/docker.sh --rebuild    # build the three images again
#
# Environment: EVENTWIRE_DOCKERD_LOG (default /var/log/eventwire-dockerd.log),
# EVENTWIRE_DEBOOTSTRAP_CACHE (default /var/cache/eventwire-debootstrap: the .deb files, kept between builds).
set -euo pipefail
cd "$(dirname "$0")/.."

images_dir=harness/containers/images
dockerd_log=${EVENTWIRE_DOCKERD_LOG:-/var/log/eventwire-dockerd.log}
deb_cache=${EVENTWIRE_DEBOOTSTRAP_CACHE:-/var/cache/eventwire-debootstrap}
suite=bookworm
rebuild=false
[ "${1:-}" = --rebuild ] && rebuild=true

now() { date +%s.%N; }
took() { # label, start time
  awk -v a="$2" -v b="$(now)" -v l="$1" 'BEGIN { printf "   %s: %.1f s\n", l, b - a }'
}
fail() {
  echo "docker.sh: $*" >&2
  exit 1
}

install_packages() {
  local missing=()
  command -v dockerd >/dev/null || missing+=(docker.io)
  command -v debootstrap >/dev/null || missing+=(debootstrap)
  [ ${#missing[@]} -eq 0 ] && { echo "   docker.io and debootstrap are installed"; return; }
  [ "$(id -u)" = 0 ] || fail "installing ${missing[*]} needs root (apt-get)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  echo "   installed ${missing[*]}"
}

start_engine() {
  if docker info >/dev/null 2>&1; then
    echo "   a Docker engine answers: $(docker version --format '{{.Server.Version}}')"
    return
  fi
  [ "$(id -u)" = 0 ] || fail "no Docker engine answers and starting dockerd needs root"
  # --ip: ports a container publishes are bound on 127.0.0.1 only, never on the machine's other interfaces.
  setsid nohup dockerd --ip 127.0.0.1 >>"$dockerd_log" 2>&1 </dev/null &
  for _ in $(seq 1 120); do
    if docker info >/dev/null 2>&1; then
      echo "   dockerd $(docker version --format '{{.Server.Version}}') is up (log: $dockerd_log)"
      return
    fi
    sleep 0.5
  done
  tail -n 20 "$dockerd_log" >&2 || true
  fail "dockerd did not answer within 60 s; its log is $dockerd_log"
}

# The Debian mirror this machine's apt uses for the suite itself (not -updates or -security), read from
# /etc/apt/sources.list.d (deb822 .sources or one-line .list files) and /etc/apt/sources.list.
debian_mirror() {
  local f
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    awk -v suite="$suite" '
      /^[[:space:]]*$/ { if (uri != "" && has) { print uri; exit } uri = ""; has = 0; next }
      /^URIs:/ { uri = $2 }
      /^Suites:/ { for (i = 2; i <= NF; i++) if ($i == suite) has = 1 }
      END { if (uri != "" && has) print uri }' "$f"
  done | head -n 1 | grep . && return
  cat /etc/apt/sources.list.d/*.list /etc/apt/sources.list 2>/dev/null |
    awk -v suite="$suite" '$1 == "deb" { u = ($2 ~ /^\[/) ? $3 : $2; s = ($2 ~ /^\[/) ? $4 : $3; if (s == suite) { print u; exit } }' |
    grep . || fail "no Debian mirror for $suite in /etc/apt/sources.list.d or /etc/apt/sources.list"
}

build_image() { # image folder name
  local PACKAGE TAG SETTING CHANGES
  # shellcheck source=/dev/null
  . "$images_dir/$1/image.sh"
  if ! $rebuild && docker image inspect "$TAG" >/dev/null 2>&1; then
    echo "   $TAG is in the engine (kept; --rebuild builds it again)"
    return
  fi
  local t
  rootfs=$(mktemp -d /var/tmp/eventwire-rootfs-"$1".XXXXXX)
  mkdir -p "$deb_cache"
  t=$(now)
  debootstrap --variant=minbase --include="$PACKAGE" --cache-dir="$deb_cache" "$suite" "$rootfs" "$mirror" \
    >"$rootfs.log" 2>&1 || { tail -n 30 "$rootfs.log" >&2; fail "debootstrap of $PACKAGE failed (log: $rootfs.log)"; }
  rm -f "$rootfs.log"
  took "debootstrap $PACKAGE" "$t"
  install -m 0755 "$images_dir/$1/entrypoint.sh" "$rootfs/usr/local/bin/docker-entrypoint.sh"
  setup_rootfs "$rootfs"
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* "$rootfs"/usr/share/doc \
    "$rootfs"/usr/share/man "$rootfs"/usr/share/info
  t=$(now)
  local change_args=()
  for c in "${CHANGES[@]}"; do change_args+=(--change "$c"); done
  tar --numeric-owner -C "$rootfs" -c . | docker import "${change_args[@]}" - "$TAG" >/dev/null
  rm -rf "$rootfs"
  rootfs=
  took "docker import $TAG ($(docker image inspect --format '{{.Size}}' "$TAG" | awk '{printf "%d MB", $1 / 1e6}'))" "$t"
}

write_settings() {
  mkdir -p .eventwire
  local out=.eventwire/local-images.json name PACKAGE TAG SETTING CHANGES first=true
  {
    echo '{'
    echo '  "$comment": "Written by .ci/docker.sh: the broker images built on this machine. EVENTWIRE_*_IMAGE override these.",'
    echo '  "images": {'
    for name in redis rabbitmq postgres; do
      # shellcheck source=/dev/null
      . "$images_dir/$name/image.sh"
      $first || echo ','
      printf '    "%s": "%s"' "$name" "$TAG"
      first=false
    done
    printf '\n  }\n}\n'
  } >"$out"
  echo "   $out names the local images"
}

# A build that fails or is interrupted leaves no root file system behind.
rootfs=
trap '[ -n "$rootfs" ] && rm -rf "$rootfs"' EXIT

start=$(now)
echo "== docker: packages"
t=$(now)
install_packages
took "packages" "$t"

echo "== docker: engine"
t=$(now)
start_engine
took "engine" "$t"

echo "== docker: broker images (no registry: debootstrap $suite + docker import)"
mirror=$(debian_mirror)
echo "   mirror: $mirror"
for name in redis rabbitmq postgres; do
  t=$(now)
  build_image "$name"
  took "$name image" "$t"
done
write_settings
took "docker.sh in all" "$start"
