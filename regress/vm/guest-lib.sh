# Library for VM scenarios, sourced by guest-main.sh (bash, PID 1 of the
# guest, set -eEu) before the scenario file.  Everything here runs inside
# the guest.  See README.md for the scenario contract.
#
# Conventions:
# - A "side" is one simulated machine: its own network namespace and its
#   own mount namespace with a private /run, /tmp, /etc and /var/lib.
#   `on SIDE CMD...` runs CMD there, `put SIDE PATH [MODE]` writes a file
#   there from stdin.  Daemons read their usual paths (/etc/ipsec.conf,
#   /etc/ppp/chap-secrets, /etc/l2tpsecd/l2tpsecd.conf) in their side.
# - Every daemon logs to $LOG/SIDE-DAEMON.log: run.sh prints every file in
#   $LOG when a scenario fails, so a new daemon only needs to log there.
# - fail REASON ends the scenario at once with that reason.  Building
#   blocks that a negative scenario may want to see fail (ref_client_connect,
#   wait_tunnel, ping_both_ways) return non-zero instead; check_connected
#   fails.

# ------------------------------------------------------------------ settings
# Scenarios may change any of these after the library is sourced; the
# functions below read them when they run.

# tun: for userspace data paths.  nf_tables and friends: for firewall
# scenarios (the daemon installs its own table).
GUEST_MODULES="veth xfrm_user esp4 l2tp_ppp l2tp_netlink authenc echainiv
    drbg jitterentropy_rng tun nf_tables nft_chain_nat nft_masq nft_ct
    nft_nat nft_reject_inet nft_fib_inet nft_limit nft_log"

LOG=/vm/out/log
SERVER_ADDR=192.0.2.1		# outer addresses (TEST-NET-1)
CLIENT_ADDR=192.0.2.2
PSK=l2tp-test-psk-0123456789
SERVER_PSK=$PSK			# set one of them wrong for a negative test
CLIENT_PSK=$PSK
VPN_USER=vpnuser
VPN_PASS=vpnpass1		# what the server accepts
CLIENT_PASS=$VPN_PASS		# what the client sends
POOL_LOCAL=198.51.100.1		# server's tunnel address (TEST-NET-2)
POOL_RANGE=198.51.100.10-198.51.100.20
TUN_PREFIX=198.51.100.		# every tunnel address starts so

# Our own programs, built on the host and seen read-only through the
# host's / (run.sh passes in REPO, and L2TPSECD/L2TPSECCTL if they were set
# on the host, e.g. to a sanitizer build).
L2TPSECD=${L2TPSECD:-$REPO/build/l2tpsecd}
L2TPSECCTL=${L2TPSECCTL:-$REPO/build/l2tpsecctl}

declare -A SIDE_PID=() SIDE_NIFS=()
LINKS=0
MARKS=()
MODPROBE_PID=

# ------------------------------------------------------------------ basics

uptime_s() {
	local u
	read -r u _ </proc/uptime
	echo "$u"
}

say() {
	echo "[vm $(uptime_s)s] $*"
}

# mark NAME: remember when a phase ended, for the timing line.
mark() {
	MARKS+=("$1=$(uptime_s)")
}

