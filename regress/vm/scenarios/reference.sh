# reference: the classic stack against itself, the baseline every other
# scenario is measured against.  Server: Libreswan + xl2tpd + pppd;
# client: strongSwan + xl2tpd + pppd.  Passes when ppp0 is up on both
# sides, pings cross it both ways, and they were carried in ESP.

server_setup() {
	ref_server_start
}

client_setup() {
	ref_client_start
}

check() {
	ref_client_connect || fail "IKE did not come up"
	check_connected
	[ "$SERVER_TUN_IF" = ppp0 ] && [ "$CLIENT_TUN_IF" = ppp0 ] ||
	    fail "tunnel on $SERVER_TUN_IF/$CLIENT_TUN_IF, expected ppp0 on both"
}
