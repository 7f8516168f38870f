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

#include <arpa/inet.h>
#include <netinet/in.h>
#include <errno.h>
#include <event.h>
#include <fcntl.h>
#include <netdb.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/addr.h"
#include "common/log.h"
#include "l2tp/l2tp.h"
#include "l2tp/l2tp_parse.h"
#include "ppp/ppp_parse.h"
#include "ppp/ppp_session.h"

/*
 * l2tp_lacgen: an L2TP LAC load generator for the netns tests.  It runs
 * the daemon's own control connection and call code (l2tp/tunnel.c,
 * l2tp/session.c, l2tp/l2tp_reliable.c) in LAC mode over a plain UDP
 * socket: one tunnel, N incoming calls in it, a CDN for each, StopCCN.
 * With -P (or -u and -w) each call also carries the daemon's own PPP
 * code (ppp/ppp_session.c and what it uses) in the client role, so a
 * run is PPP over real L2TP against the real daemon as LNS: LCP, PAP,
 * CHAP-MD5 or MS-CHAPv2 (what the server asks for), IPCP.
 *
 * This file is the I/O shim tunnel.c and session.c expect (l2tp.h): it
 * defines l2tp_send(), l2tp_report_tunnel() and l2tp_report_session(),
 * so the linker never pulls l2tp/l2tp_main.o out of the archive.  The
 * report callbacks only record what happened; every protocol call is
 * made from lg_step(), after tunnel_ctrl_input() or a timer has
 * returned, never from inside the state machines (tunnel_stop() frees
 * sessions, and each free calls back here).  It is also the owner of
 * each ppp_session (ppp_session.h): L2TP data messages (T bit clear)
 * for our tunnel and a call's session ID go to ppp_session_input();
 * what so_send hands us goes out as an L2TP data message with a Length
 * field and FF 03 in front, as datapath.c sends them; the four timers
 * are libevent timers.  PPP's callbacks, too, only record (so_down
 * frees the session, which ppp_session.h allows).
 *
 * A call's PPP starts on the first frame from the LNS, or LG_PPP_KICK_MS
 * after the call is up if none came: the LNS's data path learns of the
 * call only after its ICCN has gone through its l2tp child and parent,
 * and a Configure-Request sent before that is lost and costs a whole
 * LCP restart interval (3 s).  pppd's "passive" does the same.
 *
 * With PPP the run is: calls up; every call's PPP up (IPCP opened) or
 * failed; hold -k seconds; LCP Terminate-Request on each (RFC 1661
 * 3.7: PPP first); a CDN for each; StopCCN.  The server may end a
 * session itself (l2tpsecctl disconnect, duplicate replace): it sends
 * an LCP Terminate-Request, then a CDN; both are logged and counted.
 *
 * On stdout, once, at the end (success or not):
 *   tunnel_id=.. peer_tunnel_id=.. tunnel_up_ms=.. sessions_up=..
 *   sessions_up_ms=.. retransmits=.. duplicates=.. timeouts=..
 *   peer_cdns=.. total_ms=.. state_left=..
 * and with PPP, on the same line:
 *   ppp_up=.. ppp_up_ms=.. ppp_failed=.. auth_failures=..
 *   server_ended=.. data_in=.. data_out=.. data_stray=.. addresses=A,B,..
 * (retransmits, duplicates and timeouts are our side's reliable-delivery
 * counters, l2tp_reliable.h; the times count from the first SCCRQ;
 * ppp_up counts the sessions whose IPCP opened, ppp_up_ms is when the
 * last of them did, 0 unless all did; ppp_failed counts the sessions
 * whose PPP ended before it was up; server_ended those the server
 * closed with an LCP Terminate-Request once up; data_in and data_out
 * count L2TP data messages, data_stray those that were malformed or
 * not for one of our calls; addresses are ours, in call order, of the
 * sessions that came up).
 * Progress and the reason of a failure go to stderr, among them, per
 * session, "session N: PPP up after .. ms: address A ...", "session N:
 * LCP Terminate-Request from the server: TEXT", "session N: the server
 * refused authentication (CHAP Failure): TEXT" and "session N: PPP
 * down: REASON".
 *
 *   l2tp_lacgen -l LOCAL -p PEER [-aDvx] [-H hostname] [-J rounds]
 *       [-k hold_s] [-n sessions] [-P user:password | -u user -w password]
 *       [-r retries] [-s secret] [-t timeout_s]
 *
 * binds LOCAL:1701, dials PEER:1701, opens -n sessions (1), holds them
 * -k seconds (0), sends a CDN (result 3) for each, waits for every ack,
 * sends StopCCN (result 1) and waits for its ack.  -r is the retry limit
 * (5), -s the tunnel secret (none), -t the limit for the whole run (60 s).
 * -a accepts a CDN from the peer for a session that was up.  -P runs PPP
 * as that user on every call.  -x expects the server to refuse the login
 * on every call (a CHAP Failure or PAP Authenticate-Nak): the run then
 * succeeds only if it did, and no session came up.  -D expects the
 * server to end every session during the hold (LCP Terminate-Request,
 * then CDN): the run succeeds once it has, and fails if the hold ends
 * first.  -J (with PPP) sends, LG_JUNK_DELAY_MS into the hold (the LNS's
 * data path learns that IPCP is open a little after we do), that many
 * rounds of hostile data messages per session: L2TP
 * data for an unknown session and for an unknown tunnel, a data message
 * without a PPP protocol field, PPP frames that are malformed (an LCP
 * packet whose Length exceeds the frame, an LCP header cut short, an
 * IPCP packet of one octet, an IPv4 header of three octets); the
 * session must survive them, and " junk_sent=N" is added to the summary
 * line.  Exit 0 when all went to plan and nothing is left; 1 on any
 * failure (tunnel refused or cleared by the peer, a session refused or
 * cleared, a session whose PPP did not come up, timeout); 2 on bad
 * usage; 128 + signal on SIGINT/SIGTERM, after a StopCCN.
 */

#define LG_TICK_MS	50
#define LG_DRAIN_MS	3000	/* after a failure: our StopCCN goes */
#define LG_MAX_SESSIONS	1000
/*
 * The reliable window holds at most L2TP_REL_SENDQ_DEFAULT (128) messages
 * and tunnel_queue() drops what does not fit without telling the caller,
 * so ICRQs go out in batches that leave room for the ICCNs they cause.
 */
#define LG_MAX_QUEUED	64
#define LG_PPP_KICK_MS	1000	/* PPP starts without the LNS's frame */
#define LG_JUNK_DELAY_MS 500	/* -J: into the hold */
#define LG_PEER_CDN_MS	3000	/* -x: the LNS's CDN after a failed login */
#define LG_L2TP_DATA_HDR 8	/* flags, Length, tunnel, session */
#define LG_FRAME_MAX	(4 + 65535)	/* FF 03, protocol, information */

enum lg_phase {
	LG_DIAL,	/* SCCRQ sent (7.2.1 wait-ctl-reply) */
	LG_CALLS,	/* ICRQs going out, waiting for every ICRP */
	LG_PPP,		/* -P: waiting for every call's IPCP (or failure) */
	LG_WAIT_CDN,	/* -x: the LNS clears the calls whose login failed */
	LG_HOLD,	/* all up: let the test look at the LNS */
	LG_PPP_CLOSE,	/* -P: LCP Terminate on each, waiting for the ends */
	LG_HANGUP,	/* a CDN for each: waiting for the acks */
	LG_STOP,	/* StopCCN sent: waiting for the tunnel to go */
	LG_DONE,
	LG_FAILED	/* draining for LG_DRAIN_MS, then exit 1 */
};

static const char *const lg_phase_names[] = {
	[LG_DIAL] = "dialling the tunnel",
	[LG_CALLS] = "opening sessions",
	[LG_PPP] = "negotiating PPP",
	[LG_WAIT_CDN] = "waiting for the LNS to clear the calls",
	[LG_HOLD] = "holding",
	[LG_PPP_CLOSE] = "terminating PPP",
	[LG_HANGUP] = "disconnecting sessions",
	[LG_STOP] = "closing the tunnel",
	[LG_DONE] = "done",
	[LG_FAILED] = "failed",
};

struct lacgen;
struct lg_call;

