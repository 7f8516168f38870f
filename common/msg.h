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
	/* parent -> datapath: a session's L2TP data <-> its ppp socket */
	MSG_DP_SESSION_ADD,	/* struct msg_dp_session + SEQPACKET fd */
	MSG_DP_SESSION_DEL,	/* struct msg_session_ref */
	MSG_DP_SA_ADD,		/* struct msg_sa_add, checked, with keys */
	MSG_DP_SA_DEL,		/* struct msg_sa_ref */
	MSG_DP_SA_PEER,		/* struct msg_nat_mapping: new outer port */
	MSG_DP_ROUTE,		/* struct msg_dp_route: IPCP is open */
	/* datapath -> parent */
	MSG_DP_COUNTERS,	/* struct msg_dp_counters, every few s */
	MSG_DP_SA_EXPIRE,	/* struct msg_sa_expire: a byte lifetime */
	/* parent -> ppp: run PPP on the other end of that socket */
	MSG_PPP_START,		/* struct msg_ppp_start + SEQPACKET fd, or
				   (ps_kernel) the /dev/ppp channel fd */
	MSG_PPP_UNIT,		/* struct msg_ppp_unit + /dev/ppp unit fd */
	MSG_PPP_STOP,		/* struct msg_session_ref: lower layer gone */
	MSG_PPP_CONFIG,		/* struct msg_ppp_config */
	MSG_PPP_USERS,		/* struct msg_users_chunk, in order */
	MSG_PPP_CREDS,		/* struct msg_ppp_client: a connection */
	/* ppp -> parent */
	MSG_PPP_UP,		/* struct msg_ppp_up: IPCP opened */
	MSG_PPP_DOWN,		/* struct msg_session_ref: PPP ended */
	/* parent -> ppp */
	MSG_PPP_CLOSE,		/* struct msg_session_ref: administrative */
	MSG_PPP_COUNTERS,	/* struct msg_dp_counters: for `idle` */
	/* parent -> l2tp: PPP ended, clear the call */
	MSG_L2TP_CLOSE,		/* struct msg_session_ref */
	/* parent -> l2tp: client role, the SA is up: dial tunnel + call */
	MSG_L2TP_DIAL,		/* struct msg_l2tp_dial (kernel data path:
				   + the tunnel's UDP socket, connected) */
	/* parent -> l2tp, kernel data path: a tunnel's own UDP socket */
	MSG_L2TP_TUNNEL_SOCKET,	/* struct msg_l2tp_tunsock + fd */
	/* parent -> ike (RFC 2409; DESIGN.md "Who owns what") */
	MSG_IKE_CONFIG,		/* struct msg_ike_config */
	MSG_IKE_PSK,		/* struct msg_ike_psk, one per key */
	MSG_IKE_INITIATE,	/* struct msg_ike_initiate: client role */
	MSG_SPI,		/* struct msg_spi: answers SPI_ALLOC */
	MSG_SA_ADD_OK,		/* struct msg_sa_result */
	MSG_SA_ADD_FAIL,	/* struct msg_sa_result */
	MSG_SA_EXPIRE,		/* struct msg_sa_expire */
	MSG_NAT_MAPPING,	/* struct msg_nat_mapping */
	/* ike -> parent */
	MSG_SPI_ALLOC,		/* struct msg_spi (sp_spi 0) */
	MSG_SA_ADD,		/* struct msg_sa_add: both directions */
	MSG_SA_DEL,		/* struct msg_sa_ref */
	MSG_IKE_DOWN,		/* struct msg_ike_down: a connection failed */
	/* (ike also sends MSG_NAT_MAPPING when a peer's port moved) */
	MSG_CTL_IKE_SA,		/* struct ctl_ike_sa (show sa) */
	MSG_CTL_IPSEC_SA,	/* struct ctl_ipsec_sa, after its IKE SA */
	/* any child -> parent: an audit record (the parent writes it) */
	MSG_AUDIT,		/* struct msg_audit */
	/* child -> parent */
	MSG_CHILD_READY,	/* struct msg_child_ready */
	MSG_LOG,		/* struct msg_log */
	MSG_STATS,		/* struct msg_stats: drop counters, on change */
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
	/* datapath's UDP 4500 in the SO_REUSEPORT pair (ESP in UDP). */
	SOCKET_ESP_UDP = 4,
	/* datapath's raw IPPROTO_ESP socket (ESP without NAT). */
	SOCKET_ESP_RAW,
	/* The TUN device carrying every server session's IP traffic. */
	SOCKET_TUN,
	/* UDP 500 or 4500 (ms_local's port says which): ike's. */
	SOCKET_IKE = 3,
	/* UDP/1701 without IPsec (`require-ipsec no`): datapath's. */
	SOCKET_L2TP_CLEAR = 1,
	/* An imsg channel to another child (ms_peer_role). */
	SOCKET_CHANNEL,
	/*
	 * Kernel data path: UDP/1701 for l2tp itself, bound to ms_local
	 * with SO_REUSEADDR (each tunnel's own socket binds beside it).
	 * IPsec is the kernel's to enforce (the mandatory inbound policy),
	 * so what l2tp reads here counts as arrived through MSG_SA_KERNEL.
	 */
	SOCKET_L2TP_KERNEL = 7
};

