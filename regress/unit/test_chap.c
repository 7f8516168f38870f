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

#include "ppp/chap_ms.h"
#include "ppp/ppp_parse.h"
#include "test.h"

T_DEFINE_GLOBALS;

/* RFC 2759 9.2, "Hash Example", every value as printed there. */
static const char	 v_user[] = "User";
static const char	 v_pass[] = "clientPass";
static const uint8_t	 v_unipw[] = {
	0x63, 0x00, 0x6C, 0x00, 0x69, 0x00, 0x65, 0x00, 0x6E, 0x00,
	0x74, 0x00, 0x50, 0x00, 0x61, 0x00, 0x73, 0x00, 0x73, 0x00 };
static const uint8_t	 v_auth_chal[16] = {
	0x5B, 0x5D, 0x7C, 0x7D, 0x7B, 0x3F, 0x2F, 0x3E,
	0x3C, 0x2C, 0x60, 0x21, 0x32, 0x26, 0x26, 0x28 };
static const uint8_t	 v_peer_chal[16] = {
	0x21, 0x40, 0x23, 0x24, 0x25, 0x5E, 0x26, 0x2A,
	0x28, 0x29, 0x5F, 0x2B, 0x3A, 0x33, 0x7C, 0x7E };
static const uint8_t	 v_chal[8] = {
	0xD0, 0x2E, 0x43, 0x86, 0xBC, 0xE9, 0x12, 0x26 };
static const uint8_t	 v_hash[16] = {
	0x44, 0xEB, 0xBA, 0x8D, 0x53, 0x12, 0xB8, 0xD6,
	0x11, 0x47, 0x44, 0x11, 0xF5, 0x69, 0x89, 0xAE };
static const uint8_t	 v_ntresp[24] = {
	0x82, 0x30, 0x9E, 0xCD, 0x8D, 0x70, 0x8B, 0x5E,
	0xA0, 0x8F, 0xAA, 0x39, 0x81, 0xCD, 0x83, 0x54,
	0x42, 0x33, 0x11, 0x4A, 0x3D, 0x85, 0xD6, 0xDF };
static const uint8_t	 v_hashhash[16] = {
	0x41, 0xC0, 0x0C, 0x58, 0x4B, 0xD2, 0xD9, 0x1C,
	0x40, 0x17, 0xA2, 0xA1, 0x2F, 0xA5, 0x9F, 0x3F };
static const char	 v_authstr[] =
	"S=407A5589115FD0D6209F510FE9C04566932CDA56";

static void
test_preload(void)
{
	T_ASSERT_RET(chap_ms_preload() == 0);
	T_ASSERT(chap_ms_preload() == 0);	/* idempotent */
	printf("# MD4 from %s\n", chap_ms_md4_source());
}

/* RFC 1320 A.5 test suite, for the built-in MD4. */
static void
test_md4_builtin(void)
{
	static const struct {
		const char	*in;
		const char	*md;
	} v[] = {
		{ "", "31d6cfe0d16ae931b73c59d7e0c089c0" },
		{ "a", "bde52cb31de33e46245e05fbdbd6fb24" },
		{ "abc", "a448017aaf21d8525fc10ae87aa6729d" },
		{ "message digest", "d9130a8164549fe818874806e1c7014b" },
		{ "abcdefghijklmnopqrstuvwxyz",
		    "d79e1c308aa5bbcdeea8ed63df412da9" },
		{ "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
		    "0123456789", "043f8582f241db351ce627e153e7f0e4" },
		{ "1234567890123456789012345678901234567890"
		    "1234567890123456789012345678901234567890",
		    "e33b4ddc9c38f2199c3e7b164fcc0536" },
	};
	uint8_t		 md[16];
	char		 hex[33];
	size_t		 i, j;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		chap_ms_md4_builtin(v[i].in, strlen(v[i].in), md);
		for (j = 0; j < 16; j++)
			snprintf(hex + 2 * j, 3, "%02x", md[j]);
		T_ASSERT(strcmp(hex, v[i].md) == 0);
	}
}

