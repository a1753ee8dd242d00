package vmtest

import (
	"compress/gzip"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// Initramfs writes a gzip-compressed cpio archive in the "newc" format the
// kernel unpacks into its root filesystem (Documentation/driver-api/
// early-userspace/buffer-format.rst). Parent directories are created on
// demand; everything is owned by root with mtime 0, so the same inputs give
// the same bytes.
type Initramfs struct {
	gz   *gzip.Writer
	ino  uint32
	dirs map[string]bool
	err  error
}

// NewInitramfs starts an archive written to w.
func NewInitramfs(w io.Writer) *Initramfs {
	return &Initramfs{gz: gzip.NewWriter(w), ino: 1, dirs: map[string]bool{"/": true}}
}

// Dir adds a directory and its missing parents.
func (a *Initramfs) Dir(name string) error {
	name = path.Clean("/" + name)
	if a.dirs[name] {
		return a.err
	}
	if err := a.Dir(path.Dir(name)); err != nil {
		return err
	}
	a.dirs[name] = true
	return a.entry(name, 0o040755, 0, 0, nil, 0)
}

// File adds a regular file with the content of r, which is size bytes.
func (a *Initramfs) File(name string, perm fs.FileMode, r io.Reader, size int64) error {
	name = path.Clean("/" + name)
	if err := a.Dir(path.Dir(name)); err != nil {
		return err
	}
	return a.entry(name, 0o100000|uint32(perm.Perm()), 0, 0, r, size)
}

// CopyFile adds the host file src as name, keeping its permissions.
func (a *Initramfs) CopyFile(name, src string) error {
	f, err := os.Open(src)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	return a.File(name, st.Mode(), f, st.Size())
}

// Symlink adds a symbolic link name pointing at target.
func (a *Initramfs) Symlink(name, target string) error {
	name = path.Clean("/" + name)
	if err := a.Dir(path.Dir(name)); err != nil {
		return err
	}
	return a.entry(name, 0o120777, 0, 0, strings.NewReader(target), int64(len(target)))
}

// CharDev adds a character device node.
func (a *Initramfs) CharDev(name string, major, minor uint32) error {
	name = path.Clean("/" + name)
	if err := a.Dir(path.Dir(name)); err != nil {
		return err
	}
	return a.entry(name, 0o020600, major, minor, nil, 0)
}

// CopyTree adds the host directory tree src as dst: directories, regular
// files and symbolic links.
func (a *Initramfs) CopyTree(dst, src string) error {
	return filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		name := path.Join(dst, filepath.ToSlash(rel))
		switch {
		case d.IsDir():
			return a.Dir(name)
		case d.Type()&fs.ModeSymlink != 0:
			target, err := os.Readlink(p)
			if err != nil {
				return err
			}
			return a.Symlink(name, target)
		case d.Type().IsRegular():
			return a.CopyFile(name, p)
		default:
			return fmt.Errorf("%s: cannot pack a %s", p, d.Type())
		}
	})
}

// Close writes the trailer and flushes the compressor.
func (a *Initramfs) Close() error {
	if err := a.entry("TRAILER!!!", 0, 0, 0, nil, 0); err != nil {
		return err
	}
	return a.gz.Close()
}

// entry writes one newc header, the name and the data, each padded to four
// bytes. Names are stored without the leading slash, as cpio tools do.
func (a *Initramfs) entry(name string, mode, rdevMajor, rdevMinor uint32, data io.Reader, size int64) error {
	if a.err != nil {
		return a.err
	}
	if size > 0xffffffff {
		a.err = fmt.Errorf("initramfs: %s: %d bytes is too large for cpio", name, size)
		return a.err
	}
	name = strings.TrimPrefix(name, "/")
	nlink := uint32(1)
	if mode&0o170000 == 0o040000 {
		nlink = 2
	}
	ino := a.ino
	a.ino++
	hdr := fmt.Sprintf("070701%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x",
		ino, mode, 0, 0, nlink, 0, uint32(size), 0, 0, rdevMajor, rdevMinor, len(name)+1, 0)
	buf := append([]byte(hdr), name...)
	buf = append(buf, 0)
	buf = append(buf, make([]byte, pad4(len(buf)))...)
	if _, err := a.gz.Write(buf); err != nil {
		a.err = fmt.Errorf("initramfs: %w", err)
		return a.err
	}
	if size > 0 {
		n, err := io.CopyN(a.gz, data, size)
		if err == nil {
			_, err = a.gz.Write(make([]byte, pad4(int(n))))
		}
		if err != nil {
			a.err = fmt.Errorf("initramfs: %s: %w", name, err)
			return a.err
		}
	}
	return nil
}

// pad4 is how many bytes bring n to a multiple of four.
func pad4(n int) int { return (4 - n%4) % 4 }
