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

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/provider.h>

#include "common/log.h"
#include "ppp/chap_ms.h"

/*
 * Where the algorithms come from.
 *
 * OpenSSL 3 moved MD4 and single DES to the legacy provider, a module
 * that is dlopen()ed from disk and so cannot be loaded once the ppp
 * child has chrooted.  chap_ms_preload() therefore runs before the
 * chroot: it makes a private library context (so the rest of the
 * process never sees legacy algorithms by accident), loads the default
 * and legacy providers into it and fetches every algorithm once.
 *
 * MD4: the legacy provider's when it loads and passes a known-answer
 * test; otherwise (legacy.so not installed, a FIPS-only build) the small
 * RFC 1320 implementation below.  MD4 is public arithmetic on data we
 * hold anyway, so the built-in one costs nothing in security; the
 * provider is preferred only because it is the maintained code.
 *
 * DES: RFC 2759 needs single DES, which is legacy too; DES-EDE3 with
 * K1 = K2 = K3 (encrypt, decrypt, encrypt with one key) is single DES
 * and lives in the default provider, so that is what we use, checked
 * against the RFC 2759 9.2 vector at preload.
 */
static OSSL_LIB_CTX	*cm_libctx;
static OSSL_PROVIDER	*cm_prov_default;
static OSSL_PROVIDER	*cm_prov_legacy;
static EVP_MD		*cm_md4;
static EVP_MD		*cm_md5;
static EVP_MD		*cm_sha1;
static EVP_CIPHER	*cm_des3;
static int		 cm_loaded;	/* preload ran */
static int		 cm_ok;		/* and everything is there */
static int		 cm_force_builtin;

static int	chap_ms_des_encrypt(const uint8_t[8], const uint8_t[7],
		    uint8_t[8]);

/* RFC 1320 MD4, little-endian words, three rounds. */
struct md4_ctx {
	uint32_t	 m_state[4];
	uint64_t	 m_bytes;
	uint8_t		 m_buf[64];
	size_t		 m_buflen;
};

#define MD4_F(x, y, z)	(((x) & (y)) | (~(x) & (z)))
#define MD4_G(x, y, z)	(((x) & (y)) | ((x) & (z)) | ((y) & (z)))
#define MD4_H(x, y, z)	((x) ^ (y) ^ (z))
#define ROTL(v, s)	(((v) << (s)) | ((v) >> (32 - (s))))

static void
md4_block(uint32_t st[4], const uint8_t blk[64])
{
	static const uint8_t	 r2[16] = { 0, 4, 8, 12, 1, 5, 9, 13,
				    2, 6, 10, 14, 3, 7, 11, 15 };
	static const uint8_t	 r3[16] = { 0, 8, 4, 12, 2, 10, 6, 14,
				    1, 9, 5, 13, 3, 11, 7, 15 };
	static const uint8_t	 s1[4] = { 3, 7, 11, 19 };
	static const uint8_t	 s2[4] = { 3, 5, 9, 13 };
	static const uint8_t	 s3[4] = { 3, 9, 11, 15 };
	uint32_t		 x[16], v[4], t;
	int			 i;

	for (i = 0; i < 16; i++)
		x[i] = (uint32_t)blk[4 * i] | (uint32_t)blk[4 * i + 1] << 8 |
		    (uint32_t)blk[4 * i + 2] << 16 |
		    (uint32_t)blk[4 * i + 3] << 24;
	memcpy(v, st, sizeof(v));
	/*
	 * Each step updates one of a, b, c, d in turn ([abcd k s],
	 * [dabc k s], [cdab k s], [bcda k s]): v[(4 - i) & 3] is the word
	 * being updated and the next three follow it cyclically.
	 */
	for (i = 0; i < 16; i++) {
		uint32_t *a = &v[(4 - i) & 3], b = v[(5 - i) & 3],
		    c = v[(6 - i) & 3], d = v[(7 - i) & 3];

		t = *a + MD4_F(b, c, d) + x[i];
		*a = ROTL(t, s1[i & 3]);
	}
	for (i = 0; i < 16; i++) {
		uint32_t *a = &v[(4 - i) & 3], b = v[(5 - i) & 3],
		    c = v[(6 - i) & 3], d = v[(7 - i) & 3];

		t = *a + MD4_G(b, c, d) + x[r2[i]] + 0x5a827999;
		*a = ROTL(t, s2[i & 3]);
	}
	for (i = 0; i < 16; i++) {
		uint32_t *a = &v[(4 - i) & 3], b = v[(5 - i) & 3],
		    c = v[(6 - i) & 3], d = v[(7 - i) & 3];

		t = *a + MD4_H(b, c, d) + x[r3[i]] + 0x6ed9eba1;
		*a = ROTL(t, s3[i & 3]);
	}
	for (i = 0; i < 4; i++)
		st[i] += v[i];
	explicit_bzero(x, sizeof(x));
	explicit_bzero(v, sizeof(v));
}

