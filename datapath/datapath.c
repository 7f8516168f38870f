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
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/rand.h>

#include "common/addr.h"
#include "common/child.h"
#include "common/log.h"
#include "common/msg.h"
#include "datapath.h"

/*
 * Sockets, batches and the l2tp relay.  What arrives on a socket is read
 * in batches with recvmmsg() and handled to the end (TUN write, ppp
 * socket, or the l2tp channel) before the next batch; what leaves is
 * built in a slot of the send batch and goes out with sendmmsg() when
 * the batch is full or the event handler is done.
 */

/* Bytes of control queued to l2tp before more is dropped. */
#define DP_CTRL_BACKLOG	(1024 * 1024)

static void	dp_report_timer(int, short, void *);
static void	dp_sock_read(int, short, void *);

int
datapath_preload(void)
{
	uint8_t	 b;

	/*
	 * The ciphers and HMAC are fetched, and OpenSSL's config read,
	 * while files can still be opened; the DRBG is seeded now too
	 * (later reseeds use getrandom(2), which the sandbox allows).
	 */
	if (esp_init() != ESP_OK || RAND_bytes(&b, 1) != 1)
		return (-1);
	return (0);
}

void
datapath_init(struct datapath *dp, struct child *ch)
{
	struct timeval	 tv = { DP_REPORT_SECS, 0 };
	size_t		 i;

	memset(dp, 0, sizeof(*dp));
	dp->dp_child = ch;
	dp->dp_base = ch->ch_base;
	TAILQ_INIT(&dp->dp_socks);
	TAILQ_INIT(&dp->dp_tuns);
	TAILQ_INIT(&dp->dp_sessions);
	TAILQ_INIT(&dp->dp_sas);
	for (i = 0; i < DP_HASH; i++) {
		LIST_INIT(&dp->dp_ses_hash[i]);
		LIST_INIT(&dp->dp_addr_hash[i]);
		LIST_INIT(&dp->dp_spi_hash[i]);
		LIST_INIT(&dp->dp_peer_hash[i]);
	}
	/* The only large allocations: once, for the life of the child. */
	if ((dp->dp_rx = calloc(1, sizeof(*dp->dp_rx))) == NULL ||
	    (dp->dp_tx = calloc(1, sizeof(*dp->dp_tx))) == NULL)
		fatal("datapath buffers");
	event_assign(&dp->dp_report_ev, dp->dp_base, -1, EV_PERSIST,
	    dp_report_timer, dp);
	evtimer_add(&dp->dp_report_ev, &tv);
}

void
datapath_free(struct datapath *dp)
{
	struct dp_sock	*ds;
	struct dp_tun	*dt;

	dp_tx_flush(dp);
	evtimer_del(&dp->dp_report_ev);
	dp_session_free_all(dp);
	dp_sa_free_all(dp);
	while ((dt = TAILQ_FIRST(&dp->dp_tuns)) != NULL)
		dp_tun_free(dp, dt);
	while ((ds = TAILQ_FIRST(&dp->dp_socks)) != NULL) {
		TAILQ_REMOVE(&dp->dp_socks, ds, ds_entry);
		event_del(&ds->ds_ev);
		close(ds->ds_fd);
		free(ds);
	}
	if (dp->dp_have_l2tp)
		chan_close(&dp->dp_l2tp);
	free(dp->dp_rx);
	free(dp->dp_tx);
	dp->dp_rx = NULL;
	dp->dp_tx = NULL;
}

/* Addresses without ports; the port alone. */
int
dp_addr_eq(const struct sockaddr_storage *a, const struct sockaddr_storage *b)
{
	if (a->ss_family != b->ss_family)
		return (0);
	if (a->ss_family == AF_INET)
		return (((const struct sockaddr_in *)a)->sin_addr.s_addr ==
		    ((const struct sockaddr_in *)b)->sin_addr.s_addr);
	if (a->ss_family == AF_INET6)
		return (memcmp(&((const struct sockaddr_in6 *)a)->sin6_addr,
		    &((const struct sockaddr_in6 *)b)->sin6_addr,
		    sizeof(struct in6_addr)) == 0);
	return (0);
}

int
dp_addr_is_any(const struct sockaddr_storage *a)
{
	if (a->ss_family == AF_INET)
		return (((const struct sockaddr_in *)a)->sin_addr.s_addr ==
		    htonl(INADDR_ANY));
	if (a->ss_family == AF_INET6)
		return (IN6_IS_ADDR_UNSPECIFIED(
		    &((const struct sockaddr_in6 *)a)->sin6_addr));
	return (1);
}

