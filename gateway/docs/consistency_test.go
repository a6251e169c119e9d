package docs

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/hostplane/hostplane/gateway/routes"
	"github.com/hostplane/hostplane/libs/dialect"
)

// These tests fail when the route table and the document disagree.

// generic is the document of routes.Default() decoded without the
// generator's types, as a client reads it.
func generic(t *testing.T) map[string]any {
	t.Helper()
	b, err := Document(defaultTable(t), goldenOptions)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	return doc
}

// operations lists the document's operations by "METHOD path".
func operations(t *testing.T, doc map[string]any) map[string]map[string]any {
	t.Helper()
	out := map[string]map[string]any{}
	for path, item := range doc["paths"].(map[string]any) {
		for method, op := range item.(map[string]any) {
			if !methods[method] {
				t.Errorf("%s: %q is not an operation", path, method)
				continue
			}
			out[strings.ToUpper(method)+" "+path] = op.(map[string]any)
		}
	}
	return out
}

func routeKey(r routes.Route) string { return r.Method + " " + openAPIPath(r.Pattern) }

func TestEveryRouteIsOneOperationAndEveryOperationARoute(t *testing.T) {
	rs := routes.Default()
	ops := operations(t, generic(t))
	seen := map[string]int{}
	for _, r := range rs {
		key := routeKey(r)
		seen[key]++
		op, ok := ops[key]
		if !ok {
			t.Errorf("route %s %s is not in the document", r.Method, r.Pattern)
			continue
		}
		if op["summary"] != r.Summary {
			t.Errorf("%s: summary %q, route says %q", key, op["summary"], r.Summary)
		}
		if tags, _ := op["tags"].([]any); len(tags) != 1 || tags[0] != r.Tag {
			t.Errorf("%s: tags %v, route says %q", key, op["tags"], r.Tag)
		}
		if got, _ := op["x-hostplane-permission"].(string); got != r.Scope {
			t.Errorf("%s: x-hostplane-permission %q, route says %q", key, got, r.Scope)
		}
		if op["x-hostplane-service"] != r.Service {
			t.Errorf("%s: x-hostplane-service %v, route says %q", key, op["x-hostplane-service"], r.Service)
		}
		sec, has := op["security"]
		if r.Access == routes.Public {
			if list, ok := sec.([]any); !ok || len(list) != 0 {
				t.Errorf("%s: public route without security: []", key)
			}
		} else if has {
			t.Errorf("%s: needs a credential but overrides security with %v", key, sec)
		}
	}
	for key, n := range seen {
		if n > 1 {
			t.Errorf("%s: %d routes, one operation", key, n)
		}
	}
	for key := range ops {
		if seen[key] == 0 {
			t.Errorf("operation %s is no route of the table", key)
		}
	}
	if len(ops) != len(rs) {
		t.Errorf("%d operations for %d routes", len(ops), len(rs))
	}
}

func TestBodySchemasAreExactlyTheOnesRoutesName(t *testing.T) {
	bodies, err := bodySchemas()
	if err != nil {
		t.Fatal(err)
	}
	used := map[string]bool{}
	for _, r := range routes.Default() {
		if r.Body == "" {
			continue
		}
		used[r.Body] = true
		if _, ok := bodies[r.Body]; !ok {
			t.Errorf("%s %s: body %q is not in schemas/*.json", r.Method, r.Pattern, r.Body)
		}
	}
	for name := range bodies {
		if !used[name] {
			t.Errorf("schemas/*.json: %s is no route's Body", name)
		}
	}

	ops := operations(t, generic(t))
	for _, r := range routes.Default() {
		op := ops[routeKey(r)]
		body, has := op["requestBody"].(map[string]any)
		if r.Body == "" {
			if has {
				t.Errorf("%s: request body without a Body in the route", routeKey(r))
			}
			continue
		}
		if !has {
			t.Errorf("%s: no request body", routeKey(r))
			continue
		}
		content := body["content"].(map[string]any)
		for _, mt := range []string{"application/json", "application/x-www-form-urlencoded"} {
			if got := refOf(content[mt]); got != "#/components/schemas/"+r.Body {
				t.Errorf("%s: %s body is %q", routeKey(r), mt, got)
			}
		}
	}
}

