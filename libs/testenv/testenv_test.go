package testenv

import (
	"bufio"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"
)

func TestRequired(t *testing.T) {
	tests := []struct {
		env  string
		name string
		want bool
	}{
		{"", Postgres, false},
		{"postgres", Postgres, true},
		{"postgres", Redis, false},
		{"postgres,redis,consul", Consul, true},
		{"postgres,redis,consul", Redis, true},
		{" redis , consul ", Redis, true},
		{" redis , consul ", Consul, true},
		{" redis , consul ", Postgres, false},
		{"all", Postgres, true},
		{"all", Consul, true},
		{"redis, all", Postgres, true},
		{"postgresql", Postgres, false}, // whole names only
		{"POSTGRES", Postgres, false},   // names are lower case
		{",,", Redis, false},
		{"redis,", Redis, true},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%q/%s", tt.env, tt.name), func(t *testing.T) {
			t.Setenv("HOSTPLANE_TEST_REQUIRE", tt.env)
			if got := Required(tt.name); got != tt.want {
				t.Errorf("Required(%q) with HOSTPLANE_TEST_REQUIRE=%q = %v, want %v", tt.name, tt.env, got, tt.want)
			}
		})
	}
}

// recordingTB records what Unavailable decides instead of ending the test;
// like the real methods, Skipf and Fatalf end the calling goroutine.
type recordingTB struct {
	testing.TB
	skipped, failed string
}

func (r *recordingTB) Helper() {}
func (r *recordingTB) Skipf(format string, a ...any) {
	r.skipped = fmt.Sprintf(format, a...)
	runtime.Goexit()
}
func (r *recordingTB) Fatalf(format string, a ...any) {
	r.failed = fmt.Sprintf(format, a...)
	runtime.Goexit()
}

// unavailable runs Unavailable on rec in a goroutine of its own.
func unavailable(rec *recordingTB, name string, err error) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		Unavailable(rec, name, err)
	}()
	<-done
}

func TestUnavailable(t *testing.T) {
	tests := []struct {
		env      string
		wantFail bool
	}{
		{"", false},
		{"consul", false},
		{"redis", true},
		{"postgres,redis", true},
		{"all", true},
	}
	for _, tt := range tests {
		t.Run(tt.env, func(t *testing.T) {
			t.Setenv("HOSTPLANE_TEST_REQUIRE", tt.env)
			rec := &recordingTB{TB: t}
			unavailable(rec, Redis, errors.New("connection refused"))
			if tt.wantFail {
				if rec.failed == "" || rec.skipped != "" {
					t.Fatalf("want a failure, got skipped=%q failed=%q", rec.skipped, rec.failed)
				}
				if !strings.Contains(rec.failed, "redis") || !strings.Contains(rec.failed, "connection refused") {
					t.Errorf("failure %q does not name the dependency and cause", rec.failed)
				}
				return
			}
			if rec.skipped == "" || rec.failed != "" {
				t.Fatalf("want a skip, got skipped=%q failed=%q", rec.skipped, rec.failed)
			}
			if !strings.Contains(rec.skipped, "HOSTPLANE_TEST_REQUIRE=redis") {
				t.Errorf("skip %q does not say how to require the dependency", rec.skipped)
			}
		})
	}
}

func TestLocations(t *testing.T) {
	tests := []struct {
		name, env, value string
		get              func() string
		want             string
	}{
		{"postgres default", "HOSTPLANE_TEST_DATABASE_URL", "", PostgresAdminURL, "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"},
		{"postgres env", "HOSTPLANE_TEST_DATABASE_URL", "postgres://a@db:1/x", PostgresAdminURL, "postgres://a@db:1/x"},
		{"redis default", "HOSTPLANE_TEST_REDIS_URL", "", RedisURL, "redis://127.0.0.1:6379/0"},
		{"redis env", "HOSTPLANE_TEST_REDIS_URL", "redis://r:1/2", RedisURL, "redis://r:1/2"},
		{"consul default", "CONSUL_HTTP_ADDR", "", ConsulAddr, "127.0.0.1:8500"},
		{"consul host:port", "CONSUL_HTTP_ADDR", "c:1", ConsulAddr, "c:1"},
		{"consul http url", "CONSUL_HTTP_ADDR", "http://c:2", ConsulAddr, "c:2"},
		{"consul https url", "CONSUL_HTTP_ADDR", "https://c:3", ConsulAddr, "c:3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv(tt.env, tt.value)
			if got := tt.get(); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// fakeRedis answers the first line it reads with reply.
func fakeRedis(t *testing.T, reply string) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	t.Cleanup(func() { ln.Close(); <-done })
	go func() {
		defer close(done)
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		if _, err := bufio.NewReader(c).ReadString('\n'); err != nil {
			return
		}
		_, _ = c.Write([]byte(reply))
	}()
	return "redis://" + ln.Addr().String() + "/0"
}

// closedAddr returns an address nothing listens on.
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

func TestCheckRedis(t *testing.T) {
	if err := CheckRedis(fakeRedis(t, "+PONG\r\n")); err != nil {
		t.Errorf("PONG: %v", err)
	}
	if err := CheckRedis(fakeRedis(t, "-NOAUTH Authentication required.\r\n")); err == nil || !strings.Contains(err.Error(), "NOAUTH") {
		t.Errorf("NOAUTH: err = %v, want the reply in the error", err)
	}
	if err := CheckRedis("redis://" + closedAddr(t)); err == nil {
		t.Error("closed port: want an error")
	}
}

func TestCheckConsul(t *testing.T) {
	tests := []struct {
		status  int
		wantErr bool
	}{
		{http.StatusOK, false},
		{http.StatusInternalServerError, true},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.status), func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path != "/v1/status/leader" {
					http.NotFound(w, r)
					return
				}
				w.WriteHeader(tt.status)
				_, _ = w.Write([]byte(`"127.0.0.1:8300"`))
			}))
			defer srv.Close()
			err := CheckConsul(strings.TrimPrefix(srv.URL, "http://"))
			if (err != nil) != tt.wantErr {
				t.Errorf("err = %v, wantErr %v", err, tt.wantErr)
			}
		})
	}
	if err := CheckConsul(closedAddr(t)); err == nil {
		t.Error("closed port: want an error")
	}
}

func TestCheckPostgres(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	if err := CheckPostgres("postgres://u@" + ln.Addr().String() + "/db"); err != nil {
		t.Errorf("listening: %v", err)
	}
	if err := CheckPostgres("postgres://u@" + closedAddr(t) + "/db"); err == nil {
		t.Error("closed port: want an error")
	}
}
