# Two entry points for a fresh machine (see README): `make demo` and `make test`.
# Everything they need is installed here; nothing must be set up by hand.

NODE ?= node
TEST_FILES = $(shell find dist/test -name '*.test.js' 2>/dev/null | sort)

.PHONY: all deps sqlite app build test test-deps demo bench clean

all: build

# Install scripts are skipped: the only one compiles better-sqlite3 from source (~85 s on 2 cores),
# which the demo does not need. The tests compile it below; a sqlite3 storage user runs `make sqlite`.
node_modules/.package-lock.json: package.json package-lock.json
	@echo "checkup: installing npm packages (first run only, ~15 s)" >&2
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error

deps: node_modules/.package-lock.json

SQLITE_ADDON = node_modules/better-sqlite3/build/Release/better_sqlite3.node

$(SQLITE_ADDON): node_modules/.package-lock.json
	@echo "checkup: compiling the SQLite driver better-sqlite3 (first test run only, ~90 s)" >&2
	npm rebuild better-sqlite3 --loglevel=error

sqlite: $(SQLITE_ADDON)

build: deps
	@echo "checkup: building" >&2
	npx tsc -p tsconfig.json

# System packages the tests start as real servers (dnsmasq, ...). Installs only what is missing.
test-deps:
	bash test/setup/install-deps.sh

test: build test-deps $(SQLITE_ADDON)
	$(NODE) --test --test-concurrency=4 --test-timeout=120000 $(TEST_FILES)

# The CLI and library alone, a third faster than `build`: the demo's first page waits on it.
app: deps
	@echo "checkup: building" >&2
	npx tsc -p tsconfig.app.json

# `make demo PORT=8080` picks the port (default 3000; a free one when it is taken).
demo: app
	DEMO_PORT="$(PORT)" bash scripts/demo.sh

bench: build
	$(NODE) dist/bench/run.js

clean:
	rm -rf dist
