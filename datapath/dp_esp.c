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
#include <sys/types.h>

#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/addr.h"
#include "common/child.h"
#include "common/log.h"
#include "common/msg.h"
#include "datapath.h"

/*
 * The SA table and ESP in and out.  The engine (esp.c) owns the bytes
 * from SPI to ICV; this file owns which SA a packet belongs to, the
 * inner UDP/1701 datagram of transport mode (RFC 3193), RFC 3948's
 * framing, counters and byte lifetimes.
 */

/* A byte lifetime's soft limit, as a fraction of the hard one. */
#define DP_SOFT_NUM	9
#define DP_SOFT_DEN	10

static unsigned int
dp_mix(uint32_t k)
{
	k ^= k >> 16;
	k *= 0x7feb352d;
	k ^= k >> 15;
	k *= 0x846ca68b;
	k ^= k >> 16;
	return (k % DP_HASH);
}

static unsigned int
dp_spi_hash(uint32_t spi)
{
	return (dp_mix(spi));
}

static unsigned int
dp_peer_hash(const struct sockaddr_storage *ss)
{
	const struct sockaddr_in6	*s6;
	uint32_t			 k, w;
	size_t				 i;

	if (ss->ss_family == AF_INET)
		k = ((const struct sockaddr_in *)ss)->sin_addr.s_addr;
	else {
		s6 = (const struct sockaddr_in6 *)ss;
		k = 0;
		for (i = 0; i < 16; i += 4) {
			memcpy(&w, s6->sin6_addr.s6_addr + i, 4);
			k = k * 31 + w;
		}
	}
	return (dp_mix(k ^ (uint32_t)sockaddr_port(ss) << 7));
}

struct dp_sa *
dp_sa_find(struct datapath *dp, uint32_t id)
{
	struct dp_sa	*sa;

	TAILQ_FOREACH(sa, &dp->dp_sas, dsa_entry)
		if (sa->dsa_id == id)
			return (sa);
	return (NULL);
}

static struct dp_sa *
dp_sa_find_spi(struct datapath *dp, uint32_t spi)
{
	struct dp_sa	*sa;

	LIST_FOREACH(sa, &dp->dp_spi_hash[dp_spi_hash(spi)], dsa_spi_link)
		if (sa->dsa_in.es_spi == spi)
			return (sa);
	return (NULL);
}

/*
 * Inbound lookup by (outer peer address, peer port, SPI).  Our SPIs are
 * unique in the daemon, so the SPI finds at most one SA; the address
 * and, for ESP in UDP, the port must then be the SA's: ESP with a good
 * SPI from anywhere else never reaches the cipher.  Raw ESP has no
 * port, and an SA made for UDP is not used raw, nor the other way.
 */
static struct dp_sa *
dp_sa_lookup(struct datapath *dp, uint32_t spi,
    const struct sockaddr_storage *peer, int encap)
{
	struct dp_sa	*sa;

	if ((sa = dp_sa_find_spi(dp, spi)) == NULL ||
	    sa->dsa_encap != encap || !dp_addr_eq(&sa->dsa_peer, peer) ||
	    (encap && sockaddr_port(&sa->dsa_peer) != sockaddr_port(peer)))
		return (NULL);
	return (sa);
}

/*
 * The SA that carries traffic to a peer (outer address:port): the
 * newest that is not past its hard lifetime.  After a rekey that is the
 * new one, as the kernel's outbound policy lookup would pick.
 */
struct dp_sa *
dp_sa_for_peer(struct datapath *dp, const struct sockaddr_storage *peer)
{
	struct dp_sa	*sa, *best = NULL;

	if (peer->ss_family != AF_INET && peer->ss_family != AF_INET6)
		return (NULL);
	LIST_FOREACH(sa, &dp->dp_peer_hash[dp_peer_hash(peer)], dsa_peer_link)
		if (!sa->dsa_dead && sockaddr_cmp(&sa->dsa_peer, peer) == 0 &&
		    (best == NULL || sa->dsa_serial > best->dsa_serial))
			best = sa;
	return (best);
}

/* Any SA to that peer at all, even one past its lifetime. */
int
dp_sa_peer_known(struct datapath *dp, const struct sockaddr_storage *peer)
{
	struct dp_sa	*sa;

	if (peer->ss_family != AF_INET && peer->ss_family != AF_INET6)
		return (0);
	LIST_FOREACH(sa, &dp->dp_peer_hash[dp_peer_hash(peer)], dsa_peer_link)
		if (sockaddr_cmp(&sa->dsa_peer, peer) == 0)
			return (1);
	return (0);
}

