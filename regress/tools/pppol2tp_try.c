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


#include <net/if.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/log.h"
#include "netcfg/pppol2tp.h"

/*
 * pppol2tp_try: drives netcfg/pppol2tp.c for the VM test
 * (regress/vm/scenarios/kernel-pppol2tp.sh), one tunnel and one session
 * at a time, holding the descriptors as the parent would.  It prints
 * "ready PID", then reads one command per line from stdin and answers
 * each with one line, "ok [...]" or "fail REASON".  End of input or
 * `quit` destroys what is left and exits; SIGKILL leaves the cleanup to
 * the kernel, which is one of the things tested.
 *
 *   available                          pppol2tp_available()
 *   tunnel LOCAL PEER PORT TID PTID    pppol2tp_tunnel_create()
 *   udp LOCAL PEER PORT                pppol2tp_tunnel_socket()
 *   attach TID PTID                    pppol2tp_tunnel_attach()
 *   session SID PSID MTU MRU [lns] [seq]  pppol2tp_session_create():
 *	"ok IFNAME IFINDEX UNIT CHANNEL"
 *   mtu MTU MRU | ifup LOCAL PEER | pass | drop | stats
 *   session-del | tunnel-del
 *   ctrl-send HEX | chan-send HEX | unit-send HEX
 *	write HEX to the tunnel's UDP socket, the channel fd, the unit fd
 *   ctrl-recv MS | chan-recv MS | unit-recv MS
 *	read one datagram or frame within MS ms: "ok HEX", else "fail"
 *   spoof SRC DST                      an ICMP echo request SRC -> DST
 *	as a PPP frame (protocol 0x0021) on the unit fd
 *   listen ADDR PORT [reuseaddr] [reuseport]   a listening UDP socket
 *   listen-recv MS                     "ok ADDR:PORT HEX"
 *   udp-send LADDR LPORT RADDR RPORT HEX   from a socket of its own
 *	(SO_REUSEADDR), bound to LADDR:LPORT
 *   hold                               fork a child that keeps copies
 *	of every descriptor (as the l2tp and ppp children do): "ok PID"
 *   hold-udp                           the same with the UDP socket only
 *   fds                                open descriptors: "ok N"
 *   quit
 */

#define LINE_MAX_	4096
#define PKT_MAX		65536

static struct pppol2tp_tunnel	 tun = { .tu_udp = -1, .tu_mgmt = -1 };
static struct pppol2tp_session	 ses = { .ps_sock = -1, .ps_chan = -1,
				    .ps_unit = -1 };
static int			 listen_fd = -1;

static void __attribute__((format(printf, 1, 2)))
reply(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

static int
get_in(const char *s, struct in_addr *a)
{
	return (s != NULL && inet_pton(AF_INET, s, a) == 1 ? 0 : -1);
}

static int
get_num(const char *s, unsigned long max, unsigned long *v)
{
	char	*end;

	if (s == NULL)
		return (-1);
	errno = 0;
	*v = strtoul(s, &end, 0);
	return (errno || *end != '\0' || *v > max ? -1 : 0);
}

static ssize_t
unhex(const char *s, uint8_t *buf, size_t sz)
{
	size_t		 n = 0;
	unsigned int	 b;

	if (s == NULL)
		return (-1);
	while (*s != '\0') {
		if (n == sz || sscanf(s, "%2x", &b) != 1 || s[1] == '\0')
			return (-1);
		buf[n++] = (uint8_t)b;
		s += 2;
	}
	return ((ssize_t)n);
}

static void
hexout(const char *pfx, const uint8_t *buf, size_t n)
{
	size_t	 i;

	printf("%s", pfx);
	for (i = 0; i < n; i++)
		printf("%02x", buf[i]);
	putchar('\n');
	fflush(stdout);
}

static void
do_send(int fd, const char *hex)
{
	uint8_t	 buf[PKT_MAX];
	ssize_t	 n;

	if (fd == -1) {
		reply("fail no such descriptor");
		return;
	}
	if ((n = unhex(hex, buf, sizeof(buf))) <= 0) {
		reply("fail bad hex");
		return;
	}
	if (write(fd, buf, (size_t)n) != n)
		reply("fail write: %s", strerror(errno));
	else
		reply("ok %zd", n);
}

static void
do_recv(int fd, const char *ms_s, int with_from)
{
	struct sockaddr_in	 from;
	socklen_t		 fromlen = sizeof(from);
	struct pollfd		 pfd;
	uint8_t			 buf[PKT_MAX];
	char			 a[INET_ADDRSTRLEN], pfx[64];
	unsigned long		 ms;
	ssize_t			 n;

	if (fd == -1 || get_num(ms_s, 600000, &ms) == -1) {
		reply("fail no such descriptor or bad timeout");
		return;
	}
	pfd.fd = fd;
	pfd.events = POLLIN;
	if (poll(&pfd, 1, (int)ms) <= 0) {
		reply("fail nothing within %lu ms", ms);
		return;
	}
	if (with_from)
		n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from,
		    &fromlen);
	else
		n = read(fd, buf, sizeof(buf));
	if (n < 0) {
		reply("fail read: %s", strerror(errno));
		return;
	}
	if (with_from) {
		snprintf(pfx, sizeof(pfx), "ok %s:%u ",
		    inet_ntop(AF_INET, &from.sin_addr, a, sizeof(a)) ? a : "?",
		    ntohs(from.sin_port));
		hexout(pfx, buf, (size_t)n);
	} else
		hexout("ok ", buf, (size_t)n);
}

