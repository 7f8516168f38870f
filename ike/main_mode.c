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
#include <ctype.h>
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
 * Main Mode with pre-shared keys, RFC 2409 5 (and 5.4), both roles:
 *
 *   Initiator                          Responder
 *   HDR, SA, VID                  -->                       (MM1)
 *                                 <--  HDR, SA, VID         (MM2)
 *   HDR, KE, Ni, NAT-D, NAT-D     -->                       (MM3)
 *                                 <--  HDR, KE, Nr, NAT-D, NAT-D (MM4)
 *   HDR*, IDii, HASH_I [, N(IC)]  -->                       (MM5)
 *                                 <--  HDR*, IDir, HASH_R   (MM6)
 *
 * NAT-D and the float to 4500 are RFC 3947 3.2 and 4.  The responder
 * keeps nothing for a first message beyond a small half-open SA, within
 * the max-half-open limits; the Diffie-Hellman work starts with MM3,
 * which only a peer that received our MM2 can send.  The key is the
 * server's ("" in MSG_IKE_PSK), or a connection's when the peer is that
 * connection's server (a server that rekeys towards our client).
 */

/* The key to answer a peer with: its connection's, or the server's. */
static const struct ike_psk *
mm_responder_psk(struct ike_ctx *ix, const struct sockaddr_storage *peer)
{
	struct ike_sa	*o;

	TAILQ_FOREACH(o, &ix->ix_sas, sa_entry)
		if (o->sa_initiator && o->sa_conn[0] != '\0' &&
		    sa_addr_eq(&o->sa_peer, peer))
			return (ike_psk_find(ix, o->sa_conn));
	if (!ix->ix_conf.ic_server)
		return (NULL);
	return (ike_psk_find(ix, ""));
}

static const struct ike_psk *
mm_psk(struct ike_sa *sa)
{
	if (sa->sa_initiator)
		return (ike_psk_find(sa->sa_ctx, sa->sa_conn));
	return (mm_responder_psk(sa->sa_ctx, &sa->sa_peer));
}

static uint8_t *
dup_bytes(const uint8_t *p, size_t len)
{
	uint8_t	*q;

	if ((q = malloc(len == 0 ? 1 : len)) == NULL)
		return (NULL);
	memcpy(q, p, len);
	return (q);
}

static void
hdr_init(struct isakmp_hdr *h, const struct ike_sa *sa, uint8_t flags)
{
	memset(h, 0, sizeof(*h));
	memcpy(h->ih_icookie, sa->sa_icookie, ISAKMP_COOKIE_LEN);
	memcpy(h->ih_rcookie, sa->sa_rcookie, ISAKMP_COOKIE_LEN);
	h->ih_xchg = ISAKMP_XCHG_IDPROT;
	h->ih_flags = flags;
}

/* Our ID payload body (RFC 2407 4.6.2): our address, port/proto 0. */
static size_t
mm_our_id(const struct ike_sa *sa, uint8_t *body, size_t cap)
{
	const uint8_t	*ip;
	size_t		 iplen;

	if ((ip = sa_addr_bytes(&sa->sa_local, &iplen)) == NULL ||
	    cap < 4 + iplen)
		return (0);
	body[0] = iplen == 4 ? IPSEC_ID_IPV4_ADDR : IPSEC_ID_IPV6_ADDR;
	body[1] = 0;
	body[2] = 0;
	body[3] = 0;
	memcpy(body + 4, ip, iplen);
	return (4 + iplen);
}

/* The peer's identity, kept for logs, `show sa` and INITIAL-CONTACT. */
static void
mm_peer_id(struct ike_sa *sa, const struct isakmp_id *id)
{
	size_t	 i, n;
	char	*s = sa->sa_peer_idstr;

	sa->sa_peer_idtype = id->id_type;
	n = id->id_dlen < sizeof(sa->sa_peer_id) ? id->id_dlen :
	    sizeof(sa->sa_peer_id);
	memcpy(sa->sa_peer_id, id->id_data, n);
	sa->sa_peer_idlen = n;
	switch (id->id_type) {
	case IPSEC_ID_IPV4_ADDR:
		inet_ntop(AF_INET, id->id_data, s, sizeof(sa->sa_peer_idstr));
		break;
	case IPSEC_ID_IPV6_ADDR:
		inet_ntop(AF_INET6, id->id_data, s,
		    sizeof(sa->sa_peer_idstr));
		break;
	case IPSEC_ID_FQDN:
	case IPSEC_ID_USER_FQDN:
	case IPSEC_ID_KEY_ID:
		for (i = 0; i < n && i + 1 < sizeof(sa->sa_peer_idstr); i++)
			s[i] = isprint(id->id_data[i]) &&
			    id->id_data[i] != '"' ? (char)id->id_data[i] : '?';
		s[i] = '\0';
		break;
	default:
		snprintf(s, sizeof(sa->sa_peer_idstr), "%s (%zu bytes)",
		    isakmp_id_name(id->id_type), id->id_dlen);
		break;
	}
}

