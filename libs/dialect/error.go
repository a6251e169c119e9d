package dialect

import (
	"net/http"

	"github.com/hostplane/hostplane/libs/dialect/cx"
	"github.com/hostplane/hostplane/libs/dialect/httpio"
	"github.com/hostplane/hostplane/libs/dialect/sb"
	"github.com/hostplane/hostplane/libs/dialect/wu"
	"github.com/hostplane/hostplane/libs/errs"
)

// WriteError renders err in the dialect of r's path, or, outside every
// dialect, as {"error":{"code":<kind>,"message":…}} with the kind's status.
// Rate-limited errors carry Retry-After either way.
func WriteError(w http.ResponseWriter, r *http.Request, err error) {
	path := ""
	if r != nil && r.URL != nil {
		path = r.URL.Path
	}
	switch Of(path) {
	case WU:
		wu.WriteError(w, r, err)
	case CX:
		cx.WriteError(w, r, err)
	case SB:
		sb.WriteError(w, r, err)
	default:
		writeFallback(w, err)
	}
}

// fallbackBody is the error of a path outside every dialect.
type fallbackBody struct {
	Error fallbackError `json:"error"`
}

type fallbackError struct {
	Code    errs.Kind `json:"code"`
	Message string    `json:"message"`
}

func writeFallback(w http.ResponseWriter, err error) {
	e := errs.From(err)
	if e == nil {
		e = &errs.Error{Kind: errs.Internal}
	}
	msg := errs.PublicMessage(e)
	httpio.SetRetryAfter(w.Header(), e)
	httpio.WriteJSON(w, e.Kind.Status(), fallbackBody{Error: fallbackError{Code: e.Kind, Message: msg}})
}
