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


/*
 * esp_bench [-c cpu] [-l len] [-r rounds] [-s suite] [-t secs]:
 * packets/s of the ESP engine on one core, per suite (-s: only that
 * one, e.g. aes128gcm16, for perf record), next to the bare OpenSSL
 * work for the same packet (the crypto ceiling) measured in the same
 * run.  "out" is esp_encap() against encrypt+ICV; "in" is esp_decap()
 * against ICV check+decrypt; "pair" is one of each, a packet through
 * both ends.  Not a test: it prints figures and a ratio.
 *
 *   cc -O2 -I. -o build/esp_bench regress/bench/esp_bench.c \
 *       datapath/esp.c common/cursor.c -lcrypto
 */

#include <sys/types.h>

#include <err.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "datapath/esp.h"

struct bsuite {
	const char	*b_name;
	uint16_t	 b_enc;
	size_t		 b_enckeylen;
	uint16_t	 b_auth;
	size_t		 b_authkeylen;
	const char	*b_cipher;
	const char	*b_digest;
};

static const struct bsuite bsuites[] = {
	{ "aes128gcm16", ESP_ENC_AES_GCM_16, 20, 0, 0, "AES-128-GCM", NULL },
	{ "aes256gcm16", ESP_ENC_AES_GCM_16, 36, 0, 0, "AES-256-GCM", NULL },
	{ "aes128-sha1", ESP_ENC_AES_CBC, 16, ESP_AUTH_HMAC_SHA1, 20,
	    "AES-128-CBC", "SHA1" },
	{ "aes256-sha1", ESP_ENC_AES_CBC, 32, ESP_AUTH_HMAC_SHA1, 20,
	    "AES-256-CBC", "SHA1" },
	{ "aes128-sha256", ESP_ENC_AES_CBC, 16, ESP_AUTH_HMAC_SHA2_256, 32,
	    "AES-128-CBC", "SHA2-256" },
	{ "aes256-sha256", ESP_ENC_AES_CBC, 32, ESP_AUTH_HMAC_SHA2_256, 32,
	    "AES-256-CBC", "SHA2-256" },
	{ "3des-sha1", ESP_ENC_3DES, 24, ESP_AUTH_HMAC_SHA1, 20,
	    "DES-EDE3-CBC", "SHA1" }
};
#define NBSUITES	(sizeof(bsuites) / sizeof(bsuites[0]))

#define BUFSZ	4096

static double	 seconds = 0.3;	/* per figure per round */
static size_t	 rounds = 5;
static size_t	 plen = 1400;

static double
now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (ts.tv_sec + ts.tv_nsec / 1e9);
}

/*
 * The ceiling: the same cipher and MAC work over the same number of
 * bytes, contexts made once, no framing, no checks of ours.
 */
static const uint8_t bare_aad[8] = { 0, 0, 0x10, 0, 0, 0, 0, 1 };

struct bare {
	EVP_CIPHER_CTX	*ba_enc, *ba_dec;
	EVP_MAC_CTX	*ba_mac;
	int		 ba_gcm;
	size_t		 ba_icvlen;
};

