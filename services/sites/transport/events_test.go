package transport_test

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/hostplane/hostplane/libs/events"
	"github.com/hostplane/hostplane/services/sites/site"
)

// The service's events reach its stream: what tenancy and stats follow.
func TestEventsPublished(t *testing.T) {
	h := newHarness(t)
	var mu sync.Mutex
	var got []events.Event
	h.bus.Subscribe(events.Stream("sites"), "test", func(_ context.Context, e events.Event) error {
		mu.Lock()
		defer mu.Unlock()
		if e.Subject != "site:1" { // the default template, made at start
			got = append(got, e)
		}
		return nil
	})
	h.ok("POST", "/wp-json/wu/v2/sites", `{"slug":"evented","customer_id":5}`)
	h.ok("POST", "/wp-json/wu/v2/domains", `{"domain":"evented.example.com","customer_id":5}`)
	h.backup("evented")
	h.ok("DELETE", "/v1/sites/evented.json", "")
	want := []string{site.EventCreated, "domain.created", "backup.created", site.EventDeleted}
	deadline := time.Now().Add(15 * time.Second)
	for {
		mu.Lock()
		var types []string
		for _, e := range got {
			if e.Source != "sites" || e.ID == "" {
				t.Fatalf("event %+v", e)
			}
			types = append(types, e.Type)
		}
		mu.Unlock()
		if slices.Equal(types, want) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("events %v, want %v", types, want)
		}
		time.Sleep(10 * time.Millisecond)
	}
	var d site.EventData
	mu.Lock()
	defer mu.Unlock()
	if err := got[0].Decode(&d); err != nil || d.Code != "evented" || d.CustomerID != 5 || d.SiteID == 0 || d.Status != "open" {
		t.Fatalf("site.created data %+v %v", d, err)
	}
}
