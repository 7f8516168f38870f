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

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "common/addr.h"
#include "common/cursor.h"
#include "common/log.h"
#include "ike.h"
#include "ike_dh.h"

/*
 * Quick Mode, RFC 2409 5.5, for one ESP transport-mode SA pair that
 * protects L2TP (RFC 3193: UDP/1701 on our side):
 *
 *   Initiator                          Responder
 *   HDR*, HASH(1), SA, Ni [, KE] [, IDci, IDcr] [, NAT-OAi, NAT-OAr] -->
 *        <-- HDR*, HASH(2), SA, Nr [, KE] [, IDci, IDcr] [, NAT-OA..]
 *   HDR*, HASH(3) -->
 *
 * Our SPI comes from the parent (SPI_ALLOC, answered by MSG_SPI), so
 * the responder answers QM1 once it arrives; a retransmitted QM1 in
 * between is ignored, one after QM2 gets QM2 again.  The responder
 * resends QM2 until QM3 (the last message has no answer to prompt a
 * retransmission).  KEYMAT goes to the parent in one SA_ADD and is
 * wiped here at once.
 */

#define QM_MAX_PER_SA	8	/* concurrent Quick Modes of one IKE SA */
#define L2TP_PORT	1701

static void	qm_rexmit_cb(int, short, void *);
static void	qm_timeout_cb(int, short, void *);

static struct ike_qm *
qm_find(struct ike_sa *sa, uint32_t msgid)
{
	struct ike_qm	*qm;

	TAILQ_FOREACH(qm, &sa->sa_qms, qm_entry)
		if (qm->qm_msgid == msgid)
			return (qm);
	return (NULL);
}

static struct ike_qm *
qm_new(struct ike_sa *sa, uint32_t msgid, int initiator)
{
	struct ike_ctx	*ix = sa->sa_ctx;
	struct ike_qm	*qm;
	size_t		 n = 0;

	TAILQ_FOREACH(qm, &sa->sa_qms, qm_entry)
		n++;
	if (n >= QM_MAX_PER_SA)
		return (NULL);
	if ((qm = calloc(1, sizeof(*qm))) == NULL)
		return (NULL);
	qm->qm_sa = sa;
	qm->qm_msgid = msgid;
	qm->qm_initiator = initiator;
	evtimer_set(&qm->qm_rexmit, qm_rexmit_cb, qm);
	event_base_set(ix->ix_base, &qm->qm_rexmit);
	evtimer_set(&qm->qm_timeout, qm_timeout_cb, qm);
	event_base_set(ix->ix_base, &qm->qm_timeout);
	TAILQ_INSERT_TAIL(&sa->sa_qms, qm, qm_entry);
	return (qm);
}

void
quick_mode_free(struct ike_qm *qm)
{
	struct ike_sa		*sa = qm->qm_sa;
	struct ike_spireq	*rq, *next;

	TAILQ_FOREACH_SAFE(rq, &sa->sa_ctx->ix_spireqs, rq_entry, next)
		if (rq->rq_req == qm->qm_req && qm->qm_req != 0) {
			TAILQ_REMOVE(&sa->sa_ctx->ix_spireqs, rq, rq_entry);
			free(rq);
		}
	evtimer_del(&qm->qm_rexmit);
	evtimer_del(&qm->qm_timeout);
	if (qm->qm_dh != NULL)
		ike_dh_free(qm->qm_dh);
	TAILQ_REMOVE(&sa->sa_qms, qm, qm_entry);
	ike_sa_remember_msgid(sa, qm->qm_msgid);
	free(qm->qm_out);
	explicit_bzero(qm, sizeof(*qm));
	free(qm);
}

static void
put32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = (v >> 16) & 0xff;
	p[2] = (v >> 8) & 0xff;
	p[3] = v & 0xff;
}

static uint32_t
get32(const uint8_t *p)
{
	return ((uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3]);
}

static void
timer_add(struct event *ev, time_t secs)
{
	struct timeval	 tv = { secs, 0 };

	evtimer_add(ev, &tv);
}

static void
qm_store_out(struct ike_qm *qm, const uint8_t *p, size_t len, int rexmit)
{
	uint8_t	*copy;

	evtimer_del(&qm->qm_rexmit);
	if ((copy = malloc(len)) == NULL)
		return;
	memcpy(copy, p, len);
	free(qm->qm_out);
	qm->qm_out = copy;
	qm->qm_outlen = len;
	qm->qm_tries = 0;
	qm->qm_retransmit = rexmit;
	if (rexmit)
		timer_add(&qm->qm_rexmit, IKE_RETRANSMIT_FIRST);
}

static void
qm_send_out(struct ike_qm *qm)
{
	struct ike_sa	*sa = qm->qm_sa;

	if (qm->qm_out != NULL)
		(void)ike_io_send(sa->sa_ctx, &sa->sa_local, &sa->sa_peer,
		    qm->qm_out, qm->qm_outlen);
}

static void
qm_fail(struct ike_qm *qm, const char *reason, const char *msg)
{
	struct ike_sa	*sa = qm->qm_sa;
	char		 ps[SOCKADDR_STRLEN];

	log_warnx("%s%s%sQuick Mode with %s failed: %s",
	    sa->sa_conn[0] ? "connection " : "", sa->sa_conn,
	    sa->sa_conn[0] ? ": " : "", ike_peer_str(sa, ps, sizeof(ps)),
	    msg);
	ike_audit(sa->sa_ctx, "ike.failed", sa, NULL, reason);
	quick_mode_free(qm);
}

static void
qm_rexmit_cb(int fd, short ev, void *arg)
{
	struct ike_qm	*qm = arg;

	(void)fd;
	(void)ev;
	if (++qm->qm_tries >= IKE_RETRANSMIT_TRIES) {
		qm_fail(qm, "timeout", "no answer from the peer");
		return;
	}
	qm->qm_sa->sa_ctx->ix_stats.st_retransmits++;
	qm_send_out(qm);
	timer_add(&qm->qm_rexmit, (time_t)IKE_RETRANSMIT_FIRST << qm->qm_tries);
}

static void
qm_timeout_cb(int fd, short ev, void *arg)
{
	struct ike_qm	*qm = arg;

	(void)fd;
	(void)ev;
	if (qm->qm_state == QM_DONE)
		quick_mode_free(qm);
	else
		qm_fail(qm, "timeout", "not complete in time");
}

