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


#include <sys/types.h>

#include <stdint.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/rand.h>

#include "common/cursor.h"
#include "esp.h"

/*
 * The largest ESP packet we take or make: an IPv4 datagram's limit.
 * It also keeps every length inside the int that EVP wants.
 */
#define ESP_PKT_MAX		65535
#define ESP_GCM_TAGLEN		16	/* transform 20: 16-octet ICV */
#define ESP_GCM_SALTLEN		4

static const char *esp_errnames[ESP_NERR] = {
	"ok",
	"short",
	"bad-length",
	"unknown-spi",
	"replay",
	"stale",
	"auth-failed",
	"bad-padding",
	"seq-overflow",
	"no-space",
	"bad-parameters",
	"wrong-direction",
	"crypto-error"
};

/* The suites of struct msg_sa_add; names as OpenSSL 3 fetches them. */
struct esp_cipher {
	uint16_t	 ec_enc;
	size_t		 ec_keylen;	/* KEYMAT bytes, GCM salt included */
	const char	*ec_name;
	EVP_CIPHER	*ec_cipher;
};

static struct esp_cipher esp_ciphers[] = {
	{ ESP_ENC_AES_CBC, 16, "AES-128-CBC", NULL },
	{ ESP_ENC_AES_CBC, 24, "AES-192-CBC", NULL },
	{ ESP_ENC_AES_CBC, 32, "AES-256-CBC", NULL },
	{ ESP_ENC_3DES, 24, "DES-EDE3-CBC", NULL },
	{ ESP_ENC_AES_GCM_16, 20, "AES-128-GCM", NULL },
	{ ESP_ENC_AES_GCM_16, 28, "AES-192-GCM", NULL },
	{ ESP_ENC_AES_GCM_16, 36, "AES-256-GCM", NULL },
	/* The CBC IV generator, not a transform. */
	{ 0, 16, "AES-128-ECB", NULL }
};
#define ESP_NCIPHERS	(sizeof(esp_ciphers) / sizeof(esp_ciphers[0]))
#define ESP_IVGEN	(&esp_ciphers[ESP_NCIPHERS - 1])

/*
 * RFC 2404 2-3: a 160-bit key, the first 96 bits sent.  RFC 4868 2.1,
 * 2.3: the key as long as the hash output, half the output sent.
 */
struct esp_auth {
	uint16_t	 ea_auth;
	size_t		 ea_keylen;
	size_t		 ea_icvlen;
	const char	*ea_digest;
};

static const struct esp_auth esp_auths[] = {
	{ ESP_AUTH_HMAC_SHA1, 20, 12, "SHA1" },
	{ ESP_AUTH_HMAC_SHA2_256, 32, 16, "SHA2-256" },
	{ ESP_AUTH_HMAC_SHA2_384, 48, 24, "SHA2-384" },
	{ ESP_AUTH_HMAC_SHA2_512, 64, 32, "SHA2-512" }
};
#define ESP_NAUTHS	(sizeof(esp_auths) / sizeof(esp_auths[0]))

static EVP_MAC	*esp_hmac;
static int	 esp_inited;

static int	 esp_drop(struct esp_sa *, int);
static size_t	 esp_padlen(const struct esp_sa *, size_t);
static int	 esp_make_iv(struct esp_sa *, uint32_t, uint8_t *);
static int	 esp_mac(struct esp_sa *, const uint8_t *, size_t, uint8_t *);
static int	 esp_replay_check(const struct esp_sa *, uint32_t);
static void	 esp_replay_update(struct esp_sa *, uint32_t);
static void	 esp_put_u32(uint8_t *, uint32_t);

const char *
esp_strerror(int e)
{
	if (e > 0 || -e >= ESP_NERR)
		return ("unknown");
	return (esp_errnames[-e]);
}

int
esp_init(void)
{
	size_t	i;

	if (esp_inited)
		return (ESP_OK);
	for (i = 0; i < ESP_NCIPHERS; i++) {
		esp_ciphers[i].ec_cipher = EVP_CIPHER_fetch(NULL,
		    esp_ciphers[i].ec_name, NULL);
		if (esp_ciphers[i].ec_cipher == NULL)
			goto fail;
	}
	if ((esp_hmac = EVP_MAC_fetch(NULL, "HMAC", NULL)) == NULL)
		goto fail;
	esp_inited = 1;
	return (ESP_OK);
 fail:
	esp_cleanup();
	return (ESP_E_CRYPTO);
}

