package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"
)

// target is one URL to load, with its request prebuilt.
type target struct {
	addr string // host:port, always on 127.0.0.0/8
	req  []byte
}

// newTarget builds the GET request for raw (an http:// URL on the loopback
// network) with the extra headers.
func newTarget(raw string, headers http.Header) (*target, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, err
	}
	if u.Scheme != "http" {
		return nil, fmt.Errorf("%s: only http:// targets", raw)
	}
	host, port := u.Hostname(), u.Port()
	if port == "" {
		port = "80"
	}
	ip := net.ParseIP(host)
	if host == "localhost" {
		ip = net.IPv4(127, 0, 0, 1)
	}
	if ip == nil || ip.To4() == nil || ip.To4()[0] != 127 {
		return nil, fmt.Errorf("%s: load is only sent to 127.0.0.0/8", raw)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "GET %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: hostplane-bench-load\r\n", u.RequestURI(), u.Host)
	names := make([]string, 0, len(headers))
	for k := range headers {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		for _, v := range headers[k] {
			fmt.Fprintf(&b, "%s: %s\r\n", k, v)
		}
	}
	b.WriteString("\r\n")
	return &target{addr: net.JoinHostPort(ip.String(), port), req: []byte(b.String())}, nil
}

// conn is one keep-alive HTTP/1.1 connection to a target. It sends the same
// prebuilt request again and again and discards the bodies: the cheapest
// client possible, so that the generator leaves the CPU to the servers.
type conn struct {
	t   *target
	c   net.Conn
	br  *bufio.Reader
	buf []byte
}

func newConn(t *target) *conn {
	return &conn{t: t, buf: make([]byte, 16<<10)}
}

func (k *conn) dial(deadline time.Time) error {
	c, err := net.DialTimeout("tcp", k.t.addr, time.Until(deadline))
	if err != nil {
		return err
	}
	k.c = c
	if k.br == nil {
		k.br = bufio.NewReaderSize(c, 16<<10)
	} else {
		k.br.Reset(c)
	}
	return nil
}

func (k *conn) close() {
	if k.c != nil {
		_ = k.c.Close()
		k.c = nil
	}
}

// do sends one request and reads the whole answer before deadline.
func (k *conn) do(deadline time.Time) (int, error) {
	if k.c == nil {
		if err := k.dial(deadline); err != nil {
			return 0, err
		}
	}
	_ = k.c.SetDeadline(deadline)
	if _, err := k.c.Write(k.t.req); err != nil {
		k.close()
		return 0, err
	}
	resp, err := http.ReadResponse(k.br, nil)
	if err != nil {
		k.close()
		return 0, err
	}
	_, err = io.CopyBuffer(io.Discard, struct{ io.Reader }{resp.Body}, k.buf)
	resp.Body.Close()
	if err != nil {
		k.close()
		return 0, err
	}
	if resp.Close {
		k.close()
	}
	return resp.StatusCode, nil
}

// isTimeout reports a deadline error.
func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}
