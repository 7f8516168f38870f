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

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include "isakmp_parse.h"
#include "ike_crypto.h"

/*
 * The algorithms, fetched once from the default provider and kept: a
 * fetch per packet would cost a lookup under a lock each time, and the
 * sandboxed child wants them loaded before its seccomp filter is on.
 */
struct ike_hashalg {
	uint16_t	 ha_id;
	const char	*ha_name;
	size_t		 ha_len;
	EVP_MD		*ha_md;
};

static struct ike_hashalg hashalgs[] = {
	{ IKE_HASH_SHA1, "SHA1", 20, NULL },
	{ IKE_HASH_SHA2_256, "SHA2-256", 32, NULL },
	{ IKE_HASH_SHA2_384, "SHA2-384", 48, NULL },
	{ IKE_HASH_SHA2_512, "SHA2-512", 64, NULL },
};

struct ike_cipheralg {
	uint16_t	 ca_id;
	size_t		 ca_keylen;
	const char	*ca_name;
	EVP_CIPHER	*ca_cipher;
};

static struct ike_cipheralg cipheralgs[] = {
	{ IKE_ENCR_AES, 16, "AES-128-CBC", NULL },
	{ IKE_ENCR_AES, 24, "AES-192-CBC", NULL },
	{ IKE_ENCR_AES, 32, "AES-256-CBC", NULL },
	{ IKE_ENCR_3DES, 24, "DES-EDE3-CBC", NULL },
};

#define NHASH	(sizeof(hashalgs) / sizeof(hashalgs[0]))
#define NCIPHER	(sizeof(cipheralgs) / sizeof(cipheralgs[0]))

static EVP_MAC	*hmac;

static struct ike_hashalg *
hash_find(uint16_t id)
{
	size_t	 i;

	for (i = 0; i < NHASH; i++)
		if (hashalgs[i].ha_id == id) {
			if (hashalgs[i].ha_md == NULL)
				hashalgs[i].ha_md = EVP_MD_fetch(NULL,
				    hashalgs[i].ha_name, NULL);
			return (hashalgs[i].ha_md != NULL ?
			    &hashalgs[i] : NULL);
		}
	return (NULL);
}

static EVP_CIPHER *
cipher_find(uint16_t id, size_t keylen)
{
	size_t	 i;

	for (i = 0; i < NCIPHER; i++)
		if (cipheralgs[i].ca_id == id &&
		    cipheralgs[i].ca_keylen == keylen) {
			if (cipheralgs[i].ca_cipher == NULL)
				cipheralgs[i].ca_cipher = EVP_CIPHER_fetch(
				    NULL, cipheralgs[i].ca_name, NULL);
			return (cipheralgs[i].ca_cipher);
		}
	return (NULL);
}

int
ike_crypto_init(void)
{
	size_t	 i;

	if (hmac == NULL && (hmac = EVP_MAC_fetch(NULL, "HMAC", NULL)) == NULL)
		return (-1);
	for (i = 0; i < NHASH; i++)
		if (hash_find(hashalgs[i].ha_id) == NULL)
			return (-1);
	for (i = 0; i < NCIPHER; i++)
		if (cipher_find(cipheralgs[i].ca_id,
		    cipheralgs[i].ca_keylen) == NULL)
			return (-1);
	return (0);
}

void
ike_crypto_cleanup(void)
{
	size_t	 i;

	EVP_MAC_free(hmac);
	hmac = NULL;
	for (i = 0; i < NHASH; i++) {
		EVP_MD_free(hashalgs[i].ha_md);
		hashalgs[i].ha_md = NULL;
	}
	for (i = 0; i < NCIPHER; i++) {
		EVP_CIPHER_free(cipheralgs[i].ca_cipher);
		cipheralgs[i].ca_cipher = NULL;
	}
}

size_t
ike_hash_len(uint16_t id)
{
	struct ike_hashalg	*ha;

	return ((ha = hash_find(id)) == NULL ? 0 : ha->ha_len);
}

