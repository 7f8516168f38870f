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


#include <arpa/inet.h>

#include <string.h>

#include "common/cursor.h"
#include "ppp/ppp_parse.h"
#include "test.h"

T_DEFINE_GLOBALS;

static struct ppp_cp
mkcp(uint8_t code, const void *data, size_t len)
{
	struct ppp_cp	 cp;

	memset(&cp, 0, sizeof(cp));
	cp.cp_code = code;
	cp.cp_len = (uint16_t)(len + 4);
	cp.cp_data = data;
	cp.cp_datalen = len;
	return (cp);
}

static void
test_frame(void)
{
	struct ppp_frame	 f;
	struct obuf		 o;
	uint8_t			 buf[16];

	/* RFC 2661 5.3: with Address and Control. */
	T_ASSERT(ppp_frame_parse((const uint8_t *)"\xff\x03\xc0\x21\x01", 5,
	    &f) == 0);
	T_ASSERT(f.pf_acf == 1 && f.pf_proto == PPP_PROTO_LCP &&
	    f.pf_infolen == 1 && f.pf_info[0] == 1);
	/* RFC 1662 3.2: without them. */
	T_ASSERT(ppp_frame_parse((const uint8_t *)"\x80\x21", 2, &f) == 0);
	T_ASSERT(f.pf_acf == 0 && f.pf_proto == PPP_PROTO_IPCP &&
	    f.pf_infolen == 0);
	T_ASSERT(ppp_proto_valid(f.pf_proto));
	/* Too short for a Protocol field. */
	T_ASSERT(ppp_frame_parse((const uint8_t *)"", 0, &f) == -1);
	T_ASSERT(ppp_frame_parse((const uint8_t *)"\xc0", 1, &f) == -1);
	T_ASSERT(ppp_frame_parse((const uint8_t *)"\xff\x03", 2, &f) == -1);
	T_ASSERT(ppp_frame_parse((const uint8_t *)"\xff\x03\xc0", 3,
	    &f) == -1);
	/*
	 * A compressed (PFC) one-octet Protocol field reads as a value with
	 * an odd high octet: an unrecognized protocol (RFC 1661 2).
	 */
	T_ASSERT(ppp_frame_parse((const uint8_t *)"\x21\x45\x00", 3,
	    &f) == 0);
	T_ASSERT(f.pf_proto == 0x2145 && !ppp_proto_valid(f.pf_proto));
	/* FF not followed by 03 is no Address field: Protocol ff.., odd. */
	T_ASSERT(ppp_frame_parse((const uint8_t *)"\xff\x05\x00", 3,
	    &f) == 0);
	T_ASSERT(f.pf_acf == 0 && !ppp_proto_valid(f.pf_proto));
	/* RFC 1661 2: odd, with an even high octet. */
	T_ASSERT(ppp_proto_valid(PPP_PROTO_CHAP));
	T_ASSERT(ppp_proto_valid(PPP_PROTO_IP));
	T_ASSERT(!ppp_proto_valid(0xc022));
	T_ASSERT(!ppp_proto_valid(0x0121));

	obuf_init(&o, buf, sizeof(buf));
	ppp_frame_put_hdr(&o, 1, PPP_PROTO_PAP);
	ppp_frame_put_hdr(&o, 0, PPP_PROTO_IPCP);
	T_ASSERT(obuf_error(&o) == 0 && o.o_len == 6 &&
	    memcmp(buf, "\xff\x03\xc0\x23\x80\x21", 6) == 0);
}

static void
test_cp_header(void)
{
	struct ppp_cp	 cp;
	static const uint8_t	 pkt[] = { 9, 0x11, 0, 8, 1, 2, 3, 4,
				    0xee, 0xee };	/* 2 octets padding */
	size_t		 n;

	T_ASSERT(ppp_cp_parse(pkt, sizeof(pkt), &cp) == 0);
	T_ASSERT(cp.cp_code == 9 && cp.cp_id == 0x11 && cp.cp_len == 8 &&
	    cp.cp_datalen == 4 && cp.cp_data == pkt + 4);
	/* Every truncation below Length fails. */
	for (n = 0; n < 8; n++)
		T_ASSERT(ppp_cp_parse(pkt, n, &cp) == -1);
	T_ASSERT(ppp_cp_parse(pkt, 8, &cp) == 0);
	/* Length below the header, Length past the frame. */
	T_ASSERT(ppp_cp_parse((const uint8_t *)"\x01\x01\x00\x03\x00", 5,
	    &cp) == -1);
	T_ASSERT(ppp_cp_parse((const uint8_t *)"\x01\x01\x00\x00", 4,
	    &cp) == -1);
	T_ASSERT(ppp_cp_parse((const uint8_t *)"\x01\x01\x00\x05", 4,
	    &cp) == -1);
	T_ASSERT(ppp_cp_parse((const uint8_t *)"\x01\x01\xff\xff\x00", 5,
	    &cp) == -1);
	/* Exactly the header: empty data. */
	T_ASSERT(ppp_cp_parse((const uint8_t *)"\x06\x01\x00\x04", 4,
	    &cp) == 0 && cp.cp_datalen == 0);
}

