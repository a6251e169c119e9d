package postgres

import (
	"context"
	"encoding/json"
	"time"

	"github.com/hostplane/hostplane/libs/pgkit"
	"github.com/hostplane/hostplane/services/auth/settings"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Settings is the PostgreSQL settings.Store.
type Settings struct{ pool *pgxpool.Pool }

// NewSettings returns a store on pool.
func NewSettings(pool *pgxpool.Pool) *Settings { return &Settings{pool: pool} }

func mapSettingErr(err error) error { return pgkit.MapError(err, "setting", nil) }

// All returns every stored value.
func (s *Settings) All(ctx context.Context) (map[string]settings.Stored, error) {
	rows, err := s.pool.Query(ctx, `SELECT key, value, updated_at FROM settings`)
	if err != nil {
		return nil, mapSettingErr(err)
	}
	defer rows.Close()
	out := map[string]settings.Stored{}
	for rows.Next() {
		var key string
		var st settings.Stored
		var value []byte
		if err := rows.Scan(&key, &value, &st.UpdatedAt); err != nil {
			return nil, mapSettingErr(err)
		}
		st.Value = value
		out[key] = st
	}
	return out, mapSettingErr(rows.Err())
}

// Get returns one stored value.
func (s *Settings) Get(ctx context.Context, key string) (settings.Stored, bool, error) {
	var st settings.Stored
	var value []byte
	err := s.pool.QueryRow(ctx, `SELECT value, updated_at FROM settings WHERE key = $1`, key).Scan(&value, &st.UpdatedAt)
	if err == pgx.ErrNoRows {
		return settings.Stored{}, false, nil
	}
	if err != nil {
		return settings.Stored{}, false, mapSettingErr(err)
	}
	st.Value = value
	return st, true, nil
}

// Put stores a value.
func (s *Settings) Put(ctx context.Context, key string, value json.RawMessage, at time.Time) (settings.Stored, error) {
	var st settings.Stored
	var stored []byte
	err := s.pool.QueryRow(ctx, `INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, $3)
		ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = EXCLUDED.updated_at
		RETURNING value, updated_at`, key, []byte(value), at).Scan(&stored, &st.UpdatedAt)
	if err != nil {
		return settings.Stored{}, mapSettingErr(err)
	}
	st.Value = stored
	return st, nil
}
