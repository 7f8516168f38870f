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
#include <sys/types.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <linux/netlink.h>
#include <linux/udp.h>
#include <linux/xfrm.h>

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <netlink/attr.h>
#include <netlink/errno.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>

#include "common/log.h"
#include "datapath/esp.h"	/* ESP_ENC_* / ESP_AUTH_* transform ids */
#include "xfrm.h"

/*
 * Requests are built by hand with libnl's message helpers from the
 * structs of <linux/xfrm.h>, not from libnl-xfrm objects: libnl-xfrm 3.7
 * has neither XFRM_MSG_ALLOCSPI nor XFRM_MSG_MAPPING, and an xfrmnl_sa
 * keeps its keys in memory libnl frees without wiping.  For the same
 * reason replies are read with recvmsg() into the context's own buffer
 * rather than through nl_recvmsgs(), which copies every message into
 * heap buffers it frees unwiped -- and a state dump (xfrm_flush_ours())
 * carries the keys of every SA on the host.  The buffer is wiped after
 * each request, each request before it is freed.
 *
 * The kernel's errno is taken from its NLMSG_ERROR, with the
 * extended-ack text when it gives one (xfrm_user explains most EINVALs
 * that way).  NETLINK_CAP_ACK keeps the kernel from echoing a refused
 * request, keys included, back to us.
 */

/* The most the kernel sends in one datagram (a dump's skb: 32k). */
#define XFRM_BUFSZ		32768
#define XFRM_KMSG_MAX		200
#define XFRM_REQ_TIMEOUT	5	/* s; the kernel answers at once */
#define XFRM_EV_RCVBUF		(1024 * 1024)

struct xfrm_ctx {
	struct nl_sock	*cx_req;
	struct nl_sock	*cx_ev;
	uint8_t		*cx_buf;			/* XFRM_BUFSZ */
	int		 cx_kerr;			/* last kernel errno */
	char		 cx_kmsg[XFRM_KMSG_MAX];	/* and its words */
	char		 cx_err[XFRM_ERR_MAX];
};

/* Called for each reply of a request (not the ack); -1 stops with errno. */
typedef int (*xfrm_reply_fn)(const struct nlmsghdr *, void *);

/* One algorithm as the kernel names it. */
struct xfrm_alg {
	uint16_t	 al_id;		/* ESP transform id */
	const char	*al_name;
	unsigned int	 al_icv_bits;	/* truncation / AEAD ICV */
	size_t		 al_keylen[3];	/* bytes allowed; 0 ends */
};

/* RFC 2407 4.4.4, RFC 4106 8.1 (key + 4-byte salt). */
static const struct xfrm_alg xfrm_encs[] = {
	{ ESP_ENC_AES_GCM_16, "rfc4106(gcm(aes))", 128, { 20, 28, 36 } },
	{ ESP_ENC_AES_CBC, "cbc(aes)", 0, { 16, 24, 32 } },
	{ ESP_ENC_3DES, "cbc(des3_ede)", 0, { 24, 0, 0 } },
};

/*
 * RFC 2404, RFC 4868.  XFRMA_ALG_AUTH_TRUNC with the truncation spelled
 * out: plain XFRMA_ALG_AUTH would give hmac(sha256) the 96-bit ICV of
 * pre-RFC 4868 Linux, which no peer speaks.
 */
static const struct xfrm_alg xfrm_auths[] = {
	{ ESP_AUTH_HMAC_SHA1, "hmac(sha1)", 96, { 20, 0, 0 } },
	{ ESP_AUTH_HMAC_SHA2_256, "hmac(sha256)", 128, { 32, 0, 0 } },
	{ ESP_AUTH_HMAC_SHA2_384, "hmac(sha384)", 192, { 48, 0, 0 } },
	{ ESP_AUTH_HMAC_SHA2_512, "hmac(sha512)", 256, { 64, 0, 0 } },
};

/* ---- errors ------------------------------------------------------------ */

const char *
xfrm_error(const struct xfrm_ctx *cx)
{
	return (cx != NULL ? cx->cx_err : "no xfrm context");
}

/*
 * "xfrm: <what>: <errno text>[ (kernel: <text>)]" into the context;
 * errno kept.  The kernel's words only if this errno is the kernel's.
 */
static int __attribute__((format(printf, 2, 3)))
xfrm_fail(struct xfrm_ctx *cx, const char *fmt, ...)
{
	char	 what[XFRM_ERR_MAX / 2];
	va_list	 ap;
	int	 saved = errno;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	if (cx->cx_kerr == saved && cx->cx_kmsg[0] != '\0')
		snprintf(cx->cx_err, sizeof(cx->cx_err), "xfrm: %s: %s "
		    "(kernel: %s)", what, strerror(saved), cx->cx_kmsg);
	else
		snprintf(cx->cx_err, sizeof(cx->cx_err), "xfrm: %s: %s", what,
		    strerror(saved));
	log_debug("%s", cx->cx_err);
	errno = saved;
	return (-1);
}

/* A refusal of ours, before anything went to the kernel. */
static int __attribute__((format(printf, 3, 4)))
xfrm_bad(struct xfrm_ctx *cx, const char *why, const char *fmt, ...)
{
	char	 what[XFRM_ERR_MAX / 2];
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	snprintf(cx->cx_err, sizeof(cx->cx_err), "xfrm: %s: %s", what, why);
	log_debug("%s", cx->cx_err);
	errno = EINVAL;
	return (-1);
}

static const char *
a4(struct in_addr a, char *buf, size_t sz)
{
	if (inet_ntop(AF_INET, &a, buf, (socklen_t)sz) == NULL)
		snprintf(buf, sz, "?");
	return (buf);
}

static const char *
xa(const xfrm_address_t *a, uint16_t family, char *buf, size_t sz)
{
	if (inet_ntop(family == AF_INET6 ? AF_INET6 : AF_INET, a, buf,
	    (socklen_t)sz) == NULL)
		snprintf(buf, sz, "?");
	return (buf);
}

/* ---- netlink ----------------------------------------------------------- */

static struct nl_sock *
xfrm_sock(int events)
{
	struct nl_sock	*sk;
	struct timeval	 tv;
	int		 fd, one = 1, rv;

	if ((sk = nl_socket_alloc()) == NULL) {
		errno = ENOMEM;
		return (NULL);
	}
	if ((rv = nl_connect(sk, NETLINK_XFRM)) < 0) {
		nl_socket_free(sk);
		/* No xfrm_user (EPROTONOSUPPORT) says more than "EIO". */
		errno = rv == -NLE_NOMEM ? ENOMEM :
		    rv == -NLE_PROTO_MISMATCH ? EPROTONOSUPPORT : EIO;
		return (NULL);
	}
	fd = nl_socket_get_fd(sk);
	if (events) {
		nl_socket_disable_seq_check(sk);
		if (nl_socket_add_memberships(sk, XFRMNLGRP_EXPIRE,
		    XFRMNLGRP_MAPPING, 0) < 0 ||
		    nl_socket_set_nonblocking(sk) < 0) {
			nl_socket_free(sk);
			errno = EIO;
			return (NULL);
		}
		/* A burst of expires (many SAs of one age) must not drop. */
		(void)nl_socket_set_buffer_size(sk, XFRM_EV_RCVBUF, 0);
		return (sk);
	}
	nl_socket_disable_auto_ack(sk);
	(void)setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	(void)setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	tv.tv_sec = XFRM_REQ_TIMEOUT;
	tv.tv_usec = 0;
	(void)setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	return (sk);
}

