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


#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>

#include "common/addr.h"
#include "common/cursor.h"
#include "common/log.h"
#include "ike.h"

/*
 * Informational exchanges (RFC 2408 4.8, RFC 2409 5.7): once the IKE SA
 * is up they are encrypted and carry HASH(1) = prf(SKEYID_a, M-ID |
 * N/D); anything else is dropped unread.  They carry Delete (RFC 2408
 * 3.15), INITIAL-CONTACT (RFC 2407 4.6.3.3) and DPD (RFC 3706).  Before
 * the SA is up a peer may only send plain error notifies, which end a
 * negotiation of ours but nothing established.
 */

static uint32_t
get32(const uint8_t *p)
{
	return ((uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3]);
}

/* One encrypted informational with the payloads a callback writes. */
static int
info_send(struct ike_sa *sa, void (*fill)(struct isakmp_wr *, void *),
    void *arg)
{
	struct isakmp_hdr	 h;
	struct isakmp_wr	 w;
	struct obuf		 ob;
	struct ike_chunk	 rest;
	uint8_t			 out[1024], iv[IKE_BLOCK_MAXLEN];
	uint8_t			 hash[IKE_HASH_MAXLEN];
	size_t			 hoff, hl = sa->sa_keys.k_hlen;

	if (sa->sa_state != IKE_SA_ESTABLISHED || hl == 0)
		return (-1);
	memset(&h, 0, sizeof(h));
	memcpy(h.ih_icookie, sa->sa_icookie, ISAKMP_COOKIE_LEN);
	memcpy(h.ih_rcookie, sa->sa_rcookie, ISAKMP_COOKIE_LEN);
	h.ih_xchg = ISAKMP_XCHG_INFO;
	h.ih_flags = ISAKMP_FLAG_E;
	h.ih_msgid = ike_msgid_new(sa);
	obuf_init(&ob, out, sizeof(out));
	isakmp_wr_header(&w, &ob, &h);
	hoff = isakmp_build_hash(&w, NULL, hl);
	fill(&w, arg);
	isakmp_wr_end(&w);
	if (obuf_error(&ob))
		return (-1);
	rest.ck_p = out + hoff + hl;
	rest.ck_len = ob.o_len - hoff - hl;
	if (ike_qm_hash1(sa->sa_p1.p1_hash, sa->sa_keys.k_skeyid_a,
	    h.ih_msgid, rest, hash) == -1)
		return (-1);
	memcpy(out + hoff, hash, hl);
	/* RFC 2409 Appendix B: IV from the last phase 1 block and M-ID. */
	if (ike_iv_phase2(sa->sa_p1.p1_hash, sa->sa_p1last,
	    sa->sa_keys.k_blocklen, h.ih_msgid, iv) == -1 ||
	    ike_encrypt(sa, &w, iv) == -1)
		return (-1);
	ike_sa_remember_msgid(sa, h.ih_msgid);
	return (ike_io_send(sa->sa_ctx, &sa->sa_local, &sa->sa_peer, out,
	    ob.o_len));
}

struct info_n {
	uint8_t		 proto;
	const uint8_t	*spi;
	size_t		 spisize;
	uint16_t	 type;
	const uint8_t	*data;
	size_t		 dlen;
};

static void
fill_notify(struct isakmp_wr *w, void *arg)
{
	struct info_n	*n = arg;

	isakmp_build_notify(w, ISAKMP_DOI_IPSEC, n->proto, n->spi,
	    (uint8_t)n->spisize, n->type, n->data, n->dlen);
}

int
info_send_notify(struct ike_sa *sa, uint8_t proto, const uint8_t *spi,
    size_t spisize, uint16_t type, const uint8_t *data, size_t dlen)
{
	struct info_n	 n;

	n.proto = proto;
	n.spi = spi;
	n.spisize = spi != NULL ? spisize : 0;
	n.type = type;
	n.data = data;
	n.dlen = dlen;
	return (info_send(sa, fill_notify, &n));
}

struct info_d {
	uint8_t		 proto;
	const uint8_t	*spis;
	size_t		 spisize;
	uint16_t	 nspi;
};

static void
fill_delete(struct isakmp_wr *w, void *arg)
{
	struct info_d	*d = arg;

	isakmp_build_delete(w, ISAKMP_DOI_IPSEC, d->proto,
	    (uint8_t)d->spisize, d->nspi, d->spis);
}

