# kernel-pppol2tp: netcfg/pppol2tp.c against a real kernel (l2tp_ppp,
# ppp_generic), no daemon and no PPP negotiation.  On each side
# pppol2tp_try holds a tunnel (11/22) and a session (33/44) as the parent
# would; the scenario drives both through a FIFO each.  Passes when:
#  - the tunnel's UDP socket shares 1701 with a listener bound to *:1701
#    (server) or to the local address (client) that has SO_REUSEADDR, and
#    only then (no option, SO_REUSEPORT: bind refused, error names it);
#  - IPv4 crosses pppN only after NPMODE pass, then pings both ways (the
#    kernel's L2TP data path: nothing reaches the UDP socket, the
#    session's kernel counters grow); the MTU holds;
#  - a control datagram (T bit) from the peer is read on the tunnel's UDP
#    socket, one from another port on the listener;
#  - an LCP frame written to one side's channel fd is read on the other
#    side's channel fd (not the unit's), an IPCP frame written to the
#    unit fd on the other's unit fd (not the channel's);
#  - a packet with another source than the peer's address, coming in
#    over pppN, is dropped by strict rp_filter (and accepted without);
#  - the client role's two steps work: the UDP socket first (control
#    flows), the kernel tunnel later on the same socket;
#  - teardown leaves no pppN, no kernel tunnel and no descriptor, also
#    while another process holds copies (pppN by RTM_DELLINK; the
#    tunnel lives on until the last copy of its UDP socket closes, and
#    its id stays refused meanwhile, with a clear error, even where the
#    kernel would let a new tunnel join the old one), and the tunnel id
#    is free again afterwards; kill -9 leaves the cleanup to the
#    kernel, which does it.

PPT=$REPO/build/regress/tools/pppol2tp_try
PPP_LOCAL=10.9.0.1		# server's pppN address, the client's peer
PPP_PEER=10.9.0.2
declare -A PPT_FD=() PPT_OUT=() PPT_N=() PPT_PID=()

