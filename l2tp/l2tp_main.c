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
#include <netinet/in.h>

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/addr.h"
#include "common/child.h"
#include "common/log.h"
#include "common/msg.h"
#include "common/sandbox.h"
#include "imsg/imsg.h"
#include "l2tp.h"

/*
 * The l2tp child: L2TP control connections and sessions (tunnel.c,
 * session.c).  This file is its I/O shim.  With the kernel data path it
 * reads and writes UDP/1701 itself: the listeners the parent bound
 * (SOCKET_L2TP_KERNEL), and each tunnel's own connected socket once the
 * parent has attached the kernel tunnel to it; what arrives there came
 * through the kernel's IPsec policy (MSG_SA_KERNEL).  With the userspace
 * data path control datagrams come from and
 * go to the datapath child with their outer addresses and the SA they
 * came through; tunnel and session state changes go to the parent.
 */

static struct l2tp_ctx	 l2tp_ctx;

/* A UDP/1701 listener of the kernel data path. */
struct l2tp_ksock {
	TAILQ_ENTRY(l2tp_ksock)	 ks_entry;
	struct l2tp_ctx		*ks_ctx;
	int			 ks_fd;
	struct event		 ks_ev;
	struct sockaddr_storage	 ks_local;
};

/* The listener a tunnel's local address belongs to (or a wildcard one). */
static struct l2tp_ksock *
l2tp_ksock_for(struct l2tp_ctx *lx, const struct sockaddr_storage *local)
{
	struct l2tp_ksock	*ks, *wild = NULL;

	TAILQ_FOREACH(ks, &lx->lx_ksocks, ks_entry) {
		if (ks->ks_local.ss_family != local->ss_family)
			continue;
		if (sockaddr_cmp(&ks->ks_local, local) == 0)
			return (ks);
		if (ks->ks_local.ss_family == AF_INET &&
		    ((const struct sockaddr_in *)&ks->ks_local)->sin_addr.s_addr
		    == htonl(INADDR_ANY))
			wild = ks;
	}
	return (wild);
}

/* From a listener, with the tunnel's local address as the source. */
static int
l2tp_ksock_send(struct l2tp_ksock *ks, const struct sockaddr_storage *peer,
    const struct sockaddr_storage *local, const uint8_t *pkt, size_t len)
{
	struct msghdr		 mh;
	struct iovec		 iov;
	union {
		struct cmsghdr	 hdr;
		uint8_t		 buf[CMSG_SPACE(sizeof(struct in_pktinfo))];
	}			 cm;
	struct cmsghdr		*c;
	struct in_pktinfo	 pi;

	memset(&mh, 0, sizeof(mh));
	iov.iov_base = (void *)(uintptr_t)pkt;
	iov.iov_len = len;
	mh.msg_name = (void *)(uintptr_t)peer;
	mh.msg_namelen = sockaddr_len(peer);
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	if (local->ss_family == AF_INET) {
		memset(&cm, 0, sizeof(cm));
		memset(&pi, 0, sizeof(pi));
		pi.ipi_spec_dst =
		    ((const struct sockaddr_in *)local)->sin_addr;
		mh.msg_control = cm.buf;
		mh.msg_controllen = sizeof(cm.buf);
		c = CMSG_FIRSTHDR(&mh);
		c->cmsg_level = IPPROTO_IP;
		c->cmsg_type = IP_PKTINFO;
		c->cmsg_len = CMSG_LEN(sizeof(pi));
		memcpy(CMSG_DATA(c), &pi, sizeof(pi));
	}
	return (sendmsg(ks->ks_fd, &mh, MSG_DONTWAIT) == (ssize_t)len ? 0 :
	    -1);
}

