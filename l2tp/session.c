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


#include <sys/types.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/addr.h"
#include "common/cursor.h"
#include "common/log.h"
#include "l2tp.h"

/*
 * Incoming-call sessions (RFC 2661 7.4.1 LAC, 7.4.2 LNS): ICRQ, ICRP,
 * ICCN, CDN.  Several per tunnel, within max-sessions-per-tunnel and the
 * daemon's max-sessions.
 */

#define SES_MSG_MAX	512
#define SES_TX_SPEED	100000000	/* 4.4.5: our nominal speed */

struct ses_msg {
	struct obuf		 sm_ob;
	struct l2tp_build	 sm_lb;
	uint8_t			 sm_buf[SES_MSG_MAX];
};

static const char *const session_state_names[] = {
	[SES_WAIT_REPLY] = "wait-reply",
	[SES_WAIT_CONNECT] = "wait-connect",
	[SES_ESTABLISHED] = "established",
};

const char *
session_state_name(enum session_state st)
{
	if (st < SES_WAIT_REPLY || st > SES_ESTABLISHED)
		return ("unknown");
	return (session_state_names[st]);
}

static void
session_set_state(struct l2tp_session *ses, enum session_state st)
{
	log_debug("session %u (tunnel %u, %u/%u): %s -> %s", ses->ses_id,
	    ses->ses_tun->tun_tid, ses->ses_sid, ses->ses_peer_sid,
	    ses->ses_state ? session_state_name(ses->ses_state) : "idle",
	    session_state_name(st));
	ses->ses_state = st;
}

static struct l2tp_session *
session_find_sid(struct l2tp_tunnel *tun, uint16_t sid)
{
	struct l2tp_session	*ses;

	TAILQ_FOREACH(ses, &tun->tun_sessions, ses_entry)
		if (ses->ses_sid == sid)
			return (ses);
	return (NULL);
}

static struct l2tp_session *
session_new(struct l2tp_tunnel *tun)
{
	struct l2tp_ctx		*lx = tun->tun_ctx;
	struct l2tp_session	*ses;
	uint16_t		 sid;

	if ((ses = calloc(1, sizeof(*ses))) == NULL) {
		log_warn("session");
		return (NULL);
	}
	do {
		sid = (uint16_t)(1 + arc4random_uniform(65535));
	} while (session_find_sid(tun, sid) != NULL);
	ses->ses_tun = tun;
	ses->ses_sid = sid;
	/* Unique in the daemon, never 0, not reused soon. */
	if (++lx->lx_next_sesid == 0)
		lx->lx_next_sesid = 1;
	ses->ses_id = lx->lx_next_sesid;
	ses->ses_created = time(NULL);
	TAILQ_INSERT_TAIL(&tun->tun_sessions, ses, ses_entry);
	tun->tun_nsessions++;
	lx->lx_nsessions++;
	return (ses);
}

void
session_free(struct l2tp_session *ses, const char *why)
{
	struct l2tp_tunnel	*tun = ses->ses_tun;
	struct l2tp_ctx		*lx = tun->tun_ctx;

	if (ses->ses_reported) {
		log_notice("session %u (tunnel %u, %s) down: %s", ses->ses_id,
		    tun->tun_tid, tun->tun_hostname, why);
		l2tp_report_session(lx, MSG_SESSION_DOWN, ses, why);
	}
	TAILQ_REMOVE(&tun->tun_sessions, ses, ses_entry);
	tun->tun_nsessions--;
	lx->lx_nsessions--;
	free(ses);
}

/*
 * A connection's tunnel carries its one call (client role): when the
 * call ends, the tunnel goes too, so a reconnect starts clean.
 */
static void
session_end_connection(struct l2tp_tunnel *tun)
{
	if (tun->tun_connection[0] != '\0' && tun->tun_nsessions == 0 &&
	    tun->tun_state == TUN_ESTABLISHED)
		tunnel_stop(tun, L2TP_STOPCCN_CLEAR, L2TP_ERR_NONE,
		    "the connection's call ended");
}

static void
session_begin(struct l2tp_session *ses, struct ses_msg *sm, uint16_t type)
{
	obuf_init(&sm->sm_ob, sm->sm_buf, sizeof(sm->sm_buf));
	l2tp_msg_begin(&sm->sm_lb, &sm->sm_ob, ses->ses_tun->tun_peer_tid,
	    ses->ses_peer_sid, 0, 0, type);
}