int
info_send_delete(struct ike_sa *sa, uint8_t proto, const uint8_t *spis,
    size_t spisize, uint16_t nspi)
{
	struct info_d	 d;

	d.proto = proto;
	d.spis = spis;
	d.spisize = spisize;
	d.nspi = nspi;
	return (info_send(sa, fill_delete, &d));
}

/*
 * A plain notify in the clear (RFC 2408 5: a negotiation we refuse).
 * Few per second at most: it answers unauthenticated packets, and must
 * not make us an amplifier.
 */
void
info_send_plain_notify(struct ike_ctx *ix, const uint8_t *icookie,
    const uint8_t *rcookie, const struct sockaddr_storage *local,
    const struct sockaddr_storage *peer, uint16_t type)
{
	static time_t		 at;
	static unsigned int	 n;
	struct isakmp_hdr	 h;
	struct isakmp_wr	 w;
	struct obuf		 ob;
	uint8_t			 out[128];
	time_t			 now = time(NULL);

	if (now != at) {
		at = now;
		n = 0;
	}
	if (++n > 10)
		return;
	memset(&h, 0, sizeof(h));
	memcpy(h.ih_icookie, icookie, ISAKMP_COOKIE_LEN);
	if (rcookie != NULL)
		memcpy(h.ih_rcookie, rcookie, ISAKMP_COOKIE_LEN);
	h.ih_xchg = ISAKMP_XCHG_INFO;
	obuf_init(&ob, out, sizeof(out));
	isakmp_wr_header(&w, &ob, &h);
	isakmp_build_notify(&w, ISAKMP_DOI_IPSEC, ISAKMP_PROTO_ISAKMP, NULL,
	    0, type, NULL, 0);
	isakmp_wr_finish(&w);
	if (!obuf_error(&ob))
		(void)ike_io_send(ix, local, peer, out, ob.o_len);
}

/*
 * INITIAL-CONTACT: the peer has no other SA with us, so the ones we hold
 * for it are stale.  "It" is the same outer address and port and the
 * same identity: clients behind one NAT share an address and often an
 * identity (their private address), and must not cut each other off
 * (RFC 3947 6 warns against going by address alone).
 */
void
info_initial_contact(struct ike_sa *sa)
{
	struct ike_ctx	*ix = sa->sa_ctx;
	struct ike_sa	*o, *next;

	TAILQ_FOREACH_SAFE(o, &ix->ix_sas, sa_entry, next) {
		/*
		 * Only SAs older than this one: a replayed INITIAL-CONTACT
		 * of an old SA must not end the peer's newer ones.
		 */
		if (o == sa || (o->sa_state != IKE_SA_ESTABLISHED &&
		    o->sa_state != IKE_SA_EXPIRED) ||
		    o->sa_established > sa->sa_established ||
		    (o->sa_established == sa->sa_established &&
		    o->sa_id > sa->sa_id) ||
		    sockaddr_cmp(&o->sa_peer, &sa->sa_peer) != 0 ||
		    o->sa_peer_idtype != sa->sa_peer_idtype ||
		    o->sa_peer_idlen != sa->sa_peer_idlen ||
		    memcmp(o->sa_peer_id, sa->sa_peer_id,
		    sa->sa_peer_idlen) != 0)
			continue;
		ike_sa_delete(o, 0, "replaced: the peer sent INITIAL-CONTACT");
	}
}

/* RFC 3706 5.3: R-U-THERE and its ACK name the IKE SA by its cookies. */
static void
info_dpd_send(struct ike_sa *sa, uint16_t type, uint32_t seq)
{
	uint8_t	 spi[2 * ISAKMP_COOKIE_LEN], data[4];

	memcpy(spi, sa->sa_icookie, ISAKMP_COOKIE_LEN);
	memcpy(spi + ISAKMP_COOKIE_LEN, sa->sa_rcookie, ISAKMP_COOKIE_LEN);
	data[0] = seq >> 24;
	data[1] = (seq >> 16) & 0xff;
	data[2] = (seq >> 8) & 0xff;
	data[3] = seq & 0xff;
	(void)info_send_notify(sa, ISAKMP_PROTO_ISAKMP, spi, sizeof(spi),
	    type, data, sizeof(data));
}

static time_t
dpd_timeout(const struct ike_sa *sa)
{
	const struct msg_ike_config *ic = &sa->sa_ctx->ix_conf;

	return (ic->ic_dpd_timeout != 0 ? ic->ic_dpd_timeout :
	    4 * (time_t)ic->ic_dpd_delay);
}