int
l2tp_send(struct l2tp_tunnel *tun, const uint8_t *pkt, size_t len)
{
	struct l2tp_ctx		*lx = tun->tun_ctx;
	struct l2tp_ksock	*ks;
	struct msg_l2tp_ctrl	 lt;
	uint8_t			 buf[sizeof(lt) + MSG_L2TP_CTRL_MAX];

	/* Kernel data path: the tunnel's socket, else a listener. */
	if (tun->tun_fd != -1)
		return (send(tun->tun_fd, pkt, len, MSG_DONTWAIT) ==
		    (ssize_t)len ? 0 : -1);
	if (!TAILQ_EMPTY(&lx->lx_ksocks)) {
		if ((ks = l2tp_ksock_for(lx, &tun->tun_local)) == NULL)
			return (-1);
		return (l2tp_ksock_send(ks, &tun->tun_peer, &tun->tun_local,
		    pkt, len));
	}
	if (!lx->lx_have_dp || len > MSG_L2TP_CTRL_MAX)
		return (-1);
	memset(&lt, 0, sizeof(lt));
	lt.lt_peer = tun->tun_peer;
	lt.lt_local = tun->tun_local;
	lt.lt_sa = tun->tun_sa;
	lt.lt_len = len;
	memcpy(buf, &lt, sizeof(lt));
	memcpy(buf + sizeof(lt), pkt, len);
	return (chan_compose(&lx->lx_dp, MSG_L2TP_CTRL_OUT, 0, -1, buf,
	    sizeof(lt) + len));
}

void
l2tp_report_tunnel(struct l2tp_ctx *lx, uint32_t type,
    const struct l2tp_tunnel *tun)
{
	struct msg_tunnel	 mt;

	memset(&mt, 0, sizeof(mt));
	mt.tu_tid = tun->tun_tid;
	mt.tu_peer_tid = tun->tun_peer_tid;
	mt.tu_result = tun->tun_result;
	mt.tu_error = tun->tun_error;
	mt.tu_peer = tun->tun_peer;
	mt.tu_local = tun->tun_local;
	strlcpy(mt.tu_hostname, tun->tun_hostname, sizeof(mt.tu_hostname));
	strlcpy(mt.tu_vendor, tun->tun_vendor, sizeof(mt.tu_vendor));
	strlcpy(mt.tu_reason, tun->tun_reason, sizeof(mt.tu_reason));
	(void)child_compose(lx->lx_child, type, 0, -1, &mt, sizeof(mt));
}

void
l2tp_report_session(struct l2tp_ctx *lx, uint32_t type,
    const struct l2tp_session *ses, const char *why)
{
	const struct l2tp_tunnel	*tun = ses->ses_tun;
	struct msg_session		 ms;

	memset(&ms, 0, sizeof(ms));
	ms.se_id = ses->ses_id;
	ms.se_tid = tun->tun_tid;
	ms.se_peer_tid = tun->tun_peer_tid;
	ms.se_sid = ses->ses_sid;
	ms.se_peer_sid = ses->ses_peer_sid;
	ms.se_framing = ses->ses_framing;
	ms.se_result = ses->ses_result;
	ms.se_peer = tun->tun_peer;
	ms.se_local = tun->tun_local;
	ms.se_sa = tun->tun_sa;
	strlcpy(ms.se_connection, tun->tun_connection,
	    sizeof(ms.se_connection));
	if (why != NULL)
		strlcpy(ms.se_reason, why, sizeof(ms.se_reason));
	(void)child_compose(lx->lx_child, type, 0, -1, &ms, sizeof(ms));
}

static int
l2tp_dispatch_dp(struct chan *cn, struct imsg *im, void *arg)
{
	struct l2tp_ctx		*lx = arg;
	struct msg_l2tp_ctrl	 lt;

	(void)cn;
	if (im->hdr.type != MSG_L2TP_CTRL_IN || im->datalen < sizeof(lt)) {
		log_warnx("unexpected %s from datapath",
		    msg_type_name(im->hdr.type));
		return (CHAN_BAD);
	}
	memcpy(&lt, im->data, sizeof(lt));
	if (lt.lt_len != im->datalen - sizeof(lt) ||
	    lt.lt_len > MSG_L2TP_CTRL_MAX ||
	    sockaddr_len(&lt.lt_peer) == 0 ||
	    lt.lt_peer.ss_family != lt.lt_local.ss_family) {
		log_warnx("malformed %s from datapath",
		    msg_type_name(im->hdr.type));
		return (CHAN_BAD);
	}
	if (!lx->lx_have_conf)
		return (CHAN_OK);
	tunnel_ctrl_input(lx, &lt.lt_peer, &lt.lt_local, lt.lt_sa,
	    (const uint8_t *)im->data + sizeof(lt), lt.lt_len);
	return (CHAN_OK);
}