timings() {
	local m t prev=0 out=
	for m in "${MARKS[@]}"; do
		# /proc/uptime has two decimals: count in centiseconds.
		t=${m#*=}
		t=$((10#${t/./}))
		printf -v out '%s %s +%d.%02d' "$out" "${m%%=*}" \
		    $(((t - prev) / 100)) $(((t - prev) % 100))
		prev=$t
	done
	say "timings (s since previous):$out"
}

# fail REASON: end the scenario now.  The reason goes to a file and the
# message to stderr, so a fail inside $(...) still reaches the verdict.
fail() {
	[ -e /vm/reason ] || echo "$*" >/vm/reason
	say "FAIL: $*" >&2
	exit 1
}

# err_reason CMD FILE LINE: the ERR trap; the first reason given wins.
err_reason() {
	[ -e /vm/reason ] || echo "command failed: $1 ($3 in ${2##*/})" >/vm/reason
}

# wait_until SECONDS CMD...: poll CMD every 50 ms; non-zero on timeout.
wait_until() {
	local end
	end=$((${EPOCHREALTIME/./} + $1 * 1000000))
	shift
	until "$@" 2>/dev/null; do
		[ "${EPOCHREALTIME/./}" -lt "$end" ] || return 1
		sleep 0.05
	done
}

# modules_wait: the modprobe guest-main.sh started has finished.
modules_wait() {
	[ -n "$MODPROBE_PID" ] || return 0
	wait "$MODPROBE_PID" || fail "modprobe of the guest modules failed"
	MODPROBE_PID=
	mark modules
}

# ------------------------------------------------------------------ sides

# side_create NAME...: a machine of its own for each NAME.  The private
# /run and /tmp keep pid files and control sockets of two daemons of the
# same kind apart; the copy-on-write /etc and /var/lib let each side have
# its own /etc/ppp/chap-secrets, ipsec.conf or NSS database at the usual
# paths.
side_create() {
	local name dir
	for name in "$@"; do
		dir=/vm/sides/$name
		mkdir -p "$dir/etc.upper" "$dir/etc.work" \
		    "$dir/var-lib.upper" "$dir/var-lib.work"
		ip netns add "$name"
		# The holder process pins both namespaces: `on` enters them
		# by its PID, side_path reaches its files through
		# /proc/PID/root.  Whatever changes in the root's /etc later
		# stays invisible to the side, so sides come first.
		ip netns exec "$name" unshare --mount --propagation private sh -ec '
		    mount -t tmpfs -o mode=755 run /run
		    mount -t tmpfs -o mode=1777 tmp /tmp
		    mount -t overlay etc /etc \
		        -o lowerdir=/etc,upperdir=$1/etc.upper,workdir=$1/etc.work
		    mount -t overlay var-lib /var/lib \
		        -o lowerdir=/var/lib,upperdir=$1/var-lib.upper,workdir=$1/var-lib.work
		    : >/run/.side-ready
		    exec sleep infinity' side "$dir" </dev/null \
		    >>"$LOG/$name-side.log" 2>&1 &
		SIDE_PID[$name]=$!
		SIDE_NIFS[$name]=0
	done
	# All started before waiting for any: they build in parallel.  Plain
	# tests, no process per poll: under TCG every exec of a dynamically
	# linked program costs ~50 ms.
	for name in "$@"; do
		wait_until 10 test -e "/proc/${SIDE_PID[$name]}/root/run/.side-ready" ||
		    fail "side $name: namespace setup failed"
		ip -n "$name" link set lo up
	done
}

# on SIDE CMD...: run CMD on SIDE.
on() {
	local side=$1
	shift
	[ -n "${SIDE_PID[$side]:-}" ] || fail "no side named $side"
	nsenter -t "${SIDE_PID[$side]}" -m -n -- "$@"
}

# side_path SIDE PATH: PATH as SIDE sees it, reachable from here without a
# process (test -S, cat, redirections).  Absolute symlinks met on the way
# resolve here, not on SIDE.
side_path() {
	[ -n "${SIDE_PID[$1]:-}" ] || fail "no side named $1"
	echo "/proc/${SIDE_PID[$1]}/root$2"
}

# put SIDE PATH [MODE] <content: write a file on SIDE (one process, where
# going through `on` would take five).
put() {
	[ -n "${SIDE_PID[$1]:-}" ] || fail "no side named $1"
	install -D -m "${3:-644}" /dev/stdin "/proc/${SIDE_PID[$1]}/root$2"
}

# side_link A ADDR/LEN B ADDR/LEN: a cable between sides A and B; each end
# is the side's next ethN.
side_link() {
	local a=$1 a_addr=$2 b=$3 b_addr=$4 a_if b_if
	modules_wait	# veth
	a_if=eth${SIDE_NIFS[$a]}
	b_if=eth${SIDE_NIFS[$b]}
	SIDE_NIFS[$a]=$((SIDE_NIFS[$a] + 1))
	SIDE_NIFS[$b]=$((SIDE_NIFS[$b] + 1))
	LINKS=$((LINKS + 1))
	# Made under unique names, renamed once inside their namespaces.
	ip link add "l$LINKS-a" netns "$a" type veth peer name "l$LINKS-b" netns "$b"
	printf '%s\n' "link set l$LINKS-a name $a_if" "addr add $a_addr dev $a_if" \
	    "link set $a_if up" | ip -n "$a" -batch -
	printf '%s\n' "link set l$LINKS-b name $b_if" "addr add $b_addr dev $b_if" \
	    "link set $b_if up" | ip -n "$b" -batch -
}

# topology_lan: server and client on one link.
topology_lan() {
	side_create server client
	side_link server "$SERVER_ADDR/24" client "$CLIENT_ADDR/24"
}

# topology_nat SIDE...: the server, a masquerading NAT in front of it
# (192.0.2.254, its eth0), and behind the NAT the given sides, the i-th
# on its own cable with 10.99.i.2 (gateway 10.99.i.1).  Set CLIENT_ADDR
# (and REF_CLIENT_ADDR for others) to the side's address in the scenario.
NAT_ADDR=192.0.2.254
topology_nat() {
	local i=0 side
	side_create server nat "$@"
	side_link server "$SERVER_ADDR/24" nat "$NAT_ADDR/24"
	for side in "$@"; do
		i=$((i + 1))
		side_link nat "10.99.$i.1/24" "$side" "10.99.$i.2/24"
		on "$side" ip route add default via "10.99.$i.1"
	done
	on nat sysctl -qw net.ipv4.ip_forward=1
	on nat nft -f - <<EOF
table ip vmnat {
	chain postrouting {
		type nat hook postrouting priority srcnat; policy accept;
		oifname "eth0" masquerade
	}
}
EOF
}

# The default topology; a scenario overrides topology() for NAT, several
# clients, a router in between.
topology() {
	topology_lan
}

# ------------------------------------------------------------------ reference server
# Libreswan (IKEv1 PSK, transport mode for UDP/1701) + xl2tpd LNS + pppd
# (MS-CHAPv2 required, pool $POOL_RANGE, local $POOL_LOCAL).

ref_server_config() {
	# Libreswan 4.10 as Debian builds it refuses IKEv1 unless told.
	put server /etc/ipsec.conf <<EOF
config setup
    logfile=$LOG/server-pluto.log
    protostack=xfrm
    ikev1-policy=accept
    uniqueids=no
conn l2tp-psk
    ikev2=no
    authby=secret
    type=transport
    left=$SERVER_ADDR
    leftprotoport=17/1701
    right=%any
    rightprotoport=17/%any
    ike=aes256-sha1;modp2048,aes128-sha1;modp2048
    phase2alg=aes256-sha1,aes128-sha1
    pfs=no
    rekey=no
    auto=add
EOF
	put server /etc/ipsec.secrets 600 <<EOF
$SERVER_ADDR %any : PSK "$SERVER_PSK"
EOF
	put server /etc/xl2tpd/xl2tpd.conf <<EOF
[global]
listen-addr = $SERVER_ADDR
port = 1701
[lns default]
ip range = $POOL_RANGE
local ip = $POOL_LOCAL
require chap = yes
refuse pap = yes
require authentication = yes
name = l2tpd
pppoptfile = /etc/ppp/options.xl2tpd
length bit = yes
EOF
	# Debian's /etc/ppp/options says auth, lock, modem: not for us.
	put server /etc/ppp/options </dev/null
	put server /etc/ppp/options.xl2tpd <<EOF
name l2tpd
auth
require-mschap-v2
refuse-pap
refuse-chap
refuse-mschap
refuse-eap
noccp
ipcp-accept-local
ipcp-accept-remote
mtu 1280
mru 1280
nodefaultroute
lcp-echo-interval 30
lcp-echo-failure 4
debug
logfile $LOG/server-pppd.log
EOF
	put server /etc/ppp/chap-secrets 600 <<EOF
"$VPN_USER" * "$VPN_PASS" *
EOF
}

ref_server_run() {
	mkdir -p "$(side_path server /run/pluto)" "$(side_path server /run/xl2tpd)"
	on server ipsec initnss >"$LOG/server-initnss.log" 2>&1
	on server /usr/libexec/ipsec/pluto --config /etc/ipsec.conf	# forks
	on server xl2tpd -D -c /etc/xl2tpd/xl2tpd.conf -p /run/xl2tpd.pid \
	    -C /run/xl2tpd/l2tp-control >"$LOG/server-xl2tpd.log" 2>&1 &
	wait_until 10 test -S "$(side_path server /run/pluto/pluto.ctl)" ||
	    fail "pluto did not start"
	on server ipsec auto --add l2tp-psk >"$LOG/server-pluto-add.log" 2>&1 ||
	    fail "ipsec auto --add l2tp-psk failed"
	wait_until 10 test -p "$(side_path server /run/xl2tpd/l2tp-control)" ||
	    fail "server xl2tpd did not start"
}

ref_server_start() {
	ref_server_config
	ref_server_run
}

# ------------------------------------------------------------------ reference client
# strongSwan charon (IKEv1 PSK, transport) + xl2tpd LAC + pppd, on side
# $REF_CLIENT (client) with address $REF_CLIENT_ADDR (empty: $CLIENT_ADDR): set
# both to run a second reference client elsewhere.
REF_CLIENT=client
REF_CLIENT_ADDR=

ref_client_config() {
	local addr=${REF_CLIENT_ADDR:-$CLIENT_ADDR}
	# An explicit plugin list and no strongswan.d includes: charon then
	# loads in well under a second even under TCG.
	put "$REF_CLIENT" /etc/strongswan.conf <<EOF
charon {
  load = random nonce aes sha1 sha2 md5 hmac gmp openssl pem pkcs1 x509 pubkey kernel-netlink socket-default vici
  install_routes = no
  filelog {
    charon {
      path = $LOG/$REF_CLIENT-charon.log
      time_format = %s.
      default = 1
      ike = 2
      flush_line = yes
    }
  }
}
swanctl {
  load = pem pkcs1 pkcs8 x509 pubkey openssl random
}
EOF
	put "$REF_CLIENT" /etc/swanctl/swanctl.conf 600 <<EOF
connections {
  l2tp {
    version = 1
    local_addrs = $addr
    remote_addrs = $SERVER_ADDR
    proposals = aes256-sha1-modp2048
    local { auth = psk
            id = $addr }
    remote { auth = psk
             id = $SERVER_ADDR }
    children {
      l2tp {
        mode = transport
        local_ts = dynamic[udp/1701]
        remote_ts = dynamic[udp/1701]
        esp_proposals = aes256-sha1
      }
    }
  }
}
secrets {
  ike-l2tp { id-1 = $SERVER_ADDR
             secret = "$CLIENT_PSK" }
}
EOF
	put "$REF_CLIENT" /etc/xl2tpd/xl2tpd.conf <<EOF
[global]
listen-addr = $addr
port = 1701
[lac vpn]
lns = $SERVER_ADDR
name = $VPN_USER
pppoptfile = /etc/ppp/options.xl2tpd
length bit = yes
EOF
	put "$REF_CLIENT" /etc/ppp/options </dev/null
	put "$REF_CLIENT" /etc/ppp/options.xl2tpd <<EOF
name $VPN_USER
noauth
refuse-eap
refuse-pap
refuse-chap
refuse-mschap
noccp
ipcp-accept-local
ipcp-accept-remote
noipdefault
nodefaultroute
mtu 1280
mru 1280
debug
logfile $LOG/$REF_CLIENT-pppd.log
EOF
	put "$REF_CLIENT" /etc/ppp/chap-secrets 600 <<EOF
"$VPN_USER" * "$CLIENT_PASS" *
EOF
}

ref_client_run() {
	mkdir -p "$(side_path "$REF_CLIENT" /run/xl2tpd)"
	on "$REF_CLIENT" /usr/lib/ipsec/charon >"$LOG/$REF_CLIENT-charon-stderr.log" 2>&1 &
	on "$REF_CLIENT" xl2tpd -D -c /etc/xl2tpd/xl2tpd.conf -p /run/xl2tpd.pid \
	    -C /run/xl2tpd/l2tp-control >"$LOG/$REF_CLIENT-xl2tpd.log" 2>&1 &
	wait_until 10 test -S "$(side_path "$REF_CLIENT" /run/charon.vici)" ||
	    fail "charon did not start"
	on "$REF_CLIENT" swanctl --load-all >"$LOG/$REF_CLIENT-swanctl.log" 2>&1 ||
	    fail "swanctl --load-all failed"
	wait_until 10 test -p "$(side_path "$REF_CLIENT" /run/xl2tpd/l2tp-control)" ||
	    fail "client xl2tpd did not start"
}

ref_client_start() {
	ref_client_config
	ref_client_run
}

# ref_client_connect [SECONDS]: bring up IKE (main + quick mode), and only
# then dial L2TP, as real clients do: the reference server accepts L2TP in
# clear text too, so dialling without the SA would "work".  Non-zero if
# IKE did not come up within SECONDS (30).
ref_client_connect() {
	say "$REF_CLIENT: IKE"
	if ! on "$REF_CLIENT" swanctl --initiate --child l2tp --timeout "${1:-30}" \
	    >>"$LOG/$REF_CLIENT-swanctl.log" 2>&1; then
		say "$REF_CLIENT: IKE failed"
		return 1
	fi
	mark ike_up
	say "$REF_CLIENT: IKE up, dialling L2TP"
	echo "c vpn" >"$(side_path "$REF_CLIENT" /run/xl2tpd/l2tp-control)"
}

# ------------------------------------------------------------------ checks

# tunnel_if SIDE: "IFACE ADDRESS" of the interface that is up and holds a
# tunnel address: ppp0 for pppd or a kernel data path, a TUN device for a
# userspace one.  Empty if none.
tunnel_if() {
	local _n ifname _f addr _rest
	while read -r _n ifname _f addr _rest; do
		addr=${addr%/*}
		case $addr in
		"$TUN_PREFIX"*) echo "${ifname%:} $addr"; return ;;
		esac
	done < <(ip -n "$1" -4 -o addr show up 2>/dev/null)
}

tunnel_both() {
	[ -n "$(tunnel_if server)" ] && [ -n "$(tunnel_if client)" ]
}

# wait_tunnel [SECONDS]: wait (20 s) for the tunnel interface on both
# sides; sets SERVER_TUN_IF/_IP, CLIENT_TUN_IF/_IP.  Non-zero on timeout.
wait_tunnel() {
	local server client
	wait_until "${1:-20}" tunnel_both || {
		say "no tunnel on both sides: server '$(tunnel_if server)'," \
		    "client '$(tunnel_if client)'"
		return 1
	}
	server=$(tunnel_if server)
	client=$(tunnel_if client)
	SERVER_TUN_IF=${server% *} SERVER_TUN_IP=${server#* }
	CLIENT_TUN_IF=${client% *} CLIENT_TUN_IP=${client#* }
	mark tunnel_up
	say "tunnel up: server $SERVER_TUN_IF $SERVER_TUN_IP," \
	    "client $CLIENT_TUN_IF $CLIENT_TUN_IP"
}

# ping_from SIDE IFACE ADDRESS COUNT: all COUNT echoes answered?
ping_from() {
	local out got=0
	out=$(on "$1" ping -n -q -c "$4" -i 0.2 -W 2 -I "$2" "$3" 2>&1) || true
	# "3 packets transmitted, 3 received, 0% packet loss, time 405ms"
	[[ $out =~ transmitted,\ ([0-9]+)\ received ]] && got=${BASH_REMATCH[1]}
	say "ping $1 -> $3 via $2: $got/$4 answered"
	[ "$got" = "$4" ] || { echo "$out"; return 1; }
}

# ping_both_ways [COUNT]: COUNT (3) pings each way through the tunnel,
# every one answered.  Needs wait_tunnel first.
ping_both_ways() {
	local n=${1:-3}
	ping_from client "$CLIENT_TUN_IF" "$SERVER_TUN_IP" "$n" &&
	    ping_from server "$SERVER_TUN_IF" "$CLIENT_TUN_IP" "$n" || return 1
	mark ping
}

# esp_counters [SIDE...]: packets counted by all XFRM states (both
# directions) of the sides (server and client), added up.
esp_counters() {
	local side line sum=0
	[ $# -gt 0 ] || set -- server client
	for side in "$@"; do
		# "    1234(bytes), 17(packets)" under "lifetime current:"
		while read -r line; do
			case $line in
			*"(bytes), "*"(packets)"*)
				line=${line#*(bytes), }
				sum=$((sum + ${line%%(packets)*})) ;;
			esac
		done < <(ip -n "$side" -s xfrm state 2>/dev/null)
	done
	echo "$sum"
}

# check_connected: what a user would call a working connection, once the
# client has connected: a tunnel interface on both sides, pings through it
# both ways, and they travelled in ESP (the kernels' SA counters grew).
# Fails the scenario otherwise.
check_connected() {
	local before after
	wait_tunnel 30 || fail "no tunnel interface on both sides after 30 s"
	before=$(esp_counters)
	ping_both_ways 3 || fail "pings through the tunnel went unanswered"
	after=$(esp_counters)
	# 12 packets crossed; each is counted by the sender's outbound and
	# the receiver's inbound SA, so >= 12 holds even if only one side
	# has kernel SAs (a userspace data path on the other).
	[ "$after" -ge $((before + 12)) ] ||
	    fail "ESP SA counters grew by $((after - before)) packets, not >= 12:" \
		"the pings were not protected by IPsec"
	say "ESP SA packets (both sides): $before before the pings, $after after"
}

# ------------------------------------------------------------------ our daemon
# l2tpsecd (built on the host, $L2TPSECD) with `dataplane userspace`: ESP
# in userspace, a TUN device per session, no XFRM state on its side.  It
# needs the _l2tpsecd user and the chroot /var/lib/l2tpsecd/empty, both
# seen through the host's / (etc/mkuser.sh made them there), and
# /dev/net/tun (tun is in GUEST_MODULES).  It logs (-d -v) to
# $LOG/SIDE-l2tpsecd.log; its control socket is the side's
# /run/l2tpsecd.sock.

# ours_check SIDE: fail early and clearly on what the daemon's children
# would otherwise stumble over.
ours_check() {
	[ -x "$L2TPSECD" ] || fail "no $L2TPSECD: build on the host first (make)"
	grep -q '^_l2tpsecd:' "$(side_path "$1" /etc/passwd)" ||
	    fail "no _l2tpsecd user (etc/mkuser.sh on the host)"
	[ -d "$(side_path "$1" /var/lib/l2tpsecd/empty)" ] ||
	    fail "no /var/lib/l2tpsecd/empty (etc/mkuser.sh on the host)"
	[ -c /dev/net/tun ] || fail "no /dev/net/tun (tun not loaded)"
}

# ours_run SIDE: start l2tpsecd on SIDE with the config already written;
# wait for its control socket.
ours_run() {
	ours_check "$1"
	on "$1" "$L2TPSECD" -d -v -f /etc/l2tpsecd/l2tpsecd.conf \
	    >"$LOG/$1-l2tpsecd.log" 2>&1 &
	wait_until 10 test -S "$(side_path "$1" /run/l2tpsecd.sock)" ||
	    fail "l2tpsecd on $1 did not start"
}

# ctl SIDE ARGS...: l2tpsecctl on SIDE.
ctl() {
	local side=$1
	shift
	on "$side" "$L2TPSECCTL" "$@"
}

# Our data plane (`dataplane`), for both roles; and `legacy` on the
# server when set (yes or no).
OURS_DATAPLANE=userspace
OURS_LEGACY=

# Our server: listens on $SERVER_ADDR with $SERVER_PSK; MS-CHAPv2 (the
# default) against $VPN_USER/$VPN_PASS; local $POOL_LOCAL, pool
# $POOL_RANGE.
ours_server_config() {
	put server /etc/l2tpsecd/psk 600 <<<"$SERVER_PSK"
	put server /etc/l2tpsecd/chap-secrets 600 <<EOF
"$VPN_USER" * "$VPN_PASS" *
EOF
	put server /etc/l2tpsecd/l2tpsecd.conf 600 <<EOF
listen on $SERVER_ADDR
dataplane $OURS_DATAPLANE
ipsec {
	psk file "/etc/l2tpsecd/psk"
	${OURS_LEGACY:+legacy $OURS_LEGACY}
}
ppp {
	local $POOL_LOCAL
	pool ${POOL_RANGE%-*} - ${POOL_RANGE#*-}
	users "/etc/l2tpsecd/chap-secrets"
}
EOF
}

ours_server_run() {
	ours_run server
}

ours_server_start() {
	ours_server_config
	ours_server_run
}

# Our client: connection "vpn" to $SERVER_ADDR with $CLIENT_PSK, as
# $VPN_USER with $CLIENT_PASS; dials at once (autostart) unless
# OURS_CLIENT_AUTOSTART=no.
OURS_CLIENT_AUTOSTART=yes
ours_client_config() {
	put client /etc/l2tpsecd/psk 600 <<<"$CLIENT_PSK"
	put client /etc/l2tpsecd/password 600 <<<"$CLIENT_PASS"
	put client /etc/l2tpsecd/l2tpsecd.conf 600 <<EOF
dataplane $OURS_DATAPLANE
connection vpn {
	server $SERVER_ADDR
	psk file "/etc/l2tpsecd/psk"
	user $VPN_USER password file "/etc/l2tpsecd/password"
	default-route no
	autostart $OURS_CLIENT_AUTOSTART
}
EOF
}

ours_client_run() {
	ours_run client
}

ours_client_start() {
	ours_client_config
	ours_client_run
}

# no_xfrm SIDE: the kernel holds no XFRM state on SIDE (a userspace data
# path does ESP itself; a state there would take its packets).
no_xfrm() {
	[ -z "$(ip -n "$1" xfrm state 2>/dev/null)" ]
}

# ------------------------------------------------------------------ leftovers
# What our daemon may change in a side's kernel, and must put back or
# remove when it stops: the sysctls it sets, XFRM states and policies,
# PPP units, kernel L2TP tunnels, the nftables table.

# kstate SIDE: one line per item of that kernel state, sorted, for a
# before/after comparison.
kstate() {
	local k
	for k in net.ipv4.ip_forward net.ipv4.conf.all.accept_redirects \
	    net.ipv4.conf.all.send_redirects net.ipv4.conf.default.send_redirects \
	    net.ipv4.conf.all.rp_filter; do
		echo "sysctl $k=$(on "$1" cat "/proc/sys/${k//.//}" 2>/dev/null)"
	done
	ip -n "$1" xfrm state 2>/dev/null | sed -n 's/^src /xfrm state src /p'
	ip -n "$1" xfrm policy 2>/dev/null | sed -n 's/^src /xfrm policy src /p'
	ip -n "$1" -o link show 2>/dev/null | awk -F': ' '$2 ~ /^ppp/ { print "link " $2 }'
	ip -n "$1" l2tp show tunnel 2>/dev/null | sed -n 's/^Tunnel \([0-9]*\),.*/l2tp tunnel \1/p'
	on "$1" nft list table inet l2tpsecd >/dev/null 2>&1 && echo "nft table inet l2tpsecd"
	return 0
}

# ours_pid SIDE: the parent's pid, from its control socket (empty if none).
ours_pid() {
	ctl "$1" -j show status 2>/dev/null |
	    jq -r '.processes[] | select(.role == "parent") | .pid' 2>/dev/null
}

# ours_stop SIDE [SIGNAL]: stop our daemon on SIDE (TERM: orderly) and
# wait for it to be gone; with KILL, what a crash leaves.
ours_stop() {
	local pid kids
	pid=$(ours_pid "$1")
	[ -n "$pid" ] || fail "no l2tpsecd running on $1"
	kids=$(pgrep -P "$pid" | tr '\n' ' ')
	kill "-${2:-TERM}" "$pid"
	wait_until 20 sh -c "! kill -0 $pid 2>/dev/null" ||
	    fail "l2tpsecd on $1 (pid $pid) still running 20 s after SIG${2:-TERM}"
	# Children follow their parent out (channel EOF).
	[ -z "$kids" ] || wait_until 10 sh -c "for p in $kids; do
	    kill -0 \$p 2>/dev/null && exit 1; done; exit 0" ||
	    fail "children of l2tpsecd on $1 ($kids) outlived it"
}

# no_leftovers SIDE BEFORE: SIDE's kernel state equals BEFORE (kstate's
# output from before the daemon started); fails the scenario otherwise.
no_leftovers() {
	local now
	now=$(kstate "$1")
	[ "$now" = "$2" ] || fail "left behind on $1: $(diff <(echo "$2") <(echo "$now") | sed -n 's/^> //p' | tr '\n' ';')"
	say "$1: nothing of ours left in the kernel"
}
