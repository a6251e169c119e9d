package upstream

import (
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/hostplane/hostplane/libs/dialect/httpio"
	"github.com/hostplane/hostplane/libs/errs"
)

// wireError is how internal routes send a typed error.
type wireError struct {
	Error struct {
		Kind     string            `json:"kind"`
		Message  string            `json:"message"`
		Reason   string            `json:"reason,omitempty"`
		Resource string            `json:"resource,omitempty"`
		Params   map[string]string `json:"params,omitempty"`
	} `json:"error"`
}

// WriteError writes err for an internal caller (status from its kind).
// Internal errors carry no detail.
func WriteError(w http.ResponseWriter, err error) {
	e := errs.From(err)
	var body wireError
	body.Error.Kind = string(e.Kind)
	body.Error.Message = errs.PublicMessage(e)
	body.Error.Reason = e.Reason
	body.Error.Resource = e.Resource
	body.Error.Params = e.Params
	if e.Kind == errs.RateLimited && e.RetryAfter > 0 {
		w.Header().Set("Retry-After", fmt.Sprint(int(e.RetryAfter.Seconds()+0.999)))
	}
	_ = httpio.WriteJSON(w, e.Status(), body)
}

// DecodeError rebuilds the typed error of an internal error response.
func DecodeError(status int, body []byte) error {
	var we wireError
	if err := json.Unmarshal(body, &we); err != nil || we.Error.Kind == "" {
		kind := errs.Internal
		switch {
		case status == http.StatusServiceUnavailable || status == http.StatusBadGateway:
			kind = errs.Unavailable
		case status == http.StatusGatewayTimeout:
			kind = errs.Timeout
		case status == http.StatusNotFound:
			kind = errs.NotFound
		case status == http.StatusUnauthorized:
			kind = errs.Unauthorized
		}
		return &errs.Error{Kind: kind, Message: fmt.Sprintf("upstream answered %d", status)}
	}
	return &errs.Error{
		Kind: errs.Kind(we.Error.Kind), Message: we.Error.Message, Reason: we.Error.Reason,
		Resource: we.Error.Resource, Params: we.Error.Params,
	}
}
