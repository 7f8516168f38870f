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


#include <stdio.h>
#include <string.h>

#include "common/cursor.h"
#include "common/log.h"
#include "ppp/fsm.h"
#include "ppp/ppp_parse.h"

/*
 * Actions of RFC 1661 4.4.  A table entry is a set of them and the next
 * state; "multiple actions may be implemented in any convenient order",
 * and fsm_dispatch() runs them in one fixed order (tld first, since it
 * announces leaving Opened; tlu, tlf and tls last, after the state
 * change they announce).
 */
#define A_TLU		0x0001
#define A_TLD		0x0002
#define A_TLS		0x0004
#define A_TLF		0x0008
#define A_IRC		0x0010
#define A_ZRC		0x0020
#define A_SCR		0x0040
#define A_SCA		0x0080
#define A_SCN		0x0100
#define A_STR		0x0200
#define A_STA		0x0400
#define A_SCJ		0x0800
#define A_SER		0x1000
#define A_X		0x2000	/* footnote [x]: crossed connection */
#define A_P		0x4000	/* footnote [p]: passive option */
#define A_R		0x8000	/* footnote [r]: restart option */

struct fsm_trans {
	uint16_t	 ft_act;
	int8_t		 ft_next;	/* -1: illegal event ('-') */
};

#define ILL		{ 0, -1 }
#define T(a, s)		{ (a), (s) }

/*
 * RFC 1661 4.1, the state transition table: one row per event, one
 * column per state 0 Initial .. 9 Opened.
 */
static const struct fsm_trans fsm_table[FSM_NEVENTS][FSM_NSTATES] = {
	[FSM_EV_UP] = {
		T(0, 2), T(A_IRC | A_SCR, 6), ILL, ILL, ILL, ILL,
		ILL, ILL, ILL, ILL },
	[FSM_EV_DOWN] = {
		ILL, ILL, T(0, 0), T(A_TLS, 1), T(0, 0), T(0, 1),
		T(0, 1), T(0, 1), T(0, 1), T(A_TLD, 1) },
	[FSM_EV_OPEN] = {
		T(A_TLS, 1), T(0, 1), T(A_IRC | A_SCR, 6), T(A_R, 3),
		T(A_R, 5), T(A_R, 5),
		T(0, 6), T(0, 7), T(0, 8), T(A_R, 9) },
	[FSM_EV_CLOSE] = {
		T(0, 0), T(A_TLF, 0), T(0, 2), T(0, 2), T(0, 4), T(0, 4),
		T(A_IRC | A_STR, 4), T(A_IRC | A_STR, 4),
		T(A_IRC | A_STR, 4), T(A_TLD | A_IRC | A_STR, 4) },
	[FSM_EV_TO_PLUS] = {
		ILL, ILL, ILL, ILL, T(A_STR, 4), T(A_STR, 5),
		T(A_SCR, 6), T(A_SCR, 6), T(A_SCR, 8), ILL },
	[FSM_EV_TO_MINUS] = {
		ILL, ILL, ILL, ILL, T(A_TLF, 2), T(A_TLF, 3),
		T(A_TLF | A_P, 3), T(A_TLF | A_P, 3), T(A_TLF | A_P, 3),
		ILL },
	[FSM_EV_RCR_PLUS] = {
		ILL, ILL, T(A_STA, 2), T(A_IRC | A_SCR | A_SCA, 8),
		T(0, 4), T(0, 5),
		T(A_SCA, 8), T(A_SCA | A_TLU, 9), T(A_SCA, 8),
		T(A_TLD | A_SCR | A_SCA, 8) },
	[FSM_EV_RCR_MINUS] = {
		ILL, ILL, T(A_STA, 2), T(A_IRC | A_SCR | A_SCN, 6),
		T(0, 4), T(0, 5),
		T(A_SCN, 6), T(A_SCN, 7), T(A_SCN, 6),
		T(A_TLD | A_SCR | A_SCN, 6) },
	[FSM_EV_RCA] = {
		ILL, ILL, T(A_STA, 2), T(A_STA, 3), T(0, 4), T(0, 5),
		T(A_IRC, 7), T(A_SCR | A_X, 6), T(A_IRC | A_TLU, 9),
		T(A_TLD | A_SCR | A_X, 6) },
	[FSM_EV_RCN] = {
		ILL, ILL, T(A_STA, 2), T(A_STA, 3), T(0, 4), T(0, 5),
		T(A_IRC | A_SCR, 6), T(A_SCR | A_X, 6), T(A_IRC | A_SCR, 8),
		T(A_TLD | A_SCR | A_X, 6) },
	[FSM_EV_RTR] = {
		ILL, ILL, T(A_STA, 2), T(A_STA, 3), T(A_STA, 4),
		T(A_STA, 5), T(A_STA, 6), T(A_STA, 6), T(A_STA, 6),
		T(A_TLD | A_ZRC | A_STA, 5) },
	[FSM_EV_RTA] = {
		ILL, ILL, T(0, 2), T(0, 3), T(A_TLF, 2), T(A_TLF, 3),
		T(0, 6), T(0, 6), T(0, 8), T(A_TLD | A_SCR, 6) },
	[FSM_EV_RUC] = {
		ILL, ILL, T(A_SCJ, 2), T(A_SCJ, 3), T(A_SCJ, 4),
		T(A_SCJ, 5), T(A_SCJ, 6), T(A_SCJ, 7), T(A_SCJ, 8),
		T(A_SCJ, 9) },
	[FSM_EV_RXJ_PLUS] = {
		ILL, ILL, T(0, 2), T(0, 3), T(0, 4), T(0, 5),
		T(0, 6), T(0, 6), T(0, 8), T(0, 9) },
	[FSM_EV_RXJ_MINUS] = {
		ILL, ILL, T(A_TLF, 2), T(A_TLF, 3), T(A_TLF, 2),
		T(A_TLF, 3), T(A_TLF, 3), T(A_TLF, 3), T(A_TLF, 3),
		T(A_TLD | A_IRC | A_STR, 5) },
	[FSM_EV_RXR] = {
		ILL, ILL, T(0, 2), T(0, 3), T(0, 4), T(0, 5),
		T(0, 6), T(0, 7), T(0, 8), T(A_SER, 9) },
};

