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


#include <arpa/inet.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "common/cursor.h"
#include "common/log.h"
#include "ppp/fsm.h"
#include "ppp/pool.h"
#include "ppp/ppp_parse.h"
#include "ppp/ppp_session.h"
#include "ppp/users.h"

/*
 * IPCP (RFC 1332) with the name server options of RFC 1877.
 *
 * Server: our Configure-Request carries IP-Address = our local address.
 * The peer gets one address, the user's own from chap-secrets or one
 * from the pool, taken when its first Configure-Request arrives and
 * given back when the session ends.  Its IP-Address is Nak'd to that
 * address unless it already is (0.0.0.0 means "tell me", RFC 1332 3.3),
 * and Nak'd in if missing (3.3: "the option SHOULD be appended to a
 * Configure-Nak").  Primary/secondary DNS and NBNS (RFC 1877) are Nak'd
 * to ours when configured and Rejected when not; IP-Compression-Protocol
 * (VJ) and the old IP-Addresses option are Rejected.
 *
 * Client: asks for 0.0.0.0 and for DNS and NBNS servers, takes what the
 * Naks give, drops what is Rejected, and Acks the server's address.
 */

/* ic_rejected bits: the options of our request the peer Rejected. */
#define IPCP_R_ADDR	0x01
#define IPCP_R_DNS1	0x02
#define IPCP_R_DNS2	0x04
#define IPCP_R_NBNS1	0x08
#define IPCP_R_NBNS2	0x10

#define IPCP_MAX_NAKS_RCVD	(2 * FSM_MAX_CONFIGURE)

static struct ppp_session *
ipcp_session(struct fsm *fs)
{
	return (fs->fs_arg);
}

static const char *
ipcp_ntoa(struct in_addr a, char *buf, size_t size)
{
	if (inet_ntop(AF_INET, &a, buf, size) == NULL)
		(void)strlcpy(buf, "?", size);
	return (buf);
}

/* The client's slot and reject bit for a name server option. */
static struct in_addr *
ipcp_ns_slot(struct ppp_ipcp *ic, uint8_t type, unsigned int *bit)
{
	switch (type) {
	case IPCP_OPT_DNS1:
		*bit = IPCP_R_DNS1;
		return (&ic->ic_dns[0]);
	case IPCP_OPT_DNS2:
		*bit = IPCP_R_DNS2;
		return (&ic->ic_dns[1]);
	case IPCP_OPT_NBNS1:
		*bit = IPCP_R_NBNS1;
		return (&ic->ic_wins[0]);
	case IPCP_OPT_NBNS2:
		*bit = IPCP_R_NBNS2;
		return (&ic->ic_wins[1]);
	default:
		*bit = 0;
		return (NULL);
	}
}

/* The server's configured value for a name server option, or NULL. */
static const struct in_addr *
ipcp_ns_ours(const struct ppp_session *s, uint8_t type, int *idx, int *wins)
{
	*wins = type == IPCP_OPT_NBNS1 || type == IPCP_OPT_NBNS2;
	*idx = type == IPCP_OPT_DNS2 || type == IPCP_OPT_NBNS2;
	if (*wins)
		return ((size_t)*idx < s->ses_nwins ? &s->ses_wins[*idx] :
		    NULL);
	return ((size_t)*idx < s->ses_ndns ? &s->ses_dns[*idx] : NULL);
}

static void
ipcp_reset(struct fsm *fs)
{
	struct ppp_session	*s = ipcp_session(fs);
	struct ppp_ipcp		*ic = &s->ses_ipcp;

	ic->ic_rejected = 0;
	ic->ic_naks_rcvd = 0;
	ic->ic_peer.s_addr = 0;
	if (s->ses_role == PPP_ROLE_CLIENT) {
		memset(&ic->ic_addr, 0, sizeof(ic->ic_addr));
		memset(ic->ic_dns, 0, sizeof(ic->ic_dns));
		memset(ic->ic_wins, 0, sizeof(ic->ic_wins));
	}
}

