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
#include "test.h"

T_DEFINE_GLOBALS;

/*
 * Everything runs on a fake millisecond clock: the object under test
 * never looks at real time, so no test sleeps.
 */

#define MAXPKT		64
#define MAXOUT		512
#define MAXDELIV	70000

struct pkt {
	uint8_t		 p_buf[MAXPKT];
	size_t		 p_len;
	uint64_t	 p_at;		/* when emitted, or when it arrives */
};

struct end {
	struct l2tp_rel	 e_rel;
	const char	*e_name;
	struct pkt	 e_out[MAXOUT];	/* what poll emitted */
	size_t		 e_nout;
	uint64_t	 e_now;
	uint32_t	*e_deliv;	/* Call Serial of each delivery */
	size_t		 e_ndeliv;
	int		 e_reply;	/* answer each delivery at once */
	int		 e_bad;		/* a delivery that made no sense */
};

static size_t
mkmsg(uint8_t *buf, size_t cap, uint16_t type, uint32_t id)
{
	struct obuf	 ob;
	struct l2tp_build b;
	int		 len;

	obuf_init(&ob, buf, cap);
	l2tp_msg_begin(&b, &ob, 1, 0, 0, 0, type);
	l2tp_avp_put_u32(&b, L2TP_AVP_CALL_SERIAL, id);
	len = l2tp_msg_finish(&b);
	return (len < 0 ? 0 : (size_t)len);
}

static int
send_id(struct end *e, uint32_t id)
{
	uint8_t	 buf[MAXPKT];
	size_t	 len;

	len = mkmsg(buf, sizeof(buf), L2TP_HELLO, id);
	return (l2tp_rel_send(&e->e_rel, buf, len));
}

static void
emit_cb(void *arg, const uint8_t *p, size_t len)
{
	struct end	*e = arg;

	if (e->e_nout >= MAXOUT || len > MAXPKT) {
		e->e_bad++;
		return;
	}
	memcpy(e->e_out[e->e_nout].p_buf, p, len);
	e->e_out[e->e_nout].p_len = len;
	e->e_out[e->e_nout].p_at = e->e_now;
	e->e_nout++;
}

static void
deliver_cb(void *arg, const uint8_t *p, size_t len)
{
	struct end	*e = arg;
	struct l2tp_msg	*m;

	if ((m = malloc(sizeof(*m))) == NULL) {
		e->e_bad++;
		return;
	}
	if (l2tp_msg_parse(p, len, NULL, 0, m) != L2TP_P_OK ||
	    !l2tp_msg_has(m, L2TP_AVP_CALL_SERIAL) ||
	    e->e_ndeliv >= MAXDELIV)
		e->e_bad++;
	else {
		e->e_deliv[e->e_ndeliv++] = m->m_call_serial;
		/* An upper layer replying from inside the callback. */
		if (e->e_reply && m->m_type == L2TP_HELLO)
			(void)send_id(e, 1000000 + m->m_call_serial);
	}
	free(m);
}

static void
end_init(struct end *e, const char *name, const struct l2tp_rel_params *p)
{
	memset(e, 0, sizeof(*e));
	e->e_name = name;
	e->e_deliv = calloc(MAXDELIV, sizeof(*e->e_deliv));
	l2tp_rel_init(&e->e_rel, p);
}

static void
end_free(struct end *e)
{
	l2tp_rel_free(&e->e_rel);
	free(e->e_deliv);
}

static uint64_t
poll_at(struct end *e, uint64_t now)
{
	e->e_now = now;
	return (l2tp_rel_poll(&e->e_rel, now, emit_cb, e));
}

static enum l2tp_rel_verdict
feed(struct end *e, const uint8_t *p, size_t len, uint64_t now)
{
	struct l2tp_hdr	 h;

	if (l2tp_hdr_parse(p, len, &h) != L2TP_P_OK || !h.h_control)
		return (L2TP_REL_IGNORED);
	e->e_now = now;
	return (l2tp_rel_input(&e->e_rel, h.h_ns, h.h_nr,
	    h.h_msglen == h.h_hdrlen, p, len, now, deliver_cb, e));
}

static uint16_t
pkt_ns(const struct pkt *p)
{
	return ((uint16_t)(p->p_buf[8] << 8 | p->p_buf[9]));
}

static uint16_t
pkt_nr(const struct pkt *p)
{
	return ((uint16_t)(p->p_buf[10] << 8 | p->p_buf[11]));
}

static int
pkt_zlb(const struct pkt *p)
{
	return (p->p_len == L2TP_CTRL_HDRLEN);
}

/* A hand-made message with a given Ns/Nr, as a peer would send it. */
static size_t
peer_msg(uint8_t *buf, uint16_t ns, uint16_t nr, uint32_t id)
{
	size_t	 len = mkmsg(buf, MAXPKT, L2TP_HELLO, id);

	buf[8] = ns >> 8;
	buf[9] = ns & 0xff;
	buf[10] = nr >> 8;
	buf[11] = nr & 0xff;
	return (len);
}