static const char *const fsm_state_names[FSM_NSTATES] = {
	"Initial", "Starting", "Closed", "Stopped", "Closing", "Stopping",
	"Req-Sent", "Ack-Rcvd", "Ack-Sent", "Opened",
};

static const char *const fsm_event_names[FSM_NEVENTS] = {
	"Up", "Down", "Open", "Close", "TO+", "TO-", "RCR+", "RCR-",
	"RCA", "RCN", "RTR", "RTA", "RUC", "RXJ+", "RXJ-", "RXR",
};

const char *
fsm_state_name(enum fsm_state s)
{
	if ((unsigned int)s >= FSM_NSTATES)
		return ("unknown");
	return (fsm_state_names[s]);
}

const char *
fsm_event_name(enum fsm_event e)
{
	if ((unsigned int)e >= FSM_NEVENTS)
		return ("unknown");
	return (fsm_event_names[e]);
}

void
fsm_init(struct fsm *fs, const char *name, uint16_t proto,
    const struct fsm_callbacks *cb, void *arg)
{
	memset(fs, 0, sizeof(*fs));
	fs->fs_name = name;
	fs->fs_proto = proto;
	fs->fs_cb = cb;
	fs->fs_arg = arg;
	fs->fs_state = FSM_INITIAL;
	fs->fs_max_terminate = FSM_MAX_TERMINATE;
	fs->fs_max_configure = FSM_MAX_CONFIGURE;
	fs->fs_max_failure = FSM_MAX_FAILURE;
	fs->fs_restart_ms = FSM_RESTART_MS;
	fs->fs_peer_mru = PPP_MRU_DEFAULT;
	fs->fs_id = 1;
}

