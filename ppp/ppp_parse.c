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
#include <string.h>

#include "common/cursor.h"
#include "ppp_parse.h"

/*
 * Frames.
 *
 * Address and Control: RFC 2661 5.3 has the LAC strip only "CRC, link
 * framing, and transparency bytes" before tunnelling a frame, so the
 * Address and Control fields (FF 03, RFC 1662 3.1) arrive with it, and
 * RFC 1661 6.6 has every LCP packet sent with them uncompressed.  We
 * still accept a frame without them: RFC 1662 3.2 makes the receiver's
 * test unambiguous ("If they contain the values 0xff and 0x03, they are
 * assumed to be the Address and Control fields.  If not, it is assumed
 * that the fields were compressed"; a Protocol field never starts with
 * 0xff, which is odd), RFC 1661 6.6 only says a receiver MAY discard such
 * a frame when ACFC was not negotiated, and the kernel's PPP channel
 * hands frames up with the fields already removed.
 *
 * Protocol field: always read as two octets.  We refuse PFC, and RFC
 * 1661 6.5 says "Compressed Protocol fields MUST NOT be transmitted
 * unless this Configuration Option has been negotiated" and "The Protocol
 * field is never compressed when sending any LCP packet".  A one-octet
 * field read as two gives a value whose high octet is odd; RFC 1661 2
 * says such frames "MUST be treated as having an unrecognized Protocol",
 * so ppp_proto_valid() fails and the caller Protocol-Rejects it like any
 * other unknown protocol.  The control protocols we run (c021, c023,
 * c223, 8021, 8057) are above 0xff and cannot be compressed at all.
 */
int
ppp_frame_parse(const uint8_t *buf, size_t len, struct ppp_frame *f)
{
	struct cur	 c;
	uint16_t	 hdr;

	memset(f, 0, sizeof(*f));
	cur_init(&c, buf, len);
	if (cur_peek_u16(&c, &hdr) == 0 &&
	    hdr == (PPP_ALLSTATIONS << 8 | PPP_UI)) {
		f->pf_acf = 1;
		(void)cur_skip(&c, 2);
	}
	if (cur_get_u16(&c, &f->pf_proto) == -1)
		return (-1);
	f->pf_info = c.c_p;
	f->pf_infolen = cur_left(&c);
	return (0);
}

int
ppp_proto_valid(uint16_t proto)
{
	return ((proto & 0x0001) == 1 && (proto & 0x0100) == 0);
}

void
ppp_frame_put_hdr(struct obuf *o, int acf, uint16_t proto)
{
	if (acf) {
		obuf_put_u8(o, PPP_ALLSTATIONS);
		obuf_put_u8(o, PPP_UI);
	}
	obuf_put_u16(o, proto);
}

/*
 * Control packets.  RFC 1661 5: "Octets outside the range of the Length
 * field are treated as padding and are ignored on reception.  When a
 * packet is received with an invalid Length field, the packet is silently
 * discarded"; RFC 1334 2.2 and RFC 1994 4 say the same for PAP and CHAP.
 * Length counts the 4 header octets, so less than 4 is invalid, and more
 * than we have is a truncated packet.
 */
int
ppp_cp_parse(const uint8_t *buf, size_t len, struct ppp_cp *cp)
{
	struct cur	 c;

	memset(cp, 0, sizeof(*cp));
	cur_init(&c, buf, len);
	if (cur_get_u8(&c, &cp->cp_code) == -1 ||
	    cur_get_u8(&c, &cp->cp_id) == -1 ||
	    cur_get_u16(&c, &cp->cp_len) == -1)
		return (-1);
	if (cp->cp_len < PPP_CP_HDRLEN || cp->cp_len > len)
		return (-1);
	cp->cp_data = buf + PPP_CP_HDRLEN;
	cp->cp_datalen = cp->cp_len - PPP_CP_HDRLEN;
	return (0);
}

size_t
ppp_cp_begin(struct obuf *o, uint8_t code, uint8_t id)
{
	size_t	 off = o->o_len;

	obuf_put_u8(o, code);
	obuf_put_u8(o, id);
	(void)obuf_reserve(o, 2);
	return (off);
}

