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
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/addr.h"
#include "common/json.h"
#include "common/log.h"
#include "common/msg.h"
#include "config.h"
#include "parent.h"

/*
 * The parent's half of IKE: what the ike child needs (keys, proposals,
 * sockets), and the privileged verbs it asks for -- SPI_ALLOC and SA_ADD
 * -- each checked against state the parent holds itself, never against
 * what the child says (STYLE.md, "Between processes").
 */

#define SPI_UNUSED_TTL	120	/* seconds an allocated SPI may stay unused */

struct pspi {
	TAILQ_ENTRY(pspi)	 sp_entry;
	uint32_t		 sp_spi;
	struct sockaddr_storage	 sp_peer;
	time_t			 sp_at;
	int			 sp_used;
	struct in_addr		 sp_larval;	/* kernel: ALLOCSPI's dst */
};

struct psa {
	TAILQ_ENTRY(psa)	 pa_entry;
	uint32_t		 pa_id;
	uint32_t		 pa_spi_in;
	uint32_t		 pa_spi_out;
	struct sockaddr_storage	 pa_peer;
	struct sockaddr_storage	 pa_local;
	time_t			 pa_created;
	struct msg_dp_counters	 pa_ctr;
};

static TAILQ_HEAD(, pspi)	 ike_spis = TAILQ_HEAD_INITIALIZER(ike_spis);
static TAILQ_HEAD(, psa)	 ike_sas = TAILQ_HEAD_INITIALIZER(ike_sas);
static size_t			 ike_nspis;

static uint16_t
ike_enc_iana(enum conf_enc enc, int esp)
{
	switch (enc) {
	case CONF_ENC_3DES:
		return (esp ? 3 : 5);
	case CONF_ENC_AES128:
	case CONF_ENC_AES256:
		return (esp ? 12 : 7);
	case CONF_ENC_AES128GCM16:
	case CONF_ENC_AES256GCM16:
		return (esp ? 20 : 0);
	default:
		return (0);
	}
}

/* IKE hash (RFC 2409 App. A) or ESP authentication (RFC 2407 4.5). */
static uint16_t
ike_hash_iana(enum conf_hash h, int esp)
{
	switch (h) {
	case CONF_HASH_SHA1:
		return (2);
	case CONF_HASH_SHA256:
		return (esp ? 5 : 4);
	case CONF_HASH_SHA384:
		return (esp ? 6 : 5);
	case CONF_HASH_SHA512:
		return (esp ? 7 : 6);
	default:
		return (0);
	}
}

void
ike_send_config(struct parent *pa, struct proc *p)
{
	const struct conf_ipsec		*ip = &pa->pa_conf->c_ipsec;
	const struct conf_connection	*cc;
	struct msg_ike_config		 ic;
	struct msg_ike_psk		 ik;
	size_t				 i;

	memset(&ic, 0, sizeof(ic));
	for (i = 0; i < ip->ip_nike && i < MSG_MAX_SUITES; i++) {
		ic.ic_ike[i].is_enc = ike_enc_iana(ip->ip_ike[i].su_enc, 0);
		ic.ic_ike[i].is_keylen = ip->ip_ike[i].su_enc == CONF_ENC_3DES ?
		    0 : ip->ip_ike[i].su_keylen;
		ic.ic_ike[i].is_hash = ike_hash_iana(ip->ip_ike[i].su_hash, 0);
		ic.ic_ike[i].is_group = ip->ip_ike[i].su_group;
	}
	ic.ic_nike = i;
	for (i = 0; i < ip->ip_nesp && i < MSG_MAX_SUITES; i++) {
		ic.ic_esp[i].es_enc = ike_enc_iana(ip->ip_esp[i].su_enc, 1);
		ic.ic_esp[i].es_keylen = ip->ip_esp[i].su_enc == CONF_ENC_3DES ?
		    0 : ip->ip_esp[i].su_keylen;
		ic.ic_esp[i].es_auth = ike_hash_iana(ip->ip_esp[i].su_hash, 1);
	}
	ic.ic_nesp = i;
	ic.ic_legacy = ip->ip_legacy;
	ic.ic_ike_lifetime = ip->ip_ike_lifetime;
	ic.ic_esp_lifetime = ip->ip_esp_lifetime;
	ic.ic_dpd_delay = ip->ip_dpd_delay;
	ic.ic_dpd_timeout = ip->ip_dpd_timeout;
	ic.ic_max_half_open = ip->ip_max_half_open;
	ic.ic_server = !TAILQ_EMPTY(&pa->pa_conf->c_listen);
	(void)proc_compose(p, MSG_IKE_CONFIG, &ic, sizeof(ic));

	/* The keys go to ike alone (DESIGN.md: secrets only where used). */
	if (ip->ip_psk.cs_data != NULL) {
		memset(&ik, 0, sizeof(ik));
		if (ip->ip_psk.cs_len > sizeof(ik.ik_key))
			fatalx("psk longer than %zu bytes", sizeof(ik.ik_key));
		memcpy(ik.ik_key, ip->ip_psk.cs_data, ip->ip_psk.cs_len);
		ik.ik_len = ip->ip_psk.cs_len;
		(void)proc_compose(p, MSG_IKE_PSK, &ik, sizeof(ik));
		explicit_bzero(&ik, sizeof(ik));
	}
	TAILQ_FOREACH(cc, &pa->pa_conf->c_connections, cc_entry) {
		if (cc->cc_psk.cs_data == NULL)
			continue;
		memset(&ik, 0, sizeof(ik));
		strlcpy(ik.ik_name, cc->cc_name, sizeof(ik.ik_name));
		if (cc->cc_psk.cs_len > sizeof(ik.ik_key))
			fatalx("psk longer than %zu bytes", sizeof(ik.ik_key));
		memcpy(ik.ik_key, cc->cc_psk.cs_data, cc->cc_psk.cs_len);
		ik.ik_len = cc->cc_psk.cs_len;
		(void)proc_compose(p, MSG_IKE_PSK, &ik, sizeof(ik));
		explicit_bzero(&ik, sizeof(ik));
	}
}

