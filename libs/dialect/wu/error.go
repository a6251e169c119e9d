package wu

import (
	"net/http"
	"strings"

	"github.com/hostplane/hostplane/libs/dialect/httpio"
	"github.com/hostplane/hostplane/libs/errs"
)

// ErrorBody is a WordPress REST error: {"code","message","data"}.
type ErrorBody struct {
	Code    string    `json:"code"`
	Message string    `json:"message"`
	Data    ErrorData `json:"data"`
}

// ErrorData carries the status and, for invalid input, field → message.
type ErrorData struct {
	Status int               `json:"status"`
	Params map[string]string `json:"params,omitempty"`
}

// Fixed texts of WordPress errors.
const (
	noRouteMessage  = "No route was found matching the URL and request method."
	badJSONMessage  = "Invalid JSON body passed."
	internalMessage = "An unexpected error occurred."
)

// WriteError renders err as a wu error body with its status (and
// Retry-After when rate limited). r may be nil.
func WriteError(w http.ResponseWriter, r *http.Request, err error) {
	body := ErrorFor(err)
	httpio.SetRetryAfter(w.Header(), err)
	WriteJSON(w, body.Data.Status, body)
}

// ErrorFor maps err to the wu error body WriteError writes.
func ErrorFor(err error) ErrorBody {
	e := errs.From(err)
	if e == nil {
		e = &errs.Error{Kind: errs.Internal}
	}
	b := ErrorBody{Message: errs.PublicMessage(e)}
	switch e.Kind {
	case errs.Invalid, errs.Missing:
		b.Code, b.Data.Status = "wu_rest_invalid_parameter", http.StatusBadRequest
		if len(e.Params) > 0 {
			prefix := "Invalid parameter(s): "
			if e.Kind == errs.Missing {
				prefix = "Missing parameter(s): "
			}
			b.Message = prefix + strings.Join(e.Fields(), ", ")
		}
	case errs.BadJSON:
		b.Code, b.Data.Status, b.Message = "rest_invalid_json", http.StatusBadRequest, badJSONMessage
	case errs.NotFound:
		if e.Resource != "" {
			b.Code, b.Data.Status = "wu_rest_"+resourceName(e.Resource)+"_invalid_id", http.StatusNotFound
		} else {
			b.Code, b.Data.Status, b.Message = "rest_no_route", http.StatusNotFound, noRouteMessage
		}
	case errs.NoRoute, errs.MethodNotAllowed:
		b.Code, b.Data.Status, b.Message = "rest_no_route", http.StatusNotFound, noRouteMessage
	case errs.Unauthorized:
		b.Code, b.Data.Status = "rest_forbidden", http.StatusUnauthorized
	case errs.Forbidden:
		b.Code, b.Data.Status = "rest_forbidden", http.StatusForbidden
	case errs.RateLimited:
		b.Code, b.Data.Status = "wu_rest_rate_limited", http.StatusTooManyRequests
	case errs.Conflict:
		b.Code, b.Data.Status = "wu_rest_conflict", http.StatusConflict
	case errs.TooLarge:
		b.Code, b.Data.Status = "rest_request_too_large", http.StatusRequestEntityTooLarge
	case errs.Unavailable:
		b.Code, b.Data.Status = "wu_rest_unavailable", http.StatusServiceUnavailable
	case errs.Timeout:
		b.Code, b.Data.Status = "wu_rest_upstream_timeout", http.StatusGatewayTimeout
	default:
		b.Code, b.Data.Status, b.Message = "wu_rest_internal_error", http.StatusInternalServerError, internalMessage
	}
	if e.Kind != errs.Internal && len(e.Params) > 0 {
		b.Data.Params = e.Params
	}
	return b
}

// resourceName makes a resource usable inside an error code: lower case,
// anything but letters, digits and "_" turned into "_".
func resourceName(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '_':
			return r
		case r >= 'A' && r <= 'Z':
			return r + ('a' - 'A')
		}
		return '_'
	}, s)
}
