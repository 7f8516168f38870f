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
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/addr.h"
#include "common/json.h"
#include "common/log.h"
#include "common/msg.h"
#include "config.h"
#include "parent.h"

/*
 * The process table: start each child by fork + exec of our own binary
 * with a role flag, hand it only its channel, read what it sends and kill
 * it for anything malformed or unexpected.
 */

static int	proc_dispatch(struct chan *, struct imsg *, void *);
static void	proc_chan_closed(struct chan *, int, void *);
static void	proc_stderr(int, short, void *);
static void	proc_died(struct parent *, struct proc *, int, const char *);

int
proc_compose(struct proc *p, uint32_t type, const void *data, size_t len)
{
	if (p->p_pid == 0)
		return (-1);
	if (chan_compose(&p->p_chan, type, 0, -1, data, len) == -1) {
		log_warn("message %s to %s", msg_type_name(type),
		    proc_role_name(p->p_role));
		return (-1);
	}
	return (0);
}

/* The same with a descriptor, which the channel owns from here on. */
int
proc_compose_fd(struct proc *p, uint32_t type, int fd, const void *data,
    size_t len)
{
	if (p->p_pid == 0) {
		close(fd);
		return (-1);
	}
	if (chan_compose(&p->p_chan, type, 0, fd, data, len) == -1) {
		log_warn("message %s to %s", msg_type_name(type),
		    proc_role_name(p->p_role));
		return (-1);
	}
	return (0);
}

/* A control request for a child; peerid names the control connection. */
int
proc_request(struct proc *p, uint32_t type, uint32_t peerid, const void *data,
    size_t len)
{
	if (p->p_pid == 0 || !p->p_ready)
		return (-1);
	return (chan_compose(&p->p_chan, type, peerid, -1, data, len));
}

void
proc_broadcast(struct parent *pa, uint32_t type, const void *data, size_t len)
{
	int	 i;

	for (i = PROC_PARENT + 1; i < PROC_MAX; i++)
		if (pa->pa_procs[i].p_pid != 0)
			(void)proc_compose(&pa->pa_procs[i], type, data, len);
}

static void
proc_send_l2tp_config(struct parent *pa, struct proc *p)
{
	const struct conf_l2tp	*l2 = &pa->pa_conf->c_l2tp;
	struct msg_l2tp_config	 lc;

	memset(&lc, 0, sizeof(lc));
	strlcpy(lc.lc_hostname, l2->l2_hostname, sizeof(lc.lc_hostname));
	lc.lc_hello = l2->l2_hello;
	lc.lc_require_ipsec = l2->l2_require_ipsec;
	lc.lc_max_tunnels_per_peer = l2->l2_max_tunnels_per_peer;
	lc.lc_max_sessions_per_tunnel = l2->l2_max_sessions_per_tunnel;
	lc.lc_max_sessions = pa->pa_conf->c_max_sessions;
	lc.lc_retries = l2->l2_retries;
	if (l2->l2_secret.cs_data != NULL) {
		/* The parser caps secrets far below this; be sure anyway. */
		if (l2->l2_secret.cs_len > sizeof(lc.lc_secret))
			fatalx("l2tp secret longer than %zu bytes",
			    sizeof(lc.lc_secret));
		memcpy(lc.lc_secret, l2->l2_secret.cs_data,
		    l2->l2_secret.cs_len);
		lc.lc_secret_len = l2->l2_secret.cs_len;
	}
	(void)proc_compose(p, MSG_L2TP_CONFIG, &lc, sizeof(lc));
	explicit_bzero(&lc, sizeof(lc));
}

/*
 * A config push: reset, then the pieces this child needs (its secrets
 * only to it), then end.
 */
void
proc_send_config(struct parent *pa, struct proc *p)
{
	if (!p->p_ready)
		return;
	(void)proc_compose(p, MSG_CONFIG_RESET, NULL, 0);
	if (p->p_role == PROC_L2TP)
		proc_send_l2tp_config(pa, p);
	else if (p->p_role == PROC_IKE)
		ike_send_config(pa, p);
	else if (p->p_role == PROC_PPP)
		ppp_send_config(pa, p);
	(void)proc_compose(p, MSG_CONFIG_END, NULL, 0);
}