/* Asks the parent for our SPI; the answer continues the exchange. */
static int
qm_spi_alloc(struct ike_qm *qm)
{
	struct ike_sa		*sa = qm->qm_sa;
	struct ike_ctx		*ix = sa->sa_ctx;
	struct ike_spireq	*rq;
	struct msg_spi		 ms;

	if ((rq = calloc(1, sizeof(*rq))) == NULL)
		return (-1);
	do {
		qm->qm_req = ++ix->ix_next_req;
	} while (qm->qm_req == 0);
	rq->rq_req = qm->qm_req;
	rq->rq_sa = sa->sa_id;
	rq->rq_msgid = qm->qm_msgid;
	TAILQ_INSERT_TAIL(&ix->ix_spireqs, rq, rq_entry);
	memset(&ms, 0, sizeof(ms));
	ms.sp_req = qm->qm_req;
	ms.sp_peer = sa->sa_peer;
	if (sa->sa_local.ss_family == sa->sa_peer.ss_family)
		ms.sp_local = sa->sa_local;
	return (ike_parent_send(ix, MSG_SPI_ALLOC, &ms, sizeof(ms)));
}

/* Decrypts and checks the HASH of a Quick Mode message (in place). */
static int
qm_open(struct ike_sa *sa, const struct isakmp_hdr *h, uint8_t *pkt,
    size_t len, uint8_t *iv, struct isakmp_msg *m, const char **why)
{
	struct isakmp_err	 e;
	uint8_t			*pl;
	size_t			 pllen;

	*why = "not a multiple of the cipher block";
	if (ike_decrypt(sa, pkt, len, iv, &pl, &pllen) == -1)
		return (-1);
	if (isakmp_parse_payloads(h->ih_next, pl, pllen,
	    sa->sa_keys.k_blocklen + IKE_PAD_CRYPT, m, &e) == -1) {
		*why = e.ie_why;
		return (-1);
	}
	/* RFC 2409 5.5: HASH comes first. */
	if (m->im_npl == 0 || m->im_pl[0].pl_type != ISAKMP_PL_HASH ||
	    m->im_hash[0].b_len != sa->sa_keys.k_hlen) {
		*why = "HASH is not the first payload";
		return (-1);
	}
	return (0);
}

static int
hash_ok(const struct ike_sa *sa, const uint8_t *want,
    const struct isakmp_msg *m)
{
	return (CRYPTO_memcmp(want, m->im_hash[0].b_data,
	    sa->sa_keys.k_hlen) == 0);
}

/* Sends an authenticated notify about this exchange's SA. */
static void
qm_notify(struct ike_sa *sa, const struct isakmp_msg *m, uint16_t type)
{
	struct cur		 c;
	struct isakmp_prop	 pr;

	/* RFC 2408 3.14: name the SA by the peer's proposed SPI. */
	if (m != NULL && m->im_nsa > 0) {
		isakmp_sa_props(&m->im_sa[0], &c);
		if (isakmp_prop_next(&c, &pr) == 1 && pr.pr_spisize == 4) {
			(void)info_send_notify(sa, pr.pr_proto, pr.pr_spi, 4,
			    type, NULL, 0);
			return;
		}
	}
	(void)info_send_notify(sa, ISAKMP_PROTO_ESP, NULL, 0, type, NULL, 0);
}

/*
 * RFC 3193 4 and 5: the responder's side is UDP/1701; the client's port
 * is 1701, 0 (macOS) or an ephemeral one.  Addresses are what the
 * client believes (behind a NAT its private one), so only their form is
 * checked; the SA uses the outer addresses.
 */
static const char *
qm_check_ids(const struct isakmp_id *idc, const struct isakmp_id *ids)
{
	if (idc->id_type != IPSEC_ID_IPV4_ADDR &&
	    idc->id_type != IPSEC_ID_IPV6_ADDR)
		return ("the client's selector is not one address");
	if (ids->id_type != IPSEC_ID_IPV4_ADDR &&
	    ids->id_type != IPSEC_ID_IPV6_ADDR)
		return ("our selector is not one address");
	if (idc->id_proto != IPPROTO_UDP || ids->id_proto != IPPROTO_UDP)
		return ("selectors are not UDP (L2TP only, RFC 3193)");
	if (ids->id_port != L2TP_PORT)
		return ("our selector is not port 1701");
	if (idc->id_port != 0 && idc->id_port != L2TP_PORT &&
	    idc->id_port < 1024)
		return ("the client's port is neither 1701, 0 nor "
		    "ephemeral");
	return (NULL);
}

static void
id_str(const struct isakmp_id *id, char *buf, size_t len)
{
	char	 a[64];

	if (id->id_type == IPSEC_ID_IPV4_ADDR)
		inet_ntop(AF_INET, id->id_data, a, sizeof(a));
	else if (id->id_type == IPSEC_ID_IPV6_ADDR)
		inet_ntop(AF_INET6, id->id_data, a, sizeof(a));
	else
		snprintf(a, sizeof(a), "%s", isakmp_id_name(id->id_type));
	snprintf(buf, len, "%s proto %u port %u", a, id->id_proto,
	    id->id_port);
}

static uint32_t
qm_max_life(const struct ike_ctx *ix)
{
	return (ix->ix_conf.ic_esp_lifetime != 0 ?
	    ix->ix_conf.ic_esp_lifetime : 3600);
}

