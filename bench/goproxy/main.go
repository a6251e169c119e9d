// Command goproxy is the benchmark's baseline Go proxy: a plain
// net/http/httputil.ReverseProxy with a tuned Transport (256 idle
// keep-alive connections per host, no compression) and a pooled copy
// buffer, in front of one upstream. Like the gateway it signs the principal
// headers onto every request (HMAC with HOSTPLANE_INTERNAL_SECRET, see
// bench/sign), so the comparison leaves out only what the gateway does
// beyond proxying: credentials, scopes, rate limits, metrics, tracing.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"

	"github.com/hostplane/hostplane/libs/principal"
)

// bufferPool is httputil.BufferPool over a sync.Pool of 32 KiB buffers.
type bufferPool struct{ p sync.Pool }

func newBufferPool() *bufferPool {
	return &bufferPool{p: sync.Pool{New: func() any { b := make([]byte, 32<<10); return &b }}}
}

func (b *bufferPool) Get() []byte  { return *(b.p.Get().(*[]byte)) }
func (b *bufferPool) Put(p []byte) { b.p.Put(&p) }

// newProxy returns the reverse proxy to upstream (host:port); signer, when
// set, signs the principal onto every outgoing request.
func newProxy(upstream string, signer *principal.Signer) (*httputil.ReverseProxy, error) {
	target, err := url.Parse("http://" + upstream)
	if err != nil {
		return nil, err
	}
	encoded, err := principal.Encode(&principal.Principal{KeyID: 1, KeyName: "bench", Permissions: []string{"*"}, RequestID: "bench"})
	if err != nil {
		return nil, err
	}
	return &httputil.ReverseProxy{
		Rewrite: func(pr *httputil.ProxyRequest) {
			pr.SetURL(target)
			pr.SetXForwarded()
			if signer != nil {
				signer.ApplyEncoded(pr.Out.Header, pr.Out.Method, pr.Out.URL.Path, encoded)
			}
		},
		Transport: &http.Transport{
			DialContext:         (&net.Dialer{Timeout: 2 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
			MaxIdleConns:        1024,
			MaxIdleConnsPerHost: 256,
			IdleConnTimeout:     90 * time.Second,
			DisableCompression:  true,
		},
		BufferPool: newBufferPool(),
	}, nil
}

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "listen address")
	upstream := flag.String("upstream", "", "upstream host:port")
	flag.Parse()
	if err := run(*addr, *upstream); err != nil {
		fmt.Fprintln(os.Stderr, "goproxy:", err)
		os.Exit(1)
	}
}

func run(addr, upstream string) error {
	if upstream == "" {
		return errors.New("-upstream is required")
	}
	var signer *principal.Signer
	if s := os.Getenv("HOSTPLANE_INTERNAL_SECRET"); s != "" {
		signer = principal.NewSigner(s)
	}
	p, err := newProxy(upstream, signer)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: p, ReadHeaderTimeout: 5 * time.Second, IdleTimeout: 120 * time.Second, ErrorLog: log.New(os.Stderr, "goproxy: ", 0)}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		defer cancel()
		_ = srv.Shutdown(sctx)
	}()
	fmt.Fprintln(os.Stderr, "goproxy: listening on", ln.Addr())
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
