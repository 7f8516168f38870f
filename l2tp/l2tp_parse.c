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


#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "common/cursor.h"
#include "l2tp/l2tp_parse.h"

#define VAR	L2TP_AVP_MAXVAL

/*
 * What RFC 2661 4.4 says about each vendor-0 attribute: the M bit a
 * sender must set, whether it may be hidden, and the length of its value
 * (before hiding).  Attribute 20 is not defined.
 */
struct avp_info {
	const char	*ai_name;
	uint8_t		 ai_known;
	uint8_t		 ai_mbit;
	uint8_t		 ai_hide_ok;
	uint16_t	 ai_min;
	uint16_t	 ai_max;
};

/* The table's columns: name, M bit, may be hidden, min and max length. */
#define AI(n, m, h, min, max)	{ (n), 1, (m), (h), (min), (max) }

static const struct avp_info avp_info[L2TP_AVP_NTYPES] = {
	[L2TP_AVP_MESSAGE_TYPE] = AI("Message Type", 1, 0, 2, 2),
	/* 2: Result Code only; 4: and Error Code; more: and a message. */
	[L2TP_AVP_RESULT_CODE] = AI("Result Code", 1, 0, 2, VAR),
	[L2TP_AVP_PROTOCOL_VERSION] = AI("Protocol Version", 1, 0, 2, 2),
	[L2TP_AVP_FRAMING_CAP] = AI("Framing Capabilities", 1, 1, 4, 4),
	[L2TP_AVP_BEARER_CAP] = AI("Bearer Capabilities", 1, 1, 4, 4),
	[L2TP_AVP_TIE_BREAKER] = AI("Tie Breaker", 0, 0, 8, 8),
	[L2TP_AVP_FIRMWARE_REV] = AI("Firmware Revision", 0, 1, 2, 2),
	/* "MUST be at least 1 octet" */
	[L2TP_AVP_HOST_NAME] = AI("Host Name", 1, 0, 1, VAR),
	[L2TP_AVP_VENDOR_NAME] = AI("Vendor Name", 0, 1, 0, VAR),
	[L2TP_AVP_TUNNEL_ID] = AI("Assigned Tunnel ID", 1, 1, 2, 2),
	[L2TP_AVP_RECV_WINDOW] = AI("Receive Window Size", 1, 0, 2, 2),
	/* "one or more octets of random data" */
	[L2TP_AVP_CHALLENGE] = AI("Challenge", 1, 1, 1, VAR),
	/* Length 9 plus the advisory message. */
	[L2TP_AVP_Q931_CAUSE] = AI("Q.931 Cause Code", 1, 0, 3, VAR),
	[L2TP_AVP_CHALLENGE_RESP] = AI("Challenge Response", 1, 1, 16, 16),
	[L2TP_AVP_SESSION_ID] = AI("Assigned Session ID", 1, 1, 2, 2),
	[L2TP_AVP_CALL_SERIAL] = AI("Call Serial Number", 1, 1, 4, 4),
	[L2TP_AVP_MIN_BPS] = AI("Minimum BPS", 1, 1, 4, 4),
	[L2TP_AVP_MAX_BPS] = AI("Maximum BPS", 1, 1, 4, 4),
	[L2TP_AVP_BEARER_TYPE] = AI("Bearer Type", 1, 1, 4, 4),
	[L2TP_AVP_FRAMING_TYPE] = AI("Framing Type", 1, 1, 4, 4),
	[L2TP_AVP_CALLED_NUMBER] = AI("Called Number", 1, 1, 0, VAR),
	[L2TP_AVP_CALLING_NUMBER] = AI("Calling Number", 1, 1, 0, VAR),
	[L2TP_AVP_SUB_ADDRESS] = AI("Sub-Address", 1, 1, 0, VAR),
	[L2TP_AVP_TX_CONNECT_SPEED] = AI("(Tx) Connect Speed", 1, 1, 4, 4),
	[L2TP_AVP_PHYS_CHANNEL] = AI("Physical Channel ID", 0, 1, 4, 4),
	[L2TP_AVP_INIT_RX_LCP] =
	    AI("Initial Received LCP CONFREQ", 0, 1, 0, VAR),
	[L2TP_AVP_LAST_TX_LCP] = AI("Last Sent LCP CONFREQ", 0, 1, 0, VAR),
	[L2TP_AVP_LAST_RX_LCP] = AI("Last Received LCP CONFREQ", 0, 1, 0, VAR),
	[L2TP_AVP_PROXY_AUTH_TYPE] = AI("Proxy Authen Type", 0, 1, 2, 2),
	[L2TP_AVP_PROXY_AUTH_NAME] = AI("Proxy Authen Name", 0, 1, 0, VAR),
	[L2TP_AVP_PROXY_AUTH_CHAL] = AI("Proxy Authen Challenge", 0, 1, 1, VAR),
	[L2TP_AVP_PROXY_AUTH_ID] = AI("Proxy Authen ID", 0, 1, 2, 2),
	[L2TP_AVP_PROXY_AUTH_RESP] = AI("Proxy Authen Response", 0, 1, 0, VAR),
	/* Length 32: reserved(2) and six 32-bit counters. */
	[L2TP_AVP_CALL_ERRORS] = AI("Call Errors", 1, 1, 26, 26),
	/* Length 16: reserved(2), send and receive ACCM. */
	[L2TP_AVP_ACCM] = AI("ACCM", 1, 1, 10, 10),
	/* "arbitrary length": MD5 takes an empty one too. */
	[L2TP_AVP_RANDOM_VECTOR] = AI("Random Vector", 1, 0, 0, VAR),
	[L2TP_AVP_PRIVATE_GROUP] = AI("Private Group ID", 0, 1, 0, VAR),
	[L2TP_AVP_RX_CONNECT_SPEED] = AI("Rx Connect Speed", 0, 1, 4, 4),
	[L2TP_AVP_SEQ_REQUIRED] = AI("Sequencing Required", 1, 0, 0, 0),
};
#undef AI

