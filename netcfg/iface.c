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


#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <linux/if_link.h>
#include <linux/if_tun.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <netlink/attr.h>
#include <netlink/errno.h>
#include <netlink/handlers.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>

#include "common/log.h"
#include "iface.h"

/*
 * Every change is one rtnetlink request with an ack, on a socket opened
 * for the call: the parent makes a handful per session, and a socket
 * per call keeps no state that could go stale between them.  Requests
 * are built by hand with libnl's message helpers rather than from
 * libnl-route objects, so what is sent -- in particular the match
 * fields of a delete (protocol, scope, metric, device, gateway) that
 * keep it to our own route -- is visible here.
 *
 * The kernel's errno is taken from its NLMSG_ERROR directly (libnl
 * maps it to its own, coarser codes: ENETUNREACH would read "Unspecific
 * failure"), with the extended-ack text when the kernel gives one.
 */

#define IFACE_NH_MAX		8	/* nexthops compared per default */
#define IFACE_DEFAULT_MAX	16	/* defaults saved */
#define IFACE_EXTACK_MAX	200

struct iface_nl {
	struct nl_sock	*in_sk;
	int		 in_err;		/* kernel errno, 0 if none */
	char		 in_msg[IFACE_EXTACK_MAX]; /* kernel's text */
	int		(*in_valid)(struct nlmsghdr *, void *);
	void		*in_arg;
};

struct iface_nh {
	unsigned int	 nh_oif;
	struct in_addr	 nh_gw;
	int		 nh_has_gw;
	unsigned int	 nh_weight;
};

/* An IPv4 route, as far as we add, delete or compare them. */
struct iface_rt {
	struct in_addr	 rt_dst;
	uint8_t		 rt_dst_len;
	uint8_t		 rt_tos;
	uint8_t		 rt_type;
	uint8_t		 rt_proto;
	uint8_t		 rt_scope;
	uint32_t	 rt_table;
	uint32_t	 rt_metric;
	unsigned int	 rt_oif;
	struct in_addr	 rt_gw;
	int		 rt_has_gw;
	int		 rt_via;	/* RTA_VIA: gateway not IPv4 */
	uint32_t	 rt_nhid;		/* RTA_NH_ID, 0 if none */
	int		 rt_nhops;		/* RTA_MULTIPATH hops */
	struct iface_nh	 rt_nh[IFACE_NH_MAX];
};

struct iface_default {
	char		 def_dev[IF_NAMESIZE];
	unsigned int	 def_oif;
	size_t		 def_n;
	int		 def_truncated;
	struct iface_rt	 def_rt[IFACE_DEFAULT_MAX];
};

/* A growing list of routes, filled by a dump. */
struct iface_rtlist {
	struct iface_rt	*rl_rt;
	size_t		 rl_n;
	size_t		 rl_cap;
	int		 rl_dst_len;	/* -1: any */
	uint32_t	 rl_table;	/* 0: any */
	int		 rl_proto;	/* -1: any */
	int		 rl_nomem;
};

/* ---- netlink plumbing -------------------------------------------------- */

static int
iface_nl_err_cb(struct sockaddr_nl *nla, struct nlmsgerr *e, void *arg)
{
	struct iface_nl		*in = arg;
	struct nlmsghdr		*nlh;
	struct nlattr		*a;
	size_t			 off, payload;
	int			 rem, len;

	(void)nla;
	in->in_err = e->error < 0 ? -e->error : e->error;
	in->in_msg[0] = '\0';
	/* libnl hands us the payload; the header is right before it. */
	nlh = (struct nlmsghdr *)(void *)((char *)e - NLMSG_HDRLEN);
	if ((nlh->nlmsg_flags & NLM_F_ACK_TLVS) == 0)
		return (NL_STOP);
	/* The request is echoed after nlmsgerr unless capped. */
	payload = sizeof(*e);
	if ((nlh->nlmsg_flags & NLM_F_CAPPED) == 0) {
		if (e->msg.nlmsg_len < NLMSG_HDRLEN)
			return (NL_STOP);
		payload += e->msg.nlmsg_len - NLMSG_HDRLEN;
	}
	off = NLMSG_HDRLEN + NLMSG_ALIGN(payload);
	if (off >= nlh->nlmsg_len)
		return (NL_STOP);
	nla_for_each_attr(a, (struct nlattr *)(void *)((char *)nlh + off),
	    (int)(nlh->nlmsg_len - off), rem) {
		if (nla_type(a) != NLMSGERR_ATTR_MSG)
			continue;
		len = nla_len(a);
		if (len <= 0)
			break;
		if ((size_t)len >= sizeof(in->in_msg))
			len = sizeof(in->in_msg) - 1;
		memcpy(in->in_msg, nla_data(a), (size_t)len);
		in->in_msg[len] = '\0';
		in->in_msg[strcspn(in->in_msg, "\n")] = '\0';
		break;
	}
	return (NL_STOP);
}

static int
iface_nl_valid_cb(struct nl_msg *msg, void *arg)
{
	struct iface_nl	*in = arg;

	if (in->in_valid != NULL)
		(void)in->in_valid(nlmsg_hdr(msg), in->in_arg);
	return (NL_OK);
}

/* 0, or -1 with errno set (nothing logged: the caller names the object). */
static int
iface_nl_open(struct iface_nl *in)
{
	int	 fd, one = 1, rv;

	memset(in, 0, sizeof(*in));
	if ((in->in_sk = nl_socket_alloc()) == NULL) {
		errno = ENOMEM;
		return (-1);
	}
	if ((rv = nl_connect(in->in_sk, NETLINK_ROUTE)) < 0) {
		nl_socket_free(in->in_sk);
		in->in_sk = NULL;
		errno = rv == -NLE_NOMEM ? ENOMEM : EIO;
		return (-1);
	}
	fd = nl_socket_get_fd(in->in_sk);
	/*
	 * The kernel's own words on a refusal, without the request echoed,
	 * and dump requests filtered by the kernel (by protocol or table).
	 * Older kernels lack some of these; nothing depends on them.
	 */
	(void)setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	(void)setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	(void)setsockopt(fd, SOL_NETLINK, NETLINK_GET_STRICT_CHK, &one,
	    sizeof(one));
	nl_socket_modify_err_cb(in->in_sk, NL_CB_CUSTOM, iface_nl_err_cb, in);
	nl_socket_modify_cb(in->in_sk, NL_CB_VALID, NL_CB_CUSTOM,
	    iface_nl_valid_cb, in);
	return (0);
}