/* Clears the call from our side: CDN (5.7), then forget it. */
void
session_disconnect(struct l2tp_session *ses, uint16_t result, uint16_t error,
    const char *why)
{
	struct l2tp_tunnel	*tun = ses->ses_tun;
	struct ses_msg		 sm;

	ses->ses_result = result;
	session_begin(ses, &sm, L2TP_CDN);
	l2tp_avp_put_result(&sm.sm_lb, result, error != L2TP_ERR_NONE, error,
	    why);
	l2tp_avp_put_u16(&sm.sm_lb, L2TP_AVP_SESSION_ID, ses->ses_sid);
	if (tunnel_queue(tun, &sm.sm_lb) == -1)
		log_warnx("session %u: the CDN could not be queued; the peer "
		    "learns of the end from its own timers", ses->ses_id);
	session_free(ses, why);
	session_end_connection(tun);
}

/* LNS: 7.4.2, idle + ICRQ acceptable -> ICRP, wait-connect. */
static void
session_recv_ICRQ(struct l2tp_tunnel *tun, const struct l2tp_msg *m)
{
	struct l2tp_ctx		*lx = tun->tun_ctx;
	struct l2tp_session	*ses;
	struct ses_msg		 sm;
	const char		*limit = NULL;

	/* A retransmission is caught by the window; a replay is not new. */
	TAILQ_FOREACH(ses, &tun->tun_sessions, ses_entry)
		if (ses->ses_peer_sid == m->m_session_id)
			return;
	if (tun->tun_nsessions >= lx->lx_conf.lc_max_sessions_per_tunnel)
		limit = "max-sessions-per-tunnel reached";
	else if (lx->lx_nsessions >= lx->lx_conf.lc_max_sessions)
		limit = "max-sessions reached";
	if ((ses = session_new(tun)) == NULL)
		limit = "out of memory";
	if (ses == NULL)
		return;
	ses->ses_peer_sid = m->m_session_id;
	ses->ses_serial = m->m_call_serial;
	if (limit != NULL) {
		log_warnx("tunnel %u: call refused: %s", tun->tun_tid, limit);
		/* 4.4.2: result 4, temporary lack of resources. */
		session_disconnect(ses, L2TP_CDN_TEMP_FACILITIES,
		    L2TP_ERR_NONE, limit);
		return;
	}
	session_begin(ses, &sm, L2TP_ICRP);
	l2tp_avp_put_u16(&sm.sm_lb, L2TP_AVP_SESSION_ID, ses->ses_sid);
	session_set_state(ses, SES_WAIT_CONNECT);
	if (tunnel_queue(tun, &sm.sm_lb) == -1)
		session_free(ses, "ICRP could not be queued");
}

static void
session_established(struct l2tp_session *ses)
{
	struct l2tp_tunnel	*tun = ses->ses_tun;

	session_set_state(ses, SES_ESTABLISHED);
	log_notice("session %u up: tunnel %u (%s), session %u/%u",
	    ses->ses_id, tun->tun_tid, tun->tun_hostname, ses->ses_sid,
	    ses->ses_peer_sid);
	l2tp_report_session(tun->tun_ctx, MSG_SESSION_UP, ses, NULL);
	ses->ses_reported = 1;
}

/* LNS: 7.4.2, wait-connect + ICCN acceptable -> established. */
static void
session_recv_ICCN(struct l2tp_session *ses, const struct l2tp_msg *m)
{
	ses->ses_framing = m->m_framing_type;
	session_established(ses);
}

/* LAC: 7.4.1, wait-reply + ICRP acceptable -> ICCN, established. */
static void
session_recv_ICRP(struct l2tp_session *ses, const struct l2tp_msg *m)
{
	struct ses_msg	 sm;

	ses->ses_peer_sid = m->m_session_id;
	session_begin(ses, &sm, L2TP_ICCN);
	l2tp_avp_put_u32(&sm.sm_lb, L2TP_AVP_TX_CONNECT_SPEED, SES_TX_SPEED);
	l2tp_avp_put_u32(&sm.sm_lb, L2TP_AVP_FRAMING_TYPE, L2TP_FRAMING_SYNC);
	ses->ses_framing = L2TP_FRAMING_SYNC;
	if (tunnel_queue(ses->ses_tun, &sm.sm_lb) == -1) {
		session_free(ses, "ICCN could not be queued");
		return;
	}
	session_established(ses);
}

static void
session_recv_CDN(struct l2tp_session *ses, const struct l2tp_msg *m)
{
	struct l2tp_tunnel	*tun;
	char	 words[160], text[MSG_REASON_MAX], why[MSG_REASON_MAX];

	l2tp_result_words(words, sizeof(words), L2TP_CDN, m->m_result,
	    m->m_has_error, m->m_error);
	text[0] = '\0';
	if (m->m_errmsg.b_len > 0)
		l2tp_bytes_printable(text, sizeof(text), &m->m_errmsg);
	/* Truncated to what a log line and the audit record carry. */
	strlcpy(why, "CDN from peer: ", sizeof(why));
	strlcat(why, words, sizeof(why));
	if (text[0] != '\0') {
		strlcat(why, ": ", sizeof(why));
		strlcat(why, text, sizeof(why));
	}
	ses->ses_result = m->m_result;
	if (!ses->ses_reported)
		log_info("session %u (tunnel %u): %s", ses->ses_id,
		    ses->ses_tun->tun_tid, why);
	tun = ses->ses_tun;
	session_free(ses, why);
	session_end_connection(tun);
}

