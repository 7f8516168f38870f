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
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <event.h>
#include <fcntl.h>
#include <pwd.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/addr.h"
#include "common/child.h"
#include "common/msg.h"
#include "common/sandbox.h"
#include "datapath/datapath.h"
#include "imsg/imsg.h"
#include "test.h"

T_DEFINE_GLOBALS;

/*
 * Two datapath instances in one process, wired as the parent would wire
 * them: A is a server (one TUN for all sessions, routes by address), B a
 * client (its connection's own TUN).  Between their UDP 4500 sockets
 * sits a relay playing a NAT: both see the other as the relay's
 * address:port, and the relay can duplicate, corrupt or re-map what
 * passes.  The TUNs, ppp's session sockets and the l2tp channels are
 * socketpairs whose other ends the test holds, so every packet goes the
 * real way: TUN read, PPP, L2TP, inner UDP, ESP, sendmmsg, recvmmsg,
 * decap, session, anti-spoofing, TUN write.  A last pair runs raw ESP
 * (root only).
 */

struct node {
	const char		*n_name;
	struct child		 n_ch;
	struct datapath		*n_dp;
	struct imsgbuf		 n_parent;	/* the parent's end */
	struct imsgbuf		 n_l2tp;	/* l2tp's end */
	int			 n_tun;		/* the stack's end, server */
	int			 n_ctun;	/* ... client connection */
	int			 n_ppp;		/* ppp's end of the session */
	struct sockaddr_storage	 n_addr;	/* its UDP 4500 (or raw) */
};

static struct event_base	*base;
static struct node		 A, B;

/* The relay: r_fd faces both nodes; r_fd2 is the "new NAT mapping". */
static int	 r_fd = -1, r_fd2 = -1;
static struct sockaddr_storage r_addr, r_addr2;
static int	 r_dup, r_flip, r_use2, r_seen;
static uint32_t	 sa_life_s;	/* sa_add(): the next SA's time lifetime */

#define SA_AB		1	/* the first pair's id on both sides */
#define SA_REKEY	2
#define SA_SHORT	3
#define SES_A		10
#define SES_B		20

static const uint8_t	 key1[20] = "0123456789abcdefghij";
static const uint8_t	 key2[20] = "ABCDEFGHIJKLMNOPQRST";
static const uint8_t	 akey1[20] = "auth-key-one-twenty!";
static const uint8_t	 akey2[20] = "auth-key-two-twenty!";

static int
dispatch_none(struct chan *cn, struct imsg *im, void *arg)
{
	(void)cn;
	(void)im;
	(void)arg;
	return (CHAN_BAD);
}

static void
closed_none(struct chan *cn, int error, void *arg)
{
	(void)cn;
	(void)error;
	(void)arg;
}

static void
nonblock(int fd)
{
	(void)fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
}

static void
mkaddr(struct sockaddr_storage *ss, const char *ip, uint16_t port)
{
	memset(ss, 0, sizeof(*ss));
	if (strchr(ip, ':') != NULL) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;

		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(port);
		(void)inet_pton(AF_INET6, ip, &s6->sin6_addr);
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)ss;

		s4->sin_family = AF_INET;
		s4->sin_port = htons(port);
		(void)inet_pton(AF_INET, ip, &s4->sin_addr);
	}
}

static int
udp_bound(const char *ip, struct sockaddr_storage *bound)
{
	socklen_t	 len = sizeof(*bound);
	int		 fd;

	mkaddr(bound, ip, 0);
	if ((fd = socket(bound->ss_family, SOCK_DGRAM | SOCK_NONBLOCK,
	    0)) == -1 ||
	    bind(fd, (struct sockaddr *)bound, sockaddr_len(bound)) == -1 ||
	    getsockname(fd, (struct sockaddr *)bound, &len) == -1) {
		perror("udp socket");
		exit(2);
	}
	return (fd);
}

static int
give_socket(struct node *n, int kind, int fd,
    const struct sockaddr_storage *local)
{
	struct msg_socket	 ms;

	memset(&ms, 0, sizeof(ms));
	ms.ms_kind = kind;
	if (local != NULL)
		ms.ms_local = *local;
	if (kind == SOCKET_CHANNEL)
		ms.ms_peer_role = PROC_L2TP;
	return (datapath_socket(n->n_dp, fd, &ms, sizeof(ms)));
}

/* kind SOCKET_ESP_UDP or SOCKET_ESP_RAW on ip. */
static void
node_init(struct node *n, const char *name, const char *ip, int kind)
{
	int	 sp[2], fd;

	memset(n, 0, sizeof(*n));
	n->n_name = name;
	n->n_ctun = n->n_ppp = -1;
	n->n_ch.ch_base = base;
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sp) == -1 ||
	    chan_init(&n->n_ch.ch_parent, base, sp[0], MSG_CHILD_MAXMSG, 0,
	    dispatch_none, closed_none, NULL) == -1 ||
	    imsgbuf_init(&n->n_parent, sp[1], MSG_CHILD_MAXMSG, 0) == -1)
		exit(2);
	nonblock(sp[1]);
	if ((n->n_dp = calloc(1, sizeof(*n->n_dp))) == NULL)
		exit(2);
	datapath_init(n->n_dp, &n->n_ch);

	if (kind == SOCKET_ESP_UDP)
		fd = udp_bound(ip, &n->n_addr);
	else {
		mkaddr(&n->n_addr, ip, 0);
		if ((fd = socket(AF_INET, SOCK_RAW | SOCK_NONBLOCK,
		    IPPROTO_ESP)) == -1 || bind(fd,
		    (struct sockaddr *)&n->n_addr, sizeof(struct sockaddr_in))
		    == -1) {
			perror("raw ESP socket");
			exit(2);
		}
	}
	if (give_socket(n, kind, fd, &n->n_addr) == -1)
		exit(2);

	if (socketpair(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0, sp) == -1 ||
	    give_socket(n, SOCKET_TUN, sp[0], NULL) == -1)
		exit(2);
	n->n_tun = sp[1];

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sp) == -1 ||
	    give_socket(n, SOCKET_CHANNEL, sp[0], NULL) == -1 ||
	    imsgbuf_init(&n->n_l2tp, sp[1], MSG_CHILD_MAXMSG, 0) == -1)
		exit(2);
	nonblock(sp[1]);
}

