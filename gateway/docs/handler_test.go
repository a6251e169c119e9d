package docs

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
)

func newHandler(t testing.TB) http.Handler {
	t.Helper()
	h, err := New(defaultTable(t), Options{Title: "Hostplane <API>", Version: "1.2.3"})
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func do(h http.Handler, method, target string, header ...string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, target, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func TestHandlerServes(t *testing.T) {
	h := newHandler(t)
	tests := []struct {
		path, contentType, contains string
	}{
		{"/api/documentation", "text/html; charset=utf-8", `<div id="swagger-ui"></div>`},
		{"/api/documentation/", "text/html; charset=utf-8", `<script src="/api/documentation/assets/init.js"></script>`},
		{"/api/documentation/openapi.json", "application/json", `"openapi": "3.0.3"`},
		{"/api/documentation/assets/swagger-ui.css", "text/css; charset=utf-8", ".swagger-ui"},
		{"/api/documentation/assets/swagger-ui-bundle.js", "text/javascript; charset=utf-8", "SwaggerUIBundle"},
		{"/api/documentation/assets/init.js", "text/javascript; charset=utf-8", `url: "/api/documentation/openapi.json"`},
		{"/api/documentation/assets/favicon-32x32.png", "image/png", "\x89PNG"},
		{"/api/documentation/assets/favicon-16x16.png", "image/png", "\x89PNG"},
		{"/api/documentation/assets/LICENSE", "text/plain; charset=utf-8", "Apache License"},
		{"/api/documentation/assets/NOTICE", "text/plain; charset=utf-8", "swagger-ui"},
	}
	for _, tt := range tests {
		rec := do(h, http.MethodGet, tt.path)
		if rec.Code != http.StatusOK {
			t.Errorf("GET %s: %d", tt.path, rec.Code)
			continue
		}
		if ct := rec.Header().Get("Content-Type"); ct != tt.contentType {
			t.Errorf("GET %s: Content-Type %q, want %q", tt.path, ct, tt.contentType)
		}
		if !strings.Contains(rec.Body.String(), tt.contains) {
			t.Errorf("GET %s: body lacks %q", tt.path, tt.contains)
		}
		if csp := rec.Header().Get("Content-Security-Policy"); !strings.HasPrefix(csp, "default-src 'self'") {
			t.Errorf("GET %s: Content-Security-Policy %q", tt.path, csp)
		}
		if rec.Header().Get("ETag") == "" || rec.Header().Get("Cache-Control") == "" {
			t.Errorf("GET %s: no ETag or Cache-Control", tt.path)
		}
		if rec.Header().Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("GET %s: no nosniff", tt.path)
		}
	}
}

func TestPageLoadsNothingFromElsewhere(t *testing.T) {
	body := do(newHandler(t), http.MethodGet, "/api/documentation").Body.String()
	for _, bad := range []string{"http://", "https://", "//cdn", "<script>", "<style", "style=", "onload="} {
		if strings.Contains(body, bad) {
			t.Errorf("page contains %q", bad)
		}
	}
	for _, want := range []string{
		`<title>Hostplane &lt;API&gt;</title>`,
		`href="/api/documentation/assets/swagger-ui.css"`,
		`src="/api/documentation/assets/swagger-ui-bundle.js"`,
		`src="/api/documentation/assets/init.js"`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %s", want)
		}
	}
	init := do(newHandler(t), http.MethodGet, "/api/documentation/assets/init.js").Body.String()
	for _, want := range []string{"SwaggerUIBundle(", `dom_id: "#swagger-ui"`, "deepLinking: true", "validatorUrl: null"} {
		if !strings.Contains(init, want) {
			t.Errorf("init.js lacks %s", want)
		}
	}
}

