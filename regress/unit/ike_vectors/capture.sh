#!/bin/sh
# Re-captures the vector files in this directory from two strongSwan
# charons (IKEv1, PSK, transport mode, UDP/1701) in two network
# namespaces joined by a veth pair.  Not run by the tests: the vector
# files are committed.  Needs root, and Debian's charon, swanctl, tcpdump
# and python3:
#
#   apt-get install charon-systemd strongswan-swanctl strongswan-charon \
#       libcharon-extra-plugins tcpdump
#   sh regress/unit/ike_vectors/capture.sh [OUTDIR]
#
# Each charon runs in its own mount namespace with a tmpfs on /run (the
# pid file and the vici socket live there) and its own strongswan.conf
# (STRONGSWAN_CONF), logging ike/chd at level 4 ("private" detail: DH
# secret, SKEYID*, keys, IVs) to a file.  The host kernel has no ESP, so
# each Quick Mode ends with "unable to install ... SA" after the keys
# were logged.  Only the namespaces, veth pair and processes made here
# are touched, and they are removed at the end.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here}
w=$(mktemp -d /tmp/l2tpsec-vectors.XXXXXX)
nsa=l2scap-a
nsb=l2scap-b
pids=""

cleanup() {
	for p in $pids; do
		kill "$p" 2>/dev/null || true
	done
	sleep 1
	ip netns del $nsa 2>/dev/null || true
	ip netns del $nsb 2>/dev/null || true
	rm -rf "$w"
}
trap cleanup EXIT INT TERM

# name, IKE proposal, ESP proposal, SUITE (encr:keybits:hash:group)
suites="
aes128-sha1-modp2048 aes128-sha1-modp2048 aes128-sha1 7:128:2:14
aes256-sha256-ecp256 aes256-sha256-ecp256 aes256-sha256-ecp256 7:256:4:19
aes128-sha1-modp1024 aes128-sha1-modp1024 3des-sha1 7:128:2:2
aes256-sha1-modp1536 aes256-sha1-modp1536 aes256-sha1-modp1536 7:256:2:5
3des-sha1-modp3072 3des-sha1-modp3072 aes128-sha256 5:0:2:15
aes256-sha384-ecp384 aes256-sha384-ecp384 aes128-sha512 7:256:5:20
aes128-sha512-modp4096 aes128-sha512-modp4096 aes256-sha384 7:128:6:16
"

conf() {
	# conf SIDE: strongswan.conf for one side
	cat <<EOF
charon {
	load_modular = yes
	install_routes = no
	install_virtual_ip = no
	retransmit_tries = 2
	plugins {
		include /etc/strongswan.d/charon/*.conf
	}
	filelog {
		cap {
			path = $w/$1/charon.log
			append = no
			flush_line = yes
			default = 1
			ike = 4
			chd = 4
			cfg = 2
			enc = 3
			knl = 2
			net = 2
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

conn() {
	# conn NAME LOCAL REMOTE IKEPROPS ESPPROPS
	cat <<EOF
	$1 {
		version = 1
		local_addrs = $2
		remote_addrs = $3
		proposals = $4
		local {
			auth = psk
			id = $2
		}
		remote {
			auth = psk
			id = $3
		}
		children {
			l2tp {
				mode = transport
				local_ts = dynamic[udp/1701]
				remote_ts = dynamic[udp/1701]
				esp_proposals = $5
			}
		}
	}
EOF
}

secrets='secrets {
	ike-1 {
		id-a = 192.0.2.1
		id-b = 192.0.2.2
		secret = "l2tpsecd-vector-psk"
	}
}'

mkdir -p "$w/a" "$w/b"
conf a > "$w/a/strongswan.conf"
conf b > "$w/b/strongswan.conf"

run_one() {
	name=$1 ike=$2 esp=$3 suite=$4
	ip netns del $nsa 2>/dev/null || true
	ip netns del $nsb 2>/dev/null || true
	ip netns add $nsa
	ip netns add $nsb
	ip link add l2scap-va type veth peer name l2scap-vb
	ip link set l2scap-va netns $nsa
	ip link set l2scap-vb netns $nsb
	ip -n $nsa addr add 192.0.2.1/24 dev l2scap-va
	ip -n $nsb addr add 192.0.2.2/24 dev l2scap-vb
	ip -n $nsa link set l2scap-va up
	ip -n $nsb link set l2scap-vb up

	{ echo "connections {"; conn v 192.0.2.1 192.0.2.2 "$ike" "$esp"
	  echo "}"; echo "$secrets"; } > "$w/a/swanctl.conf"
	{ echo "connections {"; conn v 192.0.2.2 192.0.2.1 "$ike" "$esp"
	  echo "}"; echo "$secrets"; } > "$w/b/swanctl.conf"

	for s in a b; do
		rm -f "$w/$s/pid"
		ip netns exec l2scap-$s unshare -m --propagation private sh -c "
			mount -t tmpfs none /run
			STRONGSWAN_CONF=$w/$s/strongswan.conf \
			    /usr/lib/ipsec/charon >/dev/null 2>&1 &
			echo \$! > $w/$s/pid
			wait" &
	done
	sleep 3
	pa=$(cat "$w/a/pid")
	pb=$(cat "$w/b/pid")
	pids="$pa $pb"
	ip netns exec $nsa tcpdump -U -i l2scap-va -w "$w/cap.pcap" \
	    udp port 500 >/dev/null 2>&1 &
	td=$!
	pids="$pids $td"
	for s in a b; do
		p=$(cat "$w/$s/pid")
		STRONGSWAN_CONF=$w/$s/strongswan.conf nsenter -t "$p" -m -n \
		    swanctl --load-all --file "$w/$s/swanctl.conf" >/dev/null
	done
	sleep 1
	STRONGSWAN_CONF=$w/a/strongswan.conf nsenter -t "$pa" -m -n \
	    timeout 30 swanctl --initiate --ike v --child l2tp || true
	sleep 2
	kill "$td" "$pa" "$pb" 2>/dev/null || true
	pids=""
	sleep 2
	python3 "$here/extract.py" "$name" "$(echo "$suite" | tr : ' ')" \
	    "$w/a/charon.log" "$w/cap.pcap" > "$out/$name.txt"
	echo "captured $out/$name.txt"
}

while read -r name ike esp suite; do
	[ -n "$name" ] || continue
	run_one "$name" "$ike" "$esp" "$suite"
done <<EOF
$suites
EOF
