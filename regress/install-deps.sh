#!/bin/sh
# Installs the Debian packages that building and testing need, when they
# are missing, so `make check` works as the first command on a fresh
# Debian 12 machine run as root.
set -eu

BUILD_PKGS="build-essential pkg-config clang libclang-rt-14-dev
libevent-dev libssl-dev libseccomp-dev libcap-ng-dev libnl-3-dev
libnl-route-3-dev libnl-xfrm-3-dev libbsd-dev libnftnl-dev libmnl-dev"
TEST_PKGS="iproute2 nftables procps util-linux psmisc jq iputils-ping
xl2tpd strongswan-charon strongswan-swanctl libstrongswan-standard-plugins"

missing=""
for p in $BUILD_PKGS $TEST_PKGS $*; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
	    grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ]; then
	echo "install-deps: missing packages:$missing (run as root, or" \
	    "install them yourself)" >&2
	exit 1
fi
echo "install-deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
# A fresh machine has no package lists yet.
if ! apt-get install -y -q --no-install-recommends $missing >/dev/null; then
	apt-get update -q >/dev/null
	apt-get install -y -q --no-install-recommends $missing >/dev/null
fi