int
proc_start(struct parent *pa, int role)
{
	struct proc		*p = &pa->pa_procs[role];
	struct msg_child_init	 init;
	const char		*asan;
	char			 asanbuf[512];
	char			*argv[4];
	int			 sp[2], ep[2], devnull;
	pid_t			 pid;

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sp) == -1) {
		log_warn("socketpair for the %s child", proc_role_name(role));
		return (-1);
	}
	if (pipe2(ep, O_CLOEXEC) == -1) {
		log_warn("pipe for the %s child", proc_role_name(role));
		close(sp[0]);
		close(sp[1]);
		return (-1);
	}
	switch ((pid = fork())) {
	case -1:
		log_warn("fork for the %s child", proc_role_name(role));
		close(sp[0]);
		close(sp[1]);
		close(ep[0]);
		close(ep[1]);
		return (-1);
	case 0:
		/*
		 * Only the channel survives the exec (as fd 3), plus stdio:
		 * stdin and stdout /dev/null, stderr a pipe to us.  A child
		 * may not write files (RLIMIT_FSIZE 0), so a sanitizer report
		 * or a sandbox trap line reaches the log only this way.
		 */
		if (dup2(sp[1], PROC_PARENT_FD) == -1 ||
		    dup2(ep[1], STDERR_FILENO) == -1)
			_exit(127);
		if ((devnull = open("/dev/null", O_RDWR)) != -1) {
			dup2(devnull, STDIN_FILENO);
			dup2(devnull, STDOUT_FILENO);
		}
		closefrom(PROC_PARENT_FD + 1);
		/*
		 * Under AddressSanitizer the leak checker needs calls the
		 * sandbox forbids; children are checked elsewhere.
		 */
		asan = getenv("ASAN_OPTIONS");
		snprintf(asanbuf, sizeof(asanbuf), "%s%sdetect_leaks=0",
		    asan != NULL ? asan : "", asan != NULL ? ":" : "");
		setenv("ASAN_OPTIONS", asanbuf, 1);
		argv[0] = "l2tpsecd";
		argv[1] = "-R";
		argv[2] = (char *)proc_role_name(role);
		argv[3] = NULL;
		execv("/proc/self/exe", argv);
		_exit(127);
	default:
		break;
	}
	close(sp[1]);
	close(ep[1]);
	memset(p, 0, sizeof(*p));
	p->p_role = role;
	p->p_pid = pid;
	p->p_parent = pa;
	p->p_errfd = ep[0];
	if (chan_init(&p->p_chan, pa->pa_base, sp[0], MSG_CHILD_MAXMSG, 1,
	    proc_dispatch, proc_chan_closed, p) == -1)
		fatal("channel to the %s child", proc_role_name(role));
	if (fcntl(ep[0], F_SETFL, O_NONBLOCK) == -1)
		fatal("fcntl");
	event_assign(&p->p_errev, pa->pa_base, ep[0], EV_READ | EV_PERSIST,
	    proc_stderr, p);
	event_add(&p->p_errev, NULL);

	memset(&init, 0, sizeof(init));
	init.ci_uid = pa->pa_conf->c_uid;
	init.ci_gid = pa->pa_conf->c_gid;
	init.ci_max_sessions = pa->pa_conf->c_max_sessions;
	init.ci_trap = pa->pa_conf->c_sandbox == CONF_SANDBOX_TRAP;
	init.ci_verbose = pa->pa_verbose;
	strlcpy(init.ci_chroot, pa->pa_conf->c_chroot, sizeof(init.ci_chroot));
	if (proc_compose(p, MSG_CHILD_INIT, &init, sizeof(init)) == -1)
		return (-1);
	log_debug("started the %s child, pid %d", proc_role_name(role),
	    (int)pid);
	return (0);
}

static void
proc_stderr_line(struct proc *p, const char *line)
{
	char	 buf[LOG_LINE_MAX];

	snprintf(buf, sizeof(buf), "%s: stderr: %s", proc_role_name(p->p_role),
	    line);
	log_emit(LOG_ERR, buf);
}

