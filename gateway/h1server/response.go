package h1server

import (
	"bufio"
	"net/http"
	"strconv"
	"strings"
	"time"

	"golang.org/x/net/http/httpguts"
)

// holdBytes is how much of a body is held back before the header is sent:
// a response that ends within it is sent with its Content-Length, a longer
// one without a declared length is chunked.
const holdBytes = 4 << 10

// response is the ResponseWriter of one request.
type response struct {
	conn    *conn
	req     *http.Request
	reqBody *requestBody
	header  http.Header

	status      int
	wroteHeader bool  // the handler chose the status
	committed   bool  // the header is on the wire (in the buffered writer)
	chunked     bool  // body sent in chunks
	noBody      bool  // HEAD, 1xx, 204, 304
	declared    int64 // Content-Length the handler set, or -1
	written     int64 // body bytes the handler wrote
	held        []byte
	closeAfter  bool
}

func newResponse(c *conn, req *http.Request, body *requestBody) *response {
	return &response{conn: c, req: req, reqBody: body, header: make(http.Header, 8), declared: -1}
}

func (w *response) Header() http.Header { return w.header }

func (w *response) WriteHeader(code int) {
	if w.wroteHeader {
		return
	}
	if code < 100 || code > 999 {
		panic("h1server: invalid status code " + strconv.Itoa(code))
	}
	if code < 200 && code != http.StatusSwitchingProtocols {
		// An informational answer goes out at once; the final one follows.
		bw := w.conn.bw
		w.writeStatusLine(bw, code)
		writeHeader(bw, w.header)
		bw.WriteString("\r\n")
		bw.Flush()
		return
	}
	w.wroteHeader = true
	w.status = code
	w.noBody = w.req.Method == http.MethodHead || bodyless(code)
	if cl := w.header.Get("Content-Length"); cl != "" {
		if n, err := strconv.ParseInt(cl, 10, 64); err == nil && n >= 0 {
			w.declared = n
		} else {
			w.header.Del("Content-Length")
		}
	}
}

// bodyless reports the statuses whose answers never carry a body: 1xx,
// 204 and 304.
func bodyless(code int) bool {
	return code < 200 || code == http.StatusNoContent || code == http.StatusNotModified
}

// Write holds the first holdBytes of the body, then streams.
func (w *response) Write(p []byte) (int, error) {
	if !w.wroteHeader {
		w.WriteHeader(http.StatusOK)
	}
	if len(p) == 0 {
		return 0, nil
	}
	if w.noBody {
		if w.req.Method == http.MethodHead {
			w.written += int64(len(p))
			return len(p), nil
		}
		return 0, http.ErrBodyNotAllowed
	}
	if w.declared >= 0 && w.written+int64(len(p)) > w.declared {
		return 0, http.ErrContentLength
	}
	w.written += int64(len(p))
	if !w.committed {
		if len(w.held)+len(p) <= holdBytes {
			if w.held == nil {
				w.held = make([]byte, 0, min(holdBytes, max(len(p), 512)))
			}
			w.held = append(w.held, p...)
			return len(p), nil
		}
		w.commit(false)
	}
	return w.body(p)
}

// body writes p as body bytes on the committed response.
func (w *response) body(p []byte) (int, error) {
	bw := w.conn.bw
	if !w.chunked {
		return bw.Write(p)
	}
	bw.WriteString(strconv.FormatInt(int64(len(p)), 16))
	bw.WriteString("\r\n")
	n, err := bw.Write(p)
	if err == nil {
		_, err = bw.WriteString("\r\n")
	}
	return n, err
}

