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
 * l2tpsecd.conf(5): the good files parse to what the manual promises, every
 * bad one is refused with the exact line a user would read, secrets files
 * with loose permissions are refused, and no secret ever reaches a log
 * line.  Run from the repository root (the good files are in
 * regress/unit/conf/, the example in etc/).  The configs are written into
 * a temporary directory with their secrets files; "@D@" in a config or an
 * expected line stands for that directory, "@USER@" for an unprivileged
 * user that exists.
 */

#include <sys/stat.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/log.h"
#include "parent/config.h"
#include "test.h"

T_DEFINE_GLOBALS;

#define NITEMS(a)	(sizeof(a) / sizeof((a)[0]))

/* Every secret in these tests contains it; no log line may. */
#define MARK		"S3CRET"

static char		 tmpdir[64];
static int		 is_root;
static int		 have_default_user;	/* _l2tpsecd exists */
static const char	*test_user;		/* _l2tpsecd, else nobody */

#define MAX_LINES	64
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

/* Keeps each line without the "procname: " prefix. */
static void
capture(int pri, const char *line)
{
	const char	*m;

	(void)pri;
	if (strstr(line, MARK) != NULL) {
		printf("# a secret was logged: %s\n", line);
		secret_logged = 1;
	}
	m = strstr(line, ": ");
	m = m != NULL ? m + 2 : line;
	if (nlines < MAX_LINES && (lines[nlines] = strdup(m)) != NULL)
		nlines++;
}

/* A copy of s with @D@ and @USER@ replaced. */
static char *
subst(const char *s)
{
	size_t	 len = 1, dl = strlen(tmpdir), ul = strlen(test_user);
	const char *p;
	char	*out, *o;

	for (p = s; *p != '\0'; p++)
		len += dl + ul + 1;
	if ((out = malloc(len)) == NULL)
		abort();
	for (o = out, p = s; *p != '\0';) {
		if (strncmp(p, "@D@", 3) == 0) {
			memcpy(o, tmpdir, dl);
			o += dl;
			p += 3;
		} else if (strncmp(p, "@USER@", 6) == 0) {
			memcpy(o, test_user, ul);
			o += ul;
			p += 6;
		} else
			*o++ = *p++;
	}
	*o = '\0';
	return (out);
}

static char *
read_text(const char *path)
{
	FILE	*f;
	char	*buf;
	long	 len;

	if ((f = fopen(path, "r")) == NULL) {
		printf("# %s: %s (run from the repository root)\n", path,
		    strerror(errno));
		return (NULL);
	}
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	if ((buf = calloc(1, (size_t)len + 1)) == NULL ||
	    fread(buf, 1, (size_t)len, f) != (size_t)len)
		abort();
	fclose(f);
	return (buf);
}

/* Writes tmpdir/name with exactly these bytes and mode; its path. */
static const char *
write_file(const char *name, const char *text, size_t len, mode_t mode)
{
	static char	 path[PATH_MAX];
	int		 fd;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	unlink(path);
	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600)) == -1 ||
	    write(fd, text, len) != (ssize_t)len || fchmod(fd, mode) == -1)
		abort();
	close(fd);
	return (path);
}

/* Writes the config (after subst) as tmpdir/name, 0600, and parses it. */
static struct config *
parse_text(const char *name, const char *text)
{
	struct config	*conf;
	char		*s = subst(text);
	char		 path[PATH_MAX];

	strlcpy(path, write_file(name, s, strlen(s), 0600), sizeof(path));
	free(s);
	capture_reset();
	conf = config_parse(path);
	return (conf);
}

/*
 * Lines that depend on the machine, not on the config under test: the
 * default user missing where `make install` never ran, and an inline
 * secret in a file a non-root run cannot give to root.
 */
static int
machine_line(const char *line)
{
	if (!have_default_user &&
	    strstr(line, ": user \"_l2tpsecd\" (the default) does not exist")
	    != NULL)
		return (1);
	if (!is_root && strstr(line, "needs this file to be owned by root"))
		return (1);
	return (0);
}

/* The captured lines are exactly exp[] (NULL-terminated, after subst). */
static int
lines_are(const char *const *exp)
{
	size_t	 i, j = 0;
	char	*e;
	int	 ok = 1;

	for (i = 0; i < nlines; i++) {
		if (machine_line(lines[i]))
			continue;
		if (exp[j] == NULL) {
			printf("#   unexpected: %s\n", lines[i]);
			ok = 0;
			continue;
		}
		e = subst(exp[j++]);
		if (strcmp(e, lines[i]) != 0) {
			printf("#   expected: %s\n#        got: %s\n", e,
			    lines[i]);
			ok = 0;
		}
		free(e);
	}
	for (; exp[j] != NULL; j++) {
		e = subst(exp[j]);
		printf("#    missing: %s\n", e);
		free(e);
		ok = 0;
	}
	return (ok);
}

static int
rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return (remove(path));
}

/* The secrets files the good configs name, all root and 0600. */
static void
make_secrets(void)
{
	write_file("psk", MARK "-psk\n", strlen(MARK "-psk\n"), 0600);
	write_file("l2tp-secret", MARK "-l2tp", strlen(MARK "-l2tp"), 0600);
	write_file("office.psk", MARK "-office\r\n",
	    strlen(MARK "-office\r\n"), 0400);
	write_file("office.pass", MARK "-pass\n\n", strlen(MARK "-pass\n\n"),
	    0600);
	write_file("chap-secrets", "alice l2tpd \"" MARK "\" *\n",
	    strlen("alice l2tpd \"" MARK "\" *\n"), 0600);
}

static int
in4_is(struct in_addr a, const char *s)
{
	struct in_addr	 b;

	return (inet_pton(AF_INET, s, &b) == 1 && a.s_addr == b.s_addr);
}

static int
secret_is(const struct conf_secret *cs, const char *s)
{
	return (cs->cs_data != NULL && cs->cs_len == strlen(s) &&
	    memcmp(cs->cs_data, s, cs->cs_len) == 0 &&
	    cs->cs_data[cs->cs_len] == '\0');
}

