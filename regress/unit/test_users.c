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

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/log.h"
#include "ppp/users.h"
#include "test.h"

T_DEFINE_GLOBALS;

/* Every secret in these tests carries it: no log line ever may. */
#define MARK		"s3cr3t"

#define MAX_LINES	256
static char		*lines[MAX_LINES];
static size_t		 nlines;
static int		 secret_logged;

static void
capture_reset(void)
{
	size_t	 i;

	for (i = 0; i < nlines; i++)
		free(lines[i]);
	nlines = 0;
}

/* Keeps each line without the "test_users: " prefix. */
static void
capture(int pri, const char *line)
{
	const char	*prefix = "test_users: ";

	(void)pri;
	if (strstr(line, MARK) != NULL) {
		printf("# a secret was logged: %s\n", line);
		secret_logged = 1;
	}
	if (strncmp(line, prefix, strlen(prefix)) == 0)
		line += strlen(prefix);
	if (nlines < MAX_LINES && (lines[nlines] = strdup(line)) != NULL)
		nlines++;
}

static int
logged(const char *want)
{
	size_t	 i;

	for (i = 0; i < nlines; i++)
		if (strcmp(lines[i], want) == 0)
			return (1);
	printf("# not logged: %s\n", want);
	for (i = 0; i < nlines; i++)
		printf("#   got: %s\n", lines[i]);
	return (0);
}

/*
 * The secrets live in memory the db frees with freezero(): this one, as
 * the executable's definition, wins over libbsd's and notes whether a
 * wiped buffer held a secret.
 */
static int		 wiped_secret;

void
freezero(void *p, size_t n)
{
	if (p == NULL)
		return;
	if (n >= strlen(MARK) && memmem(p, n, MARK, strlen(MARK)) != NULL)
		wiped_secret = 1;
	explicit_bzero(p, n);
	free(p);
}

static struct users_db *
parse(const char *text)
{
	capture_reset();
	return (users_parse_buf("chap-secrets", (const uint8_t *)text,
	    strlen(text)));
}

/* Looks client up on server and checks the secret; returns um_addr. */
static int
lookup(struct users_db *db, const char *client, const char *server,
    const char *secret, struct users_match *m)
{
	struct users_match mm;
	int		 r;

	if (m == NULL)
		m = &mm;
	r = users_lookup(db, client, strlen(client), server, m);
	if (r != USERS_FOUND) {
		printf("# lookup %s on %s: %d\n", client, server, r);
		return (-1);
	}
	if (m->um_secret_len != strlen(secret) ||
	    memcmp(m->um_secret, secret, m->um_secret_len) != 0 ||
	    m->um_secret[m->um_secret_len] != '\0') {
		printf("# lookup %s on %s: secret \"%.*s\", want \"%s\"\n",
		    client, server, (int)m->um_secret_len,
		    (const char *)m->um_secret, secret);
		return (-1);
	}
	return ((int)m->um_addr);
}

static int
is_addr(struct in_addr a, const char *s)
{
	struct in_addr	 b;

	return (inet_pton(AF_INET, s, &b) == 1 && a.s_addr == b.s_addr);
}

/*
 * Debian's /etc/ppp/chap-secrets as the ppp package ships it, then what
 * an xl2tpd + pppd L2TP/IPsec server typically adds to it.
 */
static const char debian_file[] =
    "# Secrets for authentication using CHAP\n"
    "# client\tserver\tsecret\t\t\tIP addresses\n"
    "\n"
    "# L2TP/IPsec road warriors (was xl2tpd + pppd, \"name l2tpd\")\n"
    "alice\tl2tpd\t\"pa ss " MARK "\"\t10.2.0.50\n"
    "bob\t*\tsecret2" MARK "\t*\n"
    "\"carol smith\"\tl2tpd\t'single \"quoted\" " MARK "'\t*\n"
    "dave\tl2tpd\t\"say \\\"hi\\\" " MARK "\"\t*\t# a trailing comment\n"
    "erin\tl2tpd\tpw" MARK "#this is a comment\t*\n"
    "erin2\tl2tpd\tpw" MARK "\t*#no space before the comment\n"
    "frank\tl2tpd\t\"hash # inside " MARK "\"\t*\n"
    "  \t  # an indented comment\n"
    "    grace   l2tpd   g" MARK "   10.2.0.51   \n"
    "Heidi\tl2tpd\tH" MARK "\t*\n"
    "# the last line has no newline\n"
    "ivan\tl2tpd\ti" MARK "\t*";

