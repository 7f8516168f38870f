#!/bin/bash
# PPP end to end: our daemon as LNS (userspace data path, `require-ipsec
# no`) and regress/tools/l2tp_lacgen as the client, which runs the
# daemon's own L2TP LAC code and, with -P, the daemon's own PPP code in
# the client role on every call.  So a run is LCP, authentication and
# IPCP over real L2TP data messages through the datapath child to the
# ppp child, and back.
#
#  (1) alice logs in with MS-CHAPv2, CHAP-MD5 and PAP (the ppp block's
#      `auth`, changed by `l2tpsecctl reload`): an address from the pool;
#      `show sessions` lists her; audit auth.success and session.up;
#  (2) bob gets his static address from chap-secrets' 4th column;
#  (3) a wrong password: the client gets E=691 (MS-CHAPv2) or a PAP
#      Authenticate-Nak, the daemon logs the failure with user and peer,
#      the audit has auth.failure, and no session comes up;
#  (4) `disconnect user alice`: LCP Terminate-Request first, then the CDN;
#      no session left; session.down with its duration;
#  (5) `disconnect session ID` likewise;
#  (6) ten sessions in one tunnel (duplicate allow): ten pool addresses;
#  (7) a pool of two and three sessions: two up, the third ends with "no
#      address available", and the daemon carries on;
#  (8) duplicate replace: a second login of alice ends the first;
#  (9) SIGHUP with a new user in chap-secrets: alice's live session stays,
#      and the new user can log in.
# shellcheck disable=SC2317  # helpers called through tb_wait_for
set -u
TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/regress/lib/netns.sh"

tb_require_root
tb_require_netns
tb_require_cmd jq
B=${L2TPSECD_BUILD:-$TOP/build}
LACGEN=${L2TP_LACGEN:-$B/regress/tools/l2tp_lacgen}
[ -x "$B/l2tpsecd" ] || { tb_skip ppp-e2e "no l2tpsecd built"; exit 0; }
[ -x "$LACGEN" ] || { tb_skip ppp-e2e "no l2tp_lacgen built (make units)"; exit 0; }

SRV=192.0.2.1 CLI=192.0.2.2 CLI2=192.0.2.3
HOLD=2			# seconds a run holds its sessions for a look
LG_TIMEOUT=20		# a whole lacgen run
POOL_RE='^10\.2\.0\.10[0-9]$'
ALICE='alice:alice pass'

tb_setup plain
tb_exec client ip addr add "$CLI2/24" dev eth0 ||
    tb_fail ppp-e2e-addr "cannot add $CLI2"
USERS=$TB_TMP/chap-secrets
CONF=$TB_TMP/server.conf
AUDIT=$TB_TMP/audit.log
# A quoted secret with a space, as pppd's chap-secrets allows.
cat >"$USERS" <<'EOF2'
# client	server	secret		IP addresses
alice		*	"alice pass"	*
bob		*	bobpw		10.2.0.50
EOF2
chmod 0600 "$USERS"

# write_conf AUTH POOL_END DUPLICATE
write_conf() {
	cat >"$CONF" <<EOF2
listen on $SRV
dataplane userspace
audit "$AUDIT"
ipsec {
	psk "unused-in-this-test"
}
l2tp {
	hostname "lns-under-test"
	require-ipsec no
}
ppp {
	auth $1
	local 10.2.0.1
	pool 10.2.0.100 - 10.2.0.$2
	dns 192.0.2.53
	duplicate $3
	users "$USERS"
}
EOF2
	chmod 0600 "$CONF"
}

write_conf mschapv2 109 replace
tb_daemon_start server srv "$B/l2tpsecd" -d -v -f "$CONF"
DLOG=$(tb_daemon_log srv)
if ! tb_wait_for 10 tb_run_in server srv test -S /run/l2tpsecd.sock ||
    ! tb_wait_for 10 grep -q "ppp: 2 users, pool" "$DLOG"; then
	tb_fail ppp-e2e-start "daemon did not start"
	tb_done
fi

# Helpers ---------------------------------------------------------------

ctl() { tb_run_in server srv "$B/l2tpsecctl" "$@"; }
sessions() { ctl -j show sessions; }
no_sessions() { sessions | jq -e '.sessions | length == 0' >/dev/null 2>&1; }
srv_alive() { kill -0 "$(tb_daemon_pid srv)" 2>/dev/null; }

