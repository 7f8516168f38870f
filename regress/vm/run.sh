#!/bin/bash
# regress/vm/run.sh SCENARIO - run one end-to-end scenario in a throw-away
# QEMU VM that boots Debian's own kernel.
#
# Why a VM: the kernel data path needs l2tp_ppp, ppp_generic and esp4,
# which the kernel of our build machines lacks and which a container could
# not load anyway.  Debian's kernel has them all, and TCG emulation is fast
# enough (KVM is not usable on these machines).
#
# SCENARIO is a name from regress/vm/scenarios/ or a path to a scenario
# file.  The last line printed is one of
#	PASS SCENARIO
#	FAIL SCENARIO: reason		(exit 1, daemon logs printed above it)
#	SKIP SCENARIO: reason		(exit 77: the VM cannot be run here)
#
# Environment:
#	L2TPSEC_VM_CACHE	cache directory (/var/cache/l2tpsecd-vm)
#	L2TPSEC_VM_TIMEOUT	seconds before the VM is killed (300)
#	L2TPSEC_VM_MEM		guest memory in MiB (512)
#	L2TPSEC_VM_VERBOSE	1: print the daemon logs on PASS too
#	L2TPSEC_VM_KEEP		directory to copy console and daemon logs into
#	L2TPSEC_VM_TRACE	1: trace the guest script, print its slowest steps
#	L2TPSECD, L2TPSECCTL	our binaries (default: build/ of this repository)
#
# How it works and how to add a scenario: regress/vm/README.md.
set -eu

VM_DIR=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$VM_DIR/../.." && pwd)
CACHE=${L2TPSEC_VM_CACHE:-/var/cache/l2tpsecd-vm}
TIMEOUT=${L2TPSEC_VM_TIMEOUT:-300}
MEM=${L2TPSEC_VM_MEM:-512}
VERBOSE=${L2TPSEC_VM_VERBOSE:-0}
TRACE=${L2TPSEC_VM_TRACE:-0}

# Installed on the host: qemu itself, tools to build the boot files, and
# the tools the guest runs straight from the host's / (ip, ping, nft,
# nsenter, modprobe).
HOST_PKGS="qemu-system-x86 kmod cpio xz-utils util-linux iproute2 iputils-ping nftables"
# Only unpacked, never installed: installing them would start pluto,
# xl2tpd or charon on the developer's machine, and libreswan conflicts
# with strongswan anyway.  Each set becomes one overlay layer in the guest;
# the first listed wins where two ship the same file (libreswan's
# /usr/sbin/ipsec over strongswan-starter's).
LAYERS="libreswan strongswan l2tp"
# shellcheck disable=SC2034 # read through eval in build_layer
LAYER_libreswan="libreswan"
# shellcheck disable=SC2034
LAYER_strongswan="strongswan-charon strongswan-swanctl libstrongswan-standard-plugins"
# shellcheck disable=SC2034
LAYER_l2tp="xl2tpd ppp"
# The initramfs needs a static busybox; the "busybox" package a host may
# have is dynamic, so unpack busybox-static instead of installing it.
BUSYBOX_PKG=busybox-static
# What the initramfs loads to reach its root (the rest is built in).
INITRD_MODULES="virtio_pci 9pnet_virtio 9p overlay"

