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

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>

#include "common/cursor.h"
#include "ike/ike_crypto.h"
#include "ike/ike_dh.h"
#include "ike/isakmp_parse.h"
#include "test.h"

T_DEFINE_GLOBALS;

/*
 * Known answers.  RFCs 2409 and 2407 carry no test vectors, so the key
 * derivation is checked against real exchanges between two strongSwan
 * charons (regress/unit/ike_vectors/, README there): from the captured
 * packets, the PSK and the DH secret charon logged, we derive SKEYID*,
 * the encryption key and the IVs, decrypt Main Mode 5/6 and Quick Mode
 * 1/2, check HASH_I, HASH_R, HASH(1), HASH(2) and KEYMAT against what
 * charon computed and sent, byte for byte.  HMAC and AES-CBC have their
 * own vectors in RFC 4868 2.7.1 and RFC 3602 4, ECP in RFC 5903 8.
 */

static const char *vecdir = "regress/unit/ike_vectors";

static const char *vecfiles[] = {
	"aes128-sha1-modp2048.txt",
	"aes256-sha256-ecp256.txt",
	"aes128-sha1-modp1024.txt",
	"aes256-sha1-modp1536.txt",
	"3des-sha1-modp3072.txt",
	"aes256-sha384-ecp384.txt",
	"aes128-sha512-modp4096.txt",
};

#define VEC_MAX		64
#define VEC_BUFLEN	2048

struct vec {
	char		*v_key;
	char		*v_val;
};

struct vecfile {
	struct vec	 vf_v[VEC_MAX];
	size_t		 vf_n;
};

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return (c - '0');
	if (c >= 'a' && c <= 'f')
		return (c - 'a' + 10);
	if (c >= 'A' && c <= 'F')
		return (c - 'A' + 10);
	return (-1);
}

/* Decodes hex (spaces ignored) into buf; the length or -1. */
static long
unhex(const char *s, uint8_t *buf, size_t cap)
{
	size_t	 n = 0;
	int	 hi, lo;

	while (*s != '\0') {
		if (*s == ' ' || *s == '\n') {
			s++;
			continue;
		}
		if ((hi = hexval(s[0])) == -1 || (lo = hexval(s[1])) == -1 ||
		    n == cap)
			return (-1);
		buf[n++] = (uint8_t)(hi << 4 | lo);
		s += 2;
	}
	return ((long)n);
}

static void
vec_free(struct vecfile *vf)
{
	size_t	 i;

	for (i = 0; i < vf->vf_n; i++) {
		free(vf->vf_v[i].v_key);
		free(vf->vf_v[i].v_val);
	}
	vf->vf_n = 0;
}

static int
vec_load(const char *name, struct vecfile *vf)
{
	char	 path[1024], line[8192], *sp, *nl;
	FILE	*f;

	memset(vf, 0, sizeof(*vf));
	snprintf(path, sizeof(path), "%s/%s", vecdir, name);
	if ((f = fopen(path, "r")) == NULL) {
		printf("# cannot open %s\n", path);
		return (-1);
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		if ((nl = strchr(line, '\n')) != NULL)
			*nl = '\0';
		if (line[0] == '#' || line[0] == '\0')
			continue;
		if ((sp = strchr(line, ' ')) == NULL || vf->vf_n == VEC_MAX)
			break;
		*sp = '\0';
		vf->vf_v[vf->vf_n].v_key = strdup(line);
		vf->vf_v[vf->vf_n].v_val = strdup(sp + 1);
		vf->vf_n++;
	}
	fclose(f);
	return (0);
}

static const char *
vec_str(const struct vecfile *vf, const char *key)
{
	size_t	 i;

	for (i = 0; i < vf->vf_n; i++)
		if (strcmp(vf->vf_v[i].v_key, key) == 0)
			return (vf->vf_v[i].v_val);
	return (NULL);
}

static unsigned long
vec_num(const struct vecfile *vf, const char *key)
{
	const char	*s = vec_str(vf, key);

	return (s == NULL ? 0 : strtoul(s, NULL, 10));
}

/* Hex value of a key into buf; its length, 0 if absent or bad. */
static size_t
vec_bytes(const struct vecfile *vf, const char *key, uint8_t *buf,
    size_t cap)
{
	const char	*s = vec_str(vf, key);
	long		 n;

	if (s == NULL || (n = unhex(s, buf, cap)) <= 0)
		return (0);
	return ((size_t)n);
}

static struct ike_chunk
ck(const void *p, size_t len)
{
	struct ike_chunk	 c;

	c.ck_p = p;
	c.ck_len = len;
	return (c);
}

/*
 * The plaintext payload area of an encrypted message: decrypts a copy
 * of msg after the header into out with the IV at iv (left holding the
 * last ciphertext block) and parses the chain.
 */
static int
decrypt_msg(const uint8_t *msg, size_t len, const struct ike_keys *k,
    uint8_t *iv, uint8_t *out, struct isakmp_hdr *h, struct isakmp_msg *m)
{
	struct isakmp_err	 err;
	size_t			 plen;

	if (isakmp_parse_header(msg, len, h, &err) == -1 ||
	    !(h->ih_flags & ISAKMP_FLAG_E))
		return (-1);
	plen = len - ISAKMP_HDR_LEN;
	memcpy(out, msg + ISAKMP_HDR_LEN, plen);
	if (ike_cbc_decrypt(k->k_encr, k->k_key, k->k_keylen, iv, out,
	    plen) == -1)
		return (-1);
	if (isakmp_parse_payloads(h->ih_next, out, plen, k->k_blocklen, m,
	    &err) == -1) {
		printf("# parse: %s at %zu\n", err.ie_why, err.ie_off);
		return (-1);
	}
	return (0);
}

/* The first proposal and transform of the only SA payload of a message. */
static int
first_xform(const struct isakmp_msg *m, struct isakmp_prop *pr,
    struct isakmp_xform *xf)
{
	struct cur	 c, xc;

	if (m->im_nsa != 1)
		return (-1);
	isakmp_sa_props(&m->im_sa[0], &c);
	if (isakmp_prop_next(&c, pr) != 1)
		return (-1);
	isakmp_prop_xforms(pr, &xc);
	return (isakmp_xform_next(&xc, xf) == 1 ? 0 : -1);
}

static unsigned long
xform_attr(const struct isakmp_xform *xf, uint16_t type)
{
	struct isakmp_attr	 at;
	uint64_t		 v;

	if (isakmp_xform_attr(xf, type, &at) != 1 ||
	    isakmp_attr_uint(&at, &v) == -1)
		return (0);
	return ((unsigned long)v);
}

