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


#include <sys/signalfd.h>
#include <sys/socket.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <linux/udp.h>

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/log.h"
#include "datapath/esp.h"
#include "netcfg/xfrm.h"

/*
 * xfrm_try: drives netcfg/xfrm.c for the VM test
 * (regress/vm/scenarios/kernel-xfrm.sh), plus the UDP ends around it.
 * Addresses are IPv4, SPIs and reqids hex or decimal, keys hex (test
 * keys only: they are on the command line).  Failures print
 * xfrm_error() on stderr and exit 1.
 *
 *   spi LOCAL PEER REQID [MIN MAX]      xfrm_spi_alloc(); prints 0x%08x
 *   sa-add [-U] [-b SOFT:HARD] [-t SOFT:HARD] [-w WINDOW]
 *       [-p SPORT:DPORT] [-E SPORT:DPORT[:NATOA]] [-M SECS]
 *       SRC DST SPI REQID ENC KEY [AUTH KEY]
 *	ENC aes-gcm | aes-cbc | 3des, AUTH sha1 | sha256 | sha384 |
 *	sha512; -U: UPDSA (fill in the SPI's larval state, or move the
 *	encap ports of a complete one); -b bytes, -t seconds; -p inner
 *	UDP ports of the selector; -E ESP in UDP; -M mapping max age
 *   sa-del DST SPI
 *   counters DST SPI                    bytes=N packets=N add_time=T ...
 *   pol-add | pol-del LOCAL PEER PEERPORT REQID
 *   mand-add | mand-del LOCAL
 *   flush                               xfrm_flush_ours(); "flushed N"
 *   monitor COUNT MS                    "ready", then one line per
 *	event; exits 0 after COUNT events, 1 after MS milliseconds
 *   encap ADDR PORT                     a UDP socket with
 *	UDP_ENCAP_ESPINUDP; "ready pid=PID"; held until SIGTERM
 *   send SRC SPORT DST DPORT COUNT [SIZE]   COUNT datagrams; "sent N"
 *   recv ADDR PORT COUNT MS             "ready"; "received N" (exit 0
 *	once COUNT arrived, 1 if MS passed first)
 */

static void
usage(void)
{
	fprintf(stderr, "usage: xfrm_try spi | sa-add | sa-del | counters | "
	    "pol-add | pol-del | mand-add | mand-del | flush | monitor | "
	    "encap | send | recv ...\n");
	exit(2);
}

static struct in_addr
addr(const char *s)
{
	struct in_addr	 a;

	if (inet_pton(AF_INET, s, &a) != 1) {
		fprintf(stderr, "xfrm_try: bad address %s\n", s);
		exit(2);
	}
	return (a);
}

static unsigned long long
num(const char *s, unsigned long long max)
{
	unsigned long long	 v;
	char			*end;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno != 0 || *s == '\0' || *end != '\0' || v > max) {
		fprintf(stderr, "xfrm_try: bad number %s\n", s);
		exit(2);
	}
	return (v);
}

/* "A:B" into two numbers. */
static void
pair(char *s, unsigned long long max, unsigned long long *a,
    unsigned long long *b)
{
	char	*colon;

	if ((colon = strchr(s, ':')) == NULL)
		usage();
	*colon++ = '\0';
	*a = num(s, max);
	*b = num(colon, max);
}

static uint16_t
hexkey(const char *s, uint8_t *key)
{
	size_t		 i, len = strlen(s);
	unsigned int	 b;

	if (strncmp(s, "0x", 2) == 0) {
		s += 2;
		len -= 2;
	}
	if (len % 2 != 0 || len / 2 > XFRM_KEY_MAX)
		usage();
	for (i = 0; i < len / 2; i++) {
		if (sscanf(s + 2 * i, "%2x", &b) != 1)
			usage();
		key[i] = (uint8_t)b;
	}
	return ((uint16_t)(len / 2));
}

static int
fail(struct xfrm_ctx *cx)
{
	fprintf(stderr, "%s\n", xfrm_error(cx));
	return (1);
}

