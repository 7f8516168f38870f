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

#include <arpa/inet.h>
#include <netinet/in.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/addr.h"
#include "common/log.h"
#include "common/msg.h"
#include "config.h"
#include "netcfg/pppol2tp.h"
#include "netcfg/xfrm.h"
#include "parent.h"

/*
 * The kernel data path (DESIGN.md, "Data path"), both roles: XFRM
 * states and policies for what ike negotiated, a kernel L2TP tunnel per
 * tunnel l2tp brought up, a PPPoL2TP session and a pppN per call.  The
 * children do not know which back end runs; the parent turns their
 * intents into kernel objects here, checks each against what it holds,
 * and takes every one of them away again on every exit path.  Module
 * state, like dataplane.c's: one data plane per daemon.
 */

#define KERNEL_POLL_S		2	/* session counters, peer GC */
#define KERNEL_PEER_TTL		120	/* s a peer's reqid outlives its SAs */
#define KERNEL_REPLAY		64	/* inbound anti-replay window */
#define KERNEL_SOFT_NUM		9	/* soft byte limit: 9/10 of hard, */
#define KERNEL_SOFT_DEN		10	/* as the userspace data path does */

/*
 * A peer address and its reqid: every SA and policy of that address
 * carries it, across rekeys (netcfg/xfrm.h, "Ownership").
 */
struct kpeer {
	TAILQ_ENTRY(kpeer)	 kp_entry;
	struct in_addr		 kp_addr;
	uint32_t		 kp_reqid;
	unsigned int		 kp_nsa;
	time_t			 kp_used;
};

/* One SA pair of ike's, as installed: enough to update and delete it. */
struct ksa {
	TAILQ_ENTRY(ksa)	 ks_entry;
	uint32_t		 ks_id;
	struct kpeer		*ks_peer;
	struct sockaddr_storage	 ks_outer;	/* peer addr:port (IKE's) */
	struct in_addr		 ks_local;
	struct in_addr		 ks_remote;
	uint32_t		 ks_spi_in;
	uint32_t		 ks_spi_out;
	uint16_t		 ks_peer_port;	/* inner, 0: any */
	/* What an UPDSA must repeat (the keys excepted). */
	struct xfrm_sa		 ks_in;		/* keys zeroed */
	struct xfrm_sa		 ks_out;
	int			 ks_soft_sent;
	int			 ks_hard_sent;
};

/*
 * A kernel tunnel.  Client role: made at SA_ADD as a bare UDP socket
 * (kt_attached 0, tu_tid 0) for the SCCRQ to leave from, attached to
 * the kernel at TUNNEL_UP; kt_conn names the connection.
 */
struct ktunnel {
	TAILQ_ENTRY(ktunnel)	 kt_entry;
	struct pppol2tp_tunnel	 kt_t;
	int			 kt_attached;
	char			 kt_conn[MSG_NAME_MAX];
};

struct ksession {
	TAILQ_ENTRY(ksession)	 kn_entry;
	uint32_t		 kn_id;
	struct pppol2tp_session	 kn_s;
	struct pppol2tp_stats	 kn_last;
};

static struct parent		*kn_pa;
static struct xfrm_ctx		*kn_xfrm;
static struct event		 kn_xfrm_ev;
static struct event		 kn_poll_ev;
static int			 kn_events_on;
static struct in_addr		 kn_mandatory[16];
static size_t			 kn_nmandatory;
static uint32_t			 kn_next_reqid = XFRM_REQID_FIRST;
static TAILQ_HEAD(, kpeer)	 kn_peers = TAILQ_HEAD_INITIALIZER(kn_peers);
static TAILQ_HEAD(, ksa)	 kn_sas = TAILQ_HEAD_INITIALIZER(kn_sas);
static TAILQ_HEAD(, ktunnel)	 kn_tunnels =
    TAILQ_HEAD_INITIALIZER(kn_tunnels);
static TAILQ_HEAD(, ksession)	 kn_sessions =
    TAILQ_HEAD_INITIALIZER(kn_sessions);

/* A copy of a descriptor for a child, close-on-exec like every fd here. */
static int
kernel_dup(int fd)
{
	return (fcntl(fd, F_DUPFD_CLOEXEC, 0));
}

static struct in_addr
kernel_addr(const struct sockaddr_storage *ss)
{
	return (((const struct sockaddr_in *)ss)->sin_addr);
}

static uint16_t
kernel_port(const struct sockaddr_storage *ss)
{
	return (ntohs(((const struct sockaddr_in *)ss)->sin_port));
}

/*
 * What the kernel back end needs of the config, checked before anything
 * is touched: IPv4 `listen on` addresses for the server role (the
 * mandatory policy and the SAs need the address itself, so not an
 * interface), IPv4 servers for the client role, which needs no listen
 * address.  1 if usable, else 0 and why.
 */
int
kernel_usable(const struct config *c, char *why, size_t len)
{
	const struct conf_listen	*cl;
	const struct conf_connection	*cc;

	if (TAILQ_EMPTY(&c->c_listen) && TAILQ_EMPTY(&c->c_connections)) {
		snprintf(why, len, "the config has neither `listen on` nor "
		    "connections");
		return (0);
	}
	TAILQ_FOREACH(cl, &c->c_listen, cl_entry) {
		if (cl->cl_is_iface || cl->cl_addr.ss_family != AF_INET) {
			snprintf(why, len, "it needs `listen on` IPv4 "
			    "addresses (line %d is not one)", cl->cl_line);
			return (0);
		}
	}
	TAILQ_FOREACH(cc, &c->c_connections, cc_entry) {
		if (cc->cc_server.ss_family != AF_INET) {
			snprintf(why, len, "it takes IPv4 servers only "
			    "(connection %s)", cc->cc_name);
			return (0);
		}
	}
	return (1);
}

/*
 * `dataplane auto`: can this kernel do it?  Loads the modules it needs
 * (opening a PPPoL2TP socket, /dev/ppp and a NETLINK_XFRM socket does),
 * changes nothing.  1 if so, else 0 and why.
 */
int
kernel_probe(char *why, size_t len)
{
	struct xfrm_ctx	*cx;

	if (!pppol2tp_available(why, len))
		return (0);
	if ((cx = xfrm_open()) == NULL) {
		snprintf(why, len, "no NETLINK_XFRM (module xfrm_user): %s",
		    strerror(errno));
		return (0);
	}
	xfrm_close(cx);
	return (1);
}

/* ---- peers and their reqids ------------------------------------------ */

static struct kpeer *
kernel_peer_find(struct in_addr a)
{
	struct kpeer	*kp;

	TAILQ_FOREACH(kp, &kn_peers, kp_entry)
		if (kp->kp_addr.s_addr == a.s_addr)
			return (kp);
	return (NULL);
}

