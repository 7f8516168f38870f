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


#ifndef L2TPSEC_CHAN_H
#define L2TPSEC_CHAN_H

#include <event.h>

#include "imsg/imsg.h"

/*
 * An imsg channel on the event loop: reads whatever arrives, hands each
 * whole message to the owner, writes the queue when the socket takes it.
 * Every process-to-process link uses one (parent <-> child, control
 * connections, child <-> child).
 *
 * cn_dispatch returns CHAN_OK to go on, CHAN_BAD when the message broke
 * the contract (the channel then reports EBADMSG to cn_closed), or
 * CHAN_GONE when the owner closed or freed the channel inside the call.
 * cn_closed runs once, on EOF (error 0), a read or write error, or a
 * violation; the owner must chan_close() (and may free) in it.
 */
#define CHAN_OK		0
#define CHAN_BAD	(-1)
#define CHAN_GONE	1

struct chan {
	struct imsgbuf		 cn_ib;
	struct event		 cn_ev;
	struct event_base	*cn_base;
	short			 cn_events;
	int			 cn_open;
	int			(*cn_dispatch)(struct chan *, struct imsg *,
				    void *);
	void			(*cn_closed)(struct chan *, int, void *);
	void			*cn_arg;
};

int	chan_init(struct chan *, struct event_base *, int, size_t, int,
	    int (*)(struct chan *, struct imsg *, void *),
	    void (*)(struct chan *, int, void *), void *);
/* The same for a buffer already initialized (and maybe read from). */
int	chan_attach(struct chan *, struct event_base *,
	    int (*)(struct chan *, struct imsg *, void *),
	    void (*)(struct chan *, int, void *), void *);
/* Queues a message (the channel owns fd from here on); -1 on failure. */
int	chan_compose(struct chan *, uint32_t, uint32_t, int, const void *,
	    size_t);
/* Writes what is queued now, without waiting for the event loop. */
void	chan_flush_nowait(struct chan *);
/* Stops the events, closes the descriptor, frees the buffers. */
void	chan_close(struct chan *);

#endif
