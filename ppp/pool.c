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
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "pool.h"

#define POOL_WORDS	(POOL_MAX / 64)
#define POOL_SUMMARY	(POOL_WORDS / 64)

/* A static address, or an address left over from a resize. */
struct pool_held {
	uint32_t	 ph_addr;	/* host order */
	uint32_t	 ph_owner;	/* session, 0 = free */
};

struct pool {
	uint32_t	 pl_start;	/* host order */
	uint32_t	 pl_n;		/* addresses in the range */
	uint32_t	*pl_owner;	/* per range address, dynamic only */
	/*
	 * pl_busy: a bit per range address, set when it is held or never
	 * dynamic; pl_fixed: set when never dynamic (local, static,
	 * unusable).  pl_full: a bit per pl_busy word, set when all 64 are.
	 */
	uint64_t	*pl_busy;
	uint64_t	*pl_fixed;
	uint64_t	 pl_full[POOL_SUMMARY];
	uint32_t	 pl_nwords;
	uint32_t	 pl_next;	/* where the next search starts */
	size_t		 pl_free;	/* dynamic addresses free */
	size_t		 pl_inuse;
	struct pool_held *pl_static;	/* ascending */
	size_t		 pl_nstatic;
	/*
	 * Held addresses the last resize left outside the layout: ascending,
	 * made only by a resize; a released one stays with owner 0.
	 */
	struct pool_held *pl_left;
	size_t		 pl_nleft;
	size_t		 pl_liveleft;
};

static int
pool_addr_usable(uint32_t h)
{
	/* As the config parser's ipv4_usable() and pppd's bad_ip_adrs(). */
	return ((h >> 24) != 0 && (h >> 24) != 127 && (h >> 28) < 14);
}

static int
pool_in_range(const struct pool *pl, uint32_t h, uint32_t *i)
{
	if (h < pl->pl_start || h - pl->pl_start >= pl->pl_n)
		return (0);
	*i = h - pl->pl_start;
	return (1);
}

static int
pool_bit(const uint64_t *v, uint32_t i)
{
	return ((v[i / 64] >> (i % 64)) & 1);
}

static void
pool_set_busy(struct pool *pl, uint32_t i)
{
	uint32_t	 w = i / 64;

	pl->pl_busy[w] |= 1ULL << (i % 64);
	if (pl->pl_busy[w] == UINT64_MAX)
		pl->pl_full[w / 64] |= 1ULL << (w % 64);
}

static void
pool_clear_busy(struct pool *pl, uint32_t i)
{
	uint32_t	 w = i / 64;

	pl->pl_busy[w] &= ~(1ULL << (i % 64));
	pl->pl_full[w / 64] &= ~(1ULL << (w % 64));
}

/* The first pl_busy word at or after w that has a free bit, or -1. */
static int64_t
pool_find_word(const struct pool *pl, uint32_t w)
{
	uint32_t	 s;
	uint64_t	 m;

	if (w >= pl->pl_nwords)
		return (-1);
	s = w / 64;
	m = ~pl->pl_full[s] & (UINT64_MAX << (w % 64));
	for (;;) {
		if (m != 0)
			return ((int64_t)s * 64 + __builtin_ctzll(m));
		if (++s >= POOL_SUMMARY)
			return (-1);
		m = ~pl->pl_full[s];
	}
}

/* The first free range address at or after from, wrapping around. */
static int64_t
pool_find(const struct pool *pl, uint32_t from)
{
	uint32_t	 w = from / 64;
	uint64_t	 m;
	int64_t		 x;

	m = ~pl->pl_busy[w] & (UINT64_MAX << (from % 64));
	if (m != 0)
		return ((int64_t)w * 64 + __builtin_ctzll(m));
	if ((x = pool_find_word(pl, w + 1)) == -1 &&
	    (x = pool_find_word(pl, 0)) == -1)
		return (-1);
	return (x * 64 + __builtin_ctzll(~pl->pl_busy[x]));
}

static int
pool_held_cmp(const void *a, const void *b)
{
	const struct pool_held *x = a, *y = b;

	if (x->ph_addr != y->ph_addr)
		return (x->ph_addr < y->ph_addr ? -1 : 1);
	return (0);
}

