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
 * dp_bench [-l len] [-t secs] [-b burst]: packets/s through the whole
 * userspace data path in one process, per suite: IPv4 written to a
 * server's TUN, PPP + L2TP + inner UDP + ESP, sendmmsg over loopback
 * UDP 4500, recvmmsg, decap, session, anti-spoofing, the client's TUN
 * read back -- next to one esp_encap() + esp_decap() pair on the same
 * payload (the engine's ceiling) measured in the same run.  The TUNs
 * are socketpairs, so the figure is the data path's own cost plus the
 * loopback; not a test, it prints figures and the ratio.
 */

#include <sys/socket.h>
#include <sys/types.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <err.h>
#include <event.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/addr.h"
#include "common/child.h"
#include "common/msg.h"
#include "datapath/datapath.h"

struct bnode {
	struct child		 b_ch;
	struct datapath		 b_dp;
	int			 b_tun;		/* the stack's end */
	int			 b_parent;
	struct sockaddr_storage	 b_addr;
};

struct bsuite {
	const char	*s_name;
	uint16_t	 s_enc;
	uint16_t	 s_enckeylen;
	uint16_t	 s_auth;
	uint16_t	 s_authkeylen;
};

static const struct bsuite bsuites[] = {
	{ "aes128gcm16", ESP_ENC_AES_GCM_16, 20, 0, 0 },
	{ "aes256gcm16", ESP_ENC_AES_GCM_16, 36, 0, 0 },
	{ "aes128-sha1", ESP_ENC_AES_CBC, 16, ESP_AUTH_HMAC_SHA1, 20 },
	{ "aes256-sha256", ESP_ENC_AES_CBC, 32, ESP_AUTH_HMAC_SHA2_256, 32 },
};
#define NBSUITES	(sizeof(bsuites) / sizeof(bsuites[0]))

static struct event_base	*base;
static size_t			 plen = 1400;
static double			 secs = 1.0;
static int			 burst = 16;

static double
now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (ts.tv_sec + ts.tv_nsec / 1e9);
}

static int
bdispatch(struct chan *cn, struct imsg *im, void *arg)
{
	(void)cn;
	(void)im;
	(void)arg;
	return (CHAN_OK);
}

static void
bclosed(struct chan *cn, int error, void *arg)
{
	(void)cn;
	(void)error;
	(void)arg;
}

static void
bnode_init(struct bnode *n)
{
	struct msg_socket	 ms;
	socklen_t		 len = sizeof(n->b_addr);
	struct sockaddr_in	*sin = (struct sockaddr_in *)&n->b_addr;
	int			 sp[2], fd, big = 4 << 20;

	memset(n, 0, sizeof(*n));
	n->b_ch.ch_base = base;
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sp) == -1 ||
	    chan_init(&n->b_ch.ch_parent, base, sp[0], MSG_CHILD_MAXMSG, 0,
	    bdispatch, bclosed, NULL) == -1)
		err(1, "parent channel");
	n->b_parent = sp[1];
	datapath_init(&n->b_dp, &n->b_ch);

	sin->sin_family = AF_INET;
	sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0)) == -1 ||
	    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &big, sizeof(big)) == -1 ||
	    bind(fd, (struct sockaddr *)sin, sizeof(*sin)) == -1 ||
	    getsockname(fd, (struct sockaddr *)sin, &len) == -1)
		err(1, "UDP socket");
	memset(&ms, 0, sizeof(ms));
	ms.ms_kind = SOCKET_ESP_UDP;
	ms.ms_local = n->b_addr;
	if (datapath_socket(&n->b_dp, fd, &ms, sizeof(ms)) == -1)
		errx(1, "UDP socket refused");
	if (socketpair(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0, sp) == -1)
		err(1, "TUN pair");
	memset(&ms, 0, sizeof(ms));
	ms.ms_kind = SOCKET_TUN;
	if (datapath_socket(&n->b_dp, sp[0], &ms, sizeof(ms)) == -1)
		errx(1, "TUN refused");
	n->b_tun = sp[1];
}

