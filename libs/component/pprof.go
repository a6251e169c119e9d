package component

import (
	"context"
	"net"
	"net/http"
	"net/http/pprof"
	"time"
)

// servePprof serves the runtime profiles on addr (loopback in practice)
// until ctx ends; it never shares the public listener.
func (rt *Runtime) servePprof(ctx context.Context, addr string) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		rt.Log.Warn("pprof disabled", "addr", addr, "err", err)
		return
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() {
		<-ctx.Done()
		_ = srv.Close()
	}()
	rt.Log.Info("pprof listening", "addr", ln.Addr().String())
	go func() { _ = srv.Serve(ln) }()
}

// StartPprof serves profiles when HOSTPLANE_PPROF_ADDR is set.
func (rt *Runtime) StartPprof(ctx context.Context) {
	if rt.Config.PprofAddr != "" {
		rt.servePprof(ctx, rt.Config.PprofAddr)
	}
}