static void
test_options(void)
{
	struct ppp_opt_iter	 it;
	struct ppp_opt		 opt;
	static const uint8_t	 good[] = { 1, 4, 0x05, 0xdc, 7, 2, 5, 6,
				    1, 2, 3, 4 };
	int			 n = 0;
	size_t			 len;

	ppp_opt_iter_init(&it, good, sizeof(good));
	while (ppp_opt_next(&it, &opt) == 1) {
		n++;
		T_ASSERT(opt.po_raw + opt.po_len <= good + sizeof(good));
	}
	T_ASSERT(n == 3);
	T_ASSERT(ppp_opts_valid(good, sizeof(good)) == 0);
	T_ASSERT(ppp_opts_valid(good, 0) == 0);
	/* Every cut inside an option is malformed; cuts between are not. */
	for (len = 0; len <= sizeof(good); len++)
		T_ASSERT(ppp_opts_valid(good, len) ==
		    ((len == 0 || len == 4 || len == 6 || len == 12) ?
		    0 : -1));
	/* Option length 0 and 1 (would never advance). */
	T_ASSERT(ppp_opts_valid((const uint8_t *)"\x01\x00", 2) == -1);
	T_ASSERT(ppp_opts_valid((const uint8_t *)"\x01\x01", 2) == -1);
	T_ASSERT(ppp_opts_valid((const uint8_t *)"\x07\x02\x01\x01", 4) ==
	    -1);
	/* Option past the end of the packet. */
	T_ASSERT(ppp_opts_valid((const uint8_t *)"\x05\x06\x01\x02\x03",
	    5) == -1);
	T_ASSERT(ppp_opts_valid((const uint8_t *)"\x07\x02\x05\xff", 4) ==
	    -1);
	/* A lone trailing octet. */
	T_ASSERT(ppp_opts_valid((const uint8_t *)"\x07\x02\x08", 3) == -1);
	/* The error is sticky. */
	ppp_opt_iter_init(&it, (const uint8_t *)"\x01\x01\x07\x02", 4);
	T_ASSERT(ppp_opt_next(&it, &opt) == -1);
	T_ASSERT(ppp_opt_next(&it, &opt) == -1);
}

static int
lcp1(const char *raw, size_t len, struct lcp_optval *v)
{
	struct ppp_opt_iter	 it;
	struct ppp_opt		 opt;

	ppp_opt_iter_init(&it, (const uint8_t *)raw, len);
	if (ppp_opt_next(&it, &opt) != 1)
		return (-2);
	return (lcp_opt_decode(&opt, v));
}

static void
test_lcp_options(void)
{
	struct lcp_optval	 v;

	T_ASSERT(lcp1("\x01\x04\x05\x78", 4, &v) == 0 && v.lo_mru == 1400);
	T_ASSERT(lcp1("\x02\x06\x00\x0a\x00\x00", 6, &v) == 0 &&
	    v.lo_accm == 0x000a0000);
	T_ASSERT(lcp1("\x03\x04\xc0\x23", 4, &v) == 0 &&
	    v.lo_auth == PPP_PROTO_PAP);
	T_ASSERT(lcp1("\x03\x05\xc2\x23\x05", 5, &v) == 0 &&
	    v.lo_auth == PPP_PROTO_CHAP && v.lo_chap_alg == CHAP_ALG_MD5);
	T_ASSERT(lcp1("\x03\x05\xc2\x23\x81", 5, &v) == 0 &&
	    v.lo_chap_alg == CHAP_ALG_MSCHAPV2);
	/* Another protocol (EAP): decoded, data kept raw. */
	T_ASSERT(lcp1("\x03\x04\xc2\x27", 4, &v) == 0 &&
	    v.lo_auth == PPP_PROTO_EAP && v.lo_datalen == 2);
	T_ASSERT(lcp1("\x04\x08\xc0\x25\0\0\0\x0a", 8, &v) == 0 &&
	    v.lo_quality == PPP_PROTO_LQR);
	T_ASSERT(lcp1("\x05\x06\xde\xad\xbe\xef", 6, &v) == 0 &&
	    v.lo_magic == 0xdeadbeef);
	T_ASSERT(lcp1("\x07\x02", 2, &v) == 0 && v.lo_type == LCP_OPT_PFC);
	T_ASSERT(lcp1("\x08\x02", 2, &v) == 0 && v.lo_type == LCP_OPT_ACFC);
	/* Unknown: kept raw. */
	T_ASSERT(lcp1("\x13\x05\x01\x02\x03", 5, &v) == 0 &&
	    v.lo_type == 19 && v.lo_datalen == 3 && v.lo_data[2] == 3);

	/* Wrong lengths for the type (RFC 1661 6: Nak these). */
	T_ASSERT(lcp1("\x01\x03\x05", 3, &v) == -1);
	T_ASSERT(lcp1("\x01\x05\x05\xdc\x00", 5, &v) == -1);
	T_ASSERT(lcp1("\x01\x02", 2, &v) == -1);
	T_ASSERT(lcp1("\x02\x05\0\0\0", 5, &v) == -1);
	T_ASSERT(lcp1("\x03\x03\xc0", 3, &v) == -1);
	/* PAP with an extra octet, CHAP without its Algorithm. */
	T_ASSERT(lcp1("\x03\x05\xc0\x23\x00", 5, &v) == -1);
	T_ASSERT(lcp1("\x03\x04\xc2\x23", 4, &v) == -1);
	T_ASSERT(lcp1("\x03\x06\xc2\x23\x05\x00", 6, &v) == -1);
	T_ASSERT(lcp1("\x04\x03\xc0", 3, &v) == -1);
	T_ASSERT(lcp1("\x05\x05\x01\x02\x03", 5, &v) == -1);
	T_ASSERT(lcp1("\x05\x07\x01\x02\x03\x04\x05", 7, &v) == -1);
	T_ASSERT(lcp1("\x07\x03\x00", 3, &v) == -1);
	T_ASSERT(lcp1("\x08\x04\x00\x00", 4, &v) == -1);
}

