// Package dialect tells the three public API dialects apart by path prefix
// and renders errors in the dialect of a request. The dialects themselves
// live in the subpackages wu (Ultimate Multisite v2 REST), cx (CLIENTXCMS
// application API) and sb (Kiubi-style site-builder API v1); decode reads
// request bodies and queries for all of them, httpio holds what their
// writers share. Subpackages never import this package.
package dialect

import "strings"

// Name names a dialect.
type Name string

// The dialects.
const (
	WU Name = "wu" // Ultimate Multisite v2 REST, /wp-json/wu/v2
	CX Name = "cx" // CLIENTXCMS application API, /api/application
	SB Name = "sb" // Kiubi-style site-builder API v1, /v1/
)

// Path prefixes of the dialects.
const (
	PrefixWU = "/wp-json/wu/v2"
	PrefixCX = "/api/application"
	PrefixSB = "/v1/"
	// PathCollect is the public pageview beacon, answered in the sb
	// envelope though it lies outside /v1/ (pages post to it directly).
	PathCollect = "/collect"
)

// Of returns the dialect whose prefix path starts with ("" for none). The
// wu and cx prefixes match only whole segments: "/api/applications" is no
// dialect.
func Of(path string) Name {
	switch {
	case hasSegmentPrefix(path, PrefixWU):
		return WU
	case hasSegmentPrefix(path, PrefixCX):
		return CX
	case strings.HasPrefix(path, PrefixSB), path == PathCollect:
		return SB
	}
	return ""
}

func hasSegmentPrefix(path, prefix string) bool {
	rest, ok := strings.CutPrefix(path, prefix)
	return ok && (rest == "" || rest[0] == '/')
}
