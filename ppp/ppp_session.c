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


#include <arpa/inet.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "ppp/fsm.h"
#include "ppp/ppp_parse.h"
#include "ppp/ppp_session.h"

/*
 * The phases of RFC 1661 3 around LCP (lcp.c), authentication (auth.c)
 * and IPCP (ipcp.c), and the owner's entry points.
 *
 * Every entry point brackets its work with ppp_session_enter() and
 * ppp_session_leave().  The automata call back into this file from the
 * middle of a transition, where starting another transition of the same
 * automaton (closing LCP from inside LCP's tld, say) would run the table
 * on a state that is about to change.  So the decisions taken there --
 * end the session, report up, report down -- are only recorded, and
 * ppp_session_leave() carries them out once the outermost call is about
 * to return.  so_down comes last of all, so the owner may free the
 * session from inside it.
 */

static const enum conf_auth ppp_default_auth[] = {
	CONF_AUTH_MSCHAPV2, CONF_AUTH_CHAP, CONF_AUTH_PAP
};

static const char *const ppp_phase_names[] = {
	"Dead", "Establish", "Authenticate", "Network", "Terminate"
};

const char *
ppp_phase_name(enum ppp_phase p)
{
	if ((unsigned int)p >= sizeof(ppp_phase_names) /
	    sizeof(ppp_phase_names[0]))
		return ("unknown");
	return (ppp_phase_names[p]);
}

const char *
ppp_auth_name(enum conf_auth a)
{
	switch (a) {
	case CONF_AUTH_NONE:
		return ("none");
	case CONF_AUTH_PAP:
		return ("PAP");
	case CONF_AUTH_CHAP:
		return ("CHAP-MD5");
	case CONF_AUTH_MSCHAPV2:
		return ("MS-CHAPv2");
	}
	return ("unknown");
}

void
ppp_session_log(const struct ppp_session *s, int pri, const char *fmt, ...)
{
	char	 msg[LOG_LINE_MAX];
	va_list	 ap;

	va_start(ap, fmt);
	(void)vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	logit(pri, "%s: %s", s->ses_prefix, msg);
}

void
ppp_session_params_init(struct ppp_session_params *p, enum ppp_role role)
{
	memset(p, 0, sizeof(*p));
	p->sp_role = role;
	p->sp_mru = PPP_MRU_DEFAULT;
	p->sp_mtu = PPP_MRU_DEFAULT;
	p->sp_echo_interval = PPP_ECHO_INTERVAL;
	p->sp_echo_fails = PPP_ECHO_FAILS;
	p->sp_max_auth = PPP_MAX_AUTH;
}

static int
ppp_session_copy_str(char *dst, size_t size, const char *src,
    const char *what, uint32_t id)
{
	if (src == NULL)
		src = "";
	if (strlen(src) >= size) {
		log_warnx("session %u: %s too long (%zu octets, at most %zu)",
		    id, what, strlen(src), size - 1);
		return (-1);
	}
	(void)strlcpy(dst, src, size);
	return (0);
}

