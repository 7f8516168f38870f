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
#include "netcfg/iface.h"
#include "parent.h"

/*
 * The client role (DESIGN.md): for a `connection` block the parent runs
 * the sequence ike initiate -> IPsec SA -> l2tp dials (SCCRQ ... ICCN)
 * -> ppp as peer -> IPCP up -> routes, and owns reconnecting with
 * back-off when the server goes away.
 */

enum conn_state {
	CONN_IDLE = 0,
	CONN_IKE,		/* main mode + quick mode */
	CONN_L2TP,		/* tunnel and call */
	CONN_PPP,		/* LCP, authentication, IPCP */
	CONN_UP
};

static const char *const conn_state_names[] = {
	"idle", "ike", "l2tp", "ppp", "up"
};

#define CONN_BACKOFF_MIN	2	/* seconds */
#define CONN_BACKOFF_MAX	120
#define CONN_STEP_TIMEOUT	60	/* seconds per step before retrying */

struct pconn {
	TAILQ_ENTRY(pconn)	 cn_entry;
	struct parent		*cn_parent;
	char			 cn_name[MSG_NAME_MAX];
	enum conn_state		 cn_state;
	int			 cn_wanted;	/* connect, not disconnect */
	uint32_t		 cn_sa;
	uint32_t		 cn_session;
	struct in_addr		 cn_addr;
	unsigned int		 cn_backoff;
	struct event		 cn_timer;	/* step timeout, reconnect */
	/* What the parent put in the kernel for it, to take out again. */
	int			 cn_tun_fd;
	char			 cn_tun[IF_NAMESIZE];
	int			 cn_hostroute;	/* to the server, via cn_gw */
	struct in_addr		 cn_server;
	struct in_addr		 cn_gw;
	int			 cn_has_gw;
	char			 cn_gwdev[IF_NAMESIZE];
	struct iface_default	*cn_default;
};

static TAILQ_HEAD(, pconn)	 conns = TAILQ_HEAD_INITIALIZER(conns);

static void	conn_timer(int, short, void *);

static struct pconn *
conn_find(const char *name)
{
	struct pconn	*cn;

	TAILQ_FOREACH(cn, &conns, cn_entry)
		if (strcmp(cn->cn_name, name) == 0)
			return (cn);
	return (NULL);
}

static void
conn_set_state(struct pconn *cn, enum conn_state st)
{
	struct timeval	 tv = { CONN_STEP_TIMEOUT, 0 };

	log_info("connection %s: %s -> %s", cn->cn_name,
	    conn_state_names[cn->cn_state], conn_state_names[st]);
	cn->cn_state = st;
	evtimer_del(&cn->cn_timer);
	/* Every step has a deadline; up has none (DPD and echo watch). */
	if (st != CONN_IDLE && st != CONN_UP)
		evtimer_add(&cn->cn_timer, &tv);
}

static struct pconn *
conn_get(struct parent *pa, const char *name)
{
	struct pconn	*cn;

	if ((cn = conn_find(name)) != NULL)
		return (cn);
	if ((cn = calloc(1, sizeof(*cn))) == NULL)
		fatal("calloc");
	cn->cn_parent = pa;
	strlcpy(cn->cn_name, name, sizeof(cn->cn_name));
	cn->cn_backoff = CONN_BACKOFF_MIN;
	cn->cn_tun_fd = -1;
	evtimer_assign(&cn->cn_timer, pa->pa_base, conn_timer, cn);
	TAILQ_INSERT_TAIL(&conns, cn, cn_entry);
	return (cn);
}

/* `connect NAME` and `autostart yes`. */
int
client_connect(struct parent *pa, const char *name, char *msg, size_t len)
{
	struct pconn	*cn;

	if ((cn = conn_find(name)) != NULL && cn->cn_state != CONN_IDLE) {
		snprintf(msg, len, "connection %s is %s already", name,
		    conn_state_names[cn->cn_state]);
		return (-1);
	}
	if (ike_connect(pa, name, msg, len) == -1)
		return (-1);
	cn = conn_get(pa, name);
	cn->cn_wanted = 1;
	conn_set_state(cn, CONN_IKE);
	return (0);
}

