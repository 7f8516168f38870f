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


/* glibc's <net/if.h> first: <linux/if_pppox.h> pulls in <linux/if.h>. */
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/udp.h>
#include <linux/if_pppox.h>
#include <linux/if_pppol2tp.h>
#include <linux/netlink.h>
#include <linux/ppp-ioctl.h>
#include <linux/ppp_defs.h>
#include <linux/rtnetlink.h>

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "common/log.h"
#include "iface.h"
#include "pppol2tp.h"

#ifndef SOL_PPPOL2TP
#define SOL_PPPOL2TP	273
#endif

/*
 * Sharing UDP/1701 with the listening socket (regress/vm/scenarios/
 * kernel-pppol2tp.sh checks it on Debian 12's 6.1 kernel): bind() of a
 * second UDP socket to an address:port that an existing one covers
 * (*:1701 covers local:1701) succeeds only if both sockets have
 * SO_REUSEADDR, or both SO_REUSEPORT (and the same uid); a listener
 * with neither, or with SO_REUSEPORT alone, makes our bind fail with
 * EADDRINUSE.  We use SO_REUSEADDR: the kernel then gives each datagram
 * to the socket that matches it best, and a connected socket (remote
 * address and port match too) wins its peer's datagrams, while anyone
 * else's go to the listener.  SO_REUSEPORT would put a listener bound
 * to the same local:1701 and our socket into one load-balancing group,
 * where the group's hash, not the best match, picks the socket first;
 * we do not depend on how each kernel version resolves that.
 */

static void __attribute__((format(printf, 3, 4)))
pppol2tp_seterr(char *buf, size_t sz, const char *fmt, ...)
{
	va_list	 ap;
	int	 saved = errno;

	va_start(ap, fmt);
	vsnprintf(buf, sz, fmt, ap);
	va_end(ap);
	errno = saved;
}

static const char *
pppol2tp_sin(const struct sockaddr_in *sin, char *buf, size_t sz)
{
	char	 a[INET_ADDRSTRLEN];

	if (inet_ntop(AF_INET, &sin->sin_addr, a, sizeof(a)) == NULL)
		snprintf(a, sizeof(a), "?");
	snprintf(buf, sz, "%s:%u", a, ntohs(sin->sin_port));
	return (buf);
}

/* "tunnel 11/22 192.0.2.1:1701 -> 192.0.2.2:1701: WHAT: ERRNO" */
static void __attribute__((format(printf, 2, 3)))
pppol2tp_tunnel_fail(struct pppol2tp_tunnel *t, const char *fmt, ...)
{
	char	 what[128], l[32], p[32], ids[16];
	va_list	 ap;
	int	 saved = errno;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	if (t->tu_tid == 0 && t->tu_peer_tid == 0)
		snprintf(ids, sizeof(ids), "(no ids yet)");
	else
		snprintf(ids, sizeof(ids), "%u/%u", t->tu_tid, t->tu_peer_tid);
	pppol2tp_seterr(t->tu_err, sizeof(t->tu_err), "tunnel %s %s -> %s: "
	    "%s: %s", ids, pppol2tp_sin(&t->tu_local, l, sizeof(l)),
	    pppol2tp_sin(&t->tu_peer, p, sizeof(p)), what, strerror(saved));
	errno = saved;
}

/* "session 33/44 in tunnel 11/22 (ppp0): WHAT: ERRNO" */
static void __attribute__((format(printf, 2, 3)))
pppol2tp_session_fail(struct pppol2tp_session *s, const char *fmt, ...)
{
	char	 what[128];
	va_list	 ap;
	int	 saved = errno;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	pppol2tp_seterr(s->ps_err, sizeof(s->ps_err), "session %u/%u in "
	    "tunnel %u/%u%s%s%s: %s: %s", s->ps_sid, s->ps_peer_sid,
	    s->ps_tid, s->ps_peer_tid, s->ps_ifname[0] ? " (" : "",
	    s->ps_ifname, s->ps_ifname[0] ? ")" : "", what,
	    strerror(saved));
	errno = saved;
}