struct ppp_session *
ppp_session_new(const struct ppp_session_params *p,
    const struct ppp_session_ops *ops, void *arg)
{
	struct ppp_session	*s;
	size_t			 i, j;

	if (p->sp_id == 0 || ops == NULL || ops->so_send == NULL ||
	    ops->so_timer_start == NULL || ops->so_timer_stop == NULL ||
	    ops->so_down == NULL) {
		log_warnx("ppp session: bad parameters (id %u)", p->sp_id);
		return (NULL);
	}
	if (p->sp_nauth > CONF_MAX_AUTH) {
		log_warnx("session %u: %zu authentication methods, at most "
		    "%d", p->sp_id, p->sp_nauth, CONF_MAX_AUTH);
		return (NULL);
	}
	if ((s = calloc(1, sizeof(*s))) == NULL) {
		log_warn("session %u: calloc", p->sp_id);
		return (NULL);
	}
	s->ses_role = p->sp_role;
	s->ses_id = p->sp_id;
	s->ses_ops = ops;
	s->ses_arg = arg;
	if (ppp_session_copy_str(s->ses_peer, sizeof(s->ses_peer),
	    p->sp_peer, "peer", p->sp_id) == -1)
		goto fail;
	(void)snprintf(s->ses_prefix, sizeof(s->ses_prefix), "session %u %s",
	    s->ses_id, s->ses_peer[0] != '\0' ? s->ses_peer : "-");

	if (p->sp_nauth == 0) {
		memcpy(s->ses_auth, ppp_default_auth, sizeof(ppp_default_auth));
		s->ses_nauth = sizeof(ppp_default_auth) /
		    sizeof(ppp_default_auth[0]);
	} else {
		for (i = 0; i < p->sp_nauth; i++) {
			if (p->sp_auth[i] != CONF_AUTH_PAP &&
			    p->sp_auth[i] != CONF_AUTH_CHAP &&
			    p->sp_auth[i] != CONF_AUTH_MSCHAPV2) {
				ppp_session_log(s, LOG_ERR, "authentication "
				    "method %d unknown", p->sp_auth[i]);
				goto fail;
			}
			for (j = 0; j < i; j++)
				if (p->sp_auth[j] == p->sp_auth[i]) {
					ppp_session_log(s, LOG_ERR, "%s twice "
					    "in the authentication methods",
					    ppp_auth_name(p->sp_auth[i]));
					goto fail;
				}
			s->ses_auth[i] = p->sp_auth[i];
		}
		s->ses_nauth = p->sp_nauth;
	}
	s->ses_mru = p->sp_mru == 0 ? PPP_MRU_DEFAULT : p->sp_mru;
	s->ses_mtu = p->sp_mtu == 0 ? PPP_MRU_DEFAULT : p->sp_mtu;
	if (s->ses_mru < PPP_MRU_MIN || s->ses_mtu < PPP_MRU_MIN) {
		ppp_session_log(s, LOG_ERR, "MRU %u / MTU %u below %u",
		    s->ses_mru, s->ses_mtu, PPP_MRU_MIN);
		goto fail;
	}
	s->ses_idle = p->sp_idle;
	s->ses_echo_interval = p->sp_echo_interval;
	s->ses_echo_fails = p->sp_echo_fails == 0 ? PPP_ECHO_FAILS :
	    p->sp_echo_fails;

	if (s->ses_role == PPP_ROLE_SERVER) {
		if (ppp_session_copy_str(s->ses_name, sizeof(s->ses_name),
		    p->sp_name, "our name", p->sp_id) == -1)
			goto fail;
		if (s->ses_name[0] == '\0' || p->sp_local.s_addr == 0) {
			ppp_session_log(s, LOG_ERR, "a server session needs "
			    "a name and a local address");
			goto fail;
		}
		if (p->sp_ndns > CONF_MAX_NS || p->sp_nwins > CONF_MAX_NS)
			goto fail;
		s->ses_local = p->sp_local;
		memcpy(s->ses_dns, p->sp_dns, sizeof(s->ses_dns));
		s->ses_ndns = p->sp_ndns;
		memcpy(s->ses_wins, p->sp_wins, sizeof(s->ses_wins));
		s->ses_nwins = p->sp_nwins;
		s->ses_users = p->sp_users;
		s->ses_pool = p->sp_pool;
		s->ses_max_auth = p->sp_max_auth == 0 ? PPP_MAX_AUTH :
		    p->sp_max_auth;
	} else {
		if (ppp_session_copy_str(s->ses_user, sizeof(s->ses_user),
		    p->sp_user, "user name", p->sp_id) == -1)
			goto fail;
		if (s->ses_user[0] == '\0' ||
		    p->sp_password_len > sizeof(s->ses_passwd) ||
		    (p->sp_password == NULL && p->sp_password_len > 0)) {
			ppp_session_log(s, LOG_ERR, "a client session needs "
			    "a user name and a password of at most %zu "
			    "octets", sizeof(s->ses_passwd));
			goto fail;
		}
		if (p->sp_password_len > 0)
			memcpy(s->ses_passwd, p->sp_password,
			    p->sp_password_len);
		s->ses_passwd_len = p->sp_password_len;
	}

	(void)snprintf(s->ses_lcp_name, sizeof(s->ses_lcp_name), "%s: lcp",
	    s->ses_prefix);
	(void)snprintf(s->ses_ipcp_name, sizeof(s->ses_ipcp_name),
	    "%s: ipcp", s->ses_prefix);
	s->ses_phase = PPP_PHASE_DEAD;
	ppp_lcp_init(s);
	ppp_ipcp_init(s);
	return (s);
 fail:
	explicit_bzero(s, sizeof(*s));
	free(s);
	return (NULL);
}

