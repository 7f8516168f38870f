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


#ifndef L2TPSEC_IKE_H
#define L2TPSEC_IKE_H

#include <sys/queue.h>
#include <sys/socket.h>

#include <event.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "common/addr.h"
#include "common/msg.h"
#include "ike_crypto.h"
#include "isakmp_parse.h"

/*
 * The ike child (IKEv1, RFC 2409): its sockets (ike_io.c), the IKE SA
 * table (ike_sa.c), proposal matching (proposal.c), Main Mode
 * (main_mode.c), Quick Mode (quick_mode.c), Informational exchanges with
 * Delete, INITIAL-CONTACT and DPD (informational.c), NAT-T (natt.c).
 * ike_main.c talks to the parent.
 */

struct child;
struct ike_ctx;
struct ike_sa;

/* Datagrams we read and write; IKE messages of L2TP clients are small. */
#define IKE_PKT_MAX		8192
/* RFC 3948 2.2: the non-ESP marker in front of IKE on port 4500. */
#define IKE_NONESP_MARKER	4
/* Our nonces (RFC 2409 5: 8 to 256 bytes). */
#define IKE_NONCE_LEN		32
/*
 * Bytes after the last payload of a decrypted message.  RFC 2409
 * Appendix B pads "up to the nearest block size", but racoon (macOS,
 * iOS) may add random padding up to its `maximum_length` on top.
 */
#define IKE_PAD_CRYPT		255
/* An SA payload we keep as SAi_b: Windows offers a dozen transforms. */
#define IKE_SAI_MAX		4096
#define IKE_ID_MAX		256	/* an identity's data, for logs/IC */

/* Timers, seconds. */
#define IKE_HALFOPEN_TIMEOUT	30	/* MM2 sent, no MM3 */
#define IKE_NEGOTIATE_TIMEOUT	60	/* Main Mode start to end */
#define IKE_QM_TIMEOUT		60	/* Quick Mode start to end */
#define IKE_QM_LINGER		30	/* a finished QM answers retransmits */
#define IKE_RETRANSMIT_FIRST	1	/* then doubled */
#define IKE_RETRANSMIT_TRIES	6
#define IKE_NATT_KEEPALIVE	20	/* RFC 3948 4 */
#define IKE_DPD_RETRY		5	/* R-U-THERE resend while waiting */
#define IKE_DEFAULT_HALF_OPEN	512
#define IKE_DEFAULT_LIFETIME	28800	/* RFC 2407 4.5, RFC 2409 A */

/* Phase 1 states: RFC 2409 5 (Main Mode), both roles. */
enum ike_sa_state {
	IKE_SA_NEW = 0,
	IKE_SA_MM_R_SA,		/* responder: MM2 sent, half-open */
	IKE_SA_MM_R_KE,		/* responder: MM4 sent */
	IKE_SA_MM_I_SA,		/* initiator: MM1 sent */
	IKE_SA_MM_I_KE,		/* initiator: MM3 sent */
	IKE_SA_MM_I_AUTH,	/* initiator: MM5 sent */
	IKE_SA_ESTABLISHED,
	IKE_SA_EXPIRED,		/* keys gone; holds IPsec SAs till they end */
	IKE_SA_DEAD		/* unlinked, freed after the current input */
};

/* Which NAT-T we speak with the peer (RFC 3947 or the drafts). */
enum ike_natt {
	IKE_NATT_NONE = 0,
	IKE_NATT_DRAFT,		/* payloads 130/131, modes 61443/61444 */
	IKE_NATT_RFC		/* payloads 20/21, modes 3/4 */
};

/* Quick Mode exchanges, RFC 2409 5.5. */
enum ike_qm_state {
	QM_R_WAIT_SPI = 1,	/* responder: QM1 accepted, SPI asked for */
	QM_R_SENT,		/* responder: QM2 sent */
	QM_I_WAIT_SPI,		/* initiator: SPI asked for */
	QM_I_SENT,		/* initiator: QM1 sent */
	QM_DONE			/* keys handed over; answers retransmits */
};