/* Relays a child's stderr; called until EOF, also while it dies. */
static void
proc_stderr(int fd, short events, void *arg)
{
	struct proc	*p = arg;
	char		*nl;
	ssize_t		 n;

	(void)events;
	for (;;) {
		n = read(fd, p->p_errbuf + p->p_errlen,
		    sizeof(p->p_errbuf) - 1 - p->p_errlen);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		p->p_errlen += n;
		p->p_errbuf[p->p_errlen] = '\0';
		while ((nl = strchr(p->p_errbuf, '\n')) != NULL) {
			*nl = '\0';
			proc_stderr_line(p, p->p_errbuf);
			p->p_errlen -= nl + 1 - p->p_errbuf;
			memmove(p->p_errbuf, nl + 1, p->p_errlen + 1);
		}
		if (p->p_errlen == sizeof(p->p_errbuf) - 1) {
			/* An overlong line goes out in pieces. */
			proc_stderr_line(p, p->p_errbuf);
			p->p_errlen = 0;
		}
	}
	if (n == 0 || (n == -1 && errno != EAGAIN)) {
		if (p->p_errlen > 0) {
			p->p_errbuf[p->p_errlen] = '\0';
			proc_stderr_line(p, p->p_errbuf);
			p->p_errlen = 0;
		}
		event_del(&p->p_errev);
		close(fd);
		p->p_errfd = -1;
	}
}

/*
 * l2tp reports tunnels and sessions (RFC 2661 7): audited here; the
 * kernel data path makes its kernel tunnel at TUNNEL_UP.
 */
static int
proc_l2tp_tunnel(struct proc *p, struct imsg *im)
{
	struct msg_tunnel	 mt;
	struct json		 j;
	char			 peer[SOCKADDR_STRLEN];
	int			 up = im->hdr.type == MSG_TUNNEL_UP;

	if (p->p_role != PROC_L2TP ||
	    imsg_get_exact(im, &mt, sizeof(mt)) == -1 ||
	    !msg_str_ok(mt.tu_hostname, sizeof(mt.tu_hostname)) ||
	    !msg_str_ok(mt.tu_vendor, sizeof(mt.tu_vendor)) ||
	    !msg_str_ok(mt.tu_reason, sizeof(mt.tu_reason)) ||
	    mt.tu_tid == 0 || sockaddr_len(&mt.tu_peer) == 0)
		return (-1);
	sockaddr_str(&mt.tu_peer, peer, sizeof(peer));
	audit_begin(&j, up ? "tunnel.up" : "tunnel.down");
	json_str(&j, "peer", peer);
	json_uint(&j, "tunnel", mt.tu_tid);
	json_uint(&j, "peer_tunnel", mt.tu_peer_tid);
	json_str(&j, "host", mt.tu_hostname);
	json_str(&j, "vendor", mt.tu_vendor);
	if (!up) {
		json_uint(&j, "result", mt.tu_result);
		json_uint(&j, "error", mt.tu_error);
		json_str(&j, "reason", mt.tu_reason);
	}
	audit_commit(&j);
	if (p->p_parent->pa_dataplane == DATAPLANE_KERNEL) {
		if (up)
			kernel_tunnel_up(p->p_parent, &mt);
		else
			kernel_tunnel_down(mt.tu_tid);
	}
	return (0);
}

static int
proc_l2tp_session(struct proc *p, struct imsg *im)
{
	struct msg_session	 ms;
	int			 up = im->hdr.type == MSG_SESSION_UP;

	if (p->p_role != PROC_L2TP ||
	    imsg_get_exact(im, &ms, sizeof(ms)) == -1 ||
	    !msg_str_ok(ms.se_reason, sizeof(ms.se_reason)) ||
	    ms.se_id == 0 || ms.se_tid == 0 || ms.se_sid == 0 ||
	    sockaddr_len(&ms.se_peer) == 0)
		return (-1);
	/* session.c audits: session.up once PPP is up, session.down. */
	if (up)
		session_up(p->p_parent, &ms);
	else
		session_down(p->p_parent, &ms);
	return (0);
}

