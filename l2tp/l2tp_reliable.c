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


#include <stdlib.h>
#include <string.h>

#include "common/cursor.h"
#include "l2tp/l2tp_parse.h"
#include "l2tp/l2tp_reliable.h"

/*
 * Choices RFC 2661 5.8 leaves to the implementation:
 *
 * - The acknowledgement delay.  An in-order message is acknowledged by
 *   the Nr of whatever we send next; if nothing goes out within 100 ms a
 *   ZLB does.  The peer retransmits after 1 s (the recommended default),
 *   so the ack must be well inside that; 100 ms is a tenth of it, long
 *   enough for the reply the upper layer usually sends (SCCRP, ICRP,
 *   even after a round trip to the parent) to carry the ack instead, and
 *   it merges the acks for a burst into one ZLB.  5.8 forbids holding
 *   acks back as flow control; 100 ms is not that.
 *
 * - Out-of-order messages inside our receive window are held and
 *   delivered once the gap fills (5.8 allows this or discarding).  The
 *   window we advertise bounds how many we hold, and a legitimate peer
 *   never sends beyond it, so anything further ahead is dropped.
 *
 * - A ZLB is never answered, and neither is anything we cannot place:
 *   only a non-ZLB message, new or a duplicate, owes an ack.  That is
 *   what keeps two implementations from bouncing ZLBs forever.  Our
 *   ZLB's Ns is one past the highest Ns we ever sent (as Appendix B
 *   shows): never below what the peer expects, so even a peer that
 *   checks a ZLB's Ns (xl2tpd does, and answers an "old" one with a ZLB
 *   of its own) does not see it as a duplicate.
 *
 * - Retransmission: one timer for the oldest unacknowledged message,
 *   1 s doubling to the 8 s cap; after rp_max_retries retransmissions
 *   without progress the next expiry declares the tunnel dead: with the
 *   defaults sends at 0, 1, 3, 7, 15 and 23 s and dead at 31 s, the
 *   "full retransmission cycle" of 5.7.  On expiry CWND drops to 1
 *   (Appendix A), so only the oldest message is resent; the ones after
 *   it follow as acks reopen the window (a peer that held them acks
 *   them all at once).  Each ack that advances resets the back-off.
 */

struct l2tp_rel_msg {
	TAILQ_ENTRY(l2tp_rel_msg) rm_entry;
	uint16_t		 rm_ns;
	unsigned int		 rm_sent;
	size_t			 rm_len;
	uint8_t			 rm_buf[];
};

struct l2tp_rel_held {
	uint16_t		 rh_ns;
	size_t			 rh_len;
	uint8_t			 rh_buf[];
};

uint16_t
l2tp_seq_diff(uint16_t a, uint16_t b)
{
	return ((uint16_t)(a - b));
}

int
l2tp_seq_lt(uint16_t a, uint16_t b)
{
	uint16_t	 d = l2tp_seq_diff(b, a);

	return (d != 0 && d < 0x8000);
}

uint64_t
l2tp_rel_ms(const struct timespec *ts)
{
	return ((uint64_t)ts->tv_sec * 1000 + (uint64_t)ts->tv_nsec / 1000000);
}

void
l2tp_rel_params_default(struct l2tp_rel_params *p)
{
	memset(p, 0, sizeof(*p));
	p->rp_peer_rwin = L2TP_REL_RWIN_DEFAULT;
	p->rp_our_rwin = L2TP_REL_RWIN_DEFAULT;
	p->rp_max_retries = L2TP_REL_RETRIES_DEFAULT;
	p->rp_rto_ms = L2TP_REL_RTO_DEFAULT;
	p->rp_rto_max_ms = L2TP_REL_RTO_MAX_DEFAULT;
	p->rp_ack_delay_ms = L2TP_REL_ACK_DELAY_DEFAULT;
	p->rp_sendq_max = L2TP_REL_SENDQ_DEFAULT;
}

static uint16_t
clamp_peer_rwin(uint16_t w)
{
	if (w == 0)
		return (L2TP_REL_RWIN_DEFAULT);
	return (w > L2TP_REL_PEER_RWIN_MAX ? L2TP_REL_PEER_RWIN_MAX : w);
}

