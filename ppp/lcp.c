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
#include <stdlib.h>
#include <string.h>

#include "common/cursor.h"
#include "common/log.h"
#include "ppp/fsm.h"
#include "ppp/ppp_parse.h"
#include "ppp/ppp_session.h"

/*
 * LCP (RFC 1661 5, 6; RFC 1570): the options of our Configure-Request,
 * the judgement of the peer's, the keepalive and the LCP-only codes.
 * The automaton itself is ppp/fsm.c; the phase changes its tlu/tld/tlf
 * cause are ppp_session.c's.
 *
 * What we ask for: MRU when ours is not the default, a Magic-Number, and
 * as the authenticator one Authentication-Protocol, the first of our
 * list the peer has not refused.
 *
 * What we grant: MRU of PPP_MRU_MIN or more, any Magic-Number but ours
 * and zero, and as the client an Authentication-Protocol we can do.
 * ACCM, PFC and ACFC are Rejected: L2TP carries PPP frames whole, with
 * no HDLC framing for an ACCM to act on (RFC 2661 says the ACCM means
 * nothing to an LNS), and refusing the compressions keeps every frame's
 * header the same fixed shape for the data path.  A client asking the
 * server to authenticate itself is Rejected too: we have no secret to
 * prove ourselves with.  Anything else is Rejected as unknown.
 */

#define LCP_MAX_NAKS_RCVD	(2 * FSM_MAX_CONFIGURE)

static struct ppp_session *
lcp_session(struct fsm *fs)
{
	return (fs->fs_arg);
}

static uint32_t
lcp_new_magic(uint32_t avoid1, uint32_t avoid2)
{
	uint32_t	 m;

	do {
		m = arc4random();
	} while (m == 0 || m == avoid1 || m == avoid2);
	return (m);
}

static int
lcp_auth_encode(enum conf_auth a, uint16_t *proto, uint8_t *alg)
{
	*alg = 0;
	switch (a) {
	case CONF_AUTH_PAP:
		*proto = PPP_PROTO_PAP;
		return (0);
	case CONF_AUTH_CHAP:
		*proto = PPP_PROTO_CHAP;
		*alg = CHAP_ALG_MD5;
		return (0);
	case CONF_AUTH_MSCHAPV2:
		*proto = PPP_PROTO_CHAP;
		*alg = CHAP_ALG_MSCHAPV2;
		return (0);
	default:
		return (-1);
	}
}

/* The method an Authentication-Protocol option names, NONE if unknown. */
static enum conf_auth
lcp_auth_decode(const struct lcp_optval *v)
{
	if (v->lo_auth == PPP_PROTO_PAP)
		return (CONF_AUTH_PAP);
	if (v->lo_auth == PPP_PROTO_CHAP && v->lo_chap_alg == CHAP_ALG_MD5)
		return (CONF_AUTH_CHAP);
	if (v->lo_auth == PPP_PROTO_CHAP &&
	    v->lo_chap_alg == CHAP_ALG_MSCHAPV2)
		return (CONF_AUTH_MSCHAPV2);
	return (CONF_AUTH_NONE);
}

static int
lcp_auth_in_list(const struct ppp_session *s, enum conf_auth a)
{
	size_t	 i;

	for (i = 0; i < s->ses_nauth; i++)
		if (s->ses_auth[i] == a)
			return (1);
	return (0);
}

static void
lcp_auth_list(const struct ppp_session *s, char *buf, size_t size)
{
	size_t	 i;

	buf[0] = '\0';
	for (i = 0; i < s->ses_nauth; i++) {
		if (i > 0)
			(void)strlcat(buf, ", ", size);
		(void)strlcat(buf, ppp_auth_name(s->ses_auth[i]), size);
	}
}

/* Server: the method we ask for now, CONF_AUTH_NONE when none is left. */
static enum conf_auth
lcp_auth_current(const struct ppp_session *s)
{
	const struct ppp_lcp	*l = &s->ses_lcp;

	if (l->lc_auth_idx >= s->ses_nauth)
		return (CONF_AUTH_NONE);
	return (s->ses_auth[l->lc_auth_idx]);
}