static void
l2tp_dp_closed(struct chan *cn, int error, void *arg)
{
	struct l2tp_ctx	*lx = arg;

	/* A datapath that dies stops the daemon; the parent sees to it. */
	if (error == EBADMSG)
		fatalx("malformed message from the datapath child");
	log_debug("the datapath child closed its channel");
	chan_close(cn);
	lx->lx_have_dp = 0;
}

/* A datagram on a listener: control from a peer, or junk. */
static void
l2tp_ksock_read(int fd, short events, void *arg)
{
	struct l2tp_ksock	*ks = arg;
	struct l2tp_ctx		*lx = ks->ks_ctx;
	struct sockaddr_storage	 peer, local;
	struct msghdr		 mh;
	struct iovec		 iov;
	struct cmsghdr		*c;
	union {
		struct cmsghdr	 hdr;
		uint8_t		 buf[CMSG_SPACE(sizeof(struct in_pktinfo))];
	}			 cm;
	uint8_t			 buf[MSG_L2TP_CTRL_MAX];
	ssize_t			 n;
	int			 i;

	(void)events;
	for (i = 0; i < 32; i++) {
		memset(&mh, 0, sizeof(mh));
		memset(&peer, 0, sizeof(peer));
		iov.iov_base = buf;
		iov.iov_len = sizeof(buf);
		mh.msg_name = &peer;
		mh.msg_namelen = sizeof(peer);
		mh.msg_iov = &iov;
		mh.msg_iovlen = 1;
		mh.msg_control = cm.buf;
		mh.msg_controllen = sizeof(cm.buf);
		if ((n = recvmsg(fd, &mh, MSG_DONTWAIT)) == -1) {
			if (errno != EAGAIN && errno != EINTR)
				log_warn("UDP/1701");
			return;
		}
		local = ks->ks_local;
		for (c = CMSG_FIRSTHDR(&mh); c != NULL;
		    c = CMSG_NXTHDR(&mh, c)) {
			struct in_pktinfo pi;

			if (c->cmsg_level != IPPROTO_IP ||
			    c->cmsg_type != IP_PKTINFO ||
			    local.ss_family != AF_INET)
				continue;
			memcpy(&pi, CMSG_DATA(c), sizeof(pi));
			((struct sockaddr_in *)&local)->sin_addr = pi.ipi_addr;
		}
		if ((mh.msg_flags & MSG_TRUNC) ||
		    peer.ss_family != local.ss_family || !lx->lx_have_conf) {
			lx->lx_stats.ls_malformed++;
			continue;
		}
		tunnel_ctrl_input(lx, &peer, &local, MSG_SA_KERNEL, buf,
		    (size_t)n);
	}
}

/*
 * A datagram on a tunnel's own socket.  One per call: the input may end
 * the tunnel, and with it this event and (after the call) the socket.
 */
static void
l2tp_tunsock_read(int fd, short events, void *arg)
{
	struct l2tp_tunnel	*tun = arg;
	struct l2tp_ctx		*lx = tun->tun_ctx;
	struct sockaddr_storage	 peer = tun->tun_peer, local = tun->tun_local;
	uint8_t			 buf[MSG_L2TP_CTRL_MAX];
	ssize_t			 n;

	(void)events;
	if ((n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT | MSG_TRUNC)) == -1) {
		/* ICMP errors show up here on a connected socket. */
		if (errno != EAGAIN && errno != EINTR)
			log_debug("tunnel %u: %s", tun->tun_tid,
			    strerror(errno));
		return;
	}
	if ((size_t)n > sizeof(buf)) {
		lx->lx_stats.ls_malformed++;
		return;
	}
	tunnel_ctrl_input(lx, &peer, &local, MSG_SA_KERNEL, buf, (size_t)n);
}