static void
check_debian(struct users_db *db)
{
	struct users_match m;

	T_ASSERT_RET(db != NULL);
	T_ASSERT(users_count(db) == 10);
	T_ASSERT(lookup(db, "alice", "l2tpd", "pa ss " MARK, &m) ==
	    USERS_ADDR_STATIC && is_addr(m.um_static, "10.2.0.50") &&
	    m.um_line == 5);
	T_ASSERT(lookup(db, "bob", "l2tpd", "secret2" MARK, &m) ==
	    USERS_ADDR_POOL && m.um_static.s_addr == 0);
	T_ASSERT(lookup(db, "bob", "elsewhere", "secret2" MARK, NULL) ==
	    USERS_ADDR_POOL);
	T_ASSERT(lookup(db, "carol smith", "l2tpd",
	    "single \"quoted\" " MARK, NULL) == USERS_ADDR_POOL);
	T_ASSERT(lookup(db, "dave", "l2tpd", "say \"hi\" " MARK, NULL) ==
	    USERS_ADDR_POOL);
	/* An unquoted '#' ends the word: pppd does the same. */
	T_ASSERT(lookup(db, "erin", "l2tpd", "pw" MARK, &m) ==
	    USERS_ADDR_NONE);
	T_ASSERT(lookup(db, "erin2", "l2tpd", "pw" MARK, NULL) ==
	    USERS_ADDR_POOL);
	T_ASSERT(lookup(db, "frank", "l2tpd", "hash # inside " MARK, NULL) ==
	    USERS_ADDR_POOL);
	T_ASSERT(lookup(db, "grace", "l2tpd", "g" MARK, &m) ==
	    USERS_ADDR_STATIC && is_addr(m.um_static, "10.2.0.51"));
	T_ASSERT(lookup(db, "ivan", "l2tpd", "i" MARK, &m) ==
	    USERS_ADDR_POOL && m.um_line == 16);
	/* Names are compared as bytes: case matters, as in pppd. */
	T_ASSERT(users_lookup(db, "Alice", 5, "l2tpd", &m) == USERS_UNKNOWN);
	T_ASSERT(users_lookup(db, "heidi", 5, "l2tpd", &m) == USERS_UNKNOWN);
	T_ASSERT(lookup(db, "Heidi", "l2tpd", "H" MARK, NULL) ==
	    USERS_ADDR_POOL);
	T_ASSERT(users_lookup(db, "alice", 5, "L2TPD", &m) == USERS_UNKNOWN);
	/* A wire name with a NUL is not "alice". */
	T_ASSERT(users_lookup(db, "alice\0x", 7, "l2tpd", &m) ==
	    USERS_UNKNOWN);
	T_ASSERT(users_lookup(db, "alic", 4, "l2tpd", &m) == USERS_UNKNOWN);
	T_ASSERT(users_lookup(db, "", 0, "l2tpd", &m) == USERS_UNKNOWN);
}

static void
test_users_debian_file(void)
{
	struct users_db	*db;
	struct in_addr	 st[4];

	db = parse(debian_file);
	check_debian(db);
	/* erin's address column is all comment: one warning, for it. */
	T_ASSERT(nlines == 1 && logged("chap-secrets:9: \"erin\": no "
	    "address column, so (as with pppd) no address is allowed: write "
	    "* for one from the pool"));
	T_ASSERT(users_static_addrs(db, st, 4) == 2);
	T_ASSERT(is_addr(st[0], "10.2.0.50") && is_addr(st[1], "10.2.0.51"));
	T_ASSERT(users_static_addrs(db, NULL, 0) == 2);
	users_free(db);
}

/* The same file saved on Windows reads the same. */
static void
test_users_crlf(void)
{
	struct users_db	*db;
	char		*crlf, *o;
	const char	*p;

	T_ASSERT_RET((crlf = malloc(2 * sizeof(debian_file))) != NULL);
	for (o = crlf, p = debian_file; *p != '\0'; p++) {
		if (*p == '\n')
			*o++ = '\r';
		*o++ = *p;
	}
	*o = '\0';
	db = parse(crlf);
	check_debian(db);
	T_ASSERT(nlines == 1);
	users_free(db);

	/* Backslash-CR-LF continues a line like backslash-LF. */
	db = parse("alice l2tpd \\\r\n  a" MARK " *\r\n");
	T_ASSERT(db != NULL && users_count(db) == 1 && nlines == 0);
	T_ASSERT(lookup(db, "alice", "l2tpd", "a" MARK, NULL) ==
	    USERS_ADDR_POOL);
	users_free(db);
	/* A lone CR is white space. */
	db = parse("alice\rl2tpd\ra" MARK "\r*\n");
	T_ASSERT(db != NULL && users_count(db) == 1);
	T_ASSERT(lookup(db, "alice", "l2tpd", "a" MARK, NULL) ==
	    USERS_ADDR_POOL);
	users_free(db);
	free(crlf);
}

