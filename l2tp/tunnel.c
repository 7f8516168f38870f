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

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/addr.h"
#include "common/cursor.h"
#include "common/log.h"
#include "l2tp.h"

/*
 * The L2TP control connection (RFC 2661 7.2), as LNS and as LAC, over the
 * reliable delivery of l2tp_reliable.c.  Nothing is allocated for a peer
 * until a complete, well-formed SCCRQ arrives (junk on UDP/1701 creates
 * no state), and then only within max-tunnels-per-peer.
 */

#define TUN_RWIN		16	/* our Receive Window Size */

#define TUN_MSG_MAX		1024
#define L2TP_VENDOR		"l2tpsecd"
#define L2TP_FIRMWARE		0x0100

struct tun_msg {
	struct obuf		 tm_ob;
	struct l2tp_build	 tm_lb;
	uint8_t			 tm_buf[TUN_MSG_MAX];
};

static void	tunnel_timer(int, short, void *);
static void	tunnel_hello(int, short, void *);
static void	tunnel_linger(int, short, void *);
static void	tunnel_destroy(struct l2tp_tunnel *);
static void	tunnel_fsm_error(struct l2tp_tunnel *, const struct l2tp_msg *);

static const char *const tunnel_state_names[] = {
	[TUN_IDLE] = "idle",
	[TUN_WAIT_CTL_REPLY] = "wait-ctl-reply",
	[TUN_WAIT_CTL_CONN] = "wait-ctl-conn",
	[TUN_ESTABLISHED] = "established",
	[TUN_CLOSING] = "closing",
};

const char *
tunnel_state_name(enum tunnel_state st)
{
	if (st > TUN_CLOSING)
		return ("unknown");
	return (tunnel_state_names[st]);
}

uint64_t
l2tp_now_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (l2tp_rel_ms(&ts));
}

static const char *
tunnel_peer(const struct l2tp_tunnel *tun)
{
	static char	 buf[SOCKADDR_STRLEN];

	return (sockaddr_str(&tun->tun_peer, buf, sizeof(buf)));
}

static void
tunnel_set_state(struct l2tp_tunnel *tun, enum tunnel_state st)
{
	log_debug("tunnel %u (%s): %s -> %s", tun->tun_tid, tunnel_peer(tun),
	    tunnel_state_name(tun->tun_state), tunnel_state_name(st));
	tun->tun_state = st;
}

static const uint8_t *
tunnel_secret(const struct l2tp_ctx *lx, size_t *len)
{
	*len = lx->lx_conf.lc_secret_len;
	return (*len > 0 ? lx->lx_conf.lc_secret : NULL);
}

struct l2tp_tunnel *
tunnel_find(struct l2tp_ctx *lx, uint16_t tid)
{
	struct l2tp_tunnel	*tun;

	TAILQ_FOREACH(tun, &lx->lx_tunnels, tun_entry)
		if (tun->tun_tid == tid && !tun->tun_dead)
			return (tun);
	return (NULL);
}

struct l2tp_session *
tunnel_find_session(struct l2tp_ctx *lx, uint32_t id)
{
	struct l2tp_tunnel	*tun;
	struct l2tp_session	*ses;

	TAILQ_FOREACH(tun, &lx->lx_tunnels, tun_entry)
		TAILQ_FOREACH(ses, &tun->tun_sessions, ses_entry)
			if (ses->ses_id == id)
				return (ses);
	return (NULL);
}

static struct l2tp_tunnel *
tunnel_new(struct l2tp_ctx *lx, const struct sockaddr_storage *peer,
    const struct sockaddr_storage *local, uint32_t sa, int lac)
{
	struct l2tp_tunnel	*tun;
	struct l2tp_rel_params	 rp;
	uint16_t		 tid;

	if ((tun = calloc(1, sizeof(*tun))) == NULL) {
		log_warn("tunnel");
		return (NULL);
	}
	/* A random, unused, non-zero Assigned Tunnel ID (4.4.3). */
	do {
		tid = (uint16_t)(1 + arc4random_uniform(65535));
	} while (tunnel_find(lx, tid) != NULL);
	tun->tun_ctx = lx;
	tun->tun_tid = tid;
	tun->tun_lac = lac;
	tun->tun_peer = *peer;
	tun->tun_local = *local;
	tun->tun_sa = sa;
	tun->tun_created = time(NULL);
	tun->tun_fd = -1;
	if (lac && lx->lx_have_dial_fd) {
		tun->tun_fd = lx->lx_dial_fd;
		lx->lx_have_dial_fd = 0;
	}
	TAILQ_INIT(&tun->tun_sessions);
	l2tp_rel_params_default(&rp);
	rp.rp_our_rwin = TUN_RWIN;
	rp.rp_max_retries = lx->lx_conf.lc_retries;
	l2tp_rel_init(&tun->tun_rel, &rp);
	evtimer_assign(&tun->tun_timer, lx->lx_base, tunnel_timer, tun);
	evtimer_assign(&tun->tun_hello, lx->lx_base, tunnel_hello, tun);
	evtimer_assign(&tun->tun_linger, lx->lx_base, tunnel_linger, tun);
	TAILQ_INSERT_TAIL(&lx->lx_tunnels, tun, tun_entry);
	lx->lx_ntunnels++;
	return (tun);
}

