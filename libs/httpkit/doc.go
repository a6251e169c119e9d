// Package httpkit is the HTTP plumbing every Hostplane component shares: a
// server with timeouts that drains in-flight requests on shutdown, /healthz
// and /readyz with per-dependency detail, a router over libs/route that
// exposes path parameters through Request.PathValue, and the middleware stack
// of a service (recovery, request id, tracing, metrics, body limit and
// verification of the gateway's signed principal).
package httpkit
