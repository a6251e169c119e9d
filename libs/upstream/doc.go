// Package upstream is how one Hostplane component calls another's internal
// HTTP API: instances picked round robin from discovery, the caller's
// principal (or a system principal) signed onto every request, W3C trace
// context propagated, one retry of an idempotent request on another instance
// after a connection error, a circuit breaker per service, and typed errors
// carried across the wire in one JSON shape.
package upstream
