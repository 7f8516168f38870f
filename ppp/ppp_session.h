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


#ifndef L2TPSEC_PPP_SESSION_H
#define L2TPSEC_PPP_SESSION_H

#include <netinet/in.h>

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "parent/config.h"
#include "ppp/fsm.h"
#include "ppp/ppp_parse.h"

struct users_db;
struct pool;

/*
 * One PPP link: the phases of RFC 1661 3 (Dead, Establish, Authenticate,
 * Network, Terminate) over LCP, PAP/CHAP-MD5/MS-CHAPv2 and IPCP, as the
 * authenticator (server) or the peer (client).  It knows no socket, no
 * event loop and no clock of its own: the owner hands in frames, timer
 * expiries and traffic counters, and gets frames, timer requests and
 * up/down/auth events back through struct ppp_session_ops.
 *
 * The owner's side of the contract:
 *
 *  - ppp_session_new(), then ppp_session_start() once the lower layer
 *    (the L2TP session) can carry frames.
 *  - Every PPP frame received goes to ppp_session_input() whole (an
 *    Address/Control "FF 03" in front is fine).  IPv4 data should never
 *    arrive here (the data path takes it); it is dropped and counted.
 *  - so_send gets the Protocol field and the Information field; the
 *    owner adds whatever framing the lower layer wants.
 *  - so_timer_start(which, ms) arms a one-shot timer (re-arming one that
 *    runs), so_timer_stop(which) cancels it; when it fires the owner
 *    calls ppp_session_timeout(s, which).  Four independent timers.
 *  - ppp_session_counters() every few seconds with the session's data
 *    byte counters (IP traffic only: LCP echoes must not count as use)
 *    and a monotonic clock in seconds, for the idle timeout.
 *  - so_down is called exactly once for a started session, after LCP
 *    has finished (Terminate exchanged or given up), or at once from
 *    ppp_session_lower_down().  The owner then tears down the lower
 *    layer and frees the session, in the callback or later.  The
 *    reason string is valid during the call only.  Every timer is
 *    stopped and the address is back in the pool by then.
 *  - The callbacks must not call back into the session, except that
 *    so_up may call ppp_session_close() and so_down may call
 *    ppp_session_free().  so_up and so_down are delivered last, once
 *    the session has finished handling the event that caused them;
 *    so_send, the timer calls and so_auth_result come as they happen.
 */

enum ppp_role {
	PPP_ROLE_SERVER = 0,	/* authenticator, hands out the address */
	PPP_ROLE_CLIENT		/* peer: authenticates, takes an address */
};

/* RFC 1661 3.2. */
enum ppp_phase {
	PPP_PHASE_DEAD = 0,
	PPP_PHASE_ESTABLISH,
	PPP_PHASE_AUTHENTICATE,
	PPP_PHASE_NETWORK,
	PPP_PHASE_TERMINATE
};

enum ppp_timer {
	PPP_TIMER_LCP = 0,	/* LCP restart timer (RFC 1661 4.6) */
	PPP_TIMER_IPCP,		/* IPCP restart timer */
	PPP_TIMER_AUTH,		/* Challenge / Authenticate-Request resend */
	PPP_TIMER_ECHO,		/* LCP Echo-Request keepalive */
	PPP_TIMER_COUNT
};

#define PPP_ECHO_INTERVAL	30	/* seconds between Echo-Requests */
#define PPP_ECHO_FAILS		4	/* unanswered ones before giving up */
#define PPP_MAX_AUTH		3	/* failed logins per session (PAP) */
#define PPP_AUTH_RESTART_MS	3000	/* resend of a Challenge etc. */
#define PPP_AUTH_TRIES		10	/* sends before giving up */
#define PPP_MRU_MIN		576	/* smaller MRUs are Nak'd up to this */
#define PPP_NAME_MAX		255	/* CHAP Name / PAP Peer-ID */
#define PPP_PASSWD_MAX		255	/* PAP's Passwd-Length is one octet */
#define PPP_REASON_MAX		128

struct ppp_session_params {
	enum ppp_role		 sp_role;
	uint32_t		 sp_id;		/* unique, never 0 */
	const char		*sp_peer;	/* "192.0.2.2:1701", for logs */
	uint16_t		 sp_mru;	/* most we receive */
	uint16_t		 sp_mtu;	/* most we send, if the peer's
						   MRU allows */
	/*
	 * Server: the methods we ask for, in order of preference.  Client:
	 * the methods we agree to, in order of preference (what we Nak
	 * for).  Empty: MS-CHAPv2, CHAP-MD5, PAP.
	 */
	enum conf_auth		 sp_auth[CONF_MAX_AUTH];
	size_t			 sp_nauth;
	uint32_t		 sp_idle;	/* seconds, 0 = off */
	uint32_t		 sp_echo_interval;	/* seconds, 0 = off */
	uint32_t		 sp_echo_fails;

