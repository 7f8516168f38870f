# ours-both: our client against our server, `dataplane kernel` on both.
# Passes when both sides have a pppN interface with the tunnel
# addresses, pings cross both ways in ESP (both kernels' XFRM states
# count them), the server's `show sessions` lists the user; when, after
# our client was killed with SIGKILL mid-session and started again, it
# connects again and passes traffic (its start removes what the killed
# one left; the server drops the old tunnel, which shares the new one's
# addresses and ports); and once both daemons have stopped neither side
# holds anything of ours, the client's host route to the server
# included.

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
	mark session

	# Our client crashes mid-session and comes back at once.
	ours_stop client KILL
	ours_client_run
	check_connected
	grep -q "left behind" "$LOG/client-l2tpsecd.log" ||
	    fail "the client's new start did not report what it removed"
	mark restarted

	ours_stop client
	[ -z "$(ip -n client route show proto 245)" ] ||
	    fail "client: our host route left: $(ip -n client route show proto 245)"
	ours_stop server
	no_leftovers client "$CLIENT_BEFORE"
	no_leftovers server "$SERVER_BEFORE"
}
