# Thin wrapper over CMake, for the commands the README promises.
BUILD ?= build
ASAN_BUILD ?= build-asan
RELEASE_BUILD ?= build-release
JOBS ?= 2
SHARED ?= ../shared
ACCURACY_OUT ?= $(BUILD)/accuracy
PREFIX ?= /usr/local

.PHONY: all build test check sanitize release memcheck accuracy bench samples install clean

all: build

build:
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	cmake --build $(BUILD) -j $(JOBS)

test: build
	ctest --test-dir $(BUILD) --output-on-failure

# The whole suite: the normal build, then again under ASan+UBSan, and a
# Release (-O3) compile, whose deeper flow analysis warns where -O2 does
# not (-Werror: a user's Release build must not fail).
check: test sanitize release

sanitize:
	cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DBUDGET_SANITIZE=ON >/dev/null
	cmake --build $(ASAN_BUILD) -j $(JOBS)
	ctest --test-dir $(ASAN_BUILD) --output-on-failure

release:
	cmake -S . -B $(RELEASE_BUILD) -DCMAKE_BUILD_TYPE=Release >/dev/null
	cmake --build $(RELEASE_BUILD) -j $(JOBS)

# The programs into PREFIX/bin, pipeline.conf and rules/ into
# PREFIX/share/budget2csv, man pages into PREFIX/share/man/man1;
# DESTDIR=dir stages the same tree under dir (for packaging).
install: build
	DESTDIR="$(DESTDIR)" cmake --install $(BUILD) --prefix "$(PREFIX)"

# Every test program under valgrind (slow: not part of check).
memcheck: build
	tools/memcheck.sh $(BUILD)

accuracy: build
	tools/accuracy.sh $(BUILD)/bin $(SHARED) $(ACCURACY_OUT)

bench: build
	python3 bench/run.py $(BUILD)/bin $(SHARED)

# Redraws samples/*/doc.pdf with tools/mksample.c; check expected/ by eye
# afterwards (the e2e tests fail until the PDFs match the generator).
samples: build
	for s in $$($(BUILD)/bin/mksample --list); do \
	  $(BUILD)/bin/mksample $$s samples/$$s/doc.pdf || exit 1; \
	done

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(RELEASE_BUILD)
