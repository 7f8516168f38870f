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
 * What the l2tp child needs beyond the runtime every child shares
 * (common/sandbox.c): control messages on the UDP/1701 sockets the
 * parent made, the listening one and one connected socket per tunnel.
 */
static const struct sandbox_rule l2tp_sandbox_rules[] = {
	SANDBOX_ALLOW(recvfrom, "L2TP control messages in on UDP/1701"),
	SANDBOX_ALLOW(sendto, "L2TP control messages out on UDP/1701"),
	SANDBOX_ALLOW(recvmsg, "L2TP control messages with their address"),
	SANDBOX_ALLOW(sendmsg, "L2TP control messages from a chosen address"),
};

/*
 * One descriptor per session: each tunnel has its own socket bound to
 * 1701 and connected to the peer (DESIGN.md, "Who owns what"), and at
 * worst every session is in a tunnel of its own.  The base covers stdio,
 * the parent channel, epoll, the listening sockets and the 16
 * descriptors imsg may hold received but not yet taken (IMSG_MAXFDQ).
 */
const struct sandbox_policy l2tp_sandbox_policy = {
	.sp_role = PROC_L2TP,
	.sp_name = "l2tp",
	.sp_rules = l2tp_sandbox_rules,
	.sp_nrules = sizeof(l2tp_sandbox_rules) /
	    sizeof(l2tp_sandbox_rules[0]),
	.sp_fds_per_session = 1,
	.sp_fds_base = 32,
};
