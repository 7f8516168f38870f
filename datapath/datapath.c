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
#include <sys/types.h>

#include <netinet/in.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/addr.h"
#include "common/child.h"
#include "common/log.h"
#include "common/msg.h"
#include "datapath.h"

/*
 * The userspace data path.  So far it carries L2TP control in the clear
 * (`require-ipsec no`): each control datagram goes up to l2tp with the
 * outer address:port it came from, and l2tp's answers go out from the
 * local address the peer wrote to.  ESP, L2TP data and PPP arrive with
 * the userspace data path issue.
 */

#define DP_PKT_MAX	65535

void
datapath_init(struct datapath *dp, struct child *ch)
{
	memset(dp, 0, sizeof(*dp));
	dp->dp_child = ch;
	TAILQ_INIT(&dp->dp_socks);
}

/* The local address of a received datagram, from IP_PKTINFO. */
static void
dp_local_addr(struct msghdr *msg, const struct dp_sock *ds,
    struct sockaddr_storage *local)
{
	struct cmsghdr	*cm;

	*local = ds->ds_local;
	for (cm = CMSG_FIRSTHDR(msg); cm != NULL; cm = CMSG_NXTHDR(msg, cm)) {
		if (cm->cmsg_level == IPPROTO_IP &&
		    cm->cmsg_type == IP_PKTINFO &&
		    local->ss_family == AF_INET) {
			struct in_pktinfo pi;

			memcpy(&pi, CMSG_DATA(cm), sizeof(pi));
			((struct sockaddr_in *)local)->sin_addr =
			    pi.ipi_addr;
		} else if (cm->cmsg_level == IPPROTO_IPV6 &&
		    cm->cmsg_type == IPV6_PKTINFO &&
		    local->ss_family == AF_INET6) {
			struct in6_pktinfo pi6;

			memcpy(&pi6, CMSG_DATA(cm), sizeof(pi6));
			((struct sockaddr_in6 *)local)->sin6_addr =
			    pi6.ipi6_addr;
		}
	}
}

static void
dp_l2tp_clear_input(struct datapath *dp, struct dp_sock *ds,
    const uint8_t *pkt, size_t len, const struct sockaddr_storage *peer,
    const struct sockaddr_storage *local)
{
	struct msg_l2tp_ctrl	 lt;
	uint8_t			 buf[sizeof(lt) + MSG_L2TP_CTRL_MAX];
	uint16_t		 flags;

	(void)ds;
	dp->dp_stats.st_l2tp_rx++;
	/* RFC 2661 3.1: T, then Ver 2; anything else is not ours. */
	if (len < 2) {
		dp->dp_stats.st_l2tp_malformed++;
		return;
	}
	flags = (uint16_t)(pkt[0] << 8 | pkt[1]);
	if ((flags & 0x000f) != 2) {
		dp->dp_stats.st_l2tp_malformed++;
		return;
	}
	if (!(flags & 0x8000)) {
		/* Data: no session is programmed yet in this version. */
		dp->dp_stats.st_l2tp_no_session++;
		return;
	}
	if (len > MSG_L2TP_CTRL_MAX) {
		dp->dp_stats.st_l2tp_oversize++;
		return;
	}
	if (!dp->dp_have_l2tp)
		return;
	memset(&lt, 0, sizeof(lt));
	lt.lt_peer = *peer;
	lt.lt_local = *local;
	lt.lt_sa = 0;
	lt.lt_len = len;
	memcpy(buf, &lt, sizeof(lt));
	memcpy(buf + sizeof(lt), pkt, len);
	if (chan_compose(&dp->dp_l2tp, MSG_L2TP_CTRL_IN, 0, -1, buf,
	    sizeof(lt) + len) == 0)
		dp->dp_stats.st_l2tp_ctrl_up++;
}

static void
dp_sock_read(int fd, short events, void *arg)
{
	struct dp_sock		*ds = arg;
	struct datapath		*dp = ds->ds_dp;
	struct sockaddr_storage	 peer, local;
	union {
		struct cmsghdr	hdr;
		char		buf[CMSG_SPACE(sizeof(struct in6_pktinfo))];
	} cmsgbuf;
	static uint8_t		 pkt[DP_PKT_MAX];
	struct msghdr		 msg;
	struct iovec		 iov;
	ssize_t			 n;
	int			 i;

	(void)events;
	/* A bounded batch, so one busy socket cannot starve the rest. */
	for (i = 0; i < 64; i++) {
		memset(&msg, 0, sizeof(msg));
		memset(&peer, 0, sizeof(peer));
		iov.iov_base = pkt;
		iov.iov_len = sizeof(pkt);
		msg.msg_name = &peer;
		msg.msg_namelen = sizeof(peer);
		msg.msg_iov = &iov;
		msg.msg_iovlen = 1;
		msg.msg_control = &cmsgbuf;
		msg.msg_controllen = sizeof(cmsgbuf);
		if ((n = recvmsg(fd, &msg, MSG_DONTWAIT)) == -1) {
			if (errno != EAGAIN && errno != EINTR)
				log_warn("recvmsg on UDP/1701");
			return;
		}
		if (msg.msg_flags & MSG_TRUNC) {
			dp->dp_stats.st_l2tp_oversize++;
			continue;
		}
		dp_local_addr(&msg, ds, &local);
		if (ds->ds_kind == SOCKET_L2TP_CLEAR)
			dp_l2tp_clear_input(dp, ds, pkt, n, &peer, &local);
	}
}

