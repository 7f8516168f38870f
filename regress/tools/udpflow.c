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
#include <sys/time.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include <endian.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/*
 * udpflow: a UDP traffic source and sink for the netns tests and the
 * benchmarks.  It measures what a tunnel delivers: every datagram carries
 * a sequence number, and the sink checks that they arrive once, in order,
 * none missing.
 *
 *   udpflow recv -l ADDR:PORT [-t timeout_s]
 *	sink: prints "ready", then serves one flow after another until
 *	timeout_s (default 600) without a datagram; after each flow's END
 *	prints one line:
 *	  flow packets=N bytes=B ip_bytes=I lost=L reordered=R dup=D
 *	       acks=A ack_ip_bytes=J ms=T mbit_s=M pps=P
 *	(bytes are UDP payload, ip_bytes what a TUN sees: payload + 28;
 *	acks are the datagrams it sent back; ms from the first datagram to
 *	the END).
 *   udpflow send -c ADDR:PORT -b BYTES [-s SIZE] [-w WINDOW] [-t timeout_s]
 *	sends BYTES in datagrams of SIZE (1200) payload octets, at most
 *	WINDOW (256) unacknowledged; the sink acknowledges every 32nd and
 *	the END.  Nothing is retransmitted: on a clean path nothing is
 *	lost, and a stall (no progress for timeout_s, default 10) is a
 *	failure.  Prints
 *	  sent packets=N bytes=B ip_bytes=I acks=A ack_ip_bytes=J ms=T
 *	       mbit_s=M peer_packets=N peer_lost=L peer_reordered=R ends=E
 *	(packets, bytes and ip_bytes count the data; the E END datagrams
 *	of 32 octets come on top; acks and ack_ip_bytes count all that
 *	came back, ACKs and answers to END alike)
 *	and exits 0 only if the sink saw every datagram once and in order.
 *	SIGINT or SIGTERM ends the data early (a transfer that runs until
 *	the test is done with it); the END exchange and the line follow
 *	as usual.
 *   udpflow blast -c ADDR:PORT -d SECONDS [-s SIZE]
 *	sends as fast as the socket takes them for SECONDS, unpaced (the
 *	sink's lost count then says what the path dropped); ends with END
 *	and prints the sender's figures as "send" does.
 *
 * The sink answers from the address the datagram came to, so the path
 * back is the tunnel's too.
 */

#define UF_MAGIC	0x75666c77u	/* "ufl w" */
#define UF_DATA		1
#define UF_ACK		2
#define UF_END		3
#define UF_ENDACK	4
#define UF_HDR		32
#define UF_MAXSIZE	65000
#define UF_ACK_EVERY	32
#define UF_IPUDP	28

struct uf_hdr {
	uint32_t	uh_magic;
	uint32_t	uh_type;
	uint64_t	uh_flow;
	uint64_t	uh_seq;		/* DATA: seq; ACK: next expected */
	uint64_t	uh_count;	/* END: packets sent */
};

struct uf_sink {
	uint64_t	us_flow;
	uint64_t	us_next;
	uint64_t	us_packets;
	uint64_t	us_bytes;
	uint64_t	us_lost;
	uint64_t	us_reordered;
	uint64_t	us_dup;
	uint64_t	us_acks;
	uint64_t	us_ack_bytes;
	double		us_first;
	int		us_active;
};

static volatile sig_atomic_t uf_stop;

static void
uf_on_signal(int sig)
{
	(void)sig;
	uf_stop = 1;
}

static double
uf_now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((double)ts.tv_sec + (double)ts.tv_nsec / 1e9);
}

static void
uf_usage(void)
{
	fprintf(stderr, "usage: udpflow recv -l ADDR:PORT [-t timeout_s]\n"
	    "       udpflow send -c ADDR:PORT -b BYTES [-s SIZE] "
	    "[-w WINDOW] [-t timeout_s]\n"
	    "       udpflow blast -c ADDR:PORT -d SECONDS [-s SIZE]\n");
	exit(2);
}

static int
uf_addr(const char *s, struct sockaddr_in *sin)
{
	char		 buf[64];
	char		*colon, *end;
	unsigned long	 port;

	if (strlen(s) >= sizeof(buf))
		return (-1);
	strcpy(buf, s);
	if ((colon = strrchr(buf, ':')) == NULL)
		return (-1);
	*colon = '\0';
	port = strtoul(colon + 1, &end, 10);
	if (*end != '\0' || port == 0 || port > 65535)
		return (-1);
	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	sin->sin_port = htons((uint16_t)port);
	return (inet_pton(AF_INET, buf, &sin->sin_addr) == 1 ? 0 : -1);
}

