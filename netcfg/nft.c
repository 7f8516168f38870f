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
#include <linux/netfilter.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nf_conntrack_common.h>
#include <linux/netlink.h>

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libmnl/libmnl.h>
#include <libnftnl/chain.h>
#include <libnftnl/common.h>
#include <libnftnl/expr.h>
#include <libnftnl/rule.h>
#include <libnftnl/table.h>
#include <libnftnl/udata.h>

#include "common/log.h"
#include "nft.h"

/*
 * The rule set, for a server with `listen on 203.0.113.1`, wan ens3, the
 * kernel data path (sessions on ppp*), nat and clamp-mss on:
 *
 *   chain input        filter, hook input, priority filter - 10
 *     ip daddr 203.0.113.1 jump listen
 *   chain listen
 *     udp dport 500 accept; udp dport 4500 accept; meta l4proto esp accept
 *     udp dport 1701 meta ipsec missing drop
 *   chain forward      filter, hook forward, priority filter - 10
 *     ppp* -> ppp* accept; ppp* -> ens3 accept
 *     ens3 -> ppp* ct state established,related accept
 *     ens3 -> ppp* ct status dnat accept; ens3 -> ppp* drop   (nat only)
 *   chain clamp_mss    filter, hook forward, priority mangle
 *     SYNs through ppp*: tcp option maxseg size > MTU-40 set MTU-40
 *   chain postrouting  nat, hook postrouting, priority srcnat
 *     oifname ens3 ip saddr POOL masquerade
 *
 * Why the 1701 rule reads "meta ipsec missing": in the kernel data path
 * an L2TP datagram that came inside ESP passes the input hook a second
 * time after xfrm decrypted it, with a secpath; a cleartext one from the
 * wire has none.  In the userspace data path L2TP never arrives as
 * cleartext UDP/1701 at all (it is inside ESP that datapath decrypts),
 * so the same rule drops every UDP/1701 datagram, which is also right.
 * With `require-ipsec no` the rule accepts UDP/1701 instead.
 *
 * Priorities: filter - 10 runs our drops and counters just before the
 * usual filter tables (priority 0) and after conntrack; the MSS clamp
 * runs where iptables' mangle table did; masquerade at srcnat like any
 * other NAT table.  None of this can override another table's drop.
 */

#define NFT_PRIO_FILTER		(-10)	/* NF_IP_PRI_FILTER - 10 */
#define NFT_PRIO_MANGLE		(-150)	/* NF_IP_PRI_MANGLE */
#define NFT_PRIO_SRCNAT		100	/* NF_IP_PRI_NAT_SRC */

#define NFT_BATCH_LIMIT		(64 * 1024)
#define NFT_BATCH_MAXMSG	160
#define NFT_DESC_LEN		144
#define NFT_COMMENT_LEN		128	/* NFTNL_UDATA_COMMENT_MAXLEN */

/* A notification is one object; others' rules can be long. */
#define NFT_MON_BUFSZ		(64 * 1024)
#define NFT_MON_MAXREADS	256

#define TCPOPT_MAXSEG_KIND	2	/* RFC 9293 3.2 */
#define TCP_FLAG_SYN		0x02
#define TCP_FLAG_RST		0x04

/* What the last nft_install() put there, for nft_monitor_read(). */
static int		 nft_installed;
static unsigned int	 nft_nrules;
static int		 nft_monfd = -1;
static struct mnl_socket *nft_monsock;

struct nft_batch {
	char			*nb_buf;
	struct mnl_nlmsg_batch	*nb_batch;
	uint32_t		 nb_seq0;	/* seq of the first message */
	uint32_t		 nb_seq;
	unsigned int		 nb_nmsg;	/* messages wanting an ack */
	unsigned int		 nb_nrules;
	int			 nb_err;	/* building failed */
	char			 nb_desc[NFT_BATCH_MAXMSG][NFT_DESC_LEN];
};

/* A rule under construction; any failure sticks in rb_err. */
struct nft_rb {
	struct nftnl_rule	*rb_rule;
	int			 rb_err;
	char			 rb_comment[NFT_COMMENT_LEN];
};

/* ------------------------------------------------------------------ */
/* Checking the parameters                                             */

/*
 * An interface name as the kernel's dev_valid_name() takes it; with
 * wild, a trailing '*' means "this prefix" (nft's syntax).
 */
static int
nft_ifname_ok(const char *name, int wild)
{
	size_t	 len, i;

	len = strnlen(name, IF_NAMESIZE);
	if (len == 0 || len >= IF_NAMESIZE)
		return (0);
	if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
		return (0);
	for (i = 0; i < len; i++) {
		if (name[i] == '/' || name[i] == ':' ||
		    isspace((unsigned char)name[i]) ||
		    !isprint((unsigned char)name[i]))
			return (0);
		if (name[i] == '*' && (!wild || i != len - 1 || i == 0))
			return (0);
	}
	return (1);
}

/* Does interface name (or pattern) pat take in the name name? */
static int
nft_ifname_match(const char *pat, const char *name)
{
	size_t	 len = strnlen(pat, IF_NAMESIZE);

	if (len > 0 && pat[len - 1] == '*')
		return (strncmp(pat, name, len - 1) == 0);
	return (strcmp(pat, name) == 0);
}

static int
nft_bad(const char *what)
{
	log_warnx("nftables: not installing table inet %s: %s",
	    NFT_TABLE_NAME, what);
	errno = EINVAL;
	return (-1);
}