struct xfrm_ctx *
xfrm_open(void)
{
	struct xfrm_ctx	*cx;
	int		 saved;

	if ((cx = calloc(1, sizeof(*cx))) == NULL ||
	    (cx->cx_buf = malloc(XFRM_BUFSZ)) == NULL) {
		free(cx);
		log_warn("xfrm: cannot open");
		return (NULL);
	}
	if ((cx->cx_req = xfrm_sock(0)) == NULL ||
	    (cx->cx_ev = xfrm_sock(1)) == NULL) {
		saved = errno;
		log_warnx("xfrm: cannot open a NETLINK_XFRM socket: %s%s",
		    strerror(saved), saved == EPROTONOSUPPORT ?
		    " (is xfrm_user loaded?)" : "");
		xfrm_close(cx);
		errno = saved;
		return (NULL);
	}
	return (cx);
}

void
xfrm_close(struct xfrm_ctx *cx)
{
	int	 saved = errno;

	if (cx == NULL)
		return;
	if (cx->cx_req != NULL)
		nl_socket_free(cx->cx_req);
	if (cx->cx_ev != NULL)
		nl_socket_free(cx->cx_ev);
	if (cx->cx_buf != NULL) {
		explicit_bzero(cx->cx_buf, XFRM_BUFSZ);
		free(cx->cx_buf);
	}
	free(cx);
	errno = saved;
}

int
xfrm_event_fd(const struct xfrm_ctx *cx)
{
	return (nl_socket_get_fd(cx->cx_ev));
}

static struct nl_msg *
xfrm_msg(int type, int flags, const void *hdr, size_t hdrlen)
{
	struct nl_msg	*msg;

	if ((msg = nlmsg_alloc_simple(type, flags)) == NULL)
		return (NULL);
	if (nlmsg_append(msg, (void *)(uintptr_t)hdr, hdrlen,
	    NLMSG_ALIGNTO) < 0) {
		nlmsg_free(msg);
		return (NULL);
	}
	return (msg);
}

/* Free a request; what it carried (keys) is wiped first. */
static void
xfrm_msg_free(struct nl_msg *msg)
{
	struct nlmsghdr	*nlh;

	if (msg == NULL)
		return;
	nlh = nlmsg_hdr(msg);
	explicit_bzero(nlh, nlh->nlmsg_len);
	nlmsg_free(msg);
}

/* The kernel's extended-ack text after an NLMSG_ERROR, if any. */
static void
xfrm_extack(struct xfrm_ctx *cx, const struct nlmsghdr *nlh)
{
	const struct nlmsgerr	*e = NLMSG_DATA(nlh);
	const struct nlattr	*a;
	size_t			 off, payload;
	int			 rem, len;

	if ((nlh->nlmsg_flags & NLM_F_ACK_TLVS) == 0)
		return;
	payload = sizeof(*e);
	if ((nlh->nlmsg_flags & NLM_F_CAPPED) == 0) {
		if (e->msg.nlmsg_len < NLMSG_HDRLEN)
			return;
		payload += e->msg.nlmsg_len - NLMSG_HDRLEN;
	}
	off = NLMSG_HDRLEN + NLMSG_ALIGN(payload);
	if (off >= nlh->nlmsg_len)
		return;
	nla_for_each_attr(a, (const struct nlattr *)(const void *)
	    ((const char *)nlh + off), (int)(nlh->nlmsg_len - off), rem) {
		if (nla_type(a) != NLMSGERR_ATTR_MSG)
			continue;
		if ((len = nla_len(a)) <= 0)
			break;
		if ((size_t)len >= sizeof(cx->cx_kmsg))
			len = sizeof(cx->cx_kmsg) - 1;
		memcpy(cx->cx_kmsg, nla_data(a), (size_t)len);
		cx->cx_kmsg[len] = '\0';
		cx->cx_kmsg[strcspn(cx->cx_kmsg, "\n")] = '\0';
		break;
	}
}

/*
 * Send msg (wiped and freed here) and read until its ack, the end of its
 * dump or an error; each reply goes to fn.  Requests other than dumps
 * ask for an ack, so success is known, not presumed.  0, or -1 with
 * errno set: the kernel's, or that of the socket.
 */
