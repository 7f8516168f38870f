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

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/log.h"
#include "sysctl.h"

/*
 * What the classic L2TP/IPsec setup (Libreswan or strongSwan, xl2tpd,
 * pppd) has the operator set by hand, kept to what this daemon needs:
 *
 * net.ipv4.conf.all.accept_redirects = 0
 *	A forwarding host must not let an ICMP redirect change its routes
 *	(RFC 1812 5.2.7.2).  The kernel zeroes it itself when ip_forward
 *	goes to 1 -- and sets it to 1 when ip_forward goes back to 0.
 *	That is why it is here: saved before ip_forward and always
 *	restored after it, so a host hardened with 0 keeps its 0.
 * net.ipv4.conf.all.send_redirects = 0
 * net.ipv4.conf.default.send_redirects = 0
 *	In the userspace data path all sessions share one TUN: a packet
 *	from one client to another goes in and out of the same interface,
 *	and the kernel would answer the sender with an ICMP redirect
 *	through the tunnel.  The kernel sends one if `all` or the
 *	interface's own value is 1, and new interfaces (the TUN, ppp
 *	units) copy `default`: hence both, set before they are created.
 *	Libreswan's `ipsec verify` asks for the same.
 * net.ipv4.ip_forward = 1
 *	Clients reach hosts beyond the server, and each other.  Last,
 *	because writing it rewrites all.accept_redirects and every
 *	interface's forwarding flag (kernel: inet_forward_change()).
 *
 * Deliberately left alone:
 *	rp_filter: guides turn it off for IPsec tunnel mode, where
 *	decrypted packets carry inner addresses on the outer interface.
 *	L2TP/IPsec is transport mode: UDP and ESP arrive on wan from the
 *	client's public address, and a session's packets arrive on its
 *	ppp unit or the TUN from the pool address routed there, so strict
 *	reverse-path filtering passes both.
 *	IPv6 forwarding: PPP sessions here carry IPv4 only (IPCP), and
 *	turning IPv6 forwarding on makes the host ignore router
 *	advertisements.
 *
 * Restoring ip_forward to 0 also sets every interface's forwarding flag
 * to 0 (the kernel again); a host that forwarded on some interfaces
 * only, with ip_forward 0, loses that.  It is rare and beyond /proc/sys
 * to undo without saving every interface, which we do not.
 */

#define SYSCTL_VALLEN	64

struct sysctl_ent {
	const char	*se_key;
	const char	*se_path;	/* under /proc/sys */
	const char	*se_value;
	int		 se_always;	/* restore even if we wrote nothing */
	int		 se_saved;	/* se_old is to be written back */
	char		 se_old[SYSCTL_VALLEN];
};

static struct sysctl_ent sysctl_tab[] = {
	{ "net.ipv4.conf.all.accept_redirects",
	    "net/ipv4/conf/all/accept_redirects", "0", 1, 0, "" },
	{ "net.ipv4.conf.all.send_redirects",
	    "net/ipv4/conf/all/send_redirects", "0", 0, 0, "" },
	{ "net.ipv4.conf.default.send_redirects",
	    "net/ipv4/conf/default/send_redirects", "0", 0, 0, "" },
	{ "net.ipv4.ip_forward",
	    "net/ipv4/ip_forward", "1", 0, 0, "" },
};

#define SYSCTL_N	(sizeof(sysctl_tab) / sizeof(sysctl_tab[0]))

static int
sysctl_read(const struct sysctl_ent *se, char *buf, size_t bufsz)
{
	char	 path[256];
	ssize_t	 n;
	int	 fd, error;

	snprintf(path, sizeof(path), "/proc/sys/%s", se->se_path);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return (-1);
	do {
		n = read(fd, buf, bufsz - 1);
	} while (n == -1 && errno == EINTR);
	error = errno;
	close(fd);
	if (n == -1) {
		errno = error;
		return (-1);
	}
	buf[n] = '\0';
	/* One value per entry: "1\n".  Keep it exactly, minus the newline. */
	buf[strcspn(buf, "\n")] = '\0';
	if (buf[0] == '\0') {
		errno = EINVAL;
		return (-1);
	}
	return (0);
}

static int
sysctl_write(const struct sysctl_ent *se, const char *value)
{
	char	 path[256];
	size_t	 len = strlen(value);
	ssize_t	 n;
	int	 fd, error;

	snprintf(path, sizeof(path), "/proc/sys/%s", se->se_path);
	if ((fd = open(path, O_WRONLY | O_CLOEXEC)) == -1)
		return (-1);
	do {
		n = write(fd, value, len);
	} while (n == -1 && errno == EINTR);
	error = errno;
	if (close(fd) == -1 && n != -1) {
		error = errno;
		n = -1;
	}
	if (n == -1 || (size_t)n != len) {
		errno = n == -1 ? error : EIO;
		return (-1);
	}
	return (0);
}

/*
 * A daemon killed with SIGKILL cannot restore anything, and the next one
 * would save what the killed one wrote as the "old" values.  So the old
 * values also go to a state file, one per network namespace (a daemon
 * per namespace, as in the tests), removed once they are restored; the
 * next sysctl_apply() takes an entry's old value from it when the
 * current value is still ours (what the killed daemon left).
 */
#define SYSCTL_STATE_FMT	"/run/l2tpsecd-sysctl.%llu"

static int
sysctl_state_path(char *buf, size_t len)
{
	struct stat	 st;

	if (stat("/proc/self/ns/net", &st) == -1)
		return (-1);
	snprintf(buf, len, SYSCTL_STATE_FMT, (unsigned long long)st.st_ino);
	return (0);
}