int
ike_hash(uint16_t id, const struct ike_chunk *parts, size_t n, uint8_t *out)
{
	struct ike_hashalg	*ha;
	EVP_MD_CTX		*ctx;
	size_t			 i;
	int			 rv = -1;

	if ((ha = hash_find(id)) == NULL ||
	    (ctx = EVP_MD_CTX_new()) == NULL)
		return (-1);
	if (EVP_DigestInit_ex2(ctx, ha->ha_md, NULL) != 1)
		goto done;
	for (i = 0; i < n; i++)
		if (parts[i].ck_len > 0 &&
		    EVP_DigestUpdate(ctx, parts[i].ck_p, parts[i].ck_len) != 1)
			goto done;
	if (EVP_DigestFinal_ex(ctx, out, NULL) == 1)
		rv = 0;
 done:
	EVP_MD_CTX_free(ctx);
	return (rv);
}

int
ike_prf(uint16_t id, const uint8_t *key, size_t keylen,
    const struct ike_chunk *parts, size_t n, uint8_t *out)
{
	struct ike_hashalg	*ha;
	EVP_MAC_CTX		*ctx = NULL;
	OSSL_PARAM		 params[2];
	size_t			 i, outlen;
	int			 rv = -1;

	/* EVP_MAC_init() takes a NULL or empty key as "keep the old one". */
	if ((ha = hash_find(id)) == NULL || key == NULL || keylen == 0)
		return (-1);
	if (hmac == NULL && (hmac = EVP_MAC_fetch(NULL, "HMAC", NULL)) == NULL)
		return (-1);
	if ((ctx = EVP_MAC_CTX_new(hmac)) == NULL)
		return (-1);
	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST,
	    (char *)ha->ha_name, 0);
	params[1] = OSSL_PARAM_construct_end();
	if (EVP_MAC_init(ctx, key, keylen, params) != 1)
		goto done;
	for (i = 0; i < n; i++)
		if (parts[i].ck_len > 0 &&
		    EVP_MAC_update(ctx, parts[i].ck_p, parts[i].ck_len) != 1)
			goto done;
	if (EVP_MAC_final(ctx, out, &outlen, ha->ha_len) == 1 &&
	    outlen == ha->ha_len)
		rv = 0;
 done:
	EVP_MAC_CTX_free(ctx);
	return (rv);
}

size_t
ike_cipher_blocklen(uint16_t encr)
{
	switch (encr) {
	case IKE_ENCR_AES:
		return (16);
	case IKE_ENCR_3DES:
		return (8);
	default:
		return (0);
	}
}

size_t
ike_cipher_keylen(uint16_t encr, unsigned int bits)
{
	switch (encr) {
	case IKE_ENCR_AES:
		if (bits == 128 || bits == 192 || bits == 256)
			return (bits / 8);
		return (0);
	case IKE_ENCR_3DES:
		return (bits == 0 ? 24 : 0);
	default:
		return (0);
	}
}

static struct ike_chunk
chunk(const void *p, size_t len)
{
	struct ike_chunk	 c;

	c.ck_p = p;
	c.ck_len = len;
	return (c);
}

int
ike_skeyid_psk(uint16_t hash, const uint8_t *psk, size_t psklen,
    struct ike_chunk ni, struct ike_chunk nr, uint8_t *skeyid)
{
	struct ike_chunk	 parts[2];

	parts[0] = ni;
	parts[1] = nr;
	return (ike_prf(hash, psk, psklen, parts, 2, skeyid));
}