/* One of a call's PPP timers, knowing whose and which it is. */
struct lg_timer {
	struct event		 lt_ev;
	struct lg_call		*lt_cl;
	enum ppp_timer		 lt_which;
};

struct lg_call {
	uint32_t		 cl_id;		/* ses_id: unique in the ctx */
	uint16_t		 cl_sid;	/* ours, in data messages */
	uint16_t		 cl_peer_sid;
	int			 cl_up;
	int			 cl_gone;
	uint64_t		 cl_up_at;	/* ms, l2tp_now_ms() */

	/* PPP (-P). */
	struct lacgen		*cl_lg;
	struct ppp_session	*cl_ppp;	/* NULL once so_down ran */
	struct lg_timer		 cl_timer[PPP_TIMER_COUNT];
	int			 cl_ppp_started;
	int			 cl_ppp_up;	/* IPCP opened, once */
	int			 cl_ppp_done;	/* so_down ran */
	int			 cl_closing;	/* our ppp_session_close() */
	int			 cl_peer_term;	/* Terminate-Request heard */
	int			 cl_srv_ended;	/* ... once PPP was up */
	int			 cl_auth_failed;	/* so_auth_result: no */
	int			 cl_srv_refused; /* CHAP Failure, PAP Nak */
	struct in_addr		 cl_addr;	/* ours, from IPCP */
	char			 cl_term_text[PPP_REASON_MAX];
	char			 cl_down_why[PPP_REASON_MAX];
};

struct lacgen {
	struct l2tp_ctx		 lg_lx;	/* what the shim is handed */
	struct event_base	*lg_base;
	struct sockaddr_storage	 lg_local;
	struct sockaddr_storage	 lg_peer;
	char			 lg_peer_str[SOCKADDR_STRLEN];
	int			 lg_fd;
	struct event		*lg_ev_read;
	struct event		*lg_ev_tick;
	struct event		*lg_ev_int;
	struct event		*lg_ev_term;

	/* What the test asked for. */
	unsigned int		 lg_want;	/* sessions */
	unsigned int		 lg_hold_s;
	unsigned int		 lg_timeout_s;
	int			 lg_accept_cdn;	/* -a */
	int			 lg_ppp;	/* -P, -u/-w */
	int			 lg_expect_authfail;	/* -x */
	int			 lg_expect_srv_end;	/* -D */
	unsigned int		 lg_junk_rounds;	/* -J */
	unsigned long long	 lg_junk_sent;
	uint64_t		 lg_junk_at;
	int			 lg_junk_done;
	char			 lg_user[PPP_NAME_MAX + 1];
	uint8_t			 lg_passwd[PPP_PASSWD_MAX];
	size_t			 lg_passwd_len;

	enum lg_phase		 lg_phase;
	uint16_t		 lg_tid;	/* our tunnel, by its ID */
	uint16_t		 lg_peer_tid;
	struct lg_call		*lg_calls;
	unsigned int		 lg_ndialled;
	unsigned int		 lg_nup;
	unsigned int		 lg_ncdn_ours;
	unsigned int		 lg_ncdn_peer;
	uint32_t		 lg_closing_id;	/* session_disconnect() */
	int			 lg_we_stop;	/* our tunnel_stop() */
	int			 lg_failed;
	char			 lg_why[256];
	int			 lg_signal;
	int			 lg_exit;

	uint64_t		 lg_start_ms;
	uint64_t		 lg_deadline_ms;
	uint64_t		 lg_hold_until;	/* also LG_WAIT_CDN's limit */
	uint64_t		 lg_drain_until;
	int			 lg_tunnel_up;
	uint64_t		 lg_tunnel_up_ms;
	uint64_t		 lg_sessions_up_ms;
	struct l2tp_rel_stats	 lg_stats;	/* last seen: the summary */
	uint64_t		 lg_tx_errors;

	/* PPP counters, for the summary. */
	unsigned int		 lg_nppp_up;
	unsigned int		 lg_nppp_failed;	/* down before up */
	unsigned int		 lg_nauth_fail;
	unsigned int		 lg_nsrv_end;
	uint64_t		 lg_ppp_up_ms;
	uint64_t		 lg_data_rx;
	uint64_t		 lg_data_tx;
	uint64_t		 lg_data_stray;	/* bad, or not for our calls */
};

static struct lacgen	 lacgen;

static void	lg_step(struct lacgen *);

static struct lacgen *
lg_of(struct l2tp_ctx *lx)
{
	return ((struct lacgen *)((char *)lx - offsetof(struct lacgen, lg_lx)));
}

static void __attribute__((format(printf, 2, 3)))
lg_fail(struct lacgen *lg, const char *fmt, ...)
{
	va_list	 ap;

	if (lg->lg_failed)
		return;		/* the first reason counts */
	lg->lg_failed = 1;
	va_start(ap, fmt);
	vsnprintf(lg->lg_why, sizeof(lg->lg_why), fmt, ap);
	va_end(ap);
}

static struct lg_call *
lg_call_find(struct lacgen *lg, uint32_t id)
{
	unsigned int	 i;

	for (i = 0; i < lg->lg_ndialled; i++)
		if (lg->lg_calls[i].cl_id == id)
			return (&lg->lg_calls[i]);
	return (NULL);
}

/* Our tunnel while the ctx still has it. */
static struct l2tp_tunnel *
lg_tunnel(struct lacgen *lg)
{
	struct l2tp_tunnel	*tun;

	TAILQ_FOREACH(tun, &lg->lg_lx.lx_tunnels, tun_entry)
		if (tun->tun_tid == lg->lg_tid && !tun->tun_dead)
			return (tun);
	return (NULL);
}

/* ---- the shim tunnel.c and session.c call (l2tp.h) ------------------ */

int
l2tp_send(struct l2tp_tunnel *tun, const uint8_t *pkt, size_t len)
{
	struct lacgen			*lg = lg_of(tun->tun_ctx);
	const struct sockaddr_storage	*peer = &tun->tun_peer;

	/*
	 * A netfilter drop on output shows up here as EPERM: to the
	 * protocol that is a lost datagram like any other.
	 */
	if (sendto(lg->lg_fd, pkt, len, 0, (const struct sockaddr *)peer,
	    sockaddr_len(peer)) == -1) {
		lg->lg_tx_errors++;
		log_debug("sendto: %s", strerror(errno));
		return (-1);
	}
	return (0);
}

void
l2tp_report_tunnel(struct l2tp_ctx *lx, uint32_t type,
    const struct l2tp_tunnel *tun)
{
	struct lacgen	*lg = lg_of(lx);

	if (tun->tun_tid != lg->lg_tid)
		return;
	lg->lg_stats = *l2tp_rel_stats(&tun->tun_rel);
	if (type == MSG_TUNNEL_UP)
		return;		/* lg_step sees the state */
	/* MSG_TUNNEL_DOWN: freed now, or lingering after a StopCCN. */
	if (lg->lg_we_stop && l2tp_rel_dead(&tun->tun_rel))
		lg_fail(lg, "the peer never acknowledged our StopCCN");
	else if (!lg->lg_we_stop)
		lg_fail(lg, "tunnel %u went down: %s", tun->tun_tid,
		    tun->tun_reason[0] ? tun->tun_reason : "no reason given");
}

