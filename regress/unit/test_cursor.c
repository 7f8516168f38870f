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

#include "common/cursor.h"
#include "common/json.h"
#include "test.h"

T_DEFINE_GLOBALS;

static void
test_cursor_reads(void)
{
	const uint8_t	 b[] = { 1, 0x02, 0x03, 4, 5, 6, 7, 8, 9, 10, 11, 12,
			    13, 14, 15 };
	struct cur	 c, sub;
	uint8_t		 u8, out[4];
	uint16_t	 u16;
	uint32_t	 u32;
	uint64_t	 u64;
	const uint8_t	*p;

	cur_init(&c, b, sizeof(b));
	T_ASSERT(cur_get_u8(&c, &u8) == 0 && u8 == 1);
	T_ASSERT(cur_peek_u16(&c, &u16) == 0 && u16 == 0x0203);
	T_ASSERT(cur_get_u16(&c, &u16) == 0 && u16 == 0x0203);
	T_ASSERT(cur_get_u32(&c, &u32) == 0 && u32 == 0x04050607);
	T_ASSERT(cur_left(&c) == 8);
	T_ASSERT(cur_sub(&c, &sub, 3) == 0 && cur_left(&sub) == 3);
	T_ASSERT(cur_get_bytes(&sub, out, 3) == 0 && out[0] == 8);
	T_ASSERT(cur_get_u8(&sub, &u8) == -1);	/* sub ends at its length */
	T_ASSERT(cur_left(&c) == 5);
	/* A failed read neither reads nor moves. */
	T_ASSERT(cur_get_u64(&c, &u64) == -1 && cur_left(&c) == 5);
	T_ASSERT(cur_sub(&c, &sub, 6) == -1 && cur_left(&c) == 5);
	T_ASSERT(cur_get_ptr(&c, &p, 5) == 0 && p[0] == 11);
	T_ASSERT(cur_get_u8(&c, &u8) == -1);
	T_ASSERT(cur_skip(&c, 1) == -1);
	T_ASSERT(cur_skip(&c, 0) == 0);

	cur_init(&c, b + 3, 8);
	T_ASSERT(cur_get_u64(&c, &u64) == 0 &&
	    u64 == 0x0405060708090a0bULL);
	/* A huge length from the wire cannot wrap around. */
	cur_init(&c, b, sizeof(b));
	T_ASSERT(cur_skip(&c, (size_t)-1) == -1);
	T_ASSERT(cur_get_ptr(&c, &p, SIZE_MAX) == -1);
}

static void
test_obuf_writes(void)
{
	uint8_t		 buf[10];
	struct obuf	 o;
	size_t		 off;

	obuf_init(&o, buf, sizeof(buf));
	obuf_put_u8(&o, 0xaa);
	off = obuf_reserve(&o, 2);
	obuf_put_u32(&o, 0x01020304);
	obuf_patch_u16(&o, off, 0xbeef);
	T_ASSERT(obuf_error(&o) == 0 && o.o_len == 7);
	T_ASSERT(buf[0] == 0xaa && buf[1] == 0xbe && buf[2] == 0xef &&
	    buf[3] == 1 && buf[6] == 4);
	/* Too much: sticky error, nothing written past the end. */
	obuf_put_u32(&o, 0xffffffff);
	T_ASSERT(obuf_error(&o) == -1 && o.o_len == 7);
	obuf_put_u8(&o, 1);
	T_ASSERT(obuf_error(&o) == -1 && o.o_len == 7);
	obuf_init(&o, buf, sizeof(buf));
	obuf_patch_u32(&o, 0, 1);		/* patching unwritten bytes */
	T_ASSERT(obuf_error(&o) == -1);
}

static void
test_json_escaping(void)
{
	struct json	 j;
	const char	*t;

	json_init(&j);
	json_obj_open(&j, NULL);
	json_str(&j, "a", "q\"b\\\n\x01\xff");
	json_int(&j, "n", -5);
	json_arr_open(&j, "l");
	json_uint(&j, NULL, 1);
	json_bool(&j, NULL, 0);
	json_arr_close(&j);
	json_obj_close(&j);
	t = json_text(&j);
	T_ASSERT_RET(t != NULL);
	T_ASSERT(strcmp(t, "{\"a\":\"q\\\"b\\\\\\u000a\\u0001\\u00ff\","
	    "\"n\":-5,\"l\":[1,false]}") == 0);
	json_free(&j);
}

int
main(void)
{
	T_RUN(test_cursor_reads);
	T_RUN(test_obuf_writes);
	T_RUN(test_json_escaping);
	return (T_DONE());
}
