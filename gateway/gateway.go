package gateway

import (
	"context"
	"log/slog"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/hostplane/hostplane/gateway/authcache"
	"github.com/hostplane/hostplane/gateway/credentials"
	"github.com/hostplane/hostplane/gateway/proxy"
	"github.com/hostplane/hostplane/gateway/ratelimit"
	"github.com/hostplane/hostplane/gateway/routes"
	"github.com/hostplane/hostplane/libs/component"
	"github.com/hostplane/hostplane/libs/dialect"
	"github.com/hostplane/hostplane/libs/dialect/sb"
	"github.com/hostplane/hostplane/libs/discovery"
	"github.com/hostplane/hostplane/libs/errs"
	"github.com/hostplane/hostplane/libs/principal"
	"github.com/hostplane/hostplane/libs/telemetry"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"
)

// Gateway is the public HTTP handler.
type Gateway struct {
	cfg      Config
	rt       *component.Runtime
	table    *routes.Table
	cache    *authcache.Cache
	limiter  ratelimit.Limiter
	fallback *ratelimit.Fallback
	fwd      *proxy.Forwarder
	resolver discovery.Resolver
	pickers  map[string]*discovery.Balancer
	metrics  *gatewayMetrics
	docs     http.Handler
	health   *upstreamHealth

	defaultLimit ratelimit.Limit
	failLimit    ratelimit.Limit

	smallInts intValues
	settings  *gatewaySettings
	activity  *activityLog
	usage     *usageLog
	idle      *idleTrim
	trusted   []netip.Prefix

	blockedMu sync.RWMutex
	blocked   map[string]time.Time // client IP → refused until
}

func (g *Gateway) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	principal.StripHeaders(r.Header)
	switch r.URL.Path {
	case "/healthz":
		g.rt.Health.Healthz(w, r)
		return
	case "/readyz":
		g.rt.Health.Readyz(w, r)
		return
	case "/metrics":
		g.rt.Metrics.Handler().ServeHTTP(w, r)
		return
	}
	if g.docs != nil && (r.URL.Path == "/api/documentation" || strings.HasPrefix(r.URL.Path, "/api/documentation/")) {
		g.docs.ServeHTTP(w, r)
		return
	}

	g.idle.seen()
	start := time.Now()
	ctx := g.rt.Tracing.Propagator.Extract(r.Context(), propagation.HeaderCarrier(r.Header))
	ctx, span := g.rt.Tracing.Tracer.Start(ctx, r.Method, trace.WithSpanKind(trace.SpanKindServer))
	requestID := r.Header.Get("X-Request-Id")
	if !validRequestID(requestID) {
		requestID = span.SpanContext().TraceID().String()
		r.Header.Set("X-Request-Id", requestID)
	}
	ctx = telemetry.WithRequestID(ctx, requestID)
	r = r.WithContext(ctx)
	sw := telemetry.NewStatusWriter(w)
	sw.Header()["X-Request-Id"] = []string{requestID}
	st := requestState{pattern: "unmatched"}
	defer func() {
		status := sw.Status()
		took := time.Since(start)
		pattern := st.pattern
		g.rt.Metrics.Observe(pattern, r.Method, status, took)
		if st.id != nil {
			g.activity.add(st.id.KeyID, r.Method, r.URL.Path, status, start, st.ip)
			g.usage.add(st.site, st.id, r.Method, r.URL.Path, status, start)
		}
		if g.rt.Log.Enabled(ctx, slog.LevelDebug) {
			// Never the raw query: it may carry api_secret.
			g.rt.Log.DebugContext(ctx, "request", "method", r.Method, "path", r.URL.Path,
				"query", credentials.StripQuery(r.URL.RawQuery), "route", pattern, "status", status, "took", took.String())
		}
		span.SetName(r.Method + " " + pattern)
		telemetry.EndHTTPSpan(span, r.Method, pattern, status)
		span.End()
	}()

	if err := g.serve(sw, r, &st); err != nil {
		dialect.WriteError(sw, r, err)
	}
}

// requestState is what the pipeline learns about a request that the
// deferred bookkeeping needs.
type requestState struct {
	pattern string
	id      *authcache.Identity
	ip      string
	site    siteRef
}

