package docs

import (
	"fmt"
	"strings"
)

// pathParam is one parameter of a route pattern.
type pathParam struct {
	Name string
	Rest bool // {name...}: the rest of the path, slashes included
}

// pathParams lists the parameters of pattern in order: every "{name}" of a
// segment, with or without literal text around it ("{code}.json"), and a
// final "{name...}".
func pathParams(pattern string) ([]pathParam, error) {
	var ps []pathParam
	for _, seg := range strings.Split(pattern, "/") {
		open := strings.IndexByte(seg, '{')
		if open < 0 {
			if strings.IndexByte(seg, '}') >= 0 {
				return nil, fmt.Errorf("docs: pattern %q: unbalanced }", pattern)
			}
			continue
		}
		end := strings.IndexByte(seg, '}')
		if end < open || strings.Count(seg, "{") != 1 || strings.Count(seg, "}") != 1 {
			return nil, fmt.Errorf("docs: pattern %q: bad segment %q", pattern, seg)
		}
		name, rest := strings.CutSuffix(seg[open+1:end], "...")
		if name == "" {
			return nil, fmt.Errorf("docs: pattern %q: empty parameter name", pattern)
		}
		ps = append(ps, pathParam{Name: name, Rest: rest})
	}
	return ps, nil
}

// openAPIPath is the path template of pattern in the document: the pattern
// itself, with "{name...}" written "{name}" as OpenAPI has no such form.
func openAPIPath(pattern string) string {
	return strings.ReplaceAll(pattern, "...}", "}")
}

// isIntegerParam reports whether a path parameter is a numeric id: "id",
// "job_id" or any name ending in "_id" ("site_id").
func isIntegerParam(name string) bool {
	return name == "id" || strings.HasSuffix(name, "_id")
}

// parameterOf documents one path parameter.
func parameterOf(p pathParam) parameter {
	s := &schema{Type: "string"}
	if isIntegerParam(p.Name) {
		one := 1
		s = &schema{Type: "integer", Format: "int64", Minimum: &one}
	}
	desc := ""
	if p.Rest {
		desc = "The rest of the path; may contain slashes."
	}
	return parameter{Name: p.Name, In: "path", Description: desc, Required: true, Schema: s}
}