void
ppp_cp_end(struct obuf *o, size_t off)
{
	size_t	 len;

	if (obuf_error(o) == -1 || o->o_len < off + PPP_CP_HDRLEN) {
		o->o_err = 1;
		return;
	}
	len = o->o_len - off;
	if (len > UINT16_MAX) {
		o->o_err = 1;
		return;
	}
	obuf_patch_u16(o, off + 2, (uint16_t)len);
}

void
ppp_cp_put(struct obuf *o, uint8_t code, uint8_t id, const void *data,
    size_t len)
{
	size_t	 off;

	off = ppp_cp_begin(o, code, id);
	obuf_put_bytes(o, data, len);
	ppp_cp_end(o, off);
}

/*
 * Configuration Options (RFC 1661 6).  Length counts Type and Length, so
 * 0 and 1 are invalid and would make a loop that never advances; "When
 * the Data field is indicated by the Length to extend beyond the end of
 * the Information field, the entire packet is silently discarded".
 */
void
ppp_opt_iter_init(struct ppp_opt_iter *it, const uint8_t *buf, size_t len)
{
	cur_init(&it->oi_cur, buf, len);
	it->oi_err = 0;
}

int
ppp_opt_next(struct ppp_opt_iter *it, struct ppp_opt *opt)
{
	const uint8_t	*p;

	memset(opt, 0, sizeof(*opt));
	if (it->oi_err)
		return (-1);
	if (cur_left(&it->oi_cur) == 0)
		return (0);
	if (cur_left(&it->oi_cur) < 2 || it->oi_cur.c_p[1] < 2 ||
	    cur_get_ptr(&it->oi_cur, &p, it->oi_cur.c_p[1]) == -1) {
		it->oi_err = 1;
		return (-1);
	}
	opt->po_type = p[0];
	opt->po_len = p[1];
	opt->po_data = p + 2;
	opt->po_datalen = (size_t)p[1] - 2;
	opt->po_raw = p;
	return (1);
}

int
ppp_opts_valid(const uint8_t *buf, size_t len)
{
	struct ppp_opt_iter	 it;
	struct ppp_opt		 opt;
	int			 rv;

	ppp_opt_iter_init(&it, buf, len);
	while ((rv = ppp_opt_next(&it, &opt)) == 1)
		;
	return (rv);
}

void
ppp_opt_put(struct obuf *o, uint8_t type, const void *data, size_t len)
{
	if (len > UINT8_MAX - 2) {
		o->o_err = 1;
		return;
	}
	obuf_put_u8(o, type);
	obuf_put_u8(o, (uint8_t)(len + 2));
	obuf_put_bytes(o, data, len);
}

void
ppp_opt_put_raw(struct obuf *o, const struct ppp_opt *opt)
{
	obuf_put_bytes(o, opt->po_raw, opt->po_len);
}

/*
 * LCP options.  Lengths from RFC 1661 6.1-6.6, RFC 1662 7.1, RFC 1334
 * 2.1 (PAP: exactly 4) and RFC 1994 3 (CHAP: exactly 5, the Algorithm
 * octet); RFC 2759 2 keeps CHAP's format for MS-CHAPv2.
 */
int
lcp_opt_decode(const struct ppp_opt *opt, struct lcp_optval *v)
{
	struct cur	 c;

	memset(v, 0, sizeof(*v));
	v->lo_type = opt->po_type;
	v->lo_data = opt->po_data;
	v->lo_datalen = opt->po_datalen;
	cur_init(&c, opt->po_data, opt->po_datalen);
	switch (opt->po_type) {
	case LCP_OPT_MRU:
		if (opt->po_len != 4)
			return (-1);
		(void)cur_get_u16(&c, &v->lo_mru);
		break;
	case LCP_OPT_ACCM:
		if (opt->po_len != 6)
			return (-1);
		(void)cur_get_u32(&c, &v->lo_accm);
		break;
	case LCP_OPT_AUTH:
		if (cur_get_u16(&c, &v->lo_auth) == -1)
			return (-1);
		if (v->lo_auth == PPP_PROTO_PAP && opt->po_len != 4)
			return (-1);
		if (v->lo_auth == PPP_PROTO_CHAP &&
		    (opt->po_len != 5 || cur_get_u8(&c, &v->lo_chap_alg) == -1))
			return (-1);
		break;
	case LCP_OPT_QUALITY:
		if (cur_get_u16(&c, &v->lo_quality) == -1)
			return (-1);
		break;
	case LCP_OPT_MAGIC:
		if (opt->po_len != 6)
			return (-1);
		(void)cur_get_u32(&c, &v->lo_magic);
		break;
	case LCP_OPT_PFC:
	case LCP_OPT_ACFC:
		if (opt->po_len != 2)
			return (-1);
		break;
	default:
		break;
	}
	return (0);
}

