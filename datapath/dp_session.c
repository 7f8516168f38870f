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
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/addr.h"
#include "common/child.h"
#include "common/log.h"
#include "common/msg.h"
#include "datapath.h"
#include "l2tp/l2tp_parse.h"

/*
 * L2TP data sessions (RFC 2661 5.3-5.4): data for (our tunnel, our
 * session) from the peer the session belongs to, through the path it
 * was set up on (an SA to that peer, or the clear); PPP frames in them
 * go to the TUN (IPv4 once IPCP is open) or up to ppp (everything else,
 * so ppp can Protocol-Reject).
 */

static unsigned int
dp_ses_hash(uint16_t tid, uint16_t sid)
{
	uint32_t	 k = (uint32_t)tid << 16 | sid;

	k ^= k >> 15;
	k *= 0x2c1b3c6d;
	k ^= k >> 12;
	return (k % DP_HASH);
}

static unsigned int
dp_addr_hash(uint32_t addr)
{
	uint32_t	 k = ntohl(addr);

	/* Pools are consecutive addresses: the low bits vary most. */
	k ^= k >> 16;
	k *= 0x45d9f3b;
	k ^= k >> 16;
	return (k % DP_HASH);
}

struct dp_session *
dp_session_find(struct datapath *dp, uint16_t tid, uint16_t sid)
{
	struct dp_session	*dse;

	LIST_FOREACH(dse, &dp->dp_ses_hash[dp_ses_hash(tid, sid)], dse_hash)
		if (dse->dse_tid == tid && dse->dse_sid == sid)
			return (dse);
	return (NULL);
}

struct dp_session *
dp_session_by_id(struct datapath *dp, uint32_t id)
{
	struct dp_session	*dse;

	TAILQ_FOREACH(dse, &dp->dp_sessions, dse_entry)
		if (dse->dse_id == id)
			return (dse);
	return (NULL);
}

struct dp_session *
dp_session_by_addr(struct datapath *dp, uint32_t addr)
{
	struct dp_session	*dse;

	LIST_FOREACH(dse, &dp->dp_addr_hash[dp_addr_hash(addr)],
	    dse_addr_link)
		if (dse->dse_addr == addr)
			return (dse);
	return (NULL);
}

/* The SA the session's traffic leaves through, cached per SA change. */
static struct dp_sa *
dp_session_sa(struct datapath *dp, struct dp_session *dse)
{
	if (dse->dse_orphan)
		return (NULL);
	if (dse->dse_out != NULL && dse->dse_out_gen == dp->dp_sa_gen)
		return (dse->dse_out);
	dse->dse_out = dp_sa_for_peer(dp, &dse->dse_peer);
	dse->dse_out_gen = dp->dp_sa_gen;
	return (dse->dse_out);
}

/*
 * A PPP frame to the peer: Protocol and Information at slot +
 * DP_OFF_PROTO, len bytes.  FF 03 in front (RFC 2661 5.3: the
 * clients and the kernel's PPPoL2TP expect it), our L2TP data header
 * with the peer's ids (L bit, no sequence numbers: 3.1), then the clear
 * socket or the session's SA.
 */
int
dp_session_output(struct datapath *dp, struct dp_session *dse,
    uint8_t *slot, size_t len)
{
	struct dp_sock	*ds;
	struct dp_sa	*sa;
	size_t		 l2tplen = DP_L2TP_DATA_HDRLEN + 2 + len;

	slot[DP_OFF_PPP] = 0xff;
	slot[DP_OFF_PPP + 1] = 0x03;
	dp_l2tp_data_put(slot + DP_OFF_L2TP, l2tplen, dse->dse_peer_tid,
	    dse->dse_peer_sid);
	if (dse->dse_sa == 0) {
		if ((ds = dp_sock_for(dp, &dse->dse_local)) == NULL) {
			DP_COUNT(dp, DP_ST_TX_ERRORS);
			return (-1);
		}
		dp_tx_commit(dp, ds, &dse->dse_peer, &dse->dse_local,
		    slot + DP_OFF_L2TP, l2tplen);
		return (0);
	}
	if ((sa = dp_session_sa(dp, dse)) == NULL) {
		DP_COUNT(dp, DP_ST_SESSION_NO_SA);
		return (-1);
	}
	if (dp_sa_output(dp, sa, slot, l2tplen) == -1)
		return (-1);
	return (0);
}

/* Frames from ppp (Protocol + Information) for the peer. */
static void
dp_session_read(int fd, short events, void *arg)
{
	struct dp_session	*dse = arg;
	struct datapath		*dp = dse->dse_dp;
	uint8_t			*slot;
	ssize_t			 n;
	int			 i;

	(void)events;
	for (i = 0; i < 16; i++) {
		slot = dp_tx_slot(dp);
		/* MSG_TRUNC: the frame's real length, to see it was cut. */
		n = recv(fd, slot + DP_OFF_PROTO, DP_FRAME_MAX,
		    MSG_DONTWAIT | MSG_TRUNC);
		if (n == -1 && (errno == EAGAIN || errno == EINTR))
			break;
		if (n <= 0) {
			/* ppp closed its end; the parent removes the rest. */
			event_del(&dse->dse_ev);
			break;
		}
		if ((size_t)n > DP_FRAME_MAX) {
			DP_COUNT(dp, DP_ST_PPP_TRUNCATED);
			continue;
		}
		if (n < 2) {
			DP_COUNT(dp, DP_ST_PPP_SHORT);
			continue;
		}
		(void)dp_session_output(dp, dse, slot, (size_t)n);
	}
	dp_tx_flush(dp);
}

