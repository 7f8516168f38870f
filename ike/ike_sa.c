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
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>

#include "common/addr.h"
#include "common/cursor.h"
#include "common/log.h"
#include "ike.h"
#include "ike_dh.h"

/*
 * The IKE SA table: SAs are found by the initiator cookie (a keyed hash
 * picks the bucket, so chosen cookies cannot pile into one) and then
 * the responder cookie; a responder's half-open SA also by the peer's
 * address:port, for a retransmitted first message that has no responder
 * cookie yet.  Several clients behind one NAT are told apart by their
 * cookies and ports, never by address alone.
 *
 * An SA that ends is unlinked at once (no lookup finds it, its timers
 * are stopped) and freed by the reaper after the current event, so a
 * handler deep in an exchange never touches freed memory.
 */

static void	ike_sa_rexmit_cb(int, short, void *);
static void	ike_sa_timeout_cb(int, short, void *);
static void	ike_sa_rekey_cb(int, short, void *);
static void	ike_child_soft_cb(int, short, void *);
static void	ike_child_hard_cb(int, short, void *);
static void	ike_reaper_cb(int, short, void *);

const char *
ike_sa_state_name(enum ike_sa_state st)
{
	switch (st) {
	case IKE_SA_NEW:
		return ("new");
	case IKE_SA_MM_R_SA:
		return ("half-open");
	case IKE_SA_MM_R_KE:
		return ("key-exchange");
	case IKE_SA_MM_I_SA:
		return ("sa-sent");
	case IKE_SA_MM_I_KE:
		return ("key-exchange");
	case IKE_SA_MM_I_AUTH:
		return ("auth-sent");
	case IKE_SA_ESTABLISHED:
		return ("established");
	case IKE_SA_EXPIRED:
		return ("expired");
	case IKE_SA_DEAD:
		return ("dead");
	}
	return ("unknown");
}

const char *
ike_peer_str(const struct ike_sa *sa, char *buf, size_t len)
{
	return (sockaddr_str(&sa->sa_peer, buf, len));
}

void
ike_sa_set_state(struct ike_sa *sa, enum ike_sa_state st)
{
	char	 ps[SOCKADDR_STRLEN];

	if (sa->sa_state == st)
		return;
	log_debug("IKE SA %u with %s: %s -> %s", sa->sa_id,
	    ike_peer_str(sa, ps, sizeof(ps)), ike_sa_state_name(sa->sa_state),
	    ike_sa_state_name(st));
	sa->sa_state = st;
}

static void
timer_init(struct ike_ctx *ix, struct event *ev,
    void (*cb)(int, short, void *), void *arg)
{
	evtimer_set(ev, cb, arg);
	event_base_set(ix->ix_base, ev);
}

static void
timer_add(struct event *ev, time_t secs)
{
	struct timeval	 tv;

	tv.tv_sec = secs;
	tv.tv_usec = 0;
	evtimer_add(ev, &tv);
}

static size_t
bucket_of(const struct ike_ctx *ix, const uint8_t *icookie)
{
	uint64_t	 v;

	memcpy(&v, icookie, sizeof(v));
	v ^= ix->ix_bucket_key;
	v *= 0x9e3779b97f4a7c15ULL;
	v ^= v >> 29;
	v *= 0xbf58476d1ce4e5b9ULL;
	return ((size_t)(v >> 40) % IKE_BUCKETS);
}

static int
cookie_zero(const uint8_t *c)
{
	static const uint8_t	 zero[ISAKMP_COOKIE_LEN];

	return (memcmp(c, zero, ISAKMP_COOKIE_LEN) == 0);
}

/*
 * The SA a message belongs to.  A responder's half-open SA answers the
 * retransmitted MM1 (no responder cookie) of the same peer address:port;
 * an initiator's SA before MM2 takes the first responder cookie it sees.
 */
static struct ike_sa *
ike_sa_lookup(struct ike_ctx *ix, const struct isakmp_hdr *h,
    const struct sockaddr_storage *peer)
{
	struct ike_sa	*sa;
	int		 rzero = cookie_zero(h->ih_rcookie);

	LIST_FOREACH(sa, &ix->ix_buckets[bucket_of(ix, h->ih_icookie)],
	    sa_bucket) {
		if (memcmp(sa->sa_icookie, h->ih_icookie,
		    ISAKMP_COOKIE_LEN) != 0)
			continue;
		if (!rzero && memcmp(sa->sa_rcookie, h->ih_rcookie,
		    ISAKMP_COOKIE_LEN) == 0)
			return (sa);
		if (!rzero && sa->sa_initiator && cookie_zero(sa->sa_rcookie))
			return (sa);
		if (rzero && !sa->sa_initiator &&
		    sockaddr_cmp(&sa->sa_peer, peer) == 0)
			return (sa);
		if (rzero && sa->sa_initiator && sa_addr_eq(&sa->sa_peer, peer))
			return (sa);
	}
	return (NULL);
}

struct ike_sa *
ike_sa_find_id(struct ike_ctx *ix, uint32_t id)
{
	struct ike_sa	*sa;

	TAILQ_FOREACH(sa, &ix->ix_sas, sa_entry)
		if (sa->sa_id == id)
			return (sa);
	return (NULL);
}