void
lcp_opt_put_mru(struct obuf *o, uint16_t mru)
{
	obuf_put_u8(o, LCP_OPT_MRU);
	obuf_put_u8(o, 4);
	obuf_put_u16(o, mru);
}

void
lcp_opt_put_accm(struct obuf *o, uint32_t accm)
{
	obuf_put_u8(o, LCP_OPT_ACCM);
	obuf_put_u8(o, 6);
	obuf_put_u32(o, accm);
}

void
lcp_opt_put_auth(struct obuf *o, uint16_t proto, uint8_t alg)
{
	obuf_put_u8(o, LCP_OPT_AUTH);
	obuf_put_u8(o, proto == PPP_PROTO_CHAP ? 5 : 4);
	obuf_put_u16(o, proto);
	if (proto == PPP_PROTO_CHAP)
		obuf_put_u8(o, alg);
}

void
lcp_opt_put_magic(struct obuf *o, uint32_t magic)
{
	obuf_put_u8(o, LCP_OPT_MAGIC);
	obuf_put_u8(o, 6);
	obuf_put_u32(o, magic);
}

void
lcp_opt_put_flag(struct obuf *o, uint8_t type)
{
	obuf_put_u8(o, type);
	obuf_put_u8(o, 2);
}

/*
 * IPCP options: RFC 1332 3.1 (IP-Addresses, 10 octets, RFC 1172), 3.2
 * (IP-Compression-Protocol, at least 4), 3.3 (IP-Address, 6) and RFC
 * 1877 1 (the four name server options, "identical in format and
 * behavior to option 3").
 */
int
ipcp_opt_decode(const struct ppp_opt *opt, struct ipcp_optval *v)
{
	struct cur	 c;

	memset(v, 0, sizeof(*v));
	v->io_type = opt->po_type;
	v->io_data = opt->po_data;
	v->io_datalen = opt->po_datalen;
	cur_init(&c, opt->po_data, opt->po_datalen);
	switch (opt->po_type) {
	case IPCP_OPT_ADDRESSES:
		if (opt->po_len != 10)
			return (-1);
		(void)cur_get_bytes(&c, &v->io_addr, 4);
		(void)cur_get_bytes(&c, &v->io_addr2, 4);
		break;
	case IPCP_OPT_COMPRESS:
		if (cur_get_u16(&c, &v->io_comp) == -1)
			return (-1);
		break;
	case IPCP_OPT_ADDRESS:
	case IPCP_OPT_DNS1:
	case IPCP_OPT_NBNS1:
	case IPCP_OPT_DNS2:
	case IPCP_OPT_NBNS2:
		if (opt->po_len != 6)
			return (-1);
		(void)cur_get_bytes(&c, &v->io_addr, 4);
		break;
	default:
		break;
	}
	return (0);
}

void
ipcp_opt_put_addr(struct obuf *o, uint8_t type, struct in_addr a)
{
	ppp_opt_put(o, type, &a, 4);
}

/* Protocol-Reject (RFC 1661 5.7): Rejected-Protocol is two octets. */
int
lcp_protorej_parse(const struct ppp_cp *cp, struct lcp_protorej *pr)
{
	struct cur	 c;

	memset(pr, 0, sizeof(*pr));
	cur_init(&c, cp->cp_data, cp->cp_datalen);
	if (cur_get_u16(&c, &pr->lpr_proto) == -1)
		return (-1);
	pr->lpr_info = c.c_p;
	pr->lpr_infolen = cur_left(&c);
	return (0);
}

/* "The Rejected-Information MUST be truncated to comply with the peer's
 * established MRU." */