/*
 * RFC 1661 6.2: "If that protocol is Configure-Nak'd, then the
 * implementation SHOULD attempt the next most desirable protocol".  The
 * peer's own suggestion wins when it is on our list and not yet refused;
 * otherwise the next method of our list.  A Reject of the option is
 * taken the same way (some clients Reject what they mean to Nak); with
 * nothing left the session ends, as a server never lets a peer in
 * unauthenticated.
 */
static void
lcp_auth_refused(struct ppp_session *s, enum conf_auth suggested,
    const char *how)
{
	struct ppp_lcp	*l = &s->ses_lcp;
	enum conf_auth	 cur = lcp_auth_current(s);
	char		 list[64];
	size_t		 i;

	if (cur == CONF_AUTH_NONE)
		return;
	l->lc_auth_refused |= 1U << cur;
	if (suggested != CONF_AUTH_NONE && lcp_auth_in_list(s, suggested) &&
	    (l->lc_auth_refused & (1U << suggested)) == 0) {
		for (i = 0; i < s->ses_nauth; i++)
			if (s->ses_auth[i] == suggested)
				l->lc_auth_idx = i;
	} else {
		for (i = 0; i < s->ses_nauth; i++)
			if ((l->lc_auth_refused & (1U << s->ses_auth[i])) == 0)
				break;
		l->lc_auth_idx = i;
	}
	if (lcp_auth_current(s) == CONF_AUTH_NONE) {
		lcp_auth_list(s, list, sizeof(list));
		ppp_session_fail(s, "No common authentication protocol",
		    "peer refused every authentication method we offer (%s)",
		    list);
		return;
	}
	ppp_session_log(s, LOG_INFO, "peer %s %s%s%s, asking for %s", how,
	    ppp_auth_name(cur), suggested != CONF_AUTH_NONE ?
	    " and suggested " : "", suggested != CONF_AUTH_NONE ?
	    ppp_auth_name(suggested) : "", ppp_auth_name(lcp_auth_current(s)));
}

/* fc_reset: a fresh negotiation forgets what Naks and Rejects taught. */
static void
lcp_reset(struct fsm *fs)
{
	struct ppp_session	*s = lcp_session(fs);
	struct ppp_lcp		*l = &s->ses_lcp;

	l->lc_mru = s->ses_mru;
	l->lc_want_mru = s->ses_mru != PPP_MRU_DEFAULT;
	l->lc_want_magic = 1;
	l->lc_magic = lcp_new_magic(0, 0);
	l->lc_auth_idx = 0;
	l->lc_auth_refused = 0;
	l->lc_naks_rcvd = 0;
	l->lc_peer_mru = PPP_MRU_DEFAULT;
	l->lc_peer_magic = 0;
	l->lc_peer_auth = CONF_AUTH_NONE;
	fs->fs_peer_mru = PPP_MRU_DEFAULT;
}

/* scr: options in ascending type order, as most implementations send. */
static void
lcp_build_req(struct fsm *fs, struct obuf *o)
{
	struct ppp_session	*s = lcp_session(fs);
	struct ppp_lcp		*l = &s->ses_lcp;
	enum conf_auth		 a;
	uint16_t		 proto;
	uint8_t			 alg;

	if (l->lc_want_mru)
		lcp_opt_put_mru(o, l->lc_mru);
	if (s->ses_role == PPP_ROLE_SERVER) {
		/*
		 * With every method refused the session is closing; still
		 * ask for one, so that no Ack can open LCP without it.
		 */
		if ((a = lcp_auth_current(s)) == CONF_AUTH_NONE)
			a = s->ses_auth[s->ses_nauth - 1];
		if (lcp_auth_encode(a, &proto, &alg) == 0)
			lcp_opt_put_auth(o, proto, alg);
	}
	if (l->lc_want_magic)
		lcp_opt_put_magic(o, l->lc_magic);
}

/*
 * RCR+/RCR-: RFC 1661 5.3/5.4 -- any unacceptable-and-unknown option
 * makes a Configure-Reject of just those; otherwise options with values
 * we cannot take make a Configure-Nak with values we can; otherwise Ack.
 * With nak_ok 0 (Max-Failure reached) what would be Nak'd is Rejected.
 */
