package keyevents

import (
	"context"
	"crypto/rand"
	"io"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hostplane/hostplane/libs/testenv"
	"github.com/redis/go-redis/v9"
)

// newClient opens a client of the test Redis named name (visible in CLIENT
// LIST), closed when t ends.
func newClient(t *testing.T, rawURL, name string) *redis.Client {
	t.Helper()
	opt, err := redis.ParseURL(rawURL)
	if err != nil {
		t.Fatal(err)
	}
	opt.ClientName = name
	opt.DisableIdentity = true
	c := redis.NewClient(opt)
	t.Cleanup(func() { c.Close() })
	return c
}

func unique(prefix string) string { return prefix + "-" + rand.Text()[:12] }

func TestRedisTwoSubscribers(t *testing.T) {
	u := testenv.NeedRedis(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// Two gateways, each with its own client.
	var a, b inbox
	if err := NewRedis(newClient(t, u, unique("ke-a"))).Subscribe(ctx, a.add); err != nil {
		t.Fatalf("Subscribe a: %v", err)
	}
	if err := NewRedis(newClient(t, u, unique("ke-b"))).Subscribe(ctx, b.add); err != nil {
		t.Fatalf("Subscribe b: %v", err)
	}
	key := unique("revoked-key")
	// Subscribe returned: the subscriptions are active, the first publish
	// reaches both.
	if err := NewRedis(newClient(t, u, unique("ke-pub"))).Publish(ctx, key); err != nil {
		t.Fatalf("Publish: %v", err)
	}
	waitFor(t, time.Second, "both subscribers to receive the revocation", func() bool {
		return a.has(key) && b.has(key)
	})
	if a.count(key) != 1 || b.count(key) != 1 {
		t.Errorf("a got it %d times, b %d times; want once each", a.count(key), b.count(key))
	}
}

// subscriberConnected reports whether a connection named name is
// subscribed in Redis.
func subscriberConnected(t *testing.T, admin *redis.Client, name string) bool {
	t.Helper()
	list, err := admin.ClientList(context.Background()).Result()
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(list, "\n") {
		if strings.Contains(line, " name="+name+" ") && !strings.Contains(line, " sub=0 ") {
			return true
		}
	}
	return false
}

func TestRedisUnsubscribeOnCancel(t *testing.T) {
	u := testenv.NeedRedis(t)
	admin := newClient(t, u, unique("ke-admin"))
	name := unique("ke-cancel")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var got inbox
	if err := NewRedis(newClient(t, u, name)).Subscribe(ctx, got.add); err != nil {
		t.Fatal(err)
	}
	if !subscriberConnected(t, admin, name) {
		t.Fatal("no subscribed connection after Subscribe")
	}
	cancel()
	// The subscription ends with ctx, not at the next message.
	waitFor(t, 2*time.Second, "the subscription to close after cancel", func() bool {
		return !subscriberConnected(t, admin, name)
	})
	key := unique("after-cancel")
	if err := NewRedis(admin).Publish(context.Background(), key); err != nil {
		t.Fatal(err)
	}
	time.Sleep(50 * time.Millisecond)
	if got.has(key) {
		t.Error("received a revocation after ctx ended")
	}
}

func TestRedisErrors(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	c := redis.NewClient(&redis.Options{Addr: addr, MaxRetries: -1, DialTimeout: time.Second, DisableIdentity: true})
	defer c.Close()
	bus := NewRedis(c)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := bus.Publish(ctx, "k"); err == nil || !strings.Contains(err.Error(), "keyevents: publish") {
		t.Errorf("Publish to a closed port = %v", err)
	}
	if err := bus.Subscribe(ctx, func(string) {}); err == nil || !strings.Contains(err.Error(), "keyevents: subscribe") {
		t.Errorf("Subscribe to a closed port = %v", err)
	}
}

// proxy forwards TCP connections to target until cut closes them all.
type proxy struct {
	ln     net.Listener
	target string
	mu     sync.Mutex
	conns  []net.Conn
	wg     sync.WaitGroup
}

func newProxy(t *testing.T, target string) *proxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &proxy{ln: ln, target: target}
	p.wg.Add(1)
	go p.serve()
	t.Cleanup(func() {
		ln.Close()
		p.cut()
		p.wg.Wait()
	})
	return p
}

func (p *proxy) serve() {
	defer p.wg.Done()
	for {
		in, err := p.ln.Accept()
		if err != nil {
			return
		}
		out, err := net.Dial("tcp", p.target)
		if err != nil {
			in.Close()
			continue
		}
		p.mu.Lock()
		p.conns = append(p.conns, in, out)
		p.mu.Unlock()
		p.wg.Add(2)
		go func() { defer p.wg.Done(); io.Copy(out, in); out.Close() }()
		go func() { defer p.wg.Done(); io.Copy(in, out); in.Close() }()
	}
}

func (p *proxy) cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
}

func TestRedisResubscribesAfterOutage(t *testing.T) {
	u := testenv.NeedRedis(t)
	opt, err := redis.ParseURL(u)
	if err != nil {
		t.Fatal(err)
	}
	p := newProxy(t, opt.Addr)
	opt.Addr = p.ln.Addr().String()
	opt.DisableIdentity = true
	sc := redis.NewClient(opt)
	defer sc.Close()

	var reconnects atomic.Int32
	bus := NewRedis(sc)
	bus.OnReconnect = func() { reconnects.Add(1) }
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var got inbox
	if err := bus.Subscribe(ctx, got.add); err != nil {
		t.Fatal(err)
	}
	pub := NewRedis(newClient(t, u, unique("ke-pub")))
	before := unique("before")
	if err := pub.Publish(ctx, before); err != nil {
		t.Fatal(err)
	}
	waitFor(t, time.Second, "delivery before the outage", func() bool { return got.has(before) })

	p.cut()
	waitFor(t, 2*time.Second, "OnReconnect after the connection dropped", func() bool { return reconnects.Load() > 0 })

	// Messages published while resubscribing may be lost (that is what
	// OnReconnect is for); keep publishing until one arrives.
	after := unique("after")
	waitFor(t, 5*time.Second, "delivery after resubscribing", func() bool {
		if err := pub.Publish(ctx, after); err != nil {
			t.Fatal(err)
		}
		time.Sleep(20 * time.Millisecond)
		return got.has(after)
	})
}
