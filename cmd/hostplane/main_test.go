package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

func envOf(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestParseCreateKey(t *testing.T) {
	tests := []struct {
		name string
		args []string
		ok   bool
		want createKeyArgs
	}{
		{"cx style", []string{"CRM", "crm@example.com", "--permissions=*"}, true,
			createKeyArgs{Name: "CRM", Email: "crm@example.com", Permissions: []string{"*"}}},
		{"flags first and between", []string{"--rate-limit=5/s", "CRM", "--permissions=customers:index, customers:create", "crm@example.com", "--customer-id=4", "--expires-in=24h"}, true,
			createKeyArgs{Name: "CRM", Email: "crm@example.com", Permissions: []string{"customers:index", "customers:create"}, CustomerID: 4, RateLimit: "5/s", ExpiresIn: 24 * time.Hour}},
		{"missing permissions", []string{"CRM", "crm@example.com"}, false, createKeyArgs{}},
		{"bad email", []string{"CRM", "not-an-email", "--permissions=*"}, false, createKeyArgs{}},
		{"one argument", []string{"CRM", "--permissions=*"}, false, createKeyArgs{}},
		{"three arguments", []string{"a", "b@example.com", "c", "--permissions=*"}, false, createKeyArgs{}},
		{"negative customer", []string{"CRM", "crm@example.com", "--permissions=*", "--customer-id=-1"}, false, createKeyArgs{}},
		{"bad duration", []string{"CRM", "crm@example.com", "--permissions=*", "--expires-in=soon"}, false, createKeyArgs{}},
		{"unknown flag", []string{"CRM", "crm@example.com", "--permissions=*", "--colour=red"}, false, createKeyArgs{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseCreateKey(tt.args, envOf(nil))
			if tt.ok != (err == nil) {
				t.Fatalf("err = %v", err)
			}
			var ue usageError
			if err != nil && !errors.As(err, &ue) {
				t.Fatalf("not a usage error: %v", err)
			}
			if tt.ok && (got.Name != tt.want.Name || got.Email != tt.want.Email || strings.Join(got.Permissions, ",") != strings.Join(tt.want.Permissions, ",") ||
				got.CustomerID != tt.want.CustomerID || got.RateLimit != tt.want.RateLimit || got.ExpiresIn != tt.want.ExpiresIn) {
				t.Fatalf("got %+v", got)
			}
		})
	}
}

func TestUnknownCommandAndVersion(t *testing.T) {
	var out, errOut bytes.Buffer
	err := run(context.Background(), []string{"fly"}, &out, &errOut, envOf(nil))
	var ue usageError
	if !errors.As(err, &ue) || !strings.Contains(errOut.String(), "usage: hostplane") {
		t.Fatalf("err=%v stderr=%q", err, errOut.String())
	}
	out.Reset()
	if err := run(context.Background(), []string{"version"}, &out, &errOut, envOf(nil)); err != nil || !strings.HasPrefix(out.String(), "hostplane ") {
		t.Fatalf("version: %v %q", err, out.String())
	}
}

func TestCreateAPIKeyCallsTheGateway(t *testing.T) {
	var got struct {
		auth string
		body map[string]any
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != "POST" || r.URL.Path != "/api/application/keys" {
			w.WriteHeader(404)
			return
		}
		got.auth = r.Header.Get("Authorization")
		_ = json.NewDecoder(r.Body).Decode(&got.body)
		w.WriteHeader(201)
		_, _ = io.WriteString(w, `{"data":{"id":7,"name":"CRM","email":"crm@example.com","api_key":"hp_x","api_secret":"sec","token":"hp_x.sec","permissions":["*"],"status":"active"}}`)
	}))
	defer srv.Close()
	var out bytes.Buffer
	env := envOf(map[string]string{"HOSTPLANE_ROOT_API_KEY": "root", "HOSTPLANE_ROOT_API_SECRET": "rootsecret", "HOSTPLANE_ADDR": srv.URL})
	err := runCreateAPIKey(context.Background(), []string{"CRM", "crm@example.com", "--permissions=*", "--rate-limit=5/s", "--expires-in=1h"}, &out, env)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(got.auth, "Basic ") || got.body["rate_limit"] != "5/s" || got.body["expires_in"] != "1h0m0s" {
		t.Fatalf("request: %+v", got)
	}
	var printed map[string]any
	if err := json.Unmarshal(out.Bytes(), &printed); err != nil {
		t.Fatalf("output is not one JSON object: %q", out.String())
	}
	for _, k := range []string{"id", "name", "email", "api_key", "api_secret", "token", "permissions"} {
		if _, ok := printed[k]; !ok {
			t.Errorf("output lacks %s: %s", k, out.String())
		}
	}
	if len(printed) != 7 {
		t.Errorf("output has extra fields: %s", out.String())
	}
}

