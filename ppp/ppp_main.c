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
#include <sys/queue.h>
#include <sys/types.h>

#include <arpa/inet.h>
#include <errno.h>
#include <event.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/addr.h"
#include "common/child.h"
#include "common/log.h"
#include "common/msg.h"
#include "common/sandbox.h"
#include "imsg/imsg.h"
#include "chap_ms.h"
#include "pool.h"
#include "ppp_session.h"
#include "users.h"

/*
 * The ppp child: one PPP session (ppp_session.c) per L2TP session, each
 * on a SOCK_SEQPACKET socket whose other end the datapath holds (frames
 * are the Protocol field and the Information field).  Only this process
 * holds the users' secrets and the address pool (DESIGN.md).
 */

#define PPP_FRAME_MAX	(2 + 65535)

/*
 * A users database shared by the sessions that started under it: a
 * reload swaps in a new one and the old one lives until its last
 * session is gone, so live sessions are never dropped.
 */
struct users_ref {
	struct users_db	*ur_db;
	unsigned int	 ur_refs;
};

struct ppp_ctx;
struct psess;

/* One of a session's timers, knowing whose and which it is. */
struct ss_timer {
	struct event		 st_ev;
	struct psess		*st_ss;
	enum ppp_timer		 st_which;
};

struct psess {
	TAILQ_ENTRY(psess)	 ss_entry;
	struct ppp_ctx		*ss_ctx;
	uint32_t		 ss_id;
	int			 ss_fd;		/* SEQPACKET, or the channel */
	struct event		 ss_ev;
	/*
	 * Kernel data path: ss_fd is the /dev/ppp channel (LCP and the
	 * authentication protocols), ss_unit_fd the unit, pppN (the NCPs),
	 * as pppd has them; both read and write with read(2)/write(2).
	 */
	int			 ss_kernel;
	int			 ss_unit_fd;
	struct event		 ss_unit_ev;
	struct ss_timer		 ss_timer[PPP_TIMER_COUNT];
	struct ppp_session	*ss_ppp;
	struct users_ref	*ss_users;
	char			 ss_peer[SOCKADDR_STRLEN];
	int			 ss_down;	/* so_down ran */
};

struct ppp_ctx {
	struct child		*px_child;
	struct event_base	*px_base;
	struct msg_ppp_config	 px_conf;
	int			 px_have_conf;
	/* A config push in progress. */
	struct msg_ppp_config	 px_new;
	uint8_t			*px_ubuf;
	size_t			 px_ulen;
	struct users_ref	*px_users;	/* current */
	/* Connections' credentials (client role), replaced per push. */
	struct msg_ppp_client	*px_clients;
	size_t			 px_nclients;
	struct msg_ppp_client	*px_new_clients;
	size_t			 px_new_nclients;
	struct pool		*px_pool;
	TAILQ_HEAD(, psess)	 px_sessions;
	/* Counters: frames from the datapath; dropped by ended sessions. */
	uint64_t		 px_frames_rx;
	uint64_t		 px_dropped_ended;
};

static struct ppp_ctx	 ppp_ctx;

static void
users_unref(struct users_ref *ur)
{
	if (ur == NULL || --ur->ur_refs > 0)
		return;
	users_free(ur->ur_db);
	free(ur);
}

static void
ppp_send_parent(struct ppp_ctx *px, uint32_t type, uint32_t id,
    const char *why)
{
	struct msg_session_ref	 sr;

	memset(&sr, 0, sizeof(sr));
	sr.sr_id = id;
	if (why != NULL)
		strlcpy(sr.sr_reason, why, sizeof(sr.sr_reason));
	(void)child_compose(px->px_child, type, 0, -1, &sr, sizeof(sr));
}

static void
psess_free(struct psess *ss)
{
	int	 i;

	for (i = 0; i < PPP_TIMER_COUNT; i++)
		evtimer_del(&ss->ss_timer[i].st_ev);
	event_del(&ss->ss_ev);
	close(ss->ss_fd);
	if (ss->ss_unit_fd != -1) {
		event_del(&ss->ss_unit_ev);
		close(ss->ss_unit_fd);
	}
	if (ss->ss_ppp != NULL) {
		ss->ss_ctx->px_dropped_ended +=
		    ppp_session_dropped(ss->ss_ppp);
		ppp_session_free(ss->ss_ppp);
	}
	users_unref(ss->ss_users);
	TAILQ_REMOVE(&ss->ss_ctx->px_sessions, ss, ss_entry);
	free(ss);
}