/* Every intermediate of RFC 2759 9.2, through whichever MD4. */
static void
rfc2759_vectors(void)
{
	uint8_t		 uni[512], hash[16], hh[16], chal[8], resp[24];
	uint8_t		 auth[20];
	char		 authstr[MSCHAPV2_AUTHSTR_LEN + 1];
	size_t		 unilen;

	T_ASSERT(chap_ms_utf8_to_utf16le(v_pass, strlen(v_pass), uni,
	    sizeof(uni), &unilen) == 0);
	T_ASSERT(unilen == sizeof(v_unipw) &&
	    memcmp(uni, v_unipw, unilen) == 0);
	T_ASSERT(chap_ms_challenge_hash(v_peer_chal, v_auth_chal, v_user,
	    strlen(v_user), chal) == 0);
	T_ASSERT(memcmp(chal, v_chal, 8) == 0);
	T_ASSERT(chap_ms_nt_password_hash(v_pass, strlen(v_pass), hash) == 0);
	T_ASSERT(memcmp(hash, v_hash, 16) == 0);
	T_ASSERT(chap_ms_challenge_response(v_chal, v_hash, resp) == 0);
	T_ASSERT(memcmp(resp, v_ntresp, 24) == 0);
	memset(resp, 0, sizeof(resp));
	T_ASSERT(chap_ms_generate_nt_response(v_auth_chal, v_peer_chal,
	    v_user, strlen(v_user), v_pass, strlen(v_pass), resp) == 0);
	T_ASSERT(memcmp(resp, v_ntresp, 24) == 0);
	T_ASSERT(chap_ms_hash_nt_password_hash(v_hash, hh) == 0);
	T_ASSERT(memcmp(hh, v_hashhash, 16) == 0);
	T_ASSERT(chap_ms_generate_auth_response(v_pass, strlen(v_pass),
	    v_ntresp, v_peer_chal, v_auth_chal, v_user, strlen(v_user), auth,
	    authstr) == 0);
	T_ASSERT(strcmp(authstr, v_authstr) == 0);
}

static void
test_mschapv2_rfc2759(void)
{
	chap_ms_force_builtin_md4(0);
	rfc2759_vectors();
}

static void
test_mschapv2_rfc2759_builtin_md4(void)
{
	chap_ms_force_builtin_md4(1);
	T_ASSERT(strcmp(chap_ms_md4_source(), "built-in") == 0);
	rfc2759_vectors();
	chap_ms_force_builtin_md4(0);
}

/* The authenticator's and the peer's checks, right and wrong. */
static void
test_mschapv2_verify(void)
{
	struct mschapv2_success	 s;
	uint8_t			 resp[24], auth[20];

	T_ASSERT(chap_ms_verify_nt_response(v_auth_chal, v_peer_chal, v_user,
	    4, v_pass, strlen(v_pass), v_ntresp) == 1);
	memcpy(resp, v_ntresp, 24);
	resp[23] ^= 1;
	T_ASSERT(chap_ms_verify_nt_response(v_auth_chal, v_peer_chal, v_user,
	    4, v_pass, strlen(v_pass), resp) == 0);
	T_ASSERT(chap_ms_verify_nt_response(v_auth_chal, v_peer_chal, v_user,
	    4, "clientpass", 10, v_ntresp) == 0);
	T_ASSERT(chap_ms_verify_nt_response(v_auth_chal, v_peer_chal, "user",
	    4, v_pass, strlen(v_pass), v_ntresp) == 0);

	/* A Success message as received, parsed, then checked. */
	T_ASSERT_RET(mschapv2_success_parse((const uint8_t *)v_authstr,
	    strlen(v_authstr), &s) == 0);
	T_ASSERT(chap_ms_check_auth_response(v_pass, strlen(v_pass),
	    v_ntresp, v_peer_chal, v_auth_chal, v_user, 4, s.ms_auth) == 1);
	/* Wrong authenticator response: every bit position matters. */
	memcpy(auth, s.ms_auth, 20);
	auth[0] ^= 0x80;
	T_ASSERT(chap_ms_check_auth_response(v_pass, strlen(v_pass),
	    v_ntresp, v_peer_chal, v_auth_chal, v_user, 4, auth) == 0);
	memcpy(auth, s.ms_auth, 20);
	auth[19] ^= 0x01;
	T_ASSERT(chap_ms_check_auth_response(v_pass, strlen(v_pass),
	    v_ntresp, v_peer_chal, v_auth_chal, v_user, 4, auth) == 0);
	/* Right string, wrong password or wrong NT-Response. */
	T_ASSERT(chap_ms_check_auth_response("clientPasS", 10, v_ntresp,
	    v_peer_chal, v_auth_chal, v_user, 4, s.ms_auth) == 0);
	memcpy(resp, v_ntresp, 24);
	resp[0] ^= 1;
	T_ASSERT(chap_ms_check_auth_response(v_pass, strlen(v_pass), resp,
	    v_peer_chal, v_auth_chal, v_user, 4, s.ms_auth) == 0);
	/* Invalid UTF-8 password: an error, not a match. */
	T_ASSERT(chap_ms_check_auth_response("\xff", 1, v_ntresp,
	    v_peer_chal, v_auth_chal, v_user, 4, s.ms_auth) == -1);
	T_ASSERT(chap_ms_verify_nt_response(v_auth_chal, v_peer_chal, v_user,
	    4, "\xc0\x80", 2, v_ntresp) == -1);
}