static void
ppp_session_stop_timers(struct ppp_session *s)
{
	int	 t;

	for (t = 0; t < PPP_TIMER_COUNT; t++)
		ppp_session_timer_stop(s, (enum ppp_timer)t);
	/* The automata must not think a timer still runs. */
	s->ses_lcpfsm.fs_timer_on = 0;
	s->ses_ipcpfsm.fs_timer_on = 0;
}

void
ppp_session_free(struct ppp_session *s)
{
	if (s == NULL)
		return;
	ppp_session_stop_timers(s);
	ppp_ipcp_release(s);
	ppp_auth_wipe(s);
	explicit_bzero(s->ses_passwd, sizeof(s->ses_passwd));
	explicit_bzero(s, sizeof(*s));
	free(s);
}

void
ppp_session_set_phase(struct ppp_session *s, enum ppp_phase p)
{
	if (s->ses_phase == p)
		return;
	ppp_session_log(s, LOG_INFO, "phase %s -> %s",
	    ppp_phase_name(s->ses_phase), ppp_phase_name(p));
	s->ses_phase = p;
}

void
ppp_session_send(struct ppp_session *s, uint16_t proto, const uint8_t *buf,
    size_t len)
{
	if (s->ses_down_done)
		return;
	s->ses_ops->so_send(s->ses_arg, proto, buf, len);
}

void
ppp_session_timer_start(struct ppp_session *s, enum ppp_timer t,
    unsigned int ms)
{
	if (s->ses_down_done)
		return;
	s->ses_timers |= 1U << t;
	s->ses_ops->so_timer_start(s->ses_arg, t, ms);
}

void
ppp_session_timer_stop(struct ppp_session *s, enum ppp_timer t)
{
	if ((s->ses_timers & (1U << t)) == 0)
		return;
	s->ses_timers &= ~(1U << t);
	s->ses_ops->so_timer_stop(s->ses_arg, t);
}

void
ppp_session_fail(struct ppp_session *s, const char *wire, const char *fmt,
    ...)
{
	va_list	 ap;

	if (s->ses_reason[0] == '\0') {
		va_start(ap, fmt);
		(void)vsnprintf(s->ses_reason, sizeof(s->ses_reason), fmt, ap);
		va_end(ap);
		(void)strlcpy(s->ses_wire_reason, wire != NULL ? wire :
		    s->ses_reason, sizeof(s->ses_wire_reason));
		if (!s->ses_down_pending)
			ppp_session_log(s, LOG_INFO, "closing: %s",
			    s->ses_reason);
	}
	s->ses_term_pending = 1;
}

/*
 * RFC 1661 3.7: the link is closed by LCP alone ("There is no need for
 * each NCP to send a flurry of Terminate packets").  Where LCP is not
 * negotiating there is nobody to tell, and the session ends now.
 */
