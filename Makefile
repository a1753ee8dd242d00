# polc / polrun. `make build` builds both binaries into bin/; `make test` runs
# every test that this host can run (as root it runs the kernel tests too).
# `make vmtest` runs the packages listed in vmtest/packages inside qemu guests
# of Debian's 6.1 and 6.12 kernels, and the smoke tests and conformance run
# (vmtest/packages-smoke) in guests of Debian 11's 5.10 and Debian 13
# backports' 7.x (see vmtest/doc.go). `make vmtest-arm64` runs the smoke list
# in arm64 guests of 6.12 and 5.10 (software-emulated, slower; CI runs it
# after `make vmtest`). ARGS go to the test binaries (ARGS="-run 'TestKprobe|TestLSM'"),
# KERNELS picks kernels (KERNELS=6.12 or KERNELS=5.10,6.12-arm64),
# VMTEST_FLAGS adds flags of vmtest/cmd/vmtest.
GO      ?= go
BIN     := bin
ARGS    ?=
KERNELS ?=
VMTEST_FLAGS ?=

.PHONY: build test demo vmtest vmtest-arm64 profiles conformance fuzz
build:
	$(GO) build -o $(BIN)/ ./cmd/...

# The main job, end to end: validate and lint the example policies, compile
# the default one (DEMO_POLICY: every syscall of a shell, from the
# raw_syscalls tracepoint, which works on kernels without kprobes) into a
# bundle, load it with polrun, print its events for DEMO_SECONDS while a
# shell runs a few commands, and unload it. Loading needs root; the demo
# pins under a directory of its own, so it leaves other polrun state alone.
DEMO_POLICY  ?= examples/shell-syscalls.yaml
DEMO_SECONDS ?= 5
DEMO_SHOWN   ?= 25
DEMO_DIR     := $(BIN)/demo
DEMO_PINS    := /sys/fs/bpf/polrun-demo

demo: build
	$(BIN)/polc validate examples
	$(BIN)/polc lint --compat tetragon examples
	rm -rf $(DEMO_DIR) && mkdir -p $(DEMO_DIR)
	$(BIN)/polc build -o $(DEMO_DIR) $(DEMO_POLICY)
	@echo "== polrun run: events of $(DEMO_POLICY) for $(DEMO_SECONDS)s (the first $(DEMO_SHOWN) shown) =="
	@(sleep 1; for i in 1 2 3; do bash -c 'cat /etc/hostname >/dev/null'; sleep 1; done) &
	$(BIN)/polrun run --pin-root $(DEMO_PINS) -o compact --duration $(DEMO_SECONDS)s $(DEMO_DIR)/*.bpf.o \
		| awk 'NR <= $(DEMO_SHOWN); END { print "... " NR " events in all" }'
	$(BIN)/polrun list --pin-root $(DEMO_PINS)

test:
	$(GO) vet ./...
	$(GO) test ./...

vmtest:
	$(GO) run ./vmtest/cmd/vmtest $(if $(KERNELS),-kernels $(KERNELS)) $(VMTEST_FLAGS) -- $(ARGS)

ARM64_KERNELS := 6.12-arm64,5.10-arm64
vmtest-arm64:
	$(GO) run ./vmtest/cmd/vmtest -kernels $(if $(KERNELS),$(KERNELS),$(ARM64_KERNELS)) $(VMTEST_FLAGS) -- $(ARGS)

# The target profiles tests check policies against (testdata/targets, see
# target/doc.go): the Debian 6.1 and 6.12 kernels, captured by TestCapture
# inside the vmtest guests, and this host's kernel, captured by polrun
# profile (as root).
PROFILES_TMP := .cache/profiles
profiles:
	rm -rf $(PROFILES_TMP)
	$(GO) run ./vmtest/cmd/vmtest -kernels 6.1,6.12 -packages testdata/targets/packages -artifacts $(PROFILES_TMP) -- -run '^TestCapture$$'
	cp $(PROFILES_TMP)/6.1/profile.tar.gz testdata/targets/debian-6.1.tar.gz
	cp $(PROFILES_TMP)/6.12/profile.tar.gz testdata/targets/debian-6.12.tar.gz
	$(GO) run ./cmd/polrun profile -o testdata/targets/host-$$(uname -r | cut -d. -f1,2).tar.gz

# docs/CONFORMANCE.md: every corpus policy through validate, build, and load
# and attach on each kernel of the matrix (internal/conformance). The host's
# column is made here (as root), the guests' columns in the vmtest guests
# (brought back as artifacts: CONFORMANCE_KERNELS, the amd64 matrix and the
# arm64 guests), then the document from all of them. CI checks each part:
# TestKernel on the host and in the guests, TestDoc on the host.
CONFORMANCE_TMP := .cache/conformance
CONFORMANCE_KERNELS ?= 5.10,6.1,6.12,7.x,$(ARM64_KERNELS)
conformance:
	$(GO) test ./internal/conformance -run '^TestKernel$$' -count=1 -update
	rm -rf $(CONFORMANCE_TMP)
	$(GO) run ./vmtest/cmd/vmtest -kernels $(CONFORMANCE_KERNELS) -packages internal/conformance/packages -artifacts $(CONFORMANCE_TMP) $(VMTEST_FLAGS) -- -run '^TestKernel$$' -update
	cp $(CONFORMANCE_TMP)/*/kernel-*.txt internal/conformance/testdata/
	$(GO) test ./internal/conformance -run '^TestDoc$$' -count=1 -update

