#!/bin/bash
# run-fuzzer.sh BINARY SEEDS NAME SECONDS: one libFuzzer harness, briefly,
# from its seed corpus; new finds go to a scratch dir, not the repo.
set -u
bin=$1 seeds=$2 name=$3 secs=$4
scratch=$(mktemp -d /tmp/l2tpsec-fuzz.XXXXXX)
trap 'rm -rf "$scratch"' EXIT
if [ ! -d "$seeds" ] || [ -z "$(ls -A "$seeds")" ]; then
	echo "FAIL fuzz-$name: no seed corpus in $seeds"
	exit 1
fi
if "$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 "$scratch" "$seeds" </dev/null \
    >"$scratch/log" 2>&1; then
	runs=$(awk '/stat::number_of_executed_units/ { print $2 }' \
	    "$scratch/log")
	echo "ok fuzz-$name ($runs runs in ${secs}s)"
else
	tail -60 "$scratch/log"
	echo "FAIL fuzz-$name: crash, leak or timeout (report above)"
	exit 1
fi
