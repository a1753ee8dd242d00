package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"

	"github.com/polc-dev/polc/loader"
	"github.com/polc-dev/polc/loader/dirsync"
	"github.com/polc-dev/polc/loader/metrics"
)

// runServe keeps the bundles of a directory loaded (package dirsync) and
// prints the events of loaded policies as polrun events does, until
// SIGINT or SIGTERM. It leaves the policies loaded when it stops, unless
// --unload-on-exit: a restarted polrun serve adopts them without a gap.
func runServe(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("serve", "--dir DIR", stderr)
	dir := fs.String("dir", "", "directory of bundles (NAME.bpf.o, with NAME.bpf.o.sig when --verify) to keep loaded: regular files only; of two files of one policy one loads (the highest signed version, then the first by name), the other stands by")
	root := pinRootFlag(fs)
	base := fs.String("base", "", "base object to load when no base is loaded, instead of the one built in (for development)")
	verify := verifyFlag(fs)
	allowDowngrade := allowDowngradeFlag(fs)
	maxMapMemory := maxMapMemoryFlag(fs)
	ringBufferSize := ringBufferSizeFlag(fs)
	followSymlinks := fs.Bool("follow-symlinks", false, "read bundles and signatures that are symbolic links to regular files (a ConfigMap volume is made of them); without it they are refused")
	mode := modeFlag(fs)
	nodeLabels := nodeLabelsFlag(fs)
	interval := fs.Duration("interval", dirsync.DefaultInterval, "how often to look at the directory; a new bundle is loaded within two intervals")
	unloadOnExit := fs.Bool("unload-on-exit", false, "unload the directory's policies when stopping (by default they stay in force)")
	ef := addEventFlags(fs)
	mf := addMetricsFlags(fs)
	rest, code, ok := parseFlags(fs, args)
	if !ok {
		return code
	}
	switch {
	case len(rest) > 0:
		return usageError(fs, fmt.Sprintf("unexpected argument %q: serve takes the directory as --dir DIR", rest[0]))
	case *dir == "":
		return usageError(fs, "give the directory of bundles to keep loaded: --dir DIR")
	}
	if msg := ef.problem(); msg != "" {
		return usageError(fs, msg)
	}
	// Without privileges serve could load nothing, ever: exit non-zero.
	if err := loader.CheckPrivileges("polrun serve"); err != nil {
		return fail(stderr, err)
	}
	// The loadFlags without --replace: serve always replaces.
	o, err := loadFlags{root: root, replace: new(bool), base: base, allowDowngrade: allowDowngrade, mode: mode, maxMapMemory: maxMapMemory, ringBufferSize: ringBufferSize, nodeLabels: nodeLabels}.options()
	if err != nil {
		return optionsError(fs, stderr, err)
	}
	// Attachments a kernel before 5.15 cannot pin stay while serve runs.
	o.Hold = loader.NewHolder()
	defer o.Hold.Close()
	trusted, err := trustedKeys(*verify)
	if err != nil {
		return fail(stderr, err)
	}
	if st, err := os.Stat(*dir); err != nil || !st.IsDir() {
		return fail(stderr, fmt.Errorf("--dir %s: not a directory (%v)", *dir, err))
	}
	ctx, cancel := signalContext(*ef.duration)
	defer cancel()
	m, stopMetrics, err := mf.start(o.PinRoot, stderr)
	defer stopMetrics()
	if err != nil {
		return fail(stderr, err)
	}
	stopExport, err := ef.startExport(stdout, stderr, m)
	defer stopExport()
	if err != nil {
		return fail(stderr, err)
	}

	var logMu sync.Mutex
	logf := func(format string, args ...any) {
		logMu.Lock()
		fmt.Fprintf(stderr, "polrun serve: %s\n", termMessage(fmt.Sprintf(format, args...)))
		logMu.Unlock()
	}
	syncer, err := dirsync.New(dirsync.Options{Dir: *dir, Loader: *o, Trusted: trusted, FollowSymlinks: *followSymlinks, Interval: *interval,
		Report: func(c dirsync.Change) {
			m.Bundle(c.File)
			switch c.Kind {
			case dirsync.Failed:
				m.LoadFailed(c.File)
				logf("failed: %v", c)
				return
			case dirsync.NotThisNode:
				logf("not for this node: %v", c)
				return
			case dirsync.Loaded, dirsync.Replaced:
				m.Loaded(c.Policy)
				for _, w := range c.Result.Warnings {
					defer logf("  warning: %s", w)
				}
			}
			logf("%v", c)
		}})
	if err != nil {
		return fail(stderr, err)
	}
	// Readiness: the files that fail now, as of the syncer's last pass.
	m.SetBundleFailures(func() []metrics.BundleFailure {
		var out []metrics.BundleFailure
		for _, f := range syncer.Failing() {
			out = append(out, metrics.BundleFailure{File: f.File, Policy: f.Policy, Reason: f.Err.Error()})
		}
		return out
	})
	abs, _ := filepath.Abs(*dir)
	logf("watching %s every %v (pins under %s)", abs, *interval, o.PinRoot)
	syncDone := make(chan error, 1)
	go func() { syncDone <- syncer.Run(ctx) }()

	streamErr := serveEvents(ctx, o.PinRoot, ef, stdout, stderr, m, logf)
	cancel()
	err = <-syncDone
	names := syncer.Policies()
	if *unloadOnExit {
		if uerr := syncer.UnloadAll(); uerr != nil {
			err = errors.Join(err, fmt.Errorf("unload: %w", uerr))
		} else {
			logf("unloaded %v", names)
		}
	} else if len(names) > 0 {
		logf("leaving %v loaded", names)
	}
	if err = errors.Join(streamErr, err); err != nil {
		return fail(stderr, err)
	}
	return exitOK
}

// serveEvents prints events until ctx is done, as the pin root's reader
// (opening the stream when there is a base to read, after the first load,
// and again if reading fails) or as a client of the reader (taking over
// when it stops). Only a failure to write ends it early.
func serveEvents(ctx context.Context, root string, ef eventFlags, stdout, stderr io.Writer, m *metrics.Metrics, logf func(string, ...any)) error {
	return readEvents(ctx, root, ef, readerMode{command: "polrun serve", waitForBase: true, logf: logf}, stdout, stderr, m)
}
