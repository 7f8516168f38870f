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


#include <stdlib.h>
#include <string.h>

#include "common/cursor.h"
#include "l2tp/l2tp_parse.h"
#include "test.h"

T_DEFINE_GLOBALS;

static const uint8_t secret[] = "l2tp-secret";
#define SECRET		secret, sizeof(secret) - 1

/*
 * Parse an exact-size heap copy, so ASan sees any read past the end.
 * The parsed strings point into the packet, so the copy lives until the
 * next parse.
 */
static uint8_t	*last_copy;

static int
parse(const uint8_t *p, size_t len, const uint8_t *s, size_t slen,
    struct l2tp_msg *m)
{
	free(last_copy);
	if ((last_copy = malloc(len ? len : 1)) == NULL)
		return (-1);
	memcpy(last_copy, p, len);
	return (l2tp_msg_parse(last_copy, len, s, slen, m));
}

/* Wrap AVP bytes in a control header (tunnel 1, session 0, Ns 0, Nr 0). */
static size_t
wrap(uint8_t *out, const uint8_t *avps, size_t n)
{
	static const uint8_t hdr[] = { 0xc8, 0x02, 0, 0, 0x00, 0x01, 0, 0,
	    0, 0, 0, 0 };

	memcpy(out, hdr, sizeof(hdr));
	memcpy(out + sizeof(hdr), avps, n);
	out[2] = (sizeof(hdr) + n) >> 8;
	out[3] = (sizeof(hdr) + n) & 0xff;
	return (sizeof(hdr) + n);
}

static int
bytes_eq(const struct l2tp_bytes *b, const char *s)
{
	return (b->b_len == strlen(s) && memcmp(b->b_p, s, b->b_len) == 0);
}

/*
 * An SCCRQ as xl2tpd 1.3 builds it (control.c: message type, protocol
 * version, framing and bearer capabilities, firmware revision 0x0690
 * without M, host name, vendor name "xelerance.com" without M, assigned
 * tunnel id, receive window size 4), no challenge, no hiding.
 */
static const uint8_t sccrq_xl2tpd[] = {
	0xc8, 0x02, 0x00, 0x67,	/* T L S, Ver 2, Length 103 */
	0x00, 0x00, 0x00, 0x00,	/* tunnel 0 (not yet assigned), session 0 */
	0x00, 0x00, 0x00, 0x00,	/* Ns 0, Nr 0 */
	0x80, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,	/* SCCRQ */
	0x80, 0x08, 0x00, 0x00, 0x00, 0x02, 0x01, 0x00,	/* version 1.0 */
	0x80, 0x0a, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x03,
	0x80, 0x0a, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x08, 0x00, 0x00, 0x00, 0x06, 0x06, 0x90,	/* firmware */
	0x80, 0x0c, 0x00, 0x00, 0x00, 0x07, 'x', 'l', '2', 't', 'p', 'd',
	0x00, 0x13, 0x00, 0x00, 0x00, 0x08, 'x', 'e', 'l', 'e', 'r', 'a',
	'n', 'c', 'e', '.', 'c', 'o', 'm',
	0x80, 0x08, 0x00, 0x00, 0x00, 0x09, 0x1a, 0x2b,	/* tunnel 0x1a2b */
	0x80, 0x08, 0x00, 0x00, 0x00, 0x0a, 0x00, 0x04,	/* window 4 */
};

static void
test_sccrq_xl2tpd(void)
{
	struct l2tp_msg	 m;
	uint8_t		 buf[256];
	struct obuf	 ob;
	struct l2tp_build b;

	T_ASSERT_RET(sizeof(sccrq_xl2tpd) == 103);
	T_ASSERT_RET(parse(sccrq_xl2tpd, sizeof(sccrq_xl2tpd), NULL, 0, &m) ==
	    L2TP_P_OK);
	T_ASSERT(m.m_hdr.h_control && m.m_hdr.h_ver == 2);
	T_ASSERT(m.m_hdr.h_hdrlen == 12 && m.m_hdr.h_msglen == 103);
	T_ASSERT(m.m_hdr.h_tunnel_id == 0 && m.m_hdr.h_ns == 0);
	T_ASSERT(!m.m_zlb && m.m_navps == 9);
	T_ASSERT(m.m_type == L2TP_SCCRQ && m.m_type_mbit);
	T_ASSERT(m.m_proto_ver == 1 && m.m_proto_rev == 0);
	T_ASSERT(m.m_framing_cap == (L2TP_FRAMING_SYNC | L2TP_FRAMING_ASYNC));
	T_ASSERT(l2tp_msg_has(&m, L2TP_AVP_BEARER_CAP) && m.m_bearer_cap == 0);
	T_ASSERT(m.m_firmware_rev == 0x0690);
	T_ASSERT(bytes_eq(&m.m_host_name, "xl2tpd"));
	T_ASSERT(bytes_eq(&m.m_vendor_name, "xelerance.com"));
	T_ASSERT(m.m_tunnel_id == 0x1a2b && m.m_recv_window == 4);
	T_ASSERT(!l2tp_msg_has(&m, L2TP_AVP_CHALLENGE));
	T_ASSERT(!l2tp_msg_has(&m, L2TP_AVP_TIE_BREAKER));
	T_ASSERT(m.m_hidden == 0 && !m.m_unknown_mandatory);
	T_ASSERT(l2tp_msg_missing(&m) == -1);

	/* Our builder produces exactly these bytes. */
	obuf_init(&ob, buf, sizeof(buf));
	l2tp_msg_begin(&b, &ob, 0, 0, 0, 0, L2TP_SCCRQ);
	l2tp_avp_put_proto_version(&b);
	l2tp_avp_put_u32(&b, L2TP_AVP_FRAMING_CAP, 3);
	l2tp_avp_put_u32(&b, L2TP_AVP_BEARER_CAP, 0);
	l2tp_avp_put_u16(&b, L2TP_AVP_FIRMWARE_REV, 0x0690);
	l2tp_avp_put_bytes(&b, L2TP_AVP_HOST_NAME, "xl2tpd", 6);
	l2tp_avp_put_bytes(&b, L2TP_AVP_VENDOR_NAME, "xelerance.com", 13);
	l2tp_avp_put_u16(&b, L2TP_AVP_TUNNEL_ID, 0x1a2b);
	l2tp_avp_put_u16(&b, L2TP_AVP_RECV_WINDOW, 4);
	T_ASSERT_RET(l2tp_msg_finish(&b) == 103);
	T_ASSERT(memcmp(buf, sccrq_xl2tpd, 103) == 0);
}

/* Known answers from an independent MD5 (Python hashlib): */
static const uint8_t chal16[16] = { 0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5,
	0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xab, 0xac, 0xad, 0xae, 0xaf };
/* MD5(0x02 + "l2tp-secret" + a0..af) */
static const uint8_t resp_id2[16] = { 0x0c, 0xb8, 0xc6, 0x5e, 0x88, 0xa5,
	0x30, 0x4c, 0xaa, 0x04, 0x63, 0xea, 0xd8, 0xda, 0xe8, 0x9b };
/* MD5(0x03 + "l2tp-secret" + a0..af) */
static const uint8_t resp_id3[16] = { 0xa3, 0x8e, 0x7a, 0x0c, 0x32, 0x1d,
	0x78, 0x41, 0x82, 0x72, 0x0d, 0x69, 0xbd, 0x2f, 0x4d, 0xa6 };

