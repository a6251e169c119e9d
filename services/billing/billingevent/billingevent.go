// Package billingevent builds the billing service's domain events: their
// source and stream, and the envelope every aggregate's events share. The
// data of each event always names the ids involved (customer_id,
// membership_id, payment_id, product_id, …) so consumers need no lookup.
package billingevent

import (
	"fmt"

	"github.com/hostplane/hostplane/libs/events"
)

// Source is the source of every billing event.
const Source = "billing"

// Stream is the Redis Stream billing publishes to: events.Stream(Source).
const Stream = "hostplane:events:billing"

// New builds an event of typ about subject ("membership:12"). data is a
// struct of ids, strings and numbers: encoding it cannot fail.
func New(typ, subject string, data any) events.Event {
	e, err := events.New(Source, typ, subject, data)
	if err != nil {
		panic(fmt.Sprintf("billingevent: %s: %v", typ, err))
	}
	return e
}

// Subject names one thing: "customer:12".
func Subject(kind string, id int64) string { return fmt.Sprintf("%s:%d", kind, id) }
