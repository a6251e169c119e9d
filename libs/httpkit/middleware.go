package httpkit

import (
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net/http"
	"runtime/debug"

	"github.com/hostplane/hostplane/libs/dialect"
	"github.com/hostplane/hostplane/libs/errs"
	"github.com/hostplane/hostplane/libs/principal"
	"github.com/hostplane/hostplane/libs/telemetry"
)

// Middleware decorates a handler.
type Middleware func(http.Handler) http.Handler

// Chain applies middleware so that the first listed is the outermost.
func Chain(h http.Handler, mw ...Middleware) http.Handler {
	for i := len(mw) - 1; i >= 0; i-- {
		h = mw[i](h)
	}
	return h
}

// Recover turns a panic into a 500 in the dialect's shape and logs it.
func Recover(log *slog.Logger) Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			defer func() {
				if v := recover(); v != nil {
					if v == http.ErrAbortHandler {
						panic(v)
					}
					log.ErrorContext(r.Context(), "panic", "panic", v, "stack", string(debug.Stack()))
					dialect.WriteError(w, r, errs.New(errs.Internal, ""))
				}
			}()
			next.ServeHTTP(w, r)
		})
	}
}

// RequestIDHeader carries a request id between components.
const RequestIDHeader = "X-Request-Id"

// NewRequestID returns a random request id.
func NewRequestID() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// RequestID takes the request id from the header (or makes one), puts it in
// the context for logs and echoes it in the response.
func RequestID() Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			id := r.Header.Get(RequestIDHeader)
			if id == "" || len(id) > 128 {
				id = NewRequestID()
			}
			w.Header().Set(RequestIDHeader, id)
			ctx := telemetry.WithRequestID(WithRouteHolder(r.Context()), id)
			next.ServeHTTP(w, r.WithContext(ctx))
		})
	}
}

// LimitBody caps request bodies at max bytes; reading past it fails with
// *http.MaxBytesError, which decoders report as 413.
func LimitBody(max int64) Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.ContentLength > max {
				dialect.WriteError(w, r, errs.New(errs.TooLarge, "Request body too large (limit %d bytes).", max))
				return
			}
			if r.Body != nil && r.Body != http.NoBody {
				r.Body = http.MaxBytesReader(w, r.Body, max)
			}
			next.ServeHTTP(w, r)
		})
	}
}

// RequirePrincipal refuses any request without a valid signed principal
// from the gateway (or a sibling service) and puts the principal in the
// request context.
func RequirePrincipal(s *principal.Signer, log *slog.Logger) Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			p, err := s.Verify(r)
			if err != nil {
				log.WarnContext(r.Context(), "refused unsigned request", "path", r.URL.Path, "reason", err.Error())
				dialect.WriteError(w, r, errs.Wrap(errs.Unauthorized, err, "Unauthenticated."))
				return
			}
			ctx := principal.With(r.Context(), p)
			if p.RequestID != "" && r.Header.Get(RequestIDHeader) == "" {
				ctx = telemetry.WithRequestID(ctx, p.RequestID)
			}
			next.ServeHTTP(w, r.WithContext(ctx))
		})
	}
}
