package billing_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/hostplane/hostplane/libs/component"
	"github.com/hostplane/hostplane/libs/events"
	"github.com/hostplane/hostplane/libs/pgkit/pgtest"
	"github.com/hostplane/hostplane/libs/redisx"
	"github.com/hostplane/hostplane/libs/testenv"
	"github.com/hostplane/hostplane/services/billing"
	"github.com/hostplane/hostplane/services/billing/checkout/fakesites"
)

// collector gathers the events a bus delivers.
type collector struct {
	mu    sync.Mutex
	types []string
	data  []json.RawMessage
}

func (c *collector) handle(_ context.Context, e events.Event) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.types = append(c.types, e.Type)
	c.data = append(c.data, e.Data)
	return nil
}

func (c *collector) wait(t *testing.T, want ...string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		c.mu.Lock()
		got := slices.Clone(c.types)
		c.mu.Unlock()
		ok := true
		for _, w := range want {
			ok = ok && slices.Contains(got, w)
		}
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("events %v, want %v", got, want)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// register drives a registration and a suspension through the API.
func register(t *testing.T, h http.Handler) {
	t.Helper()
	for _, step := range []struct{ method, path, body string }{
		{http.MethodPost, "/wp-json/wu/v2/products", `{"name":"Basic Plan","slug":"basic-plan","amount":29.99}`},
		{http.MethodPost, "/wp-json/wu/v2/register", `{"customer":{"username":"newuser","password":"securepass123","email":"n@example.com"},
			"products":["basic-plan"],"site":{"site_url":"mynewsite","site_title":"My New Site"},"payment":{"status":"completed"}}`},
		{http.MethodPost, "/api/application/services/1/suspend", `{"reason":"unpaid"}`},
	} {
		if rec := call(t, h, step.method, step.path, step.body); rec.Code/100 != 2 {
			t.Fatalf("%s %s: %d %s", step.method, step.path, rec.Code, rec.Body)
		}
	}
}

func TestEventsReachTheLocalBus(t *testing.T) {
	ctx := context.Background()
	cfg := testConfig()
	rt, err := component.New(ctx, billing.Name, cfg.Config, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	bus := events.NewLocal()
	var got collector
	bus.Subscribe(events.Stream("billing"), "test", got.handle)
	app, err := billing.New(ctx, cfg, rt, billing.Deps{Events: bus, Sites: fakesites.New()})
	if err != nil {
		t.Fatal(err)
	}
	defer app.Close()
	register(t, rt.Handler(app.API))
	got.wait(t, "product.created", "customer.created", "membership.created", "payment.created", "membership.updated", "membership.suspended")
	got.mu.Lock()
	defer got.mu.Unlock()
	for i, typ := range got.types {
		if typ == "membership.suspended" {
			if string(got.data[i]) != `{"membership_id":1,"customer_id":1,"plan_id":1,"site_id":1,"status":"on-hold"}` {
				t.Fatalf("membership.suspended data %s", got.data[i])
			}
		}
	}
}

// TestEventsReachRedis runs billing on PostgreSQL with Redis: the events
// go through the outbox and the relay to the stream, in a consumer group.
func TestEventsReachRedis(t *testing.T) {
	redisURL := testenv.NeedRedis(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	client, err := redisx.Open(redisURL, redisx.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	cfg := testConfig()
	cfg.DatabaseURL, cfg.RedisURL = pgtest.Fresh(t), redisURL
	rt, err := component.New(ctx, billing.Name, cfg.Config, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	// A group created before the events, reading from now on.
	group := "billing-test-" + time.Now().Format("150405.000000000")
	if err := client.XGroupCreateMkStream(ctx, events.Stream("billing"), group, "$").Err(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { client.XGroupDestroy(context.Background(), events.Stream("billing"), group) })
	app, err := billing.New(ctx, cfg, rt, billing.Deps{Sites: fakesites.New()})
	if err != nil {
		t.Fatal(err)
	}
	defer app.Close()
	register(t, rt.Handler(app.API))
	var got collector
	consumer := &events.Consumer{Client: client, Stream: events.Stream("billing"), Group: group, Name: "t", Block: 100 * time.Millisecond, Handler: got.handle}
	go consumer.Run(ctx)
	got.wait(t, "customer.created", "membership.created", "payment.created", "membership.suspended")
}
