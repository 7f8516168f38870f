# userspace-server: the reference client (strongSwan + xl2tpd + pppd)
# against our server with `dataplane userspace`.  Passes when ppp0 is up
# on the client, our server's TUN holds the tunnel address, pings cross
# both ways in ESP (counted by the client's kernel SAs), our side holds no
# XFRM state, and `l2tpsecctl show sessions` lists the user; once it
# has stopped, nothing of ours is left in the server's kernel.

server_setup() {
	SERVER_BEFORE=$(kstate server)
	ours_server_start
}

client_setup() {
	ref_client_start
}

check() {
	local out
	ref_client_connect || fail "IKE did not come up"
	check_connected
	[ "$CLIENT_TUN_IF" = ppp0 ] ||
	    fail "client tunnel on $CLIENT_TUN_IF, expected ppp0"
	case $SERVER_TUN_IF in
	ppp*)	fail "server tunnel on $SERVER_TUN_IF, expected our TUN" ;;
	esac
	no_xfrm server ||
	    fail "XFRM state on our (userspace) side: $(ip -n server xfrm state)"
	out=$(ctl server show sessions 2>&1) ||
	    fail "l2tpsecctl show sessions failed: $out"
	echo "$out"
	grep -qw "$VPN_USER" <<<"$out" ||
	    fail "show sessions does not list $VPN_USER"
	ours_stop server
	no_leftovers server "$SERVER_BEFORE"
}