static const struct avp_info *
avp_lookup(uint16_t vendor, uint16_t type)
{
	if (vendor != 0 || type >= L2TP_AVP_NTYPES || !avp_info[type].ai_known)
		return (NULL);
	return (&avp_info[type]);
}

static const char *const perr_str[L2TP_P_NERRORS] = {
	[L2TP_P_OK] = "ok",
	[L2TP_P_SHORT] = "datagram shorter than the L2TP header",
	[L2TP_P_VERSION] = "header version is not 2",
	[L2TP_P_CTRL_BITS] = "control message without L and S bits or with "
	    "O or P bits",
	[L2TP_P_LENGTH] = "header Length beyond the datagram or inside the "
	    "header",
	[L2TP_P_OFFSET] = "offset padding beyond the message",
	[L2TP_P_NOT_CTRL] = "data message where a control message was "
	    "expected",
	[L2TP_P_NOT_DATA] = "control message where a data message was "
	    "expected",
	[L2TP_P_AVP_LENGTH] = "AVP length below 6 or beyond the message",
	[L2TP_P_NO_MSG_TYPE] = "first AVP is not Message Type",
	[L2TP_P_DUPLICATE] = "AVP appears more than once",
	[L2TP_P_VALUE_LENGTH] = "AVP value has the wrong length",
	[L2TP_P_VALUE] = "AVP value out of range",
	[L2TP_P_HIDDEN_FORBIDDEN] = "AVP that must not be hidden is hidden",
	[L2TP_P_HIDDEN_NO_SECRET] = "hidden AVP but no tunnel secret",
	[L2TP_P_HIDDEN_NO_RV] = "hidden AVP without a preceding Random Vector",
	[L2TP_P_HIDDEN_BAD] = "hidden AVP does not decode (wrong secret?)",
	[L2TP_P_HIDDEN_SPACE] = "hidden AVPs too large",
	[L2TP_P_CRYPTO] = "MD5 failed",
};

const char *
l2tp_perr_str(int e)
{
	if (e < 0 || e >= L2TP_P_NERRORS)
		return ("unknown parse error");
	return (perr_str[e]);
}

uint16_t
l2tp_perr_code(int e)
{
	switch (e) {
	case L2TP_P_OK:
		return (L2TP_ERR_NONE);
	case L2TP_P_VALUE:
	case L2TP_P_CTRL_BITS:
	case L2TP_P_NO_MSG_TYPE:
	case L2TP_P_DUPLICATE:
	case L2TP_P_HIDDEN_FORBIDDEN:
	case L2TP_P_HIDDEN_NO_SECRET:
	case L2TP_P_HIDDEN_NO_RV:
	case L2TP_P_HIDDEN_BAD:
		return (L2TP_ERR_VALUE);
	case L2TP_P_HIDDEN_SPACE:
	case L2TP_P_CRYPTO:
		return (L2TP_ERR_RESOURCES);
	default:
		return (L2TP_ERR_LENGTH);
	}
}

/*
 * The MD5 chain of RFC 2661 4.3, in either direction:
 *	b1 = MD5(type + S + RV)		c(1) = p1 xor b1
 *	bi = MD5(S + c(i-1))		c(i) = pi xor bi
 * where type is the 2-octet attribute number (the RFC's "AV" in that
 * formula is the attribute, as the paragraph before it says) and the
 * last block may be short.  in and out may be the same buffer.
 */
static int
hide_chain(int hiding, uint16_t type, const uint8_t *secret, size_t slen,
    const uint8_t *rv, size_t rvlen, const uint8_t *in, uint8_t *out,
    size_t len)
{
	EVP_MD_CTX	*ctx;
	uint8_t		 t[2], b[EVP_MAX_MD_SIZE], prev[16];
	unsigned int	 blen;
	size_t		 off, n, i;
	int		 ok = 1;

	if (len == 0)
		return (0);
	if ((ctx = EVP_MD_CTX_new()) == NULL)
		return (-1);
	t[0] = type >> 8;
	t[1] = type & 0xff;
	for (off = 0; off < len && ok; off += 16) {
		ok = EVP_DigestInit_ex(ctx, EVP_md5(), NULL) == 1;
		if (off == 0)
			ok = ok && EVP_DigestUpdate(ctx, t, 2) == 1 &&
			    EVP_DigestUpdate(ctx, secret, slen) == 1 &&
			    EVP_DigestUpdate(ctx, rv, rvlen) == 1;
		else
			ok = ok && EVP_DigestUpdate(ctx, secret, slen) == 1 &&
			    EVP_DigestUpdate(ctx, prev, 16) == 1;
		ok = ok && EVP_DigestFinal_ex(ctx, b, &blen) == 1 &&
		    blen == 16;
		if (!ok)
			break;
		n = len - off < 16 ? len - off : 16;
		/* The next block hashes this block's ciphertext. */
		if (!hiding)
			memcpy(prev, in + off, n);
		for (i = 0; i < n; i++)
			out[off + i] = in[off + i] ^ b[i];
		if (hiding)
			memcpy(prev, out + off, n);
	}
	EVP_MD_CTX_free(ctx);
	explicit_bzero(b, sizeof(b));
	explicit_bzero(prev, sizeof(prev));
	return (ok ? 0 : -1);
}