static void
ike_spi_expire(void)
{
	struct pspi	*sp, *next;
	time_t		 now = time(NULL);

	TAILQ_FOREACH_SAFE(sp, &ike_spis, sp_entry, next) {
		if (sp->sp_used || now - sp->sp_at < SPI_UNUSED_TTL)
			continue;
		if (sp->sp_larval.s_addr != INADDR_ANY)
			kernel_spi_free(sp->sp_larval, sp->sp_spi);
		TAILQ_REMOVE(&ike_spis, sp, sp_entry);
		ike_nspis--;
		free(sp);
	}
}

static struct pspi *
ike_spi_find(uint32_t spi)
{
	struct pspi	*sp;

	TAILQ_FOREACH(sp, &ike_spis, sp_entry)
		if (sp->sp_spi == spi)
			return (sp);
	return (NULL);
}

/*
 * SPI_ALLOC.  Userspace data path: a unique random SPI above the
 * reserved range (RFC 4303 2.1); kernel: XFRM_MSG_ALLOCSPI, which
 * reserves it in the kernel too.  Unused SPIs expire, and their number
 * is bounded.
 */
int
ike_spi_alloc(struct parent *pa, struct proc *p, struct imsg *im)
{
	struct msg_spi	 ms;
	struct pspi	*sp;
	struct in_addr	 larval = { INADDR_ANY };
	uint32_t	 spi;

	if (imsg_get_exact(im, &ms, sizeof(ms)) == -1 || ms.sp_spi != 0 ||
	    sockaddr_len(&ms.sp_peer) == 0)
		return (-1);
	ike_spi_expire();
	if (ike_nspis >= 4 * (size_t)pa->pa_conf->c_max_sessions + 64) {
		log_warnx("SPI_ALLOC: %zu SPIs handed out and unused; "
		    "refusing more", ike_nspis);
		return (-1);
	}
	/*
	 * Kernel: ALLOCSPI reserves it there (unique per local address;
	 * ours must be unique in the daemon, so a rare clash goes back).
	 * Should XFRM refuse, a random one still does: SA_ADD then makes
	 * the state anew rather than filling in a larval one.
	 */
	if (pa->pa_dataplane == DATAPLANE_KERNEL &&
	    kernel_spi_alloc(&ms.sp_peer, &ms.sp_local, &spi, &larval) == 0 &&
	    (spi < 256 || ike_spi_find(spi) != NULL)) {
		kernel_spi_free(larval, spi);
		larval.s_addr = INADDR_ANY;
	}
	if (larval.s_addr == INADDR_ANY) {
		do {
			spi = arc4random();
		} while (spi < 256 || ike_spi_find(spi) != NULL);
	}
	if ((sp = calloc(1, sizeof(*sp))) == NULL)
		fatal("calloc");
	sp->sp_spi = spi;
	sp->sp_larval = larval;
	sp->sp_peer = ms.sp_peer;
	sp->sp_at = time(NULL);
	TAILQ_INSERT_TAIL(&ike_spis, sp, sp_entry);
	ike_nspis++;
	ms.sp_spi = spi;
	return (proc_compose(p, MSG_SPI, &ms, sizeof(ms)));
}

