# ours-client: our client with `dataplane kernel` against the reference
# server (Libreswan + xl2tpd + pppd).  Passes when both sides have a
# pppN interface holding the tunnel addresses, pings cross both ways in
# ESP (counted by both kernels' XFRM states: ours are ours now),
# `l2tpsecctl show sa` shows the SA, and once our daemon has stopped no
# XFRM state or policy, no pppN, no nftables table and no changed sysctl
# is left on our side.

OURS_DATAPLANE=kernel

server_setup() {
	ref_server_start
}

client_setup() {
	CLIENT_BEFORE=$(kstate client)
	ours_client_start
}

check() {
	local out
	check_connected
	mark connected
	[ "$SERVER_TUN_IF" = ppp0 ] ||
	    fail "server tunnel on $SERVER_TUN_IF, expected ppp0"
	case $CLIENT_TUN_IF in
	ppp*) ;;
	*)	fail "client tunnel on $CLIENT_TUN_IF, expected pppN (kernel)" ;;
	esac
	! no_xfrm client || fail "no XFRM state on our (kernel) side"
	out=$(ctl client show status 2>&1)
	grep -q "data plane kernel" <<<"$out" ||
	    fail "show status does not say kernel: $out"
	out=$(ctl client show sa 2>&1) || fail "l2tpsecctl show sa failed: $out"
	echo "$out"
	grep -q "$SERVER_ADDR" <<<"$out" ||
	    fail "show sa does not show an SA with $SERVER_ADDR"
	ours_stop client
	no_leftovers client "$CLIENT_BEFORE"
}
