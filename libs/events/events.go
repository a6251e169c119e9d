// Package events carries domain events between services, at least once and
// without losing any: a service writes each event into an outbox table in
// the same transaction as the change it describes; a relay publishes the
// outbox to the service's Redis Stream; consumers read the stream in a
// consumer group, acknowledge an event only once it is handled, and drop
// duplicates by event id. Without Redis (single-node mode with in-memory
// stores) a Local bus delivers in process.
package events

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"
)

// Event is one domain event.
type Event struct {
	ID      string          `json:"id"`
	Type    string          `json:"type"`    // "membership.suspended"
	Source  string          `json:"source"`  // the service that wrote it
	Subject string          `json:"subject"` // what it is about: "membership:12"
	Time    time.Time       `json:"time"`
	Data    json.RawMessage `json:"data"`
}

// New makes an event with a fresh id, now, and data encoded as JSON.
func New(source, typ, subject string, data any) (Event, error) {
	b, err := json.Marshal(data)
	if err != nil {
		return Event{}, fmt.Errorf("events: encode %s: %w", typ, err)
	}
	var id [16]byte
	_, _ = rand.Read(id[:])
	return Event{ID: hex.EncodeToString(id[:]), Type: typ, Source: source, Subject: subject, Time: time.Now().UTC(), Data: b}, nil
}

// Decode reads e's data into v.
func (e Event) Decode(v any) error {
	if err := json.Unmarshal(e.Data, v); err != nil {
		return fmt.Errorf("events: decode %s %s: %w", e.Type, e.ID, err)
	}
	return nil
}

// Stream is the Redis Stream of a source service's events.
func Stream(source string) string { return "hostplane:events:" + source }

func jsonUnmarshal(s string, v any) error { return json.Unmarshal([]byte(s), v) }