	/* Server only. */
	const char		*sp_name;	/* our name: chap-secrets server
						   column, CHAP Name */
	struct in_addr		 sp_local;
	struct in_addr		 sp_dns[CONF_MAX_NS];
	size_t			 sp_ndns;
	struct in_addr		 sp_wins[CONF_MAX_NS];
	size_t			 sp_nwins;
	const struct users_db	*sp_users;	/* the caller's; outlives us */
	struct pool		*sp_pool;	/* the caller's; outlives us */
	unsigned int		 sp_max_auth;	/* failed attempts allowed */

	/* Client only.  Both are copied; the copy is wiped by _free(). */
	const char		*sp_user;
	const uint8_t		*sp_password;
	size_t			 sp_password_len;
};

/*
 * What the session negotiated, for so_up.  Addresses in network order;
 * ui_user points into the session and is valid during the call only.
 */
struct ppp_up_info {
	struct in_addr		 ui_local;	/* our end */
	struct in_addr		 ui_peer;	/* the other end */
	struct in_addr		 ui_dns[CONF_MAX_NS];	/* 0.0.0.0: none */
	struct in_addr		 ui_wins[CONF_MAX_NS];
	const char		*ui_user;	/* as sent on the wire */
	enum conf_auth		 ui_auth;	/* CONF_AUTH_NONE: none */
	uint16_t		 ui_mtu;	/* for the interface */
	uint16_t		 ui_mru;
	int			 ui_static;	/* server: user's own */
};

struct ppp_session_ops {
	void	(*so_send)(void *, uint16_t proto, const uint8_t *, size_t);
	void	(*so_timer_start)(void *, enum ppp_timer, unsigned int ms);
	void	(*so_timer_stop)(void *, enum ppp_timer);
	void	(*so_up)(void *, const struct ppp_up_info *);
	void	(*so_down)(void *, const char *reason);
	/*
	 * Every authentication outcome, for the audit log (auth.success,
	 * auth.failure).  user is the name as the peer sent it (server) or
	 * ours (client); reason is NULL on success.  May be NULL.
	 */
	void	(*so_auth_result)(void *, const char *user, enum conf_auth,
		    int ok, const char *reason);
	/*
	 * Server, a static address held by session `holder` (pool.h): end
	 * that session at once, its address back in the pool, and return
	 * 0 (`duplicate replace`, the same user), or -1 to refuse this
	 * login the address.  May be NULL (refuse).
	 */
	int	(*so_evict)(void *, uint32_t holder);
};

struct ppp_session;

/* Defaults for a role: MRU/MTU 1500, echo 30 s x 4, 3 attempts. */
void	ppp_session_params_init(struct ppp_session_params *, enum ppp_role);
/* NULL (logged) when the parameters are unusable. */
struct ppp_session *ppp_session_new(const struct ppp_session_params *,
	    const struct ppp_session_ops *, void *arg);
/* Stops the timers, gives the address back, wipes the password. */
void	ppp_session_free(struct ppp_session *);

/* The lower layer is up: LCP starts.  now: monotonic seconds. */
void	ppp_session_start(struct ppp_session *, time_t now);
void	ppp_session_input(struct ppp_session *, const uint8_t *, size_t);
void	ppp_session_timeout(struct ppp_session *, enum ppp_timer);
/* Administrative disconnect: LCP Terminate-Request with reason, down. */
void	ppp_session_close(struct ppp_session *, const char *reason);
/* The lower layer is gone: so_down at once, nothing more is sent. */
void	ppp_session_lower_down(struct ppp_session *, const char *reason);
/* Data byte counters (monotonic totals) for the idle timeout. */
void	ppp_session_counters(struct ppp_session *, uint64_t rx_bytes,
	    uint64_t tx_bytes, time_t now);

/* For `show sessions` and logs. */
uint32_t	 ppp_session_id(const struct ppp_session *);
enum ppp_phase	 ppp_session_phase(const struct ppp_session *);
const char	*ppp_session_phase_name(const struct ppp_session *);
const char	*ppp_session_lcp_state(const struct ppp_session *);
const char	*ppp_session_ipcp_state(const struct ppp_session *);
/* "" until known. */
const char	*ppp_session_user(const struct ppp_session *);
enum conf_auth	 ppp_session_auth(const struct ppp_session *);
/* The peer's address (server) or ours (client); 0.0.0.0 until known. */
struct in_addr	 ppp_session_addr(const struct ppp_session *);
int		 ppp_session_is_up(const struct ppp_session *);
time_t		 ppp_session_age(const struct ppp_session *, time_t now);
/* Frames dropped: IPv4 data that reached us, bad frames. */
uint64_t	 ppp_session_dropped(const struct ppp_session *);

