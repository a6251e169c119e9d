package cx

import (
	"encoding/xml"
	"net/http/httptest"
	"testing"
)

func TestWriteItem(t *testing.T) {
	tests := []struct {
		name, accept, wantCT, wantBody string
	}{
		{"json", "", "application/json; charset=UTF-8", `{"data":{"id":1,"name":"a"}}`},
		{"xml", "text/xml", "application/xml; charset=UTF-8", xml.Header + `<response><data><id>1</id><name>a</name></data></response>`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/api/application/products/1", nil)
			if tt.accept != "" {
				r.Header.Set("Accept", tt.accept)
			}
			rec := httptest.NewRecorder()
			WriteItem(rec, r, 201, product{1, "a"})
			if rec.Code != 201 || rec.Header().Get("Content-Type") != tt.wantCT || rec.Body.String() != tt.wantBody {
				t.Errorf("got %d %q %s", rec.Code, rec.Header().Get("Content-Type"), rec.Body)
			}
		})
	}
}

func TestWriteJSONAsIs(t *testing.T) {
	rec := httptest.NewRecorder()
	WriteJSON(rec, nil, 200, map[string]string{"status": "ok"})
	if rec.Body.String() != `{"status":"ok"}` {
		t.Errorf("body %s", rec.Body)
	}
}

func TestWriteJSONUnencodableXML(t *testing.T) {
	r := httptest.NewRequest("GET", "/", nil)
	r.Header.Set("Accept", "application/xml")
	rec := httptest.NewRecorder()
	WriteJSON(rec, r, 200, func() {})
	if rec.Code != 500 || rec.Body.String() != xml.Header+`<response><message>Server Error</message></response>` {
		t.Errorf("got %d %s", rec.Code, rec.Body)
	}
}