struct ike_sa *
ike_sa_new(struct ike_ctx *ix, int initiator,
    const struct sockaddr_storage *peer, const struct sockaddr_storage *local)
{
	struct ike_sa	*sa;

	if ((sa = calloc(1, sizeof(*sa))) == NULL) {
		log_warn("calloc");
		return (NULL);
	}
	sa->sa_ctx = ix;
	do {
		sa->sa_id = ++ix->ix_next_sa;
	} while (sa->sa_id == 0 || ike_sa_find_id(ix, sa->sa_id) != NULL);
	sa->sa_initiator = initiator;
	sa->sa_peer = *peer;
	sa->sa_local = *local;
	sa->sa_local_known = !sa_is_wildcard(local);
	sa->sa_created = time(NULL);
	TAILQ_INIT(&sa->sa_qms);
	TAILQ_INIT(&sa->sa_children);
	timer_init(ix, &sa->sa_rexmit, ike_sa_rexmit_cb, sa);
	timer_init(ix, &sa->sa_timeout, ike_sa_timeout_cb, sa);
	timer_init(ix, &sa->sa_rekey, ike_sa_rekey_cb, sa);
	timer_init(ix, &sa->sa_dpd_ev, info_dpd_cb, sa);
	timer_init(ix, &sa->sa_keepalive, ike_natt_keepalive_cb, sa);
	if (initiator) {
		do {
			arc4random_buf(sa->sa_icookie, ISAKMP_COOKIE_LEN);
		} while (cookie_zero(sa->sa_icookie));
	}
	TAILQ_INSERT_TAIL(&ix->ix_sas, sa, sa_entry);
	ix->ix_nsas++;
	return (sa);
}

/* Puts the SA in its bucket; call once the initiator cookie is set. */
void
ike_sa_rehash(struct ike_sa *sa)
{
	struct ike_ctx	*ix = sa->sa_ctx;

	if (sa->sa_hashed)
		LIST_REMOVE(sa, sa_bucket);
	LIST_INSERT_HEAD(&ix->ix_buckets[bucket_of(ix, sa->sa_icookie)], sa,
	    sa_bucket);
	sa->sa_hashed = 1;
}

void
ike_sa_init_table(struct ike_ctx *ix)
{
	size_t	 i;

	TAILQ_INIT(&ix->ix_sas);
	TAILQ_INIT(&ix->ix_dead);
	for (i = 0; i < IKE_BUCKETS; i++)
		LIST_INIT(&ix->ix_buckets[i]);
	arc4random_buf(&ix->ix_bucket_key, sizeof(ix->ix_bucket_key));
	evtimer_set(&ix->ix_reaper, ike_reaper_cb, ix);
	event_base_set(ix->ix_base, &ix->ix_reaper);
}

size_t
ike_max_half_open(const struct ike_ctx *ix)
{
	return (ix->ix_conf.ic_max_half_open != 0 ?
	    ix->ix_conf.ic_max_half_open : IKE_DEFAULT_HALF_OPEN);
}

/*
 * Per source address: an eighth of the total, at least 4.  One address
 * flooding first messages fills its own share, never the whole table;
 * several clients behind one NAT still get enough.
 */
size_t
ike_max_half_open_peer(const struct ike_ctx *ix)
{
	size_t	 t = ike_max_half_open(ix), n = t / 8;

	if (n < 4)
		n = 4;
	return (n > t ? t : n);
}

int
ike_sa_halfopen_allowed(struct ike_ctx *ix,
    const struct sockaddr_storage *peer)
{
	struct ike_sa	*sa;
	size_t		 n = 0, max = ike_max_half_open_peer(ix);

	if (ix->ix_nhalfopen >= ike_max_half_open(ix))
		return (0);
	TAILQ_FOREACH(sa, &ix->ix_sas, sa_entry)
		if (sa->sa_halfopen && sa_addr_eq(&sa->sa_peer, peer) &&
		    ++n >= max)
			return (0);
	return (1);
}

void
ike_sa_halfopen_end(struct ike_sa *sa)
{
	if (sa->sa_halfopen) {
		sa->sa_halfopen = 0;
		sa->sa_ctx->ix_nhalfopen--;
	}
}

/* The Main Mode material, needed no more once the SA is up. */
static void
ike_sa_free_mm(struct ike_sa *sa)
{
	if (sa->sa_dh != NULL) {
		ike_dh_free(sa->sa_dh);
		sa->sa_dh = NULL;
	}
	free(sa->sa_sai);
	free(sa->sa_gxi);
	free(sa->sa_gxr);
	free(sa->sa_ni);
	free(sa->sa_nr);
	sa->sa_sai = sa->sa_gxi = sa->sa_gxr = sa->sa_ni = sa->sa_nr = NULL;
	sa->sa_sailen = sa->sa_gxlen = sa->sa_nilen = sa->sa_nrlen = 0;
}

static void
ike_reaper_cb(int fd, short ev, void *arg)
{
	struct ike_ctx	*ix = arg;
	struct ike_sa	*sa;

	(void)fd;
	(void)ev;
	while ((sa = TAILQ_FIRST(&ix->ix_dead)) != NULL) {
		TAILQ_REMOVE(&ix->ix_dead, sa, sa_entry);
		ike_keys_clear(&sa->sa_keys);
		explicit_bzero(sa->sa_iv, sizeof(sa->sa_iv));
		explicit_bzero(sa->sa_p1last, sizeof(sa->sa_p1last));
		free(sa->sa_out);
		free(sa);
	}
}

