// Package proxy forwards a request to a healthy instance of a service: the
// instance is picked round robin, an idempotent request that fails to reach
// one instance is retried once on another, and failures come back as typed
// errors (no instance → unavailable, upstream too slow → timeout) for the
// gateway to render in the caller's dialect. It is the gateway's hot path:
// buffers are pooled and the outgoing request is built directly.
package proxy

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/hostplane/hostplane/libs/errs"
)

// Picker chooses instances (discovery.Balancer is one).
type Picker interface {
	Next() (string, error)
	NextExcept(tried string) (string, error)
}

// Options tune the forwarder.
type Options struct {
	// Timeout bounds the wait for an upstream's response headers (504 after).
	Timeout time.Duration
	// MaxIdlePerHost keep-alive connections per instance (default 256).
	MaxIdlePerHost int
	// StdTransport uses net/http's Transport instead of the gateway's own
	// HTTP/1.1 client (for comparison in benchmarks).
	StdTransport bool
}

// Forwarder proxies requests.
type Forwarder struct {
	h1      *h1Transport      // the gateway's own client (default)
	std     http.RoundTripper // net/http's Transport (Options.StdTransport)
	bufPool sync.Pool
}

// New returns a forwarder.
func New(o Options) *Forwarder {
	if o.Timeout <= 0 {
		o.Timeout = 30 * time.Second
	}
	if o.MaxIdlePerHost <= 0 {
		o.MaxIdlePerHost = 256
	}
	f := &Forwarder{}
	if !o.StdTransport {
		f.h1 = newH1Transport(o.Timeout, o.MaxIdlePerHost)
	} else {
		f.std = &http.Transport{
			Proxy:                 nil,
			DialContext:           (&net.Dialer{Timeout: 2 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
			MaxIdleConns:          o.MaxIdlePerHost * 8,
			MaxIdleConnsPerHost:   o.MaxIdlePerHost,
			IdleConnTimeout:       90 * time.Second,
			ResponseHeaderTimeout: o.Timeout,
			DisableCompression:    true,
			ForceAttemptHTTP2:     false,
			WriteBufferSize:       16 << 10,
			ReadBufferSize:        16 << 10,
		}
	}
	f.bufPool.New = func() any { b := make([]byte, 32<<10); return &b }
	return f
}

// Request is one request to forward.
type Request struct {
	In      *http.Request
	Service string
	Picker  Picker
	// RawQuery replaces the incoming query (credentials stripped).
	RawQuery string
	// Extra headers are added to the incoming ones (the signed principal,
	// X-Forwarded-*, trace context); they replace incoming ones of the same
	// name, which the gateway has already stripped.
	Extra []Header
}

// Header is one header line.
type Header struct{ Key, Value string }

// hopHeaders are removed in both directions (RFC 9110 7.6.1), plus the
// caller's credentials, which never reach a service.
var hopHeaders = []string{
	"Connection", "Proxy-Connection", "Keep-Alive", "Proxy-Authenticate",
	"Proxy-Authorization", "Te", "Trailer", "Transfer-Encoding", "Upgrade",
}

// exactCase restores the spelling of headers that clients of a dialect may
// look up case-sensitively (Go canonicalises X-WP-Total to X-Wp-Total).
var exactCase = map[string]string{
	"X-Wp-Total":      "X-WP-Total",
	"X-Wp-Totalpages": "X-WP-TotalPages",
}

// Forward sends req upstream and copies the answer to w. It returns a typed
// error, having written nothing, when no answer could be obtained.
func (f *Forwarder) Forward(w http.ResponseWriter, req Request) error {
	in := req.In
	addr, err := req.Picker.Next()
	if err != nil {
		return err
	}
	resp, err := f.roundTrip(in, req, addr)
	if err != nil && retryable(in, err) {
		if next, perr := req.Picker.NextExcept(addr); perr == nil {
			if in.GetBody != nil {
				if body, berr := in.GetBody(); berr == nil {
					in.Body = body
				}
			}
			resp, err = f.roundTrip(in, req, next)
		}
	}
	if err != nil {
		return classify(req.Service, in.Context(), err)
	}
	defer resp.Body.Close()

	h := w.Header()
	for k, v := range resp.Header {
		if exact, ok := exactCase[k]; ok {
			k = exact
		}
		h[k] = v
	}
	for _, k := range hopHeaders {
		delete(h, k)
	}
	w.WriteHeader(resp.StatusCode)
	bp := f.bufPool.Get().(*[]byte)
	_, err = io.CopyBuffer(w, resp.Body, *bp)
	f.bufPool.Put(bp)
	if err != nil {
		// The status line is out: all we can do is cut the connection.
		panic(http.ErrAbortHandler)
	}
	return nil
}

func (f *Forwarder) roundTrip(in *http.Request, req Request, addr string) (*http.Response, error) {
	if f.h1 != nil {
		return f.h1.do(in, addr, req.RawQuery, req.Extra)
	}
	out := &http.Request{
		Method:        in.Method,
		URL:           &url.URL{Scheme: "http", Host: addr, Path: in.URL.Path, RawPath: in.URL.RawPath, RawQuery: req.RawQuery},
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        make(http.Header, len(in.Header)+len(req.Extra)),
		Body:          in.Body,
		ContentLength: in.ContentLength,
		Host:          addr,
	}
	if in.ContentLength == 0 {
		out.Body = nil
	}
	for k, v := range in.Header {
		if !skipOutgoing(k) {
			out.Header[k] = v
		}
	}
	for _, h := range req.Extra {
		out.Header[h.Key] = []string{h.Value}
	}
	return f.std.RoundTrip(out.WithContext(in.Context()))
}

// skipOutgoing reports the incoming headers that never go upstream: the
// hop-by-hop ones and the caller's credentials.
func skipOutgoing(k string) bool {
	if k == "Authorization" {
		return true
	}
	for _, h := range hopHeaders {
		if k == h {
			return true
		}
	}
	return false
}

// retryable reports whether a failed attempt may be sent to another
// instance: idempotent methods whose body can be replayed, after an error
// that is not the caller giving up or the upstream being slow.
func retryable(in *http.Request, err error) bool {
	switch in.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodPut, http.MethodDelete:
	default:
		return false
	}
	if in.ContentLength != 0 && in.GetBody == nil {
		return false
	}
	if in.Context().Err() != nil {
		return false
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return false
	}
	return true
}

func classify(service string, ctx context.Context, err error) error {
	var ne net.Error
	switch {
	case ctx.Err() != nil:
		return errs.Wrap(errs.Timeout, err, "The request was cancelled.")
	case errors.As(err, &ne) && ne.Timeout():
		return errs.Wrap(errs.Timeout, err, "The "+service+" service did not answer in time.")
	default:
		return errs.Wrap(errs.Unavailable, err, "The "+service+" service is unavailable.")
	}
}
