package cx

import (
	"net/http"
	"strings"

	"github.com/hostplane/hostplane/libs/dialect/httpio"
	"github.com/hostplane/hostplane/libs/errs"
)

// ErrorBody is a Laravel error: {"message"} plus, for invalid input,
// {"errors":{field:[messages]}}.
type ErrorBody struct {
	Message string              `json:"message"`
	Errors  map[string][]string `json:"errors,omitempty"`
}

// Laravel's fixed texts.
const (
	unauthenticated = "Unauthenticated."
	invalidData     = "The given data was invalid."
	tooManyAttempts = "Too Many Attempts."
	serverError     = "Server Error"
	invalidJSON     = "Invalid JSON body."
)

// WriteError renders err as a Laravel error (JSON or XML as r prefers),
// with Retry-After when rate limited. r may be nil.
func WriteError(w http.ResponseWriter, r *http.Request, err error) {
	status, body := ErrorFor(r, err)
	httpio.SetRetryAfter(w.Header(), err)
	WriteJSON(w, r, status, body)
}

// ErrorFor maps err to the status and body WriteError writes.
func ErrorFor(r *http.Request, err error) (int, ErrorBody) {
	e := errs.From(err)
	if e == nil {
		e = &errs.Error{Kind: errs.Internal}
	}
	msg := errs.PublicMessage(e)
	switch e.Kind {
	case errs.Unauthorized:
		return http.StatusUnauthorized, ErrorBody{Message: unauthenticated}
	case errs.Forbidden:
		return http.StatusForbidden, ErrorBody{Message: msg}
	case errs.NotFound:
		return http.StatusNotFound, ErrorBody{Message: msg}
	case errs.NoRoute:
		return http.StatusNotFound, ErrorBody{Message: routeMessage(r)}
	case errs.MethodNotAllowed:
		m := "The method is not supported for this route."
		if r != nil {
			m = "The " + r.Method + " method is not supported for route " + routePath(r) + "."
		}
		return http.StatusNotFound, ErrorBody{Message: m}
	case errs.Invalid, errs.Missing:
		fields := map[string][]string{}
		for k, v := range e.Params {
			fields[k] = []string{v}
		}
		if len(fields) == 0 {
			fields["request"] = []string{msg}
		}
		return http.StatusUnprocessableEntity, ErrorBody{Message: invalidData, Errors: fields}
	case errs.BadJSON:
		return http.StatusUnprocessableEntity, ErrorBody{Message: invalidData, Errors: map[string][]string{"body": {invalidJSON}}}
	case errs.RateLimited:
		return http.StatusTooManyRequests, ErrorBody{Message: tooManyAttempts}
	case errs.Conflict, errs.TooLarge, errs.Unavailable, errs.Timeout:
		return e.Kind.Status(), ErrorBody{Message: msg}
	default:
		return http.StatusInternalServerError, ErrorBody{Message: serverError}
	}
}

// routeMessage is Laravel's text for an unknown route.
func routeMessage(r *http.Request) string {
	if r == nil {
		return "Not Found."
	}
	return "The route " + routePath(r) + " could not be found."
}

// routePath is the path as Laravel names routes: without the leading "/".
func routePath(r *http.Request) string {
	return strings.TrimPrefix(r.URL.Path, "/")
}
