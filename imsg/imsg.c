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


#include <sys/socket.h>
#include <sys/uio.h>

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "imsg.h"

struct imsg_wmsg {
	TAILQ_ENTRY(imsg_wmsg)	 w_entry;
	int			 w_fd;
	size_t			 w_off;
	size_t			 w_len;
	uint8_t			 w_buf[];
};

int
imsgbuf_init(struct imsgbuf *ib, int fd, size_t maxmsg, int allow_fd)
{
	memset(ib, 0, sizeof(*ib));
	if (maxmsg < IMSG_HDR_SIZE || maxmsg > IMSG_MAXMSG) {
		errno = EINVAL;
		return (-1);
	}
	ib->ib_fd = fd;
	ib->ib_maxmsg = maxmsg;
	ib->ib_allow_fd = allow_fd;
	/* Room for one whole message plus a read's worth behind it. */
	ib->ib_rcap = maxmsg * 2;
	if ((ib->ib_rbuf = malloc(ib->ib_rcap)) == NULL)
		return (-1);
	TAILQ_INIT(&ib->ib_wq);
	return (0);
}

void
imsgbuf_clear(struct imsgbuf *ib)
{
	struct imsg_wmsg	*w;
	size_t			 i;

	while ((w = TAILQ_FIRST(&ib->ib_wq)) != NULL) {
		TAILQ_REMOVE(&ib->ib_wq, w, w_entry);
		if (w->w_fd != -1)
			close(w->w_fd);
		free(w);
	}
	ib->ib_wqbytes = 0;
	for (i = 0; i < ib->ib_nfdq; i++)
		close(ib->ib_fdq[i]);
	ib->ib_nfdq = 0;
	free(ib->ib_rbuf);
	ib->ib_rbuf = NULL;
	ib->ib_rlen = ib->ib_rcap = 0;
}