int
l2tp_hide(uint16_t type, const uint8_t *secret, size_t slen,
    const uint8_t *rv, size_t rvlen, const uint8_t *in, uint8_t *out,
    size_t len)
{
	return (hide_chain(1, type, secret, slen, rv, rvlen, in, out, len));
}

int
l2tp_unhide(uint16_t type, const uint8_t *secret, size_t slen,
    const uint8_t *rv, size_t rvlen, const uint8_t *in, uint8_t *out,
    size_t len)
{
	return (hide_chain(0, type, secret, slen, rv, rvlen, in, out, len));
}

int
l2tp_chal_response(uint8_t id, const uint8_t *secret, size_t slen,
    const uint8_t *chal, size_t challen, uint8_t out[L2TP_CHAL_RESP_LEN])
{
	EVP_MD_CTX	*ctx;
	uint8_t		 md[EVP_MAX_MD_SIZE];
	unsigned int	 mdlen;
	int		 ok;

	if ((ctx = EVP_MD_CTX_new()) == NULL)
		return (-1);
	ok = EVP_DigestInit_ex(ctx, EVP_md5(), NULL) == 1 &&
	    EVP_DigestUpdate(ctx, &id, 1) == 1 &&
	    EVP_DigestUpdate(ctx, secret, slen) == 1 &&
	    EVP_DigestUpdate(ctx, chal, challen) == 1 &&
	    EVP_DigestFinal_ex(ctx, md, &mdlen) == 1 &&
	    mdlen == L2TP_CHAL_RESP_LEN;
	EVP_MD_CTX_free(ctx);
	if (ok)
		memcpy(out, md, L2TP_CHAL_RESP_LEN);
	explicit_bzero(md, sizeof(md));
	return (ok ? 0 : -1);
}

int
l2tp_chal_verify(uint8_t id, const uint8_t *secret, size_t slen,
    const uint8_t *chal, size_t challen,
    const uint8_t resp[L2TP_CHAL_RESP_LEN])
{
	uint8_t	 want[L2TP_CHAL_RESP_LEN];
	int	 r;

	if (l2tp_chal_response(id, secret, slen, chal, challen, want) == -1)
		return (-1);
	r = CRYPTO_memcmp(want, resp, sizeof(want)) == 0 ? 0 : -1;
	explicit_bzero(want, sizeof(want));
	return (r);
}

int
l2tp_hdr_parse(const uint8_t *pkt, size_t len, struct l2tp_hdr *h)
{
	struct cur	 c;
	uint16_t	 flags, length;
	size_t		 fixed;

	memset(h, 0, sizeof(*h));
	cur_init(&c, pkt, len);
	if (cur_get_u16(&c, &flags) == -1)
		return (L2TP_P_SHORT);
	h->h_flags = flags;
	h->h_ver = flags & L2TP_HDR_VER;
	h->h_control = (flags & L2TP_HDR_T) != 0;
	h->h_has_length = (flags & L2TP_HDR_L) != 0;
	h->h_has_seq = (flags & L2TP_HDR_S) != 0;
	h->h_has_offset = (flags & L2TP_HDR_O) != 0;
	h->h_priority = (flags & L2TP_HDR_P) != 0;

	/* 3.1: "Packets received with an unknown Ver field MUST be
	 * discarded"; L2F (1) and L2TPv3 (3) share UDP 1701. */
	if (h->h_ver != L2TP_VERSION)
		return (L2TP_P_VERSION);
	/* 3.1: L and S MUST be 1, O and P MUST be 0 on control messages. */
	if (h->h_control && (!h->h_has_length || !h->h_has_seq ||
	    h->h_has_offset || h->h_priority))
		return (L2TP_P_CTRL_BITS);

	fixed = 6 + (h->h_has_length ? 2 : 0) + (h->h_has_seq ? 4 : 0) +
	    (h->h_has_offset ? 2 : 0);
	if (len < fixed)
		return (L2TP_P_SHORT);
	h->h_msglen = len;
	if (h->h_has_length) {
		(void)cur_get_u16(&c, &length);
		if (length > len || length < fixed)
			return (L2TP_P_LENGTH);
		h->h_msglen = length;
	}
	/* From here on the message ends at Length. */
	cur_init(&c, pkt + (h->h_has_length ? 4 : 2),
	    h->h_msglen - (h->h_has_length ? 4 : 2));
	(void)cur_get_u16(&c, &h->h_tunnel_id);
	(void)cur_get_u16(&c, &h->h_session_id);
	if (h->h_has_seq) {
		(void)cur_get_u16(&c, &h->h_ns);
		(void)cur_get_u16(&c, &h->h_nr);
	}
	if (h->h_has_offset) {
		(void)cur_get_u16(&c, &h->h_offset_size);
		if (cur_skip(&c, h->h_offset_size) == -1)
			return (L2TP_P_OFFSET);
	}
	h->h_hdrlen = h->h_msglen - cur_left(&c);
	h->h_trailing = len - h->h_msglen;
	return (L2TP_P_OK);
}

int
l2tp_data_parse(const uint8_t *pkt, size_t len, struct l2tp_hdr *h)
{
	int	 r;

	if ((r = l2tp_hdr_parse(pkt, len, h)) != L2TP_P_OK)
		return (r);
	if (h->h_control)
		return (L2TP_P_NOT_DATA);
	return (L2TP_P_OK);
}

