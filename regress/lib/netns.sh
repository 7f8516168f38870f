# shellcheck shell=bash disable=SC2034,SC2016,SC2015
# (SC2034: the TB_* variables are for the sourcing test; SC2016: sh -c scripts)
#
# regress/lib/netns.sh -- network-namespace test bed for end-to-end tests.
#
# Source it from a bash test script:
#
#   . "$(dirname "$0")/../lib/netns.sh"
#   tb_setup nat 3
#   tb_exec client2 ping -c1 -W2 "$TB_SERVER_ADDR" && tb_ok reach || tb_fail reach "no reply"
#   tb_done
#
# See regress/lib/README.md for the API.  Everything this file creates lives
# inside namespaces it creates itself; nothing is configured on the host
# namespace and no traffic leaves the test bed.

if [ -n "${TB__LOADED:-}" ]; then
	return 0
fi
TB__LOADED=1

# ---- fixed topology addresses (documentation ranges, RFC 5737) ----------
TB_SERVER_ADDR=192.0.2.1	# server eth0
TB_NAT_WAN_ADDR=192.0.2.2	# nat wan0 (also the plain client's address)
TB_NAT_LAN_ADDR=198.51.100.1	# nat lan side (lan0, or br0 with N>1 clients)
TB_WAN_NET=192.0.2.0/24
TB_LAN_NET=198.51.100.0/24

TB_NAME=${TB_NAME:-$(basename -- "$0" .sh)}
TB_STOP_TIMEOUT=${TB_STOP_TIMEOUT:-5}
TB_FAILED=0
TB_MODE=
TB_NCLIENTS=0
TB_SERVER='' TB_CLIENT='' TB_NAT='' TB_TMP='' TB_PREFIX=''
TB_CLIENTS=()
declare -gA TB__NS=()		# role -> namespace name
declare -gA TB__ADDR=()		# role -> IPv4 address
declare -gA TB__DPID=()		# daemon name -> pid
declare -gA TB__DSTART=()	# daemon name -> start time (/proc/pid/stat f22)
declare -gA TB__DROLE=()	# daemon name -> role
TB__NSLIST=()			# namespaces created, in order
TB__DLIST=()			# daemons started, in order
TB__ACTIVE=0
TB__SLEEP_PID=

# ---- output protocol ------------------------------------------------------

tb_ok()   { printf 'ok %s\n' "$1"; }
tb_fail() { local n=$1; shift; printf 'FAIL %s: %s\n' "$n" "${*:-failed}"; TB_FAILED=1; }
tb_skip() { local n=$1; shift; printf 'SKIP %s: %s\n' "$n" "${*:-skipped}"; }
tb_log()  { printf '# %s\n' "$*" >&2; }

# tb_check NAME cmd... : run cmd (its stdout goes to stderr, to keep the
# result lines clean), print ok/FAIL; returns cmd's status.
tb_check() {
	local n=$1 rc=0; shift
	"$@" >&2 || rc=$?
	if [ "$rc" -eq 0 ]; then tb_ok "$n"; else tb_fail "$n" "'$*' exited $rc"; fi
	return "$rc"
}

# tb_done: clean up and exit 1 if any tb_fail was printed, else 0.
tb_done() {
	tb_cleanup
	[ "$TB_FAILED" -eq 0 ] && exit 0
	exit 1
}

# Skips end the whole test script with status 0 (a skip is not a failure).
tb_require_root() {
	if [ "$(id -u)" -ne 0 ]; then
		tb_skip "$TB_NAME" "needs root"
		exit 0
	fi
}

tb_require_cmd() {
	local c
	for c in "$@"; do
		if ! command -v "$c" >/dev/null 2>&1; then
			tb_skip "$TB_NAME" "'$c' not installed"
			exit 0
		fi
	done
}

# Can we create network namespaces at all (container without CAP_SYS_ADMIN)?
tb_require_netns() {
	if ! unshare -n true >/dev/null 2>&1; then
		tb_skip "$TB_NAME" "cannot create network namespaces"
		exit 0
	fi
}

