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
#include <sys/types.h>

#include <linux/filter.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/udp.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "common/addr.h"
#include "common/log.h"
#include "common/msg.h"
#include "config.h"
#include "parent.h"

/*
 * The sockets only root may open (ports below 1024), opened by the parent
 * and handed to the child that owns them (DESIGN.md, "Who owns what").
 */

/*
 * A UDP socket bound to a listen address (or to the wildcard on one
 * interface), port given.  IP_PKTINFO is on so that the owner learns, and
 * can choose, the local address of every datagram.  flags: SOCK_F_*.
 */
#define SOCK_F_REUSEPORT	0x01	/* the userspace 4500 pair */
#define SOCK_F_REUSEADDR	0x02	/* kernel 1701: tunnels bind beside */

static int
sock_udp(const struct conf_listen *cl, uint16_t port,
    struct sockaddr_storage *bound, int flags)
{
	struct sockaddr_storage	 ss;
	socklen_t		 sslen;
	char			 where[128];
	int			 fd, on = 1, family;

	memset(&ss, 0, sizeof(ss));
	if (cl->cl_is_iface) {
		struct sockaddr_in *sin = (struct sockaddr_in *)&ss;

		sin->sin_family = AF_INET;
		sin->sin_addr.s_addr = htonl(INADDR_ANY);
		snprintf(where, sizeof(where), "interface %s port %u",
		    cl->cl_iface, port);
	} else {
		ss = cl->cl_addr;
		sockaddr_str(&ss, where, sizeof(where));
	}
	family = ss.ss_family;
	if (family == AF_INET) {
		((struct sockaddr_in *)&ss)->sin_port = htons(port);
		sslen = sizeof(struct sockaddr_in);
	} else {
		((struct sockaddr_in6 *)&ss)->sin6_port = htons(port);
		sslen = sizeof(struct sockaddr_in6);
	}
	if (!cl->cl_is_iface)
		sockaddr_str(&ss, where, sizeof(where));
	if ((fd = socket(family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    IPPROTO_UDP)) == -1) {
		log_warn("socket for %s", where);
		return (-1);
	}
	if (family == AF_INET)
		(void)setsockopt(fd, IPPROTO_IP, IP_PKTINFO, &on, sizeof(on));
	else {
		(void)setsockopt(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, &on,
		    sizeof(on));
		(void)setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on,
		    sizeof(on));
	}
	if ((flags & SOCK_F_REUSEPORT) && setsockopt(fd, SOL_SOCKET,
	    SO_REUSEPORT, &on, sizeof(on)) == -1) {
		log_warn("SO_REUSEPORT on %s", where);
		close(fd);
		return (-1);
	}
	if ((flags & SOCK_F_REUSEADDR) && setsockopt(fd, SOL_SOCKET,
	    SO_REUSEADDR, &on, sizeof(on)) == -1) {
		log_warn("SO_REUSEADDR on %s", where);
		close(fd);
		return (-1);
	}
	if (cl->cl_is_iface && setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE,
	    cl->cl_iface, strlen(cl->cl_iface)) == -1) {
		log_warn("listen on %s", where);
		close(fd);
		return (-1);
	}
	if (bind(fd, (struct sockaddr *)&ss, sslen) == -1) {
		log_warn("cannot listen on %s", where);
		close(fd);
		return (-1);
	}
	*bound = ss;
	return (fd);
}

/*
 * The datapath's sockets carry every session's traffic: with the
 * default buffers (rmem_default, about 90 full-size datagrams) a burst
 * from a few fast clients overflows them while the datapath is busy on
 * the other side, and the kernel drops silently (UDP RcvbufErrors).
 * The *FORCE options work past net.core.rmem_max: we are root here.
 * Best effort: a failure only costs throughput, so it is logged.
 */
#define SOCK_DP_BUF	(4 * 1024 * 1024)

static void
sock_dp_buffers(int fd, const char *what)
{
	int	 sz = SOCK_DP_BUF;

	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &sz, sizeof(sz)) == -1 ||
	    setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &sz, sizeof(sz)) == -1)
		log_warn("socket buffers of %s", what);
}

int
sockets_esp_userspace(const struct parent *pa)
{
	return (pa->pa_dataplane == DATAPLANE_USERSPACE &&
	    pa->pa_procs[PROC_DATAPATH].p_pid != 0);
}