static void
l2tp_tunsock_attach(struct l2tp_tunnel *tun)
{
	event_assign(&tun->tun_fd_ev, tun->tun_ctx->lx_base, tun->tun_fd,
	    EV_READ | EV_PERSIST, l2tp_tunsock_read, tun);
	if (event_add(&tun->tun_fd_ev, NULL) == -1)
		fatalx("event_add");
	tun->tun_fd_ev_set = 1;
}

/*
 * A new tunnel of the peer's got its own socket: any other tunnel of the
 * same peer gives its socket up.  Both are bound to our 1701 and
 * connected to the peer's, and the kernel delivers a datagram for that
 * 4-tuple to either of them (a socket that last received on this CPU
 * scores higher): L2TP data for the new tunnel's sessions would land in
 * the old kernel tunnel, which has no such session, and be lost.
 *   - A closing tunnel (lingering after a StopCCN, RFC 2661 5.7) only
 *     loses its socket: control messages find their tunnel by id
 *     whichever socket they come in on, so it still acknowledges a
 *     retransmitted StopCCN, through the listener (server role).
 *   - A live one is over: the peer opened a new control connection
 *     from the same address and port (it restarted), and the kernel
 *     cannot carry both.  It is stopped (its StopCCN goes out through
 *     the listener, or nowhere), its calls cleared.
 * The parent closed its own copies of the old socket already.
 */
static void
l2tp_release_stale(struct l2tp_ctx *lx, const struct l2tp_tunnel *tun)
{
	struct l2tp_tunnel	*o, *next;
	int			 live;

	TAILQ_FOREACH_SAFE(o, &lx->lx_tunnels, tun_entry, next) {
		if (o == tun || o->tun_dead || o->tun_fd == -1 ||
		    sockaddr_cmp(&o->tun_peer, &tun->tun_peer) != 0 ||
		    sockaddr_cmp(&o->tun_local, &tun->tun_local) != 0)
			continue;
		live = o->tun_state != TUN_CLOSING;
		if (o->tun_fd_ev_set) {
			event_del(&o->tun_fd_ev);
			o->tun_fd_ev_set = 0;
		}
		close(o->tun_fd);
		o->tun_fd = -1;
		log_debug("tunnel %u: its socket goes to tunnel %u of the "
		    "same peer", o->tun_tid, tun->tun_tid);
		if (live)
			tunnel_stop(o, L2TP_STOPCCN_CLEAR, L2TP_ERR_NONE,
			    "the peer opened a new control connection from "
			    "the same address and port");
	}
}

/* MSG_L2TP_TUNNEL_SOCKET: the kernel tunnel is on this socket now. */
static int
l2tp_tunnel_socket(struct l2tp_ctx *lx, int fd, struct imsg *im)
{
	struct msg_l2tp_tunsock	 lk;
	struct l2tp_tunnel	*tun;

	if (fd == -1 || imsg_get_exact(im, &lk, sizeof(lk)) == -1 ||
	    lk.lk_tid == 0 || lk.lk_tid > UINT16_MAX) {
		if (fd != -1)
			close(fd);
		return (-1);
	}
	if ((tun = tunnel_find(lx, (uint16_t)lk.lk_tid)) == NULL ||
	    tun->tun_dead || tun->tun_fd != -1) {
		/* Gone meanwhile (or dialled with one): nothing to do. */
		close(fd);
		return (0);
	}
	tun->tun_fd = fd;
	l2tp_tunsock_attach(tun);
	l2tp_release_stale(lx, tun);
	log_debug("tunnel %u: on its own socket", tun->tun_tid);
	return (0);
}

