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


#ifndef L2TPSEC_POOL_H
#define L2TPSEC_POOL_H

#include <netinet/in.h>

#include <stddef.h>
#include <stdint.h>

/*
 * The IPv4 addresses handed to server sessions.  Two kinds:
 *
 *  - dynamic: the configured range `pool START - END` (at most
 *    POOL_MAX addresses), minus the local address, minus every user's
 *    static address that falls inside it;
 *  - static: the users' own addresses from the users file, inside the
 *    range or not, each claimed by name with pool_alloc_static().
 *
 * The range is a plain range: a PPP link is point-to-point (a /32 on
 * both ends), so an address ending in .0 or .255 is an address like any
 * other and is handed out.  Addresses no client may use (0/8, 127/8,
 * 224/4 and up; the config parser already refuses ranges that reach
 * them) are skipped.
 *
 * Dynamic allocation is round robin: each search starts after the
 * address handed out last, so a released address is handed out again
 * only once every other free one has been, giving stale routes, ARP and
 * conntrack entries of the old client time to go.  (A pool with one free
 * address has no choice.)  Bitmaps with a summary level make every
 * operation O(1) for POOL_MAX addresses; static addresses are found by
 * binary search.
 *
 * Owners are session ids; 0 means nobody, so a session id is never 0.
 * One address per session is the caller's rule, not the pool's.
 */

#define POOL_MAX	65536

struct pool;

/*
 * A pool for start..end (inclusive, start <= end, at most POOL_MAX
 * addresses), with local never handed out and the statics (any order,
 * repeats fine) kept out of dynamic allocation.  NULL, logged, when the
 * range is wrong or memory runs out.
 */
struct pool	*pool_init(struct in_addr start, struct in_addr end,
		    struct in_addr local, const struct in_addr *statics,
		    size_t nstatics);
void		 pool_free(struct pool *);

/* A free dynamic address for session: 0 and *addr, or -1 when exhausted. */
int		 pool_alloc(struct pool *, uint32_t session, struct in_addr *);
/*
 * Claims a user's static address for session: 0 (also when session
 * holds it already); -1 with errno EADDRINUSE when another session holds
 * it (pool_owner() says which: with `duplicate replace` the caller ends
 * that session and claims again; with `duplicate allow` a second login
 * of a user with a static address cannot have it, as two links cannot
 * share one address, and is refused), or EADDRNOTAVAIL when addr is not
 * one of the pool's static addresses.
 */
int		 pool_alloc_static(struct pool *, struct in_addr,
		    uint32_t session);
/*
 * Gives addr back: 0, or -1 (errno ENOENT, nothing changes) when session
 * does not hold it, so a late teardown cannot free an address that has
 * moved on to a newer session.
 */
int		 pool_release(struct pool *, struct in_addr, uint32_t session);
/* The session holding addr, or 0. */
uint32_t	 pool_owner(const struct pool *, struct in_addr);
/* Addresses held: dynamic, static, and those left over from a resize. */
size_t		 pool_in_use(const struct pool *);
/* Dynamic addresses still free. */
size_t		 pool_available(const struct pool *);

/*
 * On reload: the new range, local address and statics.  Every address
 * held stays with its session: as a dynamic or static address when the
 * new layout still has it, otherwise as a leftover that pool_owner()
 * and pool_release() still know but that is never handed out again.
 * Each leftover is logged and passed to cb (may be NULL), so the caller
 * can end those sessions if it wants.  Returns the number of leftovers,
 * or -1 (logged; the pool is unchanged) when the new range is wrong or
 * memory runs out.
 */
int		 pool_resize(struct pool *, struct in_addr start,
		    struct in_addr end, struct in_addr local,
		    const struct in_addr *statics, size_t nstatics,
		    void (*cb)(struct in_addr, uint32_t session, void *),
		    void *arg);

#endif
