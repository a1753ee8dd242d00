// Package bundle works on polc bundles as files, without loading them:
// it describes what a bundle holds ([Inspect]) and signs and verifies
// bundles ([Sign], [Verify], [ReadSigned]). It imports the bpf contract
// and cilium/ebpf's ELF reader, never the compiler or the loader, so that
// both polc and polrun link it.
//
// # Signatures
//
// A bundle NAME.bpf.o is signed with ed25519 over its bytes, exactly as
// they are on disk (pure Ed25519, no pre-hash), and the signature is
// written next to it as NAME.bpf.o.sig ([SignatureFile]): a PEM block of
// type "POLC BUNDLE SIGNATURE" whose body is the 64-byte signature and
// whose headers name the algorithm, the signing key's id and the sha256
// of the bytes signed (the last only to explain a failure; it is not
// trusted). Because the signature covers the raw bytes, it can also be
// checked without polc:
//
//	sed '1,/^$/d;$d' NAME.bpf.o.sig | base64 -d > sig.bin
//	openssl pkeyutl -verify -pubin -inkey KEY.pub -rawin -in NAME.bpf.o -sigfile sig.bin
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
// its signature was changed after signing or another key signed it; the
// error says which. [ErrKeyFile]: a key file is not one polc reads.
package bundle