# ---- small helpers --------------------------------------------------------

# tb_wait_for TIMEOUT cmd... : poll cmd every 0.1 s until it succeeds.
tb_wait_for() {
	local t=$1 i; shift
	for ((i = 0; i < t * 10; i++)); do
		"$@" && return 0
		sleep 0.1
	done
	"$@"
}

# tb_sleep SECS: a sleep during which trapped signals (cleanup) run at once;
# bash defers traps until a foreground child ends.
tb_sleep() {
	sleep "$1" &
	TB__SLEEP_PID=$!	# killed by tb_cleanup if a signal ends the wait
	wait "$TB__SLEEP_PID" 2>/dev/null
	TB__SLEEP_PID=
	return 0
}

tb_ns() {
	local r=$1
	if [ -z "${TB__NS[$r]:-}" ]; then
		echo "netns.sh: unknown role '$r'" >&2
		return 1
	fi
	printf '%s\n' "${TB__NS[$r]}"
}

tb_addr() {
	if [ -z "${TB__ADDR[$1]:-}" ]; then
		echo "netns.sh: no address for role '$1'" >&2
		return 1
	fi
	printf '%s\n' "${TB__ADDR[$1]}"
}

tb_exec() {
	local ns
	ns=$(tb_ns "$1") || return 125
	shift
	ip netns exec "$ns" "$@"
}

# tb_nft_counter ROLE FAMILY TABLE COUNTER: print the packet count of a
# named nftables counter in ROLE's namespace.
tb_nft_counter() {
	tb_exec "$1" nft list counter "$2" "$3" "$4" |
		sed -n 's/.*packets \([0-9][0-9]*\).*/\1/p' | head -n1
}

# ---- setup ----------------------------------------------------------------

tb__mkns() {	# role
	local ns="$TB_PREFIX-$1"
	TB__NSLIST+=("$ns")	# before creating it: a signal may come in between
	TB__NS[$1]=$ns
	ip netns add "$ns" || return 1
	ip -n "$ns" link set lo up
}

# tb__veth ROLE_A IF_A ROLE_B IF_B: veth pair created directly inside the two
# namespaces (never visible in the host namespace).
tb__veth() {
	ip -n "${TB__NS[$1]}" link add "$2" type veth peer name "$4" netns "${TB__NS[$3]}" &&
		ip -n "${TB__NS[$1]}" link set "$2" up &&
		ip -n "${TB__NS[$3]}" link set "$4" up
}

