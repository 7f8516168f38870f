#!/usr/bin/env python3
# Turns one captured exchange (the initiator charon's debug log and a
# tcpdump of UDP/500 on the initiator's side) into a vector file for
# regress/unit/test_ike_crypto.c.  See README for how the two were made.
#
#   extract.py NAME SUITE a.log cap.pcap > NAME.txt
#
# SUITE: "encr keybits hash group" (phase 1 attribute values).
import re
import struct
import sys


def log_dumps(path):
    """[(label, bytes)] for every 'label => N bytes @ addr' hex dump."""
    out = []
    cur = None
    for line in open(path, errors='replace'):
        m = re.match(r'^\d+\[(\w+)\] (.*) => (\d+) bytes @ 0x[0-9a-f]+$',
                     line.rstrip('\n'))
        if m:
            cur = [m.group(2), bytearray(), int(m.group(3))]
            out.append(cur)
            continue
        m = re.match(r'^\d+\[\w+\]\s+\d+: ((?:[0-9A-F]{2} ){1,16})', line)
        if m and cur is not None:
            cur[1] += bytes.fromhex(m.group(1).replace(' ', ''))
            continue
        cur = None
    for c in out:
        if len(c[1]) != c[2]:
            sys.exit('short dump for ' + c[0])
    return [(c[0], bytes(c[1])) for c in out]


def pcap_udp(path):
    """[(src, sport, dst, dport, payload)] of the UDP datagrams."""
    d = open(path, 'rb').read()
    magic = struct.unpack('<I', d[:4])[0]
    assert magic == 0xa1b2c3d4, 'little-endian usec pcap expected'
    linktype = struct.unpack('<I', d[20:24])[0]
    assert linktype == 1, 'ethernet capture expected'
    off = 24
    out = []
    while off < len(d):
        _, _, incl, _ = struct.unpack('<IIII', d[off:off + 16])
        pkt = d[off + 16:off + 16 + incl]
        off += 16 + incl
        if pkt[12:14] != b'\x08\x00':
            continue
        ip = pkt[14:]
        ihl = (ip[0] & 15) * 4
        if ip[9] != 17:
            continue
        udp = ip[ihl:]
        sport, dport, ulen = struct.unpack('>HHH', udp[:6])
        out.append((ip[12:16], sport, ip[16:20], dport, udp[8:ulen]))
    return out


def first(dumps, label, after=0):
    for i, (l, b) in enumerate(dumps):
        if i >= after and l == label:
            return i, b
    return None, None


def main():
    name, suite, logp, pcapp = sys.argv[1:5]
    encr, keybits, hsh, group = suite.split()
    dumps = log_dumps(logp)
    pkts = pcap_udp(pcapp)
    p = print
    p('# IKEv1 PSK Main Mode + Quick Mode captured from strongSwan; see README')
    p('name %s' % name)
    p('psk %s' % b'l2tpsecd-vector-psk'.hex())
    p('ike_encr %s' % encr)
    p('ike_keybits %s' % keybits)
    p('ike_hash %s' % hsh)
    p('ike_group %s' % group)
    src, sport, dst, dport, _ = pkts[0]
    p('i_addr %s' % src.hex())
    p('i_port %d' % sport)
    p('r_addr %s' % dst.hex())
    p('r_port %d' % dport)
    # Main Mode 1-6, Quick Mode 1-2 (QM3 never comes: charon fails to
    # install the SAs first and sends an informational with a
    # NO-PROPOSAL-CHOSEN notify instead, info1).
    names = ['mm1', 'mm2', 'mm3', 'mm4', 'mm5', 'mm6', 'qm1', 'qm2', 'info1']
    for n, pk in zip(names, pkts):
        p('%s %s' % (n, pk[4].hex()))
    want = [('gxy', 'shared Diffie Hellman secret'), ('skeyid', 'SKEYID'),
            ('skeyid_d', 'SKEYID_d'), ('skeyid_a', 'SKEYID_a'),
            ('skeyid_e', 'SKEYID_e'), ('enckey', 'encryption key Ka'),
            ('iv_p1', 'initial IV'), ('hash_i', 'HASH_I'),
            ('hash_r', 'HASH_R'), ('qm_hash1', 'Hash(1)'),
            ('qm_hash2', 'Hash(2)')]
    for k, label in want:
        _, b = first(dumps, label)
        p('%s %s' % (k, b.hex()))
    # The first "next IV for MID <qm>" is the phase 2 IV of RFC 2409 B.
    mid = None
    for l, b in dumps:
        m = re.match(r'next IV for MID (\d+)$', l)
        if m and m.group(1) != '0':
            mid = int(m.group(1))
            p('qm_msgid %d' % mid)
            p('iv_qm %s' % b.hex())
            break
    _, b = first(dumps, 'DH secret')
    if b is not None:
        p('qm_gxy %s' % b.hex())
    for k, label in [('esp_enc_i', 'encryption initiator key'),
                     ('esp_enc_r', 'encryption responder key'),
                     ('esp_integ_i', 'integrity initiator key'),
                     ('esp_integ_r', 'integrity responder key')]:
        _, b = first(dumps, label)
        p('%s %s' % (k, b.hex()))


main()