static int
sysctl_value_ok(const char *v)
{
	return (v[0] != '\0' && strlen(v) < SYSCTL_VALLEN &&
	    strspn(v, "-0123456789") == strlen(v));
}

/* What a killed predecessor saved: prev[i], or "" if nothing. */
static void
sysctl_state_load(char prev[][SYSCTL_VALLEN])
{
	struct stat	 st;
	char		 path[128], line[256], *sp;
	FILE		*f;
	size_t		 i;
	int		 fd;

	for (i = 0; i < SYSCTL_N; i++)
		prev[i][0] = '\0';
	if (sysctl_state_path(path, sizeof(path)) == -1 ||
	    (fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) == -1)
		return;
	/* Ours only: root's, written by nobody else. */
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode) || st.st_uid != 0 ||
	    (st.st_mode & 022) != 0 || (f = fdopen(fd, "r")) == NULL) {
		log_warnx("sysctl: ignoring %s (not a file of ours)", path);
		close(fd);
		return;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		if ((sp = strchr(line, ' ')) == NULL)
			continue;
		*sp++ = '\0';
		for (i = 0; i < SYSCTL_N; i++)
			if (strcmp(sysctl_tab[i].se_key, line) == 0 &&
			    sysctl_value_ok(sp))
				strlcpy(prev[i], sp, SYSCTL_VALLEN);
	}
	fclose(f);
}

/* The old values of what we changed, for a successor after a crash. */
static void
sysctl_state_save(void)
{
	char	 path[128], tmp[160];
	FILE	*f;
	size_t	 i;
	int	 fd, n = 0;

	if (sysctl_state_path(path, sizeof(path)) == -1)
		return;
	for (i = 0; i < SYSCTL_N; i++)
		n += sysctl_tab[i].se_saved;
	if (n == 0) {
		(void)unlink(path);
		return;
	}
	snprintf(tmp, sizeof(tmp), "%s.new", path);
	(void)unlink(tmp);
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC |
	    O_NOFOLLOW, 0600)) == -1 || (f = fdopen(fd, "w")) == NULL) {
		log_debug("sysctl: cannot write %s: %s", tmp, strerror(errno));
		if (fd != -1)
			close(fd);
		return;
	}
	for (i = 0; i < SYSCTL_N; i++)
		if (sysctl_tab[i].se_saved)
			fprintf(f, "%s %s\n", sysctl_tab[i].se_key,
			    sysctl_tab[i].se_old);
	if (fclose(f) != 0 || rename(tmp, path) == -1) {
		log_debug("sysctl: cannot write %s: %s", path,
		    strerror(errno));
		(void)unlink(tmp);
	}
}

static void
sysctl_state_remove(void)
{
	char	 path[128];

	if (sysctl_state_path(path, sizeof(path)) == 0)
		(void)unlink(path);
}

int
sysctl_apply(void)
{
	struct sysctl_ent	*se;
	char			 cur[SYSCTL_VALLEN];
	char			 prev[SYSCTL_N][SYSCTL_VALLEN];
	size_t			 i;
	int			 rv = 0;

	sysctl_state_load(prev);
	for (i = 0; i < SYSCTL_N; i++) {
		se = &sysctl_tab[i];
		if (se->se_saved)
			continue;	/* applied before, not restored yet */
		if (sysctl_read(se, cur, sizeof(cur)) == -1) {
			log_warn("sysctl: cannot read %s", se->se_key);
			rv = -1;
			continue;
		}
		if (strcmp(cur, se->se_value) == 0) {
			if (prev[i][0] != '\0') {
				/* A killed daemon's value: restore its old. */
				strlcpy(se->se_old, prev[i],
				    sizeof(se->se_old));
				se->se_saved = 1;
				log_info("sysctl: %s = %s (set by a previous "
				    "l2tpsecd; was %s before it)", se->se_key,
				    cur, prev[i]);
				continue;
			}
			if (se->se_always) {
				memcpy(se->se_old, cur, sizeof(se->se_old));
				se->se_saved = 1;
			}
			log_debug("sysctl: %s is %s already", se->se_key, cur);
			continue;
		}
		if (sysctl_write(se, se->se_value) == -1) {
			log_warn("sysctl: cannot set %s = %s (it stays %s)",
			    se->se_key, se->se_value, cur);
			rv = -1;
			continue;
		}
		memcpy(se->se_old, cur, sizeof(se->se_old));
		se->se_saved = 1;
		log_info("sysctl: %s = %s (was %s)", se->se_key, se->se_value,
		    cur);
	}
	sysctl_state_save();
	return (rv);
}

void
sysctl_restore(void)
{
	struct sysctl_ent	*se;
	size_t			 i;

	/* Reverse order: undoes ip_forward's side effects last-first. */
	for (i = SYSCTL_N; i-- > 0;) {
		se = &sysctl_tab[i];
		if (!se->se_saved)
			continue;
		se->se_saved = 0;
		if (sysctl_write(se, se->se_old) == -1)
			log_warn("sysctl: cannot restore %s = %s", se->se_key,
			    se->se_old);
		else
			log_info("sysctl: %s = %s (restored)", se->se_key,
			    se->se_old);
	}
	sysctl_state_remove();
}

size_t
sysctl_count(void)
{
	return (SYSCTL_N);
}

const char *
sysctl_key(size_t i)
{
	return (i < SYSCTL_N ? sysctl_tab[i].se_key : NULL);
}

const char *
sysctl_value(size_t i)
{
	return (i < SYSCTL_N ? sysctl_tab[i].se_value : NULL);
}

const char *
sysctl_saved(size_t i)
{
	if (i >= SYSCTL_N || !sysctl_tab[i].se_saved)
		return (NULL);
	return (sysctl_tab[i].se_old);
}
