package bundle

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/polc-dev/polc/bpf"
)

var (
	// ErrUnsigned: the bundle has no signature file.
	ErrUnsigned = errors.New("bundle is not signed")
	// ErrSignature: the signature does not verify with any trusted key.
	ErrSignature = errors.New("bundle signature does not verify")
	// ErrKeyFile: a key file is not a PEM key polc reads.
	ErrKeyFile = errors.New("invalid key file")
	// ErrLegacySignature: the signature is of the first format, over the
	// bundle's bytes alone; it says nothing of the policy name or version,
	// so it cannot be checked against a replay and is refused.
	ErrLegacySignature = errors.New("signature of the old format (no policy name, version or expiry signed): sign the bundle again with this polc (polc build --sign)")
	// ErrPolicyMismatch: the signature was made for another policy.
	ErrPolicyMismatch = errors.New("signed for another policy")
	// ErrExpired: the signature's expiry has passed.
	ErrExpired = errors.New("signature expired")
)

// PEM block types of key and signature files.
const (
	privateKeyType = "PRIVATE KEY"
	publicKeyType  = "PUBLIC KEY"
	signatureType  = "POLC BUNDLE SIGNATURE"
	// SignatureExt is appended to a bundle's file name to name its
	// signature file.
	SignatureExt = ".sig"
)

// Headers of a signature file.
const (
	hdrAlgorithm = "Algorithm"
	hdrKeyID     = "Key-Id"
	hdrSHA256    = "Bundle-Sha256"
	hdrEnvelope  = "Envelope"
	hdrPolicy    = "Policy"
	hdrVersion   = "Version"
	hdrExpires   = "Expires"
	algEd25519   = "ed25519"
)

// MaxSize bounds what ReadSigned reads into memory: as polrun's loader.
const MaxSize = 256 << 20

// maxKeyFileSize bounds a key file: a PEM ed25519 key takes about 120
// bytes, a file of trusted keys some hundreds of them.
const maxKeyFileSize = 1 << 20

// SignatureFile returns the signature file of the bundle at path.
func SignatureFile(path string) string { return path + SignatureExt }

// PublicKey is a trusted ed25519 key and its id.
type PublicKey struct {
	Key ed25519.PublicKey
	ID  string
}

// KeyID returns the id of a public key: "sha256:" and the hex sha256 of
// its PKIX DER encoding.
func KeyID(pub ed25519.PublicKey) string {
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		// Only a key of the wrong length fails, which ed25519 keys
		// made by this package and x509 never are.
		return "sha256:invalid"
	}
	sum := sha256.Sum256(der)
	return "sha256:" + hex.EncodeToString(sum[:])
}

// GenerateKey makes a new key pair and returns it as PEM files: the
// private key (PKCS#8) and the public key (PKIX).
func GenerateKey() (privPEM, pubPEM []byte, id string, err error) {
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, nil, "", fmt.Errorf("generate key: %w", err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		return nil, nil, "", fmt.Errorf("encode private key: %w", err)
	}
	pubDER, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return nil, nil, "", fmt.Errorf("encode public key: %w", err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: privateKeyType, Bytes: der}),
		pem.EncodeToMemory(&pem.Block{Type: publicKeyType, Bytes: pubDER}), KeyID(pub), nil
}

// ParsePrivateKey reads an ed25519 private key from a PEM "PRIVATE KEY"
// block (PKCS#8).
func ParsePrivateKey(data []byte) (ed25519.PrivateKey, error) {
	for {
		var b *pem.Block
		b, data = pem.Decode(data)
		if b == nil {
			return nil, fmt.Errorf("%w: no PEM %q block", ErrKeyFile, privateKeyType)
		}
		switch b.Type {
		case privateKeyType:
		case "ENCRYPTED PRIVATE KEY":
			return nil, fmt.Errorf("%w: the private key is encrypted; decrypt it with openssl pkey", ErrKeyFile)
		case publicKeyType:
			return nil, fmt.Errorf("%w: this is a public key; signing needs the private key", ErrKeyFile)
		default:
			continue
		}
		k, err := x509.ParsePKCS8PrivateKey(b.Bytes)
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrKeyFile, err)
		}
		priv, ok := k.(ed25519.PrivateKey)
		if !ok {
			return nil, fmt.Errorf("%w: a %T, polc signs with ed25519 keys (openssl genpkey -algorithm ed25519)", ErrKeyFile, k)
		}
		return priv, nil
	}
}