static int
ipcp1(const char *raw, size_t len, struct ipcp_optval *v)
{
	struct ppp_opt_iter	 it;
	struct ppp_opt		 opt;

	ppp_opt_iter_init(&it, (const uint8_t *)raw, len);
	if (ppp_opt_next(&it, &opt) != 1)
		return (-2);
	return (ipcp_opt_decode(&opt, v));
}

static void
test_ipcp_options(void)
{
	struct ipcp_optval	 v;
	static const uint8_t	 types[] = { 3, 129, 130, 131, 132 };
	char			 raw[6];
	size_t			 i;

	for (i = 0; i < sizeof(types); i++) {
		memcpy(raw, "\x03\x06\x0a\x02\x00\x64", 6);
		raw[0] = (char)types[i];
		T_ASSERT(ipcp1(raw, 6, &v) == 0 && v.io_type == types[i] &&
		    v.io_addr.s_addr == htonl(0x0a020064));
		raw[1] = 5;
		T_ASSERT(ipcp1(raw, 5, &v) == -1);
	}
	T_ASSERT(ipcp1("\x03\x06\0\0\0\0", 6, &v) == 0 &&
	    v.io_addr.s_addr == 0);
	T_ASSERT(ipcp1("\x03\x08\0\0\0\0\0\0", 8, &v) == -1);
	T_ASSERT(ipcp1("\x02\x06\x00\x2d\x0f\x01", 6, &v) == 0 &&
	    v.io_comp == PPP_PROTO_VJC && v.io_datalen == 4);
	T_ASSERT(ipcp1("\x02\x03\x00", 3, &v) == -1);
	T_ASSERT(ipcp1("\x01\x0a\x0a\0\0\x01\x0a\0\0\x02", 10, &v) == 0 &&
	    v.io_addr.s_addr == htonl(0x0a000001) &&
	    v.io_addr2.s_addr == htonl(0x0a000002));
	T_ASSERT(ipcp1("\x01\x06\x0a\0\0\x01", 6, &v) == -1);
	T_ASSERT(ipcp1("\x90\x02", 2, &v) == 0 && v.io_datalen == 0);
}

