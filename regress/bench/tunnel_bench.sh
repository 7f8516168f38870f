#!/bin/bash
# shellcheck disable=SC2317
#
# regress/bench/tunnel_bench.sh -- throughput through the userspace data
# path, our client dialling our server, against a plain forwarder over the
# same namespaces, TUN devices, UDP sockets and process layout, measured in
# the same run.  Not a test: run by hand (root), it prints a table.  See
# regress/bench/README.md.
#
#   regress/bench/tunnel_bench.sh [-d secs] [-r reps] [-s "1400 64"]
#       [-S "aes128gcm16 aes128-sha1"] [-P perfdir]
#
#   -d  seconds per flow (default 2)
#   -r  flows per direction and size; the table keeps the best (default 2)
#   -s  IPv4 packet sizes through the tunnel, at most the MTU (1400)
#   -S  ESP suites, as the `esp` keyword spells them
#   -P  also record `perf record -g` of both datapath children during
#       one extra flow per direction of the first suite at the first size
#       (and of both plain forwarders), reports into perfdir
#
# CPU placement (this is written for a 2-core machine): everything on the
# client's side -- the client daemon with its datapath child, or the
# client's plainfwd, and the udpflow there (source or sink) -- runs on
# CPU_CLIENT (0); everything on the server's side on CPU_SERVER (1).
# Override with the environment variables of those names.  For
# experiments: BLAST_NICE (the source's nice value, default 0), PLAIN_OFF
# (plainfwd -o: where packets sit in its buffers), L2TPSECD_BUILD (the
# build directory, default build/).
#
# Topology (regress/lib/netns.sh `nat`): client 198.51.100.2 -- NAT --
# 192.0.2.1 server, so ESP goes in UDP 4500 (RFC 3948) both ways, and the
# plain forwarder uses the same port pair through the same NAT.  Inner
# addresses: the server's 10.2.0.1 on l2tpsec0, the client's pool address
# on l2tpsecc0 (10.2.0.100).

set -u
TOP=$(cd "$(dirname "$0")/../.." && pwd)
TB_NAME=tunnel_bench
. "$TOP/regress/lib/netns.sh"

B=${L2TPSECD_BUILD:-$TOP/build}
SECS=2
REPS=2
SIZES="1400 64"
SUITES="aes128gcm16 aes128-sha1"
PERF_DIR=
CPU_CLIENT=${CPU_CLIENT:-0}
CPU_SERVER=${CPU_SERVER:-1}
BLAST_NICE=${BLAST_NICE:-0}
PLAIN_OFF=${PLAIN_OFF:-0}
PORT=5001
MTU=1400

usage() {
	echo "usage: $0 [-d secs] [-r reps] [-s sizes] [-S suites]" \
	    "[-P perfdir]" >&2
	exit 2
}
while getopts d:r:s:S:P: opt; do
	case $opt in
	d) SECS=$OPTARG ;;
	r) REPS=$OPTARG ;;
	s) SIZES=$OPTARG ;;
	S) SUITES=$OPTARG ;;
	P) PERF_DIR=$OPTARG ;;
	*) usage ;;
	esac
done
shift $((OPTIND - 1))
[ $# -eq 0 ] || usage
case $SECS in '' | *[!0-9]* | 0) usage ;; esac
case $REPS in '' | *[!0-9]* | 0) usage ;; esac
for s in $SIZES; do
	case $s in '' | *[!0-9]*) usage ;; esac
	if [ "$s" -lt 60 ] || [ "$s" -gt "$MTU" ]; then
		echo "$0: size $s: 60 to $MTU (the tunnel MTU)" >&2
		exit 2
	fi
done

tb_require_root
tb_require_netns
tb_require_cmd taskset nft jq awk
[ -z "$PERF_DIR" ] || tb_require_cmd perf
for f in l2tpsecd l2tpsecctl regress/tools/udpflow regress/bench/plainfwd; do
	if [ ! -x "$B/$f" ]; then
		echo "$0: $B/$f not built (make all units)" >&2
		exit 1
	fi
done
[ -z "$PERF_DIR" ] || mkdir -p "$PERF_DIR" || exit 1
PERF_DIR=${PERF_DIR:+$(cd "$PERF_DIR" && pwd)}

