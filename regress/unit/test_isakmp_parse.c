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

#include <openssl/evp.h>

#include "common/cursor.h"
#include "ike/isakmp_parse.h"
#include "test.h"

T_DEFINE_GLOBALS;

/*
 * The ISAKMP wire format: packets charon sent (regress/unit/ike_vectors,
 * the aes128-sha1-modp2048 exchange: Main Mode 1 and 3 as sent, Quick
 * Mode 1 and the informational after it decrypted), messages built with
 * our builders and read back, and malformed ones: every length that can
 * lie, truncation at every byte, chains that do not end.
 */

static const char cap_mm1[] =
    "a67f6091b020915000000000000000000110020000000000000000b40d000038"
    "00000001000000010000002c01010001000000240101000080010007800e0080"
    "800200028004000e80030001800b0001800c3de00d00000c09002689dfd6b712"
    "0d000014afcad71368a1f1c96b8696fc775701000d0000184048b7d56ebce885"
    "25e7de7f00d6c2d3800000000d0000144a131c81070358455c5728f20e95452f"
    "0000001490cb80913ebb696e086381b5ec427b1f";

static const char cap_mm3[] =
    "a67f6091b020915040c49590e0077d730410020000000000000001740a000104"
    "7255fea967bda7221310977f84efd07f7d7984e885b2ac14ec198f647b351d68"
    "35d7db12275388e79ff99bdad8e33982f6c1ee2bd022cecc3c45765eac3fa7ac"
    "d91d971f8fb68ed5f790eb533c1253935437cef00af5dde14f80b43cf7757ca6"
    "06dd1606422d6785c9d569d49e6a1d8c44fd18bb0f38085e0aedf074656bb6fb"
    "4c38d4bc04f9dfd039f21f2846a96ad00bef05162547bafd6846945dbd7c68f3"
    "d7ab6774fa66dbc1c4232b1c7db0db27ffc930970e81a662c0eb76786d489c98"
    "82de42b12a274d86ef94cdd1cdffdf62514b4e22924b375f9dfd6cd39f78cc12"
    "c4fb0f653870c3293a9dbf67fcd8d4d5f8d3e617700ec497ccacaaa85d25438c"
    "14000024c511195a1c54b06f11f167c5fa767e7fabf2fe5d8b8956ee4b6faa1f"
    "246a121f14000018afad4ec7da0b6ba4a54e1aa1d0d975d8909e201a00000018"
    "bf5d61bb82a35f2a06d0b2834ca8dc2146ba2771";

static const char cap_qm1_plain[] =
    "01000018f416228d12d9c51143a22d43855af0fbf9c4804b0a00003400000001"
    "000000010000002801030401c4f5ca050000001c010c00008006008080050002"
    "800400028001000180020f78050000249fb4c7044f7f6f2f608bc193bc2224f0"
    "38e29cf060c11044a379d52c6bbe371d0500000c011106a5c00002010000000c"
    "011106a5c00002020000000000000000";

static const char cap_info1_plain[] =
    "0b00001810b1c9785c9ef68609f959b428b26aa60d609bdc0000001000000001"
    "0304000ec4f5ca050000000000000000";


static size_t
unhex(const char *s, uint8_t *buf, size_t cap)
{
	size_t		 n = 0;
	unsigned int	 v;

	while (s[0] != '\0' && s[1] != '\0' && n < cap) {
		if (sscanf(s, "%2x", &v) != 1)
			break;
		buf[n++] = (uint8_t)v;
		s += 2;
	}
	return (n);
}

