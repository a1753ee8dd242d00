package bundle

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"syscall"
)

var (
	// ErrFileType: a path that should be a regular file is a FIFO, a
	// device, a directory or a socket.
	ErrFileType = errors.New("not a regular file")
	// ErrSymlink: a path is a symbolic link and the reader was told not
	// to follow links.
	ErrSymlink = errors.New("is a symbolic link")
	// ErrTooLarge: a file is larger than its reader accepts.
	ErrTooLarge = errors.New("file too large")
)

// MaxSignatureSize bounds a signature file: one PEM block of a 64-byte
// signature and a few headers takes a few hundred bytes.
const MaxSignatureSize = 64 << 10

// ReadFileOptions say how ReadFile treats what it finds at a path.
type ReadFileOptions struct {
	// Max is the largest size accepted, in bytes.
	Max int64
	// NoFollow refuses a symbolic link (ErrSymlink) instead of reading
	// the file it points to.
	NoFollow bool
}

// ReadFile reads a regular file of at most o.Max bytes, and nothing else:
// a FIFO, a device (a link to /dev/zero), a socket or a directory is an
// ErrFileType error, a larger file an ErrTooLarge error, both before any
// byte is read. It never blocks on a FIFO: the file is opened O_NONBLOCK
// and checked on the opened descriptor (so a file swapped between the
// check and the open is checked too), and the read stops at o.Max+1 bytes
// whatever the size said. Errors name the path.
func ReadFile(path string, o ReadFileOptions) ([]byte, error) {
	flags := os.O_RDONLY | syscall.O_NONBLOCK | syscall.O_CLOEXEC
	if o.NoFollow {
		flags |= syscall.O_NOFOLLOW
	}
	// Stat first: opening a device can have effects of its own.
	stat := os.Stat
	if o.NoFollow {
		stat = os.Lstat
	}
	fi, err := stat(path)
	if err != nil {
		return nil, err
	}
	if err := checkRegular(path, fi, o); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, flags, 0)
	if err != nil {
		if o.NoFollow && errors.Is(err, syscall.ELOOP) {
			return nil, fmt.Errorf("%s: %w", path, ErrSymlink)
		}
		return nil, err
	}
	defer f.Close()
	fi, err = f.Stat()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if err := checkRegular(path, fi, o); err != nil {
		return nil, err
	}
	// A regular file does not block reads, but the flag would still make
	// a read return EAGAIN on some filesystems: clear it.
	if err := syscall.SetNonblock(int(f.Fd()), false); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	data, err := io.ReadAll(io.LimitReader(f, o.Max+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if int64(len(data)) > o.Max {
		return nil, fmt.Errorf("%s: %w: more than %d bytes", path, ErrTooLarge, o.Max)
	}
	return data, nil
}

// checkRegular refuses what is not a regular file of at most o.Max bytes.
func checkRegular(path string, fi fs.FileInfo, o ReadFileOptions) error {
	mode := fi.Mode()
	if mode&fs.ModeSymlink != 0 {
		return fmt.Errorf("%s: %w", path, ErrSymlink)
	}
	if !mode.IsRegular() {
		return fmt.Errorf("%s: %w (%s)", path, ErrFileType, fileType(mode))
	}
	if fi.Size() > o.Max {
		return fmt.Errorf("%s: %w: %d bytes, at most %d are read", path, ErrTooLarge, fi.Size(), o.Max)
	}
	return nil
}

// fileType names a file's type in an error.
func fileType(mode fs.FileMode) string {
	switch {
	case mode.IsDir():
		return "a directory"
	case mode&fs.ModeNamedPipe != 0:
		return "a FIFO"
	case mode&fs.ModeCharDevice != 0:
		return "a character device"
	case mode&fs.ModeDevice != 0:
		return "a block device"
	case mode&fs.ModeSocket != 0:
		return "a socket"
	}
	return "mode " + mode.Type().String()
}
