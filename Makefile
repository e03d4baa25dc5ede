# factforge: `make run` builds and writes the default dataset to out/reversal; `make test` installs what
# the tests need (Go modules, DuckDB for Node) and runs them.
GO        ?= go
BIN       := out/.bin/factforge
DUCKDB    := cmd/factforge/testdata/duckdb
COMMIT    := $(shell git rev-parse --short=12 HEAD 2>/dev/null)

.PHONY: run build test deps lint bench

build:
	$(GO) build -ldflags "-X main.commit=$(COMMIT)" -o $(BIN) ./cmd/factforge

run: build
	$(BIN) generate reversal --force
	$(BIN) validate out/reversal

# DuckDB (npm @duckdb/node-api) reads the Parquet files in the end-to-end tests.
deps:
	$(GO) mod download
	npm ci --prefix $(DUCKDB) --no-audit --no-fund --loglevel=error

# The packages that start goroutines (run's workers and writers; the corpus reader of splits, which outlandish --base uses;
# audit's readers, workers and stages) run again under the race detector; -short leaves out the slowest cases there.
RACE_PKGS := ./generators/run ./generators/recipes/outlandish ./schemas/audit

test: deps lint
	$(GO) test -count=1 -timeout 15m ./...
	$(GO) test -race -short -count=1 -timeout 15m $(RACE_PKGS)

lint:
	$(GO) vet ./...
	@unformatted=$$(gofmt -l cmd generators templates schemas); \
	if [ -n "$$unformatted" ]; then echo "gofmt needed:"; echo "$$unformatted"; exit 1; fi

# Go benchmarks of each stage (world, render, transform, encode, write; parquet-go alone for the
# ratio), then the whole-process benchmark of every recipe and the Node.js faker comparison.
bench: build
	$(GO) test -run '^$$' -bench . -benchmem ./...
	bash cmd/factforge/testdata/bench/bench.sh
