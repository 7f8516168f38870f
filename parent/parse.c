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

/*
 * The l2tpsecd.conf(5) parser: a small lexer (words, quoted strings,
 * braces, commas, newlines) and a table of keywords per block.  A
 * statement ends at the end of its line.  After an error the rest of the
 * statement is skipped and parsing goes on, so one run reports as many
 * problems as it can.
 *
 * Secrets (psk, l2tp secret, connection passwords) must never reach a log
 * line: inline ones may only be quoted strings (an unquoted word would be
 * cut short by a `#`), errors after a secret describe the offending token
 * by its kind only, and the lexer never echoes the inside of a string.
 */

#include <sys/types.h>
#include <sys/stat.h>

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "common/log.h"
#include "parent/config.h"
#include "ppp/users.h"

#define NITEMS(a)	(sizeof(a) / sizeof((a)[0]))

#define CONF_FILE_MAX	(1024 * 1024)
#define CONF_SECRET_MAX	4096
#define CONF_POOL_MAX	65536
#define CONF_ECHO_MAX	48	/* characters of a token quoted in errors */
#define CONF_MAX_ERRORS	50	/* a binary file is not worth more */

#define MINUTE		60
#define HOUR		(60 * MINUTE)
#define DAY		(24 * HOUR)

enum tok_type {
	T_EOF = 0,
	T_NL,
	T_WORD,
	T_STRING,
	T_LBRACE,
	T_RBRACE,
	T_COMMA,
	T_ERROR		/* a lexical error, already reported */
};

struct token {
	enum tok_type	 t_type;
	int		 t_line;
	char		*t_text;	/* T_WORD and T_STRING */
	size_t		 t_len;
};

struct parser {
	const char	*p_file;
	char		*p_buf;
	size_t		 p_len;
	size_t		 p_pos;
	int		 p_line;
	struct token	 p_tok;
	int		 p_errors;
	struct stat	 p_st;		/* of the config file itself */
	int		 p_inline_line;	/* first inline secret */
	const char	*p_inline_what;
	/* Settings given in parts, each part once. */
	int		 p_lifetime_ike_line;
	int		 p_lifetime_esp_line;
	int		 p_dpd_delay_line;
	int		 p_dpd_timeout_line;
	int		 p_psk_line;	/* ipsec psk */
	int		 p_users_line;	/* ppp users */
	int		 p_redact_line;	/* see parse_body() */
};

/*
 * One keyword of a block.  The generic handlers (yes/no, number,
 * duration, string) write the field at kw_off in the block's struct.
 */
struct keyword;
typedef int (*kw_fn)(struct parser *, const struct keyword *, void *, int);

struct keyword {
	const char	*kw_name;
	kw_fn		 kw_fn;
	size_t		 kw_off;
	uint32_t	 kw_min;	/* numbers, durations */
	uint32_t	 kw_max;	/* ... and the size of a string field */
	int		 kw_flags;
};

#define KW_MULTI	0x01	/* may be repeated */
#define KW_BLOCK	0x02	/* opens a block */
#define KW_SECRET	0x04	/* carries a secret: never echo what follows */
#define KW_ABSPATH	0x08	/* string: an absolute path */
#define KW_ZERO_OFF	0x10	/* duration: 0 turns the feature off */

/* Suites.  The defaults cover what the built-in clients offer. */
struct alg {
	const char	*al_name;
	int		 al_id;
	uint32_t	 al_keylen;
	int		 al_legacy;
};

static const struct alg ike_encs[] = {
	{ "aes128", CONF_ENC_AES128, 128, 0 },
	{ "aes256", CONF_ENC_AES256, 256, 0 },
	{ "3des", CONF_ENC_3DES, 192, 1 },
};

static const struct alg ike_hashes[] = {
	{ "sha1", CONF_HASH_SHA1, 0, 0 },
	{ "sha256", CONF_HASH_SHA256, 0, 0 },
	{ "sha384", CONF_HASH_SHA384, 0, 0 },
	{ "sha512", CONF_HASH_SHA512, 0, 0 },
};

static const struct alg ike_groups[] = {
	{ "modp1024", CONF_GROUP_MODP1024, 0, 1 },
	{ "modp1536", CONF_GROUP_MODP1536, 0, 0 },
	{ "modp2048", CONF_GROUP_MODP2048, 0, 0 },
	{ "modp3072", CONF_GROUP_MODP3072, 0, 0 },
	{ "modp4096", CONF_GROUP_MODP4096, 0, 0 },
	{ "ecp256", CONF_GROUP_ECP256, 0, 0 },
	{ "ecp384", CONF_GROUP_ECP384, 0, 0 },
};

static const struct alg esp_encs[] = {
	{ "aes128", CONF_ENC_AES128, 128, 0 },
	{ "aes256", CONF_ENC_AES256, 256, 0 },
	{ "3des", CONF_ENC_3DES, 192, 1 },
};

static const struct alg esp_aeads[] = {
	{ "aes128gcm16", CONF_ENC_AES128GCM16, 128, 0 },
	{ "aes256gcm16", CONF_ENC_AES256GCM16, 256, 0 },
};

static const struct alg esp_integs[] = {
	{ "sha1", CONF_HASH_SHA1, 0, 0 },
	{ "sha256", CONF_HASH_SHA256, 0, 0 },
};

/*
 * Windows 10/11 offer AES-CBC with SHA1 and ECP384/ECP256/MODP2048;
 * macOS and iOS AES-CBC with SHA2-256 or SHA1 and MODP2048;
 * NetworkManager-l2tp (strongSwan, Libreswan) AES-CBC/SHA1/MODP2048.
 * MODP1024 and 3DES only with `legacy yes` (some older Android releases
 * and old Windows settings offer nothing else).
 */
static const char *const ike_default[] = {
	"aes256-sha256-modp2048",
	"aes128-sha256-modp2048",
	"aes256-sha1-modp2048",
	"aes128-sha1-modp2048",
	"aes256-sha384-ecp384",
	"aes256-sha256-ecp384",
	"aes128-sha256-ecp256",
	"aes256-sha1-ecp384",
	"aes128-sha1-ecp256",
	"aes256-sha256-modp3072",
	"aes256-sha256-modp4096",
	"aes256-sha512-modp4096",
};

static const char *const ike_default_legacy[] = {
	"aes256-sha1-modp1024",
	"aes128-sha1-modp1024",
	"3des-sha1-modp2048",
	"3des-sha1-modp1024",
};

static const char *const esp_default[] = {
	"aes256gcm16",
	"aes128gcm16",
	"aes256-sha256",
	"aes128-sha256",
	"aes256-sha1",
	"aes128-sha1",
};

static const char *const esp_default_legacy[] = {
	"3des-sha1",
};

_Static_assert(NITEMS(ike_default) + NITEMS(ike_default_legacy) <=
    CONF_MAX_SUITES, "default ike suites");
_Static_assert(NITEMS(esp_default) + NITEMS(esp_default_legacy) <=
    CONF_MAX_SUITES, "default esp suites");

/* Memory. */

static void *
xcalloc(size_t n, size_t size)
{
	void	*p;

	if ((p = calloc(n, size)) == NULL)
		fatal("%s", __func__);
	return (p);
}

static char *
xstrdup(const char *s)
{
	char	*p;

	if ((p = strdup(s)) == NULL)
		fatal("%s", __func__);
	return (p);
}

static void
secret_clear(struct conf_secret *cs)
{
	if (cs->cs_data != NULL)
		freezero(cs->cs_data, cs->cs_len + 1);
	free(cs->cs_file);
	cs->cs_data = NULL;
	cs->cs_file = NULL;
	cs->cs_len = 0;
}

/* Errors. */

static void	conf_err(struct parser *, int, const char *, ...)
		    __attribute__((format(printf, 3, 4)));
static void	expected(struct parser *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));
static void	expected_noecho(struct parser *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));

static void
conf_verr(struct parser *p, int line, const char *fmt, va_list ap)
{
	char	 msg[LOG_LINE_MAX];

	if (++p->p_errors > CONF_MAX_ERRORS)
		return;
	if (p->p_errors == CONF_MAX_ERRORS) {
		log_warnx("%s:%d: too many errors, not reporting more",
		    p->p_file, line);
		return;
	}
	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (line > 0)
		log_warnx("%s:%d: %s", p->p_file, line, msg);
	else
		log_warnx("%s: %s", p->p_file, msg);
}

static void
conf_err(struct parser *p, int line, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	conf_verr(p, line, fmt, ap);
	va_end(ap);
}

/* How a token is named in "got ..."; echo 0 names only its kind. */
static const char *
tok_describe(const struct token *t, int echo, char *buf, size_t len)
{
	switch (t->t_type) {
	case T_EOF:
		return ("end of file");
	case T_NL:
		return ("end of line");
	case T_LBRACE:
		return ("\"{\"");
	case T_RBRACE:
		return ("\"}\"");
	case T_COMMA:
		return ("\",\"");
	case T_ERROR:
		return ("an invalid token");
	case T_WORD:
	case T_STRING:
		if (!echo)
			return (t->t_type == T_WORD ? "a word" :
			    "a quoted string");
		if (t->t_len > CONF_ECHO_MAX)
			snprintf(buf, len, "\"%.*s...\"", CONF_ECHO_MAX,
			    t->t_text);
		else
			snprintf(buf, len, "\"%s\"", t->t_text);
		return (buf);
	}
	return ("?");
}

static void
expected_v(struct parser *p, int echo, const char *fmt, va_list ap)
{
	char	 what[LOG_LINE_MAX / 2], got[CONF_ECHO_MAX + 8];

	/* The lexer has said what is wrong with this one already. */
	if (p->p_tok.t_type == T_ERROR)
		return;
	vsnprintf(what, sizeof(what), fmt, ap);
	conf_err(p, p->p_tok.t_line, "expected %s, got %s", what,
	    tok_describe(&p->p_tok, echo, got, sizeof(got)));
}

static void
expected(struct parser *p, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	expected_v(p, 1, fmt, ap);
	va_end(ap);
}

static void
expected_noecho(struct parser *p, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	expected_v(p, 0, fmt, ap);
	va_end(ap);
}

/* The lexer. */