static int
mm_send(struct ike_sa *sa, struct obuf *ob, int retransmit)
{
	if (obuf_error(ob))
		return (-1);
	ike_sa_store_out(sa, ob->o_buf, ob->o_len, retransmit);
	return (ike_io_send(sa->sa_ctx, &sa->sa_local, &sa->sa_peer,
	    ob->o_buf, ob->o_len));
}

/* Our DH pair and nonce; g^x goes to sa_gxi or sa_gxr. */
static int
mm_our_ke(struct ike_sa *sa, uint8_t **gx, uint8_t **nonce, size_t *nlen)
{
	size_t	 publen = ike_dh_publen(sa->sa_p1.p1_group);

	if ((sa->sa_dh = ike_dh_new(sa->sa_p1.p1_group)) == NULL ||
	    (*gx = malloc(publen)) == NULL ||
	    ike_dh_public(sa->sa_dh, *gx, publen) == -1 ||
	    (*nonce = malloc(IKE_NONCE_LEN)) == NULL)
		return (-1);
	sa->sa_gxlen = publen;
	arc4random_buf(*nonce, IKE_NONCE_LEN);
	*nlen = IKE_NONCE_LEN;
	return (0);
}

/* g^xy, then SKEYID* and the phase 1 IV (RFC 2409 5, Appendix B). */
static int
mm_keys(struct ike_sa *sa, const char **why)
{
	const struct ike_psk	*psk;
	struct ike_chunk	 ni, nr, gxy, gxi, gxr;
	uint8_t			 secret[IKE_DH_MAXLEN];
	size_t			 slen;
	const uint8_t		*peer_gx;
	int			 rv;

	slen = ike_dh_secretlen(sa->sa_p1.p1_group);
	if ((psk = mm_psk(sa)) == NULL) {
		*why = "no pre-shared key for this peer";
		return (-1);
	}
	peer_gx = sa->sa_initiator ? sa->sa_gxr : sa->sa_gxi;
	if (ike_dh_derive(sa->sa_dh, peer_gx, sa->sa_gxlen, secret,
	    slen) == -1) {
		*why = "Diffie-Hellman with the peer's public value failed";
		return (-1);
	}
	ni.ck_p = sa->sa_ni;
	ni.ck_len = sa->sa_nilen;
	nr.ck_p = sa->sa_nr;
	nr.ck_len = sa->sa_nrlen;
	gxy.ck_p = secret;
	gxy.ck_len = slen;
	rv = ike_keys_psk(&sa->sa_keys, sa->sa_p1.p1_hash, sa->sa_p1.p1_encr,
	    sa->sa_p1.p1_keybits, psk->pk_key, psk->pk_len, ni, nr, gxy,
	    sa->sa_icookie, sa->sa_rcookie);
	explicit_bzero(secret, sizeof(secret));
	if (rv == -1) {
		*why = "key derivation failed";
		return (-1);
	}
	gxi.ck_p = sa->sa_gxi;
	gxi.ck_len = sa->sa_gxlen;
	gxr.ck_p = sa->sa_gxr;
	gxr.ck_len = sa->sa_gxlen;
	if (ike_iv_phase1(sa->sa_p1.p1_hash, gxi, gxr, sa->sa_keys.k_blocklen,
	    sa->sa_iv) == -1) {
		*why = "IV derivation failed";
		return (-1);
	}
	return (0);
}

/*
 * RFC 2409 5: HASH_I (of_initiator) or HASH_R over this exchange -- both
 * public values, the cookies, the initiator's SA body -- and an ID body.
 * The one place both our own hash and the check of the peer's are made.
 */
static int
mm_hash(struct ike_sa *sa, int of_initiator, const uint8_t *id, size_t idlen,
    uint8_t *out)
{
	struct ike_chunk	 gxi, gxr, sai, idb;

	gxi.ck_p = sa->sa_gxi;
	gxi.ck_len = sa->sa_gxlen;
	gxr.ck_p = sa->sa_gxr;
	gxr.ck_len = sa->sa_gxlen;
	sai.ck_p = sa->sa_sai;
	sai.ck_len = sa->sa_sailen;
	idb.ck_p = id;
	idb.ck_len = idlen;
	return ((of_initiator ? ike_hash_i : ike_hash_r)(sa->sa_p1.p1_hash,
	    sa->sa_keys.k_skeyid, gxi, gxr, sa->sa_icookie, sa->sa_rcookie,
	    sai, idb, out));
}

/* The peer's KE (RFC 2409 5: the group's length, checked range). */
static int
mm_peer_ke(struct ike_sa *sa, const struct isakmp_msg *m, uint8_t **gx)
{
	const struct isakmp_blob *ke = &m->im_ke[0];

	if (ke->b_len != ike_dh_publen(sa->sa_p1.p1_group) ||
	    ike_dh_check_peer(sa->sa_p1.p1_group, ke->b_data, ke->b_len) == -1)
		return (-1);
	if ((*gx = dup_bytes(ke->b_data, ke->b_len)) == NULL)
		return (-1);
	return (0);
}

static int
mm_peer_nonce(const struct isakmp_msg *m, uint8_t **n, size_t *len)
{
	if ((*n = dup_bytes(m->im_nonce[0].b_data,
	    m->im_nonce[0].b_len)) == NULL)
		return (-1);
	*len = m->im_nonce[0].b_len;
	return (0);
}

