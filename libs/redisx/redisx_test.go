package redisx

import (
	"context"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hostplane/hostplane/libs/testenv"
	"go.opentelemetry.io/otel/codes"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
)

// closedAddr is an address that refuses connections.
func closedAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// blackHole accepts connections and never answers; it closes them when
// the test ends.
func blackHole(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var conns []net.Conn
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		<-done
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			c.Close()
		}
	})
	return ln.Addr().String()
}

func TestOpenBadURL(t *testing.T) {
	for _, u := range []string{"", "http://127.0.0.1:6379", "redis://h:6379/notanumber"} {
		if _, err := Open(u, Options{}); err == nil || !strings.Contains(err.Error(), "redisx: parse url") {
			t.Errorf("Open(%q) = %v, want a parse error", u, err)
		}
	}
}

func TestOpenAppliesOptions(t *testing.T) {
	tests := []struct {
		name        string
		o           Options
		wantTimeout time.Duration
		wantRetries int
		wantPool    int
	}{
		{"defaults", Options{}, time.Second, 3, 0},
		// go-redis reads MaxRetries -1 as "no retries" and stores 0.
		{"fail fast", Options{Timeout: 250 * time.Millisecond, FailFast: true, PoolSize: 7}, 250 * time.Millisecond, 0, 7},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Open("redis://127.0.0.1:6379/3", tt.o)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			o := c.Options()
			if o.DialTimeout != tt.wantTimeout || o.ReadTimeout != tt.wantTimeout || o.WriteTimeout != tt.wantTimeout || o.PoolTimeout != tt.wantTimeout {
				t.Errorf("timeouts dial %s read %s write %s pool %s, want %s", o.DialTimeout, o.ReadTimeout, o.WriteTimeout, o.PoolTimeout, tt.wantTimeout)
			}
			if o.MaxRetries != tt.wantRetries {
				t.Errorf("MaxRetries = %d, want %d", o.MaxRetries, tt.wantRetries)
			}
			if tt.wantPool != 0 && o.PoolSize != tt.wantPool {
				t.Errorf("PoolSize = %d, want %d", o.PoolSize, tt.wantPool)
			}
			if o.DB != 3 {
				t.Errorf("DB = %d, want 3 from the URL", o.DB)
			}
		})
	}
}

func TestFailFastRefused(t *testing.T) {
	c, err := Open("redis://"+closedAddr(t)+"/0", Options{FailFast: true, Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ping := Ping(c)
	for i := range 3 {
		start := time.Now()
		_, err := ping(context.Background())
		d := time.Since(start)
		if err == nil {
			t.Fatalf("call %d: Ping succeeded against a closed port", i)
		}
		if d > 200*time.Millisecond {
			t.Errorf("call %d took %s, want < 200ms against a refusing port", i, d)
		}
	}
}

func TestFailFastHung(t *testing.T) {
	const timeout = 300 * time.Millisecond
	c, err := Open("redis://"+blackHole(t)+"/0", Options{FailFast: true, Timeout: timeout})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	start := time.Now()
	_, err = Ping(c)(context.Background())
	d := time.Since(start)
	if err == nil {
		t.Fatal("Ping succeeded against a server that never answers")
	}
	if d < timeout*8/10 || d > 3*timeout {
		t.Errorf("Ping gave up after %s, want about Timeout (%s)", d, timeout)
	}
}

func TestPingRealRedis(t *testing.T) {
	u := testenv.NeedRedis(t)
	c, err := Open(u, Options{FailFast: true})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	detail, err := Ping(c)(ctx)
	if err != nil || detail != "" {
		t.Errorf("Ping = %q, %v; want success", detail, err)
	}
}

func TestTracingHook(t *testing.T) {
	u := testenv.NeedRedis(t)
	exp := tracetest.NewInMemoryExporter()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(exp))
	defer tp.Shutdown(context.Background())
	tracer := tp.Tracer("redisx-test")
	c, err := Open(u, Options{Tracer: tracer})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()

	if err := c.Ping(ctx).Err(); err != nil {
		t.Fatal(err)
	}
	if n := len(exp.GetSpans()); n != 0 {
		t.Fatalf("%d spans for an untraced command, want 0", n)
	}

	key := "hostplane:test:redisx:" + time.Now().Format("150405.000000000")
	tctx, span := tracer.Start(ctx, "request")
	_ = c.Get(tctx, key).Err() // redis.Nil: not an error
	_ = c.Do(tctx, "NOSUCHCOMMAND").Err()
	pipe := c.Pipeline()
	pipe.Incr(tctx, key)
	pipe.Del(tctx, key)
	if _, err := pipe.Exec(tctx); err != nil {
		t.Fatal(err)
	}
	span.End()

	type got struct {
		name string
		err  bool
	}
	var spans []got
	for _, s := range exp.GetSpans() {
		if s.Name == "request" || s.Name == "redis hello" { // hello: a connection's handshake
			continue
		}
		if s.Parent.SpanID() != span.SpanContext().SpanID() {
			t.Errorf("%s: parent %v, want the request span", s.Name, s.Parent.SpanID())
		}
		spans = append(spans, got{s.Name, s.Status.Code == codes.Error})
	}
	want := []got{{"redis get", false}, {"redis nosuchcommand", true}, {"redis pipeline", false}}
	if len(spans) != len(want) {
		t.Fatalf("spans = %+v, want %+v", spans, want)
	}
	for i := range want {
		if spans[i] != want[i] {
			t.Errorf("span %d = %+v, want %+v", i, spans[i], want[i])
		}
	}
}
