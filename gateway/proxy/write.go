package proxy

import (
	"bufio"
	"io"
	"net/http"
	"net/http/httputil"
	"strconv"
)

// writeRequest writes in as an HTTP/1.1 request to addr, straight from the
// incoming request: no copy of its headers is made. Incoming headers were
// validated by the server that parsed them; extra ones are the gateway's own.
func writeRequest(w *bufio.Writer, in *http.Request, addr, rawQuery string, extra []Header) error {
	w.WriteString(in.Method)
	w.WriteByte(' ')
	w.WriteString(in.URL.EscapedPath())
	if rawQuery != "" {
		w.WriteByte('?')
		w.WriteString(rawQuery)
	}
	w.WriteString(" HTTP/1.1\r\nHost: ")
	w.WriteString(addr)
	w.WriteString("\r\n")
	for k, vs := range in.Header {
		if skipOutgoing(k) || k == "Content-Length" || k == "Host" || hasExtra(extra, k) {
			continue
		}
		for _, v := range vs {
			w.WriteString(k)
			w.WriteString(": ")
			w.WriteString(v)
			w.WriteString("\r\n")
		}
	}
	for _, h := range extra {
		w.WriteString(h.Key)
		w.WriteString(": ")
		w.WriteString(h.Value)
		w.WriteString("\r\n")
	}
	body := in.Body
	switch {
	case in.ContentLength > 0:
		w.WriteString("Content-Length: ")
		w.WriteString(strconv.FormatInt(in.ContentLength, 10))
		w.WriteString("\r\n\r\n")
		_, err := io.CopyN(w, body, in.ContentLength)
		return err
	case in.ContentLength < 0 && body != nil && body != http.NoBody:
		w.WriteString("Transfer-Encoding: chunked\r\n\r\n")
		cw := httputil.NewChunkedWriter(w)
		if _, err := io.Copy(cw, body); err != nil {
			return err
		}
		if err := cw.Close(); err != nil {
			return err
		}
		_, err := w.WriteString("\r\n")
		return err
	default:
		if in.Method == http.MethodPost || in.Method == http.MethodPut || in.Method == http.MethodPatch {
			w.WriteString("Content-Length: 0\r\n")
		}
		_, err := w.WriteString("\r\n")
		return err
	}
}

func hasExtra(extra []Header, k string) bool {
	for _, h := range extra {
		if h.Key == k {
			return true
		}
	}
	return false
}
