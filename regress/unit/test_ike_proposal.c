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

#include "common/cursor.h"
#include "ike/ike.h"
#include "ike/ike_crypto.h"
#include "ike/isakmp_parse.h"
#include "test.h"

T_DEFINE_GLOBALS;

/*
 * Proposal matching (ike/proposal.c): hand-built SA payloads of the
 * kinds L2TP/IPsec clients send, against configs as the parent pushes
 * them.  Our order of preference wins over the peer's; legacy suites
 * need `legacy yes` and the log line says so; ESP is transport mode
 * only, UDP-encapsulated exactly when the IKE SA floated to 4500.
 */

#define MAXX	16

struct xf {
	uint8_t		 id;
	size_t		 n;
	struct isakmp_attr_desc a[ISAKMP_DESC_MAX_ATTRS];
};

struct pr {
	uint8_t		 num;
	uint8_t		 proto;
	size_t		 nx;
	struct xf	 x[MAXX];
};

static uint8_t		 msgbuf[4096];
static struct isakmp_msg msg;

static void
xf_attr(struct xf *x, uint16_t type, uint64_t val)
{
	x->a[x->n].ad_type = type;
	x->a[x->n].ad_val = val;
	x->n++;
}

/* A phase 1 transform: encr, key bits (0: none), hash, group, auth. */
static struct xf
p1xf(uint16_t encr, uint16_t bits, uint16_t hash, uint16_t group,
    uint16_t auth)
{
	struct xf	 x;

	memset(&x, 0, sizeof(x));
	x.id = ISAKMP_XF_KEY_IKE;
	xf_attr(&x, IKE_ATTR_ENCR, encr);
	if (bits)
		xf_attr(&x, IKE_ATTR_KEY_LEN, bits);
	xf_attr(&x, IKE_ATTR_HASH, hash);
	xf_attr(&x, IKE_ATTR_AUTH, auth);
	xf_attr(&x, IKE_ATTR_GROUP_DESC, group);
	xf_attr(&x, IKE_ATTR_LIFE_TYPE, IKE_LIFE_SECONDS);
	xf_attr(&x, IKE_ATTR_LIFE_DUR, 28800);
	return (x);
}

/* An ESP transform: id, key bits, auth (0: none), encapsulation mode. */
static struct xf
p2xf(uint8_t id, uint16_t bits, uint16_t auth, uint16_t encap)
{
	struct xf	 x;

	memset(&x, 0, sizeof(x));
	x.id = id;
	xf_attr(&x, IPSEC_ATTR_LIFE_TYPE, IKE_LIFE_SECONDS);
	xf_attr(&x, IPSEC_ATTR_LIFE_DUR, 3600);
	xf_attr(&x, IPSEC_ATTR_ENCAP_MODE, encap);
	if (auth)
		xf_attr(&x, IPSEC_ATTR_AUTH_ALG, auth);
	if (bits)
		xf_attr(&x, IPSEC_ATTR_KEY_LEN, bits);
	return (x);
}

/* Builds HDR, SA(props) and parses it back; the SA or NULL. */
static const struct isakmp_sa *
mksa(const struct pr *props, size_t nprops)
{
	struct isakmp_hdr	 h;
	struct isakmp_wr	 w;
	struct obuf		 ob;
	struct isakmp_prop_desc	 pd[4];
	struct isakmp_xform_desc xd[4][MAXX];
	struct isakmp_sa_desc	 sd;
	struct isakmp_hdr	 hh;
	struct isakmp_err	 e;
	size_t			 i, j;

	memset(pd, 0, sizeof(pd));
	memset(xd, 0, sizeof(xd));
	for (i = 0; i < nprops; i++) {
		pd[i].pd_num = props[i].num;
		pd[i].pd_proto = props[i].proto;
		pd[i].pd_spisize =
		    props[i].proto == ISAKMP_PROTO_ISAKMP ? 0 : 4;
		memcpy(pd[i].pd_spi, "\x11\x22\x33\x44", 4);
		pd[i].pd_nxforms = props[i].nx;
		pd[i].pd_xforms = xd[i];
		for (j = 0; j < props[i].nx; j++) {
			xd[i][j].xd_num = (uint8_t)(j + 1);
			xd[i][j].xd_id = props[i].x[j].id;
			xd[i][j].xd_nattrs = props[i].x[j].n;
			memcpy(xd[i][j].xd_attrs, props[i].x[j].a,
			    sizeof(xd[i][j].xd_attrs));
		}
	}
	memset(&sd, 0, sizeof(sd));
	sd.sd_doi = ISAKMP_DOI_IPSEC;
	sd.sd_sit = IPSEC_SIT_IDENTITY_ONLY;
	sd.sd_nprops = nprops;
	sd.sd_props = pd;
	memset(&h, 0, sizeof(h));
	memcpy(h.ih_icookie, "cookie!!", 8);
	h.ih_xchg = ISAKMP_XCHG_IDPROT;
	obuf_init(&ob, msgbuf, sizeof(msgbuf));
	isakmp_wr_header(&w, &ob, &h);
	isakmp_build_sa(&w, &sd);
	isakmp_wr_finish(&w);
	if (obuf_error(&ob) ||
	    isakmp_parse(msgbuf, ob.o_len, &hh, &msg, &e) == -1 ||
	    msg.im_nsa != 1) {
		printf("# mksa: %s\n", obuf_error(&ob) ? "build" : e.ie_why);
		return (NULL);
	}
	return (&msg.im_sa[0]);
}