static uint16_t
cksum(const uint8_t *p, size_t n)
{
	uint32_t	 sum = 0;

	for (; n > 1; p += 2, n -= 2)
		sum += (uint32_t)(p[0] << 8 | p[1]);
	if (n)
		sum += (uint32_t)(p[0] << 8);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return ((uint16_t)~sum);
}

/* PPP protocol 0x0021 + IPv4 + ICMP echo request, written to the unit. */
static void
do_spoof(const char *src_s, const char *dst_s)
{
	struct in_addr	 src, dst;
	uint8_t		 f[2 + 20 + 8 + 16];
	uint8_t		*ip = f + 2, *icmp = f + 22;
	uint16_t	 c;

	if (get_in(src_s, &src) == -1 || get_in(dst_s, &dst) == -1) {
		reply("fail usage: spoof SRC DST");
		return;
	}
	memset(f, 0, sizeof(f));
	f[0] = 0x00;
	f[1] = 0x21;
	ip[0] = 0x45;
	ip[3] = sizeof(f) - 2;		/* total length */
	ip[4] = 0x12;			/* id */
	ip[8] = 64;			/* ttl */
	ip[9] = IPPROTO_ICMP;
	memcpy(ip + 12, &src, 4);
	memcpy(ip + 16, &dst, 4);
	c = cksum(ip, 20);
	ip[10] = (uint8_t)(c >> 8);
	ip[11] = (uint8_t)c;
	icmp[0] = 8;			/* echo request */
	icmp[4] = 0x77;			/* identifier */
	icmp[7] = 1;			/* sequence */
	memcpy(icmp + 8, "l2tpsecd-spoof!!", 16);
	c = cksum(icmp, 8 + 16);
	icmp[2] = (uint8_t)(c >> 8);
	icmp[3] = (uint8_t)c;
	if (ses.ps_unit == -1)
		reply("fail no unit");
	else if (write(ses.ps_unit, f, sizeof(f)) != (ssize_t)sizeof(f))
		reply("fail write: %s", strerror(errno));
	else
		reply("ok");
}

static void
do_listen(char **av, int ac)
{
	struct sockaddr_in	 sin;
	int			 i, on = 1;
	unsigned long		 port;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	if (ac < 3 || get_in(av[1], &sin.sin_addr) == -1 ||
	    get_num(av[2], 65535, &port) == -1) {
		reply("fail usage: listen ADDR PORT [reuseaddr] [reuseport]");
		return;
	}
	sin.sin_port = htons((uint16_t)port);
	if (listen_fd != -1)
		close(listen_fd);
	if ((listen_fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC |
	    SOCK_NONBLOCK, 0)) == -1) {
		reply("fail socket: %s", strerror(errno));
		return;
	}
	for (i = 3; i < ac; i++) {
		if ((strcmp(av[i], "reuseaddr") == 0 &&
		    setsockopt(listen_fd, SOL_SOCKET, SO_REUSEADDR, &on,
		    sizeof(on)) == -1) ||
		    (strcmp(av[i], "reuseport") == 0 &&
		    setsockopt(listen_fd, SOL_SOCKET, SO_REUSEPORT, &on,
		    sizeof(on)) == -1)) {
			reply("fail %s: %s", av[i], strerror(errno));
			return;
		}
	}
	if (bind(listen_fd, (struct sockaddr *)&sin, sizeof(sin)) == -1) {
		reply("fail bind: %s", strerror(errno));
		close(listen_fd);
		listen_fd = -1;
		return;
	}
	reply("ok");
}

