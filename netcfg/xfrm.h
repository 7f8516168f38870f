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


#ifndef L2TPSEC_XFRM_H
#define L2TPSEC_XFRM_H

#include <netinet/in.h>

#include <stddef.h>
#include <stdint.h>

/*
 * The kernel data path's IPsec half (parent only): transport-mode ESP
 * states and the policies that send UDP/1701 through them, over
 * NETLINK_XFRM.  IPv4 only, like the kernel data path.
 *
 * Errors: every function that can fail returns -1 with errno set (the
 * kernel's errno where the kernel refused) and leaves one line in
 * xfrm_error(ctx) naming the operation, the SPI and addresses and the
 * reason, e.g.
 *
 *   add SA spi 0x8d1e2f00 192.0.2.2->192.0.2.1 reqid 0x17010001:
 *   File exists (kernel: ...)
 *
 * for the caller to log with whatever it knows besides (the peer's
 * port, the user).  This file logs successes at debug level and the
 * states and policies xfrm_flush_ours() removes as notices, never a key.
 *
 * Key material handed in is copied only into the netlink request,
 * which is wiped before it is freed; everything read back from the
 * kernel (a state dump carries every SA's keys, ours and others') lands
 * in one buffer of the context that is wiped after each use.
 */

/*
 * Ownership.  Every state and policy we create carries a reqid in
 * [XFRM_REQID_MIN, XFRM_REQID_MAX] (on a policy: in its template), and
 * that is what xfrm_flush_ours() goes by.  The range is far from what
 * the other IKE daemons use: Libreswan counts up from 16384 in steps of
 * 4, strongSwan from 1, `ip xfrm` defaults to 0, so neither reaches
 * 0x17010000 (385941504) in practice.  A reqid changes nothing in how
 * packets match (a mark or an if_id would); it ties an out policy's
 * template to the states it may use.
 *
 * XFRM_REQID_MANDATORY is the mandatory inbound policy's own reqid: no
 * state ever carries it, so that policy is satisfied by no SA at all
 * (see xfrm_mandatory_add()).  SAs and per-peer policies use
 * XFRM_REQID_FIRST..XFRM_REQID_MAX, one reqid per peer, kept across
 * rekeys: old and new SAs of a peer share it, the out policy stays, and
 * the kernel sends on the newest valid state.
 */
#define XFRM_REQID_MIN		0x17010000U
#define XFRM_REQID_MAX		0x1701ffffU
#define XFRM_REQID_MANDATORY	XFRM_REQID_MIN
#define XFRM_REQID_FIRST	(XFRM_REQID_MIN + 1)
#define XFRM_REQID_OURS(r)	((r) >= XFRM_REQID_MIN && (r) <= XFRM_REQID_MAX)

/*
 * Policy priorities (lower wins): a peer's inbound policy must win over
 * the mandatory one, which takes only what no peer policy took.
 */
#define XFRM_PRIO_PEER		1000
#define XFRM_PRIO_MANDATORY	1100

#define XFRM_L2TP_PORT		1701
#define XFRM_KEY_MAX		64	/* = MSG_ESP_KEY_MAX */
#define XFRM_REPLAY_MAX		4096	/* packets; the kernel's limit */
#define XFRM_ERR_MAX		512

struct xfrm_ctx;

/*
 * Two NETLINK_XFRM sockets: one for requests (blocking, answered at
 * once), one subscribed to the EXPIRE and MAPPING groups, non-blocking,
 * whose descriptor goes into a libevent read event.  NULL (errno set,
 * a line logged: there is no context to hold the message) on failure.
 */
struct xfrm_ctx	*xfrm_open(void);
void		 xfrm_close(struct xfrm_ctx *);
/* The last failure's text; "" before any. */
const char	*xfrm_error(const struct xfrm_ctx *);

/* ---- events ---------------------------------------------------------- */

enum xfrm_event_type {
	XFRM_EV_EXPIRE_SOFT = 1,	/* a lifetime's soft limit: rekey */
	XFRM_EV_EXPIRE_HARD,		/* the kernel deleted the state */
	XFRM_EV_MAPPING,		/* ESP in UDP from a new addr:port */
	XFRM_EV_OVERRUN			/* events were lost (ENOBUFS) */
};

