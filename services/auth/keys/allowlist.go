package keys

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"
)

// MaxAllowedIPs bounds a key's IP allow-list.
const MaxAllowedIPs = 100

// ParseAllowedIPs reads an IP allow-list: CIDRs ("203.0.113.0/24",
// "2001:db8::/32") or single addresses ("203.0.113.9", a /32 or /128). It
// returns the canonical form of each entry (host bits cleared, IPv4-mapped
// IPv6 addresses as IPv4, single addresses with their full prefix length),
// without blanks or duplicates, in the order given. The error names the
// first bad entry.
func ParseAllowedIPs(list []string) ([]string, error) {
	out := make([]string, 0, len(list))
	for _, raw := range list {
		s := strings.TrimSpace(raw)
		if s == "" {
			continue
		}
		p, err := parsePrefix(s)
		if err != nil {
			return nil, err
		}
		if c := p.String(); !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	if len(out) > MaxAllowedIPs {
		return nil, fmt.Errorf("at most %d entries", MaxAllowedIPs)
	}
	return out, nil
}

func parsePrefix(s string) (netip.Prefix, error) {
	bad := fmt.Errorf("%q is not an IP address or a CIDR such as 203.0.113.0/24", s)
	if len(s) > 64 || strings.Contains(s, "%") { // no zones: they name an interface of one host
		return netip.Prefix{}, bad
	}
	if strings.Contains(s, "/") {
		p, err := netip.ParsePrefix(s)
		if err != nil {
			return netip.Prefix{}, bad
		}
		a, bits := p.Addr(), p.Bits()
		if a.Is4In6() && bits >= 96 {
			a, bits = a.Unmap(), bits-96
		}
		return netip.PrefixFrom(a, bits).Masked(), nil
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Prefix{}, bad
	}
	a = a.Unmap()
	return netip.PrefixFrom(a, a.BitLen()), nil
}