static void
node_free(struct node *n)
{
	datapath_free(n->n_dp);
	free(n->n_dp);
	chan_close(&n->n_ch.ch_parent);
	close(n->n_parent.ib_fd);
	imsgbuf_clear(&n->n_parent);
	close(n->n_l2tp.ib_fd);
	imsgbuf_clear(&n->n_l2tp);
	close(n->n_tun);
	if (n->n_ctun != -1)
		close(n->n_ctun);
	if (n->n_ppp != -1)
		close(n->n_ppp);
}

static int
sa_add(struct node *n, uint32_t id, const struct sockaddr_storage *peer,
    uint32_t spi_in, uint32_t spi_out, int encap, int gcm, int swap,
    uint64_t kb)
{
	struct msg_sa_add	 m;
	const uint8_t		*ein = swap ? key2 : key1;
	const uint8_t		*eout = swap ? key1 : key2;
	int			 r;

	memset(&m, 0, sizeof(m));
	m.sa_id = id;
	m.sa_peer = *peer;
	m.sa_local = n->n_addr;
	m.sa_encap = encap;
	m.sa_spi_in = spi_in;
	m.sa_spi_out = spi_out;
	if (gcm) {
		m.sa_enc = ESP_ENC_AES_GCM_16;
		m.sa_enc_keylen = 20;
	} else {
		m.sa_enc = ESP_ENC_AES_CBC;
		m.sa_enc_keylen = 16;
		m.sa_auth = ESP_AUTH_HMAC_SHA1;
		m.sa_auth_keylen = 20;
		memcpy(m.sa_auth_in, swap ? akey2 : akey1, 20);
		memcpy(m.sa_auth_out, swap ? akey1 : akey2, 20);
	}
	memcpy(m.sa_enc_in, ein, 20);
	memcpy(m.sa_enc_out, eout, 20);
	m.sa_lifetime_kb = kb;
	m.sa_lifetime_s = sa_life_s;
	m.sa_local_port = 1701;
	m.sa_peer_port = 1701;
	m.sa_proto = 17;
	r = datapath_sa_add(n->n_dp, &m, sizeof(m));
	explicit_bzero(&m, sizeof(m));
	return (r);
}

/* sp: the SEQPACKET pair the parent would make, or NULL to make one. */
static void
session_add(struct node *n, uint32_t id, uint16_t tid, uint16_t sid,
    uint16_t ptid, uint16_t psid, const struct sockaddr_storage *peer,
    uint32_t sa, int *pre)
{
	struct msg_dp_session	 ds;
	int			 mine[2], *sp = pre != NULL ? pre : mine;

	memset(&ds, 0, sizeof(ds));
	ds.ds_ses.se_id = id;
	ds.ds_ses.se_tid = tid;
	ds.ds_ses.se_sid = sid;
	ds.ds_ses.se_peer_tid = ptid;
	ds.ds_ses.se_peer_sid = psid;
	ds.ds_ses.se_peer = *peer;
	mkaddr(&ds.ds_ses.se_local, "127.0.0.1", 1701);
	ds.ds_sa = sa;
	if ((pre == NULL && socketpair(AF_UNIX, SOCK_SEQPACKET |
	    SOCK_NONBLOCK, 0, sp) == -1) ||
	    datapath_session_add(n->n_dp, sp[0], &ds, sizeof(ds)) == -1)
		exit(2);
	n->n_ppp = sp[1];
}

static int
route(struct node *n, uint32_t id, const char *peer, const char *local,
    int client)
{
	struct msg_dp_route	 dr;
	int			 sp[2], fd = -1;

	memset(&dr, 0, sizeof(dr));
	dr.dr_id = id;
	(void)inet_pton(AF_INET, peer, &dr.dr_peer);
	(void)inet_pton(AF_INET, local, &dr.dr_local);
	dr.dr_mtu = 1400;
	if (client) {
		if (socketpair(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0,
		    sp) == -1)
			exit(2);
		fd = sp[0];
		n->n_ctun = sp[1];
	}
	return (datapath_route(n->n_dp, fd, &dr, sizeof(dr)));
}

/* The relay: B's datagrams to A and A's to B, both from the relay. */
static void
relay_pump(void)
{
	struct sockaddr_storage	 from;
	socklen_t		 flen;
	uint8_t			 buf[9000];
	ssize_t			 n;
	int			 fds[2] = { r_fd, r_fd2 }, i;
	const struct sockaddr_storage *to;

	for (i = 0; i < 2; i++) {
		for (;;) {
			flen = sizeof(from);
			n = recvfrom(fds[i], buf, sizeof(buf), 0,
			    (struct sockaddr *)&from, &flen);
			if (n <= 0)
				break;
			r_seen++;
			if (sockaddr_cmp(&from, &B.n_addr) == 0) {
				to = &A.n_addr;
				if (r_flip && n > 20) {
					buf[n - 1] ^= 0x01;	/* the ICV */
					r_flip = 0;
				}
				(void)sendto(r_use2 ? r_fd2 : r_fd, buf, n, 0,
				    (const struct sockaddr *)to,
				    sockaddr_len(to));
				if (r_dup) {
					(void)sendto(r_use2 ? r_fd2 : r_fd,
					    buf, n, 0,
					    (const struct sockaddr *)to,
					    sockaddr_len(to));
					r_dup = 0;
				}
			} else if (sockaddr_cmp(&from, &A.n_addr) == 0) {
				/* B knows the NAT as r_addr only. */
				(void)sendto(r_fd, buf, n, 0,
				    (const struct sockaddr *)&B.n_addr,
				    sockaddr_len(&B.n_addr));
			}
		}
	}
}

static void
pump(void)
{
	int	 i;

	for (i = 0; i < 8; i++) {
		(void)event_base_loop(base, EVLOOP_NONBLOCK);
		if (r_fd != -1)
			relay_pump();
	}
}

static uint64_t
st(struct node *n, int which)
{
	return (n->n_dp->dp_stats.st_count[which]);
}

