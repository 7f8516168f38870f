#!/bin/bash
# shellcheck disable=SC2086,SC2317
# (SC2086: peer lists are split on purpose; SC2317: functions run by tb_wait_for)
# IKEv1 (RFC 2409) end to end, in network namespaces on this host:
#
#  1. our initiator (a `connection` block, `l2tpsecctl connect`) against
#     our responder: Main Mode + Quick Mode, plain and through a NAT
#     (floats to 4500), `show sa` (text and -j) and audit on both sides.
#     Plain: the initiator rekeys Quick Mode (ESP lifetime 1m), DPD is
#     asked and answered, a client killed and restarted sends
#     INITIAL-CONTACT (the stale SAs go), killed again it is found dead
#     by DPD.  NAT: a second client behind the same NAT (same address,
#     other port) whose first answers are dropped (its retransmitted MM1
#     gets the stored MM2), keepalives to 4500, `disconnect peer
#     ADDR:PORT` ends one client only, `disconnect peer ADDR` the rest;
#  2. Debian's strongSwan charon as initiator (IKEv1, PSK, transport,
#     UDP/1701) against our responder for AES256-SHA1-MODP2048,
#     AES128-SHA256-ECP256 and 3DES-SHA1-MODP1024 (`legacy yes`); a
#     wrong PSK and a refused legacy proposal fail with a clear log line
#     and an audit record.  This kernel cannot install ESP, so charon
#     stops after Quick Mode 2: we check that it got it;
#  3. a flood of 10,000 first messages from many source ports does not
#     grow the ike child past a bound, and a real client connects
#     meanwhile.
#
# TEST_IKE_ONLY=1,2,3 runs a subset.  L2TPSECD_BUILD picks the build.
set -u
TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/regress/lib/netns.sh"

tb_require_root
tb_require_netns
tb_require_cmd jq
B=${L2TPSECD_BUILD:-$TOP/build}
[ -x "$B/l2tpsecd" ] || { tb_skip ike "no l2tpsecd built"; exit 0; }
ONLY=${TEST_IKE_ONLY:-1,2,3}
want() { case ",$ONLY," in *",$1,"*) return 0 ;; esac; return 1; }

PSK="correct horse battery staple"
# Flood bound: VmRSS growth of the ike child (kB) during the flood.
FLOOD_N=10000
FLOOD_GROWTH_KB=4096

ike_pid() {	# DAEMON-NAME: the pid of its ike child
	local d p
	d=$(tb_daemon_pid "$1") || return 1
	for p in $(pgrep -P "$d"); do
		if tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null | grep -q ike; then
			echo "$p"
			return 0
		fi
	done
	return 1
}

server_conf() {	# FILE LEGACY
	local f=$1 legacy=$2
	cat >"$TB_TMP/users" <<-'EOF'
	alice * "not-used-here" *
	EOF
	cat >"$f" <<-EOF
	listen on 192.0.2.1
	dataplane userspace
	audit "$TB_TMP/audit-srv.log"
	control "/run/l2tpsecd.sock"
	ipsec {
		psk "$PSK"
		legacy $legacy
		dpd delay 5s timeout 15s
	}
	l2tp {
		hostname "lns"
	}
	ppp {
		users "$TB_TMP/users"
		# Two clients behind one NAT log in as the same user here.
		duplicate allow
	}
	EOF
	chmod 0600 "$f" "$TB_TMP/users"
}

client_conf() {	# FILE SERVER-ADDR
	cat >"$1" <<-EOF
	dataplane userspace
	audit "$TB_TMP/audit-cli.log"
	control "/run/l2tpsecd.sock"
	ipsec {
		dpd delay 5s timeout 15s
		lifetime esp 1m
	}
	connection office {
		server $2
		psk "$PSK"
		user alice password "not-used-here"
		autostart no
	}
	EOF
	chmod 0600 "$1"
}

