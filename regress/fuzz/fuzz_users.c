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


#include <netinet/in.h>
#include <arpa/inet.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "ppp/pool.h"
#include "ppp/users.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
quiet(int pri, const char *line)
{
	(void)pri;
	(void)line;
}

/*
 * The users file comes from the parent, which reads whatever root put in
 * /etc: parse any bytes, then look up the names the file itself holds
 * (its first words), the wildcard and a name from the wire, and build a
 * pool around the static addresses it yields.
 */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct users_db	*db;
	struct users_match m;
	struct in_addr	 st[64], start, end, local;
	struct pool	*pl;
	size_t		 n, i, wl;
	char		 word[32];

	log_set_sink(quiet);
	if ((db = users_parse_buf("fuzz", data, size)) == NULL)
		return (0);
	for (i = 0, wl = 0; i < size && wl < sizeof(word) - 1; i++) {
		if (data[i] == ' ' || data[i] == '\t' || data[i] == '\n')
			break;
		word[wl++] = (char)data[i];
	}
	word[wl] = '\0';
	(void)users_lookup(db, word, wl, "l2tpd", &m);
	(void)users_lookup(db, word, wl, word, &m);
	(void)users_lookup(db, "*", 1, "*", &m);
	(void)users_lookup(db, data, size, "l2tpd", &m);
	if (users_lookup(db, "alice", 5, "l2tpd", &m) == USERS_FOUND &&
	    m.um_secret_len > 0)
		(void)memchr(m.um_secret, 0, m.um_secret_len + 1);

	n = users_static_addrs(db, st, 64);
	if (n > 64)
		n = 64;
	inet_pton(AF_INET, "10.2.0.100", &start);
	inet_pton(AF_INET, "10.2.0.199", &end);
	inet_pton(AF_INET, "10.2.0.1", &local);
	if ((pl = pool_init(start, end, local, st, n)) != NULL) {
		for (i = 0; i < n; i++)
			(void)pool_alloc_static(pl, st[i], 1 + i);
		while (pool_alloc(pl, 1000, &start) == 0)
			;
		pool_free(pl);
	}
	users_free(db);
	return (0);
}
