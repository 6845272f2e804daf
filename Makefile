# linuxd: `make` builds everything into build/; see README.md.
PREFIX ?= /usr/local
BUILD ?= build
CC ?= gcc
CFLAGS ?= -O2 -g
PROJECT_CFLAGS = -std=gnu11 -D_GNU_SOURCE -Wall -Wextra -Werror
LDLIBS = -ljansson -lseccomp

LIB_SRCS = src/error.c src/config.c src/state.c src/sandbox.c \
	   src/container.c src/exec.c src/hooks.c src/console.c src/spec.c \
	   src/paths.c src/network.c src/jail.c src/cgroup.c src/allowlist.c src/seccomp.c \
	   src/binds.c \
	   common/netlink.c common/fsutil.c common/mountopts.c common/caps.c
CLI_SRCS = src/cli/main.c src/cli/run.c src/cli/spec.c src/cli/lifecycle.c \
	   src/cli/list.c src/cli/exec.c \
	   src/cli/features.c src/cli/ps.c src/cli/update.c
INIT_SRCS = init/main.c init/channel.c init/mounts.c init/process.c init/cgroup.c \
	    init/tty.c init/net.c common/netlink.c \
	    common/fsutil.c common/mountopts.c common/caps.c
UNIT_SRCS = tests/unit/config_test.c

LIB_OBJS = $(LIB_SRCS:%.c=$(BUILD)/obj/%.o)
CLI_OBJS = $(CLI_SRCS:%.c=$(BUILD)/obj/%.o)
INIT_OBJS = $(INIT_SRCS:%.c=$(BUILD)/obj/%.o)

RUNTIME = $(BUILD)/bin/linuxd
KERNEL = $(BUILD)/lib/linuxd/linux
KERNEL_SRC = $(BUILD)/kernel-src
FILESERVER_ATTACK = $(BUILD)/tests/fileserver-attack
SWAP_ON_OPEN = $(BUILD)/tests/swap_on_open
PTRACE_FUZZ = $(BUILD)/tests/ptrace_fuzz
INITRD = $(BUILD)/lib/linuxd/init.cpio
ROOTFS = $(BUILD)/rootfs/.built
UNIT = $(BUILD)/tests/config_test
ALLOWLIST_TEST = $(BUILD)/tests/allowlist_test
# The unit tests again under AddressSanitizer and UBSan (leaks included).
UNIT_ASAN = $(BUILD)/tests/config_test_asan
# libFuzzer targets for the JSON that users write: config.json, process.json
FUZZERS = $(BUILD)/tests/fuzz-config $(BUILD)/tests/fuzz-process
FUZZ_SRCS = tests/fuzz/config_fuzz.c src/config.c src/error.c src/hooks.c \
	    src/seccomp.c src/state.c common/fsutil.c
SANITIZE = -fsanitize=address,undefined -fno-omit-frame-pointer

.PHONY: all deps demo test soak unit bench bench-apps install clean

all: $(RUNTIME) $(KERNEL) $(INITRD) $(ROOTFS)

# Debian packages for building and testing; a no-op when all are there.
deps:
	scripts/install-deps.sh

demo: deps
	$(MAKE) all
	scripts/demo.sh $(BUILD)

PROBE = $(BUILD)/tests/probe
SYSCALLS = $(BUILD)/tests/syscalls
FEATURES = $(BUILD)/tests/features
MICRO = $(BUILD)/bench/micro
NETBENCH = $(BUILD)/bench/net

test: all $(UNIT) $(UNIT_ASAN) $(ALLOWLIST_TEST) $(FUZZERS) $(PROBE) $(SYSCALLS) \
      $(FEATURES) $(FILESERVER_ATTACK) $(SWAP_ON_OPEN) \
      $(PTRACE_FUZZ)
	tests/run.sh $(BUILD)

# not in test: about 20 minutes of create, start and delete
soak: all
	tests/soak.sh $(BUILD)

bench: all $(MICRO) $(NETBENCH)
	scripts/install-deps.sh runc runsc gnuplot-nox
	bench/startup.sh $(BUILD)
	bench/memory.sh $(BUILD)
	bench/micro.sh $(BUILD)
	BUSY=1 bench/micro.sh $(BUILD)
	bench/net.sh $(BUILD)