static const uint8_t cky_i[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
static const uint8_t cky_r[8] = { 9, 10, 11, 12, 13, 14, 15, 16 };

/* A Main Mode header in front of a raw payload area; the length. */
static size_t
mkmsg(uint8_t *buf, size_t cap, uint8_t first, const uint8_t *pl, size_t len)
{
	struct obuf	 ob;

	obuf_init(&ob, buf, cap);
	obuf_put_bytes(&ob, cky_i, 8);
	obuf_put_bytes(&ob, cky_r, 8);
	obuf_put_u8(&ob, first);
	obuf_put_u8(&ob, 0x10);
	obuf_put_u8(&ob, ISAKMP_XCHG_IDPROT);
	obuf_put_u8(&ob, 0);
	obuf_put_u32(&ob, 0);
	obuf_put_u32(&ob, (uint32_t)(ISAKMP_HDR_LEN + len));
	obuf_put_bytes(&ob, pl, len);
	return (obuf_error(&ob) == 0 ? ob.o_len : 0);
}

/* A generic payload header and body, with the length given or right. */
static void
put_pl(struct obuf *ob, uint8_t next, const void *body, size_t len)
{
	obuf_put_u8(ob, next);
	obuf_put_u8(ob, 0);
	obuf_put_u16(ob, (uint16_t)(ISAKMP_GEN_LEN + len));
	obuf_put_bytes(ob, body, len);
}

static struct isakmp_msg msg;

/* Parses a payload area and expects a failure with this notify. */
static int
chain_fails(uint8_t first, const uint8_t *pl, size_t len, uint16_t notify)
{
	struct isakmp_err	 err;

	memset(&err, 0, sizeof(err));
	if (isakmp_parse_payloads(first, pl, len, 0, &msg, &err) == 0) {
		printf("# parsed what should not parse\n");
		return (0);
	}
	if (err.ie_why == NULL || err.ie_notify != notify) {
		printf("# notify %u (%s), wanted %u\n", err.ie_notify,
		    err.ie_why ? err.ie_why : "?", notify);
		return (0);
	}
	return (1);
}

static int
chain_parses(uint8_t first, const uint8_t *pl, size_t len)
{
	struct isakmp_err	 err;

	if (isakmp_parse_payloads(first, pl, len, 0, &msg, &err) == -1) {
		printf("# %s at %zu\n", err.ie_why, err.ie_off);
		return (0);
	}
	return (1);
}

static unsigned long
attr_of(const struct isakmp_xform *xf, uint16_t type)
{
	struct isakmp_attr	 at;
	uint64_t		 v;

	if (isakmp_xform_attr(xf, type, &at) != 1 ||
	    isakmp_attr_uint(&at, &v) == -1)
		return (~0UL);
	return ((unsigned long)v);
}

static void
test_captured_mm1(void)
{
	static uint8_t		 pkt[512];
	struct isakmp_hdr	 h;
	struct isakmp_err	 err;
	struct isakmp_prop	 pr;
	struct isakmp_xform	 xf;
	struct cur		 c, xc;
	const uint8_t		*rest;
	size_t			 len, restlen, i;
	int			 seen[ISAKMP_VID_MAX] = { 0 };

	len = unhex(cap_mm1, pkt, sizeof(pkt));
	T_ASSERT_RET(len == 180);
	T_ASSERT_RET(isakmp_parse(pkt, len, &h, &msg, &err) == 0);
	T_ASSERT(memcmp(h.ih_icookie, pkt, 8) == 0);
	T_ASSERT(memcmp(h.ih_rcookie, "\0\0\0\0\0\0\0\0", 8) == 0);
	T_ASSERT(h.ih_next == ISAKMP_PL_SA && h.ih_major == 1 &&
	    h.ih_minor == 0 && h.ih_xchg == ISAKMP_XCHG_IDPROT &&
	    h.ih_flags == 0 && h.ih_msgid == 0 && h.ih_len == 180);
	T_ASSERT(msg.im_npl == 6 && msg.im_nsa == 1 && msg.im_nvid == 5);
	T_ASSERT(msg.im_pad == 0 && msg.im_end == pkt + len);
	T_ASSERT(msg.im_sa[0].sa_doi == ISAKMP_DOI_IPSEC &&
	    msg.im_sa[0].sa_sit == IPSEC_SIT_IDENTITY_ONLY &&
	    msg.im_sa[0].sa_nprops == 1);
	/* SAi_b: the SA payload less its generic header (RFC 2409 5). */
	T_ASSERT(msg.im_sa[0].sa_body == pkt + 32 &&
	    msg.im_sa[0].sa_blen == 52);
	isakmp_sa_props(&msg.im_sa[0], &c);
	T_ASSERT_RET(isakmp_prop_next(&c, &pr) == 1);
	T_ASSERT(pr.pr_num == 1 && pr.pr_proto == ISAKMP_PROTO_ISAKMP &&
	    pr.pr_spisize == 0 && pr.pr_nxforms == 1);
	T_ASSERT(isakmp_prop_next(&c, &pr) == 0);
	isakmp_prop_xforms(&pr, &xc);
	T_ASSERT_RET(isakmp_xform_next(&xc, &xf) == 1);
	T_ASSERT(isakmp_xform_next(&xc, &xf) == 0);
	isakmp_prop_xforms(&pr, &xc);
	T_ASSERT_RET(isakmp_xform_next(&xc, &xf) == 1);
	T_ASSERT(xf.xf_num == 1 && xf.xf_id == ISAKMP_XF_KEY_IKE);
	T_ASSERT(attr_of(&xf, IKE_ATTR_ENCR) == IKE_ENCR_AES);
	T_ASSERT(attr_of(&xf, IKE_ATTR_KEY_LEN) == 128);
	T_ASSERT(attr_of(&xf, IKE_ATTR_HASH) == IKE_HASH_SHA1);
	T_ASSERT(attr_of(&xf, IKE_ATTR_GROUP_DESC) == IKE_GROUP_MODP2048);
	T_ASSERT(attr_of(&xf, IKE_ATTR_AUTH) == IKE_AUTH_PSK);
	T_ASSERT(attr_of(&xf, IKE_ATTR_LIFE_TYPE) == IKE_LIFE_SECONDS);
	T_ASSERT(attr_of(&xf, IKE_ATTR_LIFE_DUR) != ~0UL);
	T_ASSERT(attr_of(&xf, IKE_ATTR_PRF) == ~0UL);
	/* charon's five: XAuth, DPD, FRAGMENTATION, RFC 3947, draft-02\n. */
	for (i = 0; i < msg.im_nvid; i++)
		seen[isakmp_vid_lookup(msg.im_vid[i].b_data,
		    msg.im_vid[i].b_len)]++;
	T_ASSERT(seen[ISAKMP_VID_UNKNOWN] == 2 && seen[ISAKMP_VID_DPD] == 1 &&
	    seen[ISAKMP_VID_NATT_RFC3947] == 1 &&
	    seen[ISAKMP_VID_NATT_DRAFT02N] == 1);
	T_ASSERT(isakmp_msg_find(&msg, ISAKMP_PL_VID) == 1);
	T_ASSERT(isakmp_msg_find(&msg, ISAKMP_PL_KE) == -1);
	isakmp_msg_after(&msg, 0, &rest, &restlen);
	T_ASSERT(rest == pkt + 28 + 56 && restlen == len - 28 - 56);
	isakmp_msg_after(&msg, 5, &rest, &restlen);
	T_ASSERT(restlen == 0);
}

static void
test_captured_mm3(void)
{
	static uint8_t		 pkt[512];
	struct isakmp_hdr	 h;
	struct isakmp_err	 err;
	size_t			 len;

	len = unhex(cap_mm3, pkt, sizeof(pkt));
	T_ASSERT_RET(len == 372);
	T_ASSERT_RET(isakmp_parse(pkt, len, &h, &msg, &err) == 0);
	T_ASSERT(h.ih_next == ISAKMP_PL_KE);
	T_ASSERT(msg.im_nke == 1 && msg.im_ke[0].b_len == 256);
	T_ASSERT(msg.im_nnonce == 1 && msg.im_nonce[0].b_len == 32);
	T_ASSERT(msg.im_nnatd == 2 && msg.im_natd[0].b_len == 20 &&
	    msg.im_natd[1].b_type == ISAKMP_PL_NATD);
	T_ASSERT(msg.im_npl == 4);
}

/* Quick Mode 1 as charon sent it, decrypted: padding follows. */
static void
test_captured_qm1(void)
{
	static uint8_t		 pl[512];
	struct isakmp_err	 err;
	struct isakmp_prop	 pr;
	struct isakmp_xform	 xf;
	struct cur		 c, xc;
	size_t			 len;

	len = unhex(cap_qm1_plain, pl, sizeof(pl));
	T_ASSERT_RET(len % 16 == 0);
	/* charon pads with zeros to the block (RFC 2409 Appendix B). */
	T_ASSERT(isakmp_parse_payloads(ISAKMP_PL_HASH, pl, len, 7, &msg,
	    &err) == -1 && err.ie_notify == ISAKMP_N_PAYLOAD_MALFORMED);
	T_ASSERT_RET(isakmp_parse_payloads(ISAKMP_PL_HASH, pl, len, 16, &msg,
	    &err) == 0);
	T_ASSERT(msg.im_pad == 8 && msg.im_end == pl + len - 8);
	T_ASSERT(msg.im_npl == 5 && msg.im_pl[0].pl_type == ISAKMP_PL_HASH &&
	    msg.im_pl[1].pl_type == ISAKMP_PL_SA &&
	    msg.im_pl[2].pl_type == ISAKMP_PL_NONCE &&
	    msg.im_pl[3].pl_type == ISAKMP_PL_ID &&
	    msg.im_pl[4].pl_type == ISAKMP_PL_ID);
	T_ASSERT(msg.im_nhash == 1 && msg.im_hash[0].b_len == 20);
	isakmp_sa_props(&msg.im_sa[0], &c);
	T_ASSERT_RET(isakmp_prop_next(&c, &pr) == 1);
	T_ASSERT(pr.pr_proto == ISAKMP_PROTO_ESP && pr.pr_spisize == 4 &&
	    pr.pr_nxforms == 1);
	isakmp_prop_xforms(&pr, &xc);
	T_ASSERT_RET(isakmp_xform_next(&xc, &xf) == 1);
	T_ASSERT(xf.xf_id == ESP_XF_AES);
	T_ASSERT(attr_of(&xf, IPSEC_ATTR_KEY_LEN) == 128);
	T_ASSERT(attr_of(&xf, IPSEC_ATTR_ENCAP_MODE) == IPSEC_ENCAP_TRANSPORT);
	T_ASSERT(attr_of(&xf, IPSEC_ATTR_AUTH_ALG) == IPSEC_AUTH_HMAC_SHA);
	T_ASSERT(attr_of(&xf, IPSEC_ATTR_LIFE_TYPE) == IKE_LIFE_SECONDS);
	T_ASSERT(msg.im_nid == 2);
	T_ASSERT(msg.im_id[0].id_type == IPSEC_ID_IPV4_ADDR &&
	    msg.im_id[0].id_proto == 17 && msg.im_id[0].id_port == 1701 &&
	    msg.im_id[0].id_dlen == 4 &&
	    memcmp(msg.im_id[0].id_data, "\xc0\x00\x02\x01", 4) == 0);
	T_ASSERT(msg.im_id[1].id_blen == 8 &&
	    memcmp(msg.im_id[1].id_data, "\xc0\x00\x02\x02", 4) == 0);
}

static void
test_captured_info(void)
{
	static uint8_t		 pl[256];
	struct isakmp_err	 err;
	size_t			 len;

	len = unhex(cap_info1_plain, pl, sizeof(pl));
	T_ASSERT_RET(isakmp_parse_payloads(ISAKMP_PL_HASH, pl, len, 16, &msg,
	    &err) == 0);
	T_ASSERT_RET(msg.im_nn == 1 && msg.im_nhash == 1);
	T_ASSERT(msg.im_n[0].n_doi == ISAKMP_DOI_IPSEC &&
	    msg.im_n[0].n_proto == ISAKMP_PROTO_ESP &&
	    msg.im_n[0].n_spisize == 4 &&
	    msg.im_n[0].n_type == ISAKMP_N_NO_PROPOSAL_CHOSEN &&
	    msg.im_n[0].n_dlen == 0);
}

/*
 * Truncation at every byte: with the header Length patched to match, or
 * left alone, or the chain cut short with no padding allowed.
 */
static void
check_truncations(const uint8_t *pkt, size_t len)
{
	static uint8_t		 buf[1024];
	struct isakmp_hdr	 h;
	struct isakmp_err	 err;
	size_t			 k;
	int			 bad = 0;

	for (k = 0; k < len; k++) {
		memcpy(buf, pkt, k);
		if (isakmp_parse(buf, k, &h, &msg, &err) == 0)
			bad++;
		if (k < ISAKMP_HDR_LEN)
			continue;
		buf[24] = (uint8_t)(k >> 24);
		buf[25] = (uint8_t)(k >> 16);
		buf[26] = (uint8_t)(k >> 8);
		buf[27] = (uint8_t)k;
		if (isakmp_parse(buf, k, &h, &msg, &err) == 0 &&
		    len - k > ISAKMP_PAD_PLAIN)
			bad++;
		if (isakmp_parse_payloads(pkt[16], buf + ISAKMP_HDR_LEN,
		    k - ISAKMP_HDR_LEN, 0, &msg, &err) == 0)
			bad++;
	}
	T_ASSERT(bad == 0);
	T_ASSERT(isakmp_parse(pkt, len, &h, &msg, &err) == 0);
}

static void
test_truncation(void)
{
	static uint8_t	 pkt[512], pl[512];
	struct isakmp_err err;
	size_t		 len, k;
	int		 bad = 0;

	len = unhex(cap_mm1, pkt, sizeof(pkt));
	check_truncations(pkt, len);
	len = unhex(cap_mm3, pkt, sizeof(pkt));
	check_truncations(pkt, len);
	/* The decrypted Quick Mode: short of its last payload, it fails. */
	len = unhex(cap_qm1_plain, pl, sizeof(pl));
	for (k = 0; k < len - 8; k++)
		if (isakmp_parse_payloads(ISAKMP_PL_HASH, pl, k, 16, &msg,
		    &err) == 0)
			bad++;
	T_ASSERT(bad == 0);
	for (k = len - 8; k <= len; k++)
		T_ASSERT(isakmp_parse_payloads(ISAKMP_PL_HASH, pl, k, 16, &msg,
		    &err) == 0 && msg.im_pad == k - (len - 8));
}

static void
test_header(void)
{
	static uint8_t		 pkt[512], buf[512];
	struct isakmp_hdr	 h;
	struct isakmp_err	 err;
	size_t			 len;

	len = unhex(cap_mm1, pkt, sizeof(pkt));
#define HDR_FAILS(b, l, n)	(isakmp_parse_header((b), (l), &h, &err) == -1 \
	    && err.ie_notify == (n))
	T_ASSERT(HDR_FAILS(pkt, 27, ISAKMP_N_UNEQUAL_PAYLOAD_LENGTHS));
	T_ASSERT(HDR_FAILS(pkt, 0, ISAKMP_N_UNEQUAL_PAYLOAD_LENGTHS));
	T_ASSERT(isakmp_parse_header(pkt, len, &h, &err) == 0);
	/* RFC 2408 5.1: longer or shorter than Length, rejected. */
	memcpy(buf, pkt, len);
	buf[len] = 0;
	T_ASSERT(HDR_FAILS(buf, len + 1, ISAKMP_N_UNEQUAL_PAYLOAD_LENGTHS));
	T_ASSERT(HDR_FAILS(buf, len - 1, ISAKMP_N_UNEQUAL_PAYLOAD_LENGTHS));
	buf[27] = 0xff;
	T_ASSERT(HDR_FAILS(buf, len, ISAKMP_N_UNEQUAL_PAYLOAD_LENGTHS));
	memcpy(buf, pkt, len);
	buf[17] = 0x20;		/* IKEv2 */
	T_ASSERT(HDR_FAILS(buf, len, ISAKMP_N_INVALID_MAJOR_VERSION));
	buf[17] = 0x00;
	T_ASSERT(HDR_FAILS(buf, len, ISAKMP_N_INVALID_MAJOR_VERSION));
	buf[17] = 0x11;
	T_ASSERT(HDR_FAILS(buf, len, ISAKMP_N_INVALID_MINOR_VERSION));
	buf[17] = 0x10;
	buf[19] = 0x08;
	T_ASSERT(HDR_FAILS(buf, len, ISAKMP_N_INVALID_FLAGS));
	buf[19] = 0x80;
	T_ASSERT(HDR_FAILS(buf, len, ISAKMP_N_INVALID_FLAGS));
	buf[19] = ISAKMP_FLAG_E | ISAKMP_FLAG_C | ISAKMP_FLAG_A;
	T_ASSERT(isakmp_parse_header(buf, len, &h, &err) == 0 &&
	    h.ih_flags == 7);
	/* The whole-datagram parser is for plaintext only. */
	T_ASSERT(isakmp_parse(buf, len, &h, &msg, &err) == -1);
	buf[19] = 0;
	buf[18] = ISAKMP_XCHG_NONE;
	T_ASSERT(HDR_FAILS(buf, len, ISAKMP_N_INVALID_EXCHANGE_TYPE));
	buf[18] = 6;
	T_ASSERT(HDR_FAILS(buf, len, ISAKMP_N_INVALID_EXCHANGE_TYPE));
	buf[18] = 31;
	T_ASSERT(HDR_FAILS(buf, len, ISAKMP_N_INVALID_EXCHANGE_TYPE));
	buf[18] = ISAKMP_XCHG_QUICK;
	T_ASSERT(isakmp_parse_header(buf, len, &h, &err) == 0);
	buf[18] = 240;
	T_ASSERT(isakmp_parse_header(buf, len, &h, &err) == 0);
	buf[18] = ISAKMP_XCHG_INFO;
	buf[20] = 0xde;
	buf[23] = 0xef;
	T_ASSERT(isakmp_parse_header(buf, len, &h, &err) == 0 &&
	    h.ih_xchg == ISAKMP_XCHG_INFO && h.ih_msgid == 0xde0000ef);
#undef HDR_FAILS
}