// ParsePublicKeys reads every PEM "PUBLIC KEY" block (PKIX) of data; all
// must be ed25519 keys, and there must be at least one.
func ParsePublicKeys(data []byte) ([]PublicKey, error) {
	var keys []PublicKey
	for {
		var b *pem.Block
		b, data = pem.Decode(data)
		if b == nil {
			break
		}
		switch b.Type {
		case publicKeyType:
		case privateKeyType:
			return nil, fmt.Errorf("%w: this is a private key; verification takes the public key (openssl pkey -pubout)", ErrKeyFile)
		default:
			continue
		}
		k, err := x509.ParsePKIXPublicKey(b.Bytes)
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrKeyFile, err)
		}
		pub, ok := k.(ed25519.PublicKey)
		if !ok {
			return nil, fmt.Errorf("%w: a %T, polc verifies ed25519 keys", ErrKeyFile, k)
		}
		keys = append(keys, PublicKey{Key: pub, ID: KeyID(pub)})
	}
	if len(keys) == 0 {
		return nil, fmt.Errorf("%w: no PEM %q block", ErrKeyFile, publicKeyType)
	}
	return keys, nil
}

// ReadPrivateKey reads a private key file.
func ReadPrivateKey(path string) (ed25519.PrivateKey, error) {
	data, err := ReadFile(path, ReadFileOptions{Max: maxKeyFileSize})
	if err != nil {
		return nil, fmt.Errorf("read private key: %w", err)
	}
	k, err := ParsePrivateKey(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return k, nil
}

// ReadPublicKeys reads a public key file.
func ReadPublicKeys(path string) ([]PublicKey, error) {
	data, err := ReadFile(path, ReadFileOptions{Max: maxKeyFileSize})
	if err != nil {
		return nil, fmt.Errorf("read public key: %w", err)
	}
	k, err := ParsePublicKeys(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return k, nil
}

// Envelope is what a signature binds to the bundle's bytes: the policy
// the bundle is for, its release version and how long the signature
// holds. It is what makes an old or renamed signed bundle useless to
// whoever replays it (see the package doc).
type Envelope struct {
	// Policy is the policy's name; it must be the name in the bundle's
	// manifest.
	Policy string
	// Version is the release, at least 1; polrun refuses to replace a
	// loaded policy with a lower version.
	Version uint64
	// Expires is when the signature stops verifying; zero for never.
	// Signatures hold whole seconds.
	Expires time.Time
}

// envelopeV2 names the signed message's format, first line of the message
// and value of the Envelope header.
const envelopeV2 = "polc-bundle-signature-v2"

// message is the text the key signs for a bundle whose sha256 is sum
// (hex): one "key: value" line each, in this order.
func (e Envelope) message(sum string) []byte {
	return []byte(fmt.Sprintf("%s\npolicy: %s\nversion: %d\nexpires: %s\nbundle-sha256: %s\n",
		envelopeV2, e.Policy, e.Version, e.expiresText(), sum))
}

func (e Envelope) expiresText() string {
	if e.Expires.IsZero() {
		return "never"
	}
	return e.Expires.UTC().Format(time.RFC3339)
}

// check refuses an envelope the signer should not sign: the name goes
// into a line of the message and a PEM header.
func (e Envelope) check() error {
	if e.Policy == "" || strings.ContainsFunc(e.Policy, func(r rune) bool { return r <= ' ' || r == 0x7f || r == ':' }) {
		return fmt.Errorf("sign: policy name %q: empty or with spaces, control characters or ':'", e.Policy)
	}
	if e.Version == 0 {
		return errors.New("sign: version 0: versions start at 1")
	}
	return nil
}

// Signature is a parsed signature file.
type Signature struct {
	// KeyID names the key that signed, as the signer wrote it.
	KeyID string
	// SHA256 is the hash of the bundle signed, as the signer wrote it: it
	// explains a failure, it proves nothing.
	SHA256 string
	// Envelope is what the signature says about the bundle; it is
	// covered by Sig, so it holds once Verify says so.
	Envelope
	// Legacy marks a signature of the first format, over the bundle's
	// bytes alone, with no envelope: Verify refuses it.
	Legacy bool
	Sig    []byte
}

// Sign signs data (a bundle's bytes) and the envelope e with priv.
func Sign(priv ed25519.PrivateKey, data []byte, e Envelope) (*Signature, error) {
	if err := e.check(); err != nil {
		return nil, err
	}
	if !e.Expires.IsZero() {
		e.Expires = e.Expires.UTC().Truncate(time.Second)
	}
	sum := sha256.Sum256(data)
	hexSum := hex.EncodeToString(sum[:])
	return &Signature{
		KeyID:    KeyID(priv.Public().(ed25519.PublicKey)),
		SHA256:   hexSum,
		Envelope: e,
		Sig:      ed25519.Sign(priv, e.message(hexSum)),
	}, nil
}

// Marshal encodes the signature file.
func (s *Signature) Marshal() []byte {
	h := map[string]string{hdrAlgorithm: algEd25519, hdrKeyID: s.KeyID, hdrSHA256: s.SHA256}
	if !s.Legacy {
		h[hdrEnvelope] = envelopeV2
		h[hdrPolicy] = s.Policy
		h[hdrVersion] = strconv.FormatUint(s.Version, 10)
		if !s.Expires.IsZero() {
			h[hdrExpires] = s.expiresText()
		}
	}
	return pem.EncodeToMemory(&pem.Block{Type: signatureType, Headers: h, Bytes: s.Sig})
}

// ParseSignature decodes a signature file: exactly one PEM block, with
// nothing but white space around it.
func ParseSignature(data []byte) (*Signature, error) {
	if len(data) > MaxSignatureSize {
		return nil, fmt.Errorf("%w: %d bytes; a signature file holds at most %d", ErrSignature, len(data), MaxSignatureSize)
	}
	trimmed := bytes.TrimLeft(data, " \t\r\n")
	b, rest := pem.Decode(trimmed)
	if b == nil || !bytes.HasPrefix(trimmed, []byte("-----BEGIN ")) {
		return nil, fmt.Errorf("%w: not a PEM %q block", ErrSignature, signatureType)
	}
	if b.Type != signatureType {
		return nil, fmt.Errorf("%w: a PEM %q block, not %q", ErrSignature, b.Type, signatureType)
	}
	if len(bytes.TrimSpace(rest)) > 0 {
		return nil, fmt.Errorf("%w: %d bytes after the PEM block; a signature file holds one block and nothing else", ErrSignature, len(rest))
	}
	if alg := b.Headers[hdrAlgorithm]; alg != algEd25519 {
		return nil, fmt.Errorf("%w: algorithm %q, polc verifies %q", ErrSignature, alg, algEd25519)
	}
	if len(b.Bytes) != ed25519.SignatureSize {
		return nil, fmt.Errorf("%w: signature of %d bytes, ed25519 signatures have %d", ErrSignature, len(b.Bytes), ed25519.SignatureSize)
	}
	s := &Signature{KeyID: b.Headers[hdrKeyID], SHA256: b.Headers[hdrSHA256], Sig: b.Bytes}
	env, ok := b.Headers[hdrEnvelope]
	if !ok {
		if b.Headers[hdrPolicy] != "" || b.Headers[hdrVersion] != "" {
			return nil, fmt.Errorf("%w: %s and %s headers without %s", ErrSignature, hdrPolicy, hdrVersion, hdrEnvelope)
		}
		s.Legacy = true
		return s, nil
	}
	if env != envelopeV2 {
		return nil, fmt.Errorf("%w: envelope %q, this polrun reads %q (a newer polc signed it?)", ErrSignature, env, envelopeV2)
	}
	s.Policy = b.Headers[hdrPolicy]
	v, err := strconv.ParseUint(b.Headers[hdrVersion], 10, 64)
	if err != nil || v == 0 {
		return nil, fmt.Errorf("%w: %s %q is not a version (1 or more)", ErrSignature, hdrVersion, b.Headers[hdrVersion])
	}
	s.Version = v
	if exp, ok := b.Headers[hdrExpires]; ok {
		t, err := time.Parse(time.RFC3339, exp)
		if err != nil {
			return nil, fmt.Errorf("%w: %s %q: %v", ErrSignature, hdrExpires, exp, err)
		}
		s.Expires = t
	}
	if err := s.Envelope.check(); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrSignature, err)
	}
	return s, nil
}

