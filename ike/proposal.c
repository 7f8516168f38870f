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
#include "ike.h"
#include "ike_dh.h"

/*
 * Proposal matching: the peer's SA payload (RFC 2408 3.4-3.6, RFC 2409 5
 * and Appendix A for phase 1, RFC 2407 4.5 for ESP) against our suites
 * (struct msg_ike_config, in OUR order of preference: the first of our
 * suites the peer offers wins, whatever the peer's order).  Pure
 * functions on parsed payloads, so the unit test drives them directly.
 * The names built for the logs are the config's suite names, so an
 * operator can copy them: "peer offered 3des-sha1-modp1024".
 */

static void
name_add(char *buf, size_t len, const char *name)
{
	const char	*p;
	size_t		 n = strlen(name);

	if (len == 0)
		return;
	/* Once each: Windows repeats a suite with several lifetimes. */
	for (p = buf; (p = strstr(p, name)) != NULL; p += n)
		if ((p == buf || p[-1] == ' ') &&
		    (p[n] == ',' || p[n] == '\0'))
			return;
	if (buf[0] != '\0')
		strlcat(buf, ", ", len);
	if (strlcat(buf, name, len) >= len && len > 4)
		memcpy(buf + len - 4, "...", 4);
}

static const char *
encr_str(uint16_t encr, uint16_t bits, char *b, size_t len)
{
	switch (encr) {
	case IKE_ENCR_3DES:
		return ("3des");
	case IKE_ENCR_DES:
		return ("des");
	case IKE_ENCR_AES:
		snprintf(b, len, "aes%u", bits ? bits : 128);
		return (b);
	default:
		snprintf(b, len, "enc%u", encr);
		return (b);
	}
}

static const char *
hash_str(uint16_t h, char *b, size_t len)
{
	switch (h) {
	case IKE_HASH_MD5:
		return ("md5");
	case IKE_HASH_SHA1:
		return ("sha1");
	case IKE_HASH_SHA2_256:
		return ("sha256");
	case IKE_HASH_SHA2_384:
		return ("sha384");
	case IKE_HASH_SHA2_512:
		return ("sha512");
	default:
		snprintf(b, len, "hash%u", h);
		return (b);
	}
}

static const char *
group_str(uint16_t g, char *b, size_t len)
{
	switch (g) {
	case IKE_GROUP_MODP768:
		return ("modp768");
	case IKE_GROUP_MODP1024:
		return ("modp1024");
	case IKE_GROUP_MODP1536:
		return ("modp1536");
	case IKE_GROUP_MODP2048:
		return ("modp2048");
	case IKE_GROUP_MODP3072:
		return ("modp3072");
	case IKE_GROUP_MODP4096:
		return ("modp4096");
	case IKE_GROUP_MODP6144:
		return ("modp6144");
	case IKE_GROUP_MODP8192:
		return ("modp8192");
	case IKE_GROUP_ECP256:
		return ("ecp256");
	case IKE_GROUP_ECP384:
		return ("ecp384");
	case IKE_GROUP_ECP521:
		return ("ecp521");
	default:
		snprintf(b, len, "group%u", g);
		return (b);
	}
}

void
proposal_p1_name(const struct ike_p1 *p1, uint16_t auth, char *buf,
    size_t len)
{
	char	 e[16], h[16], g[16];

	snprintf(buf, len, "%s-%s-%s%s",
	    encr_str(p1->p1_encr, p1->p1_keybits, e, sizeof(e)),
	    hash_str(p1->p1_hash, h, sizeof(h)),
	    group_str(p1->p1_group, g, sizeof(g)),
	    auth == IKE_AUTH_PSK ? "" :
	    auth == IKE_AUTH_RSA_SIG ? " (certificates)" :
	    auth >= 65001 && auth <= 65010 ? " (XAUTH)" : " (not psk)");
}

/*
 * Life Type / Life Duration pairs (RFC 2407 4.5, RFC 2409 Appendix A):
 * a duration applies to the type before it.
 */