void
l2tp_report_session(struct l2tp_ctx *lx, uint32_t type,
    const struct l2tp_session *ses, const char *why)
{
	struct lacgen	*lg = lg_of(lx);
	struct lg_call	*cl;

	if ((cl = lg_call_find(lg, ses->ses_id)) == NULL)
		return;
	if (type == MSG_SESSION_UP) {
		if (!cl->cl_up) {
			cl->cl_up = 1;
			cl->cl_sid = ses->ses_sid;
			cl->cl_peer_sid = ses->ses_peer_sid;
			cl->cl_up_at = l2tp_now_ms();
			lg->lg_nup++;
		}
		return;
	}
	/* MSG_SESSION_DOWN; its PPP, if any, goes in lg_step(). */
	cl->cl_gone = 1;
	if (ses->ses_id == lg->lg_closing_id) {
		lg->lg_ncdn_ours++;
		return;
	}
	if (lg->lg_we_stop)
		return;		/* our StopCCN takes it along */
	/*
	 * With PPP, the LNS clears the call after its PPP has ended: we
	 * closed it, it closed it (Terminate-Request), or the login or
	 * IPCP failed.  Whether that was to plan is PPP's verdict, which
	 * lg_step() judges; the CDN itself is expected.
	 */
	if (lg->lg_ppp && why != NULL &&
	    strncmp(why, "CDN from peer", 13) == 0 && (cl->cl_ppp_done ||
	    cl->cl_peer_term || cl->cl_closing || cl->cl_auth_failed)) {
		lg->lg_ncdn_peer++;
		log_notice("session %u: the LNS cleared the call (%s)",
		    ses->ses_id, why);
		return;
	}
	/*
	 * session.c says "CDN from peer: ..." when the peer hung up.  -a
	 * accepts that for a session that was up: xl2tpd clears a call
	 * whose pppd died, and pppd dies on a host without /dev/ppp.
	 */
	if (lg->lg_accept_cdn && cl->cl_up && why != NULL &&
	    strncmp(why, "CDN from peer", 13) == 0) {
		lg->lg_ncdn_peer++;
		log_notice("session %u: the peer hung up after it was up "
		    "(%s); accepted (-a)", ses->ses_id, why);
		return;
	}
	lg_fail(lg, "session %u went down: %s", ses->ses_id,
	    why != NULL ? why : "no reason given");
}

/* ---- PPP over the calls (-P) ---------------------------------------- */

static struct lg_call *
lg_call_by_sid(struct lacgen *lg, uint16_t sid)
{
	unsigned int	 i;

	for (i = 0; i < lg->lg_ndialled; i++)
		if (lg->lg_calls[i].cl_up && lg->lg_calls[i].cl_sid == sid)
			return (&lg->lg_calls[i]);
	return (NULL);
}

/*
 * so_send: RFC 2661 3.1 data message with the L bit (as datapath.c
 * sends them: 0x4002, Length, the peer's tunnel and session IDs), then
 * the RFC 1662 3.1 Address and Control fields and the protocol.
 */
static void
lg_ppp_send(void *arg, uint16_t proto, const uint8_t *data, size_t len)
{
	struct lg_call	*cl = arg;
	struct lacgen	*lg = cl->cl_lg;
	uint8_t		 buf[LG_L2TP_DATA_HDR + LG_FRAME_MAX];
	size_t		 total = LG_L2TP_DATA_HDR + 4 + len;

	if (cl->cl_gone || total > sizeof(buf) || total > 0xffff)
		return;
	buf[0] = 0x40;			/* L */
	buf[1] = 0x02;			/* Ver 2 */
	buf[2] = total >> 8;
	buf[3] = total & 0xff;
	buf[4] = lg->lg_peer_tid >> 8;
	buf[5] = lg->lg_peer_tid & 0xff;
	buf[6] = cl->cl_peer_sid >> 8;
	buf[7] = cl->cl_peer_sid & 0xff;
	buf[8] = 0xff;
	buf[9] = 0x03;
	buf[10] = proto >> 8;
	buf[11] = proto & 0xff;
	if (len > 0)
		memcpy(buf + 12, data, len);
	if (sendto(lg->lg_fd, buf, total, 0,
	    (const struct sockaddr *)&lg->lg_peer,
	    sockaddr_len(&lg->lg_peer)) == -1) {
		lg->lg_tx_errors++;
		log_debug("sendto (data): %s", strerror(errno));
		return;
	}
	lg->lg_data_tx++;
}

/* One hostile L2TP data message, as it is: for -J. */
static void
lg_junk_raw(struct lacgen *lg, const uint8_t *buf, size_t len)
{
	if (sendto(lg->lg_fd, buf, len, 0,
	    (const struct sockaddr *)&lg->lg_peer,
	    sockaddr_len(&lg->lg_peer)) == -1) {
		lg->lg_tx_errors++;
		return;
	}
	lg->lg_junk_sent++;
}

/* L2TP data header with the L bit for (tid, sid), then the PPP bytes. */
static void
lg_junk_data(struct lacgen *lg, uint16_t tid, uint16_t sid,
    const uint8_t *ppp, size_t len)
{
	uint8_t	 buf[64];
	size_t	 total = LG_L2TP_DATA_HDR + len;

	if (total > sizeof(buf))
		return;
	buf[0] = 0x40;
	buf[1] = 0x02;
	buf[2] = total >> 8;
	buf[3] = total & 0xff;
	buf[4] = tid >> 8;
	buf[5] = tid & 0xff;
	buf[6] = sid >> 8;
	buf[7] = sid & 0xff;
	memcpy(buf + LG_L2TP_DATA_HDR, ppp, len);
	lg_junk_raw(lg, buf, total);
}

/* -J: what a hostile or broken LAC sends on a live session. */
static void
lg_send_junk(struct lacgen *lg)
{
	static const uint8_t lcp_long[] = { 0xff, 0x03, 0xc0, 0x21, 0x09,
	    0x01, 0x00, 0x40, 0, 0, 0, 0 };	/* Echo-Request, Length 64 */
	static const uint8_t lcp_cut[] = { 0xff, 0x03, 0xc0, 0x21, 0x01 };
	static const uint8_t ipcp_one[] = { 0xff, 0x03, 0x80, 0x21, 0x01 };
	static const uint8_t ip_cut[] = { 0xff, 0x03, 0x00, 0x21, 0x45,
	    0x00, 0x00 };
	static const uint8_t no_proto[] = { 0xff, 0x03 };
	static const uint8_t lcp_ok[] = { 0xff, 0x03, 0xc0, 0x21, 0x09,
	    0x01, 0x00, 0x08, 0, 0, 0, 0 };
	unsigned int	 i, r;

	for (r = 0; r < lg->lg_junk_rounds; r++) {
		for (i = 0; i < lg->lg_ndialled; i++) {
			struct lg_call *cl = &lg->lg_calls[i];
			uint16_t t = lg->lg_peer_tid, s = cl->cl_peer_sid;

			if (!cl->cl_ppp_up || cl->cl_gone)
				continue;
			lg_junk_data(lg, t, (uint16_t)(s ^ 0x7a5a), lcp_ok,
			    sizeof(lcp_ok));
			lg_junk_data(lg, (uint16_t)(t ^ 0x7a5a), s, lcp_ok,
			    sizeof(lcp_ok));
			lg_junk_data(lg, t, s, no_proto, sizeof(no_proto));
			lg_junk_data(lg, t, s, lcp_long, sizeof(lcp_long));
			lg_junk_data(lg, t, s, lcp_cut, sizeof(lcp_cut));
			lg_junk_data(lg, t, s, ipcp_one, sizeof(ipcp_one));
			lg_junk_data(lg, t, s, ip_cut, sizeof(ip_cut));
		}
	}
	log_notice("sent %llu hostile data messages", lg->lg_junk_sent);
}

static void
lg_ppp_timer_fired(int fd, short ev, void *arg)
{
	struct lg_timer	*lt = arg;
	struct lg_call	*cl = lt->lt_cl;

	(void)fd;
	(void)ev;
	if (cl->cl_ppp != NULL)
		ppp_session_timeout(cl->cl_ppp, lt->lt_which);
	lg_step(cl->cl_lg);
}

static void
lg_ppp_timer_start(void *arg, enum ppp_timer which, unsigned int ms)
{
	struct lg_call	*cl = arg;
	struct timeval	 tv = { ms / 1000, (ms % 1000) * 1000 };

	evtimer_del(&cl->cl_timer[which].lt_ev);
	if (evtimer_add(&cl->cl_timer[which].lt_ev, &tv) == -1)
		fatalx("evtimer_add");
}

static void
lg_ppp_timer_stop(void *arg, enum ppp_timer which)
{
	struct lg_call	*cl = arg;

	evtimer_del(&cl->cl_timer[which].lt_ev);
}

static const char *
lg_ntoa(struct in_addr a, char *buf, size_t len)
{
	if (inet_ntop(AF_INET, &a, buf, len) == NULL)
		(void)strlcpy(buf, "?", len);
	return (buf);
}

