# ours-client-defroute: our client with `dataplane kernel` and
# `default-route yes` against the reference server.  Passes when the
# client's traffic goes into the tunnel by the two /1 routes on its pppN
# (crash-safe: the original default route stays), the server itself is
# still reached through eth0 (the host route via the old gateway), and
# once our daemon has stopped the routing table is exactly as before and
# nothing else of ours is left.

OURS_DATAPLANE=kernel

server_setup() {
	ref_server_start
}

client_setup() {
	CLIENT_BEFORE=$(kstate client)
	# A default route to take over (the server is the only other host).
	on client ip route add default via "$SERVER_ADDR"
	ROUTES_BEFORE=$(ip -n client route show | sort)
	ours_client_config
	sed -i 's/default-route no/default-route yes/' \
	    "$(side_path client /etc/l2tpsecd/l2tpsecd.conf)"
	ours_client_run
}

check() {
	local routes
	check_connected
	routes=$(ip -n client route show)
	say "client routes: $(tr '\n' ';' <<<"$routes")"
	grep -q "^0.0.0.0/1 .*dev $CLIENT_TUN_IF" <<<"$routes" ||
	    fail "no 0.0.0.0/1 on $CLIENT_TUN_IF"
	grep -q "^128.0.0.0/1 .*dev $CLIENT_TUN_IF" <<<"$routes" ||
	    fail "no 128.0.0.0/1 on $CLIENT_TUN_IF"
	grep -q "^default via $SERVER_ADDR" <<<"$routes" ||
	    fail "the original default route is gone"
	ip -n client route get "$SERVER_ADDR" | grep -q "dev eth0" ||
	    fail "the server is not reached through eth0 any more"
	ours_stop client
	routes=$(ip -n client route show | sort)
	[ "$routes" = "$ROUTES_BEFORE" ] ||
	    fail "routes after stop differ: $(tr '\n' ';' <<<"$routes")"
	no_leftovers client "$CLIENT_BEFORE"
}