static void
pppol2tp_close(int *fd)
{
	int	 saved = errno;

	if (*fd >= 0)
		close(*fd);
	*fd = -1;
	errno = saved;
}

static int
pppol2tp_socket(void)
{
	return (socket(AF_PPPOX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK,
	    PX_PROTO_OL2TP));
}

static int
pppol2tp_devppp(void)
{
	return (open("/dev/ppp", O_RDWR | O_CLOEXEC | O_NONBLOCK));
}

int
pppol2tp_available(char *err, size_t errsz)
{
	int	 fd;

	if ((fd = pppol2tp_socket()) == -1) {
		pppol2tp_seterr(err, errsz, "no PPPoL2TP sockets (module "
		    "l2tp_ppp): %s", strerror(errno));
		return (0);
	}
	close(fd);
	if ((fd = pppol2tp_devppp()) == -1) {
		pppol2tp_seterr(err, errsz, "/dev/ppp (module ppp_generic): "
		    "%s", strerror(errno));
		return (0);
	}
	close(fd);
	if (errsz > 0)
		err[0] = '\0';
	return (1);
}

/* ---- tunnel ------------------------------------------------------------ */

/*
 * Connect a PPPoL2TP socket on t's UDP socket with those session ids:
 * 0/0 creates the kernel tunnel, anything else a session in it.
 */
static int
pppol2tp_connect(int fd, const struct pppol2tp_tunnel *t, uint16_t sid,
    uint16_t peer_sid)
{
	struct sockaddr_pppol2tp	 sax;

	memset(&sax, 0, sizeof(sax));
	sax.sa_family = AF_PPPOX;
	sax.sa_protocol = PX_PROTO_OL2TP;
	sax.pppol2tp.pid = 0;		/* fd is in our own table */
	sax.pppol2tp.fd = t->tu_udp;
	sax.pppol2tp.addr = t->tu_peer;
	sax.pppol2tp.s_tunnel = t->tu_tid;
	sax.pppol2tp.s_session = sid;
	sax.pppol2tp.d_tunnel = t->tu_peer_tid;
	sax.pppol2tp.d_session = peer_sid;
	return (connect(fd, (struct sockaddr *)&sax, sizeof(sax)));
}

/* The UDP socket; the ids, if known, are for error messages only. */
static int
pppol2tp_tunnel_udp(struct pppol2tp_tunnel *t,
    const struct sockaddr_in *local, const struct sockaddr_in *peer,
    uint16_t tid, uint16_t peer_tid)
{
	int	 on = 1;

	memset(t, 0, sizeof(*t));
	t->tu_udp = t->tu_mgmt = -1;
	t->tu_tid = tid;
	t->tu_peer_tid = peer_tid;
	t->tu_local = *local;
	t->tu_local.sin_family = AF_INET;
	if (t->tu_local.sin_port == 0)
		t->tu_local.sin_port = htons(PPPOL2TP_PORT);
	t->tu_peer = *peer;
	t->tu_peer.sin_family = AF_INET;
	if (peer->sin_port == 0 || local->sin_family != AF_INET ||
	    peer->sin_family != AF_INET) {
		errno = EINVAL;
		pppol2tp_tunnel_fail(t, "bad address or port");
		return (-1);
	}
	if ((t->tu_udp = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC |
	    SOCK_NONBLOCK, IPPROTO_UDP)) == -1) {
		pppol2tp_tunnel_fail(t, "UDP socket");
		return (-1);
	}
	if (setsockopt(t->tu_udp, SOL_SOCKET, SO_REUSEADDR, &on,
	    sizeof(on)) == -1) {
		pppol2tp_tunnel_fail(t, "SO_REUSEADDR");
		goto fail;
	}
	if (bind(t->tu_udp, (struct sockaddr *)&t->tu_local,
	    sizeof(t->tu_local)) == -1) {
		pppol2tp_tunnel_fail(t, "bind (the 1701 listener needs "
		    "SO_REUSEADDR)");
		goto fail;
	}
	/*
	 * Connected: the kernel takes this peer's datagrams to this socket,
	 * and l2tp_xmit_skb() sends data only through a connected socket.
	 */
	if (connect(t->tu_udp, (struct sockaddr *)&t->tu_peer,
	    sizeof(t->tu_peer)) == -1) {
		pppol2tp_tunnel_fail(t, "connect UDP socket");
		goto fail;
	}
	return (0);
 fail:
	pppol2tp_close(&t->tu_udp);
	return (-1);
}