/* An answer to a control request: checked, then passed to its caller. */
static int
proc_ctl_answer(struct parent *pa, struct proc *p, struct imsg *im)
{
	struct ctl_tunnel		 ct;
	struct ctl_tunnel_session	 cs;
	struct ctl_result		 res;

	switch (im->hdr.type) {
	case MSG_CTL_IKE_SA: {
		struct ctl_ike_sa ci;

		if (p->p_role != PROC_IKE ||
		    imsg_get_exact(im, &ci, sizeof(ci)) == -1 ||
		    !msg_str_ok(ci.ci_peer, sizeof(ci.ci_peer)) ||
		    !msg_str_ok(ci.ci_role, sizeof(ci.ci_role)) ||
		    !msg_str_ok(ci.ci_state, sizeof(ci.ci_state)) ||
		    !msg_str_ok(ci.ci_alg, sizeof(ci.ci_alg)) ||
		    !msg_str_ok(ci.ci_id_peer, sizeof(ci.ci_id_peer)))
			return (-1);
		control_relay(pa, im->hdr.peerid, CTL_IKE_SA, &ci, sizeof(ci));
		return (0);
	}
	case MSG_CTL_IPSEC_SA: {
		struct ctl_ipsec_sa cp;

		if (p->p_role != PROC_IKE ||
		    imsg_get_exact(im, &cp, sizeof(cp)) == -1 ||
		    !msg_str_ok(cp.cp_alg, sizeof(cp.cp_alg)))
			return (-1);
		ike_fill_counters(pa, &cp);
		control_relay(pa, im->hdr.peerid, CTL_IPSEC_SA, &cp,
		    sizeof(cp));
		return (0);
	}
	}
	if (p->p_role != PROC_L2TP && im->hdr.type != MSG_CTL_END)
		return (-1);
	switch (im->hdr.type) {
	case MSG_CTL_TUNNEL:
		if (imsg_get_exact(im, &ct, sizeof(ct)) == -1 ||
		    !msg_str_ok(ct.ct_peer, sizeof(ct.ct_peer)) ||
		    !msg_str_ok(ct.ct_host, sizeof(ct.ct_host)) ||
		    !msg_str_ok(ct.ct_vendor, sizeof(ct.ct_vendor)) ||
		    !msg_str_ok(ct.ct_state, sizeof(ct.ct_state)))
			return (-1);
		control_relay(pa, im->hdr.peerid, CTL_TUNNEL, &ct, sizeof(ct));
		return (0);
	case MSG_CTL_TUNNEL_SESSION:
		if (imsg_get_exact(im, &cs, sizeof(cs)) == -1 ||
		    !msg_str_ok(cs.cs_state, sizeof(cs.cs_state)))
			return (-1);
		control_relay(pa, im->hdr.peerid, CTL_TUNNEL_SESSION, &cs,
		    sizeof(cs));
		return (0);
	case MSG_CTL_END:
		if (imsg_get_exact(im, &res, sizeof(res)) == -1 ||
		    !msg_str_ok(res.cr_msg, sizeof(res.cr_msg)))
			return (-1);
		control_relay(pa, im->hdr.peerid, CTL_RESULT, &res,
		    sizeof(res));
		return (0);
	}
	return (-1);
}

/* The audit events each child may report; anything else is refused. */
static int
proc_audit_allowed(int role, const char *event)
{
	static const char *const ike[] = { "ike.established", "ike.failed",
	    "ike.deleted", NULL };
	static const char *const ppp[] = { "auth.success", "auth.failure",
	    "session.up", "session.down", NULL };
	const char *const *ev = role == PROC_IKE ? ike : role == PROC_PPP ?
	    ppp : NULL;

	for (; ev != NULL && *ev != NULL; ev++)
		if (strcmp(*ev, event) == 0)
			return (1);
	return (0);
}