/*
 * Every payload we build, read back.  This is also what the other
 * processes will send, so the parser must take it all.
 */
static void
test_build_roundtrip(void)
{
	static uint8_t		 buf[2048];
	struct isakmp_xform_desc xd[3];
	struct isakmp_prop_desc	 pd[2];
	struct isakmp_sa_desc	 sd;
	struct isakmp_hdr	 h, h2;
	struct isakmp_err	 err;
	struct isakmp_prop	 pr;
	struct isakmp_xform	 xf;
	struct isakmp_attr	 at;
	struct isakmp_wr	 w;
	struct obuf		 ob;
	struct cur		 c, xc, ac;
	const uint8_t		 ke[64] = { 0x42 }, nonce[16] = { 7 };
	const uint8_t		 v4[4] = { 192, 0, 2, 1 }, v6[16] = { 0x20 };
	const uint8_t		 spis[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	const uint8_t		 hashval[20] = { 0xaa, 0xbb };
	uint8_t			 ckys[16];
	uint64_t		 v;
	size_t			 hoff, i;

	memset(&h, 0, sizeof(h));
	memcpy(h.ih_icookie, cky_i, 8);
	memcpy(h.ih_rcookie, cky_r, 8);
	h.ih_xchg = ISAKMP_XCHG_QUICK;
	h.ih_msgid = 0x01020304;

	memset(xd, 0, sizeof(xd));
	xd[0].xd_num = 1;
	xd[0].xd_id = ESP_XF_AES;
	xd[0].xd_nattrs = 5;
	xd[0].xd_attrs[0].ad_type = IPSEC_ATTR_ENCAP_MODE;
	xd[0].xd_attrs[0].ad_val = IPSEC_ENCAP_UDP_TRANSPORT;
	xd[0].xd_attrs[1].ad_type = IPSEC_ATTR_KEY_LEN;
	xd[0].xd_attrs[1].ad_val = 256;
	xd[0].xd_attrs[2].ad_type = IPSEC_ATTR_LIFE_TYPE;
	xd[0].xd_attrs[2].ad_val = IKE_LIFE_SECONDS;
	xd[0].xd_attrs[3].ad_type = IPSEC_ATTR_LIFE_DUR;
	xd[0].xd_attrs[3].ad_val = 86400;		/* TLV, 4 octets */
	xd[0].xd_attrs[4].ad_type = IPSEC_ATTR_AUTH_ALG;
	xd[0].xd_attrs[4].ad_val = IPSEC_AUTH_HMAC_SHA2_256;
	xd[1].xd_num = 2;
	xd[1].xd_id = ESP_XF_3DES;
	xd[1].xd_nattrs = 2;
	xd[1].xd_attrs[0].ad_type = IPSEC_ATTR_LIFE_TYPE;
	xd[1].xd_attrs[0].ad_val = IKE_LIFE_KILOBYTES;
	xd[1].xd_attrs[1].ad_type = IPSEC_ATTR_LIFE_DUR;
	xd[1].xd_attrs[1].ad_val = 0x123456789aULL;	/* TLV, 8 octets */
	xd[2].xd_num = 1;
	xd[2].xd_id = ESP_XF_AES;
	xd[2].xd_nattrs = 1;
	xd[2].xd_attrs[0].ad_type = IPSEC_ATTR_ENCAP_MODE;
	xd[2].xd_attrs[0].ad_val = IPSEC_ENCAP_UDP_TRANSPORT_DRAFT;
	memset(pd, 0, sizeof(pd));
	pd[0].pd_num = 1;
	pd[0].pd_proto = ISAKMP_PROTO_ESP;
	pd[0].pd_spisize = 4;
	memcpy(pd[0].pd_spi, "\xca\xfe\xba\xbe", 4);
	pd[0].pd_nxforms = 2;
	pd[0].pd_xforms = &xd[0];
	pd[1] = pd[0];
	pd[1].pd_num = 2;
	pd[1].pd_nxforms = 1;
	pd[1].pd_xforms = &xd[2];
	sd.sd_doi = ISAKMP_DOI_IPSEC;
	sd.sd_sit = IPSEC_SIT_IDENTITY_ONLY;
	sd.sd_nprops = 2;
	sd.sd_props = pd;
	memcpy(ckys, cky_i, 8);
	memcpy(ckys + 8, cky_r, 8);

	obuf_init(&ob, buf, sizeof(buf));
	isakmp_wr_header(&w, &ob, &h);
	hoff = isakmp_build_hash(&w, NULL, 20);
	isakmp_build_sa(&w, &sd);
	isakmp_build_nonce(&w, nonce, sizeof(nonce));
	isakmp_build_ke(&w, ke, sizeof(ke));
	isakmp_build_id(&w, IPSEC_ID_IPV4_ADDR, 17, 1701, v4, 4);
	isakmp_build_id(&w, IPSEC_ID_USER_FQDN, 0, 0,
	    (const uint8_t *)"u@example.org", 13);
	isakmp_build_cert(&w, ISAKMP_PL_CERT, 4, ke, 10);
	isakmp_build_cert(&w, ISAKMP_PL_CR, 4, NULL, 0);
	isakmp_build_sig(&w, ke, 33);
	isakmp_build_notify(&w, ISAKMP_DOI_IPSEC, ISAKMP_PROTO_ISAKMP, ckys,
	    16, IPSEC_N_INITIAL_CONTACT, NULL, 0);
	isakmp_build_notify(&w, ISAKMP_DOI_IPSEC, ISAKMP_PROTO_ISAKMP, ckys,
	    16, DPD_N_R_U_THERE, (const uint8_t *)"\0\0\0\x2a", 4);
	isakmp_build_delete(&w, ISAKMP_DOI_IPSEC, ISAKMP_PROTO_ESP, 4, 2, spis);
	isakmp_build_vid_known(&w, ISAKMP_VID_NATT_RFC3947);
	isakmp_build_vid_known(&w, ISAKMP_VID_DPD);
	isakmp_build_natd(&w, ISAKMP_PL_NATD, hashval, 20);
	isakmp_build_natd(&w, ISAKMP_PL_NATD_DRAFT, hashval, 20);
	isakmp_build_natoa(&w, ISAKMP_PL_NATOA, IPSEC_ID_IPV4_ADDR, v4, 4);
	isakmp_build_natoa(&w, ISAKMP_PL_NATOA_DRAFT, IPSEC_ID_IPV6_ADDR, v6,
	    16);
	isakmp_wr_finish(&w);
	T_ASSERT_RET(obuf_error(&ob) == 0);
	memcpy(buf + hoff, hashval, 20);

	T_ASSERT_RET(isakmp_parse(buf, ob.o_len, &h2, &msg, &err) == 0);
	T_ASSERT(h2.ih_len == ob.o_len && h2.ih_msgid == 0x01020304 &&
	    h2.ih_next == ISAKMP_PL_HASH && h2.ih_xchg == ISAKMP_XCHG_QUICK);
	T_ASSERT(msg.im_npl == 18 && msg.im_pad == 0);
	T_ASSERT(msg.im_nhash == 1 &&
	    memcmp(msg.im_hash[0].b_data, hashval, 20) == 0);

	/* The SA, proposal by proposal, attribute by attribute. */
	T_ASSERT_RET(msg.im_nsa == 1 && msg.im_sa[0].sa_nprops == 2);
	isakmp_sa_props(&msg.im_sa[0], &c);
	T_ASSERT_RET(isakmp_prop_next(&c, &pr) == 1);
	T_ASSERT(pr.pr_num == 1 && pr.pr_proto == ISAKMP_PROTO_ESP &&
	    pr.pr_spisize == 4 && pr.pr_nxforms == 2 &&
	    memcmp(pr.pr_spi, "\xca\xfe\xba\xbe", 4) == 0);
	isakmp_prop_xforms(&pr, &xc);
	T_ASSERT_RET(isakmp_xform_next(&xc, &xf) == 1);
	T_ASSERT(xf.xf_num == 1 && xf.xf_id == ESP_XF_AES);
	isakmp_xform_attrs(&xf, &ac);
	for (i = 0; i < 5; i++) {
		T_ASSERT_RET(isakmp_attr_next(&ac, &at) == 1);
		T_ASSERT(at.at_type == xd[0].xd_attrs[i].ad_type);
		T_ASSERT(isakmp_attr_uint(&at, &v) == 0 &&
		    v == xd[0].xd_attrs[i].ad_val);
		T_ASSERT(at.at_tv == (i != 3));
	}
	T_ASSERT(isakmp_attr_next(&ac, &at) == 0);
	T_ASSERT_RET(isakmp_xform_next(&xc, &xf) == 1);
	T_ASSERT(xf.xf_num == 2 && xf.xf_id == ESP_XF_3DES);
	T_ASSERT(isakmp_xform_attr(&xf, IPSEC_ATTR_LIFE_DUR, &at) == 1 &&
	    !at.at_tv && at.at_len == 8 && isakmp_attr_uint(&at, &v) == 0 &&
	    v == 0x123456789aULL);
	T_ASSERT(isakmp_xform_next(&xc, &xf) == 0);
	T_ASSERT_RET(isakmp_prop_next(&c, &pr) == 1);
	T_ASSERT(pr.pr_num == 2 && pr.pr_nxforms == 1);
	isakmp_prop_xforms(&pr, &xc);
	T_ASSERT_RET(isakmp_xform_next(&xc, &xf) == 1);
	T_ASSERT(attr_of(&xf, IPSEC_ATTR_ENCAP_MODE) ==
	    IPSEC_ENCAP_UDP_TRANSPORT_DRAFT);
	T_ASSERT(isakmp_prop_next(&c, &pr) == 0);

	T_ASSERT(msg.im_nnonce == 1 && msg.im_nonce[0].b_len == 16 &&
	    msg.im_nonce[0].b_data[0] == 7);
	T_ASSERT(msg.im_nke == 1 && msg.im_ke[0].b_len == 64);
	T_ASSERT_RET(msg.im_nid == 2);
	T_ASSERT(msg.im_id[0].id_type == IPSEC_ID_IPV4_ADDR &&
	    msg.im_id[0].id_proto == 17 && msg.im_id[0].id_port == 1701 &&
	    msg.im_id[0].id_blen == 8 &&
	    memcmp(msg.im_id[0].id_data, v4, 4) == 0);
	T_ASSERT(msg.im_id[1].id_type == IPSEC_ID_USER_FQDN &&
	    msg.im_id[1].id_dlen == 13);
	T_ASSERT(msg.im_ncert == 1 && msg.im_cert[0].ce_enc == 4 &&
	    msg.im_cert[0].ce_len == 10);
	T_ASSERT(msg.im_ncr == 1 && msg.im_cr[0].ce_len == 0);
	T_ASSERT(msg.im_nsig == 1 && msg.im_sig[0].b_len == 33);
	T_ASSERT_RET(msg.im_nn == 2);
	T_ASSERT(msg.im_n[0].n_type == IPSEC_N_INITIAL_CONTACT &&
	    msg.im_n[0].n_spisize == 16 &&
	    memcmp(msg.im_n[0].n_spi, ckys, 16) == 0 &&
	    msg.im_n[0].n_dlen == 0);
	T_ASSERT(msg.im_n[1].n_type == DPD_N_R_U_THERE &&
	    msg.im_n[1].n_dlen == 4 && msg.im_n[1].n_data[3] == 0x2a);
	T_ASSERT(msg.im_nd == 1 && msg.im_d[0].d_nspi == 2 &&
	    msg.im_d[0].d_spisize == 4 &&
	    memcmp(msg.im_d[0].d_spis, spis, 8) == 0);
	T_ASSERT(msg.im_nvid == 2 &&
	    isakmp_vid_lookup(msg.im_vid[1].b_data, msg.im_vid[1].b_len) ==
	    ISAKMP_VID_DPD);
	T_ASSERT(msg.im_nnatd == 2 && msg.im_natd[0].b_type == ISAKMP_PL_NATD &&
	    msg.im_natd[1].b_type == ISAKMP_PL_NATD_DRAFT);
	T_ASSERT(msg.im_nnatoa == 2 &&
	    msg.im_natoa[0].oa_pltype == ISAKMP_PL_NATOA &&
	    msg.im_natoa[0].oa_alen == 4 &&
	    memcmp(msg.im_natoa[0].oa_addr, v4, 4) == 0 &&
	    msg.im_natoa[1].oa_idtype == IPSEC_ID_IPV6_ADDR &&
	    msg.im_natoa[1].oa_alen == 16);
}

/* The responder's reply: one proposal, the chosen transform verbatim. */
static void
test_build_sa_reply(void)
{
	static uint8_t		 pl[512], buf[512];
	struct isakmp_hdr	 h;
	struct isakmp_err	 err;
	struct isakmp_prop	 pr, pr2;
	struct isakmp_xform	 xf, xf2;
	struct isakmp_wr	 w;
	struct obuf		 ob;
	struct cur		 c, xc;
	size_t			 len;
	uint8_t			 first;

	len = unhex(cap_qm1_plain, pl, sizeof(pl));
	T_ASSERT_RET(isakmp_parse_payloads(ISAKMP_PL_HASH, pl, len, 16, &msg,
	    &err) == 0);
	isakmp_sa_props(&msg.im_sa[0], &c);
	T_ASSERT_RET(isakmp_prop_next(&c, &pr) == 1);
	isakmp_prop_xforms(&pr, &xc);
	T_ASSERT_RET(isakmp_xform_next(&xc, &xf) == 1);

	memset(&h, 0, sizeof(h));
	h.ih_xchg = ISAKMP_XCHG_QUICK;
	obuf_init(&ob, buf, sizeof(buf));
	isakmp_wr_header(&w, &ob, &h);
	(void)isakmp_build_hash(&w, NULL, 20);
	isakmp_build_sa_reply(&w, ISAKMP_DOI_IPSEC, IPSEC_SIT_IDENTITY_ONLY,
	    &pr, &xf, (const uint8_t *)"\x11\x22\x33\x44", 4);
	isakmp_wr_pad(&w, 16);
	isakmp_wr_finish(&w);
	T_ASSERT_RET(obuf_error(&ob) == 0);
	T_ASSERT((ob.o_len - ISAKMP_HDR_LEN) % 16 == 0);
	first = buf[16];
	T_ASSERT_RET(isakmp_parse_payloads(first, buf + ISAKMP_HDR_LEN,
	    ob.o_len - ISAKMP_HDR_LEN, 16, &msg, &err) == 0);
	isakmp_sa_props(&msg.im_sa[0], &c);
	T_ASSERT_RET(isakmp_prop_next(&c, &pr2) == 1);
	T_ASSERT(pr2.pr_num == pr.pr_num && pr2.pr_proto == pr.pr_proto &&
	    pr2.pr_nxforms == 1 && memcmp(pr2.pr_spi, "\x11\x22\x33\x44",
	    4) == 0);
	isakmp_prop_xforms(&pr2, &xc);
	T_ASSERT_RET(isakmp_xform_next(&xc, &xf2) == 1);
	T_ASSERT(xf2.xf_len == xf.xf_len && xf2.xf_hdr[0] == 0 &&
	    memcmp(xf2.xf_hdr + 1, xf.xf_hdr + 1, xf.xf_len - 1) == 0);
	/* Phase 1: no SPI. */
	obuf_init(&ob, buf, sizeof(buf));
	isakmp_wr_header(&w, &ob, &h);
	isakmp_build_sa_reply(&w, ISAKMP_DOI_IPSEC, IPSEC_SIT_IDENTITY_ONLY,
	    &pr, &xf, NULL, 0);
	isakmp_wr_finish(&w);
	T_ASSERT(obuf_error(&ob) == 0 && buf[16] == ISAKMP_PL_SA &&
	    buf[ISAKMP_HDR_LEN + 4 + 8 + 6] == 0);
}

static void
test_build_errors(void)
{
	uint8_t			 buf[64], big[300];
	struct isakmp_hdr	 h;
	struct isakmp_wr	 w;
	struct obuf		 ob;

	memset(&h, 0, sizeof(h));
	memset(big, 0, sizeof(big));
	obuf_init(&ob, buf, sizeof(buf));
	isakmp_wr_header(&w, &ob, &h);
	isakmp_build_nonce(&w, big, 40);	/* does not fit */
	isakmp_wr_finish(&w);
	T_ASSERT(obuf_error(&ob) == -1);
#define BUILD_FAILS(stmt) do {						\
	obuf_init(&ob, buf, sizeof(buf));				\
	isakmp_wr_header(&w, &ob, &h);					\
	stmt;								\
	T_ASSERT(obuf_error(&ob) == -1);				\
} while (0)
	BUILD_FAILS(isakmp_build_nonce(&w, big, 7));
	BUILD_FAILS(isakmp_build_nonce(&w, big, 257));
	BUILD_FAILS(isakmp_build_delete(&w, 1, 3, 4, 0, big));
	BUILD_FAILS(isakmp_build_delete(&w, 1, 3, 0, 1, big));
	BUILD_FAILS(isakmp_build_natoa(&w, ISAKMP_PL_NATOA,
	    IPSEC_ID_IPV4_ADDR, big, 16));
	BUILD_FAILS(isakmp_build_natoa(&w, ISAKMP_PL_NATD,
	    IPSEC_ID_IPV4_ADDR, big, 4));
	BUILD_FAILS(isakmp_build_natd(&w, ISAKMP_PL_NATOA, big, 20));
	BUILD_FAILS(isakmp_build_cert(&w, ISAKMP_PL_SIG, 4, big, 4));
	BUILD_FAILS(isakmp_build_vid_known(&w, ISAKMP_VID_UNKNOWN));
#undef BUILD_FAILS
}