# real programs on a Debian rootfs (made once with debootstrap, cached):
# about 15 minutes
bench-apps: all
	scripts/install-deps.sh runc runsc gnuplot-nox debootstrap
	bench/apps.sh $(BUILD)

unit: $(UNIT)
	$(UNIT)

$(BUILD)/obj/%.o: %.c $(wildcard src/*.h src/cli/*.h init/*.h common/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(PROJECT_CFLAGS) $(CFLAGS) -c $< -o $@

$(RUNTIME): $(LIB_OBJS) $(CLI_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

$(UNIT): $(BUILD)/obj/tests/unit/config_test.o $(LIB_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

$(ALLOWLIST_TEST): $(BUILD)/obj/tests/unit/allowlist_test.o $(LIB_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

$(UNIT_ASAN): $(UNIT_SRCS) src/config.c src/error.c src/hooks.c src/seccomp.c src/state.c \
	      src/binds.c $(wildcard src/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(PROJECT_CFLAGS) -g $(SANITIZE) -o $@ $(UNIT_SRCS) src/config.c src/error.c \
		src/hooks.c src/seccomp.c src/state.c src/binds.c common/fsutil.c $(LDLIBS)

$(BUILD)/tests/fuzz-config: $(FUZZ_SRCS) $(wildcard src/*.h)
	@mkdir -p $(dir $@)
	clang $(PROJECT_CFLAGS) -g -fsanitize=fuzzer,address,undefined -o $@ \
		$(FUZZ_SRCS) $(LDLIBS)

$(BUILD)/tests/fuzz-process: $(FUZZ_SRCS) $(wildcard src/*.h)
	@mkdir -p $(dir $@)
	clang $(PROJECT_CFLAGS) -DFUZZ_PROCESS -g -fsanitize=fuzzer,address,undefined \
		-o $@ $(FUZZ_SRCS) $(LDLIBS)

$(PROBE): $(BUILD)/obj/tests/probe/probe.o
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -static -o $@ $^

# Static programs that run inside containers.
$(SYSCALLS): tests/probe/syscalls.c
$(FEATURES): tests/probe/features.c
$(MICRO): bench/micro.c
$(NETBENCH): bench/net.c
$(PTRACE_FUZZ): tests/attack/ptrace_fuzz.c
$(SYSCALLS) $(FEATURES) $(MICRO) $(NETBENCH) $(PTRACE_FUZZ):
	@mkdir -p $(dir $@)
	$(CC) $(PROJECT_CFLAGS) $(CFLAGS) -static -pthread -o $@ $<

$(BUILD)/init/linuxd-init: $(INIT_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -static -o $@ $^

$(INITRD): $(BUILD)/init/linuxd-init scripts/mkinitrd.sh
	scripts/mkinitrd.sh $< $@

# The sandbox kernel is cached outside the tree (kernel/build.sh), and so
# are the sources of its file server that the attack harness builds with.
$(KERNEL): kernel/build.sh kernel/linuxd.config $(wildcard kernel/patches/*.patch)
	+kernel/build.sh $@ $(KERNEL_SRC)

# A hostile kernel against the kernel's own file server code.
$(FILESERVER_ATTACK): tests/attack/fileserver.c $(wildcard tests/attack/shim/*.h) \
		      $(KERNEL) $(LIB_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(PROJECT_CFLAGS) -Wno-unused-parameter -Wno-sign-compare \
		-Wno-override-init -Itests/attack/shim -I$(KERNEL_SRC) $(CFLAGS) \
		-o $@ $< $(KERNEL_SRC)/jail.c $(LIB_OBJS) $(LDLIBS) -pthread

$(SWAP_ON_OPEN): tests/attack/swap_on_open.c
	@mkdir -p $(dir $@)
	$(CC) $(PROJECT_CFLAGS) $(CFLAGS) -o $@ $<

$(ROOTFS): scripts/mkrootfs.sh
	scripts/mkrootfs.sh $(BUILD)/rootfs

install: $(RUNTIME) $(KERNEL) $(INITRD)
	install -D -m 755 $(RUNTIME) $(DESTDIR)$(PREFIX)/bin/linuxd
	install -D -m 755 $(KERNEL) $(DESTDIR)$(PREFIX)/lib/linuxd/linux
	install -D -m 644 $(INITRD) $(DESTDIR)$(PREFIX)/lib/linuxd/init.cpio

clean:
	rm -rf $(BUILD)