/* Main Mode 1 rebuilt with our builders must be charon's bytes. */
static void
check_rebuild_mm1(const uint8_t *mm1, size_t len, const struct isakmp_hdr *h,
    const struct isakmp_msg *m)
{
	struct isakmp_xform_desc xd;
	struct isakmp_prop_desc	 pd;
	struct isakmp_sa_desc	 sd;
	struct isakmp_prop	 pr;
	struct isakmp_xform	 xf;
	struct isakmp_attr	 at;
	struct isakmp_wr	 w;
	struct obuf		 ob;
	struct cur		 c;
	uint8_t			 buf[VEC_BUFLEN];
	size_t			 i;

	T_ASSERT_RET(first_xform(m, &pr, &xf) == 0);
	memset(&xd, 0, sizeof(xd));
	xd.xd_num = xf.xf_num;
	xd.xd_id = xf.xf_id;
	isakmp_xform_attrs(&xf, &c);
	while (isakmp_attr_next(&c, &at) == 1 &&
	    xd.xd_nattrs < ISAKMP_DESC_MAX_ATTRS) {
		T_ASSERT(isakmp_attr_uint(&at, &xd.xd_attrs[xd.xd_nattrs].
		    ad_val) == 0);
		xd.xd_attrs[xd.xd_nattrs++].ad_type = at.at_type;
	}
	memset(&pd, 0, sizeof(pd));
	pd.pd_num = pr.pr_num;
	pd.pd_proto = pr.pr_proto;
	pd.pd_nxforms = 1;
	pd.pd_xforms = &xd;
	sd.sd_doi = ISAKMP_DOI_IPSEC;
	sd.sd_sit = IPSEC_SIT_IDENTITY_ONLY;
	sd.sd_nprops = 1;
	sd.sd_props = &pd;

	obuf_init(&ob, buf, sizeof(buf));
	isakmp_wr_header(&w, &ob, h);
	isakmp_build_sa(&w, &sd);
	for (i = 0; i < m->im_nvid; i++)
		isakmp_build_vid(&w, m->im_vid[i].b_data, m->im_vid[i].b_len);
	isakmp_wr_finish(&w);
	T_ASSERT_RET(obuf_error(&ob) == 0);
	T_ASSERT(ob.o_len == len);
	T_ASSERT(ob.o_len == len && memcmp(buf, mm1, len) == 0);
}

/* The NAT-D hashes of one message: first the destination, then us. */
static void
check_natd(const struct isakmp_msg *m, uint16_t hash, const uint8_t *cky_i,
    const uint8_t *cky_r, const uint8_t *dst, uint16_t dport,
    const uint8_t *src, uint16_t sport)
{
	uint8_t	 h[IKE_HASH_MAXLEN];
	size_t	 hlen = ike_hash_len(hash);

	T_ASSERT_RET(m->im_nnatd == 2);
	T_ASSERT(m->im_natd[0].b_type == ISAKMP_PL_NATD);
	T_ASSERT(ike_natd_hash(hash, cky_i, cky_r, dst, 4, dport, h) == 0);
	T_ASSERT(m->im_natd[0].b_len == hlen &&
	    memcmp(m->im_natd[0].b_data, h, hlen) == 0);
	T_ASSERT(ike_natd_hash(hash, cky_i, cky_r, src, 4, sport, h) == 0);
	T_ASSERT(m->im_natd[1].b_len == hlen &&
	    memcmp(m->im_natd[1].b_data, h, hlen) == 0);
}