static size_t
peer_zlb(uint8_t *buf, uint16_t ns, uint16_t nr)
{
	struct obuf	 ob;

	obuf_init(&ob, buf, MAXPKT);
	return ((size_t)l2tp_zlb_build(&ob, 1, 0, ns, nr));
}

static void
test_seq(void)
{
	T_ASSERT(l2tp_seq_diff(2, 65534) == 4);
	T_ASSERT(l2tp_seq_lt(65535, 0));
	T_ASSERT(!l2tp_seq_lt(0, 65535));
	T_ASSERT(l2tp_seq_lt(0, 32767) && !l2tp_seq_lt(0, 32768));
	T_ASSERT(!l2tp_seq_lt(7, 7));
	/* 5.8's example: after 15, 0..15 and 32784..65535 are "<=". */
	T_ASSERT(l2tp_seq_lt(32784, 15) && l2tp_seq_lt(65535, 15));
	T_ASSERT(!l2tp_seq_lt(32783, 15));
}

/* SCCRQ -> SCCRP (piggybacked ack) -> ZLB after the delay, then quiet. */
static void
test_inorder_piggyback(void)
{
	struct end	*a, *b;
	uint64_t	 next;

	a = calloc(1, sizeof(*a));
	b = calloc(1, sizeof(*b));
	T_ASSERT_RET(a != NULL && b != NULL);
	end_init(a, "a", NULL);
	end_init(b, "b", NULL);
	b->e_reply = 1;

	T_ASSERT(send_id(a, 1) == 0);
	T_ASSERT(l2tp_rel_unacked(&a->e_rel) == 1);
	next = poll_at(a, 0);
	T_ASSERT(a->e_nout == 1 && pkt_ns(&a->e_out[0]) == 0 &&
	    pkt_nr(&a->e_out[0]) == 0);
	T_ASSERT(next == 1000);		/* retransmit timer */

	/* B delivers, replies from the callback: the reply carries Nr 1. */
	T_ASSERT(feed(b, a->e_out[0].p_buf, a->e_out[0].p_len, 10) ==
	    L2TP_REL_DELIVERED);
	T_ASSERT(b->e_ndeliv == 1 && b->e_deliv[0] == 1);
	T_ASSERT(l2tp_rel_nr(&b->e_rel) == 1);
	next = poll_at(b, 10);
	T_ASSERT(b->e_nout == 1 && !pkt_zlb(&b->e_out[0]));
	T_ASSERT(pkt_ns(&b->e_out[0]) == 0 && pkt_nr(&b->e_out[0]) == 1);
	T_ASSERT(next == 1010);		/* no ack owed any more */

	/* A: its message is acked, the reply delivered, an ack owed. */
	T_ASSERT(feed(a, b->e_out[0].p_buf, b->e_out[0].p_len, 20) ==
	    L2TP_REL_DELIVERED);
	T_ASSERT(l2tp_rel_unacked(&a->e_rel) == 0);
	T_ASSERT(a->e_ndeliv == 1 && a->e_deliv[0] == 1000001);
	next = poll_at(a, 20);
	T_ASSERT(a->e_nout == 1 && next == 120);
	next = poll_at(a, 119);
	T_ASSERT(a->e_nout == 1 && next == 120);
	next = poll_at(a, 120);
	T_ASSERT(a->e_nout == 2 && pkt_zlb(&a->e_out[1]));
	/* Appendix B.1: ZLB Ns is the next Ns, Nr acks the reply. */
	T_ASSERT(pkt_ns(&a->e_out[1]) == 1 && pkt_nr(&a->e_out[1]) == 1);
	T_ASSERT(next == L2TP_REL_NEVER && l2tp_rel_idle(&a->e_rel));

	/* B takes the ZLB as an ack and does not answer it. */
	T_ASSERT(feed(b, a->e_out[1].p_buf, a->e_out[1].p_len, 130) ==
	    L2TP_REL_ZLB);
	T_ASSERT(l2tp_rel_unacked(&b->e_rel) == 0);
	T_ASSERT(poll_at(b, 130) == L2TP_REL_NEVER && b->e_nout == 1);
	T_ASSERT(poll_at(b, 100000) == L2TP_REL_NEVER && b->e_nout == 1);
	T_ASSERT(l2tp_rel_stats(&a->e_rel)->rs_tx == 1);
	T_ASSERT(l2tp_rel_stats(&a->e_rel)->rs_tx_zlb == 1);
	T_ASSERT(l2tp_rel_stats(&b->e_rel)->rs_rx_zlb == 1);
	T_ASSERT(a->e_bad == 0 && b->e_bad == 0);
	end_free(a);
	end_free(b);
	free(a);
	free(b);
}

/*
 * Two instances wired back to back, zero latency: whatever one emits
 * the other receives at once.  Runs until nothing is pending, with a
 * cap on packets so a ping-pong shows up as a failure, not a hang.
 */
