# memory: what a session costs the server, ours (`dataplane kernel`)
# against the reference stack (xl2tpd + one pppd per session), for the
# same N sessions in the same VM run.
#
# N calls come from our load generator (regress/tools/l2tp_lacgen: L2TP
# LAC + PPP peer, MS-CHAPv2) in one tunnel, without IPsec: the per-SA
# cost is the kernel's in both stacks, and what differs is L2TP + PPP.
# Each server's processes are measured before the calls and with all N
# up: their private memory (USS: Private_Clean + Private_Dirty; a page
# of a shared library does not move with the load generator's presence,
# as PSS would) and their RSS.  The figures go to the log; the scenario
# fails only if ours costs more per session than the reference or a run
# does not bring all N up.  Not in make check's list (two minutes, most
# of it the reference's pppds starting under TCG): regress/bench/
# vm_memory.sh runs it and prints the ratio.

MEM_N=40
POOL_RANGE=198.51.100.10-198.51.100.250
OURS_DATAPLANE=kernel

# mem PID...: "USS RSS" of them summed, kB.
mem() {
	local p u r uss=0 rss=0
	for p in "$@"; do
		read -r u r < <(awk '/^Private_(Clean|Dirty):/ { u += $2 }
		    /^Rss:/ { r = $2 } END { print u + 0, r + 0 }' \
		    "/proc/$p/smaps_rollup" 2>/dev/null)
		uss=$((uss + ${u:-0})) rss=$((rss + ${r:-0}))
	done
	echo "$uss $rss"
}

ours_pids() {
	local parent
	parent=$(ours_pid server)
	[ -n "$parent" ] && echo "$parent $(pgrep -P "$parent" | tr '\n' ' ')"
}

# xl2tpd and the pppd it runs per session, by their names in /proc.
ref_pids() {
	local d c
	for d in /proc/[0-9]*; do
		read -r c <"$d/comm" 2>/dev/null || continue
		case $c in
		xl2tpd|pppd) echo -n "${d#/proc/} " ;;
		esac
	done
}

server_ppp_links() {
	ip -n server -o link show 2>/dev/null | grep -c ': ppp' || true
}

# load NAME PIDS-FUNCTION: N calls against whatever serves now; sets
# LOAD_USS and LOAD_RSS (kB per session) and LOAD_UP_MS; fails if not
# all came up.
load() {
	local name=$1 pidsfn=$2 out m0 m1
	sleep 1
	m0=$(mem $($pidsfn))
	on client "$REPO/build/regress/tools/l2tp_lacgen" -l "$CLIENT_ADDR" \
	    -p "$SERVER_ADDR" -n "$MEM_N" -P "$VPN_USER:$VPN_PASS" -k 8 \
	    -t 120 >"$LOG/client-lacgen-$name.out" 2>"$LOG/client-lacgen-$name.log" &
	wait_until 90 sh -c "[ \$(ip -n server -o link show | grep -c ': ppp') -ge $MEM_N ]" ||
	    fail "$name: $(server_ppp_links) of $MEM_N sessions up on the server after 90 s"
	sleep 2
	m1=$(mem $($pidsfn))
	say "$name: measured $(set -- $($pidsfn); echo $#) processes"
	LOAD_USS=$(( (${m1% *} - ${m0% *}) / MEM_N ))
	LOAD_RSS=$(( (${m1#* } - ${m0#* }) / MEM_N ))
	wait_until 60 test -s "$LOG/client-lacgen-$name.out" ||
	    fail "$name: the load generator did not finish"
	out=$(cat "$LOG/client-lacgen-$name.out")
	grep -q " ppp_up=$MEM_N " <<<"$out" || fail "$name: $out"
	LOAD_UP_MS=$(sed -n 's/.* ppp_up_ms=\([0-9]*\) .*/\1/p' <<<"$out")
	say "$name: $MEM_N sessions PPP-up in $LOAD_UP_MS ms; server USS/RSS $m0 kB idle, $m1 kB with $MEM_N up: $LOAD_USS kB private, $LOAD_RSS kB RSS per session"
	wait_until 30 sh -c "[ \$(ip -n server -o link show | grep -c ': ppp') = 0 ]" ||
	    say "$name: ppp links still there 30 s after the calls ended"
}

server_setup() {
	put server /etc/l2tpsecd/psk 600 <<<"$SERVER_PSK"
	put server /etc/l2tpsecd/chap-secrets 600 <<EOF
"$VPN_USER" * "$VPN_PASS" *
EOF
	put server /etc/l2tpsecd/l2tpsecd.conf 600 <<EOF
listen on $SERVER_ADDR
dataplane kernel
ipsec {
	psk file "/etc/l2tpsecd/psk"
}
l2tp {
	require-ipsec no
}
ppp {
	local $POOL_LOCAL
	pool ${POOL_RANGE%-*} - ${POOL_RANGE#*-}
	users "/etc/l2tpsecd/chap-secrets"
	duplicate allow
}
EOF
	ours_run server
}

client_setup() {
	:
}

check() {
	local ours_ps ours_rs ours_ms ref_ps ref_rs ref_ms
	load ours ours_pids
	ours_ps=$LOAD_USS ours_rs=$LOAD_RSS ours_ms=$LOAD_UP_MS
	ours_stop server

	ref_server_start
	load reference ref_pids
	ref_ps=$LOAD_USS ref_rs=$LOAD_RSS ref_ms=$LOAD_UP_MS

	say "memory per session, $MEM_N sessions: ours $ours_ps kB private ($ours_rs kB RSS), reference (xl2tpd + pppd) $ref_ps kB private ($ref_rs kB RSS)"
	say "RESULT memory_kb_per_session ours_private=$ours_ps ours_rss=$ours_rs ref_private=$ref_ps ref_rss=$ref_rs ours_up_ms=$ours_ms ref_up_ms=$ref_ms n=$MEM_N"
	say "$MEM_N sessions up: ours $ours_ms ms, reference $ref_ms ms"
	[ "$ours_ps" -le "$ref_ps" ] ||
	    fail "ours costs more per session ($ours_ps kB) than the reference ($ref_ps kB)"
}
