package h1server

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// start serves h on a loopback port until the test ends.
func start(t *testing.T, h http.Handler, mutate ...func(*Server)) (*Server, string) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{Handler: h, ReadHeaderTimeout: 2 * time.Second, IdleTimeout: 5 * time.Second, WriteTimeout: 5 * time.Second, MaxHeaderBytes: 8 << 10}
	for _, m := range mutate {
		m(s)
	}
	done := make(chan error, 1)
	go func() { done <- s.Serve(ln) }()
	t.Cleanup(func() {
		s.Close()
		if err := <-done; err != ErrServerClosed {
			t.Errorf("Serve returned %v", err)
		}
	})
	return s, ln.Addr().String()
}

// exchange writes raw to a new connection and reads n responses.
func exchange(t *testing.T, addr, raw string, n int, method ...string) []*http.Response {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	c.SetDeadline(time.Now().Add(5 * time.Second))
	if _, err := io.WriteString(c, raw); err != nil {
		t.Fatal(err)
	}
	br := bufio.NewReader(c)
	var out []*http.Response
	for i := 0; i < n; i++ {
		m := http.MethodGet
		if i < len(method) {
			m = method[i]
		}
		resp, err := http.ReadResponse(br, &http.Request{Method: m})
		if err != nil {
			t.Fatalf("response %d: %v", i+1, err)
		}
		b, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatalf("response %d body: %v", i+1, err)
		}
		resp.Body = io.NopCloser(strings.NewReader(string(b)))
		out = append(out, resp)
	}
	return out
}

func bodyOf(r *http.Response) string { b, _ := io.ReadAll(r.Body); return string(b) }

func echo() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		w.Header().Set("X-Method", r.Method)
		w.Header().Set("X-Host", r.Host)
		w.Header().Set("X-Remote-Set", fmt.Sprint(r.RemoteAddr != ""))
		fmt.Fprintf(w, "%s %s %s", r.Method, r.URL.RequestURI(), b)
	})
}

func TestKeepAliveAndPipelining(t *testing.T) {
	_, addr := start(t, echo())
	raw := "GET /a?x=1 HTTP/1.1\r\nHost: h\r\n\r\n" +
		"POST /b HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello" +
		"POST /c HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"
	rs := exchange(t, addr, raw, 3)
	want := []string{"GET /a?x=1 ", "POST /b hello", "POST /c abc"}
	for i, r := range rs {
		if r.StatusCode != 200 || bodyOf(r) != want[i] {
			t.Fatalf("response %d: %d %q", i+1, r.StatusCode, want[i])
		}
		if r.ContentLength != int64(len(want[i])) || r.Header.Get("Date") == "" || r.Header.Get("X-Host") != "h" || r.Header.Get("X-Remote-Set") != "true" {
			t.Fatalf("response %d header: %v (length %d)", i+1, r.Header, r.ContentLength)
		}
	}
}

func TestStdClient(t *testing.T) {
	_, addr := start(t, echo())
	cl := &http.Client{Timeout: 5 * time.Second}
	for i := 0; i < 3; i++ {
		resp, err := cl.Post("http://"+addr+"/p", "text/plain", strings.NewReader(strings.Repeat("x", 100_000)))
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || len(b) != len("POST /p ")+100_000 {
			t.Fatalf("%d, %d bytes", resp.StatusCode, len(b))
		}
		if resp.TransferEncoding == nil || resp.TransferEncoding[0] != "chunked" {
			t.Fatalf("a long body without a length is chunked: %v", resp.TransferEncoding)
		}
	}
}

