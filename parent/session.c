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
 * The parent's view of the sessions: what it set up for each (the
 * datapath entry and the ppp socket), so it can take exactly that down
 * again.  A session is born at SESSION_UP from l2tp and ends at
 * SESSION_DOWN; PPP ending first asks l2tp to clear the call.
 */

struct psession {
	TAILQ_ENTRY(psession)	 ps_entry;
	uint32_t		 ps_id;
	struct msg_session	 ps_l2tp;
	time_t			 ps_created;
	int			 ps_dp;		/* datapath has an entry */
	int			 ps_kernel;	/* kernel session and pppN */
	int			 ps_ppp;	/* ppp runs on it */
	int			 ps_up;		/* IPCP opened */
	int			 ps_client;	/* we dialled: PPP as peer */
	struct in_addr		 ps_ip;		/* the client's address */
	char			 ps_user[MSG_NAME_MAX];
	char			 ps_method[16];
	char			 ps_ppp_reason[MSG_REASON_MAX];	/* PPP_DOWN's */
	struct msg_dp_counters	 ps_ctr;
};

/*
 * Failed logins per peer address (the port is the client's to change,
 * the address is not): AUTH_FAIL_MAX within AUTH_FAIL_WINDOW seconds
 * and new sessions from that address are refused for AUTH_BLOCK
 * seconds.  Per session, ppp already ends a session at its first
 * CHAP/MS-CHAPv2 failure (PAP: a few tries).
 */
#define AUTH_FAIL_MAX		10
#define AUTH_FAIL_WINDOW	600
#define AUTH_BLOCK		600
#define AUTH_TRACK_MAX		4096	/* addresses remembered at most */

struct authfail {
	TAILQ_ENTRY(authfail)	 af_entry;
	struct sockaddr_storage	 af_addr;	/* port zeroed */
	time_t			 af_first;
	unsigned int		 af_count;
	time_t			 af_blocked_until;
};

static TAILQ_HEAD(, authfail)	 authfails =
    TAILQ_HEAD_INITIALIZER(authfails);
static size_t			 nauthfails;

static void
addr_noport(const struct sockaddr_storage *in, struct sockaddr_storage *out)
{
	*out = *in;
	if (out->ss_family == AF_INET)
		((struct sockaddr_in *)out)->sin_port = 0;
	else if (out->ss_family == AF_INET6)
		((struct sockaddr_in6 *)out)->sin6_port = 0;
}

static struct authfail *
authfail_find(const struct sockaddr_storage *peer, int create)
{
	struct authfail		*af, *next;
	struct sockaddr_storage	 a;
	time_t			 now = time(NULL);

	addr_noport(peer, &a);
	TAILQ_FOREACH_SAFE(af, &authfails, af_entry, next) {
		/* Forget what is old and no longer blocked. */
		if (now - af->af_first > AUTH_FAIL_WINDOW &&
		    af->af_blocked_until <= now) {
			TAILQ_REMOVE(&authfails, af, af_entry);
			nauthfails--;
			free(af);
			continue;
		}
		if (sockaddr_cmp(&af->af_addr, &a) == 0)
			return (af);
	}
	if (!create)
		return (NULL);
	if (nauthfails >= AUTH_TRACK_MAX) {
		/* Bounded memory: the oldest record goes. */
		af = TAILQ_FIRST(&authfails);
		TAILQ_REMOVE(&authfails, af, af_entry);
		nauthfails--;
		free(af);
	}
	if ((af = calloc(1, sizeof(*af))) == NULL)
		return (NULL);
	af->af_addr = a;
	af->af_first = now;
	TAILQ_INSERT_TAIL(&authfails, af, af_entry);
	nauthfails++;
	return (af);
}

static struct psession *
psession_find(struct parent *pa, uint32_t id)
{
	struct psession	*ps;

	TAILQ_FOREACH(ps, &pa->pa_sessions, ps_entry)
		if (ps->ps_id == id)
			return (ps);
	return (NULL);
}

static void
psession_ref(struct msg_session_ref *sr, uint32_t id, uint32_t result,
    const char *why)
{
	memset(sr, 0, sizeof(*sr));
	sr->sr_id = id;
	sr->sr_result = result;
	if (why != NULL)
		strlcpy(sr->sr_reason, why, sizeof(sr->sr_reason));
}