# ppt_start SIDE: pppol2tp_try on SIDE, commands through a FIFO.
ppt_start() {
	local side=$1 in=/vm/ppt-$1.in fd
	[ -x "$PPT" ] || fail "no $PPT: build on the host first (make units)"
	PPT_OUT[$side]=/vm/ppt-$side.out
	rm -f "$in"
	mkfifo "$in"
	: >"${PPT_OUT[$side]}"
	# Without the other sides' FIFO ends, or their tools never see
	# end of input.
	(
		for fd in "${PPT_FD[@]}"; do
			exec {fd}>&-
		done
		on "$side" "$PPT"
	) <"$in" >"${PPT_OUT[$side]}" 2>>"$LOG/$side-pppol2tp_try.log" &
	exec {fd}>"$in"
	PPT_FD[$side]=$fd
	PPT_N[$side]=0
	wait_until 10 ppt_answered "$side" ||
	    fail "pppol2tp_try on $side did not start"
	PPT_PID[$side]=${REPLY#ready }
}

# ppt_answered SIDE: a line beyond the PPT_N[SIDE] read so far; in REPLY.
ppt_answered() {
	local lines
	mapfile -t lines <"${PPT_OUT[$1]}"
	[ "${#lines[@]}" -gt "${PPT_N[$1]}" ] || return 1
	REPLY=${lines[${PPT_N[$1]}]}
	PPT_N[$1]=$((PPT_N[$1] + 1))
}

# ppt SIDE COMMAND...: one command, its answer in REPLY; 0 if "ok".
ppt() {
	local side=$1
	shift
	echo "$*" >&"${PPT_FD[$side]}"
	wait_until 15 ppt_answered "$side" ||
	    fail "pppol2tp_try on $side did not answer '$*'"
	say "$side: $* -> $REPLY"
	[[ $REPLY == ok* ]]
}

# must SIDE COMMAND...: ppt that has to succeed.
must() {
	ppt "$@" || fail "$1: '${*:2}' failed: $REPLY"
}

# snmp SIDE FILE GROUP FIELD: a counter of SIDE's /proc/net/snmp or
# netstat ("Icmp: InEchos", "TcpExt: IPReversePathFilter").
snmp() {
	local names values i
	names=($(grep "^$3: " "/proc/${SIDE_PID[$1]}/net/$2" | head -1))
	values=($(grep "^$3: " "/proc/${SIDE_PID[$1]}/net/$2" | tail -1))
	for i in "${!names[@]}"; do
		[ "${names[$i]}" = "$4" ] && { echo "${values[$i]}"; return; }
	done
	fail "no counter $3 $4 in $2"
}

# no_ppp SIDE: no pppN interface on SIDE.
no_ppp() {
	! ip -n "$1" -o link show | grep -q ': ppp[0-9]'
}

# no_l2tp SIDE: the kernel holds no L2TP tunnel on SIDE.
no_l2tp() {
	[ -z "$(ip -n "$1" l2tp show tunnel 2>&1)" ]
}

# l2tp_has SIDE tunnel|session ID: the kernel holds that tunnel/session.
l2tp_has() {
	ip -n "$1" l2tp show "$2" 2>/dev/null | grep -Eq "^${2^} $3[ ,]"
}

server_setup() {
	ppt_start server
	must server available
	# The daemon's listener: every address, SO_REUSEADDR.
	must server listen 0.0.0.0 1701 reuseaddr
	must server fds
	SERVER_FDS=${REPLY#ok }
	must server tunnel "$SERVER_ADDR" "$CLIENT_ADDR" 1701 11 22
	must server session 33 44 1400 1400 lns
	set -- $REPLY
	SERVER_IF=$2
	must server ifup "$PPP_LOCAL" "$PPP_PEER"
}

client_setup() {
	local c
	ppt_start client
	must client fds
	CLIENT_FDS=${REPLY#ok }
	# A listener on the local address: without SO_REUSEADDR, or with
	# SO_REUSEPORT instead, the tunnel cannot have 1701 too, and the
	# failure says which tunnel and why; nothing is left behind.
	for c in "" reuseport; do
		must client listen "$CLIENT_ADDR" 1701 $c
		! ppt client tunnel "$CLIENT_ADDR" "$SERVER_ADDR" 1701 22 11 ||
		    fail "tunnel bound 1701 beside a listener with '${c:-no option}'"
		[[ $REPLY == *"tunnel 22/11 "*"bind"*"Address already in use"* ]] ||
		    fail "unclear error: $REPLY"
	done
	must client listen "$CLIENT_ADDR" 1701 reuseaddr
	must client fds
	[ "${REPLY#ok }" = $((CLIENT_FDS + 1)) ] ||
	    fail "client: descriptors leaked by the failed creations: $REPLY"
	CLIENT_FDS=${REPLY#ok }
	# The client role's two steps: the socket first (SCCRQ goes out of
	# it before the server's tunnel id is known), the kernel tunnel at
	# SCCCN.  Control works before and after.
	must client udp "$CLIENT_ADDR" "$SERVER_ADDR" 1701
	must client ctrl-send c802000c000b000000000000
	must server ctrl-recv 2000
	[ "$REPLY" = "ok $CLIENT_ADDR:1701 c802000c000b000000000000" ] ||
	    fail "server: the client's first control datagram: $REPLY"
	must client attach 22 11
	must client session 44 33 1400 1400
	set -- $REPLY
	CLIENT_IF=$2
	must client ifup "$PPP_PEER" "$PPP_LOCAL"
}

check_kernel_objects() {
	local s
	for s in server client; do
		say "$s: $(ip -n $s l2tp show tunnel | tr -s '\n ' ' ')"
		say "$s: $(ip -n $s l2tp show session | tr -s '\n ' ' ')"
	done
	l2tp_has server tunnel 11 && l2tp_has server session 33 ||
	    fail "server: kernel tunnel 11 / session 33 missing"
	l2tp_has client tunnel 22 && l2tp_has client session 44 ||
	    fail "client: kernel tunnel 22 / session 44 missing"
	say "server $SERVER_IF: $(ip -n server -o addr show dev "$SERVER_IF")"
	ip -n server -o addr show dev "$SERVER_IF" |
	    grep -q "inet $PPP_LOCAL peer $PPP_PEER/32" ||
	    fail "server: $SERVER_IF lacks $PPP_LOCAL peer $PPP_PEER"
	ip -n server -o link show dev "$SERVER_IF" | grep -q "mtu 1400 " ||
	    fail "server: $SERVER_IF's MTU is not 1400"
	say "server: rp_filter all $(on server cat /proc/sys/net/ipv4/conf/all/rp_filter), default $(on server cat /proc/sys/net/ipv4/conf/default/rp_filter), $SERVER_IF $(on server cat /proc/sys/net/ipv4/conf/$SERVER_IF/rp_filter)"
	[ "$(on server cat /proc/sys/net/ipv4/conf/$SERVER_IF/rp_filter)" = 1 ] ||
	    fail "server: rp_filter on $SERVER_IF is not 1"
	[ -z "$(ip -n server -6 addr show dev "$SERVER_IF")" ] ||
	    fail "server: IPv6 addresses on $SERVER_IF: $(ip -n server -6 addr show dev "$SERVER_IF")"
}

check_data() {
	local out frags
	# NPMODE drop until IPCP: nothing crosses yet.
	! on server ping -n -q -c 1 -w 1 -I "$SERVER_IF" "$PPP_PEER" >/dev/null ||
	    fail "IPv4 crossed $SERVER_IF before NPMODE pass"
	say "no ping across $SERVER_IF before NPMODE pass"
	must server pass
	must client pass
	ping_from server "$SERVER_IF" "$PPP_PEER" 3 ||
	    fail "no ping server -> client over $SERVER_IF"
	ping_from client "$CLIENT_IF" "$PPP_LOCAL" 3 ||
	    fail "no ping client -> server over $CLIENT_IF"
	# The kernel carried them: none reached the tunnel's UDP socket,
	# and the session's own counters saw them.
	! ppt server ctrl-recv 100 || fail "data reached the server's UDP socket"
	! ppt client ctrl-recv 100 || fail "data reached the client's UDP socket"
	must server stats
	[[ $REPLY =~ tx_packets\ ([0-9]+).*rx_packets\ ([0-9]+) ]] &&
	    [ "${BASH_REMATCH[1]}" -ge 6 ] && [ "${BASH_REMATCH[2]}" -ge 6 ] ||
	    fail "server session counters did not see the pings: $REPLY"
	# MTU 1400: 1372 bytes of ICMP payload fit with DF, 1373 do not.
	out=$(on client ping -n -c 1 -W 2 -M do -s 1372 -I "$CLIENT_IF" \
	    "$PPP_LOCAL" 2>&1) || fail "1400-byte ping with DF failed: $out"
	out=$(on client ping -n -c 1 -W 2 -M do -s 1373 -I "$CLIENT_IF" \
	    "$PPP_LOCAL" 2>&1) && fail "1401-byte ping with DF passed MTU 1400"
	say "MTU 1400 holds: $(grep -m1 -io 'message too long.*\|mtu.*' <<<"$out")"
	# MTU 1500 inside a 1500 link: the outer UDP datagram (+38) does
	# not fit; the kernel sends it in fragments.
	must server mtu 1500 1500
	must client mtu 1500 1500
	frags=$(snmp client snmp Ip FragCreates)
	if out=$(on client ping -n -c 2 -W 2 -M do -s 1472 -I "$CLIENT_IF" \
	    "$PPP_LOCAL" 2>&1); then
		say "MTU 1500 on pppN over a 1500 link: pings pass, the" \
		    "client made $(($(snmp client snmp Ip FragCreates) - frags))" \
		    "outer fragments"
	else
		say "MTU 1500 on pppN over a 1500 link: pings fail:" \
		    "$(tail -2 <<<"$out" | tr '\n' ' ')"
	fi
	must server mtu 1400 1400
	must client mtu 1400 1400
}

check_control() {
	# A ZLB for the other side (RFC 2661 5.8: T, L, version 2, length
	# 12, tunnel id, session 0, Ns 0, Nr 0), on the tunnel's socket.
	must client ctrl-send c802000c000b000000000000
	must server ctrl-recv 2000
	[ "$REPLY" = "ok $CLIENT_ADDR:1701 c802000c000b000000000000" ] ||
	    fail "server: the control datagram came up changed: $REPLY"
	must server ctrl-send c802000c0016000000000000
	must client ctrl-recv 2000
	[ "$REPLY" = "ok $SERVER_ADDR:1701 c802000c0016000000000000" ] ||
	    fail "client: the control datagram came up changed: $REPLY"
	! ppt server listen-recv 100 || fail "server listener got the peer's datagram"
	! ppt client listen-recv 100 || fail "client listener got the peer's datagram"
	# Anyone else (another port: a second client behind the same
	# address, a new SCCRQ) reaches the listener, not the tunnel.
	for p in 1702 40000; do
		must client udp-send "$CLIENT_ADDR" $p "$SERVER_ADDR" 1701 c80200140000000000000000
		must server listen-recv 2000
		[ "$REPLY" = "ok $CLIENT_ADDR:$p c80200140000000000000000" ] ||
		    fail "server listener: $REPLY"
		! ppt server ctrl-recv 100 || fail "tunnel socket got port $p's datagram"
	done
	must server udp-send "$SERVER_ADDR" 1702 "$CLIENT_ADDR" 1701 c80200140000000000000000
	must client listen-recv 2000
	[ "$REPLY" = "ok $SERVER_ADDR:1702 c80200140000000000000000" ] ||
	    fail "client listener: $REPLY"
	! ppt client ctrl-recv 100 || fail "client tunnel socket got port 1702's datagram"
}

check_ppp_frames() {
	# LCP Echo-Request (0xc021) on the channel: read on the other
	# channel, not on the unit (ppp_input(): >= 0xc000 stays there).
	must client chan-send c021090100080000abcd
	must server chan-recv 2000
	[ "$REPLY" = "ok c021090100080000abcd" ] || fail "server channel: $REPLY"
	! ppt server unit-recv 200 || fail "LCP reached the server's unit fd"
	must server chan-send c0210a0100080000dcba
	must client chan-recv 2000
	[ "$REPLY" = "ok c0210a0100080000dcba" ] || fail "client channel: $REPLY"
	# IPCP Configure-Request (0x8021) on the unit, as pppd sends NCPs
	# once the channel is connected: read on the other unit.
	must client unit-send 80210101000a03060a090002
	must server unit-recv 2000
	[ "$REPLY" = "ok 80210101000a03060a090002" ] || fail "server unit: $REPLY"
	! ppt server chan-recv 200 || fail "IPCP reached the server's channel fd"
	must server unit-send 80210201000a03060a090001
	must client unit-recv 2000
	[ "$REPLY" = "ok 80210201000a03060a090001" ] || fail "client unit: $REPLY"
}

check_spoof() {
	local echos rpf e2 r2
	echos=$(snmp server snmp Icmp InEchos)
	rpf=$(snmp server netstat TcpExt IPReversePathFilter)
	# The peer's own address: accepted (answered).
	must client spoof "$PPP_PEER" "$PPP_LOCAL"
	wait_until 5 test "$(snmp server snmp Icmp InEchos)" -gt "$echos" ||
	    fail "server: an echo from $PPP_PEER over $SERVER_IF was not received"
	echos=$(snmp server snmp Icmp InEchos)
	# Another source over the same pppN: dropped by rp_filter.
	must client spoof 10.9.0.99 "$PPP_LOCAL"
	wait_until 5 test "$(snmp server netstat TcpExt IPReversePathFilter)" -gt "$rpf" ||
	    fail "server: no reverse-path drop for 10.9.0.99 over $SERVER_IF"
	sleep 0.5
	e2=$(snmp server snmp Icmp InEchos)
	r2=$(snmp server netstat TcpExt IPReversePathFilter)
	[ "$e2" = "$echos" ] || fail "server: the spoofed echo was received"
	say "spoofed source 10.9.0.99 over $SERVER_IF: dropped (IPReversePathFilter $rpf -> $r2, InEchos $echos -> $e2)"
	# Control: the same packet passes with rp_filter off on pppN, so it
	# was the filter that dropped it.
	on server sh -c "echo 0 >/proc/sys/net/ipv4/conf/$SERVER_IF/rp_filter"
	must client spoof 10.9.0.99 "$PPP_LOCAL"
	wait_until 5 test "$(snmp server snmp Icmp InEchos)" -gt "$e2" ||
	    fail "server: the spoofed echo was not received even without rp_filter"
	on server sh -c "echo 1 >/proc/sys/net/ipv4/conf/$SERVER_IF/rp_filter"
	say "without rp_filter on $SERVER_IF the spoofed echo is received: the filter is what drops it"
}

check_teardown() {
	local holder fd
	# The ppp child (unit, channel) and the l2tp child (UDP socket)
	# hold copies: session-del must still remove pppN.
	must server hold
	holder=${REPLY#ok }
	must server session-del
	no_ppp server || fail "server: pppN left although we destroyed the session"
	say "server: $SERVER_IF gone while another process held the unit fd"
	must server tunnel-del
	l2tp_has server tunnel 11 ||
	    fail "server: the tunnel went although a copy of its UDP socket is held"
	# Its id is still taken.
	! ppt server tunnel "$SERVER_ADDR" "$CLIENT_ADDR" 1701 11 22 ||
	    fail "server: a second kernel tunnel 11"
	[[ $REPLY == *"tunnel 11/22 "*"File exists" ]] || fail "unclear error: $REPLY"
	kill "$holder"
	wait_until 10 no_l2tp server ||
	    fail "server: kernel tunnel left after the last copy closed: $(ip -n server l2tp show tunnel)"
	say "server: kernel tunnel gone with the last copy of its UDP socket"
	must server fds
	[ "${REPLY#ok }" = "$SERVER_FDS" ] ||
	    fail "server: $REPLY descriptors open, $SERVER_FDS before: leaked"
	# The id is free again at once; a second round ends by end of input.
	must server tunnel "$SERVER_ADDR" "$CLIENT_ADDR" 1701 11 22
	must server session 33 44 1400 1400 lns
	l2tp_has server session 33 || fail "server: second session missing"
	# Only the UDP socket held (the l2tp child's share): the kernel
	# would let a new tunnel 11 join the old one on that socket; the
	# API must refuse.
	must server hold-udp
	holder=${REPLY#ok }
	must server session-del
	no_ppp server || fail "server: pppN left"
	must server tunnel-del
	l2tp_has server tunnel 11 || fail "server: tunnel 11 went with a held UDP socket"
	! ppt server tunnel "$SERVER_ADDR" "$CLIENT_ADDR" 1701 11 22 ||
	    fail "server: tunnel 11 joined the held one"
	[[ $REPLY == *"tunnel 11/22 "*"another kernel tunnel has id 11"*"File exists" ]] ||
	    fail "unclear error: $REPLY"
	[ -z "$(ip -n server l2tp show session)" ] ||
	    fail "server: sessions left in the held tunnel"
	kill "$holder"
	wait_until 10 no_l2tp server ||
	    fail "server: kernel tunnel left after the last copy closed"
	must server fds
	[ "${REPLY#ok }" = "$SERVER_FDS" ] ||
	    fail "server: $REPLY descriptors open, $SERVER_FDS before: leaked"
	# A third round, ended by end of input.
	must server tunnel "$SERVER_ADDR" "$CLIENT_ADDR" 1701 11 22
	must server session 33 44 1400 1400 lns
	fd=${PPT_FD[server]}
	exec {fd}>&-
	wait_until 10 grep -q '^bye' "${PPT_OUT[server]}" ||
	    fail "server: pppol2tp_try did not end at end of input"
	wait_until 10 no_ppp server && wait_until 10 no_l2tp server ||
	    fail "server: left behind after a clean exit"
	say "server: nothing left after a clean exit"

	# kill -9 with everything up: the kernel cleans up on its own.
	l2tp_has client session 44 && ! no_ppp client ||
	    fail "client: session not up before the kill"
	kill -9 "${PPT_PID[client]}"
	wait_until 10 no_ppp client ||
	    fail "client: $(ip -n client -o link | grep ppp) left after kill -9"
	wait_until 10 no_l2tp client ||
	    fail "client: kernel tunnel left after kill -9: $(ip -n client l2tp show tunnel)"
	[ -z "$(ip -n client l2tp show session)" ] ||
	    fail "client: kernel session left after kill -9"
	say "client: killed with -9, no pppN, no tunnel, no session left"
	fd=${PPT_FD[client]}
	exec {fd}>&-
}

check() {
	check_kernel_objects
	mark objects
	check_data
	mark data
	check_control
	check_ppp_frames
	mark control
	check_spoof
	mark spoof
	check_teardown
	mark teardown
}