# Audit records since a mark (a line count), by a jq filter.
amark() { wc -l <"$AUDIT"; }
acount() {		# MARK FILTER -> how many
	tail -n +"$(($1 + 1))" "$AUDIT" | jq -s "[.[] | select($2)] | length"
}
alast() {		# MARK FILTER -> the last such record
	tail -n +"$(($1 + 1))" "$AUDIT" | jq -c "select($2)" | tail -n1
}

# lg_start TAG ADDR ARGS...: a lacgen run in the client namespace, in the
# background (the namespace's cleanup kills it if we die first); LG_PID.
lg_start() {
	local tag=$1 addr=$2
	shift 2
	: >"$TB_TMP/$tag.err"
	tb_exec client "$LACGEN" -l "$addr" -p "$SRV" -H "lacgen-$tag" \
	    -t "$LG_TIMEOUT" "$@" >"$TB_TMP/$tag.out" 2>"$TB_TMP/$tag.err" &
	LG_PID=$!
}
lg_wait() {		# PID: its exit status
	local rc=0
	wait "$1" || rc=$?
	return "$rc"
}
lg_run() {		# TAG ADDR ARGS...: in the foreground
	lg_start "$@"
	lg_wait "$LG_PID"
}
lg_up() {		# TAG: every session's PPP is up, holding
	tb_wait_for 10 grep -q "PPP up on all" "$TB_TMP/$1.err"
}
field() {		# NAME TAG: a number from the summary line
	sed -n "s/.*\\b$1=\\([0-9]*\\).*/\\1/p" "$TB_TMP/$2.out" | tail -n1
}
addresses() {		# TAG: the addresses=A,B,... of the summary line
	sed -n 's/.*\baddresses=\([0-9.,]*\).*/\1/p' "$TB_TMP/$1.out" |
	    tail -n1
}
why() {			# TAG: the lacgen's last words, for a FAIL line
	grep -v "phase\|lcp:\|ipcp:" "$TB_TMP/$1.err" | tail -n 4 |
	    tr '\n' ' '
	cat "$TB_TMP/$1.out"
}
lineno() {		# PATTERN FILE: the first line that has it, or 0
	local n
	n=$(grep -n -m1 -- "$1" "$2" | cut -d: -f1)
	echo "${n:-0}"
}

# reload_conf AUTH POOL_END DUPLICATE: `l2tpsecctl reload`, then wait for
# the ppp child to take the new users and pool (its "users, pool" line).
ppp_loads() { grep -c "ppp: .* users, pool" "$DLOG"; }
ppp_loads_over() { [ "$(ppp_loads)" -gt "$1" ]; }
reload_conf() {
	local n
	write_conf "$@"
	n=$(ppp_loads)
	if ! ctl reload >/dev/null; then
		tb_fail ppp-e2e-reload "l2tpsecctl reload failed: auth $1"
		return 1
	fi
	tb_wait_for 5 ppp_loads_over "$n" ||
	    { tb_fail ppp-e2e-reload "the ppp child did not reload"; return 1; }
}

# (1) alice with one method: up, listed, audited -----------------------

# login_check NAME METHOD: METHOD as the audit writes it.
login_check() {
	local name=$1 method=$2 tag=login-$1 mark rc=0 ip show
	mark=$(amark)
	lg_start "$tag" "$CLI" -P "$ALICE" -k "$HOLD"
	if ! lg_up "$tag"; then
		lg_wait "$LG_PID" || true
		tb_fail "ppp-e2e-$name-up" "PPP did not come up: $(why "$tag")"
		return
	fi
	ip=$(sed -n 's/.*PPP up after .*: address \([0-9.]*\),.*/\1/p' \
	    "$TB_TMP/$tag.err" | head -n1)
	if [[ $ip =~ $POOL_RE ]] &&
	    grep -q "server 10.2.0.1, dns 192.0.2.53 .*$method as \"alice\"" \
	    "$TB_TMP/$tag.err"; then
		tb_ok "ppp-e2e-$name-up"
	else
		tb_fail "ppp-e2e-$name-up" "address '$ip': $(grep "PPP up after" "$TB_TMP/$tag.err")"
	fi
	# ifname stays empty until the session has its TUN.
	show=$(sessions)
	if jq -e --arg ip "$ip" '.sessions | length == 1 and
	    (.[0] | (.id | type == "number") and .user == "alice" and
	    .peer == "192.0.2.2:1701" and .ip == $ip and .state == "up")' \
	    <<<"$show" >/dev/null; then
		tb_ok "ppp-e2e-$name-show"
	else
		tb_fail "ppp-e2e-$name-show" "$show"
	fi
	lg_wait "$LG_PID" || rc=$?
	if [ "$rc" = 0 ] && [ "$(field ppp_up "$tag")" = 1 ] &&
	    [ "$(field state_left "$tag")" = 0 ]; then
		tb_ok "ppp-e2e-$name-run"
	else
		tb_fail "ppp-e2e-$name-run" "exit $rc: $(why "$tag")"
	fi
	tb_log "$name: PPP up $(field ppp_up_ms "$tag") ms after the" \
	    "first SCCRQ, address $ip"
	if [ "$(acount "$mark" ".event == \"auth.success\" and
	    .user == \"alice\" and .peer == \"192.0.2.2:1701\" and
	    .method == \"$method\"")" = 1 ] &&
	    [ "$(acount "$mark" ".event == \"session.up\" and
	    .user == \"alice\" and .peer == \"192.0.2.2:1701\" and
	    .ip == \"$ip\"")" = 1 ]; then
		tb_ok "ppp-e2e-$name-audit"
	else
		tb_fail "ppp-e2e-$name-audit" "$(tail -n +"$((mark + 1))" "$AUDIT" | grep -v ctl.command)"
	fi
	tb_wait_for 5 no_sessions ||
	    tb_fail "ppp-e2e-$name-gone" "after the run: $(sessions)"
}

