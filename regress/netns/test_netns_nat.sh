#!/bin/bash
# shellcheck disable=SC2015
#
# Self-test of the namespace test bed (regress/lib/netns.sh): plain and NAT
# topologies, several clients behind one NAT, the daemon helpers, and that
# namespaces, daemons and temp dirs are gone after a normal exit, a failing
# exit, and SIGTERM / SIGHUP in the middle of a run.
#
# Output: "ok NAME" / "FAIL NAME: reason" / "SKIP NAME: reason"; exit 1 if
# anything failed.

LIB=$(cd "$(dirname -- "$0")/../lib" && pwd)/netns.sh
# shellcheck source-path=SCRIPTDIR/../lib source=netns.sh
. "$LIB"

tb_require_root
tb_require_cmd ip nft ping unshare nsenter

PING=(ping -n -q -c 2 -i 0.2 -W 2)

# ns_gone PREFIX: no namespace whose name starts with PREFIX- exists.
# (stderr hidden: "ip netns list" complains about namespaces that parallel
# runs delete while it lists them.)
ns_gone() {
	! { ip netns list 2>/dev/null; ls -1 /run/netns 2>/dev/null; } |
		awk '{print $1}' | grep -q -- "^$1-"
}

# Counters in the server's namespace, at prerouting/raw priority, i.e. before
# routing, conntrack and rp_filter: what source address arrives on the wire?
server_counters() {
	tb_exec server nft -f - <<-EOF
	table ip tb_count {
		counter from_lan { }
		counter from_nat { }
		chain pre {
			type filter hook prerouting priority raw; policy accept;
			ip saddr $TB_LAN_NET counter name from_lan
			ip saddr $TB_NAT_WAN_ADDR icmp type echo-request counter name from_nat
		}
	}
	EOF
}

# ---- 1. plain: client -- server ----------------------------------------
tb_setup plain
prefix=$TB_PREFIX
if [ "$(tb_addr server)" = 192.0.2.1 ] && [ "$(tb_addr client)" = 192.0.2.2 ] &&
	tb_exec client ip -4 -o addr show dev eth0 | grep -q ' 192\.0\.2\.2/24 '; then
	tb_ok plain_addresses
else
	tb_fail plain_addresses "client is not 192.0.2.2/24 or server not 192.0.2.1"
fi
if tb_exec server ip -o link show lo | grep -q 'UP' && tb_exec client ping -n -q -c1 -W1 127.0.0.1 >/dev/null; then
	tb_ok plain_loopback
else
	tb_fail plain_loopback "lo is down"
fi
if out=$(tb_exec client "${PING[@]}" "$TB_SERVER_ADDR" 2>&1); then
	tb_ok plain_ping
else
	tb_fail plain_ping "client cannot ping server: $(echo "$out" | tail -n1)"
fi
case $TB_SERVER in "l2s-$BASHPID-"*-server) tb_ok ns_names_unique ;;
*) tb_fail ns_names_unique "server namespace '$TB_SERVER' has no per-run prefix" ;; esac

# ---- daemon helpers --------------------------------------------------------
if tb_daemon_start server sleeper sh -c 'echo started; exec sleep 1000'; then
	pid=$(tb_daemon_pid sleeper)
	comm=$(cat "/proc/$pid/comm" 2>/dev/null)
	ppid=$(awk '/^PPid:/ {print $2}' "/proc/$pid/status" 2>/dev/null)
	if [ "$comm" = sleep ] && [ "$ppid" = "$BASHPID" ]; then
		tb_ok daemon_real_pid
	else
		tb_fail daemon_real_pid "pid $pid is '$comm' with parent $ppid, want sleep child of $BASHPID"
	fi
	if [ "$(readlink "/proc/$pid/ns/net")" = "$(tb_exec server readlink /proc/self/ns/net)" ]; then
		tb_ok daemon_netns
	else
		tb_fail daemon_netns "daemon is not in the server namespace"
	fi
	sock=l2s-selftest-$BASHPID.sock
	if tb_run_in server sleeper sh -c "touch /run/$sock" &&
		tb_run_in server sleeper test -e "/run/$sock" &&
		[ ! -e "/run/$sock" ] &&
		[ "$(readlink "/proc/$pid/ns/mnt")" != "$(readlink /proc/self/ns/mnt)" ] &&
		tb_run_in server sleeper ip -4 -o addr show dev eth0 | grep -q " $TB_SERVER_ADDR/"; then
		tb_ok daemon_private_run
	else
		tb_fail daemon_private_run "tb_run_in does not share the daemon's private /run"
	fi
	if tb_run_in server sleeper ip netns list 2>/dev/null | grep -q -- "$TB_SERVER"; then
		tb_ok daemon_run_netns
	else
		tb_fail daemon_run_netns "/run/netns not visible inside the daemon's /run"
	fi
	tb_wait_for 2 grep -q started "$(tb_daemon_log sleeper)" &&
		tb_ok daemon_log || tb_fail daemon_log "stdout not in $(tb_daemon_log sleeper)"
	rc=0; tb_daemon_stop sleeper || rc=$?
	if [ "$rc" -eq 143 ] && [ ! -e "/proc/$pid" ]; then
		tb_ok daemon_stop_term
	else
		tb_fail daemon_stop_term "exit status $rc (want 143), /proc/$pid exists: $([ -e "/proc/$pid" ] && echo yes || echo no)"
	fi