ctl() {	# ROLE DAEMON args...
	local r=$1 d=$2
	shift 2
	tb_run_in "$r" "$d" "$B/l2tpsecctl" "$@"
}

sa_up() {	# ROLE DAEMON: one IKE SA established with one IPsec SA
	ctl "$1" "$2" -j show sa 2>/dev/null | jq -e '
	    [.. | objects | select(.state? == "established")] | length >= 1' \
	    >/dev/null 2>&1 &&
	ctl "$1" "$2" -j show sa 2>/dev/null | jq -e '
	    [.. | objects | select(has("spi_in") or has("spi_out"))] |
	    length >= 1' >/dev/null 2>&1
}

audit_has() {	# FILE JQ-EXPR
	[ -s "$1" ] && jq -e -s "$2" "$1" >/dev/null 2>&1
}

# ---- 1: our initiator against our responder -------------------------------

ours_vs_ours() {	# MODE (plain | nat)
	local mode=$1 t0 t1 js txt peer
	if [ "$mode" = nat ]; then
		tb_setup nat 2
		# NAT keepalives (RFC 3948 2.3): one octet to 4500.
		tb_exec server nft -f - <<-'EOF'
		table ip ka {
			counter keepalives { }
			chain in {
				type filter hook input priority 0; policy accept;
				udp dport 4500 udp length 9 counter name keepalives
			}
		}
		EOF
	else
		tb_setup plain
	fi
	server_conf "$TB_TMP/srv.conf" no
	client_conf "$TB_TMP/cli.conf" 192.0.2.1
	tb_daemon_start server srv "$B/l2tpsecd" -d -vv -f "$TB_TMP/srv.conf"
	tb_daemon_start client cli "$B/l2tpsecd" -d -vv -f "$TB_TMP/cli.conf"
	if ! tb_wait_for 10 tb_run_in server srv test -S /run/l2tpsecd.sock ||
	    ! tb_wait_for 10 tb_run_in client cli test -S /run/l2tpsecd.sock; then
		tb_fail "ike-$mode-start" "daemons did not start"
		tb_cleanup
		return
	fi
	sleep 0.5
	t0=$(date +%s%N)
	ctl client cli connect office >&2 ||
	    tb_fail "ike-$mode-connect" "l2tpsecctl connect failed"
	if tb_wait_for 15 sa_up client cli && tb_wait_for 5 sa_up server srv; then
		t1=$(date +%s%N)
		tb_ok "ike-$mode-established"
		tb_log "ike-$mode: main mode + quick mode in $(((t1 - t0) / 1000000)) ms"
	else
		tb_fail "ike-$mode-established" "no SAs: $(ctl client cli show sa 2>&1 | head -5)"
	fi

	if [ "$mode" = nat ]; then
		peer="192.0.2.2:"
		js=$(ctl server srv -j show sa 2>/dev/null)
		if jq -e '[.. | objects | select(.state? == "established")][0] |
		    .nat == true and (.peer | startswith("192.0.2.2:")) and
		    (.ipsec[0].udp_encap == true)' <<<"$js" >/dev/null 2>&1 &&
		    grep -q "NAT detected" "$(tb_daemon_log srv)"; then
			tb_ok "ike-nat-floated"
		else
			tb_fail "ike-nat-floated" "$js"
		fi
		js=$(ctl client cli -j show sa 2>/dev/null)
		if jq -e '[.. | objects | select(.state? == "established")][0] |
		    .peer == "192.0.2.1:4500"' <<<"$js" >/dev/null 2>&1; then
			tb_ok "ike-nat-client-4500"
		else
			tb_fail "ike-nat-client-4500" "$js"
		fi
	else
		peer="192.0.2.2:500"
	fi

	# show sa, text and JSON, both sides.
	for side in "server srv" "client cli"; do
		set -- $side
		txt=$(ctl "$1" "$2" show sa 2>&1)
		js=$(ctl "$1" "$2" -j show sa 2>&1)
		if grep -qi "established" <<<"$txt" &&
		    grep -Eqi "spi|esp" <<<"$txt" &&
		    jq -e '[.. | objects | select(.state? == "established")] |
		    length == 1' <<<"$js" >/dev/null 2>&1; then
			tb_ok "ike-$mode-show-sa-$1"
		else
			tb_fail "ike-$mode-show-sa-$1" "text: $txt json: $js"
		fi
	done
	tb_log "server show sa: $(ctl server srv show sa 2>&1 | tr '\n' '|')"
	tb_log "client show sa: $(ctl client cli show sa 2>&1 | tr '\n' '|')"

	if audit_has "$TB_TMP/audit-srv.log" "any(.event == \"ike.established\"
	    and (.peer | startswith(\"$peer\")))" &&
	    audit_has "$TB_TMP/audit-cli.log" 'any(.event == "ike.established"
	    and (.peer == "192.0.2.1:500" or .peer == "192.0.2.1:4500"))'; then
		tb_ok "ike-$mode-audit"
	else
		tb_fail "ike-$mode-audit" "$(cat "$TB_TMP"/audit-*.log 2>/dev/null | grep ike | head -5)"
	fi

	if [ "$mode" = nat ]; then
		nat_extras
	else
		lifecycle
	fi
	check_san srv cli
	tb_cleanup
}

keepalive_seen() {
	local n
	n=$(tb_nft_counter server ip ka keepalives)
	[ "${n:-0}" -ge 1 ]
}

established_peers() {	# the server's established IKE SAs' peers, sorted
	ctl server srv -j show sa 2>/dev/null | jq -r '[.. | objects |
	    select(.state? == "established") | .peer] | sort | join(" ")'
}