/* RFC 2759 9.3, "Example of DES Key Generation". */
static void
test_des_key_parity(void)
{
	static const uint8_t	 k1[7] = {
		0xFC, 0x15, 0x6A, 0xF7, 0xED, 0xCD, 0x6C };
	static const uint8_t	 p1[8] = {
		0xFD, 0x0B, 0x5B, 0x5E, 0x7F, 0x6E, 0x34, 0xD9 };
	static const uint8_t	 k2[7] = {
		0x0E, 0xDD, 0xE3, 0x33, 0x7D, 0x42, 0x7F };
	static const uint8_t	 p2[8] = {
		0x0E, 0x6E, 0x79, 0x67, 0x37, 0xEA, 0x08, 0xFE };
	static const uint8_t	 h[16] = {
		0xFC, 0x15, 0x6A, 0xF7, 0xED, 0xCD, 0x6C, 0x0E,
		0xDD, 0xE3, 0x33, 0x7D, 0x42, 0x7F, 0x4E, 0xAC };
	uint8_t			 out[8], hash[16];

	/* Password "MyPw" gives the hash the example starts from. */
	T_ASSERT(chap_ms_nt_password_hash("MyPw", 4, hash) == 0);
	T_ASSERT(memcmp(hash, h, 16) == 0);
	chap_ms_des_key(k1, out);
	T_ASSERT(memcmp(out, p1, 8) == 0);
	chap_ms_des_key(k2, out);
	T_ASSERT(memcmp(out, p2, 8) == 0);
}

/*
 * RFC 1994 4.1 known answer: MD5(id || secret || challenge), computed
 * independently:
 *   printf '\x2asecret\x01\x23\x45\x67\x89\xab\xcd\xef\xfe\xdc\xba\x98'\
 *       '\x76\x54\x32\x10' | openssl md5
 *   MD5(stdin)= 6bbd13bb2acc255dcfc251cbb7d58b0e
 */
static void
test_chap_md5(void)
{
	static const uint8_t	 chal[16] = {
		0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef,
		0xfe, 0xdc, 0xba, 0x98, 0x76, 0x54, 0x32, 0x10 };
	static const uint8_t	 want[16] = {
		0x6b, 0xbd, 0x13, 0xbb, 0x2a, 0xcc, 0x25, 0x5d,
		0xcf, 0xc2, 0x51, 0xcb, 0xb7, 0xd5, 0x8b, 0x0e };
	uint8_t			 resp[16];

	T_ASSERT(chap_md5_response(0x2a, "secret", 6, chal, 16, resp) == 0);
	T_ASSERT(memcmp(resp, want, 16) == 0);
	T_ASSERT(chap_md5_verify(0x2a, "secret", 6, chal, 16, want, 16) == 1);
	/* Another identifier, secret or challenge: no match. */
	T_ASSERT(chap_md5_verify(0x2b, "secret", 6, chal, 16, want, 16) == 0);
	T_ASSERT(chap_md5_verify(0x2a, "secreT", 6, chal, 16, want, 16) == 0);
	T_ASSERT(chap_md5_verify(0x2a, "secret", 6, chal, 15, want, 16) == 0);
	/* A Response Value of the wrong size never matches. */
	T_ASSERT(chap_md5_verify(0x2a, "secret", 6, chal, 16, want, 15) == 0);
}

static int
utf16(const char *s, size_t len, uint8_t *out, size_t cap, size_t *olen)
{
	return (chap_ms_utf8_to_utf16le(s, len, out, cap, olen));
}