/* pppd's scan_authfile(): exact beats wildcard, client before server. */
static void
test_users_precedence(void)
{
	static const char *const orders[2] = {
	    "* * wildall" MARK " *\n"
	    "alice * alice-any" MARK " *\n"
	    "* l2tpd wild-l2tpd" MARK " *\n"
	    "alice l2tpd alice-exact" MARK " 10.2.0.50\n",
	    "alice l2tpd alice-exact" MARK " 10.2.0.50\n"
	    "* l2tpd wild-l2tpd" MARK " *\n"
	    "alice * alice-any" MARK " *\n"
	    "* * wildall" MARK " *\n",
	};
	struct users_db	*db;
	struct users_match m;
	size_t		 i;

	for (i = 0; i < 2; i++) {
		db = parse(orders[i]);
		T_ASSERT_RET(db != NULL && nlines == 0);
		T_ASSERT(lookup(db, "alice", "l2tpd", "alice-exact" MARK,
		    &m) == USERS_ADDR_STATIC);
		T_ASSERT(lookup(db, "alice", "other", "alice-any" MARK,
		    NULL) == USERS_ADDR_POOL);
		T_ASSERT(lookup(db, "zed", "l2tpd", "wild-l2tpd" MARK,
		    NULL) == USERS_ADDR_POOL);
		T_ASSERT(lookup(db, "zed", "other", "wildall" MARK, NULL) ==
		    USERS_ADDR_POOL);
		/* The wildcard takes any wire name, even odd ones. */
		T_ASSERT(users_lookup(db, "a\0b", 3, "other", &m) ==
		    USERS_FOUND && m.um_secret_len == strlen("wildall" MARK));
		users_free(db);
	}

	/* The client column outranks the server column (NONWILD_CLIENT). */
	db = parse("* l2tpd server-exact" MARK " *\n"
	    "alice * client-exact" MARK " *\n");
	T_ASSERT(lookup(db, "alice", "l2tpd", "client-exact" MARK, NULL) ==
	    USERS_ADDR_POOL);
	users_free(db);

	/* Among equals the first wins, and the later one is named. */
	db = parse("alice l2tpd first" MARK " *\n"
	    "bob l2tpd b" MARK " *\n"
	    "alice l2tpd second" MARK " 10.2.0.9\n"
	    "alice  l2tpd  third" MARK "\n");
	T_ASSERT_RET(db != NULL);
	T_ASSERT(users_count(db) == 4);
	T_ASSERT(lookup(db, "alice", "l2tpd", "first" MARK, NULL) ==
	    USERS_ADDR_POOL);
	T_ASSERT(logged("chap-secrets:3: \"alice\" on \"l2tpd\" already has "
	    "an entry at line 1, which wins: this one is never used"));
	T_ASSERT(logged("chap-secrets:4: \"alice\" on \"l2tpd\" already has "
	    "an entry at line 1, which wins: this one is never used"));
	/* A never-used entry's address is not a static address. */
	T_ASSERT(users_static_addrs(db, NULL, 0) == 0);
	users_free(db);

	/* Only "*" is a wildcard; "*x" and "" are names. */
	db = parse("*x * a" MARK " *\n\"\" * e" MARK " *\n");
	T_ASSERT(users_lookup(db, "bob", 3, "l2tpd", &m) == USERS_UNKNOWN);
	T_ASSERT(lookup(db, "*x", "l2tpd", "a" MARK, NULL) ==
	    USERS_ADDR_POOL);
	T_ASSERT(lookup(db, "", "l2tpd", "e" MARK, NULL) == USERS_ADDR_POOL);
	users_free(db);

	/* No entry, no file: nobody. */
	db = parse("# nothing\n");
	T_ASSERT(db != NULL && users_count(db) == 0 && nlines == 0);
	T_ASSERT(users_lookup(db, "alice", 5, "l2tpd", &m) == USERS_UNKNOWN);
	users_free(db);
	db = parse("");
	T_ASSERT(db != NULL && users_count(db) == 0);
	users_free(db);
	T_ASSERT(users_lookup(NULL, "alice", 5, "l2tpd", &m) ==
	    USERS_UNKNOWN);
}