static void
conf_ike(struct msg_ike_config *ic, const struct msg_ike_suite *s, size_t n,
    int legacy)
{
	memset(ic, 0, sizeof(*ic));
	memcpy(ic->ic_ike, s, n * sizeof(*s));
	ic->ic_nike = (uint32_t)n;
	ic->ic_legacy = (uint32_t)legacy;
}

static void
conf_esp(struct msg_ike_config *ic, const struct msg_esp_suite *s, size_t n,
    int legacy)
{
	memset(ic, 0, sizeof(*ic));
	memcpy(ic->ic_esp, s, n * sizeof(*s));
	ic->ic_nesp = (uint32_t)n;
	ic->ic_legacy = (uint32_t)legacy;
}

/* Our order wins: the peer lists our second choice first. */
static void
test_p1_our_order(void)
{
	static const struct msg_ike_suite ours[] = {
		{ IKE_ENCR_AES, 256, IKE_HASH_SHA2_256, IKE_GROUP_MODP2048 },
		{ IKE_ENCR_AES, 128, IKE_HASH_SHA1, IKE_GROUP_MODP2048 },
	};
	struct msg_ike_config	 ic;
	struct pr		 p;
	const struct isakmp_sa	*sa;
	struct isakmp_prop	 pr;
	struct isakmp_xform	 xf;
	struct ike_p1		 p1;
	char			 off[256];
	int			 hint;

	conf_ike(&ic, ours, 2, 0);
	memset(&p, 0, sizeof(p));
	p.num = 1;
	p.proto = ISAKMP_PROTO_ISAKMP;
	p.x[p.nx++] = p1xf(IKE_ENCR_3DES, 0, IKE_HASH_SHA1,
	    IKE_GROUP_MODP1024, IKE_AUTH_PSK);
	p.x[p.nx++] = p1xf(IKE_ENCR_AES, 128, IKE_HASH_SHA1,
	    IKE_GROUP_MODP2048, IKE_AUTH_PSK);
	p.x[p.nx++] = p1xf(IKE_ENCR_AES, 256, IKE_HASH_SHA2_256,
	    IKE_GROUP_MODP2048, IKE_AUTH_PSK);
	T_ASSERT_RET((sa = mksa(&p, 1)) != NULL);
	T_ASSERT(proposal_p1_match(&ic, sa, &pr, &xf, &p1, off, sizeof(off),
	    &hint) == 0);
	T_ASSERT(xf.xf_num == 3);
	T_ASSERT(p1.p1_encr == IKE_ENCR_AES && p1.p1_keybits == 256 &&
	    p1.p1_hash == IKE_HASH_SHA2_256 &&
	    p1.p1_group == IKE_GROUP_MODP2048 && p1.p1_life_s == 28800);
	T_ASSERT(strcmp(off, "3des-sha1-modp1024, aes128-sha1-modp2048, "
	    "aes256-sha256-modp2048") == 0);
	/* Ours reversed: the other one. */
	conf_ike(&ic, ours + 1, 1, 0);
	T_ASSERT(proposal_p1_match(&ic, sa, &pr, &xf, &p1, off, sizeof(off),
	    &hint) == 0 && xf.xf_num == 2);
}