void
lcp_protorej_put(struct obuf *o, uint8_t id, uint16_t proto,
    const uint8_t *info, size_t len, uint16_t mru)
{
	size_t	 off, room;

	room = mru > PPP_CP_HDRLEN + 2 ? mru - PPP_CP_HDRLEN - 2 : 0;
	if (len > room)
		len = room;
	off = ppp_cp_begin(o, PPP_PROTO_REJ, id);
	obuf_put_u16(o, proto);
	obuf_put_bytes(o, info, len);
	ppp_cp_end(o, off);
}

/*
 * Echo-Request/Reply, Discard-Request, Identification: at least the
 * Magic-Number (RFC 1570 1.1: Length >= 8); Time-Remaining: Length >= 12.
 */
int
lcp_echo_parse(const struct ppp_cp *cp, struct lcp_echo *e)
{
	struct cur	 c;

	memset(e, 0, sizeof(*e));
	cur_init(&c, cp->cp_data, cp->cp_datalen);
	if (cur_get_u32(&c, &e->le_magic) == -1)
		return (-1);
	if (cp->cp_code == PPP_TIME_REMAINING &&
	    cur_get_u32(&c, &e->le_seconds) == -1)
		return (-1);
	e->le_data = c.c_p;
	e->le_datalen = cur_left(&c);
	return (0);
}

void
lcp_echo_put(struct obuf *o, uint8_t code, uint8_t id, uint32_t magic,
    const void *data, size_t len)
{
	size_t	 off;

	off = ppp_cp_begin(o, code, id);
	obuf_put_u32(o, magic);
	obuf_put_bytes(o, data, len);
	ppp_cp_end(o, off);
}

/*
 * Code-Reject (RFC 1661 5.6): the Rejected-Packet starts with the
 * rejected packet's Code; without even that there is nothing to act on.
 */
int
ppp_coderej_parse(const struct ppp_cp *cp, struct ppp_coderej *cr)
{
	memset(cr, 0, sizeof(*cr));
	if (cp->cp_datalen < 1)
		return (-1);
	cr->pcr_code = cp->cp_data[0];
	cr->pcr_pkt = cp->cp_data;
	cr->pcr_pktlen = cp->cp_datalen;
	return (0);
}

void
ppp_coderej_put(struct obuf *o, uint8_t id, const uint8_t *pkt, size_t len,
    uint16_t mru)
{
	size_t	 room;

	room = mru > PPP_CP_HDRLEN ? mru - PPP_CP_HDRLEN : 0;
	if (len > room)
		len = room;
	ppp_cp_put(o, PPP_CODE_REJ, id, pkt, len);
}

/*
 * PAP (RFC 1334 2.2.1): Peer-ID-Length, Peer-ID, Passwd-Length, Password
 * and nothing after.
 */
int
pap_req_parse(const struct ppp_cp *cp, struct pap_req *pr)
{
	struct cur	 c;
	uint8_t		 n;

	memset(pr, 0, sizeof(*pr));
	cur_init(&c, cp->cp_data, cp->cp_datalen);
	if (cur_get_u8(&c, &n) == -1 ||
	    cur_get_ptr(&c, &pr->pr_peerid, n) == -1)
		return (-1);
	pr->pr_peeridlen = n;
	if (cur_get_u8(&c, &n) == -1 ||
	    cur_get_ptr(&c, &pr->pr_passwd, n) == -1)
		return (-1);
	pr->pr_passwdlen = n;
	if (cur_left(&c) != 0)
		return (-1);
	return (0);
}

void
pap_req_put(struct obuf *o, uint8_t id, const void *peerid, size_t idlen,
    const void *passwd, size_t pwlen)
{
	size_t	 off;

	if (idlen > UINT8_MAX || pwlen > UINT8_MAX) {
		o->o_err = 1;
		return;
	}
	off = ppp_cp_begin(o, PAP_AUTH_REQ, id);
	obuf_put_u8(o, (uint8_t)idlen);
	obuf_put_bytes(o, peerid, idlen);
	obuf_put_u8(o, (uint8_t)pwlen);
	obuf_put_bytes(o, passwd, pwlen);
	ppp_cp_end(o, off);
}

