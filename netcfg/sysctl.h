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


#ifndef L2TPSEC_SYSCTL_H
#define L2TPSEC_SYSCTL_H

#include <stddef.h>

/*
 * The kernel settings a server needs (parent only), written through
 * /proc/sys of the daemon's network namespace.  sysctl_apply() saves
 * each old value and writes ours where it differs; sysctl_restore()
 * writes back exactly the old values of what it changed, in reverse
 * order, and forgets them, so calling it again does nothing.  The list
 * and the reason for each entry are in sysctl.c.
 *
 * sysctl_apply() returns 0, or -1 if some entry could not be read or
 * written (each logged; the others are still applied and will still be
 * restored).  A read-only /proc/sys (a container) is such a case: the
 * daemon can run, but clients reach only the server itself.
 */
int		 sysctl_apply(void);
void		 sysctl_restore(void);

/* For tests and `show status`: the entries, by index. */
size_t		 sysctl_count(void);
const char	*sysctl_key(size_t);		/* "net.ipv4.ip_forward" */
const char	*sysctl_value(size_t);		/* what we write */
/* The saved old value if we changed the entry, else NULL. */
const char	*sysctl_saved(size_t);

#endif