/* The log line an operator can act on. */
static void
test_p1_legacy_hint(void)
{
	static const struct msg_ike_suite ours[] = {
		{ IKE_ENCR_AES, 256, IKE_HASH_SHA1, IKE_GROUP_MODP2048 },
	};
	struct msg_ike_config	 ic;
	struct pr		 p;
	const struct isakmp_sa	*sa;
	struct isakmp_prop	 pr;
	struct isakmp_xform	 xf;
	struct ike_p1		 p1;
	char			 off[256];
	int			 hint;

	conf_ike(&ic, ours, 1, 0);
	memset(&p, 0, sizeof(p));
	p.num = 1;
	p.proto = ISAKMP_PROTO_ISAKMP;
	p.x[p.nx++] = p1xf(IKE_ENCR_3DES, 0, IKE_HASH_SHA1,
	    IKE_GROUP_MODP1024, IKE_AUTH_PSK);
	p.x[p.nx++] = p1xf(IKE_ENCR_3DES, 0, IKE_HASH_SHA1,
	    IKE_GROUP_MODP1024, IKE_AUTH_PSK);	/* Windows repeats */
	T_ASSERT_RET((sa = mksa(&p, 1)) != NULL);
	T_ASSERT(proposal_p1_match(&ic, sa, &pr, &xf, &p1, off, sizeof(off),
	    &hint) == -1);
	T_ASSERT(strcmp(off, "3des-sha1-modp1024") == 0);
	T_ASSERT(hint == 1);
	/* With legacy on, the hint would be wrong: no hint. */
	conf_ike(&ic, ours, 1, 1);
	T_ASSERT(proposal_p1_match(&ic, sa, &pr, &xf, &p1, off, sizeof(off),
	    &hint) == -1 && hint == 0);
	/* MODP1024 with AES is legacy too. */
	memset(&p, 0, sizeof(p));
	p.num = 1;
	p.proto = ISAKMP_PROTO_ISAKMP;
	p.x[p.nx++] = p1xf(IKE_ENCR_AES, 128, IKE_HASH_SHA1,
	    IKE_GROUP_MODP1024, IKE_AUTH_PSK);
	T_ASSERT_RET((sa = mksa(&p, 1)) != NULL);
	conf_ike(&ic, ours, 1, 0);
	T_ASSERT(proposal_p1_match(&ic, sa, &pr, &xf, &p1, off, sizeof(off),
	    &hint) == -1 && hint == 1);
	/* Something no setting fixes (DES): no hint. */
	memset(&p, 0, sizeof(p));
	p.num = 1;
	p.proto = ISAKMP_PROTO_ISAKMP;
	p.x[p.nx++] = p1xf(IKE_ENCR_DES, 0, IKE_HASH_MD5, IKE_GROUP_MODP768,
	    IKE_AUTH_PSK);
	T_ASSERT_RET((sa = mksa(&p, 1)) != NULL);
	T_ASSERT(proposal_p1_match(&ic, sa, &pr, &xf, &p1, off, sizeof(off),
	    &hint) == -1 && hint == 0);
	T_ASSERT(strcmp(off, "des-md5-modp768") == 0);
}

/* Certificates and XAUTH are not PSK; the log says which. */
static void
test_p1_auth(void)
{
	static const struct msg_ike_suite ours[] = {
		{ IKE_ENCR_AES, 256, IKE_HASH_SHA1, IKE_GROUP_MODP2048 },
	};
	struct msg_ike_config	 ic;
	struct pr		 p;
	const struct isakmp_sa	*sa;
	struct isakmp_prop	 pr;
	struct isakmp_xform	 xf;
	struct ike_p1		 p1;
	char			 off[256];
	int			 hint;

	conf_ike(&ic, ours, 1, 0);
	memset(&p, 0, sizeof(p));
	p.num = 1;
	p.proto = ISAKMP_PROTO_ISAKMP;
	p.x[p.nx++] = p1xf(IKE_ENCR_AES, 256, IKE_HASH_SHA1,
	    IKE_GROUP_MODP2048, IKE_AUTH_RSA_SIG);
	p.x[p.nx++] = p1xf(IKE_ENCR_AES, 256, IKE_HASH_SHA1,
	    IKE_GROUP_MODP2048, 65001);
	T_ASSERT_RET((sa = mksa(&p, 1)) != NULL);
	T_ASSERT(proposal_p1_match(&ic, sa, &pr, &xf, &p1, off, sizeof(off),
	    &hint) == -1);
	T_ASSERT(strstr(off, "aes256-sha1-modp2048 (certificates)") != NULL);
	T_ASSERT(strstr(off, "(XAUTH)") != NULL);
}

