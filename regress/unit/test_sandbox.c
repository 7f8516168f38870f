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
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <linux/netlink.h>
#include <linux/ppp-ioctl.h>

#include "common/log.h"
#include "common/msg.h"
#include "common/sandbox.h"
#include "test.h"

T_DEFINE_GLOBALS;

/*
 * Each role's real policy is applied in a child the test starts by fork
 * and exec of itself (CHILD_FLAG), the way the daemon starts its
 * children.  The exec matters under ASan+UBSan: the runner exports
 * ASAN_OPTIONS=detect_leaks=1, and LeakSanitizer's exit-time check
 * needs prctl(), clone() and ptrace(), which a demoted process may not
 * make (it dies of SIGSYS at exit).  __lsan_disable() does not help (it
 * only stops recording allocations) and _exit() would skip the exit
 * path we want tested.  So the exec'd child starts with detect_leaks=0,
 * as the daemon's children do, and ends with exit(): atexit handlers,
 * stdio and the sanitizer runtimes run under the filter too.  That is
 * how the test found the one call ASan adds, sigaltstack() before every
 * noreturn call.  Forked children that are not demoted leave with
 * _exit(), which skips the leak check.
 *
 * The child has the test's channel on fd 3 (as a real child has the
 * parent's), a report pipe on fd 4 and stderr (and stdout) on a pipe.
 */
#define CHILD_FLAG	"--sandbox-child"
#define REPORT_FD	4
#define T_USER		"_l2tpsecd"
#define T_SESSIONS	10
#define T_TIMEOUT_MS	20000

static char	 t_chroot[PATH_MAX];	/* the good chroot directory */

/* ---- in the demoted child ---------------------------------------- */

static void report(const char *, ...) __attribute__((format(printf, 1, 2)));

static void
report(const char *fmt, ...)
{
	char	 buf[256];
	va_list	 ap;
	int	 n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n > 0)
		(void)write(REPORT_FD, buf, (size_t)n < sizeof(buf) ?
		    (size_t)n : sizeof(buf) - 1);
}

#define CHECK(name, cond) do {						\
	errno = 0;							\
	if (cond)							\
		report("ok %s\n", (name));				\
	else								\
		report("fail %s: %s\n", (name), strerror(errno));	\
} while (0)

static int
send_fd(int sock, int fd, const char *byte)
{
	union {
		struct cmsghdr	hdr;
		char		buf[CMSG_SPACE(sizeof(int))];
	} cm;
	struct msghdr	 msg;
	struct cmsghdr	*cmsg;
	struct iovec	 iov;

	memset(&msg, 0, sizeof(msg));
	memset(&cm, 0, sizeof(cm));
	iov.iov_base = (void *)byte;
	iov.iov_len = 1;
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = cm.buf;
	msg.msg_controllen = sizeof(cm.buf);
	cmsg = CMSG_FIRSTHDR(&msg);
	cmsg->cmsg_level = SOL_SOCKET;
	cmsg->cmsg_type = SCM_RIGHTS;
	cmsg->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cmsg), &fd, sizeof(int));
	return (sendmsg(sock, &msg, MSG_NOSIGNAL) == 1 ? 0 : -1);
}

/* The received descriptor, or -1. */
static int
recv_fd(int sock)
{
	union {
		struct cmsghdr	hdr;
		char		buf[CMSG_SPACE(sizeof(int))];
	} cm;
	struct msghdr	 msg;
	struct cmsghdr	*cmsg;
	struct iovec	 iov;
	char		 c;
	int		 fd = -1;

	memset(&msg, 0, sizeof(msg));
	iov.iov_base = &c;
	iov.iov_len = 1;
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = cm.buf;
	msg.msg_controllen = sizeof(cm.buf);
	if (recvmsg(sock, &msg, MSG_CMSG_CLOEXEC) != 1)
		return (-1);
	cmsg = CMSG_FIRSTHDR(&msg);
	if (cmsg == NULL || cmsg->cmsg_level != SOL_SOCKET ||
	    cmsg->cmsg_type != SCM_RIGHTS)
		return (-1);
	memcpy(&fd, CMSG_DATA(cmsg), sizeof(int));
	return (fd);
}

/* Descriptors the child makes before demotion, as a real child has. */
struct child_fds {
	int	 ep;		/* epoll */
	int	 sp[2];		/* SOCK_STREAM pair: SCM_RIGHTS */
	int	 pp[2];		/* a pipe to pass and write to */
	int	 dg[2];		/* SOCK_DGRAM pair: UDP stand-in */
	int	 sq[2];		/* SOCK_SEQPACKET pair: ppp <-> datapath */
};