# The helper processes this script starts outside tb_daemon_start (sinks,
# perf): killed by PID on every way out, before the netns library's
# cleanup (which would KILL whatever else still runs in our namespaces).
BG_PIDS=()
bg_kill() {
	local p
	for p in "${BG_PIDS[@]}"; do
		kill -TERM "$p" 2>/dev/null || true
	done
	for p in "${BG_PIDS[@]}"; do
		wait "$p" 2>/dev/null || true
	done
	BG_PIDS=()
}
bench_exit() {
	local rc=$?
	trap - EXIT
	bg_kill
	tb_cleanup
	if [ "$rc" -eq 0 ] && [ "$TB_FAILED" != 0 ]; then
		rc=1
	fi
	exit "$rc"
}
bench_signal() {
	trap - EXIT
	trap '' INT TERM HUP
	echo "# $TB_NAME: caught SIG$1, cleaning up" >&2
	bg_kill
	tb_cleanup
	exit "$2"
}

tb_setup nat
# tb_setup installed the library's traps; ours also stop the helpers.
trap bench_exit EXIT
trap 'bench_signal INT 130' INT
trap 'bench_signal TERM 143' TERM
trap 'bench_signal HUP 129' HUP

SRV_OUTER=$TB_SERVER_ADDR
CLI_OUTER=$(tb_addr client)
SRV_INNER=10.2.0.1
CLI_INNER=10.2.0.100
PSK=$(head -c 18 /dev/urandom | base64)
PASS=$(head -c 12 /dev/urandom | base64)
# A snapshot of the binaries: others may rebuild the tree meanwhile.
mkdir "$TB_TMP/bin" &&
	cp "$B/l2tpsecd" "$B/l2tpsecctl" "$B/regress/tools/udpflow" \
	    "$B/regress/bench/plainfwd" "$TB_TMP/bin/" || exit 1
B=$TB_TMP/bin
UDPFLOW=$B/udpflow
PLAINFWD=$B/plainfwd
RESULTS=$TB_TMP/results

cpu_of() {	# cpu_of ROLE
	if [ "$1" = client ]; then echo "$CPU_CLIENT"; else echo "$CPU_SERVER"; fi
}

write_configs() {	# write_configs SUITE
	printf '%s\n' "$PSK" >"$TB_TMP/psk"
	printf '%s\n' "$PASS" >"$TB_TMP/pass"
	printf 'alice * "%s" *\n' "$PASS" >"$TB_TMP/chap-secrets"
	# No firewall block: the table would filter the plain runs' traffic
	# differently from the tunnel's.  No -v: logging is not measured.
	cat >"$TB_TMP/server.conf" <<-CONF
	listen on $SRV_OUTER
	dataplane userspace
	audit "$TB_TMP/server-audit.log"
	ipsec {
		psk file "$TB_TMP/psk"
		esp $1
	}
	ppp {
		local $SRV_INNER
		pool $CLI_INNER - 10.2.0.149
		mtu $MTU
		mru $MTU
		users "$TB_TMP/chap-secrets"
	}
	CONF
	cat >"$TB_TMP/client.conf" <<-CONF
	dataplane userspace
	audit "$TB_TMP/client-audit.log"
	ipsec {
		esp $1
	}
	connection bench {
		server $SRV_OUTER
		psk file "$TB_TMP/psk"
		user alice password file "$TB_TMP/pass"
		default-route no
		autostart yes
	}
	CONF
	chmod 0600 "$TB_TMP"/*.conf "$TB_TMP/psk" "$TB_TMP/pass" \
	    "$TB_TMP/chap-secrets"
}

# The datapath child of daemon NAME: `l2tpsecd -R datapath`.
dp_pid() {
	local parent p
	parent=$(tb_daemon_pid "$1") || return 1
	for p in $(cat "/proc/$parent/task/"*/children 2>/dev/null); do
		if tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null |
		    grep -q -- '-R datapath'; then
			echo "$p"
			return 0
		fi
	done
	return 1
}

client_inner_up() {
	tb_exec client ip -o -4 addr show | grep -q "inet $CLI_INNER .*l2tpsecc"
}

# sink_start ROLE ADDR: a udpflow sink on ADDR:PORT in ROLE's namespace,
# pinned to ROLE's CPU; its lines go to $TB_TMP/sink-ROLE.out.
sink_start() {
	local out=$TB_TMP/sink-$1.out
	: >"$out"
	tb_exec "$1" taskset -c "$(cpu_of "$1")" "$UDPFLOW" recv \
	    -l "$2:$PORT" -t 600 >"$out" 2>&1 &
	BG_PIDS+=($!)
	tb_wait_for 5 grep -q '^ready' "$out"
}

