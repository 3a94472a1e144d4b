# Two entry points for a fresh machine (see README): `make demo` and `make test`.
# Everything they need is installed here; nothing must be set up by hand.

NODE ?= node
TEST_FILES = $(shell find dist/test -name '*.test.js' 2>/dev/null | sort)

.PHONY: all deps build test test-deps unit demo bench clean

all: build

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

deps: node_modules/.package-lock.json

build: deps
	npx tsc -p tsconfig.json

# System packages the tests start as real servers (dnsmasq, ...). Installs only what is missing.
test-deps:
	bash test/setup/install-deps.sh

test: build test-deps
	$(NODE) --test --test-concurrency=4 --test-timeout=120000 $(TEST_FILES)

demo: build
	bash scripts/demo.sh

bench: build
	$(NODE) dist/bench/run.js

clean:
	rm -rf dist