/* What every role does at run time, then what this role adds. */
static void
child_work(int role, struct child_fds *f)
{
	struct epoll_event	 ev, evs[4];
	struct timespec		 ts;
	struct timeval		 tv;
	struct stat		 sb;
	struct mmsghdr		 mm[2];
	struct iovec		 iov[2];
	unsigned char		 rnd[32], buf[64];
	char			*p, *q = NULL;
	int			 fd, i, unit, flags;

	CHECK("getpid", getpid() > 0 && syscall(SYS_gettid) > 0);
	CHECK("uid", getuid() != 0 && geteuid() != 0 && getgid() != 0);
	CHECK("clock_gettime", clock_gettime(CLOCK_MONOTONIC, &ts) == 0 &&
	    clock_gettime(CLOCK_REALTIME, &ts) == 0);
	CHECK("gettimeofday", gettimeofday(&tv, NULL) == 0);
	p = malloc(64 << 20);
	if (p != NULL) {
		memset(p, 0xa5, 64 << 20);
		q = realloc(p, 128 << 20);
		if (q != NULL)
			p = q;
	}
	CHECK("malloc", p != NULL && q != NULL && p[(64 << 20) - 1] ==
	    (char)0xa5);
	free(p);
	for (i = 0; i < 1000; i++)
		free(malloc(i * 37));
	CHECK("getrandom", getrandom(rnd, sizeof(rnd), 0) == sizeof(rnd));
	ts.tv_sec = 0;
	ts.tv_nsec = 1000000;
	CHECK("nanosleep", nanosleep(&ts, NULL) == 0);
	CHECK("fstat", fstat(f->pp[0], &sb) == 0 && S_ISFIFO(sb.st_mode));
	flags = fcntl(f->sp[1], F_GETFL);
	CHECK("fcntl", flags != -1 &&
	    fcntl(f->sp[1], F_SETFL, flags | O_NONBLOCK) == 0 &&
	    fcntl(f->sp[1], F_SETFD, FD_CLOEXEC) == 0 &&
	    fcntl(f->sp[1], F_GETFD) == FD_CLOEXEC);

	/* An event loop on descriptors made before demotion. */
	memset(&ev, 0, sizeof(ev));
	ev.events = EPOLLIN;
	ev.data.fd = f->sp[1];
	CHECK("epoll_ctl", epoll_ctl(f->ep, EPOLL_CTL_ADD, f->sp[1], &ev) ==
	    0);
	CHECK("epoll_wait idle", epoll_wait(f->ep, evs, 4, 0) == 0);
	/* A descriptor passed over a socketpair, the imsg way. */
	CHECK("sendmsg SCM_RIGHTS", send_fd(f->sp[0], f->pp[1], "x") == 0);
	CHECK("epoll_wait", epoll_wait(f->ep, evs, 4, 5000) == 1 &&
	    evs[0].data.fd == f->sp[1]);
	fd = recv_fd(f->sp[1]);
	CHECK("recvmsg SCM_RIGHTS", fd != -1 &&
	    fcntl(fd, F_GETFD) == FD_CLOEXEC);
	CHECK("write pipe", write(fd, "y", 1) == 1 && close(fd) == 0 &&
	    read(f->pp[0], buf, 1) == 1 && buf[0] == 'y');
	CHECK("epoll_ctl del", epoll_ctl(f->ep, EPOLL_CTL_DEL, f->sp[1],
	    NULL) == 0);

	/* Probes for files fail with EACCES, they do not kill. */
	CHECK("openat EACCES", openat(AT_FDCWD, "/etc/passwd", O_RDONLY) ==
	    -1 && errno == EACCES);
	CHECK("open EACCES", open("/", O_RDONLY) == -1 && errno == EACCES);
	CHECK("stat EACCES", stat("/etc/passwd", &sb) == -1 &&
	    errno == EACCES);
	CHECK("access EACCES", access("/", R_OK) == -1 && errno == EACCES);
	CHECK("fopen EACCES", fopen("/etc/passwd", "r") == NULL &&
	    errno == EACCES);

	switch (role) {
	case PROC_IKE:
	case PROC_L2TP:
		CHECK("sendto", sendto(f->dg[0], "ike", 3, 0, NULL, 0) == 3);
		CHECK("recvfrom", recvfrom(f->dg[1], buf, sizeof(buf), 0,
		    NULL, NULL) == 3);
		break;
	case PROC_PPP:
		/* Passes the filter; a pipe is no PPP unit. */
		CHECK("ioctl PPPIOCGUNIT", ioctl(f->pp[0], PPPIOCGUNIT,
		    &unit) == -1 && errno == ENOTTY);
		CHECK("ioctl PPPIOCSMRU", ioctl(f->pp[0], PPPIOCSMRU,
		    &unit) == -1 && errno == ENOTTY);
		CHECK("seqpacket", send(f->sq[0], "\xc0\x21", 2, 0) == 2 &&
		    recv(f->sq[1], buf, sizeof(buf), 0) == 2);
		break;
	case PROC_DATAPATH:
		memset(mm, 0, sizeof(mm));
		iov[0].iov_base = "esp1";
		iov[0].iov_len = 4;
		iov[1].iov_base = "esp2";
		iov[1].iov_len = 4;
		mm[0].msg_hdr.msg_iov = &iov[0];
		mm[0].msg_hdr.msg_iovlen = 1;
		mm[1].msg_hdr.msg_iov = &iov[1];
		mm[1].msg_hdr.msg_iovlen = 1;
		CHECK("sendmmsg", sendmmsg(f->dg[0], mm, 2, 0) == 2);
		iov[0].iov_base = buf;
		iov[0].iov_len = 8;
		iov[1].iov_base = buf + 8;
		iov[1].iov_len = 8;
		CHECK("recvmmsg", recvmmsg(f->dg[1], mm, 2, MSG_DONTWAIT,
		    NULL) == 2 && memcmp(buf + 8, "esp2", 4) == 0);
		/* The TUN device's readv/writev, on a pipe. */
		iov[0].iov_base = "\0\0\x08\0";
		iov[0].iov_len = 4;
		iov[1].iov_base = "ip";
		iov[1].iov_len = 2;
		CHECK("writev", writev(f->pp[1], iov, 2) == 6);
		iov[0].iov_base = buf;
		iov[1].iov_base = buf + 4;
		CHECK("readv", readv(f->pp[0], iov, 2) == 6);
		CHECK("seqpacket", send(f->sq[0], "\xc0\x21", 2, 0) == 2 &&
		    recv(f->sq[1], buf, sizeof(buf), 0) == 2);
		break;
	}
}