/* The negotiated phase 1 suite. */
struct ike_p1 {
	uint16_t	 p1_encr;	/* IKE_ENCR_* */
	uint16_t	 p1_keybits;	/* Key Length attribute, 0 for 3DES */
	uint16_t	 p1_hash;	/* IKE_HASH_* */
	uint16_t	 p1_group;	/* IKE_GROUP_* */
	uint32_t	 p1_life_s;	/* 0 = none proposed */
	uint64_t	 p1_life_kb;
};

/* The negotiated ESP suite of one Quick Mode. */
struct ike_p2 {
	uint8_t		 p2_xform;	/* ESP_XF_*, or 20 (AES-GCM-16) */
	uint16_t	 p2_keybits;	/* 0 for 3DES */
	uint16_t	 p2_auth;	/* IPSEC_AUTH_*, 0 with GCM */
	uint16_t	 p2_encap;	/* encapsulation mode as proposed */
	uint16_t	 p2_group;	/* PFS group, 0 without PFS */
	uint32_t	 p2_life_s;	/* as proposed, 0 = none */
	uint64_t	 p2_life_kb;
};

#define ESP_XF_AES_GCM_16	20	/* RFC 4106 8 */

struct ike_psk {
	TAILQ_ENTRY(ike_psk)	 pk_entry;
	char			 pk_name[MSG_NAME_MAX];	/* "": server */
	size_t			 pk_len;
	uint8_t			 pk_key[MSG_SECRET_MAX];
};

struct ike_sock {
	TAILQ_ENTRY(ike_sock)	 so_entry;
	struct ike_ctx		*so_ctx;
	int			 so_fd;
	struct sockaddr_storage	 so_local;	/* as bound; may be wildcard */
	uint16_t		 so_port;
	struct event		 so_ev;
};

/* An IPsec SA pair protecting UDP/1701 (one SA_ADD). */
enum ipsec_sa_state {
	CHILD_ADDING = 1,	/* SA_ADD sent */
	CHILD_INSTALLED
};

struct ipsec_sa {
	TAILQ_ENTRY(ipsec_sa)	 ch_entry;
	struct ike_sa		*ch_ike;
	uint32_t		 ch_id;
	enum ipsec_sa_state	 ch_state;
	uint32_t		 ch_spi_in;	/* ours */
	uint32_t		 ch_spi_out;	/* the peer's */
	struct ike_p2		 ch_p2;
	uint32_t		 ch_life_s;	/* what we settled on */
	uint64_t		 ch_life_kb;
	uint16_t		 ch_peer_port;	/* inner selector */
	int			 ch_encap;	/* ESP in UDP */
	int			 ch_rekeyed;	/* a successor was started */
	/* rekey: ends this one when up */
	uint32_t		 ch_replaces;
	time_t			 ch_created;
	struct event		 ch_soft;	/* initiator: rekey */
	/* gone, if the parent is silent */
	struct event		 ch_hard;
};

struct ike_qm {
	TAILQ_ENTRY(ike_qm)	 qm_entry;
	struct ike_sa		*qm_sa;
	uint32_t		 qm_msgid;
	enum ike_qm_state	 qm_state;
	int			 qm_initiator;
	uint8_t			 qm_iv[IKE_BLOCK_MAXLEN];
	uint32_t		 qm_req;	/* SPI_ALLOC */
	uint32_t		 qm_spi_in;
	uint32_t		 qm_spi_out;
	struct ike_p2		 qm_p2;
	uint32_t		 qm_life_s;	/* ours, after the max */
	uint64_t		 qm_life_kb;
	int			 qm_resp_lifetime;	/* send the notify */
	/* Responder: the chosen proposal, echoed in QM2. */
	uint8_t			 qm_prop_num;
	uint8_t			 qm_xf[512];
	size_t			 qm_xflen;
	uint8_t			 qm_ni[IKE_NONCE_MAX];
	size_t			 qm_nilen;
	uint8_t			 qm_nr[IKE_NONCE_MAX];
	size_t			 qm_nrlen;
	/* PFS (RFC 2409 5.5) */
	struct ike_dh		*qm_dh;
	uint8_t			 qm_gx_peer[512];
	size_t			 qm_gxlen;
	/* IDci and IDcr bodies (RFC 2409 5.5), echoed by the responder */
	uint8_t			 qm_idci[64];
	size_t			 qm_idcilen;
	uint8_t			 qm_idcr[64];
	size_t			 qm_idcrlen;
	uint16_t		 qm_peer_port;
	/* The message we answer retransmits with, and what it answered. */
	uint8_t			*qm_out;
	size_t			 qm_outlen;
	uint8_t			 qm_lastin[IKE_HASH_MAXLEN];
	int			 qm_have_lastin;
	int			 qm_tries;
	int			 qm_retransmit;	/* we drive: resend qm_out */
	struct event		 qm_rexmit;
	struct event		 qm_timeout;
	/* initiator: rekey of this id */
	uint32_t		 qm_replaces;
};