// commit puts the header on the wire, with the length when the handler is
// done (final) and declared none, and the held body bytes after it.
func (w *response) commit(final bool) {
	w.committed = true
	h := w.header
	if _, has := h["Content-Type"]; !has && !bodyless(w.status) && len(w.held) > 0 {
		h.Set("Content-Type", http.DetectContentType(w.held))
	}
	is11 := w.req.ProtoAtLeast(1, 1)
	switch {
	case bodyless(w.status):
		h.Del("Content-Length")
		h.Del("Transfer-Encoding")
	case w.declared >= 0:
	case final && (w.written > 0 || w.req.Method != http.MethodHead):
		h["Content-Length"] = []string{strconv.FormatInt(w.written, 10)}
		w.declared = w.written
	case w.noBody:
	case is11:
		w.chunked = true
		h["Transfer-Encoding"] = []string{"chunked"}
	default:
		w.closeAfter = true // HTTP/1.0: the body ends when the connection does
	}
	if w.req.Close || strings.EqualFold(h.Get("Connection"), "close") || w.conn.s.shutting.Load() {
		w.closeAfter = true
	}
	// A body the handler left unread is read now if it is small; if not,
	// the answer says the connection closes (as net/http does).
	if !w.closeAfter && !w.conn.drain(w.reqBody) {
		w.closeAfter = true
	}
	if !is11 && !w.closeAfter && !hasToken(w.req.Header["Connection"], "keep-alive") {
		w.closeAfter = true
	}
	switch {
	case w.closeAfter:
		h["Connection"] = []string{"close"}
	case !is11:
		h["Connection"] = []string{"keep-alive"}
	default:
		h.Del("Connection")
	}
	if _, has := h["Date"]; !has {
		h["Date"] = []string{w.conn.s.dates.get(time.Now())}
	}
	bw := w.conn.bw
	w.writeStatusLine(bw, w.status)
	writeHeader(bw, h)
	bw.WriteString("\r\n")
	if len(w.held) > 0 {
		held := w.held
		w.held = nil
		w.body(held)
	}
}

// finish completes the response after the handler returned (in the
// buffered writer: the connection flushes it); it reports whether the
// connection may carry another request.
func (w *response) finish() bool {
	if !w.wroteHeader {
		w.WriteHeader(http.StatusOK)
	}
	if !w.committed {
		w.commit(true)
	}
	bw := w.conn.bw
	if w.chunked {
		bw.WriteString("0\r\n\r\n")
	}
	if w.declared >= 0 && w.written < w.declared && !w.noBody {
		w.closeAfter = true // short body: the client must not wait for more
	}
	return !w.closeAfter
}

// Flush sends the header and what was written so far.
func (w *response) Flush() { _ = w.FlushError() }

// FlushError is Flush, reporting a failed write (http.ResponseController).
func (w *response) FlushError() error {
	if !w.wroteHeader {
		w.WriteHeader(http.StatusOK)
	}
	if !w.committed {
		w.commit(false)
	}
	return w.conn.bw.Flush()
}

func (w *response) writeStatusLine(bw *bufio.Writer, code int) {
	if w.req.ProtoAtLeast(1, 1) {
		bw.WriteString("HTTP/1.1 ")
	} else {
		bw.WriteString("HTTP/1.0 ")
	}
	bw.WriteString(statusLine(code))
	bw.WriteString("\r\n")
}

// writeHeader writes h's lines; line breaks in values become spaces, as
// net/http does, so that no value can start a header of its own.
func writeHeader(bw *bufio.Writer, h http.Header) {
	for k, vs := range h {
		if !httpguts.ValidHeaderFieldName(k) {
			continue // as net/http: a name that would break the header is dropped
		}
		for _, v := range vs {
			bw.WriteString(k)
			bw.WriteString(": ")
			if strings.ContainsAny(v, "\r\n") {
				v = strings.NewReplacer("\r", " ", "\n", " ").Replace(v)
			}
			bw.WriteString(v)
			bw.WriteString("\r\n")
		}
	}
}

// statusLine is "code reason".
func statusLine(code int) string {
	if code == http.StatusOK {
		return "200 OK"
	}
	return strconv.Itoa(code) + " " + http.StatusText(code)
}

func itoa(n int) string { return strconv.Itoa(n) }

// hasToken reports whether a comma-separated header holds token.
func hasToken(values []string, token string) bool {
	for _, v := range values {
		for _, t := range strings.Split(v, ",") {
			if strings.EqualFold(strings.TrimSpace(t), token) {
				return true
			}
		}
	}
	return false
}