const char	*ppp_phase_name(enum ppp_phase);
const char	*ppp_auth_name(enum conf_auth);

/*
 * Below: shared by ppp_session.c, lcp.c, auth.c and ipcp.c only.  The
 * owner treats struct ppp_session as opaque.
 */

enum ppp_auth_state {
	AUTH_IDLE = 0,
	AUTH_SRV_WAIT_PAP,	/* waiting for Authenticate-Request */
	AUTH_SRV_CHAL_SENT,	/* Challenge out, waiting for Response */
	AUTH_CLI_WAIT_CHAL,	/* waiting for the server's Challenge */
	AUTH_CLI_PAP_SENT,	/* Authenticate-Request out */
	AUTH_CLI_RESP_SENT,	/* Response out, waiting for the verdict */
	AUTH_SUCCESS,
	AUTH_FAILED
};

struct ppp_lcp {
	/* Our Configure-Request. */
	uint32_t		 lc_magic;
	int			 lc_want_magic;
	int			 lc_want_mru;
	uint16_t		 lc_mru;
	size_t			 lc_auth_idx;	/* server: into ses_auth[] */
	unsigned int		 lc_auth_refused; /* bit per conf_auth */
	unsigned int		 lc_naks_rcvd;	/* since LCP last opened */
	/* What we Ack'd of the peer's. */
	uint16_t		 lc_peer_mru;
	uint32_t		 lc_peer_magic;
	enum conf_auth		 lc_peer_auth;	/* client: asked of us */
	/* Keepalive. */
	unsigned int		 lc_echo_pending;	/* unanswered */
	int			 lc_heard;	/* any LCP from the peer */
	int			 lc_peer_term;	/* it sent Terminate-Request */
	char			 lc_peer_reason[PPP_REASON_MAX];
};

struct ppp_auth {
	enum ppp_auth_state	 au_state;
	enum conf_auth		 au_method;	/* the negotiated one */
	uint8_t			 au_id;		/* of our last packet */
	unsigned int		 au_tries;	/* sends of that packet */
	unsigned int		 au_fails;	/* server: failed logins */
	uint8_t			 au_chal[MSCHAPV2_CHAL_LEN];
	size_t			 au_challen;
	/* MS-CHAPv2 client: to check the authenticator response. */
	uint8_t			 au_peer_chal[MSCHAPV2_CHAL_LEN];
	uint8_t			 au_ntresp[MSCHAPV2_NTRESP_LEN];
	/* The last packet, resent on the timer or for a repeat. */
	uint8_t			 au_pkt[PPP_CP_HDRLEN + 2 +
				    PPP_NAME_MAX + PPP_PASSWD_MAX];
	size_t			 au_pktlen;
	/* Server: the reply to au_id, resent for a repeated request. */
	int			 au_replied;
	/* Server: why the last login failed, for the down reason. */
	char			 au_last_fail[PPP_REASON_MAX];
	/* Server: what the matching chap-secrets entry allows. */
	int			 au_addr_kind;	/* enum users_addr */
	struct in_addr		 au_static;
};

struct ppp_ipcp {
	/* Client: the address and servers we ask for (0 until Nak'd). */
	struct in_addr		 ic_addr;
	struct in_addr		 ic_dns[CONF_MAX_NS];
	struct in_addr		 ic_wins[CONF_MAX_NS];
	unsigned int		 ic_rejected;	/* bit per option dropped */
	unsigned int		 ic_naks_rcvd;
	/* The address in the other end's request, as Ack'd. */
	struct in_addr		 ic_peer;
	/* Server: the address handed to the peer (pool or static). */
	struct in_addr		 ic_assigned;
	int			 ic_have_addr;
	int			 ic_pool_held;	/* to give back to the pool */
	int			 ic_static;
	/* Server: the name servers the peer Ack'd, for so_up. */
	struct in_addr		 ic_acked_dns[CONF_MAX_NS];
	struct in_addr		 ic_acked_wins[CONF_MAX_NS];
	int			 ic_peer_closed;	/* Terminate-Request */
};