func TestSpecUsesOptionsAndMatchesDocument(t *testing.T) {
	rec := do(newHandler(t), http.MethodGet, "/api/documentation/openapi.json")
	var doc struct {
		Info struct{ Title, Version string }
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Info.Title != "Hostplane <API>" || doc.Info.Version != "1.2.3" {
		t.Errorf("info = %+v", doc.Info)
	}
}

func TestMethodsOtherThanGetAndHeadAre405(t *testing.T) {
	h := newHandler(t)
	for _, m := range []string{http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete, http.MethodOptions} {
		for _, path := range []string{"/api/documentation", "/api/documentation/openapi.json", "/api/documentation/assets/init.js"} {
			rec := do(h, m, path)
			if rec.Code != http.StatusMethodNotAllowed || rec.Header().Get("Allow") != "GET, HEAD" {
				t.Errorf("%s %s: %d Allow=%q", m, path, rec.Code, rec.Header().Get("Allow"))
			}
		}
	}
}

func TestHeadHasHeadersAndNoBody(t *testing.T) {
	h := newHandler(t)
	get := do(h, http.MethodGet, "/api/documentation/openapi.json")
	head := do(h, http.MethodHead, "/api/documentation/openapi.json")
	if head.Code != http.StatusOK || head.Body.Len() != 0 {
		t.Fatalf("HEAD: %d, %d bytes", head.Code, head.Body.Len())
	}
	for _, k := range []string{"Content-Type", "Content-Length", "ETag"} {
		if head.Header().Get(k) != get.Header().Get(k) {
			t.Errorf("HEAD %s %q, GET %q", k, head.Header().Get(k), get.Header().Get(k))
		}
	}
}

func TestUnknownPathsAre404(t *testing.T) {
	h := newHandler(t)
	for _, path := range []string{
		"/api/documentation/assets/nope.js",
		"/api/documentation/assets/",
		"/api/documentation/assets",
		"/api/documentation/assets/../openapi.json",
		"/api/documentation/assets/sub/init.js",
		"/api/documentation/openapi.yaml",
		"/api/documentation/index.html",
		"/api/documentationx",
		"/",
	} {
		if rec := do(h, http.MethodGet, path); rec.Code != http.StatusNotFound {
			t.Errorf("GET %s: %d", path, rec.Code)
		}
	}
	if rec := do(h, http.MethodPost, "/api/documentation/assets/nope.js"); rec.Code != http.StatusNotFound {
		t.Errorf("POST unknown asset: %d", rec.Code)
	}
}

func TestConditionalGetAnswers304(t *testing.T) {
	h := newHandler(t)
	for _, path := range []string{"/api/documentation", "/api/documentation/openapi.json", "/api/documentation/assets/swagger-ui-bundle.js"} {
		etag := do(h, http.MethodGet, path).Header().Get("ETag")
		if rec := do(h, http.MethodGet, path, "If-None-Match", etag); rec.Code != http.StatusNotModified {
			t.Errorf("%s: If-None-Match %s gave %d", path, etag, rec.Code)
		}
	}
}

func TestGzipWhenAccepted(t *testing.T) {
	h := newHandler(t)
	want, err := os.ReadFile("swaggerui/swagger-ui-bundle.js")
	if err != nil {
		t.Fatal(err)
	}
	rec := do(h, http.MethodGet, "/api/documentation/assets/swagger-ui-bundle.js", "Accept-Encoding", "br, gzip")
	if rec.Header().Get("Content-Encoding") != "gzip" || rec.Header().Get("Vary") != "Accept-Encoding" {
		t.Fatalf("Content-Encoding %q Vary %q", rec.Header().Get("Content-Encoding"), rec.Header().Get("Vary"))
	}
	zr, err := gzip.NewReader(rec.Body)
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(zr)
	if err != nil || !bytes.Equal(got, want) {
		t.Fatalf("gzip body differs from the file (err %v)", err)
	}
	plain := do(h, http.MethodGet, "/api/documentation/assets/swagger-ui-bundle.js", "Accept-Encoding", "gzip;q=0")
	if plain.Header().Get("Content-Encoding") != "" || !bytes.Equal(plain.Body.Bytes(), want) {
		t.Error("gzip;q=0 still got gzip")
	}
	if plain.Header().Get("ETag") == rec.Header().Get("ETag") {
		t.Error("gzip and identity share an ETag")
	}
}
