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


#include <sys/types.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "users.h"

/*
 * The words of the file go through a lexer that is pppd's getword()
 * (pppd/options.c) over a buffer; the entries and their matching are
 * pppd's scan_authfile() (pppd/auth.c), done once at load time into a
 * hash index instead of once per login.  users.h lists where we differ.
 */

#define UL_EOF		(-1)
#define USERS_MAX_MSGS	50	/* then one line saying how many more */

struct users_entry {
	uint32_t	 ue_client;	/* offsets into db_arena */
	uint32_t	 ue_server;
	uint32_t	 ue_secret;
	uint16_t	 ue_client_len;
	uint16_t	 ue_server_len;
	uint16_t	 ue_secret_len;
	uint16_t	 ue_flags;
#define UE_ATFILE	0x01		/* secret is "@/path" */
#define UE_DUP		0x02		/* same columns as an earlier entry */
	int		 ue_line;
	enum users_addr	 ue_addr;
	struct in_addr	 ue_static;
};

struct users_db {
	char		*db_name;
	uint8_t		*db_arena;	/* names and secrets, NUL after each */
	size_t		 db_arena_cap;
	size_t		 db_arena_len;
	struct users_entry *db_ent;
	size_t		 db_nent;
	size_t		 db_entcap;
	uint32_t	*db_index;	/* open addressing, entry + 1, 0 free */
	size_t		 db_nindex;	/* a power of two */
	struct in_addr	*db_static;	/* distinct, ascending */
	size_t		 db_nstatic;
};

/* The lexer's state: a position in the buffer and the line it is on. */
struct ulex {
	const char	*ul_name;
	const uint8_t	*ul_buf;
	size_t		 ul_len;
	size_t		 ul_off;
	int		 ul_line;
	size_t		 ul_prev_off;	/* one step of ungetc() */
	int		 ul_prev_line;
	int		 ul_fatal;	/* the file is refused */
	size_t		 ul_nmsg;
};

struct uword {
	uint8_t		 w_buf[USERS_WORD_MAX + 1];
	size_t		 w_len;
	int		 w_line;	/* where it starts */
	int		 w_newline;	/* first on its line */
};

/* An entry being read: its first three words and what its addresses say. */
struct upending {
	struct uword	 up_w[3];
	size_t		 up_nwords;
	int		 up_line;
	enum users_addr	 up_addr;
	struct in_addr	 up_static;
	char		 up_first[48];	/* first address word, for messages */
	int		 up_bad;	/* ... and we cannot honour it */
	size_t		 up_naddr;	/* address words before any "--" */
	int		 up_extra;	/* address words after the first */
	int		 up_opts;	/* "--" and options after it */
};

static void	 ul_msg(struct ulex *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));

static void
ul_msg(struct ulex *l, const char *fmt, ...)
{
	char		 msg[LOG_LINE_MAX];
	va_list		 ap;

	/* A hostile file must not flood the log. */
	if (l->ul_nmsg++ >= USERS_MAX_MSGS)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	log_warnx("%s", msg);
}

static int
ul_space(int c)
{
	/* isspace() in the C locale, which is what pppd runs in. */
	return (c == ' ' || c == '\t' || c == '\n' || c == '\v' ||
	    c == '\f' || c == '\r');
}

static int
ul_octal(int c)
{
	return (c >= '0' && c <= '7');
}

static int
ul_xdigit(int c)
{
	if (c >= '0' && c <= '9')
		return (c - '0');
	if (c >= 'a' && c <= 'f')
		return (c - 'a' + 10);
	if (c >= 'A' && c <= 'F')
		return (c - 'A' + 10);
	return (-1);
}

/*
 * getc(): the next byte, or UL_EOF.  CR LF reads as one LF, so a file
 * saved on Windows means the same as on Unix.
 */
static int
ul_getc(struct ulex *l)
{
	int	 c;

	l->ul_prev_off = l->ul_off;
	l->ul_prev_line = l->ul_line;
	if (l->ul_off >= l->ul_len)
		return (UL_EOF);
	c = l->ul_buf[l->ul_off++];
	if (c == '\r' && l->ul_off < l->ul_len &&
	    l->ul_buf[l->ul_off] == '\n')
		c = l->ul_buf[l->ul_off++];
	if (c == '\n')
		l->ul_line++;
	return (c);
}

