# SPDX-License-Identifier: BSD-2-Clause
# openpptp — GNU make build.
#
# Why plain GNU make: the tree is small, every source file is found by
# wildcard (adding a file never means editing this Makefile), and the build
# variants we need (normal, ASan+UBSan, libFuzzer) are just different
# BUILDDIR/CC/CFLAGS over the same rules.
#
#   make            build/openpptp
#   make check      install missing packages, build, run every test (also under ASan+UBSan, and interop)
#   make test       run the tests of one variant (BUILDDIR, SAN=1 for sanitizers)
#   make fuzz       libFuzzer harnesses with clang, each run FUZZ_SECONDS (default 60)
#   make sim        deterministic simulation, SIM_SEEDS seeds (SEED=N replays one)
#   make bench      benchmarks: bench-engines, then bench-e2e (see README)
#   make bench-engines  the engines in memory (no root, ~15 s)
#   make bench-e2e  iperf3 through openpptp, OpenVPN, wireguard-go in namespaces (root; ROUNDS, SECONDS)
#   make bench-scale  5,000 sessions against a real server in namespaces (root)
#   make install    PREFIX=/usr/local DESTDIR= (binary, man pages, completion, units, example)
#   make lint       format-check (clang-format on changed lines), cppcheck, clang-tidy
#   make docs       regenerate the committed generated files (example config, completion)
#   make deb        a Debian package in build/deb/ (dpkg-buildpackage, debian/)

PREFIX    ?= /usr/local
DESTDIR   ?=
SBINDIR   ?= $(PREFIX)/sbin
MANDIR    ?= $(PREFIX)/share/man
DOCDIR    ?= $(PREFIX)/share/doc/openpptp
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
# Debian 12 keeps units in /lib/systemd/system; under /usr/local systemd
# reads /etc/systemd/system (the default below for a PREFIX install).
SYSTEMDUNITDIR ?= $(if $(filter /usr,$(PREFIX)),/lib/systemd/system,/etc/systemd/system)
BUILDDIR  ?= build
SAN       ?= 0
WERROR    ?= 1
FUZZ_SECONDS ?= 60
VERSION   := $(shell cat VERSION 2>/dev/null || echo 0.0.0)
GIT_REV   := $(shell git rev-parse --short HEAD 2>/dev/null || cat .git-rev 2>/dev/null || echo unknown)

CC        ?= cc
PKG_CONFIG ?= pkg-config
PKGS      := nettle libseccomp gnutls
PKG_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null || echo -lnettle -lseccomp -lgnutls)

WARN      := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
             -Wformat=2 -Wvla -Wpointer-arith -Wundef
ifeq ($(WERROR),1)
WARN      += -Werror
endif
ifeq ($(SAN),1)
OPT       := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined
SANLD     := -fsanitize=address,undefined
HARDEN    :=
else
OPT       := -O2 -g
SANLD     :=
HARDEN    := -D_FORTIFY_SOURCE=2 -fstack-protector-strong -fPIE
endif
CPPFLAGS  += -Isrc -DOPENPPTP_VERSION='"$(VERSION)"' -DOPENPPTP_GIT_REV='"$(GIT_REV)"' -D_GNU_SOURCE
CFLAGS    ?=
ALL_CFLAGS := -std=gnu11 $(OPT) $(WARN) $(HARDEN) $(PKG_CFLAGS) $(CFLAGS)
LDFLAGS   ?=
ifeq ($(SAN),1)
ALL_LDFLAGS := $(SANLD) $(LDFLAGS)
else
ALL_LDFLAGS := -pie -Wl,-z,relro,-z,now $(LDFLAGS)
endif
LIBS      := $(PKG_LIBS)

