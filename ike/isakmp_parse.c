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
#include "isakmp_parse.h"

/*
 * Reading ISAKMP (RFC 2408 3) from untrusted bytes.  Every length on the
 * wire is checked against the container it sits in (the message, the SA
 * payload, the proposal, the transform) before it is used, and every
 * container must be filled exactly: bytes left over inside one are an
 * error, except the padding RFC 2408 3.6 and RFC 2409 Appendix B allow at
 * the very end of the message.
 */

static int
perr(struct isakmp_err *e, uint16_t notify, uint8_t pltype, size_t off,
    const char *why)
{
	if (e != NULL) {
		e->ie_notify = notify;
		e->ie_pltype = pltype;
		e->ie_off = off;
		e->ie_why = why;
	}
	return (-1);
}

int
isakmp_parse_header(const uint8_t *pkt, size_t len, struct isakmp_hdr *h,
    struct isakmp_err *e)
{
	struct cur	 c;
	uint8_t		 ver;

	memset(h, 0, sizeof(*h));
	cur_init(&c, pkt, len);
	if (cur_get_bytes(&c, h->ih_icookie, ISAKMP_COOKIE_LEN) == -1 ||
	    cur_get_bytes(&c, h->ih_rcookie, ISAKMP_COOKIE_LEN) == -1 ||
	    cur_get_u8(&c, &h->ih_next) == -1 ||
	    cur_get_u8(&c, &ver) == -1 ||
	    cur_get_u8(&c, &h->ih_xchg) == -1 ||
	    cur_get_u8(&c, &h->ih_flags) == -1 ||
	    cur_get_u32(&c, &h->ih_msgid) == -1 ||
	    cur_get_u32(&c, &h->ih_len) == -1)
		return (perr(e, ISAKMP_N_UNEQUAL_PAYLOAD_LENGTHS, 0, len,
		    "shorter than the ISAKMP header"));
	h->ih_major = ver >> 4;
	h->ih_minor = ver & 0x0f;

	/*
	 * RFC 2408 3.1: never accept a major version above ours (an IKEv2
	 * packet on port 500 lands here) nor, for major 1, a larger minor;
	 * major 0 was the pre-RFC drafts.
	 */
	if (h->ih_major != ISAKMP_MAJOR)
		return (perr(e, ISAKMP_N_INVALID_MAJOR_VERSION, 0, 17,
		    "major version is not 1"));
	if (h->ih_minor != ISAKMP_MINOR)
		return (perr(e, ISAKMP_N_INVALID_MINOR_VERSION, 0, 17,
		    "minor version is not 0"));
	/* RFC 2408 3.1: NONE and 6-31 (ISAKMP future use) are not types. */
	if (h->ih_xchg == ISAKMP_XCHG_NONE ||
	    (h->ih_xchg > ISAKMP_XCHG_INFO && h->ih_xchg < 32))
		return (perr(e, ISAKMP_N_INVALID_EXCHANGE_TYPE, 0, 18,
		    "reserved exchange type"));
	/* "The remaining bits of the Flags field MUST be set to 0". */
	if (h->ih_flags & ~(ISAKMP_FLAG_E | ISAKMP_FLAG_C | ISAKMP_FLAG_A))
		return (perr(e, ISAKMP_N_INVALID_FLAGS, 0, 19,
		    "undefined flag set"));
	/*
	 * RFC 2408 5.1: "If the ISAKMP message length and the value in the
	 * Payload Length field of the ISAKMP Header are not the same, then
	 * the ISAKMP message MUST be rejected."
	 */
	if (h->ih_len != len)
		return (perr(e, ISAKMP_N_UNEQUAL_PAYLOAD_LENGTHS, 0, 24,
		    "header length differs from the datagram length"));
	return (0);
}

/*
 * Generic payload header (RFC 2408 3.2) of a payload inside container c:
 * the body is split off as *body.  RFC 2408 5.3 step 2: a RESERVED field
 * that is not zero discards the message.
 */
static int
gen_header(struct cur *c, uint8_t *next, struct cur *body, const char **why)
{
	uint8_t		 resv;
	uint16_t	 plen;

	if (cur_get_u8(c, next) == -1 || cur_get_u8(c, &resv) == -1 ||
	    cur_get_u16(c, &plen) == -1) {
		*why = "truncated payload header";
		return (-1);
	}
	if (resv != 0) {
		*why = "RESERVED field not zero";
		return (-1);
	}
	if (plen < ISAKMP_GEN_LEN) {
		*why = "payload length below 4";
		return (-1);
	}
	if (cur_sub(c, body, plen - ISAKMP_GEN_LEN) == -1) {
		*why = "payload length overruns its container";
		return (-1);
	}
	return (0);
}

void
isakmp_sa_props(const struct isakmp_sa *sa, struct cur *c)
{
	cur_init(c, sa->sa_props, sa->sa_propslen);
}

int
isakmp_prop_next(struct cur *c, struct isakmp_prop *p)
{
	struct cur	 body;
	const char	*why;
	uint8_t		 next;

	if (cur_left(c) == 0)
		return (0);
	memset(p, 0, sizeof(*p));
	p->pr_hdr = c->c_p;
	if (gen_header(c, &next, &body, &why) == -1)
		return (-1);
	p->pr_len = ISAKMP_GEN_LEN + cur_left(&body);
	if (cur_get_u8(&body, &p->pr_num) == -1 ||
	    cur_get_u8(&body, &p->pr_proto) == -1 ||
	    cur_get_u8(&body, &p->pr_spisize) == -1 ||
	    cur_get_u8(&body, &p->pr_nxforms) == -1 ||
	    cur_get_ptr(&body, &p->pr_spi, p->pr_spisize) == -1)
		return (-1);
	p->pr_xforms = body.c_p;
	p->pr_xformslen = cur_left(&body);
	return (1);
}

