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


#ifndef L2TPSEC_ADDR_H
#define L2TPSEC_ADDR_H

#include <sys/socket.h>

#include <stddef.h>
#include <stdint.h>

/* "192.0.2.1:500" or "[2001:db8::1]:500": a peer, as logs and JSON say. */
const char	*sockaddr_str(const struct sockaddr_storage *, char *, size_t);
/* Address, then port; 0 when equal. */
int		 sockaddr_cmp(const struct sockaddr_storage *,
		    const struct sockaddr_storage *);
socklen_t	 sockaddr_len(const struct sockaddr_storage *);
/* The port in host order (0 for a family without one), and setting it. */
uint16_t	 sockaddr_port(const struct sockaddr_storage *);
void		 sockaddr_set_port(struct sockaddr_storage *, uint16_t);

#define SOCKADDR_STRLEN	64

#endif