# Sources: everything under src/ except the CLI goes into one static library.
LIB_SRCS  := $(shell find src -name '*.c' -not -path 'src/cli/*' | sort)
CLI_SRCS  := $(sort $(wildcard src/cli/*.c))
LIB_OBJS  := $(LIB_SRCS:%.c=$(BUILDDIR)/obj/%.o)
CLI_OBJS  := $(CLI_SRCS:%.c=$(BUILDDIR)/obj/%.o)
LIB       := $(BUILDDIR)/libopenpptp.a
BIN       := $(BUILDDIR)/openpptp

# Unit tests: tests/unit/test_*.c, each its own cmocka binary, all linked
# with tests/unit/support/*.c.
UNIT_SRCS    := $(sort $(wildcard tests/unit/test_*.c))
SUPPORT_SRCS := $(sort $(wildcard tests/unit/support/*.c))
SUPPORT_OBJS := $(SUPPORT_SRCS:%.c=$(BUILDDIR)/obj/%.o)
UNIT_BINS    := $(UNIT_SRCS:tests/unit/%.c=$(BUILDDIR)/tests/%)

# Fuzz harnesses: tests/fuzz/fuzz_*.c. In `make test` each is linked with a
# replay main and run over its committed corpus (tests/fuzz/corpus/NAME/);
# `make fuzz` builds them with clang's libFuzzer.
FUZZ_SRCS    := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_NAMES   := $(FUZZ_SRCS:tests/fuzz/%.c=%)
REPLAY_BINS  := $(FUZZ_NAMES:%=$(BUILDDIR)/replay/%)

# The simulation library (tests/sim, sim_main.c aside): a socket-free server
# and clients in virtual time, used by the structured fuzz harness, the
# seed test in `make test` and `make sim`. An archive, so a binary pulls
# in only what it uses.
SIM_SRCS     := $(filter-out tests/sim/sim_main.c tests/sim/sim_alloc_count.c,$(sort $(wildcard tests/sim/*.c)))
SIM_LIB      := $(BUILDDIR)/libsim.a
SIM_BIN      := $(BUILDDIR)/sim
SIM_SEEDS    ?= 100000
SIM_FIRST    ?= 1
SIM_JOBS     ?= 1

# Helper programs of the namespace tests: tests/net/*.c, each linked with
# the library (radius_probe drives a real FreeRADIUS through our codec).
NET_TOOL_SRCS := $(sort $(wildcard tests/net/*.c))
NET_TOOLS     := $(NET_TOOL_SRCS:tests/net/%.c=$(BUILDDIR)/net-tools/%)

# Man pages: hand-written prose in docs/man/*.in, the option lists pasted
# in from the binary's own tables (scripts/gen-docs.sh), so they cannot drift.
MAN_SRCS     := $(sort $(wildcard docs/man/*.in))
MAN_PAGES    := $(MAN_SRCS:docs/man/%.in=$(BUILDDIR)/man/%)
UNITS        := $(sort $(wildcard contrib/systemd/*.service))

# bench-e2e's reference forwarder (bench/naive_gre_fwd.c).
NAIVE_FWD    := $(BUILDDIR)/bench-e2e/naive_gre_fwd

DEPFLAGS   = -MMD -MP

.PHONY: all check test unit deps fuzz fuzz-build bench bench-engines bench-e2e bench-scale install uninstall clean lint demo interop man docs deb format-check
.DEFAULT_GOAL := all

all: $(BIN) $(MAN_PAGES)

$(BUILDDIR)/obj/%.o: %.c
	@mkdir -p $(@D)
	@echo '  CC      $<'
	@$(CC) $(CPPFLAGS) $(ALL_CFLAGS) $(DEPFLAGS) -c $< -o $@

$(LIB): $(LIB_OBJS)
	@mkdir -p $(@D)
	@rm -f $@
	@$(AR) rcs $@ $^

$(BIN): $(CLI_OBJS) $(LIB)
	@echo '  LINK    $@'
	@$(CC) $(ALL_LDFLAGS) -o $@ $(CLI_OBJS) $(LIB) $(LIBS)

$(BUILDDIR)/tests/%: $(BUILDDIR)/obj/tests/unit/%.o $(SUPPORT_OBJS) $(SIM_LIB) $(LIB)
	@mkdir -p $(@D)
	@$(CC) $(ALL_LDFLAGS) -o $@ $< $(SUPPORT_OBJS) $(SIM_LIB) $(LIB) $(LIBS) -lcmocka

$(BUILDDIR)/replay/%: $(BUILDDIR)/obj/tests/fuzz/%.o $(BUILDDIR)/obj/tests/fuzz/replay_main.o $(SIM_LIB) $(LIB)
	@mkdir -p $(@D)
	@$(CC) $(ALL_LDFLAGS) -o $@ $< $(BUILDDIR)/obj/tests/fuzz/replay_main.o $(SIM_LIB) $(LIB) $(LIBS)

$(SIM_LIB): $(SIM_SRCS:%.c=$(BUILDDIR)/obj/%.o)
	@mkdir -p $(@D)
	@rm -f $@
	@$(AR) rcs $@ $^

$(SIM_BIN): $(BUILDDIR)/obj/tests/sim/sim_main.o $(BUILDDIR)/obj/tests/sim/sim_alloc_count.o $(SIM_LIB) $(LIB)
	@echo '  LINK    $@'
	@$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

# `make sim`: SIM_SEEDS seeds from SIM_FIRST over SIM_JOBS processes;
# `make sim SEED=N` replays one seed with the engines' log.
.PHONY: sim
sim: $(SIM_BIN)
	@scripts/sim.sh $(SIM_BIN) "$(SEED)" $(SIM_FIRST) $(SIM_SEEDS) $(SIM_JOBS)

$(BUILDDIR)/net-tools/%: $(BUILDDIR)/obj/tests/net/%.o $(LIB)
	@mkdir -p $(@D)
	@$(CC) $(ALL_LDFLAGS) -o $@ $< $(LIB) $(LIBS)

$(BUILDDIR)/man/%: docs/man/%.in $(BIN) scripts/gen-docs.sh
	@mkdir -p $(@D)
	@echo '  MAN     $@'
	@scripts/gen-docs.sh expand $(BIN) $< >$@.tmp && mv $@.tmp $@

man: $(MAN_PAGES)

# The generated files that are committed (so they can be read and installed
# without a build): tests/pkg checks that they equal what the binary writes.
docs: $(BIN)
	@scripts/gen-docs.sh contrib $(BIN)

deb:
	@scripts/build-deb.sh

# Keep intermediate objects (pattern rules would otherwise delete them).
.SECONDARY:

deps:
	@scripts/deps.sh

# `make test`: build and run one variant. `make check`: packages, then the
# normal build with every test, then the same tests under ASan+UBSan, then
# the interop matrix against pppd/pptpd/pptp-linux in QEMU (INTEROP=0 skips it).
# Every suite runs even when one failed; the closing line counts them all
# ("N passed, N failed, N skipped"; scripts/summary.sh). Old summaries go
# first: a suite that does not finish leaves none, which counts as a failure.
test: $(BIN) $(UNIT_BINS) $(REPLAY_BINS) $(NET_TOOLS) $(MAN_PAGES)
	@rm -f $(BUILDDIR)/*-summary $(BUILDDIR)/skips-*
	@rc=0; \
	scripts/run-tests.sh $(BUILDDIR) || rc=1; \
	tests/net/run.sh $(BUILDDIR) || rc=1; \
	tests/pkg/run.sh $(BUILDDIR) $(SAN) || rc=1; \
	scripts/summary.sh $(BUILDDIR) || rc=1; \
	exit $$rc

# Every stage runs even when an earlier one failed, so the closing
# "N passed, N failed" line always counts everything. Old summaries go
# first, before anything builds: a variant that fails to build leaves
# none, and counts as failed rather than as its last run.
check: deps
	@rm -f build/*-summary build/skips-* build/asan/*-summary build/asan/skips-*
	@rc=0; \
	$(MAKE) --no-print-directory test BUILDDIR=build || rc=1; \
	$(MAKE) --no-print-directory test BUILDDIR=build/asan SAN=1 || rc=1; \
	scripts/check-interop.sh build || rc=1; \
	scripts/summary.sh build build/asan || rc=1; \
	exit $$rc

# libFuzzer: clang, sanitizers, one binary per harness, run from a scratch
# corpus seeded by the committed one (the committed corpus is never written).
FUZZ_CC     ?= clang
FUZZ_DIR    := build/fuzz
FUZZ_CFLAGS := -std=gnu11 -g -O1 -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined $(PKG_CFLAGS)
FUZZ_LIB_OBJS := $(LIB_SRCS:%.c=$(FUZZ_DIR)/obj/%.o)
FUZZ_BINS   := $(FUZZ_NAMES:%=$(FUZZ_DIR)/%)

$(FUZZ_DIR)/obj/%.o: %.c
	@mkdir -p $(@D)
	@$(FUZZ_CC) $(CPPFLAGS) $(FUZZ_CFLAGS) -MMD -MP -c $< -o $@

$(FUZZ_DIR)/libopenpptp.a: $(FUZZ_LIB_OBJS)
	@rm -f $@
	@$(AR) rcs $@ $^

$(FUZZ_DIR)/libsim.a: $(SIM_SRCS:%.c=$(FUZZ_DIR)/obj/%.o)
	@rm -f $@
	@$(AR) rcs $@ $^

$(FUZZ_DIR)/%: $(FUZZ_DIR)/obj/tests/fuzz/%.o $(FUZZ_DIR)/libsim.a $(FUZZ_DIR)/libopenpptp.a
	@echo '  FUZZ    $@'
	@$(FUZZ_CC) -fsanitize=fuzzer,address,undefined -o $@ $^ $(LIBS)

fuzz-build: deps $(FUZZ_BINS)

fuzz: fuzz-build
	@scripts/fuzz.sh $(FUZZ_SECONDS) $(FUZZ_NAMES)

bench: bench-engines bench-e2e

bench-engines: $(BIN)
	@DEPS_EXTRA=bench scripts/deps.sh
	@bench/run.sh

# iperf3 through real tunnels in two namespaces (root): ROUNDS (3) x
# SECONDS (10) per load, LINKS to pick some (bench/e2e.sh).
bench-e2e: $(BIN) $(NAIVE_FWD)
	@SECONDS_PER_LOAD=$(or $(SECONDS),10) bench/e2e.sh

# The "naive" link's forwarder (issue 12 §4's reference): one standalone
# file, not linked with the library, not in `all`, not installed. Not under
# $(BUILDDIR)/bench, which bench/run.sh empties.
$(NAIVE_FWD): bench/naive_gre_fwd.c
	@mkdir -p $(@D)
	@echo '  CC      $@'
	@$(CC) $(CPPFLAGS) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $<

# A real server under `openpptp load` in two namespaces (root): 5,000
# sessions for 60 s, the report, the server's RSS and CPU (bench/scale.sh).
bench-scale: $(BIN)
	@bench/scale.sh

demo: deps $(BIN)
	@if [ -x scripts/demo.sh ]; then scripts/demo.sh; else echo "demo not available yet"; exit 1; fi

interop: deps $(BIN)
	@if [ -x tests/interop/run.sh ]; then tests/interop/run.sh; else echo "interop harness not available yet"; exit 1; fi

lint: format-check
	@scripts/lint.sh

# clang-format on the lines changed since the branch left main (FORMAT_BASE),
# so the tree as it is passes and new code follows .clang-format.
format-check:
	@scripts/format-check.sh

install: $(BIN) $(MAN_PAGES)
	install -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(MANDIR)/man8 \
		$(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(SYSTEMDUNITDIR) $(DESTDIR)$(DOCDIR)/examples
	install -m 0755 $(BIN) $(DESTDIR)$(SBINDIR)/openpptp
	install -m 0644 $(filter %.5,$(MAN_PAGES)) $(DESTDIR)$(MANDIR)/man5/
	install -m 0644 $(filter %.8,$(MAN_PAGES)) $(DESTDIR)$(MANDIR)/man8/
	install -m 0644 contrib/bash-completion/openpptp $(DESTDIR)$(BASHCOMPDIR)/openpptp
	install -m 0644 docs/examples/openpptp.conf docs/examples/client.conf $(DESTDIR)$(DOCDIR)/examples/
	for u in $(UNITS); do \
		sed 's|/usr/sbin/openpptp|$(SBINDIR)/openpptp|g' $$u >$(DESTDIR)$(SYSTEMDUNITDIR)/$$(basename $$u) && \
		chmod 0644 $(DESTDIR)$(SYSTEMDUNITDIR)/$$(basename $$u) || exit 1; \
	done

uninstall:
	rm -f $(DESTDIR)$(SBINDIR)/openpptp $(DESTDIR)$(BASHCOMPDIR)/openpptp
	rm -f $(patsubst $(BUILDDIR)/man/%,$(DESTDIR)$(MANDIR)/man5/%,$(filter %.5,$(MAN_PAGES)))
	rm -f $(patsubst $(BUILDDIR)/man/%,$(DESTDIR)$(MANDIR)/man8/%,$(filter %.8,$(MAN_PAGES)))
	rm -f $(UNITS:contrib/systemd/%=$(DESTDIR)$(SYSTEMDUNITDIR)/%)
	rm -rf $(DESTDIR)$(DOCDIR)

clean:
	rm -rf build

-include $(shell find build -name '*.d' 2>/dev/null)