/* Keeps errno: callers close after logging and before returning -1. */
static void
iface_nl_close(struct iface_nl *in)
{
	int	 saved = errno;

	if (in->in_sk != NULL)
		nl_socket_free(in->in_sk);
	in->in_sk = NULL;
	errno = saved;
}

/*
 * Send msg (freed here) and read until the ack, the end of a dump or an
 * error; replies go to valid.  0, or -1 with errno set: the kernel's, or
 * EIO for a failure of the socket itself.
 */
static int
iface_nl_talk(struct iface_nl *in, struct nl_msg *msg,
    int (*valid)(struct nlmsghdr *, void *), void *arg)
{
	int	 rv;

	in->in_err = 0;
	in->in_msg[0] = '\0';
	in->in_valid = valid;
	in->in_arg = arg;
	rv = nl_send_auto(in->in_sk, msg);
	nlmsg_free(msg);
	if (rv >= 0)
		rv = nl_wait_for_ack(in->in_sk);
	in->in_valid = NULL;
	if (rv >= 0 && in->in_err == 0)
		return (0);
	if (in->in_err != 0)
		errno = in->in_err;
	else {
		snprintf(in->in_msg, sizeof(in->in_msg), "netlink: %s",
		    nl_geterror(rv));
		errno = rv == -NLE_NOMEM ? ENOMEM : EIO;
	}
	return (-1);
}

/*
 * Log "iface: <what>: <errno text>[ (kernel: <text>)]" and keep errno.
 */
static void __attribute__((format(printf, 2, 3)))
iface_fail(const struct iface_nl *in, const char *fmt, ...)
{
	char	 what[LOG_LINE_MAX / 2];
	va_list	 ap;
	int	 saved = errno;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	if (in != NULL && in->in_msg[0] != '\0')
		log_warnx("iface: %s: %s (kernel: %s)", what, strerror(saved),
		    in->in_msg);
	else
		log_warnx("iface: %s: %s", what, strerror(saved));
	errno = saved;
}

static struct nl_msg *
iface_msg(int type, int flags, const void *hdr, size_t hdrlen)
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

static const char *
a4(struct in_addr a, char *buf, size_t sz)
{
	if (inet_ntop(AF_INET, &a, buf, (socklen_t)sz) == NULL)
		snprintf(buf, sz, "?");
	return (buf);
}

/*
 * The interface's index, or 0 with errno set and "iface: cannot VERB
 * WHAT: no interface NAME" logged.
 */
static unsigned int
iface_index(const char *name, const char *verb, const char *what)
{
	unsigned int	 idx;

	if (name == NULL || name[0] == '\0' || strlen(name) >= IF_NAMESIZE) {
		errno = EINVAL;
		log_warnx("iface: cannot %s %s: bad interface name \"%s\"",
		    verb, what, name ? name : "");
		return (0);
	}
	if ((idx = if_nametoindex(name)) == 0) {
		errno = ENODEV;
		log_warnx("iface: cannot %s %s: no interface %s: %s", verb,
		    what, name, strerror(ENODEV));
		errno = ENODEV;
	}
	return (idx);
}

/* ---- routes: parse, describe, request ---------------------------------- */

static void
iface_rt_parse_mp(struct iface_rt *rt, struct nlattr *mp)
{
	struct rtnexthop	*nh;
	struct nlattr		*a;
	char			*p = nla_data(mp);
	int			 left = nla_len(mp), rem;

	while (left >= (int)sizeof(*nh)) {
		nh = (struct rtnexthop *)(void *)p;
		if (nh->rtnh_len < sizeof(*nh) || nh->rtnh_len > left)
			break;
		if (rt->rt_nhops < IFACE_NH_MAX) {
			struct iface_nh *h = &rt->rt_nh[rt->rt_nhops];

			memset(h, 0, sizeof(*h));
			h->nh_oif = (unsigned int)nh->rtnh_ifindex;
			h->nh_weight = nh->rtnh_hops + 1U;
			nla_for_each_attr(a, (struct nlattr *)(void *)
			    (p + RTNH_LENGTH(0)),
			    (int)nh->rtnh_len - (int)RTNH_LENGTH(0), rem) {
				if (nla_type(a) == RTA_GATEWAY &&
				    nla_len(a) >= 4) {
					memcpy(&h->nh_gw, nla_data(a), 4);
					h->nh_has_gw = 1;
				} else if (nla_type(a) == RTA_VIA)
					rt->rt_via = 1;
			}
		}
		rt->rt_nhops++;
		left -= RTNH_ALIGN(nh->rtnh_len);
		p += RTNH_ALIGN(nh->rtnh_len);
	}
}

