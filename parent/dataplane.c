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
#include <unistd.h>

#include "common/log.h"
#include "common/msg.h"
#include "config.h"
#include "netcfg/iface.h"
#include "netcfg/nft.h"
#include "netcfg/sysctl.h"
#include "parent.h"

/*
 * The parent's kernel work for the userspace data path: the server's
 * TUN, a host route per session, the sysctls and the nftables table --
 * and taking all of it away again, on every exit path.  Module state,
 * like the audit log's: one data plane per daemon.
 */

static int		 dp_tun_fd = -1;
static char		 dp_tun_name[IF_NAMESIZE];
static int		 dp_sysctl_applied;
static int		 dp_nft_installed;
static struct event	 dp_nft_ev;
static struct nft_params dp_nft;

const char *
dataplane_tun_name(void)
{
	return (dp_tun_name);
}

static void
dataplane_nft_params(struct parent *pa, struct nft_params *np)
{
	const struct config	*c = pa->pa_conf;
	const struct conf_listen *cl;

	memset(np, 0, sizeof(*np));
	TAILQ_FOREACH(cl, &c->c_listen, cl_entry) {
		struct nft_listen *nl;

		if (np->np_nlisten == NFT_MAX_LISTEN)
			break;
		nl = &np->np_listen[np->np_nlisten++];
		if (cl->cl_is_iface) {
			nl->nl_family = AF_UNSPEC;
			strlcpy(nl->nl_iface, cl->cl_iface,
			    sizeof(nl->nl_iface));
		} else if (cl->cl_addr.ss_family == AF_INET) {
			nl->nl_family = AF_INET;
			nl->nl_addr4 = ((const struct sockaddr_in *)
			    &cl->cl_addr)->sin_addr;
		} else {
			nl->nl_family = AF_INET6;
			nl->nl_addr6 = ((const struct sockaddr_in6 *)
			    &cl->cl_addr)->sin6_addr;
		}
	}
	strlcpy(np->np_wan, c->c_firewall.fw_wan, sizeof(np->np_wan));
	/* Kernel: every session has its pppN; "ppp*" matches them all. */
	strlcpy(np->np_session_if[0], pa->pa_dataplane == DATAPLANE_KERNEL ?
	    "ppp*" : dp_tun_name, sizeof(np->np_session_if[0]));
	np->np_nsession_if = 1;
	np->np_pool_start = c->c_ppp.pp_pool_start;
	np->np_pool_end = c->c_ppp.pp_pool_end;
	np->np_mtu = c->c_ppp.pp_mtu;
	np->np_nat = c->c_firewall.fw_nat;
	np->np_clamp_mss = c->c_firewall.fw_clamp_mss;
	np->np_require_ipsec = c->c_l2tp.l2_require_ipsec;
}

/* Someone flushed or changed our table: put it back (a warning is out). */
static void
dataplane_nft_event(int fd, short ev, void *arg)
{
	int	 r;

	(void)fd;
	(void)ev;
	(void)arg;
	if ((r = nft_monitor_read()) == 0)
		return;
	if (r == -1) {
		event_del(&dp_nft_ev);
		nft_monitor_close();
		if (nft_monitor_open() == -1)
			return;
		event_assign(&dp_nft_ev, ((struct parent *)arg)->pa_base,
		    nft_monitor_fd(), EV_READ | EV_PERSIST, dataplane_nft_event,
		    arg);
		event_add(&dp_nft_ev, NULL);
	}
	if (nft_install(&dp_nft) == -1)
		log_warnx("could not restore table inet l2tpsecd");
}

static int
dataplane_nft_start(struct parent *pa)
{
	if (!pa->pa_conf->c_firewall.fw_enabled)
		return (0);
	dataplane_nft_params(pa, &dp_nft);
	if (nft_monitor_open() == -1 || nft_install(&dp_nft) == -1)
		return (-1);
	dp_nft_installed = 1;
	event_assign(&dp_nft_ev, pa->pa_base, nft_monitor_fd(),
	    EV_READ | EV_PERSIST, dataplane_nft_event, pa);
	event_add(&dp_nft_ev, NULL);
	return (0);
}

