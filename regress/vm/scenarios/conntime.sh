# conntime: connection times of the reference client (strongSwan +
# xl2tpd + pppd) against the reference server (Libreswan + xl2tpd +
# pppd) and against our server with `dataplane kernel`, in the same VM
# run: three connections to each, one after another, each timed from
# `swanctl --initiate` to IKE up, from there to ppp0 up on both sides
# (L2TP + PPP), and from there to the first answered ping.  Passes when
# all six connect; the times are printed at the end (issue 9's closing
# note).  Not in test_vm.sh's list: it measures, the other scenarios
# check.

OURS_DATAPLANE=kernel
TIMES=()

server_setup() {
	ref_server_start
}

client_setup() {
	ref_client_start
}

# The client hangs up (pppd, the call, IKE) and both sides settle.
hang_up() {
	echo "d vpn" >"$(side_path client /run/xl2tpd/l2tp-control)"
	wait_until 15 sh -c "! ip -n client -o link show up | grep -q ppp" ||
	    say "client: ppp still up after 15 s"
	on client swanctl --terminate --ike l2tp >>"$LOG/client-swanctl.log" 2>&1 || true
	wait_until 10 sh -c "[ -z \"\$(ip -n client xfrm state)\" ]" || true
	sleep 2
}

span() {
	awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'
}

# measure NAME: one connection, timed.
measure() {
	local t0 t_ike t_ppp t_ping
	t0=$(uptime_s)
	ref_client_connect 30 || fail "$1: IKE did not come up"
	t_ike=$(uptime_s)
	wait_tunnel 30 || fail "$1: no tunnel interface on both sides"
	t_ppp=$(uptime_s)
	wait_until 10 on client ping -c1 -W1 -I "$CLIENT_TUN_IF" \
	    "$SERVER_TUN_IP" >/dev/null || fail "$1: no ping answered"
	t_ping=$(uptime_s)
	TIMES+=("$1: IKE $(span "$t0" "$t_ike") s, L2TP+PPP $(span "$t_ike" \
	    "$t_ppp") s, first ping $(span "$t_ppp" "$t_ping") s")
	hang_up
}

check() {
	local t
	measure "reference server 1"
	measure "reference server 2"
	measure "reference server 3"
	on server ipsec whack --shutdown >/dev/null 2>&1 || true
	kill "$(cat "$(side_path server /run/xl2tpd.pid)")" 2>/dev/null || true
	wait_until 10 sh -c "[ -z \"\$(ip -n server xfrm state)\" ]" ||
	    fail "pluto left XFRM states behind"
	ours_server_start
	measure "our server (kernel) 1"
	measure "our server (kernel) 2"
	measure "our server (kernel) 3"
	say "connection times, reference client (ping: one exec of ping under TCG included):"
	for t in "${TIMES[@]}"; do
		say "  $t"
	done
}