int
nft_params_check(const struct nft_params *p)
{
	const struct nft_listen	*l;
	size_t			 i;

	if (p->np_nlisten > NFT_MAX_LISTEN)
		return (nft_bad("too many listen entries"));
	for (i = 0; i < p->np_nlisten; i++) {
		l = &p->np_listen[i];
		switch (l->nl_family) {
		case AF_INET:
		case AF_INET6:
			break;
		case AF_UNSPEC:
			if (!nft_ifname_ok(l->nl_iface, 0))
				return (nft_bad("bad listen interface name"));
			break;
		default:
			return (nft_bad("bad listen address family"));
		}
	}
	if (p->np_wan[0] != '\0' && !nft_ifname_ok(p->np_wan, 0))
		return (nft_bad("bad wan interface name"));
	if (p->np_nsession_if == 0 || p->np_nsession_if > NFT_MAX_SESSION_IF)
		return (nft_bad("need 1 to 4 session interfaces"));
	for (i = 0; i < p->np_nsession_if; i++) {
		if (!nft_ifname_ok(p->np_session_if[i], 1))
			return (nft_bad("bad session interface name"));
		/*
		 * "ppp*" would take in a PPPoE uplink called ppp0: the rules
		 * between sessions would then open wan into the pool.
		 */
		if (p->np_wan[0] != '\0' &&
		    nft_ifname_match(p->np_session_if[i], p->np_wan))
			return (nft_bad("wan is one of the session "
			    "interfaces"));
	}
	if (p->np_nat) {
		if (p->np_wan[0] == '\0')
			return (nft_bad("nat needs a wan interface"));
		if (p->np_pool_start.s_addr == INADDR_ANY ||
		    ntohl(p->np_pool_start.s_addr) >
		    ntohl(p->np_pool_end.s_addr))
			return (nft_bad("bad pool range"));
	}
	if (p->np_clamp_mss && (p->np_mtu < 576 || p->np_mtu > 65535))
		return (nft_bad("MTU out of range for clamp-mss"));
	return (0);
}

/* ------------------------------------------------------------------ */
/* Building expressions                                                */

static struct nftnl_expr *
rb_expr(struct nft_rb *rb, const char *name)
{
	struct nftnl_expr	*e;

	if (rb->rb_err)
		return (NULL);
	if ((e = nftnl_expr_alloc(name)) == NULL) {
		rb->rb_err = 1;
		return (NULL);
	}
	nftnl_rule_add_expr(rb->rb_rule, e);
	return (e);
}

static void
rb_meta(struct nft_rb *rb, uint32_t key)
{
	struct nftnl_expr	*e;

	if ((e = rb_expr(rb, "meta")) == NULL)
		return;
	nftnl_expr_set_u32(e, NFTNL_EXPR_META_KEY, key);
	nftnl_expr_set_u32(e, NFTNL_EXPR_META_DREG, NFT_REG_1);
}

static void
rb_cmp(struct nft_rb *rb, uint32_t op, const void *data, uint32_t len)
{
	struct nftnl_expr	*e;

	if ((e = rb_expr(rb, "cmp")) == NULL)
		return;
	nftnl_expr_set_u32(e, NFTNL_EXPR_CMP_SREG, NFT_REG_1);
	nftnl_expr_set_u32(e, NFTNL_EXPR_CMP_OP, op);
	nftnl_expr_set(e, NFTNL_EXPR_CMP_DATA, data, len);
}

static void
rb_payload(struct nft_rb *rb, uint32_t base, uint32_t off, uint32_t len)
{
	struct nftnl_expr	*e;

	if ((e = rb_expr(rb, "payload")) == NULL)
		return;
	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_BASE, base);
	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_OFFSET, off);
	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_LEN, len);
	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_DREG, NFT_REG_1);
}

/* reg1 = reg1 & mask (xor 0), len bytes. */
static void
rb_and(struct nft_rb *rb, const void *mask, uint32_t len)
{
	struct nftnl_expr	*e;
	uint32_t		 zero = 0;

	if ((e = rb_expr(rb, "bitwise")) == NULL)
		return;
	nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_SREG, NFT_REG_1);
	nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_DREG, NFT_REG_1);
	nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_LEN, len);
	nftnl_expr_set(e, NFTNL_EXPR_BITWISE_MASK, mask, len);
	nftnl_expr_set(e, NFTNL_EXPR_BITWISE_XOR, &zero, len);
}

static void
rb_counter(struct nft_rb *rb)
{
	(void)rb_expr(rb, "counter");
}

static void
rb_verdict(struct nft_rb *rb, int verdict, const char *chain)
{
	struct nftnl_expr	*e;

	if ((e = rb_expr(rb, "immediate")) == NULL)
		return;
	nftnl_expr_set_u32(e, NFTNL_EXPR_IMM_DREG, NFT_REG_VERDICT);
	nftnl_expr_set_u32(e, NFTNL_EXPR_IMM_VERDICT, verdict);
	if (chain != NULL)
		nftnl_expr_set_str(e, NFTNL_EXPR_IMM_CHAIN, chain);
}

/* iifname / oifname: exact, or a prefix for "name*". */
static void
rb_ifname(struct nft_rb *rb, uint32_t key, const char *name)
{
	char	 buf[IF_NAMESIZE];
	size_t	 len;

	memset(buf, 0, sizeof(buf));
	len = strnlen(name, IF_NAMESIZE - 1);
	memcpy(buf, name, len);
	rb_meta(rb, key);
	if (len > 0 && buf[len - 1] == '*')
		rb_cmp(rb, NFT_CMP_EQ, buf, len - 1);
	else
		rb_cmp(rb, NFT_CMP_EQ, buf, sizeof(buf));
}

static void
rb_l4proto(struct nft_rb *rb, uint8_t proto)
{
	rb_meta(rb, NFT_META_L4PROTO);
	rb_cmp(rb, NFT_CMP_EQ, &proto, sizeof(proto));
}

static void
rb_nfproto(struct nft_rb *rb, uint8_t proto)
{
	rb_meta(rb, NFT_META_NFPROTO);
	rb_cmp(rb, NFT_CMP_EQ, &proto, sizeof(proto));
}

static void
rb_udp_dport(struct nft_rb *rb, uint16_t port)
{
	uint16_t	 p = htons(port);

	rb_l4proto(rb, IPPROTO_UDP);
	rb_payload(rb, NFT_PAYLOAD_TRANSPORT_HEADER, 2, sizeof(p));
	rb_cmp(rb, NFT_CMP_EQ, &p, sizeof(p));
}

