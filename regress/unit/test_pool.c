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


#include <sys/types.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/log.h"
#include "ppp/pool.h"
#include "test.h"

T_DEFINE_GLOBALS;

#define MAX_LINES	64
static char		*lines[MAX_LINES];
static size_t		 nlines;

static void
capture_reset(void)
{
	size_t	 i;

	for (i = 0; i < nlines; i++)
		free(lines[i]);
	nlines = 0;
}

static void
capture(int pri, const char *line)
{
	const char	*prefix = "test_pool: ";

	(void)pri;
	if (strncmp(line, prefix, strlen(prefix)) == 0)
		line += strlen(prefix);
	if (nlines < MAX_LINES && (lines[nlines] = strdup(line)) != NULL)
		nlines++;
}

static int
logged(const char *want)
{
	size_t	 i;

	for (i = 0; i < nlines; i++)
		if (strcmp(lines[i], want) == 0)
			return (1);
	printf("# not logged: %s\n", want);
	for (i = 0; i < nlines; i++)
		printf("#   got: %s\n", lines[i]);
	return (0);
}

static struct in_addr
A(const char *s)
{
	struct in_addr	 a;

	if (inet_pton(AF_INET, s, &a) != 1)
		abort();
	return (a);
}

/* The host-order address, for arithmetic in the tests. */
static uint32_t
H(struct in_addr a)
{
	return (ntohl(a.s_addr));
}

static double
now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (ts.tv_sec + ts.tv_nsec / 1e9);
}

static void
test_pool_order(void)
{
	struct pool	*pl;
	struct in_addr	 a;
	uint32_t	 i;

	pl = pool_init(A("10.2.0.100"), A("10.2.0.104"), A("10.2.0.1"),
	    NULL, 0);
	T_ASSERT_RET(pl != NULL);
	T_ASSERT(pool_available(pl) == 5 && pool_in_use(pl) == 0);
	for (i = 0; i < 5; i++) {
		T_ASSERT(pool_alloc(pl, 100 + i, &a) == 0);
		T_ASSERT(H(a) == H(A("10.2.0.100")) + i);
		T_ASSERT(pool_owner(pl, a) == 100 + i);
	}
	T_ASSERT(pool_in_use(pl) == 5 && pool_available(pl) == 0);
	T_ASSERT(pool_owner(pl, A("10.2.0.1")) == 0);
	T_ASSERT(pool_owner(pl, A("10.2.0.99")) == 0);
	T_ASSERT(pool_owner(pl, A("10.2.0.105")) == 0);
	/* Session 0 is nobody: it cannot hold an address. */
	T_ASSERT(pool_alloc(pl, 0, &a) == -1 && errno == EINVAL);
	pool_free(pl);
	pool_free(NULL);
}

static void
test_pool_exhaustion(void)
{
	struct pool	*pl;
	struct in_addr	 a, b;
	int		 i;

	pl = pool_init(A("10.2.0.100"), A("10.2.0.103"), A("10.2.0.1"),
	    NULL, 0);
	T_ASSERT_RET(pl != NULL);
	for (i = 0; i < 4; i++)
		T_ASSERT(pool_alloc(pl, 1 + i, &a) == 0);
	/* Exhausted: a clean failure, nothing changes, again and again. */
	for (i = 0; i < 3; i++) {
		b.s_addr = 0x01020304;
		T_ASSERT(pool_alloc(pl, 9, &b) == -1 &&
		    errno == EADDRNOTAVAIL);
		T_ASSERT(b.s_addr == 0x01020304);
	}
	T_ASSERT(pool_in_use(pl) == 4);
	/* One back: that one is the only choice. */
	T_ASSERT(pool_release(pl, A("10.2.0.102"), 3) == 0);
	T_ASSERT(pool_in_use(pl) == 3 && pool_available(pl) == 1);
	T_ASSERT(pool_alloc(pl, 9, &b) == 0 && H(b) == H(A("10.2.0.102")));
	T_ASSERT(pool_owner(pl, b) == 9);
	T_ASSERT(pool_alloc(pl, 10, &b) == -1);
	pool_free(pl);

	/* A pool of one address. */
	pl = pool_init(A("10.2.0.100"), A("10.2.0.100"), A("10.2.0.1"),
	    NULL, 0);
	T_ASSERT_RET(pl != NULL);
	T_ASSERT(pool_alloc(pl, 1, &a) == 0 && H(a) == H(A("10.2.0.100")));
	T_ASSERT(pool_alloc(pl, 2, &a) == -1);
	T_ASSERT(pool_release(pl, A("10.2.0.100"), 1) == 0);
	T_ASSERT(pool_alloc(pl, 2, &a) == 0 && H(a) == H(A("10.2.0.100")));
	pool_free(pl);
}

