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

var keyConstraints = map[string]string{"api_keys_api_key_key": "api_key", "api_keys_account_fk": "account_id"}

func mapErr(err error) error { return pgkit.MapError(err, "key", keyConstraints) }

const keyColumns = `id, account_id, name, email, api_key, secret_hash, permissions, customer_id,
	allowed_ips, rate_count, rate_period, expires_at, created_at, last_used_at, revoked_at,
	prev_secret_hash, prev_secret_until, rotated_at, rotation_key`

func scanKey(row pgx.Row) (keys.Key, error) {
	var k keys.Key
	var customer *int64
	var period int64
	err := row.Scan(&k.ID, &k.AccountID, &k.Name, &k.Email, &k.APIKey, &k.SecretHash, &k.Permissions, &customer,
		&k.AllowedIPs, &k.RateLimit.Count, &period, &k.ExpiresAt, &k.CreatedAt, &k.LastUsedAt, &k.RevokedAt,
		&k.PrevSecretHash, &k.PrevSecretUntil, &k.RotatedAt, &k.RotationKey)
	if customer != nil {
		k.CustomerID = *customer
	}
	if k.AllowedIPs == nil {
		k.AllowedIPs = []string{}
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

func textArray(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// Create inserts k.
func (s *Keys) Create(ctx context.Context, k *keys.Key) error {
	row := s.pool.QueryRow(ctx, `INSERT INTO api_keys
		(account_id, name, email, api_key, secret_hash, permissions, customer_id, allowed_ips, rate_count, rate_period, expires_at)
		VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11) RETURNING `+keyColumns,
		k.AccountID, k.Name, k.Email, k.APIKey, k.SecretHash, textArray(k.Permissions), nullableID(k.CustomerID),
		textArray(k.AllowedIPs), k.RateLimit.Count, int64(k.RateLimit.Period), k.ExpiresAt)
	got, err := scanKey(row)
	if err != nil {
		return mapErr(err)
	}
	*k = got
	return nil
}

// Upsert inserts or resets k by api_key.
func (s *Keys) Upsert(ctx context.Context, k *keys.Key) error {
	row := s.pool.QueryRow(ctx, `INSERT INTO api_keys
		(account_id, name, email, api_key, secret_hash, permissions, customer_id, allowed_ips, rate_count, rate_period, expires_at)
		VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11)
		ON CONFLICT (api_key) DO UPDATE SET account_id = EXCLUDED.account_id, name = EXCLUDED.name,
			email = EXCLUDED.email, secret_hash = EXCLUDED.secret_hash, permissions = EXCLUDED.permissions,
			customer_id = EXCLUDED.customer_id, allowed_ips = EXCLUDED.allowed_ips, rate_count = EXCLUDED.rate_count,
			rate_period = EXCLUDED.rate_period, expires_at = EXCLUDED.expires_at, revoked_at = NULL,
			prev_secret_hash = NULL, prev_secret_until = NULL, rotation_key = NULL
		RETURNING `+keyColumns,
		k.AccountID, k.Name, k.Email, k.APIKey, k.SecretHash, textArray(k.Permissions), nullableID(k.CustomerID),
		textArray(k.AllowedIPs), k.RateLimit.Count, int64(k.RateLimit.Period), k.ExpiresAt)
	got, err := scanKey(row)
	if err != nil {
		return mapErr(err)
	}
	*k = got
	return nil
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
	const where = ` WHERE ($1::bigint = 0 OR customer_id = $1) AND ($2 OR revoked_at IS NULL)
		AND ($3::bigint = 0 OR account_id = $3)`
	var total int
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM api_keys`+where, f.CustomerID, f.IncludeRevoked, f.AccountID).Scan(&total); err != nil {
		return nil, 0, mapErr(err)
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 1 << 30
	}
	order := ` ORDER BY id`
	if f.Newest {
		order = ` ORDER BY id DESC`
	}
	rows, err := s.pool.Query(ctx, `SELECT `+keyColumns+` FROM api_keys`+where+order+` LIMIT $4 OFFSET $5`,
		f.CustomerID, f.IncludeRevoked, f.AccountID, limit, f.Offset)
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

// Update runs fn on the key locked in a transaction and stores its
// mutable fields.
func (s *Keys) Update(ctx context.Context, id int64, fn func(*keys.Key) error) (keys.Key, error) {
	var out keys.Key
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		k, err := scanKey(tx.QueryRow(ctx, `SELECT `+keyColumns+` FROM api_keys WHERE id = $1 FOR UPDATE`, id))
		if err != nil {
			return err
		}
		if err := fn(&k); err != nil {
			return err
		}
		out, err = scanKey(tx.QueryRow(ctx, `UPDATE api_keys SET name = $2, permissions = $3, allowed_ips = $4,
			rate_count = $5, rate_period = $6, expires_at = $7, secret_hash = $8, prev_secret_hash = $9,
			prev_secret_until = $10, rotated_at = $11, rotation_key = $12
			WHERE id = $1 RETURNING `+keyColumns,
			id, k.Name, textArray(k.Permissions), textArray(k.AllowedIPs), k.RateLimit.Count, int64(k.RateLimit.Period),
			k.ExpiresAt, k.SecretHash, k.PrevSecretHash, k.PrevSecretUntil, k.RotatedAt, k.RotationKey))
		return err
	})
	return out, mapErr(err)
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