tb__addr() {	# role ifname addr/len
	ip -n "${TB__NS[$1]}" addr add "$3" dev "$2" || return 1
	TB__ADDR[$1]=${3%/*}
}

tb__sysctl() {	# role key value
	tb_exec "$1" sh -c 'echo "$2" > "/proc/sys/$1"' sh "$(echo "$2" | tr . /)" "$3"
}

# tb_setup [plain | nat [N]]
tb_setup() {
	local mode=${1:-plain} n=${2:-1} i role
	if [ "$TB__ACTIVE" = 1 ]; then
		tb__setup_failed "tb_setup called twice without tb_cleanup"
	fi
	case $mode in
	plain) n=1 ;;
	nat) case $n in '' | *[!0-9]* | 0) tb__setup_failed "bad client count '$n'" ;; esac
	     [ "$n" -le 250 ] || tb__setup_failed "at most 250 clients" ;;
	*) tb__setup_failed "unknown mode '$mode'" ;;
	esac
	tb_require_root
	tb_require_cmd ip unshare nsenter mount
	[ "$mode" = nat ] && tb_require_cmd nft
	tb_require_netns

	TB__ACTIVE=1
	trap 'tb__on_exit' EXIT
	trap 'tb__on_signal INT 130' INT
	trap 'tb__on_signal TERM 143' TERM
	trap 'tb__on_signal HUP 129' HUP

	TB_PREFIX="l2s-$BASHPID-$RANDOM"
	TB_TMP=$(mktemp -d "${TB_TMPDIR:-/tmp}/l2s-test.XXXXXX") || tb__setup_failed mktemp
	TB_MODE=$mode
	TB_NCLIENTS=$n
	TB_CLIENTS=()

	tb__mkns server || tb__setup_failed
	if [ "$mode" = plain ]; then
		tb__mkns client &&
			tb__veth server eth0 client eth0 &&
			tb__addr server eth0 "$TB_SERVER_ADDR/24" &&
			tb__addr client eth0 "$TB_NAT_WAN_ADDR/24" ||
			tb__setup_failed
		TB_CLIENTS=(client)
		TB_SERVER=${TB__NS[server]} TB_CLIENT=${TB__NS[client]} TB_NAT=
		return 0
	fi

	tb__mkns nat &&
		tb__veth server eth0 nat wan0 &&
		tb__addr server eth0 "$TB_SERVER_ADDR/24" &&
		tb__addr nat wan0 "$TB_NAT_WAN_ADDR/24" &&
		tb__sysctl nat net.ipv4.ip_forward 1 ||
		tb__setup_failed

	if [ "$n" -eq 1 ]; then
		tb__mkns client &&
			tb__veth nat lan0 client eth0 &&
			tb__addr nat lan0 "$TB_NAT_LAN_ADDR/24" &&
			tb__addr client eth0 198.51.100.2/24 &&
			ip -n "${TB__NS[client]}" route add default via "$TB_NAT_LAN_ADDR" ||
			tb__setup_failed
		TB__NS[client1]=${TB__NS[client]}
		TB__ADDR[client1]=${TB__ADDR[client]}
		TB_CLIENTS=(client)
	else
		ip -n "${TB__NS[nat]}" link add br0 type bridge forward_delay 0 stp_state 0 &&
			ip -n "${TB__NS[nat]}" link set br0 up &&
			tb__addr nat br0 "$TB_NAT_LAN_ADDR/24" ||
			tb__setup_failed
		for ((i = 1; i <= n; i++)); do
			role=client$i
			tb__mkns "$role" &&
				tb__veth nat "lan$i" "$role" eth0 &&
				ip -n "${TB__NS[nat]}" link set "lan$i" master br0 &&
				tb__addr "$role" eth0 "198.51.100.$((i + 1))/24" &&
				ip -n "${TB__NS[$role]}" route add default via "$TB_NAT_LAN_ADDR" ||
				tb__setup_failed
			TB_CLIENTS+=("$role")
		done
		TB__NS[client]=${TB__NS[client1]}
		TB__ADDR[client]=${TB__ADDR[client1]}
	fi
	TB__ADDR[nat]=$TB_NAT_WAN_ADDR

	# Masquerade everything from the LAN that leaves through wan0.
	tb_exec nat nft -f - <<-EOF || tb__setup_failed
	table ip tb_nat {
		chain postrouting {
			type nat hook postrouting priority srcnat; policy accept;
			oifname "wan0" ip saddr $TB_LAN_NET masquerade
		}
	}
	EOF
	TB_SERVER=${TB__NS[server]} TB_CLIENT=${TB__NS[client]} TB_NAT=${TB__NS[nat]}
	return 0
}

# A test bed that cannot be built is fatal: FAIL, clean up, exit 1.
tb__setup_failed() {
	tb_fail "$TB_NAME" "test bed setup failed${1:+: $1}"
	exit 1
}

# ---- daemons --------------------------------------------------------------

tb__starttime() {	# pid -> field 22 of /proc/pid/stat (empty if gone)
	local s
	s=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
	s=${s##*) }	# comm may contain spaces and parentheses
	# shellcheck disable=SC2086
	set -- $s
	printf '%s\n' "${20}"
}

# Is the recorded daemon NAME still the same live (non-zombie) process?
tb__dalive() {
	local pid=${TB__DPID[$1]:-} st s
	[ -n "$pid" ] || return 1
	s=$(cat "/proc/$pid/stat" 2>/dev/null) || return 1
	s=${s##*) }
	st=${s%% *}
	[ "$st" != Z ] && [ "$(tb__starttime "$pid")" = "${TB__DSTART[$1]}" ]
}

# The wrapper runs inside "ip netns exec" (which already gave it a mount
# namespace of its own) and unshare -m: it mounts a fresh tmpfs, rbinds the
# host's /run/netns into it, moves it onto /run, tells the parent through fd 9
# and execs the daemon -- so the PID the caller recorded is the daemon's.
TB__WRAPPER='
d=$1; shift
fail() { echo "tb_daemon_start: $*" >&2; echo fail >&9; exit 126; }
mount -n -t tmpfs -o mode=0755 tb-run "$d" || fail "mount tmpfs"
if [ -d /run/netns ]; then
	mkdir "$d/netns" && mount -n --rbind /run/netns "$d/netns" || fail "bind /run/netns"
fi
mount -n --move "$d" /run || fail "move tmpfs onto /run"
command -v "$1" >/dev/null 2>&1 || fail "$1: command not found"
echo ready >&9
exec 9>&-
exec "$@"
'

# tb_daemon_start ROLE NAME cmd...
tb_daemon_start() {
	local role=$1 name=$2 ns pid i st
	shift 2
	ns=$(tb_ns "$role") || return 1
	case $name in '' | */* | .*) echo "netns.sh: bad daemon name '$name'" >&2; return 1 ;; esac
	if [ -n "${TB__DPID[$name]:-}" ]; then
		echo "netns.sh: daemon '$name' already started" >&2
		return 1
	fi
	mkdir -p "$TB_TMP/$name.run" || return 1
	: >"$TB_TMP/$name.ready"
	ip netns exec "$ns" unshare -m --propagation slave \
		sh -c "$TB__WRAPPER" tb-wrapper "$TB_TMP/$name.run" "$@" \
		</dev/null >"$TB_TMP/$name.log" 2>&1 9>"$TB_TMP/$name.ready" &
	pid=$!
	TB__DPID[$name]=$pid
	TB__DROLE[$name]=$role
	TB__DSTART[$name]=$(tb__starttime "$pid")
	TB__DLIST+=("$name")
	for ((i = 0; i < 100; i++)); do
		read -r st <"$TB_TMP/$name.ready" 2>/dev/null || st=
		case $st in
		ready) rm -f "$TB_TMP/$name.ready"; return 0 ;;
		fail) break ;;
		esac
		if ! tb__dalive "$name"; then
			# it may have said "ready" and exited right after
			read -r st <"$TB_TMP/$name.ready" 2>/dev/null || st=
			[ "$st" = ready ] && { rm -f "$TB_TMP/$name.ready"; return 0; }
			break
		fi
		sleep 0.05
	done
	echo "netns.sh: daemon '$name' failed to start; log:" >&2
	sed 's/^/#   /' "$TB_TMP/$name.log" >&2
	tb_daemon_stop "$name" 1 >/dev/null 2>&1 || true
	return 1
}