void
isakmp_prop_xforms(const struct isakmp_prop *p, struct cur *c)
{
	cur_init(c, p->pr_xforms, p->pr_xformslen);
}

int
isakmp_xform_next(struct cur *c, struct isakmp_xform *x)
{
	struct cur	 body;
	const char	*why;
	uint8_t		 next;
	uint16_t	 resv2;

	if (cur_left(c) == 0)
		return (0);
	memset(x, 0, sizeof(*x));
	x->xf_hdr = c->c_p;
	if (gen_header(c, &next, &body, &why) == -1)
		return (-1);
	x->xf_len = ISAKMP_GEN_LEN + cur_left(&body);
	if (cur_get_u8(&body, &x->xf_num) == -1 ||
	    cur_get_u8(&body, &x->xf_id) == -1 ||
	    cur_get_u16(&body, &resv2) == -1)
		return (-1);
	x->xf_attrs = body.c_p;
	x->xf_attrslen = cur_left(&body);
	return (1);
}

void
isakmp_xform_attrs(const struct isakmp_xform *x, struct cur *c)
{
	cur_init(c, x->xf_attrs, x->xf_attrslen);
}

int
isakmp_attr_next(struct cur *c, struct isakmp_attr *a)
{
	uint16_t	 type, v;

	if (cur_left(c) == 0)
		return (0);
	memset(a, 0, sizeof(*a));
	if (cur_get_u16(c, &type) == -1 || cur_peek_u16(c, &v) == -1)
		return (-1);
	a->at_type = type & 0x7fff;
	if (type & 0x8000) {
		/* RFC 2408 3.3: AF=1, the value is the 2 octets. */
		a->at_tv = 1;
		a->at_tvval = v;
		a->at_len = 2;
		return (cur_get_ptr(c, &a->at_val, 2) == -1 ? -1 : 1);
	}
	(void)cur_get_u16(c, &v);
	a->at_len = v;
	if (cur_get_ptr(c, &a->at_val, v) == -1)
		return (-1);
	return (1);
}

int
isakmp_attr_uint(const struct isakmp_attr *a, uint64_t *v)
{
	size_t	 i;

	if (a->at_tv) {
		*v = a->at_tvval;
		return (0);
	}
	if (a->at_len == 0)
		return (-1);
	/* Leading zero octets do not count against the 64 bits. */
	for (i = 0; i < a->at_len && a->at_val[i] == 0; i++)
		;
	if (a->at_len - i > 8)
		return (-1);
	*v = 0;
	for (; i < a->at_len; i++)
		*v = (*v << 8) | a->at_val[i];
	return (0);
}

int
isakmp_xform_attr(const struct isakmp_xform *x, uint16_t type,
    struct isakmp_attr *a)
{
	struct cur	 c;

	isakmp_xform_attrs(x, &c);
	while (isakmp_attr_next(&c, a) == 1)
		if (a->at_type == type)
			return (1);
	return (0);
}

/*
 * The proposals of an SA payload (RFC 2408 3.5, 3.6, 4.2): every
 * proposal and transform fills its container exactly, the Next Payload
 * fields say 2 (3) until the last, which says 0, the "# of Transforms"
 * matches the transforms present, proposal numbers never go down (equal
 * numbers are an AND of protocols and must be adjacent), and transform
 * numbers go up within a proposal.  base is the offset of the proposal
 * area in the caller's buffer, for the error.
 */