/*
 * pppd's getword(): every escape it knows, quotes only at a word's
 * start, a closing quote ends the word, backslash-newline is nothing.
 */
static void
test_users_words(void)
{
	static const struct {
		const char	*text;	/* the secret column as written */
		const char	*want;
		size_t		 wantlen;
	} t[] = {
		{ "\"\\a\\b\\f\\n\\r\\s\\t\"", "\a\b\f\n\r \t", 7 },
		{ "\\101\\x42\\x4z", "AB\004z", 4 },
		{ "\\1011", "A1", 2 },		/* at most three digits */
		{ "\\777\\x7Fx", "\377\177x", 3 },	/* the low byte */
		{ "\\q\\\\\\\"\\'\\#\\*", "q\\\"'#*", 6 },
		{ "a\\ b", "a b", 3 },
		{ "ab\\\ncd", "abcd", 4 },	/* a continued word */
		{ "\"two\nlines\"", "two\nlines", 9 },
		{ "'say \"hi\"'", "say \"hi\"", 8 },
		{ "\"it's\"", "it's", 4 },
		{ "ab\"cd\"", "ab\"cd\"", 6 },	/* not a quote mid-word */
		{ "\"\"", "", 0 },
		{ "\"#\"", "#", 1 },
		{ "\\#x", "#x", 2 },
		{ "caf\xc3\xa9\xff", "caf\xc3\xa9\xff", 6 },
	};
	struct users_db	*db;
	struct users_match m;
	char		 buf[USERS_WORD_MAX + 1];
	size_t		 i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		snprintf(buf, sizeof(buf), "alice l2tpd %s *\n", t[i].text);
		db = parse(buf);
		if (db == NULL || users_lookup(db, "alice", 5, "l2tpd", &m) !=
		    USERS_FOUND || m.um_secret_len != t[i].wantlen ||
		    memcmp(m.um_secret, t[i].want, t[i].wantlen) != 0 ||
		    m.um_addr != USERS_ADDR_POOL || nlines != 0) {
			printf("# word %zu: %s\n", i, t[i].text);
			T_ASSERT(0);
		}
		users_free(db);
	}

	/* A closing quote ends the word: "ab"cd is two words. */
	db = parse("alice l2tpd \"ab\"cd *\n");
	T_ASSERT(lookup(db, "alice", "l2tpd", "ab", NULL) ==
	    USERS_ADDR_NONE);
	T_ASSERT(nlines == 1);
	users_free(db);
	/* The classic mistake: a secret with a space, unquoted. */
	db = parse("alice l2tpd my pass" MARK " *\n");
	T_ASSERT(lookup(db, "alice", "l2tpd", "my", NULL) ==
	    USERS_ADDR_NONE);
	T_ASSERT(logged("chap-secrets:1: \"alice\": the word after the "
	    "secret is not an address (not shown: it may be part of a secret "
	    "that needs quotes); only *, - or one IPv4 address is supported, "
	    "so this user gets no address"));
	users_free(db);

	/*
	 * Backslash-newline continues an entry; so does a quoted line break.
	 * A word first on a line starts a new entry even after a short one.
	 */
	db = parse("alice \\\n l2tpd \\\n a" MARK " \\\n *\n"
	    "bob l2tpd \"b\n" MARK "\" 10.2.0.7\n"
	    "carol\n"
	    "dave l2tpd\n"
	    "erin l2tpd e" MARK " *\n");
	T_ASSERT_RET(db != NULL);
	T_ASSERT(users_count(db) == 3);
	T_ASSERT(lookup(db, "alice", "l2tpd", "a" MARK, NULL) ==
	    USERS_ADDR_POOL);
	T_ASSERT(lookup(db, "bob", "l2tpd", "b\n" MARK, &m) ==
	    USERS_ADDR_STATIC && m.um_line == 5);
	T_ASSERT(lookup(db, "erin", "l2tpd", "e" MARK, &m) ==
	    USERS_ADDR_POOL && m.um_line == 9);
	T_ASSERT(logged("chap-secrets:7: an entry needs a client, a server "
	    "and a secret: this line is ignored"));
	T_ASSERT(logged("chap-secrets:8: an entry needs a client, a server "
	    "and a secret: this line is ignored"));
	T_ASSERT(nlines == 2);
	users_free(db);

	/* A comment's backslash does not continue it. */
	db = parse("# comment \\\nalice l2tpd a" MARK " *\n");
	T_ASSERT(db != NULL && users_count(db) == 1);
	users_free(db);

	/* The longest word there may be, and names as long. */
	memset(buf, 'x', USERS_WORD_MAX);
	buf[USERS_WORD_MAX] = '\0';
	{
		char	 text[4 * USERS_WORD_MAX];

		snprintf(text, sizeof(text), "%s l2tpd %s *\n", buf, buf);
		db = parse(text);
		T_ASSERT(db != NULL && nlines == 0);
		T_ASSERT(lookup(db, buf, "l2tpd", buf, NULL) ==
		    USERS_ADDR_POOL);
		users_free(db);
	}
}

