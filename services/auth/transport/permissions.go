package transport

import (
	"encoding/json"
	"strings"
)

// permissionsList accepts permissions as a JSON array or as one
// comma-separated string (as the CLI flag --permissions=a,b takes them).
type permissionsList []string

func (p *permissionsList) UnmarshalJSON(b []byte) error {
	var list []string
	if err := json.Unmarshal(b, &list); err == nil {
		*p = clean(list)
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	*p = clean(strings.Split(s, ","))
	return nil
}

func clean(in []string) []string {
	out := make([]string, 0, len(in))
	for _, s := range in {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}