static void
check_exchange(const char *file)
{
	struct vecfile		 vf;
	struct isakmp_hdr	 h1, h2, h3, h4, h5, h6, hq1, hq2, hi;
	static struct isakmp_msg m1, m2, m3, m4, m5, m6, mq1, mq2, mi;
	struct isakmp_err	 err;
	struct isakmp_prop	 pr;
	struct isakmp_xform	 xf;
	struct ike_keys		 k;
	static uint8_t		 mm[9][VEC_BUFLEN], pt[9][VEC_BUFLEN];
	static const char	*mmname[9] = { "mm1", "mm2", "mm3", "mm4",
	    "mm5", "mm6", "qm1", "qm2", "info1" };
	size_t			 mmlen[9];
	uint8_t			 psk[64], gxy[IKE_DH_MAXLEN], v[VEC_BUFLEN];
	uint8_t			 iv[IKE_BLOCK_MAXLEN];
	uint8_t			 last_p1[IKE_BLOCK_MAXLEN];
	uint8_t			 out[IKE_HASH_MAXLEN], qgxy[IKE_DH_MAXLEN];
	uint8_t			 km[256], ia[4], ra[4], spi_i[4], spi_r[4];
	const uint8_t		*rest;
	size_t			 psklen, gxylen, vlen, qgxylen, restlen, i;
	size_t			 hlen, bs, enclen, integlen;
	uint16_t		 encr, hash, group, iport, rport;
	unsigned int		 keybits;
	uint32_t		 msgid;
	int			 natt = 0, dpd = 0, draft = 0;

	printf("# vectors %s\n", file);
	T_ASSERT_RET(vec_load(file, &vf) == 0);
	encr = (uint16_t)vec_num(&vf, "ike_encr");
	keybits = (unsigned int)vec_num(&vf, "ike_keybits");
	hash = (uint16_t)vec_num(&vf, "ike_hash");
	group = (uint16_t)vec_num(&vf, "ike_group");
	iport = (uint16_t)vec_num(&vf, "i_port");
	rport = (uint16_t)vec_num(&vf, "r_port");
	hlen = ike_hash_len(hash);
	bs = ike_cipher_blocklen(encr);
	T_ASSERT(hlen != 0 && bs != 0);
	T_ASSERT(vec_bytes(&vf, "i_addr", ia, sizeof(ia)) == 4);
	T_ASSERT(vec_bytes(&vf, "r_addr", ra, sizeof(ra)) == 4);
	psklen = vec_bytes(&vf, "psk", psk, sizeof(psk));
	gxylen = vec_bytes(&vf, "gxy", gxy, sizeof(gxy));
	T_ASSERT(psklen > 0 && gxylen == ike_dh_secretlen(group));
	for (i = 0; i < 9; i++) {
		mmlen[i] = vec_bytes(&vf, mmname[i], mm[i], VEC_BUFLEN);
		T_ASSERT(mmlen[i] >= ISAKMP_HDR_LEN);
	}
	if (t_cur_failed)
		goto done;

	/* Main Mode 1: SA with the suite and the vendor IDs we act on. */
	T_ASSERT_RET(isakmp_parse(mm[0], mmlen[0], &h1, &m1, &err) == 0);
	T_ASSERT(h1.ih_xchg == ISAKMP_XCHG_IDPROT && h1.ih_msgid == 0);
	T_ASSERT(first_xform(&m1, &pr, &xf) == 0);
	T_ASSERT(pr.pr_proto == ISAKMP_PROTO_ISAKMP &&
	    xf.xf_id == ISAKMP_XF_KEY_IKE);
	T_ASSERT(xform_attr(&xf, IKE_ATTR_ENCR) == encr);
	T_ASSERT(xform_attr(&xf, IKE_ATTR_KEY_LEN) == keybits);
	T_ASSERT(xform_attr(&xf, IKE_ATTR_HASH) == hash);
	T_ASSERT(xform_attr(&xf, IKE_ATTR_AUTH) == IKE_AUTH_PSK);
	T_ASSERT(xform_attr(&xf, IKE_ATTR_GROUP_DESC) == group);
	for (i = 0; i < m1.im_nvid; i++)
		switch (isakmp_vid_lookup(m1.im_vid[i].b_data,
		    m1.im_vid[i].b_len)) {
		case ISAKMP_VID_NATT_RFC3947:
			natt++;
			break;
		case ISAKMP_VID_DPD:
			dpd++;
			break;
		case ISAKMP_VID_NATT_DRAFT02N:
			draft++;
			break;
		default:
			break;
		}
	T_ASSERT(natt == 1 && dpd == 1 && draft == 1);
	check_rebuild_mm1(mm[0], mmlen[0], &h1, &m1);

	/* Main Mode 2: one proposal, one transform, the responder cookie. */
	T_ASSERT_RET(isakmp_parse(mm[1], mmlen[1], &h2, &m2, &err) == 0);
	T_ASSERT(memcmp(h2.ih_icookie, h1.ih_icookie, 8) == 0);
	T_ASSERT(m2.im_nsa == 1 && m2.im_sa[0].sa_nprops == 1);

	/* Main Mode 3 and 4: KE, nonces, NAT-D. */
	T_ASSERT_RET(isakmp_parse(mm[2], mmlen[2], &h3, &m3, &err) == 0);
	T_ASSERT_RET(isakmp_parse(mm[3], mmlen[3], &h4, &m4, &err) == 0);
	T_ASSERT_RET(m3.im_nke == 1 && m4.im_nke == 1 &&
	    m3.im_nnonce == 1 && m4.im_nnonce == 1);
	T_ASSERT(m3.im_ke[0].b_len == ike_dh_publen(group));
	T_ASSERT(ike_dh_check_peer(group, m3.im_ke[0].b_data,
	    m3.im_ke[0].b_len) == 0);
	T_ASSERT(ike_dh_check_peer(group, m4.im_ke[0].b_data,
	    m4.im_ke[0].b_len) == 0);
	check_natd(&m3, hash, h1.ih_icookie, h2.ih_rcookie, ra, rport, ia,
	    iport);
	check_natd(&m4, hash, h1.ih_icookie, h2.ih_rcookie, ia, iport, ra,
	    rport);

	/* The phase 1 keys (RFC 2409 5, Appendix B). */
	T_ASSERT_RET(ike_keys_psk(&k, hash, encr, keybits, psk, psklen,
	    ck(m3.im_nonce[0].b_data, m3.im_nonce[0].b_len),
	    ck(m4.im_nonce[0].b_data, m4.im_nonce[0].b_len),
	    ck(gxy, gxylen), h1.ih_icookie, h2.ih_rcookie) == 0);
	vlen = vec_bytes(&vf, "skeyid", v, sizeof(v));
	T_ASSERT(vlen == hlen && memcmp(k.k_skeyid, v, hlen) == 0);
	vlen = vec_bytes(&vf, "skeyid_d", v, sizeof(v));
	T_ASSERT(vlen == hlen && memcmp(k.k_skeyid_d, v, hlen) == 0);
	vlen = vec_bytes(&vf, "skeyid_a", v, sizeof(v));
	T_ASSERT(vlen == hlen && memcmp(k.k_skeyid_a, v, hlen) == 0);
	vlen = vec_bytes(&vf, "skeyid_e", v, sizeof(v));
	T_ASSERT(vlen == hlen && memcmp(k.k_skeyid_e, v, hlen) == 0);
	vlen = vec_bytes(&vf, "enckey", v, sizeof(v));
	T_ASSERT(vlen == k.k_keylen && memcmp(k.k_key, v, vlen) == 0);
	T_ASSERT(ike_iv_phase1(hash, ck(m3.im_ke[0].b_data,
	    m3.im_ke[0].b_len), ck(m4.im_ke[0].b_data, m4.im_ke[0].b_len),
	    bs, iv) == 0);
	vlen = vec_bytes(&vf, "iv_p1", v, sizeof(v));
	T_ASSERT(vlen == bs && memcmp(iv, v, bs) == 0);
	if (t_cur_failed)
		goto done;

	/* Main Mode 5: decrypt, HASH_I over IDii_b; re-encrypt to match. */
	memcpy(v, iv, bs);
	T_ASSERT_RET(decrypt_msg(mm[4], mmlen[4], &k, iv, pt[4], &h5,
	    &m5) == 0);
	T_ASSERT_RET(m5.im_nid == 1 && m5.im_nhash == 1);
	T_ASSERT(m5.im_pad < bs || m5.im_pad == bs);
	T_ASSERT(ike_hash_i(hash, k.k_skeyid,
	    ck(m3.im_ke[0].b_data, m3.im_ke[0].b_len),
	    ck(m4.im_ke[0].b_data, m4.im_ke[0].b_len),
	    h1.ih_icookie, h2.ih_rcookie,
	    ck(m1.im_sa[0].sa_body, m1.im_sa[0].sa_blen),
	    ck(m5.im_id[0].id_body, m5.im_id[0].id_blen), out) == 0);
	T_ASSERT(m5.im_hash[0].b_len == hlen &&
	    memcmp(m5.im_hash[0].b_data, out, hlen) == 0);
	T_ASSERT(vec_bytes(&vf, "hash_i", v + 64, 64) == hlen &&
	    memcmp(v + 64, out, hlen) == 0);
	T_ASSERT(ike_cbc_encrypt(encr, k.k_key, k.k_keylen, v, pt[4],
	    mmlen[4] - ISAKMP_HDR_LEN) == 0);
	T_ASSERT(memcmp(pt[4], mm[4] + ISAKMP_HDR_LEN,
	    mmlen[4] - ISAKMP_HDR_LEN) == 0);
	T_ASSERT(memcmp(v, iv, bs) == 0);

	/* Main Mode 6: the IV chains on; HASH_R over IDir_b. */
	T_ASSERT_RET(decrypt_msg(mm[5], mmlen[5], &k, iv, pt[5], &h6,
	    &m6) == 0);
	T_ASSERT_RET(m6.im_nid == 1 && m6.im_nhash == 1);
	T_ASSERT(ike_hash_r(hash, k.k_skeyid,
	    ck(m3.im_ke[0].b_data, m3.im_ke[0].b_len),
	    ck(m4.im_ke[0].b_data, m4.im_ke[0].b_len),
	    h1.ih_icookie, h2.ih_rcookie,
	    ck(m1.im_sa[0].sa_body, m1.im_sa[0].sa_blen),
	    ck(m6.im_id[0].id_body, m6.im_id[0].id_blen), out) == 0);
	T_ASSERT(m6.im_hash[0].b_len == hlen &&
	    memcmp(m6.im_hash[0].b_data, out, hlen) == 0);
	T_ASSERT(vec_bytes(&vf, "hash_r", v, 64) == hlen &&
	    memcmp(v, out, hlen) == 0);
	memcpy(last_p1, iv, bs);

	/* Quick Mode 1: IV from the last phase 1 block and the M-ID. */
	msgid = (uint32_t)vec_num(&vf, "qm_msgid");
	T_ASSERT(ike_iv_phase2(hash, last_p1, bs, msgid, iv) == 0);
	T_ASSERT(vec_bytes(&vf, "iv_qm", v, sizeof(v)) == bs &&
	    memcmp(v, iv, bs) == 0);
	T_ASSERT_RET(decrypt_msg(mm[6], mmlen[6], &k, iv, pt[6], &hq1,
	    &mq1) == 0);
	T_ASSERT(hq1.ih_xchg == ISAKMP_XCHG_QUICK && hq1.ih_msgid == msgid);
	T_ASSERT_RET(mq1.im_npl > 1 && mq1.im_pl[0].pl_type == ISAKMP_PL_HASH);
	T_ASSERT_RET(mq1.im_nnonce == 1 && mq1.im_nid == 2);
	isakmp_msg_after(&mq1, 0, &rest, &restlen);
	T_ASSERT(ike_qm_hash1(hash, k.k_skeyid_a, msgid, ck(rest, restlen),
	    out) == 0);
	T_ASSERT(memcmp(mq1.im_hash[0].b_data, out, hlen) == 0);
	T_ASSERT(vec_bytes(&vf, "qm_hash1", v, 64) == hlen &&
	    memcmp(v, out, hlen) == 0);
	T_ASSERT_RET(first_xform(&mq1, &pr, &xf) == 0);
	T_ASSERT(pr.pr_proto == ISAKMP_PROTO_ESP && pr.pr_spisize == 4);
	T_ASSERT(xform_attr(&xf, IPSEC_ATTR_ENCAP_MODE) ==
	    IPSEC_ENCAP_TRANSPORT);
	memcpy(spi_i, pr.pr_spi, 4);
	T_ASSERT(mq1.im_id[0].id_type == IPSEC_ID_IPV4_ADDR &&
	    mq1.im_id[0].id_proto == 17 && mq1.im_id[0].id_port == 1701 &&
	    memcmp(mq1.im_id[0].id_data, ia, 4) == 0);

	/* Quick Mode 2: HASH(2) takes Ni_b in front. */
	T_ASSERT_RET(decrypt_msg(mm[7], mmlen[7], &k, iv, pt[7], &hq2,
	    &mq2) == 0);
	T_ASSERT_RET(mq2.im_npl > 1 && mq2.im_pl[0].pl_type == ISAKMP_PL_HASH);
	T_ASSERT_RET(mq2.im_nnonce == 1);
	isakmp_msg_after(&mq2, 0, &rest, &restlen);
	T_ASSERT(ike_qm_hash2(hash, k.k_skeyid_a, msgid,
	    ck(mq1.im_nonce[0].b_data, mq1.im_nonce[0].b_len),
	    ck(rest, restlen), out) == 0);
	T_ASSERT(memcmp(mq2.im_hash[0].b_data, out, hlen) == 0);
	T_ASSERT(vec_bytes(&vf, "qm_hash2", v, 64) == hlen &&
	    memcmp(v, out, hlen) == 0);
	T_ASSERT_RET(first_xform(&mq2, &pr, &xf) == 0);
	memcpy(spi_r, pr.pr_spi, 4);

	/*
	 * KEYMAT, both directions.  charon's "initiator" keys protect
	 * traffic from the initiator, so they come from the SPI the
	 * responder chose, and the other way round; encryption key first,
	 * then the integrity key.
	 */
	qgxylen = vec_bytes(&vf, "qm_gxy", qgxy, sizeof(qgxy));
	T_ASSERT((qgxylen != 0) == (mq1.im_nke == 1 && mq2.im_nke == 1));
	enclen = vec_bytes(&vf, "esp_enc_i", v, sizeof(v));
	integlen = vec_bytes(&vf, "esp_integ_i", v + enclen,
	    sizeof(v) - enclen);
	T_ASSERT_RET(enclen > 0 && integlen > 0);
	T_ASSERT(ike_keymat(hash, k.k_skeyid_d, ck(qgxy, qgxylen),
	    ISAKMP_PROTO_ESP, spi_r, 4,
	    ck(mq1.im_nonce[0].b_data, mq1.im_nonce[0].b_len),
	    ck(mq2.im_nonce[0].b_data, mq2.im_nonce[0].b_len),
	    km, enclen + integlen) == 0);
	T_ASSERT(memcmp(km, v, enclen + integlen) == 0);
	T_ASSERT(vec_bytes(&vf, "esp_enc_r", v, sizeof(v)) == enclen);
	T_ASSERT(vec_bytes(&vf, "esp_integ_r", v + enclen,
	    sizeof(v) - enclen) == integlen);
	T_ASSERT(ike_keymat(hash, k.k_skeyid_d, ck(qgxy, qgxylen),
	    ISAKMP_PROTO_ESP, spi_i, 4,
	    ck(mq1.im_nonce[0].b_data, mq1.im_nonce[0].b_len),
	    ck(mq2.im_nonce[0].b_data, mq2.im_nonce[0].b_len),
	    km, enclen + integlen) == 0);
	T_ASSERT(memcmp(km, v, enclen + integlen) == 0);

	/*
	 * The informational that followed: its IV comes from the last
	 * phase 1 block and its own M-ID, not from the Quick Mode chain;
	 * HASH(1) = prf(SKEYID_a, M-ID | N).
	 */
	T_ASSERT_RET(isakmp_parse_header(mm[8], mmlen[8], &hi, &err) == 0);
	T_ASSERT(ike_iv_phase2(hash, last_p1, bs, hi.ih_msgid, iv) == 0);
	T_ASSERT_RET(decrypt_msg(mm[8], mmlen[8], &k, iv, pt[8], &hi,
	    &mi) == 0);
	T_ASSERT(hi.ih_xchg == ISAKMP_XCHG_INFO);
	T_ASSERT_RET(mi.im_nn == 1 && mi.im_nhash == 1 &&
	    mi.im_pl[0].pl_type == ISAKMP_PL_HASH);
	T_ASSERT(mi.im_n[0].n_type == ISAKMP_N_NO_PROPOSAL_CHOSEN);
	isakmp_msg_after(&mi, 0, &rest, &restlen);
	T_ASSERT(ike_qm_hash1(hash, k.k_skeyid_a, hi.ih_msgid,
	    ck(rest, restlen), out) == 0);
	T_ASSERT(memcmp(mi.im_hash[0].b_data, out, hlen) == 0);
 done:
	ike_keys_clear(&k);
	vec_free(&vf);
}