/* The example of the manual and the issue, every setting given. */
static void
test_full_example(void)
{
	struct config		*conf;
	struct conf_listen	*cl;
	struct conf_connection	*cc;
	const struct sockaddr_in *sin;
	char			*text;
	char			 path[PATH_MAX];

	if (!is_root)
		T_SKIP("secrets files must be owned by root");
	T_ASSERT_RET((text = read_text("regress/unit/conf/full.conf")) != NULL);
	conf = parse_text("full.conf", text);
	free(text);
	T_ASSERT(lines_are((const char *const []){ NULL }));
	T_ASSERT_RET(conf != NULL);

	cl = TAILQ_FIRST(&conf->c_listen);
	T_ASSERT_RET(cl != NULL && TAILQ_NEXT(cl, cl_entry) == NULL);
	sin = (const struct sockaddr_in *)&cl->cl_addr;
	T_ASSERT(!cl->cl_is_iface && sin->sin_family == AF_INET &&
	    in4_is(sin->sin_addr, "203.0.113.1") && cl->cl_line == 4);
	T_ASSERT(strcmp(conf->c_user, test_user) == 0);
	T_ASSERT(conf->c_uid == getpwnam(test_user)->pw_uid);
	T_ASSERT(strcmp(conf->c_chroot, "/var/lib/l2tpsecd/empty") == 0);
	T_ASSERT(conf->c_dataplane == DATAPLANE_AUTO);
	T_ASSERT(strcmp(conf->c_control, "/run/l2tpsecd.sock") == 0);
	T_ASSERT(strcmp(conf->c_audit, "/var/log/l2tpsecd/audit.log") == 0);
	T_ASSERT(conf->c_sandbox == CONF_SANDBOX_KILL);
	T_ASSERT(conf->c_max_sessions == 1000);

	T_ASSERT(secret_is(&conf->c_ipsec.ip_psk, MARK "-psk"));
	snprintf(path, sizeof(path), "%s/psk", tmpdir);
	T_ASSERT(conf->c_ipsec.ip_psk.cs_file != NULL &&
	    strcmp(conf->c_ipsec.ip_psk.cs_file, path) == 0);
	T_ASSERT_RET(conf->c_ipsec.ip_nike == 3 && conf->c_ipsec.ip_nesp == 3);
	T_ASSERT(strcmp(conf->c_ipsec.ip_ike[0].su_name,
	    "aes256-sha1-modp2048") == 0);
	T_ASSERT(conf->c_ipsec.ip_ike[0].su_enc == CONF_ENC_AES256 &&
	    conf->c_ipsec.ip_ike[0].su_keylen == 256 &&
	    conf->c_ipsec.ip_ike[0].su_hash == CONF_HASH_SHA1 &&
	    conf->c_ipsec.ip_ike[0].su_group == CONF_GROUP_MODP2048 &&
	    !conf->c_ipsec.ip_ike[0].su_legacy);
	T_ASSERT(conf->c_ipsec.ip_ike[2].su_hash == CONF_HASH_SHA256);
	T_ASSERT(conf->c_ipsec.ip_esp[1].su_enc == CONF_ENC_AES128 &&
	    conf->c_ipsec.ip_esp[1].su_hash == CONF_HASH_SHA1 &&
	    conf->c_ipsec.ip_esp[1].su_group == CONF_GROUP_NONE);
	T_ASSERT(strcmp(conf->c_ipsec.ip_esp[2].su_name, "aes128gcm16") == 0 &&
	    conf->c_ipsec.ip_esp[2].su_enc == CONF_ENC_AES128GCM16 &&
	    conf->c_ipsec.ip_esp[2].su_hash == CONF_HASH_NONE);
	T_ASSERT(!conf->c_ipsec.ip_legacy);
	T_ASSERT(conf->c_ipsec.ip_ike_lifetime == 8 * 3600 &&
	    conf->c_ipsec.ip_esp_lifetime == 3600);
	T_ASSERT(conf->c_ipsec.ip_dpd_delay == 30 &&
	    conf->c_ipsec.ip_dpd_timeout == 120);
	T_ASSERT(conf->c_ipsec.ip_max_half_open == 512);

	T_ASSERT(strcmp(conf->c_l2tp.l2_hostname, "vpn") == 0);
	T_ASSERT(secret_is(&conf->c_l2tp.l2_secret, MARK "-l2tp"));
	T_ASSERT(conf->c_l2tp.l2_hello == 60);
	T_ASSERT(conf->c_l2tp.l2_require_ipsec == 1);
	T_ASSERT(conf->c_l2tp.l2_max_tunnels_per_peer == 4);

	T_ASSERT(strcmp(conf->c_ppp.pp_name, "l2tpd") == 0);
	T_ASSERT(conf->c_ppp.pp_nauth == 1 &&
	    conf->c_ppp.pp_auth[0] == CONF_AUTH_MSCHAPV2);
	T_ASSERT(in4_is(conf->c_ppp.pp_local, "10.2.0.1"));
	T_ASSERT(in4_is(conf->c_ppp.pp_pool_start, "10.2.0.100"));
	T_ASSERT(in4_is(conf->c_ppp.pp_pool_end, "10.2.0.149"));
	T_ASSERT(conf->c_ppp.pp_ndns == 2 &&
	    in4_is(conf->c_ppp.pp_dns[0], "8.8.8.8") &&
	    in4_is(conf->c_ppp.pp_dns[1], "8.8.4.4"));
	T_ASSERT(conf->c_ppp.pp_nwins == 1 &&
	    in4_is(conf->c_ppp.pp_wins[0], "10.2.0.2"));
	T_ASSERT(conf->c_ppp.pp_mtu == 1400 && conf->c_ppp.pp_mru == 1400);
	T_ASSERT(conf->c_ppp.pp_idle == 30 * 60);
	T_ASSERT(conf->c_ppp.pp_duplicate == CONF_DUP_REPLACE);
	snprintf(path, sizeof(path), "%s/chap-secrets", tmpdir);
	T_ASSERT(strcmp(conf->c_ppp.pp_users, path) == 0);

	T_ASSERT(conf->c_firewall.fw_enabled &&
	    strcmp(conf->c_firewall.fw_wan, "ens3") == 0 &&
	    conf->c_firewall.fw_nat && conf->c_firewall.fw_clamp_mss);

	cc = TAILQ_FIRST(&conf->c_connections);
	T_ASSERT_RET(cc != NULL && TAILQ_NEXT(cc, cc_entry) == NULL);
	T_ASSERT(strcmp(cc->cc_name, "office") == 0);
	sin = (const struct sockaddr_in *)&cc->cc_server;
	T_ASSERT(sin->sin_family == AF_INET &&
	    in4_is(sin->sin_addr, "198.51.100.7"));
	/* One trailing newline goes, CRLF counting as one; no more. */
	T_ASSERT(secret_is(&cc->cc_psk, MARK "-office"));
	T_ASSERT(secret_is(&cc->cc_password, MARK "-pass\n"));
	T_ASSERT(strcmp(cc->cc_user, "alice") == 0);
	T_ASSERT(cc->cc_default_route == 1 && cc->cc_autostart == 0);
	config_free(conf);
}

