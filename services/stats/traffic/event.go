// Package traffic is the front-office side of the stats service: batches of
// events a site sends (pageviews, visits, orders, carts, form responses,
// stock levels) and the public pageview beacon, validated whole, appended
// to the raw event log and rolled up, in the same transaction, into daily
// aggregates per site and the state of each order, form response and
// product; plus what is read from them: the daily report, the site's
// dashboard figures and its live visitors.
package traffic

import "time"

// Type is the kind of a front-office event.
type Type uint8

// Event types.
const (
	Pageview Type = iota + 1
	Visit
	Order
	Cart
	FormResponse
	Stock
)

var typeNames = [...]string{"", "pageview", "visit", "order", "cart", "form_response", "stock"}

// TypeNames lists the event types as clients name them.
var TypeNames = typeNames[1:]

func (t Type) String() string {
	if int(t) < len(typeNames) {
		return typeNames[t]
	}
	return ""
}

// ParseType reads an event type's name.
func ParseType(s string) (Type, bool) {
	for i, n := range typeNames {
		if i > 0 && n == s {
			return Type(i), true
		}
	}
	return 0, false
}

// Order statuses.
const (
	OrderPending   uint8 = 1
	OrderPaid      uint8 = 2
	OrderCancelled uint8 = 3
)

// OrderStatusNames are the order statuses as clients name them.
var OrderStatusNames = map[string]uint8{"pending": OrderPending, "paid": OrderPaid, "cancelled": OrderCancelled}

// Form response statuses.
const (
	FormUnread uint8 = 1
	FormRead   uint8 = 2
)

// FormStatusNames are the form response statuses as clients name them.
var FormStatusNames = map[string]uint8{"unread": FormUnread, "read": FormRead}

// Event is one validated front-office event. Which fields are set depends
// on its Type:
//
//	pageview       Visitor?, Path?, Bytes?
//	visit          Visitor
//	order          Ref (order id), Status (OrderPending|Paid|Cancelled), Amount, Currency, UserID?
//	cart           Ref? (cart id), Amount?, Currency, Visitor?, UserID?
//	form_response  Ref (response id), FormID?, Status (FormUnread|FormRead), UserID?
//	stock          Ref (product id), Quantity, Threshold
type Event struct {
	Type      Type
	At        time.Time // UTC, to the microsecond
	Visitor   string
	Path      string
	Bytes     int64
	Ref       string
	FormID    string
	Status    uint8
	Amount    int64 // minor units of Currency
	Currency  string
	Quantity  int64
	Threshold int64
	UserID    string
}

// DayOf is the UTC day of t, at midnight.
func DayOf(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}