static void
tok_clear(struct token *t)
{
	if (t->t_text != NULL)
		freezero(t->t_text, t->t_len + 1);
	t->t_text = NULL;
	t->t_len = 0;
}

static int
is_word_char(unsigned char c)
{
	if (c <= ' ' || c == 0x7f)
		return (0);
	return (strchr("#{},\"", c) == NULL);
}

static void
lex_skip_line(struct parser *p)
{
	while (p->p_pos < p->p_len && p->p_buf[p->p_pos] != '\n')
		p->p_pos++;
}

/*
 * A quoted string, with \" \\ \n \t.  It may hold a secret, so a broken
 * one is reported without its text and the rest of its line is dropped
 * rather than lexed as words that a later error could quote.
 */
static void
lex_string(struct parser *p)
{
	struct token	*t = &p->p_tok;
	const char	*err = NULL;
	size_t		 end, n = 0;
	char		*s;
	unsigned char	 c;

	p->p_pos++;
	for (end = p->p_pos; end < p->p_len && p->p_buf[end] != '\n'; end++)
		;
	s = xcalloc(1, end - p->p_pos + 1);
	for (;;) {
		if (p->p_pos >= end) {
			err = "unterminated quoted string";
			break;
		}
		c = p->p_buf[p->p_pos++];
		if (c == '"')
			break;
		if (c == '\\') {
			c = p->p_pos < end ? p->p_buf[p->p_pos++] : '\0';
			if (c == 'n')
				c = '\n';
			else if (c == 't')
				c = '\t';
			else if (c != '"' && c != '\\') {
				err = "invalid escape in quoted string "
				    "(use \\\" \\\\ \\n or \\t)";
				break;
			}
		} else if ((c < ' ' && c != '\t') || c == 0x7f) {
			err = "control character in quoted string";
			break;
		}
		s[n++] = c;
	}
	if (err != NULL) {
		freezero(s, n + 1);
		conf_err(p, p->p_line, "%s", err);
		lex_skip_line(p);
		t->t_type = T_ERROR;
		return;
	}
	t->t_type = T_STRING;
	t->t_text = s;
	t->t_len = n;
}

static void
lex_next(struct parser *p)
{
	struct token	*t = &p->p_tok;
	size_t		 start;
	unsigned char	 c;

	tok_clear(t);
	while (p->p_pos < p->p_len && (p->p_buf[p->p_pos] == ' ' ||
	    p->p_buf[p->p_pos] == '\t' || p->p_buf[p->p_pos] == '\r'))
		p->p_pos++;
	if (p->p_pos < p->p_len && p->p_buf[p->p_pos] == '#')
		lex_skip_line(p);
	t->t_line = p->p_line;
	if (p->p_pos >= p->p_len) {
		t->t_type = T_EOF;
		return;
	}
	c = p->p_buf[p->p_pos];
	switch (c) {
	case '\n':
		p->p_pos++;
		p->p_line++;
		t->t_type = T_NL;
		return;
	case '{':
		p->p_pos++;
		t->t_type = T_LBRACE;
		return;
	case '}':
		p->p_pos++;
		t->t_type = T_RBRACE;
		return;
	case ',':
		p->p_pos++;
		t->t_type = T_COMMA;
		return;
	case '"':
		lex_string(p);
		return;
	}
	if (!is_word_char(c)) {
		/* As in a broken string: the rest may be a secret. */
		conf_err(p, p->p_line, "unexpected control character");
		lex_skip_line(p);
		t->t_type = T_ERROR;
		return;
	}
	start = p->p_pos;
	while (p->p_pos < p->p_len && is_word_char(p->p_buf[p->p_pos]))
		p->p_pos++;
	t->t_len = p->p_pos - start;
	t->t_text = xcalloc(1, t->t_len + 1);
	memcpy(t->t_text, p->p_buf + start, t->t_len);
	t->t_type = T_WORD;
}

/* Token helpers. */

static int
tok_is_value(const struct parser *p)
{
	return (p->p_tok.t_type == T_WORD || p->p_tok.t_type == T_STRING);
}

static int
tok_is(const struct parser *p, const char *s)
{
	return (tok_is_value(p) && strcmp(p->p_tok.t_text, s) == 0);
}

static int
at_end(const struct parser *p)
{
	return (p->p_tok.t_type == T_NL || p->p_tok.t_type == T_RBRACE ||
	    p->p_tok.t_type == T_EOF);
}

/*
 * Skips to the end of the statement: its newline, or the "}" that closes
 * the enclosing block.  A block the statement opened is skipped whole.
 */
static void
skip_statement(struct parser *p)
{
	int	 depth = 0;

	for (;;) {
		switch (p->p_tok.t_type) {
		case T_EOF:
			return;
		case T_NL:
			if (depth == 0)
				return;
			break;
		case T_LBRACE:
			depth++;
			break;
		case T_RBRACE:
			if (depth == 0)
				return;
			depth--;
			break;
		default:
			break;
		}
		lex_next(p);
	}
}

/* Values. */

static int
parse_u32(const char *s, uint32_t *v)
{
	uint64_t	 n = 0;

	if (*s == '\0')
		return (-1);
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return (-1);
		n = n * 10 + (uint64_t)(*s - '0');
		if (n > UINT32_MAX)
			return (-1);
	}
	*v = (uint32_t)n;
	return (0);
}

static int
parse_duration(const char *s, uint32_t *v)
{
	char		 num[16];
	size_t		 len = strlen(s);
	uint64_t	 mult = 1, n;
	uint32_t	 u;

	if (len == 0 || len >= sizeof(num))
		return (-1);
	switch (s[len - 1]) {
	case 's':
		len--;
		break;
	case 'm':
		mult = MINUTE;
		len--;
		break;
	case 'h':
		mult = HOUR;
		len--;
		break;
	case 'd':
		mult = DAY;
		len--;
		break;
	}
	memcpy(num, s, len);
	num[len] = '\0';
	if (parse_u32(num, &u) == -1)
		return (-1);
	n = (uint64_t)u * mult;
	if (n > UINT32_MAX)
		return (-1);
	*v = (uint32_t)n;
	return (0);
}

static const char *
fmt_duration(uint32_t secs, char *buf, size_t len)
{
	if (secs != 0 && secs % DAY == 0)
		snprintf(buf, len, "%ud", secs / DAY);
	else if (secs != 0 && secs % HOUR == 0)
		snprintf(buf, len, "%uh", secs / HOUR);
	else if (secs != 0 && secs % MINUTE == 0)
		snprintf(buf, len, "%um", secs / MINUTE);
	else
		snprintf(buf, len, "%us", secs);
	return (buf);
}

static int
get_yesno(struct parser *p, const char *what, int *v)
{
	if (tok_is(p, "yes"))
		*v = 1;
	else if (tok_is(p, "no"))
		*v = 0;
	else {
		expected(p, "\"yes\" or \"no\" after %s", what);
		return (-1);
	}
	lex_next(p);
	return (0);
}

static int
get_u32(struct parser *p, const char *what, uint32_t min, uint32_t max,
    uint32_t *v)
{
	uint32_t	 n;

	if (p->p_tok.t_type != T_WORD || parse_u32(p->p_tok.t_text, &n)) {
		expected(p, "a number after %s", what);
		return (-1);
	}
	if (n < min || n > max) {
		conf_err(p, p->p_tok.t_line,
		    "%s must be between %u and %u, got %s", what, min, max,
		    p->p_tok.t_text);
		return (-1);
	}
	*v = n;
	lex_next(p);
	return (0);
}

static int
get_duration(struct parser *p, const char *what, uint32_t min, uint32_t max,
    int zero_off, uint32_t *v)
{
	char		 a[16], b[16];
	uint32_t	 n;

	if (p->p_tok.t_type != T_WORD ||
	    parse_duration(p->p_tok.t_text, &n) == -1) {
		expected(p, "a duration like 30s, 30m, 8h or 1d after %s",
		    what);
		return (-1);
	}
	if ((n != 0 || !zero_off) && (n < min || n > max)) {
		conf_err(p, p->p_tok.t_line,
		    "%s must be %sbetween %s and %s, got %s", what,
		    zero_off ? "0 (off) or " : "",
		    fmt_duration(min, a, sizeof(a)),
		    fmt_duration(max, b, sizeof(b)), p->p_tok.t_text);
		return (-1);
	}
	*v = n;
	lex_next(p);
	return (0);
}

static int
get_string(struct parser *p, const char *what, char *buf, size_t size,
    int flags)
{
	if (!tok_is_value(p)) {
		expected(p, "%s after %s", (flags & KW_ABSPATH) ?
		    "a path" : "a name", what);
		return (-1);
	}
	if (p->p_tok.t_len == 0) {
		expected(p, "a non-empty %s after %s", (flags & KW_ABSPATH) ?
		    "path" : "name", what);
		return (-1);
	}
	if ((flags & KW_ABSPATH) && p->p_tok.t_text[0] != '/') {
		conf_err(p, p->p_tok.t_line,
		    "%s must be an absolute path, got \"%s\"", what,
		    p->p_tok.t_text);
		return (-1);
	}
	if (p->p_tok.t_len >= size) {
		conf_err(p, p->p_tok.t_line,
		    "%s is too long (at most %zu characters)", what, size - 1);
		return (-1);
	}
	strlcpy(buf, p->p_tok.t_text, size);
	lex_next(p);
	return (0);
}

/* Looks up a choice among names; the index or -1 (already reported). */
static int
get_choice(struct parser *p, const char *what, const char *const *names,
    size_t n, const char *list)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (tok_is(p, names[i])) {
			lex_next(p);
			return ((int)i);
		}
	expected(p, "%s after %s", list, what);
	return (-1);
}

static int
valid_ifname(const char *s)
{
	size_t	 len = strlen(s);

	if (len == 0 || len >= IF_NAMESIZE || strcmp(s, ".") == 0 ||
	    strcmp(s, "..") == 0)
		return (0);
	for (; *s != '\0'; s++)
		if (*s == '/' || *s == ':' || isspace((unsigned char)*s))
			return (0);
	return (1);
}