static int
child_mode(int argc, char **argv)
{
	struct msg_child_init		 ci;
	const struct sandbox_policy	*sp;
	struct child_fds		 f;
	struct epoll_event		 ev;
	const char			*scenario;
	char				*true_argv[] = { "true", NULL };
	char				*no_env[] = { NULL };
	int				 role, state, fd, unit;

	if (argc != 7 || (role = proc_role_from_name(argv[2])) == -1 ||
	    (sp = sandbox_policy(role)) == NULL) {
		report("fail child arguments\n");
		return (2);
	}
	scenario = argv[3];
	memset(&ci, 0, sizeof(ci));
	ci.ci_uid = strtoul(argv[5], NULL, 10);
	ci.ci_gid = strtoul(argv[6], NULL, 10);
	ci.ci_max_sessions = T_SESSIONS;
	ci.ci_trap = strcmp(scenario, "trap") == 0;
	strlcpy(ci.ci_chroot, argv[4], sizeof(ci.ci_chroot));

	/* What a child sets up before it demotes. */
	if ((f.ep = epoll_create1(EPOLL_CLOEXEC)) == -1 ||
	    socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, f.sp) == -1 ||
	    pipe2(f.pp, O_CLOEXEC) == -1 ||
	    socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, f.dg) == -1 ||
	    socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0,
	    f.sq) == -1) {
		report("fail setup: %s\n", strerror(errno));
		return (2);
	}
	signal(SIGPIPE, SIG_IGN);

	if ((state = sandbox_demote(&ci, sp)) == -1) {
		report("fail demote\n");
		return (2);
	}
	report("demoted %d\n", state);

	if (strcmp(scenario, "work") == 0) {
		child_work(role, &f);
		report("ready\n");
		/* Block in the event loop until the test hands us a pipe. */
		memset(&ev, 0, sizeof(ev));
		ev.events = EPOLLIN;
		CHECK("epoll_ctl parent", epoll_ctl(f.ep, EPOLL_CTL_ADD,
		    PROC_PARENT_FD, &ev) == 0);
		CHECK("epoll_wait parent", epoll_wait(f.ep, &ev, 1,
		    T_TIMEOUT_MS) == 1);
		fd = recv_fd(PROC_PARENT_FD);
		CHECK("parent fd", fd != -1 && write(fd, "hello", 5) == 5 &&
		    close(fd) == 0);
		report("done\n");
		/*
		 * exit(), not a return from main: ASan instruments every
		 * noreturn call (exit, fatal) with __asan_handle_no_return,
		 * which reads the signal stack (sigaltstack) first.
		 */
		exit(0);
	} else if (strcmp(scenario, "trap") == 0) {
		child_work(role, &f);
		errno = 0;
		CHECK("trapped execve", execve("/bin/true", true_argv,
		    no_env) == -1 && errno == ENOSYS);
		CHECK("trapped socket", socket(AF_NETLINK, SOCK_RAW,
		    NETLINK_ROUTE) == -1 && errno == ENOSYS);
		report("done\n");
		exit(0);
	} else if (strcmp(scenario, "execve") == 0)
		execve("/bin/true", true_argv, no_env);
	else if (strcmp(scenario, "netlink") == 0)
		(void)socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE);
	else if (strcmp(scenario, "fork") == 0) {
		if (fork() == 0)
			_exit(0);
	} else if (strcmp(scenario, "ioctl") == 0)
		(void)ioctl(f.pp[0], PPPIOCNEWUNIT, &unit);
	else if (strcmp(scenario, "mmap-exec") == 0)
		(void)mmap(NULL, 4096, PROT_READ | PROT_EXEC,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	report("fail %s survived: %s\n", scenario, strerror(errno));
	return (1);
}

/* ---- in the test ------------------------------------------------- */