static void
test_challenge(void)
{
	struct l2tp_msg	 m;
	uint8_t		 buf[256], r[16];
	struct obuf	 ob;
	struct l2tp_build b;
	int		 len;

	/* 4.4.3: the CHAP ID is the responding message's type. */
	T_ASSERT(l2tp_chal_response(L2TP_SCCRP, SECRET, chal16, 16, r) == 0);
	T_ASSERT(memcmp(r, resp_id2, 16) == 0);
	T_ASSERT(l2tp_chal_response(L2TP_SCCCN, SECRET, chal16, 16, r) == 0);
	T_ASSERT(memcmp(r, resp_id3, 16) == 0);
	T_ASSERT(l2tp_chal_verify(L2TP_SCCRP, SECRET, chal16, 16,
	    resp_id2) == 0);
	T_ASSERT(l2tp_chal_verify(L2TP_SCCCN, SECRET, chal16, 16,
	    resp_id2) == -1);
	T_ASSERT(l2tp_chal_verify(L2TP_SCCRP, (const uint8_t *)"other", 5,
	    chal16, 16, resp_id2) == -1);

	/* An SCCRP answering the LAC's challenge and challenging back. */
	obuf_init(&ob, buf, sizeof(buf));
	l2tp_msg_begin(&b, &ob, 0x1a2b, 0, 0, 1, L2TP_SCCRP);
	l2tp_avp_put_proto_version(&b);
	l2tp_avp_put_u32(&b, L2TP_AVP_FRAMING_CAP, L2TP_FRAMING_SYNC);
	l2tp_avp_put_bytes(&b, L2TP_AVP_HOST_NAME, "lns", 3);
	l2tp_avp_put_u16(&b, L2TP_AVP_TUNNEL_ID, 77);
	l2tp_avp_put_bytes(&b, L2TP_AVP_CHALLENGE, chal16, 16);
	l2tp_avp_put_bytes(&b, L2TP_AVP_CHALLENGE_RESP, resp_id2, 16);
	T_ASSERT_RET((len = l2tp_msg_finish(&b)) > 0);
	T_ASSERT_RET(parse(buf, len, NULL, 0, &m) == L2TP_P_OK);
	T_ASSERT(m.m_type == L2TP_SCCRP && m.m_hdr.h_tunnel_id == 0x1a2b);
	T_ASSERT(m.m_hdr.h_nr == 1 && m.m_tunnel_id == 77);
	T_ASSERT(m.m_challenge.b_len == 16 &&
	    memcmp(m.m_challenge.b_p, chal16, 16) == 0);
	T_ASSERT(l2tp_msg_has(&m, L2TP_AVP_CHALLENGE_RESP));
	T_ASSERT(l2tp_chal_verify(m.m_type, SECRET, chal16, 16,
	    m.m_chal_resp) == 0);
	T_ASSERT(!l2tp_msg_has(&m, L2TP_AVP_RECV_WINDOW));
	T_ASSERT(l2tp_msg_missing(&m) == -1);

	/* The SCCCN that completes it. */
	obuf_init(&ob, buf, sizeof(buf));
	l2tp_msg_begin(&b, &ob, 77, 0, 1, 1, L2TP_SCCCN);
	l2tp_avp_put_bytes(&b, L2TP_AVP_CHALLENGE_RESP, resp_id3, 16);
	T_ASSERT_RET((len = l2tp_msg_finish(&b)) == 12 + 8 + 22);
	T_ASSERT_RET(parse(buf, len, NULL, 0, &m) == L2TP_P_OK);
	T_ASSERT(m.m_type == L2TP_SCCCN && m.m_hdr.h_ns == 1);
	T_ASSERT(memcmp(m.m_chal_resp, resp_id3, 16) == 0);
	T_ASSERT(l2tp_msg_missing(&m) == -1);
}

static void
test_zlb_hello(void)
{
	static const uint8_t zlb[] = { 0xc8, 0x02, 0x00, 0x0c, 0x1a, 0x2b,
	    0x00, 0x00, 0x00, 0x01, 0x00, 0x02 };
	struct l2tp_msg	 m;
	uint8_t		 buf[64];
	struct obuf	 ob;
	struct l2tp_build b;
	int		 len;

	T_ASSERT_RET(parse(zlb, sizeof(zlb), NULL, 0, &m) == L2TP_P_OK);
	T_ASSERT(m.m_zlb && m.m_navps == 0 && m.m_avps == 0);
	T_ASSERT(m.m_hdr.h_ns == 1 && m.m_hdr.h_nr == 2);
	T_ASSERT(m.m_hdr.h_tunnel_id == 0x1a2b);

	obuf_init(&ob, buf, sizeof(buf));
	T_ASSERT(l2tp_zlb_build(&ob, 0x1a2b, 0, 1, 2) == 12);
	T_ASSERT(ob.o_len == 12 && memcmp(buf, zlb, 12) == 0);
	obuf_init(&ob, buf, 11);
	T_ASSERT(l2tp_zlb_build(&ob, 0x1a2b, 0, 1, 2) == -1);

	/* 6.5: HELLO is just the Message Type, session 0. */
	obuf_init(&ob, buf, sizeof(buf));
	l2tp_msg_begin(&b, &ob, 9, 0, 5, 6, L2TP_HELLO);
	T_ASSERT_RET((len = l2tp_msg_finish(&b)) == 20);
	T_ASSERT(buf[2] == 0 && buf[3] == 20);
	T_ASSERT_RET(parse(buf, len, NULL, 0, &m) == L2TP_P_OK);
	T_ASSERT(!m.m_zlb && m.m_type == L2TP_HELLO && m.m_navps == 1);
	T_ASSERT(m.m_hdr.h_ns == 5 && m.m_hdr.h_nr == 6);
	T_ASSERT(l2tp_msg_missing(&m) == -1);
}

static void
test_incoming_call(void)
{
	static const uint8_t lcp[] = { 0x01, 0x04, 0x05, 0xdc, 0x05, 0x06,
	    0x11, 0x22, 0x33, 0x44 };
	struct l2tp_msg	 m;
	uint8_t		 buf[512];
	struct obuf	 ob;
	struct l2tp_build b;
	int		 len;

	/* ICRQ as xl2tpd sends it, plus the optional AVPs of 6.6. */
	obuf_init(&ob, buf, sizeof(buf));
	l2tp_msg_begin(&b, &ob, 77, 0, 2, 1, L2TP_ICRQ);
	l2tp_avp_put_u16(&b, L2TP_AVP_SESSION_ID, 0x4242);
	l2tp_avp_put_u32(&b, L2TP_AVP_CALL_SERIAL, 123456);
	l2tp_avp_put_u32(&b, L2TP_AVP_BEARER_TYPE, 0);
	l2tp_avp_put_u32(&b, L2TP_AVP_PHYS_CHANNEL, 0xdeadbeef);
	l2tp_avp_put_bytes(&b, L2TP_AVP_CALLING_NUMBER, "5551234", 7);
	l2tp_avp_put_bytes(&b, L2TP_AVP_CALLED_NUMBER, "", 0);
	l2tp_avp_put_bytes(&b, L2TP_AVP_SUB_ADDRESS, "7", 1);
	T_ASSERT_RET((len = l2tp_msg_finish(&b)) > 0);
	T_ASSERT_RET(parse(buf, len, NULL, 0, &m) == L2TP_P_OK);
	T_ASSERT(m.m_type == L2TP_ICRQ && m.m_session_id == 0x4242);
	T_ASSERT(m.m_call_serial == 123456 && m.m_bearer_type == 0);
	T_ASSERT(m.m_phys_channel == 0xdeadbeef);
	T_ASSERT(bytes_eq(&m.m_calling_number, "5551234"));
	T_ASSERT(l2tp_msg_has(&m, L2TP_AVP_CALLED_NUMBER) &&
	    m.m_called_number.b_len == 0);
	T_ASSERT(bytes_eq(&m.m_sub_address, "7"));
	T_ASSERT(l2tp_msg_missing(&m) == -1);
	/* The M bits the RFC prescribes: Physical Channel ID has none. */
	T_ASSERT(buf[20] == 0x80);	/* Assigned Session ID */
	T_ASSERT(buf[20 + 8 + 10 + 10] == 0x00);	/* Physical Channel */

	obuf_init(&ob, buf, sizeof(buf));
	l2tp_msg_begin(&b, &ob, 77, 0x4242, 1, 3, L2TP_ICRP);
	l2tp_avp_put_u16(&b, L2TP_AVP_SESSION_ID, 9);
	T_ASSERT_RET((len = l2tp_msg_finish(&b)) == 28);
	T_ASSERT_RET(parse(buf, len, NULL, 0, &m) == L2TP_P_OK);
	T_ASSERT(m.m_type == L2TP_ICRP && m.m_session_id == 9);
	T_ASSERT(m.m_hdr.h_session_id == 0x4242);

	/* ICCN with everything 6.8 allows, proxy AVPs kept raw. */
	obuf_init(&ob, buf, sizeof(buf));
	l2tp_msg_begin(&b, &ob, 77, 9, 3, 2, L2TP_ICCN);
	l2tp_avp_put_u32(&b, L2TP_AVP_TX_CONNECT_SPEED, 100000000);
	l2tp_avp_put_u32(&b, L2TP_AVP_FRAMING_TYPE, L2TP_FRAMING_ASYNC);
	l2tp_avp_put_u32(&b, L2TP_AVP_RX_CONNECT_SPEED, 5000000);
	l2tp_avp_put_bytes(&b, L2TP_AVP_INIT_RX_LCP, lcp, sizeof(lcp));
	l2tp_avp_put_bytes(&b, L2TP_AVP_LAST_TX_LCP, lcp, 4);
	l2tp_avp_put_bytes(&b, L2TP_AVP_LAST_RX_LCP, lcp + 4, 6);
	l2tp_avp_put_u16(&b, L2TP_AVP_PROXY_AUTH_TYPE, L2TP_PROXY_AUTH_CHAP);
	l2tp_avp_put_bytes(&b, L2TP_AVP_PROXY_AUTH_NAME, "alice", 5);
	l2tp_avp_put_bytes(&b, L2TP_AVP_PROXY_AUTH_CHAL, chal16, 16);
	l2tp_avp_put_u16(&b, L2TP_AVP_PROXY_AUTH_ID, 0x0017);
	l2tp_avp_put_bytes(&b, L2TP_AVP_PROXY_AUTH_RESP, resp_id2, 16);
	l2tp_avp_put_bytes(&b, L2TP_AVP_PRIVATE_GROUP, "grp", 3);
	l2tp_avp_put_bytes(&b, L2TP_AVP_SEQ_REQUIRED, NULL, 0);
	T_ASSERT_RET((len = l2tp_msg_finish(&b)) > 0);
	T_ASSERT_RET(parse(buf, len, NULL, 0, &m) == L2TP_P_OK);
	T_ASSERT(m.m_type == L2TP_ICCN && m.m_navps == 14);
	T_ASSERT(m.m_tx_speed == 100000000 && m.m_rx_speed == 5000000);
	T_ASSERT(m.m_framing_type == L2TP_FRAMING_ASYNC);
	T_ASSERT(m.m_init_rx_lcp.b_len == sizeof(lcp) &&
	    memcmp(m.m_init_rx_lcp.b_p, lcp, sizeof(lcp)) == 0);
	T_ASSERT(m.m_last_tx_lcp.b_len == 4 && m.m_last_rx_lcp.b_len == 6);
	T_ASSERT(m.m_proxy_auth_type == L2TP_PROXY_AUTH_CHAP);
	T_ASSERT(bytes_eq(&m.m_proxy_auth_name, "alice"));
	T_ASSERT(m.m_proxy_auth_chal.b_len == 16 && m.m_proxy_auth_id == 0x17);
	T_ASSERT(m.m_proxy_auth_resp.b_len == 16 &&
	    memcmp(m.m_proxy_auth_resp.b_p, resp_id2, 16) == 0);
	T_ASSERT(bytes_eq(&m.m_private_group, "grp"));
	T_ASSERT(l2tp_msg_has(&m, L2TP_AVP_SEQ_REQUIRED));
	T_ASSERT(l2tp_msg_missing(&m) == -1);
}

