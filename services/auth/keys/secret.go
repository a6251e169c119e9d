package keys

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"strings"
)

// APIKeyPrefix starts every generated api_key.
const APIKeyPrefix = "hp_"

// NewAPIKey returns a random public key id (no '.', so tokens split cleanly).
func NewAPIKey() string { return APIKeyPrefix + randomHex(12) }

// NewSecret returns a random secret of 256 bits.
func NewSecret() string { return randomHex(32) }

func randomHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return hex.EncodeToString(b)
}

// HashSecret is how secrets are stored. Secrets are 256-bit random values,
// so a fast hash is enough (no dictionary to defend against).
func HashSecret(secret string) []byte {
	sum := sha256.Sum256([]byte(secret))
	return sum[:]
}

// SecretMatches compares a presented secret with a stored hash in constant time.
func SecretMatches(hash []byte, secret string) bool {
	got := HashSecret(secret)
	return len(hash) == len(got) && subtle.ConstantTimeCompare(hash, got) == 1
}

// Token joins an api_key and a secret as presented in Bearer/token schemes.
func Token(apiKey, secret string) string { return apiKey + "." + secret }

// ValidAPIKey reports whether s can be an api_key (printable, no '.', ':').
func ValidAPIKey(s string) bool {
	if len(s) < 4 || len(s) > 128 || strings.ContainsAny(s, ".: ") {
		return false
	}
	for _, c := range s {
		if c < 0x21 || c > 0x7e {
			return false
		}
	}
	return true
}

// ValidSecret reports whether s can be a secret.
func ValidSecret(s string) bool { return ValidAPIKey(s) && len(s) >= 16 }
