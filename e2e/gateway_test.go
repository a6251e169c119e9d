package e2e

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// createKey makes a key through the gateway with the root key.
func (s *stack) createKey(perms []string, extra map[string]any) (key, secret string, id int64) {
	s.t.Helper()
	body := map[string]any{"name": "e2e", "email": "e2e@example.com", "permissions": perms}
	for k, v := range extra {
		body[k] = v
	}
	b, _ := json.Marshal(body)
	resp, out := s.request("POST", "/api/application/keys", basic(s.rootKey, s.rootSecret), b)
	if resp.StatusCode != http.StatusCreated {
		s.t.Fatalf("create key: %d %s", resp.StatusCode, out)
	}
	var v struct {
		Data struct {
			ID        int64  `json:"id"`
			APIKey    string `json:"api_key"`
			APISecret string `json:"api_secret"`
			Token     string `json:"token"`
		} `json:"data"`
	}
	if err := json.Unmarshal([]byte(out), &v); err != nil || v.Data.Token != v.Data.APIKey+"."+v.Data.APISecret {
		s.t.Fatalf("create key answer: %s", out)
	}
	return v.Data.APIKey, v.Data.APISecret, v.Data.ID
}

func TestE2EGateway(t *testing.T) {
	s := startStack(t, 2)
	key, secret, _ := s.createKey([]string{"*"}, nil)

	t.Run("every way in, every dialect", func(t *testing.T) {
		presentations := map[string]auth{
			"basic": basic(key, secret), "query": query(key, secret), "bearer": bearer(key, secret), "token": token(key, secret),
			"query with dashes": func(r *http.Request) {
				r.URL.RawQuery = "api-key=" + key + "&api-secret=" + secret
			},
		}
		for name, a := range presentations {
			for _, path := range []string{"/wp-json/wu/v2/auth", "/wp-json/wu/v2/customers", "/api/application/keys", "/v1/rate.json"} {
				resp, body := s.request("GET", path, a, nil)
				if resp.StatusCode != 200 {
					t.Errorf("%s %s: %d %s", name, path, resp.StatusCode, body)
				}
			}
		}
	})

	t.Run("wrong secret in each dialect's shape", func(t *testing.T) {
		cases := []struct{ path, want string }{
			{"/wp-json/wu/v2/customers", `{"code":"rest_forbidden","message":"Unauthenticated: invalid API key or secret.","data":{"status":401}}`},
			{"/api/application/keys", `{"message":"Unauthenticated."}`},
			{"/v1/rate.json", `"meta":{"success":false,"status_code":401`},
		}
		for _, c := range cases {
			resp, body := s.request("GET", c.path, basic(key, "not-the-secret-0000"), nil)
			if resp.StatusCode != 401 || !strings.Contains(body, c.want) {
				t.Errorf("%s: %d %s", c.path, resp.StatusCode, body)
			}
		}
		resp, body := s.request("GET", "/v1/rate.json", token(key, "not-the-secret-0000"), nil)
		if !strings.Contains(body, `"code":4311`) {
			t.Errorf("sb bad token code: %d %s", resp.StatusCode, body)
		}
	})

	t.Run("a scoped key is refused with 403", func(t *testing.T) {
		k, sec, _ := s.createKey([]string{"keys:index"}, nil)
		resp, body := s.request("GET", "/wp-json/wu/v2/customers", basic(k, sec), nil)
		if resp.StatusCode != 403 || !strings.Contains(body, `"code":"rest_forbidden"`) {
			t.Fatalf("%d %s", resp.StatusCode, body)
		}
		if resp, body := s.request("GET", "/api/application/keys", bearer(k, sec), nil); resp.StatusCode != 200 {
			t.Fatalf("granted scope: %d %s", resp.StatusCode, body)
		}
	})

	t.Run("a 5/s key gets 429 with Retry-After", func(t *testing.T) {
		k, sec, _ := s.createKey([]string{"*"}, map[string]any{"rate_limit": "5/s"})
		var got *http.Response
		var body string
		for range 8 {
			got, body = s.request("GET", "/wp-json/wu/v2/customers", basic(k, sec), nil)
			if got.StatusCode == 429 {
				break
			}
		}
		if got.StatusCode != 429 || got.Header.Get("Retry-After") == "" || !strings.Contains(body, "wu_rest_rate_limited") {
			t.Fatalf("%d %v %s", got.StatusCode, got.Header, body)
		}
	})

	t.Run("a forged principal sent straight to a service is refused", func(t *testing.T) {
		billing := s.proc("billing", 0)
		forged := "eyJraWQiOjEsInAiOlsiKiJdfQ" // {"kid":1,"p":["*"]}
		resp, body := do(t, "GET", "http://"+billing.addr+"/wp-json/wu/v2/customers", nil, nil,
			"X-Hostplane-Principal", forged, "X-Hostplane-Timestamp", "1", "X-Hostplane-Signature", "00")
		if resp.StatusCode != 401 {
			t.Fatalf("forged: %d %s", resp.StatusCode, body)
		}
		resp, _ = do(t, "GET", "http://"+billing.addr+"/wp-json/wu/v2/customers", nil, nil)
		if resp.StatusCode != 401 {
			t.Fatalf("unsigned: %d", resp.StatusCode)
		}
	})

	t.Run("a revoked key is refused at once", func(t *testing.T) {
		k, sec, id := s.createKey([]string{"*"}, nil)
		if resp, _ := s.request("GET", "/wp-json/wu/v2/customers", basic(k, sec), nil); resp.StatusCode != 200 {
			t.Fatal("new key refused")
		}
		if resp, body := s.request("DELETE", "/api/application/keys/"+itoa(id), basic(s.rootKey, s.rootSecret), nil); resp.StatusCode != 200 {
			t.Fatalf("revoke: %d %s", resp.StatusCode, body)
		}
		deadline := time.Now().Add(time.Second)
		for {
			resp, _ := s.request("GET", "/wp-json/wu/v2/customers", basic(k, sec), nil)
			if resp.StatusCode == 401 {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("revoked key still served after 1 s: %d", resp.StatusCode)
			}
			time.Sleep(20 * time.Millisecond)
		}
	})

	t.Run("one billing instance killed mid-load: no failed GET", func(t *testing.T) {
		lk, ls, _ := s.createKey([]string{"customers:index"}, map[string]any{"rate_limit": "100000/s"})
		var ok, failed atomic.Int64
		var firstErr atomic.Value
		stop := make(chan struct{})
		var wg sync.WaitGroup
		for range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					select {
					case <-stop:
						return
					default:
					}
					req, _ := http.NewRequest("GET", s.gatewayURL+"/wp-json/wu/v2/customers", nil)
					req.SetBasicAuth(lk, ls)
					resp, err := client.Do(req)
					if err != nil {
						failed.Add(1)
						firstErr.CompareAndSwap(nil, err.Error())
						continue
					}
					resp.Body.Close()
					if resp.StatusCode != 200 {
						failed.Add(1)
						firstErr.CompareAndSwap(nil, resp.Status)
						continue
					}
					ok.Add(1)
				}
			}()
		}
		time.Sleep(1500 * time.Millisecond)
		s.kill(s.proc("billing", 1))
		time.Sleep(3 * time.Second)
		close(stop)
		wg.Wait()
		if failed.Load() != 0 || ok.Load() < 100 {
			t.Fatalf("ok=%d failed=%d first error: %v", ok.Load(), failed.Load(), firstErr.Load())
		}
		t.Logf("%d GETs, none failed, across the kill", ok.Load())
	})

	t.Run("api_secret never reaches the logs", func(t *testing.T) {
		logs := s.logs()
		for _, secret := range []string{secret, s.rootSecret} {
			if strings.Contains(logs, secret) {
				t.Fatal("a secret is in the logs")
			}
		}
		if !strings.Contains(logs, `"component":"gateway"`) {
			t.Fatal("no gateway logs captured: the check above proves nothing")
		}
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