static void
bnode_free(struct bnode *n)
{
	datapath_free(&n->b_dp);
	chan_close(&n->b_ch.ch_parent);
	close(n->b_parent);
	close(n->b_tun);
}

static void
bsa(struct bnode *n, const struct bsuite *s, uint32_t id,
    const struct sockaddr_storage *peer, uint32_t in, uint32_t out)
{
	struct msg_sa_add	 m;

	memset(&m, 0, sizeof(m));
	m.sa_id = id;
	m.sa_peer = *peer;
	m.sa_local = n->b_addr;
	m.sa_encap = 1;
	m.sa_spi_in = in;
	m.sa_spi_out = out;
	m.sa_enc = s->s_enc;
	m.sa_enc_keylen = s->s_enckeylen;
	m.sa_auth = s->s_auth;
	m.sa_auth_keylen = s->s_authkeylen;
	memset(m.sa_enc_in, 0x11, sizeof(m.sa_enc_in));
	memset(m.sa_enc_out, 0x11, sizeof(m.sa_enc_out));
	memset(m.sa_auth_in, 0x22, sizeof(m.sa_auth_in));
	memset(m.sa_auth_out, 0x22, sizeof(m.sa_auth_out));
	m.sa_local_port = 1701;
	m.sa_peer_port = 1701;
	m.sa_proto = 17;
	if (datapath_sa_add(&n->b_dp, &m, sizeof(m)) == -1)
		errx(1, "SA refused");
}

static void
bsession(struct bnode *n, uint32_t id, uint16_t tid, uint16_t ptid,
    const struct sockaddr_storage *peer, const char *addr, const char *me)
{
	struct msg_dp_session	 ds;
	struct msg_dp_route	 dr;
	int			 sp[2];

	memset(&ds, 0, sizeof(ds));
	ds.ds_ses.se_id = id;
	ds.ds_ses.se_tid = ds.ds_ses.se_sid = tid;
	ds.ds_ses.se_peer_tid = ds.ds_ses.se_peer_sid = ptid;
	ds.ds_ses.se_peer = *peer;
	ds.ds_sa = 1;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK, 0, sp) == -1 ||
	    datapath_session_add(&n->b_dp, sp[0], &ds, sizeof(ds)) == -1)
		errx(1, "session refused");
	/* ppp's end stays open and unread: no frames go there. */
	memset(&dr, 0, sizeof(dr));
	dr.dr_id = id;
	(void)inet_pton(AF_INET, addr, &dr.dr_peer);
	(void)inet_pton(AF_INET, me, &dr.dr_local);
	if (datapath_route(&n->b_dp, -1, &dr, sizeof(dr)) == -1)
		errx(1, "route refused");
}

/* IPv4 from 10.9.0.2 (the client) to 10.9.0.1, len bytes. */
static void
bpkt(uint8_t *b, size_t len, int to_server)
{
	memset(b, 0x5a, len);
	b[0] = 0x45;
	b[1] = 0;
	b[2] = len >> 8;
	b[3] = len & 0xff;
	b[9] = 17;
	(void)inet_pton(AF_INET, to_server ? "10.9.0.2" : "10.9.0.1",
	    b + 12);
	(void)inet_pton(AF_INET, to_server ? "10.9.0.1" : "10.9.0.2",
	    b + 16);
}