/* Attributes: TLV lifetimes, kilobytes, a PRF (unsupported), strays. */
static void
test_p1_attributes(void)
{
	static const struct msg_ike_suite ours[] = {
		{ IKE_ENCR_AES, 128, IKE_HASH_SHA1, IKE_GROUP_ECP256 },
	};
	struct msg_ike_config	 ic;
	struct pr		 p;
	const struct isakmp_sa	*sa;
	struct isakmp_prop	 pr;
	struct isakmp_xform	 xf;
	struct ike_p1		 p1;
	struct xf		 x;
	char			 off[256];
	int			 hint;

	conf_ike(&ic, ours, 1, 0);
	/* A 4-byte Life Duration and a kilobyte lifetime. */
	memset(&p, 0, sizeof(p));
	p.num = 1;
	p.proto = ISAKMP_PROTO_ISAKMP;
	x = p1xf(IKE_ENCR_AES, 128, IKE_HASH_SHA1, IKE_GROUP_ECP256,
	    IKE_AUTH_PSK);
	x.a[x.n - 1].ad_val = 86400 * 10;	/* > 0xffff: TLV */
	xf_attr(&x, IKE_ATTR_LIFE_TYPE, IKE_LIFE_KILOBYTES);
	xf_attr(&x, IKE_ATTR_LIFE_DUR, 250000);
	p.x[p.nx++] = x;
	T_ASSERT_RET((sa = mksa(&p, 1)) != NULL);
	T_ASSERT(proposal_p1_match(&ic, sa, &pr, &xf, &p1, off, sizeof(off),
	    &hint) == 0);
	T_ASSERT(p1.p1_life_s == 864000 && p1.p1_life_kb == 250000);

	/* A PRF attribute: RFC 2409 defines none we do. */
	memset(&p, 0, sizeof(p));
	p.num = 1;
	p.proto = ISAKMP_PROTO_ISAKMP;
	x = p1xf(IKE_ENCR_AES, 128, IKE_HASH_SHA1, IKE_GROUP_ECP256,
	    IKE_AUTH_PSK);
	xf_attr(&x, IKE_ATTR_PRF, 1);
	p.x[p.nx++] = x;
	T_ASSERT_RET((sa = mksa(&p, 1)) != NULL);
	T_ASSERT(proposal_p1_match(&ic, sa, &pr, &xf, &p1, off, sizeof(off),
	    &hint) == -1);
	T_ASSERT(strstr(off, "(unusable attributes)") != NULL);

	/* A Life Duration with no Life Type before it. */
	memset(&x, 0, sizeof(x));
	x.id = ISAKMP_XF_KEY_IKE;
	xf_attr(&x, IKE_ATTR_ENCR, IKE_ENCR_AES);
	xf_attr(&x, IKE_ATTR_KEY_LEN, 128);
	xf_attr(&x, IKE_ATTR_HASH, IKE_HASH_SHA1);
	xf_attr(&x, IKE_ATTR_AUTH, IKE_AUTH_PSK);
	xf_attr(&x, IKE_ATTR_GROUP_DESC, IKE_GROUP_ECP256);
	xf_attr(&x, IKE_ATTR_LIFE_DUR, 3600);
	memset(&p, 0, sizeof(p));
	p.num = 1;
	p.proto = ISAKMP_PROTO_ISAKMP;
	p.x[p.nx++] = x;
	T_ASSERT_RET((sa = mksa(&p, 1)) != NULL);
	T_ASSERT(proposal_p1_match(&ic, sa, &pr, &xf, &p1, off, sizeof(off),
	    &hint) == -1);

	/* A key length we do not use for this suite. */
	memset(&p, 0, sizeof(p));
	p.num = 1;
	p.proto = ISAKMP_PROTO_ISAKMP;
	p.x[p.nx++] = p1xf(IKE_ENCR_AES, 256, IKE_HASH_SHA1, IKE_GROUP_ECP256,
	    IKE_AUTH_PSK);
	T_ASSERT_RET((sa = mksa(&p, 1)) != NULL);
	T_ASSERT(proposal_p1_match(&ic, sa, &pr, &xf, &p1, off, sizeof(off),
	    &hint) == -1);
	T_ASSERT(strcmp(off, "aes256-sha1-ecp256") == 0);

	/* A missing group: unusable. */
	memset(&x, 0, sizeof(x));
	x.id = ISAKMP_XF_KEY_IKE;
	xf_attr(&x, IKE_ATTR_ENCR, IKE_ENCR_AES);
	xf_attr(&x, IKE_ATTR_KEY_LEN, 128);
	xf_attr(&x, IKE_ATTR_HASH, IKE_HASH_SHA1);
	xf_attr(&x, IKE_ATTR_AUTH, IKE_AUTH_PSK);
	memset(&p, 0, sizeof(p));
	p.num = 1;
	p.proto = ISAKMP_PROTO_ISAKMP;
	p.x[p.nx++] = x;
	T_ASSERT_RET((sa = mksa(&p, 1)) != NULL);
	T_ASSERT(proposal_p1_match(&ic, sa, &pr, &xf, &p1, off, sizeof(off),
	    &hint) == -1);
}

