# userspace-client: our client with `dataplane userspace` against the
# reference server (Libreswan + xl2tpd + pppd, the seed's stack).  Passes
# when our TUN holds an address from the server's pool, ppp0 is up on the
# server, pings cross both ways in ESP (counted by the server's kernel
# SAs), our side holds no XFRM state, and `l2tpsecctl show sa` shows the
# SA.

server_setup() {
	ref_server_start
}

client_setup() {
	ours_client_start	# autostart: dials at once
}

check() {
	local out
	check_connected
	[ "$SERVER_TUN_IF" = ppp0 ] ||
	    fail "server tunnel on $SERVER_TUN_IF, expected ppp0"
	case $CLIENT_TUN_IF in
	l2tpsecc*) ;;
	*)	fail "client tunnel on $CLIENT_TUN_IF, expected our TUN" ;;
	esac
	no_xfrm client ||
	    fail "XFRM state on our (userspace) side: $(ip -n client xfrm state)"
	out=$(ctl client show sa 2>&1) || fail "l2tpsecctl show sa failed: $out"
	echo "$out"
	grep -q "$SERVER_ADDR" <<<"$out" ||
	    fail "show sa does not show an SA with $SERVER_ADDR"
}
