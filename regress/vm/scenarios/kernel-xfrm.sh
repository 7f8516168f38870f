# kernel-xfrm: netcfg/xfrm.c against a real kernel, through
# build/regress/tools/xfrm_try on both sides (no daemon; static test
# keys).  Passes when
#  - a cleartext UDP/1701 datagram arrives before the mandatory inbound
#    policy exists and is dropped by the kernel once it does
#    (XfrmInTmplMismatch grows), while UDP 500 still passes;
#  - SPIs from ALLOCSPI become full SAs with UPDSA (the larval state is
#    replaced, not doubled), the per-peer policies send UDP 1701->1701 in
#    plain ESP both ways (through the server's mandatory policy), and the
#    state counters (xfrm_sa_counters and `ip -s xfrm state`) grow;
#  - a NEWSA on a taken SPI fails with a message naming the SPI and the
#    kernel's reason;
#  - a small byte lifetime gives a soft, then a hard EXPIRE event, and the
#    state is gone;
#  - the same in ESP-in-UDP on 4500 (UDP_ENCAP sockets on both sides;
#    nftables counts the datagrams on udp/4500), and moving the client's
#    encap source port (UPDSA on a complete SA) makes the server's kernel
#    send a MAPPING event that the callback receives;
#  - xfrm_flush_ours() removes every state and policy of ours on both sides
#    and leaves a foreign state and policy (reqid 1) alone; xfrm_sa_del()
#    refuses the foreign state.
# Algorithms: AES-GCM-16, AES-CBC-256 + HMAC-SHA1, AES-CBC-128 +
# HMAC-SHA256, 3DES + HMAC-SHA512, AES-CBC-192 + HMAC-SHA384.

XT=$REPO/build/regress/tools/xfrm_try
S=$SERVER_ADDR
C=$CLIENT_ADDR
# One reqid per side for its peer, inside our range (netcfg/xfrm.h).
RS=0x17010011
RC=0x17010022
N=5			# datagrams per direction

# key BYTES SEED: a hex test key, without a process.
key() {
	local i out=0x
	for ((i = 0; i < $1; i++)); do
		printf -v out '%s%02x' "$out" $((($2 * 37 + i * 11 + 5) & 255))
	done
	echo "$out"
}

