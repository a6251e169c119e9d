package h1server

import (
	"bufio"
	"errors"
	"io"
	"net"
	"net/http"
	"runtime/debug"
	"strings"
	"sync/atomic"
	"time"

	"golang.org/x/net/http/httpguts"
)

// drainLimit is how much of a request body the handler left unread is
// read and thrown away to keep the connection; beyond it, the connection
// closes (net/http's figure).
const drainLimit = 256 << 10

// conn is one client connection.
type conn struct {
	s    *Server
	nc   net.Conn
	lr   *limitedReader
	br   *bufio.Reader
	bw   *bufio.Writer
	idle atomic.Bool
	// remote is the client's address (Request.RemoteAddr).
	remote string
	// linger: the connection closes with a request body left unread.
	linger bool
}

func newConn(s *Server, nc net.Conn) *conn {
	c := &conn{s: s, nc: nc, lr: &limitedReader{r: nc}, remote: nc.RemoteAddr().String()}
	c.idle.Store(true)
	c.br = bufio.NewReaderSize(c.lr, 4<<10)
	c.bw = bufio.NewWriterSize(nc, 4<<10)
	return c
}

// limitedReader fails reads once n bytes were read (the header budget).
type limitedReader struct {
	r   io.Reader
	n   int64
	hit bool
}

func (l *limitedReader) Read(p []byte) (int, error) {
	if l.n <= 0 {
		l.hit = true
		return 0, errHeaderTooLarge
	}
	if int64(len(p)) > l.n {
		p = p[:l.n]
	}
	n, err := l.r.Read(p)
	l.n -= int64(n)
	return n, err
}

var errHeaderTooLarge = errors.New("h1server: request header too large")

const unlimited = 1<<63 - 1

func (c *conn) serve() {
	defer func() {
		if c.linger {
			c.lingeringClose()
		}
		c.nc.Close()
		c.s.untrack(c)
	}()
	s := c.s
	for {
		c.idle.Store(true)
		if s.shutting.Load() {
			return
		}
		if s.IdleTimeout > 0 {
			c.nc.SetReadDeadline(time.Now().Add(s.IdleTimeout))
		}
		c.lr.n, c.lr.hit = unlimited, false
		if _, err := c.br.Peek(1); err != nil {
			return
		}
		c.idle.Store(false)
		start := time.Now()
		if s.ReadHeaderTimeout > 0 {
			c.nc.SetReadDeadline(start.Add(s.ReadHeaderTimeout))
		}
		c.lr.n = int64(c.maxHeaderBytes()) + 4096 - int64(c.br.Buffered())
		req, err := http.ReadRequest(c.br)
		if err != nil {
			c.refuse(err)
			return
		}
		c.lr.n = unlimited
		if code, msg := check(req); code != 0 {
			c.reject(code, msg)
			return
		}
		var readDeadline time.Time
		if s.ReadTimeout > 0 {
			readDeadline = start.Add(s.ReadTimeout)
		}
		c.nc.SetReadDeadline(readDeadline)
		if s.WriteTimeout > 0 {
			c.nc.SetWriteDeadline(time.Now().Add(s.WriteTimeout))
		}
		if !c.serveOne(req) {
			return
		}
	}
}

// serveOne runs the handler on req and finishes its response; it reports
// whether the connection can carry another request.
func (c *conn) serveOne(req *http.Request) bool {
	req.RemoteAddr = c.remote
	body := &requestBody{rc: req.Body}
	w := newResponse(c, req, body)
	if req.Body != http.NoBody {
		if expect := req.Header.Get("Expect"); expect != "" {
			if !strings.EqualFold(expect, "100-continue") {
				c.reject(http.StatusExpectationFailed, "unsupported Expect")
				return false
			}
			body.cont = w // sends 100 Continue on the first read
		}
		req.Body = body
	}
	// After a panic the answer is left as it is (finish is not called).
	keep := c.run(w, req) && w.finish() && !c.s.shutting.Load()
	c.linger = !keep && body.unread()
	// Answers to pipelined requests go out together, the last one flushing.
	if !keep || c.br.Buffered() == 0 {
		if err := c.bw.Flush(); err != nil {
			return false
		}
	}
	return keep
}

// lingerFor bounds how long a closing connection reads what its client
// still sends, and lingerBytes how much.
const (
	lingerFor   = 500 * time.Millisecond
	lingerBytes = 4 << 20
)

