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

#include <arpa/inet.h>
#include <netinet/in.h>
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
 * can choose, the local address of every datagram.
 */
static int
sock_udp(const struct conf_listen *cl, uint16_t port,
    struct sockaddr_storage *bound)
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
		if ((fd = sock_udp(cl, 1701, &ms.ms_local)) == -1)
			return (-1);
		if (proc_compose_fd(&pa->pa_procs[owner], MSG_SOCKET, fd, &ms,
		    sizeof(ms)) == -1)
			return (-1);
	}
	return (0);
}