/*
 * RFC 3706 5.5: ask only when the peer has been quiet for `dpd delay`
 * (we see only IKE traffic: ESP is the data path's); resend every few
 * seconds; a peer silent for `dpd timeout` is dead and its SAs go.
 */
void
info_dpd_cb(int fd, short ev, void *arg)
{
	struct ike_sa	*sa = arg;
	time_t		 now = time(NULL), delay, idle;
	struct timeval	 tv = { 0, 0 };
	char		 ps[SOCKADDR_STRLEN], why[96];

	(void)fd;
	(void)ev;
	delay = sa->sa_ctx->ix_conf.ic_dpd_delay;
	if (sa->sa_state != IKE_SA_ESTABLISHED || delay == 0 || !sa->sa_dpd)
		return;
	if (sa->sa_dpd_since == 0) {
		idle = now - sa->sa_last_rx;
		if (idle < delay) {
			tv.tv_sec = delay - idle;
			evtimer_add(&sa->sa_dpd_ev, &tv);
			return;
		}
		sa->sa_dpd_since = now;
		sa->sa_dpd_first = sa->sa_dpd_seq + 1;
	} else if (now - sa->sa_dpd_since >= dpd_timeout(sa)) {
		log_warnx("IKE SA %u: peer %s is dead (no answer to DPD for "
		    "%lld s); its SAs go down", sa->sa_id,
		    ike_peer_str(sa, ps, sizeof(ps)),
		    (long long)(now - sa->sa_dpd_since));
		snprintf(why, sizeof(why), "dead peer (no DPD answer for "
		    "%lld s)", (long long)(now - sa->sa_dpd_since));
		ike_sa_delete(sa, 0, why);
		return;
	}
	sa->sa_dpd_seq = (sa->sa_dpd_seq + 1) & 0x7fffffff;
	info_dpd_send(sa, DPD_N_R_U_THERE, sa->sa_dpd_seq);
	tv.tv_sec = delay < IKE_DPD_RETRY ? delay : IKE_DPD_RETRY;
	evtimer_add(&sa->sa_dpd_ev, &tv);
}

void
info_dpd_start(struct ike_sa *sa)
{
	struct timeval	 tv = { 0, 0 };

	if (sa->sa_ctx->ix_conf.ic_dpd_delay == 0 || !sa->sa_dpd)
		return;
	/* RFC 3706 6.2: a random start below 2^31 keeps room to count. */
	sa->sa_dpd_seq = arc4random() & 0x3fffffff;
	tv.tv_sec = sa->sa_ctx->ix_conf.ic_dpd_delay;
	evtimer_add(&sa->sa_dpd_ev, &tv);
}

static int
cookies_are(const struct ike_sa *sa, const uint8_t *spi)
{
	return (memcmp(spi, sa->sa_icookie, ISAKMP_COOKIE_LEN) == 0 &&
	    memcmp(spi + ISAKMP_COOKIE_LEN, sa->sa_rcookie,
	    ISAKMP_COOKIE_LEN) == 0);
}

static void
info_notify(struct ike_sa *sa, const struct isakmp_notify *n, int *ic)
{
	struct ike_qm	*qm, *qnext;
	uint32_t	 seq;
	char		 ps[SOCKADDR_STRLEN];

	ike_peer_str(sa, ps, sizeof(ps));
	switch (n->n_type) {
	case DPD_N_R_U_THERE:
		if (n->n_dlen != 4 || n->n_spisize != 16 ||
		    !cookies_are(sa, n->n_spi))
			return;
		log_debug("IKE SA %u: R-U-THERE %u from %s, answered",
		    sa->sa_id, get32(n->n_data), ps);
		info_dpd_send(sa, DPD_N_R_U_THERE_ACK, get32(n->n_data));
		return;
	case DPD_N_R_U_THERE_ACK:
		if (n->n_dlen != 4 || sa->sa_dpd_since == 0)
			return;
		seq = get32(n->n_data);
		/* RFC 3706 6.1: only an answer to what we asked counts. */
		if (seq - sa->sa_dpd_first <= sa->sa_dpd_seq -
		    sa->sa_dpd_first) {
			log_debug("IKE SA %u: R-U-THERE-ACK %u from %s",
			    sa->sa_id, seq, ps);
			sa->sa_dpd_since = 0;
		}
		return;
	case IPSEC_N_INITIAL_CONTACT:
		*ic = 1;
		return;
	default:
		break;
	}
	log_notice("IKE SA %u: %s says %s", sa->sa_id, ps,
	    isakmp_notify_name(n->n_type));
	/* An error about a Quick Mode of ours names our SPI: it failed. */
	if (n->n_type >= 16384 || n->n_spisize != 4)
		return;
	TAILQ_FOREACH_SAFE(qm, &sa->sa_qms, qm_entry, qnext) {
		if ((qm->qm_state != QM_I_SENT && qm->qm_state != QM_R_SENT) ||
		    (get32(n->n_spi) != qm->qm_spi_in &&
		    get32(n->n_spi) != qm->qm_spi_out))
			continue;
		log_warnx("%s%sQuick Mode with %s refused: %s",
		    sa->sa_conn[0] ? sa->sa_conn : "",
		    sa->sa_conn[0] ? ": " : "", ps,
		    isakmp_notify_name(n->n_type));
		ike_audit(sa->sa_ctx, "ike.failed", sa, NULL,
		    n->n_type == ISAKMP_N_NO_PROPOSAL_CHOSEN ?
		    "no proposal chosen (quick mode)" :
		    isakmp_notify_name(n->n_type));
		quick_mode_free(qm);
	}
}

