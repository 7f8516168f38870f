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


#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "datapath/esp.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/*
 * Whatever arrives on UDP 4500 or as protocol 50 reaches esp_decap()
 * once the SPI matched, so the SPI is all an attacker needs to guess.
 * Byte 0 picks the suite (low nibble) and the mode (bit 7):
 *
 * raw: the rest is the packet, given to a fresh inbound SA (fixed keys,
 * so seeds holding real packets get through to the padding check), and
 * given again to hit the replay path.  Bit 6: bytes 1-4 first set the
 * right edge of the window.
 *
 * mutate: bytes 1-2 the payload length, byte 3 a count of (offset, xor)
 * pairs that follow, byte 4 a signed length change; the rest feeds the
 * payload.  A valid packet is made, changed, and decapsulated; it must
 * decapsulate, to the same payload, exactly when the bytes are the
 * ones esp_encap() made.  Anything else is a forgery getting through
 * or a good packet refused: abort().
 */

struct fsuite {
	uint16_t	fs_enc;
	size_t		fs_enckeylen;
	uint16_t	fs_auth;
	size_t		fs_authkeylen;
};

static const struct fsuite fsuites[] = {
	{ ESP_ENC_AES_GCM_16, 20, ESP_AUTH_NONE, 0 },
	{ ESP_ENC_AES_GCM_16, 36, ESP_AUTH_NONE, 0 },
	{ ESP_ENC_AES_CBC, 16, ESP_AUTH_HMAC_SHA1, 20 },
	{ ESP_ENC_AES_CBC, 32, ESP_AUTH_HMAC_SHA1, 20 },
	{ ESP_ENC_AES_CBC, 16, ESP_AUTH_HMAC_SHA2_256, 32 },
	{ ESP_ENC_AES_CBC, 32, ESP_AUTH_HMAC_SHA2_256, 32 },
	{ ESP_ENC_AES_CBC, 32, ESP_AUTH_HMAC_SHA2_512, 64 },
	{ ESP_ENC_3DES, 24, ESP_AUTH_HMAC_SHA1, 20 }
};
#define NFSUITES	(sizeof(fsuites) / sizeof(fsuites[0]))
#define FUZZ_SPI	0x0badcafeU
#define FUZZ_BUF	(70 * 1024)

static uint8_t	 pkt[FUZZ_BUF], orig[FUZZ_BUF], dec[FUZZ_BUF];

static int
fuzz_sa(struct esp_sa *sa, int dir, const struct fsuite *fs)
{
	uint8_t	ek[64], ak[64];
	size_t	i;

	for (i = 0; i < sizeof(ek); i++) {
		ek[i] = (uint8_t)(i + 1);
		ak[i] = (uint8_t)(0x80 + i);
	}
	return (esp_sa_init(sa, dir, FUZZ_SPI, fs->fs_enc, ek,
	    fs->fs_enckeylen, fs->fs_auth, ak, fs->fs_authkeylen));
}

static void
fuzz_raw(const struct fsuite *fs, int edge, const uint8_t *data,
    size_t size)
{
	struct esp_sa	 in;
	size_t		 dl;
	uint8_t		 nh;
	uint32_t	 top;

	if (fuzz_sa(&in, ESP_DIR_IN, fs) != ESP_OK)
		abort();
	if (edge) {
		if (size < 4)
			goto out;
		top = (uint32_t)data[0] << 24 | data[1] << 16 |
		    data[2] << 8 | data[3];
		esp_sa_test_set_seq(&in, top);
		data += 4;
		size -= 4;
	}
	if (esp_decap(&in, data, size, dec, sizeof(dec), &dl, &nh) ==
	    ESP_OK) {
		if (dl > size)
			abort();
		/* Accepted once: the very same bytes are a replay now. */
		if (esp_decap(&in, data, size, dec, sizeof(dec), &dl,
		    &nh) != ESP_E_REPLAY)
			abort();
	}
 out:
	esp_sa_free(&in);
}

static void
fuzz_mutate(const struct fsuite *fs, const uint8_t *data, size_t size)
{
	struct esp_sa	 out, in;
	const uint8_t	*payload;
	size_t		 plen, nmut, i, len, dl, off;
	ssize_t		 n;
	int8_t		 delta;
	uint8_t		 nh;
	int		 e, same;

	if (size < 4)
		return;
	plen = ((size_t)data[0] << 8 | data[1]) % 2048;
	nmut = data[2] % 16;
	delta = (int8_t)data[3];
	data += 4;
	size -= 4;
	if (size < nmut * 2)
		return;
	payload = data + nmut * 2;
	if (plen > size - nmut * 2)
		plen = size - nmut * 2;

	if (fuzz_sa(&out, ESP_DIR_OUT, fs) != ESP_OK ||
	    fuzz_sa(&in, ESP_DIR_IN, fs) != ESP_OK)
		abort();
	n = esp_encap(&out, payload, plen, 17, pkt, sizeof(pkt));
	if (n <= 0 || (size_t)n != esp_encap_len(&out, plen))
		abort();
	memcpy(orig, pkt, n);
	len = n;
	if (delta < 0 && (size_t)-delta <= len)
		len -= (size_t)-delta;
	else if (delta > 0) {
		memset(pkt + len, 0, delta);
		len += delta;
	}
	for (i = 0; i < nmut && len > 0; i++) {
		off = ((size_t)data[i * 2] * 7) % len;
		pkt[off] ^= data[i * 2 + 1];
	}
	same = len == (size_t)n && memcmp(pkt, orig, len) == 0;
	e = esp_decap(&in, pkt, len, dec, sizeof(dec), &dl, &nh);
	if (same != (e == ESP_OK))
		abort();
	if (same && (dl != plen || nh != 17 || memcmp(dec, payload, dl) != 0))
		abort();
	if (!same && dl != 0)
		abort();
	esp_sa_free(&out);
	esp_sa_free(&in);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct fsuite	*fs;

	if (size < 1)
		return (0);
	fs = &fsuites[(data[0] & 0x0f) % NFSUITES];
	if (data[0] & 0x80)
		fuzz_mutate(fs, data + 1, size - 1);
	else
		fuzz_raw(fs, data[0] & 0x40, data + 1, size - 1);
	return (0);
}
