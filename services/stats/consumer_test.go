package stats_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hostplane/hostplane/libs/component"
	"github.com/hostplane/hostplane/libs/events"
	"github.com/hostplane/hostplane/libs/pgkit/pgtest"
	"github.com/hostplane/hostplane/libs/principal"
	"github.com/hostplane/hostplane/libs/redisx"
	"github.com/hostplane/hostplane/libs/testenv"
	"github.com/hostplane/hostplane/services/stats"
	"github.com/hostplane/hostplane/services/stats/activity"
)

type noCustomers struct{}

func (noCustomers) EmailVerification(context.Context, int64) (string, error) { return "none", nil }

// TestConsumerAgainstRedisAndPostgres drives the service's event handler
// with the real consumer group machinery: events published to a Redis
// Stream, one delivered twice, a consumer that stores some events and
// dies before acknowledging them, a survivor that claims them. Every
// event is counted once, none is lost, none is left pending.
func TestConsumerAgainstRedisAndPostgres(t *testing.T) {
	redisURL := testenv.NeedRedis(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cfg := stats.Config{Config: component.Config{InternalSecret: secret, MaxBodyBytes: 1 << 20, ShutdownGrace: time.Second},
		DatabaseURL: pgtest.Fresh(t), RedisURL: redisURL}
	rt, err := component.New(ctx, stats.Name, cfg.Config, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	app, err := stats.New(ctx, cfg, rt, stats.Deps{NoBackground: true, Customers: noCustomers{}})
	if err != nil {
		t.Fatal(err)
	}
	defer app.Close()
	if len(app.Consumers) != 3 {
		t.Fatalf("%d consumers, want billing's, sites' and auth's", len(app.Consumers))
	}

	rc, err := redisx.Open(redisURL, redisx.Options{Timeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	stream := fmt.Sprintf("hostplane:test:stats:%d", rand.Int64())
	defer rc.Del(context.Background(), stream)

	const customers = 40
	var evs []events.Event
	for i := 1; i <= customers; i++ {
		e, _ := events.New("billing", "customer.created", fmt.Sprint("customer:", i), map[string]any{"customer_id": i, "status": "active"})
		evs = append(evs, e)
	}
	evs = append(evs, evs[3]) // a duplicate delivery
	if err := (&events.RedisSink{Client: rc}).Publish(ctx, stream, evs); err != nil {
		t.Fatal(err)
	}

	// A consumer that stores ten events and dies before acknowledging any.
	var stored atomic.Int64
	dctx, die := context.WithCancel(ctx)
	dying := &events.Consumer{Client: rc, Stream: stream, Group: "stats", Name: "dying", Block: 50 * time.Millisecond,
		Handler: func(ctx context.Context, e events.Event) error {
			if stored.Add(1) > 10 {
				die()
				return errors.New("killed")
			}
			if err := app.Handler(ctx, e); err != nil {
				return err
			}
			return errors.New("killed before the acknowledgement")
		}}
	done := make(chan struct{})
	go func() { _ = dying.Run(dctx); close(done) }()
	<-dctx.Done()
	<-done

	survivor := &events.Consumer{Client: rc, Stream: stream, Group: "stats", Name: "survivor", Block: 50 * time.Millisecond,
		MinIdle: 200 * time.Millisecond, Handler: app.Handler}
	go func() { _ = survivor.Run(ctx) }()

	sys := principal.With(ctx, &principal.Principal{System: true})
	deadline := time.Now().Add(15 * time.Second)
	for {
		s, err := app.Statistics.Get(sys)
		if err != nil {
			t.Fatal(err)
		}
		pending, _ := rc.XPending(ctx, stream, "stats").Result()
		if s.Customers.Total == customers && pending != nil && pending.Count == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d customers counted, %v pending; want %d and none", s.Customers.Total, pending, customers)
		}
		time.Sleep(50 * time.Millisecond)
	}
	// Counted once each: as ingested, and in the activity log, one entry
	// per customer.
	if n := ingestedFrom(t, rt, "stream"); n != customers {
		t.Fatalf("%v events ingested from the stream, want %d", n, customers)
	}
	for _, id := range []int64{1, 4, customers} {
		entries, total, err := appLogs(sys, app, id)
		if err != nil || total != 1 {
			t.Fatalf("customer %d: %d entries %v %v", id, total, entries, err)
		}
	}
}

// appLogs lists the entries about a customer that name no site.
func appLogs(ctx context.Context, app *stats.App, customer int64) ([]activity.Entry, int, error) {
	return app.Store.List(ctx, activity.Filter{CustomerID: customer})
}
