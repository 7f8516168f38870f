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


#ifndef L2TPSEC_IMSG_H
#define L2TPSEC_IMSG_H

#include <sys/queue.h>
#include <sys/types.h>

#include <stddef.h>
#include <stdint.h>

/*
 * Our own imsg-style framing over a SOCK_STREAM socketpair.  Both ends are
 * on the same host, so the header is in host byte order.  A message that
 * carries a descriptor has IMSGF_HASFD set; the descriptor travels with
 * the message's first byte (SCM_RIGHTS) and the reader queues received
 * descriptors in arrival order, so each flagged message takes the oldest.
 */
struct imsg_hdr {
	uint32_t	type;
	uint16_t	len;		/* header included */
	uint16_t	flags;
	uint32_t	peerid;
	uint32_t	pid;
};
_Static_assert(sizeof(struct imsg_hdr) == 16, "imsg header is 16 bytes");

#define IMSG_HDR_SIZE	sizeof(struct imsg_hdr)
#define IMSG_MAXMSG	65535		/* the len field's limit */
#define IMSGF_HASFD	0x0001
#define IMSG_MAXFDQ	16		/* received, not yet consumed */

struct imsg {
	struct imsg_hdr	 hdr;
	int		 fd;		/* -1 if none */
	void		*data;		/* NULL when datalen is 0 */
	size_t		 datalen;
};

struct imsg_wmsg;

struct imsgbuf {
	int		 ib_fd;
	size_t		 ib_maxmsg;	/* whole message, header included */
	int		 ib_allow_fd;
	uint8_t		*ib_rbuf;
	size_t		 ib_rlen;
	size_t		 ib_rcap;
	int		 ib_fdq[IMSG_MAXFDQ];
	size_t		 ib_nfdq;
	TAILQ_HEAD(, imsg_wmsg) ib_wq;
	size_t		 ib_wqbytes;
};

int	imsgbuf_init(struct imsgbuf *, int, size_t, int);
void	imsgbuf_clear(struct imsgbuf *);
/* One recvmsg: >0 bytes read, 0 on EOF, -1 on error (errno set). */
ssize_t	imsgbuf_read(struct imsgbuf *);
/* 1 when a whole message was taken, 0 when more bytes are needed, -1 bad. */
int	imsg_get(struct imsgbuf *, struct imsg *);
void	imsg_free(struct imsg *);
int	imsg_take_fd(struct imsg *);
/* 0 and a copy only when the payload is exactly len bytes. */
int	imsg_get_exact(const struct imsg *, void *, size_t);
/* Queues a message; the buffer owns fd from here on, also on failure. */
int	imsg_compose(struct imsgbuf *, uint32_t, uint32_t, uint32_t, int,
	    const void *, size_t);
/* Writes what the socket takes now: 0 (check imsgbuf_queued), -1 error. */
int	imsgbuf_write(struct imsgbuf *);
/* Blocks (poll) until everything queued is written: 0, or -1 error. */
int	imsgbuf_flush(struct imsgbuf *);
size_t	imsgbuf_queued(const struct imsgbuf *);

#endif