/*
 * Undo the routes and the interface, in the order that keeps ESP off
 * the tunnel: default route first, the host route to the server last.
 */
static void
conn_unroute(struct pconn *cn)
{
	if (cn->cn_default != NULL) {
		(void)iface_default_restore(cn->cn_default);
		cn->cn_default = NULL;
	}
	if (cn->cn_hostroute) {
		(void)iface_route_del_via(cn->cn_server, cn->cn_gw,
		    cn->cn_has_gw, cn->cn_gwdev);
		cn->cn_hostroute = 0;
	}
	if (cn->cn_tun_fd != -1) {
		(void)iface_tun_destroy(cn->cn_tun_fd, cn->cn_tun);
		cn->cn_tun_fd = -1;
		cn->cn_tun[0] = '\0';
	}
}

/* At stop: every connection's routes and interface go. */
void
client_stop(void)
{
	struct pconn	*cn;

	TAILQ_FOREACH(cn, &conns, cn_entry)
		conn_unroute(cn);
}

/*
 * IPCP up as a client: an interface with our address -- userspace: a
 * TUN of its own, handed to the datapath bound to this session; kernel:
 * the session's pppN -- a host route to the server through the gateway
 * used now (the classic client setup adds it by hand), and the default
 * route through the tunnel if asked for.
 */
static int
conn_route(struct parent *pa, struct pconn *cn, struct in_addr local,
    struct in_addr peer)
{
	const struct conf_connection	*cc;
	struct msg_dp_route		 dr;
	const char			*ifname;
	int				 fd;

	TAILQ_FOREACH(cc, &pa->pa_conf->c_connections, cc_entry)
		if (strcmp(cc->cc_name, cn->cn_name) == 0)
			break;
	if (cc == NULL || cc->cc_server.ss_family != AF_INET)
		return (-1);
	cn->cn_server = ((const struct sockaddr_in *)&cc->cc_server)->sin_addr;
	if (iface_route_get(cn->cn_server, &cn->cn_gw, &cn->cn_has_gw,
	    cn->cn_gwdev, sizeof(cn->cn_gwdev)) == -1)
		return (-1);
	if (pa->pa_dataplane == DATAPLANE_KERNEL) {
		if (kernel_session_ifup(cn->cn_session, local, peer) == -1)
			return (-1);
		ifname = kernel_session_ifname(cn->cn_session);
	} else {
		if ((cn->cn_tun_fd = iface_tun_create("l2tpsecc%d",
		    pa->pa_conf->c_ppp.pp_mtu, cn->cn_tun,
		    sizeof(cn->cn_tun))) == -1)
			return (-1);
		if (iface_addr_add(cn->cn_tun, local, peer) == -1)
			return (-1);
		ifname = cn->cn_tun;
	}
	if (iface_route_add_via(cn->cn_server, cn->cn_gw, cn->cn_has_gw,
	    cn->cn_gwdev) == 0)
		cn->cn_hostroute = 1;
	if (cc->cc_default_route &&
	    (cn->cn_default = iface_default_replace(ifname)) == NULL)
		return (-1);
	if (pa->pa_dataplane == DATAPLANE_KERNEL)
		return (0);
	if ((fd = fcntl(cn->cn_tun_fd, F_DUPFD_CLOEXEC, 0)) == -1)
		return (-1);
	memset(&dr, 0, sizeof(dr));
	dr.dr_id = cn->cn_session;
	dr.dr_peer = peer.s_addr;
	dr.dr_local = local.s_addr;
	dr.dr_mtu = pa->pa_conf->c_ppp.pp_mtu;
	return (proc_compose_fd(&pa->pa_procs[PROC_DATAPATH], MSG_DP_ROUTE,
	    fd, &dr, sizeof(dr)));
}

/* IKE Delete for the connection's SAs, so a retry starts from scratch. */
static void
conn_ike_delete(struct pconn *cn)
{
	struct ctl_target	 tgt;

	memset(&tgt, 0, sizeof(tgt));
	tgt.ct_kind = CTL_TGT_CONNECTION;
	strlcpy(tgt.ct_name, cn->cn_name, sizeof(tgt.ct_name));
	(void)proc_request(&cn->cn_parent->pa_procs[PROC_IKE],
	    MSG_CTL_DISCONNECT, 0, &tgt, sizeof(tgt));
}

