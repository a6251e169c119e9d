package sb

import (
	"net/http"

	"github.com/hostplane/hostplane/libs/dialect/httpio"
	"github.com/hostplane/hostplane/libs/errs"
)

// noRouteMessage answers a path or method no route serves.
const noRouteMessage = "No route was found matching the URL and request method."

// WriteError renders err as an sb error envelope with its status (and
// Retry-After when rate limited). r may be nil.
func WriteError(w http.ResponseWriter, r *http.Request, err error) {
	status, info := ErrorFor(err)
	httpio.SetRetryAfter(w.Header(), err)
	httpio.WriteJSON(w, status, Envelope{
		Meta:  Meta{Success: false, StatusCode: status, RateRemaining: RateRemaining(w, r)},
		Error: &info,
	})
}

// ErrorFor maps err to the status and "error" member WriteError writes.
func ErrorFor(err error) (int, ErrorInfo) {
	e := errs.From(err)
	if e == nil {
		e = &errs.Error{Kind: errs.Internal}
	}
	status, code := statusCode(e)
	info := ErrorInfo{Code: code, Message: errs.PublicMessage(e), Fields: map[string]string{}}
	if e.Kind == errs.NoRoute || e.Kind == errs.MethodNotAllowed {
		info.Message = noRouteMessage
	}
	if e.Kind != errs.Internal {
		for k, v := range e.Params {
			info.Fields[k] = v
		}
	}
	return status, info
}

func statusCode(e *errs.Error) (status, code int) {
	switch e.Kind {
	case errs.Missing:
		return http.StatusBadRequest, CodeMissing
	case errs.Invalid, errs.BadJSON:
		return http.StatusBadRequest, CodeInvalid
	case errs.Conflict:
		return http.StatusConflict, CodeInvalid
	case errs.TooLarge:
		return http.StatusRequestEntityTooLarge, CodeInvalid
	case errs.RateLimited:
		return http.StatusTooManyRequests, CodeRateLimited
	case errs.Unauthorized:
		if e.Reason == ReasonBadToken {
			return http.StatusUnauthorized, CodeBadToken
		}
		return http.StatusUnauthorized, CodeAuthNeeded
	case errs.Forbidden:
		if e.Reason == ReasonScopeMissing {
			return http.StatusForbidden, CodeScopeMissing
		}
		return http.StatusForbidden, CodeDenied
	case errs.NotFound, errs.NoRoute, errs.MethodNotAllowed:
		return http.StatusNotFound, CodeUnknownResource
	case errs.Unavailable:
		return http.StatusServiceUnavailable, CodeUnavailable
	case errs.Timeout:
		return http.StatusGatewayTimeout, CodeUnavailable
	default:
		return http.StatusInternalServerError, CodeUnexpected
	}
}
