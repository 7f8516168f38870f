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

#include "common/msg.h"
#include "common/sandbox.h"

/*
 * What the datapath child needs beyond the runtime every child shares
 * (common/sandbox.c): ESP and L2TP datagrams in batches on the UDP 4500,
 * raw ESP and UDP/1701 sockets the parent made, IP packets on the TUN
 * device(s), PPP frames to and from ppp on SEQPACKET socketpairs, imsg
 * with l2tp.  Nothing here opens or creates anything.
 */
static const struct sandbox_rule datapath_sandbox_rules[] = {
	SANDBOX_ALLOW(recvmmsg, "ESP (UDP 4500, raw) and UDP/1701 in, batched"),
	SANDBOX_ALLOW(sendmmsg, "ESP and L2TP datagrams out, batched"),
	SANDBOX_ALLOW(recvfrom, "recv(2): PPP frames from ppp's sockets"),
	SANDBOX_ALLOW(sendto, "send(2): PPP frames up to ppp's sockets"),
	SANDBOX_ALLOW(recvmsg, "imsg from l2tp (L2TP control out)"),
	SANDBOX_ALLOW(sendmsg, "imsg to l2tp (L2TP control in)"),
	SANDBOX_ALLOW(read, "IP packets in from the TUN device"),
	SANDBOX_ALLOW(write, "IP packets out to the TUN device"),
	SANDBOX_ALLOW(readv, "IP packets in from TUN, header apart"),
	SANDBOX_ALLOW(writev, "IP packets out to TUN, header apart"),
};

/*
 * Two descriptors per session: the SEQPACKET socket to ppp, and in the
 * client role a TUN device per connection (MSG_DP_ROUTE's).  The base
 * covers stdio, the parent channel, epoll, the server's TUN, the UDP and
 * raw sockets and the 16 descriptors imsg may hold received but not yet
 * taken (IMSG_MAXFDQ).
 */
const struct sandbox_policy datapath_sandbox_policy = {
	.sp_role = PROC_DATAPATH,
	.sp_name = "datapath",
	.sp_rules = datapath_sandbox_rules,
	.sp_nrules = sizeof(datapath_sandbox_rules) /
	    sizeof(datapath_sandbox_rules[0]),
	.sp_fds_per_session = 2,
	.sp_fds_base = 32,
};
