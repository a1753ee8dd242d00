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
	"io"
	"os"
	"strings"
)

var (
	// ErrUnsigned: the bundle has no signature file.
	ErrUnsigned = errors.New("bundle is not signed")
	// ErrSignature: the signature does not verify with any trusted key.
	ErrSignature = errors.New("bundle signature does not verify")
	// ErrKeyFile: a key file is not a PEM key polc reads.
	ErrKeyFile = errors.New("invalid key file")
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
	algEd25519   = "ed25519"
)

// MaxSize bounds what ReadSigned reads into memory: as polrun's loader.
const MaxSize = 256 << 20

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
	data, err := os.ReadFile(path)
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
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read public key: %w", err)
	}
	k, err := ParsePublicKeys(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return k, nil
}

// Signature is a parsed signature file.
type Signature struct {
	// KeyID names the key that signed, as the signer wrote it.
	KeyID string
	// SHA256 is the hash of the bytes signed, as the signer wrote it: it
	// explains a failure, it proves nothing.
	SHA256 string
	Sig    []byte
}

// Sign signs data (a bundle's bytes) with priv.
func Sign(priv ed25519.PrivateKey, data []byte) *Signature {
	sum := sha256.Sum256(data)
	return &Signature{
		KeyID:  KeyID(priv.Public().(ed25519.PublicKey)),
		SHA256: hex.EncodeToString(sum[:]),
		Sig:    ed25519.Sign(priv, data),
	}
}

// Marshal encodes the signature file.
func (s *Signature) Marshal() []byte {
	return pem.EncodeToMemory(&pem.Block{
		Type:    signatureType,
		Headers: map[string]string{hdrAlgorithm: algEd25519, hdrKeyID: s.KeyID, hdrSHA256: s.SHA256},
		Bytes:   s.Sig,
	})
}

// ParseSignature decodes a signature file.
func ParseSignature(data []byte) (*Signature, error) {
	b, _ := pem.Decode(data)
	if b == nil || b.Type != signatureType {
		return nil, fmt.Errorf("%w: not a PEM %q block", ErrSignature, signatureType)
	}
	if alg := b.Headers[hdrAlgorithm]; alg != algEd25519 {
		return nil, fmt.Errorf("%w: algorithm %q, polc verifies %q", ErrSignature, alg, algEd25519)
	}
	if len(b.Bytes) != ed25519.SignatureSize {
		return nil, fmt.Errorf("%w: signature of %d bytes, ed25519 signatures have %d", ErrSignature, len(b.Bytes), ed25519.SignatureSize)
	}
	return &Signature{KeyID: b.Headers[hdrKeyID], SHA256: b.Headers[hdrSHA256], Sig: b.Bytes}, nil
}

// Verify checks sig over data against the trusted keys and returns the key
// that signed. The error, an ErrSignature, says whether the data changed
// since signing or another key signed it.
func Verify(data []byte, sig *Signature, trusted []PublicKey) (PublicKey, error) {
	for _, k := range trusted {
		if ed25519.Verify(k.Key, data, sig.Sig) {
			return k, nil
		}
	}
	var ids []string
	for _, k := range trusted {
		ids = append(ids, k.ID)
		if k.ID == sig.KeyID {
			sum := sha256.Sum256(data)
			if got := hex.EncodeToString(sum[:]); sig.SHA256 != "" && got != sig.SHA256 {
				return PublicKey{}, fmt.Errorf("%w: the bundle was modified after it was signed (sha256 %s, signed %s)", ErrSignature, got, sig.SHA256)
			}
			return PublicKey{}, fmt.Errorf("%w: the bundle or its signature was modified after signing (key %s)", ErrSignature, k.ID)
		}
	}
	return PublicKey{}, fmt.Errorf("%w: signed by key %s, which is not trusted (trusted: %s)", ErrSignature, sig.KeyID, strings.Join(ids, ", "))
}

// ReadSigned reads the bundle at path and its signature file and verifies
// the bytes it returns against the trusted keys: the caller loads exactly
// what was verified.
func ReadSigned(path string, trusted []PublicKey) ([]byte, PublicKey, error) {
	data, err := readLimited(path)
	if err != nil {
		return nil, PublicKey{}, err
	}
	raw, err := os.ReadFile(SignatureFile(path))
	if errors.Is(err, os.ErrNotExist) {
		return nil, PublicKey{}, fmt.Errorf("%s: %w: no signature file %s", path, ErrUnsigned, SignatureFile(path))
	}
	if err != nil {
		return nil, PublicKey{}, fmt.Errorf("%s: read signature: %w", path, err)
	}
	sig, err := ParseSignature(raw)
	if err != nil {
		return nil, PublicKey{}, fmt.Errorf("%s: %w", SignatureFile(path), err)
	}
	k, err := Verify(data, sig, trusted)
	if err != nil {
		return nil, PublicKey{}, fmt.Errorf("%s: %w", path, err)
	}
	return data, k, nil
}

// readLimited reads a bundle file of at most MaxSize bytes.
func readLimited(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open bundle: %w", err)
	}
	defer f.Close()
	var buf bytes.Buffer
	if _, err := io.Copy(&buf, io.LimitReader(f, MaxSize+1)); err != nil {
		return nil, fmt.Errorf("read bundle %s: %w", path, err)
	}
	if buf.Len() > MaxSize {
		return nil, fmt.Errorf("read bundle %s: larger than %d bytes", path, MaxSize)
	}
	return buf.Bytes(), nil
}
