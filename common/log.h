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


#ifndef L2TPSEC_LOG_H
#define L2TPSEC_LOG_H

#include <stdarg.h>
#include <syslog.h>

/*
 * One log API for every process.  Levels are syslog priorities.  The
 * parent writes to stderr (-d) or syslog; a child installs a sink that
 * forwards each formatted line to the parent, which owns the output.
 */

#define LOG_LINE_MAX	1000

typedef void (*log_sink_fn)(int pri, const char *line);

void	log_init(const char *procname, int foreground, int verbose);
void	log_procname(const char *procname);
void	log_setverbose(int verbose);
int	log_getverbose(void);
void	log_set_sink(log_sink_fn sink);
/* Write one already formatted line (used by the parent for child lines). */
void	log_emit(int pri, const char *line);

void	log_warn(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_warnx(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_notice(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_info(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_debug(const char *, ...) __attribute__((format(printf, 1, 2)));
void	logit(int, const char *, ...) __attribute__((format(printf, 2, 3)));
void	vlog(int, const char *, va_list) __attribute__((format(printf, 2, 0)));
void	fatal(const char *, ...)
	    __attribute__((format(printf, 1, 2), noreturn));
void	fatalx(const char *, ...)
	    __attribute__((format(printf, 1, 2), noreturn));

#endif