static void
test_vectors_strongswan(void)
{
	size_t	 i;

	for (i = 0; i < sizeof(vecfiles) / sizeof(vecfiles[0]); i++)
		check_exchange(vecfiles[i]);
}

/* RFC 4868 2.7.1, test cases PRF-1 and PRF-2. */
static void
test_prf_rfc4868(void)
{
	static const struct {
		uint16_t	 hash;
		const char	*key, *data, *out;
	} tv[] = {
		{ IKE_HASH_SHA2_256,
		  "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b",
		  "4869205468657265",
		  "b0344c61d8db38535ca8afceaf0bf12b"
		  "881dc200c9833da726e9376c2e32cff7" },
		{ IKE_HASH_SHA2_384,
		  "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b",
		  "4869205468657265",
		  "afd03944d84895626b0825f4ab46907f"
		  "15f9dadbe4101ec682aa034c7cebc59c"
		  "faea9ea9076ede7f4af152e8b2fa9cb6" },
		{ IKE_HASH_SHA2_512,
		  "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b",
		  "4869205468657265",
		  "87aa7cdea5ef619d4ff0b4241a1d6cb0"
		  "2379f4e2ce4ec2787ad0b30545e17cde"
		  "daa833b7d6b8a702038b274eaea3f4e4"
		  "be9d914eeb61f1702e696c203a126854" },
		{ IKE_HASH_SHA2_256, "4a656665",
		  "7768617420646f2079612077616e7420"
		  "666f72206e6f7468696e673f",
		  "5bdcc146bf60754e6a042426089575c7"
		  "5a003f089d2739839dec58b964ec3843" },
		{ IKE_HASH_SHA2_512, "4a656665",
		  "7768617420646f2079612077616e7420"
		  "666f72206e6f7468696e673f",
		  "164b7a7bfcf819e2e395fbe73b56e0a3"
		  "87bd64222e831fd610270cd7ea250554"
		  "9758bf75c05a994a6d034f65f8f0e6fd"
		  "caeab1a34d4a6b4b636e070a38bce737" },
	};
	struct ike_chunk parts[2];
	uint8_t		 key[64], data[64], want[64], out[64];
	long		 kl, dl, ol;
	size_t		 i;

	for (i = 0; i < sizeof(tv) / sizeof(tv[0]); i++) {
		kl = unhex(tv[i].key, key, sizeof(key));
		dl = unhex(tv[i].data, data, sizeof(data));
		ol = unhex(tv[i].out, want, sizeof(want));
		T_ASSERT((size_t)ol == ike_hash_len(tv[i].hash));
		/* Split the data: the prf takes concatenations. */
		parts[0] = ck(data, 3);
		parts[1] = ck(data + 3, (size_t)dl - 3);
		T_ASSERT(ike_prf(tv[i].hash, key, (size_t)kl, parts, 2,
		    out) == 0);
		T_ASSERT(memcmp(out, want, (size_t)ol) == 0);
	}
	/* What we do not do, and a key EVP would take as "keep the old". */
	T_ASSERT(ike_hash_len(IKE_HASH_MD5) == 0);
	T_ASSERT(ike_prf(IKE_HASH_MD5, key, 4, parts, 1, out) == -1);
	T_ASSERT(ike_prf(IKE_HASH_SHA1, key, 0, parts, 1, out) == -1);
	T_ASSERT(ike_hash(IKE_HASH_TIGER, parts, 1, out) == -1);
}