/* QM1 at the responder (RFC 2409 5.5): check, choose, ask for an SPI. */
static void
qm_r_msg1(struct ike_sa *sa, const struct isakmp_hdr *h, uint8_t *pkt,
    size_t len, const uint8_t *digest, const struct sockaddr_storage *peer,
    const struct sockaddr_storage *local)
{
	static struct isakmp_msg m;
	struct ike_ctx		*ix = sa->sa_ctx;
	struct ike_qm		*qm;
	struct isakmp_prop	 pr;
	struct isakmp_xform	 xf;
	struct ike_p2		 p2;
	struct ike_chunk	 rest;
	uint8_t			 iv[IKE_BLOCK_MAXLEN];
	uint8_t			 hash[IKE_HASH_MAXLEN];
	const uint8_t		*rp;
	size_t			 rlen;
	const char		*why;
	char			 ps[SOCKADDR_STRLEN], offered[256], a[96];
	char			 b[96];
	int			 hint, nat;
	uint32_t		 peer_life;

	ike_peer_str(sa, ps, sizeof(ps));
	if (ike_iv_phase2(sa->sa_p1.p1_hash, sa->sa_p1last,
	    sa->sa_keys.k_blocklen, h->ih_msgid, iv) == -1)
		return;
	if (qm_open(sa, h, pkt, len, iv, &m, &why) == -1) {
		log_debug("IKE SA %u: Quick Mode 1 from %s dropped: %s",
		    sa->sa_id, ps, why);
		return;
	}
	isakmp_msg_after(&m, 0, &rp, &rlen);
	rest.ck_p = rp;
	rest.ck_len = rlen;
	if (ike_qm_hash1(sa->sa_p1.p1_hash, sa->sa_keys.k_skeyid_a,
	    h->ih_msgid, rest, hash) == -1 || !hash_ok(sa, hash, &m)) {
		log_warnx("IKE SA %u: Quick Mode 1 from %s with a wrong "
		    "HASH(1); dropped", sa->sa_id, ps);
		return;
	}
	/* Authenticated from here. */
	sa->sa_last_rx = time(NULL);
	sa->sa_dpd_since = 0;
	ike_sa_peer_moved(sa, peer, local);
	ike_sa_remember_msgid(sa, h->ih_msgid);
	if (m.im_nsa != 1 || m.im_nnonce != 1 || m.im_nke > 1 ||
	    (m.im_nid != 0 && m.im_nid != 2)) {
		log_warnx("IKE SA %u: Quick Mode 1 from %s malformed (payloads "
		    "missing or repeated)", sa->sa_id, ps);
		qm_notify(sa, &m, ISAKMP_N_PAYLOAD_MALFORMED);
		return;
	}
	nat = !sa->sa_floated ? 0 : sa->sa_nat_local || sa->sa_nat_peer ?
	    1 : 2;
	if (proposal_p2_match(&ix->ix_conf, &m.im_sa[0], nat, &pr,
	    &xf, &p2, offered, sizeof(offered), &hint) == -1) {
		log_warnx("IKE with %s failed: no proposal chosen (Quick "
		    "Mode): peer offered %s%s%s", ps, offered,
		    hint ? "; enable `legacy yes`" : "",
		    sa->sa_floated ? " (behind NAT: UDP-encapsulated "
		    "transport mode needed)" : " (transport mode needed)");
		ike_audit(ix, "ike.failed", sa, NULL,
		    "no proposal chosen (quick mode)");
		qm_notify(sa, &m, ISAKMP_N_NO_PROPOSAL_CHOSEN);
		return;
	}
	/* PFS: a group in the transform and a KE, both or neither. */
	if ((p2.p2_group != 0) != (m.im_nke == 1) || (m.im_nke == 1 &&
	    (m.im_ke[0].b_len != ike_dh_publen(p2.p2_group) ||
	    m.im_ke[0].b_len > sizeof(qm->qm_gx_peer) ||
	    ike_dh_check_peer(p2.p2_group, m.im_ke[0].b_data,
	    m.im_ke[0].b_len) == -1))) {
		log_warnx("IKE SA %u: Quick Mode 1 from %s: PFS group and KE "
		    "payload disagree", sa->sa_id, ps);
		qm_notify(sa, &m, ISAKMP_N_INVALID_KEY_INFORMATION);
		return;
	}
	if (m.im_nid == 0) {
		log_warnx("IKE with %s failed: Quick Mode without selectors "
		    "(L2TP needs UDP/1701 ones)", ps);
		ike_audit(ix, "ike.failed", sa, NULL, "invalid selectors");
		qm_notify(sa, &m, ISAKMP_N_INVALID_ID_INFORMATION);
		return;
	}
	if ((why = qm_check_ids(&m.im_id[0], &m.im_id[1])) != NULL ||
	    m.im_id[0].id_blen > sizeof(qm->qm_idci) ||
	    m.im_id[1].id_blen > sizeof(qm->qm_idcr)) {
		id_str(&m.im_id[0], a, sizeof(a));
		id_str(&m.im_id[1], b, sizeof(b));
		log_warnx("IKE with %s failed: Quick Mode selectors %s <-> %s "
		    "refused: %s", ps, a, b, why ? why : "too long");
		ike_audit(ix, "ike.failed", sa, NULL, "invalid selectors");
		qm_notify(sa, &m, ISAKMP_N_INVALID_ID_INFORMATION);
		return;
	}
	if (xf.xf_len > sizeof(qm->qm_xf) ||
	    (qm = qm_new(sa, h->ih_msgid, 0)) == NULL) {
		log_warnx("IKE SA %u: too many Quick Modes at once from %s",
		    sa->sa_id, ps);
		return;
	}
	memcpy(qm->qm_iv, iv, sizeof(qm->qm_iv));
	memcpy(qm->qm_lastin, digest, sizeof(qm->qm_lastin));
	qm->qm_have_lastin = 1;
	qm->qm_p2 = p2;
	qm->qm_prop_num = pr.pr_num;
	memcpy(qm->qm_xf, xf.xf_hdr, xf.xf_len);
	qm->qm_xflen = xf.xf_len;
	qm->qm_spi_out = get32(pr.pr_spi);
	memcpy(qm->qm_ni, m.im_nonce[0].b_data, m.im_nonce[0].b_len);
	qm->qm_nilen = m.im_nonce[0].b_len;
	if (m.im_nke == 1) {
		memcpy(qm->qm_gx_peer, m.im_ke[0].b_data, m.im_ke[0].b_len);
		qm->qm_gxlen = m.im_ke[0].b_len;
	}
	memcpy(qm->qm_idci, m.im_id[0].id_body, m.im_id[0].id_blen);
	qm->qm_idcilen = m.im_id[0].id_blen;
	memcpy(qm->qm_idcr, m.im_id[1].id_body, m.im_id[1].id_blen);
	qm->qm_idcrlen = m.im_id[1].id_blen;
	qm->qm_peer_port = m.im_id[0].id_port;
	/*
	 * Lifetimes (RFC 2407 4.5: 28800 s when none is proposed): ours
	 * when lower, told in a RESPONDER-LIFETIME (4.6.3.1).  Kilobyte
	 * lifetimes (Windows) are taken as proposed.
	 */
	peer_life = p2.p2_life_s != 0 ? p2.p2_life_s : IKE_DEFAULT_LIFETIME;
	qm->qm_life_s = peer_life;
	if (peer_life > qm_max_life(ix)) {
		qm->qm_life_s = qm_max_life(ix);
		qm->qm_resp_lifetime = 1;
	}
	qm->qm_life_kb = p2.p2_life_kb;
	qm->qm_state = QM_R_WAIT_SPI;
	timer_add(&qm->qm_timeout, IKE_QM_TIMEOUT);
	if (qm_spi_alloc(qm) == -1) {
		quick_mode_free(qm);
		return;
	}
	id_str(&m.im_id[0], a, sizeof(a));
	proposal_p2_name(&p2, offered, sizeof(offered));
	log_debug("IKE SA %u: Quick Mode from %s (%s), chose %s, %s", sa->sa_id,
	    ps, a, offered, ipsec_encap_name(p2.p2_encap));
}