static void
ss_send(void *arg, uint16_t proto, const uint8_t *data, size_t len)
{
	struct psess	*ss = arg;
	uint8_t		 buf[PPP_FRAME_MAX];

	if (ss->ss_down || len > sizeof(buf) - 2)
		return;
	buf[0] = proto >> 8;
	buf[1] = proto & 0xff;
	memcpy(buf + 2, data, len);
	/*
	 * A full queue drops the frame (PPP recovers with its timers, as
	 * on any lossy link).  Kernel: below 0xc000 (the NCPs) goes to the
	 * unit once it is there, the rest to the channel, as pppd does.
	 */
	if (ss->ss_kernel) {
		int fd = proto < 0xc000 && ss->ss_unit_fd != -1 ?
		    ss->ss_unit_fd : ss->ss_fd;

		(void)write(fd, buf, len + 2);
		return;
	}
	/* SEQPACKET keeps the frame whole. */
	(void)send(ss->ss_fd, buf, len + 2, MSG_DONTWAIT);
}

static void
ss_timer_fired(int fd, short ev, void *arg)
{
	struct ss_timer	*st = arg;

	(void)fd;
	(void)ev;
	ppp_session_timeout(st->st_ss->ss_ppp, st->st_which);
}

static void
ss_timer_start(void *arg, enum ppp_timer which, unsigned int ms)
{
	struct psess	*ss = arg;
	struct timeval	 tv = { ms / 1000, (ms % 1000) * 1000 };

	evtimer_del(&ss->ss_timer[which].st_ev);
	evtimer_add(&ss->ss_timer[which].st_ev, &tv);
}

static void
ss_timer_stop(void *arg, enum ppp_timer which)
{
	struct psess	*ss = arg;

	evtimer_del(&ss->ss_timer[which].st_ev);
}

static void
ss_up(void *arg, const struct ppp_up_info *ui)
{
	struct psess		*ss = arg;
	struct msg_ppp_up	 pu;

	memset(&pu, 0, sizeof(pu));
	pu.pu_id = ss->ss_id;
	pu.pu_local = ui->ui_local.s_addr;
	pu.pu_peer = ui->ui_peer.s_addr;
	pu.pu_dns[0] = ui->ui_dns[0].s_addr;
	pu.pu_dns[1] = ui->ui_dns[1].s_addr;
	strlcpy(pu.pu_user, ui->ui_user != NULL ? ui->ui_user : "",
	    sizeof(pu.pu_user));
	strlcpy(pu.pu_method, ppp_auth_name(ui->ui_auth),
	    sizeof(pu.pu_method));
	(void)child_compose(ss->ss_ctx->px_child, MSG_PPP_UP, 0, -1, &pu,
	    sizeof(pu));
}

static void
ss_down(void *arg, const char *reason)
{
	struct psess	*ss = arg;

	ss->ss_down = 1;
	/* The parent clears the L2TP call, then tells us PPP_STOP. */
	ppp_send_parent(ss->ss_ctx, MSG_PPP_DOWN, ss->ss_id, reason);
	psess_free(ss);
}

static void
ss_auth_result(void *arg, const char *user, enum conf_auth method, int ok,
    const char *reason)
{
	struct psess		*ss = arg;
	struct msg_audit	 au;

	memset(&au, 0, sizeof(au));
	strlcpy(au.au_event, ok ? "auth.success" : "auth.failure",
	    sizeof(au.au_event));
	strlcpy(au.au_peer, ss->ss_peer, sizeof(au.au_peer));
	strlcpy(au.au_user, user != NULL ? user : "", sizeof(au.au_user));
	strlcpy(au.au_method, ppp_auth_name(method), sizeof(au.au_method));
	if (reason != NULL)
		strlcpy(au.au_reason, reason, sizeof(au.au_reason));
	au.au_session = ss->ss_id;
	(void)child_compose(ss->ss_ctx->px_child, MSG_AUDIT, 0, -1, &au,
	    sizeof(au));
}

static struct psess *psess_find(struct ppp_ctx *, uint32_t);

/*
 * `duplicate replace` and a user's static address: the older login
 * holds it, and a client that redialled never answers that session's
 * Terminate-Request, so it goes now without one (its client hears the
 * CDN).  PPP_DOWN reaches the parent ahead of this session's PPP_UP.
 */