static void
test_pool_release(void)
{
	struct pool	*pl;
	struct in_addr	 a;

	pl = pool_init(A("10.2.0.100"), A("10.2.0.109"), A("10.2.0.1"),
	    NULL, 0);
	T_ASSERT_RET(pl != NULL);
	T_ASSERT(pool_alloc(pl, 7, &a) == 0);
	/* Only the holder gives it back: a late teardown changes nothing. */
	T_ASSERT(pool_release(pl, a, 8) == -1 && errno == ENOENT);
	T_ASSERT(pool_release(pl, a, 0) == -1 && errno == ENOENT);
	T_ASSERT(pool_owner(pl, a) == 7 && pool_in_use(pl) == 1);
	T_ASSERT(pool_release(pl, a, 7) == 0);
	T_ASSERT(pool_release(pl, a, 7) == -1 && errno == ENOENT);
	T_ASSERT(pool_owner(pl, a) == 0 && pool_in_use(pl) == 0);
	/* Nothing outside the pool, nor the local address, is released. */
	T_ASSERT(pool_release(pl, A("10.2.0.1"), 7) == -1);
	T_ASSERT(pool_release(pl, A("192.0.2.1"), 7) == -1);
	T_ASSERT(pool_in_use(pl) == 0 && pool_available(pl) == 10);
	pool_free(pl);
}

static uint32_t
rng_pick(void)
{
	static uint32_t	 x = 12345;

	x = x * 1103515245 + 12345;
	return (x >> 16);
}

/* A released address comes back only after every other free one. */
static void
test_pool_no_quick_reuse(void)
{
	struct pool	*pl;
	struct in_addr	 a, first;
	uint32_t	 i, last, base = H(A("10.2.0.100"));

	pl = pool_init(A("10.2.0.100"), A("10.2.0.109"), A("10.2.0.1"),
	    NULL, 0);
	T_ASSERT_RET(pl != NULL);
	T_ASSERT(pool_alloc(pl, 1, &first) == 0 && H(first) == base);
	T_ASSERT(pool_alloc(pl, 2, &a) == 0 && H(a) == base + 1);
	T_ASSERT(pool_alloc(pl, 3, &a) == 0 && H(a) == base + 2);
	T_ASSERT(pool_release(pl, A("10.2.0.101"), 2) == 0);
	T_ASSERT(pool_release(pl, first, 1) == 0);
	/* .103 to .109 first, then round to .100 and .101. */
	for (i = 3; i < 10; i++) {
		T_ASSERT(pool_alloc(pl, 10 + i, &a) == 0);
		T_ASSERT(H(a) == base + i);
	}
	T_ASSERT(pool_alloc(pl, 20, &a) == 0 && H(a) == base);
	T_ASSERT(pool_alloc(pl, 21, &a) == 0 && H(a) == base + 1);
	T_ASSERT(pool_alloc(pl, 22, &a) == -1);

	/*
	 * Churn: every address handed out is the first free one after the
	 * one handed out before it, whatever was released in between.
	 */
	last = base + 1;
	for (i = 0; i < 1000; i++) {
		uint32_t	 k, want = 0;

		for (k = 0; k < 2; k++) {
			a.s_addr = htonl(base + rng_pick() % 10);
			if (pool_owner(pl, a) != 0)
				T_ASSERT(pool_release(pl, a,
				    pool_owner(pl, a)) == 0);
		}
		for (k = 1; k <= 10; k++) {
			a.s_addr = htonl(base + (last - base + k) % 10);
			if (pool_owner(pl, a) == 0) {
				want = ntohl(a.s_addr);
				break;
			}
		}
		T_ASSERT(want != 0);
		T_ASSERT(pool_alloc(pl, 100 + i, &a) == 0 && H(a) == want);
		last = H(a);
	}
	pool_free(pl);
}

