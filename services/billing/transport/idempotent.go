package transport

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/hostplane/hostplane/libs/dialect/wu"
	"github.com/hostplane/hostplane/libs/errs"
	"github.com/hostplane/hostplane/libs/principal"
	"github.com/hostplane/hostplane/services/billing/idempotency"
)

// idempotencyHeader names the key of a write a client may retry.
const idempotencyHeader = "Idempotency-Key"

// maxIdempotencyKey bounds a key's length.
const maxIdempotencyKey = 255

// idempotent wraps a wu write so that, sent with an Idempotency-Key, it
// runs once per key and API key: the same key with the same method, path
// and body replays the first successful answer (Idempotent-Replayed:
// true); with another body it is a 422; while the first is still running
// it is a 409. Failed answers are not kept: the client may retry them.
func idempotent(rt Retries, next http.Handler) http.Handler {
	if rt.Store == nil {
		return next
	}
	now := rt.Now
	if now == nil {
		now = time.Now
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key := r.Header.Get(idempotencyHeader)
		if key == "" {
			next.ServeHTTP(w, r)
			return
		}
		if len(key) > maxIdempotencyKey || !printable(key) {
			wu.WriteError(w, r, errs.InvalidField(idempotencyHeader, "Must be 1 to 255 printable ASCII characters."))
			return
		}
		body, err := io.ReadAll(r.Body)
		if err != nil {
			var mbe *http.MaxBytesError
			if errors.As(err, &mbe) {
				wu.WriteError(w, r, &errs.Error{Kind: errs.TooLarge, Message: "Request body too large.", Err: err})
				return
			}
			wu.WriteError(w, r, errs.InvalidField("body", "The request body could not be read."))
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		scope := "anonymous"
		if p := principal.From(r.Context()); p != nil {
			scope = "key:" + strconv.FormatInt(p.KeyID, 10)
		}
		fp := idempotency.Fingerprint(rt.Secret, r.Method, r.URL.Path, body)
		rec, reserved, err := rt.Store.Reserve(r.Context(), scope, key, fp, now().UTC().Truncate(time.Microsecond))
		switch {
		case err != nil:
			wu.WriteError(w, r, err)
			return
		case reserved:
		case rec.Fingerprint != fp:
			wu.WriteJSON(w, http.StatusUnprocessableEntity, wu.ErrorBody{
				Code:    "wu_rest_idempotency_key_reused",
				Message: "This Idempotency-Key was used with another request: use a new key for a new request.",
				Data: wu.ErrorData{Status: http.StatusUnprocessableEntity,
					Params: map[string]string{idempotencyHeader: "Already used with another request body."}},
			})
			return
		case !rec.Done:
			wu.WriteError(w, r, &errs.Error{Kind: errs.Conflict, Reason: "idempotency_in_progress",
				Message: "A request with this Idempotency-Key is still being processed: retry later."})
			return
		default:
			h := w.Header()
			h.Set("Content-Type", rec.ContentType)
			h.Set("Idempotent-Replayed", "true")
			w.WriteHeader(rec.Status)
			_, _ = w.Write(rec.Body)
			return
		}
		c := &capture{ResponseWriter: w}
		// The record outlives a client that hung up.
		ctx := context.WithoutCancel(r.Context())
		defer func() {
			if c.status >= 200 && c.status < 300 {
				_ = rt.Store.Complete(ctx, scope, key, c.status, w.Header().Get("Content-Type"), c.body.Bytes())
			} else {
				_ = rt.Store.Release(ctx, scope, key)
			}
		}()
		next.ServeHTTP(c, r)
	})
}

func printable(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return false
		}
	}
	return true
}

// capture passes an answer through and keeps a copy.
type capture struct {
	http.ResponseWriter
	status int // 0 until the answer starts (a panic answers nothing)
	body   bytes.Buffer
}

func (c *capture) WriteHeader(status int) {
	c.status = status
	c.ResponseWriter.WriteHeader(status)
}

func (c *capture) Write(b []byte) (int, error) {
	if c.status == 0 {
		c.status = http.StatusOK
	}
	c.body.Write(b)
	return c.ResponseWriter.Write(b)
}
