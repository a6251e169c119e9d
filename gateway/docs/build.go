package docs

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/hostplane/hostplane/gateway/routes"
	"github.com/hostplane/hostplane/libs/dialect"
)

// Options describe the document.
type Options struct {
	// Title and Version fill the document's info; empty gives
	// "Hostplane API" and "dev".
	Title, Version string
}

func (o Options) withDefaults() Options {
	if o.Title == "" {
		o.Title = "Hostplane API"
	}
	if o.Version == "" {
		o.Version = "dev"
	}
	return o
}

// Document returns the OpenAPI 3.0.3 document of the routes of t as
// indented JSON. It fails when a route cannot be documented: a method
// OpenAPI has no operation for, a malformed pattern, a Body that names no
// schema in schemas/*.json.
func Document(t *routes.Table, o Options) ([]byte, error) {
	doc, err := build(t.Routes(), o.withDefaults())
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return nil, fmt.Errorf("docs: encode: %w", err)
	}
	return buf.Bytes(), nil
}

// methods OpenAPI 3.0 has an operation for.
var methods = map[string]bool{
	"get": true, "put": true, "post": true, "delete": true,
	"options": true, "head": true, "patch": true, "trace": true,
}

func build(rs []routes.Route, o Options) (*document, error) {
	bodies, err := bodySchemas()
	if err != nil {
		return nil, err
	}
	doc := &document{
		OpenAPI:  OpenAPIVersion,
		Info:     info{Title: o.Title, Version: o.Version, Description: description},
		Security: anyCredential(),
		Paths:    &ordered[*pathItem]{},
		Components: components{
			Schemas:         map[string]any{},
			SecuritySchemes: securitySchemes(),
		},
	}
	for name, s := range dialectSchemas() {
		doc.Components.Schemas[name] = s
	}
	for name, raw := range bodies {
		if _, dup := doc.Components.Schemas[name]; dup {
			return nil, fmt.Errorf("docs: schemas/*.json: %s is a dialect schema name", name)
		}
		doc.Components.Schemas[name] = raw
	}

	dialects := dialectDocs()
	lists := collections(rs)
	seenTag := map[string]bool{}
	seenID := map[string]bool{}
	for _, r := range rs {
		method := strings.ToLower(r.Method)
		if !methods[method] {
			return nil, fmt.Errorf("docs: %s %s: OpenAPI has no such method", r.Method, r.Pattern)
		}
		path := openAPIPath(r.Pattern)
		item, ok := doc.Paths.get(path)
		if !ok {
			item = &pathItem{}
			doc.Paths.set(path, item)
		}
		if _, dup := item.get(method); dup {
			return nil, fmt.Errorf("docs: %s %s: documented twice", r.Method, path)
		}
		op, err := operationOf(r, dialects, lists[r.Pattern] && r.Method == http.MethodGet)
		if err != nil {
			return nil, err
		}
		if r.Body != "" {
			if _, ok := bodies[r.Body]; !ok {
				return nil, fmt.Errorf("docs: %s %s: body schema %q is not in schemas/*.json", r.Method, r.Pattern, r.Body)
			}
		}
		op.OperationID = uniqueID(operationID(method, path), seenID)
		item.set(method, op)
		if r.Tag != "" && !seenTag[r.Tag] {
			seenTag[r.Tag] = true
			doc.Tags = append(doc.Tags, tag{Name: r.Tag})
		}
	}
	return doc, nil
}

