package upstream

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/hostplane/hostplane/libs/errs"
	"github.com/hostplane/hostplane/libs/principal"
	"github.com/hostplane/hostplane/libs/telemetry"
	"github.com/sony/gobreaker/v2"
)

// Picker chooses instances of one service (discovery.Balancer is one).
type Picker interface {
	Next() (string, error)
	NextExcept(tried string) (string, error)
}

// Client calls one service.
type Client struct {
	service string
	picker  Picker
	signer  *principal.Signer
	http    *http.Client
	breaker *gobreaker.CircuitBreaker[*http.Response]
}

// Options tune New.
type Options struct {
	Timeout time.Duration // per attempt (default 10s)
	Tracing *telemetry.Tracing
}

// New returns a client of service.
func New(service string, picker Picker, signer *principal.Signer, o Options) *Client {
	if o.Timeout <= 0 {
		o.Timeout = 10 * time.Second
	}
	var rt http.RoundTripper = &http.Transport{
		Proxy:               nil,
		DialContext:         (&net.Dialer{Timeout: 2 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:        256,
		MaxIdleConnsPerHost: 64,
		IdleConnTimeout:     90 * time.Second,
	}
	if o.Tracing != nil {
		rt = o.Tracing.Transport(rt)
	}
	cb := gobreaker.NewCircuitBreaker[*http.Response](gobreaker.Settings{
		Name:        service,
		MaxRequests: 1,
		Timeout:     5 * time.Second,
		ReadyToTrip: func(c gobreaker.Counts) bool { return c.ConsecutiveFailures >= 10 },
	})
	return &Client{service: service, picker: picker, signer: signer, http: &http.Client{Transport: rt, Timeout: o.Timeout}, breaker: cb}
}

// Do sends in (JSON, may be nil) to path with method and decodes a 2xx
// answer into out (may be nil). Errors come back typed.
func (c *Client) Do(ctx context.Context, method, path string, in, out any) error {
	var body []byte
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return fmt.Errorf("upstream: encode: %w", err)
		}
		body = b
	}
	idempotent := method == http.MethodGet || method == http.MethodPut || method == http.MethodDelete || method == http.MethodHead
	addr, err := c.picker.Next()
	if err != nil {
		return err
	}
	resp, err := c.send(ctx, addr, method, path, body)
	if err != nil && idempotent && isConnError(err) {
		if next, perr := c.picker.NextExcept(addr); perr == nil {
			resp, err = c.send(ctx, next, method, path, body)
		}
	}
	if err != nil {
		if errors.Is(err, gobreaker.ErrOpenState) || errors.Is(err, gobreaker.ErrTooManyRequests) {
			return errs.Wrap(errs.Unavailable, err, c.service+" is unavailable.")
		}
		if errors.Is(err, context.DeadlineExceeded) || isTimeout(err) {
			return errs.Wrap(errs.Timeout, err, c.service+" did not answer in time.")
		}
		return errs.Wrap(errs.Unavailable, err, c.service+" is unavailable.")
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 16<<20))
	if err != nil {
		return errs.Wrap(errs.Unavailable, err, c.service+" answer was cut.")
	}
	if resp.StatusCode >= 300 {
		return DecodeError(resp.StatusCode, data)
	}
	if out != nil && len(data) > 0 {
		if err := json.Unmarshal(data, out); err != nil {
			return fmt.Errorf("upstream: decode %s answer: %w", c.service, err)
		}
	}
	return nil
}

func (c *Client) send(ctx context.Context, addr, method, path string, body []byte) (*http.Response, error) {
	return c.breaker.Execute(func() (*http.Response, error) {
		var rd io.Reader
		if body != nil {
			rd = bytes.NewReader(body)
		}
		req, err := http.NewRequestWithContext(ctx, method, "http://"+addr+path, rd)
		if err != nil {
			return nil, err
		}
		if body != nil {
			req.Header.Set("Content-Type", "application/json")
		}
		p := principal.From(ctx)
		if p == nil {
			p = &principal.Principal{System: true, Permissions: []string{"*"}}
		}
		if id := telemetry.RequestID(ctx); id != "" {
			req.Header.Set("X-Request-Id", id)
		}
		if err := c.signer.Apply(req.Header, method, req.URL.Path, p); err != nil {
			return nil, err
		}
		return c.http.Do(req)
	})
}

func isConnError(err error) bool {
	var op *net.OpError
	return errors.As(err, &op) && op.Op == "dial"
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}
