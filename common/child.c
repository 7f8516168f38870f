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


#include <sys/types.h>

#include <errno.h>
#include <event.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "child.h"
#include "log.h"
#include "msg.h"
#include "sandbox.h"

/* The one channel the log sink may use; set once the child has it. */
static struct child	*child_self;

static void
child_log_sink(int pri, const char *line)
{
	struct msg_log	 ml;

	if (child_self == NULL)
		return;
	memset(&ml, 0, sizeof(ml));
	ml.ml_pri = pri;
	strlcpy(ml.ml_line, line, sizeof(ml.ml_line));
	if (imsg_compose(&child_self->ch_parent.cn_ib, MSG_LOG, 0, getpid(), -1, &ml,
	    sizeof(ml)) == -1)
		return;
	/*
	 * Logs are written through at once: the parent never blocks on its
	 * children, so this cannot deadlock, and a line logged just before
	 * a fatal exit is not lost.
	 */
	(void)imsgbuf_flush(&child_self->ch_parent.cn_ib);
}

int
child_compose(struct child *ch, uint32_t type, uint32_t peerid, int fd,
    const void *data, size_t len)
{
	return (chan_compose(&ch->ch_parent, type, peerid, fd, data, len));
}

static int
child_dispatch_parent(struct chan *cn, struct imsg *im, void *arg)
{
	struct child		*ch = arg;
	struct msg_verbose	 mv;

	(void)cn;
	switch (im->hdr.type) {
	case MSG_LOG_VERBOSE:
		if (imsg_get_exact(im, &mv, sizeof(mv)) == -1)
			return (CHAN_BAD);
		log_setverbose(mv.mv_verbose);
		return (CHAN_OK);
	case MSG_SHUTDOWN:
		log_debug("shutting down");
		if (ch->ch_shutdown != NULL)
			ch->ch_shutdown(ch);
		(void)imsgbuf_flush(&ch->ch_parent.cn_ib);
		exit(0);
	default:
		if (ch->ch_dispatch == NULL || ch->ch_dispatch(ch, im) == -1) {
			log_warnx("unexpected message %s (%u) from parent",
			    msg_type_name(im->hdr.type), im->hdr.type);
			return (CHAN_BAD);
		}
		return (CHAN_OK);
	}
}

void
child_stat(struct msg_stats *ss, const char *name, uint64_t value)
{
	struct msg_stat	*st;

	if (ss->ss_count >= MSG_STATS_MAX)
		return;
	st = &ss->ss_stat[ss->ss_count++];
	memset(st->st_name, 0, sizeof(st->st_name));
	strlcpy(st->st_name, name, sizeof(st->st_name));
	st->st_value = value;
}

/* Every CHILD_STATS_S: the role's counters to the parent, if changed. */
static void
child_stats_timer(int fd, short events, void *arg)
{
	struct child		*ch = arg;
	struct msg_stats	 ss;
	struct timeval		 tv = { CHILD_STATS_S, 0 };

	(void)fd;
	(void)events;
	memset(&ss, 0, sizeof(ss));
	ch->ch_stats(ch, &ss);
	if (memcmp(&ss, ch->ch_stats_sent, sizeof(ss)) != 0 &&
	    child_compose(ch, MSG_STATS, 0, -1, &ss, sizeof(ss)) == 0)
		memcpy(ch->ch_stats_sent, &ss, sizeof(ss));
	evtimer_add(ch->ch_stats_ev, &tv);
}

static void
child_stats_start(struct child *ch)
{
	struct timeval	 tv = { CHILD_STATS_S, 0 };

	if (ch->ch_stats == NULL)
		return;
	if ((ch->ch_stats_sent = calloc(1, sizeof(*ch->ch_stats_sent))) ==
	    NULL ||
	    (ch->ch_stats_ev = evtimer_new(ch->ch_base, child_stats_timer,
	    ch)) == NULL)
		fatal("counters");
	evtimer_add(ch->ch_stats_ev, &tv);
}

static void
child_parent_closed(struct chan *cn, int error, void *arg)
{
	(void)cn;
	(void)arg;
	/* EOF: the parent is gone and there is nothing left to serve. */
	if (error == 0)
		exit(0);
	errno = error;
	fatal("channel to the parent");
}

static void
child_read_init(struct child *ch, struct msg_child_init *init)
{
	struct imsg	 im;
	ssize_t		 n;
	int		 r;

	for (;;) {
		if ((r = imsg_get(&ch->ch_parent.cn_ib, &im)) == -1)
			fatalx("malformed message from parent");
		if (r == 1)
			break;
		if ((n = imsgbuf_read(&ch->ch_parent.cn_ib)) == -1 &&
		    errno != EAGAIN)
			fatal("read from parent");
		if (n == 0)
			exit(0);
	}
	if (im.hdr.type != MSG_CHILD_INIT ||
	    imsg_get_exact(&im, init, sizeof(*init)) == -1 ||
	    !msg_str_ok(init->ci_chroot, sizeof(init->ci_chroot)))
		fatalx("expected CHILD_INIT from parent, got %s",
		    msg_type_name(im.hdr.type));
	imsg_free(&im);
}

void
child_main(const struct child_role *role)
{
	static struct child	 ch;
	struct msg_child_init	 init;
	struct msg_child_ready	 ready;
	int			 state;

	/*
	 * Terminal signals go to the whole process group; the parent alone
	 * decides when children stop (MSG_SHUTDOWN, or EOF if it died).
	 */
	signal(SIGINT, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	signal(SIGTERM, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);

	memset(&ch, 0, sizeof(ch));
	ch.ch_role = role->cr_role;
	ch.ch_dispatch = role->cr_dispatch;
	ch.ch_shutdown = role->cr_shutdown;
	ch.ch_stats = role->cr_stats;
	if (imsgbuf_init(&ch.ch_parent.cn_ib, PROC_PARENT_FD,
	    MSG_CHILD_MAXMSG, 1) == -1)
		fatal("imsgbuf_init");
	log_procname(proc_role_name(role->cr_role));
	child_self = &ch;
	log_set_sink(child_log_sink);

	child_read_init(&ch, &init);
	log_setverbose(init.ci_verbose);

	if (role->cr_preload != NULL && role->cr_preload() == -1)
		fatalx("preparation before the sandbox failed");
	/* epoll_create1 happens here, before the filter forbids it. */
	if ((ch.ch_base = event_base_new()) == NULL)
		fatalx("event_base_new failed");

	if ((state = sandbox_demote(&init, role->cr_policy)) == -1)
		fatalx("cannot enter the sandbox");
	ch.ch_sandbox = state;
	explicit_bzero(&init, sizeof(init));

	memset(&ready, 0, sizeof(ready));
	ready.cr_sandbox = state;
	ready.cr_uid = getuid();
	if (imsg_compose(&ch.ch_parent.cn_ib, MSG_CHILD_READY, 0, getpid(), -1,
	    &ready, sizeof(ready)) == -1 ||
	    imsgbuf_flush(&ch.ch_parent.cn_ib) == -1)
		fatal("report ready");
	log_debug("running as uid %u, sandbox %s", (unsigned)getuid(),
	    sandbox_state_name(state));

	if (chan_attach(&ch.ch_parent, ch.ch_base, child_dispatch_parent,
	    child_parent_closed, &ch) == -1)
		fatal("parent channel");
	if (role->cr_start != NULL && role->cr_start(&ch) == -1)
		fatalx("start failed");
	child_stats_start(&ch);
	event_base_dispatch(ch.ch_base);
	fatalx("event loop ended");
}
