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


#ifndef L2TPSEC_JSON_H
#define L2TPSEC_JSON_H

#include <stddef.h>
#include <stdint.h>

/*
 * A small JSON writer into a growing buffer, for the audit log and
 * l2tpsecctl -j.  It tracks whether a comma is due; strings are escaped
 * per RFC 8259, and bytes that are not printable ASCII are written as
 * \u escapes so a hostile peer name cannot break a log line.
 */
struct json {
	char	*j_buf;
	size_t	 j_len;
	size_t	 j_cap;
	int	 j_comma;
	int	 j_err;
};

void	json_init(struct json *);
void	json_free(struct json *);
void	json_obj_open(struct json *, const char *);	/* key or NULL */
void	json_obj_close(struct json *);
void	json_arr_open(struct json *, const char *);
void	json_arr_close(struct json *);
void	json_str(struct json *, const char *, const char *);
void	json_int(struct json *, const char *, int64_t);
void	json_uint(struct json *, const char *, uint64_t);
void	json_bool(struct json *, const char *, int);
/* The finished text, NUL-terminated, or NULL if memory ran out. */
const char *json_text(struct json *);

#endif