static void
test_users_addresses(void)
{
	struct users_db	*db;
	struct users_match m;
	struct in_addr	 st[8];

	db = parse(
	    "a1 * p" MARK " -\n"
	    "a2 * p" MARK " *\n"
	    "a3 * p" MARK " * 10.9.9.9\n"
	    "a4 * p" MARK " 10.2.0.50\n"
	    "a5 * p" MARK " 10.2.0.60 10.2.0.61\n"
	    "a6 * p" MARK " 10.2.0.0/24\n"
	    "a7 * p" MARK " !10.2.0.5 *\n"
	    "a8 * p" MARK " vpn.example.org\n"
	    "a9 * p" MARK " 127.0.0.1\n"
	    "b1 * p" MARK " 10.2.0.70 -- idle 300\n"
	    "b2 * p" MARK " -- mtu 1400\n"
	    "b3 * p" MARK " 10.2.0.050\n"
	    "b4 * p" MARK "\n"
	    "b5 * p" MARK " 10.2.0.50\n"
	    "a4 other p" MARK " 10.2.0.50\n"
	    "b6 * p" MARK " 224.0.0.1\n");
	T_ASSERT_RET(db != NULL);
	T_ASSERT(users_count(db) == 16);
	T_ASSERT(lookup(db, "a1", "l2tpd", "p" MARK, NULL) ==
	    USERS_ADDR_NONE);
	T_ASSERT(lookup(db, "a2", "l2tpd", "p" MARK, NULL) ==
	    USERS_ADDR_POOL);
	T_ASSERT(lookup(db, "a3", "l2tpd", "p" MARK, NULL) ==
	    USERS_ADDR_POOL);
	T_ASSERT(lookup(db, "a4", "l2tpd", "p" MARK, &m) ==
	    USERS_ADDR_STATIC && is_addr(m.um_static, "10.2.0.50"));
	T_ASSERT(lookup(db, "a5", "l2tpd", "p" MARK, &m) ==
	    USERS_ADDR_STATIC && is_addr(m.um_static, "10.2.0.60"));
	T_ASSERT(lookup(db, "a6", "l2tpd", "p" MARK, NULL) ==
	    USERS_ADDR_NONE);
	T_ASSERT(lookup(db, "a7", "l2tpd", "p" MARK, NULL) ==
	    USERS_ADDR_NONE);
	T_ASSERT(lookup(db, "a8", "l2tpd", "p" MARK, NULL) ==
	    USERS_ADDR_NONE);
	T_ASSERT(lookup(db, "a9", "l2tpd", "p" MARK, NULL) ==
	    USERS_ADDR_NONE);
	T_ASSERT(lookup(db, "b1", "l2tpd", "p" MARK, &m) ==
	    USERS_ADDR_STATIC && is_addr(m.um_static, "10.2.0.70"));
	T_ASSERT(lookup(db, "b2", "l2tpd", "p" MARK, NULL) ==
	    USERS_ADDR_NONE);
	/* pppd's inet_addr() reads 050 as octal: we refuse to guess. */
	T_ASSERT(lookup(db, "b3", "l2tpd", "p" MARK, NULL) ==
	    USERS_ADDR_NONE);
	T_ASSERT(lookup(db, "b4", "l2tpd", "p" MARK, NULL) ==
	    USERS_ADDR_NONE);
	T_ASSERT(lookup(db, "b6", "l2tpd", "p" MARK, NULL) ==
	    USERS_ADDR_NONE);

	T_ASSERT(logged("chap-secrets:5: \"a5\": only the first address, "
	    "10.2.0.60, is used; the rest of the list is ignored"));
	T_ASSERT(logged("chap-secrets:6: \"a6\": the address \"10.2.0.0/24\" "
	    "is not supported (only *, - or one IPv4 address a client may "
	    "use), so this user gets no address"));
	T_ASSERT(logged("chap-secrets:7: \"a7\": the address \"!10.2.0.5\" "
	    "is not supported (only *, - or one IPv4 address a client may "
	    "use), so this user gets no address"));
	/* A host name: or half of a secret someone forgot to quote. */
	T_ASSERT(logged("chap-secrets:8: \"a8\": the word after the secret "
	    "is not an address (not shown: it may be part of a secret that "
	    "needs quotes); only *, - or one IPv4 address is supported, so "
	    "this user gets no address"));
	T_ASSERT(logged("chap-secrets:9: \"a9\": the address \"127.0.0.1\" "
	    "is not supported (only *, - or one IPv4 address a client may "
	    "use), so this user gets no address"));
	T_ASSERT(logged("chap-secrets:10: \"b1\": options after -- are not "
	    "supported and are ignored"));
	T_ASSERT(logged("chap-secrets:11: \"b2\": no address column, so (as "
	    "with pppd) no address is allowed: write * for one from the "
	    "pool"));
	T_ASSERT(logged("chap-secrets:11: \"b2\": options after -- are not "
	    "supported and are ignored"));
	T_ASSERT(logged("chap-secrets:13: \"b4\": no address column, so (as "
	    "with pppd) no address is allowed: write * for one from the "
	    "pool"));
	T_ASSERT(logged("chap-secrets:14: \"b5\" has the address 10.2.0.50, "
	    "as \"a4\" at line 4 does: only one of them can be connected at "
	    "a time"));
	/* "-", "*" and a4 repeating its own address say nothing. */
	T_ASSERT(nlines == 12);

	T_ASSERT(users_static_addrs(db, st, 8) == 3);
	T_ASSERT(is_addr(st[0], "10.2.0.50") && is_addr(st[1], "10.2.0.60") &&
	    is_addr(st[2], "10.2.0.70"));
	T_ASSERT(users_static_addrs(db, st, 1) == 3);
	users_free(db);
}