/* NAT-OA (RFC 3947 5.2): the initiator's address, then the responder's. */
static void
qm_build_natoa(struct ike_sa *sa, struct isakmp_wr *w,
    const struct sockaddr_storage *i, const struct sockaddr_storage *r)
{
	const uint8_t	*p;
	size_t		 len;
	uint8_t		 type = ike_natt_natoa_type(sa);

	if ((p = sa_addr_bytes(i, &len)) != NULL)
		isakmp_build_natoa(w, type, len == 4 ? IPSEC_ID_IPV4_ADDR :
		    IPSEC_ID_IPV6_ADDR, p, len);
	if ((p = sa_addr_bytes(r, &len)) != NULL)
		isakmp_build_natoa(w, type, len == 4 ? IPSEC_ID_IPV4_ADDR :
		    IPSEC_ID_IPV6_ADDR, p, len);
}

static int
qm_is_udp_encap(uint16_t mode)
{
	return (mode == IPSEC_ENCAP_UDP_TRANSPORT ||
	    mode == IPSEC_ENCAP_UDP_TRANSPORT_DRAFT);
}

/* Rebuilds an ID payload from its body (type, proto, port, data). */
static void
qm_build_id_body(struct isakmp_wr *w, const uint8_t *b, size_t len)
{
	if (len < 4)
		return;
	isakmp_build_id(w, b[0], b[1], (uint16_t)(b[2] << 8 | b[3]), b + 4,
	    len - 4);
}

/* The PFS secret of this Quick Mode, or none (RFC 2409 5.5). */
static int
qm_pfs_secret(struct ike_qm *qm, uint8_t *out, size_t *len)
{
	*len = 0;
	if (qm->qm_dh == NULL)
		return (0);
	*len = ike_dh_secretlen(qm->qm_p2.p2_group);
	return (ike_dh_derive(qm->qm_dh, qm->qm_gx_peer, qm->qm_gxlen, out,
	    *len));
}

/* KEYMAT for both directions (RFC 2409 5.5) into one SA_ADD. */
static int
qm_install(struct ike_qm *qm, const uint8_t *gqm, size_t gqmlen)
{
	struct ike_sa		*sa = qm->qm_sa;
	struct ike_ctx		*ix = sa->sa_ctx;
	struct ipsec_sa		*ch;
	struct msg_sa_add	 add;
	struct ike_chunk	 g, ni, nr;
	uint8_t			 kin[2 * MSG_ESP_KEY_MAX];
	uint8_t			 kout[2 * MSG_ESP_KEY_MAX];
	uint8_t			 spi_in[4], spi_out[4];
	size_t			 elen, alen;
	int			 rv;

	if (proposal_p2_keylens(&qm->qm_p2, &elen, &alen) == -1 ||
	    elen > MSG_ESP_KEY_MAX || alen > MSG_ESP_KEY_MAX)
		return (-1);
	g.ck_p = gqm;
	g.ck_len = gqmlen;
	/* Ni_b | Nr_b whatever our role: qm_ni is the initiator's. */
	ni.ck_p = qm->qm_ni;
	ni.ck_len = qm->qm_nilen;
	nr.ck_p = qm->qm_nr;
	nr.ck_len = qm->qm_nrlen;
	put32(spi_in, qm->qm_spi_in);
	put32(spi_out, qm->qm_spi_out);
	if (ike_keymat(sa->sa_p1.p1_hash, sa->sa_keys.k_skeyid_d, g,
	    ISAKMP_PROTO_ESP, spi_in, 4, ni, nr, kin, elen + alen) == -1 ||
	    ike_keymat(sa->sa_p1.p1_hash, sa->sa_keys.k_skeyid_d, g,
	    ISAKMP_PROTO_ESP, spi_out, 4, ni, nr, kout, elen + alen) == -1) {
		explicit_bzero(kin, sizeof(kin));
		explicit_bzero(kout, sizeof(kout));
		return (-1);
	}
	if ((ch = ike_child_new(sa)) == NULL) {
		explicit_bzero(kin, sizeof(kin));
		explicit_bzero(kout, sizeof(kout));
		return (-1);
	}
	ch->ch_spi_in = qm->qm_spi_in;
	ch->ch_spi_out = qm->qm_spi_out;
	ch->ch_p2 = qm->qm_p2;
	ch->ch_life_s = qm->qm_life_s;
	ch->ch_life_kb = qm->qm_life_kb;
	ch->ch_peer_port = qm->qm_peer_port;
	ch->ch_encap = qm_is_udp_encap(qm->qm_p2.p2_encap);
	ch->ch_replaces = qm->qm_replaces;

	memset(&add, 0, sizeof(add));
	add.sa_id = ch->ch_id;
	add.sa_ike_id = sa->sa_id;
	add.sa_peer = sa->sa_peer;
	add.sa_local = sa->sa_local;
	add.sa_encap = (uint32_t)ch->ch_encap;
	add.sa_spi_in = ch->ch_spi_in;
	add.sa_spi_out = ch->ch_spi_out;
	add.sa_enc = qm->qm_p2.p2_xform;
	add.sa_enc_keylen = (uint16_t)elen;
	add.sa_auth = qm->qm_p2.p2_auth;
	add.sa_auth_keylen = (uint16_t)alen;
	/* One KEYMAT per direction: the cipher key, then the HMAC key. */
	memcpy(add.sa_enc_in, kin, elen);
	memcpy(add.sa_auth_in, kin + elen, alen);
	memcpy(add.sa_enc_out, kout, elen);
	memcpy(add.sa_auth_out, kout + elen, alen);
	add.sa_lifetime_s = ch->ch_life_s;
	add.sa_lifetime_kb = ch->ch_life_kb;
	add.sa_local_port = L2TP_PORT;
	add.sa_peer_port = ch->ch_peer_port;
	add.sa_proto = IPPROTO_UDP;
	strlcpy(add.sa_connection, sa->sa_conn, sizeof(add.sa_connection));
	rv = ike_parent_send(ix, MSG_SA_ADD, &add, sizeof(add));
	/* The keys are the parent's now; none stay here. */
	explicit_bzero(&add, sizeof(add));
	explicit_bzero(kin, sizeof(kin));
	explicit_bzero(kout, sizeof(kout));
	return (rv);
}