# Behind the NAT: a second client (same outer address, another port),
# whose first answers are lost (retransmission gets the stored reply),
# keepalives, and `disconnect peer ADDR:PORT` against one client only.
nat_extras() {
	local slog peers p2 n
	slog=$(tb_daemon_log srv)
	tb_daemon_start client2 cli2 "$B/l2tpsecd" -d -vv -f "$TB_TMP/cli.conf"
	tb_wait_for 10 tb_run_in client2 cli2 test -S /run/l2tpsecd.sock
	tb_exec client2 nft -f - <<-'EOF'
	table ip lossy {
		chain in {
			type filter hook input priority 0; policy accept;
			udp sport 500 drop
		}
	}
	EOF
	ctl client2 cli2 connect office >&2
	sleep 1.5
	tb_exec client2 nft delete table ip lossy
	if tb_wait_for 15 sa_up client2 cli2 &&
	    grep -q "retransmitted .* stored reply sent again" "$slog"; then
		tb_ok ike-nat-retransmit
		tb_log "$(grep -m1 "stored reply sent again" "$slog")"
	else
		tb_fail ike-nat-retransmit "$(grep -E 'retransmit|IKE SA' "$slog" | tail -3)"
	fi
	peers=$(established_peers)
	set -- $peers
	if [ $# = 2 ] && [ "$1" != "$2" ] && [ "${1%:*}" = 192.0.2.2 ] &&
	    [ "${2%:*}" = 192.0.2.2 ] && sa_up client cli; then
		tb_ok ike-nat-two-clients
		tb_log "two clients behind one NAT: $peers"
	else
		tb_fail ike-nat-two-clients "$peers"
	fi
	if tb_wait_for 25 keepalive_seen; then
		tb_ok ike-nat-keepalive
	else
		tb_fail ike-nat-keepalive "no 1-octet datagram to 4500 in 25 s"
	fi

	# disconnect peer ADDR:PORT: that client only.
	p2=$(grep -o "IKE SA [0-9]* established with 192.0.2.2:[0-9]*" "$slog" |
	    tail -1 | awk '{print $6}')
	ctl server srv disconnect peer "$p2" >&2
	if tb_wait_for 5 no_sa client2 cli2 && sa_up client cli &&
	    [ "$(established_peers)" != "" ] &&
	    [ "$(established_peers)" != "$peers" ]; then
		tb_ok ike-nat-disconnect-one
	else
		tb_fail ike-nat-disconnect-one "$p2: $(established_peers)"
	fi
	# disconnect peer ADDR: Delete goes out, both sides lose the SAs.
	ctl server srv disconnect peer 192.0.2.2 >&2
	if tb_wait_for 5 no_sa server srv && tb_wait_for 5 no_sa client cli &&
	    audit_has "$TB_TMP/audit-srv.log" 'any(.event == "ike.deleted")' &&
	    grep -q "deleted by the peer" "$(tb_daemon_log cli)"; then
		tb_ok ike-nat-disconnect
	else
		tb_fail ike-nat-disconnect "$(ctl client cli show sa 2>&1 | head -3)"
	fi
	check_san cli2
}

spis() {	# ROLE DAEMON: the inbound SPIs of its IPsec SAs
	ctl "$1" "$2" -j show sa 2>/dev/null |
	    jq -r '[.. | objects | select(has("spi_in")) | .spi_in] | sort | join(",")'
}

rekeyed() {	# OLD-SPIS: one IPsec SA on the server, not the old one
	local now
	now=$(spis server srv)
	[ -n "$now" ] && [ "$now" != "$1" ] && [ "${now#*,}" = "$now" ] &&
	    [ "$(spis client cli | tr ',' '\n' | wc -l)" = 1 ]
}

# After the plain handshake: Quick Mode rekey by the initiator (ESP
# lifetime 1m), DPD both ways, INITIAL-CONTACT after a client restart,
# and a dead peer found by DPD.
lifecycle() {
	local old slog clog pid
	slog=$(tb_daemon_log srv)
	old=$(spis server srv)
	if tb_wait_for 70 rekeyed "$old" &&
	    grep -q "rekeying (soft lifetime)" "$(tb_daemon_log cli)" &&
	    grep -q "deleted by the peer" "$slog"; then
		tb_ok ike-plain-qm-rekey
		tb_log "rekey: server SPIs $old -> $(spis server srv)"
	else
		tb_fail ike-plain-qm-rekey "$old -> $(spis server srv); $(grep -E 'rekey|IPsec SA' "$(tb_daemon_log cli)" | tail -4)"
	fi
	# Whichever side is idle first asks; the other's answer keeps it
	# from asking too (RFC 3706 5.5), so one direction per run.
	clog=$(tb_daemon_log cli)
	if { { grep -q "R-U-THERE-ACK" "$slog" &&
	    grep -q "R-U-THERE .* answered" "$clog"; } ||
	    { grep -q "R-U-THERE-ACK" "$clog" &&
	    grep -q "R-U-THERE .* answered" "$slog"; }; } &&
	    [ "$(grep -c "IKE SA .* deleted" "$slog")" = 0 ]; then
		tb_ok ike-plain-dpd-both-ways
	else
		tb_fail ike-plain-dpd-both-ways "$(grep -E 'R-U-THERE|dead' "$slog" | tail -3)"
	fi

	# The client dies without a word and comes back: INITIAL-CONTACT.
	pid=$(tb_daemon_pid cli)
	kill -KILL "$pid"
	tb_daemon_stop cli 1 >/dev/null 2>&1
	tb_daemon_start client cli2 "$B/l2tpsecd" -d -vv -f "$TB_TMP/cli.conf"
	tb_wait_for 10 tb_run_in client cli2 test -S /run/l2tpsecd.sock
	ctl client cli2 connect office >&2
	if tb_wait_for 15 sa_up client cli2 &&
	    tb_wait_for 5 grep -q "replaced: the peer sent INITIAL-CONTACT" "$slog" &&
	    [ "$(ctl server srv -j show sa | jq '[.. | objects | select(.state? == "established")] | length')" = 1 ]; then
		tb_ok ike-plain-initial-contact
	else
		tb_fail ike-plain-initial-contact "$(ctl server srv show sa 2>&1 | head -4)"
	fi

	# It dies again and stays dead: DPD takes its SAs down.
	pid=$(tb_daemon_pid cli2)
	kill -KILL "$pid"
	tb_daemon_stop cli2 1 >/dev/null 2>&1
	if tb_wait_for 30 no_sa server srv &&
	    grep -q "is dead (no answer to DPD" "$slog" &&
	    audit_has "$TB_TMP/audit-srv.log" 'any(.event == "ike.deleted" and
	    (.reason | startswith("dead peer")))'; then
		tb_ok ike-plain-dpd-dead-peer
		tb_log "$(grep -m1 "is dead" "$slog")"
	else
		tb_fail ike-plain-dpd-dead-peer "$(ctl server srv show sa 2>&1 | head -3)"
	fi
}