/*
 * The UDP socket's encapsulation: UDP_ENCAP_L2TPINUDP once a kernel
 * tunnel sits on it, else 0; -1 (errno EIO) if it cannot be read.
 */
static int
pppol2tp_udp_encap(const struct pppol2tp_tunnel *t)
{
	socklen_t	 len = sizeof(int);
	int		 v = -1;

	if (getsockopt(t->tu_udp, SOL_UDP, UDP_ENCAP, &v, &len) == -1) {
		errno = EIO;
		return (-1);
	}
	return (v);
}

int
pppol2tp_tunnel_socket(struct pppol2tp_tunnel *t,
    const struct sockaddr_in *local, const struct sockaddr_in *peer)
{
	return (pppol2tp_tunnel_udp(t, local, peer, 0, 0));
}

int
pppol2tp_tunnel_attach(struct pppol2tp_tunnel *t, uint16_t tid,
    uint16_t peer_tid)
{
	char	 l[32], p[32];
	int	 encap;

	t->tu_tid = tid;
	t->tu_peer_tid = peer_tid;
	if (tid == 0 || peer_tid == 0 || t->tu_udp == -1 ||
	    t->tu_mgmt != -1) {
		errno = EINVAL;
		pppol2tp_tunnel_fail(t, "bad tunnel id, no UDP socket or "
		    "attached already");
		return (-1);
	}
	if ((encap = pppol2tp_udp_encap(t)) != 0) {
		if (encap != -1)
			errno = EBUSY;
		pppol2tp_tunnel_fail(t, "the UDP socket carries a kernel "
		    "tunnel already");
		return (-1);
	}
	if ((t->tu_mgmt = pppol2tp_socket()) == -1) {
		pppol2tp_tunnel_fail(t, "PPPoL2TP socket (module l2tp_ppp)");
		return (-1);
	}
	/*
	 * Session 0/0: the tunnel management socket.  This sets up the
	 * kernel's tunnel on tu_udp (UDP encapsulation: data messages are
	 * taken by the kernel, control messages, T bit set, still queued
	 * to the socket for userspace).
	 */
	if (pppol2tp_connect(t->tu_mgmt, t, 0, 0) == -1) {
		pppol2tp_tunnel_fail(t, "create kernel tunnel (PPPoL2TP "
		    "connect, session 0)");
		pppol2tp_close(&t->tu_mgmt);
		return (-1);
	}
	/*
	 * If the kernel still has a tunnel with this id (a process holds a
	 * copy of that tunnel's UDP socket; EEXIST only if it holds its
	 * session 0 too), connect does not fail: it joins that tunnel and
	 * ignores tu_udp, and our sessions would send through the old
	 * socket.  Only a tunnel made now leaves its mark on tu_udp.
	 */
	if ((encap = pppol2tp_udp_encap(t)) != UDP_ENCAP_L2TPINUDP) {
		if (encap != -1)
			errno = EEXIST;
		pppol2tp_tunnel_fail(t, "create kernel tunnel: another kernel "
		    "tunnel has id %u (someone holds its UDP socket)", tid);
		pppol2tp_close(&t->tu_mgmt);
		return (-1);
	}
	log_debug("pppol2tp: tunnel %u/%u %s -> %s created", tid, peer_tid,
	    pppol2tp_sin(&t->tu_local, l, sizeof(l)),
	    pppol2tp_sin(&t->tu_peer, p, sizeof(p)));
	return (0);
}

int
pppol2tp_tunnel_create(struct pppol2tp_tunnel *t,
    const struct sockaddr_in *local, const struct sockaddr_in *peer,
    uint16_t tid, uint16_t peer_tid)
{
	if (pppol2tp_tunnel_udp(t, local, peer, tid, peer_tid) == -1)
		return (-1);
	if (pppol2tp_tunnel_attach(t, tid, peer_tid) == -1) {
		pppol2tp_close(&t->tu_udp);
		return (-1);
	}
	return (0);
}