void
esp_cleanup(void)
{
	size_t	i;

	for (i = 0; i < ESP_NCIPHERS; i++) {
		EVP_CIPHER_free(esp_ciphers[i].ec_cipher);
		esp_ciphers[i].ec_cipher = NULL;
	}
	EVP_MAC_free(esp_hmac);
	esp_hmac = NULL;
	esp_inited = 0;
}

int
esp_sa_init(struct esp_sa *sa, int dir, uint32_t spi, uint16_t enc,
    const uint8_t *enckey, size_t enckeylen, uint16_t auth,
    const uint8_t *authkey, size_t authkeylen)
{
	const struct esp_cipher	*ec = NULL;
	const struct esp_auth	*ea = NULL;
	OSSL_PARAM		 params[2];
	uint8_t			 ivkey[16];
	size_t			 i;
	int			 e;

	memset(sa, 0, sizeof(*sa));
	if ((e = esp_init()) != ESP_OK)
		return (e);
	/* RFC 4303 2.1: SPI 0 is reserved and never on the wire. */
	if ((dir != ESP_DIR_IN && dir != ESP_DIR_OUT) || spi == 0 ||
	    enckey == NULL)
		return (ESP_E_PARAM);
	for (i = 0; i < ESP_NCIPHERS - 1; i++)
		if (esp_ciphers[i].ec_enc == enc &&
		    esp_ciphers[i].ec_keylen == enckeylen)
			ec = &esp_ciphers[i];
	if (ec == NULL)
		return (ESP_E_PARAM);
	if (enc == ESP_ENC_AES_GCM_16) {
		/* GCM authenticates by itself (RFC 4106 6). */
		if (auth != ESP_AUTH_NONE || authkeylen != 0)
			return (ESP_E_PARAM);
	} else {
		/*
		 * No encryption-only ESP: anti-replay needs integrity
		 * (RFC 4303 3.4.3), and CBC without it is malleable.
		 */
		for (i = 0; i < ESP_NAUTHS; i++)
			if (esp_auths[i].ea_auth == auth &&
			    esp_auths[i].ea_keylen == authkeylen)
				ea = &esp_auths[i];
		if (ea == NULL || authkey == NULL)
			return (ESP_E_PARAM);
	}

	sa->es_dir = dir;
	sa->es_spi = spi;
	sa->es_enc = enc;
	sa->es_auth = auth;
	if (enc == ESP_ENC_AES_GCM_16) {
		/* RFC 4106 3.1, 6, 8.1: 8-octet IV, salt after the key. */
		sa->es_block = 1;
		sa->es_ivlen = 8;
		sa->es_icvlen = ESP_GCM_TAGLEN;
		enckeylen -= ESP_GCM_SALTLEN;
		memcpy(sa->es_salt, enckey + enckeylen, ESP_GCM_SALTLEN);
	} else {
		/* RFC 3602 3: the IV is one cipher block. */
		sa->es_block = EVP_CIPHER_get_block_size(ec->ec_cipher);
		sa->es_ivlen = sa->es_block;
		sa->es_icvlen = ea->ea_icvlen;
	}
	/* RFC 4303 2.4: the trailer ends on a 4-byte boundary. */
	sa->es_align = sa->es_block < 4 ? 4 : sa->es_block;

	if ((sa->es_cipher = EVP_CIPHER_CTX_new()) == NULL ||
	    EVP_CipherInit_ex2(sa->es_cipher, ec->ec_cipher, enckey, NULL,
	    dir == ESP_DIR_OUT, NULL) != 1 ||
	    (size_t)EVP_CIPHER_CTX_get_key_length(sa->es_cipher) != enckeylen ||
	    EVP_CIPHER_CTX_set_padding(sa->es_cipher, 0) != 1)
		goto fail;

	if (ea != NULL) {
		params[0] = OSSL_PARAM_construct_utf8_string(
		    OSSL_MAC_PARAM_DIGEST, (char *)ea->ea_digest, 0);
		params[1] = OSSL_PARAM_construct_end();
		if ((sa->es_mac = EVP_MAC_CTX_new(esp_hmac)) == NULL ||
		    EVP_MAC_init(sa->es_mac, authkey, authkeylen, params) != 1)
			goto fail;
	}

	/*
	 * RFC 3602 2.3: CBC IVs must be unpredictable.  Rather than draw
	 * random bytes per packet, encrypt the sequence number -- unique
	 * on the SA -- under a key of its own, drawn once: a block cipher
	 * under a secret key is a pseudo-random permutation, so the IVs
	 * are unpredictable to anyone without that key, and (AES-CBC) never
	 * repeat on the SA.  The key is not the SA's: its ciphertext blocks
	 * and its IVs stay unrelated.
	 */
	if (dir == ESP_DIR_OUT && enc != ESP_ENC_AES_GCM_16) {
		if (RAND_bytes(ivkey, sizeof(ivkey)) != 1 ||
		    (sa->es_ivgen = EVP_CIPHER_CTX_new()) == NULL ||
		    EVP_EncryptInit_ex2(sa->es_ivgen, ESP_IVGEN->ec_cipher,
		    ivkey, NULL, NULL) != 1 ||
		    EVP_CIPHER_CTX_set_padding(sa->es_ivgen, 0) != 1) {
			OPENSSL_cleanse(ivkey, sizeof(ivkey));
			goto fail;
		}
		OPENSSL_cleanse(ivkey, sizeof(ivkey));
	}
	return (ESP_OK);
 fail:
	esp_sa_free(sa);
	return (ESP_E_CRYPTO);
}