static int
cmd_sa_add(struct xfrm_ctx *cx, int argc, char *argv[])
{
	struct xfrm_sa		 sa;
	unsigned long long	 a, b;
	char			*colon;
	int			 ch, rv;

	memset(&sa, 0, sizeof(sa));
	optind = 1;
	while ((ch = getopt(argc, argv, "b:E:M:p:t:Uw:")) != -1) {
		switch (ch) {
		case 'b':
			pair(optarg, ~0ULL, &a, &b);
			sa.xs_soft_bytes = a;
			sa.xs_hard_bytes = b;
			break;
		case 'E':
			sa.xs_encap = 1;
			/* SPORT:DPORT[:NATOA] */
			if ((colon = strchr(optarg, ':')) != NULL &&
			    (colon = strchr(colon + 1, ':')) != NULL) {
				*colon++ = '\0';
				sa.xs_natoa = addr(colon);
			}
			pair(optarg, 65535, &a, &b);
			sa.xs_encap_sport = (uint16_t)a;
			sa.xs_encap_dport = (uint16_t)b;
			break;
		case 'M':
			sa.xs_mapping_maxage = (uint32_t)num(optarg, ~0U);
			break;
		case 'p':
			pair(optarg, 65535, &a, &b);
			sa.xs_sport = (uint16_t)a;
			sa.xs_dport = (uint16_t)b;
			break;
		case 't':
			pair(optarg, ~0U, &a, &b);
			sa.xs_soft_secs = (uint32_t)a;
			sa.xs_hard_secs = (uint32_t)b;
			break;
		case 'U':
			sa.xs_update = 1;
			break;
		case 'w':
			sa.xs_replay = (uint32_t)num(optarg, ~0U);
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc != 6 && argc != 8)
		usage();
	sa.xs_src = addr(argv[0]);
	sa.xs_dst = addr(argv[1]);
	sa.xs_spi = (uint32_t)num(argv[2], ~0U);
	sa.xs_reqid = (uint32_t)num(argv[3], ~0U);
	if (strcmp(argv[4], "aes-gcm") == 0)
		sa.xs_enc = ESP_ENC_AES_GCM_16;
	else if (strcmp(argv[4], "aes-cbc") == 0)
		sa.xs_enc = ESP_ENC_AES_CBC;
	else if (strcmp(argv[4], "3des") == 0)
		sa.xs_enc = ESP_ENC_3DES;
	else
		usage();
	sa.xs_enc_keylen = hexkey(argv[5], sa.xs_enc_key);
	if (argc == 8) {
		if (strcmp(argv[6], "sha1") == 0)
			sa.xs_auth = ESP_AUTH_HMAC_SHA1;
		else if (strcmp(argv[6], "sha256") == 0)
			sa.xs_auth = ESP_AUTH_HMAC_SHA2_256;
		else if (strcmp(argv[6], "sha384") == 0)
			sa.xs_auth = ESP_AUTH_HMAC_SHA2_384;
		else if (strcmp(argv[6], "sha512") == 0)
			sa.xs_auth = ESP_AUTH_HMAC_SHA2_512;
		else
			usage();
		sa.xs_auth_keylen = hexkey(argv[7], sa.xs_auth_key);
	}
	rv = xfrm_sa_add(cx, &sa);
	explicit_bzero(&sa, sizeof(sa));
	return (rv == 0 ? 0 : fail(cx));
}

static void
print_event(const struct xfrm_event *ev, void *arg)
{
	char	 d[INET_ADDRSTRLEN], s[INET_ADDRSTRLEN];
	char	 o[INET_ADDRSTRLEN], n[INET_ADDRSTRLEN];
	int	*count = arg;

	inet_ntop(AF_INET, &ev->xe_dst, d, sizeof(d));
	inet_ntop(AF_INET, &ev->xe_src, s, sizeof(s));
	switch (ev->xe_type) {
	case XFRM_EV_EXPIRE_SOFT:
	case XFRM_EV_EXPIRE_HARD:
		printf("expire %s spi=0x%08x src=%s dst=%s proto=%u "
		    "reqid=0x%08x\n", ev->xe_type == XFRM_EV_EXPIRE_HARD ?
		    "hard" : "soft", ev->xe_spi, s, d, ev->xe_proto,
		    ev->xe_reqid);
		break;
	case XFRM_EV_MAPPING:
		inet_ntop(AF_INET, &ev->xe_old_addr, o, sizeof(o));
		inet_ntop(AF_INET, &ev->xe_new_addr, n, sizeof(n));
		printf("mapping spi=0x%08x dst=%s proto=%u reqid=0x%08x "
		    "old=%s:%u new=%s:%u\n", ev->xe_spi, d, ev->xe_proto,
		    ev->xe_reqid, o, ev->xe_old_port, n, ev->xe_new_port);
		break;
	case XFRM_EV_OVERRUN:
		printf("overrun\n");
		break;
	}
	fflush(stdout);
	(*count)++;
}

static long long
now_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

static int
cmd_monitor(struct xfrm_ctx *cx, int want, long long ms)
{
	struct pollfd	 pfd;
	long long	 end = now_ms() + ms, left;
	int		 count = 0;

	printf("ready\n");
	fflush(stdout);
	while (count < want) {
		if ((left = end - now_ms()) <= 0)
			return (1);
		pfd.fd = xfrm_event_fd(cx);
		pfd.events = POLLIN;
		if (poll(&pfd, 1, (int)left) == -1 && errno != EINTR)
			return (1);
		if ((pfd.revents & POLLIN) &&
		    xfrm_event_read(cx, print_event, &count) == -1)
			return (fail(cx));
	}
	return (0);
}

static int
udp_socket(const char *a, const char *port)
{
	struct sockaddr_in	 sin;
	int			 s, one = 1;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr = addr(a);
	sin.sin_port = htons((uint16_t)num(port, 65535));
	if ((s = socket(AF_INET, SOCK_DGRAM, 0)) == -1 ||
	    setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) == -1 ||
	    bind(s, (struct sockaddr *)&sin, sizeof(sin)) == -1) {
		fprintf(stderr, "xfrm_try: udp %s:%s: %s\n", a, port,
		    strerror(errno));
		exit(1);
	}
	return (s);
}

