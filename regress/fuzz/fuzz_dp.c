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
#include <event.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/addr.h"
#include "common/child.h"
#include "common/msg.h"
#include "datapath/datapath.h"
#include "datapath/dp_parse.h"
#include "l2tp/l2tp_parse.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/*
 * The data path's packet parsing.  Byte 0 picks a mode, the rest is
 * the packet:
 *
 * 0-3, the pure parsers (datapath/dp_parse.c, l2tp_data_parse):
 *   0 UDP 4500 framing (keepalive, non-ESP marker, ESP)
 *   1 a raw socket's IPv4 + ESP header
 *   2 the chain after decryption: inner UDP -> L2TP data -> PPP ->
 *     IPv4, checking every offset stays inside what its parent said
 *   3 the builders: headers made from the bytes parse back the same
 *
 * 4-7, the real receive path of one datapath instance (two SAs, an ESP
 * session with a route, a clear session; TUN, ppp and l2tp are
 * socketpairs drained after each input):
 *   4 the bytes are the decrypted payload of a packet from the SA's
 *     peer (byte 0: 0x80 | Next Header, else UDP): encrypted with the
 *     peer's keys, so all that an authenticated peer controls is fuzzed
 *   5 the bytes arrive on UDP 4500 from the SA's peer address:port
 *   6 the bytes arrive on the raw ESP socket (IPv4 header first)
 *   7 the bytes arrive on UDP/1701 in the clear from the clear peer
 */

static void
fuzz_pure(int mode, const uint8_t *p, size_t len)
{
	struct dp_ipv4	 ip;
	struct dp_udp	 u;
	struct dp_ppp	 pp;
	struct l2tp_hdr	 h;
	uint32_t	 spi;
	const uint8_t	*l2, *fr;
	size_t		 l2len, frlen;

	switch (mode) {
	case 0:
		if (dp_udp4500_kind(p, len) == DP_U_ESP &&
		    (esp_peek_spi(p, len, &spi) == -1 || spi == 0 || len < 8))
			abort();
		break;
	case 1:
		if (dp_raw_esp_parse(p, len, &ip) == DP_P_OK &&
		    (ip.ip_hlen < 20 || ip.ip_hlen > ip.ip_len ||
		    ip.ip_len > len || ip.ip_proto != 50 || ip.ip_frag))
			abort();
		break;
	case 2:
		if (dp_udp_parse(p, len, &u) != DP_P_OK)
			break;
		if (u.u_len < 8 || u.u_len > len)
			abort();
		l2 = p + DP_UDP_HDRLEN;
		l2len = u.u_len - DP_UDP_HDRLEN;
		if (l2tp_data_parse(l2, l2len, &h) != L2TP_P_OK)
			break;
		if (h.h_control || h.h_hdrlen > h.h_msglen ||
		    h.h_msglen > l2len)
			abort();
		fr = l2 + h.h_hdrlen;
		frlen = h.h_msglen - h.h_hdrlen;
		if (dp_ppp_parse(fr, frlen, &pp) != DP_P_OK)
			break;
		if (pp.pp_info > frlen || pp.pp_info != pp.pp_off + 2)
			abort();
		if (dp_ipv4_parse(fr + pp.pp_info, frlen - pp.pp_info,
		    &ip) == DP_P_OK && ip.ip_len > frlen - pp.pp_info)
			abort();
		break;
	}
}

static void
fuzz_build(const uint8_t *p, size_t len)
{
	uint8_t		 b[64];
	struct dp_udp	 u;
	struct l2tp_hdr	 h;
	struct dp_ppp	 pp;
	uint16_t	 a, c, d;

	if (len < 8)
		return;
	a = (uint16_t)(p[0] << 8 | p[1]);
	c = (uint16_t)(p[2] << 8 | p[3]);
	d = (uint16_t)(p[4] << 8 | p[5]);
	dp_udp_put(b, a, c, 8 + 8 + 4, d);
	dp_l2tp_data_put(b + 8, 8 + 4, c, a);
	dp_ppp_put(b + 16, d);
	if (dp_udp_parse(b, 20, &u) != DP_P_OK || u.u_sport != a ||
	    u.u_dport != c || u.u_sum != d || u.u_len != 20)
		abort();
	if (l2tp_data_parse(b + 8, 12, &h) != L2TP_P_OK ||
	    h.h_tunnel_id != c || h.h_session_id != a || h.h_hdrlen != 8 ||
	    h.h_msglen != 12)
		abort();
	if (dp_ppp_parse(b + 16, 4, &pp) != DP_P_OK || pp.pp_proto != d ||
	    pp.pp_info != 4)
		abort();
}