static uint32_t
mm_lifetime(const struct ike_ctx *ix, uint32_t proposed)
{
	uint32_t	 max = ix->ix_conf.ic_ike_lifetime != 0 ?
			    ix->ix_conf.ic_ike_lifetime : IKE_DEFAULT_LIFETIME;

	if (proposed == 0)
		proposed = IKE_DEFAULT_LIFETIME;
	return (proposed < max ? proposed : max);
}

static void
mm_vids(struct isakmp_wr *w, const struct ike_sa *sa)
{
	if (sa->sa_natt != IKE_NATT_NONE)
		isakmp_build_vid_known(w, sa->sa_natt_vid);
	isakmp_build_vid_known(w, ISAKMP_VID_DPD);
}

/* MM1 at the responder: choose, keep a half-open SA, answer MM2. */
static void
mm_r_msg1(struct ike_ctx *ix, const struct isakmp_hdr *h,
    const struct sockaddr_storage *peer, const struct sockaddr_storage *local,
    uint8_t *pkt, size_t len)
{
	static struct isakmp_msg m;
	struct isakmp_hdr	 hh, rh;
	struct isakmp_err	 e;
	struct isakmp_prop	 pr;
	struct isakmp_xform	 xf;
	struct ike_p1		 p1;
	struct ike_sa		*sa;
	struct isakmp_wr	 w;
	struct obuf		 ob;
	uint8_t			 out[1024];
	char			 ps[SOCKADDR_STRLEN], offered[256];
	int			 hint;

	sockaddr_str(peer, ps, sizeof(ps));
	if ((h->ih_flags & ISAKMP_FLAG_E) || h->ih_msgid != 0)
		return;
	if (mm_responder_psk(ix, peer) == NULL) {
		log_debug("Main Mode from %s ignored: no key to answer with "
		    "(no listen in the config)", ps);
		return;
	}
	if (isakmp_parse(pkt, len, &hh, &m, &e) == -1) {
		ix->ix_stats.st_malformed++;
		log_debug("Main Mode 1 from %s malformed: %s", ps, e.ie_why);
		return;
	}
	if (m.im_nsa != 1 || m.im_nke != 0 || m.im_nnonce != 0 ||
	    m.im_nid != 0 || m.im_nhash != 0) {
		ix->ix_stats.st_malformed++;
		log_debug("%s: not a Main Mode first message", ps);
		return;
	}
	if (!ike_sa_halfopen_allowed(ix, peer)) {
		ix->ix_stats.st_halfopen_drop++;
		if (ix->ix_stats.st_halfopen_drop % 1000 == 1)
			log_warnx("Main Mode from %s dropped: max-half-open "
			    "reached (%zu in total, %zu per address; %llu "
			    "dropped so far)", ps, ike_max_half_open(ix),
			    ike_max_half_open_peer(ix), (unsigned long long)
			    ix->ix_stats.st_halfopen_drop);
		return;
	}
	if (proposal_p1_match(&ix->ix_conf, &m.im_sa[0], &pr, &xf, &p1,
	    offered, sizeof(offered), &hint) == -1) {
		log_warnx("IKE with %s failed: no proposal chosen: peer "
		    "offered %s%s", ps, offered[0] ? offered : "nothing",
		    hint ? "; enable `legacy yes`" : "");
		ike_audit(ix, "ike.failed", NULL, peer, "no proposal chosen");
		info_send_plain_notify(ix, h->ih_icookie, NULL, local, peer,
		    ISAKMP_N_NO_PROPOSAL_CHOSEN);
		return;
	}
	if (m.im_sa[0].sa_blen > IKE_SAI_MAX)
		return;
	if ((sa = ike_sa_new(ix, 0, peer, local)) == NULL)
		return;
	memcpy(sa->sa_icookie, h->ih_icookie, ISAKMP_COOKIE_LEN);
	do {
		arc4random_buf(sa->sa_rcookie, ISAKMP_COOKIE_LEN);
	} while (sa->sa_rcookie[0] == 0 && sa->sa_rcookie[1] == 0);
	ike_sa_rehash(sa);
	sa->sa_halfopen = 1;
	ix->ix_nhalfopen++;
	ike_sa_set_state(sa, IKE_SA_MM_R_SA);
	sa->sa_p1 = p1;
	sa->sa_life_s = mm_lifetime(ix, p1.p1_life_s);
	sa->sa_natt = ike_natt_from_vids(&m, &sa->sa_natt_vid, &sa->sa_dpd);
	/* RFC 3947 4: a negotiation may start on 4500 (a rekey). */
	sa->sa_floated = sockaddr_port(local) == ISAKMP_NATT_PORT;
	if ((sa->sa_sai = dup_bytes(m.im_sa[0].sa_body,
	    m.im_sa[0].sa_blen)) == NULL) {
		ike_sa_delete(sa, 0, "out of memory");
		return;
	}
	sa->sa_sailen = m.im_sa[0].sa_blen;

	hdr_init(&rh, sa, 0);
	obuf_init(&ob, out, sizeof(out));
	isakmp_wr_header(&w, &ob, &rh);
	isakmp_build_sa_reply(&w, ISAKMP_DOI_IPSEC, IPSEC_SIT_IDENTITY_ONLY,
	    &pr, &xf, NULL, 0);
	mm_vids(&w, sa);
	isakmp_wr_finish(&w);
	ike_sa_digest(pkt, len, sa->sa_lastin);
	sa->sa_have_lastin = 1;
	if (mm_send(sa, &ob, 0) == -1) {
		ike_sa_delete(sa, 0, "cannot send");
		return;
	}
	/* A half-open SA is dropped quietly when MM3 does not come. */
	{
		struct timeval tv = { IKE_HALFOPEN_TIMEOUT, 0 };

		evtimer_add(&sa->sa_timeout, &tv);
	}
	proposal_p1_name(&p1, IKE_AUTH_PSK, offered, sizeof(offered));
	log_debug("IKE SA %u: Main Mode from %s, chose %s%s%s%s", sa->sa_id,
	    ps, offered, sa->sa_natt ? ", " : "",
	    sa->sa_natt ? isakmp_vid_name(sa->sa_natt_vid) : "",
	    sa->sa_dpd ? ", DPD" : "");
}