/* Real bytes: strongSwan's Main Mode 1 (regress/unit/ike_vectors). */
static void
test_p1_strongswan_mm1(void)
{
	static const struct msg_ike_suite ours[] = {
		{ IKE_ENCR_AES, 256, IKE_HASH_SHA2_256, IKE_GROUP_MODP2048 },
		{ IKE_ENCR_AES, 128, IKE_HASH_SHA1, IKE_GROUP_MODP2048 },
	};
	struct msg_ike_config	 ic;
	struct isakmp_hdr	 h;
	struct isakmp_err	 e;
	struct isakmp_prop	 pr;
	struct isakmp_xform	 xf;
	struct ike_p1		 p1;
	FILE			*f;
	char			 line[4096], off[256], *s;
	size_t			 n = 0;
	unsigned int		 b;
	int			 hint, found = 0;
	enum isakmp_vid		 vid;
	int			 dpd;

	if ((f = fopen("regress/unit/ike_vectors/aes128-sha1-modp2048.txt",
	    "r")) == NULL)
		T_SKIP("vector file not found (run from the top directory)");
	while (fgets(line, sizeof(line), f) != NULL)
		if (strncmp(line, "mm1 ", 4) == 0) {
			found = 1;
			break;
		}
	fclose(f);
	T_ASSERT_RET(found);
	for (s = line + 4; s[0] != '\0' && s[0] != '\n' &&
	    sscanf(s, "%2x", &b) == 1 && n < sizeof(msgbuf); s += 2)
		msgbuf[n++] = (uint8_t)b;
	T_ASSERT_RET(isakmp_parse(msgbuf, n, &h, &msg, &e) == 0);
	conf_ike(&ic, ours, 2, 0);
	T_ASSERT(proposal_p1_match(&ic, &msg.im_sa[0], &pr, &xf, &p1, off,
	    sizeof(off), &hint) == 0);
	T_ASSERT(p1.p1_keybits == 128 && p1.p1_hash == IKE_HASH_SHA1);
	T_ASSERT(ike_natt_from_vids(&msg, &vid, &dpd) == IKE_NATT_RFC);
	T_ASSERT(vid == ISAKMP_VID_NATT_RFC3947);
}

static const struct msg_esp_suite esp_ours[] = {
	{ ESP_XF_AES_GCM_16, 256, 0, 0 },
	{ ESP_XF_AES, 256, IPSEC_AUTH_HMAC_SHA2_256, 0 },
	{ ESP_XF_AES, 128, IPSEC_AUTH_HMAC_SHA, 0 },
};

