package decode

import (
	"errors"
	"io"
	"net/http"

	"github.com/hostplane/hostplane/libs/errs"
)

// tracker remembers the first read error of the body, so that a limit hit
// is recognised even when a parser reports it in its own words.
type tracker struct {
	r   io.Reader
	err error
}

func (t *tracker) Read(p []byte) (int, error) {
	n, err := t.r.Read(p)
	if err != nil && err != io.EOF && t.err == nil {
		t.err = err
	}
	return n, err
}

// readFailure classifies the body's read error: TooLarge past the limit,
// otherwise a generic unreadable-body error; nil when reading went fine.
func (t *tracker) readFailure() error {
	if t.err == nil {
		return nil
	}
	var mbe *http.MaxBytesError
	if errors.As(t.err, &mbe) {
		return &errs.Error{Kind: errs.TooLarge, Message: "Request body too large.", Err: t.err}
	}
	return &errs.Error{
		Kind:    errs.Invalid,
		Message: "Invalid parameter(s): body",
		Params:  map[string]string{"body": "The request body could not be read."},
		Err:     t.err,
	}
}
