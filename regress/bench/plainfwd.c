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


/*
 * plainfwd: the reference regress/bench/tunnel_bench.sh measures the
 * userspace data path against.  One process per side, doing what the
 * datapath child does minus ESP, L2TP and PPP: IPv4 packets from a TUN
 * go out bare in UDP datagrams to the other side's UDP 4500, and
 * datagrams from there go to the TUN.
 *
 *   plainfwd server -l 192.0.2.1:4500 -a 10.2.0.1 -R 10.2.0.100
 *   plainfwd client -l 0.0.0.0:4500 -r 192.0.2.1:4500 -a 10.2.0.100 \
 *       -p 10.2.0.1 [-s 198.51.100.2]
 *   common options: [-m mtu] [-o offset] [-t tun-pattern]
 *
 * What is the same as the daemon, so that the difference is the cost of
 * the protocols alone:
 *  - the TUN, made by the same library calls as the parent's
 *    (iface_tun_create(), IFF_TUN | IFF_NO_PI, IPv6 off, the MTU):
 *    the server's "l2tpsec%d" with its local /32 and a host route per
 *    client (iface_addr_add_local(), iface_route_add_host()), the
 *    client's "l2tpsecc%d" with local and peer (iface_addr_add());
 *  - the UDP socket as parent/sockets.c makes it: non-blocking,
 *    IP_PKTINFO on, second in a SO_REUSEPORT pair behind a socket that
 *    stands in for ike's, with the same classic-BPF steering program;
 *    on the wildcard address (the client) every datagram says its
 *    source address in an IP_PKTINFO cmsg, as dp_tx_commit() does;
 *  - the loop of datapath.c and dp_tun.c, with their constants: libevent,
 *    up to 2 * DP_BATCH read()s per TUN event into the slots of a
 *    DP_BATCH sendmmsg() batch, up to 4 recvmmsg() of DP_BATCH slots of
 *    DP_SLOT bytes per socket event, one write() per packet to the TUN,
 *    each IPv4 header parsed with dp_ipv4_parse();
 *  - the server sends to where the last datagram came from (the SA's
 *    peer, after NAT); the client says hello every second so that the
 *    server knows where that is before any traffic (the daemon's IKE and
 *    NAT-T keepalives do that for the tunnel).
 * One process per side, event loop and all; pin it as the daemon's
 * datapath child is pinned.  SIGTERM or SIGINT prints the counters.
 * -o puts packets that many bytes into the (page-aligned) buffers, for
 * experiments with alignment: the datapath's IP packets sit DP_OFF_IP
 * bytes into a slot, its ESP packets further forward.
 */

#include <sys/socket.h>
#include <sys/types.h>

#include <arpa/inet.h>
#include <linux/filter.h>
#include <net/if.h>
#include <netinet/in.h>
#include <err.h>
#include <errno.h>
#include <event.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/log.h"
#include "datapath/datapath.h"
#include "netcfg/iface.h"

/* The client's hello: not IPv4, and not zero (the steering's ike mark). */
#define PF_HELLO	"plainfwd hello"

enum pf_stat {
	PF_TUN_RX,
	PF_TUN_BAD,
	PF_NO_PEER,
	PF_UDP_TX,
	PF_UDP_TX_ERR,
	PF_UDP_RX,
	PF_UDP_TRUNC,
	PF_UDP_BAD,
	PF_HELLO_RX,
	PF_TUN_TX,
	PF_TUN_TX_ERR,
	PF_NSTAT
};

static const char *pf_stat_names[PF_NSTAT] = {
	"tun_rx", "tun_bad", "no_peer", "udp_tx", "udp_tx_err", "udp_rx",
	"udp_trunc", "udp_bad", "hello_rx", "tun_tx", "tun_tx_err"
};

/* The buffers first: page-aligned, so -o alone sets the alignment. */
struct pf_txq {
	uint8_t			 tq_buf[DP_BATCH][DP_SLOT];
	struct mmsghdr		 tq_msg[DP_BATCH];
	struct iovec		 tq_iov[DP_BATCH];
	struct sockaddr_in	 tq_dst[DP_BATCH];
	union dp_cmsg		 tq_cmsg[DP_BATCH];
	size_t			 tq_n;
};

