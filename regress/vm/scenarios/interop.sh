# interop: the proposals real L2TP/IPsec clients send, played by the
# reference client (strongSwan charon + xl2tpd + pppd) against our
# server, one connection after another in one VM:
#
#   windows-aes256-ecp384    Windows 10/11, first of its main mode offers
#   windows-aes128-ecp256    the second
#   windows-aes256-modp2048  the third
#   windows-3des-modp1024    its last resort (`legacy yes` only)
#   windows-offer            the whole Windows offer in one SA payload
#   macos                    macOS/iOS: AES256-SHA256-MODP2048, its L2TP
#                            port as 0 (any) in the quick mode ID
#   android                  Android up to 11: AES256-SHA1-MODP1024
#                            (`legacy yes` only)
#   networkmanager           NetworkManager-l2tp's default offer
#
# Each must connect (IKE, L2TP, PPP: ppp0 on the client, our session up)
# and pass pings both ways in ESP; then it hangs up and the next one
# dials.  Then, with `legacy no` (reloaded), the two weak ones must be
# refused, and our log must say why and what to enable.
#
# Our data plane: $OURS_DATAPLANE below, the kernel back end, which is
# what production servers run; the ESP counters are then the server's
# own XFRM states' too.  (userspace-server covers the other one.)

OURS_DATAPLANE=kernel
OURS_LEGACY=yes

server_setup() {
	ours_server_start
}

client_setup() {
	ref_client_start
}

# client_proposals IKE ESP [LOCAL_TS]: rewrite the connection and reload.
client_proposals() {
	put client /etc/swanctl/swanctl.conf 600 <<EOF
connections {
  l2tp {
    version = 1
    local_addrs = $CLIENT_ADDR
    remote_addrs = $SERVER_ADDR
    proposals = $1
    local { auth = psk
            id = $CLIENT_ADDR }
    remote { auth = psk
             id = $SERVER_ADDR }
    children {
      l2tp {
        mode = transport
        local_ts = ${3:-dynamic[udp/1701]}
        remote_ts = dynamic[udp/1701]
        esp_proposals = $2
      }
    }
  }
}
secrets {
  ike-l2tp { id-1 = $SERVER_ADDR
             secret = "$CLIENT_PSK" }
}
EOF
	on client swanctl --load-all >>"$LOG/client-swanctl.log" 2>&1 ||
	    fail "swanctl --load-all failed"
}

# hang_up: the client ends L2TP (pppd, then the call) and IKE, and both
# sides are back to nothing.
hang_up() {
	local ctlf
	ctlf=$(side_path client /run/xl2tpd/l2tp-control)
	echo "d vpn" >"$ctlf"
	wait_until 15 sh -c "! ip -n client -o link show up | grep -q ppp" ||
	    say "client: ppp still up after 15 s"
	on client swanctl --terminate --ike l2tp >>"$LOG/client-swanctl.log" 2>&1 || true
	wait_until 15 sh -c "! '$L2TPSECCTL' -s '$(side_path server /run/l2tpsecd.sock)' \
	    show sessions | grep -qw '$VPN_USER'" ||
	    say "server: session of $VPN_USER still listed after 15 s"
	wait_until 10 sh -c "[ -z \"\$(ip -n client xfrm state)\" ]" || true
}

RESULTS=()
FAILED=()

# try NAME IKE ESP [LOCAL_TS]: one client, the whole way.
try() {
	local name=$1 t0 t_ike t_ppp t_ping before after ok=1 why=
	say "=== $name: ike $2, esp $3${4:+, local_ts $4}"
	client_proposals "$2" "$3" "${4:-}"
	t0=$(uptime_s)
	if ! ref_client_connect 30; then
		ok=0 why="IKE did not come up"
	fi
	t_ike=$(uptime_s)
	if [ $ok = 1 ] && ! wait_tunnel 30; then
		ok=0 why="no ppp0/tunnel address after 30 s"
	fi
	t_ppp=$(uptime_s)
	if [ $ok = 1 ]; then
		before=$(esp_counters)
		if ! ping_both_ways 2; then
			ok=0 why="pings went unanswered"
		else
			after=$(esp_counters)
			[ "$after" -ge $((before + 8)) ] ||
			    { ok=0 why="ESP counters grew by $((after - before))"; }
		fi
	fi
	t_ping=$(uptime_s)
	if [ $ok = 1 ] && ! ctl server show sessions 2>&1 | grep -qw "$VPN_USER"; then
		ok=0 why="show sessions does not list $VPN_USER"
	fi
	if [ $ok = 1 ]; then
		RESULTS+=("ok   $name: IKE $(awk -v a="$t0" -v b="$t_ike" 'BEGIN { printf "%.1f", b - a }') s, L2TP+PPP $(awk -v a="$t_ike" -v b="$t_ppp" 'BEGIN { printf "%.1f", b - a }') s, pings $(awk -v a="$t_ppp" -v b="$t_ping" 'BEGIN { printf "%.1f", b - a }') s")
	else
		RESULTS+=("FAIL $name: $why")
		FAILED+=("$name")
	fi
	hang_up
}

# refused NAME IKE ESP: with `legacy no` IKE must fail, for that reason.
refused() {
	local name=$1 n0
	say "=== $name (legacy no): ike $2, esp $3"
	client_proposals "$2" "$3"
	n0=$(grep -c "enable \`legacy yes\`" "$LOG/server-l2tpsecd.log" || true)
	if ref_client_connect 15; then
		RESULTS+=("FAIL $name: connected with legacy no")
		FAILED+=("$name-refused")
		hang_up
		return
	fi
	if [ "$(grep -c "enable \`legacy yes\`" "$LOG/server-l2tpsecd.log")" -gt "$n0" ]; then
		RESULTS+=("ok   $name refused: $(grep "enable \`legacy yes\`" "$LOG/server-l2tpsecd.log" | tail -1 | sed 's/^[^:]*: //')")
	else
		RESULTS+=("FAIL $name: refused, but no \"enable legacy yes\" line")
		FAILED+=("$name-refused")
	fi
	on client swanctl --terminate --ike l2tp >>"$LOG/client-swanctl.log" 2>&1 || true
}

check() {
	local r
	try windows-aes256-ecp384 aes256-sha1-ecp384 aes256-sha1
	try windows-aes128-ecp256 aes128-sha1-ecp256 aes128-sha1
	try windows-aes256-modp2048 aes256-sha1-modp2048 aes256-sha1
	try windows-3des-modp1024 3des-sha1-modp1024 3des-sha1
	try windows-offer \
	    aes256-sha1-ecp384,aes128-sha1-ecp256,aes256-sha1-modp2048,3des-sha1-modp1024 \
	    aes256-sha1,aes128-sha1,3des-sha1
	try macos aes256-sha256-modp2048 aes256-sha1 'dynamic[udp]'
	try android aes256-sha1-modp1024 aes256-sha1
	try networkmanager \
	    aes256-sha1-modp2048,aes128-sha1-modp2048,3des-sha1-modp2048,aes256-sha1-modp1024 \
	    aes256-sha1,aes128-sha1,3des-sha1

	OURS_LEGACY=no ours_server_config
	ctl server reload >/dev/null 2>&1 || fail "reload failed"
	refused windows-3des-modp1024 3des-sha1-modp1024 3des-sha1
	refused android aes256-sha1-modp1024 aes256-sha1

	say "interop results ($OURS_DATAPLANE data plane):"
	for r in "${RESULTS[@]}"; do
		say "  $r"
	done
	[ ${#FAILED[@]} = 0 ] || fail "interop: ${FAILED[*]}"
}
