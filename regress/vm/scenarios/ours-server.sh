# ours-server: the reference client (strongSwan + xl2tpd + pppd) against
# our server with `dataplane kernel`.  Passes when ppp0 is up on the
# client and a pppN on our server, pings cross both ways in ESP counted
# by the XFRM states of both sides, `show sessions` lists the user and
# `show status` says kernel; and when nothing of ours is left on the
# server (no XFRM state or policy, no pppN, no kernel L2TP tunnel, no
# table inet l2tpsecd, the sysctls as before) after each of:
#   1. SIGTERM;
#   2. SIGKILL of the ike child mid-session (the daemon stops itself);
#   3. SIGKILL of the parent mid-session, then a fresh start and SIGTERM
#      (XFRM state outlives a killed parent: the next start flushes ours).

SYSCTLS="net.ipv4.ip_forward net.ipv4.conf.all.accept_redirects
    net.ipv4.conf.all.send_redirects net.ipv4.conf.default.send_redirects"
RUN=0

server_sysctls() {
	# shellcheck disable=SC2086
	on server sysctl -n $SYSCTLS | tr '\n' ' '
}

# A run of our server: config already written, log per run.
server_run() {
	local sock
	RUN=$((RUN + 1))
	sock=$(side_path server /run/l2tpsecd.sock)
	ours_check server
	on server "$L2TPSECD" -d -v -f /etc/l2tpsecd/l2tpsecd.conf \
	    >"$LOG/server-l2tpsecd-$RUN.log" 2>&1 &
	wait_until 10 test -S "$sock" ||
	    fail "l2tpsecd (run $RUN) did not start"
	wait_until 10 server_pids || fail "no show status from run $RUN"
	say "server run $RUN: pids $(server_pids | tr '\n' ' ')"
}

# server_pids: "ROLE PID" of every process of our running server.
server_pids() {
	local out
	out=$(ctl server show status 2>/dev/null) || return 1
	awk '$1 ~ /^(parent|ike|l2tp|ppp|datapath)$/ && $2 ~ /^[0-9]+$/ {
	    print $1, $2 }' <<<"$out" | grep . || return 1
}

pid_of() {
	server_pids | awk -v r="$1" '$1 == r { print $2 }'
}

gone() {
	local p
	for p in "$@"; do
		[ ! -e "/proc/$p" ] || return 1
	done
}

# server_leftovers: what of ours is still in the server's kernel; empty if none.
server_leftovers() {
	local x
	# The "src ... dst ..." lines only: a state's others carry its keys.
	x=$(ip -n server xfrm state 2>&1 | grep -E '^(src|Error)' || true)
	[ -z "$x" ] || echo "XFRM states: $x"
	x=$(ip -n server xfrm policy 2>&1 | grep -E '^(src|Error)' || true)
	[ -z "$x" ] || echo "XFRM policies: $x"
	x=$(ip -n server -o link show 2>&1 | grep -o ' ppp[0-9]*:' || true)
	[ -z "$x" ] || echo "interfaces:$x"
	x=$(ip -n server l2tp show tunnel 2>/dev/null || true)
	[ -z "$x" ] || echo "kernel L2TP tunnels: $x"
	if on server nft list table inet l2tpsecd >/dev/null 2>&1; then
		echo "table inet l2tpsecd"
	fi
	x=$(server_sysctls)
	[ "$x" = "$SYSCTLS_BEFORE" ] ||
	    echo "sysctls: '$x', before: '$SYSCTLS_BEFORE'"
}

server_clean() {
	local l
	l=$(server_leftovers)
	[ -z "$l" ] || fail "$1: left on the server: $l"
	say "$1: nothing of ours left on the server"
}

# connect: the reference client dials our server (again).
connect() {
	ref_client_connect || fail "IKE did not come up ($1)"
	check_connected
	case $SERVER_TUN_IF in
	ppp*)	;;
	*)	fail "server tunnel on $SERVER_TUN_IF, expected a pppN" ;;
	esac
}

