package export

import (
	"bufio"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"
)

// FileOptions say where and how to write an export file.
type FileOptions struct {
	Path string
	// MaxSize is the size in bytes a file grows to before it is
	// rotated (a line longer than that gets a file of its own).
	MaxSize int64
	// MaxBackups is how many rotated files are kept, the newest; 0
	// keeps none.
	MaxBackups int
	// Compress gzips rotated files (NAME-TIME.EXT.gz).
	Compress bool
	// FlushEvery bounds how long a written line may wait in the buffer.
	// Default: one second.
	FlushEvery time.Duration
}

// File is an export file rotated by size: when the next line would take
// it past MaxSize, it is renamed to NAME-TIME.EXT (TIME the UTC time of
// the rotation, so that names sort by age), gzipped when Compress, and
// the oldest rotated files beyond MaxBackups are removed. Lines are
// buffered and written whole: a file ends at the end of a line.
type File struct {
	o         FileOptions
	f         *os.File
	w         *bufio.Writer
	size      int64
	lastFlush time.Time
	lastName  string // the last rotated name, to keep names distinct

	// The compressor runs in the background, so that the writer does
	// not wait for gzip; it also prunes old backups.
	work    chan string
	done    chan struct{}
	errMu   sync.Mutex
	bgErr   error
	closed  bool
	rotated uint64
}

// OpenFile opens (appending to) or creates the export file, making its
// directory if needed.
func OpenFile(o FileOptions) (*File, error) {
	if o.MaxSize <= 0 {
		return nil, fmt.Errorf("export file %s: maximum size must be positive", o.Path)
	}
	if o.MaxBackups < 0 {
		return nil, fmt.Errorf("export file %s: maximum backups must not be negative", o.Path)
	}
	if o.FlushEvery <= 0 {
		o.FlushEvery = time.Second
	}
	if err := os.MkdirAll(filepath.Dir(o.Path), 0o755); err != nil {
		return nil, fmt.Errorf("export file: %w", err)
	}
	x := &File{o: o, work: make(chan string, 64), done: make(chan struct{})}
	if err := x.open(); err != nil {
		return nil, err
	}
	go x.background()
	return x, nil
}

