#!/bin/sh
# Creates the unprivileged user the children run as, and the empty chroot.
set -eu
USER_NAME=${L2TPSECD_USER:-_l2tpsecd}
CHROOT=${L2TPSECD_CHROOT:-/var/lib/l2tpsecd/empty}
if ! getent passwd "$USER_NAME" >/dev/null; then
	useradd --system --no-create-home --home-dir /nonexistent \
	    --shell /usr/sbin/nologin --user-group "$USER_NAME"
	echo "mkuser: created system user $USER_NAME"
fi
install -d -m 0755 -o root -g root "$CHROOT"