/* RFC 1661 4.1: the states with TO events are those the timer runs in. */
static int
fsm_timer_state(enum fsm_state s)
{
	return (s == FSM_CLOSING || s == FSM_STOPPING || s == FSM_REQSENT ||
	    s == FSM_ACKRCVD || s == FSM_ACKSENT);
}

static void
fsm_set_state(struct fsm *fs, enum fsm_state s)
{
	if (fs->fs_state != s)
		log_info("%s: %s -> %s", fs->fs_name,
		    fsm_state_name(fs->fs_state), fsm_state_name(s));
	fs->fs_state = s;
	/*
	 * "The Restart timer is stopped when transitioning from any state
	 * where the timer is running to a state where the timer is not
	 * running."
	 */
	if (!fsm_timer_state(s) && fs->fs_timer_on) {
		fs->fs_timer_on = 0;
		if (fs->fs_cb->fc_timer_stop != NULL)
			fs->fs_cb->fc_timer_stop(fs);
	}
}

static void
fsm_timer_start(struct fsm *fs)
{
	fs->fs_timer_on = 1;
	if (fs->fs_cb->fc_timer_start != NULL)
		fs->fs_cb->fc_timer_start(fs, fs->fs_restart_ms);
}

uint8_t
fsm_new_id(struct fsm *fs)
{
	return (fs->fs_id++);
}

void
fsm_send(struct fsm *fs, uint8_t code, uint8_t id, const void *data,
    size_t len)
{
	uint8_t		 buf[FSM_PKT_MAX];
	struct obuf	 o;

	obuf_init(&o, buf, sizeof(buf));
	ppp_cp_put(&o, code, id, data, len);
	if (obuf_error(&o) == -1) {
		log_warnx("%s: %s too long to send", fs->fs_name,
		    ppp_code_name(fs->fs_proto, code));
		return;
	}
	log_debug("%s: send %s id %u len %zu", fs->fs_name,
	    ppp_code_name(fs->fs_proto, code), id, o.o_len);
	fs->fs_cb->fc_send(fs, buf, o.o_len);
}

/*
 * scr: a fresh Identifier each time, retransmissions included (RFC 1661
 * 5.1 allows either), and the options kept to check the Ack against.
 */
static void
fsm_scr(struct fsm *fs)
{
	struct obuf	 o;

	obuf_init(&o, fs->fs_req, sizeof(fs->fs_req));
	fs->fs_cb->fc_build_req(fs, &o);
	if (obuf_error(&o) == -1) {
		log_warnx("%s: Configure-Request options do not fit",
		    fs->fs_name);
		o.o_len = 0;
	}
	fs->fs_reqlen = o.o_len;
	fs->fs_reqid = fsm_new_id(fs);
	fs->fs_reply_seen = 0;
	fsm_send(fs, PPP_CONF_REQ, fs->fs_reqid, fs->fs_req, fs->fs_reqlen);
	/* "The Restart counter is decremented each time a
	 * Configure-Request is sent." */
	if (fs->fs_restart > 0)
		fs->fs_restart--;
	fsm_timer_start(fs);
}

static void
fsm_str(struct fsm *fs)
{
	fsm_send(fs, PPP_TERM_REQ, fsm_new_id(fs), fs->fs_reason,
	    strlen(fs->fs_reason));
	if (fs->fs_restart > 0)
		fs->fs_restart--;
	fsm_timer_start(fs);
}

