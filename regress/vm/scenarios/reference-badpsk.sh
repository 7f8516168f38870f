# reference-badpsk: negative control for the reference scenario.  Same
# machines and daemons, but the client holds the wrong PSK.  Passes only
# if the connection does NOT come up, and for the right reason: a harness
# that passes this way with any PSK would prove nothing.

. "$VM_DIR/scenarios/reference.sh"

CLIENT_PSK=not-the-server-psk

check() {
	# Pluto cannot authenticate (decrypt) main mode message 5, which is
	# encrypted with a key derived from the PSK, and says so.
	local pattern="mismatch of preshared secrets" connect
	# In the background: charon retransmits main mode for minutes, and
	# the server's log gives the verdict long before.
	ref_client_connect 120 &
	connect=$!
	wait_until 60 grep -q "$pattern" "$LOG/server-pluto.log" ||
	    fail "pluto's log never said the PSK was wrong"
	say "server: $(grep -m1 "$pattern" "$LOG/server-pluto.log")"
	if ! kill -0 "$connect" 2>/dev/null && wait "$connect"; then
		fail "IKE came up although the client has the wrong PSK"
	fi
	! on client swanctl --list-sas | grep -q ESTABLISHED ||
	    fail "the client has an established IKE SA with the wrong PSK"
	[ "$(esp_counters)" = 0 ] || fail "ESP SAs exist although IKE failed"
	! tunnel_both || fail "a tunnel came up although IKE failed"
	say "no IKE SA, no ESP SA, no tunnel: the wrong PSK was refused"
}
