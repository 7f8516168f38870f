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


#ifndef L2TPSEC_ESP_H
#define L2TPSEC_ESP_H

#include <sys/types.h>

#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>

/*
 * The ESP engine of the userspace data path (RFC 4303), as pure
 * functions over buffers: one struct esp_sa per direction, keyed once,
 * then esp_encap() / esp_decap() per packet.  No sockets, no clock: the
 * caller owns lookup by (peer, port, SPI), UDP encapsulation (RFC 3948),
 * lifetimes and logging; this file owns the bytes from the SPI to the
 * ICV.  32-bit sequence numbers only: IKEv1 negotiates no ESN.
 */

/* ESP transform ids (RFC 2407 4.4.4, RFC 4106 8.3): struct msg_sa_add. */
#define ESP_ENC_3DES		3
#define ESP_ENC_AES_CBC		12
#define ESP_ENC_AES_GCM_16	20
/* Authentication algorithms (RFC 2407 4.5, RFC 4868): 0 with GCM. */
#define ESP_AUTH_NONE		0
#define ESP_AUTH_HMAC_SHA1	2	/* HMAC-SHA1-96, RFC 2404 */
#define ESP_AUTH_HMAC_SHA2_256	5	/* HMAC-SHA-256-128, RFC 4868 */
#define ESP_AUTH_HMAC_SHA2_384	6	/* HMAC-SHA-384-192 */
#define ESP_AUTH_HMAC_SHA2_512	7	/* HMAC-SHA-512-256 */

#define ESP_DIR_IN		0
#define ESP_DIR_OUT		1

#define ESP_HDRLEN		8	/* SPI, Sequence Number */
#define ESP_IV_MAX		16
#define ESP_ICV_MAX		32
/*
 * The most esp_encap() adds to a payload: header, IV, padding to the
 * 16-byte block (15), Pad Length, Next Header, ICV.  For MTU and
 * buffer sizing; esp_encap_len() gives the exact figure for an SA.
 */
#define ESP_ENCAP_OVERHEAD_MAX	(ESP_HDRLEN + ESP_IV_MAX + 15 + 2 + \
				    ESP_ICV_MAX)

/* Next Header 59: a dummy packet (RFC 4303 2.6), dropped silently. */
#define ESP_NH_NONE		59

/*
 * Anti-replay (RFC 4303 3.4.3): the window accepts the ESP_REPLAY_WINDOW
 * sequence numbers ending at the highest one verified.  The bitmap is a
 * ring indexed by the sequence number itself, wider than the window by
 * at least a word, so that sliding it clears whole words instead of
 * shifting (256 bytes per inbound SA).
 */
#define ESP_REPLAY_WINDOW	1024
#define ESP_REPLAY_BITS		2048	/* power of two, >= WINDOW + 64 */
#define ESP_REPLAY_WORDS	(ESP_REPLAY_BITS / 64)

/*
 * Outbound: past this many packets the caller should start a rekey
 * (soft); at 2^32 - 1 esp_encap() refuses (hard, ESP_E_SEQ_OVERFLOW).
 */
#define ESP_SEQ_SOFT		0xf0000000U

/*
 * Results.  Every drop reason has its own code so the data path can
 * count them for `show status`; esp_strerror() names them.
 */
enum esp_err {
	ESP_OK = 0,
	ESP_E_SHORT = -1,	/* shorter than the smallest valid packet */
	ESP_E_LENGTH = -2,	/* ciphertext not whole blocks; over 64k */
	ESP_E_SPI = -3,		/* SPI is not this SA's */
	ESP_E_REPLAY = -4,	/* duplicate inside the window */
	ESP_E_STALE = -5,	/* left of the window (or sequence 0) */
	ESP_E_AUTH = -6,	/* ICV or GCM tag did not verify */
	ESP_E_PAD = -7,		/* pad length or pad bytes wrong */
	ESP_E_SEQ_OVERFLOW = -8, /* outbound: 2^32 - 1 sent; rekey (hard) */
	ESP_E_NOSPACE = -9,	/* the caller's output buffer is too small */
	ESP_E_PARAM = -10,	/* esp_sa_init: algorithm, key length, SPI */
	ESP_E_DIR = -11,	/* encap on an inbound SA or vice versa */
	ESP_E_CRYPTO = -12	/* OpenSSL failed */
};
#define ESP_NERR		13

/* Per SA, one direction.  Bytes count payload, not ESP overhead. */
struct esp_stats {
	uint64_t	est_packets;
	uint64_t	est_bytes;
	uint64_t	est_drop[ESP_NERR];	/* by -enum esp_err */
};

