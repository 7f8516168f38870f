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
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/udp.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/*
 * espjunk: hostile input for the data path tests (regress/netns/
 * test_load.sh).  Two modes:
 *
 *   espjunk random -d ADDR -p PORT -n COUNT
 *	COUNT datagrams of random bytes (1 to 1400 octets) to ADDR:PORT
 *	from an ephemeral port.
 *   espjunk esp -i IFNAME -d ADDR [-n COUNT] [-t timeout_s]
 *	waits (timeout_s, 10) for an ESP packet leaving through IFNAME for
 *	ADDR, as IP protocol 50 or in UDP to 4500 (a live SA's traffic,
 *	seen on an AF_PACKET socket as it goes out), and then sends,
 *	through the same interface and with the same Ethernet and IP
 *	addresses (and UDP ports), COUNT (20) of each of: the packet again
 *	(a replay), the packet cut short after the ESP header and 12
 *	octets (truncated), the packet with another SPI (unknown SPI), and
 *	that in the other form (raw for UDP, UDP for raw).  IP and UDP
 *	lengths are fixed up so that the kernel delivers each; the UDP
 *	checksum is left out (0, allowed over IPv4), the IP checksum
 *	recomputed.
 *
 * Prints one line: "sent random=N" or "sent form=udp|raw replayed=N
 * truncated=N bad_spi=N other_form_bad_spi=N spi=0x.. seq=N".  Exit 0
 * if all went out.
 */

#define EJ_FRAME	2048

static void
ej_usage(void)
{
	fprintf(stderr, "usage: espjunk random -d ADDR -p PORT -n COUNT\n"
	    "       espjunk esp -i IFNAME -d ADDR [-n COUNT] "
	    "[-t timeout_s]\n");
	exit(2);
}

static uint16_t
ej_cksum(const uint8_t *p, size_t len)
{
	uint32_t	 sum = 0;
	size_t		 i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return ((uint16_t)~sum);
}

/* Sets the IPv4 total length (and the checksum) for len octets of IP. */
static void
ej_fix_ip(uint8_t *ip, size_t len)
{
	size_t	 hl = (size_t)(ip[0] & 0x0f) * 4;
	uint16_t c;

	ip[2] = (uint8_t)(len >> 8);
	ip[3] = (uint8_t)len;
	ip[10] = ip[11] = 0;
	c = ej_cksum(ip, hl);
	ip[10] = (uint8_t)(c >> 8);
	ip[11] = (uint8_t)c;
}

static int
ej_random(const char *dst, unsigned int port, unsigned int count)
{
	struct sockaddr_in	 sin;
	uint8_t			 buf[1400];
	unsigned int		 i, sent = 0;
	int			 s, rfd;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)port);
	if (inet_pton(AF_INET, dst, &sin.sin_addr) != 1)
		ej_usage();
	if ((s = socket(AF_INET, SOCK_DGRAM, 0)) == -1 ||
	    (rfd = open("/dev/urandom", O_RDONLY)) == -1) {
		perror("espjunk");
		return (1);
	}
	for (i = 0; i < count; i++) {
		uint16_t len;

		if (read(rfd, buf, sizeof(buf)) != (ssize_t)sizeof(buf)) {
			perror("espjunk: /dev/urandom");
			return (1);
		}
		len = (uint16_t)(1 + (buf[0] | buf[1] << 8) % sizeof(buf));
		if (sendto(s, buf, len, 0, (struct sockaddr *)&sin,
		    sizeof(sin)) == len)
			sent++;
		/* Pace a little: the point is parsing, not the queue. */
		if (i % 64 == 63)
			usleep(1000);
	}
	printf("sent random=%u\n", sent);
	return (sent == count ? 0 : 1);
}

static int
ej_send(int s, const struct sockaddr_ll *sll, const uint8_t *f, size_t len,
    unsigned int count)
{
	unsigned int	 i, sent = 0;

	for (i = 0; i < count; i++) {
		if (sendto(s, f, len, 0, (const struct sockaddr *)sll,
		    sizeof(*sll)) == (ssize_t)len)
			sent++;
		usleep(200);
	}
	return ((int)sent);
}

/*
 * Builds a frame from the captured Ethernet and IP headers around an ESP
 * packet: as IP protocol 50, or in UDP from sport to 4500 (RFC 3948).
 */
static size_t
ej_build(uint8_t *g, const uint8_t *f, size_t hl, int encap, uint16_t sport,
    const uint8_t *esp, size_t esplen)
{
	size_t	 off = ETH_HLEN + hl;

	memcpy(g, f, off);
	if (encap) {
		size_t ulen = 8 + esplen;

		g[off] = (uint8_t)(sport >> 8);
		g[off + 1] = (uint8_t)sport;
		g[off + 2] = 4500 >> 8;
		g[off + 3] = 4500 & 0xff;
		g[off + 4] = (uint8_t)(ulen >> 8);
		g[off + 5] = (uint8_t)ulen;
		g[off + 6] = g[off + 7] = 0;	/* no checksum */
		off += 8;
	}
	memcpy(g + off, esp, esplen);
	g[ETH_HLEN + 9] = encap ? IPPROTO_UDP : IPPROTO_ESP;
	ej_fix_ip(g + ETH_HLEN, off - ETH_HLEN + esplen);
	return (off + esplen);
}

