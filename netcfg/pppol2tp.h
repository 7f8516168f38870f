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


#ifndef L2TPSEC_PPPOL2TP_H
#define L2TPSEC_PPPOL2TP_H

#include <net/if.h>
#include <netinet/in.h>

#include <stddef.h>
#include <stdint.h>

/*
 * The kernel data path of L2TP (RFC 2661) and PPP (parent only): the
 * PPPoL2TP sockets and /dev/ppp units that xl2tpd and pppd set up, as
 * described in the kernel's Documentation/networking/l2tp.rst.
 *
 *   tunnel:  a UDP socket bound to local:1701 and connected to the peer
 *            (control messages, T bit set, stay readable on it: the
 *            kernel hands them up), plus a PPPoL2TP "tunnel management"
 *            socket connected with session 0 on that UDP socket, which
 *            creates the kernel's tunnel context (`ip l2tp show tunnel`).
 *   session: a PPPoL2TP socket for (tunnel, session) -> a PPP channel;
 *            /dev/ppp attached to that channel (the channel fd: LCP,
 *            authentication, everything >= 0xc000); /dev/ppp with a new
 *            unit (the unit fd, interface pppN: IPCP and the other
 *            NCPs); the channel connected to the unit.
 *
 * Lifetimes, all kernel-enforced, so a daemon killed at any moment
 * leaves nothing behind: the kernel tunnel lives as long as its UDP
 * socket (every copy of the descriptor, wherever it was passed); pppN as
 * long as its unit fd; the L2TP session as long as its PPPoL2TP socket.
 *
 * Errors: a function that fails returns -1 with errno set and leaves
 * one line in the object's error buffer (tu_err, ps_err) naming the
 * operation, the tunnel and session ids and the errno text, e.g.
 * "tunnel 11/22 192.0.2.1:1701 -> 192.0.2.2:1701: bind: Address already
 * in use".  Nothing is logged at warning level here: the caller logs
 * it with what it knows besides (peer, user); success is logged at
 * debug level.  (iface_addr_add(), used for the address, logs its own
 * failure line too.)  What a failed create/attach/ifup had set up is
 * undone.  Every descriptor is O_CLOEXEC and O_NONBLOCK.
 *
 * IPv4 only for now (struct msg_tunnel allows IPv6; the kernel has
 * sockaddr_pppol2tpin6 for it).
 */

#define PPPOL2TP_PORT		1701
#define PPPOL2TP_ERR_MAX	256

struct pppol2tp_tunnel {
	int			 tu_udp;	/* bound, connected UDP */
	int			 tu_mgmt;	/* PPPoL2TP, session 0 */
	uint16_t		 tu_tid;	/* ours */
	uint16_t		 tu_peer_tid;
	struct sockaddr_in	 tu_local;
	struct sockaddr_in	 tu_peer;
	char			 tu_err[PPPOL2TP_ERR_MAX];
};

struct pppol2tp_session {
	int			 ps_sock;	/* PPPoL2TP socket */
	int			 ps_chan;	/* /dev/ppp, the channel */
	int			 ps_unit;	/* /dev/ppp, the unit */
	int			 ps_chindex;	/* PPPIOCGCHAN */
	int			 ps_unitno;	/* N of pppN */
	unsigned int		 ps_ifindex;
	char			 ps_ifname[IF_NAMESIZE];
	uint16_t		 ps_tid;
	uint16_t		 ps_peer_tid;
	uint16_t		 ps_sid;	/* ours */
	uint16_t		 ps_peer_sid;
	char			 ps_err[PPPOL2TP_ERR_MAX];
};

/*
 * 1 if this kernel can do it (a PPPoL2TP socket and /dev/ppp open), 0
 * if not (`dataplane auto`: l2tp_ppp or ppp_generic missing, or no
 * permission); why in err.
 */
int	pppol2tp_available(char *err, size_t errsz);