/* Frees now, or marks for freeing once the input in progress returns. */
static void
tunnel_destroy(struct l2tp_tunnel *tun)
{
	struct l2tp_ctx		*lx = tun->tun_ctx;
	struct l2tp_session	*ses;

	while ((ses = TAILQ_FIRST(&tun->tun_sessions)) != NULL)
		session_free(ses, tun->tun_reason[0] ? tun->tun_reason :
		    "tunnel closed");
	if (tun->tun_reported) {
		l2tp_report_tunnel(lx, MSG_TUNNEL_DOWN, tun);
		tun->tun_reported = 0;
	}
	tun->tun_dead = 1;
	evtimer_del(&tun->tun_timer);
	evtimer_del(&tun->tun_hello);
	evtimer_del(&tun->tun_linger);
	if (tun->tun_fd_ev_set) {
		event_del(&tun->tun_fd_ev);
		tun->tun_fd_ev_set = 0;
	}
	if (tun->tun_in_input)
		return;
	TAILQ_REMOVE(&lx->lx_tunnels, tun, tun_entry);
	lx->lx_ntunnels--;
	l2tp_rel_free(&tun->tun_rel);
	if (tun->tun_fd != -1)
		close(tun->tun_fd);
	free(tun);
}

static void
tunnel_emit(void *arg, const uint8_t *pkt, size_t len)
{
	struct l2tp_tunnel	*tun = arg;

	tun->tun_ctx->lx_stats.ls_tx++;
	(void)l2tp_send(tun, pkt, len);
}

/* Sends what is due and sets the timer for the next deadline. */
void
tunnel_kick(struct l2tp_tunnel *tun)
{
	struct timeval	 tv;
	uint64_t	 now, next;

	if (tun->tun_dead)
		return;
	now = l2tp_now_ms();
	next = l2tp_rel_poll(&tun->tun_rel, now, tunnel_emit, tun);
	/*
	 * Done with the tunnel: it is freed from the event loop (tun_linger
	 * with no delay), never here, because our callers still hold tun
	 * (tunnel_input, and session_disconnect/session_dial through
	 * tunnel_queue).  A pending linger (a StopCCN received) does it.
	 */
	if (l2tp_rel_dead(&tun->tun_rel) ||
	    (tun->tun_state == TUN_CLOSING &&
	    l2tp_rel_unacked(&tun->tun_rel) == 0)) {
		/*
		 * Lingering after the peer's StopCCN (5.7): its ZLB is still
		 * due (the window delays acks), so the timer must run.
		 */
		if (evtimer_pending(&tun->tun_linger, NULL))
			goto arm;
		if (l2tp_rel_dead(&tun->tun_rel)) {
			/* 5.8: no acknowledgement after the retries. */
			log_warnx("tunnel %u: peer %s (%s) stopped answering; "
			    "closing it with its %zu session(s)", tun->tun_tid,
			    tunnel_peer(tun), tun->tun_hostname,
			    tun->tun_nsessions);
			tun->tun_result = L2TP_STOPCCN_ERROR;
			snprintf(tun->tun_reason, sizeof(tun->tun_reason),
			    "peer stopped answering");
		}
		/* else our StopCCN was acknowledged: nothing left to keep. */
		evtimer_del(&tun->tun_timer);
		evtimer_del(&tun->tun_hello);
		timerclear(&tv);
		evtimer_add(&tun->tun_linger, &tv);
		return;
	}
 arm:
	evtimer_del(&tun->tun_timer);
	if (next != L2TP_REL_NEVER) {
		next = next > now ? next - now : 0;
		tv.tv_sec = next / 1000;
		tv.tv_usec = (next % 1000) * 1000;
		evtimer_add(&tun->tun_timer, &tv);
	}
}

static void
tunnel_timer(int fd, short ev, void *arg)
{
	(void)fd;
	(void)ev;
	tunnel_kick(arg);
}

static void
tunnel_hello_arm(struct l2tp_tunnel *tun)
{
	struct timeval	 tv = { tun->tun_ctx->lx_conf.lc_hello, 0 };

	evtimer_del(&tun->tun_hello);
	if (tv.tv_sec > 0 && tun->tun_state == TUN_ESTABLISHED)
		evtimer_add(&tun->tun_hello, &tv);
}

