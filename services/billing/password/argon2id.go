// Package password hashes login passwords with Argon2id and stores them as
// PHC strings ($argon2id$v=19$m=…,t=…,p=…$salt$hash), so that the cost
// parameters travel with each hash and can be raised without breaking the
// hashes already stored.
package password

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/crypto/argon2"
)

// Params are Argon2id's cost parameters.
type Params struct {
	Memory  uint32 // KiB
	Time    uint32 // passes
	Threads uint8  // lanes
}

// DefaultParams are the lowest-memory of OWASP's equivalent Argon2id
// settings (7 MiB, 5 passes, 1 lane; OWASP lists 19 MiB/2 passes as the same
// strength), tied with m=12 MiB t=3 and m=9 MiB t=4 as the cheapest in CPU
// here (BenchmarkOWASP: about 29 ms a hash; m=47 MiB t=1 costs half as much
// again).
var DefaultParams = Params{Memory: 7168, Time: 5, Threads: 1}

// Lengths of the salt and of the derived key, in bytes.
const (
	saltLen = 16
	keyLen  = 32
)

// ErrMalformed reports a stored hash that is not an Argon2id PHC string.
var ErrMalformed = errors.New("password: malformed argon2id hash")

// Validate checks p against Argon2's own minimums (at least 8 KiB per lane,
// one pass, one lane).
func (p Params) Validate() error {
	switch {
	case p.Time < 1:
		return errors.New("argon2id time must be at least 1")
	case p.Threads < 1:
		return errors.New("argon2id threads must be between 1 and 255")
	case p.Memory < 8*uint32(p.Threads):
		return fmt.Errorf("argon2id memory must be at least %d KiB (8 per thread)", 8*uint32(p.Threads))
	}
	return nil
}

// Argon2id hashes and verifies passwords.
type Argon2id struct{ params Params }

// NewArgon2id returns a hasher with params, or an error when they are
// below Argon2's minimums.
func NewArgon2id(params Params) (*Argon2id, error) {
	if err := params.Validate(); err != nil {
		return nil, fmt.Errorf("password: %w", err)
	}
	return &Argon2id{params: params}, nil
}

// Hash derives a PHC string from password with a fresh random salt.
func (a *Argon2id) Hash(password string) (string, error) {
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("password: salt: %w", err)
	}
	p := a.params
	key := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, keyLen)
	return encode(p, salt, key), nil
}

// Verify reports whether password matches the PHC string hash, using the
// parameters stored in hash (not the hasher's own).
func (a *Argon2id) Verify(hash, password string) (bool, error) {
	p, salt, key, err := decode(hash)
	if err != nil {
		return false, err
	}
	got := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, uint32(len(key)))
	return subtle.ConstantTimeCompare(got, key) == 1, nil
}

var b64 = base64.RawStdEncoding

func encode(p Params, salt, key []byte) string {
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, p.Memory, p.Time, p.Threads, b64.EncodeToString(salt), b64.EncodeToString(key))
}

// decode parses "$argon2id$v=19$m=M,t=T,p=P$salt$hash".
func decode(hash string) (Params, []byte, []byte, error) {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" || parts[2] != "v="+strconv.Itoa(argon2.Version) {
		return Params{}, nil, nil, ErrMalformed
	}
	var p Params
	for _, kv := range strings.Split(parts[3], ",") {
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			return Params{}, nil, nil, ErrMalformed
		}
		n, err := strconv.ParseUint(v, 10, 32)
		if err != nil {
			return Params{}, nil, nil, ErrMalformed
		}
		switch k {
		case "m":
			p.Memory = uint32(n)
		case "t":
			p.Time = uint32(n)
		case "p":
			if n > 255 {
				return Params{}, nil, nil, ErrMalformed
			}
			p.Threads = uint8(n)
		default:
			return Params{}, nil, nil, ErrMalformed
		}
	}
	if p.Validate() != nil {
		return Params{}, nil, nil, ErrMalformed
	}
	salt, err := b64.DecodeString(parts[4])
	if err != nil || len(salt) == 0 {
		return Params{}, nil, nil, ErrMalformed
	}
	key, err := b64.DecodeString(parts[5])
	if err != nil || len(key) == 0 {
		return Params{}, nil, nil, ErrMalformed
	}
	return p, salt, key, nil
}