/* An auth.failure from ppp: count it against the peer's address. */
void
session_auth_failed(struct parent *pa, uint32_t id)
{
	struct psession	*ps;
	struct authfail	*af;
	char		 peer[SOCKADDR_STRLEN];

	if ((ps = psession_find(pa, id)) == NULL || ps->ps_client ||
	    (af = authfail_find(&ps->ps_l2tp.se_peer, 1)) == NULL)
		return;
	if (++af->af_count >= AUTH_FAIL_MAX && af->af_blocked_until == 0) {
		af->af_blocked_until = time(NULL) + AUTH_BLOCK;
		sockaddr_str(&af->af_addr, peer, sizeof(peer));
		log_warnx("%u failed logins from %s within %d s: refusing "
		    "sessions from it for %d s", af->af_count, peer,
		    AUTH_FAIL_WINDOW, AUTH_BLOCK);
	}
}

/*
 * Kernel data path: the kernel session and pppN; ppp gets the channel
 * fd (LCP, authentication) with MSG_PPP_START and the unit fd (IPCP)
 * with MSG_PPP_UNIT right after it.
 */
static void
session_up_kernel(struct parent *pa, struct psession *ps,
    struct msg_ppp_start *st)
{
	struct msg_ppp_unit	 pu;
	struct msg_session_ref	 sr;
	int			 chan, unit, unitno;

	if (kernel_session_create(pa, &ps->ps_l2tp, &chan, &unit,
	    &unitno) == -1) {
		psession_ref(&sr, ps->ps_id, 0, "no kernel session");
		(void)proc_compose(&pa->pa_procs[PROC_L2TP], MSG_L2TP_CLOSE,
		    &sr, sizeof(sr));
		return;
	}
	ps->ps_kernel = 1;
	st->ps_kernel = 1;
	memset(&pu, 0, sizeof(pu));
	pu.pu_id = ps->ps_id;
	pu.pu_unit = (uint32_t)unitno;
	if (proc_compose_fd(&pa->pa_procs[PROC_PPP], MSG_PPP_START, chan, st,
	    sizeof(*st)) == -1) {
		close(unit);
		return;
	}
	ps->ps_ppp = 1;
	(void)proc_compose_fd(&pa->pa_procs[PROC_PPP], MSG_PPP_UNIT, unit,
	    &pu, sizeof(pu));
}

/*
 * SESSION_UP: one SOCK_SEQPACKET pair carries the session's PPP frames
 * (protocol field + payload) between the datapath and ppp; with the
 * kernel data path, the kernel's PPP channel and unit do.
 */
void
session_up(struct parent *pa, const struct msg_session *ms)
{
	struct psession		*ps;
	struct msg_dp_session	 ds;
	struct msg_ppp_start	 st;
	int			 sp[2];

	if (psession_find(pa, ms->se_id) != NULL) {
		log_warnx("session %u reported up twice", ms->se_id);
		return;
	}
	if ((ps = calloc(1, sizeof(*ps))) == NULL) {
		log_warn("session %u", ms->se_id);
		return;
	}
	ps->ps_id = ms->se_id;
	ps->ps_l2tp = *ms;
	ps->ps_created = time(NULL);
	TAILQ_INSERT_TAIL(&pa->pa_sessions, ps, ps_entry);
	if (ms->se_connection[0] == '\0') {
		struct authfail *af = authfail_find(&ms->se_peer, 0);

		if (af != NULL && af->af_blocked_until > time(NULL)) {
			struct msg_session_ref	 sr;
			char			 peer[SOCKADDR_STRLEN];

			log_warnx("session %u from %s refused: too many "
			    "failed logins from this address", ms->se_id,
			    sockaddr_str(&ms->se_peer, peer, sizeof(peer)));
			psession_ref(&sr, ms->se_id, 0, "refused");
			(void)proc_compose(&pa->pa_procs[PROC_L2TP],
			    MSG_L2TP_CLOSE, &sr, sizeof(sr));
			return;
		}
	}
	if (pa->pa_dataplane == DATAPLANE_KERNEL) {
		memset(&st, 0, sizeof(st));
		st.ps_id = ms->se_id;
		st.ps_role = MSG_PPP_SERVER;
		st.ps_peer = ms->se_peer;
		/* A call we placed: PPP as peer, for its connection. */
		if (ms->se_connection[0] != '\0') {
			if (client_session_up(pa, ms) == -1) {
				struct msg_session_ref	 sr;

				log_warnx("session %u: connection %s is not "
				    "dialling", ms->se_id, ms->se_connection);
				psession_ref(&sr, ms->se_id, 0, "refused");
				(void)proc_compose(&pa->pa_procs[PROC_L2TP],
				    MSG_L2TP_CLOSE, &sr, sizeof(sr));
				return;
			}
			ps->ps_client = 1;
			st.ps_role = MSG_PPP_CLIENT;
			strlcpy(st.ps_connection, ms->se_connection,
			    sizeof(st.ps_connection));
		}
		session_up_kernel(pa, ps, &st);
		return;
	}
	if (pa->pa_procs[PROC_DATAPATH].p_pid == 0)
		return;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sp) == -1) {
		log_warn("session %u: socketpair", ms->se_id);
		return;
	}
	memset(&ds, 0, sizeof(ds));
	ds.ds_ses = *ms;
	ds.ds_sa = ms->se_sa;
	if (proc_compose_fd(&pa->pa_procs[PROC_DATAPATH], MSG_DP_SESSION_ADD,
	    sp[0], &ds, sizeof(ds)) == -1) {
		close(sp[1]);
		return;
	}
	ps->ps_dp = 1;
	memset(&st, 0, sizeof(st));
	st.ps_id = ms->se_id;
	st.ps_role = MSG_PPP_SERVER;
	st.ps_peer = ms->se_peer;
	if (ms->se_connection[0] != '\0' &&
	    client_session_up(pa, ms) == 0) {
		ps->ps_client = 1;
		st.ps_role = MSG_PPP_CLIENT;
		strlcpy(st.ps_connection, ms->se_connection,
		    sizeof(st.ps_connection));
	}
	if (proc_compose_fd(&pa->pa_procs[PROC_PPP], MSG_PPP_START, sp[1],
	    &st, sizeof(st)) == 0)
		ps->ps_ppp = 1;
}

