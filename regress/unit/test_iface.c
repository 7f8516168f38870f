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


#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <linux/if_tun.h>

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/log.h"
#include "netcfg/iface.h"
#include "test.h"

T_DEFINE_GLOBALS;

/*
 * netcfg/iface.c: TUN devices, addresses and routes.  Everything runs in
 * a network namespace of our own (unshare), so the host's interfaces
 * and routes are never touched; without root it is all skipped.  What
 * the kernel did is read back with ip(8), independently of the code
 * under test.
 *
 * The stand-in for the physical network: a veth pair, wan0
 * 192.168.77.1/24 (its peer up in the same namespace), gateways
 * 192.168.77.254 and .253 on it, and 203.0.113.5 as the VPN server.
 */

#define WAN		"wan0"
#define GW		"192.168.77.254"
#define GW2		"192.168.77.253"
#define SERVER		"203.0.113.5"

static int	 have_netns;
static int	 have_tun;
static char	 last_warn[LOG_LINE_MAX];
static char	 logbuf[16384];

static void
capture(int pri, const char *line)
{
	size_t	 len = strlen(logbuf);

	if (pri <= LOG_WARNING)
		snprintf(last_warn, sizeof(last_warn), "%s", line);
	snprintf(logbuf + len, sizeof(logbuf) - len, "%s\n", line);
	fprintf(stderr, "# %s\n", line);
}

static void
log_reset(void)
{
	logbuf[0] = '\0';
	last_warn[0] = '\0';
}

static struct in_addr
A(const char *s)
{
	struct in_addr	 a;

	if (inet_pton(AF_INET, s, &a) != 1)
		a.s_addr = INADDR_NONE;
	return (a);
}

/* Run a shell command, output to our stderr; its exit status. */
static int
sh(const char *cmd)
{
	int	 st;

	st = system(cmd);
	return (WIFEXITED(st) ? WEXITSTATUS(st) : -1);
}

/* A command's whole output into buf; 0 or -1. */
static int
out(const char *cmd, char *buf, size_t sz)
{
	FILE	*fp;
	size_t	 n;

	buf[0] = '\0';
	if ((fp = popen(cmd, "r")) == NULL)
		return (-1);
	n = fread(buf, 1, sz - 1, fp);
	buf[n] = '\0';
	return (pclose(fp) == 0 ? 0 : -1);
}

/* 1 if the output of cmd contains s. */
static int
has(const char *cmd, const char *s)
{
	char	 buf[8192];

	if (out(cmd, buf, sizeof(buf)) == -1)
		return (0);
	if (strstr(buf, s) != NULL)
		return (1);
	printf("# `%s` has no \"%s\":\n%s", cmd, s, buf);
	return (0);
}

/* 1 if the output of cmd does not contain s. */
static int
lacks(const char *cmd, const char *s)
{
	char	 buf[8192];

	if (out(cmd, buf, sizeof(buf)) == -1)
		return (0);
	if (strstr(buf, s) == NULL)
		return (1);
	printf("# `%s` should have no \"%s\":\n%s", cmd, s, buf);
	return (0);
}

static void
table(char *buf, size_t sz)
{
	if (out("ip -4 route show table main", buf, sz) == -1)
		snprintf(buf, sz, "(ip route failed)");
}

/* Remove the lines of buf that contain s; how many there were. */
static int
strip_line(char *buf, const char *s)
{
	char	*p, *eol;
	int	 n = 0;

	while ((p = strstr(buf, s)) != NULL) {
		while (p > buf && p[-1] != '\n')
			p--;
		eol = strchr(p, '\n');
		eol = eol ? eol + 1 : p + strlen(p);
		memmove(p, eol, strlen(eol) + 1);
		n++;
	}
	return (n);
}

static int
same_table(const char *before)
{
	char	 now[8192];

	table(now, sizeof(now));
	if (strcmp(now, before) == 0)
		return (1);
	printf("# routing table changed; before:\n%s# now:\n%s", before, now);
	return (0);
}