struct parse_state {
	const uint8_t	*ps_secret;
	size_t		 ps_secretlen;
	const uint8_t	*ps_rv;
	size_t		 ps_rvlen;
	int		 ps_has_rv;
};

static void
take_bytes(struct cur *v, struct l2tp_bytes *b)
{
	b->b_len = cur_left(v);
	(void)cur_get_ptr(v, &b->b_p, b->b_len);
}

/* Decode one recognised AVP whose value length is already checked. */
static int
avp_decode(struct l2tp_msg *m, uint16_t bits, uint16_t type, struct cur *v,
    struct parse_state *ps)
{
	uint16_t	 u16;

	switch (type) {
	case L2TP_AVP_MESSAGE_TYPE:
		(void)cur_get_u16(v, &m->m_type);
		m->m_type_mbit = (bits & L2TP_AVP_M) != 0;
		break;
	case L2TP_AVP_RESULT_CODE:
		(void)cur_get_u16(v, &m->m_result);
		if (cur_left(v) == 0)
			break;
		/* An Error Message needs an Error Code before it. */
		if (cur_get_u16(v, &m->m_error) == -1)
			return (L2TP_P_VALUE_LENGTH);
		m->m_has_error = 1;
		take_bytes(v, &m->m_errmsg);
		break;
	case L2TP_AVP_PROTOCOL_VERSION:
		(void)cur_get_u8(v, &m->m_proto_ver);
		(void)cur_get_u8(v, &m->m_proto_rev);
		break;
	case L2TP_AVP_FRAMING_CAP:
		(void)cur_get_u32(v, &m->m_framing_cap);
		break;
	case L2TP_AVP_BEARER_CAP:
		(void)cur_get_u32(v, &m->m_bearer_cap);
		break;
	case L2TP_AVP_TIE_BREAKER:
		(void)cur_get_u64(v, &m->m_tie_breaker);
		break;
	case L2TP_AVP_FIRMWARE_REV:
		(void)cur_get_u16(v, &m->m_firmware_rev);
		break;
	case L2TP_AVP_HOST_NAME:
		take_bytes(v, &m->m_host_name);
		break;
	case L2TP_AVP_VENDOR_NAME:
		take_bytes(v, &m->m_vendor_name);
		break;
	case L2TP_AVP_TUNNEL_ID:
		/* "a 2 octet non-zero unsigned integer" */
		(void)cur_get_u16(v, &m->m_tunnel_id);
		if (m->m_tunnel_id == 0)
			return (L2TP_P_VALUE);
		break;
	case L2TP_AVP_RECV_WINDOW:
		/* 5.8: "A value of 0 ... is invalid." */
		(void)cur_get_u16(v, &m->m_recv_window);
		if (m->m_recv_window == 0)
			return (L2TP_P_VALUE);
		break;
	case L2TP_AVP_CHALLENGE:
		take_bytes(v, &m->m_challenge);
		break;
	case L2TP_AVP_Q931_CAUSE:
		(void)cur_get_u16(v, &m->m_q931_cause);
		(void)cur_get_u8(v, &m->m_q931_msg);
		take_bytes(v, &m->m_q931_advisory);
		break;
	case L2TP_AVP_CHALLENGE_RESP:
		(void)cur_get_bytes(v, m->m_chal_resp, sizeof(m->m_chal_resp));
		break;
	case L2TP_AVP_SESSION_ID:
		(void)cur_get_u16(v, &m->m_session_id);
		if (m->m_session_id == 0)
			return (L2TP_P_VALUE);
		break;
	case L2TP_AVP_CALL_SERIAL:
		(void)cur_get_u32(v, &m->m_call_serial);
		break;
	case L2TP_AVP_MIN_BPS:
		(void)cur_get_u32(v, &m->m_min_bps);
		break;
	case L2TP_AVP_MAX_BPS:
		(void)cur_get_u32(v, &m->m_max_bps);
		break;
	case L2TP_AVP_BEARER_TYPE:
		(void)cur_get_u32(v, &m->m_bearer_type);
		break;
	case L2TP_AVP_FRAMING_TYPE:
		(void)cur_get_u32(v, &m->m_framing_type);
		break;
	case L2TP_AVP_CALLED_NUMBER:
		take_bytes(v, &m->m_called_number);
		break;
	case L2TP_AVP_CALLING_NUMBER:
		take_bytes(v, &m->m_calling_number);
		break;
	case L2TP_AVP_SUB_ADDRESS:
		take_bytes(v, &m->m_sub_address);
		break;
	case L2TP_AVP_TX_CONNECT_SPEED:
		(void)cur_get_u32(v, &m->m_tx_speed);
		break;
	case L2TP_AVP_PHYS_CHANNEL:
		(void)cur_get_u32(v, &m->m_phys_channel);
		break;
	case L2TP_AVP_INIT_RX_LCP:
		take_bytes(v, &m->m_init_rx_lcp);
		break;
	case L2TP_AVP_LAST_TX_LCP:
		take_bytes(v, &m->m_last_tx_lcp);
		break;
	case L2TP_AVP_LAST_RX_LCP:
		take_bytes(v, &m->m_last_rx_lcp);
		break;
	case L2TP_AVP_PROXY_AUTH_TYPE:
		(void)cur_get_u16(v, &m->m_proxy_auth_type);
		break;
	case L2TP_AVP_PROXY_AUTH_NAME:
		take_bytes(v, &m->m_proxy_auth_name);
		break;
	case L2TP_AVP_PROXY_AUTH_CHAL:
		take_bytes(v, &m->m_proxy_auth_chal);
		break;
	case L2TP_AVP_PROXY_AUTH_ID:
		/* Reserved octet, then the PPP identifier. */
		(void)cur_get_u16(v, &u16);
		m->m_proxy_auth_id = u16 & 0xff;
		break;
	case L2TP_AVP_PROXY_AUTH_RESP:
		take_bytes(v, &m->m_proxy_auth_resp);
		break;
	case L2TP_AVP_CALL_ERRORS:
		(void)cur_skip(v, 2);
		(void)cur_get_u32(v, &m->m_crc_errors);
		(void)cur_get_u32(v, &m->m_framing_errors);
		(void)cur_get_u32(v, &m->m_hw_overruns);
		(void)cur_get_u32(v, &m->m_buf_overruns);
		(void)cur_get_u32(v, &m->m_timeout_errors);
		(void)cur_get_u32(v, &m->m_align_errors);
		break;
	case L2TP_AVP_ACCM:
		(void)cur_skip(v, 2);
		(void)cur_get_u32(v, &m->m_send_accm);
		(void)cur_get_u32(v, &m->m_recv_accm);
		break;
	case L2TP_AVP_RANDOM_VECTOR:
		/* 4.3: a hidden AVP uses the RV most closely preceding it. */
		ps->ps_rvlen = cur_left(v);
		(void)cur_get_ptr(v, &ps->ps_rv, ps->ps_rvlen);
		ps->ps_has_rv = 1;
		break;
	case L2TP_AVP_PRIVATE_GROUP:
		take_bytes(v, &m->m_private_group);
		break;
	case L2TP_AVP_RX_CONNECT_SPEED:
		(void)cur_get_u32(v, &m->m_rx_speed);
		break;
	case L2TP_AVP_SEQ_REQUIRED:
		break;
	}
	return (L2TP_P_OK);
}

