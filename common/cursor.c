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

#include "cursor.h"

void
cur_init(struct cur *c, const void *p, size_t len)
{
	c->c_p = p;
	c->c_len = len;
}

size_t
cur_left(const struct cur *c)
{
	return (c->c_len);
}

int
cur_get_ptr(struct cur *c, const uint8_t **p, size_t n)
{
	if (c->c_len < n)
		return (-1);
	*p = c->c_p;
	c->c_p += n;
	c->c_len -= n;
	return (0);
}

int
cur_get_bytes(struct cur *c, void *dst, size_t n)
{
	const uint8_t	*p;

	if (cur_get_ptr(c, &p, n) == -1)
		return (-1);
	if (n > 0)
		memcpy(dst, p, n);
	return (0);
}

int
cur_skip(struct cur *c, size_t n)
{
	const uint8_t	*p;

	return (cur_get_ptr(c, &p, n));
}

int
cur_sub(struct cur *c, struct cur *sub, size_t n)
{
	const uint8_t	*p;

	if (cur_get_ptr(c, &p, n) == -1)
		return (-1);
	cur_init(sub, p, n);
	return (0);
}

int
cur_get_u8(struct cur *c, uint8_t *v)
{
	const uint8_t	*p;

	if (cur_get_ptr(c, &p, 1) == -1)
		return (-1);
	*v = p[0];
	return (0);
}

int
cur_get_u16(struct cur *c, uint16_t *v)
{
	const uint8_t	*p;

	if (cur_get_ptr(c, &p, 2) == -1)
		return (-1);
	*v = (uint16_t)(p[0] << 8 | p[1]);
	return (0);
}

int
cur_get_u32(struct cur *c, uint32_t *v)
{
	const uint8_t	*p;

	if (cur_get_ptr(c, &p, 4) == -1)
		return (-1);
	*v = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
	return (0);
}

int
cur_get_u64(struct cur *c, uint64_t *v)
{
	uint32_t	 hi, lo;

	if (c->c_len < 8)
		return (-1);
	(void)cur_get_u32(c, &hi);
	(void)cur_get_u32(c, &lo);
	*v = (uint64_t)hi << 32 | lo;
	return (0);
}

int
cur_peek_u8(const struct cur *c, uint8_t *v)
{
	struct cur	 tmp = *c;

	return (cur_get_u8(&tmp, v));
}

int
cur_peek_u16(const struct cur *c, uint16_t *v)
{
	struct cur	 tmp = *c;

	return (cur_get_u16(&tmp, v));
}

void
obuf_init(struct obuf *o, void *buf, size_t cap)
{
	o->o_buf = buf;
	o->o_cap = cap;
	o->o_len = 0;
	o->o_err = 0;
}

static uint8_t *
obuf_take(struct obuf *o, size_t n)
{
	uint8_t	*p;

	if (o->o_err || o->o_cap - o->o_len < n) {
		o->o_err = 1;
		return (NULL);
	}
	p = o->o_buf + o->o_len;
	o->o_len += n;
	return (p);
}

void
obuf_put_u8(struct obuf *o, uint8_t v)
{
	uint8_t	*p;

	if ((p = obuf_take(o, 1)) != NULL)
		p[0] = v;
}

void
obuf_put_u16(struct obuf *o, uint16_t v)
{
	uint8_t	*p;

	if ((p = obuf_take(o, 2)) != NULL) {
		p[0] = v >> 8;
		p[1] = v & 0xff;
	}
}

void
obuf_put_u32(struct obuf *o, uint32_t v)
{
	uint8_t	*p;

	if ((p = obuf_take(o, 4)) != NULL) {
		p[0] = v >> 24;
		p[1] = (v >> 16) & 0xff;
		p[2] = (v >> 8) & 0xff;
		p[3] = v & 0xff;
	}
}

void
obuf_put_u64(struct obuf *o, uint64_t v)
{
	obuf_put_u32(o, (uint32_t)(v >> 32));
	obuf_put_u32(o, (uint32_t)v);
}

void
obuf_put_bytes(struct obuf *o, const void *src, size_t n)
{
	uint8_t	*p;

	if ((p = obuf_take(o, n)) != NULL && n > 0)
		memcpy(p, src, n);
}

void
obuf_put_zero(struct obuf *o, size_t n)
{
	uint8_t	*p;

	if ((p = obuf_take(o, n)) != NULL && n > 0)
		memset(p, 0, n);
}

size_t
obuf_reserve(struct obuf *o, size_t n)
{
	size_t	 off = o->o_len;

	obuf_put_zero(o, n);
	return (off);
}

void
obuf_patch_u16(struct obuf *o, size_t off, uint16_t v)
{
	if (o->o_err || off > o->o_len || o->o_len - off < 2) {
		o->o_err = 1;
		return;
	}
	o->o_buf[off] = v >> 8;
	o->o_buf[off + 1] = v & 0xff;
}

void
obuf_patch_u32(struct obuf *o, size_t off, uint32_t v)
{
	if (o->o_err || off > o->o_len || o->o_len - off < 4) {
		o->o_err = 1;
		return;
	}
	o->o_buf[off] = v >> 24;
	o->o_buf[off + 1] = (v >> 16) & 0xff;
	o->o_buf[off + 2] = (v >> 8) & 0xff;
	o->o_buf[off + 3] = v & 0xff;
}

int
obuf_error(const struct obuf *o)
{
	return (o->o_err ? -1 : 0);
}