login_check mschapv2 MS-CHAPv2

# (2) bob's static address --------------------------------------------

mark=$(amark)
if lg_run bob "$CLI" -P bob:bobpw &&
    [ "$(addresses bob)" = 10.2.0.50 ] &&
    [ "$(acount "$mark" '.event == "session.up" and .user == "bob" and
    .ip == "10.2.0.50"')" = 1 ]; then
	tb_ok ppp-e2e-static
else
	tb_fail ppp-e2e-static "$(why bob)"
fi

# (3) a wrong password -------------------------------------------------

# wrong_check NAME METHOD CLIENT-SEES
wrong_check() {
	local name=$1 method=$2 sees=$3 tag=wrong-$1 mark rec
	mark=$(amark)
	if lg_run "$tag" "$CLI" -P alice:wrong -x &&
	    grep -q "the server refused authentication $sees" \
	    "$TB_TMP/$tag.err" && [ "$(field ppp_up "$tag")" = 0 ]; then
		tb_ok "ppp-e2e-$name-client"
		tb_log "$name: the client was told: $(sed -n \
		    's/.*the server refused authentication //p' \
		    "$TB_TMP/$tag.err" | head -n1)"
	else
		tb_fail "ppp-e2e-$name-client" "$(why "$tag")"
	fi
	if grep -q "192.0.2.2:1701: authentication of \"alice\" with $method failed: wrong password" \
	    "$DLOG"; then
		tb_ok "ppp-e2e-$name-log"
	else
		tb_fail "ppp-e2e-$name-log" "no failure line in the daemon's log"
	fi
	rec=$(alast "$mark" '.event == "auth.failure"')
	if jq -e --arg m "$method" '.user == "alice" and
	    .peer == "192.0.2.2:1701" and .method == $m and
	    .reason == "wrong password"' <<<"$rec" >/dev/null 2>&1 &&
	    [ "$(acount "$mark" '.event == "session.up"')" = 0 ]; then
		tb_ok "ppp-e2e-$name-audit"
	else
		tb_fail "ppp-e2e-$name-audit" "auth.failure: '$rec'; session.up: $(acount "$mark" '.event == "session.up"')"
	fi
}

wrong_check wrong-mschapv2 MS-CHAPv2 '(CHAP Failure): E=691 R=0 '

# (4), (5) the administrator ends a session ---------------------------

# admin_check NAME CTL-ARGS...: "ID" in the arguments is the session's.
admin_check() {
	local name=$1 tag=admin-$1 mark id rc=0 t c rec out args=()
	shift
	mark=$(amark)
	lg_start "$tag" "$CLI" -P "$ALICE" -k 20 -D
	if ! lg_up "$tag"; then
		lg_wait "$LG_PID" || true
		tb_fail "ppp-e2e-$name" "PPP did not come up: $(why "$tag")"
		return
	fi
	id=$(sessions | jq -r '.sessions[0].id')
	for t in "$@"; do
		[ "$t" = ID ] && t=$id
		args+=("$t")
	done
	if out=$(ctl "${args[@]}" 2>&1); then
		tb_log "l2tpsecctl ${args[*]}: $out"
	else
		tb_fail "ppp-e2e-$name-ctl" "l2tpsecctl ${args[*]}: $out"
	fi
	lg_wait "$LG_PID" || rc=$?
	# The LCP Terminate-Request first, then the LNS's CDN.
	t=$(lineno "LCP Terminate-Request from the server: disconnected by the administrator" "$TB_TMP/$tag.err")
	c=$(lineno "the LNS cleared the call" "$TB_TMP/$tag.err")
	if [ "$rc" = 0 ] && [ "$t" -gt 0 ] && [ "$c" -gt "$t" ] &&
	    [ "$(field server_ended "$tag")" = 1 ]; then
		tb_ok "ppp-e2e-$name"
	else
		tb_fail "ppp-e2e-$name" "exit $rc, Terminate-Request at line $t, CDN at line $c: $(why "$tag")"
	fi
	if tb_wait_for 5 no_sessions; then
		tb_ok "ppp-e2e-$name-gone"
	else
		tb_fail "ppp-e2e-$name-gone" "$(sessions)"
	fi
	rec=$(alast "$mark" ".event == \"session.down\" and .session == $id")
	if jq -e '.user == "alice" and .peer == "192.0.2.2:1701" and
	    (.duration_s | type == "number") and
	    (.reason | test("administrator"))' <<<"$rec" >/dev/null 2>&1; then
		tb_ok "ppp-e2e-$name-audit"
	else
		tb_fail "ppp-e2e-$name-audit" "session.down: '$rec'"
	fi
}

admin_check disconnect-user disconnect user alice
admin_check disconnect-session disconnect session ID

# (8) duplicate replace: the newer login stays ------------------------

mark=$(amark)
lg_start dup-old "$CLI" -P "$ALICE" -k 20 -D
old=$LG_PID
if lg_up dup-old; then
	lg_start dup-new "$CLI2" -P "$ALICE" -k 4
	new=$LG_PID
	rc=0
	lg_wait "$old" || rc=$?
	if [ "$rc" = 0 ] && grep -q "LCP Terminate-Request from the server: replaced by a new login of the same user" \
	    "$TB_TMP/dup-old.err"; then
		tb_ok ppp-e2e-duplicate-old-ends
	else
		tb_fail ppp-e2e-duplicate-old-ends "exit $rc: $(why dup-old)"
	fi
	show=$(sessions)
	if jq -e '.sessions | length == 1 and (.[0] | .user == "alice" and
	    .peer == "192.0.2.3:1701" and .state == "up")' <<<"$show" \
	    >/dev/null; then
		tb_ok ppp-e2e-duplicate-new-stays
	else
		tb_fail ppp-e2e-duplicate-new-stays "$show"
	fi
	rc=0
	lg_wait "$new" || rc=$?
	[ "$rc" = 0 ] || tb_fail ppp-e2e-duplicate-new-run "exit $rc: $(why dup-new)"
	if [ "$(acount "$mark" '.event == "session.down" and
	    .peer == "192.0.2.2:1701" and (.reason | test("replaced"))')" = 1 ]; then
		tb_ok ppp-e2e-duplicate-audit
	else
		tb_fail ppp-e2e-duplicate-audit "$(alast "$mark" '.event == "session.down"')"
	fi
else
	lg_wait "$old" || true
	tb_fail ppp-e2e-duplicate "the first login did not come up: $(why dup-old)"
fi
tb_wait_for 5 no_sessions || tb_fail ppp-e2e-duplicate-gone "$(sessions)"

# (9) a new user by SIGHUP, alice's session stays ------------------------

lg_start keep "$CLI" -P "$ALICE" -k 5
keep=$LG_PID
if lg_up keep; then
	ip=$(sed -n 's/.*PPP up after .*: address \([0-9.]*\),.*/\1/p' \
	    "$TB_TMP/keep.err" | head -n1)
	printf 'carol\t*\tcarolpw\t*\n' >>"$USERS"
	kill -HUP "$(tb_daemon_pid srv)"
	if tb_wait_for 5 grep -q "ppp: 3 users, pool" "$DLOG" &&
	    lg_run carol "$CLI2" -P carol:carolpw &&
	    [ "$(field ppp_up carol)" = 1 ]; then
		tb_ok ppp-e2e-reload-new-user
	else
		tb_fail ppp-e2e-reload-new-user "$(why carol)"
	fi
	show=$(sessions)
	rc=0
	lg_wait "$keep" || rc=$?
	# The lacgen fails a run whose session ends during its hold.
	if [ "$rc" = 0 ] && jq -e --arg ip "$ip" '.sessions | any(.user ==
	    "alice" and .ip == $ip and .state == "up")' <<<"$show" \
	    >/dev/null; then
		tb_ok ppp-e2e-reload-keeps-session
	else
		tb_fail ppp-e2e-reload-keeps-session "exit $rc: $(why keep); $show"
	fi