/* RFC 3602 4, cases 1-4, and the IV left for the next message. */
static void
test_cbc_rfc3602(void)
{
	static const struct {
		const char	*key, *iv, *pt, *ct;
	} tv[] = {
		{ "06a9214036b8a15b512e03d534120006",
		  "3dafba429d9eb430b422da802c9fac41",
		  "53696e676c6520626c6f636b206d7367",
		  "e353779c1079aeb82708942dbe77181a" },
		{ "c286696d887c9aa0611bbb3e2025a45a",
		  "562e17996d093d28ddb3ba695a2e6f58",
		  "000102030405060708090a0b0c0d0e0f"
		  "101112131415161718191a1b1c1d1e1f",
		  "d296cd94c2cccf8a3a863028b5e1dc0a"
		  "7586602d253cfff91b8266bea6d61ab1" },
		{ "6c3ea0477630ce21a2ce334aa746c2cd",
		  "c782dc4c098c66cbd9cd27d825682c81",
		  "5468697320697320612034382d627974"
		  "65206d65737361676520286578616374"
		  "6c7920332041455320626c6f636b7329",
		  "d0a02b3836451753d493665d33f0e886"
		  "2dea54cdb293abc7506939276772f8d5"
		  "021c19216bad525c8579695d83ba2684" },
		{ "56e47a38c5598974bc46903dba290349",
		  "8ce82eefbea0da3c44699ed7db51b7d9",
		  "a0a1a2a3a4a5a6a7a8a9aaabacadaeaf"
		  "b0b1b2b3b4b5b6b7b8b9babbbcbdbebf"
		  "c0c1c2c3c4c5c6c7c8c9cacbcccdcecf"
		  "d0d1d2d3d4d5d6d7d8d9dadbdcdddedf",
		  "c30e32ffedc0774e6aff6af0869f71aa"
		  "0f3af07a9a31a9c684db207eb0ef8e4e"
		  "35907aa632c3ffdf868bb7b29d3d46ad"
		  "83ce9f9a102ee99d49a53e87f4c3da55" },
	};
	uint8_t		 key[16], iv[16], iv0[16], pt[64], ct[64], buf[64];
	long		 kl, pl, cl;
	size_t		 i;

	for (i = 0; i < sizeof(tv) / sizeof(tv[0]); i++) {
		kl = unhex(tv[i].key, key, sizeof(key));
		T_ASSERT(unhex(tv[i].iv, iv0, sizeof(iv0)) == 16);
		pl = unhex(tv[i].pt, pt, sizeof(pt));
		cl = unhex(tv[i].ct, ct, sizeof(ct));
		T_ASSERT_RET(kl == 16 && pl == cl && pl > 0);
		memcpy(buf, pt, (size_t)pl);
		memcpy(iv, iv0, 16);
		T_ASSERT(ike_cbc_encrypt(IKE_ENCR_AES, key, 16, iv, buf,
		    (size_t)pl) == 0);
		T_ASSERT(memcmp(buf, ct, (size_t)cl) == 0);
		T_ASSERT(memcmp(iv, ct + cl - 16, 16) == 0);
		memcpy(iv, iv0, 16);
		T_ASSERT(ike_cbc_decrypt(IKE_ENCR_AES, key, 16, iv, buf,
		    (size_t)cl) == 0);
		T_ASSERT(memcmp(buf, pt, (size_t)pl) == 0);
		T_ASSERT(memcmp(iv, ct + cl - 16, 16) == 0);
	}
	/* Chaining: two calls equal one call over both halves. */
	T_ASSERT(unhex(tv[3].pt, pt, sizeof(pt)) == 64);
	T_ASSERT(unhex(tv[3].iv, iv, sizeof(iv)) == 16);
	T_ASSERT(unhex(tv[3].key, key, sizeof(key)) == 16);
	T_ASSERT(ike_cbc_encrypt(IKE_ENCR_AES, key, 16, iv, pt, 32) == 0);
	T_ASSERT(ike_cbc_encrypt(IKE_ENCR_AES, key, 16, iv, pt + 32, 32) == 0);
	T_ASSERT(unhex(tv[3].ct, ct, sizeof(ct)) == 64);
	T_ASSERT(memcmp(pt, ct, 64) == 0);
	/* Not a whole number of blocks, wrong key length, no such cipher. */
	T_ASSERT(ike_cbc_encrypt(IKE_ENCR_AES, key, 16, iv, pt, 15) == -1);
	T_ASSERT(ike_cbc_decrypt(IKE_ENCR_3DES, key, 16, iv, pt, 16) == -1);
	T_ASSERT(ike_cbc_decrypt(IKE_ENCR_DES, key, 8, iv, pt, 16) == -1);
}

