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


#ifndef L2TPSEC_CONFIG_H
#define L2TPSEC_CONFIG_H

#include <sys/queue.h>
#include <sys/socket.h>
#include <sys/types.h>

#include <netinet/in.h>
#include <net/if.h>
#include <stddef.h>
#include <stdint.h>

/*
 * The parsed /etc/l2tpsecd/l2tpsecd.conf.  The grammar is the contract for
 * every later issue (see l2tpsecd.conf(5)): extend it, never rename it.
 * Only the parent parses it; children get the pieces they need as
 * messages.  Secrets are read when the config is parsed, so a reload
 * picks up a changed secret file, and are wiped by config_free().
 */

enum conf_dataplane {
	DATAPLANE_AUTO = 0,
	DATAPLANE_KERNEL,
	DATAPLANE_USERSPACE
};

enum conf_sandbox {
	CONF_SANDBOX_KILL = 0,
	CONF_SANDBOX_TRAP
};

enum conf_auth {
	CONF_AUTH_NONE = 0,
	CONF_AUTH_PAP,
	CONF_AUTH_CHAP,
	CONF_AUTH_MSCHAPV2
};

enum conf_duplicate {
	CONF_DUP_REPLACE = 0,
	CONF_DUP_ALLOW
};

/* A secret given inline (`psk "x"`) or read from a 0600 root file. */
struct conf_secret {
	char		*cs_file;	/* NULL when given inline */
	uint8_t		*cs_data;	/* NULL when not configured */
	size_t		 cs_len;	/* cs_data[cs_len] is a NUL */
};

struct conf_listen {
	TAILQ_ENTRY(conf_listen) cl_entry;
	int		 cl_line;
	int		 cl_is_iface;
	char		 cl_iface[IF_NAMESIZE];
	struct sockaddr_storage cl_addr;	/* when !cl_is_iface */
};

/*
 * The algorithms of a suite, for the code that builds and matches
 * proposals; it maps them to IKE attribute and ESP transform values.
 */
enum conf_enc {
	CONF_ENC_NONE = 0,
	CONF_ENC_3DES,		/* 3DES-CBC (legacy) */
	CONF_ENC_AES128,	/* AES-CBC, 128-bit key */
	CONF_ENC_AES256,	/* AES-CBC, 256-bit key */
	CONF_ENC_AES128GCM16,	/* AES-GCM, 16-octet ICV (ESP only) */
	CONF_ENC_AES256GCM16
};

/* IKE: hash and PRF (HMAC); ESP: integrity (HMAC-SHA1-96, -SHA256-128). */
enum conf_hash {
	CONF_HASH_NONE = 0,	/* ESP with AES-GCM */
	CONF_HASH_SHA1,
	CONF_HASH_SHA256,
	CONF_HASH_SHA384,
	CONF_HASH_SHA512
};

/* The values are the IKEv1 group numbers (RFC 2409, 3526, 5903). */
enum conf_group {
	CONF_GROUP_NONE = 0,	/* ESP suites */
	CONF_GROUP_MODP1024 = 2,	/* legacy */
	CONF_GROUP_MODP1536 = 5,
	CONF_GROUP_MODP2048 = 14,
	CONF_GROUP_MODP3072 = 15,
	CONF_GROUP_MODP4096 = 16,
	CONF_GROUP_ECP256 = 19,
	CONF_GROUP_ECP384 = 20
};

#define CONF_MAX_SUITES	16
struct conf_suite {
	char		 su_name[48];	/* e.g. "aes256-sha1-modp2048" */
	int		 su_legacy;	/* 3DES or MODP1024 */
	enum conf_enc	 su_enc;
	uint32_t	 su_keylen;	/* key bits: 128, 256, 192 for 3DES */
	enum conf_hash	 su_hash;	/* IKE hash/PRF, ESP integrity */
	enum conf_group	 su_group;	/* IKE only */
};

struct conf_ipsec {
	struct conf_secret	 ip_psk;
	struct conf_suite	 ip_ike[CONF_MAX_SUITES];
	size_t			 ip_nike;
	struct conf_suite	 ip_esp[CONF_MAX_SUITES];
	size_t			 ip_nesp;
	int			 ip_legacy;
	uint32_t		 ip_ike_lifetime;	/* seconds */
	uint32_t		 ip_esp_lifetime;	/* seconds */
	uint32_t		 ip_dpd_delay;		/* seconds, 0 = off */
	uint32_t		 ip_dpd_timeout;	/* seconds */
	uint32_t		 ip_max_half_open;
};