static int
if_mtu(const char *name)
{
	struct ifreq	 ifr;
	int		 s, rv = -1;

	if ((s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)) == -1)
		return (-1);
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	if (ioctl(s, SIOCGIFMTU, &ifr) == 0)
		rv = ifr.ifr_mtu;
	close(s);
	return (rv);
}

static int
if_flags(const char *name)
{
	struct ifreq	 ifr;
	int		 s, rv = -1;

	if ((s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)) == -1)
		return (-1);
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	if (ioctl(s, SIOCGIFFLAGS, &ifr) == 0)
		rv = ifr.ifr_flags & 0xffff;
	close(s);
	return (rv);
}

static int
count_tuns(void)
{
	char	 buf[8192], *p;
	int	 n = 0;

	if (out("ip -o link show", buf, sizeof(buf)) == -1)
		return (-1);
	for (p = buf; (p = strstr(p, ": l2tpsec")) != NULL; p++)
		n++;
	return (n);
}

/* The stand-in physical network; called once. */
static int
setup_wan(void)
{
	return (sh("ip link set lo up && "
	    "ip link add " WAN " type veth peer name wanpeer && "
	    "ip addr add 192.168.77.1/24 dev " WAN " && "
	    "ip link set wanpeer up && ip link set " WAN " up"));
}

static void
test_tun_create(void)
{
	struct ifreq	 ifr;
	char		 name[IF_NAMESIZE], name2[IF_NAMESIZE];
	char		 cmd[128];
	int		 fd, fd2;

	if (!have_netns || !have_tun)
		T_SKIP("needs root, a network namespace and /dev/net/tun");
	log_reset();
	fd = iface_tun_create("l2tpsec%d", 1400, name, sizeof(name));
	T_ASSERT_RET(fd >= 0);
	T_ASSERT(strcmp(name, "l2tpsec0") == 0);
	T_ASSERT(if_mtu(name) == 1400);
	T_ASSERT((if_flags(name) & IFF_UP) != 0);
	T_ASSERT((fcntl(fd, F_GETFL) & O_NONBLOCK) != 0);
	T_ASSERT((fcntl(fd, F_GETFD) & FD_CLOEXEC) != 0);
	memset(&ifr, 0, sizeof(ifr));
	T_ASSERT(ioctl(fd, TUNGETIFF, &ifr) == 0);
	T_ASSERT((ifr.ifr_flags & (IFF_TUN | IFF_NO_PI)) ==
	    (IFF_TUN | IFF_NO_PI));
	T_ASSERT((ifr.ifr_flags & IFF_PERSIST) == 0);
	/* No IPv6 link-local: nothing IPv6 goes into the tunnel. */
	snprintf(cmd, sizeof(cmd), "ip -6 addr show dev %s", name);
	T_ASSERT(lacks(cmd, "inet6"));
	T_ASSERT(strstr(logbuf, "TUN l2tpsec0 created, MTU 1400") != NULL);

	/* A second one gets the next name. */
	fd2 = iface_tun_create("l2tpsec%d", 1280, name2, sizeof(name2));
	T_ASSERT(fd2 >= 0);
	T_ASSERT(strcmp(name2, "l2tpsec1") == 0);
	T_ASSERT(if_mtu(name2) == 1280);
	T_ASSERT(count_tuns() == 2);

	/* Closing the descriptor is removing the interface. */
	close(fd);
	T_ASSERT(if_nametoindex(name) == 0);
	T_ASSERT(iface_tun_destroy(fd2, name2) == 0);
	T_ASSERT(if_nametoindex(name2) == 0);
	T_ASSERT(count_tuns() == 0);
}