/* A whole Configure-Request built, framed, then read back. */
static void
test_lcp_roundtrip(void)
{
	uint8_t			 buf[128];
	struct obuf		 o;
	struct ppp_frame	 f;
	struct ppp_cp		 cp;
	struct ppp_opt_iter	 it;
	struct ppp_opt		 opt;
	struct lcp_optval	 v;
	struct ipcp_optval	 iv;
	struct in_addr		 a;
	size_t			 off;
	int			 n = 0;

	obuf_init(&o, buf, sizeof(buf));
	ppp_frame_put_hdr(&o, 1, PPP_PROTO_LCP);
	off = ppp_cp_begin(&o, PPP_CONF_REQ, 0x21);
	lcp_opt_put_mru(&o, 1400);
	lcp_opt_put_accm(&o, 0);
	lcp_opt_put_auth(&o, PPP_PROTO_CHAP, CHAP_ALG_MSCHAPV2);
	lcp_opt_put_auth(&o, PPP_PROTO_PAP, 0);
	lcp_opt_put_magic(&o, 0x01020304);
	lcp_opt_put_flag(&o, LCP_OPT_PFC);
	lcp_opt_put_flag(&o, LCP_OPT_ACFC);
	ppp_cp_end(&o, off);
	T_ASSERT_RET(obuf_error(&o) == 0);
	T_ASSERT(o.o_len == 4 + 4 + 4 + 6 + 5 + 4 + 6 + 2 + 2);

	T_ASSERT_RET(ppp_frame_parse(buf, o.o_len, &f) == 0);
	T_ASSERT(f.pf_acf && f.pf_proto == PPP_PROTO_LCP);
	T_ASSERT_RET(ppp_cp_parse(f.pf_info, f.pf_infolen, &cp) == 0);
	T_ASSERT(cp.cp_code == PPP_CONF_REQ && cp.cp_id == 0x21 &&
	    cp.cp_len == f.pf_infolen);
	ppp_opt_iter_init(&it, cp.cp_data, cp.cp_datalen);
	while (ppp_opt_next(&it, &opt) == 1) {
		T_ASSERT(lcp_opt_decode(&opt, &v) == 0);
		switch (n++) {
		case 0:
			T_ASSERT(v.lo_type == LCP_OPT_MRU && v.lo_mru == 1400);
			break;
		case 1:
			T_ASSERT(v.lo_type == LCP_OPT_ACCM && v.lo_accm == 0);
			break;
		case 2:
			T_ASSERT(v.lo_auth == PPP_PROTO_CHAP &&
			    v.lo_chap_alg == CHAP_ALG_MSCHAPV2);
			break;
		case 3:
			T_ASSERT(v.lo_auth == PPP_PROTO_PAP);
			break;
		case 4:
			T_ASSERT(v.lo_magic == 0x01020304);
			break;
		case 5:
			T_ASSERT(v.lo_type == LCP_OPT_PFC);
			break;
		case 6:
			T_ASSERT(v.lo_type == LCP_OPT_ACFC);
			break;
		}
	}
	T_ASSERT(n == 7);

	/* IPCP Configure-Nak with addresses, and the raw copy. */
	obuf_init(&o, buf, sizeof(buf));
	off = ppp_cp_begin(&o, PPP_CONF_NAK, 3);
	a.s_addr = htonl(0xc0a80101);
	ipcp_opt_put_addr(&o, IPCP_OPT_ADDRESS, a);
	a.s_addr = htonl(0x08080808);
	ipcp_opt_put_addr(&o, IPCP_OPT_DNS1, a);
	ppp_cp_end(&o, off);
	T_ASSERT_RET(obuf_error(&o) == 0 && o.o_len == 16);
	T_ASSERT(ppp_cp_parse(buf, o.o_len, &cp) == 0);
	ppp_opt_iter_init(&it, cp.cp_data, cp.cp_datalen);
	T_ASSERT(ppp_opt_next(&it, &opt) == 1);
	T_ASSERT(ipcp_opt_decode(&opt, &iv) == 0 &&
	    iv.io_addr.s_addr == htonl(0xc0a80101));
	T_ASSERT(ppp_opt_next(&it, &opt) == 1);
	T_ASSERT(ipcp_opt_decode(&opt, &iv) == 0 &&
	    iv.io_type == IPCP_OPT_DNS1 &&
	    iv.io_addr.s_addr == htonl(0x08080808));
	{
		uint8_t		 b2[8];
		struct obuf	 o2;

		obuf_init(&o2, b2, sizeof(b2));
		ppp_opt_put_raw(&o2, &opt);
		T_ASSERT(o2.o_len == 6 && memcmp(b2, opt.po_raw, 6) == 0);
	}
	T_ASSERT(ppp_opt_next(&it, &opt) == 0);

	/* Too small a buffer: sticky error, never an overflow. */
	obuf_init(&o, buf, 7);
	off = ppp_cp_begin(&o, PPP_CONF_REQ, 1);
	lcp_opt_put_magic(&o, 1);
	ppp_cp_end(&o, off);
	T_ASSERT(obuf_error(&o) == -1);
	/* An option body too long for its one-octet Length. */
	obuf_init(&o, buf, sizeof(buf));
	ppp_opt_put(&o, 99, buf, 254);
	T_ASSERT(obuf_error(&o) == -1);
}