/* An RTM_NEWROUTE into rt; -1 if it is not an IPv4 route message. */
static int
iface_rt_parse(struct nlmsghdr *nlh, struct iface_rt *rt)
{
	static struct nla_policy pol[RTA_MAX + 1] = {
		[RTA_DST] =		{ .type = NLA_U32 },
		[RTA_GATEWAY] =		{ .type = NLA_U32 },
		[RTA_OIF] =		{ .type = NLA_U32 },
		[RTA_PRIORITY] =	{ .type = NLA_U32 },
		[RTA_TABLE] =		{ .type = NLA_U32 },
		[RTA_NH_ID] =		{ .type = NLA_U32 },
	};
	struct nlattr	*tb[RTA_MAX + 1];
	struct rtmsg	*rtm;

	if (nlh->nlmsg_type != RTM_NEWROUTE ||
	    !nlmsg_valid_hdr(nlh, sizeof(*rtm)))
		return (-1);
	rtm = nlmsg_data(nlh);
	if (rtm->rtm_family != AF_INET ||
	    nlmsg_parse(nlh, sizeof(*rtm), tb, RTA_MAX, pol) < 0)
		return (-1);
	memset(rt, 0, sizeof(*rt));
	rt->rt_dst_len = rtm->rtm_dst_len;
	rt->rt_tos = rtm->rtm_tos;
	rt->rt_type = rtm->rtm_type;
	rt->rt_proto = rtm->rtm_protocol;
	rt->rt_scope = rtm->rtm_scope;
	rt->rt_table = tb[RTA_TABLE] ? nla_get_u32(tb[RTA_TABLE]) :
	    rtm->rtm_table;
	if (tb[RTA_DST])
		memcpy(&rt->rt_dst, nla_data(tb[RTA_DST]), 4);
	if (tb[RTA_GATEWAY]) {
		memcpy(&rt->rt_gw, nla_data(tb[RTA_GATEWAY]), 4);
		rt->rt_has_gw = 1;
	}
	if (tb[RTA_VIA])
		rt->rt_via = 1;
	if (tb[RTA_OIF])
		rt->rt_oif = nla_get_u32(tb[RTA_OIF]);
	if (tb[RTA_PRIORITY])
		rt->rt_metric = nla_get_u32(tb[RTA_PRIORITY]);
	if (tb[RTA_NH_ID])
		rt->rt_nhid = nla_get_u32(tb[RTA_NH_ID]);
	if (tb[RTA_MULTIPATH])
		iface_rt_parse_mp(rt, tb[RTA_MULTIPATH]);
	return (0);
}

/* "203.0.113.5/32 via 192.0.2.1 dev eth0 metric 0 proto 245" */
static const char *
iface_rt_str(const struct iface_rt *rt, char *buf, size_t sz)
{
	char	 dst[INET_ADDRSTRLEN], gw[INET_ADDRSTRLEN];
	char	 dev[IF_NAMESIZE];
	size_t	 len;
	int	 i;

	len = (size_t)snprintf(buf, sz, "%s/%u", a4(rt->rt_dst, dst,
	    sizeof(dst)), rt->rt_dst_len);
	if (rt->rt_type != RTN_UNICAST && len < sz)
		len += (size_t)snprintf(buf + len, sz - len, " type %u",
		    rt->rt_type);
	if (rt->rt_has_gw && len < sz)
		len += (size_t)snprintf(buf + len, sz - len, " via %s",
		    a4(rt->rt_gw, gw, sizeof(gw)));
	if (rt->rt_via && len < sz)
		len += (size_t)snprintf(buf + len, sz - len, " via (not IPv4)");
	if (rt->rt_oif != 0 && len < sz)
		len += (size_t)snprintf(buf + len, sz - len, " dev %s",
		    if_indextoname(rt->rt_oif, dev) ? dev : "?");
	for (i = 0; i < rt->rt_nhops && i < IFACE_NH_MAX && len < sz; i++)
		len += (size_t)snprintf(buf + len, sz - len,
		    " nexthop%s%s dev %s weight %u",
		    rt->rt_nh[i].nh_has_gw ? " via " : "",
		    rt->rt_nh[i].nh_has_gw ? a4(rt->rt_nh[i].nh_gw, gw,
		    sizeof(gw)) : "",
		    if_indextoname(rt->rt_nh[i].nh_oif, dev) ? dev : "?",
		    rt->rt_nh[i].nh_weight);
	if (rt->rt_nhid != 0 && len < sz)
		len += (size_t)snprintf(buf + len, sz - len, " nhid %u",
		    rt->rt_nhid);
	if (rt->rt_table != RT_TABLE_MAIN && len < sz)
		len += (size_t)snprintf(buf + len, sz - len, " table %u",
		    rt->rt_table);
	if (len < sz)
		snprintf(buf + len, sz - len, " metric %u proto %u",
		    rt->rt_metric, rt->rt_proto);
	return (buf);
}

/*
 * RTM_NEWROUTE (exclusive create) or RTM_DELROUTE for rt.  A delete
 * carries every match field, the protocol included: the kernel then
 * removes only a route that is all of that (fib_table_delete()).
 */
static int
iface_rt_request(struct iface_nl *in, int type, const struct iface_rt *rt)
{
	struct rtmsg	 rtm;
	struct nl_msg	*msg;
	int		 flags = 0;

	memset(&rtm, 0, sizeof(rtm));
	rtm.rtm_family = AF_INET;
	rtm.rtm_dst_len = rt->rt_dst_len;
	rtm.rtm_tos = rt->rt_tos;
	rtm.rtm_table = rt->rt_table < 256 ? rt->rt_table : RT_TABLE_UNSPEC;
	rtm.rtm_protocol = rt->rt_proto;
	rtm.rtm_scope = rt->rt_scope;
	rtm.rtm_type = rt->rt_type;
	if (type == RTM_NEWROUTE)
		flags = NLM_F_CREATE | NLM_F_EXCL;
	if ((msg = iface_msg(type, flags, &rtm, sizeof(rtm))) == NULL)
		goto nomem;
	if (nla_put_u32(msg, RTA_TABLE, rt->rt_table) < 0 ||
	    nla_put_u32(msg, RTA_PRIORITY, rt->rt_metric) < 0 ||
	    (rt->rt_dst_len > 0 &&
	    nla_put(msg, RTA_DST, 4, &rt->rt_dst) < 0) ||
	    (rt->rt_oif != 0 && nla_put_u32(msg, RTA_OIF, rt->rt_oif) < 0) ||
	    (rt->rt_has_gw && nla_put(msg, RTA_GATEWAY, 4, &rt->rt_gw) < 0)) {
		nlmsg_free(msg);
		goto nomem;
	}
	return (iface_nl_talk(in, msg, NULL, NULL));
 nomem:
	in->in_msg[0] = '\0';
	errno = ENOMEM;
	return (-1);
}