static void
lg_ppp_up(void *arg, const struct ppp_up_info *ui)
{
	struct lg_call	*cl = arg;
	struct lacgen	*lg = cl->cl_lg;
	uint64_t	 now = l2tp_now_ms();
	char		 a[INET_ADDRSTRLEN], b[INET_ADDRSTRLEN];
	char		 d1[INET_ADDRSTRLEN], d2[INET_ADDRSTRLEN];

	if (cl->cl_ppp_up)
		return;
	cl->cl_ppp_up = 1;
	cl->cl_addr = ui->ui_local;
	lg->lg_nppp_up++;
	log_notice("session %u: PPP up after %llu ms (%llu ms after the "
	    "call): address %s, server %s, dns %s %s, %s as \"%s\", mtu %u",
	    cl->cl_id, (unsigned long long)(now - lg->lg_start_ms),
	    (unsigned long long)(now - cl->cl_up_at),
	    lg_ntoa(ui->ui_local, a, sizeof(a)),
	    lg_ntoa(ui->ui_peer, b, sizeof(b)),
	    lg_ntoa(ui->ui_dns[0], d1, sizeof(d1)),
	    lg_ntoa(ui->ui_dns[1], d2, sizeof(d2)), ppp_auth_name(ui->ui_auth),
	    ui->ui_user != NULL ? ui->ui_user : "", ui->ui_mtu);
}

static void
lg_ppp_stop_timers(struct lg_call *cl)
{
	int	 t;

	for (t = 0; t < PPP_TIMER_COUNT; t++)
		evtimer_del(&cl->cl_timer[t].lt_ev);
}

/* so_down: exactly once; ppp_session.h lets us free the session here. */
static void
lg_ppp_down(void *arg, const char *reason)
{
	struct lg_call	*cl = arg;
	struct lacgen	*lg = cl->cl_lg;

	(void)strlcpy(cl->cl_down_why, reason != NULL ? reason : "",
	    sizeof(cl->cl_down_why));
	cl->cl_ppp_done = 1;
	if (!cl->cl_ppp_up)
		lg->lg_nppp_failed++;
	log_notice("session %u: PPP down%s: %s", cl->cl_id,
	    cl->cl_ppp_up ? "" : " before it was up", cl->cl_down_why);
	lg_ppp_stop_timers(cl);
	ppp_session_free(cl->cl_ppp);
	cl->cl_ppp = NULL;
}

static void
lg_ppp_auth_result(void *arg, const char *user, enum conf_auth method,
    int ok, const char *reason)
{
	struct lg_call	*cl = arg;
	struct lacgen	*lg = cl->cl_lg;

	if (ok) {
		log_info("session %u: authenticated as \"%s\" with %s",
		    cl->cl_id, user != NULL ? user : "",
		    ppp_auth_name(method));
		return;
	}
	if (!cl->cl_auth_failed) {
		cl->cl_auth_failed = 1;
		lg->lg_nauth_fail++;
	}
	log_notice("session %u: authentication as \"%s\" with %s failed: %s",
	    cl->cl_id, user != NULL ? user : "", ppp_auth_name(method),
	    reason != NULL ? reason : "no reason given");
}

static const struct ppp_session_ops lg_ppp_ops = {
	.so_send = lg_ppp_send,
	.so_timer_start = lg_ppp_timer_start,
	.so_timer_stop = lg_ppp_timer_stop,
	.so_up = lg_ppp_up,
	.so_down = lg_ppp_down,
	.so_auth_result = lg_ppp_auth_result,
};

static void
lg_ppp_start(struct lacgen *lg, struct lg_call *cl)
{
	struct ppp_session_params	 sp;
	int				 t;

	cl->cl_ppp_started = 1;
	cl->cl_lg = lg;
	for (t = 0; t < PPP_TIMER_COUNT; t++) {
		cl->cl_timer[t].lt_cl = cl;
		cl->cl_timer[t].lt_which = (enum ppp_timer)t;
		evtimer_assign(&cl->cl_timer[t].lt_ev, lg->lg_base,
		    lg_ppp_timer_fired, &cl->cl_timer[t]);
	}
	/* Defaults: MRU 1500, echo 30 s x 4, MS-CHAPv2, CHAP-MD5, PAP. */
	ppp_session_params_init(&sp, PPP_ROLE_CLIENT);
	sp.sp_id = cl->cl_id;
	sp.sp_peer = lg->lg_peer_str;
	sp.sp_user = lg->lg_user;
	sp.sp_password = lg->lg_passwd;
	sp.sp_password_len = lg->lg_passwd_len;
	if ((cl->cl_ppp = ppp_session_new(&sp, &lg_ppp_ops, cl)) == NULL) {
		cl->cl_ppp_done = 1;
		lg->lg_nppp_failed++;
		(void)strlcpy(cl->cl_down_why, "could not start PPP",
		    sizeof(cl->cl_down_why));
		lg_fail(lg, "session %u: could not start PPP", cl->cl_id);
		return;
	}
	ppp_session_start(cl->cl_ppp, time(NULL));
}

/* At exit, for what is left after a failure: no so_down any more. */
static void
lg_ppp_release(struct lg_call *cl)
{
	if (cl->cl_ppp == NULL)
		return;
	lg_ppp_stop_timers(cl);
	ppp_session_free(cl->cl_ppp);
	cl->cl_ppp = NULL;
}

static void
lg_print_text(char *dst, size_t size, const uint8_t *p, size_t len)
{
	size_t	 i;

	if (len >= size)
		len = size - 1;
	for (i = 0; i < len; i++)
		dst[i] = p[i] >= 0x20 && p[i] < 0x7f ? (char)p[i] : '?';
	dst[len] = '\0';
}

/*
 * What the test wants to see from the server, in the order it came:
 * an LCP Terminate-Request (RFC 1661 5.5, its data is the reason) and a
 * refused login, CHAP Failure (RFC 1994 4.1, RFC 2759 6: "E=691 R=0
 * ...") or PAP Authenticate-Nak (RFC 1334 2.2.2).  The session itself
 * acts on them; this only reports their text.
 */
static void
lg_ppp_sniff(struct lg_call *cl, const uint8_t *buf, size_t len)
{
	struct ppp_frame	 f;
	struct ppp_cp		 cp;
	struct pap_reply	 pr;
	char			 text[256];

	if (ppp_frame_parse(buf, len, &f) == -1 ||
	    ppp_cp_parse(f.pf_info, f.pf_infolen, &cp) == -1)
		return;
	if (f.pf_proto == PPP_PROTO_LCP && cp.cp_code == PPP_TERM_REQ) {
		lg_print_text(text, sizeof(text), cp.cp_data, cp.cp_datalen);
		if (!cl->cl_peer_term && !cl->cl_closing)
			log_notice("session %u: LCP Terminate-Request from "
			    "the server: %s", cl->cl_id,
			    text[0] != '\0' ? text : "(no text)");
		if (!cl->cl_peer_term)
			(void)strlcpy(cl->cl_term_text, text,
			    sizeof(cl->cl_term_text));
		cl->cl_peer_term = 1;
		if (cl->cl_ppp_up && !cl->cl_closing && !cl->cl_srv_ended) {
			cl->cl_srv_ended = 1;
			cl->cl_lg->lg_nsrv_end++;
		}
	} else if (f.pf_proto == PPP_PROTO_CHAP &&
	    cp.cp_code == CHAP_FAILURE) {
		lg_print_text(text, sizeof(text), cp.cp_data, cp.cp_datalen);
		cl->cl_srv_refused = 1;
		log_notice("session %u: the server refused authentication "
		    "(CHAP Failure): %s", cl->cl_id, text);
	} else if (f.pf_proto == PPP_PROTO_PAP && cp.cp_code == PAP_AUTH_NAK &&
	    pap_reply_parse(&cp, &pr) == 0) {
		lg_print_text(text, sizeof(text), pr.pp_msg, pr.pp_msglen);
		cl->cl_srv_refused = 1;
		log_notice("session %u: the server refused authentication "
		    "(PAP Authenticate-Nak): %s", cl->cl_id, text);
	}
}