/* Unlinks an SA: no lookup finds it, no timer fires; freed soon. */
static void
ike_sa_unlink(struct ike_sa *sa)
{
	struct ike_ctx	*ix = sa->sa_ctx;
	struct ike_qm	*qm;
	struct ipsec_sa	*ch;
	struct timeval	 tv = { 0, 0 };

	if (sa->sa_state == IKE_SA_DEAD)
		return;
	/* Dead first: deleting the last child of an expired SA recurses. */
	sa->sa_state = IKE_SA_DEAD;
	while ((qm = TAILQ_FIRST(&sa->sa_qms)) != NULL)
		quick_mode_free(qm);
	/* Children still here were moved or deleted by the caller. */
	while ((ch = TAILQ_FIRST(&sa->sa_children)) != NULL)
		ike_child_del(ch, 0, "its IKE SA ended");
	ike_sa_halfopen_end(sa);
	evtimer_del(&sa->sa_rexmit);
	evtimer_del(&sa->sa_timeout);
	evtimer_del(&sa->sa_rekey);
	evtimer_del(&sa->sa_dpd_ev);
	evtimer_del(&sa->sa_keepalive);
	ike_sa_free_mm(sa);
	ike_keys_clear(&sa->sa_keys);
	if (sa->sa_hashed)
		LIST_REMOVE(sa, sa_bucket);
	TAILQ_REMOVE(&ix->ix_sas, sa, sa_entry);
	ix->ix_nsas--;
	TAILQ_INSERT_TAIL(&ix->ix_dead, sa, sa_entry);
	evtimer_add(&ix->ix_reaper, &tv);
}

void
ike_sa_alg_name(const struct ike_sa *sa, char *buf, size_t len)
{
	proposal_p1_name(&sa->sa_p1, IKE_AUTH_PSK, buf, len);
}

/* The newest established SA of the same peer and identity, not sa. */
struct ike_sa *
ike_sa_newest_for(struct ike_ctx *ix, const struct ike_sa *sa)
{
	struct ike_sa	*o, *best = NULL;

	TAILQ_FOREACH(o, &ix->ix_sas, sa_entry) {
		if (o == sa || o->sa_state != IKE_SA_ESTABLISHED ||
		    !sa_addr_eq(&o->sa_peer, &sa->sa_peer) ||
		    o->sa_peer_idtype != sa->sa_peer_idtype ||
		    o->sa_peer_idlen != sa->sa_peer_idlen ||
		    memcmp(o->sa_peer_id, sa->sa_peer_id,
		    sa->sa_peer_idlen) != 0)
			continue;
		/* Behind a NAT the port names the client too. */
		if (o->sa_nat_peer && sockaddr_port(&o->sa_peer) !=
		    sockaddr_port(&sa->sa_peer))
			continue;
		if (best == NULL || o->sa_established >= best->sa_established)
			best = o;
	}
	return (best);
}

void
ike_sa_delete(struct ike_sa *sa, int flags, const char *why)
{
	struct ike_ctx	*ix = sa->sa_ctx;
	struct ike_sa	*heir = NULL;
	struct ipsec_sa	*ch;
	uint8_t		 spi[2 * ISAKMP_COOKIE_LEN];
	char		 ps[SOCKADDR_STRLEN], alg[64];
	int		 was_up = sa->sa_state == IKE_SA_ESTABLISHED ||
			    sa->sa_state == IKE_SA_EXPIRED;

	if (sa->sa_state == IKE_SA_DEAD)
		return;
	if (flags & (IKE_DEL_ADOPT | IKE_DEL_EXPIRE))
		heir = ike_sa_newest_for(ix, sa);
	if (heir != NULL) {
		while ((ch = TAILQ_FIRST(&sa->sa_children)) != NULL)
			ike_child_move(ch, heir);
	} else if ((flags & IKE_DEL_EXPIRE) && sa->sa_nchildren > 0 &&
	    sa->sa_state == IKE_SA_ESTABLISHED) {
		/*
		 * IKEv1 SAs live independently (RFC 2409 4): the IPsec SAs
		 * stay until their own lifetime, or until a new IKE SA of
		 * the peer adopts them.  The keys go now.
		 */
		log_info("IKE SA %u with %s expired; its %zu IPsec SA(s) "
		    "stay until their own lifetime", sa->sa_id,
		    ike_peer_str(sa, ps, sizeof(ps)), sa->sa_nchildren);
		ike_sa_set_state(sa, IKE_SA_EXPIRED);
		ike_keys_clear(&sa->sa_keys);
		evtimer_del(&sa->sa_dpd_ev);
		evtimer_del(&sa->sa_rekey);
		evtimer_del(&sa->sa_keepalive);
		while (!TAILQ_EMPTY(&sa->sa_qms))
			quick_mode_free(TAILQ_FIRST(&sa->sa_qms));
		ike_audit(ix, "ike.deleted", sa, NULL, why);
		return;
	}
	while ((ch = TAILQ_FIRST(&sa->sa_children)) != NULL)
		ike_child_del(ch, flags & IKE_DEL_NOTIFY, why);
	if ((flags & IKE_DEL_NOTIFY) && sa->sa_state == IKE_SA_ESTABLISHED) {
		/* RFC 2408 3.15: the ISAKMP SA is named by both cookies. */
		memcpy(spi, sa->sa_icookie, ISAKMP_COOKIE_LEN);
		memcpy(spi + ISAKMP_COOKIE_LEN, sa->sa_rcookie,
		    ISAKMP_COOKIE_LEN);
		(void)info_send_delete(sa, ISAKMP_PROTO_ISAKMP, spi,
		    sizeof(spi), 1);
	}
	if (was_up) {
		ike_sa_alg_name(sa, alg, sizeof(alg));
		log_info("IKE SA %u with %s (%s) deleted: %s", sa->sa_id,
		    ike_peer_str(sa, ps, sizeof(ps)),
		    sa->sa_peer_idstr[0] ? sa->sa_peer_idstr : "no id", why);
		ike_audit(ix, "ike.deleted", sa, NULL, why);
	}
	ike_sa_unlink(sa);
}

