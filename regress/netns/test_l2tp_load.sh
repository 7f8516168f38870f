#!/bin/bash
# Our LAC against our LNS, `require-ipsec no`: one tunnel, 50 sessions,
# a CDN for each, StopCCN, and no state left on either side.  Then the
# same with 10% packet loss in each direction.  The LAC is
# regress/tools/l2tp_lacgen: the daemon's own tunnel.c/session.c in LAC
# mode over a plain UDP socket.
#
# Loss: nftables in the CLIENT namespace only, one rule on input and one
# on output, each `numgen random mod 100 < 10 drop` for UDP/1701, so each
# direction loses exactly 10% (rules on both namespaces would make it 19%).
#
# Why the runs cannot fail by chance (RFC 2661 5.8, l2tp_reliable.c): a
# transmission of a control message counts only if the message and its
# acknowledgement both get through, p = 0.9 * 0.9 = 0.81, so one attempt
# fails with q = 0.19 (pessimistic: acks are cumulative and often ride on
# other messages).  With a retry limit r a tunnel dies only when one
# message fails r + 1 attempts in a row, q^(r+1).  A run has about
# M = 250 acknowledged messages (LAC: SCCRQ, SCCCN, 50 ICRQ, 50 ICCN,
# 50 CDN, StopCCN = 153; LNS: SCCRP, 50 ICRP, a few HELLOs), so
#   P(a run fails) <= M * q^(r+1)
#   r = 5 (the default): 250 * 0.19^6  = 1.2e-2   -- one run in 85: no
#   r = 8:               250 * 0.19^9  = 8.1e-5
#   r = 10:              250 * 0.19^11 = 2.9e-6   <- chosen, both sides
# so three lossy runs fail spuriously with a chance below 1e-5.  The time
# limit must not undo that: retransmissions go out at 1, 3, 7, 15, 23,
# 31 ... s (back-off doubling to the 8 s cap), and one message that needs
# k retransmissions (chance ~M * q^k: 1e-2 for k = 6, 31 s) delays the
# run by that much; LOSS_TIMEOUT (120 s) covers ten retransmissions of
# one message (63 s) on top of a slow run (30 s), so it bites only
# where r would: two stalls of 7+ retransmissions in one run, ~(M q^7)^2/2
# = 2.5e-6.  All this assumes the LNS keeps a tunnel whose StopCCN it got
# for a full retransmission cycle (RFC 2661 5.7, 31 s at the defaults):
# if it forgets it sooner and both of its ZLBs for our StopCCN are lost in
# that time, our StopCCN is never acknowledged (3 s: ~2% a run by the same
# arithmetic; 1 run in 100 measured).
# shellcheck disable=SC2317  # helpers called through tb_wait_for
set -u
TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/regress/lib/netns.sh"

tb_require_root
tb_require_netns
tb_require_cmd jq nft
B=${L2TPSECD_BUILD:-$TOP/build}
LACGEN=${L2TP_LACGEN:-$B/regress/tools/l2tp_lacgen}
[ -x "$B/l2tpsecd" ] || { tb_skip l2tp-load "no l2tpsecd built"; exit 0; }
[ -x "$LACGEN" ] || { tb_skip l2tp-load "no l2tp_lacgen built (make units)"; exit 0; }

N=50			# sessions in the tunnel
R=10			# retry limit, both sides (see above)
LOSS_RUNS=${LOSS_RUNS:-3}
CLEAN_TIMEOUT=30
LOSS_TIMEOUT=120
SRV=192.0.2.1 CLI=192.0.2.2

tb_setup plain
cat >"$TB_TMP/chap-secrets" <<'EOF2'
alice * "not-used-here" *
EOF2
cat >"$TB_TMP/server.conf" <<EOF2
listen on $SRV
dataplane userspace
audit "$TB_TMP/audit.log"
ipsec {
	psk "unused-in-this-test"
}
l2tp {
	hostname "lns-under-test"
	require-ipsec no
	hello 5s
	retries $R
}
ppp {
	users "$TB_TMP/chap-secrets"
}
EOF2
chmod 0600 "$TB_TMP/server.conf" "$TB_TMP/chap-secrets"

tb_daemon_start server srv "$B/l2tpsecd" -d -f "$TB_TMP/server.conf"
if ! tb_wait_for 10 tb_run_in server srv test -S /run/l2tpsecd.sock; then
	tb_fail l2tp-load-start "daemon did not start"
	tb_done
