package keys

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"time"
)

// Rotation retries: a rotation sent with an Idempotency-Key gets a secret
// derived from the service's rotation secret, the key, the Idempotency-Key
// and the rotation's time, so a retry of it (a lost answer) is answered
// with the same secret, recomputed, instead of rotating again, which
// would end the grace of the secret the client still uses. No secret is
// stored to make this work: only the SHA-256 of the Idempotency-Key.

// RetryWindow is how long a rotation's Idempotency-Key is honoured.
const RetryWindow = 24 * time.Hour

// MaxIdempotencyKey bounds an Idempotency-Key.
const MaxIdempotencyKey = 255

// WithRotationSecret enables Idempotency-Key on rotations with secret (at
// least 16 bytes; the service's internal secret): without it, every
// rotation makes a new random secret.
func WithRotationSecret(secret string) Option {
	return func(s *service) {
		if len(secret) >= 16 {
			s.rotationSecret = []byte(secret)
		}
	}
}

// rotationKeyHash is what a key keeps of an Idempotency-Key.
func rotationKeyHash(idempotencyKey string) []byte {
	sum := sha256.Sum256([]byte("hostplane/rotation-key\x00" + idempotencyKey))
	return sum[:]
}

// derivedSecret is the secret of the rotation of key id at at with
// idempotencyKey.
func derivedSecret(secret []byte, id int64, idempotencyKey string, at time.Time) string {
	mac := hmac.New(sha256.New, secret)
	mac.Write([]byte("hostplane/rotate\x00" + strconv.FormatInt(id, 10) + "\x00" + idempotencyKey + "\x00" +
		at.UTC().Truncate(time.Microsecond).Format(time.RFC3339Nano)))
	return hex.EncodeToString(mac.Sum(nil))
}

// replays reports whether a rotation of k with idempotencyKey at now is a
// retry of k's last rotation.
func replays(k Key, idempotencyKey string, now time.Time) bool {
	return idempotencyKey != "" && len(k.RotationKey) > 0 && k.RotatedAt != nil &&
		now.Sub(*k.RotatedAt) < RetryWindow && hmac.Equal(k.RotationKey, rotationKeyHash(idempotencyKey))
}