static void
md4_init(struct md4_ctx *m)
{
	memset(m, 0, sizeof(*m));
	m->m_state[0] = 0x67452301;
	m->m_state[1] = 0xefcdab89;
	m->m_state[2] = 0x98badcfe;
	m->m_state[3] = 0x10325476;
}

static void
md4_update(struct md4_ctx *m, const uint8_t *p, size_t len)
{
	size_t	 n;

	m->m_bytes += len;
	while (len > 0) {
		n = sizeof(m->m_buf) - m->m_buflen;
		if (n > len)
			n = len;
		memcpy(m->m_buf + m->m_buflen, p, n);
		m->m_buflen += n;
		p += n;
		len -= n;
		if (m->m_buflen == sizeof(m->m_buf)) {
			md4_block(m->m_state, m->m_buf);
			m->m_buflen = 0;
		}
	}
}

static void
md4_final(struct md4_ctx *m, uint8_t md[16])
{
	static const uint8_t	 pad[64] = { 0x80 };
	uint8_t			 len[8];
	uint64_t		 bits = m->m_bytes * 8;
	int			 i;

	for (i = 0; i < 8; i++)
		len[i] = (uint8_t)(bits >> (8 * i));
	/* RFC 1320 3.1, 3.2: pad to 56 mod 64, then the bit count. */
	md4_update(m, pad, 1 + (119 - m->m_buflen) % 64);
	md4_update(m, len, 8);
	for (i = 0; i < 16; i++)
		md[i] = (uint8_t)(m->m_state[i / 4] >> (8 * (i % 4)));
	explicit_bzero(m, sizeof(*m));
}

void
chap_ms_md4_builtin(const void *data, size_t len, uint8_t md[16])
{
	struct md4_ctx	 m;

	md4_init(&m);
	md4_update(&m, data, len);
	md4_final(&m, md);
}

void
chap_ms_force_builtin_md4(int on)
{
	cm_force_builtin = on;
}

/* One-shot digest from a fetched EVP_MD. */
static int
chap_ms_digest(const EVP_MD *md, const void *a, size_t alen, const void *b,
    size_t blen, const void *c, size_t clen, uint8_t *out)
{
	EVP_MD_CTX	*ctx;
	int		 rv = -1;

	if (md == NULL || (ctx = EVP_MD_CTX_new()) == NULL)
		return (-1);
	if (EVP_DigestInit_ex(ctx, md, NULL) == 1 &&
	    EVP_DigestUpdate(ctx, a, alen) == 1 &&
	    EVP_DigestUpdate(ctx, b, blen) == 1 &&
	    EVP_DigestUpdate(ctx, c, clen) == 1 &&
	    EVP_DigestFinal_ex(ctx, out, NULL) == 1)
		rv = 0;
	EVP_MD_CTX_free(ctx);	/* cleanses the digest state */
	return (rv);
}

static int
chap_ms_md4(const void *data, size_t len, uint8_t md[16])
{
	if (cm_md4 == NULL || cm_force_builtin) {
		chap_ms_md4_builtin(data, len, md);
		return (0);
	}
	return (chap_ms_digest(cm_md4, data, len, NULL, 0, NULL, 0, md));
}