static void
ul_ungetc(struct ulex *l)
{
	l->ul_off = l->ul_prev_off;
	l->ul_line = l->ul_prev_line;
}

static void
ul_store(struct ulex *l, struct uword *w, int c, int *toolong)
{
	if (w->w_len >= USERS_WORD_MAX) {
		if (!*toolong)
			ul_msg(l, "%s:%d: a word longer than %d bytes",
			    l->ul_name, w->w_line, USERS_WORD_MAX);
		*toolong = 1;
		l->ul_fatal = 1;
		return;
	}
	w->w_buf[w->w_len++] = (uint8_t)c;
}

/*
 * pppd's getword(), step for step: 1 and a word in *w, or 0 at the end
 * of the file.  Problems that refuse the file set ul_fatal.
 */
static int
ul_word(struct ulex *l, struct uword *w)
{
	int	 c, escape = 0, comment = 0, quoted = 0, qline = 0;
	int	 value, got, n, d, toolong = 0;

	w->w_len = 0;
	w->w_newline = 0;

	/* Skip white space and comments; backslash-newline is nothing. */
	for (;;) {
		if ((c = ul_getc(l)) == UL_EOF)
			break;
		if (c == '\n') {
			if (!escape) {
				w->w_newline = 1;
				comment = 0;
			} else
				escape = 0;
			continue;
		}
		if (comment)
			continue;
		if (escape)		/* an escaped byte starts a word */
			break;
		if (c == '\\') {
			escape = 1;
			continue;
		}
		if (c == '#') {
			comment = 1;
			continue;
		}
		if (!ul_space(c))
			break;
	}
	w->w_line = l->ul_line;

	if (!escape && (c == '"' || c == '\'')) {
		quoted = c;
		qline = l->ul_line;
		c = ul_getc(l);
	}

	while (c != UL_EOF) {
		if (escape) {
			escape = 0;
			if (c == '\n') {
				c = ul_getc(l);
				continue;
			}
			got = 0;
			switch (c) {
			case 'a':
				value = '\a';
				break;
			case 'b':
				value = '\b';
				break;
			case 'f':
				value = '\f';
				break;
			case 'n':
				value = '\n';
				break;
			case 'r':
				value = '\r';
				break;
			case 's':
				value = ' ';
				break;
			case 't':
				value = '\t';
				break;
			default:
				if (ul_octal(c)) {
					/* \ddd: up to three digits */
					value = 0;
					for (n = 0; n < 3 && ul_octal(c); n++) {
						value = value * 8 + c - '0';
						c = ul_getc(l);
					}
					got = 1;
				} else if (c == 'x') {
					/* \xHH: up to two digits */
					value = 0;
					c = ul_getc(l);
					for (n = 0; n < 2 &&
					    (d = ul_xdigit(c)) != -1; n++) {
						value = (value << 4) + d;
						c = ul_getc(l);
					}
					got = 1;
				} else
					value = c;
				break;
			}
			/* pppd stores the low byte: \777 is 0xff. */
			value &= 0xff;
			if (value == 0) {
				/* pppd's C string would end here. */
				ul_msg(l, "%s:%d: an escape that makes a NUL "
				    "byte", l->ul_name, l->ul_line);
				l->ul_fatal = 1;
			} else
				ul_store(l, w, value, &toolong);
			if (!got)
				c = ul_getc(l);
			continue;
		}

		if (quoted) {
			if (c == quoted)
				break;
		} else if (ul_space(c) || c == '#') {
			ul_ungetc(l);
			break;
		}
		if (c == '\\') {
			escape = 1;
			c = ul_getc(l);
			continue;
		}
		ul_store(l, w, c, &toolong);
		c = ul_getc(l);
	}

	if (c == UL_EOF && quoted) {
		/* pppd would silently read the rest of the file as a word. */
		ul_msg(l, "%s:%d: the %s opened here is never closed",
		    l->ul_name, qline, quoted == '"' ? "double quote (\")" :
		    "single quote (')");
		l->ul_fatal = 1;
	}
	if (c == UL_EOF && w->w_len == 0)
		return (0);
	w->w_buf[w->w_len] = '\0';
	return (1);
}