static unsigned long long
uf_num(const char *s, unsigned long long max)
{
	char			*end;
	unsigned long long	 v;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0 || *end != '\0' || v == 0 || v > max) {
		fprintf(stderr, "udpflow: bad number %s\n", s);
		exit(2);
	}
	return (v);
}

static void
uf_put(uint8_t *buf, uint32_t type, uint64_t flow, uint64_t seq,
    uint64_t count)
{
	struct uf_hdr	h;

	h.uh_magic = htonl(UF_MAGIC);
	h.uh_type = htonl(type);
	h.uh_flow = htobe64(flow);
	h.uh_seq = htobe64(seq);
	h.uh_count = htobe64(count);
	memcpy(buf, &h, sizeof(h));
}

static int
uf_get(const uint8_t *buf, ssize_t n, struct uf_hdr *h)
{
	if (n < UF_HDR)
		return (-1);
	memcpy(h, buf, sizeof(*h));
	if (ntohl(h->uh_magic) != UF_MAGIC)
		return (-1);
	h->uh_type = ntohl(h->uh_type);
	h->uh_flow = be64toh(h->uh_flow);
	h->uh_seq = be64toh(h->uh_seq);
	h->uh_count = be64toh(h->uh_count);
	return (0);
}

static void
uf_bigbuf(int s)
{
	int	sz = 4 << 20;

	/* A burst of WINDOW datagrams must fit; best effort. */
	(void)setsockopt(s, SOL_SOCKET, SO_RCVBUFFORCE, &sz, sizeof(sz));
	(void)setsockopt(s, SOL_SOCKET, SO_SNDBUFFORCE, &sz, sizeof(sz));
}

static void
uf_sink_ack(int s, struct uf_sink *sk, const struct sockaddr_in *to,
    uint32_t type)
{
	uint8_t	 buf[UF_HDR + 64];
	int	 len = UF_HDR;

	uf_put(buf, type, sk->us_flow, sk->us_next, sk->us_packets);
	if (type == UF_ENDACK) {
		uint64_t v[2] = { htobe64(sk->us_lost),
		    htobe64(sk->us_reordered) };

		memcpy(buf + UF_HDR, v, sizeof(v));
		len += sizeof(v);
	}
	if (sendto(s, buf, len, 0, (const struct sockaddr *)to,
	    sizeof(*to)) == len) {
		sk->us_acks++;
		sk->us_ack_bytes += len + UF_IPUDP;
	}
}

