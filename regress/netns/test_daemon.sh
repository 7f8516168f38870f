#!/bin/bash
# The foundation end to end: l2tpsecd -d in a network namespace of its own,
# every child demoted as DESIGN.md says, l2tpsecctl against it, reload,
# orderly stop, and a killed child taking the daemon down within 2 s with
# an audit record naming it.  Runs once per build that exists (plain, and
# ASan+UBSan), or for $L2TPSECD alone.
set -u
TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/regress/lib/netns.sh"

tb_require_root
tb_require_netns
tb_require_cmd jq

if [ -n "${L2TPSECD:-}" ]; then
	builds=("$(cd "$(dirname "$L2TPSECD")" && pwd)")
else
	builds=()
	for b in build build-san; do
		[ -x "$TOP/$b/l2tpsecd" ] && builds+=("$TOP/$b")
	done
fi
[ ${#builds[@]} -gt 0 ] || { tb_skip daemon "no l2tpsecd built (run make)"; exit 0; }
getent passwd _l2tpsecd >/dev/null ||
	{ tb_skip daemon "user _l2tpsecd missing (make user)"; exit 0; }
CHROOT=/var/lib/l2tpsecd/empty
[ -d "$CHROOT" ] || { tb_skip daemon "$CHROOT missing (make user)"; exit 0; }

write_conf() {	# write_conf FILE [extra lines]
	local f=$1
	shift
	cat >"$f" <<CONF
# written by test_daemon.sh
user _l2tpsecd
chroot "$CHROOT"
dataplane ${DATAPLANE:-userspace}
control "/run/l2tpsecd.sock"
audit "$TB_TMP/audit.log"
sandbox kill
max-sessions 100
ipsec {
	psk "not-a-real-secret-5f2a"
}
ppp {
	local 10.2.0.1
	pool 10.2.0.100 - 10.2.0.149
}
CONF
	[ $# -gt 0 ] && printf '%s\n' "$@" >>"$f"
	chmod 0600 "$f"
}

ctl() {	# ctl ARGS... : l2tpsecctl inside the daemon's /run
	tb_run_in server srv "$B/l2tpsecctl" "$@"
}

status_field() {	# status_field STATUS_STATUS_LINE PID
	awk -v k="$1:" '$1 == k { $1 = ""; sub(/^ /, ""); print }' \
	    "/proc/$2/status"
}

# check_child ROLE PID: the demotion DESIGN.md asks for, seen from outside.
check_child() {
	local role=$1 pid=$2 uid root bad=""
	uid=$(status_field Uid "$pid" | awk '{print $1, $2, $3, $4}')
	case "$uid" in
	"0 "*|*" 0 "*|*" 0") bad="$bad uid=[$uid]" ;;
	esac
	for c in CapInh CapPrm CapEff CapBnd CapAmb; do
		[ "$(status_field $c "$pid")" = 0000000000000000 ] ||
			bad="$bad $c=$(status_field $c "$pid")"
	done
	[ "$(status_field NoNewPrivs "$pid")" = 1 ] || bad="$bad NoNewPrivs"
	[ "$(status_field Seccomp "$pid")" = 2 ] || bad="$bad Seccomp"
	[ -z "$(status_field Groups "$pid")" ] || bad="$bad Groups"
	root=$(readlink "/proc/$pid/root")
	[ "$root" = "$CHROOT" ] || bad="$bad root=$root"
	if [ -z "$bad" ]; then
		tb_ok "$label-demoted-$role"
	else
		tb_fail "$label-demoted-$role" "pid $pid:$bad"
	fi
}

start_daemon() {
	tb_daemon_start server srv "$B/l2tpsecd" -d -v -f "$TB_TMP/l2tpsecd.conf"
	if ! tb_wait_for 15 ready; then
		tb_fail "$label-start" "no ready daemon within 15 s"
		return 1
	fi
}

# ready: the control socket answers and every child reports its sandbox.
ready() {
	local js
	js=$(ctl -j show status 2>/dev/null) || return 1
	[ "$(jq '[.processes[] | select(.role != "parent" and
	    .sandbox == "seccomp")] | length' <<<"$js")" = "$NCHILDREN" ]
}

audit_has() {	# audit_has JQ-FILTER
	jq -e -s "$1" "$TB_TMP/audit.log" >/dev/null 2>&1
}

for B in "${builds[@]}"; do
	label=daemon-$(basename "$B")
	export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0
	tb_setup plain
	NCHILDREN=4
	write_conf "$TB_TMP/l2tpsecd.conf"

	# -n: good and bad configurations, exit 0 and 1.
	tb_check "$label-check-config" "$B/l2tpsecd" -n -f "$TB_TMP/l2tpsecd.conf"
	write_conf "$TB_TMP/bad.conf" "bogus-keyword 1"
	if "$B/l2tpsecd" -n -f "$TB_TMP/bad.conf" 2>"$TB_TMP/bad.err"; then
		tb_fail "$label-check-bad-config" "-n accepted a bad file"
	elif grep -q "bad.conf:[0-9]*:.*bogus-keyword" "$TB_TMP/bad.err"; then
		tb_ok "$label-check-bad-config"
	else
		tb_fail "$label-check-bad-config" "error text: $(cat "$TB_TMP/bad.err")"
	fi

	start_daemon || { tb_cleanup; continue; }
	PARENT=$(tb_daemon_pid srv)
	js=$(ctl -j show status)
	# show status -j: the shape monitoring relies on.
	if jq -e '(.version | type) == "string" and (.uptime_s | type) ==
	    "number" and .dataplane == "userspace" and
	    ([.processes[].role] | sort) ==
	    ["datapath", "ike", "l2tp", "parent", "ppp"] and
	    all(.processes[]; (.pid | type) == "number" and
	    (.uid | type) == "number")' <<<"$js" >/dev/null; then
		tb_ok "$label-status-json"
	else
		tb_fail "$label-status-json" "$js"
	fi
	# The pids it reports are our parent's children, and each is demoted.
	for role in ike l2tp ppp datapath; do
		pid=$(jq -r ".processes[] | select(.role == \"$role\") | .pid" \
		    <<<"$js")
		if [ "$(awk '{print $4}' "/proc/$pid/stat" 2>/dev/null)" != \
		    "$PARENT" ]; then
			tb_fail "$label-demoted-$role" "pid $pid is not a child of $PARENT"
			continue
		fi
		check_child "$role" "$pid"
	done
	ctl show status >"$TB_TMP/status.txt" 2>&1 &&
	    grep -q "^ike .*seccomp" "$TB_TMP/status.txt" &&
	    tb_ok "$label-status-text" ||
	    tb_fail "$label-status-text" "$(cat "$TB_TMP/status.txt")"

	# Control commands: usage errors exit 2, everything is audited.
	ctl show bogus >/dev/null 2>&1
	[ $? -eq 2 ] && tb_ok "$label-ctl-usage" ||
	    tb_fail "$label-ctl-usage" "unknown command did not exit 2"
	tb_check "$label-ctl-log-verbose" ctl log verbose
	tb_check "$label-ctl-sessions-empty" \
	    bash -c "'$B/l2tpsecctl' -s /proc/$PARENT/root/run/l2tpsecd.sock -j show sessions | jq -e '.sessions == []'"
	audit_has 'any(.event == "ctl.command" and .command == "show status"
	    and .uid == 0)' && tb_ok "$label-audit-ctl" ||
	    tb_fail "$label-audit-ctl" "no ctl.command record with uid"

	# Reload: a good file applies, a broken one keeps the old in force.
	tb_check "$label-reload" ctl reload
	write_conf "$TB_TMP/l2tpsecd.conf" "max-sessions banana"
	if ctl reload >"$TB_TMP/reload.out" 2>&1; then
		tb_fail "$label-reload-broken" "a broken config reloaded"
	elif kill -0 "$PARENT" && ready; then
		tb_ok "$label-reload-broken"
	else
		tb_fail "$label-reload-broken" "daemon unhealthy after a failed reload"
	fi
	write_conf "$TB_TMP/l2tpsecd.conf"
	kill -HUP "$PARENT"
	tb_wait_for 5 audit_has '[.[] | select(.event == "daemon.reload")] |
	    length == 3' && audit_has 'map(select(.event == "daemon.reload") |
	    .result) == ["ok", "failed", "ok"]' &&
	    tb_ok "$label-audit-reload" ||
	    tb_fail "$label-audit-reload" "reload records missing"
	# No secret reaches a log or the audit trail.
	if grep -q "not-a-real-secret" "$TB_TMP"/*.log "$(tb_daemon_log srv)"; then
		tb_fail "$label-no-secret-in-logs" "the PSK appears in a log"
	else
		tb_ok "$label-no-secret-in-logs"
	fi

	# Orderly stop: exit 0, socket removed, daemon.stop recorded.
	tb_daemon_stop srv 10
	rc=$?
	[ "$rc" = 0 ] && audit_has 'any(.event == "daemon.stop" and
	    .exit_code == 0)' && tb_ok "$label-sigterm" ||
	    tb_fail "$label-sigterm" "exit status $rc"
	if pgrep -P "$PARENT" >/dev/null 2>&1; then
		tb_fail "$label-sigterm-children" "children outlived the parent"
	fi

	# A child killed: the parent exits non-zero within 2 s, audit names it.
	for victim in ike ppp; do
		: >"$TB_TMP/audit.log"
		start_daemon || break
		PARENT=$(tb_daemon_pid srv)
		vpid=$(ctl -j show status |
		    jq -r ".processes[] | select(.role == \"$victim\") | .pid")
		start=$(date +%s%N)
		kill -KILL "$vpid"
		if tb_wait_for 2 bash -c "! kill -0 $PARENT 2>/dev/null ||
		    grep -q '^Z' /proc/$PARENT/stat 2>/dev/null ||
		    awk '{exit \$3 != \"Z\"}' /proc/$PARENT/stat"; then
			ms=$(( ($(date +%s%N) - start) / 1000000 ))
			tb_daemon_stop srv 1
			rc=$?
			if [ "$rc" -ne 0 ] && [ "$rc" -lt 128 ] &&
			    audit_has "any(.event == \"child.died\" and
			    .role == \"$victim\" and .pid == $vpid)"; then
				tb_ok "$label-child-death-$victim (${ms} ms, exit $rc)"
			else
				tb_fail "$label-child-death-$victim" "exit $rc, audit: $(cat "$TB_TMP/audit.log")"
			fi
		else
			tb_fail "$label-child-death-$victim" "parent still running 2 s after SIGKILL of $victim"
			tb_daemon_stop srv 1
		fi
		if pgrep -P "$PARENT" >/dev/null 2>&1; then
			tb_fail "$label-child-death-$victim-orphans" "children left behind"
		fi
	done
	tb_cleanup
done

# Without a daemon: one line, exit 1.
out=$("${builds[0]}/l2tpsecctl" -s /nonexistent/l2tpsecd.sock show status 2>&1)
rc=$?
if [ "$rc" -eq 1 ] && [ "$(printf '%s\n' "$out" | wc -l)" -eq 1 ]; then
	tb_ok ctl-no-daemon
else
	tb_fail ctl-no-daemon "exit $rc: $out"
fi
tb_done