static int
xfrm_talk(struct xfrm_ctx *cx, struct nl_msg *msg, xfrm_reply_fn fn,
    void *arg)
{
	struct nlmsghdr		*nlh;
	struct sockaddr_nl	 from;
	struct iovec		 iov;
	struct msghdr		 mh;
	const struct nlmsgerr	*e;
	uint32_t		 seq;
	size_t			 used = 0;
	ssize_t			 n;
	int			 rv, done = 0, err = 0, dump, derr;

	cx->cx_kerr = 0;
	cx->cx_kmsg[0] = '\0';
	nlh = nlmsg_hdr(msg);
	dump = (nlh->nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP;
	if (!dump)
		nlh->nlmsg_flags |= NLM_F_ACK;
	rv = nl_send_auto(cx->cx_req, msg);
	seq = nlh->nlmsg_seq;
	xfrm_msg_free(msg);
	if (rv < 0) {
		errno = rv == -NLE_NOMEM ? ENOMEM : EIO;
		return (-1);
	}
	while (!done) {
		memset(&mh, 0, sizeof(mh));
		iov.iov_base = cx->cx_buf;
		iov.iov_len = XFRM_BUFSZ;
		mh.msg_name = &from;
		mh.msg_namelen = sizeof(from);
		mh.msg_iov = &iov;
		mh.msg_iovlen = 1;
		if ((n = recvmsg(nl_socket_get_fd(cx->cx_req), &mh, 0)) == -1) {
			if (errno == EINTR)
				continue;
			err = errno == EAGAIN ? ETIMEDOUT : errno;
			break;
		}
		if ((size_t)n > used)
			used = (size_t)n;
		if (mh.msg_flags & MSG_TRUNC) {
			err = EMSGSIZE;
			break;
		}
		if (from.nl_pid != 0)		/* not the kernel */
			continue;
		for (nlh = (struct nlmsghdr *)(void *)cx->cx_buf;
		    !done && NLMSG_OK(nlh, (size_t)n);
		    nlh = NLMSG_NEXT(nlh, n)) {
			if (nlh->nlmsg_seq != seq)
				continue;	/* an earlier request's */
			switch (nlh->nlmsg_type) {
			case NLMSG_ERROR:
				done = 1;
				if (nlh->nlmsg_len < NLMSG_LENGTH(sizeof(*e))) {
					err = EBADMSG;
					break;
				}
				e = NLMSG_DATA(nlh);
				if (e->error != 0) {
					err = -e->error;
					cx->cx_kerr = err;
					xfrm_extack(cx, nlh);
				}
				break;
			case NLMSG_DONE:
				/* A dump's end; a failed dump says why here. */
				done = 1;
				if (nlh->nlmsg_len < NLMSG_LENGTH(sizeof(int)))
					break;
				memcpy(&derr, NLMSG_DATA(nlh), sizeof(derr));
				if (derr < 0)
					err = cx->cx_kerr = -derr;
				break;
			case NLMSG_NOOP:
			case NLMSG_OVERRUN:
				break;
			default:
				if (fn == NULL || err != 0)
					break;
				if (fn(nlh, arg) == -1)
					err = errno;
				break;
			}
		}
	}
	explicit_bzero(cx->cx_buf, used);
	if (err != 0) {
		errno = err;
		return (-1);
	}
	return (0);
}

/* ---- selectors --------------------------------------------------------- */

/* UDP from src:sport to dst:dport; an address 0 or a port 0 is any. */
static void
xfrm_sel_udp(struct xfrm_selector *sel, struct in_addr src, uint16_t sport,
    struct in_addr dst, uint16_t dport)
{
	memset(sel, 0, sizeof(*sel));
	sel->family = AF_INET;
	sel->proto = IPPROTO_UDP;
	sel->saddr.a4 = src.s_addr;
	sel->prefixlen_s = src.s_addr != INADDR_ANY ? 32 : 0;
	sel->daddr.a4 = dst.s_addr;
	sel->prefixlen_d = dst.s_addr != INADDR_ANY ? 32 : 0;
	sel->sport = htons(sport);
	sel->sport_mask = sport != 0 ? 0xffff : 0;
	sel->dport = htons(dport);
	sel->dport_mask = dport != 0 ? 0xffff : 0;
}

static const char *
xfrm_sel_str(const struct xfrm_selector *sel, char *buf, size_t sz)
{
	char	 s[INET_ADDRSTRLEN], d[INET_ADDRSTRLEN];
	char	 sp[8] = "any", dp[8] = "any";

	if (sel->sport_mask != 0)
		snprintf(sp, sizeof(sp), "%u", ntohs(sel->sport));
	if (sel->dport_mask != 0)
		snprintf(dp, sizeof(dp), "%u", ntohs(sel->dport));
	snprintf(buf, sz, "udp %s/%u:%s -> %s/%u:%s",
	    xa(&sel->saddr, sel->family, s, sizeof(s)), sel->prefixlen_s, sp,
	    xa(&sel->daddr, sel->family, d, sizeof(d)), sel->prefixlen_d, dp);
	return (buf);
}

static const char *
xfrm_dir_str(int dir)
{
	switch (dir) {
	case XFRM_POLICY_IN:
		return ("in");
	case XFRM_POLICY_OUT:
		return ("out");
	case XFRM_POLICY_FWD:
		return ("fwd");
	}
	return ("?");
}

/* ---- events ------------------------------------------------------------ */

static int
xfrm_event_one(const struct nlmsghdr *nlh, struct xfrm_event *ev)
{
	const struct xfrm_user_expire	*ue;
	const struct xfrm_user_mapping	*um;

	memset(ev, 0, sizeof(*ev));
	switch (nlh->nlmsg_type) {
	case XFRM_MSG_EXPIRE:
		if (nlh->nlmsg_len < NLMSG_LENGTH(sizeof(*ue)))
			return (0);
		ue = NLMSG_DATA(nlh);
		/*
		 * SPI 0: an acquire state the kernel made by itself when an
		 * out policy of ours found no SA; nobody can name it.
		 */
		if (ue->state.family != AF_INET || ue->state.id.spi == 0 ||
		    !XFRM_REQID_OURS(ue->state.reqid))
			return (0);
		ev->xe_type = ue->hard ? XFRM_EV_EXPIRE_HARD :
		    XFRM_EV_EXPIRE_SOFT;
		ev->xe_spi = ntohl(ue->state.id.spi);
		ev->xe_reqid = ue->state.reqid;
		ev->xe_proto = ue->state.id.proto;
		ev->xe_src.s_addr = ue->state.saddr.a4;
		ev->xe_dst.s_addr = ue->state.id.daddr.a4;
		return (1);
	case XFRM_MSG_MAPPING:
		if (nlh->nlmsg_len < NLMSG_LENGTH(sizeof(*um)))
			return (0);
		um = NLMSG_DATA(nlh);
		if (um->id.family != AF_INET || !XFRM_REQID_OURS(um->reqid))
			return (0);
		ev->xe_type = XFRM_EV_MAPPING;
		ev->xe_spi = ntohl(um->id.spi);
		ev->xe_reqid = um->reqid;
		ev->xe_proto = um->id.proto;
		ev->xe_dst.s_addr = um->id.daddr.a4;
		ev->xe_src.s_addr = um->old_saddr.a4;
		ev->xe_old_addr.s_addr = um->old_saddr.a4;
		ev->xe_old_port = ntohs(um->old_sport);
		ev->xe_new_addr.s_addr = um->new_saddr.a4;
		ev->xe_new_port = ntohs(um->new_sport);
		return (1);
	}
	return (0);	/* a policy expire, or something newer */
}

int
xfrm_event_read(struct xfrm_ctx *cx, xfrm_event_fn cb, void *arg)
{
	struct nlmsghdr		*nlh;
	struct sockaddr_nl	 from;
	struct iovec		 iov;
	struct msghdr		 mh;
	struct xfrm_event	 ev;
	ssize_t			 n;
	int			 count = 0, reads;

	/* Bounded: a flood of events must not starve the event loop. */
	for (reads = 0; reads < 256; reads++) {
		memset(&mh, 0, sizeof(mh));
		iov.iov_base = cx->cx_buf;
		iov.iov_len = XFRM_BUFSZ;
		mh.msg_name = &from;
		mh.msg_namelen = sizeof(from);
		mh.msg_iov = &iov;
		mh.msg_iovlen = 1;
		if ((n = recvmsg(xfrm_event_fd(cx), &mh, 0)) == -1) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				break;
			if (errno == ENOBUFS) {
				log_warnx("xfrm: the kernel dropped XFRM "
				    "events (receive buffer full)");
				memset(&ev, 0, sizeof(ev));
				ev.xe_type = XFRM_EV_OVERRUN;
				cb(&ev, arg);
				count++;
				continue;
			}
			snprintf(cx->cx_err, sizeof(cx->cx_err), "xfrm: "
			    "cannot read XFRM events: %s", strerror(errno));
			return (-1);
		}
		if (from.nl_pid != 0 || (mh.msg_flags & MSG_TRUNC))
			continue;
		for (nlh = (struct nlmsghdr *)(void *)cx->cx_buf;
		    NLMSG_OK(nlh, (size_t)n); nlh = NLMSG_NEXT(nlh, n)) {
			if (xfrm_event_one(nlh, &ev) == 0)
				continue;
			cb(&ev, arg);
			count++;
		}
	}
	return (count);
}

/* ---- states ------------------------------------------------------------ */

struct xfrm_spi_reply {
	uint32_t	 sr_spi;
	int		 sr_got;
};

static int
xfrm_spi_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct xfrm_spi_reply		*sr = arg;
	const struct xfrm_usersa_info	*p;

	if (nlh->nlmsg_type != XFRM_MSG_NEWSA ||
	    nlh->nlmsg_len < NLMSG_LENGTH(sizeof(*p)))
		return (0);
	p = NLMSG_DATA(nlh);
	sr->sr_spi = ntohl(p->id.spi);
	sr->sr_got = 1;
	return (0);
}

int
xfrm_spi_alloc(struct xfrm_ctx *cx, struct in_addr local,
    struct in_addr peer, uint32_t reqid, uint32_t min, uint32_t max,
    uint32_t *spi)
{
	struct xfrm_userspi_info	 us;
	struct xfrm_spi_reply		 sr;
	struct nl_msg			*msg;
	char				 l[INET_ADDRSTRLEN], p[INET_ADDRSTRLEN];
	char				 what[128];

	snprintf(what, sizeof(what), "allocate an SPI for ESP %s->%s reqid "
	    "0x%08x", a4(peer, p, sizeof(p)), a4(local, l, sizeof(l)), reqid);
	if (reqid < XFRM_REQID_FIRST || reqid > XFRM_REQID_MAX)
		return (xfrm_bad(cx, "reqid not in our range", "%s", what));
	if (local.s_addr == INADDR_ANY || peer.s_addr == INADDR_ANY)
		return (xfrm_bad(cx, "no address", "%s", what));
	if (min < 256 || min > max)
		return (xfrm_bad(cx, "bad SPI range (RFC 4303 2.1)", "%s",
		    what));
	memset(&us, 0, sizeof(us));
	us.info.id.daddr.a4 = local.s_addr;
	us.info.id.proto = IPPROTO_ESP;
	us.info.saddr.a4 = peer.s_addr;
	us.info.family = AF_INET;
	us.info.mode = XFRM_MODE_TRANSPORT;
	us.info.reqid = reqid;
	us.min = min;
	us.max = max;
	memset(&sr, 0, sizeof(sr));
	if ((msg = xfrm_msg(XFRM_MSG_ALLOCSPI, 0, &us, sizeof(us))) == NULL) {
		errno = ENOMEM;
		return (xfrm_fail(cx, "%s", what));
	}
	if (xfrm_talk(cx, msg, xfrm_spi_cb, &sr) == -1)
		return (xfrm_fail(cx, "%s", what));
	if (!sr.sr_got || sr.sr_spi < min || sr.sr_spi > max) {
		errno = EBADMSG;
		return (xfrm_fail(cx, "%s: no SPI in the kernel's answer",
		    what));
	}
	*spi = sr.sr_spi;
	log_debug("xfrm: SPI 0x%08x for ESP %s->%s reqid 0x%08x", *spi, p, l,
	    reqid);
	return (0);
}