static void
ppp_session_terminate(struct ppp_session *s)
{
	s->ses_term_started = 1;
	ppp_auth_stop(s);
	ppp_session_timer_stop(s, PPP_TIMER_ECHO);
	switch (s->ses_lcpfsm.fs_state) {
	case FSM_REQSENT:
	case FSM_ACKRCVD:
	case FSM_ACKSENT:
	case FSM_OPENED:
		ppp_session_set_phase(s, PPP_PHASE_TERMINATE);
		fsm_close(&s->ses_lcpfsm, s->ses_wire_reason);
		break;
	case FSM_CLOSING:
	case FSM_STOPPING:
		/* A Terminate exchange runs already; tlf ends it. */
		ppp_session_set_phase(s, PPP_PHASE_TERMINATE);
		break;
	default:
		s->ses_down_pending = 1;
		break;
	}
}

static void
ppp_session_deliver_up(struct ppp_session *s)
{
	struct ppp_up_info	 ui;
	char			 a1[INET_ADDRSTRLEN], a2[INET_ADDRSTRLEN];

	memset(&ui, 0, sizeof(ui));
	ppp_ipcp_up_info(s, &ui);
	ui.ui_user = s->ses_user;
	ui.ui_auth = s->ses_au.au_method;
	ui.ui_mru = s->ses_lcp.lc_want_mru ? s->ses_lcp.lc_mru :
	    PPP_MRU_DEFAULT;
	ui.ui_mtu = s->ses_mtu;
	if (ppp_lcp_peer_mru(s) < ui.ui_mtu)
		ui.ui_mtu = ppp_lcp_peer_mru(s);
	(void)inet_ntop(AF_INET, &ui.ui_local, a1, sizeof(a1));
	(void)inet_ntop(AF_INET, &ui.ui_peer, a2, sizeof(a2));
	ppp_session_log(s, LOG_INFO, "up: user \"%s\" (%s), local %s, "
	    "peer %s, mtu %u", s->ses_user, ppp_auth_name(ui.ui_auth), a1, a2,
	    ui.ui_mtu);
	s->ses_up_done = 1;
	if (s->ses_ops->so_up != NULL)
		s->ses_ops->so_up(s->ses_arg, &ui);
}

static void
ppp_session_enter(struct ppp_session *s)
{
	s->ses_depth++;
}

/*
 * Runs what the automata decided, outermost call only.  Nothing may
 * touch s after so_down: the owner may have freed it.
 */
static void
ppp_session_leave(struct ppp_session *s)
{
	if (s->ses_depth > 1) {
		s->ses_depth--;
		return;
	}
	for (;;) {
		if (s->ses_down_done)
			break;
		if (s->ses_term_pending && !s->ses_term_started &&
		    !s->ses_down_pending) {
			ppp_session_terminate(s);
			continue;
		}
		if (s->ses_up_pending) {
			s->ses_up_pending = 0;
			/* so_up may call ppp_session_close(): depth is 1. */
			if (!s->ses_term_pending && !s->ses_down_pending)
				ppp_session_deliver_up(s);
			continue;
		}
		break;
	}
	s->ses_depth = 0;
	if (s->ses_down_pending && !s->ses_down_done) {
		if (s->ses_reason[0] == '\0')
			(void)strlcpy(s->ses_reason, "link finished",
			    sizeof(s->ses_reason));
		ppp_session_stop_timers(s);
		ppp_auth_wipe(s);
		ppp_ipcp_release(s);
		ppp_session_set_phase(s, PPP_PHASE_DEAD);
		ppp_session_log(s, LOG_INFO, "down: %s", s->ses_reason);
		s->ses_down_done = 1;
		s->ses_ops->so_down(s->ses_arg, s->ses_reason);
		/* s may be gone. */
	}
}

void
ppp_session_start(struct ppp_session *s, time_t now)
{
	ppp_session_enter(s);
	if (!s->ses_started && !s->ses_down_done) {
		s->ses_started = 1;
		s->ses_start = now;
		ppp_session_log(s, LOG_INFO, "starting as %s",
		    s->ses_role == PPP_ROLE_SERVER ? "authenticator" :
		    "client");
		ppp_session_set_phase(s, PPP_PHASE_ESTABLISH);
		/* RFC 1661 3.3: Open, then the lower layer's Up. */
		fsm_open(&s->ses_lcpfsm);
		fsm_up(&s->ses_lcpfsm);
	}
	ppp_session_leave(s);
}