static void
do_udp_send(char **av, int ac)
{
	struct sockaddr_in	 l, r;
	unsigned long		 lp, rp;
	uint8_t			 buf[PKT_MAX];
	ssize_t			 n;
	int			 fd, on = 1;

	memset(&l, 0, sizeof(l));
	memset(&r, 0, sizeof(r));
	l.sin_family = r.sin_family = AF_INET;
	if (ac != 6 || get_in(av[1], &l.sin_addr) == -1 ||
	    get_num(av[2], 65535, &lp) == -1 ||
	    get_in(av[3], &r.sin_addr) == -1 ||
	    get_num(av[4], 65535, &rp) == -1 ||
	    (n = unhex(av[5], buf, sizeof(buf))) <= 0) {
		reply("fail usage: udp-send LADDR LPORT RADDR RPORT HEX");
		return;
	}
	l.sin_port = htons((uint16_t)lp);
	r.sin_port = htons((uint16_t)rp);
	if ((fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)) == -1) {
		reply("fail socket: %s", strerror(errno));
		return;
	}
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) == -1 ||
	    bind(fd, (struct sockaddr *)&l, sizeof(l)) == -1)
		reply("fail bind: %s", strerror(errno));
	else if (sendto(fd, buf, (size_t)n, 0, (struct sockaddr *)&r,
	    sizeof(r)) != n)
		reply("fail sendto: %s", strerror(errno));
	else
		reply("ok");
	close(fd);
}

static int
count_fds(void)
{
	DIR		*d;
	struct dirent	*de;
	int		 n = 0;

	if ((d = opendir("/proc/self/fd")) == NULL)
		return (-1);
	while ((de = readdir(d)) != NULL)
		if (de->d_name[0] != '.')
			n++;
	closedir(d);
	return (n - 1);		/* the directory's own */
}

static void
do_hold(int udp_only)
{
	pid_t	 pid;

	fflush(stdout);
	switch (pid = fork()) {
	case -1:
		reply("fail fork: %s", strerror(errno));
		return;
	case 0:
		/* Copies of everything, like a child handed the fds. */
		close(STDIN_FILENO);
		if (udp_only) {
			/* The l2tp child's share: the UDP socket alone. */
			if (tun.tu_mgmt != -1)
				close(tun.tu_mgmt);
			if (ses.ps_sock != -1)
				close(ses.ps_sock);
			if (ses.ps_chan != -1)
				close(ses.ps_chan);
			if (ses.ps_unit != -1)
				close(ses.ps_unit);
		}
		for (;;)
			pause();
	default:
		reply("ok %ld", (long)pid);
	}
}

static void
do_stats(void)
{
	struct pppol2tp_stats	 st;

	if (ses.ps_sock == -1 || pppol2tp_session_stats(&ses, &st) == -1)
		reply("fail %s", ses.ps_sock == -1 ? "no session" : ses.ps_err);
	else
		reply("ok tx_packets %llu tx_bytes %llu rx_packets %llu "
		    "rx_bytes %llu rx_errors %llu",
		    (unsigned long long)st.st_tx_packets,
		    (unsigned long long)st.st_tx_bytes,
		    (unsigned long long)st.st_rx_packets,
		    (unsigned long long)st.st_rx_bytes,
		    (unsigned long long)st.st_rx_errors);
}