/* Something meant as an address: digits and dots, or any colon. */
static int
looks_like_address(const char *s)
{
	if (strchr(s, ':') != NULL)
		return (1);
	return (strspn(s, "0123456789.") == strlen(s));
}

static int
ipv4_usable(struct in_addr a)
{
	uint32_t	 h = ntohl(a.s_addr);

	/* 0/8 "this network", 127/8 loopback, 224/4 and up. */
	return ((h >> 24) != 0 && (h >> 24) != 127 && (h >> 28) < 14);
}

static int
get_ipv4(struct parser *p, const char *what, struct in_addr *a)
{
	if (p->p_tok.t_type != T_WORD ||
	    inet_pton(AF_INET, p->p_tok.t_text, a) != 1 || !ipv4_usable(*a)) {
		expected(p, "a unicast IPv4 address after %s", what);
		return (-1);
	}
	lex_next(p);
	return (0);
}

static int
sockaddr_parse(const char *s, struct sockaddr_storage *ss)
{
	struct sockaddr_in	*sin = (struct sockaddr_in *)ss;
	struct sockaddr_in6	*sin6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, s, &sin->sin_addr) == 1) {
		sin->sin_family = AF_INET;
		return (0);
	}
	if (inet_pton(AF_INET6, s, &sin6->sin6_addr) == 1) {
		sin6->sin6_family = AF_INET6;
		return (0);
	}
	return (-1);
}

/* The wildcard and multicast cannot be a peer or a place to listen. */
static int
sockaddr_usable(const struct sockaddr_storage *ss)
{
	const struct sockaddr_in	*sin = (const struct sockaddr_in *)ss;
	const struct sockaddr_in6	*sin6 =
	    (const struct sockaddr_in6 *)ss;
	uint32_t			 h;

	if (ss->ss_family == AF_INET) {
		h = ntohl(sin->sin_addr.s_addr);
		return (h != INADDR_ANY && (h >> 28) < 14);
	}
	return (!IN6_IS_ADDR_UNSPECIFIED(&sin6->sin6_addr) &&
	    !IN6_IS_ADDR_MULTICAST(&sin6->sin6_addr));
}

static int
sockaddr_equal(const struct sockaddr_storage *a,
    const struct sockaddr_storage *b)
{
	if (a->ss_family != b->ss_family)
		return (0);
	if (a->ss_family == AF_INET)
		return (((const struct sockaddr_in *)a)->sin_addr.s_addr ==
		    ((const struct sockaddr_in *)b)->sin_addr.s_addr);
	return (memcmp(&((const struct sockaddr_in6 *)a)->sin6_addr,
	    &((const struct sockaddr_in6 *)b)->sin6_addr,
	    sizeof(struct in6_addr)) == 0);
}

/* Secrets. */

/*
 * Opens a file that holds secrets: a regular file, not a symbolic link,
 * owned by root and closed to group and other.  The fd, or -1 reported.
 */
static int
secret_open(struct parser *p, int line, const char *path)
{
	struct stat	 st;
	char		 got[64];
	int		 fd;

	fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd == -1) {
		if (errno == ELOOP)
			conf_err(p, line, "%s: must not be a symbolic link",
			    path);
		else
			conf_err(p, line, "%s: %s", path, strerror(errno));
		return (-1);
	}
	if (fstat(fd, &st) == -1) {
		conf_err(p, line, "%s: %s", path, strerror(errno));
		close(fd);
		return (-1);
	}
	if (!S_ISREG(st.st_mode)) {
		conf_err(p, line, "%s: must be a regular file", path);
		close(fd);
		return (-1);
	}
	if (st.st_uid != 0 || (st.st_mode & 077) != 0) {
		if (st.st_uid != 0 && (st.st_mode & 077) != 0)
			snprintf(got, sizeof(got),
			    "is owned by uid %u and mode %04o",
			    (unsigned)st.st_uid, (unsigned)st.st_mode & 07777);
		else if (st.st_uid != 0)
			snprintf(got, sizeof(got), "is owned by uid %u",
			    (unsigned)st.st_uid);
		else
			snprintf(got, sizeof(got), "is mode %04o",
			    (unsigned)st.st_mode & 07777);
		conf_err(p, line,
		    "%s: must be owned by root and mode 0600, %s", path, got);
		close(fd);
		return (-1);
	}
	return (fd);
}

static int
secret_read(struct parser *p, int line, const char *path,
    struct conf_secret *cs)
{
	const size_t	 size = CONF_SECRET_MAX + 3;
	uint8_t		*buf;
	size_t		 len = 0;
	ssize_t		 n;
	int		 fd;

	if ((fd = secret_open(p, line, path)) == -1)
		return (-1);
	/* Room for a CRLF and one byte more, to tell "too long". */
	buf = xcalloc(1, size);
	while (len < size - 1) {
		n = read(fd, buf + len, size - 1 - len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			conf_err(p, line, "%s: %s", path, strerror(errno));
			goto fail;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	/* Editors add a newline; a CRLF one counts as one too. */
	if (len > 0 && buf[len - 1] == '\n') {
		buf[--len] = '\0';
		if (len > 0 && buf[len - 1] == '\r')
			buf[--len] = '\0';
	}
	if (len > CONF_SECRET_MAX) {
		conf_err(p, line, "%s: must be at most %d bytes", path,
		    CONF_SECRET_MAX);
		goto fail;
	}
	if (len == 0) {
		conf_err(p, line, "%s: is empty", path);
		goto fail;
	}
	close(fd);
	cs->cs_file = xstrdup(path);
	cs->cs_data = xcalloc(1, len + 1);
	memcpy(cs->cs_data, buf, len);
	cs->cs_len = len;
	freezero(buf, size);
	return (0);
 fail:
	close(fd);
	freezero(buf, size);
	return (-1);
}

/* `WHAT "inline"` or `WHAT file "PATH"`. */
static int
get_secret(struct parser *p, const char *what, int line,
    struct conf_secret *cs)
{
	char	 path[PATH_MAX];
	char	 pwhat[64];

	if (tok_is(p, "file") && p->p_tok.t_type == T_WORD) {
		lex_next(p);
		snprintf(pwhat, sizeof(pwhat), "%s file", what);
		if (get_string(p, pwhat, path, sizeof(path), KW_ABSPATH) == -1)
			return (-1);
		return (secret_read(p, line, path, cs));
	}
	if (p->p_tok.t_type != T_STRING) {
		expected_noecho(p, "\"file\" or a quoted string after %s",
		    what);
		return (-1);
	}
	if (p->p_tok.t_len == 0) {
		conf_err(p, p->p_tok.t_line, "%s is empty", what);
		return (-1);
	}
	cs->cs_data = xcalloc(1, p->p_tok.t_len + 1);
	memcpy(cs->cs_data, p->p_tok.t_text, p->p_tok.t_len);
	cs->cs_len = p->p_tok.t_len;
	if (p->p_inline_line == 0) {
		p->p_inline_line = line;
		p->p_inline_what = what;
	}
	lex_next(p);
	return (0);
}

/* Suites. */

static const struct alg *
alg_find(const struct alg *tab, size_t n, const char *name, size_t len)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (strlen(tab[i].al_name) == len &&
		    strncasecmp(tab[i].al_name, name, len) == 0)
			return (&tab[i]);
	return (NULL);
}

static void
alg_list(const struct alg *tab, size_t n, char *buf, size_t len)
{
	size_t	 i;

	buf[0] = '\0';
	for (i = 0; i < n; i++) {
		if (i > 0)
			strlcat(buf, " ", len);
		strlcat(buf, tab[i].al_name, len);
	}
}

/*
 * Splits "a-b-c" into at most 3 parts; returns how many there are, or 4
 * for more.  The parts point into s and are not NUL terminated.
 */
static int
suite_split(const char *s, const char *part[3], size_t plen[3])
{
	const char	*dash;
	int		 n = 0;

	for (;;) {
		if (n == 3)
			return (4);
		part[n] = s;
		if ((dash = strchr(s, '-')) == NULL) {
			plen[n++] = strlen(s);
			return (n);
		}
		plen[n++] = (size_t)(dash - s);
		s = dash + 1;
	}
}

static void
suite_name(struct conf_suite *su, const char *name)
{
	size_t	 i;

	strlcpy(su->su_name, name, sizeof(su->su_name));
	for (i = 0; su->su_name[i] != '\0'; i++)
		su->su_name[i] = (char)tolower((unsigned char)su->su_name[i]);
}

/*
 * The parse behind config_ike_suite() and the ike statement.  With p,
 * what is wrong is reported at the current token.
 */
static int
ike_suite(struct parser *p, const char *name, struct conf_suite *su)
{
	const struct alg	*enc, *hash, *group;
	const char		*part[3];
	size_t			 plen[3];
	char			 list[128];

	memset(su, 0, sizeof(*su));
	if (strlen(name) >= sizeof(su->su_name) ||
	    suite_split(name, part, plen) != 3) {
		if (p != NULL)
			expected(p, "an ike suite ENC-HASH-GROUP like "
			    "aes256-sha1-modp2048");
		return (-1);
	}
	if ((enc = alg_find(ike_encs, NITEMS(ike_encs), part[0],
	    plen[0])) == NULL) {
		if (p != NULL) {
			alg_list(ike_encs, NITEMS(ike_encs), list,
			    sizeof(list));
			conf_err(p, p->p_tok.t_line, "unknown encryption "
			    "\"%.*s\" in ike suite \"%s\", expected one of: %s",
			    (int)plen[0], part[0], name, list);
		}
		return (-1);
	}
	if ((hash = alg_find(ike_hashes, NITEMS(ike_hashes), part[1],
	    plen[1])) == NULL) {
		if (p != NULL) {
			alg_list(ike_hashes, NITEMS(ike_hashes), list,
			    sizeof(list));
			conf_err(p, p->p_tok.t_line, "unknown hash "
			    "\"%.*s\" in ike suite \"%s\", expected one of: %s",
			    (int)plen[1], part[1], name, list);
		}
		return (-1);
	}
	if ((group = alg_find(ike_groups, NITEMS(ike_groups), part[2],
	    plen[2])) == NULL) {
		if (p != NULL) {
			alg_list(ike_groups, NITEMS(ike_groups), list,
			    sizeof(list));
			conf_err(p, p->p_tok.t_line, "unknown group "
			    "\"%.*s\" in ike suite \"%s\", expected one of: %s",
			    (int)plen[2], part[2], name, list);
		}
		return (-1);
	}
	suite_name(su, name);
	su->su_enc = enc->al_id;
	su->su_keylen = enc->al_keylen;
	su->su_hash = hash->al_id;
	su->su_group = group->al_id;
	su->su_legacy = enc->al_legacy || group->al_legacy;
	return (0);
}

static int
esp_suite(struct parser *p, const char *name, struct conf_suite *su)
{
	const struct alg	*enc, *integ = NULL;
	const char		*part[3];
	size_t			 plen[3];
	char			 list[128];
	int			 n;

	memset(su, 0, sizeof(*su));
	n = strlen(name) < sizeof(su->su_name) ?
	    suite_split(name, part, plen) : 0;
	if (n == 1 && (enc = alg_find(esp_aeads, NITEMS(esp_aeads), part[0],
	    plen[0])) != NULL)
		goto found;
	if (n == 2 && alg_find(esp_aeads, NITEMS(esp_aeads), part[0],
	    plen[0]) != NULL) {
		if (p != NULL)
			conf_err(p, p->p_tok.t_line, "esp suite \"%s\": "
			    "%.*s is an AEAD cipher and takes no integrity "
			    "algorithm", name, (int)plen[0], part[0]);
		return (-1);
	}
	if (n != 2) {
		if (p != NULL)
			expected(p, "an esp suite ENC-INTEG like aes256-sha1, "
			    "or aes128gcm16 or aes256gcm16");
		return (-1);
	}
	if ((enc = alg_find(esp_encs, NITEMS(esp_encs), part[0],
	    plen[0])) == NULL) {
		if (p != NULL) {
			alg_list(esp_encs, NITEMS(esp_encs), list,
			    sizeof(list));
			conf_err(p, p->p_tok.t_line, "unknown encryption "
			    "\"%.*s\" in esp suite \"%s\", expected one of: %s",
			    (int)plen[0], part[0], name, list);
		}
		return (-1);
	}
	if ((integ = alg_find(esp_integs, NITEMS(esp_integs), part[1],
	    plen[1])) == NULL) {
		if (p != NULL) {
			alg_list(esp_integs, NITEMS(esp_integs), list,
			    sizeof(list));
			conf_err(p, p->p_tok.t_line, "unknown integrity "
			    "\"%.*s\" in esp suite \"%s\", expected one of: %s",
			    (int)plen[1], part[1], name, list);
		}
		return (-1);
	}
 found:
	suite_name(su, name);
	su->su_enc = enc->al_id;
	su->su_keylen = enc->al_keylen;
	su->su_hash = integ != NULL ? integ->al_id : CONF_HASH_NONE;
	su->su_group = CONF_GROUP_NONE;
	su->su_legacy = enc->al_legacy;
	return (0);
}

int
config_ike_suite(const char *name, struct conf_suite *su)
{
	return (ike_suite(NULL, name, su));
}

int
config_esp_suite(const char *name, struct conf_suite *su)
{
	return (esp_suite(NULL, name, su));
}

/* `ike A, B, C` or `esp A, B`: at least one, no repeats. */
static int
get_suites(struct parser *p, const char *what,
    int (*fn)(struct parser *, const char *, struct conf_suite *),
    struct conf_suite *list, size_t *np)
{
	struct conf_suite	 su;
	size_t			 i, n = 0;