/* 6.5: HELLO after `hello` seconds without a message from the peer. */
static void
tunnel_hello(int fd, short ev, void *arg)
{
	struct l2tp_tunnel	*tun = arg;
	struct tun_msg		 tm;

	(void)fd;
	(void)ev;
	if (tun->tun_state != TUN_ESTABLISHED)
		return;
	if (l2tp_rel_unacked(&tun->tun_rel) == 0) {
		l2tp_msg_begin(&tm.tm_lb, (obuf_init(&tm.tm_ob, tm.tm_buf,
		    sizeof(tm.tm_buf)), &tm.tm_ob), tun->tun_peer_tid, 0, 0,
		    0, L2TP_HELLO);
		tunnel_queue(tun, &tm.tm_lb);
	}
	tunnel_hello_arm(tun);
}

static void
tunnel_linger(int fd, short ev, void *arg)
{
	(void)fd;
	(void)ev;
	tunnel_destroy(arg);
}

static void
tunnel_begin(struct l2tp_tunnel *tun, struct tun_msg *tm, uint16_t sid,
    uint16_t type)
{
	size_t		 slen;
	const uint8_t	*secret = tunnel_secret(tun->tun_ctx, &slen);

	obuf_init(&tm->tm_ob, tm->tm_buf, sizeof(tm->tm_buf));
	l2tp_msg_begin(&tm->tm_lb, &tm->tm_ob, tun->tun_peer_tid, sid, 0, 0,
	    type);
	if (secret != NULL)
		l2tp_build_secret(&tm->tm_lb, secret, slen);
}

/* Queues a finished message on the tunnel's reliable window. */
int
tunnel_queue(struct l2tp_tunnel *tun, struct l2tp_build *lb)
{
	int	 len;

	if ((len = l2tp_msg_finish(lb)) == -1) {
		log_warnx("tunnel %u: a control message did not fit",
		    tun->tun_tid);
		return (-1);
	}
	if (l2tp_rel_send(&tun->tun_rel, lb->lb_ob->o_buf, len) == -1) {
		log_warnx("tunnel %u: send queue full", tun->tun_tid);
		return (-1);
	}
	if (!tun->tun_in_input)
		tunnel_kick(tun);
	return (0);
}

/* The common AVPs of SCCRQ and SCCRP (RFC 2661 6.1, 6.2). */
static void
tunnel_put_identity(struct l2tp_tunnel *tun, struct tun_msg *tm)
{
	const char	*host = tun->tun_ctx->lx_conf.lc_hostname;

	l2tp_avp_put_proto_version(&tm->tm_lb);
	l2tp_avp_put_u32(&tm->tm_lb, L2TP_AVP_FRAMING_CAP,
	    L2TP_FRAMING_SYNC | L2TP_FRAMING_ASYNC);
	l2tp_avp_put_u32(&tm->tm_lb, L2TP_AVP_BEARER_CAP, 0);
	l2tp_avp_put_u16(&tm->tm_lb, L2TP_AVP_FIRMWARE_REV, L2TP_FIRMWARE);
	l2tp_avp_put_bytes(&tm->tm_lb, L2TP_AVP_HOST_NAME, host,
	    strlen(host));
	l2tp_avp_put_bytes(&tm->tm_lb, L2TP_AVP_VENDOR_NAME, L2TP_VENDOR,
	    strlen(L2TP_VENDOR));
	l2tp_avp_put_u16(&tm->tm_lb, L2TP_AVP_TUNNEL_ID, tun->tun_tid);
	l2tp_avp_put_u16(&tm->tm_lb, L2TP_AVP_RECV_WINDOW, TUN_RWIN);
	if (tun->tun_ctx->lx_conf.lc_secret_len > 0) {
		/* 5.1.1: we authenticate the peer when we have a secret. */
		arc4random_buf(tun->tun_chal, sizeof(tun->tun_chal));
		tun->tun_chal_sent = 1;
		l2tp_avp_put_bytes(&tm->tm_lb, L2TP_AVP_CHALLENGE,
		    tun->tun_chal, sizeof(tun->tun_chal));
	}
}

/*
 * Answers the peer's Challenge (5.1.1) in a message of type id; -1 when
 * we cannot (no secret), which fails the tunnel.
 */
static int
tunnel_put_chal_resp(struct l2tp_tunnel *tun, struct tun_msg *tm,
    const struct l2tp_msg *m, uint8_t id)
{
	uint8_t		 resp[L2TP_CHAL_RESP_LEN];
	size_t		 slen;
	const uint8_t	*secret = tunnel_secret(tun->tun_ctx, &slen);

	if (!l2tp_msg_has(m, L2TP_AVP_CHALLENGE))
		return (0);
	if (secret == NULL || l2tp_chal_response(id, secret, slen,
	    m->m_challenge.b_p, m->m_challenge.b_len, resp) == -1)
		return (-1);
	l2tp_avp_put_bytes(&tm->tm_lb, L2TP_AVP_CHALLENGE_RESP, resp,
	    sizeof(resp));
	explicit_bzero(resp, sizeof(resp));
	return (0);
}

