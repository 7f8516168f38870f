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


#ifndef L2TPSEC_CURSOR_H
#define L2TPSEC_CURSOR_H

#include <stddef.h>
#include <stdint.h>

/*
 * A bounds-checked view of untrusted bytes.  Every getter checks the
 * remaining length first and returns -1 without moving when the bytes are
 * not there; nothing ever reads past the end.  Multi-byte integers are
 * network byte order, as in every protocol we speak.
 */
struct cur {
	const uint8_t	*c_p;
	size_t		 c_len;
};

void	cur_init(struct cur *, const void *, size_t);
size_t	cur_left(const struct cur *);
int	cur_get_u8(struct cur *, uint8_t *);
int	cur_get_u16(struct cur *, uint16_t *);
int	cur_get_u32(struct cur *, uint32_t *);
int	cur_get_u64(struct cur *, uint64_t *);
int	cur_get_bytes(struct cur *, void *, size_t);
/* Points *p at the next n bytes and consumes them, without copying. */
int	cur_get_ptr(struct cur *, const uint8_t **, size_t);
int	cur_skip(struct cur *, size_t);
/* Splits off the next n bytes as their own cursor (a length-prefixed body). */
int	cur_sub(struct cur *, struct cur *, size_t);
int	cur_peek_u8(const struct cur *, uint8_t *);
int	cur_peek_u16(const struct cur *, uint16_t *);

/*
 * A bounded writer over a caller's buffer.  A put that does not fit sets
 * the sticky error and writes nothing; the caller checks once at the end.
 */
struct obuf {
	uint8_t		*o_buf;
	size_t		 o_cap;
	size_t		 o_len;
	int		 o_err;
};

void	obuf_init(struct obuf *, void *, size_t);
void	obuf_put_u8(struct obuf *, uint8_t);
void	obuf_put_u16(struct obuf *, uint16_t);
void	obuf_put_u32(struct obuf *, uint32_t);
void	obuf_put_u64(struct obuf *, uint64_t);
void	obuf_put_bytes(struct obuf *, const void *, size_t);
void	obuf_put_zero(struct obuf *, size_t);
/* Reserves n bytes and returns their offset, to patch a length in later. */
size_t	obuf_reserve(struct obuf *, size_t);
void	obuf_patch_u16(struct obuf *, size_t, uint16_t);
void	obuf_patch_u32(struct obuf *, size_t, uint32_t);
int	obuf_error(const struct obuf *);

#endif