static const struct xfrm_alg *
xfrm_alg_find(const struct xfrm_alg *tab, size_t n, uint16_t id,
    size_t keylen)
{
	size_t	 i, j;

	for (i = 0; i < n; i++) {
		if (tab[i].al_id != id)
			continue;
		for (j = 0; j < 3 && tab[i].al_keylen[j] != 0; j++)
			if (tab[i].al_keylen[j] == keylen)
				return (&tab[i]);
		return (NULL);
	}
	return (NULL);
}

/*
 * The algorithm attributes, written straight into the request so the
 * key exists in one place only (wiped with the request).
 */
static int
xfrm_put_algs(struct nl_msg *msg, const struct xfrm_sa *sa,
    const struct xfrm_alg *enc, const struct xfrm_alg *auth)
{
	struct nlattr		*a;
	struct xfrm_algo_aead	*aead;
	struct xfrm_algo	*crypt;
	struct xfrm_algo_auth	*at;

	if (auth == NULL) {
		if ((a = nla_reserve(msg, XFRMA_ALG_AEAD, (int)(sizeof(*aead) +
		    sa->xs_enc_keylen))) == NULL)
			return (-1);
		aead = nla_data(a);
		memset(aead, 0, sizeof(*aead));
		snprintf(aead->alg_name, sizeof(aead->alg_name), "%s",
		    enc->al_name);
		aead->alg_key_len = sa->xs_enc_keylen * 8;
		aead->alg_icv_len = enc->al_icv_bits;
		memcpy(aead->alg_key, sa->xs_enc_key, sa->xs_enc_keylen);
		return (0);
	}
	if ((a = nla_reserve(msg, XFRMA_ALG_CRYPT, (int)(sizeof(*crypt) +
	    sa->xs_enc_keylen))) == NULL)
		return (-1);
	crypt = nla_data(a);
	memset(crypt, 0, sizeof(*crypt));
	snprintf(crypt->alg_name, sizeof(crypt->alg_name), "%s", enc->al_name);
	crypt->alg_key_len = sa->xs_enc_keylen * 8;
	memcpy(crypt->alg_key, sa->xs_enc_key, sa->xs_enc_keylen);
	if ((a = nla_reserve(msg, XFRMA_ALG_AUTH_TRUNC, (int)(sizeof(*at) +
	    sa->xs_auth_keylen))) == NULL)
		return (-1);
	at = nla_data(a);
	memset(at, 0, sizeof(*at));
	snprintf(at->alg_name, sizeof(at->alg_name), "%s", auth->al_name);
	at->alg_key_len = sa->xs_auth_keylen * 8;
	at->alg_trunc_len = auth->al_icv_bits;
	memcpy(at->alg_key, sa->xs_auth_key, sa->xs_auth_keylen);
	return (0);
}

/*
 * A replay window above 32 packets needs XFRMA_REPLAY_ESN_VAL (without
 * the ESN flag: the kernel then keeps a plain bitmap of that size), and
 * the legacy field must be 0 with it.
 */
static int
xfrm_put_replay(struct nl_msg *msg, struct xfrm_usersa_info *p,
    uint32_t window)
{
	struct xfrm_replay_state_esn	*rs;
	struct nlattr			*a;
	uint32_t			 words;

	if (window <= 32) {
		p->replay_window = (uint8_t)window;
		return (0);
	}
	p->replay_window = 0;
	words = (window + 31) / 32;
	if ((a = nla_reserve(msg, XFRMA_REPLAY_ESN_VAL, (int)(sizeof(*rs) +
	    words * sizeof(uint32_t)))) == NULL)
		return (-1);
	rs = nla_data(a);
	memset(rs, 0, sizeof(*rs) + words * sizeof(uint32_t));
	rs->bmp_len = words;
	rs->replay_window = window;
	return (0);
}

static const char *
xfrm_sa_str(const struct xfrm_sa *sa, char *buf, size_t sz)
{
	char	 s[INET_ADDRSTRLEN], d[INET_ADDRSTRLEN];

	snprintf(buf, sz, "SA spi 0x%08x %s->%s reqid 0x%08x", sa->xs_spi,
	    a4(sa->xs_src, s, sizeof(s)), a4(sa->xs_dst, d, sizeof(d)),
	    sa->xs_reqid);
	return (buf);
}

