#!/bin/bash
# Our LAC against the reference implementation, with `require-ipsec no`:
# Debian's xl2tpd as LNS, our LAC (regress/tools/l2tp_lacgen, the daemon's
# own tunnel.c/session.c in LAC mode) dials one tunnel and one call.
#
# xl2tpd starts pppd for the call; pppd fails on this host (no /dev/ppp)
# and xl2tpd then clears the call with a CDN.  That is outside what is
# tested here, which is that the tunnel and the call come up: xl2tpd logs
# "Connection established" and "Call established" with our call's IDs.
# The lacgen runs with -a (a CDN from the peer for a call that was up is
# accepted) and -k 0 (hang up at once), so whichever CDN goes first, ours
# or xl2tpd's, the run ends with our StopCCN, which xl2tpd must log.
#
# Then tunnel authentication (RFC 2661 5.1.1): xl2tpd with `challenge =
# yes` and a secret in its auth file, us with the same secret: both
# directions are challenged and answered.  With a wrong secret on our
# side, xl2tpd's answer to our challenge does not verify and we say so.
set -u
TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/regress/lib/netns.sh"

tb_require_root
tb_require_netns
tb_require_cmd xl2tpd
B=${L2TPSECD_BUILD:-$TOP/build}
LACGEN=${L2TP_LACGEN:-$B/regress/tools/l2tp_lacgen}
[ -x "$LACGEN" ] || { tb_skip l2tp-lac "no l2tp_lacgen built (make units)"; exit 0; }
SRV=192.0.2.1 CLI=192.0.2.2
SECRET="tunnel-secret-for-the-test"

tb_setup plain

# xl2tpd_start NAME CHALLENGE: xl2tpd as LNS in the server namespace.
# The auth file's lines are "us them secret" (xl2tpd's aaa.c).
xl2tpd_start() {
	local name=$1 chal=$2 d=$TB_TMP/$1
	mkdir -p "$d"
	printf '* * %s\n' "$SECRET" >"$d/l2tp-secrets"
	chmod 0600 "$d/l2tp-secrets"
	echo "noauth" >"$d/ppp.options"
	cat >"$d/xl2tpd.conf" <<EOF2
[global]
port = 1701
access control = no
auth file = $d/l2tp-secrets
[lns default]
ip range = 10.9.0.10-10.9.0.20
local ip = 10.9.0.1
require authentication = no
challenge = $chal
hostname = xl2tpd-lns
length bit = yes
pppoptfile = $d/ppp.options
EOF2
	tb_daemon_start server "$name" xl2tpd -D -c "$d/xl2tpd.conf" \
	    -p "$d/xl2tpd.pid" -C "$d/xl2tpd.control" || return 1
	# Listening once it has said so; give it a moment either way.
	tb_wait_for 5 grep -q "Listening on IP address" "$(tb_daemon_log "$name")"
}

# lacgen TAG ARGS...: one run in the client namespace; status is its own.
lacgen() {
	local tag=$1
	shift
	tb_exec client timeout 60 "$LACGEN" -l "$CLI" -p "$SRV" -H lacgen-lac \
	    -n 1 -t 20 "$@" >"$TB_TMP/$tag.out" 2>"$TB_TMP/$tag.err"
}
field() {		# NAME FILE: a value from the lacgen's summary line
	sed -n "s/.*\\b$1=\\([0-9]*\\).*/\\1/p" "$2" | tail -n1
}
show_err() {
	grep -v "^lacgen: phase" "$TB_TMP/$1.err" | tail -n 6 | tr '\n' ' '
}

# (1) Tunnel and call, no tunnel authentication -------------------------