static void
bare_init(struct bare *b, const struct bsuite *s, const uint8_t *ek,
    const uint8_t *ak)
{
	EVP_CIPHER	*c;
	EVP_MAC		*m;
	OSSL_PARAM	 p[2];

	memset(b, 0, sizeof(*b));
	b->ba_gcm = s->b_enc == ESP_ENC_AES_GCM_16;
	if ((c = EVP_CIPHER_fetch(NULL, s->b_cipher, NULL)) == NULL)
		errx(1, "fetch %s", s->b_cipher);
	b->ba_enc = EVP_CIPHER_CTX_new();
	b->ba_dec = EVP_CIPHER_CTX_new();
	if (EVP_EncryptInit_ex2(b->ba_enc, c, ek, NULL, NULL) != 1 ||
	    EVP_DecryptInit_ex2(b->ba_dec, c, ek, NULL, NULL) != 1)
		errx(1, "cipher init");
	EVP_CIPHER_CTX_set_padding(b->ba_enc, 0);
	EVP_CIPHER_CTX_set_padding(b->ba_dec, 0);
	EVP_CIPHER_free(c);
	if (b->ba_gcm) {
		b->ba_icvlen = 16;
		return;
	}
	if ((m = EVP_MAC_fetch(NULL, "HMAC", NULL)) == NULL)
		errx(1, "fetch HMAC");
	p[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST,
	    (char *)s->b_digest, 0);
	p[1] = OSSL_PARAM_construct_end();
	b->ba_mac = EVP_MAC_CTX_new(m);
	if (EVP_MAC_init(b->ba_mac, ak, s->b_authkeylen, p) != 1)
		errx(1, "mac init");
	EVP_MAC_free(m);
	b->ba_icvlen = s->b_auth == ESP_AUTH_HMAC_SHA1 ? 12 : 16;
}

static void
bare_free(struct bare *b)
{
	EVP_CIPHER_CTX_free(b->ba_enc);
	EVP_CIPHER_CTX_free(b->ba_dec);
	EVP_MAC_CTX_free(b->ba_mac);
}

/* One packet out: cipher (and MAC) over len bytes; the ICV at the end. */
static void
bare_out(struct bare *b, const uint8_t *iv, const uint8_t *in, size_t len,
    uint8_t *out)
{
	uint8_t	md[EVP_MAX_MD_SIZE];
	size_t	mdlen;
	int	n, f;

	if (EVP_EncryptInit_ex(b->ba_enc, NULL, NULL, NULL, iv) != 1)
		errx(1, "iv");
	if (b->ba_gcm &&
	    EVP_EncryptUpdate(b->ba_enc, NULL, &n, bare_aad, 8) != 1)
		errx(1, "aad");
	if (EVP_EncryptUpdate(b->ba_enc, out, &n, in, len) != 1 ||
	    EVP_EncryptFinal_ex(b->ba_enc, out + n, &f) != 1)
		errx(1, "encrypt");
	if (b->ba_gcm) {
		if (EVP_CIPHER_CTX_ctrl(b->ba_enc, EVP_CTRL_GCM_GET_TAG, 16,
		    out + len) != 1)
			errx(1, "tag");
		return;
	}
	if (EVP_MAC_init(b->ba_mac, NULL, 0, NULL) != 1 ||
	    EVP_MAC_update(b->ba_mac, out, len) != 1 ||
	    EVP_MAC_final(b->ba_mac, md, &mdlen, sizeof(md)) != 1)
		errx(1, "mac");
	memcpy(out + len, md, b->ba_icvlen);
}

/* One packet in: check the ICV, decrypt len bytes. */
static void
bare_in(struct bare *b, const uint8_t *iv, const uint8_t *in, size_t len,
    uint8_t *out)
{
	uint8_t	md[EVP_MAX_MD_SIZE], tag[16];
	size_t	mdlen;
	int	n, f;

	if (!b->ba_gcm) {
		if (EVP_MAC_init(b->ba_mac, NULL, 0, NULL) != 1 ||
		    EVP_MAC_update(b->ba_mac, in, len) != 1 ||
		    EVP_MAC_final(b->ba_mac, md, &mdlen, sizeof(md)) != 1 ||
		    CRYPTO_memcmp(md, in + len, b->ba_icvlen) != 0)
			errx(1, "mac");
	}
	if (EVP_DecryptInit_ex(b->ba_dec, NULL, NULL, NULL, iv) != 1)
		errx(1, "iv");
	if (b->ba_gcm) {
		memcpy(tag, in + len, 16);
		if (EVP_DecryptUpdate(b->ba_dec, NULL, &n, bare_aad, 8) != 1 ||
		    EVP_CIPHER_CTX_ctrl(b->ba_dec, EVP_CTRL_GCM_SET_TAG, 16,
		    tag) != 1)
			errx(1, "aad");
	}
	if (EVP_DecryptUpdate(b->ba_dec, out, &n, in, len) != 1 ||
	    EVP_DecryptFinal_ex(b->ba_dec, out + n, &f) != 1)
		errx(1, "decrypt (bare)");
}