# perf_rec NAME PID: perf record -g of the process into
# $PERF_DIR/NAME.data, in the background until perf_stop.
PERF_PIDS=()
perf_rec() {
	perf record -q -g -o "$PERF_DIR/$1.data" -p "$2" >/dev/null 2>&1 &
	PERF_PIDS+=($!)
	BG_PIDS+=($!)
}
perf_stop() {
	local p
	for p in "${PERF_PIDS[@]}"; do
		kill -INT "$p" 2>/dev/null || true
		wait "$p" 2>/dev/null || true
	done
	PERF_PIDS=()
}

# Busy and total jiffies of each CPU, "b0 t0 b1 t1 ...".
cpu_snap() {
	awk '/^cpu[0-9]/ { printf "%d %d ", $2 + $3 + $4 + $7 + $8,
	    $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9 }' /proc/stat
}
# cpu_busy "BEFORE" "AFTER": "cpu0 N% cpu1 M%".
cpu_busy() {
	awk -v a="$1" -v b="$2" 'BEGIN { n = split(a, x); split(b, y)
	for (i = 1; i < n; i += 2) {
		t = y[i + 1] - x[i + 1]
		printf "%s%d%%", (i > 1 ? "/" : ""),
		    (t > 0 ? 100 * (y[i] - x[i]) / t : 0)
	} }'
}

# Nanoseconds PID has run (sched_info, /proc/PID/schedstat), 0 if gone.
run_ns() {
	local v
	read -r v _ <"/proc/$1/schedstat" 2>/dev/null || v=0
	echo "${v:-0}"
}

# Context switches of PID so far (voluntary + involuntary), 0 if gone.
run_csw() {
	awk '/ctxt_switches/ { n += $2 } END { print n + 0 }' \
	    "/proc/$1/status" 2>/dev/null || echo 0
}

# The forwarding processes of the current run (datapath children or
# plainfwds): their CPU time per packet delivered is the cost compared.
FWD_CPID=0
FWD_SPID=0

# flow KIND LABEL DIR SIZE: one blast of SECS seconds from one side's
# inner address to the other's, through whatever carries it now; appends
# "KIND LABEL DIR SIZE pps mbit loss% busy% us/pkt(c/s) packets" to
# $RESULTS.  udpflow blast is unpaced: it offers several times what the
# path carries, and the excess is dropped at the sending TUN, so "loss" is
# the offered load beyond capacity, not damage done by the path.
flow() {
	local kind=$1 label=$2 dir=$3 size=$4 src dst addr sinkout n0 sent
	local line pps mbit rx loss c0 busy cns sns cost ccs scs csw
	if [ "$dir" = c2s ]; then
		src=client dst=server addr=$SRV_INNER
	else
		src=server dst=client addr=$CLI_INNER
	fi
	sinkout=$TB_TMP/sink-$dst.out
	n0=$(grep -c '^flow ' "$sinkout")
	c0=$(cpu_snap)
	cns=$(run_ns "$FWD_CPID") sns=$(run_ns "$FWD_SPID")
	ccs=$(run_csw "$FWD_CPID") scs=$(run_csw "$FWD_SPID")
	# udpflow's SIZE is the UDP payload; the tunnel carries IP packets.
	sent=$(tb_exec "$src" nice -n "$BLAST_NICE" \
	    taskset -c "$(cpu_of "$src")" "$UDPFLOW" blast \
	    -c "$addr:$PORT" -d "$SECS" -s $((size - 28)) 2>&1 |
	    sed -n 's/^sent packets=\([0-9]*\) .*/\1/p')
	busy=$(cpu_busy "$c0" "$(cpu_snap)")
	cns=$(($(run_ns "$FWD_CPID") - cns)) sns=$(($(run_ns "$FWD_SPID") - sns))
	ccs=$(($(run_csw "$FWD_CPID") - ccs)) scs=$(($(run_csw "$FWD_SPID") - scs))
	tb_wait_for 3 test "$(grep -c '^flow ' "$sinkout")" -gt "$n0" || true
	line=$(grep '^flow ' "$sinkout" | tail -n +"$((n0 + 1))" | head -n 1)
	if [ -z "$line" ] || [ -z "$sent" ]; then
		tb_log "$kind $label $dir $size: no result (sent='$sent')"
		echo "$kind $label $dir $size 0 0 100 $busy - 0" >>"$RESULTS"
		return 1
	fi
	pps=$(sed 's/.* pps=\([0-9.]*\).*/\1/' <<<"$line")
	mbit=$(sed 's/.* mbit_s=\([0-9.]*\).*/\1/' <<<"$line")
	rx=$(sed 's/^flow packets=\([0-9]*\) .*/\1/' <<<"$line")
	loss=$(awk -v s="$sent" -v r="$rx" \
	    'BEGIN { printf "%.1f", (s > 0 ? 100 * (s - r) / s : 100) }')
	cost=$(awk -v c="$cns" -v s="$sns" -v r="$rx" 'BEGIN {
	    if (r > 0) printf "%.2f/%.2f", c / r / 1000, s / r / 1000
	    else printf "-" }')
	echo "$kind $label $dir $size $pps $mbit $loss $busy $cost $rx" \
	    >>"$RESULTS"
	csw=$(awk -v r="$rx" -v c="$ccs" -v s="$scs" 'BEGIN {
	    printf "%.1f/%.1f", (c > 0 ? r / c : 0), (s > 0 ? r / s : 0) }')
	tb_log "$kind $label $dir $size: cpus busy $busy, fwd us/pkt" \
	    "client/server $cost, packets per context switch $csw," \
	    "sent $sent, $line"
}