/* One of our routes: main table, metric 0, proto IFACE_RTPROT. */
static void
iface_rt_ours(struct iface_rt *rt, struct in_addr dst, uint8_t dst_len,
    unsigned int oif, const struct in_addr *gw)
{
	memset(rt, 0, sizeof(*rt));
	rt->rt_dst = dst;
	rt->rt_dst_len = dst_len;
	rt->rt_type = RTN_UNICAST;
	rt->rt_proto = IFACE_RTPROT;
	rt->rt_table = RT_TABLE_MAIN;
	rt->rt_oif = oif;
	if (gw != NULL) {
		rt->rt_gw = *gw;
		rt->rt_has_gw = 1;
		rt->rt_scope = RT_SCOPE_UNIVERSE;
	} else
		rt->rt_scope = RT_SCOPE_LINK;	/* on the link: TUN, p2p */
}

/* Open a socket, send one route request, log on failure. */
static int
iface_rt_do(int type, const struct iface_rt *rt)
{
	struct iface_nl	 in;
	char		 buf[256];
	int		 rv;

	if (iface_nl_open(&in) == -1) {
		iface_fail(NULL, "cannot %s route %s: netlink socket",
		    type == RTM_NEWROUTE ? "add" : "delete",
		    iface_rt_str(rt, buf, sizeof(buf)));
		return (-1);
	}
	rv = iface_rt_request(&in, type, rt);
	if (rv == -1 && type == RTM_DELROUTE && errno == ESRCH &&
	    in.in_msg[0] == '\0')
		/* "No such process" is the kernel's way of saying it. */
		log_warnx("iface: cannot delete route %s: there is no such "
		    "route", iface_rt_str(rt, buf, sizeof(buf)));
	else if (rv == -1)
		iface_fail(&in, "cannot %s route %s",
		    type == RTM_NEWROUTE ? "add" : "delete",
		    iface_rt_str(rt, buf, sizeof(buf)));
	else
		log_debug("iface: route %s %s", iface_rt_str(rt, buf,
		    sizeof(buf)), type == RTM_NEWROUTE ? "added" : "deleted");
	iface_nl_close(&in);
	return (rv);
}

static int
iface_rtlist_cb(struct nlmsghdr *nlh, void *arg)
{
	struct iface_rtlist	*rl = arg;
	struct iface_rt		 rt, *n;
	size_t			 cap;

	if (iface_rt_parse(nlh, &rt) == -1)
		return (0);
	/* The kernel filters too, when it can (NETLINK_GET_STRICT_CHK). */
	if ((rl->rl_dst_len >= 0 && rt.rt_dst_len != rl->rl_dst_len) ||
	    (rl->rl_table != 0 && rt.rt_table != rl->rl_table) ||
	    (rl->rl_proto >= 0 && rt.rt_proto != rl->rl_proto))
		return (0);
	if (rl->rl_n == rl->rl_cap) {
		cap = rl->rl_cap ? rl->rl_cap * 2 : 16;
		if ((n = reallocarray(rl->rl_rt, cap, sizeof(*n))) == NULL) {
			rl->rl_nomem = 1;
			return (0);
		}
		rl->rl_rt = n;
		rl->rl_cap = cap;
	}
	rl->rl_rt[rl->rl_n++] = rt;
	return (0);
}

/* Dump the IPv4 routes that match rl's filter into rl. */
static int
iface_rt_dump(struct iface_nl *in, struct iface_rtlist *rl)
{
	struct rtmsg	 rtm;
	struct nl_msg	*msg;

	memset(&rtm, 0, sizeof(rtm));
	rtm.rtm_family = AF_INET;
	rtm.rtm_table = rl->rl_table < 256 ? rl->rl_table : RT_TABLE_UNSPEC;
	rtm.rtm_protocol = rl->rl_proto >= 0 ? rl->rl_proto : 0;
	if ((msg = iface_msg(RTM_GETROUTE, NLM_F_DUMP, &rtm,
	    sizeof(rtm))) == NULL) {
		errno = ENOMEM;
		return (-1);
	}
	if (iface_nl_talk(in, msg, iface_rtlist_cb, rl) == -1)
		return (-1);
	if (rl->rl_nomem) {
		in->in_msg[0] = '\0';
		errno = ENOMEM;
		return (-1);
	}
	return (0);
}

/* ---- TUN ----------------------------------------------------------------- */

static int
iface_link_set(struct iface_nl *in, unsigned int idx, unsigned int mtu)
{
	struct ifinfomsg	 ifi;
	struct nl_msg		*msg;

	memset(&ifi, 0, sizeof(ifi));
	ifi.ifi_family = AF_UNSPEC;
	ifi.ifi_index = (int)idx;
	ifi.ifi_flags = IFF_UP;
	ifi.ifi_change = IFF_UP;
	if ((msg = iface_msg(RTM_NEWLINK, 0, &ifi, sizeof(ifi))) == NULL ||
	    nla_put_u32(msg, IFLA_MTU, mtu) < 0) {
		nlmsg_free(msg);
		errno = ENOMEM;
		return (-1);
	}
	return (iface_nl_talk(in, msg, NULL, NULL));
}

/*
 * IPv6 address generation off, before the link goes up: the session is
 * IPv4 only (IPCP), and a TUN otherwise gets a random link-local
 * address and sends router solicitations and MLD reports into it.
 */