func TestEveryPathParameterIsDeclared(t *testing.T) {
	ops := operations(t, generic(t))
	for _, r := range routes.Default() {
		ps, err := pathParams(r.Pattern)
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]string{}
		for _, p := range ps {
			want[p.Name] = "string"
			if isIntegerParam(p.Name) {
				want[p.Name] = "integer"
			}
		}
		got := map[string]string{}
		params, _ := ops[routeKey(r)]["parameters"].([]any)
		for _, p := range params {
			p := p.(map[string]any)
			if p["in"] != "path" {
				continue
			}
			if p["required"] != true {
				t.Errorf("%s: path parameter %v not required", routeKey(r), p["name"])
			}
			got[p["name"].(string)] = p["schema"].(map[string]any)["type"].(string)
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s: path parameters %v, pattern has %v", routeKey(r), got, want)
		}
	}
}

func TestErrorResponsesTakeTheRouteDialectShape(t *testing.T) {
	shape := map[dialect.Name]string{dialect.WU: schemaWuError, dialect.CX: schemaCxError, dialect.SB: schemaSbEnvelope}
	ops := operations(t, generic(t))
	for _, r := range routes.Default() {
		want, ok := shape[r.Dialect()]
		if !ok {
			t.Errorf("%s: no dialect", routeKey(r))
			continue
		}
		statuses := []string{"400", "404", "429"}
		if r.Access != routes.Public {
			statuses = append(statuses, "401", "403")
		}
		resps := ops[routeKey(r)]["responses"].(map[string]any)
		for _, st := range statuses {
			resp, ok := resps[st].(map[string]any)
			if !ok {
				t.Errorf("%s: no %s response", routeKey(r), st)
				continue
			}
			content, _ := resp["content"].(map[string]any)
			if got := refOf(content["application/json"]); got != "#/components/schemas/"+want {
				t.Errorf("%s: %s answers %q, want %s", routeKey(r), st, got, want)
			}
		}
		if _, ok := resps["200"]; !ok {
			if _, ok := resps["201"]; !ok {
				t.Errorf("%s: no success response", routeKey(r))
			}
		}
	}
}

func TestEveryRefResolves(t *testing.T) {
	doc := generic(t)
	schemas := doc["components"].(map[string]any)["schemas"].(map[string]any)
	var refs []string
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			if s, ok := v["$ref"].(string); ok {
				refs = append(refs, s)
			}
			for _, x := range v {
				walk(x)
			}
		case []any:
			for _, x := range v {
				walk(x)
			}
		}
	}
	walk(doc)
	sort.Strings(refs)
	for _, ref := range refs {
		name, ok := strings.CutPrefix(ref, "#/components/schemas/")
		if _, found := schemas[name]; !ok || !found {
			t.Errorf("$ref %q resolves to nothing", ref)
		}
	}
}

func TestSecuritySchemesCoverEveryPresentation(t *testing.T) {
	doc := generic(t)
	schemes := doc["components"].(map[string]any)["securitySchemes"].(map[string]any)
	want := map[string]string{
		schemeBasic:       `{"scheme":"basic","type":"http"}`,
		schemeBearer:      `{"scheme":"bearer","type":"http"}`,
		schemeToken:       `{"in":"header","name":"Authorization","type":"apiKey"}`,
		schemeQueryKey:    `{"in":"query","name":"api_key","type":"apiKey"}`,
		schemeQuerySecret: `{"in":"query","name":"api_secret","type":"apiKey"}`,
	}
	for name, w := range want {
		s, _ := schemes[name].(map[string]any)
		delete(s, "description")
		delete(s, "bearerFormat")
		if b, _ := json.Marshal(s); string(b) != w {
			t.Errorf("%s: %s, want %s", name, b, w)
		}
	}
	b, _ := json.Marshal(doc["security"])
	if got := string(b); got != `[{"basicAuth":[]},{"bearerAuth":[]},{"tokenAuth":[]},{"apiKeyQuery":[],"apiSecretQuery":[]}]` {
		t.Errorf("security = %s", got)
	}
}

// refOf is the $ref of a media type's schema.
func refOf(mediaType any) string {
	mt, _ := mediaType.(map[string]any)
	s, _ := mt["schema"].(map[string]any)
	r, _ := s["$ref"].(string)
	return r
}