/*
 * One event about one of our states (others' are not handed on).  For
 * an expire: the state (SPI, proto, outer src and dst, reqid).  A hard
 * expire also comes for an SPI from xfrm_spi_alloc() that was never
 * filled in: the kernel drops such a larval state after
 * net.core.xfrm_acq_expires seconds (30).  For a mapping: the inbound
 * state (dst is ours, src the peer's old address), the old and the new
 * outer address:port of the peer.  An overrun carries nothing: the
 * caller should check its SAs (xfrm_sa_counters() says ESRCH for a
 * state that is gone).
 */
struct xfrm_event {
	enum xfrm_event_type	 xe_type;
	uint32_t		 xe_spi;	/* host order */
	uint32_t		 xe_reqid;
	uint8_t			 xe_proto;	/* IPPROTO_ESP */
	struct in_addr		 xe_src;
	struct in_addr		 xe_dst;
	struct in_addr		 xe_old_addr;	/* mapping */
	struct in_addr		 xe_new_addr;
	uint16_t		 xe_old_port;	/* host order */
	uint16_t		 xe_new_port;
};

typedef void (*xfrm_event_fn)(const struct xfrm_event *, void *);

int	xfrm_event_fd(const struct xfrm_ctx *);
/*
 * Read every pending event and hand each of ours to cb.  Returns how
 * many were handed on, or -1 if the socket failed.
 */
int	xfrm_event_read(struct xfrm_ctx *, xfrm_event_fn cb, void *arg);

/* ---- states ---------------------------------------------------------- */

/*
 * XFRM_MSG_ALLOCSPI: an unused SPI in [min, max] (host order; min >=
 * 256, RFC 4303 2.1) for ESP from peer to local with reqid, reserved by
 * a larval state.  xfrm_sa_add() with xs_update set fills that state
 * in; unused, it expires after net.core.xfrm_acq_expires seconds.
 */
int	xfrm_spi_alloc(struct xfrm_ctx *, struct in_addr local,
	    struct in_addr peer, uint32_t reqid, uint32_t min, uint32_t max,
	    uint32_t *spi);

/*
 * One direction of a transport-mode ESP SA.  Algorithms are the ESP
 * transform ids of struct msg_sa_add (ESP_ENC_* and ESP_AUTH_* in
 * datapath/esp.h):
 *   ESP_ENC_AES_GCM_16  rfc4106(gcm(aes)), 16-byte ICV; key + 4-byte
 *                       salt (20, 28 or 36 bytes); xs_auth 0
 *   ESP_ENC_AES_CBC     cbc(aes), 16, 24 or 32 bytes
 *   ESP_ENC_3DES        cbc(des3_ede), 24 bytes
 * with, for the CBC ones, one of
 *   ESP_AUTH_HMAC_SHA1      hmac(sha1), 20-byte key, 96-bit ICV
 *   ESP_AUTH_HMAC_SHA2_256  hmac(sha256), 32, 128
 *   ESP_AUTH_HMAC_SHA2_384  hmac(sha384), 48, 192
 *   ESP_AUTH_HMAC_SHA2_512  hmac(sha512), 64, 256
 *
 * The state's selector is UDP from xs_src:xs_sport to xs_dst:xs_dport
 * (a port 0: any), so it carries L2TP and nothing else.
 */
struct xfrm_sa {
	struct in_addr	 xs_src;	/* outer source */
	struct in_addr	 xs_dst;	/* outer destination */
	uint32_t	 xs_spi;	/* host order */
	uint32_t	 xs_reqid;	/* XFRM_REQID_FIRST..XFRM_REQID_MAX */
	uint16_t	 xs_sport;	/* inner UDP ports, host order */
	uint16_t	 xs_dport;
	uint16_t	 xs_enc;
	uint16_t	 xs_auth;
	uint16_t	 xs_enc_keylen;	/* bytes, GCM salt included */
	uint16_t	 xs_auth_keylen;
	uint8_t		 xs_enc_key[XFRM_KEY_MAX];
	uint8_t		 xs_auth_key[XFRM_KEY_MAX];
	/*
	 * ESP in UDP (RFC 3948, UDP_ENCAP_ESPINUDP): outer UDP ports, host
	 * order, as the packets carry them (an outbound SA: ours 4500 to
	 * the peer's; inbound: the peer's to our 4500), and the NAT-OA if
	 * the peer sent one (0.0.0.0: none).  Receiving needs a UDP socket
	 * on the local port with UDP_ENCAP set.
	 */
	int		 xs_encap;
	uint16_t	 xs_encap_sport;
	uint16_t	 xs_encap_dport;
	struct in_addr	 xs_natoa;
	/*
	 * Inbound ESP in UDP: at most one MAPPING event per this many
	 * seconds for the same new port (XFRMA_MTIMER_THRESH); 0: one per
	 * packet from a new address:port, the kernel's default.
	 */
	uint32_t	 xs_mapping_maxage;
	/* Lifetimes; 0: none.  Soft must be below hard. */
	uint64_t	 xs_soft_bytes;
	uint64_t	 xs_hard_bytes;
	uint32_t	 xs_soft_secs;
	uint32_t	 xs_hard_secs;
	uint32_t	 xs_replay;	/* window; 0 for outbound, <= 4096 */
	/*
	 * XFRM_MSG_UPDSA instead of NEWSA: fill in the larval state
	 * xfrm_spi_alloc() made (ESRCH if it expired).  On a state that
	 * is already complete, the kernel takes only the new encap ports
	 * and lifetimes from it (a NAT mapping moved) and keeps the keys.
	 */
	int		 xs_update;
};