static int
sa_check_props(struct isakmp_sa *sa, size_t base, struct isakmp_err *e)
{
	struct cur	 c, xc, ac, body;
	struct isakmp_prop pr;
	struct isakmp_xform xf;
	struct isakmp_attr at;
	const char	*why;
	uint8_t		 next, xnext;
	int		 prevnum = -1, prevx, last = 0, r;
	unsigned int	 i;

#define SAERR(n, w)	perr(e, (n), ISAKMP_PL_SA,			\
	    base + (size_t)(c.c_p - sa->sa_props), (w))

	isakmp_sa_props(sa, &c);
	if (cur_left(&c) == 0)
		return (SAERR(ISAKMP_N_BAD_PROPOSAL_SYNTAX,
		    "SA without proposal"));
	while (cur_left(&c) > 0) {
		if (last)
			return (SAERR(ISAKMP_N_BAD_PROPOSAL_SYNTAX,
			    "bytes after the last proposal"));
		/* Peek at the Next Payload the iterator does not keep. */
		body = c;
		if (gen_header(&body, &next, &xc, &why) == -1)
			return (SAERR(ISAKMP_N_BAD_PROPOSAL_SYNTAX, why));
		if (next != ISAKMP_PL_P && next != ISAKMP_PL_NONE)
			return (SAERR(ISAKMP_N_BAD_PROPOSAL_SYNTAX,
			    "proposal followed by a non-proposal"));
		last = (next == ISAKMP_PL_NONE);
		if ((r = isakmp_prop_next(&c, &pr)) != 1)
			return (SAERR(ISAKMP_N_BAD_PROPOSAL_SYNTAX,
			    "proposal shorter than its fields"));
		if ((int)pr.pr_num < prevnum)
			return (SAERR(ISAKMP_N_BAD_PROPOSAL_SYNTAX,
			    "proposal numbers not increasing"));
		prevnum = pr.pr_num;
		/*
		 * SPI sizes: RFC 2408 3.5 lets ISAKMP use 0..16 (content
		 * ignored); AH and ESP carry a 4-octet SPI (RFC 2407 4.4.1,
		 * RFC 4303 2.1).
		 */
		if ((pr.pr_proto == ISAKMP_PROTO_ISAKMP &&
		    pr.pr_spisize > 16) ||
		    ((pr.pr_proto == ISAKMP_PROTO_ESP ||
		    pr.pr_proto == ISAKMP_PROTO_AH) && pr.pr_spisize != 4))
			return (SAERR(ISAKMP_N_INVALID_SPI,
			    "SPI size wrong for the protocol"));
		if (pr.pr_nxforms == 0)
			return (SAERR(ISAKMP_N_BAD_PROPOSAL_SYNTAX,
			    "proposal without transform"));

		isakmp_prop_xforms(&pr, &xc);
		prevx = -1;
		for (i = 0; i < pr.pr_nxforms; i++) {
			body = xc;
			if (cur_left(&xc) == 0)
				return (SAERR(ISAKMP_N_BAD_PROPOSAL_SYNTAX,
				    "fewer transforms than the count says"));
			if (gen_header(&body, &xnext, &ac, &why) == -1)
				return (SAERR(ISAKMP_N_BAD_PROPOSAL_SYNTAX,
				    why));
			if (xnext != (i + 1 < pr.pr_nxforms ?
			    ISAKMP_PL_T : ISAKMP_PL_NONE))
				return (SAERR(ISAKMP_N_BAD_PROPOSAL_SYNTAX,
				    "transform chain disagrees with the "
				    "count"));
			if (isakmp_xform_next(&xc, &xf) != 1)
				return (SAERR(ISAKMP_N_BAD_PROPOSAL_SYNTAX,
				    "transform shorter than its fields"));
			if ((int)xf.xf_num <= prevx)
				return (SAERR(ISAKMP_N_BAD_PROPOSAL_SYNTAX,
				    "transform numbers not increasing"));
			prevx = xf.xf_num;
			isakmp_xform_attrs(&xf, &ac);
			while ((r = isakmp_attr_next(&ac, &at)) == 1)
				;
			if (r == -1)
				return (SAERR(ISAKMP_N_BAD_PROPOSAL_SYNTAX,
				    "attribute overruns its transform"));
		}
		if (cur_left(&xc) != 0)
			return (SAERR(ISAKMP_N_BAD_PROPOSAL_SYNTAX,
			    "more transforms than the count says"));
		sa->sa_nprops++;
	}
	if (!last)
		return (SAERR(ISAKMP_N_BAD_PROPOSAL_SYNTAX,
		    "last proposal points to another"));
#undef SAERR
	return (0);
}

static int
parse_sa(struct isakmp_msg *m, struct cur *b, size_t off,
    struct isakmp_err *e)
{
	struct isakmp_sa *sa = &m->im_sa[m->im_nsa];

	sa->sa_body = b->c_p;
	sa->sa_blen = cur_left(b);
	if (cur_get_u32(b, &sa->sa_doi) == -1)
		return (perr(e, ISAKMP_N_PAYLOAD_MALFORMED, ISAKMP_PL_SA, off,
		    "SA payload without DOI"));
	/*
	 * Only the IPsec DOI: its Situation is a 4-octet bitmap (RFC 2407
	 * 4.2); other DOIs define their own, which we cannot even measure.
	 */
	if (sa->sa_doi != ISAKMP_DOI_IPSEC)
		return (perr(e, ISAKMP_N_DOI_NOT_SUPPORTED, ISAKMP_PL_SA, off,
		    "DOI is not IPsec"));
	if (cur_get_u32(b, &sa->sa_sit) == -1)
		return (perr(e, ISAKMP_N_PAYLOAD_MALFORMED, ISAKMP_PL_SA, off,
		    "SA payload without situation"));
	/*
	 * SIT_SECRECY and SIT_INTEGRITY add labelled-domain data we do not
	 * support (RFC 2407 4.2.2/4.2.3: SITUATION-NOT-SUPPORTED).
	 */
	if (sa->sa_sit != IPSEC_SIT_IDENTITY_ONLY)
		return (perr(e, ISAKMP_N_SITUATION_NOT_SUPPORTED,
		    ISAKMP_PL_SA, off, "situation is not SIT_IDENTITY_ONLY"));
	sa->sa_props = b->c_p;
	sa->sa_propslen = cur_left(b);
	if (sa_check_props(sa, off + ISAKMP_GEN_LEN + 8, e) == -1)
		return (-1);
	m->im_nsa++;
	return (0);
}

/* Length of the data of an address ID type, 0 if variable. */
static int
id_addr_len(uint8_t type, size_t *len)
{
	switch (type) {
	case IPSEC_ID_IPV4_ADDR:
		*len = 4;
		return (0);
	case IPSEC_ID_IPV4_ADDR_SUBNET:
	case IPSEC_ID_IPV4_ADDR_RANGE:
		*len = 8;
		return (0);
	case IPSEC_ID_IPV6_ADDR:
		*len = 16;
		return (0);
	case IPSEC_ID_IPV6_ADDR_SUBNET:
	case IPSEC_ID_IPV6_ADDR_RANGE:
		*len = 32;
		return (0);
	case IPSEC_ID_FQDN:
	case IPSEC_ID_USER_FQDN:
	case IPSEC_ID_DER_ASN1_DN:
	case IPSEC_ID_DER_ASN1_GN:
	case IPSEC_ID_KEY_ID:
		*len = 0;
		return (0);
	default:
		return (-1);
	}
}

static int
parse_id(struct isakmp_msg *m, struct cur *b, size_t off,
    struct isakmp_err *e)
{
	struct isakmp_id *id = &m->im_id[m->im_nid];
	size_t		 want;

