package sb

import (
	"encoding/json"
	"net/http/httptest"
	"testing"

	"github.com/hostplane/hostplane/libs/principal"
)

type site struct {
	Code string `json:"code_site"`
}

func TestWriteData(t *testing.T) {
	tests := []struct {
		name     string
		status   int
		v        any
		header   string
		rr       int
		wantBody string
	}{
		{"plain", 200, site{"abc"}, "", 0,
			`{"meta":{"success":true,"status_code":200,"rate_remaining":0},"error":null,"data":{"code_site":"abc"}}`},
		{"job", 202, map[string]int{"job_id": 7}, "", 41,
			`{"meta":{"success":true,"status_code":202,"rate_remaining":41},"error":null,"data":{"job_id":7}}`},
		{"header wins over principal", 200, nil, "12", 41,
			`{"meta":{"success":true,"status_code":200,"rate_remaining":12},"error":null,"data":null}`},
		{"bad header falls back", 200, nil, "x", 5,
			`{"meta":{"success":true,"status_code":200,"rate_remaining":5},"error":null,"data":null}`},
		{"status 400 is no success", 400, nil, "", 0,
			`{"meta":{"success":false,"status_code":400,"rate_remaining":0},"error":null,"data":null}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/v1/sites/abc.json", nil)
			if tt.rr != 0 {
				r = r.WithContext(principal.With(r.Context(), &principal.Principal{KeyID: 1, RateRemaining: tt.rr}))
			}
			rec := httptest.NewRecorder()
			if tt.header != "" {
				rec.Header().Set("X-RateLimit-Remaining", tt.header)
			}
			WriteData(rec, r, tt.status, tt.v)
			if rec.Code != tt.status || rec.Body.String() != tt.wantBody {
				t.Errorf("got %d %s\nwant %d %s", rec.Code, rec.Body, tt.status, tt.wantBody)
			}
			if ct := rec.Header().Get("Content-Type"); ct != "application/json; charset=UTF-8" {
				t.Errorf("Content-Type %q", ct)
			}
		})
	}
}

func TestWriteList(t *testing.T) {
	tests := []struct {
		name     string
		target   string
		items    any
		total    int
		p        Page
		wantMeta string
		wantData string
	}{
		{"middle page", "/v1/sites.json?term=a+b&limit=2&page=1&type=open", []site{{"c"}, {"d"}}, 5, Page{Page: 1, Limit: 2},
			`{"success":true,"status_code":200,"rate_remaining":0,"items_count":5,"items_per_page":2,"current_page":1,` +
				`"link":{"first_page":"/v1/sites.json?term=a+b&type=open&limit=2&page=0","previous_page":"/v1/sites.json?term=a+b&type=open&limit=2&page=0",` +
				`"next_page":"/v1/sites.json?term=a+b&type=open&limit=2&page=2","last_page":"/v1/sites.json?term=a+b&type=open&limit=2&page=2"}}`,
			`[{"code_site":"c"},{"code_site":"d"}]`},
		{"first page", "/v1/sites.json", []site{{"a"}}, 21, Page{Page: 0, Limit: 20},
			`{"success":true,"status_code":200,"rate_remaining":0,"items_count":21,"items_per_page":20,"current_page":0,` +
				`"link":{"first_page":"/v1/sites.json?limit=20&page=0","previous_page":false,"next_page":"/v1/sites.json?limit=20&page=1","last_page":"/v1/sites.json?limit=20&page=1"}}`,
			`[{"code_site":"a"}]`},
		{"empty", "/v1/sites.json?page=0", []site(nil), 0, Page{Limit: 20},
			`{"success":true,"status_code":200,"rate_remaining":0,"items_count":0,"items_per_page":20,"current_page":0,` +
				`"link":{"first_page":"/v1/sites.json?limit=20&page=0","previous_page":false,"next_page":false,"last_page":"/v1/sites.json?limit=20&page=0"}}`,
			`[]`},
		{"past the end", "/v1/plans.json?page=9", nil, 3, Page{Page: 9},
			`{"success":true,"status_code":200,"rate_remaining":0,"items_count":3,"items_per_page":20,"current_page":9,` +
				`"link":{"first_page":"/v1/plans.json?limit=20&page=0","previous_page":"/v1/plans.json?limit=20&page=0","next_page":false,"last_page":"/v1/plans.json?limit=20&page=0"}}`,
			`[]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			WriteList(rec, httptest.NewRequest("GET", tt.target, nil), tt.items, tt.total, tt.p)
			var env struct {
				Meta  json.RawMessage `json:"meta"`
				Error json.RawMessage `json:"error"`
				Data  json.RawMessage `json:"data"`
			}
			if err := json.Unmarshal(rec.Body.Bytes(), &env); err != nil {
				t.Fatal(err)
			}
			if string(env.Meta) != tt.wantMeta {
				t.Errorf("meta\n got %s\nwant %s", env.Meta, tt.wantMeta)
			}
			if string(env.Data) != tt.wantData || string(env.Error) != "null" {
				t.Errorf("data %s error %s", env.Data, env.Error)
			}
		})
	}
}

func TestLinkJSON(t *testing.T) {
	var l Links
	in := `{"first_page":"/v1/a.json?limit=20&page=0","previous_page":false,"next_page":null,"last_page":"/x"}`
	if err := json.Unmarshal([]byte(in), &l); err != nil {
		t.Fatal(err)
	}
	if l.FirstPage != "/v1/a.json?limit=20&page=0" || l.PreviousPage != "" || l.NextPage != "" || l.LastPage != "/x" {
		t.Errorf("decoded %+v", l)
	}
	if err := json.Unmarshal([]byte(`{"first_page":1}`), &l); err == nil {
		t.Error("a number decoded as a link")
	}
}