void
l2tp_rel_init(struct l2tp_rel *rl, const struct l2tp_rel_params *p)
{
	memset(rl, 0, sizeof(*rl));
	if (p != NULL)
		rl->rl_p = *p;
	else
		l2tp_rel_params_default(&rl->rl_p);
	p = &rl->rl_p;
	rl->rl_p.rp_peer_rwin = clamp_peer_rwin(p->rp_peer_rwin);
	if (p->rp_our_rwin == 0)
		rl->rl_p.rp_our_rwin = L2TP_REL_RWIN_DEFAULT;
	if (p->rp_our_rwin > L2TP_REL_RWIN_MAX)
		rl->rl_p.rp_our_rwin = L2TP_REL_RWIN_MAX;
	if (p->rp_rto_ms == 0)
		rl->rl_p.rp_rto_ms = L2TP_REL_RTO_DEFAULT;
	if (p->rp_rto_max_ms < p->rp_rto_ms)
		rl->rl_p.rp_rto_max_ms = p->rp_rto_ms;
	if (p->rp_sendq_max == 0)
		rl->rl_p.rp_sendq_max = L2TP_REL_SENDQ_DEFAULT;
	/* Sequence comparisons need the queue inside half the space. */
	if (p->rp_sendq_max > 0x7fff)
		rl->rl_p.rp_sendq_max = 0x7fff;

	TAILQ_INIT(&rl->rl_sendq);
	rl->rl_cwnd = 1;
	rl->rl_ssthresh = rl->rl_p.rp_peer_rwin;
	rl->rl_rto = rl->rl_p.rp_rto_ms;
	rl->rl_rto_at = L2TP_REL_NEVER;
}

void
l2tp_rel_free(struct l2tp_rel *rl)
{
	struct l2tp_rel_msg	*rm;
	size_t			 i;

	while ((rm = TAILQ_FIRST(&rl->rl_sendq)) != NULL) {
		TAILQ_REMOVE(&rl->rl_sendq, rm, rm_entry);
		free(rm);
	}
	rl->rl_sendq_len = 0;
	for (i = 0; i < L2TP_REL_RWIN_MAX; i++) {
		free(rl->rl_held[i]);
		rl->rl_held[i] = NULL;
	}
}

void
l2tp_rel_set_peer_rwin(struct l2tp_rel *rl, uint16_t w)
{
	if (w == 0)
		return;
	rl->rl_p.rp_peer_rwin = clamp_peer_rwin(w);
	/* Appendix A: SSTHRESH starts at the advertised window. */
	rl->rl_ssthresh = rl->rl_p.rp_peer_rwin;
	if (rl->rl_cwnd > rl->rl_p.rp_peer_rwin)
		rl->rl_cwnd = rl->rl_p.rp_peer_rwin;
}

void
l2tp_rel_set_peer_tid(struct l2tp_rel *rl, uint16_t tid)
{
	rl->rl_peer_tid = tid;
}

static void
put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v & 0xff;
}

int
l2tp_rel_send(struct l2tp_rel *rl, const uint8_t *msg, size_t len)
{
	struct l2tp_rel_msg	*rm;
	uint16_t		 flags;
	const uint16_t		 need = L2TP_HDR_T | L2TP_HDR_L | L2TP_HDR_S;

	if (rl->rl_dead || msg == NULL || len < L2TP_CTRL_HDRLEN ||
	    len > L2TP_MSG_MAXLEN)
		return (-1);
	flags = (uint16_t)(msg[0] << 8 | msg[1]);
	if ((flags & need) != need || (flags & L2TP_HDR_O))
		return (-1);
	if (rl->rl_sendq_len >= rl->rl_p.rp_sendq_max)
		return (-1);
	if ((rm = malloc(sizeof(*rm) + len)) == NULL)
		return (-1);
	memcpy(rm->rm_buf, msg, len);
	rm->rm_len = len;
	rm->rm_sent = 0;
	rm->rm_ns = rl->rl_ns_next++;
	put16(rm->rm_buf + L2TP_OFF_NS, rm->rm_ns);
	TAILQ_INSERT_TAIL(&rl->rl_sendq, rm, rm_entry);
	rl->rl_sendq_len++;
	return (0);
}