static int
lcp_check_req(struct fsm *fs, const uint8_t *buf, size_t len,
    struct obuf *reply, int nak_ok)
{
	struct ppp_session	*s = lcp_session(fs);
	struct ppp_lcp		*l = &s->ses_lcp;
	uint8_t			 nakbuf[FSM_PKT_MAX], rejbuf[FSM_PKT_MAX];
	struct obuf		 nak, rej;
	struct ppp_opt_iter	 it;
	struct ppp_opt		 opt;
	struct lcp_optval	 v;
	enum conf_auth		 a, auth = CONF_AUTH_NONE;
	uint16_t		 mru = PPP_MRU_DEFAULT, proto = 0;
	uint32_t		 magic = 0;
	uint8_t			 alg;
	int			 bad;

	obuf_init(&nak, nakbuf, sizeof(nakbuf));
	obuf_init(&rej, rejbuf, sizeof(rejbuf));
	ppp_opt_iter_init(&it, buf, len);
	while (ppp_opt_next(&it, &opt) == 1) {
		bad = lcp_opt_decode(&opt, &v) == -1;
		switch (bad ? -1 : opt.po_type) {
		case LCP_OPT_MRU:
			if (v.lo_mru >= PPP_MRU_MIN) {
				mru = v.lo_mru;
				break;
			}
			if (!nak_ok)
				ppp_opt_put_raw(&rej, &opt);
			else
				lcp_opt_put_mru(&nak, PPP_MRU_MIN);
			break;
		case LCP_OPT_AUTH:
			if (s->ses_role == PPP_ROLE_SERVER) {
				ppp_session_log(s, LOG_INFO, "peer asks us to "
				    "authenticate ourselves, rejected");
				ppp_opt_put_raw(&rej, &opt);
				break;
			}
			a = lcp_auth_decode(&v);
			if (a != CONF_AUTH_NONE && lcp_auth_in_list(s, a)) {
				auth = a;
				break;
			}
			if (!nak_ok) {
				ppp_opt_put_raw(&rej, &opt);
				break;
			}
			/* RFC 1661 6.2: Nak with the one we would rather. */
			(void)lcp_auth_encode(s->ses_auth[0], &proto, &alg);
			lcp_opt_put_auth(&nak, proto, alg);
			ppp_session_log(s, LOG_INFO, "server asks for "
			    "authentication protocol 0x%04x%s%s, suggesting "
			    "%s", v.lo_auth, v.lo_auth == PPP_PROTO_CHAP ?
			    " algorithm " : "", v.lo_auth == PPP_PROTO_CHAP ?
			    chap_alg_name(v.lo_chap_alg) : "",
			    ppp_auth_name(s->ses_auth[0]));
			break;
		case LCP_OPT_MAGIC:
			/*
			 * RFC 1661 6.4: zero "MUST always be Nak'd", and one
			 * equal to ours may mean a looped-back link: Nak
			 * with a different value.
			 */
			if (v.lo_magic != 0 && (!l->lc_want_magic ||
			    v.lo_magic != l->lc_magic)) {
				magic = v.lo_magic;
				break;
			}
			if (v.lo_magic != 0)
				ppp_session_log(s, LOG_INFO, "peer's "
				    "Magic-Number is ours: looped back?");
			if (!nak_ok)
				ppp_opt_put_raw(&rej, &opt);
			else
				lcp_opt_put_magic(&nak, lcp_new_magic(
				    l->lc_magic, v.lo_magic));
			break;
		default:
			/* ACCM, PFC, ACFC, Quality, Callback, Multilink... */
			ppp_session_log(s, LOG_DEBUG, "rejecting LCP option "
			    "%u (%s)%s", opt.po_type,
			    lcp_opt_name(opt.po_type),
			    bad ? " of a wrong length" : "");
			ppp_opt_put_raw(&rej, &opt);
			break;
		}
	}
	if (rej.o_len > 0) {
		obuf_put_bytes(reply, rejbuf, rej.o_len);
		return (PPP_CONF_REJ);
	}
	if (nak.o_len > 0) {
		obuf_put_bytes(reply, nakbuf, nak.o_len);
		return (PPP_CONF_NAK);
	}
	l->lc_peer_mru = mru;
	l->lc_peer_magic = magic;
	l->lc_peer_auth = auth;
	fs->fs_peer_mru = mru;
	return (PPP_CONF_ACK);
}