/* Down for whatever reason: reconnect with back-off if still wanted. */
static void
conn_down(struct pconn *cn, const char *why)
{
	struct timeval	 tv = { cn->cn_backoff, 0 };

	log_notice("connection %s down: %s%s", cn->cn_name, why,
	    cn->cn_wanted ? "; reconnecting" : "");
	conn_unroute(cn);
	/* Kernel: the tunnel socket (and pppN) of this attempt go too. */
	if (cn->cn_parent->pa_dataplane == DATAPLANE_KERNEL)
		kernel_client_release(cn->cn_name);
	conn_ike_delete(cn);
	cn->cn_session = 0;
	cn->cn_sa = 0;
	cn->cn_addr.s_addr = 0;
	conn_set_state(cn, CONN_IDLE);
	if (!cn->cn_wanted)
		return;
	log_info("connection %s: next attempt in %u s", cn->cn_name,
	    cn->cn_backoff);
	evtimer_add(&cn->cn_timer, &tv);
	cn->cn_backoff = cn->cn_backoff * 2 > CONN_BACKOFF_MAX ?
	    CONN_BACKOFF_MAX : cn->cn_backoff * 2;
}

static void
conn_timer(int fd, short ev, void *arg)
{
	struct pconn	*cn = arg;
	char		 msg[CTL_RESULT_MSG];

	(void)fd;
	(void)ev;
	if (cn->cn_state == CONN_IDLE) {
		/* The back-off is over: try again. */
		if (cn->cn_wanted && client_connect(cn->cn_parent,
		    cn->cn_name, msg, sizeof(msg)) == -1)
			log_warnx("%s", msg);
		return;
	}
	if (cn->cn_session != 0)
		(void)session_close(cn->cn_parent, cn->cn_session,
		    "connection step timed out");
	conn_down(cn, cn->cn_state == CONN_IKE ? "IKE did not complete "
	    "in time" : cn->cn_state == CONN_L2TP ? "L2TP did not come up "
	    "in time" : "PPP did not come up in time");
}

/* An IPsec SA for a connection is in place: L2TP dials through it. */
void
client_sa_up(struct parent *pa, const struct msg_sa_add *sa)
{
	struct pconn		*cn;
	struct msg_l2tp_dial	 ld;
	char			 why[MSG_REASON_MAX + 128];
	int			 fd;

	if ((cn = conn_find(sa->sa_connection)) == NULL ||
	    cn->cn_state == CONN_IDLE)
		return;
	if (cn->cn_state != CONN_IKE) {
		/*
		 * A rekey: L2TP already runs, and the data path moves to the
		 * newest SA by itself.  The connection follows it, so the
		 * old SA's Delete does not take the connection down.
		 */
		cn->cn_sa = sa->sa_id;
		return;
	}
	memset(&ld, 0, sizeof(ld));
	strlcpy(ld.ld_connection, cn->cn_name, sizeof(ld.ld_connection));
	cn->cn_sa = sa->sa_id;
	ld.ld_sa = sa->sa_id;
	if (pa->pa_dataplane == DATAPLANE_KERNEL) {
		/*
		 * The kernel takes ESP off before l2tp sees anything: the
		 * tunnel is our 1701 and the server's, on a socket of its
		 * own that the SCCRQ leaves from.
		 */
		if (kernel_client_dial(sa, &fd, &ld.ld_local, &ld.ld_peer,
		    why, sizeof(why)) == -1) {
			conn_down(cn, why);
			return;
		}
		conn_set_state(cn, CONN_L2TP);
		(void)proc_compose_fd(&pa->pa_procs[PROC_L2TP], MSG_L2TP_DIAL,
		    fd, &ld, sizeof(ld));
		return;
	}
	/*
	 * A peer is its outer address:port (DESIGN.md): the datapath names
	 * the server that way in every control datagram it relays, and
	 * sends ours through ld_sa (inner UDP/1701, RFC 3193).
	 */
	ld.ld_peer = sa->sa_peer;
	ld.ld_local = sa->sa_local;
	conn_set_state(cn, CONN_L2TP);
	(void)proc_compose(&pa->pa_procs[PROC_L2TP], MSG_L2TP_DIAL, &ld,
	    sizeof(ld));
}