flows() {	# flows KIND LABEL
	local size dir r
	for size in $SIZES; do
		for dir in c2s s2c; do
			for ((r = 0; r < REPS; r++)); do
				flow "$1" "$2" "$dir" "$size" || true
			done
		done
	done
}

# perf_summary NAME PACKETS: the top symbols of $PERF_DIR/NAME.data with
# their share and nanoseconds per packet delivered, into NAME.txt.
perf_summary() {
	local f=$PERF_DIR/$1 total
	total=$(perf report -i "$f.data" --no-children --stdio -g none \
	    2>/dev/null | sed -n 's/^# Event count (approx.): //p')
	{
		echo "# $1: ${total:-0} ns of samples, $2 packets delivered"
		echo "# share  ns/pkt  object  symbol"
		perf report -i "$f.data" --no-children --sort dso --stdio \
		    -g none 2>/dev/null | awk -v t="${total:-0}" -v n="$2" '
		    !/^#/ && NF >= 2 { p = $1; sub("%", "", p)
		    printf "%6.2f%% %7.0f  %s (all)\n", p,
		        (n > 0 ? p / 100 * t / n : 0), $2 }'
		# libcrypto's assembler kernels (AES-NI, GHASH, SHA) have no
		# symbols in Debian's build: one line for all of them.
		perf report -i "$f.data" --no-children --sort dso,sym --stdio \
		    -g none 2>/dev/null | awk -v t="${total:-0}" -v n="$2" '
		    !/^#/ && NF >= 3 { p = $1; sub("%", "", p)
		    k = $2 " " $3 " " $4
		    if ($4 ~ /^0x/) k = $2 " [.] (asm kernels, unnamed)"
		    v[k] += p }
		    END { for (k in v) printf "%6.2f%% %7.0f  %s\n", v[k],
		        (n > 0 ? v[k] / 100 * t / n : 0), k }' |
		    sort -k1,1 -g -r | head -n 25
	} >"$f.txt"
}

# The extra flows under perf: first size, both directions.
perf_flows() {	# perf_flows KIND LABEL CLIENT_PID SERVER_PID
	local dir
	for dir in c2s s2c; do
		perf_rec "$2-$dir-client" "$3"
		perf_rec "$2-$dir-server" "$4"
		sleep 0.5
		flow "$1-perf" "$2" "$dir" "${SIZES%% *}" || true
		perf_stop
	done
}