static void
test_teardown_messages(void)
{
	static const uint8_t q931[] = { 0x00, 0x10, 0x45, 'b', 'y', 'e' };
	struct l2tp_msg	 m;
	uint8_t		 buf[256];
	char		 words[256], s[64];
	struct obuf	 ob;
	struct l2tp_build b;
	int		 len;

	/* StopCCN after an unknown mandatory AVP (4.4.2, error 8). */
	obuf_init(&ob, buf, sizeof(buf));
	l2tp_msg_begin(&b, &ob, 77, 0, 4, 3, L2TP_StopCCN);
	l2tp_avp_put_u16(&b, L2TP_AVP_TUNNEL_ID, 5);
	l2tp_avp_put_result(&b, L2TP_STOPCCN_ERROR, 1, L2TP_ERR_UNKNOWN_M,
	    "AVP 42");
	T_ASSERT_RET((len = l2tp_msg_finish(&b)) == 12 + 8 + 8 + 16);
	T_ASSERT_RET(parse(buf, len, NULL, 0, &m) == L2TP_P_OK);
	T_ASSERT(m.m_type == L2TP_StopCCN && m.m_tunnel_id == 5);
	T_ASSERT(m.m_result == 2 && m.m_has_error && m.m_error == 8);
	T_ASSERT(bytes_eq(&m.m_errmsg, "AVP 42"));
	T_ASSERT(l2tp_msg_missing(&m) == -1);
	l2tp_result_words(words, sizeof(words), m.m_type, m.m_result,
	    m.m_has_error, m.m_error);
	T_ASSERT(strcmp(words, "StopCCN result 2 (general error), error 8 "
	    "(unknown AVP with the M bit set)") == 0);
	l2tp_bytes_printable(s, sizeof(s), &m.m_errmsg);
	T_ASSERT(strcmp(s, "AVP 42") == 0);

	/* Result Code alone: Length 8 (4.4.2). */
	obuf_init(&ob, buf, sizeof(buf));
	l2tp_msg_begin(&b, &ob, 77, 0, 4, 3, L2TP_StopCCN);
	l2tp_avp_put_u16(&b, L2TP_AVP_TUNNEL_ID, 5);
	l2tp_avp_put_result(&b, L2TP_STOPCCN_CLEAR, 0, 0, NULL);
	T_ASSERT_RET((len = l2tp_msg_finish(&b)) == 12 + 8 + 8 + 8);
	T_ASSERT_RET(parse(buf, len, NULL, 0, &m) == L2TP_P_OK);
	T_ASSERT(m.m_result == 1 && !m.m_has_error && m.m_errmsg.b_len == 0);
	l2tp_result_words(words, sizeof(words), m.m_type, m.m_result,
	    m.m_has_error, m.m_error);
	T_ASSERT(strcmp(words, "StopCCN result 1 (general request to clear "
	    "control connection)") == 0);

	/* Error Code without a message: Length 10. */
	obuf_init(&ob, buf, sizeof(buf));
	l2tp_msg_begin(&b, &ob, 77, 9, 5, 3, L2TP_CDN);
	l2tp_avp_put_result(&b, L2TP_CDN_ADMIN, 1, L2TP_ERR_NONE, NULL);
	l2tp_avp_put_u16(&b, L2TP_AVP_SESSION_ID, 9);
	l2tp_avp_put_bytes(&b, L2TP_AVP_Q931_CAUSE, q931, sizeof(q931));
	T_ASSERT_RET((len = l2tp_msg_finish(&b)) == 12 + 8 + 10 + 8 + 12);
	T_ASSERT_RET(parse(buf, len, NULL, 0, &m) == L2TP_P_OK);
	T_ASSERT(m.m_type == L2TP_CDN && m.m_session_id == 9);
	T_ASSERT(m.m_result == 3 && m.m_has_error && m.m_error == 0);
	T_ASSERT(m.m_q931_cause == 0x10 && m.m_q931_msg == 0x45);
	T_ASSERT(bytes_eq(&m.m_q931_advisory, "bye"));
	T_ASSERT(l2tp_msg_missing(&m) == -1);
	l2tp_result_words(words, sizeof(words), m.m_type, m.m_result,
	    m.m_has_error, m.m_error);
	T_ASSERT(strcmp(words, "CDN result 3 (call disconnected for "
	    "administrative reasons), error 0 (no general error)") == 0);

	/* A WEN and an SLI, for completeness of 6.13/6.14. */
	obuf_init(&ob, buf, sizeof(buf));
	l2tp_msg_begin(&b, &ob, 77, 9, 6, 3, L2TP_SLI);
	{
		static const uint8_t accm[] = { 0, 0, 0, 0, 0, 0,
		    0xff, 0xff, 0xff, 0xff };
		static const uint8_t errs[26] = { 0, 0, 0, 0, 0, 1,
		    0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4, 0, 0, 0, 5,
		    0, 0, 0, 6 };

		l2tp_avp_put_bytes(&b, L2TP_AVP_ACCM, accm, sizeof(accm));
		T_ASSERT_RET((len = l2tp_msg_finish(&b)) > 0);
		T_ASSERT_RET(parse(buf, len, NULL, 0, &m) == L2TP_P_OK);
		T_ASSERT(m.m_send_accm == 0 && m.m_recv_accm == 0xffffffff);
		T_ASSERT(l2tp_msg_missing(&m) == -1);

		obuf_init(&ob, buf, sizeof(buf));
		l2tp_msg_begin(&b, &ob, 77, 9, 6, 3, L2TP_WEN);
		l2tp_avp_put_bytes(&b, L2TP_AVP_CALL_ERRORS, errs, 26);
		T_ASSERT_RET((len = l2tp_msg_finish(&b)) > 0);
		T_ASSERT_RET(parse(buf, len, NULL, 0, &m) == L2TP_P_OK);
		T_ASSERT(m.m_crc_errors == 1 && m.m_framing_errors == 2 &&
		    m.m_hw_overruns == 3 && m.m_buf_overruns == 4 &&
		    m.m_timeout_errors == 5 && m.m_align_errors == 6);
	}
}

/*
 * Known answers for hiding (4.3), computed by hand with an independent
 * MD5 (Python hashlib), secret "l2tp-secret", RV = 00 01 ... 0f:
 *
 * 1. Assigned Tunnel ID (type 9) = 0x1234, no padding.
 *    subformat  = 00 02 12 34  (original length 2, value)
 *    b1 = MD5(00 09 + "l2tp-secret" + RV)
 *       = 02 b0 9a 91 24 94 a9 98 a5 e0 59 eb e2 4f 50 c5
 *    c  = subformat xor b1[0..3] = 02 b2 88 a5
 *    AVP: M|H, Length 6 + 4 = 10: c0 0a 00 00 00 09 02 b2 88 a5
 *
 * 2. Vendor Name (type 8) = "l2tpsecd hidden vendor name!" (28 octets),
 *    subformat = 00 1c + the name: 30 octets, two blocks.
 *    b1 = MD5(00 08 + "l2tp-secret" + RV)
 *       = 06 08 f9 0a bf d4 5a 3b 8e c4 e2 7e bb ac 4b 07
 *    c1 = p1 xor b1
 *       = 06 14 95 38 cb a4 29 5e ed a0 c2 16 d2 c8 2f 62
 *    b2 = MD5("l2tp-secret" + c1)
 *       = fd 92 08 57 47 1a 70 a4 f6 99 9a 78 e5 03 97 d1
 *    c2 = p2 (14 octets) xor b2[0..13]
 *       = 93 b2 7e 32 29 7e 1f d6 d6 f7 fb 15 80 22
 */
static const uint8_t ka_rv[16] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11,
	12, 13, 14, 15 };
static const uint8_t ka_tid[4] = { 0x02, 0xb2, 0x88, 0xa5 };
static const char ka_vendor[] = "l2tpsecd hidden vendor name!";
static const uint8_t ka_vendor_c[30] = {
	0x06, 0x14, 0x95, 0x38, 0xcb, 0xa4, 0x29, 0x5e,
	0xed, 0xa0, 0xc2, 0x16, 0xd2, 0xc8, 0x2f, 0x62,
	0x93, 0xb2, 0x7e, 0x32, 0x29, 0x7e, 0x1f, 0xd6,
	0xd6, 0xf7, 0xfb, 0x15, 0x80, 0x22 };