// Verify checks sig over data against the trusted keys and returns the key
// that signed. The error, an ErrSignature, says whether the data changed
// since signing or another key signed it. Verify checks the signature
// only: CheckEnvelope checks what it says.
func Verify(data []byte, sig *Signature, trusted []PublicKey) (PublicKey, error) {
	if sig.Legacy {
		return PublicKey{}, fmt.Errorf("%w: %w", ErrSignature, ErrLegacySignature)
	}
	sum := sha256.Sum256(data)
	got := hex.EncodeToString(sum[:])
	msg := sig.message(got)
	for _, k := range trusted {
		if ed25519.Verify(k.Key, msg, sig.Sig) {
			return k, nil
		}
	}
	var ids []string
	for _, k := range trusted {
		ids = append(ids, k.ID)
		if k.ID == sig.KeyID {
			if sig.SHA256 != "" && got != sig.SHA256 {
				return PublicKey{}, fmt.Errorf("%w: the bundle was modified after it was signed (sha256 %s, signed %s)", ErrSignature, got, sig.SHA256)
			}
			return PublicKey{}, fmt.Errorf("%w: the bundle or its signature was modified after signing (key %s)", ErrSignature, k.ID)
		}
	}
	return PublicKey{}, fmt.Errorf("%w: signed by key %s, which is not trusted (trusted: %s)", ErrSignature, sig.KeyID, strings.Join(ids, ", "))
}

