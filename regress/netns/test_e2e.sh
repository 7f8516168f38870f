#!/bin/bash
# The first whole connection: our client against our server, userspace
# data path, in namespaces: IKE, L2TP, PPP, then pings through ESP both
# ways; `show sessions` on the server; the firewall table and sysctls in
# place while the server runs and gone after; plainly and through a NAT.
set -u
TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/regress/lib/netns.sh"

tb_require_root
tb_require_netns
tb_require_cmd jq ping nft
B=${L2TPSECD_BUILD:-$TOP/build}
[ -x "$B/l2tpsecd" ] || { tb_skip e2e "no l2tpsecd built"; exit 0; }

PSK=$(head -c 18 /dev/urandom | base64)
PASS=$(head -c 12 /dev/urandom | base64)

write_configs() {	# write_configs SERVER_ADDR
	printf '%s\n' "$PSK" >"$TB_TMP/psk"
	printf '%s\n' "$PASS" >"$TB_TMP/pass"
	printf 'alice * "%s" *\n' "$PASS" >"$TB_TMP/chap-secrets"
	cat >"$TB_TMP/server.conf" <<CONF
listen on $1
dataplane userspace
audit "$TB_TMP/server-audit.log"
ipsec {
	psk file "$TB_TMP/psk"
	dpd delay 5s timeout 20s
}
l2tp {
	hostname "server"
}
ppp {
	local 10.2.0.1
	pool 10.2.0.100 - 10.2.0.149
	users "$TB_TMP/chap-secrets"
}
firewall {
	wan veth0
	nat yes
	clamp-mss yes
}
CONF
	cat >"$TB_TMP/client.conf" <<CONF
dataplane userspace
audit "$TB_TMP/client-audit.log"
connection office {
	server $1
	psk file "$TB_TMP/psk"
	user alice password file "$TB_TMP/pass"
	default-route no
	autostart yes
}
CONF
	chmod 0600 "$TB_TMP"/*.conf "$TB_TMP/psk" "$TB_TMP/pass" \
	    "$TB_TMP/chap-secrets"
}

run_case() {	# run_case LABEL CLIENT_ROLE
	local label=$1 crole=$2 js ip
	write_configs 192.0.2.1
	# The server's wan interface name inside its namespace.
	wan=$(tb_exec server ip -o link show | awk -F': ' '$2 ~ /^(eth|veth|wan)/ { sub(/@.*/, "", $2); print $2; exit }')
	sed -i "s/wan veth0/wan $wan/" "$TB_TMP/server.conf"
	tb_daemon_start server srv "$B/l2tpsecd" -d -v -f "$TB_TMP/server.conf"
	tb_wait_for 10 tb_run_in server srv test -S /run/l2tpsecd.sock ||
		{ tb_fail "$label-server-start" "server did not start"; return; }
	tb_daemon_start "$crole" cli "$B/l2tpsecd" -d -v -f "$TB_TMP/client.conf"
	if tb_wait_for 30 bash -c "tb_exec() { ip netns exec \$(echo $TB_PREFIX)-\$1 \"\${@:2}\"; }; ip netns exec $(tb_ns "$crole") ip -o -4 addr show | grep -q 'l2tpsecc'"; then
		tb_ok "$label-connected"
	else
		tb_fail "$label-connected" "no tunnel interface on the client in 30 s"
		return
	fi
	ip=$(tb_exec "$crole" ip -o -4 addr show | awk '/l2tpsecc/ { sub(/\/.*/, "", $4); print $4; exit }')
	if tb_exec "$crole" ping -c 3 -i 0.2 -W 2 10.2.0.1 >/dev/null; then
		tb_ok "$label-ping-client-to-server"
	else
		tb_fail "$label-ping-client-to-server" "no reply from 10.2.0.1"
	fi
	if tb_exec server ping -c 3 -i 0.2 -W 2 "$ip" >/dev/null; then
		tb_ok "$label-ping-server-to-client"
	else
		tb_fail "$label-ping-server-to-client" "no reply from $ip"
	fi
	# The datapath reports counters every 5 s.
	sessions_ok() {
		js=$(tb_run_in server srv "$B/l2tpsecctl" -j show sessions)
		jq -e --arg ip "$ip" '.sessions | length == 1 and (.[0] |
		    .user == "alice" and .ip == $ip and .state == "up" and
		    .ifname != "" and .rx_packets >= 3 and
		    .tx_packets >= 3)' <<<"$js" >/dev/null
	}
	if tb_wait_for 8 sessions_ok; then
		tb_ok "$label-show-sessions"
	else
		tb_fail "$label-show-sessions" "$js"
	fi
	sa_ok() {
		js=$(tb_run_in server srv "$B/l2tpsecctl" -j show sa)
		jq -e '.sa | length >= 1 and (.[0].ipsec | length >= 1) and
		    (.[0].ipsec[0].packets_in > 0)' <<<"$js" >/dev/null
	}
	if tb_wait_for 8 sa_ok; then
		tb_ok "$label-esp-counters"
	else
		tb_fail "$label-esp-counters" "$js"
	fi
	if tb_exec server nft list table inet l2tpsecd >/dev/null 2>&1 &&
	    [ "$(tb_exec server cat /proc/sys/net/ipv4/ip_forward)" = 1 ]; then
		tb_ok "$label-firewall-in-place"
	else
		tb_fail "$label-firewall-in-place" "no table or ip_forward 0"
	fi
	# An nftables service restart flushes the ruleset: the daemon
	# notices and puts its table back.
	tb_exec server nft flush ruleset
	if tb_wait_for 5 tb_exec server nft list table inet l2tpsecd \
	    >/dev/null 2>&1; then
		tb_ok "$label-firewall-restored"
	else
		tb_fail "$label-firewall-restored" "table not restored in 5 s"
	fi
	tb_daemon_stop cli 10
	tb_daemon_stop srv 10
	if ! tb_exec server nft list table inet l2tpsecd >/dev/null 2>&1 &&
	    [ "$(tb_exec server cat /proc/sys/net/ipv4/ip_forward)" = 0 ] &&
	    ! tb_exec server ip link show | grep -q l2tpsec &&
	    ! tb_exec "$crole" ip link show | grep -q l2tpsec; then
		tb_ok "$label-cleaned-up"
	else
		tb_fail "$label-cleaned-up" "table, sysctl or interface left"
	fi
}