/*
 * Authenticate-Ack/Nak (RFC 1334 2.2.2): Msg-Length and Message.  An
 * empty Data field (no Msg-Length at all) is taken as an empty message:
 * the message "MUST NOT affect operation of the protocol", and refusing
 * an Ack over it would only strand a client.
 */
int
pap_reply_parse(const struct ppp_cp *cp, struct pap_reply *pp)
{
	struct cur	 c;
	uint8_t		 n;

	memset(pp, 0, sizeof(*pp));
	if (cp->cp_datalen == 0)
		return (0);
	cur_init(&c, cp->cp_data, cp->cp_datalen);
	if (cur_get_u8(&c, &n) == -1 ||
	    cur_get_ptr(&c, &pp->pp_msg, n) == -1 || cur_left(&c) != 0)
		return (-1);
	pp->pp_msglen = n;
	return (0);
}

void
pap_reply_put(struct obuf *o, uint8_t code, uint8_t id, const void *msg,
    size_t len)
{
	size_t	 off;

	if (len > UINT8_MAX) {
		o->o_err = 1;
		return;
	}
	off = ppp_cp_begin(o, code, id);
	obuf_put_u8(o, (uint8_t)len);
	obuf_put_bytes(o, msg, len);
	ppp_cp_end(o, off);
}

/*
 * CHAP Challenge/Response (RFC 1994 4.1): Value-Size, Value ("one or
 * more octets"), Name (the rest).  RFC 1994 asks for a Name of one or
 * more octets, but RFC 2759 3 says Microsoft authenticators send none,
 * so an empty Name is accepted.
 */
int
chap_chal_parse(const struct ppp_cp *cp, struct chap_chal *cc)
{
	struct cur	 c;
	uint8_t		 n;

	memset(cc, 0, sizeof(*cc));
	cur_init(&c, cp->cp_data, cp->cp_datalen);
	if (cur_get_u8(&c, &n) == -1 || n == 0 ||
	    cur_get_ptr(&c, &cc->cc_value, n) == -1)
		return (-1);
	cc->cc_valuelen = n;
	cc->cc_name = c.c_p;
	cc->cc_namelen = cur_left(&c);
	return (0);
}

void
chap_chal_put(struct obuf *o, uint8_t code, uint8_t id, const void *value,
    size_t vlen, const void *name, size_t nlen)
{
	size_t	 off;

	if (vlen == 0 || vlen > UINT8_MAX) {
		o->o_err = 1;
		return;
	}
	off = ppp_cp_begin(o, code, id);
	obuf_put_u8(o, (uint8_t)vlen);
	obuf_put_bytes(o, value, vlen);
	obuf_put_bytes(o, name, nlen);
	ppp_cp_end(o, off);
}

void
chap_status_put(struct obuf *o, uint8_t code, uint8_t id, const void *msg,
    size_t len)
{
	ppp_cp_put(o, code, id, msg, len);
}

/*
 * MS-CHAPv2 Response Value (RFC 2759 4): Peer-Challenge 16, Reserved 8
 * ("must be zero"), NT-Response 24, Flags 1.  Non-zero Reserved octets
 * mean this is not the format we think it is, so the value is refused;
 * Flags ("reserved for future use and MUST be zero") is handed to the
 * caller to decide.
 */
int
mschapv2_resp_parse(const uint8_t *buf, size_t len, struct mschapv2_resp *r)
{
	struct cur	 c;
	const uint8_t	*rsv;
	size_t		 i;

	memset(r, 0, sizeof(*r));
	if (len != MSCHAPV2_RESP_LEN)
		return (-1);
	cur_init(&c, buf, len);
	(void)cur_get_bytes(&c, r->mr_peer_chal, sizeof(r->mr_peer_chal));
	(void)cur_get_ptr(&c, &rsv, 8);
	for (i = 0; i < 8; i++)
		if (rsv[i] != 0)
			return (-1);
	(void)cur_get_bytes(&c, r->mr_nt_resp, sizeof(r->mr_nt_resp));
	(void)cur_get_u8(&c, &r->mr_flags);
	return (0);
}