if xl2tpd_start lns no; then
	LOG=$(tb_daemon_log lns)
	if lacgen plain -a -k 0; then
		tb_ok l2tp-lac-run
	else
		tb_fail l2tp-lac-run "lacgen exited $?: $(show_err plain)"
	fi
	tid=$(field tunnel_id "$TB_TMP/plain.out")
	# xl2tpd's "Remote" is our ID: tunnel, then session (serial 1).
	if grep -q "Connection established to $CLI, 1701.*Remote: ${tid:-x} " "$LOG"; then
		tb_ok l2tp-lac-tunnel
	else
		tb_fail l2tp-lac-tunnel "xl2tpd saw no tunnel from us: $(tail -5 "$LOG")"
	fi
	# "session 1 up: tunnel T (xl2tpd-lns), session OURS/THEIRS"
	sid=$(sed -n 's|^lacgen: session 1 up: .*, session \([0-9]*\)/.*|\1|p' \
	    "$TB_TMP/plain.err")
	if grep -q "Call established with $CLI.*Remote: ${sid:-x}, Serial: 1" "$LOG"; then
		tb_ok l2tp-lac-call
	else
		tb_fail l2tp-lac-call "xl2tpd saw no call from us: $(tail -5 "$LOG")"
	fi
	if grep -q "^lacgen: session 1 up:" "$TB_TMP/plain.err"; then
		tb_ok l2tp-lac-call-ours
	else
		tb_fail l2tp-lac-call-ours "our side saw no call: $(show_err plain)"
	fi
	if [ "$(field state_left "$TB_TMP/plain.out")" = 0 ]; then
		tb_ok l2tp-lac-no-state
	else
		tb_fail l2tp-lac-no-state "$(cat "$TB_TMP/plain.out")"
	fi
	if tb_wait_for 5 grep -q "Connection closed to $CLI, port 1701 (load test done)" "$LOG"; then
		tb_ok l2tp-lac-stopccn
	else
		tb_fail l2tp-lac-stopccn "xl2tpd did not log our StopCCN: $(tail -5 "$LOG")"
	fi
	tb_log "xl2tpd: $(grep -c "Call established" "$LOG") call(s);" \
	    "peer CDNs accepted: $(field peer_cdns "$TB_TMP/plain.out")"
	tb_daemon_stop lns >/dev/null
else
	tb_fail l2tp-lac-xl2tpd "xl2tpd did not start"
fi

# (2) Tunnel authentication both ways, then a wrong secret ---------------

if xl2tpd_start lns-auth yes; then
	LOG=$(tb_daemon_log lns-auth)
	if lacgen auth -a -k 0 -s "$SECRET"; then
		tb_ok l2tp-lac-auth-run
	else
		tb_fail l2tp-lac-auth-run "lacgen exited $?: $(show_err auth)"
	fi
	if grep -q "Call established with $CLI" "$LOG"; then
		tb_ok l2tp-lac-auth-call
	else
		tb_fail l2tp-lac-auth-call "no call with a tunnel secret: $(tail -5 "$LOG")"
	fi

	# Our challenge in SCCRQ, answered with xl2tpd's (other) secret.
	if lacgen wrong -k 0 -s "not-$SECRET"; then
		tb_fail l2tp-lac-wrong-secret "lacgen succeeded with a wrong secret"
	elif grep -q "192.0.2.1:1701 failed tunnel authentication" "$TB_TMP/wrong.err"; then
		tb_ok l2tp-lac-wrong-secret
	else
		tb_fail l2tp-lac-wrong-secret "no clear log line: $(show_err wrong)"
	fi
	if grep -q "Call established" "$TB_TMP/wrong.err" ||
	    [ "$(field sessions_up "$TB_TMP/wrong.out")" != 0 ]; then
		tb_fail l2tp-lac-wrong-no-call "a call came up with a wrong secret"
	else
		tb_ok l2tp-lac-wrong-no-call
	fi

	# No secret at all: xl2tpd challenges us and we cannot answer.
	if lacgen none -k 0; then
		tb_fail l2tp-lac-no-secret "lacgen succeeded without the secret"
	elif grep -q "peer sent a challenge and we have no l2tp secret" "$TB_TMP/none.err"; then
		tb_ok l2tp-lac-no-secret
	else
		tb_fail l2tp-lac-no-secret "no clear log line: $(show_err none)"
	fi
	tb_daemon_stop lns-auth >/dev/null
else
	tb_fail l2tp-lac-auth-xl2tpd "xl2tpd did not start"
fi
tb_done