/*
 * RFC 3948 2.2: on UDP 4500 an IKE message starts with four zero bytes
 * (the non-ESP marker), ESP with its non-zero SPI.  The reuseport group
 * runs this program on the UDP payload and takes the socket it names:
 * 0 is ike's (bound first), 1 the datapath's.  A datagram too short to
 * load from (a one-byte NAT keepalive) makes the program return 0: ike.
 */
static int
sock_attach_steering(int fd)
{
	static struct sock_filter code[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, 0),
		BPF_STMT(BPF_RET | BPF_K, 1),
	};
	struct sock_fprog prog = { sizeof(code) / sizeof(code[0]), code };

	if (setsockopt(fd, SOL_SOCKET, SO_ATTACH_REUSEPORT_CBPF, &prog,
	    sizeof(prog)) == -1) {
		log_warn("SO_ATTACH_REUSEPORT_CBPF");
		return (-1);
	}
	return (0);
}

/*
 * The datapath's ESP sockets on one listen address: its UDP 4500 in the
 * reuseport pair (after ike's), and a raw IPPROTO_ESP socket.
 */
static int
sockets_esp(struct parent *pa, const struct conf_listen *cl)
{
	struct msg_socket	 ms;
	struct sockaddr_storage	 ss;
	socklen_t		 sslen;
	int			 fd;

	memset(&ms, 0, sizeof(ms));
	ms.ms_kind = SOCKET_ESP_UDP;
	if ((fd = sock_udp(cl, 4500, &ms.ms_local, SOCK_F_REUSEPORT)) == -1)
		return (-1);
	if (sock_attach_steering(fd) == -1) {
		close(fd);
		return (-1);
	}
	sock_dp_buffers(fd, "the ESP-in-UDP socket");
	if (proc_compose_fd(&pa->pa_procs[PROC_DATAPATH], MSG_SOCKET, fd, &ms,
	    sizeof(ms)) == -1)
		return (-1);

	memset(&ms, 0, sizeof(ms));
	ms.ms_kind = SOCKET_ESP_RAW;
	ss = ms.ms_local;
	if ((fd = socket(cl->cl_is_iface ? AF_INET : cl->cl_addr.ss_family,
	    SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_ESP)) == -1) {
		log_warn("raw ESP socket");
		return (-1);
	}
	sock_dp_buffers(fd, "the raw ESP socket");
	memset(&ss, 0, sizeof(ss));
	if (cl->cl_is_iface) {
		ss.ss_family = AF_INET;
		if (setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, cl->cl_iface,
		    strlen(cl->cl_iface)) == -1) {
			log_warn("raw ESP socket on %s", cl->cl_iface);
			close(fd);
			return (-1);
		}
	} else
		ss = cl->cl_addr;
	sslen = ss.ss_family == AF_INET6 ? sizeof(struct sockaddr_in6) :
	    sizeof(struct sockaddr_in);
	if (bind(fd, (struct sockaddr *)&ss, sslen) == -1) {
		log_warn("bind raw ESP socket");
		close(fd);
		return (-1);
	}
	ms.ms_local = ss;
	return (proc_compose_fd(&pa->pa_procs[PROC_DATAPATH], MSG_SOCKET, fd,
	    &ms, sizeof(ms)));
}

static int
sockets_ike_on(struct parent *pa, const struct conf_listen *cl)
{
	struct msg_socket	 ms;
	static const uint16_t	 ports[] = { 500, 4500 };
	size_t			 i;
	int			 fd, encap = UDP_ENCAP_ESPINUDP;

	for (i = 0; i < sizeof(ports) / sizeof(ports[0]); i++) {
		memset(&ms, 0, sizeof(ms));
		ms.ms_kind = SOCKET_IKE;
		/*
		 * Userspace data path: ike's 4500 is the first socket of a
		 * SO_REUSEPORT pair; the datapath's joins it below.
		 */
		if ((fd = sock_udp(cl, ports[i], &ms.ms_local,
		    ports[i] == 4500 && sockets_esp_userspace(pa) ?
		    SOCK_F_REUSEPORT : 0)) == -1)
			return (-1);
		/*
		 * Kernel data path: ESP in UDP on 4500 is the kernel's (RFC
		 * 3948); IKE, behind its non-ESP marker, still reaches ike.
		 */
		if (ports[i] == 4500 && pa->pa_dataplane == DATAPLANE_KERNEL &&
		    setsockopt(fd, IPPROTO_UDP, UDP_ENCAP, &encap,
		    sizeof(encap)) == -1) {
			log_warn("UDP_ENCAP_ESPINUDP on UDP 4500");
			close(fd);
			return (-1);
		}
		if (proc_compose_fd(&pa->pa_procs[PROC_IKE], MSG_SOCKET, fd,
		    &ms, sizeof(ms)) == -1)
			return (-1);
	}
	if (sockets_esp_userspace(pa))
		return (sockets_esp(pa, cl));
	return (0);
}