/* pppd reads "@/path" from that file; the ppp child reads no files. */
static void
test_users_atfile(void)
{
	struct users_db	*db;
	struct users_match m;

	db = parse("alice * @/etc/ppp/alice.secret *\n"
	    "* * fallback" MARK " *\n"
	    "bob * @home" MARK " *\n");
	T_ASSERT_RET(db != NULL);
	T_ASSERT(logged("chap-secrets:1: \"alice\": the secret is the file "
	    "/etc/ppp/alice.secret, which l2tpsecd does not read: put the "
	    "secret itself here; until then this user's logins are "
	    "refused"));
	T_ASSERT(nlines == 1);
	capture_reset();
	/* Refused, not handed to the wildcard: that is another secret. */
	T_ASSERT(users_lookup(db, "alice", 5, "l2tpd", &m) == USERS_REFUSED);
	T_ASSERT(m.um_secret == NULL);
	T_ASSERT(logged("chap-secrets:1: \"alice\": the secret there is a "
	    "file (@/...), which l2tpsecd does not read: login refused"));
	T_ASSERT(lookup(db, "carol", "l2tpd", "fallback" MARK, NULL) ==
	    USERS_ADDR_POOL);
	/* Only "@/" is a file for pppd: "@home" is a secret. */
	T_ASSERT(lookup(db, "bob", "l2tpd", "@home" MARK, NULL) ==
	    USERS_ADDR_POOL);
	users_free(db);
}

