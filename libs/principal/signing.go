package principal

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// Header names carried between the gateway and services. The gateway strips
// every incoming X-Hostplane-* header before setting its own.
const (
	HeaderPrincipal = "X-Hostplane-Principal"
	HeaderTimestamp = "X-Hostplane-Timestamp"
	HeaderSignature = "X-Hostplane-Signature"
	HeaderPrefix    = "X-Hostplane-"
)

// MaxAge is how old a signature may be before services refuse it.
const MaxAge = 60 * time.Second

// Verification failures.
var (
	ErrMissing   = errors.New("principal: missing signature")
	ErrBadFormat = errors.New("principal: malformed principal")
	ErrBadSig    = errors.New("principal: wrong signature")
	ErrExpired   = errors.New("principal: signature too old")
)

// Signer signs and verifies principals with the internal secret.
type Signer struct {
	secret []byte
	now    func() time.Time
	macs   sync.Pool // *macState: HMAC-SHA256 keyed with secret, reused
}

// macState is a keyed HMAC with the buffers one signature needs: kept
// together in the pool, since a buffer handed to the hash (an interface)
// would otherwise escape to the heap on every signature.
type macState struct {
	mac hash.Hash
	in  []byte
	sum [sha256.Size]byte
}

// NewSigner returns a Signer for secret.
func NewSigner(secret string) *Signer {
	return &Signer{secret: []byte(secret), now: time.Now}
}

func (s *Signer) mac() *macState {
	if m, ok := s.macs.Get().(*macState); ok {
		m.mac.Reset()
		return m
	}
	return &macState{mac: hmac.New(sha256.New, s.secret), in: make([]byte, 0, 1024)}
}

// Encode returns the header value for p.
func Encode(p *Principal) (string, error) {
	b, err := json.Marshal(p)
	if err != nil {
		return "", fmt.Errorf("principal: encode: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// Decode parses a header value.
func Decode(v string) (*Principal, error) {
	b, err := base64.RawURLEncoding.DecodeString(v)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadFormat, err)
	}
	var p Principal
	if err := json.Unmarshal(b, &p); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadFormat, err)
	}
	return &p, nil
}

// Sign computes the signature for the encoded principal on a request.
func (s *Signer) Sign(ts int64, method, path, encoded string) string {
	m := s.mac()
	b := strconv.AppendInt(m.in[:0], ts, 10)
	b = append(b, '\n')
	b = append(b, method...)
	b = append(b, '\n')
	b = append(b, path...)
	b = append(b, '\n')
	b = append(b, encoded...)
	m.mac.Write(b)
	var out [2 * sha256.Size]byte
	hex.Encode(out[:], m.mac.Sum(m.sum[:0]))
	if cap(b) <= 64<<10 {
		m.in = b[:0] // a grown buffer is kept, within reason
	}
	s.macs.Put(m)
	return string(out[:])
}

// Apply sets the signed principal headers on an outgoing request, replacing
// any already there.
func (s *Signer) Apply(h http.Header, method, path string, p *Principal) error {
	enc, err := Encode(p)
	if err != nil {
		return err
	}
	s.ApplyEncoded(h, method, path, enc)
	return nil
}

// ApplyEncoded is Apply for an already encoded principal.
func (s *Signer) ApplyEncoded(h http.Header, method, path, encoded string) {
	ts, sig := s.Stamp(method, path, encoded)
	h[HeaderPrincipal] = []string{encoded}
	h[HeaderTimestamp] = []string{ts}
	h[HeaderSignature] = []string{sig}
}

// Stamp returns the timestamp and signature headers' values for an encoded
// principal sent now with method and path.
func (s *Signer) Stamp(method, path, encoded string) (timestamp, signature string) {
	ts := s.now().Unix()
	return strconv.FormatInt(ts, 10), s.Sign(ts, method, path, encoded)
}

// Verify checks the signed principal on an incoming request.
func (s *Signer) Verify(r *http.Request) (*Principal, error) {
	enc := r.Header.Get(HeaderPrincipal)
	tsv := r.Header.Get(HeaderTimestamp)
	sig := r.Header.Get(HeaderSignature)
	if enc == "" || tsv == "" || sig == "" {
		return nil, ErrMissing
	}
	ts, err := strconv.ParseInt(tsv, 10, 64)
	if err != nil {
		return nil, ErrBadFormat
	}
	age := s.now().Sub(time.Unix(ts, 0))
	if age > MaxAge || age < -MaxAge {
		return nil, ErrExpired
	}
	want := s.Sign(ts, r.Method, r.URL.Path, enc)
	if !hmac.Equal([]byte(want), []byte(sig)) {
		return nil, ErrBadSig
	}
	return Decode(enc)
}

// StripHeaders removes every X-Hostplane-* header from h.
func StripHeaders(h http.Header) {
	for k := range h {
		if len(k) >= len(HeaderPrefix) && http.CanonicalHeaderKey(k[:len(HeaderPrefix)]) == HeaderPrefix {
			delete(h, k)
		}
	}
}