/* An L2TP data message (T bit clear) from the LNS. */
static void
lg_data_input(struct lacgen *lg, const struct sockaddr_storage *from,
    const uint8_t *pkt, size_t len)
{
	struct l2tp_hdr	 h;
	struct lg_call	*cl;
	const uint8_t	*frame;
	size_t		 flen;

	if (l2tp_data_parse(pkt, len, &h) != L2TP_P_OK ||
	    sockaddr_cmp(from, &lg->lg_peer) != 0 ||
	    h.h_tunnel_id != lg->lg_tid ||
	    (cl = lg_call_by_sid(lg, h.h_session_id)) == NULL ||
	    cl->cl_gone) {
		lg->lg_data_stray++;
		return;
	}
	lg->lg_data_rx++;
	if (!lg->lg_ppp)
		return;		/* an L2TP-only run carries no PPP */
	frame = pkt + h.h_hdrlen;
	flen = h.h_msglen - h.h_hdrlen;
	lg_ppp_sniff(cl, frame, flen);
	if (!cl->cl_ppp_started && lg->lg_phase != LG_FAILED)
		lg_ppp_start(lg, cl);
	/* FF 03 in front is fine (ppp_session.h). */
	if (cl->cl_ppp != NULL)
		ppp_session_input(cl->cl_ppp, frame, flen);
}

/* ---- events ----------------------------------------------------------- */

static void
lg_read(int fd, short ev, void *arg)
{
	struct lacgen		*lg = arg;
	struct sockaddr_storage	 from;
	socklen_t		 fromlen;
	uint8_t			 buf[L2TP_MSG_MAXLEN];
	ssize_t			 n;

	(void)ev;
	for (;;) {
		fromlen = sizeof(from);
		memset(&from, 0, sizeof(from));
		n = recvfrom(fd, buf, sizeof(buf), 0,
		    (struct sockaddr *)&from, &fromlen);
		if (n == -1) {
			if (errno != EAGAIN && errno != EWOULDBLOCK &&
			    errno != EINTR)
				log_warn("recvfrom");
			break;
		}
		if (n < 2)
			continue;
		/* Data messages (T=0) carry PPP. */
		if ((buf[0] & 0x80) == 0) {
			lg_data_input(lg, &from, buf, (size_t)n);
			lg_step(lg);
			continue;
		}
		tunnel_ctrl_input(&lg->lg_lx, &from, &lg->lg_local, 0, buf,
		    (size_t)n);
		/* Each one: the next may free what this one closed. */
		lg_step(lg);
	}
}

static void
lg_tick(int fd, short ev, void *arg)
{
	(void)fd;
	(void)ev;
	lg_step(arg);
}

static void
lg_sig(int sig, short ev, void *arg)
{
	struct lacgen	*lg = arg;

	(void)ev;
	if (lg->lg_signal != 0) {
		/* A second one: no more waiting for the peer. */
		lg->lg_exit = 128 + sig;
		event_base_loopbreak(lg->lg_base);
		return;
	}
	lg->lg_signal = sig;
	lg_fail(lg, "interrupted by %s", strsignal(sig));
	lg_step(lg);
}

/* ---- the run ------------------------------------------------------- */

static void
lg_set_phase(struct lacgen *lg, enum lg_phase ph)
{
	log_info("phase: %s -> %s", lg_phase_names[lg->lg_phase],
	    lg_phase_names[ph]);
	lg->lg_phase = ph;
}

/* ICRQs, as many as the reliable window's queue has room for. */
static void
lg_dial_some(struct lacgen *lg, struct l2tp_tunnel *tun)
{
	struct l2tp_session	*ses;

	while (lg->lg_ndialled < lg->lg_want &&
	    l2tp_rel_unacked(&tun->tun_rel) < LG_MAX_QUEUED) {
		if ((ses = session_dial(tun)) == NULL) {
			lg_fail(lg, "could not dial session %u",
			    lg->lg_ndialled + 1);
			return;
		}
		lg->lg_calls[lg->lg_ndialled].cl_id = ses->ses_id;
		lg->lg_ndialled++;
	}
}

static void
lg_hangup(struct lacgen *lg)
{
	struct l2tp_session	*ses;
	unsigned int		 i;

	for (i = 0; i < lg->lg_ndialled; i++) {
		if (lg->lg_calls[i].cl_gone)
			continue;
		if ((ses = tunnel_find_session(&lg->lg_lx,
		    lg->lg_calls[i].cl_id)) == NULL)
			continue;
		lg->lg_closing_id = ses->ses_id;
		/* 4.4.2 result 3: disconnected for administrative reasons. */
		session_disconnect(ses, L2TP_CDN_ADMIN, L2TP_ERR_NONE,
		    "load test done");
		lg->lg_closing_id = 0;
	}
}

/* Sessions that vanished before they were up: refused by the peer. */
static void
lg_check_refused(struct lacgen *lg)
{
	struct lg_call	*cl;
	unsigned int	 i;

	for (i = 0; i < lg->lg_ndialled; i++) {
		cl = &lg->lg_calls[i];
		if (cl->cl_up || cl->cl_gone)
			continue;
		if (tunnel_find_session(&lg->lg_lx, cl->cl_id) == NULL) {
			cl->cl_gone = 1;
			lg_fail(lg, "session %u was refused by the peer "
			    "before it came up (CDN; see the log above)",
			    cl->cl_id);
		}
	}
}

static void
lg_begin_failure(struct lacgen *lg, struct l2tp_tunnel *tun, uint64_t now)
{
	log_warnx("FAILED while %s: %s (tunnel %s, %u of %u sessions up)",
	    lg_phase_names[lg->lg_phase], lg->lg_why,
	    lg->lg_tunnel_up ? "was up" : "never came up", lg->lg_nup,
	    lg->lg_want);
	lg_set_phase(lg, LG_FAILED);
	lg->lg_drain_until = now + LG_DRAIN_MS;
	/*
	 * Tell the peer, so it does not keep our state until it times out
	 * (before its SCCRP, tunnel_stop() just frees the tunnel).
	 */
	if (tun != NULL && tun->tun_state != TUN_CLOSING) {
		lg->lg_we_stop = 1;
		tunnel_stop(tun, L2TP_STOPCCN_CLEAR, L2TP_ERR_NONE,
		    "load generator failed");
	}
}

/* The CDNs, as many as there are calls left. */
static void
lg_hangup_begin(struct lacgen *lg)
{
	lg_hangup(lg);
	log_notice("%u CDN(s) sent (%u session(s) cleared by the peer); "
	    "waiting for the acknowledgements", lg->lg_ncdn_ours,
	    lg->lg_ncdn_peer);
	lg_set_phase(lg, LG_HANGUP);
}

/*
 * Every step: a call cleared under a running PPP takes PPP's lower layer
 * with it (no Terminate-Request can go any more), and a call whose LNS
 * has not started PPP after LG_PPP_KICK_MS gets ours started anyway.
 */
static void
lg_ppp_poll(struct lacgen *lg, uint64_t now)
{
	struct lg_call	*cl;
	unsigned int	 i;
	char		 why[PPP_REASON_MAX];

	for (i = 0; i < lg->lg_ndialled; i++) {
		cl = &lg->lg_calls[i];
		if (cl->cl_ppp != NULL && cl->cl_gone) {
			/*
			 * After the server's Terminate-Request our side waits
			 * out a restart interval (RFC 1661 Stopping) and the
			 * CDN comes first: the Terminate says why.
			 */
			if (cl->cl_peer_term)
				(void)snprintf(why, sizeof(why), "peer "
				    "terminated the link: %.60s; then the L2TP "
				    "call was cleared", cl->cl_term_text);
			else
				(void)strlcpy(why, "L2TP call cleared",
				    sizeof(why));
			ppp_session_lower_down(cl->cl_ppp, why);
		} else if (cl->cl_up && !cl->cl_gone && !cl->cl_ppp_started &&
		    now >= cl->cl_up_at + LG_PPP_KICK_MS &&
		    (lg->lg_phase == LG_CALLS || lg->lg_phase == LG_PPP)) {
			log_info("session %u: no PPP frame from the LNS after "
			    "%u ms; starting ours", cl->cl_id, LG_PPP_KICK_MS);
			lg_ppp_start(lg, cl);
		}
	}
}

/* Every call's PPP is up, or has ended before it was. */
static int
lg_ppp_settled(struct lacgen *lg)
{
	unsigned int	 i;

	for (i = 0; i < lg->lg_ndialled; i++)
		if (!lg->lg_calls[i].cl_ppp_up &&
		    !lg->lg_calls[i].cl_ppp_done)
			return (0);
	return (1);
}

static int
lg_all_gone(struct lacgen *lg)
{
	unsigned int	 i;

	for (i = 0; i < lg->lg_ndialled; i++)
		if (!lg->lg_calls[i].cl_gone)
			return (0);
	return (1);
}