static int
l2tp_socket(struct l2tp_ctx *lx, int fd, const void *data, size_t len)
{
	struct msg_socket	 ms;
	struct l2tp_ksock	*ks;

	if (fd == -1 || len != sizeof(ms))
		return (-1);
	memcpy(&ms, data, sizeof(ms));
	if (ms.ms_kind == SOCKET_L2TP_KERNEL) {
		if (sockaddr_len(&ms.ms_local) == 0 ||
		    (ks = calloc(1, sizeof(*ks))) == NULL)
			return (-1);
		ks->ks_ctx = lx;
		ks->ks_fd = fd;
		ks->ks_local = ms.ms_local;
		event_assign(&ks->ks_ev, lx->lx_base, fd, EV_READ | EV_PERSIST,
		    l2tp_ksock_read, ks);
		if (event_add(&ks->ks_ev, NULL) == -1)
			fatalx("event_add");
		TAILQ_INSERT_TAIL(&lx->lx_ksocks, ks, ks_entry);
		return (0);
	}
	if (ms.ms_kind != SOCKET_CHANNEL || ms.ms_peer_role != PROC_DATAPATH ||
	    lx->lx_have_dp)
		return (-1);
	if (chan_init(&lx->lx_dp, lx->lx_base, fd, MSG_CHILD_MAXMSG, 0,
	    l2tp_dispatch_dp, l2tp_dp_closed, lx) == -1)
		fatal("channel to datapath");
	lx->lx_have_dp = 1;
	return (0);
}

static int
l2tp_config(struct l2tp_ctx *lx, struct imsg *im)
{
	struct msg_l2tp_config	 lc;

	if (imsg_get_exact(im, &lc, sizeof(lc)) == -1 ||
	    !msg_str_ok(lc.lc_hostname, sizeof(lc.lc_hostname)) ||
	    lc.lc_secret_len > sizeof(lc.lc_secret) ||
	    lc.lc_max_tunnels_per_peer == 0 ||
	    lc.lc_max_sessions_per_tunnel == 0 || lc.lc_max_sessions == 0 ||
	    lc.lc_retries == 0) {
		explicit_bzero(&lc, sizeof(lc));
		return (-1);
	}
	/* The old secret goes; live tunnels keep their state. */
	explicit_bzero(&lx->lx_conf, sizeof(lx->lx_conf));
	lx->lx_conf = lc;
	lx->lx_have_conf = 1;
	explicit_bzero(&lc, sizeof(lc));
	return (0);
}

static void
l2tp_ctl_end(struct l2tp_ctx *lx, uint32_t peerid, int code, const char *msg)
{
	struct ctl_result	 res;

	memset(&res, 0, sizeof(res));
	res.cr_code = code;
	strlcpy(res.cr_msg, msg, sizeof(res.cr_msg));
	(void)child_compose(lx->lx_child, MSG_CTL_END, peerid, -1, &res,
	    sizeof(res));
}

/* `show tunnels`: each tunnel, then its sessions. */
static void
l2tp_ctl_show_tunnels(struct l2tp_ctx *lx, uint32_t peerid)
{
	struct l2tp_tunnel		*tun;
	struct l2tp_session		*ses;
	const struct l2tp_rel_stats	*st;
	struct ctl_tunnel		 ct;
	struct ctl_tunnel_session	 cs;
	time_t				 now = time(NULL);

	TAILQ_FOREACH(tun, &lx->lx_tunnels, tun_entry) {
		/* A closed tunnel lingers only to re-ack (5.7): not shown. */
		if (tun->tun_dead ||
		    (tun->tun_state == TUN_CLOSING && !tun->tun_reported))
			continue;
		memset(&ct, 0, sizeof(ct));
		ct.ct_tid = tun->tun_tid;
		ct.ct_peer_tid = tun->tun_peer_tid;
		ct.ct_age_s = (uint32_t)(now - tun->tun_created);
		ct.ct_nsessions = tun->tun_nsessions;
		st = l2tp_rel_stats(&tun->tun_rel);
		ct.ct_tx = st->rs_tx;
		ct.ct_rx = st->rs_rx;
		ct.ct_retransmits = st->rs_retransmits;
		sockaddr_str(&tun->tun_peer, ct.ct_peer, sizeof(ct.ct_peer));
		strlcpy(ct.ct_host, tun->tun_hostname, sizeof(ct.ct_host));
		strlcpy(ct.ct_vendor, tun->tun_vendor, sizeof(ct.ct_vendor));
		strlcpy(ct.ct_state, tunnel_state_name(tun->tun_state),
		    sizeof(ct.ct_state));
		(void)child_compose(lx->lx_child, MSG_CTL_TUNNEL, peerid, -1,
		    &ct, sizeof(ct));
		TAILQ_FOREACH(ses, &tun->tun_sessions, ses_entry) {
			memset(&cs, 0, sizeof(cs));
			cs.cs_id = ses->ses_id;
			cs.cs_sid = ses->ses_sid;
			cs.cs_peer_sid = ses->ses_peer_sid;
			cs.cs_age_s = (uint32_t)(now - ses->ses_created);
			strlcpy(cs.cs_state, session_state_name(ses->ses_state),
			    sizeof(cs.cs_state));
			(void)child_compose(lx->lx_child,
			    MSG_CTL_TUNNEL_SESSION, peerid, -1, &cs,
			    sizeof(cs));
		}
	}
	l2tp_ctl_end(lx, peerid, 0, "ok");
}