static size_t
wire_run(struct end *a, struct end *b, uint64_t *now, uint64_t until)
{
	size_t	 ia = a->e_nout, ib = b->e_nout, total = 0;
	uint64_t na, nb;

	while (*now <= until && total < 1000) {
		na = poll_at(a, *now);
		nb = poll_at(b, *now);
		if (ia == a->e_nout && ib == b->e_nout) {
			if (na == L2TP_REL_NEVER && nb == L2TP_REL_NEVER)
				break;
			*now = na < nb ? na : nb;
			continue;
		}
		while (ia < a->e_nout) {
			(void)feed(b, a->e_out[ia].p_buf, a->e_out[ia].p_len,
			    *now);
			ia++;
			total++;
		}
		while (ib < b->e_nout) {
			(void)feed(a, b->e_out[ib].p_buf, b->e_out[ib].p_len,
			    *now);
			ib++;
			total++;
		}
	}
	return (total);
}

static void
test_no_zlb_pingpong(void)
{
	struct end	*a, *b;
	uint64_t	 now = 0;
	size_t		 n;
	uint8_t		 z[MAXPKT];

	a = calloc(1, sizeof(*a));
	b = calloc(1, sizeof(*b));
	T_ASSERT_RET(a != NULL && b != NULL);
	end_init(a, "a", NULL);
	end_init(b, "b", NULL);

	/* One message: it and one ZLB, then silence for a minute. */
	T_ASSERT(send_id(a, 1) == 0);
	n = wire_run(a, b, &now, 60000);
	T_ASSERT(n == 2);
	T_ASSERT(pkt_zlb(&b->e_out[0]) && now == 100);
	T_ASSERT(l2tp_rel_idle(&a->e_rel) && l2tp_rel_idle(&b->e_rel));
	T_ASSERT(wire_run(a, b, &now, 60000) == 0);

	/* Both talk at once: two messages, two ZLBs, then silence. */
	T_ASSERT(send_id(a, 2) == 0 && send_id(b, 3) == 0);
	n = wire_run(a, b, &now, 120000);
	T_ASSERT(n == 4);
	T_ASSERT(a->e_ndeliv == 1 && b->e_ndeliv == 2);

	/* A replayed ZLB, an old one, a future one: never answered. */
	T_ASSERT(feed(b, a->e_out[a->e_nout - 1].p_buf, L2TP_CTRL_HDRLEN,
	    now) == L2TP_REL_ZLB);
	T_ASSERT(feed(b, z, peer_zlb(z, 0, 0), now) == L2TP_REL_ZLB);
	T_ASSERT(feed(b, z, peer_zlb(z, 999, 2), now) == L2TP_REL_ZLB);
	n = b->e_nout;
	T_ASSERT(poll_at(b, now + 60000) == L2TP_REL_NEVER);
	T_ASSERT(b->e_nout == n);
	/* The bogus Nr 0 and Nr 2 (already acked; never sent) change
	 * nothing. */
	T_ASSERT(l2tp_rel_unacked(&b->e_rel) == 0);
	T_ASSERT(l2tp_rel_stats(&b->e_rel)->rs_bad_nr == 2);
	T_ASSERT(a->e_bad == 0 && b->e_bad == 0);
	end_free(a);
	end_free(b);
	free(a);
	free(b);
}