fi

# Helpers ---------------------------------------------------------------

show_tunnels() {	# JSON of `show tunnels` on the LNS
	tb_run_in server srv "$B/l2tpsecctl" -j show tunnels
}
no_tunnels() {
	show_tunnels | jq -e '.tunnels | length == 0' >/dev/null 2>&1
}
audit_count() {		# jq filter over one record -> how many match
	jq -s "[.[] | select($1)] | length" "$TB_TMP/audit.log" 2>/dev/null
}
field() {		# NAME FILE: a value from the lacgen's summary line
	sed -n "s/.*\\b$1=\\([0-9]*\\).*/\\1/p" "$2" | tail -n1
}
srv_alive() {
	kill -0 "$(tb_daemon_pid srv)" 2>/dev/null
}

# lacgen_start TAG ADDR ARGS...: the LAC in the client namespace, from
# ADDR:1701, in the background (tb_cleanup kills it with the namespace if
# we die first).  Sets LG_PID.
lacgen_start() {
	local tag=$1 addr=$2
	shift 2
	: >"$TB_TMP/$tag.err"
	tb_exec client "$LACGEN" -l "$addr" -p "$SRV" -H "lacgen-$tag" \
	    -n "$N" -r "$R" "$@" >"$TB_TMP/$tag.out" 2>"$TB_TMP/$tag.err" &
	LG_PID=$!
}
lacgen_wait() {		# TAG PID: wait, check the summary; 0 when all good
	local tag=$1 rc=0
	wait "$2" || rc=$?
	if [ "$rc" -ne 0 ]; then
		tb_log "lacgen $tag exited $rc; its stderr:"
		grep -v "session .* \(up\|down\)" "$TB_TMP/$tag.err" |
		    tail -n 15 | sed 's/^/#   /' >&2
		return 1
	fi
	[ "$(field sessions_up "$TB_TMP/$tag.out")" = "$N" ] &&
	    [ "$(field state_left "$TB_TMP/$tag.out")" = 0 ]
}

# (a) The clean path -------------------------------------------------

# The LAC counts a session up when it sends ICCN, the LNS when ICCN
# arrives: poll the LNS for a moment during the hold.
show_50() {
	show_tunnels >"$TB_TMP/show.json" 2>&1 &&
	jq -e --argjson n "$N" '.tunnels | length == 1 and
	    (.[0] | .peer == "192.0.2.2:1701" and .host == "lacgen-clean"
	    and .state == "established" and (.sessions | length == $n) and
	    all(.sessions[]; .state == "established"))' \
	    "$TB_TMP/show.json" >/dev/null 2>&1
}
lacgen_start clean "$CLI" -k 3 -t "$CLEAN_TIMEOUT"
if ! tb_wait_for "$CLEAN_TIMEOUT" grep -q "session(s) up after" \
    "$TB_TMP/clean.err"; then
	tb_fail l2tp-load-show-50 "the sessions never came up: $(tail -3 "$TB_TMP/clean.err")"
elif tb_wait_for 2 show_50; then
	tb_ok l2tp-load-show-50
else
	tb_fail l2tp-load-show-50 "show tunnels: $(head -c 600 "$TB_TMP/show.json")"
fi
if lacgen_wait clean "$LG_PID"; then
	tb_ok l2tp-load-clean
	tb_log "clean: $(cat "$TB_TMP/clean.out")"
else
	tb_fail l2tp-load-clean "$(tail -2 "$TB_TMP/clean.err") $(cat "$TB_TMP/clean.out")"
fi
# The StopCCN's receiver keeps a closing tunnel a short while (RFC 2661
# 5.7) to acknowledge retransmissions; then nothing is left.
if tb_wait_for 10 no_tunnels; then
	tb_ok l2tp-load-clean-no-state
else
	tb_fail l2tp-load-clean-no-state "after StopCCN: $(show_tunnels 2>&1 | head -c 400)"
fi
PT=$(field tunnel_id "$TB_TMP/clean.out")
# session.up means PPP is up; the lacgen speaks only L2TP, so none.
# Every call's end is audited with its ids and the CDN's result code.
ups=$(audit_count ".event == \"session.up\" and .peer_tunnel == ${PT:-0}")
downs=$(audit_count ".event == \"session.down\" and .peer_tunnel == ${PT:-0} and .result == 3")
tdown=$(audit_count ".event == \"tunnel.down\" and .peer_tunnel == ${PT:-0} and .result == 1")
if [ "$ups" = 0 ] && [ "$downs" = "$N" ] && [ "$tdown" = 1 ]; then
	tb_ok l2tp-load-audit