/* Problems that refuse the whole file, each named exactly. */
static void
test_users_errors(void)
{
	static const struct {
		const char	*text;
		size_t		 len;	/* 0: strlen */
		const char	*msg;
	} t[] = {
		{ "alice l2tpd ok *\nbob l2tpd \"open " MARK " *\n\n", 0,
		  "chap-secrets:2: the double quote (\") opened here is "
		  "never closed" },
		{ "alice l2tpd ok *\n\nbob 'l2tpd\n", 0,
		  "chap-secrets:3: the single quote (') opened here is "
		  "never closed" },
		{ "alice l2tpd ok *\nbob l2tpd x\0y *\n", 33,
		  "chap-secrets:2: a NUL byte: this is not a text file" },
		{ "\0", 1,
		  "chap-secrets:1: a NUL byte: this is not a text file" },
		{ "a\n\nb l2tpd x\\0 *\n", 0,
		  "chap-secrets:3: an escape that makes a NUL byte" },
		{ "a l2tpd \"x\\x00\" *\n", 0,
		  "chap-secrets:1: an escape that makes a NUL byte" },
		{ "a l2tpd \\400 *\n", 0,
		  "chap-secrets:1: an escape that makes a NUL byte" },
		{ "a l2tpd \\x *\n", 0,
		  "chap-secrets:1: an escape that makes a NUL byte" },
	};
	struct users_db	*db;
	char		*big;
	size_t		 i, n;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		capture_reset();
		n = t[i].len != 0 ? t[i].len : strlen(t[i].text);
		db = users_parse_buf("chap-secrets",
		    (const uint8_t *)t[i].text, n);
		if (db != NULL || !logged(t[i].msg)) {
			printf("# error case %zu\n", i);
			T_ASSERT(0);
		}
		users_free(db);
	}

	/* One byte too long, on line 2, in a quoted secret. */
	T_ASSERT_RET((big = malloc(USERS_WORD_MAX + 64)) != NULL);
	memcpy(big, "# x\nalice l2tpd \"", 17);
	memset(big + 17, 'y', USERS_WORD_MAX + 1);
	memcpy(big + 17 + USERS_WORD_MAX + 1, "\" *\n", 5);
	db = parse(big);
	T_ASSERT(db == NULL);
	T_ASSERT(logged("chap-secrets:2: a word longer than 256 bytes"));
	T_ASSERT(nlines == 1);
	free(big);

	/* Several problems: each is named, then the file is refused. */
	db = parse("a l2tpd \\0 *\nb\nc l2tpd \"x\n");
	T_ASSERT(db == NULL);
	T_ASSERT(logged("chap-secrets:1: an escape that makes a NUL byte"));
	T_ASSERT(logged("chap-secrets:2: an entry needs a client, a server "
	    "and a secret: this line is ignored"));
	T_ASSERT(logged("chap-secrets:3: the double quote (\") opened here "
	    "is never closed"));

	/* A name for messages is optional. */
	capture_reset();
	db = users_parse_buf(NULL, (const uint8_t *)"a\n", 2);
	T_ASSERT(db != NULL && logged("users:1: an entry needs a client, a "
	    "server and a secret: this line is ignored"));
	users_free(db);
}

static uint32_t	 rng_state = 0x2545f491;

static uint32_t
rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 17;
	rng_state ^= rng_state << 5;
	return (rng_state);
}

static double
now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (ts.tv_sec + ts.tv_nsec / 1e9);
}

/* Nothing a file holds crashes the parser, leaks, or takes long. */
static void
test_users_hostile(void)
{
	static const char alphabet[] = "ab *#\"'\\\n\r\t@-/0123456789.x";
	struct users_db	*db;
	struct users_match m;
	uint8_t		*buf;
	size_t		 i, j, n, len = strlen(debian_file);
	double		 t0;
	char		 name[32];

	/* Every truncation of a good file. */
	for (i = 0; i <= len; i++) {
		capture_reset();
		db = users_parse_buf("chap-secrets",
		    (const uint8_t *)debian_file, i);
		if (db != NULL)
			(void)users_lookup(db, "alice", 5, "l2tpd", &m);
		users_free(db);
	}

	/* Random bytes, and random text made of the bytes that matter. */
	T_ASSERT_RET((buf = malloc(4096)) != NULL);
	for (i = 0; i < 20000; i++) {
		n = rng() % 4096;
		for (j = 0; j < n; j++)
			buf[j] = i % 2 ? (uint8_t)rng() :
			    (uint8_t)alphabet[rng() % (sizeof(alphabet) - 1)];
		capture_reset();
		db = users_parse_buf("chap-secrets", buf, n);
		if (db != NULL) {
			(void)users_lookup(db, "ab", 2, "ab", &m);
			(void)users_lookup(db, buf, n > 8 ? 8 : n, "*", &m);
			(void)users_static_addrs(db, NULL, 0);
		}
		users_free(db);
	}
	free(buf);

	/* More than 4 MiB is refused before it is read. */
	n = 10 * 1024 * 1024;
	T_ASSERT_RET((buf = malloc(n)) != NULL);
	memset(buf, 'a', n);
	db = users_parse_buf("chap-secrets", buf, n);
	T_ASSERT(db == NULL);
	T_ASSERT(logged("chap-secrets: 10485760 bytes, more than the 4194304 "
	    "a users file may have"));
	/* Just under it: one enormous word is one message, quickly. */
	t0 = now();
	capture_reset();
	db = users_parse_buf("chap-secrets", buf, USERS_FILE_MAX);
	T_ASSERT(db == NULL && nlines == 2);
	T_ASSERT(logged("chap-secrets:1: a word longer than 256 bytes"));
	/* An unterminated quote across 4 MiB. */
	buf[0] = '"';
	db = users_parse_buf("chap-secrets", buf, USERS_FILE_MAX);
	T_ASSERT(db == NULL);
	/* 4 MiB of backslash-newline, of quotes, of line breaks. */
	for (i = 0; i < 3; i++) {
		for (j = 0; j < USERS_FILE_MAX; j++)
			buf[j] = i == 0 ? (j % 2 ? '\n' : '\\') :
			    i == 1 ? '"' : '\n';
		capture_reset();
		db = users_parse_buf("chap-secrets", buf, USERS_FILE_MAX);
		/* The quotes are 2M empty words: one odd entry. */
		T_ASSERT(db != NULL && users_count(db) == (i == 1 ? 1 : 0));
		users_free(db);
	}
	/* 4 MiB of "a b c\n": the most entries a file can have. */
	for (j = 0; j + 6 <= USERS_FILE_MAX; j += 6)
		memcpy(buf + j, "a b c\n", 6);
	capture_reset();
	db = users_parse_buf("chap-secrets", buf, j);
	T_ASSERT(db != NULL && users_count(db) == j / 6);
	/* Warnings are capped: 50, then how many more. */
	T_ASSERT(nlines == 51);
	snprintf(name, sizeof(name), "%zu", 2 * (j / 6) - 1 - 50);
	{
		char	 want[128];

		snprintf(want, sizeof(want), "chap-secrets: %s more problems "
		    "not shown", name);
		T_ASSERT(logged(want));
	}
	users_free(db);
	printf("# the hostile files took %.2f s\n", now() - t0);
	free(buf);
}