static void
test_pool_statics(void)
{
	struct pool	*pl;
	struct in_addr	 st[6], a;
	uint32_t	 i;

	st[0] = A("10.2.0.103");
	st[1] = A("10.2.0.101");
	st[2] = A("10.9.9.9");		/* outside the range */
	st[3] = A("10.2.0.101");	/* twice */
	st[4] = A("10.2.0.1");		/* the local address */
	st[5] = A("127.0.0.5");
	capture_reset();
	pl = pool_init(A("10.2.0.100"), A("10.2.0.105"), A("10.2.0.1"),
	    st, 6);
	T_ASSERT_RET(pl != NULL);
	T_ASSERT(logged("pool: 10.2.0.1, a user's static address, is the "
	    "local address: it is never handed out"));
	T_ASSERT(logged("pool: 127.0.0.5, a user's static address, is not "
	    "one a client may use: it is never handed out"));
	T_ASSERT(nlines == 2);
	/* .101 and .103 are never dynamic. */
	T_ASSERT(pool_available(pl) == 4);
	for (i = 0; i < 4; i++) {
		T_ASSERT(pool_alloc(pl, 1 + i, &a) == 0);
		T_ASSERT(H(a) != H(st[0]) && H(a) != H(st[1]));
	}
	T_ASSERT(pool_alloc(pl, 9, &a) == -1);
	T_ASSERT(pool_in_use(pl) == 4);

	/* Claimed by name, inside the range or not. */
	T_ASSERT(pool_owner(pl, st[1]) == 0);
	T_ASSERT(pool_alloc_static(pl, st[1], 50) == 0);
	T_ASSERT(pool_owner(pl, st[1]) == 50 && pool_in_use(pl) == 5);
	T_ASSERT(pool_alloc_static(pl, st[1], 50) == 0);	/* again */
	T_ASSERT(pool_in_use(pl) == 5);
	/* A second login of the same user: the address is taken. */
	T_ASSERT(pool_alloc_static(pl, st[1], 51) == -1 &&
	    errno == EADDRINUSE && pool_owner(pl, st[1]) == 50);
	T_ASSERT(pool_alloc_static(pl, st[2], 52) == 0);
	T_ASSERT(pool_owner(pl, st[2]) == 52);
	/* Not a static address: the local one, a pool one, any other. */
	T_ASSERT(pool_alloc_static(pl, st[4], 53) == -1 &&
	    errno == EADDRNOTAVAIL);
	T_ASSERT(pool_alloc_static(pl, A("10.2.0.100"), 53) == -1 &&
	    errno == EADDRNOTAVAIL);
	T_ASSERT(pool_alloc_static(pl, A("192.0.2.1"), 53) == -1 &&
	    errno == EADDRNOTAVAIL);
	T_ASSERT(pool_alloc_static(pl, st[0], 0) == -1 && errno == EINVAL);
	/* Released, only by its holder; then another session claims it. */
	T_ASSERT(pool_release(pl, st[1], 51) == -1 && errno == ENOENT);
	T_ASSERT(pool_release(pl, st[1], 50) == 0);
	T_ASSERT(pool_owner(pl, st[1]) == 0);
	T_ASSERT(pool_alloc_static(pl, st[1], 51) == 0);
	T_ASSERT(pool_in_use(pl) == 6);
	/* A released static address does not become dynamic. */
	T_ASSERT(pool_release(pl, st[1], 51) == 0);
	T_ASSERT(pool_alloc(pl, 9, &a) == -1);
	pool_free(pl);
}