static int
kernel_reqid_used(uint32_t r)
{
	struct kpeer	*kp;

	TAILQ_FOREACH(kp, &kn_peers, kp_entry)
		if (kp->kp_reqid == r)
			return (1);
	return (0);
}

static struct kpeer *
kernel_peer_get(struct in_addr a)
{
	struct kpeer	*kp;
	uint32_t	 n;

	if ((kp = kernel_peer_find(a)) != NULL) {
		kp->kp_used = time(NULL);
		return (kp);
	}
	for (n = 0; n <= XFRM_REQID_MAX - XFRM_REQID_FIRST; n++) {
		if (kn_next_reqid > XFRM_REQID_MAX ||
		    kn_next_reqid < XFRM_REQID_FIRST)
			kn_next_reqid = XFRM_REQID_FIRST;
		if (!kernel_reqid_used(kn_next_reqid))
			break;
		kn_next_reqid++;
	}
	if (kernel_reqid_used(kn_next_reqid) ||
	    (kp = calloc(1, sizeof(*kp))) == NULL)
		return (NULL);
	kp->kp_addr = a;
	kp->kp_reqid = kn_next_reqid++;
	kp->kp_used = time(NULL);
	TAILQ_INSERT_TAIL(&kn_peers, kp, kp_entry);
	return (kp);
}

/* A peer without SAs keeps its reqid a while: an SPI may be in flight. */
static void
kernel_peer_gc(void)
{
	struct kpeer	*kp, *next;
	time_t		 now = time(NULL);

	TAILQ_FOREACH_SAFE(kp, &kn_peers, kp_entry, next) {
		if (kp->kp_nsa > 0 || now - kp->kp_used < KERNEL_PEER_TTL)
			continue;
		TAILQ_REMOVE(&kn_peers, kp, kp_entry);
		free(kp);
	}
}

/* ---- SAs ------------------------------------------------------------- */

/*
 * The local address an SPI is reserved on when ike's SPI_ALLOC does not
 * name one: our first listen address (kernel_sa_add() moves it if quick
 * mode ran on another one); none for a client-only daemon.
 */
static struct in_addr
kernel_local_default(void)
{
	const struct conf_listen	*cl;
	struct in_addr			 any = { INADDR_ANY };

	TAILQ_FOREACH(cl, &kn_pa->pa_conf->c_listen, cl_entry)
		if (!cl->cl_is_iface && cl->cl_addr.ss_family == AF_INET)
			return (kernel_addr(&cl->cl_addr));
	return (any);
}

/* SPI_ALLOC: XFRM_MSG_ALLOCSPI, so no one else can take it meanwhile. */
int
kernel_spi_alloc(const struct sockaddr_storage *peer,
    const struct sockaddr_storage *ours, uint32_t *spi, struct in_addr *local)
{
	struct kpeer	*kp;
	struct in_addr	 la = kernel_local_default();
	char		 p[SOCKADDR_STRLEN];

	sockaddr_str(peer, p, sizeof(p));
	if (kn_xfrm == NULL || peer->ss_family != AF_INET) {
		log_warnx("SPI_ALLOC for %s: the kernel data path takes IPv4 "
		    "peers only", p);
		return (-1);
	}
	if ((kp = kernel_peer_get(kernel_addr(peer))) == NULL) {
		log_warnx("SPI_ALLOC for %s: no reqid left", p);
		return (-1);
	}
	/* The address ike runs the SA on, else the first listen address. */
	if (ours->ss_family == AF_INET && kernel_addr(ours).s_addr != INADDR_ANY)
		la = kernel_addr(ours);
	/*
	 * No address to reserve it on: ike.c takes a random SPI, and
	 * SA_ADD makes the state anew (no larval state at 0.0.0.0).
	 */
	if (la.s_addr == INADDR_ANY) {
		log_debug("SPI_ALLOC for %s: no local address known", p);
		return (-1);
	}
	if (xfrm_spi_alloc(kn_xfrm, la, kp->kp_addr, kp->kp_reqid, 256,
	    UINT32_MAX, spi) == -1) {
		log_warnx("SPI_ALLOC for %s: %s", p, xfrm_error(kn_xfrm));
		return (-1);
	}
	*local = la;
	return (0);
}

/* Undo kernel_spi_alloc() for an SPI ike will not use. */
void
kernel_spi_free(struct in_addr local, uint32_t spi)
{
	if (kn_xfrm != NULL && xfrm_sa_del(kn_xfrm, local, spi,
	    IPPROTO_ESP) == -1 && errno != ESRCH)
		log_debug("%s", xfrm_error(kn_xfrm));
}

static struct ksa *
kernel_sa_find(uint32_t id)
{
	struct ksa	*ks;

	TAILQ_FOREACH(ks, &kn_sas, ks_entry)
		if (ks->ks_id == id)
			return (ks);
	return (NULL);
}

/* Another SA of ours whose policies cover the same inner flow. */
static struct ksa *
kernel_sa_flow(const struct ksa *self, struct in_addr remote,
    uint16_t peer_port)
{
	struct ksa	*ks;

	TAILQ_FOREACH(ks, &kn_sas, ks_entry)
		if (ks != self && ks->ks_remote.s_addr == remote.s_addr &&
		    ks->ks_peer_port == peer_port)
			return (ks);
	return (NULL);
}

static void
kernel_flow(const struct ksa *ks, struct xfrm_l2tp_flow *xf)
{
	memset(xf, 0, sizeof(*xf));
	xf->xf_local = ks->ks_local;
	xf->xf_peer = ks->ks_remote;
	xf->xf_peer_port = ks->ks_peer_port;
	xf->xf_reqid = ks->ks_peer->kp_reqid;
}

/*
 * SA_ADD, checked by ike.c: the inbound state (filling in the larval
 * one from SPI_ALLOC), the outbound state, and the peer's pair of
 * UDP/1701 policies unless an SA of the same client has them already
 * (a rekey).  All or nothing: on failure what was added goes again,
 * and why is in the buffer (no key in it).
 */
