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


#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "chan.h"

static void	chan_io(int, short, void *);

static void
chan_update(struct chan *cn)
{
	short	 want = EV_READ | EV_PERSIST;

	if (!cn->cn_open)
		return;
	if (imsgbuf_queued(&cn->cn_ib) > 0)
		want |= EV_WRITE;
	if (want == cn->cn_events)
		return;
	event_del(&cn->cn_ev);
	event_assign(&cn->cn_ev, cn->cn_base, cn->cn_ib.ib_fd, want, chan_io,
	    cn);
	event_add(&cn->cn_ev, NULL);
	cn->cn_events = want;
}

int
chan_init(struct chan *cn, struct event_base *base, int fd, size_t maxmsg,
    int allow_fd, int (*dispatch)(struct chan *, struct imsg *, void *),
    void (*closed)(struct chan *, int, void *), void *arg)
{
	memset(cn, 0, sizeof(*cn));
	if (imsgbuf_init(&cn->cn_ib, fd, maxmsg, allow_fd) == -1)
		return (-1);
	if (chan_attach(cn, base, dispatch, closed, arg) == -1) {
		imsgbuf_clear(&cn->cn_ib);
		return (-1);
	}
	return (0);
}

int
chan_attach(struct chan *cn, struct event_base *base,
    int (*dispatch)(struct chan *, struct imsg *, void *),
    void (*closed)(struct chan *, int, void *), void *arg)
{
	int	 fd = cn->cn_ib.ib_fd, flags;

	if ((flags = fcntl(fd, F_GETFL)) == -1 ||
	    fcntl(fd, F_SETFL, flags | O_NONBLOCK) == -1)
		return (-1);
	cn->cn_base = base;
	cn->cn_dispatch = dispatch;
	cn->cn_closed = closed;
	cn->cn_arg = arg;
	cn->cn_open = 1;
	cn->cn_events = EV_READ | EV_PERSIST;
	event_assign(&cn->cn_ev, base, fd, cn->cn_events, chan_io, cn);
	event_add(&cn->cn_ev, NULL);
	/* Messages may already wait in the buffer from a blocking phase. */
	if (cn->cn_ib.ib_rlen > 0)
		event_active(&cn->cn_ev, EV_READ, 0);
	return (0);
}

int
chan_compose(struct chan *cn, uint32_t type, uint32_t peerid, int fd,
    const void *data, size_t len)
{
	if (!cn->cn_open) {
		if (fd != -1)
			close(fd);
		errno = EPIPE;
		return (-1);
	}
	if (imsg_compose(&cn->cn_ib, type, peerid, getpid(), fd, data,
	    len) == -1)
		return (-1);
	chan_update(cn);
	return (0);
}

void
chan_flush_nowait(struct chan *cn)
{
	if (cn->cn_open)
		(void)imsgbuf_write(&cn->cn_ib);
}

void
chan_close(struct chan *cn)
{
	if (!cn->cn_open)
		return;
	cn->cn_open = 0;
	event_del(&cn->cn_ev);
	close(cn->cn_ib.ib_fd);
	imsgbuf_clear(&cn->cn_ib);
}

static void
chan_io(int fd, short events, void *arg)
{
	struct chan	*cn = arg;
	struct imsg	 im;
	ssize_t		 n;
	int		 r, rv;

	(void)fd;
	if (events & EV_WRITE) {
		if (imsgbuf_write(&cn->cn_ib) == -1) {
			cn->cn_closed(cn, errno, cn->cn_arg);
			return;
		}
	}
	if (events & EV_READ) {
		n = imsgbuf_read(&cn->cn_ib);
		if (n == -1 && (errno == EAGAIN || errno == EINTR))
			goto out;
		if (n <= 0) {
			cn->cn_closed(cn, n == 0 ? 0 : errno, cn->cn_arg);
			return;
		}
		while ((r = imsg_get(&cn->cn_ib, &im)) == 1) {
			rv = cn->cn_dispatch(cn, &im, cn->cn_arg);
			imsg_free(&im);
			if (rv == CHAN_GONE)
				return;
			if (rv == CHAN_BAD) {
				cn->cn_closed(cn, EBADMSG, cn->cn_arg);
				return;
			}
		}
		if (r == -1) {
			cn->cn_closed(cn, EBADMSG, cn->cn_arg);
			return;
		}
	}
 out:
	chan_update(cn);
}
