package events

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hostplane/hostplane/libs/pgkit"
	"github.com/hostplane/hostplane/libs/pgkit/pgtest"
	"github.com/hostplane/hostplane/libs/redisx"
	"github.com/hostplane/hostplane/libs/testenv"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/redis/go-redis/v9"
)

var db = pgtest.New()

func TestMain(m *testing.M) { os.Exit(db.Main(m)) }

func pool(t *testing.T) *pgxpool.Pool {
	t.Helper()
	ctx := context.Background()
	p, err := pgkit.Open(ctx, pgtest.Fresh(t), pgkit.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.Close)
	if err := EnsureOutbox(ctx, p); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Exec(ctx, ProcessedSchema+`CREATE TABLE effects (n int);`); err != nil {
		t.Fatal(err)
	}
	return p
}

func rdb(t *testing.T) *redis.Client {
	t.Helper()
	c, err := redisx.Open(testenv.NeedRedis(t), redisx.Options{Timeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

func mustEvent(t *testing.T, typ string, n int) Event {
	e, err := New("billing", typ, fmt.Sprint("thing:", n), map[string]int{"n": n})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func TestOutboxCommitsWithTheChange(t *testing.T) {
	p := pool(t)
	ctx := context.Background()
	// Rolled back: the event goes with the change.
	tx, _ := p.Begin(ctx)
	_ = Insert(ctx, tx, mustEvent(t, "thing.created", 1))
	_ = tx.Rollback(ctx)
	tx, _ = p.Begin(ctx)
	_ = Insert(ctx, tx, mustEvent(t, "thing.created", 2), mustEvent(t, "thing.updated", 2))
	_ = tx.Commit(ctx)

	o := &PostgresOutbox{Pool: p, Source: "billing"}
	b, err := o.Pending(ctx, 10)
	if err != nil || len(b.Events) != 2 || b.Events[0].Type != "thing.created" || b.Events[0].Source != "billing" {
		t.Fatalf("pending: %+v %v", b, err)
	}
	// Claimed rows are invisible to a second relay until released.
	b2, _ := o.Pending(ctx, 10)
	if len(b2.Events) != 0 {
		t.Fatalf("a second relay saw claimed rows: %d", len(b2.Events))
	}
	b2.Release(ctx)
	b.Release(ctx)
	b, _ = o.Pending(ctx, 10)
	if len(b.Events) != 2 {
		t.Fatal("released rows not pending again")
	}
	if err := b.Done(ctx); err != nil {
		t.Fatal(err)
	}
	b, _ = o.Pending(ctx, 10)
	if len(b.Events) != 0 {
		t.Fatal("published rows still pending")
	}
}

// End to end: outbox → relay → Redis Stream → consumer group, with a
// consumer killed before acknowledging and a duplicate delivery.
func TestRelayAndConsumers(t *testing.T) {
	p := pool(t)
	c := rdb(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stream := fmt.Sprintf("hostplane:test:%d", rand.Int64())
	t.Cleanup(func() { c.Del(context.Background(), stream) })

	const total = 50
	for i := range total {
		tx, _ := p.Begin(ctx)
		_ = Insert(ctx, tx, mustEvent(t, "thing.created", i))
		_ = tx.Commit(ctx)
	}
	relay := &Relay{Source: &PostgresOutbox{Pool: p, Source: "billing"}, Sink: &RedisSink{Client: c}, Stream: stream, Interval: 20 * time.Millisecond}
	go relay.Run(ctx)

	// A consumer that takes events and dies without acknowledging them.
	var crashed atomic.Int64
	dctx, die := context.WithCancel(ctx)
	dying := &Consumer{Client: c, Stream: stream, Group: "g", Name: "dying", Block: 50 * time.Millisecond,
		Handler: func(ctx context.Context, e Event) error {
			if crashed.Add(1) >= 10 {
				die()
			}
			return errors.New("crash before ack")
		}}
	go dying.Run(dctx)
	deadline := time.Now().Add(10 * time.Second)
	for crashed.Load() < 10 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	<-dctx.Done()

	// The survivor applies each event once, in a transaction with its
	// effect, even when Redis delivers one twice.
	var mu sync.Mutex
	applied := map[string]int{}
	handler := func(ctx context.Context, e Event) error {
		tx, err := p.Begin(ctx)
		if err != nil {
			return err
		}
		defer tx.Rollback(ctx)
		first, err := FirstTime(ctx, tx, "g", e.ID)
		if err != nil {
			return err
		}
		if first {
			if _, err := tx.Exec(ctx, `INSERT INTO effects VALUES (1)`); err != nil {
				return err
			}
		}
		mu.Lock()
		applied[e.ID]++
		mu.Unlock()
		return tx.Commit(ctx)
	}
	survivor := &Consumer{Client: c, Stream: stream, Group: "g", Name: "survivor", Block: 50 * time.Millisecond, MinIdle: 200 * time.Millisecond, Handler: handler}
	go survivor.Run(ctx)
	// Replay one entry by hand: a duplicate.
	deadline = time.Now().Add(15 * time.Second)
	var effects int
	for time.Now().Before(deadline) {
		_ = p.QueryRow(ctx, `SELECT count(*) FROM effects`).Scan(&effects)
		if effects >= total {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	msgs, _ := c.XRange(ctx, stream, "-", "+").Result()
	if len(msgs) > 0 {
		var e Event
		_ = jsonUnmarshal(msgs[0].Values["event"].(string), &e)
		_ = handler(ctx, e)
	}
	_ = p.QueryRow(ctx, `SELECT count(*) FROM effects`).Scan(&effects)
	if effects != total {
		t.Fatalf("effects = %d, want %d (each event once, none lost)", effects, total)
	}
	pending, _ := c.XPending(ctx, stream, "g").Result()
	if pending.Count != 0 {
		t.Fatalf("%d events left unacknowledged", pending.Count)
	}
}

func TestRelayKeepsEventsWhileRedisIsDown(t *testing.T) {
	p := pool(t)
	ctx := context.Background()
	tx, _ := p.Begin(ctx)
	_ = Insert(ctx, tx, mustEvent(t, "thing.created", 1))
	_ = tx.Commit(ctx)
	down, _ := redisx.Open("redis://127.0.0.1:1/0", redisx.Options{Timeout: 100 * time.Millisecond, FailFast: true})
	relay := &Relay{Source: &PostgresOutbox{Pool: p, Source: "billing"}, Sink: &RedisSink{Client: down}, Stream: "x"}
	if _, err := relay.Once(ctx, 10); err == nil {
		t.Fatal("publish to a dead Redis succeeded")
	}
	b, _ := (&PostgresOutbox{Pool: p}).Pending(ctx, 10)
	if len(b.Events) != 1 {
		t.Fatalf("the event was lost: %d pending", len(b.Events))
	}
	b.Release(ctx)
}

func TestLocalBusAndMemoryOutbox(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	bus := NewLocal()
	var got []string
	var mu sync.Mutex
	fail := true
	bus.Subscribe("s", "g", func(ctx context.Context, e Event) error {
		mu.Lock()
		defer mu.Unlock()
		if fail {
			fail = false
			return errors.New("once")
		}
		if !slices.Contains(got, e.Type) {
			got = append(got, e.Type)
		}
		return nil
	})
	out := NewMemoryOutbox()
	relay := &Relay{Source: out, Sink: bus, Stream: "s", Wake: out.Wake(), Interval: 10 * time.Millisecond}
	go relay.Run(ctx)
	out.Add(mustEvent(t, "a", 1))
	out.Add(mustEvent(t, "b", 2))
	deadline := time.Now().Add(2 * time.Second)
	for {
		mu.Lock()
		n := len(got)
		mu.Unlock()
		if n == 2 || time.Now().After(deadline) {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(got) != 2 || out.Len() != 0 {
		t.Fatalf("got %v, %d left", got, out.Len())
	}
}

func TestMemorySeen(t *testing.T) {
	var s MemorySeen
	if !s.FirstTime("g", "1") || s.FirstTime("g", "1") || !s.FirstTime("h", "1") {
		t.Fatal("dedupe")
	}
}