/* What the parent does to its 4500 socket: ESP in it goes to xfrm. */
static int
cmd_encap(const char *a, const char *port)
{
	struct signalfd_siginfo	 si;
	sigset_t		 ss;
	int			 s, sfd, type = UDP_ENCAP_ESPINUDP;

	sigemptyset(&ss);
	sigaddset(&ss, SIGTERM);
	sigaddset(&ss, SIGINT);
	if (sigprocmask(SIG_BLOCK, &ss, NULL) == -1 ||
	    (sfd = signalfd(-1, &ss, 0)) == -1)
		return (1);
	s = udp_socket(a, port);
	if (setsockopt(s, IPPROTO_UDP, UDP_ENCAP, &type, sizeof(type)) == -1) {
		fprintf(stderr, "xfrm_try: UDP_ENCAP: %s\n", strerror(errno));
		return (1);
	}
	printf("ready pid=%ld\n", (long)getpid());
	fflush(stdout);
	while (read(sfd, &si, sizeof(si)) == -1 && errno == EINTR)
		;
	close(s);
	return (0);
}

static int
cmd_send(char *argv[], int count, size_t size)
{
	struct sockaddr_in	 to;
	char			 buf[1400];
	int			 s, i, sent = 0;

	if (size > sizeof(buf))
		usage();
	s = udp_socket(argv[0], argv[1]);
	memset(&to, 0, sizeof(to));
	to.sin_family = AF_INET;
	to.sin_addr = addr(argv[2]);
	to.sin_port = htons((uint16_t)num(argv[3], 65535));
	for (i = 0; i < count; i++) {
		snprintf(buf, sizeof(buf), "xfrm_try datagram %d", i);
		if (sendto(s, buf, size, 0, (struct sockaddr *)&to,
		    sizeof(to)) == (ssize_t)size)
			sent++;
		else
			fprintf(stderr, "xfrm_try: send %d: %s\n", i,
			    strerror(errno));
		usleep(20000);	/* no burst: each counted on its own */
	}
	printf("sent %d\n", sent);
	return (0);
}

static int
cmd_recv(const char *a, const char *port, int want, long long ms)
{
	struct sockaddr_in	 from;
	struct pollfd		 pfd;
	socklen_t		 fl;
	char			 buf[2048], f[INET_ADDRSTRLEN] = "-";
	long long		 end = now_ms() + ms, left;
	int			 s, got = 0;

	s = udp_socket(a, port);
	printf("ready\n");
	fflush(stdout);
	while (got < want && (left = end - now_ms()) > 0) {
		pfd.fd = s;
		pfd.events = POLLIN;
		if (poll(&pfd, 1, (int)left) <= 0)
			continue;
		fl = sizeof(from);
		if (recvfrom(s, buf, sizeof(buf), 0, (struct sockaddr *)&from,
		    &fl) >= 0) {
			got++;
			inet_ntop(AF_INET, &from.sin_addr, f, sizeof(f));
		}
	}
	printf("received %d from %s\n", got, f);
	return (got >= want ? 0 : 1);
}