	for (;;) {
		if (p->p_tok.t_type != T_WORD) {
			expected(p, "%s %s suite after %s",
			    n == 0 ? "an" : "another", what, what);
			return (-1);
		}
		if (fn(p, p->p_tok.t_text, &su) == -1)
			return (-1);
		for (i = 0; i < n; i++)
			if (strcmp(list[i].su_name, su.su_name) == 0) {
				conf_err(p, p->p_tok.t_line,
				    "%s lists %s twice", what, su.su_name);
				return (-1);
			}
		if (n == CONF_MAX_SUITES) {
			conf_err(p, p->p_tok.t_line,
			    "too many %s suites (at most %d)", what,
			    CONF_MAX_SUITES);
			return (-1);
		}
		list[n++] = su;
		lex_next(p);
		if (p->p_tok.t_type != T_COMMA)
			break;
		lex_next(p);
	}
	*np = n;
	return (0);
}

static void
suites_default(const char *const *names, size_t n,
    int (*fn)(struct parser *, const char *, struct conf_suite *),
    struct conf_suite *list, size_t *np)
{
	size_t	 i;

	for (i = 0; i < n && *np < CONF_MAX_SUITES; i++)
		if (fn(NULL, names[i], &list[*np]) == 0)
			(*np)++;
}

/* Generic handlers: the field is at kw_off in the block's struct. */

static int
kw_yesno(struct parser *p, const struct keyword *kw, void *obj, int line)
{
	(void)line;
	return (get_yesno(p, kw->kw_name, (int *)((char *)obj + kw->kw_off)));
}

static int
kw_u32(struct parser *p, const struct keyword *kw, void *obj, int line)
{
	(void)line;
	return (get_u32(p, kw->kw_name, kw->kw_min, kw->kw_max,
	    (uint32_t *)((char *)obj + kw->kw_off)));
}

static int
kw_duration(struct parser *p, const struct keyword *kw, void *obj, int line)
{
	(void)line;
	return (get_duration(p, kw->kw_name, kw->kw_min, kw->kw_max,
	    (kw->kw_flags & KW_ZERO_OFF) != 0,
	    (uint32_t *)((char *)obj + kw->kw_off)));
}

static int
kw_string(struct parser *p, const struct keyword *kw, void *obj, int line)
{
	(void)line;
	return (get_string(p, kw->kw_name, (char *)obj + kw->kw_off,
	    kw->kw_max, kw->kw_flags));
}

static int
kw_secret(struct parser *p, const struct keyword *kw, void *obj, int line)
{
	return (get_secret(p, kw->kw_name, line,
	    (struct conf_secret *)((char *)obj + kw->kw_off)));
}

/* Blocks. */

static int	parse_body(struct parser *, const char *, int,
		    const struct keyword *, size_t, void *, int *);

static int
block_open(struct parser *p, const char *what)
{
	if (p->p_tok.t_type != T_LBRACE) {
		expected(p, "\"{\" after %s", what);
		return (-1);
	}
	lex_next(p);
	return (0);
}

static int
seen_line(const struct keyword *tab, size_t n, const int *seen,
    const char *name)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (strcmp(tab[i].kw_name, name) == 0)
			return (seen[i]);
	return (0);
}

/* Top level. */

static int
kw_listen(struct parser *p, const struct keyword *kw, void *obj, int line)
{
	struct config		*conf = obj;
	struct conf_listen	*cl, *o;
	const char		*s;

	(void)kw;
	if (!tok_is(p, "on") || p->p_tok.t_type != T_WORD) {
		expected(p, "\"on\" after listen");
		return (-1);
	}
	lex_next(p);
	if (p->p_tok.t_type != T_WORD) {
		expected(p, "an address or interface name after listen on");
		return (-1);
	}
	s = p->p_tok.t_text;
	cl = xcalloc(1, sizeof(*cl));
	cl->cl_line = line;
	if (sockaddr_parse(s, &cl->cl_addr) == 0) {
		if (!sockaddr_usable(&cl->cl_addr)) {
			conf_err(p, p->p_tok.t_line, "listen on %s: name a "
			    "unicast address or an interface (the wildcard "
			    "address is not supported)", s);
			free(cl);
			return (-1);
		}
	} else if (!looks_like_address(s) && valid_ifname(s)) {
		cl->cl_is_iface = 1;
		strlcpy(cl->cl_iface, s, sizeof(cl->cl_iface));
	} else {
		expected(p, "an IPv4 or IPv6 address or an interface name "
		    "after listen on");
		free(cl);
		return (-1);
	}
	TAILQ_FOREACH(o, &conf->c_listen, cl_entry) {
		if (o->cl_is_iface != cl->cl_is_iface)
			continue;
		if (cl->cl_is_iface ? strcmp(o->cl_iface, cl->cl_iface) == 0 :
		    sockaddr_equal(&o->cl_addr, &cl->cl_addr)) {
			conf_err(p, p->p_tok.t_line, "duplicate listen on %s "
			    "(already on line %d)", s, o->cl_line);
			free(cl);
			return (-1);
		}
	}
	TAILQ_INSERT_TAIL(&conf->c_listen, cl, cl_entry);
	lex_next(p);
	return (0);
}

static int
kw_user(struct parser *p, const struct keyword *kw, void *obj, int line)
{
	struct config	*conf = obj;

	(void)kw;
	(void)line;
	return (get_string(p, "user", conf->c_user, sizeof(conf->c_user), 0));
}

static int
kw_dataplane(struct parser *p, const struct keyword *kw, void *obj, int line)
{
	static const char *const names[] = { "auto", "kernel", "userspace" };
	static const enum conf_dataplane vals[] = {
		DATAPLANE_AUTO, DATAPLANE_KERNEL, DATAPLANE_USERSPACE
	};
	struct config	*conf = obj;
	int		 i;

	(void)line;
	if ((i = get_choice(p, kw->kw_name, names, NITEMS(names),
	    "\"kernel\", \"userspace\" or \"auto\"")) == -1)
		return (-1);
	conf->c_dataplane = vals[i];
	return (0);
}

static int
kw_sandbox(struct parser *p, const struct keyword *kw, void *obj, int line)
{
	static const char *const names[] = { "kill", "trap" };
	struct config	*conf = obj;
	int		 i;

	(void)line;
	if ((i = get_choice(p, kw->kw_name, names, NITEMS(names),
	    "\"kill\" or \"trap\"")) == -1)
		return (-1);
	conf->c_sandbox = i == 0 ? CONF_SANDBOX_KILL : CONF_SANDBOX_TRAP;
	return (0);
}

/* ipsec { } */

