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


#include <sys/stat.h>
#include <sys/types.h>

#include <errno.h>
#include <event.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/child.h"
#include "common/json.h"
#include "common/log.h"
#include "common/msg.h"
#include "config.h"
#include "parent.h"

#define CHILD_READY_TIMEOUT	10	/* seconds for a child to demote */
#define STOP_TIMEOUT		5	/* seconds for children to stop */

static void
usage(void)
{
	fprintf(stderr, "usage: l2tpsecd [-dnv] [-f file] [-s socket]\n");
	exit(1);
}

/* Every role but the datapath always runs; it serves the userspace path. */
static int
parent_role_wanted(const struct parent *pa, int role)
{
	if (role == PROC_DATAPATH)
		return (pa->pa_dataplane == DATAPLANE_USERSPACE);
	return (1);
}

__attribute__((noreturn)) void
parent_exit(struct parent *pa, int code)
{
	struct json	 j;
	int		 i;

	for (i = PROC_PARENT + 1; i < PROC_MAX; i++)
		if (pa->pa_procs[i].p_pid != 0)
			kill(pa->pa_procs[i].p_pid, SIGKILL);
	control_close(pa);
	client_stop();
	dataplane_stop();
	audit_begin(&j, "daemon.stop");
	json_int(&j, "exit_code", code);
	audit_commit(&j);
	audit_close();
	if (code == 0)
		log_notice("stopped");
	else
		log_warnx("stopped with exit code %d", code);
	if (pa->pa_conf != NULL)
		config_free(pa->pa_conf);
	exit(code);
}

static void
parent_stop_timeout(int fd, short ev, void *arg)
{
	struct parent	*pa = arg;
	int		 i;

	(void)fd;
	(void)ev;
	for (i = PROC_PARENT + 1; i < PROC_MAX; i++) {
		if (pa->pa_procs[i].p_pid == 0)
			continue;
		log_warnx("%s child (pid %d) did not stop in %d s; killing it",
		    proc_role_name(i), (int)pa->pa_procs[i].p_pid,
		    STOP_TIMEOUT);
		kill(pa->pa_procs[i].p_pid, SIGKILL);
	}
	/* Their SIGCHLD finishes the stop; this is the last resort. */
	evtimer_assign(&pa->pa_stop_timer, pa->pa_base, parent_stop_timeout,
	    pa);
	if (proc_all_gone(pa))
		parent_exit(pa, pa->pa_exitcode);
}

/*
 * Orderly stop: ask every child to stop (they will send their goodbyes
 * once there are protocols), wait for them, then clean up and exit.
 */
void
parent_shutdown(struct parent *pa, int code)
{
	struct timeval	 tv = { STOP_TIMEOUT, 0 };

	if (pa->pa_stopping) {
		if (code > pa->pa_exitcode)
			pa->pa_exitcode = code;
		return;
	}
	pa->pa_stopping = 1;
	pa->pa_exitcode = code;
	control_close(pa);
	if (proc_all_gone(pa))
		parent_exit(pa, code);
	proc_stop_all(pa);
	evtimer_assign(&pa->pa_stop_timer, pa->pa_base, parent_stop_timeout,
	    pa);
	evtimer_add(&pa->pa_stop_timer, &tv);
}

void
parent_set_verbose(struct parent *pa, int verbose)
{
	struct msg_verbose	 mv;

	pa->pa_verbose = verbose;
	log_setverbose(verbose);
	memset(&mv, 0, sizeof(mv));
	mv.mv_verbose = verbose;
	proc_broadcast(pa, MSG_LOG_VERBOSE, &mv, sizeof(mv));
}

/*
 * Reload: a new config that does not parse leaves the old one in force.
 * What only a restart can change is reported and otherwise ignored: the
 * running daemon keeps the values it started with.
 */
int
parent_reload(struct parent *pa, char *msg, size_t msglen)
{
	struct config	*nconf;
	struct json	 j;
	char		 restart[256];
	int		 i;

	if (audit_reopen() == -1)
		log_warnx("reload: keeping no audit file");
	if ((nconf = config_parse(pa->pa_conffile)) == NULL) {
		snprintf(msg, msglen, "reload failed: %s has errors (see the "
		    "log); the running configuration stays in force",
		    pa->pa_conffile);
		log_warnx("%s", msg);
		audit_begin(&j, "daemon.reload");
		json_str(&j, "result", "failed");
		json_str(&j, "reason", "configuration errors");
		audit_commit(&j);
		return (-1);
	}
	restart[0] = '\0';
	if (config_restart_needed(pa->pa_conf, nconf, restart,
	    sizeof(restart)) > 0)
		log_warnx("reload: %s changed; that takes a restart, the "
		    "running values stay until then", restart);
	config_free(pa->pa_conf);
	pa->pa_conf = nconf;
	for (i = PROC_PARENT + 1; i < PROC_MAX; i++)
		if (pa->pa_procs[i].p_pid != 0)
			proc_send_config(pa, &pa->pa_procs[i]);
	if (restart[0] != '\0')
		snprintf(msg, msglen, "reloaded; %s need a restart", restart);
	else
		snprintf(msg, msglen, "reloaded");
	log_notice("%s", msg);
	audit_begin(&j, "daemon.reload");
	json_str(&j, "result", "ok");
	if (restart[0] != '\0')
		json_str(&j, "restart_needed", restart);
	audit_commit(&j);
	return (0);
}

