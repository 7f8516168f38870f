# ours-both-nat: ours-both with our client behind a masquerading NAT, so
# ESP travels in UDP 4500 and both kernels encapsulate (UDP_ENCAP on
# each side's 4500 socket).  Passes as ours-both does, and the client's
# XFRM states carry the ESP-in-UDP encapsulation.

. "$VM_DIR/scenarios/ours-both.sh"

CLIENT_ADDR=10.99.1.2

topology() {
	topology_nat client
}

eval "$(declare -f check | sed '1s/^check/ours_both_check/')"

check() {
	check_connected
	ip -n client xfrm state | grep -q "encap type espinudp" ||
	    fail "our client's XFRM states are not ESP in UDP"
	say "client's SAs: ESP in UDP through the NAT"
	ours_both_check
}