static int
iface_link_noipv6(struct iface_nl *in, unsigned int idx)
{
	struct ifinfomsg	 ifi;
	struct nl_msg		*msg;
	struct nlattr		*spec, *af;

	memset(&ifi, 0, sizeof(ifi));
	ifi.ifi_family = AF_UNSPEC;
	ifi.ifi_index = (int)idx;
	if ((msg = iface_msg(RTM_NEWLINK, 0, &ifi, sizeof(ifi))) == NULL)
		goto nomem;
	if ((spec = nla_nest_start(msg, IFLA_AF_SPEC)) == NULL ||
	    (af = nla_nest_start(msg, AF_INET6)) == NULL ||
	    nla_put_u8(msg, IFLA_INET6_ADDR_GEN_MODE,
	    IN6_ADDR_GEN_MODE_NONE) < 0) {
		nlmsg_free(msg);
		goto nomem;
	}
	nla_nest_end(msg, af);
	nla_nest_end(msg, spec);
	return (iface_nl_talk(in, msg, NULL, NULL));
 nomem:
	errno = ENOMEM;
	return (-1);
}

int
iface_tun_create(const char *pattern, unsigned int mtu, char *name,
    size_t namesz)
{
	struct iface_nl	 in;
	struct ifreq	 ifr;
	unsigned int	 idx;
	int		 fd, saved;

	in.in_sk = NULL;
	if (pattern == NULL || pattern[0] == '\0' ||
	    strlen(pattern) >= IFNAMSIZ || namesz < IF_NAMESIZE) {
		errno = EINVAL;
		log_warnx("iface: cannot create a TUN from \"%s\": bad name "
		    "pattern or buffer", pattern ? pattern : "");
		return (-1);
	}
	if ((fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC)) ==
	    -1) {
		iface_fail(NULL, "cannot create TUN %s: /dev/net/tun",
		    pattern);
		return (-1);
	}
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", pattern);
	ifr.ifr_flags = IFF_TUN | IFF_NO_PI;
	if (ioctl(fd, TUNSETIFF, &ifr) == -1) {
		iface_fail(NULL, "cannot create TUN %s: TUNSETIFF", pattern);
		goto fail;
	}
	/*
	 * Without a %d in the pattern, TUNSETIFF attaches to an existing
	 * persistent TUN of that name; closing would then not remove it.
	 */
	if (ioctl(fd, TUNGETIFF, &ifr) == -1) {
		iface_fail(NULL, "cannot create TUN %s: TUNGETIFF",
		    ifr.ifr_name);
		goto fail;
	}
	ifr.ifr_name[IFNAMSIZ - 1] = '\0';
	if (ifr.ifr_flags & IFF_PERSIST) {
		errno = EEXIST;
		iface_fail(NULL, "cannot create TUN %s: a persistent TUN of "
		    "that name exists (not ours)", ifr.ifr_name);
		goto fail;
	}
	snprintf(name, namesz, "%s", ifr.ifr_name);
	if ((idx = iface_index(name, "configure", "the new TUN")) == 0)
		goto fail;
	if (iface_nl_open(&in) == -1) {
		iface_fail(NULL, "cannot configure TUN %s: netlink socket",
		    name);
		goto fail;
	}
	if (iface_link_noipv6(&in, idx) == -1) {
		/* A kernel without IPv6 has none to turn off. */
		if (errno == EAFNOSUPPORT || errno == EOPNOTSUPP)
			log_debug("iface: %s: no IPv6 to turn off", name);
		else {
			iface_fail(&in, "cannot turn IPv6 address generation "
			    "off on TUN %s", name);
			goto fail;
		}
	}
	if (iface_link_set(&in, idx, mtu) == -1) {
		iface_fail(&in, "cannot set TUN %s up with MTU %u", name, mtu);
		goto fail;
	}
	iface_nl_close(&in);
	log_info("iface: TUN %s created, MTU %u, up", name, mtu);
	return (fd);
 fail:
	saved = errno;
	iface_nl_close(&in);
	close(fd);	/* not persistent: this removes the interface */
	if (namesz > 0)
		name[0] = '\0';
	errno = saved;
	return (-1);
}

int
iface_tun_destroy(int fd, const char *name)
{
	struct iface_nl		 in;
	struct ifinfomsg	 ifi;
	struct nl_msg		*msg;
	char			 now[IF_NAMESIZE];
	unsigned int		 idx = 0;
	int			 rv;

	if (name != NULL && name[0] != '\0' && strlen(name) < IF_NAMESIZE)
		idx = if_nametoindex(name);
	if (fd >= 0)
		close(fd);
	/* Our descriptor was the last one: gone (synchronously). */
	if (idx == 0 || if_indextoname(idx, now) == NULL ||
	    strcmp(now, name) != 0) {
		log_info("iface: TUN %s removed", name ? name : "?");
		return (0);
	}
	/* A child still holds it: delete it, which detaches that fd too. */
	if (iface_nl_open(&in) == -1) {
		iface_fail(NULL, "cannot delete TUN %s: netlink socket", name);
		return (-1);
	}
	memset(&ifi, 0, sizeof(ifi));
	ifi.ifi_family = AF_UNSPEC;
	ifi.ifi_index = (int)idx;
	if ((msg = iface_msg(RTM_DELLINK, 0, &ifi, sizeof(ifi))) == NULL) {
		errno = ENOMEM;
		rv = -1;
	} else
		rv = iface_nl_talk(&in, msg, NULL, NULL);
	if (rv == -1 && errno == ENODEV)
		rv = 0;		/* went away meanwhile */
	if (rv == -1)
		iface_fail(&in, "cannot delete TUN %s", name);
	else
		log_info("iface: TUN %s deleted", name);
	iface_nl_close(&in);
	return (rv);
}

/* ---- addresses ----------------------------------------------------------- */