/* Attribute encodings (RFC 2409 Appendix A, RFC 2407 4.5). */
static void
test_attrs(void)
{
	static const struct {
		const char	*hex;
		int		 ok;
		uint64_t	 v;
	} tv[] = {
		{ "800b0001", 1, 1 },			/* TV */
		{ "000c000101", 1, 1 },			/* TLV, 1 octet */
		{ "000c000200ff", 1, 255 },
		{ "000c0003015180", 1, 86400 },
		{ "000c000400015180", 1, 86400 },
		{ "000c00080102030405060708", 1, 0x0102030405060708ULL },
		{ "000c0009000102030405060708", 1, 0x0102030405060708ULL },
		{ "000c0009010203040506070809", 0, 0 },	/* 72 bits */
		{ "000c0000", 0, 0 },			/* empty */
	};
	struct isakmp_attr	 at;
	struct cur		 c;
	uint8_t			 b[32];
	uint64_t		 v;
	size_t			 i, n;

	for (i = 0; i < sizeof(tv) / sizeof(tv[0]); i++) {
		n = unhex(tv[i].hex, b, sizeof(b));
		cur_init(&c, b, n);
		T_ASSERT_RET(isakmp_attr_next(&c, &at) == 1);
		T_ASSERT(at.at_type == (i == 0 ? 11 : 12));
		if (tv[i].ok)
			T_ASSERT(isakmp_attr_uint(&at, &v) == 0 &&
			    v == tv[i].v);
		else
			T_ASSERT(isakmp_attr_uint(&at, &v) == -1);
		T_ASSERT(cur_left(&c) == 0);
	}
	/* A TLV overrunning what is there, and a lone half attribute. */
	n = unhex("000c0005010203", b, sizeof(b));
	cur_init(&c, b, n);
	T_ASSERT(isakmp_attr_next(&c, &at) == -1);
	n = unhex("800b", b, sizeof(b));
	cur_init(&c, b, n);
	T_ASSERT(isakmp_attr_next(&c, &at) == -1);
	cur_init(&c, b, 3);
	T_ASSERT(isakmp_attr_next(&c, &at) == -1);
}