static void
qm_done(struct ike_qm *qm)
{
	qm->qm_state = QM_DONE;
	evtimer_del(&qm->qm_timeout);
	timer_add(&qm->qm_timeout, IKE_QM_LINGER);
	if (qm->qm_dh != NULL) {
		ike_dh_free(qm->qm_dh);
		qm->qm_dh = NULL;
	}
	explicit_bzero(qm->qm_ni, sizeof(qm->qm_ni));
	explicit_bzero(qm->qm_nr, sizeof(qm->qm_nr));
}

/* Our SPI is here: QM2 (responder). */
static void
qm_r_send2(struct ike_qm *qm)
{
	struct ike_sa		*sa = qm->qm_sa;
	struct isakmp_hdr	 h;
	struct isakmp_wr	 w;
	struct obuf		 ob, ab;
	struct isakmp_prop	 pr;
	struct isakmp_xform	 xf;
	struct ike_chunk	 ni, rest;
	uint8_t			 out[2048], spi[4], attrs[32];
	uint8_t			 gx[IKE_DH_MAXLEN];
	uint8_t			 hash[IKE_HASH_MAXLEN];
	size_t			 hoff, publen = 0;
	size_t			 hl = sa->sa_keys.k_hlen;

	arc4random_buf(qm->qm_nr, IKE_NONCE_LEN);
	qm->qm_nrlen = IKE_NONCE_LEN;
	if (qm->qm_p2.p2_group != 0) {
		publen = ike_dh_publen(qm->qm_p2.p2_group);
		if ((qm->qm_dh = ike_dh_new(qm->qm_p2.p2_group)) == NULL ||
		    ike_dh_public(qm->qm_dh, gx, publen) == -1) {
			qm_fail(qm, "internal error", "PFS key pair");
			return;
		}
	}
	put32(spi, qm->qm_spi_in);
	memset(&pr, 0, sizeof(pr));
	pr.pr_num = qm->qm_prop_num;
	pr.pr_proto = ISAKMP_PROTO_ESP;
	memset(&xf, 0, sizeof(xf));
	xf.xf_hdr = qm->qm_xf;
	xf.xf_len = qm->qm_xflen;

	memset(&h, 0, sizeof(h));
	memcpy(h.ih_icookie, sa->sa_icookie, ISAKMP_COOKIE_LEN);
	memcpy(h.ih_rcookie, sa->sa_rcookie, ISAKMP_COOKIE_LEN);
	h.ih_xchg = ISAKMP_XCHG_QUICK;
	h.ih_flags = ISAKMP_FLAG_E;
	h.ih_msgid = qm->qm_msgid;
	obuf_init(&ob, out, sizeof(out));
	isakmp_wr_header(&w, &ob, &h);
	hoff = isakmp_build_hash(&w, NULL, hl);
	isakmp_build_sa_reply(&w, ISAKMP_DOI_IPSEC, IPSEC_SIT_IDENTITY_ONLY,
	    &pr, &xf, spi, 4);
	isakmp_build_nonce(&w, qm->qm_nr, qm->qm_nrlen);
	if (qm->qm_dh != NULL)
		isakmp_build_ke(&w, gx, publen);
	qm_build_id_body(&w, qm->qm_idci, qm->qm_idcilen);
	qm_build_id_body(&w, qm->qm_idcr, qm->qm_idcrlen);
	if (qm_is_udp_encap(qm->qm_p2.p2_encap))
		qm_build_natoa(sa, &w, &sa->sa_peer, &sa->sa_local);
	if (qm->qm_resp_lifetime) {
		obuf_init(&ab, attrs, sizeof(attrs));
		isakmp_build_attr(&ab, IPSEC_ATTR_LIFE_TYPE, IKE_LIFE_SECONDS);
		isakmp_build_attr(&ab, IPSEC_ATTR_LIFE_DUR, qm->qm_life_s);
		if (qm->qm_life_kb != 0) {
			isakmp_build_attr(&ab, IPSEC_ATTR_LIFE_TYPE,
			    IKE_LIFE_KILOBYTES);
			isakmp_build_attr(&ab, IPSEC_ATTR_LIFE_DUR,
			    qm->qm_life_kb);
		}
		isakmp_build_notify(&w, ISAKMP_DOI_IPSEC, ISAKMP_PROTO_ESP,
		    spi, 4, IPSEC_N_RESPONDER_LIFETIME, attrs, ab.o_len);
	}
	isakmp_wr_end(&w);
	if (obuf_error(&ob)) {
		qm_fail(qm, "internal error", "Quick Mode 2 too large");
		return;
	}
	/* HASH(2) = prf(SKEYID_a, M-ID | Ni_b | rest). */
	ni.ck_p = qm->qm_ni;
	ni.ck_len = qm->qm_nilen;
	rest.ck_p = out + hoff + hl;
	rest.ck_len = ob.o_len - hoff - hl;
	if (ike_qm_hash2(sa->sa_p1.p1_hash, sa->sa_keys.k_skeyid_a,
	    qm->qm_msgid, ni, rest, hash) == -1)
		return;
	memcpy(out + hoff, hash, hl);
	if (ike_encrypt(sa, &w, qm->qm_iv) == -1) {
		qm_fail(qm, "internal error", "cannot encrypt Quick Mode 2");
		return;
	}
	qm->qm_state = QM_R_SENT;
	qm_store_out(qm, out, ob.o_len, 1);
	qm_send_out(qm);
}