struct pf_rxq {
	uint8_t			 rq_buf[DP_BATCH][DP_SLOT];
	struct mmsghdr		 rq_msg[DP_BATCH];
	struct iovec		 rq_iov[DP_BATCH];
	struct sockaddr_in	 rq_peer[DP_BATCH];
};

struct pf {
	struct event_base	*pf_base;
	int			 pf_client;
	int			 pf_tun;
	int			 pf_udp;
	int			 pf_ike;	/* ike's stand-in, never read */
	int			 pf_wild;	/* bound to 0.0.0.0 */
	struct in_addr		 pf_src;	/* wild: the source to use */
	struct sockaddr_in	 pf_peer;
	int			 pf_have_peer;
	size_t			 pf_off;	/* where packets sit in a slot */
	struct pf_txq		*pf_tx;
	struct pf_rxq		*pf_rx;
	uint64_t		 pf_st[PF_NSTAT];
	struct event		 pf_tun_ev;
	struct event		 pf_udp_ev;
	struct event		 pf_hello_ev;
	struct event		 pf_term_ev;
	struct event		 pf_int_ev;
};

static void
pf_usage(void)
{
	fprintf(stderr, "usage: plainfwd server -l ADDR:PORT -a LOCAL "
	    "-R CLIENT [-m mtu] [-o off] [-t pattern]\n"
	    "       plainfwd client -l ADDR:PORT -r ADDR:PORT -a LOCAL "
	    "-p PEER [-s SRC] [-m mtu] [-o off] [-t pattern]\n");
	exit(2);
}

static void
pf_sockaddr(const char *s, struct sockaddr_in *sin)
{
	char		 buf[64], *colon, *end;
	unsigned long	 port;

	if (strlen(s) >= sizeof(buf))
		errx(2, "bad address %s", s);
	strcpy(buf, s);
	if ((colon = strrchr(buf, ':')) == NULL)
		errx(2, "bad address %s: ADDR:PORT", s);
	*colon = '\0';
	port = strtoul(colon + 1, &end, 10);
	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	sin->sin_port = htons((uint16_t)port);
	if (*end != '\0' || port == 0 || port > 65535 ||
	    inet_pton(AF_INET, buf, &sin->sin_addr) != 1)
		errx(2, "bad address %s", s);
}

static void
pf_inaddr(const char *s, struct in_addr *in)
{
	if (inet_pton(AF_INET, s, in) != 1)
		errx(2, "bad address %s", s);
}

/* parent/sockets.c: sock_udp() and sock_attach_steering(). */
static int
pf_socket(const struct sockaddr_in *sin, int steer)
{
	static struct sock_filter code[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, 0),
		BPF_STMT(BPF_RET | BPF_K, 1),
	};
	struct sock_fprog	 prog = { sizeof(code) / sizeof(code[0]), code };
	int			 fd, on = 1;

	if ((fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    IPPROTO_UDP)) == -1)
		err(1, "socket");
	(void)setsockopt(fd, IPPROTO_IP, IP_PKTINFO, &on, sizeof(on));
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &on, sizeof(on)) == -1)
		err(1, "SO_REUSEPORT");
	if (bind(fd, (const struct sockaddr *)sin, sizeof(*sin)) == -1)
		err(1, "bind %s:%u", inet_ntoa(sin->sin_addr),
		    ntohs(sin->sin_port));
	if (steer && setsockopt(fd, SOL_SOCKET, SO_ATTACH_REUSEPORT_CBPF,
	    &prog, sizeof(prog)) == -1)
		err(1, "SO_ATTACH_REUSEPORT_CBPF");
	return (fd);
}

/* datapath.c: dp_tx_flush(). */
static void
pf_tx_flush(struct pf *pf)
{
	struct pf_txq	*tq = pf->pf_tx;
	size_t		 k;
	int		 r;

	for (k = 0; k < tq->tq_n; ) {
		r = sendmmsg(pf->pf_udp, &tq->tq_msg[k],
		    (unsigned int)(tq->tq_n - k), MSG_DONTWAIT);
		if (r > 0) {
			k += (size_t)r;
			pf->pf_st[PF_UDP_TX] += (size_t)r;
			continue;
		}
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1 && (errno == EAGAIN || errno == EWOULDBLOCK ||
		    errno == ENOBUFS)) {
			pf->pf_st[PF_UDP_TX_ERR] += tq->tq_n - k;
			break;
		}
		pf->pf_st[PF_UDP_TX_ERR]++;
		k++;
	}
	tq->tq_n = 0;
}