/* The instance of modes 4-7, made once. */
static struct event_base	*fbase;
static struct child		 fch;
static struct datapath		 fdp;
static struct esp_sa		 fpeer;		/* the peer's outbound */
static struct dp_sock		*fudp, *fraw;
static struct sockaddr_storage	 fpeer_addr, fraw_peer, fclear_peer,
				 fclear_local;
static int			 fdrain[8], fndrain;

static const uint8_t	 fkey[16] = "fuzz-key-16bytes";
static const uint8_t	 fauth[20] = "fuzz-auth-key-20byte";

static int
fdispatch(struct chan *cn, struct imsg *im, void *arg)
{
	(void)cn;
	(void)im;
	(void)arg;
	return (CHAN_OK);
}

static void
fclosed(struct chan *cn, int error, void *arg)
{
	(void)cn;
	(void)error;
	(void)arg;
}

static void
faddr(struct sockaddr_storage *ss, const char *ip, uint16_t port)
{
	struct sockaddr_in	*sin = (struct sockaddr_in *)ss;

	memset(ss, 0, sizeof(*ss));
	sin->sin_family = AF_INET;
	sin->sin_port = htons(port);
	(void)inet_pton(AF_INET, ip, &sin->sin_addr);
}

static struct dp_sock *
fsock(int kind, int type, int proto)
{
	struct msg_socket	 ms;
	struct dp_sock		*ds, *last = NULL;
	int			 fd;

	if ((fd = socket(AF_INET, type | SOCK_NONBLOCK, proto)) == -1)
		fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
	if (fd == -1)
		abort();
	memset(&ms, 0, sizeof(ms));
	ms.ms_kind = kind;
	faddr(&ms.ms_local, "192.0.2.2", kind == SOCKET_ESP_UDP ? 4500 : 0);
	if (datapath_socket(&fdp, fd, &ms, sizeof(ms)) == -1)
		abort();
	TAILQ_FOREACH(ds, &fdp.dp_socks, ds_entry)
		last = ds;
	return (last);
}

static void
fpair(int type, int *mine)
{
	int	 sp[2];

	if (socketpair(AF_UNIX, type | SOCK_NONBLOCK, 0, sp) == -1)
		abort();
	*mine = sp[0];
	fdrain[fndrain++] = sp[1];
}

static void
fsession(uint32_t id, uint16_t tid, const struct sockaddr_storage *peer,
    uint32_t sa)
{
	struct msg_dp_session	 ds;
	int			 fd;

	memset(&ds, 0, sizeof(ds));
	ds.ds_ses.se_id = id;
	ds.ds_ses.se_tid = tid;
	ds.ds_ses.se_sid = tid;
	ds.ds_ses.se_peer_tid = 100 + tid;
	ds.ds_ses.se_peer_sid = 100 + tid;
	ds.ds_ses.se_peer = *peer;
	ds.ds_ses.se_local = fclear_local;
	ds.ds_sa = sa;
	fpair(SOCK_SEQPACKET, &fd);
	if (datapath_session_add(&fdp, fd, &ds, sizeof(ds)) == -1)
		abort();
}

static void
fsa(uint32_t id, const struct sockaddr_storage *peer, uint32_t spi_in,
    int encap)
{
	struct msg_sa_add	 m;

	memset(&m, 0, sizeof(m));
	m.sa_id = id;
	m.sa_peer = *peer;
	faddr(&m.sa_local, "192.0.2.2", 4500);
	m.sa_encap = encap;
	m.sa_spi_in = spi_in;
	m.sa_spi_out = spi_in + 1;
	m.sa_enc = ESP_ENC_AES_CBC;
	m.sa_enc_keylen = 16;
	m.sa_auth = ESP_AUTH_HMAC_SHA1;
	m.sa_auth_keylen = 20;
	memcpy(m.sa_enc_in, fkey, 16);
	memcpy(m.sa_enc_out, fkey, 16);
	memcpy(m.sa_auth_in, fauth, 20);
	memcpy(m.sa_auth_out, fauth, 20);
	m.sa_local_port = 1701;
	m.sa_peer_port = 0;		/* any: the learning path too */
	m.sa_proto = 17;
	if (datapath_sa_add(&fdp, &m, sizeof(m)) == -1)
		abort();
}