run_tunnel() {	# run_tunnel SUITE
	local suite=$1 js enc cdp sdp
	write_configs "$suite"
	tb_daemon_start server srv taskset -c "$CPU_SERVER" \
	    "$B/l2tpsecd" -d -f "$TB_TMP/server.conf" || return 1
	if ! tb_wait_for 10 tb_run_in server srv test -S /run/l2tpsecd.sock
	then
		tb_fail "$suite-server" "the server did not start"
		return 1
	fi
	tb_daemon_start client cli taskset -c "$CPU_CLIENT" \
	    "$B/l2tpsecd" -d -f "$TB_TMP/client.conf" || return 1
	if ! tb_wait_for 30 client_inner_up; then
		tb_fail "$suite-connect" "no $CLI_INNER on l2tpsecc* in 30 s"
		return 1
	fi
	tb_wait_for 5 tb_exec client ping -c 1 -W 1 "$SRV_INNER" >/dev/null ||
		tb_log "$suite: no ping reply through the tunnel"
	js=$(tb_run_in server srv "$B/l2tpsecctl" -j show sa)
	enc=$(jq -r '[.sa[].ipsec[]? | .alg + (if .udp_encap then
	    " in UDP" else "" end)] | first // "?"' <<<"$js" 2>/dev/null)
	tb_log "$suite: tunnel up; server's show sa says ESP $enc"
	if ! cdp=$(dp_pid cli) || ! sdp=$(dp_pid srv); then
		tb_fail "$suite-datapath" "no datapath child found"
		return 1
	fi
	tb_log "$suite: datapath children: client $cdp (cpus" \
	    "$(taskset -pc "$cdp" | sed 's/.*: //')), server $sdp (cpus" \
	    "$(taskset -pc "$sdp" | sed 's/.*: //'))"
	FWD_CPID=$cdp FWD_SPID=$sdp
	if ! sink_start server "$SRV_INNER" ||
	    ! sink_start client "$CLI_INNER"; then
		tb_fail "$suite-sink" "udpflow recv did not start"
		return 1
	fi
	flows tunnel "$suite"
	if [ -n "$PERF_DIR" ] && [ "$suite" = "${SUITES%% *}" ]; then
		perf_flows tunnel "$suite" "$cdp" "$sdp"
	fi
	bg_kill
	tb_daemon_stop cli 10 >/dev/null || true
	tb_daemon_stop srv 10 >/dev/null || true
}

run_plain() {	# run_plain LABEL PERF: PERF 1 adds the flows under perf
	local cpf spf
	# The server's forwarder learns the client's outer address:port from
	# the client's hello, as the datapath learns it from IKE.
	tb_daemon_start server pfs taskset -c "$CPU_SERVER" "$PLAINFWD" \
	    server -l "$SRV_OUTER:4500" -a "$SRV_INNER" -R "$CLI_INNER" \
	    -m "$MTU" -o "$PLAIN_OFF" || return 1
	tb_wait_for 5 grep -q ' up$' "$(tb_daemon_log pfs)" || {
		tb_fail plain-server "plainfwd server did not start"
		return 1
	}
	tb_daemon_start client pfc taskset -c "$CPU_CLIENT" "$PLAINFWD" \
	    client -l 0.0.0.0:4500 -r "$SRV_OUTER:4500" -a "$CLI_INNER" \
	    -p "$SRV_INNER" -s "$CLI_OUTER" -m "$MTU" -o "$PLAIN_OFF" ||
	    return 1
	if ! tb_wait_for 5 tb_exec server ping -c 1 -W 1 "$CLI_INNER" \
	    >/dev/null; then
		tb_fail plain-ping "no ping reply through the plain forwarder"
		return 1
	fi
	cpf=$(tb_daemon_pid pfc) spf=$(tb_daemon_pid pfs)
	FWD_CPID=$cpf FWD_SPID=$spf
	if ! sink_start server "$SRV_INNER" ||
	    ! sink_start client "$CLI_INNER"; then
		tb_fail plain-sink "udpflow recv did not start"
		return 1
	fi
	flows plain "$1"
	if [ -n "$PERF_DIR" ] && [ "$2" = 1 ]; then
		perf_flows plain plain "$cpf" "$spf"
	fi
	bg_kill
	tb_daemon_stop pfc 5 >/dev/null || true
	tb_daemon_stop pfs 5 >/dev/null || true
	tb_log "plainfwd counters: $(grep signal "$(tb_daemon_log pfc)" || true)"
	tb_log "plainfwd counters: $(grep signal "$(tb_daemon_log pfs)" || true)"
}

# ---- the run ------------------------------------------------------------

START=$(date +%s)
: >"$RESULTS"
echo "# tunnel_bench $(date -u '+%Y-%m-%d %H:%M:%S UTC') on $(uname -n)," \
    "$(nproc) CPUs, $(uname -r)"
echo "# load before: $(uptime | sed 's/.*load average/load average/')"
echo "# cpu placement: client side (daemon + datapath child, or plainfwd;" \
    "its udpflow) on cpu $CPU_CLIENT; server side likewise on cpu" \
    "$CPU_SERVER"
