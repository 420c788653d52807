#!/usr/bin/env bash
# build-base-image.sh - build the local dstack job base image without any container registry.
#
# debootstrap (minbase) a Debian rootfs from the apt mirror this machine already uses,
# add the packages a dstack job needs, and `docker import` it as dstack-base:local.
#
# Usage:
#   docker/build-base-image.sh [--force] [--refresh-cache] [--image NAME]
#     --force          rebuild/re-import even if the image already exists
#                      (reuses the cached rootfs tarball if there is one)
#     --refresh-cache  ignore the cached rootfs tarball and debootstrap again (implies --force)
#     --image NAME     image name (default: $DSTACK_BASE_IMAGE or dstack-base:local)
#
# Environment (all optional):
#   DSTACK_BASE_IMAGE     image name                         (default dstack-base:local)
#   DSTACK_DEBIAN_SUITE   Debian suite                       (default bookworm)
#   DSTACK_DEBIAN_MIRROR  mirror URL; default: read from /etc/apt/sources.list{,.d/*}
#   DSTACK_TOOLS_CACHE    cache dir                          (default <repo>/.tools/cache)
#
# Cache (.tools/ is in the repo's .gitignore): .tools/cache/debs/ (downloaded .debs, debootstrap
# --cache-dir) and .tools/cache/rootfs-<suite>-<arch>-<key>.tar (finished rootfs, keyed by
# suite/arch/package list/customisation version). With the tarball present a rebuild is
# just `docker import`.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/.." && pwd)"

IMAGE="${DSTACK_BASE_IMAGE:-dstack-base:local}"
SUITE="${DSTACK_DEBIAN_SUITE:-bookworm}"
CACHE_DIR="${DSTACK_TOOLS_CACHE:-$REPO_ROOT/.tools/cache}"
FORCE=0
REFRESH=0

# Packages on top of debootstrap's minbase (essential + apt). Recommends are not installed.
PACKAGES=(bash ca-certificates git curl procps python3 python3-pip python3-venv
          openssh-client tar gzip)
# bump when the rootfs customisation below changes (invalidates the cached tarball)
RECIPE_VERSION=2
PATH_ENV="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

while [ $# -gt 0 ]; do
    case "$1" in
        --force) FORCE=1 ;;
        --refresh-cache) REFRESH=1; FORCE=1 ;;
        --image) IMAGE="${2:?--image needs a value}"; shift ;;
        --image=*) IMAGE="${1#--image=}" ;;
        -h | --help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
        *) echo "unknown option: $1" >&2; exit 2 ;;
    esac
    shift
done

T_START="$EPOCHREALTIME"
say() { echo "[build-base-image] $*"; }
die() { echo "[build-base-image] ERROR: $*" >&2; exit 1; }
elapsed() { awk -v a="${1:-$T_START}" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }'; }
STEP_T=""
step() { STEP_T="$EPOCHREALTIME"; say "$*"; }
step_done() { say "  ... done in $(elapsed "$STEP_T")s"; }

# ---------------------------------------------------------------- engine
if ! docker info >/dev/null 2>&1; then
    step "no docker engine answers; running scripts/ensure-docker.sh"
    "$REPO_ROOT/scripts/ensure-docker.sh"
    step_done
fi

if [ "$FORCE" = 0 ] && docker image inspect "$IMAGE" >/dev/null 2>&1; then
    say "image $IMAGE already exists ($(docker image inspect -f '{{.Id}}' "$IMAGE" | cut -c1-19)); nothing to do (use --force to rebuild)"
    exit 0
fi

[ "$(id -u)" = 0 ] || die "must run as root (debootstrap / docker import)"

mkdir -p "$CACHE_DIR/debs"

# serialise concurrent builds (e.g. parallel test setups)
exec 9>"$CACHE_DIR/.build-base-image.lock"
flock 9
if [ "$FORCE" = 0 ] && docker image inspect "$IMAGE" >/dev/null 2>&1; then
    say "image $IMAGE was built by a concurrent run; nothing to do"
    exit 0
fi

ARCH="$(dpkg --print-architecture)"
KEY="$(printf '%s\n' "$SUITE" "$ARCH" "$RECIPE_VERSION" "${PACKAGES[@]}" | sha256sum | cut -c1-12)"
ROOTFS_TAR="$CACHE_DIR/rootfs-$SUITE-$ARCH-$KEY.tar"