/* MM3 at the responder: the key exchange, then MM4. */
static void
mm_r_msg3(struct ike_sa *sa, const struct sockaddr_storage *peer,
    const struct sockaddr_storage *local, uint8_t *pkt, size_t len)
{
	static struct isakmp_msg m;
	struct isakmp_hdr	 hh, rh;
	struct isakmp_err	 e;
	struct isakmp_wr	 w;
	struct obuf		 ob;
	uint8_t			 out[2048];
	const char		*why;
	struct timeval		 tv = { IKE_NEGOTIATE_TIMEOUT, 0 };

	if (isakmp_parse(pkt, len, &hh, &m, &e) == -1 || m.im_nke != 1 ||
	    m.im_nnonce != 1 || m.im_nsa != 0) {
		log_debug("IKE SA %u: bad Main Mode 3: %s", sa->sa_id,
		    m.im_nke != 1 ? "no KE" : e.ie_why);
		return;
	}
	if (mm_peer_ke(sa, &m, &sa->sa_gxi) == -1) {
		info_send_plain_notify(sa->sa_ctx, sa->sa_icookie,
		    sa->sa_rcookie, local, peer,
		    ISAKMP_N_INVALID_KEY_INFORMATION);
		ike_sa_fail(sa, "invalid key exchange", "the peer's public "
		    "value is not valid for %s (RFC 2409 5)",
		    ike_group_name(sa->sa_p1.p1_group));
		return;
	}
	if (mm_peer_nonce(&m, &sa->sa_ni, &sa->sa_nilen) == -1 ||
	    mm_our_ke(sa, &sa->sa_gxr, &sa->sa_nr, &sa->sa_nrlen) == -1) {
		ike_sa_fail(sa, "internal error", "out of memory or DH");
		return;
	}
	if (mm_keys(sa, &why) == -1) {
		ike_sa_fail(sa, "internal error", "%s", why);
		return;
	}
	/* The peer proved it gets our packets: worth an audit from now. */
	if (sa->sa_natt != IKE_NATT_NONE &&
	    ike_natt_check_natd(sa, &m, peer, local) == -1)
		sa->sa_natt = IKE_NATT_NONE;

	hdr_init(&rh, sa, 0);
	obuf_init(&ob, out, sizeof(out));
	isakmp_wr_header(&w, &ob, &rh);
	isakmp_build_ke(&w, sa->sa_gxr, sa->sa_gxlen);
	isakmp_build_nonce(&w, sa->sa_nr, sa->sa_nrlen);
	if (sa->sa_natt != IKE_NATT_NONE &&
	    ike_natt_build_natd(sa, &w) == -1) {
		ike_sa_fail(sa, "internal error", "NAT-D");
		return;
	}
	isakmp_wr_finish(&w);
	ike_sa_digest(pkt, len, sa->sa_lastin);
	if (mm_send(sa, &ob, 0) == -1)
		return;
	ike_sa_set_state(sa, IKE_SA_MM_R_KE);
	evtimer_del(&sa->sa_timeout);
	evtimer_add(&sa->sa_timeout, &tv);
}

/*
 * Decrypts and parses MM5 or MM6 with the phase 1 IV.  A pre-shared key
 * that differs shows here: the plaintext is noise, so the payloads do
 * not parse, or HASH_I/HASH_R does not match.
 */
static int
mm_decrypt(struct ike_sa *sa, const struct isakmp_hdr *h, uint8_t *pkt,
    size_t len, struct isakmp_msg *m, uint8_t *iv, const char **why)
{
	struct isakmp_err	 e;
	uint8_t			*pl;
	size_t			 pllen;

	memcpy(iv, sa->sa_iv, sizeof(sa->sa_iv));
	if (ike_decrypt(sa, pkt, len, iv, &pl, &pllen) == -1) {
		*why = NULL;	/* not a block multiple: garbage, drop */
		return (-1);
	}
	if (isakmp_parse_payloads(h->ih_next, pl, pllen,
	    sa->sa_keys.k_blocklen + IKE_PAD_CRYPT, m, &e) == -1) {
		*why = e.ie_why;
		return (-1);
	}
	if (m->im_nid != 1 || m->im_nhash != 1) {
		*why = "no ID or HASH payload";
		return (-1);
	}
	if (m->im_hash[0].b_len != sa->sa_keys.k_hlen) {
		*why = "HASH payload of the wrong length";
		return (-1);
	}
	return (0);
}