	id->id_body = b->c_p;
	id->id_blen = cur_left(b);
	if (cur_get_u8(b, &id->id_type) == -1 ||
	    cur_get_u8(b, &id->id_proto) == -1 ||
	    cur_get_u16(b, &id->id_port) == -1)
		return (perr(e, ISAKMP_N_PAYLOAD_MALFORMED, ISAKMP_PL_ID, off,
		    "ID payload shorter than its fields"));
	id->id_data = b->c_p;
	id->id_dlen = cur_left(b);
	if (id_addr_len(id->id_type, &want) == -1)
		return (perr(e, ISAKMP_N_INVALID_ID_INFORMATION, ISAKMP_PL_ID,
		    off, "unknown ID type"));
	if (want != 0 ? id->id_dlen != want : id->id_dlen == 0)
		return (perr(e, ISAKMP_N_INVALID_ID_INFORMATION, ISAKMP_PL_ID,
		    off, "ID data length wrong for its type"));
	m->im_nid++;
	return (0);
}

static int
parse_notify(struct isakmp_msg *m, struct cur *b, size_t off,
    struct isakmp_err *e)
{
	struct isakmp_notify *n = &m->im_n[m->im_nn];

	if (cur_get_u32(b, &n->n_doi) == -1 ||
	    cur_get_u8(b, &n->n_proto) == -1 ||
	    cur_get_u8(b, &n->n_spisize) == -1 ||
	    cur_get_u16(b, &n->n_type) == -1)
		return (perr(e, ISAKMP_N_PAYLOAD_MALFORMED, ISAKMP_PL_N, off,
		    "notify shorter than its fields"));
	if (cur_get_ptr(b, &n->n_spi, n->n_spisize) == -1)
		return (perr(e, ISAKMP_N_PAYLOAD_MALFORMED, ISAKMP_PL_N, off,
		    "notify SPI overruns the payload"));
	n->n_data = b->c_p;
	n->n_dlen = cur_left(b);
	m->im_nn++;
	return (0);
}

static int
parse_delete(struct isakmp_msg *m, struct cur *b, size_t off,
    struct isakmp_err *e)
{
	struct isakmp_delete *d = &m->im_d[m->im_nd];

	if (cur_get_u32(b, &d->d_doi) == -1 ||
	    cur_get_u8(b, &d->d_proto) == -1 ||
	    cur_get_u8(b, &d->d_spisize) == -1 ||
	    cur_get_u16(b, &d->d_nspi) == -1)
		return (perr(e, ISAKMP_N_PAYLOAD_MALFORMED, ISAKMP_PL_D, off,
		    "delete shorter than its fields"));
	/* RFC 2408 3.15: the SPIs are exactly # of SPIs times SPI Size. */
	if (d->d_spisize == 0 || d->d_nspi == 0 ||
	    (size_t)d->d_spisize * d->d_nspi != cur_left(b))
		return (perr(e, ISAKMP_N_PAYLOAD_MALFORMED, ISAKMP_PL_D, off,
		    "delete SPI count times size differs from its length"));
	d->d_spis = b->c_p;
	m->im_nd++;
	return (0);
}

static int
parse_natoa(struct isakmp_msg *m, uint8_t type, struct cur *b, size_t off,
    struct isakmp_err *e)
{
	struct isakmp_natoa *oa = &m->im_natoa[m->im_nnatoa];

	oa->oa_pltype = type;
	/* RFC 3947 5.2: ID Type, two RESERVED fields, the address. */
	if (cur_get_u8(b, &oa->oa_idtype) == -1 || cur_skip(b, 3) == -1)
		return (perr(e, ISAKMP_N_PAYLOAD_MALFORMED, type, off,
		    "NAT-OA shorter than its fields"));
	oa->oa_addr = b->c_p;
	oa->oa_alen = cur_left(b);
	if (!(oa->oa_idtype == IPSEC_ID_IPV4_ADDR && oa->oa_alen == 4) &&
	    !(oa->oa_idtype == IPSEC_ID_IPV6_ADDR && oa->oa_alen == 16))
		return (perr(e, ISAKMP_N_PAYLOAD_MALFORMED, type, off,
		    "NAT-OA is not one IPv4 or IPv6 address"));
	m->im_nnatoa++;
	return (0);
}

static int
parse_cert(struct isakmp_cert *ce, uint8_t type, struct cur *b, size_t off,
    struct isakmp_err *e)
{
	if (cur_get_u8(b, &ce->ce_enc) == -1)
		return (perr(e, ISAKMP_N_PAYLOAD_MALFORMED, type, off,
		    "certificate payload without encoding"));
	ce->ce_data = b->c_p;
	ce->ce_len = cur_left(b);
	/* A CR may omit the authority (RFC 2408 3.10); a CERT may not. */
	if (type == ISAKMP_PL_CERT && ce->ce_len == 0)
		return (perr(e, ISAKMP_N_PAYLOAD_MALFORMED, type, off,
		    "empty certificate"));
	return (0);
}

/* Opaque payloads: at least min bytes and at most max. */
static int
parse_blob(struct isakmp_blob *bl, uint8_t type, struct cur *b, size_t min,
    size_t max, size_t off, struct isakmp_err *e)
{
	bl->b_type = type;
	bl->b_data = b->c_p;
	bl->b_len = cur_left(b);
	if (bl->b_len < min || bl->b_len > max)
		return (perr(e, ISAKMP_N_PAYLOAD_MALFORMED, type, off,
		    type == ISAKMP_PL_NONCE ?
		    "nonce not between 8 and 256 bytes (RFC 2409 5)" :
		    "payload body has the wrong length"));
	return (0);
}