/* Every received message's Nr acknowledges our queue up to Nr - 1. */
static void
rel_ack(struct l2tp_rel *rl, uint16_t nr, uint64_t now)
{
	struct l2tp_rel_msg	*rm;
	uint16_t		 acked, i;

	acked = l2tp_seq_diff(nr, rl->rl_snd_una);
	if (acked == 0)
		return;
	/* An Nr past anything we sent is bogus (or very old): ignore it. */
	if (acked > l2tp_seq_diff(rl->rl_snd_max, rl->rl_snd_una)) {
		rl->rl_stats.rs_bad_nr++;
		return;
	}
	for (i = 0; i < acked; i++) {
		if ((rm = TAILQ_FIRST(&rl->rl_sendq)) == NULL)
			break;
		TAILQ_REMOVE(&rl->rl_sendq, rm, rm_entry);
		rl->rl_sendq_len--;
		free(rm);
		rl->rl_stats.rs_acked++;
	}
	/* After a timeout we went back; the peer may have had them all. */
	if (l2tp_seq_diff(rl->rl_snd_nxt, rl->rl_snd_una) < acked)
		rl->rl_snd_nxt = nr;
	rl->rl_snd_una = nr;
	rl->rl_retries = 0;
	rl->rl_rto = rl->rl_p.rp_rto_ms;

	/*
	 * Appendix A: one more per ACK in slow start, one more per CWND
	 * ACKs in congestion avoidance, never above the peer's window.
	 */
	if (rl->rl_cwnd < rl->rl_ssthresh)
		rl->rl_cwnd++;
	else if (++rl->rl_cwnd_acks >= rl->rl_cwnd) {
		rl->rl_cwnd++;
		rl->rl_cwnd_acks = 0;
	}
	if (rl->rl_cwnd > rl->rl_p.rp_peer_rwin)
		rl->rl_cwnd = rl->rl_p.rp_peer_rwin;

	rl->rl_rto_at = rl->rl_snd_nxt != rl->rl_snd_una ?
	    now + rl->rl_rto : L2TP_REL_NEVER;
}

static void
rel_want_ack(struct l2tp_rel *rl, uint64_t now)
{
	if (rl->rl_ack_pending)
		return;
	rl->rl_ack_pending = 1;
	rl->rl_ack_at = now + rl->rl_p.rp_ack_delay_ms;
}

enum l2tp_rel_verdict
l2tp_rel_input(struct l2tp_rel *rl, uint16_t ns, uint16_t nr, int is_zlb,
    const uint8_t *msg, size_t len, uint64_t now, l2tp_rel_deliver_fn deliver,
    void *arg)
{
	struct l2tp_rel_held	*rh;
	uint16_t		 d;
	size_t			 slot;

	if (rl->rl_dead)
		return (L2TP_REL_IGNORED);
	/* 5.8: a ZLB's Nr flushes our queue; it takes no Ns slot and is
	 * never acknowledged. */
	if (is_zlb) {
		rl->rl_stats.rs_rx_zlb++;
		rel_ack(rl, nr, now);
		return (L2TP_REL_ZLB);
	}
	if (msg == NULL || len < L2TP_CTRL_HDRLEN)
		return (L2TP_REL_IGNORED);

	/*
	 * 5.8: Ns within the 32768 values ending at the last one received
	 * is a duplicate, and "MUST be acknowledged" (our ack may have been
	 * lost); its Nr is current, retransmissions update it.
	 */
	d = l2tp_seq_diff(ns, rl->rl_rcv_nxt);
	if (d >= 0x8000) {
		rl->rl_stats.rs_duplicates++;
		rel_ack(rl, nr, now);
		rel_want_ack(rl, now);
		return (L2TP_REL_DUPLICATE);
	}
	if (d >= rl->rl_p.rp_our_rwin) {
		rl->rl_stats.rs_out_of_window++;
		return (L2TP_REL_OUT_OF_WINDOW);
	}
	rel_ack(rl, nr, now);

	if (d > 0) {
		/* Ahead of a gap: hold it for in-order delivery. */
		slot = ns % L2TP_REL_RWIN_MAX;
		if (rl->rl_held[slot] != NULL) {
			rl->rl_stats.rs_duplicates++;
			rel_want_ack(rl, now);
			return (L2TP_REL_DUPLICATE);
		}
		if (len > L2TP_REL_OOO_MAXLEN ||
		    (rh = malloc(sizeof(*rh) + len)) == NULL) {
			/* The peer retransmits it once the gap fills. */
			rl->rl_stats.rs_out_of_window++;
			return (L2TP_REL_OUT_OF_WINDOW);
		}
		rh->rh_ns = ns;
		rh->rh_len = len;
		memcpy(rh->rh_buf, msg, len);
		rl->rl_held[slot] = rh;
		rl->rl_stats.rs_reordered++;
		return (L2TP_REL_QUEUED);
	}

	/* In order: Nr moves first, so a reply sent from the callback
	 * carries the ack. */
	rl->rl_rcv_nxt++;
	rl->rl_stats.rs_rx++;
	rel_want_ack(rl, now);
	deliver(arg, msg, len);
	for (;;) {
		slot = rl->rl_rcv_nxt % L2TP_REL_RWIN_MAX;
		rh = rl->rl_held[slot];
		if (rh == NULL || rh->rh_ns != rl->rl_rcv_nxt)
			break;
		rl->rl_held[slot] = NULL;
		rl->rl_rcv_nxt++;
		rl->rl_stats.rs_rx++;
		deliver(arg, rh->rh_buf, rh->rh_len);
		free(rh);
	}
	return (L2TP_REL_DELIVERED);
}