int
kernel_sa_add(const struct msg_sa_add *sa, struct in_addr larval,
    char *why, size_t whylen)
{
	struct ksa		*ks, *other;
	struct xfrm_sa		*in, *out;
	struct xfrm_l2tp_flow	 xf;
	uint64_t		 hard = 0;
	char			 peer[SOCKADDR_STRLEN];
	int			 in_done = 0, out_done = 0;

	sockaddr_str(&sa->sa_peer, peer, sizeof(peer));
	if (sa->sa_peer.ss_family != AF_INET) {
		snprintf(why, whylen, "the kernel data path takes IPv4 only");
		return (-1);
	}
	if ((ks = calloc(1, sizeof(*ks))) == NULL) {
		snprintf(why, whylen, "out of memory");
		return (-1);
	}
	ks->ks_id = sa->sa_id;
	ks->ks_outer = sa->sa_peer;
	ks->ks_local = kernel_addr(&sa->sa_local);
	ks->ks_remote = kernel_addr(&sa->sa_peer);
	ks->ks_spi_in = sa->sa_spi_in;
	ks->ks_spi_out = sa->sa_spi_out;
	ks->ks_peer_port = sa->sa_peer_port;
	if ((ks->ks_peer = kernel_peer_get(ks->ks_remote)) == NULL) {
		snprintf(why, whylen, "no reqid left");
		free(ks);
		return (-1);
	}
	/*
	 * Two clients behind one NAT, both 1701 -> 1701: XFRM selectors
	 * see the same inner flow and cannot tell them apart.
	 */
	if ((other = kernel_sa_flow(ks, ks->ks_remote, ks->ks_peer_port)) !=
	    NULL && sockaddr_cmp(&other->ks_outer, &ks->ks_outer) != 0) {
		snprintf(why, whylen, "another client at that address (%s) "
		    "uses the same UDP/1701 flow; the kernel data path cannot "
		    "tell them apart (dataplane userspace serves several "
		    "clients behind one NAT)", sockaddr_str(&other->ks_outer,
		    peer, sizeof(peer)));
		free(ks);
		return (-1);
	}

	if (sa->sa_lifetime_kb != 0)
		hard = sa->sa_lifetime_kb > UINT64_MAX / 1024 ? UINT64_MAX :
		    sa->sa_lifetime_kb * 1024;
	in = &ks->ks_in;
	out = &ks->ks_out;
	in->xs_src = ks->ks_remote;
	in->xs_dst = ks->ks_local;
	in->xs_spi = sa->sa_spi_in;
	in->xs_sport = sa->sa_peer_port;
	in->xs_dport = sa->sa_local_port;
	in->xs_replay = KERNEL_REPLAY;
	out->xs_src = ks->ks_local;
	out->xs_dst = ks->ks_remote;
	out->xs_spi = sa->sa_spi_out;
	out->xs_sport = sa->sa_local_port;
	out->xs_dport = sa->sa_peer_port;
	if (sa->sa_encap) {
		in->xs_encap = out->xs_encap = 1;
		in->xs_encap_sport = out->xs_encap_dport =
		    kernel_port(&sa->sa_peer);
		in->xs_encap_dport = out->xs_encap_sport =
		    kernel_port(&sa->sa_local);
	}
	for (int i = 0; i < 2; i++) {
		struct xfrm_sa *x = i == 0 ? in : out;

		x->xs_reqid = ks->ks_peer->kp_reqid;
		x->xs_enc = sa->sa_enc;
		x->xs_auth = sa->sa_auth;
		x->xs_enc_keylen = sa->sa_enc_keylen;
		x->xs_auth_keylen = sa->sa_auth_keylen;
		x->xs_hard_bytes = hard;
		x->xs_soft_bytes = hard / KERNEL_SOFT_DEN * KERNEL_SOFT_NUM;
		x->xs_hard_secs = sa->sa_lifetime_s;
	}

	/* The keys only for the two requests, wiped right after. */
	memcpy(in->xs_enc_key, sa->sa_enc_in, sa->sa_enc_keylen);
	memcpy(in->xs_auth_key, sa->sa_auth_in, sa->sa_auth_keylen);
	/* SPI_ALLOC's larval state, unless quick mode ran elsewhere. */
	in->xs_update = larval.s_addr == ks->ks_local.s_addr &&
	    larval.s_addr != INADDR_ANY;
	if (xfrm_sa_add(kn_xfrm, in) == -1 && (!in->xs_update ||
	    errno != ESRCH || (in->xs_update = 0, xfrm_sa_add(kn_xfrm,
	    in) == -1))) {
		snprintf(why, whylen, "%s", xfrm_error(kn_xfrm));
		goto fail;
	}
	in_done = 1;
	if (larval.s_addr != INADDR_ANY &&
	    larval.s_addr != ks->ks_local.s_addr)
		kernel_spi_free(larval, sa->sa_spi_in);
	memcpy(out->xs_enc_key, sa->sa_enc_out, sa->sa_enc_keylen);
	memcpy(out->xs_auth_key, sa->sa_auth_out, sa->sa_auth_keylen);
	if (xfrm_sa_add(kn_xfrm, out) == -1) {
		snprintf(why, whylen, "%s", xfrm_error(kn_xfrm));
		goto fail;
	}
	out_done = 1;
	explicit_bzero(in->xs_enc_key, sizeof(in->xs_enc_key));
	explicit_bzero(in->xs_auth_key, sizeof(in->xs_auth_key));
	explicit_bzero(out->xs_enc_key, sizeof(out->xs_enc_key));
	explicit_bzero(out->xs_auth_key, sizeof(out->xs_auth_key));
	in->xs_update = out->xs_update = 1;	/* from now on, updates */

	if (other == NULL) {
		kernel_flow(ks, &xf);
		if (xfrm_policy_add(kn_xfrm, &xf) == -1) {
			if (errno == EEXIST)
				snprintf(why, whylen, "the UDP/1701 flow to %s "
				    "has an XFRM policy already (another "
				    "client behind the same NAT?); the kernel "
				    "data path cannot tell such clients apart, "
				    "dataplane userspace serves them",
				    inet_ntoa(ks->ks_remote));
			else
				snprintf(why, whylen, "%s",
				    xfrm_error(kn_xfrm));
			goto fail;
		}
	}
	ks->ks_peer->kp_nsa++;
	TAILQ_INSERT_TAIL(&kn_sas, ks, ks_entry);
	log_info("IPsec SA %u with %s in the kernel: in %08x out %08x, reqid "
	    "0x%08x%s", ks->ks_id, sockaddr_str(&ks->ks_outer, peer,
	    sizeof(peer)), ks->ks_spi_in, ks->ks_spi_out,
	    ks->ks_peer->kp_reqid, sa->sa_encap ? ", ESP in UDP" : "");
	return (0);
 fail:
	if (out_done && xfrm_sa_del(kn_xfrm, ks->ks_remote, ks->ks_spi_out,
	    IPPROTO_ESP) == -1)
		log_warnx("undo: %s", xfrm_error(kn_xfrm));
	if (in_done && xfrm_sa_del(kn_xfrm, ks->ks_local, ks->ks_spi_in,
	    IPPROTO_ESP) == -1)
		log_warnx("undo: %s", xfrm_error(kn_xfrm));
	explicit_bzero(ks, sizeof(*ks));
	free(ks);
	return (-1);
}