/*
 * The SA "id" of an L2TP control datagram l2tp read from a socket of the
 * kernel data path: the kernel's XFRM policy let it in, so it came
 * through IPsec (or `require-ipsec no` allowed it in the clear).
 */
#define MSG_SA_KERNEL	0xffffffffU

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
	uint32_t		se_sa;		/* SA its control came through */
	uint32_t		se_pad;
	struct sockaddr_storage	se_peer;
	struct sockaddr_storage	se_local;
	char			se_reason[MSG_REASON_MAX];
	char			se_connection[MSG_NAME_MAX]; /* we dialled */
};
_Static_assert(sizeof(struct msg_session) == 480, "msg_session");

struct msg_l2tp_dial {
	char			ld_connection[MSG_NAME_MAX];
	struct sockaddr_storage	ld_peer;	/* the server, port 1701 */
	struct sockaddr_storage	ld_local;	/* ours, port 1701 */
	uint32_t		ld_sa;		/* 0 only without IPsec */
	uint32_t		ld_pad;
};
_Static_assert(sizeof(struct msg_l2tp_dial) == 328, "msg_l2tp_dial");

struct msg_ctl_show {
	uint32_t		cw_what;	/* enum ctl_type: CTL_SHOW_* */
};
_Static_assert(sizeof(struct msg_ctl_show) == 4, "msg_ctl_show");

/*
 * A session's data path: L2TP data for (se_tid, se_sid) from se_peer goes
 * to the SEQPACKET socket as protocol field + payload, and back.
 */
struct msg_dp_session {
	struct msg_session	ds_ses;
	uint32_t		ds_sa;		/* 0: in the clear */
	uint32_t		ds_pad;
};
_Static_assert(sizeof(struct msg_dp_session) == 488, "msg_dp_session");

/*
 * IPCP opened on session dr_id: IPv4 for dr_peer goes to that session,
 * IPv4 from it must have dr_peer as its source (no spoofing between
 * clients), and IPv4 frames from it go to the TUN from now on.
 */
struct msg_dp_route {
	uint32_t	dr_id;
	uint32_t	dr_peer;	/* in_addr, network order */
	uint32_t	dr_local;
	uint32_t	dr_mtu;
};
_Static_assert(sizeof(struct msg_dp_route) == 16, "msg_dp_route");

/* Counters of one session or SA (dc_kind), totals since it began. */
struct msg_dp_counters {
	uint32_t	dc_kind;	/* 1 session, 2 SA */
	uint32_t	dc_id;
	uint64_t	dc_rx_bytes;	/* from the peer */
	uint64_t	dc_tx_bytes;
	uint64_t	dc_rx_packets;
	uint64_t	dc_tx_packets;
};
_Static_assert(sizeof(struct msg_dp_counters) == 40, "msg_dp_counters");

struct msg_session_ref {
	uint32_t		sr_id;		/* the daemon's session id */
	uint32_t		sr_result;	/* why, when it ends */
	char			sr_reason[MSG_REASON_MAX];
};
_Static_assert(sizeof(struct msg_session_ref) == 136, "msg_session_ref");

enum msg_ppp_role {
	MSG_PPP_SERVER = 1,	/* authenticator, assigns the address */
	MSG_PPP_CLIENT
};

struct msg_ppp_config {
	char		pc_name[MSG_NAME_MAX];	/* authenticator name */
	uint32_t	pc_auth[3];		/* enum conf_auth, in order */
	uint32_t	pc_nauth;
	uint32_t	pc_local;		/* in_addr, network order */
	uint32_t	pc_pool_start;
	uint32_t	pc_pool_end;
	uint32_t	pc_dns[2];
	uint32_t	pc_ndns;
	uint32_t	pc_wins[2];
	uint32_t	pc_nwins;
	uint32_t	pc_mtu;
	uint32_t	pc_mru;
	uint32_t	pc_idle;		/* seconds, 0 = off */
	uint32_t	pc_duplicate;		/* enum conf_duplicate */
	uint32_t	pc_max_sessions;
	uint32_t	pc_users_len;		/* bytes in MSG_PPP_USERS */
};
_Static_assert(sizeof(struct msg_ppp_config) == 140, "msg_ppp_config");