/* QM3 at the responder: HASH(3), then the SA pair goes to the parent. */
static void
qm_r_msg3(struct ike_qm *qm, const struct isakmp_hdr *h, uint8_t *pkt,
    size_t len, const uint8_t *digest)
{
	static struct isakmp_msg m;
	struct ike_sa		*sa = qm->qm_sa;
	struct ike_chunk	 ni, nr;
	uint8_t			 iv[IKE_BLOCK_MAXLEN];
	uint8_t			 hash[IKE_HASH_MAXLEN];
	uint8_t			 gqm[IKE_DH_MAXLEN];
	size_t			 gqmlen;
	const char		*why;
	char			 ps[SOCKADDR_STRLEN];

	memcpy(iv, qm->qm_iv, sizeof(iv));
	if (qm_open(sa, h, pkt, len, iv, &m, &why) == -1)
		return;
	ni.ck_p = qm->qm_ni;
	ni.ck_len = qm->qm_nilen;
	nr.ck_p = qm->qm_nr;
	nr.ck_len = qm->qm_nrlen;
	if (ike_qm_hash3(sa->sa_p1.p1_hash, sa->sa_keys.k_skeyid_a,
	    qm->qm_msgid, ni, nr, hash) == -1 || !hash_ok(sa, hash, &m)) {
		log_warnx("IKE SA %u: Quick Mode 3 from %s with a wrong "
		    "HASH(3); dropped", sa->sa_id,
		    ike_peer_str(sa, ps, sizeof(ps)));
		return;
	}
	sa->sa_last_rx = time(NULL);
	sa->sa_dpd_since = 0;
	memcpy(qm->qm_lastin, digest, sizeof(qm->qm_lastin));
	evtimer_del(&qm->qm_rexmit);
	qm->qm_retransmit = 0;
	if (qm_pfs_secret(qm, gqm, &gqmlen) == -1 ||
	    qm_install(qm, gqm, gqmlen) == -1) {
		explicit_bzero(gqm, sizeof(gqm));
		qm_fail(qm, "internal error", "cannot derive the ESP keys");
		return;
	}
	explicit_bzero(gqm, sizeof(gqm));
	qm_done(qm);
}

/* The initiator: QM for UDP/1701 (RFC 3193), optionally a rekey. */
int
quick_mode_initiate(struct ike_sa *sa, uint32_t replaces)
{
	struct ike_qm	*qm;

	if (sa->sa_state != IKE_SA_ESTABLISHED)
		return (-1);
	if ((qm = qm_new(sa, ike_msgid_new(sa), 1)) == NULL)
		return (-1);
	qm->qm_state = QM_I_WAIT_SPI;
	qm->qm_replaces = replaces;
	timer_add(&qm->qm_timeout, IKE_QM_TIMEOUT);
	if (qm_spi_alloc(qm) == -1) {
		quick_mode_free(qm);
		return (-1);
	}
	return (0);
}

static size_t
qm_id_body(const struct sockaddr_storage *ss, uint8_t *b, size_t cap)
{
	const uint8_t	*ip;
	size_t		 iplen;

	if ((ip = sa_addr_bytes(ss, &iplen)) == NULL || cap < 4 + iplen)
		return (0);
	b[0] = iplen == 4 ? IPSEC_ID_IPV4_ADDR : IPSEC_ID_IPV6_ADDR;
	b[1] = IPPROTO_UDP;
	b[2] = L2TP_PORT >> 8;
	b[3] = L2TP_PORT & 0xff;
	memcpy(b + 4, ip, iplen);
	return (4 + iplen);
}

/* Our SPI is here: QM1 (initiator). */
static void
qm_i_send1(struct ike_qm *qm)
{
	struct ike_sa		*sa = qm->qm_sa;
	struct ike_ctx		*ix = sa->sa_ctx;
	struct isakmp_hdr	 h;
	struct isakmp_wr	 w;
	struct obuf		 ob;
	struct isakmp_xform_desc xds[MSG_MAX_SUITES];
	struct isakmp_prop_desc	 pd;
	struct isakmp_sa_desc	 sd;
	struct ike_chunk	 rest;
	uint8_t			 out[2048], hash[IKE_HASH_MAXLEN];
	size_t			 hoff, hl = sa->sa_keys.k_hlen, nx;
	uint16_t		 encap;

	encap = sa->sa_floated && sa->sa_natt != IKE_NATT_NONE ?
	    ike_natt_encap_mode(sa) :
	    IPSEC_ENCAP_TRANSPORT;
	qm->qm_p2.p2_encap = encap;
	arc4random_buf(qm->qm_ni, IKE_NONCE_LEN);
	qm->qm_nilen = IKE_NONCE_LEN;
	qm->qm_idcilen = qm_id_body(&sa->sa_local, qm->qm_idci,
	    sizeof(qm->qm_idci));
	qm->qm_idcrlen = qm_id_body(&sa->sa_peer, qm->qm_idcr,
	    sizeof(qm->qm_idcr));
	qm->qm_peer_port = L2TP_PORT;
	qm->qm_life_s = qm_max_life(ix);

	proposal_p2_build(&ix->ix_conf, encap, qm->qm_life_s, xds, &nx);
	memset(&pd, 0, sizeof(pd));
	pd.pd_num = 1;
	pd.pd_proto = ISAKMP_PROTO_ESP;
	pd.pd_spisize = 4;
	put32(pd.pd_spi, qm->qm_spi_in);
	pd.pd_nxforms = nx;
	pd.pd_xforms = xds;
	memset(&sd, 0, sizeof(sd));
	sd.sd_doi = ISAKMP_DOI_IPSEC;
	sd.sd_sit = IPSEC_SIT_IDENTITY_ONLY;
	sd.sd_nprops = 1;
	sd.sd_props = &pd;

	memset(&h, 0, sizeof(h));
	memcpy(h.ih_icookie, sa->sa_icookie, ISAKMP_COOKIE_LEN);
	memcpy(h.ih_rcookie, sa->sa_rcookie, ISAKMP_COOKIE_LEN);
	h.ih_xchg = ISAKMP_XCHG_QUICK;
	h.ih_flags = ISAKMP_FLAG_E;
	h.ih_msgid = qm->qm_msgid;
	obuf_init(&ob, out, sizeof(out));
	isakmp_wr_header(&w, &ob, &h);
	hoff = isakmp_build_hash(&w, NULL, hl);
	isakmp_build_sa(&w, &sd);
	isakmp_build_nonce(&w, qm->qm_ni, qm->qm_nilen);
	qm_build_id_body(&w, qm->qm_idci, qm->qm_idcilen);
	qm_build_id_body(&w, qm->qm_idcr, qm->qm_idcrlen);
	if (qm_is_udp_encap(encap))
		qm_build_natoa(sa, &w, &sa->sa_local, &sa->sa_peer);
	isakmp_wr_end(&w);
	if (obuf_error(&ob) || nx == 0) {
		qm_fail(qm, "internal error", "cannot build Quick Mode 1");
		return;
	}
	rest.ck_p = out + hoff + hl;
	rest.ck_len = ob.o_len - hoff - hl;
	if (ike_qm_hash1(sa->sa_p1.p1_hash, sa->sa_keys.k_skeyid_a,
	    qm->qm_msgid, rest, hash) == -1)
		return;
	memcpy(out + hoff, hash, hl);
	if (ike_iv_phase2(sa->sa_p1.p1_hash, sa->sa_p1last,
	    sa->sa_keys.k_blocklen, qm->qm_msgid, qm->qm_iv) == -1 ||
	    ike_encrypt(sa, &w, qm->qm_iv) == -1) {
		qm_fail(qm, "internal error", "cannot encrypt Quick Mode 1");
		return;
	}
	qm->qm_state = QM_I_SENT;
	qm_store_out(qm, out, ob.o_len, 1);
	qm_send_out(qm);
}