void
pppol2tp_tunnel_destroy(struct pppol2tp_tunnel *t)
{
	if (t->tu_udp == -1 && t->tu_mgmt == -1)
		return;
	pppol2tp_close(&t->tu_mgmt);
	pppol2tp_close(&t->tu_udp);
	log_debug("pppol2tp: tunnel %u/%u closed", t->tu_tid,
	    t->tu_peer_tid);
}

/* ---- session ----------------------------------------------------------- */

static int
pppol2tp_npmode(struct pppol2tp_session *s, int proto, enum NPmode mode)
{
	struct npioctl	 npi;

	memset(&npi, 0, sizeof(npi));
	npi.protocol = proto;
	npi.mode = mode;
	if (ioctl(s->ps_unit, PPPIOCSNPMODE, &npi) == -1) {
		pppol2tp_session_fail(s, "PPPIOCSNPMODE 0x%04x %s", proto,
		    mode == NPMODE_PASS ? "pass" : "drop");
		return (-1);
	}
	return (0);
}

/* SIOCSIFMTU, or SIOCGIFFLAGS + SIOCSIFFLAGS with IFF_UP. */
static int
pppol2tp_ifioctl(struct pppol2tp_session *s, unsigned long req, int val)
{
	struct ifreq	 ifr;
	int		 fd, rv = -1;

	if ((fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)) == -1) {
		pppol2tp_session_fail(s, "socket for interface ioctl");
		return (-1);
	}
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", s->ps_ifname);
	if (req == SIOCSIFMTU) {
		ifr.ifr_mtu = val;
		if ((rv = ioctl(fd, SIOCSIFMTU, &ifr)) == -1)
			pppol2tp_session_fail(s, "set MTU %d", val);
	} else if ((rv = ioctl(fd, SIOCGIFFLAGS, &ifr)) == -1)
		pppol2tp_session_fail(s, "get interface flags");
	else {
		ifr.ifr_flags |= IFF_UP;
		if ((rv = ioctl(fd, SIOCSIFFLAGS, &ifr)) == -1)
			pppol2tp_session_fail(s, "set interface up");
	}
	pppol2tp_close(&fd);
	return (rv);
}

int
pppol2tp_session_set_mtu(struct pppol2tp_session *s, unsigned int mtu,
    unsigned int mru)
{
	int	 v = (int)mru;

	if (mtu < 68 || mtu > 65535 || mru < 68 || mru > 65535) {
		errno = EINVAL;
		pppol2tp_session_fail(s, "MTU %u or MRU %u out of range", mtu,
		    mru);
		return (-1);
	}
	if (pppol2tp_ifioctl(s, SIOCSIFMTU, (int)mtu) == -1)
		return (-1);
	/* The largest frame the unit accepts from the channel. */
	if (ioctl(s->ps_unit, PPPIOCSMRU, &v) == -1) {
		pppol2tp_session_fail(s, "PPPIOCSMRU %u", mru);
		return (-1);
	}
	return (0);
}

static int
pppol2tp_setsockopt(struct pppol2tp_session *s, int opt, const char *name)
{
	int	 on = 1;

	if (setsockopt(s->ps_sock, SOL_PPPOL2TP, opt, &on, sizeof(on)) ==
	    -1) {
		pppol2tp_session_fail(s, "%s", name);
		return (-1);
	}
	return (0);
}

