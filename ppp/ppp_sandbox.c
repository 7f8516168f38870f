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

#include <stddef.h>

#include <linux/ppp-ioctl.h>

#include "common/msg.h"
#include "common/sandbox.h"

/*
 * What the ppp child needs beyond the runtime every child shares
 * (common/sandbox.c): PPP control frames on the /dev/ppp channel and
 * unit descriptors (kernel data path) or on a SOCK_SEQPACKET socketpair
 * from datapath (userspace data path), and the few ioctls that tune its
 * own unit.  Building the PPP graph (PPPIOCNEWUNIT, PPPIOCATTACH,
 * PPPIOCATTCHAN, PPPIOCCONNECT, PPPIOCDISCONN, PPPIOCBRIDGECHAN) and
 * loading filters (PPPIOCSPASS, PPPIOCSACTIVE) is the parent's work; those
 * requests, and any other ioctl, kill the child.
 */
static const struct sandbox_rule ppp_sandbox_rules[] = {
	SANDBOX_ALLOW(read, "PPP frames in from /dev/ppp"),
	SANDBOX_ALLOW(write, "PPP frames out to /dev/ppp"),
	SANDBOX_ALLOW(recvmsg, "PPP frames in from datapath (SEQPACKET)"),
	SANDBOX_ALLOW(sendmsg, "PPP frames out to datapath (SEQPACKET)"),
	SANDBOX_ALLOW(recvfrom, "recv(2) on the SEQPACKET socket, in glibc"),
	SANDBOX_ALLOW(sendto, "send(2) on the SEQPACKET socket, in glibc"),
	SANDBOX_IOCTL(PPPIOCGFLAGS, "read the unit's flags"),
	SANDBOX_IOCTL(PPPIOCSFLAGS, "set the unit's flags (as pppd does)"),
	SANDBOX_IOCTL(PPPIOCGMRU, "read the unit's MRU"),
	SANDBOX_IOCTL(PPPIOCSMRU, "set the MRU LCP negotiated"),
	SANDBOX_IOCTL(PPPIOCGUNIT, "which pppN the unit descriptor is"),
	SANDBOX_IOCTL(PPPIOCGCHAN, "which channel the channel descriptor is"),
	SANDBOX_IOCTL(PPPIOCGNPMODE, "read an NCP's mode (pass or drop)"),
	SANDBOX_IOCTL(PPPIOCSNPMODE, "pass IP once IPCP is open, then drop"),
};

/*
 * Two descriptors per session: the /dev/ppp channel and unit
 * descriptors, the way pppd holds them (a userspace session needs only
 * its SEQPACKET socket).  The base covers stdio, the parent channel,
 * epoll and the 16 descriptors imsg may hold received but not yet taken
 * (IMSG_MAXFDQ).
 */
const struct sandbox_policy ppp_sandbox_policy = {
	.sp_role = PROC_PPP,
	.sp_name = "ppp",
	.sp_rules = ppp_sandbox_rules,
	.sp_nrules = sizeof(ppp_sandbox_rules) / sizeof(ppp_sandbox_rules[0]),
	.sp_fds_per_session = 2,
	.sp_fds_base = 32,
};