func (x *File) open() error {
	f, err := os.OpenFile(x.o.Path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o640)
	if err != nil {
		return fmt.Errorf("export file: %w", err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return fmt.Errorf("export file: %w", err)
	}
	if !st.Mode().IsRegular() {
		f.Close()
		return fmt.Errorf("export file %s: not a regular file", x.o.Path)
	}
	x.f, x.size, x.lastFlush = f, st.Size(), time.Now()
	if x.w == nil {
		x.w = bufio.NewWriterSize(f, 256<<10)
	} else {
		x.w.Reset(f)
	}
	return nil
}

// WriteLine writes line and a newline, rotating the file first if they
// would take it past MaxSize.
func (x *File) WriteLine(line []byte) error {
	if err := x.backgroundErr(); err != nil {
		return err
	}
	n := int64(len(line)) + 1
	if x.size > 0 && x.size+n > x.o.MaxSize {
		if err := x.rotate(); err != nil {
			return err
		}
	}
	x.w.Write(line)
	if err := x.w.WriteByte('\n'); err != nil {
		return fmt.Errorf("export file: %w", err)
	}
	x.size += n
	if time.Since(x.lastFlush) >= x.o.FlushEvery {
		return x.Flush()
	}
	return nil
}

// Flush writes the buffered lines to the file.
func (x *File) Flush() error {
	x.lastFlush = time.Now()
	if err := x.w.Flush(); err != nil {
		return fmt.Errorf("export file: %w", err)
	}
	return nil
}

// Rotations is how many times the file was rotated.
func (x *File) Rotations() uint64 { return x.rotated }

// backupPrefix and backupExt split the file's name around the time of a
// rotated file: events.json -> events- TIME .json.
func (x *File) backupParts() (dir, prefix, ext string) {
	dir, name := filepath.Split(x.o.Path)
	ext = filepath.Ext(name)
	return dir, strings.TrimSuffix(name, ext) + "-", ext
}

const backupTime = "2006-01-02T15-04-05.000000000"

func (x *File) rotate() error {
	if err := x.Flush(); err != nil {
		return err
	}
	if err := x.f.Close(); err != nil {
		return fmt.Errorf("export file: %w", err)
	}
	dir, prefix, ext := x.backupParts()
	t := time.Now().UTC()
	name := filepath.Join(dir, prefix+t.Format(backupTime)+ext)
	for name <= x.lastName { // the clock went back, or did not move
		t = t.Add(time.Nanosecond)
		name = filepath.Join(dir, prefix+t.Format(backupTime)+ext)
	}
	x.lastName = name
	if err := os.Rename(x.o.Path, name); err != nil {
		return fmt.Errorf("export file: rotate: %w", err)
	}
	x.rotated++
	if err := x.open(); err != nil {
		return err
	}
	x.work <- name
	return nil
}

// background gzips rotated files (when Compress) and removes the oldest
// beyond MaxBackups, in rotation order.
func (x *File) background() {
	defer close(x.done)
	for name := range x.work {
		if x.o.Compress {
			// A file already pruned (rotations outran the compressor
			// and it is among the oldest) needs no compressing.
			if err := gzipFile(name); err != nil && !errors.Is(err, os.ErrNotExist) {
				x.setErr(err)
			}
		}
		if err := x.prune(); err != nil {
			x.setErr(err)
		}
	}
}

func (x *File) setErr(err error) {
	x.errMu.Lock()
	if x.bgErr == nil {
		x.bgErr = err
	}
	x.errMu.Unlock()
}

func (x *File) backgroundErr() error {
	x.errMu.Lock()
	defer x.errMu.Unlock()
	return x.bgErr
}

// gzipFile replaces name by name.gz.
func gzipFile(name string) error {
	in, err := os.Open(name)
	if err != nil {
		return fmt.Errorf("export file: compress: %w", err)
	}
	defer in.Close()
	tmp := name + ".gz.tmp"
	out, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o640)
	if err != nil {
		return fmt.Errorf("export file: compress: %w", err)
	}
	zw := gzip.NewWriter(out)
	_, err = io.Copy(zw, in)
	err = errors.Join(err, zw.Close(), out.Close())
	if err == nil {
		err = os.Rename(tmp, name+".gz")
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("export file: compress %s: %w", name, err)
	}
	return os.Remove(name)
}

// Backups lists the rotated files, oldest first.
func (x *File) Backups() ([]string, error) {
	dir, prefix, ext := x.backupParts()
	if dir == "" {
		dir = "."
	}
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range ents {
		n := e.Name()
		rest, ok := strings.CutPrefix(n, prefix)
		if !ok || !e.Type().IsRegular() {
			continue
		}
		rest = strings.TrimSuffix(rest, ".gz")
		stamp, ok := strings.CutSuffix(rest, ext)
		if !ok {
			continue
		}
		if _, err := time.Parse(backupTime, stamp); err != nil {
			continue
		}
		out = append(out, filepath.Join(dir, n))
	}
	// The time sorts by name; a file and its .gz are one backup (the
	// .gz is being made), counted once.
	sort.Strings(out)
	return out, nil
}

func (x *File) prune() error {
	backups, err := x.Backups()
	if err != nil {
		return fmt.Errorf("export file: %w", err)
	}
	// One backup per rotation time: NAME and NAME.gz are one.
	var keys []string
	files := map[string][]string{}
	for _, b := range backups {
		k := strings.TrimSuffix(b, ".gz")
		if _, ok := files[k]; !ok {
			keys = append(keys, k)
		}
		files[k] = append(files[k], b)
	}
	sort.Strings(keys)
	for len(keys) > x.o.MaxBackups {
		for _, f := range files[keys[0]] {
			if err := os.Remove(f); err != nil && !errors.Is(err, os.ErrNotExist) {
				return fmt.Errorf("export file: %w", err)
			}
		}
		keys = keys[1:]
	}
	return nil
}

// Close flushes the file, waits for the background compression and
// pruning, and closes it.
func (x *File) Close() error {
	if x.closed {
		return nil
	}
	x.closed = true
	err := x.Flush()
	close(x.work)
	<-x.done
	return errors.Join(err, x.f.Close(), x.backgroundErr())
}