static void
rb_ct_bits(struct nft_rb *rb, uint32_t key, uint32_t mask)
{
	struct nftnl_expr	*e;
	uint32_t		 zero = 0;

	if ((e = rb_expr(rb, "ct")) == NULL)
		return;
	nftnl_expr_set_u32(e, NFTNL_EXPR_CT_KEY, key);
	nftnl_expr_set_u32(e, NFTNL_EXPR_CT_DREG, NFT_REG_1);
	rb_and(rb, &mask, sizeof(mask));
	rb_cmp(rb, NFT_CMP_NEQ, &zero, sizeof(zero));
}

/* tcp flags syn / syn,rst: SYN and SYN-ACK, not RST. */
static void
rb_tcp_syn(struct nft_rb *rb)
{
	uint8_t	 mask = TCP_FLAG_SYN | TCP_FLAG_RST, syn = TCP_FLAG_SYN;

	rb_l4proto(rb, IPPROTO_TCP);
	rb_payload(rb, NFT_PAYLOAD_TRANSPORT_HEADER, 13, 1);
	rb_and(rb, &mask, sizeof(mask));
	rb_cmp(rb, NFT_CMP_EQ, &syn, sizeof(syn));
}

/*
 * tcp option maxseg size > mss  tcp option maxseg size set mss: only
 * lowers the MSS, and a SYN without the option is left alone (the
 * exthdr load does not match then).
 */
static void
rb_clamp_mss(struct nft_rb *rb, uint16_t mss)
{
	struct nftnl_expr	*e;
	uint16_t		 v = htons(mss);

	if ((e = rb_expr(rb, "exthdr")) == NULL)
		return;
	nftnl_expr_set_u32(e, NFTNL_EXPR_EXTHDR_DREG, NFT_REG_1);
	nftnl_expr_set_u32(e, NFTNL_EXPR_EXTHDR_OP, NFT_EXTHDR_OP_TCPOPT);
	nftnl_expr_set_u8(e, NFTNL_EXPR_EXTHDR_TYPE, TCPOPT_MAXSEG_KIND);
	nftnl_expr_set_u32(e, NFTNL_EXPR_EXTHDR_OFFSET, 2);
	nftnl_expr_set_u32(e, NFTNL_EXPR_EXTHDR_LEN, sizeof(v));
	rb_cmp(rb, NFT_CMP_GT, &v, sizeof(v));
	rb_counter(rb);
	if ((e = rb_expr(rb, "immediate")) == NULL)
		return;
	nftnl_expr_set_u32(e, NFTNL_EXPR_IMM_DREG, NFT_REG_1);
	nftnl_expr_set(e, NFTNL_EXPR_IMM_DATA, &v, sizeof(v));
	if ((e = rb_expr(rb, "exthdr")) == NULL)
		return;
	nftnl_expr_set_u32(e, NFTNL_EXPR_EXTHDR_SREG, NFT_REG_1);
	nftnl_expr_set_u32(e, NFTNL_EXPR_EXTHDR_OP, NFT_EXTHDR_OP_TCPOPT);
	nftnl_expr_set_u8(e, NFTNL_EXPR_EXTHDR_TYPE, TCPOPT_MAXSEG_KIND);
	nftnl_expr_set_u32(e, NFTNL_EXPR_EXTHDR_OFFSET, 2);
	nftnl_expr_set_u32(e, NFTNL_EXPR_EXTHDR_LEN, sizeof(v));
}

/* ------------------------------------------------------------------ */
/* The batch                                                           */

static int
nb_init(struct nft_batch *nb)
{
	memset(nb, 0, sizeof(*nb));
	/* libmnl lets the last message overrun the limit: twice the room. */
	if ((nb->nb_buf = malloc(2 * NFT_BATCH_LIMIT)) == NULL)
		return (-1);
	nb->nb_batch = mnl_nlmsg_batch_start(nb->nb_buf, NFT_BATCH_LIMIT);
	if (nb->nb_batch == NULL) {
		free(nb->nb_buf);
		return (-1);
	}
	nb->nb_seq0 = nb->nb_seq = (uint32_t)time(NULL);
	nftnl_batch_begin(mnl_nlmsg_batch_current(nb->nb_batch),
	    nb->nb_seq++);
	if (!mnl_nlmsg_batch_next(nb->nb_batch))
		nb->nb_err = 1;
	snprintf(nb->nb_desc[0], NFT_DESC_LEN, "batch");
	return (0);
}

static void
nb_free(struct nft_batch *nb)
{
	if (nb->nb_batch != NULL)
		mnl_nlmsg_batch_stop(nb->nb_batch);
	free(nb->nb_buf);
	nb->nb_buf = NULL;
	nb->nb_batch = NULL;
}

/* Start the next message in the batch, described for error logs. */
static struct nlmsghdr *
nb_msg(struct nft_batch *nb, uint16_t type, uint16_t flags,
    const char *desc)
{
	unsigned int	 i = nb->nb_seq - nb->nb_seq0;

	if (nb->nb_err || i >= NFT_BATCH_MAXMSG - 1) {
		nb->nb_err = 1;
		return (NULL);
	}
	snprintf(nb->nb_desc[i], NFT_DESC_LEN, "%s", desc);
	nb->nb_nmsg++;
	return (nftnl_nlmsg_build_hdr(mnl_nlmsg_batch_current(nb->nb_batch),
	    type, NFPROTO_INET, flags | NLM_F_ACK, nb->nb_seq++));
}

static void
nb_next(struct nft_batch *nb)
{
	if (!mnl_nlmsg_batch_next(nb->nb_batch))
		nb->nb_err = 1;	/* over NFT_BATCH_LIMIT: never split */
}