/* The chap-secrets file, in pieces; only ppp ever holds it. */
#define MSG_USERS_CHUNK	4096
struct msg_users_chunk {
	uint32_t	uc_off;
	uint32_t	uc_len;
	uint8_t		uc_data[MSG_USERS_CHUNK];
};
_Static_assert(sizeof(struct msg_users_chunk) == 4104, "msg_users_chunk");

/* A connection's PPP credentials (client role): to ppp alone. */
struct msg_ppp_client {
	char		pl_name[MSG_NAME_MAX];		/* the connection */
	char		pl_user[MSG_NAME_MAX];
	uint32_t	pl_password_len;
	uint8_t		pl_password[MSG_SECRET_MAX];
};
_Static_assert(sizeof(struct msg_ppp_client) == 388, "msg_ppp_client");

struct msg_ppp_up {
	uint32_t	pu_id;			/* the daemon's session id */
	uint32_t	pu_local;		/* in_addr, network order */
	uint32_t	pu_peer;
	uint32_t	pu_dns[2];
	uint32_t	pu_pad;
	char		pu_user[MSG_NAME_MAX];
	char		pu_method[16];
};
_Static_assert(sizeof(struct msg_ppp_up) == 104, "msg_ppp_up");

struct msg_ppp_start {
	uint32_t		ps_id;		/* the daemon's session id */
	uint32_t		ps_role;	/* enum msg_ppp_role */
	struct sockaddr_storage	ps_peer;	/* outer, for logs/audit */
	char			ps_connection[MSG_NAME_MAX]; /* client */
	/*
	 * Kernel data path: the fd is the /dev/ppp channel (LCP and the
	 * authentication protocols), and MSG_PPP_UNIT follows with the
	 * unit (pppN: IPCP and the other NCPs).  Both read and write
	 * frames as pppd does: Protocol field, then the information.
	 */
	uint32_t		ps_kernel;
	uint32_t		ps_pad;
};
_Static_assert(sizeof(struct msg_ppp_start) == 208, "msg_ppp_start");

struct msg_ppp_unit {
	uint32_t		pu_id;		/* the session */
	uint32_t		pu_unit;	/* N of pppN, for logs */
};
_Static_assert(sizeof(struct msg_ppp_unit) == 8, "msg_ppp_unit");

/*
 * Kernel data path: at TUNNEL_UP the parent attaches the kernel tunnel
 * to a UDP socket of its own, bound to 1701 and connected to the peer,
 * and hands l2tp a copy: from then on that tunnel's control messages
 * arrive there and l2tp sends them there.
 */
struct msg_l2tp_tunsock {
	uint32_t		lk_tid;		/* ours */
	uint32_t		lk_pad;
};
_Static_assert(sizeof(struct msg_l2tp_tunsock) == 8, "msg_l2tp_tunsock");

/*
 * IKE and ESP algorithms travel as their IANA numbers: IKE encryption
 * (RFC 2409 App. A: 5 3DES-CBC, 7 AES-CBC), hash (2 SHA1, 4 SHA2-256,
 * 5 SHA2-384, 6 SHA2-512), group (2, 5, 14, 15, 16, 19, 20); ESP
 * transform (RFC 2407 4.4.4: 3 3DES, 12 AES-CBC, 20 AES-GCM-16) and
 * authentication (4.5: 2 HMAC-SHA1, 5 HMAC-SHA2-256, 0 none for GCM).
 * Key lengths in bits, 0 where the algorithm has one size.
 */
#define MSG_MAX_SUITES	16
struct msg_ike_suite {
	uint16_t	is_enc;
	uint16_t	is_keylen;
	uint16_t	is_hash;
	uint16_t	is_group;
};
struct msg_esp_suite {
	uint16_t	es_enc;
	uint16_t	es_keylen;
	uint16_t	es_auth;
	uint16_t	es_pad;
};
struct msg_ike_config {
	uint32_t		ic_nike;
	uint32_t		ic_nesp;
	struct msg_ike_suite	ic_ike[MSG_MAX_SUITES];	/* preference order */
	struct msg_esp_suite	ic_esp[MSG_MAX_SUITES];
	uint32_t		ic_legacy;	/* `legacy yes` */
	uint32_t		ic_ike_lifetime;	/* seconds, max */
	uint32_t		ic_esp_lifetime;	/* seconds, max */
	uint32_t		ic_dpd_delay;	/* seconds, 0 = off */
	uint32_t		ic_dpd_timeout;
	uint32_t		ic_max_half_open;
	uint32_t		ic_server;	/* a `listen`: respond */
	uint32_t		ic_pad;
};
_Static_assert(sizeof(struct msg_ike_config) == 296, "msg_ike_config");

