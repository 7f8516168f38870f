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


#include <string.h>

#include <openssl/crypto.h>

#include "common/addr.h"
#include "common/log.h"
#include "ike.h"

/*
 * NAT traversal (RFC 3947, and the draft-02/02n/03 vendor IDs older
 * clients send): which flavour the peer speaks, the NAT-D payloads of
 * Main Mode 3 and 4, and the keepalives of RFC 3948 2.3 from the side
 * behind a NAT.
 */

/* RFC 3947 3.1, else the newest draft the peer names; DPD (RFC 3706). */
enum ike_natt
ike_natt_from_vids(const struct isakmp_msg *m, enum isakmp_vid *vid,
    int *dpd)
{
	enum isakmp_vid	 v, best = ISAKMP_VID_UNKNOWN;
	size_t		 i;
	static const int rank[ISAKMP_VID_MAX] = {
		[ISAKMP_VID_NATT_RFC3947] = 4,
		[ISAKMP_VID_NATT_DRAFT03] = 3,
		[ISAKMP_VID_NATT_DRAFT02N] = 2,
		[ISAKMP_VID_NATT_DRAFT02] = 1,
	};

	*dpd = 0;
	for (i = 0; i < m->im_nvid; i++) {
		v = isakmp_vid_lookup(m->im_vid[i].b_data, m->im_vid[i].b_len);
		if (v == ISAKMP_VID_DPD)
			*dpd = 1;
		if (v > ISAKMP_VID_UNKNOWN && v < ISAKMP_VID_MAX &&
		    rank[v] > rank[best])
			best = v;
	}
	*vid = best;
	if (best == ISAKMP_VID_NATT_RFC3947)
		return (IKE_NATT_RFC);
	if (best != ISAKMP_VID_UNKNOWN && rank[best] > 0)
		return (IKE_NATT_DRAFT);
	return (IKE_NATT_NONE);
}

uint8_t
ike_natt_natd_type(const struct ike_sa *sa)
{
	return (sa->sa_natt == IKE_NATT_RFC ? ISAKMP_PL_NATD :
	    ISAKMP_PL_NATD_DRAFT);
}

uint8_t
ike_natt_natoa_type(const struct ike_sa *sa)
{
	return (sa->sa_natt == IKE_NATT_RFC ? ISAKMP_PL_NATOA :
	    ISAKMP_PL_NATOA_DRAFT);
}

/* RFC 3947 5.1 mode 4, or the drafts' private value. */
uint16_t
ike_natt_encap_mode(const struct ike_sa *sa)
{
	return (sa->sa_natt == IKE_NATT_RFC ? IPSEC_ENCAP_UDP_TRANSPORT :
	    IPSEC_ENCAP_UDP_TRANSPORT_DRAFT);
}

static int
natd_hash(const struct ike_sa *sa, const struct sockaddr_storage *ss,
    uint8_t *out)
{
	const uint8_t	*ip;
	size_t		 iplen;

	if ((ip = sa_addr_bytes(ss, &iplen)) == NULL)
		return (-1);
	return (ike_natd_hash(sa->sa_p1.p1_hash, sa->sa_icookie,
	    sa->sa_rcookie, ip, iplen, sockaddr_port(ss), out));
}

/*
 * RFC 3947 3.2: the first NAT-D is the destination of the message (the
 * peer as we send to it), the second our own address and port.
 */
int
ike_natt_build_natd(struct ike_sa *sa, struct isakmp_wr *w)
{
	uint8_t		 h[IKE_HASH_MAXLEN];
	size_t		 hl = ike_hash_len(sa->sa_p1.p1_hash);
	uint8_t		 type = ike_natt_natd_type(sa);

	if (natd_hash(sa, &sa->sa_peer, h) == -1)
		return (-1);
	isakmp_build_natd(w, type, h, hl);
	if (natd_hash(sa, &sa->sa_local, h) == -1)
		return (-1);
	isakmp_build_natd(w, type, h, hl);
	return (0);
}

/*
 * RFC 3947 3.2: the first NAT-D received must hash our address and
 * port as the peer addressed us (else we are behind a NAT), one of the
 * others the peer's as we see it (else the peer is).  -1 when the
 * message carries no usable NAT-D (no NAT-T then).
 */
int
ike_natt_check_natd(struct ike_sa *sa, const struct isakmp_msg *m,
    const struct sockaddr_storage *peer, const struct sockaddr_storage *local)
{
	uint8_t		 hl_us[IKE_HASH_MAXLEN];
	uint8_t		 hl_peer[IKE_HASH_MAXLEN];
	size_t		 hl = ike_hash_len(sa->sa_p1.p1_hash), i, n = 0;
	uint8_t		 type = ike_natt_natd_type(sa);
	int		 us_ok = 0, peer_ok = 0;
	char		 ps[SOCKADDR_STRLEN];

	if (natd_hash(sa, local, hl_us) == -1 ||
	    natd_hash(sa, peer, hl_peer) == -1)
		return (-1);
	for (i = 0; i < m->im_nnatd; i++) {
		const struct isakmp_blob *b = &m->im_natd[i];

		if (b->b_type != type || b->b_len != hl)
			continue;
		if (n++ == 0)
			us_ok = CRYPTO_memcmp(b->b_data, hl_us, hl) == 0;
		else if (CRYPTO_memcmp(b->b_data, hl_peer, hl) == 0)
			peer_ok = 1;
	}
	if (n < 2)
		return (-1);
	sa->sa_nat_local = !us_ok;
	sa->sa_nat_peer = !peer_ok;
	if (sa->sa_nat_local || sa->sa_nat_peer)
		log_info("IKE SA %u with %s: NAT detected (%s%s%s)", sa->sa_id,
		    sockaddr_str(peer, ps, sizeof(ps)),
		    sa->sa_nat_peer ? "the peer is behind a NAT" : "",
		    sa->sa_nat_peer && sa->sa_nat_local ? ", " : "",
		    sa->sa_nat_local ? "we are behind a NAT" : "");
	return (0);
}

void
ike_natt_keepalive_cb(int fd, short ev, void *arg)
{
	struct ike_sa	*sa = arg;
	struct timeval	 tv = { IKE_NATT_KEEPALIVE, 0 };

	(void)fd;
	(void)ev;
	if (sa->sa_state != IKE_SA_ESTABLISHED || !sa->sa_floated)
		return;
	(void)ike_io_keepalive(sa->sa_ctx, &sa->sa_local, &sa->sa_peer);
	evtimer_add(&sa->sa_keepalive, &tv);
}

/* RFC 3948 4: only the side behind a NAT keeps the mapping alive. */
void
ike_natt_keepalive_start(struct ike_sa *sa)
{
	struct timeval	 tv = { IKE_NATT_KEEPALIVE, 0 };

	if (sa->sa_floated && sa->sa_nat_local)
		evtimer_add(&sa->sa_keepalive, &tv);
}