/*
 * One direction of an SA.  The caller embeds it and treats the members
 * as read-only; the keys live only inside the OpenSSL contexts.
 */
struct esp_sa {
	int		 es_dir;
	uint32_t	 es_spi;	/* host order */
	uint16_t	 es_enc;
	uint16_t	 es_auth;
	size_t		 es_block;	/* cipher block; 1 for GCM */
	size_t		 es_align;	/* padding unit: block, at least 4 */
	size_t		 es_ivlen;
	size_t		 es_icvlen;
	uint8_t		 es_salt[4];	/* GCM (RFC 4106 4) */
	EVP_CIPHER_CTX	*es_cipher;	/* keyed once, per-packet IV only */
	EVP_CIPHER_CTX	*es_ivgen;	/* CBC out: AES-ECB, random key */
	EVP_MAC_CTX	*es_mac;	/* keyed HMAC, re-initialised */
	uint32_t	 es_seq;	/* out: last sent; in: right edge */
	uint64_t	 es_window[ESP_REPLAY_WORDS];
	struct esp_stats es_stats;
	int		 es_test_iv_set;
	uint8_t		 es_test_iv[ESP_IV_MAX];
};

/*
 * Fetches the ciphers and HMAC once (OpenSSL 3 providers); call it
 * before the sandbox closes.  esp_sa_init() calls it if nobody did.
 * esp_cleanup() releases them (leak checkers, tests).
 */
int	 esp_init(void);
void	 esp_cleanup(void);

/*
 * Keys one direction: enckey is the KEYMAT for the transform (GCM: the
 * AES key followed by the 4-byte salt, RFC 4106 8.1), authkey the
 * HMAC key (none with GCM).  Returns ESP_OK or ESP_E_PARAM /
 * ESP_E_CRYPTO, leaving nothing to free on failure.
 */
int	 esp_sa_init(struct esp_sa *, int dir, uint32_t spi,
	    uint16_t enc, const uint8_t *enckey, size_t enckeylen,
	    uint16_t auth, const uint8_t *authkey, size_t authkeylen);
void	 esp_sa_free(struct esp_sa *);

/* Length of the ESP packet esp_encap() makes of len payload bytes. */
size_t	 esp_encap_len(const struct esp_sa *, size_t len);
/* Where the ciphertext starts: header and IV (in-place encryption). */
size_t	 esp_payload_offset(const struct esp_sa *);
/*
 * Outbound: payload (the UDP datagram, next_header 17, in transport
 * mode) -> SPI, Seq, IV, ciphertext with padding and trailer, ICV.
 * Returns the packet length, or a negative enum esp_err.  The payload
 * may already sit at out + esp_payload_offset() (encrypted in place);
 * any other overlap is undefined.
 */
ssize_t	 esp_encap(struct esp_sa *, const uint8_t *payload, size_t len,
	    uint8_t next_header, uint8_t *out, size_t outcap);
/*
 * Inbound, checks in the order of RFC 4303 3.4: length, SPI,
 * anti-replay, ICV, decrypt, padding.  The payload goes to out (outcap
 * must hold the whole ciphertext; esp_decap_maxlen() says how much); a
 * dummy packet returns ESP_OK with *next_header ESP_NH_NONE, for the
 * caller to drop.  Returns ESP_OK or a negative enum esp_err; on error
 * out holds nothing of the packet.  out may be pkt +
 * esp_payload_offset() (decrypted in place); no other overlap.
 */
int	 esp_decap(struct esp_sa *, const uint8_t *pkt, size_t len,
	    uint8_t *out, size_t outcap, size_t *outlen,
	    uint8_t *next_header);
size_t	 esp_decap_maxlen(const struct esp_sa *, size_t pktlen);

/* The SPI of an ESP packet, for the caller's lookup; -1 if too short. */
int	 esp_peek_spi(const uint8_t *pkt, size_t len, uint32_t *spi);
const char *esp_strerror(int);

/*
 * Known-answer hooks for regress/unit/test_esp.c; the daemon never
 * calls them.  set_seq: the last sequence number sent (outbound) or
 * the right edge of the window (inbound).  set_iv: the explicit IV of
 * the next outbound packet only.  icv: the truncated HMAC of data under
 * the SA's integrity key.
 */
void	 esp_sa_test_set_seq(struct esp_sa *, uint32_t);
int	 esp_sa_test_set_iv(struct esp_sa *, const uint8_t *, size_t);
int	 esp_sa_test_icv(struct esp_sa *, const uint8_t *, size_t,
	    uint8_t *);

#endif