/* 5.8: 1 s, then doubling to the 8 s cap; 5 retransmissions; dead. */
static void
test_backoff_and_death(void)
{
	struct end	*a;
	struct l2tp_rel_params p;
	uint64_t	 next, now = 0;
	static const uint64_t want[] = { 0, 1000, 3000, 7000, 15000, 23000 };
	size_t		 i;

	a = calloc(1, sizeof(*a));
	T_ASSERT_RET(a != NULL);
	end_init(a, "a", NULL);
	T_ASSERT(send_id(a, 1) == 0);
	for (i = 0; i < 10; i++) {
		next = poll_at(a, now);
		if (next == L2TP_REL_NEVER)
			break;
		/* Nothing happens a millisecond early. */
		T_ASSERT(poll_at(a, next - 1) == next);
		now = next;
	}
	T_ASSERT(a->e_nout == 6);
	for (i = 0; i < a->e_nout && i < 6; i++) {
		T_ASSERT(a->e_out[i].p_at == want[i]);
		T_ASSERT(pkt_ns(&a->e_out[i]) == 0);
	}
	/* The 5th retransmission went unanswered for 8 s more: 31 s. */
	T_ASSERT(now == 31000 && l2tp_rel_dead(&a->e_rel));
	T_ASSERT(l2tp_rel_stats(&a->e_rel)->rs_retransmits == 5);
	T_ASSERT(l2tp_rel_stats(&a->e_rel)->rs_timeouts == 6);
	/* A dead tunnel neither sends nor takes anything. */
	T_ASSERT(send_id(a, 2) == -1);
	T_ASSERT(poll_at(a, now + 100000) == L2TP_REL_NEVER);
	T_ASSERT(a->e_nout == 6);
	{
		uint8_t	 m[MAXPKT];
		size_t	 len = peer_msg(m, 0, 1, 5);

		T_ASSERT(feed(a, m, len, now) == L2TP_REL_IGNORED);
	}
	end_free(a);

	/* A configurable limit, and a shorter timeout. */
	l2tp_rel_params_default(&p);
	p.rp_max_retries = 2;
	p.rp_rto_ms = 500;
	end_init(a, "a", &p);
	T_ASSERT(send_id(a, 1) == 0);
	now = 0;
	while ((next = poll_at(a, now)) != L2TP_REL_NEVER)
		now = next;
	T_ASSERT(a->e_nout == 3 && a->e_out[1].p_at == 500 &&
	    a->e_out[2].p_at == 1500);
	T_ASSERT(now == 3500 && l2tp_rel_dead(&a->e_rel));
	end_free(a);

	/* An ack resets the back-off: the next message starts at 1 s. */
	end_init(a, "a", NULL);
	T_ASSERT(send_id(a, 1) == 0 && send_id(a, 2) == 0);
	now = 0;
	(void)poll_at(a, 0);
	(void)poll_at(a, 1000);
	(void)poll_at(a, 3000);
	T_ASSERT(a->e_nout == 3);
	{
		uint8_t	 z[MAXPKT];

		T_ASSERT(feed(a, z, peer_zlb(z, 0, 1), 3500) == L2TP_REL_ZLB);
	}
	T_ASSERT(poll_at(a, 3500) == 4500);
	T_ASSERT(a->e_nout == 4 && pkt_ns(&a->e_out[3]) == 1);
	T_ASSERT(poll_at(a, 4500) == 6500);
	T_ASSERT(!l2tp_rel_dead(&a->e_rel));
	end_free(a);
	free(a);
}

/* A retransmission carries the current Nr (5.8 MUST). */
static void
test_retransmit_updates_nr(void)
{
	struct end	*a;
	uint8_t		 m[MAXPKT];
	size_t		 len;

	a = calloc(1, sizeof(*a));
	T_ASSERT_RET(a != NULL);
	end_init(a, "a", NULL);
	T_ASSERT(send_id(a, 1) == 0);
	(void)poll_at(a, 0);
	T_ASSERT(a->e_nout == 1 && pkt_nr(&a->e_out[0]) == 0);
	/* The peer's message arrives, not acking ours. */
	len = peer_msg(m, 0, 0, 7);
	T_ASSERT(feed(a, m, len, 50) == L2TP_REL_DELIVERED);
	/* The ack goes as a ZLB at 150 (nothing new to carry it)... */
	(void)poll_at(a, 150);
	T_ASSERT(a->e_nout == 2 && pkt_zlb(&a->e_out[1]));
	T_ASSERT(pkt_ns(&a->e_out[1]) == 1 && pkt_nr(&a->e_out[1]) == 1);
	/* ...and the retransmission at 1 s says Nr 1 as well. */
	(void)poll_at(a, 1000);
	T_ASSERT(a->e_nout == 3 && !pkt_zlb(&a->e_out[2]));
	T_ASSERT(pkt_ns(&a->e_out[2]) == 0 && pkt_nr(&a->e_out[2]) == 1);
	end_free(a);
	free(a);
}

/* A duplicate of a non-ZLB message is acked again (our ack was lost). */
static void
test_duplicate_reacked(void)
{
	struct end	*b;
	uint8_t		 m[MAXPKT];
	size_t		 len;

	b = calloc(1, sizeof(*b));
	T_ASSERT_RET(b != NULL);
	end_init(b, "b", NULL);
	len = peer_msg(m, 0, 0, 1);
	T_ASSERT(feed(b, m, len, 0) == L2TP_REL_DELIVERED);
	T_ASSERT(poll_at(b, 0) == 100);
	(void)poll_at(b, 100);
	T_ASSERT(b->e_nout == 1 && pkt_zlb(&b->e_out[0]) &&
	    pkt_nr(&b->e_out[0]) == 1);
	/* Our ZLB was lost; the peer retransmits at 1 s (Appendix B.2). */
	T_ASSERT(feed(b, m, len, 1000) == L2TP_REL_DUPLICATE);
	T_ASSERT(b->e_ndeliv == 1);
	T_ASSERT(poll_at(b, 1000) == 1100);
	(void)poll_at(b, 1100);
	T_ASSERT(b->e_nout == 2 && pkt_zlb(&b->e_out[1]) &&
	    pkt_nr(&b->e_out[1]) == 1);
	/* Several duplicates inside the delay: one ZLB for all. */
	T_ASSERT(feed(b, m, len, 2000) == L2TP_REL_DUPLICATE);
	T_ASSERT(feed(b, m, len, 2010) == L2TP_REL_DUPLICATE);
	T_ASSERT(feed(b, m, len, 2020) == L2TP_REL_DUPLICATE);
	(void)poll_at(b, 2100);
	T_ASSERT(b->e_nout == 3);
	T_ASSERT(l2tp_rel_stats(&b->e_rel)->rs_duplicates == 4);
	T_ASSERT(l2tp_rel_stats(&b->e_rel)->rs_rx == 1);
	T_ASSERT(b->e_bad == 0);
	end_free(b);
	free(b);
}