static int
avp_parse(struct l2tp_msg *m, int first, uint16_t bits, uint16_t vendor,
    uint16_t type, struct cur *v, struct parse_state *ps)
{
	const struct avp_info	*ai;
	uint64_t		 bit;
	uint8_t			*p;
	size_t			 n, olen;

	ai = avp_lookup(vendor, type);
	/* 4.1: "An AVP received with a reserved bit set to 1 MUST be
	 * treated as an unrecognized AVP." */
	if (bits & L2TP_AVP_RSVD)
		ai = NULL;
	/* 4.4.1: Message Type MUST be the first AVP. */
	if (first && (ai == NULL || type != L2TP_AVP_MESSAGE_TYPE))
		return (L2TP_P_NO_MSG_TYPE);
	if (ai == NULL) {
		/* 4.1: the caller tears down; without M, ignore it. */
		if ((bits & L2TP_AVP_M) && !m->m_unknown_mandatory) {
			m->m_unknown_mandatory = 1;
			m->m_unknown_vendor = vendor;
			m->m_unknown_type = type;
		} else if (!(bits & L2TP_AVP_M))
			m->m_unknown_ignored++;
		return (L2TP_P_OK);
	}
	bit = 1ULL << type;
	/* Only the Random Vector may appear more than once (4.4.1). */
	if (type != L2TP_AVP_RANDOM_VECTOR && (m->m_avps & bit))
		return (L2TP_P_DUPLICATE);

	if (bits & L2TP_AVP_H) {
		if (!ai->ai_hide_ok)
			return (L2TP_P_HIDDEN_FORBIDDEN);
		if (ps->ps_secret == NULL || ps->ps_secretlen == 0)
			return (L2TP_P_HIDDEN_NO_SECRET);
		if (!ps->ps_has_rv)
			return (L2TP_P_HIDDEN_NO_RV);
		n = cur_left(v);
		if (n > sizeof(m->m_hidden_buf) - m->m_hidden_len)
			return (L2TP_P_HIDDEN_SPACE);
		p = m->m_hidden_buf + m->m_hidden_len;
		if (l2tp_unhide(type, ps->ps_secret, ps->ps_secretlen,
		    ps->ps_rv, ps->ps_rvlen, v->c_p, p, n) == -1)
			return (L2TP_P_CRYPTO);
		m->m_hidden_len += n;
		/* Length of Original Value, value, padding. */
		if (n < 2)
			return (L2TP_P_HIDDEN_BAD);
		olen = (size_t)p[0] << 8 | p[1];
		if (olen > n - 2)
			return (L2TP_P_HIDDEN_BAD);
		cur_init(v, p + 2, olen);
		m->m_hidden |= bit;
	}
	if (cur_left(v) < ai->ai_min || cur_left(v) > ai->ai_max)
		return (L2TP_P_VALUE_LENGTH);
	m->m_avps |= bit;
	return (avp_decode(m, bits, type, v, ps));
}

