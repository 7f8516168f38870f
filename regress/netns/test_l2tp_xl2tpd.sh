#!/bin/bash
# L2TP against the reference implementation, with `require-ipsec no` (the
# IPsec half is the IKE issue's): Debian's xl2tpd as LAC sets up a tunnel
# and a call with our LNS.  xl2tpd then starts pppd, which fails on this
# host (no PPP in the kernel); that part is out of scope here.
set -u
TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/regress/lib/netns.sh"

tb_require_root
tb_require_netns
tb_require_cmd xl2tpd jq
B=${L2TPSECD_BUILD:-$TOP/build}
[ -x "$B/l2tpsecd" ] || { tb_skip l2tp-xl2tpd "no l2tpsecd built"; exit 0; }

tb_setup plain
cat >"$TB_TMP/chap-secrets" <<'EOF2'
alice * "not-used-here" *
EOF2
cat >"$TB_TMP/server.conf" <<EOF2
listen on 192.0.2.1
dataplane userspace
audit "$TB_TMP/audit.log"
ipsec {
	psk "unused-in-this-test"
}
l2tp {
	hostname "lns-under-test"
	require-ipsec no
	hello 5s
}
ppp {
	users "$TB_TMP/chap-secrets"
}
EOF2
chmod 0600 "$TB_TMP/server.conf" "$TB_TMP/chap-secrets"

cat >"$TB_TMP/xl2tpd.conf" <<EOF2
[global]
port = 1701
access control = no
[lac ours]
lns = 192.0.2.1
autodial = yes
redial = no
length bit = yes
require authentication = no
pppoptfile = $TB_TMP/ppp.options
hostname = xl2tpd-lac
EOF2
echo "noauth" >"$TB_TMP/ppp.options"

audit_has() {
	jq -e -s "$1" "$TB_TMP/audit.log" >/dev/null 2>&1
}

tb_daemon_start server srv "$B/l2tpsecd" -d -vv -f "$TB_TMP/server.conf"
tb_wait_for 10 tb_run_in server srv test -S /run/l2tpsecd.sock ||
	tb_fail l2tp-xl2tpd-start "daemon did not start"
tb_daemon_start client lac xl2tpd -D -c "$TB_TMP/xl2tpd.conf" \
    -p "$TB_TMP/xl2tpd.pid" -C "$TB_TMP/xl2tpd.control"
LACLOG=$(tb_daemon_log lac)

if tb_wait_for 15 grep -q "Connection established" "$LACLOG"; then
	tb_ok l2tp-xl2tpd-tunnel
else
	tb_fail l2tp-xl2tpd-tunnel "xl2tpd saw no tunnel: $(tail -5 "$LACLOG")"
fi
if tb_wait_for 15 grep -q "Call established" "$LACLOG"; then
	tb_ok l2tp-xl2tpd-call
else
	tb_fail l2tp-xl2tpd-call "xl2tpd saw no call: $(tail -5 "$LACLOG")"
fi
tb_wait_for 5 audit_has 'any(.event == "tunnel.up" and
    .peer == "192.0.2.2:1701" and .host == "xl2tpd-lac")' &&
    tb_ok l2tp-xl2tpd-audit-tunnel ||
    tb_fail l2tp-xl2tpd-audit-tunnel "$(cat "$TB_TMP/audit.log")"
# PPP cannot come up (xl2tpd's pppd fails here), so there is no
# session.up; the call's end is audited with its ids and result code.
tb_wait_for 5 audit_has 'any(.event == "session.down" and
    .peer == "192.0.2.2:1701" and (.tunnel | type) == "number" and
    (.l2tp_session | type) == "number" and .result == 1)' &&
    tb_ok l2tp-xl2tpd-audit-session ||
    tb_fail l2tp-xl2tpd-audit-session "$(cat "$TB_TMP/audit.log")"

# show tunnels: the operator's view of the same tunnel, text and JSON.
js=$(tb_run_in server srv "$B/l2tpsecctl" -j show tunnels)
if jq -e '.tunnels | length == 1 and (.[0] | .peer == "192.0.2.2:1701"
    and .host == "xl2tpd-lac" and .vendor == "xelerance.com" and
    .state == "established" and (.tunnel_id | type) == "number" and
    (.sessions | type) == "array")' <<<"$js" >/dev/null; then
	tb_ok l2tp-xl2tpd-show-tunnels-json
else
	tb_fail l2tp-xl2tpd-show-tunnels-json "$js"
fi
txt=$(tb_run_in server srv "$B/l2tpsecctl" show tunnels)
if grep -q '^tunnel [0-9]*/[0-9]* 192.0.2.2:1701 host "xl2tpd-lac"' <<<"$txt"; then
	tb_ok l2tp-xl2tpd-show-tunnels-text
else
	tb_fail l2tp-xl2tpd-show-tunnels-text "$txt"
fi
tb_run_in server srv "$B/l2tpsecctl" disconnect session 999999 \
    >"$TB_TMP/disc.out" 2>&1
[ $? -eq 1 ] && grep -q "no session 999999" "$TB_TMP/disc.out" &&
    tb_ok l2tp-disconnect-unknown-session ||
    tb_fail l2tp-disconnect-unknown-session "$(cat "$TB_TMP/disc.out")"

# Stopping our daemon says goodbye: xl2tpd hears a StopCCN.
tb_daemon_stop srv 10
rc=$?
[ "$rc" = 0 ] && tb_ok l2tp-xl2tpd-stop || tb_fail l2tp-xl2tpd-stop "exit $rc"
if tb_wait_for 5 grep -q "Connection closed to 192.0.2.1.*(l2tpsecd is shutting down)" "$LACLOG"; then
	tb_ok l2tp-xl2tpd-stopccn
else
	tb_fail l2tp-xl2tpd-stopccn "xl2tpd did not log our StopCCN: $(tail -5 "$LACLOG")"
fi
tb_done