static int
uf_recv(const char *listen, int timeout_s)
{
	struct sockaddr_in	 sin, from;
	struct uf_sink		 sk;
	struct uf_hdr		 h;
	struct pollfd		 pfd;
	socklen_t		 fromlen;
	static uint8_t		 buf[UF_MAXSIZE + 64];
	ssize_t			 n;
	int			 s, on = 1;

	if (uf_addr(listen, &sin) == -1)
		uf_usage();
	if ((s = socket(AF_INET, SOCK_DGRAM, 0)) == -1 ||
	    setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) == -1 ||
	    bind(s, (struct sockaddr *)&sin, sizeof(sin)) == -1) {
		fprintf(stderr, "udpflow: %s: %s\n", listen, strerror(errno));
		return (1);
	}
	uf_bigbuf(s);
	memset(&sk, 0, sizeof(sk));
	printf("ready\n");
	fflush(stdout);
	pfd.fd = s;
	pfd.events = POLLIN;
	for (;;) {
		if (poll(&pfd, 1, timeout_s * 1000) <= 0)
			return (0);
		fromlen = sizeof(from);
		n = recvfrom(s, buf, sizeof(buf), 0, (struct sockaddr *)&from,
		    &fromlen);
		if (n == -1 || uf_get(buf, n, &h) == -1)
			continue;
		if (h.uh_type != UF_DATA && h.uh_type != UF_END)
			continue;
		if (!sk.us_active || h.uh_flow != sk.us_flow) {
			if (h.uh_type == UF_END && h.uh_flow == sk.us_flow) {
				/* Our ENDACK was lost: say it again. */
				uf_sink_ack(s, &sk, &from, UF_ENDACK);
				continue;
			}
			memset(&sk, 0, sizeof(sk));
			sk.us_flow = h.uh_flow;
			sk.us_active = 1;
			sk.us_first = uf_now();
		}
		if (h.uh_type == UF_END) {
			double	 ms = (uf_now() - sk.us_first) * 1000;
			uint64_t ipb = sk.us_bytes + sk.us_packets * UF_IPUDP;

			if (h.uh_count > sk.us_next)
				sk.us_lost += h.uh_count - sk.us_next;
			sk.us_next = h.uh_count;
			sk.us_active = 0;
			uf_sink_ack(s, &sk, &from, UF_ENDACK);
			printf("flow packets=%llu bytes=%llu ip_bytes=%llu "
			    "lost=%llu reordered=%llu dup=%llu acks=%llu "
			    "ack_ip_bytes=%llu ms=%.0f mbit_s=%.1f pps=%.0f\n",
			    (unsigned long long)sk.us_packets,
			    (unsigned long long)sk.us_bytes,
			    (unsigned long long)ipb,
			    (unsigned long long)sk.us_lost,
			    (unsigned long long)sk.us_reordered,
			    (unsigned long long)sk.us_dup,
			    (unsigned long long)sk.us_acks,
			    (unsigned long long)sk.us_ack_bytes, ms,
			    ms > 0 ? (double)ipb * 8 / ms / 1000 : 0,
			    ms > 0 ? (double)sk.us_packets * 1000 / ms : 0);
			fflush(stdout);
			continue;
		}
		if (h.uh_seq == sk.us_next) {
			sk.us_next++;
		} else if (h.uh_seq > sk.us_next) {
			/* A gap: counted lost unless it turns up late. */
			sk.us_lost += h.uh_seq - sk.us_next;
			sk.us_next = h.uh_seq + 1;
		} else if (sk.us_lost > 0) {
			sk.us_lost--;
			sk.us_reordered++;
		} else {
			sk.us_dup++;
			continue;
		}
		sk.us_packets++;
		sk.us_bytes += (uint64_t)n;
		if (sk.us_packets % UF_ACK_EVERY == 0)
			uf_sink_ack(s, &sk, &from, UF_ACK);
	}
}

