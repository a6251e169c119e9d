package decode

import (
	"errors"
	"io"
	"mime/multipart"
	"net/url"
	"strings"

	"github.com/hostplane/hostplane/libs/errs"
)

// pair is one key=value of a form, in the order it was sent (the order
// matters for a[][x]=…&a[][y]=… items).
type pair struct{ key, value string }

func malformed(what string, cause error) error {
	return withCause(errs.InvalidField("body", "Malformed "+what+" body."), cause)
}

// readURLEncoded reads an application/x-www-form-urlencoded body.
func readURLEncoded(body *tracker) ([]pair, error) {
	raw, err := io.ReadAll(body)
	if err != nil {
		return nil, body.readFailure()
	}
	return parseForm(string(raw))
}

// parseForm splits an url-encoded form into its pairs, in order. A key
// without "=" has the empty value; empty segments ("a=1&&b=2") are skipped.
func parseForm(s string) ([]pair, error) {
	var pairs []pair
	for s != "" {
		var seg string
		seg, s, _ = strings.Cut(s, "&")
		if seg == "" {
			continue
		}
		k, v, _ := strings.Cut(seg, "=")
		key, err := url.QueryUnescape(k)
		if err != nil {
			return nil, malformed("form", err)
		}
		value, err := url.QueryUnescape(v)
		if err != nil {
			return nil, malformed("form", err)
		}
		pairs = append(pairs, pair{key, value})
	}
	return pairs, nil
}

// readMultipart reads a multipart/form-data body made only of plain fields;
// a file part is refused (no endpoint takes uploads).
func readMultipart(body *tracker, boundary string) ([]pair, error) {
	if boundary == "" {
		return nil, malformed("multipart", errors.New("no boundary"))
	}
	mr := multipart.NewReader(body, boundary)
	var pairs []pair
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			return pairs, nil
		}
		if err != nil {
			if rf := body.readFailure(); rf != nil {
				return nil, rf
			}
			return nil, malformed("multipart", err)
		}
		name := part.FormName()
		if part.FileName() != "" {
			part.Close()
			return nil, errs.InvalidField(name, "File uploads are not supported.")
		}
		value, err := io.ReadAll(part)
		part.Close()
		if err != nil {
			if rf := body.readFailure(); rf != nil {
				return nil, rf
			}
			return nil, malformed("multipart", err)
		}
		if name != "" {
			pairs = append(pairs, pair{name, string(value)})
		}
	}
}