// serve runs the pipeline; an error is rendered in the path's dialect.
func (g *Gateway) serve(w http.ResponseWriter, r *http.Request, st *requestState) error {
	if r.Method == http.MethodHead {
		// HEAD is GET without the body (RFC 9110 9.3.2), as WordPress's REST
		// API answers it: routed, authorised and sent upstream as the GET;
		// the server leaves the body out and keeps its length.
		get := *r
		get.Method = http.MethodGet
		r = &get
	}
	if r.Method == http.MethodPost && dialect.Of(r.URL.Path) == dialect.SB {
		tunnelled, err := sb.UntunnelLimit(r, g.rt.Config.MaxBodyBytes)
		if err != nil {
			return err
		}
		*r = *tunnelled
	}
	match, ok := g.table.Match(r.Method, r.URL.Path)
	if !ok {
		if len(match.Allowed) > 0 {
			st.pattern = match.Pattern
			w.Header().Set("Allow", strings.Join(match.Allowed, ", "))
			return errs.New(errs.MethodNotAllowed, "No route was found matching the URL and request method.")
		}
		return errs.New(errs.NoRoute, "No route was found matching the URL and request method.")
	}
	rt := match.Value
	st.pattern = rt.Pattern
	st.site = siteOf(rt.Pattern, match.Params)
	if !g.settings.apiEnabled() && rt.Scope != "health" {
		return &errs.Error{Kind: errs.Forbidden, Reason: "api_disabled",
			Message: "The API is disabled on this installation (setting enable_api)."}
	}

	var id *authcache.Identity
	var quota ratelimit.Result
	if rt.Access != routes.Public {
		st.ip = g.clientIP(r)
		var err error
		if id, err = g.authenticate(r, st.ip); err != nil {
			return err
		}
		st.id = id
		if !preparedOf(id).allows(st.ip) {
			return &errs.Error{Kind: errs.Forbidden, Reason: "ip_not_allowed",
				Message: "This key may not be used from your address."}
		}
		if rt.Access == routes.Scoped && !principal.Allows(id.Permissions, rt.Scope) {
			return &errs.Error{Kind: errs.Forbidden, Reason: "scope_missing",
				Message: "Sorry, you are not allowed to do that: the key lacks the permission " + rt.Scope + "."}
		}
		if quota, err = g.limit(w, r, id); err != nil {
			return err
		}
	}
	if rt.Service == routes.Gateway {
		return g.local(w, r, rt, id, quota)
	}
	return g.forward(w, r, rt, id, quota)
}

// authenticate finds and verifies the caller's credential.
func (g *Gateway) authenticate(r *http.Request, ip string) (*authcache.Identity, error) {
	ctx := r.Context()
	if until, blocked := g.isBlocked(ip); blocked {
		g.metrics.rateLimited.WithLabelValues("auth_failure", string(dialect.Of(r.URL.Path))).Inc()
		return nil, &errs.Error{Kind: errs.RateLimited, RetryAfter: time.Until(until), Message: "Too many failed authentications from your address."}
	}
	cred, err := credentials.From(r)
	if err != nil {
		return nil, g.refuse(ctx, ip, "malformed", "bad_token")
	}
	if cred.Scheme == credentials.None {
		g.metrics.authFailures.WithLabelValues("missing").Inc()
		return nil, &errs.Error{Kind: errs.Unauthorized, Message: "Authentication needed: send an API key."}
	}
	trace.SpanFromContext(ctx).SetAttributes(attribute.String("hostplane.api_key", cred.APIKey), attribute.String("hostplane.auth_scheme", string(cred.Scheme)))
	id, _, err := g.cache.Verify(ctx, cred.APIKey, cred.Secret)
	if err != nil {
		e := errs.From(err)
		if e.Kind != errs.Unauthorized {
			g.rt.Log.WarnContext(ctx, "credential verification failed", "err", err)
			return nil, errs.Wrap(errs.Unavailable, err, "Credentials cannot be verified right now.")
		}
		return nil, g.refuse(ctx, ip, e.Reason, "bad_token")
	}
	return id, nil
}

// refuse records a failed authentication against the client IP.
func (g *Gateway) refuse(ctx context.Context, ip, reason, code string) error {
	if reason == "" {
		reason = "refused"
	}
	g.metrics.authFailures.WithLabelValues(reason).Inc()
	if res, err := g.limiter.Allow(ctx, "authfail:"+ip, g.failLimit); err == nil && !res.Allowed {
		g.block(ip, time.Now().Add(res.RetryAfter))
	}
	return &errs.Error{Kind: errs.Unauthorized, Reason: code, Message: "Unauthenticated: invalid API key or secret."}
}

func (g *Gateway) isBlocked(ip string) (time.Time, bool) {
	g.blockedMu.RLock()
	until, ok := g.blocked[ip]
	g.blockedMu.RUnlock()
	if ok && time.Now().Before(until) {
		return until, true
	}
	return time.Time{}, false
}