static uint8_t *
pf_tx_slot(struct pf *pf)
{
	if (pf->pf_tx->tq_n == DP_BATCH)
		pf_tx_flush(pf);
	return (pf->pf_tx->tq_buf[pf->pf_tx->tq_n]);
}

/* datapath.c: dp_tx_commit(), the IPv4 half. */
static void
pf_tx_commit(struct pf *pf, const uint8_t *ptr, size_t len)
{
	struct pf_txq		*tq = pf->pf_tx;
	size_t			 i = tq->tq_n;
	struct msghdr		*mh = &tq->tq_msg[i].msg_hdr;
	struct cmsghdr		*cm;
	struct in_pktinfo	 pi;

	memset(mh, 0, sizeof(*mh));
	tq->tq_dst[i] = pf->pf_peer;
	tq->tq_iov[i].iov_base = (void *)ptr;
	tq->tq_iov[i].iov_len = len;
	mh->msg_name = &tq->tq_dst[i];
	mh->msg_namelen = sizeof(tq->tq_dst[i]);
	mh->msg_iov = &tq->tq_iov[i];
	mh->msg_iovlen = 1;
	if (pf->pf_wild && pf->pf_src.s_addr != htonl(INADDR_ANY)) {
		memset(&tq->tq_cmsg[i], 0, sizeof(tq->tq_cmsg[i]));
		mh->msg_control = &tq->tq_cmsg[i];
		cm = (struct cmsghdr *)(void *)&tq->tq_cmsg[i];
		memset(&pi, 0, sizeof(pi));
		pi.ipi_spec_dst = pf->pf_src;
		mh->msg_controllen = CMSG_SPACE(sizeof(pi));
		cm->cmsg_level = IPPROTO_IP;
		cm->cmsg_type = IP_PKTINFO;
		cm->cmsg_len = CMSG_LEN(sizeof(pi));
		memcpy(CMSG_DATA(cm), &pi, sizeof(pi));
	}
	if (++tq->tq_n == DP_BATCH)
		pf_tx_flush(pf);
}

/* dp_tun.c: dp_tun_read(). */
static void
pf_tun_read(int fd, short events, void *arg)
{
	struct pf	*pf = arg;
	struct dp_ipv4	 h;
	uint8_t		*slot;
	ssize_t		 n;
	int		 i;

	(void)events;
	for (i = 0; i < 2 * DP_BATCH; i++) {
		slot = pf_tx_slot(pf) + pf->pf_off;
		n = read(fd, slot, DP_SLOT - pf->pf_off);
		if (n <= 0)
			break;
		pf->pf_st[PF_TUN_RX]++;
		if (dp_ipv4_parse(slot, (size_t)n, &h) != DP_P_OK ||
		    h.ip_len != (size_t)n) {
			pf->pf_st[PF_TUN_BAD]++;
			continue;
		}
		if (!pf->pf_have_peer) {
			pf->pf_st[PF_NO_PEER]++;
			continue;
		}
		pf_tx_commit(pf, slot, (size_t)n);
	}
	pf_tx_flush(pf);
}

