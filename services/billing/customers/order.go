package customers

import (
	"cmp"
	"strings"
)

// CompareBy orders by one key ascending; a missing last_login is greater
// than any date, as PostgreSQL sorts NULLs.
func CompareBy(o Order) func(a, b Customer) int {
	switch o {
	case ByDateRegistered:
		return func(a, b Customer) int { return a.DateRegistered.Compare(b.DateRegistered) }
	case ByDateCreated:
		return func(a, b Customer) int { return a.DateCreated.Compare(b.DateCreated) }
	case ByDateModified:
		return func(a, b Customer) int { return a.DateModified.Compare(b.DateModified) }
	case ByLastLogin:
		return func(a, b Customer) int {
			switch {
			case a.LastLogin == nil && b.LastLogin == nil:
				return 0
			case a.LastLogin == nil:
				return 1
			case b.LastLogin == nil:
				return -1
			}
			return a.LastLogin.Compare(*b.LastLogin)
		}
	case ByUserID:
		return func(a, b Customer) int { return cmp.Compare(a.UserID, b.UserID) }
	case ByVIP:
		return func(a, b Customer) int { return cmpBool(a.VIP, b.VIP) }
	case ByEmailVerification:
		return func(a, b Customer) int { return strings.Compare(a.EmailVerification, b.EmailVerification) }
	default:
		return func(a, b Customer) int { return cmp.Compare(a.ID, b.ID) }
	}
}

func cmpBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case !a:
		return -1
	}
	return 1
}
