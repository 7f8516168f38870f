#!/bin/bash
# shellcheck disable=SC2015,SC2016
# (SC2016: sh -c scripts take their values as arguments)
#
# netcfg: the nftables table `inet l2tpsecd` and the sysctls, driven by
# regress/tools/netcfg_try (the parent's calls: netcfg/nft.c,
# netcfg/sysctl.c) in namespaces of the test bed.
#
# The "nat" topology stands in for a VPN server: the nat namespace runs
# the table (wan = wan0, listen on its wan address 192.0.2.2), lan0
# plays the session interface ("lan*", like "ppp*") and the client
# behind it, 198.51.100.2, is "in the pool".  The test bed's own
# masquerade table is deleted first, so only ours can make the client's
# ping to the server (which has no route back to the pool) work.
#
#   rules      install -> `nft list table inet l2tpsecd` has the rules,
#              found by their comments; masquerade and MSS clamp only
#              when asked for; remove -> gone; other tables untouched
#   atomic     a batch the kernel refuses leaves no table, or the
#              previous table as it was; bad parameters change nothing;
#              a stale table of the same name is replaced whole
#   traffic    masquerade (ping), MSS clamp (the server sees MSS 1360 in
#              a SYN), new connections from wan into the pool dropped,
#              cleartext UDP/1701 dropped and counted, IKE counted
#   monitor    `nft flush ruleset`, a deleted rule, a flushed table ->
#              restored, with a warning; stop -> removed
#   sysctl     hardened old values set and restored exactly; a write
#              that fails (read-only bind mount) leaves the others
#              applied and restored
#
# Output: ok/FAIL/SKIP lines; exit 1 if anything failed.
set -u
TOP=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source-path=SCRIPTDIR/../lib source=netns.sh
. "$TOP/regress/lib/netns.sh"

tb_require_root
tb_require_netns
tb_require_cmd nft ping timeout
B=${L2TPSECD_BUILD:-$TOP/build}
TRY=${NETCFG_TRY:-$B/regress/tools/netcfg_try}
[ -x "$TRY" ] || { tb_skip netcfg "no netcfg_try built (make units)"; exit 0; }

WAN_ADDR=192.0.2.2		# the nat namespace's wan0: our listen address
POOL=198.51.100.2-198.51.100.20
TABLE_OPTS=(-l "$WAN_ADDR" -w wan0 -s 'lan*' -p "$POOL" -m 1400)

# ---- helpers ---------------------------------------------------------------

try() { tb_exec nat "$TRY" "$@"; }
listing() { tb_exec nat nft list table inet l2tpsecd 2>/dev/null; }
has_table() { tb_exec nat nft list table inet l2tpsecd >/dev/null 2>&1; }

# has_rule COMMENT [PATTERN]: a rule with this comment (and PATTERN) is there.
has_rule() {
	local l
	l=$(listing | grep -F "comment \"$1\"") || return 1
	[ -z "${2:-}" ] || printf '%s\n' "$l" | grep -qE -- "$2"
}

# rule_packets COMMENT: the packet counter of the rule with that comment.
rule_packets() {
	listing | grep -F "comment \"$1\"" |
		sed -n 's/.*counter packets \([0-9][0-9]*\).*/\1/p' | head -n1
}

sysctls() {	# role -> "ip_forward accept_redirects send_redirects default.send_redirects"
	tb_exec "$1" sh -c 'cd /proc/sys/net/ipv4 && echo $(cat ip_forward \
	    conf/all/accept_redirects conf/all/send_redirects \
	    conf/default/send_redirects)'
}

set_sysctls() {	# role fwd ar sr dsr
	tb_exec "$1" sh -c 'cd /proc/sys/net/ipv4 && echo "$1" >ip_forward &&
	    echo "$2" >conf/all/accept_redirects &&
	    echo "$3" >conf/all/send_redirects &&
	    echo "$4" >conf/default/send_redirects' sh "$2" "$3" "$4" "$5"
}

tb_setup nat
tb_exec nat nft delete table ip tb_nat ||
	{ tb_fail setup "cannot delete the test bed's masquerade table"; tb_done; }

# ---- rules ------------------------------------------------------------------

if try "${TABLE_OPTS[@]}" -n -c install 2>"$TB_TMP/install.err" && has_table; then
	tb_ok install
else
	tb_fail install "$(tail -n1 "$TB_TMP/install.err")"