static int
ss_evict(void *arg, uint32_t holder)
{
	struct psess	*ss = arg, *o;

	if (ss->ss_ctx->px_conf.pc_duplicate != CONF_DUP_REPLACE ||
	    (o = psess_find(ss->ss_ctx, holder)) == NULL || o == ss ||
	    o->ss_down || strcmp(ppp_session_user(o->ss_ppp),
	    ppp_session_user(ss->ss_ppp)) != 0)
		return (-1);
	ppp_session_lower_down(o->ss_ppp, "replaced by a new login of the "
	    "same user");
	return (0);
}

static const struct ppp_session_ops ss_ops = {
	.so_evict = ss_evict,
	.so_send = ss_send,
	.so_timer_start = ss_timer_start,
	.so_timer_stop = ss_timer_stop,
	.so_up = ss_up,
	.so_down = ss_down,
	.so_auth_result = ss_auth_result,
};

static void
ss_read(int fd, short events, void *arg)
{
	struct psess	*ss = arg;
	uint8_t		 buf[PPP_FRAME_MAX];
	ssize_t		 n;
	int		 i;

	(void)events;
	for (i = 0; i < 16; i++) {
		n = ss->ss_kernel ? read(fd, buf, sizeof(buf)) :
		    recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (n == -1 && (errno == EAGAIN || errno == EINTR))
			return;
		if (n <= 0) {
			/* The datapath let go: the lower layer is gone. */
			ppp_session_lower_down(ss->ss_ppp, "data path closed");
			return;
		}
		ss->ss_ctx->px_frames_rx++;
		ppp_session_input(ss->ss_ppp, buf, (size_t)n);
		/* ss may be gone: so_down frees it. */
		return;
	}
}

/* Kernel data path: a frame on the unit (IPCP and other NCPs). */
static void
ss_unit_read(int fd, short events, void *arg)
{
	struct psess	*ss = arg;
	uint8_t		 buf[PPP_FRAME_MAX];
	ssize_t		 n;

	(void)events;
	if ((n = read(fd, buf, sizeof(buf))) <= 0) {
		if (n == -1 && errno != EAGAIN && errno != EINTR)
			log_debug("session %u: unit: %s", ss->ss_id,
			    strerror(errno));
		return;
	}
	ss->ss_ctx->px_frames_rx++;
	ppp_session_input(ss->ss_ppp, buf, (size_t)n);
	/* ss may be gone: so_down frees it. */
}

static struct psess *
psess_find(struct ppp_ctx *px, uint32_t id)
{
	struct psess	*ss;

	TAILQ_FOREACH(ss, &px->px_sessions, ss_entry)
		if (ss->ss_id == id)
			return (ss);
	return (NULL);
}

static void
ppp_clients_free(struct msg_ppp_client *pl, size_t n)
{
	if (pl != NULL)
		freezero(pl, n * sizeof(*pl));
}

static const struct msg_ppp_client *
ppp_client_find(const struct ppp_ctx *px, const char *name)
{
	size_t	 i;

	for (i = 0; i < px->px_nclients; i++)
		if (strcmp(px->px_clients[i].pl_name, name) == 0)
			return (&px->px_clients[i]);
	return (NULL);
}