struct run {
	pid_t	 r_pid;
	int	 r_chan;		/* our end of the child's fd 3 */
	int	 r_rep;			/* the child's reports */
	int	 r_err;			/* the child's stderr */
	char	 r_out[8192];
	size_t	 r_outlen;
	char	 r_errbuf[16384];
	size_t	 r_errlen;
	int	 r_status;
};

static int
move_fd(int from, int to)
{
	if (from == to)
		return (fcntl(to, F_SETFD, 0));
	if (dup2(from, to) == -1)
		return (-1);
	close(from);
	return (0);
}

static int
run_start(struct run *r, const char *role, const char *scenario)
{
	struct passwd	*pw;
	char		 uid[16], gid[16], opts[512];
	const char	*asan;
	int		 chan[2], rep[2], err[2], devnull;

	memset(r, 0, sizeof(*r));
	r->r_pid = -1;
	if ((pw = getpwnam(T_USER)) == NULL)
		return (-1);
	snprintf(uid, sizeof(uid), "%u", (unsigned int)pw->pw_uid);
	snprintf(gid, sizeof(gid), "%u", (unsigned int)pw->pw_gid);
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, chan) == -1)
		return (-1);
	if (pipe2(rep, O_CLOEXEC) == -1 || pipe2(err, O_CLOEXEC) == -1)
		return (-1);
	fflush(stdout);
	fflush(stderr);
	if ((r->r_pid = fork()) == -1)
		return (-1);
	if (r->r_pid == 0) {
		/* Above every number the moves below use. */
		if ((chan[1] = fcntl(chan[1], F_DUPFD_CLOEXEC, 10)) == -1 ||
		    (rep[1] = fcntl(rep[1], F_DUPFD_CLOEXEC, 10)) == -1 ||
		    (err[1] = fcntl(err[1], F_DUPFD_CLOEXEC, 10)) == -1 ||
		    (devnull = open("/dev/null", O_RDONLY)) == -1 ||
		    move_fd(devnull, 0) == -1 ||
		    dup2(err[1], 1) == -1 || move_fd(err[1], 2) == -1 ||
		    move_fd(chan[1], PROC_PARENT_FD) == -1 ||
		    move_fd(rep[1], REPORT_FD) == -1)
			_exit(3);
		asan = getenv("ASAN_OPTIONS");
		snprintf(opts, sizeof(opts), "%s%sdetect_leaks=0",
		    asan != NULL ? asan : "", asan != NULL ? ":" : "");
		setenv("ASAN_OPTIONS", opts, 1);
		execl("/proc/self/exe", "test_sandbox", CHILD_FLAG, role,
		    scenario, t_chroot, uid, gid, (char *)NULL);
		_exit(3);
	}
	close(chan[1]);
	close(rep[1]);
	close(err[1]);
	r->r_chan = chan[0];
	r->r_rep = rep[0];
	r->r_err = err[0];
	return (0);
}

/*
 * Collects reports and stderr until `want' has been reported (NULL:
 * until both close).  0 when it came, -1 on EOF or timeout.
 */
static int
run_read(struct run *r, const char *want)
{
	struct pollfd	 pfd[2];
	ssize_t		 n;
	int		 i;

	for (;;) {
		r->r_out[r->r_outlen] = '\0';
		r->r_errbuf[r->r_errlen] = '\0';
		if (want != NULL && strstr(r->r_out, want) != NULL)
			return (0);
		pfd[0].fd = r->r_rep;
		pfd[1].fd = r->r_err;
		pfd[0].events = pfd[1].events = POLLIN;
		if (r->r_rep == -1 && r->r_err == -1)
			return (want == NULL ? 0 : -1);
		if (poll(pfd, 2, T_TIMEOUT_MS) <= 0)
			return (-1);
		for (i = 0; i < 2; i++) {
			char	*buf = i == 0 ? r->r_out : r->r_errbuf;
			size_t	*len = i == 0 ? &r->r_outlen : &r->r_errlen;
			size_t	 cap = i == 0 ? sizeof(r->r_out) :
			    sizeof(r->r_errbuf);
			char	 scratch[512];
			int	*fdp = i == 0 ? &r->r_rep : &r->r_err;

			if (pfd[i].fd == -1 || pfd[i].revents == 0)
				continue;
			if (*len + 1 < cap)
				n = read(*fdp, buf + *len, cap - 1 - *len);
			else
				n = read(*fdp, scratch, sizeof(scratch));
			if (n <= 0) {
				close(*fdp);
				*fdp = -1;
			} else if (*len + 1 < cap)
				*len += n;
		}
	}
}

/* Waits for the child; kills it first if it has not said its piece. */
static void
run_finish(struct run *r)
{
	if (run_read(r, NULL) == -1)
		kill(r->r_pid, SIGKILL);
	if (r->r_rep != -1)
		close(r->r_rep);
	if (r->r_err != -1)
		close(r->r_err);
	close(r->r_chan);
	while (waitpid(r->r_pid, &r->r_status, 0) == -1 && errno == EINTR)
		;
}

