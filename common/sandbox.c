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
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ucontext.h>
#include <unistd.h>

#include <cap-ng.h>
#include <seccomp.h>

#include "log.h"
#include "msg.h"
#include "sandbox.h"

#if defined(__SANITIZE_ADDRESS__)
#define SANDBOX_SANITIZED	1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SANDBOX_SANITIZED	1
#endif
#endif
#ifndef SANDBOX_SANITIZED
#define SANDBOX_SANITIZED	0
#endif

#ifndef SYS_SECCOMP
#define SYS_SECCOMP	1	/* si_code of a seccomp SIGSYS */
#endif

#define FCNTL_CMD(cmd, why)						\
	SANDBOX_ALLOW_ARG(fcntl, 1, 0xffffffffULL, (cmd), (why))
/* mmap and mprotect never make memory executable after the preload. */
#define NO_EXEC(sys, why)						\
	SANDBOX_ALLOW_ARG(sys, 2, PROT_EXEC, 0, (why))

/*
 * What every child does at run time, whatever its role: the libevent
 * loop, imsg on the parent channel (fd 3), malloc, the clock, OpenSSL's
 * RNG and locks.  A role's own table (ike/ike_sandbox.c, ...) adds its
 * sockets and devices.  Everything else, socket(), connect(), bind(),
 * execve(), clone() and fork(), ptrace(), kill(), mount() among them,
 * is in neither and kills the process.
 */