fi
missing=
has_rule "listen on $WAN_ADDR" "ip daddr $WAN_ADDR jump listen" || missing="$missing listen"
has_rule IKE "udp dport 500 .*accept" || missing="$missing IKE"
has_rule "NAT-T: IKE and ESP in UDP (RFC 3947, 3948)" "udp dport 4500 .*accept" || missing="$missing NAT-T"
has_rule ESP "meta l4proto esp .*accept" || missing="$missing ESP"
has_rule "L2TP that did not come through IPsec" "udp dport 1701 meta ipsec missing .*drop" || missing="$missing L2TP"
has_rule "sessions out to wan" 'iifname "lan\*" oifname "wan0" .*accept' || missing="$missing out"
has_rule "replies from wan to sessions" "ct state established,related .*accept" || missing="$missing replies"
has_rule "nat: nothing else from wan into the pool" 'iifname "wan0" oifname "lan\*" .*drop' || missing="$missing wan-drop"
[ -z "$missing" ] && tb_ok rules_by_comment || tb_fail rules_by_comment "missing:$missing"
if has_rule "nat: pool $POOL behind wan" "oifname \"wan0\" ip saddr $POOL .*masquerade" &&
	listing | grep -q 'type nat hook postrouting priority srcnat'; then
	tb_ok rule_masquerade
else
	tb_fail rule_masquerade "no masquerade rule with nat on"
fi
if has_rule "clamp MSS to 1360 (MTU 1400 - 40), from sessions" \
	'iifname "lan\*" tcp flags syn / syn,rst tcp option maxseg size > 1360 .*maxseg size set 1360' &&
	has_rule "clamp MSS to 1360 (MTU 1400 - 40), to sessions" 'oifname "lan\*"'; then
	tb_ok rule_clamp_mss
else
	tb_fail rule_clamp_mss "no MSS clamp rules with clamp-mss on"
fi

# nat and clamp-mss off; require-ipsec no; another MTU.
try "${TABLE_OPTS[@]}" -C -m 1280 install 2>/dev/null || tb_fail install_plain "install failed"
if listing | grep -qE 'masquerade|maxseg|postrouting|clamp_mss|nothing else from wan'; then
	tb_fail rules_optional "masquerade/MSS/wan-drop rules without nat and clamp-mss"
else
	tb_ok rules_optional
fi
has_rule "L2TP without IPsec (require-ipsec no)" "udp dport 1701 .*accept" &&
	! listing | grep -q 'meta ipsec missing' &&
	tb_ok rule_require_ipsec_no || tb_fail rule_require_ipsec_no "cleartext L2TP not accepted"
try "${TABLE_OPTS[@]}" -c -m 1280 install 2>/dev/null
has_rule "clamp MSS to 1240 (MTU 1280 - 40), from sessions" "maxseg size set 1240" &&
	tb_ok rule_mss_from_mtu || tb_fail rule_mss_from_mtu "MSS not MTU - 40 for MTU 1280"

tb_exec nat nft add table ip bystander && tb_exec nat nft add chain ip bystander c
try remove 2>/dev/null
if ! has_table && [ "$(try present 2>/dev/null)" = absent ]; then
	tb_ok remove
else
	tb_fail remove "table still there after remove"
fi
try remove 2>/dev/null && tb_ok remove_twice || tb_fail remove_twice "second remove failed"
tb_exec nat nft list chain ip bystander c >/dev/null 2>&1 &&
	tb_ok other_tables_untouched || tb_fail other_tables_untouched "table ip bystander gone"

# ---- atomic -----------------------------------------------------------------

if try "${TABLE_OPTS[@]}" -n -c -R install 2>"$TB_TMP/reject.err"; then
	tb_fail refused_batch_no_table "install with a refused rule succeeded"
elif has_table; then
	tb_fail refused_batch_no_table "table left after a refused batch"
elif ! grep -q 'refused rule "test: a jump' "$TB_TMP/reject.err"; then
	tb_fail refused_batch_no_table "no log line naming the refused rule"
else
	tb_ok refused_batch_no_table
fi
try "${TABLE_OPTS[@]}" -n -c install 2>/dev/null
before=$(listing)
if try "${TABLE_OPTS[@]}" -R install 2>/dev/null; then
	tb_fail refused_batch_keeps_old "install with a refused rule succeeded"
elif [ "$(listing)" != "$before" ]; then
	tb_fail refused_batch_keeps_old "the previous table changed"