static void
nb_table(struct nft_batch *nb, uint16_t type, uint16_t flags,
    const char *comment)
{
	struct nftnl_table	*t;
	struct nftnl_udata_buf	*ud = NULL;
	struct nlmsghdr		*nlh;

	if ((t = nftnl_table_alloc()) == NULL) {
		nb->nb_err = 1;
		return;
	}
	nftnl_table_set_u32(t, NFTNL_TABLE_FAMILY, NFPROTO_INET);
	nftnl_table_set_str(t, NFTNL_TABLE_NAME, NFT_TABLE_NAME);
	if (comment != NULL) {
		if ((ud = nftnl_udata_buf_alloc(NFT_COMMENT_LEN + 8)) == NULL ||
		    !nftnl_udata_put_strz(ud, NFTNL_UDATA_TABLE_COMMENT,
		    comment))
			nb->nb_err = 1;
		else
			nftnl_table_set_data(t, NFTNL_TABLE_USERDATA,
			    nftnl_udata_buf_data(ud), nftnl_udata_buf_len(ud));
	}
	if ((nlh = nb_msg(nb, type, flags, type == NFT_MSG_DELTABLE ?
	    "delete table" : "add table")) != NULL) {
		nftnl_table_nlmsg_build_payload(nlh, t);
		nb_next(nb);
	}
	if (ud != NULL)
		nftnl_udata_buf_free(ud);
	nftnl_table_free(t);
}

/* A base chain (type != NULL) or a regular one. */
static void
nb_chain(struct nft_batch *nb, const char *name, const char *type,
    uint32_t hook, int prio, const char *comment)
{
	struct nftnl_chain	*c;
	struct nftnl_udata_buf	*ud;
	struct nlmsghdr		*nlh;
	char			 desc[NFT_DESC_LEN];

	if ((c = nftnl_chain_alloc()) == NULL) {
		nb->nb_err = 1;
		return;
	}
	nftnl_chain_set_u32(c, NFTNL_CHAIN_FAMILY, NFPROTO_INET);
	nftnl_chain_set_str(c, NFTNL_CHAIN_TABLE, NFT_TABLE_NAME);
	nftnl_chain_set_str(c, NFTNL_CHAIN_NAME, name);
	if (type != NULL) {
		nftnl_chain_set_str(c, NFTNL_CHAIN_TYPE, type);
		nftnl_chain_set_u32(c, NFTNL_CHAIN_HOOKNUM, hook);
		nftnl_chain_set_s32(c, NFTNL_CHAIN_PRIO, prio);
		nftnl_chain_set_u32(c, NFTNL_CHAIN_POLICY, NF_ACCEPT);
	}
	if ((ud = nftnl_udata_buf_alloc(NFT_COMMENT_LEN + 8)) == NULL ||
	    !nftnl_udata_put_strz(ud, NFTNL_UDATA_CHAIN_COMMENT, comment))
		nb->nb_err = 1;
	else
		nftnl_chain_set_data(c, NFTNL_CHAIN_USERDATA,
		    nftnl_udata_buf_data(ud), nftnl_udata_buf_len(ud));
	snprintf(desc, sizeof(desc), "chain %s", name);
	if ((nlh = nb_msg(nb, NFT_MSG_NEWCHAIN, NLM_F_CREATE, desc)) != NULL) {
		nftnl_chain_nlmsg_build_payload(nlh, c);
		nb_next(nb);
	}
	if (ud != NULL)
		nftnl_udata_buf_free(ud);
	nftnl_chain_free(c);
}

static void
rb_start(struct nft_rb *rb, const char *chain)
{
	memset(rb, 0, sizeof(*rb));
	if ((rb->rb_rule = nftnl_rule_alloc()) == NULL) {
		rb->rb_err = 1;
		return;
	}
	nftnl_rule_set_u32(rb->rb_rule, NFTNL_RULE_FAMILY, NFPROTO_INET);
	nftnl_rule_set_str(rb->rb_rule, NFTNL_RULE_TABLE, NFT_TABLE_NAME);
	nftnl_rule_set_str(rb->rb_rule, NFTNL_RULE_CHAIN, chain);
}