else
	lg_wait "$keep" || true
	tb_fail ppp-e2e-reload "alice did not come up: $(why keep)"
fi
tb_wait_for 5 no_sessions || tb_fail ppp-e2e-reload-gone "$(sessions)"

# (1) again with CHAP-MD5 and PAP; a wrong PAP password ----------------

reload_conf chap 109 replace && login_check chap CHAP-MD5
if reload_conf pap 109 replace; then
	login_check pap PAP
	wrong_check wrong-pap PAP '(PAP Authenticate-Nak): Authentication failed'
fi

# (6) ten sessions in one tunnel --------------------------------------

if reload_conf mschapv2 109 allow; then
	if lg_run ten "$CLI" -P "$ALICE" -n 10; then
		a=$(addresses ten)
		n=$(tr ',' '\n' <<<"$a" | grep -cE "$POOL_RE")
		d=$(tr ',' '\n' <<<"$a" | sort -u | grep -c .)
		if [ "$(field ppp_up ten)" = 10 ] && [ "$n" = 10 ] &&
		    [ "$d" = 10 ]; then
			tb_ok ppp-e2e-ten-sessions
		else
			tb_fail ppp-e2e-ten-sessions "addresses $a"
		fi
		tb_log "10 sessions: calls up $(field sessions_up_ms ten) ms," \
		    "PPP up on all $(field ppp_up_ms ten) ms after the first SCCRQ"
	else
		tb_fail ppp-e2e-ten-sessions "$(why ten)"
	fi