static void
session_audit(const char *event, const struct psession *ps,
    const struct msg_session *down)
{
	struct json	 j;
	char		 peer[SOCKADDR_STRLEN];

	sockaddr_str(&ps->ps_l2tp.se_peer, peer, sizeof(peer));
	audit_begin(&j, event);
	json_uint(&j, "session", ps->ps_id);
	json_str(&j, "peer", peer);
	if (ps->ps_user[0] != '\0')
		json_str(&j, "user", ps->ps_user);
	if (ps->ps_up) {
		json_str(&j, "ip", inet_ntoa(ps->ps_ip));
		json_str(&j, "method", ps->ps_method);
	}
	json_uint(&j, "tunnel", ps->ps_l2tp.se_tid);
	json_uint(&j, "peer_tunnel", ps->ps_l2tp.se_peer_tid);
	json_uint(&j, "l2tp_session", ps->ps_l2tp.se_sid);
	json_uint(&j, "peer_l2tp_session", ps->ps_l2tp.se_peer_sid);
	if (down != NULL) {
		json_uint(&j, "duration_s", (uint64_t)(time(NULL) -
		    ps->ps_created));
		json_uint(&j, "rx_bytes", ps->ps_ctr.dc_rx_bytes);
		json_uint(&j, "tx_bytes", ps->ps_ctr.dc_tx_bytes);
		json_uint(&j, "result", down->se_result);
		/* PPP ended first: its reason, which the CDN does not carry. */
		json_str(&j, "reason", ps->ps_ppp_reason[0] != '\0' ?
		    ps->ps_ppp_reason : down->se_reason);
	}
	audit_commit(&j);
}

/*
 * PPP_UP: ppp asks for the session to carry IP with these addresses.
 * The parent checks them against its own config -- the pool and the
 * static addresses of the users file -- never against ppp's word.
 */