static int
run(struct xfrm_ctx *cx, const char *cmd, int argc, char *argv[])
{
	struct xfrm_sa_counters	 c;
	struct xfrm_l2tp_flow	 f;
	uint32_t		 spi;
	int			 n;

	if (strcmp(cmd, "spi") == 0 && (argc == 4 || argc == 6)) {
		if (xfrm_spi_alloc(cx, addr(argv[1]), addr(argv[2]),
		    (uint32_t)num(argv[3], ~0U), argc == 6 ?
		    (uint32_t)num(argv[4], ~0U) : 0x100, argc == 6 ?
		    (uint32_t)num(argv[5], ~0U) : 0xffffffffU, &spi) == -1)
			return (fail(cx));
		printf("0x%08x\n", spi);
		return (0);
	}
	if (strcmp(cmd, "sa-add") == 0)
		return (cmd_sa_add(cx, argc, argv));
	if (strcmp(cmd, "sa-del") == 0 && argc == 3)
		return (xfrm_sa_del(cx, addr(argv[1]), (uint32_t)num(argv[2],
		    ~0U), IPPROTO_ESP) == 0 ? 0 : fail(cx));
	if (strcmp(cmd, "counters") == 0 && argc == 3) {
		if (xfrm_sa_counters(cx, addr(argv[1]), (uint32_t)num(argv[2],
		    ~0U), IPPROTO_ESP, &c) == -1)
			return (fail(cx));
		printf("bytes=%llu packets=%llu add_time=%llu use_time=%llu "
		    "reqid=0x%08x oseq=%u seq=%u\n",
		    (unsigned long long)c.xc_bytes,
		    (unsigned long long)c.xc_packets,
		    (unsigned long long)c.xc_add_time,
		    (unsigned long long)c.xc_use_time, c.xc_reqid, c.xc_oseq,
		    c.xc_seq);
		return (0);
	}
	if ((strcmp(cmd, "pol-add") == 0 || strcmp(cmd, "pol-del") == 0) &&
	    argc == 5) {
		memset(&f, 0, sizeof(f));
		f.xf_local = addr(argv[1]);
		f.xf_peer = addr(argv[2]);
		f.xf_peer_port = (uint16_t)num(argv[3], 65535);
		f.xf_reqid = (uint32_t)num(argv[4], ~0U);
		n = cmd[4] == 'a' ? xfrm_policy_add(cx, &f) :
		    xfrm_policy_del(cx, &f);
		return (n == 0 ? 0 : fail(cx));
	}
	if (strcmp(cmd, "mand-add") == 0 && argc == 2)
		return (xfrm_mandatory_add(cx, addr(argv[1])) == 0 ? 0 :
		    fail(cx));
	if (strcmp(cmd, "mand-del") == 0 && argc == 2)
		return (xfrm_mandatory_del(cx, addr(argv[1])) == 0 ? 0 :
		    fail(cx));
	if (strcmp(cmd, "flush") == 0 && argc == 1) {
		if ((n = xfrm_flush_ours(cx)) == -1)
			return (fail(cx));
		printf("flushed %d\n", n);
		return (0);
	}
	if (strcmp(cmd, "monitor") == 0 && argc == 3)
		return (cmd_monitor(cx, (int)num(argv[1], 1000),
		    (long long)num(argv[2], 3600000)));
	usage();
	return (2);
}

int
main(int argc, char *argv[])
{
	struct xfrm_ctx		*cx;
	const char		*cmd;
	int			 rv;

	/* Debug: the library's own lines (never a key) go to stderr. */
	log_init("xfrm_try", 1, 2);
	if (argc < 2)
		usage();
	cmd = argv[1];
	argc--;
	argv++;
	/* The UDP ends need no netlink. */
	if (strcmp(cmd, "encap") == 0 && argc == 3)
		return (cmd_encap(argv[1], argv[2]));
	if (strcmp(cmd, "send") == 0 && (argc == 6 || argc == 7))
		return (cmd_send(argv + 1, (int)num(argv[5], 100000),
		    argc == 7 ? (size_t)num(argv[6], 65535) : 64));
	if (strcmp(cmd, "recv") == 0 && argc == 5)
		return (cmd_recv(argv[1], argv[2], (int)num(argv[3], 100000),
		    (long long)num(argv[4], 3600000)));
	if ((cx = xfrm_open()) == NULL)
		return (1);
	rv = run(cx, cmd, argc, argv);
	xfrm_close(cx);
	return (rv);
}