/* SA_DEL: both states, and the policies with the last SA of the flow. */
void
kernel_sa_del(uint32_t id)
{
	struct ksa		*ks;
	struct xfrm_l2tp_flow	 xf;

	if ((ks = kernel_sa_find(id)) == NULL)
		return;
	TAILQ_REMOVE(&kn_sas, ks, ks_entry);
	/* ESRCH: a hard expiry took it already. */
	if (xfrm_sa_del(kn_xfrm, ks->ks_local, ks->ks_spi_in,
	    IPPROTO_ESP) == -1 && errno != ESRCH)
		log_warnx("IPsec SA %u: %s", id, xfrm_error(kn_xfrm));
	if (xfrm_sa_del(kn_xfrm, ks->ks_remote, ks->ks_spi_out,
	    IPPROTO_ESP) == -1 && errno != ESRCH)
		log_warnx("IPsec SA %u: %s", id, xfrm_error(kn_xfrm));
	if (kernel_sa_flow(ks, ks->ks_remote, ks->ks_peer_port) == NULL) {
		kernel_flow(ks, &xf);
		if (xfrm_policy_del(kn_xfrm, &xf) == -1 && errno != ENOENT)
			log_warnx("IPsec SA %u: %s", id, xfrm_error(kn_xfrm));
	}
	ks->ks_peer->kp_nsa--;
	ks->ks_peer->kp_used = time(NULL);
	log_debug("IPsec SA %u removed from the kernel", id);
	free(ks);
}

/* `show sa`: the kernel's own counts of the two states. */
void
kernel_sa_fill(struct ctl_ipsec_sa *cp)
{
	struct xfrm_sa_counters	 xc;
	struct ksa		*ks;

	if ((ks = kernel_sa_find(cp->cp_id)) == NULL)
		return;
	if (xfrm_sa_counters(kn_xfrm, ks->ks_local, ks->ks_spi_in,
	    IPPROTO_ESP, &xc) == 0) {
		cp->cp_bytes_in = xc.xc_bytes;
		cp->cp_packets_in = xc.xc_packets;
	}
	if (xfrm_sa_counters(kn_xfrm, ks->ks_remote, ks->ks_spi_out,
	    IPPROTO_ESP, &xc) == 0) {
		cp->cp_bytes_out = xc.xc_bytes;
		cp->cp_packets_out = xc.xc_packets;
	}
}

/*
 * A filler for the algorithms of an UPDSA on a complete state: the
 * kernel builds a state from the message to validate it, then takes
 * only the encapsulation and the lifetimes over (xfrm_state_update()),
 * so the message needs well-formed keys of the right lengths, not the
 * keys.  Not all zeros: 3DES refuses degenerate keys.
 */
static void
kernel_filler(struct xfrm_sa *x)
{
	size_t	 i;

	for (i = 0; i < sizeof(x->xs_enc_key); i++)
		x->xs_enc_key[i] = (uint8_t)(0x5a ^ (i * 29));
	for (i = 0; i < sizeof(x->xs_auth_key); i++)
		x->xs_auth_key[i] = (uint8_t)(0xa5 ^ (i * 31));
}

/*
 * The peer's NAT mapping moved (its outer port, never its address):
 * the states follow, so ESP goes to the new port and the kernel stops
 * reporting it.  Every SA of that client (old addr:port) moves.
 */
static void
kernel_sa_move(struct ksa *ks, uint16_t port)
{
	struct xfrm_sa	 x;
	int		 i;

	for (i = 0; i < 2; i++) {
		x = i == 0 ? ks->ks_in : ks->ks_out;
		if (!x.xs_encap)
			return;
		if (i == 0)
			x.xs_encap_sport = port;
		else
			x.xs_encap_dport = port;
		kernel_filler(&x);
		x.xs_update = 1;
		if (xfrm_sa_add(kn_xfrm, &x) == -1 && errno != ESRCH)
			log_warnx("IPsec SA %u: NAT mapping to port %u: %s",
			    ks->ks_id, port, xfrm_error(kn_xfrm));
		else if (i == 0)
			ks->ks_in.xs_encap_sport = port;
		else
			ks->ks_out.xs_encap_dport = port;
		explicit_bzero(&x, sizeof(x));
	}
	((struct sockaddr_in *)&ks->ks_outer)->sin_port = htons(port);
}

/* ike saw IKE from a new port of the same peer (parent_nat_mapping()). */
void
kernel_nat_mapping(uint32_t id, const struct sockaddr_storage *peer)
{
	struct ksa		*ks, *o;
	struct sockaddr_storage	 old;
	char			 a[SOCKADDR_STRLEN], b[SOCKADDR_STRLEN];

	if ((ks = kernel_sa_find(id)) == NULL || peer->ss_family != AF_INET ||
	    sockaddr_cmp(&ks->ks_outer, peer) == 0)
		return;
	old = ks->ks_outer;
	log_notice("%s moved to %s (NAT mapping): IPsec SAs follow",
	    sockaddr_str(&old, a, sizeof(a)), sockaddr_str(peer, b,
	    sizeof(b)));
	TAILQ_FOREACH(o, &kn_sas, ks_entry)
		if (sockaddr_cmp(&o->ks_outer, &old) == 0)
			kernel_sa_move(o, kernel_port(peer));
}

/* ---- XFRM events ------------------------------------------------------- */

static struct ksa *
kernel_sa_by_state(uint32_t spi, struct in_addr dst)
{
	struct ksa	*ks;

	TAILQ_FOREACH(ks, &kn_sas, ks_entry)
		if ((ks->ks_spi_in == spi &&
		    ks->ks_local.s_addr == dst.s_addr) ||
		    (ks->ks_spi_out == spi &&
		    ks->ks_remote.s_addr == dst.s_addr))
			return (ks);
	return (NULL);
}

static void
kernel_event_expire(const struct xfrm_event *ev)
{
	struct msg_sa_expire	 sx;
	struct ksa		*ks;
	int			 hard = ev->xe_type == XFRM_EV_EXPIRE_HARD;

	if ((ks = kernel_sa_by_state(ev->xe_spi, ev->xe_dst)) == NULL) {
		/* An SPI_ALLOC quick mode never used (larval, 30 s). */
		log_debug("xfrm: state %08x to %s expired, not an SA of ike's",
		    ev->xe_spi, inet_ntoa(ev->xe_dst));
		return;
	}
	if (hard ? ks->ks_hard_sent : ks->ks_soft_sent || ks->ks_hard_sent)
		return;
	if (hard)
		ks->ks_hard_sent = 1;
	else
		ks->ks_soft_sent = 1;
	log_info("IPsec SA %u: %s lifetime reached (kernel, state %08x)",
	    ks->ks_id, hard ? "hard" : "soft", ev->xe_spi);
	memset(&sx, 0, sizeof(sx));
	sx.sx_id = ks->ks_id;
	sx.sx_hard = hard;
	(void)proc_compose(&kn_pa->pa_procs[PROC_IKE], MSG_SA_EXPIRE, &sx,
	    sizeof(sx));
}

