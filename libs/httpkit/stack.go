package httpkit

import (
	"log/slog"
	"net/http"

	"github.com/hostplane/hostplane/libs/principal"
	"github.com/hostplane/hostplane/libs/telemetry"
)

// ServiceOptions describe a service's HTTP front.
type ServiceOptions struct {
	Log     *slog.Logger
	Metrics *telemetry.Metrics
	Tracing *telemetry.Tracing
	Health  *Health
	Signer  *principal.Signer
	// MaxBody caps request bodies (bytes); 0 means 1 MiB.
	MaxBody int64
	// API serves the routes that need a signed principal.
	API http.Handler
	// Public lists the API routes served without a signed principal, as
	// ServeMux patterns ("POST /collect"): the routes the gateway forwards
	// unauthenticated (its Access Public). They go through the same
	// middleware but the principal check, and their handlers see no
	// principal.
	Public []string
}

// NewServiceHandler builds the handler of a service: /healthz, /readyz and
// /metrics in the clear, everything else through recovery, request id,
// tracing, metrics, body limit and principal verification (but the Public
// routes).
func NewServiceHandler(o ServiceOptions) http.Handler {
	if o.MaxBody <= 0 {
		o.MaxBody = 1 << 20
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", o.Health.Healthz)
	mux.HandleFunc("GET /readyz", o.Health.Readyz)
	mux.Handle("GET /metrics", o.Metrics.Handler())
	mws := []Middleware{Recover(o.Log), RequestID()}
	if o.Tracing != nil {
		mws = append(mws, o.Tracing.ServerMiddleware(RouteOf))
	}
	mws = append(mws, o.Metrics.Middleware(RouteOf), LimitBody(o.MaxBody))
	for _, p := range o.Public {
		mux.Handle(p, Chain(o.API, append(mws[:len(mws):len(mws)], dropPrincipal)...))
	}
	mux.Handle("/", Chain(o.API, append(mws, RequirePrincipal(o.Signer, o.Log))...))
	return mux
}

// dropPrincipal removes any principal headers from a public route's
// request: nothing unsigned may pass for one.
func dropPrincipal(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		principal.StripHeaders(r.Header)
		next.ServeHTTP(w, r)
	})
}
