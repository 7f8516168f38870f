#!/bin/bash
# regress/vm/test_vm.sh - the VM scenarios as `make check` runs them.
#
# Runs each scenario through run.sh, one VM at a time (a TCG guest wants
# both cores of our machines), and prints one line per scenario:
#	ok vm-NAME | FAIL vm-NAME: reason | SKIP vm-NAME: reason
# A failing scenario's whole run.sh output (guest console, daemon logs)
# goes to stderr first.  Exits 1 if any scenario failed; skips do not fail
# (the VM cannot run everywhere).
#
# L2TPSEC_VM_SCENARIOS="a b" runs those (names or paths) instead of the
# list below.
set -eu

VM_DIR=$(cd "$(dirname "$0")" && pwd)
SCENARIOS=${L2TPSEC_VM_SCENARIOS:-"reference reference-badpsk userspace-server
    userspace-client kernel-xfrm kernel-pppol2tp interop ours-server ours-client
    ours-both kernel-nat2 ours-client-defroute ours-both-nat"}

TMP=$(mktemp -d /tmp/l2tpsec-vmtest.XXXXXX)
CHILD=
cleanup() {
	# run.sh kills its own qemu when told to stop.
	if [ -n "$CHILD" ]; then
		kill "$CHILD" 2>/dev/null || true
		wait "$CHILD" 2>/dev/null || true
	fi
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP

failed=0
for s in $SCENARIOS; do
	# A name from scenarios/, or a path (as run.sh takes it).
	n=${s##*/}
	n=${n%.sh}
	rc=0
	# In the background so that a signal to us reaches run.sh (through
	# cleanup) instead of leaving it and its VM running.
	"$VM_DIR/run.sh" "$s" >"$TMP/$n.log" 2>&1 </dev/null &
	CHILD=$!
	wait "$CHILD" || rc=$?
	CHILD=
	last=$(tail -n 1 "$TMP/$n.log")
	case $rc in
	0)	echo "ok vm-$n" ;;
	77)	echo "SKIP vm-$n: ${last#SKIP "$n": }" ;;
	*)	failed=1
		while IFS= read -r line; do
			printf 'vm-%s| %s\n' "$n" "$line"
		done <"$TMP/$n.log" >&2
		case $last in
		"FAIL $n: "*) echo "FAIL vm-$n: ${last#FAIL "$n": }" ;;
		*) echo "FAIL vm-$n: run.sh exited $rc" ;;
		esac ;;
	esac
done
exit $failed
