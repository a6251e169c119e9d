package cx

import (
	"net/http/httptest"
	"testing"
)

func TestWantsXML(t *testing.T) {
	tests := []struct {
		accept string
		want   bool
	}{
		{"", false},
		{"*/*", false},
		{"application/json", false},
		{"application/xml", true},
		{"text/xml", true},
		{"TEXT/XML", true},
		{"text/html", false},
		{"application/xml, application/json", true}, // a tie goes to the first listed
		{"application/json, application/xml", false},
		{"application/xml;q=0.9, application/json;q=0.8", true},
		{"application/json;q=0.5, text/xml", true},
		{"application/xml;q=0.5, application/json", false},
		{"application/xml, */*", true},
		{"application/xml, */*;q=0.1", true},
		{"application/json, */*", false},
		{"application/*", false},
		{"text/*", true},
		{"text/*, application/json;q=0.9", true},
		{"application/xml;q=0", false},
		{"application/xml;q=bogus", false},
		{"application/xml;level=1;q=1", true},
		{"application/json;q=0, */*", true},
		{"nonsense, ,;;", false},
	}
	for _, tt := range tests {
		r := httptest.NewRequest("GET", "/api/application/products", nil)
		if tt.accept != "" {
			r.Header.Set("Accept", tt.accept)
		}
		if got := WantsXML(r); got != tt.want {
			t.Errorf("WantsXML(Accept: %q) = %v, want %v", tt.accept, got, tt.want)
		}
	}
	if WantsXML(nil) {
		t.Error("WantsXML(nil) = true")
	}
}

func FuzzWantsXML(f *testing.F) {
	for _, s := range []string{"", "*/*", "application/xml;q=0.9, application/json;q=0.8", "text/*;q=x", ";,/"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, accept string) {
		r := httptest.NewRequest("GET", "/", nil)
		r.Header["Accept"] = []string{accept}
		WantsXML(r)
	})
}