const description = "Hostplane's public API, served by its gateway in three dialects: " +
	"Ultimate Multisite v2 REST under `/wp-json/wu/v2`, the CLIENTXCMS application API under " +
	"`/api/application` (JSON, or XML when `Accept` prefers it) and a Kiubi-style site-builder API " +
	"under `/v1/` (JSON or form-encoded bodies; a form POST may carry the real method in `method=`).\n\n" +
	"Every credential works on every dialect: HTTP Basic `api_key:api_secret`, " +
	"`Authorization: Bearer <api_key>.<api_secret>`, `Authorization: token <api_key>.<api_secret>`, " +
	"or the query parameters `api_key` and `api_secret`. Permissions are `resource:action` " +
	"(`x-hostplane-permission` of each operation); `resource:*` and `*` are wildcards. " +
	"Answers carry `X-RateLimit-Limit` and `X-RateLimit-Remaining`; errors take the shape of the route's dialect."

// operationOf documents one route.
func operationOf(r routes.Route, dialects map[dialect.Name]dialectDoc, list bool) (*operation, error) {
	params, err := pathParams(r.Pattern)
	if err != nil {
		return nil, err
	}
	op := &operation{
		Summary:     r.Summary,
		Description: accessText(r),
		Permission:  r.Scope,
		Access:      accessName(r.Access),
		Service:     r.Service,
		Responses:   map[string]*response{},
	}
	if r.Tag != "" {
		op.Tags = []string{r.Tag}
	}
	for _, p := range params {
		op.Parameters = append(op.Parameters, parameterOf(p))
	}
	name := r.Dialect()
	d, known := dialects[name]
	if list && known {
		op.Parameters = append(op.Parameters, d.listParams...)
	}
	if r.Body != "" {
		s := ref(r.Body)
		op.RequestBody = &requestBody{Required: true, Content: map[string]mediaType{
			"application/json":                  {Schema: s},
			"application/x-www-form-urlencoded": {Schema: s},
		}}
	}
	if r.Access == routes.Public {
		op.Security = &[]requirement{}
	}
	status, ok := successResponse(name, r, list)
	op.Responses[status] = ok
	if known {
		errorResponses(d, r, op.Responses)
	}
	return op, nil
}

func accessName(a routes.Access) string {
	switch a {
	case routes.Public:
		return "public"
	case routes.Authenticated:
		return "authenticated"
	}
	return "scoped"
}

func accessText(r routes.Route) string {
	var b strings.Builder
	switch r.Access {
	case routes.Public:
		b.WriteString("No credential needed.")
	case routes.Authenticated:
		b.WriteString("Any valid API key.")
	default:
		fmt.Fprintf(&b, "Requires the permission `%s`.", r.Scope)
	}
	if r.Service == routes.Gateway {
		b.WriteString(" Answered by the gateway itself.")
	} else {
		fmt.Fprintf(&b, " Served by the %s service.", r.Service)
	}
	return b.String()
}

// collections finds the patterns that are lists: those with an item route
// one parameter segment below them ("/customers" has "/customers/{id}";
// "/v1/sites.json" has "/v1/sites/{code}.json").
func collections(rs []routes.Route) map[string]bool {
	out := map[string]bool{}
	patterns := map[string]bool{}
	for _, r := range rs {
		patterns[r.Pattern] = true
	}
	for p := range patterns {
		base, isJSON := strings.CutSuffix(p, ".json")
		for q := range patterns {
			rest, ok := strings.CutPrefix(q, base+"/")
			if !ok || strings.Contains(rest, "/") || !strings.HasPrefix(rest, "{") {
				continue
			}
			if !isJSON || strings.HasSuffix(rest, "}.json") {
				out[p] = true
			}
		}
	}
	return out
}

// operationID is method and path as one identifier: "get_wp_json_wu_v2_customers_id".
func operationID(method, path string) string {
	var b strings.Builder
	b.WriteString(method)
	sep := true
	for _, c := range path {
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' {
			if sep {
				b.WriteByte('_')
			}
			b.WriteRune(c)
			sep = false
		} else {
			sep = true
		}
	}
	return b.String()
}

func uniqueID(id string, seen map[string]bool) string {
	out := id
	for n := 2; seen[out]; n++ {
		out = fmt.Sprintf("%s_%d", id, n)
	}
	seen[out] = true
	return out
}
