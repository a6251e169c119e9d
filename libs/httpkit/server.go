package httpkit

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"
)

// ServerConfig holds a server's address and timeouts.
type ServerConfig struct {
	Addr              string
	ReadHeaderTimeout time.Duration
	ReadTimeout       time.Duration
	WriteTimeout      time.Duration
	IdleTimeout       time.Duration
	// ShutdownTimeout bounds how long in-flight requests may drain.
	ShutdownTimeout time.Duration
}

// DefaultServerConfig returns sane timeouts for addr.
func DefaultServerConfig(addr string) ServerConfig {
	return ServerConfig{
		Addr:              addr,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		ShutdownTimeout:   20 * time.Second,
	}
}

// Serve listens on cfg.Addr and serves h until ctx is cancelled, then stops
// accepting, lets in-flight requests finish (up to ShutdownTimeout) and
// returns. onShutdown, when set, runs first (e.g. readiness → draining).
func Serve(ctx context.Context, cfg ServerConfig, h http.Handler, log *slog.Logger, onShutdown ...func()) error {
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("httpkit: listen %s: %w", cfg.Addr, err)
	}
	return ServeListener(ctx, ln, cfg, h, log, onShutdown...)
}

// ServeListener is Serve on an existing listener.
func ServeListener(ctx context.Context, ln net.Listener, cfg ServerConfig, h http.Handler, log *slog.Logger, onShutdown ...func()) error {
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: cfg.ReadHeaderTimeout,
		ReadTimeout:       cfg.ReadTimeout,
		WriteTimeout:      cfg.WriteTimeout,
		IdleTimeout:       cfg.IdleTimeout,
		MaxHeaderBytes:    MaxHeaderBytes,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	return ServeWith(ctx, ln, srv, cfg.ShutdownTimeout, log, onShutdown...)
}

// MaxHeaderBytes bounds a request's line and header on every server.
const MaxHeaderBytes = 64 << 10

// Server is an HTTP server as ServeWith runs it (*http.Server is one).
type Server interface {
	Serve(net.Listener) error
	Shutdown(context.Context) error
	Close() error
}

// ServeWith runs srv on ln until ctx is cancelled, then runs onShutdown,
// lets in-flight requests finish (up to shutdownTimeout, default 20 s) and
// returns.
func ServeWith(ctx context.Context, ln net.Listener, srv Server, shutdownTimeout time.Duration, log *slog.Logger, onShutdown ...func()) error {
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	log.Info("listening", "addr", ln.Addr().String())

	select {
	case err := <-errc:
		return fmt.Errorf("httpkit: serve: %w", err)
	case <-ctx.Done():
	}
	for _, f := range onShutdown {
		f()
	}
	if shutdownTimeout <= 0 {
		shutdownTimeout = 20 * time.Second
	}
	sctx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	log.Info("draining", "timeout", shutdownTimeout.String())
	if err := srv.Shutdown(sctx); err != nil {
		_ = srv.Close()
		return fmt.Errorf("httpkit: shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	log.Info("stopped")
	return nil
}