static int
kw_suites(struct parser *p, const struct keyword *kw, void *obj, int line)
{
	struct conf_ipsec	*ip = obj;

	(void)line;
	if (strcmp(kw->kw_name, "ike") == 0)
		return (get_suites(p, "ike", ike_suite, ip->ip_ike,
		    &ip->ip_nike));
	return (get_suites(p, "esp", esp_suite, ip->ip_esp, &ip->ip_nesp));
}

static int
sub_once(struct parser *p, const char *what, int *seen, int line)
{
	if (*seen != 0) {
		conf_err(p, line, "duplicate \"%s\" in the ipsec block "
		    "(already set on line %d)", what, *seen);
		return (-1);
	}
	*seen = line;
	return (0);
}

/* `lifetime ike 8h esp 1h`: either part or both, in any order. */
static int
kw_lifetime(struct parser *p, const struct keyword *kw, void *obj, int line)
{
	struct conf_ipsec	*ip = obj;

	(void)kw;
	do {
		if (tok_is(p, "ike")) {
			if (sub_once(p, "lifetime ike", &p->p_lifetime_ike_line,
			    line) == -1)
				return (-1);
			lex_next(p);
			if (get_duration(p, "lifetime ike", 5 * MINUTE, DAY, 0,
			    &ip->ip_ike_lifetime) == -1)
				return (-1);
		} else if (tok_is(p, "esp")) {
			if (sub_once(p, "lifetime esp", &p->p_lifetime_esp_line,
			    line) == -1)
				return (-1);
			lex_next(p);
			if (get_duration(p, "lifetime esp", MINUTE, DAY, 0,
			    &ip->ip_esp_lifetime) == -1)
				return (-1);
		} else {
			expected(p, "\"ike\" or \"esp\" after lifetime");
			return (-1);
		}
	} while (!at_end(p));
	return (0);
}

/* `dpd delay 30s timeout 120s`: either part or both, in any order. */
static int
kw_dpd(struct parser *p, const struct keyword *kw, void *obj, int line)
{
	struct conf_ipsec	*ip = obj;

	(void)kw;
	do {
		if (tok_is(p, "delay")) {
			if (sub_once(p, "dpd delay", &p->p_dpd_delay_line,
			    line) == -1)
				return (-1);
			lex_next(p);
			if (get_duration(p, "dpd delay", 5, HOUR, 1,
			    &ip->ip_dpd_delay) == -1)
				return (-1);
		} else if (tok_is(p, "timeout")) {
			if (sub_once(p, "dpd timeout", &p->p_dpd_timeout_line,
			    line) == -1)
				return (-1);
			lex_next(p);
			if (get_duration(p, "dpd timeout", 10, DAY, 0,
			    &ip->ip_dpd_timeout) == -1)
				return (-1);
		} else {
			expected(p, "\"delay\" or \"timeout\" after dpd");
			return (-1);
		}
	} while (!at_end(p));
	return (0);
}

static const struct keyword ipsec_kw[] = {
	{ "psk", kw_secret, offsetof(struct conf_ipsec, ip_psk), 0, 0,
	    KW_SECRET },
	{ "ike", kw_suites, 0, 0, 0, 0 },
	{ "esp", kw_suites, 0, 0, 0, 0 },
	{ "legacy", kw_yesno, offsetof(struct conf_ipsec, ip_legacy), 0, 0,
	    0 },
	{ "lifetime", kw_lifetime, 0, 0, 0, KW_MULTI },
	{ "dpd", kw_dpd, 0, 0, 0, KW_MULTI },
	{ "max-half-open", kw_u32,
	    offsetof(struct conf_ipsec, ip_max_half_open), 1, 65535, 0 },
};

/* An explicit list names legacy suites only with `legacy yes`. */
static void
ipsec_check_legacy(struct parser *p, int line, const struct conf_suite *list,
    size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (list[i].su_legacy)
			conf_err(p, line, "%s is a legacy suite: add `legacy "
			    "yes` to the ipsec block to allow it",
			    list[i].su_name);
}

static int
kw_ipsec(struct parser *p, const struct keyword *kw, void *obj, int line)
{
	struct conf_ipsec	*ip = &((struct config *)obj)->c_ipsec;
	int			 seen[NITEMS(ipsec_kw)];
	char			 a[16], b[16];

	(void)kw;
	if (block_open(p, "ipsec") == -1)
		return (-1);
	memset(seen, 0, sizeof(seen));
	parse_body(p, "ipsec", line, ipsec_kw, NITEMS(ipsec_kw), ip, seen);
	p->p_psk_line = seen_line(ipsec_kw, NITEMS(ipsec_kw), seen, "psk");
	if (!ip->ip_legacy) {
		ipsec_check_legacy(p,
		    seen_line(ipsec_kw, NITEMS(ipsec_kw), seen, "ike"),
		    ip->ip_ike, ip->ip_nike);
		ipsec_check_legacy(p,
		    seen_line(ipsec_kw, NITEMS(ipsec_kw), seen, "esp"),
		    ip->ip_esp, ip->ip_nesp);
	}
	if (ip->ip_dpd_delay != 0 && ip->ip_dpd_timeout <= ip->ip_dpd_delay)
		conf_err(p, p->p_dpd_timeout_line > p->p_dpd_delay_line ?
		    p->p_dpd_timeout_line : p->p_dpd_delay_line,
		    "dpd timeout %s must be longer than dpd delay %s",
		    fmt_duration(ip->ip_dpd_timeout, a, sizeof(a)),
		    fmt_duration(ip->ip_dpd_delay, b, sizeof(b)));
	return (0);
}

/* l2tp { } */

static const struct keyword l2tp_kw[] = {
	{ "hostname", kw_string, offsetof(struct conf_l2tp, l2_hostname), 0,
	    sizeof(((struct conf_l2tp *)0)->l2_hostname), 0 },
	{ "secret", kw_secret, offsetof(struct conf_l2tp, l2_secret), 0, 0,
	    KW_SECRET },
	{ "hello", kw_duration, offsetof(struct conf_l2tp, l2_hello), 5, HOUR,
	    KW_ZERO_OFF },
	{ "require-ipsec", kw_yesno,
	    offsetof(struct conf_l2tp, l2_require_ipsec), 0, 0, 0 },
	{ "max-tunnels-per-peer", kw_u32,
	    offsetof(struct conf_l2tp, l2_max_tunnels_per_peer), 1, 65535, 0 },
	{ "retries", kw_u32,
	    offsetof(struct conf_l2tp, l2_retries), 1, 50, 0 },
	{ "max-sessions-per-tunnel", kw_u32,
	    offsetof(struct conf_l2tp, l2_max_sessions_per_tunnel), 1, 65535,
	    0 },
};

static int
kw_l2tp(struct parser *p, const struct keyword *kw, void *obj, int line)
{
	struct conf_l2tp	*l2 = &((struct config *)obj)->c_l2tp;
	int			 seen[NITEMS(l2tp_kw)];

	(void)kw;
	if (block_open(p, "l2tp") == -1)
		return (-1);
	memset(seen, 0, sizeof(seen));
	parse_body(p, "l2tp", line, l2tp_kw, NITEMS(l2tp_kw), l2, seen);
	return (0);
}

/* ppp { } */

static int
kw_auth(struct parser *p, const struct keyword *kw, void *obj, int line)
{
	static const char *const names[] = { "pap", "chap", "mschapv2" };
	static const enum conf_auth vals[] = {
		CONF_AUTH_PAP, CONF_AUTH_CHAP, CONF_AUTH_MSCHAPV2
	};
	struct conf_ppp	*pp = obj;
	size_t		 i, n = 0;
	int		 c;

	(void)kw;
	/* Three methods at most: a fourth is always a repeat. */
	for (;;) {
		line = p->p_tok.t_line;
		if ((c = get_choice(p, "auth", names, NITEMS(names),
		    "\"pap\", \"chap\" or \"mschapv2\"")) == -1)
			return (-1);
		for (i = 0; i < n; i++)
			if (pp->pp_auth[i] == vals[c]) {
				conf_err(p, line, "auth lists %s twice",
				    names[c]);
				return (-1);
			}
		pp->pp_auth[n++] = vals[c];
		/* Commas between the methods are allowed, not needed. */
		if (p->p_tok.t_type == T_COMMA)
			lex_next(p);
		else if (at_end(p))
			break;
	}
	pp->pp_nauth = n;
	return (0);
}

static int
kw_local(struct parser *p, const struct keyword *kw, void *obj, int line)
{
	(void)kw;
	(void)line;
	return (get_ipv4(p, "local", &((struct conf_ppp *)obj)->pp_local));
}

/* `pool A - B`, also written A-B. */
static int
kw_pool(struct parser *p, const struct keyword *kw, void *obj, int line)
{
	struct conf_ppp	*pp = obj;
	struct in_addr	 a, b;
	char		*dash, sa[INET_ADDRSTRLEN], sb[INET_ADDRSTRLEN];
	int		 tline;

	(void)kw;
	(void)line;
	tline = p->p_tok.t_line;
	if (p->p_tok.t_type == T_WORD &&
	    (dash = strchr(p->p_tok.t_text, '-')) != NULL) {
		*dash = '\0';
		if (inet_pton(AF_INET, p->p_tok.t_text, &a) != 1 ||
		    inet_pton(AF_INET, dash + 1, &b) != 1 ||
		    !ipv4_usable(a) || !ipv4_usable(b)) {
			*dash = '-';
			expected(p, "a range of unicast IPv4 addresses "
			    "START - END after pool");
			return (-1);
		}
		lex_next(p);
	} else {
		if (get_ipv4(p, "pool", &a) == -1)
			return (-1);
		if (!tok_is(p, "-")) {
			expected(p, "\"-\" after pool %s",
			    inet_ntop(AF_INET, &a, sa, sizeof(sa)));
			return (-1);
		}
		lex_next(p);
		if (get_ipv4(p, "pool START -", &b) == -1)
			return (-1);
	}
	inet_ntop(AF_INET, &a, sa, sizeof(sa));
	inet_ntop(AF_INET, &b, sb, sizeof(sb));
	if (ntohl(a.s_addr) > ntohl(b.s_addr)) {
		conf_err(p, tline, "pool start %s is after its end %s", sa, sb);
		return (-1);
	}
	if ((uint64_t)ntohl(b.s_addr) - ntohl(a.s_addr) + 1 > CONF_POOL_MAX) {
		conf_err(p, tline, "pool %s - %s has more than %d addresses",
		    sa, sb, CONF_POOL_MAX);
		return (-1);
	}
	pp->pp_pool_start = a;
	pp->pp_pool_end = b;
	return (0);
}