int
ike_skeyid_derive(uint16_t hash, const uint8_t *skeyid, struct ike_chunk gxy,
    const uint8_t *cky_i, const uint8_t *cky_r, uint8_t *d, uint8_t *a,
    uint8_t *e)
{
	struct ike_chunk	 parts[5];
	size_t			 hlen;
	uint8_t			 n;

	if ((hlen = ike_hash_len(hash)) == 0)
		return (-1);
	/* SKEYID_d = prf(SKEYID, g^xy | CKY-I | CKY-R | 0) */
	n = 0;
	parts[0] = gxy;
	parts[1] = chunk(cky_i, ISAKMP_COOKIE_LEN);
	parts[2] = chunk(cky_r, ISAKMP_COOKIE_LEN);
	parts[3] = chunk(&n, 1);
	if (ike_prf(hash, skeyid, hlen, parts, 4, d) == -1)
		return (-1);
	/* SKEYID_a = prf(SKEYID, SKEYID_d | g^xy | CKY-I | CKY-R | 1) */
	n = 1;
	parts[0] = chunk(d, hlen);
	parts[1] = gxy;
	parts[2] = chunk(cky_i, ISAKMP_COOKIE_LEN);
	parts[3] = chunk(cky_r, ISAKMP_COOKIE_LEN);
	parts[4] = chunk(&n, 1);
	if (ike_prf(hash, skeyid, hlen, parts, 5, a) == -1)
		return (-1);
	/* SKEYID_e = prf(SKEYID, SKEYID_a | g^xy | CKY-I | CKY-R | 2) */
	n = 2;
	parts[0] = chunk(a, hlen);
	if (ike_prf(hash, skeyid, hlen, parts, 5, e) == -1)
		return (-1);
	return (0);
}

int
ike_enckey(uint16_t hash, const uint8_t *skeyid_e, size_t keylen,
    uint8_t *out)
{
	struct ike_chunk	 part;
	uint8_t			 k[IKE_HASH_MAXLEN], zero = 0;
	size_t			 hlen, done, n;

	if ((hlen = ike_hash_len(hash)) == 0 || keylen > IKE_KEY_MAXLEN)
		return (-1);
	if (keylen <= hlen) {
		memcpy(out, skeyid_e, keylen);
		return (0);
	}
	/* K1 = prf(SKEYID_e, 0), K2 = prf(SKEYID_e, K1), ... */
	part = chunk(&zero, 1);
	for (done = 0; done < keylen; done += n) {
		if (ike_prf(hash, skeyid_e, hlen, &part, 1, k) == -1) {
			explicit_bzero(k, sizeof(k));
			explicit_bzero(out, keylen);
			return (-1);
		}
		n = keylen - done < hlen ? keylen - done : hlen;
		memcpy(out + done, k, n);
		part = chunk(out + done, hlen);
		if (n < hlen)
			break;
	}
	explicit_bzero(k, sizeof(k));
	return (0);
}

void
ike_keys_clear(struct ike_keys *k)
{
	explicit_bzero(k, sizeof(*k));
}

int
ike_keys_psk(struct ike_keys *k, uint16_t hash, uint16_t encr,
    unsigned int keybits, const uint8_t *psk, size_t psklen,
    struct ike_chunk ni, struct ike_chunk nr, struct ike_chunk gxy,
    const uint8_t *cky_i, const uint8_t *cky_r)
{
	memset(k, 0, sizeof(*k));
	k->k_hash = hash;
	k->k_encr = encr;
	if ((k->k_hlen = ike_hash_len(hash)) == 0 ||
	    (k->k_keylen = ike_cipher_keylen(encr, keybits)) == 0 ||
	    (k->k_blocklen = ike_cipher_blocklen(encr)) == 0 ||
	    ike_skeyid_psk(hash, psk, psklen, ni, nr, k->k_skeyid) == -1 ||
	    ike_skeyid_derive(hash, k->k_skeyid, gxy, cky_i, cky_r,
	    k->k_skeyid_d, k->k_skeyid_a, k->k_skeyid_e) == -1 ||
	    ike_enckey(hash, k->k_skeyid_e, k->k_keylen, k->k_key) == -1) {
		ike_keys_clear(k);
		return (-1);
	}
	return (0);
}

int
ike_iv_phase1(uint16_t hash, struct ike_chunk gxi, struct ike_chunk gxr,
    size_t bs, uint8_t *iv)
{
	struct ike_chunk	 parts[2];
	uint8_t			 h[IKE_HASH_MAXLEN];

	if (bs > ike_hash_len(hash))
		return (-1);
	parts[0] = gxi;
	parts[1] = gxr;
	if (ike_hash(hash, parts, 2, h) == -1)
		return (-1);
	memcpy(iv, h, bs);
	return (0);
}