/* A file with nothing in it: every default of the manual. */
static void
test_defaults(void)
{
	struct config		*conf;
	const struct conf_ipsec	*ip;
	size_t			 i;

	conf = parse_text("empty.conf", "# nothing but a comment\n\n");
	if (!have_default_user) {
		/* Exactly the one complaint, naming the cure. */
		T_ASSERT(conf == NULL);
		T_ASSERT(nlines == 1 && strstr(lines[0], "/empty.conf: user "
		    "\"_l2tpsecd\" (the default) does not exist: `make "
		    "install` or etc/mkuser.sh creates it") != NULL);
		T_SKIP("no _l2tpsecd user here (make user): checked the "
		    "refusal only");
	}
	T_ASSERT(lines_are((const char *const []){ NULL }));
	T_ASSERT_RET(conf != NULL);
	T_ASSERT(TAILQ_EMPTY(&conf->c_listen));
	T_ASSERT(strcmp(conf->c_user, "_l2tpsecd") == 0);
	T_ASSERT(conf->c_uid == getpwnam("_l2tpsecd")->pw_uid);
	T_ASSERT(strcmp(conf->c_chroot, L2TPSECD_CHROOT) == 0);
	T_ASSERT(conf->c_dataplane == DATAPLANE_AUTO);
	T_ASSERT(strcmp(conf->c_control, L2TPSECD_SOCKET) == 0);
	T_ASSERT(strcmp(conf->c_audit, L2TPSECD_AUDIT) == 0);
	T_ASSERT(conf->c_sandbox == CONF_SANDBOX_KILL);
	T_ASSERT(conf->c_max_sessions == 1000);

	ip = &conf->c_ipsec;
	T_ASSERT(ip->ip_psk.cs_data == NULL && ip->ip_psk.cs_file == NULL);
	T_ASSERT(!ip->ip_legacy);
	T_ASSERT(ip->ip_nike == 12 && ip->ip_nesp == 6);
	for (i = 0; i < ip->ip_nike; i++)
		T_ASSERT(!ip->ip_ike[i].su_legacy);
	for (i = 0; i < ip->ip_nesp; i++)
		T_ASSERT(!ip->ip_esp[i].su_legacy);
	T_ASSERT(ip->ip_ike_lifetime == 8 * 3600 &&
	    ip->ip_esp_lifetime == 3600);
	T_ASSERT(ip->ip_dpd_delay == 30 && ip->ip_dpd_timeout == 120);
	T_ASSERT(ip->ip_max_half_open == 512);

	T_ASSERT(strcmp(conf->c_l2tp.l2_hostname, "l2tpsecd") == 0);
	T_ASSERT(conf->c_l2tp.l2_secret.cs_data == NULL);
	T_ASSERT(conf->c_l2tp.l2_hello == 60);
	T_ASSERT(conf->c_l2tp.l2_require_ipsec == 1);
	T_ASSERT(conf->c_l2tp.l2_max_tunnels_per_peer == 4);

	T_ASSERT(strcmp(conf->c_ppp.pp_name, "l2tpd") == 0);
	T_ASSERT(conf->c_ppp.pp_nauth == 1 &&
	    conf->c_ppp.pp_auth[0] == CONF_AUTH_MSCHAPV2);
	T_ASSERT(in4_is(conf->c_ppp.pp_local, "10.2.0.1"));
	T_ASSERT(in4_is(conf->c_ppp.pp_pool_start, "10.2.0.100"));
	T_ASSERT(in4_is(conf->c_ppp.pp_pool_end, "10.2.0.199"));
	T_ASSERT(conf->c_ppp.pp_ndns == 0 && conf->c_ppp.pp_nwins == 0);
	T_ASSERT(conf->c_ppp.pp_mtu == 1400 && conf->c_ppp.pp_mru == 1400);
	T_ASSERT(conf->c_ppp.pp_idle == 0);
	T_ASSERT(conf->c_ppp.pp_duplicate == CONF_DUP_REPLACE);
	T_ASSERT(strcmp(conf->c_ppp.pp_users, L2TPSECD_USERS) == 0);

	T_ASSERT(!conf->c_firewall.fw_enabled && !conf->c_firewall.fw_nat &&
	    !conf->c_firewall.fw_clamp_mss);
	T_ASSERT(TAILQ_EMPTY(&conf->c_connections));
	config_free(conf);
}

/* A server with only what it needs, and the defaults a block brings. */
static void
test_minimal_server(void)
{
	struct config	*conf;
	char		*text;

	if (!is_root)
		T_SKIP("secrets files must be owned by root");
	T_ASSERT_RET((text = read_text("regress/unit/conf/minimal.conf")) !=
	    NULL);
	conf = parse_text("minimal.conf", text);
	free(text);
	T_ASSERT(lines_are((const char *const []){ NULL }));
	T_ASSERT_RET(conf != NULL);
	T_ASSERT(secret_is(&conf->c_ipsec.ip_psk, MARK "-psk"));
	T_ASSERT(conf->c_ipsec.ip_nike == 12);
	T_ASSERT(conf->c_ppp.pp_mtu == 1400);
	config_free(conf);

	/* A firewall block turns nat and clamp-mss on. */
	conf = parse_text("fw.conf",
	    "user @USER@\nfirewall {\n\twan eth0\n}\n");
	T_ASSERT(lines_are((const char *const []){ NULL }));
	T_ASSERT_RET(conf != NULL);
	T_ASSERT(conf->c_firewall.fw_enabled && conf->c_firewall.fw_nat &&
	    conf->c_firewall.fw_clamp_mss);
	config_free(conf);
	conf = parse_text("fw.conf", "firewall {\n\tnat no\n"
	    "\tclamp-mss no\n}\nuser @USER@\n");
	T_ASSERT(lines_are((const char *const []){ NULL }));
	T_ASSERT_RET(conf != NULL);
	T_ASSERT(conf->c_firewall.fw_enabled && !conf->c_firewall.fw_nat &&
	    !conf->c_firewall.fw_clamp_mss && conf->c_firewall.fw_wan[0] == 0);
	config_free(conf);
}

/* The shipped example, with its secrets files in our directory. */
static void
test_etc_example(void)
{
	struct config	*conf;
	char		*text, *s, *o, *p;
	const char	*from = "\"/etc/l2tpsecd/";
	size_t		 n = 0;

	if (!is_root)
		T_SKIP("secrets files must be owned by root");
	T_ASSERT_RET((text = read_text("etc/l2tpsecd.conf")) != NULL);
	for (p = text; (p = strstr(p, from)) != NULL; p++)
		n++;
	T_ASSERT(n >= 2);
	s = calloc(1, strlen(text) + n * 4 + 64);
	T_ASSERT_RET(s != NULL);
	for (o = s, p = text; *p != '\0';) {
		if (strncmp(p, from, strlen(from)) == 0) {
			o = stpcpy(o, "\"@D@/");
			p += strlen(from);
		} else
			*o++ = *p++;
	}
	/* The example leaves the user at its default. */
	if (!have_default_user)
		strcpy(o, "user @USER@\n");
	conf = parse_text("example.conf", s);
	free(s);
	free(text);
	T_ASSERT(lines_are((const char *const []){ NULL }));
	T_ASSERT_RET(conf != NULL);
	T_ASSERT(!TAILQ_EMPTY(&conf->c_listen));
	T_ASSERT(conf->c_ipsec.ip_psk.cs_data != NULL);
	T_ASSERT(conf->c_firewall.fw_enabled);
	config_free(conf);
}

