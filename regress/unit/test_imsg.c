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


#include <sys/socket.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "imsg/imsg.h"
#include "test.h"

T_DEFINE_GLOBALS;

struct payload {
	uint32_t	a;
	char		s[12];
};

static void
pair(int sp[2])
{
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sp) == -1)
		abort();
}

/* Reads until one message is complete; 1 got, 0 EOF, -1 error. */
static int
get_one(struct imsgbuf *ib, struct imsg *im)
{
	int	 r;

	for (;;) {
		if ((r = imsg_get(ib, im)) != 0)
			return (r);
		switch (imsgbuf_read(ib)) {
		case -1:
			return (-1);
		case 0:
			return (0);
		}
	}
}

static void
test_roundtrip(void)
{
	struct imsgbuf	 a, b;
	struct imsg	 im;
	struct payload	 p = { 7, "hello" }, q;
	int		 sp[2];

	pair(sp);
	T_ASSERT_RET(imsgbuf_init(&a, sp[0], 1024, 0) == 0);
	T_ASSERT_RET(imsgbuf_init(&b, sp[1], 1024, 0) == 0);
	T_ASSERT(imsg_compose(&a, 42, 5, 99, -1, &p, sizeof(p)) == 0);
	T_ASSERT(imsg_compose(&a, 43, 0, 0, -1, NULL, 0) == 0);
	T_ASSERT(imsgbuf_queued(&a) == 2 * IMSG_HDR_SIZE + sizeof(p));
	T_ASSERT(imsgbuf_flush(&a) == 0);
	T_ASSERT(imsgbuf_queued(&a) == 0);

	T_ASSERT_RET(get_one(&b, &im) == 1);
	T_ASSERT(im.hdr.type == 42 && im.hdr.peerid == 5 && im.hdr.pid == 99);
	T_ASSERT(im.fd == -1);
	T_ASSERT(imsg_get_exact(&im, &q, sizeof(q)) == 0);
	T_ASSERT(q.a == 7 && strcmp(q.s, "hello") == 0);
	/* Exact means exact: one byte more or less is refused. */
	T_ASSERT(imsg_get_exact(&im, &q, sizeof(q) - 1) == -1);
	T_ASSERT(imsg_get_exact(&im, &q, sizeof(q) + 1) == -1);
	imsg_free(&im);
	T_ASSERT_RET(get_one(&b, &im) == 1);
	T_ASSERT(im.hdr.type == 43 && im.datalen == 0 && im.data == NULL);
	imsg_free(&im);

	close(sp[0]);
	T_ASSERT(get_one(&b, &im) == 0);	/* EOF */
	imsgbuf_clear(&a);
	imsgbuf_clear(&b);
	close(sp[1]);
}

static void
test_fd_passing(void)
{
	struct imsgbuf	 a, b;
	struct imsg	 im;
	struct stat	 st1, st2;
	char		 c;
	int		 sp[2], pfd[2], fd, i;

	pair(sp);
	T_ASSERT_RET(pipe(pfd) == 0);
	T_ASSERT_RET(imsgbuf_init(&a, sp[0], 1024, 1) == 0);
	T_ASSERT_RET(imsgbuf_init(&b, sp[1], 1024, 1) == 0);
	/* Interleave messages with and without descriptors. */
	T_ASSERT(imsg_compose(&a, 1, 0, 0, dup(pfd[1]), "x", 1) == 0);
	T_ASSERT(imsg_compose(&a, 2, 0, 0, -1, "y", 1) == 0);
	T_ASSERT(imsg_compose(&a, 3, 0, 0, dup(pfd[0]), NULL, 0) == 0);
	T_ASSERT(imsgbuf_flush(&a) == 0);

	T_ASSERT_RET(get_one(&b, &im) == 1);
	T_ASSERT(im.hdr.type == 1 && im.fd != -1);
	fd = imsg_take_fd(&im);
	T_ASSERT(fstat(fd, &st1) == 0 && fstat(pfd[1], &st2) == 0);
	T_ASSERT(st1.st_ino == st2.st_ino);
	T_ASSERT(write(fd, "z", 1) == 1);
	T_ASSERT(read(pfd[0], &c, 1) == 1 && c == 'z');
	close(fd);
	imsg_free(&im);
	T_ASSERT_RET(get_one(&b, &im) == 1);
	T_ASSERT(im.hdr.type == 2 && im.fd == -1);
	imsg_free(&im);
	T_ASSERT_RET(get_one(&b, &im) == 1);
	T_ASSERT(im.hdr.type == 3 && im.fd != -1);
	imsg_free(&im);		/* closes the untaken descriptor */

	/* Many descriptors in a row, more than the queue holds at once. */
	for (i = 0; i < 40; i++) {
		T_ASSERT(imsg_compose(&a, 10 + i, 0, 0, dup(pfd[0]), NULL,
		    0) == 0);
		T_ASSERT(imsgbuf_flush(&a) == 0);
		T_ASSERT_RET(get_one(&b, &im) == 1);
		T_ASSERT(im.hdr.type == (uint32_t)(10 + i) && im.fd != -1);
		imsg_free(&im);
	}
	imsgbuf_clear(&a);
	imsgbuf_clear(&b);
	close(sp[0]);
	close(sp[1]);
	close(pfd[0]);
	close(pfd[1]);
}