static void
test_pool_bad(void)
{
	capture_reset();
	T_ASSERT(pool_init(A("10.2.0.200"), A("10.2.0.100"), A("10.2.0.1"),
	    NULL, 0) == NULL);
	T_ASSERT(logged("pool 10.2.0.200 - 10.2.0.100: the start must not be "
	    "after the end, and at most 65536 addresses"));
	T_ASSERT(pool_init(A("10.2.0.0"), A("10.3.0.0"), A("10.1.0.1"),
	    NULL, 0) == NULL);
	T_ASSERT(pool_init(A("0.0.0.0"), A("255.255.255.255"),
	    A("10.1.0.1"), NULL, 0) == NULL);
}

/* Odd ranges: the edges of the space, and what no client may have. */
static void
test_pool_edges(void)
{
	struct pool	*pl;
	struct in_addr	 a;
	int		 n;

	/* Ending at the last unicast address. */
	pl = pool_init(A("223.255.255.250"), A("223.255.255.255"),
	    A("10.0.0.1"), NULL, 0);
	T_ASSERT_RET(pl != NULL);
	for (n = 0; pool_alloc(pl, 1 + n, &a) == 0; n++)
		T_ASSERT(H(a) >= H(A("223.255.255.250")));
	T_ASSERT(n == 6);
	pool_free(pl);

	/* Across 127/8, which is skipped; also the local one inside. */
	pl = pool_init(A("126.255.255.250"), A("127.0.0.5"),
	    A("126.255.255.251"), NULL, 0);
	T_ASSERT_RET(pl != NULL);
	T_ASSERT(pool_available(pl) == 5);
	for (n = 0; pool_alloc(pl, 1 + n, &a) == 0; n++)
		T_ASSERT((H(a) >> 24) == 126 &&
		    H(a) != H(A("126.255.255.251")));
	T_ASSERT(n == 5);
	pool_free(pl);

	/* A plain range: .0 and .255 are handed out like the rest. */
	pl = pool_init(A("10.2.0.255"), A("10.2.1.0"), A("10.2.5.1"),
	    NULL, 0);
	T_ASSERT_RET(pl != NULL);
	T_ASSERT(pool_alloc(pl, 1, &a) == 0 && H(a) == H(A("10.2.0.255")));
	T_ASSERT(pool_alloc(pl, 2, &a) == 0 && H(a) == H(A("10.2.1.0")));
	pool_free(pl);
}

static uint32_t	 left_seen[8];
static uint32_t	 left_owner[8];
static size_t	 nleft_seen;

static void
left_cb(struct in_addr a, uint32_t session, void *arg)
{
	struct pool	*pl = arg;

	if (nleft_seen < 8) {
		left_seen[nleft_seen] = H(a);
		left_owner[nleft_seen++] = session;
	}
	/* Told about a leftover, the caller may end its session at once. */
	if (session == 1008)
		(void)pool_release(pl, a, session);
}