static void
do_tunnel(char **av, int ac)
{
	struct sockaddr_in	 l, p;
	unsigned long		 port, tid, ptid;

	memset(&l, 0, sizeof(l));
	memset(&p, 0, sizeof(p));
	l.sin_family = p.sin_family = AF_INET;
	if (ac != 6 || get_in(av[1], &l.sin_addr) == -1 ||
	    get_in(av[2], &p.sin_addr) == -1 ||
	    get_num(av[3], 65535, &port) == -1 ||
	    get_num(av[4], 65535, &tid) == -1 ||
	    get_num(av[5], 65535, &ptid) == -1) {
		reply("fail usage: tunnel LOCAL PEER PORT TID PEER_TID");
		return;
	}
	if (tun.tu_udp != -1) {
		reply("fail a tunnel exists");
		return;
	}
	p.sin_port = htons((uint16_t)port);
	if (pppol2tp_tunnel_create(&tun, &l, &p, (uint16_t)tid,
	    (uint16_t)ptid) == -1)
		reply("fail %s", tun.tu_err);
	else
		reply("ok udp %d mgmt %d", tun.tu_udp, tun.tu_mgmt);
}

static void
do_udp(char **av, int ac)
{
	struct sockaddr_in	 l, p;
	unsigned long		 port;

	memset(&l, 0, sizeof(l));
	memset(&p, 0, sizeof(p));
	l.sin_family = p.sin_family = AF_INET;
	if (ac != 4 || get_in(av[1], &l.sin_addr) == -1 ||
	    get_in(av[2], &p.sin_addr) == -1 ||
	    get_num(av[3], 65535, &port) == -1) {
		reply("fail usage: udp LOCAL PEER PORT");
		return;
	}
	if (tun.tu_udp != -1) {
		reply("fail a tunnel exists");
		return;
	}
	p.sin_port = htons((uint16_t)port);
	if (pppol2tp_tunnel_socket(&tun, &l, &p) == -1)
		reply("fail %s", tun.tu_err);
	else
		reply("ok udp %d", tun.tu_udp);
}

static void
do_attach(char **av, int ac)
{
	unsigned long	 tid, ptid;

	if (ac != 3 || get_num(av[1], 65535, &tid) == -1 ||
	    get_num(av[2], 65535, &ptid) == -1)
		reply("fail usage: attach TID PEER_TID");
	else if (pppol2tp_tunnel_attach(&tun, (uint16_t)tid,
	    (uint16_t)ptid) == -1)
		reply("fail %s", tun.tu_err);
	else
		reply("ok mgmt %d", tun.tu_mgmt);
}

static void
do_session(char **av, int ac)
{
	unsigned long	 sid, psid, mtu, mru;
	int		 i, flags = 0;

	if (ac < 5 || get_num(av[1], 65535, &sid) == -1 ||
	    get_num(av[2], 65535, &psid) == -1 ||
	    get_num(av[3], 65535, &mtu) == -1 ||
	    get_num(av[4], 65535, &mru) == -1) {
		reply("fail usage: session SID PEER_SID MTU MRU [lns] [seq]");
		return;
	}
	for (i = 5; i < ac; i++)
		if (strcmp(av[i], "lns") == 0)
			flags |= PPPOL2TP_LNS;
		else if (strcmp(av[i], "seq") == 0)
			flags |= PPPOL2TP_SEQ;
	if (ses.ps_sock != -1) {
		reply("fail a session exists");
		return;
	}
	if (pppol2tp_session_create(&ses, &tun, (uint16_t)sid,
	    (uint16_t)psid, (unsigned int)mtu, (unsigned int)mru,
	    flags) == -1)
		reply("fail %s", ses.ps_err);
	else
		reply("ok %s %u %d %d", ses.ps_ifname, ses.ps_ifindex,
		    ses.ps_unitno, ses.ps_chindex);
}

static void
done(int rv, const char *err)
{
	if (rv == -1)
		reply("fail %s", err);
	else
		reply("ok");
}

