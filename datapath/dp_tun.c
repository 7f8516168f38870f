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


#include <sys/types.h>

#include <netinet/in.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/log.h"
#include "datapath.h"

/*
 * The TUN devices (IFF_TUN | IFF_NO_PI: bare IP packets).  The server
 * has one for all its sessions and routes by destination address to the
 * session that owns it; a client connection has its own, and all of it
 * goes to that connection's session.
 */

static void	dp_tun_read(int, short, void *);

struct dp_tun *
dp_tun_new(struct datapath *dp, int fd, struct dp_session *dse)
{
	struct dp_tun	*dt;

	if ((dt = calloc(1, sizeof(*dt))) == NULL)
		fatal("calloc");
	dt->dt_dp = dp;
	dt->dt_fd = fd;
	dt->dt_session = dse;
	event_assign(&dt->dt_ev, dp->dp_base, fd, EV_READ | EV_PERSIST,
	    dp_tun_read, dt);
	event_add(&dt->dt_ev, NULL);
	TAILQ_INSERT_TAIL(&dp->dp_tuns, dt, dt_entry);
	return (dt);
}

void
dp_tun_free(struct datapath *dp, struct dp_tun *dt)
{
	if (dt->dt_session != NULL)
		dt->dt_session->dse_tun = NULL;
	if (dp->dp_tun == dt)
		dp->dp_tun = NULL;
	event_del(&dt->dt_ev);
	close(dt->dt_fd);
	TAILQ_REMOVE(&dp->dp_tuns, dt, dt_entry);
	free(dt);
}

/*
 * IPv4 from a session's peer (the Information field of a PPP 0x0021
 * frame) to the TUN.  RFC 3948 3.1.1 (2) asks exactly this of an
 * address handed to a remote peer: its packets must come from it, so
 * no client sends as another one.  A client connection accepts any
 * source (the server routes the world to it) but only our address as
 * the destination.
 */
void
dp_tun_write(struct datapath *dp, struct dp_session *dse, const uint8_t *ip,
    size_t len)
{
	struct dp_ipv4	 h;
	struct dp_tun	*dt;

	if (dp_ipv4_parse(ip, len, &h) != DP_P_OK) {
		DP_COUNT(dp, DP_ST_IP_MALFORMED);
		return;
	}
	if (dse->dse_tun != NULL) {
		dt = dse->dse_tun;
		if (h.ip_dst != dse->dse_local_addr) {
			DP_COUNT(dp, DP_ST_IP_SPOOFED);
			return;
		}
	} else {
		dt = dp->dp_tun;
		if (h.ip_src != dse->dse_addr) {
			DP_COUNT(dp, DP_ST_IP_SPOOFED);
			return;
		}
	}
	/* Bytes past Total Length (padding) do not go to the stack. */
	if (dt == NULL || write(dt->dt_fd, ip, h.ip_len) == -1) {
		DP_COUNT(dp, DP_ST_TUN_TX_DROPPED);
		return;
	}
	DP_COUNT(dp, DP_ST_TUN_TX);
	dse->dse_rx_bytes += h.ip_len;
	dse->dse_rx_packets++;
}

/* IPv4 from the stack: to the session that owns the destination. */
static void
dp_tun_read(int fd, short events, void *arg)
{
	struct dp_tun		*dt = arg;
	struct datapath		*dp = dt->dt_dp;
	struct dp_session	*dse;
	struct dp_ipv4		 h;
	uint8_t			*slot;
	ssize_t			 n;
	int			 i;

	(void)events;
	for (i = 0; i < 2 * DP_BATCH; i++) {
		slot = dp_tx_slot(dp);
		n = read(fd, slot + DP_OFF_IP, DP_SLOT - DP_OFF_IP - DP_TAIL);
		if (n <= 0)
			break;
		DP_COUNT(dp, DP_ST_TUN_RX);
		/* A read that filled the buffer may have been cut short. */
		if (dp_ipv4_parse(slot + DP_OFF_IP, (size_t)n, &h) !=
		    DP_P_OK || h.ip_len != (size_t)n) {
			DP_COUNT(dp, DP_ST_TUN_NOT_IPV4);
			continue;
		}
		if ((dse = dt->dt_session) != NULL) {
			/* Client: only what our own address sends. */
			if (h.ip_src != dse->dse_local_addr) {
				DP_COUNT(dp, DP_ST_IP_SPOOFED);
				continue;
			}
		} else if ((dse = dp_session_by_addr(dp, h.ip_dst)) == NULL) {
			DP_COUNT(dp, DP_ST_TUN_NO_ROUTE);
			continue;
		}
		if (!dse->dse_routed) {
			DP_COUNT(dp, DP_ST_TUN_NO_ROUTE);
			continue;
		}
		slot[DP_OFF_PROTO] = DP_PPP_IPV4 >> 8;
		slot[DP_OFF_PROTO + 1] = DP_PPP_IPV4 & 0xff;
		if (dp_session_output(dp, dse, slot, 2 + (size_t)n) == 0) {
			dse->dse_tx_bytes += (size_t)n;
			dse->dse_tx_packets++;
		}
	}
	dp_tx_flush(dp);
}
