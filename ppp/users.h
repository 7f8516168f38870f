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


#ifndef L2TPSEC_USERS_H
#define L2TPSEC_USERS_H

#include <netinet/in.h>

#include <stddef.h>
#include <stdint.h>

/*
 * The user database: a pppd chap-secrets file, read as pppd reads it so
 * that an existing file moves over unchanged.
 *
 *   # client	server	secret		addresses
 *   alice	l2tpd	"pa ss"		10.2.0.50
 *   bob	*	secret2		*
 *
 * Words are read exactly as pppd's getword() (options.c) reads them:
 * separated by white space; '#' outside quotes starts a comment that
 * runs to the end of the line; a word that starts with " or ' runs to the
 * same quote, white space, '#' and line breaks included; a quote inside
 * a word is an ordinary byte.  Backslash escapes, quoted or not: \a \b
 * \f \n \r \s (space) \t, \NNN (one to three octal digits), \xHH (one or
 * two hex digits), backslash-newline is nothing at all (a line
 * continues), and a backslash before any other byte is that byte (\\ \"
 * \' \# and "\ " among them).
 *
 * An entry is the words from one that starts a line up to the next such
 * word, so a line break inside quotes or after a backslash does not end
 * it: pppd's rule.  The columns: client name, server name (`*` in either
 * means any), secret, then the addresses the client may use:
 *
 *   *		any: one from the pool
 *   A.B.C.D	that address, the user's own (static)
 *   -		none at all
 *   (nothing)	none at all, as pppd does with `auth`: the user can
 *		authenticate but IPCP refuses every address.  A warning at
 *		load time says to write `*`.
 *
 * Where we differ from pppd (all but the last towards granting less):
 *  - a secret `@/path` makes pppd read the secret from that file; the ppp
 *    child reads no files, so such an entry stays (a wildcard entry must
 *    not take its place) and every login it matches is refused, with a
 *    warning at load time and a log line at login;
 *  - an address list is honoured only when its first word is `*`, `-`
 *    or one IPv4 address (then that address, which is also the one pppd
 *    offers first); further words are ignored with a warning.  A first
 *    word we cannot honour (a subnet, a host name, a `!` exclusion, an
 *    address no client may use) leaves the user with no address and a
 *    warning naming file:line (the word itself is shown only when it is
 *    made of digits, dots, '/' and '!': elsewhere it may be half of a
 *    secret someone forgot to quote);
 *  - per-user options after `--` are ignored with a warning;
 *  - a word longer than USERS_WORD_MAX, an unterminated quote, a NUL byte
 *    (raw or from an escape) and a file over USERS_FILE_MAX refuse the
 *    whole file, where pppd would truncate, read on to the end or stop at
 *    the NUL;
 *  - a CR right before a line feed is part of the line break (files
 *    edited on Windows), even inside quotes;
 *  - the peer's name is compared as the bytes it sent.  pppd first
 *    escapes it with its %v format (a byte >= 0x80 becomes "M-" and the
 *    low seven bits, a NUL ends it), so an entry for a non-ASCII name as
 *    an editor writes it never matched under pppd and does here.
 *
 * Matching is pppd's scan_authfile(): names are compared byte for byte
 * (case matters); the entry matching both names exactly wins over one
 * with only the client exact, which wins over one with only the server
 * exact, which wins over `* *`; among equals the first in the file wins.
 * A later entry with the same client and server columns as an earlier one
 * can never win, so it draws a warning naming both lines.
 */

#define USERS_WORD_MAX	256		/* pppd's MAXSECRETLEN */
#define USERS_FILE_MAX	(4 * 1024 * 1024)

enum users_addr {
	USERS_ADDR_NONE = 0,	/* "-" or no address column */
	USERS_ADDR_POOL,	/* "*": one from the pool */
	USERS_ADDR_STATIC	/* um_static, the user's own */
};

/* What a login gets from the entry that matched. */
struct users_match {
	const uint8_t	*um_secret;	/* owned by the db, NUL after it */
	size_t		 um_secret_len;
	enum users_addr	 um_addr;
	struct in_addr	 um_static;	/* USERS_ADDR_STATIC, else 0 */
	int		 um_line;	/* of the entry, for logs */
};

#define USERS_FOUND	 0
#define USERS_UNKNOWN	-1	/* no entry matches; nothing logged */
#define USERS_REFUSED	-2	/* the best entry cannot be used; logged */

struct users_db;

/*
 * Parses a whole file's bytes (the parent reads the file, the ppp child
 * parses it).  name is only for messages, each logged as "name:line: ..."
 * through log_warnx().  NULL, with the reasons logged, when the file
 * cannot be read as a whole (see above) or memory runs out; entries that
 * are merely odd draw a warning and the rest of the file still counts.
 */
struct users_db	*users_parse_buf(const char *name, const uint8_t *buf,
		    size_t len);
/* Wipes every secret (and name) before freeing.  NULL is fine. */
void		 users_free(struct users_db *);
/* Entries read, duplicates included; a line too short is not an entry. */
size_t		 users_count(const struct users_db *);

/*
 * The secret and addresses for `client` (the name the peer gave, bytes
 * from the wire, any length) authenticating to us as `server` (our
 * name).  USERS_FOUND with *m filled in, USERS_UNKNOWN, or USERS_REFUSED
 * (logged with file:line: the entry's secret is an @/file).  A match with
 * USERS_ADDR_NONE is still found: the caller refuses the login, since
 * the session could carry no IP.  um_secret lives until users_free().
 */
int		 users_lookup(const struct users_db *, const void *client,
		    size_t clientlen, const char *server, struct users_match *);

/*
 * The distinct static addresses of the database, ascending, for the pool
 * to keep out of dynamic assignment.  Writes at most max of them into
 * out and returns how many there are (call with 0 to size the array).
 */
size_t		 users_static_addrs(const struct users_db *, struct in_addr *,
		    size_t max);

#endif