static void
test_hidden_known_answer(void)
{
	uint8_t		 avps[256], pkt[300], out[32], sub[30];
	struct l2tp_msg	 m;
	size_t		 n = 0, len;
	struct obuf	 ob;
	struct l2tp_build b;
	int		 blen;

	/* The raw transforms. */
	sub[0] = 0;
	sub[1] = 2;
	sub[2] = 0x12;
	sub[3] = 0x34;
	T_ASSERT(l2tp_hide(9, SECRET, ka_rv, 16, sub, out, 4) == 0);
	T_ASSERT(memcmp(out, ka_tid, 4) == 0);
	T_ASSERT(l2tp_unhide(9, SECRET, ka_rv, 16, ka_tid, out, 4) == 0);
	T_ASSERT(memcmp(out, sub, 4) == 0);
	sub[0] = 0;
	sub[1] = 28;
	memcpy(sub + 2, ka_vendor, 28);
	T_ASSERT(l2tp_hide(8, SECRET, ka_rv, 16, sub, out, 30) == 0);
	T_ASSERT(memcmp(out, ka_vendor_c, 30) == 0);
	/* In place, as the parser's scratch space may be. */
	memcpy(out, ka_vendor_c, 30);
	T_ASSERT(l2tp_unhide(8, SECRET, ka_rv, 16, out, out, 30) == 0);
	T_ASSERT(memcmp(out, sub, 30) == 0);

	/* A hand-built SCCRQ carrying both, hidden. */
	memcpy(avps + n, "\x80\x08\x00\x00\x00\x00\x00\x01", 8);
	n += 8;
	memcpy(avps + n, "\x80\x16\x00\x00\x00\x24", 6);	/* RV */
	memcpy(avps + n + 6, ka_rv, 16);
	n += 22;
	memcpy(avps + n, "\xc0\x0a\x00\x00\x00\x09", 6);	/* M|H tid */
	memcpy(avps + n + 6, ka_tid, 4);
	n += 10;
	memcpy(avps + n, "\x40\x24\x00\x00\x00\x08", 6);	/* H vendor */
	memcpy(avps + n + 6, ka_vendor_c, 30);
	n += 36;
	len = wrap(pkt, avps, n);
	T_ASSERT_RET(parse(pkt, len, SECRET, &m) == L2TP_P_OK);
	T_ASSERT(m.m_tunnel_id == 0x1234);
	T_ASSERT(bytes_eq(&m.m_vendor_name, ka_vendor));
	T_ASSERT(m.m_hidden == (1ULL << L2TP_AVP_TUNNEL_ID |
	    1ULL << L2TP_AVP_VENDOR_NAME));
	l2tp_msg_clear(&m);

	/* The builder produces the same bytes. */
	obuf_init(&ob, avps, sizeof(avps));
	l2tp_msg_begin(&b, &ob, 1, 0, 0, 0, L2TP_SCCRQ);
	l2tp_build_secret(&b, SECRET);
	l2tp_avp_put_random_vector(&b, ka_rv, 16);
	l2tp_avp_put_hidden(&b, L2TP_AVP_TUNNEL_ID, "\x12\x34", 2, 0);
	l2tp_avp_put_hidden(&b, L2TP_AVP_VENDOR_NAME, ka_vendor, 28, 0);
	T_ASSERT_RET((blen = l2tp_msg_finish(&b)) == (int)len);
	T_ASSERT(memcmp(avps, pkt, len) == 0);
}

static void
test_hidden_roundtrip(void)
{
	uint8_t		 buf[2048], val[600], rv2[32];
	struct l2tp_msg	 m;
	struct obuf	 ob;
	struct l2tp_build b;
	size_t		 vlen, pad;
	int		 len, r, bad = 0;

	for (vlen = 0; vlen < sizeof(val); vlen++)
		val[vlen] = (uint8_t)(vlen * 7 + 3);
	for (vlen = 0; vlen < 70; vlen++) {
		for (pad = 0; pad < 20; pad += 7) {
			obuf_init(&ob, buf, sizeof(buf));
			l2tp_msg_begin(&b, &ob, 1, 2, 0, 0, L2TP_ICRQ);
			l2tp_build_secret(&b, SECRET);
			l2tp_avp_put_random_vector(&b, ka_rv, 16);
			l2tp_avp_put_hidden(&b, L2TP_AVP_SESSION_ID,
			    "\x00\x07", 2, pad);
			l2tp_avp_put_u32(&b, L2TP_AVP_CALL_SERIAL, 1);
			/* A second RV: the next hidden AVP uses it. */
			memset(rv2, (int)vlen, sizeof(rv2));
			l2tp_avp_put_random_vector(&b, rv2, vlen % 32);
			l2tp_avp_put_hidden(&b, L2TP_AVP_CALLING_NUMBER, val,
			    vlen, pad);
			len = l2tp_msg_finish(&b);
			if (len <= 0) {
				bad++;
				continue;
			}
			r = parse(buf, len, SECRET, &m);
			if (r != L2TP_P_OK || m.m_session_id != 7 ||
			    m.m_calling_number.b_len != vlen ||
			    memcmp(m.m_calling_number.b_p, val, vlen) != 0 ||
			    m.m_call_serial != 1)
				bad++;
		}
	}
	T_ASSERT(bad == 0);

	/* A long value crosses many 16-byte blocks. */
	obuf_init(&ob, buf, sizeof(buf));
	l2tp_msg_begin(&b, &ob, 1, 2, 0, 0, L2TP_ICCN);
	l2tp_build_secret(&b, SECRET);
	l2tp_avp_put_random_vector(&b, ka_rv, 16);
	l2tp_avp_put_hidden(&b, L2TP_AVP_PROXY_AUTH_RESP, val, 500, 15);
	T_ASSERT_RET((len = l2tp_msg_finish(&b)) > 0);
	T_ASSERT_RET(parse(buf, len, SECRET, &m) == L2TP_P_OK);
	T_ASSERT(m.m_proxy_auth_resp.b_len == 500 &&
	    memcmp(m.m_proxy_auth_resp.b_p, val, 500) == 0);
	/* The packet does not carry the value in the clear. */
	T_ASSERT(memmem(buf, len, val + 100, 16) == NULL);
	/* The wrong secret does not give the value back. */
	r = parse(buf, len, (const uint8_t *)"wrong", 5, &m);
	T_ASSERT(r != L2TP_P_OK || m.m_proxy_auth_resp.b_len != 500 ||
	    memcmp(m.m_proxy_auth_resp.b_p, val, 500) != 0);
	/* No secret: an error, never garbage. */
	T_ASSERT(parse(buf, len, NULL, 0, &m) == L2TP_P_HIDDEN_NO_SECRET);
	T_ASSERT(m.m_err_type == L2TP_AVP_PROXY_AUTH_RESP);
	T_ASSERT(parse(buf, len, secret, 0, &m) == L2TP_P_HIDDEN_NO_SECRET);

	/* The builder refuses what the parser would refuse. */
	obuf_init(&ob, buf, sizeof(buf));
	l2tp_msg_begin(&b, &ob, 1, 2, 0, 0, L2TP_ICRQ);
	l2tp_build_secret(&b, SECRET);
	l2tp_avp_put_hidden(&b, L2TP_AVP_SESSION_ID, "\x00\x07", 2, 0);
	T_ASSERT(l2tp_msg_finish(&b) == -1);	/* no RV */
	obuf_init(&ob, buf, sizeof(buf));
	l2tp_msg_begin(&b, &ob, 1, 2, 0, 0, L2TP_ICRQ);
	l2tp_avp_put_random_vector(&b, ka_rv, 16);
	l2tp_avp_put_hidden(&b, L2TP_AVP_SESSION_ID, "\x00\x07", 2, 0);
	T_ASSERT(l2tp_msg_finish(&b) == -1);	/* no secret */
	obuf_init(&ob, buf, sizeof(buf));
	l2tp_msg_begin(&b, &ob, 1, 2, 0, 0, L2TP_SCCRQ);
	l2tp_build_secret(&b, SECRET);
	l2tp_avp_put_random_vector(&b, ka_rv, 16);
	l2tp_avp_put_hidden(&b, L2TP_AVP_HOST_NAME, "h", 1, 0);
	T_ASSERT(l2tp_msg_finish(&b) == -1);	/* 4.4.3: MUST NOT hide */
	obuf_init(&ob, buf, sizeof(buf));
	l2tp_msg_begin(&b, &ob, 1, 2, 0, 0, L2TP_ICCN);
	l2tp_build_secret(&b, SECRET);
	l2tp_avp_put_random_vector(&b, ka_rv, 16);
	l2tp_avp_put_hidden(&b, L2TP_AVP_PROXY_AUTH_RESP, val, 500, 516);
	T_ASSERT(l2tp_msg_finish(&b) == -1);	/* over 1023 */
}