/*
 * L2TP data from a peer, through SA sa (NULL: in the clear, from peer).
 * The ids are guessable; what counts is that it came the way the
 * session was set up: in the clear from the same address:port, or
 * through an SA to the same peer -- any of them, as a rekey makes new
 * ones, but only while that peer kept at least one SA throughout.
 */
void
dp_l2tp_data_input(struct datapath *dp, struct dp_sa *sa,
    const struct sockaddr_storage *peer, const uint8_t *pkt, size_t len)
{
	struct l2tp_hdr		 hdr;
	struct dp_session	*dse;
	struct dp_ppp		 pp;
	const uint8_t		*frame;
	size_t			 flen;

	if (l2tp_data_parse(pkt, len, &hdr) != L2TP_P_OK) {
		DP_COUNT(dp, DP_ST_L2TP_MALFORMED);
		return;
	}
	if ((dse = dp_session_find(dp, hdr.h_tunnel_id,
	    hdr.h_session_id)) == NULL) {
		DP_COUNT(dp, DP_ST_NO_SESSION);
		return;
	}
	if ((sa == NULL) != (dse->dse_sa == 0) || dse->dse_orphan ||
	    sockaddr_cmp(&dse->dse_peer, peer) != 0) {
		DP_COUNT(dp, DP_ST_WRONG_PEER);
		return;
	}
	frame = pkt + hdr.h_hdrlen;
	flen = hdr.h_msglen - hdr.h_hdrlen;
	if (dp_ppp_parse(frame, flen, &pp) != DP_P_OK) {
		DP_COUNT(dp, DP_ST_PPP_SHORT);
		return;
	}
	if (pp.pp_proto == DP_PPP_IPV4 && dse->dse_routed) {
		dp_tun_write(dp, dse, frame + pp.pp_info, flen - pp.pp_info);
		return;
	}
	if (send(dse->dse_fd, frame + pp.pp_off, flen - pp.pp_off,
	    MSG_DONTWAIT) == -1) {
		DP_COUNT(dp, DP_ST_PPP_DROPPED);
		return;
	}
	DP_COUNT(dp, DP_ST_PPP_UP);
}

int
datapath_session_add(struct datapath *dp, int fd, const void *data,
    size_t len)
{
	struct msg_dp_session	 ms;
	struct dp_session	*dse;
	struct dp_sa		*sa;

	if (fd == -1 || len != sizeof(ms))
		return (-1);
	memcpy(&ms, data, sizeof(ms));
	if (ms.ds_ses.se_id == 0 || ms.ds_ses.se_tid == 0 ||
	    ms.ds_ses.se_sid == 0 || sockaddr_len(&ms.ds_ses.se_peer) == 0 ||
	    dp_session_find(dp, ms.ds_ses.se_tid, ms.ds_ses.se_sid) != NULL ||
	    dp_session_by_id(dp, ms.ds_ses.se_id) != NULL)
		return (-1);
	if ((dse = calloc(1, sizeof(*dse))) == NULL)
		fatal("calloc");
	dse->dse_dp = dp;
	dse->dse_id = ms.ds_ses.se_id;
	dse->dse_tid = ms.ds_ses.se_tid;
	dse->dse_sid = ms.ds_ses.se_sid;
	dse->dse_peer_tid = ms.ds_ses.se_peer_tid;
	dse->dse_peer_sid = ms.ds_ses.se_peer_sid;
	dse->dse_peer = ms.ds_ses.se_peer;
	dse->dse_local = ms.ds_ses.se_local;
	dse->dse_sa = ms.ds_sa;
	/* The SA's peer is current even if its NAT mapping moved since. */
	if (dse->dse_sa != 0 && (sa = dp_sa_find(dp, dse->dse_sa)) != NULL)
		dse->dse_peer = sa->dsa_peer;
	/* Its client's SAs all went while the call was set up. */
	if (dse->dse_sa != 0 && !dp_sa_peer_known(dp, &dse->dse_peer))
		dse->dse_orphan = 1;
	dse->dse_fd = fd;
	event_assign(&dse->dse_ev, dp->dp_base, fd, EV_READ | EV_PERSIST,
	    dp_session_read, dse);
	event_add(&dse->dse_ev, NULL);
	TAILQ_INSERT_TAIL(&dp->dp_sessions, dse, dse_entry);
	LIST_INSERT_HEAD(&dp->dp_ses_hash[dp_ses_hash(dse->dse_tid,
	    dse->dse_sid)], dse, dse_hash);
	return (0);
}