static void
test_reorder_and_window(void)
{
	struct end	*b;
	struct l2tp_rel_params p;
	uint8_t		 m[MAXPKT];
	size_t		 len;
	uint16_t	 ns;

	b = calloc(1, sizeof(*b));
	T_ASSERT_RET(b != NULL);
	l2tp_rel_params_default(&p);
	p.rp_our_rwin = 4;
	end_init(b, "b", &p);

	/* 2, 1, 3 held; 0 fills the gap and all four come out in order. */
	len = peer_msg(m, 2, 0, 102);
	T_ASSERT(feed(b, m, len, 0) == L2TP_REL_QUEUED);
	len = peer_msg(m, 1, 0, 101);
	T_ASSERT(feed(b, m, len, 0) == L2TP_REL_QUEUED);
	T_ASSERT(feed(b, m, len, 0) == L2TP_REL_DUPLICATE);
	len = peer_msg(m, 3, 0, 103);
	T_ASSERT(feed(b, m, len, 0) == L2TP_REL_QUEUED);
	T_ASSERT(b->e_ndeliv == 0 && l2tp_rel_nr(&b->e_rel) == 0);
	/* Nothing in order yet, so no ack is owed. */
	T_ASSERT(poll_at(b, 0) == 100);	/* the duplicate's ack */
	len = peer_msg(m, 0, 0, 100);
	T_ASSERT(feed(b, m, len, 0) == L2TP_REL_DELIVERED);
	T_ASSERT(b->e_ndeliv == 4);
	T_ASSERT(b->e_deliv[0] == 100 && b->e_deliv[1] == 101 &&
	    b->e_deliv[2] == 102 && b->e_deliv[3] == 103);
	T_ASSERT(l2tp_rel_nr(&b->e_rel) == 4);
	(void)poll_at(b, 100);
	T_ASSERT(b->e_nout == 1 && pkt_nr(&b->e_out[0]) == 4);

	/* Our window is 4: Ns 4..7 may be held, 8 and beyond are not. */
	len = peer_msg(m, 8, 0, 108);
	T_ASSERT(feed(b, m, len, 200) == L2TP_REL_OUT_OF_WINDOW);
	len = peer_msg(m, 7, 0, 107);
	T_ASSERT(feed(b, m, len, 200) == L2TP_REL_QUEUED);
	for (ns = 9; ns < 4 + 32768; ns += 997) {
		len = peer_msg(m, ns, 0, ns);
		if (feed(b, m, len, 200) != L2TP_REL_OUT_OF_WINDOW)
			b->e_bad++;
	}
	len = peer_msg(m, 4 + 32767, 0, 1);
	T_ASSERT(feed(b, m, len, 200) == L2TP_REL_OUT_OF_WINDOW);
	/* 5.8: 32768 behind the next expected is old, not new. */
	len = peer_msg(m, 4 + 32768, 0, 1);
	T_ASSERT(feed(b, m, len, 200) == L2TP_REL_DUPLICATE);
	/* An out-of-window message's Nr is not trusted. */
	T_ASSERT(l2tp_rel_stats(&b->e_rel)->rs_bad_nr == 0);
	len = peer_msg(m, 5, 0, 105);
	T_ASSERT(feed(b, m, len, 200) == L2TP_REL_QUEUED);
	len = peer_msg(m, 6, 0, 106);
	T_ASSERT(feed(b, m, len, 200) == L2TP_REL_QUEUED);
	len = peer_msg(m, 4, 0, 104);
	T_ASSERT(feed(b, m, len, 200) == L2TP_REL_DELIVERED);
	T_ASSERT(b->e_ndeliv == 8 && b->e_deliv[7] == 107);
	T_ASSERT(l2tp_rel_nr(&b->e_rel) == 8);
	T_ASSERT(l2tp_rel_stats(&b->e_rel)->rs_reordered == 6);
	T_ASSERT(b->e_bad == 0);
	end_free(b);
	free(b);
}