static void
run_dump(const struct run *r, const char *role, const char *scenario)
{
	const char	*p, *e;
	int		 k;

	for (k = 0; k < 2; k++) {
		for (p = k == 0 ? r->r_out : r->r_errbuf; *p != '\0'; p = e) {
			if ((e = strchr(p, '\n')) == NULL)
				e = p + strlen(p);
			printf("# %s/%s %s: %.*s\n", role, scenario,
			    k == 0 ? "report" : "stderr", (int)(e - p), p);
			if (*e == '\n')
				e++;
		}
	}
	if (WIFSIGNALED(r->r_status))
		printf("# %s/%s: killed by signal %d\n", role, scenario,
		    WTERMSIG(r->r_status));
	else
		printf("# %s/%s: exit status %d\n", role, scenario,
		    WEXITSTATUS(r->r_status));
}

/* The value of a "Name:\tvalue" line in /proc/PID/status or limits. */
static int
proc_field(pid_t pid, const char *file, const char *name, char *val,
    size_t len)
{
	char	 path[64], line[512], *p;
	FILE	*fp;
	int	 found = -1;

	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, file);
	if ((fp = fopen(path, "r")) == NULL)
		return (-1);
	while (fgets(line, sizeof(line), fp) != NULL) {
		if (strncmp(line, name, strlen(name)) != 0)
			continue;
		p = line + strlen(name);
		p += strspn(p, " \t:");
		p[strcspn(p, "\n")] = '\0';
		strlcpy(val, p, len);
		found = 0;
		break;
	}
	fclose(fp);
	return (found);
}

/* While the demoted child waits: what the kernel says about it. */
static void
check_proc(pid_t pid, const struct sandbox_policy *sp)
{
	char		 v[256], path[64], root[PATH_MAX], want[PATH_MAX];
	unsigned long	 u[4];
	unsigned long long lim[2];
	ssize_t		 n;
	const char	*caps[] = { "CapInh", "CapPrm", "CapEff", "CapBnd",
			    "CapAmb" };
	size_t		 i;

	T_ASSERT(proc_field(pid, "status", "Uid", v, sizeof(v)) == 0 &&
	    sscanf(v, "%lu %lu %lu %lu", &u[0], &u[1], &u[2], &u[3]) == 4 &&
	    u[0] != 0 && u[1] != 0 && u[2] != 0 && u[3] != 0);
	T_ASSERT(proc_field(pid, "status", "Gid", v, sizeof(v)) == 0 &&
	    sscanf(v, "%lu %lu %lu %lu", &u[0], &u[1], &u[2], &u[3]) == 4 &&
	    u[0] != 0 && u[1] != 0 && u[2] != 0 && u[3] != 0);
	T_ASSERT(proc_field(pid, "status", "Groups", v, sizeof(v)) == 0 &&
	    v[0] == '\0');
	for (i = 0; i < sizeof(caps) / sizeof(caps[0]); i++) {
		if (proc_field(pid, "status", caps[i], v, sizeof(v)) != 0 ||
		    strcmp(v, "0000000000000000") != 0) {
			printf("# %s: %s is %s\n", sp->sp_name, caps[i], v);
			T_ASSERT(0);
		}
	}
	T_ASSERT(proc_field(pid, "status", "NoNewPrivs", v, sizeof(v)) == 0 &&
	    strcmp(v, "1") == 0);
	T_ASSERT(proc_field(pid, "status", "Seccomp", v, sizeof(v)) == 0 &&
	    strcmp(v, "2") == 0);

	snprintf(path, sizeof(path), "/proc/%d/root", (int)pid);
	n = readlink(path, root, sizeof(root) - 1);
	T_ASSERT_RET(n > 0);
	root[n] = '\0';
	T_ASSERT(realpath(t_chroot, want) != NULL && strcmp(root, want) == 0);

	T_ASSERT(proc_field(pid, "limits", "Max processes", v, sizeof(v)) ==
	    0 && strncmp(v, "0 ", 2) == 0);
	T_ASSERT(proc_field(pid, "limits", "Max core file size", v,
	    sizeof(v)) == 0 && strncmp(v, "0 ", 2) == 0);
	T_ASSERT(proc_field(pid, "limits", "Max file size", v, sizeof(v)) ==
	    0 && strncmp(v, "0 ", 2) == 0);
	T_ASSERT(proc_field(pid, "limits", "Max open files", v, sizeof(v)) ==
	    0 && sscanf(v, "%llu %llu", &lim[0], &lim[1]) == 2 &&
	    lim[0] == sp->sp_fds_base + sp->sp_fds_per_session * T_SESSIONS &&
	    lim[1] == lim[0]);
}

static const char *
root_skip(void)
{
	if (geteuid() != 0)
		return ("needs root (make check runs the tests as root)");
	if (getpwnam(T_USER) == NULL)
		return ("no " T_USER " user (make user creates it)");
	if (prctl(PR_GET_SECCOMP, 0, 0, 0, 0) == -1 && errno == EINVAL)
		return ("the kernel has no seccomp");
	if (t_chroot[0] == '\0')
		return ("could not make a chroot directory");
	return (NULL);
}

