// Package e2e holds Hostplane's black-box tests: they start the real
// binaries — every service and the gateway, each its own process — against
// real PostgreSQL, Redis and Consul, and drive the public gateway the way an
// integration would.
package e2e