static void
dp_sa_expire(struct datapath *dp, struct dp_sa *sa, int hard,
    const char *why)
{
	struct msg_sa_expire	 sx;

	if (hard) {
		if (sa->dsa_dead)
			return;
		/* RFC 4301 4.4.2.1: past the hard limit it is not used. */
		sa->dsa_dead = 1;
		dp->dp_sa_gen++;
	} else {
		if (sa->dsa_soft_sent || sa->dsa_dead)
			return;
		sa->dsa_soft_sent = 1;
	}
	log_info("IPsec SA %u: %s lifetime reached (%s)", sa->dsa_id,
	    hard ? "hard" : "soft", why);
	memset(&sx, 0, sizeof(sx));
	sx.sx_id = sa->dsa_id;
	sx.sx_hard = hard;
	(void)child_compose(dp->dp_child, MSG_DP_SA_EXPIRE, 0, -1, &sx,
	    sizeof(sx));
}

/*
 * Byte lifetimes (RFC 2407 4.5, kilobytes; Windows proposes them):
 * each direction of the pair counts on its own, as the kernel's two
 * XFRM states would.
 */
static void
dp_sa_check_bytes(struct datapath *dp, struct dp_sa *sa)
{
	uint64_t	 b;

	if (sa->dsa_hard_bytes == 0)
		return;
	b = sa->dsa_in.es_stats.est_bytes;
	if (sa->dsa_out.es_stats.est_bytes > b)
		b = sa->dsa_out.es_stats.est_bytes;
	if (b >= sa->dsa_hard_bytes)
		dp_sa_expire(dp, sa, 1, "bytes");
	else if (b >= sa->dsa_soft_bytes)
		dp_sa_expire(dp, sa, 0, "bytes");
}

static int
dp_esp_err_stat(int e)
{
	switch (e) {
	case ESP_E_SHORT:
		return (DP_ST_ESP_ERR_SHORT);
	case ESP_E_LENGTH:
		return (DP_ST_ESP_ERR_LENGTH);
	case ESP_E_SPI:
		return (DP_ST_ESP_ERR_SPI);
	case ESP_E_REPLAY:
		return (DP_ST_ESP_ERR_REPLAY);
	case ESP_E_STALE:
		return (DP_ST_ESP_ERR_STALE);
	case ESP_E_AUTH:
		return (DP_ST_ESP_ERR_AUTH);
	case ESP_E_PAD:
		return (DP_ST_ESP_ERR_PAD);
	default:
		return (DP_ST_ESP_ERR_OTHER);
	}
}

/*
 * One ESP packet (after the UDP header on 4500, after the IP header on
 * raw) from peer, decrypted in place.
 */
void
dp_esp_input(struct datapath *dp, struct dp_sock *ds,
    const struct sockaddr_storage *peer, uint8_t *pkt, size_t len)
{
	struct dp_sa	*sa;
	struct dp_udp	 u;
	uint8_t		*inner, nh;
	uint32_t	 spi;
	size_t		 off, plen;
	int		 e;

	if (esp_peek_spi(pkt, len, &spi) == -1) {
		DP_COUNT(dp, DP_ST_ESP_MALFORMED);
		return;
	}
	if ((sa = dp_sa_lookup(dp, spi, peer,
	    ds->ds_kind == SOCKET_ESP_UDP)) == NULL) {
		DP_COUNT(dp, DP_ST_ESP_NO_SA);
		return;
	}
	if (sa->dsa_dead) {
		DP_COUNT(dp, DP_ST_ESP_SA_DEAD);
		return;
	}
	off = esp_payload_offset(&sa->dsa_in);
	inner = pkt + (off <= len ? off : 0);
	if ((e = esp_decap(&sa->dsa_in, pkt, len, inner,
	    len >= off ? len - off : 0, &plen, &nh)) != ESP_OK) {
		DP_COUNT(dp, dp_esp_err_stat(e));
		return;
	}
	/* Authentic: this is where the peer is, and the socket to use. */
	sa->dsa_sock = ds;
	dp_sa_check_bytes(dp, sa);
	if (nh == ESP_NH_NONE) {
		/* RFC 4303 2.6: a dummy packet, dropped silently. */
		DP_COUNT(dp, DP_ST_ESP_DUMMY);
		return;
	}
	if (nh != DP_IPPROTO_UDP) {
		DP_COUNT(dp, DP_ST_INNER_NOT_UDP);
		return;
	}
	if (dp_udp_parse(inner, plen, &u) != DP_P_OK) {
		DP_COUNT(dp, DP_ST_INNER_MALFORMED);
		return;
	}
	/*
	 * RFC 3193 4, 5.1: the SA protects UDP from the peer's L2TP port
	 * to our 1701, nothing else.  Its checksum is ignored (dp_parse.h).
	 */
	if (u.u_dport != sa->dsa_local_port ||
	    (sa->dsa_peer_port != 0 && u.u_sport != sa->dsa_peer_port)) {
		DP_COUNT(dp, DP_ST_INNER_PORT);
		return;
	}
	if (sa->dsa_peer_port == 0)
		sa->dsa_peer_port_out = u.u_sport;
	dp_l2tp_input(dp, sa, &sa->dsa_peer, NULL, inner + DP_UDP_HDRLEN,
	    u.u_len - DP_UDP_HDRLEN);
}