# Benchmarks (bench/README.md). `make bench` (as root, several minutes)
# runs the Go benchmarks (BENCH_COUNT runs each), measures on this host
# (bench/cmd/polbench host; BENCH_FLAGS=-quick for fewer rounds) and
# regenerates docs/BENCHMARKS.md, with the guests' figures that
# `make bench-vm` last brought back into bench/results (committed).
# POLRUN_BEFORE=BIN (a polrun built from the code before a change) is
# measured beside this polrun in the same throughput rounds.
BENCH_DIR   := .cache/bench
BENCH_COUNT ?= 10
BENCH_FLAGS ?=

.PHONY: bench bench-vm
bench:
	mkdir -p $(BENCH_DIR)
	$(GO) test -run '^$$' -bench '^Benchmark(BuildCorpus|ValidateCorpus)$$' -count $(BENCH_COUNT) ./bench ./compiler > $(BENCH_DIR)/gobench.txt
	$(GO) test -run '^$$' -bench '^BenchmarkDecodePrint$$' -benchmem -count $(BENCH_COUNT) ./loader >> $(BENCH_DIR)/gobench.txt
	$(GO) build -o $(BENCH_DIR)/ ./cmd/polrun ./bench/cmd/polbench
	$(BENCH_DIR)/polbench host $(BENCH_FLAGS) -polrun $(BENCH_DIR)/polrun $(if $(POLRUN_BEFORE),-polrun-before $(POLRUN_BEFORE)) -gobench $(BENCH_DIR)/gobench.txt \
		-profile $(BENCH_DIR)/polrun-cpu.prof -o $(BENCH_DIR)/host.json
	$(BENCH_DIR)/polbench doc -host $(BENCH_DIR)/host.json -gobench $(BENCH_DIR)/gobench.txt -guests bench/results -profile $(BENCH_DIR)/polrun-cpu.prof -o docs/BENCHMARKS.md

# Program size and verifier work on the Debian 6.1 and 6.12 guests, and the
# cost of 1, 10 and 50 policies on one kprobe (the host has no kprobes):
# the bundles are built on the host, measured by bench/vm's
# TestProgramFigures (its subtest ManyPoliciesKprobe for the kprobe) in
# each guest and brought back as artifacts into bench/results.
bench-vm:
	rm -rf bench/vm/testdata/bundles $(BENCH_DIR)/vm
	$(GO) run ./bench/cmd/polbench bundles -o bench/vm/testdata/bundles
	$(GO) run ./vmtest/cmd/vmtest -packages bench/vm/packages -artifacts $(BENCH_DIR)/vm $(if $(KERNELS),-kernels $(KERNELS)) -- -run '^TestProgramFigures$$'
	mkdir -p bench/results
	for k in $$(ls $(BENCH_DIR)/vm); do cp $(BENCH_DIR)/vm/$$k/programs.json bench/results/guest-$$k.json; done

# Every fuzz target of the module (go test -list '^Fuzz'), each for
# FUZZTIME, one after another; CI runs this. A failing input is written to
# the package's testdata/fuzz/FUZZNAME/, where it stays as a regression
# seed once the bug is fixed. For a long run of one target:
#   go test ./codegen -run '^$$' -fuzz '^FuzzBuild$$' -fuzztime 10m -fuzzminimizetime 5s -timeout 0
# (go test's default of 60s minimizing each new input leaves little time
# for fuzzing in short runs). Go before 1.27 can end a timed run with a
# bare "context deadline exceeded" when a starved worker misses the
# deadline (golang/go#75804): such a run, which wrote no failing input, is
# run once more, and fails make fuzz if it fails again. A failing input
# always fails it.
FUZZTIME ?= 20s
FUZZMINIMIZETIME ?= 5s
fuzz:
	@list=$$($(GO) test -list '^Fuzz' ./...) || { echo "$$list"; echo "make fuzz: cannot list the fuzz targets" >&2; exit 1; }; \
	out=$$(mktemp); trap 'rm -f "$$out"' EXIT; \
	echo "$$list" | awk '/^Fuzz/ { f[n++] = $$1 } /^ok/ { for (i = 0; i < n; i++) print $$2, f[i]; n = 0 }' | \
	while read pkg fn; do \
		corpus=$$($(GO) list -f '{{.Dir}}' "$$pkg")/testdata/fuzz/$$fn; \
		for try in 1 2; do \
			echo "== $$fn ($$pkg) for $(FUZZTIME)"; \
			before=$$(ls "$$corpus" 2>/dev/null | wc -l); \
			if $(GO) test "$$pkg" -run '^$$' -fuzz "^$$fn$$" -fuzztime $(FUZZTIME) -fuzzminimizetime $(FUZZMINIMIZETIME) >"$$out" 2>&1; then cat "$$out"; break; fi; \
			cat "$$out"; \
			after=$$(ls "$$corpus" 2>/dev/null | wc -l); \
			if [ $$try = 2 ] || [ "$$after" != "$$before" ] || ! grep -qx '    context deadline exceeded' "$$out"; then exit 1; fi; \
			echo "make fuzz: $$fn ended on Go's fuzzing deadline race (golang/go#75804), no failing input written: once more"; \
		done; \
	done