static void
dp_session_unroute(struct dp_session *dse)
{
	if (dse->dse_hashed) {
		LIST_REMOVE(dse, dse_addr_link);
		dse->dse_hashed = 0;
	}
	dse->dse_routed = 0;
}

static void
dp_session_free(struct datapath *dp, struct dp_session *dse)
{
	dp_session_unroute(dse);
	if (dse->dse_tun != NULL)
		dp_tun_free(dp, dse->dse_tun);
	event_del(&dse->dse_ev);
	close(dse->dse_fd);
	TAILQ_REMOVE(&dp->dp_sessions, dse, dse_entry);
	LIST_REMOVE(dse, dse_hash);
	free(dse);
}

void
dp_session_free_all(struct datapath *dp)
{
	struct dp_session	*dse;

	while ((dse = TAILQ_FIRST(&dp->dp_sessions)) != NULL)
		dp_session_free(dp, dse);
}

int
datapath_session_del(struct datapath *dp, const void *data, size_t len)
{
	struct msg_session_ref	 sr;
	struct dp_session	*dse;

	if (len != sizeof(sr))
		return (-1);
	memcpy(&sr, data, sizeof(sr));
	/* Gone already: nothing to do. */
	if ((dse = dp_session_by_id(dp, sr.sr_id)) == NULL)
		return (0);
	/* The last counts, so the audit record has every byte. */
	dp_session_report(dp, dse, 0);
	dp_session_free(dp, dse);
	return (0);
}

/*
 * MSG_DP_ROUTE: IPCP opened.  Server (no descriptor): IPv4 for dr_peer
 * on the shared TUN goes to this session, and IPv4 from it must come
 * from dr_peer.  Client role (the connection's own TUN attached):
 * everything on that TUN goes to this session, and IPv4 from it must be
 * for dr_local.  Either way IPv4 frames stop going up to ppp.
 */
int
datapath_route(struct datapath *dp, int fd, const void *data, size_t len)
{
	struct msg_dp_route	 dr;
	struct dp_session	*dse, *other;
	char			 a[INET_ADDRSTRLEN];

	if (len != sizeof(dr)) {
		if (fd != -1)
			close(fd);
		return (-1);
	}
	memcpy(&dr, data, sizeof(dr));
	if (dr.dr_peer == htonl(INADDR_ANY) ||
	    dr.dr_local == htonl(INADDR_ANY)) {
		if (fd != -1)
			close(fd);
		return (-1);
	}
	if ((dse = dp_session_by_id(dp, dr.dr_id)) == NULL) {
		/* The session ended while IPCP finished: too late. */
		if (fd != -1)
			close(fd);
		return (0);
	}
	dp_session_unroute(dse);
	if (fd != -1) {
		if (dse->dse_tun != NULL)
			dp_tun_free(dp, dse->dse_tun);
		dse->dse_tun = dp_tun_new(dp, fd, dse);
	} else {
		if ((other = dp_session_by_addr(dp, dr.dr_peer)) != NULL) {
			/* The parent hands out each address once: stale. */
			log_warnx("session %u takes %s over from session %u",
			    dse->dse_id, inet_ntop(AF_INET, &dr.dr_peer, a,
			    sizeof(a)), other->dse_id);
			dp_session_unroute(other);
		}
		LIST_INSERT_HEAD(&dp->dp_addr_hash[dp_addr_hash(dr.dr_peer)],
		    dse, dse_addr_link);
		dse->dse_hashed = 1;
	}
	dse->dse_addr = dr.dr_peer;
	dse->dse_local_addr = dr.dr_local;
	dse->dse_mtu = dr.dr_mtu;
	dse->dse_routed = 1;
	return (0);
}

/* A NAT mapping moved: sessions through SAs to old now talk to new. */
void
dp_session_move_peer(struct datapath *dp, const struct sockaddr_storage *old,
    const struct sockaddr_storage *new)
{
	struct dp_session	*dse;

	TAILQ_FOREACH(dse, &dp->dp_sessions, dse_entry)
		if (dse->dse_sa != 0 &&
		    sockaddr_cmp(&dse->dse_peer, old) == 0)
			dse->dse_peer = *new;
}

/* The last SA to peer was deleted: its sessions carry nothing more. */
void
dp_session_orphan(struct datapath *dp, const struct sockaddr_storage *peer)
{
	struct dp_session	*dse;

	TAILQ_FOREACH(dse, &dp->dp_sessions, dse_entry)
		if (dse->dse_sa != 0 &&
		    sockaddr_cmp(&dse->dse_peer, peer) == 0)
			dse->dse_orphan = 1;
}

void
dp_session_report(struct datapath *dp, struct dp_session *dse, int force)
{
	if (!force && dse->dse_rx_packets == dse->dse_rep_rx &&
	    dse->dse_tx_packets == dse->dse_rep_tx)
		return;
	dp_counters_send(dp, DP_COUNTERS_SESSION, dse->dse_id,
	    dse->dse_rx_bytes, dse->dse_tx_bytes, dse->dse_rx_packets,
	    dse->dse_tx_packets);
	dse->dse_rep_rx = dse->dse_rx_packets;
	dse->dse_rep_tx = dse->dse_tx_packets;
}