/* Cross 65535 -> 0 in both directions, for real. */
static void
test_wraparound(void)
{
	struct end	*a, *b;
	struct l2tp_rel_params p;
	uint32_t	 i, bad = 0;
	uint8_t		 z[MAXPKT];
	static const size_t order[] = { 3, 1, 2, 0 };

	a = calloc(1, sizeof(*a));
	b = calloc(1, sizeof(*b));
	T_ASSERT_RET(a != NULL && b != NULL);
	l2tp_rel_params_default(&p);
	end_init(a, "a", &p);
	end_init(b, "b", &p);

	/* 65534 messages one at a time, each acked by a ZLB. */
	for (i = 0; i < 65534; i++) {
		a->e_nout = b->e_nout = 0;
		if (send_id(a, i) != 0)
			bad++;
		(void)poll_at(a, i * 1000);
		if (a->e_nout != 1 || pkt_ns(&a->e_out[0]) != (uint16_t)i)
			bad++;
		if (feed(b, a->e_out[0].p_buf, a->e_out[0].p_len, i * 1000) !=
		    L2TP_REL_DELIVERED)
			bad++;
		(void)poll_at(b, i * 1000 + 100);
		if (b->e_nout != 1 || !pkt_zlb(&b->e_out[0]))
			bad++;
		(void)feed(a, b->e_out[0].p_buf, b->e_out[0].p_len,
		    i * 1000 + 100);
		if (l2tp_rel_unacked(&a->e_rel) != 0)
			bad++;
	}
	T_ASSERT(bad == 0);
	T_ASSERT(b->e_ndeliv == 65534 && b->e_deliv[65533] == 65533);
	T_ASSERT(l2tp_rel_nr(&b->e_rel) == 65534);

	/* Four at once (cwnd has grown to 4): Ns 65534, 65535, 0, 1. */
	a->e_nout = b->e_nout = 0;
	for (i = 0; i < 4; i++)
		T_ASSERT(send_id(a, 70000 + i) == 0);
	(void)poll_at(a, 70000000);
	T_ASSERT_RET(a->e_nout == 4);
	T_ASSERT(pkt_ns(&a->e_out[0]) == 65534 &&
	    pkt_ns(&a->e_out[1]) == 65535 && pkt_ns(&a->e_out[2]) == 0 &&
	    pkt_ns(&a->e_out[3]) == 1);
	/* They arrive shuffled across the wrap. */
	for (i = 0; i < 4; i++)
		(void)feed(b, a->e_out[order[i]].p_buf,
		    a->e_out[order[i]].p_len, 70000000);
	T_ASSERT(b->e_ndeliv == 65538);
	for (i = 0; i < 4; i++)
		T_ASSERT(b->e_deliv[65534 + i] == 70000 + i);
	T_ASSERT(l2tp_rel_nr(&b->e_rel) == 2);
	/* A retransmission of 65535 after the wrap is a duplicate. */
	T_ASSERT(feed(b, a->e_out[1].p_buf, a->e_out[1].p_len, 70000000) ==
	    L2TP_REL_DUPLICATE);
	/* The ack across the wrap clears A's queue. */
	T_ASSERT(feed(a, z, peer_zlb(z, 65534, 2), 70000050) == L2TP_REL_ZLB);
	T_ASSERT(l2tp_rel_unacked(&a->e_rel) == 0);
	T_ASSERT(l2tp_rel_stats(&a->e_rel)->rs_bad_nr == 0);
	T_ASSERT(a->e_bad == 0 && b->e_bad == 0);
	end_free(a);
	end_free(b);
	free(a);
	free(b);
}

/* Window full: messages wait in the queue and go out as acks arrive. */
static void
test_window_full(void)
{
	struct end	*a;
	struct l2tp_rel_params p;
	uint8_t		 z[MAXPKT];
	uint32_t	 i;

	a = calloc(1, sizeof(*a));
	T_ASSERT_RET(a != NULL);
	l2tp_rel_params_default(&p);
	p.rp_peer_rwin = 2;
	p.rp_sendq_max = 5;
	end_init(a, "a", &p);
	for (i = 0; i < 5; i++)
		T_ASSERT(send_id(a, i) == 0);
	T_ASSERT(send_id(a, 5) == -1);		/* queue full */
	T_ASSERT(l2tp_rel_unacked(&a->e_rel) == 5);

	(void)poll_at(a, 0);
	T_ASSERT(a->e_nout == 1);		/* CWND 1 */
	(void)poll_at(a, 10);
	T_ASSERT(a->e_nout == 1);
	T_ASSERT(feed(a, z, peer_zlb(z, 0, 1), 20) == L2TP_REL_ZLB);
	(void)poll_at(a, 20);
	T_ASSERT(a->e_nout == 3);		/* CWND 2 = peer window */
	T_ASSERT(pkt_ns(&a->e_out[1]) == 1 && pkt_ns(&a->e_out[2]) == 2);
	T_ASSERT(send_id(a, 5) == 0);		/* room again */
	T_ASSERT(feed(a, z, peer_zlb(z, 0, 2), 30) == L2TP_REL_ZLB);
	(void)poll_at(a, 30);
	T_ASSERT(a->e_nout == 4 && pkt_ns(&a->e_out[3]) == 3);
	(void)poll_at(a, 40);
	T_ASSERT(a->e_nout == 4);		/* never beyond the window */
	T_ASSERT(feed(a, z, peer_zlb(z, 0, 4), 50) == L2TP_REL_ZLB);
	(void)poll_at(a, 50);
	T_ASSERT(a->e_nout == 6 && pkt_ns(&a->e_out[5]) == 5);
	T_ASSERT(feed(a, z, peer_zlb(z, 0, 6), 60) == L2TP_REL_ZLB);
	T_ASSERT(l2tp_rel_unacked(&a->e_rel) == 0);
	T_ASSERT(poll_at(a, 60) == L2TP_REL_NEVER);
	/* The peer's window can arrive later (SCCRP) and shrink it. */
	l2tp_rel_set_peer_rwin(&a->e_rel, 1);
	T_ASSERT(send_id(a, 6) == 0 && send_id(a, 7) == 0);
	(void)poll_at(a, 70);
	T_ASSERT(a->e_nout == 7);
	end_free(a);
	free(a);
}