static void
test_tun_errors(void)
{
	char	 name[IF_NAMESIZE];

	if (!have_netns || !have_tun)
		T_SKIP("needs root, a network namespace and /dev/net/tun");
	/* An MTU the kernel refuses: logged with the name, nothing left. */
	log_reset();
	T_ASSERT(iface_tun_create("l2tpsec%d", 20, name, sizeof(name)) ==
	    -1);
	T_ASSERT(errno == EINVAL);
	T_ASSERT(strstr(last_warn, "cannot set TUN l2tpsec0 up with MTU 20: "
	    "Invalid argument") != NULL);
	T_ASSERT(name[0] == '\0');
	T_ASSERT(count_tuns() == 0);

	log_reset();
	T_ASSERT(iface_tun_create("l2tpsec-much-too-long%d", 1400, name,
	    sizeof(name)) == -1);
	T_ASSERT(errno == EINVAL);
	T_ASSERT(strstr(last_warn, "bad name pattern") != NULL);
	T_ASSERT(iface_tun_create("l2tpsec%d", 1400, name, 4) == -1);

	/* Someone's persistent TUN of that name: not ours to take. */
	T_ASSERT_RET(sh("ip tuntap add l2tpsecp mode tun") == 0);
	log_reset();
	T_ASSERT(iface_tun_create("l2tpsecp", 1400, name, sizeof(name)) ==
	    -1);
	T_ASSERT(errno == EEXIST);
	T_ASSERT(strstr(last_warn, "TUN l2tpsecp: a persistent TUN") !=
	    NULL);
	T_ASSERT(if_nametoindex("l2tpsecp") != 0);
	T_ASSERT(sh("ip link del l2tpsecp") == 0);
	/* A name taken by another kind of interface. */
	log_reset();
	T_ASSERT(iface_tun_create(WAN, 1400, name, sizeof(name)) == -1);
	T_ASSERT(strstr(last_warn, "cannot create TUN " WAN) != NULL);
	T_ASSERT(if_nametoindex(WAN) != 0);
}

static void
test_tun_destroy_shared(void)
{
	char	 name[IF_NAMESIZE];
	int	 fd, child;

	if (!have_netns || !have_tun)
		T_SKIP("needs root, a network namespace and /dev/net/tun");
	fd = iface_tun_create("l2tpsec%d", 1400, name, sizeof(name));
	T_ASSERT_RET(fd >= 0);
	/* The datapath child's copy, which the parent cannot close. */
	child = dup(fd);
	T_ASSERT(iface_tun_destroy(fd, name) == 0);
	T_ASSERT(if_nametoindex(name) == 0);
	T_ASSERT(count_tuns() == 0);
	close(child);
	/* Already gone, no descriptor: nothing to do, no error. */
	T_ASSERT(iface_tun_destroy(-1, name) == 0);
}

static void
test_addr(void)
{
	char	 name[IF_NAMESIZE], cmd[128], want[128];
	int	 fd;

	if (!have_netns || !have_tun)
		T_SKIP("needs root, a network namespace and /dev/net/tun");
	fd = iface_tun_create("l2tpsec%d", 1400, name, sizeof(name));
	T_ASSERT_RET(fd >= 0);
	snprintf(cmd, sizeof(cmd), "ip -4 -o addr show dev %s", name);

	/* Client: point-to-point, with the kernel's route to the peer. */
	T_ASSERT(iface_addr_add(name, A("10.9.0.2"), A("10.9.0.1")) == 0);
	T_ASSERT(has(cmd, "inet 10.9.0.2 peer 10.9.0.1/32"));
	snprintf(want, sizeof(want), "10.9.0.1 dev %s proto kernel scope "
	    "link src 10.9.0.2", name);
	T_ASSERT(has("ip -4 route show table main", want));
	log_reset();
	T_ASSERT(iface_addr_add(name, A("10.9.0.2"), A("10.9.0.1")) == -1);
	T_ASSERT(errno == EEXIST);
	T_ASSERT(strstr(last_warn, "cannot add address 10.9.0.2 peer "
	    "10.9.0.1/32 to l2tpsec0: File exists") != NULL);
	T_ASSERT(iface_addr_del(name, A("10.9.0.2"), A("10.9.0.1")) == 0);
	T_ASSERT(lacks(cmd, "10.9.0.2"));
	T_ASSERT(lacks("ip -4 route show table main", name));
	log_reset();
	T_ASSERT(iface_addr_del(name, A("10.9.0.2"), A("10.9.0.1")) == -1);
	T_ASSERT(errno == EADDRNOTAVAIL);
	T_ASSERT(strstr(last_warn, "cannot delete address 10.9.0.2 peer "
	    "10.9.0.1/32 from l2tpsec0") != NULL);

	/* Server: local/32, no route of its own. */
	T_ASSERT(iface_addr_add_local(name, A("10.2.0.1")) == 0);
	T_ASSERT(has(cmd, "inet 10.2.0.1/32 scope global"));
	T_ASSERT(lacks("ip -4 route show table main", name));
	T_ASSERT(iface_addr_del_local(name, A("10.2.0.1")) == 0);
	T_ASSERT(lacks(cmd, "10.2.0.1"));

	log_reset();
	T_ASSERT(iface_addr_add_local("nosuch0", A("10.2.0.1")) == -1);
	T_ASSERT(errno == ENODEV);
	T_ASSERT(strstr(last_warn, "cannot add address 10.2.0.1/32 to "
	    "nosuch0: no interface nosuch0: No such device") != NULL);
	T_ASSERT(iface_tun_destroy(fd, name) == 0);
}