static int
get_ipv4_list(struct parser *p, const char *what, struct in_addr *list,
    size_t *np)
{
	size_t	 n = 0;

	for (;;) {
		if (n == CONF_MAX_NS) {
			conf_err(p, p->p_tok.t_line, "at most %d %s servers",
			    CONF_MAX_NS, what);
			return (-1);
		}
		if (get_ipv4(p, what, &list[n]) == -1)
			return (-1);
		n++;
		if (p->p_tok.t_type != T_COMMA)
			break;
		lex_next(p);
	}
	*np = n;
	return (0);
}

static int
kw_dns(struct parser *p, const struct keyword *kw, void *obj, int line)
{
	struct conf_ppp	*pp = obj;

	(void)kw;
	(void)line;
	return (get_ipv4_list(p, "dns", pp->pp_dns, &pp->pp_ndns));
}

static int
kw_wins(struct parser *p, const struct keyword *kw, void *obj, int line)
{
	struct conf_ppp	*pp = obj;

	(void)kw;
	(void)line;
	return (get_ipv4_list(p, "wins", pp->pp_wins, &pp->pp_nwins));
}

static int
kw_duplicate(struct parser *p, const struct keyword *kw, void *obj, int line)
{
	static const char *const names[] = { "replace", "allow" };
	struct conf_ppp	*pp = obj;
	int		 i;

	(void)kw;
	(void)line;
	if ((i = get_choice(p, "duplicate", names, NITEMS(names),
	    "\"replace\" or \"allow\"")) == -1)
		return (-1);
	pp->pp_duplicate = i == 0 ? CONF_DUP_REPLACE : CONF_DUP_ALLOW;
	return (0);
}

static int
kw_users(struct parser *p, const struct keyword *kw, void *obj, int line)
{
	struct conf_ppp	*pp = obj;
	char		 path[PATH_MAX];

	(void)kw;
	(void)line;
	if (get_string(p, "users", path, sizeof(path), KW_ABSPATH) == -1)
		return (-1);
	free(pp->pp_users);
	pp->pp_users = xstrdup(path);
	return (0);
}

static const struct keyword ppp_kw[] = {
	{ "name", kw_string, offsetof(struct conf_ppp, pp_name), 0,
	    sizeof(((struct conf_ppp *)0)->pp_name), 0 },
	{ "auth", kw_auth, 0, 0, 0, 0 },
	{ "local", kw_local, 0, 0, 0, 0 },
	{ "pool", kw_pool, 0, 0, 0, 0 },
	{ "dns", kw_dns, 0, 0, 0, 0 },
	{ "wins", kw_wins, 0, 0, 0, 0 },
	{ "mtu", kw_u32, offsetof(struct conf_ppp, pp_mtu), 576, 1500, 0 },
	{ "mru", kw_u32, offsetof(struct conf_ppp, pp_mru), 576, 1500, 0 },
	{ "idle", kw_duration, offsetof(struct conf_ppp, pp_idle), 10,
	    7 * DAY, KW_ZERO_OFF },
	{ "duplicate", kw_duplicate, 0, 0, 0, 0 },
	{ "users", kw_users, 0, 0, 0, 0 },
};

static int
kw_ppp(struct parser *p, const struct keyword *kw, void *obj, int line)
{
	struct conf_ppp	*pp = &((struct config *)obj)->c_ppp;
	int		 seen[NITEMS(ppp_kw)];
	int		 lline, pline;
	uint32_t	 l, s, e;
	char		 sl[INET_ADDRSTRLEN], ss[INET_ADDRSTRLEN];
	char		 se[INET_ADDRSTRLEN];

	(void)kw;
	if (block_open(p, "ppp") == -1)
		return (-1);
	memset(seen, 0, sizeof(seen));
	parse_body(p, "ppp", line, ppp_kw, NITEMS(ppp_kw), pp, seen);
	p->p_users_line = seen_line(ppp_kw, NITEMS(ppp_kw), seen, "users");

	/* The server's own end of every link cannot be handed out. */
	l = ntohl(pp->pp_local.s_addr);
	s = ntohl(pp->pp_pool_start.s_addr);
	e = ntohl(pp->pp_pool_end.s_addr);
	if (l >= s && l <= e) {
		lline = seen_line(ppp_kw, NITEMS(ppp_kw), seen, "local");
		pline = seen_line(ppp_kw, NITEMS(ppp_kw), seen, "pool");
		inet_ntop(AF_INET, &pp->pp_local, sl, sizeof(sl));
		inet_ntop(AF_INET, &pp->pp_pool_start, ss, sizeof(ss));
		inet_ntop(AF_INET, &pp->pp_pool_end, se, sizeof(se));
		conf_err(p, lline > pline ? lline : pline,
		    "local %s%s is inside the pool %s - %s", sl,
		    lline == 0 ? " (the default)" : "", ss, se);
	}
	return (0);
}

/* firewall { } */

static int
kw_wan(struct parser *p, const struct keyword *kw, void *obj, int line)
{
	struct conf_firewall	*fw = obj;

	(void)kw;
	(void)line;
	if (p->p_tok.t_type != T_WORD || !valid_ifname(p->p_tok.t_text)) {
		expected(p, "an interface name after wan");
		return (-1);
	}
	strlcpy(fw->fw_wan, p->p_tok.t_text, sizeof(fw->fw_wan));
	lex_next(p);
	return (0);
}

static const struct keyword firewall_kw[] = {
	{ "wan", kw_wan, 0, 0, 0, 0 },
	{ "nat", kw_yesno, offsetof(struct conf_firewall, fw_nat), 0, 0, 0 },
	{ "clamp-mss", kw_yesno, offsetof(struct conf_firewall, fw_clamp_mss),
	    0, 0, 0 },
};

static int
kw_firewall(struct parser *p, const struct keyword *kw, void *obj, int line)
{
	struct conf_firewall	*fw = &((struct config *)obj)->c_firewall;
	int			 seen[NITEMS(firewall_kw)];

	(void)kw;
	if (block_open(p, "firewall") == -1)
		return (-1);
	fw->fw_enabled = 1;
	fw->fw_nat = 1;
	fw->fw_clamp_mss = 1;
	memset(seen, 0, sizeof(seen));
	parse_body(p, "firewall", line, firewall_kw, NITEMS(firewall_kw), fw,
	    seen);
	if (fw->fw_nat && seen_line(firewall_kw, NITEMS(firewall_kw), seen,
	    "wan") == 0)
		conf_err(p, line, "expected \"wan INTERFACE\" in the firewall "
		    "block: nat needs the interface to masquerade behind");
	return (0);
}

/* connection NAME { } */

static int
kw_server(struct parser *p, const struct keyword *kw, void *obj, int line)
{
	struct conf_connection	*cc = obj;

	(void)kw;
	(void)line;
	if (p->p_tok.t_type != T_WORD ||
	    sockaddr_parse(p->p_tok.t_text, &cc->cc_server) == -1 ||
	    !sockaddr_usable(&cc->cc_server)) {
		memset(&cc->cc_server, 0, sizeof(cc->cc_server));
		expected(p, "an IPv4 or IPv6 address after server");
		return (-1);
	}
	lex_next(p);
	return (0);
}

/* `user NAME password SECRET` */
static int
kw_conn_user(struct parser *p, const struct keyword *kw, void *obj, int line)
{
	struct conf_connection	*cc = obj;

	(void)kw;
	if (get_string(p, "user", cc->cc_user, sizeof(cc->cc_user), 0) == -1)
		return (-1);
	/* What follows the name may be a password typed in the wrong place. */
	if (!tok_is(p, "password") || p->p_tok.t_type != T_WORD) {
		expected_noecho(p, "\"password\" after user %s", cc->cc_user);
		return (-1);
	}
	lex_next(p);
	return (get_secret(p, "password", line, &cc->cc_password));
}

static const struct keyword connection_kw[] = {
	{ "server", kw_server, 0, 0, 0, 0 },
	{ "psk", kw_secret, offsetof(struct conf_connection, cc_psk), 0, 0,
	    KW_SECRET },
	{ "user", kw_conn_user, 0, 0, 0, KW_SECRET },
	{ "default-route", kw_yesno,
	    offsetof(struct conf_connection, cc_default_route), 0, 0, 0 },
	{ "autostart", kw_yesno,
	    offsetof(struct conf_connection, cc_autostart), 0, 0, 0 },
};

