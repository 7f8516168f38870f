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


#ifndef L2TPSEC_L2TP_H
#define L2TPSEC_L2TP_H

#include <sys/queue.h>
#include <sys/socket.h>

#include <event.h>
#include <stdint.h>
#include <time.h>

#include "common/chan.h"
#include "common/msg.h"
#include "l2tp_parse.h"
#include "l2tp_reliable.h"

struct child;

/* RFC 2661 7.2.1 (LAC and LNS control connection states). */
enum tunnel_state {
	TUN_IDLE = 0,		/* LNS: a valid SCCRQ, not yet answered */
	TUN_WAIT_CTL_REPLY,	/* LAC: SCCRQ sent */
	TUN_WAIT_CTL_CONN,	/* LNS: SCCRP sent */
	TUN_ESTABLISHED,
	TUN_CLOSING		/* StopCCN sent or received: linger */
};

/* RFC 2661 7.4.1 (LAC) and 7.4.2 (LNS), incoming calls. */
enum session_state {
	SES_WAIT_REPLY = 1,	/* LAC: ICRQ sent */
	SES_WAIT_CONNECT,	/* LNS: ICRP sent */
	SES_ESTABLISHED
};

struct l2tp_ctx;
struct l2tp_tunnel;

struct l2tp_session {
	TAILQ_ENTRY(l2tp_session) ses_entry;
	struct l2tp_tunnel	*ses_tun;
	enum session_state	 ses_state;
	uint32_t		 ses_id;	/* unique in the daemon */
	uint16_t		 ses_sid;	/* ours */
	uint16_t		 ses_peer_sid;
	uint32_t		 ses_serial;
	uint32_t		 ses_framing;
	time_t			 ses_created;
	int			 ses_reported;	/* SESSION_UP went out */
	uint16_t		 ses_result;	/* CDN result, when down */
};

struct l2tp_tunnel {
	TAILQ_ENTRY(l2tp_tunnel) tun_entry;
	struct l2tp_ctx		*tun_ctx;
	enum tunnel_state	 tun_state;
	int			 tun_lac;	/* we dialled */
	uint16_t		 tun_tid;	/* ours */
	uint16_t		 tun_peer_tid;
	struct sockaddr_storage	 tun_peer;
	struct sockaddr_storage	 tun_local;
	uint32_t		 tun_sa;
	struct l2tp_rel		 tun_rel;
	struct event		 tun_timer;	/* the window's next deadline */
	struct event		 tun_hello;
	struct event		 tun_linger;
	time_t			 tun_created;
	char			 tun_hostname[MSG_NAME_MAX];
	char			 tun_vendor[MSG_NAME_MAX];
	uint8_t			 tun_chal[16];	/* our challenge, if sent */
	int			 tun_chal_sent;
	uint64_t		 tun_tie;	/* our tie breaker (LAC) */
	TAILQ_HEAD(, l2tp_session) tun_sessions;
	size_t			 tun_nsessions;
	int			 tun_reported;	/* TUNNEL_UP went out */
	int			 tun_in_input;	/* free after input returns */
	int			 tun_dead;
	/*
	 * Kernel data path: the tunnel's own UDP socket (bound to 1701,
	 * connected to the peer, the kernel tunnel attached), -1 until the
	 * parent sends it; its control messages go out and come in there.
	 * Closed with the tunnel.
	 */
	int			 tun_fd;
	struct event		 tun_fd_ev;
	int			 tun_fd_ev_set;
	char			 tun_connection[MSG_NAME_MAX]; /* client */
	uint16_t		 tun_result;	/* why it went down */
	uint16_t		 tun_error;
	char			 tun_reason[MSG_REASON_MAX];
};

struct l2tp_stats {
	uint64_t	ls_rx;
	uint64_t	ls_malformed;	/* not a well-formed control message */
	uint64_t	ls_no_tunnel;	/* for a tunnel we do not have */
	uint64_t	ls_refused;	/* SCCRQ beyond a limit */
	uint64_t	ls_tx;
};

struct l2tp_ctx {
	struct child		*lx_child;
	struct event_base	*lx_base;
	struct chan		 lx_dp;		/* datapath: control in/out */
	int			 lx_have_dp;
	struct msg_l2tp_config	 lx_conf;	/* the secret is in here */
	int			 lx_have_conf;
	TAILQ_HEAD(, l2tp_tunnel) lx_tunnels;
	size_t			 lx_ntunnels;
	size_t			 lx_nsessions;
	uint32_t		 lx_next_sesid;
	struct l2tp_stats	 lx_stats;
	/* Kernel data path: UDP/1701 listeners (l2tp_main.c). */
	TAILQ_HEAD(, l2tp_ksock) lx_ksocks;
	/* The socket the next tunnel_dial() sends from, if any. */
	int			 lx_dial_fd;
	int			 lx_have_dial_fd;
};

/* l2tp_main.c: I/O towards the datapath and the parent. */
int	l2tp_send(struct l2tp_tunnel *, const uint8_t *, size_t);
void	l2tp_report_tunnel(struct l2tp_ctx *, uint32_t,
	    const struct l2tp_tunnel *);
void	l2tp_report_session(struct l2tp_ctx *, uint32_t,
	    const struct l2tp_session *, const char *);

/* tunnel.c */
void	tunnel_ctrl_input(struct l2tp_ctx *, const struct sockaddr_storage *,
	    const struct sockaddr_storage *, uint32_t, const uint8_t *, size_t);
struct l2tp_tunnel *tunnel_dial(struct l2tp_ctx *,
	    const struct sockaddr_storage *, const struct sockaddr_storage *,
	    uint32_t);
void	tunnel_stop(struct l2tp_tunnel *, uint16_t, uint16_t, const char *);
void	tunnel_stop_all(struct l2tp_ctx *, uint16_t, const char *);
int	tunnel_queue(struct l2tp_tunnel *, struct l2tp_build *);
void	tunnel_kick(struct l2tp_tunnel *);
struct l2tp_session *tunnel_find_session(struct l2tp_ctx *, uint32_t);
struct l2tp_tunnel *tunnel_find(struct l2tp_ctx *, uint16_t);
const char *tunnel_state_name(enum tunnel_state);
uint64_t l2tp_now_ms(void);

/* session.c */
void	session_recv(struct l2tp_tunnel *, const struct l2tp_msg *);
struct l2tp_session *session_dial(struct l2tp_tunnel *);
void	session_disconnect(struct l2tp_session *, uint16_t, uint16_t,
	    const char *);
/* Gone with its tunnel: report it down, no CDN (StopCCN covers it). */
void	session_free(struct l2tp_session *, const char *);
const char *session_state_name(enum session_state);

#endif