no_sa() {	# ROLE DAEMON: no established IKE SA left
	local n
	n=$(ctl "$1" "$2" -j show sa 2>/dev/null |
	    jq '[.. | objects | select(.state? == "established")] | length') || return 1
	[ "$n" = 0 ]
}

check_san() {	# DAEMON...: sanitizer reports in the logs
	local d
	for d in "$@"; do
		if grep -Eq "ERROR: (Address|Leak|Undefined)Sanitizer|runtime error:" \
		    "$(tb_daemon_log "$d")"; then
			tb_fail "ike-sanitizer-$d" "$(grep -E -m3 'Sanitizer|runtime error' "$(tb_daemon_log "$d")")"
		fi
	done
}

if want 1; then
	ours_vs_ours plain
	ours_vs_ours nat
fi

# ---- 2: strongSwan's charon as initiator ----------------------------------

CHARON=/usr/lib/ipsec/charon

charon_conf() {	# DIR: strongswan.conf with a file log
	mkdir -p "$1"
	cat >"$1/strongswan.conf" <<-EOF
	charon {
		load_modular = yes
		install_routes = no
		install_virtual_ip = no
		retransmit_tries = 3
		retransmit_timeout = 2
		plugins {
			include /etc/strongswan.d/charon/*.conf
		}
		filelog {
			t {
				path = $1/charon.log
				append = no
				flush_line = yes
				default = 1
				ike = 2
				enc = 1
				net = 1
				cfg = 1
				knl = 1
			}
		}
		syslog {
			daemon {
				default = -1
			}
		}
	}
	EOF
}

swanctl_conf() {	# FILE IKE-PROPOSAL ESP-PROPOSAL PSK
	cat >"$1" <<-EOF
	connections {
		v {
			version = 1
			local_addrs = 192.0.2.2
			remote_addrs = 192.0.2.1
			proposals = $2
			rekey_time = 0
			local {
				auth = psk
				id = 192.0.2.2
			}
			remote {
				auth = psk
				id = %any
			}
			children {
				l2tp {
					mode = transport
					local_ts = dynamic[udp/1701]
					remote_ts = dynamic[udp/1701]
					esp_proposals = $3
				}
			}
		}
	}
	secrets {
		ike-1 {
			id-a = 192.0.2.2
			id-b = %any
			secret = "$4"
		}
	}
	EOF
}

# charon_run NAME IKE ESP PSK: a fresh charon in the client namespace
# initiates once; its log ends up in $TB_TMP/NAME/charon.log.
charon_run() {
	local name=$1 d="$TB_TMP/$1"
	charon_conf "$d"
	swanctl_conf "$d/swanctl.conf" "$2" "$3" "$4"
	tb_daemon_start client "$name" env STRONGSWAN_CONF="$d/strongswan.conf" \
	    "$CHARON" || return 1
	if ! tb_wait_for 10 tb_run_in client "$name" test -S /run/charon.vici; then
		tb_log "$name: charon did not start"
		return 1
	fi
	tb_run_in client "$name" env STRONGSWAN_CONF="$d/strongswan.conf" \
	    swanctl --load-all --file "$d/swanctl.conf" >"$d/load.out" 2>&1
	tb_run_in client "$name" env STRONGSWAN_CONF="$d/strongswan.conf" \
	    timeout 40 swanctl --initiate --ike v --child l2tp \
	    >"$d/initiate.out" 2>&1
	tb_daemon_stop "$name" 5 >/dev/null 2>&1
	return 0
}

start_server() {	# NAME LEGACY
	server_conf "$TB_TMP/$1.conf" "$2"
	tb_daemon_start server "$1" "$B/l2tpsecd" -d -vv -f "$TB_TMP/$1.conf" &&
	    tb_wait_for 10 tb_run_in server "$1" test -S /run/l2tpsecd.sock
}

charon_suite() {	# TAG IKE ESP
	local tag=$1 d="$TB_TMP/charon-$1" t0 t1 clog
	t0=$(date +%s%N)
	charon_run "charon-$tag" "$2" "$3" "$PSK"
	t1=$(date +%s%N)
	clog="$d/charon.log"
	if grep -q "IKE_SA v\[[0-9]*\] established" "$clog" &&
	    grep -Eq "parsed QUICK_MODE response .*\[ HASH SA No" "$clog"; then
		tb_ok "ike-charon-$tag"
		tb_log "charon $tag: MM + QM1/QM2 in $(((t1 - t0) / 1000000)) ms" \
		    "(charon start and stop included)"
	else
		tb_fail "ike-charon-$tag" "$(grep -E 'established|QUICK_MODE|error|fail|NO_PROP' "$clog" | tail -6)"
	fi
}

charon_tests() {
	local log
	if ! command -v swanctl >/dev/null 2>&1 || [ ! -x "$CHARON" ]; then
		tb_skip ike-charon "strongSwan (strongswan-charon," \
		    "strongswan-swanctl) not installed"
		return
	fi
	tb_setup plain
	start_server srvl yes || { tb_fail ike-charon-start "server"; tb_cleanup; return; }
	charon_suite aes256-sha1-modp2048 aes256-sha1-modp2048 aes256-sha1
	charon_suite aes128-sha256-ecp256 aes128-sha256-ecp256 aes128-sha256-ecp256
	charon_suite 3des-sha1-modp1024 3des-sha1-modp1024 3des-sha1
	log=$(tb_daemon_log srvl)
	if [ "$(grep -c "IKE SA [0-9]* established with 192.0.2.2:500 as responder" "$log")" -ge 3 ] &&
	    audit_has "$TB_TMP/audit-srv.log" '[.[] | select(.event == "ike.established" and .peer == "192.0.2.2:500")] | length >= 3'; then
		tb_ok ike-charon-server-side
	else
		tb_fail ike-charon-server-side "$(grep ike: "$log" | tail -5)"
	fi

	# A wrong PSK: a clear line and an audit record.
	charon_run charon-badpsk aes256-sha1-modp2048 aes256-sha1 "not the psk"
	if grep -q "PSK mismatch" "$log" &&
	    audit_has "$TB_TMP/audit-srv.log" 'any(.event == "ike.failed" and
	    .reason == "PSK mismatch" and .peer == "192.0.2.2:500")'; then
		tb_ok ike-charon-wrong-psk
		tb_log "$(grep -m1 "PSK mismatch" "$log")"
	else
		tb_fail ike-charon-wrong-psk "$(grep ike: "$log" | tail -3)"
	fi
	check_san srvl
	tb_daemon_stop srvl >/dev/null 2>&1

	# legacy no: 3DES and MODP1024 are refused, and the log says how
	# to allow them.
	start_server srvn no || { tb_fail ike-charon-start "server"; tb_cleanup; return; }
	charon_run charon-legacy 3des-sha1-modp1024 3des-sha1 "$PSK"
	log=$(tb_daemon_log srvn)
	if grep -q "no proposal chosen: peer offered 3des-sha1-modp1024; enable \`legacy yes\`" "$log" &&
	    audit_has "$TB_TMP/audit-srv.log" 'any(.event == "ike.failed" and
	    .reason == "no proposal chosen")'; then
		tb_ok ike-charon-legacy-refused
		tb_log "$(grep -m1 "no proposal chosen" "$log")"
	else
		tb_fail ike-charon-legacy-refused "$(grep ike: "$log" | tail -3)"
	fi
	check_san srvn
	tb_cleanup
}

if want 2; then
	charon_tests
fi

# ---- 3: a flood of first messages ------------------------------------------

rss_kb() {	# PID
	awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"
}

flood_test() {
	local ipid rss0 rss1 rssmax r out fpid t0 t1
	[ -x "$B/regress/tools/ike_flood" ] ||
	    { tb_skip ike-flood "no $B/regress/tools/ike_flood (make units)"; return; }
	tb_setup plain
	# The flood comes from a second address of the client namespace
	# (one address, many ports); the real client uses the first.
	ip -n "$(tb_ns client)" addr add 192.0.2.3/24 dev eth0
	start_server srv no || { tb_fail ike-flood-start "server"; tb_cleanup; return; }
	client_conf "$TB_TMP/cli.conf" 192.0.2.1
	tb_daemon_start client cli "$B/l2tpsecd" -d -v -f "$TB_TMP/cli.conf"
	tb_wait_for 10 tb_run_in client cli test -S /run/l2tpsecd.sock ||
	    { tb_fail ike-flood-start "client"; tb_cleanup; return; }
	ipid=$(ike_pid srv) || { tb_fail ike-flood-pid "no ike child"; tb_cleanup; return; }
	rss0=$(rss_kb "$ipid")
	out="$TB_TMP/flood.out"
	tb_exec client "$B/regress/tools/ike_flood" -b 192.0.2.3 -n "$FLOOD_N" \
	    -p 500 -r 2500 192.0.2.1 >"$out" 2>&1 &
	fpid=$!
	rssmax=$rss0
	sleep 1
	# A real client connects while the flood goes on.
	t0=$(date +%s%N)
	ctl client cli connect office >&2
	if tb_wait_for 20 sa_up client cli && kill -0 "$fpid" 2>/dev/null; then
		t1=$(date +%s%N)
		tb_ok ike-flood-client-connects
		tb_log "client connected during the flood in $(((t1 - t0) / 1000000)) ms"
	elif sa_up client cli; then
		tb_fail ike-flood-client-connects "connected, but only after the flood ended"
	else
		tb_fail ike-flood-client-connects "$(grep ike: "$(tb_daemon_log cli)" | tail -3)"
	fi
	while kill -0 "$fpid" 2>/dev/null; do
		r=$(rss_kb "$ipid")
		[ "$r" -gt "$rssmax" ] && rssmax=$r
		sleep 0.2
	done
	wait "$fpid"
	rss1=$(rss_kb "$ipid")
	[ "$rss1" -gt "$rssmax" ] && rssmax=$rss1
	tb_log "flood: $(cat "$out"); ike child VmRSS ${rss0} kB before," \
	    "max ${rssmax} kB during (bound: +${FLOOD_GROWTH_KB} kB)"
	if grep -q "^sent=$FLOOD_N " "$out" &&
	    [ $((rssmax - rss0)) -le "$FLOOD_GROWTH_KB" ] &&
	    grep -q "max-half-open reached" "$(tb_daemon_log srv)"; then
		tb_ok ike-flood-memory-bounded
	else
		tb_fail ike-flood-memory-bounded "rss $rss0 -> $rssmax kB; $(cat "$out")"
	fi
	# The server still answers a fresh client after the flood.
	if sa_up server srv && kill -0 "$ipid" 2>/dev/null; then
		tb_ok ike-flood-server-alive
	else
		tb_fail ike-flood-server-alive "$(ctl server srv show sa 2>&1 | head -3)"
	fi
	check_san srv cli
	tb_cleanup
}

if want 3; then
	flood_test
fi

tb_done
