package docs

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
)

// schemaFiles hold the request body schemas that routes name in their Body
// field, written by hand, one file per service (component name → OpenAPI
// 3.0 schema object).
//
//go:embed schemas/*.json
var schemaFiles embed.FS

// bodySchemas merges every schemas/*.json; a name defined twice is an error.
func bodySchemas() (map[string]json.RawMessage, error) {
	files, err := fs.Glob(schemaFiles, "schemas/*.json")
	if err != nil {
		return nil, err
	}
	all := map[string]json.RawMessage{}
	for _, f := range files {
		b, err := schemaFiles.ReadFile(f)
		if err != nil {
			return nil, err
		}
		var m map[string]json.RawMessage
		if err := json.Unmarshal(b, &m); err != nil {
			return nil, fmt.Errorf("docs: %s: %w", f, err)
		}
		for name, raw := range m {
			var obj map[string]any
			if err := json.Unmarshal(raw, &obj); err != nil {
				return nil, fmt.Errorf("docs: %s: %s is not a schema object: %w", f, name, err)
			}
			if _, dup := all[name]; dup {
				return nil, fmt.Errorf("docs: %s: schema %s defined twice", f, name)
			}
			all[name] = raw
		}
	}
	return all, nil
}