/* Forms the grammar allows besides those of the example. */
static void
test_variants(void)
{
	struct config		*conf;
	struct conf_listen	*cl;

	conf = parse_text("var.conf",
	    "# a comment\n"
	    "listen on 2001:db8::1\t# IPv6\n"
	    "listen on eth0\n"
	    "listen on 192.0.2.1\n"
	    "user \"@USER@\"\n"
	    "max-sessions 65535\n"
	    "ipsec {\n"
	    "\tpsk \"" MARK " with \\\"quotes\\\" and # hash\"\n"
	    "\tlifetime esp 30m\n"
	    "\tlifetime ike 1d\n"
	    "\tdpd delay 0\n"
	    "\tike AES128-SHA512-ECP256,aes256-sha384-modp4096\n"
	    "\tesp aes256gcm16\n"
	    "}\n"
	    "l2tp { hello 0 }\n"
	    "ppp {\n"
	    "\tauth pap, chap mschapv2\n"
	    "\tpool 10.2.0.10-10.2.0.20\n"
	    "\tidle 3600\n"
	    "\tduplicate allow\n"
	    "\tusers \"@D@/chap-secrets\"\n"
	    "}\n"
	    "connection \"home-1\" {\n"
	    "\tserver 2001:db8::7\n"
	    "\tpsk \"" MARK "2\"\n"
	    "\tuser \"DOMAIN\\\\bob\" password \"" MARK "3\"\n"
	    "}\n"
	    "connection b { \n"
	    "\tserver 198.51.100.8\n\tpsk \"" MARK "4\"\n"
	    "\tuser bob password \"" MARK "5\"\n}\n");
	if (!is_root) {
		capture_reset();
		config_free(conf);
		T_SKIP("secrets files must be owned by root");
	}
	T_ASSERT(lines_are((const char *const []){ NULL }));
	T_ASSERT_RET(conf != NULL);
	cl = TAILQ_FIRST(&conf->c_listen);
	T_ASSERT_RET(cl != NULL);
	T_ASSERT(cl->cl_addr.ss_family == AF_INET6 && cl->cl_line == 2);
	cl = TAILQ_NEXT(cl, cl_entry);
	T_ASSERT_RET(cl != NULL);
	T_ASSERT(cl->cl_is_iface && strcmp(cl->cl_iface, "eth0") == 0);
	T_ASSERT(TAILQ_NEXT(cl, cl_entry) != NULL);
	T_ASSERT(conf->c_max_sessions == 65535);
	T_ASSERT(secret_is(&conf->c_ipsec.ip_psk,
	    MARK " with \"quotes\" and # hash"));
	T_ASSERT(conf->c_ipsec.ip_psk.cs_file == NULL);
	T_ASSERT(conf->c_ipsec.ip_esp_lifetime == 1800 &&
	    conf->c_ipsec.ip_ike_lifetime == 86400);
	T_ASSERT(conf->c_ipsec.ip_dpd_delay == 0);
	T_ASSERT(conf->c_ipsec.ip_nike == 2 &&
	    strcmp(conf->c_ipsec.ip_ike[0].su_name, "aes128-sha512-ecp256")
	    == 0 && conf->c_ipsec.ip_ike[0].su_group == CONF_GROUP_ECP256 &&
	    conf->c_ipsec.ip_ike[0].su_hash == CONF_HASH_SHA512);
	T_ASSERT(conf->c_ipsec.ip_nesp == 1 &&
	    conf->c_ipsec.ip_esp[0].su_enc == CONF_ENC_AES256GCM16 &&
	    conf->c_ipsec.ip_esp[0].su_keylen == 256);
	T_ASSERT(conf->c_l2tp.l2_hello == 0);
	T_ASSERT(conf->c_ppp.pp_nauth == 3 &&
	    conf->c_ppp.pp_auth[0] == CONF_AUTH_PAP &&
	    conf->c_ppp.pp_auth[1] == CONF_AUTH_CHAP &&
	    conf->c_ppp.pp_auth[2] == CONF_AUTH_MSCHAPV2);
	T_ASSERT(in4_is(conf->c_ppp.pp_pool_start, "10.2.0.10") &&
	    in4_is(conf->c_ppp.pp_pool_end, "10.2.0.20"));
	T_ASSERT(conf->c_ppp.pp_idle == 3600);
	T_ASSERT(conf->c_ppp.pp_duplicate == CONF_DUP_ALLOW);
	T_ASSERT_RET(!TAILQ_EMPTY(&conf->c_connections));
	T_ASSERT(strcmp(TAILQ_FIRST(&conf->c_connections)->cc_name,
	    "home-1") == 0);
	T_ASSERT(strcmp(TAILQ_FIRST(&conf->c_connections)->cc_user,
	    "DOMAIN\\bob") == 0);
	T_ASSERT(TAILQ_FIRST(&conf->c_connections)->cc_autostart == 1 &&
	    TAILQ_FIRST(&conf->c_connections)->cc_default_route == 0);
	T_ASSERT(secret_is(&TAILQ_FIRST(&conf->c_connections)->cc_password,
	    MARK "3"));
	config_free(conf);
}

/* Each bad file and the exact lines it must give; F is its name. */
#define F	"@D@/bad.conf"

struct bad {
	const char	*b_text;
	const char	*b_err[4];
};

