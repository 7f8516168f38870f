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


#include <stddef.h>

#include "common/child.h"
#include "common/log.h"
#include "common/msg.h"
#include "common/sandbox.h"
#include "imsg/imsg.h"
#include "datapath.h"

/*
 * The datapath child: moves packets between ESP, L2TP, PPP and the TUN
 * device (the userspace data path).  Its state is in datapath.c.
 */

static struct datapath	 datapath;

static int
datapath_dispatch_parent(struct child *ch, struct imsg *im)
{
	(void)ch;
	switch (im->hdr.type) {
	case MSG_SOCKET:
		return (datapath_socket(&datapath, imsg_take_fd(im), im->data,
		    im->datalen));
	case MSG_DP_SESSION_ADD:
		return (datapath_session_add(&datapath, imsg_take_fd(im),
		    im->data, im->datalen));
	case MSG_DP_SESSION_DEL:
		return (datapath_session_del(&datapath, im->data,
		    im->datalen));
	case MSG_DP_ROUTE:
		return (datapath_route(&datapath, imsg_take_fd(im), im->data,
		    im->datalen));
	case MSG_DP_SA_ADD:
		/* imsg_free() wipes the keys in the message after this. */
		return (datapath_sa_add(&datapath, im->data, im->datalen));
	case MSG_DP_SA_DEL:
		return (datapath_sa_del(&datapath, im->data, im->datalen));
	case MSG_DP_SA_PEER:
		return (datapath_sa_peer(&datapath, im->data, im->datalen));
	case MSG_CONFIG_RESET:
	case MSG_CONFIG_END:
		if (im->datalen != 0)
			return (-1);
		return (0);
	default:
		return (-1);
	}
}

static int
datapath_start(struct child *ch)
{
	datapath_init(&datapath, ch);
	return (0);
}

static void
datapath_stats(struct child *ch, struct msg_stats *ss)
{
	int	 i;

	(void)ch;
	for (i = 0; i < DP_ST_MAX; i++)
		child_stat(ss, dp_stat_name(i), datapath.dp_stats.st_count[i]);
}

static const struct child_role datapath_role = {
	.cr_role = PROC_DATAPATH,
	.cr_policy = &datapath_sandbox_policy,
	.cr_preload = datapath_preload,
	.cr_dispatch = datapath_dispatch_parent,
	.cr_start = datapath_start,
	.cr_stats = datapath_stats,
};

int
datapath_main(void)
{
	child_main(&datapath_role);
}