void
ike_sa_fail(struct ike_sa *sa, const char *reason, const char *fmt, ...)
{
	va_list	 ap;
	char	 msg[512], ps[SOCKADDR_STRLEN];

	if (sa->sa_state == IKE_SA_DEAD)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (sa->sa_conn[0] != '\0')
		log_warnx("connection %s: IKE with %s failed: %s", sa->sa_conn,
		    ike_peer_str(sa, ps, sizeof(ps)), msg);
	else
		log_warnx("IKE with %s failed: %s", ike_peer_str(sa, ps,
		    sizeof(ps)), msg);
	if (!sa->sa_failed_audited) {
		sa->sa_failed_audited = 1;
		ike_audit(sa->sa_ctx, "ike.failed", sa, NULL, reason);
	}
	/* The parent's client role backs off and tries again. */
	if (sa->sa_conn[0] != '\0') {
		struct msg_ike_down id;

		memset(&id, 0, sizeof(id));
		strlcpy(id.id_name, sa->sa_conn, sizeof(id.id_name));
		strlcpy(id.id_reason, reason, sizeof(id.id_reason));
		(void)ike_parent_send(sa->sa_ctx, MSG_IKE_DOWN, &id,
		    sizeof(id));
	}
	ike_sa_unlink(sa);
}

void
ike_sa_digest(const uint8_t *p, size_t len, uint8_t *out)
{
	struct ike_chunk	 c;

	/* SHA1 fills 20 of IKE_HASH_MAXLEN bytes; compared whole. */
	memset(out, 0, IKE_HASH_MAXLEN);
	c.ck_p = p;
	c.ck_len = len;
	(void)ike_hash(IKE_HASH_SHA1, &c, 1, out);
}

void
ike_sa_send_out(struct ike_sa *sa)
{
	if (sa->sa_out != NULL)
		(void)ike_io_send(sa->sa_ctx, &sa->sa_local, &sa->sa_peer,
		    sa->sa_out, sa->sa_outlen);
}

/*
 * Keeps the message just sent: a retransmitted request is answered with
 * it, and with retransmit set we resend it with back-off until the next
 * message of the exchange arrives (we are the one waiting).
 */
void
ike_sa_store_out(struct ike_sa *sa, const uint8_t *p, size_t len,
    int retransmit)
{
	uint8_t	*copy;

	evtimer_del(&sa->sa_rexmit);
	if ((copy = malloc(len)) == NULL) {
		log_warn("malloc");
		return;
	}
	memcpy(copy, p, len);
	free(sa->sa_out);
	sa->sa_out = copy;
	sa->sa_outlen = len;
	sa->sa_tries = 0;
	if (retransmit)
		timer_add(&sa->sa_rexmit, IKE_RETRANSMIT_FIRST);
}

static void
ike_sa_rexmit_cb(int fd, short ev, void *arg)
{
	struct ike_sa	*sa = arg;

	(void)fd;
	(void)ev;
	if (++sa->sa_tries >= IKE_RETRANSMIT_TRIES) {
		ike_sa_fail(sa, "timeout", "no answer from the peer after "
		    "%d transmissions (state %s)", sa->sa_tries,
		    ike_sa_state_name(sa->sa_state));
		return;
	}
	sa->sa_ctx->ix_stats.st_retransmits++;
	ike_sa_send_out(sa);
	timer_add(&sa->sa_rexmit, (time_t)IKE_RETRANSMIT_FIRST << sa->sa_tries);
}

/* Negotiation deadline, or the end of an established SA's lifetime. */
static void
ike_sa_timeout_cb(int fd, short ev, void *arg)
{
	struct ike_sa	*sa = arg;
	char		 ps[SOCKADDR_STRLEN];

	(void)fd;
	(void)ev;
	switch (sa->sa_state) {
	case IKE_SA_MM_R_SA:
		/* Nothing proven: not worth an audit record (floods). */
		log_debug("half-open IKE SA with %s timed out",
		    ike_peer_str(sa, ps, sizeof(ps)));
		ike_sa_unlink(sa);
		break;
	case IKE_SA_ESTABLISHED:
		ike_sa_delete(sa, IKE_DEL_NOTIFY | IKE_DEL_EXPIRE,
		    "lifetime expired");
		break;
	case IKE_SA_EXPIRED:
		break;
	default:
		ike_sa_fail(sa, "timeout", "Main Mode not complete after "
		    "%d s (state %s)", IKE_NEGOTIATE_TIMEOUT,
		    ike_sa_state_name(sa->sa_state));
		break;
	}
}

/* Initiator: a new Main Mode before this one's lifetime ends. */
static void
ike_sa_rekey_cb(int fd, short ev, void *arg)
{
	struct ike_sa	*sa = arg;

	(void)fd;
	(void)ev;
	if (sa->sa_state != IKE_SA_ESTABLISHED || !sa->sa_initiator)
		return;
	log_info("connection %s: rekeying IKE SA %u", sa->sa_conn, sa->sa_id);
	if (main_mode_initiate(sa->sa_ctx, sa->sa_conn, &sa->sa_peer,
	    (int)sa->sa_id) == -1)
		log_warnx("connection %s: IKE rekey failed to start",
		    sa->sa_conn);
}

/* Establishment timers: lifetime, rekey, DPD, NAT keepalives. */
void
ike_sa_timers_established(struct ike_sa *sa)
{
	time_t	 soft;

	evtimer_del(&sa->sa_timeout);
	timer_add(&sa->sa_timeout, sa->sa_life_s);
	if (sa->sa_initiator && sa->sa_conn[0] != '\0') {
		/* Rekey at 80-90% of the lifetime (jitter: not in step). */
		soft = (time_t)sa->sa_life_s * 8 / 10 +
		    arc4random_uniform(sa->sa_life_s / 10 + 1);
		timer_add(&sa->sa_rekey, soft);
	}
	info_dpd_start(sa);
	ike_natt_keepalive_start(sa);
}

