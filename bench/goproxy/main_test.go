package main

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/hostplane/hostplane/libs/principal"
)

// The proxy forwards to its upstream with a principal the service accepts.
func TestProxySigns(t *testing.T) {
	signer := principal.NewSigner("bench-secret-0123456789")
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, err := signer.Verify(r)
		if err != nil {
			http.Error(w, err.Error(), http.StatusUnauthorized)
			return
		}
		_, _ = io.WriteString(w, r.URL.Path+" "+p.KeyName)
	}))
	defer up.Close()
	p, err := newProxy(strings.TrimPrefix(up.URL, "http://"), signer)
	if err != nil {
		t.Fatal(err)
	}
	front := httptest.NewServer(p)
	defer front.Close()
	resp, err := http.Get(front.URL + "/wp-json/wu/v2/customers/1")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || string(body) != "/wp-json/wu/v2/customers/1 bench" {
		t.Fatalf("%d %s", resp.StatusCode, body)
	}
}