struct ike_sa {
	TAILQ_ENTRY(ike_sa)	 sa_entry;	/* ctx: all SAs */
	LIST_ENTRY(ike_sa)	 sa_bucket;	/* ctx: by initiator cookie */
	struct ike_ctx		*sa_ctx;
	uint32_t		 sa_id;
	enum ike_sa_state	 sa_state;
	int			 sa_initiator;
	uint8_t			 sa_icookie[ISAKMP_COOKIE_LEN];
	uint8_t			 sa_rcookie[ISAKMP_COOKIE_LEN];
	struct sockaddr_storage	 sa_peer;	/* where replies go */
	struct sockaddr_storage	 sa_local;	/* our address and port */
	int			 sa_local_known; /* client: from PKTINFO */
	time_t			 sa_created;
	time_t			 sa_established;
	char			 sa_conn[MSG_NAME_MAX];	/* initiator */
	int			 sa_rekey_of;	/* an IKE rekey, no IC */
	struct ike_p1		 sa_p1;
	uint32_t		 sa_life_s;	/* what we settled on */

	/* NAT-T (RFC 3947) and DPD (RFC 3706) */
	enum ike_natt		 sa_natt;
	enum isakmp_vid		 sa_natt_vid;
	int			 sa_nat_local;	/* we are behind a NAT */
	int			 sa_nat_peer;	/* the peer is */
	int			 sa_floated;	/* on 4500 */
	int			 sa_dpd;	/* the peer sent the DPD VID */

	/* Main Mode material, freed once established */
	uint8_t			*sa_sai;	/* SAi_b */
	size_t			 sa_sailen;
	struct ike_dh		*sa_dh;
	uint8_t			*sa_gxi;
	uint8_t			*sa_gxr;
	size_t			 sa_gxlen;
	uint8_t			*sa_ni;
	size_t			 sa_nilen;
	uint8_t			*sa_nr;
	size_t			 sa_nrlen;

	struct ike_keys		 sa_keys;
	uint8_t			 sa_iv[IKE_BLOCK_MAXLEN];	/* Main Mode */
	uint8_t			 sa_p1last[IKE_BLOCK_MAXLEN];	/* App. B */

	/* The peer's identity (RFC 2407 4.6.2), for logs and IC */
	uint8_t			 sa_peer_idtype;
	uint8_t			 sa_peer_id[IKE_ID_MAX];
	size_t			 sa_peer_idlen;
	char			 sa_peer_idstr[64];

	/* Retransmission: our last message and what it answered */
	uint8_t			*sa_out;
	size_t			 sa_outlen;
	uint8_t			 sa_lastin[IKE_HASH_MAXLEN];
	int			 sa_have_lastin;
	int			 sa_tries;
	struct event		 sa_rexmit;
	struct event		 sa_timeout;	/* negotiation / lifetime */
	struct event		 sa_rekey;	/* initiator: before lifetime */
	struct event		 sa_dpd_ev;
	struct event		 sa_keepalive;
	uint32_t		 sa_dpd_seq;	/* our last R-U-THERE */
	uint32_t		 sa_dpd_first;	/* first unanswered */
	time_t			 sa_dpd_since;	/* 0: none outstanding */
	time_t			 sa_last_rx;	/* authenticated traffic */
	int			 sa_halfopen;	/* counted in the limits */
	int			 sa_hashed;	/* in a bucket */
	int			 sa_failed_audited;

	/* Message IDs of finished exchanges: a replay is dropped. */
	uint32_t		 sa_seen[64];
	size_t			 sa_nseen;

