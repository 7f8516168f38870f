/*
 * Copyright (c) 2026 The l2tpsecd developers
 *
 * Permission to use, copy, modify, and distribute this software for any
 * purpose with or without fee is hereby granted, provided that the above
 * copyright notice and this permission notice appear in all copies.
 *
 * THE SOFTWARE IS PROVIDED "AS IS" AND THE AUTHOR DISCLAIMS ALL WARRANTIES
 * WITH REGARD TO THIS SOFTWARE INCLUDING ALL IMPLIED WARRANTIES OF
 * MERCHANTABILITY AND FITNESS. IN NO EVENT SHALL THE AUTHOR BE LIABLE FOR
 * ANY SPECIAL, DIRECT, INDIRECT, OR CONSEQUENTIAL DAMAGES OR ANY DAMAGES
 * WHATSOEVER RESULTING FROM LOSS OF USE, DATA OR PROFITS, WHETHER IN AN
 * ACTION OF CONTRACT, NEGLIGENCE OR OTHER TORTIOUS ACTION, ARISING OUT OF
 * OR IN CONNECTION WITH THE USE OR PERFORMANCE OF THIS SOFTWARE.
 */


#ifndef L2TPSEC_DP_PARSE_H
#define L2TPSEC_DP_PARSE_H

#include <stddef.h>
#include <stdint.h>

/*
 * The data path's wire formats, knowing only bytes: the framing on UDP
 * 4500 (RFC 3948), the IPv4 header a raw ESP socket hands up, the inner
 * UDP datagram of a transport-mode SA (RFC 3193), the PPP header inside
 * L2TP data (RFC 2661 5.3, RFC 1662 3.2) and the IPv4 header of the
 * packets PPP carries.  No state, no allocation: the fuzzer
 * (regress/fuzz/fuzz_dp.c) links this file, l2tp_parse.c and the cursor
 * alone.  The L2TP data header itself is l2tp_data_parse().
 */

#define DP_UDP_HDRLEN		8
#define DP_IPV4_HDRLEN		20	/* without options */
#define DP_L2TP_DATA_HDRLEN	8	/* ours: flags, Length, ids */
#define DP_PPP_HDRLEN		4	/* FF 03, protocol */

#define DP_PPP_IPV4		0x0021	/* RFC 1332 */
#define DP_IPPROTO_UDP		17
#define DP_IPPROTO_ESP		50
#define DP_L2TP_PORT		1701

/* Parse results; each failure has a name (dp_perr_str) and a counter. */
enum dp_perr {
	DP_P_OK = 0,
	DP_P_SHORT,		/* fewer bytes than the header needs */
	DP_P_VERSION,		/* IP version is not 4 */
	DP_P_HDRLEN,		/* IHL < 5 or beyond the total length */
	DP_P_LENGTH,		/* a length field beyond the bytes, or short */
	DP_P_PROTO,		/* not the protocol this place carries */
	DP_P_FRAGMENT,		/* an IPv4 fragment where none can be */
	DP_P_NERRORS
};

const char	*dp_perr_str(int);

/*
 * What a datagram on UDP 4500 is, from its first bytes (RFC 3948 2.1-2.3):
 * a one-byte 0xff NAT keepalive, IKE behind the four-byte non-ESP marker
 * (ike's, and the steering program should not have given it to us), or
 * ESP, whose SPI is never zero.  Anything shorter than an ESP header and
 * not a keepalive is DP_U_SHORT.
 */
enum dp_udp_kind {
	DP_U_ESP = 0,
	DP_U_KEEPALIVE,
	DP_U_NON_ESP,
	DP_U_SHORT
};
int	dp_udp4500_kind(const uint8_t *, size_t);

/* An IPv4 header (RFC 791 3.1), addresses in network byte order. */
struct dp_ipv4 {
	uint32_t	ip_src;
	uint32_t	ip_dst;
	uint8_t		ip_proto;
	uint8_t		ip_ttl;
	size_t		ip_hlen;	/* where the payload starts */
	size_t		ip_len;		/* Total Length: where it ends */
	int		ip_frag;	/* MF set or a fragment offset */
};

/*
 * Any IPv4 header: version 4, 20 <= IHL * 4 <= Total Length <= len.
 * Bytes beyond Total Length are left to the caller (a TUN read must not
 * have any; PPP may pad).  The header checksum is not checked: a raw
 * socket's kernel already did, and the TUN's will for what we write.
 */
int	dp_ipv4_parse(const uint8_t *, size_t, struct dp_ipv4 *);

/*
 * What a raw IPPROTO_ESP socket returns on IPv4: the IP header, then ESP
 * (raw(7): the header is included on receipt).  Protocol 50, never a
 * fragment (the kernel reassembles before raw delivery).  The ESP packet
 * is at pkt + ip_hlen, ip_len - ip_hlen bytes.
 */
int	dp_raw_esp_parse(const uint8_t *, size_t, struct dp_ipv4 *);

/* A UDP header (RFC 768); the payload is at pkt + 8, u_len - 8 bytes. */
struct dp_udp {
	uint16_t	u_sport;
	uint16_t	u_dport;
	uint16_t	u_sum;
	size_t		u_len;		/* from the Length field */
};

/*
 * The inner datagram of a transport-mode SA: the ESP payload whose Next
 * Header is 17.  8 <= Length <= len; bytes after Length are allowed (RFC
 * 4303 2.7: TFC padding may follow a payload that carries its length)
 * and are not part of the datagram.  The checksum is not verified: after
 * NAT it is wrong by design (RFC 3948 3.1.2), and the ICV protects the
 * bytes better than it could.
 */
int	dp_udp_parse(const uint8_t *, size_t, struct dp_udp *);

/*
 * The PPP frame in an L2TP data message: Address and Control FF 03 are
 * optional (RFC 1662 3.2; clients and the kernel send them), then a
 * two-octet Protocol field (our LCP refuses PFC, so it is never
 * compressed).  pp_off is where the Protocol field starts -- ppp's
 * SEQPACKET framing -- and pp_info where the Information field does.
 */
struct dp_ppp {
	uint16_t	pp_proto;
	size_t		pp_off;
	size_t		pp_info;
};
int	dp_ppp_parse(const uint8_t *, size_t, struct dp_ppp *);

/*
 * Outbound headers, written in place in front of a payload (the slot
 * layout of datapath.h leaves room).  dp_l2tp_data_put: 8 bytes, L bit
 * set, no Ns/Nr (RFC 2661 3.1), Length covering the header and msglen -
 * 8 bytes after it.  dp_udp_put: 8 bytes.  dp_ppp_put: FF 03 + proto.
 */
void	dp_l2tp_data_put(uint8_t *, size_t msglen, uint16_t tid,
	    uint16_t sid);
void	dp_udp_put(uint8_t *, uint16_t sport, uint16_t dport, size_t len,
	    uint16_t sum);
void	dp_ppp_put(uint8_t *, uint16_t proto);

/*
 * The UDP checksum over an IPv6 pseudo-header (RFC 8200 8.1), for the
 * one case where zero is not allowed: src and dst are 16 bytes each,
 * dgram the whole datagram with its checksum field zero.  Never returns
 * 0 (RFC 768: a computed 0 is sent as 0xffff).
 */
uint16_t dp_udp6_sum(const uint8_t *src, const uint8_t *dst,
	    const uint8_t *dgram, size_t len);

#endif