static const struct bad bad_cases[] = {
	/* The shape of the statements. */
	{ "l2tp {\n\trequire-ipsec maybe\n}\n",
	  { F ":2: expected \"yes\" or \"no\" after require-ipsec, got "
	    "\"maybe\"" } },
	{ "foo bar\n",
	  { F ":1: unknown keyword \"foo\" at the top level, expected one "
	    "of: listen, user, chroot, dataplane, control, audit, sandbox, "
	    "max-sessions, ipsec, l2tp, ppp, firewall, connection" } },
	{ "ppp {\n\tmtux 1400\n}\n",
	  { F ":2: unknown keyword \"mtux\" in the ppp block, expected one "
	    "of: name, auth, local, pool, dns, wins, mtu, mru, idle, "
	    "duplicate, users" } },
	{ "ipsec {\n\thello 60s\n}\n",
	  { F ":2: unknown keyword \"hello\" in the ipsec block, expected "
	    "one of: psk, ike, esp, legacy, lifetime, dpd, max-half-open" } },
	{ "firewall {\n\twan eth0\n\tmasquerade yes\n}\n",
	  { F ":3: unknown keyword \"masquerade\" in the firewall block, "
	    "expected one of: wan, nat, clamp-mss" } },
	{ "max-sessions 10\nmax-sessions 20\n",
	  { F ":2: duplicate \"max-sessions\" (already set on line 1)" } },
	{ "l2tp {\n}\nl2tp {\n\thello 10s\n}\n",
	  { F ":3: duplicate l2tp block (the first is on line 1)" } },
	{ "ppp {\n\tmtu 1400\n\tmtu 1300\n}\n",
	  { F ":3: duplicate \"mtu\" in the ppp block (already set on line "
	    "2)" } },
	{ "ppp {\n\tmtu 1400 1500\n}\n",
	  { F ":2: expected end of line after mtu, got \"1500\"" } },
	{ "ppp {\n\tmtu 1400\n",
	  { F ":3: expected \"}\" to close the ppp block opened on line 1, "
	    "got end of file" } },
	{ "}\nmax-sessions 5\n",
	  { F ":1: unexpected \"}\" (no block is open)" } },
	{ "ipsec\n",
	  { F ":1: expected \"{\" after ipsec, got end of line" } },
	{ "l2tp { } max-sessions 5\n",
	  { F ":1: expected end of line after the l2tp block, got "
	    "\"max-sessions\"" } },
	{ "ppp {\n\t\"mtu\" 1400\n}\n",
	  { F ":2: expected a keyword in the ppp block, got a quoted "
	    "string" } },
	{ "chroot \"/var/empty\n",
	  { F ":1: unterminated quoted string" } },
	{ "chroot \"/var/\\empty\"\n",
	  { F ":1: invalid escape in quoted string (use \\\" \\\\ \\n or "
	    "\\t)" } },
	{ "max-sessions\x01 5\n",
	  { F ":1: unexpected control character" } },
	/* Several errors in one run. */
	{ "ppp {\n\tmtu 9000\n\tmru 500\n\tidle forever\n}\n",
	  { F ":2: mtu must be between 576 and 1500, got 9000",
	    F ":3: mru must be between 576 and 1500, got 500",
	    F ":4: expected a duration like 30s, 30m, 8h or 1d after idle, "
	    "got \"forever\"" } },
	/* Values. */
	{ "max-sessions 0\n",
	  { F ":1: max-sessions must be between 1 and 65535, got 0" } },
	{ "max-sessions lots\n",
	  { F ":1: expected a number after max-sessions, got \"lots\"" } },
	{ "max-sessions 99999999999\n",
	  { F ":1: expected a number after max-sessions, got "
	    "\"99999999999\"" } },
	{ "dataplane fast\n",
	  { F ":1: expected \"kernel\", \"userspace\" or \"auto\" after "
	    "dataplane, got \"fast\"" } },
	{ "sandbox off\n",
	  { F ":1: expected \"kill\" or \"trap\" after sandbox, got "
	    "\"off\"" } },
	{ "chroot var/empty\n",
	  { F ":1: chroot must be an absolute path, got \"var/empty\"" } },
	{ "control \"/run/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.sock\"\n",
	  { F ":1: control is too long (at most 107 characters)" } },
	{ "l2tp {\n\thello 60x\n}\n",
	  { F ":2: expected a duration like 30s, 30m, 8h or 1d after hello, "
	    "got \"60x\"" } },
	{ "l2tp {\n\thello 2s\n}\n",
	  { F ":2: hello must be 0 (off) or between 5s and 1h, got 2s" } },
	{ "l2tp {\n\thostname \"\"\n}\n",
	  { F ":2: expected a non-empty name after hostname, got \"\"" } },
	{ "ipsec {\n\tlifetime ike 1m\n}\n",
	  { F ":2: lifetime ike must be between 5m and 1d, got 1m" } },
	{ "ipsec {\n\tlifetime ike 8h\n\tlifetime ike 4h\n}\n",
	  { F ":3: duplicate \"lifetime ike\" in the ipsec block (already "
	    "set on line 2)" } },
	{ "ipsec {\n\tlifetime phase1 8h\n}\n",
	  { F ":2: expected \"ike\" or \"esp\" after lifetime, got "
	    "\"phase1\"" } },
	{ "ipsec {\n\tdpd delay 60s timeout 30s\n}\n",
	  { F ":2: dpd timeout 30s must be longer than dpd delay 1m" } },
	{ "ipsec {\n\tdpd timeout 20s\n}\n",
	  { F ":2: dpd timeout 20s must be longer than dpd delay 30s" } },
	{ "ipsec {\n\tmax-half-open 0\n}\n",
	  { F ":2: max-half-open must be between 1 and 65535, got 0" } },
	/* Suites. */
	{ "ipsec {\n\tike aes256-md5-modp2048\n}\n",
	  { F ":2: unknown hash \"md5\" in ike suite \"aes256-md5-modp2048\", "
	    "expected one of: sha1 sha256 sha384 sha512" } },
	{ "ipsec {\n\tike aes192-sha1-modp2048\n}\n",
	  { F ":2: unknown encryption \"aes192\" in ike suite "
	    "\"aes192-sha1-modp2048\", expected one of: aes128 aes256 3des" } },
	{ "ipsec {\n\tike aes256-sha1-modp768\n}\n",
	  { F ":2: unknown group \"modp768\" in ike suite "
	    "\"aes256-sha1-modp768\", expected one of: modp1024 modp1536 "
	    "modp2048 modp3072 modp4096 ecp256 ecp384" } },
	{ "ipsec {\n\tike aes256-sha1\n}\n",
	  { F ":2: expected an ike suite ENC-HASH-GROUP like "
	    "aes256-sha1-modp2048, got \"aes256-sha1\"" } },
	{ "ipsec {\n\tesp aes256-sha1-modp2048\n}\n",
	  { F ":2: expected an esp suite ENC-INTEG like aes256-sha1, or "
	    "aes128gcm16 or aes256gcm16, got \"aes256-sha1-modp2048\"" } },
	{ "ipsec {\n\tesp aes128gcm16-sha1\n}\n",
	  { F ":2: esp suite \"aes128gcm16-sha1\": aes128gcm16 is an AEAD "
	    "cipher and takes no integrity algorithm" } },
	{ "ipsec {\n\tesp aes256-md5\n}\n",
	  { F ":2: unknown integrity \"md5\" in esp suite \"aes256-md5\", "
	    "expected one of: sha1 sha256" } },
	{ "ipsec {\n\tike aes256-sha1-modp2048, aes256-SHA1-modp2048\n}\n",
	  { F ":2: ike lists aes256-sha1-modp2048 twice" } },
	{ "ipsec {\n\tike aes128-sha1-modp2048, aes128-sha1-modp3072, "
	  "aes128-sha1-modp4096, aes128-sha1-ecp256, aes128-sha1-ecp384, "
	  "aes128-sha256-modp2048, aes128-sha256-modp3072, "
	  "aes128-sha256-modp4096, aes128-sha256-ecp256, "
	  "aes128-sha256-ecp384, aes256-sha1-modp2048, aes256-sha1-modp3072, "
	  "aes256-sha1-modp4096, aes256-sha1-ecp256, aes256-sha1-ecp384, "
	  "aes256-sha256-modp2048, aes256-sha256-modp3072\n}\n",
	  { F ":2: too many ike suites (at most 16)" } },
	{ "ipsec {\n\tesp aes256-sha1,\n}\n",
	  { F ":2: expected another esp suite after esp, got end of line" } },
	/* Legacy: only with `legacy yes`. */
	{ "ipsec {\n\tike aes256-sha1-modp2048, 3des-sha1-modp1024\n"
	  "\tesp 3des-sha1\n}\n",
	  { F ":2: 3des-sha1-modp1024 is a legacy suite: add `legacy yes` to "
	    "the ipsec block to allow it",
	    F ":3: 3des-sha1 is a legacy suite: add `legacy yes` to the "
	    "ipsec block to allow it" } },
	{ "ipsec {\n\tike aes128-sha256-modp1024\n\tlegacy no\n}\n",
	  { F ":2: aes128-sha256-modp1024 is a legacy suite: add `legacy "
	    "yes` to the ipsec block to allow it" } },
	/* Addresses. */
	{ "listen on 203.0.113.300\n",
	  { F ":1: expected an IPv4 or IPv6 address or an interface name "
	    "after listen on, got \"203.0.113.300\"" } },
	{ "listen on this-name-is-too-long0\n",
	  { F ":1: expected an IPv4 or IPv6 address or an interface name "
	    "after listen on, got \"this-name-is-too-long0\"" } },
	{ "listen 203.0.113.1\n",
	  { F ":1: expected \"on\" after listen, got \"203.0.113.1\"" } },
	{ "listen on 0.0.0.0\n",
	  { F ":1: listen on 0.0.0.0: name a unicast address or an "
	    "interface (the wildcard address is not supported)" } },
	{ "listen on 2001:db8::1\nlisten on 2001:DB8:0::1\n"
	  "ppp {\n\tusers \"@D@/no-such\"\n}\n",
	  { F ":2: duplicate listen on 2001:DB8:0::1 (already on line 1)",
	    F ":1: listen needs a psk: add an ipsec block with psk file "
	    "\"PATH\"",
	    F ":4: @D@/no-such: No such file or directory" } },
	{ "ppp {\n\tpool 10.2.0.149 - 10.2.0.100\n}\n",
	  { F ":2: pool start 10.2.0.149 is after its end 10.2.0.100" } },
	{ "ppp {\n\tpool 10.0.0.1 - 10.2.0.100\n}\n",
	  { F ":2: pool 10.0.0.1 - 10.2.0.100 has more than 65536 "
	    "addresses" } },
	{ "ppp {\n\tpool 10.2.0.100 10.2.0.149\n}\n",
	  { F ":2: expected \"-\" after pool 10.2.0.100, got "
	    "\"10.2.0.149\"" } },
	{ "ppp {\n\tpool 2001:db8::1 - 2001:db8::ff\n}\n",
	  { F ":2: expected a unicast IPv4 address after pool, got "
	    "\"2001:db8::1\"" } },
	{ "ppp {\n\tlocal 10.2.0.120\n\tpool 10.2.0.100 - 10.2.0.149\n}\n",
	  { F ":3: local 10.2.0.120 is inside the pool 10.2.0.100 - "
	    "10.2.0.149" } },
	{ "ppp {\n\tpool 10.2.0.1-10.2.0.50\n}\n",
	  { F ":2: local 10.2.0.1 (the default) is inside the pool 10.2.0.1 "
	    "- 10.2.0.50" } },
	{ "ppp {\n\tlocal 127.0.0.1\n}\n",
	  { F ":2: expected a unicast IPv4 address after local, got "
	    "\"127.0.0.1\"" } },
	{ "ppp {\n\tdns 1.1.1.1, 8.8.8.8, 9.9.9.9\n}\n",
	  { F ":2: at most 2 dns servers" } },
	{ "ppp {\n\twins dns.example\n}\n",
	  { F ":2: expected a unicast IPv4 address after wins, got "
	    "\"dns.example\"" } },
	{ "ppp {\n\tauth mschapv2 eap\n}\n",
	  { F ":2: expected \"pap\", \"chap\" or \"mschapv2\" after auth, got "
	    "\"eap\"" } },
	{ "ppp {\n\tauth chap, pap, chap\n}\n",
	  { F ":2: auth lists chap twice" } },
	{ "ppp {\n\tduplicate deny\n}\n",
	  { F ":2: expected \"replace\" or \"allow\" after duplicate, got "
	    "\"deny\"" } },
	{ "ppp {\n\tusers chap-secrets\n}\n",
	  { F ":2: users must be an absolute path, got \"chap-secrets\"" } },
	{ "ppp {\n\tusers \"@D@/no-such-file\"\n}\n",
	  { F ":2: @D@/no-such-file: No such file or directory" } },
	{ "firewall {\n\twan eth0/1\n}\n",
	  { F ":2: expected an interface name after wan, got \"eth0/1\"" } },
	{ "firewall {\n\tclamp-mss no\n}\n",
	  { F ":1: expected \"wan INTERFACE\" in the firewall block: nat "
	    "needs the interface to masquerade behind" } },
	/* The user the children run as. */
	{ "user nosuchuser-l2tpsecd\n",
	  { F ":1: user \"nosuchuser-l2tpsecd\" does not exist (`make "
	    "install` or etc/mkuser.sh creates _l2tpsecd)" } },
	{ "\nuser root\n",
	  { F ":2: user \"root\" has uid 0: the children must run "
	    "unprivileged" } },
	/* Connections. */
	{ "connection office {\n\tautostart no\n}\n",
	  { F ":1: expected \"server ADDRESS\" in connection office",
	    F ":1: expected \"psk\" in connection office (the psk of the "
	    "ipsec block is not used for connections)",
	    F ":1: expected \"user NAME password ...\" in connection "
	    "office" } },
	{ "connection a {\n\tserver 192.0.2.1\n\tpsk \"" MARK "\"\n"
	  "\tuser u password \"" MARK "\"\n}\n"
	  "connection a {\n}\n",
	  { F ":6: duplicate connection \"a\" (already on line 1)" } },
	{ "connection of/fice {\n}\n",
	  { F ":1: expected a name of letters, digits, \".\", \"_\" or \"-\" "
	    "after connection, got \"of/fice\"" } },
	{ "connection a {\n\tserver vpn.example.com\n\tpsk \"" MARK "\"\n"
	  "\tuser u password \"" MARK "\"\n}\n",
	  { F ":2: expected an IPv4 or IPv6 address after server, got "
	    "\"vpn.example.com\"" } },
	/* Secrets: the parse errors around them never quote them. */
	{ "ipsec {\n\tpsk " MARK "unquoted\n}\n",
	  { F ":2: expected \"file\" or a quoted string after psk, got a "
	    "word" } },
	{ "ipsec {\n\tpsk \"" MARK "-inline\" " MARK "-more\n}\n",
	  { F ":2: expected end of line after psk, got a word" } },
	{ "ipsec {\n\tpsk\n\t" MARK "-on-its-own-line\n}\n",
	  { F ":2: expected \"file\" or a quoted string after psk, got end "
	    "of line",
	    F ":3: unknown keyword (not shown: it follows a broken secret) "
	    "in the ipsec block, expected one of: psk, ike, esp, legacy, "
	    "lifetime, dpd, max-half-open" } },
	{ "ipsec {\n\tpsk \"" MARK "\\q-bad-escape\"\n}\n",
	  { F ":2: invalid escape in quoted string (use \\\" \\\\ \\n or "
	    "\\t)" } },
	{ "ipsec {\n\tpsk \"" MARK "-unterminated\n}\n",
	  { F ":2: unterminated quoted string" } },
	{ "ipsec {\n\tpsk \"\"\n}\n",
	  { F ":2: psk is empty" } },
	{ "ipsec {\n\tpsk \"" MARK "\"\n\tpsk \"" MARK "\"\n}\n",
	  { F ":3: duplicate \"psk\" in the ipsec block (already set on line "
	    "2)" } },
	{ "ipsec {\n\tpsk file psk\n}\n",
	  { F ":2: psk file must be an absolute path, got \"psk\"" } },
	{ "l2tp {\n\tsecret\n}\n",
	  { F ":2: expected \"file\" or a quoted string after secret, got "
	    "end of line" } },
	{ "connection a {\n\tserver 192.0.2.1\n\tpsk \"" MARK "\"\n"
	  "\tuser alice " MARK "-pass\n}\n",
	  { F ":4: expected \"password\" after user alice, got a word" } },
	{ "connection a {\n\tserver 192.0.2.1\n\tpsk \"" MARK "\"\n"
	  "\tuser alice password " MARK "\n}\n",
	  { F ":4: expected \"file\" or a quoted string after password, got "
	    "a word" } },
};

