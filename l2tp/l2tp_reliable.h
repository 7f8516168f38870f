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


#ifndef L2TPSEC_L2TP_RELIABLE_H
#define L2TPSEC_L2TP_RELIABLE_H

#include <sys/queue.h>

#include <stddef.h>
#include <stdint.h>
#include <time.h>

/*
 * Reliable delivery of control messages for one tunnel (RFC 2661 5.8 and
 * Appendix A), as a plain object driven by its owner's clock: no timers,
 * no sockets, no event library.  Time is a monotonic count of
 * milliseconds chosen by the owner.
 *
 * The owner:
 *  - queues each outgoing control message with l2tp_rel_send(); the
 *    message is copied and gets its Ns there;
 *  - hands every received control message (after l2tp_hdr_parse) to
 *    l2tp_rel_input(), which processes its Nr and passes new messages,
 *    in order and once each, to the deliver callback;
 *  - calls l2tp_rel_poll() after every l2tp_rel_send() or
 *    l2tp_rel_input(), and again when the deadline it returned has come;
 *    poll hands every datagram due now to the emit callback, with our
 *    current Nr patched in;
 *  - checks l2tp_rel_dead() after poll: the peer stopped acknowledging
 *    and the tunnel must be cleared (5.8).
 */

#define L2TP_REL_NEVER		UINT64_MAX

/* RFC 2661 defaults and our bounds. */
#define L2TP_REL_RWIN_DEFAULT	4	/* 5.8, Receive Window Size AVP */
#define L2TP_REL_RWIN_MAX	64	/* most out-of-order we hold */
#define L2TP_REL_PEER_RWIN_MAX	1024	/* most we keep outstanding */
#define L2TP_REL_RETRIES_DEFAULT 5	/* 5.8 */
#define L2TP_REL_RTO_DEFAULT	1000	/* 5.8: first retransmit, ms */
#define L2TP_REL_RTO_MAX_DEFAULT 8000	/* 5.8: cap, no less than 8 s */
#define L2TP_REL_ACK_DELAY_DEFAULT 100	/* see l2tp_reliable.c */
#define L2TP_REL_SENDQ_DEFAULT	128
#define L2TP_REL_OOO_MAXLEN	4096	/* larger ones wait for in order */

struct l2tp_rel_params {
	uint16_t	rp_peer_rwin;	/* peer's Receive Window Size */
	uint16_t	rp_our_rwin;	/* what we advertise, and buffer */
	unsigned int	rp_max_retries;	/* retransmissions before dead */
	uint32_t	rp_rto_ms;	/* first retransmission timeout */
	uint32_t	rp_rto_max_ms;	/* back-off cap */
	uint32_t	rp_ack_delay_ms; /* wait for a piggyback, then ZLB */
	size_t		rp_sendq_max;	/* messages queued, sent or not */
};

/* Counters for `l2tpsecctl show tunnels`. */
struct l2tp_rel_stats {
	uint64_t	rs_tx;		/* messages sent, with retransmits */
	uint64_t	rs_tx_zlb;	/* explicit acknowledgements sent */
	uint64_t	rs_retransmits;
	uint64_t	rs_timeouts;	/* retransmission timer expiries */
	uint64_t	rs_rx;		/* messages delivered */
	uint64_t	rs_rx_zlb;
	uint64_t	rs_duplicates;
	uint64_t	rs_reordered;	/* held until a gap filled */
	uint64_t	rs_out_of_window;
	uint64_t	rs_bad_nr;	/* Nr acked what we never sent */
	uint64_t	rs_acked;	/* our messages acknowledged */
};

enum l2tp_rel_verdict {
	L2TP_REL_DELIVERED,	/* in order: delivered (maybe with more) */
	L2TP_REL_QUEUED,	/* ahead of a gap, held for in-order delivery */
	L2TP_REL_DUPLICATE,	/* already had it: acknowledged again */
	L2TP_REL_ZLB,		/* an explicit ack: its Nr was processed */
	L2TP_REL_OUT_OF_WINDOW,	/* beyond our window (or too big to hold) */
	L2TP_REL_IGNORED	/* the tunnel is dead, or not a message */
};

struct l2tp_rel_msg;
struct l2tp_rel_held;

struct l2tp_rel {
	struct l2tp_rel_params	 rl_p;
	int			 rl_dead;
	uint16_t		 rl_peer_tid;	/* for our ZLBs */