func TestResponseFraming(t *testing.T) {
	tests := []struct {
		name    string
		method  string
		handler http.HandlerFunc
		check   func(t *testing.T, r *http.Response)
	}{
		{"declared length kept", "GET", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Length", "10000")
			w.Write([]byte(strings.Repeat("y", 10000)))
		}, func(t *testing.T, r *http.Response) {
			if r.ContentLength != 10000 || len(r.TransferEncoding) != 0 || len(bodyOf(r)) != 10000 {
				t.Fatalf("length %d, te %v", r.ContentLength, r.TransferEncoding)
			}
		}},
		{"no content", "GET", func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusNoContent)
		}, func(t *testing.T, r *http.Response) {
			if r.StatusCode != 204 || r.Header.Get("Content-Length") != "" || r.Header.Get("Content-Type") != "" {
				t.Fatalf("%d %v", r.StatusCode, r.Header)
			}
		}},
		{"status and type kept", "GET", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusCreated)
			w.Write([]byte(`{}`))
		}, func(t *testing.T, r *http.Response) {
			if r.StatusCode != 201 || r.Header.Get("Content-Type") != "application/json" || bodyOf(r) != "{}" {
				t.Fatalf("%d %v", r.StatusCode, r.Header)
			}
		}},
		{"type sniffed when unset", "GET", func(w http.ResponseWriter, r *http.Request) {
			w.Write([]byte("<html><body>x</body></html>"))
		}, func(t *testing.T, r *http.Response) {
			if !strings.HasPrefix(r.Header.Get("Content-Type"), "text/html") {
				t.Fatalf("content type %q", r.Header.Get("Content-Type"))
			}
		}},
		{"head has no body", "HEAD", func(w http.ResponseWriter, r *http.Request) {
			w.Write([]byte("twelve bytes"))
		}, func(t *testing.T, r *http.Response) {
			if r.ContentLength != 12 {
				t.Fatalf("HEAD length %d", r.ContentLength)
			}
		}},
		{"line breaks in values neutralised", "GET", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("X-Evil", "a\r\nSet-Cookie: x=1")
		}, func(t *testing.T, r *http.Response) {
			if r.Header.Get("Set-Cookie") != "" || r.Header.Get("X-Evil") != "a  Set-Cookie: x=1" {
				t.Fatalf("header %v", r.Header)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, addr := start(t, tt.handler)
			// Two requests on one connection: the framing must leave the
			// second response readable.
			raw := tt.method + " / HTTP/1.1\r\nHost: h\r\n\r\n" + tt.method + " / HTTP/1.1\r\nHost: h\r\n\r\n"
			for _, r := range exchange(t, addr, raw, 2, tt.method, tt.method) {
				tt.check(t, r)
			}
		})
	}
}

func TestBadRequests(t *testing.T) {
	var called atomic.Int32
	_, addr := start(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { called.Add(1) }))
	tests := []struct {
		name, raw string
		status    int
	}{
		{"garbage", "NOT HTTP\r\n\r\n", 400},
		{"no host in 1.1", "GET / HTTP/1.1\r\n\r\n", 400},
		{"bad host", "GET / HTTP/1.1\r\nHost: a b\r\n\r\n", 400},
		{"bad header name", "GET / HTTP/1.1\r\nHost: a\r\nBad Name: x\r\n\r\n", 400},
		{"header too large", "GET / HTTP/1.1\r\nHost: a\r\nX-Big: " + strings.Repeat("b", 20<<10) + "\r\n\r\n", 431},
		{"HTTP/2 line", "GET / HTTP/2.0\r\nHost: a\r\n\r\n", 505},
		{"two lengths", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd", 400},
		{"unknown expectation", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nExpect: magic\r\n\r\nx", 417},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := exchange(t, addr, tt.raw, 1)[0]
			if r.StatusCode != tt.status || !r.Close {
				t.Fatalf("got %d (close %v), want %d and close", r.StatusCode, r.Close, tt.status)
			}
		})
	}
	if n := called.Load(); n != 0 {
		t.Fatalf("the handler ran %d times for refused requests", n)
	}
}

func TestExpectContinue(t *testing.T) {
	_, addr := start(t, echo())
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(5 * time.Second))
	io.WriteString(c, "POST /e HTTP/1.1\r\nHost: h\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n")
	br := bufio.NewReader(c)
	line, err := br.ReadString('\n')
	if err != nil || line != "HTTP/1.1 100 Continue\r\n" {
		t.Fatalf("first line %q, %v", line, err)
	}
	br.ReadString('\n')
	io.WriteString(c, "body")
	resp, err := http.ReadResponse(br, nil)
	if err != nil || bodyOf(resp) != "POST /e body" {
		t.Fatalf("%v %v", resp, err)
	}
}

func TestConnectionClose(t *testing.T) {
	_, addr := start(t, echo())
	tests := []struct{ name, raw string }{
		{"asked by the client", "GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n"},
		{"HTTP/1.0 without keep-alive", "GET / HTTP/1.0\r\n\r\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := net.Dial("tcp", addr)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			c.SetDeadline(time.Now().Add(5 * time.Second))
			io.WriteString(c, tt.raw)
			all, err := io.ReadAll(c) // ends only if the server closes
			if err != nil || !strings.Contains(string(all), "Connection: close") || !strings.HasSuffix(string(all), "GET / ") {
				t.Fatalf("%q %v", all, err)
			}
		})
	}
	r := exchange(t, addr, "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", 2)
	if r[1].Header.Get("Connection") != "keep-alive" {
		t.Fatalf("HTTP/1.0 keep-alive: %v", r[1].Header)
	}
}

