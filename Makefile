# AuthDesk: `make run` opens the app, `make test` runs every test suite.
# Both install what they need first (scripts/deps.sh).

SHELL := /bin/bash
VERSION := $(shell sed -n 's/.*"productVersion": *"\([^"]*\)".*/\1/p' wails.json)
COMMIT := $(shell git rev-parse --short=12 HEAD 2>/dev/null)
LDFLAGS := -X main.version=$(VERSION) -X main.commit=$(COMMIT)
# Debian 12 ships WebKitGTK 4.1; Wails needs to be told.
TAGS := webkit2_41
WAILS := go tool wails

.PHONY: all deps frontend build harness run test package bench bench-users bench-startup clean

all: build

deps:
	@bash scripts/deps.sh

# Bindings first (the UI imports them), then the Vite build into frontend/dist.
# Generating runs the program once, so it gets a throw-away data folder: never
# the person's own, whose files may be from another version.
frontend: deps
	@tmp=$$(mktemp -d) && AUTHDESK_DATA_DIR=$$tmp $(WAILS) generate module -tags $(TAGS) >/dev/null; rc=$$?; rm -rf "$$tmp"; exit $$rc
	@chmod 644 frontend/wailsjs/go/*/*.* frontend/wailsjs/go/*.ts frontend/wailsjs/runtime/*
	@cd frontend && npm run build --silent

# The production binary: build/bin/authdesk.
build: frontend
	$(WAILS) build -s -m -skipbindings -tags $(TAGS) -ldflags "$(LDFLAGS)" -o authdesk

# The browser test harness: the same wiring, served over HTTP, no GTK.
harness: frontend
	go build -tags harness -ldflags "$(LDFLAGS)" -o build/bin/authdesk-harness .

run: build
	./build/bin/authdesk

test: deps
	@bash scripts/test.sh

# Installable packages in build/bin/: authdesk_$(VERSION)_amd64.deb and the Windows
# installer AuthDesk-$(VERSION)-amd64-installer.exe; fails over the size budgets.
package: build
	@VERSION=$(VERSION) bash scripts/package.sh

# Micro-benchmarks, then the abuse/load table: a real `serve` on loopback
# under floods (figures only; see app/serve/abuse_bench_test.go).
bench:
	go test -run '^$$' -bench . -benchmem ./backend/...
	go test -tags bench -run '^TestAbuseLoadTable$$' -v -count=1 -timeout 15m ./app/serve/
	$(MAKE) --no-print-directory bench-users
	@$(MAKE) --no-print-directory bench-startup

# The paged, virtualised user lists at 1 / 1,000 / 10,000 / 100,000 users in
# Chromium through the test harness (frontend/bench/users.bench.js).
bench-users: harness
	AUTHDESK_HARNESS="$$PWD/build/bin/authdesk-harness" node frontend/bench/users.bench.js

# Start-up against the bare shell `wails init -t vue` makes (generated and
# built by scripts/bench/template.sh from the pinned Wails CLI) and a smaller
# hand-written page (scripts/bench/bareshell), all built here with the same
# Go, Wails version, tags and flags as `wails build` uses for production,
# then timed under Xvfb (app/windowtest/startup_bench_test.go).
BENCH_TAGS := desktop,$(TAGS),wv2runtime.download,production,bench
bench-startup: frontend
	@cd scripts/bench/bareshell/frontend && ln -sfn ../../../../frontend/node_modules node_modules && ./node_modules/.bin/vite build --logLevel warn
	go build -buildvcs=false -tags $(BENCH_TAGS) -ldflags "-w -s $(LDFLAGS)" -o build/bin/bench/authdesk .
	go build -buildvcs=false -tags $(BENCH_TAGS) -ldflags "-w -s" -o build/bin/bench/bareshell ./scripts/bench/bareshell
	bash scripts/bench/template.sh build/bin/bench/template build/bin/bench/baretemplate $(BENCH_TAGS) "-w -s"
	AUTHDESK_BIN=$$PWD/build/bin/bench/authdesk AUTHDESK_BARETEMPLATE=$$PWD/build/bin/bench/baretemplate \
	  AUTHDESK_BARESHELL=$$PWD/build/bin/bench/bareshell \
	  go test -tags 'windowtest bench' -run '^TestStartupBenchTable$$' -v -count=1 -timeout 10m ./app/windowtest/

clean:
	rm -rf build/bin test-output frontend/dist/assets frontend/dist/index.html