static uint64_t
users_hash(const uint8_t *client, size_t clen, const uint8_t *server,
    size_t slen)
{
	uint64_t	 h = 0xcbf29ce484222325ULL;	/* FNV-1a */
	size_t		 i;

	for (i = 0; i < clen; i++)
		h = (h ^ client[i]) * 0x100000001b3ULL;
	/* Names hold no NUL, so it separates the two unambiguously. */
	h *= 0x100000001b3ULL;
	for (i = 0; i < slen; i++)
		h = (h ^ server[i]) * 0x100000001b3ULL;
	return (h);
}

static const struct users_entry *
users_find_pair(const struct users_db *db, const uint8_t *client,
    size_t clen, const uint8_t *server, size_t slen)
{
	const struct users_entry *e;
	size_t		 i, mask = db->db_nindex - 1;
	uint32_t	 v;

	if (db->db_nindex == 0)
		return (NULL);
	i = users_hash(client, clen, server, slen) & mask;
	while ((v = db->db_index[i]) != 0) {
		e = &db->db_ent[v - 1];
		if (e->ue_client_len == clen && e->ue_server_len == slen &&
		    memcmp(db->db_arena + e->ue_client, client, clen) == 0 &&
		    memcmp(db->db_arena + e->ue_server, server, slen) == 0)
			return (e);
		i = (i + 1) & mask;
	}
	return (NULL);
}

/*
 * Indexes the entries by (client, server).  A later entry with the same
 * two columns can never be the best match: pppd takes a later entry only
 * when it matches strictly better.
 */
static int
users_index(struct users_db *db, struct ulex *l)
{
	struct users_entry *e;
	const struct users_entry *first;
	size_t		 i, j, n = 16, mask;

	while (n < db->db_nent * 2)
		n <<= 1;
	if ((db->db_index = calloc(n, sizeof(*db->db_index))) == NULL)
		return (-1);
	db->db_nindex = n;
	mask = n - 1;
	for (i = 0; i < db->db_nent; i++) {
		e = &db->db_ent[i];
		first = users_find_pair(db, db->db_arena + e->ue_client,
		    e->ue_client_len, db->db_arena + e->ue_server,
		    e->ue_server_len);
		if (first != NULL) {
			e->ue_flags |= UE_DUP;
			ul_msg(l, "%s:%d: \"%s\" on \"%s\" already has an "
			    "entry at line %d, which wins: this one is never "
			    "used", l->ul_name, e->ue_line,
			    (char *)db->db_arena + e->ue_client,
			    (char *)db->db_arena + e->ue_server,
			    first->ue_line);
			continue;
		}
		j = users_hash(db->db_arena + e->ue_client, e->ue_client_len,
		    db->db_arena + e->ue_server, e->ue_server_len) & mask;
		while (db->db_index[j] != 0)
			j = (j + 1) & mask;
		db->db_index[j] = (uint32_t)i + 1;
	}
	return (0);
}

static int
users_cmp_static(const void *a, const void *b)
{
	const struct users_entry *const *ea = a, *const *eb = b;
	uint32_t	 x = ntohl((*ea)->ue_static.s_addr);
	uint32_t	 y = ntohl((*eb)->ue_static.s_addr);

	if (x != y)
		return (x < y ? -1 : 1);
	/* Then in file order, so messages name the earlier line first. */
	return ((*ea)->ue_line - (*eb)->ue_line);
}