void
mschapv2_resp_put(struct obuf *o, const struct mschapv2_resp *r)
{
	obuf_put_bytes(o, r->mr_peer_chal, sizeof(r->mr_peer_chal));
	obuf_put_zero(o, 8);
	obuf_put_bytes(o, r->mr_nt_resp, sizeof(r->mr_nt_resp));
	obuf_put_u8(o, r->mr_flags);
}

static int
hexval(uint8_t ch)
{
	if (ch >= '0' && ch <= '9')
		return (ch - '0');
	if (ch >= 'A' && ch <= 'F')
		return (ch - 'A' + 10);
	if (ch >= 'a' && ch <= 'f')
		return (ch - 'a' + 10);
	return (-1);
}

/* Exactly 2 * n hex digits into n bytes. */
static int
hex_decode(struct cur *c, uint8_t *out, size_t n)
{
	const uint8_t	*p;
	size_t		 i;
	int		 hi, lo;

	if (cur_get_ptr(c, &p, 2 * n) == -1)
		return (-1);
	for (i = 0; i < n; i++) {
		if ((hi = hexval(p[2 * i])) == -1 ||
		    (lo = hexval(p[2 * i + 1])) == -1)
			return (-1);
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return (0);
}

static void
hex_put(struct obuf *o, const uint8_t *in, size_t n)
{
	static const char	 digits[] = "0123456789ABCDEF";
	size_t			 i;

	for (i = 0; i < n; i++) {
		obuf_put_u8(o, (uint8_t)digits[in[i] >> 4]);
		obuf_put_u8(o, (uint8_t)digits[in[i] & 0xf]);
	}
}

/* Consumes the literal s if it is next. */
static int
cur_literal(struct cur *c, const char *s)
{
	size_t	 n = strlen(s);

	if (cur_left(c) < n || memcmp(c->c_p, s, n) != 0)
		return (-1);
	(void)cur_skip(c, n);
	return (0);
}

/* A decimal number that fits 32 bits, at least one digit. */
static int
cur_decimal(struct cur *c, uint32_t *v)
{
	uint64_t	 n = 0;
	size_t		 digits = 0;

	while (cur_left(c) > 0 && c->c_p[0] >= '0' && c->c_p[0] <= '9') {
		n = n * 10 + (c->c_p[0] - '0');
		if (n > UINT32_MAX)
			return (-1);
		(void)cur_skip(c, 1);
		digits++;
	}
	if (digits == 0)
		return (-1);
	*v = (uint32_t)n;
	return (0);
}

/*
 * "S=<auth_string> M=<message>" (RFC 2759 5).  The hex digits "MUST be
 * uppercase" on the wire; both cases decode, since the comparison that
 * matters is of the 20 bytes.  A message-less "S=<auth_string>" is
 * accepted: some servers send it, and the message is only text.
 */
int
mschapv2_success_parse(const uint8_t *buf, size_t len,
    struct mschapv2_success *s)
{
	struct cur	 c;

	memset(s, 0, sizeof(*s));
	cur_init(&c, buf, len);
	if (cur_literal(&c, "S=") == -1 ||
	    hex_decode(&c, s->ms_auth, sizeof(s->ms_auth)) == -1)
		return (-1);
	if (cur_left(&c) == 0)
		return (0);
	if (cur_literal(&c, " M=") == -1)
		return (-1);
	s->ms_msg = c.c_p;
	s->ms_msglen = cur_left(&c);
	return (0);
}

void
mschapv2_success_put(struct obuf *o, const char *authstr, const char *msg)
{
	if (strlen(authstr) != MSCHAPV2_AUTHSTR_LEN ||
	    strncmp(authstr, "S=", 2) != 0) {
		o->o_err = 1;
		return;
	}
	obuf_put_bytes(o, authstr, MSCHAPV2_AUTHSTR_LEN);
	obuf_put_bytes(o, " M=", 3);
	if (msg != NULL)
		obuf_put_bytes(o, msg, strlen(msg));
}

/*
 * "E=eeeeeeeeee R=r C=cccccccccccccccccccccccccccccccc V=vvvvvvvvvv
 * M=<msg>" (RFC 2759 6).  E and R are required; C "MUST be present" but
 * is reported as absent rather than refused, so that the caller can log
 * the error code of a server that leaves it out; V and M are optional.
 * The fields come in this order, one space apart.
 */
int
mschapv2_failure_parse(const uint8_t *buf, size_t len,
    struct mschapv2_failure *f)
{
	struct cur	 c;
	uint32_t	 r;

	memset(f, 0, sizeof(*f));
	cur_init(&c, buf, len);
	if (cur_literal(&c, "E=") == -1 || cur_decimal(&c, &f->mf_error) == -1)
		return (-1);
	if (cur_literal(&c, " R=") == -1 || cur_decimal(&c, &r) == -1 ||
	    r > 1)
		return (-1);
	f->mf_retry = (int)r;
	if (cur_literal(&c, " C=") == 0) {
		if (hex_decode(&c, f->mf_chal, sizeof(f->mf_chal)) == -1)
			return (-1);
		f->mf_has_chal = 1;
	}
	if (cur_literal(&c, " V=") == 0) {
		if (cur_decimal(&c, &f->mf_version) == -1)
			return (-1);
		f->mf_has_version = 1;
	}
	if (cur_literal(&c, " M=") == 0) {
		f->mf_msg = c.c_p;
		f->mf_msglen = cur_left(&c);
		return (0);
	}
	return (cur_left(&c) == 0 ? 0 : -1);
}

void
mschapv2_failure_put(struct obuf *o, uint32_t error, int retry,
    const uint8_t chal[MSCHAPV2_CHAL_LEN], const char *msg)
{
	char	 num[32];
	int	 n;

	n = snprintf(num, sizeof(num), "E=%u R=%d C=", error, retry ? 1 : 0);
	obuf_put_bytes(o, num, (size_t)n);
	hex_put(o, chal, MSCHAPV2_CHAL_LEN);
	/* RFC 2759 6: "For MS-CHAP-V2, this value SHOULD always be 3." */
	obuf_put_bytes(o, " V=3 M=", 7);
	if (msg != NULL)
		obuf_put_bytes(o, msg, strlen(msg));
}

/* Names. */

struct ppp_name {
	unsigned int	 pn_val;
	const char	*pn_name;
};

static const char *
ppp_name_find(const struct ppp_name *tab, size_t n, unsigned int val)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (tab[i].pn_val == val)
			return (tab[i].pn_name);
	return ("unknown");
}