/* Transport mode, UDP-encapsulated exactly when behind a NAT. */
static void
test_p2_encap(void)
{
	struct msg_ike_config	 ic;
	struct pr		 p;
	const struct isakmp_sa	*sa;
	struct isakmp_prop	 pr;
	struct isakmp_xform	 xf;
	struct ike_p2		 p2;
	char			 off[256];
	int			 hint;

	conf_esp(&ic, esp_ours, 3, 0);
	memset(&p, 0, sizeof(p));
	p.num = 1;
	p.proto = ISAKMP_PROTO_ESP;
	p.x[p.nx++] = p2xf(ESP_XF_AES, 128, IPSEC_AUTH_HMAC_SHA,
	    IPSEC_ENCAP_TRANSPORT);
	T_ASSERT_RET((sa = mksa(&p, 1)) != NULL);
	T_ASSERT(proposal_p2_match(&ic, sa, 0, &pr, &xf, &p2, off,
	    sizeof(off), &hint) == 0);
	T_ASSERT(p2.p2_life_s == 3600 && p2.p2_encap == IPSEC_ENCAP_TRANSPORT);
	T_ASSERT(pr.pr_spisize == 4 && memcmp(pr.pr_spi, "\x11\x22\x33\x44",
	    4) == 0);
	/* Floated to 4500: plain transport would not pass the NAT. */
	T_ASSERT(proposal_p2_match(&ic, sa, 1, &pr, &xf, &p2, off,
	    sizeof(off), &hint) == -1);

	/* RFC 3947 mode 4 and the drafts' 61444, behind a NAT only. */
	memset(&p, 0, sizeof(p));
	p.num = 1;
	p.proto = ISAKMP_PROTO_ESP;
	p.x[p.nx++] = p2xf(ESP_XF_AES, 128, IPSEC_AUTH_HMAC_SHA,
	    IPSEC_ENCAP_UDP_TRANSPORT_DRAFT);
	T_ASSERT_RET((sa = mksa(&p, 1)) != NULL);
	T_ASSERT(proposal_p2_match(&ic, sa, 1, &pr, &xf, &p2, off,
	    sizeof(off), &hint) == 0);
	T_ASSERT(proposal_p2_match(&ic, sa, 0, &pr, &xf, &p2, off,
	    sizeof(off), &hint) == -1);
	memset(&p, 0, sizeof(p));
	p.num = 1;
	p.proto = ISAKMP_PROTO_ESP;
	p.x[p.nx++] = p2xf(ESP_XF_AES, 128, IPSEC_AUTH_HMAC_SHA,
	    IPSEC_ENCAP_UDP_TRANSPORT);
	T_ASSERT_RET((sa = mksa(&p, 1)) != NULL);
	T_ASSERT(proposal_p2_match(&ic, sa, 1, &pr, &xf, &p2, off,
	    sizeof(off), &hint) == 0);

	/* Tunnel modes: never, and the log says so. */
	memset(&p, 0, sizeof(p));
	p.num = 1;
	p.proto = ISAKMP_PROTO_ESP;
	p.x[p.nx++] = p2xf(ESP_XF_AES, 128, IPSEC_AUTH_HMAC_SHA,
	    IPSEC_ENCAP_TUNNEL);
	p.x[p.nx++] = p2xf(ESP_XF_AES, 128, IPSEC_AUTH_HMAC_SHA,
	    IPSEC_ENCAP_UDP_TUNNEL);
	T_ASSERT_RET((sa = mksa(&p, 1)) != NULL);
	T_ASSERT(proposal_p2_match(&ic, sa, 0, &pr, &xf, &p2, off,
	    sizeof(off), &hint) == -1);
	T_ASSERT(proposal_p2_match(&ic, sa, 1, &pr, &xf, &p2, off,
	    sizeof(off), &hint) == -1);
	T_ASSERT(strcmp(off, "aes128-sha1 (tunnel mode)") == 0);
}

