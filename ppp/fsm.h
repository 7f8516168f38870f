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


#ifndef L2TPSEC_PPP_FSM_H
#define L2TPSEC_PPP_FSM_H

#include <stddef.h>
#include <stdint.h>

#include "common/cursor.h"

/*
 * The option negotiation automaton of RFC 1661 4, shared by LCP, IPCP
 * and IPV6CP.  It knows the transition table, the restart counter and
 * the packet exchange of codes 1 to 7; everything about options is asked
 * of the owner through struct fsm_callbacks.  It owns no timer and no
 * socket: it asks the owner to start or stop "the" restart timer and the
 * owner calls fsm_timeout() when it fires; it hands finished packets
 * (Code, Identifier, Length, Data; no framing) to fc_send.
 */

/* RFC 1661 4.1, numbered as there. */
enum fsm_state {
	FSM_INITIAL = 0,
	FSM_STARTING,
	FSM_CLOSED,
	FSM_STOPPED,
	FSM_CLOSING,
	FSM_STOPPING,
	FSM_REQSENT,
	FSM_ACKRCVD,
	FSM_ACKSENT,
	FSM_OPENED,
	FSM_NSTATES
};

enum fsm_event {
	FSM_EV_UP = 0,
	FSM_EV_DOWN,
	FSM_EV_OPEN,
	FSM_EV_CLOSE,
	FSM_EV_TO_PLUS,
	FSM_EV_TO_MINUS,
	FSM_EV_RCR_PLUS,
	FSM_EV_RCR_MINUS,
	FSM_EV_RCA,
	FSM_EV_RCN,
	FSM_EV_RTR,
	FSM_EV_RTA,
	FSM_EV_RUC,
	FSM_EV_RXJ_PLUS,
	FSM_EV_RXJ_MINUS,
	FSM_EV_RXR,
	FSM_NEVENTS
};

/* RFC 1661 4.6 defaults. */
#define FSM_MAX_TERMINATE	2
#define FSM_MAX_CONFIGURE	10
#define FSM_MAX_FAILURE		5
#define FSM_RESTART_MS		3000

/* Our own Configure-Request options, kept to check a Configure-Ack. */
#define FSM_OPTS_MAX		512
/* Largest packet the automaton builds (a Nak/Reject, a Code-Reject). */
#define FSM_PKT_MAX		1500
#define FSM_REASON_MAX		64

/* fs_flags: the implementation options of RFC 1661 4.1. */
#define FSM_F_PASSIVE	0x01	/* [p]: TO- in Req-Sent/Ack-* skips tlf */
#define FSM_F_RESTART	0x02	/* [r]: Open in 3, 4, 5, 9 is Down + Up */

struct fsm;

struct fsm_callbacks {
	/*
	 * scr: write our Configure-Request options into the obuf.  Called
	 * for every transmission, retransmissions included.
	 */
	void	(*fc_build_req)(struct fsm *, struct obuf *);
	/*
	 * RCR+/RCR-: judge the peer's Configure-Request options (already
	 * checked to be a well-formed list).  Return PPP_CONF_ACK, or
	 * PPP_CONF_NAK/PPP_CONF_REJ with the options of that reply written
	 * into the obuf (for an Ack the automaton sends the request's own
	 * options back unchanged, RFC 1661 5.2).  nak_ok is 0 once
	 * Max-Failure Naks went out without an Ack (RFC 1661 4.6): from then
	 * on what would be Nak'd must be Rejected and nothing appended.
	 * Not called in the states where the table does not care.
	 */
	int	(*fc_check_req)(struct fsm *, const uint8_t *, size_t,
		    struct obuf *, int nak_ok);
	/*
	 * RCA/RCN: the peer's Configure-Ack (identifier and options already
	 * checked to match our last request), Configure-Nak or -Reject
	 * (identifier checked, list well formed).  Return -1 to have the
	 * packet silently discarded as invalid (e.g. a Reject that is not
	 * a subset of our request, RFC 1661 5.4).  Each may be NULL.
	 */
	int	(*fc_recv_ack)(struct fsm *, const uint8_t *, size_t);
	int	(*fc_recv_nak)(struct fsm *, const uint8_t *, size_t);
	int	(*fc_recv_rej)(struct fsm *, const uint8_t *, size_t);
	/*
	 * A fresh negotiation starts (irc,scr out of Starting, Closed or
	 * Stopped): forget what Naks and Rejects taught about our request.
	 */
	void	(*fc_reset)(struct fsm *);
	/* tlu, tld, tls, tlf.  Any may be NULL. */
	void	(*fc_up)(struct fsm *);
	void	(*fc_down)(struct fsm *);
	void	(*fc_started)(struct fsm *);
	void	(*fc_finished)(struct fsm *);
	/*
	 * Codes above 7 (LCP: Protocol-Reject, Echo, Discard,
	 * Identification, Time-Remaining).  Return the event the packet
	 * means (FSM_EV_RXR, FSM_EV_RXJ_PLUS, FSM_EV_RXJ_MINUS or
	 * FSM_EV_RUC), or -1 to drop it silently (RFC 1661 5.7: a
	 * Protocol-Reject outside Opened SHOULD be).  Echo-Request,
	 * Echo-Reply and Discard-Request are all RXR; the automaton calls
	 * fc_ser for an Echo-Request in Opened only.  NULL (an NCP, RFC
	 * 1332 2): every such code is RUC.
	 */
	int	(*fc_extcode)(struct fsm *, uint8_t code, uint8_t id,
		    const uint8_t *, size_t);
	/* ser: answer an Echo-Request (the owner knows the Magic-Number). */
	void	(*fc_ser)(struct fsm *, uint8_t id, const uint8_t *, size_t);
	/*
	 * A Code-Reject of code: return 1 if catastrophic (RXJ-).  NULL:
	 * codes 1 to 7 are, anything else is not.
	 */
	int	(*fc_coderej)(struct fsm *, uint8_t code);
	/*
	 * The restart timer, owned by the owner: one-shot; start re-arms
	 * it; when it fires the owner calls fsm_timeout().
	 */
	void	(*fc_timer_start)(struct fsm *, unsigned int ms);
	void	(*fc_timer_stop)(struct fsm *);
	/* Transmit one packet (Code, Identifier, Length, Data). */
	void	(*fc_send)(struct fsm *, const uint8_t *, size_t);
};