#define NITEMS(a)	(sizeof(a) / sizeof((a)[0]))

static const struct ppp_name ppp_protos[] = {
	{ PPP_PROTO_PAD,	"Padding" },
	{ PPP_PROTO_IP,		"IPv4" },
	{ PPP_PROTO_VJC,	"VJ-Compressed-TCP" },
	{ PPP_PROTO_VJUC,	"VJ-Uncompressed-TCP" },
	{ 0x003d,		"Multilink" },
	{ PPP_PROTO_IPV6,	"IPv6" },
	{ 0x00fb,		"Compressed-Link" },
	{ PPP_PROTO_CCP_DATA,	"Compressed" },
	{ PPP_PROTO_IPCP,	"IPCP" },
	{ 0x8029,		"ATCP" },
	{ 0x802b,		"IPXCP" },
	{ 0x803f,		"NBFCP" },
	{ PPP_PROTO_IPV6CP,	"IPV6CP" },
	{ 0x80fb,		"Link-CCP" },
	{ PPP_PROTO_CCP,	"CCP" },
	{ 0x8207,		"CDPCP" },
	{ 0x8281,		"MPLSCP" },
	{ PPP_PROTO_LCP,	"LCP" },
	{ PPP_PROTO_PAP,	"PAP" },
	{ PPP_PROTO_LQR,	"LQR" },
	{ 0xc02b,		"BACP" },
	{ 0xc02d,		"BAP" },
	{ PPP_PROTO_CHAP,	"CHAP" },
	{ PPP_PROTO_EAP,	"EAP" },
};