static void
test_bad_files(void)
{
	struct config	*conf;
	size_t		 i;

	for (i = 0; i < NITEMS(bad_cases); i++) {
		conf = parse_text("bad.conf", bad_cases[i].b_text);
		if (conf != NULL || !lines_are(bad_cases[i].b_err)) {
			printf("# bad case %zu (first line: %s) failed\n", i,
			    bad_cases[i].b_err[0]);
			t_cur_failed = 1;
		}
		config_free(conf);
	}
	printf("# %zu bad files\n", NITEMS(bad_cases));
}

/* A config naming one secrets file; its complaint, if any. */
static struct config *
parse_psk_file(const char *path)
{
	char	 text[PATH_MAX + 64];

	snprintf(text, sizeof(text),
	    "user @USER@\nipsec {\n\tpsk file \"%s\"\n}\n", path);
	return (parse_text("perm.conf", text));
}

static void
expect_refused(const char *file, const char *problem)
{
	struct config	*conf;
	char		 path[PATH_MAX], line[PATH_MAX + 256];

	/* file may be write_file()'s buffer, which parsing reuses. */
	strlcpy(path, file, sizeof(path));
	conf = parse_psk_file(path);
	snprintf(line, sizeof(line), "@D@/perm.conf:3: %s: %s", path,
	    problem);
	T_ASSERT(conf == NULL);
	T_ASSERT(lines_are((const char *const []){ line, NULL }));
	config_free(conf);
}

