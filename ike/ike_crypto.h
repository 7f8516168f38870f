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


#ifndef L2TPSEC_IKE_CRYPTO_H
#define L2TPSEC_IKE_CRYPTO_H

#include <stddef.h>
#include <stdint.h>

/*
 * IKEv1 keying (RFC 2409 5, 5.5, Appendix B) for pre-shared-key Main Mode
 * and Quick Mode, NAT-D (RFC 3947 3.2), and CBC for the ISAKMP payload
 * area: functions on byte buffers with no state of their own.  Hashes
 * and ciphers are named by their phase 1 attribute values (IKE_HASH_*,
 * IKE_ENCR_* in isakmp_parse.h).  The prf is HMAC with the negotiated
 * hash (no PRF attribute is defined, RFC 2409 Appendix A).
 *
 * Every function returns 0 or -1; -1 also for a hash or cipher we do not
 * do (SHA1, SHA2-256/384/512; AES-CBC 128/192/256, 3DES-CBC).  Callers
 * wipe the secrets they hold with ike_keys_clear() or explicit_bzero().
 */

#define IKE_HASH_MAXLEN		64
#define IKE_BLOCK_MAXLEN	16
#define IKE_KEY_MAXLEN		32

/* A piece of a concatenation: the "|" of RFC 2409. */
struct ike_chunk {
	const uint8_t	*ck_p;
	size_t		 ck_len;
};

/*
 * Fetches every algorithm this file uses, so the sandboxed child does its
 * provider work before it is sandboxed.  Optional: everything is also
 * fetched on first use.  ike_crypto_cleanup() drops the cache.
 */
int	ike_crypto_init(void);
void	ike_crypto_cleanup(void);

/* Output length of a hash (and of its prf), 0 if we do not do it. */
size_t	ike_hash_len(uint16_t);
int	ike_hash(uint16_t, const struct ike_chunk *, size_t, uint8_t *);
int	ike_prf(uint16_t, const uint8_t *, size_t, const struct ike_chunk *,
	    size_t, uint8_t *);

/*
 * Cipher block length, and key length in bytes from the Key Length
 * attribute in bits: required for AES (RFC 3602 5.3), absent (0) for
 * 3DES (RFC 2409 Appendix A).  0 if not acceptable.
 */
size_t	ike_cipher_blocklen(uint16_t);
size_t	ike_cipher_keylen(uint16_t, unsigned int);

/* RFC 2409 5: SKEYID = prf(pre-shared-key, Ni_b | Nr_b). */
int	ike_skeyid_psk(uint16_t, const uint8_t *, size_t, struct ike_chunk,
	    struct ike_chunk, uint8_t *);
/*
 * RFC 2409 5: SKEYID_d, SKEYID_a, SKEYID_e from SKEYID, g^xy and the
 * cookies (CKY-I, CKY-R: 8 bytes each).
 */
int	ike_skeyid_derive(uint16_t, const uint8_t *, struct ike_chunk,
	    const uint8_t *, const uint8_t *, uint8_t *, uint8_t *,
	    uint8_t *);
/*
 * RFC 2409 Appendix B: the encryption key of keylen bytes, SKEYID_e cut
 * short, or when that is too short K1 | K2 | ... with K1 = prf(SKEYID_e,
 * 0) and Kn = prf(SKEYID_e, Kn-1).
 */
int	ike_enckey(uint16_t, const uint8_t *, size_t, uint8_t *);

/* The phase 1 keys of a PSK exchange, all in one place. */
struct ike_keys {
	uint16_t	 k_hash;
	size_t		 k_hlen;
	uint16_t	 k_encr;
	size_t		 k_keylen;
	size_t		 k_blocklen;
	uint8_t		 k_skeyid[IKE_HASH_MAXLEN];
	uint8_t		 k_skeyid_d[IKE_HASH_MAXLEN];
	uint8_t		 k_skeyid_a[IKE_HASH_MAXLEN];
	uint8_t		 k_skeyid_e[IKE_HASH_MAXLEN];
	uint8_t		 k_key[IKE_KEY_MAXLEN];
};

