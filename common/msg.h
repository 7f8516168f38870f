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


#ifndef L2TPSEC_MSG_H
#define L2TPSEC_MSG_H

#include <sys/socket.h>

#include <stdint.h>

/*
 * The message catalogue between processes (DESIGN.md, "Who owns what").
 * Every payload is a fixed-size struct with an asserted size, read with
 * imsg_get_exact(); strings are fixed arrays whose receiver checks for the
 * terminating NUL (msg_str_ok()).  Later issues add their messages here.
 */

enum proc_role {
	PROC_PARENT = 0,
	PROC_IKE,
	PROC_L2TP,
	PROC_PPP,
	PROC_DATAPATH,
	PROC_MAX
};

const char	*proc_role_name(int);
int		 proc_role_from_name(const char *);

/* The parent's end of a child's socketpair is always this fd in the child. */
#define PROC_PARENT_FD		3
/* Whole messages on a child channel, header included. */
#define MSG_CHILD_MAXMSG	8192

/* Parent <-> child channel. */
enum msg_type {
	MSG_NONE = 0,
	/* parent -> child */
	MSG_CHILD_INIT,		/* struct msg_child_init */
	MSG_CONFIG_RESET,	/* empty: a config push starts */
	MSG_CONFIG_END,		/* empty: the push is complete */
	MSG_LOG_VERBOSE,	/* struct msg_verbose */
	MSG_SHUTDOWN,		/* empty: orderly stop, then exit 0 */
	MSG_SOCKET,		/* struct msg_socket + the descriptor */
	MSG_L2TP_CONFIG,	/* struct msg_l2tp_config (l2tp only) */
	/* parent -> child: a control request; peerid names the caller */
	MSG_CTL_SHOW,		/* struct msg_ctl_show */
	MSG_CTL_DISCONNECT,	/* struct ctl_target */
	/* child -> parent */
	MSG_CHILD_READY,	/* struct msg_child_ready */
	MSG_LOG,		/* struct msg_log */
	/* l2tp -> parent (RFC 2661 7: the parent follows the state) */
	MSG_TUNNEL_UP,		/* struct msg_tunnel, at SCCCN */
	MSG_TUNNEL_DOWN,	/* struct msg_tunnel */
	MSG_SESSION_UP,		/* struct msg_session, at ICCN */
	MSG_SESSION_DOWN,	/* struct msg_session */
	/* child -> parent: answers to MSG_CTL_*, same peerid */
	MSG_CTL_TUNNEL,		/* struct ctl_tunnel */
	MSG_CTL_TUNNEL_SESSION,	/* struct ctl_tunnel_session */
	MSG_CTL_END,		/* struct ctl_result */
	/* datapath <-> l2tp, on their own channel */
	MSG_L2TP_CTRL_IN,	/* struct msg_l2tp_ctrl + the datagram */
	MSG_L2TP_CTRL_OUT,	/* struct msg_l2tp_ctrl + the datagram */
	MSG_TYPE_MAX
};

const char	*msg_type_name(uint32_t);

enum sandbox_state {
	SANDBOX_NONE = 0,	/* not (yet) confined */
	SANDBOX_SECCOMP,	/* filter loaded, violations kill */
	SANDBOX_TRAP		/* filter loaded, violations trap and log */
};

const char	*sandbox_state_name(int);

#define MSG_PATH_MAX	256

struct msg_child_init {
	uint32_t	ci_uid;
	uint32_t	ci_gid;
	uint32_t	ci_max_sessions;
	uint32_t	ci_trap;		/* `sandbox trap` */
	int32_t		ci_verbose;
	uint32_t	ci_pad;
	char		ci_chroot[MSG_PATH_MAX];
};
_Static_assert(sizeof(struct msg_child_init) == 280, "msg_child_init");

struct msg_child_ready {
	uint32_t	cr_sandbox;		/* enum sandbox_state */
	uint32_t	cr_uid;
};
_Static_assert(sizeof(struct msg_child_ready) == 8, "msg_child_ready");

struct msg_verbose {
	int32_t		mv_verbose;
};
_Static_assert(sizeof(struct msg_verbose) == 4, "msg_verbose");

/* What a MSG_SOCKET descriptor is for. */
enum msg_socket_kind {
	/* UDP/1701 without IPsec (`require-ipsec no`): datapath's. */
	SOCKET_L2TP_CLEAR = 1,
	/* An imsg channel to another child (ms_peer_role). */
	SOCKET_CHANNEL
};

struct msg_socket {
	uint32_t		ms_kind;	/* enum msg_socket_kind */
	uint32_t		ms_peer_role;	/* SOCKET_CHANNEL */
	struct sockaddr_storage	ms_local;	/* bound address */
};
_Static_assert(sizeof(struct msg_socket) == 136, "msg_socket");

/* The pieces of the config the l2tp child needs, secret included. */
#define MSG_SECRET_MAX	256
struct msg_l2tp_config {
	char		lc_hostname[64];
	uint32_t	lc_hello;		/* seconds, 0 = off */
	uint32_t	lc_require_ipsec;
	uint32_t	lc_max_tunnels_per_peer;
	uint32_t	lc_max_sessions_per_tunnel;
	uint32_t	lc_max_sessions;	/* in the daemon */
	uint32_t	lc_retries;		/* 5.8 retry limit */
	uint32_t	lc_secret_len;		/* 0 = no tunnel auth */
	uint8_t		lc_secret[MSG_SECRET_MAX];
};
_Static_assert(sizeof(struct msg_l2tp_config) == 348, "msg_l2tp_config");

/*
 * A control datagram between datapath and l2tp, followed by its bytes:
 * the outer addresses it came from / goes to, and the IPsec SA it came
 * through (0: none, only with `require-ipsec no`).  Several clients
 * behind one NAT differ only in lt_peer's port.
 */
