package main

import (
	"bufio"
	"io"
	"strconv"
	"strings"
)

// Profile is a `go tool pprof -top -cum` listing: cumulative share per
// function.
type Profile struct {
	Header []string           // the lines before the table
	Cum    map[string]float64 // function → cum %
}

// ParseTop reads pprof -top output.
func ParseTop(r io.Reader) Profile {
	p := Profile{Cum: map[string]float64{}}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	table := false
	for sc.Scan() {
		line := sc.Text()
		f := strings.Fields(line)
		if !table {
			if len(f) >= 5 && f[0] == "flat" && f[1] == "flat%" {
				table = true
				continue
			}
			if strings.TrimSpace(line) != "" {
				p.Header = append(p.Header, strings.TrimSpace(line))
			}
			continue
		}
		if len(f) < 6 || !strings.HasSuffix(f[4], "%") {
			continue
		}
		v, err := strconv.ParseFloat(strings.TrimSuffix(f[4], "%"), 64)
		if err != nil {
			continue
		}
		p.Cum[strings.Join(f[5:], " ")] = v
	}
	return p
}

const gw = "github.com/hostplane/hostplane/gateway."

// breakdown names where the gateway's CPU goes, as cumulative shares of
// functions; deeper lines are part of the line above them. The functions of
// one line never call each other, so their shares add up — except in lines
// marked alt, which list alternative names of one step (the gateway's code
// changes; inlining hides some) and take the largest.
var breakdown = []struct {
	depth int
	label string
	funcs []string
	alt   bool
}{
	{0, "HTTP/1.1 server side: read the request, run the handler, write the answer", []string{"net/http.(*conn).serve", "github.com/hostplane/hostplane/gateway/h1server.(*conn).serve"}, false},
	{1, "the gateway handler (Gateway.ServeHTTP)", []string{gw + "(*Gateway).ServeHTTP"}, false},
	{2, "rate limit (Gateway.limit: GCRA in Redis, per request or per lease)", []string{gw + "(*Gateway).limit"}, false},
	{3, "go-redis: take and return a pooled connection", []string{"github.com/redis/go-redis/v9/internal/pool.(*ConnPool).Get", "github.com/redis/go-redis/v9/internal/pool.(*ConnPool).Put"}, false},
	{3, "go-redis: write the command", []string{"github.com/redis/go-redis/v9/internal/pool.(*Conn).WithWriter"}, false},
	{3, "go-redis: read the reply", []string{"github.com/redis/go-redis/v9/internal/pool.(*Conn).WithReader"}, false},
	{2, "proxy to billing, request goroutine (Gateway.forward)", []string{gw + "(*Gateway).forward"}, false},
	{3, "sign the principal (HMAC-SHA256)", []string{"github.com/hostplane/hostplane/libs/principal.(*Signer).ApplyEncoded", "github.com/hostplane/hostplane/libs/principal.(*Signer).Sign"}, true},
	{3, "inject the W3C trace context", []string{"go.opentelemetry.io/otel/propagation.compositeTextMapPropagator.Inject"}, false},
	{3, "upstream round trip (the gateway's own HTTP/1.1 client, or net/http's Transport)", []string{"github.com/hostplane/hostplane/gateway/proxy.(*h1Transport).RoundTrip", "github.com/hostplane/hostplane/gateway/proxy.(*h1Transport).exchange", "net/http.(*Transport).RoundTrip"}, true},
	{3, "copy the answer to the client", []string{"io.CopyBuffer"}, false},
	{2, "authenticate: parse the credential, auth cache lookup", []string{gw + "(*Gateway).authenticate"}, false},
	{2, "tracing: start the server span, extract the context, end the span", []string{"go.opentelemetry.io/otel/sdk/trace.(*tracer).Start", "go.opentelemetry.io/otel/propagation.compositeTextMapPropagator.Extract", "github.com/hostplane/hostplane/libs/telemetry.EndHTTPSpan", "go.opentelemetry.io/otel/sdk/trace.(*recordingSpan).End"}, false},
	{2, "metrics: request counter and latency histogram", []string{"github.com/hostplane/hostplane/libs/telemetry.(*Metrics).Observe"}, false},
	{0, "net/http Transport connection goroutines (persistConn readLoop + writeLoop; none with the gateway's own client)", []string{"net/http.(*persistConn).readLoop", "net/http.(*persistConn).writeLoop"}, false},
	{0, "— across everything above —", nil, false},
	{1, "system calls (read, write, epoll)", []string{"internal/runtime/syscall/linux.Syscall6"}, false},
	{1, "memory allocation (mallocgc, GC assists included)", []string{"runtime.mallocgc"}, false},
	{1, "garbage collection: background mark workers", []string{"runtime.gcBgMarkWorker"}, false},
	{1, "goroutine scheduling (runtime.schedule)", []string{"runtime.schedule"}, false},
}

// Breakdown renders the breakdown lines.
func (p Profile) Breakdown(w io.Writer, indent string) {
	for _, b := range breakdown {
		pad := strings.Repeat("  ", b.depth)
		if b.funcs == nil {
			io.WriteString(w, indent+"       "+pad+b.label+"\n")
			continue
		}
		sum, found := 0.0, false
		for _, f := range b.funcs {
			if v, ok := p.Cum[f]; ok {
				if b.alt {
					sum = max(sum, v)
				} else {
					sum += v
				}
				found = true
			}
		}
		val := "   ~0%"
		if found {
			val = strconv.FormatFloat(sum, 'f', 1, 64) + "%"
			val = strings.Repeat(" ", max(0, 6-len(val))) + val
		}
		io.WriteString(w, indent+val+" "+pad+b.label+"\n")
	}
}
