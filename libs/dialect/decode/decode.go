// Package decode reads request bodies and query parameters into Go values
// for every dialect. A body is JSON or a form (url-encoded or multipart
// without files, with PHP-style nested keys: a[b]=1, a[]=x, a[0]=x); both
// land in the same struct through its json tags. Every failure is an
// *errs.Error that names the offending field, so a dialect can render it.
package decode

import (
	"bytes"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/hostplane/hostplane/libs/errs"
)

// Options tune Body.
type Options struct {
	// DisallowUnknown rejects body fields that dst has no place for.
	DisallowUnknown bool
	// MaxBytes caps the body size; 0 adds no limit of its own (a limit set
	// earlier with http.MaxBytesReader still applies).
	MaxBytes int64
}

// Media types Body understands.
const (
	mediaJSON      = "application/json"
	mediaForm      = "application/x-www-form-urlencoded"
	mediaMultipart = "multipart/form-data"
)

// Body decodes the request body into dst, a pointer (normally to a struct).
// An empty body sets nothing and is not an error, whatever its Content-Type.
// JSON (or no Content-Type) is decoded with numbers kept exact
// (json.Number in interface values); forms are coerced through the json tags
// of dst. Errors are *errs.Error: BadJSON for unparseable JSON, Invalid
// naming the field for wrong types and unknown fields, TooLarge over the
// limit, Invalid with the Content-Type for any other media type.
func Body(r *http.Request, dst any, opts Options) error {
	if r.Body == nil || r.Body == http.NoBody {
		return nil
	}
	var raw io.Reader = r.Body
	if opts.MaxBytes > 0 {
		raw = http.MaxBytesReader(nil, r.Body, opts.MaxBytes)
	}
	body := &tracker{r: raw}
	// Peek one byte: a client request may have a body of unknown length
	// (ContentLength 0), so only reading tells an empty body apart.
	var first [1]byte
	if n, _ := io.ReadFull(body, first[:]); n == 0 {
		return body.readFailure()
	}
	body.r = io.MultiReader(bytes.NewReader(first[:]), raw)
	ct := r.Header.Get("Content-Type")
	media, params, err := mime.ParseMediaType(ct)
	if ct == "" {
		media, err = mediaJSON, nil
	}
	switch {
	case err != nil:
		return unsupported(ct)
	case media == mediaJSON || media == "text/json" || strings.HasSuffix(media, "+json"):
		return decodeJSON(body, dst, opts)
	case media == mediaForm:
		pairs, err := readURLEncoded(body)
		if err != nil {
			return err
		}
		return coerce(pairs, dst, opts)
	case media == mediaMultipart:
		pairs, err := readMultipart(body, params["boundary"])
		if err != nil {
			return err
		}
		return coerce(pairs, dst, opts)
	default:
		return unsupported(media)
	}
}

// unsupported reports a media type Body cannot read, quoting it (cut short)
// so the caller sees what was sent.
func unsupported(contentType string) error {
	if len(contentType) > 100 {
		contentType = contentType[:100]
	}
	return &errs.Error{
		Kind:    errs.Invalid,
		Message: "Unsupported Content-Type",
		Params: map[string]string{"Content-Type": "Unsupported Content-Type " + strconv.Quote(contentType) +
			": send application/json, application/x-www-form-urlencoded or multipart/form-data."},
	}
}