/* RCN: learn from the peer's suggestions (RFC 1661 5.3). */
static int
lcp_recv_nak(struct fsm *fs, const uint8_t *buf, size_t len)
{
	struct ppp_session	*s = lcp_session(fs);
	struct ppp_lcp		*l = &s->ses_lcp;
	struct ppp_opt_iter	 it;
	struct ppp_opt		 opt;
	struct lcp_optval	 v;

	if (++l->lc_naks_rcvd > LCP_MAX_NAKS_RCVD) {
		ppp_session_fail(s, "LCP negotiation failed", "LCP does not "
		    "converge: %u Configure-Naks", l->lc_naks_rcvd);
		return (0);
	}
	ppp_opt_iter_init(&it, buf, len);
	while (ppp_opt_next(&it, &opt) == 1) {
		if (lcp_opt_decode(&opt, &v) == -1)
			continue;
		switch (opt.po_type) {
		case LCP_OPT_MRU:
			/*
			 * A smaller MRU we can live with; for a larger one
			 * we stop asking: RFC 1661 6.1 has us take 1500
			 * octets anyway.
			 */
			if (v.lo_mru < PPP_MRU_MIN)
				break;
			if (v.lo_mru <= s->ses_mru) {
				l->lc_mru = v.lo_mru;
				l->lc_want_mru = v.lo_mru != PPP_MRU_DEFAULT;
			} else
				l->lc_want_mru = 0;
			break;
		case LCP_OPT_MAGIC:
			/* RFC 1661 6.4: "a new Magic-Number MUST be chosen". */
			l->lc_magic = lcp_new_magic(l->lc_magic, v.lo_magic);
			break;
		case LCP_OPT_AUTH:
			if (s->ses_role == PPP_ROLE_SERVER)
				lcp_auth_refused(s, lcp_auth_decode(&v),
				    "refused");
			break;
		default:
			break;
		}
	}
	return (0);
}

/* Is this exact option in our last Configure-Request? */
static int
lcp_opt_was_requested(const struct fsm *fs, const struct ppp_opt *want)
{
	struct ppp_opt_iter	 it;
	struct ppp_opt		 opt;

	ppp_opt_iter_init(&it, fs->fs_req, fs->fs_reqlen);
	while (ppp_opt_next(&it, &opt) == 1)
		if (opt.po_len == want->po_len &&
		    memcmp(opt.po_raw, want->po_raw, opt.po_len) == 0)
			return (1);
	return (0);
}

/* RCN (Reject): RFC 1661 5.4, only a subset of what we sent is valid. */
static int
lcp_recv_rej(struct fsm *fs, const uint8_t *buf, size_t len)
{
	struct ppp_session	*s = lcp_session(fs);
	struct ppp_lcp		*l = &s->ses_lcp;
	struct ppp_opt_iter	 it;
	struct ppp_opt		 opt;

	ppp_opt_iter_init(&it, buf, len);
	while (ppp_opt_next(&it, &opt) == 1)
		if (!lcp_opt_was_requested(fs, &opt))
			return (-1);
	ppp_opt_iter_init(&it, buf, len);
	while (ppp_opt_next(&it, &opt) == 1) {
		switch (opt.po_type) {
		case LCP_OPT_MRU:
			l->lc_want_mru = 0;
			break;
		case LCP_OPT_MAGIC:
			/* RFC 1661 6.4: as if Ack'd, with no magic. */
			l->lc_want_magic = 0;
			break;
		case LCP_OPT_AUTH:
			lcp_auth_refused(s, CONF_AUTH_NONE, "rejected");
			break;
		default:
			break;
		}
	}
	return (0);
}

static void
lcp_up(struct fsm *fs)
{
	struct ppp_session	*s = lcp_session(fs);
	struct ppp_lcp		*l = &s->ses_lcp;

	l->lc_naks_rcvd = 0;
	l->lc_echo_pending = 0;
	s->ses_au.au_method = s->ses_role == PPP_ROLE_SERVER ?
	    lcp_auth_current(s) : l->lc_peer_auth;
	ppp_session_log(s, LOG_INFO, "LCP open: our MRU %u, peer's MRU %u, "
	    "authentication %s", l->lc_want_mru ? l->lc_mru : PPP_MRU_DEFAULT,
	    l->lc_peer_mru, ppp_auth_name(s->ses_au.au_method));
	ppp_session_lcp_up(s);
}

