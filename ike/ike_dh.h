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


#ifndef L2TPSEC_IKE_DH_H
#define L2TPSEC_IKE_DH_H

#include <stddef.h>
#include <stdint.h>

/*
 * Diffie-Hellman for IKEv1 with OpenSSL 3: MODP groups 2 (RFC 2409 6.2),
 * 5, 14, 15, 16 (RFC 3526) and ECP groups 19, 20 (RFC 5903), numbered as
 * the Group Description attribute (IKE_GROUP_* in isakmp_parse.h).
 *
 * Wire formats: a MODP public value is the group's prime length, zeros
 * prepended (RFC 2409 5); an ECP one is x | y, each the field length,
 * without the 0x04 of SEC 1 (RFC 5903 7).  The shared secret is g^xy
 * padded with zeros to the prime length (as RFC 7296 2.14 spells out and
 * strongSwan does for IKEv1), and for ECP only the x coordinate (RFC 5903
 * 7 and 9).
 */

#define IKE_DH_MAXLEN	512	/* MODP 4096: public value and secret */

struct ike_dh;

/* 1 if the group is one we do, 0 if not. */
int		 ike_dh_supported(uint16_t);
/* Length of the KE payload data and of the shared secret; 0: unknown. */
size_t		 ike_dh_publen(uint16_t);
size_t		 ike_dh_secretlen(uint16_t);

/* The prime of a MODP group (big-endian, *len bytes), or NULL. */
const uint8_t	*ike_dh_prime(uint16_t, size_t *);

/* A fresh key pair in a group, or NULL. */
struct ike_dh	*ike_dh_new(uint16_t);
/*
 * A key pair from a known private value and its public value in wire
 * format: for known-answer tests only (RFC 5903 8).
 */
struct ike_dh	*ike_dh_new_keypair(uint16_t, const uint8_t *, size_t,
		    const uint8_t *, size_t);
uint16_t	 ike_dh_group(const struct ike_dh *);
/* Our public value in wire format; len must be ike_dh_publen(). */
int		 ike_dh_public(const struct ike_dh *, uint8_t *, size_t);
/*
 * Checks a peer's public value without exponentiating: the exact length;
 * for MODP 1 < y < p-1; for ECP both coordinates below the field prime
 * and the point on the curve (the groups have cofactor 1, so that is the
 * whole check).  0 or -1.
 */
int		 ike_dh_check_peer(uint16_t, const uint8_t *, size_t);
/*
 * The shared secret with a peer's public value (checked as above) into
 * out, which must hold ike_dh_secretlen() bytes.  0 or -1; on failure
 * out is zeroed.
 */
int		 ike_dh_derive(struct ike_dh *, const uint8_t *, size_t,
		    uint8_t *, size_t);
/* Frees the key pair; OpenSSL clears the private value. */
void		 ike_dh_free(struct ike_dh *);

#endif
