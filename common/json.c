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


#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

void
json_init(struct json *j)
{
	memset(j, 0, sizeof(*j));
}

void
json_free(struct json *j)
{
	free(j->j_buf);
	memset(j, 0, sizeof(*j));
}

static void
json_putn(struct json *j, const char *s, size_t n)
{
	size_t	 ncap;
	char	*nbuf;

	if (j->j_err)
		return;
	if (j->j_cap - j->j_len < n + 1) {
		ncap = j->j_cap ? j->j_cap : 256;
		while (ncap - j->j_len < n + 1)
			ncap *= 2;
		if ((nbuf = realloc(j->j_buf, ncap)) == NULL) {
			j->j_err = 1;
			return;
		}
		j->j_buf = nbuf;
		j->j_cap = ncap;
	}
	memcpy(j->j_buf + j->j_len, s, n);
	j->j_len += n;
	j->j_buf[j->j_len] = '\0';
}

static void
json_puts(struct json *j, const char *s)
{
	json_putn(j, s, strlen(s));
}

static void
json_quoted(struct json *j, const char *s)
{
	const unsigned char	*p;
	char			 esc[8];

	json_putn(j, "\"", 1);
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\') {
			esc[0] = '\\';
			esc[1] = (char)*p;
			json_putn(j, esc, 2);
		} else if (*p < 0x20 || *p >= 0x7f) {
			snprintf(esc, sizeof(esc), "\\u%04x", *p);
			json_puts(j, esc);
		} else
			json_putn(j, (const char *)p, 1);
	}
	json_putn(j, "\"", 1);
}

static void
json_key(struct json *j, const char *key)
{
	if (j->j_comma)
		json_putn(j, ",", 1);
	j->j_comma = 1;
	if (key != NULL) {
		json_quoted(j, key);
		json_putn(j, ":", 1);
	}
}

void
json_obj_open(struct json *j, const char *key)
{
	json_key(j, key);
	json_putn(j, "{", 1);
	j->j_comma = 0;
}

void
json_obj_close(struct json *j)
{
	json_putn(j, "}", 1);
	j->j_comma = 1;
}

void
json_arr_open(struct json *j, const char *key)
{
	json_key(j, key);
	json_putn(j, "[", 1);
	j->j_comma = 0;
}

void
json_arr_close(struct json *j)
{
	json_putn(j, "]", 1);
	j->j_comma = 1;
}

void
json_str(struct json *j, const char *key, const char *val)
{
	json_key(j, key);
	json_quoted(j, val);
}

void
json_int(struct json *j, const char *key, int64_t val)
{
	char	 num[32];

	json_key(j, key);
	snprintf(num, sizeof(num), "%" PRId64, val);
	json_puts(j, num);
}

void
json_uint(struct json *j, const char *key, uint64_t val)
{
	char	 num[32];

	json_key(j, key);
	snprintf(num, sizeof(num), "%" PRIu64, val);
	json_puts(j, num);
}

void
json_bool(struct json *j, const char *key, int val)
{
	json_key(j, key);
	json_puts(j, val ? "true" : "false");
}

const char *
json_text(struct json *j)
{
	if (j->j_err)
		return (NULL);
	if (j->j_buf == NULL)
		json_putn(j, "", 0);
	return (j->j_err ? NULL : j->j_buf);
}