static struct pool_held *
pool_find_static(const struct pool *pl, uint32_t h)
{
	struct pool_held key;

	if (pl->pl_nstatic == 0)
		return (NULL);
	key.ph_addr = h;
	return (bsearch(&key, pl->pl_static, pl->pl_nstatic,
	    sizeof(*pl->pl_static), pool_held_cmp));
}

static struct pool_held *
pool_find_left(const struct pool *pl, uint32_t h)
{
	struct pool_held key, *ph;

	if (pl->pl_liveleft == 0)
		return (NULL);
	key.ph_addr = h;
	ph = bsearch(&key, pl->pl_left, pl->pl_nleft, sizeof(*pl->pl_left),
	    pool_held_cmp);
	return (ph != NULL && ph->ph_owner != 0 ? ph : NULL);
}

static void
pool_destroy(struct pool *pl)
{
	free(pl->pl_owner);
	free(pl->pl_busy);
	free(pl->pl_fixed);
	free(pl->pl_static);
	free(pl->pl_left);
}

static void
pool_ntop(uint32_t h, char *buf, size_t len)
{
	struct in_addr	 a;

	a.s_addr = htonl(h);
	inet_ntop(AF_INET, &a, buf, len);
}

/* Builds the empty layout into *pl; -1, logged, on failure. */
static int
pool_build(struct pool *pl, struct in_addr start, struct in_addr end,
    struct in_addr local, const struct in_addr *statics, size_t nstatics)
{
	uint32_t	 s = ntohl(start.s_addr), e = ntohl(end.s_addr);
	uint32_t	 l = ntohl(local.s_addr), h, i;
	size_t		 k, n;
	char		 a[INET_ADDRSTRLEN], b[INET_ADDRSTRLEN];

	memset(pl, 0, sizeof(*pl));
	pool_ntop(s, a, sizeof(a));
	pool_ntop(e, b, sizeof(b));
	if (s > e || (uint64_t)e - s + 1 > POOL_MAX) {
		log_warnx("pool %s - %s: the start must not be after the end, "
		    "and at most %d addresses", a, b, POOL_MAX);
		return (-1);
	}
	pl->pl_start = s;
	pl->pl_n = e - s + 1;
	pl->pl_nwords = (pl->pl_n + 63) / 64;
	if ((pl->pl_owner = calloc(pl->pl_n, sizeof(*pl->pl_owner))) ==
	    NULL ||
	    (pl->pl_busy = calloc(pl->pl_nwords, sizeof(uint64_t))) == NULL ||
	    (pl->pl_fixed = calloc(pl->pl_nwords, sizeof(uint64_t))) ==
	    NULL ||
	    (nstatics > 0 && (pl->pl_static = calloc(nstatics,
	    sizeof(*pl->pl_static))) == NULL))
		goto nomem;

	/* Words past the end of the range are full for good. */
	for (i = 0; i < POOL_SUMMARY; i++)
		pl->pl_full[i] = UINT64_MAX;
	for (i = 0; i < pl->pl_nwords; i++)
		pl->pl_full[i / 64] &= ~(1ULL << (i % 64));
	for (i = pl->pl_n; i < pl->pl_nwords * 64; i++) {
		pl->pl_fixed[i / 64] |= 1ULL << (i % 64);
		pool_set_busy(pl, i);
	}

	for (k = 0, n = 0; k < nstatics; k++) {
		h = ntohl(statics[k].s_addr);
		if (h == l || !pool_addr_usable(h)) {
			pool_ntop(h, a, sizeof(a));
			log_warnx("pool: %s, a user's static address, is %s: "
			    "it is never handed out", a, h == l ?
			    "the local address" : "not one a client may use");
			continue;
		}
		pl->pl_static[n++].ph_addr = h;
	}
	if (n > 0)
		qsort(pl->pl_static, n, sizeof(*pl->pl_static),
		    pool_held_cmp);
	for (k = 0, pl->pl_nstatic = 0; k < n; k++)
		if (k == 0 || pl->pl_static[k].ph_addr !=
		    pl->pl_static[k - 1].ph_addr)
			pl->pl_static[pl->pl_nstatic++] = pl->pl_static[k];