/*
 * UDP 500 and 4500 for ike: on every listen address, or, for a daemon
 * that only dials out, on the wildcard.
 */
int
sockets_ike(struct parent *pa)
{
	struct conf_listen	*cl, wild;

	if (TAILQ_EMPTY(&pa->pa_conf->c_listen)) {
		memset(&wild, 0, sizeof(wild));
		wild.cl_addr.ss_family = AF_INET;
		return (sockets_ike_on(pa, &wild));
	}
	TAILQ_FOREACH(cl, &pa->pa_conf->c_listen, cl_entry)
		if (sockets_ike_on(pa, cl) == -1)
			return (-1);
	return (0);
}

/* One channel between two children, say role a and role b. */
int
sockets_link(struct parent *pa, int a, int b)
{
	struct msg_socket	 ms;
	int			 sp[2];

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sp) == -1) {
		log_warn("socketpair %s <-> %s", proc_role_name(a),
		    proc_role_name(b));
		return (-1);
	}
	memset(&ms, 0, sizeof(ms));
	ms.ms_kind = SOCKET_CHANNEL;
	ms.ms_peer_role = b;
	if (proc_compose_fd(&pa->pa_procs[a], MSG_SOCKET, sp[0], &ms,
	    sizeof(ms)) == -1) {
		close(sp[1]);
		return (-1);
	}
	ms.ms_peer_role = a;
	return (proc_compose_fd(&pa->pa_procs[b], MSG_SOCKET, sp[1], &ms,
	    sizeof(ms)));
}

/*
 * UDP/1701 in the clear, only with `require-ipsec no`: with IPsec
 * required, L2TP arrives only inside ESP and no such socket exists.
 * The userspace data path owns it and relays control messages to l2tp.
 */
int
sockets_l2tp_clear(struct parent *pa, int owner)
{
	struct conf_listen	*cl;
	struct msg_socket	 ms;
	int			 fd;

	if (pa->pa_conf->c_l2tp.l2_require_ipsec)
		return (0);
	TAILQ_FOREACH(cl, &pa->pa_conf->c_listen, cl_entry) {
		memset(&ms, 0, sizeof(ms));
		ms.ms_kind = SOCKET_L2TP_CLEAR;
		if ((fd = sock_udp(cl, 1701, &ms.ms_local, 0)) == -1)
			return (-1);
		sock_dp_buffers(fd, "the UDP/1701 socket");
		if (proc_compose_fd(&pa->pa_procs[owner], MSG_SOCKET, fd, &ms,
		    sizeof(ms)) == -1)
			return (-1);
	}
	return (0);
}

/*
 * Kernel data path: l2tp's UDP/1701 on every listen address.  ESP is
 * the kernel's to require (the mandatory inbound policy), so this socket
 * sees only L2TP that came through IPsec (or, with `require-ipsec no`,
 * any).  SO_REUSEADDR lets each tunnel's own socket, bound to the same
 * address and connected to its peer, sit beside it (netcfg/pppol2tp.h).
 */
int
sockets_l2tp_kernel(struct parent *pa)
{
	struct conf_listen	*cl;
	struct msg_socket	 ms;
	int			 fd;

	TAILQ_FOREACH(cl, &pa->pa_conf->c_listen, cl_entry) {
		memset(&ms, 0, sizeof(ms));
		ms.ms_kind = SOCKET_L2TP_KERNEL;
		if ((fd = sock_udp(cl, 1701, &ms.ms_local,
		    SOCK_F_REUSEADDR)) == -1)
			return (-1);
		if (proc_compose_fd(&pa->pa_procs[PROC_L2TP], MSG_SOCKET, fd,
		    &ms, sizeof(ms)) == -1)
			return (-1);
	}
	return (0);
}
