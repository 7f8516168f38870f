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


#ifndef L2TPSEC_NFT_H
#define L2TPSEC_NFT_H

#include <net/if.h>
#include <netinet/in.h>

#include <stddef.h>

/*
 * The daemon's nftables table, `inet l2tpsecd` (parent only).
 *
 * nft_install() replaces the whole table in one nfnetlink batch (add
 * table, delete table, add table, chains, rules): the kernel applies all
 * of it or none of it, so a refused batch leaves the previous state --
 * no table, or the previous table -- exactly as it was.  Every rule
 * carries a comment, so `nft list table inet l2tpsecd` explains itself.
 *
 * An accept in this table ends only this table's chain; another table's
 * drop on the same hook still drops.  The accepts are here to count and
 * to document, the drops (cleartext L2TP, new connections from wan into
 * a NAT'ed pool) are what this table enforces.
 */

#define NFT_TABLE_NAME		"l2tpsecd"
#define NFT_MAX_LISTEN		16
#define NFT_MAX_SESSION_IF	4

/*
 * One `listen on`: an address, or an interface (nl_family AF_UNSPEC)
 * whose inbound traffic is matched by name.
 */
struct nft_listen {
	int			 nl_family;	/* AF_INET{,6}, AF_UNSPEC */
	struct in_addr		 nl_addr4;
	struct in6_addr		 nl_addr6;
	char			 nl_iface[IF_NAMESIZE];
};

struct nft_params {
	struct nft_listen	 np_listen[NFT_MAX_LISTEN];
	size_t			 np_nlisten;	/* 0: any local address */
	char			 np_wan[IF_NAMESIZE];	/* "" = none */
	/*
	 * The interfaces sessions' IP packets use: the TUN of the userspace
	 * data path ("l2tpsec0"), or "ppp*" for the kernel's PPP units.  A
	 * trailing '*' matches every name with that prefix, as in nft(8).
	 */
	char			 np_session_if[NFT_MAX_SESSION_IF][IF_NAMESIZE];
	size_t			 np_nsession_if;
	struct in_addr		 np_pool_start;	/* masqueraded sources */
	struct in_addr		 np_pool_end;
	unsigned int		 np_mtu;	/* PPP MTU; MSS = np_mtu - 40 */
	int			 np_nat;	/* masquerade the pool */
	int			 np_clamp_mss;
	int			 np_require_ipsec; /* 0: cleartext 1701 ok */
	/*
	 * Regress only: end the batch with a rule the kernel refuses (a
	 * jump to a chain that does not exist), to show that a refused
	 * batch changes nothing.  Never set by the daemon.
	 */
	int			 np_test_reject;
};

/* Check a params struct; -1 with errno EINVAL and a log line if bad. */
int	nft_params_check(const struct nft_params *);

/*
 * Install (or replace) the table; 0 or -1 (logged; the kernel state is
 * then what it was before the call).
 */
int	nft_install(const struct nft_params *);
/* Delete the table if it exists; 0 or -1 (logged).  Idempotent. */
int	nft_remove(void);
/* 1 if table inet l2tpsecd exists, 0 if not, -1 on error (logged). */
int	nft_present(void);

/*
 * Notice when someone else removes or changes the table (an `nftables`
 * service restart runs `flush ruleset`).  nft_monitor_open() returns a
 * non-blocking netlink socket subscribed to the nf_tables notifications
 * (open it before nft_install(), so nothing falls between the two); put
 * it in the event loop and call nft_monitor_read() when it is readable:
 *   1  the table is gone or no longer what nft_install() put there
 *      (logged as a warning): call nft_install() again;
 *   0  nothing to do (also for our own changes);
 *  -1  the socket failed (logged); close it, open a new one and call
 *      nft_install() again (events may have been missed).
 * After nft_remove() nothing counts as damage; close it at stop.
 */
int	nft_monitor_open(void);
int	nft_monitor_fd(void);
int	nft_monitor_read(void);
void	nft_monitor_close(void);

#endif