ssize_t
imsgbuf_read(struct imsgbuf *ib)
{
	union {
		struct cmsghdr	hdr;
		char		buf[CMSG_SPACE(sizeof(int) * IMSG_MAXFDQ)];
	} cmsgbuf;
	struct msghdr	 msg;
	struct iovec	 iov;
	struct cmsghdr	*cmsg;
	ssize_t		 n;
	size_t		 i, nfds;
	int		*fds, bad = 0;

	if (ib->ib_rlen == ib->ib_rcap) {
		errno = ENOBUFS;
		return (-1);
	}
	memset(&msg, 0, sizeof(msg));
	memset(&cmsgbuf, 0, sizeof(cmsgbuf));
	iov.iov_base = ib->ib_rbuf + ib->ib_rlen;
	iov.iov_len = ib->ib_rcap - ib->ib_rlen;
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = &cmsgbuf.buf;
	msg.msg_controllen = sizeof(cmsgbuf.buf);

	while ((n = recvmsg(ib->ib_fd, &msg, MSG_CMSG_CLOEXEC)) == -1) {
		if (errno != EINTR)
			return (-1);
	}
	for (cmsg = CMSG_FIRSTHDR(&msg); cmsg != NULL;
	    cmsg = CMSG_NXTHDR(&msg, cmsg)) {
		if (cmsg->cmsg_level != SOL_SOCKET ||
		    cmsg->cmsg_type != SCM_RIGHTS)
			continue;
		nfds = (cmsg->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		fds = (int *)CMSG_DATA(cmsg);
		for (i = 0; i < nfds; i++) {
			/* A descriptor where none may come is a violation. */
			if (!ib->ib_allow_fd || ib->ib_nfdq == IMSG_MAXFDQ) {
				close(fds[i]);
				bad = 1;
			} else
				ib->ib_fdq[ib->ib_nfdq++] = fds[i];
		}
	}
	if (bad || (msg.msg_flags & MSG_CTRUNC)) {
		errno = EBADMSG;
		return (-1);
	}
	ib->ib_rlen += n;
	return (n);
}

int
imsg_get(struct imsgbuf *ib, struct imsg *im)
{
	struct imsg_hdr	 hdr;
	size_t		 datalen;

	memset(im, 0, sizeof(*im));
	im->fd = -1;
	if (ib->ib_rlen < IMSG_HDR_SIZE)
		return (0);
	memcpy(&hdr, ib->ib_rbuf, sizeof(hdr));
	if (hdr.len < IMSG_HDR_SIZE || hdr.len > ib->ib_maxmsg ||
	    (hdr.flags & ~IMSGF_HASFD) != 0 ||
	    ((hdr.flags & IMSGF_HASFD) && !ib->ib_allow_fd)) {
		errno = EBADMSG;
		return (-1);
	}
	if (ib->ib_rlen < hdr.len)
		return (0);
	if (hdr.flags & IMSGF_HASFD) {
		/* The descriptor arrives with the message's first byte. */
		if (ib->ib_nfdq == 0) {
			errno = EBADMSG;
			return (-1);
		}
		im->fd = ib->ib_fdq[0];
		ib->ib_nfdq--;
		memmove(ib->ib_fdq, ib->ib_fdq + 1,
		    ib->ib_nfdq * sizeof(int));
	}
	datalen = hdr.len - IMSG_HDR_SIZE;
	if (datalen > 0) {
		if ((im->data = malloc(datalen)) == NULL) {
			if (im->fd != -1)
				close(im->fd);
			im->fd = -1;
			return (-1);
		}
		memcpy(im->data, ib->ib_rbuf + IMSG_HDR_SIZE, datalen);
	}
	im->hdr = hdr;
	im->datalen = datalen;
	ib->ib_rlen -= hdr.len;
	memmove(ib->ib_rbuf, ib->ib_rbuf + hdr.len, ib->ib_rlen);
	return (1);
}

void
imsg_free(struct imsg *im)
{
	if (im->data != NULL) {
		/* Payloads may carry keys or secrets. */
		explicit_bzero(im->data, im->datalen);
		free(im->data);
	}
	if (im->fd != -1)
		close(im->fd);
	im->data = NULL;
	im->datalen = 0;
	im->fd = -1;
}

int
imsg_take_fd(struct imsg *im)
{
	int	 fd = im->fd;

	im->fd = -1;
	return (fd);
}

int
imsg_get_exact(const struct imsg *im, void *dst, size_t len)
{
	if (im->datalen != len)
		return (-1);
	if (len > 0)
		memcpy(dst, im->data, len);
	return (0);
}

int
imsg_compose(struct imsgbuf *ib, uint32_t type, uint32_t peerid,
    uint32_t pid, int fd, const void *data, size_t datalen)
{
	struct imsg_wmsg	*w;
	struct imsg_hdr		 hdr;

	if (datalen > ib->ib_maxmsg - IMSG_HDR_SIZE ||
	    (fd != -1 && !ib->ib_allow_fd) || (datalen > 0 && data == NULL)) {
		if (fd != -1)
			close(fd);
		errno = EMSGSIZE;
		return (-1);
	}
	if ((w = malloc(sizeof(*w) + IMSG_HDR_SIZE + datalen)) == NULL) {
		if (fd != -1)
			close(fd);
		return (-1);
	}
	memset(&hdr, 0, sizeof(hdr));
	hdr.type = type;
	hdr.len = (uint16_t)(IMSG_HDR_SIZE + datalen);
	hdr.flags = fd != -1 ? IMSGF_HASFD : 0;
	hdr.peerid = peerid;
	hdr.pid = pid;
	memcpy(w->w_buf, &hdr, sizeof(hdr));
	if (datalen > 0)
		memcpy(w->w_buf + IMSG_HDR_SIZE, data, datalen);
	w->w_fd = fd;
	w->w_off = 0;
	w->w_len = IMSG_HDR_SIZE + datalen;
	TAILQ_INSERT_TAIL(&ib->ib_wq, w, w_entry);
	ib->ib_wqbytes += w->w_len;
	return (0);
}

int
imsgbuf_write(struct imsgbuf *ib)
{
	union {
		struct cmsghdr	hdr;
		char		buf[CMSG_SPACE(sizeof(int))];
	} cmsgbuf;
	struct imsg_wmsg	*w;
	struct msghdr		 msg;
	struct iovec		 iov;
	struct cmsghdr		*cmsg;
	ssize_t			 n;

	while ((w = TAILQ_FIRST(&ib->ib_wq)) != NULL) {
		memset(&msg, 0, sizeof(msg));
		iov.iov_base = w->w_buf + w->w_off;
		iov.iov_len = w->w_len - w->w_off;
		msg.msg_iov = &iov;
		msg.msg_iovlen = 1;
		if (w->w_fd != -1) {
			memset(&cmsgbuf, 0, sizeof(cmsgbuf));
			msg.msg_control = &cmsgbuf.buf;
			msg.msg_controllen = sizeof(cmsgbuf.buf);
			cmsg = CMSG_FIRSTHDR(&msg);
			cmsg->cmsg_len = CMSG_LEN(sizeof(int));
			cmsg->cmsg_level = SOL_SOCKET;
			cmsg->cmsg_type = SCM_RIGHTS;
			memcpy(CMSG_DATA(cmsg), &w->w_fd, sizeof(int));
		}
		n = sendmsg(ib->ib_fd, &msg, MSG_DONTWAIT | MSG_NOSIGNAL);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return (0);
			return (-1);
		}
		/* Once any byte is out, the descriptor went with it. */
		if (w->w_fd != -1) {
			close(w->w_fd);
			w->w_fd = -1;
		}
		w->w_off += n;
		ib->ib_wqbytes -= n;
		if (w->w_off == w->w_len) {
			TAILQ_REMOVE(&ib->ib_wq, w, w_entry);
			free(w);
		}
	}
	return (0);
}

int
imsgbuf_flush(struct imsgbuf *ib)
{
	struct pollfd	 pfd;

	while (imsgbuf_queued(ib) > 0) {
		if (imsgbuf_write(ib) == -1)
			return (-1);
		if (imsgbuf_queued(ib) == 0)
			break;
		pfd.fd = ib->ib_fd;
		pfd.events = POLLOUT;
		if (poll(&pfd, 1, -1) == -1 && errno != EINTR)
			return (-1);
	}
	return (0);
}

size_t
imsgbuf_queued(const struct imsgbuf *ib)
{
	return (ib->ib_wqbytes);
}
