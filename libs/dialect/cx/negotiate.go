package cx

import (
	"net/http"
	"strconv"
	"strings"
)

// acceptRange is one media range of an Accept header.
type acceptRange struct {
	typ, sub string
	q        float64
	pos      int
}

// parseAccept reads an Accept header; ranges with an unreadable q are
// dropped.
func parseAccept(header string) []acceptRange {
	var out []acceptRange
	for i, part := range strings.Split(header, ",") {
		fields := strings.Split(part, ";")
		typ, sub, ok := strings.Cut(strings.ToLower(strings.TrimSpace(fields[0])), "/")
		if !ok || typ == "" || sub == "" {
			continue
		}
		r := acceptRange{typ: typ, sub: sub, q: 1, pos: i}
		for _, p := range fields[1:] {
			k, v, _ := strings.Cut(strings.TrimSpace(p), "=")
			if strings.EqualFold(strings.TrimSpace(k), "q") {
				q, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
				if err != nil || q < 0 || q > 1 {
					ok = false
				}
				r.q = q
			}
		}
		if ok {
			out = append(out, r)
		}
	}
	return out
}

// match is how an Accept header rates one media type: the q of its most
// specific matching range, that range's specificity (2 exact, 1 type/*,
// 0 */*) and position. found is false when no range matches.
type match struct {
	q           float64
	specificity int
	pos         int
	found       bool
}

func rate(ranges []acceptRange, typ, sub string) match {
	var best match
	for _, r := range ranges {
		spec := -1
		switch {
		case r.typ == typ && r.sub == sub:
			spec = 2
		case r.typ == typ && r.sub == "*":
			spec = 1
		case r.typ == "*" && r.sub == "*":
			spec = 0
		}
		if spec < 0 {
			continue
		}
		if !best.found || spec > best.specificity || (spec == best.specificity && r.pos < best.pos) {
			best = match{q: r.q, specificity: spec, pos: r.pos, found: true}
		}
	}
	return best
}

// better reports whether a is preferred to b: higher q, then the more
// specific range, then the earlier one.
func better(a, b match) bool {
	switch {
	case !a.found || a.q <= 0:
		return false
	case !b.found || b.q <= 0:
		return true
	case a.q != b.q:
		return a.q > b.q
	case a.specificity != b.specificity:
		return a.specificity > b.specificity
	}
	return a.pos < b.pos
}

// WantsXML reports whether the request's Accept header prefers
// application/xml or text/xml to JSON (honouring q-values). A missing
// header, "*/*" or a tie answers JSON.
func WantsXML(r *http.Request) bool {
	if r == nil {
		return false
	}
	header := strings.Join(r.Header.Values("Accept"), ",")
	if strings.TrimSpace(header) == "" {
		return false
	}
	ranges := parseAccept(header)
	xml := rate(ranges, "application", "xml")
	if text := rate(ranges, "text", "xml"); better(text, xml) {
		xml = text
	}
	return better(xml, rate(ranges, "application", "json"))
}
