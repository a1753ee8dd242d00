package loader

import (
	"bytes"
	"encoding/binary"
	"errors"
	"os"

	"github.com/polc-dev/polc/arch"
	"github.com/polc-dev/polc/internal/testenv"
)

// x86_64: the machine code of writeSetELF runs here (the CI hosts and the
// vmtest guests are x86_64).
var x86_64 = testenv.Requirement{Name: "an x86_64 machine", OnCIHost: true, Check: func() error {
	if arch.Host() != arch.X86_64 {
		return errors.New("this is " + string(arch.Host()))
	}
	return nil
}}

// writeSetELF writes a static x86_64 executable with one USDT probe,
// polc:set, at two places, for machines without a C compiler (the vmtest
// guests): see writeTestELF.
func writeSetELF(path string) error { return writeTestELF(path, nil) }

// writeTestELF writes a static x86_64 executable with one USDT probe,
// polc:set, at two places, and, when buildID is not nil, a GNU build ID
// note. It exits with the int at 12(%rsp), 0 unless something writes it
// at the probe; the probe's arguments are that int and, at the first
// place, %edi, which holds 3, at the second the constant 5:
//
//	sub  $0x18, %rsp
//	movl $0, 12(%rsp)
//	mov  $3, %edi
//	nop                      # polc:set: -4@12(%rsp) -4@%edi
//	nop                      # polc:set: -4@12(%rsp) -4@$5
//	mov  12(%rsp), %edi
//	mov  $60, %eax           # exit
//	syscall
//
// One PT_LOAD segment maps the whole file at 0x400000; the sections are
// the code, .stapsdt.base (a byte the note's addresses are relative to),
// the notes and the section names.
func writeTestELF(path string, buildID []byte) error {
	const vaddr = 0x400000
	code := []byte{
		0x48, 0x83, 0xec, 0x18,
		0xc7, 0x44, 0x24, 0x0c, 0, 0, 0, 0,
		0xbf, 3, 0, 0, 0,
		0x90,
		0x90,
		0x8b, 0x7c, 0x24, 0x0c,
		0xb8, 60, 0, 0, 0,
		0x0f, 0x05,
	}
	const nopAt = 17
	const codeOff = 0x80
	baseOff := codeOff + len(code)
	le := binary.LittleEndian
	note := func(name string, typ uint32, desc []byte) []byte {
		var b bytes.Buffer
		binary.Write(&b, le, []uint32{uint32(len(name) + 1), uint32(len(desc)), typ})
		b.WriteString(name + "\x00")
		for b.Len()%4 != 0 {
			b.WriteByte(0)
		}
		b.Write(desc)
		for b.Len()%4 != 0 {
			b.WriteByte(0)
		}
		return b.Bytes()
	}
	place := func(pc int, args string) []byte {
		var desc bytes.Buffer
		binary.Write(&desc, le, uint64(vaddr+codeOff+pc)) // pc
		binary.Write(&desc, le, uint64(vaddr+baseOff))    // .stapsdt.base
		binary.Write(&desc, le, uint64(0))                // no semaphore
		desc.WriteString("polc\x00set\x00" + args + "\x00")
		return note("stapsdt", 3, desc.Bytes())
	}
	sdt := append(place(nopAt, "-4@12(%rsp) -4@%edi"), place(nopAt+1, "-4@12(%rsp) -4@$5")...)
	noteOff := (baseOff + 1 + 7) &^ 7
	idOff := noteOff + len(sdt)
	var idNote []byte
	if buildID != nil {
		idNote = note("GNU", 3, buildID)
	}
	shstr := "\x00.text\x00.stapsdt.base\x00.note.stapsdt\x00.shstrtab\x00.note.gnu.build-id\x00"
	strOff := idOff + len(idNote)
	nsec := 5
	if buildID != nil {
		nsec = 6
	}
	shOff := (strOff + len(shstr) + 7) &^ 7
	size := shOff + nsec*64

	out := make([]byte, size)
	// ELF header.
	copy(out, []byte{0x7f, 'E', 'L', 'F', 2, 1, 1})
	le.PutUint16(out[16:], 2)    // ET_EXEC
	le.PutUint16(out[18:], 0x3e) // EM_X86_64
	le.PutUint32(out[20:], 1)
	le.PutUint64(out[24:], vaddr+codeOff) // entry
	le.PutUint64(out[32:], 64)            // program headers
	le.PutUint64(out[40:], uint64(shOff)) // section headers
	le.PutUint16(out[52:], 64)
	le.PutUint16(out[54:], 56)
	le.PutUint16(out[56:], 1)
	le.PutUint16(out[58:], 64)
	le.PutUint16(out[60:], uint16(nsec))
	le.PutUint16(out[62:], 4) // .shstrtab
	// PT_LOAD, R+X, the whole file.
	ph := out[64:]
	le.PutUint32(ph[0:], 1)
	le.PutUint32(ph[4:], 5)
	le.PutUint64(ph[16:], vaddr)
	le.PutUint64(ph[24:], vaddr)
	le.PutUint64(ph[32:], uint64(size))
	le.PutUint64(ph[40:], uint64(size))
	le.PutUint64(ph[48:], 0x1000)
	copy(out[codeOff:], code)
	copy(out[noteOff:], sdt)
	copy(out[idOff:], idNote)
	copy(out[strOff:], shstr)
	// Sections: null, .text, .stapsdt.base, .note.stapsdt, .shstrtab,
	// .note.gnu.build-id.
	section := func(i int, name uint32, typ uint32, flags uint64, addr uint64, off, sz int) {
		sh := out[shOff+64*i:]
		le.PutUint32(sh[0:], name)
		le.PutUint32(sh[4:], typ)
		le.PutUint64(sh[8:], flags)
		le.PutUint64(sh[16:], addr)
		le.PutUint64(sh[24:], uint64(off))
		le.PutUint64(sh[32:], uint64(sz))
		le.PutUint64(sh[48:], 1)
	}
	const alloc, exec = 2, 4
	section(1, 1, 1, alloc|exec, vaddr+codeOff, codeOff, len(code))
	section(2, 7, 1, alloc, uint64(vaddr+baseOff), baseOff, 1)
	section(3, 21, 7, 0, 0, noteOff, len(sdt))
	section(4, 35, 3, 0, 0, strOff, len(shstr))
	if buildID != nil {
		section(5, 45, 7, alloc, uint64(vaddr+idOff), idOff, len(idNote))
	}
	return os.WriteFile(path, out, 0o755)
}