int
l2tp_msg_parse(const uint8_t *pkt, size_t len, const uint8_t *secret,
    size_t secretlen, struct l2tp_msg *m)
{
	struct parse_state	 ps;
	struct cur		 c, v;
	uint16_t		 bits, vendor, type, avplen;
	size_t			 off = 0;
	int			 r;

	memset(m, 0, offsetof(struct l2tp_msg, m_hidden_buf));
	if ((r = l2tp_hdr_parse(pkt, len, &m->m_hdr)) != L2TP_P_OK)
		return (r);
	if (!m->m_hdr.h_control)
		return (L2TP_P_NOT_CTRL);

	memset(&ps, 0, sizeof(ps));
	ps.ps_secret = secret;
	ps.ps_secretlen = secretlen;
	cur_init(&c, pkt + m->m_hdr.h_hdrlen,
	    m->m_hdr.h_msglen - m->m_hdr.h_hdrlen);
	/* 3.1 and the ZLB definition in 1.2: a header and nothing else. */
	if (cur_left(&c) == 0) {
		m->m_zlb = 1;
		return (L2TP_P_OK);
	}
	while (cur_left(&c) > 0) {
		off = m->m_hdr.h_msglen - cur_left(&c);
		vendor = type = 0;
		if (cur_get_u16(&c, &bits) == -1 ||
		    cur_get_u16(&c, &vendor) == -1 ||
		    cur_get_u16(&c, &type) == -1) {
			r = L2TP_P_AVP_LENGTH;
			goto fail;
		}
		/* 4.1: 10 bits of length, at least the 6-byte header. */
		avplen = bits & L2TP_AVP_LENMASK;
		if (avplen < L2TP_AVP_HDRLEN ||
		    cur_sub(&c, &v, avplen - L2TP_AVP_HDRLEN) == -1) {
			r = L2TP_P_AVP_LENGTH;
			goto fail;
		}
		r = avp_parse(m, m->m_navps++ == 0, bits, vendor, type, &v,
		    &ps);
		if (r != L2TP_P_OK)
			goto fail;
	}
	return (L2TP_P_OK);
 fail:
	m->m_err_offset = off;
	m->m_err_vendor = vendor;
	m->m_err_type = type;
	return (r);
}

int
l2tp_msg_has(const struct l2tp_msg *m, unsigned int avp)
{
	if (avp >= L2TP_AVP_NTYPES)
		return (0);
	return ((m->m_avps & (1ULL << avp)) != 0);
}

void
l2tp_msg_clear(struct l2tp_msg *m)
{
	explicit_bzero(m, sizeof(*m));
}

/* The AVPs each message MUST carry, RFC 2661 6.1 to 6.14. */
static const uint8_t req_sccrq[] = { L2TP_AVP_PROTOCOL_VERSION,
	L2TP_AVP_HOST_NAME, L2TP_AVP_FRAMING_CAP, L2TP_AVP_TUNNEL_ID };
static const uint8_t req_stopccn[] = { L2TP_AVP_TUNNEL_ID,
	L2TP_AVP_RESULT_CODE };
static const uint8_t req_icrq[] = { L2TP_AVP_SESSION_ID,
	L2TP_AVP_CALL_SERIAL };
static const uint8_t req_session_id[] = { L2TP_AVP_SESSION_ID };
static const uint8_t req_connected[] = { L2TP_AVP_TX_CONNECT_SPEED,
	L2TP_AVP_FRAMING_TYPE };
static const uint8_t req_ocrq[] = { L2TP_AVP_SESSION_ID,
	L2TP_AVP_CALL_SERIAL, L2TP_AVP_MIN_BPS, L2TP_AVP_MAX_BPS,
	L2TP_AVP_BEARER_TYPE, L2TP_AVP_FRAMING_TYPE, L2TP_AVP_CALLED_NUMBER };
static const uint8_t req_cdn[] = { L2TP_AVP_RESULT_CODE,
	L2TP_AVP_SESSION_ID };
static const uint8_t req_wen[] = { L2TP_AVP_CALL_ERRORS };
static const uint8_t req_sli[] = { L2TP_AVP_ACCM };

int
l2tp_msg_missing(const struct l2tp_msg *m)
{
	const uint8_t	*req;
	size_t		 n, i;

#define REQ(a)	do { req = (a); n = sizeof(a); } while (0)
	switch (m->m_type) {
	case L2TP_SCCRQ:
	case L2TP_SCCRP:
		REQ(req_sccrq);
		break;
	case L2TP_StopCCN:
		REQ(req_stopccn);
		break;
	case L2TP_ICRQ:
		REQ(req_icrq);
		break;
	case L2TP_ICRP:
	case L2TP_OCRP:
		REQ(req_session_id);
		break;
	case L2TP_ICCN:
	case L2TP_OCCN:
		REQ(req_connected);
		break;
	case L2TP_OCRQ:
		REQ(req_ocrq);
		break;
	case L2TP_CDN:
		REQ(req_cdn);
		break;
	case L2TP_WEN:
		REQ(req_wen);
		break;
	case L2TP_SLI:
		REQ(req_sli);
		break;
	default:
		return (-1);
	}
#undef REQ
	for (i = 0; i < n; i++)
		if (!l2tp_msg_has(m, req[i]))
			return (req[i]);
	return (-1);
}

/*
 * Building.
 */

static void
avp_header(struct l2tp_build *b, uint16_t flags, uint16_t vendor,
    uint16_t type, size_t vlen)
{
	if (b->lb_err)
		return;
	if (vlen > L2TP_AVP_MAXVAL) {
		b->lb_err = 1;
		return;
	}
	obuf_put_u16(b->lb_ob, (flags & ~L2TP_AVP_LENMASK) |
	    (uint16_t)(L2TP_AVP_HDRLEN + vlen));
	obuf_put_u16(b->lb_ob, vendor);
	obuf_put_u16(b->lb_ob, type);
}

static uint16_t
avp_mbit(uint16_t type)
{
	const struct avp_info	*ai;

	ai = avp_lookup(0, type);
	return (ai != NULL && ai->ai_mbit ? L2TP_AVP_M : 0);
}