static int
ike_local_ok(struct parent *pa, const struct msg_sa_add *sa)
{
	const struct conf_listen	*cl;
	struct sockaddr_storage		 a, b;

	if (sa->sa_connection[0] != '\0')
		return (1);	/* a client: any local address of ours */
	TAILQ_FOREACH(cl, &pa->pa_conf->c_listen, cl_entry) {
		if (cl->cl_is_iface)
			return (1);	/* addresses follow the interface */
		a = cl->cl_addr;
		b = sa->sa_local;
		/* Compare addresses only: the ports are 500/4500. */
		if (a.ss_family == AF_INET && b.ss_family == AF_INET) {
			((struct sockaddr_in *)&a)->sin_port = 0;
			((struct sockaddr_in *)&b)->sin_port = 0;
		} else if (a.ss_family == AF_INET6 &&
		    b.ss_family == AF_INET6) {
			((struct sockaddr_in6 *)&a)->sin6_port = 0;
			((struct sockaddr_in6 *)&b)->sin6_port = 0;
		}
		if (sockaddr_cmp(&a, &b) == 0)
			return (1);
	}
	return (0);
}

/* The ESP suite must be one the config allows, with matching keys. */
static const char *
ike_check_algs(struct parent *pa, const struct msg_sa_add *sa)
{
	const struct conf_ipsec	*ip = &pa->pa_conf->c_ipsec;
	size_t			 i, enc_len = 0, auth_len = 0;
	int			 allowed = 0;

	for (i = 0; i < ip->ip_nesp; i++) {
		const struct conf_suite *su = &ip->ip_esp[i];
		uint16_t keylen = su->su_enc == CONF_ENC_3DES ? 192 :
		    su->su_keylen;

		if (ike_enc_iana(su->su_enc, 1) != sa->sa_enc ||
		    ike_hash_iana(su->su_hash, 1) != sa->sa_auth)
			continue;
		enc_len = keylen / 8 + (sa->sa_enc == 20 ? 4 : 0);
		auth_len = sa->sa_auth == 2 ? 20 : sa->sa_auth == 5 ? 32 :
		    sa->sa_auth == 6 ? 48 : sa->sa_auth == 7 ? 64 : 0;
		if (sa->sa_enc_keylen == enc_len &&
		    sa->sa_auth_keylen == auth_len) {
			allowed = 1;
			break;
		}
	}
	if (!allowed)
		return ("ESP algorithms or key lengths not in the config");
	return (NULL);
}

/* parent_check_sa_add: every field against what the parent holds. */
static const char *
ike_check_sa_add(struct parent *pa, const struct msg_sa_add *sa)
{
	const struct conf_connection	*cc;
	struct pspi			*sp;
	const char			*why;

	if (!msg_str_ok(sa->sa_connection, sizeof(sa->sa_connection)))
		return ("malformed");
	if (sockaddr_len(&sa->sa_peer) == 0 ||
	    sa->sa_peer.ss_family != sa->sa_local.ss_family)
		return ("bad outer addresses");
	if (sa->sa_proto != IPPROTO_UDP || sa->sa_local_port != 1701)
		return ("selector is not UDP/1701 on our side (RFC 3193)");
	if (sa->sa_peer_port != 0 && sa->sa_peer_port != 1701 &&
	    sa->sa_peer_port < 1024)
		return ("peer selector port not 1701, 0 or ephemeral");
	if (sa->sa_encap > 1)
		return ("unknown encapsulation");
	if (!ike_local_ok(pa, sa))
		return ("local address is not one we listen on");
	if (sa->sa_connection[0] != '\0') {
		TAILQ_FOREACH(cc, &pa->pa_conf->c_connections, cc_entry)
			if (strcmp(cc->cc_name, sa->sa_connection) == 0)
				break;
		if (cc == NULL)
			return ("no such connection");
	}
	if ((sp = ike_spi_find(sa->sa_spi_in)) == NULL || sp->sp_used)
		return ("inbound SPI was not handed out by the parent");
	if (sa->sa_spi_out < 256)
		return ("peer SPI in the reserved range");
	if ((why = ike_check_algs(pa, sa)) != NULL)
		return (why);
	if (sa->sa_lifetime_s == 0 ||
	    sa->sa_lifetime_s > pa->pa_conf->c_ipsec.ip_esp_lifetime)
		return ("lifetime beyond the configured maximum");
	return (NULL);
}