/*
 * A good SA payload body with two proposals (the first with two
 * transforms, the second with one), mutated one field at a time.
 */
static const char good_sa[] =
    "00000001" "00000001"				/* DOI, SIT */
    "0200" "0028" "01" "03" "04" "02" "cafebabe"	/* P1, 40 */
    "0300" "000c" "01" "0c" "0000" "800e0080"		/* T1, 12 */
    "0000" "0010" "02" "03" "0000" "80040002" "80050002"	/* T2, 16 */
    "0000" "0018" "02" "03" "04" "01" "cafebabe"	/* P2, 24 */
    "0000" "000c" "01" "0c" "0000" "800e0100";		/* T1, 12 */

#define SA_P1		8
#define SA_P1_T1	(SA_P1 + 12)
#define SA_P1_T2	(SA_P1_T1 + 12)
#define SA_P2		(SA_P1 + 40)
#define SA_P2_T1	(SA_P2 + 12)
#define SA_LEN		(SA_P2 + 24)

static int
sa_fails(const uint8_t *body, size_t len, uint16_t notify)
{
	uint8_t		 pl[256];
	struct obuf	 ob;

	obuf_init(&ob, pl, sizeof(pl));
	put_pl(&ob, 0, body, len);
	return (chain_fails(ISAKMP_PL_SA, pl, ob.o_len, notify));
}

static int
sa_parses(const uint8_t *body, size_t len)
{
	uint8_t		 pl[256];
	struct obuf	 ob;

	obuf_init(&ob, pl, sizeof(pl));
	put_pl(&ob, 0, body, len);
	return (chain_parses(ISAKMP_PL_SA, pl, ob.o_len));
}

