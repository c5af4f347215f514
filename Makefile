# Tend: `make run` to use the app, `make test` to check everything. Both install what is missing.
SHELL := /bin/bash
.DEFAULT_GOAL := run

ROOT      := $(abspath .)
APP_BIN   := $(ROOT)/target/debug/tend
APT_PKGS  := libwebkit2gtk-4.1-dev libgtk-3-dev libsoup-3.0-dev librsvg2-dev \
             libayatana-appindicator3-dev libdbus-1-dev xvfb xauth webkit2gtk-driver imagemagick dbus \
             fonts-noto-core
CARGO_BIN := $(HOME)/.cargo/bin
export PATH := $(CARGO_BIN):$(PATH)

.PHONY: run test app bench deps deps-system deps-ui deps-driver ui lint test-rust test-ui test-e2e \
        bindings-check sample-data screenshots clean

## Installs the system packages, npm packages and tauri-driver when missing.
deps: deps-system deps-ui

deps-system:
	@missing=""; for p in $(APT_PKGS); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing system packages:$$missing"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

deps-ui: ui/node_modules/.package-lock.json

ui/node_modules/.package-lock.json: ui/package.json ui/package-lock.json
	# `npm ci` trips over the optional per-platform packages of rollup in lock files written with
	# omit-lockfile-registry-resolved; `install --no-save` follows the lock file without rewriting it.
	cd ui && npm install --no-audit --no-fund --no-save
	@touch $@

deps-driver:
	@command -v tauri-driver >/dev/null || cargo install tauri-driver --version '^2' --locked

## Builds the UI into ui/dist (embedded into the binary by `make app`).
ui: deps-ui
	cd ui && npm run build

## Builds the desktop binary with the UI embedded; prints its absolute path last.
app: deps ui
	cargo build -p tend --features custom-protocol
	@echo $(APP_BIN)

run: app
	$(APP_BIN)

## Every test: formatting, lints, generated types, Rust, UI, end to end.
test: deps deps-driver lint test-rust bindings-check test-ui test-e2e

lint: deps-ui
	cargo fmt --all --check
	cargo clippy --workspace --all-targets -- -D warnings
	cd ui && npm run check

test-rust:
	cargo test --workspace

# `cargo test` regenerates ui/src/lib/bindings from the Rust types; any difference from the
# committed files means the UI was type-checked against stale types.
bindings-check: test-rust
	@if ! git diff --quiet -- ui/src/lib/bindings || [ -n "$$(git ls-files --others --exclude-standard ui/src/lib/bindings)" ]; then \
	  echo "ui/src/lib/bindings is stale: commit the files cargo test regenerated:"; \
	  git status --short ui/src/lib/bindings; exit 1; fi

test-ui: deps-ui
	cd ui && npm test

test-e2e: app deps-driver
	cargo build -p tend-fakes
	TEND_APP=$(APP_BIN) FAKE_TELEGRAM=$(ROOT)/target/debug/tend-fake-telegram \
	  FAKE_ZALO=$(ROOT)/target/debug/tend-fake-zalo \
	  node --test --test-concurrency=1 tests/e2e/

## Benchmarks: lines `BENCH <name> <value> <unit>`.
bench: deps ui
	cargo build --release -p tend-bench
	cargo build --release -p tend --features custom-protocol
	./target/release/tend-bench core
	./target/release/tend-bench messaging
	./target/release/tend-bench care
	./target/release/tend-bench book
	./target/release/tend-bench campaigns
	tests/e2e/with-display.sh ./target/release/tend-bench app $(ROOT)/target/release/tend

## Retakes assets/screenshots/ from the real window (Vietnamese and English).
screenshots: app deps-driver
	TEND_APP=$(APP_BIN) tests/e2e/with-display.sh node tests/e2e/screenshots.mjs

## Regenerates assets/sample-data.json.
sample-data:
	cargo run -q -p tend-bench -- sample 300 > assets/sample-data.json

clean:
	cargo clean
	rm -rf ui/dist ui/node_modules