/* A pre-shared key: ik_name "" is the server's, else a connection's. */
struct msg_ike_psk {
	char		ik_name[MSG_NAME_MAX];
	uint32_t	ik_len;
	uint8_t		ik_key[MSG_SECRET_MAX];
};
_Static_assert(sizeof(struct msg_ike_psk) == 324, "msg_ike_psk");

struct msg_ike_initiate {
	char			ii_name[MSG_NAME_MAX];	/* connection */
	struct sockaddr_storage	ii_peer;	/* server, port 500 */
};
_Static_assert(sizeof(struct msg_ike_initiate) == 192, "msg_ike_initiate");

/* SPI_ALLOC (sp_spi 0) and its answer SPI, matched by sp_req. */
struct msg_spi {
	uint32_t		sp_req;
	uint32_t		sp_spi;		/* a number; big-endian on the wire */
	struct sockaddr_storage	sp_peer;
	/* Our address the IKE SA runs on (the kernel reserves an SPI per
	 * destination address); unspecified if ike does not know it. */
	struct sockaddr_storage	sp_local;
};
_Static_assert(sizeof(struct msg_spi) == 264, "msg_spi");

#define MSG_ESP_KEY_MAX	64
/*
 * One finished quick mode: the SA pair protecting UDP/1701 between us
 * and the peer, transport mode (RFC 3193).  Outer addresses carry the
 * ports the ESP runs on (4500 with NAT-T).  The parent checks all of it
 * against what it holds (its listen addresses, the SPIs it handed out,
 * key lengths for the algorithms) before a data path sees it.
 */
struct msg_sa_add {
	uint32_t		sa_id;		/* ike's, unique in the daemon */
	uint32_t		sa_ike_id;	/* the IKE SA it came from */
	struct sockaddr_storage	sa_peer;
	struct sockaddr_storage	sa_local;
	uint32_t		sa_encap;	/* 1: ESP in UDP (RFC 3948) */
	uint32_t		sa_spi_in;	/* ours, from SPI_ALLOC */
	uint32_t		sa_spi_out;	/* the peer's */
	uint16_t		sa_enc;		/* ESP transform id */
	uint16_t		sa_enc_keylen;	/* bytes, GCM salt included */
	uint16_t		sa_auth;	/* 0 with GCM */
	uint16_t		sa_auth_keylen;	/* bytes */
	uint8_t			sa_enc_in[MSG_ESP_KEY_MAX];
	uint8_t			sa_enc_out[MSG_ESP_KEY_MAX];
	uint8_t			sa_auth_in[MSG_ESP_KEY_MAX];
	uint8_t			sa_auth_out[MSG_ESP_KEY_MAX];
	uint32_t		sa_lifetime_s;
	uint32_t		sa_pad;
	uint64_t		sa_lifetime_kb;	/* 0 = none */
	uint16_t		sa_local_port;	/* inner: 1701 */
	uint16_t		sa_peer_port;	/* inner: 1701, 0 or ephemeral */
	uint8_t			sa_proto;	/* inner: 17 */
	uint8_t			sa_pad2[3];
	char			sa_connection[MSG_NAME_MAX]; /* client */
};
_Static_assert(sizeof(struct msg_sa_add) == 632, "msg_sa_add");

struct msg_ike_down {
	char		id_name[MSG_NAME_MAX];	/* the connection */
	char		id_reason[MSG_REASON_MAX];
};
_Static_assert(sizeof(struct msg_ike_down) == 192, "msg_ike_down");

struct msg_sa_result {
	uint32_t	sr_id;
	char		sr_reason[MSG_REASON_MAX];
};
_Static_assert(sizeof(struct msg_sa_result) == 132, "msg_sa_result");

struct msg_sa_ref {
	uint32_t	sf_id;
};
_Static_assert(sizeof(struct msg_sa_ref) == 4, "msg_sa_ref");

struct msg_sa_expire {
	uint32_t	sx_id;
	uint32_t	sx_hard;	/* 0 soft: rekey; 1 hard: gone */
};
_Static_assert(sizeof(struct msg_sa_expire) == 8, "msg_sa_expire");