static void
test_sa_malformed(void)
{
	uint8_t		 g[128], b[128];
	size_t		 len, k;
	int		 bad = 0;

#define FRESH()	memcpy(b, g, len)
	len = unhex(good_sa, g, sizeof(g));
	T_ASSERT_RET(len == SA_LEN);
	T_ASSERT_RET(sa_parses(g, len));
	T_ASSERT(msg.im_sa[0].sa_nprops == 2);

	/* Truncated anywhere: the SA's own length shrinks with it. */
	for (k = 0; k < len; k++)
		if (!sa_fails(g, k, k < 8 ? ISAKMP_N_PAYLOAD_MALFORMED :
		    ISAKMP_N_BAD_PROPOSAL_SYNTAX))
			bad++;
	T_ASSERT(bad == 0);

	FRESH();
	b[3] = 0;					/* DOI 0 */
	T_ASSERT(sa_fails(b, len, ISAKMP_N_DOI_NOT_SUPPORTED));
	b[3] = 2;
	T_ASSERT(sa_fails(b, len, ISAKMP_N_DOI_NOT_SUPPORTED));
	FRESH();
	b[7] = IPSEC_SIT_SECRECY;
	T_ASSERT(sa_fails(b, len, ISAKMP_N_SITUATION_NOT_SUPPORTED));
	b[7] = IPSEC_SIT_IDENTITY_ONLY | IPSEC_SIT_INTEGRITY;
	T_ASSERT(sa_fails(b, len, ISAKMP_N_SITUATION_NOT_SUPPORTED));
	/* DOI and situation only: no proposal. */
	T_ASSERT(sa_fails(g, 8, ISAKMP_N_BAD_PROPOSAL_SYNTAX));

	/* Proposal lengths: past the SA, below the fixed fields, below 4. */
	FRESH();
	b[SA_P2 + 3] = 0x19;
	T_ASSERT(sa_fails(b, len, ISAKMP_N_BAD_PROPOSAL_SYNTAX));
	FRESH();
	b[SA_P1 + 3] = 0x29;				/* eats P2's byte */
	T_ASSERT(sa_fails(b, len, ISAKMP_N_BAD_PROPOSAL_SYNTAX));
	FRESH();
	b[SA_P2 + 3] = 7;
	T_ASSERT(sa_fails(b, len, ISAKMP_N_BAD_PROPOSAL_SYNTAX));
	b[SA_P2 + 3] = 3;
	T_ASSERT(sa_fails(b, len, ISAKMP_N_BAD_PROPOSAL_SYNTAX));
	/* SPI size past the proposal. */
	FRESH();
	b[SA_P2 + 3] = 8 + 3;
	T_ASSERT(sa_fails(b, SA_P2 + 11, ISAKMP_N_BAD_PROPOSAL_SYNTAX));

	/* Transform count lies, both ways. */
	FRESH();
	b[SA_P1 + 7] = 3;
	T_ASSERT(sa_fails(b, len, ISAKMP_N_BAD_PROPOSAL_SYNTAX));
	FRESH();
	b[SA_P1 + 7] = 1;
	T_ASSERT(sa_fails(b, len, ISAKMP_N_BAD_PROPOSAL_SYNTAX));
	FRESH();
	b[SA_P1 + 7] = 0;
	T_ASSERT(sa_fails(b, len, ISAKMP_N_BAD_PROPOSAL_SYNTAX));
	/* The last transform says another follows; a middle one says not. */
	FRESH();
	b[SA_P1_T2] = ISAKMP_PL_T;
	T_ASSERT(sa_fails(b, len, ISAKMP_N_BAD_PROPOSAL_SYNTAX));
	FRESH();
	b[SA_P1_T1] = ISAKMP_PL_NONE;
	T_ASSERT(sa_fails(b, len, ISAKMP_N_BAD_PROPOSAL_SYNTAX));
	/* Transform length past its proposal, or short of its fields. */
	FRESH();
	b[SA_P1_T2 + 3] = 0x14;
	T_ASSERT(sa_fails(b, len, ISAKMP_N_BAD_PROPOSAL_SYNTAX));
	FRESH();
	b[SA_P1_T1 + 3] = 7;
	T_ASSERT(sa_fails(b, len, ISAKMP_N_BAD_PROPOSAL_SYNTAX));
	/* An attribute TLV overrunning its transform. */
	FRESH();
	b[SA_P1_T1 + 8] = 0x00;				/* AF=0 */
	b[SA_P1_T1 + 10] = 0x00;
	b[SA_P1_T1 + 11] = 0x01;			/* 1 byte, none left */
	T_ASSERT(sa_fails(b, len, ISAKMP_N_BAD_PROPOSAL_SYNTAX));
	/* Half an attribute: transform two bytes shorter, P1 too. */
	FRESH();
	b[SA_P1_T1 + 11] = 0x80;
	b[SA_P1_T1 + 3] = 10;
	memmove(b + SA_P1_T1 + 10, b + SA_P1_T1 + 12, len - SA_P1_T1 - 12);
	b[SA_P1 + 3] = 38;
	T_ASSERT(sa_fails(b, len - 2, ISAKMP_N_BAD_PROPOSAL_SYNTAX));
	/* And a TLV that fills the transform exactly is fine. */
	FRESH();
	b[SA_P1_T1 + 8] = 0x00;
	b[SA_P1_T1 + 10] = 0x00;
	b[SA_P1_T1 + 11] = 0x00;
	T_ASSERT(sa_parses(b, len));

	/* Numbering (RFC 2408 4.2). */
	FRESH();
	b[SA_P2 + 4] = 1;				/* 1, 1: an AND */
	T_ASSERT(sa_parses(b, len));
	b[SA_P1 + 4] = 3;				/* 3, 1: down */
	T_ASSERT(sa_fails(b, len, ISAKMP_N_BAD_PROPOSAL_SYNTAX));
	FRESH();
	b[SA_P1_T2 + 4] = 1;				/* 1, 1 */
	T_ASSERT(sa_fails(b, len, ISAKMP_N_BAD_PROPOSAL_SYNTAX));
	b[SA_P1_T1 + 4] = 2;				/* 2, 1 */
	T_ASSERT(sa_fails(b, len, ISAKMP_N_BAD_PROPOSAL_SYNTAX));

	/* Proposal chain: the last points on, a middle one ends, or 3. */
	FRESH();
	b[SA_P2] = ISAKMP_PL_P;
	T_ASSERT(sa_fails(b, len, ISAKMP_N_BAD_PROPOSAL_SYNTAX));
	FRESH();
	b[SA_P1] = ISAKMP_PL_NONE;
	T_ASSERT(sa_fails(b, len, ISAKMP_N_BAD_PROPOSAL_SYNTAX));
	FRESH();
	b[SA_P1] = ISAKMP_PL_T;
	T_ASSERT(sa_fails(b, len, ISAKMP_N_BAD_PROPOSAL_SYNTAX));
	/* RESERVED of a proposal or transform header (RFC 2408 5.3). */
	FRESH();
	b[SA_P2 + 1] = 1;
	T_ASSERT(sa_fails(b, len, ISAKMP_N_BAD_PROPOSAL_SYNTAX));
	FRESH();
	b[SA_P2_T1 + 1] = 0x80;
	T_ASSERT(sa_fails(b, len, ISAKMP_N_BAD_PROPOSAL_SYNTAX));

	/* SPI sizes: ESP 4 only; ISAKMP up to 16. */
	FRESH();
	b[SA_P2 + 6] = 0;
	b[SA_P2 + 3] = 20;
	memcpy(b + SA_P2 + 8, g + SA_P2_T1, 12);
	T_ASSERT(sa_fails(b, len - 4, ISAKMP_N_INVALID_SPI));
	b[SA_P2 + 5] = ISAKMP_PROTO_ISAKMP;
	T_ASSERT(sa_parses(b, len - 4));
	b[SA_P2 + 5] = ISAKMP_PROTO_AH;
	T_ASSERT(sa_fails(b, len - 4, ISAKMP_N_INVALID_SPI));
#undef FRESH
}