static int
proc_audit(struct proc *p, struct imsg *im)
{
	struct msg_audit	 au;
	struct json		 j;

	if (imsg_get_exact(im, &au, sizeof(au)) == -1 ||
	    !msg_str_ok(au.au_event, sizeof(au.au_event)) ||
	    !msg_str_ok(au.au_peer, sizeof(au.au_peer)) ||
	    !msg_str_ok(au.au_user, sizeof(au.au_user)) ||
	    !msg_str_ok(au.au_method, sizeof(au.au_method)) ||
	    !msg_str_ok(au.au_reason, sizeof(au.au_reason)) ||
	    !proc_audit_allowed(p->p_role, au.au_event))
		return (-1);
	audit_begin(&j, au.au_event);
	if (au.au_peer[0] != '\0')
		json_str(&j, "peer", au.au_peer);
	if (au.au_user[0] != '\0')
		json_str(&j, "user", au.au_user);
	if (au.au_method[0] != '\0')
		json_str(&j, "method", au.au_method);
	if (au.au_session != 0)
		json_uint(&j, "session", au.au_session);
	if (au.au_reason[0] != '\0')
		json_str(&j, "reason", au.au_reason);
	audit_commit(&j);
	if (p->p_role == PROC_PPP && strcmp(au.au_event, "auth.failure") == 0)
		session_auth_failed(p->p_parent, au.au_session);
	return (0);
}

/* A child's counters: kept as they are for `show status`. */
static int
proc_stats(struct proc *p, struct imsg *im)
{
	struct msg_stats	*ss;
	uint32_t		 i;

	if ((ss = malloc(sizeof(*ss))) == NULL) {
		log_warn("%s counters", proc_role_name(p->p_role));
		return (0);
	}
	if (imsg_get_exact(im, ss, sizeof(*ss)) == -1 ||
	    ss->ss_count > MSG_STATS_MAX)
		goto bad;
	for (i = 0; i < ss->ss_count; i++)
		if (!msg_stat_name_ok(ss->ss_stat[i].st_name,
		    sizeof(ss->ss_stat[i].st_name)))
			goto bad;
	memcpy(&p->p_stats, ss, sizeof(*ss));
	free(ss);
	return (0);
 bad:
	free(ss);
	return (-1);
}

/* The child broke the contract: it dies, and so does the daemon. */
static void
proc_violation(struct parent *pa, struct proc *p, const char *what)
{
	char	 reason[256];

	snprintf(reason, sizeof(reason), "killed for a protocol violation: %s",
	    what);
	log_warnx("%s child (pid %d) %s", proc_role_name(p->p_role),
	    (int)p->p_pid, reason);
	kill(p->p_pid, SIGKILL);
	proc_died(pa, p, -1, reason);
}