int
chap_ms_preload(void)
{
	/* RFC 2759 9.2: PasswordHash -> NT-Response for Challenge. */
	static const uint8_t	 kat_chal[8] = {
		0xd0, 0x2e, 0x43, 0x86, 0xbc, 0xe9, 0x12, 0x26 };
	static const uint8_t	 kat_hash[16] = {
		0x44, 0xeb, 0xba, 0x8d, 0x53, 0x12, 0xb8, 0xd6,
		0x11, 0x47, 0x44, 0x11, 0xf5, 0x69, 0x89, 0xae };
	static const uint8_t	 kat_resp[8] = {
		0x82, 0x30, 0x9e, 0xcd, 0x8d, 0x70, 0x8b, 0x5e };
	static const char	 kat_md4_in[] = "message digest";
	uint8_t			 a[16], b[16];

	if (cm_loaded)
		return (cm_ok ? 0 : -1);
	cm_loaded = 1;

	if ((cm_libctx = OSSL_LIB_CTX_new()) == NULL ||
	    (cm_prov_default = OSSL_PROVIDER_load(cm_libctx,
	    "default")) == NULL) {
		log_warnx("chap: cannot load the OpenSSL default provider");
		return (-1);
	}
	cm_md5 = EVP_MD_fetch(cm_libctx, "MD5", NULL);
	cm_sha1 = EVP_MD_fetch(cm_libctx, "SHA1", NULL);
	cm_des3 = EVP_CIPHER_fetch(cm_libctx, "DES-EDE3-ECB", NULL);

	if ((cm_prov_legacy = OSSL_PROVIDER_load(cm_libctx, "legacy")) != NULL)
		cm_md4 = EVP_MD_fetch(cm_libctx, "MD4", NULL);
	if (cm_md4 != NULL) {
		chap_ms_md4_builtin(kat_md4_in, sizeof(kat_md4_in) - 1, a);
		if (chap_ms_digest(cm_md4, kat_md4_in, sizeof(kat_md4_in) - 1,
		    NULL, 0, NULL, 0, b) == -1 || memcmp(a, b, 16) != 0) {
			EVP_MD_free(cm_md4);
			cm_md4 = NULL;
		}
	}
	log_info("chap: MD4 from %s", chap_ms_md4_source());

	if (cm_md5 == NULL || cm_sha1 == NULL || cm_des3 == NULL) {
		log_warnx("chap: OpenSSL lacks%s%s%s", cm_md5 ? "" : " MD5",
		    cm_sha1 ? "" : " SHA1", cm_des3 ? "" : " DES-EDE3-ECB");
		return (-1);
	}
	cm_ok = 1;
	if (chap_ms_des_encrypt(kat_chal, kat_hash, a) == -1 ||
	    memcmp(a, kat_resp, sizeof(kat_resp)) != 0) {
		log_warnx("chap: single DES through DES-EDE3-ECB fails its "
		    "known-answer test");
		cm_ok = 0;
		return (-1);
	}
	return (0);
}

const char *
chap_ms_md4_source(void)
{
	return (cm_md4 != NULL && !cm_force_builtin ? "openssl-legacy" :
	    "built-in");
}

static int
chap_ms_ready(void)
{
	if (!cm_loaded)
		(void)chap_ms_preload();
	return (cm_ok ? 0 : -1);
}

int
chap_md5_response(uint8_t id, const void *secret, size_t secretlen,
    const uint8_t *chal, size_t challen, uint8_t resp[CHAP_MD5_VALUE_LEN])
{
	if (chap_ms_ready() == -1)
		return (-1);
	return (chap_ms_digest(cm_md5, &id, 1, secret, secretlen, chal,
	    challen, resp));
}

int
chap_md5_verify(uint8_t id, const void *secret, size_t secretlen,
    const uint8_t *chal, size_t challen, const uint8_t *resp, size_t resplen)
{
	uint8_t	 want[CHAP_MD5_VALUE_LEN];
	int	 rv;

	if (chap_md5_response(id, secret, secretlen, chal, challen,
	    want) == -1)
		return (-1);
	rv = resplen == sizeof(want) &&
	    CRYPTO_memcmp(want, resp, sizeof(want)) == 0;
	OPENSSL_cleanse(want, sizeof(want));
	return (rv);
}

/*
 * RFC 3629 4 decoding: the shortest form only, no surrogates, nothing
 * above U+10FFFF.  Code points above U+FFFF become surrogate pairs.
 */