static void
test_cipher_params(void)
{
	T_ASSERT(ike_cipher_keylen(IKE_ENCR_AES, 128) == 16);
	T_ASSERT(ike_cipher_keylen(IKE_ENCR_AES, 192) == 24);
	T_ASSERT(ike_cipher_keylen(IKE_ENCR_AES, 256) == 32);
	/* RFC 3602 5.3: the Key Length attribute MUST be there for AES. */
	T_ASSERT(ike_cipher_keylen(IKE_ENCR_AES, 0) == 0);
	T_ASSERT(ike_cipher_keylen(IKE_ENCR_AES, 64) == 0);
	/* RFC 2409 Appendix A: and MUST NOT be for a fixed-length cipher. */
	T_ASSERT(ike_cipher_keylen(IKE_ENCR_3DES, 0) == 24);
	T_ASSERT(ike_cipher_keylen(IKE_ENCR_3DES, 192) == 0);
	T_ASSERT(ike_cipher_keylen(IKE_ENCR_DES, 0) == 0);
	T_ASSERT(ike_cipher_blocklen(IKE_ENCR_AES) == 16);
	T_ASSERT(ike_cipher_blocklen(IKE_ENCR_3DES) == 8);
	T_ASSERT(ike_cipher_blocklen(IKE_ENCR_BLOWFISH) == 0);
	T_ASSERT(ike_hash_len(IKE_HASH_SHA1) == 20);
	T_ASSERT(ike_hash_len(IKE_HASH_SHA2_256) == 32);
	T_ASSERT(ike_hash_len(IKE_HASH_SHA2_384) == 48);
	T_ASSERT(ike_hash_len(IKE_HASH_SHA2_512) == 64);
}

/*
 * Appendix B expansion against a plain re-computation: K1 = prf(e, 0),
 * K2 = prf(e, K1), the key their first bytes.  (The captured AES-256 /
 * SHA1 and 3DES / SHA1 exchanges check the same against charon.)
 */
static void
test_enckey_expansion(void)
{
	struct ike_chunk p;
	uint8_t		 e[20], k1[20], k2[20], key[32], zero = 0;
	size_t		 i;

	for (i = 0; i < sizeof(e); i++)
		e[i] = (uint8_t)(i * 7 + 1);
	p = ck(&zero, 1);
	T_ASSERT(ike_prf(IKE_HASH_SHA1, e, 20, &p, 1, k1) == 0);
	p = ck(k1, 20);
	T_ASSERT(ike_prf(IKE_HASH_SHA1, e, 20, &p, 1, k2) == 0);
	T_ASSERT(ike_enckey(IKE_HASH_SHA1, e, 32, key) == 0);
	T_ASSERT(memcmp(key, k1, 20) == 0 && memcmp(key + 20, k2, 12) == 0);
	/* Short enough: SKEYID_e itself, cut. */
	T_ASSERT(ike_enckey(IKE_HASH_SHA1, e, 16, key) == 0);
	T_ASSERT(memcmp(key, e, 16) == 0);
	T_ASSERT(ike_enckey(IKE_HASH_SHA1, e, 20, key) == 0);
	T_ASSERT(memcmp(key, e, 20) == 0);
	T_ASSERT(ike_enckey(IKE_HASH_SHA1, e, 64, key) == -1);
}

/* KEYMAT longer than three prf outputs, and a partial last block. */
static void
test_keymat_expansion(void)
{
	struct ike_chunk parts[5];
	uint8_t		 d[20], ni[16], nr[16], spi[4] = { 1, 2, 3, 4 };
	uint8_t		 k[3][20], km[50], proto = ISAKMP_PROTO_ESP;
	size_t		 i;

	memset(d, 0x11, sizeof(d));
	memset(ni, 0x22, sizeof(ni));
	memset(nr, 0x33, sizeof(nr));
	parts[0] = ck(&proto, 1);
	parts[1] = ck(spi, 4);
	parts[2] = ck(ni, 16);
	parts[3] = ck(nr, 16);
	T_ASSERT(ike_prf(IKE_HASH_SHA1, d, 20, parts, 4, k[0]) == 0);
	for (i = 1; i < 3; i++) {
		parts[0] = ck(k[i - 1], 20);
		parts[1] = ck(&proto, 1);
		parts[2] = ck(spi, 4);
		parts[3] = ck(ni, 16);
		parts[4] = ck(nr, 16);
		T_ASSERT(ike_prf(IKE_HASH_SHA1, d, 20, parts, 5, k[i]) == 0);
	}
	T_ASSERT(ike_keymat(IKE_HASH_SHA1, d, ck(NULL, 0), proto, spi, 4,
	    ck(ni, 16), ck(nr, 16), km, sizeof(km)) == 0);
	T_ASSERT(memcmp(km, k[0], 20) == 0 && memcmp(km + 20, k[1], 20) == 0 &&
	    memcmp(km + 40, k[2], 10) == 0);
}

static void
test_qm_hash3(void)
{
	struct ike_chunk parts[4];
	uint8_t		 a[32], ni[8], nr[8];
	uint8_t		 mid[4] = { 0xa2, 0x51, 0x72, 0xc2 };
	uint8_t		 want[32], out[32], zero = 0;

	memset(a, 0x5a, sizeof(a));
	memset(ni, 1, sizeof(ni));
	memset(nr, 2, sizeof(nr));
	parts[0] = ck(&zero, 1);
	parts[1] = ck(mid, 4);
	parts[2] = ck(ni, 8);
	parts[3] = ck(nr, 8);
	T_ASSERT(ike_prf(IKE_HASH_SHA2_256, a, 32, parts, 4, want) == 0);
	T_ASSERT(ike_qm_hash3(IKE_HASH_SHA2_256, a, 0xa25172c2, ck(ni, 8),
	    ck(nr, 8), out) == 0);
	T_ASSERT(memcmp(out, want, 32) == 0);
}

static const uint16_t dh_all[] = {
	IKE_GROUP_MODP1024, IKE_GROUP_MODP1536, IKE_GROUP_MODP2048,
	IKE_GROUP_MODP3072, IKE_GROUP_MODP4096, IKE_GROUP_ECP256,
	IKE_GROUP_ECP384,
};

/* Two of our own key pairs agree, in every group. */
static void
test_dh_pairs(void)
{
	struct ike_dh	*a, *b;
	uint8_t		 pa[IKE_DH_MAXLEN], pb[IKE_DH_MAXLEN];
	uint8_t		 sa[IKE_DH_MAXLEN], sb[IKE_DH_MAXLEN];
	size_t		 i, pl, sl;

	for (i = 0; i < sizeof(dh_all) / sizeof(dh_all[0]); i++) {
		T_ASSERT(ike_dh_supported(dh_all[i]));
		pl = ike_dh_publen(dh_all[i]);
		sl = ike_dh_secretlen(dh_all[i]);
		a = ike_dh_new(dh_all[i]);
		b = ike_dh_new(dh_all[i]);
		T_ASSERT(a != NULL && b != NULL);
		if (a == NULL || b == NULL) {
			ike_dh_free(a);
			ike_dh_free(b);
			continue;
		}
		T_ASSERT(ike_dh_group(a) == dh_all[i]);
		T_ASSERT(ike_dh_public(a, pa, pl) == 0);
		T_ASSERT(ike_dh_public(b, pb, pl) == 0);
		T_ASSERT(ike_dh_public(a, pa, pl - 1) == -1);
		T_ASSERT(ike_dh_check_peer(dh_all[i], pa, pl) == 0);
		T_ASSERT(ike_dh_derive(a, pb, pl, sa, sl) == 0);
		T_ASSERT(ike_dh_derive(b, pa, pl, sb, sl) == 0);
		T_ASSERT(memcmp(sa, sb, sl) == 0);
		T_ASSERT(memcmp(pa, pb, pl) != 0);
		/* Our own value is a valid peer value too. */
		T_ASSERT(ike_dh_derive(a, pa, pl, sa, sl) == 0);
		T_ASSERT(ike_dh_derive(a, pb, pl, sa, sl - 1) == -1);
		ike_dh_free(a);
		ike_dh_free(b);
	}
	T_ASSERT(!ike_dh_supported(IKE_GROUP_MODP768));
	T_ASSERT(!ike_dh_supported(IKE_GROUP_EC2N155));
	T_ASSERT(ike_dh_new(IKE_GROUP_MODP768) == NULL);
	T_ASSERT(ike_dh_publen(IKE_GROUP_ECP521) == 0);
	T_ASSERT(ike_dh_publen(IKE_GROUP_ECP256) == 64);
	T_ASSERT(ike_dh_secretlen(IKE_GROUP_ECP256) == 32);
	T_ASSERT(ike_dh_publen(IKE_GROUP_MODP2048) == 256);
	T_ASSERT(ike_dh_secretlen(IKE_GROUP_MODP2048) == 256);
}

