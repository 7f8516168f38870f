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


#ifndef L2TPSEC_CHILD_H
#define L2TPSEC_CHILD_H

#include "chan.h"
#include "imsg/imsg.h"

struct event_base;
struct sandbox_policy;
struct msg_stats;

/* How often a child's counters are compared and, if changed, sent. */
#define CHILD_STATS_S	2

/*
 * The runtime every child shares: read MSG_CHILD_INIT from the parent,
 * load what needs files, demote (common/sandbox.c), report ready, then
 * run the event loop on the parent channel.  A role supplies a preload
 * hook and a dispatcher for the messages that are its own.
 */
struct child {
	int			 ch_role;
	struct chan		 ch_parent;	/* fd PROC_PARENT_FD */
	struct event_base	*ch_base;
	int			 ch_sandbox;
	void			*ch_arg;
	/* 0 handled, -1 unexpected: the child exits, the parent notices. */
	int			(*ch_dispatch)(struct child *, struct imsg *);
	void			(*ch_shutdown)(struct child *);
	void			(*ch_stats)(struct child *, struct msg_stats *);
	struct msg_stats	*ch_stats_sent;	/* the last set sent */
	struct event		*ch_stats_ev;
};

struct child_role {
	int			 cr_role;
	const struct sandbox_policy *cr_policy;
	/* Runs before chroot: OpenSSL providers, anything needing files. */
	int			(*cr_preload)(void);
	int			(*cr_dispatch)(struct child *, struct imsg *);
	/* Once sandboxed, before the loop: set up the role's own state. */
	int			(*cr_start)(struct child *);
	/* MSG_SHUTDOWN: say goodbye to peers before the child exits. */
	void			(*cr_shutdown)(struct child *);
	/* Fills in the role's counters (msg.h MSG_STATS); may be NULL. */
	void			(*cr_stats)(struct child *, struct msg_stats *);
};

/* Adds one counter to a MSG_STATS set; ignored once it is full. */
void	child_stat(struct msg_stats *, const char *, uint64_t);

__attribute__((noreturn)) void	child_main(const struct child_role *);
/* Queues a message to the parent. */
int	child_compose(struct child *, uint32_t, uint32_t, int, const void *,
	    size_t);

int	ike_main(void) __attribute__((noreturn));
int	l2tp_main(void) __attribute__((noreturn));
int	ppp_main(void) __attribute__((noreturn));
int	datapath_main(void) __attribute__((noreturn));

#endif