int
pppol2tp_session_create(struct pppol2tp_session *s,
    const struct pppol2tp_tunnel *t, uint16_t sid, uint16_t peer_sid,
    unsigned int mtu, unsigned int mru, int flags)
{
	int	 unit = -1;

	memset(s, 0, sizeof(*s));
	s->ps_sock = s->ps_chan = s->ps_unit = -1;
	s->ps_chindex = s->ps_unitno = -1;
	s->ps_tid = t->tu_tid;
	s->ps_peer_tid = t->tu_peer_tid;
	s->ps_sid = sid;
	s->ps_peer_sid = peer_sid;
	if (sid == 0 || peer_sid == 0 || t->tu_udp == -1) {
		errno = EINVAL;
		pppol2tp_session_fail(s, "bad session id or no tunnel");
		return (-1);
	}
	if ((s->ps_sock = pppol2tp_socket()) == -1) {
		pppol2tp_session_fail(s, "PPPoL2TP socket (module l2tp_ppp)");
		goto fail;
	}
	if (pppol2tp_connect(s->ps_sock, t, sid, peer_sid) == -1) {
		pppol2tp_session_fail(s, "create kernel session (PPPoL2TP "
		    "connect)");
		goto fail;
	}
	/*
	 * Only now: the kernel refuses these on an unconnected socket
	 * (ENOTCONN).  Nothing can have arrived meanwhile: the channel is
	 * in no unit yet, and the peer sends no data before ICCN.
	 */
	if (((flags & PPPOL2TP_LNS) && pppol2tp_setsockopt(s,
	    PPPOL2TP_SO_LNSMODE, "PPPOL2TP_SO_LNSMODE") == -1) ||
	    ((flags & PPPOL2TP_SEQ) && (pppol2tp_setsockopt(s,
	    PPPOL2TP_SO_SENDSEQ, "PPPOL2TP_SO_SENDSEQ") == -1 ||
	    pppol2tp_setsockopt(s, PPPOL2TP_SO_RECVSEQ,
	    "PPPOL2TP_SO_RECVSEQ") == -1)))
		goto fail;
	if (ioctl(s->ps_sock, PPPIOCGCHAN, &s->ps_chindex) == -1) {
		pppol2tp_session_fail(s, "PPPIOCGCHAN");
		goto fail;
	}
	if ((s->ps_chan = pppol2tp_devppp()) == -1) {
		pppol2tp_session_fail(s, "open /dev/ppp for the channel "
		    "(module ppp_generic)");
		goto fail;
	}
	if (ioctl(s->ps_chan, PPPIOCATTCHAN, &s->ps_chindex) == -1) {
		pppol2tp_session_fail(s, "PPPIOCATTCHAN %d", s->ps_chindex);
		goto fail;
	}
	if ((s->ps_unit = pppol2tp_devppp()) == -1) {
		pppol2tp_session_fail(s, "open /dev/ppp for the unit");
		goto fail;
	}
	if (ioctl(s->ps_unit, PPPIOCNEWUNIT, &unit) == -1) {
		pppol2tp_session_fail(s, "PPPIOCNEWUNIT");
		goto fail;
	}
	s->ps_unitno = unit;
	snprintf(s->ps_ifname, sizeof(s->ps_ifname), "ppp%d", unit);
	if ((s->ps_ifindex = if_nametoindex(s->ps_ifname)) == 0) {
		pppol2tp_session_fail(s, "no interface for new unit %d", unit);
		goto fail;
	}
	/*
	 * No network protocol before its NCP is open (RFC 1661 12): the
	 * kernel passes every one by default, both ways.
	 */
	if (pppol2tp_npmode(s, PPP_IP, NPMODE_DROP) == -1 ||
	    pppol2tp_npmode(s, PPP_IPV6, NPMODE_DROP) == -1)
		goto fail;
	if (pppol2tp_session_set_mtu(s, mtu, mru) == -1)
		goto fail;
	if (ioctl(s->ps_chan, PPPIOCCONNECT, &unit) == -1) {
		pppol2tp_session_fail(s, "PPPIOCCONNECT channel %d to unit %d",
		    s->ps_chindex, unit);
		goto fail;
	}
	log_debug("pppol2tp: session %u/%u in tunnel %u/%u: channel %d, %s "
	    "(index %u), MTU %u, MRU %u", sid, peer_sid, s->ps_tid,
	    s->ps_peer_tid, s->ps_chindex, s->ps_ifname, s->ps_ifindex, mtu,
	    mru);
	return (0);
 fail:
	/* Ours alone: closing the unit removes pppN. */
	pppol2tp_close(&s->ps_chan);
	pppol2tp_close(&s->ps_unit);
	pppol2tp_close(&s->ps_sock);
	s->ps_ifindex = 0;
	return (-1);
}