	/* Sending: [snd_una, ns_next) is queued, oldest first. */
	TAILQ_HEAD(, l2tp_rel_msg) rl_sendq;
	size_t			 rl_sendq_len;
	uint16_t		 rl_ns_next;	/* Ns of the next queued msg */
	uint16_t		 rl_snd_una;	/* oldest unacknowledged */
	uint16_t		 rl_snd_nxt;	/* next to (re)transmit */
	uint16_t		 rl_snd_max;	/* one past highest Ns sent */
	unsigned int		 rl_cwnd;	/* Appendix A */
	unsigned int		 rl_ssthresh;
	unsigned int		 rl_cwnd_acks;	/* toward the next cwnd++ */
	uint32_t		 rl_rto;	/* current timeout, ms */
	uint64_t		 rl_rto_at;	/* retransmit deadline */
	unsigned int		 rl_retries;

	/* Receiving. */
	uint16_t		 rl_rcv_nxt;	/* our Nr */
	int			 rl_ack_pending;
	uint64_t		 rl_ack_at;
	struct l2tp_rel_held	*rl_held[L2TP_REL_RWIN_MAX];

	struct l2tp_rel_stats	 rl_stats;
};

typedef void (*l2tp_rel_deliver_fn)(void *arg, const uint8_t *msg,
    size_t len);
typedef void (*l2tp_rel_emit_fn)(void *arg, const uint8_t *pkt, size_t len);

/* Ns/Nr arithmetic modulo 2^16 (5.8): how far a is ahead of b. */
uint16_t l2tp_seq_diff(uint16_t a, uint16_t b);
/* a < b in the 5.8 sense: b is 1 to 32767 ahead of a. */
int	l2tp_seq_lt(uint16_t a, uint16_t b);

uint64_t l2tp_rel_ms(const struct timespec *);

void	l2tp_rel_params_default(struct l2tp_rel_params *);
/* params may be NULL for the defaults; out-of-range values are clamped. */
void	l2tp_rel_init(struct l2tp_rel *, const struct l2tp_rel_params *);
void	l2tp_rel_free(struct l2tp_rel *);
/* From the peer's Receive Window Size AVP (SCCRQ/SCCRP); 0 is ignored. */
void	l2tp_rel_set_peer_rwin(struct l2tp_rel *, uint16_t);
/* The peer's Assigned Tunnel ID, for the header of our ZLBs. */
void	l2tp_rel_set_peer_tid(struct l2tp_rel *, uint16_t);

/*
 * Queue a control message built by l2tp_msg_begin/finish (12-byte header
 * with L and S set).  Ns is assigned here, Nr when it is sent.  Returns 0,
 * or -1 if the queue is full, the tunnel is dead or msg is not a
 * control message.
 */
int	l2tp_rel_send(struct l2tp_rel *, const uint8_t *msg, size_t len);

/*
 * A received control message: ns and nr from its header, is_zlb when it
 * has no AVPs.  msg (the whole message) is needed only when it is not a
 * ZLB; it is copied if it must wait for a gap to fill.  The callback may
 * call l2tp_rel_send() but must not free the object.
 */
enum l2tp_rel_verdict l2tp_rel_input(struct l2tp_rel *, uint16_t ns,
	    uint16_t nr, int is_zlb, const uint8_t *msg, size_t len,
	    uint64_t now, l2tp_rel_deliver_fn, void *arg);

/*
 * Emit whatever is due at now (retransmissions, messages the window now
 * lets out, a ZLB when an ack is due and nothing carried it) and return
 * when to call again: L2TP_REL_NEVER when nothing is pending.
 */
uint64_t l2tp_rel_poll(struct l2tp_rel *, uint64_t now, l2tp_rel_emit_fn,
	    void *arg);

int	l2tp_rel_dead(const struct l2tp_rel *);
/* Our messages not yet acknowledged (sent or waiting for the window). */
size_t	l2tp_rel_unacked(const struct l2tp_rel *);
/* Nothing to send, nothing unacknowledged, no ack owed. */
int	l2tp_rel_idle(const struct l2tp_rel *);
uint16_t l2tp_rel_nr(const struct l2tp_rel *);
const struct l2tp_rel_stats *l2tp_rel_stats(const struct l2tp_rel *);

#endif