void
esp_sa_free(struct esp_sa *sa)
{
	/* The contexts cleanse their key schedules as they go. */
	EVP_CIPHER_CTX_free(sa->es_cipher);
	EVP_CIPHER_CTX_free(sa->es_ivgen);
	EVP_MAC_CTX_free(sa->es_mac);
	OPENSSL_cleanse(sa, sizeof(*sa));
}

size_t
esp_payload_offset(const struct esp_sa *sa)
{
	return (ESP_HDRLEN + sa->es_ivlen);
}

/* RFC 4303 2.4: payload, padding, Pad Length and Next Header align. */
static size_t
esp_padlen(const struct esp_sa *sa, size_t len)
{
	return ((sa->es_align - (len + 2) % sa->es_align) % sa->es_align);
}

size_t
esp_encap_len(const struct esp_sa *sa, size_t len)
{
	return (ESP_HDRLEN + sa->es_ivlen + len + esp_padlen(sa, len) + 2 +
	    sa->es_icvlen);
}

size_t
esp_decap_maxlen(const struct esp_sa *sa, size_t pktlen)
{
	size_t	fixed = ESP_HDRLEN + sa->es_ivlen + sa->es_icvlen;

	return (pktlen > fixed ? pktlen - fixed : 0);
}

int
esp_peek_spi(const uint8_t *pkt, size_t len, uint32_t *spi)
{
	struct cur	c;

	cur_init(&c, pkt, len);
	return (cur_get_u32(&c, spi));
}

static int
esp_drop(struct esp_sa *sa, int e)
{
	sa->es_stats.est_drop[-e]++;
	return (e);
}

static void
esp_put_u32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

/* The explicit IV of outbound packet seq, written to iv. */
static int
esp_make_iv(struct esp_sa *sa, uint32_t seq, uint8_t *iv)
{
	uint8_t	blk[16], enc[16];
	int	n;

	if (sa->es_test_iv_set) {
		memcpy(iv, sa->es_test_iv, sa->es_ivlen);
		sa->es_test_iv_set = 0;
		return (0);
	}
	memset(blk, 0, sizeof(blk));
	if (sa->es_enc == ESP_ENC_AES_GCM_16) {
		/*
		 * RFC 4106 3.1: the IV must never repeat under a key; the
		 * sequence number never does (it may not cycle, RFC 4303
		 * 3.3.3), so it is the IV, zero-extended to 64 bits.
		 */
		esp_put_u32(iv + 4, seq);
		memset(iv, 0, 4);
		return (0);
	}
	/*
	 * CBC: the first ivlen bytes of AES-ECB(ivkey, 0^96 || seq).  For
	 * 3DES that is 64 of the 128 bits, as good as 64 random bits.
	 */
	esp_put_u32(blk + 12, seq);
	if (EVP_EncryptUpdate(sa->es_ivgen, enc, &n, blk, sizeof(blk)) != 1 ||
	    n != sizeof(enc))
		return (-1);
	memcpy(iv, enc, sa->es_ivlen);
	return (0);
}