/* scj: the rejected packet as received, cut to the peer's MRU. */
static void
fsm_scj(struct fsm *fs, const struct fsm_pkt *p)
{
	uint8_t		 rej[FSM_PKT_MAX], buf[FSM_PKT_MAX];
	struct obuf	 o;
	size_t		 len = p->fp_len;

	if (len > sizeof(rej) - PPP_CP_HDRLEN)
		len = sizeof(rej) - PPP_CP_HDRLEN;
	obuf_init(&o, rej, sizeof(rej));
	obuf_put_u8(&o, p->fp_code);
	obuf_put_u8(&o, p->fp_id);
	obuf_put_u16(&o, (uint16_t)(PPP_CP_HDRLEN + p->fp_len));
	obuf_put_bytes(&o, p->fp_data, len);
	len = o.o_len;
	obuf_init(&o, buf, sizeof(buf));
	ppp_coderej_put(&o, fsm_new_id(fs), rej,
	    len, fs->fs_peer_mru < sizeof(buf) ? fs->fs_peer_mru :
	    (uint16_t)sizeof(buf));
	if (obuf_error(&o) == -1)
		return;
	log_debug("%s: send Code-Reject of code %u", fs->fs_name,
	    p->fp_code);
	fs->fs_cb->fc_send(fs, buf, o.o_len);
}

/*
 * Runs one event: the actions of the table entry, then the new state.
 * skip holds actions already done by the caller (tld before a
 * Configure-Request is judged in Opened).
 */
static void
fsm_dispatch(struct fsm *fs, enum fsm_event ev, unsigned int skip)
{
	const struct fsm_pkt	*p = fs->fs_pkt;
	enum fsm_state		 from = fs->fs_state;
	struct fsm_trans	 t;
	unsigned int		 act;

	t = fsm_table[ev][from];
	if (t.ft_next < 0) {
		log_warnx("%s: illegal event %s in state %s, ignored",
		    fs->fs_name, fsm_event_name(ev), fsm_state_name(from));
		return;
	}
	act = t.ft_act & ~skip;
	log_debug("%s: event %s in state %s", fs->fs_name,
	    fsm_event_name(ev), fsm_state_name(from));

	/* [p]: wait passively for the peer instead of finishing. */
	if ((act & A_P) && (fs->fs_flags & FSM_F_PASSIVE))
		act &= ~A_TLF;
	/* [x]: RFC 1661 4.3 RCA: "this occurance SHOULD be logged". */
	if (act & A_X)
		log_info("%s: %s in state %s: crossed connection, "
		    "renegotiating", fs->fs_name, fsm_event_name(ev),
		    fsm_state_name(from));
	/* The packet-answering actions only follow a received packet. */
	if (p == NULL && (act & (A_SCA | A_SCN | A_STA | A_SCJ | A_SER))) {
		log_warnx("%s: %s in state %s without a packet", fs->fs_name,
		    fsm_event_name(ev), fsm_state_name(from));
		act &= ~(A_SCA | A_SCN | A_STA | A_SCJ | A_SER);
	}

	if ((act & A_TLD) && fs->fs_cb->fc_down != NULL)
		fs->fs_cb->fc_down(fs);
	if (act & A_IRC) {
		/* RFC 1661 4.4: "Max-Terminate or Max-Configure". */
		fs->fs_restart = (act & A_STR) ? fs->fs_max_terminate :
		    fs->fs_max_configure;
		/*
		 * A negotiation starting afresh (from Starting, Closed or
		 * Stopped), not a reply to the peer's Nak or Ack: what the
		 * owner learnt from Naks, and the Max-Failure count, go.
		 */
		if ((act & A_SCR) && from < FSM_CLOSING) {
			fs->fs_naks = 0;
			if (fs->fs_cb->fc_reset != NULL)
				fs->fs_cb->fc_reset(fs);
		}
	}
	if (act & A_ZRC) {
		fs->fs_restart = 0;
		fsm_timer_start(fs);
	}
	if (act & A_SCR)
		fsm_scr(fs);
	if (act & A_SCA) {
		/* RFC 1661 5.2: the options go back unchanged. */
		fsm_send(fs, PPP_CONF_ACK, p->fp_id, p->fp_data, p->fp_len);
		fs->fs_naks = 0;
	}
	if (act & A_SCN) {
		fsm_send(fs, p->fp_reply_code, p->fp_id, p->fp_reply,
		    p->fp_replylen);
		if (p->fp_reply_code == PPP_CONF_NAK)
			fs->fs_naks++;
	}
	if (act & A_STR)
		fsm_str(fs);
	if (act & A_STA)
		fsm_send(fs, PPP_TERM_ACK, p->fp_id, NULL, 0);
	if (act & A_SCJ)
		fsm_scj(fs, p);
	if ((act & A_SER) && p->fp_code == PPP_ECHO_REQ &&
	    fs->fs_cb->fc_ser != NULL)
		fs->fs_cb->fc_ser(fs, p->fp_id, p->fp_data, p->fp_len);

	fsm_set_state(fs, (enum fsm_state)t.ft_next);

	if ((act & A_TLU) && fs->fs_cb->fc_up != NULL)
		fs->fs_cb->fc_up(fs);
	if ((act & A_TLF) && fs->fs_cb->fc_finished != NULL)
		fs->fs_cb->fc_finished(fs);
	if ((act & A_TLS) && fs->fs_cb->fc_started != NULL)
		fs->fs_cb->fc_started(fs);

	/*
	 * [r]: RFC 1661 4.3 Open, implementation option: an Open in
	 * Opened, Closing, Stopping or Stopped renegotiates, as a Down
	 * followed by an Up.
	 */
	if ((act & A_R) && (fs->fs_flags & FSM_F_RESTART)) {
		fsm_dispatch(fs, FSM_EV_DOWN, 0);
		fsm_dispatch(fs, FSM_EV_UP, 0);
	}
}