int
xfrm_sa_add(struct xfrm_ctx *cx, const struct xfrm_sa *sa)
{
	struct xfrm_usersa_info	 p;
	struct xfrm_encap_tmpl	 et;
	const struct xfrm_alg	*enc, *auth = NULL;
	struct nl_msg		*msg;
	const char		*verb = sa->xs_update ? "update" : "add";
	char			 what[128];

	xfrm_sa_str(sa, what, sizeof(what));
	if (sa->xs_reqid < XFRM_REQID_FIRST || sa->xs_reqid > XFRM_REQID_MAX)
		return (xfrm_bad(cx, "reqid not in our range", "%s %s", verb,
		    what));
	if (sa->xs_spi < 256)
		return (xfrm_bad(cx, "SPI in the reserved range", "%s %s",
		    verb, what));
	if (sa->xs_src.s_addr == INADDR_ANY || sa->xs_dst.s_addr == INADDR_ANY)
		return (xfrm_bad(cx, "no outer address", "%s %s", verb, what));
	if (sa->xs_enc_keylen > XFRM_KEY_MAX ||
	    sa->xs_auth_keylen > XFRM_KEY_MAX ||
	    (enc = xfrm_alg_find(xfrm_encs, sizeof(xfrm_encs) /
	    sizeof(xfrm_encs[0]), sa->xs_enc, sa->xs_enc_keylen)) == NULL)
		return (xfrm_bad(cx, "unsupported cipher or key length",
		    "%s %s", verb, what));
	if (enc->al_icv_bits != 0) {		/* AEAD: no separate MAC */
		if (sa->xs_auth != ESP_AUTH_NONE || sa->xs_auth_keylen != 0)
			return (xfrm_bad(cx, "an integrity algorithm with "
			    "AES-GCM", "%s %s", verb, what));
	} else if ((auth = xfrm_alg_find(xfrm_auths, sizeof(xfrm_auths) /
	    sizeof(xfrm_auths[0]), sa->xs_auth, sa->xs_auth_keylen)) == NULL)
		return (xfrm_bad(cx, "unsupported integrity algorithm or key "
		    "length", "%s %s", verb, what));
	if ((sa->xs_soft_bytes != 0 && sa->xs_hard_bytes != 0 &&
	    sa->xs_soft_bytes >= sa->xs_hard_bytes) ||
	    (sa->xs_soft_secs != 0 && sa->xs_hard_secs != 0 &&
	    sa->xs_soft_secs >= sa->xs_hard_secs))
		return (xfrm_bad(cx, "soft lifetime not below the hard one",
		    "%s %s", verb, what));
	if (sa->xs_replay > XFRM_REPLAY_MAX)
		return (xfrm_bad(cx, "replay window over 4096", "%s %s", verb,
		    what));
	if (sa->xs_encap && (sa->xs_encap_sport == 0 ||
	    sa->xs_encap_dport == 0))
		return (xfrm_bad(cx, "ESP in UDP without ports", "%s %s", verb,
		    what));

	memset(&p, 0, sizeof(p));
	xfrm_sel_udp(&p.sel, sa->xs_src, sa->xs_sport, sa->xs_dst,
	    sa->xs_dport);
	p.id.daddr.a4 = sa->xs_dst.s_addr;
	p.id.spi = htonl(sa->xs_spi);
	p.id.proto = IPPROTO_ESP;
	p.saddr.a4 = sa->xs_src.s_addr;
	p.lft.soft_byte_limit = sa->xs_soft_bytes != 0 ? sa->xs_soft_bytes :
	    XFRM_INF;
	p.lft.hard_byte_limit = sa->xs_hard_bytes != 0 ? sa->xs_hard_bytes :
	    XFRM_INF;
	p.lft.soft_packet_limit = XFRM_INF;
	p.lft.hard_packet_limit = XFRM_INF;
	p.lft.soft_add_expires_seconds = sa->xs_soft_secs;
	p.lft.hard_add_expires_seconds = sa->xs_hard_secs;
	p.reqid = sa->xs_reqid;
	p.family = AF_INET;
	p.mode = XFRM_MODE_TRANSPORT;

	if ((msg = nlmsg_alloc_simple(sa->xs_update ? XFRM_MSG_UPDSA :
	    XFRM_MSG_NEWSA, 0)) == NULL)
		goto nomem;
	/*
	 * Room for the header first, its bytes last: the replay window
	 * decides p.replay_window.
	 */
	if (nlmsg_reserve(msg, sizeof(p), NLMSG_ALIGNTO) == NULL ||
	    xfrm_put_replay(msg, &p, sa->xs_replay) == -1 ||
	    xfrm_put_algs(msg, sa, enc, auth) == -1)
		goto nomem;
	memcpy(nlmsg_data(nlmsg_hdr(msg)), &p, sizeof(p));
	if (sa->xs_encap) {
		memset(&et, 0, sizeof(et));
		et.encap_type = UDP_ENCAP_ESPINUDP;
		et.encap_sport = htons(sa->xs_encap_sport);
		et.encap_dport = htons(sa->xs_encap_dport);
		et.encap_oa.a4 = sa->xs_natoa.s_addr;
		if (nla_put(msg, XFRMA_ENCAP, sizeof(et), &et) < 0)
			goto nomem;
		if (sa->xs_mapping_maxage != 0 && nla_put_u32(msg,
		    XFRMA_MTIMER_THRESH, sa->xs_mapping_maxage) < 0)
			goto nomem;
	}
	if (xfrm_talk(cx, msg, NULL, NULL) == -1) {
		if (errno == ESRCH && sa->xs_update)
			return (xfrm_fail(cx, "%s %s (no larval state from "
			    "ALLOCSPI: expired or never made)", verb, what));
		return (xfrm_fail(cx, "%s %s", verb, what));
	}
	log_debug("xfrm: %s %s: %s%s%s, %s", sa->xs_update ? "updated" :
	    "added", what, enc->al_name, auth != NULL ? " + " : "",
	    auth != NULL ? auth->al_name : "", sa->xs_encap ? "ESP in UDP" :
	    "ESP");
	return (0);
 nomem:
	xfrm_msg_free(msg);
	errno = ENOMEM;
	return (xfrm_fail(cx, "%s %s", verb, what));
}

struct xfrm_ae_reply {
	struct xfrm_sa_counters	*ar_c;
	int			 ar_got;
};

static int
xfrm_ae_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct xfrm_ae_reply		*ar = arg;
	const struct xfrm_aevent_id	*id;
	const struct xfrm_lifetime_cur	*lc;
	const struct xfrm_replay_state	*rp;
	const struct xfrm_replay_state_esn *re;
	struct nlattr			*tb[XFRMA_MAX + 1];

	if (nlh->nlmsg_type != XFRM_MSG_NEWAE ||
	    nlh->nlmsg_len < NLMSG_LENGTH(sizeof(*id)))
		return (0);
	id = NLMSG_DATA(nlh);
	if (nlmsg_parse((struct nlmsghdr *)(uintptr_t)nlh, sizeof(*id), tb,
	    XFRMA_MAX, NULL) < 0)
		return (0);
	memset(ar->ar_c, 0, sizeof(*ar->ar_c));
	ar->ar_c->xc_reqid = id->reqid;
	if (tb[XFRMA_LTIME_VAL] != NULL &&
	    nla_len(tb[XFRMA_LTIME_VAL]) >= (int)sizeof(*lc)) {
		lc = nla_data(tb[XFRMA_LTIME_VAL]);
		ar->ar_c->xc_bytes = lc->bytes;
		ar->ar_c->xc_packets = lc->packets;
		ar->ar_c->xc_add_time = lc->add_time;
		ar->ar_c->xc_use_time = lc->use_time;
	}
	if (tb[XFRMA_REPLAY_ESN_VAL] != NULL &&
	    nla_len(tb[XFRMA_REPLAY_ESN_VAL]) >= (int)sizeof(*re)) {
		re = nla_data(tb[XFRMA_REPLAY_ESN_VAL]);
		ar->ar_c->xc_oseq = re->oseq;
		ar->ar_c->xc_seq = re->seq;
	} else if (tb[XFRMA_REPLAY_VAL] != NULL &&
	    nla_len(tb[XFRMA_REPLAY_VAL]) >= (int)sizeof(*rp)) {
		rp = nla_data(tb[XFRMA_REPLAY_VAL]);
		ar->ar_c->xc_oseq = rp->oseq;
		ar->ar_c->xc_seq = rp->seq;
	}
	ar->ar_got = 1;
	return (0);
}

/*
 * XFRM_MSG_GETAE rather than GETSA: the same counters without the keys
 * coming back.  Does not check the reqid.
 */
static int
xfrm_ae_get(struct xfrm_ctx *cx, struct in_addr dst, uint32_t spi,
    uint8_t proto, struct xfrm_sa_counters *c)
{
	struct xfrm_aevent_id	 id;
	struct xfrm_ae_reply	 ar;
	struct nl_msg		*msg;

	memset(&id, 0, sizeof(id));
	id.sa_id.daddr.a4 = dst.s_addr;
	id.sa_id.spi = htonl(spi);
	id.sa_id.family = AF_INET;
	id.sa_id.proto = proto;
	ar.ar_c = c;
	ar.ar_got = 0;
	if ((msg = xfrm_msg(XFRM_MSG_GETAE, 0, &id, sizeof(id))) == NULL) {
		errno = ENOMEM;
		return (-1);
	}
	if (xfrm_talk(cx, msg, xfrm_ae_cb, &ar) == -1)
		return (-1);
	if (!ar.ar_got) {
		errno = EBADMSG;
		return (-1);
	}
	return (0);
}

