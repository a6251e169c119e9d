// Package bench is Hostplane's performance harness (`make bench`, run.sh):
// it starts auth, billing and the gateway as separate processes, measures
// GET /wp-json/wu/v2/customers/{id} straight to billing, through the
// gateway, through nginx and through a plain Go reverse proxy, then checks
// the gateway's added latency at half its peak, its behaviour with Redis
// hung or refusing, the auth cache, the shared rate limit of two gateways
// and the idle memory of every component.
//
// The Go programs beside it are the harness's tools: load (an open-loop
// load generator), goproxy (the httputil.ReverseProxy baseline), sign (the
// signed principal headers) and report (wrk parsing and the final report).
// Nothing here runs in `make test` except their unit tests.
package bench