static void
rb_comment(struct nft_rb *rb, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
rb_comment(struct nft_rb *rb, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	(void)vsnprintf(rb->rb_comment, sizeof(rb->rb_comment), fmt, ap);
	va_end(ap);
}

/* Append the finished rule to the batch (and free it). */
static void
nb_rule(struct nft_batch *nb, struct nft_rb *rb)
{
	struct nftnl_udata_buf	*ud = NULL;
	struct nlmsghdr		*nlh;
	char			 desc[NFT_DESC_LEN];

	if (rb->rb_rule == NULL || rb->rb_err) {
		nb->nb_err = 1;
		goto out;
	}
	if ((ud = nftnl_udata_buf_alloc(NFT_COMMENT_LEN + 8)) == NULL ||
	    !nftnl_udata_put_strz(ud, NFTNL_UDATA_RULE_COMMENT,
	    rb->rb_comment)) {
		nb->nb_err = 1;
		goto out;
	}
	nftnl_rule_set_data(rb->rb_rule, NFTNL_RULE_USERDATA,
	    nftnl_udata_buf_data(ud), nftnl_udata_buf_len(ud));
	snprintf(desc, sizeof(desc), "rule \"%s\"", rb->rb_comment);
	if ((nlh = nb_msg(nb, NFT_MSG_NEWRULE, NLM_F_CREATE | NLM_F_APPEND,
	    desc)) != NULL) {
		nftnl_rule_nlmsg_build_payload(nlh, rb->rb_rule);
		nb_next(nb);
		nb->nb_nrules++;
	}
 out:
	if (ud != NULL)
		nftnl_udata_buf_free(ud);
	if (rb->rb_rule != NULL)
		nftnl_rule_free(rb->rb_rule);
	rb->rb_rule = NULL;
}

static void
nb_end(struct nft_batch *nb)
{
	if (nb->nb_err)
		return;
	nftnl_batch_end(mnl_nlmsg_batch_current(nb->nb_batch), nb->nb_seq++);
	nb_next(nb);
}

/*
 * Send the batch and read every answer.  nfnetlink handles the whole
 * batch inside sendmsg() and queues one answer per message that asked
 * for an ack (or failed) before it returns, so draining the socket
 * without blocking sees all of them.
 */
static int
nb_send(struct nft_batch *nb, const char *what)
{
	struct mnl_socket	*nl;
	struct nlmsghdr		*nlh;
	struct nlmsgerr		*err;
	char			*buf = NULL;
	unsigned int		 acks = 0, i;
	uint32_t		 portid;
	int			 one = 1, ret, rv = -1, error = 0;
	int			 fail_idx = -1;
	ssize_t			 n;

	if (nb->nb_err) {
		log_warnx("nftables: cannot %s table inet %s: batch too "
		    "large or out of memory", what, NFT_TABLE_NAME);
		errno = ENOMEM;
		return (-1);
	}
	if ((nl = mnl_socket_open2(NETLINK_NETFILTER, SOCK_CLOEXEC)) == NULL) {
		log_warn("nftables: netlink socket");
		return (-1);
	}
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) == -1) {
		log_warn("nftables: netlink bind");
		goto out;
	}
	(void)mnl_socket_setsockopt(nl, NETLINK_CAP_ACK, &one, sizeof(one));
	portid = mnl_socket_get_portid(nl);
	if (mnl_socket_sendto(nl, mnl_nlmsg_batch_head(nb->nb_batch),
	    mnl_nlmsg_batch_size(nb->nb_batch)) == -1) {
		log_warn("nftables: cannot %s table inet %s: send", what,
		    NFT_TABLE_NAME);
		goto out;
	}
	if ((buf = malloc(MNL_SOCKET_BUFFER_SIZE)) == NULL)
		goto out;
	for (;;) {
		n = recv(mnl_socket_get_fd(nl), buf, MNL_SOCKET_BUFFER_SIZE,
		    MSG_DONTWAIT);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		if (n == -1) {
			log_warn("nftables: cannot %s table inet %s: recv",
			    what, NFT_TABLE_NAME);
			goto out;
		}
		ret = (int)n;
		for (nlh = (struct nlmsghdr *)buf; mnl_nlmsg_ok(nlh, ret);
		    nlh = mnl_nlmsg_next(nlh, &ret)) {
			if (nlh->nlmsg_pid != portid ||
			    nlh->nlmsg_type != NLMSG_ERROR)
				continue;
			if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*err)))
				continue;
			err = mnl_nlmsg_get_payload(nlh);
			acks++;
			if (err->error != 0 && error == 0) {
				error = -err->error;
				i = nlh->nlmsg_seq - nb->nb_seq0;
				if (i < NFT_BATCH_MAXMSG)
					fail_idx = (int)i;
			}
		}
	}
	if (error != 0) {
		log_warnx("nftables: cannot %s table inet %s: the kernel "
		    "refused %s: %s; nothing was changed", what,
		    NFT_TABLE_NAME, fail_idx >= 0 ? nb->nb_desc[fail_idx] :
		    "the batch", strerror(error));
		errno = error;
		goto out;
	}
	if (acks < nb->nb_nmsg) {
		log_warnx("nftables: cannot %s table inet %s: %u of %u "
		    "answers", what, NFT_TABLE_NAME, acks, nb->nb_nmsg);
		errno = EPROTO;
		goto out;
	}
	rv = 0;
 out:
	error = errno;
	free(buf);
	mnl_socket_close(nl);
	errno = error;
	return (rv);
}

/* ------------------------------------------------------------------ */
/* The rule set                                                        */

static void
nft_build_input(struct nft_batch *nb, const struct nft_params *p)
{
	const struct nft_listen	*l;
	struct nft_rb		 rb;
	char			 a[INET6_ADDRSTRLEN];
	size_t			 i;

	nb_chain(nb, "input", "filter", NF_INET_LOCAL_IN, NFT_PRIO_FILTER,
	    "traffic to the addresses l2tpsecd listens on");
	nb_chain(nb, "listen", NULL, 0, 0,
	    "IKE, NAT-T, ESP and L2TP to l2tpsecd");

	if (p->np_nlisten == 0) {
		rb_start(&rb, "input");
		rb_verdict(&rb, NFT_JUMP, "listen");
		rb_comment(&rb, "any local address (no listen on)");
		nb_rule(nb, &rb);
	}
	for (i = 0; i < p->np_nlisten; i++) {
		l = &p->np_listen[i];
		rb_start(&rb, "input");
		switch (l->nl_family) {
		case AF_INET:
			rb_nfproto(&rb, NFPROTO_IPV4);
			rb_payload(&rb, NFT_PAYLOAD_NETWORK_HEADER, 16, 4);
			rb_cmp(&rb, NFT_CMP_EQ, &l->nl_addr4, 4);
			inet_ntop(AF_INET, &l->nl_addr4, a, sizeof(a));
			break;
		case AF_INET6:
			rb_nfproto(&rb, NFPROTO_IPV6);
			rb_payload(&rb, NFT_PAYLOAD_NETWORK_HEADER, 24, 16);
			rb_cmp(&rb, NFT_CMP_EQ, &l->nl_addr6, 16);
			inet_ntop(AF_INET6, &l->nl_addr6, a, sizeof(a));
			break;
		default:
			rb_ifname(&rb, NFT_META_IIFNAME, l->nl_iface);
			snprintf(a, sizeof(a), "%s", l->nl_iface);
			break;
		}
		rb_verdict(&rb, NFT_JUMP, "listen");
		rb_comment(&rb, "listen on %s", a);
		nb_rule(nb, &rb);
	}

	rb_start(&rb, "listen");
	rb_udp_dport(&rb, 500);
	rb_counter(&rb);
	rb_verdict(&rb, NF_ACCEPT, NULL);
	rb_comment(&rb, "IKE");
	nb_rule(nb, &rb);

	rb_start(&rb, "listen");
	rb_udp_dport(&rb, 4500);
	rb_counter(&rb);
	rb_verdict(&rb, NF_ACCEPT, NULL);
	rb_comment(&rb, "NAT-T: IKE and ESP in UDP (RFC 3947, 3948)");
	nb_rule(nb, &rb);

	rb_start(&rb, "listen");
	rb_l4proto(&rb, IPPROTO_ESP);
	rb_counter(&rb);
	rb_verdict(&rb, NF_ACCEPT, NULL);
	rb_comment(&rb, "ESP");
	nb_rule(nb, &rb);

	rb_start(&rb, "listen");
	rb_udp_dport(&rb, 1701);
	if (p->np_require_ipsec) {
		uint8_t	 none = 0;

		rb_meta(&rb, NFT_META_SECPATH);
		rb_cmp(&rb, NFT_CMP_EQ, &none, sizeof(none));
		rb_counter(&rb);
		rb_verdict(&rb, NF_DROP, NULL);
		rb_comment(&rb, "L2TP that did not come through IPsec");
	} else {
		rb_counter(&rb);
		rb_verdict(&rb, NF_ACCEPT, NULL);
		rb_comment(&rb, "L2TP without IPsec (require-ipsec no)");
	}
	nb_rule(nb, &rb);
}