/*
 * Which packets each phase takes: RFC 1661 3.4 (only LCP while
 * establishing), 3.5 (LCP and the authentication protocol while
 * authenticating, "All other packets received during this phase MUST
 * be silently discarded"), 3.6 (an unsupported protocol MUST be
 * Protocol-Rejected, which 5.7 allows only with LCP Opened) and 3.7
 * (only LCP while terminating).
 */
void
ppp_session_input(struct ppp_session *s, const uint8_t *buf, size_t len)
{
	struct ppp_frame	 f;

	ppp_session_enter(s);
	if (!s->ses_started || s->ses_down_done)
		goto out;
	if (ppp_frame_parse(buf, len, &f) == -1 ||
	    !ppp_proto_valid(f.pf_proto)) {
		s->ses_dropped++;
		ppp_session_log(s, LOG_DEBUG, "malformed frame of %zu octets "
		    "dropped", len);
		goto out;
	}
	switch (f.pf_proto) {
	case PPP_PROTO_LCP:
		ppp_lcp_input(s, f.pf_info, f.pf_infolen);
		break;
	case PPP_PROTO_PAP:
	case PPP_PROTO_CHAP:
		if (s->ses_phase == PPP_PHASE_AUTHENTICATE ||
		    s->ses_phase == PPP_PHASE_NETWORK)
			ppp_auth_input(s, f.pf_proto, f.pf_info,
			    f.pf_infolen);
		else
			ppp_session_log(s, LOG_DEBUG, "%s in phase %s "
			    "dropped", ppp_proto_name(f.pf_proto),
			    ppp_phase_name(s->ses_phase));
		break;
	case PPP_PROTO_IPCP:
		if (s->ses_phase == PPP_PHASE_NETWORK)
			ppp_ipcp_input(s, f.pf_info, f.pf_infolen);
		else
			ppp_session_log(s, LOG_DEBUG, "IPCP in phase %s "
			    "dropped", ppp_phase_name(s->ses_phase));
		break;
	case PPP_PROTO_IP:
		/*
		 * The data path keeps IPv4 to itself; one reaching us is a
		 * data path bug or a packet sent before IPCP opened (RFC
		 * 1661 3.6: discarded).  Either way not worth a reject.
		 */
		s->ses_dropped++;
		ppp_session_log(s, LOG_DEBUG, "IPv4 packet of %zu octets "
		    "dropped", f.pf_infolen);
		break;
	default:
		if (s->ses_phase == PPP_PHASE_NETWORK)
			ppp_lcp_protorej(s, f.pf_proto, f.pf_info,
			    f.pf_infolen);
		else
			ppp_session_log(s, LOG_DEBUG, "%s (0x%04x) in phase "
			    "%s dropped", ppp_proto_name(f.pf_proto),
			    f.pf_proto, ppp_phase_name(s->ses_phase));
		break;
	}
 out:
	ppp_session_leave(s);
}

void
ppp_session_timeout(struct ppp_session *s, enum ppp_timer t)
{
	ppp_session_enter(s);
	if ((unsigned int)t >= PPP_TIMER_COUNT || s->ses_down_done ||
	    (s->ses_timers & (1U << t)) == 0)
		goto out;
	s->ses_timers &= ~(1U << t);
	switch (t) {
	case PPP_TIMER_LCP:
		fsm_timeout(&s->ses_lcpfsm);
		break;
	case PPP_TIMER_IPCP:
		fsm_timeout(&s->ses_ipcpfsm);
		break;
	case PPP_TIMER_AUTH:
		ppp_auth_timeout(s);
		break;
	case PPP_TIMER_ECHO:
		ppp_lcp_echo_timeout(s);
		break;
	default:
		break;
	}
 out:
	ppp_session_leave(s);
}