static int
mm_has_initial_contact(const struct isakmp_msg *m)
{
	size_t	 i;

	for (i = 0; i < m->im_nn; i++)
		if (m->im_n[i].n_type == IPSEC_N_INITIAL_CONTACT)
			return (1);
	return (0);
}

static void
mm_psk_mismatch(struct ike_sa *sa, const struct sockaddr_storage *peer,
    const char *detail)
{
	info_send_plain_notify(sa->sa_ctx, sa->sa_icookie, sa->sa_rcookie,
	    &sa->sa_local, peer, ISAKMP_N_AUTHENTICATION_FAILED);
	ike_sa_fail(sa, "PSK mismatch", "PSK mismatch: %s (the pre-shared "
	    "keys of the two sides differ)", detail);
}

/* MM5 at the responder: authenticate the peer, answer MM6. */
static void
mm_r_msg5(struct ike_sa *sa, const struct isakmp_hdr *h,
    const struct sockaddr_storage *peer, const struct sockaddr_storage *local,
    uint8_t *pkt, size_t len)
{
	static struct isakmp_msg m;
	struct isakmp_hdr	 rh;
	struct isakmp_wr	 w;
	struct obuf		 ob;
	uint8_t			 iv[IKE_BLOCK_MAXLEN];
	uint8_t			 hash[IKE_HASH_MAXLEN];
	uint8_t			 idr[4 + 16], digest[IKE_HASH_MAXLEN];
	uint8_t			 out[1024];
	size_t			 idrlen;
	const char		*why;
	int			 floated, ic;

	if (!(h->ih_flags & ISAKMP_FLAG_E))
		return;
	/* RFC 3947 4: MM5 may come from the peer's NAT-T port. */
	floated = sockaddr_port(local) == ISAKMP_NATT_PORT &&
	    sockaddr_port(&sa->sa_local) != ISAKMP_NATT_PORT;
	if (floated && sa->sa_natt == IKE_NATT_NONE)
		return;
	ike_sa_digest(pkt, len, digest);
	if (mm_decrypt(sa, h, pkt, len, &m, iv, &why) == -1) {
		if (why != NULL)
			mm_psk_mismatch(sa, peer, "Main Mode 5 did not "
			    "decrypt to valid payloads");
		return;
	}
	if (mm_hash(sa, 1, m.im_id[0].id_body, m.im_id[0].id_blen, hash) == -1 ||
	    CRYPTO_memcmp(hash, m.im_hash[0].b_data, sa->sa_keys.k_hlen) != 0) {
		mm_psk_mismatch(sa, peer, "HASH_I does not match");
		return;
	}
	/* Authenticated. */
	memcpy(sa->sa_iv, iv, sizeof(sa->sa_iv));
	memcpy(sa->sa_lastin, digest, sizeof(sa->sa_lastin));
	mm_peer_id(sa, &m.im_id[0]);
	ic = mm_has_initial_contact(&m);
	if (floated) {
		sa->sa_local = *local;
		sa->sa_peer = *peer;
		sa->sa_floated = 1;
	}

	hdr_init(&rh, sa, ISAKMP_FLAG_E);
	obuf_init(&ob, out, sizeof(out));
	isakmp_wr_header(&w, &ob, &rh);
	if ((idrlen = mm_our_id(sa, idr, sizeof(idr))) == 0)
		return;
	isakmp_build_id(&w, idr[0], 0, 0, idr + 4, idrlen - 4);
	if (mm_hash(sa, 0, idr, idrlen, hash) == -1)
		return;
	(void)isakmp_build_hash(&w, hash, sa->sa_keys.k_hlen);
	if (ike_encrypt(sa, &w, sa->sa_iv) == -1) {
		ike_sa_fail(sa, "internal error", "cannot build Main Mode 6");
		return;
	}
	/* RFC 2409 Appendix B: the last phase 1 CBC block. */
	memcpy(sa->sa_p1last, sa->sa_iv, sizeof(sa->sa_p1last));
	if (mm_send(sa, &ob, 0) == -1)
		return;
	ike_sa_established(sa, ic);
}

