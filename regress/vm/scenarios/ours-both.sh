# ours-both: our client against our server, `dataplane kernel` on both.
# Passes when both sides have a pppN interface with the tunnel
# addresses, pings cross both ways in ESP (both kernels' XFRM states
# count them), the server's `show sessions` lists the user, and once both
# daemons have stopped neither side holds anything of ours.

OURS_DATAPLANE=kernel

server_setup() {
	SERVER_BEFORE=$(kstate server)
	ours_server_start
}

client_setup() {
	CLIENT_BEFORE=$(kstate client)
	ours_client_start
}

check() {
	local out
	check_connected
	mark connected
	case "$SERVER_TUN_IF $CLIENT_TUN_IF" in
	ppp*" "ppp*) ;;
	*)	fail "tunnel on $SERVER_TUN_IF / $CLIENT_TUN_IF, expected pppN on both" ;;
	esac
	out=$(ctl server show sessions 2>&1) ||
	    fail "l2tpsecctl show sessions failed: $out"
	echo "$out"
	grep -qw "$VPN_USER" <<<"$out" ||
	    fail "show sessions does not list $VPN_USER"
	ours_stop client
	ours_stop server
	no_leftovers client "$CLIENT_BEFORE"
	no_leftovers server "$SERVER_BEFORE"
}