/* Generic payload lengths and the payload chain. */
static void
test_chain_malformed(void)
{
	uint8_t		 pl[2048], nonce[300];
	struct obuf	 ob;
	size_t		 i;

	memset(nonce, 0x5a, sizeof(nonce));
	/* A VID whose length is below 4, exactly 4, past the end. */
	obuf_init(&ob, pl, sizeof(pl));
	put_pl(&ob, 0, nonce, 16);
	pl[3] = 3;
	T_ASSERT(chain_fails(ISAKMP_PL_VID, pl, ob.o_len,
	    ISAKMP_N_PAYLOAD_MALFORMED));
	pl[3] = 4;				/* empty VID */
	T_ASSERT(chain_fails(ISAKMP_PL_VID, pl, 4,
	    ISAKMP_N_PAYLOAD_MALFORMED));
	pl[3] = 21;
	T_ASSERT(chain_fails(ISAKMP_PL_VID, pl, ob.o_len,
	    ISAKMP_N_PAYLOAD_MALFORMED));
	pl[3] = 20;
	T_ASSERT(chain_parses(ISAKMP_PL_VID, pl, ob.o_len));
	pl[1] = 1;				/* RESERVED */
	T_ASSERT(chain_fails(ISAKMP_PL_VID, pl, ob.o_len,
	    ISAKMP_N_PAYLOAD_MALFORMED));
	pl[1] = 0;
	/* Trailing bytes: up to the allowed padding, no more. */
	T_ASSERT(chain_fails(ISAKMP_PL_VID, pl, ob.o_len + 1,
	    ISAKMP_N_PAYLOAD_MALFORMED));
	T_ASSERT(isakmp_parse_payloads(ISAKMP_PL_VID, pl, ob.o_len + 3,
	    ISAKMP_PAD_PLAIN, &msg, NULL) == 0 && msg.im_pad == 3);
	T_ASSERT(isakmp_parse_payloads(ISAKMP_PL_VID, pl, ob.o_len + 4,
	    ISAKMP_PAD_PLAIN, &msg, NULL) == -1);
	/* The same through the whole-datagram parser; offsets from byte 0. */
	{
		uint8_t			 m[128];
		struct isakmp_hdr	 h;
		struct isakmp_err	 err;
		size_t			 n;

		n = mkmsg(m, sizeof(m), ISAKMP_PL_VID, pl, ob.o_len + 3);
		T_ASSERT(n != 0 && isakmp_parse(m, n, &h, &msg, &err) == 0);
		n = mkmsg(m, sizeof(m), ISAKMP_PL_VID, pl, ob.o_len + 4);
		T_ASSERT(n != 0 && isakmp_parse(m, n, &h, &msg, &err) == -1 &&
		    err.ie_off == ISAKMP_HDR_LEN + 20);
		n = mkmsg(m, sizeof(m), 14, pl, ob.o_len);
		T_ASSERT(n != 0 && isakmp_parse(m, n, &h, &msg, &err) == -1 &&
		    err.ie_notify == ISAKMP_N_INVALID_PAYLOAD_TYPE &&
		    err.ie_pltype == 14 && err.ie_off == ISAKMP_HDR_LEN);
	}
	/* The chain names a next payload that is not there. */
	pl[0] = ISAKMP_PL_VID;
	T_ASSERT(chain_fails(ISAKMP_PL_VID, pl, ob.o_len,
	    ISAKMP_N_PAYLOAD_MALFORMED));
	/* No payload at all. */
	T_ASSERT(chain_fails(ISAKMP_PL_NONE, pl, 0,
	    ISAKMP_N_PAYLOAD_MALFORMED));

	/* Unknown and misplaced types: INVALID-PAYLOAD-TYPE, named. */
	{
		static const uint8_t unknown[] = { ISAKMP_PL_P, ISAKMP_PL_T,
		    14, 19, 22, 33, 128, 129, 132, 255 };

		for (i = 0; i < sizeof(unknown); i++) {
			struct isakmp_err err;

			obuf_init(&ob, pl, sizeof(pl));
			put_pl(&ob, unknown[i], nonce, 16);
			put_pl(&ob, 0, nonce, 16);
			T_ASSERT(isakmp_parse_payloads(ISAKMP_PL_VID, pl,
			    ob.o_len, 0, &msg, &err) == -1 &&
			    err.ie_notify == ISAKMP_N_INVALID_PAYLOAD_TYPE &&
			    err.ie_pltype == unknown[i] && err.ie_off == 20);
		}
	}

	/*
	 * A chain that never ends in 0 ends with the bytes: N payloads
	 * naming N as next hit the bound on notifies first.
	 */
	obuf_init(&ob, pl, sizeof(pl));
	for (i = 0; i < 30; i++)
		put_pl(&ob, ISAKMP_PL_N, "\0\0\0\1\1\0\0\x0e", 8);
	T_ASSERT(chain_fails(ISAKMP_PL_N, pl, ob.o_len,
	    ISAKMP_N_PAYLOAD_MALFORMED));
	/* Too many of one kind. */
	obuf_init(&ob, pl, sizeof(pl));
	for (i = 0; i < ISAKMP_MAX_VID; i++)
		put_pl(&ob, ISAKMP_PL_VID, nonce, 16);
	put_pl(&ob, 0, nonce, 16);
	T_ASSERT(chain_fails(ISAKMP_PL_VID, pl, ob.o_len,
	    ISAKMP_N_PAYLOAD_MALFORMED));
	T_ASSERT(chain_parses(ISAKMP_PL_VID, pl + 20, ob.o_len - 20) &&
	    msg.im_nvid == ISAKMP_MAX_VID);
	obuf_init(&ob, pl, sizeof(pl));
	put_pl(&ob, ISAKMP_PL_KE, nonce, 64);
	put_pl(&ob, 0, nonce, 64);
	T_ASSERT(chain_fails(ISAKMP_PL_KE, pl, ob.o_len,
	    ISAKMP_N_PAYLOAD_MALFORMED));
	obuf_init(&ob, pl, sizeof(pl));
	put_pl(&ob, ISAKMP_PL_NONCE, nonce, 16);
	put_pl(&ob, 0, nonce, 16);
	T_ASSERT(chain_fails(ISAKMP_PL_NONCE, pl, ob.o_len,
	    ISAKMP_N_PAYLOAD_MALFORMED));
	obuf_init(&ob, pl, sizeof(pl));
	put_pl(&ob, ISAKMP_PL_HASH, nonce, 20);
	put_pl(&ob, 0, nonce, 20);
	T_ASSERT(chain_fails(ISAKMP_PL_HASH, pl, ob.o_len,
	    ISAKMP_N_PAYLOAD_MALFORMED));
	/*
	 * More payloads than the message can hold, though each kind stays
	 * within its own bound; one fewer parses.
	 */
	{
		static const struct {
			uint8_t		 type;
			size_t		 n;
			const char	*body;
			size_t		 len;
		} kinds[] = {
			{ ISAKMP_PL_VID, ISAKMP_MAX_VID, "vid!", 4 },
			{ ISAKMP_PL_N, ISAKMP_MAX_N, "\0\0\0\1\1\0\0\x0e", 8 },
			{ ISAKMP_PL_CERT, ISAKMP_MAX_CERT, "\4\1", 2 },
			{ ISAKMP_PL_CR, ISAKMP_MAX_CR, "\4", 1 },
			{ ISAKMP_PL_NATD, ISAKMP_MAX_NATD, "natd", 4 },
			{ ISAKMP_PL_D, ISAKMP_MAX_D,
			  "\0\0\0\1\3\4\0\1\1\2\3\4", 12 },
			{ ISAKMP_PL_NONCE, 1, "12345678", 8 },
		};
		uint8_t		 types[64];
		const char	*bodies[64];
		size_t		 lens[64], n = 0, k, j;

		for (k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++)
			for (j = 0; j < kinds[k].n && n < 64; j++) {
				types[n] = kinds[k].type;
				bodies[n] = kinds[k].body;
				lens[n++] = kinds[k].len;
			}
		T_ASSERT_RET(n == ISAKMP_MAX_PAYLOADS + 1);
		obuf_init(&ob, pl, sizeof(pl));
		for (k = 0; k < n; k++)
			put_pl(&ob, k + 1 < n ? types[k + 1] : 0, bodies[k],
			    lens[k]);
		T_ASSERT(chain_fails(types[0], pl, ob.o_len,
		    ISAKMP_N_PAYLOAD_MALFORMED));
		/* Without the first VID: 40 payloads, fine. */
		T_ASSERT(chain_parses(types[1], pl + 8, ob.o_len - 8) &&
		    msg.im_npl == ISAKMP_MAX_PAYLOADS &&
		    msg.im_nvid == ISAKMP_MAX_VID - 1 &&
		    msg.im_nd == ISAKMP_MAX_D && msg.im_nnonce == 1);
	}
	T_ASSERT(strcmp(isakmp_payload_name(ISAKMP_PL_NATD), "NAT-D") == 0);
}

/* Each payload's own fields. */
static void
test_payload_bodies(void)
{
	uint8_t		 pl[512], body[300];
	struct obuf	 ob;

#define ONE(type, hex, want) do {					\
	size_t	 n_ = unhex((hex), body, sizeof(body));			\
	obuf_init(&ob, pl, sizeof(pl));					\
	put_pl(&ob, 0, body, n_);					\
	if ((want) == 0)						\
		T_ASSERT(chain_parses((type), pl, ob.o_len));		\
	else								\
		T_ASSERT(chain_fails((type), pl, ob.o_len, (want)));	\
} while (0)
	/* Delete: # of SPIs times SPI Size is the rest, exactly. */
	ONE(ISAKMP_PL_D, "00000001" "03" "04" "0002" "0102030405060708", 0);
	T_ASSERT(msg.im_nd == 1 && msg.im_d[0].d_nspi == 2);
	ONE(ISAKMP_PL_D, "00000001" "03" "04" "0002" "01020304050607",
	    ISAKMP_N_PAYLOAD_MALFORMED);
	ONE(ISAKMP_PL_D, "00000001" "03" "04" "0002" "010203040506070809",
	    ISAKMP_N_PAYLOAD_MALFORMED);
	ONE(ISAKMP_PL_D, "00000001" "03" "04" "0003" "0102030405060708",
	    ISAKMP_N_PAYLOAD_MALFORMED);
	ONE(ISAKMP_PL_D, "00000001" "03" "04" "0000" "",
	    ISAKMP_N_PAYLOAD_MALFORMED);
	ONE(ISAKMP_PL_D, "00000001" "03" "00" "0005" "",
	    ISAKMP_N_PAYLOAD_MALFORMED);
	ONE(ISAKMP_PL_D, "00000001" "03" "04", ISAKMP_N_PAYLOAD_MALFORMED);
	ONE(ISAKMP_PL_D, "00000001" "01" "10" "0001"
	    "0102030405060708090a0b0c0d0e0f10", 0);
	T_ASSERT(msg.im_d[0].d_proto == ISAKMP_PROTO_ISAKMP &&
	    msg.im_d[0].d_spisize == 16);
	/* Notify: the SPI size must fit; the rest is data. */
	ONE(ISAKMP_PL_N, "00000001" "01" "10" "8d28"
	    "0102030405060708090a0b0c0d0e0f10" "0000002a", 0);
	T_ASSERT(msg.im_n[0].n_type == DPD_N_R_U_THERE &&
	    msg.im_n[0].n_dlen == 4);
	ONE(ISAKMP_PL_N, "00000001" "01" "10" "6002" "0102030405060708",
	    ISAKMP_N_PAYLOAD_MALFORMED);
	ONE(ISAKMP_PL_N, "00000001" "01" "00", ISAKMP_N_PAYLOAD_MALFORMED);
	/* ID: address types have their exact length. */
	ONE(ISAKMP_PL_ID, "01" "11" "06a5" "c0000201", 0);
	ONE(ISAKMP_PL_ID, "01" "11" "06a5" "c00002",
	    ISAKMP_N_INVALID_ID_INFORMATION);
	ONE(ISAKMP_PL_ID, "01" "11" "06a5" "c000020101",
	    ISAKMP_N_INVALID_ID_INFORMATION);
	ONE(ISAKMP_PL_ID, "04" "00" "0000" "c0000200ffffff00", 0);
	ONE(ISAKMP_PL_ID, "07" "00" "0000" "c0000200c00002",
	    ISAKMP_N_INVALID_ID_INFORMATION);
	ONE(ISAKMP_PL_ID, "05" "00" "0000" "20010db8000000000000000000000001",
	    0);
	ONE(ISAKMP_PL_ID, "05" "00" "0000" "20010db80000000000000000000000",
	    ISAKMP_N_INVALID_ID_INFORMATION);
	ONE(ISAKMP_PL_ID, "02" "00" "0000" "", ISAKMP_N_INVALID_ID_INFORMATION);
	ONE(ISAKMP_PL_ID, "02" "00" "0000" "766f6e", 0);
	ONE(ISAKMP_PL_ID, "00" "00" "0000" "c0000201",
	    ISAKMP_N_INVALID_ID_INFORMATION);
	ONE(ISAKMP_PL_ID, "0c" "00" "0000" "c0000201",
	    ISAKMP_N_INVALID_ID_INFORMATION);
	ONE(ISAKMP_PL_ID, "01" "11" "06", ISAKMP_N_PAYLOAD_MALFORMED);
	/* NONCE: 8 to 256 bytes (RFC 2409 5). */
	{
		size_t	 n;

		memset(body, 0x33, sizeof(body));
		for (n = 6; n <= 258; n++) {
			obuf_init(&ob, pl, sizeof(pl));
			put_pl(&ob, 0, body, n);
			if (n >= 8 && n <= 256)
				T_ASSERT(chain_parses(ISAKMP_PL_NONCE, pl,
				    ob.o_len));
			else
				T_ASSERT(chain_fails(ISAKMP_PL_NONCE, pl,
				    ob.o_len, ISAKMP_N_PAYLOAD_MALFORMED));
		}
	}
	/* Empty bodies where there must be something. */
	ONE(ISAKMP_PL_KE, "", ISAKMP_N_PAYLOAD_MALFORMED);
	ONE(ISAKMP_PL_HASH, "", ISAKMP_N_PAYLOAD_MALFORMED);
	ONE(ISAKMP_PL_SIG, "", ISAKMP_N_PAYLOAD_MALFORMED);
	ONE(ISAKMP_PL_NATD, "", ISAKMP_N_PAYLOAD_MALFORMED);
	ONE(ISAKMP_PL_NATD_DRAFT, "", ISAKMP_N_PAYLOAD_MALFORMED);
	ONE(ISAKMP_PL_CERT, "", ISAKMP_N_PAYLOAD_MALFORMED);
	ONE(ISAKMP_PL_CERT, "04", ISAKMP_N_PAYLOAD_MALFORMED);
	ONE(ISAKMP_PL_CR, "", ISAKMP_N_PAYLOAD_MALFORMED);
	ONE(ISAKMP_PL_CR, "04", 0);
	ONE(ISAKMP_PL_SA, "000000", ISAKMP_N_PAYLOAD_MALFORMED);
	/* NAT-OA: one IPv4 or IPv6 address after ID type and RESERVED. */
	ONE(ISAKMP_PL_NATOA, "01000000" "c0000201", 0);
	ONE(ISAKMP_PL_NATOA_DRAFT, "05000000"
	    "20010db8000000000000000000000001", 0);
	T_ASSERT(msg.im_natoa[0].oa_pltype == ISAKMP_PL_NATOA_DRAFT);
	ONE(ISAKMP_PL_NATOA, "01000000" "20010db8000000000000000000000001",
	    ISAKMP_N_PAYLOAD_MALFORMED);
	ONE(ISAKMP_PL_NATOA, "05000000" "c0000201", ISAKMP_N_PAYLOAD_MALFORMED);
	ONE(ISAKMP_PL_NATOA, "02000000" "766f6e", ISAKMP_N_PAYLOAD_MALFORMED);
	ONE(ISAKMP_PL_NATOA, "010000", ISAKMP_N_PAYLOAD_MALFORMED);