/* 20-byte IPv4 header + UDP + payload of plen bytes. */
static size_t
mkpkt(uint8_t *b, const char *src, const char *dst, size_t plen)
{
	size_t	 tot = 28 + plen, i;

	memset(b, 0, 28);
	b[0] = 0x45;
	b[2] = tot >> 8;
	b[3] = tot & 0xff;
	b[8] = 64;
	b[9] = 17;
	(void)inet_pton(AF_INET, src, b + 12);
	(void)inet_pton(AF_INET, dst, b + 16);
	b[20] = 0x30; b[21] = 0x39;
	b[22] = 0x00; b[23] = 0x35;
	b[24] = (8 + plen) >> 8;
	b[25] = (8 + plen) & 0xff;
	for (i = 0; i < plen; i++)
		b[28 + i] = (uint8_t)(i * 7 + 1);
	return (tot);
}

/* Writes pkt to one TUN end, pumps, and says whether `to` got it. */
static int
tun_path(int from, int to, const uint8_t *pkt, size_t len)
{
	uint8_t	 got[9000];
	ssize_t	 n;
	int	 ok = 0;

	if (write(from, pkt, len) != (ssize_t)len)
		return (-1);
	pump();
	while ((n = read(to, got, sizeof(got))) > 0)
		if ((size_t)n == len && memcmp(got, pkt, len) == 0)
			ok++;
		else
			ok = -100;
	return (ok);
}

/* The next message of a type from an imsgbuf end, or 0 if none. */
static int
next_msg(struct imsgbuf *ib, uint32_t type, void *buf, size_t cap,
    size_t *len)
{
	struct imsg	 im;
	int		 r;

	for (;;) {
		while ((r = imsg_get(ib, &im)) == 1) {
			if (im.hdr.type != type) {
				imsg_free(&im);
				continue;
			}
			*len = im.datalen;
			if (im.datalen <= cap)
				memcpy(buf, im.data, im.datalen);
			imsg_free(&im);
			return (1);
		}
		if (imsgbuf_read(ib) <= 0)
			return (0);
	}
}

static void
drain(struct imsgbuf *ib)
{
	uint8_t	 b[MSG_CHILD_MAXMSG];
	size_t	 len;

	while (next_msg(ib, MSG_NONE, b, sizeof(b), &len) ||
	    next_msg(ib, MSG_DP_COUNTERS, b, sizeof(b), &len) ||
	    next_msg(ib, MSG_DP_SA_EXPIRE, b, sizeof(b), &len))
		;
}

static void
setup(void)
{
	base = event_base_new();
	node_init(&A, "A", "127.0.0.1", SOCKET_ESP_UDP);
	node_init(&B, "B", "127.0.0.1", SOCKET_ESP_UDP);
	r_fd = udp_bound("127.0.0.1", &r_addr);
	r_fd2 = udp_bound("127.0.0.1", &r_addr2);

	/* One SA pair; each side sees the other as the relay. */
	if (sa_add(&A, SA_AB, &r_addr, 0x1000, 0x2000, 1, 0, 0, 0) == -1 ||
	    sa_add(&B, SA_AB, &r_addr, 0x2000, 0x1000, 1, 0, 1, 0) == -1)
		exit(2);
	/* The server's session: ours 1/2, the client's 3/4. */
	session_add(&A, SES_A, 1, 2, 3, 4, &r_addr, SA_AB, NULL);
	session_add(&B, SES_B, 3, 4, 1, 2, &r_addr, SA_AB, NULL);
	if (route(&A, SES_A, "10.0.0.2", "10.0.0.1", 0) == -1 ||
	    route(&B, SES_B, "10.0.0.1", "10.0.0.2", 1) == -1)
		exit(2);
}

static void
t_contract(void)
{
	struct sockaddr_storage	 p;

	/* Duplicate ids and SPIs, SPI 0, families: the child exits. */
	T_ASSERT(sa_add(&A, SA_AB, &r_addr, 0x7000, 0x7001, 1, 0, 0, 0) ==
	    -1);
	T_ASSERT(sa_add(&A, 77, &r_addr, 0x1000, 0x7001, 1, 0, 0, 0) == -1);
	T_ASSERT(sa_add(&A, 77, &r_addr, 0, 0x7001, 1, 0, 0, 0) == -1);
	mkaddr(&p, "::1", 4500);
	T_ASSERT(sa_add(&A, 77, &p, 0x7000, 0x7001, 1, 0, 0, 0) == -1);
	T_ASSERT(datapath_sa_add(A.n_dp, &p, 7) == -1);
	T_ASSERT(dp_sa_find(A.n_dp, 77) == NULL);
	/* Deleting what is not there is fine (it may have expired). */
	T_ASSERT(datapath_sa_del(A.n_dp, "\x4d\0\0\0", 4) == 0);
	T_ASSERT(datapath_sa_del(A.n_dp, "\x4d\0\0", 3) == -1);
	T_ASSERT(route(&A, 999, "10.0.0.9", "10.0.0.1", 0) == 0);
	T_ASSERT(route(&A, SES_A, "0.0.0.0", "10.0.0.1", 0) == -1);
	T_ASSERT(route(&A, SES_A, "10.0.0.2", "10.0.0.1", 0) == 0);
}

static void
t_server_to_client(void)
{
	uint8_t	 pkt[2000];
	size_t	 len;

	len = mkpkt(pkt, "198.51.100.7", "10.0.0.2", 1000);
	T_ASSERT(tun_path(A.n_tun, B.n_ctun, pkt, len) == 1);
	T_ASSERT(st(&A, DP_ST_TUN_RX) == 1);
	T_ASSERT(st(&B, DP_ST_TUN_TX) == 1);
	/* Small and odd sizes: padding and the CBC block. */
	for (len = 0; len < 40; len++) {
		size_t l = mkpkt(pkt, "198.51.100.7", "10.0.0.2", len);

		T_ASSERT(tun_path(A.n_tun, B.n_ctun, pkt, l) == 1);
	}
	/* Nobody owns 10.0.0.3. */
	len = mkpkt(pkt, "198.51.100.7", "10.0.0.3", 10);
	T_ASSERT(tun_path(A.n_tun, B.n_ctun, pkt, len) == 0);
	T_ASSERT(st(&A, DP_ST_TUN_NO_ROUTE) == 1);
	/* Not IPv4: an IPv6 header, and a truncated IPv4 one. */
	pkt[0] = 0x60;
	T_ASSERT(tun_path(A.n_tun, B.n_ctun, pkt, len) == 0);
	len = mkpkt(pkt, "198.51.100.7", "10.0.0.2", 10);
	T_ASSERT(tun_path(A.n_tun, B.n_ctun, pkt, len - 1) == 0);
	T_ASSERT(st(&A, DP_ST_TUN_NOT_IPV4) == 2);
}