static int
ppp_start(struct ppp_ctx *px, int fd, struct imsg *im)
{
	const struct msg_ppp_client	*pl = NULL;
	struct msg_ppp_start		 st;
	struct ppp_session_params	 sp;
	struct psess			*ss;
	const struct msg_ppp_config	*pc = &px->px_conf;
	struct timespec			 ts;
	size_t				 i;
	int				 t;

	if (fd == -1 || imsg_get_exact(im, &st, sizeof(st)) == -1 ||
	    !msg_str_ok(st.ps_connection, sizeof(st.ps_connection)) ||
	    st.ps_id == 0 || (st.ps_role != MSG_PPP_SERVER &&
	    st.ps_role != MSG_PPP_CLIENT) ||
	    (st.ps_role == MSG_PPP_CLIENT &&
	    (pl = ppp_client_find(px, st.ps_connection)) == NULL) ||
	    (st.ps_role == MSG_PPP_SERVER && px->px_users == NULL) ||
	    psess_find(px, st.ps_id) != NULL || !px->px_have_conf) {
		if (fd != -1)
			close(fd);
		return (-1);
	}
	if ((ss = calloc(1, sizeof(*ss))) == NULL)
		fatal("calloc");
	ss->ss_ctx = px;
	ss->ss_id = st.ps_id;
	ss->ss_fd = fd;
	ss->ss_kernel = st.ps_kernel != 0;
	ss->ss_unit_fd = -1;
	sockaddr_str(&st.ps_peer, ss->ss_peer, sizeof(ss->ss_peer));
	if ((ss->ss_users = pl == NULL ? px->px_users : NULL) != NULL)
		ss->ss_users->ur_refs++;
	TAILQ_INSERT_TAIL(&px->px_sessions, ss, ss_entry);
	for (t = 0; t < PPP_TIMER_COUNT; t++) {
		ss->ss_timer[t].st_ss = ss;
		ss->ss_timer[t].st_which = t;
		evtimer_assign(&ss->ss_timer[t].st_ev, px->px_base,
		    ss_timer_fired, &ss->ss_timer[t]);
	}
	event_assign(&ss->ss_ev, px->px_base, fd, EV_READ | EV_PERSIST,
	    ss_read, ss);

	ppp_session_params_init(&sp, pl == NULL ? PPP_ROLE_SERVER :
	    PPP_ROLE_CLIENT);
	sp.sp_id = ss->ss_id;
	sp.sp_peer = ss->ss_peer;
	sp.sp_mru = pc->pc_mru;
	sp.sp_mtu = pc->pc_mtu;
	for (i = 0; i < pc->pc_nauth && i < CONF_MAX_AUTH; i++)
		sp.sp_auth[i] = pc->pc_auth[i];
	sp.sp_nauth = i;
	sp.sp_idle = pc->pc_idle;
	sp.sp_name = pc->pc_name;
	sp.sp_local.s_addr = pc->pc_local;
	for (i = 0; i < pc->pc_ndns && i < CONF_MAX_NS; i++)
		sp.sp_dns[i].s_addr = pc->pc_dns[i];
	sp.sp_ndns = i;
	for (i = 0; i < pc->pc_nwins && i < CONF_MAX_NS; i++)
		sp.sp_wins[i].s_addr = pc->pc_wins[i];
	sp.sp_nwins = i;
	if (pl == NULL) {
		sp.sp_users = ss->ss_users->ur_db;
		sp.sp_pool = px->px_pool;
	} else {
		/* Copied by ppp_session_new and wiped with the session. */
		sp.sp_user = pl->pl_user;
		sp.sp_password = pl->pl_password;
		sp.sp_password_len = pl->pl_password_len;
	}
	if ((ss->ss_ppp = ppp_session_new(&sp, &ss_ops, ss)) == NULL) {
		ppp_send_parent(px, MSG_PPP_DOWN, ss->ss_id,
		    "could not start PPP");
		psess_free(ss);
		return (0);
	}
	event_add(&ss->ss_ev, NULL);
	clock_gettime(CLOCK_MONOTONIC, &ts);
	ppp_session_start(ss->ss_ppp, ts.tv_sec);
	return (0);
}

/* Kernel data path: the session's unit, right after its PPP_START. */
static int
ppp_unit(struct ppp_ctx *px, int fd, struct imsg *im)
{
	struct msg_ppp_unit	 pu;
	struct psess		*ss;

	if (fd == -1 || imsg_get_exact(im, &pu, sizeof(pu)) == -1) {
		if (fd != -1)
			close(fd);
		return (-1);
	}
	if ((ss = psess_find(px, pu.pu_id)) == NULL || ss->ss_down) {
		/* Ended meanwhile. */
		close(fd);
		return (0);
	}
	if (!ss->ss_kernel || ss->ss_unit_fd != -1) {
		close(fd);
		return (-1);
	}
	ss->ss_unit_fd = fd;
	event_assign(&ss->ss_unit_ev, px->px_base, fd, EV_READ | EV_PERSIST,
	    ss_unit_read, ss);
	event_add(&ss->ss_unit_ev, NULL);
	log_debug("session %u: unit ppp%u", ss->ss_id, pu.pu_unit);
	return (0);
}

/* PPP_STOP: the L2TP session is gone; PPP_CLOSE: an administrator. */
static int
ppp_stop(struct ppp_ctx *px, struct imsg *im)
{
	struct msg_session_ref	 sr;
	struct psess		*ss;

	if (imsg_get_exact(im, &sr, sizeof(sr)) == -1 ||
	    !msg_str_ok(sr.sr_reason, sizeof(sr.sr_reason)))
		return (-1);
	if ((ss = psess_find(px, sr.sr_id)) == NULL)
		return (0);	/* already down */
	if (im->hdr.type == MSG_PPP_CLOSE)
		ppp_session_close(ss->ss_ppp, sr.sr_reason[0] != '\0' ?
		    sr.sr_reason : "disconnected by the administrator");
	else
		ppp_session_lower_down(ss->ss_ppp, sr.sr_reason[0] != '\0' ?
		    sr.sr_reason : "L2TP session closed");
	return (0);
}