int
session_ppp_up(struct parent *pa, const struct msg_ppp_up *pu)
{
	const struct conf_ppp	*pp = &pa->pa_conf->c_ppp;
	struct psession		*ps, *o;
	uint32_t		 a = ntohl(pu->pu_peer);
	size_t			 i;
	int			 ok;

	if (!msg_str_ok(pu->pu_user, sizeof(pu->pu_user)) ||
	    !msg_str_ok(pu->pu_method, sizeof(pu->pu_method)))
		return (-1);
	if ((ps = psession_find(pa, pu->pu_id)) != NULL && ps->ps_client) {
		struct in_addr ours = { pu->pu_local };

		/* The server chose; refuse only what cannot be an address. */
		if (ps->ps_up || pu->pu_local == 0 || pu->pu_local ==
		    INADDR_BROADCAST || IN_MULTICAST(ntohl(pu->pu_local)))
			return (-1);
		ps->ps_up = 1;
		ps->ps_ip = ours;
		strlcpy(ps->ps_user, pu->pu_user, sizeof(ps->ps_user));
		strlcpy(ps->ps_method, pu->pu_method, sizeof(ps->ps_method));
		session_audit("session.up", ps, NULL);
		return (client_ppp_up(pa, ps->ps_id, ours,
		    (struct in_addr){ pu->pu_peer }));
	}
	if (pu->pu_local != pp->pp_local.s_addr)
		return (-1);
	ok = a >= ntohl(pp->pp_pool_start.s_addr) &&
	    a <= ntohl(pp->pp_pool_end.s_addr);
	for (i = 0; !ok && i < pp->pp_nstatics; i++)
		ok = pp->pp_statics[i].s_addr == pu->pu_peer;
	if (!ok)
		return (-1);
	if ((ps = psession_find(pa, pu->pu_id)) == NULL || ps->ps_up)
		return (ps == NULL ? 0 : -1);
	/*
	 * Two live sessions can never share an address; one whose PPP has
	 * ended (PPP_DOWN, its SESSION_DOWN still on the way from l2tp) has
	 * given it back already.
	 */
	TAILQ_FOREACH(o, &pa->pa_sessions, ps_entry)
		if (o->ps_up && o->ps_ppp && o->ps_ip.s_addr == pu->pu_peer)
			return (-1);
	ps->ps_up = 1;
	ps->ps_ip.s_addr = pu->pu_peer;
	strlcpy(ps->ps_user, pu->pu_user, sizeof(ps->ps_user));
	strlcpy(ps->ps_method, pu->pu_method, sizeof(ps->ps_method));
	log_notice("session %u up: user %s, address %s", ps->ps_id,
	    ps->ps_user, inet_ntoa(ps->ps_ip));
	if ((ps->ps_kernel ? kernel_session_ifup(ps->ps_id, pp->pp_local,
	    ps->ps_ip) : dataplane_session_up(pa, ps->ps_id, ps->ps_ip)) == -1) {
		(void)session_close(pa, ps->ps_id, "could not route the "
		    "session's address");
		return (0);
	}
	session_audit("session.up", ps, NULL);
	/* duplicate replace: the same user's older sessions go. */
	if (pp->pp_duplicate == CONF_DUP_REPLACE) {
		TAILQ_FOREACH(o, &pa->pa_sessions, ps_entry)
			if (o != ps && o->ps_ppp &&
			    strcmp(o->ps_user, ps->ps_user) == 0)
				(void)session_close(pa, o->ps_id,
				    "replaced by a new login of the same "
				    "user");
	}
	return (0);
}

/* Administrative end: PPP terminates first, then L2TP (CDN). */
int
session_close(struct parent *pa, uint32_t id, const char *why)
{
	struct psession		*ps;
	struct msg_session_ref	 sr;

	if ((ps = psession_find(pa, id)) == NULL)
		return (-1);
	psession_ref(&sr, id, 0, why);
	if (ps->ps_ppp)
		return (proc_compose(&pa->pa_procs[PROC_PPP], MSG_PPP_CLOSE,
		    &sr, sizeof(sr)));
	return (proc_compose(&pa->pa_procs[PROC_L2TP], MSG_L2TP_CLOSE, &sr,
	    sizeof(sr)));
}

/* The datapath's totals: kept for show/audit, and to ppp for `idle`. */
void
session_counters(struct parent *pa, const struct msg_dp_counters *dc)
{
	struct psession	*ps;

	if ((ps = psession_find(pa, dc->dc_id)) == NULL)
		return;
	ps->ps_ctr = *dc;
	if (ps->ps_ppp)
		(void)proc_compose(&pa->pa_procs[PROC_PPP], MSG_PPP_COUNTERS,
		    dc, sizeof(*dc));
}

/* `disconnect user NAME`: every session of that user; how many. */
int
session_close_user(struct parent *pa, const char *user, const char *why)
{
	struct psession	*ps;
	int		 n = 0;

	TAILQ_FOREACH(ps, &pa->pa_sessions, ps_entry)
		if (ps->ps_up && strcmp(ps->ps_user, user) == 0 &&
		    session_close(pa, ps->ps_id, why) == 0)
			n++;
	return (n);
}