static int
proc_dispatch(struct chan *cn, struct imsg *im, void *arg)
{
	struct proc		*p = arg;
	struct parent		*pa = p->p_parent;
	struct msg_child_ready	 ready;
	struct msg_log		 ml;
	char			 what[128];

	if (im->fd != -1) {
		snprintf(what, sizeof(what), "sent a descriptor with %s",
		    msg_type_name(im->hdr.type));
		proc_violation(pa, p, what);
		return (CHAN_GONE);
	}
	switch (im->hdr.type) {
	case MSG_LOG:
		if (imsg_get_exact(im, &ml, sizeof(ml)) == -1 ||
		    !msg_str_ok(ml.ml_line, sizeof(ml.ml_line)) ||
		    ml.ml_pri < LOG_EMERG || ml.ml_pri > LOG_DEBUG)
			break;
		log_emit(ml.ml_pri, ml.ml_line);
		return (CHAN_OK);
	case MSG_CHILD_READY:
		if (p->p_ready ||
		    imsg_get_exact(im, &ready, sizeof(ready)) == -1 ||
		    ready.cr_sandbox > SANDBOX_TRAP)
			break;
		p->p_ready = 1;
		p->p_sandbox = ready.cr_sandbox;
		p->p_uid = ready.cr_uid;
		log_info("%s child ready: pid %d, uid %u, sandbox %s",
		    proc_role_name(p->p_role), (int)p->p_pid,
		    (unsigned)p->p_uid, sandbox_state_name(p->p_sandbox));
		proc_send_config(pa, p);
		if (proc_all_ready(pa))
			parent_all_ready(pa);
		return (CHAN_OK);
	case MSG_STATS:
		if (proc_stats(p, im) == 0)
			return (CHAN_OK);
		break;
	case MSG_TUNNEL_UP:
	case MSG_TUNNEL_DOWN:
		if (proc_l2tp_tunnel(p, im) == 0)
			return (CHAN_OK);
		break;
	case MSG_SESSION_UP:
	case MSG_SESSION_DOWN:
		if (proc_l2tp_session(p, im) == 0)
			return (CHAN_OK);
		break;
	case MSG_CTL_TUNNEL:
	case MSG_CTL_TUNNEL_SESSION:
	case MSG_CTL_IKE_SA:
	case MSG_CTL_IPSEC_SA:
	case MSG_CTL_END:
		if (proc_ctl_answer(pa, p, im) == 0)
			return (CHAN_OK);
		break;
	case MSG_AUDIT:
		if (proc_audit(p, im) == 0)
			return (CHAN_OK);
		break;
	case MSG_PPP_UP: {
		struct msg_ppp_up pu;

		/* An address outside the pool and the static ones: kill. */
		if (p->p_role == PROC_PPP &&
		    imsg_get_exact(im, &pu, sizeof(pu)) == 0 &&
		    session_ppp_up(pa, &pu) == 0)
			return (CHAN_OK);
		break;
	}
	case MSG_DP_COUNTERS: {
		struct msg_dp_counters dc;

		if (p->p_role != PROC_DATAPATH ||
		    imsg_get_exact(im, &dc, sizeof(dc)) == -1 ||
		    (dc.dc_kind != 1 && dc.dc_kind != 2))
			break;
		if (dc.dc_kind == 1)
			session_counters(pa, &dc);
		else
			ike_sa_counters(&dc);
		return (CHAN_OK);
	}
	case MSG_DP_SA_EXPIRE: {
		struct msg_sa_expire sx;

		/* A byte lifetime ran out: ike rekeys or lets it go. */
		if (p->p_role != PROC_DATAPATH ||
		    imsg_get_exact(im, &sx, sizeof(sx)) == -1 ||
		    sx.sx_hard > 1)
			break;
		(void)proc_compose(&pa->pa_procs[PROC_IKE], MSG_SA_EXPIRE, &sx,
		    sizeof(sx));
		return (CHAN_OK);
	}
	case MSG_PPP_DOWN: {
		struct msg_session_ref sr;

		if (p->p_role == PROC_PPP &&
		    imsg_get_exact(im, &sr, sizeof(sr)) == 0 &&
		    msg_str_ok(sr.sr_reason, sizeof(sr.sr_reason))) {
			(void)session_ppp_down(pa, &sr);
			return (CHAN_OK);
		}
		break;
	}
	case MSG_SPI_ALLOC:
		if (p->p_role == PROC_IKE && ike_spi_alloc(pa, p, im) == 0)
			return (CHAN_OK);
		break;
	case MSG_SA_ADD:
		if (p->p_role == PROC_IKE && ike_sa_add(pa, p, im) == 0)
			return (CHAN_OK);
		break;
	case MSG_SA_DEL:
		if (p->p_role == PROC_IKE && ike_sa_del(pa, im) == 0)
			return (CHAN_OK);
		break;
	case MSG_NAT_MAPPING:
		if (p->p_role == PROC_IKE && parent_nat_mapping(pa, im) == 0)
			return (CHAN_OK);
		break;
	case MSG_IKE_DOWN: {
		struct msg_ike_down id;

		if (p->p_role != PROC_IKE ||
		    imsg_get_exact(im, &id, sizeof(id)) == -1 ||
		    !msg_str_ok(id.id_name, sizeof(id.id_name)) ||
		    !msg_str_ok(id.id_reason, sizeof(id.id_reason)))
			break;
		client_ike_down(pa, id.id_name, id.id_reason);
		return (CHAN_OK);
	}
	default:
		break;
	}
	(void)cn;
	snprintf(what, sizeof(what), "unexpected or malformed %s (%u, %zu "
	    "bytes)", msg_type_name(im->hdr.type), im->hdr.type, im->datalen);
	proc_violation(pa, p, what);
	return (CHAN_GONE);
}

/* EOF, an error, or a message the framing itself refuses. */
static void
proc_chan_closed(struct chan *cn, int error, void *arg)
{
	struct proc	*p = arg;

	(void)cn;
	if (error == EBADMSG) {
		proc_violation(p->p_parent, p, "sent a malformed message or "
		    "an unasked descriptor");
		return;
	}
	if (error != 0 && error != EPIPE && error != ECONNRESET)
		log_warnx("channel to the %s child: %s",
		    proc_role_name(p->p_role), strerror(error));
	/* Closed its channel: it exited or crashed. */
	kill(p->p_pid, SIGKILL);
	proc_died(p->p_parent, p, -1, NULL);
}