static void
test_lcp_packets(void)
{
	struct ppp_cp		 cp;
	struct lcp_protorej	 pr;
	struct lcp_echo		 e;
	struct ppp_coderej	 cr;
	uint8_t			 buf[128], info[100];
	struct obuf		 o;

	/* Protocol-Reject. */
	cp = mkcp(PPP_PROTO_REJ, "\x80\x57\x01\x02", 4);
	T_ASSERT(lcp_protorej_parse(&cp, &pr) == 0 &&
	    pr.lpr_proto == PPP_PROTO_IPV6CP && pr.lpr_infolen == 2);
	cp = mkcp(PPP_PROTO_REJ, "\x80", 1);
	T_ASSERT(lcp_protorej_parse(&cp, &pr) == -1);
	memset(info, 0x5a, sizeof(info));
	obuf_init(&o, buf, sizeof(buf));
	lcp_protorej_put(&o, 7, PPP_PROTO_CCP, info, sizeof(info), 50);
	T_ASSERT(obuf_error(&o) == 0 && o.o_len == 50);
	T_ASSERT(ppp_cp_parse(buf, o.o_len, &cp) == 0 && cp.cp_len == 50 &&
	    lcp_protorej_parse(&cp, &pr) == 0 &&
	    pr.lpr_proto == PPP_PROTO_CCP && pr.lpr_infolen == 44);

	/* Echo-Request/Reply, Discard, Identification, Time-Remaining. */
	obuf_init(&o, buf, sizeof(buf));
	lcp_echo_put(&o, PPP_ECHO_REPLY, 9, 0xcafef00d, "abc", 3);
	T_ASSERT(obuf_error(&o) == 0 && o.o_len == 11);
	T_ASSERT(ppp_cp_parse(buf, o.o_len, &cp) == 0 &&
	    lcp_echo_parse(&cp, &e) == 0 && e.le_magic == 0xcafef00d &&
	    e.le_datalen == 3 && memcmp(e.le_data, "abc", 3) == 0);
	cp = mkcp(PPP_ECHO_REQ, "\0\0\0", 3);
	T_ASSERT(lcp_echo_parse(&cp, &e) == -1);
	cp = mkcp(PPP_IDENTIFICATION, "\0\0\0\0MSRASV5.20", 14);
	T_ASSERT(lcp_echo_parse(&cp, &e) == 0 && e.le_datalen == 10);
	cp = mkcp(PPP_TIME_REMAINING, "\0\0\0\1\0\0\x0e\x10hi", 10);
	T_ASSERT(lcp_echo_parse(&cp, &e) == 0 && e.le_magic == 1 &&
	    e.le_seconds == 3600 && e.le_datalen == 2);
	cp = mkcp(PPP_TIME_REMAINING, "\0\0\0\1\0\0\x0e", 7);
	T_ASSERT(lcp_echo_parse(&cp, &e) == -1);

	/* Code-Reject. */
	cp = mkcp(PPP_CODE_REJ, "\x0c\x01\x00\x08", 4);
	T_ASSERT(ppp_coderej_parse(&cp, &cr) == 0 && cr.pcr_code == 12 &&
	    cr.pcr_pktlen == 4);
	cp = mkcp(PPP_CODE_REJ, "", 0);
	T_ASSERT(ppp_coderej_parse(&cp, &cr) == -1);
	obuf_init(&o, buf, sizeof(buf));
	ppp_coderej_put(&o, 2, info, sizeof(info), 1500);
	T_ASSERT(o.o_len == 104);
	obuf_init(&o, buf, sizeof(buf));
	ppp_coderej_put(&o, 2, info, sizeof(info), 20);
	T_ASSERT(o.o_len == 20 && buf[3] == 20);
}

static void
test_pap(void)
{
	static const uint8_t	 req[] = { 4, 'u', 's', 'e', 'r',
				    3, 'p', 'w', 'd' };
	struct ppp_cp		 cp;
	struct pap_req		 pr;
	struct pap_reply	 pp;
	uint8_t			 buf[600], bad[sizeof(req) + 1];
	struct obuf		 o;
	size_t			 n;

	cp = mkcp(PAP_AUTH_REQ, req, sizeof(req));
	T_ASSERT(pap_req_parse(&cp, &pr) == 0);
	T_ASSERT(pr.pr_peeridlen == 4 && memcmp(pr.pr_peerid, "user", 4) == 0);
	T_ASSERT(pr.pr_passwdlen == 3 && memcmp(pr.pr_passwd, "pwd", 3) == 0);
	/* Truncation at every octet. */
	for (n = 0; n < sizeof(req); n++) {
		cp = mkcp(PAP_AUTH_REQ, req, n);
		T_ASSERT(pap_req_parse(&cp, &pr) == -1);
	}
	/* A trailing octet, a field length past the end. */
	memcpy(bad, req, sizeof(req));
	bad[sizeof(req)] = 0;
	cp = mkcp(PAP_AUTH_REQ, bad, sizeof(bad));
	T_ASSERT(pap_req_parse(&cp, &pr) == -1);
	bad[0] = 9;
	cp = mkcp(PAP_AUTH_REQ, bad, sizeof(req));
	T_ASSERT(pap_req_parse(&cp, &pr) == -1);
	memcpy(bad, req, sizeof(req));
	bad[5] = 4;
	cp = mkcp(PAP_AUTH_REQ, bad, sizeof(req));
	T_ASSERT(pap_req_parse(&cp, &pr) == -1);
	/* Empty peer id and password are well formed. */
	cp = mkcp(PAP_AUTH_REQ, "\0\0", 2);
	T_ASSERT(pap_req_parse(&cp, &pr) == 0 && pr.pr_peeridlen == 0 &&
	    pr.pr_passwdlen == 0);

	/* Builders round trip. */
	obuf_init(&o, buf, sizeof(buf));
	pap_req_put(&o, 5, "user", 4, "pwd", 3);
	T_ASSERT(obuf_error(&o) == 0 && o.o_len == 4 + sizeof(req));
	T_ASSERT(memcmp(buf, "\x01\x05\x00\x0d", 4) == 0 &&
	    memcmp(buf + 4, req, sizeof(req)) == 0);
	obuf_init(&o, buf, sizeof(buf));
	pap_reply_put(&o, PAP_AUTH_NAK, 5, "Login incorrect", 15);
	T_ASSERT(ppp_cp_parse(buf, o.o_len, &cp) == 0 &&
	    cp.cp_code == PAP_AUTH_NAK && pap_reply_parse(&cp, &pp) == 0 &&
	    pp.pp_msglen == 15 && memcmp(pp.pp_msg, "Login", 5) == 0);
	/* More than 255 octets cannot be said. */
	memset(buf, 'x', 300);
	obuf_init(&o, buf + 300, 300);
	pap_req_put(&o, 1, buf, 256, "", 0);
	T_ASSERT(obuf_error(&o) == -1);
	obuf_init(&o, buf + 300, 300);
	pap_reply_put(&o, PAP_AUTH_ACK, 1, buf, 256);
	T_ASSERT(obuf_error(&o) == -1);

	/* Replies: empty Data is an empty message; bad lengths refused. */
	cp = mkcp(PAP_AUTH_ACK, "", 0);
	T_ASSERT(pap_reply_parse(&cp, &pp) == 0 && pp.pp_msglen == 0);
	cp = mkcp(PAP_AUTH_ACK, "\x00", 1);
	T_ASSERT(pap_reply_parse(&cp, &pp) == 0 && pp.pp_msglen == 0);
	cp = mkcp(PAP_AUTH_ACK, "\x03ok", 3);
	T_ASSERT(pap_reply_parse(&cp, &pp) == -1);
	cp = mkcp(PAP_AUTH_ACK, "\x01ok", 3);
	T_ASSERT(pap_reply_parse(&cp, &pp) == -1);
}