/* Appendix A: slow start, congestion avoidance, collapse on timeout. */
static void
test_slow_start(void)
{
	struct end	*a;
	struct l2tp_rel_params p;
	uint8_t		 z[MAXPKT];
	uint32_t	 i;
	size_t		 before, r;
	uint64_t	 now = 0;
	uint16_t	 una = 0;
	static const size_t grow[] = { 1, 2, 3, 4, 5, 6, 7, 8, 8 };
	static const size_t after[] = { 2, 3, 4, 4, 4, 4, 5 };

	a = calloc(1, sizeof(*a));
	T_ASSERT_RET(a != NULL);
	l2tp_rel_params_default(&p);
	p.rp_peer_rwin = 8;
	end_init(a, "a", &p);
	for (i = 0; i < 100; i++)
		T_ASSERT(send_id(a, i) == 0);

	/* One ack per round trip: CWND grows by one each time. */
	for (r = 0; r < sizeof(grow) / sizeof(grow[0]); r++) {
		before = a->e_nout;
		(void)poll_at(a, now);
		T_ASSERT(a->e_nout - before == grow[r]);
		una += (uint16_t)(a->e_nout - before);
		now += 10;
		(void)feed(a, z, peer_zlb(z, 0, una), now);
	}
	/* Eight out, and then silence until the timer fires. */
	before = a->e_nout;
	(void)poll_at(a, now);
	T_ASSERT(a->e_nout - before == 8);
	now += 1000;
	(void)poll_at(a, now);
	/* SSTHRESH = 8 / 2, CWND = 1: only the oldest goes again. */
	T_ASSERT(a->e_nout - before == 9);
	T_ASSERT(pkt_ns(&a->e_out[a->e_nout - 1]) == una);
	T_ASSERT(a->e_rel.rl_ssthresh == 4 && a->e_rel.rl_cwnd == 1);
	/* The peer had them all: one ack covers the eight. */
	una += 8;
	(void)feed(a, z, peer_zlb(z, 0, una), now + 10);
	now += 10;
	for (r = 0; r < sizeof(after) / sizeof(after[0]); r++) {
		before = a->e_nout;
		(void)poll_at(a, now);
		T_ASSERT(a->e_nout - before == after[r]);
		/* New messages, not the ones the peer acked. */
		T_ASSERT(pkt_ns(&a->e_out[before]) == una);
		una += (uint16_t)(a->e_nout - before);
		now += 10;
		(void)feed(a, z, peer_zlb(z, 0, una), now);
	}
	T_ASSERT(l2tp_rel_stats(&a->e_rel)->rs_retransmits == 1);
	end_free(a);
	free(a);
}

/*
 * Two instances over a lossy, reordering link: 10% loss each way,
 * 20-60 ms latency, deterministic PRNG.  Each side sends 60 messages;
 * each must receive the other's 60 in order, once.
 */
#define NMSG		60
#define LINKQ		4096

struct link {
	struct pkt	 l_q[LINKQ];
	int		 l_to[LINKQ];	/* 0: to a, 1: to b */
	size_t		 l_n;
	uint32_t	 l_rng;
	size_t		 l_sent;
	size_t		 l_lost;
};

static uint32_t
rng(struct link *l)
{
	/* xorshift32 */
	l->l_rng ^= l->l_rng << 13;
	l->l_rng ^= l->l_rng >> 17;
	l->l_rng ^= l->l_rng << 5;
	return (l->l_rng);
}

static void
link_take(struct link *l, struct end *from, size_t *idx, int to,
    uint64_t now)
{
	for (; *idx < from->e_nout; (*idx)++) {
		l->l_sent++;
		if (rng(l) % 100 < 10) {
			l->l_lost++;
			continue;
		}
		if (l->l_n >= LINKQ)
			continue;
		l->l_q[l->l_n] = from->e_out[*idx];
		l->l_q[l->l_n].p_at = now + 20 + rng(l) % 41;
		l->l_to[l->l_n] = to;
		l->l_n++;
	}
	/* Keep the emit buffers from filling up. */
	if (from->e_nout > MAXOUT / 2) {
		from->e_nout = 0;
		*idx = 0;
	}
}