int
xfrm_sa_counters(struct xfrm_ctx *cx, struct in_addr dst, uint32_t spi,
    uint8_t proto, struct xfrm_sa_counters *c)
{
	char	 d[INET_ADDRSTRLEN];

	if (xfrm_ae_get(cx, dst, spi, proto, c) == -1)
		return (xfrm_fail(cx, "read the counters of SA spi 0x%08x "
		    "dst %s", spi, a4(dst, d, sizeof(d))));
	if (!XFRM_REQID_OURS(c->xc_reqid)) {
		errno = EPERM;
		return (xfrm_fail(cx, "read the counters of SA spi 0x%08x "
		    "dst %s: reqid %u is not ours", spi, a4(dst, d,
		    sizeof(d)), c->xc_reqid));
	}
	return (0);
}

/* DELSA by (dst, spi, proto, mark), no questions asked. */
static int
xfrm_sa_delete(struct xfrm_ctx *cx, const xfrm_address_t *dst,
    uint16_t family, uint32_t spi_be, uint8_t proto,
    const struct xfrm_mark *mark)
{
	struct xfrm_usersa_id	 id;
	struct nl_msg		*msg;

	memset(&id, 0, sizeof(id));
	id.daddr = *dst;
	id.spi = spi_be;
	id.family = family;
	id.proto = proto;
	if ((msg = xfrm_msg(XFRM_MSG_DELSA, 0, &id, sizeof(id))) == NULL ||
	    (mark != NULL && nla_put(msg, XFRMA_MARK, sizeof(*mark),
	    mark) < 0)) {
		nlmsg_free(msg);
		errno = ENOMEM;
		return (-1);
	}
	return (xfrm_talk(cx, msg, NULL, NULL));
}

int
xfrm_sa_del(struct xfrm_ctx *cx, struct in_addr dst, uint32_t spi,
    uint8_t proto)
{
	struct xfrm_sa_counters	 c;
	xfrm_address_t		 xd;
	char			 d[INET_ADDRSTRLEN];

	a4(dst, d, sizeof(d));
	/* Ours?  A caller's mix-up must not take Libreswan's SA. */
	if (xfrm_ae_get(cx, dst, spi, proto, &c) == -1)
		return (xfrm_fail(cx, "delete SA spi 0x%08x dst %s", spi, d));
	if (!XFRM_REQID_OURS(c.xc_reqid)) {
		errno = EPERM;
		return (xfrm_fail(cx, "delete SA spi 0x%08x dst %s: reqid %u "
		    "is not ours", spi, d, c.xc_reqid));
	}
	memset(&xd, 0, sizeof(xd));
	xd.a4 = dst.s_addr;
	if (xfrm_sa_delete(cx, &xd, AF_INET, htonl(spi), proto, NULL) == -1)
		return (xfrm_fail(cx, "delete SA spi 0x%08x dst %s", spi, d));
	log_debug("xfrm: deleted SA spi 0x%08x dst %s reqid 0x%08x", spi, d,
	    c.xc_reqid);
	return (0);
}

/* ---- policies ---------------------------------------------------------- */

static int
xfrm_pol_new(struct xfrm_ctx *cx, const struct xfrm_selector *sel, int dir,
    uint32_t prio, uint32_t reqid, struct in_addr tsrc, struct in_addr tdst)
{
	struct xfrm_userpolicy_info	 pi;
	struct xfrm_user_tmpl		 t;
	struct nl_msg			*msg;

	memset(&pi, 0, sizeof(pi));
	pi.sel = *sel;
	pi.lft.soft_byte_limit = XFRM_INF;
	pi.lft.hard_byte_limit = XFRM_INF;
	pi.lft.soft_packet_limit = XFRM_INF;
	pi.lft.hard_packet_limit = XFRM_INF;
	pi.priority = prio;
	pi.dir = (uint8_t)dir;
	pi.action = XFRM_POLICY_ALLOW;
	pi.share = XFRM_SHARE_ANY;
	/*
	 * Transport mode: the template's addresses only document the pair
	 * (the kernel takes the packet's); optional 0 makes ESP required.
	 */
	memset(&t, 0, sizeof(t));
	t.id.daddr.a4 = tdst.s_addr;
	t.id.proto = IPPROTO_ESP;
	t.family = AF_INET;
	t.saddr.a4 = tsrc.s_addr;
	t.reqid = reqid;
	t.mode = XFRM_MODE_TRANSPORT;
	t.share = XFRM_SHARE_ANY;
	t.aalgos = t.ealgos = t.calgos = ~0U;
	/* NEWPOLICY, not UPDPOLICY: never replace somebody else's. */
	if ((msg = xfrm_msg(XFRM_MSG_NEWPOLICY, 0, &pi, sizeof(pi))) == NULL ||
	    nla_put(msg, XFRMA_TMPL, sizeof(t), &t) < 0) {
		nlmsg_free(msg);
		errno = ENOMEM;
		return (-1);
	}
	return (xfrm_talk(cx, msg, NULL, NULL));
}

/* A policy as the kernel reports it, as far as ownership goes. */
struct xfrm_pol {
	uint32_t		 po_index;
	uint8_t			 po_dir;
	uint8_t			 po_type;	/* XFRM_POLICY_TYPE_MAIN/SUB */
	int			 po_has_mark;
	struct xfrm_mark	 po_mark;
	int			 po_has_ifid;
	uint32_t		 po_ifid;
	uint32_t		 po_reqid;	/* the first template's */
	int			 po_ours;	/* every template's is ours */
	struct xfrm_selector	 po_sel;
};

static int
xfrm_pol_parse(const struct nlmsghdr *nlh, struct xfrm_pol *po)
{
	const struct xfrm_userpolicy_info	*pi;
	const struct xfrm_user_tmpl		*t;
	const struct xfrm_userpolicy_type	*ty;
	struct nlattr				*tb[XFRMA_MAX + 1];
	size_t					 i, nt;

	if (nlh->nlmsg_type != XFRM_MSG_NEWPOLICY ||
	    nlh->nlmsg_len < NLMSG_LENGTH(sizeof(*pi)))
		return (-1);
	pi = NLMSG_DATA(nlh);
	if (nlmsg_parse((struct nlmsghdr *)(uintptr_t)nlh, sizeof(*pi), tb,
	    XFRMA_MAX, NULL) < 0)
		return (-1);
	memset(po, 0, sizeof(*po));
	po->po_index = pi->index;
	po->po_dir = pi->dir;
	po->po_sel = pi->sel;
	po->po_type = XFRM_POLICY_TYPE_MAIN;
	if (tb[XFRMA_POLICY_TYPE] != NULL &&
	    nla_len(tb[XFRMA_POLICY_TYPE]) >= (int)sizeof(*ty)) {
		ty = nla_data(tb[XFRMA_POLICY_TYPE]);
		po->po_type = ty->type;
	}
	if (tb[XFRMA_MARK] != NULL &&
	    nla_len(tb[XFRMA_MARK]) >= (int)sizeof(po->po_mark)) {
		memcpy(&po->po_mark, nla_data(tb[XFRMA_MARK]),
		    sizeof(po->po_mark));
		po->po_has_mark = 1;
	}
	if (tb[XFRMA_IF_ID] != NULL && nla_len(tb[XFRMA_IF_ID]) >= 4) {
		po->po_ifid = nla_get_u32(tb[XFRMA_IF_ID]);
		po->po_has_ifid = 1;
	}
	if (tb[XFRMA_TMPL] == NULL)
		return (0);
	nt = (size_t)nla_len(tb[XFRMA_TMPL]) / sizeof(*t);
	t = nla_data(tb[XFRMA_TMPL]);
	po->po_ours = nt > 0;
	for (i = 0; i < nt; i++) {
		if (i == 0)
			po->po_reqid = t[i].reqid;
		if (!XFRM_REQID_OURS(t[i].reqid))
			po->po_ours = 0;
	}
	return (0);
}

struct xfrm_pol_reply {
	struct xfrm_pol	 pr_pol;
	int		 pr_got;
};