static struct dp_sock *
dp_sa_sock(struct datapath *dp, struct dp_sa *sa)
{
	struct dp_sock	*ds, *wild = NULL;
	int		 kind = sa->dsa_encap ? SOCKET_ESP_UDP : SOCKET_ESP_RAW;

	if (sa->dsa_sock != NULL)
		return (sa->dsa_sock);
	TAILQ_FOREACH(ds, &dp->dp_socks, ds_entry) {
		if (ds->ds_kind != kind ||
		    ds->ds_local.ss_family != sa->dsa_local.ss_family)
			continue;
		if (dp_addr_eq(&ds->ds_local, &sa->dsa_local)) {
			sa->dsa_sock = ds;
			return (ds);
		}
		if (ds->ds_wild && wild == NULL)
			wild = ds;
	}
	return (sa->dsa_sock = wild);
}

/*
 * An L2TP message at slot + DP_OFF_L2TP, len bytes, to the SA's peer:
 * the inner UDP header in front of it, ESP around that, in place, and
 * into the send batch.
 *
 * The inner UDP checksum is 0 on IPv4: RFC 768 allows it, RFC 3948
 * 3.1.2 (3) has a receiver behind NAT zero it anyway because NAT makes
 * the pseudo-header wrong, the ICV covers every byte, and Linux's own
 * L2TP sockets send none by default.  IPv6 forbids 0 (RFC 8200 8.1):
 * there it is computed over our addresses.
 */
int
dp_sa_output(struct datapath *dp, struct dp_sa *sa, uint8_t *slot,
    size_t len)
{
	struct dp_sock	*ds;
	uint8_t		*udp = slot + DP_OFF_INNER, *out;
	size_t		 ulen = DP_UDP_HDRLEN + len, off;
	ssize_t		 n;
	uint16_t	 sum;

	if (sa->dsa_dead)
		return (-1);
	if ((ds = dp_sa_sock(dp, sa)) == NULL) {
		DP_COUNT(dp, DP_ST_TX_ERRORS);
		return (-1);
	}
	dp_udp_put(udp, sa->dsa_local_port, sa->dsa_peer_port_out, ulen, 0);
	if (sa->dsa_peer.ss_family == AF_INET6) {
		sum = dp_udp6_sum(
		    ((struct sockaddr_in6 *)&sa->dsa_local)->sin6_addr.s6_addr,
		    ((struct sockaddr_in6 *)&sa->dsa_peer)->sin6_addr.s6_addr,
		    udp, ulen);
		udp[6] = sum >> 8;
		udp[7] = sum & 0xff;
	}
	off = esp_payload_offset(&sa->dsa_out);
	out = udp - off;
	n = esp_encap(&sa->dsa_out, udp, ulen, DP_IPPROTO_UDP, out,
	    DP_SLOT - (size_t)(out - slot));
	if (n < 0) {
		DP_COUNT(dp, DP_ST_ESP_ENCAP_FAILED);
		/* RFC 4303 3.3.3: the counter may not cycle: rekey. */
		if (n == ESP_E_SEQ_OVERFLOW)
			dp_sa_expire(dp, sa, 1, "sequence numbers");
		return (-1);
	}
	dp_sa_check_bytes(dp, sa);
	if (sa->dsa_out.es_seq >= ESP_SEQ_SOFT)
		dp_sa_expire(dp, sa, 0, "sequence numbers");
	dp_tx_commit(dp, ds, &sa->dsa_peer, &sa->dsa_local, out, (size_t)n);
	return (0);
}

static int
dp_sa_family_ok(const struct sockaddr_storage *ss)
{
	return (ss->ss_family == AF_INET || ss->ss_family == AF_INET6);
}

static time_t
dp_now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (ts.tv_sec);
}