/* The truncated ICV over data (RFC 2404 2, RFC 4868 2.3). */
static int
esp_mac(struct esp_sa *sa, const uint8_t *data, size_t len, uint8_t *icv)
{
	uint8_t	md[EVP_MAX_MD_SIZE];
	size_t	mdlen;

	/* A NULL key re-initialises with the key the SA was made with. */
	if (EVP_MAC_init(sa->es_mac, NULL, 0, NULL) != 1 ||
	    EVP_MAC_update(sa->es_mac, data, len) != 1 ||
	    EVP_MAC_final(sa->es_mac, md, &mdlen, sizeof(md)) != 1 ||
	    mdlen < sa->es_icvlen)
		return (-1);
	memcpy(icv, md, sa->es_icvlen);
	return (0);
}

ssize_t
esp_encap(struct esp_sa *sa, const uint8_t *payload, size_t len,
    uint8_t next_header, uint8_t *out, size_t outcap)
{
	uint8_t		 trailer[255 + 2], nonce[ESP_GCM_SALTLEN + 8];
	uint8_t		*iv, *ct;
	size_t		 padlen, ctlen, total, i;
	uint32_t	 seq;
	int		 n, m, f;

	if (sa->es_dir != ESP_DIR_OUT)
		return (esp_drop(sa, ESP_E_DIR));
	if (len > ESP_PKT_MAX)
		return (esp_drop(sa, ESP_E_LENGTH));
	padlen = esp_padlen(sa, len);
	ctlen = len + padlen + 2;
	total = ESP_HDRLEN + sa->es_ivlen + ctlen + sa->es_icvlen;
	if (total > outcap)
		return (esp_drop(sa, ESP_E_NOSPACE));
	/* RFC 4303 3.3.3: never cycle; the caller rekeys (SA_EXPIRE). */
	if (sa->es_seq == UINT32_MAX)
		return (esp_drop(sa, ESP_E_SEQ_OVERFLOW));
	seq = ++sa->es_seq;

	iv = out + ESP_HDRLEN;
	ct = iv + sa->es_ivlen;
	esp_put_u32(out, sa->es_spi);
	esp_put_u32(out + 4, seq);
	if (esp_make_iv(sa, seq, iv) == -1)
		goto fail;
	/* RFC 4303 2.4: pad bytes 1, 2, 3, ...; then the trailer. */
	for (i = 0; i < padlen; i++)
		trailer[i] = i + 1;
	trailer[padlen] = padlen;
	trailer[padlen + 1] = next_header;

	if (sa->es_enc == ESP_ENC_AES_GCM_16) {
		/* RFC 4106 4, 5: nonce salt || IV; AAD SPI || Seq. */
		memcpy(nonce, sa->es_salt, ESP_GCM_SALTLEN);
		memcpy(nonce + ESP_GCM_SALTLEN, iv, 8);
		if (EVP_EncryptInit_ex(sa->es_cipher, NULL, NULL, NULL,
		    nonce) != 1 ||
		    EVP_EncryptUpdate(sa->es_cipher, NULL, &n, out,
		    ESP_HDRLEN) != 1)
			goto fail;
	} else if (EVP_EncryptInit_ex(sa->es_cipher, NULL, NULL, NULL,
	    iv) != 1)
		goto fail;
	/* Payload and trailer in two pieces: EVP carries a partial block. */
	if (EVP_EncryptUpdate(sa->es_cipher, ct, &n, payload, len) != 1 ||
	    EVP_EncryptUpdate(sa->es_cipher, ct + n, &m, trailer,
	    padlen + 2) != 1 ||
	    EVP_EncryptFinal_ex(sa->es_cipher, ct + n + m, &f) != 1 ||
	    (size_t)n + m + f != ctlen)
		goto fail;
	if (sa->es_enc == ESP_ENC_AES_GCM_16) {
		if (EVP_CIPHER_CTX_ctrl(sa->es_cipher, EVP_CTRL_GCM_GET_TAG,
		    ESP_GCM_TAGLEN, ct + ctlen) != 1)
			goto fail;
	} else if (esp_mac(sa, out, ESP_HDRLEN + sa->es_ivlen + ctlen,
	    ct + ctlen) == -1)
		goto fail;

	sa->es_stats.est_packets++;
	sa->es_stats.est_bytes += len;
	return ((ssize_t)total);
 fail:
	OPENSSL_cleanse(out, total);
	return (esp_drop(sa, ESP_E_CRYPTO));
}