/*
 * Kernel data path: l2tp saw the peer's L2TP after the kernel took the
 * ESP off, as address:1701, not the outer address:port the SA has; the
 * kernel cannot carry two clients behind one address anyway.
 */
static int
session_same_host(const struct sockaddr_storage *a,
    const struct sockaddr_storage *b)
{
	struct sockaddr_storage	 x, y;

	addr_noport(a, &x);
	addr_noport(b, &y);
	return (sockaddr_cmp(&x, &y) == 0);
}

/*
 * The last IPsec SA to a peer (address and outer port) is gone: DPD
 * found it dead, it sent a Delete, or `disconnect peer`.  Its L2TP
 * control and data can no longer reach us, so its server sessions end
 * now (PPP Terminate, then CDN) instead of after the LCP echo and
 * HELLO timeouts, and their addresses go back to the pool.  Our own
 * connections are client_sa_down()'s.
 */
int
session_peer_gone(struct parent *pa, const struct sockaddr_storage *peer,
    const char *why)
{
	struct psession	*ps;
	int		 n = 0;

	TAILQ_FOREACH(ps, &pa->pa_sessions, ps_entry)
		if (!ps->ps_client && (ps->ps_kernel ?
		    session_same_host(&ps->ps_l2tp.se_peer, peer) :
		    sockaddr_cmp(&ps->ps_l2tp.se_peer, peer) == 0) &&
		    session_close(pa, ps->ps_id, why) == 0)
			n++;
	return (n);
}

/* `show sessions`, from the parent's own view of each session. */
void
session_show(struct parent *pa, void (*emit)(void *, const void *, size_t),
    void *arg)
{
	struct psession		*ps;
	struct ctl_session	 cn;
	time_t			 now = time(NULL);

	TAILQ_FOREACH(ps, &pa->pa_sessions, ps_entry) {
		memset(&cn, 0, sizeof(cn));
		cn.cn_id = ps->ps_id;
		cn.cn_age_s = (uint32_t)(now - ps->ps_created);
		strlcpy(cn.cn_user, ps->ps_user, sizeof(cn.cn_user));
		sockaddr_str(&ps->ps_l2tp.se_peer, cn.cn_peer,
		    sizeof(cn.cn_peer));
		if (ps->ps_up)
			strlcpy(cn.cn_ip, inet_ntoa(ps->ps_ip),
			    sizeof(cn.cn_ip));
		strlcpy(cn.cn_state, ps->ps_up ? "up" : "establishing",
		    sizeof(cn.cn_state));
		if (ps->ps_kernel)
			strlcpy(cn.cn_ifname, kernel_session_ifname(ps->ps_id),
			    sizeof(cn.cn_ifname));
		else if (ps->ps_up && !ps->ps_client)
			strlcpy(cn.cn_ifname, dataplane_tun_name(),
			    sizeof(cn.cn_ifname));
		cn.cn_rx_bytes = ps->ps_ctr.dc_rx_bytes;
		cn.cn_tx_bytes = ps->ps_ctr.dc_tx_bytes;
		cn.cn_rx_packets = ps->ps_ctr.dc_rx_packets;
		cn.cn_tx_packets = ps->ps_ctr.dc_tx_packets;
		emit(arg, &cn, sizeof(cn));
	}
}

/* SESSION_DOWN: undo exactly what session_up set up. */
void
session_down(struct parent *pa, const struct msg_session *ms)
{
	struct psession		*ps;
	struct msg_session_ref	 sr;

	if ((ps = psession_find(pa, ms->se_id)) == NULL)
		return;
	session_audit("session.down", ps, ms);
	if (ps->ps_up && !ps->ps_client)
		dataplane_session_down(ps->ps_ip);
	if (ps->ps_client)
		client_session_down(pa, ps->ps_id, ms->se_reason[0] != '\0' ?
		    ms->se_reason : "the session ended");
	psession_ref(&sr, ps->ps_id, ms->se_result, ms->se_reason);
	if (ps->ps_ppp)
		(void)proc_compose(&pa->pa_procs[PROC_PPP], MSG_PPP_STOP, &sr,
		    sizeof(sr));
	if (ps->ps_dp)
		(void)proc_compose(&pa->pa_procs[PROC_DATAPATH],
		    MSG_DP_SESSION_DEL, &sr, sizeof(sr));
	/* pppN goes (taking its address and route), then the session. */
	if (ps->ps_kernel)
		kernel_session_destroy(ps->ps_id);
	TAILQ_REMOVE(&pa->pa_sessions, ps, ps_entry);
	free(ps);
}