func (g *Gateway) block(ip string, until time.Time) {
	g.blockedMu.Lock()
	defer g.blockedMu.Unlock()
	now := time.Now()
	for k, t := range g.blocked {
		if now.After(t) {
			delete(g.blocked, k)
		}
	}
	g.blocked[ip] = until
}

// limit applies the key's rate limit and sets the X-RateLimit headers.
func (g *Gateway) limit(w http.ResponseWriter, r *http.Request, id *authcache.Identity) (ratelimit.Result, error) {
	lim := g.defaultLimit
	if id.RateLimit > 0 && id.RatePeriod > 0 {
		lim = ratelimit.PerPeriod(id.RateLimit, id.RatePeriod)
	}
	res, err := g.limiter.Allow(r.Context(), preparedOf(id).limiterKey, lim)
	if err != nil {
		return res, errs.Wrap(errs.Unavailable, err, "Rate limits cannot be checked right now.")
	}
	h := w.Header()
	h["X-Ratelimit-Limit"] = []string{strconv.Itoa(lim.Rate)}
	h["X-Ratelimit-Remaining"] = []string{strconv.Itoa(res.Remaining)}
	h["X-Ratelimit-Reset"] = g.smallInts.get(int((res.ResetAfter + time.Second - 1) / time.Second))
	if !res.Allowed {
		g.metrics.rateLimited.WithLabelValues("key", string(dialect.Of(r.URL.Path))).Inc()
		return res, &errs.Error{Kind: errs.RateLimited, RetryAfter: res.RetryAfter, Message: "Too many requests: the rate limit of this key is " + strconv.Itoa(lim.Rate) + " per " + lim.Period.String() + "."}
	}
	return res, nil
}

// forward proxies to the route's service.
func (g *Gateway) forward(w http.ResponseWriter, r *http.Request, rt *routes.Route, id *authcache.Identity, quota ratelimit.Result) error {
	picker, ok := g.pickers[rt.Service]
	if !ok {
		return errs.New(errs.Unavailable, "The %s service is not configured.", rt.Service)
	}
	ctx := r.Context()
	requestID := telemetry.RequestID(ctx)
	host := r.Host
	proto := "http"
	if r.TLS != nil {
		proto = "https"
	}
	ip := g.clientIP(r)
	extra := make(outgoingHeaders, 0, 10)
	if id != nil {
		enc := encodePrincipal(id, requestID, quota.Limit, quota.Remaining)
		ts, sig := g.rt.Signer.Stamp(r.Method, r.URL.Path, enc)
		extra = append(extra,
			proxy.Header{Key: principal.HeaderPrincipal, Value: enc},
			proxy.Header{Key: principal.HeaderTimestamp, Value: ts},
			proxy.Header{Key: principal.HeaderSignature, Value: sig})
	}
	extra = append(extra,
		proxy.Header{Key: "X-Forwarded-Host", Value: host},
		proxy.Header{Key: "X-Forwarded-Proto", Value: proto},
		proxy.Header{Key: "X-Forwarded-For", Value: ip})
	g.rt.Tracing.Propagator.Inject(ctx, &extra)
	start := time.Now()
	err := g.fwd.Forward(w, proxy.Request{
		In: r, Service: rt.Service, Picker: picker,
		RawQuery: credentials.StripQuery(r.URL.RawQuery),
		Extra:    extra,
	})
	if obs := g.metrics.upstreamObs[rt.Service]; obs != nil {
		obs.Observe(time.Since(start).Seconds())
	}
	return err
}

func validRequestID(s string) bool {
	if s == "" || len(s) > 128 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
			return false
		}
	}
	return true
}

// outgoingHeaders collects the headers the gateway adds upstream; it is the
// carrier the trace-context propagator writes into.
type outgoingHeaders []proxy.Header

func (o *outgoingHeaders) Get(key string) string {
	for _, h := range *o {
		if h.Key == key {
			return h.Value
		}
	}
	return ""
}

func (o *outgoingHeaders) Set(key, value string) {
	*o = append(*o, proxy.Header{Key: http.CanonicalHeaderKey(key), Value: value})
}

func (o *outgoingHeaders) Keys() []string {
	keys := make([]string, len(*o))
	for i, h := range *o {
		keys[i] = h.Key
	}
	return keys
}

// intValues holds the header values of small numbers (X-RateLimit-Reset is
// nearly always 0 or 1), shared read-only to spare an allocation each.
type intValues [][]string

func newIntValues(n int) intValues {
	v := make(intValues, n)
	for i := range v {
		v[i] = []string{strconv.Itoa(i)}
	}
	return v
}

func (v intValues) get(n int) []string {
	if n >= 0 && n < len(v) {
		return v[n]
	}
	return []string{strconv.Itoa(n)}
}