/* Checks the peer's answer to our challenge; 0 when right or not asked. */
static int
tunnel_check_chal_resp(struct l2tp_tunnel *tun, const struct l2tp_msg *m,
    uint8_t id)
{
	size_t		 slen;
	const uint8_t	*secret = tunnel_secret(tun->tun_ctx, &slen);

	if (!tun->tun_chal_sent)
		return (0);
	if (!l2tp_msg_has(m, L2TP_AVP_CHALLENGE_RESP) || secret == NULL)
		return (-1);
	return (l2tp_chal_verify(id, secret, slen, tun->tun_chal,
	    sizeof(tun->tun_chal), m->m_chal_resp));
}

/*
 * Clears the tunnel from our side (StopCCN, 5.7): the sessions go with
 * it without their own CDN, and the tunnel lingers until the StopCCN is
 * acknowledged so that its retransmissions still have a home.
 */
void
tunnel_stop(struct l2tp_tunnel *tun, uint16_t result, uint16_t error,
    const char *why)
{
	struct l2tp_session	*ses;
	struct tun_msg		 tm;
	char			 words[160];

	if (tun->tun_state == TUN_CLOSING || tun->tun_dead)
		return;
	l2tp_result_words(words, sizeof(words), L2TP_StopCCN, result,
	    error != L2TP_ERR_NONE, error);
	log_notice("tunnel %u: closing the control connection with %s: %s "
	    "(%s)", tun->tun_tid, tunnel_peer(tun), why, words);
	tun->tun_result = result;
	tun->tun_error = error;
	strlcpy(tun->tun_reason, why, sizeof(tun->tun_reason));
	while ((ses = TAILQ_FIRST(&tun->tun_sessions)) != NULL)
		session_free(ses, why);
	if (tun->tun_peer_tid == 0) {
		/* The peer never told us its ID: nothing can reach it. */
		tunnel_destroy(tun);
		return;
	}
	tunnel_begin(tun, &tm, 0, L2TP_StopCCN);
	l2tp_avp_put_u16(&tm.tm_lb, L2TP_AVP_TUNNEL_ID, tun->tun_tid);
	l2tp_avp_put_result(&tm.tm_lb, result, error != L2TP_ERR_NONE, error,
	    why);
	tunnel_set_state(tun, TUN_CLOSING);
	evtimer_del(&tun->tun_hello);
	tunnel_queue(tun, &tm.tm_lb);
}

void
tunnel_stop_all(struct l2tp_ctx *lx, uint16_t result, const char *why)
{
	struct l2tp_tunnel	*tun, *next;

	TAILQ_FOREACH_SAFE(tun, &lx->lx_tunnels, tun_entry, next)
		tunnel_stop(tun, result, L2TP_ERR_NONE, why);
}

static void
tunnel_copy_peer_names(struct l2tp_tunnel *tun, const struct l2tp_msg *m)
{
	if (l2tp_msg_has(m, L2TP_AVP_HOST_NAME))
		l2tp_bytes_printable(tun->tun_hostname,
		    sizeof(tun->tun_hostname), &m->m_host_name);
	if (l2tp_msg_has(m, L2TP_AVP_VENDOR_NAME))
		l2tp_bytes_printable(tun->tun_vendor, sizeof(tun->tun_vendor),
		    &m->m_vendor_name);
}

static int
tunnel_check_version(struct l2tp_tunnel *tun, const struct l2tp_msg *m)
{
	if (m->m_proto_ver == L2TP_PROTO_VER &&
	    m->m_proto_rev == L2TP_PROTO_REV)
		return (0);
	tunnel_stop(tun, L2TP_STOPCCN_BAD_VERSION, L2TP_ERR_NONE,
	    "unsupported protocol version");
	return (-1);
}

static void
tunnel_established(struct l2tp_tunnel *tun)
{
	tunnel_set_state(tun, TUN_ESTABLISHED);
	log_notice("tunnel %u/%u up with %s (host \"%s\", vendor \"%s\")",
	    tun->tun_tid, tun->tun_peer_tid, tunnel_peer(tun),
	    tun->tun_hostname, tun->tun_vendor);
	l2tp_report_tunnel(tun->tun_ctx, MSG_TUNNEL_UP, tun);
	tun->tun_reported = 1;
	tunnel_hello_arm(tun);
	/* A connection's tunnel carries its one call (client role). */
	if (tun->tun_lac && tun->tun_connection[0] != '\0' &&
	    session_dial(tun) == NULL)
		tunnel_stop(tun, L2TP_STOPCCN_ERROR, L2TP_ERR_RESOURCES,
		    "could not place the call");
}