const struct sandbox_rule sandbox_common_rules[] = {
	/* The event loop. */
	SANDBOX_ALLOW(epoll_wait, "libevent waits for its descriptors"),
	SANDBOX_ALLOW(epoll_pwait, "epoll_wait where libc implements it so"),
	SANDBOX_ALLOW(epoll_ctl, "libevent adds, changes, removes events"),
	SANDBOX_ALLOW(poll, "imsgbuf_flush waits for the parent to read"),
	SANDBOX_ALLOW(ppoll, "poll where libc implements it so"),

	/* The parent channel, descriptors handed over, stderr. */
	SANDBOX_ALLOW(recvmsg, "imsg from the parent, SCM_RIGHTS included"),
	SANDBOX_ALLOW(sendmsg, "imsg and log lines to the parent"),
	SANDBOX_ALLOW(read, "read(2) on descriptors the child was given"),
	SANDBOX_ALLOW(readv, "readv(2) on descriptors the child was given"),
	SANDBOX_ALLOW(write, "write(2): pipes, stderr, the trap line"),
	SANDBOX_ALLOW(writev, "writev(2) on descriptors the child was given"),
	SANDBOX_ALLOW(close, "closing descriptors it is done with"),
	FCNTL_CMD(F_GETFL, "libevent and imsg check O_NONBLOCK"),
	FCNTL_CMD(F_SETFL, "libevent and imsg set O_NONBLOCK"),
	FCNTL_CMD(F_GETFD, "libevent checks FD_CLOEXEC"),
	FCNTL_CMD(F_SETFD, "libevent sets FD_CLOEXEC on what it is given"),
	SANDBOX_IOCTL(FIONREAD, "libevent's evbuffer_read sizes its read"),
	SANDBOX_ERRNO_ARG(ioctl, ENOTTY, 1, 0xffffffffULL, TCGETS,
	    "isatty() from stdio: answer \"not a terminal\""),
	SANDBOX_ALLOW(fstat, "fstat(3) where libc still calls fstat(2)"),
	SANDBOX_ALLOW_ARG(newfstatat, 3, AT_EMPTY_PATH, AT_EMPTY_PATH,
	    "fstat(3) in glibc is fstatat(fd, \"\", AT_EMPTY_PATH)"),
	SANDBOX_ALLOW_ARG(statx, 2, AT_EMPTY_PATH, AT_EMPTY_PATH,
	    "statx(fd, \"\", AT_EMPTY_PATH): fstat by another name"),

	/* Memory. */
	SANDBOX_ALLOW(brk, "malloc grows the heap"),
	NO_EXEC(mmap, "malloc of large blocks, never executable"),
	SANDBOX_ALLOW(munmap, "free of large blocks"),
	SANDBOX_ALLOW(mremap, "realloc of large blocks"),
	SANDBOX_ALLOW(madvise, "malloc returns memory to the kernel"),
	NO_EXEC(mprotect, "malloc arenas grow; never executable"),

	/* Time, randomness, locks. */
	SANDBOX_ALLOW(clock_gettime, "timers (when the vDSO falls back)"),
	SANDBOX_ALLOW(gettimeofday, "libevent's clock (vDSO fallback)"),
	SANDBOX_ALLOW(nanosleep, "short back-off waits"),
	SANDBOX_ALLOW(clock_nanosleep, "nanosleep as glibc implements it"),
	SANDBOX_ALLOW(getrandom, "OpenSSL's RNG, IDs, magic numbers"),
	SANDBOX_ALLOW(futex, "OpenSSL's locks"),
	SANDBOX_ALLOW(sched_yield, "lock back-off in OpenSSL and libc"),

	/* The process itself. */
	SANDBOX_ALLOW(getpid, "imsg headers carry the pid"),
	SANDBOX_ALLOW(gettid, "libc and OpenSSL thread ids"),
	SANDBOX_ALLOW(getuid, "the child reports its uid to the parent"),
	SANDBOX_ALLOW(geteuid, "reading its own ids reveals nothing"),
	SANDBOX_ALLOW(getgid, "reading its own ids reveals nothing"),
	SANDBOX_ALLOW(getegid, "reading its own ids reveals nothing"),
	SANDBOX_ALLOW(rt_sigprocmask, "libc masks signals around its locks"),
	SANDBOX_ALLOW(rt_sigreturn, "return from a signal handler"),
	SANDBOX_ALLOW(restart_syscall, "an interrupted sleep resumes"),
	SANDBOX_ALLOW(exit, "a thread ends"),
	SANDBOX_ALLOW(exit_group, "the child ends"),
#if SANDBOX_SANITIZED
	/* The ASan+UBSan build (make SAN=1); see regress/unit/test_sandbox. */
	SANDBOX_ALLOW_ARG(sigaltstack, 0, ~0ULL, 0,
	    "ASan reads the signal stack before any noreturn call (exit)"),
#endif

	/*
	 * Probes for files fail as if the file were not ours to see:
	 * libraries that look for a config file or /proc go on without it.
	 */
	SANDBOX_ERRNO(open, EACCES, "probe: nothing to open in the chroot"),
	SANDBOX_ERRNO(openat, EACCES, "probe: nothing to open in the chroot"),
	SANDBOX_ERRNO(openat2, EACCES, "probe: nothing to open in the chroot"),
	SANDBOX_ERRNO(creat, EACCES, "probe: nothing to create in the chroot"),
	SANDBOX_ERRNO(stat, EACCES, "probe: no path to look at"),
	SANDBOX_ERRNO(lstat, EACCES, "probe: no path to look at"),
	SANDBOX_ERRNO_ARG(newfstatat, EACCES, 3, AT_EMPTY_PATH, 0,
	    "probe: stat of a path, not of a descriptor"),
	SANDBOX_ERRNO_ARG(statx, EACCES, 2, AT_EMPTY_PATH, 0,
	    "probe: statx of a path, not of a descriptor"),
	SANDBOX_ERRNO(access, EACCES, "probe: no path to look at"),
	SANDBOX_ERRNO(faccessat, EACCES, "probe: no path to look at"),
	SANDBOX_ERRNO(faccessat2, EACCES, "probe: no path to look at"),
	SANDBOX_ERRNO(readlink, EACCES, "probe: no path to look at"),
	SANDBOX_ERRNO(readlinkat, EACCES, "probe: no path to look at"),
};
const size_t sandbox_common_nrules = sizeof(sandbox_common_rules) /
    sizeof(sandbox_common_rules[0]);

/* The trap line's prefix, made before the filter; the handler adds NR. */
static char	sandbox_trap_prefix[64];
static size_t	sandbox_trap_prefixlen;

const struct sandbox_policy *
sandbox_policy(int role)
{
	switch (role) {
	case PROC_IKE:
		return (&ike_sandbox_policy);
	case PROC_L2TP:
		return (&l2tp_sandbox_policy);
	case PROC_PPP:
		return (&ppp_sandbox_policy);
	case PROC_DATAPATH:
		return (&datapath_sandbox_policy);
	default:
		return (NULL);
	}
}

/*
 * `sandbox trap': a call outside the allowlist raises SIGSYS instead of
 * killing.  Say which one on stderr and make it fail with ENOSYS, so one
 * run shows every missing entry.  Only async-signal-safe work here.
 */
