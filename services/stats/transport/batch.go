// Package transport mounts the stats service's endpoints: the sb
// statistics routes (logs, stats, live, report, usage, the events batch
// and the collect key), the cx statistics, the public /collect beacon and
// the internal route the gateways report usage to.
package transport

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"

	"github.com/hostplane/hostplane/libs/dialect/decode"
	"github.com/hostplane/hostplane/libs/errs"
	"github.com/hostplane/hostplane/services/stats/traffic"
)

// text is a field sent as a JSON string, number or boolean (a form sends
// text anyway), kept as its text. Anything else becomes a value no
// validation accepts, so that the refusal names the field.
type text string

// invalidText is what an object or array field becomes.
const invalidText text = "\x00"

func (t *text) UnmarshalJSON(b []byte) error {
	switch {
	case len(b) == 0 || string(b) == "null":
		*t = ""
	case b[0] == '"':
		if bytes.IndexByte(b, '\\') < 0 {
			*t = text(b[1 : len(b)-1])
			return nil
		}
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*t = text(s)
	case b[0] == '{' || b[0] == '[':
		*t = invalidText
	default: // number, true, false
		*t = text(b)
	}
	return nil
}

// eventBody is one event of a batch body.
type eventBody struct {
	Type       text `json:"type"`
	Time       text `json:"time"`
	VisitorID  text `json:"visitor_id"`
	Path       text `json:"path"`
	Bytes      text `json:"bytes"`
	OrderID    text `json:"order_id"`
	CartID     text `json:"cart_id"`
	ResponseID text `json:"response_id"`
	FormID     text `json:"form_id"`
	ProductID  text `json:"product_id"`
	Amount     text `json:"amount"`
	Currency   text `json:"currency"`
	Status     text `json:"status"`
	Quantity   text `json:"quantity"`
	Threshold  text `json:"threshold"`
	UserID     text `json:"user_id"`
}

// batchBody is the body of POST /v1/sites/{code}/events.json:
// {"events":[{…},…]} in JSON, or events[0][type]=…&events[0][…]=… in a
// form.
type batchBody struct {
	Events []eventBody `json:"events"`
}

func (e *eventBody) raw() traffic.RawEvent {
	return traffic.RawEvent{
		Type: string(e.Type), Time: string(e.Time), VisitorID: string(e.VisitorID), Path: string(e.Path),
		Bytes: string(e.Bytes), OrderID: string(e.OrderID), CartID: string(e.CartID), ResponseID: string(e.ResponseID),
		FormID: string(e.FormID), ProductID: string(e.ProductID), Amount: string(e.Amount), Currency: string(e.Currency),
		Status: string(e.Status), Quantity: string(e.Quantity), Threshold: string(e.Threshold), UserID: string(e.UserID),
	}
}

// idempotencyHeader names the key of a batch a client may send again.
const idempotencyHeader = "Idempotency-Key"

// decodeBatch reads a batch request: its events as sent, its idempotency
// key and the fingerprint of the request (method, path and body) the key
// is bound to.
func decodeBatch(r *http.Request) (traffic.IngestRequest, error) {
	var in traffic.IngestRequest
	key := r.Header.Get(idempotencyHeader)
	if len(key) > 255 || !printableASCII(key) {
		return in, errs.InvalidField(idempotencyHeader, "Must be 1 to 255 printable ASCII characters.")
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return in, &errs.Error{Kind: errs.TooLarge, Message: "Request body too large.", Err: err}
		}
		return in, errs.InvalidField("body", "The request body could not be read.")
	}
	if key != "" {
		sum := sha256.New()
		sum.Write([]byte(r.Method + "\x00" + r.URL.Path + "\x00"))
		sum.Write(body)
		in.IdempotencyKey, in.Fingerprint = key, sum.Sum(nil)
	}
	if media, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); media == "application/json" || media == "" {
		if evs, ok := fastBatch(body); ok && len(body) > 0 {
			in.Events = evs
			return in, nil
		}
	}
	req := r.Clone(r.Context())
	req.Body = io.NopCloser(bytes.NewReader(body))
	var b batchBody
	if err := decode.Body(req, &b, decode.Options{}); err != nil {
		return in, err
	}
	in.Events = make([]traffic.RawEvent, len(b.Events))
	for i := range b.Events {
		in.Events[i] = b.Events[i].raw()
	}
	return in, nil
}

func printableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return false
		}
	}
	return true
}
