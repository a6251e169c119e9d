package docs

// The subset of OpenAPI 3.0.3 objects the generated document uses. Field
// order is the order of the JSON output; maps are written with sorted keys,
// so the document is byte-for-byte reproducible.

// OpenAPIVersion is the version of the specification the document follows.
const OpenAPIVersion = "3.0.3"

type document struct {
	OpenAPI    string              `json:"openapi"`
	Info       info                `json:"info"`
	Tags       []tag               `json:"tags,omitempty"`
	Security   []requirement       `json:"security,omitempty"`
	Paths      *ordered[*pathItem] `json:"paths"`
	Components components          `json:"components"`
}

type info struct {
	Title       string `json:"title"`
	Description string `json:"description,omitempty"`
	Version     string `json:"version"`
}

type tag struct {
	Name string `json:"name"`
}

// requirement is a security requirement: scheme name → scopes (always
// empty for the http and apiKey schemes).
type requirement map[string][]string

// pathItem holds the operations of one path, by lower-case method.
type pathItem = ordered[*operation]

type operation struct {
	Tags        []string             `json:"tags,omitempty"`
	Summary     string               `json:"summary,omitempty"`
	Description string               `json:"description,omitempty"`
	OperationID string               `json:"operationId"`
	Parameters  []parameter          `json:"parameters,omitempty"`
	RequestBody *requestBody         `json:"requestBody,omitempty"`
	Responses   map[string]*response `json:"responses"`
	// Security is nil to inherit the document's requirements; a pointer to
	// an empty list (written "[]") marks a public operation.
	Security   *[]requirement `json:"security,omitempty"`
	Permission string         `json:"x-hostplane-permission,omitempty"`
	Access     string         `json:"x-hostplane-access"`
	Service    string         `json:"x-hostplane-service"`
}

type parameter struct {
	Name        string  `json:"name"`
	In          string  `json:"in"`
	Description string  `json:"description,omitempty"`
	Required    bool    `json:"required"`
	Schema      *schema `json:"schema"`
}

type requestBody struct {
	Required bool                 `json:"required"`
	Content  map[string]mediaType `json:"content"`
}

type mediaType struct {
	Schema  *schema `json:"schema"`
	Example any     `json:"example,omitempty"`
}

type response struct {
	Description string               `json:"description"`
	Headers     map[string]*header   `json:"headers,omitempty"`
	Content     map[string]mediaType `json:"content,omitempty"`
}

type header struct {
	Description string  `json:"description,omitempty"`
	Schema      *schema `json:"schema"`
}

type components struct {
	// Schemas holds *schema values (the dialects' shapes) and
	// json.RawMessage values (the hand-written schemas/*.json).
	Schemas         map[string]any             `json:"schemas"`
	SecuritySchemes map[string]*securityScheme `json:"securitySchemes"`
}

type securityScheme struct {
	Type         string `json:"type"`
	Description  string `json:"description,omitempty"`
	Scheme       string `json:"scheme,omitempty"`
	BearerFormat string `json:"bearerFormat,omitempty"`
	Name         string `json:"name,omitempty"`
	In           string `json:"in,omitempty"`
}

// schema is a JSON Schema object as OpenAPI 3.0 restricts it.
type schema struct {
	Ref                  string             `json:"$ref,omitempty"`
	Type                 string             `json:"type,omitempty"`
	Format               string             `json:"format,omitempty"`
	Description          string             `json:"description,omitempty"`
	Enum                 []any              `json:"enum,omitempty"`
	Required             []string           `json:"required,omitempty"`
	Properties           map[string]*schema `json:"properties,omitempty"`
	AdditionalProperties any                `json:"additionalProperties,omitempty"`
	Items                *schema            `json:"items,omitempty"`
	OneOf                []*schema          `json:"oneOf,omitempty"`
	Nullable             bool               `json:"nullable,omitempty"`
	Minimum              *int               `json:"minimum,omitempty"`
	Maximum              *int               `json:"maximum,omitempty"`
	Example              any                `json:"example,omitempty"`
}

func ref(name string) *schema { return &schema{Ref: "#/components/schemas/" + name} }