// lingeringClose ends the sending side, then reads and drops what the
// client is still sending (the rest of a body refused with 413, say) for a
// short while: closing a socket with unread data makes the kernel answer
// with a reset, which can destroy the response before the client reads it.
func (c *conn) lingeringClose() {
	type closeWriter interface{ CloseWrite() error }
	cw, ok := c.nc.(closeWriter)
	if !ok {
		return
	}
	if cw.CloseWrite() != nil {
		return
	}
	c.nc.SetReadDeadline(time.Now().Add(lingerFor))
	io.CopyN(io.Discard, c.nc, lingerBytes)
}

// drain reads what the handler left of a request body, if it is small, so
// that the connection can carry the next request (before the answer's
// header goes out, which then says whether the connection stays open).
func (c *conn) drain(body *requestBody) bool {
	if !body.unread() {
		return true
	}
	if body.cont != nil && !body.continued {
		return false // the client waits for a 100 it never got
	}
	n, err := io.CopyN(io.Discard, body.rc, drainLimit+1)
	if n <= drainLimit && err == io.EOF {
		body.eof = true
		return true
	}
	return false
}

// run calls the handler; a panic closes the connection (logged unless it is
// http.ErrAbortHandler).
func (c *conn) run(w *response, req *http.Request) (ok bool) {
	defer func() {
		if v := recover(); v != nil {
			ok = false
			if v != http.ErrAbortHandler {
				c.s.logger().Error("handler panic", "panic", v, "stack", string(debug.Stack()))
			}
			if !w.wroteHeader {
				c.reject(http.StatusInternalServerError, "")
			}
		}
	}()
	c.s.Handler.ServeHTTP(w, req)
	return true
}

func (c *conn) maxHeaderBytes() int {
	if c.s.MaxHeaderBytes > 0 {
		return c.s.MaxHeaderBytes
	}
	return http.DefaultMaxHeaderBytes
}

// refuse answers a request that could not be parsed.
func (c *conn) refuse(err error) {
	var ne net.Error
	switch {
	case c.lr.hit:
		c.reject(http.StatusRequestHeaderFieldsTooLarge, "request header too large")
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF), errors.As(err, &ne):
		// the client left or was too slow: nothing to answer
	default:
		c.reject(http.StatusBadRequest, "")
	}
}

// reject writes a plain-text error and leaves the connection to close.
func (c *conn) reject(code int, msg string) {
	text := http.StatusText(code)
	if msg != "" {
		text += ": " + msg
	}
	c.nc.SetWriteDeadline(time.Now().Add(time.Second))
	io.WriteString(c.bw, "HTTP/1.1 ")
	io.WriteString(c.bw, statusLine(code))
	io.WriteString(c.bw, "\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\nContent-Length: ")
	io.WriteString(c.bw, itoa(len(text)))
	io.WriteString(c.bw, "\r\n\r\n")
	io.WriteString(c.bw, text)
	c.bw.Flush()
}

// check makes the checks net/http's server makes after parsing: version,
// Host, header names and values. It returns 0 when req is acceptable.
func check(req *http.Request) (int, string) {
	if req.ProtoMajor != 1 {
		return http.StatusHTTPVersionNotSupported, "unsupported protocol version"
	}
	// http.ReadRequest has moved the Host header to req.Host.
	if req.ProtoAtLeast(1, 1) && req.Host == "" && req.Method != http.MethodConnect {
		return http.StatusBadRequest, "missing required Host header"
	}
	if req.Host != "" && !httpguts.ValidHostHeader(req.Host) {
		return http.StatusBadRequest, "malformed Host header"
	}
	for k, vv := range req.Header {
		if !httpguts.ValidHeaderFieldName(k) {
			return http.StatusBadRequest, "invalid header name"
		}
		for _, v := range vv {
			if !httpguts.ValidHeaderFieldValue(v) {
				return http.StatusBadRequest, "invalid header value"
			}
		}
	}
	return 0, ""
}

// requestBody notes the end of the body and sends "100 Continue" before
// the first read when the client asked for it.
type requestBody struct {
	rc        io.ReadCloser
	cont      *response
	continued bool
	eof       bool
}

func (b *requestBody) Read(p []byte) (int, error) {
	if b.cont != nil && !b.continued {
		b.continued = true
		if !b.cont.wroteHeader {
			b.cont.conn.bw.WriteString("HTTP/1.1 100 Continue\r\n\r\n")
			if err := b.cont.conn.bw.Flush(); err != nil {
				return 0, err
			}
		}
	}
	n, err := b.rc.Read(p)
	if err == io.EOF {
		b.eof = true
	}
	return n, err
}

func (b *requestBody) Close() error { return nil }

// unread reports whether some of the body may not have been read yet.
func (b *requestBody) unread() bool { return b.rc != http.NoBody && !b.eof }