/*
 * RFC 4303 3.4.3.  The right edge (es_seq) is the highest sequence
 * number verified; the window holds the ESP_REPLAY_WINDOW numbers up to
 * it.  Bit (seq mod ESP_REPLAY_BITS) of the ring says "seen".
 */
static int
esp_replay_check(const struct esp_sa *sa, uint32_t seq)
{
	uint32_t	bit;

	/* Senders start at 1 (RFC 4303 3.3.3): 0 is left of any window. */
	if (seq == 0)
		return (ESP_E_STALE);
	if (seq > sa->es_seq)
		return (ESP_OK);
	if (sa->es_seq - seq >= ESP_REPLAY_WINDOW)
		return (ESP_E_STALE);
	bit = seq & (ESP_REPLAY_BITS - 1);
	if (sa->es_window[bit / 64] & ((uint64_t)1 << (bit % 64)))
		return (ESP_E_REPLAY);
	return (ESP_OK);
}

/* Only after the ICV verified (RFC 4303 3.4.3). */
static void
esp_replay_update(struct esp_sa *sa, uint32_t seq)
{
	uint32_t	top = sa->es_seq, bit, n, i;

	if (seq > top) {
		/*
		 * Words the right edge moves into held numbers a whole ring
		 * older, all stale by now: clear them.
		 */
		n = seq / 64 - top / 64;
		if (n > ESP_REPLAY_WORDS)
			n = ESP_REPLAY_WORDS;
		for (i = 1; i <= n; i++)
			sa->es_window[(top / 64 + i) % ESP_REPLAY_WORDS] = 0;
		sa->es_seq = seq;
	}
	bit = seq & (ESP_REPLAY_BITS - 1);
	sa->es_window[bit / 64] |= (uint64_t)1 << (bit % 64);
}