static int
parse_one(struct isakmp_msg *m, uint8_t type, struct cur *b, size_t off,
    struct isakmp_err *e)
{
	static const char toomany[] = "too many payloads of one type";
	size_t	*np = NULL, max = 0;

	switch (type) {
	case ISAKMP_PL_SA:
		np = &m->im_nsa;
		max = ISAKMP_MAX_SA;
		break;
	case ISAKMP_PL_KE:
		np = &m->im_nke;
		max = ISAKMP_MAX_KE;
		break;
	case ISAKMP_PL_ID:
		np = &m->im_nid;
		max = ISAKMP_MAX_ID;
		break;
	case ISAKMP_PL_CERT:
		np = &m->im_ncert;
		max = ISAKMP_MAX_CERT;
		break;
	case ISAKMP_PL_CR:
		np = &m->im_ncr;
		max = ISAKMP_MAX_CR;
		break;
	case ISAKMP_PL_HASH:
		np = &m->im_nhash;
		max = ISAKMP_MAX_HASH;
		break;
	case ISAKMP_PL_SIG:
		np = &m->im_nsig;
		max = ISAKMP_MAX_SIG;
		break;
	case ISAKMP_PL_NONCE:
		np = &m->im_nnonce;
		max = ISAKMP_MAX_NONCE;
		break;
	case ISAKMP_PL_N:
		np = &m->im_nn;
		max = ISAKMP_MAX_N;
		break;
	case ISAKMP_PL_D:
		np = &m->im_nd;
		max = ISAKMP_MAX_D;
		break;
	case ISAKMP_PL_VID:
		np = &m->im_nvid;
		max = ISAKMP_MAX_VID;
		break;
	case ISAKMP_PL_NATD:
	case ISAKMP_PL_NATD_DRAFT:
		np = &m->im_nnatd;
		max = ISAKMP_MAX_NATD;
		break;
	case ISAKMP_PL_NATOA:
	case ISAKMP_PL_NATOA_DRAFT:
		np = &m->im_nnatoa;
		max = ISAKMP_MAX_NATOA;
		break;
	default:
		/*
		 * RFC 2408 5.3 step 1, and 3.4: Proposal and Transform are
		 * never chained at this level.
		 */
		return (perr(e, ISAKMP_N_INVALID_PAYLOAD_TYPE, type, off,
		    "unknown or misplaced payload type"));
	}
	if (*np >= max)
		return (perr(e, ISAKMP_N_PAYLOAD_MALFORMED, type, off,
		    toomany));

	switch (type) {
	case ISAKMP_PL_SA:
		return (parse_sa(m, b, off, e));
	case ISAKMP_PL_KE:
		/* The exact length is the group's: ike_dh checks it. */
		if (parse_blob(&m->im_ke[m->im_nke], type, b, 1, SIZE_MAX,
		    off, e) == -1)
			return (-1);
		break;
	case ISAKMP_PL_ID:
		return (parse_id(m, b, off, e));
	case ISAKMP_PL_CERT:
		if (parse_cert(&m->im_cert[m->im_ncert], type, b, off, e) == -1)
			return (-1);
		break;
	case ISAKMP_PL_CR:
		if (parse_cert(&m->im_cr[m->im_ncr], type, b, off, e) == -1)
			return (-1);
		break;
	case ISAKMP_PL_HASH:
		if (parse_blob(&m->im_hash[m->im_nhash], type, b, 1, SIZE_MAX,
		    off, e) == -1)
			return (-1);
		break;
	case ISAKMP_PL_SIG:
		if (parse_blob(&m->im_sig[m->im_nsig], type, b, 1, SIZE_MAX,
		    off, e) == -1)
			return (-1);
		break;
	case ISAKMP_PL_NONCE:
		if (parse_blob(&m->im_nonce[m->im_nnonce], type, b,
		    IKE_NONCE_MIN, IKE_NONCE_MAX, off, e) == -1)
			return (-1);
		break;
	case ISAKMP_PL_N:
		return (parse_notify(m, b, off, e));
	case ISAKMP_PL_D:
		return (parse_delete(m, b, off, e));
	case ISAKMP_PL_VID:
		if (parse_blob(&m->im_vid[m->im_nvid], type, b, 1, SIZE_MAX,
		    off, e) == -1)
			return (-1);
		break;
	case ISAKMP_PL_NATD:
	case ISAKMP_PL_NATD_DRAFT:
		if (parse_blob(&m->im_natd[m->im_nnatd], type, b, 1, SIZE_MAX,
		    off, e) == -1)
			return (-1);
		break;
	case ISAKMP_PL_NATOA:
	case ISAKMP_PL_NATOA_DRAFT:
		return (parse_natoa(m, type, b, off, e));
	}
	(*np)++;
	return (0);
}

int
isakmp_parse_payloads(uint8_t first, const uint8_t *buf, size_t len,
    size_t maxpad, struct isakmp_msg *m, struct isakmp_err *e)
{
	struct cur	 c, body;
	struct isakmp_pl *pl;
	const char	*why;
	uint8_t		 type, next;
	size_t		 off;

	memset(m, 0, sizeof(*m));
	if (first == ISAKMP_PL_NONE)
		return (perr(e, ISAKMP_N_PAYLOAD_MALFORMED, 0, 0,
		    "message without payloads"));
	cur_init(&c, buf, len);
	/*
	 * Each payload consumes at least its 4-byte header, so the chain
	 * ends within len/4 steps whatever its Next Payload fields say.
	 */
	for (type = first; type != ISAKMP_PL_NONE; type = next) {
		off = len - cur_left(&c);
		if (m->im_npl == ISAKMP_MAX_PAYLOADS)
			return (perr(e, ISAKMP_N_PAYLOAD_MALFORMED, type, off,
			    "too many payloads"));
		pl = &m->im_pl[m->im_npl];
		pl->pl_type = type;
		pl->pl_hdr = c.c_p;
		if (gen_header(&c, &next, &body, &why) == -1)
			return (perr(e, ISAKMP_N_PAYLOAD_MALFORMED, type, off,
			    why));
		pl->pl_body = body.c_p;
		pl->pl_blen = cur_left(&body);
		pl->pl_len = ISAKMP_GEN_LEN + pl->pl_blen;
		if (parse_one(m, type, &body, off, e) == -1)
			return (-1);
		m->im_npl++;
	}
	m->im_end = c.c_p;
	m->im_pad = cur_left(&c);
	if (m->im_pad > maxpad)
		return (perr(e, ISAKMP_N_PAYLOAD_MALFORMED, 0, len - m->im_pad,
		    "bytes after the last payload"));
	return (0);
}