/* Collects the distinct static addresses; warns when users share one. */
static int
users_statics(struct users_db *db, struct ulex *l)
{
	struct users_entry **v;
	const struct users_entry *a = NULL, *b;
	size_t		 i, n = 0;
	char		 s[INET_ADDRSTRLEN];

	for (i = 0; i < db->db_nent; i++)
		if (db->db_ent[i].ue_addr == USERS_ADDR_STATIC &&
		    !(db->db_ent[i].ue_flags & UE_DUP))
			n++;
	if (n == 0)
		return (0);
	if ((v = calloc(n, sizeof(*v))) == NULL ||
	    (db->db_static = calloc(n, sizeof(*db->db_static))) == NULL) {
		free(v);
		return (-1);
	}
	for (i = 0, n = 0; i < db->db_nent; i++)
		if (db->db_ent[i].ue_addr == USERS_ADDR_STATIC &&
		    !(db->db_ent[i].ue_flags & UE_DUP))
			v[n++] = &db->db_ent[i];
	qsort(v, n, sizeof(*v), users_cmp_static);
	for (i = 0; i < n; i++) {
		if (i == 0 || v[i]->ue_static.s_addr !=
		    v[i - 1]->ue_static.s_addr) {
			db->db_static[db->db_nstatic++] = v[i]->ue_static;
			a = v[i];	/* the first line with this address */
			continue;
		}
		/* One user on several servers may well repeat its address. */
		b = v[i];
		if (a->ue_client_len == b->ue_client_len &&
		    memcmp(db->db_arena + a->ue_client,
		    db->db_arena + b->ue_client, a->ue_client_len) == 0)
			continue;
		inet_ntop(AF_INET, &b->ue_static, s, sizeof(s));
		ul_msg(l, "%s:%d: \"%s\" has the address %s, as \"%s\" at "
		    "line %d does: only one of them can be connected at a "
		    "time", l->ul_name, b->ue_line,
		    (char *)db->db_arena + b->ue_client, s,
		    (char *)db->db_arena + a->ue_client, a->ue_line);
	}
	free(v);
	return (0);
}

/* Addresses no client may have (pppd's bad_ip_adrs(), and 0/8). */
static int
users_addr_usable(struct in_addr a)
{
	uint32_t	 h = ntohl(a.s_addr);

	return ((h >> 24) != 0 && (h >> 24) != 127 && (h >> 28) < 14);
}

/*
 * Whether a word is safe to echo in a message: `alice l2tpd my pass *`
 * puts half a password where the address goes, so only words made of
 * what addresses, masks and exclusions are made of are shown.
 */
static int
users_addr_like(const char *w)
{
	return (w[0] != '\0' && strspn(w, "0123456789./!") == strlen(w));
}

/*
 * The fourth and later words: pppd's set_allowed_addrs() walks them in
 * order, stops at "-" (nothing allowed) or "*" (anything), and offers
 * the first single address it finds.  We honour the first word only.
 */
static void
users_addr_word(struct upending *p, const struct uword *w)
{
	if (p->up_opts)
		return;
	if (strcmp((const char *)w->w_buf, "--") == 0) {
		p->up_opts = 1;
		return;
	}
	if (++p->up_naddr > 1) {
		/* pppd also ignores everything after "-" or "*". */
		if (p->up_addr == USERS_ADDR_STATIC || p->up_bad)
			p->up_extra = 1;
		return;
	}
	strlcpy(p->up_first, (const char *)w->w_buf, sizeof(p->up_first));
	if (strcmp(p->up_first, "-") == 0)
		p->up_addr = USERS_ADDR_NONE;
	else if (strcmp(p->up_first, "*") == 0)
		p->up_addr = USERS_ADDR_POOL;
	else if (w->w_len < sizeof(p->up_first) &&
	    inet_pton(AF_INET, p->up_first, &p->up_static) == 1 &&
	    users_addr_usable(p->up_static))
		p->up_addr = USERS_ADDR_STATIC;
	else {
		p->up_addr = USERS_ADDR_NONE;
		p->up_bad = 1;
	}
}

static int
users_arena_add(struct users_db *db, const struct uword *w, uint32_t *off)
{
	if (w->w_len + 1 > db->db_arena_cap - db->db_arena_len)
		return (-1);
	*off = (uint32_t)db->db_arena_len;
	memcpy(db->db_arena + db->db_arena_len, w->w_buf, w->w_len);
	db->db_arena[db->db_arena_len + w->w_len] = '\0';
	db->db_arena_len += w->w_len + 1;
	return (0);
}