void
ike_sa_established(struct ike_sa *sa, int initial_contact)
{
	struct ike_ctx	*ix = sa->sa_ctx;
	struct ike_sa	*o, *next, *old;
	struct ipsec_sa	*ch;
	char		 ps[SOCKADDR_STRLEN], alg[64], nat[64];

	ike_sa_set_state(sa, IKE_SA_ESTABLISHED);
	ike_sa_halfopen_end(sa);
	sa->sa_established = time(NULL);
	sa->sa_last_rx = sa->sa_established;
	evtimer_del(&sa->sa_rexmit);
	ike_sa_free_mm(sa);
	ike_sa_alg_name(sa, alg, sizeof(alg));
	if (sa->sa_floated)
		snprintf(nat, sizeof(nat), ", NAT-T (%s%s%s)",
		    sa->sa_nat_peer ? "peer behind NAT" : "",
		    sa->sa_nat_peer && sa->sa_nat_local ? ", " : "",
		    sa->sa_nat_local ? "we are behind NAT" : "");
	else
		nat[0] = '\0';
	log_info("IKE SA %u established with %s as %s: id %s, %s, "
	    "lifetime %us%s", sa->sa_id, ike_peer_str(sa, ps, sizeof(ps)),
	    sa->sa_initiator ? "initiator" : "responder",
	    sa->sa_peer_idstr[0] ? sa->sa_peer_idstr : "(none)", alg,
	    sa->sa_life_s, nat);
	ike_audit(ix, "ike.established", sa, NULL, alg);
	ike_sa_timers_established(sa);

	if (initial_contact)
		info_initial_contact(sa);
	/* Expired SAs of this peer hand their IPsec SAs to the new one. */
	TAILQ_FOREACH_SAFE(o, &ix->ix_sas, sa_entry, next) {
		if (o->sa_state != IKE_SA_EXPIRED ||
		    ike_sa_newest_for(ix, o) != sa)
			continue;
		while ((ch = TAILQ_FIRST(&o->sa_children)) != NULL)
			ike_child_move(ch, sa);
		ike_sa_unlink(o);
	}
	if (!sa->sa_initiator)
		return;
	if (sa->sa_rekey_of != 0 &&
	    (old = ike_sa_find_id(ix, (uint32_t)sa->sa_rekey_of)) != NULL) {
		/* Our IKE rekey: the old SA's IPsec SAs move here. */
		while ((ch = TAILQ_FIRST(&old->sa_children)) != NULL)
			ike_child_move(ch, sa);
		ike_sa_delete(old, IKE_DEL_NOTIFY, "rekeyed");
		return;
	}
	if (quick_mode_initiate(sa, 0) == -1)
		log_warnx("connection %s: cannot start Quick Mode",
		    sa->sa_conn);
}

void
ike_sa_remember_msgid(struct ike_sa *sa, uint32_t msgid)
{
	sa->sa_seen[sa->sa_nseen % (sizeof(sa->sa_seen) /
	    sizeof(sa->sa_seen[0]))] = msgid;
	sa->sa_nseen++;
}

int
ike_sa_seen_msgid(const struct ike_sa *sa, uint32_t msgid)
{
	size_t	 i, n = sizeof(sa->sa_seen) / sizeof(sa->sa_seen[0]);

	for (i = 0; i < n && i < sa->sa_nseen; i++)
		if (sa->sa_seen[i] == msgid)
			return (1);
	return (0);
}

uint32_t
ike_msgid_new(struct ike_sa *sa)
{
	struct ike_qm	*qm;
	uint32_t	 id;

 again:
	id = arc4random();
	if (id == 0 || ike_sa_seen_msgid(sa, id))
		goto again;
	TAILQ_FOREACH(qm, &sa->sa_qms, qm_entry)
		if (qm->qm_msgid == id)
			goto again;
	return (id);
}

/*
 * RFC 3947 7: the side not behind a NAT follows the peer's last valid
 * (authenticated) packet to a new address or port; the parent is told,
 * per IPsec SA, so the ESP follows too.  The side behind a NAT must not
 * (an attacker could steer it).
 */
void
ike_sa_peer_moved(struct ike_sa *sa, const struct sockaddr_storage *peer,
    const struct sockaddr_storage *local)
{
	struct ipsec_sa		*ch;
	struct msg_nat_mapping	 nm;
	char			 a[SOCKADDR_STRLEN], b[SOCKADDR_STRLEN];

	if (sockaddr_cmp(peer, &sa->sa_peer) == 0)
		return;
	if (!sa->sa_floated || !sa->sa_nat_peer || sa->sa_nat_local ||
	    sockaddr_port(local) != ISAKMP_NATT_PORT)
		return;
	log_notice("IKE SA %u: peer moved from %s to %s (NAT mapping "
	    "changed)", sa->sa_id, sockaddr_str(&sa->sa_peer, a, sizeof(a)),
	    sockaddr_str(peer, b, sizeof(b)));
	sa->sa_peer = *peer;
	TAILQ_FOREACH(ch, &sa->sa_children, ch_entry) {
		memset(&nm, 0, sizeof(nm));
		nm.nm_id = ch->ch_id;
		nm.nm_peer = *peer;
		(void)ike_parent_send(sa->sa_ctx, MSG_NAT_MAPPING, &nm,
		    sizeof(nm));
	}
}

int
ike_decrypt(struct ike_sa *sa, uint8_t *pkt, size_t len, uint8_t *iv,
    uint8_t **pl, size_t *pllen)
{
	const struct ike_keys	*k = &sa->sa_keys;
	size_t			 blen;

	if (len <= ISAKMP_HDR_LEN || k->k_blocklen == 0)
		return (-1);
	blen = len - ISAKMP_HDR_LEN;
	if (blen % k->k_blocklen != 0)
		return (-1);
	if (ike_cbc_decrypt(k->k_encr, k->k_key, k->k_keylen, iv,
	    pkt + ISAKMP_HDR_LEN, blen) == -1)
		return (-1);
	*pl = pkt + ISAKMP_HDR_LEN;
	*pllen = blen;
	return (0);
}