static int
life_attr(const struct isakmp_attr *at, int is_type, uint16_t *type,
    uint32_t *secs, uint64_t *kb)
{
	uint64_t	 v;

	if (isakmp_attr_uint(at, &v) == -1)
		return (-1);
	if (is_type) {
		if (v != IKE_LIFE_SECONDS && v != IKE_LIFE_KILOBYTES)
			return (-1);
		*type = (uint16_t)v;
		return (0);
	}
	if (*type == 0)
		return (-1);
	/* 0 means none (strongSwan's rekey_time = 0 sends it). */
	if (v == 0)
		;
	else if (*type == IKE_LIFE_SECONDS)
		*secs = v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;
	else
		*kb = v;
	*type = 0;
	return (0);
}

int
proposal_p1_parse(const struct isakmp_xform *xf, struct ike_p1 *p1,
    uint16_t *authp)
{
	struct cur		 c;
	struct isakmp_attr	 at;
	uint64_t		 v;
	uint16_t		 lt = 0, auth = 0;
	int			 r, bad = 0;

	memset(p1, 0, sizeof(*p1));
	if (xf->xf_id != ISAKMP_XF_KEY_IKE)
		bad = 1;
	isakmp_xform_attrs(xf, &c);
	while ((r = isakmp_attr_next(&c, &at)) == 1) {
		switch (at.at_type) {
		case IKE_ATTR_LIFE_TYPE:
		case IKE_ATTR_LIFE_DUR:
			if (life_attr(&at, at.at_type == IKE_ATTR_LIFE_TYPE,
			    &lt, &p1->p1_life_s, &p1->p1_life_kb) == -1)
				bad = 1;
			continue;
		case IKE_ATTR_GROUP_TYPE:
			/* Implied by a well-known Group Description. */
			continue;
		default:
			break;
		}
		/* Everything else is basic (TV), RFC 2409 Appendix A. */
		if (!at.at_tv || isakmp_attr_uint(&at, &v) == -1) {
			bad = 1;
			continue;
		}
		switch (at.at_type) {
		case IKE_ATTR_ENCR:
			p1->p1_encr = (uint16_t)v;
			break;
		case IKE_ATTR_KEY_LEN:
			p1->p1_keybits = (uint16_t)v;
			break;
		case IKE_ATTR_HASH:
			p1->p1_hash = (uint16_t)v;
			break;
		case IKE_ATTR_AUTH:
			auth = (uint16_t)v;
			break;
		case IKE_ATTR_GROUP_DESC:
			p1->p1_group = (uint16_t)v;
			break;
		default:
			/* PRF, private groups, unknown: not ours. */
			bad = 1;
			break;
		}
	}
	if (authp != NULL)
		*authp = auth;
	/* A 3DES key has one size; some peers name it anyway. */
	if (p1->p1_encr == IKE_ENCR_3DES && p1->p1_keybits == 192)
		p1->p1_keybits = 0;
	if (r == -1 || bad || lt != 0 || p1->p1_encr == 0 ||
	    p1->p1_hash == 0 || p1->p1_group == 0 || auth == 0)
		return (-1);
	return (0);
}

/* 1 when a phase 1 suite is one of ours. */
int
proposal_p1_ours(const struct msg_ike_config *ic, const struct ike_p1 *p1)
{
	uint32_t	 i;

	for (i = 0; i < ic->ic_nike && i < MSG_MAX_SUITES; i++)
		if (ic->ic_ike[i].is_enc == p1->p1_encr &&
		    ic->ic_ike[i].is_keylen == p1->p1_keybits &&
		    ic->ic_ike[i].is_hash == p1->p1_hash &&
		    ic->ic_ike[i].is_group == p1->p1_group)
			return (1);
	return (0);
}

/* 1 when `legacy yes` (3DES, MODP1024) would make a suite usable. */
static int
p1_legacy_usable(const struct ike_p1 *p1, uint16_t auth)
{
	if (auth != IKE_AUTH_PSK || ike_hash_len(p1->p1_hash) == 0 ||
	    ike_cipher_keylen(p1->p1_encr, p1->p1_keybits) == 0 ||
	    !ike_dh_supported(p1->p1_group))
		return (0);
	return (p1->p1_encr == IKE_ENCR_3DES ||
	    p1->p1_group == IKE_GROUP_MODP1024);
}

