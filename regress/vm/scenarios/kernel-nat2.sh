# kernel-nat2: two reference clients behind one NAT address against our
# server with `dataplane kernel`.  Both speak L2TP 1701 -> 1701, so
# after NAT their inner flows are the same and XFRM selectors (which do
# not see the NAT-T port) cannot tell them apart: the first connects
# and passes traffic; the second is refused at quick mode with a log
# line that says why and that the userspace data path serves that case;
# the first keeps working.
#
#   client 10.99.1.2 --.
#                      nat (masquerade) 192.0.2.254 --- server 192.0.2.1
#   client2 10.99.2.2 -'

CLIENT_ADDR=10.99.1.2
CLIENT2_ADDR=10.99.2.2
OURS_DATAPLANE=kernel

topology() {
	topology_nat client client2
}

server_setup() {
	ours_server_start
}

client_setup() {
	ref_client_start
	REF_CLIENT=client2 REF_CLIENT_ADDR=$CLIENT2_ADDR ref_client_start
}

check() {
	local log=$LOG/server-l2tpsecd.log n0
	ref_client_connect || fail "IKE of the first client did not come up"
	check_connected
	say "first client behind the NAT: connected"
	n0=$(grep -c "cannot tell them apart" "$log" || true)
	# charon counts its CHILD_SA up once it has sent quick mode's third
	# message; our parent refuses it after that (and ike deletes it).
	REF_CLIENT=client2 ref_client_connect 20 || true
	wait_until 10 sh -c "[ \$(grep -c 'cannot tell them apart' '$log') -gt $n0 ]" ||
	    fail "no log line saying why the second client was refused"
	say "refused: $(grep 'cannot tell them apart' "$log" | grep parent | tail -1)"
	grep -q "dataplane userspace serves" "$log" ||
	    fail "the refusal does not name the userspace data path"
	! wait_until 8 sh -c "ip -n client2 -4 -o addr show | grep -q '$TUN_PREFIX'" ||
	    fail "the second client got a tunnel address"
	ping_both_ways 2 || fail "the first client stopped passing traffic"
	say "first client still passes traffic; the second has no tunnel"
}