/* RESPONDER-LIFETIME (RFC 2407 4.6.3.1): the responder's lower values. */
static void
qm_responder_lifetime(struct ike_qm *qm, const struct isakmp_notify *n)
{
	struct cur		 c;
	struct isakmp_attr	 at;
	uint64_t		 v;
	uint16_t		 type = 0;

	cur_init(&c, n->n_data, n->n_dlen);
	while (isakmp_attr_next(&c, &at) == 1) {
		if (isakmp_attr_uint(&at, &v) == -1)
			return;
		if (at.at_type == IPSEC_ATTR_LIFE_TYPE)
			type = (uint16_t)v;
		else if (at.at_type == IPSEC_ATTR_LIFE_DUR && v != 0) {
			if (type == IKE_LIFE_SECONDS && v < qm->qm_life_s)
				qm->qm_life_s = (uint32_t)v;
			else if (type == IKE_LIFE_KILOBYTES &&
			    (qm->qm_life_kb == 0 || v < qm->qm_life_kb))
				qm->qm_life_kb = v;
		}
	}
}

/* QM2 at the initiator: check the choice, answer QM3, install. */
static void
qm_i_msg2(struct ike_qm *qm, const struct isakmp_hdr *h, uint8_t *pkt,
    size_t len, const uint8_t *digest, const struct sockaddr_storage *peer,
    const struct sockaddr_storage *local)
{
	static struct isakmp_msg m;
	struct ike_sa		*sa = qm->qm_sa;
	struct ike_ctx		*ix = sa->sa_ctx;
	struct isakmp_prop	 pr;
	struct isakmp_xform	 xf;
	struct ike_p2		 p2;
	struct cur		 c, xc;
	struct ike_chunk	 ni, nr, rest;
	struct isakmp_hdr	 rh;
	struct isakmp_wr	 w;
	struct obuf		 ob;
	uint8_t			 iv[IKE_BLOCK_MAXLEN];
	uint8_t			 hash[IKE_HASH_MAXLEN];
	uint8_t			 out[256];
	const uint8_t		*rp;
	size_t			 rlen, i, hl = sa->sa_keys.k_hlen;
	const char		*why;
	char			 ps[SOCKADDR_STRLEN], name[64];

	ike_peer_str(sa, ps, sizeof(ps));
	memcpy(iv, qm->qm_iv, sizeof(iv));
	if (qm_open(sa, h, pkt, len, iv, &m, &why) == -1)
		return;
	ni.ck_p = qm->qm_ni;
	ni.ck_len = qm->qm_nilen;
	isakmp_msg_after(&m, 0, &rp, &rlen);
	rest.ck_p = rp;
	rest.ck_len = rlen;
	if (ike_qm_hash2(sa->sa_p1.p1_hash, sa->sa_keys.k_skeyid_a,
	    qm->qm_msgid, ni, rest, hash) == -1 || !hash_ok(sa, hash, &m)) {
		log_warnx("IKE SA %u: Quick Mode 2 from %s with a wrong "
		    "HASH(2); dropped", sa->sa_id, ps);
		return;
	}
	sa->sa_last_rx = time(NULL);
	sa->sa_dpd_since = 0;
	ike_sa_peer_moved(sa, peer, local);
	memcpy(qm->qm_iv, iv, sizeof(qm->qm_iv));
	if (m.im_nsa != 1 || m.im_nnonce != 1 || m.im_nke != 0 ||
	    m.im_sa[0].sa_nprops != 1) {
		qm_fail(qm, "bad proposal", "the responder's Quick Mode 2 "
		    "does not carry one proposal and a nonce (or sends PFS "
		    "we did not ask for)");
		return;
	}
	isakmp_sa_props(&m.im_sa[0], &c);
	if (isakmp_prop_next(&c, &pr) != 1 || pr.pr_proto !=
	    ISAKMP_PROTO_ESP || pr.pr_spisize != 4 || pr.pr_nxforms != 1) {
		qm_fail(qm, "bad proposal", "the responder did not choose "
		    "one ESP transform");
		return;
	}
	isakmp_prop_xforms(&pr, &xc);
	if (isakmp_xform_next(&xc, &xf) != 1 ||
	    proposal_p2_parse(&xf, &p2) == -1 ||
	    !proposal_p2_ours(&ix->ix_conf, &p2) ||
	    p2.p2_encap != qm->qm_p2.p2_encap || p2.p2_group != 0) {
		qm_fail(qm, "bad proposal", "the responder chose an ESP "
		    "transform we did not offer");
		return;
	}
	if (m.im_nid == 2 && (m.im_id[0].id_blen != qm->qm_idcilen ||
	    memcmp(m.im_id[0].id_body, qm->qm_idci, qm->qm_idcilen) != 0 ||
	    m.im_id[1].id_blen != qm->qm_idcrlen ||
	    memcmp(m.im_id[1].id_body, qm->qm_idcr, qm->qm_idcrlen) != 0)) {
		qm_fail(qm, "invalid selectors", "the responder changed the "
		    "selectors");
		return;
	}
	p2.p2_life_s = qm->qm_life_s;
	qm->qm_p2 = p2;
	qm->qm_spi_out = get32(pr.pr_spi);
	memcpy(qm->qm_nr, m.im_nonce[0].b_data, m.im_nonce[0].b_len);
	qm->qm_nrlen = m.im_nonce[0].b_len;
	for (i = 0; i < m.im_nn; i++)
		if (m.im_n[i].n_type == IPSEC_N_RESPONDER_LIFETIME)
			qm_responder_lifetime(qm, &m.im_n[i]);

	/* QM3: HASH(3) = prf(SKEYID_a, 0 | M-ID | Ni_b | Nr_b). */
	nr.ck_p = qm->qm_nr;
	nr.ck_len = qm->qm_nrlen;
	if (ike_qm_hash3(sa->sa_p1.p1_hash, sa->sa_keys.k_skeyid_a,
	    qm->qm_msgid, ni, nr, hash) == -1)
		return;
	memset(&rh, 0, sizeof(rh));
	memcpy(rh.ih_icookie, sa->sa_icookie, ISAKMP_COOKIE_LEN);
	memcpy(rh.ih_rcookie, sa->sa_rcookie, ISAKMP_COOKIE_LEN);
	rh.ih_xchg = ISAKMP_XCHG_QUICK;
	rh.ih_flags = ISAKMP_FLAG_E;
	rh.ih_msgid = qm->qm_msgid;
	obuf_init(&ob, out, sizeof(out));
	isakmp_wr_header(&w, &ob, &rh);
	(void)isakmp_build_hash(&w, hash, hl);
	if (ike_encrypt(sa, &w, qm->qm_iv) == -1)
		return;
	memcpy(qm->qm_lastin, digest, sizeof(qm->qm_lastin));
	qm->qm_have_lastin = 1;
	qm_store_out(qm, out, ob.o_len, 0);
	qm_send_out(qm);
	if (qm_install(qm, NULL, 0) == -1) {
		qm_fail(qm, "internal error", "cannot derive the ESP keys");
		return;
	}
	ike_child_alg_name(&p2, name, sizeof(name));
	log_debug("IKE SA %u: Quick Mode with %s done: %s, spi in %08x out "
	    "%08x", sa->sa_id, ps, name, qm->qm_spi_in, qm->qm_spi_out);
	qm_done(qm);
}

