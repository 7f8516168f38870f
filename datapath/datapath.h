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


#ifndef L2TPSEC_DATAPATH_H
#define L2TPSEC_DATAPATH_H

#include <sys/queue.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include <netinet/in.h>
#include <event.h>
#include <stdint.h>
#include <time.h>

#include "common/addr.h"
#include "common/chan.h"
#include "dp_parse.h"
#include "dp_stats.h"
#include "esp.h"

/*
 * The userspace data path (DESIGN.md, "Data path"): ESP on UDP 4500 and
 * raw protocol 50, L2TP inside it (or in the clear with `require-ipsec
 * no`), PPP inside that, IPv4 between PPP and one TUN device.
 *
 *   datapath.c    sockets, the receive and send batches, the l2tp relay,
 *                 counters and the 5-second report
 *   dp_esp.c      the SA table: lookup by (peer, port, SPI), ESP in and
 *                 out through the engine in esp.c, byte lifetimes
 *   dp_session.c  L2TP data sessions, PPP demultiplexing, routes
 *   dp_tun.c      the TUN device(s)
 *   dp_parse.c    the wire formats, pure (fuzzed)
 *
 * No allocation per packet: datagrams live in the batch buffers below
 * from recvmmsg() to the TUN write, or from the TUN read to sendmmsg(),
 * decrypted and encrypted in place.
 */

struct child;

#define DP_BATCH	32	/* datagrams per recvmmsg()/sendmmsg() */
#define DP_SLOT		8192	/* bytes per datagram buffer */
#define DP_HASH		1024	/* buckets of each hash table */
#define DP_REPORT_SECS	5	/* MSG_DP_COUNTERS period */

/*
 * An outbound slot, front to back: room for the ESP header and the
 * longest IV, the inner UDP header, our L2TP data header, FF 03 and the
 * PPP protocol, then the IP packet.  Each layer writes its header just
 * in front of the one after it, and esp_encap() encrypts in place with
 * its output starting DP_OFF_INNER - esp_payload_offset() into the slot.
 * DP_TAIL is what ESP appends at most: padding, trailer, ICV.
 */
#define DP_OFF_INNER	(ESP_HDRLEN + ESP_IV_MAX)
#define DP_OFF_L2TP	(DP_OFF_INNER + DP_UDP_HDRLEN)
#define DP_OFF_PPP	(DP_OFF_L2TP + DP_L2TP_DATA_HDRLEN)
#define DP_OFF_PROTO	(DP_OFF_PPP + 2)
#define DP_OFF_IP	(DP_OFF_PPP + DP_PPP_HDRLEN)
#define DP_TAIL		(15 + 2 + ESP_ICV_MAX)
#define DP_FRAME_MAX	(DP_SLOT - DP_OFF_PROTO - DP_TAIL)

/* dc_kind of struct msg_dp_counters */
#define DP_COUNTERS_SESSION	1
#define DP_COUNTERS_SA		2

/* A socket the parent handed over (enum msg_socket_kind). */
struct dp_sock {
	TAILQ_ENTRY(dp_sock)	 ds_entry;
	struct datapath		*ds_dp;
	int			 ds_fd;
	int			 ds_kind;
	int			 ds_wild;	/* bound to the any address */
	struct sockaddr_storage	 ds_local;	/* as bound */
	struct event		 ds_ev;
};

/* A TUN device: the server's, or one client connection's. */
struct dp_tun {
	TAILQ_ENTRY(dp_tun)	 dt_entry;
	struct datapath		*dt_dp;
	int			 dt_fd;
	struct dp_session	*dt_session;	/* client: all goes there */
	struct event		 dt_ev;
};

/*
 * One IPsec SA pair (MSG_DP_SA_ADD).  Inbound it is found by our SPI,
 * then must match the outer peer address and, for ESP in UDP, port:
 * clients behind one NAT differ only in the port.  Outbound, the newest
 * live SA to a peer address:port carries that peer's traffic, so a
 * rekey moves it over as the kernel's policy lookup would.
 */