static void
t_client_to_server(void)
{
	uint8_t	 pkt[2000];
	size_t	 len;

	len = mkpkt(pkt, "10.0.0.2", "203.0.113.5", 1300);
	T_ASSERT(tun_path(B.n_ctun, A.n_tun, pkt, len) == 1);
	/* The client sends only from its own address. */
	len = mkpkt(pkt, "10.0.0.9", "203.0.113.5", 30);
	T_ASSERT(tun_path(B.n_ctun, A.n_tun, pkt, len) == 0);
	T_ASSERT(st(&B, DP_ST_IP_SPOOFED) == 1);
}

/*
 * A client that forges its source: straight into its ppp socket, past
 * its own TUN check.  The server drops it: no client sends as another.
 */
static void
t_antispoof(void)
{
	uint8_t	 frame[200], got[200];
	size_t	 len;
	uint64_t before = st(&A, DP_ST_IP_SPOOFED);

	frame[0] = 0x00;
	frame[1] = 0x21;
	len = mkpkt(frame + 2, "10.0.0.7", "10.0.0.1", 20);
	T_ASSERT(send(B.n_ppp, frame, len + 2, 0) == (ssize_t)len + 2);
	pump();
	T_ASSERT(st(&A, DP_ST_IP_SPOOFED) == before + 1);
	T_ASSERT(read(A.n_tun, got, sizeof(got)) == -1);
	/* The same with its own address goes through. */
	len = mkpkt(frame + 2, "10.0.0.2", "10.0.0.1", 20);
	T_ASSERT(send(B.n_ppp, frame, len + 2, 0) == (ssize_t)len + 2);
	pump();
	T_ASSERT(read(A.n_tun, got, sizeof(got)) == (ssize_t)len);
	/* And packets for the server that are not for the client's address. */
	before = st(&B, DP_ST_IP_SPOOFED);
	len = mkpkt(frame + 2, "10.0.0.1", "10.0.0.77", 20);
	T_ASSERT(send(A.n_ppp, frame, len + 2, 0) == (ssize_t)len + 2);
	pump();
	T_ASSERT(st(&B, DP_ST_IP_SPOOFED) == before + 1);
	T_ASSERT(read(B.n_ctun, got, sizeof(got)) == -1);
}

/* LCP and anything but routed IPv4 go up to ppp, byte for byte. */
static void
t_ppp_frames(void)
{
	uint8_t	 lcp[] = { 0xc0, 0x21, 0x09, 0x07, 0x00, 0x08, 1, 2, 3, 4 };
	uint8_t	 got[64];

	T_ASSERT(send(B.n_ppp, lcp, sizeof(lcp), 0) == sizeof(lcp));
	pump();
	T_ASSERT(read(A.n_ppp, got, sizeof(got)) == sizeof(lcp));
	T_ASSERT(memcmp(got, lcp, sizeof(lcp)) == 0);
	lcp[2] = 0x0a;
	T_ASSERT(send(A.n_ppp, lcp, sizeof(lcp), 0) == sizeof(lcp));
	pump();
	T_ASSERT(read(B.n_ppp, got, sizeof(got)) == sizeof(lcp));
	T_ASSERT(memcmp(got, lcp, sizeof(lcp)) == 0);
	T_ASSERT(st(&A, DP_ST_PPP_UP) >= 1 && st(&B, DP_ST_PPP_UP) >= 1);
}

static void
ctrl_out(struct node *n, uint32_t sa, const struct sockaddr_storage *peer,
    const uint8_t *msg, size_t len)
{
	struct msg_l2tp_ctrl	 lt;
	uint8_t			 buf[sizeof(lt) + 64];

	memset(&lt, 0, sizeof(lt));
	lt.lt_peer = *peer;
	mkaddr(&lt.lt_local, "127.0.0.1", 1701);
	lt.lt_sa = sa;
	lt.lt_len = len;
	memcpy(buf, &lt, sizeof(lt));
	memcpy(buf + sizeof(lt), msg, len);
	(void)imsg_compose(&n->n_l2tp, MSG_L2TP_CTRL_OUT, 0, 0, -1, buf,
	    sizeof(lt) + len);
	(void)imsgbuf_flush(&n->n_l2tp);
}

static int
ctrl_in(struct node *n, struct msg_l2tp_ctrl *lt, uint8_t *msg, size_t cap)
{
	uint8_t	 buf[sizeof(*lt) + MSG_L2TP_CTRL_MAX];
	size_t	 len;

	if (!next_msg(&n->n_l2tp, MSG_L2TP_CTRL_IN, buf, sizeof(buf), &len) ||
	    len < sizeof(*lt))
		return (-1);
	memcpy(lt, buf, sizeof(*lt));
	if (lt->lt_len != len - sizeof(*lt) || lt->lt_len > cap)
		return (-1);
	memcpy(msg, buf + sizeof(*lt), lt->lt_len);
	return ((int)lt->lt_len);
}

/* A ZLB: T L S Ver 2, Length 12, tunnel 1, session 0, Ns 0, Nr 1. */
static const uint8_t zlb[] = { 0xc8, 0x02, 0x00, 0x0c, 0x00, 0x01, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x01 };

static void
t_control(void)
{
	struct msg_l2tp_ctrl	 lt;
	struct sockaddr_storage	 want;
	uint8_t			 msg[64];

	ctrl_out(&B, SA_AB, &r_addr, zlb, sizeof(zlb));
	pump();
	T_ASSERT_RET(ctrl_in(&A, &lt, msg, sizeof(msg)) ==
	    (int)sizeof(zlb));
	T_ASSERT(memcmp(msg, zlb, sizeof(zlb)) == 0);
	/* Outer peer address:port, our address with 1701, the SA. */
	T_ASSERT(sockaddr_cmp(&lt.lt_peer, &r_addr) == 0);
	mkaddr(&want, "127.0.0.1", 1701);
	T_ASSERT(sockaddr_cmp(&lt.lt_local, &want) == 0);
	T_ASSERT(lt.lt_sa == SA_AB);
	/* An SA l2tp remembers but that is gone: the peer's newest. */
	ctrl_out(&A, 4242, &r_addr, zlb, sizeof(zlb));
	pump();
	T_ASSERT(ctrl_in(&B, &lt, msg, sizeof(msg)) == (int)sizeof(zlb));
	/* No SA to that peer at all: dropped and counted, not fatal. */
	ctrl_out(&A, 4242, &r_addr2, zlb, sizeof(zlb));
	pump();
	T_ASSERT(st(&A, DP_ST_CTRL_NO_SA) == 1);
	T_ASSERT(st(&A, DP_ST_CTRL_DOWN) == 1);
}