void
fsm_up(struct fsm *fs)
{
	fsm_dispatch(fs, FSM_EV_UP, 0);
}

void
fsm_down(struct fsm *fs)
{
	fsm_dispatch(fs, FSM_EV_DOWN, 0);
}

void
fsm_open(struct fsm *fs)
{
	fsm_dispatch(fs, FSM_EV_OPEN, 0);
}

void
fsm_close(struct fsm *fs, const char *reason)
{
	if (reason == NULL)
		reason = "";
	(void)snprintf(fs->fs_reason, sizeof(fs->fs_reason), "%s", reason);
	fsm_dispatch(fs, FSM_EV_CLOSE, 0);
}

void
fsm_timeout(struct fsm *fs)
{
	fs->fs_timer_on = 0;
	if (!fsm_timer_state(fs->fs_state)) {
		log_debug("%s: stale restart timer in state %s", fs->fs_name,
		    fsm_state_name(fs->fs_state));
		return;
	}
	/* RFC 1661 4.3: TO+ while the counter is above zero. */
	fsm_dispatch(fs, fs->fs_restart > 0 ? FSM_EV_TO_PLUS :
	    FSM_EV_TO_MINUS, 0);
}

static void
fsm_drop(struct fsm *fs, uint8_t code, uint8_t id, const char *why)
{
	log_debug("%s: received %s id %u in state %s: %s, dropped",
	    fs->fs_name, ppp_code_name(fs->fs_proto, code), id,
	    fsm_state_name(fs->fs_state), why);
}

/* Configure-Request: RCR+ or RCR- as the owner judges the options. */
static void
fsm_rcr(struct fsm *fs, struct fsm_pkt *p)
{
	uint8_t		 reply[FSM_PKT_MAX];
	struct obuf	 o;
	unsigned int	 skip = 0;
	int		 verdict;

	switch (fs->fs_state) {
	case FSM_CLOSED:
	case FSM_CLOSING:
	case FSM_STOPPING:
		/* RCR+ and RCR- are the same here: no need to judge. */
		fsm_dispatch(fs, FSM_EV_RCR_PLUS, 0);
		return;
	case FSM_OPENED:
		/*
		 * tld first, so that the owner's down handler runs before
		 * it records what the peer asks for now (pppd's order).
		 */
		if (fs->fs_cb->fc_down != NULL)
			fs->fs_cb->fc_down(fs);
		skip = A_TLD;
		break;
	default:
		break;
	}
	obuf_init(&o, reply, sizeof(reply));
	verdict = fs->fs_cb->fc_check_req(fs, p->fp_data, p->fp_len, &o,
	    fs->fs_naks < fs->fs_max_failure);
	if (verdict != PPP_CONF_ACK && verdict != PPP_CONF_NAK &&
	    verdict != PPP_CONF_REJ) {
		log_warnx("%s: bad verdict %d on a Configure-Request, "
		    "rejecting", fs->fs_name, verdict);
		verdict = PPP_CONF_REJ;
	}
	if (verdict != PPP_CONF_ACK && obuf_error(&o) == -1) {
		log_warnx("%s: Configure-%s does not fit, rejecting all",
		    fs->fs_name, verdict == PPP_CONF_NAK ? "Nak" : "Reject");
		verdict = PPP_CONF_REJ;
		o.o_len = p->fp_len < sizeof(reply) ? p->fp_len : 0;
		memcpy(reply, p->fp_data, o.o_len);
	}
	p->fp_reply_code = (uint8_t)verdict;
	p->fp_reply = reply;
	p->fp_replylen = o.o_len;
	fsm_dispatch(fs, verdict == PPP_CONF_ACK ? FSM_EV_RCR_PLUS :
	    FSM_EV_RCR_MINUS, skip);
}