# The failures an operator meets first, with our own client.
failure_cases() {
	local js
	write_configs 192.0.2.1
	sed -i '/^firewall {/,/^}/d' "$TB_TMP/server.conf"
	tb_daemon_start server srv "$B/l2tpsecd" -d -v -f "$TB_TMP/server.conf"
	tb_wait_for 10 tb_run_in server srv test -S /run/l2tpsecd.sock ||
		{ tb_fail e2e-fail-start "server did not start"; return; }
	SLOG=$(tb_daemon_log srv)

	# A wrong password: refused by PPP, logged and audited as such.
	printf 'not-the-password\n' >"$TB_TMP/pass"
	tb_daemon_start client cli "$B/l2tpsecd" -d -v -f "$TB_TMP/client.conf"
	if tb_wait_for 20 grep -q "auth.failure" "$TB_TMP/server-audit.log" &&
	    jq -e -s 'any(.event == "auth.failure" and .user == "alice" and
	    (.peer | startswith("192.0.2.2:")) and .method == "MS-CHAPv2")' \
	    "$TB_TMP/server-audit.log" >/dev/null &&
	    grep -q "alice.*wrong password\|wrong password.*alice" "$SLOG"; then
		tb_ok e2e-wrong-password
	else
		tb_fail e2e-wrong-password "no auth.failure record or log line"
	fi
	tb_daemon_stop cli 10 >/dev/null

	# A wrong PSK: IKE fails on both sides with the reason.
	printf '%s\n' "$PASS" >"$TB_TMP/pass"
	printf 'not-the-psk\n' >"$TB_TMP/cpsk"
	chmod 0600 "$TB_TMP/cpsk"
	sed -i "s|psk file \"$TB_TMP/psk\"|psk file \"$TB_TMP/cpsk\"|" \
	    "$TB_TMP/client.conf"
	tb_daemon_start client cli "$B/l2tpsecd" -d -v -f "$TB_TMP/client.conf"
	if tb_wait_for 20 grep -q "PSK mismatch" "$SLOG" &&
	    jq -e -s 'any(.event == "ike.failed" and
	    (.reason | test("PSK")))' "$TB_TMP/server-audit.log" >/dev/null
	then
		tb_ok e2e-wrong-psk
	else
		tb_fail e2e-wrong-psk "no PSK mismatch line or ike.failed record"
	fi
	tb_daemon_stop cli 10 >/dev/null

	# disconnect user: the session drops and the client comes back.
	sed -i "s|psk file \"$TB_TMP/cpsk\"|psk file \"$TB_TMP/psk\"|" \
	    "$TB_TMP/client.conf"
	tb_daemon_start client cli "$B/l2tpsecd" -d -v -f "$TB_TMP/client.conf"
	up() {
		js=$(tb_run_in server srv "$B/l2tpsecctl" -j show sessions)
		jq -e "[.sessions[] | select(.state == \"up\") | .id] |
		    length == 1 and .[0] $1" <<<"$js" >/dev/null
	}
	if ! tb_wait_for 30 up "> 0"; then
		tb_fail e2e-disconnect-user "the client never came up"
		return
	fi
	first=$(jq '[.sessions[] | select(.state == "up") | .id][0]' <<<"$js")
	tb_run_in server srv "$B/l2tpsecctl" disconnect user alice >/dev/null
	if tb_wait_for 60 up "!= $first"; then
		tb_ok e2e-disconnect-user-reconnects
	else
		tb_fail e2e-disconnect-user-reconnects "no new session: $js"
	fi
	tb_daemon_stop cli 10 >/dev/null
	tb_daemon_stop srv 10 >/dev/null
}

tb_setup plain
run_case e2e-plain client
tb_cleanup
tb_setup nat
run_case e2e-nat client
tb_cleanup
tb_setup plain
failure_cases
tb_done