static void
t_replay_and_forgery(void)
{
	uint8_t	 pkt[200];
	size_t	 len;

	len = mkpkt(pkt, "10.0.0.2", "203.0.113.5", 50);
	r_dup = 1;
	T_ASSERT(tun_path(B.n_ctun, A.n_tun, pkt, len) == 1);
	T_ASSERT(st(&A, DP_ST_ESP_ERR_REPLAY) == 1);
	r_flip = 1;
	T_ASSERT(tun_path(B.n_ctun, A.n_tun, pkt, len) == 0);
	T_ASSERT(st(&A, DP_ST_ESP_ERR_AUTH) == 1);
	/* And the next good one still passes. */
	T_ASSERT(tun_path(B.n_ctun, A.n_tun, pkt, len) == 1);
}

static void
t_junk(void)
{
	struct sockaddr_storage	 me;
	uint8_t			 esp[64];
	int			 fd;

	fd = udp_bound("127.0.0.1", &me);
	memset(esp, 0, sizeof(esp));
#define SEND(b, l) (void)sendto(fd, (b), (l), 0,			\
	    (struct sockaddr *)&A.n_addr, sockaddr_len(&A.n_addr))
	SEND("\xff", 1);
	SEND(esp, 20);			/* non-ESP marker */
	SEND(esp, 2);
	/* A's real SPI, from the wrong port: not the SA's peer. */
	esp[2] = 0x10;
	esp[7] = 1;
	SEND(esp, 64);
	esp[1] = 0x99;			/* nobody's SPI */
	SEND(esp, 64);
#undef SEND
	pump();
	close(fd);
	T_ASSERT(st(&A, DP_ST_KEEPALIVE) == 1);
	T_ASSERT(st(&A, DP_ST_NON_ESP) == 1);
	T_ASSERT(st(&A, DP_ST_ESP_MALFORMED) == 1);
	T_ASSERT(st(&A, DP_ST_ESP_NO_SA) == 2);
}

/*
 * The NAT re-maps the client: its ESP now comes from another port,
 * which matches no SA until ike says so (MSG_DP_SA_PEER); then both
 * directions and the control relay use the new port.
 */
static void
t_nat_remap(void)
{
	struct msg_nat_mapping	 nm;
	struct msg_l2tp_ctrl	 lt;
	uint8_t			 pkt[200], msg[64];
	size_t			 len;
	uint64_t		 nosa = st(&A, DP_ST_ESP_NO_SA);

	len = mkpkt(pkt, "10.0.0.2", "203.0.113.5", 50);
	r_use2 = 1;
	T_ASSERT(tun_path(B.n_ctun, A.n_tun, pkt, len) == 0);
	T_ASSERT(st(&A, DP_ST_ESP_NO_SA) == nosa + 1);
	memset(&nm, 0, sizeof(nm));
	nm.nm_id = SA_AB;
	nm.nm_peer = r_addr2;
	T_ASSERT(datapath_sa_peer(A.n_dp, &nm, sizeof(nm)) == 0);
	T_ASSERT(tun_path(B.n_ctun, A.n_tun, pkt, len) == 1);
	len = mkpkt(pkt, "203.0.113.5", "10.0.0.2", 50);
	T_ASSERT(tun_path(A.n_tun, B.n_ctun, pkt, len) == 1);
	ctrl_out(&B, SA_AB, &r_addr, zlb, sizeof(zlb));
	pump();
	T_ASSERT(ctrl_in(&A, &lt, msg, sizeof(msg)) == (int)sizeof(zlb));
	T_ASSERT(sockaddr_cmp(&lt.lt_peer, &r_addr2) == 0);
	/* Back, for the tests after this one. */
	r_use2 = 0;
	nm.nm_peer = r_addr;
	T_ASSERT(datapath_sa_peer(A.n_dp, &nm, sizeof(nm)) == 0);
	T_ASSERT(tun_path(A.n_tun, B.n_ctun, pkt, len) == 1);
	/* Another family is a broken message. */
	mkaddr(&nm.nm_peer, "::1", 4500);
	T_ASSERT(datapath_sa_peer(A.n_dp, &nm, sizeof(nm)) == -1);
}

static int
counters_of(struct node *n, uint32_t kind, uint32_t id,
    struct msg_dp_counters *out)
{
	struct msg_dp_counters	 dc;
	size_t			 len;
	int			 found = 0;

	while (next_msg(&n->n_parent, MSG_DP_COUNTERS, &dc, sizeof(dc),
	    &len)) {
		if (len != sizeof(dc))
			return (-1);
		if (dc.dc_kind == kind && dc.dc_id == id) {
			*out = dc;
			found++;
		}
	}
	return (found);
}

static void
t_counters(void)
{
	struct msg_dp_counters	 dc;
	struct dp_session	*dse;
	struct dp_sa		*sa;
	uint8_t			 pkt[200];
	size_t			 len;

	drain(&A.n_parent);
	datapath_report(A.n_dp);
	(void)imsgbuf_flush(&A.n_ch.ch_parent.cn_ib);
	dse = dp_session_by_id(A.n_dp, SES_A);
	sa = dp_sa_find(A.n_dp, SA_AB);
	T_ASSERT_RET(dse != NULL && sa != NULL);
	/* A report with both; the session counts IPv4 only. */
	T_ASSERT(counters_of(&A, DP_COUNTERS_SESSION, SES_A, &dc) == 1);
	T_ASSERT(dc.dc_rx_packets == dse->dse_rx_packets &&
	    dc.dc_tx_packets == dse->dse_tx_packets &&
	    dc.dc_rx_bytes == dse->dse_rx_bytes && dc.dc_rx_packets >= 5);
	datapath_report(A.n_dp);
	(void)imsgbuf_flush(&A.n_ch.ch_parent.cn_ib);
	/* Nothing moved, nothing sent. */
	T_ASSERT(counters_of(&A, DP_COUNTERS_SESSION, SES_A, &dc) == 0);
	len = mkpkt(pkt, "10.0.0.2", "203.0.113.5", 50);
	T_ASSERT(tun_path(B.n_ctun, A.n_tun, pkt, len) == 1);
	datapath_report(A.n_dp);
	(void)imsgbuf_flush(&A.n_ch.ch_parent.cn_ib);
	T_ASSERT(counters_of(&A, DP_COUNTERS_SA, SA_AB, &dc) == 1);
	T_ASSERT(dc.dc_rx_packets == sa->dsa_in.es_stats.est_packets &&
	    dc.dc_tx_bytes == sa->dsa_out.es_stats.est_bytes);
}

