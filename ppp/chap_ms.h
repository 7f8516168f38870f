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


#ifndef L2TPSEC_PPP_CHAP_MS_H
#define L2TPSEC_PPP_CHAP_MS_H

#include <stddef.h>
#include <stdint.h>

#include "ppp/ppp_parse.h"

/*
 * The arithmetic of CHAP-MD5 (RFC 1994) and MS-CHAPv2 (RFC 2759).  No
 * packets, no state: the ppp child's CHAP code calls these with what it
 * parsed.  Every function returns -1 on an internal error (an algorithm
 * missing, bad input such as a password that is not UTF-8); the verify
 * and check functions return 1 for a match and 0 for a mismatch.  Every
 * intermediate secret (Unicode password, password hashes, DES keys) is
 * wiped before return.  Passwords are UTF-8 bytes, user names are the
 * bytes from the wire.
 */

/*
 * Loads what the functions below need while files can still be opened
 * (DESIGN.md: before the ppp child chroots): a private OpenSSL library
 * context with the default and legacy providers, and MD4, MD5, SHA1 and
 * DES-EDE3-ECB fetched from it once.  Returns 0 if CHAP-MD5 and
 * MS-CHAPv2 will both work, -1 if not (then authentication fails
 * cleanly).  Calling it again does nothing.  The functions below call it
 * themselves if nobody did, which works outside a chroot (unit tests).
 */
int	chap_ms_preload(void);
/* "openssl-legacy" or "built-in": which MD4 is in use, for the log. */
const char	*chap_ms_md4_source(void);

/* RFC 1994 4.1: MD5(Identifier || secret || Challenge). */
int	chap_md5_response(uint8_t id, const void *secret, size_t secretlen,
	    const uint8_t *chal, size_t challen,
	    uint8_t resp[CHAP_MD5_VALUE_LEN]);
int	chap_md5_verify(uint8_t id, const void *secret, size_t secretlen,
	    const uint8_t *chal, size_t challen, const uint8_t *resp,
	    size_t resplen);

/*
 * UTF-8 to UTF-16LE (RFC 2759 8.3 hashes the Unicode password).  Strict:
 * overlong forms, surrogates, code points above U+10FFFF, truncated
 * sequences and NUL are refused, as is more than 256 UTF-16 code units
 * (RFC 2759: "0-to-256-unicode-char").  out must hold 2 * 256 octets.
 */
#define CHAP_MS_PASSWD_MAX	256
int	chap_ms_utf8_to_utf16le(const char *, size_t, uint8_t *, size_t,
	    size_t *);

/* RFC 2759 8.3, 8.4. */
int	chap_ms_nt_password_hash(const char *pw, size_t pwlen,
	    uint8_t hash[16]);
int	chap_ms_hash_nt_password_hash(const uint8_t hash[16],
	    uint8_t hashhash[16]);
/* RFC 2759 8.2; user is the name without any "DOMAIN\" prefix. */
int	chap_ms_challenge_hash(const uint8_t peer_chal[MSCHAPV2_CHAL_LEN],
	    const uint8_t auth_chal[MSCHAPV2_CHAL_LEN], const char *user,
	    size_t userlen, uint8_t chal[8]);
/* RFC 2759 8.5, 8.6: three single-DES encryptions. */
int	chap_ms_challenge_response(const uint8_t chal[8],
	    const uint8_t hash[16], uint8_t resp[MSCHAPV2_NTRESP_LEN]);
/* RFC 2759 8.6, 9.3: a 7-octet key with the parity bits inserted. */
void	chap_ms_des_key(const uint8_t in[7], uint8_t out[8]);

/* RFC 2759 8.1. */
int	chap_ms_generate_nt_response(
	    const uint8_t auth_chal[MSCHAPV2_CHAL_LEN],
	    const uint8_t peer_chal[MSCHAPV2_CHAL_LEN], const char *user,
	    size_t userlen, const char *pw, size_t pwlen,
	    uint8_t resp[MSCHAPV2_NTRESP_LEN]);
/* The authenticator's check of a peer's NT-Response, constant time. */
int	chap_ms_verify_nt_response(
	    const uint8_t auth_chal[MSCHAPV2_CHAL_LEN],
	    const uint8_t peer_chal[MSCHAPV2_CHAL_LEN], const char *user,
	    size_t userlen, const char *pw, size_t pwlen,
	    const uint8_t resp[MSCHAPV2_NTRESP_LEN]);

/*
 * RFC 2759 8.7: the authenticator response, as the 20 octets and as the
 * NUL-terminated "S=" and 40 uppercase hex digits (either may be NULL).
 */
int	chap_ms_generate_auth_response(const char *pw, size_t pwlen,
	    const uint8_t nt_resp[MSCHAPV2_NTRESP_LEN],
	    const uint8_t peer_chal[MSCHAPV2_CHAL_LEN],
	    const uint8_t auth_chal[MSCHAPV2_CHAL_LEN], const char *user,
	    size_t userlen, uint8_t auth[MSCHAPV2_AUTHRESP_LEN],
	    char authstr[MSCHAPV2_AUTHSTR_LEN + 1]);
/*
 * RFC 2759 8.8, the peer's check of the Success packet: received is the
 * 20 octets mschapv2_success_parse() decoded; compared in constant time.
 */
int	chap_ms_check_auth_response(const char *pw, size_t pwlen,
	    const uint8_t nt_resp[MSCHAPV2_NTRESP_LEN],
	    const uint8_t peer_chal[MSCHAPV2_CHAL_LEN],
	    const uint8_t auth_chal[MSCHAPV2_CHAL_LEN], const char *user,
	    size_t userlen, const uint8_t received[MSCHAPV2_AUTHRESP_LEN]);

/*
 * RFC 2759 4 and 8.2: the user name hashed is the account name without
 * the "DOMAIN\" a Windows peer may put in front.  Returns the part after
 * the last backslash.
 */
void	chap_ms_user_name(const uint8_t *name, size_t len,
	    const uint8_t **user, size_t *userlen);

/* Tests only: MD4 of RFC 1320 as built in, and forcing its use. */
void	chap_ms_md4_builtin(const void *, size_t, uint8_t md[16]);
void	chap_ms_force_builtin_md4(int);

#endif
