package docs

import (
	_ "embed"
	"encoding/json"
	"fmt"
)

// schemasJSON holds the request body schemas that routes name in their
// Body field, written by hand: component name → OpenAPI 3.0 schema object.
//
//go:embed schemas.json
var schemasJSON []byte

// bodySchemas parses schemas.json.
func bodySchemas() (map[string]json.RawMessage, error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(schemasJSON, &m); err != nil {
		return nil, fmt.Errorf("docs: schemas.json: %w", err)
	}
	for name, raw := range m {
		var obj map[string]any
		if err := json.Unmarshal(raw, &obj); err != nil {
			return nil, fmt.Errorf("docs: schemas.json: %s is not a schema object: %w", name, err)
		}
	}
	return m, nil
}
