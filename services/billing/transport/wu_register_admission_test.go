package transport

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/hostplane/hostplane/services/billing/checkout"
)

// gatedHasher holds every hash until open is closed, telling entered.
type gatedHasher struct {
	entered chan struct{}
	open    chan struct{}
}

func (g gatedHasher) Hash(string) (string, error) {
	g.entered <- struct{}{}
	<-g.open
	return "$argon2id$v=19$m=64,t=1,p=1$c2FsdA$aGFzaA", nil
}

func admissionBody(name string) string {
	return fmt.Sprintf(`{"customer":{"username":%q,"password":"securepass123","email":"%s@example.com"},
		"products":["basic-plan"],"site":{"site_url":"%ssite","site_title":"A Site"}}`, name, name, name)
}

// TestRegisterAdmission fills the one hashing slot and the one place in
// the queue: the registration past them is refused at once with 503,
// Retry-After and the wu error body, and the admitted ones complete.
func TestRegisterAdmission(t *testing.T) {
	g := gatedHasher{entered: make(chan struct{}, 8), open: make(chan struct{})}
	h := newHarnessWith(t, 1<<20, func(d *checkout.Deps) { d.Hasher, d.Hashing, d.HashQueue = g, 1, 1 })
	send := func(name string) *httptest.ResponseRecorder {
		return h.do(http.MethodPost, "/wp-json/wu/v2/register", admissionBody(name), root)
	}
	h.ok(http.MethodPost, "/wp-json/wu/v2/products", `{"name":"Basic Plan","slug":"basic-plan","amount":29.99}`)
	results := make(chan *httptest.ResponseRecorder, 3)
	var wg sync.WaitGroup
	wg.Go(func() { results <- send("first") })
	select {
	case <-g.entered: // first holds the slot
	case rec := <-results:
		t.Fatalf("first registration answered without hashing: %d %s", rec.Code, rec.Body)
	}
	for _, name := range []string{"second", "third"} {
		wg.Go(func() { results <- send(name) })
	}
	// Of second and third, one waits in the queue, the other is refused.
	refused := <-results
	if refused.Code != http.StatusServiceUnavailable || refused.Header().Get("Retry-After") != "1" {
		t.Fatalf("past the queue: %d, Retry-After %q, %s", refused.Code, refused.Header().Get("Retry-After"), refused.Body)
	}
	body := object(t, refused)
	data, _ := body["data"].(map[string]any)
	if body["code"] != "wu_rest_unavailable" || body["message"] == "" || data["status"] != float64(503) {
		t.Fatalf("refusal body %v", body)
	}
	close(g.open)
	wg.Wait()
	close(results)
	for rec := range results {
		if rec.Code != http.StatusOK {
			t.Fatalf("admitted registration: %d %s", rec.Code, rec.Body)
		}
	}
	if rec := send("fourth"); rec.Code != http.StatusOK {
		t.Fatalf("after the load: %d %s", rec.Code, rec.Body)
	}
}