/* LNS: 7.2.1, idle + SCCRQ acceptable -> send SCCRP, wait-ctl-conn. */
static void
tunnel_recv_SCCRQ(struct l2tp_tunnel *tun, const struct l2tp_msg *m)
{
	struct tun_msg	 tm;

	if (tun->tun_state != TUN_IDLE) {
		/* A new SCCRQ on a live tunnel is a state machine error. */
		tunnel_fsm_error(tun, m);
		return;
	}
	tunnel_copy_peer_names(tun, m);
	if (tunnel_check_version(tun, m) == -1)
		return;
	tunnel_begin(tun, &tm, 0, L2TP_SCCRP);
	tunnel_put_identity(tun, &tm);
	if (tunnel_put_chal_resp(tun, &tm, m, L2TP_SCCRP) == -1) {
		tunnel_stop(tun, L2TP_STOPCCN_NOT_AUTHORIZED, L2TP_ERR_NONE,
		    "peer sent a challenge and we have no l2tp secret");
		return;
	}
	tunnel_set_state(tun, TUN_WAIT_CTL_CONN);
	tunnel_queue(tun, &tm.tm_lb);
}

/* LNS: 7.2.1, wait-ctl-conn + SCCCN acceptable -> established. */
static void
tunnel_recv_SCCCN(struct l2tp_tunnel *tun, const struct l2tp_msg *m)
{
	if (tun->tun_state != TUN_WAIT_CTL_CONN) {
		tunnel_fsm_error(tun, m);
		return;
	}
	if (tunnel_check_chal_resp(tun, m, L2TP_SCCCN) == -1) {
		log_warnx("tunnel %u: %s failed tunnel authentication (wrong "
		    "or missing challenge response in SCCCN)", tun->tun_tid,
		    tunnel_peer(tun));
		tunnel_stop(tun, L2TP_STOPCCN_NOT_AUTHORIZED, L2TP_ERR_NONE,
		    "tunnel authentication failed");
		return;
	}
	tunnel_established(tun);
}

/* LAC: 7.2.1, wait-ctl-reply + SCCRP acceptable -> SCCCN, established. */
static void
tunnel_recv_SCCRP(struct l2tp_tunnel *tun, const struct l2tp_msg *m)
{
	struct tun_msg	 tm;

	if (tun->tun_state != TUN_WAIT_CTL_REPLY) {
		tunnel_fsm_error(tun, m);
		return;
	}
	tun->tun_peer_tid = m->m_tunnel_id;
	l2tp_rel_set_peer_tid(&tun->tun_rel, tun->tun_peer_tid);
	if (l2tp_msg_has(m, L2TP_AVP_RECV_WINDOW))
		l2tp_rel_set_peer_rwin(&tun->tun_rel, m->m_recv_window);
	tunnel_copy_peer_names(tun, m);
	if (tunnel_check_version(tun, m) == -1)
		return;
	if (tunnel_check_chal_resp(tun, m, L2TP_SCCRP) == -1) {
		log_warnx("tunnel %u: %s failed tunnel authentication (wrong "
		    "or missing challenge response in SCCRP)", tun->tun_tid,
		    tunnel_peer(tun));
		tunnel_stop(tun, L2TP_STOPCCN_NOT_AUTHORIZED, L2TP_ERR_NONE,
		    "tunnel authentication failed");
		return;
	}
	tunnel_begin(tun, &tm, 0, L2TP_SCCCN);
	if (tunnel_put_chal_resp(tun, &tm, m, L2TP_SCCCN) == -1) {
		tunnel_stop(tun, L2TP_STOPCCN_NOT_AUTHORIZED, L2TP_ERR_NONE,
		    "peer sent a challenge and we have no l2tp secret");
		return;
	}
	tunnel_queue(tun, &tm.tm_lb);
	tunnel_established(tun);
}

/*
 * 5.7: the receiver of a StopCCN keeps the tunnel for a full
 * retransmission cycle, so that retransmissions of the StopCCN (our
 * ZLBs may be lost) are still acknowledged: the sum of the back-off
 * timeouts for the retry limit (31 s at the default 5).
 */
static uint64_t
tunnel_cycle_ms(const struct l2tp_tunnel *tun)
{
	uint64_t	 ms = 0, rto = L2TP_REL_RTO_DEFAULT;
	unsigned int	 i;

	for (i = 0; i <= tun->tun_ctx->lx_conf.lc_retries; i++) {
		ms += rto;
		rto = rto * 2 > L2TP_REL_RTO_MAX_DEFAULT ?
		    L2TP_REL_RTO_MAX_DEFAULT : rto * 2;
	}
	return (ms);
}