static void
test_hidden_bad(void)
{
	uint8_t		 avps[128], pkt[160], enc[32];
	struct l2tp_msg	 m;
	size_t		 n, len;

	/* Hidden without any Random Vector before it (4.3). */
	n = 0;
	memcpy(avps, "\x80\x08\x00\x00\x00\x00\x00\x01", 8);
	n += 8;
	memcpy(avps + n, "\xc0\x0a\x00\x00\x00\x09", 6);
	memcpy(avps + n + 6, ka_tid, 4);
	n += 10;
	memcpy(avps + n, "\x80\x16\x00\x00\x00\x24", 6);	/* RV after */
	memcpy(avps + n + 6, ka_rv, 16);
	n += 22;
	len = wrap(pkt, avps, n);
	T_ASSERT(parse(pkt, len, SECRET, &m) == L2TP_P_HIDDEN_NO_RV);
	T_ASSERT(m.m_err_type == L2TP_AVP_TUNNEL_ID && m.m_err_offset == 20);
	T_ASSERT(l2tp_perr_code(L2TP_P_HIDDEN_NO_RV) == L2TP_ERR_VALUE);

	/* Hidden AVPs that must not be: Message Type, RWS, the RV. */
	memcpy(avps, "\xc0\x08\x00\x00\x00\x00\x00\x01", 8);
	len = wrap(pkt, avps, 8);
	T_ASSERT(parse(pkt, len, SECRET, &m) == L2TP_P_HIDDEN_FORBIDDEN);
	memcpy(avps, "\x80\x08\x00\x00\x00\x00\x00\x01", 8);
	memcpy(avps + 8, "\x80\x16\x00\x00\x00\x24", 6);
	memcpy(avps + 14, ka_rv, 16);
	memcpy(avps + 30, "\xc0\x08\x00\x00\x00\x0a\x12\x34", 8);
	len = wrap(pkt, avps, 38);
	T_ASSERT(parse(pkt, len, SECRET, &m) == L2TP_P_HIDDEN_FORBIDDEN);
	T_ASSERT(m.m_err_type == L2TP_AVP_RECV_WINDOW);
	/* The RV itself hidden. */
	memcpy(avps + 8, "\xc0\x16\x00\x00\x00\x24", 6);
	len = wrap(pkt, avps, 30);
	T_ASSERT(parse(pkt, len, SECRET, &m) == L2TP_P_HIDDEN_FORBIDDEN);

	/* A one-byte hidden value cannot hold the original length. */
	memcpy(avps + 8, "\x80\x16\x00\x00\x00\x24", 6);
	memcpy(avps + 30, "\xc0\x07\x00\x00\x00\x09\x00", 7);
	len = wrap(pkt, avps, 37);
	T_ASSERT(parse(pkt, len, SECRET, &m) == L2TP_P_HIDDEN_BAD);

	/* An original length larger than what follows. */
	T_ASSERT(l2tp_hide(9, SECRET, ka_rv, 16,
	    (const uint8_t *)"\x00\x05\x12\x34", enc, 4) == 0);
	memcpy(avps + 30, "\xc0\x0a\x00\x00\x00\x09", 6);
	memcpy(avps + 36, enc, 4);
	len = wrap(pkt, avps, 40);
	T_ASSERT(parse(pkt, len, SECRET, &m) == L2TP_P_HIDDEN_BAD);

	/* Decodes fine but the value has the wrong length for its type. */
	T_ASSERT(l2tp_hide(9, SECRET, ka_rv, 16,
	    (const uint8_t *)"\x00\x01\x12\x34", enc, 4) == 0);
	memcpy(avps + 36, enc, 4);
	len = wrap(pkt, avps, 40);
	T_ASSERT(parse(pkt, len, SECRET, &m) == L2TP_P_VALUE_LENGTH);

	/* Hidden and unknown: skipped without decoding, even with no RV. */
	memcpy(avps + 8, "\x40\x0a\x00\x00\x01\x00\xaa\xbb\xcc\xdd", 10);
	len = wrap(pkt, avps, 18);
	T_ASSERT(parse(pkt, len, NULL, 0, &m) == L2TP_P_OK);
	T_ASSERT(m.m_unknown_ignored == 1 && !m.m_unknown_mandatory);
}

static void
test_header_bad(void)
{
	uint8_t		 pkt[sizeof(sccrq_xl2tpd) + 8];
	struct l2tp_msg	 m;
	struct l2tp_hdr	 h;

	memcpy(pkt, sccrq_xl2tpd, sizeof(sccrq_xl2tpd));

	/* 3.1: unknown Ver MUST be discarded; L2F is 1, L2TPv3 is 3. */
	pkt[1] = 0x03;
	T_ASSERT(parse(pkt, sizeof(sccrq_xl2tpd), NULL, 0, &m) ==
	    L2TP_P_VERSION);
	T_ASSERT(m.m_hdr.h_ver == 3);
	pkt[1] = 0x01;
	T_ASSERT(parse(pkt, sizeof(sccrq_xl2tpd), NULL, 0, &m) ==
	    L2TP_P_VERSION);
	pkt[1] = 0x0a;
	T_ASSERT(parse(pkt, sizeof(sccrq_xl2tpd), NULL, 0, &m) ==
	    L2TP_P_VERSION);
	pkt[1] = 0x02;

	/* Control messages MUST have L and S, MUST NOT have O or P. */
	pkt[0] = 0x88;		/* no L */
	T_ASSERT(parse(pkt, sizeof(sccrq_xl2tpd), NULL, 0, &m) ==
	    L2TP_P_CTRL_BITS);
	pkt[0] = 0xc0;		/* no S */
	T_ASSERT(parse(pkt, sizeof(sccrq_xl2tpd), NULL, 0, &m) ==
	    L2TP_P_CTRL_BITS);
	pkt[0] = 0xca;		/* O */
	T_ASSERT(parse(pkt, sizeof(sccrq_xl2tpd), NULL, 0, &m) ==
	    L2TP_P_CTRL_BITS);
	pkt[0] = 0xc9;		/* P */
	T_ASSERT(parse(pkt, sizeof(sccrq_xl2tpd), NULL, 0, &m) ==
	    L2TP_P_CTRL_BITS);
	/* Reserved header bits are ignored on receipt (3.1). */
	pkt[0] = 0xf8;
	pkt[1] = 0xf2;
	T_ASSERT(parse(pkt, sizeof(sccrq_xl2tpd), NULL, 0, &m) == L2TP_P_OK);
	T_ASSERT(m.m_type == L2TP_SCCRQ);
	pkt[0] = 0xc8;
	pkt[1] = 0x02;

	/* Length beyond the datagram, or inside the header. */
	T_ASSERT(parse(pkt, sizeof(sccrq_xl2tpd) - 1, NULL, 0, &m) ==
	    L2TP_P_LENGTH);
	pkt[2] = 0x00;
	pkt[3] = 0x0b;
	T_ASSERT(parse(pkt, sizeof(sccrq_xl2tpd), NULL, 0, &m) ==
	    L2TP_P_LENGTH);
	pkt[3] = 0x00;
	T_ASSERT(parse(pkt, sizeof(sccrq_xl2tpd), NULL, 0, &m) ==
	    L2TP_P_LENGTH);
	pkt[2] = 0xff;
	pkt[3] = 0xff;
	T_ASSERT(parse(pkt, sizeof(sccrq_xl2tpd), NULL, 0, &m) ==
	    L2TP_P_LENGTH);
	T_ASSERT(l2tp_perr_code(L2TP_P_LENGTH) == L2TP_ERR_LENGTH);

	/* Bytes after Length are not part of the message (3.1). */
	pkt[2] = 0x00;
	pkt[3] = 0x67;
	memset(pkt + sizeof(sccrq_xl2tpd), 0xee, 8);
	T_ASSERT(parse(pkt, sizeof(pkt), NULL, 0, &m) == L2TP_P_OK);
	T_ASSERT(m.m_hdr.h_trailing == 8 && m.m_hdr.h_msglen == 103);
	/* ...so a Length that ends mid-AVP is still an error. */
	pkt[3] = 0x66;
	T_ASSERT(parse(pkt, sizeof(pkt), NULL, 0, &m) == L2TP_P_AVP_LENGTH);
	pkt[3] = 0x67;

	/* Too short for any header. */
	T_ASSERT(l2tp_hdr_parse(pkt, 0, &h) == L2TP_P_SHORT);
	T_ASSERT(l2tp_hdr_parse(pkt, 1, &h) == L2TP_P_SHORT);
	T_ASSERT(l2tp_hdr_parse(pkt, 11, &h) == L2TP_P_SHORT);
	T_ASSERT(l2tp_hdr_parse(pkt, 12, &h) == L2TP_P_LENGTH);
}