/* The queued message with Ns ns, if any. */
static struct l2tp_rel_msg *
rel_find(struct l2tp_rel *rl, uint16_t ns)
{
	struct l2tp_rel_msg	*rm;
	uint16_t		 skip;

	skip = l2tp_seq_diff(ns, rl->rl_snd_una);
	TAILQ_FOREACH(rm, &rl->rl_sendq, rm_entry) {
		if (skip-- == 0)
			return (rm);
	}
	return (NULL);
}

uint64_t
l2tp_rel_poll(struct l2tp_rel *rl, uint64_t now, l2tp_rel_emit_fn emit,
    void *arg)
{
	struct l2tp_rel_msg	*rm;
	struct obuf		 ob;
	uint8_t			 zlb[L2TP_CTRL_HDRLEN];
	unsigned int		 win;
	uint64_t		 next;

	if (rl->rl_dead)
		return (L2TP_REL_NEVER);

	/* 5.8: retransmit with exponential back-off, then give up. */
	if (rl->rl_snd_nxt != rl->rl_snd_una && now >= rl->rl_rto_at) {
		rl->rl_stats.rs_timeouts++;
		if (rl->rl_retries >= rl->rl_p.rp_max_retries) {
			rl->rl_dead = 1;
			return (L2TP_REL_NEVER);
		}
		rl->rl_retries++;
		/* Appendix A: congestion. */
		rl->rl_ssthresh = rl->rl_cwnd / 2 > 1 ? rl->rl_cwnd / 2 : 1;
		rl->rl_cwnd = 1;
		rl->rl_cwnd_acks = 0;
		rl->rl_rto = rl->rl_rto > rl->rl_p.rp_rto_max_ms / 2 ?
		    rl->rl_p.rp_rto_max_ms : rl->rl_rto * 2;
		rl->rl_snd_nxt = rl->rl_snd_una;
	}

	/* Send what the window allows, each with the current Nr. */
	win = rl->rl_cwnd < rl->rl_p.rp_peer_rwin ? rl->rl_cwnd :
	    rl->rl_p.rp_peer_rwin;
	rm = rel_find(rl, rl->rl_snd_nxt);
	while (rm != NULL &&
	    l2tp_seq_diff(rl->rl_snd_nxt, rl->rl_snd_una) < win) {
		put16(rm->rm_buf + L2TP_OFF_NR, rl->rl_rcv_nxt);
		if (rm->rm_sent++ > 0)
			rl->rl_stats.rs_retransmits++;
		rl->rl_stats.rs_tx++;
		if (rl->rl_snd_nxt == rl->rl_snd_una)
			rl->rl_rto_at = now + rl->rl_rto;
		rl->rl_snd_nxt++;
		if (l2tp_seq_lt(rl->rl_snd_max, rl->rl_snd_nxt))
			rl->rl_snd_max = rl->rl_snd_nxt;
		rl->rl_ack_pending = 0;
		emit(arg, rm->rm_buf, rm->rm_len);
		rm = TAILQ_NEXT(rm, rm_entry);
	}

	/* Nothing carried the ack in time: a ZLB does. */
	if (rl->rl_ack_pending && now >= rl->rl_ack_at) {
		obuf_init(&ob, zlb, sizeof(zlb));
		(void)l2tp_zlb_build(&ob, rl->rl_peer_tid, 0, rl->rl_snd_max,
		    rl->rl_rcv_nxt);
		rl->rl_ack_pending = 0;
		rl->rl_stats.rs_tx_zlb++;
		emit(arg, zlb, sizeof(zlb));
	}

	next = L2TP_REL_NEVER;
	if (rl->rl_snd_nxt != rl->rl_snd_una)
		next = rl->rl_rto_at;
	if (rl->rl_ack_pending && rl->rl_ack_at < next)
		next = rl->rl_ack_at;
	return (next);
}

int
l2tp_rel_dead(const struct l2tp_rel *rl)
{
	return (rl->rl_dead);
}

size_t
l2tp_rel_unacked(const struct l2tp_rel *rl)
{
	return (rl->rl_sendq_len);
}

int
l2tp_rel_idle(const struct l2tp_rel *rl)
{
	return (rl->rl_sendq_len == 0 && !rl->rl_ack_pending);
}

uint16_t
l2tp_rel_nr(const struct l2tp_rel *rl)
{
	return (rl->rl_rcv_nxt);
}

const struct l2tp_rel_stats *
l2tp_rel_stats(const struct l2tp_rel *rl)
{
	return (&rl->rl_stats);
}
