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
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/un.h>

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/json.h"
#include "common/log.h"
#include "common/msg.h"
#include "config.h"
#include "parent.h"

/*
 * The control socket: mode 0600 root, one imsg channel per l2tpsecctl
 * connection, no descriptors.  Every request is audited with the caller's
 * uid (SO_PEERCRED) before it is carried out.
 */

#define CTL_MAX_CONNS	16

struct ctl_conn {
	TAILQ_ENTRY(ctl_conn)	 cc_entry;
	struct parent		*cc_parent;
	struct chan		 cc_chan;
	uint32_t		 cc_id;		/* peerid of relayed answers */
	uid_t			 cc_uid;
	pid_t			 cc_pid;
};

static int	control_dispatch(struct chan *, struct imsg *, void *);
static void	control_conn_closed(struct chan *, int, void *);

static void
control_conn_close(struct ctl_conn *cc)
{
	struct parent	*pa = cc->cc_parent;

	chan_close(&cc->cc_chan);
	TAILQ_REMOVE(&pa->pa_ctl_conns, cc, cc_entry);
	pa->pa_nctl_conns--;
	free(cc);
}

static void
control_reply(struct ctl_conn *cc, uint32_t type, const void *data,
    size_t len)
{
	if (chan_compose(&cc->cc_chan, type, 0, -1, data, len) == -1)
		log_warn("control reply");
}

static void
control_emit_session(void *arg, const void *data, size_t len)
{
	control_reply(arg, CTL_SESSION, data, len);
}

/* A child's answer for connection id; dropped if the caller left. */
void
control_relay(struct parent *pa, uint32_t id, uint32_t type, const void *data,
    size_t len)
{
	struct ctl_conn	*cc;

	TAILQ_FOREACH(cc, &pa->pa_ctl_conns, cc_entry) {
		if (cc->cc_id == id) {
			control_reply(cc, type, data, len);
			return;
		}
	}
}

