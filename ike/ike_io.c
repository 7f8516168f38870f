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

#include <netinet/in.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/addr.h"
#include "common/log.h"
#include "ike.h"

/*
 * The ike child's sockets: UDP 500 and 4500, bound by the parent (which
 * also set IP_PKTINFO) and handed over as MSG_SOCKET.  A wildcard socket
 * (the client role) learns the local address of each datagram from
 * IP_PKTINFO and sends from the same address.  On 4500 every IKE
 * message carries the non-ESP marker (RFC 3948 2.2); anything else there
 * -- ESP the kernel did not take, a NAT keepalive (RFC 3948 2.3) -- is
 * not ours.
 */

/* Datagrams read per wakeup, so a flood cannot starve the parent link. */
#define IKE_IO_BATCH	64

const uint8_t *
sa_addr_bytes(const struct sockaddr_storage *ss, size_t *len)
{
	if (ss->ss_family == AF_INET) {
		*len = 4;
		return ((const uint8_t *)
		    &((const struct sockaddr_in *)ss)->sin_addr);
	}
	if (ss->ss_family == AF_INET6) {
		*len = 16;
		return ((const uint8_t *)
		    &((const struct sockaddr_in6 *)ss)->sin6_addr);
	}
	*len = 0;
	return (NULL);
}

/* Same family and address; ports are not looked at. */
int
sa_addr_eq(const struct sockaddr_storage *a, const struct sockaddr_storage *b)
{
	const uint8_t	*pa, *pb;
	size_t		 la, lb;

	if (a->ss_family != b->ss_family)
		return (0);
	pa = sa_addr_bytes(a, &la);
	pb = sa_addr_bytes(b, &lb);
	return (pa != NULL && la == lb && memcmp(pa, pb, la) == 0);
}

int
sa_is_wildcard(const struct sockaddr_storage *ss)
{
	static const uint8_t	 zero[16];
	const uint8_t		*p;
	size_t			 len;

	p = sa_addr_bytes(ss, &len);
	return (p == NULL || memcmp(p, zero, len) == 0);
}

static void
ike_io_recv(int fd, short ev, void *arg)
{
	struct ike_sock		*so = arg;
	struct ike_ctx		*ix = so->so_ctx;
	struct sockaddr_storage	 peer, local;
	struct msghdr		 mh;
	struct iovec		 iov;
	struct cmsghdr		*cm;
	union {
		struct cmsghdr	 hdr;
		uint8_t		 buf[CMSG_SPACE(
				    sizeof(struct in6_pktinfo))];
	}			 cmsg;
	uint8_t			*p;
	ssize_t			 n;
	size_t			 len;
	int			 i;

	(void)ev;
	for (i = 0; i < IKE_IO_BATCH; i++) {
		memset(&mh, 0, sizeof(mh));
		memset(&peer, 0, sizeof(peer));
		iov.iov_base = ix->ix_buf;
		iov.iov_len = sizeof(ix->ix_buf);
		mh.msg_name = &peer;
		mh.msg_namelen = sizeof(peer);
		mh.msg_iov = &iov;
		mh.msg_iovlen = 1;
		mh.msg_control = cmsg.buf;
		mh.msg_controllen = sizeof(cmsg.buf);
		if ((n = recvmsg(fd, &mh, MSG_DONTWAIT)) == -1) {
			if (errno != EAGAIN && errno != EWOULDBLOCK &&
			    errno != EINTR)
				log_warn("recvmsg on UDP %u", so->so_port);
			return;
		}
		if (mh.msg_flags & (MSG_TRUNC | MSG_CTRUNC))
			continue;
		local = so->so_local;
		for (cm = CMSG_FIRSTHDR(&mh); cm != NULL;
		    cm = CMSG_NXTHDR(&mh, cm)) {
			if (cm->cmsg_level == IPPROTO_IP &&
			    cm->cmsg_type == IP_PKTINFO &&
			    local.ss_family == AF_INET) {
				struct in_pktinfo pi;

				memcpy(&pi, CMSG_DATA(cm), sizeof(pi));
				((struct sockaddr_in *)&local)->sin_addr =
				    pi.ipi_addr;
			} else if (cm->cmsg_level == IPPROTO_IPV6 &&
			    cm->cmsg_type == IPV6_PKTINFO &&
			    local.ss_family == AF_INET6) {
				struct in6_pktinfo pi6;

				memcpy(&pi6, CMSG_DATA(cm), sizeof(pi6));
				((struct sockaddr_in6 *)&local)->sin6_addr =
				    pi6.ipi6_addr;
			}
		}
		if (peer.ss_family != local.ss_family ||
		    sockaddr_port(&peer) == 0)
			continue;
		sockaddr_set_port(&local, so->so_port);
		p = ix->ix_buf;
		len = (size_t)n;
		if (so->so_port == ISAKMP_NATT_PORT) {
			/* RFC 3948 2.2: only marked datagrams are IKE. */
			if (len < IKE_NONESP_MARKER ||
			    p[0] != 0 || p[1] != 0 || p[2] != 0 || p[3] != 0) {
				/* RFC 3948 2.3: a keepalive, or junk. */
				if (len == 1 && p[0] == 0xff)
					ix->ix_stats.st_keepalive++;
				else
					ix->ix_stats.st_unmarked++;
				continue;
			}
			p += IKE_NONESP_MARKER;
			len -= IKE_NONESP_MARKER;
		}
		ix->ix_stats.st_rx++;
		ike_input(ix, &peer, &local, p, len);
	}
}