static void
fsetup(void)
{
	struct msg_socket	 ms;
	struct msg_dp_route	 dr;
	int			 sp[2], fd;

	if ((fbase = event_base_new()) == NULL ||
	    socketpair(AF_UNIX, SOCK_STREAM, 0, sp) == -1)
		abort();
	fch.ch_base = fbase;
	if (chan_init(&fch.ch_parent, fbase, sp[0], MSG_CHILD_MAXMSG, 0,
	    fdispatch, fclosed, NULL) == -1)
		abort();
	fdrain[fndrain++] = sp[1];
	datapath_init(&fdp, &fch);
	faddr(&fpeer_addr, "192.0.2.1", 4500);
	faddr(&fraw_peer, "192.0.2.3", 500);
	faddr(&fclear_peer, "192.0.2.9", 1701);
	faddr(&fclear_local, "192.0.2.2", 1701);

	fudp = fsock(SOCKET_ESP_UDP, SOCK_DGRAM, 0);
	fraw = fsock(SOCKET_ESP_RAW, SOCK_RAW, IPPROTO_ESP);
	memset(&ms, 0, sizeof(ms));
	ms.ms_kind = SOCKET_TUN;
	fpair(SOCK_DGRAM, &fd);
	if (datapath_socket(&fdp, fd, &ms, sizeof(ms)) == -1)
		abort();
	ms.ms_kind = SOCKET_CHANNEL;
	ms.ms_peer_role = PROC_L2TP;
	fpair(SOCK_STREAM, &fd);
	if (datapath_socket(&fdp, fd, &ms, sizeof(ms)) == -1)
		abort();

	fsa(1, &fpeer_addr, 0x100, 1);
	fsa(2, &fraw_peer, 0x300, 0);
	if (esp_sa_init(&fpeer, ESP_DIR_OUT, 0x100, ESP_ENC_AES_CBC, fkey,
	    16, ESP_AUTH_HMAC_SHA1, fauth, 20) != ESP_OK)
		abort();
	fsession(1, 1, &fpeer_addr, 1);
	fsession(2, 2, &fclear_peer, 0);
	memset(&dr, 0, sizeof(dr));
	dr.dr_id = 1;
	(void)inet_pton(AF_INET, "10.0.0.2", &dr.dr_peer);
	(void)inet_pton(AF_INET, "10.0.0.1", &dr.dr_local);
	if (datapath_route(&fdp, -1, &dr, sizeof(dr)) == -1)
		abort();
}

static void
fdrain_all(void)
{
	uint8_t	 b[9000];
	int	 i;

	(void)event_base_loop(fbase, EVLOOP_NONBLOCK);
	for (i = 0; i < fndrain; i++)
		while (recv(fdrain[i], b, sizeof(b), MSG_DONTWAIT) > 0)
			;
}

/*
 * Every datagram ends in exactly one counter: delivered (TUN, ppp,
 * l2tp) or dropped for one reason.  The entry counters do not count.
 */
static uint64_t
foutcomes(void)
{
	uint64_t	 sum = 0;
	int		 i;

	for (i = 0; i < DP_ST_MAX; i++)
		if (i != DP_ST_ESP_UDP_RX && i != DP_ST_ESP_RAW_RX &&
		    i != DP_ST_L2TP_CLEAR_RX)
			sum += fdp.dp_stats.st_count[i];
	return (sum);
}

static void
fuzz_pipeline(int mode, const uint8_t *p, size_t len)
{
	static uint8_t	 buf[DP_SLOT];
	ssize_t		 n;
	uint64_t	 before;
	uint8_t		 nh;

	if (fbase == NULL)
		fsetup();
	if (len > sizeof(buf) - 100)
		return;
	before = foutcomes();
	switch (mode) {
	case 4:
		if (len < 1)
			return;
		nh = (p[0] & 0x80) ? p[0] & 0x7f : DP_IPPROTO_UDP;
		n = esp_encap(&fpeer, p + 1, len - 1, nh, buf, sizeof(buf));
		if (n < 0)
			abort();
		dp_esp_udp_input(&fdp, fudp, buf, (size_t)n, &fpeer_addr);
		break;
	case 5:
		memcpy(buf, p, len);
		dp_esp_udp_input(&fdp, fudp, buf, len, &fpeer_addr);
		break;
	case 6:
		memcpy(buf, p, len);
		dp_esp_raw_input(&fdp, fraw, buf, len, &fraw_peer);
		break;
	case 7:
		memcpy(buf, p, len);
		dp_l2tp_input(&fdp, NULL, &fclear_peer, &fclear_local, buf,
		    len);
		break;
	}
	if (foutcomes() != before + 1)
		abort();
	fdrain_all();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int	 mode;

	if (size < 1)
		return (0);
	mode = data[0] & 7;
	data++;
	size--;
	if (mode < 3)
		fuzz_pure(mode, data, size);
	else if (mode == 3)
		fuzz_build(data, size);
	else
		fuzz_pipeline(mode, data, size);
	return (0);
}