int	xfrm_sa_add(struct xfrm_ctx *, const struct xfrm_sa *);
/* Delete a state of ours by (dst, SPI, proto); ESRCH if none. */
int	xfrm_sa_del(struct xfrm_ctx *, struct in_addr dst, uint32_t spi,
	    uint8_t proto);

/* `show sa`: what the kernel counted on a state (XFRM_MSG_GETAE). */
struct xfrm_sa_counters {
	uint64_t	 xc_bytes;
	uint64_t	 xc_packets;
	uint64_t	 xc_add_time;	/* seconds since the epoch */
	uint64_t	 xc_use_time;	/* first use; 0 if unused */
	uint32_t	 xc_reqid;
	uint32_t	 xc_oseq;	/* outbound: last sequence sent */
	uint32_t	 xc_seq;	/* inbound: highest received */
};

/* ESRCH if there is no such state, EPERM if it is not ours. */
int	xfrm_sa_counters(struct xfrm_ctx *, struct in_addr dst, uint32_t spi,
	    uint8_t proto, struct xfrm_sa_counters *);

/* ---- policies -------------------------------------------------------- */

/*
 * A peer's pair of policies (RFC 3193 transport mode): out, UDP from
 * local:1701 to peer:peer_port, and in, the reverse, both requiring ESP
 * transport with reqid (priority XFRM_PRIO_PEER).  peer_port 0 is any
 * port.  Adding fails with EEXIST if either selector is taken already
 * (two clients behind one NAT, both 1701 -> 1701, are indistinguishable
 * here: the kernel data path cannot carry them); nothing is left
 * behind.  Deleting removes only policies whose template carries
 * exactly reqid: ENOENT if there is none, EPERM if the selector is
 * somebody else's.
 */
struct xfrm_l2tp_flow {
	struct in_addr	 xf_local;
	struct in_addr	 xf_peer;
	uint16_t	 xf_peer_port;	/* host order, 0: any */
	uint32_t	 xf_reqid;
};

int	xfrm_policy_add(struct xfrm_ctx *, const struct xfrm_l2tp_flow *);
int	xfrm_policy_del(struct xfrm_ctx *, const struct xfrm_l2tp_flow *);

/*
 * The mandatory inbound policy: UDP to local:1701 from anywhere requires
 * ESP with reqid XFRM_REQID_MANDATORY, which no state has (priority
 * XFRM_PRIO_MANDATORY).  L2TP that arrived in a peer's SA matches that
 * peer's in policy first and passes; any other UDP/1701, cleartext
 * above all, is dropped by the kernel (XfrmInTmplMismatch in
 * /proc/net/xfrm_stat).  UDP 500 and 4500, ESP itself, and everything
 * else do not match it.
 */
int	xfrm_mandatory_add(struct xfrm_ctx *, struct in_addr local);
int	xfrm_mandatory_del(struct xfrm_ctx *, struct in_addr local);

/*
 * Delete every state and policy with a reqid of ours (policies first,
 * so nothing falls back to an acquire), whoever made it: at start, what
 * a killed predecessor left.  Others' are not touched.  States the
 * kernel made itself for an acquire (SPI 0) cannot be deleted by SPI
 * and expire by themselves.  The number deleted, or -1.
 */
int	xfrm_flush_ours(struct xfrm_ctx *);

#endif