int
esp_decap(struct esp_sa *sa, const uint8_t *pkt, size_t len,
    uint8_t *out, size_t outcap, size_t *outlen, uint8_t *next_header)
{
	struct cur	 c;
	const uint8_t	*iv, *ct, *icv;
	uint8_t		 nonce[ESP_GCM_SALTLEN + 8], tag[ESP_ICV_MAX];
	uint8_t		 padlen;
	uint32_t	 spi, seq;
	size_t		 ctlen, mincl, i;
	int		 e, n, f;

	*outlen = 0;
	*next_header = 0;
	if (sa->es_dir != ESP_DIR_IN)
		return (esp_drop(sa, ESP_E_DIR));

	/*
	 * RFC 4303 3.4: sanity first.  The ciphertext carries at least
	 * Pad Length and Next Header, rounded up to the cipher block.
	 */
	mincl = sa->es_block > 2 ? sa->es_block : 2;
	if (len < ESP_HDRLEN + sa->es_ivlen + mincl + sa->es_icvlen)
		return (esp_drop(sa, ESP_E_SHORT));
	ctlen = len - ESP_HDRLEN - sa->es_ivlen - sa->es_icvlen;
	if (len > ESP_PKT_MAX || ctlen % sa->es_block != 0)
		return (esp_drop(sa, ESP_E_LENGTH));
	cur_init(&c, pkt, len);
	if (cur_get_u32(&c, &spi) == -1 || cur_get_u32(&c, &seq) == -1 ||
	    cur_get_ptr(&c, &iv, sa->es_ivlen) == -1 ||
	    cur_get_ptr(&c, &ct, ctlen) == -1 ||
	    cur_get_ptr(&c, &icv, sa->es_icvlen) == -1 || cur_left(&c) != 0)
		return (esp_drop(sa, ESP_E_SHORT));

	/* 3.4.2: the caller found the SA by SPI; still, it must match. */
	if (spi != sa->es_spi)
		return (esp_drop(sa, ESP_E_SPI));
	/* 3.4.3: duplicates go before any cryptography is spent. */
	if ((e = esp_replay_check(sa, seq)) != ESP_OK)
		return (esp_drop(sa, e));
	if (outcap < ctlen)
		return (esp_drop(sa, ESP_E_NOSPACE));

	if (sa->es_enc == ESP_ENC_AES_GCM_16) {
		/* 3.4.4.2: decryption and the tag check are one step. */
		memcpy(nonce, sa->es_salt, ESP_GCM_SALTLEN);
		memcpy(nonce + ESP_GCM_SALTLEN, iv, 8);
		memcpy(tag, icv, ESP_GCM_TAGLEN);
		if (EVP_DecryptInit_ex(sa->es_cipher, NULL, NULL, NULL,
		    nonce) != 1 ||
		    EVP_DecryptUpdate(sa->es_cipher, NULL, &n, pkt,
		    ESP_HDRLEN) != 1 ||
		    EVP_DecryptUpdate(sa->es_cipher, out, &n, ct, ctlen) != 1 ||
		    EVP_CIPHER_CTX_ctrl(sa->es_cipher, EVP_CTRL_GCM_SET_TAG,
		    ESP_GCM_TAGLEN, tag) != 1) {
			e = ESP_E_CRYPTO;
			goto fail;
		}
		if (EVP_DecryptFinal_ex(sa->es_cipher, out + n, &f) != 1) {
			e = ESP_E_AUTH;
			goto fail;
		}
	} else {
		/* 3.4.4.1: the ICV, in constant time, before decrypting. */
		if (esp_mac(sa, pkt, len - sa->es_icvlen, tag) == -1)
			return (esp_drop(sa, ESP_E_CRYPTO));
		if (CRYPTO_memcmp(tag, icv, sa->es_icvlen) != 0)
			return (esp_drop(sa, ESP_E_AUTH));
		if (EVP_DecryptInit_ex(sa->es_cipher, NULL, NULL, NULL,
		    iv) != 1 ||
		    EVP_DecryptUpdate(sa->es_cipher, out, &n, ct, ctlen) != 1 ||
		    EVP_DecryptFinal_ex(sa->es_cipher, out + n, &f) != 1 ||
		    (size_t)n + f != ctlen) {
			e = ESP_E_CRYPTO;
			goto fail;
		}
	}
	/* Authentic: the number is used up, whatever the padding says. */
	esp_replay_update(sa, seq);

	/* 3.4.4.1 step 3, 2.4: the receiver SHOULD check 1, 2, 3, ... */
	padlen = out[ctlen - 2];
	if ((size_t)padlen + 2 > ctlen) {
		e = ESP_E_PAD;
		goto fail;
	}
	for (i = 0; i < padlen; i++)
		if (out[ctlen - 2 - padlen + i] != (uint8_t)(i + 1)) {
			e = ESP_E_PAD;
			goto fail;
		}
	*next_header = out[ctlen - 1];
	*outlen = ctlen - 2 - padlen;
	sa->es_stats.est_packets++;
	sa->es_stats.est_bytes += *outlen;
	return (ESP_OK);
 fail:
	/* Nothing unauthenticated or half-checked leaves this function. */
	OPENSSL_cleanse(out, ctlen);
	return (esp_drop(sa, e));
}

void
esp_sa_test_set_seq(struct esp_sa *sa, uint32_t seq)
{
	sa->es_seq = seq;
	memset(sa->es_window, 0, sizeof(sa->es_window));
}

int
esp_sa_test_set_iv(struct esp_sa *sa, const uint8_t *iv, size_t len)
{
	if (sa->es_dir != ESP_DIR_OUT || len != sa->es_ivlen)
		return (ESP_E_PARAM);
	memcpy(sa->es_test_iv, iv, len);
	sa->es_test_iv_set = 1;
	return (ESP_OK);
}

int
esp_sa_test_icv(struct esp_sa *sa, const uint8_t *data, size_t len,
    uint8_t *icv)
{
	if (sa->es_mac == NULL)
		return (ESP_E_PARAM);
	if (esp_mac(sa, data, len, icv) == -1)
		return (ESP_E_CRYPTO);
	return ((int)sa->es_icvlen);
}