static void
test_route_host(void)
{
	char	 name[IF_NAMESIZE], dev[IF_NAMESIZE], want[128], cmd[128];
	struct in_addr gw;
	int	 fd, has_gw;

	if (!have_netns || !have_tun)
		T_SKIP("needs root, a network namespace and /dev/net/tun");
	fd = iface_tun_create("l2tpsec%d", 1400, name, sizeof(name));
	T_ASSERT_RET(fd >= 0);
	T_ASSERT(iface_addr_add_local(name, A("10.2.0.1")) == 0);

	/* A session's address through the server's TUN. */
	T_ASSERT(iface_route_add_host(A("10.2.0.100"), name) == 0);
	snprintf(want, sizeof(want), "10.2.0.100 dev %s proto 245 scope "
	    "link", name);
	T_ASSERT(has("ip -4 route show table main", want));
	T_ASSERT(iface_route_get(A("10.2.0.100"), &gw, &has_gw, dev,
	    sizeof(dev)) == 0);
	T_ASSERT(strcmp(dev, name) == 0 && has_gw == 0);
	log_reset();
	T_ASSERT(iface_route_add_host(A("10.2.0.100"), name) == -1);
	T_ASSERT(errno == EEXIST);
	T_ASSERT(strstr(last_warn, "cannot add route 10.2.0.100/32 dev "
	    "l2tpsec0 metric 0 proto 245: File exists") != NULL);
	T_ASSERT(iface_route_del_host(A("10.2.0.100"), name) == 0);
	T_ASSERT(lacks("ip -4 route show table main", "10.2.0.100"));
	log_reset();
	T_ASSERT(iface_route_del_host(A("10.2.0.100"), name) == -1);
	T_ASSERT(errno == ESRCH);
	T_ASSERT(strstr(last_warn, "cannot delete route 10.2.0.100/32 dev "
	    "l2tpsec0 metric 0 proto 245: there is no such route") != NULL);

	/* Only ours: the administrator's route of the same shape stays. */
	snprintf(cmd, sizeof(cmd), "ip route add 10.2.0.101/32 dev %s proto "
	    "static", name);
	T_ASSERT(sh(cmd) == 0);
	T_ASSERT(iface_route_del_host(A("10.2.0.101"), name) == -1);
	T_ASSERT(has("ip -4 route show table main", "10.2.0.101"));

	/* Deleting through an interface that is gone: nothing to do. */
	T_ASSERT(iface_tun_destroy(fd, name) == 0);
	T_ASSERT(lacks("ip -4 route show table all", name));
	T_ASSERT(iface_route_del_host(A("10.2.0.100"), name) == 0);
	log_reset();
	T_ASSERT(iface_route_add_host(A("10.2.0.100"), name) == -1);
	T_ASSERT(strstr(last_warn, "no interface l2tpsec0") != NULL);
}