int
proposal_p1_match(const struct msg_ike_config *ic, const struct isakmp_sa *sa,
    struct isakmp_prop *prop, struct isakmp_xform *xf, struct ike_p1 *out,
    char *offered, size_t offlen, int *legacy_hint)
{
	struct cur		 pc, xc;
	struct isakmp_prop	 pr;
	struct isakmp_xform	 x;
	struct ike_p1		 p1;
	const struct msg_ike_suite *su;
	uint16_t		 auth;
	uint32_t		 i;
	char			 name[96];
	int			 bad;

	if (offlen > 0)
		offered[0] = '\0';
	*legacy_hint = 0;
	/* The peer's offer, for the log line whatever happens. */
	isakmp_sa_props(sa, &pc);
	while (isakmp_prop_next(&pc, &pr) == 1) {
		if (pr.pr_proto != ISAKMP_PROTO_ISAKMP)
			continue;
		isakmp_prop_xforms(&pr, &xc);
		while (isakmp_xform_next(&xc, &x) == 1) {
			bad = proposal_p1_parse(&x, &p1, &auth) == -1;
			if (bad && (p1.p1_encr == 0 || p1.p1_hash == 0)) {
				name_add(offered, offlen, "(unparsable)");
				continue;
			}
			proposal_p1_name(&p1, auth, name, sizeof(name));
			if (bad)
				strlcat(name, " (unusable attributes)",
				    sizeof(name));
			name_add(offered, offlen, name);
			if (!ic->ic_legacy && p1_legacy_usable(&p1, auth))
				*legacy_hint = 1;
		}
	}

	for (i = 0; i < ic->ic_nike && i < MSG_MAX_SUITES; i++) {
		su = &ic->ic_ike[i];
		isakmp_sa_props(sa, &pc);
		while (isakmp_prop_next(&pc, &pr) == 1) {
			if (pr.pr_proto != ISAKMP_PROTO_ISAKMP)
				continue;
			isakmp_prop_xforms(&pr, &xc);
			while (isakmp_xform_next(&xc, &x) == 1) {
				if (proposal_p1_parse(&x, &p1, &auth) == -1 ||
				    auth != IKE_AUTH_PSK ||
				    p1.p1_encr != su->is_enc ||
				    p1.p1_keybits != su->is_keylen ||
				    p1.p1_hash != su->is_hash ||
				    p1.p1_group != su->is_group)
					continue;
				/* Our config never lists what we cannot do. */
				if (ike_cipher_keylen(p1.p1_encr,
				    p1.p1_keybits) == 0 ||
				    ike_hash_len(p1.p1_hash) == 0 ||
				    !ike_dh_supported(p1.p1_group))
					continue;
				*prop = pr;
				*xf = x;
				*out = p1;
				return (0);
			}
		}
	}
	return (-1);
}

static const char *
esp_enc_str(uint8_t id, uint16_t bits, char *b, size_t len)
{
	switch (id) {
	case ESP_XF_3DES:
		return ("3des");
	case ESP_XF_DES:
		return ("des");
	case ESP_XF_NULL:
		return ("null");
	case ESP_XF_AES:
		snprintf(b, len, "aes%u", bits);
		return (b);
	case ESP_XF_AES_GCM_16:
		snprintf(b, len, "aes%ugcm16", bits);
		return (b);
	case 18:
		snprintf(b, len, "aes%ugcm8", bits);
		return (b);
	case 19:
		snprintf(b, len, "aes%ugcm12", bits);
		return (b);
	case 13:
		snprintf(b, len, "aes%uctr", bits);
		return (b);
	default:
		snprintf(b, len, "esp%u", id);
		return (b);
	}
}

static const char *
esp_auth_str(uint16_t a, char *b, size_t len)
{
	switch (a) {
	case IPSEC_AUTH_HMAC_MD5:
		return ("md5");
	case IPSEC_AUTH_HMAC_SHA:
		return ("sha1");
	case IPSEC_AUTH_HMAC_SHA2_256:
		return ("sha256");
	case IPSEC_AUTH_HMAC_SHA2_384:
		return ("sha384");
	case IPSEC_AUTH_HMAC_SHA2_512:
		return ("sha512");
	default:
		snprintf(b, len, "auth%u", a);
		return (b);
	}
}