/*
 * A tunnel in two steps, or both at once:
 *
 * pppol2tp_tunnel_socket(): only the UDP socket (tu_udp), bound to
 * local (port 0 means 1701) and connected to peer, tu_mgmt -1.  It has
 * SO_REUSEADDR so it can share local:1701 with the daemon's listening
 * socket, which must have SO_REUSEADDR too (bound to *:1701 or
 * local:1701; with no option or SO_REUSEPORT the bind fails,
 * EADDRINUSE).  The peer's datagrams then arrive here, everyone else's
 * on the listener.  For the client role, which sends SCCRQ before it
 * knows the peer's tunnel id.
 *
 * pppol2tp_tunnel_attach(): the kernel tunnel on t->tu_udp (SCCCN sent
 * or received, RFC 2661 5.1.1: both ids known, the peer authenticated;
 * junk on 1701 must not make kernel state).  tid must be unique in the
 * network namespace: EEXIST while the kernel still has a tunnel with
 * that id, i.e. while any process holds a copy of that tunnel's UDP
 * socket.  (The kernel itself would let us join that old tunnel, on
 * its old socket, unless its session 0 is still open; we check and
 * refuse.)  On failure tu_udp stays as it was.
 *
 * pppol2tp_tunnel_create(): both (the server role, at SCCCN).  On
 * failure t->tu_udp and t->tu_mgmt are -1.
 */
int	pppol2tp_tunnel_socket(struct pppol2tp_tunnel *t,
	    const struct sockaddr_in *local, const struct sockaddr_in *peer);
int	pppol2tp_tunnel_attach(struct pppol2tp_tunnel *t, uint16_t tid,
	    uint16_t peer_tid);
int	pppol2tp_tunnel_create(struct pppol2tp_tunnel *t,
	    const struct sockaddr_in *local, const struct sockaddr_in *peer,
	    uint16_t tid, uint16_t peer_tid);
/*
 * Close both descriptors (-1 afterwards).  The kernel deletes the
 * tunnel, and every session still in it, once the last copy of tu_udp is
 * closed (the l2tp child's too).
 */
void	pppol2tp_tunnel_destroy(struct pppol2tp_tunnel *t);

/*
 * A session (ICCN received or sent, RFC 2661 5.1.2) in t, with pppN
 * created, its MTU set (mtu) and the unit's MRU (mru: the largest frame
 * it accepts), IPv4 and IPv6 not passed yet (NPMODE_DROP: RFC 1661 12,
 * no network traffic before its NCP is open), the link down and without
 * addresses.  flags: PPPOL2TP_LNS (we are the LNS: the kernel then does
 * not start sending sequence numbers because the peer does, RFC 2661
 * 5.4), PPPOL2TP_SEQ (send and require sequence numbers on data).  On
 * failure every descriptor is -1.
 */
#define PPPOL2TP_LNS	0x01
#define PPPOL2TP_SEQ	0x02
int	pppol2tp_session_create(struct pppol2tp_session *s,
	    const struct pppol2tp_tunnel *t, uint16_t sid, uint16_t peer_sid,
	    unsigned int mtu, unsigned int mru, int flags);
/* LCP opened with other values (RFC 1661 6.1): pppN's MTU, unit's MRU. */
int	pppol2tp_session_set_mtu(struct pppol2tp_session *s,
	    unsigned int mtu, unsigned int mru);
/*
 * IPCP opened (RFC 1332): pppN gets local peer PEER/32 (the kernel
 * routes PEER/32 to it), strict reverse-path filtering (only PEER is
 * accepted as a source on pppN; fails with EPERM, having done nothing,
 * if net.ipv4.conf.all.rp_filter is 2, which would make it loose), and
 * goes up.  IPv4 still needs pppol2tp_session_ip_pass().
 */
int	pppol2tp_session_ifup(struct pppol2tp_session *s,
	    struct in_addr local, struct in_addr peer);
/* PPPIOCSNPMODE for IPv4: pass (1, IPCP open) or drop (0, IPCP down). */
int	pppol2tp_session_ip_pass(struct pppol2tp_session *s, int pass);

/* The kernel's per-session L2TP counters (PPPIOCGL2TPSTATS). */
struct pppol2tp_stats {
	uint64_t	st_tx_packets;
	uint64_t	st_tx_bytes;
	uint64_t	st_tx_errors;
	uint64_t	st_rx_packets;
	uint64_t	st_rx_bytes;
	uint64_t	st_rx_seq_discards;
	uint64_t	st_rx_oos_packets;
	uint64_t	st_rx_errors;
};
int	pppol2tp_session_stats(struct pppol2tp_session *s,
	    struct pppol2tp_stats *st);

/*
 * Tear down (CDN or tunnel gone): disconnect the channel from the unit,
 * close the channel, the unit (pppN goes with it, and its address and
 * route) and the session socket (the kernel session goes).  If pppN is
 * still there because another process holds a copy of the unit fd (the
 * ppp child), it is deleted (RTM_DELLINK).  -1 only if pppN could not
 * be removed; the descriptors are closed (-1) in any case.
 */
int	pppol2tp_session_destroy(struct pppol2tp_session *s);

#endif