static void
test_route_get(void)
{
	char		 dev[IF_NAMESIZE], small[4];
	struct in_addr	 gw;
	int		 has_gw;

	if (!have_netns)
		T_SKIP("needs root and a network namespace");
	T_ASSERT_RET(sh("ip route add default via " GW " dev " WAN
	    " metric 100") == 0);
	T_ASSERT(iface_route_get(A(SERVER), &gw, &has_gw, dev,
	    sizeof(dev)) == 0);
	T_ASSERT(has_gw && gw.s_addr == A(GW).s_addr);
	T_ASSERT(strcmp(dev, WAN) == 0);
	/* On the link: no gateway. */
	T_ASSERT(iface_route_get(A("192.168.77.9"), &gw, &has_gw, dev,
	    sizeof(dev)) == 0);
	T_ASSERT(!has_gw && gw.s_addr == INADDR_ANY);
	T_ASSERT(strcmp(dev, WAN) == 0);
	log_reset();
	T_ASSERT(iface_route_get(A("192.168.77.1"), &gw, &has_gw, dev,
	    sizeof(dev)) == -1);
	T_ASSERT(strstr(last_warn, "192.168.77.1: it is this host's own")
	    != NULL);
	T_ASSERT(iface_route_get(A(SERVER), &gw, &has_gw, small,
	    sizeof(small)) == -1);
	T_ASSERT(sh("ip route del default via " GW " dev " WAN
	    " metric 100") == 0);
	log_reset();
	T_ASSERT(iface_route_get(A(SERVER), &gw, &has_gw, dev,
	    sizeof(dev)) == -1);
	T_ASSERT(errno == ENETUNREACH);
	T_ASSERT(strstr(last_warn, "no route to " SERVER ": Network is "
	    "unreachable") != NULL);
}

static void
test_route_via(void)
{
	char		 dev[IF_NAMESIZE];
	struct in_addr	 gw;
	int		 has_gw;

	if (!have_netns)
		T_SKIP("needs root and a network namespace");
	T_ASSERT_RET(sh("ip route add default via " GW " dev " WAN
	    " metric 100") == 0);
	/* The classic client's host route to its server. */
	T_ASSERT(iface_route_get(A(SERVER), &gw, &has_gw, dev,
	    sizeof(dev)) == 0);
	T_ASSERT(iface_route_add_via(A(SERVER), gw, has_gw, dev) == 0);
	T_ASSERT(has("ip -4 route show table main", SERVER " via " GW
	    " dev " WAN " proto 245"));
	T_ASSERT(strstr(logbuf, "host route to " SERVER " via " GW " dev "
	    WAN " added") != NULL);
	log_reset();
	T_ASSERT(iface_route_add_via(A(SERVER), gw, has_gw, dev) == -1);
	T_ASSERT(errno == EEXIST);
	T_ASSERT(iface_route_del_via(A(SERVER), gw, has_gw, dev) == 0);
	T_ASSERT(lacks("ip -4 route show table main", SERVER));
	/* A gateway not on the link: the kernel's reason is in the log. */
	log_reset();
	T_ASSERT(iface_route_add_via(A(SERVER), A("10.99.0.1"), 1, WAN) ==
	    -1);
	T_ASSERT(strstr(last_warn, "cannot add route " SERVER "/32 via "
	    "10.99.0.1 dev " WAN " metric 0 proto 245: Network is "
	    "unreachable") != NULL);
	T_ASSERT(strstr(last_warn, "(kernel: ") != NULL);
	/* On-link server, no gateway. */
	T_ASSERT(iface_route_add_via(A("192.168.77.9"), A("0.0.0.0"), 0, WAN)
	    == 0);
	T_ASSERT(has("ip -4 route show table main", "192.168.77.9 dev " WAN
	    " proto 245 scope link"));
	T_ASSERT(iface_route_del_via(A("192.168.77.9"), A("0.0.0.0"), 0, WAN)
	    == 0);
	T_ASSERT(sh("ip route del default via " GW " dev " WAN
	    " metric 100") == 0);
}

/*
 * A client connection from start to end, the way the parent runs it;
 * the table must end byte for byte as it began.
 */