/* Our order; GCM without an integrity algorithm; PFS groups. */
static void
test_p2_algorithms(void)
{
	struct msg_ike_config	 ic;
	struct pr		 p;
	const struct isakmp_sa	*sa;
	struct isakmp_prop	 pr;
	struct isakmp_xform	 xf;
	struct ike_p2		 p2;
	struct xf		 x;
	char			 off[256];
	int			 hint;
	size_t			 el, al;

	conf_esp(&ic, esp_ours, 3, 0);
	memset(&p, 0, sizeof(p));
	p.num = 1;
	p.proto = ISAKMP_PROTO_ESP;
	p.x[p.nx++] = p2xf(ESP_XF_AES, 128, IPSEC_AUTH_HMAC_SHA,
	    IPSEC_ENCAP_TRANSPORT);
	p.x[p.nx++] = p2xf(ESP_XF_AES_GCM_16, 256, 0, IPSEC_ENCAP_TRANSPORT);
	T_ASSERT_RET((sa = mksa(&p, 1)) != NULL);
	T_ASSERT(proposal_p2_match(&ic, sa, 0, &pr, &xf, &p2, off,
	    sizeof(off), &hint) == 0);
	T_ASSERT(p2.p2_xform == ESP_XF_AES_GCM_16 && xf.xf_num == 2);
	T_ASSERT(proposal_p2_keylens(&p2, &el, &al) == 0 && el == 36 &&
	    al == 0);
	ike_child_alg_name(&p2, off, sizeof(off));
	T_ASSERT(strcmp(off, "aes256gcm16") == 0);

	/* GCM with an integrity algorithm (RFC 4106 8: none). */
	memset(&p, 0, sizeof(p));
	p.num = 1;
	p.proto = ISAKMP_PROTO_ESP;
	p.x[p.nx++] = p2xf(ESP_XF_AES_GCM_16, 256, IPSEC_AUTH_HMAC_SHA,
	    IPSEC_ENCAP_TRANSPORT);
	T_ASSERT_RET((sa = mksa(&p, 1)) != NULL);
	T_ASSERT(proposal_p2_match(&ic, sa, 0, &pr, &xf, &p2, off,
	    sizeof(off), &hint) == -1);

	/* 3DES needs legacy; the hint says so. */
	memset(&p, 0, sizeof(p));
	p.num = 1;
	p.proto = ISAKMP_PROTO_ESP;
	p.x[p.nx++] = p2xf(ESP_XF_3DES, 0, IPSEC_AUTH_HMAC_SHA,
	    IPSEC_ENCAP_TRANSPORT);
	T_ASSERT_RET((sa = mksa(&p, 1)) != NULL);
	T_ASSERT(proposal_p2_match(&ic, sa, 0, &pr, &xf, &p2, off,
	    sizeof(off), &hint) == -1 && hint == 1);
	T_ASSERT(strcmp(off, "3des-sha1") == 0);
	memset(&p2, 0, sizeof(p2));
	p2.p2_xform = ESP_XF_3DES;
	p2.p2_auth = IPSEC_AUTH_HMAC_SHA;
	T_ASSERT(proposal_p2_keylens(&p2, &el, &al) == 0 && el == 24 &&
	    al == 20);

	/* PFS: MODP2048 fine, MODP1024 only with legacy. */
	memset(&p, 0, sizeof(p));
	p.num = 1;
	p.proto = ISAKMP_PROTO_ESP;
	x = p2xf(ESP_XF_AES, 256, IPSEC_AUTH_HMAC_SHA2_256,
	    IPSEC_ENCAP_TRANSPORT);
	xf_attr(&x, IPSEC_ATTR_GROUP_DESC, IKE_GROUP_MODP1024);
	p.x[p.nx++] = x;
	x = p2xf(ESP_XF_AES, 256, IPSEC_AUTH_HMAC_SHA2_256,
	    IPSEC_ENCAP_TRANSPORT);
	xf_attr(&x, IPSEC_ATTR_GROUP_DESC, IKE_GROUP_MODP2048);
	p.x[p.nx++] = x;
	T_ASSERT_RET((sa = mksa(&p, 1)) != NULL);
	T_ASSERT(proposal_p2_match(&ic, sa, 0, &pr, &xf, &p2, off,
	    sizeof(off), &hint) == 0);
	T_ASSERT(xf.xf_num == 2 && p2.p2_group == IKE_GROUP_MODP2048);
	T_ASSERT(proposal_group_ok(&ic, IKE_GROUP_MODP1024) == 0);
	ic.ic_legacy = 1;
	T_ASSERT(proposal_group_ok(&ic, IKE_GROUP_MODP1024) == 1);
	T_ASSERT(proposal_p2_match(&ic, sa, 0, &pr, &xf, &p2, off,
	    sizeof(off), &hint) == 0 && xf.xf_num == 1);
}

/*
 * RFC 2408 4.2: proposals sharing a number are an AND (ESP with
 * IPCOMP); we do only ESP alone, so the next proposal is chosen.
 */
static void
test_p2_and_proposals(void)
{
	struct msg_ike_config	 ic;
	struct pr		 p[3];
	const struct isakmp_sa	*sa;
	struct isakmp_prop	 pr;
	struct isakmp_xform	 xf;
	struct ike_p2		 p2;
	char			 off[256];
	int			 hint;

	conf_esp(&ic, esp_ours, 3, 0);
	memset(p, 0, sizeof(p));
	p[0].num = 1;
	p[0].proto = ISAKMP_PROTO_ESP;
	p[0].x[p[0].nx++] = p2xf(ESP_XF_AES, 256, IPSEC_AUTH_HMAC_SHA2_256,
	    IPSEC_ENCAP_TRANSPORT);
	p[1].num = 1;
	p[1].proto = ISAKMP_PROTO_IPCOMP;
	p[1].x[p[1].nx++] = p2xf(2, 0, 0, IPSEC_ENCAP_TRANSPORT);
	p[2].num = 2;
	p[2].proto = ISAKMP_PROTO_ESP;
	p[2].x[p[2].nx++] = p2xf(ESP_XF_AES, 128, IPSEC_AUTH_HMAC_SHA,
	    IPSEC_ENCAP_TRANSPORT);
	T_ASSERT_RET((sa = mksa(p, 3)) != NULL);
	T_ASSERT(proposal_p2_match(&ic, sa, 0, &pr, &xf, &p2, off,
	    sizeof(off), &hint) == 0);
	T_ASSERT(pr.pr_num == 2 && p2.p2_keybits == 128);
}