static void
ipcp_build_req(struct fsm *fs, struct obuf *o)
{
	struct ppp_session	*s = ipcp_session(fs);
	struct ppp_ipcp		*ic = &s->ses_ipcp;

	if (s->ses_role == PPP_ROLE_SERVER) {
		if ((ic->ic_rejected & IPCP_R_ADDR) == 0)
			ipcp_opt_put_addr(o, IPCP_OPT_ADDRESS, s->ses_local);
		return;
	}
	if ((ic->ic_rejected & IPCP_R_ADDR) == 0)
		ipcp_opt_put_addr(o, IPCP_OPT_ADDRESS, ic->ic_addr);
	if ((ic->ic_rejected & IPCP_R_DNS1) == 0)
		ipcp_opt_put_addr(o, IPCP_OPT_DNS1, ic->ic_dns[0]);
	if ((ic->ic_rejected & IPCP_R_NBNS1) == 0)
		ipcp_opt_put_addr(o, IPCP_OPT_NBNS1, ic->ic_wins[0]);
	if ((ic->ic_rejected & IPCP_R_DNS2) == 0)
		ipcp_opt_put_addr(o, IPCP_OPT_DNS2, ic->ic_dns[1]);
	if ((ic->ic_rejected & IPCP_R_NBNS2) == 0)
		ipcp_opt_put_addr(o, IPCP_OPT_NBNS2, ic->ic_wins[1]);
}

/* A value we want instead: Nak it, or Reject it past Max-Failure. */
static void
ipcp_nak_addr(struct obuf *nak, struct obuf *rej, const struct ppp_opt *opt,
    struct in_addr want, int nak_ok)
{
	if (nak_ok)
		ipcp_opt_put_addr(nak, opt->po_type, want);
	else
		ppp_opt_put_raw(rej, opt);
}

static int
ipcp_check_req(struct fsm *fs, const uint8_t *buf, size_t len,
    struct obuf *reply, int nak_ok)
{
	struct ppp_session	*s = ipcp_session(fs);
	struct ppp_ipcp		*ic = &s->ses_ipcp;
	uint8_t			 nakbuf[FSM_PKT_MAX], rejbuf[FSM_PKT_MAX];
	struct obuf		 nak, rej;
	struct ppp_opt_iter	 it;
	struct ppp_opt		 opt;
	struct ipcp_optval	 v;
	const struct in_addr	*ours;
	struct in_addr		 peer = { 0 };
	struct in_addr		 dns[CONF_MAX_NS], wins[CONF_MAX_NS];
	int			 saw_addr = 0, idx, iswins, server;

	server = s->ses_role == PPP_ROLE_SERVER;
	memset(dns, 0, sizeof(dns));
	memset(wins, 0, sizeof(wins));
	obuf_init(&nak, nakbuf, sizeof(nakbuf));
	obuf_init(&rej, rejbuf, sizeof(rejbuf));
	ppp_opt_iter_init(&it, buf, len);
	while (ppp_opt_next(&it, &opt) == 1) {
		if (ipcp_opt_decode(&opt, &v) == -1) {
			ppp_opt_put_raw(&rej, &opt);
			continue;
		}
		switch (opt.po_type) {
		case IPCP_OPT_ADDRESS:
			saw_addr = 1;
			if (!server) {
				/*
				 * The server's own address; 0.0.0.0 would
				 * ask us for one, which we do not have.
				 */
				if (v.io_addr.s_addr == 0)
					ppp_opt_put_raw(&rej, &opt);
				else
					peer = v.io_addr;
				break;
			}
			if (ic->ic_have_addr &&
			    v.io_addr.s_addr == ic->ic_assigned.s_addr)
				peer = v.io_addr;
			else if (ic->ic_have_addr)
				ipcp_nak_addr(&nak, &rej, &opt,
				    ic->ic_assigned, nak_ok);
			else
				ppp_opt_put_raw(&rej, &opt);
			break;
		case IPCP_OPT_DNS1:
		case IPCP_OPT_DNS2:
		case IPCP_OPT_NBNS1:
		case IPCP_OPT_NBNS2:
			if (!server || (ours = ipcp_ns_ours(s, opt.po_type,
			    &idx, &iswins)) == NULL) {
				ppp_opt_put_raw(&rej, &opt);
				break;
			}
			if (v.io_addr.s_addr == ours->s_addr) {
				if (iswins)
					wins[idx] = *ours;
				else
					dns[idx] = *ours;
			} else
				ipcp_nak_addr(&nak, &rej, &opt, *ours, nak_ok);
			break;
		default:
			/* IP-Compression-Protocol (VJ), IP-Addresses, ... */
			ppp_session_log(s, LOG_DEBUG, "rejecting IPCP option "
			    "%u (%s)", opt.po_type, ipcp_opt_name(opt.po_type));
			ppp_opt_put_raw(&rej, &opt);
			break;
		}
	}
	if (server && !saw_addr && ic->ic_have_addr && nak_ok &&
	    rej.o_len == 0)
		ipcp_opt_put_addr(&nak, IPCP_OPT_ADDRESS, ic->ic_assigned);
	if (rej.o_len > 0) {
		obuf_put_bytes(reply, rejbuf, rej.o_len);
		return (PPP_CONF_REJ);
	}
	if (nak.o_len > 0) {
		obuf_put_bytes(reply, nakbuf, nak.o_len);
		return (PPP_CONF_NAK);
	}
	ic->ic_peer = peer;
	memcpy(ic->ic_acked_dns, dns, sizeof(dns));
	memcpy(ic->ic_acked_wins, wins, sizeof(wins));
	return (PPP_CONF_ACK);
}