void
ppp_session_close(struct ppp_session *s, const char *reason)
{
	ppp_session_enter(s);
	if (!s->ses_down_done)
		ppp_session_fail(s, NULL, "%s", reason != NULL &&
		    reason[0] != '\0' ? reason : "administrative disconnect");
	ppp_session_leave(s);
}

void
ppp_session_lower_down(struct ppp_session *s, const char *reason)
{
	ppp_session_enter(s);
	if (s->ses_down_done)
		goto out;
	if (s->ses_reason[0] == '\0')
		(void)strlcpy(s->ses_reason, reason != NULL &&
		    reason[0] != '\0' ? reason : "lower layer down",
		    sizeof(s->ses_reason));
	/* Nothing can be sent any more: no Terminate-Request. */
	s->ses_term_pending = s->ses_term_started = 1;
	ppp_auth_stop(s);
	if (s->ses_lcpfsm.fs_state != FSM_INITIAL &&
	    s->ses_lcpfsm.fs_state != FSM_STARTING)
		fsm_down(&s->ses_lcpfsm);
	s->ses_down_pending = 1;
 out:
	ppp_session_leave(s);
}

void
ppp_session_counters(struct ppp_session *s, uint64_t rx, uint64_t tx,
    time_t now)
{
	ppp_session_enter(s);
	if (s->ses_down_done || !s->ses_up_done || s->ses_idle == 0)
		goto out;
	if (!s->ses_idle_seen || rx != s->ses_idle_rx ||
	    tx != s->ses_idle_tx) {
		s->ses_idle_seen = 1;
		s->ses_idle_rx = rx;
		s->ses_idle_tx = tx;
		s->ses_idle_last = now;
	} else if (now - s->ses_idle_last >= (time_t)s->ses_idle) {
		ppp_session_log(s, LOG_INFO, "no traffic for %lld seconds",
		    (long long)(now - s->ses_idle_last));
		ppp_session_fail(s, NULL, "idle timeout");
	}
 out:
	ppp_session_leave(s);
}

/*
 * LCP reached Opened (RFC 1661 3.4 -> 3.5): authenticate, or go straight
 * to the network phase when nobody asked for it (client only: a server
 * never opens LCP without an Authentication-Protocol, lcp.c sees to it).
 */
void
ppp_session_lcp_up(struct ppp_session *s)
{
	if (s->ses_term_pending)
		return;
	ppp_session_set_phase(s, PPP_PHASE_AUTHENTICATE);
	ppp_lcp_echo_start(s);
	if (s->ses_au.au_method == CONF_AUTH_NONE) {
		if (s->ses_role == PPP_ROLE_SERVER) {
			ppp_session_fail(s, "No authentication", "LCP opened "
			    "without an authentication protocol");
			return;
		}
		ppp_session_log(s, LOG_INFO, "the server asks for no "
		    "authentication");
		ppp_session_auth_done(s);
		return;
	}
	ppp_auth_start(s);
}

/*
 * LCP leaves Opened: a Terminate, or the peer renegotiating (RFC 1661
 * 3.4: "The receipt of the LCP Configure-Request causes a return to the
 * Link Establishment phase").  IPCP sees its lower layer go; once the
 * session was up that ends it (ipcp.c), before that a renegotiation
 * simply authenticates again.
 */