struct rate {
	double	r_out, r_in, r_pair;
};

#define BATCH	256

static void
rate_max(struct rate *best, const struct rate *r)
{
	if (r->r_out > best->r_out)
		best->r_out = r->r_out;
	if (r->r_in > best->r_in)
		best->r_in = r->r_in;
	if (r->r_pair > best->r_pair)
		best->r_pair = r->r_pair;
}

static void
run_engine(const struct bsuite *s, const uint8_t *ek, const uint8_t *ak,
    struct rate *r)
{
	static uint8_t	 payload[BUFSZ], pkt[BUFSZ], dec[BUFSZ];
	struct esp_sa	 out, in;
	double		 t0, t;
	uint64_t	 n;
	ssize_t		 len = 0;
	size_t		 dl, i;
	uint8_t		 nh;

	if (esp_sa_init(&out, ESP_DIR_OUT, 0x1000, s->b_enc, ek,
	    s->b_enckeylen, s->b_auth, ak, s->b_authkeylen) != ESP_OK ||
	    esp_sa_init(&in, ESP_DIR_IN, 0x1000, s->b_enc, ek,
	    s->b_enckeylen, s->b_auth, ak, s->b_authkeylen) != ESP_OK)
		errx(1, "esp_sa_init %s", s->b_name);
	memset(payload, 0x5a, sizeof(payload));

	/* Out alone. */
	t0 = now();
	for (n = 0; (t = now()) - t0 < seconds; n += BATCH)
		for (i = 0; i < BATCH; i++)
			if ((len = esp_encap(&out, payload, plen, 17, pkt,
			    sizeof(pkt))) <= 0)
				errx(1, "esp_encap");
	r->r_out = n / (t - t0);

	/* In alone: one packet, the window told to forget it each time. */
	t0 = now();
	for (n = 0; (t = now()) - t0 < seconds; n += BATCH)
		for (i = 0; i < BATCH; i++) {
			esp_sa_test_set_seq(&in, 0);
			if (esp_decap(&in, pkt, len, dec, sizeof(dec), &dl,
			    &nh) != ESP_OK)
				errx(1, "esp_decap");
		}
	r->r_in = n / (t - t0);

	/* Through both ends, fresh sequence numbers. */
	esp_sa_test_set_seq(&in, 0);
	esp_sa_test_set_seq(&out, 0);
	t0 = now();
	for (n = 0; (t = now()) - t0 < seconds; n += BATCH)
		for (i = 0; i < BATCH; i++) {
			len = esp_encap(&out, payload, plen, 17, pkt,
			    sizeof(pkt));
			if (len <= 0 || esp_decap(&in, pkt, len, dec,
			    sizeof(dec), &dl, &nh) != ESP_OK || dl != plen)
				errx(1, "pair");
		}
	r->r_pair = n / (t - t0);
	esp_sa_free(&out);
	esp_sa_free(&in);
}

static void
run_bare(const struct bsuite *s, const uint8_t *ek, const uint8_t *ak,
    struct rate *r)
{
	static uint8_t	 in[BUFSZ], ct[BUFSZ], pt[BUFSZ];
	struct bare	 b;
	uint8_t		 iv[16];
	double		 t0, t;
	uint64_t	 n;
	size_t		 len, i;

	bare_init(&b, s, ek, ak);
	/* The bytes ESP encrypts: payload and trailer, block-aligned. */
	len = plen + 2;
	if (!b.ba_gcm)
		len = (len + 15) / 16 * 16;
	else
		len = (len + 3) / 4 * 4;
	memset(in, 0x5a, sizeof(in));
	memset(iv, 0x11, sizeof(iv));