static void
nft_build_forward(struct nft_batch *nb, const struct nft_params *p)
{
	struct nft_rb		 rb;
	const char		*s, *t, *wan = p->np_wan;
	size_t			 i, j;

	nb_chain(nb, "forward", "filter", NF_INET_FORWARD, NFT_PRIO_FILTER,
	    "between sessions and wan");
	for (i = 0; i < p->np_nsession_if; i++) {
		s = p->np_session_if[i];
		for (j = 0; j < p->np_nsession_if; j++) {
			t = p->np_session_if[j];
			rb_start(&rb, "forward");
			rb_ifname(&rb, NFT_META_IIFNAME, s);
			rb_ifname(&rb, NFT_META_OIFNAME, t);
			rb_counter(&rb);
			rb_verdict(&rb, NF_ACCEPT, NULL);
			rb_comment(&rb, "between sessions");
			nb_rule(nb, &rb);
		}
		if (wan[0] == '\0')
			continue;

		rb_start(&rb, "forward");
		rb_ifname(&rb, NFT_META_IIFNAME, s);
		rb_ifname(&rb, NFT_META_OIFNAME, wan);
		rb_counter(&rb);
		rb_verdict(&rb, NF_ACCEPT, NULL);
		rb_comment(&rb, "sessions out to wan");
		nb_rule(nb, &rb);

		rb_start(&rb, "forward");
		rb_ifname(&rb, NFT_META_IIFNAME, wan);
		rb_ifname(&rb, NFT_META_OIFNAME, s);
		rb_ct_bits(&rb, NFT_CT_STATE,
		    NF_CT_STATE_BIT(IP_CT_ESTABLISHED) |
		    NF_CT_STATE_BIT(IP_CT_RELATED));
		rb_counter(&rb);
		rb_verdict(&rb, NF_ACCEPT, NULL);
		rb_comment(&rb, "replies from wan to sessions");
		nb_rule(nb, &rb);

		if (!p->np_nat)
			continue;
		/*
		 * A masqueraded pool is private: like any NAT gateway, let
		 * in only replies and what the operator forwards on purpose
		 * (a dnat rule elsewhere; our drop would beat its accept).
		 */
		rb_start(&rb, "forward");
		rb_ifname(&rb, NFT_META_IIFNAME, wan);
		rb_ifname(&rb, NFT_META_OIFNAME, s);
		rb_ct_bits(&rb, NFT_CT_STATUS, IPS_DST_NAT);
		rb_counter(&rb);
		rb_verdict(&rb, NF_ACCEPT, NULL);
		rb_comment(&rb,
		    "port forwards from wan (dnat by the operator)");
		nb_rule(nb, &rb);

		rb_start(&rb, "forward");
		rb_ifname(&rb, NFT_META_IIFNAME, wan);
		rb_ifname(&rb, NFT_META_OIFNAME, s);
		rb_counter(&rb);
		rb_verdict(&rb, NF_DROP, NULL);
		rb_comment(&rb, "nat: nothing else from wan into the pool");
		nb_rule(nb, &rb);
	}
}

/*
 * The "connected but websites do not load" problem: a client's TCP
 * advertises an MSS for its own link, the path through the tunnel is
 * smaller, and ICMP fragmentation-needed is filtered somewhere.  Both
 * SYN and SYN-ACK through a session interface get MSS = MTU - 40 (IPv4
 * and TCP headers without options).  Only forwarded traffic: the
 * server's own TCP already takes its MSS from the route's MTU.
 */
static void
nft_build_clamp(struct nft_batch *nb, const struct nft_params *p)
{
	struct nft_rb		 rb;
	uint16_t		 mss = (uint16_t)(p->np_mtu - 40);
	size_t			 i;
	int			 out;

	nb_chain(nb, "clamp_mss", "filter", NF_INET_FORWARD, NFT_PRIO_MANGLE,
	    "TCP MSS clamped to the tunnel MTU (clamp-mss yes)");
	for (i = 0; i < p->np_nsession_if; i++) {
		for (out = 0; out <= 1; out++) {
			rb_start(&rb, "clamp_mss");
			rb_ifname(&rb, out ? NFT_META_OIFNAME :
			    NFT_META_IIFNAME, p->np_session_if[i]);
			rb_tcp_syn(&rb);
			rb_clamp_mss(&rb, mss);
			rb_comment(&rb, "clamp MSS to %u (MTU %u - 40), %s "
			    "sessions", mss, p->np_mtu, out ? "to" : "from");
			nb_rule(nb, &rb);
		}
	}
}

static void
nft_build_nat(struct nft_batch *nb, const struct nft_params *p)
{
	struct nft_rb		 rb;
	char			 a[INET_ADDRSTRLEN], b[INET_ADDRSTRLEN];

	nb_chain(nb, "postrouting", "nat", NF_INET_POST_ROUTING,
	    NFT_PRIO_SRCNAT, "the pool masqueraded behind wan (nat yes)");
	rb_start(&rb, "postrouting");
	rb_ifname(&rb, NFT_META_OIFNAME, p->np_wan);
	rb_nfproto(&rb, NFPROTO_IPV4);
	rb_payload(&rb, NFT_PAYLOAD_NETWORK_HEADER, 12, 4);
	rb_cmp(&rb, NFT_CMP_GTE, &p->np_pool_start, 4);
	rb_cmp(&rb, NFT_CMP_LTE, &p->np_pool_end, 4);
	rb_counter(&rb);
	(void)rb_expr(&rb, "masq");
	inet_ntop(AF_INET, &p->np_pool_start, a, sizeof(a));
	inet_ntop(AF_INET, &p->np_pool_end, b, sizeof(b));
	rb_comment(&rb, "nat: pool %s-%s behind wan", a, b);
	nb_rule(nb, &rb);
}