# ---------------------------------------------------------------- mirror detection
# detect_mirror [SUITE]: first URI that serves SUITE (exactly, not -updates/-security)
# for Types: deb, from one-line *.list files or deb822 *.sources files (what apt reads).
detect_mirror() {
    local all
    all="$(detect_mirror_all "${1:-$SUITE}")"
    [ -n "$all" ] && printf '%s\n' "${all%%$'\n'*}"
    return 0
}
detect_mirror_all() {
    local f suite="$1"
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
        [ -f "$f" ] || continue
        # deb [opts] URI suite comp...
        awk -v suite="$suite" '
            /^[ \t]*deb[ \t]/ {
                sub(/^[ \t]*deb[ \t]+/, "")
                if ($0 ~ /^\[/) sub(/^\[[^]]*\][ \t]*/, "")
                if ($2 == suite) { print $1; exit }
            }' "$f"
    done
    for f in /etc/apt/sources.list.d/*.sources; do
        [ -f "$f" ] || continue
        # deb822 stanzas separated by blank lines
        awk -v suite="$suite" '
            function flush() {
                if (types ~ /(^|[ \t])deb([ \t]|$)/ && enabled !~ /^[ \t]*no/ && (" " suites " ") ~ ("[ \t]" suite "[ \t]")) {
                    split(uris, u, /[ \t]+/); print u[1]; found = 1
                }
                types = ""; uris = ""; suites = ""; enabled = ""
            }
            /^#/ { next }
            /^[ \t]*$/ { flush(); if (found) exit; next }
            tolower($1) == "types:"   { $1 = ""; types = $0 }
            tolower($1) == "uris:"    { $1 = ""; sub(/^[ \t]+/, ""); uris = $0 }
            tolower($1) == "suites:"  { $1 = ""; suites = $0 }
            tolower($1) == "enabled:" { $1 = ""; enabled = $0 }
            END { if (!found) flush() }' "$f"
    done
}

# ---------------------------------------------------------------- rootfs
ROOTFS=""
cleanup() {
    [ -n "$ROOTFS" ] && [ -d "$ROOTFS" ] || return 0
    # debootstrap mounts proc/sys (and maybe dev bits) inside the target; never rm -rf
    # through a live mount
    local m
    for m in $(awk -v r="$ROOTFS" '$2 == r || index($2, r "/") == 1 { print $2 }' /proc/mounts | sort -r); do
        umount -l "$m" 2>/dev/null || true
    done
    rm -rf --one-file-system "$ROOTFS" 2>/dev/null || true
    rm -f "$ROOTFS_TAR.partial"
}
trap cleanup EXIT

build_rootfs_tar() {
    local mirror
    mirror="${DSTACK_DEBIAN_MIRROR:-$(detect_mirror "$SUITE")}"
    [ -n "$mirror" ] || die "could not find an apt source for suite '$SUITE' in /etc/apt/sources.list{,.d/*}; set DSTACK_DEBIAN_MIRROR"
    mirror="${mirror%/}"
    say "using Debian mirror $mirror (suite $SUITE, arch $ARCH)"

    if ! command -v debootstrap >/dev/null; then
        local alog="$CACHE_DIR/apt-debootstrap.log"
        step "installing debootstrap (apt log: $alog)"
        export DEBIAN_FRONTEND=noninteractive
        if ! grep -q 'Candidate: [0-9]' <<<"$(apt-cache policy debootstrap 2>/dev/null)"; then
            say "  package lists do not know debootstrap: apt-get update"
            apt-get update -q >>"$alog" 2>&1 || { tail -n 20 "$alog" >&2; die "apt-get update failed"; }
        fi
        apt-get install -y -q --no-install-recommends debootstrap >>"$alog" 2>&1 ||
            { tail -n 20 "$alog" >&2; die "apt-get install debootstrap failed"; }
        step_done
    fi

    ROOTFS="$(mktemp -d "${TMPDIR:-/var/tmp}/dstack-base-rootfs.XXXXXX")"
    local -a dbs_args=(--variant=minbase --arch="$ARCH" --cache-dir="$CACHE_DIR/debs"
                       --include="$(IFS=,; echo "${PACKAGES[*]}")")
    [ -r /usr/share/keyrings/debian-archive-keyring.gpg ] &&
        dbs_args+=(--keyring=/usr/share/keyrings/debian-archive-keyring.gpg)
    step "debootstrap ${dbs_args[*]} $SUITE $ROOTFS $mirror"
    local dlog="$CACHE_DIR/debootstrap.log"
    if ! debootstrap "${dbs_args[@]}" "$SUITE" "$ROOTFS" "$mirror" >"$dlog" 2>&1; then
        tail -n 30 "$dlog" >&2
        [ -f "$ROOTFS/debootstrap/debootstrap.log" ] && tail -n 30 "$ROOTFS/debootstrap/debootstrap.log" >&2
        die "debootstrap failed (log: $dlog)"
    fi
    step_done

    step "customising rootfs"
    # apt sources inside the image: same mirror, plus -updates; security from host if known
    local sec
    sec="$(detect_mirror "$SUITE-security")"
    {
        echo "deb $mirror $SUITE main"
        echo "deb $mirror $SUITE-updates main"
        if [ -n "$sec" ]; then echo "deb ${sec%/} $SUITE-security main"; fi
    } >"$ROOTFS/etc/apt/sources.list"
    # like the official debian images: no service starts in dpkg, no apt caches kept
    printf '#!/bin/sh\nexit 101\n' >"$ROOTFS/usr/sbin/policy-rc.d"
    chmod 755 "$ROOTFS/usr/sbin/policy-rc.d"
    cat >"$ROOTFS/etc/apt/apt.conf.d/docker-clean" <<'EOF'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache ""; Dir::Cache::srcpkgcache "";
EOF
    printf 'APT::Install-Recommends "false";\n' >"$ROOTFS/etc/apt/apt.conf.d/docker-no-recommends"
    # dstack run configurations do plain `pip install ...`: allow it (PEP 668 marker off)
    rm -f "$ROOTFS"/usr/lib/python3*/EXTERNALLY-MANAGED
    # docker provides these at run time
    rm -f "$ROOTFS/etc/resolv.conf" "$ROOTFS/etc/hostname"
    : >"$ROOTFS/etc/machine-id"
    # size trimming
    rm -rf "$ROOTFS"/var/cache/apt/archives/*.deb "$ROOTFS"/var/cache/apt/*.bin \
           "$ROOTFS"/var/lib/apt/lists/* "$ROOTFS"/var/log/*.log "$ROOTFS"/var/log/apt/* \
           "$ROOTFS"/usr/share/doc/* "$ROOTFS"/usr/share/man/* "$ROOTFS"/usr/share/info/* \
           "$ROOTFS"/tmp/* "$ROOTFS"/root/.cache
    find "$ROOTFS/usr/share/locale" -mindepth 1 -maxdepth 1 ! -name locale.alias -exec rm -rf {} +
    # keep later `apt-get install`s in the image slim too (like debian:*-slim)
    mkdir -p "$ROOTFS/etc/dpkg/dpkg.cfg.d"
    cat >"$ROOTFS/etc/dpkg/dpkg.cfg.d/docker-slim" <<'EOF'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
path-include /usr/share/locale/locale.alias
EOF
    # (the python byte-code caches written by py3compile are kept: without them every
    #  container pays ~0.4s compiling the stdlib on first import)
    step_done

    step "writing rootfs tarball $ROOTFS_TAR (and removing the temp rootfs)"
    tar --numeric-owner --xattrs --acls -C "$ROOTFS" \
        --exclude='./dev/*' --exclude='./proc/*' --exclude='./sys/*' \
        -cf "$ROOTFS_TAR.partial" .
    mv -f "$ROOTFS_TAR.partial" "$ROOTFS_TAR"
    say "  rootfs tarball: $(du -h "$ROOTFS_TAR" | cut -f1)"
    cleanup
    ROOTFS=""
    step_done
}

if [ "$REFRESH" = 1 ] || [ ! -s "$ROOTFS_TAR" ]; then
    build_rootfs_tar
    # drop tarballs of other recipes
    find "$CACHE_DIR" -maxdepth 1 -name "rootfs-*.tar" ! -name "$(basename "$ROOTFS_TAR")" -delete
else
    say "using cached rootfs tarball $ROOTFS_TAR ($(du -h "$ROOTFS_TAR" | cut -f1))"
fi

# ---------------------------------------------------------------- import
step "docker import -> $IMAGE"
OLD_ID="$(docker image inspect -f '{{.Id}}' "$IMAGE" 2>/dev/null || true)"
docker import \
    --change "ENV PATH=$PATH_ENV" \
    --change 'ENV LANG=C.UTF-8' \
    --change 'WORKDIR /' \
    --change 'CMD ["/bin/bash"]' \
    --message "dstack base image: debootstrap $SUITE minbase + ${PACKAGES[*]}" \
    "$ROOTFS_TAR" "$IMAGE" >/dev/null
step_done
NEW_ID="$(docker image inspect -f '{{.Id}}' "$IMAGE")"
if [ -n "$OLD_ID" ] && [ "$OLD_ID" != "$NEW_ID" ]; then
    # the previous build is now untagged; drop it unless something still uses it
    docker image rm "$OLD_ID" >/dev/null 2>&1 && say "removed previous image ${OLD_ID:0:19}" || true
fi

say "built $IMAGE ($(docker image inspect -f '{{.Id}}' "$IMAGE" | cut -c1-19), $(docker image inspect -f '{{.Size}}' "$IMAGE" | awk '{ printf "%.0f MB", $1 / 1e6 }')) in $(elapsed)s total"