/* `disconnect session ID`: CDN, result 3 (administrative, 4.4.2). */
static int
l2tp_ctl_disconnect(struct l2tp_ctx *lx, struct imsg *im)
{
	struct ctl_target	 tgt;
	struct l2tp_session	*ses;
	char			 msg[CTL_RESULT_MSG], *end;
	unsigned long		 id;

	if (imsg_get_exact(im, &tgt, sizeof(tgt)) == -1 ||
	    !msg_str_ok(tgt.ct_name, sizeof(tgt.ct_name)) ||
	    tgt.ct_kind != CTL_TGT_SESSION)
		return (-1);
	errno = 0;
	id = strtoul(tgt.ct_name, &end, 10);
	if (tgt.ct_name[0] == '\0' || *end != '\0' || errno != 0 ||
	    id == 0 || id > UINT32_MAX ||
	    (ses = tunnel_find_session(lx, (uint32_t)id)) == NULL) {
		snprintf(msg, sizeof(msg), "no session %s", tgt.ct_name);
		l2tp_ctl_end(lx, im->hdr.peerid, 1, msg);
		return (0);
	}
	session_disconnect(ses, L2TP_CDN_ADMIN, L2TP_ERR_NONE,
	    "disconnected by the administrator");
	snprintf(msg, sizeof(msg), "session %lu disconnected", id);
	l2tp_ctl_end(lx, im->hdr.peerid, 0, msg);
	return (0);
}

/* PPP ended (or an administrator ended it): clear the call (CDN). */
static int
l2tp_close(struct l2tp_ctx *lx, struct imsg *im)
{
	struct msg_session_ref	 sr;
	struct l2tp_session	*ses;

	if (imsg_get_exact(im, &sr, sizeof(sr)) == -1 ||
	    !msg_str_ok(sr.sr_reason, sizeof(sr.sr_reason)))
		return (-1);
	if ((ses = tunnel_find_session(lx, sr.sr_id)) != NULL)
		session_disconnect(ses, L2TP_CDN_ADMIN, L2TP_ERR_NONE,
		    sr.sr_reason[0] != '\0' ? sr.sr_reason : "PPP ended");
	return (0);
}