/* "aes256-sha1", "aes128gcm16": the names of the config's esp suites. */
void
ike_child_alg_name(const struct ike_p2 *p2, char *buf, size_t len)
{
	char	 e[24], a[16];

	if (p2->p2_auth == 0)
		snprintf(buf, len, "%s", esp_enc_str(p2->p2_xform,
		    p2->p2_keybits, e, sizeof(e)));
	else
		snprintf(buf, len, "%s-%s", esp_enc_str(p2->p2_xform,
		    p2->p2_keybits, e, sizeof(e)),
		    esp_auth_str(p2->p2_auth, a, sizeof(a)));
}

void
proposal_p2_name(const struct ike_p2 *p2, char *buf, size_t len)
{
	char	 n[48], g[16];

	ike_child_alg_name(p2, n, sizeof(n));
	snprintf(buf, len, "%s%s%s%s", n,
	    p2->p2_group ? "-" : "",
	    p2->p2_group ? group_str(p2->p2_group, g, sizeof(g)) : "",
	    p2->p2_encap == IPSEC_ENCAP_TUNNEL ||
	    p2->p2_encap == IPSEC_ENCAP_UDP_TUNNEL ||
	    p2->p2_encap == IPSEC_ENCAP_UDP_TUNNEL_DRAFT ? " (tunnel mode)" :
	    "");
}

int
proposal_p2_parse(const struct isakmp_xform *xf, struct ike_p2 *p2)
{
	struct cur		 c;
	struct isakmp_attr	 at;
	uint64_t		 v;
	uint16_t		 lt = 0;
	int			 r, bad = 0;

	memset(p2, 0, sizeof(*p2));
	p2->p2_xform = xf->xf_id;
	isakmp_xform_attrs(xf, &c);
	while ((r = isakmp_attr_next(&c, &at)) == 1) {
		if (at.at_type == IPSEC_ATTR_LIFE_TYPE ||
		    at.at_type == IPSEC_ATTR_LIFE_DUR) {
			if (life_attr(&at, at.at_type == IPSEC_ATTR_LIFE_TYPE,
			    &lt, &p2->p2_life_s, &p2->p2_life_kb) == -1)
				bad = 1;
			continue;
		}
		if (!at.at_tv || isakmp_attr_uint(&at, &v) == -1) {
			bad = 1;
			continue;
		}
		switch (at.at_type) {
		case IPSEC_ATTR_GROUP_DESC:
			p2->p2_group = (uint16_t)v;
			break;
		case IPSEC_ATTR_ENCAP_MODE:
			p2->p2_encap = (uint16_t)v;
			break;
		case IPSEC_ATTR_AUTH_ALG:
			p2->p2_auth = (uint16_t)v;
			break;
		case IPSEC_ATTR_KEY_LEN:
			p2->p2_keybits = (uint16_t)v;
			break;
		default:
			/* Key rounds, compression, unknown. */
			bad = 1;
			break;
		}
	}
	if (r == -1 || bad || lt != 0)
		return (-1);
	switch (p2->p2_xform) {
	case ESP_XF_3DES:
		if ((p2->p2_keybits != 0 && p2->p2_keybits != 192) ||
		    p2->p2_auth == 0)
			return (-1);
		p2->p2_keybits = 0;
		break;
	case ESP_XF_AES:
		/* RFC 3602 5: the Key Length attribute is required. */
		if ((p2->p2_keybits != 128 && p2->p2_keybits != 192 &&
		    p2->p2_keybits != 256) || p2->p2_auth == 0)
			return (-1);
		break;
	case ESP_XF_AES_GCM_16:
		/* RFC 4106 8: no separate integrity algorithm. */
		if ((p2->p2_keybits != 128 && p2->p2_keybits != 192 &&
		    p2->p2_keybits != 256) || p2->p2_auth != 0)
			return (-1);
		break;
	default:
		return (-1);
	}
	/* RFC 2407 4.5: no default we could rely on; L2TP clients say. */
	if (p2->p2_encap == 0)
		return (-1);
	return (0);
}

int
proposal_p2_ours(const struct msg_ike_config *ic, const struct ike_p2 *p2)
{
	uint32_t	 i;

	for (i = 0; i < ic->ic_nesp && i < MSG_MAX_SUITES; i++)
		if (ic->ic_esp[i].es_enc == p2->p2_xform &&
		    ic->ic_esp[i].es_keylen == p2->p2_keybits &&
		    ic->ic_esp[i].es_auth == p2->p2_auth)
			return (1);
	return (0);
}

