package discovery

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/hostplane/hostplane/libs/errs"
	"github.com/hostplane/hostplane/libs/testenv"
)

// waitFor polls cond until it holds or 15 s pass.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after 15s waiting for %s", what)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func uniqueName(prefix string) string {
	return prefix + "-" + rand.Text()[:10]
}

func TestConsulRegisterResolveDeregister(t *testing.T) {
	addr := testenv.NeedConsul(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()

	// A real instance whose readiness endpoint Consul's HTTP check calls.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/readyz" {
			http.NotFound(w, r)
			return
		}
		_, _ = w.Write([]byte("ok"))
	}))
	defer srv.Close()
	host, portStr, err := net.SplitHostPort(srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	port, _ := strconv.Atoi(portStr)
	service := uniqueName("discoverytest")

	r, err := NewConsul(ctx, addr, []string{service}, nil, nil)
	if err != nil {
		t.Fatalf("NewConsul: %v", err)
	}
	defer r.Close()
	if got := r.Instances(service); len(got) != 0 {
		t.Fatalf("instances before registration = %v", got)
	}
	changed := r.Changed(service)

	deregister, err := Register(ctx, addr, Registration{
		Service:       service,
		Address:       host,
		Port:          port,
		Tags:          []string{"test"},
		Meta:          map[string]string{"version": "test"},
		CheckInterval: 500 * time.Millisecond,
	})
	if err != nil {
		t.Fatalf("Register: %v", err)
	}
	want := []string{net.JoinHostPort(host, portStr)}
	waitFor(t, "the instance to pass its check and appear", func() bool {
		return slices.Equal(r.Instances(service), want)
	})
	select {
	case <-changed:
	default:
		t.Error("Changed was not closed when the instance appeared")
	}
	if err := r.Err(service); err != nil {
		t.Errorf("Err = %v", err)
	}
	b := NewBalancer(r, service)
	if got, err := b.Next(); err != nil || got != want[0] {
		t.Errorf("Balancer.Next() = %q, %v; want %q", got, err, want[0])
	}

	if err := deregister(ctx); err != nil {
		t.Fatalf("deregister: %v", err)
	}
	waitFor(t, "the instance to disappear", func() bool { return len(r.Instances(service)) == 0 })
	if _, err := b.Next(); !errors.Is(err, errs.Unavailable) {
		t.Errorf("Balancer.Next() after deregistration: err = %v, want Unavailable", err)
	}
	start := time.Now()
	if err := r.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("Close took %v: the blocking query in flight was not cancelled", d)
	}
	if err := r.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

func TestConsulFailingCheckStaysHidden(t *testing.T) {
	addr := testenv.NeedConsul(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		http.Error(w, "not ready", http.StatusServiceUnavailable)
	}))
	defer srv.Close()
	host, portStr, _ := net.SplitHostPort(srv.Listener.Addr().String())
	port, _ := strconv.Atoi(portStr)
	service := uniqueName("discoverytest")

	r, err := NewConsul(ctx, addr, []string{service}, nil, nil)
	if err != nil {
		t.Fatalf("NewConsul: %v", err)
	}
	defer r.Close()
	deregister, err := Register(ctx, addr, Registration{Service: service, Address: host, Port: port, CheckInterval: 200 * time.Millisecond})
	if err != nil {
		t.Fatalf("Register: %v", err)
	}
	defer func() { _ = deregister(context.Background()) }()
	time.Sleep(1500 * time.Millisecond) // several check runs
	if got := r.Instances(service); len(got) != 0 {
		t.Errorf("an instance failing its check is listed: %v", got)
	}
}

func TestNewConsulUnreachable(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	dead := ln.Addr().String()
	_ = ln.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if _, err := NewConsul(ctx, dead, []string{"x"}, nil, nil); err == nil {
		t.Fatal("NewConsul against a closed port succeeded")
	}
}

func TestRegistrationDefaults(t *testing.T) {
	tests := []struct {
		name    string
		reg     Registration
		wantErr bool
		wantID  string
		wantURL string
	}{
		{"defaults", Registration{Service: "billing", Address: "10.0.0.5", Port: 8082}, false, "billing-10.0.0.5-8082", "http://10.0.0.5:8082/readyz"},
		{"custom", Registration{Service: "auth", ID: "auth-1", Address: "::1", Port: 8081, CheckPath: "/health"}, false, "auth-1", "http://[::1]:8081/health"},
		{"no service", Registration{Address: "a", Port: 1}, true, "", ""},
		{"no address", Registration{Service: "s", Port: 1}, true, "", ""},
		{"bad port", Registration{Service: "s", Address: "a", Port: 0}, true, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := tt.reg.withDefaults()
			if (err != nil) != tt.wantErr {
				t.Fatalf("withDefaults() error = %v, wantErr %v", err, tt.wantErr)
			}
			if err != nil {
				return
			}
			ar := r.agentRegistration()
			if ar.ID != tt.wantID || ar.Check.HTTP != tt.wantURL {
				t.Errorf("ID, check = %q, %q; want %q, %q", ar.ID, ar.Check.HTTP, tt.wantID, tt.wantURL)
			}
			if ar.Check.Interval != "2s" || ar.Check.DeregisterCriticalServiceAfter != "1m0s" {
				t.Errorf("interval, deregister after = %q, %q", ar.Check.Interval, ar.Check.DeregisterCriticalServiceAfter)
			}
		})
	}
}

func TestKV(t *testing.T) {
	addr := testenv.NeedConsul(t)
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	key := fmt.Sprintf("hostplane/test/%s/route", uniqueName("kv"))

	if _, err := GetKV(ctx, addr, key); !errors.Is(err, errs.NotFound) {
		t.Fatalf("GetKV of a missing key: err = %v, want NotFound", err)
	}
	if err := PutKV(ctx, addr, key, []byte(`{"db":"tenant_1"}`)); err != nil {
		t.Fatalf("PutKV: %v", err)
	}
	got, err := GetKV(ctx, addr, key)
	if err != nil || string(got) != `{"db":"tenant_1"}` {
		t.Fatalf("GetKV = %q, %v", got, err)
	}
	if err := PutKV(ctx, addr, key, []byte("v2")); err != nil {
		t.Fatalf("PutKV overwrite: %v", err)
	}
	if got, _ := GetKV(ctx, addr, key); string(got) != "v2" {
		t.Fatalf("GetKV after overwrite = %q", got)
	}
	if err := DeleteKV(ctx, addr, key); err != nil {
		t.Fatalf("DeleteKV: %v", err)
	}
	if _, err := GetKV(ctx, addr, key); !errors.Is(err, errs.NotFound) {
		t.Fatalf("GetKV after delete: err = %v, want NotFound", err)
	}
	if err := DeleteKV(ctx, addr, key); err != nil {
		t.Fatalf("DeleteKV of a missing key: %v", err)
	}
}