static void
control_result(struct ctl_conn *cc, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
control_result(struct ctl_conn *cc, int code, const char *fmt, ...)
{
	struct ctl_result	 res;
	va_list			 ap;

	memset(&res, 0, sizeof(res));
	res.cr_code = code;
	va_start(ap, fmt);
	vsnprintf(res.cr_msg, sizeof(res.cr_msg), fmt, ap);
	va_end(ap);
	control_reply(cc, CTL_RESULT, &res, sizeof(res));
}

/* A child's counters, each after its CTL_PROC. */
static void
control_show_counters(struct ctl_conn *cc, const struct msg_stats *ss)
{
	struct ctl_counter	 cn;
	uint32_t		 i;

	for (i = 0; i < ss->ss_count && i < MSG_STATS_MAX; i++) {
		memset(&cn, 0, sizeof(cn));
		strlcpy(cn.cc_name, ss->ss_stat[i].st_name,
		    sizeof(cn.cc_name));
		cn.cc_value = ss->ss_stat[i].st_value;
		control_reply(cc, CTL_COUNTER, &cn, sizeof(cn));
	}
}

static void
control_show_status(struct ctl_conn *cc)
{
	struct parent		*pa = cc->cc_parent;
	struct ctl_status	 st;
	struct ctl_proc		 cp;
	int			 i;

	memset(&st, 0, sizeof(st));
	strlcpy(st.cs_version, L2TPSECD_VERSION, sizeof(st.cs_version));
	st.cs_uptime_s = (uint64_t)(time(NULL) - pa->pa_started);
	strlcpy(st.cs_dataplane, config_dataplane_name(pa->pa_dataplane),
	    sizeof(st.cs_dataplane));
	control_reply(cc, CTL_STATUS, &st, sizeof(st));

	memset(&cp, 0, sizeof(cp));
	strlcpy(cp.cp_role, proc_role_name(PROC_PARENT), sizeof(cp.cp_role));
	cp.cp_pid = getpid();
	cp.cp_uid = geteuid();
	strlcpy(cp.cp_sandbox, sandbox_state_name(SANDBOX_NONE),
	    sizeof(cp.cp_sandbox));
	control_reply(cc, CTL_PROC, &cp, sizeof(cp));
	for (i = PROC_PARENT + 1; i < PROC_MAX; i++) {
		struct proc *p = &pa->pa_procs[i];

		if (p->p_pid == 0)
			continue;
		memset(&cp, 0, sizeof(cp));
		strlcpy(cp.cp_role, proc_role_name(i), sizeof(cp.cp_role));
		cp.cp_pid = p->p_pid;
		cp.cp_uid = p->p_ready ? p->p_uid : 0;
		strlcpy(cp.cp_sandbox, sandbox_state_name(p->p_ready ?
		    p->p_sandbox : SANDBOX_NONE), sizeof(cp.cp_sandbox));
		control_reply(cc, CTL_PROC, &cp, sizeof(cp));
		control_show_counters(cc, &p->p_stats);
	}
	control_result(cc, 0, "ok");
}

static const char *
control_target_kind(uint32_t kind)
{
	switch (kind) {
	case CTL_TGT_SESSION:
		return ("session");
	case CTL_TGT_USER:
		return ("user");
	case CTL_TGT_PEER:
		return ("peer");
	case CTL_TGT_CONNECTION:
		return ("connection");
	default:
		return (NULL);
	}
}

static const struct conf_connection *
control_find_connection(const struct parent *pa, const char *name)
{
	const struct conf_connection	*cc;

	TAILQ_FOREACH(cc, &pa->pa_conf->c_connections, cc_entry)
		if (strcmp(cc->cc_name, name) == 0)
			return (cc);
	return (NULL);
}

static void
control_audit(struct ctl_conn *cc, const char *command, const char *target)
{
	struct json	 j;

	audit_begin(&j, "ctl.command");
	json_uint(&j, "uid", cc->cc_uid);
	json_int(&j, "pid", cc->cc_pid);
	json_str(&j, "command", command);
	if (target != NULL)
		json_str(&j, "target", target);
	audit_commit(&j);
}

static int
control_dispatch(struct chan *cn, struct imsg *im, void *arg)
{
	struct ctl_conn		*cc = arg;
	struct parent		*pa = cc->cc_parent;
	struct msg_verbose	 mv;
	struct ctl_target	 tgt;
	struct msg_ctl_show	 cw;
	char			 msg[CTL_RESULT_MSG], cmd[64];
	const char		*kind = NULL;

	switch (im->hdr.type) {
	case CTL_SHOW_STATUS:
	case CTL_SHOW_SESSIONS:
	case CTL_SHOW_TUNNELS:
	case CTL_SHOW_SA:
	case CTL_RELOAD:
		if (im->datalen != 0)
			return (CHAN_BAD);
		break;
	case CTL_LOG_VERBOSE:
		if (imsg_get_exact(im, &mv, sizeof(mv)) == -1 ||
		    mv.mv_verbose < 0 || mv.mv_verbose > 2)
			return (CHAN_BAD);
		break;
	case CTL_DISCONNECT:
	case CTL_CONNECT:
		if (imsg_get_exact(im, &tgt, sizeof(tgt)) == -1 ||
		    !msg_str_ok(tgt.ct_name, sizeof(tgt.ct_name)) ||
		    (kind = control_target_kind(tgt.ct_kind)) == NULL ||
		    (im->hdr.type == CTL_CONNECT &&
		    tgt.ct_kind != CTL_TGT_CONNECTION))
			return (CHAN_BAD);
		break;
	default:
		return (CHAN_BAD);
	}

	switch (im->hdr.type) {
	case CTL_SHOW_STATUS:
		control_audit(cc, "show status", NULL);
		control_show_status(cc);
		break;
	case CTL_SHOW_TUNNELS:
		control_audit(cc, "show tunnels", NULL);
		/* The l2tp child knows its tunnels; it answers directly. */
		memset(&cw, 0, sizeof(cw));
		cw.cw_what = CTL_SHOW_TUNNELS;
		if (proc_request(&pa->pa_procs[PROC_L2TP], MSG_CTL_SHOW,
		    cc->cc_id, &cw, sizeof(cw)) == -1)
			control_result(cc, 1, "the l2tp child is not ready");
		break;
	case CTL_SHOW_SA:
		control_audit(cc, "show sa", NULL);
		memset(&cw, 0, sizeof(cw));
		cw.cw_what = CTL_SHOW_SA;
		if (proc_request(&pa->pa_procs[PROC_IKE], MSG_CTL_SHOW,
		    cc->cc_id, &cw, sizeof(cw)) == -1)
			control_result(cc, 1, "the ike child is not ready");
		break;
	case CTL_SHOW_SESSIONS:
		control_audit(cc, "show sessions", NULL);
		session_show(pa, control_emit_session, cc);
		control_result(cc, 0, "ok");
		break;
	case CTL_RELOAD:
		control_audit(cc, "reload", NULL);
		if (parent_reload(pa, msg, sizeof(msg)) == -1)
			control_result(cc, 1, "%s", msg);
		else
			control_result(cc, 0, "%s", msg);
		break;
	case CTL_LOG_VERBOSE:
		control_audit(cc, mv.mv_verbose ? "log verbose" :
		    "log brief", NULL);
		parent_set_verbose(pa, mv.mv_verbose);
		log_notice("log level set to %s by uid %u",
		    mv.mv_verbose ? "verbose" : "brief", (unsigned)cc->cc_uid);
		control_result(cc, 0, "log level %s",
		    mv.mv_verbose ? "verbose" : "brief");
		break;
	case CTL_DISCONNECT:
		snprintf(cmd, sizeof(cmd), "disconnect %s", kind);
		control_audit(cc, cmd, tgt.ct_name);
		if (tgt.ct_kind == CTL_TGT_PEER) {
			/* IKE Delete for the peer's SAs; the rest follows. */
			if (proc_request(&pa->pa_procs[PROC_IKE],
			    MSG_CTL_DISCONNECT, cc->cc_id, &tgt,
			    sizeof(tgt)) == -1)
				control_result(cc, 1, "the ike child is not "
				    "ready");
		} else if (tgt.ct_kind == CTL_TGT_SESSION) {
			/* From the top: LCP Terminate, then the CDN. */
			char *end;
			unsigned long id = strtoul(tgt.ct_name, &end, 10);

			if (tgt.ct_name[0] == '\0' || *end != '\0' ||
			    id == 0 || id > UINT32_MAX ||
			    session_close(pa, (uint32_t)id,
			    "disconnected by the administrator") == -1)
				control_result(cc, 1, "no session %s",
				    tgt.ct_name);
			else
				control_result(cc, 0, "session %lu "
				    "disconnected", id);
		} else if (tgt.ct_kind == CTL_TGT_USER) {
			int n = session_close_user(pa, tgt.ct_name,
			    "disconnected by the administrator");

			if (n == 0)
				control_result(cc, 1, "no session of user %s",
				    tgt.ct_name);
			else
				control_result(cc, 0, "%d session(s) of user "
				    "%s disconnected", n, tgt.ct_name);
		} else if (tgt.ct_kind == CTL_TGT_CONNECTION &&
		    control_find_connection(pa, tgt.ct_name) == NULL)
			control_result(cc, 1, "no connection named \"%s\" in "
			    "%s", tgt.ct_name, pa->pa_conffile);
		else if (tgt.ct_kind == CTL_TGT_CONNECTION) {
			if (client_disconnect(pa, tgt.ct_name, msg,
			    sizeof(msg)) == -1)
				control_result(cc, 1, "%s", msg);
			else
				control_result(cc, 0, "%s", msg);
		} else
			control_result(cc, 1, "no %s %s", kind, tgt.ct_name);
		break;
	case CTL_CONNECT:
		control_audit(cc, "connect", tgt.ct_name);
		if (client_connect(pa, tgt.ct_name, msg, sizeof(msg)) == -1)
			control_result(cc, 1, "%s", msg);
		else
			control_result(cc, 0, "%s", msg);
		break;
	}
	(void)cn;
	return (CHAN_OK);
}

static void
control_conn_closed(struct chan *cn, int error, void *arg)
{
	struct ctl_conn	*cc = arg;

	(void)cn;
	if (error == EBADMSG)
		log_warnx("control: malformed request from uid %u; closing",
		    (unsigned)cc->cc_uid);
	control_conn_close(cc);
}

static void
control_accept(int lfd, short events, void *arg)
{
	struct parent	*pa = arg;
	struct ctl_conn	*cc;
	struct ucred	 cred;
	socklen_t	 len = sizeof(cred);
	int		 fd;

	(void)events;
	if ((fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)) ==
	    -1) {
		if (errno != EAGAIN && errno != EINTR)
			log_warn("control: accept");
		return;
	}
	if (pa->pa_nctl_conns >= CTL_MAX_CONNS || pa->pa_stopping) {
		close(fd);
		return;
	}
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) == -1) {
		log_warn("control: SO_PEERCRED");
		close(fd);
		return;
	}
	if ((cc = calloc(1, sizeof(*cc))) == NULL ||
	    chan_init(&cc->cc_chan, pa->pa_base, fd, CTL_MAXMSG, 0,
	    control_dispatch, control_conn_closed, cc) == -1) {
		log_warn("control: out of memory");
		free(cc);
		close(fd);
		return;
	}
	cc->cc_parent = pa;
	if (++pa->pa_ctl_next_id == 0)
		pa->pa_ctl_next_id = 1;
	cc->cc_id = pa->pa_ctl_next_id;
	cc->cc_uid = cred.uid;
	cc->cc_pid = cred.pid;
	TAILQ_INSERT_TAIL(&pa->pa_ctl_conns, cc, cc_entry);
	pa->pa_nctl_conns++;
}