void
l2tp_msg_begin(struct l2tp_build *b, struct obuf *ob, uint16_t tunnel_id,
    uint16_t session_id, uint16_t ns, uint16_t nr, uint16_t type)
{
	memset(b, 0, sizeof(*b));
	b->lb_ob = ob;
	b->lb_start = ob->o_len;
	obuf_put_u16(ob, L2TP_CTRL_FLAGS);
	obuf_put_u16(ob, 0);		/* Length: l2tp_msg_finish */
	obuf_put_u16(ob, tunnel_id);
	obuf_put_u16(ob, session_id);
	obuf_put_u16(ob, ns);
	obuf_put_u16(ob, nr);
	l2tp_avp_put_u16(b, L2TP_AVP_MESSAGE_TYPE, type);
}

void
l2tp_build_secret(struct l2tp_build *b, const uint8_t *secret, size_t len)
{
	b->lb_secret = secret;
	b->lb_secretlen = len;
}

void
l2tp_avp_put_raw(struct l2tp_build *b, uint16_t flags, uint16_t vendor,
    uint16_t type, const void *val, size_t len)
{
	avp_header(b, flags, vendor, type, len);
	if (!b->lb_err)
		obuf_put_bytes(b->lb_ob, val, len);
}

void
l2tp_avp_put_bytes(struct l2tp_build *b, uint16_t type, const void *val,
    size_t len)
{
	l2tp_avp_put_raw(b, avp_mbit(type), 0, type, val, len);
}

void
l2tp_avp_put_u16(struct l2tp_build *b, uint16_t type, uint16_t v)
{
	uint8_t	 p[2] = { v >> 8, v & 0xff };

	l2tp_avp_put_bytes(b, type, p, sizeof(p));
}

void
l2tp_avp_put_u32(struct l2tp_build *b, uint16_t type, uint32_t v)
{
	uint8_t	 p[4] = { v >> 24, (v >> 16) & 0xff, (v >> 8) & 0xff,
		    v & 0xff };

	l2tp_avp_put_bytes(b, type, p, sizeof(p));
}

void
l2tp_avp_put_u64(struct l2tp_build *b, uint16_t type, uint64_t v)
{
	uint8_t	 p[8];
	int	 i;

	for (i = 0; i < 8; i++)
		p[i] = (v >> (56 - 8 * i)) & 0xff;
	l2tp_avp_put_bytes(b, type, p, sizeof(p));
}

void
l2tp_avp_put_result(struct l2tp_build *b, uint16_t result, int has_error,
    uint16_t error, const char *msg)
{
	size_t	 mlen = msg != NULL ? strlen(msg) : 0;

	/* An Error Message can only follow an Error Code (4.4.2). */
	if (mlen > 0)
		has_error = 1;
	avp_header(b, avp_mbit(L2TP_AVP_RESULT_CODE), 0, L2TP_AVP_RESULT_CODE,
	    2 + (has_error ? 2 + mlen : 0));
	if (b->lb_err)
		return;
	obuf_put_u16(b->lb_ob, result);
	if (has_error) {
		obuf_put_u16(b->lb_ob, error);
		obuf_put_bytes(b->lb_ob, msg, mlen);
	}
}

void
l2tp_avp_put_proto_version(struct l2tp_build *b)
{
	uint8_t	 p[2] = { L2TP_PROTO_VER, L2TP_PROTO_REV };

	l2tp_avp_put_bytes(b, L2TP_AVP_PROTOCOL_VERSION, p, sizeof(p));
}

void
l2tp_avp_put_random_vector(struct l2tp_build *b, const uint8_t *rv,
    size_t len)
{
	avp_header(b, avp_mbit(L2TP_AVP_RANDOM_VECTOR), 0,
	    L2TP_AVP_RANDOM_VECTOR, len);
	if (b->lb_err)
		return;
	b->lb_rv_off = b->lb_ob->o_len;
	obuf_put_bytes(b->lb_ob, rv, len);
	b->lb_rv_len = len;
	b->lb_has_rv = obuf_error(b->lb_ob) == 0;
}

void
l2tp_avp_put_hidden(struct l2tp_build *b, uint16_t type, const void *val,
    size_t len, size_t padlen)
{
	const struct avp_info	*ai;
	struct obuf		*ob = b->lb_ob;
	uint8_t			 plain[L2TP_AVP_MAXVAL];
	size_t			 n, off;

	ai = avp_lookup(0, type);
	if (b->lb_err || ai == NULL || !ai->ai_hide_ok ||
	    b->lb_secret == NULL || b->lb_secretlen == 0 || !b->lb_has_rv ||
	    len > sizeof(plain) || padlen > sizeof(plain) - len ||
	    len + padlen > sizeof(plain) - 2) {
		b->lb_err = 1;
		return;
	}
	/* 4.3: Length of Original Value, the value, random padding. */
	n = 2 + len + padlen;
	plain[0] = len >> 8;
	plain[1] = len & 0xff;
	if (len > 0)
		memcpy(plain + 2, val, len);
	if (padlen > 0)
		arc4random_buf(plain + 2 + len, padlen);
	avp_header(b, avp_mbit(type) | L2TP_AVP_H, 0, type, n);
	off = obuf_reserve(ob, n);
	if (!b->lb_err && obuf_error(ob) == 0 &&
	    l2tp_hide(type, b->lb_secret, b->lb_secretlen,
	    ob->o_buf + b->lb_rv_off, b->lb_rv_len, plain, ob->o_buf + off,
	    n) == -1)
		b->lb_err = 1;
	explicit_bzero(plain, sizeof(plain));
}