static void
sandbox_sigsys(int sig, siginfo_t *si, void *arg)
{
	char		 line[sizeof(sandbox_trap_prefix) + 16];
	char		 digits[12];
	size_t		 len, n;
	unsigned int	 nr;
	int		 saved_errno = errno;

	(void)sig;
	if (si->si_code != SYS_SECCOMP)
		return;
	for (len = 0; len < sandbox_trap_prefixlen; len++)
		line[len] = sandbox_trap_prefix[len];
	nr = (unsigned int)si->si_syscall;
	n = 0;
	do {
		digits[n++] = '0' + nr % 10;
		nr /= 10;
	} while (nr != 0 && n < sizeof(digits));
	while (n > 0)
		line[len++] = digits[--n];
	line[len++] = '\n';
	(void)write(STDERR_FILENO, line, len);
#if defined(__x86_64__)
	((ucontext_t *)arg)->uc_mcontext.gregs[REG_RAX] = -ENOSYS;
#else
	/* Elsewhere the call returns whatever the register holds. */
	(void)arg;
#endif
	errno = saved_errno;
}

static int
sandbox_trap_install(const struct sandbox_policy *sp)
{
	struct sigaction	 sa;
	sigset_t		 set;
	int			 n;

	n = snprintf(sandbox_trap_prefix, sizeof(sandbox_trap_prefix),
	    "l2tpsecd: sandbox: %s: trapped system call ", sp->sp_name);
	if (n < 0 || (size_t)n >= sizeof(sandbox_trap_prefix)) {
		log_warnx("sandbox: role name too long");
		return (-1);
	}
	sandbox_trap_prefixlen = n;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = sandbox_sigsys;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	sigemptyset(&set);
	sigaddset(&set, SIGSYS);
	if (sigaction(SIGSYS, &sa, NULL) == -1 ||
	    sigprocmask(SIG_UNBLOCK, &set, NULL) == -1) {
		log_warn("sandbox: SIGSYS handler");
		return (-1);
	}
	return (0);
}

/*
 * The directory is checked and entered through one descriptor, so what
 * was checked is what becomes the root even if the path changes.
 */
static int
sandbox_chroot(const char *dir)
{
	struct stat	 sb;
	int		 fd;

	if (dir[0] != '/') {
		log_warnx("sandbox: chroot directory \"%s\" is not an "
		    "absolute path", dir);
		return (-1);
	}
	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1) {
		log_warn("sandbox: chroot directory %s", dir);
		return (-1);
	}
	if (fstat(fd, &sb) == -1) {
		log_warn("sandbox: chroot directory %s", dir);
		goto fail;
	}
	if (!S_ISDIR(sb.st_mode)) {
		log_warnx("sandbox: chroot directory %s is not a directory",
		    dir);
		goto fail;
	}
	if (sb.st_uid != 0) {
		log_warnx("sandbox: chroot directory %s is owned by uid %u; "
		    "it must be owned by root", dir, (unsigned int)sb.st_uid);
		goto fail;
	}
	if (sb.st_mode & (S_IWGRP | S_IWOTH)) {
		log_warnx("sandbox: chroot directory %s is writable by %s "
		    "(mode %04o); it must not be writable by group or others",
		    dir, (sb.st_mode & S_IWOTH) ? "others" : "its group",
		    (unsigned int)(sb.st_mode & 07777));
		goto fail;
	}
	if (fchdir(fd) == -1 || chroot(".") == -1 || chdir("/") == -1) {
		log_warn("sandbox: chroot %s", dir);
		goto fail;
	}
	close(fd);
	return (0);
fail:
	close(fd);
	return (-1);
}

static const char *
sandbox_capng_error(int rc)
{
	switch (rc) {
	case -1:
		return ("libcap-ng not initialised");
	case -2:
		return ("PR_SET_KEEPCAPS failed");
	case -3:
		return ("cannot take CAP_SETUID/CAP_SETGID/CAP_SETPCAP");
	case -4:
		return ("setresgid failed");
	case -5:
		return ("cannot drop the supplementary groups");
	case -6:
		return ("setresuid failed");
	case -7:
		return ("cannot clear PR_SET_KEEPCAPS");
	case -8:
		return ("cannot clear the bounding set");
	case -9:
		return ("cannot drop the last capabilities");
	default:
		return ("unknown error");
	}
}

/*
 * Capabilities, bounding set, supplementary groups and ids in one
 * libcap-ng call: the bounding set can only be cleared while CAP_SETPCAP
 * is still held, that is before the uid changes.
 */
static int
sandbox_setid(const struct msg_child_init *ci)
{
	int	 rc;

	capng_clear(CAPNG_SELECT_BOTH);
	rc = capng_change_id((int)ci->ci_uid, (int)ci->ci_gid,
	    CAPNG_DROP_SUPP_GRP | CAPNG_CLEAR_BOUNDING);
	if (rc != 0) {
		log_warnx("sandbox: cannot change to uid %u gid %u: %s "
		    "(capng_change_id %d): %s", ci->ci_uid, ci->ci_gid,
		    sandbox_capng_error(rc), rc, strerror(errno));
		return (-1);
	}
	return (0);
}