/* datapath.c: dp_sock_read(), then dp_tun.c: dp_tun_write(). */
static void
pf_udp_read(int fd, short events, void *arg)
{
	struct pf	*pf = arg;
	struct pf_rxq	*rq = pf->pf_rx;
	struct msghdr	*mh;
	struct dp_ipv4	 h;
	const uint8_t	*pkt;
	size_t		 len;
	int		 round, i, n;

	(void)events;
	for (round = 0; round < 4; round++) {
		for (i = 0; i < DP_BATCH; i++) {
			mh = &rq->rq_msg[i].msg_hdr;
			memset(mh, 0, sizeof(*mh));
			rq->rq_iov[i].iov_base = rq->rq_buf[i] + pf->pf_off;
			rq->rq_iov[i].iov_len = DP_SLOT - pf->pf_off;
			mh->msg_name = &rq->rq_peer[i];
			mh->msg_namelen = sizeof(rq->rq_peer[i]);
			mh->msg_iov = &rq->rq_iov[i];
			mh->msg_iovlen = 1;
		}
		n = recvmmsg(fd, rq->rq_msg, DP_BATCH, MSG_DONTWAIT, NULL);
		if (n <= 0)
			break;
		for (i = 0; i < n; i++) {
			mh = &rq->rq_msg[i].msg_hdr;
			pkt = rq->rq_buf[i] + pf->pf_off;
			len = rq->rq_msg[i].msg_len;
			pf->pf_st[PF_UDP_RX]++;
			if (mh->msg_flags & MSG_TRUNC) {
				pf->pf_st[PF_UDP_TRUNC]++;
				continue;
			}
			/* Where the client is, after NAT: the SA's peer. */
			if (!pf->pf_client && (!pf->pf_have_peer ||
			    rq->rq_peer[i].sin_addr.s_addr !=
			    pf->pf_peer.sin_addr.s_addr ||
			    rq->rq_peer[i].sin_port != pf->pf_peer.sin_port)) {
				pf->pf_peer = rq->rq_peer[i];
				pf->pf_have_peer = 1;
			}
			if (len == sizeof(PF_HELLO) - 1 &&
			    memcmp(pkt, PF_HELLO, len) == 0) {
				pf->pf_st[PF_HELLO_RX]++;
				continue;
			}
			if (dp_ipv4_parse(pkt, len, &h) != DP_P_OK) {
				pf->pf_st[PF_UDP_BAD]++;
				continue;
			}
			if (write(pf->pf_tun, pkt, h.ip_len) == -1) {
				pf->pf_st[PF_TUN_TX_ERR]++;
				continue;
			}
			pf->pf_st[PF_TUN_TX]++;
		}
		if (n < DP_BATCH)
			break;
	}
	pf_tx_flush(pf);
}

static void
pf_hello(int fd, short events, void *arg)
{
	struct pf	*pf = arg;

	(void)fd;
	(void)events;
	(void)sendto(pf->pf_udp, PF_HELLO, sizeof(PF_HELLO) - 1,
	    MSG_DONTWAIT, (struct sockaddr *)&pf->pf_peer,
	    sizeof(pf->pf_peer));
}

static void
pf_term(int sig, short events, void *arg)
{
	struct pf	*pf = arg;
	size_t		 i;

	(void)events;
	fprintf(stderr, "plainfwd %s: signal %d:", pf->pf_client ? "client" :
	    "server", sig);
	for (i = 0; i < PF_NSTAT; i++)
		fprintf(stderr, " %s=%llu", pf_stat_names[i],
		    (unsigned long long)pf->pf_st[i]);
	fprintf(stderr, "\n");
	event_base_loopbreak(pf->pf_base);
}