/*
 * XFRM_MSG_MAPPING: ESP in UDP, authenticated by the inbound state,
 * came from a new outer address:port.  A new port (NAT rebinding) is
 * followed, and ike told so its IKE messages go there too; a new
 * address is not: policies and the tunnel sockets name the old one,
 * and DPD will find the peer gone.
 */
static void
kernel_event_mapping(const struct xfrm_event *ev)
{
	struct msg_nat_mapping	 nm;
	struct sockaddr_in	*sin;
	struct ksa		*ks, *o;
	struct sockaddr_storage	 old;
	char			 a[SOCKADDR_STRLEN];

	if ((ks = kernel_sa_by_state(ev->xe_spi, ev->xe_dst)) == NULL)
		return;
	if (ev->xe_new_addr.s_addr != ks->ks_remote.s_addr) {
		log_warnx("IPsec SA %u with %s: ESP now comes from %s:%u; a "
		    "new address is not followed", ks->ks_id,
		    sockaddr_str(&ks->ks_outer, a, sizeof(a)),
		    inet_ntoa(ev->xe_new_addr), ev->xe_new_port);
		return;
	}
	if (ev->xe_new_port == kernel_port(&ks->ks_outer))
		return;
	old = ks->ks_outer;
	memset(&nm, 0, sizeof(nm));
	sin = (struct sockaddr_in *)&nm.nm_peer;
	sin->sin_family = AF_INET;
	sin->sin_addr = ev->xe_new_addr;
	sin->sin_port = htons(ev->xe_new_port);
	log_notice("%s moved to port %u (NAT mapping, XFRM): IPsec SAs "
	    "follow", sockaddr_str(&old, a, sizeof(a)), ev->xe_new_port);
	TAILQ_FOREACH(o, &kn_sas, ks_entry) {
		if (sockaddr_cmp(&o->ks_outer, &old) != 0)
			continue;
		kernel_sa_move(o, ev->xe_new_port);
		nm.nm_id = o->ks_id;
		ike_psa_peer_moved(o->ks_id, &nm.nm_peer);
		(void)proc_compose(&kn_pa->pa_procs[PROC_IKE], MSG_NAT_MAPPING,
		    &nm, sizeof(nm));
	}
}

static void
kernel_event_one(const struct xfrm_event *ev, void *arg)
{
	(void)arg;
	switch (ev->xe_type) {
	case XFRM_EV_EXPIRE_SOFT:
	case XFRM_EV_EXPIRE_HARD:
		kernel_event_expire(ev);
		break;
	case XFRM_EV_MAPPING:
		kernel_event_mapping(ev);
		break;
	case XFRM_EV_OVERRUN:
		log_warnx("xfrm: events were lost (an expiry may go unseen "
		    "until ike's own timers)");
		break;
	}
}

static void
kernel_xfrm_event(int fd, short ev, void *arg)
{
	(void)fd;
	(void)ev;
	(void)arg;
	if (xfrm_event_read(kn_xfrm, kernel_event_one, NULL) == -1)
		log_warnx("xfrm events: %s", xfrm_error(kn_xfrm));
}

/* ---- L2TP tunnels and sessions ---------------------------------------- */

static struct ktunnel *
kernel_tunnel_find(uint16_t tid)
{
	struct ktunnel	*kt;

	TAILQ_FOREACH(kt, &kn_tunnels, kt_entry)
		if (kt->kt_attached && kt->kt_t.tu_tid == tid)
			return (kt);
	return (NULL);
}

/* A client tunnel socket waiting for its TUNNEL_UP, by addresses. */
static struct ktunnel *
kernel_tunnel_dialled(struct in_addr local, struct in_addr peer)
{
	struct ktunnel	*kt;

	TAILQ_FOREACH(kt, &kn_tunnels, kt_entry)
		if (!kt->kt_attached && kt->kt_conn[0] != '\0' &&
		    kt->kt_t.tu_local.sin_addr.s_addr == local.s_addr &&
		    kt->kt_t.tu_peer.sin_addr.s_addr == peer.s_addr)
			return (kt);
	return (NULL);
}

/* Our copies of a tunnel's sockets, and its sessions, go. */
static void
kernel_tunnel_free(struct ktunnel *kt)
{
	struct ksession	*kn, *next;

	if (kt->kt_attached)
		TAILQ_FOREACH_SAFE(kn, &kn_sessions, kn_entry, next)
			if (kn->kn_s.ps_tid == kt->kt_t.tu_tid)
				kernel_session_destroy(kn->kn_id);
	TAILQ_REMOVE(&kn_tunnels, kt, kt_entry);
	pppol2tp_tunnel_destroy(&kt->kt_t);
	free(kt);
}

/*
 * Client role, an IPsec SA for connection `conn` is in place: the
 * tunnel's UDP socket, bound to our 1701 on the SA's local address and
 * connected to the server's 1701 (the flow the SA's policies carry,
 * RFC 3193), for l2tp to send the SCCRQ from.  The kernel tunnel comes
 * at TUNNEL_UP (kernel_tunnel_up()), once the ids are known.  A copy of
 * the socket for l2tp in *fd, and the addresses l2tp names the tunnel
 * by; -1 and why if not.  A connection has one dial at a time: an older
 * one of it goes.
 */