else
	tb_fail daemon_start "could not start sleep"
fi
if tb_daemon_start server stubborn sh -c 'trap "" TERM; exec sleep 1000'; then
	pid=$(tb_daemon_pid stubborn)
	start=$SECONDS
	rc=0; tb_daemon_stop stubborn 1 2>/dev/null || rc=$?
	if [ "$rc" -eq 137 ] && [ ! -e "/proc/$pid" ] && [ $((SECONDS - start)) -le 3 ]; then
		tb_ok daemon_stop_kill
	else
		tb_fail daemon_stop_kill "exit status $rc (want 137 after ~1 s)"
	fi
else
	tb_fail daemon_start "could not start stubborn sleep"
fi
if tb_daemon_start server broken /nonexistent/l2s-daemon 2>/dev/null; then
	tb_fail daemon_start_missing "tb_daemon_start succeeded for a missing binary"
elif ! grep -q 'command not found' "$(tb_daemon_log broken)"; then
	tb_fail daemon_start_missing "no error in $(tb_daemon_log broken)"
else
	tb_ok daemon_start_missing
fi
tb_daemon_start server leftover sleep 1000 && leftover_pid=$(tb_daemon_pid leftover)

tb_cleanup
if ns_gone "$prefix" && [ ! -e "/proc/${leftover_pid:-0}" ]; then
	tb_ok cleanup_explicit
else
	tb_fail cleanup_explicit "namespaces or daemon left after tb_cleanup"
fi

# ---- 2. nat: client -- nat -- server, source rewritten ---------------------
tb_setup nat
if [ "$(tb_addr client)" = 198.51.100.2 ] &&
	tb_exec nat ip -4 -o addr show dev wan0 | grep -q ' 192\.0\.2\.2/24 ' &&
	tb_exec nat ip -4 -o addr show dev lan0 | grep -q ' 198\.51\.100\.1/24 '; then
	tb_ok nat_addresses
else
	tb_fail nat_addresses "unexpected addresses"
fi
if tb_exec nat nft list table ip tb_nat >/dev/null 2>&1 &&
	! tb_exec server nft list table ip tb_nat >/dev/null 2>&1 &&
	! tb_exec client nft list table ip tb_nat >/dev/null 2>&1; then
	tb_ok nat_table_scoped
else
	tb_fail nat_table_scoped "masquerade table not (only) in the nat namespace"
fi
if ! server_counters; then
	tb_fail nat_rewrite "cannot install counters in the server namespace"
elif ! out=$(tb_exec client "${PING[@]}" "$TB_SERVER_ADDR" 2>&1); then
	tb_fail nat_ping "client cannot ping server through nat: $(echo "$out" | tail -n1)"
else
	tb_ok nat_ping
	lan=$(tb_nft_counter server ip tb_count from_lan)
	nat=$(tb_nft_counter server ip tb_count from_nat)
	if [ "${lan:-x}" = 0 ] && [ "${nat:-0}" -ge 2 ]; then
		tb_ok nat_rewrite
	else
		tb_fail nat_rewrite "server saw $nat echo requests from 192.0.2.2 and $lan packets from 198.51.100.0/24"
	fi
fi
tb_cleanup

# ---- 3. nat with 3 clients -------------------------------------------------
tb_setup nat 3
if [ "${#TB_CLIENTS[@]}" -eq 3 ] && [ "$TB_CLIENT" = "$(tb_ns client1)" ]; then
	tb_ok nat3_roles
else
	tb_fail nat3_roles "TB_CLIENTS='${TB_CLIENTS[*]}' TB_CLIENT=$TB_CLIENT"