static void
lcp_down(struct fsm *fs)
{
	ppp_session_lcp_down(lcp_session(fs));
}

/* tlf: say why the link is finished, as best we can tell. */
static void
lcp_finished(struct fsm *fs)
{
	struct ppp_session	*s = lcp_session(fs);
	struct ppp_lcp		*l = &s->ses_lcp;
	const struct fsm_pkt	*p = fs->fs_pkt;
	char			 why[PPP_REASON_MAX];

	if (p != NULL && p->fp_code == PPP_CODE_REJ)
		(void)strlcpy(why, "peer rejected an LCP code we cannot do "
		    "without", sizeof(why));
	else if (l->lc_peer_term && l->lc_peer_reason[0] != '\0')
		(void)snprintf(why, sizeof(why), "peer terminated the link: "
		    "%.*s", (int)(sizeof(why) - 32), l->lc_peer_reason);
	else if (l->lc_peer_term)
		(void)strlcpy(why, "peer terminated the link", sizeof(why));
	else if (!l->lc_heard)
		(void)strlcpy(why, "LCP negotiation failed: no answer from "
		    "the peer", sizeof(why));
	else
		(void)strlcpy(why, "LCP negotiation failed: the peer did not "
		    "agree to our options", sizeof(why));
	ppp_session_lcp_finished(s, why);
}

/* RFC 1661 5.7: stop using what the peer rejects; some things we need. */
static void
lcp_recv_protorej(struct ppp_session *s, const uint8_t *buf, size_t len)
{
	struct ppp_cp		 cp;
	struct lcp_protorej	 pr;

	memset(&cp, 0, sizeof(cp));
	cp.cp_code = PPP_PROTO_REJ;
	cp.cp_data = buf;
	cp.cp_datalen = len;
	if (lcp_protorej_parse(&cp, &pr) == -1)
		return;
	ppp_session_log(s, LOG_INFO, "peer rejected protocol 0x%04x (%s)",
	    pr.lpr_proto, ppp_proto_name(pr.lpr_proto));
	switch (pr.lpr_proto) {
	case PPP_PROTO_IPCP:
	case PPP_PROTO_IP:
		/* IPv4 is all we carry: without it the link is useless. */
		ppp_session_fail(s, "IPCP rejected", "peer refused IPCP "
		    "(Protocol-Reject)");
		break;
	case PPP_PROTO_PAP:
	case PPP_PROTO_CHAP:
		if (s->ses_phase == PPP_PHASE_AUTHENTICATE)
			ppp_session_fail(s, "Authentication refused", "peer "
			    "refused the authentication protocol it agreed "
			    "to (Protocol-Reject)");
		break;
	default:
		break;
	}
}

/*
 * Codes 8 to 13.  RFC 1661 5.7 and 5.8: Protocol-Reject, Echo-Request
 * and Echo-Reply outside Opened SHOULD be silently discarded; the
 * automaton's table already does nothing with RXR there.
 */