int
ike_iv_phase2(uint16_t hash, const uint8_t *last, size_t bs, uint32_t msgid,
    uint8_t *iv)
{
	struct ike_chunk	 parts[2];
	uint8_t			 h[IKE_HASH_MAXLEN], mid[4];

	if (bs > ike_hash_len(hash))
		return (-1);
	mid[0] = msgid >> 24;
	mid[1] = (msgid >> 16) & 0xff;
	mid[2] = (msgid >> 8) & 0xff;
	mid[3] = msgid & 0xff;
	parts[0] = chunk(last, bs);
	parts[1] = chunk(mid, 4);
	if (ike_hash(hash, parts, 2, h) == -1)
		return (-1);
	memcpy(iv, h, bs);
	return (0);
}

static int
cbc(uint16_t encr, const uint8_t *key, size_t keylen, uint8_t *iv,
    uint8_t *buf, size_t len, int enc)
{
	EVP_CIPHER		*cipher;
	EVP_CIPHER_CTX		*ctx;
	uint8_t			 next[IKE_BLOCK_MAXLEN];
	size_t			 bs;
	int			 outl, rv = -1;

	if ((bs = ike_cipher_blocklen(encr)) == 0 || len % bs != 0 ||
	    len > INT32_MAX || (cipher = cipher_find(encr, keylen)) == NULL)
		return (-1);
	if (len == 0)
		return (0);
	if (!enc)
		memcpy(next, buf + len - bs, bs);
	if ((ctx = EVP_CIPHER_CTX_new()) == NULL)
		return (-1);
	if (EVP_CipherInit_ex2(ctx, cipher, key, iv, enc, NULL) != 1 ||
	    EVP_CIPHER_CTX_set_padding(ctx, 0) != 1 ||
	    EVP_CipherUpdate(ctx, buf, &outl, buf, (int)len) != 1 ||
	    (size_t)outl != len)
		goto done;
	if (enc)
		memcpy(next, buf + len - bs, bs);
	memcpy(iv, next, bs);
	rv = 0;
 done:
	EVP_CIPHER_CTX_free(ctx);
	return (rv);
}

int
ike_cbc_encrypt(uint16_t encr, const uint8_t *key, size_t keylen,
    uint8_t *iv, uint8_t *buf, size_t len)
{
	return (cbc(encr, key, keylen, iv, buf, len, 1));
}

int
ike_cbc_decrypt(uint16_t encr, const uint8_t *key, size_t keylen,
    uint8_t *iv, uint8_t *buf, size_t len)
{
	return (cbc(encr, key, keylen, iv, buf, len, 0));
}

int
ike_hash_i(uint16_t hash, const uint8_t *skeyid, struct ike_chunk gxi,
    struct ike_chunk gxr, const uint8_t *cky_i, const uint8_t *cky_r,
    struct ike_chunk sai_b, struct ike_chunk idii_b, uint8_t *out)
{
	struct ike_chunk	 parts[6];

	parts[0] = gxi;
	parts[1] = gxr;
	parts[2] = chunk(cky_i, ISAKMP_COOKIE_LEN);
	parts[3] = chunk(cky_r, ISAKMP_COOKIE_LEN);
	parts[4] = sai_b;
	parts[5] = idii_b;
	return (ike_prf(hash, skeyid, ike_hash_len(hash), parts, 6, out));
}

int
ike_hash_r(uint16_t hash, const uint8_t *skeyid, struct ike_chunk gxi,
    struct ike_chunk gxr, const uint8_t *cky_i, const uint8_t *cky_r,
    struct ike_chunk sai_b, struct ike_chunk idir_b, uint8_t *out)
{
	struct ike_chunk	 parts[6];

	parts[0] = gxr;
	parts[1] = gxi;
	parts[2] = chunk(cky_r, ISAKMP_COOKIE_LEN);
	parts[3] = chunk(cky_i, ISAKMP_COOKIE_LEN);
	parts[4] = sai_b;
	parts[5] = idir_b;
	return (ike_prf(hash, skeyid, ike_hash_len(hash), parts, 6, out));
}