static int
xfrm_pol_get_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct xfrm_pol_reply	*pr = arg;

	if (xfrm_pol_parse(nlh, &pr->pr_pol) == 0)
		pr->pr_got = 1;
	return (0);
}

/* DELPOLICY by index (unique), with the policy's type, mark and if_id. */
static int
xfrm_pol_delete(struct xfrm_ctx *cx, const struct xfrm_pol *po)
{
	struct xfrm_userpolicy_id	 id;
	struct xfrm_userpolicy_type	 ty;
	struct nl_msg			*msg;

	memset(&id, 0, sizeof(id));
	id.index = po->po_index;
	id.dir = po->po_dir;
	memset(&ty, 0, sizeof(ty));
	ty.type = po->po_type;
	if ((msg = xfrm_msg(XFRM_MSG_DELPOLICY, 0, &id, sizeof(id))) == NULL ||
	    nla_put(msg, XFRMA_POLICY_TYPE, sizeof(ty), &ty) < 0 ||
	    (po->po_has_mark && nla_put(msg, XFRMA_MARK, sizeof(po->po_mark),
	    &po->po_mark) < 0) ||
	    (po->po_has_ifid && nla_put_u32(msg, XFRMA_IF_ID,
	    po->po_ifid) < 0)) {
		nlmsg_free(msg);
		errno = ENOMEM;
		return (-1);
	}
	return (xfrm_talk(cx, msg, NULL, NULL));
}

/*
 * Delete the main-type policy with exactly this selector and direction
 * if its template carries reqid; ESRCH if there is none, EPERM if it is
 * somebody else's.
 */
static int
xfrm_pol_del_ours(struct xfrm_ctx *cx, const struct xfrm_selector *sel,
    int dir, uint32_t reqid)
{
	struct xfrm_userpolicy_id	 id;
	struct xfrm_pol_reply		 pr;
	struct nl_msg			*msg;

	memset(&id, 0, sizeof(id));
	id.sel = *sel;
	id.dir = (uint8_t)dir;
	memset(&pr, 0, sizeof(pr));
	if ((msg = xfrm_msg(XFRM_MSG_GETPOLICY, 0, &id, sizeof(id))) == NULL) {
		errno = ENOMEM;
		return (-1);
	}
	if (xfrm_talk(cx, msg, xfrm_pol_get_cb, &pr) == -1)
		return (-1);
	if (!pr.pr_got) {
		errno = EBADMSG;
		return (-1);
	}
	if (!pr.pr_pol.po_ours || pr.pr_pol.po_reqid != reqid) {
		cx->cx_kerr = 0;
		errno = EPERM;
		return (-1);
	}
	return (xfrm_pol_delete(cx, &pr.pr_pol));
}

static void
xfrm_flow_sels(const struct xfrm_l2tp_flow *f, struct xfrm_selector *out,
    struct xfrm_selector *in)
{
	xfrm_sel_udp(out, f->xf_local, XFRM_L2TP_PORT, f->xf_peer,
	    f->xf_peer_port);
	xfrm_sel_udp(in, f->xf_peer, f->xf_peer_port, f->xf_local,
	    XFRM_L2TP_PORT);
}

static const char *
xfrm_flow_str(const struct xfrm_l2tp_flow *f, char *buf, size_t sz)
{
	char	 l[INET_ADDRSTRLEN], p[INET_ADDRSTRLEN], pp[8] = "any";

	if (f->xf_peer_port != 0)
		snprintf(pp, sizeof(pp), "%u", f->xf_peer_port);
	snprintf(buf, sz, "policies for udp %s:%u <-> %s:%s reqid 0x%08x",
	    a4(f->xf_local, l, sizeof(l)), XFRM_L2TP_PORT,
	    a4(f->xf_peer, p, sizeof(p)), pp, f->xf_reqid);
	return (buf);
}

int
xfrm_policy_add(struct xfrm_ctx *cx, const struct xfrm_l2tp_flow *f)
{
	struct xfrm_selector	 out, in;
	char			 what[128];
	int			 saved;

	xfrm_flow_str(f, what, sizeof(what));
	if (f->xf_reqid < XFRM_REQID_FIRST || f->xf_reqid > XFRM_REQID_MAX)
		return (xfrm_bad(cx, "reqid not in our range", "add %s", what));
	if (f->xf_local.s_addr == INADDR_ANY || f->xf_peer.s_addr == INADDR_ANY)
		return (xfrm_bad(cx, "no address", "add %s", what));
	xfrm_flow_sels(f, &out, &in);
	if (xfrm_pol_new(cx, &out, XFRM_POLICY_OUT, XFRM_PRIO_PEER,
	    f->xf_reqid, f->xf_local, f->xf_peer) == -1)
		return (xfrm_fail(cx, "add %s: out", what));
	if (xfrm_pol_new(cx, &in, XFRM_POLICY_IN, XFRM_PRIO_PEER,
	    f->xf_reqid, f->xf_peer, f->xf_local) == -1) {
		saved = errno;
		(void)xfrm_fail(cx, "add %s: in", what);
		/* Not half a pair. */
		if (xfrm_pol_del_ours(cx, &out, XFRM_POLICY_OUT,
		    f->xf_reqid) == -1)
			log_warnx("xfrm: cannot take back the out policy of "
			    "%s: %s", what, strerror(errno));
		errno = saved;
		return (-1);
	}
	log_debug("xfrm: added %s", what);
	return (0);
}

int
xfrm_policy_del(struct xfrm_ctx *cx, const struct xfrm_l2tp_flow *f)
{
	struct xfrm_selector	 out, in;
	char			 what[128];
	int			 rv = 0, saved = 0;

	xfrm_flow_str(f, what, sizeof(what));
	xfrm_flow_sels(f, &out, &in);
	/* Both, even if one fails; the first failure is reported. */
	if (xfrm_pol_del_ours(cx, &in, XFRM_POLICY_IN, f->xf_reqid) == -1) {
		(void)xfrm_fail(cx, "delete %s: in", what);
		saved = errno;
		rv = -1;
	}
	if (xfrm_pol_del_ours(cx, &out, XFRM_POLICY_OUT, f->xf_reqid) == -1 &&
	    rv == 0) {
		(void)xfrm_fail(cx, "delete %s: out", what);
		saved = errno;
		rv = -1;
	}
	if (rv == -1) {
		errno = saved;
		return (-1);
	}
	log_debug("xfrm: deleted %s", what);
	return (0);
}

static void
xfrm_mandatory_sel(struct xfrm_selector *sel, struct in_addr local)
{
	struct in_addr	 any;

	any.s_addr = INADDR_ANY;
	xfrm_sel_udp(sel, any, 0, local, XFRM_L2TP_PORT);
}

int
xfrm_mandatory_add(struct xfrm_ctx *cx, struct in_addr local)
{
	struct xfrm_selector	 sel;
	struct in_addr		 any;
	char			 l[INET_ADDRSTRLEN];

	a4(local, l, sizeof(l));
	if (local.s_addr == INADDR_ANY)
		return (xfrm_bad(cx, "no address", "add the mandatory inbound "
		    "policy"));
	any.s_addr = INADDR_ANY;
	xfrm_mandatory_sel(&sel, local);
	if (xfrm_pol_new(cx, &sel, XFRM_POLICY_IN, XFRM_PRIO_MANDATORY,
	    XFRM_REQID_MANDATORY, any, local) == -1)
		return (xfrm_fail(cx, "add the mandatory inbound policy for "
		    "udp to %s:%u", l, XFRM_L2TP_PORT));
	log_debug("xfrm: UDP to %s:%u now requires ESP", l, XFRM_L2TP_PORT);
	return (0);
}

