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
 * What the ike child needs beyond the runtime every child shares
 * (common/sandbox.c): datagrams on the UDP 500 and 4500 sockets the
 * parent bound and handed over.  The parent sets every socket option
 * (UDP_ENCAP, IP_PKTINFO) before that, so there is no setsockopt here.
 */
static const struct sandbox_rule ike_sandbox_rules[] = {
	SANDBOX_ALLOW(recvfrom, "IKE datagrams in on UDP 500/4500"),
	SANDBOX_ALLOW(sendto, "IKE datagrams out on UDP 500/4500"),
	SANDBOX_ALLOW(recvmsg, "IKE datagrams with their local address"),
	SANDBOX_ALLOW(sendmsg, "IKE datagrams from a chosen local address"),
};

/*
 * ike holds only the sockets it was given at start: its IKE SAs are
 * state, not descriptors.  The base covers stdio, the parent channel,
 * the epoll descriptor, UDP 500/4500 for IPv4 and IPv6, and the 16
 * descriptors imsg may hold received but not yet taken (IMSG_MAXFDQ).
 */
const struct sandbox_policy ike_sandbox_policy = {
	.sp_role = PROC_IKE,
	.sp_name = "ike",
	.sp_rules = ike_sandbox_rules,
	.sp_nrules = sizeof(ike_sandbox_rules) / sizeof(ike_sandbox_rules[0]),
	.sp_fds_per_session = 0,
	.sp_fds_base = 32,
};