static void
proc_status_text(int status, char *buf, size_t len)
{
	if (WIFEXITED(status))
		snprintf(buf, len, "exited with status %d",
		    WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(buf, len, "killed by signal %d (%s)",
		    WTERMSIG(status), strsignal(WTERMSIG(status)));
	else
		snprintf(buf, len, "stopped with status 0x%x", status);
}

/*
 * A child is gone.  During an orderly stop that is expected; otherwise
 * the daemon cannot go on with a hole in it: log which and why, write the
 * audit record, undo every kernel change and exit non-zero so the service
 * manager restarts a clean daemon.
 */
static void
proc_died(struct parent *pa, struct proc *p, int status, const char *why)
{
	struct json	 j;
	char		 text[128];
	pid_t		 pid = p->p_pid;
	int		 role = p->p_role;

	if (pid == 0)
		return;
	if (status == -1) {
		/* Not reaped yet: it was just killed or closed its channel. */
		while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
			;
	}
	proc_status_text(status, text, sizeof(text));
	/* Whatever it said on its way out (a sanitizer report) comes first. */
	if (p->p_errfd != -1)
		proc_stderr(p->p_errfd, EV_READ, p);
	chan_close(&p->p_chan);
	p->p_pid = 0;

	if (pa->pa_stopping) {
		log_debug("%s child (pid %d) %s", proc_role_name(role),
		    (int)pid, text);
		if (proc_all_gone(pa))
			parent_exit(pa, pa->pa_exitcode);
		/* The datapath's turn comes when it is the last one. */
		proc_stop_all(pa);
		return;
	}
	log_warnx("%s child (pid %d) %s%s%s; stopping the daemon",
	    proc_role_name(role), (int)pid, text, why ? ": " : "",
	    why ? why : "");
	audit_begin(&j, "child.died");
	json_str(&j, "role", proc_role_name(role));
	json_int(&j, "pid", pid);
	json_str(&j, "reason", why != NULL ? why : text);
	audit_commit(&j);
	parent_shutdown(pa, 1);
}

/* SIGCHLD: collect every child that has ended. */
void
proc_reap(struct parent *pa)
{
	pid_t	 pid;
	int	 status, i;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		for (i = PROC_PARENT + 1; i < PROC_MAX; i++) {
			if (pa->pa_procs[i].p_pid == pid) {
				proc_died(pa, &pa->pa_procs[i], status, NULL);
				break;
			}
		}
	}
}

/*
 * Orderly stop.  The datapath carries the other children's goodbyes
 * (StopCCN, IKE Delete) to their peers, so it is asked to stop only once
 * every other child has gone.
 */
void
proc_stop_all(struct parent *pa)
{
	int	 i, others = 0;

	for (i = PROC_PARENT + 1; i < PROC_MAX; i++) {
		struct proc *p = &pa->pa_procs[i];

		if (p->p_pid == 0 || i == PROC_DATAPATH)
			continue;
		others++;
		(void)proc_compose(p, MSG_SHUTDOWN, NULL, 0);
		chan_flush_nowait(&p->p_chan);
	}
	if (others == 0 && pa->pa_procs[PROC_DATAPATH].p_pid != 0) {
		(void)proc_compose(&pa->pa_procs[PROC_DATAPATH], MSG_SHUTDOWN,
		    NULL, 0);
		chan_flush_nowait(&pa->pa_procs[PROC_DATAPATH].p_chan);
	}
}

int
proc_all_ready(const struct parent *pa)
{
	int	 i;

	for (i = PROC_PARENT + 1; i < PROC_MAX; i++)
		if (pa->pa_procs[i].p_pid != 0 && !pa->pa_procs[i].p_ready)
			return (0);
	return (1);
}

int
proc_all_gone(const struct parent *pa)
{
	int	 i;

	for (i = PROC_PARENT + 1; i < PROC_MAX; i++)
		if (pa->pa_procs[i].p_pid != 0)
			return (0);
	return (1);
}