static void
test_chap(void)
{
	static const uint8_t	 chal[] = { 4, 1, 2, 3, 4, 'n', 'a', 's' };
	struct ppp_cp		 cp;
	struct chap_chal	 cc;
	uint8_t			 buf[300];
	struct obuf		 o;
	size_t			 n;

	cp = mkcp(CHAP_CHALLENGE, chal, sizeof(chal));
	T_ASSERT(chap_chal_parse(&cp, &cc) == 0 && cc.cc_valuelen == 4 &&
	    cc.cc_value[3] == 4 && cc.cc_namelen == 3 &&
	    memcmp(cc.cc_name, "nas", 3) == 0);
	/* Truncated inside the value: refused; inside the name: shorter. */
	for (n = 0; n < sizeof(chal); n++) {
		cp = mkcp(CHAP_CHALLENGE, chal, n);
		if (n < 5)
			T_ASSERT(chap_chal_parse(&cp, &cc) == -1);
		else
			T_ASSERT(chap_chal_parse(&cp, &cc) == 0 &&
			    cc.cc_namelen == n - 5);
	}
	/* Value-Size 0 ("one or more octets"), Value past the end. */
	cp = mkcp(CHAP_RESPONSE, "\x00name", 5);
	T_ASSERT(chap_chal_parse(&cp, &cc) == -1);
	cp = mkcp(CHAP_RESPONSE, "\x10\x01\x02", 3);
	T_ASSERT(chap_chal_parse(&cp, &cc) == -1);

	/* Challenge without a Name, as Microsoft sends (RFC 2759 3). */
	obuf_init(&o, buf, sizeof(buf));
	chap_chal_put(&o, CHAP_CHALLENGE, 0x31, "0123456789abcdef", 16,
	    NULL, 0);
	T_ASSERT(obuf_error(&o) == 0 && o.o_len == 21);
	T_ASSERT(ppp_cp_parse(buf, o.o_len, &cp) == 0 &&
	    chap_chal_parse(&cp, &cc) == 0 && cc.cc_valuelen == 16 &&
	    cc.cc_namelen == 0 && cp.cp_id == 0x31);
	obuf_init(&o, buf, sizeof(buf));
	chap_chal_put(&o, CHAP_RESPONSE, 1, "", 0, "x", 1);
	T_ASSERT(obuf_error(&o) == -1);
	obuf_init(&o, buf, sizeof(buf));
	chap_status_put(&o, CHAP_SUCCESS, 0x31, "Welcome", 7);
	T_ASSERT(o.o_len == 11 && memcmp(buf, "\x03\x31\x00\x0bWelcome",
	    11) == 0);
}