int
ike_encrypt(struct ike_sa *sa, struct isakmp_wr *w, uint8_t *iv)
{
	const struct ike_keys	*k = &sa->sa_keys;
	uint8_t			*p;
	size_t			 len;

	isakmp_wr_pad(w, k->k_blocklen);
	isakmp_wr_finish(w);
	if (obuf_error(w->w_ob))
		return (-1);
	isakmp_wr_payloads(w, &p, &len);
	if (p == NULL || len == 0)
		return (-1);
	return (ike_cbc_encrypt(k->k_encr, k->k_key, k->k_keylen, iv, p,
	    len));
}

/* Log lines for floods: at most a few per second. */
static int
ike_log_ok(struct ike_ctx *ix)
{
	time_t	 now = time(NULL);

	if (now != ix->ix_log_at) {
		ix->ix_log_at = now;
		ix->ix_log_n = 0;
	}
	return (++ix->ix_log_n <= 5);
}

void
ike_input(struct ike_ctx *ix, const struct sockaddr_storage *peer,
    const struct sockaddr_storage *local, uint8_t *pkt, size_t len)
{
	struct isakmp_hdr	 h;
	struct isakmp_err	 e;
	struct ike_sa		*sa;
	char			 ps[SOCKADDR_STRLEN];

	if (!ix->ix_have_conf)
		return;
	if (isakmp_parse_header(pkt, len, &h, &e) == -1) {
		ix->ix_stats.st_malformed++;
		if (ike_log_ok(ix))
			log_debug("%s: not an ISAKMP message: %s",
			    sockaddr_str(peer, ps, sizeof(ps)), e.ie_why);
		return;
	}
	if (cookie_zero(h.ih_icookie)) {
		ix->ix_stats.st_malformed++;
		return;
	}
	sa = ike_sa_lookup(ix, &h, peer);
	switch (h.ih_xchg) {
	case ISAKMP_XCHG_IDPROT:
		if (sa == NULL && !cookie_zero(h.ih_rcookie))
			break;
		main_mode_input(ix, sa, &h, peer, local, pkt, len);
		return;
	case ISAKMP_XCHG_AGGRESSIVE:
		if (sa == NULL && cookie_zero(h.ih_rcookie) &&
		    ike_log_ok(ix)) {
			log_warnx("Aggressive Mode from %s refused: it exposes "
			    "the pre-shared key to offline guessing; configure "
			    "the client for Main Mode",
			    sockaddr_str(peer, ps, sizeof(ps)));
			ike_audit(ix, "ike.failed", NULL, peer,
			    "aggressive mode refused");
		}
		return;
	case ISAKMP_XCHG_INFO:
		if (sa == NULL)
			break;
		if (h.ih_flags & ISAKMP_FLAG_E)
			info_input(sa, &h, peer, local, pkt, len);
		else
			info_plain_input(ix, sa, &h, peer, pkt, len);
		return;
	case ISAKMP_XCHG_QUICK:
		if (sa == NULL)
			break;
		quick_mode_input(sa, &h, peer, local, pkt, len);
		return;
	default:
		if (ike_log_ok(ix))
			log_debug("%s: %s exchange ignored",
			    sockaddr_str(peer, ps, sizeof(ps)),
			    isakmp_xchg_name(h.ih_xchg));
		return;
	}
	ix->ix_stats.st_no_sa++;
	if (ike_log_ok(ix))
		log_debug("%s: %s message for an IKE SA we do not have",
		    sockaddr_str(peer, ps, sizeof(ps)),
		    isakmp_xchg_name(h.ih_xchg));
}

/* IPsec SAs */

struct ipsec_sa *
ike_child_new(struct ike_sa *sa)
{
	struct ike_ctx	*ix = sa->sa_ctx;
	struct ipsec_sa	*ch;

	if ((ch = calloc(1, sizeof(*ch))) == NULL) {
		log_warn("calloc");
		return (NULL);
	}
	do {
		ch->ch_id = ++ix->ix_next_child;
	} while (ch->ch_id == 0 || ike_child_find(ix, ch->ch_id) != NULL);
	ch->ch_ike = sa;
	ch->ch_state = CHILD_ADDING;
	ch->ch_created = time(NULL);
	timer_init(ix, &ch->ch_soft, ike_child_soft_cb, ch);
	timer_init(ix, &ch->ch_hard, ike_child_hard_cb, ch);
	TAILQ_INSERT_TAIL(&sa->sa_children, ch, ch_entry);
	sa->sa_nchildren++;
	return (ch);
}

struct ipsec_sa *
ike_child_find(struct ike_ctx *ix, uint32_t id)
{
	struct ike_sa	*sa;
	struct ipsec_sa	*ch;

	TAILQ_FOREACH(sa, &ix->ix_sas, sa_entry)
		TAILQ_FOREACH(ch, &sa->sa_children, ch_entry)
			if (ch->ch_id == id)
				return (ch);
	return (NULL);
}

