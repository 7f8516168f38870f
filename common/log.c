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


#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "log.h"

static int		 log_foreground = 1;
static int		 log_verbose;
static const char	*log_proc = "l2tpsecd";
static log_sink_fn	 log_sink;

void
log_init(const char *procname, int foreground, int verbose)
{
	log_proc = procname;
	log_foreground = foreground;
	log_verbose = verbose;
	if (!foreground)
		openlog("l2tpsecd", LOG_PID | LOG_NDELAY, LOG_DAEMON);
	tzset();
}

void
log_procname(const char *procname)
{
	log_proc = procname;
}

void
log_setverbose(int verbose)
{
	log_verbose = verbose;
}

int
log_getverbose(void)
{
	return (log_verbose);
}

void
log_set_sink(log_sink_fn sink)
{
	log_sink = sink;
}

void
log_emit(int pri, const char *line)
{
	if (pri == LOG_DEBUG && log_verbose < 2)
		return;
	if (pri == LOG_INFO && log_verbose < 1)
		return;
	if (log_foreground) {
		fprintf(stderr, "%s\n", line);
		fflush(stderr);
	} else
		syslog(pri, "%s", line);
}

void
vlog(int pri, const char *fmt, va_list ap)
{
	char	 line[LOG_LINE_MAX];
	char	*p;
	int	 n;

	n = snprintf(line, sizeof(line), "%s: ", log_proc);
	if (n < 0 || (size_t)n >= sizeof(line))
		n = 0;
	vsnprintf(line + n, sizeof(line) - n, fmt, ap);
	/* Peer-supplied names end up here: no control bytes in a log. */
	for (p = line; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	/* A child's sink forwards; the parent applies the verbosity. */
	if (log_sink != NULL)
		log_sink(pri, line);
	else
		log_emit(pri, line);
}

static void
vlog_errno(int pri, int saved, const char *fmt, va_list ap)
{
	char	 msg[LOG_LINE_MAX];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (saved != 0)
		logit(pri, "%s: %s", msg, strerror(saved));
	else
		logit(pri, "%s", msg);
}

void
logit(int pri, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vlog(pri, fmt, ap);
	va_end(ap);
}

void
log_warn(const char *fmt, ...)
{
	va_list	 ap;
	int	 saved = errno;

	va_start(ap, fmt);
	vlog_errno(LOG_ERR, saved, fmt, ap);
	va_end(ap);
	errno = saved;
}

void
log_warnx(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vlog(LOG_ERR, fmt, ap);
	va_end(ap);
}

void
log_notice(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vlog(LOG_NOTICE, fmt, ap);
	va_end(ap);
}

void
log_info(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vlog(LOG_INFO, fmt, ap);
	va_end(ap);
}

void
log_debug(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vlog(LOG_DEBUG, fmt, ap);
	va_end(ap);
}

void
fatal(const char *fmt, ...)
{
	va_list	 ap;
	int	 saved = errno;

	va_start(ap, fmt);
	vlog_errno(LOG_CRIT, saved, fmt, ap);
	va_end(ap);
	exit(1);
}

void
fatalx(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vlog(LOG_CRIT, fmt, ap);
	va_end(ap);
	exit(1);
}
