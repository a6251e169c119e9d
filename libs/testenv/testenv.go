// Package testenv finds the real infrastructure integration tests use
// (PostgreSQL, Redis, Consul) and decides what a missing one means: a skip,
// or — when HOSTPLANE_TEST_REQUIRE names it, as CI does — a failure.
//
// It depends on nothing but the standard library so that any test package
// can import it cheaply.
package testenv

import (
	"bufio"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"
)

// Dependency names used in HOSTPLANE_TEST_REQUIRE.
const (
	Postgres = "postgres"
	Redis    = "redis"
	Consul   = "consul"
)

// Required reports whether dependency name must be present.
func Required(name string) bool {
	for _, n := range strings.Split(os.Getenv("HOSTPLANE_TEST_REQUIRE"), ",") {
		if strings.TrimSpace(n) == name || strings.TrimSpace(n) == "all" {
			return true
		}
	}
	return false
}

// Unavailable skips t, or fails it when the dependency is required.
func Unavailable(t testing.TB, name string, err error) {
	t.Helper()
	if Required(name) {
		t.Fatalf("%s is required (HOSTPLANE_TEST_REQUIRE) but unavailable: %v", name, err)
	}
	t.Skipf("%s unavailable: %v (set HOSTPLANE_TEST_REQUIRE=%s to fail instead)", name, err, name)
}

// PostgresAdminURL is the URL of a role allowed to create databases.
func PostgresAdminURL() string {
	if u := os.Getenv("HOSTPLANE_TEST_DATABASE_URL"); u != "" {
		return u
	}
	return "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
}

// RedisURL is the Redis tests use.
func RedisURL() string {
	if u := os.Getenv("HOSTPLANE_TEST_REDIS_URL"); u != "" {
		return u
	}
	return "redis://127.0.0.1:6379/0"
}

// ConsulAddr is the Consul agent tests use (host:port).
func ConsulAddr() string {
	if a := os.Getenv("CONSUL_HTTP_ADDR"); a != "" {
		return strings.TrimPrefix(strings.TrimPrefix(a, "http://"), "https://")
	}
	return "127.0.0.1:8500"
}

// NeedPostgres returns the admin URL, or skips/fails t.
func NeedPostgres(t testing.TB) string {
	t.Helper()
	u := PostgresAdminURL()
	if err := CheckPostgres(u); err != nil {
		Unavailable(t, Postgres, err)
	}
	return u
}

// NeedRedis returns the Redis URL, or skips/fails t.
func NeedRedis(t testing.TB) string {
	t.Helper()
	u := RedisURL()
	if err := CheckRedis(u); err != nil {
		Unavailable(t, Redis, err)
	}
	return u
}

// NeedConsul returns the Consul address, or skips/fails t.
func NeedConsul(t testing.TB) string {
	t.Helper()
	a := ConsulAddr()
	if err := CheckConsul(a); err != nil {
		Unavailable(t, Consul, err)
	}
	return a
}

// CheckPostgres dials the server of a PostgreSQL URL.
func CheckPostgres(rawURL string) error {
	u, err := url.Parse(rawURL)
	if err != nil {
		return err
	}
	host := u.Host
	if host == "" {
		host = "127.0.0.1:5432"
	}
	if !strings.Contains(host, ":") {
		host += ":5432"
	}
	c, err := net.DialTimeout("tcp", host, 2*time.Second)
	if err != nil {
		return err
	}
	return c.Close()
}

// CheckRedis sends PING to the server of a Redis URL.
func CheckRedis(rawURL string) error {
	u, err := url.Parse(rawURL)
	if err != nil {
		return err
	}
	c, err := net.DialTimeout("tcp", u.Host, 2*time.Second)
	if err != nil {
		return err
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(2 * time.Second))
	if _, err := c.Write([]byte("PING\r\n")); err != nil {
		return err
	}
	line, err := bufio.NewReader(c).ReadString('\n')
	if err != nil {
		return err
	}
	if !strings.HasPrefix(line, "+PONG") {
		return fmt.Errorf("unexpected reply %q", strings.TrimSpace(line))
	}
	return nil
}

// CheckConsul asks the agent for its leader.
func CheckConsul(addr string) error {
	c := &http.Client{Timeout: 2 * time.Second}
	resp, err := c.Get("http://" + addr + "/v1/status/leader")
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("consul status %d", resp.StatusCode)
	}
	return nil
}