int
kernel_client_dial(const struct msg_sa_add *sa, int *fd,
    struct sockaddr_storage *local, struct sockaddr_storage *peer,
    char *why, size_t whylen)
{
	struct ktunnel		*kt;
	struct sockaddr_in	 l, p;

	*fd = -1;
	if (sa->sa_local.ss_family != AF_INET ||
	    sa->sa_peer.ss_family != AF_INET ||
	    kernel_addr(&sa->sa_local).s_addr == INADDR_ANY) {
		snprintf(why, whylen, "the kernel data path needs IPv4 "
		    "addresses on both ends of the SA");
		return (-1);
	}
	kernel_client_release(sa->sa_connection);
	memset(&l, 0, sizeof(l));
	l.sin_family = AF_INET;
	l.sin_addr = kernel_addr(&sa->sa_local);
	l.sin_port = htons(sa->sa_local_port != 0 ? sa->sa_local_port :
	    PPPOL2TP_PORT);
	p = l;
	p.sin_addr = kernel_addr(&sa->sa_peer);
	p.sin_port = htons(sa->sa_peer_port != 0 ? sa->sa_peer_port :
	    PPPOL2TP_PORT);
	if ((kt = calloc(1, sizeof(*kt))) == NULL) {
		snprintf(why, whylen, "out of memory");
		return (-1);
	}
	if (pppol2tp_tunnel_socket(&kt->kt_t, &l, &p) == -1) {
		snprintf(why, whylen, "%s", kt->kt_t.tu_err);
		free(kt);
		return (-1);
	}
	strlcpy(kt->kt_conn, sa->sa_connection, sizeof(kt->kt_conn));
	if ((*fd = kernel_dup(kt->kt_t.tu_udp)) == -1) {
		snprintf(why, whylen, "dup: %s", strerror(errno));
		pppol2tp_tunnel_destroy(&kt->kt_t);
		free(kt);
		return (-1);
	}
	TAILQ_INSERT_TAIL(&kn_tunnels, kt, kt_entry);
	memset(local, 0, sizeof(*local));
	memset(peer, 0, sizeof(*peer));
	memcpy(local, &l, sizeof(l));
	memcpy(peer, &p, sizeof(p));
	log_debug("connection %s: tunnel socket %s:%u -> %s:%u",
	    kt->kt_conn, inet_ntoa(l.sin_addr), ntohs(l.sin_port),
	    inet_ntoa(p.sin_addr), ntohs(p.sin_port));
	return (0);
}

/*
 * The connection is down or dials anew: its tunnel socket and sessions
 * of ours go (the kernel tunnel with l2tp's copy of the socket).
 */
void
kernel_client_release(const char *conn)
{
	struct ktunnel	*kt, *next;

	TAILQ_FOREACH_SAFE(kt, &kn_tunnels, kt_entry, next)
		if (kt->kt_conn[0] != '\0' && strcmp(kt->kt_conn, conn) == 0)
			kernel_tunnel_free(kt);
}

/*
 * Client role, TUNNEL_UP (SCCRP received, SCCCN sent, RFC 2661 5.1.1):
 * the kernel tunnel on the socket the SCCRQ left from.  l2tp has that
 * socket already.  1 if mt is a tunnel we dialled (done or failed), 0
 * if not.
 */
static int
kernel_tunnel_up_client(const struct msg_tunnel *mt, const char *p)
{
	struct ktunnel	*kt;

	if ((kt = kernel_tunnel_dialled(kernel_addr(&mt->tu_local),
	    kernel_addr(&mt->tu_peer))) == NULL)
		return (0);
	if (kernel_tunnel_find(mt->tu_tid) != NULL) {
		log_warnx("tunnel %u with %s reported up twice", mt->tu_tid, p);
		return (1);
	}
	if (pppol2tp_tunnel_attach(&kt->kt_t, mt->tu_tid,
	    mt->tu_peer_tid) == -1) {
		log_warnx("connection %s: tunnel %u with %s: no kernel tunnel, "
		    "its call will be refused: %s", kt->kt_conn, mt->tu_tid, p,
		    kt->kt_t.tu_err);
		kt->kt_t.tu_tid = 0;
		return (1);
	}
	kt->kt_attached = 1;
	log_info("connection %s: tunnel %u/%u with %s in the kernel",
	    kt->kt_conn, mt->tu_tid, mt->tu_peer_tid, p);
	return (1);
}

static int
kernel_listen_addr(struct in_addr a)
{
	size_t	 i;
	const struct conf_listen *cl;

	for (i = 0; i < kn_nmandatory; i++)
		if (kn_mandatory[i].s_addr == a.s_addr)
			return (1);
	TAILQ_FOREACH(cl, &kn_pa->pa_conf->c_listen, cl_entry)
		if (!cl->cl_is_iface && cl->cl_addr.ss_family == AF_INET &&
		    kernel_addr(&cl->cl_addr).s_addr == a.s_addr)
			return (1);
	return (0);
}

/*
 * TUNNEL_UP (SCCCN, RFC 2661 5.1.1): the kernel tunnel on a UDP socket
 * of ours, bound to our 1701 and connected to the peer, and a copy of
 * that socket for l2tp, which then reads and sends the tunnel's control
 * messages there.  Checked against what the parent holds: one of our
 * addresses, a peer with an IPsec SA (unless `require-ipsec no`).
 */
void
kernel_tunnel_up(struct parent *pa, const struct msg_tunnel *mt)
{
	struct msg_l2tp_tunsock	 lk;
	struct ktunnel		*kt, *next;
	struct sockaddr_in	 local, peer;
	struct kpeer		*kp;
	char			 p[SOCKADDR_STRLEN];
	int			 fd;

	sockaddr_str(&mt->tu_peer, p, sizeof(p));
	if (mt->tu_peer.ss_family != AF_INET ||
	    mt->tu_local.ss_family != AF_INET) {
		log_warnx("tunnel %u with %s: the kernel data path takes IPv4 "
		    "only; its sessions will be refused", mt->tu_tid, p);
		return;
	}
	if (kernel_tunnel_up_client(mt, p))
		return;
	memcpy(&local, &mt->tu_local, sizeof(local));
	memcpy(&peer, &mt->tu_peer, sizeof(peer));
	local.sin_port = htons(PPPOL2TP_PORT);
	if (!kernel_listen_addr(local.sin_addr)) {
		log_warnx("tunnel %u with %s: local address %s is not one we "
		    "listen on; its sessions will be refused", mt->tu_tid, p,
		    inet_ntoa(local.sin_addr));
		return;
	}
	if (pa->pa_conf->c_l2tp.l2_require_ipsec &&
	    ((kp = kernel_peer_find(peer.sin_addr)) == NULL ||
	    kp->kp_nsa == 0)) {
		log_warnx("tunnel %u with %s: no IPsec SA with that peer; its "
		    "sessions will be refused", mt->tu_tid, p);
		return;
	}
	if (kernel_tunnel_find(mt->tu_tid) != NULL) {
		log_warnx("tunnel %u with %s reported up twice", mt->tu_tid, p);
		return;
	}
	/*
	 * The peer opened a new control connection from the address and
	 * port of one we hold (it restarted): the kernel cannot carry
	 * both on one 4-tuple, so the old one's sockets and sessions go
	 * (l2tp stops it when it gets the new socket).
	 */
	TAILQ_FOREACH_SAFE(kt, &kn_tunnels, kt_entry, next) {
		if (!kt->kt_attached || kt->kt_conn[0] != '\0' ||
		    kt->kt_t.tu_peer.sin_addr.s_addr != peer.sin_addr.s_addr ||
		    kt->kt_t.tu_peer.sin_port != peer.sin_port ||
		    kt->kt_t.tu_local.sin_addr.s_addr != local.sin_addr.s_addr)
			continue;
		log_notice("tunnel %u with %s replaces tunnel %u on the same "
		    "addresses and ports; the old one goes", mt->tu_tid, p,
		    kt->kt_t.tu_tid);
		kernel_tunnel_free(kt);
	}
	if ((kt = calloc(1, sizeof(*kt))) == NULL) {
		log_warn("tunnel %u with %s", mt->tu_tid, p);
		return;
	}
	if (pppol2tp_tunnel_create(&kt->kt_t, &local, &peer, mt->tu_tid,
	    mt->tu_peer_tid) == -1) {
		log_warnx("tunnel %u with %s: no kernel tunnel, its sessions "
		    "will be refused: %s", mt->tu_tid, p, kt->kt_t.tu_err);
		free(kt);
		return;
	}
	kt->kt_attached = 1;
	TAILQ_INSERT_TAIL(&kn_tunnels, kt, kt_entry);
	if ((fd = kernel_dup(kt->kt_t.tu_udp)) == -1) {
		log_warn("tunnel %u with %s: dup", mt->tu_tid, p);
		return;
	}
	memset(&lk, 0, sizeof(lk));
	lk.lk_tid = mt->tu_tid;
	(void)proc_compose_fd(&pa->pa_procs[PROC_L2TP], MSG_L2TP_TUNNEL_SOCKET,
	    fd, &lk, sizeof(lk));
	log_info("tunnel %u/%u with %s in the kernel", mt->tu_tid,
	    mt->tu_peer_tid, p);
}