static void
test_default(void)
{
	struct iface_default	*saved;
	struct in_addr		 gw, sgw;
	char			 before[8192], up[8192], defs[4096];
	char			 name[IF_NAMESIZE], dev[IF_NAMESIZE];
	char			 sdev[IF_NAMESIZE];
	int			 fd, has_gw, shas_gw;

	if (!have_netns || !have_tun)
		T_SKIP("needs root, a network namespace and /dev/net/tun");
	T_ASSERT_RET(sh("ip route add default via " GW " dev " WAN
	    " metric 100 proto dhcp && ip route add default via " GW2
	    " dev " WAN " metric 1024") == 0);
	table(before, sizeof(before));
	T_ASSERT_RET(out("ip -4 route show default", defs, sizeof(defs)) ==
	    0);

	/* Before anything goes through the tunnel: the way to the server. */
	T_ASSERT_RET(iface_route_get(A(SERVER), &sgw, &shas_gw, sdev,
	    sizeof(sdev)) == 0);
	fd = iface_tun_create("l2tpsec%d", 1400, name, sizeof(name));
	T_ASSERT_RET(fd >= 0);
	T_ASSERT(iface_addr_add(name, A("10.9.0.2"), A("10.9.0.1")) == 0);
	T_ASSERT(iface_route_add_via(A(SERVER), sgw, shas_gw, sdev) == 0);
	table(up, sizeof(up));

	log_reset();
	T_ASSERT_RET((saved = iface_default_replace(name)) != NULL);
	T_ASSERT(iface_default_count(saved) == 2);
	T_ASSERT(iface_route_get(A("198.18.0.1"), &gw, &has_gw, dev,
	    sizeof(dev)) == 0);
	T_ASSERT(strcmp(dev, name) == 0 && !has_gw);
	/* The server itself still through the old gateway. */
	T_ASSERT(iface_route_get(A(SERVER), &gw, &has_gw, dev,
	    sizeof(dev)) == 0);
	T_ASSERT(strcmp(dev, WAN) == 0 && has_gw &&
	    gw.s_addr == A(GW).s_addr);
	/* The existing defaults are untouched... */
	T_ASSERT(has("ip -4 route show default", defs));
	T_ASSERT(has("ip -4 route show table main", "0.0.0.0/1 dev l2tpsec0 "
	    "proto 245 scope link"));
	T_ASSERT(has("ip -4 route show table main", "128.0.0.0/1 dev "
	    "l2tpsec0 proto 245 scope link"));
	/* ...and a second default through the tunnel is refused whole. */
	log_reset();
	T_ASSERT(iface_default_replace(name) == NULL);
	T_ASSERT(strstr(last_warn, "cannot add route 0.0.0.0/1 dev "
	    "l2tpsec0") != NULL);

	log_reset();
	T_ASSERT(iface_default_restore(saved) == 0);
	T_ASSERT(last_warn[0] == '\0');
	T_ASSERT(same_table(up));
	T_ASSERT(iface_default_restore(NULL) == 0);

	/* Down: the host route, the address, the TUN. */
	T_ASSERT(iface_route_del_via(A(SERVER), sgw, shas_gw, sdev) == 0);
	T_ASSERT(iface_addr_del(name, A("10.9.0.2"), A("10.9.0.1")) == 0);
	T_ASSERT(iface_tun_destroy(fd, name) == 0);
	T_ASSERT(same_table(before));
	T_ASSERT(sh("ip route del default via " GW " dev " WAN
	    " metric 100 && ip route del default via " GW2 " dev " WAN
	    " metric 1024") == 0);
}

