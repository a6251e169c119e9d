package httpkit

import (
	"context"
	"net/http"
	"strings"

	"github.com/hostplane/hostplane/libs/dialect"
	"github.com/hostplane/hostplane/libs/errs"
	"github.com/hostplane/hostplane/libs/route"
)

// Router dispatches requests to handlers by method and pattern (see
// libs/route for the pattern syntax). Matched parameters are available
// through r.PathValue. Unknown paths and methods answer in the dialect of
// the path's prefix.
type Router struct {
	routes *route.Router[http.Handler]
}

// NewRouter returns an empty router.
func NewRouter() *Router { return &Router{routes: route.New[http.Handler]()} }

// Handle registers h for method and pattern; it panics on a duplicate, which
// is a programming error in a static table.
func (rt *Router) Handle(method, pattern string, h http.Handler) {
	rt.routes.MustAdd(method, pattern, h)
}

// HandleFunc registers f for method and pattern.
func (rt *Router) HandleFunc(method, pattern string, f http.HandlerFunc) {
	rt.Handle(method, pattern, f)
}

// Patterns lists what is registered.
func (rt *Router) Patterns() []route.Result[http.Handler] { return rt.routes.Patterns() }

func (rt *Router) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	res, ok := rt.routes.Match(r.Method, r.URL.Path)
	if !ok {
		if len(res.Allowed) > 0 {
			SetRoute(r.Context(), res.Pattern)
			w.Header().Set("Allow", strings.Join(res.Allowed, ", "))
			dialect.WriteError(w, r, errs.New(errs.MethodNotAllowed, "Method not allowed."))
			return
		}
		SetRoute(r.Context(), "unmatched")
		dialect.WriteError(w, r, errs.New(errs.NoRoute, "No route was found matching the URL and request method."))
		return
	}
	SetRoute(r.Context(), res.Pattern)
	for _, p := range res.Params {
		r.SetPathValue(p.Name, p.Value)
	}
	res.Value.ServeHTTP(w, r)
}

type routeKey struct{}

type routeHolder struct{ pattern string }

// WithRouteHolder prepares ctx so that the router can record the matched
// pattern for outer middleware (metrics and spans name routes by pattern).
func WithRouteHolder(ctx context.Context) context.Context {
	return context.WithValue(ctx, routeKey{}, &routeHolder{})
}

// SetRoute records the matched pattern.
func SetRoute(ctx context.Context, pattern string) {
	if h, ok := ctx.Value(routeKey{}).(*routeHolder); ok {
		h.pattern = pattern
	}
}

// RouteOf returns the recorded pattern of r, or "unmatched".
func RouteOf(r *http.Request) string {
	if h, ok := r.Context().Value(routeKey{}).(*routeHolder); ok && h.pattern != "" {
		return h.pattern
	}
	return "unmatched"
}