/*
 * MSG_DP_SA_ADD, which the parent checked against what it holds; these
 * checks only keep this process consistent.  The keys go into the
 * OpenSSL contexts and are wiped from the copy here; imsg_free() wipes
 * the message.
 */
int
datapath_sa_add(struct datapath *dp, const void *data, size_t len)
{
	struct msg_sa_add	 m;
	struct dp_sa		*sa;
	char			 where[SOCKADDR_STRLEN];
	int			 e;

	if (len != sizeof(m))
		return (-1);
	memcpy(&m, data, sizeof(m));
	if (m.sa_id == 0 || dp_sa_find(dp, m.sa_id) != NULL ||
	    !dp_sa_family_ok(&m.sa_peer) ||
	    m.sa_local.ss_family != m.sa_peer.ss_family || m.sa_encap > 1 ||
	    m.sa_spi_in == 0 || m.sa_spi_out == 0 ||
	    dp_sa_find_spi(dp, m.sa_spi_in) != NULL ||
	    m.sa_enc_keylen > MSG_ESP_KEY_MAX ||
	    m.sa_auth_keylen > MSG_ESP_KEY_MAX ||
	    m.sa_proto != DP_IPPROTO_UDP || m.sa_local_port == 0)
		goto bad;
	if ((sa = calloc(1, sizeof(*sa))) == NULL)
		fatal("calloc");
	if ((e = esp_sa_init(&sa->dsa_in, ESP_DIR_IN, m.sa_spi_in, m.sa_enc,
	    m.sa_enc_in, m.sa_enc_keylen, m.sa_auth, m.sa_auth_in,
	    m.sa_auth_keylen)) != ESP_OK ||
	    (e = esp_sa_init(&sa->dsa_out, ESP_DIR_OUT, m.sa_spi_out,
	    m.sa_enc, m.sa_enc_out, m.sa_enc_keylen, m.sa_auth,
	    m.sa_auth_out, m.sa_auth_keylen)) != ESP_OK) {
		log_warnx("IPsec SA %u: transform %u/%u: %s", m.sa_id,
		    m.sa_enc, m.sa_auth, esp_strerror(e));
		esp_sa_free(&sa->dsa_in);
		free(sa);
		goto bad;
	}
	sa->dsa_id = m.sa_id;
	sa->dsa_ike_id = m.sa_ike_id;
	sa->dsa_serial = ++dp->dp_sa_serial;
	sa->dsa_peer = m.sa_peer;
	sa->dsa_local = m.sa_local;
	sa->dsa_encap = m.sa_encap;
	sa->dsa_local_port = m.sa_local_port;
	sa->dsa_peer_port = m.sa_peer_port;
	/* "any" (0): answer to 1701 until the peer shows its port. */
	sa->dsa_peer_port_out = m.sa_peer_port != 0 ? m.sa_peer_port :
	    DP_L2TP_PORT;
	if (m.sa_lifetime_kb != 0) {
		sa->dsa_hard_bytes = m.sa_lifetime_kb > UINT64_MAX / 1024 ?
		    UINT64_MAX : m.sa_lifetime_kb * 1024;
		sa->dsa_soft_bytes = sa->dsa_hard_bytes / DP_SOFT_DEN *
		    DP_SOFT_NUM;
	}
	if (m.sa_lifetime_s != 0)
		sa->dsa_expires = dp_now() + m.sa_lifetime_s;
	explicit_bzero(&m, sizeof(m));
	TAILQ_INSERT_TAIL(&dp->dp_sas, sa, dsa_entry);
	LIST_INSERT_HEAD(&dp->dp_spi_hash[dp_spi_hash(sa->dsa_in.es_spi)],
	    sa, dsa_spi_link);
	LIST_INSERT_HEAD(&dp->dp_peer_hash[dp_peer_hash(&sa->dsa_peer)], sa,
	    dsa_peer_link);
	dp->dp_sa_gen++;
	log_debug("IPsec SA %u: %s%s, spi in %08x out %08x", sa->dsa_id,
	    sockaddr_str(&sa->dsa_peer, where, sizeof(where)),
	    sa->dsa_encap ? " (ESP in UDP)" : "", sa->dsa_in.es_spi,
	    sa->dsa_out.es_spi);
	return (0);
 bad:
	explicit_bzero(&m, sizeof(m));
	return (-1);
}

static void
dp_sa_free(struct datapath *dp, struct dp_sa *sa)
{
	TAILQ_REMOVE(&dp->dp_sas, sa, dsa_entry);
	LIST_REMOVE(sa, dsa_spi_link);
	LIST_REMOVE(sa, dsa_peer_link);
	/* esp_sa_free() cleanses the contexts and the struct. */
	esp_sa_free(&sa->dsa_in);
	esp_sa_free(&sa->dsa_out);
	free(sa);
	/* Sessions' cached outbound SAs are stale from here on. */
	dp->dp_sa_gen++;
}