#define MSG_L2TP_CTRL_MAX	4096
struct msg_l2tp_ctrl {
	struct sockaddr_storage	lt_peer;
	struct sockaddr_storage	lt_local;
	uint32_t		lt_sa;
	uint32_t		lt_len;		/* bytes that follow */
};
_Static_assert(sizeof(struct msg_l2tp_ctrl) == 264, "msg_l2tp_ctrl");

#define MSG_NAME_MAX	64
#define MSG_REASON_MAX	128
struct msg_tunnel {
	uint16_t		tu_tid;		/* ours */
	uint16_t		tu_peer_tid;
	uint32_t		tu_result;	/* StopCCN result, DOWN */
	uint32_t		tu_error;
	uint32_t		tu_pad;
	struct sockaddr_storage	tu_peer;
	struct sockaddr_storage	tu_local;
	char			tu_hostname[MSG_NAME_MAX];
	char			tu_vendor[MSG_NAME_MAX];
	char			tu_reason[MSG_REASON_MAX];
};
_Static_assert(sizeof(struct msg_tunnel) == 528, "msg_tunnel");

struct msg_session {
	uint32_t		se_id;		/* unique in the daemon */
	uint16_t		se_tid;
	uint16_t		se_peer_tid;
	uint16_t		se_sid;
	uint16_t		se_peer_sid;
	uint32_t		se_framing;	/* Framing Type AVP */
	uint32_t		se_result;	/* CDN result, DOWN */
	uint32_t		se_error;
	struct sockaddr_storage	se_peer;
	struct sockaddr_storage	se_local;
	char			se_reason[MSG_REASON_MAX];
};
_Static_assert(sizeof(struct msg_session) == 408, "msg_session");

struct msg_ctl_show {
	uint32_t		cw_what;	/* enum ctl_type: CTL_SHOW_* */
};
_Static_assert(sizeof(struct msg_ctl_show) == 4, "msg_ctl_show");

#define MSG_LOG_LINE	1000
struct msg_log {
	int32_t		ml_pri;
	char		ml_line[MSG_LOG_LINE];
};
_Static_assert(sizeof(struct msg_log) == 1004, "msg_log");

/* Control socket channel (l2tpsecctl <-> parent). */
#define CTL_MAXMSG	4096

enum ctl_type {
	CTL_NONE = 0,
	/* requests */
	CTL_SHOW_STATUS,	/* empty */
	CTL_SHOW_SESSIONS,	/* empty */
	CTL_SHOW_TUNNELS,	/* empty */
	CTL_SHOW_SA,		/* empty */
	CTL_RELOAD,		/* empty */
	CTL_LOG_VERBOSE,	/* struct msg_verbose */
	CTL_DISCONNECT,		/* struct ctl_target */
	CTL_CONNECT,		/* struct ctl_target */
	/* replies */
	CTL_STATUS,		/* struct ctl_status */
	CTL_PROC,		/* struct ctl_proc, one per process */
	CTL_RESULT,		/* struct ctl_result, ends every reply */
	CTL_TUNNEL,		/* struct ctl_tunnel */
	CTL_TUNNEL_SESSION,	/* struct ctl_tunnel_session */
	CTL_TYPE_MAX
};

const char	*ctl_type_name(uint32_t);

enum ctl_target_kind {
	CTL_TGT_SESSION = 1,
	CTL_TGT_USER,
	CTL_TGT_PEER,
	CTL_TGT_CONNECTION
};

#define CTL_NAME_MAX	128
struct ctl_target {
	uint32_t	ct_kind;		/* enum ctl_target_kind */
	char		ct_name[CTL_NAME_MAX];
};
_Static_assert(sizeof(struct ctl_target) == 132, "ctl_target");

struct ctl_status {
	char		cs_version[32];
	uint64_t	cs_uptime_s;
	char		cs_dataplane[16];
};
_Static_assert(sizeof(struct ctl_status) == 56, "ctl_status");

struct ctl_proc {
	char		cp_role[16];
	int32_t		cp_pid;
	uint32_t	cp_uid;
	char		cp_sandbox[16];
};
_Static_assert(sizeof(struct ctl_proc) == 40, "ctl_proc");

#define CTL_RESULT_MSG	512
struct ctl_result {
	int32_t		cr_code;		/* 0 ok, else the exit code */
	char		cr_msg[CTL_RESULT_MSG];
};
_Static_assert(sizeof(struct ctl_result) == 516, "ctl_result");

/* One L2TP tunnel in `show tunnels`; its sessions follow it. */
struct ctl_tunnel {
	uint16_t	ct_tid;
	uint16_t	ct_peer_tid;
	uint32_t	ct_age_s;
	uint32_t	ct_nsessions;
	uint32_t	ct_pad;
	uint64_t	ct_tx;			/* control messages sent */
	uint64_t	ct_rx;
	uint64_t	ct_retransmits;
	char		ct_peer[64];		/* "addr:port" */
	char		ct_host[64];
	char		ct_vendor[64];
	char		ct_state[16];
};
_Static_assert(sizeof(struct ctl_tunnel) == 248, "ctl_tunnel");

struct ctl_tunnel_session {
	uint32_t	cs_id;			/* unique in the daemon */
	uint16_t	cs_sid;
	uint16_t	cs_peer_sid;
	uint32_t	cs_age_s;
	char		cs_state[16];
};
_Static_assert(sizeof(struct ctl_tunnel_session) == 28, "ctl_tunnel_session");

/* 1 when a fixed-size string field holds a terminating NUL. */
int	msg_str_ok(const char *, size_t);

#define L2TPSECD_VERSION	"0.1.0"

#endif
