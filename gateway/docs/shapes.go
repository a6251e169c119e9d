package docs

// dialectSchemas are the component schemas of the dialects' envelopes and
// error bodies, as libs/dialect renders them.
func dialectSchemas() map[string]*schema {
	str := func(desc string) *schema { return &schema{Type: "string", Description: desc} }
	integer := func(desc string) *schema { return &schema{Type: "integer", Description: desc} }
	nullableStr := &schema{Type: "string", Nullable: true}
	nullableInt := &schema{Type: "integer", Nullable: true}
	fieldMessages := &schema{
		Type: "object", Description: "Field → message.",
		AdditionalProperties: &schema{Type: "string"},
	}
	// link is a path with its query, or false when there is no such page.
	link := &schema{OneOf: []*schema{
		{Type: "string", Description: "Path and query of the page."},
		{Type: "boolean", Enum: []any{false}, Description: "No such page."},
	}}

	return map[string]*schema{
		schemaWuError: {
			Type:        "object",
			Description: "An error of the Ultimate Multisite (WordPress REST) dialect.",
			Required:    []string{"code", "message", "data"},
			Properties: map[string]*schema{
				"code":    str("wu_rest_invalid_parameter, wu_rest_<resource>_invalid_id, rest_forbidden, rest_no_route, rest_invalid_json, wu_rest_rate_limited, wu_rest_unavailable or wu_rest_upstream_timeout."),
				"message": str(""),
				"data": {
					Type:     "object",
					Required: []string{"status"},
					Properties: map[string]*schema{
						"status": integer("The HTTP status."),
						"params": fieldMessages,
					},
				},
			},
		},
		schemaWuDeleted: {
			Type:     "object",
			Required: []string{"deleted", "previous"},
			Properties: map[string]*schema{
				"deleted":  {Type: "boolean", Enum: []any{true}},
				"previous": {Type: "object", Description: "The object as it was."},
			},
		},
		schemaCxError: {
			Type:        "object",
			Description: "An error of the CLIENTXCMS (Laravel) dialect.",
			Required:    []string{"message"},
			Properties: map[string]*schema{
				"message": str(""),
				"errors": {
					Type: "object", Description: "Field → messages, on 422.",
					AdditionalProperties: &schema{Type: "array", Items: &schema{Type: "string"}},
				},
			},
		},
		schemaCxItem: {
			Type:       "object",
			Required:   []string{"data"},
			Properties: map[string]*schema{"data": {Type: "object"}},
		},
		schemaCxPage: {
			Type:        "object",
			Description: "A Laravel paginator.",
			Properties: map[string]*schema{
				"current_page":   {Type: "integer"},
				"data":           {Type: "array", Items: &schema{Type: "object"}},
				"first_page_url": {Type: "string"},
				"from":           nullableInt,
				"last_page":      {Type: "integer"},
				"last_page_url":  {Type: "string"},
				"links": {Type: "array", Items: &schema{
					Type: "object",
					Properties: map[string]*schema{
						"url":    nullableStr,
						"label":  {Type: "string"},
						"active": {Type: "boolean"},
					},
				}},
				"next_page_url": nullableStr,
				"path":          {Type: "string"},
				"per_page":      {Type: "integer"},
				"prev_page_url": nullableStr,
				"to":            nullableInt,
				"total":         {Type: "integer"},
			},
		},
		schemaSbEnvelope: {
			Type:        "object",
			Description: "Every answer of the Kiubi-style dialect, success or error: meta.success tells which.",
			Required:    []string{"meta", "error", "data"},
			Properties: map[string]*schema{
				"meta": {
					Type:     "object",
					Required: []string{"success", "status_code", "rate_remaining"},
					Properties: map[string]*schema{
						"success":        {Type: "boolean"},
						"status_code":    integer("The HTTP status."),
						"rate_remaining": integer("Requests left in the caller's rate-limit window."),
						"items_count":    integer("Lists only: number of items of the whole list."),
						"items_per_page": integer("Lists only."),
						"current_page":   integer("Lists only, from 0."),
						"link": {
							Type:        "object",
							Description: "Lists only.",
							Properties: map[string]*schema{
								"first_page":    link,
								"previous_page": link,
								"next_page":     link,
								"last_page":     link,
							},
						},
					},
				},
				"error": {
					Type:        "object",
					Nullable:    true,
					Description: "null on success.",
					Required:    []string{"code", "message"},
					Properties: map[string]*schema{
						"code":    integer("4001 missing parameter, 4002 invalid value, 4300 rate limited, 4307 authentication needed, 4308 denied, 4311 bad token, 4312 scope missing, 4401 unknown resource, 5007 unexpected, 5300 unavailable."),
						"message": str(""),
						"fields":  fieldMessages,
					},
				},
				"data": {Nullable: true, Description: "The answer (object, array or value); null on error."},
			},
		},
	}
}