void
ike_child_del(struct ipsec_sa *ch, int notify, const char *why)
{
	struct ike_sa		*sa = ch->ch_ike;
	struct msg_sa_ref	 sf;
	uint8_t			 spi[4];
	char			 ps[SOCKADDR_STRLEN];

	if (notify && sa->sa_state == IKE_SA_ESTABLISHED) {
		/* RFC 2408 3.15: the SPI we receive on names our SA. */
		spi[0] = ch->ch_spi_in >> 24;
		spi[1] = (ch->ch_spi_in >> 16) & 0xff;
		spi[2] = (ch->ch_spi_in >> 8) & 0xff;
		spi[3] = ch->ch_spi_in & 0xff;
		(void)info_send_delete(sa, ISAKMP_PROTO_ESP, spi, 4, 1);
	}
	memset(&sf, 0, sizeof(sf));
	sf.sf_id = ch->ch_id;
	(void)ike_parent_send(sa->sa_ctx, MSG_SA_DEL, &sf, sizeof(sf));
	log_info("IPsec SA %u with %s (spi in %08x out %08x) deleted: %s",
	    ch->ch_id, ike_peer_str(sa, ps, sizeof(ps)), ch->ch_spi_in,
	    ch->ch_spi_out, why);
	evtimer_del(&ch->ch_soft);
	evtimer_del(&ch->ch_hard);
	TAILQ_REMOVE(&sa->sa_children, ch, ch_entry);
	sa->sa_nchildren--;
	free(ch);
	/* An expired IKE SA lives only for its IPsec SAs. */
	if (sa->sa_state == IKE_SA_EXPIRED && sa->sa_nchildren == 0)
		ike_sa_unlink(sa);
}

void
ike_child_move(struct ipsec_sa *ch, struct ike_sa *to)
{
	struct ike_sa	*from = ch->ch_ike;

	TAILQ_REMOVE(&from->sa_children, ch, ch_entry);
	from->sa_nchildren--;
	TAILQ_INSERT_TAIL(&to->sa_children, ch, ch_entry);
	to->sa_nchildren++;
	ch->ch_ike = to;
	log_debug("IPsec SA %u moves from IKE SA %u to %u", ch->ch_id,
	    from->sa_id, to->sa_id);
}

static void
ike_child_soft_cb(int fd, short ev, void *arg)
{
	struct ipsec_sa	*ch = arg;

	(void)fd;
	(void)ev;
	ike_sa_expire_child(ch->ch_ike->sa_ctx, ch->ch_id, 0);
}

static void
ike_child_hard_cb(int fd, short ev, void *arg)
{
	struct ipsec_sa	*ch = arg;

	(void)fd;
	(void)ev;
	ike_sa_expire_child(ch->ch_ike->sa_ctx, ch->ch_id, 1);
}

/*
 * An IPsec SA came up: its own timers, in case the data path does not
 * report expiry (time-based; bytes only the data path can count).  The
 * hard one fires a little after the lifetime so the parent's report,
 * when there is one, comes first.
 */
void
ike_child_timers(struct ipsec_sa *ch)
{
	time_t	 life = ch->ch_life_s;

	if (life == 0)
		return;
	timer_add(&ch->ch_hard, life + 5);
	if (ch->ch_ike->sa_initiator && ch->ch_ike->sa_conn[0] != '\0')
		timer_add(&ch->ch_soft, life * 8 / 10 +
		    arc4random_uniform((uint32_t)life / 10 + 1));
}

/* MSG_SA_EXPIRE, or our own timers. */
void
ike_sa_expire_child(struct ike_ctx *ix, uint32_t id, int hard)
{
	struct ipsec_sa	*ch;
	struct ike_sa	*sa;

	if ((ch = ike_child_find(ix, id)) == NULL)
		return;
	sa = ch->ch_ike;
	if (hard) {
		ike_child_del(ch, 1, "lifetime expired");
		return;
	}
	if (ch->ch_rekeyed || !sa->sa_initiator || sa->sa_conn[0] == '\0')
		return;
	/* Rekey on the connection's newest IKE SA. */
	if (sa->sa_state != IKE_SA_ESTABLISHED &&
	    (sa = ike_sa_newest_for(ix, sa)) == NULL) {
		log_warnx("IPsec SA %u: no IKE SA left to rekey it on", id);
		return;
	}
	ch->ch_rekeyed = 1;
	log_info("IPsec SA %u: rekeying (soft lifetime)", id);
	(void)quick_mode_initiate(sa, id);
}

/* MSG_NAT_MAPPING: the data path saw the peer's ESP from a new port. */
void
ike_nat_mapping(struct ike_ctx *ix, uint32_t id,
    const struct sockaddr_storage *peer)
{
	struct ipsec_sa	*ch;
	struct ike_sa	*sa;
	char		 a[SOCKADDR_STRLEN], b[SOCKADDR_STRLEN];

	if ((ch = ike_child_find(ix, id)) == NULL)
		return;
	sa = ch->ch_ike;
	if (sockaddr_cmp(&sa->sa_peer, peer) == 0)
		return;
	log_notice("IKE SA %u: peer moved from %s to %s (NAT mapping, "
	    "reported by the data path)", sa->sa_id,
	    sockaddr_str(&sa->sa_peer, a, sizeof(a)),
	    sockaddr_str(peer, b, sizeof(b)));
	sa->sa_peer = *peer;
}