/* RFC 5903 8.1 and 8.2: g^i, KEi and the shared secret girx. */
static void
test_dh_rfc5903(void)
{
	static const struct {
		uint16_t	 group;
		const char	*i, *gi, *gr, *girx;
	} tv[] = {
		{ IKE_GROUP_ECP256,
		  "C88F01F510D9AC3F70A292DAA2316DE544E9AAB8AFE84049C62A9C57"
		  "862D1433",
		  "DAD0B65394221CF9B051E1FECA5787D098DFE637FC90B9EF945D0C37"
		  "725811805271A0461CDB8252D61F1C456FA3E59AB1F45B33ACCF5F58"
		  "389E0577B8990BB3",
		  "D12DFB5289C8D4F81208B70270398C342296970A0BCCB74C736FC755"
		  "4494BF6356FBF3CA366CC23E8157854C13C58D6AAC23F046ADA30F83"
		  "53E74F33039872AB",
		  "D6840F6B42F6EDAFD13116E0E12565202FEF8E9ECE7DCE03812464D0"
		  "4B9442DE" },
		{ IKE_GROUP_ECP384,
		  "099F3C7034D4A2C699884D73A375A67F7624EF7C6B3C0F160647B674"
		  "14DCE655E35B538041E649EE3FAEF896783AB194",
		  "667842D7D180AC2CDE6F74F37551F55755C7645C20EF73E31634FE72"
		  "B4C55EE6DE3AC808ACB4BDB4C88732AEE95F41AA9482ED1FC0EEB9CA"
		  "FC4984625CCFC23F65032149E0E144ADA024181535A0F38EEB9FCFF3"
		  "C2C947DAE69B4C634573A81C",
		  "E558DBEF53EECDE3D3FCCFC1AEA08A89A987475D12FD950D83CFA417"
		  "32BC509D0D1AC43A0336DEF96FDA41D0774A3571DCFBEC7AACF31964"
		  "72169E838430367F66EEBE3C6E70C416DD5F0C68759DD1FFF83FA401"
		  "42209DFF5EAAD96DB9E6386C",
		  "11187331C279962D93D604243FD592CB9D0A926F422E47187521287E"
		  "7156C5C4D603135569B9E9D09CF5D4A270F59746" },
	};
	struct ike_dh	*dh;
	uint8_t		 i[64], gi[128], gr[128], z[64], out[128];
	long		 il, gil, grl, zl;
	size_t		 n;

	for (n = 0; n < sizeof(tv) / sizeof(tv[0]); n++) {
		il = unhex(tv[n].i, i, sizeof(i));
		gil = unhex(tv[n].gi, gi, sizeof(gi));
		grl = unhex(tv[n].gr, gr, sizeof(gr));
		zl = unhex(tv[n].girx, z, sizeof(z));
		T_ASSERT_RET((size_t)gil == ike_dh_publen(tv[n].group));
		dh = ike_dh_new_keypair(tv[n].group, i, (size_t)il, gi,
		    (size_t)gil);
		T_ASSERT_RET(dh != NULL);
		T_ASSERT(ike_dh_public(dh, out, (size_t)gil) == 0);
		T_ASSERT(memcmp(out, gi, (size_t)gil) == 0);
		T_ASSERT(ike_dh_derive(dh, gr, (size_t)grl, out,
		    (size_t)zl) == 0);
		T_ASSERT(memcmp(out, z, (size_t)zl) == 0);
		ike_dh_free(dh);
	}
}

/* A MODP peer value must be 1 < y < p-1 and exactly the prime's length. */
static void
test_dh_modp_range(void)
{
	static const uint16_t modp[] = { IKE_GROUP_MODP1024,
	    IKE_GROUP_MODP1536, IKE_GROUP_MODP2048, IKE_GROUP_MODP3072,
	    IKE_GROUP_MODP4096 };
	struct ike_dh	*dh;
	const uint8_t	*p;
	uint8_t		 y[IKE_DH_MAXLEN + 1], s[IKE_DH_MAXLEN];
	size_t		 i, len;

	for (i = 0; i < sizeof(modp) / sizeof(modp[0]); i++) {
		T_ASSERT_RET((p = ike_dh_prime(modp[i], &len)) != NULL);
		T_ASSERT_RET((dh = ike_dh_new(modp[i])) != NULL);
		memset(y, 0, len);				/* 0 */
		T_ASSERT(ike_dh_check_peer(modp[i], y, len) == -1);
		T_ASSERT(ike_dh_derive(dh, y, len, s, len) == -1);
		y[len - 1] = 1;					/* 1 */
		T_ASSERT(ike_dh_check_peer(modp[i], y, len) == -1);
		T_ASSERT(ike_dh_derive(dh, y, len, s, len) == -1);
		y[len - 1] = 2;					/* 2 */
		T_ASSERT(ike_dh_check_peer(modp[i], y, len) == 0);
		memcpy(y, p, len);				/* p */
		T_ASSERT(ike_dh_check_peer(modp[i], y, len) == -1);
		y[len - 1] = p[len - 1] - 1;			/* p-1 */
		T_ASSERT(ike_dh_check_peer(modp[i], y, len) == -1);
		T_ASSERT(ike_dh_derive(dh, y, len, s, len) == -1);
		y[len - 1] = p[len - 1] - 2;			/* p-2 */
		T_ASSERT(ike_dh_check_peer(modp[i], y, len) == 0);
		T_ASSERT(ike_dh_derive(dh, y, len, s, len) == 0);
		memset(y, 0xff, len);				/* > p */
		T_ASSERT(ike_dh_check_peer(modp[i], y, len) == -1);
		/* 2 on one byte less, and p-2 on one byte more. */
		memset(y, 0, len);
		y[len - 2] = 2;
		T_ASSERT(ike_dh_check_peer(modp[i], y, len - 1) == -1);
		y[0] = 0;
		memcpy(y + 1, p, len);
		y[len] = p[len - 1] - 2;
		T_ASSERT(ike_dh_check_peer(modp[i], y, len + 1) == -1);
		T_ASSERT(ike_dh_derive(dh, y, len + 1, s, len) == -1);
		ike_dh_free(dh);
	}
}