static int
command(char *line)
{
	char		*av[16], *p, err[256];
	int		 ac = 0;
	unsigned long	 a, b;
	struct in_addr	 l, r;

	for (p = strtok(line, " \t\r\n"); p != NULL && ac < 15;
	    p = strtok(NULL, " \t\r\n"))
		av[ac++] = p;
	av[ac] = NULL;
	if (ac == 0)
		return (0);
	if (strcmp(av[0], "quit") == 0)
		return (1);
	if (strcmp(av[0], "available") == 0)
		done(pppol2tp_available(err, sizeof(err)) ? 0 : -1, err);
	else if (strcmp(av[0], "tunnel") == 0)
		do_tunnel(av, ac);
	else if (strcmp(av[0], "udp") == 0)
		do_udp(av, ac);
	else if (strcmp(av[0], "attach") == 0)
		do_attach(av, ac);
	else if (strcmp(av[0], "session") == 0)
		do_session(av, ac);
	else if (strcmp(av[0], "mtu") == 0) {
		if (ac != 3 || get_num(av[1], 65535, &a) == -1 ||
		    get_num(av[2], 65535, &b) == -1)
			reply("fail usage: mtu MTU MRU");
		else
			done(pppol2tp_session_set_mtu(&ses, (unsigned int)a,
			    (unsigned int)b), ses.ps_err);
	} else if (strcmp(av[0], "ifup") == 0) {
		if (ac != 3 || get_in(av[1], &l) == -1 ||
		    get_in(av[2], &r) == -1)
			reply("fail usage: ifup LOCAL PEER");
		else
			done(pppol2tp_session_ifup(&ses, l, r), ses.ps_err);
	} else if (strcmp(av[0], "pass") == 0)
		done(pppol2tp_session_ip_pass(&ses, 1), ses.ps_err);
	else if (strcmp(av[0], "drop") == 0)
		done(pppol2tp_session_ip_pass(&ses, 0), ses.ps_err);
	else if (strcmp(av[0], "stats") == 0)
		do_stats();
	else if (strcmp(av[0], "session-del") == 0)
		done(pppol2tp_session_destroy(&ses), ses.ps_err);
	else if (strcmp(av[0], "tunnel-del") == 0) {
		pppol2tp_tunnel_destroy(&tun);
		reply("ok");
	} else if (strcmp(av[0], "ctrl-send") == 0)
		do_send(tun.tu_udp, av[1]);
	else if (strcmp(av[0], "chan-send") == 0)
		do_send(ses.ps_chan, av[1]);
	else if (strcmp(av[0], "unit-send") == 0)
		do_send(ses.ps_unit, av[1]);
	else if (strcmp(av[0], "ctrl-recv") == 0)
		do_recv(tun.tu_udp, av[1], 1);
	else if (strcmp(av[0], "chan-recv") == 0)
		do_recv(ses.ps_chan, av[1], 0);
	else if (strcmp(av[0], "unit-recv") == 0)
		do_recv(ses.ps_unit, av[1], 0);
	else if (strcmp(av[0], "spoof") == 0)
		do_spoof(av[1], ac > 2 ? av[2] : NULL);
	else if (strcmp(av[0], "listen") == 0)
		do_listen(av, ac);
	else if (strcmp(av[0], "listen-recv") == 0)
		do_recv(listen_fd, av[1], 1);
	else if (strcmp(av[0], "udp-send") == 0)
		do_udp_send(av, ac);
	else if (strcmp(av[0], "hold") == 0)
		do_hold(0);
	else if (strcmp(av[0], "hold-udp") == 0)
		do_hold(1);
	else if (strcmp(av[0], "fds") == 0)
		reply("ok %d", count_fds());
	else
		reply("fail unknown command %s", av[0]);
	return (0);
}

int
main(int argc, char *argv[])
{
	char	 line[LINE_MAX_];

	(void)argv;
	if (argc != 1) {
		fprintf(stderr, "usage: pppol2tp_try <commands\n");
		return (2);
	}
	log_init("pppol2tp_try", 1, 2);
	signal(SIGPIPE, SIG_IGN);
	reply("ready %ld", (long)getpid());
	while (fgets(line, sizeof(line), stdin) != NULL)
		if (command(line))
			break;
	if (pppol2tp_session_destroy(&ses) == -1)
		fprintf(stderr, "%s\n", ses.ps_err);
	pppol2tp_tunnel_destroy(&tun);
	if (listen_fd != -1)
		close(listen_fd);
	reply("bye");
	return (0);
}