int
control_open(struct parent *pa, const char *path)
{
	struct sockaddr_un	 sun;
	int			 fd;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlcpy(sun.sun_path, path, sizeof(sun.sun_path)) >=
	    sizeof(sun.sun_path)) {
		log_warnx("control socket path too long: %s", path);
		return (-1);
	}
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0)) == -1) {
		log_warn("control socket");
		return (-1);
	}
	/* A live daemon answers on it: do not steal its socket. */
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == 0) {
		log_warnx("%s: another l2tpsecd is running", path);
		close(fd);
		return (-1);
	}
	close(fd);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0)) == -1) {
		log_warn("control socket");
		return (-1);
	}
	if (unlink(path) == -1 && errno != ENOENT) {
		log_warn("unlink %s", path);
		close(fd);
		return (-1);
	}
	/* umask 077 is in force: the socket is born 0600, then made sure. */
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1) {
		log_warn("bind %s", path);
		close(fd);
		return (-1);
	}
	if (chmod(path, 0600) == -1 || chown(path, 0, 0) == -1 ||
	    listen(fd, 16) == -1) {
		log_warn("control socket %s", path);
		close(fd);
		unlink(path);
		return (-1);
	}
	pa->pa_ctl_fd = fd;
	event_assign(&pa->pa_ctl_ev, pa->pa_base, fd, EV_READ | EV_PERSIST,
	    control_accept, pa);
	event_add(&pa->pa_ctl_ev, NULL);
	return (0);
}

void
control_close(struct parent *pa)
{
	struct ctl_conn	*cc;

	if (pa->pa_ctl_fd == -1)
		return;
	/* Let pending replies (a stop's own "ok") reach their callers. */
	while ((cc = TAILQ_FIRST(&pa->pa_ctl_conns)) != NULL) {
		chan_flush_nowait(&cc->cc_chan);
		control_conn_close(cc);
	}
	event_del(&pa->pa_ctl_ev);
	close(pa->pa_ctl_fd);
	pa->pa_ctl_fd = -1;
	unlink(pa->pa_control);
}