/* The connection's call is up: PPP as peer runs on it. */
int
client_session_up(struct parent *pa, const struct msg_session *ms)
{
	struct pconn	*cn;

	(void)pa;
	if ((cn = conn_find(ms->se_connection)) == NULL ||
	    cn->cn_state != CONN_L2TP)
		return (-1);
	cn->cn_session = ms->se_id;
	conn_set_state(cn, CONN_PPP);
	return (0);
}

/* IPCP opened: the server gave us cn_addr. */
int
client_ppp_up(struct parent *pa, uint32_t session, struct in_addr addr,
    struct in_addr peer)
{
	struct pconn	*cn;

	TAILQ_FOREACH(cn, &conns, cn_entry)
		if (cn->cn_session == session && cn->cn_state == CONN_PPP)
			break;
	if (cn == NULL)
		return (-1);
	if (conn_route(pa, cn, addr, peer) == -1) {
		conn_unroute(cn);
		(void)session_close(pa, session, "could not set up the "
		    "interface and routes");
		return (0);
	}
	cn->cn_addr = addr;
	cn->cn_backoff = CONN_BACKOFF_MIN;
	conn_set_state(cn, CONN_UP);
	log_notice("connection %s up: address %s", cn->cn_name,
	    inet_ntoa(addr));
	return (0);
}

/* The connection's session ended (PPP, L2TP, or the SA under them). */
void
client_session_down(struct parent *pa, uint32_t session, const char *why)
{
	struct pconn	*cn;

	(void)pa;
	TAILQ_FOREACH(cn, &conns, cn_entry)
		if (cn->cn_session == session && session != 0)
			break;
	if (cn != NULL)
		conn_down(cn, why);
}

/* `disconnect connection NAME`: no reconnect until `connect`. */
int
client_disconnect(struct parent *pa, const char *name, char *msg,
    size_t len)
{
	struct pconn	*cn;

	if ((cn = conn_find(name)) == NULL || cn->cn_state == CONN_IDLE) {
		if (cn != NULL && cn->cn_wanted) {
			/* Waiting to reconnect: stop that. */
			cn->cn_wanted = 0;
			evtimer_del(&cn->cn_timer);
			snprintf(msg, len, "connection %s: reconnecting "
			    "stopped", name);
			return (0);
		}
		snprintf(msg, len, "connection %s is not connected", name);
		return (-1);
	}
	cn->cn_wanted = 0;
	if (cn->cn_session != 0)
		(void)session_close(pa, cn->cn_session,
		    "disconnected by the administrator");
	else
		conn_down(cn, "disconnected by the administrator");
	conn_ike_delete(cn);
	snprintf(msg, len, "connection %s disconnecting", name);
	return (0);
}

/* The connection's IPsec SA went (Delete, DPD, expiry): all above it. */
void
client_sa_down(struct parent *pa, uint32_t sa)
{
	struct pconn	*cn;

	TAILQ_FOREACH(cn, &conns, cn_entry) {
		if (cn->cn_sa != sa || sa == 0 || cn->cn_state == CONN_IDLE)
			continue;
		if (cn->cn_session != 0)
			(void)session_close(pa, cn->cn_session,
			    "the IPsec SA went away");
		else
			conn_down(cn, "the IPsec SA went away");
	}
}

/* IKE for the connection failed (timeout, PSK mismatch, proposals). */
void
client_ike_down(struct parent *pa, const char *name, const char *why)
{
	struct pconn	*cn;

	(void)pa;
	if ((cn = conn_find(name)) != NULL && cn->cn_state == CONN_IKE)
		conn_down(cn, why);
}

/* At start: every `autostart yes` connection dials. */
void
client_autostart(struct parent *pa)
{
	const struct conf_connection	*cc;
	char				 msg[CTL_RESULT_MSG];

	TAILQ_FOREACH(cc, &pa->pa_conf->c_connections, cc_entry)
		if (cc->cc_autostart &&
		    client_connect(pa, cc->cc_name, msg, sizeof(msg)) == -1)
			log_warnx("%s", msg);
}
