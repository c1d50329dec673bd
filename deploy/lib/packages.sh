# packages.sh — the Debian 12 packages Community Links needs, installed only
# when missing. Sourced by deploy/demo and tests/run.

LINKS_BUILD_PACKAGES="build-essential autoconf automake libtool pkg-config
  libfcgi-dev libpq-dev libconfig-dev libjansson-dev libsodium-dev check libsubunit-dev libcsv-dev"
# openssl: the local stacks serve HTTPS with a certificate made at start.
LINKS_RUN_PACKAGES="postgresql postgresql-contrib nginx curl ca-certificates openssl"
# procps: the fault tests find linksd's workers with pgrep.
LINKS_TEST_PACKAGES="wrk clang libclang-rt-14-dev spawn-fcgi procps chromium fonts-liberation"

links_missing_packages() {
    local missing="" p
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
    done
    echo "$missing"
}

# links_install_packages PACKAGE... : apt-get install what is not installed.
links_install_packages() {
    local missing
    missing=$(links_missing_packages "$@")
    [ -z "$missing" ] && return 0
    if [ "$(id -u)" != 0 ]; then
        echo "missing packages:$missing (run as root to install them)" >&2
        return 1
    fi
    echo "installing:$missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    # shellcheck disable=SC2086
    apt-get install -y -qq --no-install-recommends $missing >/dev/null || {
        echo "apt-get could not install:$missing" >&2
        return 1
    }
    # Debian's nginx package starts a server on port 80 where init runs; we
    # start our own, so stop the packaged one if it came up.
    if [ -x /usr/sbin/service ] && [ -f /run/nginx.pid ]; then service nginx stop >/dev/null 2>&1 || true; fi
}

# Node's built-in fetch and test runner need 18+; Debian 12 ships 18.
# A Node.js that is already installed (e.g. a vendor build that bundles
# npm) is used as it is: Debian's npm package would conflict with it.
links_check_node() {
    command -v node >/dev/null && command -v npm >/dev/null || return 1
    local major
    major=$(node -p 'process.versions.node.split(".")[0]')
    [ "$major" -ge 18 ]
}

links_ensure_node() {
    links_check_node && return 0
    if command -v node >/dev/null; then
        links_install_packages npm
    else
        links_install_packages nodejs npm
    fi
    links_check_node || { echo "Node.js 18 or later with npm is needed" >&2; return 1; }
}