static int
valid_conn_name(const char *s)
{
	size_t	 len = strlen(s);

	return (len > 0 && len < sizeof(((struct conf_connection *)0)->cc_name)
	    && strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789._-") == len);
}

static int
kw_connection(struct parser *p, const struct keyword *kw, void *obj,
    int line)
{
	struct config		*conf = obj;
	struct conf_connection	*cc, *o;
	int			 seen[NITEMS(connection_kw)];
	char			 what[96];

	(void)kw;
	if (!tok_is_value(p) || !valid_conn_name(p->p_tok.t_text)) {
		expected(p, "a name of letters, digits, \".\", \"_\" or \"-\" "
		    "after connection");
		return (-1);
	}
	TAILQ_FOREACH(o, &conf->c_connections, cc_entry)
		if (strcmp(o->cc_name, p->p_tok.t_text) == 0) {
			conf_err(p, p->p_tok.t_line, "duplicate connection "
			    "\"%s\" (already on line %d)", o->cc_name,
			    o->cc_line);
			return (-1);
		}
	cc = xcalloc(1, sizeof(*cc));
	cc->cc_line = line;
	cc->cc_autostart = 1;
	strlcpy(cc->cc_name, p->p_tok.t_text, sizeof(cc->cc_name));
	/* In the list at once, so config_free() finds it whatever happens. */
	TAILQ_INSERT_TAIL(&conf->c_connections, cc, cc_entry);
	lex_next(p);
	snprintf(what, sizeof(what), "connection %s", cc->cc_name);
	if (block_open(p, what) == -1)
		return (-1);
	memset(seen, 0, sizeof(seen));
	parse_body(p, what, line, connection_kw, NITEMS(connection_kw), cc,
	    seen);
	if (seen_line(connection_kw, NITEMS(connection_kw), seen,
	    "server") == 0)
		conf_err(p, line, "expected \"server ADDRESS\" in connection "
		    "%s", cc->cc_name);
	if (seen_line(connection_kw, NITEMS(connection_kw), seen, "psk") == 0)
		conf_err(p, line, "expected \"psk\" in connection %s (the "
		    "psk of the ipsec block is not used for connections)",
		    cc->cc_name);
	if (seen_line(connection_kw, NITEMS(connection_kw), seen,
	    "user") == 0)
		conf_err(p, line, "expected \"user NAME password ...\" in "
		    "connection %s", cc->cc_name);
	return (0);
}

static const struct keyword top_kw[] = {
	{ "listen", kw_listen, 0, 0, 0, KW_MULTI },
	{ "user", kw_user, 0, 0, 0, 0 },
	{ "chroot", kw_string, offsetof(struct config, c_chroot), 0,
	    sizeof(((struct config *)0)->c_chroot), KW_ABSPATH },
	{ "dataplane", kw_dataplane, 0, 0, 0, 0 },
	{ "control", kw_string, offsetof(struct config, c_control), 0,
	    sizeof(((struct config *)0)->c_control), KW_ABSPATH },
	{ "audit", kw_string, offsetof(struct config, c_audit), 0,
	    sizeof(((struct config *)0)->c_audit), KW_ABSPATH },
	{ "sandbox", kw_sandbox, 0, 0, 0, 0 },
	{ "max-sessions", kw_u32, offsetof(struct config, c_max_sessions),
	    1, 65535, 0 },
	{ "ipsec", kw_ipsec, 0, 0, 0, KW_BLOCK },
	{ "l2tp", kw_l2tp, 0, 0, 0, KW_BLOCK },
	{ "ppp", kw_ppp, 0, 0, 0, KW_BLOCK },
	{ "firewall", kw_firewall, 0, 0, 0, KW_BLOCK },
	{ "connection", kw_connection, 0, 0, 0, KW_BLOCK | KW_MULTI },
};

/*
 * The statements of one block (block NULL: the top level) up to its
 * closing "}"; seen[i] gets the line of tab[i].  -1 when the file ended
 * first.
 */
static int
parse_body(struct parser *p, const char *block, int open_line,
    const struct keyword *tab, size_t n, void *obj, int *seen)
{
	const struct keyword	*kw;
	char			 in[96], list[512], got[CONF_ECHO_MAX + 8];
	size_t			 i;
	int			 line, echo;

	if (block != NULL)
		snprintf(in, sizeof(in), " in the %s block", block);
	else
		in[0] = '\0';
	for (;;) {
		switch (p->p_tok.t_type) {
		case T_NL:
			lex_next(p);
			continue;
		case T_EOF:
			if (block != NULL) {
				expected(p, "\"}\" to close the %s block "
				    "opened on line %d", block, open_line);
				return (-1);
			}
			return (0);
		case T_RBRACE:
			line = p->p_tok.t_line;
			lex_next(p);
			if (block != NULL)
				return (0);
			conf_err(p, line,
			    "unexpected \"}\" (no block is open)");
			continue;
		case T_WORD:
			break;
		case T_ERROR:
			skip_statement(p);
			continue;
		default:
			/* Never quote it: it may be a misplaced secret. */
			expected_noecho(p, "a keyword%s", in);
			skip_statement(p);
			continue;
		}

		line = p->p_tok.t_line;
		for (i = 0, kw = NULL; i < n; i++)
			if (strcmp(tab[i].kw_name, p->p_tok.t_text) == 0) {
				kw = &tab[i];
				break;
			}
		if (kw == NULL) {
			/*
			 * Right after a broken secret statement, this may be
			 * the secret itself, typed on a line of its own.
			 */
			echo = line != p->p_redact_line;
			list[0] = '\0';
			for (i = 0; i < n; i++) {
				if (i > 0)
					strlcat(list, ", ", sizeof(list));
				strlcat(list, tab[i].kw_name, sizeof(list));
			}
			conf_err(p, line, "unknown keyword %s%s, expected one "
			    "of: %s", echo ? tok_describe(&p->p_tok, 1, got,
			    sizeof(got)) : "(not shown: it follows a broken "
			    "secret)", block != NULL ? in : " at the top level",
			    list);
			skip_statement(p);
			continue;
		}
		if (seen[i] != 0 && !(kw->kw_flags & KW_MULTI)) {
			if (kw->kw_flags & KW_BLOCK)
				conf_err(p, line, "duplicate %s block (the "
				    "first is on line %d)", kw->kw_name,
				    seen[i]);
			else
				conf_err(p, line, "duplicate \"%s\"%s (already "
				    "set on line %d)", kw->kw_name, in,
				    seen[i]);
			skip_statement(p);
			continue;
		}
		if (seen[i] == 0)
			seen[i] = line;
		lex_next(p);
		if (kw->kw_fn(p, kw, obj, line) == -1) {
			if (kw->kw_flags & KW_SECRET)
				p->p_redact_line = line + 1;
			skip_statement(p);
			continue;
		}
		if (!at_end(p)) {
			if (kw->kw_flags & KW_SECRET)
				expected_noecho(p, "end of line after %s",
				    kw->kw_name);
			else if (kw->kw_flags & KW_BLOCK)
				expected(p, "end of line after the %s block",
				    kw->kw_name);
			else
				expected(p, "end of line after %s",
				    kw->kw_name);
			skip_statement(p);
		}
	}
}

/* After the whole file: defaults that depend on it, cross checks. */

static void
check_user(struct parser *p, struct config *conf, int line)
{
	struct passwd	*pw;

	errno = 0;
	if ((pw = getpwnam(conf->c_user)) == NULL) {
		if (line == 0)
			conf_err(p, 0, "user \"%s\" (the default) does not "
			    "exist: `make install` or etc/mkuser.sh creates "
			    "it", conf->c_user);
		else
			conf_err(p, line, "user \"%s\" does not exist "
			    "(`make install` or etc/mkuser.sh creates %s)",
			    conf->c_user, L2TPSECD_USER);
		return;
	}
	if (pw->pw_uid == 0) {
		conf_err(p, line, "user \"%s\" has uid 0: the children must "
		    "run unprivileged", conf->c_user);
		return;
	}
	conf->c_uid = pw->pw_uid;
	conf->c_gid = pw->pw_gid;
}

/*
 * The users file holds passwords: same rules as a secrets file.  It is
 * read and parsed here, so `-n` and a reload catch its errors (logged as
 * its own file:line), and kept as bytes for the ppp child, which alone
 * holds the secrets at run time, plus the static addresses the parent
 * checks IPCP results against.
 */
static void
check_users_file(struct parser *p, struct conf_ppp *pp, int line)
{
	struct users_db	*db;
	struct stat	 st;
	uint8_t		*buf = NULL;
	size_t		 len = 0, n;
	ssize_t		 r;
	int		 fd;

	if ((fd = secret_open(p, line, pp->pp_users)) == -1)
		return;
	if (fstat(fd, &st) == -1 || st.st_size > USERS_FILE_MAX) {
		conf_err(p, line, "%s: larger than %d bytes", pp->pp_users,
		    USERS_FILE_MAX);
		close(fd);
		return;
	}
	buf = xcalloc(1, (size_t)st.st_size + 1);
	while (len < (size_t)st.st_size) {
		r = read(fd, buf + len, (size_t)st.st_size - len);
		if (r == -1 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		len += (size_t)r;
	}
	close(fd);
	if ((db = users_parse_buf(pp->pp_users, buf, len)) == NULL) {
		conf_err(p, line, "%s: not a usable chap-secrets file (see "
		    "above)", pp->pp_users);
		freezero(buf, (size_t)st.st_size + 1);
		return;
	}
	n = users_static_addrs(db, NULL, 0);
	pp->pp_statics = xcalloc(n + 1, sizeof(*pp->pp_statics));
	pp->pp_nstatics = users_static_addrs(db, pp->pp_statics, n);
	users_free(db);
	pp->pp_users_data = buf;
	pp->pp_users_len = len;
}

static void
finish(struct parser *p, struct config *conf, const int *seen)
{
	struct conf_ipsec	*ip = &conf->c_ipsec;
	struct conf_listen	*first;
	int			 users_line, explicit;

	if (ip->ip_nike == 0) {
		suites_default(ike_default, NITEMS(ike_default), ike_suite,
		    ip->ip_ike, &ip->ip_nike);
		if (ip->ip_legacy)
			suites_default(ike_default_legacy,
			    NITEMS(ike_default_legacy), ike_suite,
			    ip->ip_ike, &ip->ip_nike);
	}
	if (ip->ip_nesp == 0) {
		suites_default(esp_default, NITEMS(esp_default), esp_suite,
		    ip->ip_esp, &ip->ip_nesp);
		if (ip->ip_legacy)
			suites_default(esp_default_legacy,
			    NITEMS(esp_default_legacy), esp_suite,
			    ip->ip_esp, &ip->ip_nesp);
	}

	/*
	 * Serving clients needs a psk and the users file.  A psk or users
	 * statement that failed has been reported already.
	 */
	explicit = conf->c_ppp.pp_users != NULL;
	users_line = explicit ? p->p_users_line : 0;
	if ((first = TAILQ_FIRST(&conf->c_listen)) != NULL) {
		if (seen_line(top_kw, NITEMS(top_kw), seen, "ipsec") == 0)
			conf_err(p, first->cl_line, "listen needs a psk: add "
			    "an ipsec block with psk file \"PATH\"");
		else if (p->p_psk_line == 0)
			conf_err(p, first->cl_line, "listen needs a psk: add "
			    "psk file \"PATH\" to the ipsec block");
		if (!explicit && p->p_users_line == 0)
			users_line = first->cl_line;
	}
	if (conf->c_ppp.pp_users == NULL)
		conf->c_ppp.pp_users = xstrdup(L2TPSECD_USERS);
	if (users_line != 0)
		check_users_file(p, &conf->c_ppp, users_line);

	check_user(p, conf, seen_line(top_kw, NITEMS(top_kw), seen, "user"));

	/*
	 * An inline secret makes the config file itself a secrets file:
	 * readable by anyone, it would hand out the secret.
	 */
	if (p->p_inline_line != 0 &&
	    (p->p_st.st_uid != 0 || (p->p_st.st_mode & 077) != 0))
		conf_err(p, p->p_inline_line, "an inline %s needs this file "
		    "to be owned by root and mode 0600 (it is owned by uid %u "
		    "and mode %04o): chmod it, or use %s file \"PATH\"",
		    p->p_inline_what, (unsigned)p->p_st.st_uid,
		    (unsigned)p->p_st.st_mode & 07777, p->p_inline_what);
}

static struct config *
config_new(const char *path)
{
	struct config	*conf;

	conf = xcalloc(1, sizeof(*conf));
	conf->c_file = xstrdup(path);
	TAILQ_INIT(&conf->c_listen);
	TAILQ_INIT(&conf->c_connections);
	strlcpy(conf->c_user, L2TPSECD_USER, sizeof(conf->c_user));
	conf->c_uid = (uid_t)-1;
	conf->c_gid = (gid_t)-1;
	strlcpy(conf->c_chroot, L2TPSECD_CHROOT, sizeof(conf->c_chroot));
	conf->c_dataplane = DATAPLANE_AUTO;
	strlcpy(conf->c_control, L2TPSECD_SOCKET, sizeof(conf->c_control));
	strlcpy(conf->c_audit, L2TPSECD_AUDIT, sizeof(conf->c_audit));
	conf->c_sandbox = CONF_SANDBOX_KILL;
	conf->c_max_sessions = 1000;

	conf->c_ipsec.ip_legacy = 0;
	conf->c_ipsec.ip_ike_lifetime = 8 * HOUR;
	conf->c_ipsec.ip_esp_lifetime = 1 * HOUR;
	conf->c_ipsec.ip_dpd_delay = 30;
	conf->c_ipsec.ip_dpd_timeout = 120;
	conf->c_ipsec.ip_max_half_open = 512;

	strlcpy(conf->c_l2tp.l2_hostname, "l2tpsecd",
	    sizeof(conf->c_l2tp.l2_hostname));
	conf->c_l2tp.l2_hello = 60;
	conf->c_l2tp.l2_require_ipsec = 1;
	conf->c_l2tp.l2_max_tunnels_per_peer = 4;
	conf->c_l2tp.l2_max_sessions_per_tunnel = 256;
	conf->c_l2tp.l2_retries = 5;

	strlcpy(conf->c_ppp.pp_name, "l2tpd", sizeof(conf->c_ppp.pp_name));
	conf->c_ppp.pp_auth[0] = CONF_AUTH_MSCHAPV2;
	conf->c_ppp.pp_nauth = 1;
	inet_pton(AF_INET, "10.2.0.1", &conf->c_ppp.pp_local);
	inet_pton(AF_INET, "10.2.0.100", &conf->c_ppp.pp_pool_start);
	inet_pton(AF_INET, "10.2.0.199", &conf->c_ppp.pp_pool_end);
	conf->c_ppp.pp_mtu = 1400;
	conf->c_ppp.pp_mru = 1400;
	conf->c_ppp.pp_idle = 0;
	conf->c_ppp.pp_duplicate = CONF_DUP_REPLACE;

	/* No firewall block: l2tpsecd leaves the firewall alone. */
	conf->c_firewall.fw_enabled = 0;
	conf->c_firewall.fw_nat = 0;
	conf->c_firewall.fw_clamp_mss = 0;
	return (conf);
}

static int
read_file(struct parser *p)
{
	ssize_t	 n;
	int	 fd;

	if ((fd = open(p->p_file, O_RDONLY | O_NONBLOCK | O_CLOEXEC)) == -1) {
		log_warnx("%s: %s", p->p_file, strerror(errno));
		return (-1);
	}
	if (fstat(fd, &p->p_st) == -1) {
		log_warnx("%s: %s", p->p_file, strerror(errno));
		goto fail;
	}
	if (!S_ISREG(p->p_st.st_mode)) {
		log_warnx("%s: not a regular file", p->p_file);
		goto fail;
	}
	if (p->p_st.st_size > CONF_FILE_MAX) {
		log_warnx("%s: larger than %d bytes", p->p_file,
		    CONF_FILE_MAX);
		goto fail;
	}
	p->p_buf = xcalloc(1, (size_t)p->p_st.st_size + 1);
	while (p->p_len < (size_t)p->p_st.st_size) {
		n = read(fd, p->p_buf + p->p_len,
		    (size_t)p->p_st.st_size - p->p_len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			log_warnx("%s: %s", p->p_file, strerror(errno));
			goto fail;
		}
		if (n == 0)
			break;
		p->p_len += (size_t)n;
	}
	close(fd);
	return (0);
 fail:
	close(fd);
	return (-1);
}

struct config *
config_parse(const char *path)
{
	struct parser	 p;
	struct config	*conf;
	int		 seen[NITEMS(top_kw)];

	memset(&p, 0, sizeof(p));
	p.p_file = path;
	p.p_line = 1;
	if (read_file(&p) == -1) {
		if (p.p_buf != NULL)
			freezero(p.p_buf, (size_t)p.p_st.st_size + 1);
		return (NULL);
	}
	conf = config_new(path);
	memset(seen, 0, sizeof(seen));
	lex_next(&p);
	parse_body(&p, NULL, 0, top_kw, NITEMS(top_kw), conf, seen);
	finish(&p, conf, seen);
	tok_clear(&p.p_tok);
	/* The file may hold inline secrets. */
	freezero(p.p_buf, (size_t)p.p_st.st_size + 1);
	if (p.p_errors > 0) {
		config_free(conf);
		return (NULL);
	}
	return (conf);
}

void
config_free(struct config *conf)
{
	struct conf_listen	*cl;
	struct conf_connection	*cc;

	if (conf == NULL)
		return;
	while ((cl = TAILQ_FIRST(&conf->c_listen)) != NULL) {
		TAILQ_REMOVE(&conf->c_listen, cl, cl_entry);
		free(cl);
	}
	while ((cc = TAILQ_FIRST(&conf->c_connections)) != NULL) {
		TAILQ_REMOVE(&conf->c_connections, cc, cc_entry);
		secret_clear(&cc->cc_psk);
		secret_clear(&cc->cc_password);
		freezero(cc, sizeof(*cc));
	}
	secret_clear(&conf->c_ipsec.ip_psk);
	secret_clear(&conf->c_l2tp.l2_secret);
	free(conf->c_ppp.pp_users);
	if (conf->c_ppp.pp_users_data != NULL)
		freezero(conf->c_ppp.pp_users_data, conf->c_ppp.pp_users_len);
	free(conf->c_ppp.pp_statics);
	free(conf->c_file);
	freezero(conf, sizeof(*conf));
}

static int
listen_equal(const struct conf_listen *a, const struct conf_listen *b)
{
	if (a->cl_is_iface != b->cl_is_iface)
		return (0);
	if (a->cl_is_iface)
		return (strcmp(a->cl_iface, b->cl_iface) == 0);
	return (sockaddr_equal(&a->cl_addr, &b->cl_addr));
}

/* The same set of addresses and interfaces, in any order. */
static int
listen_same(const struct config *a, const struct config *b)
{
	const struct conf_listen	*x, *y;
	size_t				 na = 0, nb = 0;

	TAILQ_FOREACH(x, &a->c_listen, cl_entry)
		na++;
	TAILQ_FOREACH(y, &b->c_listen, cl_entry)
		nb++;
	if (na != nb)
		return (0);
	TAILQ_FOREACH(x, &a->c_listen, cl_entry) {
		TAILQ_FOREACH(y, &b->c_listen, cl_entry)
			if (listen_equal(x, y))
				break;
		if (y == NULL)
			return (0);
	}
	return (1);
}

static int
restart_add(char *buf, size_t len, int n, const char *what)
{
	if (buf != NULL && len > 0) {
		if (n > 0)
			strlcat(buf, ", ", len);
		strlcat(buf, what, len);
	}
	return (n + 1);
}

int
config_restart_needed(const struct config *o, const struct config *n,
    char *buf, size_t len)
{
	int	 count = 0;

	if (buf != NULL && len > 0)
		buf[0] = '\0';
	if (!listen_same(o, n))
		count = restart_add(buf, len, count, "listen");
	if (strcmp(o->c_user, n->c_user) != 0 || o->c_uid != n->c_uid ||
	    o->c_gid != n->c_gid)
		count = restart_add(buf, len, count, "user");
	if (strcmp(o->c_chroot, n->c_chroot) != 0)
		count = restart_add(buf, len, count, "chroot");
	if (o->c_dataplane != n->c_dataplane)
		count = restart_add(buf, len, count, "dataplane");
	if (strcmp(o->c_control, n->c_control) != 0)
		count = restart_add(buf, len, count, "control");
	return (count);
}

const char *
config_dataplane_name(enum conf_dataplane dp)
{
	switch (dp) {
	case DATAPLANE_AUTO:
		return ("auto");
	case DATAPLANE_KERNEL:
		return ("kernel");
	case DATAPLANE_USERSPACE:
		return ("userspace");
	}
	return ("?");
}

const char *
config_sandbox_name(enum conf_sandbox sb)
{
	switch (sb) {
	case CONF_SANDBOX_KILL:
		return ("kill");
	case CONF_SANDBOX_TRAP:
		return ("trap");
	}
	return ("?");
}

const char *
config_auth_name(enum conf_auth a)
{
	switch (a) {
	case CONF_AUTH_NONE:
		return ("none");
	case CONF_AUTH_PAP:
		return ("pap");
	case CONF_AUTH_CHAP:
		return ("chap");
	case CONF_AUTH_MSCHAPV2:
		return ("mschapv2");
	}
	return ("?");
}

const char *
config_duplicate_name(enum conf_duplicate d)
{
	switch (d) {
	case CONF_DUP_REPLACE:
		return ("replace");
	case CONF_DUP_ALLOW:
		return ("allow");
	}
	return ("?");
}