/* ESP SPIs: the peer names the SA it receives on (our outbound). */
static void
info_delete_esp(struct ike_sa *sa, const struct isakmp_delete *d)
{
	struct ike_ctx	*ix = sa->sa_ctx;
	struct ike_sa	*o;
	struct ipsec_sa	*ch, *found;
	uint32_t	 spi;
	uint16_t	 i;

	if (d->d_spisize != 4)
		return;
	for (i = 0; i < d->d_nspi; i++) {
		spi = get32(d->d_spis + 4 * i);
		found = NULL;
		/* Any IKE SA of this peer: the IPsec SA may have moved. */
		TAILQ_FOREACH(o, &ix->ix_sas, sa_entry) {
			if (o != sa && (!sa_addr_eq(&o->sa_peer,
			    &sa->sa_peer) || o->sa_peer_idlen !=
			    sa->sa_peer_idlen || memcmp(o->sa_peer_id,
			    sa->sa_peer_id, sa->sa_peer_idlen) != 0))
				continue;
			TAILQ_FOREACH(ch, &o->sa_children, ch_entry)
				if (ch->ch_spi_out == spi ||
				    ch->ch_spi_in == spi) {
					found = ch;
					break;
				}
			if (found != NULL)
				break;
		}
		if (found != NULL)
			ike_child_del(found, 0, "deleted by the peer");
	}
}

static void
info_delete_isakmp(struct ike_sa *sa, const struct isakmp_delete *d,
    int *self)
{
	struct ike_ctx	*ix = sa->sa_ctx;
	struct ike_sa	*o, *next;
	uint16_t	 i;

	if (d->d_spisize != 16)
		return;
	for (i = 0; i < d->d_nspi; i++) {
		if (cookies_are(sa, d->d_spis + 16 * i)) {
			*self = 1;
			continue;
		}
		/* Another IKE SA of the same peer (Windows' phase 1 rekey). */
		TAILQ_FOREACH_SAFE(o, &ix->ix_sas, sa_entry, next)
			if (cookies_are(o, d->d_spis + 16 * i) &&
			    sa_addr_eq(&o->sa_peer, &sa->sa_peer))
				ike_sa_delete(o, IKE_DEL_ADOPT,
				    "deleted by the peer");
	}
}