else
	tb_fail l2tp-load-audit "session.up $ups, session.down (CDN result 3) $downs, tunnel.down (StopCCN result 1) $tdown; want 0, $N, 1"
fi

# (b) 10% loss each way, several runs ---------------------------------
#
# The runs go side by side, each its own tunnel from its own address
# (192.0.2.2, .3, ...): a lossy run takes 20-30 s, nearly all of it
# retransmission timers, so one after the other would not fit the
# two minutes this test may take.  Each run must pass on its own.

tb_exec client nft -f - <<'EOF2' || tb_fail l2tp-load-nft "cannot install the loss rules"
table inet lossy {
	counter in_seen { }
	counter in_drop { }
	counter out_seen { }
	counter out_drop { }
	chain input {
		type filter hook input priority 0; policy accept;
		meta l4proto udp th dport 1701 counter name in_seen
		meta l4proto udp th dport 1701 numgen random mod 100 < 10 counter name in_drop drop
	}
	chain output {
		type filter hook output priority 0; policy accept;
		meta l4proto udp th dport 1701 counter name out_seen
		meta l4proto udp th dport 1701 numgen random mod 100 < 10 counter name out_drop drop
	}
}
EOF2
cnt() { tb_nft_counter client inet lossy "$1"; }

pids=()
for ((run = 1; run <= LOSS_RUNS; run++)); do
	addr=192.0.2.$((run + 1))
	[ "$addr" = "$CLI" ] ||
	    tb_exec client ip addr add "$addr/24" dev eth0 ||
	    tb_fail l2tp-load-addr "cannot add $addr"
	lacgen_start "loss$run" "$addr" -k 0 -t "$LOSS_TIMEOUT"
	pids+=("$LG_PID")
done
for ((run = 1; run <= LOSS_RUNS; run++)); do
	tag=loss$run
	if lacgen_wait "$tag" "${pids[run - 1]}"; then
		tb_ok "l2tp-load-loss-run$run"
	else
		tb_fail "l2tp-load-loss-run$run" "$(grep FAILED "$TB_TMP/$tag.err" | tail -1) $(cat "$TB_TMP/$tag.out")"
	fi
	tb_log "loss run $run: tunnel up $(field tunnel_up_ms "$TB_TMP/$tag.out") ms," \
	    "all $N sessions up $(field sessions_up_ms "$TB_TMP/$tag.out") ms," \
	    "done $(field total_ms "$TB_TMP/$tag.out") ms;" \
	    "LAC retransmits $(field retransmits "$TB_TMP/$tag.out")" \
	    "(timeouts $(field timeouts "$TB_TMP/$tag.out"))," \
	    "duplicates from the LNS $(field duplicates "$TB_TMP/$tag.out")"
done
in=$(cnt in_seen) ind=$(cnt in_drop) out=$(cnt out_seen) outd=$(cnt out_drop)
tb_log "nftables in the client: dropped $ind of $in UDP/1701 datagrams in," \
    "$outd of $out out"
if [ "${ind:-0}" -gt 0 ] && [ "${outd:-0}" -gt 0 ]; then
	tb_ok l2tp-load-loss-drops
else
	tb_fail l2tp-load-loss-drops "no drops: in $ind/$in, out $outd/$out"
fi
if tb_wait_for 10 no_tunnels; then
	tb_ok l2tp-load-loss-no-state
else
	tb_fail l2tp-load-loss-no-state "$(show_tunnels 2>&1 | head -c 400)"
fi
srv_alive || tb_fail l2tp-load-server "l2tpsecd died"

# Every session of every run came and went in the audit log.
total=$((N * (LOSS_RUNS + 1)))
ups=$(audit_count '.event == "session.up"')
downs=$(audit_count '.event == "session.down"')
if [ "$ups" = 0 ] && [ "$downs" = "$total" ]; then
	tb_ok l2tp-load-audit-all
else
	tb_fail l2tp-load-audit-all "session.up $ups, session.down $downs; want 0 and $total"
fi
tb_daemon_stop srv 10
rc=$?
if [ "$rc" = 0 ]; then
	tb_ok l2tp-load-stop
else
	tb_fail l2tp-load-stop "exit $rc"
fi
tb_done
