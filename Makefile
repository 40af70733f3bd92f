# berth: `make` builds, `make demo` runs a container, `make test` runs every test.
# Run as root, the targets install the Debian packages they need; otherwise they say which.

SHELL := /bin/bash
PREFIX ?= /usr/local
LIB := build/lib
MVN := ./mvnw -B -q
# Maven itself runs on the JDK 25 found; these keep its libraries from warning there.
MAVEN_JVM := --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow
BUILD_PKGS := gcc make libc6-dev busybox-static python3
TEST_PKGS := busybox-static runc iproute2 util-linux procps uidmap containernetworking-plugins slirp4netns passt iptables
BENCH_PKGS := hyperfine
CLIENT_PKGS := podman containerd
# The cgroup v2 lane's guest: qemu (without the GUI and firmware it recommends) and Debian's kernel.
V2_PKGS := qemu-system-x86 linux-image-amd64
# The JUnit launcher the v2 lane's guest runs the tests with (the platform release of junit.version).
JUNIT_CONSOLE := org.junit.platform:junit-platform-console-standalone:1.11.4
SOURCES := $(shell find pom.xml */pom.xml berth-*/src -type f 2>/dev/null)

.PHONY: all build test unit-test it-test it-test-runc client-test v2-test demo bench install uninstall clean deps-build deps-test

all: build

build: $(LIB)/berth-cli.jar $(LIB)/berth.aot

# The AOT cache (design.md §8): a training run of the real commands, remade whenever the jars are.
$(LIB)/berth.aot: $(LIB)/berth-cli.jar scripts/aot-train.sh
	@bash scripts/aot-train.sh $@ && echo "built: $@ (AOT cache)"

$(LIB)/berth-cli.jar: $(SOURCES) | deps-build
	@home=$$(bin/find-jdk) || exit 1; \
	JAVA_HOME=$$home MAVEN_OPTS="$(MAVEN_JVM)" $(MVN) -DskipTests -Dberth.it.skip=true package && \
	mkdir -p $(LIB) && \
	cp berth-cli/target/berth-cli.jar berth-core/target/berth-core.jar berth-native/target/berth-native.jar $(LIB)/ && \
	echo "$$home" > $(LIB)/java-home && \
	echo "built: bin/berth (Java at $$home)"

# Unit tests (no root needed), the helper's own tests, then the integration tests against bin/berth.
test: build deps-test
	@home=$$(bin/find-jdk) || exit 1; \
	JAVA_HOME=$$home MAVEN_OPTS="$(MAVEN_JVM)" $(MVN) verify -Dberth.it.runtime=$(CURDIR)/bin/berth
	@$(MAKE) --no-print-directory client-test
	@$(MAKE) --no-print-directory v2-test

# podman and containerd driving berth, each scenario also run with Debian's runc as the control.
client-test: build deps-test
	@if [ "$$(id -u)" != 0 ]; then echo "client lanes skipped: they need root (podman, containerd, a test user)"; exit 0; fi; \
	$(call need,$(CLIENT_PKGS)); \
	status=0; \
	for lane in podman containerd; do \
		bash lanes/$$lane.sh runc $$(command -v runc || echo /usr/sbin/runc) || status=1; \
		bash lanes/$$lane.sh berth $(CURDIR)/bin/berth || status=1; \
	done; \
	exit $$status

# The cgroup integration tests in a qemu guest with a pure cgroup v2 hierarchy (lanes/cgroup2.sh),
# against Debian's runc as the control and against bin/berth.
v2-test: build deps-test
	@$(call need,$(V2_PKGS),--no-install-recommends)
	@home=$$(bin/find-jdk) || exit 1; \
	export JAVA_HOME=$$home MAVEN_OPTS="$(MAVEN_JVM)"; \
	$(MVN) -pl berth-it test-compile || exit 1; \
	if ! ls build/cgroup2/junit-platform-console-standalone-*.jar >/dev/null 2>&1; then \
		$(MVN) -N dependency:copy -Dartifact=$(JUNIT_CONSOLE) -DoutputDirectory=build/cgroup2 || exit 1; \
	fi; \
	status=0; \
	bash lanes/cgroup2.sh runc $$(command -v runc || echo /usr/sbin/runc) || status=1; \
	bash lanes/cgroup2.sh berth $(CURDIR)/bin/berth || status=1; \
	exit $$status

# The same integration tests against Debian's runc: proves the tests, not berth.
it-test-runc: build deps-test
	@home=$$(bin/find-jdk) || exit 1; \
	JAVA_HOME=$$home MAVEN_OPTS="$(MAVEN_JVM)" $(MVN) verify -pl berth-it -Dberth.it.runtime=$$(command -v runc || echo /usr/sbin/runc)

demo: build deps-test
	@bash scripts/demo.sh

bench: build deps-test
	@$(call need,$(BENCH_PKGS))
	@bash bench/run.sh

install: build
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib/berth
	install -p -m 0644 $(LIB)/berth-cli.jar $(LIB)/berth-core.jar $(LIB)/berth-native.jar $(LIB)/java-home \
		$(LIB)/berth.aot $(DESTDIR)$(PREFIX)/lib/berth/
	install -m 0755 bin/berth $(DESTDIR)$(PREFIX)/bin/berth
	@echo "installed $(PREFIX)/bin/berth"

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/berth
	rm -rf $(DESTDIR)$(PREFIX)/lib/berth

clean:
	rm -rf build */target

deps-build:
	@$(call need,$(BUILD_PKGS))

deps-test:
	@$(call need,$(TEST_PKGS))

# need PKGS[,APT-OPTIONS]: install the missing ones as root, or name them and stop.
define need
missing=""; for p in $(1); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || missing="$$missing $$p"; done; \
if [ -n "$$missing" ]; then \
	if [ "$$(id -u)" = 0 ]; then \
		echo "installing:$$missing"; \
		export DEBIAN_FRONTEND=noninteractive; \
		apt-get update -qq >/dev/null && apt-get install -y -qq $(2) $$missing >/dev/null || { echo "apt-get install$$missing failed" >&2; exit 1; }; \
	else \
		echo "missing Debian packages:$$missing (run make as root, or: sudo apt-get install$$missing)" >&2; exit 1; \
	fi; \
fi
endef