static void
test_fd_refused(void)
{
	struct imsgbuf	 a, b;
	struct imsg	 im;
	int		 sp[2], pfd[2];

	pair(sp);
	T_ASSERT_RET(pipe(pfd) == 0);
	/* A channel without descriptors refuses to send one ... */
	T_ASSERT_RET(imsgbuf_init(&a, sp[0], 1024, 0) == 0);
	T_ASSERT(imsg_compose(&a, 1, 0, 0, dup(pfd[0]), NULL, 0) == -1);
	imsgbuf_clear(&a);
	/* ... and refuses one that arrives anyway. */
	T_ASSERT_RET(imsgbuf_init(&a, sp[0], 1024, 1) == 0);
	T_ASSERT_RET(imsgbuf_init(&b, sp[1], 1024, 0) == 0);
	T_ASSERT(imsg_compose(&a, 1, 0, 0, dup(pfd[0]), NULL, 0) == 0);
	T_ASSERT(imsgbuf_flush(&a) == 0);
	T_ASSERT(get_one(&b, &im) == -1 && errno == EBADMSG);
	imsgbuf_clear(&a);
	imsgbuf_clear(&b);
	close(sp[0]);
	close(sp[1]);
	close(pfd[0]);
	close(pfd[1]);
}

static void
test_partial_read(void)
{
	struct imsgbuf	 b;
	struct imsg	 im;
	struct imsg_hdr	 h;
	uint8_t		 raw[IMSG_HDR_SIZE + 5];
	size_t		 i;
	int		 sp[2], r;

	pair(sp);
	T_ASSERT_RET(imsgbuf_init(&b, sp[1], 1024, 0) == 0);
	memset(&h, 0, sizeof(h));
	h.type = 9;
	h.len = sizeof(raw);
	memcpy(raw, &h, sizeof(h));
	memcpy(raw + sizeof(h), "abcde", 5);
	/* One byte at a time: nothing until the last byte is in. */
	for (i = 0; i < sizeof(raw); i++) {
		T_ASSERT(imsg_get(&b, &im) == 0);
		T_ASSERT_RET(write(sp[0], raw + i, 1) == 1);
		T_ASSERT_RET(imsgbuf_read(&b) == 1);
	}
	r = imsg_get(&b, &im);
	T_ASSERT_RET(r == 1);
	T_ASSERT(im.hdr.type == 9 && im.datalen == 5 &&
	    memcmp(im.data, "abcde", 5) == 0);
	imsg_free(&im);
	imsgbuf_clear(&b);
	close(sp[0]);
	close(sp[1]);
}