/* The whole life of a demoted child: work, inspection, normal exit. */
static void
sandbox_role_work(const struct sandbox_policy *sp)
{
	struct run	 r;
	int		 hp[2];
	char		 buf[16];
	ssize_t		 n;

	T_ASSERT_RET(run_start(&r, sp->sp_name, "work") == 0);
	if (run_read(&r, "ready\n") == 0) {
		check_proc(r.r_pid, sp);
		/* Hand it a descriptor over its parent channel. */
		T_ASSERT(pipe2(hp, O_CLOEXEC) == 0);
		T_ASSERT(send_fd(r.r_chan, hp[1], "f") == 0);
		close(hp[1]);
		n = read(hp[0], buf, sizeof(buf));
		T_ASSERT(n == 5 && memcmp(buf, "hello", 5) == 0);
		close(hp[0]);
	} else
		T_ASSERT(!"the child reported ready");
	run_finish(&r);
	T_ASSERT(strstr(r.r_out, "demoted 1\n") != NULL);
	T_ASSERT(strstr(r.r_out, "done\n") != NULL);
	T_ASSERT(strstr(r.r_out, "fail") == NULL);
	T_ASSERT(WIFEXITED(r.r_status) && WEXITSTATUS(r.r_status) == 0);
	if (t_cur_failed)
		run_dump(&r, sp->sp_name, "work");
}

/* Calls outside the allowlist kill the process with SIGSYS. */
static void
sandbox_role_kill(const struct sandbox_policy *sp, const char *scenario)
{
	struct run	 r;
	int		 was_failed = t_cur_failed;

	t_cur_failed = 0;
	T_ASSERT_RET(run_start(&r, sp->sp_name, scenario) == 0);
	run_finish(&r);
	T_ASSERT(strstr(r.r_out, "demoted 1\n") != NULL);
	T_ASSERT(WIFSIGNALED(r.r_status) && WTERMSIG(r.r_status) == SIGSYS);
	if (t_cur_failed)
		run_dump(&r, sp->sp_name, scenario);
	t_cur_failed |= was_failed;
}

/* `sandbox trap': the same calls fail with ENOSYS and are named. */
static void
sandbox_role_trap(const struct sandbox_policy *sp)
{
	struct run	 r;
	char		 want[128];
	const char	*p;
	int		 ntrap = 0, was_failed = t_cur_failed;

	t_cur_failed = 0;
	T_ASSERT_RET(run_start(&r, sp->sp_name, "trap") == 0);
	run_finish(&r);
	T_ASSERT(strstr(r.r_out, "demoted 2\n") != NULL);
	T_ASSERT(strstr(r.r_out, "ok trapped execve\n") != NULL);
	T_ASSERT(strstr(r.r_out, "ok trapped socket\n") != NULL);
	T_ASSERT(strstr(r.r_out, "fail") == NULL);
	T_ASSERT(WIFEXITED(r.r_status) && WEXITSTATUS(r.r_status) == 0);
	snprintf(want, sizeof(want),
	    "l2tpsecd: sandbox: %s: trapped system call %d\n", sp->sp_name,
	    SYS_execve);
	T_ASSERT(strstr(r.r_errbuf, want) != NULL);
	snprintf(want, sizeof(want),
	    "l2tpsecd: sandbox: %s: trapped system call %d\n", sp->sp_name,
	    SYS_socket);
	T_ASSERT(strstr(r.r_errbuf, want) != NULL);
	/* Those two and nothing else: the runtime needs no missing call. */
	for (p = r.r_errbuf; (p = strstr(p, "trapped system call")) != NULL;
	    p++)
		ntrap++;
	T_ASSERT(ntrap == 2);
	T_ASSERT(strstr(r.r_errbuf, "trap mode") != NULL);
	if (t_cur_failed)
		run_dump(&r, sp->sp_name, "trap");
	t_cur_failed |= was_failed;
}

static void
sandbox_role(int role)
{
	const struct sandbox_policy	*sp;
	const char			*skip;
	const char *const		 deadly[] = { "execve", "netlink",
					    "fork", "ioctl", "mmap-exec" };
	size_t				 i;

	if ((skip = root_skip()) != NULL)
		T_SKIP(skip);
	T_ASSERT_RET((sp = sandbox_policy(role)) != NULL);
	sandbox_role_work(sp);
	for (i = 0; i < sizeof(deadly) / sizeof(deadly[0]); i++)
		sandbox_role_kill(sp, deadly[i]);
	sandbox_role_trap(sp);
}

static void
test_sandbox_ike(void)
{
	sandbox_role(PROC_IKE);
}

static void
test_sandbox_l2tp(void)
{
	sandbox_role(PROC_L2TP);
}

static void
test_sandbox_ppp(void)
{
	sandbox_role(PROC_PPP);
}