int
pppol2tp_session_ip_pass(struct pppol2tp_session *s, int pass)
{
	return (pppol2tp_npmode(s, PPP_IP, pass ? NPMODE_PASS : NPMODE_DROP));
}

/*
 * rp_filter: the kernel applies max(conf/all, conf/pppN), so our strict
 * 1 holds only if all is 0 or 1; with 2 (loose) any routable source
 * would pass.  Read all first, then write pppN's.
 */
static int
pppol2tp_rpfilter(struct pppol2tp_session *s)
{
	char	 path[96], buf[16];
	ssize_t	 n;
	int	 fd;

	if ((fd = open("/proc/sys/net/ipv4/conf/all/rp_filter",
	    O_RDONLY | O_CLOEXEC)) == -1) {
		pppol2tp_session_fail(s, "read net.ipv4.conf.all.rp_filter");
		return (-1);
	}
	n = read(fd, buf, sizeof(buf) - 1);
	pppol2tp_close(&fd);
	if (n <= 0) {
		if (n == 0)
			errno = EIO;
		pppol2tp_session_fail(s, "read net.ipv4.conf.all.rp_filter");
		return (-1);
	}
	buf[n] = '\0';
	if (buf[0] == '2') {
		errno = EPERM;
		pppol2tp_session_fail(s, "net.ipv4.conf.all.rp_filter is 2 "
		    "(loose), which overrides strict filtering on %s: its "
		    "source address cannot be enforced", s->ps_ifname);
		return (-1);
	}
	snprintf(path, sizeof(path), "/proc/sys/net/ipv4/conf/%s/rp_filter",
	    s->ps_ifname);
	if ((fd = open(path, O_WRONLY | O_CLOEXEC)) == -1) {
		pppol2tp_session_fail(s, "open %s", path);
		return (-1);
	}
	if (write(fd, "1\n", 2) != 2) {
		pppol2tp_session_fail(s, "write 1 to %s", path);
		pppol2tp_close(&fd);
		return (-1);
	}
	pppol2tp_close(&fd);
	return (0);
}

int
pppol2tp_session_ifup(struct pppol2tp_session *s, struct in_addr local,
    struct in_addr peer)
{
	char	 l[INET_ADDRSTRLEN], p[INET_ADDRSTRLEN];

	if (s->ps_unit == -1) {
		errno = EINVAL;
		pppol2tp_session_fail(s, "no unit");
		return (-1);
	}
	/* Filter first: no moment where pppN is up and accepts anything. */
	if (pppol2tp_rpfilter(s) == -1)
		return (-1);
	/*
	 * LOCAL peer PEER/32: the kernel adds PEER/32 dev pppN, the one
	 * route through pppN, so strict rp_filter accepts PEER only.
	 */
	if (iface_addr_add(s->ps_ifname, local, peer) == -1) {
		pppol2tp_session_fail(s, "add address %s peer %s",
		    inet_ntop(AF_INET, &local, l, sizeof(l)) ? l : "?",
		    inet_ntop(AF_INET, &peer, p, sizeof(p)) ? p : "?");
		return (-1);
	}
	if (pppol2tp_ifioctl(s, SIOCSIFFLAGS, 0) == -1) {
		(void)iface_addr_del(s->ps_ifname, local, peer);
		return (-1);
	}
	log_debug("pppol2tp: %s up, %s peer %s", s->ps_ifname,
	    inet_ntop(AF_INET, &local, l, sizeof(l)) ? l : "?",
	    inet_ntop(AF_INET, &peer, p, sizeof(p)) ? p : "?");
	return (0);
}

int
pppol2tp_session_stats(struct pppol2tp_session *s, struct pppol2tp_stats *st)
{
	struct pppol2tp_ioc_stats	 ks;

	memset(&ks, 0, sizeof(ks));
	if (ioctl(s->ps_sock, PPPIOCGL2TPSTATS, &ks) == -1) {
		pppol2tp_session_fail(s, "PPPIOCGL2TPSTATS");
		return (-1);
	}
	st->st_tx_packets = ks.tx_packets;
	st->st_tx_bytes = ks.tx_bytes;
	st->st_tx_errors = ks.tx_errors;
	st->st_rx_packets = ks.rx_packets;
	st->st_rx_bytes = ks.rx_bytes;
	st->st_rx_seq_discards = ks.rx_seq_discards;
	st->st_rx_oos_packets = ks.rx_oos_packets;
	st->st_rx_errors = ks.rx_errors;
	return (0);
}