static int
ipcp_recv_nak(struct fsm *fs, const uint8_t *buf, size_t len)
{
	struct ppp_session	*s = ipcp_session(fs);
	struct ppp_ipcp		*ic = &s->ses_ipcp;
	struct ppp_opt_iter	 it;
	struct ppp_opt		 opt;
	struct ipcp_optval	 v;
	struct in_addr		*slot;
	unsigned int		 bit;

	if (++ic->ic_naks_rcvd > IPCP_MAX_NAKS_RCVD) {
		ppp_session_fail(s, "IPCP negotiation failed", "IPCP does "
		    "not converge: %u Configure-Naks", ic->ic_naks_rcvd);
		return (0);
	}
	/* The server insists on its own address: nothing to learn. */
	if (s->ses_role == PPP_ROLE_SERVER)
		return (0);
	ppp_opt_iter_init(&it, buf, len);
	while (ppp_opt_next(&it, &opt) == 1) {
		if (ipcp_opt_decode(&opt, &v) == -1)
			continue;
		if (opt.po_type == IPCP_OPT_ADDRESS) {
			if (v.io_addr.s_addr != 0)
				ic->ic_addr = v.io_addr;
		} else if ((slot = ipcp_ns_slot(ic, opt.po_type, &bit)) !=
		    NULL)
			*slot = v.io_addr;
	}
	return (0);
}

static int
ipcp_recv_rej(struct fsm *fs, const uint8_t *buf, size_t len)
{
	struct ppp_session	*s = ipcp_session(fs);
	struct ppp_ipcp		*ic = &s->ses_ipcp;
	struct ppp_opt_iter	 it, rit;
	struct ppp_opt		 opt, ropt;
	unsigned int		 bit;
	int			 found;

	/* RFC 1661 5.4: only options of our last request. */
	ppp_opt_iter_init(&it, buf, len);
	while (ppp_opt_next(&it, &opt) == 1) {
		found = 0;
		ppp_opt_iter_init(&rit, fs->fs_req, fs->fs_reqlen);
		while (ppp_opt_next(&rit, &ropt) == 1)
			if (ropt.po_len == opt.po_len &&
			    memcmp(ropt.po_raw, opt.po_raw, opt.po_len) == 0)
				found = 1;
		if (!found)
			return (-1);
	}
	ppp_opt_iter_init(&it, buf, len);
	while (ppp_opt_next(&it, &opt) == 1) {
		if (opt.po_type == IPCP_OPT_ADDRESS) {
			ic->ic_rejected |= IPCP_R_ADDR;
			if (s->ses_role == PPP_ROLE_CLIENT)
				ppp_session_fail(s, "No IP address", "server "
				    "rejected IP-Address: it assigns us no "
				    "address");
		} else if (ipcp_ns_slot(ic, opt.po_type, &bit) != NULL) {
			ic->ic_rejected |= bit;
			ipcp_ns_slot(ic, opt.po_type, &bit)->s_addr = 0;
		}
	}
	return (0);
}

