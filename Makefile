# polc / polrun. `make build` builds both binaries into bin/; `make test` runs
# every test that this host can run (as root it runs the kernel tests too).
GO      ?= go
BIN     := bin

.PHONY: build test
build:
	$(GO) build -o $(BIN)/ ./cmd/polc ./cmd/polrun

test:
	$(GO) vet ./...
	$(GO) test ./...
