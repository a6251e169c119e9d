// Package h1server is the gateway's HTTP/1.1 server: one loop per
// connection that parses requests with net/http's own parser
// (http.ReadRequest, then the checks net/http's server makes) and answers
// through a lean ResponseWriter.
//
// Why not net/http's Server: for every request without a body it starts a
// goroutine that reads the connection while the handler runs (to cancel
// the request's context if the client leaves), then wakes and stops it;
// it also clones and sorts the response headers. On the gateway's proxied
// hot path that is a share of its CPU and one more wake-up per request.
// As net/http's server does, it reads what a handler left of a small
// request body before answering, says "Connection: close" when the rest is
// too large, and then closes lingering (reading what the client still
// sends for a moment) so that the answer is not lost to a reset.
// What this server leaves out: HTTP/2, TLS (the gateway sits behind the
// operator's TLS terminator), Hijack, and cancelling a request's context
// when its client hangs up (the gateway bounds every upstream exchange by
// its own deadline instead).
package h1server

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// Server serves HTTP/1.x on a listener.
type Server struct {
	Handler http.Handler
	// ReadHeaderTimeout bounds the reading of a request's line and header,
	// from its first byte.
	ReadHeaderTimeout time.Duration
	// ReadTimeout bounds the reading of a whole request, body included.
	ReadTimeout time.Duration
	// WriteTimeout bounds the writing of a response, from the end of the
	// request's header.
	WriteTimeout time.Duration
	// IdleTimeout closes a keep-alive connection without a new request.
	IdleTimeout time.Duration
	// MaxHeaderBytes bounds a request's line and header (431 beyond).
	MaxHeaderBytes int
	// Log receives handler panics and accept errors.
	Log *slog.Logger

	mu       sync.Mutex
	ln       net.Listener
	conns    map[*conn]struct{}
	shutting atomic.Bool
	dates    dateCache
}

// ErrServerClosed is what Serve returns after Shutdown or Close.
var ErrServerClosed = http.ErrServerClosed

// errTooManyFiles is an accept failure that passes once connections close.
var errTooManyFiles error = syscall.EMFILE

// Serve accepts connections on ln and serves each in its own goroutine
// until Shutdown or Close.
func (s *Server) Serve(ln net.Listener) error {
	s.mu.Lock()
	if s.shutting.Load() {
		s.mu.Unlock()
		return ErrServerClosed
	}
	s.ln = ln
	if s.conns == nil {
		s.conns = map[*conn]struct{}{}
	}
	s.mu.Unlock()
	var backoff time.Duration
	for {
		nc, err := ln.Accept()
		if err != nil {
			if s.shutting.Load() {
				return ErrServerClosed
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() || errors.Is(err, errTooManyFiles) {
				backoff = min(max(2*backoff, 5*time.Millisecond), time.Second)
				s.logger().Warn("accept failed; retrying", "err", err, "in", backoff.String())
				time.Sleep(backoff)
				continue
			}
			return err
		}
		backoff = 0
		c := newConn(s, nc)
		if !s.track(c) {
			nc.Close()
			return ErrServerClosed
		}
		go c.serve()
	}
}

// Shutdown stops accepting, closes idle connections, and waits for the
// requests in flight to be answered (their connections then close), or
// for ctx to end.
func (s *Server) Shutdown(ctx context.Context) error {
	s.shutting.Store(true)
	s.mu.Lock()
	if s.ln != nil {
		s.ln.Close()
	}
	s.mu.Unlock()
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for {
		if s.closeIdle() == 0 {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-tick.C:
		}
	}
}

// Close closes the listener and every connection at once.
func (s *Server) Close() error {
	s.shutting.Store(true)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ln != nil {
		s.ln.Close()
	}
	for c := range s.conns {
		c.nc.Close()
	}
	return nil
}

// closeIdle closes the connections waiting for a request and returns how
// many remain (busy).
func (s *Server) closeIdle() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	for c := range s.conns {
		if c.idle.Load() {
			c.nc.Close()
			delete(s.conns, c)
		}
	}
	return len(s.conns)
}

func (s *Server) track(c *conn) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.shutting.Load() {
		return false
	}
	s.conns[c] = struct{}{}
	return true
}

func (s *Server) untrack(c *conn) {
	s.mu.Lock()
	delete(s.conns, c)
	s.mu.Unlock()
}

func (s *Server) logger() *slog.Logger {
	if s.Log != nil {
		return s.Log
	}
	return slog.Default()
}
