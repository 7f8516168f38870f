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


#include <string.h>

#include "common/cursor.h"
#include "dp_parse.h"

static const char *dp_perr_names[DP_P_NERRORS] = {
	"ok",
	"short",
	"not-ipv4",
	"bad-header-length",
	"bad-length",
	"wrong-protocol",
	"fragment"
};

const char *
dp_perr_str(int e)
{
	if (e < 0 || e >= DP_P_NERRORS)
		return ("unknown");
	return (dp_perr_names[e]);
}

int
dp_udp4500_kind(const uint8_t *pkt, size_t len)
{
	struct cur	 c;
	uint32_t	 spi;

	/* RFC 3948 2.3: "a one-octet-long payload with the value 0xFF". */
	if (len == 1 && pkt[0] == 0xff)
		return (DP_U_KEEPALIVE);
	cur_init(&c, pkt, len);
	if (cur_get_u32(&c, &spi) == -1)
		return (DP_U_SHORT);
	/* 2.2: four zero bytes where ESP has its SPI, which is never 0. */
	if (spi == 0)
		return (DP_U_NON_ESP);
	/* Sequence Number: anything shorter is no ESP header at all. */
	if (cur_left(&c) < 4)
		return (DP_U_SHORT);
	return (DP_U_ESP);
}

int
dp_ipv4_parse(const uint8_t *pkt, size_t len, struct dp_ipv4 *ip)
{
	struct cur	 c;
	uint8_t		 vhl, tos, ttl, proto;
	uint16_t	 tot, id, frag, sum;
	uint32_t	 src, dst;

	memset(ip, 0, sizeof(*ip));
	cur_init(&c, pkt, len);
	if (cur_get_u8(&c, &vhl) == -1 || cur_get_u8(&c, &tos) == -1 ||
	    cur_get_u16(&c, &tot) == -1 || cur_get_u16(&c, &id) == -1 ||
	    cur_get_u16(&c, &frag) == -1 || cur_get_u8(&c, &ttl) == -1 ||
	    cur_get_u8(&c, &proto) == -1 || cur_get_u16(&c, &sum) == -1 ||
	    cur_get_bytes(&c, &src, 4) == -1 ||
	    cur_get_bytes(&c, &dst, 4) == -1) {
		/* A lone first byte can still say it is not IPv4 at all. */
		if (len >= 1 && pkt[0] >> 4 != 4)
			return (DP_P_VERSION);
		return (DP_P_SHORT);
	}
	if (vhl >> 4 != 4)
		return (DP_P_VERSION);
	ip->ip_hlen = (size_t)(vhl & 0x0f) * 4;
	ip->ip_len = tot;
	if (ip->ip_hlen < DP_IPV4_HDRLEN || ip->ip_hlen > ip->ip_len)
		return (DP_P_HDRLEN);
	if (ip->ip_len > len)
		return (DP_P_LENGTH);
	ip->ip_src = src;
	ip->ip_dst = dst;
	ip->ip_proto = proto;
	ip->ip_ttl = ttl;
	/* RFC 791 3.1: MF is 0x2000, the offset the low 13 bits. */
	ip->ip_frag = (frag & 0x3fff) != 0;
	return (DP_P_OK);
}

int
dp_raw_esp_parse(const uint8_t *pkt, size_t len, struct dp_ipv4 *ip)
{
	int	 e;

	if ((e = dp_ipv4_parse(pkt, len, ip)) != DP_P_OK)
		return (e);
	if (ip->ip_proto != DP_IPPROTO_ESP)
		return (DP_P_PROTO);
	if (ip->ip_frag)
		return (DP_P_FRAGMENT);
	return (DP_P_OK);
}

int
dp_udp_parse(const uint8_t *pkt, size_t len, struct dp_udp *u)
{
	struct cur	 c;
	uint16_t	 ulen;

	memset(u, 0, sizeof(*u));
	cur_init(&c, pkt, len);
	if (cur_get_u16(&c, &u->u_sport) == -1 ||
	    cur_get_u16(&c, &u->u_dport) == -1 ||
	    cur_get_u16(&c, &ulen) == -1 || cur_get_u16(&c, &u->u_sum) == -1)
		return (DP_P_SHORT);
	if (ulen < DP_UDP_HDRLEN || ulen > len)
		return (DP_P_LENGTH);
	u->u_len = ulen;
	return (DP_P_OK);
}

int
dp_ppp_parse(const uint8_t *pkt, size_t len, struct dp_ppp *pp)
{
	struct cur	 c;
	uint16_t	 v;

	memset(pp, 0, sizeof(*pp));
	cur_init(&c, pkt, len);
	if (cur_peek_u16(&c, &v) == 0 && v == 0xff03) {
		(void)cur_skip(&c, 2);
		pp->pp_off = 2;
	}
	if (cur_get_u16(&c, &pp->pp_proto) == -1)
		return (DP_P_SHORT);
	pp->pp_info = pp->pp_off + 2;
	return (DP_P_OK);
}

static void
put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v & 0xff;
}

void
dp_l2tp_data_put(uint8_t *p, size_t msglen, uint16_t tid, uint16_t sid)
{
	put16(p, 0x4002);		/* L, Ver 2 */
	put16(p + 2, (uint16_t)msglen);
	put16(p + 4, tid);
	put16(p + 6, sid);
}

void
dp_udp_put(uint8_t *p, uint16_t sport, uint16_t dport, size_t len,
    uint16_t sum)
{
	put16(p, sport);
	put16(p + 2, dport);
	put16(p + 4, (uint16_t)len);
	put16(p + 6, sum);
}

void
dp_ppp_put(uint8_t *p, uint16_t proto)
{
	p[0] = 0xff;
	p[1] = 0x03;
	put16(p + 2, proto);
}

static uint32_t
sum16(uint32_t acc, const uint8_t *p, size_t len)
{
	size_t	 i;

	for (i = 0; i + 1 < len; i += 2)
		acc += (uint32_t)p[i] << 8 | p[i + 1];
	if (len & 1)
		acc += (uint32_t)p[len - 1] << 8;
	return (acc);
}

uint16_t
dp_udp6_sum(const uint8_t *src, const uint8_t *dst, const uint8_t *dgram,
    size_t len)
{
	uint32_t	 acc = 0;
	uint16_t	 s;

	acc = sum16(acc, src, 16);
	acc = sum16(acc, dst, 16);
	acc += (uint32_t)(len >> 16) + (uint32_t)(len & 0xffff);
	acc += DP_IPPROTO_UDP;
	acc = sum16(acc, dgram, len);
	while (acc >> 16)
		acc = (acc & 0xffff) + (acc >> 16);
	s = (uint16_t)~acc;
	return (s == 0 ? 0xffff : s);
}
