#!/bin/bash
# vm_memory.sh: server memory per session, ours (kernel data path)
# against the classic stack (xl2tpd + one pppd per session), for the same
# N sessions in the same VM run (regress/vm/scenarios/memory.sh).  Root;
# about two minutes.  Prints the figures and the ratios.
set -u
TOP=$(cd "$(dirname "$0")/../.." && pwd)
out=$(bash "$TOP/regress/vm/run.sh" memory 2>&1)
rc=$?
out=$(tr -d '\r' <<<"$out")
line=$(grep -o 'RESULT memory_kb_per_session.*' <<<"$out" | tail -1)
if [ $rc -ne 0 ] || [ -z "$line" ]; then
	printf '%s\n' "$out" | tail -40
	echo "vm_memory: the scenario failed (exit $rc)"
	exit 1
fi
grep -E 'sessions PPP-up|memory per session|sessions up:' <<<"$out" |
    sed 's/^\[vm [0-9.]*s\] //'
eval "$(sed 's/^RESULT memory_kb_per_session //' <<<"$line" | tr ' ' '\n' |
    grep -E '^[a-z_]+=-?[0-9]+$')"
awk -v op="$ours_private" -v ors="$ours_rss" -v rp="$ref_private" \
    -v rrs="$ref_rss" -v om="$ours_up_ms" -v rm="$ref_up_ms" -v n="$n" 'BEGIN {
	printf "per session, %d sessions: private %d kB ours / %d kB reference; RSS %d kB / %d kB (ratio %.3f)\n",
	    n, op, rp, ors, rrs, (rrs > 0 ? ors / rrs : 0)
	printf "setup of %d sessions: %d ms ours / %d ms reference (ratio %.2f)\n",
	    n, om, rm, (rm > 0 ? om / rm : 0)
}'