static int
iface_addr(int type, const char *name, struct in_addr local,
    const struct in_addr *peer)
{
	struct iface_nl		 in;
	struct ifaddrmsg	 ifa;
	struct nl_msg		*msg;
	char			 l[INET_ADDRSTRLEN], p[INET_ADDRSTRLEN];
	char			 what[128];
	const char		*verb;
	unsigned int		 idx;
	int			 rv;

	verb = type == RTM_NEWADDR ? "add" : "delete";
	if (peer != NULL)
		snprintf(what, sizeof(what), "address %s peer %s/32 %s %s",
		    a4(local, l, sizeof(l)), a4(*peer, p, sizeof(p)),
		    type == RTM_NEWADDR ? "to" : "from", name ? name : "?");
	else
		snprintf(what, sizeof(what), "address %s/32 %s %s",
		    a4(local, l, sizeof(l)),
		    type == RTM_NEWADDR ? "to" : "from", name ? name : "?");
	if ((idx = iface_index(name, verb, what)) == 0)
		return (-1);
	if (iface_nl_open(&in) == -1) {
		iface_fail(NULL, "cannot %s %s: netlink socket", verb, what);
		return (-1);
	}
	memset(&ifa, 0, sizeof(ifa));
	ifa.ifa_family = AF_INET;
	ifa.ifa_prefixlen = 32;
	ifa.ifa_scope = RT_SCOPE_UNIVERSE;
	ifa.ifa_index = idx;
	/*
	 * IFA_LOCAL is our address, IFA_ADDRESS the other end: the kernel
	 * routes PEER/32 to the interface (fib_add_ifaddr()).  With both
	 * the same it is a plain LOCAL/32, and no prefix route.
	 */
	rv = -1;
	if ((msg = iface_msg(type, type == RTM_NEWADDR ?
	    NLM_F_CREATE | NLM_F_EXCL : 0, &ifa, sizeof(ifa))) == NULL ||
	    nla_put(msg, IFA_LOCAL, 4, &local) < 0 ||
	    nla_put(msg, IFA_ADDRESS, 4, peer ? peer : &local) < 0) {
		nlmsg_free(msg);
		in.in_msg[0] = '\0';
		errno = ENOMEM;
	} else
		rv = iface_nl_talk(&in, msg, NULL, NULL);
	if (rv == -1)
		iface_fail(&in, "cannot %s %s", verb, what);
	else
		log_info("iface: %s %s", type == RTM_NEWADDR ? "added" :
		    "deleted", what);
	iface_nl_close(&in);
	return (rv);
}

int
iface_addr_add(const char *name, struct in_addr local, struct in_addr peer)
{
	return (iface_addr(RTM_NEWADDR, name, local, &peer));
}

int
iface_addr_del(const char *name, struct in_addr local, struct in_addr peer)
{
	return (iface_addr(RTM_DELADDR, name, local, &peer));
}

int
iface_addr_add_local(const char *name, struct in_addr local)
{
	return (iface_addr(RTM_NEWADDR, name, local, NULL));
}

int
iface_addr_del_local(const char *name, struct in_addr local)
{
	return (iface_addr(RTM_DELADDR, name, local, NULL));
}

/* ---- routes -------------------------------------------------------------- */

/* Add or delete one of our routes DST/LEN [via GW] dev DEV. */
static int
iface_route_one(int type, struct in_addr dst, uint8_t dst_len,
    const struct in_addr *gw, const char *dev)
{
	struct iface_rt	 rt;
	char		 what[128], d[INET_ADDRSTRLEN], g[INET_ADDRSTRLEN];
	unsigned int	 idx;

	snprintf(what, sizeof(what), "route %s/%u%s%s dev %s",
	    a4(dst, d, sizeof(d)), dst_len, gw ? " via " : "",
	    gw ? a4(*gw, g, sizeof(g)) : "", dev ? dev : "?");
	if (type == RTM_DELROUTE && dev != NULL && dev[0] != '\0' &&
	    strlen(dev) < IF_NAMESIZE && if_nametoindex(dev) == 0) {
		/* Routes through an interface go with it. */
		log_debug("iface: %s: no interface %s, no route", what, dev);
		return (0);
	}
	if ((idx = iface_index(dev, type == RTM_NEWROUTE ? "add" : "delete",
	    what)) == 0)
		return (-1);
	iface_rt_ours(&rt, dst, dst_len, idx, gw);
	return (iface_rt_do(type, &rt));
}

int
iface_route_add_host(struct in_addr dst, const char *dev)
{
	return (iface_route_one(RTM_NEWROUTE, dst, 32, NULL, dev));
}

int
iface_route_del_host(struct in_addr dst, const char *dev)
{
	return (iface_route_one(RTM_DELROUTE, dst, 32, NULL, dev));
}

int
iface_route_add_via(struct in_addr dst, struct in_addr gw, int has_gw,
    const char *dev)
{
	char	 d[INET_ADDRSTRLEN], g[INET_ADDRSTRLEN];

	if (iface_route_one(RTM_NEWROUTE, dst, 32, has_gw ? &gw : NULL,
	    dev) == -1)
		return (-1);
	log_info("iface: host route to %s%s%s dev %s added", a4(dst, d,
	    sizeof(d)), has_gw ? " via " : "", has_gw ? a4(gw, g, sizeof(g)) :
	    "", dev);
	return (0);
}

int
iface_route_del_via(struct in_addr dst, struct in_addr gw, int has_gw,
    const char *dev)
{
	char	 d[INET_ADDRSTRLEN];

	if (iface_route_one(RTM_DELROUTE, dst, 32, has_gw ? &gw : NULL,
	    dev) == -1)
		return (-1);
	log_info("iface: host route to %s removed", a4(dst, d, sizeof(d)));
	return (0);
}

struct iface_get {
	int		 g_got;
	struct iface_rt	 g_rt;
};

static int
iface_get_cb(struct nlmsghdr *nlh, void *arg)
{
	struct iface_get	*g = arg;

	if (!g->g_got && iface_rt_parse(nlh, &g->g_rt) == 0)
		g->g_got = 1;
	return (0);
}