static int
sandbox_rlimits(const struct sandbox_policy *sp, uint32_t max_sessions)
{
	struct rlimit	 rl;
	unsigned long long nofile;

	nofile = sp->sp_fds_base +
	    (unsigned long long)sp->sp_fds_per_session * max_sessions;
	if (getrlimit(RLIMIT_NOFILE, &rl) == -1) {
		log_warn("sandbox: getrlimit RLIMIT_NOFILE");
		return (-1);
	}
	/* Capabilities are gone: the hard limit can only come down. */
	if (rl.rlim_max != RLIM_INFINITY && nofile > rl.rlim_max) {
		log_info("sandbox: %llu descriptors wanted for %u sessions, "
		    "the hard limit is %llu", nofile, max_sessions,
		    (unsigned long long)rl.rlim_max);
		nofile = rl.rlim_max;
	}

	rl.rlim_cur = rl.rlim_max = 0;
	if (setrlimit(RLIMIT_NPROC, &rl) == -1) {
		log_warn("sandbox: setrlimit RLIMIT_NPROC");
		return (-1);
	}
	if (setrlimit(RLIMIT_CORE, &rl) == -1) {
		log_warn("sandbox: setrlimit RLIMIT_CORE");
		return (-1);
	}
	if (setrlimit(RLIMIT_FSIZE, &rl) == -1) {
		log_warn("sandbox: setrlimit RLIMIT_FSIZE");
		return (-1);
	}
	rl.rlim_cur = rl.rlim_max = nofile;
	if (setrlimit(RLIMIT_NOFILE, &rl) == -1) {
		log_warn("sandbox: setrlimit RLIMIT_NOFILE %llu", nofile);
		return (-1);
	}
	/*
	 * RLIMIT_FSIZE 0 turns a write to a regular file into SIGXFSZ.  A
	 * child has no file to write to, but its stderr may be one (the
	 * trap line, a sanitizer report): that write should fail with
	 * EFBIG, not kill the child.
	 */
	signal(SIGXFSZ, SIG_IGN);
	return (0);
}

/* Proves the demotion took, before the filter makes checking it harder. */
static int
sandbox_verify(const struct msg_child_init *ci)
{
	uid_t	 ruid, euid, suid;
	gid_t	 rgid, egid, sgid;

	if (getresuid(&ruid, &euid, &suid) == -1 ||
	    getresgid(&rgid, &egid, &sgid) == -1) {
		log_warn("sandbox: getresuid");
		return (-1);
	}
	if (ruid == 0 || euid == 0 || suid == 0 || ruid != ci->ci_uid ||
	    euid != ci->ci_uid || suid != ci->ci_uid ||
	    rgid != ci->ci_gid || egid != ci->ci_gid || sgid != ci->ci_gid) {
		log_warnx("sandbox: still uid %u/%u/%u gid %u/%u/%u after "
		    "the change to %u/%u", (unsigned int)ruid,
		    (unsigned int)euid, (unsigned int)suid, (unsigned int)rgid,
		    (unsigned int)egid, (unsigned int)sgid, ci->ci_uid,
		    ci->ci_gid);
		return (-1);
	}
	if (getgroups(0, NULL) != 0) {
		log_warnx("sandbox: supplementary groups remain");
		return (-1);
	}
	/* Re-read from the kernel: libcap-ng's own copy proves nothing. */
	if (capng_get_caps_process() != 0 ||
	    capng_have_capabilities(CAPNG_SELECT_BOTH) != CAPNG_NONE) {
		log_warnx("sandbox: capabilities remain after the uid change");
		return (-1);
	}
	if (prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) != 1 ||
	    prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) != 0) {
		log_warnx("sandbox: no_new_privs or dumpable not set");
		return (-1);
	}
	return (0);
}

