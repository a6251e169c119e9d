package consumer_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/hostplane/hostplane/libs/errs"
	"github.com/hostplane/hostplane/libs/events"
	"github.com/hostplane/hostplane/libs/redisx"
	"github.com/hostplane/hostplane/libs/testenv"
	"github.com/hostplane/hostplane/services/tenancy/consumer"
	"github.com/hostplane/hostplane/services/tenancy/memory"
	"github.com/hostplane/hostplane/services/tenancy/tenants"
)

// counting is a tenants.Service whose CreateSharedTables counts calls per
// site and fails as told.
type counting struct {
	tenants.Service
	mu    sync.Mutex
	calls map[int64]int
	fail  map[int64]error
}

func (c *counting) CreateSharedTables(_ context.Context, id int64) ([]string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.calls[id]++
	if err := c.fail[id]; err != nil {
		return nil, err
	}
	return []string{fmt.Sprintf("s%d_posts", id)}, nil
}

func (c *counting) count(id int64) int { c.mu.Lock(); defer c.mu.Unlock(); return c.calls[id] }

// knownSites knows sites 1 to 20, coded "site-<id>".
type knownSites struct{}

func (knownSites) Site(_ context.Context, id int64) (tenants.Site, error) {
	if id < 1 || id > 20 {
		return tenants.Site{}, errs.NotFoundResource("site", "")
	}
	return tenants.Site{ID: id, Code: fmt.Sprint("site-", id)}, nil
}

func siteEvent(t *testing.T, typ string, data any) events.Event {
	t.Helper()
	e, err := events.New("sites", typ, "site", data)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func TestHandlerCreatesTablesOncePerEvent(t *testing.T) {
	ctx := context.Background()
	svc := &counting{calls: map[int64]int{}, fail: map[int64]error{
		5: errs.New(errs.Conflict, "Site 5 is a sovereign tenant."),
		6: errors.New("hosting database down"),
	}}
	h := consumer.Handler(memory.NewTenants(), svc, knownSites{}, nil)
	created := siteEvent(t, consumer.SiteCreated, map[string]any{"site_id": 4, "code": "site-4", "customer_id": 1})
	for range 3 {
		if err := h(ctx, created); err != nil {
			t.Fatal(err)
		}
	}
	if svc.count(4) != 1 {
		t.Fatalf("site 4: %d calls", svc.count(4))
	}
	// Another event for the same site runs again (the tables exist: idempotent).
	if err := h(ctx, siteEvent(t, consumer.SiteCreated, map[string]any{"site_id": 4, "code": "site-4"})); err != nil || svc.count(4) != 2 {
		t.Fatalf("second event: %v %d", err, svc.count(4))
	}
	for name, e := range map[string]events.Event{
		"other type": siteEvent(t, "site.deleted", map[string]any{"site_id": 7}),
		"no site":    siteEvent(t, consumer.SiteCreated, map[string]any{"code": "x"}),
		"malformed":  {ID: "m", Type: consumer.SiteCreated, Data: []byte(`"nope"`)},
		"sovereign":  siteEvent(t, consumer.SiteCreated, map[string]any{"site_id": 5, "code": "site-5"}),
		"unknown":    siteEvent(t, consumer.SiteCreated, map[string]any{"site_id": 50, "code": "site-50"}),
		"other code": siteEvent(t, consumer.SiteCreated, map[string]any{"site_id": 8, "code": "elsewhere"}),
	} {
		if err := h(ctx, e); err != nil {
			t.Errorf("%s: %v (acknowledged and skipped)", name, err)
		}
	}
	if svc.count(7) != 0 || svc.count(50) != 0 || svc.count(8) != 0 {
		t.Fatal("tables created for a deleted, unknown or foreign site")
	}
	// A real failure is returned: the event comes back, and runs again.
	failing := siteEvent(t, consumer.SiteCreated, map[string]any{"site_id": 6, "code": "site-6"})
	if err := h(ctx, failing); err == nil {
		t.Fatal("failure swallowed")
	}
	svc.mu.Lock()
	delete(svc.fail, 6)
	svc.mu.Unlock()
	if err := h(ctx, failing); err != nil || svc.count(6) != 2 {
		t.Fatalf("redelivery: %v %d", err, svc.count(6))
	}
}

// Through a real Redis Stream and consumer group, duplicates included.
func TestOverRedis(t *testing.T) {
	rdb, err := redisx.Open(testenv.NeedRedis(t), redisx.Options{Timeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer rdb.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stream := fmt.Sprintf("hostplane:test:tenancy-consumer:%d", rand.Int64())
	defer rdb.Del(context.Background(), stream)
	svc := &counting{calls: map[int64]int{}, fail: map[int64]error{}}
	c := &events.Consumer{Client: rdb, Stream: stream, Group: consumer.Group, Name: "t", Block: 50 * time.Millisecond,
		Handler: consumer.Handler(memory.NewTenants(), svc, knownSites{}, nil)}
	go func() { _ = c.Run(ctx) }()
	sink := &events.RedisSink{Client: rdb}
	e := siteEvent(t, consumer.SiteCreated, map[string]any{"site_id": 11, "code": "site-11", "customer_id": 3})
	if err := sink.Publish(ctx, stream, []events.Event{e, e}); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for svc.count(11) == 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	time.Sleep(100 * time.Millisecond)
	if svc.count(11) != 1 {
		t.Fatalf("%d calls", svc.count(11))
	}
	pending, err := rdb.XPending(ctx, stream, consumer.Group).Result()
	if err != nil || pending.Count != 0 {
		t.Fatalf("pending %+v %v", pending, err)
	}
}