int
iface_route_get(struct in_addr dst, struct in_addr *gw, int *has_gw,
    char *dev, size_t devsz)
{
	struct iface_nl		 in;
	struct iface_get	 g;
	struct rtmsg		 rtm;
	struct nl_msg		*msg;
	char			 d[INET_ADDRSTRLEN], name[IF_NAMESIZE];
	int			 rv = -1;

	a4(dst, d, sizeof(d));
	if (iface_nl_open(&in) == -1) {
		iface_fail(NULL, "cannot look up the route to %s: netlink "
		    "socket", d);
		return (-1);
	}
	memset(&g, 0, sizeof(g));
	memset(&rtm, 0, sizeof(rtm));
	rtm.rtm_family = AF_INET;
	rtm.rtm_dst_len = 32;
	if ((msg = iface_msg(RTM_GETROUTE, 0, &rtm, sizeof(rtm))) == NULL ||
	    nla_put(msg, RTA_DST, 4, &dst) < 0) {
		nlmsg_free(msg);
		errno = ENOMEM;
		iface_fail(NULL, "cannot look up the route to %s", d);
		goto out;
	}
	if (iface_nl_talk(&in, msg, iface_get_cb, &g) == -1) {
		iface_fail(&in, "no route to %s", d);
		goto out;
	}
	if (!g.g_got) {
		errno = EIO;
		iface_fail(NULL, "cannot look up the route to %s: no answer "
		    "from the kernel", d);
		goto out;
	}
	if (g.g_rt.rt_type == RTN_LOCAL) {
		errno = EINVAL;
		iface_fail(NULL, "route to %s: it is this host's own address",
		    d);
		goto out;
	}
	if (g.g_rt.rt_type != RTN_UNICAST) {
		errno = ENETUNREACH;
		iface_fail(NULL, "route to %s: not a unicast route (type %u)",
		    d, g.g_rt.rt_type);
		goto out;
	}
	if (g.g_rt.rt_via) {
		errno = EAFNOSUPPORT;
		iface_fail(NULL, "route to %s: through a gateway that is not "
		    "an IPv4 address", d);
		goto out;
	}
	if (g.g_rt.rt_oif == 0 || if_indextoname(g.g_rt.rt_oif, name) ==
	    NULL) {
		errno = ENODEV;
		iface_fail(NULL, "route to %s: no outgoing interface", d);
		goto out;
	}
	if (strlen(name) >= devsz) {
		errno = EINVAL;
		iface_fail(NULL, "route to %s: buffer too small for %s", d,
		    name);
		goto out;
	}
	snprintf(dev, devsz, "%s", name);
	*has_gw = g.g_rt.rt_has_gw;
	if (g.g_rt.rt_has_gw)
		*gw = g.g_rt.rt_gw;
	else
		gw->s_addr = INADDR_ANY;
	rv = 0;
 out:
	iface_nl_close(&in);
	return (rv);
}

/* ---- the default route --------------------------------------------------- */

static int
iface_rt_same(const struct iface_rt *a, const struct iface_rt *b)
{
	int	 i;

	if (a->rt_dst.s_addr != b->rt_dst.s_addr ||
	    a->rt_dst_len != b->rt_dst_len || a->rt_tos != b->rt_tos ||
	    a->rt_type != b->rt_type || a->rt_proto != b->rt_proto ||
	    a->rt_scope != b->rt_scope || a->rt_table != b->rt_table ||
	    a->rt_metric != b->rt_metric || a->rt_oif != b->rt_oif ||
	    a->rt_has_gw != b->rt_has_gw || a->rt_via != b->rt_via ||
	    a->rt_nhid != b->rt_nhid || a->rt_nhops != b->rt_nhops)
		return (0);
	if (a->rt_has_gw && a->rt_gw.s_addr != b->rt_gw.s_addr)
		return (0);
	for (i = 0; i < a->rt_nhops && i < IFACE_NH_MAX; i++)
		if (a->rt_nh[i].nh_oif != b->rt_nh[i].nh_oif ||
		    a->rt_nh[i].nh_has_gw != b->rt_nh[i].nh_has_gw ||
		    a->rt_nh[i].nh_gw.s_addr != b->rt_nh[i].nh_gw.s_addr ||
		    a->rt_nh[i].nh_weight != b->rt_nh[i].nh_weight)
			return (0);
	return (1);
}

/* The main table's IPv4 defaults, in rl (caller frees rl->rl_rt). */
static int
iface_defaults(struct iface_nl *in, struct iface_rtlist *rl)
{
	memset(rl, 0, sizeof(*rl));
	rl->rl_dst_len = 0;
	rl->rl_table = RT_TABLE_MAIN;
	rl->rl_proto = -1;
	return (iface_rt_dump(in, rl));
}

/* Our half of the default: 0.0.0.0/1 (i = 0) or 128.0.0.0/1 (i = 1). */
static void
iface_rt_half(struct iface_rt *rt, int i, unsigned int oif)
{
	struct in_addr	 dst;

	dst.s_addr = htonl(i == 0 ? 0 : 0x80000000U);
	iface_rt_ours(rt, dst, 1, oif, NULL);
}

