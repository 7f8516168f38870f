# l2tpsecd -- plain GNU make + pkg-config.
#
#   make            build into build/
#   make check      install missing Debian packages, build (plain and
#                   ASan+UBSan), build the fuzzers, run every test
#   make demo       a real server and client in two namespaces: connect,
#                   ping through the tunnel, show the session, tear down
#   make install    PREFIX=/usr/local DESTDIR=
#   make clean

PREFIX	?= /usr/local
SBINDIR	?= $(PREFIX)/sbin
MANDIR	?= $(PREFIX)/share/man
SYSCONFDIR ?= /etc
CHROOTDIR ?= /var/lib/l2tpsecd/empty
DESTDIR	?=

SAN	?= 0
ifeq ($(SAN),1)
CC	:= clang
BUILD	?= build-san
SANFLAGS := -fsanitize=address,undefined -fno-sanitize-recover=undefined \
	    -fno-omit-frame-pointer
else
BUILD	?= build
SANFLAGS :=
endif

PKGS	:= libevent openssl libseccomp libcap-ng libnl-3.0 libnl-route-3.0 \
	   libnl-xfrm-3.0 libbsd-overlay libnftnl libmnl
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)

WARN	:= -Wall -Wextra -Werror -Wmissing-prototypes -Wstrict-prototypes \
	   -Wpointer-arith -Wshadow
CFLAGS	?= -O2 -g
ALL_CFLAGS := -std=gnu11 -D_GNU_SOURCE $(WARN) $(CFLAGS) $(SANFLAGS) \
	   -I. $(PKG_CFLAGS) -MMD -MP
LDLIBS	:= $(PKG_LIBS)

# Everything but the two programs' main files goes into one archive, so
# a unit test or fuzzer links only the objects it uses.
DAEMON_DIRS := common imsg parent ike l2tp ppp netcfg datapath
LIB_SRCS := $(filter-out parent/l2tpsecd.c, \
	    $(foreach d,$(DAEMON_DIRS),$(wildcard $(d)/*.c)))
CTL_SRCS := $(wildcard ctl/*.c)
UNIT_SRCS := $(wildcard regress/unit/test_*.c)
UNIT_AUX  := $(filter-out $(UNIT_SRCS),$(wildcard regress/unit/*.c))

LIB	:= $(BUILD)/libl2tpsec.a
LIB_OBJS := $(LIB_SRCS:%.c=$(BUILD)/%.o)
DAEMON	:= $(BUILD)/l2tpsecd
CTL	:= $(BUILD)/l2tpsecctl
UNIT_BINS := $(UNIT_SRCS:regress/unit/%.c=$(BUILD)/regress/unit/%)
# Test tools (load generators, fake peers): regress/tools/NAME.c, one file
# each, linked with the archive so they run our real protocol code.
TOOL_SRCS := $(wildcard regress/tools/*.c)
TOOL_BINS := $(TOOL_SRCS:regress/tools/%.c=$(BUILD)/regress/tools/%)
# Benchmarks: built with the tests so they keep compiling, run by hand
# (they print ratios against a reference measured in the same run).
BENCH_SRCS := $(wildcard regress/bench/*.c)
BENCH_BINS := $(BENCH_SRCS:regress/bench/%.c=$(BUILD)/regress/bench/%)
UNIT_AUX_OBJS := $(UNIT_AUX:%.c=$(BUILD)/%.o)

# libFuzzer harnesses: regress/fuzz/fuzz_NAME.c, seeds in corpus/NAME/.
FUZZ_BUILD := build-fuzz
FUZZ_SRCS := $(wildcard regress/fuzz/fuzz_*.c)
FUZZ_BINS := $(FUZZ_SRCS:regress/fuzz/%.c=$(FUZZ_BUILD)/%)
FUZZ_FLAGS := -fsanitize=fuzzer-no-link,address,undefined \
	      -fno-sanitize-recover=undefined -fno-omit-frame-pointer

.PHONY: all check check-deps demo install clean san fuzz user

all: $(DAEMON) $(CTL)

$(BUILD)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(LIB): $(LIB_OBJS)
	@rm -f $@
	ar rcs $@ $^

$(DAEMON): $(BUILD)/parent/l2tpsecd.o $(LIB)
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(LDLIBS)

$(CTL): $(CTL_SRCS:%.c=$(BUILD)/%.o) $(LIB)
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/regress/unit/%: $(BUILD)/regress/unit/%.o $(UNIT_AUX_OBJS) $(LIB)
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/regress/tools/%: $(BUILD)/regress/tools/%.o $(LIB)
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/regress/bench/%: $(BUILD)/regress/bench/%.o $(LIB)
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(LDLIBS)

units: $(UNIT_BINS) $(TOOL_BINS) $(BENCH_BINS)

san:
	$(MAKE) SAN=1 all units

fuzz:
	$(MAKE) BUILD=$(FUZZ_BUILD) CC=clang SANFLAGS="$(FUZZ_FLAGS)" \
	    $(FUZZ_BUILD)/libl2tpsec.a
	$(MAKE) BUILD=$(FUZZ_BUILD) CC=clang SANFLAGS="$(FUZZ_FLAGS)" fuzzbins

fuzzbins: $(FUZZ_BINS)

$(FUZZ_BUILD)/fuzz_%: regress/fuzz/fuzz_%.c $(FUZZ_BUILD)/libl2tpsec.a
	clang $(ALL_CFLAGS) -fsanitize=fuzzer -o $@ $(filter %.c %.a,$^) \
	    $(LDLIBS)

check-deps:
	@sh regress/install-deps.sh

user:
	@sh etc/mkuser.sh

NPROC	:= $(shell nproc 2>/dev/null || echo 2)

check: check-deps user
	$(MAKE) -j$(NPROC) all units
	$(MAKE) -j$(NPROC) san
	$(MAKE) -j$(NPROC) fuzz
	@bash regress/run.sh

demo: check-deps user
	$(MAKE) all
	@bash regress/demo.sh

install: all
	install -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(MANDIR)/man5 \
	    $(DESTDIR)$(MANDIR)/man8 $(DESTDIR)$(SYSCONFDIR)/l2tpsecd
	install -m 0755 $(DAEMON) $(CTL) $(DESTDIR)$(SBINDIR)/
	install -m 0644 man/l2tpsecd.conf.5 $(DESTDIR)$(MANDIR)/man5/
	install -m 0644 man/l2tpsecd.8 man/l2tpsecctl.8 $(DESTDIR)$(MANDIR)/man8/
	test -e $(DESTDIR)$(SYSCONFDIR)/l2tpsecd/l2tpsecd.conf || \
	    install -m 0600 etc/l2tpsecd.conf $(DESTDIR)$(SYSCONFDIR)/l2tpsecd/
	install -d -m 0755 $(DESTDIR)$(CHROOTDIR)
	install -d -m 0700 $(DESTDIR)/var/log/l2tpsecd
	@if [ -z "$(DESTDIR)" ]; then sh etc/mkuser.sh; \
	else echo "DESTDIR set: create the _l2tpsecd user on the target" \
	    "(etc/mkuser.sh)"; fi

clean:
	rm -rf build build-san build-fuzz

-include $(shell find build build-san build-fuzz -name '*.d' 2>/dev/null)
