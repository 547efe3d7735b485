# sockvet: one hand-written GNU Makefile.
#
#   make            build ./sockvet (development flags, -Werror)
#   sudo make run   install build deps if missing, build, triage this host
#   sudo make check install test deps if missing, build, run every test (prove)
#   make bench      benchmarks against ss/netstat (root; see bench/README.md)
#   make install    PREFIX=/usr/local DESTDIR= (binary, man page, completion, unit, rules)
#   make completion regenerate contrib/completion from the option tables
#   make fuzz       libFuzzer targets (clang), short runs
#   make check-asan unit tests and t10 built with ASan + UBSan, in build/asan
#                   (run by `make check` when CI=true)
#
# CC, CFLAGS, CPPFLAGS, LDFLAGS are honoured: ours are appended, never
# replace yours. DEVELOPER=0 drops -Werror (for packagers).

PREFIX    ?= /usr/local
BINDIR    ?= $(PREFIX)/bin
MANDIR    ?= $(PREFIX)/share/man
DATADIR   ?= $(PREFIX)/share
BASHCOMPDIR ?= $(DATADIR)/bash-completion/completions
ZSHCOMPDIR  ?= $(DATADIR)/zsh/site-functions
SYSTEMDUNITDIR ?= $(PREFIX)/lib/systemd/system
DESTDIR   ?=
PKG_CONFIG ?= pkg-config
CC        ?= cc
DEVELOPER ?= 1
V         ?= 0

WARN := -std=c11 -Wall -Wextra -Wstrict-prototypes -Wvla -Wwrite-strings \
	-Wformat-security -Wpointer-arith -Wold-style-definition -Wshadow
ifeq ($(DEVELOPER),1)
WARN += -Werror
endif

MNL_CFLAGS := $(shell $(PKG_CONFIG) --cflags libmnl 2>/dev/null)
MNL_LIBS   := $(shell $(PKG_CONFIG) --libs libmnl 2>/dev/null || echo -lmnl)
# ncursesw: sockvet watch's full screen (src/render/watch_screen.c)
CURSES_CFLAGS := $(shell $(PKG_CONFIG) --cflags ncursesw 2>/dev/null)
CURSES_LIBS   := $(shell $(PKG_CONFIG) --libs ncursesw 2>/dev/null || echo -lncursesw -ltinfo)
# libmicrohttpd: the exporter's HTTP server (src/cmd/exporter_http.c only).
MHD_CFLAGS := $(shell $(PKG_CONFIG) --cflags libmicrohttpd 2>/dev/null)
MHD_LIBS   := $(shell $(PKG_CONFIG) --libs libmicrohttpd 2>/dev/null || echo -lmicrohttpd)
CHECK_CFLAGS := $(shell $(PKG_CONFIG) --cflags check 2>/dev/null)
CHECK_LIBS   := $(shell $(PKG_CONFIG) --libs check 2>/dev/null)

ALL_CFLAGS  = -O2 -g $(WARN) -D_GNU_SOURCE -MMD -MP $(MNL_CFLAGS) $(CURSES_CFLAGS) $(CPPFLAGS) $(CFLAGS)
ALL_LDFLAGS = $(LDFLAGS)
LIBS        = $(MNL_LIBS) $(CURSES_LIBS) -lm

ifeq ($(V),0)
Q = @
QCC = @echo "  CC      $@";
QLD = @echo "  LD      $@";
else
Q =
QCC =
QLD =
endif