/*
 * The send batch.  dp_tx_slot() gives the buffer the next datagram is
 * built in; dp_tx_commit() queues what was built there (ptr is inside
 * that slot); an unused slot is simply handed out again.
 */
uint8_t *
dp_tx_slot(struct datapath *dp)
{
	if (dp->dp_tx->tq_n == DP_BATCH)
		dp_tx_flush(dp);
	return (dp->dp_tx->tq_buf[dp->dp_tx->tq_n]);
}

void
dp_tx_commit(struct datapath *dp, struct dp_sock *ds,
    const struct sockaddr_storage *dst, const struct sockaddr_storage *src,
    const uint8_t *ptr, size_t len)
{
	struct dp_txq	*tq = dp->dp_tx;
	size_t		 i = tq->tq_n;
	struct msghdr	*mh = &tq->tq_msg[i].msg_hdr;
	struct cmsghdr	*cm;

	memset(mh, 0, sizeof(*mh));
	tq->tq_dst[i] = *dst;
	/* raw(7): the port field of a raw socket's address means nothing. */
	if (ds->ds_kind == SOCKET_ESP_RAW)
		sockaddr_set_port(&tq->tq_dst[i], 0);
	tq->tq_iov[i].iov_base = (void *)ptr;
	tq->tq_iov[i].iov_len = len;
	mh->msg_name = &tq->tq_dst[i];
	mh->msg_namelen = sockaddr_len(dst);
	mh->msg_iov = &tq->tq_iov[i];
	mh->msg_iovlen = 1;
	/*
	 * A socket on the any address (`listen on` an interface): leave
	 * from the address the peer knows us by, not whatever the route
	 * prefers.  IP_PKTINFO on send needs no socket option.
	 */
	if (ds->ds_wild && src != NULL && !dp_addr_is_any(src) &&
	    src->ss_family == ds->ds_local.ss_family) {
		memset(&tq->tq_cmsg[i], 0, sizeof(tq->tq_cmsg[i]));
		mh->msg_control = &tq->tq_cmsg[i];
		cm = (struct cmsghdr *)(void *)&tq->tq_cmsg[i];
		if (src->ss_family == AF_INET) {
			struct in_pktinfo	 pi;

			memset(&pi, 0, sizeof(pi));
			pi.ipi_spec_dst =
			    ((const struct sockaddr_in *)src)->sin_addr;
			mh->msg_controllen = CMSG_SPACE(sizeof(pi));
			cm->cmsg_level = IPPROTO_IP;
			cm->cmsg_type = IP_PKTINFO;
			cm->cmsg_len = CMSG_LEN(sizeof(pi));
			memcpy(CMSG_DATA(cm), &pi, sizeof(pi));
		} else {
			struct in6_pktinfo	 pi6;

			memset(&pi6, 0, sizeof(pi6));
			pi6.ipi6_addr =
			    ((const struct sockaddr_in6 *)src)->sin6_addr;
			mh->msg_controllen = CMSG_SPACE(sizeof(pi6));
			cm->cmsg_level = IPPROTO_IPV6;
			cm->cmsg_type = IPV6_PKTINFO;
			cm->cmsg_len = CMSG_LEN(sizeof(pi6));
			memcpy(CMSG_DATA(cm), &pi6, sizeof(pi6));
		}
	}
	tq->tq_fd[i] = ds->ds_fd;
	if (++tq->tq_n == DP_BATCH)
		dp_tx_flush(dp);
}