/* Every child is in its sandbox and has its config: go. */
void
parent_all_ready(struct parent *pa)
{
	static int	 done;

	if (done || pa->pa_stopping)
		return;
	done = 1;
	evtimer_del(&pa->pa_ready_timer);
	log_notice("ready");
	client_autostart(pa);
}

static void
parent_signal(int sig, short ev, void *arg)
{
	struct parent	*pa = arg;
	char		 msg[CTL_RESULT_MSG];

	(void)ev;
	switch (sig) {
	case SIGTERM:
	case SIGINT:
		log_notice("received %s, stopping", strsignal(sig));
		parent_shutdown(pa, 0);
		break;
	case SIGHUP:
		if (!pa->pa_stopping)
			(void)parent_reload(pa, msg, sizeof(msg));
		break;
	case SIGCHLD:
		proc_reap(pa);
		break;
	}
}

static void
parent_ready_timeout(int fd, short ev, void *arg)
{
	struct parent	*pa = arg;
	int		 i;

	(void)fd;
	(void)ev;
	for (i = PROC_PARENT + 1; i < PROC_MAX; i++) {
		struct proc *p = &pa->pa_procs[i];

		if (p->p_pid == 0 || p->p_ready)
			continue;
		log_warnx("%s child (pid %d) did not enter its sandbox within "
		    "%d s", proc_role_name(i), (int)p->p_pid,
		    CHILD_READY_TIMEOUT);
		kill(p->p_pid, SIGKILL);
	}
}

static int
child_role_main(const char *name)
{
	switch (proc_role_from_name(name)) {
	case PROC_IKE:
		ike_main();
	case PROC_L2TP:
		l2tp_main();
	case PROC_PPP:
		ppp_main();
	case PROC_DATAPATH:
		datapath_main();
	default:
		fprintf(stderr, "l2tpsecd: unknown role %s\n", name);
		return (1);
	}
}

