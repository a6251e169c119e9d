package httpkit

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

var discard = slog.New(slog.DiscardHandler)

// waitUntil polls cond every few milliseconds until it holds or d passes.
func waitUntil(t *testing.T, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s", d, what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func refused(addr string) bool {
	c, err := net.DialTimeout("tcp", addr, 200*time.Millisecond)
	if err != nil {
		return true
	}
	c.Close()
	return false
}

// newClient is a client of its own, so that no keep-alive connection is
// shared between tests.
func newClient(t *testing.T) *http.Client {
	tr := &http.Transport{DisableKeepAlives: true}
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr, Timeout: 5 * time.Second}
}

func TestServeListenerDrainsInFlight(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	started := make(chan struct{})
	release := make(chan struct{})
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/slow" {
			close(started)
			<-release
		}
		_, _ = io.WriteString(w, "done "+r.URL.Path)
	})

	// onShutdown must run before the listener closes: it can still connect.
	shutdownCalled := make(chan bool, 1)
	onShutdown := func() {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			c.Close()
		}
		shutdownCalled <- err == nil
	}

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cfg := DefaultServerConfig(addr)
	cfg.ShutdownTimeout = 5 * time.Second
	served := make(chan error, 1)
	go func() { served <- ServeListener(ctx, ln, cfg, h, discard, onShutdown) }()

	client := newClient(t)
	if resp, err := client.Get("http://" + addr + "/fast"); err != nil {
		t.Fatalf("before shutdown: %v", err)
	} else {
		resp.Body.Close()
	}

	type result struct {
		status int
		body   string
		err    error
	}
	slow := make(chan result, 1)
	go func() {
		resp, err := client.Get("http://" + addr + "/slow")
		if err != nil {
			slow <- result{err: err}
			return
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		slow <- result{resp.StatusCode, string(b), err}
	}()
	select {
	case <-started:
	case <-time.After(5 * time.Second):
		t.Fatal("slow request never reached the handler")
	}

	cancel()
	select {
	case listening := <-shutdownCalled:
		if !listening {
			t.Error("onShutdown ran after the listener was closed; want it first")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("onShutdown was not called")
	}
	waitUntil(t, 5*time.Second, "new connections to be refused", func() bool { return refused(addr) })
	select {
	case err := <-served:
		t.Fatalf("ServeListener returned %v with a request in flight", err)
	default:
	}

	close(release)
	select {
	case r := <-slow:
		if r.err != nil || r.status != http.StatusOK || r.body != "done /slow" {
			t.Errorf("in-flight request: status %d body %q err %v; want 200 \"done /slow\"", r.status, r.body, r.err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("in-flight request did not complete")
	}
	select {
	case err := <-served:
		if err != nil {
			t.Errorf("ServeListener = %v, want nil after a clean drain", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("ServeListener did not return after draining")
	}
}

func TestServeListenerShutdownTimeout(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	started := make(chan struct{})
	release := make(chan struct{})
	defer close(release)
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(started)
		<-release
	})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cfg := DefaultServerConfig(addr)
	cfg.ShutdownTimeout = 100 * time.Millisecond
	served := make(chan error, 1)
	go func() { served <- ServeListener(ctx, ln, cfg, h, discard) }()

	client := newClient(t)
	go func() {
		if resp, err := client.Get("http://" + addr + "/stuck"); err == nil {
			resp.Body.Close()
		}
	}()
	<-started
	begin := time.Now()
	cancel()
	select {
	case err := <-served:
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("ServeListener = %v, want the shutdown deadline", err)
		}
		if d := time.Since(begin); d > 2*time.Second {
			t.Errorf("returned after %s, want about ShutdownTimeout (100ms)", d)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("ServeListener did not give up after ShutdownTimeout")
	}
}

func TestServeListenError(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	err = Serve(context.Background(), DefaultServerConfig(ln.Addr().String()), http.NotFoundHandler(), discard)
	if err == nil || !strings.Contains(err.Error(), "listen") {
		t.Fatalf("Serve on a busy address = %v, want a listen error", err)
	}
}

func TestServeListenerClosedListener(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ln.Close()
	done := make(chan error, 1)
	go func() {
		done <- ServeListener(context.Background(), ln, DefaultServerConfig(""), http.NotFoundHandler(), discard)
	}()
	select {
	case err := <-done:
		if err == nil {
			t.Fatal("want an error from a closed listener")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("ServeListener on a closed listener did not return")
	}
}