static void
tunnel_recv_StopCCN(struct l2tp_tunnel *tun, const struct l2tp_msg *m)
{
	struct l2tp_session	*ses;
	uint64_t		 linger = tunnel_cycle_ms(tun);
	struct timeval		 tv = { linger / 1000, (linger % 1000) * 1000 };
	char			 words[160], text[MSG_REASON_MAX];

	l2tp_result_words(words, sizeof(words), L2TP_StopCCN, m->m_result,
	    m->m_has_error, m->m_error);
	text[0] = '\0';
	if (m->m_errmsg.b_len > 0)
		l2tp_bytes_printable(text, sizeof(text), &m->m_errmsg);
	log_notice("tunnel %u: %s closed the control connection: %s%s%s",
	    tun->tun_tid, tunnel_peer(tun), words, text[0] ? ": " : "", text);
	tun->tun_result = m->m_result;
	tun->tun_error = m->m_has_error ? m->m_error : 0;
	strlcpy(tun->tun_reason, "StopCCN from peer: ", sizeof(tun->tun_reason));
	strlcat(tun->tun_reason, words, sizeof(tun->tun_reason));
	while ((ses = TAILQ_FIRST(&tun->tun_sessions)) != NULL)
		session_free(ses, tun->tun_reason);
	/* 5.7: keep the tunnel a while to acknowledge retransmissions. */
	if (tun->tun_reported) {
		l2tp_report_tunnel(tun->tun_ctx, MSG_TUNNEL_DOWN, tun);
		tun->tun_reported = 0;
	}
	tunnel_set_state(tun, TUN_CLOSING);
	evtimer_del(&tun->tun_hello);
	evtimer_add(&tun->tun_linger, &tv);
}

/* "received X in state Y": one failure path (STYLE.md). */
static void
tunnel_fsm_error(struct l2tp_tunnel *tun, const struct l2tp_msg *m)
{
	char	 why[MSG_REASON_MAX];

	snprintf(why, sizeof(why), "received %s in state %s",
	    l2tp_msg_type_name(m->m_type), tunnel_state_name(tun->tun_state));
	if (tun->tun_state == TUN_CLOSING) {
		log_debug("tunnel %u: %s (ignored)", tun->tun_tid, why);
		return;
	}
	tunnel_stop(tun, L2TP_STOPCCN_FSM, L2TP_ERR_NONE, why);
}

/* A message delivered in order by the reliable window. */
static void
tunnel_deliver(void *arg, const uint8_t *pkt, size_t len)
{
	struct l2tp_tunnel	*tun = arg;
	struct l2tp_msg		 m;
	size_t			 slen;
	const uint8_t		*secret = tunnel_secret(tun->tun_ctx, &slen);
	char			 why[MSG_REASON_MAX];
	int			 err;

	if (tun->tun_dead)
		return;
	if ((err = l2tp_msg_parse(pkt, len, secret, slen, &m)) != L2TP_P_OK) {
		snprintf(why, sizeof(why), "malformed control message: %s",
		    l2tp_perr_str(err));
		tunnel_stop(tun, L2TP_STOPCCN_ERROR, l2tp_perr_code(err), why);
		l2tp_msg_clear(&m);
		return;
	}
	log_debug("tunnel %u: received %s from %s", tun->tun_tid,
	    l2tp_msg_type_name(m.m_type), tunnel_peer(tun));
	switch (m.m_type) {
	case L2TP_SCCRQ:
	case L2TP_SCCRP:
	case L2TP_SCCCN:
	case L2TP_StopCCN:
	case L2TP_HELLO:
		/* 4.1: an unknown mandatory AVP clears the tunnel. */
		if (m.m_unknown_mandatory && m.m_type != L2TP_StopCCN) {
			snprintf(why, sizeof(why), "unknown mandatory AVP %u "
			    "(vendor %u) in %s", m.m_unknown_type,
			    m.m_unknown_vendor, l2tp_msg_type_name(m.m_type));
			tunnel_stop(tun, L2TP_STOPCCN_ERROR, L2TP_ERR_UNKNOWN_M,
			    why);
			break;
		}
		if ((err = l2tp_msg_missing(&m)) != -1) {
			snprintf(why, sizeof(why), "%s without the required "
			    "%s AVP", l2tp_msg_type_name(m.m_type),
			    l2tp_avp_name((uint16_t)err));
			tunnel_stop(tun, L2TP_STOPCCN_ERROR, L2TP_ERR_LENGTH,
			    why);
			break;
		}
		if (m.m_type == L2TP_SCCRQ)
			tunnel_recv_SCCRQ(tun, &m);
		else if (m.m_type == L2TP_SCCRP)
			tunnel_recv_SCCRP(tun, &m);
		else if (m.m_type == L2TP_SCCCN)
			tunnel_recv_SCCCN(tun, &m);
		else if (m.m_type == L2TP_StopCCN)
			tunnel_recv_StopCCN(tun, &m);
		/* HELLO: the reliable window acknowledges it. */
		break;
	case L2TP_ICRQ:
	case L2TP_ICRP:
	case L2TP_ICCN:
	case L2TP_CDN:
		if (tun->tun_state != TUN_ESTABLISHED) {
			tunnel_fsm_error(tun, &m);
			break;
		}
		session_recv(tun, &m);
		break;
	case L2TP_WEN:
	case L2TP_SLI:
		/* LAC-to-LNS link information: nothing for us to do. */
		break;
	default:
		/* 4.1 / 3.2: unknown type with M set clears the tunnel. */
		if (m.m_type_mbit) {
			snprintf(why, sizeof(why), "unsupported message type "
			    "%u with the M bit", m.m_type);
			tunnel_stop(tun, L2TP_STOPCCN_ERROR, L2TP_ERR_VALUE,
			    why);
		} else
			log_debug("tunnel %u: ignoring message type %u",
			    tun->tun_tid, m.m_type);
		break;
	}
	l2tp_msg_clear(&m);
}