SRCS := $(sort $(wildcard src/*/*.c))
OBJS := $(SRCS:.c=.o)
LIB_OBJS := $(filter-out src/cmd/%,$(OBJS))

UNIT_SRCS := $(sort $(wildcard tests/unit/test_*.c))
UNIT_TESTS := $(UNIT_SRCS:.c=.t)
HELPER_SRCS := $(sort $(wildcard tests/helpers/*.c))
HELPERS := $(HELPER_SRCS:.c=)
BENCH_SRCS := $(sort $(wildcard bench/*.c))
BENCH_BINS := $(BENCH_SRCS:.c=)

.PHONY: all run check test unit bench install uninstall clean deps fuzz man asan check-asan completion

all: sockvet

sockvet: $(OBJS)
	$(QLD)$(CC) $(ALL_CFLAGS) -o $@ $(OBJS) $(ALL_LDFLAGS) $(LIBS) $(MHD_LIBS) -pthread

src/cmd/exporter_http.o: ALL_CFLAGS += $(MHD_CFLAGS) -pthread

src/%.o: src/%.c
	$(QCC)$(CC) $(ALL_CFLAGS) -c -o $@ $<

tests/unit/%.t: tests/unit/%.c tests/unit/tap_check.h $(LIB_OBJS)
	$(QLD)$(CC) $(ALL_CFLAGS) -Wno-strict-prototypes -Wno-old-style-definition $(CHECK_CFLAGS) -o $@ $< $(LIB_OBJS) $(ALL_LDFLAGS) $(LIBS) $(CHECK_LIBS)

# src/cmd is not in LIB_OBJS: this test compiles the parser in itself.
tests/unit/test_parse_options.t: src/cmd/parse_options.c src/cmd/parse_options.h
tests/unit/test_report_prom.t: src/cmd/owner_cache.c src/cmd/owner_cache.h

tests/helpers/%: tests/helpers/%.c
	$(QLD)$(CC) $(ALL_CFLAGS) -o $@ $< $(ALL_LDFLAGS)

bench/%: bench/%.c
	$(QLD)$(CC) $(ALL_CFLAGS) -o $@ $< $(ALL_LDFLAGS) $(MNL_LIBS) -lm

deps:
	$(Q)./scripts/install-deps

# The main job: install what is missing, build, and look at this host.
# Exit 1/2 are verdicts (warnings, critical findings), not failures of
# the job; 3 and above are.
run: deps
	$(Q)$(MAKE) --no-print-directory all
	./sockvet || [ $$? -le 2 ]

unit: $(UNIT_TESTS)

# Every test goes through prove (TAP): C unit tests (Check, TAP on
# stdout) and shell end-to-end tests. Root-only tests skip elsewhere.
# Builds use every CPU (JOBS); the tests run one file at a time, since
# the root-only ones share lab namespace names.
JOBS ?= $(shell nproc 2>/dev/null || echo 2)

check: deps
	$(Q)$(MAKE) --no-print-directory -j$(JOBS) all $(UNIT_TESTS) $(HELPERS)
	prove -f $(UNIT_TESTS) $(sort $(wildcard tests/e2e/*.t))
	$(Q)if [ "$${CI:-}" = true ]; then $(MAKE) --no-print-directory check-asan fuzz-smoke; fi

test: check

bench: deps
	$(Q)$(MAKE) --no-print-directory all $(BENCH_BINS)
	./bench/run-bench

man: docs/sockvet.8

docs/sockvet.8: docs/sockvet.8.scd
	scdoc < $< > $@

# The rules file comes from the exporter's work (contrib/prometheus):
# installed when it is there. The unit's ExecStart follows BINDIR.
RULES := contrib/prometheus/sockvet-rules.yml
UNIT  := contrib/systemd/sockvet-exporter.service

install: sockvet
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man8 $(DESTDIR)$(BASHCOMPDIR) \
		$(DESTDIR)$(ZSHCOMPDIR) $(DESTDIR)$(SYSTEMDUNITDIR)
	install -m 0755 sockvet $(DESTDIR)$(BINDIR)/sockvet
	install -m 0644 docs/sockvet.8 $(DESTDIR)$(MANDIR)/man8/sockvet.8
	install -m 0644 contrib/completion/sockvet.bash $(DESTDIR)$(BASHCOMPDIR)/sockvet
	install -m 0644 contrib/completion/_sockvet $(DESTDIR)$(ZSHCOMPDIR)/_sockvet
	sed 's|/usr/local/bin/sockvet|$(BINDIR)/sockvet|' $(UNIT) >$(DESTDIR)$(SYSTEMDUNITDIR)/sockvet-exporter.service
	chmod 0644 $(DESTDIR)$(SYSTEMDUNITDIR)/sockvet-exporter.service
	if [ -f $(RULES) ]; then \
		install -d $(DESTDIR)$(DATADIR)/sockvet && \
		install -m 0644 $(RULES) $(DESTDIR)$(DATADIR)/sockvet/sockvet-rules.yml; \
	fi

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/sockvet $(DESTDIR)$(MANDIR)/man8/sockvet.8 \
		$(DESTDIR)$(BASHCOMPDIR)/sockvet $(DESTDIR)$(ZSHCOMPDIR)/_sockvet \
		$(DESTDIR)$(SYSTEMDUNITDIR)/sockvet-exporter.service \
		$(DESTDIR)$(DATADIR)/sockvet/sockvet-rules.yml
	rmdir $(DESTDIR)$(DATADIR)/sockvet 2>/dev/null || true

# The completion scripts are generated from the option tables; commit
# the result (tests/e2e/t64-completion.t fails when they differ).
completion: sockvet
	./sockvet completion bash >contrib/completion/sockvet.bash
	./sockvet completion zsh >contrib/completion/_sockvet

# AddressSanitizer + UndefinedBehaviorSanitizer, any finding fatal. The
# objects go to their own tree (build/asan), so the normal build never
# links a sanitized object and the two never rebuild each other.
ASAN_DIR   := build/asan
ASAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
ASAN_OBJS  := $(addprefix $(ASAN_DIR)/,$(OBJS))
ASAN_LIB_OBJS := $(addprefix $(ASAN_DIR)/,$(LIB_OBJS))
ASAN_UNIT  := $(addprefix $(ASAN_DIR)/,$(UNIT_TESTS))
ASAN_ENV   := ASAN_OPTIONS=abort_on_error=0:detect_leaks=1:strict_string_checks=1 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

$(ASAN_DIR)/src/%.o: src/%.c
	@mkdir -p $(@D)
	$(QCC)$(CC) $(ALL_CFLAGS) $(ASAN_FLAGS) -c -o $@ $<

$(ASAN_DIR)/src/cmd/exporter_http.o: ALL_CFLAGS += $(MHD_CFLAGS) -pthread

$(ASAN_DIR)/sockvet: $(ASAN_OBJS)
	$(QLD)$(CC) $(ALL_CFLAGS) $(ASAN_FLAGS) -o $@ $(ASAN_OBJS) $(ALL_LDFLAGS) $(LIBS) $(MHD_LIBS) -pthread

$(ASAN_DIR)/tests/unit/%.t: tests/unit/%.c tests/unit/tap_check.h $(ASAN_LIB_OBJS)
	@mkdir -p $(@D)
	$(QLD)$(CC) $(ALL_CFLAGS) $(ASAN_FLAGS) -Wno-strict-prototypes -Wno-old-style-definition $(CHECK_CFLAGS) -o $@ $< $(ASAN_LIB_OBJS) $(ALL_LDFLAGS) $(LIBS) $(CHECK_LIBS)

$(ASAN_DIR)/tests/unit/test_parse_options.t: src/cmd/parse_options.c src/cmd/parse_options.h
$(ASAN_DIR)/tests/unit/test_report_prom.t: src/cmd/owner_cache.c src/cmd/owner_cache.h

check-asan:
	$(Q)$(MAKE) --no-print-directory -j$(JOBS) $(ASAN_DIR)/sockvet $(ASAN_UNIT)
	$(ASAN_ENV) prove -f $(ASAN_UNIT)
	$(ASAN_ENV) SOCKVET=$(CURDIR)/$(ASAN_DIR)/sockvet prove -f tests/e2e/t10-cli.t

FUZZ_SRCS := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BINS := $(FUZZ_SRCS:.c=)
FUZZ_DIR := build/fuzz
FUZZ_SAN := -g -O1 -fsanitize=address,undefined -D_GNU_SOURCE -std=c11
FUZZ_LIB := $(addprefix $(FUZZ_DIR)/,$(filter-out src/cmd/%,$(SRCS:.c=.o)))

# The library once, instrumented; each target only links against it.
$(FUZZ_DIR)/src/%.o: src/%.c
	@mkdir -p $(@D)
	$(QCC)clang $(FUZZ_SAN) -fsanitize=fuzzer-no-link $(MNL_CFLAGS) -c -o $@ $<

$(FUZZ_DIR)/%: tests/fuzz/%.c $(FUZZ_LIB)
	@mkdir -p $(@D)
	$(QLD)clang $(FUZZ_SAN) -fsanitize=fuzzer $(MNL_CFLAGS) -o $@ $< $(FUZZ_LIB) $(MNL_LIBS) $(CURSES_LIBS) -lm

# Each target for FUZZ_SECONDS (default 20) on its seed corpus; new inputs
# go to a scratch copy, never into the tree.
fuzz: $(addprefix $(FUZZ_DIR)/,$(notdir $(FUZZ_BINS)))
	$(Q)for f in $(notdir $(FUZZ_BINS)); do \
		rm -rf $(FUZZ_DIR)/corpus-$$f; cp -r tests/fuzz/corpus/$$f $(FUZZ_DIR)/corpus-$$f || exit 1; \
		$(FUZZ_DIR)/$$f -artifact_prefix=$(FUZZ_DIR)/ -max_total_time=$${FUZZ_SECONDS:-20} $(FUZZ_DIR)/corpus-$$f || exit 1; \
	done

# CI: every target builds and survives a short run (make check with CI=true).
fuzz-smoke:
	$(Q)$(MAKE) --no-print-directory -j$(JOBS) $(addprefix $(FUZZ_DIR)/,$(notdir $(FUZZ_BINS)))
	$(Q)$(MAKE) --no-print-directory fuzz FUZZ_SECONDS=$${FUZZ_SECONDS:-5}

clean:
	rm -f sockvet $(OBJS) $(OBJS:.o=.d) $(UNIT_TESTS) $(HELPERS) $(BENCH_BINS) $(FUZZ_BINS)
	rm -rf $(FUZZ_DIR)
	rm -rf $(ASAN_DIR)

-include $(OBJS:.o=.d) $(ASAN_OBJS:.o=.d)