# The reference client, after our server went: forget the old call so
# the next `c vpn` dials anew.
client_reset() {
	on client swanctl --terminate --ike l2tp >/dev/null 2>&1 || true
	echo "d vpn" >"$(side_path client /run/xl2tpd/l2tp-control)" || true
	wait_until 20 test -z "$(tunnel_if client)" ||
	    say "client: ppp0 still up after our server went"
}

server_setup() {
	OURS_DATAPLANE=kernel
	ours_server_config
	grep -q '^dataplane kernel$' \
	    "$(side_path server /etc/l2tpsecd/l2tpsecd.conf)" ||
	    fail "could not switch the config to dataplane kernel"
	SYSCTLS_BEFORE=$(server_sysctls)
	server_run
}

client_setup() {
	ref_client_start
}

check() {
	local out pids

	# ---- 1: a session over the kernel data path, then SIGTERM
	connect "first"
	[ "$CLIENT_TUN_IF" = ppp0 ] ||
	    fail "client tunnel on $CLIENT_TUN_IF, expected ppp0"
	[ -n "$(ip -n server xfrm state)" ] ||
	    fail "no XFRM state on our (kernel) side"
	out=$(ctl server show status 2>&1) || fail "show status: $out"
	echo "$out"
	grep -q "data plane kernel" <<<"$out" ||
	    fail "show status does not say data plane kernel"
	grep -q '^datapath ' <<<"$out" &&
	    fail "a datapath child runs with the kernel data path"
	out=$(ctl server show sessions 2>&1) ||
	    fail "l2tpsecctl show sessions failed: $out"
	echo "$out"
	grep -qw "$VPN_USER" <<<"$out" ||
	    fail "show sessions does not list $VPN_USER"
	out=$(ctl server -j show sessions 2>&1) ||
	    fail "l2tpsecctl -j show sessions failed: $out"
	grep -Eq "\"ifname\": *\"$SERVER_TUN_IF\"" <<<"$out" ||
	    fail "show sessions does not name $SERVER_TUN_IF: $out"
	out=$(ctl server show sa 2>&1) || fail "show sa: $out"
	echo "$out"
	mark session

	pids=$(server_pids | awk '{ print $2 }' | tr '\n' ' ')
	say "SIGTERM to our server (parent $(pid_of parent))"
	kill -TERM "$(pid_of parent)"
	# shellcheck disable=SC2086
	wait_until 15 gone $pids || fail "our server did not stop on SIGTERM"
	server_clean "after SIGTERM"
	mark sigterm
	client_reset

	# ---- 2: the ike child killed mid-session: the daemon stops itself
	server_run
	connect "second"
	pids=$(server_pids | awk '{ print $2 }' | tr '\n' ' ')
	say "SIGKILL to our ike child ($(pid_of ike))"
	kill -KILL "$(pid_of ike)"
	# shellcheck disable=SC2086
	wait_until 15 gone $pids ||
	    fail "our server did not stop after its ike child died"
	grep -q "ike child .* killed by signal 9" "$LOG/server-l2tpsecd-$RUN.log" ||
	    fail "the log does not say the ike child died"
	server_clean "after the ike child was killed"
	mark ike_killed
	client_reset

	# ---- 3: the parent killed mid-session; a new start cleans up
	server_run
	connect "third"
	pids=$(server_pids | awk '{ print $2 }' | tr '\n' ' ')
	say "SIGKILL to our parent ($(pid_of parent))"
	kill -KILL "$(pid_of parent)"
	# shellcheck disable=SC2086
	wait_until 15 gone $pids ||
	    fail "our children did not end after the parent was killed"
	say "after the parent's SIGKILL: $(server_leftovers | tr '\n' ' ')"
	server_run
	grep -q "left behind" "$LOG/server-l2tpsecd-$RUN.log" ||
	    say "note: the new start did not report leftovers it removed"
	pids=$(server_pids | awk '{ print $2 }' | tr '\n' ' ')
	kill -TERM "$(pid_of parent)"
	# shellcheck disable=SC2086
	wait_until 15 gone $pids || fail "our server did not stop on SIGTERM"
	server_clean "after SIGKILL of the parent, a start and a stop"
	mark parent_killed
}