/* Regress only: a rule the kernel refuses, last in the batch. */
static void
nft_build_reject(struct nft_batch *nb)
{
	struct nft_rb		 rb;

	rb_start(&rb, "input");
	rb_verdict(&rb, NFT_JUMP, "no_such_chain");
	rb_comment(&rb, "test: a jump to a chain that does not exist");
	nb_rule(nb, &rb);
}

int
nft_install(const struct nft_params *p)
{
	struct nft_batch	*nb;
	unsigned int		 nrules;
	int			 rv;

	if (nft_params_check(p) == -1)
		return (-1);
	if ((nb = malloc(sizeof(*nb))) == NULL || nb_init(nb) == -1) {
		log_warn("nftables: cannot install table inet %s",
		    NFT_TABLE_NAME);
		free(nb);
		return (-1);
	}
	/*
	 * Add, delete, add: the first add makes the delete valid whether or
	 * not a table is there (a leftover of a crashed run, or the table
	 * the monitor found damaged), so the batch replaces it whole.
	 */
	nb_table(nb, NFT_MSG_NEWTABLE, NLM_F_CREATE, NULL);
	nb_table(nb, NFT_MSG_DELTABLE, 0, NULL);
	nb_table(nb, NFT_MSG_NEWTABLE, NLM_F_CREATE | NLM_F_EXCL,
	    "l2tpsecd: added at start, removed at stop, restored if deleted");
	nft_build_input(nb, p);
	nft_build_forward(nb, p);
	if (p->np_clamp_mss)
		nft_build_clamp(nb, p);
	if (p->np_nat)
		nft_build_nat(nb, p);
	if (p->np_test_reject)
		nft_build_reject(nb);
	nb_end(nb);
	nrules = nb->nb_nrules;
	rv = nb_send(nb, "install");
	nb_free(nb);
	free(nb);
	if (rv == 0) {
		nft_installed = 1;
		nft_nrules = nrules;
		log_info("nftables: table inet %s installed (%u rules)",
		    NFT_TABLE_NAME, nrules);
	}
	return (rv);
}

int
nft_remove(void)
{
	struct nft_batch	*nb;
	int			 rv;

	/* From here on a missing table is what we want, not damage. */
	nft_installed = 0;
	if ((nb = malloc(sizeof(*nb))) == NULL || nb_init(nb) == -1) {
		log_warn("nftables: cannot remove table inet %s",
		    NFT_TABLE_NAME);
		free(nb);
		return (-1);
	}
	nb_table(nb, NFT_MSG_NEWTABLE, NLM_F_CREATE, NULL);
	nb_table(nb, NFT_MSG_DELTABLE, 0, NULL);
	nb_end(nb);
	rv = nb_send(nb, "remove");
	nb_free(nb);
	free(nb);
	if (rv == 0)
		log_info("nftables: table inet %s removed", NFT_TABLE_NAME);
	return (rv);
}

/* ------------------------------------------------------------------ */
/* Queries                                                             */

static int
nft_count_cb(const struct nlmsghdr *nlh, void *arg)
{
	unsigned int	*n = arg;

	if (NFNL_MSG_TYPE(nlh->nlmsg_type) == NFT_MSG_NEWRULE ||
	    NFNL_MSG_TYPE(nlh->nlmsg_type) == NFT_MSG_NEWTABLE)
		(*n)++;
	return (MNL_CB_OK);
}

/*
 * One request, answers counted by type: the rules of our table (a dump)
 * or the table itself.  Returns the count, or -1 with errno (ENOENT
 * when there is no such table).
 */
static int
nft_query(uint16_t type)
{
	struct mnl_socket	*nl;
	struct nlmsghdr		*nlh;
	struct nftnl_table	*t = NULL;
	struct nftnl_rule	*r = NULL;
	char			*buf;
	unsigned int		 n = 0;
	uint32_t		 portid, seq = (uint32_t)time(NULL);
	ssize_t			 len;
	int			 ret = -1, error = 0;

	if ((buf = malloc(MNL_SOCKET_BUFFER_SIZE)) == NULL)
		return (-1);
	if ((nl = mnl_socket_open2(NETLINK_NETFILTER, SOCK_CLOEXEC)) == NULL) {
		error = errno;
		goto out;
	}
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) == -1) {
		error = errno;
		goto out;
	}
	portid = mnl_socket_get_portid(nl);
	if (type == NFT_MSG_GETRULE) {
		nlh = nftnl_nlmsg_build_hdr(buf, type, NFPROTO_INET,
		    NLM_F_DUMP, seq);
		if ((r = nftnl_rule_alloc()) == NULL) {
			error = ENOMEM;
			goto out;
		}
		nftnl_rule_set_str(r, NFTNL_RULE_TABLE, NFT_TABLE_NAME);
		nftnl_rule_nlmsg_build_payload(nlh, r);
	} else {
		nlh = nftnl_nlmsg_build_hdr(buf, type, NFPROTO_INET,
		    NLM_F_ACK, seq);
		if ((t = nftnl_table_alloc()) == NULL) {
			error = ENOMEM;
			goto out;
		}
		nftnl_table_set_str(t, NFTNL_TABLE_NAME, NFT_TABLE_NAME);
		nftnl_table_nlmsg_build_payload(nlh, t);
	}
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) == -1) {
		error = errno;
		goto out;
	}
	for (;;) {
		len = mnl_socket_recvfrom(nl, buf, MNL_SOCKET_BUFFER_SIZE);
		if (len == -1) {
			error = errno;
			goto out;
		}
		ret = mnl_cb_run(buf, (size_t)len, seq, portid, nft_count_cb,
		    &n);
		if (ret == -1) {
			error = errno;
			goto out;
		}
		if (ret == MNL_CB_STOP)
			break;
	}
	ret = (int)n;
 out:
	if (nl != NULL)
		mnl_socket_close(nl);
	if (t != NULL)
		nftnl_table_free(t);
	if (r != NULL)
		nftnl_rule_free(r);
	free(buf);
	if (error != 0) {
		errno = error;
		ret = -1;
	}
	return (ret);
}

