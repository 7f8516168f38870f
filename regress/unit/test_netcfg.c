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
#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/log.h"
#include "netcfg/nft.h"
#include "netcfg/sysctl.h"
#include "test.h"

T_DEFINE_GLOBALS;

/*
 * netcfg: the parameter checks of the nftables table run anywhere; the
 * sysctl and nftables round trips need root and run in a network
 * namespace of their own (unshare), whose /proc/sys/net and nftables
 * ruleset are private to it.  Without one they are skipped; the netns
 * test regress/netns/test_netcfg.sh covers the rest with nft(8).
 */

static int	 have_netns;
static char	 last_line[LOG_LINE_MAX];

static void
capture(int pri, const char *line)
{
	(void)pri;
	snprintf(last_line, sizeof(last_line), "%s", line);
	fprintf(stderr, "# %s\n", line);
}

static void
good_params(struct nft_params *p)
{
	memset(p, 0, sizeof(*p));
	p->np_nlisten = 1;
	p->np_listen[0].nl_family = AF_INET;
	inet_pton(AF_INET, "192.0.2.1", &p->np_listen[0].nl_addr4);
	snprintf(p->np_wan, sizeof(p->np_wan), "eth0");
	snprintf(p->np_session_if[0], IF_NAMESIZE, "ppp*");
	p->np_nsession_if = 1;
	inet_pton(AF_INET, "10.2.0.100", &p->np_pool_start);
	inet_pton(AF_INET, "10.2.0.199", &p->np_pool_end);
	p->np_mtu = 1400;
	p->np_nat = 1;
	p->np_clamp_mss = 1;
	p->np_require_ipsec = 1;
}

static void
test_nft_params(void)
{
	struct nft_params	 p;

	good_params(&p);
	T_ASSERT(nft_params_check(&p) == 0);

	/* No listen address: the whole host; no wan, no nat: fine. */
	p.np_nlisten = 0;
	p.np_wan[0] = '\0';
	p.np_nat = 0;
	T_ASSERT(nft_params_check(&p) == 0);

	good_params(&p);
	memcpy(p.np_wan, "abcdefghijklmnop", IF_NAMESIZE);	/* no NUL */
	T_ASSERT(nft_params_check(&p) == -1 && errno == EINVAL);
	good_params(&p);
	snprintf(p.np_wan, sizeof(p.np_wan), "eth*");	/* wan: exact */
	T_ASSERT(nft_params_check(&p) == -1);
	good_params(&p);
	snprintf(p.np_wan, sizeof(p.np_wan), "a/b");
	T_ASSERT(nft_params_check(&p) == -1);
	good_params(&p);
	snprintf(p.np_session_if[0], IF_NAMESIZE, "*");
	T_ASSERT(nft_params_check(&p) == -1);
	snprintf(p.np_session_if[0], IF_NAMESIZE, "pp*p");
	T_ASSERT(nft_params_check(&p) == -1);
	snprintf(p.np_session_if[0], IF_NAMESIZE, "ppp 0");
	T_ASSERT(nft_params_check(&p) == -1);
	good_params(&p);
	snprintf(p.np_wan, sizeof(p.np_wan), "ppp0");	/* PPPoE uplink */
	T_ASSERT(nft_params_check(&p) == -1);
	T_ASSERT(strstr(last_line, "wan is one of the session") != NULL);
	snprintf(p.np_session_if[0], IF_NAMESIZE, "ppp0");
	T_ASSERT(nft_params_check(&p) == -1);
	snprintf(p.np_session_if[0], IF_NAMESIZE, "l2tpsec*");
	T_ASSERT(nft_params_check(&p) == 0);
	good_params(&p);
	p.np_nsession_if = 0;
	T_ASSERT(nft_params_check(&p) == -1);
	p.np_nsession_if = NFT_MAX_SESSION_IF + 1;
	T_ASSERT(nft_params_check(&p) == -1);
	good_params(&p);
	p.np_wan[0] = '\0';			/* nat needs wan */
	T_ASSERT(nft_params_check(&p) == -1);
	T_ASSERT(strstr(last_line, "nat needs a wan") != NULL);
	good_params(&p);
	/* end before start */
	inet_pton(AF_INET, "10.2.0.99", &p.np_pool_end);
	T_ASSERT(nft_params_check(&p) == -1);
	good_params(&p);
	p.np_mtu = 100;
	T_ASSERT(nft_params_check(&p) == -1);
	p.np_clamp_mss = 0;			/* the MTU only matters then */
	T_ASSERT(nft_params_check(&p) == 0);
	good_params(&p);
	p.np_listen[0].nl_family = AF_UNIX;
	T_ASSERT(nft_params_check(&p) == -1);
	p.np_listen[0].nl_family = AF_UNSPEC;	/* interface: needs a name */
	T_ASSERT(nft_params_check(&p) == -1);
	snprintf(p.np_listen[0].nl_iface, IF_NAMESIZE, "eth1");
	T_ASSERT(nft_params_check(&p) == 0);
	p.np_nlisten = NFT_MAX_LISTEN + 1;
	T_ASSERT(nft_params_check(&p) == -1);
}