int
xfrm_mandatory_del(struct xfrm_ctx *cx, struct in_addr local)
{
	struct xfrm_selector	 sel;
	char			 l[INET_ADDRSTRLEN];

	a4(local, l, sizeof(l));
	xfrm_mandatory_sel(&sel, local);
	if (xfrm_pol_del_ours(cx, &sel, XFRM_POLICY_IN,
	    XFRM_REQID_MANDATORY) == -1)
		return (xfrm_fail(cx, "delete the mandatory inbound policy "
		    "for udp to %s:%u", l, XFRM_L2TP_PORT));
	log_debug("xfrm: mandatory inbound policy for %s:%u deleted", l,
	    XFRM_L2TP_PORT);
	return (0);
}

/* ---- crash cleanup ----------------------------------------------------- */

/* A state of ours, as far as deleting it goes. */
struct xfrm_st {
	xfrm_address_t		 st_dst;
	xfrm_address_t		 st_src;
	uint32_t		 st_spi;	/* network order */
	uint32_t		 st_reqid;
	uint16_t		 st_family;
	uint8_t			 st_proto;
	int			 st_has_mark;
	struct xfrm_mark	 st_mark;
};

struct xfrm_list {
	void		*li_v;
	size_t		 li_n;
	size_t		 li_cap;
	size_t		 li_size;
	size_t		 li_larval;	/* acquire states, SPI 0: skipped */
};

static void *
xfrm_list_add(struct xfrm_list *li)
{
	void	*v;
	size_t	 cap;

	if (li->li_n == li->li_cap) {
		cap = li->li_cap ? li->li_cap * 2 : 16;
		if ((v = reallocarray(li->li_v, cap, li->li_size)) == NULL)
			return (NULL);
		li->li_v = v;
		li->li_cap = cap;
	}
	v = (char *)li->li_v + li->li_n++ * li->li_size;
	memset(v, 0, li->li_size);
	return (v);
}

static int
xfrm_dump_pol_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct xfrm_list	*li = arg;
	struct xfrm_pol		 po, *p;

	if (xfrm_pol_parse(nlh, &po) == -1 || !po.po_ours ||
	    po.po_dir >= XFRM_POLICY_MAX)	/* socket policies: not ours */
		return (0);
	if ((p = xfrm_list_add(li)) == NULL)
		return (-1);
	*p = po;
	return (0);
}

/* Only what identifies a state is kept: a dump also carries its keys. */
static int
xfrm_dump_sa_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct xfrm_list		*li = arg;
	const struct xfrm_usersa_info	*p;
	struct nlattr			*tb[XFRMA_MAX + 1];
	struct xfrm_st			*st;

	if (nlh->nlmsg_type != XFRM_MSG_NEWSA ||
	    nlh->nlmsg_len < NLMSG_LENGTH(sizeof(*p)))
		return (0);
	p = NLMSG_DATA(nlh);
	if (!XFRM_REQID_OURS(p->reqid))
		return (0);
	if (p->id.spi == 0) {
		li->li_larval++;
		return (0);
	}
	if (nlmsg_parse((struct nlmsghdr *)(uintptr_t)nlh, sizeof(*p), tb,
	    XFRMA_MAX, NULL) < 0)
		return (0);
	if ((st = xfrm_list_add(li)) == NULL)
		return (-1);
	st->st_dst = p->id.daddr;
	st->st_src = p->saddr;
	st->st_spi = p->id.spi;
	st->st_reqid = p->reqid;
	st->st_family = p->family;
	st->st_proto = p->id.proto;
	if (tb[XFRMA_MARK] != NULL &&
	    nla_len(tb[XFRMA_MARK]) >= (int)sizeof(st->st_mark)) {
		memcpy(&st->st_mark, nla_data(tb[XFRMA_MARK]),
		    sizeof(st->st_mark));
		st->st_has_mark = 1;
	}
	return (0);
}

static int
xfrm_dump(struct xfrm_ctx *cx, int type, xfrm_reply_fn fn,
    struct xfrm_list *li)
{
	struct nl_msg	*msg;

	if ((msg = nlmsg_alloc_simple(type, NLM_F_DUMP)) == NULL) {
		errno = ENOMEM;
		return (-1);
	}
	return (xfrm_talk(cx, msg, fn, li));
}

int
xfrm_flush_ours(struct xfrm_ctx *cx)
{
	struct xfrm_list	 pl, sl;
	struct xfrm_pol		*po;
	struct xfrm_st		*st;
	char			 s[INET6_ADDRSTRLEN], d[INET6_ADDRSTRLEN];
	char			 sel[160];
	size_t			 i;
	int			 n = 0, failed = 0;

	memset(&pl, 0, sizeof(pl));
	pl.li_size = sizeof(struct xfrm_pol);
	memset(&sl, 0, sizeof(sl));
	sl.li_size = sizeof(struct xfrm_st);
	/*
	 * Policies first: a state deleted under a live out policy would
	 * make the kernel start an acquire (and a larval state of ours we
	 * could not delete).
	 */
	if (xfrm_dump(cx, XFRM_MSG_GETPOLICY, xfrm_dump_pol_cb, &pl) == -1) {
		(void)xfrm_fail(cx, "flush ours: cannot read the policies");
		free(pl.li_v);
		return (-1);
	}
	for (i = 0; i < pl.li_n; i++) {
		po = (struct xfrm_pol *)pl.li_v + i;
		xfrm_sel_str(&po->po_sel, sel, sizeof(sel));
		if (xfrm_pol_delete(cx, po) == -1) {
			if (errno == ENOENT || errno == ESRCH)
				continue;
			(void)xfrm_fail(cx, "flush ours: delete policy %s %s "
			    "reqid 0x%08x", xfrm_dir_str(po->po_dir), sel,
			    po->po_reqid);
			log_warnx("%s", cx->cx_err);
			failed = 1;
			continue;
		}
		log_notice("xfrm: deleted policy %s %s reqid 0x%08x, left by "
		    "an earlier run", xfrm_dir_str(po->po_dir), sel,
		    po->po_reqid);
		n++;
	}
	free(pl.li_v);

	if (xfrm_dump(cx, XFRM_MSG_GETSA, xfrm_dump_sa_cb, &sl) == -1) {
		(void)xfrm_fail(cx, "flush ours: cannot read the states");
		free(sl.li_v);
		return (-1);
	}
	for (i = 0; i < sl.li_n; i++) {
		st = (struct xfrm_st *)sl.li_v + i;
		xa(&st->st_src, st->st_family, s, sizeof(s));
		xa(&st->st_dst, st->st_family, d, sizeof(d));
		if (xfrm_sa_delete(cx, &st->st_dst, st->st_family,
		    st->st_spi, st->st_proto, st->st_has_mark ?
		    &st->st_mark : NULL) == -1) {
			if (errno == ESRCH)	/* expired meanwhile */
				continue;
			(void)xfrm_fail(cx, "flush ours: delete SA spi 0x%08x "
			    "%s->%s reqid 0x%08x", ntohl(st->st_spi), s, d,
			    st->st_reqid);
			log_warnx("%s", cx->cx_err);
			failed = 1;
			continue;
		}
		log_notice("xfrm: deleted SA spi 0x%08x %s->%s reqid 0x%08x, "
		    "left by an earlier run", ntohl(st->st_spi), s, d,
		    st->st_reqid);
		n++;
	}
	if (sl.li_larval > 0)
		log_info("xfrm: %zu acquire state(s) of ours left to expire "
		    "(net.core.xfrm_acq_expires)", sl.li_larval);
	free(sl.li_v);
	if (failed) {
		errno = EIO;
		return (-1);
	}
	return (n);
}