/*
 * Configure-Ack/Nak/Reject: "On reception of a Configure-Ack, the
 * Identifier field MUST match that of the last transmitted
 * Configure-Request.  Additionally, the Configuration Options in a
 * Configure-Ack MUST exactly match those of the last transmitted
 * Configure-Request.  Invalid packets are silently discarded." (RFC 1661
 * 5.2, likewise 5.3 and 5.4.)  Once a valid reply came, the next must
 * carry a new Identifier, so a second one to the same request is stale.
 */
static void
fsm_rconf_reply(struct fsm *fs, struct fsm_pkt *p)
{
	int	(*fn)(struct fsm *, const uint8_t *, size_t);

	if (p->fp_id != fs->fs_reqid || fs->fs_reply_seen) {
		fsm_drop(fs, p->fp_code, p->fp_id, "not the identifier of "
		    "our Configure-Request");
		return;
	}
	if (p->fp_code == PPP_CONF_ACK && (p->fp_len != fs->fs_reqlen ||
	    (p->fp_len > 0 && memcmp(p->fp_data, fs->fs_req, p->fp_len)))) {
		fsm_drop(fs, p->fp_code, p->fp_id, "options differ from our "
		    "Configure-Request");
		return;
	}
	switch (fs->fs_state) {
	case FSM_REQSENT:
	case FSM_ACKRCVD:
	case FSM_ACKSENT:
	case FSM_OPENED:
		if (p->fp_code == PPP_CONF_ACK)
			fn = fs->fs_cb->fc_recv_ack;
		else if (p->fp_code == PPP_CONF_NAK)
			fn = fs->fs_cb->fc_recv_nak;
		else
			fn = fs->fs_cb->fc_recv_rej;
		if (fn != NULL && fn(fs, p->fp_data, p->fp_len) == -1) {
			fsm_drop(fs, p->fp_code, p->fp_id, "invalid");
			return;
		}
		break;
	default:
		break;
	}
	fs->fs_reply_seen = 1;
	fsm_dispatch(fs, p->fp_code == PPP_CONF_ACK ? FSM_EV_RCA :
	    FSM_EV_RCN, 0);
}

/*
 * Code-Reject: RFC 1661 4.3, RXJ- "when the rejected value is
 * catastrophic, such as a Code-Reject of Configure-Request"; 5.6: a code
 * "fundamental to this version of the protocol".  Codes 1 to 7 are the
 * ones every LCP and NCP needs; the LCP extensions (8 to 13, RFC 1570
 * 1.1 says RXJ+ for Identification) are not.
 */