usage() {
	echo "usage: $0 SCENARIO   (one of: $(cd "$VM_DIR/scenarios" &&
	    ls | sed -n 's/\.sh$//p' | tr '\n' ' '))" >&2
	exit 2
}
[ $# = 1 ] || usage
case $1 in
*/*)	SCENARIO_FILE=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
	SCENARIO=$(basename "$1" .sh) ;;
*)	SCENARIO_FILE=$VM_DIR/scenarios/$1.sh
	SCENARIO=$1 ;;
esac
[ -f "$SCENARIO_FILE" ] || usage

now() { echo "$EPOCHREALTIME"; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
T_START=$(now)
say() { echo "[host $(since "$T_START")s] $*"; }
skip() { echo "SKIP $SCENARIO: $*"; exit 77; }

[ "$(id -u)" = 0 ] || skip "needs root (apt-get, cache in $CACHE)"
# The guest learns where guest-main.sh is from the kernel command line,
# split at blanks; qemu options split at commas.
case "$VM_DIR$CACHE" in
*[[:space:],]*) skip "blank or comma in a path: $VM_DIR $CACHE" ;;
esac

TMP=$(mktemp -d /tmp/l2tpsec-vm.XXXXXX)
QEMU_PID=
cleanup() {
	# By PID only: a concurrent run's qemu is none of our business.
	if [ -n "$QEMU_PID" ] && kill -0 "$QEMU_PID" 2>/dev/null; then
		kill "$QEMU_PID" 2>/dev/null || true
		wait "$QEMU_PID" 2>/dev/null || true
	fi
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP

# ------------------------------------------------------------------ apt

# apt_lists: make sure apt can resolve names; a fresh machine has no lists.
APT_UPDATED=0
apt_lists() {
	[ "$APT_UPDATED" = 0 ] || return 0
	APT_UPDATED=1
	say "apt-get update"
	apt_get update
}

# apt_get ARGS...: apt-get, logged; waits for a concurrent apt (another
# developer's install, unattended-upgrades) instead of failing at once.
apt_get() {
	apt-get -o DPkg::Lock::Timeout=600 "$@" >>"$TMP/apt.log" 2>&1
}

# candidates PKG...: "pkg=version" of what apt would install, one a line.
candidates() {
	apt-cache policy "$@" 2>/dev/null | awk '
	    /^[^ ]/ { p = $1; sub(/:$/, "", p) }
	    /Candidate:/ && $2 != "(none)" { print p "=" $2 }'
}

host_install() {
	local missing
	# shellcheck disable=SC2086
	missing=$(dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' $HOST_PKGS 2>&1 |
	    awk '$1 != "ii" { print $NF }' | tr '\n' ' ')
	[ -n "$missing" ] || return 0
	say "apt-get install $missing"
	export DEBIAN_FRONTEND=noninteractive
	# shellcheck disable=SC2086
	apt_get install -y --no-install-recommends $missing ||
	    { apt_lists && apt_get install -y --no-install-recommends $missing; } ||
	    { tail -5 "$TMP/apt.log"; skip "cannot install $missing"; }
}

# kernel_pkg: the ABI package linux-image-amd64 points at, e.g.
# linux-image-6.1.0-56-amd64.
kernel_pkg() {
	apt-cache depends linux-image-amd64 2>/dev/null |
	    awk '/Depends: linux-image-[0-9]/ { print $2; exit }'
}

# resolve: what apt would install now of everything we unpack, in one
# query (each apt-cache call takes about a second).  Non-zero if apt
# cannot tell even after an update (offline, no lists).
resolve() {
	local l pkgs=$BUSYBOX_PKG
	KPKG=$(kernel_pkg)
	[ -n "$KPKG" ] || { apt_lists && KPKG=$(kernel_pkg); } || true
	[ -n "$KPKG" ] || return 1
	for l in $LAYERS; do
		eval "pkgs=\"\$pkgs \$LAYER_$l\""
	done
	# shellcheck disable=SC2086
	CANDS=$(candidates $KPKG $pkgs)
}

# stamp PKG...: "pkg=version ..." of PKG..., what a tree built from them
# records in its .stamp.
stamp() {
	local p
	for p in "$@"; do
		echo "$CANDS" | grep "^$p="
	done | sort | tr '\n' ' '
}

# fresh DIR STAMP: DIR was built from exactly STAMP.
fresh() {
	[ "$(cat "$1/.stamp" 2>/dev/null)" = "$2" ]
}

# unpack DIR STAMP PKG...: download PKG... and dpkg -x them into DIR.  Built
# beside and renamed into place, so an interrupted run never leaves a half
# tree behind.
unpack() {
	local dir=$1 stamp=$2 deb
	shift 2
	say "unpacking $* into $dir"
	rm -rf "$dir.new" "$TMP/debs"
	mkdir -p "$dir.new" "$TMP/debs"
	(cd "$TMP/debs" && apt_get download "$@") ||
	    { tail -5 "$TMP/apt.log"; skip "apt-get download $* failed"; }
	for deb in "$TMP"/debs/*.deb; do
		dpkg -x "$deb" "$dir.new"
	done
	rm -rf "$dir.new/usr/share/doc" "$dir.new/usr/share/man"
	echo "$stamp" >"$dir.new/.stamp"
	rm -rf "$dir"
	mv "$dir.new" "$dir"
}

# build_layer NAME: unpack the packages of layer NAME plus whichever of
# their dependencies the host lacks (the host's / lies under the layers).
build_layer() {
	local name=$1 dir=$CACHE/layers/$1 pkgs st deps d
	eval "pkgs=\$LAYER_$name"
	# shellcheck disable=SC2086
	deps=$(apt-get install -s -y --no-install-recommends $pkgs 2>/dev/null |
	    awk -v want=" $pkgs " '/^Inst / && !index(want, " " $2 " ") { print $2 }' |
	    sort | tr '\n' ' ')
	# The dependencies are part of the stamp: a library the host drops
	# later (another developer removes strongswan) must enter the layer.
	# shellcheck disable=SC2086
	st="$(stamp $pkgs)+ $deps"
	fresh "$dir" "$st" && return 0
	# shellcheck disable=SC2086
	unpack "$dir" "$st" $pkgs $deps
	# Merged /usr: the host's /lib is a symlink to usr/lib; a real /lib
	# directory in a layer above it would hide the whole host /usr/lib.
	for d in bin sbin lib lib64; do
		[ -d "$dir/$d" ] && [ ! -L "$dir/$d" ] || continue
		mkdir -p "$dir/usr/$d"
		cp -a "$dir/$d/." "$dir/usr/$d/"
		rm -rf "${dir:?}/$d"
	done
}

# build_kernel: Debian's current kernel, unpacked (not installed: the host
# keeps its own), with modules.dep and an uncompressed vmlinux.
build_kernel() {
	local kdir=$CACHE/kernel st kver off
	st=$(stamp "$KPKG")
	fresh "$kdir" "$st" && return 0
	unpack "$kdir" "$st" "$KPKG"
	kver=${KPKG#linux-image-}
	depmod -b "$kdir" "$kver"
	# Boot the ELF inside vmlinuz through PVH: saves the guest ~2 s of XZ
	# decompression under TCG.  No vmlinux: qemu boots the bzImage.
	off=$(LC_ALL=C grep -obUaP '\xfd7zXZ\x00' "$kdir/boot/vmlinuz-$kver" |
	    head -1 | cut -d: -f1)
	tail -c +$((off + 1)) "$kdir/boot/vmlinuz-$kver" |
	    xz -dc --single-stream >"$kdir/vmlinux" 2>/dev/null || true
	[ "$(head -c 4 "$kdir/vmlinux" | od -An -c | tr -d ' ')" = '177ELF' ] ||
	    rm -f "$kdir/vmlinux"
}

# build_initramfs: busybox, the modules to reach 9p and overlayfs, our
# /init.  Rebuilt when one of those changes.
build_initramfs() {
	local bb=$CACHE/busybox st key ko kver
	st=$(stamp $BUSYBOX_PKG)
	if ! fresh "$bb" "$st"; then
		unpack "$bb" "$st" $BUSYBOX_PKG
	fi
	key=$( { echo "$INITRD_MODULES"
	    cat "$VM_DIR/initramfs-init" "$bb/.stamp" "$CACHE/kernel/.stamp"; } |
	    sha256sum | cut -c1-16)
	[ "$(cat "$CACHE/initramfs.key" 2>/dev/null)" != "$key" ] || return 0
	say "building $CACHE/initramfs.cpio"
	kver=$(ls "$CACHE/kernel/lib/modules")
	mkdir -p "$TMP/initrd/bin" "$TMP/initrd/mod"
	cp "$bb/bin/busybox" "$TMP/initrd/bin/busybox"
	cp "$VM_DIR/initramfs-init" "$TMP/initrd/init"
	chmod 755 "$TMP/initrd/init"
	# shellcheck disable=SC2086
	modprobe -d "$CACHE/kernel" -S "$kver" --show-depends -a $INITRD_MODULES |
	    awk '$1 == "insmod" && !seen[$2]++ { print $2 }' | while read -r ko; do
		cp "$ko" "$TMP/initrd/mod/"
		basename "$ko" >>"$TMP/initrd/mod/order"
	done
	(cd "$TMP/initrd" && find . | cpio -o -H newc 2>/dev/null) \
	    >"$CACHE/initramfs.cpio"
	echo "$key" >"$CACHE/initramfs.key"
}

# built: every tree exists (from whatever versions).
built() {
	local l
	[ -f "$CACHE/kernel/.stamp" ] && [ -f "$CACHE/busybox/.stamp" ] &&
	    [ -s "$CACHE/initramfs.cpio" ] || return 1
	for l in $LAYERS; do
		[ -f "$CACHE/layers/$l/.stamp" ] || return 1
	done
}

prepare() {
	local checked l
	mkdir -p "$CACHE/layers"
	# One run at a time builds the cache; runs that find it warm only
	# hold the lock for the few checks below.
	exec 9>"$CACHE/.lock"
	flock 9
	host_install
	# Asking apt what is current takes seconds: skip it while apt's lists,
	# the host's installed packages and these scripts are as they were at
	# the last check.
	checked="$(stat -c %Y /var/lib/apt/lists /var/lib/dpkg/status 2>/dev/null)
$(cat "$0" "$VM_DIR/initramfs-init" | sha256sum)"
	if ! built || [ "$(cat "$CACHE/.checked" 2>/dev/null)" != "$checked" ]; then
		if resolve; then
			build_kernel
			for l in $LAYERS; do
				build_layer "$l"
			done
			build_initramfs
			echo "$checked" >"$CACHE/.checked"
		elif built; then
			say "apt cannot resolve packages (offline?): using the cache as is"
		else
			skip "apt cannot resolve linux-image-amd64 (offline?)"
		fi
	fi
	exec 9>&-
	command -v qemu-system-x86_64 >/dev/null || skip "no qemu-system-x86_64"
	KVER=$(ls "$CACHE/kernel/lib/modules")
	KERNEL=$CACHE/kernel/boot/vmlinuz-$KVER
	[ -s "$CACHE/kernel/vmlinux" ] && KERNEL=$CACHE/kernel/vmlinux
	KMODDIR=$CACHE/kernel/lib/modules
	INITRD=$CACHE/initramfs.cpio
}

# ------------------------------------------------------------------ boot

boot() {
	local bios='' deadline hwm=0 h v
	# qboot skips SeaBIOS's option ROM scan and menus.
	[ -f /usr/share/qemu/qboot.rom ] && bios="-bios /usr/share/qemu/qboot.rom"
	mkdir -p "$TMP/out/log"
	cp "$SCENARIO_FILE" "$TMP/out/scenario.sh"
	# What the guest needs to know, read by guest-main.sh.
	{
		printf 'REPO=%q\n' "$REPO"
		printf 'SCENARIO=%q\n' "$SCENARIO"
		# A copy: the file may sit where the guest has a tmpfs (/tmp).
		printf 'SCENARIO_FILE=/vm/out/scenario.sh\n'
		printf 'KMODDIR=%q\n' "$KMODDIR"
		printf 'TRACE=%q\n' "$TRACE"
		# Our binaries, if not the repository's build/ (the guest sees
		# the host's / but has its own /tmp).
		for v in L2TPSECD L2TPSECCTL; do
			[ -z "${!v:-}" ] || printf '%s=%q\n' "$v" "$(realpath "${!v}")"
		done
	} >"$TMP/out/env"
	say "booting $KVER ($(basename "$KERNEL")) under TCG, ${MEM} MiB"
	# tb-size caps the TCG translation cache, which otherwise takes a
	# quarter of guest RAM on top of it.  No network card at all: every
	# address in a test exists only inside the guest.
	# shellcheck disable=SC2086
	qemu-system-x86_64 -accel tcg,thread=multi,tb-size=256 -cpu max -smp 2 \
	    -m "$MEM" -nodefaults -no-user-config -display none -no-reboot $bios \
	    -serial "file:$TMP/console.log" \
	    -kernel "$KERNEL" -initrd "$INITRD" \
	    -virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap \
	    -virtfs "local,path=$CACHE/layers,mount_tag=layers,security_model=none,readonly=on" \
	    -virtfs "local,path=$TMP/out,mount_tag=out,security_model=none" \
	    -append "console=ttyS0 quiet loglevel=3 panic=-1 l2tpsec.layers=${LAYERS// /,} l2tpsec.main=$VM_DIR/guest-main.sh" \
	    </dev/null >"$TMP/qemu.log" 2>&1 &
	QEMU_PID=$!
	T_BOOT=$(now)
	deadline=$((SECONDS + TIMEOUT))
	# Poll rather than wait: to enforce the timeout, and to read qemu's
	# peak RSS (VmHWM only grows, so the last reading is the peak).
	while kill -0 "$QEMU_PID" 2>/dev/null; do
		h=$(awk '/^VmHWM:/ { print $2 }' "/proc/$QEMU_PID/status" 2>/dev/null) &&
		    [ "${h:-0}" -gt "$hwm" ] && hwm=$h
		if [ $SECONDS -ge $deadline ]; then
			say "timeout after ${TIMEOUT}s: killing qemu ($QEMU_PID)"
			kill "$QEMU_PID" 2>/dev/null || true
			break
		fi
		sleep 0.2
	done
	wait "$QEMU_PID" 2>/dev/null && QEMU_RC=0 || QEMU_RC=$?
	QEMU_PID=
	QEMU_RSS=$((hwm / 1024))
	T_VM=$(since "$T_BOOT")
}

# ------------------------------------------------------------------ report

show_logs() {
	local f
	for f in "$TMP"/out/log/*; do
		[ -s "$f" ] || continue
		echo "==== $(basename "$f") (last 100 lines)"
		tail -n 100 "$f"
	done
}

report() {
	local result reason
	# The guest's own output; kernel messages are quiet (loglevel=3)
	# unless something is wrong, and then we want them.
	tr -d '\r' <"$TMP/console.log" | grep -av '^[[:space:]]*$' || true
	[ -s "$TMP/qemu.log" ] && { echo "==== qemu stderr"; cat "$TMP/qemu.log"; }
	result=$(head -1 "$TMP/out/result" 2>/dev/null || true)
	case $result in
	PASS)	;;
	FAIL*)	reason=${result#FAIL } ;;
	*)	reason="the guest reported no result (qemu exit $QEMU_RC, ${T_VM}s)" ;;
	esac
	if [ "$result" != PASS ] || [ "$VERBOSE" = 1 ]; then
		show_logs
	fi
	if [ "$TRACE" = 1 ] && [ -s "$TMP/out/trace" ]; then
		echo "==== slowest guest steps (s)"
		awk '$1 ~ /^\++$/ && $2 ~ /^[0-9.]+$/ { if (p) printf "%6.3f %s\n", $2 - p, prev
		    p = $2; prev = $0 }' "$TMP/out/trace" | sort -rn | head -25
	fi
	if [ -n "${L2TPSEC_VM_KEEP:-}" ]; then
		mkdir -p "$L2TPSEC_VM_KEEP"
		cp "$TMP/console.log" "$TMP"/out/log/* "$L2TPSEC_VM_KEEP/" 2>/dev/null || true
	fi
	say "prepare $T_PREP s, vm $T_VM s, qemu peak RSS $QEMU_RSS MiB"
	if [ "$result" = PASS ]; then
		echo "PASS $SCENARIO"
		exit 0
	fi
	echo "FAIL $SCENARIO: $reason"
	exit 1
}

prepare
T_PREP=$(since "$T_START")
boot
report