/* CONFIG_END: the new users database and pool take over. */
static int
ppp_config_end(struct ppp_ctx *px)
{
	struct users_ref	*ur;
	struct users_db		*db;
	struct in_addr		*statics = NULL, start, end, local;
	size_t			 n;

	if (px->px_ulen != px->px_new.pc_users_len)
		return (-1);
	if (px->px_new.pc_users_len == 0) {
		/* Client-only daemon: no users, no pool. */
		px->px_conf = px->px_new;
		px->px_have_conf = 1;
		return (0);
	}
	/* The parent parsed the same bytes already; failure is a bug. */
	if ((db = users_parse_buf("users", px->px_ubuf, px->px_ulen)) == NULL)
		return (-1);
	freezero(px->px_ubuf, px->px_ulen);
	px->px_ubuf = NULL;
	px->px_ulen = 0;
	if ((ur = calloc(1, sizeof(*ur))) == NULL)
		fatal("calloc");
	ur->ur_db = db;
	ur->ur_refs = 1;
	n = users_static_addrs(db, NULL, 0);
	if (n > 0 && (statics = calloc(n, sizeof(*statics))) == NULL)
		fatal("calloc");
	n = users_static_addrs(db, statics, n);
	start.s_addr = px->px_new.pc_pool_start;
	end.s_addr = px->px_new.pc_pool_end;
	local.s_addr = px->px_new.pc_local;
	if (px->px_pool == NULL)
		px->px_pool = pool_init(start, end, local, statics, n);
	else if (pool_resize(px->px_pool, start, end, local, statics, n,
	    NULL, NULL) == -1)
		log_warnx("reload: the new pool cannot take over; keeping "
		    "the old one");
	free(statics);
	if (px->px_pool == NULL)
		return (-1);
	users_unref(px->px_users);
	px->px_users = ur;
	px->px_conf = px->px_new;
	px->px_have_conf = 1;
	{
		char a[INET_ADDRSTRLEN], b[INET_ADDRSTRLEN];

		inet_ntop(AF_INET, &start, a, sizeof(a));
		inet_ntop(AF_INET, &end, b, sizeof(b));
		log_info("%zu users, pool %s - %s", users_count(db), a, b);
	}
	return (0);
}

static int
ppp_users_chunk(struct ppp_ctx *px, struct imsg *im)
{
	struct msg_users_chunk	*uc;
	int			 rv = -1;

	if (im->datalen != sizeof(*uc))
		return (-1);
	uc = im->data;
	if (uc->uc_len <= MSG_USERS_CHUNK && uc->uc_off == px->px_ulen &&
	    px->px_ubuf != NULL &&
	    uc->uc_len <= px->px_new.pc_users_len - px->px_ulen) {
		memcpy(px->px_ubuf + px->px_ulen, uc->uc_data, uc->uc_len);
		px->px_ulen += uc->uc_len;
		rv = 0;
	}
	return (rv);
}

