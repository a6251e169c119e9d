package postgres_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/hostplane/hostplane/libs/pgkit"
	"github.com/hostplane/hostplane/services/auth/activity"
	"github.com/hostplane/hostplane/services/auth/keys"
	"github.com/hostplane/hostplane/services/auth/postgres"
	"github.com/hostplane/hostplane/services/auth/settings"
)

// BenchmarkActivityAppend is one gateway's report of a busy second: 1,000
// calls over 10 keys whose logs are full (every batch trims).
func BenchmarkActivityAppend(b *testing.B) {
	ctx := context.Background()
	pool, err := pgkit.Open(ctx, db.URL(b), pgkit.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer pool.Close()
	if err := postgres.Migrate(ctx, pool, nil); err != nil {
		b.Fatal(err)
	}
	if _, err := pool.Exec(ctx, `TRUNCATE key_activity, key_activity_counts, api_keys RESTART IDENTITY`); err != nil {
		b.Fatal(err)
	}
	ks, store := postgres.NewKeys(pool), postgres.NewActivity(pool)
	var ids []int64
	for i := range 10 {
		k := &keys.Key{AccountID: 1, Name: fmt.Sprint("k", i), Email: "k@example.com", APIKey: keys.NewAPIKey(),
			SecretHash: keys.HashSecret("s"), Permissions: []string{"*"}}
		if err := ks.Create(ctx, k); err != nil {
			b.Fatal(err)
		}
		ids = append(ids, k.ID)
	}
	at := time.Now().UTC()
	batch := func() []activity.Call {
		calls := make([]activity.Call, 1000)
		for i := range calls {
			at = at.Add(time.Microsecond)
			calls[i] = activity.Call{KeyID: ids[i%len(ids)], Method: "GET", Path: "/wp-json/wu/v2/customers/42", Status: 200, At: at, IP: "203.0.113.9"}
		}
		return calls
	}
	for range 11 { // fill every log past activity.Keep (100 calls per key and batch)
		if _, err := store.Append(ctx, batch()); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	start := time.Now()
	for range b.N {
		if _, err := store.Append(ctx, batch()); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*1000)/time.Since(start).Seconds(), "calls/s")
	var rows int
	_ = pool.QueryRow(ctx, `SELECT count(*) FROM key_activity`).Scan(&rows)
	if rows < len(ids)*activity.Keep || rows > len(ids)*(activity.Keep+postgres.ActivitySlack) {
		b.Fatalf("%d rows kept for %d keys", rows, len(ids))
	}
}

// BenchmarkGatewaySettings is what each gateway asks twice a second.
func BenchmarkGatewaySettings(b *testing.B) {
	ctx := context.Background()
	pool, err := pgkit.Open(ctx, db.URL(b), pgkit.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer pool.Close()
	if err := postgres.Migrate(ctx, pool, nil); err != nil {
		b.Fatal(err)
	}
	svc := settings.NewService(postgres.NewSettings(pool), nil)
	if _, err := svc.Set(ctx, settings.EnableAPI, []byte(`true`)); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for range b.N {
		if on, err := svc.Bool(ctx, settings.EnableAPI); err != nil || !on {
			b.Fatal(on, err)
		}
	}
}
