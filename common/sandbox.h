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


#ifndef L2TPSEC_SANDBOX_H
#define L2TPSEC_SANDBOX_H

#include <stddef.h>
#include <stdint.h>

#include <seccomp.h>

#include "msg.h"

/*
 * Confinement of a child (DESIGN.md, "Processes").  Each role describes
 * what it needs beyond the runtime every child shares (the libevent loop,
 * imsg on fd 3, malloc, the clock; see sandbox.c) in a table beside its
 * main file, one line of reason per entry.  Anything in neither table
 * kills the process, or traps and is logged when `sandbox trap` is set.
 */

/*
 * One entry: allow the call, or make it fail with sr_errno.  With
 * sr_arg n > 0 the entry applies only when (argument n-1 & sr_mask) ==
 * sr_val; several entries for one call are alternatives.
 */
struct sandbox_rule {
	int		 sr_nr;		/* SCMP_SYS(name) */
	int		 sr_errno;	/* 0: allow, else fail with it */
	const char	*sr_why;
	unsigned int	 sr_arg;	/* 0: any arguments; n: test arg n-1 */
	uint64_t	 sr_mask;
	uint64_t	 sr_val;
};

#define SANDBOX_ALLOW(sys, why)						\
	{ SCMP_SYS(sys), 0, (why), 0, 0, 0 }
#define SANDBOX_ERRNO(sys, err, why)					\
	{ SCMP_SYS(sys), (err), (why), 0, 0, 0 }
/* Allowed only when (argument `arg' & mask) == val (arg counts from 0). */
#define SANDBOX_ALLOW_ARG(sys, arg, mask, val, why)			\
	{ SCMP_SYS(sys), 0, (why), (arg) + 1, (mask), (val) }
#define SANDBOX_ERRNO_ARG(sys, err, arg, mask, val, why)		\
	{ SCMP_SYS(sys), (err), (why), (arg) + 1, (mask), (val) }
/* ioctl(2) with one request: the kernel reads the request as 32 bits. */
#define SANDBOX_IOCTL(req, why)						\
	SANDBOX_ALLOW_ARG(ioctl, 1, 0xffffffffULL, (uint32_t)(req), (why))

struct sandbox_policy {
	int				 sp_role;	/* enum proc_role */
	const char			*sp_name;
	const struct sandbox_rule	*sp_rules;
	size_t				 sp_nrules;
	/*
	 * RLIMIT_NOFILE = sp_fds_base + sp_fds_per_session * max sessions:
	 * a file descriptor past it cannot be made or received.
	 */
	unsigned int			 sp_fds_per_session;
	unsigned int			 sp_fds_base;
};

extern const struct sandbox_policy	ike_sandbox_policy;
extern const struct sandbox_policy	l2tp_sandbox_policy;
extern const struct sandbox_policy	ppp_sandbox_policy;
extern const struct sandbox_policy	datapath_sandbox_policy;

/* The rules every child gets before its own table. */
extern const struct sandbox_rule	sandbox_common_rules[];
extern const size_t			sandbox_common_nrules;

/* The policy of a role (enum proc_role); NULL for the parent. */
const struct sandbox_policy	*sandbox_policy(int);

/*
 * Demotes the calling process: chroot, uid/gid and capabilities,
 * no_new_privs, not dumpable, rlimits, then the seccomp filter.  The
 * caller has already loaded everything that needs files.  Returns the
 * enum sandbox_state reached, or -1 after logging why; on -1 the process
 * may be half demoted and must exit.
 */
int	sandbox_demote(const struct msg_child_init *,
	    const struct sandbox_policy *);

#endif