struct msg_nat_mapping {
	uint32_t		nm_id;
	uint32_t		nm_pad;
	struct sockaddr_storage	nm_peer;	/* the new outer addr:port */
};
_Static_assert(sizeof(struct msg_nat_mapping) == 136, "msg_nat_mapping");

/*
 * An audit record from a child.  The parent accepts only the events that
 * child may report (ike.*, auth.*, session.*) and adds the timestamp.
 */
struct msg_audit {
	char		au_event[32];
	char		au_peer[64];
	char		au_user[64];
	char		au_method[16];
	char		au_reason[256];
	uint32_t	au_session;
	uint32_t	au_pad;
};
_Static_assert(sizeof(struct msg_audit) == 440, "msg_audit");

#define MSG_LOG_LINE	1000
struct msg_log {
	int32_t		ml_pri;
	char		ml_line[MSG_LOG_LINE];
};
_Static_assert(sizeof(struct msg_log) == 1004, "msg_log");

/*
 * A child's own counters (what it received, and what it dropped and
 * why), sent by common/child.c every CHILD_STATS_S seconds when one
 * changed; the parent keeps the last set for `show status`.  A name is
 * lower case letters, digits and '-'; values only grow.
 */
#define MSG_STAT_NAME	32
#define MSG_STATS_MAX	64
struct msg_stat {
	char		st_name[MSG_STAT_NAME];
	uint64_t	st_value;
};
_Static_assert(sizeof(struct msg_stat) == 40, "msg_stat");

struct msg_stats {
	uint32_t	ss_count;	/* entries used */
	uint32_t	ss_pad;
	struct msg_stat	ss_stat[MSG_STATS_MAX];
};
_Static_assert(sizeof(struct msg_stats) == 2568, "msg_stats");

int	msg_stat_name_ok(const char *, size_t);

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
	CTL_IKE_SA,		/* struct ctl_ike_sa */
	CTL_IPSEC_SA,		/* struct ctl_ipsec_sa */
	CTL_SESSION,		/* struct ctl_session */
	CTL_COUNTER,		/* struct ctl_counter, after its CTL_PROC */
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

struct ctl_counter {
	char		cc_name[MSG_STAT_NAME];
	uint64_t	cc_value;
};
_Static_assert(sizeof(struct ctl_counter) == 40, "ctl_counter");

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

/* One IKE SA in `show sa`; its IPsec SAs follow it. */
struct ctl_ike_sa {
	uint32_t	ci_id;
	uint32_t	ci_age_s;
	uint32_t	ci_nat;		/* NAT detected: floated to 4500 */
	uint32_t	ci_nipsec;
	char		ci_peer[64];	/* "addr:port" */
	char		ci_role[12];	/* "responder", "initiator" */
	char		ci_state[24];
	char		ci_alg[48];	/* "aes256-sha1-modp2048" */
	char		ci_id_peer[64];	/* the peer's identity */
};
_Static_assert(sizeof(struct ctl_ike_sa) == 228, "ctl_ike_sa");

struct ctl_ipsec_sa {
	uint32_t	cp_id;
	uint32_t	cp_spi_in;
	uint32_t	cp_spi_out;
	uint32_t	cp_age_s;
	uint32_t	cp_lifetime_s;
	uint32_t	cp_encap;
	uint64_t	cp_lifetime_kb;
	uint64_t	cp_bytes_in;
	uint64_t	cp_bytes_out;
	uint64_t	cp_packets_in;
	uint64_t	cp_packets_out;
	char		cp_alg[32];	/* "aes128gcm16", "aes256-sha1" */
};
_Static_assert(sizeof(struct ctl_ipsec_sa) == 96, "ctl_ipsec_sa");

/* One session in `show sessions` (DESIGN.md: rx = from the peer). */
struct ctl_session {
	uint32_t	cn_id;
	uint32_t	cn_age_s;
	uint64_t	cn_rx_bytes;
	uint64_t	cn_tx_bytes;
	uint64_t	cn_rx_packets;
	uint64_t	cn_tx_packets;
	char		cn_user[64];
	char		cn_peer[64];
	char		cn_ip[16];
	char		cn_ifname[16];
	char		cn_state[16];
};
_Static_assert(sizeof(struct ctl_session) == 216, "ctl_session");

/* 1 when a fixed-size string field holds a terminating NUL. */
int	msg_str_ok(const char *, size_t);

#define L2TPSECD_VERSION	"0.1.0"

#endif