static void
test_utf8_to_utf16(void)
{
	uint8_t		 out[2 * CHAP_MS_PASSWD_MAX + 4];
	char		 big[1200];
	size_t		 n;
	/* "é€😀": 2-, 3- and 4-octet forms, the last a surrogate pair. */
	static const char	 s[] = "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80";
	static const uint8_t	 w[] = { 0xe9, 0x00, 0xac, 0x20,
				    0x3d, 0xd8, 0x00, 0xde };

	T_ASSERT(utf16(s, strlen(s), out, sizeof(out), &n) == 0);
	T_ASSERT(n == sizeof(w) && memcmp(out, w, n) == 0);
	T_ASSERT(utf16("", 0, out, sizeof(out), &n) == 0 && n == 0);
	/* Largest and edge code points. */
	T_ASSERT(utf16("\xf4\x8f\xbf\xbf", 4, out, sizeof(out), &n) == 0 &&
	    n == 4 && out[0] == 0xff && out[1] == 0xdb && out[2] == 0xff &&
	    out[3] == 0xdf);
	T_ASSERT(utf16("\xef\xbf\xbf", 3, out, sizeof(out), &n) == 0 &&
	    n == 2 && out[0] == 0xff && out[1] == 0xff);
	T_ASSERT(utf16("\xc2\x80", 2, out, sizeof(out), &n) == 0 &&
	    n == 2 && out[0] == 0x80 && out[1] == 0);

	/* A lone continuation octet; sequences cut short. */
	T_ASSERT(utf16("\x80", 1, out, sizeof(out), &n) == -1);
	T_ASSERT(utf16("\xc3", 1, out, sizeof(out), &n) == -1);
	T_ASSERT(utf16("\xe2\x82", 2, out, sizeof(out), &n) == -1);
	T_ASSERT(utf16("\xf0\x9f\x98", 3, out, sizeof(out), &n) == -1);
	/* Not a continuation octet; overlong forms. */
	T_ASSERT(utf16("\xc3\x28", 2, out, sizeof(out), &n) == -1);
	T_ASSERT(utf16("\xc0\xaf", 2, out, sizeof(out), &n) == -1);
	T_ASSERT(utf16("\xc1\xbf", 2, out, sizeof(out), &n) == -1);
	T_ASSERT(utf16("\xe0\x80\xaf", 3, out, sizeof(out), &n) == -1);
	T_ASSERT(utf16("\xf0\x80\x80\xaf", 4, out, sizeof(out), &n) == -1);
	/* Surrogates U+D800, U+DFFF; above U+10FFFF; 5 octets; FE. */
	T_ASSERT(utf16("\xed\xa0\x80", 3, out, sizeof(out), &n) == -1);
	T_ASSERT(utf16("\xed\xbf\xbf", 3, out, sizeof(out), &n) == -1);
	T_ASSERT(utf16("\xf4\x90\x80\x80", 4, out, sizeof(out), &n) == -1);
	T_ASSERT(utf16("\xf8\x88\x80\x80\x80", 5, out, sizeof(out), &n) == -1);
	T_ASSERT(utf16("\xfe", 1, out, sizeof(out), &n) == -1);
	/* NUL, and a valid start with a cut end. */
	T_ASSERT(utf16("a\0b", 3, out, sizeof(out), &n) == -1);
	T_ASSERT(utf16("ab\xc3", 3, out, sizeof(out), &n) == -1);

	/* 256 UTF-16 code units fit, 257 do not (RFC 2759 8.1). */
	memset(big, 'x', sizeof(big));
	T_ASSERT(utf16(big, 256, out, sizeof(out), &n) == 0 && n == 512);
	T_ASSERT(utf16(big, 257, out, sizeof(out), &n) == -1);
	/* 128 pairs = 256 units fit; one more pair does not. */
	for (n = 0; n < 129; n++)
		memcpy(big + 4 * n, "\xf0\x9f\x98\x80", 4);
	T_ASSERT(utf16(big, 4 * 128, out, sizeof(out), &n) == 0 && n == 512);
	T_ASSERT(utf16(big, 4 * 129, out, sizeof(out), &n) == -1);
	/* The caller's buffer bounds the output too. */
	T_ASSERT(utf16("abc", 3, out, 4, &n) == -1);
}

/* A non-ASCII password goes through the Unicode path end to end. */
static void
test_nt_hash_unicode(void)
{
	uint8_t		 a[16], b[16];
	static const uint8_t	 uni[] = { 0xe9, 0x00, 0x74, 0x00, 0xe9, 0x00 };

	/* "été" in UTF-8 hashes as its UTF-16LE form, not its bytes. */
	T_ASSERT(chap_ms_nt_password_hash("\xc3\xa9t\xc3\xa9", 5, a) == 0);
	chap_ms_md4_builtin(uni, sizeof(uni), b);
	T_ASSERT(memcmp(a, b, 16) == 0);
	T_ASSERT(chap_ms_nt_password_hash("\xe9t\xe9", 3, a) == -1);
}

static void
test_user_name(void)
{
	const uint8_t	*u;
	size_t		 n;

	chap_ms_user_name((const uint8_t *)"BIGCO\\johndoe", 13, &u, &n);
	T_ASSERT(n == 7 && memcmp(u, "johndoe", 7) == 0);
	chap_ms_user_name((const uint8_t *)"johndoe", 7, &u, &n);
	T_ASSERT(n == 7 && memcmp(u, "johndoe", 7) == 0);
	chap_ms_user_name((const uint8_t *)"A\\B\\c", 5, &u, &n);
	T_ASSERT(n == 1 && u[0] == 'c');
	chap_ms_user_name((const uint8_t *)"dom\\", 4, &u, &n);
	T_ASSERT(n == 0);
}

int
main(void)
{
	T_RUN(test_preload);
	T_RUN(test_md4_builtin);
	T_RUN(test_mschapv2_rfc2759);
	T_RUN(test_mschapv2_rfc2759_builtin_md4);
	T_RUN(test_mschapv2_verify);
	T_RUN(test_des_key_parity);
	T_RUN(test_chap_md5);
	T_RUN(test_utf8_to_utf16);
	T_RUN(test_nt_hash_unicode);
	T_RUN(test_user_name);
	return (T_DONE());
}