void
quick_mode_input(struct ike_sa *sa, const struct isakmp_hdr *h,
    const struct sockaddr_storage *peer, const struct sockaddr_storage *local,
    uint8_t *pkt, size_t len)
{
	struct ike_qm	*qm;
	uint8_t		 digest[IKE_HASH_MAXLEN];

	if (sa->sa_state != IKE_SA_ESTABLISHED ||
	    !(h->ih_flags & ISAKMP_FLAG_E) || h->ih_msgid == 0 ||
	    !sa_addr_eq(peer, &sa->sa_peer))
		return;
	ike_sa_digest(pkt, len, digest);
	if ((qm = qm_find(sa, h->ih_msgid)) == NULL) {
		/* A new exchange; a finished one's retransmit is dropped. */
		if (ike_sa_seen_msgid(sa, h->ih_msgid))
			return;
		qm_r_msg1(sa, h, pkt, len, digest, peer, local);
		return;
	}
	if (qm->qm_have_lastin &&
	    memcmp(digest, qm->qm_lastin, IKE_HASH_MAXLEN) == 0) {
		/* The peer did not get our answer: the same one again. */
		if (qm->qm_state == QM_R_SENT ||
		    (qm->qm_state == QM_DONE && qm->qm_initiator)) {
			sa->sa_ctx->ix_stats.st_retransmits++;
			log_debug("IKE SA %u: retransmitted Quick Mode message "
			    "%08x: stored reply sent again", sa->sa_id,
			    qm->qm_msgid);
			qm_send_out(qm);
		}
		return;
	}
	/* RFC 2409 5.5; states in ike.h. */
	switch (qm->qm_state) {
	case QM_R_SENT:
		qm_r_msg3(qm, h, pkt, len, digest);
		break;
	case QM_I_SENT:
		qm_i_msg2(qm, h, pkt, len, digest, peer, local);
		break;
	default:
		log_debug("IKE SA %u: Quick Mode message %08x in state %d "
		    "dropped", sa->sa_id, h->ih_msgid, qm->qm_state);
		break;
	}
}

/* MSG_SPI: the parent's answer to SPI_ALLOC. */
void
quick_mode_spi(struct ike_ctx *ix, const struct msg_spi *ms)
{
	struct ike_spireq	*rq;
	struct ike_sa		*sa;
	struct ike_qm		*qm;

	TAILQ_FOREACH(rq, &ix->ix_spireqs, rq_entry)
		if (rq->rq_req == ms->sp_req)
			break;
	if (rq == NULL)
		return;
	TAILQ_REMOVE(&ix->ix_spireqs, rq, rq_entry);
	sa = ike_sa_find_id(ix, rq->rq_sa);
	qm = sa != NULL ? qm_find(sa, rq->rq_msgid) : NULL;
	free(rq);
	if (qm == NULL || qm->qm_req != ms->sp_req)
		return;	/* gone meanwhile; the SPI expires unused */
	qm->qm_req = 0;
	qm->qm_spi_in = ms->sp_spi;
	if (qm->qm_state == QM_R_WAIT_SPI)
		qm_r_send2(qm);
	else if (qm->qm_state == QM_I_WAIT_SPI)
		qm_i_send1(qm);
}

/* MSG_SA_ADD_OK / MSG_SA_ADD_FAIL. */
void
quick_mode_sa_result(struct ike_ctx *ix, uint32_t id, int ok,
    const char *reason)
{
	struct ipsec_sa	*ch, *old;
	struct ike_sa	*sa;
	char		 ps[SOCKADDR_STRLEN], alg[48];

	if ((ch = ike_child_find(ix, id)) == NULL)
		return;
	sa = ch->ch_ike;
	ike_peer_str(sa, ps, sizeof(ps));
	if (!ok) {
		log_warnx("IPsec SA %u with %s refused by the parent: %s", id,
		    ps, reason);
		ike_audit(ix, "ike.failed", sa, NULL, reason);
		ike_child_del(ch, 1, "refused by the parent");
		return;
	}
	ch->ch_state = CHILD_INSTALLED;
	ike_child_alg_name(&ch->ch_p2, alg, sizeof(alg));
	log_info("IPsec SA %u established with %s: ESP %s%s, spi in %08x out "
	    "%08x, UDP/1701 <-> port %u, lifetime %us%s", id, ps, alg,
	    ch->ch_encap ? " in UDP" : "", ch->ch_spi_in, ch->ch_spi_out,
	    ch->ch_peer_port, ch->ch_life_s, ch->ch_life_kb ? " (and bytes)" :
	    "");
	ike_child_timers(ch);
	if (ch->ch_replaces != 0 &&
	    (old = ike_child_find(ix, ch->ch_replaces)) != NULL)
		ike_child_del(old, 1, "rekeyed");
}