static void
test_mschapv2_resp(void)
{
	uint8_t			 v[MSCHAPV2_RESP_LEN], buf[64];
	struct mschapv2_resp	 r, r2;
	struct obuf		 o;
	size_t			 i;

	for (i = 0; i < 16; i++)
		r.mr_peer_chal[i] = (uint8_t)i;
	for (i = 0; i < 24; i++)
		r.mr_nt_resp[i] = (uint8_t)(0x80 + i);
	r.mr_flags = 0;
	obuf_init(&o, buf, sizeof(buf));
	mschapv2_resp_put(&o, &r);
	T_ASSERT_RET(obuf_error(&o) == 0 && o.o_len == MSCHAPV2_RESP_LEN);
	/* Layout: 16 Peer-Challenge, 8 zero, 24 NT-Response, 1 Flags. */
	T_ASSERT(buf[15] == 15 && buf[16] == 0 && buf[23] == 0 &&
	    buf[24] == 0x80 && buf[47] == 0x80 + 23 && buf[48] == 0);
	T_ASSERT(mschapv2_resp_parse(buf, o.o_len, &r2) == 0);
	T_ASSERT(memcmp(&r.mr_peer_chal, &r2.mr_peer_chal, 16) == 0 &&
	    memcmp(r.mr_nt_resp, r2.mr_nt_resp, 24) == 0 &&
	    r2.mr_flags == 0);
	memcpy(v, buf, sizeof(v));
	T_ASSERT(mschapv2_resp_parse(v, 48, &r2) == -1);
	T_ASSERT(mschapv2_resp_parse(buf, 50, &r2) == -1);
	for (i = 16; i < 24; i++) {
		memcpy(v, buf, sizeof(v));
		v[i] = 1;
		T_ASSERT(mschapv2_resp_parse(v, sizeof(v), &r2) == -1);
	}
	memcpy(v, buf, sizeof(v));
	v[48] = 1;
	T_ASSERT(mschapv2_resp_parse(v, sizeof(v), &r2) == 0 &&
	    r2.mr_flags == 1);
}

#define S(x)	(const uint8_t *)(x), strlen(x)

static void
test_mschapv2_success(void)
{
	static const char	 as[] =
	    "S=407A5589115FD0D6209F510FE9C04566932CDA56";
	struct mschapv2_success	 s;
	uint8_t			 buf[128];
	struct obuf		 o;
	char			 tmp[128];
	size_t			 n;

	T_ASSERT(mschapv2_success_parse(S(as), &s) == 0 &&
	    s.ms_auth[0] == 0x40 && s.ms_auth[19] == 0x56 &&
	    s.ms_msglen == 0);
	snprintf(tmp, sizeof(tmp), "%s M=Access granted", as);
	T_ASSERT(mschapv2_success_parse(S(tmp), &s) == 0 &&
	    s.ms_msglen == 14 && memcmp(s.ms_msg, "Access", 6) == 0);
	snprintf(tmp, sizeof(tmp), "%s M=", as);
	T_ASSERT(mschapv2_success_parse(S(tmp), &s) == 0 &&
	    s.ms_msglen == 0);
	/* Lowercase decodes to the same bytes. */
	T_ASSERT(mschapv2_success_parse(
	    S("S=407a5589115fd0d6209f510fe9c04566932cda56"), &s) == 0 &&
	    s.ms_auth[1] == 0x7a);
	/* Truncated at every octet. */
	for (n = 0; n < strlen(as); n++)
		T_ASSERT(mschapv2_success_parse((const uint8_t *)as, n,
		    &s) == -1);
	T_ASSERT(mschapv2_success_parse(
	    S("S=407A5589115FD0D6209F510FE9C04566932CDA5G"), &s) == -1);
	T_ASSERT(mschapv2_success_parse(
	    S("s=407A5589115FD0D6209F510FE9C04566932CDA56"), &s) == -1);
	snprintf(tmp, sizeof(tmp), "%s0", as);
	T_ASSERT(mschapv2_success_parse(S(tmp), &s) == -1);
	snprintf(tmp, sizeof(tmp), "%sM=x", as);
	T_ASSERT(mschapv2_success_parse(S(tmp), &s) == -1);

	obuf_init(&o, buf, sizeof(buf));
	mschapv2_success_put(&o, as, "Welcome");
	T_ASSERT(obuf_error(&o) == 0 && o.o_len == 42 + 3 + 7);
	T_ASSERT(memcmp(buf, as, 42) == 0 && memcmp(buf + 42, " M=Welcome",
	    10) == 0);
	T_ASSERT(mschapv2_success_parse(buf, o.o_len, &s) == 0 &&
	    s.ms_msglen == 7);
	obuf_init(&o, buf, sizeof(buf));
	mschapv2_success_put(&o, "S=12", "x");
	T_ASSERT(obuf_error(&o) == -1);
}