/*
 * Transport mode only (RFC 3193).  nat 1: a NAT is in the way, so the
 * ESP must be UDP-encapsulated (RFC 3947 5.1 mode 4, or the drafts'
 * 61444); 0: no NAT, plain transport; 2: on 4500 without a NAT seen
 * (a negotiation that began there), either.
 */
int
proposal_encap_ok(uint16_t mode, int nat)
{
	int	 udp = mode == IPSEC_ENCAP_UDP_TRANSPORT ||
		    mode == IPSEC_ENCAP_UDP_TRANSPORT_DRAFT;

	if (nat == 2)
		return (udp || mode == IPSEC_ENCAP_TRANSPORT);
	if (nat)
		return (udp);
	return (mode == IPSEC_ENCAP_TRANSPORT);
}

int
proposal_group_ok(const struct msg_ike_config *ic, uint16_t group)
{
	if (!ike_dh_supported(group))
		return (0);
	/* MODP1024 is legacy (RFC 4109 4 keeps it; we want `legacy`). */
	return (group != IKE_GROUP_MODP1024 || ic->ic_legacy);
}

/* Proposal numbers shared by several proposals are an AND (RFC 2408 4.2). */
static int
prop_alone(const struct isakmp_sa *sa, const struct isakmp_prop *pr)
{
	struct cur		 pc;
	struct isakmp_prop	 o;
	int			 n = 0;

	isakmp_sa_props(sa, &pc);
	while (isakmp_prop_next(&pc, &o) == 1)
		if (o.pr_num == pr->pr_num)
			n++;
	return (n == 1);
}

int
proposal_p2_match(const struct msg_ike_config *ic, const struct isakmp_sa *sa,
    int nat, struct isakmp_prop *prop, struct isakmp_xform *xf,
    struct ike_p2 *out, char *offered, size_t offlen, int *legacy_hint)
{
	struct cur		 pc, xc;
	struct isakmp_prop	 pr;
	struct isakmp_xform	 x;
	struct ike_p2		 p2;
	const struct msg_esp_suite *su;
	uint32_t		 i;
	char			 name[96];
	int			 bad;

	if (offlen > 0)
		offered[0] = '\0';
	*legacy_hint = 0;
	isakmp_sa_props(sa, &pc);
	while (isakmp_prop_next(&pc, &pr) == 1) {
		if (pr.pr_proto != ISAKMP_PROTO_ESP) {
			snprintf(name, sizeof(name), "%s",
			    isakmp_proto_name(pr.pr_proto));
			name_add(offered, offlen, name);
			continue;
		}
		isakmp_prop_xforms(&pr, &xc);
		while (isakmp_xform_next(&xc, &x) == 1) {
			bad = proposal_p2_parse(&x, &p2) == -1 &&
			    (p2.p2_xform == ESP_XF_AES ||
			    p2.p2_xform == ESP_XF_3DES ||
			    p2.p2_xform == ESP_XF_AES_GCM_16);
			proposal_p2_name(&p2, name, sizeof(name));
			if (bad)
				strlcat(name, " (unusable attributes)",
				    sizeof(name));
			name_add(offered, offlen, name);
			if (!ic->ic_legacy && (p2.p2_xform == ESP_XF_3DES ||
			    p2.p2_group == IKE_GROUP_MODP1024))
				*legacy_hint = 1;
		}
	}

	for (i = 0; i < ic->ic_nesp && i < MSG_MAX_SUITES; i++) {
		su = &ic->ic_esp[i];
		isakmp_sa_props(sa, &pc);
		while (isakmp_prop_next(&pc, &pr) == 1) {
			if (pr.pr_proto != ISAKMP_PROTO_ESP ||
			    !prop_alone(sa, &pr))
				continue;
			isakmp_prop_xforms(&pr, &xc);
			while (isakmp_xform_next(&xc, &x) == 1) {
				if (proposal_p2_parse(&x, &p2) == -1 ||
				    p2.p2_xform != su->es_enc ||
				    p2.p2_keybits != su->es_keylen ||
				    p2.p2_auth != su->es_auth ||
				    !proposal_encap_ok(p2.p2_encap, nat) ||
				    (p2.p2_group != 0 &&
				    !proposal_group_ok(ic, p2.p2_group)))
					continue;
				*prop = pr;
				*xf = x;
				*out = p2;
				return (0);
			}
		}
	}
	return (-1);
}

