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


#ifndef L2TPSEC_DATAPATH_H
#define L2TPSEC_DATAPATH_H

#include <sys/queue.h>
#include <sys/socket.h>

#include <event.h>
#include <stdint.h>

#include "common/chan.h"

struct child;

/* A UDP socket the parent handed over. */
struct dp_sock {
	TAILQ_ENTRY(dp_sock)	 ds_entry;
	struct datapath		*ds_dp;
	int			 ds_fd;
	int			 ds_kind;	/* enum msg_socket_kind */
	struct sockaddr_storage	 ds_local;	/* as bound */
	struct event		 ds_ev;
};

/* Dropped and relayed packets, for `show status` (later issues). */
struct dp_stats {
	uint64_t	st_l2tp_rx;		/* datagrams on UDP/1701 */
	uint64_t	st_l2tp_ctrl_up;	/* relayed to l2tp */
	uint64_t	st_l2tp_ctrl_down;	/* sent for l2tp */
	uint64_t	st_l2tp_malformed;	/* not L2TPv2 at all */
	uint64_t	st_l2tp_oversize;
	uint64_t	st_l2tp_no_session;	/* data, unknown session */
	uint64_t	st_tx_errors;
};

struct datapath {
	struct child		*dp_child;
	struct chan		 dp_l2tp;	/* to the l2tp child */
	int			 dp_have_l2tp;
	TAILQ_HEAD(, dp_sock)	 dp_socks;
	struct dp_stats		 dp_stats;
};

void	datapath_init(struct datapath *, struct child *);
/* A descriptor from the parent; -1 if the message breaks the contract. */
int	datapath_socket(struct datapath *, int, const void *, size_t);

#endif
