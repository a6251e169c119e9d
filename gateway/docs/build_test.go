package docs

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/hostplane/hostplane/gateway/routes"
)

// TestDocumentIsValidOpenAPI checks the document against the OpenAPI 3.0
// rules with an independent implementation.
func TestDocumentIsValidOpenAPI(t *testing.T) {
	b, err := Document(defaultTable(t), goldenOptions)
	if err != nil {
		t.Fatal(err)
	}
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(b)
	if err != nil {
		t.Fatal(err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatal(err)
	}
	if doc.OpenAPI != "3.0.3" {
		t.Errorf("openapi = %q", doc.OpenAPI)
	}
}

func table(t *testing.T, rs ...routes.Route) *routes.Table {
	t.Helper()
	tbl, err := routes.New(rs)
	if err != nil {
		t.Fatal(err)
	}
	return tbl
}

func decode(t *testing.T, tbl *routes.Table) *openapi3.T {
	t.Helper()
	b, err := Document(tbl, Options{})
	if err != nil {
		t.Fatal(err)
	}
	doc, err := openapi3.NewLoader().LoadFromData(b)
	if err != nil {
		t.Fatal(err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return doc
}

func TestPatternsWithTextAroundParameters(t *testing.T) {
	doc := decode(t, table(t,
		routes.Route{Method: "GET", Pattern: "/v1/sites.json", Service: routes.Sites, Scope: "sites:index", Tag: "sb: sites", Summary: "List sites"},
		routes.Route{Method: "GET", Pattern: "/v1/sites/{code}.json", Service: routes.Sites, Scope: "sites:index", Tag: "sb: sites", Summary: "Get a site"},
		routes.Route{Method: "GET", Pattern: "/v1/sites/{code}/jobs/{job_id}.json", Service: routes.Sites, Scope: "jobs:index", Tag: "sb: jobs", Summary: "Follow a job"},
		routes.Route{Method: "POST", Pattern: "/wp-json/wu/v2/tenants/{site_id}/bootstrap", Service: routes.Tenancy, Scope: "tenants:create", Tag: "wu: tenants", Summary: "Bootstrap"},
	))
	types := func(path string) map[string]string {
		out := map[string]string{}
		item := doc.Paths.Find(path)
		if item == nil {
			t.Fatalf("%s missing", path)
		}
		for _, op := range item.Operations() {
			for _, p := range op.Parameters {
				out[p.Value.In+":"+p.Value.Name] = p.Value.Schema.Value.Type.Slice()[0]
			}
		}
		return out
	}
	for path, want := range map[string]string{
		"/v1/sites.json":                             "map[query:limit:integer query:page:integer]",
		"/v1/sites/{code}.json":                      "map[path:code:string]",
		"/v1/sites/{code}/jobs/{job_id}.json":        "map[path:code:string path:job_id:integer]",
		"/wp-json/wu/v2/tenants/{site_id}/bootstrap": "map[path:site_id:integer]",
	} {
		if got := fmtMap(types(path)); got != want {
			t.Errorf("%s: %s, want %s", path, got, want)
		}
	}
}

func fmtMap(m map[string]string) string {
	b, _ := json.Marshal(m) // sorted keys
	s := strings.NewReplacer(`{`, `map[`, `}`, `]`, `"`, ``, `,`, ` `).Replace(string(b))
	return s
}

func TestPublicRouteNeedsNoCredential(t *testing.T) {
	doc := decode(t, table(t,
		routes.Route{Method: "GET", Pattern: "/v1/catalog.json", Service: routes.Billing, Access: routes.Public, Tag: "sb: plans", Summary: "Public catalog"},
		routes.Route{Method: "GET", Pattern: "/v1/rate.json", Service: routes.Gateway, Access: routes.Authenticated, Tag: "sb: account", Summary: "Rate"},
	))
	pub := doc.Paths.Find("/v1/catalog.json").Get
	if pub.Security == nil || len(*pub.Security) != 0 {
		t.Errorf("public: security = %v, want []", pub.Security)
	}
	if pub.Responses.Value("401") != nil || pub.Responses.Value("403") != nil {
		t.Error("public route documents 401/403")
	}
	if auth := doc.Paths.Find("/v1/rate.json").Get; auth.Security != nil {
		t.Errorf("authenticated: security overridden: %v", auth.Security)
	}
	if n := len(doc.Security); n != 4 {
		t.Errorf("%d security requirements, want 4", n)
	}
}

func TestCollectionsGetListParametersAndShapes(t *testing.T) {
	doc := decode(t, table(t, routes.Default()...))
	wu := doc.Paths.Find("/wp-json/wu/v2/customers").Get
	if wu.Parameters.GetByInAndName("query", "per_page") == nil {
		t.Error("wu list without per_page")
	}
	ok := wu.Responses.Value("200").Value
	if ok.Headers["X-WP-Total"] == nil || !ok.Content.Get("application/json").Schema.Value.Type.Is("array") {
		t.Error("wu list is not a bare array with X-WP-Total")
	}
	if one := doc.Paths.Find("/wp-json/wu/v2/customers/{id}").Get; one.Parameters.GetByInAndName("query", "per_page") != nil {
		t.Error("an item has list parameters")
	}
	del := doc.Paths.Find("/wp-json/wu/v2/customers/{id}").Delete.Responses.Value("200").Value
	if del.Content.Get("application/json").Schema.Ref != "#/components/schemas/WuDeleted" {
		t.Error("wu DELETE does not answer WuDeleted")
	}
	cx := doc.Paths.Find("/api/application/keys")
	if cx.Get.Responses.Value("200").Value.Content.Get("application/json").Schema.Ref != "#/components/schemas/CxPaginator" {
		t.Error("cx list is not a paginator")
	}
	if cx.Post.Responses.Value("201") == nil || cx.Post.Responses.Value("422") == nil {
		t.Error("cx create: want 201 and 422")
	}
}

func TestUndocumentableRoutesFail(t *testing.T) {
	for name, r := range map[string]routes.Route{
		"unknown body": {Method: "POST", Pattern: "/v1/sites.json", Service: routes.Sites, Scope: "sites:create", Body: "NoSuchSchema"},
		"bad method":   {Method: "FETCH", Pattern: "/v1/sites.json", Service: routes.Sites, Scope: "sites:index"},
	} {
		tbl := table(t, r)
		if _, err := New(tbl, Options{}); err == nil {
			t.Errorf("%s: New succeeded", name)
		}
	}
}

func TestPathParams(t *testing.T) {
	for pattern, want := range map[string]string{
		"/v1/sites.json":                      "",
		"/v1/sites/{code}.json":               "code",
		"/v1/sites/{code}/jobs/{job_id}.json": "code job_id",
		"/files/v{n}/{path...}":               "n path...",
	} {
		ps, err := pathParams(pattern)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, p := range ps {
			n := p.Name
			if p.Rest {
				n += "..."
			}
			names = append(names, n)
		}
		if got := strings.Join(names, " "); got != want {
			t.Errorf("%s: %q, want %q", pattern, got, want)
		}
	}
	for _, bad := range []string{"/a/{}", "/a/{b", "/a/b}", "/a/{b}{c}"} {
		if _, err := pathParams(bad); err == nil {
			t.Errorf("%s: no error", bad)
		}
	}
	if got := openAPIPath("/files/{path...}"); got != "/files/{path}" {
		t.Errorf("openAPIPath = %s", got)
	}
}
