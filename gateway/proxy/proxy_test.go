package proxy

import (
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/hostplane/hostplane/libs/errs"
)

type picker []string

func (p picker) Next() (string, error) {
	if len(p) == 0 {
		return "", errs.New(errs.Unavailable, "no instance")
	}
	return p[0], nil
}

func (p picker) NextExcept(tried string) (string, error) {
	for _, a := range p {
		if a != tried {
			return a, nil
		}
	}
	return "", errs.New(errs.Unavailable, "no other instance")
}

func TestForwardHeaders(t *testing.T) {
	var got http.Header
	var gotQuery string
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got, gotQuery = r.Header.Clone(), r.URL.RawQuery
		w.Header()["X-WP-Total"] = []string{"3"}
		w.Header().Set("Connection", "close-me")
		w.Header().Set("Keep-Alive", "timeout=5")
		w.WriteHeader(201)
		_, _ = io.WriteString(w, "body")
	}))
	defer up.Close()
	f := New(Options{})
	in := httptest.NewRequest("GET", "/x?api_key=k&api_secret=s&page=2", nil)
	in.Header.Set("Authorization", "Basic abc")
	in.Header.Set("Connection", "keep-alive")
	in.Header.Set("Te", "trailers")
	in.Header.Set("Accept", "application/json")
	rec := httptest.NewRecorder()
	err := f.Forward(rec, Request{In: in, Service: "billing", Picker: picker{strings.TrimPrefix(up.URL, "http://")}, RawQuery: "page=2",
		Extra: []Header{{Key: "X-Signed", Value: "yes"}}})
	if err != nil {
		t.Fatal(err)
	}
	if got.Get("Authorization") != "" || got.Get("Te") != "" || got.Get("Accept") != "application/json" || got.Get("X-Signed") != "yes" {
		t.Fatalf("upstream saw %v", got)
	}
	if gotQuery != "page=2" {
		t.Fatalf("query %q", gotQuery)
	}
	if rec.Code != 201 || rec.Body.String() != "body" || rec.Header()["X-WP-Total"] == nil || rec.Header().Get("Keep-Alive") != "" {
		t.Fatalf("answer %d %v %q", rec.Code, rec.Header(), rec.Body.String())
	}
}

func TestForwardFailures(t *testing.T) {
	f := New(Options{Timeout: 100 * time.Millisecond})
	in := httptest.NewRequest("GET", "/x", nil)
	if err := f.Forward(httptest.NewRecorder(), Request{In: in, Service: "billing", Picker: picker{}}); !errors.Is(err, errs.Unavailable) {
		t.Fatalf("no instance: %v", err)
	}
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	dead := ln.Addr().String()
	ln.Close()
	if err := f.Forward(httptest.NewRecorder(), Request{In: in, Service: "billing", Picker: picker{dead}}); !errors.Is(err, errs.Unavailable) {
		t.Fatalf("refused: %v", err)
	}
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { time.Sleep(time.Second) }))
	defer slow.Close()
	if err := f.Forward(httptest.NewRecorder(), Request{In: in, Service: "billing", Picker: picker{strings.TrimPrefix(slow.URL, "http://")}}); !errors.Is(err, errs.Timeout) {
		t.Fatalf("slow: %v", err)
	}
}

func TestRetryOnlyIdempotent(t *testing.T) {
	tests := []struct {
		method string
		body   string
		want   bool
	}{
		{"GET", "", true}, {"HEAD", "", true}, {"DELETE", "", true}, {"PUT", "", true},
		{"POST", "", false}, {"PATCH", "", false}, {"PUT", "x", false},
	}
	for _, tt := range tests {
		var r *http.Request
		if tt.body != "" {
			r = httptest.NewRequest(tt.method, "/x", strings.NewReader(tt.body))
			r.GetBody = nil
		} else {
			r = httptest.NewRequest(tt.method, "/x", nil)
		}
		if got := retryable(r, errors.New("connection reset")); got != tt.want {
			t.Errorf("%s body=%q: retryable=%v", tt.method, tt.body, got)
		}
	}
}