int
main(int argc, char *argv[])
{
	static struct parent	 pa;
	struct timeval		 tv = { CHILD_READY_TIMEOUT, 0 };
	struct json		 j;
	const char		*conffile = L2TPSECD_CONF, *sockpath = NULL;
	char			 why[512];
	int			 ch, checkonly = 0, i;

	while ((ch = getopt(argc, argv, "df:nR:s:v")) != -1) {
		switch (ch) {
		case 'd':
			pa.pa_foreground = 1;
			break;
		case 'f':
			conffile = optarg;
			break;
		case 'n':
			checkonly = 1;
			break;
		case 'R':
			/* Internal: an exec'd child of ours. */
			return (child_role_main(optarg));
		case 's':
			sockpath = optarg;
			break;
		case 'v':
			pa.pa_verbose++;
			break;
		default:
			usage();
		}
	}
	if (argc != optind)
		usage();

	log_init("parent", 1, pa.pa_verbose);
	pa.pa_conffile = conffile;
	if ((pa.pa_conf = config_parse(conffile)) == NULL) {
		fprintf(stderr, "l2tpsecd: %s: configuration not valid\n",
		    conffile);
		return (1);
	}
	if (checkonly) {
		fprintf(stderr, "l2tpsecd: %s: configuration OK\n", conffile);
		config_free(pa.pa_conf);
		return (0);
	}
	if (geteuid() != 0) {
		fprintf(stderr, "l2tpsecd: must be started as root\n");
		return (1);
	}
	if (strlcpy(pa.pa_control, sockpath != NULL ? sockpath :
	    pa.pa_conf->c_control, sizeof(pa.pa_control)) >=
	    sizeof(pa.pa_control)) {
		fprintf(stderr, "l2tpsecd: control socket path too long\n");
		return (1);
	}
	/*
	 * The data plane, decided before anything is touched: auto takes
	 * the kernel when the config suits it and the modules load, and
	 * the log and `show status` say which and why.
	 */
	switch ((pa.pa_dataplane = pa.pa_conf->c_dataplane)) {
	case DATAPLANE_KERNEL:
		if (!kernel_usable(pa.pa_conf, why, sizeof(why)) ||
		    !kernel_probe(why, sizeof(why))) {
			fprintf(stderr, "l2tpsecd: dataplane kernel: not "
			    "possible here: %s\n", why);
			config_free(pa.pa_conf);
			return (1);
		}
		snprintf(why, sizeof(why), "as configured");
		break;
	case DATAPLANE_AUTO:
		if (kernel_usable(pa.pa_conf, why, sizeof(why)) &&
		    kernel_probe(why, sizeof(why))) {
			pa.pa_dataplane = DATAPLANE_KERNEL;
			snprintf(why, sizeof(why), "chosen by auto: the "
			    "kernel has l2tp_ppp, ppp_generic and XFRM");
		} else {
			char	 tmp[sizeof(why) - 64];

			pa.pa_dataplane = DATAPLANE_USERSPACE;
			strlcpy(tmp, why, sizeof(tmp));
			snprintf(why, sizeof(why), "chosen by auto: no kernel "
			    "data path, %s", tmp);
		}
		break;
	default:
		snprintf(why, sizeof(why), "as configured");
		break;
	}

	if (!pa.pa_foreground && daemon(0, 0) == -1)
		fatal("daemon");
	log_init("parent", pa.pa_foreground, pa.pa_verbose);
	umask(077);
	signal(SIGPIPE, SIG_IGN);
	pa.pa_started = time(NULL);
	pa.pa_ctl_fd = -1;
	TAILQ_INIT(&pa.pa_ctl_conns);
	TAILQ_INIT(&pa.pa_sessions);
	if ((pa.pa_base = event_base_new()) == NULL)
		fatalx("event_base_new failed");

	if (audit_open(pa.pa_conf->c_audit) == -1)
		fatalx("cannot write the audit log; not starting");
	if (control_open(&pa, pa.pa_control) == -1) {
		audit_close();
		return (1);
	}

	evsignal_assign(&pa.pa_sig_term, pa.pa_base, SIGTERM, parent_signal,
	    &pa);
	evsignal_assign(&pa.pa_sig_int, pa.pa_base, SIGINT, parent_signal, &pa);
	evsignal_assign(&pa.pa_sig_hup, pa.pa_base, SIGHUP, parent_signal, &pa);
	evsignal_assign(&pa.pa_sig_chld, pa.pa_base, SIGCHLD, parent_signal,
	    &pa);
	evsignal_add(&pa.pa_sig_term, NULL);
	evsignal_add(&pa.pa_sig_int, NULL);
	evsignal_add(&pa.pa_sig_hup, NULL);
	evsignal_add(&pa.pa_sig_chld, NULL);

	audit_begin(&j, "daemon.start");
	json_str(&j, "version", L2TPSECD_VERSION);
	json_str(&j, "config", conffile);
	json_str(&j, "dataplane", config_dataplane_name(pa.pa_dataplane));
	json_int(&j, "pid", getpid());
	audit_commit(&j);
	log_notice("starting l2tpsecd %s, data plane %s (%s)",
	    L2TPSECD_VERSION, config_dataplane_name(pa.pa_dataplane), why);
	if (!pa.pa_conf->c_l2tp.l2_require_ipsec)
		log_warnx("require-ipsec no: L2TP is accepted without IPsec; "
		    "only for tests and trusted networks");

	for (i = PROC_PARENT + 1; i < PROC_MAX; i++) {
		if (!parent_role_wanted(&pa, i))
			continue;
		if (proc_start(&pa, i) == -1) {
			parent_shutdown(&pa, 1);
			break;
		}
	}
	/* Kernel: XFRM first, so UDP/1701 requires ESP before any socket. */
	if (!pa.pa_stopping && pa.pa_dataplane == DATAPLANE_KERNEL &&
	    (kernel_start(&pa) == -1 || sockets_l2tp_kernel(&pa) == -1))
		parent_shutdown(&pa, 1);
	if (!pa.pa_stopping && sockets_ike(&pa) == -1)
		parent_shutdown(&pa, 1);
	/* The userspace data path relays L2TP control to l2tp directly. */
	if (!pa.pa_stopping && pa.pa_procs[PROC_DATAPATH].p_pid != 0 &&
	    (sockets_link(&pa, PROC_DATAPATH, PROC_L2TP) == -1 ||
	    sockets_l2tp_clear(&pa, PROC_DATAPATH) == -1))
		parent_shutdown(&pa, 1);
	/* The rest: sysctls, nft, and for userspace the TUN. */
	if (!pa.pa_stopping && (sockets_esp_userspace(&pa) ||
	    pa.pa_dataplane == DATAPLANE_KERNEL) &&
	    dataplane_start(&pa) == -1)
		parent_shutdown(&pa, 1);
	evtimer_assign(&pa.pa_ready_timer, pa.pa_base, parent_ready_timeout,
	    &pa);
	evtimer_add(&pa.pa_ready_timer, &tv);

	event_base_dispatch(pa.pa_base);
	parent_exit(&pa, 1);
}