/* The pending entry is complete: check it and add it.  -1: no memory. */
static int
users_add(struct users_db *db, struct ulex *l, struct upending *p)
{
	struct users_entry *e, *ne;
	const char	*client = (const char *)p->up_w[0].w_buf;
	const uint8_t	*secret = p->up_w[2].w_buf;
	size_t		 n;

	if (p->up_nwords < 3) {
		/* pppd skips such a line without a word. */
		ul_msg(l, "%s:%d: an entry needs a client, a server and a "
		    "secret: this line is ignored", l->ul_name, p->up_line);
		return (0);
	}
	if (db->db_nent == db->db_entcap) {
		n = db->db_entcap == 0 ? 64 : db->db_entcap * 2;
		if ((ne = reallocarray(db->db_ent, n, sizeof(*ne))) == NULL)
			return (-1);
		db->db_ent = ne;
		db->db_entcap = n;
	}
	e = &db->db_ent[db->db_nent];
	memset(e, 0, sizeof(*e));
	if (users_arena_add(db, &p->up_w[0], &e->ue_client) == -1 ||
	    users_arena_add(db, &p->up_w[1], &e->ue_server) == -1 ||
	    users_arena_add(db, &p->up_w[2], &e->ue_secret) == -1)
		return (-1);	/* cannot happen: the arena is big enough */
	e->ue_client_len = (uint16_t)p->up_w[0].w_len;
	e->ue_server_len = (uint16_t)p->up_w[1].w_len;
	e->ue_secret_len = (uint16_t)p->up_w[2].w_len;
	e->ue_line = p->up_line;
	e->ue_addr = p->up_addr;
	if (e->ue_addr == USERS_ADDR_STATIC)
		e->ue_static = p->up_static;
	db->db_nent++;

	/* pppd reads "@/path" as the file holding the secret. */
	if (secret[0] == '@' && secret[1] == '/') {
		e->ue_flags |= UE_ATFILE;
		ul_msg(l, "%s:%d: \"%s\": the secret is the file %s, which "
		    "l2tpsecd does not read: put the secret itself here; "
		    "until then this user's logins are refused", l->ul_name,
		    p->up_line, client, (const char *)secret + 1);
	}
	if (p->up_naddr == 0)
		ul_msg(l, "%s:%d: \"%s\": no address column, so (as with "
		    "pppd) no address is allowed: write * for one from the "
		    "pool", l->ul_name, p->up_line, client);
	else if (p->up_bad && users_addr_like(p->up_first))
		ul_msg(l, "%s:%d: \"%s\": the address \"%s\" is not "
		    "supported (only *, - or one IPv4 address a client may "
		    "use), so this user gets no address", l->ul_name,
		    p->up_line, client, p->up_first);
	else if (p->up_bad)
		ul_msg(l, "%s:%d: \"%s\": the word after the secret is not "
		    "an address (not shown: it may be part of a secret that "
		    "needs quotes); only *, - or one IPv4 address is "
		    "supported, so this user gets no address", l->ul_name,
		    p->up_line, client);
	else if (p->up_extra)
		ul_msg(l, "%s:%d: \"%s\": only the first address, %s, is "
		    "used; the rest of the list is ignored", l->ul_name,
		    p->up_line, client, p->up_first);
	if (p->up_opts)
		ul_msg(l, "%s:%d: \"%s\": options after -- are not "
		    "supported and are ignored", l->ul_name, p->up_line,
		    client);
	return (0);
}

static void
users_pending_start(struct upending *p, const struct uword *w)
{
	p->up_w[0] = *w;
	p->up_nwords = 1;
	p->up_line = w->w_line;
	p->up_addr = USERS_ADDR_NONE;
	p->up_static.s_addr = INADDR_ANY;
	p->up_first[0] = '\0';
	p->up_naddr = 0;
	p->up_bad = p->up_extra = p->up_opts = 0;
}