/* `show sa`: each IKE SA past the first exchange, then its IPsec SAs. */
void
ike_ctl_show(struct ike_ctx *ix, uint32_t peerid)
{
	struct ike_sa		*sa;
	struct ipsec_sa		*ch;
	struct ctl_ike_sa	 ci;
	struct ctl_ipsec_sa	 cp;
	struct ctl_result	 res;
	time_t			 now = time(NULL);

	TAILQ_FOREACH(sa, &ix->ix_sas, sa_entry) {
		if (sa->sa_state == IKE_SA_MM_R_SA)
			continue;
		memset(&ci, 0, sizeof(ci));
		ci.ci_id = sa->sa_id;
		ci.ci_age_s = (uint32_t)(now - sa->sa_created);
		ci.ci_nat = sa->sa_floated;
		ci.ci_nipsec = (uint32_t)sa->sa_nchildren;
		ike_peer_str(sa, ci.ci_peer, sizeof(ci.ci_peer));
		strlcpy(ci.ci_role, sa->sa_initiator ? "initiator" :
		    "responder", sizeof(ci.ci_role));
		strlcpy(ci.ci_state, ike_sa_state_name(sa->sa_state),
		    sizeof(ci.ci_state));
		if (sa->sa_p1.p1_encr != 0)
			ike_sa_alg_name(sa, ci.ci_alg, sizeof(ci.ci_alg));
		strlcpy(ci.ci_id_peer, sa->sa_peer_idstr,
		    sizeof(ci.ci_id_peer));
		(void)ike_parent_send_peer(ix, MSG_CTL_IKE_SA, peerid, &ci,
		    sizeof(ci));
		TAILQ_FOREACH(ch, &sa->sa_children, ch_entry) {
			memset(&cp, 0, sizeof(cp));
			cp.cp_id = ch->ch_id;
			cp.cp_spi_in = ch->ch_spi_in;
			cp.cp_spi_out = ch->ch_spi_out;
			cp.cp_age_s = (uint32_t)(now - ch->ch_created);
			cp.cp_lifetime_s = ch->ch_life_s;
			cp.cp_encap = (uint32_t)ch->ch_encap;
			cp.cp_lifetime_kb = ch->ch_life_kb;
			ike_child_alg_name(&ch->ch_p2, cp.cp_alg,
			    sizeof(cp.cp_alg));
			(void)ike_parent_send_peer(ix, MSG_CTL_IPSEC_SA,
			    peerid, &cp, sizeof(cp));
		}
	}
	memset(&res, 0, sizeof(res));
	strlcpy(res.cr_msg, "ok", sizeof(res.cr_msg));
	(void)ike_parent_send_peer(ix, MSG_CTL_END, peerid, &res, sizeof(res));
}

/* "192.0.2.2", "192.0.2.2:4500", "2001:db8::1", "[2001:db8::1]:500". */
static int
parse_target(const char *s, struct sockaddr_storage *ss, int *has_port)
{
	char		 buf[CTL_NAME_MAX], *p, *end;
	unsigned long	 port = 0;

	memset(ss, 0, sizeof(*ss));
	*has_port = 0;
	strlcpy(buf, s, sizeof(buf));
	if (buf[0] == '[') {
		if ((p = strchr(buf, ']')) == NULL)
			return (-1);
		*p++ = '\0';
		if (*p == ':') {
			errno = 0;
			port = strtoul(p + 1, &end, 10);
			if (p[1] == '\0' || *end != '\0' || errno != 0 ||
			    port == 0 || port > 65535)
				return (-1);
			*has_port = 1;
		} else if (*p != '\0')
			return (-1);
		memmove(buf, buf + 1, strlen(buf + 1) + 1);
	} else if ((p = strchr(buf, ':')) != NULL && strchr(p + 1, ':') ==
	    NULL) {
		*p++ = '\0';
		errno = 0;
		port = strtoul(p, &end, 10);
		if (*p == '\0' || *end != '\0' || errno != 0 || port == 0 ||
		    port > 65535)
			return (-1);
		*has_port = 1;
	}
	if (inet_pton(AF_INET, buf,
	    &((struct sockaddr_in *)ss)->sin_addr) == 1)
		ss->ss_family = AF_INET;
	else if (inet_pton(AF_INET6, buf,
	    &((struct sockaddr_in6 *)ss)->sin6_addr) == 1)
		ss->ss_family = AF_INET6;
	else
		return (-1);
	sockaddr_set_port(ss, (uint16_t)port);
	return (0);
}

/* `disconnect peer ADDR[:PORT]`, `disconnect connection NAME`. */
int
ike_ctl_disconnect(struct ike_ctx *ix, uint32_t peerid,
    const struct ctl_target *tgt)
{
	struct ike_sa		*sa, *next;
	struct sockaddr_storage	 ss;
	struct ctl_result	 res;
	int			 has_port = 0, n = 0, match;

	memset(&res, 0, sizeof(res));
	if (tgt->ct_kind == CTL_TGT_PEER &&
	    parse_target(tgt->ct_name, &ss, &has_port) == -1) {
		res.cr_code = 1;
		snprintf(res.cr_msg, sizeof(res.cr_msg), "\"%s\" is not an "
		    "address or address:port", tgt->ct_name);
		return (ike_parent_send_peer(ix, MSG_CTL_END, peerid, &res,
		    sizeof(res)));
	}
	TAILQ_FOREACH_SAFE(sa, &ix->ix_sas, sa_entry, next) {
		if (tgt->ct_kind == CTL_TGT_PEER)
			match = sa_addr_eq(&sa->sa_peer, &ss) && (!has_port ||
			    sockaddr_port(&sa->sa_peer) == sockaddr_port(&ss));
		else
			match = strcmp(sa->sa_conn, tgt->ct_name) == 0;
		if (!match || sa->sa_state == IKE_SA_MM_R_SA)
			continue;
		n++;
		ike_sa_delete(sa, IKE_DEL_NOTIFY,
		    "disconnected by the administrator");
	}
	res.cr_code = n == 0;
	if (n == 0)
		snprintf(res.cr_msg, sizeof(res.cr_msg), "no IKE SA with %s",
		    tgt->ct_name);
	else
		snprintf(res.cr_msg, sizeof(res.cr_msg), "%d IKE SA(s) with "
		    "%s deleted", n, tgt->ct_name);
	return (ike_parent_send_peer(ix, MSG_CTL_END, peerid, &res,
	    sizeof(res)));
}

/* Shutdown: Delete to every peer, then nothing is left. */
void
ike_sa_free_all(struct ike_ctx *ix)
{
	struct ike_sa	*sa;

	while ((sa = TAILQ_FIRST(&ix->ix_sas)) != NULL)
		ike_sa_delete(sa, IKE_DEL_NOTIFY, "l2tpsecd is shutting down");
	ike_reaper_cb(-1, 0, ix);
}
