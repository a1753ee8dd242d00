# polc / polrun. `make build` builds both binaries into bin/; `make test` runs
# every test that this host can run (as root it runs the kernel tests too).
# `make vmtest` runs the packages listed in vmtest/packages inside qemu guests
# of Debian's 6.1 and 6.12 kernels (see vmtest/doc.go). ARGS go to the test
# binaries (ARGS="-run 'TestKprobe|TestLSM'"), KERNELS picks kernels (KERNELS=6.12),
# VMTEST_FLAGS adds flags of vmtest/cmd/vmtest.
GO      ?= go
BIN     := bin
ARGS    ?=
KERNELS ?=
VMTEST_FLAGS ?=

.PHONY: build test demo vmtest
build:
	$(GO) build -o $(BIN)/ ./cmd/...

# The main job on the example policies: validate and lint them.
demo: build
	$(BIN)/polc validate examples
	$(BIN)/polc lint --compat tetragon examples

test:
	$(GO) vet ./...
	$(GO) test ./...

vmtest:
	$(GO) run ./vmtest/cmd/vmtest $(if $(KERNELS),-kernels $(KERNELS)) $(VMTEST_FLAGS) -- $(ARGS)