static void
test_mschapv2_failure(void)
{
	static const char	 f1[] = "E=691 R=1 "
	    "C=00112233445566778899AABBCCDDEEFF V=3 M=Authentication failed";
	struct mschapv2_failure	 f;
	uint8_t			 chal[16], buf[128];
	struct obuf		 o;
	size_t			 n;
	int			 i;

	T_ASSERT_RET(mschapv2_failure_parse(S(f1), &f) == 0);
	T_ASSERT(f.mf_error == 691 && f.mf_retry == 1 && f.mf_has_chal &&
	    f.mf_chal[0] == 0x00 && f.mf_chal[15] == 0xff &&
	    f.mf_has_version && f.mf_version == 3 && f.mf_msglen == 21);
	/* Truncations: some prefixes are complete messages, most not. */
	for (n = 0; n < strlen(f1); n++) {
		int	 rv = mschapv2_failure_parse((const uint8_t *)f1, n,
			    &f);
		int	 ok = n == 9 || n == 44 || n == 48 ||
			    n >= 51;

		T_ASSERT(rv == (ok ? 0 : -1));
	}
	/* Only E and R (MS-CHAP style without a challenge). */
	T_ASSERT(mschapv2_failure_parse(S("E=648 R=0"), &f) == 0 &&
	    f.mf_error == 648 && !f.mf_retry && !f.mf_has_chal &&
	    !f.mf_has_version && f.mf_msglen == 0);
	T_ASSERT(mschapv2_failure_parse(S("E=691 R=0 M=bye"), &f) == 0 &&
	    f.mf_msglen == 3);
	/* Malformed. */
	T_ASSERT(mschapv2_failure_parse(S("E=691"), &f) == -1);
	T_ASSERT(mschapv2_failure_parse(S("E= R=0"), &f) == -1);
	T_ASSERT(mschapv2_failure_parse(S("E=691 R=2"), &f) == -1);
	T_ASSERT(mschapv2_failure_parse(S("E=4294967296 R=0"), &f) == -1);
	T_ASSERT(mschapv2_failure_parse(S("E=4294967295 R=0"), &f) == 0);
	T_ASSERT(mschapv2_failure_parse(S("E=691 R=1 C=0011"), &f) == -1);
	T_ASSERT(mschapv2_failure_parse(
	    S("E=691 R=1 C=0011223344556677"), &f) == -1);
	T_ASSERT(mschapv2_failure_parse(S("E=691 R=1 V="), &f) == -1);
	T_ASSERT(mschapv2_failure_parse(S("E=691 R=1 X=1"), &f) == -1);
	T_ASSERT(mschapv2_failure_parse(S("E=691 R=1 "), &f) == -1);
	T_ASSERT(mschapv2_failure_parse(S("R=1 E=691"), &f) == -1);

	for (i = 0; i < 16; i++)
		chal[i] = (uint8_t)(0xa0 + i);
	obuf_init(&o, buf, sizeof(buf));
	mschapv2_failure_put(&o, 691, 1, chal, "try again");
	T_ASSERT_RET(obuf_error(&o) == 0);
	T_ASSERT(o.o_len == strlen("E=691 R=1 C=") + 32 +
	    strlen(" V=3 M=try again"));
	T_ASSERT(memcmp(buf, "E=691 R=1 C=A0A1A2", 18) == 0);
	T_ASSERT(mschapv2_failure_parse(buf, o.o_len, &f) == 0 &&
	    f.mf_error == 691 && f.mf_retry == 1 &&
	    memcmp(f.mf_chal, chal, 16) == 0 && f.mf_version == 3 &&
	    f.mf_msglen == 9);
}

static void
test_names(void)
{
	T_ASSERT(strcmp(ppp_proto_name(PPP_PROTO_LCP), "LCP") == 0);
	T_ASSERT(strcmp(ppp_proto_name(PPP_PROTO_IPCP), "IPCP") == 0);
	T_ASSERT(strcmp(ppp_proto_name(0x1234), "unknown") == 0);
	T_ASSERT(strcmp(ppp_code_name(PPP_PROTO_LCP, 9), "Echo-Request") ==
	    0);
	T_ASSERT(strcmp(ppp_code_name(PPP_PROTO_IPCP, 1),
	    "Configure-Request") == 0);
	T_ASSERT(strcmp(ppp_code_name(PPP_PROTO_PAP, 1),
	    "Authenticate-Request") == 0);
	T_ASSERT(strcmp(ppp_code_name(PPP_PROTO_CHAP, 4), "Failure") == 0);
	T_ASSERT(strcmp(ppp_code_name(PPP_PROTO_CHAP, 9), "unknown") == 0);
	T_ASSERT(strcmp(lcp_opt_name(LCP_OPT_MAGIC), "Magic-Number") == 0);
	T_ASSERT(strcmp(ipcp_opt_name(IPCP_OPT_DNS2), "Secondary-DNS") == 0);
	T_ASSERT(strcmp(chap_alg_name(CHAP_ALG_MSCHAPV2), "MS-CHAPv2") == 0);
	T_ASSERT(strcmp(chap_alg_name(0), "unknown") == 0);
}

int
main(void)
{
	T_RUN(test_frame);
	T_RUN(test_cp_header);
	T_RUN(test_options);
	T_RUN(test_lcp_options);
	T_RUN(test_ipcp_options);
	T_RUN(test_lcp_roundtrip);
	T_RUN(test_lcp_packets);
	T_RUN(test_pap);
	T_RUN(test_chap);
	T_RUN(test_mschapv2_resp);
	T_RUN(test_mschapv2_success);
	T_RUN(test_mschapv2_failure);
	T_RUN(test_names);
	return (T_DONE());
}