/* Every PPP session has ended (so_down ran, or it never started). */
static int
lg_ppp_all_down(struct lacgen *lg)
{
	unsigned int	 i;

	for (i = 0; i < lg->lg_ndialled; i++)
		if (lg->lg_calls[i].cl_ppp != NULL)
			return (0);
	return (1);
}

/* Once settled: was that the plan?  -1 after lg_fail(). */
static int
lg_ppp_judge(struct lacgen *lg, uint64_t now)
{
	struct lg_call	*cl;
	unsigned int	 i;
	char		 a[INET_ADDRSTRLEN];

	for (i = 0; i < lg->lg_ndialled; i++) {
		cl = &lg->lg_calls[i];
		if (lg->lg_expect_authfail && cl->cl_ppp_up) {
			lg_fail(lg, "-x: session %u came up (address %s); "
			    "its login should have been refused", cl->cl_id,
			    lg_ntoa(cl->cl_addr, a, sizeof(a)));
			return (-1);
		}
		if (lg->lg_expect_authfail && (!cl->cl_auth_failed ||
		    !cl->cl_srv_refused)) {
			lg_fail(lg, "-x: session %u failed, but not because "
			    "the server refused the login: %s", cl->cl_id,
			    cl->cl_down_why);
			return (-1);
		}
		if (!lg->lg_expect_authfail && !cl->cl_ppp_up) {
			lg_fail(lg, "%u of %u session(s) did not get PPP "
			    "up; session %u: %s", lg->lg_nppp_failed,
			    lg->lg_ndialled, cl->cl_id, cl->cl_down_why);
			return (-1);
		}
	}
	if (lg->lg_expect_authfail) {
		log_notice("the server refused the login on all %u "
		    "session(s), as expected (-x)", lg->lg_ndialled);
		return (0);
	}
	lg->lg_ppp_up_ms = now - lg->lg_start_ms;
	log_notice("PPP up on all %u session(s) after %llu ms; holding "
	    "them %u s", lg->lg_nppp_up, (unsigned long long)lg->lg_ppp_up_ms,
	    lg->lg_hold_s);
	return (0);
}

/*
 * During the hold: PPP ending is a failure, except that with -D the
 * server's LCP Terminate-Request (then CDN) is what we wait for.
 * -1 after lg_fail(); 1 when -D has seen every session so ended.
 */
static int
lg_ppp_hold_check(struct lacgen *lg)
{
	struct lg_call	*cl;
	unsigned int	 i, ended = 0;

	for (i = 0; i < lg->lg_ndialled; i++) {
		cl = &lg->lg_calls[i];
		if (!cl->cl_ppp_done && !cl->cl_peer_term && !cl->cl_gone)
			continue;
		if (!lg->lg_expect_srv_end) {
			lg_fail(lg, "session %u ended during the hold: %s",
			    cl->cl_id, cl->cl_down_why[0] != '\0' ?
			    cl->cl_down_why : cl->cl_peer_term ?
			    "LCP Terminate-Request from the server" :
			    "the LNS cleared the call");
			return (-1);
		}
		if (!cl->cl_srv_ended) {
			lg_fail(lg, "-D: session %u ended, but not with an "
			    "LCP Terminate-Request from the server: %s",
			    cl->cl_id, cl->cl_down_why[0] != '\0' ?
			    cl->cl_down_why : "the LNS cleared the call");
			return (-1);
		}
		/* The CDN follows the Terminate exchange; wait for both. */
		if (cl->cl_gone && cl->cl_ppp == NULL)
			ended++;
	}
	return (ended == lg->lg_ndialled);
}

static void
lg_ppp_close_all(struct lacgen *lg)
{
	struct lg_call	*cl;
	unsigned int	 i;

	for (i = 0; i < lg->lg_ndialled; i++) {
		cl = &lg->lg_calls[i];
		if (cl->cl_ppp == NULL || cl->cl_closing)
			continue;
		cl->cl_closing = 1;
		/* so_down may run inside: cl_ppp is NULL after that. */
		ppp_session_close(cl->cl_ppp, "load test done");
	}
}

static void
lg_step(struct lacgen *lg)
{
	struct l2tp_tunnel	*tun = lg_tunnel(lg);
	uint64_t		 now = l2tp_now_ms();
	char			 where[SOCKADDR_STRLEN];
	int			 rv;

	if (tun != NULL)
		lg->lg_stats = *l2tp_rel_stats(&tun->tun_rel);
	if (lg->lg_phase == LG_DONE)
		return;
	if (lg->lg_ppp)
		lg_ppp_poll(lg, now);
	if (lg->lg_phase != LG_FAILED && !lg->lg_failed &&
	    now >= lg->lg_deadline_ms)
		lg_fail(lg, "timeout after %u s", lg->lg_timeout_s);
	if (lg->lg_phase == LG_CALLS || lg->lg_phase == LG_PPP ||
	    lg->lg_phase == LG_WAIT_CDN || lg->lg_phase == LG_HOLD)
		lg_check_refused(lg);
	/* The peer closed the tunnel, or tunnel.c did (auth, FSM error). */
	if (!lg->lg_we_stop && tun != NULL && tun->tun_state == TUN_CLOSING)
		lg_fail(lg, "tunnel %u closed: %s", tun->tun_tid,
		    tun->tun_reason[0] ? tun->tun_reason : "no reason given");
	if (!lg->lg_we_stop && tun == NULL && lg->lg_phase != LG_FAILED)
		lg_fail(lg, "tunnel %u is gone", lg->lg_tid);

	/* Each case returns to wait, or moves on and looks again. */
	for (;;) {
		if (lg->lg_failed && lg->lg_phase != LG_FAILED)
			lg_begin_failure(lg, tun, now);
		switch (lg->lg_phase) {
		case LG_DIAL:
			if (tun->tun_state != TUN_ESTABLISHED)
				return;
			lg->lg_tunnel_up = 1;
			lg->lg_tunnel_up_ms = now - lg->lg_start_ms;
			lg->lg_peer_tid = tun->tun_peer_tid;
			log_notice("tunnel %u/%u to %s up after %llu ms; "
			    "dialling %u session(s)", tun->tun_tid,
			    tun->tun_peer_tid, sockaddr_str(&tun->tun_peer,
			    where, sizeof(where)),
			    (unsigned long long)lg->lg_tunnel_up_ms,
			    lg->lg_want);
			lg_set_phase(lg, LG_CALLS);
			continue;
		case LG_CALLS:
			lg_dial_some(lg, tun);
			if (lg->lg_failed)
				continue;
			if (lg->lg_nup < lg->lg_want)
				return;
			lg->lg_sessions_up_ms = now - lg->lg_start_ms;
			if (lg->lg_ppp) {
				log_notice("%u of %u session(s) up after %llu "
				    "ms; waiting for PPP on each", lg->lg_nup,
				    lg->lg_want,
				    (unsigned long long)lg->lg_sessions_up_ms);
				lg_set_phase(lg, LG_PPP);
				continue;
			}
			log_notice("%u of %u session(s) up after %llu ms; "
			    "holding them %u s", lg->lg_nup, lg->lg_want,
			    (unsigned long long)lg->lg_sessions_up_ms,
			    lg->lg_hold_s);
			lg->lg_hold_until = now +
			    (uint64_t)lg->lg_hold_s * 1000;
			lg_set_phase(lg, LG_HOLD);
			continue;
		case LG_PPP:
			if (!lg_ppp_settled(lg))
				return;
			if (lg_ppp_judge(lg, now) == -1)
				continue;
			if (lg->lg_expect_authfail) {
				/* Nothing is up to hold. */
				lg->lg_hold_until = now + LG_PEER_CDN_MS;
				lg_set_phase(lg, LG_WAIT_CDN);
				continue;
			}
			lg->lg_hold_until = now +
			    (uint64_t)lg->lg_hold_s * 1000;
			if (lg->lg_junk_rounds > 0) {
				lg->lg_junk_at = now + LG_JUNK_DELAY_MS;
				if (lg->lg_hold_until < lg->lg_junk_at + 200)
					lg->lg_hold_until = lg->lg_junk_at +
					    200;
			}
			lg_set_phase(lg, LG_HOLD);
			continue;
		case LG_WAIT_CDN:
			/*
			 * The LNS's PPP has ended too, so it clears each call
			 * (its CDN would cross ours); our CDN for what is left
			 * after LG_PEER_CDN_MS.
			 */
			if (!lg_all_gone(lg) && now < lg->lg_hold_until)
				return;
			if (!lg_all_gone(lg))
				log_warnx("the LNS did not clear every call "
				    "within %u ms of the failed logins",
				    LG_PEER_CDN_MS);
			lg_hangup_begin(lg);
			continue;
		case LG_HOLD:
			if (lg->lg_ppp) {
				if ((rv = lg_ppp_hold_check(lg)) == -1)
					continue;
				if (rv == 1) {
					log_notice("the server ended all %u "
					    "session(s), as expected (-D)",
					    lg->lg_nsrv_end);
					lg_hangup_begin(lg);
					continue;
				}
			}
			if (lg->lg_junk_rounds > 0 && !lg->lg_junk_done &&
			    now >= lg->lg_junk_at) {
				lg->lg_junk_done = 1;
				lg_send_junk(lg);
			}
			if (now < lg->lg_hold_until)
				return;
			if (lg->lg_expect_srv_end) {
				lg_fail(lg, "-D: the hold ended with %u of %u "
				    "session(s) ended by the server",
				    lg->lg_nsrv_end, lg->lg_ndialled);
				continue;
			}
			if (lg->lg_ppp) {
				log_notice("hold over; LCP Terminate-Request "
				    "on each session");
				lg_set_phase(lg, LG_PPP_CLOSE);
				lg_ppp_close_all(lg);
				continue;
			}
			lg_hangup_begin(lg);
			continue;
		case LG_PPP_CLOSE:
			if (!lg_ppp_all_down(lg))
				return;
			log_notice("PPP ended on every session; hanging up");
			lg_hangup_begin(lg);
			continue;
		case LG_HANGUP:
			if (l2tp_rel_unacked(&tun->tun_rel) != 0)
				return;
			log_notice("every CDN acknowledged; sending StopCCN");
			lg->lg_we_stop = 1;
			lg_set_phase(lg, LG_STOP);
			tunnel_stop(tun, L2TP_STOPCCN_CLEAR, L2TP_ERR_NONE,
			    "load test done");
			return;
		case LG_STOP:
			if (lg_tunnel(lg) != NULL)
				return;
			log_notice("StopCCN acknowledged; tunnel %u gone",
			    lg->lg_tid);
			lg_set_phase(lg, LG_DONE);
			event_base_loopexit(lg->lg_base, NULL);
			return;
		case LG_FAILED:
			if (tun != NULL && now < lg->lg_drain_until)
				return;
			lg->lg_exit = lg->lg_signal ? 128 + lg->lg_signal : 1;
			event_base_loopbreak(lg->lg_base);
			return;
		case LG_DONE:
			return;
		}
	}
}