tb_daemon_pid() {
	if [ -z "${TB__DPID[$1]:-}" ]; then
		echo "netns.sh: no daemon '$1'" >&2
		return 1
	fi
	printf '%s\n' "${TB__DPID[$1]}"
}

tb_daemon_log() { printf '%s\n' "$TB_TMP/$1.log"; }

# tb_daemon_stop NAME [TIMEOUT]: SIGTERM, wait up to TIMEOUT s (default
# $TB_STOP_TIMEOUT), then SIGKILL.  Returns the daemon's exit status
# (128+signal if killed by a signal), or 0 if it had already been reaped.
tb_daemon_stop() {
	local name=$1 t=${2:-$TB_STOP_TIMEOUT} pid i rc=0
	pid=${TB__DPID[$name]:-}
	[ -n "$pid" ] || { echo "netns.sh: no daemon '$name'" >&2; return 1; }
	if tb__dalive "$name"; then
		kill -TERM "$pid" 2>/dev/null || true
		for ((i = 0; i < t * 20; i++)); do
			tb__dalive "$name" || break
			sleep 0.05
		done
		if tb__dalive "$name"; then
			echo "netns.sh: daemon '$name' ($pid) ignored SIGTERM for ${t}s; SIGKILL" >&2
			kill -KILL "$pid" 2>/dev/null || true
		fi
	fi
	wait "$pid" 2>/dev/null || rc=$?
	unset "TB__DPID[$name]" "TB__DSTART[$name]" "TB__DROLE[$name]"
	rm -rf "$TB_TMP/$name.run" "$TB_TMP/$name.ready"
	return "$rc"
}