int
ike_io_add(struct ike_ctx *ix, int fd, const struct sockaddr_storage *local)
{
	struct ike_sock	*so;
	uint16_t	 port = sockaddr_port(local);

	if ((local->ss_family != AF_INET && local->ss_family != AF_INET6) ||
	    (port != ISAKMP_PORT && port != ISAKMP_NATT_PORT))
		return (-1);
	if ((so = calloc(1, sizeof(*so))) == NULL)
		fatal("calloc");
	so->so_ctx = ix;
	so->so_fd = fd;
	so->so_local = *local;
	so->so_port = port;
	event_set(&so->so_ev, fd, EV_READ | EV_PERSIST, ike_io_recv, so);
	event_base_set(ix->ix_base, &so->so_ev);
	if (event_add(&so->so_ev, NULL) == -1)
		fatalx("event_add");
	TAILQ_INSERT_TAIL(&ix->ix_socks, so, so_entry);
	return (0);
}

/* The socket for a local address and port: its own, or a wildcard. */
static struct ike_sock *
ike_io_sock(struct ike_ctx *ix, const struct sockaddr_storage *local,
    uint16_t port)
{
	struct ike_sock	*so, *wild = NULL;

	TAILQ_FOREACH(so, &ix->ix_socks, so_entry) {
		if (so->so_port != port ||
		    so->so_local.ss_family != local->ss_family)
			continue;
		if (sa_addr_eq(&so->so_local, local))
			return (so);
		if (sa_is_wildcard(&so->so_local) && wild == NULL)
			wild = so;
	}
	return (wild);
}

int
ike_io_have(struct ike_ctx *ix, const struct sockaddr_storage *local,
    uint16_t port)
{
	return (ike_io_sock(ix, local, port) != NULL);
}