static void
tunnel_input(struct l2tp_tunnel *tun, const struct l2tp_hdr *hdr,
    const uint8_t *pkt)
{
	tun->tun_in_input = 1;
	(void)l2tp_rel_input(&tun->tun_rel, hdr->h_ns, hdr->h_nr,
	    hdr->h_msglen == hdr->h_hdrlen, pkt, hdr->h_msglen,
	    l2tp_now_ms(), tunnel_deliver, tun);
	tun->tun_in_input = 0;
	if (tun->tun_dead) {
		tunnel_destroy(tun);
		return;
	}
	tunnel_kick(tun);
	if (!tun->tun_dead)
		tunnel_hello_arm(tun);
}

static size_t
tunnel_count_peer(struct l2tp_ctx *lx, const struct sockaddr_storage *peer)
{
	struct l2tp_tunnel	*tun;
	size_t			 n = 0;

	TAILQ_FOREACH(tun, &lx->lx_tunnels, tun_entry)
		/* A peer is its outer address:port (DESIGN.md): clients
		 * behind one NAT are each their own peer. */
		if (!tun->tun_dead && tun->tun_state != TUN_CLOSING &&
		    sockaddr_cmp(&tun->tun_peer, peer) == 0)
			n++;
	return (n);
}

/*
 * 5.8 / 6.1 tie breaker: both sides sent an SCCRQ to each other.  Returns
 * 1 when the peer's SCCRQ must be discarded (ours wins).
 */
static int
tunnel_tie_break(struct l2tp_ctx *lx, const struct sockaddr_storage *peer,
    const struct l2tp_msg *m)
{
	struct l2tp_tunnel	*tun, *next;
	int			 theirs = l2tp_msg_has(m, L2TP_AVP_TIE_BREAKER);

	TAILQ_FOREACH_SAFE(tun, &lx->lx_tunnels, tun_entry, next) {
		if (tun->tun_dead || !tun->tun_lac ||
		    tun->tun_state != TUN_WAIT_CTL_REPLY ||
		    sockaddr_cmp(&tun->tun_peer, peer) != 0)
			continue;
		if (!theirs)
			return (1);	/* only ours has one: ours wins */
		if (tun->tun_tie == m->m_tie_breaker) {
			/* 4.4.3: equal values, both sides give up. */
			tunnel_destroy(tun);
			return (1);
		}
		if (tun->tun_tie < m->m_tie_breaker)
			return (1);	/* the lower value wins */
		log_info("tunnel %u: %s won the tie breaker; using its "
		    "tunnel", tun->tun_tid, tunnel_peer(tun));
		tunnel_destroy(tun);
	}
	return (0);
}

/*
 * A control message for tunnel ID 0: only a complete, valid SCCRQ may
 * create state, and only within the limits.
 */
