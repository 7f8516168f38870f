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

#include "imsg/imsg.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/*
 * The parent reads whatever a (possibly compromised) child writes: feed
 * arbitrary bytes to the framing and take messages out until it stops.
 * The first byte picks the channel's limits.
 */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct imsgbuf	 ib;
	struct imsg	 im;
	uint8_t		 tmp[64];
	size_t		 maxmsg;

	if (size < 1)
		return (0);
	maxmsg = (data[0] & 0x7f) ? 64 + (data[0] & 0x7f) * 64 : IMSG_MAXMSG;
	if (imsgbuf_init(&ib, -1, maxmsg, data[0] & 0x80) == -1)
		return (0);
	data++;
	size--;
	if (size > ib.ib_rcap)
		size = ib.ib_rcap;
	memcpy(ib.ib_rbuf, data, size);
	ib.ib_rlen = size;
	while (imsg_get(&ib, &im) == 1) {
		(void)imsg_get_exact(&im, tmp, sizeof(tmp));
		imsg_free(&im);
	}
	imsgbuf_clear(&ib);
	return (0);
}
