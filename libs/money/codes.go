package money

import "sort"

// Codes returns every currency code Lookup knows, sorted.
func Codes() []string {
	out := make([]string, 0, len(digits))
	for code := range digits {
		out = append(out, code)
	}
	sort.Strings(out)
	return out
}