static void
tunnel_new_peer(struct l2tp_ctx *lx, const struct sockaddr_storage *peer,
    const struct sockaddr_storage *local, uint32_t sa,
    const struct l2tp_hdr *hdr, const uint8_t *pkt)
{
	struct l2tp_tunnel	*tun;
	struct l2tp_msg		 m;
	size_t			 slen;
	const uint8_t		*secret = tunnel_secret(lx, &slen);
	char			 where[SOCKADDR_STRLEN];
	int			 err, missing;

	sockaddr_str(peer, where, sizeof(where));
	if ((err = l2tp_msg_parse(pkt, hdr->h_msglen, secret, slen, &m)) !=
	    L2TP_P_OK || m.m_type != L2TP_SCCRQ) {
		lx->lx_stats.ls_no_tunnel++;
		log_debug("%s: dropped a control message for tunnel 0 (%s)",
		    where, err != L2TP_P_OK ? l2tp_perr_str(err) :
		    l2tp_msg_type_name(m.m_type));
		l2tp_msg_clear(&m);
		return;
	}
	if ((missing = l2tp_msg_missing(&m)) != -1) {
		lx->lx_stats.ls_malformed++;
		log_info("%s: SCCRQ without the required %s AVP; ignored",
		    where, l2tp_avp_name((uint16_t)missing));
		l2tp_msg_clear(&m);
		return;
	}
	/* A retransmitted SCCRQ belongs to the tunnel it already made. */
	TAILQ_FOREACH(tun, &lx->lx_tunnels, tun_entry) {
		if (!tun->tun_dead && !tun->tun_lac &&
		    tun->tun_state != TUN_CLOSING &&
		    tun->tun_peer_tid == m.m_tunnel_id &&
		    sockaddr_cmp(&tun->tun_peer, peer) == 0) {
			l2tp_msg_clear(&m);
			tunnel_input(tun, hdr, pkt);
			return;
		}
	}
	if (tunnel_tie_break(lx, peer, &m)) {
		l2tp_msg_clear(&m);
		return;
	}
	if (tunnel_count_peer(lx, peer) >=
	    lx->lx_conf.lc_max_tunnels_per_peer) {
		lx->lx_stats.ls_refused++;
		log_warnx("%s: SCCRQ refused: max-tunnels-per-peer (%u) "
		    "reached", where, lx->lx_conf.lc_max_tunnels_per_peer);
		l2tp_msg_clear(&m);
		return;
	}
	if ((tun = tunnel_new(lx, peer, local, sa, 0)) == NULL) {
		l2tp_msg_clear(&m);
		return;
	}
	tun->tun_peer_tid = m.m_tunnel_id;
	l2tp_rel_set_peer_tid(&tun->tun_rel, tun->tun_peer_tid);
	if (l2tp_msg_has(&m, L2TP_AVP_RECV_WINDOW))
		l2tp_rel_set_peer_rwin(&tun->tun_rel, m.m_recv_window);
	l2tp_msg_clear(&m);
	log_info("tunnel %u: SCCRQ from %s (their tunnel %u)", tun->tun_tid,
	    where, tun->tun_peer_tid);
	tunnel_input(tun, hdr, pkt);
}

/* A control datagram from the datapath (or our own socket). */
void
tunnel_ctrl_input(struct l2tp_ctx *lx, const struct sockaddr_storage *peer,
    const struct sockaddr_storage *local, uint32_t sa, const uint8_t *pkt,
    size_t len)
{
	struct l2tp_tunnel	*tun;
	struct l2tp_hdr		 hdr;
	char			 where[SOCKADDR_STRLEN];

	lx->lx_stats.ls_rx++;
	if (l2tp_hdr_parse(pkt, len, &hdr) != L2TP_P_OK || !hdr.h_control) {
		lx->lx_stats.ls_malformed++;
		return;
	}
	if (lx->lx_conf.lc_require_ipsec && sa == 0) {
		/* The datapath relays only decrypted packets; be sure. */
		lx->lx_stats.ls_malformed++;
		return;
	}
	if (hdr.h_tunnel_id == 0) {
		tunnel_new_peer(lx, peer, local, sa, &hdr, pkt);
		return;
	}
	if ((tun = tunnel_find(lx, hdr.h_tunnel_id)) == NULL ||
	    sockaddr_cmp(&tun->tun_peer, peer) != 0) {
		lx->lx_stats.ls_no_tunnel++;
		log_debug("%s: control message for unknown tunnel %u",
		    sockaddr_str(peer, where, sizeof(where)), hdr.h_tunnel_id);
		return;
	}
	tunnel_input(tun, &hdr, pkt);
}

/* LAC: open a control connection to peer (7.2.1, idle -> wait-ctl-reply). */
struct l2tp_tunnel *
tunnel_dial(struct l2tp_ctx *lx, const struct sockaddr_storage *peer,
    const struct sockaddr_storage *local, uint32_t sa)
{
	struct l2tp_tunnel	*tun;
	struct tun_msg		 tm;

	if ((tun = tunnel_new(lx, peer, local, sa, 1)) == NULL)
		return (NULL);
	tun->tun_tie = ((uint64_t)arc4random() << 32) | arc4random();
	tunnel_begin(tun, &tm, 0, L2TP_SCCRQ);
	tunnel_put_identity(tun, &tm);
	l2tp_avp_put_u64(&tm.tm_lb, L2TP_AVP_TIE_BREAKER, tun->tun_tie);
	tunnel_set_state(tun, TUN_WAIT_CTL_REPLY);
	log_info("tunnel %u: dialling %s", tun->tun_tid, tunnel_peer(tun));
	tunnel_queue(tun, &tm.tm_lb);
	return (tun);
}