fi

# (7) a pool of two, three sessions -------------------------------------

if reload_conf mschapv2 101 allow; then
	rc=0
	lg_run exhaust "$CLI" -P "$ALICE" -n 3 || rc=$?
	if [ "$rc" = 1 ] && [ "$(field ppp_up exhaust)" = 2 ] &&
	    [ "$(field ppp_failed exhaust)" = 1 ] &&
	    grep -q "LCP Terminate-Request from the server: no address available" \
	    "$TB_TMP/exhaust.err" &&
	    grep -q "PPP down before it was up: .*no address available" \
	    "$TB_TMP/exhaust.err"; then
		tb_ok ppp-e2e-pool-exhausted
	else
		tb_fail ppp-e2e-pool-exhausted "exit $rc: $(why exhaust)"
	fi
	if grep -q "192.0.2.2:1701: .*no address" "$DLOG"; then
		tb_ok ppp-e2e-pool-exhausted-log
	else
		tb_fail ppp-e2e-pool-exhausted-log "the daemon did not say why"
	fi
	if srv_alive && tb_wait_for 5 no_sessions && ctl show status >/dev/null &&
	    lg_run after "$CLI" -P "$ALICE" && [ "$(field ppp_up after)" = 1 ]; then
		tb_ok ppp-e2e-pool-exhausted-healthy
	else
		tb_fail ppp-e2e-pool-exhausted-healthy "$(why after)"
	fi
fi

# (10) The per-peer limit: after 10 failed logins from one address,
# even the right password from that address is refused for a while;
# another address is not affected.
CLI3=192.0.2.4
tb_exec client ip addr add "$CLI3/24" dev eth0
for i in 1 2 3 4 5 6 7 8 9 10; do
	lg_run "bad$i" "$CLI3" -P "alice:guess$i" -x >/dev/null 2>&1
done
if tb_wait_for 5 grep -q "failed logins from 192.0.2.4:0 within" "$DLOG"; then
	tb_ok ppp-e2e-authlimit-logged
else
	tb_fail ppp-e2e-authlimit-logged "no refusal line in the log"
fi
if lg_run limited "$CLI3" -P "$ALICE" >/dev/null 2>&1; then
	tb_fail ppp-e2e-authlimit-refused "the right password got in"
elif grep -q "from 192.0.2.4:1701 refused: too many failed logins" "$DLOG"; then
	tb_ok ppp-e2e-authlimit-refused
else
	tb_fail ppp-e2e-authlimit-refused "$(why limited)"
fi
if lg_run notlimited "$CLI" -P "$ALICE" >/dev/null 2>&1; then
	tb_ok ppp-e2e-authlimit-others-fine
else
	tb_fail ppp-e2e-authlimit-others-fine "$(why notlimited)"
fi

srv_alive || tb_fail ppp-e2e-server "l2tpsecd died"
tb_daemon_stop srv 10
rc=$?
if [ "$rc" = 0 ]; then
	tb_ok ppp-e2e-stop
else
	tb_fail ppp-e2e-stop "exit $rc"
fi
tb_done
