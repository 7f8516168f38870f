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


#include <sys/signalfd.h>
#include <sys/socket.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/log.h"
#include "netcfg/nft.h"
#include "netcfg/sysctl.h"

/*
 * netcfg_try: drives netcfg/nft.c and netcfg/sysctl.c for the netns test
 * (regress/netns/test_netcfg.sh), the way the parent does.
 *
 *   netcfg_try [table options] install     install the table, exit
 *   netcfg_try remove                      remove it, exit
 *   netcfg_try present                     exit 0 if there, 1 if not
 *   netcfg_try [table options] monitor     open the monitor, install,
 *	print "ready"; re-install and print "restored" whenever the
 *	monitor says so; on SIGTERM/SIGINT close the monitor, remove the
 *	table, print "removed" and exit
 *   netcfg_try sysctl                      sysctl_apply(), print "applied"
 *	(or "applied-with-errors") and each key=value; on SIGTERM/SIGINT
 *	sysctl_restore() twice (it must be idempotent), print "restored"
 *
 * Table options:
 *   -l ADDR      listen address (IPv4 or IPv6), repeatable
 *   -L IFNAME    listen interface, repeatable
 *   -w IFNAME    wan interface
 *   -s IFNAME    session interface ("ppp*" for a prefix), repeatable
 *   -p A-B       pool range
 *   -m MTU       tunnel MTU (default 1400)
 *   -n           nat yes          -c  clamp-mss yes
 *   -C           require-ipsec no (cleartext L2TP accepted)
 *   -R           end the batch with a rule the kernel refuses
 */

static void
usage(void)
{
	fprintf(stderr, "usage: netcfg_try [-CcnR] [-l addr] [-L if] "
	    "[-m mtu] [-p a-b] [-s if] [-w if]\n"
	    "\tinstall | remove | present | monitor | sysctl\n");
	exit(2);
}

static void
parse_pool(struct nft_params *p, char *arg)
{
	char	*dash;

	if ((dash = strchr(arg, '-')) == NULL)
		usage();
	*dash++ = '\0';
	if (inet_pton(AF_INET, arg, &p->np_pool_start) != 1 ||
	    inet_pton(AF_INET, dash, &p->np_pool_end) != 1)
		usage();
}

static void
add_listen(struct nft_params *p, const char *arg, int iface)
{
	struct nft_listen	*l;

	if (p->np_nlisten >= NFT_MAX_LISTEN)
		usage();
	l = &p->np_listen[p->np_nlisten++];
	memset(l, 0, sizeof(*l));
	if (iface) {
		l->nl_family = AF_UNSPEC;
		/* Too long on purpose is allowed: nft_install() must say no. */
		snprintf(l->nl_iface, sizeof(l->nl_iface), "%s", arg);
		if (strlen(arg) >= sizeof(l->nl_iface))
			memcpy(l->nl_iface, arg, sizeof(l->nl_iface));
	} else if (inet_pton(AF_INET, arg, &l->nl_addr4) == 1)
		l->nl_family = AF_INET;
	else if (inet_pton(AF_INET6, arg, &l->nl_addr6) == 1)
		l->nl_family = AF_INET6;
	else
		usage();
}

/* Copy an interface name; an over-long one is kept unterminated. */
static void
set_ifname(char *dst, const char *src)
{
	if (strlen(src) >= IF_NAMESIZE)
		memcpy(dst, src, IF_NAMESIZE);
	else
		snprintf(dst, IF_NAMESIZE, "%s", src);
}

static int
stop_signals(void)
{
	sigset_t	 ss;

	sigemptyset(&ss);
	sigaddset(&ss, SIGTERM);
	sigaddset(&ss, SIGINT);
	if (sigprocmask(SIG_BLOCK, &ss, NULL) == -1)
		return (-1);
	return (signalfd(-1, &ss, SFD_CLOEXEC));
}

