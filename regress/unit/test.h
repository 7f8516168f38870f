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


#ifndef L2TPSEC_TEST_H
#define L2TPSEC_TEST_H

#include <stdio.h>

/*
 * A minimal harness: each test function runs in turn; a failed T_ASSERT
 * prints where and why and marks the test failed.  The runner reads the
 * `ok NAME` / `FAIL NAME: reason` / `SKIP NAME: reason` lines.
 */
extern int	 t_cur_failed;
extern int	 t_any_failed;
extern const char *t_skip_reason;

#define T_ASSERT(c) do {						\
	if (!(c)) {							\
		printf("# %s:%d: assertion failed: %s\n",		\
		    __FILE__, __LINE__, #c);				\
		t_cur_failed = 1;					\
	}								\
} while (0)

#define T_ASSERT_RET(c) do {						\
	if (!(c)) {							\
		printf("# %s:%d: assertion failed: %s\n",		\
		    __FILE__, __LINE__, #c);				\
		t_cur_failed = 1;					\
		return;							\
	}								\
} while (0)

#define T_SKIP(reason) do { t_skip_reason = (reason); return; } while (0)

#define T_RUN(fn) do {							\
	t_cur_failed = 0;						\
	t_skip_reason = NULL;						\
	fflush(stdout);							\
	fn();								\
	if (t_skip_reason != NULL)					\
		printf("SKIP %s: %s\n", #fn, t_skip_reason);		\
	else if (t_cur_failed) {					\
		printf("FAIL %s: see the assertions above\n", #fn);	\
		t_any_failed = 1;					\
	} else								\
		printf("ok %s\n", #fn);					\
	fflush(stdout);							\
} while (0)

#define T_DONE()	(t_any_failed ? 1 : 0)

#define T_DEFINE_GLOBALS						\
	int t_cur_failed, t_any_failed;					\
	const char *t_skip_reason

#endif