struct iface_default *
iface_default_replace(const char *dev)
{
	struct iface_default	*def;
	struct iface_nl		 in;
	struct iface_rtlist	 rl;
	struct iface_rt		 rt;
	char			 what[64], buf[256];
	unsigned int		 idx;
	size_t			 i;
	int			 saved;

	snprintf(what, sizeof(what), "the default route through %s",
	    dev ? dev : "?");
	if ((idx = iface_index(dev, "set", what)) == 0)
		return (NULL);
	if ((def = calloc(1, sizeof(*def))) == NULL) {
		iface_fail(NULL, "cannot set %s", what);
		return (NULL);
	}
	snprintf(def->def_dev, sizeof(def->def_dev), "%s", dev);
	def->def_oif = idx;
	if (iface_nl_open(&in) == -1) {
		iface_fail(NULL, "cannot set %s: netlink socket", what);
		free(def);
		return (NULL);
	}
	if (iface_defaults(&in, &rl) == -1) {
		iface_fail(&in, "cannot set %s: cannot read the default "
		    "routes", what);
		free(rl.rl_rt);
		goto fail;
	}
	for (i = 0; i < rl.rl_n; i++) {
		if (i == IFACE_DEFAULT_MAX) {
			def->def_truncated = 1;
			break;
		}
		def->def_rt[def->def_n++] = rl.rl_rt[i];
		log_debug("iface: default route %s left as it is",
		    iface_rt_str(&rl.rl_rt[i], buf, sizeof(buf)));
	}
	free(rl.rl_rt);
	iface_rt_half(&rt, 0, idx);
	if (iface_rt_request(&in, RTM_NEWROUTE, &rt) == -1) {
		iface_fail(&in, "cannot set %s: cannot add route %s", what,
		    iface_rt_str(&rt, buf, sizeof(buf)));
		goto fail;
	}
	iface_rt_half(&rt, 1, idx);
	if (iface_rt_request(&in, RTM_NEWROUTE, &rt) == -1) {
		iface_fail(&in, "cannot set %s: cannot add route %s", what,
		    iface_rt_str(&rt, buf, sizeof(buf)));
		saved = errno;
		/* Not half a default: take the first half back. */
		iface_rt_half(&rt, 0, idx);
		if (iface_rt_request(&in, RTM_DELROUTE, &rt) == -1)
			iface_fail(&in, "cannot delete route %s",
			    iface_rt_str(&rt, buf, sizeof(buf)));
		errno = saved;
		goto fail;
	}
	iface_nl_close(&in);
	log_info("iface: default route through %s (0.0.0.0/1 and "
	    "128.0.0.0/1); the %zu existing default route(s) stay", dev,
	    def->def_n);
	return (def);
 fail:
	saved = errno;
	iface_nl_close(&in);
	free(def);
	errno = saved;
	return (NULL);
}

int
iface_default_restore(struct iface_default *def)
{
	struct iface_nl		 in;
	struct iface_rtlist	 rl;
	struct iface_rt		 rt;
	char			 buf[256];
	size_t			 i, j;
	int			 half, rv = 0;

	if (def == NULL)
		return (0);
	if (iface_nl_open(&in) == -1) {
		iface_fail(NULL, "cannot remove the default route through %s: "
		    "netlink socket", def->def_dev);
		free(def);
		return (-1);
	}
	for (half = 0; half < 2; half++) {
		iface_rt_half(&rt, half, def->def_oif);
		if (iface_rt_request(&in, RTM_DELROUTE, &rt) == 0)
			continue;
		/* Gone with the TUN already: that is the crash-safe path. */
		if (errno == ESRCH || errno == ENOENT || errno == ENODEV)
			continue;
		iface_fail(&in, "cannot remove route %s (default through %s)",
		    iface_rt_str(&rt, buf, sizeof(buf)), def->def_dev);
		rv = -1;
	}
	/*
	 * We never touched the defaults; say so if someone else did while
	 * the tunnel was up, and leave their change alone.
	 */
	if (iface_defaults(&in, &rl) == -1)
		iface_fail(&in, "cannot read the default routes back");
	else {
		for (i = 0; i < def->def_n; i++) {
			for (j = 0; j < rl.rl_n; j++)
				if (iface_rt_same(&def->def_rt[i],
				    &rl.rl_rt[j]))
					break;
			if (j == rl.rl_n)
				log_warnx("iface: default route %s went away "
				    "while the tunnel was up (not ours: not "
				    "put back)", iface_rt_str(&def->def_rt[i],
				    buf, sizeof(buf)));
		}
		for (j = 0; j < rl.rl_n && !def->def_truncated; j++) {
			for (i = 0; i < def->def_n; i++)
				if (iface_rt_same(&def->def_rt[i],
				    &rl.rl_rt[j]))
					break;
			if (i == def->def_n)
				log_notice("iface: default route %s appeared "
				    "while the tunnel was up (left alone)",
				    iface_rt_str(&rl.rl_rt[j], buf,
				    sizeof(buf)));
		}
	}
	free(rl.rl_rt);
	iface_nl_close(&in);
	if (rv == 0)
		log_info("iface: default route through %s removed",
		    def->def_dev);
	free(def);
	return (rv);
}

size_t
iface_default_count(const struct iface_default *def)
{
	return (def != NULL ? def->def_n : 0);
}

/* ---- crash cleanup ------------------------------------------------------- */

int
iface_flush_ours(void)
{
	struct iface_nl		 in;
	struct iface_rtlist	 rl;
	char			 buf[256];
	size_t			 i;
	int			 n = 0, failed = 0;

	if (iface_nl_open(&in) == -1) {
		iface_fail(NULL, "cannot flush routes with proto %d: netlink "
		    "socket", IFACE_RTPROT);
		return (-1);
	}
	memset(&rl, 0, sizeof(rl));
	rl.rl_dst_len = -1;
	rl.rl_table = 0;
	rl.rl_proto = IFACE_RTPROT;
	if (iface_rt_dump(&in, &rl) == -1) {
		iface_fail(&in, "cannot flush routes with proto %d: cannot "
		    "read the routes", IFACE_RTPROT);
		free(rl.rl_rt);
		iface_nl_close(&in);
		return (-1);
	}
	for (i = 0; i < rl.rl_n; i++) {
		/* Exactly that route: its table, metric, device, gateway. */
		if (iface_rt_request(&in, RTM_DELROUTE, &rl.rl_rt[i]) == -1) {
			if (errno == ESRCH)
				continue;
			iface_fail(&in, "cannot delete route %s left by an "
			    "earlier run", iface_rt_str(&rl.rl_rt[i], buf,
			    sizeof(buf)));
			failed = 1;
			continue;
		}
		log_notice("iface: deleted route %s, left by an earlier run",
		    iface_rt_str(&rl.rl_rt[i], buf, sizeof(buf)));
		n++;
	}
	free(rl.rl_rt);
	iface_nl_close(&in);
	return (failed ? -1 : n);
}
