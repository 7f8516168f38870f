#!/bin/bash
# make demo: a real l2tpsecd server and a real l2tpsecd client in two
# network namespaces on this machine.  The client connects (IKE, then
# L2TP inside IPsec, then PPP), pings the server's tunnel address through
# the tunnel, the server shows the session, the client disconnects, and
# everything is torn down.  Exits 0 only if the ping went through the
# tunnel.
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
TB_NAME=demo
. "$TOP/regress/lib/netns.sh"
B=$TOP/build

say() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
info() { printf '    %s\n' "$*"; }

tb_require_root
tb_require_netns
[ -x "$B/l2tpsecd" ] || { echo "demo: build first (make)"; exit 1; }

say "Making two network namespaces joined by a virtual cable"
tb_setup plain
info "server: 192.0.2.1 (namespace $TB_SERVER)"
info "client: 192.0.2.2 (namespace $TB_CLIENT)"
info "Nothing here touches this machine's own network."

say "Writing a configuration for each side, with a random PSK and password"
PSK=$(head -c 18 /dev/urandom | base64)
PASS=$(head -c 12 /dev/urandom | base64)
printf '%s\n' "$PSK" >"$TB_TMP/psk"
printf '%s\n' "$PASS" >"$TB_TMP/pass"
printf 'alice * "%s" *\n' "$PASS" >"$TB_TMP/chap-secrets"
cat >"$TB_TMP/server.conf" <<CONF
# The server: answers L2TP/IPsec clients on 192.0.2.1.
listen on 192.0.2.1
dataplane userspace
audit "$TB_TMP/server-audit.log"
ipsec {
	psk file "$TB_TMP/psk"
}
ppp {
	local 10.2.0.1
	pool 10.2.0.100 - 10.2.0.149
	users "$TB_TMP/chap-secrets"
}
CONF
cat >"$TB_TMP/client.conf" <<CONF
# The client: dials the server as user alice.
dataplane userspace
audit "$TB_TMP/client-audit.log"
connection demo {
	server 192.0.2.1
	psk file "$TB_TMP/psk"
	user alice password file "$TB_TMP/pass"
	default-route no
	autostart no
}
CONF
chmod 0600 "$TB_TMP"/*.conf "$TB_TMP/psk" "$TB_TMP/pass" \
    "$TB_TMP/chap-secrets"
info "server: $TB_TMP/server.conf   client: $TB_TMP/client.conf"
info "(the PSK and the password are random and never printed)"

say "Starting the server daemon"
tb_daemon_start server srv "$B/l2tpsecd" -d -f "$TB_TMP/server.conf"
tb_wait_for 10 tb_run_in server srv test -S /run/l2tpsecd.sock ||
	{ echo "demo: the server did not start"; exit 1; }
tb_run_in server srv "$B/l2tpsecctl" show status | sed 's/^/    /'

say "Starting the client daemon"
tb_daemon_start client cli "$B/l2tpsecd" -d -f "$TB_TMP/client.conf"
tb_wait_for 10 tb_run_in client cli test -S /run/l2tpsecd.sock ||
	{ echo "demo: the client did not start"; exit 1; }

say "Connecting: IKE, then L2TP inside IPsec, then PPP (l2tpsecctl connect demo)"
tb_run_in client cli "$B/l2tpsecctl" connect demo | sed 's/^/    /'
if ! tb_wait_for 30 bash -c "ip netns exec $TB_CLIENT ip -o -4 addr show |
    grep -q l2tpsecc"; then
	echo "demo: the connection did not come up; the logs follow"
	exit 1
fi
addr=$(tb_exec client ip -o -4 addr show | awk '/l2tpsecc/ { sub(/\/.*/, "", $4); print $4; exit }')
info "connected: the client got $addr from the server's pool"

say "Pinging the server's tunnel address 10.2.0.1 through the tunnel"
info "(10.2.0.1 exists only inside the VPN: the client can reach it no other way)"
if ! tb_exec client ping -c 3 -i 0.3 -W 2 10.2.0.1 | sed 's/^/    /'; then
	echo "demo: the ping did not come back"
	exit 1
fi
# Counted as ESP by the server: the ping really crossed the tunnel.
sleep 5
esp=$(tb_run_in server srv "$B/l2tpsecctl" -j show sa |
    jq '[.sa[].ipsec[].packets_in] | add // 0')
info "the server decrypted $esp ESP packets from the client"

say "The server's view (l2tpsecctl show sessions)"
tb_run_in server srv "$B/l2tpsecctl" show sessions | sed 's/^/    /'

say "Disconnecting (l2tpsecctl disconnect connection demo)"
tb_run_in client cli "$B/l2tpsecctl" disconnect connection demo |
    sed 's/^/    /'
tb_wait_for 10 bash -c "! ip netns exec $TB_CLIENT ip link show |
    grep -q l2tpsecc" && info "the tunnel interface is gone"

say "Stopping both daemons and removing the namespaces"
tb_daemon_stop cli 10 >/dev/null
tb_daemon_stop srv 10 >/dev/null
tb_cleanup
if [ "${esp:-0}" -gt 0 ]; then
	say "Demo passed: the ping went through ESP, L2TP and PPP"
	exit 0
fi
say "Demo failed: no ESP traffic was counted"
exit 1
