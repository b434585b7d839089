#!/usr/bin/env bash
# Builds a container image with podman on a machine that has no Docker engine and no image
# registry (this project's machines and CI):
#
#   tools/container-build.sh [-f DOCKERFILE] [-t TAG] [-c CONTEXT] [-- PODMAN-BUILD-ARGS...]
#
# Defaults: -f docker/Dockerfile -t localhost/kinesis-emulator:dev -c . (the project root);
# e.g. `tools/container-build.sh -- --target runtime` or `-f docker/smoke/Dockerfile -c docker/smoke`.
#
# `FROM debian:bookworm` and `FROM debian:bookworm-slim` cannot be pulled here, so the first run
# makes both from one `debootstrap --variant=minbase bookworm` (the variant the official images
# are made from too) and tags them docker.io/library/debian:bookworm and :bookworm-slim. They
# stay in podman's image store, so later runs on the same machine reuse them (KE_REBUILD_BASE=1
# makes them again). They are close to the official images, not the same: like those, both
# are brought up to date from bookworm-updates and -security, keep no .debs or apt lists and
# have apt remove them after every install; and -slim also lacks documentation, man pages and
# translations (44 MB: 121 MB -> 77 MB) and tells dpkg to skip them in later installs. One
# minbase tagged as both makes the runtime image 143 MB (measured). Packages come from the
# apt mirror this machine already uses.
#
# Needs root; installs podman, runc and debootstrap on first use. For other podman commands
# here: export CONTAINERS_CONF=$PWD/docker/podman.conf (runc, lower ulimits).
set -euo pipefail
cd "$(dirname "$0")/.."

dockerfile=docker/Dockerfile
tag=localhost/kinesis-emulator:dev
context=.
while [ $# -gt 0 ]; do
  case "$1" in
    -f) dockerfile=$2; shift 2 ;;
    -t) tag=$2; shift 2 ;;
    -c) context=$2; shift 2 ;;
    --) shift; break ;;
    *) echo "usage: tools/container-build.sh [-f DOCKERFILE] [-t TAG] [-c CONTEXT] [-- PODMAN-BUILD-ARGS...]" >&2
       exit 2 ;;
  esac
done

missing=()
for tool in podman runc debootstrap; do command -v "$tool" >/dev/null || missing+=("$tool"); done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq podman runc debootstrap >/dev/null
fi
export CONTAINERS_CONF="${CONTAINERS_CONF:-$PWD/docker/podman.conf}"

base=docker.io/library/debian:bookworm
slim=docker.io/library/debian:bookworm-slim

# Makes $base and $slim from one debootstrap run.
make_base_images() {
  local mirror security root
  mirror=$(awk '/^URIs:/ && $2 !~ /security/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
  [ -n "$mirror" ] || mirror=$(awk '/^deb / && $3 !~ /security/ {print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)
  [ -n "$mirror" ] || mirror=http://deb.debian.org/debian
  security=$(awk '/^URIs:/ && $2 ~ /security/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
  [ -n "$security" ] || security=http://deb.debian.org/debian-security
  root=$(mktemp -d /var/tmp/bookworm-base.XXXXXX)
  chmod 755 "$root"   # it becomes the image's /; apt's sandbox user must get in too
  # shellcheck disable=SC2064 # expand $root now
  trap "umount '$root/proc' 2>/dev/null || true; rm -rf '$root' '$root.log'" EXIT

  echo "making the Debian 12 base images from $mirror (debootstrap, 1-3 minutes)..." >&2
  debootstrap --variant=minbase bookworm "$root" "$mirror" >"$root.log" 2>&1 ||
    { tail -20 "$root.log" >&2; exit 1; }
  rm -f "$root.log"

  # The official images' apt sources (with updates and security) and apt settings: no .debs or
  # package caches left behind by an install, no index translations, and suggested packages
  # not kept back from autoremove.
  rm -f "$root/etc/apt/sources.list"
  cat >"$root/etc/apt/sources.list.d/debian.sources" <<EOF
Types: deb
URIs: $mirror
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: $security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
  cat >"$root/etc/apt/apt.conf.d/docker-clean" <<'EOF'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache ""; Dir::Cache::srcpkgcache "";
EOF
  printf 'Acquire::Languages "none";\n' >"$root/etc/apt/apt.conf.d/docker-no-languages"
  printf 'Apt::AutoRemove::SuggestsImportant "false";\n' >"$root/etc/apt/apt.conf.d/docker-autoremove-suggests"

  # Bring it up to date with bookworm-updates and -security, as the official images are.
  mount -t proc proc "$root/proc"
  { chroot "$root" apt-get update -qq &&
      DEBIAN_FRONTEND=noninteractive chroot "$root" apt-get upgrade -y -qq; } >"$root.log" 2>&1 ||
    { tail -20 "$root.log" >&2; exit 1; }
  rm -f "$root.log"
  umount "$root/proc"
  rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/archives/*.deb "$root"/var/log/apt/* \
    "$root"/var/log/bootstrap.log "$root"/var/cache/debconf/*-old "$root"/var/lib/dpkg/*-old \
    "$root"/tmp/* "$root"/var/tmp/*
  find "$root/var/log" -type f -exec truncate -s 0 {} +
  : >"$root/etc/resolv.conf"   # the container engine provides these two
  : >"$root/etc/hostname"

  # The official images' configuration.
  local changes=(--change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'
                 --change 'CMD ["bash"]')
  tar --numeric-owner -C "$root" -c . | podman import "${changes[@]}" - "$base" >/dev/null

  # -slim: the same without documentation, man pages and translations (copyright files stay).
  cat >"$root/etc/dpkg/dpkg.cfg.d/docker-slim" <<'EOF'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
path-include /usr/share/locale/locale.alias
path-exclude /usr/share/lintian/*
EOF
  find "$root/usr/share/doc" -mindepth 1 ! -type d ! -name copyright -delete
  find "$root/usr/share/doc" -mindepth 1 -type d -empty -delete
  find "$root/usr/share/locale" -mindepth 1 -maxdepth 1 ! -name locale.alias -exec rm -rf {} +
  rm -rf "$root"/usr/share/man/* "$root"/usr/share/info/* "$root"/usr/share/lintian/*
  tar --numeric-owner -C "$root" -c . | podman import "${changes[@]}" - "$slim" >/dev/null

  rm -rf "$root"
  trap - EXIT
}

if [ "${KE_REBUILD_BASE:-0}" = 1 ] || ! podman image exists "$base" || ! podman image exists "$slim"; then
  old=$(podman image inspect --format '{{.Id}}' "$base" "$slim" 2>/dev/null || true)
  make_base_images
  # The images replaced, unless something still uses them.
  for id in $old; do podman rmi "$id" >/dev/null 2>&1 || true; done
fi

# Docker's image format: podman's default, OCI, has no HEALTHCHECK and drops it with a
# warning. Host networking: the build's apt-get reaches the mirror as the host does.
podman build --format docker --network host -f "$dockerfile" -t "$tag" "$@" "$context"
