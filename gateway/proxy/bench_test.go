package proxy

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// BenchmarkForward compares the gateway's own HTTP/1.1 client with
// net/http's Transport on the same upstream.
func BenchmarkForward(b *testing.B) {
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"id":1,"model":"customer","vip":false}`)
	}))
	defer up.Close()
	addr := strings.TrimPrefix(up.URL, "http://")
	for _, std := range []bool{false, true} {
		name := "h1"
		if std {
			name = "std"
		}
		b.Run(name, func(b *testing.B) {
			f := New(Options{StdTransport: std})
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					in := httptest.NewRequest("GET", "/wp-json/wu/v2/customers/1", nil)
					rec := httptest.NewRecorder()
					if err := f.Forward(rec, Request{In: in, Service: "billing", Picker: picker{addr}}); err != nil || rec.Code != 200 {
						b.Fatalf("%v %d", err, rec.Code)
					}
				}
			})
		})
	}
}