	TAILQ_HEAD(, ike_qm)	 sa_qms;
	TAILQ_HEAD(, ipsec_sa)	 sa_children;
	size_t			 sa_nchildren;
};

#define IKE_BUCKETS	1024

/* Pending SPI_ALLOC requests: sp_req -> the Quick Mode waiting. */
struct ike_spireq {
	TAILQ_ENTRY(ike_spireq)	 rq_entry;
	uint32_t		 rq_req;
	uint32_t		 rq_sa;		/* IKE SA id */
	uint32_t		 rq_msgid;
};

struct ike_stats {
	uint64_t	 st_rx;
	uint64_t	 st_malformed;
	uint64_t	 st_no_sa;
	uint64_t	 st_halfopen_drop;
	uint64_t	 st_retransmits;
	uint64_t	 st_keepalive;	/* NAT-T keepalives on 4500 */
	uint64_t	 st_unmarked;	/* on 4500, neither IKE nor keepalive */
};

struct ike_ctx {
	struct child		*ix_child;
	struct event_base	*ix_base;
	struct msg_ike_config	 ix_conf;
	int			 ix_have_conf;
	TAILQ_HEAD(, ike_psk)	 ix_psks;
	TAILQ_HEAD(, ike_sock)	 ix_socks;
	TAILQ_HEAD(, ike_sa)	 ix_sas;
	TAILQ_HEAD(, ike_sa)	 ix_dead;	/* freed by the reaper */
	struct event		 ix_reaper;
	LIST_HEAD(, ike_sa)	 ix_buckets[IKE_BUCKETS];
	uint64_t		 ix_bucket_key;
	size_t			 ix_nsas;
	size_t			 ix_nhalfopen;
	uint32_t		 ix_next_sa;
	uint32_t		 ix_next_child;
	uint32_t		 ix_next_req;
	TAILQ_HEAD(, ike_spireq) ix_spireqs;
	struct ike_stats	 ix_stats;
	time_t			 ix_log_at;	/* rate limit for flood logs */
	unsigned int		 ix_log_n;
	uint8_t			 ix_buf[IKE_PKT_MAX];	/* one datagram */
};

/* ike_main.c: towards the parent */
void	ike_audit(struct ike_ctx *, const char *, const struct ike_sa *,
	    const struct sockaddr_storage *, const char *);
int	ike_parent_send(struct ike_ctx *, uint32_t, const void *, size_t);
int	ike_parent_send_peer(struct ike_ctx *, uint32_t, uint32_t,
	    const void *, size_t);
const struct ike_psk *ike_psk_find(struct ike_ctx *, const char *);
size_t	ike_max_half_open(const struct ike_ctx *);
size_t	ike_max_half_open_peer(const struct ike_ctx *);

/* ike_io.c */
int	ike_io_add(struct ike_ctx *, int, const struct sockaddr_storage *);
/* Sends an IKE message from local to peer (the marker added on 4500). */
int	ike_io_send(struct ike_ctx *, const struct sockaddr_storage *,
	    const struct sockaddr_storage *, const uint8_t *, size_t);
int	ike_io_keepalive(struct ike_ctx *, const struct sockaddr_storage *,
	    const struct sockaddr_storage *);
/* A socket for a local address and port exists (e.g. 4500 to float). */
int	ike_io_have(struct ike_ctx *, const struct sockaddr_storage *,
	    uint16_t);
/* The local address of our first socket of a family and port. */
int	ike_io_local(struct ike_ctx *, int, uint16_t,
	    struct sockaddr_storage *);

/* Address helpers (ike_io.c). */
int	sa_addr_eq(const struct sockaddr_storage *,
	    const struct sockaddr_storage *);
const uint8_t *sa_addr_bytes(const struct sockaddr_storage *, size_t *);
int	sa_is_wildcard(const struct sockaddr_storage *);

/* ike_sa.c: the table, timers, teardown, input dispatch */
void	ike_sa_init_table(struct ike_ctx *);
void	ike_child_timers(struct ipsec_sa *);
void	ike_input(struct ike_ctx *, const struct sockaddr_storage *,
	    const struct sockaddr_storage *, uint8_t *, size_t);
struct ike_sa *ike_sa_new(struct ike_ctx *, int,
	    const struct sockaddr_storage *, const struct sockaddr_storage *);