/* The initiator: MM1 to the connection's server. */
int
main_mode_initiate(struct ike_ctx *ix, const char *name,
    const struct sockaddr_storage *server, int rekey_of)
{
	struct ike_sa		*sa;
	struct sockaddr_storage	 local, peer = *server;
	struct isakmp_hdr	 h;
	struct isakmp_wr	 w;
	struct obuf		 ob;
	struct isakmp_xform_desc xds[MSG_MAX_SUITES];
	struct isakmp_prop_desc	 pd;
	struct isakmp_sa_desc	 sd;
	uint8_t			 out[2048];
	size_t			 nx, off;
	char			 ps[SOCKADDR_STRLEN];
	struct timeval		 tv = { IKE_NEGOTIATE_TIMEOUT, 0 };

	sockaddr_str(&peer, ps, sizeof(ps));
	if (ike_psk_find(ix, name) == NULL) {
		log_warnx("connection %s: no pre-shared key", name);
		ike_audit(ix, "ike.failed", NULL, &peer, "no pre-shared key");
		return (-1);
	}
	if (ix->ix_conf.ic_nike == 0) {
		log_warnx("connection %s: no IKE suites configured", name);
		return (-1);
	}
	/* A server keeps talking to the address it was asked on. */
	if (sockaddr_port(&peer) == ISAKMP_NATT_PORT &&
	    ike_io_local(ix, peer.ss_family, ISAKMP_NATT_PORT, &local) == 0)
		;
	else if (ike_io_local(ix, peer.ss_family, ISAKMP_PORT, &local) == -1) {
		log_warnx("connection %s: no UDP 500 socket for %s", name, ps);
		ike_audit(ix, "ike.failed", NULL, &peer, "no socket");
		return (-1);
	}
	if ((sa = ike_sa_new(ix, 1, &peer, &local)) == NULL)
		return (-1);
	ike_sa_rehash(sa);
	strlcpy(sa->sa_conn, name, sizeof(sa->sa_conn));
	sa->sa_rekey_of = rekey_of;
	sa->sa_floated = sockaddr_port(&local) == ISAKMP_NATT_PORT;
	ike_sa_set_state(sa, IKE_SA_MM_I_SA);

	proposal_p1_build(&ix->ix_conf, ix->ix_conf.ic_ike_lifetime, xds, &nx);
	memset(&pd, 0, sizeof(pd));
	pd.pd_num = 1;
	pd.pd_proto = ISAKMP_PROTO_ISAKMP;
	pd.pd_nxforms = nx;
	pd.pd_xforms = xds;
	memset(&sd, 0, sizeof(sd));
	sd.sd_doi = ISAKMP_DOI_IPSEC;
	sd.sd_sit = IPSEC_SIT_IDENTITY_ONLY;
	sd.sd_nprops = 1;
	sd.sd_props = &pd;

	hdr_init(&h, sa, 0);
	obuf_init(&ob, out, sizeof(out));
	isakmp_wr_header(&w, &ob, &h);
	off = ob.o_len;
	isakmp_build_sa(&w, &sd);
	if (obuf_error(&ob) || (sa->sa_sai = dup_bytes(out + off +
	    ISAKMP_GEN_LEN, ob.o_len - off - ISAKMP_GEN_LEN)) == NULL) {
		ike_sa_delete(sa, 0, "internal error");
		return (-1);
	}
	sa->sa_sailen = ob.o_len - off - ISAKMP_GEN_LEN;
	isakmp_build_vid_known(&w, ISAKMP_VID_NATT_RFC3947);
	isakmp_build_vid_known(&w, ISAKMP_VID_NATT_DRAFT03);
	isakmp_build_vid_known(&w, ISAKMP_VID_NATT_DRAFT02N);
	isakmp_build_vid_known(&w, ISAKMP_VID_NATT_DRAFT02);
	isakmp_build_vid_known(&w, ISAKMP_VID_DPD);
	isakmp_wr_finish(&w);
	if (mm_send(sa, &ob, 1) == -1) {
		ike_sa_delete(sa, 0, "cannot send");
		return (-1);
	}
	evtimer_add(&sa->sa_timeout, &tv);
	log_info("connection %s: Main Mode to %s (IKE SA %u)%s", name, ps,
	    sa->sa_id, rekey_of ? ", rekey" : "");
	return (0);
}