static void
test_sandbox_datapath(void)
{
	sandbox_role(PROC_DATAPATH);
}

/* ---- refusals ---------------------------------------------------- */

static int	 refuse_log_fd = -1;

static void
refuse_sink(int pri, const char *line)
{
	(void)pri;
	(void)write(refuse_log_fd, line, strlen(line));
	(void)write(refuse_log_fd, "\n", 1);
}

/*
 * sandbox_demote in a forked child that must refuse before changing
 * anything.  Returns what it logged; *rc and *uid_after are its return
 * value and its uid afterwards.
 */
static int
refuse_run(const struct msg_child_init *ci, char *log, size_t len, int *rc,
    int *uid_after)
{
	struct stat	 sb;
	pid_t		 pid;
	int		 lp[2], res[3], status, still_root;
	size_t		 off = 0;
	ssize_t		 n;

	if (pipe(lp) == -1)
		return (-1);
	fflush(stdout);
	if ((pid = fork()) == -1)
		return (-1);
	if (pid == 0) {
		close(lp[0]);
		refuse_log_fd = lp[1];
		log_set_sink(refuse_sink);
		res[0] = sandbox_demote(ci, &ike_sandbox_policy);
		res[1] = (int)getuid();
		/* No chroot happened: the real root is still there. */
		still_root = stat("/proc/self", &sb) == 0;
		res[2] = still_root;
		(void)write(lp[1], "\n--\n", 4);
		(void)write(lp[1], res, sizeof(res));
		/* Not demoted, but the leak checker has no business here. */
		_exit(0);
	}
	close(lp[1]);
	while (off + 1 < len && (n = read(lp[0], log + off,
	    len - 1 - off)) > 0)
		off += n;
	close(lp[0]);
	log[off] = '\0';
	waitpid(pid, &status, 0);
	if (off < 4 + sizeof(res))
		return (-1);
	memcpy(res, log + off - sizeof(res), sizeof(res));
	log[off - sizeof(res)] = '\0';
	*rc = res[0];
	*uid_after = res[2] ? res[1] : -1;
	return (0);
}

static void
refuse_expect(const struct msg_child_init *ci, const char *what,
    const char *words)
{
	char	 log[2048];
	int	 rc = 0, uid = -1;

	T_ASSERT_RET(refuse_run(ci, log, sizeof(log), &rc, &uid) == 0);
	if (rc != -1 || uid != 0 || strstr(log, words) == NULL) {
		printf("# %s: rc %d, uid after %d, log: %s\n", what, rc, uid,
		    log);
		T_ASSERT(rc == -1);
		T_ASSERT(uid == 0);
		T_ASSERT(strstr(log, words) != NULL);
	}
}

static void
test_sandbox_refusals(void)
{
	struct msg_child_init	 ci;
	struct passwd		*pw;
	char			 dir[] = "/tmp/l2tpsec-sbrefuse.XXXXXX";
	char			 words[PATH_MAX + 64];
	const char		*skip;

	if ((skip = root_skip()) != NULL)
		T_SKIP(skip);
	pw = getpwnam(T_USER);
	T_ASSERT_RET(mkdtemp(dir) != NULL);
	memset(&ci, 0, sizeof(ci));
	ci.ci_uid = pw->pw_uid;
	ci.ci_gid = pw->pw_gid;
	ci.ci_max_sessions = T_SESSIONS;
	strlcpy(ci.ci_chroot, dir, sizeof(ci.ci_chroot));

	/* A directory others can write to. */
	T_ASSERT(chown(dir, 0, 0) == 0 && chmod(dir, 0777) == 0);
	snprintf(words, sizeof(words), "chroot directory %s is writable by "
	    "others (mode 0777)", dir);
	refuse_expect(&ci, "mode 0777", words);
	T_ASSERT(chmod(dir, 0775) == 0);
	snprintf(words, sizeof(words), "chroot directory %s is writable by "
	    "its group (mode 0775)", dir);
	refuse_expect(&ci, "mode 0775", words);
	/* One the unprivileged user owns. */
	T_ASSERT(chmod(dir, 0755) == 0 && chown(dir, pw->pw_uid, 0) == 0);
	snprintf(words, sizeof(words), "chroot directory %s is owned by uid "
	    "%u; it must be owned by root", dir, (unsigned int)pw->pw_uid);
	refuse_expect(&ci, "owner", words);
	T_ASSERT(chown(dir, 0, 0) == 0);
	/* One that is not there, one that is not a path. */
	strlcpy(ci.ci_chroot, "/nonexistent/l2tpsecd-empty",
	    sizeof(ci.ci_chroot));
	refuse_expect(&ci, "missing",
	    "chroot directory /nonexistent/l2tpsecd-empty: No such file");
	strlcpy(ci.ci_chroot, "var/empty", sizeof(ci.ci_chroot));
	refuse_expect(&ci, "relative", "\"var/empty\" is not an absolute");
	/* Root. */
	strlcpy(ci.ci_chroot, dir, sizeof(ci.ci_chroot));
	ci.ci_uid = 0;
	refuse_expect(&ci, "uid 0", "must not run as root");
	ci.ci_uid = pw->pw_uid;
	ci.ci_gid = 0;
	refuse_expect(&ci, "gid 0", "must not run as root");
	T_ASSERT(rmdir(dir) == 0);
}

