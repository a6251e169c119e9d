package accounts

import "strings"

// laPosteSIREN is the SIREN of La Poste, whose establishments' SIRET
// numbers need not satisfy the Luhn check: their digits add up to a
// multiple of 5 instead.
const laPosteSIREN = "356000000"

// NormalizeSIRET removes the spaces, dots and dashes a SIRET is often
// written with ("732 829 320 00074").
func NormalizeSIRET(s string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case ' ', '.', '-', '\u00a0':
			return -1
		}
		return r
	}, strings.TrimSpace(s))
}

// ValidSIRET reports whether s (normalized) is a SIRET: 14 digits passing
// the Luhn check (or La Poste's own rule).
func ValidSIRET(s string) bool {
	if len(s) != 14 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	if luhn(s) {
		return true
	}
	if !strings.HasPrefix(s, laPosteSIREN) {
		return false
	}
	sum := 0
	for i := 0; i < len(s); i++ {
		sum += int(s[i] - '0')
	}
	return sum%5 == 0
}

// luhn reports whether the digits of s pass the Luhn check.
func luhn(s string) bool {
	sum := 0
	double := false
	for i := len(s) - 1; i >= 0; i-- {
		d := int(s[i] - '0')
		if double {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
		double = !double
	}
	return sum%10 == 0
}