/* MM2 at the initiator: the responder's choice, then MM3. */
static void
mm_i_msg2(struct ike_sa *sa, const struct isakmp_hdr *h,
    const struct sockaddr_storage *local, uint8_t *pkt, size_t len)
{
	static struct isakmp_msg m;
	struct isakmp_hdr	 hh, rh;
	struct isakmp_err	 e;
	struct isakmp_prop	 pr;
	struct isakmp_xform	 xf;
	struct ike_p1		 p1;
	struct cur		 c, xc;
	struct isakmp_wr	 w;
	struct obuf		 ob;
	uint8_t			 out[2048];
	uint16_t		 auth;

	if ((h->ih_flags & ISAKMP_FLAG_E) ||
	    isakmp_parse(pkt, len, &hh, &m, &e) == -1 || m.im_nsa != 1)
		return;
	isakmp_sa_props(&m.im_sa[0], &c);
	if (m.im_sa[0].sa_nprops != 1 || isakmp_prop_next(&c, &pr) != 1 ||
	    pr.pr_nxforms != 1) {
		ike_sa_fail(sa, "bad proposal", "the responder did not choose "
		    "exactly one transform (RFC 2409 5)");
		return;
	}
	isakmp_prop_xforms(&pr, &xc);
	if (isakmp_xform_next(&xc, &xf) != 1 ||
	    proposal_p1_parse(&xf, &p1, &auth) == -1 ||
	    auth != IKE_AUTH_PSK || !proposal_p1_ours(&sa->sa_ctx->ix_conf,
	    &p1)) {
		ike_sa_fail(sa, "bad proposal", "the responder chose a "
		    "transform we did not offer");
		return;
	}
	memcpy(sa->sa_rcookie, h->ih_rcookie, ISAKMP_COOKIE_LEN);
	sa->sa_p1 = p1;
	sa->sa_life_s = mm_lifetime(sa->sa_ctx, p1.p1_life_s);
	sa->sa_natt = ike_natt_from_vids(&m, &sa->sa_natt_vid, &sa->sa_dpd);
	if (!sa->sa_local_known || sa_is_wildcard(&sa->sa_local)) {
		/* IP_PKTINFO told us which of our addresses the peer sees. */
		sa->sa_local = *local;
		sa->sa_local_known = 1;
	}
	if (mm_our_ke(sa, &sa->sa_gxi, &sa->sa_ni, &sa->sa_nilen) == -1) {
		ike_sa_fail(sa, "internal error", "DH");
		return;
	}
	hdr_init(&rh, sa, 0);
	obuf_init(&ob, out, sizeof(out));
	isakmp_wr_header(&w, &ob, &rh);
	isakmp_build_ke(&w, sa->sa_gxi, sa->sa_gxlen);
	isakmp_build_nonce(&w, sa->sa_ni, sa->sa_nilen);
	if (sa->sa_natt != IKE_NATT_NONE)
		(void)ike_natt_build_natd(sa, &w);
	isakmp_wr_finish(&w);
	ike_sa_digest(pkt, len, sa->sa_lastin);
	sa->sa_have_lastin = 1;
	if (mm_send(sa, &ob, 1) == -1)
		return;
	ike_sa_set_state(sa, IKE_SA_MM_I_KE);
}

/* 1 when no other SA of ours talks to this peer: INITIAL-CONTACT. */
static int
mm_first_contact(struct ike_sa *sa)
{
	struct ike_sa	*o;

	if (sa->sa_rekey_of != 0)
		return (0);
	TAILQ_FOREACH(o, &sa->sa_ctx->ix_sas, sa_entry)
		if (o != sa && o->sa_state == IKE_SA_ESTABLISHED &&
		    sa_addr_eq(&o->sa_peer, &sa->sa_peer))
			return (0);
	return (1);
}

/* MM4 at the initiator: keys, NAT detection, the float, then MM5. */
static void
mm_i_msg4(struct ike_sa *sa, const struct isakmp_hdr *h,
    const struct sockaddr_storage *peer, const struct sockaddr_storage *local,
    uint8_t *pkt, size_t len)
{
	static struct isakmp_msg m;
	struct isakmp_hdr	 hh, rh;
	struct isakmp_err	 e;
	struct isakmp_wr	 w;
	struct obuf		 ob;
	uint8_t			 out[1024], idi[4 + 16];
	uint8_t			 hash[IKE_HASH_MAXLEN];
	uint8_t			 spi[2 * ISAKMP_COOKIE_LEN];
	size_t			 idilen;
	const char		*why;
	struct sockaddr_storage	 l4500;

	if ((h->ih_flags & ISAKMP_FLAG_E) ||
	    isakmp_parse(pkt, len, &hh, &m, &e) == -1 || m.im_nke != 1 ||
	    m.im_nnonce != 1)
		return;
	if (mm_peer_ke(sa, &m, &sa->sa_gxr) == -1) {
		ike_sa_fail(sa, "invalid key exchange", "the responder's "
		    "public value is not valid for its group");
		return;
	}
	if (mm_peer_nonce(&m, &sa->sa_nr, &sa->sa_nrlen) == -1)
		return;
	if (mm_keys(sa, &why) == -1) {
		ike_sa_fail(sa, "internal error", "%s", why);
		return;
	}
	if (sa->sa_natt != IKE_NATT_NONE &&
	    ike_natt_check_natd(sa, &m, peer, local) == -1)
		sa->sa_natt = IKE_NATT_NONE;
	ike_sa_digest(pkt, len, sa->sa_lastin);
	/* RFC 3947 4: with a NAT between us, MM5 goes 4500 -> 4500. */
	if (sa->sa_natt != IKE_NATT_NONE &&
	    (sa->sa_nat_local || sa->sa_nat_peer)) {
		l4500 = sa->sa_local;
		sockaddr_set_port(&l4500, ISAKMP_NATT_PORT);
		if (!ike_io_have(sa->sa_ctx, &l4500, ISAKMP_NATT_PORT)) {
			ike_sa_fail(sa, "no NAT-T socket", "a NAT is in the "
			    "way but we have no UDP 4500 socket");
			return;
		}
		sa->sa_local = l4500;
		sockaddr_set_port(&sa->sa_peer, ISAKMP_NATT_PORT);
		sa->sa_floated = 1;
	}

	hdr_init(&rh, sa, ISAKMP_FLAG_E);
	obuf_init(&ob, out, sizeof(out));
	isakmp_wr_header(&w, &ob, &rh);
	if ((idilen = mm_our_id(sa, idi, sizeof(idi))) == 0)
		return;
	isakmp_build_id(&w, idi[0], 0, 0, idi + 4, idilen - 4);
	if (mm_hash(sa, 1, idi, idilen, hash) == -1)
		return;
	(void)isakmp_build_hash(&w, hash, sa->sa_keys.k_hlen);
	if (mm_first_contact(sa)) {
		/* RFC 2407 4.6.3.3, SPI = the cookies. */
		memcpy(spi, sa->sa_icookie, ISAKMP_COOKIE_LEN);
		memcpy(spi + ISAKMP_COOKIE_LEN, sa->sa_rcookie,
		    ISAKMP_COOKIE_LEN);
		isakmp_build_notify(&w, ISAKMP_DOI_IPSEC, ISAKMP_PROTO_ISAKMP,
		    spi, sizeof(spi), IPSEC_N_INITIAL_CONTACT, NULL, 0);
	}
	if (ike_encrypt(sa, &w, sa->sa_iv) == -1) {
		ike_sa_fail(sa, "internal error", "cannot build Main Mode 5");
		return;
	}
	if (mm_send(sa, &ob, 1) == -1)
		return;
	ike_sa_set_state(sa, IKE_SA_MM_I_AUTH);
}