void
dp_sa_free_all(struct datapath *dp)
{
	struct dp_sa	*sa;

	while ((sa = TAILQ_FIRST(&dp->dp_sas)) != NULL)
		dp_sa_free(dp, sa);
}

int
datapath_sa_del(struct datapath *dp, const void *data, size_t len)
{
	struct msg_sa_ref	 sf;
	struct sockaddr_storage	 peer;
	struct dp_sa		*sa;

	if (len != sizeof(sf))
		return (-1);
	memcpy(&sf, data, sizeof(sf));
	/* Gone already (never added, or a duplicate): nothing to do. */
	if ((sa = dp_sa_find(dp, sf.sf_id)) == NULL)
		return (0);
	/* The last counts, so `show sa` and the audit see every byte. */
	dp_sa_report(dp, sa, 0);
	peer = sa->dsa_peer;
	dp_sa_free(dp, sa);
	/*
	 * A rekey adds the new SA before the old one goes.  The last SA to
	 * an address:port going means that client is gone: its sessions
	 * must not be reachable by whoever the NAT maps there next.
	 */
	if (!dp_sa_peer_known(dp, &peer))
		dp_session_orphan(dp, &peer);
	return (0);
}

/*
 * MSG_DP_SA_PEER: the peer's NAT mapping changed (RFC 3947 / 3948: the
 * IKE traffic showed a new outer port).  The mapping belongs to the
 * peer, not to one SA: every SA to the old address:port moves, and so
 * do the sessions bound to it.
 */
int
datapath_sa_peer(struct datapath *dp, const void *data, size_t len)
{
	struct msg_nat_mapping	 nm;
	struct sockaddr_storage	 old;
	struct dp_sa		*sa, *o;
	char			 a[SOCKADDR_STRLEN], b[SOCKADDR_STRLEN];

	if (len != sizeof(nm))
		return (-1);
	memcpy(&nm, data, sizeof(nm));
	if ((sa = dp_sa_find(dp, nm.nm_id)) == NULL)
		return (0);
	if (nm.nm_peer.ss_family != sa->dsa_peer.ss_family)
		return (-1);
	if (sockaddr_cmp(&sa->dsa_peer, &nm.nm_peer) == 0)
		return (0);
	old = sa->dsa_peer;
	log_info("IPsec SA %u: peer %s moved to %s", sa->dsa_id,
	    sockaddr_str(&old, a, sizeof(a)),
	    sockaddr_str(&nm.nm_peer, b, sizeof(b)));
	TAILQ_FOREACH(o, &dp->dp_sas, dsa_entry) {
		if (sockaddr_cmp(&o->dsa_peer, &old) != 0)
			continue;
		LIST_REMOVE(o, dsa_peer_link);
		o->dsa_peer = nm.nm_peer;
		LIST_INSERT_HEAD(&dp->dp_peer_hash[dp_peer_hash(&o->dsa_peer)],
		    o, dsa_peer_link);
	}
	dp_session_move_peer(dp, &old, &nm.nm_peer);
	dp->dp_sa_gen++;
	return (0);
}

/*
 * MSG_DP_COUNTERS for an SA if it moved (or force): ESP payload bytes
 * (the inner UDP datagrams) and packets, totals since it was added.
 */
void
dp_sa_report(struct datapath *dp, struct dp_sa *sa, int force)
{
	const struct esp_stats	*in = &sa->dsa_in.es_stats;
	const struct esp_stats	*out = &sa->dsa_out.es_stats;

	if (!force && in->est_packets == sa->dsa_rep_in &&
	    out->est_packets == sa->dsa_rep_out)
		return;
	dp_counters_send(dp, DP_COUNTERS_SA, sa->dsa_id, in->est_bytes,
	    out->est_bytes, in->est_packets, out->est_packets);
	sa->dsa_rep_in = in->est_packets;
	sa->dsa_rep_out = out->est_packets;
}

/*
 * The time lifetime, checked every report period.  ike rekeys and
 * deletes on its own timers; this is the hard stop the kernel's XFRM
 * state would enforce, should that not have happened.
 */
void
dp_sa_check_time(struct datapath *dp, struct dp_sa *sa)
{
	if (sa->dsa_expires != 0 && !sa->dsa_dead &&
	    dp_now() >= sa->dsa_expires)
		dp_sa_expire(dp, sa, 1, "time");
}
