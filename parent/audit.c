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
#include <sys/time.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "common/json.h"
#include "common/log.h"
#include "parent.h"

/*
 * The audit log: one JSON object per line, written only by the parent,
 * O_APPEND and one write(2) per record so no record is ever half buffered,
 * and mirrored to syslog (authpriv).  Module state, like the log's: there
 * is one audit trail per daemon.
 */
static int	 audit_fd = -1;
static char	 audit_path[PATH_MAX];

static int
audit_mkdir_parent(const char *path)
{
	char	 dir[PATH_MAX], *slash;

	if (strlcpy(dir, path, sizeof(dir)) >= sizeof(dir))
		return (-1);
	if ((slash = strrchr(dir, '/')) == NULL || slash == dir)
		return (0);
	*slash = '\0';
	if (mkdir(dir, 0700) == -1 && errno != EEXIST)
		return (-1);
	return (0);
}

int
audit_open(const char *path)
{
	int	 fd;

	if (strlcpy(audit_path, path, sizeof(audit_path)) >=
	    sizeof(audit_path)) {
		log_warnx("audit log path too long: %s", path);
		return (-1);
	}
	if (audit_mkdir_parent(path) == -1) {
		log_warn("cannot create the directory of the audit log %s",
		    path);
		return (-1);
	}
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC |
	    O_NOFOLLOW, 0600);
	if (fd == -1) {
		log_warn("cannot open the audit log %s", path);
		return (-1);
	}
	/* An existing file keeps its contents but never its loose mode. */
	if (fchmod(fd, 0600) == -1)
		log_warn("chmod 0600 %s", path);
	if (audit_fd != -1)
		close(audit_fd);
	audit_fd = fd;
	return (0);
}

/* Log rotation: the old file was moved away; start a new one. */
int
audit_reopen(void)
{
	if (audit_path[0] == '\0')
		return (0);
	return (audit_open(audit_path));
}

void
audit_close(void)
{
	if (audit_fd != -1)
		close(audit_fd);
	audit_fd = -1;
}

void
audit_begin(struct json *j, const char *event)
{
	struct timeval	 tv;
	struct tm	 tm;
	char		 ts[48], frac[16];

	gettimeofday(&tv, NULL);
	gmtime_r(&tv.tv_sec, &tm);
	strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(frac, sizeof(frac), ".%03dZ", (int)(tv.tv_usec / 1000));
	strlcat(ts, frac, sizeof(ts));

	json_init(j);
	json_obj_open(j, NULL);
	json_str(j, "ts", ts);
	json_str(j, "event", event);
}

void
audit_commit(struct json *j)
{
	const char	*text;
	char		*line;
	size_t		 len;

	json_obj_close(j);
	if ((text = json_text(j)) == NULL) {
		log_warnx("audit: out of memory formatting a record");
		json_free(j);
		return;
	}
	syslog(LOG_AUTHPRIV | LOG_NOTICE, "%s", text);
	len = strlen(text);
	if ((line = malloc(len + 1)) != NULL) {
		memcpy(line, text, len);
		line[len] = '\n';
		if (audit_fd != -1 && write(audit_fd, line, len + 1) !=
		    (ssize_t)(len + 1))
			log_warn("audit: write to %s", audit_path);
		free(line);
	}
	json_free(j);
}