/*
 * A rekey: a new pair to the same peer.  Traffic moves to the newest,
 * the old one can go, nothing is lost.  The new pair is AES-GCM.
 */
static void
t_rekey(void)
{
	struct dp_sa	*sa2;
	uint8_t		 pkt[200];
	size_t		 len;

	T_ASSERT_RET(sa_add(&A, SA_REKEY, &r_addr, 0x3000, 0x4000, 1, 1, 0,
	    0) == 0);
	T_ASSERT_RET(sa_add(&B, SA_REKEY, &r_addr, 0x4000, 0x3000, 1, 1, 1,
	    0) == 0);
	len = mkpkt(pkt, "203.0.113.5", "10.0.0.2", 50);
	T_ASSERT(tun_path(A.n_tun, B.n_ctun, pkt, len) == 1);
	sa2 = dp_sa_find(A.n_dp, SA_REKEY);
	T_ASSERT_RET(sa2 != NULL);
	T_ASSERT(sa2->dsa_out.es_stats.est_packets == 1);
	T_ASSERT(datapath_sa_del(A.n_dp, "\x01\0\0\0", 4) == 0);
	T_ASSERT(datapath_sa_del(B.n_dp, "\x01\0\0\0", 4) == 0);
	T_ASSERT(dp_sa_find(A.n_dp, SA_AB) == NULL);
	T_ASSERT(tun_path(A.n_tun, B.n_ctun, pkt, len) == 1);
	len = mkpkt(pkt, "10.0.0.2", "203.0.113.5", 50);
	T_ASSERT(tun_path(B.n_ctun, A.n_tun, pkt, len) == 1);
	T_ASSERT(sa2->dsa_in.es_stats.est_packets == 1);
}

/*
 * A 1-kilobyte lifetime: soft EXPIRE once past 90 %, hard at 100 %,
 * after which the SA carries nothing and the older one takes over.
 */
static void
t_lifetime(void)
{
	struct msg_sa_expire	 sx;
	struct dp_sa		*sa2, *sa3;
	uint8_t			 pkt[400];
	size_t			 len, xl;
	uint64_t		 before;
	int			 i, soft = 0, hard = 0;

	drain(&A.n_parent);
	T_ASSERT_RET(sa_add(&A, SA_SHORT, &r_addr, 0x5000, 0x6000, 1, 0, 0,
	    1) == 0);
	T_ASSERT_RET(sa_add(&B, SA_SHORT, &r_addr, 0x6000, 0x5000, 1, 0, 1,
	    0) == 0);
	sa2 = dp_sa_find(A.n_dp, SA_REKEY);
	sa3 = dp_sa_find(A.n_dp, SA_SHORT);
	T_ASSERT_RET(sa2 != NULL && sa3 != NULL);
	/* 300 bytes of IP, 320 of ESP payload: hard on the 4th. */
	len = mkpkt(pkt, "203.0.113.5", "10.0.0.2", 272);
	for (i = 0; i < 4; i++)
		T_ASSERT(tun_path(A.n_tun, B.n_ctun, pkt, len) == 1);
	T_ASSERT(sa3->dsa_out.es_stats.est_packets == 4);
	T_ASSERT(sa3->dsa_dead);
	(void)imsgbuf_flush(&A.n_ch.ch_parent.cn_ib);
	while (next_msg(&A.n_parent, MSG_DP_SA_EXPIRE, &sx, sizeof(sx), &xl))
		if (xl == sizeof(sx) && sx.sx_id == SA_SHORT) {
			if (sx.sx_hard)
				hard++;
			else
				soft++;
		}
	T_ASSERT(soft == 1 && hard == 1);
	/* Out: the older SA carries it now. */
	before = sa2->dsa_out.es_stats.est_packets;
	T_ASSERT(tun_path(A.n_tun, B.n_ctun, pkt, len) == 1);
	T_ASSERT(sa2->dsa_out.es_stats.est_packets == before + 1);
	T_ASSERT(sa3->dsa_out.es_stats.est_packets == 4);
	/* In: B still uses its newest, which A refuses now. */
	len = mkpkt(pkt, "10.0.0.2", "203.0.113.5", 50);
	T_ASSERT(tun_path(B.n_ctun, A.n_tun, pkt, len) == 0);
	T_ASSERT(st(&A, DP_ST_ESP_SA_DEAD) == 1);
	T_ASSERT(datapath_sa_del(B.n_dp, "\x03\0\0\0", 4) == 0);
	T_ASSERT(datapath_sa_del(A.n_dp, "\x03\0\0\0", 4) == 0);
	T_ASSERT(tun_path(B.n_ctun, A.n_tun, pkt, len) == 1);
}

/* A time lifetime: hard EXPIRE at the first report after it. */
static void
t_time_lifetime(void)
{
	struct msg_sa_expire	 sx;
	struct dp_sa		*sa;
	size_t			 xl;
	int			 hard = 0;

	drain(&A.n_parent);
	sa_life_s = 1;
	T_ASSERT_RET(sa_add(&A, 4, &r_addr2, 0x7000, 0x7001, 1, 0, 0,
	    0) == 0);
	sa_life_s = 0;
	T_ASSERT_RET((sa = dp_sa_find(A.n_dp, 4)) != NULL);
	datapath_report(A.n_dp);
	T_ASSERT(!sa->dsa_dead);
	usleep(1100 * 1000);
	datapath_report(A.n_dp);
	datapath_report(A.n_dp);
	T_ASSERT(sa->dsa_dead);
	(void)imsgbuf_flush(&A.n_ch.ch_parent.cn_ib);
	while (next_msg(&A.n_parent, MSG_DP_SA_EXPIRE, &sx, sizeof(sx), &xl))
		if (xl == sizeof(sx) && sx.sx_id == 4 && sx.sx_hard)
			hard++;
	T_ASSERT(hard == 1);
	T_ASSERT(datapath_sa_del(A.n_dp, "\x04\0\0\0", 4) == 0);
}