static int
sandbox_add_rules(scmp_filter_ctx ctx, const struct sandbox_rule *rules,
    size_t nrules)
{
	const struct sandbox_rule	*sr;
	struct scmp_arg_cmp		 cmp;
	uint32_t			 action;
	char				*name;
	size_t				 i;
	int				 rc;

	for (i = 0; i < nrules; i++) {
		sr = &rules[i];
		action = sr->sr_errno != 0 ? SCMP_ACT_ERRNO(sr->sr_errno) :
		    SCMP_ACT_ALLOW;
		if (sr->sr_arg == 0)
			rc = seccomp_rule_add(ctx, action, sr->sr_nr, 0);
		else {
			cmp = (struct scmp_arg_cmp)SCMP_CMP(sr->sr_arg - 1,
			    SCMP_CMP_MASKED_EQ, sr->sr_mask, sr->sr_val);
			rc = seccomp_rule_add_array(ctx, action, sr->sr_nr, 1,
			    &cmp);
		}
		if (rc < 0) {
			name = seccomp_syscall_resolve_num_arch(
			    SCMP_ARCH_NATIVE, sr->sr_nr);
			log_warnx("sandbox: cannot add the rule for %s "
			    "(%s): %s", name != NULL ? name : "?", sr->sr_why,
			    strerror(-rc));
			free(name);
			return (-1);
		}
	}
	return (0);
}

static int
sandbox_filter(const struct sandbox_policy *sp, int trap)
{
	scmp_filter_ctx	 ctx;
	uint32_t	 deny;
	int		 rc;

	deny = trap ? SCMP_ACT_TRAP : SCMP_ACT_KILL_PROCESS;
	if ((ctx = seccomp_init(deny)) == NULL) {
		log_warnx("sandbox: seccomp_init failed");
		return (-1);
	}
	/* A call made through another ABI (i386, x32) is denied as well. */
	if ((rc = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, deny)) < 0 ||
	    (rc = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_TSYNC, 1)) < 0) {
		log_warnx("sandbox: seccomp_attr_set: %s", strerror(-rc));
		goto fail;
	}
	if (sandbox_add_rules(ctx, sandbox_common_rules,
	    sandbox_common_nrules) == -1 ||
	    sandbox_add_rules(ctx, sp->sp_rules, sp->sp_nrules) == -1)
		goto fail;
	if ((rc = seccomp_load(ctx)) < 0) {
		log_warnx("sandbox: seccomp_load: %s", strerror(-rc));
		goto fail;
	}
	seccomp_release(ctx);
	return (0);
fail:
	seccomp_release(ctx);
	return (-1);
}

int
sandbox_demote(const struct msg_child_init *ci,
    const struct sandbox_policy *sp)
{
	if (sp == NULL) {
		log_warnx("sandbox: no policy for this process");
		return (-1);
	}
	if (ci->ci_uid == 0 || ci->ci_gid == 0) {
		log_warnx("sandbox: refusing to run as uid %u gid %u: "
		    "children must not run as root", ci->ci_uid, ci->ci_gid);
		return (-1);
	}
	if (ci->ci_uid > INT_MAX || ci->ci_gid > INT_MAX) {
		log_warnx("sandbox: uid %u gid %u out of range", ci->ci_uid,
		    ci->ci_gid);
		return (-1);
	}
	if (memchr(ci->ci_chroot, '\0', sizeof(ci->ci_chroot)) == NULL ||
	    ci->ci_chroot[0] == '\0') {
		log_warnx("sandbox: no chroot directory");
		return (-1);
	}

	/*
	 * libcap-ng learns the highest capability the kernel knows from
	 * /proc/sys/kernel/cap_last_cap; let it read that while it can.
	 */
	if (capng_get_caps_process() != 0) {
		log_warnx("sandbox: cannot read the capabilities");
		return (-1);
	}
	if (sandbox_chroot(ci->ci_chroot) == -1)
		return (-1);
	if (sandbox_setid(ci) == -1)
		return (-1);
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1) {
		log_warn("sandbox: PR_SET_NO_NEW_PRIVS");
		return (-1);
	}
	/* No core dump, no ptrace, no /proc peeking by the same uid. */
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) == -1) {
		log_warn("sandbox: PR_SET_DUMPABLE");
		return (-1);
	}
	if (sandbox_rlimits(sp, ci->ci_max_sessions) == -1)
		return (-1);
	if (sandbox_verify(ci) == -1)
		return (-1);
	if (ci->ci_trap) {
		if (sandbox_trap_install(sp) == -1)
			return (-1);
		log_notice("sandbox: trap mode: calls outside the allowlist "
		    "are logged and fail, they do not kill");
	}
	if (sandbox_filter(sp, ci->ci_trap) == -1)
		return (-1);
	log_debug("sandbox: %s: uid %u, chroot %s, %zu+%zu rules%s",
	    sp->sp_name, ci->ci_uid, ci->ci_chroot, sandbox_common_nrules,
	    sp->sp_nrules, ci->ci_trap ? ", trap mode" : "");
	return (ci->ci_trap ? SANDBOX_TRAP : SANDBOX_SECCOMP);
}