/*
 * Everything above for a PSK exchange: hash, cipher and Key Length
 * attribute (bits), the PSK, Ni_b, Nr_b, g^xy, CKY-I, CKY-R.
 */
int	ike_keys_psk(struct ike_keys *, uint16_t, uint16_t, unsigned int,
	    const uint8_t *, size_t, struct ike_chunk, struct ike_chunk,
	    struct ike_chunk, const uint8_t *, const uint8_t *);
void	ike_keys_clear(struct ike_keys *);

/*
 * RFC 2409 Appendix B IVs.  Phase 1: hash(g^xi | g^xr) cut to the block
 * length.  Phase 2 and informational: hash(last phase 1 CBC block |
 * M-ID), the block being the last ciphertext block of Main Mode.
 */
int	ike_iv_phase1(uint16_t, struct ike_chunk, struct ike_chunk, size_t,
	    uint8_t *);
int	ike_iv_phase2(uint16_t, const uint8_t *, size_t, uint32_t,
	    uint8_t *);

/*
 * CBC in place over len bytes (a multiple of the block length) with the
 * key and the IV at iv, which on return holds the last ciphertext block:
 * the IV of the next message in the same exchange (RFC 2409 Appendix B).
 */
int	ike_cbc_encrypt(uint16_t, const uint8_t *, size_t, uint8_t *,
	    uint8_t *, size_t);
int	ike_cbc_decrypt(uint16_t, const uint8_t *, size_t, uint8_t *,
	    uint8_t *, size_t);

/*
 * RFC 2409 5: HASH_I = prf(SKEYID, g^xi | g^xr | CKY-I | CKY-R | SAi_b |
 * IDii_b) and HASH_R = prf(SKEYID, g^xr | g^xi | CKY-R | CKY-I | SAi_b |
 * IDir_b).  Both take their arguments in the initiator-first order.
 */
int	ike_hash_i(uint16_t, const uint8_t *, struct ike_chunk,
	    struct ike_chunk, const uint8_t *, const uint8_t *,
	    struct ike_chunk, struct ike_chunk, uint8_t *);
int	ike_hash_r(uint16_t, const uint8_t *, struct ike_chunk,
	    struct ike_chunk, const uint8_t *, const uint8_t *,
	    struct ike_chunk, struct ike_chunk, uint8_t *);

/*
 * RFC 2409 5.5 and 5.7, keyed with SKEYID_a; rest is every payload after
 * the HASH payload, headers included, padding excluded.
 *   HASH(1) = prf(SKEYID_a, M-ID | rest)  (also Informational HASH(1))
 *   HASH(2) = prf(SKEYID_a, M-ID | Ni_b | rest)
 *   HASH(3) = prf(SKEYID_a, 0 | M-ID | Ni_b | Nr_b)
 */
int	ike_qm_hash1(uint16_t, const uint8_t *, uint32_t, struct ike_chunk,
	    uint8_t *);
int	ike_qm_hash2(uint16_t, const uint8_t *, uint32_t, struct ike_chunk,
	    struct ike_chunk, uint8_t *);
int	ike_qm_hash3(uint16_t, const uint8_t *, uint32_t, struct ike_chunk,
	    struct ike_chunk, uint8_t *);

/*
 * RFC 2409 5.5: len bytes of KEYMAT = K1 | K2 | ... for one direction,
 * Kn = prf(SKEYID_d, [Kn-1 |] [g(qm)^xy |] protocol | SPI | Ni_b | Nr_b).
 * The SPI is the one the destination chose: ours for the inbound SA,
 * the peer's for the outbound one.  g(qm)^xy has length 0 without PFS.
 */
int	ike_keymat(uint16_t, const uint8_t *, struct ike_chunk, uint8_t,
	    const uint8_t *, size_t, struct ike_chunk, struct ike_chunk,
	    uint8_t *, size_t);

/*
 * RFC 3947 3.2: HASH(CKY-I | CKY-R | IP | Port), IP 4 or 16 bytes, port
 * in host order (hashed in network order).
 */
int	ike_natd_hash(uint16_t, const uint8_t *, const uint8_t *,
	    const uint8_t *, size_t, uint16_t, uint8_t *);

#endif