static void
put_msgid(uint8_t *p, uint32_t msgid)
{
	p[0] = msgid >> 24;
	p[1] = (msgid >> 16) & 0xff;
	p[2] = (msgid >> 8) & 0xff;
	p[3] = msgid & 0xff;
}

int
ike_qm_hash1(uint16_t hash, const uint8_t *skeyid_a, uint32_t msgid,
    struct ike_chunk rest, uint8_t *out)
{
	struct ike_chunk	 parts[2];
	uint8_t			 mid[4];

	put_msgid(mid, msgid);
	parts[0] = chunk(mid, 4);
	parts[1] = rest;
	return (ike_prf(hash, skeyid_a, ike_hash_len(hash), parts, 2, out));
}

int
ike_qm_hash2(uint16_t hash, const uint8_t *skeyid_a, uint32_t msgid,
    struct ike_chunk ni_b, struct ike_chunk rest, uint8_t *out)
{
	struct ike_chunk	 parts[3];
	uint8_t			 mid[4];

	put_msgid(mid, msgid);
	parts[0] = chunk(mid, 4);
	parts[1] = ni_b;
	parts[2] = rest;
	return (ike_prf(hash, skeyid_a, ike_hash_len(hash), parts, 3, out));
}

int
ike_qm_hash3(uint16_t hash, const uint8_t *skeyid_a, uint32_t msgid,
    struct ike_chunk ni_b, struct ike_chunk nr_b, uint8_t *out)
{
	struct ike_chunk	 parts[4];
	uint8_t			 mid[4], zero = 0;

	put_msgid(mid, msgid);
	parts[0] = chunk(&zero, 1);
	parts[1] = chunk(mid, 4);
	parts[2] = ni_b;
	parts[3] = nr_b;
	return (ike_prf(hash, skeyid_a, ike_hash_len(hash), parts, 4, out));
}

int
ike_keymat(uint16_t hash, const uint8_t *skeyid_d, struct ike_chunk gqm,
    uint8_t proto, const uint8_t *spi, size_t spilen, struct ike_chunk ni_b,
    struct ike_chunk nr_b, uint8_t *out, size_t len)
{
	struct ike_chunk	 parts[6];
	uint8_t			 k[IKE_HASH_MAXLEN];
	size_t			 hlen, done, n;

	if ((hlen = ike_hash_len(hash)) == 0)
		return (-1);
	/* K1 has no previous block: parts[0] stays empty the first time. */
	parts[0] = chunk(NULL, 0);
	parts[1] = gqm;
	parts[2] = chunk(&proto, 1);
	parts[3] = chunk(spi, spilen);
	parts[4] = ni_b;
	parts[5] = nr_b;
	for (done = 0; done < len; done += n) {
		if (ike_prf(hash, skeyid_d, hlen, parts, 6, k) == -1) {
			explicit_bzero(k, sizeof(k));
			explicit_bzero(out, len);
			return (-1);
		}
		n = len - done < hlen ? len - done : hlen;
		memcpy(out + done, k, n);
		parts[0] = chunk(out + done, hlen);
		if (n < hlen)
			break;
	}
	explicit_bzero(k, sizeof(k));
	return (0);
}

int
ike_natd_hash(uint16_t hash, const uint8_t *cky_i, const uint8_t *cky_r,
    const uint8_t *ip, size_t iplen, uint16_t port, uint8_t *out)
{
	struct ike_chunk	 parts[4];
	uint8_t			 p[2];

	if (iplen != 4 && iplen != 16)
		return (-1);
	p[0] = port >> 8;
	p[1] = port & 0xff;
	parts[0] = chunk(cky_i, ISAKMP_COOKIE_LEN);
	parts[1] = chunk(cky_r, ISAKMP_COOKIE_LEN);
	parts[2] = chunk(ip, iplen);
	parts[3] = chunk(p, 2);
	return (ike_hash(hash, parts, 4, out));
}