/* One sendmmsg() per run of datagrams for the same socket. */
void
dp_tx_flush(struct datapath *dp)
{
	struct dp_txq	*tq = dp->dp_tx;
	size_t		 i, j, k;
	int		 r;

	for (i = 0; i < tq->tq_n; i = j) {
		for (j = i; j < tq->tq_n && tq->tq_fd[j] == tq->tq_fd[i]; j++)
			;
		for (k = i; k < j; ) {
			r = sendmmsg(tq->tq_fd[i], &tq->tq_msg[k],
			    (unsigned int)(j - k), MSG_DONTWAIT);
			if (r > 0) {
				k += (size_t)r;
				continue;
			}
			if (r == -1 && errno == EINTR)
				continue;
			if (r == -1 && (errno == EAGAIN ||
			    errno == EWOULDBLOCK || errno == ENOBUFS)) {
				/* A full socket: the rest would fail too. */
				dp->dp_stats.st_count[DP_ST_TX_ERRORS] += j - k;
				break;
			}
			/* This one datagram failed (no route, too big). */
			DP_COUNT(dp, DP_ST_TX_ERRORS);
			k++;
		}
	}
	tq->tq_n = 0;
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

/*
 * An L2TP message, from UDP/1701 in the clear (sa NULL) or from inside
 * ESP.  Control goes up to l2tp with the outer peer address:port, our
 * local address with the L2TP port, and the SA; data to its session.
 */
void
dp_l2tp_input(struct datapath *dp, struct dp_sa *sa,
    const struct sockaddr_storage *peer,
    const struct sockaddr_storage *local, const uint8_t *pkt, size_t len)
{
	struct msg_l2tp_ctrl	 lt;
	uint8_t			 buf[sizeof(lt) + MSG_L2TP_CTRL_MAX];
	uint16_t		 flags;

	/* RFC 2661 3.1: T, then Ver 2; anything else is not ours. */
	if (len < 2) {
		DP_COUNT(dp, DP_ST_L2TP_MALFORMED);
		return;
	}
	flags = (uint16_t)(pkt[0] << 8 | pkt[1]);
	if ((flags & 0x000f) != 2) {
		DP_COUNT(dp, DP_ST_L2TP_MALFORMED);
		return;
	}
	if (!(flags & 0x8000)) {
		dp_l2tp_data_input(dp, sa, peer, pkt, len);
		return;
	}
	if (len > MSG_L2TP_CTRL_MAX) {
		DP_COUNT(dp, DP_ST_L2TP_OVERSIZE);
		return;
	}
	/*
	 * A peer (in the clear, anyone) must not grow our queue to a
	 * stalled l2tp without bound: past the backlog, drop as a full
	 * socket would.  l2tp's reliable delivery retransmits.
	 */
	if (!dp->dp_have_l2tp ||
	    imsgbuf_queued(&dp->dp_l2tp.cn_ib) > DP_CTRL_BACKLOG) {
		DP_COUNT(dp, DP_ST_CTRL_UP_FAILED);
		return;
	}
	memset(&lt, 0, sizeof(lt));
	lt.lt_peer = *peer;
	if (sa != NULL) {
		/*
		 * Inside ESP: our outer address with the inner destination
		 * port, as l2tp sees it in the clear; the peer is the outer
		 * address:port, which tells clients behind one NAT apart.
		 */
		lt.lt_local = sa->dsa_local;
		sockaddr_set_port(&lt.lt_local, sa->dsa_local_port);
		lt.lt_sa = sa->dsa_id;
	} else
		lt.lt_local = *local;
	lt.lt_len = len;
	memcpy(buf, &lt, sizeof(lt));
	memcpy(buf + sizeof(lt), pkt, len);
	if (chan_compose(&dp->dp_l2tp, MSG_L2TP_CTRL_IN, 0, -1, buf,
	    sizeof(lt) + len) == 0)
		DP_COUNT(dp, DP_ST_CTRL_UP);
	else
		DP_COUNT(dp, DP_ST_CTRL_UP_FAILED);
}

void
dp_esp_raw_input(struct datapath *dp, struct dp_sock *ds, uint8_t *pkt,
    size_t len, const struct sockaddr_storage *from)
{
	struct sockaddr_storage	 peer;
	struct dp_ipv4		 ip;

	DP_COUNT(dp, DP_ST_ESP_RAW_RX);
	if (ds->ds_local.ss_family == AF_INET6) {
		/* raw(7) on IPv6 hands up the payload without a header. */
		peer = *from;
		sockaddr_set_port(&peer, 0);
		dp_esp_input(dp, ds, &peer, pkt, len);
		return;
	}
	if (dp_raw_esp_parse(pkt, len, &ip) != DP_P_OK) {
		DP_COUNT(dp, DP_ST_ESP_MALFORMED);
		return;
	}
	memset(&peer, 0, sizeof(peer));
	peer.ss_family = AF_INET;
	((struct sockaddr_in *)&peer)->sin_addr.s_addr = ip.ip_src;
	dp_esp_input(dp, ds, &peer, pkt + ip.ip_hlen, ip.ip_len - ip.ip_hlen);
}

void
dp_esp_udp_input(struct datapath *dp, struct dp_sock *ds, uint8_t *pkt,
    size_t len, const struct sockaddr_storage *peer)
{
	DP_COUNT(dp, DP_ST_ESP_UDP_RX);
	switch (dp_udp4500_kind(pkt, len)) {
	case DP_U_ESP:
		dp_esp_input(dp, ds, peer, pkt, len);
		break;
	case DP_U_KEEPALIVE:
		/* RFC 3948 2.3: "The receiver SHOULD ignore" it. */
		DP_COUNT(dp, DP_ST_KEEPALIVE);
		break;
	case DP_U_NON_ESP:
		DP_COUNT(dp, DP_ST_NON_ESP);
		break;
	default:
		DP_COUNT(dp, DP_ST_ESP_MALFORMED);
		break;
	}
}

static void
dp_sock_read(int fd, short events, void *arg)
{
	struct dp_sock		*ds = arg;
	struct datapath		*dp = ds->ds_dp;
	struct dp_rxq		*rq = dp->dp_rx;
	struct sockaddr_storage	 local;
	struct msghdr		*mh;
	int			 round, i, n;

	(void)events;
	/* A bounded number of batches, so one busy socket cannot starve. */
	for (round = 0; round < 4; round++) {
		for (i = 0; i < DP_BATCH; i++) {
			mh = &rq->rq_msg[i].msg_hdr;
			memset(mh, 0, sizeof(*mh));
			rq->rq_iov[i].iov_base = rq->rq_buf[i];
			rq->rq_iov[i].iov_len = DP_SLOT;
			mh->msg_name = &rq->rq_peer[i];
			mh->msg_namelen = sizeof(rq->rq_peer[i]);
			mh->msg_iov = &rq->rq_iov[i];
			mh->msg_iovlen = 1;
			if (ds->ds_kind == SOCKET_L2TP_CLEAR) {
				mh->msg_control = &rq->rq_cmsg[i];
				mh->msg_controllen = sizeof(rq->rq_cmsg[i]);
			}
		}
		n = recvmmsg(fd, rq->rq_msg, DP_BATCH, MSG_DONTWAIT, NULL);
		if (n <= 0)
			break;
		for (i = 0; i < n; i++) {
			mh = &rq->rq_msg[i].msg_hdr;
			if (mh->msg_flags & MSG_TRUNC) {
				DP_COUNT(dp, DP_ST_RX_TRUNCATED);
				continue;
			}
			switch (ds->ds_kind) {
			case SOCKET_ESP_UDP:
				dp_esp_udp_input(dp, ds, rq->rq_buf[i],
				    rq->rq_msg[i].msg_len, &rq->rq_peer[i]);
				break;
			case SOCKET_ESP_RAW:
				dp_esp_raw_input(dp, ds, rq->rq_buf[i],
				    rq->rq_msg[i].msg_len, &rq->rq_peer[i]);
				break;
			case SOCKET_L2TP_CLEAR:
				DP_COUNT(dp, DP_ST_L2TP_CLEAR_RX);
				dp_local_addr(mh, ds, &local);
				dp_l2tp_input(dp, NULL, &rq->rq_peer[i], &local,
				    rq->rq_buf[i], rq->rq_msg[i].msg_len);
				break;
			}
		}
		if (n < DP_BATCH)
			break;
	}
	dp_tx_flush(dp);
}

/* The UDP/1701 socket l2tp's answer leaves from: the one on lt_local. */
struct dp_sock *
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

/*
 * CTRL_OUT.  lt_sa 0: in the clear, from the UDP/1701 socket on
 * lt_local.  Otherwise through that SA's peer's newest live SA -- the
 * one l2tp remembers may have been rekeyed away meanwhile -- or, if it
 * is gone, the newest one to lt_peer.
 */
static int
dp_l2tp_output(struct datapath *dp, struct imsg *im)
{
	struct msg_l2tp_ctrl	 lt;
	struct dp_sock		*ds;
	struct dp_sa		*sa;
	uint8_t			*slot;

	if (im->datalen < sizeof(lt))
		return (-1);
	memcpy(&lt, im->data, sizeof(lt));
	if (lt.lt_len != im->datalen - sizeof(lt) ||
	    lt.lt_len > MSG_L2TP_CTRL_MAX || sockaddr_len(&lt.lt_peer) == 0)
		return (-1);
	slot = dp_tx_slot(dp);
	memcpy(slot + DP_OFF_L2TP, (uint8_t *)im->data + sizeof(lt),
	    lt.lt_len);
	if (lt.lt_sa != 0) {
		if ((sa = dp_sa_find(dp, lt.lt_sa)) != NULL)
			sa = dp_sa_for_peer(dp, &sa->dsa_peer);
		else
			sa = dp_sa_for_peer(dp, &lt.lt_peer);
		if (sa == NULL || dp_sa_output(dp, sa, slot, lt.lt_len) == -1) {
			DP_COUNT(dp, DP_ST_CTRL_NO_SA);
			return (0);
		}
	} else {
		if ((ds = dp_sock_for(dp, &lt.lt_local)) == NULL) {
			/* l2tp answered on an address we do not listen on. */
			return (-1);
		}
		dp_tx_commit(dp, ds, &lt.lt_peer, &lt.lt_local,
		    slot + DP_OFF_L2TP, lt.lt_len);
	}
	DP_COUNT(dp, DP_ST_CTRL_DOWN);
	dp_tx_flush(dp);
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
	struct datapath	*dp = arg;

	/*
	 * l2tp exits first in an orderly stop (the datapath carries its
	 * goodbyes until then); if it died, the parent stops us all.
	 * Either way nothing is lost by just closing our end.
	 */
	if (error == EBADMSG)
		fatalx("malformed message from the l2tp child");
	log_debug("the l2tp child closed its channel");
	chan_close(cn);
	dp->dp_have_l2tp = 0;
}

int
datapath_socket(struct datapath *dp, int fd, const void *data, size_t len)
{
	struct msg_socket	 ms;
	struct dp_sock		*ds;
	int			 flags;

	if (fd == -1 || len != sizeof(ms))
		return (-1);
	memcpy(&ms, data, sizeof(ms));
	switch (ms.ms_kind) {
	case SOCKET_CHANNEL:
		if (ms.ms_peer_role != PROC_L2TP || dp->dp_have_l2tp)
			return (-1);
		if (chan_init(&dp->dp_l2tp, dp->dp_base, fd,
		    MSG_CHILD_MAXMSG, 0, dp_l2tp_dispatch, dp_l2tp_closed,
		    dp) == -1)
			fatal("channel to l2tp");
		dp->dp_have_l2tp = 1;
		return (0);
	case SOCKET_TUN:
		if (dp->dp_tun != NULL || ms.ms_local.ss_family != AF_UNSPEC)
			return (-1);
		/* Non-blocking already, the parent says; cheap to be sure. */
		if ((flags = fcntl(fd, F_GETFL)) == -1 ||
		    fcntl(fd, F_SETFL, flags | O_NONBLOCK) == -1)
			fatal("TUN descriptor");
		dp->dp_tun = dp_tun_new(dp, fd, NULL);
		return (0);
	case SOCKET_L2TP_CLEAR:
	case SOCKET_ESP_UDP:
	case SOCKET_ESP_RAW:
		if (ms.ms_local.ss_family != AF_INET &&
		    ms.ms_local.ss_family != AF_INET6)
			return (-1);
		if ((ds = calloc(1, sizeof(*ds))) == NULL)
			fatal("calloc");
		ds->ds_dp = dp;
		ds->ds_fd = fd;
		ds->ds_kind = ms.ms_kind;
		ds->ds_local = ms.ms_local;
		ds->ds_wild = dp_addr_is_any(&ds->ds_local);
		event_assign(&ds->ds_ev, dp->dp_base, fd,
		    EV_READ | EV_PERSIST, dp_sock_read, ds);
		event_add(&ds->ds_ev, NULL);
		TAILQ_INSERT_TAIL(&dp->dp_socks, ds, ds_entry);
		return (0);
	default:
		return (-1);
	}
}

void
dp_counters_send(struct datapath *dp, uint32_t kind, uint32_t id,
    uint64_t rx_bytes, uint64_t tx_bytes, uint64_t rx_packets,
    uint64_t tx_packets)
{
	struct msg_dp_counters	 dc;

	memset(&dc, 0, sizeof(dc));
	dc.dc_kind = kind;
	dc.dc_id = id;
	dc.dc_rx_bytes = rx_bytes;
	dc.dc_tx_bytes = tx_bytes;
	dc.dc_rx_packets = rx_packets;
	dc.dc_tx_packets = tx_packets;
	(void)child_compose(dp->dp_child, MSG_DP_COUNTERS, 0, -1, &dc,
	    sizeof(dc));
}

/*
 * Every DP_REPORT_SECS: the totals of each session and SA whose packet
 * counts moved since the last report, and the time lifetimes.
 */
void
datapath_report(struct datapath *dp)
{
	struct dp_session	*dse;
	struct dp_sa		*sa;

	TAILQ_FOREACH(dse, &dp->dp_sessions, dse_entry)
		dp_session_report(dp, dse, 0);
	TAILQ_FOREACH(sa, &dp->dp_sas, dsa_entry) {
		dp_sa_report(dp, sa, 0);
		dp_sa_check_time(dp, sa);
	}
}

static void
dp_report_timer(int fd, short events, void *arg)
{
	(void)fd;
	(void)events;
	datapath_report(arg);
}