# xt SIDE ARGS...: xfrm_try on SIDE, its stderr (the library's debug
# lines) into the side's log; stdout as it is.
xt() {
	local side=$1 w line=
	shift
	for w in "$@"; do	# keys stay out of the log, even test keys
		[ ${#w} -gt 18 ] && [[ $w == 0x* ]] && w="<key>"
		line+=" $w"
	done
	echo "+ xfrm_try$line" >>"$LOG/$side-xfrm_try.log"
	on "$side" "$XT" "$@" 2>>"$LOG/$side-xfrm_try.log"
}

# file_has FILE TEXT: FILE has a line containing TEXT (no process).
file_has() {
	local l
	[ -e "$1" ] || return 1
	while read -r l; do
		[[ $l == *"$2"* ]] && return 0
	done <"$1"
	return 1
}

# bg SIDE NAME ARGS...: xfrm_try in the background, stdout in
# /vm/NAME.out; waits for its "ready".  BG_PID[NAME] is its PID (the
# side's `on` subshell: the tool's own PID is in its ready line).
declare -A BG_PID=()
bg() {
	local side=$1 name=$2
	shift 2
	rm -f "/vm/$name.out"
	xt "$side" "$@" >"/vm/$name.out" &
	BG_PID[$name]=$!
	wait_until 20 file_has "/vm/$name.out" ready ||
	    fail "xfrm_try $* on $side did not get ready"
}

# bg_wait NAME: its exit status; its output but the ready line in the
# caller's `out`.  Not in $(...): a subshell cannot wait for its
# parent's child.
bg_wait() {
	local rc=0 l
	wait "${BG_PID[$1]}" || rc=$?
	out=
	while read -r l; do
		[[ $l == ready* ]] || out+="${out:+$'\n'}$l"
	done <"/vm/$1.out"
	return "$rc"
}

# xfrm_stat SIDE FIELD: a counter of /proc/net/xfrm_stat in SIDE's netns.
xfrm_stat() {
	local k v
	while read -r k v; do
		[ "$k" = "$2" ] && { echo "$v"; return; }
	done <"/proc/${SIDE_PID[$1]}/net/xfrm_stat"
	echo 0
}

# field NAME LINE: the value of NAME=... in LINE.
field() {
	local w
	for w in $2; do
		[[ $w == "$1="* ]] && { echo "${w#*=}"; return; }
	done
}

# transfer FROM FROM_ADDR TO TO_ADDR COUNT: UDP 1701 -> 1701; all arrive.
transfer() {
	local out
	bg "$3" recv recv "$4" 1701 "$5" 20000
	xt "$1" send "$2" 1701 "$4" 1701 "$5" 200 >/dev/null
	bg_wait recv || fail "$1 -> $3: $out, not $5"
	say "$1 -> $3 udp 1701: $out"
}

# nft_packets NAME: packets of the server's named counter NAME.
nft_packets() {
	local w prev=''
	for w in $(on server nft list counter ip kx "$1"); do
		[ "$prev" = packets ] && { echo "$w"; return; }
		prev=$w
	done
	echo 0
}

# our_reqids SIDE WHAT: reqids of ours in `ip xfrm WHAT` (state|policy).
our_reqids() {
	local w prev='' n=0
	for w in $(ip -n "$1" xfrm "$2"); do
		if [ "$prev" = reqid ] && [ "$w" -ge $((0x17010000)) ] &&
		    [ "$w" -le $((0x1701ffff)) ]; then
			n=$((n + 1))
		fi
		prev=$w
	done
	echo "$n"
}

# states SIDE SPI: how many states with that SPI SIDE holds.
states() {
	local w n=0
	for w in $(ip -n "$1" xfrm state); do
		[ "$w" = "$2" ] && n=$((n + 1))
	done
	echo "$n"
}

server_setup() {
	local out before
	[ -x "$XT" ] || fail "no $XT: build on the host first (make units)"
	# What the ESP suites need beyond GUEST_MODULES: one modprobe
	# rather than the kernel's slow one-by-one autoloads under TCG.
	modprobe -a gcm ghash_generic ctr seqiv des_generic sha512_generic ||
	    fail "modprobe of the crypto modules failed"
	# Counters on the server's input: the outer packets by kind.
	on server nft -f - <<'EOF'
table ip kx {
	counter cesp {}
	counter cnatt {}
	counter cike {}
	chain input {
		type filter hook input priority 0;
		ip protocol esp counter name "cesp"
		udp dport 4500 counter name "cnatt"
		udp dport 500 counter name "cike"
	}
}
EOF
	# Negative control: without the mandatory policy, cleartext arrives.
	bg server recv recv "$S" 1701 1 10000
	xt client send "$C" 1701 "$S" 1701 1 >/dev/null
	bg_wait recv ||
	    fail "cleartext UDP/1701 did not arrive even without a policy: $out"
	say "no policy: cleartext udp 1701 arrives ($out)"

	xt server mand-add "$S" || fail "mand-add failed"
	before=$(xfrm_stat server XfrmInTmplMismatch)
	bg server recv recv "$S" 1701 1 1500
	xt client send "$C" 1701 "$S" 1701 1 >/dev/null
	if bg_wait recv; then
		fail "cleartext UDP/1701 passed the mandatory policy: $out"
	fi
	[ "$(xfrm_stat server XfrmInTmplMismatch)" -gt "$before" ] ||
	    fail "XfrmInTmplMismatch did not grow: not dropped by the policy?"
	say "mandatory policy: cleartext udp 1701 dropped ($out," \
	    "XfrmInTmplMismatch $before ->" \
	    "$(xfrm_stat server XfrmInTmplMismatch))"
	bg server recv recv "$S" 500 1 10000
	xt client send "$C" 40500 "$S" 500 1 >/dev/null
	bg_wait recv || fail "UDP 500 blocked by the mandatory policy: $out"
	say "mandatory policy: udp 500 still passes ($out)"
}

client_setup() {
	xt client flush >/dev/null || fail "flush on a clean client failed"
}

# sa_pair SERVER_ENCAP CLIENT_ENCAP REPLAY: SPIs from ALLOCSPI on both
# sides, then the four SAs (UPDSA inbound, NEWSA outbound, selector UDP
# 1701 -> 1701); sets SPI_S (the server's inbound SPI) and SPI_C (the
# client's).  Algorithms: C2S_ALG, S2C_ALG; CLIENT_OUT_EXTRA: more
# options for the client's outbound SA.
sa_pair() {
	local es=$1 ec=$2 w=$3 sel="-p 1701:1701"
	SPI_S=$(xt server spi "$S" "$C" $RS) || fail "ALLOCSPI on server failed"
	SPI_C=$(xt client spi "$C" "$S" $RC) || fail "ALLOCSPI on client failed"
	[ "$(states server "$SPI_S")" = 1 ] ||
	    fail "no larval state for $SPI_S on the server"
	# shellcheck disable=SC2086
	xt server sa-add -U -w "$w" $sel $es "$C" "$S" "$SPI_S" $RS $C2S_ALG &&
	xt server sa-add $sel $es "$S" "$C" "$SPI_C" $RS $S2C_ALG &&
	xt client sa-add -U -w "$w" $sel $ec "$S" "$C" "$SPI_C" $RC $S2C_ALG &&
	xt client sa-add $sel $ec $CLIENT_OUT_EXTRA "$C" "$S" "$SPI_S" $RC \
	    $C2S_ALG ||
	    fail "installing the SA pair failed (see the xfrm_try logs)"
	# UPDSA filled the larval state in: one state per SPI, not two.
	[ "$(states server "$SPI_S")" = 1 ] &&
	    [ "$(states client "$SPI_C")" = 1 ] ||
	    fail "UPDSA left the larval state beside the SA"
	say "SAs: server in $SPI_S out $SPI_C, client in $SPI_C out $SPI_S"
}

# sa_del_pair: the four SAs of sa_pair (one may have expired).
sa_del_pair() {
	xt server sa-del "$S" "$SPI_S" || :
	xt server sa-del "$C" "$SPI_C" || :
	xt client sa-del "$C" "$SPI_C" || :
	xt client sa-del "$S" "$SPI_S" || :
}

check() {
	local out pk pk2 err c1 c2 before side
	CLIENT_OUT_EXTRA=

	# ---- plain ESP both ways
	mark setup
	xt server pol-add "$S" "$C" 1701 $RS || fail "pol-add on server failed"
	xt client pol-add "$C" "$S" 1701 $RC || fail "pol-add on client failed"
	C2S_ALG="aes-gcm $(key 20 1)"
	S2C_ALG="aes-cbc $(key 32 2) sha1 $(key 20 3)"
	sa_pair "" "" 64
	# NEWSA on a taken SPI: refused, and the message says which and why.
	# shellcheck disable=SC2086
	if err=$(on server "$XT" sa-add "$S" "$C" "$SPI_C" $RS $S2C_ALG \
	    2>&1); then
		fail "NEWSA on an existing SPI succeeded"
	fi
	[[ $err == *"spi $SPI_C"*"File exists"* ]] ||
	    fail "duplicate SPI: message does not name the SPI and reason: $err"
	say "duplicate SPI refused: ${err##*$'\n'}"
	before=$(esp_counters)
	pk=$(nft_packets cesp)
	transfer client "$C" server "$S" $N
	transfer server "$S" client "$C" $N
	pk2=$(nft_packets cesp)
	[ $((pk2 - pk)) -ge $N ] ||
	    fail "the server saw $((pk2 - pk)) ESP packets, not >= $N"
	c1=$(xt server counters "$S" "$SPI_S") || fail "counters failed"
	c2=$(xt server counters "$C" "$SPI_C") || fail "counters failed"
	say "server in  $SPI_S: $c1"
	say "server out $SPI_C: $c2"
	[ "$(field packets "$c1")" -ge $N ] &&
	    [ "$(field packets "$c2")" -ge $N ] ||
	    fail "SA counters did not grow by $N"
	[ "$(field bytes "$c1")" -gt 0 ] &&
	    [ "$(field add_time "$c1")" -gt 0 ] ||
	    fail "SA counters lack bytes or add time"
	[ "$(esp_counters)" -ge $((before + 4 * N)) ] ||
	    fail "ip -s xfrm state: packets grew by" \
		"$(($(esp_counters) - before)), not >= $((4 * N))"
	ip -n server -s xfrm state
	mark plain_esp

	# ---- soft and hard expire from a byte lifetime (client's outbound)
	sa_del_pair
	C2S_ALG="aes-cbc $(key 16 4) sha256 $(key 32 5)"
	S2C_ALG="aes-cbc $(key 32 6) sha1 $(key 20 7)"
	CLIENT_OUT_EXTRA="-b 1000:2000"
	sa_pair "" "" 32
	CLIENT_OUT_EXTRA=
	bg client monitor monitor 2 30000
	xt client send "$C" 1701 "$S" 1701 20 200 >/dev/null 2>&1 || :
	bg_wait monitor || fail "expected a soft and a hard expire: $out"
	echo "$out"
	[[ $out == *"expire soft spi=$SPI_S "* ]] ||
	    fail "no soft expire for $SPI_S: $out"
	[[ $out == *"expire hard spi=$SPI_S "* ]] ||
	    fail "no hard expire for $SPI_S: $out"
	[ "$(states client "$SPI_S")" = 0 ] ||
	    fail "the hard-expired state $SPI_S is still there"
	say "byte lifetime: soft and hard expire for $SPI_S, state gone"
	mark expire

	# ---- ESP in UDP on 4500, then a NAT mapping change
	sa_del_pair
	bg server encap_s encap "$S" 4500
	bg client encap_c encap "$C" 4500
	C2S_ALG="3des $(key 24 8) sha512 $(key 64 9)"
	S2C_ALG="aes-cbc $(key 24 10) sha384 $(key 48 11)"
	sa_pair "-E 4500:4500" "-E 4500:4500" 32
	ip -n server xfrm state |
	    grep -q "encap type espinudp sport 4500 dport 4500" ||
	    fail "the server's states do not show ESP in UDP"
	pk=$(nft_packets cnatt)
	before=$(esp_counters)
	transfer client "$C" server "$S" $N
	transfer server "$S" client "$C" $N
	pk2=$(nft_packets cnatt)
	[ $((pk2 - pk)) -ge $N ] ||
	    fail "the server saw $((pk2 - pk)) datagrams on udp 4500, not >= $N"
	[ "$(esp_counters)" -ge $((before + 4 * N)) ] ||
	    fail "ESP-in-UDP: counters grew by $(($(esp_counters) - before))"
	say "ESP in UDP: $((pk2 - pk)) datagrams on udp/4500 at the server"
	c1=$(xt server counters "$S" "$SPI_S") || fail "counters failed"
	say "server in  $SPI_S: $c1"

	# The client's NAT "rebinds": its outbound SA now sends from 4501.
	bg server monitor monitor 1 30000
	# shellcheck disable=SC2086
	xt client sa-add -U -p 1701:1701 -E 4501:4500 "$C" "$S" "$SPI_S" $RC \
	    $C2S_ALG ||
	    fail "UPDSA of the client's encap port failed"
	transfer client "$C" server "$S" 1
	bg_wait monitor || fail "no MAPPING event: $out"
	echo "$out"
	[[ $out == *"mapping spi=$SPI_S dst=$S "*"old=$C:4500 new=$C:4501"* ]] \
	    ||
	    fail "MAPPING event not as expected: $out"
	say "NAT mapping change reported: $out"
	mark esp_in_udp

	# ---- flush: ours go, a foreign state and policy stay
	ip -n server xfrm state add src "$S" dst 192.0.2.9 proto esp \
	    spi 0x1000 reqid 1 mode transport \
	    enc 'cbc(aes)' "$(key 16 12)" \
	    auth-trunc 'hmac(sha1)' "$(key 20 13)" 96
	ip -n server xfrm policy add src 10.9.9.1 dst 10.9.9.2 proto udp \
	    dir out tmpl proto esp reqid 1 mode transport
	xt server spi "$S" "$C" $RS >/dev/null	# a larval SPI of ours too
	if err=$(on server "$XT" sa-del 192.0.2.9 0x1000 2>&1); then
		fail "xfrm_sa_del deleted a foreign state"
	fi
	[[ $err == *"not ours"* ]] || fail "foreign sa-del: $err"
	say "foreign state refused: ${err##*$'\n'}"
	say "before flush: server $(our_reqids server state) states and" \
	    "$(our_reqids server policy) policies of ours"
	out=$(xt server flush) || fail "flush on the server failed"
	say "server: $out"
	# 3 states (in, out, larval), 3 policies (in, out, mandatory)
	[ "$(field flushed "${out// /=}")" -ge 6 ] ||
	    fail "server flush removed fewer than 6: $out"
	out=$(xt client flush) || fail "flush on the client failed"
	say "client: $out"
	for side in server client; do
		[ "$(our_reqids $side state)" = 0 ] &&
		    [ "$(our_reqids $side policy)" = 0 ] ||
		    fail "$side still has ours: $(ip -n $side xfrm state;
			ip -n $side xfrm policy)"
	done
	ip -n server xfrm state | grep -q "spi 0x00001000 reqid 1 " ||
	    fail "the foreign state is gone"
	ip -n server xfrm policy | grep -q "src 10.9.9.1/32 dst 10.9.9.2/32" ||
	    fail "the foreign policy is gone"
	no_xfrm client ||
	    fail "the client still has states: $(ip -n client xfrm state)"
	ip -n server xfrm state
	ip -n server xfrm policy
	say "flush: all of ours gone on both sides;" \
	    "the foreign state and policy stay"
	mark flush

	kill_tool encap_s
	kill_tool encap_c
}

# kill_tool NAME: stop a held xfrm_try by the PID it printed.
kill_tool() {
	local l pid=
	while read -r l; do
		[[ $l == "ready pid="* ]] && pid=${l#ready pid=}
	done <"/vm/$1.out"
	[ -n "$pid" ] && kill "$pid" 2>/dev/null || :
	wait "${BG_PID[$1]}" 2>/dev/null || :
}
