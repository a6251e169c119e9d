// Package telemetry wires Hostplane's three signals: structured JSON logs
// (log/slog) carrying trace_id and request_id, Prometheus metrics named
// hostplane_<component>_<thing>_<unit> on a registry of the component's own,
// and OpenTelemetry traces exported over OTLP/HTTP when
// OTEL_EXPORTER_OTLP_ENDPOINT is set, with W3C trace-context propagation on
// every server and client.
package telemetry