static void
test_pool_resize(void)
{
	struct pool	*pl;
	struct in_addr	 a, st[2];
	uint32_t	 i, base = H(A("10.2.0.100"));

	st[0] = A("10.2.0.150");
	pl = pool_init(A("10.2.0.100"), A("10.2.0.109"), A("10.2.0.1"),
	    st, 1);
	T_ASSERT_RET(pl != NULL);
	for (i = 0; i < 10; i++)
		T_ASSERT(pool_alloc(pl, 1000 + i, &a) == 0);
	T_ASSERT(pool_alloc_static(pl, st[0], 2000) == 0);
	T_ASSERT(pool_release(pl, A("10.2.0.101"), 1001) == 0);

	/* Grow: everything held stays, the new addresses come next. */
	T_ASSERT(pool_resize(pl, A("10.2.0.100"), A("10.2.0.119"),
	    A("10.2.0.1"), st, 1, NULL, NULL) == 0);
	T_ASSERT(pool_in_use(pl) == 10 && pool_available(pl) == 11);
	for (i = 0; i < 10; i++) {
		a.s_addr = htonl(base + i);
		T_ASSERT(pool_owner(pl, a) == (i == 1 ? 0 : 1000 + i));
	}
	T_ASSERT(pool_owner(pl, st[0]) == 2000);
	T_ASSERT(pool_alloc(pl, 3000, &a) == 0 && H(a) == base + 10);

	/*
	 * Shrink to .100 - .104, make .104 a static address and .150 an
	 * ordinary one outside: .105 - .110 are left over and reported,
	 * .104 stays with its session as a static address, .150 too.
	 */
	st[0] = A("10.2.0.104");
	st[1] = A("10.2.0.110");
	capture_reset();
	nleft_seen = 0;
	log_setverbose(1);
	T_ASSERT(pool_resize(pl, A("10.2.0.100"), A("10.2.0.104"),
	    A("10.2.0.1"), st, 2, left_cb, pl) == 6);
	log_setverbose(0);
	T_ASSERT(nleft_seen == 6);
	for (i = 0; i < nleft_seen && i < 5; i++)
		T_ASSERT(left_seen[i] == base + 5 + i &&
		    left_owner[i] == 1005 + i);
	T_ASSERT(left_seen[5] == H(A("10.2.0.150")) &&
	    left_owner[5] == 2000);
	T_ASSERT(logged("pool: 10.2.0.105 (session 1005) is no longer in the "
	    "pool; it stays with its session until released"));
	/* .110 became a user's static address while 3000 held it. */
	T_ASSERT(pool_owner(pl, A("10.2.0.110")) == 3000);
	T_ASSERT(pool_alloc_static(pl, A("10.2.0.110"), 4000) == -1 &&
	    errno == EADDRINUSE);
	T_ASSERT(pool_owner(pl, A("10.2.0.104")) == 1004);
	T_ASSERT(pool_owner(pl, A("10.2.0.107")) == 1007);
	T_ASSERT(pool_owner(pl, A("10.2.0.150")) == 2000);
	T_ASSERT(pool_owner(pl, A("10.2.0.103")) == 1003);
	/* 1008 was ended from the callback: already free. */
	T_ASSERT(pool_owner(pl, A("10.2.0.108")) == 0);
	T_ASSERT(pool_release(pl, A("10.2.0.108"), 1008) == -1);
	/* .100 .102 .103 .104, .105-.107 .109 .150 left over, .110: */
	T_ASSERT(pool_in_use(pl) == 10);
	/* Only .101 is free, and the leftovers are never handed out. */
	T_ASSERT(pool_available(pl) == 1);
	T_ASSERT(pool_alloc(pl, 5000, &a) == 0 && H(a) == base + 1);
	T_ASSERT(pool_alloc(pl, 5001, &a) == -1);
	/* Leftovers are released like any other address. */
	T_ASSERT(pool_release(pl, A("10.2.0.107"), 1) == -1);
	T_ASSERT(pool_release(pl, A("10.2.0.107"), 1007) == 0);
	T_ASSERT(pool_owner(pl, A("10.2.0.107")) == 0);
	T_ASSERT(pool_release(pl, A("10.2.0.107"), 1007) == -1);
	T_ASSERT(pool_release(pl, A("10.2.0.150"), 2000) == 0);
	T_ASSERT(pool_in_use(pl) == 9);
	T_ASSERT(pool_alloc(pl, 5001, &a) == -1);

	/* A bad new range changes nothing. */
	T_ASSERT(pool_resize(pl, A("10.2.0.9"), A("10.2.0.1"), A("10.2.0.1"),
	    NULL, 0, NULL, NULL) == -1);
	T_ASSERT(pool_in_use(pl) == 9 &&
	    pool_owner(pl, A("10.2.0.109")) == 1009);

	/* Grow back: the leftovers in range become ordinary again. */
	T_ASSERT(pool_resize(pl, A("10.2.0.100"), A("10.2.0.119"),
	    A("10.2.0.1"), NULL, 0, NULL, NULL) == 0);
	T_ASSERT(pool_in_use(pl) == 9);
	T_ASSERT(pool_owner(pl, A("10.2.0.109")) == 1009);
	T_ASSERT(pool_owner(pl, A("10.2.0.110")) == 3000);
	T_ASSERT(pool_available(pl) == 11);
	T_ASSERT(pool_release(pl, A("10.2.0.109"), 1009) == 0);
	T_ASSERT(pool_release(pl, A("10.2.0.110"), 3000) == 0);
	T_ASSERT(pool_available(pl) == 13);
	pool_free(pl);
}

