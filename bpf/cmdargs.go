package bpf

import "bytes"

// CmdArgsMap holds the command-line arguments of each process, for
// matchCmdArgs: a hash from the tgid (uint32) to CmdArgs, not
// preallocated, sized like ProcsMap (the loader sizes both for the host).
// The base programs maintain it beside the process table: exec writes the
// new program's arguments, fork copies the parent's entry to the child,
// exit deletes the entry; polrun seeds it from /proc/PID/cmdline when it
// loads the base. Only bundles with matchCmdArgs tests declare it; like
// DropsMap it is optional in a loaded base, and a bundle that declares it
// is refused by a base without it (the base must be reloaded first).
const CmdArgsMap = "polc_cmdargs"

// CmdArgsMax is the room for a process's arguments: Tetragon caches the
// first 256 bytes (MAXARGLENGTH) of them at exec for matchCmdArgs.
const CmdArgsMax = 256

// CmdArgsIndexMax is the most arguments a matchCmdArgs index reaches:
// Tetragon's filter walks at most 32 (CMD_ARGS_MAX) strings, and an index
// of 32 or more never matches.
const CmdArgsIndexMax = 32

// CmdArgs flags.
const (
	CmdArgsTruncated = 1 << 0 // the arguments were longer than CmdArgsMax: the last one kept is cut
	CmdArgsFault     = 1 << 1 // the argument area could not be read (Len is 0)
)

// CmdArgs is the value of CmdArgsMap: the arguments after argv[0] (the
// binary), as the kernel keeps them in the process's argument area
// (mm->arg_start..arg_end, argv[1], argv[2], ... each NUL-terminated),
// the first Len bytes of them. The last string may lack its NUL when the
// area was cut (CmdArgsTruncated): it ends at Len. The bytes of Args after
// Len are undefined (the exec program leaves what its reads left there).
//
//	offset size field
//	0      4    Len    bytes of Args
//	4      4    Flags  CmdArgs* flags
//	8      256  Args
type CmdArgs struct {
	Len   uint32
	Flags uint32
	Args  [CmdArgsMax]byte
}

// CmdArgsSize is the size of CmdArgs in the map.
const CmdArgsSize = 8 + CmdArgsMax

// Offsets of CmdArgs's fields.
const (
	CmdArgsLenOff   = 0
	CmdArgsFlagsOff = 4
	CmdArgsArgsOff  = 8
)

// NewCmdArgs is the CmdArgs of a process whose argument area (argv[0]
// first, each string NUL-terminated, as /proc/PID/cmdline reads) is area:
// what the base's exec program stores, and polrun seeds from procfs.
func NewCmdArgs(area []byte) CmdArgs {
	var c CmdArgs
	i := bytes.IndexByte(area, 0)
	if i < 0 {
		return c // argv[0] only, unterminated: no arguments
	}
	rest := area[i+1:]
	if len(rest) > CmdArgsMax {
		rest = rest[:CmdArgsMax]
		c.Flags |= CmdArgsTruncated
	}
	c.Len = uint32(copy(c.Args[:], rest))
	return c
}

// Arg returns the argument at index (0 is the first after argv[0]) of c,
// as a filter sees it: the string up to its NUL or the end of Args's Len
// bytes, and whether there is one. Like Tetragon's walk it looks at most
// CmdArgsIndexMax strings.
func (c *CmdArgs) Arg(index int) ([]byte, bool) {
	if index < 0 || index >= CmdArgsIndexMax {
		return nil, false
	}
	n := min(int(c.Len), CmdArgsMax)
	b := c.Args[:n]
	for i := 0; ; i++ {
		if len(b) == 0 {
			return nil, false
		}
		end := bytes.IndexByte(b, 0)
		s := b
		if end >= 0 {
			s = b[:end]
			b = b[end+1:]
		} else {
			b = nil
		}
		if i == index {
			return s, true
		}
	}
}