void
session_recv(struct l2tp_tunnel *tun, const struct l2tp_msg *m)
{
	struct l2tp_session	*ses = NULL;
	char			 why[MSG_REASON_MAX];
	int			 missing;

	/*
	 * 4.4.4: a CDN sent before the sender knew our ID has Session ID 0
	 * in its header; its Assigned Session ID AVP names the call.
	 */
	if (m->m_type == L2TP_CDN && m->m_hdr.h_session_id == 0 &&
	    l2tp_msg_has(m, L2TP_AVP_SESSION_ID)) {
		TAILQ_FOREACH(ses, &tun->tun_sessions, ses_entry)
			if (ses->ses_peer_sid == m->m_session_id)
				break;
		if (ses != NULL) {
			session_recv_CDN(ses, m);
			return;
		}
	}
	if (m->m_type != L2TP_ICRQ &&
	    (ses = session_find_sid(tun, m->m_hdr.h_session_id)) == NULL) {
		log_info("tunnel %u: %s for unknown session %u; ignored",
		    tun->tun_tid, l2tp_msg_type_name(m->m_type),
		    m->m_hdr.h_session_id);
		return;
	}
	if (m->m_type == L2TP_CDN) {
		session_recv_CDN(ses, m);
		return;
	}
	/* 4.1: an unknown mandatory AVP clears the session. */
	if (m->m_unknown_mandatory || (missing = l2tp_msg_missing(m)) != -1) {
		if (m->m_unknown_mandatory)
			snprintf(why, sizeof(why), "unknown mandatory AVP %u "
			    "in %s", m->m_unknown_type,
			    l2tp_msg_type_name(m->m_type));
		else
			snprintf(why, sizeof(why), "%s without the required "
			    "%s AVP", l2tp_msg_type_name(m->m_type),
			    l2tp_avp_name((uint16_t)missing));
		if (ses != NULL)
			session_disconnect(ses, L2TP_CDN_ERROR,
			    m->m_unknown_mandatory ? L2TP_ERR_UNKNOWN_M :
			    L2TP_ERR_LENGTH, why);
		else
			log_warnx("tunnel %u: %s; ignored", tun->tun_tid, why);
		return;
	}
	switch (m->m_type) {
	case L2TP_ICRQ:
		if (!tun->tun_lac) {
			session_recv_ICRQ(tun, m);
			return;
		}
		break;
	case L2TP_ICCN:
		if (ses->ses_state == SES_WAIT_CONNECT) {
			session_recv_ICCN(ses, m);
			return;
		}
		break;
	case L2TP_ICRP:
		if (ses->ses_state == SES_WAIT_REPLY) {
			session_recv_ICRP(ses, m);
			return;
		}
		break;
	}
	/* "received X in state Y": the one failure path for a session. */
	snprintf(why, sizeof(why), "received %s in state %s",
	    l2tp_msg_type_name(m->m_type), ses != NULL ?
	    session_state_name(ses->ses_state) : "idle");
	if (ses != NULL)
		session_disconnect(ses, L2TP_CDN_ERROR, L2TP_ERR_NONE, why);
	else
		log_warnx("tunnel %u: %s", tun->tun_tid, why);
}

/* LAC: 7.4.1, idle + open request -> ICRQ, wait-reply. */
struct l2tp_session *
session_dial(struct l2tp_tunnel *tun)
{
	struct l2tp_session	*ses;
	struct ses_msg		 sm;

	if (tun->tun_state != TUN_ESTABLISHED ||
	    (ses = session_new(tun)) == NULL)
		return (NULL);
	ses->ses_serial = ses->ses_id;
	session_begin(ses, &sm, L2TP_ICRQ);
	l2tp_avp_put_u16(&sm.sm_lb, L2TP_AVP_SESSION_ID, ses->ses_sid);
	l2tp_avp_put_u32(&sm.sm_lb, L2TP_AVP_CALL_SERIAL, ses->ses_serial);
	l2tp_avp_put_u32(&sm.sm_lb, L2TP_AVP_BEARER_TYPE, 0);
	session_set_state(ses, SES_WAIT_REPLY);
	if (tunnel_queue(tun, &sm.sm_lb) == -1) {
		session_free(ses, "ICRQ could not be queued");
		return (NULL);
	}
	return (ses);
}