int
ike_sa_add(struct parent *pa, struct proc *p, struct imsg *im)
{
	struct msg_sa_add	 sa;
	struct msg_sa_result	 res;
	struct psa		*ps;
	struct pspi		*sp;
	const char		*why;
	char			 peer[SOCKADDR_STRLEN];
	char			 kwhy[MSG_REASON_MAX + 256];

	if (imsg_get_exact(im, &sa, sizeof(sa)) == -1)
		return (-1);
	memset(&res, 0, sizeof(res));
	res.sr_id = sa.sa_id;
	sockaddr_str(&sa.sa_peer, peer, sizeof(peer));
	TAILQ_FOREACH(ps, &ike_sas, pa_entry)
		if (ps->pa_id == sa.sa_id)
			break;
	why = ps != NULL ? "duplicate SA id" : ike_check_sa_add(pa, &sa);
	if (why != NULL) {
		log_warnx("SA_ADD for %s refused: %s", peer, why);
		strlcpy(res.sr_reason, why, sizeof(res.sr_reason));
		explicit_bzero(&sa, sizeof(sa));
		return (proc_compose(p, MSG_SA_ADD_FAIL, &res, sizeof(res)));
	}
	sp = ike_spi_find(sa.sa_spi_in);
	/* Kernel: the states and policies now, or SA_ADD_FAIL and nothing. */
	if (pa->pa_dataplane == DATAPLANE_KERNEL &&
	    kernel_sa_add(&sa, sp->sp_larval, kwhy, sizeof(kwhy)) == -1) {
		log_warnx("SA_ADD for %s (SA %u, in %08x out %08x) refused: "
		    "%s", peer, sa.sa_id, sa.sa_spi_in, sa.sa_spi_out, kwhy);
		strlcpy(res.sr_reason, kwhy, sizeof(res.sr_reason));
		explicit_bzero(&sa, sizeof(sa));
		return (proc_compose(p, MSG_SA_ADD_FAIL, &res, sizeof(res)));
	}
	sp->sp_used = 1;
	if ((ps = calloc(1, sizeof(*ps))) == NULL)
		fatal("calloc");
	ps->pa_id = sa.sa_id;
	ps->pa_spi_in = sa.sa_spi_in;
	ps->pa_spi_out = sa.sa_spi_out;
	ps->pa_peer = sa.sa_peer;
	ps->pa_local = sa.sa_local;
	ps->pa_created = time(NULL);
	TAILQ_INSERT_TAIL(&ike_sas, ps, pa_entry);
	/* A connection's SA: its L2TP dials through it (client role). */
	if (sa.sa_connection[0] != '\0')
		client_sa_up(pa, &sa);
	/* The keys go to the data path, and nowhere else. */
	if (pa->pa_dataplane == DATAPLANE_USERSPACE &&
	    pa->pa_procs[PROC_DATAPATH].p_pid != 0)
		(void)proc_compose(&pa->pa_procs[PROC_DATAPATH],
		    MSG_DP_SA_ADD, &sa, sizeof(sa));
	explicit_bzero(&sa, sizeof(sa));
	log_info("IPsec SA %u with %s: in %08x out %08x recorded", ps->pa_id,
	    peer, ps->pa_spi_in, ps->pa_spi_out);
	return (proc_compose(p, MSG_SA_ADD_OK, &res, sizeof(res)));
}

int
ike_sa_del(struct parent *pa, struct imsg *im)
{
	struct msg_sa_ref	 sf;
	struct psa		*ps, *other;
	struct pspi		*sp;
	char			 where[SOCKADDR_STRLEN];
	int			 n;

	if (imsg_get_exact(im, &sf, sizeof(sf)) == -1)
		return (-1);
	TAILQ_FOREACH(ps, &ike_sas, pa_entry)
		if (ps->pa_id == sf.sf_id)
			break;
	if (ps == NULL)
		return (0);	/* deleted before it was added: nothing held */
	if ((sp = ike_spi_find(ps->pa_spi_in)) != NULL) {
		TAILQ_REMOVE(&ike_spis, sp, sp_entry);
		ike_nspis--;
		free(sp);
	}
	TAILQ_REMOVE(&ike_sas, ps, pa_entry);
	TAILQ_FOREACH(other, &ike_sas, pa_entry)
		if (sockaddr_cmp(&other->pa_peer, &ps->pa_peer) == 0)
			break;
	if (other == NULL && (n = session_peer_gone(pa, &ps->pa_peer,
	    "the IPsec SA went away")) > 0)
		log_info("%s: its last IPsec SA is gone; ending %d session(s)",
		    sockaddr_str(&ps->pa_peer, where, sizeof(where)), n);
	free(ps);
	if (pa->pa_dataplane == DATAPLANE_KERNEL)
		kernel_sa_del(sf.sf_id);
	client_sa_down(pa, sf.sf_id);
	if (pa->pa_procs[PROC_DATAPATH].p_pid != 0)
		(void)proc_compose(&pa->pa_procs[PROC_DATAPATH], MSG_DP_SA_DEL,
		    &sf, sizeof(sf));
	return (0);
}

