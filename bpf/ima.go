package bpf

import (
	"encoding/binary"
	"encoding/hex"
	"math"
)

// IMA hashes (contract between codegen and the loader).
//
// A Post action with imaHash on an LSM hook whose first argument is a
// file or a linux_binprm reports the file's hash as IMA computes it
// (bpf_ima_file_hash), as Tetragon's process_lsm ima_hash does. The
// helper may sleep, so only a sleepable LSM program can call it: the
// hook's program (which cannot sleep) matches, and when a Post asks for
// the hash it saves its record in ImaMap under the thread's pid_tgid
// instead of posting it, with the value it would have returned (an
// Override) in the record's ImaHash slot, and returns 0 so that the next
// program on the hook runs. That one, sleepable and attached to the
// same hook before it (the kernel runs the programs of a hook from the
// last attached to the first), finds the record, hashes the file into
// the slot, posts the record, deletes it and returns the saved value. A
// hook whose manifest has ImaHash ends its records with an ImaHash slot.
const (
	ImaMap        = "polc_ima"
	ImaMaxEntries = 256 // records waiting for their hash: threads inside the hook at once
	ImaDigestSize = 64  // the largest digest (SHA-512)
	ImaHashSize   = 8 + ImaDigestSize
)

// The slot's Algo before the sleepable program writes the helper's
// result: not asked (no Post with imaHash matched), or asked (the hook's
// program saved the record). The helper returns an enum hash_algo (≥ 0)
// or -errno.
const (
	ImaNone    int32 = math.MinInt32
	ImaPending int32 = math.MinInt32 + 1
)

// ImaHash is the last slot of a record of a hook with ImaHash: the
// helper's result, the return value the hook's program deferred (not
// for polrun), and the digest.
type ImaHash struct {
	Algo   int32
	Ret    int32
	Digest [ImaDigestSize]byte
}

// Offsets of ImaHash's fields from the start of the slot.
const (
	ImaAlgoOff   = 0 // Algo
	ImaRetOff    = 4 // Ret
	ImaDigestOff = 8 // Digest
)

// ParseImaHash reads the ImaHash at the end of a record.
func ParseImaHash(rec []byte) (ImaHash, bool) {
	if len(rec) < HeaderSize+ImaHashSize {
		return ImaHash{}, false
	}
	b := rec[len(rec)-ImaHashSize:]
	h := ImaHash{Algo: int32(binary.LittleEndian.Uint32(b)), Ret: int32(binary.LittleEndian.Uint32(b[4:]))}
	copy(h.Digest[:], b[8:])
	return h, true
}

// imaAlgos are the kernel's enum hash_algo values Tetragon names, with
// their digest sizes.
var imaAlgos = map[int32]struct {
	name string
	size int
}{
	1: {"md5", 16}, 2: {"sha1", 20}, 4: {"sha256", 32}, 6: {"sha512", 64}, 13: {"wp512", 64}, 17: {"sm3", 32},
}

// String is the hash as Tetragon's ima_hash writes it, ALGO:HEX, or ""
// when there is none (not asked, the helper failed, or an algorithm
// Tetragon does not name).
func (h ImaHash) String() string {
	a, ok := imaAlgos[h.Algo]
	if !ok {
		return ""
	}
	return a.name + ":" + hex.EncodeToString(h.Digest[:a.size])
}