else
	tb_ok refused_batch_keeps_old
fi
try -l "$WAN_ADDR" -w wan0-but-far-too-long -s 'lan*' install 2>/dev/null &&
	tb_fail bad_params "a 22-character wan name was accepted" ||
	{ [ "$(listing)" = "$before" ] && tb_ok bad_params ||
	  tb_fail bad_params "the previous table changed"; }
try remove 2>/dev/null
try -w eth0 -s 'lan*' -n install 2>/dev/null && tb_fail bad_params_no_table "nat without a pool accepted"
has_table && tb_fail bad_params_no_table "table after bad parameters" || tb_ok bad_params_no_table

# A leftover of a crashed run (or someone's table of the same name).
tb_exec nat nft -f - <<'EOF'
table inet l2tpsecd {
	chain junk {
		type filter hook input priority 0; policy accept;
		counter
	}
}
EOF
if ! listing | grep -q 'chain junk'; then
	tb_fail stale_table_replaced "could not create the stale table"
elif ! try "${TABLE_OPTS[@]}" install 2>/dev/null; then
	tb_fail stale_table_replaced "install over a stale table failed"
elif listing | grep -q 'chain junk'; then
	tb_fail stale_table_replaced "the stale chain is still there"
else
	has_rule IKE && tb_ok stale_table_replaced || tb_fail stale_table_replaced "not installed"
fi
try remove 2>/dev/null

# ---- traffic and the monitor ------------------------------------------------

tb_daemon_start nat mon "$TRY" "${TABLE_OPTS[@]}" -n -c monitor
if ! tb_wait_for 5 grep -q '^ready' "$(tb_daemon_log mon)"; then
	tb_fail monitor_start "netcfg_try monitor did not get ready"
	tb_done
fi
MONLOG=$(tb_daemon_log mon)

# Counters in the server namespace (the Internet side): what arrives?
tb_exec server nft -f - <<EOF
table inet count {
	counter mss1360 { }
	counter mss_other { }
	chain pre {
		type filter hook prerouting priority raw; policy accept;
		tcp flags syn tcp option maxseg size 1360 counter name mss1360
		tcp flags syn tcp option maxseg size != 1360 counter name mss_other
	}
}
EOF
if out=$(tb_exec client ping -n -q -c 2 -i 0.2 -W 2 "$TB_SERVER_ADDR" 2>&1); then
	n=$(rule_packets "nat: pool $POOL behind wan")
	[ "${n:-0}" -ge 1 ] && tb_ok masquerade ||
		tb_fail masquerade "ping passed but the masquerade rule counted ${n:-nothing}"
else
	tb_fail masquerade "client cannot reach the server: $(echo "$out" | tail -n1)"
fi
# A SYN from the client (the veth MTU is 1500: MSS 1460); port 9 answers RST.
tb_exec client timeout 3 bash -c "exec 3<>/dev/tcp/$TB_SERVER_ADDR/9" 2>/dev/null
c=$(tb_nft_counter server inet count mss1360)
o=$(tb_nft_counter server inet count mss_other)
[ "${c:-0}" -ge 1 ] && [ "${o:-1}" = 0 ] && tb_ok mss_clamped ||
	tb_fail mss_clamped "server saw ${c:-?} SYNs with MSS 1360 and ${o:-?} with another"

# cleartext L2TP and IKE from the outside, to our listen address
tb_exec server bash -c "echo l2tp >/dev/udp/$WAN_ADDR/1701; echo ike >/dev/udp/$WAN_ADDR/500"
n=$(rule_packets "L2TP that did not come through IPsec")
[ "${n:-0}" -ge 1 ] && tb_ok cleartext_l2tp_dropped ||
	tb_fail cleartext_l2tp_dropped "the 1701 rule counted ${n:-nothing}"
n=$(rule_packets IKE)
[ "${n:-0}" -ge 1 ] && tb_ok ike_counted || tb_fail ike_counted "the IKE rule counted ${n:-nothing}"

# From the Internet into the pool: the server is given a route, still no way in.
tb_exec server ip route add 198.51.100.0/24 via "$WAN_ADDR"
if tb_exec server ping -n -q -c 1 -W 1 198.51.100.2 >/dev/null 2>&1; then
	tb_fail wan_into_pool_dropped "the server reached a pool address"