/* MM6 at the initiator: authenticate the responder. */
static void
mm_i_msg6(struct ike_sa *sa, const struct isakmp_hdr *h,
    const struct sockaddr_storage *peer, uint8_t *pkt, size_t len)
{
	static struct isakmp_msg m;
	uint8_t			 iv[IKE_BLOCK_MAXLEN];
	uint8_t			 hash[IKE_HASH_MAXLEN];
	const char		*why;

	if (!(h->ih_flags & ISAKMP_FLAG_E))
		return;
	if (mm_decrypt(sa, h, pkt, len, &m, iv, &why) == -1) {
		if (why != NULL)
			mm_psk_mismatch(sa, peer, "Main Mode 6 did not "
			    "decrypt to valid payloads");
		return;
	}
	if (mm_hash(sa, 0, m.im_id[0].id_body, m.im_id[0].id_blen, hash) == -1 ||
	    CRYPTO_memcmp(hash, m.im_hash[0].b_data, sa->sa_keys.k_hlen) != 0) {
		mm_psk_mismatch(sa, peer, "HASH_R does not match");
		return;
	}
	memcpy(sa->sa_iv, iv, sizeof(sa->sa_iv));
	memcpy(sa->sa_p1last, iv, sizeof(sa->sa_p1last));
	mm_peer_id(sa, &m.im_id[0]);
	ike_sa_digest(pkt, len, sa->sa_lastin);
	free(sa->sa_out);
	sa->sa_out = NULL;
	sa->sa_outlen = 0;
	ike_sa_established(sa, mm_has_initial_contact(&m));
}

void
main_mode_input(struct ike_ctx *ix, struct ike_sa *sa,
    const struct isakmp_hdr *h, const struct sockaddr_storage *peer,
    const struct sockaddr_storage *local, uint8_t *pkt, size_t len)
{
	uint8_t		 digest[IKE_HASH_MAXLEN];
	char		 ps[SOCKADDR_STRLEN];

	if (sa == NULL) {
		if (ix->ix_conf.ic_nike == 0)
			return;
		mm_r_msg1(ix, h, peer, local, pkt, len);
		return;
	}
	/* The peer's address never changes within Main Mode (its port may
	 * when it floats to 4500, RFC 3947 4). */
	if (!sa_addr_eq(peer, &sa->sa_peer) || h->ih_msgid != 0)
		return;
	if (sockaddr_port(local) != ISAKMP_NATT_PORT &&
	    sockaddr_cmp(peer, &sa->sa_peer) != 0 && !sa->sa_floated)
		return;
	/* A retransmitted request gets the stored reply, nothing new. */
	ike_sa_digest(pkt, len, digest);
	if (sa->sa_have_lastin &&
	    memcmp(digest, sa->sa_lastin, IKE_HASH_MAXLEN) == 0) {
		if (!sa->sa_initiator && sa->sa_out != NULL) {
			ix->ix_stats.st_retransmits++;
			log_debug("IKE SA %u: retransmitted Main Mode message "
			    "from %s: stored reply sent again", sa->sa_id,
			    sockaddr_str(peer, ps, sizeof(ps)));
			ike_sa_send_out(sa);
		}
		return;
	}
	/* RFC 2409 5; the states are in ike.h. */
	switch (sa->sa_state) {
	case IKE_SA_MM_R_SA:
		mm_r_msg3(sa, peer, local, pkt, len);
		break;
	case IKE_SA_MM_R_KE:
		mm_r_msg5(sa, h, peer, local, pkt, len);
		break;
	case IKE_SA_MM_I_SA:
		mm_i_msg2(sa, h, local, pkt, len);
		break;
	case IKE_SA_MM_I_KE:
		mm_i_msg4(sa, h, peer, local, pkt, len);
		break;
	case IKE_SA_MM_I_AUTH:
		mm_i_msg6(sa, h, peer, pkt, len);
		break;
	default:
		log_debug("IKE SA %u: received Main Mode message from %s in "
		    "state %s; dropped", sa->sa_id,
		    sockaddr_str(peer, ps, sizeof(ps)),
		    ike_sa_state_name(sa->sa_state));
		break;
	}
}