static int
lossy_run(uint32_t seed, size_t *packets)
{
	struct end	*e[2];
	struct link	*l;
	size_t		 idx[2] = { 0, 0 }, i, k, j;
	uint32_t	 queued[2] = { 0, 0 };
	uint64_t	 now = 0, next, d;
	int		 ok = 1;

	e[0] = calloc(1, sizeof(*e[0]));
	e[1] = calloc(1, sizeof(*e[1]));
	l = calloc(1, sizeof(*l));
	if (e[0] == NULL || e[1] == NULL || l == NULL)
		return (0);
	end_init(e[0], "a", NULL);
	end_init(e[1], "b", NULL);
	l->l_rng = seed;

	while (now < 3600000) {
		/* Each side's upper layer queues a message every 50 ms. */
		for (k = 0; k < 2; k++)
			if (queued[k] < NMSG && now >= queued[k] * 50 &&
			    send_id(e[k], k * 1000 + queued[k]) == 0)
				queued[k]++;
		/* Arrivals due now. */
		for (i = 0; i < l->l_n; ) {
			if (l->l_q[i].p_at > now) {
				i++;
				continue;
			}
			(void)feed(e[l->l_to[i]], l->l_q[i].p_buf,
			    l->l_q[i].p_len, now);
			l->l_q[i] = l->l_q[l->l_n - 1];
			l->l_to[i] = l->l_to[l->l_n - 1];
			l->l_n--;
		}
		next = L2TP_REL_NEVER;
		for (k = 0; k < 2; k++) {
			d = poll_at(e[k], now);
			if (d < next)
				next = d;
			link_take(l, e[k], &idx[k], (int)!k, now);
		}
		if (l2tp_rel_dead(&e[0]->e_rel) || l2tp_rel_dead(&e[1]->e_rel))
			break;
		for (i = 0; i < l->l_n; i++)
			if (l->l_q[i].p_at < next)
				next = l->l_q[i].p_at;
		for (k = 0; k < 2; k++)
			if (queued[k] < NMSG && queued[k] * 50 < next)
				next = queued[k] * 50 > now ? queued[k] * 50 :
				    now + 1;
		if (next == L2TP_REL_NEVER)
			break;		/* all quiet */
		now = next > now ? next : now + 1;
	}

	for (k = 0; k < 2; k++) {
		if (l2tp_rel_dead(&e[k]->e_rel) || e[k]->e_bad ||
		    e[k]->e_ndeliv != NMSG || !l2tp_rel_idle(&e[k]->e_rel))
			ok = 0;
		for (j = 0; j < e[k]->e_ndeliv && j < NMSG; j++)
			if (e[k]->e_deliv[j] != (!k) * 1000 + j)
				ok = 0;
	}
	if (!ok)
		printf("# seed %u: a %zu/%d%s, b %zu/%d%s\n", seed,
		    e[0]->e_ndeliv, NMSG,
		    l2tp_rel_dead(&e[0]->e_rel) ? " dead" : "",
		    e[1]->e_ndeliv, NMSG,
		    l2tp_rel_dead(&e[1]->e_rel) ? " dead" : "");
	printf("# seed %u: %zu packets, %zu lost, %llu+%llu retransmits, "
	    "%llu+%llu held out of order, done at %llu ms\n", seed,
	    l->l_sent, l->l_lost, (unsigned long long)
	    l2tp_rel_stats(&e[0]->e_rel)->rs_retransmits, (unsigned long long)
	    l2tp_rel_stats(&e[1]->e_rel)->rs_retransmits, (unsigned long long)
	    l2tp_rel_stats(&e[0]->e_rel)->rs_reordered, (unsigned long long)
	    l2tp_rel_stats(&e[1]->e_rel)->rs_reordered,
	    (unsigned long long)now);
	/* Lossy links really lost, and the retransmissions made it up. */
	if (l->l_lost == 0 ||
	    l2tp_rel_stats(&e[0]->e_rel)->rs_retransmits == 0)
		ok = 0;
	*packets = l->l_sent;
	end_free(e[0]);
	end_free(e[1]);
	free(e[0]);
	free(e[1]);
	free(l);
	return (ok);
}

static void
test_lossy_link(void)
{
	static const uint32_t seeds[] = { 1, 2, 3, 0xdeadbeef, 12345, 777 };
	size_t		 i, packets = 0;

	for (i = 0; i < sizeof(seeds) / sizeof(seeds[0]); i++) {
		T_ASSERT(lossy_run(seeds[i], &packets));
		/* 120 messages: acks and retransmissions stay bounded. */
		T_ASSERT(packets < 600);
	}
}

int
main(void)
{
	T_RUN(test_seq);
	T_RUN(test_inorder_piggyback);
	T_RUN(test_no_zlb_pingpong);
	T_RUN(test_backoff_and_death);
	T_RUN(test_retransmit_updates_nr);
	T_RUN(test_duplicate_reacked);
	T_RUN(test_reorder_and_window);
	T_RUN(test_wraparound);
	T_RUN(test_window_full);
	T_RUN(test_slow_start);
	T_RUN(test_lossy_link);
	return (T_DONE());
}