int
isakmp_parse(const uint8_t *pkt, size_t len, struct isakmp_hdr *h,
    struct isakmp_msg *m, struct isakmp_err *e)
{
	if (isakmp_parse_header(pkt, len, h, e) == -1)
		return (-1);
	if (h->ih_flags & ISAKMP_FLAG_E)
		return (perr(e, 0, 0, 19, "encrypted message"));
	if (isakmp_parse_payloads(h->ih_next, pkt + ISAKMP_HDR_LEN,
	    len - ISAKMP_HDR_LEN, ISAKMP_PAD_PLAIN, m, e) == -1) {
		if (e != NULL)
			e->ie_off += ISAKMP_HDR_LEN;
		return (-1);
	}
	return (0);
}

void
isakmp_msg_after(const struct isakmp_msg *m, size_t i, const uint8_t **p,
    size_t *len)
{
	if (i + 1 >= m->im_npl) {
		*p = m->im_end;
		*len = 0;
		return;
	}
	*p = m->im_pl[i + 1].pl_hdr;
	*len = (size_t)(m->im_end - *p);
}

int
isakmp_msg_find(const struct isakmp_msg *m, uint8_t type)
{
	size_t	 i;

	for (i = 0; i < m->im_npl; i++)
		if (m->im_pl[i].pl_type == type)
			return ((int)i);
	return (-1);
}

/*
 * Vendor IDs.  RFC 3947 3.1 gives its own ("4a131c81...") and RFC 3706
 * 5.1 gives DPD's 14 hashed octets followed by major 1, minor 0.  The
 * three draft values are the MD5 hashes of the draft names (the "\n" one
 * includes a newline), which is what the drafts specify; the drafts are
 * not in our RFC collection, so those three rest on recomputing the MD5
 * (regress/unit/test_isakmp_parse.c does) and on what strongSwan sends.
 */
static const struct {
	uint8_t		 v_id[16];
	const char	*v_name;
} isakmp_vids[ISAKMP_VID_MAX] = {
	[ISAKMP_VID_NATT_RFC3947] = { { 0x4a, 0x13, 0x1c, 0x81, 0x07, 0x03,
	    0x58, 0x45, 0x5c, 0x57, 0x28, 0xf2, 0x0e, 0x95, 0x45, 0x2f },
	    "NAT-T RFC 3947" },
	[ISAKMP_VID_NATT_DRAFT02] = { { 0xcd, 0x60, 0x46, 0x43, 0x35, 0xdf,
	    0x21, 0xf8, 0x7c, 0xfd, 0xb2, 0xfc, 0x68, 0xb6, 0xa4, 0x48 },
	    "NAT-T draft-02" },
	[ISAKMP_VID_NATT_DRAFT02N] = { { 0x90, 0xcb, 0x80, 0x91, 0x3e, 0xbb,
	    0x69, 0x6e, 0x08, 0x63, 0x81, 0xb5, 0xec, 0x42, 0x7b, 0x1f },
	    "NAT-T draft-02\\n" },
	[ISAKMP_VID_NATT_DRAFT03] = { { 0x7d, 0x94, 0x19, 0xa6, 0x53, 0x10,
	    0xca, 0x6f, 0x2c, 0x17, 0x9d, 0x92, 0x15, 0x52, 0x9d, 0x56 },
	    "NAT-T draft-03" },
	[ISAKMP_VID_DPD] = { { 0xaf, 0xca, 0xd7, 0x13, 0x68, 0xa1, 0xf1,
	    0xc9, 0x6b, 0x86, 0x96, 0xfc, 0x77, 0x57, 0x01, 0x00 },
	    "DPD" },
};

enum isakmp_vid
isakmp_vid_lookup(const uint8_t *p, size_t len)
{
	int	 i;

	if (len != 16)
		return (ISAKMP_VID_UNKNOWN);
	for (i = 1; i < ISAKMP_VID_MAX; i++)
		if (memcmp(p, isakmp_vids[i].v_id, 16) == 0)
			return ((enum isakmp_vid)i);
	return (ISAKMP_VID_UNKNOWN);
}

const uint8_t *
isakmp_vid_bytes(enum isakmp_vid v, size_t *len)
{
	if (v <= ISAKMP_VID_UNKNOWN || v >= ISAKMP_VID_MAX) {
		*len = 0;
		return (NULL);
	}
	*len = 16;
	return (isakmp_vids[v].v_id);
}

const char *
isakmp_vid_name(enum isakmp_vid v)
{
	if (v <= ISAKMP_VID_UNKNOWN || v >= ISAKMP_VID_MAX)
		return ("UNKNOWN");
	return (isakmp_vids[v].v_name);
}

/* Name tables for logs. */
struct isakmp_name {
	uint16_t	 n_val;
	const char	*n_name;
};