static void
test_partial_write(void)
{
	struct imsgbuf	 a, b;
	struct imsg	 im;
	static uint8_t	 big[60000];
	int		 sp[2], sz = 4096, got = 0, i, r;

	pair(sp);
	/* A tiny send buffer forces the writer to stop mid-message. */
	setsockopt(sp[0], SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz));
	fcntl(sp[0], F_SETFL, O_NONBLOCK);
	T_ASSERT_RET(imsgbuf_init(&a, sp[0], IMSG_MAXMSG, 0) == 0);
	T_ASSERT_RET(imsgbuf_init(&b, sp[1], IMSG_MAXMSG, 0) == 0);
	for (i = 0; i < (int)sizeof(big); i++)
		big[i] = (uint8_t)i;
	for (i = 0; i < 4; i++)
		T_ASSERT(imsg_compose(&a, 100 + i, 0, 0, -1, big,
		    sizeof(big)) == 0);
	T_ASSERT(imsgbuf_write(&a) == 0);
	T_ASSERT(imsgbuf_queued(&a) > 0);	/* it did stop early */
	while (got < 4) {
		if (imsgbuf_queued(&a) > 0)
			T_ASSERT_RET(imsgbuf_write(&a) == 0);
		T_ASSERT_RET(imsgbuf_read(&b) > 0);
		while ((r = imsg_get(&b, &im)) == 1) {
			T_ASSERT(im.hdr.type == (uint32_t)(100 + got));
			T_ASSERT(im.datalen == sizeof(big) &&
			    memcmp(im.data, big, sizeof(big)) == 0);
			imsg_free(&im);
			got++;
		}
		T_ASSERT_RET(r == 0);
	}
	T_ASSERT(imsgbuf_queued(&a) == 0);
	imsgbuf_clear(&a);
	imsgbuf_clear(&b);
	close(sp[0]);
	close(sp[1]);
}

static void
test_oversize_and_bad(void)
{
	struct imsgbuf	 a, b;
	struct imsg	 im;
	struct imsg_hdr	 h;
	uint8_t		 buf[200];
	int		 sp[2];

	pair(sp);
	T_ASSERT_RET(imsgbuf_init(&a, sp[0], 64, 0) == 0);
	T_ASSERT_RET(imsgbuf_init(&b, sp[1], 64, 0) == 0);
	/* The sender refuses what the channel cannot carry. */
	memset(buf, 0, sizeof(buf));
	T_ASSERT(imsg_compose(&a, 1, 0, 0, -1, buf, 64 - IMSG_HDR_SIZE) == 0);
	T_ASSERT(imsg_compose(&a, 1, 0, 0, -1, buf, 65 - IMSG_HDR_SIZE) == -1);
	T_ASSERT(imsgbuf_flush(&a) == 0);
	T_ASSERT(get_one(&b, &im) == 1 && im.datalen == 64 - IMSG_HDR_SIZE);
	imsg_free(&im);

	/* The receiver refuses a header announcing more than the maximum. */
	memset(&h, 0, sizeof(h));
	h.type = 1;
	h.len = 65;
	T_ASSERT(write(sp[0], &h, sizeof(h)) == sizeof(h));
	T_ASSERT(get_one(&b, &im) == -1 && errno == EBADMSG);
	imsgbuf_clear(&b);

	/* ... a length shorter than the header itself ... */
	T_ASSERT_RET(imsgbuf_init(&b, sp[1], 64, 0) == 0);
	h.len = IMSG_HDR_SIZE - 1;
	T_ASSERT(write(sp[0], &h, sizeof(h)) == sizeof(h));
	T_ASSERT(get_one(&b, &im) == -1);
	imsgbuf_clear(&b);

	/* ... unknown flags, and a descriptor flag with no descriptor. */
	T_ASSERT_RET(imsgbuf_init(&b, sp[1], 64, 1) == 0);
	h.len = IMSG_HDR_SIZE;
	h.flags = 0x8000;
	T_ASSERT(write(sp[0], &h, sizeof(h)) == sizeof(h));
	T_ASSERT(get_one(&b, &im) == -1);
	imsgbuf_clear(&b);
	T_ASSERT_RET(imsgbuf_init(&b, sp[1], 64, 1) == 0);
	h.flags = IMSGF_HASFD;
	T_ASSERT(write(sp[0], &h, sizeof(h)) == sizeof(h));
	T_ASSERT(get_one(&b, &im) == -1);
	imsgbuf_clear(&b);

	/* A truncated message followed by EOF never comes out whole. */
	T_ASSERT_RET(imsgbuf_init(&b, sp[1], 64, 0) == 0);
	h.flags = 0;
	h.len = 40;
	T_ASSERT(write(sp[0], &h, sizeof(h)) == sizeof(h));
	T_ASSERT(write(sp[0], buf, 10) == 10);
	close(sp[0]);
	T_ASSERT(get_one(&b, &im) == 0);
	imsgbuf_clear(&b);
	imsgbuf_clear(&a);
	close(sp[1]);
}

int
main(void)
{
	T_RUN(test_roundtrip);
	T_RUN(test_fd_passing);
	T_RUN(test_fd_refused);
	T_RUN(test_partial_read);
	T_RUN(test_partial_write);
	T_RUN(test_oversize_and_bad);
	return (T_DONE());
}
