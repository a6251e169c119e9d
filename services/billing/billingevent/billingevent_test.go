package billingevent

import (
	"testing"

	"github.com/hostplane/hostplane/libs/events"
)

func TestStreamAndNew(t *testing.T) {
	if Stream != events.Stream(Source) {
		t.Fatalf("Stream %q, want %q", Stream, events.Stream(Source))
	}
	e := New("customer.created", Subject("customer", 12), struct {
		CustomerID int64 `json:"customer_id"`
	}{12})
	if e.Source != "billing" || e.Type != "customer.created" || e.Subject != "customer:12" || string(e.Data) != `{"customer_id":12}` || e.ID == "" {
		t.Fatalf("%+v", e)
	}
}