static void
test_secret_files(void)
{
	struct config	*conf;
	char		 dir[PATH_MAX], path[PATH_MAX], big[5000];
	char		*text;
	const char	*p;

	if (!is_root)
		T_SKIP("needs root to make files owned by root and others");

	p = write_file("s-0644", MARK "\n", strlen(MARK "\n"), 0644);
	expect_refused(p, "must be owned by root and mode 0600, is mode 0644");
	p = write_file("s-0640", MARK "\n", strlen(MARK "\n"), 0640);
	expect_refused(p, "must be owned by root and mode 0600, is mode 0640");
	p = write_file("s-0602", MARK "\n", strlen(MARK "\n"), 0602);
	expect_refused(p, "must be owned by root and mode 0600, is mode 0602");

	strlcpy(path, write_file("s-uid", MARK, strlen(MARK), 0600),
	    sizeof(path));
	T_ASSERT_RET(chown(path, 1000, 0) == 0);
	expect_refused(path, "must be owned by root and mode 0600, is owned "
	    "by uid 1000");
	T_ASSERT_RET(chmod(path, 0660) == 0);
	expect_refused(path, "must be owned by root and mode 0600, is owned "
	    "by uid 1000 and mode 0660");

	snprintf(path, sizeof(path), "%s/s-link", tmpdir);
	T_ASSERT_RET(symlink("psk", path) == 0);
	expect_refused(path, "must not be a symbolic link");

	snprintf(dir, sizeof(dir), "%s/s-dir", tmpdir);
	T_ASSERT_RET(mkdir(dir, 0700) == 0);
	expect_refused(dir, "must be a regular file");

	snprintf(path, sizeof(path), "%s/s-missing", tmpdir);
	expect_refused(path, "No such file or directory");

	expect_refused(write_file("s-empty", "", 0, 0600), "is empty");
	expect_refused(write_file("s-newline", "\n", 1, 0600), "is empty");

	memset(big, 'x', sizeof(big));
	memcpy(big, MARK, strlen(MARK));
	expect_refused(write_file("s-big", big, 4097, 0600),
	    "must be at most 4096 bytes");
	/* 4096 bytes and a newline is still 4096. */
	big[4096] = '\n';
	p = write_file("s-4096", big, 4097, 0600);
	conf = parse_psk_file(p);
	T_ASSERT(lines_are((const char *const []){ NULL }));
	T_ASSERT(conf != NULL && conf->c_ipsec.ip_psk.cs_len == 4096);
	config_free(conf);

	/* 0400 is as good as 0600. */
	conf = parse_psk_file(write_file("s-0400", MARK "-ro\n",
	    strlen(MARK) + 4, 0400));
	T_ASSERT(lines_are((const char *const []){ NULL }));
	T_ASSERT(conf != NULL &&
	    secret_is(&conf->c_ipsec.ip_psk, MARK "-ro"));
	config_free(conf);

	/* The users file is checked the same way, not read yet. */
	p = write_file("users-0644", "alice * \"" MARK "\" *\n",
	    strlen("alice * \"" MARK "\" *\n"), 0644);
	strlcpy(path, p, sizeof(path));
	snprintf(big, sizeof(big), "user @USER@\nppp {\n\tusers \"%s\"\n}\n",
	    path);
	conf = parse_text("perm.conf", big);
	snprintf(big, sizeof(big), "@D@/perm.conf:3: %s: must be owned by "
	    "root and mode 0600, is mode 0644", path);
	T_ASSERT(conf == NULL);
	T_ASSERT(lines_are((const char *const []){ big, NULL }));
	config_free(conf);

	/* An inline secret makes the config file a secrets file. */
	text = subst("user @USER@\nipsec {\n\tpsk \"" MARK "\"\n}\n");
	p = write_file("inline.conf", text, strlen(text), 0644);
	free(text);
	capture_reset();
	conf = config_parse(p);
	T_ASSERT(conf == NULL);
	T_ASSERT(nlines == 1 && strstr(lines[0], "/inline.conf:3: an inline "
	    "psk needs this file to be owned by root and mode 0600 (it is "
	    "owned by uid 0 and mode 0644): chmod it, or use psk file "
	    "\"PATH\"") != NULL);
	config_free(conf);
}

/* Legacy suites: the default lists grow with `legacy yes`. */
static void
test_legacy(void)
{
	struct config		*conf;
	const struct conf_ipsec	*ip;
	struct conf_suite	 su;
	size_t			 i, nlegacy = 0;
	int			 found = 0;

	conf = parse_text("legacy.conf", "user @USER@\nipsec {\n"
	    "\tlegacy yes\n}\n");
	T_ASSERT(lines_are((const char *const []){ NULL }));
	T_ASSERT_RET(conf != NULL);
	ip = &conf->c_ipsec;
	T_ASSERT(ip->ip_legacy && ip->ip_nike == 16 && ip->ip_nesp == 7);
	for (i = 0; i < ip->ip_nike; i++) {
		nlegacy += ip->ip_ike[i].su_legacy;
		if (strcmp(ip->ip_ike[i].su_name, "3des-sha1-modp1024") == 0)
			found = ip->ip_ike[i].su_enc == CONF_ENC_3DES &&
			    ip->ip_ike[i].su_group == CONF_GROUP_MODP1024;
	}
	T_ASSERT(nlegacy == 4 && found);
	/* Modern first: a client offering both gets the strong one. */
	T_ASSERT(!ip->ip_ike[0].su_legacy && ip->ip_ike[15].su_legacy);
	T_ASSERT(strcmp(ip->ip_esp[6].su_name, "3des-sha1") == 0 &&
	    ip->ip_esp[6].su_legacy);
	config_free(conf);

	/* Allowed in an explicit list, whichever line says legacy yes. */
	conf = parse_text("legacy.conf", "user @USER@\nipsec {\n"
	    "\tike 3des-sha1-modp1024, aes128-sha1-modp1024\n"
	    "\tesp 3des-sha1\n\tlegacy yes\n}\n");
	T_ASSERT(lines_are((const char *const []){ NULL }));
	T_ASSERT_RET(conf != NULL);
	T_ASSERT(conf->c_ipsec.ip_nike == 2 && conf->c_ipsec.ip_nesp == 1);
	T_ASSERT(conf->c_ipsec.ip_ike[1].su_legacy &&
	    conf->c_ipsec.ip_ike[1].su_enc == CONF_ENC_AES128);
	config_free(conf);

	/* An explicit list is what is offered, even with legacy yes. */
	conf = parse_text("legacy.conf", "user @USER@\nipsec {\n"
	    "\tike aes256-sha256-modp2048\n\tlegacy yes\n}\n");
	T_ASSERT_RET(conf != NULL);
	T_ASSERT(conf->c_ipsec.ip_nike == 1 && conf->c_ipsec.ip_nesp == 7);
	config_free(conf);

	T_ASSERT(config_ike_suite("aes256-sha1-modp2048", &su) == 0 &&
	    su.su_enc == CONF_ENC_AES256 && su.su_group == 14 &&
	    !su.su_legacy);
	T_ASSERT(config_ike_suite("3des-sha256-ecp384", &su) == 0 &&
	    su.su_legacy && su.su_keylen == 192);
	T_ASSERT(config_ike_suite("aes256-sha1", &su) == -1);
	T_ASSERT(config_ike_suite("aes256-sha1-modp2048-x", &su) == -1);
	T_ASSERT(config_esp_suite("aes256gcm16", &su) == 0 &&
	    su.su_hash == CONF_HASH_NONE);
	T_ASSERT(config_esp_suite("aes128-sha256", &su) == 0 &&
	    su.su_hash == CONF_HASH_SHA256 && su.su_keylen == 128);
	T_ASSERT(config_esp_suite("aes128gcm16-sha1", &su) == -1);
	T_ASSERT(config_esp_suite("", &su) == -1);
}

