#!/usr/bin/env bash
# bootstrap.sh: from a fresh Debian 12 / Ubuntu checkout to a running iopstop.
#
#   contrib/bootstrap.sh [--no-run] [--deps-only] [-- CONFIGURE-ARGS...]
#
# 1. installs the build and test dependencies that are missing (apt-get; sudo
#    when not root),
# 2. autoreconf -fi && ./configure && make -j2,
# 3. runs the bundled demo under iopstop: ./src/iopstop -- ./contrib/iopstop-demo
#
#   --no-run      stop after building (do not run the demo)
#   --deps-only   only install the dependencies
#   -- ARGS       pass ARGS on to ./configure
#
# Environment: JOBS (parallel make jobs, default 2).
set -euo pipefail

PACKAGES=(build-essential autoconf automake pkg-config libncurses-dev
          libproc2-dev libcmocka-dev strace tmux python3)
# Packages the build can do without (configure falls back to a stub); on
# releases that do not have them (libproc2-dev is Debian 12+/Ubuntu 22.10+)
# they are skipped with a warning instead of failing.
OPTIONAL_PACKAGES=" libproc2-dev "

run=1
build=1
configure_args=()

usage() {
    sed -n '2,16s/^# \{0,1\}//p' "$0"
}

while [ $# -gt 0 ]; do
    case "$1" in
        --no-run) run=0 ;;
        --deps-only) build=0; run=0 ;;
        -h|--help) usage; exit 0 ;;
        --) shift; configure_args=("$@"); break ;;
        *) echo "bootstrap.sh: unknown option: $1" >&2; usage >&2; exit 2 ;;
    esac
    shift
done

say() { printf '==> %s\n' "$*" >&2; }
die() { printf 'bootstrap.sh: %s\n' "$*" >&2; exit 1; }

cd "$(dirname "$0")/.."
top=$(pwd)

# ---- 1. dependencies -------------------------------------------------------
as_root=()
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
        as_root=(sudo)
    fi
fi

is_installed() {
    [ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null)" = installed ]
}

install_deps() {
    if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
        say "not a Debian/Ubuntu system (no dpkg/apt-get): install these yourself:"
        say "  ${PACKAGES[*]}"
        return 0
    fi
    local missing=() p
    for p in "${PACKAGES[@]}"; do
        is_installed "$p" || missing+=("$p")
    done
    if [ ${#missing[@]} -eq 0 ]; then
        say "dependencies: all installed"
        return 0
    fi
    if [ "$(id -u)" -ne 0 ] && [ ${#as_root[@]} -eq 0 ]; then
        die "missing packages (${missing[*]}) and not root, no sudo: install them as root"
    fi
    say "installing: ${missing[*]}"
    ${as_root[@]+"${as_root[@]}"} env DEBIAN_FRONTEND=noninteractive apt-get update -q
    local want=()
    for p in "${missing[@]}"; do
        if [[ "$OPTIONAL_PACKAGES" == *" $p "* ]] &&
           ! apt-cache show "$p" >/dev/null 2>&1; then
            say "warning: $p is not available on this release; building without it"
            continue
        fi
        want+=("$p")
    done
    if [ ${#want[@]} -gt 0 ]; then
        ${as_root[@]+"${as_root[@]}"} env DEBIAN_FRONTEND=noninteractive \
            apt-get install -y -q --no-install-recommends "${want[@]}"
    fi
}

install_deps
[ "$build" -eq 1 ] || exit 0

# ---- 2. build ---------------------------------------------------------------
say "autoreconf -fi"
autoreconf -fi
say "./configure ${configure_args[*]+${configure_args[*]}}"
./configure ${configure_args[@]+"${configure_args[@]}"}
say "make -j${JOBS:-2}"
make -j"${JOBS:-2}"

[ "$run" -eq 1 ] || exit 0

# ---- 3. demo ----------------------------------------------------------------
[ -x src/iopstop ] || die "src/iopstop was not built"
[ -x contrib/iopstop-demo ] || die "contrib/iopstop-demo was not built"
say "./src/iopstop -- ./contrib/iopstop-demo   (q quits the full-screen view)"
cd "$top"
exec ./src/iopstop -- ./contrib/iopstop-demo