static void
test_avp_bad(void)
{
	uint8_t		 avps[1100], pkt[1200];
	struct l2tp_msg	 m;
	size_t		 len;
	static const uint8_t mt[] = { 0x80, 0x08, 0, 0, 0, 0, 0, 0x01 };

	memcpy(avps, mt, 8);

	/* AVP Length below 6. */
	memcpy(avps + 8, "\x80\x05\x00\x00\x00\x07\x41", 7);
	len = wrap(pkt, avps, 15);
	T_ASSERT(parse(pkt, len, NULL, 0, &m) == L2TP_P_AVP_LENGTH);
	T_ASSERT(m.m_err_offset == 20 && m.m_type == L2TP_SCCRQ);
	memcpy(avps + 8, "\x80\x00\x00\x00\x00\x07", 6);
	len = wrap(pkt, avps, 14);
	T_ASSERT(parse(pkt, len, NULL, 0, &m) == L2TP_P_AVP_LENGTH);
	/* AVP Length beyond the message. */
	memcpy(avps + 8, "\x80\x0a\x00\x00\x00\x07\x41\x42\x43", 9);
	len = wrap(pkt, avps, 17);
	T_ASSERT(parse(pkt, len, NULL, 0, &m) == L2TP_P_AVP_LENGTH);
	/* 1 to 5 stray bytes after the last AVP. */
	memcpy(avps + 8, "\x80\x08\x00\x00", 4);
	for (len = 1; len < 6; len++)
		T_ASSERT(parse(pkt, wrap(pkt, avps, 8 + len), NULL, 0, &m) ==
		    L2TP_P_AVP_LENGTH);

	/*
	 * The length field is 10 bits: 1023 at most.  An AVP of exactly
	 * 1023 parses; the bit above it is reserved, and a reader that took
	 * 11 bits of length would see 1024 + ...
	 */
	avps[8] = 0x03;		/* no M, Length 1023 */
	avps[9] = 0xff;
	memcpy(avps + 10, "\x00\x00\x00\x08", 4);	/* Vendor Name */
	memset(avps + 14, 'v', 1017);
	len = wrap(pkt, avps, 8 + 1023);
	T_ASSERT(parse(pkt, len, NULL, 0, &m) == L2TP_P_OK);
	T_ASSERT(m.m_vendor_name.b_len == 1017);
	/* ...but here the AVP is unrecognised (4.1) and skipped whole. */
	avps[8] = 0x07;
	len = wrap(pkt, avps, 8 + 1023);
	T_ASSERT(parse(pkt, len, NULL, 0, &m) == L2TP_P_OK);
	T_ASSERT(!l2tp_msg_has(&m, L2TP_AVP_VENDOR_NAME));
	T_ASSERT(m.m_unknown_ignored == 1);
	/* With M set, the caller is told to tear down. */
	avps[8] = 0x87;
	len = wrap(pkt, avps, 8 + 1023);
	T_ASSERT(parse(pkt, len, NULL, 0, &m) == L2TP_P_OK);
	T_ASSERT(m.m_unknown_mandatory && m.m_unknown_vendor == 0 &&
	    m.m_unknown_type == L2TP_AVP_VENDOR_NAME);

	/* Reserved bits on a known AVP: treated as unrecognised (4.1). */
	memcpy(avps + 8, "\x84\x0c\x00\x00\x00\x07xl2tpd", 12);
	len = wrap(pkt, avps, 20);
	T_ASSERT(parse(pkt, len, NULL, 0, &m) == L2TP_P_OK);
	T_ASSERT(!l2tp_msg_has(&m, L2TP_AVP_HOST_NAME));
	T_ASSERT(m.m_unknown_mandatory && m.m_unknown_type == 7);
	memcpy(avps + 8, "\x20\x0c\x00\x00\x00\x07xl2tpd", 12);
	len = wrap(pkt, avps, 20);
	T_ASSERT(parse(pkt, len, NULL, 0, &m) == L2TP_P_OK);
	T_ASSERT(!m.m_unknown_mandatory && m.m_unknown_ignored == 1);
	/* ...and on the Message Type: not a Message Type any more. */
	memcpy(avps, "\x90\x08\x00\x00\x00\x00\x00\x01", 8);
	len = wrap(pkt, avps, 20);
	T_ASSERT(parse(pkt, len, NULL, 0, &m) == L2TP_P_NO_MSG_TYPE);
	memcpy(avps, mt, 8);

	/* A vendor AVP is not the IETF one with the same number. */
	memcpy(avps + 8, "\x80\x0c\x01\x37\x00\x07xl2tpd", 12);
	len = wrap(pkt, avps, 20);
	T_ASSERT(parse(pkt, len, NULL, 0, &m) == L2TP_P_OK);
	T_ASSERT(!l2tp_msg_has(&m, L2TP_AVP_HOST_NAME));
	T_ASSERT(m.m_unknown_mandatory && m.m_unknown_vendor == 311 &&
	    m.m_unknown_type == 7);
	/* Unknown IETF attribute 20 without M: ignored. */
	memcpy(avps + 8, "\x00\x0c\x00\x00\x00\x14xl2tpd", 12);
	len = wrap(pkt, avps, 20);
	T_ASSERT(parse(pkt, len, NULL, 0, &m) == L2TP_P_OK);
	T_ASSERT(!m.m_unknown_mandatory && m.m_unknown_ignored == 1);
	/* Message Type without M: the caller may ignore an unknown type. */
	memcpy(avps, "\x00\x08\x00\x00\x00\x00\x00\x63", 8);
	len = wrap(pkt, avps, 20);
	T_ASSERT(parse(pkt, len, NULL, 0, &m) == L2TP_P_OK);
	T_ASSERT(m.m_type == 99 && !m.m_type_mbit);
	memcpy(avps, mt, 8);

	/* 4.4.1: the first AVP must be Message Type. */
	memcpy(avps + 8, mt, 8);
	len = wrap(pkt, avps + 8, 8);
	T_ASSERT(parse(pkt, len, NULL, 0, &m) == L2TP_P_OK);
	memcpy(avps, "\x80\x0c\x00\x00\x00\x07xl2tpd", 12);
	memcpy(avps + 12, mt, 8);
	len = wrap(pkt, avps, 20);
	T_ASSERT(parse(pkt, len, NULL, 0, &m) == L2TP_P_NO_MSG_TYPE);
	T_ASSERT(m.m_err_offset == 12 && m.m_err_type == 7);
	T_ASSERT(m.m_navps == 1);
	memcpy(avps, "\x00\x0a\x00\x00\x01\x00\x00\x00", 8);	/* unknown */
	len = wrap(pkt, avps, 20);
	T_ASSERT(parse(pkt, len, NULL, 0, &m) == L2TP_P_NO_MSG_TYPE);
	memcpy(avps, mt, 8);

	/* Duplicates of single-instance AVPs. */
	memcpy(avps + 8, mt, 8);
	len = wrap(pkt, avps, 16);		/* two Message Types */
	T_ASSERT(parse(pkt, len, NULL, 0, &m) == L2TP_P_DUPLICATE);
	memcpy(avps + 8, "\x80\x0c\x00\x00\x00\x07xl2tpd", 12);
	memcpy(avps + 20, "\x80\x0c\x00\x00\x00\x07xl2tpd", 12);
	len = wrap(pkt, avps, 32);
	T_ASSERT(parse(pkt, len, NULL, 0, &m) == L2TP_P_DUPLICATE);
	T_ASSERT(m.m_err_offset == 32 && m.m_err_type == 7);
	/* ...but the Random Vector may repeat (4.4.1). */
	memcpy(avps + 8, "\x80\x08\x00\x00\x00\x24\x01\x02", 8);
	memcpy(avps + 16, "\x80\x08\x00\x00\x00\x24\x03\x04", 8);
	len = wrap(pkt, avps, 24);
	T_ASSERT(parse(pkt, len, NULL, 0, &m) == L2TP_P_OK);
}

/* One AVP after the Message Type; returns the parse result. */
static int
one_avp(const char *hdr6, const void *val, size_t vlen, struct l2tp_msg *m)
{
	uint8_t	 avps[64], pkt[96];

	memcpy(avps, "\x80\x08\x00\x00\x00\x00\x00\x01", 8);
	memcpy(avps + 8, hdr6, 6);
	avps[9] = (uint8_t)(6 + vlen);
	memcpy(avps + 14, val, vlen);
	return (parse(pkt, wrap(pkt, avps, 14 + vlen), NULL, 0, m));
}