static void
ipcp_up(struct fsm *fs)
{
	struct ppp_session	*s = ipcp_session(fs);
	struct ppp_ipcp		*ic = &s->ses_ipcp;
	char			 a[INET_ADDRSTRLEN];

	if (s->ses_role == PPP_ROLE_SERVER &&
	    ic->ic_peer.s_addr != ic->ic_assigned.s_addr) {
		ppp_session_fail(s, "No IP address", "peer did not take the "
		    "address %s we assigned",
		    ipcp_ntoa(ic->ic_assigned, a, sizeof(a)));
		return;
	}
	if (s->ses_role == PPP_ROLE_CLIENT && ic->ic_addr.s_addr == 0) {
		ppp_session_fail(s, "No IP address", "server assigned us no "
		    "address");
		return;
	}
	ppp_session_ipcp_up(s);
}

static void
ipcp_down(struct fsm *fs)
{
	ppp_session_ipcp_down(ipcp_session(fs));
}

static void
ipcp_finished(struct fsm *fs)
{
	struct ppp_session	*s = ipcp_session(fs);

	/* RFC 1661 3.6 lets the link live on; with only IPv4 it is dead. */
	if (s->ses_ipcp.ic_peer_closed)
		ppp_session_fail(s, NULL, "peer closed IPCP");
	else
		ppp_session_fail(s, "IPCP negotiation failed", "IPCP "
		    "negotiation failed: no agreement with the peer");
}

static void
ipcp_timer_start(struct fsm *fs, unsigned int ms)
{
	ppp_session_timer_start(ipcp_session(fs), PPP_TIMER_IPCP, ms);
}

static void
ipcp_timer_stop(struct fsm *fs)
{
	ppp_session_timer_stop(ipcp_session(fs), PPP_TIMER_IPCP);
}

static void
ipcp_send(struct fsm *fs, const uint8_t *buf, size_t len)
{
	ppp_session_send(ipcp_session(fs), PPP_PROTO_IPCP, buf, len);
}

static const struct fsm_callbacks ipcp_callbacks = {
	.fc_build_req = ipcp_build_req,
	.fc_check_req = ipcp_check_req,
	.fc_recv_nak = ipcp_recv_nak,
	.fc_recv_rej = ipcp_recv_rej,
	.fc_reset = ipcp_reset,
	.fc_up = ipcp_up,
	.fc_down = ipcp_down,
	.fc_finished = ipcp_finished,
	/* fc_extcode NULL: RFC 1332 2, codes above 7 are Code-Rejected. */
	.fc_timer_start = ipcp_timer_start,
	.fc_timer_stop = ipcp_timer_stop,
	.fc_send = ipcp_send,
};

void
ppp_ipcp_init(struct ppp_session *s)
{
	fsm_init(&s->ses_ipcpfsm, s->ses_ipcp_name, PPP_PROTO_IPCP,
	    &ipcp_callbacks, s);
	memset(&s->ses_ipcp, 0, sizeof(s->ses_ipcp));
}

void
ppp_ipcp_start(struct ppp_session *s)
{
	if (s->ses_ipcpfsm.fs_state == FSM_INITIAL)
		fsm_open(&s->ses_ipcpfsm);
	if (s->ses_ipcpfsm.fs_state == FSM_STARTING)
		fsm_up(&s->ses_ipcpfsm);
}

/*
 * The peer's address, taken once per session: the user's static one
 * (chap-secrets, 4th column) or the next from the pool.  -1 (logged, the
 * session failing) when there is none to give.
 */