/* The socket l2tp's answer leaves from: the one bound to lt_local. */
static struct dp_sock *
dp_sock_for(struct datapath *dp, const struct sockaddr_storage *local)
{
	struct dp_sock	*ds, *wild = NULL;

	TAILQ_FOREACH(ds, &dp->dp_socks, ds_entry) {
		if (ds->ds_kind != SOCKET_L2TP_CLEAR)
			continue;
		if (sockaddr_cmp(&ds->ds_local, local) == 0)
			return (ds);
		if (ds->ds_local.ss_family == local->ss_family &&
		    wild == NULL)
			wild = ds;
	}
	return (wild);
}

static int
dp_l2tp_output(struct datapath *dp, struct imsg *im)
{
	struct msg_l2tp_ctrl	 lt;
	union {
		struct cmsghdr	hdr;
		char		buf[CMSG_SPACE(sizeof(struct in_pktinfo))];
	} cmsgbuf;
	struct dp_sock		*ds;
	struct msghdr		 msg;
	struct iovec		 iov;
	struct cmsghdr		*cm;
	struct in_pktinfo	 pi;

	if (im->datalen < sizeof(lt))
		return (-1);
	memcpy(&lt, im->data, sizeof(lt));
	if (lt.lt_len != im->datalen - sizeof(lt) ||
	    lt.lt_len > MSG_L2TP_CTRL_MAX || lt.lt_sa != 0 ||
	    sockaddr_len(&lt.lt_peer) == 0)
		return (-1);
	if ((ds = dp_sock_for(dp, &lt.lt_local)) == NULL) {
		/* l2tp answered on an address we do not listen on. */
		return (-1);
	}
	memset(&msg, 0, sizeof(msg));
	iov.iov_base = (uint8_t *)im->data + sizeof(lt);
	iov.iov_len = lt.lt_len;
	msg.msg_name = &lt.lt_peer;
	msg.msg_namelen = sockaddr_len(&lt.lt_peer);
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	if (lt.lt_local.ss_family == AF_INET &&
	    sockaddr_cmp(&ds->ds_local, &lt.lt_local) != 0) {
		/* A wildcard socket: answer from the address written to. */
		memset(&cmsgbuf, 0, sizeof(cmsgbuf));
		memset(&pi, 0, sizeof(pi));
		pi.ipi_spec_dst = ((struct sockaddr_in *)&lt.lt_local)->sin_addr;
		msg.msg_control = &cmsgbuf;
		msg.msg_controllen = CMSG_SPACE(sizeof(pi));
		cm = CMSG_FIRSTHDR(&msg);
		cm->cmsg_level = IPPROTO_IP;
		cm->cmsg_type = IP_PKTINFO;
		cm->cmsg_len = CMSG_LEN(sizeof(pi));
		memcpy(CMSG_DATA(cm), &pi, sizeof(pi));
	}
	if (sendmsg(ds->ds_fd, &msg, MSG_DONTWAIT) == -1) {
		char where[SOCKADDR_STRLEN];

		dp->dp_stats.st_tx_errors++;
		log_warn("send L2TP to %s", sockaddr_str(&lt.lt_peer, where,
		    sizeof(where)));
		return (0);
	}
	dp->dp_stats.st_l2tp_ctrl_down++;
	return (0);
}

static int
dp_l2tp_dispatch(struct chan *cn, struct imsg *im, void *arg)
{
	struct datapath	*dp = arg;

	(void)cn;
	switch (im->hdr.type) {
	case MSG_L2TP_CTRL_OUT:
		if (dp_l2tp_output(dp, im) == -1) {
			log_warnx("malformed %s from l2tp",
			    msg_type_name(im->hdr.type));
			return (CHAN_BAD);
		}
		return (CHAN_OK);
	default:
		log_warnx("unexpected %s from l2tp",
		    msg_type_name(im->hdr.type));
		return (CHAN_BAD);
	}
}

static void
dp_l2tp_closed(struct chan *cn, int error, void *arg)
{
	(void)cn;
	(void)arg;
	/* Either child dying takes the daemon down; the parent sees it. */
	if (error == 0)
		fatalx("the l2tp child closed its channel");
	errno = error;
	fatal("channel to the l2tp child");
}

int
datapath_socket(struct datapath *dp, int fd, const void *data, size_t len)
{
	struct msg_socket	 ms;
	struct dp_sock		*ds;

	if (fd == -1 || len != sizeof(ms))
		return (-1);
	memcpy(&ms, data, sizeof(ms));
	switch (ms.ms_kind) {
	case SOCKET_CHANNEL:
		if (ms.ms_peer_role != PROC_L2TP || dp->dp_have_l2tp)
			return (-1);
		if (chan_init(&dp->dp_l2tp, dp->dp_child->ch_base, fd,
		    MSG_CHILD_MAXMSG, 0, dp_l2tp_dispatch, dp_l2tp_closed,
		    dp) == -1)
			fatal("channel to l2tp");
		dp->dp_have_l2tp = 1;
		return (0);
	case SOCKET_L2TP_CLEAR:
		if ((ds = calloc(1, sizeof(*ds))) == NULL)
			fatal("calloc");
		ds->ds_dp = dp;
		ds->ds_fd = fd;
		ds->ds_kind = ms.ms_kind;
		ds->ds_local = ms.ms_local;
		event_assign(&ds->ds_ev, dp->dp_child->ch_base, fd,
		    EV_READ | EV_PERSIST, dp_sock_read, ds);
		event_add(&ds->ds_ev, NULL);
		TAILQ_INSERT_TAIL(&dp->dp_socks, ds, ds_entry);
		return (0);
	default:
		return (-1);
	}
}
