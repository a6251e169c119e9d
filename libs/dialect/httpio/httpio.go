// Package httpio holds the response-writing pieces every dialect shares:
// JSON with the right Content-Type, public error text only, and the
// Retry-After header of rate-limited errors. It imports no dialect, so the
// dialects and their dispatcher can all use it.
package httpio

import (
	"bytes"
	"encoding/json"
	"net/http"
)

// ContentTypeJSON is the Content-Type of every JSON answer.
const ContentTypeJSON = "application/json; charset=UTF-8"

// internalBody is written when a value cannot be encoded as JSON.
const internalBody = `{"code":"internal","message":"An unexpected error occurred."}`

// WriteJSON writes v as JSON with status. The value is encoded before
// anything is written, so a value that cannot be encoded gives a bare 500
// instead of a half-written body; the encoding error is returned for logging.
// "<", ">" and "&" are written as they are (as PHP APIs do): the
// Content-Type and nosniff keep browsers from reading the body as HTML.
func WriteJSON(w http.ResponseWriter, status int, v any) error {
	body, err := Marshal(v)
	if err != nil {
		Write(w, http.StatusInternalServerError, ContentTypeJSON, []byte(internalBody))
		return err
	}
	return Write(w, status, ContentTypeJSON, body)
}

// Write writes an already encoded body with its Content-Type and status.
func Write(w http.ResponseWriter, status int, contentType string, body []byte) error {
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_, err := w.Write(body)
	return err
}

// Marshal encodes v as compact JSON without HTML escaping and without a
// trailing newline.
func Marshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}