struct ike_sa *ike_sa_find_id(struct ike_ctx *, uint32_t);
void	ike_sa_set_state(struct ike_sa *, enum ike_sa_state);
void	ike_sa_rehash(struct ike_sa *);
const char *ike_sa_state_name(enum ike_sa_state);
void	ike_sa_halfopen_end(struct ike_sa *);
int	ike_sa_halfopen_allowed(struct ike_ctx *,
	    const struct sockaddr_storage *);
/*
 * Ends an SA.  IKE_DEL_NOTIFY: Delete payloads to the peer first.
 * IKE_DEL_ADOPT: its IPsec SAs move to the peer's newest other IKE SA
 * when there is one (else they go too).  IKE_DEL_EXPIRE: with no such
 * SA they stay, under this one in state expired.  Without either, its
 * IPsec SAs end with it (SA_DEL to the parent).
 */
#define IKE_DEL_NOTIFY	0x01
#define IKE_DEL_ADOPT	0x02
#define IKE_DEL_EXPIRE	0x04
void	ike_sa_delete(struct ike_sa *, int, const char *);
/* A failed negotiation: log, audit ike.failed once, free. */
void	ike_sa_fail(struct ike_sa *, const char *, const char *, ...)
	    __attribute__((format(printf, 3, 4)));
void	ike_sa_established(struct ike_sa *, int);
void	ike_sa_store_out(struct ike_sa *, const uint8_t *, size_t, int);
void	ike_sa_send_out(struct ike_sa *);
void	ike_sa_digest(const uint8_t *, size_t, uint8_t *);
void	ike_sa_remember_msgid(struct ike_sa *, uint32_t);
int	ike_sa_seen_msgid(const struct ike_sa *, uint32_t);
void	ike_sa_peer_moved(struct ike_sa *, const struct sockaddr_storage *,
	    const struct sockaddr_storage *);
void	ike_sa_alg_name(const struct ike_sa *, char *, size_t);
const char *ike_peer_str(const struct ike_sa *, char *, size_t);
void	ike_sa_timers_established(struct ike_sa *);
void	ike_sa_free_all(struct ike_ctx *);
/* Children: add, find, remove, move between IKE SAs. */
struct ipsec_sa *ike_child_new(struct ike_sa *);
struct ipsec_sa *ike_child_find(struct ike_ctx *, uint32_t);
void	ike_child_del(struct ipsec_sa *, int, const char *);
void	ike_child_move(struct ipsec_sa *, struct ike_sa *);
void	ike_child_alg_name(const struct ike_p2 *, char *, size_t);
struct ike_sa *ike_sa_newest_for(struct ike_ctx *, const struct ike_sa *);
/* Decrypts an E message in place with iv; 0 and *plen, or -1. */
int	ike_decrypt(struct ike_sa *, uint8_t *, size_t, uint8_t *,
	    uint8_t **, size_t *);
/* Pads, finishes, encrypts a message built in an obuf with iv. */
int	ike_encrypt(struct ike_sa *, struct isakmp_wr *, uint8_t *);
uint32_t ike_msgid_new(struct ike_sa *);
void	ike_ctl_show(struct ike_ctx *, uint32_t);
int	ike_ctl_disconnect(struct ike_ctx *, uint32_t,
	    const struct ctl_target *);
void	ike_sa_expire_child(struct ike_ctx *, uint32_t, int);
void	ike_nat_mapping(struct ike_ctx *, uint32_t,
	    const struct sockaddr_storage *);

/* proposal.c: pure matching, no state (unit-tested) */
struct ike_p1_offer {
	const struct isakmp_prop	*po_prop;
	struct isakmp_xform		 po_xf;
};
/*
 * Phase 1: the first of our suites (ic_ike, in our order) the peer
 * offers in sa, with auth PSK.  0 and *out, *xf (the peer's transform,
 * to echo), *prop; -1 when none.  offered gets "3des-sha1-modp1024, ..."
 * and *legacy_hint is set when `legacy yes` would have found one.
 */
int	proposal_p1_match(const struct msg_ike_config *,
	    const struct isakmp_sa *, struct isakmp_prop *,
	    struct isakmp_xform *, struct ike_p1 *, char *, size_t, int *);
