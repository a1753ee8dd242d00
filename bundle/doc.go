// Package bundle works on polc bundles as files, without loading them:
// it describes what a bundle holds ([Inspect]) and signs and verifies
// bundles ([Sign], [Verify], [ReadSigned]). It imports the bpf contract
// and cilium/ebpf's ELF reader, never the compiler or the loader, so that
// both polc and polrun link it.
//
// # Signatures
//
// A bundle NAME.bpf.o is signed with ed25519 (pure Ed25519, no pre-hash)
// and the signature is written next to it as NAME.bpf.o.sig
// ([SignatureFile]): one PEM block of type "POLC BUNDLE SIGNATURE" whose
// body is the 64-byte signature, with nothing but white space around it,
// at most [MaxSignatureSize] bytes. What is signed is an envelope
// ([Envelope]) bound to the bundle's sha256, this text exactly:
//
//	polc-bundle-signature-v2
//	policy: NAME
//	version: N
//	expires: 2027-01-01T00:00:00Z   (RFC 3339, UTC; "never" without one)
//	bundle-sha256: HEX
//
// so that a signature holds for one policy name (a signed bundle renamed
// to stand in for another policy's file is refused: [ErrPolicyMismatch]),
// one release (polrun refuses to replace a loaded policy with a lower
// version, see loader.Options.AllowDowngrade) and until its expiry
// ([ErrExpired]). The headers carry the same values (Envelope, Policy,
// Version, Expires) and the signing key's id and the bundle's sha256 (the
// last only to explain a failure; the verifier hashes the bytes itself).
// The bundle's bytes are not changed by signing: a build is reproducible,
// and so is its signature for a given key, bundle and envelope. The
// signature can be checked without polc:
//
//	sed '1,/^$/d;$d' NAME.bpf.o.sig | base64 -d > sig.bin
//	printf 'polc-bundle-signature-v2\npolicy: %s\nversion: %s\nexpires: %s\nbundle-sha256: %s\n' \
//	    NAME N never "$(sha256sum < NAME.bpf.o | cut -d' ' -f1)" > msg
//	openssl pkeyutl -verify -pubin -inkey KEY.pub -rawin -in msg -sigfile sig.bin
//
// Signatures of the first format (before the envelope: the bundle's
// bytes alone, no Envelope header) are refused with
// [ErrLegacySignature]: they cannot say which release they are, so
// accepting them would keep every old bundle replayable. Sign such
// bundles again.
//
// Files are read with [ReadFile]: a regular file of bounded size only,
// never a FIFO or device (a signature file linked to /dev/zero is refused
// before a byte is read), opened without blocking.
//
// Key files are PEM as crypto/x509 and openssl write them: the private
// key a "PRIVATE KEY" block (PKCS#8, unencrypted), the public key a
// "PUBLIC KEY" block (PKIX). A public key file may hold several keys; a
// bundle verifies when one of them signed it. A key's id ([KeyID]) is
// "sha256:" and the hex sha256 of its PKIX DER encoding, what
//
//	openssl pkey -pubin -in KEY.pub -outform DER | sha256sum
//
// prints. openssl genpkey -algorithm ed25519 makes keys polc reads.
//
// # Errors
//
// [ErrUnsigned]: the bundle has no signature file. [ErrSignature]: the
// signature does not verify with any trusted key, because the bundle or
// its signature was changed after signing or another key signed it, or
// it is of the old format, for another policy or expired; the error says
// which (and wraps [ErrLegacySignature], [ErrPolicyMismatch] or
// [ErrExpired] for the last three). [ErrKeyFile]: a key file is not one
// polc reads. [ErrFileType], [ErrSymlink], [ErrTooLarge]: a file is not
// a regular file, is a link where none is followed, or is too large.
package bundle
