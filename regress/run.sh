#!/bin/bash
# Runs every test and prints one summary line at the end:
#   N passed, N failed, N skipped
# A test program prints `ok NAME`, `FAIL NAME: reason` or `SKIP NAME:
# reason` per case.  One that exits non-zero without a FAIL line, or
# reports nothing at all, counts as a failure: silence is not a pass.
set -u
cd "$(dirname "$0")/.."

FUZZ_SECONDS=${FUZZ_SECONDS:-10}
pass=0 fail=0 skip=0
failed_names=()
out=$(mktemp -d /tmp/l2tpsec-run.XXXXXX)
trap 'rm -rf "$out"' EXIT

# run LABEL TIMEOUT cmd...
run() {
	local label=$1 tmo=$2 rc log
	shift 2
	log="$out/log"
	echo "== $label"
	timeout --kill-after=10 "$tmo" "$@" >"$log" 2>&1
	rc=$?
	cat "$log"
	local p f s
	p=$(grep -c '^ok ' "$log")
	f=$(grep -c '^FAIL ' "$log")
	s=$(grep -c '^SKIP ' "$log")
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ] && [ "$rc" -ne 77 ]; then
		echo "FAIL $label: exited with status $rc"
		f=1
	fi
	if [ $((p + f + s)) -eq 0 ]; then
		echo "FAIL $label: reported no result"
		f=1
	fi
	grep '^FAIL ' "$log" | sed "s|^FAIL |FAIL [$label] |" >>"$out/failed"
	[ "$rc" -ne 0 ] && [ "$(grep -c '^FAIL ' "$log")" -eq 0 ] &&
	    [ "$rc" -ne 77 ] && echo "FAIL [$label] exited $rc" >>"$out/failed"
	pass=$((pass + p)) fail=$((fail + f)) skip=$((skip + s))
}

# Unit tests, plain and under ASan+UBSan (leaks checked here).
for b in build/regress/unit/test_*; do
	[ -x "$b" ] || continue
	run "unit/$(basename "$b")" 300 "$b"
done
for b in build-san/regress/unit/test_*; do
	[ -x "$b" ] || continue
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	    run "san/$(basename "$b")" 600 "$b"
done

# Fuzzers, briefly, from the seed corpus.
for f in build-fuzz/fuzz_*; do
	[ -x "$f" ] || continue
	name=${f##*/fuzz_}
	run "fuzz/$name" $((FUZZ_SECONDS + 60)) \
	    bash regress/fuzz/run-fuzzer.sh "$f" "regress/fuzz/corpus/$name" \
	    "$name" "$FUZZ_SECONDS"
done

# Shell tests: namespaces on this host, then the VM.  Each sets up and
# tears down its own world.
for t in regress/netns/test_*.sh; do
	[ -f "$t" ] || continue
	run "netns/$(basename "$t" .sh)" 900 bash "$t"
done
for t in regress/vm/test_*.sh; do
	[ -f "$t" ] || continue
	run "vm/$(basename "$t" .sh)" 2400 bash "$t"
done

if [ -s "$out/failed" ]; then
	echo
	echo "Failures:"
	cat "$out/failed"
fi
echo
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