echo "# path: udpflow blast -> TUN -> datapath -> UDP 4500 -> NAT ->" \
    "UDP 4500 -> datapath -> TUN -> udpflow recv; $SECS s per flow," \
    "size = IPv4 packet on the TUN (MTU $MTU)"

# The plain forwarder before and after the tunnels: the drift of a
# shared machine shows in the "+-" column.
run_plain before 1 || tb_log "plain: run failed"
bg_kill
for suite in $SUITES; do
	run_tunnel "$suite" || tb_log "$suite: run failed"
	bg_kill
	tb_daemon_stop cli 2 >/dev/null 2>&1 || true
	tb_daemon_stop srv 2 >/dev/null 2>&1 || true
done
run_plain after 0 || tb_log "plain: run failed"
bg_kill

echo "# load after: $(uptime | sed 's/.*load average/load average/');" \
    "$(($(date +%s) - START)) s"
# Each figure is the best of its flows (a busy machine only ever makes
# things slower): the highest pps, the lowest us/pkt of each side.  Plain
# runs before and after the tunnels; "+-" is half the difference of the
# two runs' best pps, the drift of the machine over the run.  us/pkt: CPU
# time of the client's and the server's forwarder (datapath child or
# plainfwd) per packet delivered; cpu_r is plain / tunnel of the busier
# side's, the ratio of what one core of each could carry.
awk '
function side(c, i,	v) { split(c, v, "/"); return v[i] + 0 }
function best(a, k, v) { if (!((k) in a) || v > a[k]) a[k] = v }
function least(a, k, v) { if (v > 0 && (!((k) in a) || v < a[k])) a[k] = v }
$1 == "tunnel" || $1 == "plain" {
	k = ($1 == "plain" ? "plain" : $2) " " $3 " " $4
	if (!(k in seen) && $1 == "tunnel") {
		n++; key[n] = k; s[n] = $2; d[n] = $3; z[n] = $4
	}
	seen[k] = 1
	if (!(k in pps) || $5 > pps[k]) {
		pps[k] = $5; mb[k] = $6; ls[k] = $7
	}
	least(uc, k, side($9, 1)); least(us, k, side($9, 2))
	if ($1 == "plain")
		best(ph, k " " $2, $5)
}
END {
	printf "%-11s %-3s %4s | %7s %6s %5s %11s | %7s %4s %6s %5s %11s | %5s %5s\n",
	    "suite", "dir", "size", "tun_pps", "Mbit/s", "loss", "us/pkt c/s",
	    "pln_pps", "+-%", "Mbit/s", "loss", "us/pkt c/s", "ratio",
	    "cpu_r"
	for (i = 1; i <= n; i++) {
		k = key[i]
		q = "plain " d[i] " " z[i]
		dv = 0
		if ((q " before") in ph && (q " after") in ph && pps[q] > 0)
			dv = 50 * (ph[q " before"] - ph[q " after"]) / pps[q]
		if (dv < 0)
			dv = -dv
		tc = uc[k] > us[k] ? uc[k] : us[k]
		pc = uc[q] > us[q] ? uc[q] : us[q]
		printf "%-11s %-3s %4d | %7.0f %6.0f %4.0f%% %11s | %7.0f %4.0f %6.0f %4.0f%% %11s | %5.2f %5.2f\n",
		    s[i], d[i], z[i], pps[k], mb[k], ls[k],
		    sprintf("%.2f/%.2f", uc[k], us[k]), pps[q], dv, mb[q],
		    ls[q], sprintf("%.2f/%.2f", uc[q], us[q]),
		    (pps[q] > 0 ? pps[k] / pps[q] : 0), (tc > 0 ? pc / tc : 0)
	}
}' "$RESULTS"
echo "# ratio = tunnel pps / plain pps; us/pkt c/s = CPU time of the" \
    "client's / server's forwarder per packet delivered; cpu_r = plain /" \
    "tunnel us/pkt of the busier side; loss = offered beyond capacity" \
    "(unpaced source)"
if [ -n "$PERF_DIR" ]; then
	while read -r kind label dir size pps _ _ _ cost rx; do
		case $kind in *-perf) ;; *) continue ;; esac
		echo "# under perf: $label $dir $size: $pps pps, fwd us/pkt" \
		    "client/server $cost"
		perf_summary "$label-$dir-client" "$rx"
		perf_summary "$label-$dir-server" "$rx"
	done <"$RESULTS"
	echo "# perf data and top symbols (NAME.txt) in $PERF_DIR"
fi
tb_done