struct conf_l2tp {
	char			 l2_hostname[64];
	struct conf_secret	 l2_secret;
	uint32_t		 l2_hello;		/* seconds, 0 = off */
	int			 l2_require_ipsec;
	uint32_t		 l2_max_tunnels_per_peer;
	uint32_t		 l2_max_sessions_per_tunnel;
	uint32_t		 l2_retries;	/* 5.8: retransmissions */
};

#define CONF_MAX_AUTH	3
#define CONF_MAX_NS	2
struct conf_ppp {
	char			 pp_name[64];
	enum conf_auth		 pp_auth[CONF_MAX_AUTH];	/* in order */
	size_t			 pp_nauth;
	struct in_addr		 pp_local;
	struct in_addr		 pp_pool_start;
	struct in_addr		 pp_pool_end;
	struct in_addr		 pp_dns[CONF_MAX_NS];
	size_t			 pp_ndns;
	struct in_addr		 pp_wins[CONF_MAX_NS];
	size_t			 pp_nwins;
	uint32_t		 pp_mtu;
	uint32_t		 pp_mru;
	uint32_t		 pp_idle;		/* seconds, 0 = off */
	enum conf_duplicate	 pp_duplicate;
	char			*pp_users;		/* chap-secrets path */
	/* Its bytes (for the ppp child) and static addresses (for checks). */
	uint8_t			*pp_users_data;
	size_t			 pp_users_len;
	struct in_addr		*pp_statics;
	size_t			 pp_nstatics;
};

struct conf_firewall {
	int			 fw_enabled;	/* a firewall block was given */
	char			 fw_wan[IF_NAMESIZE];	/* "" = none */
	int			 fw_nat;
	int			 fw_clamp_mss;
};

struct conf_connection {
	TAILQ_ENTRY(conf_connection) cc_entry;
	int			 cc_line;
	char			 cc_name[64];
	struct sockaddr_storage	 cc_server;
	struct conf_secret	 cc_psk;
	char			 cc_user[64];
	struct conf_secret	 cc_password;
	int			 cc_default_route;
	int			 cc_autostart;
};

struct config {
	char			*c_file;
	TAILQ_HEAD(, conf_listen) c_listen;
	char			 c_user[64];
	uid_t			 c_uid;		/* resolved from c_user */
	gid_t			 c_gid;
	char			 c_chroot[256];
	enum conf_dataplane	 c_dataplane;
	char			 c_control[108];	/* sun_path size */
	char			 c_audit[256];
	enum conf_sandbox	 c_sandbox;
	uint32_t		 c_max_sessions;
	struct conf_ipsec	 c_ipsec;
	struct conf_l2tp	 c_l2tp;
	struct conf_ppp		 c_ppp;
	struct conf_firewall	 c_firewall;
	TAILQ_HEAD(, conf_connection) c_connections;
};

/*
 * Parses and checks the whole file.  Each problem is logged as
 * "file:line: what was expected" through log_warnx(); NULL when there was
 * any.  Nothing secret is ever part of a message.
 */
struct config	*config_parse(const char *);
void		 config_free(struct config *);
/*
 * Names the settings that differ between two configs and cannot change
 * without a restart (listen, user, chroot, dataplane, control), as a
 * comma-separated list in buf; returns how many.
 */
int		 config_restart_needed(const struct config *,
		    const struct config *, char *, size_t);
const char	*config_dataplane_name(enum conf_dataplane);
const char	*config_sandbox_name(enum conf_sandbox);
const char	*config_auth_name(enum conf_auth);
const char	*config_duplicate_name(enum conf_duplicate);
/*
 * Looks up one suite by name ("aes256-sha1-modp2048", "aes128gcm16"):
 * 0 and *su filled in, or -1 when the name is not a suite.  For code that
 * wants the algorithms of a name, e.g. the defaults or l2tpsecctl.
 */
int		 config_ike_suite(const char *, struct conf_suite *);
int		 config_esp_suite(const char *, struct conf_suite *);

#define L2TPSECD_CONF		"/etc/l2tpsecd/l2tpsecd.conf"
#define L2TPSECD_SOCKET		"/run/l2tpsecd.sock"
#define L2TPSECD_USER		"_l2tpsecd"
#define L2TPSECD_CHROOT		"/var/lib/l2tpsecd/empty"
#define L2TPSECD_AUDIT		"/var/log/l2tpsecd/audit.log"
#define L2TPSECD_USERS		"/etc/l2tpsecd/chap-secrets"

#endif