/* Reads one phase 1 transform's attributes; -1 if unusable. */
int	proposal_p1_parse(const struct isakmp_xform *, struct ike_p1 *,
	    uint16_t *);
int	proposal_p1_ours(const struct msg_ike_config *,
	    const struct ike_p1 *);
void	proposal_p1_name(const struct ike_p1 *, uint16_t, char *, size_t);
/* Phase 2 (ESP): same; nat: the IKE SA floated (UDP modes needed). */
int	proposal_p2_match(const struct msg_ike_config *,
	    const struct isakmp_sa *, int, struct isakmp_prop *,
	    struct isakmp_xform *, struct ike_p2 *, char *, size_t, int *);
int	proposal_p2_parse(const struct isakmp_xform *, struct ike_p2 *);
int	proposal_p2_ours(const struct msg_ike_config *,
	    const struct ike_p2 *);
void	proposal_p2_name(const struct ike_p2 *, char *, size_t);
int	proposal_encap_ok(uint16_t, int);
/* Key material lengths for an ESP suite (bytes); -1 if unknown. */
int	proposal_p2_keylens(const struct ike_p2 *, size_t *, size_t *);
/* Our proposals as initiator. */
void	proposal_p1_build(const struct msg_ike_config *, uint32_t,
	    struct isakmp_xform_desc *, size_t *);
void	proposal_p2_build(const struct msg_ike_config *, uint16_t,
	    uint32_t, struct isakmp_xform_desc *, size_t *);
int	proposal_group_ok(const struct msg_ike_config *, uint16_t);

/* main_mode.c */
void	main_mode_input(struct ike_ctx *, struct ike_sa *,
	    const struct isakmp_hdr *, const struct sockaddr_storage *,
	    const struct sockaddr_storage *, uint8_t *, size_t);
int	main_mode_initiate(struct ike_ctx *, const char *,
	    const struct sockaddr_storage *, int);
void	main_mode_rexmit(struct ike_sa *);

/* quick_mode.c */
void	quick_mode_input(struct ike_sa *, const struct isakmp_hdr *,
	    const struct sockaddr_storage *, const struct sockaddr_storage *,
	    uint8_t *, size_t);
int	quick_mode_initiate(struct ike_sa *, uint32_t);
void	quick_mode_spi(struct ike_ctx *, const struct msg_spi *);
void	quick_mode_sa_result(struct ike_ctx *, uint32_t, int, const char *);
void	quick_mode_free(struct ike_qm *);

/* informational.c */
void	info_input(struct ike_sa *, const struct isakmp_hdr *,
	    const struct sockaddr_storage *, const struct sockaddr_storage *,
	    uint8_t *, size_t);
void	info_plain_input(struct ike_ctx *, struct ike_sa *,
	    const struct isakmp_hdr *, const struct sockaddr_storage *,
	    uint8_t *, size_t);
int	info_send_notify(struct ike_sa *, uint8_t, const uint8_t *, size_t,
	    uint16_t, const uint8_t *, size_t);
int	info_send_delete(struct ike_sa *, uint8_t, const uint8_t *, size_t,
	    uint16_t);
void	info_send_plain_notify(struct ike_ctx *, const uint8_t *,
	    const uint8_t *, const struct sockaddr_storage *,
	    const struct sockaddr_storage *, uint16_t);
void	info_initial_contact(struct ike_sa *);
void	info_dpd_start(struct ike_sa *);
void	info_dpd_cb(int, short, void *);

/* natt.c */
enum ike_natt ike_natt_from_vids(const struct isakmp_msg *,
	    enum isakmp_vid *, int *);
uint8_t	ike_natt_natd_type(const struct ike_sa *);
uint8_t	ike_natt_natoa_type(const struct ike_sa *);
int	ike_natt_build_natd(struct ike_sa *, struct isakmp_wr *);
int	ike_natt_check_natd(struct ike_sa *, const struct isakmp_msg *,
	    const struct sockaddr_storage *, const struct sockaddr_storage *);
uint16_t ike_natt_encap_mode(const struct ike_sa *);
void	ike_natt_keepalive_start(struct ike_sa *);
void	ike_natt_keepalive_cb(int, short, void *);

#endif