/* ---- setup ------------------------------------------------------------ */

static void __attribute__((noreturn))
usage(void)
{
	fprintf(stderr, "usage: l2tp_lacgen -l local -p peer [-aDvx] "
	    "[-H hostname] [-J rounds] [-k hold_s] [-n sessions]\n"
	    "                   [-P user:password | -u user -w password]\n"
	    "                   [-r retries] [-s secret] [-t timeout_s]\n");
	exit(2);
}

static unsigned int
lg_number(const char *s, const char *what, unsigned int lo, unsigned int hi)
{
	char		*end;
	unsigned long	 v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (*s == '\0' || *end != '\0' || errno != 0 || v < lo || v > hi) {
		fprintf(stderr, "l2tp_lacgen: %s must be %u to %u, not "
		    "\"%s\"\n", what, lo, hi, s);
		exit(2);
	}
	return ((unsigned int)v);
}

static void
lg_addr(const char *s, struct sockaddr_storage *ss)
{
	struct addrinfo	 hints, *res;
	int		 error;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_DGRAM;
	hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
	/* Both ends on 1701: the LNS answers to the source port. */
	if ((error = getaddrinfo(s, "1701", &hints, &res)) != 0) {
		fprintf(stderr, "l2tp_lacgen: %s: %s\n", s,
		    gai_strerror(error));
		exit(2);
	}
	memset(ss, 0, sizeof(*ss));
	memcpy(ss, res->ai_addr, res->ai_addrlen);
	freeaddrinfo(res);
}

static void
lg_socket(struct lacgen *lg)
{
	char	 where[SOCKADDR_STRLEN];

	sockaddr_str(&lg->lg_local, where, sizeof(where));
	if ((lg->lg_fd = socket(lg->lg_local.ss_family,
	    SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0)) == -1)
		fatal("socket");
	/* xl2tpd and our LNS both answer to the source port: be 1701. */
	if (bind(lg->lg_fd, (struct sockaddr *)&lg->lg_local,
	    sockaddr_len(&lg->lg_local)) == -1)
		fatal("bind %s", where);
}

static void
lg_summary(struct lacgen *lg)
{
	const struct lg_call	*cl;
	unsigned int		 i, n = 0;
	char			 a[INET_ADDRSTRLEN];

	printf("tunnel_id=%u peer_tunnel_id=%u "
	    "tunnel_up_ms=%llu sessions_up=%u sessions_up_ms=%llu "
	    "retransmits=%llu duplicates=%llu timeouts=%llu peer_cdns=%u "
	    "total_ms=%llu state_left=%zu", lg->lg_tid, lg->lg_peer_tid,
	    (unsigned long long)lg->lg_tunnel_up_ms, lg->lg_nup,
	    (unsigned long long)lg->lg_sessions_up_ms,
	    (unsigned long long)lg->lg_stats.rs_retransmits,
	    (unsigned long long)lg->lg_stats.rs_duplicates,
	    (unsigned long long)lg->lg_stats.rs_timeouts,
	    lg->lg_ncdn_peer,
	    (unsigned long long)(l2tp_now_ms() - lg->lg_start_ms),
	    lg->lg_lx.lx_ntunnels + lg->lg_lx.lx_nsessions);
	if (lg->lg_ppp) {
		printf(" ppp_up=%u ppp_up_ms=%llu ppp_failed=%u "
		    "auth_failures=%u server_ended=%u data_in=%llu "
		    "data_out=%llu data_stray=%llu addresses=",
		    lg->lg_nppp_up, (unsigned long long)lg->lg_ppp_up_ms,
		    lg->lg_nppp_failed, lg->lg_nauth_fail, lg->lg_nsrv_end,
		    (unsigned long long)lg->lg_data_rx,
		    (unsigned long long)lg->lg_data_tx,
		    (unsigned long long)lg->lg_data_stray);
		for (i = 0; i < lg->lg_ndialled; i++) {
			cl = &lg->lg_calls[i];
			if (cl->cl_ppp_up)
				printf("%s%s", n++ > 0 ? "," : "",
				    lg_ntoa(cl->cl_addr, a, sizeof(a)));
		}
	}
	if (lg->lg_junk_rounds > 0)
		printf(" junk_sent=%llu", lg->lg_junk_sent);
	printf("\n");
	fflush(stdout);
}

/* -P user:password, or -u and -w. */
static void
lg_credentials(struct lacgen *lg, const char *user, const char *passwd)
{
	size_t	 len;

	if (user == NULL || passwd == NULL) {
		fprintf(stderr, "l2tp_lacgen: PPP needs both a user name "
		    "and a password\n");
		exit(2);
	}
	len = strlen(passwd);
	if (user[0] == '\0' || strlcpy(lg->lg_user, user,
	    sizeof(lg->lg_user)) >= sizeof(lg->lg_user) ||
	    len > sizeof(lg->lg_passwd)) {
		fprintf(stderr, "l2tp_lacgen: user name empty or longer than "
		    "%d octets, or password longer than %d\n", PPP_NAME_MAX,
		    PPP_PASSWD_MAX);
		exit(2);
	}
	memcpy(lg->lg_passwd, passwd, len);
	lg->lg_passwd_len = len;
	lg->lg_ppp = 1;
}

