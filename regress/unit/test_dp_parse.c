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


#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "datapath/dp_parse.h"
#include "datapath/dp_stats.h"
#include "l2tp/l2tp_parse.h"
#include "test.h"

T_DEFINE_GLOBALS;

/*
 * The data path's wire formats with hand-built packets, good and bad:
 * UDP 4500 framing (RFC 3948 2), the IPv4 header a raw ESP socket
 * returns, the inner UDP datagram, the PPP header, the builders, and
 * the IPv6 UDP checksum against a worked example.
 */

static void
t_udp4500(void)
{
	uint8_t	 ka[] = { 0xff };
	uint8_t	 marker[] = { 0, 0, 0, 0, 0x11, 0x22 };
	uint8_t	 esp[] = { 0, 0, 0x10, 0x01, 0, 0, 0, 1, 0xaa };
	uint8_t	 shortesp[] = { 0, 0, 0x10, 0x01, 0, 0, 0 };

	T_ASSERT(dp_udp4500_kind(ka, 1) == DP_U_KEEPALIVE);
	/* Only a one-byte 0xff is a keepalive. */
	T_ASSERT(dp_udp4500_kind((const uint8_t *)"\xff\xff", 2) ==
	    DP_U_SHORT);
	T_ASSERT(dp_udp4500_kind((const uint8_t *)"\x00", 1) == DP_U_SHORT);
	T_ASSERT(dp_udp4500_kind(marker, sizeof(marker)) == DP_U_NON_ESP);
	T_ASSERT(dp_udp4500_kind(marker, 4) == DP_U_NON_ESP);
	T_ASSERT(dp_udp4500_kind(esp, sizeof(esp)) == DP_U_ESP);
	T_ASSERT(dp_udp4500_kind(esp, 8) == DP_U_ESP);
	T_ASSERT(dp_udp4500_kind(shortesp, sizeof(shortesp)) == DP_U_SHORT);
	T_ASSERT(dp_udp4500_kind(esp, 0) == DP_U_SHORT);
}

/* 20-byte IPv4 header, protocol p, total length tot. */
static void
mkip(uint8_t *b, uint8_t p, uint16_t tot, const char *src, const char *dst)
{
	memset(b, 0, 20);
	b[0] = 0x45;
	b[2] = tot >> 8;
	b[3] = tot & 0xff;
	b[8] = 64;
	b[9] = p;
	memcpy(b + 12, src, 4);
	memcpy(b + 16, dst, 4);
}

static void
t_ipv4(void)
{
	uint8_t		 b[64];
	struct dp_ipv4	 ip;

	mkip(b, 50, 40, "\xc0\x00\x02\x01", "\xc0\x00\x02\x02");
	T_ASSERT(dp_raw_esp_parse(b, 40, &ip) == DP_P_OK);
	T_ASSERT(ip.ip_hlen == 20 && ip.ip_len == 40 && ip.ip_proto == 50);
	T_ASSERT(memcmp(&ip.ip_src, "\xc0\x00\x02\x01", 4) == 0);
	T_ASSERT(memcmp(&ip.ip_dst, "\xc0\x00\x02\x02", 4) == 0);
	/* Bytes past Total Length are the caller's business. */
	T_ASSERT(dp_raw_esp_parse(b, 64, &ip) == DP_P_OK && ip.ip_len == 40);
	/* Total Length beyond the bytes. */
	T_ASSERT(dp_raw_esp_parse(b, 39, &ip) == DP_P_LENGTH);
	T_ASSERT(dp_raw_esp_parse(b, 19, &ip) == DP_P_SHORT);
	T_ASSERT(dp_raw_esp_parse(b, 0, &ip) == DP_P_SHORT);
	/* Options: IHL 6, the payload after 24 bytes. */
	b[0] = 0x46;
	T_ASSERT(dp_raw_esp_parse(b, 40, &ip) == DP_P_OK && ip.ip_hlen == 24);
	b[0] = 0x44;
	T_ASSERT(dp_raw_esp_parse(b, 40, &ip) == DP_P_HDRLEN);
	b[0] = 0x4f;			/* 60 > Total Length 40 */
	T_ASSERT(dp_raw_esp_parse(b, 40, &ip) == DP_P_HDRLEN);
	b[0] = 0x65;
	T_ASSERT(dp_raw_esp_parse(b, 40, &ip) == DP_P_VERSION);
	T_ASSERT(dp_ipv4_parse(b, 1, &ip) == DP_P_VERSION);
	b[0] = 0x45;
	b[9] = 17;
	T_ASSERT(dp_raw_esp_parse(b, 40, &ip) == DP_P_PROTO);
	T_ASSERT(dp_ipv4_parse(b, 40, &ip) == DP_P_OK && ip.ip_proto == 17);
	b[9] = 50;
	b[6] = 0x20;			/* MF */
	T_ASSERT(dp_raw_esp_parse(b, 40, &ip) == DP_P_FRAGMENT);
	b[6] = 0x00;
	b[7] = 0x01;			/* offset 8 */
	T_ASSERT(dp_raw_esp_parse(b, 40, &ip) == DP_P_FRAGMENT);
	b[6] = 0x40;			/* DF is fine */
	b[7] = 0x00;
	T_ASSERT(dp_raw_esp_parse(b, 40, &ip) == DP_P_OK);
	T_ASSERT(strcmp(dp_perr_str(DP_P_FRAGMENT), "fragment") == 0);
	T_ASSERT(strcmp(dp_perr_str(99), "unknown") == 0);
}

