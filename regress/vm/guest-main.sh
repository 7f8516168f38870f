#!/bin/bash
# PID 1 of the test VM (started by initramfs-init on the assembled root).
#
# Sets up the guest, loads the scenario, runs its phases in order
#	topology, server_setup, client_setup, check
# and leaves the verdict for run.sh in the "out" share (/vm/out/result):
# "PASS", or "FAIL reason".  Daemon logs are written straight into
# /vm/out/log, so the host still has them if the guest hangs and is
# killed.  Then it powers the VM off.
set -eEu
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
export LC_ALL=C
umask 022

mount -t proc proc /proc
read -r T_MAIN _ </proc/uptime
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts
# What udev would add: /dev/stdin for tools, /dev/fd for <(...).
ln -s /proc/self/fd /dev/fd
ln -s fd/0 /dev/stdin
ln -s fd/1 /dev/stdout
ln -s fd/2 /dev/stderr
# /vm: a real tmpfs (the root is an overlay, which cannot be the upper
# layer of the sides' private /etc overlays), holding the out share.
mkdir -p /vm
mount -t tmpfs -o mode=755 vm /vm
mkdir -p /vm/out
mount -t 9p -o trans=virtio,version=9p2000.L,msize=512000 out /vm/out

# REPO SCENARIO SCENARIO_FILE KMODDIR TRACE, written by run.sh
. /vm/out/env
# The repository and the kernel modules may live under the host's /tmp
# (CI clones anywhere), which our own tmpfs is about to cover: pin them
# to fixed paths first, and use only those from here on.
mkdir -p /vm/repo /vm/kmod
mount --bind "$REPO" /vm/repo
mount --bind "$KMODDIR" /vm/kmod
for v in L2TPSECD L2TPSECCTL; do
	case "${!v:-}" in
	"$REPO"/*) printf -v "$v" '%s' "/vm/repo/${!v#"$REPO"/}" ;;
	esac
done
REPO=/vm/repo
KMODDIR=/vm/kmod
VM_DIR=$REPO/regress/vm

mount -t tmpfs -o mode=755 run /run
mount -t tmpfs -o mode=1777 tmp /tmp
# For guest_exit, made now: the root is gone by the time it is needed.
mkfifo /run/halt

# L2TPSEC_VM_TRACE=1: every command with a time stamp, for finding
# where the guest spends its time (run.sh prints the slowest).
if [ "$TRACE" = 1 ]; then
	exec 8>/vm/trace
	BASH_XTRACEFD=8
	PS4='+ ${EPOCHREALTIME} ${BASH_SOURCE[0]##*/}:$LINENO '
	set -x
fi

RESULT=FAIL
guest_exit() {
	local reason
	# Only PID 1 reports and powers off; a subshell inherits nothing here,
	# but be sure.
	[ "$BASHPID" = 1 ] || return 0
	set +eE
	trap - ERR
	if [ "$RESULT" = PASS ]; then
		echo PASS >/vm/out/result
	else
		reason=$(cat /vm/reason 2>/dev/null)
		echo "FAIL ${reason:-guest script failed}" >/vm/out/result
	fi
	timings
	[ "$TRACE" != 1 ] || { set +x; cp /vm/trace /vm/out/trace; }
	sync
	# Powering off this way needs no init system.  It completes
	# asynchronously, and PID 1 must not exit meanwhile (that panics);
	# nor run anything from the root, which is going away: block on a
	# FIFO of our own.
	echo o >/proc/sysrq-trigger
	read -r _ <>/run/halt
}
trap guest_exit EXIT
# A command failing under set -e is a failure too; say which one.
trap 'err_reason "$BASH_COMMAND" "${BASH_SOURCE[0]:-?}" "$LINENO"' ERR

. "$VM_DIR/guest-lib.sh"
MARKS=("kernel=$T_MAIN")
mark shell

# Debian's modules, in place of the host's under the same path.
mkdir -p /usr/lib/modules
mount --bind "$KMODDIR" /usr/lib/modules
# One modprobe up front: otherwise the first SA install stalls for
# seconds on the kernel's one-by-one crypto autoloads under TCG, and
# /dev/net/tun appears only once tun is loaded (devtmpfs, no udev).  It
# takes seconds too, so it runs while the topology builds its namespaces;
# side_link and the server setup wait for it (modules_wait).
modprobe -a $GUEST_MODULES &
MODPROBE_PID=$!
ip link set lo up

[ -r "$SCENARIO_FILE" ] || fail "cannot read $SCENARIO_FILE"
. "$SCENARIO_FILE"
for f in server_setup client_setup check; do
	declare -F "$f" >/dev/null || fail "scenario $SCENARIO defines no $f()"
done

say "scenario $SCENARIO"
topology
modules_wait
mark topology
server_setup
mark server_up
client_setup
mark client_up
check
mark check
RESULT=PASS
say "scenario $SCENARIO passed"