static int
rd(const char *path, char *buf, size_t sz)
{
	ssize_t	 n;
	int	 fd;

	if ((fd = open(path, O_RDONLY)) == -1)
		return (-1);
	n = read(fd, buf, sz - 1);
	close(fd);
	if (n <= 0)
		return (-1);
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return (0);
}

static int
wr(const char *path, const char *v)
{
	ssize_t	 n;
	int	 fd;

	if ((fd = open(path, O_WRONLY)) == -1)
		return (-1);
	n = write(fd, v, strlen(v));
	close(fd);
	return (n == (ssize_t)strlen(v) ? 0 : -1);
}

#define FWD	"/proc/sys/net/ipv4/ip_forward"
#define AR	"/proc/sys/net/ipv4/conf/all/accept_redirects"
#define SR	"/proc/sys/net/ipv4/conf/all/send_redirects"
#define DSR	"/proc/sys/net/ipv4/conf/default/send_redirects"

/* 1 if the four values are fwd, ar, sr, dsr. */
static int
values(const char *fwd, const char *ar, const char *sr, const char *dsr)
{
	char	 a[16], b[16], c[16], d[16];

	if (rd(FWD, a, sizeof(a)) == -1 || rd(AR, b, sizeof(b)) == -1 ||
	    rd(SR, c, sizeof(c)) == -1 || rd(DSR, d, sizeof(d)) == -1)
		return (0);
	if (strcmp(a, fwd) || strcmp(b, ar) || strcmp(c, sr) ||
	    strcmp(d, dsr)) {
		printf("# ip_forward=%s accept_redirects=%s send_redirects="
		    "%s default.send_redirects=%s\n", a, b, c, d);
		return (0);
	}
	return (1);
}

static size_t
key_index(const char *key)
{
	size_t	 i;

	for (i = 0; i < sysctl_count(); i++)
		if (strcmp(sysctl_key(i), key) == 0)
			break;
	return (i);
}

static void
test_sysctl_roundtrip(void)
{
	size_t	 i;

	if (!have_netns)
		T_SKIP("needs root and a network namespace");
	/*
	 * A hardened host: not forwarding, ignoring redirects, sending them.
	 * Turning ip_forward back off makes the kernel set accept_redirects
	 * to 1; the restore must still end at 0.
	 */
	T_ASSERT_RET(wr(FWD, "0") == 0 && wr(AR, "0") == 0 &&
	    wr(SR, "1") == 0 && wr(DSR, "1") == 0);
	T_ASSERT(sysctl_apply() == 0);
	T_ASSERT(values("1", "0", "0", "0"));
	for (i = 0; i < sysctl_count(); i++)
		T_ASSERT(sysctl_saved(i) != NULL);
	T_ASSERT(sysctl_key(sysctl_count()) == NULL);

	/* A second apply does not save our own values as the old ones. */
	T_ASSERT(sysctl_apply() == 0);
	sysctl_restore();
	T_ASSERT(values("0", "0", "1", "1"));
	for (i = 0; i < sysctl_count(); i++)
		T_ASSERT(sysctl_saved(i) == NULL);

	/* Idempotent: a second restore writes nothing. */
	T_ASSERT_RET(wr(FWD, "1") == 0);
	sysctl_restore();
	T_ASSERT(values("1", "0", "1", "1"));

	/* Already as we want them: nothing to write, nothing to undo. */
	T_ASSERT_RET(wr(SR, "0") == 0 && wr(DSR, "0") == 0);
	T_ASSERT(sysctl_apply() == 0);
	T_ASSERT(key_index("net.ipv4.ip_forward") < sysctl_count());
	T_ASSERT(sysctl_saved(key_index("net.ipv4.ip_forward")) == NULL);
	T_ASSERT(values("1", "0", "0", "0"));
	sysctl_restore();
	T_ASSERT(values("1", "0", "0", "0"));

	/* The usual host default. */
	T_ASSERT_RET(wr(FWD, "0") == 0 && wr(AR, "1") == 0 &&
	    wr(SR, "1") == 0 && wr(DSR, "1") == 0);
	T_ASSERT(sysctl_apply() == 0);
	T_ASSERT(values("1", "0", "0", "0"));
	sysctl_restore();
	T_ASSERT(values("0", "1", "1", "1"));
}

