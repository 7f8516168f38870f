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
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/cursor.h"
#include "ike/isakmp_parse.h"

/*
 * ike_flood: Main Mode first messages (RFC 2409 5, MM1: HDR, SA, VID)
 * for the flood test, each with a fresh initiator cookie, sent round
 * robin from many UDP source ports -- what a spoofing-free attacker can
 * do to a responder's half-open table.  The proposal is one the daemon
 * accepts by default (aes256-sha256-modp2048, PSK), so every message is
 * one it would keep state for if nothing limited it.
 *
 *   ike_flood [-b BIND-ADDR] [-n COUNT] [-p PORTS] [-r PPS] SERVER
 *
 * On stdout at the end: sent=N replies=M (replies: MM2 or notifies the
 * server sent back, read without waiting for them).
 */

static void
usage(void)
{
	fprintf(stderr, "usage: ike_flood [-b bind-addr] [-n count] "
	    "[-p ports] [-r pps] server\n");
	exit(2);
}

static size_t
build_mm1(uint8_t *buf, size_t cap)
{
	struct isakmp_hdr	 h;
	struct isakmp_wr	 w;
	struct obuf		 ob;
	struct isakmp_xform_desc xd;
	struct isakmp_prop_desc	 pd;
	struct isakmp_sa_desc	 sd;

	memset(&h, 0, sizeof(h));
	arc4random_buf(h.ih_icookie, sizeof(h.ih_icookie));
	h.ih_icookie[0] |= 1;
	h.ih_xchg = ISAKMP_XCHG_IDPROT;
	memset(&xd, 0, sizeof(xd));
	xd.xd_num = 1;
	xd.xd_id = ISAKMP_XF_KEY_IKE;
	xd.xd_attrs[xd.xd_nattrs].ad_type = IKE_ATTR_ENCR;
	xd.xd_attrs[xd.xd_nattrs++].ad_val = IKE_ENCR_AES;
	xd.xd_attrs[xd.xd_nattrs].ad_type = IKE_ATTR_KEY_LEN;
	xd.xd_attrs[xd.xd_nattrs++].ad_val = 256;
	xd.xd_attrs[xd.xd_nattrs].ad_type = IKE_ATTR_HASH;
	xd.xd_attrs[xd.xd_nattrs++].ad_val = IKE_HASH_SHA2_256;
	xd.xd_attrs[xd.xd_nattrs].ad_type = IKE_ATTR_AUTH;
	xd.xd_attrs[xd.xd_nattrs++].ad_val = IKE_AUTH_PSK;
	xd.xd_attrs[xd.xd_nattrs].ad_type = IKE_ATTR_GROUP_DESC;
	xd.xd_attrs[xd.xd_nattrs++].ad_val = IKE_GROUP_MODP2048;
	memset(&pd, 0, sizeof(pd));
	pd.pd_num = 1;
	pd.pd_proto = ISAKMP_PROTO_ISAKMP;
	pd.pd_nxforms = 1;
	pd.pd_xforms = &xd;
	memset(&sd, 0, sizeof(sd));
	sd.sd_doi = ISAKMP_DOI_IPSEC;
	sd.sd_sit = IPSEC_SIT_IDENTITY_ONLY;
	sd.sd_nprops = 1;
	sd.sd_props = &pd;
	obuf_init(&ob, buf, cap);
	isakmp_wr_header(&w, &ob, &h);
	isakmp_build_sa(&w, &sd);
	isakmp_build_vid_known(&w, ISAKMP_VID_NATT_RFC3947);
	isakmp_wr_finish(&w);
	return (obuf_error(&ob) ? 0 : ob.o_len);
}

int
main(int argc, char *argv[])
{
	struct sockaddr_in	 srv, loc;
	struct timespec		 ts;
	uint8_t			 buf[512], rbuf[2048];
	unsigned long		 count = 10000, nports = 500, pps = 20000;
	unsigned long		 i;
	unsigned long		 replies = 0, sent = 0;
	const char		*bind_addr = NULL;
	size_t			 len;
	int			*fds, ch;
	unsigned long		 p;

	while ((ch = getopt(argc, argv, "b:n:p:r:")) != -1) {
		switch (ch) {
		case 'b':
			bind_addr = optarg;
			break;
		case 'n':
			count = strtoul(optarg, NULL, 10);
			break;
		case 'p':
			nports = strtoul(optarg, NULL, 10);
			break;
		case 'r':
			pps = strtoul(optarg, NULL, 10);
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc != 1 || nports == 0 || pps == 0)
		usage();
	memset(&srv, 0, sizeof(srv));
	srv.sin_family = AF_INET;
	srv.sin_port = htons(ISAKMP_PORT);
	if (inet_pton(AF_INET, argv[0], &srv.sin_addr) != 1)
		usage();
	if ((fds = calloc(nports, sizeof(*fds))) == NULL)
		return (1);
	for (p = 0; p < nports; p++) {
		if ((fds[p] = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK,
		    0)) == -1) {
			perror("socket");
			return (1);
		}
		memset(&loc, 0, sizeof(loc));
		loc.sin_family = AF_INET;
		if (bind_addr != NULL &&
		    inet_pton(AF_INET, bind_addr, &loc.sin_addr) != 1)
			usage();
		if (bind(fds[p], (struct sockaddr *)&loc, sizeof(loc)) == -1) {
			perror("bind");
			return (1);
		}
	}
	ts.tv_sec = 0;
	ts.tv_nsec = 1000000000L / (long)pps * 100;
	for (i = 0; i < count; i++) {
		p = i % nports;
		if ((len = build_mm1(buf, sizeof(buf))) == 0)
			return (1);
		if (sendto(fds[p], buf, len, 0, (struct sockaddr *)&srv,
		    sizeof(srv)) == (ssize_t)len)
			sent++;
		while (recv(fds[p], rbuf, sizeof(rbuf), MSG_DONTWAIT) > 0)
			replies++;
		/* Pace in batches of 100 so the socket buffers keep up. */
		if (i % 100 == 99)
			nanosleep(&ts, NULL);
	}
	usleep(200000);
	for (p = 0; p < nports; p++) {
		while (recv(fds[p], rbuf, sizeof(rbuf), MSG_DONTWAIT) > 0)
			replies++;
		close(fds[p]);
	}
	free(fds);
	printf("sent=%lu replies=%lu\n", sent, replies);
	fflush(stdout);
	return (0);
}