/* What we propose as initiator, read back, is what we accept. */
static void
test_build_roundtrip(void)
{
	static const struct msg_ike_suite ike[] = {
		{ IKE_ENCR_AES, 256, IKE_HASH_SHA2_256, IKE_GROUP_MODP2048 },
		{ IKE_ENCR_3DES, 0, IKE_HASH_SHA1, IKE_GROUP_MODP1024 },
	};
	struct msg_ike_config	 ic;
	struct isakmp_xform_desc xds[MSG_MAX_SUITES];
	struct pr		 p;
	const struct isakmp_sa	*sa;
	struct isakmp_prop	 pr;
	struct isakmp_xform	 xf;
	struct ike_p1		 p1;
	struct ike_p2		 p2;
	char			 off[256];
	size_t			 n, i;
	int			 hint;

	conf_ike(&ic, ike, 2, 1);
	proposal_p1_build(&ic, 3600, xds, &n);
	T_ASSERT_RET(n == 2);
	memset(&p, 0, sizeof(p));
	p.num = 1;
	p.proto = ISAKMP_PROTO_ISAKMP;
	for (i = 0; i < n; i++) {
		p.x[i].id = xds[i].xd_id;
		p.x[i].n = xds[i].xd_nattrs;
		memcpy(p.x[i].a, xds[i].xd_attrs, sizeof(p.x[i].a));
	}
	p.nx = n;
	T_ASSERT_RET((sa = mksa(&p, 1)) != NULL);
	/* The responder picks its first; the initiator checks it is ours. */
	T_ASSERT(proposal_p1_match(&ic, sa, &pr, &xf, &p1, off, sizeof(off),
	    &hint) == 0 && proposal_p1_ours(&ic, &p1) && p1.p1_life_s == 3600);
	T_ASSERT(strcmp(off, "aes256-sha256-modp2048, 3des-sha1-modp1024") ==
	    0);

	conf_esp(&ic, esp_ours, 3, 0);
	proposal_p2_build(&ic, IPSEC_ENCAP_UDP_TRANSPORT, 1200, xds, &n);
	T_ASSERT_RET(n == 3);
	memset(&p, 0, sizeof(p));
	p.num = 1;
	p.proto = ISAKMP_PROTO_ESP;
	for (i = 0; i < n; i++) {
		p.x[i].id = xds[i].xd_id;
		p.x[i].n = xds[i].xd_nattrs;
		memcpy(p.x[i].a, xds[i].xd_attrs, sizeof(p.x[i].a));
	}
	p.nx = n;
	T_ASSERT_RET((sa = mksa(&p, 1)) != NULL);
	T_ASSERT(proposal_p2_match(&ic, sa, 1, &pr, &xf, &p2, off,
	    sizeof(off), &hint) == 0);
	T_ASSERT(p2.p2_xform == ESP_XF_AES_GCM_16 && p2.p2_life_s == 1200 &&
	    proposal_p2_ours(&ic, &p2));
	T_ASSERT(strcmp(off, "aes256gcm16, aes256-sha256, aes128-sha1") == 0);
}

/* A lifetime of 0 means none (strongSwan's rekey_time = 0). */
static void
test_lifetime_zero(void)
{
	static const struct msg_ike_suite ours[] = {
		{ IKE_ENCR_AES, 256, IKE_HASH_SHA1, IKE_GROUP_MODP2048 },
	};
	struct msg_ike_config	 ic;
	struct pr		 p;
	struct xf		 x;
	const struct isakmp_sa	*sa;
	struct isakmp_prop	 pr;
	struct isakmp_xform	 xf;
	struct ike_p1		 p1;
	char			 off[256];
	int			 hint;

	conf_ike(&ic, ours, 1, 0);
	memset(&p, 0, sizeof(p));
	p.num = 1;
	p.proto = ISAKMP_PROTO_ISAKMP;
	x = p1xf(IKE_ENCR_AES, 256, IKE_HASH_SHA1, IKE_GROUP_MODP2048,
	    IKE_AUTH_PSK);
	x.a[x.n - 1].ad_val = 0;
	p.x[p.nx++] = x;
	T_ASSERT_RET((sa = mksa(&p, 1)) != NULL);
	T_ASSERT(proposal_p1_match(&ic, sa, &pr, &xf, &p1, off, sizeof(off),
	    &hint) == 0 && p1.p1_life_s == 0);
}

int
main(void)
{
	T_RUN(test_p1_our_order);
	T_RUN(test_p1_legacy_hint);
	T_RUN(test_p1_auth);
	T_RUN(test_p1_attributes);
	T_RUN(test_p1_strongswan_mm1);
	T_RUN(test_p2_encap);
	T_RUN(test_p2_algorithms);
	T_RUN(test_p2_and_proposals);
	T_RUN(test_build_roundtrip);
	T_RUN(test_lifetime_zero);
	return (T_DONE());
}