static int
ipcp_alloc(struct ppp_session *s)
{
	struct ppp_ipcp	*ic = &s->ses_ipcp;
	struct in_addr	 a;
	char		 buf[INET_ADDRSTRLEN];
	uint32_t	 holder;

	if (s->ses_au.au_addr_kind == USERS_ADDR_STATIC) {
		a = s->ses_au.au_static;
		if (s->ses_pool != NULL &&
		    pool_alloc_static(s->ses_pool, a, s->ses_id) == -1 &&
		    errno == EADDRINUSE &&
		    (holder = pool_owner(s->ses_pool, a)) != 0 &&
		    s->ses_ops->so_evict != NULL &&
		    s->ses_ops->so_evict(s->ses_arg, holder) == 0) {
			/* duplicate replace: the older login has gone. */
			ppp_session_log(s, LOG_INFO, "static address %s of "
			    "\"%s\" taken over from session %u",
			    ipcp_ntoa(a, buf, sizeof(buf)), s->ses_user,
			    holder);
		}
		if (s->ses_pool != NULL &&
		    pool_alloc_static(s->ses_pool, a, s->ses_id) == -1) {
			if (errno == EADDRINUSE) {
				holder = pool_owner(s->ses_pool, a);
				ppp_session_log(s, LOG_NOTICE, "static "
				    "address %s of \"%s\" is in use by "
				    "session %u", ipcp_ntoa(a, buf,
				    sizeof(buf)), s->ses_user, holder);
			} else
				ppp_session_log(s, LOG_ERR, "static address "
				    "%s of \"%s\" is unknown to the pool",
				    ipcp_ntoa(a, buf, sizeof(buf)),
				    s->ses_user);
			ppp_session_fail(s, "no address available", "no "
			    "address available: static address %s "
			    "unavailable", buf);
			return (-1);
		}
		ic->ic_pool_held = s->ses_pool != NULL;
		ic->ic_static = 1;
	} else {
		if (s->ses_pool == NULL) {
			ppp_session_log(s, LOG_ERR, "no address pool: no "
			    "address for \"%s\"", s->ses_user);
			ppp_session_fail(s, NULL, "no address available");
			return (-1);
		}
		if (pool_alloc(s->ses_pool, s->ses_id, &a) == -1) {
			ppp_session_log(s, LOG_ERR, "pool exhausted: no "
			    "address for \"%s\"", s->ses_user);
			ppp_session_fail(s, NULL, "no address available");
			return (-1);
		}
		ic->ic_pool_held = 1;
	}
	ic->ic_assigned = a;
	ic->ic_have_addr = 1;
	ppp_session_log(s, LOG_INFO, "assigned %s%s to \"%s\"",
	    ipcp_ntoa(a, buf, sizeof(buf)), ic->ic_static ? " (static)" : "",
	    s->ses_user);
	return (0);
}

void
ppp_ipcp_input(struct ppp_session *s, const uint8_t *buf, size_t len)
{
	struct ppp_ipcp	*ic = &s->ses_ipcp;
	struct ppp_cp	 cp;

	if (ppp_cp_parse(buf, len, &cp) == -1) {
		s->ses_dropped++;
		ppp_session_log(s, LOG_DEBUG, "malformed IPCP packet of %zu "
		    "octets dropped", len);
		return;
	}
	if (s->ses_term_pending)
		return;
	if (s->ses_role == PPP_ROLE_SERVER && cp.cp_code == PPP_CONF_REQ &&
	    !ic->ic_have_addr && s->ses_ipcpfsm.fs_state != FSM_INITIAL &&
	    s->ses_ipcpfsm.fs_state != FSM_STARTING &&
	    ipcp_alloc(s) == -1)
		return;
	if (cp.cp_code == PPP_TERM_REQ)
		ic->ic_peer_closed = 1;
	fsm_input(&s->ses_ipcpfsm, cp.cp_code, cp.cp_id, cp.cp_data,
	    cp.cp_datalen);
}

void
ppp_ipcp_release(struct ppp_session *s)
{
	struct ppp_ipcp	*ic = &s->ses_ipcp;
	char		 buf[INET_ADDRSTRLEN];

	if (!ic->ic_pool_held)
		return;
	ic->ic_pool_held = 0;
	if (pool_release(s->ses_pool, ic->ic_assigned, s->ses_id) == -1)
		ppp_session_log(s, LOG_ERR, "could not give %s back to the "
		    "pool", ipcp_ntoa(ic->ic_assigned, buf, sizeof(buf)));
	else
		ppp_session_log(s, LOG_DEBUG, "released %s",
		    ipcp_ntoa(ic->ic_assigned, buf, sizeof(buf)));
}

void
ppp_ipcp_up_info(const struct ppp_session *s, struct ppp_up_info *ui)
{
	const struct ppp_ipcp	*ic = &s->ses_ipcp;

	if (s->ses_role == PPP_ROLE_SERVER) {
		ui->ui_local = s->ses_local;
		ui->ui_peer = ic->ic_assigned;
		memcpy(ui->ui_dns, ic->ic_acked_dns, sizeof(ui->ui_dns));
		memcpy(ui->ui_wins, ic->ic_acked_wins, sizeof(ui->ui_wins));
		ui->ui_static = ic->ic_static;
	} else {
		ui->ui_local = ic->ic_addr;
		ui->ui_peer = ic->ic_peer;
		memcpy(ui->ui_dns, ic->ic_dns, sizeof(ui->ui_dns));
		memcpy(ui->ui_wins, ic->ic_wins, sizeof(ui->ui_wins));
	}
}