/* ---- the tables themselves (no root needed) ---------------------- */

static void
check_table(const char *name, const struct sandbox_rule *rules, size_t n)
{
	/* None of these may ever be allowed, whatever the arguments. */
	const int	 never[] = { SCMP_SYS(execve), SCMP_SYS(execveat),
	    SCMP_SYS(fork), SCMP_SYS(vfork), SCMP_SYS(clone),
	    SCMP_SYS(clone3), SCMP_SYS(socket), SCMP_SYS(socketpair),
	    SCMP_SYS(connect), SCMP_SYS(bind), SCMP_SYS(listen),
	    SCMP_SYS(accept), SCMP_SYS(accept4), SCMP_SYS(setsockopt),
	    SCMP_SYS(ptrace), SCMP_SYS(kill), SCMP_SYS(tkill),
	    SCMP_SYS(tgkill), SCMP_SYS(mount), SCMP_SYS(umount2),
	    SCMP_SYS(chroot), SCMP_SYS(setuid), SCMP_SYS(setresuid),
	    SCMP_SYS(capset), SCMP_SYS(prctl), SCMP_SYS(seccomp),
	    SCMP_SYS(bpf), SCMP_SYS(open), SCMP_SYS(openat),
	    SCMP_SYS(openat2), SCMP_SYS(setrlimit), SCMP_SYS(prlimit64),
	    SCMP_SYS(unshare), SCMP_SYS(setns), SCMP_SYS(memfd_create),
	    SCMP_SYS(process_vm_writev), SCMP_SYS(init_module),
	    SCMP_SYS(finit_module), SCMP_SYS(ioperm), SCMP_SYS(iopl) };
	size_t		 i, j;

	for (i = 0; i < n; i++) {
		if (rules[i].sr_why == NULL || rules[i].sr_why[0] == '\0') {
			printf("# %s: rule %zu has no reason\n", name, i);
			T_ASSERT(0);
		}
		if (rules[i].sr_errno != 0)
			continue;
		for (j = 0; j < sizeof(never) / sizeof(never[0]); j++) {
			if (rules[i].sr_nr != never[j])
				continue;
			printf("# %s: rule %zu allows system call %d (%s)\n",
			    name, i, never[j], rules[i].sr_why);
			T_ASSERT(0);
		}
	}
}

static void
test_sandbox_tables(void)
{
	const struct sandbox_policy	*sp;
	int				 role;

	T_ASSERT(sandbox_policy(PROC_PARENT) == NULL);
	T_ASSERT(sandbox_policy(PROC_MAX) == NULL);
	T_ASSERT(sandbox_policy(-1) == NULL);
	T_ASSERT(sandbox_policy(PROC_IKE) == &ike_sandbox_policy);
	T_ASSERT(sandbox_policy(PROC_L2TP) == &l2tp_sandbox_policy);
	T_ASSERT(sandbox_policy(PROC_PPP) == &ppp_sandbox_policy);
	T_ASSERT(sandbox_policy(PROC_DATAPATH) == &datapath_sandbox_policy);
	check_table("common", sandbox_common_rules, sandbox_common_nrules);
	for (role = PROC_IKE; role < PROC_MAX; role++) {
		T_ASSERT_RET((sp = sandbox_policy(role)) != NULL);
		T_ASSERT(sp->sp_role == role);
		T_ASSERT(strcmp(sp->sp_name, proc_role_name(role)) == 0);
		T_ASSERT(sp->sp_nrules > 0 && sp->sp_fds_base >= 16);
		check_table(sp->sp_name, sp->sp_rules, sp->sp_nrules);
	}
}

int
main(int argc, char **argv)
{
	char	 dir[] = "/tmp/l2tpsec-sandbox.XXXXXX";

	if (argc > 1 && strcmp(argv[1], CHILD_FLAG) == 0)
		return (child_mode(argc, argv));

	/* An empty directory as the daemon's: root's, mode 0755. */
	if (geteuid() == 0 && mkdtemp(dir) != NULL) {
		if (chown(dir, 0, 0) == 0 && chmod(dir, 0755) == 0)
			strlcpy(t_chroot, dir, sizeof(t_chroot));
		else
			rmdir(dir);
	}

	T_RUN(test_sandbox_tables);
	T_RUN(test_sandbox_refusals);
	T_RUN(test_sandbox_ike);
	T_RUN(test_sandbox_l2tp);
	T_RUN(test_sandbox_ppp);
	T_RUN(test_sandbox_datapath);

	if (t_chroot[0] != '\0' && rmdir(t_chroot) == -1) {
		printf("FAIL cleanup: rmdir %s: %s\n", t_chroot,
		    strerror(errno));
		t_any_failed = 1;
	}
	return (T_DONE());
}