static int
lcp_extcode(struct fsm *fs, uint8_t code, uint8_t id, const uint8_t *buf,
    size_t len)
{
	struct ppp_session	*s = lcp_session(fs);
	struct ppp_lcp		*l = &s->ses_lcp;
	struct ppp_cp		 cp;
	struct lcp_echo		 e;

	(void)id;
	memset(&cp, 0, sizeof(cp));
	cp.cp_code = code;
	cp.cp_data = buf;
	cp.cp_datalen = len;
	switch (code) {
	case PPP_PROTO_REJ:
		if (fs->fs_state != FSM_OPENED)
			return (-1);
		lcp_recv_protorej(s, buf, len);
		return (FSM_EV_RXJ_PLUS);
	case PPP_ECHO_REQ:
	case PPP_ECHO_REPLY:
	case PPP_DISC_REQ:
	case PPP_IDENTIFICATION:
	case PPP_TIME_REMAINING:
		if (lcp_echo_parse(&cp, &e) == -1)
			return (-1);
		if (fs->fs_state != FSM_OPENED)
			return (FSM_EV_RXR);
		/* RFC 1661 6.4: our own magic coming back: a loop. */
		if (l->lc_want_magic && e.le_magic == l->lc_magic) {
			ppp_session_log(s, LOG_INFO, "LCP %s with our own "
			    "Magic-Number: link looped back?",
			    ppp_code_name(PPP_PROTO_LCP, code));
			return (code == PPP_ECHO_REPLY ? -1 : FSM_EV_RXR);
		}
		if (code == PPP_ECHO_REPLY)
			l->lc_echo_pending = 0;
		else if (code == PPP_TIME_REMAINING)
			ppp_session_log(s, LOG_INFO, "peer says %u seconds "
			    "remain", e.le_seconds);
		else if (code == PPP_IDENTIFICATION)
			/* RFC 1570 1.1; Windows sends its RAS version. */
			ppp_session_log(s, LOG_DEBUG, "peer identifies as "
			    "\"%.*s\"", (int)(e.le_datalen > 64 ? 64 :
			    e.le_datalen), (const char *)e.le_data);
		return (FSM_EV_RXR);
	default:
		return (FSM_EV_RUC);
	}
}

/* ser: RFC 1661 5.8, the Identifier copied, our magic, the data back. */
static void
lcp_ser(struct fsm *fs, uint8_t id, const uint8_t *buf, size_t len)
{
	struct ppp_session	*s = lcp_session(fs);
	struct ppp_lcp		*l = &s->ses_lcp;
	uint8_t			 pkt[FSM_PKT_MAX];
	struct obuf		 o;
	size_t			 room;

	if (len < 4)
		return;
	buf += 4;
	len -= 4;
	room = l->lc_peer_mru > PPP_CP_HDRLEN + 4 ?
	    l->lc_peer_mru - PPP_CP_HDRLEN - 4 : 0;
	if (len > room)
		len = room;
	obuf_init(&o, pkt, sizeof(pkt));
	lcp_echo_put(&o, PPP_ECHO_REPLY, id, l->lc_want_magic ? l->lc_magic :
	    0, buf, len);
	if (obuf_error(&o) == -1)
		return;
	ppp_session_send(s, PPP_PROTO_LCP, pkt, o.o_len);
}

static void
lcp_timer_start(struct fsm *fs, unsigned int ms)
{
	ppp_session_timer_start(lcp_session(fs), PPP_TIMER_LCP, ms);
}

static void
lcp_timer_stop(struct fsm *fs)
{
	ppp_session_timer_stop(lcp_session(fs), PPP_TIMER_LCP);
}

static void
lcp_send(struct fsm *fs, const uint8_t *buf, size_t len)
{
	ppp_session_send(lcp_session(fs), PPP_PROTO_LCP, buf, len);
}

static const struct fsm_callbacks lcp_callbacks = {
	.fc_build_req = lcp_build_req,
	.fc_check_req = lcp_check_req,
	.fc_recv_nak = lcp_recv_nak,
	.fc_recv_rej = lcp_recv_rej,
	.fc_reset = lcp_reset,
	.fc_up = lcp_up,
	.fc_down = lcp_down,
	.fc_finished = lcp_finished,
	.fc_extcode = lcp_extcode,
	.fc_ser = lcp_ser,
	.fc_timer_start = lcp_timer_start,
	.fc_timer_stop = lcp_timer_stop,
	.fc_send = lcp_send,
};

void
ppp_lcp_init(struct ppp_session *s)
{
	fsm_init(&s->ses_lcpfsm, s->ses_lcp_name, PPP_PROTO_LCP,
	    &lcp_callbacks, s);
	memset(&s->ses_lcp, 0, sizeof(s->ses_lcp));
	lcp_reset(&s->ses_lcpfsm);
}