void
info_input(struct ike_sa *sa, const struct isakmp_hdr *h,
    const struct sockaddr_storage *peer, const struct sockaddr_storage *local,
    uint8_t *pkt, size_t len)
{
	static struct isakmp_msg m;
	struct isakmp_err	 e;
	struct ike_chunk	 rest;
	uint8_t			 iv[IKE_BLOCK_MAXLEN];
	uint8_t			 hash[IKE_HASH_MAXLEN];
	uint8_t			*pl;
	const uint8_t		*rp;
	size_t			 pllen, rlen, i;
	int			 ic = 0, self = 0;
	char			 ps[SOCKADDR_STRLEN];

	if (sa->sa_state != IKE_SA_ESTABLISHED || h->ih_msgid == 0 ||
	    !sa_addr_eq(peer, &sa->sa_peer) ||
	    ike_sa_seen_msgid(sa, h->ih_msgid))
		return;
	ike_peer_str(sa, ps, sizeof(ps));
	if (ike_iv_phase2(sa->sa_p1.p1_hash, sa->sa_p1last,
	    sa->sa_keys.k_blocklen, h->ih_msgid, iv) == -1 ||
	    ike_decrypt(sa, pkt, len, iv, &pl, &pllen) == -1)
		return;
	if (isakmp_parse_payloads(h->ih_next, pl, pllen,
	    sa->sa_keys.k_blocklen + IKE_PAD_CRYPT, &m, &e) == -1 ||
	    m.im_npl == 0 || m.im_pl[0].pl_type != ISAKMP_PL_HASH ||
	    m.im_hash[0].b_len != sa->sa_keys.k_hlen) {
		log_debug("IKE SA %u: informational from %s dropped: not "
		    "authenticated (RFC 2409 5.7)", sa->sa_id, ps);
		return;
	}
	isakmp_msg_after(&m, 0, &rp, &rlen);
	rest.ck_p = rp;
	rest.ck_len = rlen;
	if (ike_qm_hash1(sa->sa_p1.p1_hash, sa->sa_keys.k_skeyid_a,
	    h->ih_msgid, rest, hash) == -1 ||
	    CRYPTO_memcmp(hash, m.im_hash[0].b_data,
	    sa->sa_keys.k_hlen) != 0) {
		log_warnx("IKE SA %u: informational from %s with a wrong "
		    "HASH(1); dropped", sa->sa_id, ps);
		return;
	}
	/* Authenticated: proof of life, and maybe a new NAT mapping. */
	ike_sa_remember_msgid(sa, h->ih_msgid);
	sa->sa_last_rx = time(NULL);
	ike_sa_peer_moved(sa, peer, local);
	for (i = 0; i < m.im_nn; i++)
		info_notify(sa, &m.im_n[i], &ic);
	sa->sa_dpd_since = 0;
	if (ic)
		info_initial_contact(sa);
	/* IPsec SAs first: the ISAKMP SA may be deleted in the same go. */
	for (i = 0; i < m.im_nd; i++)
		if (m.im_d[i].d_proto == ISAKMP_PROTO_ESP ||
		    m.im_d[i].d_proto == ISAKMP_PROTO_AH)
			info_delete_esp(sa, &m.im_d[i]);
	for (i = 0; i < m.im_nd; i++)
		if (m.im_d[i].d_proto == ISAKMP_PROTO_ISAKMP)
			info_delete_isakmp(sa, &m.im_d[i], &self);
	if (self)
		ike_sa_delete(sa, IKE_DEL_ADOPT, "deleted by the peer");
}

/*
 * A plain informational: only error notifies about a negotiation still
 * running count, from the address we negotiate with.  They are not
 * authenticated, so they end nothing established.
 */
void
info_plain_input(struct ike_ctx *ix, struct ike_sa *sa,
    const struct isakmp_hdr *h, const struct sockaddr_storage *peer,
    uint8_t *pkt, size_t len)
{
	static struct isakmp_msg m;
	struct isakmp_hdr	 hh;
	struct isakmp_err	 e;
	const char		*reason;
	uint16_t		 t;

	(void)ix;
	(void)h;
	if (sa->sa_state == IKE_SA_ESTABLISHED ||
	    sa->sa_state == IKE_SA_EXPIRED || !sa_addr_eq(peer, &sa->sa_peer) ||
	    isakmp_parse(pkt, len, &hh, &m, &e) == -1 || m.im_nn == 0)
		return;
	t = m.im_n[0].n_type;
	if (t == 0 || t >= 8192)
		return;
	switch (t) {
	case ISAKMP_N_NO_PROPOSAL_CHOSEN:
		reason = "no proposal chosen";
		break;
	case ISAKMP_N_AUTHENTICATION_FAILED:
	case ISAKMP_N_INVALID_HASH_INFORMATION:
		reason = "PSK mismatch";
		break;
	case ISAKMP_N_PAYLOAD_MALFORMED:
		reason = sa->sa_state == IKE_SA_MM_I_AUTH ||
		    sa->sa_state == IKE_SA_MM_R_KE ? "PSK mismatch" :
		    "refused by the peer";
		break;
	default:
		reason = "refused by the peer";
		break;
	}
	ike_sa_fail(sa, reason, "the peer says %s%s",
	    isakmp_notify_name(t), strcmp(reason, "PSK mismatch") == 0 ?
	    " (the pre-shared keys probably differ)" : "");
}
