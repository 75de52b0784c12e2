# sisemu — common tasks. `make help` lists them.
GO        ?= go
PKGS      ?= ./...
FUZZTIME  ?= 10s
BENCHTIME ?= 1s
STATICCHECK ?= honnef.co/go/tools/cmd/staticcheck@2026.1

.PHONY: help build test test-race test-arm64 bench fuzz lint phases clean

help:
	@echo "build       build bin/sisemu"
	@echo "test        vet, race-checked tests of every package, arm64 shim and transcript tests under qemu-user"
	@echo "bench       run every benchmark (BENCHTIME=$(BENCHTIME))"
	@echo "fuzz        a short pass (FUZZTIME=$(FUZZTIME)) over every fuzz target"
	@echo "lint        go vet + staticcheck"
	@echo "phases      run every phase suite in-process and print the report"

build:
	$(GO) build -o bin/sisemu ./cmd/sisemu

# The arm64 runs come first so that go test's summary closes the output.
test:
	bash .ci/arm64.sh
	bash .ci/arm64-transcripts.sh
	$(GO) vet $(PKGS)
	$(GO) test -race -count=1 $(PKGS)

bench:
	$(GO) test -run '^$$' -bench . -benchmem -benchtime $(BENCHTIME) $(PKGS)

# Every Fuzz* target of every package gets FUZZTIME of fuzzing; the seed
# corpora (f.Add seeds and the kept corpora under <pkg>/testdata/fuzz) run in
# `make test` anyway. To keep what a fuzz run found interesting, copy
# $(go env GOCACHE)/fuzz/<module path>/<pkg>/<Target>/ into <pkg>/testdata/fuzz/<Target>/.
fuzz:
	@set -e; for pkg in $$($(GO) list $(PKGS)); do \
	  for target in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz' || true); do \
	    echo "fuzz $$pkg $$target"; \
	    $(GO) test -run '^$$' -fuzz "^$$target$$" -fuzztime $(FUZZTIME) $$pkg; \
	  done; \
	done

lint:
	$(GO) vet $(PKGS)
	$(GO) run $(STATICCHECK) $(PKGS)

phases:
	$(GO) run ./cmd/sisemu phases

clean:
	rm -rf bin