void
ike_sa_counters(const struct msg_dp_counters *dc)
{
	struct psa	*ps;

	TAILQ_FOREACH(ps, &ike_sas, pa_entry)
		if (ps->pa_id == dc->dc_id)
			ps->pa_ctr = *dc;
}

/* `show sa`: ike knows the SA, the data path its traffic. */
void
ike_fill_counters(struct parent *pa, struct ctl_ipsec_sa *cp)
{
	struct psa	*ps;

	if (pa->pa_dataplane == DATAPLANE_KERNEL) {
		kernel_sa_fill(cp);
		return;
	}
	TAILQ_FOREACH(ps, &ike_sas, pa_entry) {
		if (ps->pa_id != cp->cp_id)
			continue;
		cp->cp_bytes_in = ps->pa_ctr.dc_rx_bytes;
		cp->cp_bytes_out = ps->pa_ctr.dc_tx_bytes;
		cp->cp_packets_in = ps->pa_ctr.dc_rx_packets;
		cp->cp_packets_out = ps->pa_ctr.dc_tx_packets;
	}
}

/*
 * A peer's NAT mapping moved (a new outer port, authenticated by ike):
 * the SA follows, so the data path answers to the new port.
 */
int
parent_nat_mapping(struct parent *pa, struct imsg *im)
{
	struct msg_nat_mapping	 nm;
	struct psa		*ps;

	if (imsg_get_exact(im, &nm, sizeof(nm)) == -1 ||
	    sockaddr_len(&nm.nm_peer) == 0)
		return (-1);
	TAILQ_FOREACH(ps, &ike_sas, pa_entry)
		if (ps->pa_id == nm.nm_id)
			break;
	if (ps == NULL)
		return (0);
	/* Same host only: a mapping moves the port, never the address. */
	if (nm.nm_peer.ss_family != ps->pa_peer.ss_family ||
	    (nm.nm_peer.ss_family == AF_INET &&
	    ((struct sockaddr_in *)&nm.nm_peer)->sin_addr.s_addr !=
	    ((struct sockaddr_in *)&ps->pa_peer)->sin_addr.s_addr))
		return (-1);
	ps->pa_peer = nm.nm_peer;
	if (pa->pa_dataplane == DATAPLANE_KERNEL)
		kernel_nat_mapping(nm.nm_id, &nm.nm_peer);
	if (pa->pa_procs[PROC_DATAPATH].p_pid != 0)
		(void)proc_compose(&pa->pa_procs[PROC_DATAPATH],
		    MSG_DP_SA_PEER, &nm, sizeof(nm));
	return (0);
}

/* The kernel saw an SA's ESP from a new port (kernel.c): follow it. */
void
ike_psa_peer_moved(uint32_t id, const struct sockaddr_storage *peer)
{
	struct psa	*ps;

	TAILQ_FOREACH(ps, &ike_sas, pa_entry)
		if (ps->pa_id == id)
			ps->pa_peer = *peer;
}

/* `connect NAME`: the client role starts with IKE (DESIGN.md). */
int
ike_connect(struct parent *pa, const char *name, char *msg, size_t msglen)
{
	const struct conf_connection	*cc;
	struct msg_ike_initiate		 ii;

	TAILQ_FOREACH(cc, &pa->pa_conf->c_connections, cc_entry)
		if (strcmp(cc->cc_name, name) == 0)
			break;
	if (cc == NULL) {
		snprintf(msg, msglen, "no connection named \"%s\" in %s",
		    name, pa->pa_conffile);
		return (-1);
	}
	memset(&ii, 0, sizeof(ii));
	strlcpy(ii.ii_name, cc->cc_name, sizeof(ii.ii_name));
	ii.ii_peer = cc->cc_server;
	if (ii.ii_peer.ss_family == AF_INET)
		((struct sockaddr_in *)&ii.ii_peer)->sin_port = htons(500);
	else
		((struct sockaddr_in6 *)&ii.ii_peer)->sin6_port = htons(500);
	if (proc_request(&pa->pa_procs[PROC_IKE], MSG_IKE_INITIATE, 0, &ii,
	    sizeof(ii)) == -1) {
		snprintf(msg, msglen, "the ike child is not ready");
		return (-1);
	}
	snprintf(msg, msglen, "connection %s: IKE started", name);
	return (0);
}