	pl->pl_free = pl->pl_n;
	for (i = 0; i < pl->pl_n; i++) {
		h = s + i;
		if (h == l || !pool_addr_usable(h) ||
		    pool_find_static(pl, h) != NULL) {
			pl->pl_fixed[i / 64] |= 1ULL << (i % 64);
			pool_set_busy(pl, i);
			pl->pl_free--;
		}
	}
	return (0);

 nomem:
	log_warnx("pool %s - %s: out of memory", a, b);
	pool_destroy(pl);
	return (-1);
}

struct pool *
pool_init(struct in_addr start, struct in_addr end, struct in_addr local,
    const struct in_addr *statics, size_t nstatics)
{
	struct pool	*pl;

	if ((pl = malloc(sizeof(*pl))) == NULL) {
		log_warnx("pool: out of memory");
		return (NULL);
	}
	if (pool_build(pl, start, end, local, statics, nstatics) == -1) {
		free(pl);
		return (NULL);
	}
	return (pl);
}

void
pool_free(struct pool *pl)
{
	if (pl == NULL)
		return;
	pool_destroy(pl);
	free(pl);
}

int
pool_alloc(struct pool *pl, uint32_t session, struct in_addr *addr)
{
	int64_t		 i;

	if (session == 0) {
		errno = EINVAL;
		return (-1);
	}
	if (pl->pl_free == 0 || (i = pool_find(pl, pl->pl_next)) == -1) {
		errno = EADDRNOTAVAIL;
		return (-1);
	}
	pool_set_busy(pl, (uint32_t)i);
	pl->pl_owner[i] = session;
	pl->pl_free--;
	pl->pl_inuse++;
	pl->pl_next = ((uint32_t)i + 1) % pl->pl_n;
	addr->s_addr = htonl(pl->pl_start + (uint32_t)i);
	return (0);
}

int
pool_alloc_static(struct pool *pl, struct in_addr addr, uint32_t session)
{
	struct pool_held *ph;

	if (session == 0) {
		errno = EINVAL;
		return (-1);
	}
	if ((ph = pool_find_static(pl, ntohl(addr.s_addr))) == NULL) {
		errno = EADDRNOTAVAIL;
		return (-1);
	}
	if (ph->ph_owner == session)
		return (0);
	if (ph->ph_owner != 0) {
		errno = EADDRINUSE;
		return (-1);
	}
	ph->ph_owner = session;
	pl->pl_inuse++;
	return (0);
}

int
pool_release(struct pool *pl, struct in_addr addr, uint32_t session)
{
	struct pool_held *ph;
	uint32_t	 h = ntohl(addr.s_addr), i;

	if (session == 0)
		goto notheld;
	if ((ph = pool_find_static(pl, h)) != NULL) {
		if (ph->ph_owner != session)
			goto notheld;
		ph->ph_owner = 0;
	} else if ((ph = pool_find_left(pl, h)) != NULL) {
		if (ph->ph_owner != session)
			goto notheld;
		ph->ph_owner = 0;
		pl->pl_liveleft--;
	} else if (pool_in_range(pl, h, &i) && !pool_bit(pl->pl_fixed, i)) {
		if (pl->pl_owner[i] != session)
			goto notheld;
		pl->pl_owner[i] = 0;
		pool_clear_busy(pl, i);
		pl->pl_free++;
	} else
		goto notheld;
	pl->pl_inuse--;
	return (0);

 notheld:
	errno = ENOENT;
	return (-1);
}

uint32_t
pool_owner(const struct pool *pl, struct in_addr addr)
{
	const struct pool_held *ph;
	uint32_t	 h = ntohl(addr.s_addr), i;

	if ((ph = pool_find_static(pl, h)) != NULL ||
	    (ph = pool_find_left(pl, h)) != NULL)
		return (ph->ph_owner);
	if (pool_in_range(pl, h, &i) && !pool_bit(pl->pl_fixed, i))
		return (pl->pl_owner[i]);
	return (0);
}