/*
 * L2TP data for a session that came up inside ESP, sent in the clear:
 * the ids are right, the way it came is not.
 */
static void
t_clear_refused(void)
{
	struct sockaddr_storage	 l2tp, me;
	uint8_t			 d[64];
	size_t			 len;
	int			 fd, cfd;

	cfd = udp_bound("127.0.0.1", &l2tp);
	T_ASSERT_RET(give_socket(&A, SOCKET_L2TP_CLEAR, cfd, &l2tp) == 0);
	fd = udp_bound("127.0.0.1", &me);
	len = 8 + 2 + mkpkt(d + 10, "10.0.0.2", "10.0.0.1", 4);
	dp_l2tp_data_put(d, len, 1, 2);
	d[8] = 0x00;
	d[9] = 0x21;
	(void)sendto(fd, d, len, 0, (struct sockaddr *)&l2tp,
	    sockaddr_len(&l2tp));
	dp_l2tp_data_put(d, len, 1, 9);
	(void)sendto(fd, d, len, 0, (struct sockaddr *)&l2tp,
	    sockaddr_len(&l2tp));
	pump();
	close(fd);
	T_ASSERT(st(&A, DP_ST_WRONG_PEER) == 1);
	T_ASSERT(st(&A, DP_ST_NO_SESSION) == 1);
	T_ASSERT(read(A.n_tun, d, sizeof(d)) == -1);
}

static void
t_session_del(void)
{
	struct msg_session_ref	 sr;
	struct msg_dp_counters	 dc;
	uint8_t			 pkt[200];
	size_t			 len;

	drain(&A.n_parent);
	len = mkpkt(pkt, "203.0.113.5", "10.0.0.2", 50);
	T_ASSERT(tun_path(A.n_tun, B.n_ctun, pkt, len) == 1);
	memset(&sr, 0, sizeof(sr));
	sr.sr_id = SES_A;
	T_ASSERT(datapath_session_del(A.n_dp, &sr, sizeof(sr)) == 0);
	T_ASSERT(datapath_session_del(A.n_dp, &sr, sizeof(sr)) == 0);
	(void)imsgbuf_flush(&A.n_ch.ch_parent.cn_ib);
	/* The last counts went up before it went. */
	T_ASSERT(counters_of(&A, DP_COUNTERS_SESSION, SES_A, &dc) == 1);
	T_ASSERT(tun_path(A.n_tun, B.n_ctun, pkt, len) == 0);
	T_ASSERT(st(&A, DP_ST_TUN_NO_ROUTE) == 2);
	close(A.n_ppp);
	A.n_ppp = -1;
}

/*
 * A rekey keeps a session (t_rekey); the last SA to its client going
 * does not: whoever the NAT maps to that address:port next, with SAs
 * of its own, cannot reach the old session.
 */
static void
t_orphan(void)
{
	struct msg_session_ref	 sr;
	struct dp_sa		*sa;
	uint8_t			 d[32], got[32];
	size_t			 len;
	uint64_t		 wrong = st(&A, DP_ST_WRONG_PEER);

	T_ASSERT_RET(sa_add(&A, 7, &r_addr2, 0x9000, 0x9001, 1, 0, 0,
	    0) == 0);
	session_add(&A, 30, 5, 6, 7, 8, &r_addr2, 7, NULL);
	len = 8 + 6;
	dp_l2tp_data_put(d, len, 5, 6);
	memcpy(d + 8, "\xc0\x21\x09\x01\x00\x04", 6);
	T_ASSERT_RET((sa = dp_sa_find(A.n_dp, 7)) != NULL);
	dp_l2tp_data_input(A.n_dp, sa, &r_addr2, d, len);
	T_ASSERT(read(A.n_ppp, got, sizeof(got)) == 6);
	T_ASSERT(datapath_sa_del(A.n_dp, "\x07\0\0\0", 4) == 0);
	T_ASSERT_RET(sa_add(&A, 8, &r_addr2, 0x9100, 0x9101, 1, 0, 0,
	    0) == 0);
	T_ASSERT_RET((sa = dp_sa_find(A.n_dp, 8)) != NULL);
	dp_l2tp_data_input(A.n_dp, sa, &r_addr2, d, len);
	T_ASSERT(read(A.n_ppp, got, sizeof(got)) == -1);
	T_ASSERT(st(&A, DP_ST_WRONG_PEER) == wrong + 1);
	T_ASSERT(datapath_sa_del(A.n_dp, "\x08\0\0\0", 4) == 0);
	memset(&sr, 0, sizeof(sr));
	sr.sr_id = 30;
	T_ASSERT(datapath_session_del(A.n_dp, &sr, sizeof(sr)) == 0);
	close(A.n_ppp);
	A.n_ppp = -1;
}

/* Raw ESP (no NAT): needs CAP_NET_RAW; 127.0.0.1 <-> 127.0.0.2. */
static void
t_raw(void)
{
	struct node		 C, D;
	struct sockaddr_storage	 pc, pd;
	uint8_t			 pkt[2000];
	size_t			 len;
	int			 fd;

	if ((fd = socket(AF_INET, SOCK_RAW, IPPROTO_ESP)) == -1)
		T_SKIP("no raw sockets here (not root?)");
	close(fd);
	node_init(&C, "C", "127.0.0.1", SOCKET_ESP_RAW);
	node_init(&D, "D", "127.0.0.2", SOCKET_ESP_RAW);
	mkaddr(&pc, "127.0.0.1", 500);
	mkaddr(&pd, "127.0.0.2", 500);
	C.n_addr = pc;
	D.n_addr = pd;
	T_ASSERT(sa_add(&C, 1, &pd, 0x1100, 0x2200, 0, 0, 0, 0) == 0);
	T_ASSERT(sa_add(&D, 1, &pc, 0x2200, 0x1100, 0, 0, 1, 0) == 0);
	session_add(&C, 5, 7, 8, 9, 10, &pd, 1, NULL);
	session_add(&D, 6, 9, 10, 7, 8, &pc, 1, NULL);
	T_ASSERT(route(&C, 5, "10.1.0.2", "10.1.0.1", 0) == 0);
	T_ASSERT(route(&D, 6, "10.1.0.1", "10.1.0.2", 1) == 0);
	len = mkpkt(pkt, "192.0.2.1", "10.1.0.2", 700);
	T_ASSERT(tun_path(C.n_tun, D.n_ctun, pkt, len) == 1);
	len = mkpkt(pkt, "10.1.0.2", "192.0.2.1", 33);
	T_ASSERT(tun_path(D.n_ctun, C.n_tun, pkt, len) == 1);
	T_ASSERT(st(&C, DP_ST_ESP_RAW_RX) >= 1);
	node_free(&C);
	node_free(&D);
}

