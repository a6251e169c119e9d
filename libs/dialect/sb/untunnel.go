package sb

import (
	"bytes"
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/hostplane/hostplane/libs/errs"
)

// DefaultTunnelLimit is how much of a form body Untunnel reads.
const DefaultTunnelLimit = 1 << 20

// tunnelKey is the form field naming the tunnelled method.
const tunnelKey = "method"

// Untunnel undoes Kiubi's method tunnelling with a 1 MiB body limit; see
// UntunnelLimit.
func Untunnel(r *http.Request) (*http.Request, error) {
	return UntunnelLimit(r, DefaultTunnelLimit)
}

// UntunnelLimit undoes Kiubi's method tunnelling: a form-encoded POST whose
// body has method=GET|POST|PUT|DELETE|PATCH (any case) becomes a request
// with that method. For GET and DELETE the form fields (but "method") are
// appended to the URL query and the body is dropped; for POST, PUT and
// PATCH the body is kept, buffered so it can be read again (GetBody).
//
// Any other request is returned as it is, its body unread. A form POST
// without "method" comes back with its body buffered. The body is read up
// to limit bytes (DefaultTunnelLimit when limit ≤ 0): over it is TooLarge;
// an unknown method is errs.InvalidField("method", …). Applying it twice
// changes nothing more.
func UntunnelLimit(r *http.Request, limit int64) (*http.Request, error) {
	if r.Method != http.MethodPost || r.Body == nil || r.Body == http.NoBody {
		return r, nil
	}
	media, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || media != "application/x-www-form-urlencoded" {
		return r, nil
	}
	if limit <= 0 {
		limit = DefaultTunnelLimit
	}
	if r.ContentLength > limit {
		return nil, tooLarge(nil)
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, limit+1))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, tooLarge(err)
		}
		return nil, &errs.Error{Kind: errs.Invalid, Message: "Invalid parameter(s): body",
			Params: map[string]string{"body": "The request body could not be read."}, Err: err}
	}
	if int64(len(body)) > limit {
		return nil, tooLarge(nil)
	}
	out := r.Clone(r.Context())
	method, fields, err := splitTunnel(string(body))
	if err != nil {
		return nil, err
	}
	switch method {
	case http.MethodGet, http.MethodDelete:
		out.Method = method
		out.URL.RawQuery = joinQuery(out.URL.RawQuery, fields)
		if out.RequestURI != "" { // server side; client requests must keep it empty
			out.RequestURI = out.URL.RequestURI()
		}
		out.Body, out.ContentLength = http.NoBody, 0
		out.GetBody = func() (io.ReadCloser, error) { return http.NoBody, nil }
		out.Header.Del("Content-Type")
		out.Header.Del("Content-Length")
	default: // no method, POST, PUT, PATCH
		if method != "" {
			out.Method = method
		}
		out.Body = io.NopCloser(bytes.NewReader(body))
		out.ContentLength = int64(len(body))
		out.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
		out.Header.Set("Content-Length", strconv.Itoa(len(body)))
	}
	return out, nil
}

func tooLarge(cause error) error {
	return &errs.Error{Kind: errs.TooLarge, Message: "Request body too large.", Err: cause}
}

// splitTunnel finds the tunnelled method of a form body (the last
// "method" field wins, as in PHP) and returns the other fields, in order,
// re-encoded so they are safe in a URL (a malformed escape is kept as
// literal text). method is "" when the body names none.
func splitTunnel(body string) (method string, fields []string, err error) {
	found := false
	for _, seg := range strings.Split(body, "&") {
		if seg == "" {
			continue
		}
		k, v, _ := strings.Cut(seg, "=")
		key, kerr := url.QueryUnescape(k)
		if kerr != nil {
			key = k // kept literally; the URL gets it escaped
		}
		value, verr := url.QueryUnescape(v)
		if key == tunnelKey {
			if verr != nil {
				return "", nil, errs.InvalidField(tunnelKey, methodMessage)
			}
			method, found = value, true
			continue
		}
		if verr != nil {
			value = v
		}
		fields = append(fields, url.QueryEscape(key)+"="+url.QueryEscape(value))
	}
	if !found {
		return "", fields, nil
	}
	switch m := strings.ToUpper(strings.TrimSpace(method)); m {
	case http.MethodGet, http.MethodPost, http.MethodPut, http.MethodDelete, http.MethodPatch:
		return m, fields, nil
	}
	return "", nil, errs.InvalidField(tunnelKey, methodMessage)
}

const methodMessage = "The method must be one of: GET, POST, PUT, DELETE, PATCH."

// joinQuery appends form fields to a raw query.
func joinQuery(raw string, fields []string) string {
	var parts []string
	if raw != "" {
		parts = append(parts, raw)
	}
	parts = append(parts, fields...)
	return strings.Join(parts, "&")
}