struct dp_sa {
	TAILQ_ENTRY(dp_sa)	 dsa_entry;
	LIST_ENTRY(dp_sa)	 dsa_spi_link;
	LIST_ENTRY(dp_sa)	 dsa_peer_link;
	uint32_t		 dsa_id;
	uint32_t		 dsa_ike_id;
	uint64_t		 dsa_serial;	/* arrival order: newest wins */
	struct sockaddr_storage	 dsa_peer;	/* outer, port 4500/500/NAT */
	struct sockaddr_storage	 dsa_local;
	int			 dsa_encap;	/* ESP in UDP (RFC 3948) */
	struct dp_sock		*dsa_sock;	/* where it last arrived */
	uint16_t		 dsa_local_port;	/* inner: 1701 */
	uint16_t		 dsa_peer_port;	/* inner; 0: any */
	uint16_t		 dsa_peer_port_out;	/* what we send to */
	struct esp_sa		 dsa_in;
	struct esp_sa		 dsa_out;
	uint64_t		 dsa_soft_bytes;	/* 0: no lifetime */
	uint64_t		 dsa_hard_bytes;
	time_t			 dsa_expires;	/* monotonic s; 0: never */
	int			 dsa_soft_sent;
	int			 dsa_dead;	/* hard expired: unusable */
	uint64_t		 dsa_rep_in;	/* packets when last reported */
	uint64_t		 dsa_rep_out;
};

/* One L2TP session: the peer <-> ppp's SEQPACKET socket, and the TUN. */
struct dp_session {
	TAILQ_ENTRY(dp_session)	 dse_entry;
	LIST_ENTRY(dp_session)	 dse_hash;	/* by (tid, sid) */
	LIST_ENTRY(dp_session)	 dse_addr_link;	/* by dse_addr, routed */
	struct datapath		*dse_dp;
	uint32_t		 dse_id;
	uint16_t		 dse_tid;	/* ours: the lookup key */
	uint16_t		 dse_sid;
	uint16_t		 dse_peer_tid;
	uint16_t		 dse_peer_sid;
	struct sockaddr_storage	 dse_peer;	/* outer address:port */
	struct sockaddr_storage	 dse_local;
	uint32_t		 dse_sa;	/* 0: in the clear */
	int			 dse_orphan;	/* every SA to the peer gone */
	int			 dse_fd;	/* to ppp */
	struct event		 dse_ev;
	int			 dse_routed;	/* MSG_DP_ROUTE seen */
	int			 dse_hashed;	/* in dp_addr_hash */
	uint32_t		 dse_addr;	/* the peer's, network order */
	uint32_t		 dse_local_addr;
	uint32_t		 dse_mtu;
	struct dp_tun		*dse_tun;	/* client role: its own TUN */
	struct dp_sa		*dse_out;	/* cached outbound SA ... */
	uint64_t		 dse_out_gen;	/* ... for this dp_sa_gen */
	/* IPv4 carried to and from the TUN: what `idle` and audit mean */
	uint64_t		 dse_rx_bytes;	/* from the peer */
	uint64_t		 dse_rx_packets;
	uint64_t		 dse_tx_bytes;
	uint64_t		 dse_tx_packets;
	uint64_t		 dse_rep_rx;	/* packets when last reported */
	uint64_t		 dse_rep_tx;
};

union dp_cmsg {
	struct cmsghdr	 cm_hdr;
	char		 cm_buf[CMSG_SPACE(sizeof(struct in6_pktinfo))];
};

struct dp_rxq {
	struct mmsghdr		 rq_msg[DP_BATCH];
	struct iovec		 rq_iov[DP_BATCH];
	struct sockaddr_storage	 rq_peer[DP_BATCH];
	union dp_cmsg		 rq_cmsg[DP_BATCH];
	uint8_t			 rq_buf[DP_BATCH][DP_SLOT];
};

struct dp_txq {
	struct mmsghdr		 tq_msg[DP_BATCH];
	struct iovec		 tq_iov[DP_BATCH];
	struct sockaddr_storage	 tq_dst[DP_BATCH];
	union dp_cmsg		 tq_cmsg[DP_BATCH];
	int			 tq_fd[DP_BATCH];
	size_t			 tq_n;
	uint8_t			 tq_buf[DP_BATCH][DP_SLOT];
};

struct datapath {
	struct child		*dp_child;
	struct event_base	*dp_base;
	struct chan		 dp_l2tp;	/* to the l2tp child */
	int			 dp_have_l2tp;
	TAILQ_HEAD(, dp_sock)	 dp_socks;
	TAILQ_HEAD(, dp_tun)	 dp_tuns;
	struct dp_tun		*dp_tun;	/* the server's (SOCKET_TUN) */
	TAILQ_HEAD(, dp_session) dp_sessions;
	LIST_HEAD(, dp_session)	 dp_ses_hash[DP_HASH];
	LIST_HEAD(, dp_session)	 dp_addr_hash[DP_HASH];
	TAILQ_HEAD(, dp_sa)	 dp_sas;
	LIST_HEAD(, dp_sa)	 dp_spi_hash[DP_HASH];
	LIST_HEAD(, dp_sa)	 dp_peer_hash[DP_HASH];
	uint64_t		 dp_sa_gen;	/* bumps: SA choices change */
	uint64_t		 dp_sa_serial;
	struct event		 dp_report_ev;
	struct dp_rxq		*dp_rx;
	struct dp_txq		*dp_tx;
	struct dp_stats		 dp_stats;
};