static void
fsm_rxj(struct fsm *fs, struct fsm_pkt *p)
{
	struct ppp_cp		 cp;
	struct ppp_coderej	 cr;
	int			 bad;

	memset(&cp, 0, sizeof(cp));
	cp.cp_code = p->fp_code;
	cp.cp_data = p->fp_data;
	cp.cp_datalen = p->fp_len;
	if (ppp_coderej_parse(&cp, &cr) == -1) {
		fsm_drop(fs, p->fp_code, p->fp_id, "empty");
		return;
	}
	if (fs->fs_cb->fc_coderej != NULL)
		bad = fs->fs_cb->fc_coderej(fs, cr.pcr_code);
	else
		bad = cr.pcr_code >= PPP_CONF_REQ &&
		    cr.pcr_code <= PPP_CODE_REJ;
	log_info("%s: peer rejected code %u (%s)%s", fs->fs_name, cr.pcr_code,
	    ppp_code_name(fs->fs_proto, cr.pcr_code),
	    bad ? ", which we cannot do without" : "");
	fsm_dispatch(fs, bad ? FSM_EV_RXJ_MINUS : FSM_EV_RXJ_PLUS, 0);
}

void
fsm_input(struct fsm *fs, uint8_t code, uint8_t id, const uint8_t *data,
    size_t len)
{
	struct fsm_pkt	 p;
	int		 ev;

	/*
	 * Nothing can arrive with the lower layer down: RFC 1661 4.1 marks
	 * every receive event illegal in Initial and Starting.  A packet
	 * still queued from before is not worth a warning.
	 */
	if (fs->fs_state == FSM_INITIAL || fs->fs_state == FSM_STARTING) {
		fsm_drop(fs, code, id, "lower layer is down");
		return;
	}
	memset(&p, 0, sizeof(p));
	p.fp_code = code;
	p.fp_id = id;
	p.fp_data = data;
	p.fp_len = len;
	fs->fs_pkt = &p;
	log_debug("%s: received %s id %u len %zu in state %s", fs->fs_name,
	    ppp_code_name(fs->fs_proto, code), id, len + PPP_CP_HDRLEN,
	    fsm_state_name(fs->fs_state));

	switch (code) {
	case PPP_CONF_REQ:
	case PPP_CONF_ACK:
	case PPP_CONF_NAK:
	case PPP_CONF_REJ:
		/* RFC 1661 6: an option past the end drops the packet. */
		if (ppp_opts_valid(data, len) == -1) {
			fsm_drop(fs, code, id, "malformed options");
			break;
		}
		if (code == PPP_CONF_REQ)
			fsm_rcr(fs, &p);
		else
			fsm_rconf_reply(fs, &p);
		break;
	case PPP_TERM_REQ:
		fsm_dispatch(fs, FSM_EV_RTR, 0);
		break;
	case PPP_TERM_ACK:
		/*
		 * Not matched against our Terminate-Request: RFC 1661 5.5
		 * gives an unelicited Terminate-Ack a meaning of its own
		 * (the peer is Closed or Stopped), and 4.1 acts on it in
		 * Opened, where we sent nothing to match.
		 */
		fsm_dispatch(fs, FSM_EV_RTA, 0);
		break;
	case PPP_CODE_REJ:
		fsm_rxj(fs, &p);
		break;
	default:
		ev = FSM_EV_RUC;
		if (fs->fs_cb->fc_extcode != NULL)
			ev = fs->fs_cb->fc_extcode(fs, code, id, data, len);
		if (ev == -1)
			break;
		if (ev != FSM_EV_RXR && ev != FSM_EV_RXJ_PLUS &&
		    ev != FSM_EV_RXJ_MINUS)
			ev = FSM_EV_RUC;
		fsm_dispatch(fs, (enum fsm_event)ev, 0);
		break;
	}
	fs->fs_pkt = NULL;
}

int
fsm_input_packet(struct fsm *fs, const uint8_t *buf, size_t len)
{
	struct ppp_cp	 cp;

	if (ppp_cp_parse(buf, len, &cp) == -1) {
		log_debug("%s: malformed packet of %zu octets dropped",
		    fs->fs_name, len);
		return (-1);
	}
	fsm_input(fs, cp.cp_code, cp.cp_id, cp.cp_data, cp.cp_datalen);
	return (0);
}
