package docs

import (
	"net/http"
	"strconv"
	"strings"

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
	example     any
	// public says the error also happens on routes that need no credential.
	public bool
	// proxied says it only happens on routes proxied to a service.
	proxied bool
}

// dialectDoc is what the document says about one dialect.
type dialectDoc struct {
	errorSchema string
	errors      []errorDoc
	// listParams are the query parameters of a list.
	listParams []parameter
}

func wuError(status int, code, message string, params map[string]any) map[string]any {
	data := map[string]any{"status": status}
	if params != nil {
		data["params"] = params
	}
	return map[string]any{"code": code, "message": message, "data": data}
}

func cxError(message string, errors map[string]any) map[string]any {
	if errors == nil {
		return map[string]any{"message": message}
	}
	return map[string]any{"message": message, "errors": errors}
}

func sbError(status, code int, message string, fields map[string]any) map[string]any {
	if fields == nil {
		fields = map[string]any{}
	}
	return map[string]any{
		"meta":  map[string]any{"success": false, "status_code": status, "rate_remaining": 58},
		"error": map[string]any{"code": code, "message": message, "fields": fields},
		"data":  nil,
	}
}

func dialectDocs() map[dialect.Name]dialectDoc {
	invalidEmail := map[string]any{"email": "Invalid email format."}
	return map[dialect.Name]dialectDoc{
		dialect.WU: {
			errorSchema: schemaWuError,
			errors: []errorDoc{
				{status: 400, public: true, description: "Invalid parameter (`wu_rest_invalid_parameter`, data.params field → message) or invalid JSON (`rest_invalid_json`).",
					example: wuError(400, "wu_rest_invalid_parameter", "Invalid parameter(s): email", invalidEmail)},
				{status: 401, description: "No or unknown credential (`rest_forbidden`).",
					example: wuError(401, "rest_forbidden", "Unauthenticated.", nil)},
				{status: 403, description: "The key lacks the permission (`rest_forbidden`).",
					example: wuError(403, "rest_forbidden", "Sorry, you are not allowed to do that.", nil)},
				{status: 404, public: true, description: "No such object (`wu_rest_<resource>_invalid_id`) or route (`rest_no_route`).",
					example: wuError(404, "rest_no_route", "No route was found matching the URL and request method.", nil)},
				{status: 429, public: true, description: "Rate limited (`wu_rest_rate_limited`).",
					example: wuError(429, "wu_rest_rate_limited", "Too many requests.", nil)},
				{status: 503, public: true, proxied: true, description: "No healthy instance of the service (`wu_rest_unavailable`).",
					example: wuError(503, "wu_rest_unavailable", "Service unavailable.", nil)},
				{status: 504, public: true, proxied: true, description: "The service did not answer in time (`wu_rest_upstream_timeout`).",
					example: wuError(504, "wu_rest_upstream_timeout", "Upstream timed out.", nil)},
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
				{status: 400, public: true, description: "Bad request. (Invalid input, a malformed JSON body included, is a 422.)",
					example: cxError("Bad request.", nil)},
				{status: 401, description: "No or unknown credential.",
					example: cxError("Unauthenticated.", nil)},
				{status: 403, description: "The key lacks the permission.",
					example: cxError("Sorry, you are not allowed to do that.", nil)},
				{status: 404, public: true, description: "No such object or route.",
					example: cxError("Item not found.", nil)},
				{status: 422, public: true, description: "The given data was invalid: errors holds field → messages.",
					example: cxError("The given data was invalid.", map[string]any{"email": []any{"Invalid email format."}})},
				{status: 429, public: true, description: "Too Many Attempts.",
					example: cxError("Too Many Attempts.", nil)},
				{status: 503, public: true, proxied: true, description: "No healthy instance of the service.",
					example: cxError("Service unavailable.", nil)},
				{status: 504, public: true, proxied: true, description: "The service did not answer in time.",
					example: cxError("Upstream timed out.", nil)},
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
				{status: 400, public: true, description: "Missing parameter (error.code 4001) or invalid value (4002, error.fields field → message).",
					example: sbError(400, 4002, "Invalid parameter(s).", invalidEmail)},
				{status: 401, description: "Authentication needed (4307) or bad token (4311).",
					example: sbError(401, 4307, "Unauthenticated.", nil)},
				{status: 403, description: "Denied (4308) or scope missing (4312).",
					example: sbError(403, 4312, "Sorry, you are not allowed to do that.", nil)},
				{status: 404, public: true, description: "Unknown resource (4401).",
					example: sbError(404, 4401, "Item not found.", nil)},
				{status: 429, public: true, description: "Rate limited (4300).",
					example: sbError(429, 4300, "Too many requests.", nil)},
				{status: 503, public: true, proxied: true, description: "No healthy instance of the service (5300).",
					example: sbError(503, 5300, "Service unavailable.", nil)},
				{status: 504, public: true, proxied: true, description: "The service did not answer in time (5300).",
					example: sbError(504, 5300, "Upstream timed out.", nil)},
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
		if (r.Access == routes.Public && !e.public) || (e.proxied && r.Service == routes.Gateway) {
			continue
		}
		resp := &response{Description: e.description, Content: map[string]mediaType{
			"application/json": {Schema: ref(d.errorSchema), Example: e.example},
		}}
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

// hasAction reports whether scope ("customers:create") has action.
func hasAction(scope, action string) bool {
	_, a, ok := strings.Cut(scope, ":")
	return ok && a == action
}