/* TUNNEL_DOWN: our copies go; the kernel tunnel with l2tp's. */
void
kernel_tunnel_down(uint16_t tid)
{
	struct ktunnel	*kt;

	if ((kt = kernel_tunnel_find(tid)) == NULL)
		return;
	kernel_tunnel_free(kt);
	log_debug("tunnel %u: kernel tunnel released", tid);
}

static struct ksession *
kernel_session_find(uint32_t id)
{
	struct ksession	*kn;

	TAILQ_FOREACH(kn, &kn_sessions, kn_entry)
		if (kn->kn_id == id)
			return (kn);
	return (NULL);
}

/*
 * SESSION_UP (ICCN, RFC 2661 5.1.2): the kernel session, its PPP
 * channel and a unit (pppN), down and passing no IP yet.  Copies of the
 * channel and the unit fd for ppp; ours stay for the teardown.
 */
int
kernel_session_create(struct parent *pa, const struct msg_session *ms,
    int *chan, int *unit, int *unitno)
{
	struct ktunnel	*kt;
	struct ksession	*kn;
	char		 p[SOCKADDR_STRLEN];

	sockaddr_str(&ms->se_peer, p, sizeof(p));
	*chan = *unit = -1;
	if ((kt = kernel_tunnel_find(ms->se_tid)) == NULL ||
	    kt->kt_t.tu_peer_tid != ms->se_peer_tid ||
	    ms->se_peer.ss_family != AF_INET ||
	    kernel_addr(&ms->se_peer).s_addr !=
	    kt->kt_t.tu_peer.sin_addr.s_addr) {
		log_warnx("session %u from %s: no kernel tunnel %u/%u for it",
		    ms->se_id, p, ms->se_tid, ms->se_peer_tid);
		return (-1);
	}
	if (kernel_session_find(ms->se_id) != NULL ||
	    (kn = calloc(1, sizeof(*kn))) == NULL) {
		log_warnx("session %u from %s: cannot track it", ms->se_id, p);
		return (-1);
	}
	kn->kn_id = ms->se_id;
	/* We dialled (kt_conn): the LAC, RFC 2661 5.4 is the LNS's. */
	if (pppol2tp_session_create(&kn->kn_s, &kt->kt_t, ms->se_sid,
	    ms->se_peer_sid, pa->pa_conf->c_ppp.pp_mtu,
	    pa->pa_conf->c_ppp.pp_mru, kt->kt_conn[0] != '\0' ? 0 :
	    PPPOL2TP_LNS) == -1) {
		log_warnx("session %u from %s: %s", ms->se_id, p,
		    kn->kn_s.ps_err);
		free(kn);
		return (-1);
	}
	if ((*chan = kernel_dup(kn->kn_s.ps_chan)) == -1 ||
	    (*unit = kernel_dup(kn->kn_s.ps_unit)) == -1) {
		log_warn("session %u from %s: dup", ms->se_id, p);
		if (*chan != -1)
			close(*chan);
		*chan = -1;
		(void)pppol2tp_session_destroy(&kn->kn_s);
		free(kn);
		return (-1);
	}
	*unitno = kn->kn_s.ps_unitno;
	TAILQ_INSERT_TAIL(&kn_sessions, kn, kn_entry);
	log_info("session %u from %s: %s", ms->se_id, p, kn->kn_s.ps_ifname);
	return (0);
}

/* PPP_UP, addresses checked: pppN up with them, IPv4 passes. */
int
kernel_session_ifup(uint32_t id, struct in_addr local, struct in_addr peer)
{
	struct ksession	*kn;

	if ((kn = kernel_session_find(id)) == NULL)
		return (-1);
	if (pppol2tp_session_ifup(&kn->kn_s, local, peer) == -1 ||
	    pppol2tp_session_ip_pass(&kn->kn_s, 1) == -1) {
		log_warnx("session %u: %s", id, kn->kn_s.ps_err);
		(void)pppol2tp_session_ip_pass(&kn->kn_s, 0);
		return (-1);
	}
	return (0);
}

void
kernel_session_destroy(uint32_t id)
{
	struct ksession	*kn;

	if ((kn = kernel_session_find(id)) == NULL)
		return;
	TAILQ_REMOVE(&kn_sessions, kn, kn_entry);
	if (pppol2tp_session_destroy(&kn->kn_s) == -1)
		log_warnx("session %u: %s", id, kn->kn_s.ps_err);
	free(kn);
}

const char *
kernel_session_ifname(uint32_t id)
{
	struct ksession	*kn;

	if ((kn = kernel_session_find(id)) == NULL)
		return ("");
	return (kn->kn_s.ps_ifname);
}