/* RTM_DELLINK for ifindex on a socket of its own; 0 or -1 (errno). */
static int
pppol2tp_dellink(unsigned int ifindex)
{
	struct {
		struct nlmsghdr		nh;
		struct ifinfomsg	ifi;
	} req;
	struct sockaddr_nl	 sa;
	char			 buf[1024];
	struct nlmsghdr		*nh;
	struct nlmsgerr		*e;
	ssize_t			 n;
	int			 fd, rv = -1;

	if ((fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC,
	    NETLINK_ROUTE)) == -1)
		return (-1);
	memset(&req, 0, sizeof(req));
	req.nh.nlmsg_len = sizeof(req);
	req.nh.nlmsg_type = RTM_DELLINK;
	req.nh.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	req.nh.nlmsg_seq = 1;
	req.ifi.ifi_family = AF_UNSPEC;
	req.ifi.ifi_index = (int)ifindex;
	memset(&sa, 0, sizeof(sa));
	sa.nl_family = AF_NETLINK;
	if (sendto(fd, &req, sizeof(req), 0, (struct sockaddr *)&sa,
	    sizeof(sa)) == -1)
		goto out;
	for (;;) {
		if ((n = recv(fd, buf, sizeof(buf), 0)) == -1) {
			if (errno == EINTR)
				continue;
			goto out;
		}
		for (nh = (struct nlmsghdr *)(void *)buf; NLMSG_OK(nh, n);
		    nh = NLMSG_NEXT(nh, n)) {
			if (nh->nlmsg_seq != 1 || nh->nlmsg_type != NLMSG_ERROR)
				continue;
			if (nh->nlmsg_len < NLMSG_LENGTH(sizeof(*e))) {
				errno = EIO;
				goto out;
			}
			e = NLMSG_DATA(nh);
			if (e->error == 0)
				rv = 0;
			else
				errno = -e->error;
			goto out;
		}
	}
 out:
	pppol2tp_close(&fd);
	return (rv);
}

int
pppol2tp_session_destroy(struct pppol2tp_session *s)
{
	char	 now[IF_NAMESIZE];
	int	 rv = 0;

	if (s->ps_sock == -1 && s->ps_chan == -1 && s->ps_unit == -1)
		return (0);
	/* pppd's order: the channel leaves the unit, then goes. */
	if (s->ps_chan != -1)
		(void)ioctl(s->ps_chan, PPPIOCDISCONN);
	pppol2tp_close(&s->ps_chan);
	/* The unit's owner closing it unregisters pppN (ppp_release()). */
	pppol2tp_close(&s->ps_unit);
	/* The kernel session goes, and with it the PPP channel. */
	pppol2tp_close(&s->ps_sock);
	/*
	 * Still there if another process holds a copy of the unit fd:
	 * delete it, which detaches that copy.  The ifindex and the name
	 * must both match, so a pppN made since by someone else stays.
	 */
	if (s->ps_ifindex != 0 && if_indextoname(s->ps_ifindex, now) != NULL &&
	    strcmp(now, s->ps_ifname) == 0) {
		if (pppol2tp_dellink(s->ps_ifindex) == 0 || errno == ENODEV)
			log_debug("pppol2tp: %s deleted: another process "
			    "held its unit", s->ps_ifname);
		else {
			pppol2tp_session_fail(s, "delete interface "
			    "(RTM_DELLINK)");
			rv = -1;
		}
	}
	log_debug("pppol2tp: session %u/%u in tunnel %u/%u closed, %s %s",
	    s->ps_sid, s->ps_peer_sid, s->ps_tid, s->ps_peer_tid,
	    s->ps_ifname, rv == 0 ? "removed" : "left");
	s->ps_ifindex = 0;
	return (rv);
}
