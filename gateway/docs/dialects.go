package docs

import (
	"net/http"
	"strconv"

	"github.com/hostplane/hostplane/gateway/routes"
	"github.com/hostplane/hostplane/libs/dialect"
)

// Component schema names of the dialects' shapes (DESIGN.md, "Dialects").
const (
	schemaWuError    = "WuError"
	schemaWuDeleted  = "WuDeleted"
	schemaCxError    = "CxError"
	schemaCxItem     = "CxItem"
	schemaCxPage     = "CxPaginator"
	schemaSbEnvelope = "SbEnvelope"
)

// errorDoc is one error answer of a dialect.
type errorDoc struct {
	status      int
	description string
	// public says the error also happens on routes that need no credential.
	public bool
	// bodyOnly says it only happens on routes that take a request body.
	bodyOnly bool
}

// dialectDoc is what the document says about one dialect.
type dialectDoc struct {
	errorSchema string
	errors      []errorDoc
	// listParams are the query parameters of a list.
	listParams []parameter
}

func dialectDocs() map[dialect.Name]dialectDoc {
	return map[dialect.Name]dialectDoc{
		dialect.WU: {
			errorSchema: schemaWuError,
			errors: []errorDoc{
				{status: 400, public: true, description: "Invalid parameter (`wu_rest_invalid_parameter`, with data.params field → message) or invalid JSON (`rest_invalid_json`)."},
				{status: 401, description: "No or unknown credential (`rest_forbidden`)."},
				{status: 403, description: "The key lacks the permission (`rest_forbidden`)."},
				{status: 404, public: true, description: "No such object (`wu_rest_<resource>_invalid_id`) or route (`rest_no_route`)."},
				{status: 429, public: true, description: "Rate limited (`wu_rest_rate_limited`)."},
			},
			listParams: []parameter{
				query("per_page", "Items per page (default 20, max 100).", intSchema(1, 100)),
				query("page", "Page number, from 1.", intSchema(1, 0)),
				query("search", "Search term.", &schema{Type: "string"}),
				query("orderby", "Sort field (from the resource's allow-list).", &schema{Type: "string"}),
				query("order", "Sort direction.", &schema{Type: "string", Enum: []any{"asc", "desc"}}),
				query("status", "Filter by status.", &schema{Type: "string"}),
				query("date_created", "Creation date range FROM,TO (either side optional).", &schema{Type: "string"}),
			},
		},
		dialect.CX: {
			errorSchema: schemaCxError,
			errors: []errorDoc{
				{status: 400, public: true, description: "Invalid request, such as a malformed JSON body."},
				{status: 401, description: "`{\"message\":\"Unauthenticated.\"}`"},
				{status: 403, description: "The key lacks the permission."},
				{status: 404, public: true, description: "No such object or route."},
				{status: 422, public: true, bodyOnly: true, description: "The given data was invalid: errors holds field → messages."},
				{status: 429, public: true, description: "Too Many Attempts."},
			},
			listParams: []parameter{
				query("page", "Page number, from 1.", intSchema(1, 0)),
				query("per_page", "Items per page (default 25, max 100).", intSchema(1, 100)),
				query("sort", "Sort field, descending with a leading minus (`-id`).", &schema{Type: "string"}),
				query("include", "Related objects to include, comma-separated.", &schema{Type: "string"}),
				query("q", "Search term.", &schema{Type: "string"}),
			},
		},
		dialect.SB: {
			errorSchema: schemaSbEnvelope,
			errors: []errorDoc{
				{status: 400, public: true, description: "Missing parameter (error.code 4001) or invalid value (4002, error.fields field → message)."},
				{status: 401, description: "Authentication needed (4307) or bad token (4311)."},
				{status: 403, description: "Denied (4308) or scope missing (4312)."},
				{status: 404, public: true, description: "Unknown resource (4401)."},
				{status: 429, public: true, description: "Rate limited (4300)."},
			},
			listParams: []parameter{
				query("limit", "Items per page (default 20, max 20).", intSchema(1, 20)),
				query("page", "Page number, from 0.", intSchema(0, 0)),
			},
		},
	}
}

func query(name, desc string, s *schema) parameter {
	return parameter{Name: name, In: "query", Description: desc, Schema: s}
}

// intSchema is an integer from lo, up to hi when hi > 0.
func intSchema(lo, hi int) *schema {
	s := &schema{Type: "integer", Minimum: &lo}
	if hi > 0 {
		s.Maximum = &hi
	}
	return s
}

// errorResponses gives the error answers of r in its dialect's shape.
func errorResponses(d dialectDoc, r routes.Route, out map[string]*response) {
	for _, e := range d.errors {
		if (r.Access == routes.Public && !e.public) || (e.bodyOnly && r.Body == "") {
			continue
		}
		resp := &response{Description: e.description, Content: jsonContent(ref(d.errorSchema))}
		if e.status == http.StatusTooManyRequests {
			resp.Headers = map[string]*header{
				"Retry-After": {Description: "Seconds to wait before retrying.", Schema: &schema{Type: "integer"}},
			}
		}
		out[strconv.Itoa(e.status)] = resp
	}
}

// successResponse gives the answer of r when it succeeds.
func successResponse(name dialect.Name, r routes.Route, list bool) (string, *response) {
	status := "200"
	switch name {
	case dialect.WU:
		switch {
		case list:
			return status, &response{
				Description: "A bare array, one page of the list.",
				Headers: map[string]*header{
					"X-WP-Total":      {Description: "Number of items of the whole list.", Schema: &schema{Type: "integer"}},
					"X-WP-TotalPages": {Description: "Number of pages.", Schema: &schema{Type: "integer"}},
				},
				Content: jsonContent(&schema{Type: "array", Items: &schema{Type: "object"}}),
			}
		case r.Method == http.MethodDelete:
			return status, &response{Description: "The deleted object.", Content: jsonContent(ref(schemaWuDeleted))}
		}
		return status, &response{Description: "The object.", Content: jsonContent(&schema{Type: "object"})}
	case dialect.CX:
		if r.Service == routes.Gateway {
			break // the gateway's own answers (health) are not items
		}
		if list {
			return status, &response{Description: "One page of the list (JSON, or XML when Accept prefers it).", Content: jsonContent(ref(schemaCxPage))}
		}
		if r.Method == http.MethodPost && r.Body != "" && r.Access == routes.Scoped && hasAction(r.Scope, "create") {
			status = "201"
		}
		return status, &response{Description: "The object (JSON, or XML when Accept prefers it).", Content: jsonContent(ref(schemaCxItem))}
	case dialect.SB:
		return status, &response{Description: "The envelope, meta.success true.", Content: jsonContent(ref(schemaSbEnvelope))}
	}
	return status, &response{Description: "Success.", Content: jsonContent(&schema{Type: "object"})}
}

func jsonContent(s *schema) map[string]mediaType {
	return map[string]mediaType{"application/json": {Schema: s}}
}