static void
test_restart_needed(void)
{
	struct config	*a, *b;
	char		 buf[128], tiny[8];

	a = parse_text("a.conf", "user @USER@\n"
	    "firewall { wan eth0 }\n"
	    "chroot \"/var/empty\"\ncontrol \"/run/a.sock\"\n");
	b = parse_text("b.conf", "chroot \"/var/empty\"\n"
	    "control \"/run/a.sock\"\nppp { mtu 1300 }\nuser @USER@\n");
	T_ASSERT_RET(a != NULL && b != NULL);
	/* Not a restart: mtu, the firewall. */
	T_ASSERT(config_restart_needed(a, b, buf, sizeof(buf)) == 0 &&
	    buf[0] == '\0');
	config_free(b);

	b = parse_text("b.conf", "user @USER@\ndataplane kernel\n"
	    "chroot \"/var/empty2\"\ncontrol \"/run/b.sock\"\n");
	T_ASSERT_RET(b != NULL);
	T_ASSERT(config_restart_needed(a, b, buf, sizeof(buf)) == 3);
	T_ASSERT(strcmp(buf, "chroot, dataplane, control") == 0);
	T_ASSERT(config_restart_needed(a, b, tiny, sizeof(tiny)) == 3 &&
	    strlen(tiny) < sizeof(tiny));
	T_ASSERT(config_restart_needed(a, b, NULL, 0) == 3);

	/* A different user, by name or by what it resolves to. */
	strlcpy(b->c_chroot, a->c_chroot, sizeof(b->c_chroot));
	strlcpy(b->c_control, a->c_control, sizeof(b->c_control));
	b->c_dataplane = a->c_dataplane;
	b->c_uid++;
	T_ASSERT(config_restart_needed(a, b, buf, sizeof(buf)) == 1 &&
	    strcmp(buf, "user") == 0);
	b->c_uid--;
	strlcpy(b->c_user, "someone", sizeof(b->c_user));
	T_ASSERT(config_restart_needed(a, b, buf, sizeof(buf)) == 1);
	strlcpy(b->c_user, a->c_user, sizeof(b->c_user));
	T_ASSERT(config_restart_needed(a, b, buf, sizeof(buf)) == 0);
	config_free(a);
	config_free(b);

	/* Listen: the same set in another order is no change. */
	if (!is_root)
		T_SKIP("listen needs the secrets files, owned by root");
	a = parse_text("a.conf", "user @USER@\nlisten on eth0\n"
	    "listen on 192.0.2.1\nipsec { psk file \"@D@/psk\" }\n"
	    "ppp { users \"@D@/chap-secrets\" }\n");
	b = parse_text("b.conf", "user @USER@\nlisten on 192.0.2.1\n"
	    "listen on eth0\nipsec { psk file \"@D@/psk\" }\n"
	    "ppp { users \"@D@/chap-secrets\" }\n");
	T_ASSERT_RET(a != NULL && b != NULL);
	T_ASSERT(config_restart_needed(a, b, buf, sizeof(buf)) == 0);
	config_free(b);
	b = parse_text("b.conf", "user @USER@\nlisten on 192.0.2.1\n"
	    "listen on eth1\nipsec { psk file \"@D@/psk\" }\n"
	    "ppp { users \"@D@/chap-secrets\" }\n");
	T_ASSERT_RET(b != NULL);
	T_ASSERT(config_restart_needed(a, b, buf, sizeof(buf)) == 1 &&
	    strcmp(buf, "listen") == 0);
	config_free(b);
	b = parse_text("b.conf", "user @USER@\nlisten on 192.0.2.1\n"
	    "ipsec { psk file \"@D@/psk\" }\n"
	    "ppp { users \"@D@/chap-secrets\" }\n");
	T_ASSERT_RET(b != NULL);
	T_ASSERT(config_restart_needed(a, b, buf, sizeof(buf)) == 1);
	config_free(b);
	config_free(a);
}

/* A binary file gets a bounded number of lines, not thousands. */
static void
test_many_errors(void)
{
	struct config	*conf;
	char		 text[2000];
	size_t		 i;

	text[0] = '\0';
	for (i = 0; i < 100; i++)
		strlcat(text, "nonsense\n", sizeof(text));
	conf = parse_text("many.conf", text);
	T_ASSERT(conf == NULL);
	T_ASSERT_RET(nlines == 50);
	T_ASSERT(strstr(lines[48], "/many.conf:49: unknown keyword") != NULL);
	T_ASSERT(strstr(lines[49], "/many.conf:50: too many errors, not "
	    "reporting more") != NULL);
}

static void
test_missing_file(void)
{
	char	 path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/nonexistent.conf", tmpdir);
	capture_reset();
	T_ASSERT(config_parse(path) == NULL);
	T_ASSERT(lines_are((const char *const []){
	    "@D@/nonexistent.conf: No such file or directory", NULL }));
	capture_reset();
	T_ASSERT(config_parse(tmpdir) == NULL);
	T_ASSERT(lines_are((const char *const []){
	    "@D@: not a regular file", NULL }));
}

static void
test_names(void)
{
	T_ASSERT(strcmp(config_dataplane_name(DATAPLANE_USERSPACE),
	    "userspace") == 0);
	T_ASSERT(strcmp(config_sandbox_name(CONF_SANDBOX_TRAP), "trap") == 0);
	T_ASSERT(strcmp(config_auth_name(CONF_AUTH_MSCHAPV2), "mschapv2") ==
	    0);
	T_ASSERT(strcmp(config_duplicate_name(CONF_DUP_ALLOW), "allow") == 0);
}

/* Over everything above: not one logged line held a secret. */
static void
test_no_secret_logged(void)
{
	T_ASSERT(!secret_logged);
}

int
main(void)
{
	struct passwd	*pw;

	log_init("test_config", 1, 0);
	log_set_sink(capture);
	is_root = geteuid() == 0;
	have_default_user = getpwnam("_l2tpsecd") != NULL;
	test_user = have_default_user ? "_l2tpsecd" : "nobody";
	if ((pw = getpwnam(test_user)) == NULL || pw->pw_uid == 0) {
		printf("FAIL main: neither _l2tpsecd nor nobody exists\n");
		return (1);
	}
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/test_config.XXXXXX");
	if (mkdtemp(tmpdir) == NULL) {
		printf("FAIL main: mkdtemp: %s\n", strerror(errno));
		return (1);
	}
	make_secrets();

	T_RUN(test_full_example);
	T_RUN(test_defaults);
	T_RUN(test_minimal_server);
	T_RUN(test_etc_example);
	T_RUN(test_variants);
	T_RUN(test_bad_files);
	T_RUN(test_secret_files);
	T_RUN(test_legacy);
	T_RUN(test_restart_needed);
	T_RUN(test_many_errors);
	T_RUN(test_missing_file);
	T_RUN(test_names);
	T_RUN(test_no_secret_logged);

	capture_reset();
	nftw(tmpdir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	return (T_DONE());
}