static void
test_avp_values(void)
{
	struct l2tp_msg	 m;
	static const uint8_t z[32];

	/* Each fixed-size AVP, one byte short and one byte long. */
	static const struct {
		uint16_t type;
		size_t	 len;
	} fixed[] = {
		{ L2TP_AVP_PROTOCOL_VERSION, 2 }, { L2TP_AVP_FRAMING_CAP, 4 },
		{ L2TP_AVP_BEARER_CAP, 4 }, { L2TP_AVP_TIE_BREAKER, 8 },
		{ L2TP_AVP_FIRMWARE_REV, 2 }, { L2TP_AVP_TUNNEL_ID, 2 },
		{ L2TP_AVP_RECV_WINDOW, 2 }, { L2TP_AVP_CHALLENGE_RESP, 16 },
		{ L2TP_AVP_SESSION_ID, 2 }, { L2TP_AVP_CALL_SERIAL, 4 },
		{ L2TP_AVP_MIN_BPS, 4 }, { L2TP_AVP_MAX_BPS, 4 },
		{ L2TP_AVP_BEARER_TYPE, 4 }, { L2TP_AVP_FRAMING_TYPE, 4 },
		{ L2TP_AVP_TX_CONNECT_SPEED, 4 }, { L2TP_AVP_PHYS_CHANNEL, 4 },
		{ L2TP_AVP_PROXY_AUTH_TYPE, 2 }, { L2TP_AVP_PROXY_AUTH_ID, 2 },
		{ L2TP_AVP_CALL_ERRORS, 26 }, { L2TP_AVP_ACCM, 10 },
		{ L2TP_AVP_RX_CONNECT_SPEED, 4 }, { L2TP_AVP_SEQ_REQUIRED, 0 },
	};
	char	 h[6] = { (char)0x80, 0, 0, 0, 0, 0 };
	size_t	 i;
	int	 bad = 0;

	for (i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++) {
		h[5] = (char)fixed[i].type;
		if (fixed[i].len > 0 &&
		    one_avp(h, "\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01"
		    "\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01"
		    "\x01\x01", fixed[i].len - 1, &m) != L2TP_P_VALUE_LENGTH)
			bad++;
		if (one_avp(h, "\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01"
		    "\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01"
		    "\x01\x01", fixed[i].len + 1, &m) != L2TP_P_VALUE_LENGTH)
			bad++;
		if (one_avp(h, "\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01"
		    "\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01"
		    "\x01\x01", fixed[i].len, &m) != L2TP_P_OK ||
		    !l2tp_msg_has(&m, fixed[i].type))
			bad++;
	}
	T_ASSERT(bad == 0);
	T_ASSERT(one_avp("\x00\x00\x00\x00\x00\x05", "\x01\x02\x03\x04\x05"
	    "\x06\x07\x08", 8, &m) == L2TP_P_OK);
	T_ASSERT(m.m_tie_breaker == 0x0102030405060708ULL);

	/* Message Type is exactly 2 octets. */
	{
		uint8_t	 pkt[32];

		T_ASSERT(parse(pkt, wrap(pkt, (const uint8_t *)
		    "\x80\x09\x00\x00\x00\x00\x00\x01\x00", 9), NULL, 0, &m) ==
		    L2TP_P_VALUE_LENGTH);
		T_ASSERT(parse(pkt, wrap(pkt, (const uint8_t *)
		    "\x80\x07\x00\x00\x00\x00\x00", 7), NULL, 0, &m) ==
		    L2TP_P_VALUE_LENGTH);
	}
	/* Result Code: 2, 4 or more octets, never 3 or 0. */
	T_ASSERT(one_avp("\x80\x00\x00\x00\x00\x01", "\x00\x01\x00", 3, &m) ==
	    L2TP_P_VALUE_LENGTH);
	T_ASSERT(one_avp("\x80\x00\x00\x00\x00\x01", "", 0, &m) ==
	    L2TP_P_VALUE_LENGTH);
	T_ASSERT(one_avp("\x80\x00\x00\x00\x00\x01", "\x00\x01\x00\x00", 4,
	    &m) == L2TP_P_OK && m.m_has_error && m.m_errmsg.b_len == 0);
	/* Strings with a minimum: Host Name, Challenge, Q.931 (3). */
	T_ASSERT(one_avp("\x80\x00\x00\x00\x00\x07", "", 0, &m) ==
	    L2TP_P_VALUE_LENGTH);
	T_ASSERT(one_avp("\x80\x00\x00\x00\x00\x0b", "", 0, &m) ==
	    L2TP_P_VALUE_LENGTH);
	T_ASSERT(one_avp("\x80\x00\x00\x00\x00\x0c", "\x00\x01", 2, &m) ==
	    L2TP_P_VALUE_LENGTH);
	T_ASSERT(one_avp("\x00\x00\x00\x00\x00\x1f", "", 0, &m) ==
	    L2TP_P_VALUE_LENGTH);
	/* Empty strings where the RFC allows them. */
	T_ASSERT(one_avp("\x00\x00\x00\x00\x00\x08", "", 0, &m) == L2TP_P_OK);
	T_ASSERT(one_avp("\x80\x00\x00\x00\x00\x24", "", 0, &m) == L2TP_P_OK);
	/* Zero IDs and a zero window are ruled out (4.4.3, 4.4.4, 5.8). */
	T_ASSERT(one_avp("\x80\x00\x00\x00\x00\x09", z, 2, &m) ==
	    L2TP_P_VALUE);
	T_ASSERT(m.m_err_type == L2TP_AVP_TUNNEL_ID);
	T_ASSERT(l2tp_perr_code(L2TP_P_VALUE) == L2TP_ERR_VALUE);
	T_ASSERT(one_avp("\x80\x00\x00\x00\x00\x0e", z, 2, &m) ==
	    L2TP_P_VALUE);
	T_ASSERT(one_avp("\x80\x00\x00\x00\x00\x0a", z, 2, &m) ==
	    L2TP_P_VALUE);
}

/* Cut a good message at every byte: never a crash, never a false OK. */
static void
test_truncation(void)
{
	uint8_t		 pkt[sizeof(sccrq_xl2tpd)];
	struct l2tp_msg	 m;
	size_t		 cut;
	int		 r, bad = 0, ok = 0;
	/* Where the AVPs of sccrq_xl2tpd end. */
	static const size_t ends[] = { 20, 28, 38, 48, 56, 68, 87, 95, 103 };
	size_t		 i;
	int		 boundary;

	for (cut = 0; cut < sizeof(sccrq_xl2tpd); cut++) {
		/* The datagram is cut; Length still says 103. */
		r = parse(sccrq_xl2tpd, cut, NULL, 0, &m);
		if (r == L2TP_P_OK)
			bad++;
		if (cut < 4 && r != L2TP_P_SHORT)
			bad++;
		if (cut >= 12 && r != L2TP_P_LENGTH)
			bad++;

		/* Length patched to match: fine exactly at AVP ends. */
		memcpy(pkt, sccrq_xl2tpd, cut);
		if (cut < 4)
			continue;
		pkt[2] = 0;
		pkt[3] = (uint8_t)cut;
		r = parse(pkt, cut, NULL, 0, &m);
		boundary = 0;
		for (i = 0; i < sizeof(ends) / sizeof(ends[0]); i++)
			if (ends[i] == cut)
				boundary = 1;
		if (cut == 12)
			boundary = 1;	/* a ZLB */
		if (boundary && r == L2TP_P_OK)
			ok++;
		else if (boundary || r == L2TP_P_OK)
			bad++;
	}
	T_ASSERT(bad == 0);
	T_ASSERT(ok == 9);	/* ZLB plus the first 1..8 AVPs */
}

static void
test_data_header(void)
{
	struct l2tp_hdr	 h;
	static const uint8_t min[] = { 0x00, 0x02, 0x12, 0x34, 0x56, 0x78,
	    0xff, 0x03, 0xc0, 0x21 };
	static const uint8_t full[] = { 0x4b, 0x02, 0x00, 0x14, 0x12, 0x34,
	    0x56, 0x78, 0x00, 0x07, 0x00, 0x00, 0x00, 0x02, 0xaa, 0xbb,
	    0xff, 0x03, 0xc0, 0x21, 0x99 };
	uint8_t		 p[sizeof(full)];
	struct l2tp_msg	 m;

	T_ASSERT_RET(l2tp_data_parse(min, sizeof(min), &h) == L2TP_P_OK);
	T_ASSERT(!h.h_control && !h.h_has_length && !h.h_has_seq);
	T_ASSERT(h.h_tunnel_id == 0x1234 && h.h_session_id == 0x5678);
	T_ASSERT(h.h_hdrlen == 6 && h.h_msglen == sizeof(min));

	/* L, S, O and P all set: Length 20 of a 21-byte datagram. */
	memcpy(p, full, sizeof(full));
	p[0] |= L2TP_HDR_O >> 8 | L2TP_HDR_P >> 8;
	T_ASSERT_RET(l2tp_data_parse(p, sizeof(p), &h) == L2TP_P_OK);
	T_ASSERT(h.h_has_length && h.h_has_seq && h.h_has_offset &&
	    h.h_priority);
	T_ASSERT(h.h_ns == 7 && h.h_offset_size == 2);
	T_ASSERT(h.h_hdrlen == 16 && h.h_msglen == 20 && h.h_trailing == 1);
	T_ASSERT(p[h.h_hdrlen] == 0xff && p[h.h_hdrlen + 1] == 0x03);
	/* Offset padding beyond the message. */
	p[13] = 7;
	T_ASSERT(l2tp_data_parse(p, sizeof(p), &h) == L2TP_P_OFFSET);
	p[13] = 6;		/* exactly to the end: empty payload */
	T_ASSERT(l2tp_data_parse(p, sizeof(p), &h) == L2TP_P_OK);
	T_ASSERT(h.h_hdrlen == 20 && h.h_msglen == 20);
	/* Too short for the fields its flags announce. */
	T_ASSERT(l2tp_data_parse(p, 13, &h) == L2TP_P_SHORT);

	/* Each parser refuses the other kind. */
	T_ASSERT(l2tp_data_parse(sccrq_xl2tpd, sizeof(sccrq_xl2tpd), &h) ==
	    L2TP_P_NOT_DATA);
	T_ASSERT(parse(min, sizeof(min), NULL, 0, &m) == L2TP_P_NOT_CTRL);
	/* Ver 3 data (L2TPv3 over UDP): dropped, told apart. */
	memcpy(p, min, sizeof(min));
	p[1] = 0x03;
	T_ASSERT(l2tp_data_parse(p, sizeof(min), &h) == L2TP_P_VERSION);
}