int
nft_present(void)
{
	if (nft_query(NFT_MSG_GETTABLE) == -1) {
		if (errno == ENOENT)
			return (0);
		log_warn("nftables: cannot look for table inet %s",
		    NFT_TABLE_NAME);
		return (-1);
	}
	return (1);
}

/* ------------------------------------------------------------------ */
/* Noticing that the table went away                                   */

int
nft_monitor_open(void)
{
	unsigned int	 group = NFNLGRP_NFTABLES;
	int		 sz = 1024 * 1024;

	if (nft_monsock != NULL)
		return (nft_monfd);
	nft_monsock = mnl_socket_open2(NETLINK_NETFILTER,
	    SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (nft_monsock == NULL) {
		log_warn("nftables: monitor socket");
		return (-1);
	}
	if (mnl_socket_bind(nft_monsock, 0, MNL_SOCKET_AUTOPID) == -1 ||
	    mnl_socket_setsockopt(nft_monsock, NETLINK_ADD_MEMBERSHIP,
	    &group, sizeof(group)) == -1) {
		log_warn("nftables: monitor subscribe");
		mnl_socket_close(nft_monsock);
		nft_monsock = NULL;
		return (-1);
	}
	/* A big `flush ruleset` is many events; an overrun is handled. */
	(void)setsockopt(mnl_socket_get_fd(nft_monsock), SOL_SOCKET,
	    SO_RCVBUF, &sz, sizeof(sz));
	nft_monfd = mnl_socket_get_fd(nft_monsock);
	return (nft_monfd);
}

int
nft_monitor_fd(void)
{
	return (nft_monfd);
}

void
nft_monitor_close(void)
{
	if (nft_monsock != NULL)
		mnl_socket_close(nft_monsock);
	nft_monsock = NULL;
	nft_monfd = -1;
}

/* Does this notification name our table?  (Attribute 1 is the table.) */
static int
nft_mon_ours(const struct nlmsghdr *nlh)
{
	const struct nfgenmsg	*g;
	const struct nlattr	*a;

	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*g)))
		return (0);
	g = mnl_nlmsg_get_payload(nlh);
	if (g->nfgen_family != NFPROTO_INET)
		return (0);
	mnl_attr_for_each(a, nlh, sizeof(*g)) {
		/* NFTA_{TABLE_NAME,CHAIN_TABLE,RULE_TABLE,SET_TABLE} */
		if (mnl_attr_get_type(a) != 1)
			continue;
		if (mnl_attr_validate(a, MNL_TYPE_NUL_STRING) == -1)
			return (0);
		return (strcmp(mnl_attr_get_str(a), NFT_TABLE_NAME) == 0);
	}
	return (0);
}

static void
nft_mon_gen(const struct nlmsghdr *nlh, uint32_t *pid, char *name,
    size_t namesz)
{
	const struct nlattr	*a;

	mnl_attr_for_each(a, nlh, sizeof(struct nfgenmsg)) {
		switch (mnl_attr_get_type(a)) {
		case NFTA_GEN_PROC_PID:
			if (mnl_attr_validate(a, MNL_TYPE_U32) == 0)
				*pid = ntohl(mnl_attr_get_u32(a));
			break;
		case NFTA_GEN_PROC_NAME:
			if (mnl_attr_validate(a, MNL_TYPE_NUL_STRING) == 0)
				snprintf(name, namesz, "%s",
				    mnl_attr_get_str(a));
			break;
		}
	}
}

int
nft_monitor_read(void)
{
	struct nlmsghdr	*nlh;
	char		*buf;
	char		 who[64] = "", by[96];
	uint32_t	 pid = 0;
	ssize_t		 n;
	int		 i, len, touched = 0, count;

	if (nft_monsock == NULL) {
		errno = EBADF;
		return (-1);
	}
	if ((buf = malloc(NFT_MON_BUFSZ)) == NULL)
		return (-1);
	/* Bounded, so a storm of changes cannot starve the event loop. */
	for (i = 0; i < NFT_MON_MAXREADS; i++) {
		n = recv(nft_monfd, buf, NFT_MON_BUFSZ, MSG_DONTWAIT);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		if (n == -1 && errno == ENOBUFS) {
			/* Lost events: we cannot know, so look. */
			touched = 1;
			continue;
		}
		if (n == -1) {
			log_warn("nftables: monitor recv");
			free(buf);
			return (-1);
		}
		len = (int)n;
		for (nlh = (struct nlmsghdr *)buf; mnl_nlmsg_ok(nlh, len);
		    nlh = mnl_nlmsg_next(nlh, &len)) {
			if (NFNL_SUBSYS_ID(nlh->nlmsg_type) !=
			    NFNL_SUBSYS_NFTABLES)
				continue;
			if (NFNL_MSG_TYPE(nlh->nlmsg_type) == NFT_MSG_NEWGEN)
				nft_mon_gen(nlh, &pid, who, sizeof(who));
			else if (nft_mon_ours(nlh))
				touched = 1;
		}
	}
	free(buf);
	if (!touched || !nft_installed)
		return (0);

	/*
	 * Our own install and remove show up here too; only what is
	 * there now counts: every rule we installed, and no other.
	 */
	count = nft_query(NFT_MSG_GETRULE);
	if (count >= 0 && (unsigned int)count == nft_nrules)
		return (0);
	if (count == -1 && errno != ENOENT)
		log_warn("nftables: cannot list table inet %s",
		    NFT_TABLE_NAME);
	if (pid != 0 && who[0] != '\0')
		snprintf(by, sizeof(by), "pid %u (%s)", pid, who);
	else if (pid != 0)
		snprintf(by, sizeof(by), "pid %u", pid);
	else
		snprintf(by, sizeof(by), "an unknown process");
	if (count <= 0)
		log_warnx("nftables: table inet %s was deleted (last change "
		    "by %s); restoring it", NFT_TABLE_NAME, by);
	else
		log_warnx("nftables: table inet %s was changed, %d rules "
		    "instead of %u (last change by %s); restoring it",
		    NFT_TABLE_NAME, count, nft_nrules, by);
	return (1);
}