/* A static default has metric 0: a lower metric could not beat it. */
static void
test_default_static(void)
{
	struct iface_default	*saved;
	struct in_addr		 gw;
	char			 name[IF_NAMESIZE], dev[IF_NAMESIZE];
	int			 fd, has_gw;

	if (!have_netns || !have_tun)
		T_SKIP("needs root, a network namespace and /dev/net/tun");
	T_ASSERT_RET(sh("ip route add default via " GW " dev " WAN) == 0);
	fd = iface_tun_create("l2tpsec%d", 1400, name, sizeof(name));
	T_ASSERT_RET(fd >= 0);
	T_ASSERT_RET((saved = iface_default_replace(name)) != NULL);
	T_ASSERT(iface_default_count(saved) == 1);
	T_ASSERT(iface_route_get(A("198.18.0.1"), &gw, &has_gw, dev,
	    sizeof(dev)) == 0);
	T_ASSERT(strcmp(dev, name) == 0);

	/*
	 * Someone (a DHCP client) changes the default while we are up: we
	 * say so at restore and leave their change alone.
	 */
	T_ASSERT(sh("ip route replace default via " GW2 " dev " WAN) == 0);
	log_reset();
	T_ASSERT(iface_default_restore(saved) == 0);
	T_ASSERT(strstr(logbuf, "default route 0.0.0.0/0 via " GW " dev "
	    WAN " metric 0 proto 3 went away while the tunnel was up") !=
	    NULL);
	T_ASSERT(strstr(logbuf, "default route 0.0.0.0/0 via " GW2 " dev "
	    WAN " metric 0 proto 3 appeared") != NULL);
	T_ASSERT(has("ip -4 route show default", "default via " GW2));
	T_ASSERT(lacks("ip -4 route show default", GW " "));
	T_ASSERT(iface_tun_destroy(fd, name) == 0);
	T_ASSERT(sh("ip route del default") == 0);
}

/*
 * The daemon is killed with the client connection up: the TUN and its
 * routes go with it; the host route to the server stays, and the next
 * start's iface_flush_ours() takes exactly it away.
 */