static int
uf_send(const char *peer, uint64_t bytes, size_t size, uint64_t window,
    int timeout_s, int blast_s)
{
	struct sockaddr_in	 sin;
	struct uf_hdr		 h;
	struct pollfd		 pfd;
	static uint8_t		 buf[UF_MAXSIZE + 64], rbuf[256];
	uint64_t		 flow, seq = 0, acked = 0, npackets;
	uint64_t		 acks = 0, ack_bytes = 0, plost = 0, preord = 0;
	uint64_t		 ppackets = 0;
	double			 start, last_progress, end, ms;
	ssize_t			 n;
	int			 s, tries, done = 0, ends = 0;

	if (uf_addr(peer, &sin) == -1)
		uf_usage();
	if ((s = socket(AF_INET, SOCK_DGRAM, 0)) == -1 ||
	    connect(s, (struct sockaddr *)&sin, sizeof(sin)) == -1) {
		fprintf(stderr, "udpflow: %s: %s\n", peer, strerror(errno));
		return (1);
	}
	uf_bigbuf(s);
	flow = ((uint64_t)getpid() << 32) ^ (uint64_t)time(NULL);
	npackets = blast_s > 0 ? UINT64_MAX : (bytes + size - 1) / size;
	for (size_t i = UF_HDR; i < size; i++)
		buf[i] = (uint8_t)(i * 7);
	pfd.fd = s;
	pfd.events = POLLIN;
	start = last_progress = uf_now();
	end = start + blast_s;
	signal(SIGINT, uf_on_signal);
	signal(SIGTERM, uf_on_signal);
	while (seq < npackets && !uf_stop) {
		if (blast_s > 0 && (seq & 63) == 0 && uf_now() >= end)
			break;
		/* Take in what acks there are; wait only on a full window. */
		while (blast_s == 0 || seq % 256 == 0) {
			int wait = blast_s == 0 && seq - acked >= window;

			if (poll(&pfd, 1, wait ? 100 : 0) <= 0) {
				if (!wait || uf_stop)
					break;
				if (uf_now() - last_progress > timeout_s) {
					fprintf(stderr, "udpflow: stalled: "
					    "%llu sent, %llu acknowledged\n",
					    (unsigned long long)seq,
					    (unsigned long long)acked);
					return (1);
				}
				continue;
			}
			n = recv(s, rbuf, sizeof(rbuf), 0);
			if (n == -1 || uf_get(rbuf, n, &h) == -1 ||
			    h.uh_flow != flow || h.uh_type != UF_ACK)
				continue;
			acks++;
			ack_bytes += (uint64_t)n + UF_IPUDP;
			if (h.uh_seq > acked) {
				acked = h.uh_seq;
				last_progress = uf_now();
			}
		}
		uf_put(buf, UF_DATA, flow, seq, 0);
		if (send(s, buf, size, 0) != (ssize_t)size) {
			if (errno == ENOBUFS || errno == EAGAIN ||
			    errno == ECONNREFUSED)
				continue;
			fprintf(stderr, "udpflow: send: %s\n",
			    strerror(errno));
			return (1);
		}
		seq++;
	}
	ms = (uf_now() - start) * 1000;
	/* END, until the sink answers with its own count. */
	for (tries = 0; tries < 50 && !done; tries++) {
		uint8_t e[UF_HDR];
		double	 t0 = uf_now();

		uf_put(e, UF_END, flow, seq, seq);
		if (send(s, e, sizeof(e), 0) == (ssize_t)sizeof(e))
			ends++;
		while (!done && uf_now() - t0 < 0.2) {
			if (poll(&pfd, 1, 50) <= 0)
				continue;
			n = recv(s, rbuf, sizeof(rbuf), 0);
			if (n == -1 || uf_get(rbuf, n, &h) == -1 ||
			    h.uh_flow != flow)
				continue;
			acks++;
			ack_bytes += (uint64_t)n + UF_IPUDP;
			if (h.uh_type == UF_ENDACK && n >= UF_HDR + 16) {
				uint64_t v[2];

				memcpy(v, rbuf + UF_HDR, sizeof(v));
				plost = be64toh(v[0]);
				preord = be64toh(v[1]);
				ppackets = h.uh_count;
				done = 1;
			}
		}
	}
	printf("sent packets=%llu bytes=%llu ip_bytes=%llu acks=%llu "
	    "ack_ip_bytes=%llu ms=%.0f mbit_s=%.1f peer_packets=%llu "
	    "peer_lost=%llu peer_reordered=%llu ends=%d%s\n",
	    (unsigned long long)seq, (unsigned long long)(seq * size),
	    (unsigned long long)(seq * (size + UF_IPUDP)),
	    (unsigned long long)acks, (unsigned long long)ack_bytes, ms,
	    ms > 0 ? (double)seq * (size + UF_IPUDP) * 8 / ms / 1000 : 0,
	    (unsigned long long)ppackets, (unsigned long long)plost,
	    (unsigned long long)preord, ends, done ? "" : " no_end_ack");
	fflush(stdout);
	if (!done)
		return (1);
	if (blast_s > 0)
		return (0);
	return (ppackets == seq && plost == 0 && preord == 0 ? 0 : 1);
}

int
main(int argc, char *argv[])
{
	const char		*mode, *listen = NULL, *peer = NULL;
	unsigned long long	 bytes = 0, size = 1200, window = 256;
	int			 ch, timeout_s = -1, blast_s = 0;

	if (argc < 2)
		uf_usage();
	mode = argv[1];
	argv++;
	argc--;
	while ((ch = getopt(argc, argv, "b:c:d:l:s:t:w:")) != -1) {
		switch (ch) {
		case 'b':
			bytes = uf_num(optarg, 1ULL << 40);
			break;
		case 'c':
			peer = optarg;
			break;
		case 'd':
			blast_s = (int)uf_num(optarg, 3600);
			break;
		case 'l':
			listen = optarg;
			break;
		case 's':
			size = uf_num(optarg, UF_MAXSIZE);
			break;
		case 't':
			timeout_s = (int)uf_num(optarg, 86400);
			break;
		case 'w':
			window = uf_num(optarg, 1 << 20);
			break;
		default:
			uf_usage();
		}
	}
	if (optind != argc)
		uf_usage();
	if (size < UF_HDR) {
		fprintf(stderr, "udpflow: -s must be at least %d\n", UF_HDR);
		return (2);
	}
	if (strcmp(mode, "recv") == 0 && listen != NULL)
		return (uf_recv(listen, timeout_s > 0 ? timeout_s : 600));
	if (strcmp(mode, "send") == 0 && peer != NULL && bytes > 0)
		return (uf_send(peer, bytes, size, window,
		    timeout_s > 0 ? timeout_s : 10, 0));
	if (strcmp(mode, "blast") == 0 && peer != NULL && blast_s > 0)
		return (uf_send(peer, 0, size, window, 10, blast_s));
	uf_usage();
	return (2);
}