/* 100,000 users: parsed quickly, every one found quickly. */
static void
test_users_many(void)
{
	struct users_db	*db;
	struct users_match m;
	char		*buf, name[32];
	size_t		 i, off = 0, cap = 100000 * 64;
	double		 t0, t1, t2;
	int		 ok = 1;

	T_ASSERT_RET((buf = malloc(cap)) != NULL);
	for (i = 0; i < 100000; i++)
		off += snprintf(buf + off, cap - off, "user%zu\tl2tpd\t"
		    "\"pw %zu\"\t10.%zu.%zu.%zu\n", i, i, 1 + i / 65536,
		    (i / 256) % 256, i % 256 == 0 ? 1 : i % 256);
	t0 = now();
	db = parse(buf);
	t1 = now();
	T_ASSERT_RET(db != NULL);
	T_ASSERT(users_count(db) == 100000);
	for (i = 0; i < 100000; i++) {
		snprintf(name, sizeof(name), "user%zu", i);
		if (users_lookup(db, name, strlen(name), "l2tpd", &m) !=
		    USERS_FOUND || m.um_addr != USERS_ADDR_STATIC)
			ok = 0;
	}
	t2 = now();
	T_ASSERT(ok);
	T_ASSERT(users_lookup(db, "user100000", 10, "l2tpd", &m) ==
	    USERS_UNKNOWN);
	printf("# 100000 users: parsed in %.3f s, all looked up in %.3f s\n",
	    t1 - t0, t2 - t1);
	T_ASSERT(t1 - t0 < 5 && t2 - t1 < 5);
	users_free(db);
	free(buf);
}

/* Secrets are wiped when the db goes, and never logged. */
static void
test_users_wiped(void)
{
	struct users_db	*db;

	db = parse(debian_file);
	T_ASSERT_RET(db != NULL);
	wiped_secret = 0;
	users_free(db);
	T_ASSERT(wiped_secret);
	/* Also when the file is refused half way. */
	wiped_secret = 0;
	db = parse("alice l2tpd a" MARK " *\nbob l2tpd \"b" MARK " *\n");
	T_ASSERT(db == NULL);
	T_ASSERT(wiped_secret);
	T_ASSERT(!secret_logged);
}

int
main(void)
{
	log_init("test_users", 1, 0);
	log_set_sink(capture);

	T_RUN(test_users_debian_file);
	T_RUN(test_users_crlf);
	T_RUN(test_users_precedence);
	T_RUN(test_users_words);
	T_RUN(test_users_addresses);
	T_RUN(test_users_atfile);
	T_RUN(test_users_errors);
	T_RUN(test_users_hostile);
	T_RUN(test_users_many);
	T_RUN(test_users_wiped);
	capture_reset();
	return (T_DONE());
}