int
proposal_p2_keylens(const struct ike_p2 *p2, size_t *enc, size_t *auth)
{
	switch (p2->p2_xform) {
	case ESP_XF_3DES:
		*enc = 24;
		break;
	case ESP_XF_AES:
		*enc = p2->p2_keybits / 8;
		break;
	case ESP_XF_AES_GCM_16:
		/* RFC 4106 8.1: the key and a 4-octet salt. */
		*enc = p2->p2_keybits / 8 + 4;
		break;
	default:
		return (-1);
	}
	switch (p2->p2_auth) {
	case 0:
		*auth = 0;
		break;
	case IPSEC_AUTH_HMAC_SHA:
		*auth = 20;
		break;
	case IPSEC_AUTH_HMAC_SHA2_256:
		*auth = 32;
		break;
	case IPSEC_AUTH_HMAC_SHA2_384:
		*auth = 48;
		break;
	case IPSEC_AUTH_HMAC_SHA2_512:
		*auth = 64;
		break;
	default:
		return (-1);
	}
	return (0);
}

static void
attr(struct isakmp_xform_desc *xd, uint16_t type, uint64_t val)
{
	if (xd->xd_nattrs < ISAKMP_DESC_MAX_ATTRS) {
		xd->xd_attrs[xd->xd_nattrs].ad_type = type;
		xd->xd_attrs[xd->xd_nattrs].ad_val = val;
		xd->xd_nattrs++;
	}
}

/* One transform per suite, in our order (RFC 2409 5: one proposal). */
void
proposal_p1_build(const struct msg_ike_config *ic, uint32_t life,
    struct isakmp_xform_desc *xds, size_t *n)
{
	const struct msg_ike_suite *su;
	uint32_t	 i;

	*n = 0;
	for (i = 0; i < ic->ic_nike && i < MSG_MAX_SUITES; i++) {
		su = &ic->ic_ike[i];
		memset(&xds[*n], 0, sizeof(xds[*n]));
		xds[*n].xd_num = (uint8_t)(*n + 1);
		xds[*n].xd_id = ISAKMP_XF_KEY_IKE;
		attr(&xds[*n], IKE_ATTR_ENCR, su->is_enc);
		if (su->is_keylen != 0)
			attr(&xds[*n], IKE_ATTR_KEY_LEN, su->is_keylen);
		attr(&xds[*n], IKE_ATTR_HASH, su->is_hash);
		attr(&xds[*n], IKE_ATTR_AUTH, IKE_AUTH_PSK);
		attr(&xds[*n], IKE_ATTR_GROUP_DESC, su->is_group);
		if (life != 0) {
			attr(&xds[*n], IKE_ATTR_LIFE_TYPE, IKE_LIFE_SECONDS);
			attr(&xds[*n], IKE_ATTR_LIFE_DUR, life);
		}
		(*n)++;
	}
}

void
proposal_p2_build(const struct msg_ike_config *ic, uint16_t encap,
    uint32_t life, struct isakmp_xform_desc *xds, size_t *n)
{
	const struct msg_esp_suite *su;
	uint32_t	 i;

	*n = 0;
	for (i = 0; i < ic->ic_nesp && i < MSG_MAX_SUITES; i++) {
		su = &ic->ic_esp[i];
		memset(&xds[*n], 0, sizeof(xds[*n]));
		xds[*n].xd_num = (uint8_t)(*n + 1);
		xds[*n].xd_id = (uint8_t)su->es_enc;
		if (life != 0) {
			attr(&xds[*n], IPSEC_ATTR_LIFE_TYPE, IKE_LIFE_SECONDS);
			attr(&xds[*n], IPSEC_ATTR_LIFE_DUR, life);
		}
		attr(&xds[*n], IPSEC_ATTR_ENCAP_MODE, encap);
		if (su->es_auth != 0)
			attr(&xds[*n], IPSEC_ATTR_AUTH_ALG, su->es_auth);
		if (su->es_keylen != 0)
			attr(&xds[*n], IPSEC_ATTR_KEY_LEN, su->es_keylen);
		(*n)++;
	}
}