#define DP_COUNT(dp, st)	((dp)->dp_stats.st_count[(st)]++)

/* datapath.c: the child's entry points, one per parent message. */
void	datapath_init(struct datapath *, struct child *);
void	datapath_free(struct datapath *);
/* Each returns -1 if the message breaks the contract (the child exits). */
int	datapath_socket(struct datapath *, int, const void *, size_t);
int	datapath_session_add(struct datapath *, int, const void *, size_t);
int	datapath_session_del(struct datapath *, const void *, size_t);
int	datapath_route(struct datapath *, int, const void *, size_t);
int	datapath_sa_add(struct datapath *, const void *, size_t);
int	datapath_sa_del(struct datapath *, const void *, size_t);
int	datapath_sa_peer(struct datapath *, const void *, size_t);
/* Sends MSG_DP_COUNTERS for what changed, checks time lifetimes. */
void	datapath_report(struct datapath *);
/* Before the sandbox: OpenSSL's ciphers and RNG. */
int	datapath_preload(void);

/* Internal, between the datapath's files. */
uint8_t	*dp_tx_slot(struct datapath *);
void	 dp_tx_commit(struct datapath *, struct dp_sock *,
	    const struct sockaddr_storage *, const struct sockaddr_storage *,
	    const uint8_t *, size_t);
void	 dp_tx_flush(struct datapath *);
struct dp_sock *dp_sock_for(struct datapath *,
	    const struct sockaddr_storage *);
int	 dp_addr_eq(const struct sockaddr_storage *,
	    const struct sockaddr_storage *);
int	 dp_addr_is_any(const struct sockaddr_storage *);
/* What a UDP 4500 or raw ESP socket read, from; for the fuzzer too. */
void	 dp_esp_udp_input(struct datapath *, struct dp_sock *, uint8_t *,
	    size_t, const struct sockaddr_storage *);
void	 dp_esp_raw_input(struct datapath *, struct dp_sock *, uint8_t *,
	    size_t, const struct sockaddr_storage *);
void	 dp_l2tp_input(struct datapath *, struct dp_sa *,
	    const struct sockaddr_storage *, const struct sockaddr_storage *,
	    const uint8_t *, size_t);
void	 dp_counters_send(struct datapath *, uint32_t, uint32_t, uint64_t,
	    uint64_t, uint64_t, uint64_t);

/* dp_esp.c */
void	 dp_esp_input(struct datapath *, struct dp_sock *,
	    const struct sockaddr_storage *, uint8_t *, size_t);
int	 dp_sa_output(struct datapath *, struct dp_sa *, uint8_t *, size_t);
struct dp_sa *dp_sa_find(struct datapath *, uint32_t);
struct dp_sa *dp_sa_for_peer(struct datapath *,
	    const struct sockaddr_storage *);
int	 dp_sa_peer_known(struct datapath *, const struct sockaddr_storage *);
void	 dp_sa_report(struct datapath *, struct dp_sa *, int);
void	 dp_sa_check_time(struct datapath *, struct dp_sa *);
void	 dp_sa_free_all(struct datapath *);

/* dp_session.c */
struct dp_session *dp_session_find(struct datapath *, uint16_t, uint16_t);
struct dp_session *dp_session_by_id(struct datapath *, uint32_t);
struct dp_session *dp_session_by_addr(struct datapath *, uint32_t);
void	 dp_l2tp_data_input(struct datapath *, struct dp_sa *,
	    const struct sockaddr_storage *, const uint8_t *, size_t);
int	 dp_session_output(struct datapath *, struct dp_session *,
	    uint8_t *, size_t);
void	 dp_session_report(struct datapath *, struct dp_session *, int);
void	 dp_session_move_peer(struct datapath *,
	    const struct sockaddr_storage *, const struct sockaddr_storage *);
void	 dp_session_orphan(struct datapath *,
	    const struct sockaddr_storage *);
void	 dp_session_free_all(struct datapath *);

/* dp_tun.c */
struct dp_tun *dp_tun_new(struct datapath *, int, struct dp_session *);
void	 dp_tun_free(struct datapath *, struct dp_tun *);
void	 dp_tun_write(struct datapath *, struct dp_session *, const uint8_t *,
	    size_t);

#endif