static const char *
name_lookup(const struct isakmp_name *t, size_t n, uint16_t v)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (t[i].n_val == v)
			return (t[i].n_name);
	return ("UNKNOWN");
}

#define NAMEFN(fn, type, tab)						\
const char *								\
fn(type v)								\
{									\
	return (name_lookup(tab, sizeof(tab) / sizeof(tab[0]), v));	\
}

static const struct isakmp_name payload_names[] = {
	{ ISAKMP_PL_NONE, "NONE" }, { ISAKMP_PL_SA, "SA" },
	{ ISAKMP_PL_P, "P" }, { ISAKMP_PL_T, "T" }, { ISAKMP_PL_KE, "KE" },
	{ ISAKMP_PL_ID, "ID" }, { ISAKMP_PL_CERT, "CERT" },
	{ ISAKMP_PL_CR, "CR" }, { ISAKMP_PL_HASH, "HASH" },
	{ ISAKMP_PL_SIG, "SIG" }, { ISAKMP_PL_NONCE, "NONCE" },
	{ ISAKMP_PL_N, "N" }, { ISAKMP_PL_D, "D" }, { ISAKMP_PL_VID, "VID" },
	{ ISAKMP_PL_NATD, "NAT-D" }, { ISAKMP_PL_NATOA, "NAT-OA" },
	{ ISAKMP_PL_NATD_DRAFT, "NAT-D(draft)" },
	{ ISAKMP_PL_NATOA_DRAFT, "NAT-OA(draft)" },
};
NAMEFN(isakmp_payload_name, uint8_t, payload_names)

static const struct isakmp_name xchg_names[] = {
	{ ISAKMP_XCHG_NONE, "NONE" }, { ISAKMP_XCHG_BASE, "BASE" },
	{ ISAKMP_XCHG_IDPROT, "MAIN_MODE" },
	{ ISAKMP_XCHG_AUTHONLY, "AUTH_ONLY" },
	{ ISAKMP_XCHG_AGGRESSIVE, "AGGRESSIVE" },
	{ ISAKMP_XCHG_INFO, "INFORMATIONAL" },
	{ ISAKMP_XCHG_QUICK, "QUICK_MODE" },
	{ ISAKMP_XCHG_NGM, "NEW_GROUP_MODE" },
};
NAMEFN(isakmp_xchg_name, uint8_t, xchg_names)

static const struct isakmp_name notify_names[] = {
	{ 1, "INVALID-PAYLOAD-TYPE" }, { 2, "DOI-NOT-SUPPORTED" },
	{ 3, "SITUATION-NOT-SUPPORTED" }, { 4, "INVALID-COOKIE" },
	{ 5, "INVALID-MAJOR-VERSION" }, { 6, "INVALID-MINOR-VERSION" },
	{ 7, "INVALID-EXCHANGE-TYPE" }, { 8, "INVALID-FLAGS" },
	{ 9, "INVALID-MESSAGE-ID" }, { 10, "INVALID-PROTOCOL-ID" },
	{ 11, "INVALID-SPI" }, { 12, "INVALID-TRANSFORM-ID" },
	{ 13, "ATTRIBUTES-NOT-SUPPORTED" }, { 14, "NO-PROPOSAL-CHOSEN" },
	{ 15, "BAD-PROPOSAL-SYNTAX" }, { 16, "PAYLOAD-MALFORMED" },
	{ 17, "INVALID-KEY-INFORMATION" }, { 18, "INVALID-ID-INFORMATION" },
	{ 19, "INVALID-CERT-ENCODING" }, { 20, "INVALID-CERTIFICATE" },
	{ 21, "CERT-TYPE-UNSUPPORTED" }, { 22, "INVALID-CERT-AUTHORITY" },
	{ 23, "INVALID-HASH-INFORMATION" }, { 24, "AUTHENTICATION-FAILED" },
	{ 25, "INVALID-SIGNATURE" }, { 26, "ADDRESS-NOTIFICATION" },
	{ 27, "NOTIFY-SA-LIFETIME" }, { 28, "CERTIFICATE-UNAVAILABLE" },
	{ 29, "UNSUPPORTED-EXCHANGE-TYPE" },
	{ 30, "UNEQUAL-PAYLOAD-LENGTHS" },
	{ ISAKMP_N_CONNECTED, "CONNECTED" },
	{ IPSEC_N_RESPONDER_LIFETIME, "RESPONDER-LIFETIME" },
	{ IPSEC_N_REPLAY_STATUS, "REPLAY-STATUS" },
	{ IPSEC_N_INITIAL_CONTACT, "INITIAL-CONTACT" },
	{ DPD_N_R_U_THERE, "R-U-THERE" },
	{ DPD_N_R_U_THERE_ACK, "R-U-THERE-ACK" },
};
NAMEFN(isakmp_notify_name, uint16_t, notify_names)

static const struct isakmp_name proto_names[] = {
	{ ISAKMP_PROTO_ISAKMP, "ISAKMP" }, { ISAKMP_PROTO_AH, "AH" },
	{ ISAKMP_PROTO_ESP, "ESP" }, { ISAKMP_PROTO_IPCOMP, "IPCOMP" },
};
NAMEFN(isakmp_proto_name, uint8_t, proto_names)

static const struct isakmp_name id_names[] = {
	{ 1, "ID_IPV4_ADDR" }, { 2, "ID_FQDN" }, { 3, "ID_USER_FQDN" },
	{ 4, "ID_IPV4_ADDR_SUBNET" }, { 5, "ID_IPV6_ADDR" },
	{ 6, "ID_IPV6_ADDR_SUBNET" }, { 7, "ID_IPV4_ADDR_RANGE" },
	{ 8, "ID_IPV6_ADDR_RANGE" }, { 9, "ID_DER_ASN1_DN" },
	{ 10, "ID_DER_ASN1_GN" }, { 11, "ID_KEY_ID" },
};
NAMEFN(isakmp_id_name, uint8_t, id_names)