static void
test_missing(void)
{
	struct l2tp_msg	 m;
	uint8_t		 buf[128];
	struct obuf	 ob;
	struct l2tp_build b;
	int		 len;

	obuf_init(&ob, buf, sizeof(buf));
	l2tp_msg_begin(&b, &ob, 0, 0, 0, 0, L2TP_SCCRQ);
	l2tp_avp_put_proto_version(&b);
	l2tp_avp_put_u32(&b, L2TP_AVP_FRAMING_CAP, 3);
	l2tp_avp_put_u16(&b, L2TP_AVP_TUNNEL_ID, 3);
	T_ASSERT_RET((len = l2tp_msg_finish(&b)) > 0);
	T_ASSERT_RET(parse(buf, len, NULL, 0, &m) == L2TP_P_OK);
	T_ASSERT(l2tp_msg_missing(&m) == L2TP_AVP_HOST_NAME);

	obuf_init(&ob, buf, sizeof(buf));
	l2tp_msg_begin(&b, &ob, 3, 0, 0, 0, L2TP_CDN);
	l2tp_avp_put_result(&b, L2TP_CDN_ADMIN, 0, 0, NULL);
	T_ASSERT_RET((len = l2tp_msg_finish(&b)) > 0);
	T_ASSERT_RET(parse(buf, len, NULL, 0, &m) == L2TP_P_OK);
	T_ASSERT(l2tp_msg_missing(&m) == L2TP_AVP_SESSION_ID);

	obuf_init(&ob, buf, sizeof(buf));
	l2tp_msg_begin(&b, &ob, 3, 0, 0, 0, L2TP_ICCN);
	l2tp_avp_put_u32(&b, L2TP_AVP_TX_CONNECT_SPEED, 1);
	T_ASSERT_RET((len = l2tp_msg_finish(&b)) > 0);
	T_ASSERT_RET(parse(buf, len, NULL, 0, &m) == L2TP_P_OK);
	T_ASSERT(l2tp_msg_missing(&m) == L2TP_AVP_FRAMING_TYPE);

	obuf_init(&ob, buf, sizeof(buf));
	l2tp_msg_begin(&b, &ob, 3, 0, 0, 0, 99);
	T_ASSERT_RET((len = l2tp_msg_finish(&b)) > 0);
	T_ASSERT_RET(parse(buf, len, NULL, 0, &m) == L2TP_P_OK);
	T_ASSERT(l2tp_msg_missing(&m) == -1);
}

static void
test_builder_limits(void)
{
	uint8_t		 buf[2048], big[1100];
	struct obuf	 ob;
	struct l2tp_build b;

	memset(big, 'a', sizeof(big));
	/* The largest value fits, one more does not (10-bit length). */
	obuf_init(&ob, buf, sizeof(buf));
	l2tp_msg_begin(&b, &ob, 1, 0, 0, 0, L2TP_SCCRQ);
	l2tp_avp_put_bytes(&b, L2TP_AVP_VENDOR_NAME, big, 1017);
	T_ASSERT(l2tp_msg_finish(&b) == 12 + 8 + 1023);
	T_ASSERT(buf[20] == 0x03 && buf[21] == 0xff);
	obuf_init(&ob, buf, sizeof(buf));
	l2tp_msg_begin(&b, &ob, 1, 0, 0, 0, L2TP_SCCRQ);
	l2tp_avp_put_bytes(&b, L2TP_AVP_VENDOR_NAME, big, 1018);
	l2tp_avp_put_u16(&b, L2TP_AVP_TUNNEL_ID, 1);
	T_ASSERT(l2tp_msg_finish(&b) == -1);
	/* Out of buffer: sticky, finish reports it. */
	obuf_init(&ob, buf, 30);
	l2tp_msg_begin(&b, &ob, 1, 0, 0, 0, L2TP_SCCRQ);
	l2tp_avp_put_bytes(&b, L2TP_AVP_HOST_NAME, big, 20);
	l2tp_avp_put_u16(&b, L2TP_AVP_TUNNEL_ID, 1);
	T_ASSERT(l2tp_msg_finish(&b) == -1);
	/* A vendor AVP with explicit flags. */
	obuf_init(&ob, buf, sizeof(buf));
	l2tp_msg_begin(&b, &ob, 1, 0, 0, 0, L2TP_HELLO);
	l2tp_avp_put_raw(&b, 0, 311, 5, "x", 1);
	T_ASSERT(l2tp_msg_finish(&b) == 12 + 8 + 7);
	T_ASSERT(buf[20] == 0x00 && buf[21] == 7 && buf[22] == 0x01 &&
	    buf[23] == 0x37);
	/* A message builder can start mid-buffer. */
	obuf_init(&ob, buf, sizeof(buf));
	obuf_put_zero(&ob, 5);
	l2tp_msg_begin(&b, &ob, 1, 0, 0, 0, L2TP_HELLO);
	T_ASSERT(l2tp_msg_finish(&b) == 20);
	T_ASSERT(buf[5] == 0xc8 && buf[8] == 20);
}

static void
test_names(void)
{
	char	 s[128];
	struct l2tp_bytes b = { (const uint8_t *)"ab\x01\xff" "cd\n", 7 };
	int	 e;

	T_ASSERT(strcmp(l2tp_msg_type_name(L2TP_SCCRQ), "SCCRQ") == 0);
	T_ASSERT(strcmp(l2tp_msg_type_name(L2TP_StopCCN), "StopCCN") == 0);
	T_ASSERT(strcmp(l2tp_msg_type_name(L2TP_SLI), "SLI") == 0);
	T_ASSERT(strcmp(l2tp_msg_type_name(5), "unknown") == 0);
	T_ASSERT(strcmp(l2tp_msg_type_name(0), "unknown") == 0);
	T_ASSERT(strcmp(l2tp_msg_type_name(65535), "unknown") == 0);
	T_ASSERT(strcmp(l2tp_avp_name(L2TP_AVP_CHALLENGE_RESP),
	    "Challenge Response") == 0);
	T_ASSERT(strcmp(l2tp_avp_name(20), "unknown") == 0);
	T_ASSERT(strcmp(l2tp_avp_name(40), "unknown") == 0);
	T_ASSERT(strcmp(l2tp_result_name(L2TP_StopCCN, 4), "requester is not "
	    "authorized to establish a control channel") == 0);
	T_ASSERT(strcmp(l2tp_result_name(L2TP_CDN, 11), "call connected but "
	    "no appropriate framing was detected") == 0);
	T_ASSERT(strcmp(l2tp_result_name(L2TP_CDN, 12), "unknown") == 0);
	T_ASSERT(strcmp(l2tp_result_name(L2TP_HELLO, 1), "unknown") == 0);
	T_ASSERT(strcmp(l2tp_error_name(L2TP_ERR_TRY_ANOTHER),
	    "try another LNS") == 0);
	T_ASSERT(strcmp(l2tp_error_name(9), "unknown") == 0);

	l2tp_result_words(s, sizeof(s), L2TP_StopCCN, 5, 1, 0x0100);
	T_ASSERT(strcmp(s, "StopCCN result 5 (protocol version of the "
	    "requester is not supported), highest version supported 1.0") ==
	    0);
	l2tp_result_words(s, sizeof(s), L2TP_CDN, 99, 1, 999);
	T_ASSERT(strcmp(s, "CDN result 99 (unknown), error 999 (unknown)") ==
	    0);
	T_ASSERT(l2tp_result_words(NULL, 0, L2TP_CDN, 1, 0, 0) > 0);

	l2tp_bytes_printable(s, sizeof(s), &b);
	T_ASSERT(strcmp(s, "ab??cd?") == 0);
	l2tp_bytes_printable(s, 4, &b);
	T_ASSERT(strcmp(s, "ab?") == 0);
	l2tp_bytes_printable(s, 1, &b);
	T_ASSERT(s[0] == '\0');

	for (e = 0; e < L2TP_P_NERRORS; e++)
		T_ASSERT(l2tp_perr_str(e) != NULL && *l2tp_perr_str(e) != '\0');
	T_ASSERT(strcmp(l2tp_perr_str(-1), "unknown parse error") == 0);
	T_ASSERT(strcmp(l2tp_perr_str(L2TP_P_NERRORS),
	    "unknown parse error") == 0);
	T_ASSERT(l2tp_perr_code(L2TP_P_OK) == L2TP_ERR_NONE);
	T_ASSERT(l2tp_perr_code(L2TP_P_AVP_LENGTH) == L2TP_ERR_LENGTH);
	T_ASSERT(l2tp_perr_code(L2TP_P_VALUE_LENGTH) == L2TP_ERR_LENGTH);
}

int
main(void)
{
	T_RUN(test_sccrq_xl2tpd);
	T_RUN(test_challenge);
	T_RUN(test_zlb_hello);
	T_RUN(test_incoming_call);
	T_RUN(test_teardown_messages);
	T_RUN(test_hidden_known_answer);
	T_RUN(test_hidden_roundtrip);
	T_RUN(test_hidden_bad);
	T_RUN(test_header_bad);
	T_RUN(test_avp_bad);
	T_RUN(test_avp_values);
	T_RUN(test_truncation);
	T_RUN(test_data_header);
	T_RUN(test_missing);
	T_RUN(test_builder_limits);
	T_RUN(test_names);
	free(last_copy);
	return (T_DONE());
}