/* An ECP peer value must be a point of the curve, in x | y form. */
static void
test_dh_ecp_points(void)
{
	static const uint16_t ecp[] = { IKE_GROUP_ECP256, IKE_GROUP_ECP384 };
	struct ike_dh	*a, *b;
	uint8_t		 pt[1 + 96], s[48];
	size_t		 i, len, flen;

	for (i = 0; i < sizeof(ecp) / sizeof(ecp[0]); i++) {
		len = ike_dh_publen(ecp[i]);
		flen = len / 2;
		a = ike_dh_new(ecp[i]);
		b = ike_dh_new(ecp[i]);
		T_ASSERT_RET(a != NULL && b != NULL);
		T_ASSERT(ike_dh_public(b, pt, len) == 0);
		T_ASSERT(ike_dh_check_peer(ecp[i], pt, len) == 0);
		pt[len - 1] ^= 1;			/* off the curve */
		T_ASSERT(ike_dh_check_peer(ecp[i], pt, len) == -1);
		T_ASSERT(ike_dh_derive(a, pt, len, s, flen) == -1);
		pt[len - 1] ^= 1;
		T_ASSERT(ike_dh_check_peer(ecp[i], pt, len - 1) == -1);
		memset(pt, 0, len);				/* (0, 0) */
		T_ASSERT(ike_dh_check_peer(ecp[i], pt, len) == -1);
		memset(pt, 0xff, len);				/* x, y >= p */
		T_ASSERT(ike_dh_check_peer(ecp[i], pt, len) == -1);
		T_ASSERT(ike_dh_derive(a, pt, len, s, flen) == -1);
		/* The 0x04 prefix is not part of the wire value. */
		pt[0] = 0x04;
		T_ASSERT(ike_dh_public(b, pt + 1, len) == 0);
		T_ASSERT(ike_dh_check_peer(ecp[i], pt, len + 1) == -1);
		ike_dh_free(a);
		ike_dh_free(b);
	}
}

/*
 * Our primes are the RFC's: 1536-4096 equal OpenSSL's named RFC 3526
 * groups, and group 2 equals the decimal value of RFC 2412 E.2.
 */
static void
test_dh_primes(void)
{
	static const struct {
		uint16_t	 group;
		const char	*name;
	} named[] = {
		{ IKE_GROUP_MODP1536, "modp_1536" },
		{ IKE_GROUP_MODP2048, "modp_2048" },
		{ IKE_GROUP_MODP3072, "modp_3072" },
		{ IKE_GROUP_MODP4096, "modp_4096" },
	};
	static const char oakley2[] =
	    "179769313486231590770839156793787453197860296048756011706444"
	    "423684197180216158519368947833795864925541502180565485980503"
	    "646440548199239100050792877003355816639229553136239076508735"
	    "759914822574862575007425302077447712589550957937778424442426"
	    "617334727629299387668709205606050270810842907692932019128194"
	    "467627007";
	OSSL_PARAM	 params[2];
	EVP_PKEY_CTX	*ctx;
	EVP_PKEY	*pkey;
	BIGNUM		*bp = NULL;
	const uint8_t	*p;
	uint8_t		 buf[IKE_DH_MAXLEN];
	size_t		 i, len;

	for (i = 0; i < sizeof(named) / sizeof(named[0]); i++) {
		params[0] = OSSL_PARAM_construct_utf8_string(
		    OSSL_PKEY_PARAM_GROUP_NAME, (char *)named[i].name, 0);
		params[1] = OSSL_PARAM_construct_end();
		pkey = NULL;
		ctx = EVP_PKEY_CTX_new_from_name(NULL, "DH", NULL);
		T_ASSERT_RET(ctx != NULL);
		T_ASSERT(EVP_PKEY_fromdata_init(ctx) == 1 &&
		    EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_KEY_PARAMETERS,
		    params) == 1);
		EVP_PKEY_CTX_free(ctx);
		T_ASSERT_RET(pkey != NULL);
		T_ASSERT(EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_FFC_P,
		    &bp) == 1);
		p = ike_dh_prime(named[i].group, &len);
		T_ASSERT(p != NULL && BN_bn2binpad(bp, buf, (int)len) ==
		    (int)len && memcmp(buf, p, len) == 0);
		BN_free(bp);
		bp = NULL;
		EVP_PKEY_free(pkey);
	}
	T_ASSERT(BN_dec2bn(&bp, oakley2) > 0);
	p = ike_dh_prime(IKE_GROUP_MODP1024, &len);
	T_ASSERT(p != NULL && len == 128 &&
	    BN_bn2binpad(bp, buf, (int)len) == (int)len &&
	    memcmp(buf, p, len) == 0);
	BN_free(bp);
	T_ASSERT(ike_dh_prime(IKE_GROUP_ECP256, &len) == NULL && len == 0);
}

/*
 * g^xy keeps its leading zeros (RFC 2409 5 spells this out for the KE
 * value; RFC 7296 2.14 and strongSwan do it for the secret): run pairs
 * until a secret starts with a zero byte and check its length and that
 * both sides agree on it.
 */
static void
test_dh_leading_zero(void)
{
	struct ike_dh	*a, *b;
	uint8_t		 pa[128], pb[128], sa[128], sb[128];
	int		 n, seen = 0;

	for (n = 0; n < 4000 && !seen; n++) {
		a = ike_dh_new(IKE_GROUP_MODP1024);
		b = ike_dh_new(IKE_GROUP_MODP1024);
		T_ASSERT_RET(a != NULL && b != NULL);
		T_ASSERT(ike_dh_public(a, pa, 128) == 0);
		T_ASSERT(ike_dh_public(b, pb, 128) == 0);
		T_ASSERT(ike_dh_derive(a, pb, 128, sa, 128) == 0);
		T_ASSERT(ike_dh_derive(b, pa, 128, sb, 128) == 0);
		T_ASSERT(memcmp(sa, sb, 128) == 0);
		if (sa[0] == 0)
			seen = 1;
		ike_dh_free(a);
		ike_dh_free(b);
	}
	T_ASSERT(seen);
}

int
main(int argc, char *argv[])
{
	static char	 dir[1024];
	FILE		*f;
	char		*slash;

	/* Run from the top of the tree, or find it from our own path. */
	snprintf(dir, sizeof(dir), "%s/%s", vecdir, vecfiles[0]);
	if ((f = fopen(dir, "r")) != NULL)
		fclose(f);
	else if (argc > 0 && (slash = strrchr(argv[0], '/')) != NULL) {
		snprintf(dir, sizeof(dir), "%.*s/../../../%s",
		    (int)(slash - argv[0]), argv[0], vecdir);
		vecdir = dir;
	}
	T_ASSERT(ike_crypto_init() == 0);
	T_RUN(test_vectors_strongswan);
	T_RUN(test_prf_rfc4868);
	T_RUN(test_cbc_rfc3602);
	T_RUN(test_cipher_params);
	T_RUN(test_enckey_expansion);
	T_RUN(test_keymat_expansion);
	T_RUN(test_qm_hash3);
	T_RUN(test_dh_pairs);
	T_RUN(test_dh_rfc5903);
	T_RUN(test_dh_modp_range);
	T_RUN(test_dh_ecp_points);
	T_RUN(test_dh_primes);
	T_RUN(test_dh_leading_zero);
	ike_crypto_cleanup();
	return (T_DONE());
}