/* 65536 addresses: every one out and back, quickly. */
static void
test_pool_big(void)
{
	struct pool	*pl;
	struct in_addr	 a, st[3];
	uint8_t		*seen;
	uint32_t	 i, base = H(A("10.2.0.0")), n;
	double		 t0, t1, t2;
	int		 ok = 1;

	st[0] = A("10.2.0.1");
	st[1] = A("10.2.128.0");
	st[2] = A("10.2.255.255");
	pl = pool_init(A("10.2.0.0"), A("10.2.255.255"), A("10.3.0.1"),
	    st, 3);
	T_ASSERT_RET(pl != NULL);
	T_ASSERT(pool_available(pl) == 65536 - 3);
	T_ASSERT_RET((seen = calloc(65536, 1)) != NULL);
	t0 = now();
	for (n = 0; pool_alloc(pl, 1 + n, &a) == 0; n++) {
		i = H(a) - base;
		if (i >= 65536 || seen[i]++)
			ok = 0;
	}
	t1 = now();
	T_ASSERT(ok && n == 65536 - 3 && pool_in_use(pl) == n);
	T_ASSERT(!seen[1] && !seen[32768] && !seen[65535]);
	for (i = 0; i < 65536; i++) {
		a.s_addr = htonl(base + i);
		if (seen[i] && pool_release(pl, a, pool_owner(pl, a)) != 0)
			ok = 0;
	}
	t2 = now();
	T_ASSERT(ok && pool_in_use(pl) == 0);
	printf("# 65533 addresses: out in %.2f ms, back in %.2f ms\n",
	    (t1 - t0) * 1e3, (t2 - t1) * 1e3);
	/* "A few ms" on real hardware; room for sanitizers and slow CI. */
	T_ASSERT(t1 - t0 < 0.25 && t2 - t1 < 0.25);

	/* Scattered holes in a full pool are each found quickly. */
	for (n = 0; pool_alloc(pl, 1 + n, &a) == 0; n++)
		;
	t0 = now();
	for (i = 0; i < 2000; i++) {
		a.s_addr = htonl(base + 2 + (i * 7919) % 65530);
		if (pool_owner(pl, a) == 0)
			continue;
		if (pool_release(pl, a, pool_owner(pl, a)) != 0 ||
		    pool_alloc(pl, 100000 + i, &a) != 0)
			ok = 0;
	}
	t1 = now();
	T_ASSERT(ok && pool_available(pl) == 0);
	printf("# 2000 release+alloc in a full pool: %.2f ms\n",
	    (t1 - t0) * 1e3);
	T_ASSERT(t1 - t0 < 0.25);
	free(seen);
	pool_free(pl);
}

static uint32_t	 rng_state = 0x9e3779b9;

static uint32_t
rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 17;
	rng_state ^= rng_state << 5;
	return (rng_state);
}

/*
 * Random operations, resizes among them, against a plain array that says
 * what must hold.
 */