size_t
pool_in_use(const struct pool *pl)
{
	return (pl->pl_inuse);
}

size_t
pool_available(const struct pool *pl)
{
	return (pl->pl_free);
}

/* Moves one held address into the new layout np; -1 on no memory. */
static int
pool_carry(struct pool *np, uint32_t h, uint32_t owner, size_t *maxleft)
{
	struct pool_held *ph;
	uint32_t	 i;

	np->pl_inuse++;
	if ((ph = pool_find_static(np, h)) != NULL) {
		/* A user's static address now: it stays with the session. */
		ph->ph_owner = owner;
		return (0);
	}
	if (pool_in_range(np, h, &i) && !pool_bit(np->pl_fixed, i)) {
		pool_set_busy(np, i);
		np->pl_owner[i] = owner;
		np->pl_free--;
		return (0);
	}
	if (np->pl_nleft == *maxleft) {
		*maxleft = *maxleft == 0 ? 16 : *maxleft * 2;
		if ((ph = reallocarray(np->pl_left, *maxleft,
		    sizeof(*ph))) == NULL)
			return (-1);
		np->pl_left = ph;
	}
	np->pl_left[np->pl_nleft].ph_addr = h;
	np->pl_left[np->pl_nleft++].ph_owner = owner;
	return (0);
}

int
pool_resize(struct pool *pl, struct in_addr start, struct in_addr end,
    struct in_addr local, const struct in_addr *statics, size_t nstatics,
    void (*cb)(struct in_addr, uint32_t, void *), void *arg)
{
	struct pool	 np;
	struct in_addr	 a;
	size_t		 k, nleft, maxleft = 0;
	uint32_t	 i, next;
	char		 s[INET_ADDRSTRLEN];

	if (pool_build(&np, start, end, local, statics, nstatics) == -1)
		return (-1);
	/* Carry without telling anyone, then tell: cb sees no half state. */
	for (i = 0; i < pl->pl_n; i++)
		if (pl->pl_owner[i] != 0 && pool_carry(&np, pl->pl_start + i,
		    pl->pl_owner[i], &maxleft) == -1)
			goto nomem;
	for (k = 0; k < pl->pl_nstatic; k++)
		if (pl->pl_static[k].ph_owner != 0 && pool_carry(&np,
		    pl->pl_static[k].ph_addr, pl->pl_static[k].ph_owner,
		    &maxleft) == -1)
			goto nomem;
	for (k = 0; k < pl->pl_nleft; k++)
		if (pl->pl_left[k].ph_owner != 0 && pool_carry(&np,
		    pl->pl_left[k].ph_addr, pl->pl_left[k].ph_owner,
		    &maxleft) == -1)
			goto nomem;
	if (np.pl_nleft > 0)
		qsort(np.pl_left, np.pl_nleft, sizeof(*np.pl_left),
		    pool_held_cmp);
	np.pl_liveleft = np.pl_nleft;

	/*
	 * Keep the round robin going after the address handed out last, if
	 * that is still in: a grown pool hands out its new addresses before
	 * it comes round to one released just before the reload.
	 */
	next = pl->pl_start + (pl->pl_next + pl->pl_n - 1) % pl->pl_n + 1;
	if (!pool_in_range(&np, next, &np.pl_next))
		np.pl_next = 0;

	pool_destroy(pl);
	*pl = np;
	/* cb may release what it is told about; the array stays put. */
	nleft = pl->pl_nleft;
	for (k = 0; k < nleft; k++) {
		if (pl->pl_left[k].ph_owner == 0)
			continue;
		a.s_addr = htonl(pl->pl_left[k].ph_addr);
		inet_ntop(AF_INET, &a, s, sizeof(s));
		log_info("pool: %s (session %u) is no longer in the pool; it "
		    "stays with its session until released", s,
		    pl->pl_left[k].ph_owner);
		if (cb != NULL)
			cb(a, pl->pl_left[k].ph_owner, arg);
	}
	return ((int)nleft);

 nomem:
	log_warnx("pool: out of memory");
	pool_destroy(&np);
	return (-1);
}