void
ppp_session_lcp_down(struct ppp_session *s)
{
	const struct fsm_pkt	*p = s->ses_lcpfsm.fs_pkt;

	ppp_session_timer_stop(s, PPP_TIMER_ECHO);
	ppp_auth_stop(s);
	if ((p != NULL && p->fp_code == PPP_TERM_REQ) || s->ses_term_started)
		ppp_session_set_phase(s, PPP_PHASE_TERMINATE);
	else if (s->ses_phase != PPP_PHASE_TERMINATE) {
		ppp_session_set_phase(s, PPP_PHASE_ESTABLISH);
		if (s->ses_up_done || s->ses_up_pending)
			ppp_session_fail(s, NULL, "peer renegotiated LCP");
	}
	/* IPCP goes with LCP; the reason is LCP's, not "IPCP down". */
	s->ses_lcp_going = 1;
	if (s->ses_ipcpfsm.fs_state != FSM_INITIAL &&
	    s->ses_ipcpfsm.fs_state != FSM_STARTING)
		fsm_down(&s->ses_ipcpfsm);
	s->ses_lcp_going = 0;
}

/* tlf: LCP is done with the link; the session ends with it. */
void
ppp_session_lcp_finished(struct ppp_session *s, const char *why)
{
	/*
	 * A PAP client told "no" may leave before it has used up its
	 * attempts; the failed login is the better story than its
	 * Terminate-Request.
	 */
	if (s->ses_reason[0] == '\0' && s->ses_au.au_last_fail[0] != '\0' &&
	    s->ses_au.au_state != AUTH_SUCCESS)
		why = s->ses_au.au_last_fail;
	if (s->ses_reason[0] == '\0')
		(void)strlcpy(s->ses_reason, why, sizeof(s->ses_reason));
	s->ses_down_pending = 1;
}

/* RFC 1661 3.5 -> 3.6: only now may IPCP start. */
void
ppp_session_auth_done(struct ppp_session *s)
{
	if (s->ses_phase != PPP_PHASE_AUTHENTICATE || s->ses_term_pending)
		return;
	ppp_session_set_phase(s, PPP_PHASE_NETWORK);
	ppp_ipcp_start(s);
}

void
ppp_session_ipcp_up(struct ppp_session *s)
{
	if (s->ses_up_done || s->ses_term_pending)
		return;
	s->ses_up_pending = 1;
}

void
ppp_session_ipcp_down(struct ppp_session *s)
{
	s->ses_up_pending = 0;
	if (s->ses_up_done && !s->ses_lcp_going) {
		ppp_session_fail(s, NULL, "%s", s->ses_ipcp.ic_peer_closed ?
		    "peer closed IPCP" : "IPCP went down");
	}
}

uint32_t
ppp_session_id(const struct ppp_session *s)
{
	return (s->ses_id);
}

enum ppp_phase
ppp_session_phase(const struct ppp_session *s)
{
	return (s->ses_phase);
}

const char *
ppp_session_phase_name(const struct ppp_session *s)
{
	return (ppp_phase_name(s->ses_phase));
}

const char *
ppp_session_lcp_state(const struct ppp_session *s)
{
	return (fsm_state_name(s->ses_lcpfsm.fs_state));
}

const char *
ppp_session_ipcp_state(const struct ppp_session *s)
{
	return (fsm_state_name(s->ses_ipcpfsm.fs_state));
}

const char *
ppp_session_user(const struct ppp_session *s)
{
	return (s->ses_user);
}

enum conf_auth
ppp_session_auth(const struct ppp_session *s)
{
	return (s->ses_au.au_method);
}

struct in_addr
ppp_session_addr(const struct ppp_session *s)
{
	struct in_addr	 none = { 0 };

	if (s->ses_role == PPP_ROLE_SERVER)
		return (s->ses_ipcp.ic_have_addr ? s->ses_ipcp.ic_assigned :
		    none);
	return (s->ses_up_done ? s->ses_ipcp.ic_addr : none);
}

int
ppp_session_is_up(const struct ppp_session *s)
{
	return (s->ses_up_done && !s->ses_down_done);
}

time_t
ppp_session_age(const struct ppp_session *s, time_t now)
{
	if (!s->ses_started || now < s->ses_start)
		return (0);
	return (now - s->ses_start);
}

uint64_t
ppp_session_dropped(const struct ppp_session *s)
{
	return (s->ses_dropped);
}
