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
}

// NewServiceHandler builds the handler of a service: /healthz, /readyz and
// /metrics in the clear, everything else through recovery, request id,
// tracing, metrics, body limit and principal verification.
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
	mws = append(mws, o.Metrics.Middleware(RouteOf), LimitBody(o.MaxBody), RequirePrincipal(o.Signer, o.Log))
	mux.Handle("/", Chain(o.API, mws...))
	return mux
}