/* Client -> server through both data paths; packets/s. */
static double
bench_path(const struct bsuite *s)
{
	struct bnode	*srv, *cli;
	uint8_t		 pkt[9000], got[9000];
	double		 t0, t;
	uint64_t	 sent = 0, recvd = 0;
	int		 i;

	if ((srv = calloc(1, sizeof(*srv))) == NULL ||
	    (cli = calloc(1, sizeof(*cli))) == NULL)
		err(1, "calloc");
	bnode_init(srv);
	bnode_init(cli);
	bsa(srv, s, 1, &cli->b_addr, 0x100, 0x200);
	bsa(cli, s, 1, &srv->b_addr, 0x200, 0x100);
	/* The server routes 10.9.0.2 to the client; vice versa. */
	bsession(srv, 1, 1, 2, &cli->b_addr, "10.9.0.2", "10.9.0.1");
	bsession(cli, 2, 2, 1, &srv->b_addr, "10.9.0.1", "10.9.0.2");
	bpkt(pkt, plen, 1);
	t0 = now();
	do {
		for (i = 0; i < burst; i++)
			if (write(cli->b_tun, pkt, plen) == (ssize_t)plen)
				sent++;
		(void)event_base_loop(base, EVLOOP_NONBLOCK);
		(void)event_base_loop(base, EVLOOP_NONBLOCK);
		while (read(srv->b_tun, got, sizeof(got)) == (ssize_t)plen)
			recvd++;
		t = now() - t0;
	} while (t < secs);
	if (recvd < sent * 9 / 10)
		warnx("%s: %llu of %llu packets arrived", s->s_name,
		    (unsigned long long)recvd, (unsigned long long)sent);
	bnode_free(srv);
	bnode_free(cli);
	free(srv);
	free(cli);
	return (recvd / t);
}

/* The same payload (inner UDP + L2TP + PPP + IP) through the engine. */
static double
bench_engine(const struct bsuite *s)
{
	struct esp_sa	 out, in;
	uint8_t		 key[64], akey[64], buf[9000], dec[9000], nh;
	size_t		 ulen = plen + 20, dl;
	uint64_t	 n = 0;
	double		 t0, t;
	ssize_t		 el;

	memset(key, 0x11, sizeof(key));
	memset(akey, 0x22, sizeof(akey));
	if (esp_sa_init(&out, ESP_DIR_OUT, 0x100, s->s_enc, key,
	    s->s_enckeylen, s->s_auth, akey, s->s_authkeylen) != ESP_OK ||
	    esp_sa_init(&in, ESP_DIR_IN, 0x100, s->s_enc, key,
	    s->s_enckeylen, s->s_auth, akey, s->s_authkeylen) != ESP_OK)
		errx(1, "esp_sa_init");
	memset(buf, 0x5a, sizeof(buf));
	t0 = now();
	do {
		el = esp_encap(&out, buf + 64, ulen, 17, buf, sizeof(buf));
		if (el < 0 || esp_decap(&in, buf, (size_t)el, dec,
		    sizeof(dec), &dl, &nh) != ESP_OK)
			errx(1, "engine");
		n++;
		t = now() - t0;
	} while ((n & 255) != 0 || t < secs);
	esp_sa_free(&out);
	esp_sa_free(&in);
	return (n / t);
}

int
main(int argc, char **argv)
{
	double	 p, e;
	size_t	 i;
	int	 ch;

	while ((ch = getopt(argc, argv, "b:l:t:")) != -1) {
		switch (ch) {
		case 'b':
			burst = atoi(optarg);
			break;
		case 'l':
			plen = strtoul(optarg, NULL, 10);
			break;
		case 't':
			secs = atof(optarg);
			break;
		default:
			fprintf(stderr, "usage: dp_bench [-b burst] [-l len] "
			    "[-t secs]\n");
			return (1);
		}
	}
	if (plen < 28 || plen > 8000 || burst < 1 || secs <= 0)
		errx(1, "bad arguments");
	if ((base = event_base_new()) == NULL)
		errx(1, "event_base_new");
	printf("%-14s %12s %12s %7s  (%zu-byte IPv4, one core)\n", "suite",
	    "path pkt/s", "engine pkt/s", "ratio", plen);
	for (i = 0; i < NBSUITES; i++) {
		p = bench_path(&bsuites[i]);
		e = bench_engine(&bsuites[i]);
		printf("%-14s %12.0f %12.0f %7.2f  (%.0f Mbit/s)\n",
		    bsuites[i].s_name, p, e, p / e, p * plen * 8 / 1e6);
	}
	event_base_free(base);
	esp_cleanup();
	return (0);
}
