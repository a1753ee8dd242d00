# polc / polrun. `make build` builds both binaries into bin/; `make test` runs
# every test that this host can run (as root it runs the kernel tests too).
GO      ?= go
BIN     := bin

.PHONY: build test demo
build:
	$(GO) build -o $(BIN)/ ./cmd/...

# The main job on the example policies: validate and lint them.
demo: build
	$(BIN)/polc validate examples
	$(BIN)/polc lint --compat tetragon examples

test:
	$(GO) vet ./...
	$(GO) test ./...