/* PPP ended (auth failure, terminate, idle): l2tp clears the call. */
int
session_ppp_down(struct parent *pa, const struct msg_session_ref *sr)
{
	struct psession		*ps;
	struct msg_session_ref	 l2;

	if ((ps = psession_find(pa, sr->sr_id)) == NULL)
		return (0);	/* the call is already gone */
	ps->ps_ppp = 0;
	/*
	 * The reason is for our log and audit ("unknown user" or "wrong
	 * password"); the peer learnt what PPP told it (E=691, "Authentication
	 * failed") and the CDN must not tell it more.
	 */
	strlcpy(ps->ps_ppp_reason, sr->sr_reason, sizeof(ps->ps_ppp_reason));
	psession_ref(&l2, sr->sr_id, 0, "PPP session ended");
	return (proc_compose(&pa->pa_procs[PROC_L2TP], MSG_L2TP_CLOSE, &l2,
	    sizeof(l2)));
}

static void
ppp_send_clients(struct parent *pa, struct proc *p)
{
	const struct conf_connection	*cc;
	struct msg_ppp_client		 pl;

	TAILQ_FOREACH(cc, &pa->pa_conf->c_connections, cc_entry) {
		if (cc->cc_password.cs_data == NULL ||
		    cc->cc_password.cs_len > sizeof(pl.pl_password))
			continue;
		memset(&pl, 0, sizeof(pl));
		strlcpy(pl.pl_name, cc->cc_name, sizeof(pl.pl_name));
		strlcpy(pl.pl_user, cc->cc_user, sizeof(pl.pl_user));
		memcpy(pl.pl_password, cc->cc_password.cs_data,
		    cc->cc_password.cs_len);
		pl.pl_password_len = cc->cc_password.cs_len;
		(void)proc_compose(p, MSG_PPP_CREDS, &pl, sizeof(pl));
		explicit_bzero(&pl, sizeof(pl));
	}
}

/* PPP's settings and the users file: to ppp alone (its secrets). */
void
ppp_send_config(struct parent *pa, struct proc *p)
{
	const struct conf_ppp	*pp = &pa->pa_conf->c_ppp;
	struct msg_ppp_config	 pc;
	struct msg_users_chunk	*uc;
	size_t			 i, off;

	memset(&pc, 0, sizeof(pc));
	strlcpy(pc.pc_name, pp->pp_name, sizeof(pc.pc_name));
	for (i = 0; i < pp->pp_nauth && i < 3; i++)
		pc.pc_auth[i] = pp->pp_auth[i];
	pc.pc_nauth = i;
	pc.pc_local = pp->pp_local.s_addr;
	pc.pc_pool_start = pp->pp_pool_start.s_addr;
	pc.pc_pool_end = pp->pp_pool_end.s_addr;
	for (i = 0; i < pp->pp_ndns && i < 2; i++)
		pc.pc_dns[i] = pp->pp_dns[i].s_addr;
	pc.pc_ndns = i;
	for (i = 0; i < pp->pp_nwins && i < 2; i++)
		pc.pc_wins[i] = pp->pp_wins[i].s_addr;
	pc.pc_nwins = i;
	pc.pc_mtu = pp->pp_mtu;
	pc.pc_mru = pp->pp_mru;
	pc.pc_idle = pp->pp_idle;
	pc.pc_duplicate = pp->pp_duplicate;
	pc.pc_max_sessions = pa->pa_conf->c_max_sessions;
	pc.pc_users_len = pp->pp_users_len;
	(void)proc_compose(p, MSG_PPP_CONFIG, &pc, sizeof(pc));
	if ((uc = calloc(1, sizeof(*uc))) == NULL)
		fatal("calloc");
	for (off = 0; off < pp->pp_users_len; off += uc->uc_len) {
		uc->uc_off = off;
		uc->uc_len = pp->pp_users_len - off > MSG_USERS_CHUNK ?
		    MSG_USERS_CHUNK : pp->pp_users_len - off;
		memcpy(uc->uc_data, pp->pp_users_data + off, uc->uc_len);
		(void)proc_compose(p, MSG_PPP_USERS, uc, sizeof(*uc));
	}
	freezero(uc, sizeof(*uc));
	ppp_send_clients(pa, p);
}