/*
 * The same traffic under the datapath child's real seccomp policy (kill
 * mode), chroot and uid: a forked process sets up what a child has
 * before it demotes (sockets, socketpairs, the event base, OpenSSL's
 * preload), demotes, and then takes SAs, sessions and routes and moves
 * packets both ways.  A call outside the allowlist kills it (SIGSYS).
 */
static int
sandboxed_child(const char *dir, uid_t uid, gid_t gid)
{
	struct msg_child_init	 ci;
	struct msg_l2tp_ctrl	 lt;
	struct node		 C, D;
	uint8_t			 pkt[2000], msg[64], big[2000];
	size_t			 len;
	int			 ok = 1, spc[2], spd[2];

	if ((base = event_base_new()) == NULL || datapath_preload() == -1)
		return (2);
	r_fd = r_fd2 = -1;
	node_init(&C, "C", "127.0.0.1", SOCKET_ESP_UDP);
	node_init(&D, "D", "127.0.0.1", SOCKET_ESP_UDP);
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK, 0, spc) ==
	    -1 || socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK, 0,
	    spd) == -1)
		return (2);
	memset(&ci, 0, sizeof(ci));
	ci.ci_uid = uid;
	ci.ci_gid = gid;
	ci.ci_max_sessions = 10;
	strlcpy(ci.ci_chroot, dir, sizeof(ci.ci_chroot));
	if (sandbox_demote(&ci, &datapath_sandbox_policy) != SANDBOX_SECCOMP)
		return (3);

	ok &= sa_add(&C, 1, &D.n_addr, 0x1100, 0x2200, 1, 1, 0, 0) == 0;
	ok &= sa_add(&D, 1, &C.n_addr, 0x2200, 0x1100, 1, 1, 1, 0) == 0;
	session_add(&C, 5, 7, 8, 9, 10, &D.n_addr, 1, spc);
	session_add(&D, 6, 9, 10, 7, 8, &C.n_addr, 1, spd);
	ok &= route(&C, 5, "10.1.0.2", "10.1.0.1", 0) == 0;
	/* The client's TUN would come from the parent; a pair made here. */
	D.n_ctun = -1;
	/* D has no route: IPv4 goes up to its ppp, protocol first. */
	len = mkpkt(pkt + 2, "192.0.2.1", "10.1.0.2", 1200);
	ok &= write(C.n_tun, pkt + 2, len) == (ssize_t)len;
	pump();
	pkt[0] = 0x00;
	pkt[1] = 0x21;
	ok &= recv(D.n_ppp, big, sizeof(big), 0) == (ssize_t)len + 2 &&
	    memcmp(big, pkt, len + 2) == 0;
	/* From D's ppp to C's TUN. */
	len = mkpkt(pkt + 2, "10.1.0.2", "192.0.2.1", 33);
	ok &= send(D.n_ppp, pkt, len + 2, 0) == (ssize_t)len + 2;
	pump();
	ok &= read(C.n_tun, big, sizeof(big)) == (ssize_t)len &&
	    memcmp(big, pkt + 2, len) == 0;
	ctrl_out(&D, 1, &C.n_addr, zlb, sizeof(zlb));
	pump();
	ok &= ctrl_in(&C, &lt, msg, sizeof(msg)) == (int)sizeof(zlb);
	datapath_report(C.n_dp);
	ok &= datapath_sa_del(C.n_dp, "\x01\0\0\0", 4) == 0;
	pump();
	if (!ok)
		printf("# the sandboxed data path moved the wrong bytes\n");
	/* _exit: the leak checker's ptrace is not in the allowlist. */
	return (ok ? 0 : 1);
}

static void
t_sandboxed(void)
{
	char		 dir[] = "/tmp/l2tpsec-dp.XXXXXX";
	struct passwd	*pw;
	pid_t		 pid;
	int		 status;

	if (geteuid() != 0 || (pw = getpwnam("_l2tpsecd")) == NULL)
		T_SKIP("needs root and the _l2tpsecd user (make user)");
	T_ASSERT_RET(mkdtemp(dir) != NULL && chmod(dir, 0755) == 0);
	fflush(stdout);
	if ((pid = fork()) == 0)
		_exit(sandboxed_child(dir, pw->pw_uid, pw->pw_gid));
	T_ASSERT_RET(pid != -1 && waitpid(pid, &status, 0) == pid);
	if (WIFSIGNALED(status))
		printf("# killed by signal %d%s\n", WTERMSIG(status),
		    WTERMSIG(status) == SIGSYS ? ": a system call outside the "
		    "datapath allowlist (datapath/datapath_sandbox.c)" : "");
	else if (WEXITSTATUS(status) != 0)
		printf("# exit status %d\n", WEXITSTATUS(status));
	T_ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	(void)rmdir(dir);
}

int
main(void)
{
	setup();
	T_RUN(t_contract);
	T_RUN(t_server_to_client);
	T_RUN(t_client_to_server);
	T_RUN(t_antispoof);
	T_RUN(t_ppp_frames);
	T_RUN(t_control);
	T_RUN(t_replay_and_forgery);
	T_RUN(t_junk);
	T_RUN(t_nat_remap);
	T_RUN(t_counters);
	T_RUN(t_rekey);
	T_RUN(t_lifetime);
	T_RUN(t_time_lifetime);
	T_RUN(t_clear_refused);
	T_RUN(t_session_del);
	T_RUN(t_orphan);
	T_RUN(t_raw);
	T_RUN(t_sandboxed);
	node_free(&A);
	node_free(&B);
	close(r_fd);
	close(r_fd2);
	event_base_free(base);
	esp_cleanup();
	return (T_DONE());
}