/* Printable copy of the peer's Terminate-Request text, for the log. */
static void
lcp_note_terminate(struct ppp_session *s, const uint8_t *buf, size_t len)
{
	struct ppp_lcp	*l = &s->ses_lcp;
	size_t		 i;

	l->lc_peer_term = 1;
	if (len >= sizeof(l->lc_peer_reason))
		len = sizeof(l->lc_peer_reason) - 1;
	for (i = 0; i < len; i++)
		l->lc_peer_reason[i] = buf[i] >= 0x20 && buf[i] < 0x7f ?
		    (char)buf[i] : '?';
	l->lc_peer_reason[len] = '\0';
}

void
ppp_lcp_input(struct ppp_session *s, const uint8_t *buf, size_t len)
{
	struct ppp_cp	 cp;

	if (ppp_cp_parse(buf, len, &cp) == -1) {
		s->ses_dropped++;
		ppp_session_log(s, LOG_DEBUG, "malformed LCP packet of %zu "
		    "octets dropped", len);
		return;
	}
	s->ses_lcp.lc_heard = 1;
	if (cp.cp_code == PPP_TERM_REQ &&
	    s->ses_lcpfsm.fs_state != FSM_INITIAL &&
	    s->ses_lcpfsm.fs_state != FSM_STARTING)
		lcp_note_terminate(s, cp.cp_data, cp.cp_datalen);
	fsm_input(&s->ses_lcpfsm, cp.cp_code, cp.cp_id, cp.cp_data,
	    cp.cp_datalen);
}

uint16_t
ppp_lcp_peer_mru(const struct ppp_session *s)
{
	return (s->ses_lcp.lc_peer_mru);
}

void
ppp_lcp_echo_start(struct ppp_session *s)
{
	s->ses_lcp.lc_echo_pending = 0;
	if (s->ses_echo_interval > 0)
		ppp_session_timer_start(s, PPP_TIMER_ECHO,
		    s->ses_echo_interval * 1000U);
}

/*
 * The keepalive: an Echo-Request every interval while LCP is Opened; a
 * reply clears the count (lcp_extcode); K requests unanswered in a row
 * and the peer is gone.
 */
void
ppp_lcp_echo_timeout(struct ppp_session *s)
{
	struct ppp_lcp	*l = &s->ses_lcp;
	uint8_t		 pkt[PPP_CP_HDRLEN + 4];
	struct obuf	 o;

	if (s->ses_lcpfsm.fs_state != FSM_OPENED || s->ses_term_pending)
		return;
	if (l->lc_echo_pending >= s->ses_echo_fails) {
		ppp_session_log(s, LOG_INFO, "%u LCP Echo-Requests "
		    "unanswered", l->lc_echo_pending);
		ppp_session_fail(s, "Keepalive timeout",
		    "peer stopped answering LCP echo");
		return;
	}
	obuf_init(&o, pkt, sizeof(pkt));
	lcp_echo_put(&o, PPP_ECHO_REQ, fsm_new_id(&s->ses_lcpfsm),
	    l->lc_want_magic ? l->lc_magic : 0, NULL, 0);
	l->lc_echo_pending++;
	ppp_session_send(s, PPP_PROTO_LCP, pkt, o.o_len);
	ppp_session_timer_start(s, PPP_TIMER_ECHO,
	    s->ses_echo_interval * 1000U);
}

/*
 * RFC 1661 5.7: a protocol we do not speak, with LCP Opened.  The
 * Rejected-Information is cut to the peer's MRU by the builder.
 */
void
ppp_lcp_protorej(struct ppp_session *s, uint16_t proto, const uint8_t *info,
    size_t len)
{
	uint8_t		 pkt[FSM_PKT_MAX];
	struct obuf	 o;
	uint16_t	 mru = s->ses_lcp.lc_peer_mru;

	if (s->ses_lcpfsm.fs_state != FSM_OPENED)
		return;
	if (mru > sizeof(pkt))
		mru = sizeof(pkt);
	obuf_init(&o, pkt, sizeof(pkt));
	lcp_protorej_put(&o, fsm_new_id(&s->ses_lcpfsm), proto, info, len,
	    mru);
	if (obuf_error(&o) == -1)
		return;
	ppp_session_log(s, LOG_INFO, "rejecting protocol 0x%04x (%s)", proto,
	    ppp_proto_name(proto));
	ppp_session_send(s, PPP_PROTO_LCP, pkt, o.o_len);
}