static const struct isakmp_name cert_names[] = {
	{ 0, "NONE" }, { 1, "PKCS7" }, { 2, "PGP" }, { 3, "DNS_KEY" },
	{ 4, "X509_SIG" }, { 5, "X509_KE" }, { 6, "KERBEROS" },
	{ 7, "CRL" }, { 8, "ARL" }, { 9, "SPKI" }, { 10, "X509_ATTR" },
};
NAMEFN(isakmp_cert_name, uint8_t, cert_names)

static const struct isakmp_name ike_attr_names[] = {
	{ 1, "ENCRYPTION_ALGORITHM" }, { 2, "HASH_ALGORITHM" },
	{ 3, "AUTHENTICATION_METHOD" }, { 4, "GROUP_DESCRIPTION" },
	{ 5, "GROUP_TYPE" }, { 6, "GROUP_PRIME" }, { 7, "GROUP_GENERATOR_1" },
	{ 8, "GROUP_GENERATOR_2" }, { 9, "GROUP_CURVE_A" },
	{ 10, "GROUP_CURVE_B" }, { 11, "LIFE_TYPE" }, { 12, "LIFE_DURATION" },
	{ 13, "PRF" }, { 14, "KEY_LENGTH" }, { 15, "FIELD_SIZE" },
	{ 16, "GROUP_ORDER" },
};
NAMEFN(ike_attr_name, uint16_t, ike_attr_names)

static const struct isakmp_name ike_encr_names[] = {
	{ 1, "DES-CBC" }, { 2, "IDEA-CBC" }, { 3, "Blowfish-CBC" },
	{ 4, "RC5-R16-B64-CBC" }, { 5, "3DES-CBC" }, { 6, "CAST-CBC" },
	{ 7, "AES-CBC" },
};
NAMEFN(ike_encr_name, uint16_t, ike_encr_names)

static const struct isakmp_name ike_hash_names[] = {
	{ 1, "MD5" }, { 2, "SHA1" }, { 3, "Tiger" }, { 4, "SHA2-256" },
	{ 5, "SHA2-384" }, { 6, "SHA2-512" },
};
NAMEFN(ike_hash_name, uint16_t, ike_hash_names)

static const struct isakmp_name ike_auth_names[] = {
	{ 1, "PSK" }, { 2, "DSS" }, { 3, "RSA-SIG" }, { 4, "RSA-ENC" },
	{ 5, "RSA-REVISED-ENC" },
};
NAMEFN(ike_auth_name, uint16_t, ike_auth_names)

static const struct isakmp_name ike_group_names[] = {
	{ 1, "MODP768" }, { 2, "MODP1024" }, { 3, "EC2N155" },
	{ 4, "EC2N185" }, { 5, "MODP1536" }, { 14, "MODP2048" },
	{ 15, "MODP3072" }, { 16, "MODP4096" }, { 17, "MODP6144" },
	{ 18, "MODP8192" }, { 19, "ECP256" }, { 20, "ECP384" },
	{ 21, "ECP521" },
};
NAMEFN(ike_group_name, uint16_t, ike_group_names)

static const struct isakmp_name ipsec_attr_names[] = {
	{ 1, "SA_LIFE_TYPE" }, { 2, "SA_LIFE_DURATION" },
	{ 3, "GROUP_DESCRIPTION" }, { 4, "ENCAPSULATION_MODE" },
	{ 5, "AUTHENTICATION_ALGORITHM" }, { 6, "KEY_LENGTH" },
	{ 7, "KEY_ROUNDS" }, { 8, "COMPRESS_DICTIONARY_SIZE" },
	{ 9, "COMPRESS_PRIVATE_ALGORITHM" },
};
NAMEFN(ipsec_attr_name, uint16_t, ipsec_attr_names)

static const struct isakmp_name ipsec_encap_names[] = {
	{ 1, "TUNNEL" }, { 2, "TRANSPORT" }, { 3, "UDP_TUNNEL" },
	{ 4, "UDP_TRANSPORT" },
	{ IPSEC_ENCAP_UDP_TUNNEL_DRAFT, "UDP_TUNNEL(draft)" },
	{ IPSEC_ENCAP_UDP_TRANSPORT_DRAFT, "UDP_TRANSPORT(draft)" },
};
NAMEFN(ipsec_encap_name, uint16_t, ipsec_encap_names)

static const struct isakmp_name ipsec_auth_names[] = {
	{ 1, "HMAC-MD5" }, { 2, "HMAC-SHA1" }, { 3, "DES-MAC" },
	{ 4, "KPDK" }, { 5, "HMAC-SHA2-256" }, { 6, "HMAC-SHA2-384" },
	{ 7, "HMAC-SHA2-512" },
};
NAMEFN(ipsec_auth_name, uint16_t, ipsec_auth_names)

static const struct isakmp_name esp_xform_names[] = {
	{ 1, "ESP_DES_IV64" }, { 2, "ESP_DES" }, { 3, "ESP_3DES" },
	{ 4, "ESP_RC5" }, { 5, "ESP_IDEA" }, { 6, "ESP_CAST" },
	{ 7, "ESP_BLOWFISH" }, { 8, "ESP_3IDEA" }, { 9, "ESP_DES_IV32" },
	{ 10, "ESP_RC4" }, { 11, "ESP_NULL" }, { 12, "ESP_AES" },
};
NAMEFN(esp_xform_name, uint8_t, esp_xform_names)