static const struct ppp_name ppp_codes[] = {
	{ PPP_CONF_REQ,		"Configure-Request" },
	{ PPP_CONF_ACK,		"Configure-Ack" },
	{ PPP_CONF_NAK,		"Configure-Nak" },
	{ PPP_CONF_REJ,		"Configure-Reject" },
	{ PPP_TERM_REQ,		"Terminate-Request" },
	{ PPP_TERM_ACK,		"Terminate-Ack" },
	{ PPP_CODE_REJ,		"Code-Reject" },
	{ PPP_PROTO_REJ,	"Protocol-Reject" },
	{ PPP_ECHO_REQ,		"Echo-Request" },
	{ PPP_ECHO_REPLY,	"Echo-Reply" },
	{ PPP_DISC_REQ,		"Discard-Request" },
	{ PPP_IDENTIFICATION,	"Identification" },
	{ PPP_TIME_REMAINING,	"Time-Remaining" },
};

static const struct ppp_name pap_codes[] = {
	{ PAP_AUTH_REQ,		"Authenticate-Request" },
	{ PAP_AUTH_ACK,		"Authenticate-Ack" },
	{ PAP_AUTH_NAK,		"Authenticate-Nak" },
};

static const struct ppp_name chap_codes[] = {
	{ CHAP_CHALLENGE,	"Challenge" },
	{ CHAP_RESPONSE,	"Response" },
	{ CHAP_SUCCESS,		"Success" },
	{ CHAP_FAILURE,		"Failure" },
	{ CHAP_CHANGE_PASSWORD,	"Change-Password" },
};

static const struct ppp_name lcp_opts[] = {
	{ LCP_OPT_MRU,		"MRU" },
	{ LCP_OPT_ACCM,		"ACCM" },
	{ LCP_OPT_AUTH,		"Auth-Protocol" },
	{ LCP_OPT_QUALITY,	"Quality-Protocol" },
	{ LCP_OPT_MAGIC,	"Magic-Number" },
	{ LCP_OPT_PFC,		"PFC" },
	{ LCP_OPT_ACFC,		"ACFC" },
	{ LCP_OPT_FCS_ALT,	"FCS-Alternatives" },
	{ LCP_OPT_SDP,		"Self-Describing-Padding" },
	{ LCP_OPT_CALLBACK,	"Callback" },
	{ LCP_OPT_MRRU,		"MRRU" },
	{ LCP_OPT_SSNHF,	"Short-Sequence" },
	{ LCP_OPT_ENDPOINT,	"Endpoint-Discriminator" },
};

static const struct ppp_name ipcp_opts[] = {
	{ IPCP_OPT_ADDRESSES,	"IP-Addresses" },
	{ IPCP_OPT_COMPRESS,	"IP-Compression-Protocol" },
	{ IPCP_OPT_ADDRESS,	"IP-Address" },
	{ IPCP_OPT_DNS1,	"Primary-DNS" },
	{ IPCP_OPT_NBNS1,	"Primary-NBNS" },
	{ IPCP_OPT_DNS2,	"Secondary-DNS" },
	{ IPCP_OPT_NBNS2,	"Secondary-NBNS" },
};

static const struct ppp_name chap_algs[] = {
	{ CHAP_ALG_MD5,		"MD5" },
	{ CHAP_ALG_MSCHAP,	"MS-CHAP" },
	{ CHAP_ALG_MSCHAPV2,	"MS-CHAPv2" },
};

const char *
ppp_proto_name(uint16_t proto)
{
	return (ppp_name_find(ppp_protos, NITEMS(ppp_protos), proto));
}

const char *
ppp_code_name(uint16_t proto, uint8_t code)
{
	if (proto == PPP_PROTO_PAP)
		return (ppp_name_find(pap_codes, NITEMS(pap_codes), code));
	if (proto == PPP_PROTO_CHAP)
		return (ppp_name_find(chap_codes, NITEMS(chap_codes), code));
	return (ppp_name_find(ppp_codes, NITEMS(ppp_codes), code));
}

const char *
lcp_opt_name(uint8_t type)
{
	return (ppp_name_find(lcp_opts, NITEMS(lcp_opts), type));
}

const char *
ipcp_opt_name(uint8_t type)
{
	return (ppp_name_find(ipcp_opts, NITEMS(ipcp_opts), type));
}

const char *
chap_alg_name(uint8_t alg)
{
	return (ppp_name_find(chap_algs, NITEMS(chap_algs), alg));
}