int
main(int argc, char *argv[])
{
	struct lacgen		*lg = &lacgen;
	struct msg_l2tp_config	*lc = &lg->lg_lx.lx_conf;
	struct l2tp_tunnel	*tun;
	struct timeval		 tick = { 0, LG_TICK_MS * 1000 };
	const char		*local = NULL, *peer = NULL;
	const char		*host = "lacgen", *secret = NULL;
	const char		*user = NULL, *passwd = NULL;
	char			*userpass = NULL, *colon;
	size_t			 userpass_size = 0;
	unsigned int		 retries = L2TP_REL_RETRIES_DEFAULT, i;
	size_t			 left;
	int			 ch, verbose = 0;

	lg->lg_want = 1;
	lg->lg_timeout_s = 60;
	while ((ch = getopt(argc, argv, "aDH:J:k:l:n:P:p:r:s:t:u:vw:x")) !=
	    -1) {
		switch (ch) {
		case 'a':
			lg->lg_accept_cdn = 1;
			break;
		case 'D':
			lg->lg_expect_srv_end = 1;
			break;
		case 'P':
			/* The first colon: passwords may hold more. */
			if (userpass != NULL)
				freezero(userpass, userpass_size);
			userpass_size = strlen(optarg) + 1;
			if ((userpass = strdup(optarg)) == NULL)
				fatal("strdup");
			if ((colon = strchr(userpass, ':')) == NULL)
				usage();
			*colon = '\0';
			user = userpass;
			passwd = colon + 1;
			break;
		case 'u':
			user = optarg;
			break;
		case 'w':
			passwd = optarg;
			break;
		case 'x':
			lg->lg_expect_authfail = 1;
			break;
		case 'H':
			host = optarg;
			break;
		case 'J':
			lg->lg_junk_rounds = lg_number(optarg, "-J", 1, 10000);
			break;
		case 'k':
			lg->lg_hold_s = lg_number(optarg, "-k", 0, 86400);
			break;
		case 'l':
			local = optarg;
			break;
		case 'n':
			lg->lg_want = lg_number(optarg, "-n", 1,
			    LG_MAX_SESSIONS);
			break;
		case 'p':
			peer = optarg;
			break;
		case 'r':
			retries = lg_number(optarg, "-r", 1, 50);
			break;
		case 's':
			secret = optarg;
			break;
		case 't':
			lg->lg_timeout_s = lg_number(optarg, "-t", 1, 86400);
			break;
		case 'v':
			verbose++;
			break;
		default:
			usage();
		}
	}
	if (optind != argc || local == NULL || peer == NULL)
		usage();
	if (user != NULL || passwd != NULL)
		lg_credentials(lg, user, passwd);
	if (userpass != NULL) {
		freezero(userpass, userpass_size);
		userpass = NULL;
	}
	if ((lg->lg_expect_authfail || lg->lg_expect_srv_end) && !lg->lg_ppp) {
		fprintf(stderr, "l2tp_lacgen: -x and -D need PPP (-P)\n");
		exit(2);
	}
	if (lg->lg_expect_authfail && lg->lg_expect_srv_end) {
		fprintf(stderr, "l2tp_lacgen: -x and -D exclude each other\n");
		exit(2);
	}
	if (strlen(host) >= sizeof(lc->lc_hostname) || (secret != NULL &&
	    strlen(secret) > sizeof(lc->lc_secret))) {
		fprintf(stderr, "l2tp_lacgen: hostname or secret too long\n");
		exit(2);
	}
	lg_addr(local, &lg->lg_local);
	lg_addr(peer, &lg->lg_peer);
	if (lg->lg_local.ss_family != lg->lg_peer.ss_family) {
		fprintf(stderr, "l2tp_lacgen: -l and -p differ in family\n");
		exit(2);
	}
	sockaddr_str(&lg->lg_peer, lg->lg_peer_str, sizeof(lg->lg_peer_str));
	log_init("lacgen", 1, verbose + 1);
	signal(SIGPIPE, SIG_IGN);

	if ((lg->lg_calls = calloc(lg->lg_want, sizeof(*lg->lg_calls))) ==
	    NULL)
		fatal("calloc");
	if ((lg->lg_base = event_base_new()) == NULL)
		fatalx("event_base_new");
	lg_socket(lg);

	/* The ctx tunnel.c and session.c run on, as l2tp_main.c sets it. */
	TAILQ_INIT(&lg->lg_lx.lx_tunnels);
	lg->lg_lx.lx_base = lg->lg_base;
	strlcpy(lc->lc_hostname, host, sizeof(lc->lc_hostname));
	lc->lc_hello = 0;		/* the LNS's HELLOs are acked anyway */
	lc->lc_require_ipsec = 0;
	lc->lc_max_tunnels_per_peer = 1;
	lc->lc_max_sessions_per_tunnel = lg->lg_want;
	lc->lc_max_sessions = lg->lg_want;
	lc->lc_retries = retries;
	if (secret != NULL) {
		lc->lc_secret_len = strlen(secret);
		memcpy(lc->lc_secret, secret, lc->lc_secret_len);
	}
	lg->lg_lx.lx_have_conf = 1;

	if ((lg->lg_ev_read = event_new(lg->lg_base, lg->lg_fd,
	    EV_READ | EV_PERSIST, lg_read, lg)) == NULL ||
	    (lg->lg_ev_tick = event_new(lg->lg_base, -1, EV_PERSIST, lg_tick,
	    lg)) == NULL ||
	    (lg->lg_ev_int = evsignal_new(lg->lg_base, SIGINT, lg_sig,
	    lg)) == NULL ||
	    (lg->lg_ev_term = evsignal_new(lg->lg_base, SIGTERM, lg_sig,
	    lg)) == NULL)
		fatalx("event_new");
	if (event_add(lg->lg_ev_read, NULL) == -1 ||
	    event_add(lg->lg_ev_tick, &tick) == -1 ||
	    event_add(lg->lg_ev_int, NULL) == -1 ||
	    event_add(lg->lg_ev_term, NULL) == -1)
		fatalx("event_add");

	lg->lg_start_ms = l2tp_now_ms();
	lg->lg_deadline_ms = lg->lg_start_ms +
	    (uint64_t)lg->lg_timeout_s * 1000;
	log_notice("dialling %s from %s: %u session(s), retries %u%s%s%s%s",
	    peer, local, lg->lg_want, retries,
	    secret != NULL ? ", with a tunnel secret" : "",
	    lg->lg_ppp ? ", PPP as \"" : "", lg->lg_ppp ? lg->lg_user : "",
	    lg->lg_ppp ? "\"" : "");
	if ((tun = tunnel_dial(&lg->lg_lx, &lg->lg_peer, &lg->lg_local,
	    0)) == NULL)
		fatalx("tunnel_dial failed");
	lg->lg_tid = tun->tun_tid;
	lg->lg_phase = LG_DIAL;

	if (event_base_dispatch(lg->lg_base) == -1)
		fatalx("event_base_dispatch");

	left = lg->lg_lx.lx_ntunnels + lg->lg_lx.lx_nsessions;
	lg_summary(lg);
	if (lg->lg_phase == LG_DONE && left != 0) {
		log_warnx("FAILED: %zu tunnel(s) + session(s) left in the "
		    "context", left);
		lg->lg_exit = 1;
	}
	if (lg->lg_phase == LG_DONE && lg->lg_exit == 0)
		log_notice("ok: %u session(s) up in %llu ms, %llu "
		    "retransmission(s)%s", lg->lg_nup,
		    (unsigned long long)lg->lg_sessions_up_ms,
		    (unsigned long long)lg->lg_stats.rs_retransmits,
		    !lg->lg_ppp ? "" : lg->lg_expect_authfail ?
		    "; every login refused" : lg->lg_expect_srv_end ?
		    "; every session ended by the server" :
		    "; PPP up on each");

	/* After a failure PPP may be left: no so_down for it any more. */
	for (i = 0; i < lg->lg_ndialled; i++)
		lg_ppp_release(&lg->lg_calls[i]);
	explicit_bzero(lg->lg_passwd, sizeof(lg->lg_passwd));
	explicit_bzero(lc, sizeof(*lc));
	event_free(lg->lg_ev_read);
	event_free(lg->lg_ev_tick);
	event_free(lg->lg_ev_int);
	event_free(lg->lg_ev_term);
	/* A tunnel still in the ctx has its timers on the base: keep it. */
	if (left == 0)
		event_base_free(lg->lg_base);
	close(lg->lg_fd);
	free(lg->lg_calls);
	return (lg->lg_exit);
}