	t0 = now();
	for (n = 0; (t = now()) - t0 < seconds; n += BATCH)
		for (i = 0; i < BATCH; i++)
			bare_out(&b, iv, in, len, ct);
	r->r_out = n / (t - t0);
	t0 = now();
	for (n = 0; (t = now()) - t0 < seconds; n += BATCH)
		for (i = 0; i < BATCH; i++)
			bare_in(&b, iv, ct, len, pt);
	r->r_in = n / (t - t0);
	t0 = now();
	for (n = 0; (t = now()) - t0 < seconds; n += BATCH)
		for (i = 0; i < BATCH; i++) {
			bare_out(&b, iv, in, len, ct);
			bare_in(&b, iv, ct, len, pt);
		}
	r->r_pair = n / (t - t0);
	bare_free(&b);
}

static void
usage(void)
{
	fprintf(stderr, "usage: esp_bench [-c cpu] [-l payload] "
	    "[-r rounds] [-s suite] [-t seconds]\n");
	exit(1);
}

int
main(int argc, char *argv[])
{
	struct rate	 e, b, re, rb;
	uint8_t		 ek[64], ak[64];
	cpu_set_t	 set;
	const char	*only = NULL;
	size_t		 i, k;
	int		 ch, cpu = -1;

	while ((ch = getopt(argc, argv, "c:l:r:s:t:")) != -1) {
		switch (ch) {
		case 'c':
			cpu = atoi(optarg);
			break;
		case 'l':
			plen = strtoul(optarg, NULL, 10);
			if (plen == 0 || plen > 2048)
				usage();
			break;
		case 'r':
			rounds = strtoul(optarg, NULL, 10);
			if (rounds == 0)
				usage();
			break;
		case 's':
			only = optarg;
			break;
		case 't':
			seconds = atof(optarg);
			if (seconds <= 0)
				usage();
			break;
		default:
			usage();
		}
	}
	if (cpu >= 0) {
		CPU_ZERO(&set);
		CPU_SET(cpu, &set);
		if (sched_setaffinity(0, sizeof(set), &set) == -1)
			err(1, "sched_setaffinity %d", cpu);
	}
	for (i = 0; i < sizeof(ek); i++) {
		ek[i] = (uint8_t)(i * 31 + 7);
		ak[i] = (uint8_t)(i * 17 + 3);
	}
	if (esp_init() != ESP_OK)
		errx(1, "esp_init");
	printf("# %s, %zu-byte payloads, best of %zu rounds of %.2f s, "
	    "%s cpu %d\n", OpenSSL_version(OPENSSL_VERSION), plen, rounds,
	    seconds, cpu >= 0 ? "pinned to" : "running on", sched_getcpu());
	printf("# Mpps: engine / bare EVP = ratio\n");
	printf("%-14s %-24s %-24s %-24s\n", "suite", "out (encap)",
	    "in (decap)", "pair (encap+decap)");
	for (i = 0; i < NBSUITES; i++) {
		if (only != NULL && strcmp(only, bsuites[i].b_name) != 0)
			continue;
		/*
		 * Rounds alternate between the two and keep the best of
		 * each: on a shared machine the noise only ever slows.
		 */
		memset(&e, 0, sizeof(e));
		memset(&b, 0, sizeof(b));
		for (k = 0; k < rounds; k++) {
			run_bare(&bsuites[i], ek, ak, &rb);
			run_engine(&bsuites[i], ek, ak, &re);
			rate_max(&b, &rb);
			rate_max(&e, &re);
		}
		printf("%-14s %5.3f / %5.3f = %4.2f     "
		    "%5.3f / %5.3f = %4.2f     %5.3f / %5.3f = %4.2f\n",
		    bsuites[i].b_name,
		    e.r_out / 1e6, b.r_out / 1e6, e.r_out / b.r_out,
		    e.r_in / 1e6, b.r_in / 1e6, e.r_in / b.r_in,
		    e.r_pair / 1e6, b.r_pair / 1e6, e.r_pair / b.r_pair);
		fflush(stdout);
	}
	esp_cleanup();
	return (0);
}