static int
ike_io_sendto(struct ike_sock *so, const struct sockaddr_storage *local,
    const struct sockaddr_storage *peer, const uint8_t *p, size_t len)
{
	struct msghdr	 mh;
	struct iovec	 iov;
	struct cmsghdr	*cm;
	union {
		struct cmsghdr	 hdr;
		uint8_t		 buf[CMSG_SPACE(
				    sizeof(struct in6_pktinfo))];
	}		 cmsg;

	memset(&mh, 0, sizeof(mh));
	iov.iov_base = (void *)(uintptr_t)p;
	iov.iov_len = len;
	mh.msg_name = (void *)(uintptr_t)peer;
	mh.msg_namelen = sockaddr_len(peer);
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	/* A wildcard socket answers from the address it was reached on. */
	if (sa_is_wildcard(&so->so_local) && !sa_is_wildcard(local)) {
		memset(&cmsg, 0, sizeof(cmsg));
		mh.msg_control = cmsg.buf;
		cm = (struct cmsghdr *)cmsg.buf;
		if (local->ss_family == AF_INET) {
			struct in_pktinfo pi;

			memset(&pi, 0, sizeof(pi));
			pi.ipi_spec_dst =
			    ((const struct sockaddr_in *)local)->sin_addr;
			mh.msg_controllen = CMSG_SPACE(sizeof(pi));
			cm->cmsg_level = IPPROTO_IP;
			cm->cmsg_type = IP_PKTINFO;
			cm->cmsg_len = CMSG_LEN(sizeof(pi));
			memcpy(CMSG_DATA(cm), &pi, sizeof(pi));
		} else {
			struct in6_pktinfo pi6;

			memset(&pi6, 0, sizeof(pi6));
			pi6.ipi6_addr =
			    ((const struct sockaddr_in6 *)local)->sin6_addr;
			mh.msg_controllen = CMSG_SPACE(sizeof(pi6));
			cm->cmsg_level = IPPROTO_IPV6;
			cm->cmsg_type = IPV6_PKTINFO;
			cm->cmsg_len = CMSG_LEN(sizeof(pi6));
			memcpy(CMSG_DATA(cm), &pi6, sizeof(pi6));
		}
	}
	if (sendmsg(so->so_fd, &mh, MSG_DONTWAIT) == -1) {
		char	 ps[SOCKADDR_STRLEN];

		log_warn("send to %s", sockaddr_str(peer, ps, sizeof(ps)));
		return (-1);
	}
	return (0);
}

int
ike_io_send(struct ike_ctx *ix, const struct sockaddr_storage *local,
    const struct sockaddr_storage *peer, const uint8_t *pkt, size_t len)
{
	struct ike_sock	*so;
	uint8_t		 buf[IKE_NONESP_MARKER + IKE_PKT_MAX];
	uint16_t	 port = sockaddr_port(local);
	char		 ps[SOCKADDR_STRLEN];

	if ((so = ike_io_sock(ix, local, port)) == NULL) {
		log_warnx("no UDP %u socket to reach %s from", port,
		    sockaddr_str(peer, ps, sizeof(ps)));
		return (-1);
	}
	if (port != ISAKMP_NATT_PORT)
		return (ike_io_sendto(so, local, peer, pkt, len));
	if (len > IKE_PKT_MAX)
		return (-1);
	memset(buf, 0, IKE_NONESP_MARKER);
	memcpy(buf + IKE_NONESP_MARKER, pkt, len);
	return (ike_io_sendto(so, local, peer, buf, IKE_NONESP_MARKER + len));
}

/* RFC 3948 2.3: one octet 0xff, from 4500 to the peer's NAT-T port. */
int
ike_io_keepalive(struct ike_ctx *ix, const struct sockaddr_storage *local,
    const struct sockaddr_storage *peer)
{
	struct ike_sock	*so;
	uint8_t		 ka = 0xff;

	if ((so = ike_io_sock(ix, local, ISAKMP_NATT_PORT)) == NULL)
		return (-1);
	return (ike_io_sendto(so, local, peer, &ka, 1));
}

int
ike_io_local(struct ike_ctx *ix, int family, uint16_t port,
    struct sockaddr_storage *local)
{
	struct ike_sock	*so;

	TAILQ_FOREACH(so, &ix->ix_socks, so_entry)
		if (so->so_port == port && so->so_local.ss_family == family) {
			*local = so->so_local;
			return (0);
		}
	return (-1);
}