/*
 * Server start: leftovers of a crashed daemon go, the sysctls are set,
 * the TUN exists (userspace; it inherits conf.default), and the firewall
 * takes its shape from all of it.  The kernel data path's XFRM part
 * (kernel_start()) came before any socket was handed out.
 */
int
dataplane_start(struct parent *pa)
{
	struct msg_socket	 ms;
	int			 fd;

	if (iface_flush_ours() > 0)
		log_notice("removed routes a previous l2tpsecd left behind");
	if (TAILQ_EMPTY(&pa->pa_conf->c_listen))
		return (0);	/* client only: per-connection TUNs */
	if (sysctl_apply() == -1)
		log_warnx("some sysctls could not be set (read-only "
		    "/proc/sys?); clients may reach only this server");
	dp_sysctl_applied = 1;
	if (pa->pa_dataplane == DATAPLANE_KERNEL)
		return (dataplane_nft_start(pa));
	if ((dp_tun_fd = iface_tun_create("l2tpsec%d",
	    pa->pa_conf->c_ppp.pp_mtu, dp_tun_name,
	    sizeof(dp_tun_name))) == -1)
		return (-1);
	if (iface_addr_add_local(dp_tun_name, pa->pa_conf->c_ppp.pp_local) ==
	    -1)
		return (-1);
	log_info("sessions' IP traffic on %s", dp_tun_name);
	if (dataplane_nft_start(pa) == -1)
		return (-1);
	/* The datapath reads and writes it; ours stays for the cleanup. */
	if ((fd = dup(dp_tun_fd)) == -1) {
		log_warn("dup");
		return (-1);
	}
	memset(&ms, 0, sizeof(ms));
	ms.ms_kind = SOCKET_TUN;
	ms.ms_local.ss_family = AF_UNSPEC;
	return (proc_compose_fd(&pa->pa_procs[PROC_DATAPATH], MSG_SOCKET, fd,
	    &ms, sizeof(ms)));
}

/*
 * Every exit path: nothing of ours stays in the kernel.  Kernel data
 * path: pppN, tunnels, XFRM states and policies first, so no session
 * traffic crosses without its firewall rules for a moment.
 */
void
dataplane_stop(void)
{
	kernel_stop();
	if (dp_nft_installed) {
		event_del(&dp_nft_ev);
		nft_monitor_close();
		(void)nft_remove();
		dp_nft_installed = 0;
	}
	if (dp_tun_fd != -1) {
		(void)iface_tun_destroy(dp_tun_fd, dp_tun_name);
		dp_tun_fd = -1;
	}
	(void)iface_flush_ours();
	if (dp_sysctl_applied) {
		sysctl_restore();
		dp_sysctl_applied = 0;
	}
}

/* IPCP opened on a server session: its address goes via the TUN. */
int
dataplane_session_up(struct parent *pa, uint32_t id, struct in_addr peer)
{
	struct msg_dp_route	 dr;

	if (dp_tun_fd == -1)
		return (0);
	if (iface_route_add_host(peer, dp_tun_name) == -1)
		return (-1);
	memset(&dr, 0, sizeof(dr));
	dr.dr_id = id;
	dr.dr_peer = peer.s_addr;
	dr.dr_local = pa->pa_conf->c_ppp.pp_local.s_addr;
	dr.dr_mtu = pa->pa_conf->c_ppp.pp_mtu;
	return (proc_compose(&pa->pa_procs[PROC_DATAPATH], MSG_DP_ROUTE, &dr,
	    sizeof(dr)));
}

void
dataplane_session_down(struct in_addr peer)
{
	if (dp_tun_fd != -1 && peer.s_addr != 0)
		(void)iface_route_del_host(peer, dp_tun_name);
}