static int
l2tp_dispatch_parent(struct child *ch, struct imsg *im)
{
	struct msg_ctl_show	 cw;

	(void)ch;
	switch (im->hdr.type) {
	case MSG_CTL_SHOW:
		if (imsg_get_exact(im, &cw, sizeof(cw)) == -1 ||
		    cw.cw_what != CTL_SHOW_TUNNELS)
			return (-1);
		l2tp_ctl_show_tunnels(&l2tp_ctx, im->hdr.peerid);
		return (0);
	case MSG_CTL_DISCONNECT:
		return (l2tp_ctl_disconnect(&l2tp_ctx, im));
	case MSG_L2TP_CLOSE:
		return (l2tp_close(&l2tp_ctx, im));
	case MSG_L2TP_DIAL: {
		struct msg_l2tp_dial ld;
		struct l2tp_tunnel *tun;
		int fd = imsg_take_fd(im);

		if (imsg_get_exact(im, &ld, sizeof(ld)) == -1 ||
		    !msg_str_ok(ld.ld_connection, sizeof(ld.ld_connection)) ||
		    ld.ld_connection[0] == '\0' ||
		    sockaddr_len(&ld.ld_peer) == 0 ||
		    ld.ld_peer.ss_family != ld.ld_local.ss_family) {
			if (fd != -1)
				close(fd);
			return (-1);
		}
		/* Kernel data path: the SCCRQ leaves from this socket. */
		if (fd != -1) {
			l2tp_ctx.lx_dial_fd = fd;
			l2tp_ctx.lx_have_dial_fd = 1;
		}
		tun = tunnel_dial(&l2tp_ctx, &ld.ld_peer, &ld.ld_local,
		    ld.ld_sa);
		if (l2tp_ctx.lx_have_dial_fd) {
			/* tunnel_new() did not take it. */
			close(l2tp_ctx.lx_dial_fd);
			l2tp_ctx.lx_have_dial_fd = 0;
		}
		if (tun == NULL) {
			log_warnx("connection %s: could not dial",
			    ld.ld_connection);
			return (0);
		}
		if (tun->tun_fd != -1) {
			l2tp_tunsock_attach(tun);
			l2tp_release_stale(&l2tp_ctx, tun);
		}
		/* Read at SCCRP: the tunnel then places its one call. */
		strlcpy(tun->tun_connection, ld.ld_connection,
		    sizeof(tun->tun_connection));
		return (0);
	}
	case MSG_CONFIG_RESET:
	case MSG_CONFIG_END:
		return (im->datalen == 0 ? 0 : -1);
	case MSG_L2TP_CONFIG:
		return (l2tp_config(&l2tp_ctx, im));
	case MSG_SOCKET:
		return (l2tp_socket(&l2tp_ctx, imsg_take_fd(im), im->data,
		    im->datalen));
	case MSG_L2TP_TUNNEL_SOCKET:
		return (l2tp_tunnel_socket(&l2tp_ctx, imsg_take_fd(im), im));
	default:
		return (-1);
	}
}

static int
l2tp_start(struct child *ch)
{
	struct l2tp_ctx	*lx = &l2tp_ctx;

	memset(lx, 0, sizeof(*lx));
	lx->lx_child = ch;
	lx->lx_base = ch->ch_base;
	TAILQ_INIT(&lx->lx_tunnels);
	TAILQ_INIT(&lx->lx_ksocks);
	return (0);
}

/* 5.7: every peer hears a StopCCN before we go. */
static void
l2tp_shutdown(struct child *ch)
{
	struct l2tp_ctx	*lx = &l2tp_ctx;

	(void)ch;
	tunnel_stop_all(lx, L2TP_STOPCCN_SHUTDOWN, "l2tpsecd is shutting down");
	if (lx->lx_have_dp)
		(void)imsgbuf_flush(&lx->lx_dp.cn_ib);
	explicit_bzero(&lx->lx_conf, sizeof(lx->lx_conf));
}

/* Control datagrams relayed to us and what became of the dropped ones. */
static void
l2tp_stats(struct child *ch, struct msg_stats *ss)
{
	const struct l2tp_stats	*st = &l2tp_ctx.lx_stats;

	(void)ch;
	child_stat(ss, "l2tp-ctrl-rx", st->ls_rx);
	child_stat(ss, "l2tp-ctrl-tx", st->ls_tx);
	child_stat(ss, "l2tp-ctrl-malformed", st->ls_malformed);
	child_stat(ss, "l2tp-ctrl-no-tunnel", st->ls_no_tunnel);
	child_stat(ss, "l2tp-sccrq-refused", st->ls_refused);
}

static const struct child_role l2tp_role = {
	.cr_role = PROC_L2TP,
	.cr_policy = &l2tp_sandbox_policy,
	.cr_preload = NULL,
	.cr_dispatch = l2tp_dispatch_parent,
	.cr_start = l2tp_start,
	.cr_shutdown = l2tp_shutdown,
	.cr_stats = l2tp_stats,
};

int
l2tp_main(void)
{
	child_main(&l2tp_role);
}