static void
test_nft_roundtrip(void)
{
	struct nft_params	 p;

	if (!have_netns)
		T_SKIP("needs root and a network namespace");
	good_params(&p);
	T_ASSERT(nft_present() == 0);
	T_ASSERT(nft_remove() == 0);		/* nothing there: fine */
	T_ASSERT(nft_install(&p) == 0);
	T_ASSERT(nft_present() == 1);
	T_ASSERT(nft_install(&p) == 0);		/* replaces itself */
	T_ASSERT(nft_present() == 1);
	T_ASSERT(nft_remove() == 0);
	T_ASSERT(nft_present() == 0);
	T_ASSERT(nft_remove() == 0);

	/* A batch the kernel refuses leaves nothing... */
	p.np_test_reject = 1;
	T_ASSERT(nft_install(&p) == -1);
	T_ASSERT(strstr(last_line, "refused rule") != NULL);
	T_ASSERT(nft_present() == 0);
	/* ...and does not touch the table that was there. */
	p.np_test_reject = 0;
	T_ASSERT(nft_install(&p) == 0);
	p.np_test_reject = 1;
	T_ASSERT(nft_install(&p) == -1);
	T_ASSERT(nft_present() == 1);
	/* Bad parameters: no batch at all. */
	p.np_test_reject = 0;
	p.np_nsession_if = 0;
	T_ASSERT(nft_install(&p) == -1);
	T_ASSERT(nft_present() == 1);
	T_ASSERT(nft_remove() == 0);
}

static int
mon_wait(int ms)
{
	struct pollfd	 pfd;

	pfd.fd = nft_monitor_fd();
	pfd.events = POLLIN;
	return (poll(&pfd, 1, ms));
}

static void
test_nft_monitor(void)
{
	struct nft_params	 p;

	if (!have_netns)
		T_SKIP("needs root and a network namespace");
	good_params(&p);
	T_ASSERT_RET(nft_monitor_open() >= 0);
	T_ASSERT(nft_monitor_fd() >= 0);
	T_ASSERT(nft_install(&p) == 0);
	/* Our own install is seen, and is no reason to act. */
	T_ASSERT(mon_wait(1000) == 1);
	T_ASSERT(nft_monitor_read() == 0);
	T_ASSERT(nft_install(&p) == 0);
	T_ASSERT(mon_wait(1000) == 1);
	T_ASSERT(nft_monitor_read() == 0);
	/* Nothing happened: nothing to read, nothing to do. */
	T_ASSERT(nft_monitor_read() == 0);

	/* Someone else deletes it (nft(8) if it is there). */
	if (access("/usr/sbin/nft", X_OK) == 0) {
		T_ASSERT(system("/usr/sbin/nft delete table inet l2tpsecd")
		    == 0);
		T_ASSERT(mon_wait(1000) == 1);
		T_ASSERT(nft_monitor_read() == 1);
		T_ASSERT(strstr(last_line, "was deleted") != NULL);
		T_ASSERT(nft_install(&p) == 0);
		T_ASSERT(nft_monitor_read() == 0);
		T_ASSERT(system("/usr/sbin/nft flush chain inet l2tpsecd "
		    "forward") == 0);
		T_ASSERT(mon_wait(1000) == 1);
		T_ASSERT(nft_monitor_read() == 1);
		T_ASSERT(strstr(last_line, "was changed") != NULL);
		T_ASSERT(nft_install(&p) == 0);
	}

	/* After nft_remove() a missing table is no damage. */
	T_ASSERT(nft_remove() == 0);
	T_ASSERT(mon_wait(1000) == 1);
	T_ASSERT(nft_monitor_read() == 0);
	nft_monitor_close();
	T_ASSERT(nft_monitor_fd() == -1);
	T_ASSERT(nft_monitor_read() == -1);
}

int
main(void)
{
	log_init("test_netcfg", 1, 0);
	log_set_sink(capture);

	T_RUN(test_nft_params);
	/* Everything below happens in a namespace of our own. */
	have_netns = geteuid() == 0 && unshare(CLONE_NEWNET) == 0;
	T_RUN(test_sysctl_roundtrip);
	T_RUN(test_nft_roundtrip);
	T_RUN(test_nft_monitor);
	return (T_DONE());
}