static int
ej_esp(const char *ifname, const char *dst, unsigned int count,
    int timeout_s)
{
	struct sockaddr_ll	 sll;
	struct in_addr		 daddr;
	struct pollfd		 pfd;
	socklen_t		 sl;
	uint8_t			 f[EJ_FRAME], g[EJ_FRAME], bad[EJ_FRAME];
	const uint8_t		*esp = NULL;
	size_t			 hl = 0, esplen = 0, glen;
	uint8_t			*ip;
	time_t			 end = time(NULL) + timeout_s;
	uint16_t		 sport = 4500;
	ssize_t			 n;
	int			 s, encap = 0;
	int			 rep, cut, spi, other;

	if (inet_pton(AF_INET, dst, &daddr) != 1)
		ej_usage();
	/* Outgoing frames reach only ETH_P_ALL taps (dev_queue_xmit_nit). */
	if ((s = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL))) == -1) {
		perror("espjunk: AF_PACKET");
		return (1);
	}
	memset(&sll, 0, sizeof(sll));
	sll.sll_family = AF_PACKET;
	sll.sll_protocol = htons(ETH_P_ALL);
	if ((sll.sll_ifindex = (int)if_nametoindex(ifname)) == 0 ||
	    bind(s, (struct sockaddr *)&sll, sizeof(sll)) == -1) {
		fprintf(stderr, "espjunk: %s: %s\n", ifname, strerror(errno));
		return (1);
	}
	pfd.fd = s;
	pfd.events = POLLIN;
	while (esp == NULL && time(NULL) < end) {
		if (poll(&pfd, 1, 200) <= 0)
			continue;
		sl = sizeof(sll);
		n = recvfrom(s, f, sizeof(f), 0, (struct sockaddr *)&sll, &sl);
		if (n < (ssize_t)(ETH_HLEN + 20 + 8 + 24) ||
		    sll.sll_pkttype != PACKET_OUTGOING ||
		    sll.sll_protocol != htons(ETH_P_IP))
			continue;
		ip = f + ETH_HLEN;
		hl = (size_t)(ip[0] & 0x0f) * 4;
		if ((ip[0] >> 4) != 4 || hl < 20 ||
		    memcmp(ip + 16, &daddr, 4) != 0 ||
		    (size_t)n < ETH_HLEN + hl + 8 + 24)
			continue;
		if (ip[9] == IPPROTO_ESP) {
			esp = ip + hl;
			esplen = (size_t)n - ETH_HLEN - hl;
			encap = 0;
		} else if (ip[9] == IPPROTO_UDP &&
		    (ip[hl + 2] << 8 | ip[hl + 3]) == 4500 &&
		    memcmp(ip + hl + 8, "\0\0\0\0", 4) != 0) {
			/* ESP, not the non-ESP marker of IKE. */
			sport = (uint16_t)(ip[hl] << 8 | ip[hl + 1]);
			esp = ip + hl + 8;
			esplen = (size_t)n - ETH_HLEN - hl - 8;
			encap = 1;
		}
	}
	if (esp == NULL) {
		fprintf(stderr, "espjunk: no ESP to %s left %s in %d s\n", dst,
		    ifname, timeout_s);
		return (1);
	}
	/* Ethernet addresses as they were; the frames go out as they are. */
	sll.sll_protocol = htons(ETH_P_IP);
	sll.sll_halen = ETH_ALEN;
	memcpy(sll.sll_addr, f, ETH_ALEN);

	/* The same packet again: a replay. */
	glen = ej_build(g, f, hl, encap, sport, esp, esplen);
	rep = ej_send(s, &sll, g, glen, count);
	/* Cut short: the SPI, the sequence number and 12 octets. */
	glen = ej_build(g, f, hl, encap, sport, esp, 8 + 12);
	cut = ej_send(s, &sll, g, glen, count);
	/* Another SPI, in the same form and in the other. */
	memcpy(bad, esp, esplen);
	bad[0] ^= 0x5a;
	bad[1] ^= 0xa5;
	glen = ej_build(g, f, hl, encap, sport, bad, esplen);
	spi = ej_send(s, &sll, g, glen, count);
	glen = ej_build(g, f, hl, !encap, sport, bad, esplen);
	other = ej_send(s, &sll, g, glen, count);

	printf("sent form=%s replayed=%d truncated=%d bad_spi=%d "
	    "other_form_bad_spi=%d spi=0x%02x%02x%02x%02x seq=%u\n",
	    encap ? "udp" : "raw", rep, cut, spi, other,
	    esp[0], esp[1], esp[2], esp[3],
	    (unsigned)(esp[4] << 24 | esp[5] << 16 | esp[6] << 8 | esp[7]));
	return (rep + cut + spi + other == 4 * (int)count ? 0 : 1);
}

int
main(int argc, char *argv[])
{
	const char	*mode, *dst = NULL, *ifname = NULL;
	unsigned int	 port = 0, count = 20;
	int		 ch, timeout_s = 10;

	if (argc < 2)
		ej_usage();
	mode = argv[1];
	argv++;
	argc--;
	while ((ch = getopt(argc, argv, "d:i:n:p:t:")) != -1) {
		switch (ch) {
		case 'd':
			dst = optarg;
			break;
		case 'i':
			ifname = optarg;
			break;
		case 'n':
			count = (unsigned int)strtoul(optarg, NULL, 10);
			break;
		case 'p':
			port = (unsigned int)strtoul(optarg, NULL, 10);
			break;
		case 't':
			timeout_s = atoi(optarg);
			break;
		default:
			ej_usage();
		}
	}
	if (optind != argc || dst == NULL || count == 0 || count > 1000000)
		ej_usage();
	if (strcmp(mode, "random") == 0 && port > 0 && port < 65536)
		return (ej_random(dst, port, count));
	if (strcmp(mode, "esp") == 0 && ifname != NULL && timeout_s > 0)
		return (ej_esp(ifname, dst, count, timeout_s));
	ej_usage();
	return (2);
}