int
l2tp_msg_finish(struct l2tp_build *b)
{
	size_t	 len;

	if (b->lb_err || obuf_error(b->lb_ob) == -1)
		return (-1);
	len = b->lb_ob->o_len - b->lb_start;
	if (len > L2TP_MSG_MAXLEN)
		return (-1);
	obuf_patch_u16(b->lb_ob, b->lb_start + L2TP_OFF_LENGTH, (uint16_t)len);
	if (obuf_error(b->lb_ob) == -1)
		return (-1);
	return ((int)len);
}

int
l2tp_zlb_build(struct obuf *ob, uint16_t tunnel_id, uint16_t session_id,
    uint16_t ns, uint16_t nr)
{
	obuf_put_u16(ob, L2TP_CTRL_FLAGS);
	obuf_put_u16(ob, L2TP_CTRL_HDRLEN);
	obuf_put_u16(ob, tunnel_id);
	obuf_put_u16(ob, session_id);
	obuf_put_u16(ob, ns);
	obuf_put_u16(ob, nr);
	return (obuf_error(ob) == -1 ? -1 : L2TP_CTRL_HDRLEN);
}

/*
 * Names.
 */

static const char *const msg_type_names[] = {
	[L2TP_SCCRQ] = "SCCRQ",
	[L2TP_SCCRP] = "SCCRP",
	[L2TP_SCCCN] = "SCCCN",
	[L2TP_StopCCN] = "StopCCN",
	[L2TP_HELLO] = "HELLO",
	[L2TP_OCRQ] = "OCRQ",
	[L2TP_OCRP] = "OCRP",
	[L2TP_OCCN] = "OCCN",
	[L2TP_ICRQ] = "ICRQ",
	[L2TP_ICRP] = "ICRP",
	[L2TP_ICCN] = "ICCN",
	[L2TP_CDN] = "CDN",
	[L2TP_WEN] = "WEN",
	[L2TP_SLI] = "SLI",
};

static const char *const stopccn_results[] = {
	"reserved",
	"general request to clear control connection",
	"general error",
	"control channel already exists",
	"requester is not authorized to establish a control channel",
	"protocol version of the requester is not supported",
	"requester is being shut down",
	"finite state machine error",
};

static const char *const cdn_results[] = {
	"reserved",
	"call disconnected due to loss of carrier",
	"call disconnected for the reason indicated in error code",
	"call disconnected for administrative reasons",
	"call failed: no appropriate facilities available (temporary)",
	"call failed: no appropriate facilities available (permanent)",
	"invalid destination",
	"call failed: no carrier detected",
	"call failed: busy signal",
	"call failed: no dial tone",
	"call not established within the time allotted by the LAC",
	"call connected but no appropriate framing was detected",
};

static const char *const error_names[] = {
	"no general error",
	"no control connection exists yet for this LAC-LNS pair",
	"length is wrong",
	"a field value was out of range or a reserved field was non-zero",
	"insufficient resources to handle this operation now",
	"the Session ID is invalid in this context",
	"a generic vendor-specific error occurred in the LAC",
	"try another LNS",
	"unknown AVP with the M bit set",
};

#define NITEMS(a)	(sizeof(a) / sizeof((a)[0]))

const char *
l2tp_msg_type_name(uint16_t type)
{
	if (type >= NITEMS(msg_type_names) || msg_type_names[type] == NULL)
		return ("unknown");
	return (msg_type_names[type]);
}

const char *
l2tp_avp_name(uint16_t type)
{
	const struct avp_info	*ai;

	if ((ai = avp_lookup(0, type)) == NULL)
		return ("unknown");
	return (ai->ai_name);
}

const char *
l2tp_result_name(uint16_t msg_type, uint16_t result)
{
	if (msg_type == L2TP_StopCCN && result < NITEMS(stopccn_results))
		return (stopccn_results[result]);
	if (msg_type == L2TP_CDN && result < NITEMS(cdn_results))
		return (cdn_results[result]);
	return ("unknown");
}

const char *
l2tp_error_name(uint16_t error)
{
	if (error >= NITEMS(error_names))
		return ("unknown");
	return (error_names[error]);
}

int
l2tp_result_words(char *buf, size_t len, uint16_t msg_type, uint16_t result,
    int has_error, uint16_t error)
{
	const char	*mt = l2tp_msg_type_name(msg_type);
	const char	*rn = l2tp_result_name(msg_type, result);

	if (!has_error)
		return (snprintf(buf, len, "%s result %u (%s)", mt, result,
		    rn));
	/* 4.4.2: with result 5 the Error Code is the highest version. */
	if (msg_type == L2TP_StopCCN && result == L2TP_STOPCCN_BAD_VERSION)
		return (snprintf(buf, len, "%s result %u (%s), highest "
		    "version supported %u.%u", mt, result, rn, error >> 8,
		    error & 0xff));
	return (snprintf(buf, len, "%s result %u (%s), error %u (%s)", mt,
	    result, rn, error, l2tp_error_name(error)));
}

void
l2tp_bytes_printable(char *dst, size_t dstlen, const struct l2tp_bytes *b)
{
	size_t	 i;

	if (dstlen == 0)
		return;
	for (i = 0; i < b->b_len && i < dstlen - 1; i++)
		dst[i] = (b->b_p[i] >= 0x20 && b->b_p[i] < 0x7f) ?
		    (char)b->b_p[i] : '?';
	dst[i] = '\0';
}