#undef ONE
}

/*
 * Vendor IDs: RFC 3947 3.1 prints its own, RFC 3706 5.1 DPD's; the
 * draft ones are MD5 of the draft names, which we recompute.
 */
static void
test_vid(void)
{
	static const struct {
		enum isakmp_vid	 v;
		const char	*hex, *md5of;
	} tv[] = {
		{ ISAKMP_VID_NATT_RFC3947, "4a131c81070358455c5728f20e95452f",
		  "RFC 3947" },
		{ ISAKMP_VID_NATT_DRAFT02, "cd60464335df21f87cfdb2fc68b6a448",
		  "draft-ietf-ipsec-nat-t-ike-02" },
		{ ISAKMP_VID_NATT_DRAFT02N, "90cb80913ebb696e086381b5ec427b1f",
		  "draft-ietf-ipsec-nat-t-ike-02\n" },
		{ ISAKMP_VID_NATT_DRAFT03, "7d9419a65310ca6f2c179d9215529d56",
		  "draft-ietf-ipsec-nat-t-ike-03" },
		{ ISAKMP_VID_DPD, "afcad71368a1f1c96b8696fc77570100", NULL },
	};
	/* RFC 3706 5.1: HASHED_VENDOR_ID, then major 1 and minor 0. */
	static const uint8_t dpd[16] = { 0xAF, 0xCA, 0xD7, 0x13, 0x68, 0xA1,
	    0xF1, 0xC9, 0x6B, 0x86, 0x96, 0xFC, 0x77, 0x57, 1, 0 };
	uint8_t		 b[16], md[EVP_MAX_MD_SIZE];
	const uint8_t	*p;
	unsigned int	 mdlen;
	size_t		 i, len;

	for (i = 0; i < sizeof(tv) / sizeof(tv[0]); i++) {
		T_ASSERT(unhex(tv[i].hex, b, sizeof(b)) == 16);
		T_ASSERT(isakmp_vid_lookup(b, 16) == tv[i].v);
		T_ASSERT(isakmp_vid_lookup(b, 15) == ISAKMP_VID_UNKNOWN);
		p = isakmp_vid_bytes(tv[i].v, &len);
		T_ASSERT(p != NULL && len == 16 && memcmp(p, b, 16) == 0);
		T_ASSERT(strcmp(isakmp_vid_name(tv[i].v), "UNKNOWN") != 0);
		if (tv[i].md5of == NULL)
			continue;
		T_ASSERT(EVP_Digest(tv[i].md5of, strlen(tv[i].md5of), md,
		    &mdlen, EVP_md5(), NULL) == 1 && mdlen == 16 &&
		    memcmp(md, b, 16) == 0);
	}
	T_ASSERT(isakmp_vid_lookup(dpd, 16) == ISAKMP_VID_DPD);
	b[15] ^= 1;
	T_ASSERT(isakmp_vid_lookup(b, 16) == ISAKMP_VID_UNKNOWN);
	T_ASSERT(isakmp_vid_bytes(ISAKMP_VID_UNKNOWN, &len) == NULL &&
	    len == 0);
	T_ASSERT(strcmp(isakmp_vid_name(ISAKMP_VID_MAX), "UNKNOWN") == 0);
}

static void
test_names(void)
{
	T_ASSERT(strcmp(isakmp_payload_name(ISAKMP_PL_SA), "SA") == 0);
	T_ASSERT(strcmp(isakmp_payload_name(99), "UNKNOWN") == 0);
	T_ASSERT(strcmp(isakmp_xchg_name(ISAKMP_XCHG_IDPROT),
	    "MAIN_MODE") == 0);
	T_ASSERT(strcmp(isakmp_xchg_name(ISAKMP_XCHG_QUICK),
	    "QUICK_MODE") == 0);
	T_ASSERT(strcmp(isakmp_notify_name(IPSEC_N_INITIAL_CONTACT),
	    "INITIAL-CONTACT") == 0);
	T_ASSERT(strcmp(isakmp_notify_name(DPD_N_R_U_THERE_ACK),
	    "R-U-THERE-ACK") == 0);
	T_ASSERT(strcmp(isakmp_notify_name(30), "UNEQUAL-PAYLOAD-LENGTHS") ==
	    0);
	T_ASSERT(strcmp(isakmp_notify_name(31), "UNKNOWN") == 0);
	T_ASSERT(strcmp(isakmp_proto_name(ISAKMP_PROTO_ESP), "ESP") == 0);
	T_ASSERT(strcmp(isakmp_id_name(IPSEC_ID_KEY_ID), "ID_KEY_ID") == 0);
	T_ASSERT(strcmp(isakmp_cert_name(4), "X509_SIG") == 0);
	T_ASSERT(strcmp(ike_attr_name(IKE_ATTR_LIFE_DUR), "LIFE_DURATION") ==
	    0);
	T_ASSERT(strcmp(ike_encr_name(IKE_ENCR_AES), "AES-CBC") == 0);
	T_ASSERT(strcmp(ike_hash_name(IKE_HASH_SHA2_384), "SHA2-384") == 0);
	T_ASSERT(strcmp(ike_auth_name(IKE_AUTH_PSK), "PSK") == 0);
	T_ASSERT(strcmp(ike_group_name(IKE_GROUP_ECP384), "ECP384") == 0);
	T_ASSERT(strcmp(ipsec_attr_name(IPSEC_ATTR_ENCAP_MODE),
	    "ENCAPSULATION_MODE") == 0);
	T_ASSERT(strcmp(ipsec_encap_name(IPSEC_ENCAP_UDP_TRANSPORT_DRAFT),
	    "UDP_TRANSPORT(draft)") == 0);
	T_ASSERT(strcmp(ipsec_auth_name(IPSEC_AUTH_HMAC_SHA2_512),
	    "HMAC-SHA2-512") == 0);
	T_ASSERT(strcmp(esp_xform_name(ESP_XF_AES), "ESP_AES") == 0);
}

int
main(void)
{
	T_RUN(test_captured_mm1);
	T_RUN(test_captured_mm3);
	T_RUN(test_captured_qm1);
	T_RUN(test_captured_info);
	T_RUN(test_truncation);
	T_RUN(test_header);
	T_RUN(test_build_roundtrip);
	T_RUN(test_build_sa_reply);
	T_RUN(test_build_errors);
	T_RUN(test_attrs);
	T_RUN(test_sa_malformed);
	T_RUN(test_chain_malformed);
	T_RUN(test_payload_bodies);
	T_RUN(test_vid);
	T_RUN(test_names);
	return (T_DONE());
}
