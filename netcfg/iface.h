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


#ifndef L2TPSEC_IFACE_H
#define L2TPSEC_IFACE_H

#include <netinet/in.h>

#include <stddef.h>

/*
 * TUN devices, IPv4 addresses and routes (parent only), through
 * rtnetlink.  Every function that can fail logs one line naming the
 * interface, address or route and the kernel's reason (errno text, and
 * the kernel's own message where it gives one), leaves errno set and
 * returns -1; nothing it did before the failure is left behind.
 *
 * What survives the daemon, and what does not:
 *  - A TUN is not persistent: it disappears when the last descriptor
 *    on it is closed -- the parent's and the datapath child's copies --
 *    and with it its addresses and every route through it (the
 *    server's per-session host routes, the client's default routes).
 *  - The one thing that outlives a crash is the client's host route to
 *    its server via the physical gateway.  Every route we add carries
 *    rtm_protocol IFACE_RTPROT, so `ip route show proto 245` lists
 *    exactly ours and iface_flush_ours() at start removes exactly the
 *    ones a killed daemon left.
 */

/*
 * Our routes' protocol.  Not RTPROT_STATIC (4): that marks the
 * administrator's routes, which routing daemons keep and may even
 * redistribute, and a flush by protocol could not tell theirs from
 * ours.  245 is reserved by nobody: not in linux/rtnetlink.h (0-18, 42,
 * 99, 186-192), not in iproute2's rt_protos, above FRR's 186-198.
 */
#define IFACE_RTPROT		245
#define IFACE_RTPROT_NAME	"l2tpsecd"

/*
 * A TUN (IFF_TUN | IFF_NO_PI: bare IPv4 packets, no header), named by
 * the kernel from pattern ("l2tpsec%d" -> "l2tpsec0"), with the MTU set,
 * IPv6 address generation off (the session carries IPv4 only; without
 * it the kernel sends router solicitations into the tunnel) and the
 * link up.  Returns the descriptor (O_RDWR | O_NONBLOCK | O_CLOEXEC) and
 * the name in name (IF_NAMESIZE bytes), or -1.  An existing persistent
 * TUN of that name is refused (EEXIST): closing would not remove it.
 */
int	iface_tun_create(const char *pattern, unsigned int mtu, char *name,
	    size_t namesz);
/*
 * Close fd (if >= 0) and make sure the interface is gone: if another
 * descriptor still holds it (the datapath child's copy), it is deleted
 * (RTM_DELLINK), which detaches that descriptor too.  0 or -1.
 */
int	iface_tun_destroy(int fd, const char *name);

/*
 * A client connection's TUN: local address, peer's address, /32
 * (`ip addr add LOCAL peer PEER dev NAME`).  The kernel adds the route
 * to PEER itself (proto kernel) and removes it with the address.
 */
int	iface_addr_add(const char *name, struct in_addr local,
	    struct in_addr peer);
int	iface_addr_del(const char *name, struct in_addr local,
	    struct in_addr peer);
/* The server's TUN: LOCAL/32, no peer, no route; sessions are routed. */
int	iface_addr_add_local(const char *name, struct in_addr local);
int	iface_addr_del_local(const char *name, struct in_addr local);

/*
 * DST/32 dev DEV, scope link, main table, metric 0, proto IFACE_RTPROT:
 * a server session's address through the TUN.  Adding fails with
 * EEXIST if such a route exists; deleting touches only ours (ESRCH if
 * there is none).
 */
int	iface_route_add_host(struct in_addr dst, const char *dev);
int	iface_route_del_host(struct in_addr dst, const char *dev);

/*
 * The route the kernel would use now to reach dst (`ip route get DST`):
 * the gateway if there is one (*has_gw), and the outgoing interface in
 * dev (at least IF_NAMESIZE bytes).  -1 if dst is unreachable, one of
 * this host's own addresses, or reached by a non-IPv4 gateway.
 */
int	iface_route_get(struct in_addr dst, struct in_addr *gw, int *has_gw,
	    char *dev, size_t devsz);

/*
 * DST/32 [via GW] dev DEV, main table, metric 0, proto IFACE_RTPROT: the
 * client's host route to its server through the gateway it uses now,
 * from iface_route_get().  EEXIST: someone else's route for DST/32 with
 * metric 0 is there; it is not ours to delete.
 */
int	iface_route_add_via(struct in_addr dst, struct in_addr gw,
	    int has_gw, const char *dev);
int	iface_route_del_via(struct in_addr dst, struct in_addr gw,
	    int has_gw, const char *dev);

/*
 * The default route through the tunnel, crash-safe.
 *
 * iface_default_replace() does not touch the table's default routes.
 * It adds 0.0.0.0/1 and 128.0.0.0/1 dev DEV (scope link, metric 0,
 * proto IFACE_RTPROT): more specific than any default, so they win
 * whatever the existing defaults' metrics (a static default has metric
 * 0 too, which a "lower metric" default could not beat), and, being
 * routes through the TUN, they vanish with it: a daemon killed at any
 * moment leaves the original defaults exactly as they were, not a host
 * without a default route.  It also saves every IPv4 default of the
 * main table (gateway, device, metric, protocol, type, nexthops).
 *
 * iface_default_restore() removes our two routes (none there, because
 * the TUN is gone already, is fine), compares the defaults with the
 * saved ones and frees saved.  Defaults that changed meanwhile -- a DHCP
 * client moved to a new gateway -- are logged and left as their owner
 * set them, never overwritten with the stale copy.  0 or -1 if our
 * routes could not be removed.
 */
struct iface_default;

struct iface_default *iface_default_replace(const char *dev);
int	iface_default_restore(struct iface_default *saved);
/* Number of defaults saved (tests, `show status`). */
size_t	iface_default_count(const struct iface_default *saved);

/*
 * Remove every IPv4 route with proto IFACE_RTPROT, in any table: at
 * start, what a killed predecessor left.  The number removed, or -1.
 * One daemon per network namespace (it binds UDP 500 anyway).
 */
int	iface_flush_ours(void);

#endif