static void
test_pool_model(void)
{
	enum { N = 300, BASE = 0x0a020000 };	/* 10.2.0.0 - 10.2.1.43 */
	struct pool	*pl;
	struct in_addr	 a, st[10], lo_a, hi_a;
	uint32_t	 owner[N + 50], h, s, lo = 0, hi = N - 1;
	size_t		 inuse = 0, k;
	int		 i, j, op, r, ok = 1, isstatic[N + 50];

	memset(owner, 0, sizeof(owner));
	memset(isstatic, 0, sizeof(isstatic));
	for (k = 0; k < 10; k++) {
		/* Five inside the range, five after it. */
		h = BASE + (k < 5 ? 17 + 41 * k : N + 3 * k);
		st[k].s_addr = htonl(h);
		isstatic[h - BASE] = 1;
	}
	pl = pool_init(A("10.2.0.0"), A("10.2.1.43"), A("10.9.0.1"), st, 10);
	T_ASSERT_RET(pl != NULL);
	for (i = 0; i < 200000 && ok; i++) {
		op = rng() % 1000;
		s = 1 + rng() % 5000;
		if (op < 333) {
			if (pool_alloc(pl, s, &a) == 0) {
				h = ntohl(a.s_addr) - BASE;
				if (h < lo || h > hi || owner[h] != 0 ||
				    isstatic[h])
					ok = 0;
				owner[h] = s;
				inuse++;
			} else {
				for (h = lo; h <= hi; h++)
					if (owner[h] == 0 && !isstatic[h])
						ok = 0;
			}
		} else if (op < 666) {
			k = rng() % 10;
			h = ntohl(st[k].s_addr) - BASE;
			j = pool_alloc_static(pl, st[k], s);
			if (owner[h] == 0 || owner[h] == s) {
				if (j != 0)
					ok = 0;
				if (owner[h] == 0)
					inuse++;
				owner[h] = s;
			} else if (j != -1 || errno != EADDRINUSE)
				ok = 0;
		} else if (op < 999) {
			h = rng() % (N + 50);
			a.s_addr = htonl(BASE + h);
			if (pool_owner(pl, a) != owner[h])
				ok = 0;
			if (owner[h] == 0)
				continue;
			if (pool_release(pl, a, owner[h] + 1) != -1 ||
			    pool_release(pl, a, owner[h]) != 0)
				ok = 0;
			owner[h] = 0;
			inuse--;
		} else {
			/* A reload with another range; nothing held moves. */
			lo = rng() % N;
			hi = lo + rng() % (N - lo);
			lo_a.s_addr = htonl(BASE + lo);
			hi_a.s_addr = htonl(BASE + hi);
			r = pool_resize(pl, lo_a, hi_a, A("10.9.0.1"), st, 10,
			    NULL, NULL);
			for (j = 0, h = 0; h < N + 50; h++)
				if (owner[h] != 0 && !isstatic[h] &&
				    (h < lo || h > hi))
					j++;
			if (r != j)
				ok = 0;
			for (h = 0; h < N + 50; h++) {
				a.s_addr = htonl(BASE + h);
				if (pool_owner(pl, a) != owner[h])
					ok = 0;
			}
		}
		if (pool_in_use(pl) != inuse)
			ok = 0;
	}
	if (!ok)
		printf("# the pool and the model part at step %d\n", i);
	T_ASSERT(ok);
	pool_free(pl);
}

int
main(void)
{
	log_init("test_pool", 1, 0);
	log_set_sink(capture);

	T_RUN(test_pool_order);
	T_RUN(test_pool_exhaustion);
	T_RUN(test_pool_release);
	T_RUN(test_pool_no_quick_reuse);
	T_RUN(test_pool_statics);
	T_RUN(test_pool_bad);
	T_RUN(test_pool_edges);
	T_RUN(test_pool_resize);
	T_RUN(test_pool_big);
	T_RUN(test_pool_model);
	capture_reset();
	return (T_DONE());
}
