package postgres

import (
	"context"
	"time"

	"github.com/hostplane/hostplane/libs/pgkit"
	"github.com/hostplane/hostplane/services/auth/keys"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Keys is the PostgreSQL keys.Store.
type Keys struct{ pool *pgxpool.Pool }

// NewKeys returns a store on pool.
func NewKeys(pool *pgxpool.Pool) *Keys { return &Keys{pool: pool} }

var keyConstraints = map[string]string{"api_keys_api_key_key": "api_key"}

func mapErr(err error) error { return pgkit.MapError(err, "key", keyConstraints) }

const keyColumns = `id, account_id, name, email, api_key, secret_hash, permissions, customer_id,
	rate_count, rate_period, expires_at, created_at, last_used_at, revoked_at`

func scanKey(row pgx.Row) (keys.Key, error) {
	var k keys.Key
	var customer *int64
	var period int64
	err := row.Scan(&k.ID, &k.AccountID, &k.Name, &k.Email, &k.APIKey, &k.SecretHash, &k.Permissions, &customer,
		&k.RateLimit.Count, &period, &k.ExpiresAt, &k.CreatedAt, &k.LastUsedAt, &k.RevokedAt)
	if customer != nil {
		k.CustomerID = *customer
	}
	k.RateLimit.Period = time.Duration(period)
	return k, err
}

func nullableID(id int64) *int64 {
	if id == 0 {
		return nil
	}
	return &id
}

// Create inserts k.
func (s *Keys) Create(ctx context.Context, k *keys.Key) error {
	err := s.pool.QueryRow(ctx, `INSERT INTO api_keys
		(account_id, name, email, api_key, secret_hash, permissions, customer_id, rate_count, rate_period, expires_at)
		VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10) RETURNING id, created_at`,
		k.AccountID, k.Name, k.Email, k.APIKey, k.SecretHash, k.Permissions, nullableID(k.CustomerID),
		k.RateLimit.Count, int64(k.RateLimit.Period), k.ExpiresAt).Scan(&k.ID, &k.CreatedAt)
	return mapErr(err)
}

// Upsert inserts or resets k by api_key.
func (s *Keys) Upsert(ctx context.Context, k *keys.Key) error {
	err := s.pool.QueryRow(ctx, `INSERT INTO api_keys
		(account_id, name, email, api_key, secret_hash, permissions, customer_id, rate_count, rate_period, expires_at)
		VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10)
		ON CONFLICT (api_key) DO UPDATE SET account_id = EXCLUDED.account_id, name = EXCLUDED.name,
			email = EXCLUDED.email, secret_hash = EXCLUDED.secret_hash, permissions = EXCLUDED.permissions,
			customer_id = EXCLUDED.customer_id, rate_count = EXCLUDED.rate_count,
			rate_period = EXCLUDED.rate_period, expires_at = EXCLUDED.expires_at, revoked_at = NULL
		RETURNING id, created_at, last_used_at`,
		k.AccountID, k.Name, k.Email, k.APIKey, k.SecretHash, k.Permissions, nullableID(k.CustomerID),
		k.RateLimit.Count, int64(k.RateLimit.Period), k.ExpiresAt).Scan(&k.ID, &k.CreatedAt, &k.LastUsedAt)
	k.RevokedAt = nil
	return mapErr(err)
}

// Get returns a key by id.
func (s *Keys) Get(ctx context.Context, id int64) (keys.Key, error) {
	k, err := scanKey(s.pool.QueryRow(ctx, `SELECT `+keyColumns+` FROM api_keys WHERE id = $1`, id))
	return k, mapErr(err)
}

// GetByAPIKey returns a key by api_key.
func (s *Keys) GetByAPIKey(ctx context.Context, apiKey string) (keys.Key, error) {
	k, err := scanKey(s.pool.QueryRow(ctx, `SELECT `+keyColumns+` FROM api_keys WHERE api_key = $1`, apiKey))
	return k, mapErr(err)
}

// List pages keys by id.
func (s *Keys) List(ctx context.Context, f keys.ListFilter) ([]keys.Key, int, error) {
	const where = ` WHERE ($1::bigint = 0 OR customer_id = $1) AND ($2 OR revoked_at IS NULL)`
	var total int
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM api_keys`+where, f.CustomerID, f.IncludeRevoked).Scan(&total); err != nil {
		return nil, 0, mapErr(err)
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 1 << 30
	}
	rows, err := s.pool.Query(ctx, `SELECT `+keyColumns+` FROM api_keys`+where+` ORDER BY id LIMIT $3 OFFSET $4`,
		f.CustomerID, f.IncludeRevoked, limit, f.Offset)
	if err != nil {
		return nil, 0, mapErr(err)
	}
	defer rows.Close()
	out := []keys.Key{}
	for rows.Next() {
		k, err := scanKey(rows)
		if err != nil {
			return nil, 0, mapErr(err)
		}
		out = append(out, k)
	}
	return out, total, mapErr(rows.Err())
}

// Revoke marks a key revoked, keeping an earlier revocation.
func (s *Keys) Revoke(ctx context.Context, id int64, at time.Time) (keys.Key, error) {
	k, err := scanKey(s.pool.QueryRow(ctx, `UPDATE api_keys SET revoked_at = COALESCE(revoked_at, $2)
		WHERE id = $1 RETURNING `+keyColumns, id, at))
	return k, mapErr(err)
}

// Touch records a use. Writes are skipped when the last one is recent, so a
// busy key does not turn every verification into a row update.
func (s *Keys) Touch(ctx context.Context, id int64, at time.Time) error {
	_, err := s.pool.Exec(ctx, `UPDATE api_keys SET last_used_at = $2
		WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < $2::timestamptz - interval '1 second')`, id, at)
	return mapErr(err)
}