/* The packet being processed, for sca, scn, sta, scj and ser. */
struct fsm_pkt {
	uint8_t		 fp_code;
	uint8_t		 fp_id;
	const uint8_t	*fp_data;
	size_t		 fp_len;
	uint8_t		 fp_reply_code;		/* scn: Nak or Reject */
	const uint8_t	*fp_reply;
	size_t		 fp_replylen;
};

struct fsm {
	const char			*fs_name;	/* "lcp", for logs */
	uint16_t			 fs_proto;
	const struct fsm_callbacks	*fs_cb;
	void				*fs_arg;	/* the owner's */
	enum fsm_state			 fs_state;
	int				 fs_flags;

	unsigned int			 fs_max_terminate;
	unsigned int			 fs_max_configure;
	unsigned int			 fs_max_failure;
	unsigned int			 fs_restart_ms;
	unsigned int			 fs_restart;	/* restart counter */
	unsigned int			 fs_naks;	/* sent since an Ack */
	int				 fs_timer_on;

	uint8_t				 fs_id;		/* next identifier */
	uint8_t				 fs_reqid;	/* last Conf-Req's */
	int				 fs_reply_seen;	/* to fs_reqid */
	uint8_t				 fs_req[FSM_OPTS_MAX];
	size_t				 fs_reqlen;
	uint16_t			 fs_peer_mru;	/* scj truncation */
	char				 fs_reason[FSM_REASON_MAX];

	const struct fsm_pkt		*fs_pkt;
};

void	fsm_init(struct fsm *, const char *, uint16_t,
	    const struct fsm_callbacks *, void *);

/* The owner's events. */
void	fsm_up(struct fsm *);
void	fsm_down(struct fsm *);
void	fsm_open(struct fsm *);
/* reason (may be NULL) goes into the Terminate-Request's Data. */
void	fsm_close(struct fsm *, const char *);
void	fsm_timeout(struct fsm *);

/*
 * A received packet of this protocol, header already parsed (data is
 * Length - 4 octets, padding removed).  Classifies it into an event and
 * runs the automaton; malformed or out-of-sequence packets are dropped
 * as RFC 1661 5 says, without affecting the automaton.
 */
void	fsm_input(struct fsm *, uint8_t code, uint8_t id, const uint8_t *,
	    size_t);
/* The same from raw packet bytes; -1 if the header is malformed. */
int	fsm_input_packet(struct fsm *, const uint8_t *, size_t);

/* For the owner's own packets (Echo-Request, Protocol-Reject, ...). */
uint8_t	fsm_new_id(struct fsm *);
void	fsm_send(struct fsm *, uint8_t code, uint8_t id, const void *,
	    size_t);

const char	*fsm_state_name(enum fsm_state);
const char	*fsm_event_name(enum fsm_event);

#endif