int
main(int argc, char *argv[])
{
	struct pf		 pf;
	struct sockaddr_in	 bindto;
	struct in_addr		 local, peer, route;
	struct timeval		 tv = { 1, 0 };
	const char		*mode, *pattern = NULL;
	char			 name[IF_NAMESIZE];
	unsigned long		 mtu = 1400;
	int			 ch, have_bind = 0, have_local = 0;
	int			 have_p = 0, have_route = 0, have_r = 0;
	char			*end;
	void			*txm, *rxm;

	if (argc < 2)
		pf_usage();
	memset(&pf, 0, sizeof(pf));
	mode = argv[1];
	if (strcmp(mode, "client") == 0)
		pf.pf_client = 1;
	else if (strcmp(mode, "server") != 0)
		pf_usage();
	argv++;
	argc--;
	while ((ch = getopt(argc, argv, "a:l:m:o:p:r:R:s:t:")) != -1) {
		switch (ch) {
		case 'a':
			pf_inaddr(optarg, &local);
			have_local = 1;
			break;
		case 'l':
			pf_sockaddr(optarg, &bindto);
			have_bind = 1;
			break;
		case 'm':
			mtu = strtoul(optarg, &end, 10);
			if (*end != '\0' || mtu < 576 || mtu > 1500)
				errx(2, "bad MTU %s", optarg);
			break;
		case 'o':
			pf.pf_off = strtoul(optarg, &end, 10);
			if (*end != '\0' || pf.pf_off > 256)
				errx(2, "bad offset %s", optarg);
			break;
		case 'p':
			pf_inaddr(optarg, &peer);
			have_p = 1;
			break;
		case 'r':
			pf_sockaddr(optarg, &pf.pf_peer);
			have_r = 1;
			break;
		case 'R':
			pf_inaddr(optarg, &route);
			have_route = 1;
			break;
		case 's':
			pf_inaddr(optarg, &pf.pf_src);
			break;
		case 't':
			pattern = optarg;
			break;
		default:
			pf_usage();
		}
	}
	if (optind != argc || !have_bind || !have_local ||
	    (pf.pf_client && (!have_r || !have_p || have_route)) ||
	    (!pf.pf_client && (!have_route || have_p)))
		pf_usage();
	if (pattern == NULL)
		pattern = pf.pf_client ? "l2tpsecc%d" : "l2tpsec%d";
	pf.pf_have_peer = have_r;
	pf.pf_wild = bindto.sin_addr.s_addr == htonl(INADDR_ANY);
	log_init("plainfwd", 1, 0);

	/* parent/dataplane.c (server), parent/client.c (client). */
	if ((pf.pf_tun = iface_tun_create(pattern, (unsigned int)mtu, name,
	    sizeof(name))) == -1)
		errx(1, "cannot create the TUN");
	if (pf.pf_client) {
		if (iface_addr_add(name, local, peer) == -1)
			errx(1, "cannot address %s", name);
	} else if (iface_addr_add_local(name, local) == -1 ||
	    iface_route_add_host(route, name) == -1)
		errx(1, "cannot address or route %s", name);

	pf.pf_ike = pf_socket(&bindto, 0);
	pf.pf_udp = pf_socket(&bindto, 1);
	if ((errno = posix_memalign(&txm, 4096, sizeof(*pf.pf_tx))) != 0 ||
	    (errno = posix_memalign(&rxm, 4096, sizeof(*pf.pf_rx))) != 0)
		err(1, "posix_memalign");
	pf.pf_tx = txm;
	pf.pf_rx = rxm;
	memset(pf.pf_tx, 0, sizeof(*pf.pf_tx));
	memset(pf.pf_rx, 0, sizeof(*pf.pf_rx));
	if ((pf.pf_base = event_base_new()) == NULL)
		errx(1, "event_base_new");
	event_assign(&pf.pf_tun_ev, pf.pf_base, pf.pf_tun,
	    EV_READ | EV_PERSIST, pf_tun_read, &pf);
	event_add(&pf.pf_tun_ev, NULL);
	event_assign(&pf.pf_udp_ev, pf.pf_base, pf.pf_udp,
	    EV_READ | EV_PERSIST, pf_udp_read, &pf);
	event_add(&pf.pf_udp_ev, NULL);
	evsignal_assign(&pf.pf_term_ev, pf.pf_base, SIGTERM, pf_term, &pf);
	evsignal_add(&pf.pf_term_ev, NULL);
	evsignal_assign(&pf.pf_int_ev, pf.pf_base, SIGINT, pf_term, &pf);
	evsignal_add(&pf.pf_int_ev, NULL);
	if (pf.pf_client) {
		event_assign(&pf.pf_hello_ev, pf.pf_base, -1, EV_PERSIST,
		    pf_hello, &pf);
		evtimer_add(&pf.pf_hello_ev, &tv);
		pf_hello(-1, 0, &pf);
	}
	printf("plainfwd %s: %s up\n", mode, name);
	fflush(stdout);
	event_base_dispatch(pf.pf_base);
	/* Closing the last descriptor removes the TUN and its routes. */
	(void)iface_tun_destroy(pf.pf_tun, name);
	close(pf.pf_udp);
	close(pf.pf_ike);
	free(pf.pf_tx);
	free(pf.pf_rx);
	event_base_free(pf.pf_base);
	return (0);
}
