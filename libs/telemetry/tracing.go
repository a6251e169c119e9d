package telemetry

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/propagation"
	sdkresource "go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	semconv "go.opentelemetry.io/otel/semconv/v1.26.0"
	"go.opentelemetry.io/otel/trace"
)

// Tracing is a component's tracer provider and propagator.
type Tracing struct {
	Provider   trace.TracerProvider
	Propagator propagation.TextMapPropagator
	Tracer     trace.Tracer
	shutdown   func(context.Context) error
}

// TracingOptions configure NewTracing.
type TracingOptions struct {
	// Endpoint is OTEL_EXPORTER_OTLP_ENDPOINT; empty keeps spans in process
	// (recorded for correlation ids, exported nowhere).
	Endpoint string
	// Exporter, when set, receives spans (tests use an in-memory exporter).
	Exporter sdktrace.SpanExporter
	// Synchronous exports each span when it ends (tests).
	Synchronous bool
}

// NewTracing builds the tracer provider of service. Spans are exported over
// OTLP/HTTP when opts.Endpoint is set.
func NewTracing(ctx context.Context, service string, opts TracingOptions) (*Tracing, error) {
	res := sdkresource.NewWithAttributes(semconv.SchemaURL, semconv.ServiceName("hostplane-"+service))
	tpOpts := []sdktrace.TracerProviderOption{sdktrace.WithResource(res), sdktrace.WithSampler(sdktrace.ParentBased(sdktrace.AlwaysSample()))}
	exp := opts.Exporter
	if exp == nil && opts.Endpoint != "" {
		e, err := otlptracehttp.New(ctx, endpointOption(opts.Endpoint))
		if err != nil {
			return nil, fmt.Errorf("telemetry: otlp exporter: %w", err)
		}
		exp = e
	}
	if exp != nil {
		if opts.Synchronous {
			tpOpts = append(tpOpts, sdktrace.WithSyncer(exp))
		} else {
			tpOpts = append(tpOpts, sdktrace.WithBatcher(exp))
		}
	}
	tp := sdktrace.NewTracerProvider(tpOpts...)
	return &Tracing{
		Provider:   tp,
		Propagator: propagation.NewCompositeTextMapPropagator(propagation.TraceContext{}, propagation.Baggage{}),
		Tracer:     tp.Tracer("github.com/hostplane/hostplane/" + service),
		shutdown:   tp.Shutdown,
	}, nil
}

func endpointOption(endpoint string) otlptracehttp.Option {
	// OTEL_EXPORTER_OTLP_ENDPOINT is a base URL; the exporter appends /v1/traces.
	if strings.HasPrefix(endpoint, "http://") || strings.HasPrefix(endpoint, "https://") {
		return otlptracehttp.WithEndpointURL(strings.TrimRight(endpoint, "/") + "/v1/traces")
	}
	return otlptracehttp.WithEndpoint(endpoint)
}

// Shutdown flushes and stops the exporter.
func (t *Tracing) Shutdown(ctx context.Context) error {
	if t == nil || t.shutdown == nil {
		return nil
	}
	return t.shutdown(ctx)
}

// ServerMiddleware starts a server span per request, continuing a trace
// propagated in the request headers. routeOf names the span.
func (t *Tracing) ServerMiddleware(routeOf func(*http.Request) string) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			ctx := t.Propagator.Extract(r.Context(), propagation.HeaderCarrier(r.Header))
			ctx, span := t.Tracer.Start(ctx, r.Method, trace.WithSpanKind(trace.SpanKindServer))
			defer span.End()
			sw, ok := w.(*StatusWriter)
			if !ok {
				sw = NewStatusWriter(w)
			}
			r = r.WithContext(ctx)
			returned := false
			defer func() {
				route := routeOf(r)
				span.SetName(r.Method + " " + route)
				EndHTTPSpan(span, r.Method, route, finalStatus(sw, returned))
			}()
			next.ServeHTTP(sw, r)
			returned = true
		})
	}
}

// EndHTTPSpan sets the standard attributes of an HTTP span.
func EndHTTPSpan(span trace.Span, method, route string, status int) {
	span.SetAttributes(
		attribute.String("http.request.method", method),
		attribute.String("http.route", route),
		attribute.Int("http.response.status_code", status),
	)
	if status >= 500 {
		span.SetStatus(codes.Error, http.StatusText(status))
	}
}

// Transport wraps base so that every outgoing request carries a client span
// and the W3C trace context.
func (t *Tracing) Transport(base http.RoundTripper) http.RoundTripper {
	if base == nil {
		base = http.DefaultTransport
	}
	return roundTripper{t: t, base: base}
}

type roundTripper struct {
	t    *Tracing
	base http.RoundTripper
}

func (rt roundTripper) RoundTrip(r *http.Request) (*http.Response, error) {
	ctx, span := rt.t.Tracer.Start(r.Context(), r.Method+" "+r.URL.Host, trace.WithSpanKind(trace.SpanKindClient))
	defer span.End()
	r = r.Clone(ctx)
	rt.t.Propagator.Inject(ctx, propagation.HeaderCarrier(r.Header))
	resp, err := rt.base.RoundTrip(r)
	if err != nil {
		span.RecordError(err)
		span.SetStatus(codes.Error, "transport error")
		return nil, err
	}
	EndHTTPSpan(span, r.Method, r.URL.Path, resp.StatusCode)
	return resp, nil
}