// CheckEnvelope checks what a verified signature says against the bundle
// it signs and the time: the policy name must be the bundle's (a signed
// bundle renamed to stand in for another policy's is refused), and the
// signature must not have expired at now.
func CheckEnvelope(data []byte, sig *Signature, now time.Time) error {
	m, err := bpf.ReadManifest(data)
	if err != nil {
		return fmt.Errorf("read manifest: %w", err)
	}
	if sig.Policy != m.Policy {
		return fmt.Errorf("%w: %w: signed for policy %q, the bundle holds policy %q", ErrSignature, ErrPolicyMismatch, sig.Policy, m.Policy)
	}
	if !sig.Expires.IsZero() && !now.Before(sig.Expires) {
		return fmt.Errorf("%w: %w at %s (version %d)", ErrSignature, ErrExpired, sig.expiresText(), sig.Version)
	}
	return nil
}

// VerifyOptions say what ReadSigned trusts.
type VerifyOptions struct {
	Trusted []PublicKey
	// NoFollow refuses a bundle or signature file that is a symbolic
	// link (ErrSymlink).
	NoFollow bool
	// Now is the time expiry is checked at; zero for time.Now().
	Now time.Time
}

// Verified is a bundle read and verified by ReadSigned.
type Verified struct {
	// Data is the bundle's bytes, exactly those verified.
	Data []byte
	// Key is the trusted key that signed.
	Key PublicKey
	// Envelope is what the signature says, checked against Data.
	Envelope
}

// ReadSigned reads the bundle at path and its signature file and verifies
// the bytes it returns against the trusted keys, and the envelope against
// the bundle and the time: the caller loads exactly what was verified.
// Both files must be regular files (ReadFile); the signature file at most
// MaxSignatureSize bytes.
func ReadSigned(path string, o *VerifyOptions) (*Verified, error) {
	data, err := readLimited(path, o.NoFollow)
	if err != nil {
		return nil, err
	}
	raw, err := ReadFile(SignatureFile(path), ReadFileOptions{Max: MaxSignatureSize, NoFollow: o.NoFollow})
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("%s: %w: no signature file %s", path, ErrUnsigned, SignatureFile(path))
	}
	if err != nil {
		return nil, fmt.Errorf("read signature: %w", err)
	}
	sig, err := ParseSignature(raw)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", SignatureFile(path), err)
	}
	k, err := Verify(data, sig, o.Trusted)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	now := o.Now
	if now.IsZero() {
		now = time.Now()
	}
	if err := CheckEnvelope(data, sig, now); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &Verified{Data: data, Key: k, Envelope: sig.Envelope}, nil
}

// readLimited reads a bundle file of at most MaxSize bytes.
func readLimited(path string, noFollow bool) ([]byte, error) {
	data, err := ReadFile(path, ReadFileOptions{Max: MaxSize, NoFollow: noFollow})
	if err != nil {
		return nil, fmt.Errorf("open bundle: %w", err)
	}
	return data, nil
}