fi
server_counters || tb_fail nat3 "cannot install counters in the server namespace"
i=0
for c in "${TB_CLIENTS[@]}"; do
	i=$((i + 1))
	want=198.51.100.$((i + 1))
	if ! tb_exec "$c" ip -4 -o addr show dev eth0 | grep -q " ${want//./\\.}/24 "; then
		tb_fail "nat3_$c" "$c does not have $want/24"
	elif out=$(tb_exec "$c" "${PING[@]}" "$TB_SERVER_ADDR" 2>&1); then
		tb_ok "nat3_$c"
	else
		tb_fail "nat3_$c" "$c cannot ping server: $(echo "$out" | tail -n1)"
	fi
done
# All three at once, too.
pids=()
for c in "${TB_CLIENTS[@]}"; do
	tb_exec "$c" "${PING[@]}" "$TB_SERVER_ADDR" >/dev/null 2>&1 &
	pids+=($!)
done
bad=0
for p in "${pids[@]}"; do wait "$p" || bad=$((bad + 1)); done
[ "$bad" -eq 0 ] && tb_ok nat3_concurrent || tb_fail nat3_concurrent "$bad of 3 concurrent pings failed"
lan=$(tb_nft_counter server ip tb_count from_lan)
nat=$(tb_nft_counter server ip tb_count from_nat)
if [ "${lan:-x}" = 0 ] && [ "${nat:-0}" -ge 12 ]; then
	tb_ok nat3_rewrite
else
	tb_fail nat3_rewrite "server saw $nat echo requests from 192.0.2.2 and $lan from 198.51.100.0/24"
fi
tb_cleanup

# ---- 4. cleanup on exit, failure and signals -------------------------------
# A child test script builds a nat test bed with a daemon, records what it
# made, and then exits or waits to be killed.  Afterwards nothing it made may
# remain, and the parent's own test bed must be untouched.
tb_setup plain
parent_server=$TB_SERVER
cat >"$TB_TMP/child.sh" <<EOF
. "$LIB"
tb_setup nat 2
tb_daemon_start server d sleep 1000 || exit 9
tb_daemon_start client2 e sleep 1000 || exit 9
echo "\$TB_PREFIX \$TB_TMP \$(tb_daemon_pid d) \$(tb_daemon_pid e)" >"\$1.tmp"
mv "\$1.tmp" "\$1"
case \$2 in
normal) exit 0 ;;
fail) tb_fail child "deliberate"; exit 0 ;;
exit3) exit 3 ;;
wait) tb_sleep 60; exit 0 ;;
esac
EOF

# run_child MODE SIGNAL WANT_STATUS
run_child() {
	local mode=$1 sig=$2 want=$3 st="$TB_TMP/state.$1.$2" cpid rc=0 i
	local prefix tmp dpid epid
	bash "$TB_TMP/child.sh" "$st" "$mode" >"$TB_TMP/child.$mode.$sig.out" 2>&1 &
	cpid=$!
	for ((i = 0; i < 100; i++)); do
		[ -s "$st" ] && break
		sleep 0.1
	done
	if [ "$sig" != none ]; then
		if [ -s "$st" ]; then
			kill -s "$sig" "$cpid"
		else
			kill -KILL "$cpid"
		fi
	fi
	wait "$cpid" || rc=$?
	read -r prefix tmp dpid epid <"$st" 2>/dev/null
	local name="cleanup_${mode}_$sig"
	if [ -z "$prefix" ]; then
		tb_fail "$name" "child did not set up (status $rc): $(tail -n2 "$TB_TMP/child.$mode.$sig.out")"
	elif [ "$rc" -ne "$want" ]; then
		tb_fail "$name" "child exit status $rc, want $want"
	elif ! ns_gone "$prefix"; then
		tb_fail "$name" "namespaces left: $(ip netns list 2>/dev/null | grep -- "^$prefix-" | tr '\n' ' ')"
	elif [ -e "/proc/$dpid" ] || [ -e "/proc/$epid" ]; then
		tb_fail "$name" "daemon $dpid/$epid still running"
	elif [ -e "$tmp" ]; then
		tb_fail "$name" "temp dir $tmp left"
	else
		tb_ok "$name"
	fi
}
run_child normal none 0
run_child fail none 1
run_child exit3 none 3
run_child wait TERM 143
run_child wait HUP 129
if [ -e "/run/netns/$parent_server" ] && tb_exec client ping -n -q -c1 -W2 "$TB_SERVER_ADDR" >/dev/null; then
	tb_ok cleanup_leaves_others
else
	tb_fail cleanup_leaves_others "a child's cleanup damaged the parent's test bed"
fi

tb_done