else
	n=$(rule_packets "nat: nothing else from wan into the pool")
	[ "${n:-0}" -ge 1 ] && tb_ok wan_into_pool_dropped ||
		tb_fail wan_into_pool_dropped "no reply, but the drop rule counted ${n:-nothing}"
fi
tb_exec server ip route del 198.51.100.0/24 via "$WAN_ADDR"

restored() { grep -c '^restored' "$MONLOG"; }
# shellcheck disable=SC2317  # called through tb_wait_for
restored_more() { [ "$(restored)" -gt "$1" ]; }
# restore_check NAME CMD...: CMD damages the table; the monitor restores it.
restore_check() {
	local name=$1 before_n
	shift
	before_n=$(restored)
	"$@" >/dev/null 2>&1 || { tb_fail "$name" "'$*' failed"; return; }
	if tb_wait_for 5 restored_more "$before_n" &&
		tb_wait_for 2 has_rule "nat: pool $POOL behind wan"; then
		tb_ok "$name"
	else
		tb_fail "$name" "table not restored"
	fi
}
restore_check monitor_flush_ruleset tb_exec nat nft flush ruleset
grep -q 'table inet l2tpsecd was deleted (last change by pid [0-9]* (nft)); restoring it' "$MONLOG" &&
	tb_ok monitor_warning || tb_fail monitor_warning "no warning naming nft in the log"
tb_exec client ping -n -q -c 1 -W 2 "$TB_SERVER_ADDR" >/dev/null 2>&1 &&
	tb_ok masquerade_after_restore || tb_fail masquerade_after_restore "ping failed"
h=$(tb_exec nat nft -a list chain inet l2tpsecd listen | sed -n 's/.*comment "IKE" # handle \([0-9]*\).*/\1/p')
restore_check monitor_rule_deleted tb_exec nat nft delete rule inet l2tpsecd listen handle "${h:-0}"
restore_check monitor_table_flushed tb_exec nat nft flush table inet l2tpsecd
n=$(restored)
tb_exec nat nft add table ip unrelated
tb_sleep 0.5
[ "$(restored)" = "$n" ] && tb_ok monitor_ignores_others ||
	tb_fail monitor_ignores_others "restored after a change to another table"

rc=0; tb_daemon_stop mon || rc=$?
if [ "$rc" = 0 ] && grep -q '^removed' "$MONLOG" && ! has_table; then
	tb_ok monitor_stop_removes
else
	tb_fail monitor_stop_removes "exit $rc, table there: $(has_table && echo yes || echo no)"
fi

# ---- sysctl -----------------------------------------------------------------

# A hardened host: not forwarding, ignoring redirects, but sending them.
# Switching ip_forward back off makes the kernel set accept_redirects to
# 1, so the 0 must be restored after it.
set_sysctls server 0 0 1 1
tb_daemon_start server sysctl "$TRY" sysctl
if tb_wait_for 5 grep -q '^applied$' "$(tb_daemon_log sysctl)" &&
	[ "$(sysctls server)" = "1 0 0 0" ]; then
	tb_ok sysctl_applied
else
	tb_fail sysctl_applied "values: $(sysctls server)"
fi
tb_daemon_stop sysctl >/dev/null
v=$(sysctls server)
[ "$v" = "0 0 1 1" ] && tb_ok sysctl_restored_exactly ||
	tb_fail sysctl_restored_exactly "got '$v', want '0 0 1 1'"

# default.send_redirects read-only (as in a container): the rest applies
# and is restored.
set_sysctls server 0 1 1 1
echo 1 >"$TB_TMP/ro_value"
K=/proc/sys/net/ipv4/conf/default/send_redirects
tb_daemon_start server sysctl2 sh -c "mount --bind $TB_TMP/ro_value $K &&
	mount -o remount,bind,ro $K && exec $TRY sysctl"
if tb_wait_for 5 grep -q '^applied-with-errors$' "$(tb_daemon_log sysctl2)" &&
	[ "$(sysctls server)" = "1 0 0 1" ] &&
	grep -q 'cannot set net.ipv4.conf.default.send_redirects' "$(tb_daemon_log sysctl2)"; then
	tb_ok sysctl_partial_failure
else
	tb_fail sysctl_partial_failure "values: $(sysctls server)"
fi
tb_daemon_stop sysctl2 >/dev/null
v=$(sysctls server)
[ "$v" = "0 1 1 1" ] && tb_ok sysctl_partial_restored ||
	tb_fail sysctl_partial_restored "got '$v', want '0 1 1 1'"

tb_done