struct ppp_session {
	enum ppp_role			 ses_role;
	uint32_t			 ses_id;
	char				 ses_peer[64];
	char				 ses_name[PPP_NAME_MAX + 1];
	/* Client: ours.  Server: the peer's, as sent, once it tried. */
	char				 ses_user[PPP_NAME_MAX + 1];
	uint8_t				 ses_passwd[PPP_PASSWD_MAX];
	size_t				 ses_passwd_len;
	enum conf_auth			 ses_auth[CONF_MAX_AUTH];
	size_t				 ses_nauth;
	uint16_t			 ses_mru;
	uint16_t			 ses_mtu;
	uint32_t			 ses_idle;
	uint32_t			 ses_echo_interval;
	uint32_t			 ses_echo_fails;
	struct in_addr			 ses_local;
	struct in_addr			 ses_dns[CONF_MAX_NS];
	size_t				 ses_ndns;
	struct in_addr			 ses_wins[CONF_MAX_NS];
	size_t				 ses_nwins;
	const struct users_db		*ses_users;
	struct pool			*ses_pool;
	unsigned int			 ses_max_auth;

	const struct ppp_session_ops	*ses_ops;
	void				*ses_arg;
	char				 ses_prefix[96];
	char				 ses_lcp_name[112];
	char				 ses_ipcp_name[112];

	enum ppp_phase			 ses_phase;
	struct fsm			 ses_lcpfsm;
	struct fsm			 ses_ipcpfsm;
	struct ppp_lcp			 ses_lcp;
	struct ppp_auth			 ses_au;
	struct ppp_ipcp			 ses_ipcp;
	unsigned int			 ses_timers;	/* bit per running */

	time_t				 ses_start;
	int				 ses_started;
	/* Idle accounting. */
	int				 ses_idle_seen;
	uint64_t			 ses_idle_rx;
	uint64_t			 ses_idle_tx;
	time_t				 ses_idle_last;
	uint64_t			 ses_dropped;

	/* Deferred work, run when the outermost call returns. */
	unsigned int			 ses_depth;
	int				 ses_term_pending;
	int				 ses_term_started;
	int				 ses_up_pending;
	int				 ses_up_done;
	int				 ses_down_pending;
	int				 ses_down_done;
	int				 ses_lcp_going;	/* in LCP's tld */
	char				 ses_reason[PPP_REASON_MAX];
	char				 ses_wire_reason[FSM_REASON_MAX];
};

/* ppp_session.c */
void	ppp_session_log(const struct ppp_session *, int, const char *, ...)
	    __attribute__((format(printf, 3, 4)));
void	ppp_session_send(struct ppp_session *, uint16_t, const uint8_t *,
	    size_t);
void	ppp_session_timer_start(struct ppp_session *, enum ppp_timer,
	    unsigned int);
void	ppp_session_timer_stop(struct ppp_session *, enum ppp_timer);
/*
 * Ends the session: the reason (first one wins) goes to the log and
 * so_down, wire (NULL: the same) into LCP's Terminate-Request, so that
 * what the peer learns can be less than what we log ("wrong password").
 * Deferred until the outermost call returns, so it is safe inside any
 * automaton callback.
 */
void	ppp_session_fail(struct ppp_session *, const char *wire,
	    const char *, ...) __attribute__((format(printf, 3, 4)));
void	ppp_session_lcp_up(struct ppp_session *);
void	ppp_session_lcp_down(struct ppp_session *);
void	ppp_session_lcp_finished(struct ppp_session *, const char *);
void	ppp_session_auth_done(struct ppp_session *);
void	ppp_session_ipcp_up(struct ppp_session *);
void	ppp_session_ipcp_down(struct ppp_session *);
void	ppp_session_set_phase(struct ppp_session *, enum ppp_phase);

/* lcp.c */
void	ppp_lcp_init(struct ppp_session *);
void	ppp_lcp_input(struct ppp_session *, const uint8_t *, size_t);
void	ppp_lcp_echo_start(struct ppp_session *);
void	ppp_lcp_echo_timeout(struct ppp_session *);
void	ppp_lcp_protorej(struct ppp_session *, uint16_t, const uint8_t *,
	    size_t);
uint16_t ppp_lcp_peer_mru(const struct ppp_session *);

/* auth.c */
void	ppp_auth_start(struct ppp_session *);
void	ppp_auth_stop(struct ppp_session *);
void	ppp_auth_input(struct ppp_session *, uint16_t, const uint8_t *,
	    size_t);
void	ppp_auth_timeout(struct ppp_session *);
void	ppp_auth_wipe(struct ppp_session *);
const char *ppp_auth_state_name(enum ppp_auth_state);

/* ipcp.c */
void	ppp_ipcp_init(struct ppp_session *);
void	ppp_ipcp_start(struct ppp_session *);
void	ppp_ipcp_input(struct ppp_session *, const uint8_t *, size_t);
void	ppp_ipcp_release(struct ppp_session *);
void	ppp_ipcp_up_info(const struct ppp_session *, struct ppp_up_info *);

#endif