static void
test_crash(void)
{
	struct iface_default	*saved;
	struct in_addr		 gw;
	char			 before[8192], now[8192];
	char			 name[IF_NAMESIZE], dev[IF_NAMESIZE];
	pid_t			 pid;
	int			 p[2], fd, has_gw, st;
	char			 c;

	if (!have_netns || !have_tun)
		T_SKIP("needs root, a network namespace and /dev/net/tun");
	T_ASSERT_RET(sh("ip route add default via " GW " dev " WAN
	    " metric 100") == 0);
	table(before, sizeof(before));
	T_ASSERT_RET(pipe(p) == 0);
	fflush(stdout);
	fflush(stderr);
	if ((pid = fork()) == 0) {
		close(p[0]);
		if (iface_route_get(A(SERVER), &gw, &has_gw, dev,
		    sizeof(dev)) == -1 ||
		    (fd = iface_tun_create("l2tpsec%d", 1400, name,
		    sizeof(name))) == -1 ||
		    iface_addr_add(name, A("10.9.0.2"), A("10.9.0.1")) == -1 ||
		    iface_route_add_via(A(SERVER), gw, has_gw, dev) == -1 ||
		    (saved = iface_default_replace(name)) == NULL)
			_exit(1);
		if (write(p[1], "u", 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	T_ASSERT_RET(pid > 0);
	close(p[1]);
	T_ASSERT(read(p[0], &c, 1) == 1);
	close(p[0]);
	T_ASSERT(iface_route_get(A("198.18.0.1"), &gw, &has_gw, dev,
	    sizeof(dev)) == 0);
	T_ASSERT(strcmp(dev, "l2tpsec0") == 0);
	kill(pid, SIGKILL);
	T_ASSERT(waitpid(pid, &st, 0) == pid);

	T_ASSERT(count_tuns() == 0);
	table(now, sizeof(now));
	/* Exactly one line more than before: ours, to the server. */
	T_ASSERT(strip_line(now, SERVER " via " GW " dev " WAN " proto 245")
	    == 1);
	T_ASSERT(strcmp(now, before) == 0);
	log_reset();
	T_ASSERT(iface_flush_ours() == 1);
	T_ASSERT(strstr(logbuf, "deleted route " SERVER "/32 via " GW " dev "
	    WAN " metric 0 proto 245, left by an earlier run") != NULL);
	T_ASSERT(same_table(before));
	T_ASSERT(iface_flush_ours() == 0);
	T_ASSERT(sh("ip route del default via " GW " dev " WAN
	    " metric 100") == 0);
}

static void
test_flush_ours(void)
{
	char	 name[IF_NAMESIZE], before[8192];
	int	 fd;

	if (!have_netns || !have_tun)
		T_SKIP("needs root, a network namespace and /dev/net/tun");
	fd = iface_tun_create("l2tpsec%d", 1400, name, sizeof(name));
	T_ASSERT_RET(fd >= 0);
	T_ASSERT_RET(sh("ip route add default via " GW " dev " WAN
	    " metric 100 && "
	    "ip route add 203.0.113.20 via " GW " proto static && "
	    "ip route add 203.0.113.21 via " GW " proto 244 && "
	    "ip route add 203.0.113.22 via " GW " metric 5 proto 246") == 0);
	table(before, sizeof(before));
	T_ASSERT(iface_route_add_host(A("10.2.0.100"), name) == 0);
	T_ASSERT(iface_route_add_via(A(SERVER), A(GW), 1, WAN) == 0);
	/* Ours in another table, metric and all, by hand. */
	T_ASSERT(sh("ip route add 203.0.113.22 via " GW " table 100 "
	    "metric 7 proto 245 && ip route add 203.0.113.23 via " GW
	    " table 100 proto 246") == 0);
	T_ASSERT(iface_flush_ours() == 3);
	T_ASSERT(same_table(before));
	T_ASSERT(lacks("ip -4 route show table 100", "203.0.113.22"));
	T_ASSERT(has("ip -4 route show table 100", "203.0.113.23"));
	T_ASSERT(lacks("ip -4 route show table all proto 245", "via"));
	T_ASSERT(iface_flush_ours() == 0);
	T_ASSERT(iface_tun_destroy(fd, name) == 0);
	T_ASSERT(sh("ip route flush table 100 && "
	    "ip route del 203.0.113.20 && ip route del 203.0.113.21 && "
	    "ip route del 203.0.113.22 && ip route del default") == 0);
}

/* Closing the TUN takes its addresses and routes, ours included. */
static void
test_tun_close(void)
{
	struct iface_default	*saved;
	char			 name[IF_NAMESIZE], before[8192];
	int			 fd;

	if (!have_netns || !have_tun)
		T_SKIP("needs root, a network namespace and /dev/net/tun");
	T_ASSERT_RET(sh("ip route add default via " GW " dev " WAN
	    " metric 100") == 0);
	table(before, sizeof(before));
	fd = iface_tun_create("l2tpsec%d", 1400, name, sizeof(name));
	T_ASSERT_RET(fd >= 0);
	T_ASSERT(iface_addr_add(name, A("10.9.0.2"), A("10.9.0.1")) == 0);
	T_ASSERT(iface_route_add_host(A("10.9.0.50"), name) == 0);
	T_ASSERT_RET((saved = iface_default_replace(name)) != NULL);
	close(fd);
	T_ASSERT(if_nametoindex(name) == 0);
	T_ASSERT(same_table(before));
	T_ASSERT(lacks("ip -4 route show table all", "l2tpsec"));
	/* The parent's cleanup after that is harmless. */
	log_reset();
	T_ASSERT(iface_default_restore(saved) == 0);
	T_ASSERT(last_warn[0] == '\0');
	T_ASSERT(iface_route_del_host(A("10.9.0.50"), name) == 0);
	T_ASSERT(iface_tun_destroy(-1, name) == 0);
	T_ASSERT(same_table(before));
	T_ASSERT(sh("ip route del default") == 0);
}

int
main(void)
{
	log_init("test_iface", 1, 2);
	log_set_sink(capture);

	/* Everything happens in a namespace of our own. */
	have_netns = geteuid() == 0 && unshare(CLONE_NEWNET) == 0 &&
	    sh("ip -V >/dev/null") == 0 && setup_wan() == 0;
	have_tun = access("/dev/net/tun", R_OK | W_OK) == 0;
	T_RUN(test_tun_create);
	T_RUN(test_tun_errors);
	T_RUN(test_tun_destroy_shared);
	T_RUN(test_addr);
	T_RUN(test_route_host);
	T_RUN(test_route_get);
	T_RUN(test_route_via);
	T_RUN(test_default);
	T_RUN(test_default_static);
	T_RUN(test_crash);
	T_RUN(test_flush_ours);
	T_RUN(test_tun_close);
	return (T_DONE());
}