int
chap_ms_utf8_to_utf16le(const char *in, size_t inlen, uint8_t *out,
    size_t outcap, size_t *outlen)
{
	const uint8_t	*p = (const uint8_t *)in;
	size_t		 i = 0, o = 0, n, k;
	uint32_t	 cp, min;
	uint16_t	 u[2];

	*outlen = 0;
	while (i < inlen) {
		if (p[i] < 0x80) {
			cp = p[i];
			n = 0;
			min = 0;
		} else if ((p[i] & 0xe0) == 0xc0) {
			cp = p[i] & 0x1f;
			n = 1;
			min = 0x80;
		} else if ((p[i] & 0xf0) == 0xe0) {
			cp = p[i] & 0x0f;
			n = 2;
			min = 0x800;
		} else if ((p[i] & 0xf8) == 0xf0) {
			cp = p[i] & 0x07;
			n = 3;
			min = 0x10000;
		} else
			goto bad;
		if (inlen - i - 1 < n)
			goto bad;
		for (k = 1; k <= n; k++) {
			if ((p[i + k] & 0xc0) != 0x80)
				goto bad;
			cp = cp << 6 | (p[i + k] & 0x3f);
		}
		if (cp < min || cp == 0 || cp > 0x10ffff ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			goto bad;
		i += n + 1;
		if (cp >= 0x10000) {
			u[0] = (uint16_t)(0xd800 + ((cp - 0x10000) >> 10));
			u[1] = (uint16_t)(0xdc00 + ((cp - 0x10000) & 0x3ff));
			n = 2;
		} else {
			u[0] = (uint16_t)cp;
			n = 1;
		}
		for (k = 0; k < n; k++) {
			if (o / 2 >= CHAP_MS_PASSWD_MAX || outcap - o < 2)
				goto bad;
			out[o++] = (uint8_t)(u[k] & 0xff);
			out[o++] = (uint8_t)(u[k] >> 8);
		}
	}
	*outlen = o;
	cp = 0;
	explicit_bzero(u, sizeof(u));
	return (0);
 bad:
	explicit_bzero(out, outcap);
	explicit_bzero(u, sizeof(u));
	return (-1);
}

int
chap_ms_nt_password_hash(const char *pw, size_t pwlen, uint8_t hash[16])
{
	uint8_t	 uni[2 * CHAP_MS_PASSWD_MAX];
	size_t	 unilen;
	int	 rv;

	if (chap_ms_ready() == -1 ||
	    chap_ms_utf8_to_utf16le(pw, pwlen, uni, sizeof(uni),
	    &unilen) == -1)
		return (-1);
	rv = chap_ms_md4(uni, unilen, hash);
	OPENSSL_cleanse(uni, sizeof(uni));
	return (rv);
}

int
chap_ms_hash_nt_password_hash(const uint8_t hash[16], uint8_t hashhash[16])
{
	if (chap_ms_ready() == -1)
		return (-1);
	return (chap_ms_md4(hash, 16, hashhash));
}

int
chap_ms_challenge_hash(const uint8_t peer_chal[MSCHAPV2_CHAL_LEN],
    const uint8_t auth_chal[MSCHAPV2_CHAL_LEN], const char *user,
    size_t userlen, uint8_t chal[8])
{
	uint8_t	 md[20];

	if (chap_ms_ready() == -1 ||
	    chap_ms_digest(cm_sha1, peer_chal, MSCHAPV2_CHAL_LEN, auth_chal,
	    MSCHAPV2_CHAL_LEN, user, userlen, md) == -1)
		return (-1);
	memcpy(chal, md, 8);
	return (0);
}

void
chap_ms_des_key(const uint8_t in[7], uint8_t out[8])
{
	uint64_t	 bits = 0;
	uint8_t		 b;
	int		 i;

	for (i = 0; i < 7; i++)
		bits = bits << 8 | in[i];
	/* Seven key bits per octet, the low bit set for odd parity. */
	for (i = 0; i < 8; i++) {
		b = (uint8_t)((bits >> (49 - 7 * i)) & 0x7f) << 1;
		out[i] = b | !(__builtin_popcount(b) & 1);
	}
	bits = 0;
}

/* RFC 2759 8.6, as DES-EDE3 with three equal keys. */
static int
chap_ms_des_encrypt(const uint8_t clear[8], const uint8_t key7[7],
    uint8_t cypher[8])
{
	EVP_CIPHER_CTX	*ctx;
	uint8_t		 k[8], k3[24];
	int		 len, rv = -1;

	if (cm_des3 == NULL || (ctx = EVP_CIPHER_CTX_new()) == NULL)
		return (-1);
	chap_ms_des_key(key7, k);
	memcpy(k3, k, 8);
	memcpy(k3 + 8, k, 8);
	memcpy(k3 + 16, k, 8);
	if (EVP_EncryptInit_ex2(ctx, cm_des3, k3, NULL, NULL) == 1 &&
	    EVP_CIPHER_CTX_set_padding(ctx, 0) == 1 &&
	    EVP_EncryptUpdate(ctx, cypher, &len, clear, 8) == 1 && len == 8)
		rv = 0;
	EVP_CIPHER_CTX_free(ctx);	/* cleanses the key schedule */
	OPENSSL_cleanse(k, sizeof(k));
	OPENSSL_cleanse(k3, sizeof(k3));
	return (rv);
}

int
chap_ms_challenge_response(const uint8_t chal[8], const uint8_t hash[16],
    uint8_t resp[MSCHAPV2_NTRESP_LEN])
{
	uint8_t	 z[21];
	int	 i, rv = 0;

	if (chap_ms_ready() == -1)
		return (-1);
	memset(z, 0, sizeof(z));
	memcpy(z, hash, 16);
	for (i = 0; i < 3; i++)
		if (chap_ms_des_encrypt(chal, z + 7 * i, resp + 8 * i) == -1)
			rv = -1;
	OPENSSL_cleanse(z, sizeof(z));
	if (rv == -1)
		OPENSSL_cleanse(resp, MSCHAPV2_NTRESP_LEN);
	return (rv);
}

/* GenerateNTResponse() from the password hash. */
static int
chap_ms_nt_response_hash(const uint8_t auth_chal[MSCHAPV2_CHAL_LEN],
    const uint8_t peer_chal[MSCHAPV2_CHAL_LEN], const char *user,
    size_t userlen, const uint8_t hash[16],
    uint8_t resp[MSCHAPV2_NTRESP_LEN])
{
	uint8_t	 chal[8];

	if (chap_ms_challenge_hash(peer_chal, auth_chal, user, userlen,
	    chal) == -1)
		return (-1);
	return (chap_ms_challenge_response(chal, hash, resp));
}

int
chap_ms_generate_nt_response(const uint8_t auth_chal[MSCHAPV2_CHAL_LEN],
    const uint8_t peer_chal[MSCHAPV2_CHAL_LEN], const char *user,
    size_t userlen, const char *pw, size_t pwlen,
    uint8_t resp[MSCHAPV2_NTRESP_LEN])
{
	uint8_t	 hash[16];
	int	 rv;

	if (chap_ms_nt_password_hash(pw, pwlen, hash) == -1)
		return (-1);
	rv = chap_ms_nt_response_hash(auth_chal, peer_chal, user, userlen,
	    hash, resp);
	OPENSSL_cleanse(hash, sizeof(hash));
	return (rv);
}

int
chap_ms_verify_nt_response(const uint8_t auth_chal[MSCHAPV2_CHAL_LEN],
    const uint8_t peer_chal[MSCHAPV2_CHAL_LEN], const char *user,
    size_t userlen, const char *pw, size_t pwlen,
    const uint8_t resp[MSCHAPV2_NTRESP_LEN])
{
	uint8_t	 want[MSCHAPV2_NTRESP_LEN];
	int	 rv;

	if (chap_ms_generate_nt_response(auth_chal, peer_chal, user, userlen,
	    pw, pwlen, want) == -1)
		return (-1);
	rv = CRYPTO_memcmp(want, resp, sizeof(want)) == 0;
	OPENSSL_cleanse(want, sizeof(want));
	return (rv);
}

int
chap_ms_generate_auth_response(const char *pw, size_t pwlen,
    const uint8_t nt_resp[MSCHAPV2_NTRESP_LEN],
    const uint8_t peer_chal[MSCHAPV2_CHAL_LEN],
    const uint8_t auth_chal[MSCHAPV2_CHAL_LEN], const char *user,
    size_t userlen, uint8_t auth[MSCHAPV2_AUTHRESP_LEN],
    char authstr[MSCHAPV2_AUTHSTR_LEN + 1])
{
	/* RFC 2759 8.7: "Magic server to client signing constant". */
	static const uint8_t	 magic1[39] = {
		0x4D, 0x61, 0x67, 0x69, 0x63, 0x20, 0x73, 0x65, 0x72, 0x76,
		0x65, 0x72, 0x20, 0x74, 0x6F, 0x20, 0x63, 0x6C, 0x69, 0x65,
		0x6E, 0x74, 0x20, 0x73, 0x69, 0x67, 0x6E, 0x69, 0x6E, 0x67,
		0x20, 0x63, 0x6F, 0x6E, 0x73, 0x74, 0x61, 0x6E, 0x74 };
	/* "Pad to make it do more than one iteration". */
	static const uint8_t	 magic2[41] = {
		0x50, 0x61, 0x64, 0x20, 0x74, 0x6F, 0x20, 0x6D, 0x61, 0x6B,
		0x65, 0x20, 0x69, 0x74, 0x20, 0x64, 0x6F, 0x20, 0x6D, 0x6F,
		0x72, 0x65, 0x20, 0x74, 0x68, 0x61, 0x6E, 0x20, 0x6F, 0x6E,
		0x65, 0x20, 0x69, 0x74, 0x65, 0x72, 0x61, 0x74, 0x69, 0x6F,
		0x6E };
	static const char	 hex[] = "0123456789ABCDEF";
	uint8_t			 hash[16], hashhash[16], md[20], chal[8];
	int			 i, rv = -1;

	if (chap_ms_nt_password_hash(pw, pwlen, hash) == -1)
		return (-1);
	if (chap_ms_hash_nt_password_hash(hash, hashhash) == -1 ||
	    chap_ms_digest(cm_sha1, hashhash, 16, nt_resp,
	    MSCHAPV2_NTRESP_LEN, magic1, sizeof(magic1), md) == -1 ||
	    chap_ms_challenge_hash(peer_chal, auth_chal, user, userlen,
	    chal) == -1 ||
	    chap_ms_digest(cm_sha1, md, 20, chal, 8, magic2, sizeof(magic2),
	    md) == -1)
		goto out;
	if (auth != NULL)
		memcpy(auth, md, MSCHAPV2_AUTHRESP_LEN);
	if (authstr != NULL) {
		authstr[0] = 'S';
		authstr[1] = '=';
		for (i = 0; i < 20; i++) {
			authstr[2 + 2 * i] = hex[md[i] >> 4];
			authstr[3 + 2 * i] = hex[md[i] & 0xf];
		}
		authstr[MSCHAPV2_AUTHSTR_LEN] = '\0';
	}
	rv = 0;
 out:
	OPENSSL_cleanse(hash, sizeof(hash));
	OPENSSL_cleanse(hashhash, sizeof(hashhash));
	OPENSSL_cleanse(md, sizeof(md));
	return (rv);
}

int
chap_ms_check_auth_response(const char *pw, size_t pwlen,
    const uint8_t nt_resp[MSCHAPV2_NTRESP_LEN],
    const uint8_t peer_chal[MSCHAPV2_CHAL_LEN],
    const uint8_t auth_chal[MSCHAPV2_CHAL_LEN], const char *user,
    size_t userlen, const uint8_t received[MSCHAPV2_AUTHRESP_LEN])
{
	uint8_t	 want[MSCHAPV2_AUTHRESP_LEN];
	int	 rv;

	if (chap_ms_generate_auth_response(pw, pwlen, nt_resp, peer_chal,
	    auth_chal, user, userlen, want, NULL) == -1)
		return (-1);
	rv = CRYPTO_memcmp(want, received, sizeof(want)) == 0;
	OPENSSL_cleanse(want, sizeof(want));
	return (rv);
}

void
chap_ms_user_name(const uint8_t *name, size_t len, const uint8_t **user,
    size_t *userlen)
{
	size_t	 i;

	*user = name;
	*userlen = len;
	for (i = len; i > 0; i--)
		if (name[i - 1] == '\\') {
			*user = name + i;
			*userlen = len - i;
			break;
		}
}