# tb_run_in ROLE NAME cmd...: run cmd in daemon NAME's mount namespace (its
# private /run) and ROLE's network namespace (normally the daemon's own).
tb_run_in() {
	local role=$1 name=$2 ns pid
	shift 2
	ns=$(tb_ns "$role") || return 125
	pid=$(tb_daemon_pid "$name") || return 125
	tb__dalive "$name" || { echo "netns.sh: daemon '$name' is not running" >&2; return 125; }
	nsenter -t "$pid" -m --net="/run/netns/$ns" -- "$@"
}

# ---- cleanup --------------------------------------------------------------

tb_cleanup() {
	local name ns p rc=0
	# Every step is idempotent, so a signal that interrupts an explicit
	# tb_cleanup (its trap calls tb_cleanup again) still finishes the job.
	if [ -n "${TB__SLEEP_PID:-}" ]; then
		kill "$TB__SLEEP_PID" 2>/dev/null || true
		TB__SLEEP_PID=
	fi
	for name in "${TB__DLIST[@]}"; do
		[ -n "${TB__DPID[$name]:-}" ] || continue
		tb_daemon_stop "$name" >/dev/null 2>&1 || true
	done
	if [ "$TB_FAILED" != 0 ] && [ -n "$TB_TMP" ]; then
		for name in "${TB__DLIST[@]}"; do
			[ -s "$TB_TMP/$name.log" ] || continue
			echo "# --- tail of $name.log ---" >&2
			tail -n 30 "$TB_TMP/$name.log" | sed 's/^/#   /' >&2
		done
	fi
	# Anything else still running inside our namespaces was started by this
	# test (e.g. a backgrounded ping or a daemon's child): kill it.
	for ns in "${TB__NSLIST[@]}"; do
		for p in $(ip netns pids "$ns" 2>/dev/null); do
			kill -KILL "$p" 2>/dev/null || true
		done
	done
	for ns in "${TB__NSLIST[@]}"; do
		[ -e "/run/netns/$ns" ] || continue
		ip netns del "$ns" || { rc=1; echo "netns.sh: could not delete netns $ns" >&2; }
	done
	if [ -n "$TB_TMP" ] && [ -d "$TB_TMP" ]; then
		if [ -n "${TB_KEEP_TMP:-}" ]; then
			echo "# kept $TB_TMP" >&2
		else
			rm -rf -- "$TB_TMP"
		fi
	fi
	TB__NSLIST=() TB__DLIST=() TB_CLIENTS=()
	TB__NS=() TB__ADDR=() TB__DPID=() TB__DSTART=() TB__DROLE=()
	TB_SERVER='' TB_CLIENT='' TB_NAT='' TB_TMP='' TB_MODE='' TB_NCLIENTS=0
	TB__ACTIVE=0
	return "$rc"
}

tb__on_exit() {
	local rc=$?
	trap - EXIT
	tb_cleanup
	if [ "$rc" -eq 0 ] && [ "$TB_FAILED" != 0 ]; then
		rc=1
	fi
	exit "$rc"
}

tb__on_signal() {	# SIG STATUS
	trap - EXIT
	trap '' INT TERM HUP	# a second signal must not cut the cleanup short
	echo "# $TB_NAME: caught SIG$1, cleaning up" >&2
	tb_cleanup
	exit "$2"
}