static int
run_monitor(const struct nft_params *p)
{
	struct pollfd	 pfd[2];
	int		 sfd, rv;

	if ((sfd = stop_signals()) == -1 || nft_monitor_open() == -1)
		return (1);
	if (nft_install(p) == -1)
		return (1);
	printf("ready\n");
	fflush(stdout);
	for (;;) {
		pfd[0].fd = nft_monitor_fd();
		pfd[0].events = POLLIN;
		pfd[1].fd = sfd;
		pfd[1].events = POLLIN;
		if (poll(pfd, 2, -1) == -1) {
			if (errno == EINTR)
				continue;
			log_warn("poll");
			return (1);
		}
		if (pfd[1].revents & POLLIN)
			break;
		if (!(pfd[0].revents & POLLIN))
			continue;
		if ((rv = nft_monitor_read()) == -1)
			return (1);
		if (rv == 1) {
			if (nft_install(p) == -1)
				return (1);
			printf("restored\n");
			fflush(stdout);
		}
	}
	nft_monitor_close();
	if (nft_remove() == -1)
		return (1);
	printf("removed\n");
	fflush(stdout);
	return (0);
}

static int
run_sysctl(void)
{
	struct signalfd_siginfo	 si;
	size_t			 i;
	int			 sfd, rv;

	if ((sfd = stop_signals()) == -1)
		return (1);
	rv = sysctl_apply();
	printf("%s\n", rv == 0 ? "applied" : "applied-with-errors");
	for (i = 0; i < sysctl_count(); i++)
		printf("%s=%s saved=%s\n", sysctl_key(i), sysctl_value(i),
		    sysctl_saved(i) != NULL ? sysctl_saved(i) : "-");
	fflush(stdout);
	while (read(sfd, &si, sizeof(si)) == -1 && errno == EINTR)
		;
	sysctl_restore();
	sysctl_restore();
	printf("restored\n");
	fflush(stdout);
	return (0);
}

int
main(int argc, char *argv[])
{
	struct nft_params	 p;
	const char		*cmd;
	int			 ch, r;

	log_init("netcfg_try", 1, 1);
	memset(&p, 0, sizeof(p));
	p.np_mtu = 1400;
	p.np_require_ipsec = 1;
	while ((ch = getopt(argc, argv, "CcL:l:m:np:Rs:w:")) != -1) {
		switch (ch) {
		case 'C':
			p.np_require_ipsec = 0;
			break;
		case 'c':
			p.np_clamp_mss = 1;
			break;
		case 'L':
			add_listen(&p, optarg, 1);
			break;
		case 'l':
			add_listen(&p, optarg, 0);
			break;
		case 'm':
			p.np_mtu = (unsigned int)strtoul(optarg, NULL, 10);
			break;
		case 'n':
			p.np_nat = 1;
			break;
		case 'p':
			parse_pool(&p, optarg);
			break;
		case 'R':
			p.np_test_reject = 1;
			break;
		case 's':
			if (p.np_nsession_if >= NFT_MAX_SESSION_IF)
				usage();
			set_ifname(p.np_session_if[p.np_nsession_if++], optarg);
			break;
		case 'w':
			set_ifname(p.np_wan, optarg);
			break;
		default:
			usage();
		}
	}
	if (optind != argc - 1)
		usage();
	cmd = argv[optind];
	if (strcmp(cmd, "install") == 0)
		return (nft_install(&p) == 0 ? 0 : 1);
	if (strcmp(cmd, "remove") == 0)
		return (nft_remove() == 0 ? 0 : 1);
	if (strcmp(cmd, "present") == 0) {
		r = nft_present();
		printf("%s\n", r == 1 ? "present" : r == 0 ? "absent" :
		    "error");
		return (r == 1 ? 0 : r == 0 ? 1 : 2);
	}
	if (strcmp(cmd, "monitor") == 0)
		return (run_monitor(&p));
	if (strcmp(cmd, "sysctl") == 0)
		return (run_sysctl());
	usage();
	return (2);
}