func TestUnreadBodyIsDrained(t *testing.T) {
	_, addr := start(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok") }))
	raw := "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 6\r\n\r\nignore" + "GET / HTTP/1.1\r\nHost: h\r\n\r\n"
	for _, r := range exchange(t, addr, raw, 2) {
		if r.StatusCode != 200 || bodyOf(r) != "ok" {
			t.Fatalf("%d", r.StatusCode)
		}
	}
}

func TestPanics(t *testing.T) {
	_, addr := start(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/abort":
			w.Write([]byte("partial"))
			w.(http.Flusher).Flush()
			panic(http.ErrAbortHandler)
		default:
			panic("boom")
		}
	}), func(s *Server) { s.Log = discardLog() })
	if r := exchange(t, addr, "GET /boom HTTP/1.1\r\nHost: h\r\n\r\n", 1)[0]; r.StatusCode != 500 || !r.Close {
		t.Fatalf("panic before the header: %d", r.StatusCode)
	}
	c, _ := net.Dial("tcp", addr)
	defer c.Close()
	c.SetDeadline(time.Now().Add(5 * time.Second))
	io.WriteString(c, "GET /abort HTTP/1.1\r\nHost: h\r\n\r\n")
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.ReadAll(resp.Body); err == nil {
		t.Fatal("an aborted chunked body must end in an error, not look complete")
	}
}

func TestShutdownWaitsForRequestsInFlight(t *testing.T) {
	release := make(chan struct{})
	entered := make(chan struct{})
	s, addr := start(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(entered)
		<-release
		io.WriteString(w, "done")
	}))
	idle, err := net.Dial("tcp", addr) // an idle keep-alive connection
	if err != nil {
		t.Fatal(err)
	}
	defer idle.Close()
	got := make(chan string, 1)
	go func() {
		resp, err := http.Get("http://" + addr + "/")
		if err != nil {
			got <- err.Error()
			return
		}
		got <- fmt.Sprint(bodyOf(resp), " close=", resp.Close)
	}()
	<-entered
	shut := make(chan error, 1)
	go func() { shut <- s.Shutdown(context.Background()) }()
	time.Sleep(50 * time.Millisecond)
	select {
	case err := <-shut:
		t.Fatalf("Shutdown returned %v with a request in flight", err)
	default:
	}
	idle.SetReadDeadline(time.Now().Add(2 * time.Second))
	if _, err := idle.Read(make([]byte, 1)); err == nil {
		t.Fatal("the idle connection was not closed")
	}
	close(release)
	if g := <-got; g != "done close=true" {
		t.Fatalf("in-flight request got %q", g)
	}
	if err := <-shut; err != nil {
		t.Fatal(err)
	}
}

func TestIdleTimeoutClosesConnection(t *testing.T) {
	_, addr := start(t, echo(), func(s *Server) { s.IdleTimeout = 100 * time.Millisecond })
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetReadDeadline(time.Now().Add(3 * time.Second))
	if _, err := c.Read(make([]byte, 1)); err != io.EOF {
		t.Fatalf("read on an idle connection: %v, want EOF", err)
	}
}

func TestStreamingFlush(t *testing.T) {
	step := make(chan struct{})
	_, addr := start(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "first")
		w.(http.Flusher).Flush()
		<-step
		io.WriteString(w, "second")
	}))
	c, _ := net.Dial("tcp", addr)
	defer c.Close()
	c.SetDeadline(time.Now().Add(5 * time.Second))
	io.WriteString(c, "GET / HTTP/1.1\r\nHost: h\r\n\r\n")
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 5)
	if _, err := io.ReadFull(resp.Body, buf); err != nil || string(buf) != "first" {
		t.Fatalf("flushed part: %q %v", buf, err)
	}
	close(step)
	if rest, _ := io.ReadAll(resp.Body); string(rest) != "second" {
		t.Fatalf("rest %q", rest)
	}
}

// A body refused before it was read (413 from a size limit) must not cost
// the client its answer: closing with unread data would reset the
// connection under a client still sending.
func TestRefusedBodyAnswerReachesSender(t *testing.T) {
	_, addr := start(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "too large", http.StatusRequestEntityTooLarge)
	}))
	cl := &http.Client{Timeout: 5 * time.Second} // keeps connections: the next request must not meet a closed one
	for i := 0; i < 5; i++ {
		req, _ := http.NewRequest("PUT", "http://"+addr+"/", strings.NewReader(strings.Repeat("x", 4<<20)))
		resp, err := cl.Do(req)
		if err != nil {
			t.Fatalf("attempt %d: %v", i+1, err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusRequestEntityTooLarge || !resp.Close {
			t.Fatalf("attempt %d: %d (close %v)", i+1, resp.StatusCode, resp.Close)
		}
		if resp, err := cl.Get("http://" + addr + "/"); err != nil {
			t.Fatalf("attempt %d, the request after: %v", i+1, err)
		} else {
			resp.Body.Close()
		}
	}
}
