// Package discovery finds Hostplane's services and registers them.
//
// A service registers itself in the local Consul agent with Register, which
// adds an HTTP health check on its readiness endpoint. Callers find healthy
// instances through a Resolver: Static in single-node mode, Consul (a go-kit
// sd/consul instancer per service, kept current by blocking queries) when a
// Consul agent is configured. A Balancer spreads requests for one service
// over its instances in round robin. PutKV, GetKV and DeleteKV read and write
// Consul's key/value store (tenant routing entries).
package discovery