static void
t_udp(void)
{
	uint8_t		 b[32];
	struct dp_udp	 u;

	dp_udp_put(b, 1701, 4242, 20, 0x1234);
	T_ASSERT(memcmp(b, "\x06\xa5\x10\x92\x00\x14\x12\x34", 8) == 0);
	T_ASSERT(dp_udp_parse(b, 20, &u) == DP_P_OK);
	T_ASSERT(u.u_sport == 1701 && u.u_dport == 4242 && u.u_len == 20 &&
	    u.u_sum == 0x1234);
	/* TFC padding after Length (RFC 4303 2.7) is allowed. */
	T_ASSERT(dp_udp_parse(b, 32, &u) == DP_P_OK && u.u_len == 20);
	T_ASSERT(dp_udp_parse(b, 19, &u) == DP_P_LENGTH);
	T_ASSERT(dp_udp_parse(b, 7, &u) == DP_P_SHORT);
	dp_udp_put(b, 1701, 1701, 7, 0);
	T_ASSERT(dp_udp_parse(b, 20, &u) == DP_P_LENGTH);
	dp_udp_put(b, 1701, 1701, 8, 0);
	T_ASSERT(dp_udp_parse(b, 8, &u) == DP_P_OK && u.u_len == 8);
}

static void
t_ppp(void)
{
	struct dp_ppp	 pp;
	uint8_t		 b[8];

	T_ASSERT(dp_ppp_parse((const uint8_t *)"\xff\x03\x00\x21\x45", 5,
	    &pp) == DP_P_OK);
	T_ASSERT(pp.pp_proto == 0x0021 && pp.pp_off == 2 && pp.pp_info == 4);
	T_ASSERT(dp_ppp_parse((const uint8_t *)"\xc0\x21\x01", 3, &pp) ==
	    DP_P_OK);
	T_ASSERT(pp.pp_proto == 0xc021 && pp.pp_off == 0 && pp.pp_info == 2);
	/* FF 03 and no protocol. */
	T_ASSERT(dp_ppp_parse((const uint8_t *)"\xff\x03", 2, &pp) ==
	    DP_P_SHORT);
	T_ASSERT(dp_ppp_parse((const uint8_t *)"\xff\x03\x00", 3, &pp) ==
	    DP_P_SHORT);
	T_ASSERT(dp_ppp_parse((const uint8_t *)"\x21", 1, &pp) == DP_P_SHORT);
	/* Protocol 0xff03 itself, without FF 03 before it. */
	T_ASSERT(dp_ppp_parse((const uint8_t *)"\xff\x03\xff\x03", 4, &pp) ==
	    DP_P_OK && pp.pp_proto == 0xff03 && pp.pp_info == 4);
	dp_ppp_put(b, 0x8021);
	T_ASSERT(memcmp(b, "\xff\x03\x80\x21", 4) == 0);
}

static void
t_l2tp_data(void)
{
	uint8_t		 b[16];
	struct l2tp_hdr	 h;

	memset(b, 0xee, sizeof(b));
	dp_l2tp_data_put(b, 14, 0x1234, 0x5678);
	T_ASSERT(memcmp(b, "\x40\x02\x00\x0e\x12\x34\x56\x78", 8) == 0);
	T_ASSERT(l2tp_data_parse(b, 14, &h) == L2TP_P_OK);
	T_ASSERT(h.h_tunnel_id == 0x1234 && h.h_session_id == 0x5678 &&
	    h.h_hdrlen == 8 && h.h_msglen == 14);
	/* What we build is what the kernel and clients parse. */
	T_ASSERT(l2tp_data_parse(b, 13, &h) == L2TP_P_LENGTH);
}

/*
 * RFC 8200 8.1 pseudo-header: 2001:db8::1 -> 2001:db8::2, UDP 1701 ->
 * 1701 with payload "ab": sum worked out by hand below.
 */
static void
t_udp6_sum(void)
{
	uint8_t		 src[16], dst[16], d[10];
	uint16_t	 s;
	uint32_t	 acc;

	memset(src, 0, 16);
	memset(dst, 0, 16);
	src[0] = 0x20; src[1] = 0x01; src[2] = 0x0d; src[3] = 0xb8;
	memcpy(dst, src, 16);
	src[15] = 1;
	dst[15] = 2;
	dp_udp_put(d, 1701, 1701, 10, 0);
	d[8] = 'a';
	d[9] = 'b';
	s = dp_udp6_sum(src, dst, d, 10);
	/* 2001+0db8+0001 + 2001+0db8+0002 + len 10 + 17 + ports, len, data */
	acc = 0x2001 + 0x0db8 + 0x0001 + 0x2001 + 0x0db8 + 0x0002 + 10 + 17 +
	    1701 + 1701 + 10 + 0 + 0x6162;
	while (acc >> 16)
		acc = (acc & 0xffff) + (acc >> 16);
	T_ASSERT(s == (uint16_t)~acc);
	/* Putting it in makes the whole sum verify to 0xffff. */
	d[6] = s >> 8;
	d[7] = s & 0xff;
	T_ASSERT(dp_udp6_sum(src, dst, d, 10) == 0xffff);
}

static void
t_stat_names(void)
{
	int	 i, j;

	for (i = 0; i < DP_ST_MAX; i++) {
		T_ASSERT(strcmp(dp_stat_name(i), "unknown") != 0);
		for (j = 0; j < i; j++)
			T_ASSERT(strcmp(dp_stat_name(i), dp_stat_name(j)) != 0);
	}
	T_ASSERT(strcmp(dp_stat_name(DP_ST_MAX), "unknown") == 0);
	T_ASSERT(strcmp(dp_stat_name(-1), "unknown") == 0);
}

int
main(void)
{
	T_RUN(t_udp4500);
	T_RUN(t_ipv4);
	T_RUN(t_udp);
	T_RUN(t_ppp);
	T_RUN(t_l2tp_data);
	T_RUN(t_udp6_sum);
	T_RUN(t_stat_names);
	return (T_DONE());
}