static int
ppp_dispatch_parent(struct child *ch, struct imsg *im)
{
	struct ppp_ctx	*px = &ppp_ctx;

	(void)ch;
	switch (im->hdr.type) {
	case MSG_CONFIG_RESET:
		if (px->px_ubuf != NULL)
			freezero(px->px_ubuf, px->px_new.pc_users_len);
		px->px_ubuf = NULL;
		px->px_ulen = 0;
		memset(&px->px_new, 0, sizeof(px->px_new));
		ppp_clients_free(px->px_new_clients, px->px_new_nclients);
		px->px_new_clients = NULL;
		px->px_new_nclients = 0;
		return (im->datalen == 0 ? 0 : -1);
	case MSG_PPP_CONFIG:
		if (imsg_get_exact(im, &px->px_new, sizeof(px->px_new)) == -1 ||
		    !msg_str_ok(px->px_new.pc_name,
		    sizeof(px->px_new.pc_name)) ||
		    px->px_new.pc_users_len > USERS_FILE_MAX ||
		    px->px_new.pc_nauth > 3)
			return (-1);
		if (px->px_new.pc_users_len > 0 && (px->px_ubuf =
		    calloc(1, px->px_new.pc_users_len)) == NULL)
			fatal("calloc");
		return (0);
	case MSG_PPP_USERS:
		return (ppp_users_chunk(px, im));
	case MSG_PPP_CREDS: {
		struct msg_ppp_client *pl, *n;

		if (im->datalen != sizeof(*pl) || px->px_new_nclients >= 256)
			return (-1);
		pl = im->data;
		if (!msg_str_ok(pl->pl_name, sizeof(pl->pl_name)) ||
		    !msg_str_ok(pl->pl_user, sizeof(pl->pl_user)) ||
		    pl->pl_password_len > sizeof(pl->pl_password))
			return (-1);
		if ((n = calloc(px->px_new_nclients + 1, sizeof(*n))) == NULL)
			fatal("calloc");
		if (px->px_new_nclients > 0)
			memcpy(n, px->px_new_clients,
			    px->px_new_nclients * sizeof(*n));
		memcpy(&n[px->px_new_nclients], pl, sizeof(*pl));
		ppp_clients_free(px->px_new_clients, px->px_new_nclients);
		px->px_new_clients = n;
		px->px_new_nclients++;
		return (0);
	}
	case MSG_CONFIG_END:
		if (im->datalen != 0 || ppp_config_end(px) == -1)
			return (-1);
		/* New credentials take over; live sessions hold copies. */
		ppp_clients_free(px->px_clients, px->px_nclients);
		px->px_clients = px->px_new_clients;
		px->px_nclients = px->px_new_nclients;
		px->px_new_clients = NULL;
		px->px_new_nclients = 0;
		return (0);
	case MSG_PPP_START:
		return (ppp_start(px, imsg_take_fd(im), im));
	case MSG_PPP_UNIT:
		return (ppp_unit(px, imsg_take_fd(im), im));
	case MSG_PPP_STOP:
	case MSG_PPP_CLOSE:
		return (ppp_stop(px, im));
	case MSG_PPP_COUNTERS: {
		struct msg_dp_counters	 dc;
		struct psess		*ss;
		struct timespec		 ts;

		if (imsg_get_exact(im, &dc, sizeof(dc)) == -1 ||
		    dc.dc_kind != 1)
			return (-1);
		if ((ss = psess_find(px, dc.dc_id)) != NULL) {
			clock_gettime(CLOCK_MONOTONIC, &ts);
			ppp_session_counters(ss->ss_ppp, dc.dc_rx_bytes,
			    dc.dc_tx_bytes, ts.tv_sec);
		}
		return (0);
	}
	default:
		return (-1);
	}
}

static int
ppp_child_start(struct child *ch)
{
	memset(&ppp_ctx, 0, sizeof(ppp_ctx));
	ppp_ctx.px_child = ch;
	ppp_ctx.px_base = ch->ch_base;
	TAILQ_INIT(&ppp_ctx.px_sessions);
	return (0);
}

/* RFC 1661 5.5: every peer hears an LCP Terminate-Request. */
static void
ppp_shutdown(struct child *ch)
{
	struct psess	*ss, *next;

	(void)ch;
	TAILQ_FOREACH_SAFE(ss, &ppp_ctx.px_sessions, ss_entry, next)
		ppp_session_close(ss->ss_ppp, "l2tpsecd is shutting down");
}

/* Frames from the data path, and the malformed or unwanted ones. */
static void
ppp_stats(struct child *ch, struct msg_stats *ss)
{
	struct psess	*ps;
	uint64_t	 dropped = ppp_ctx.px_dropped_ended;

	(void)ch;
	TAILQ_FOREACH(ps, &ppp_ctx.px_sessions, ss_entry)
		if (ps->ss_ppp != NULL)
			dropped += ppp_session_dropped(ps->ss_ppp);
	child_stat(ss, "ppp-frames-rx", ppp_ctx.px_frames_rx);
	child_stat(ss, "ppp-frames-dropped", dropped);
}

static const struct child_role ppp_role = {
	.cr_role = PROC_PPP,
	.cr_policy = &ppp_sandbox_policy,
	/* MD4 is in OpenSSL's legacy provider: loaded before the chroot. */
	.cr_preload = chap_ms_preload,
	.cr_dispatch = ppp_dispatch_parent,
	.cr_start = ppp_child_start,
	.cr_shutdown = ppp_shutdown,
	.cr_stats = ppp_stats,
};

int
ppp_main(void)
{
	child_main(&ppp_role);
}