func TestCreateAPIKeyRefusal(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(422)
		_, _ = io.WriteString(w, `{"message":"The given data was invalid.","errors":{"permissions":["unknown permission \"fly\"."]}}`)
	}))
	defer srv.Close()
	env := envOf(map[string]string{"HOSTPLANE_ROOT_API_KEY": "root", "HOSTPLANE_ROOT_API_SECRET": "rootsecret"})
	err := runCreateAPIKey(context.Background(), []string{"CRM", "crm@example.com", "--permissions=fly", "--addr=" + srv.URL}, io.Discard, env)
	if err == nil || !strings.Contains(err.Error(), "permissions: unknown permission") {
		t.Fatalf("err = %v", err)
	}
}

func freePort(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	return port
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}
func (l *lockedBuffer) String() string { l.mu.Lock(); defer l.mu.Unlock(); return l.b.String() }

// TestDevMode runs single-node mode in process, follows the banner's curl
// and creates a key with the saved root credentials.
func TestDevMode(t *testing.T) {
	t.Setenv("XDG_STATE_HOME", t.TempDir())
	env := map[string]string{}
	for _, c := range []string{"GATEWAY", "AUTH", "BILLING", "SITES", "TENANCY", "STATS"} {
		env["HOSTPLANE_"+c+"_ADDR"] = "127.0.0.1:" + freePort(t)
	}
	ctx, cancel := context.WithCancel(context.Background())
	out := &lockedBuffer{}
	done := make(chan error, 1)
	go func() {
		done <- runDev(ctx, []string{"--log=" + t.TempDir() + "/dev.log"}, out, io.Discard, envOf(env))
	}()
	defer func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("dev: %v", err)
			}
		case <-time.After(30 * time.Second):
			t.Error("dev did not stop")
		}
	}()
	deadline := time.Now().Add(20 * time.Second)
	for !strings.Contains(out.String(), "Stop with Ctrl-C") {
		if time.Now().After(deadline) {
			t.Fatalf("no banner: %q", out.String())
		}
		select {
		case err := <-done:
			t.Fatalf("dev exited: %v", err)
		case <-time.After(50 * time.Millisecond):
		}
	}
	m := regexp.MustCompile(`curl -u '([^:]+):([^']+)' (\S+)`).FindStringSubmatch(out.String())
	if m == nil {
		t.Fatalf("no curl in banner: %s", out.String())
	}
	req, _ := http.NewRequest("GET", m[3], nil)
	req.SetBasicAuth(m[1], m[2])
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("banner curl: %d", resp.StatusCode)
	}
	var keyOut bytes.Buffer
	if err := runCreateAPIKey(context.Background(), []string{"CRM", "crm@example.com", "--permissions=customers:index"}, &keyOut, envOf(nil)); err != nil {
		t.Fatalf("create-api-key with the saved root credentials: %v", err)
	}
	var k createdKey
	if err := json.Unmarshal(keyOut.Bytes(), &k); err != nil || k.Token != k.APIKey+"."+k.APISecret {
		t.Fatalf("key: %q", keyOut.String())
	}
}
