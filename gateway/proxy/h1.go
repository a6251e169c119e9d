package proxy

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"sync"
	"time"
)

// h1Transport is a small HTTP/1.1 keep-alive client for the gateway's hot
// path. The calling goroutine writes the request and reads the answer on a
// pooled connection itself; net/http's Transport instead hands each request
// to two goroutines per connection through channels, which costs the gateway
// a measurable share of its CPU per proxied request. Requests and responses
// are still written and parsed by net/http (Request.Write, ReadResponse).
type h1Transport struct {
	dialer  net.Dialer
	timeout time.Duration // until the response headers
	maxIdle int           // idle connections kept per address

	mu   sync.Mutex
	idle map[string][]*h1Conn
}

type h1Conn struct {
	net.Conn
	br       *bufio.Reader
	bw       *bufio.Writer
	addr     string
	lastUsed time.Time
}

// idleTimeout drops pooled connections the upstream has likely closed.
const idleTimeout = 60 * time.Second

func newH1Transport(timeout time.Duration, maxIdle int) *h1Transport {
	return &h1Transport{
		dialer:  net.Dialer{Timeout: 2 * time.Second, KeepAlive: 30 * time.Second},
		timeout: timeout, maxIdle: maxIdle, idle: map[string][]*h1Conn{},
	}
}

// do sends in to addr on a pooled (or new) connection: in's method, path
// and headers (less the hop-by-hop ones and the credentials), rawQuery, the
// extra headers, and in's body.
func (t *h1Transport) do(in *http.Request, addr, rawQuery string, extra []Header) (*http.Response, error) {
	for attempt := 0; ; attempt++ {
		c, reused, err := t.get(in.Context(), addr)
		if err != nil {
			return nil, err
		}
		resp, err := t.exchange(c, in, addr, rawQuery, extra)
		if err == nil {
			return resp, nil
		}
		c.Close()
		// A pooled connection the upstream closed while idle fails before
		// any answer: send again on a fresh one when the body allows it.
		if reused && attempt == 0 && errors.Is(err, errStale) && (in.Body == nil || in.Body == http.NoBody || in.ContentLength == 0) {
			continue
		}
		return nil, unwrapStale(err)
	}
}

// errStale marks a failure before any byte of the answer was read.
var errStale = errors.New("proxy: connection closed before the answer")

type staleError struct{ err error }

func (e staleError) Error() string   { return e.err.Error() }
func (e staleError) Unwrap() []error { return []error{errStale, e.err} }
func unwrapStale(err error) error {
	var s staleError
	if errors.As(err, &s) {
		return s.err
	}
	return err
}

func (t *h1Transport) exchange(c *h1Conn, req *http.Request, addr, rawQuery string, extra []Header) (*http.Response, error) {
	// One deadline for the whole exchange, body included. A caller who
	// hangs up does not cut the exchange short: it ends by then at the
	// latest (watching every request's context costs more than it saves).
	_ = c.SetDeadline(time.Now().Add(t.timeout))
	if err := writeRequest(c.bw, req, addr, rawQuery, extra); err != nil {
		return nil, staleError{err}
	}
	if err := c.bw.Flush(); err != nil {
		return nil, staleError{err}
	}
	if _, err := c.br.Peek(1); err != nil {
		if req.Context().Err() != nil {
			return nil, req.Context().Err()
		}
		if errors.Is(err, io.EOF) || isReset(err) {
			return nil, staleError{err}
		}
		return nil, err
	}
	var resp *http.Response
	for {
		r, err := http.ReadResponse(c.br, req)
		if err != nil {
			return nil, err
		}
		if r.StatusCode >= 200 || r.StatusCode == http.StatusSwitchingProtocols {
			resp = r
			break
		}
		// 1xx informational answers precede the real one.
	}
	resp.Body = &h1Body{rc: resp.Body, c: c, t: t, keep: !resp.Close}
	return resp, nil
}

func isReset(err error) bool {
	var op *net.OpError
	return errors.As(err, &op) && op.Op == "read"
}

// get returns an idle connection to addr or dials one.
func (t *h1Transport) get(ctx context.Context, addr string) (*h1Conn, bool, error) {
	now := time.Now()
	t.mu.Lock()
	for list := t.idle[addr]; len(list) > 0; list = t.idle[addr] {
		c := list[len(list)-1]
		t.idle[addr] = list[:len(list)-1]
		if now.Sub(c.lastUsed) < idleTimeout {
			t.mu.Unlock()
			return c, true, nil
		}
		c.Conn.Close()
	}
	t.mu.Unlock()
	nc, err := t.dialer.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, false, err
	}
	return &h1Conn{Conn: nc, br: bufio.NewReaderSize(nc, 16<<10), bw: bufio.NewWriterSize(nc, 8<<10), addr: addr}, false, nil
}

// put returns a connection to the pool (its deadline is set again before
// the next use).
func (t *h1Transport) put(c *h1Conn) {
	c.lastUsed = time.Now()
	t.mu.Lock()
	if len(t.idle[c.addr]) < t.maxIdle {
		t.idle[c.addr] = append(t.idle[c.addr], c)
		t.mu.Unlock()
		return
	}
	t.mu.Unlock()
	c.Conn.Close()
}

// CloseIdleConnections closes every pooled connection.
func (t *h1Transport) CloseIdleConnections() {
	t.mu.Lock()
	defer t.mu.Unlock()
	for addr, list := range t.idle {
		for _, c := range list {
			c.Conn.Close()
		}
		delete(t.idle, addr)
	}
}

// h1Body returns its connection to the pool once the body was read to the
// end, and closes it otherwise.
type h1Body struct {
	rc   io.ReadCloser
	c    *h1Conn
	t    *h1Transport
	keep bool
	done bool
}

func (b *h1Body) Read(p []byte) (int, error) {
	if b.done {
		return 0, io.EOF
	}
	n, err := b.rc.Read(p)
	if err == io.EOF {
		b.finish(true)
	} else if err != nil {
		b.finish(false)
	}
	return n, err
}

func (b *h1Body) Close() error {
	if !b.done {
		b.finish(false)
	}
	return nil
}

func (b *h1Body) finish(complete bool) {
	b.done = true
	if complete && b.keep {
		b.t.put(b.c)
		return
	}
	b.c.Conn.Close()
}