struct users_db *
users_parse_buf(const char *name, const uint8_t *buf, size_t len)
{
	struct users_db	*db = NULL;
	struct ulex	 l;
	struct uword	*w = NULL;
	struct upending	*p = NULL;
	const uint8_t	*nul;
	size_t		 i;
	int		 r, line, nomem = 0;

	if (name == NULL)
		name = "users";
	if (len > USERS_FILE_MAX) {
		log_warnx("%s: %zu bytes, more than the %d a users file may "
		    "have", name, len, USERS_FILE_MAX);
		return (NULL);
	}
	if (len > 0 && (nul = memchr(buf, '\0', len)) != NULL) {
		for (line = 1, i = 0; buf + i < nul; i++)
			if (buf[i] == '\n')
				line++;
		log_warnx("%s:%d: a NUL byte: this is not a text file", name,
		    line);
		return (NULL);
	}

	if ((db = calloc(1, sizeof(*db))) == NULL ||
	    (db->db_name = strdup(name)) == NULL ||
	    (w = calloc(1, sizeof(*w))) == NULL ||
	    (p = calloc(1, sizeof(*p))) == NULL)
		goto nomem;
	/* Words never grow: names and secrets fit in the file's size. */
	db->db_arena_cap = len + 2;
	if ((db->db_arena = malloc(db->db_arena_cap)) == NULL)
		goto nomem;

	memset(&l, 0, sizeof(l));
	l.ul_name = name;
	l.ul_buf = buf;
	l.ul_len = len;
	l.ul_line = 1;

	/*
	 * An entry starts at a word that is first on its line and takes
	 * every word up to the next such word.
	 */
	r = ul_word(&l, w);
	while (r == 1) {
		users_pending_start(p, w);
		while ((r = ul_word(&l, w)) == 1 && !w->w_newline) {
			p->up_nwords++;
			if (p->up_nwords <= 3)
				p->up_w[p->up_nwords - 1] = *w;
			else
				users_addr_word(p, w);
		}
		if (users_add(db, &l, p) == -1) {
			nomem = 1;
			break;
		}
	}
	explicit_bzero(w, sizeof(*w));
	explicit_bzero(p, sizeof(*p));
	free(w);
	free(p);
	w = NULL;
	p = NULL;
	if (nomem)
		goto nomem;

	if (!l.ul_fatal && (users_index(db, &l) == -1 ||
	    users_statics(db, &l) == -1))
		goto nomem;
	if (l.ul_nmsg > USERS_MAX_MSGS)
		log_warnx("%s: %zu more problems not shown", name,
		    l.ul_nmsg - USERS_MAX_MSGS);
	if (l.ul_fatal) {
		users_free(db);
		return (NULL);
	}
	return (db);

 nomem:
	log_warnx("%s: out of memory", name);
	if (w != NULL)
		freezero(w, sizeof(*w));
	if (p != NULL)
		freezero(p, sizeof(*p));
	users_free(db);
	return (NULL);
}

void
users_free(struct users_db *db)
{
	if (db == NULL)
		return;
	/* The arena holds every secret; nothing else copies one. */
	if (db->db_arena != NULL)
		freezero(db->db_arena, db->db_arena_cap);
	free(db->db_ent);
	free(db->db_index);
	free(db->db_static);
	free(db->db_name);
	free(db);
}

size_t
users_count(const struct users_db *db)
{
	return (db == NULL ? 0 : db->db_nent);
}

int
users_lookup(const struct users_db *db, const void *client,
    size_t clientlen, const char *server, struct users_match *m)
{
	const struct users_entry *e = NULL;
	const uint8_t	*c = client, *s = (const uint8_t *)server;
	const uint8_t	*star = (const uint8_t *)"*";
	size_t		 slen = strlen(server);

	memset(m, 0, sizeof(*m));
	if (db == NULL)
		return (USERS_UNKNOWN);
	/*
	 * pppd's ranking: both names exact, then the client exact, then the
	 * server exact, then "* *"; the index holds the first entry of each
	 * (client, server) pair, which is the one pppd would take.  A wire
	 * name holding a NUL or longer than any word matches only "*".
	 */
	if ((e = users_find_pair(db, c, clientlen, s, slen)) == NULL &&
	    (e = users_find_pair(db, c, clientlen, star, 1)) == NULL &&
	    (e = users_find_pair(db, star, 1, s, slen)) == NULL &&
	    (e = users_find_pair(db, star, 1, star, 1)) == NULL)
		return (USERS_UNKNOWN);

	if (e->ue_flags & UE_ATFILE) {
		log_warnx("%s:%d: \"%.*s\": the secret there is a file "
		    "(@/...), which l2tpsecd does not read: login refused",
		    db->db_name, e->ue_line,
		    (int)(clientlen > USERS_WORD_MAX ? USERS_WORD_MAX :
		    clientlen), (const char *)client);
		return (USERS_REFUSED);
	}
	m->um_secret = db->db_arena + e->ue_secret;
	m->um_secret_len = e->ue_secret_len;
	m->um_addr = e->ue_addr;
	m->um_static = e->ue_static;
	m->um_line = e->ue_line;
	return (USERS_FOUND);
}

size_t
users_static_addrs(const struct users_db *db, struct in_addr *out,
    size_t max)
{
	size_t	 i;

	if (db == NULL)
		return (0);
	for (i = 0; i < db->db_nstatic && i < max; i++)
		out[i] = db->db_static[i];
	return (db->db_nstatic);
}