/* Every KERNEL_POLL_S: sessions' counters (show, audit, `idle`). */
static void
kernel_poll(int fd, short ev, void *arg)
{
	struct timeval		 tv = { KERNEL_POLL_S, 0 };
	struct msg_dp_counters	 dc;
	struct pppol2tp_stats	 st;
	struct ksession		*kn, *next;

	(void)fd;
	(void)ev;
	(void)arg;
	TAILQ_FOREACH_SAFE(kn, &kn_sessions, kn_entry, next) {
		if (pppol2tp_session_stats(&kn->kn_s, &st) == -1 ||
		    (st.st_rx_packets == kn->kn_last.st_rx_packets &&
		    st.st_tx_packets == kn->kn_last.st_tx_packets))
			continue;
		kn->kn_last = st;
		memset(&dc, 0, sizeof(dc));
		dc.dc_kind = 1;
		dc.dc_id = kn->kn_id;
		dc.dc_rx_bytes = st.st_rx_bytes;
		dc.dc_tx_bytes = st.st_tx_bytes;
		dc.dc_rx_packets = st.st_rx_packets;
		dc.dc_tx_packets = st.st_tx_packets;
		session_counters(kn_pa, &dc);
	}
	kernel_peer_gc();
	evtimer_add(&kn_poll_ev, &tv);
}

/* ---- start and stop ---------------------------------------------------- */

/*
 * Before any socket is handed out: XFRM, what a killed predecessor left
 * of ours removed, and UDP/1701 to every listen address made to require
 * ESP (unless `require-ipsec no`), so no cleartext L2TP gets through
 * even for a moment.
 */
int
kernel_start(struct parent *pa)
{
	const struct conf_listen	*cl;
	struct timeval			 tv = { KERNEL_POLL_S, 0 };
	struct in_addr			 a;
	size_t				 i;
	int				 n;

	kn_pa = pa;
	if ((kn_xfrm = xfrm_open()) == NULL)
		return (-1);
	if ((n = xfrm_flush_ours(kn_xfrm)) == -1) {
		log_warnx("%s", xfrm_error(kn_xfrm));
		return (-1);
	}
	if (n > 0)
		log_notice("removed %d XFRM states and policies a previous "
		    "l2tpsecd left behind", n);
	if (pa->pa_conf->c_l2tp.l2_require_ipsec) {
		TAILQ_FOREACH(cl, &pa->pa_conf->c_listen, cl_entry) {
			a = kernel_addr(&cl->cl_addr);
			for (i = 0; i < kn_nmandatory; i++)
				if (kn_mandatory[i].s_addr == a.s_addr)
					break;
			if (i < kn_nmandatory)
				continue;
			if (kn_nmandatory == sizeof(kn_mandatory) /
			    sizeof(kn_mandatory[0])) {
				log_warnx("more than %zu listen addresses",
				    kn_nmandatory);
				return (-1);
			}
			if (xfrm_mandatory_add(kn_xfrm, a) == -1) {
				log_warnx("%s", xfrm_error(kn_xfrm));
				return (-1);
			}
			kn_mandatory[kn_nmandatory++] = a;
		}
	}
	event_assign(&kn_xfrm_ev, pa->pa_base, xfrm_event_fd(kn_xfrm),
	    EV_READ | EV_PERSIST, kernel_xfrm_event, NULL);
	event_add(&kn_xfrm_ev, NULL);
	evtimer_assign(&kn_poll_ev, pa->pa_base, kernel_poll, NULL);
	evtimer_add(&kn_poll_ev, &tv);
	kn_events_on = 1;
	log_info("kernel data path: XFRM ready, UDP/1701 to %zu address(es) "
	    "requires ESP", kn_nmandatory);
	return (0);
}

/*
 * At stop, what we installed and know of: every policy first (a state
 * deleted under a live out policy would start an acquire, a larval
 * state nobody can delete), then the states.  Quietly: the flush that
 * follows reports only what was left over, as at start.
 */
static void
kernel_stop_xfrm(void)
{
	struct xfrm_l2tp_flow	 xf;
	struct ksa		*ks;
	size_t			 i;

	TAILQ_FOREACH(ks, &kn_sas, ks_entry) {
		kernel_flow(ks, &xf);
		if (xfrm_policy_del(kn_xfrm, &xf) == -1 && errno != ENOENT)
			log_debug("%s", xfrm_error(kn_xfrm));
	}
	for (i = 0; i < kn_nmandatory; i++)
		if (xfrm_mandatory_del(kn_xfrm, kn_mandatory[i]) == -1)
			log_debug("%s", xfrm_error(kn_xfrm));
	TAILQ_FOREACH(ks, &kn_sas, ks_entry) {
		if (xfrm_sa_del(kn_xfrm, ks->ks_local, ks->ks_spi_in,
		    IPPROTO_ESP) == -1 && errno != ESRCH)
			log_debug("%s", xfrm_error(kn_xfrm));
		if (xfrm_sa_del(kn_xfrm, ks->ks_remote, ks->ks_spi_out,
		    IPPROTO_ESP) == -1 && errno != ESRCH)
			log_debug("%s", xfrm_error(kn_xfrm));
	}
}

/*
 * Every exit path: sessions (pppN) and tunnels first, then every XFRM
 * state and policy of ours.  What the children still hold of the
 * tunnels' sockets and units goes with them (they are gone by now, or
 * the kernel removes it as their descriptors close).
 */
void
kernel_stop(void)
{
	struct ksession	*kn;
	struct ktunnel	*kt;
	struct ksa	*ks;
	struct kpeer	*kp;
	int		 n;

	if (kn_events_on) {
		event_del(&kn_xfrm_ev);
		evtimer_del(&kn_poll_ev);
		kn_events_on = 0;
	}
	while ((kn = TAILQ_FIRST(&kn_sessions)) != NULL)
		kernel_session_destroy(kn->kn_id);
	while ((kt = TAILQ_FIRST(&kn_tunnels)) != NULL)
		kernel_tunnel_free(kt);
	if (kn_xfrm != NULL) {
		kernel_stop_xfrm();
		/* What we did not know of (or could not delete above). */
		if ((n = xfrm_flush_ours(kn_xfrm)) == -1)
			log_warnx("%s", xfrm_error(kn_xfrm));
		else if (n > 0)
			log_notice("xfrm: %d more states and policies of ours "
			    "removed", n);
		xfrm_close(kn_xfrm);
		kn_xfrm = NULL;
	}
	kn_nmandatory = 0;
	while ((ks = TAILQ_FIRST(&kn_sas)) != NULL) {
		TAILQ_REMOVE(&kn_sas, ks, ks_entry);
		free(ks);
	}
	while ((kp = TAILQ_FIRST(&kn_peers)) != NULL) {
		TAILQ_REMOVE(&kn_peers, kp, kp_entry);
		free(kp);
	}
}
