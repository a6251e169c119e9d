package principal

import (
	"fmt"
	"slices"
	"strings"
)

// Actions every resource has: index (GET), create (POST), update (PUT/PATCH),
// delete (DELETE).
var crudActions = []string{"index", "create", "update", "delete"}

// resources lists every resource a permission may name, with the actions it
// has beyond CRUD (the cx reference's service lifecycle actions).
var resources = map[string][]string{
	"customers":     nil,
	"products":      nil,
	"groups":        nil,
	"pricings":      nil,
	"services":      {"expire", "suspend", "unsuspend"},
	"memberships":   nil,
	"payments":      nil,
	"register":      nil,
	"keys":          nil,
	"sites":         nil,
	"domains":       nil,
	"jobs":          nil,
	"backups":       nil,
	"templates":     nil,
	"tenants":       nil,
	"plans":         nil,
	"subscriptions": nil,
	"account":       nil,
	"settings":      nil,
	"logs":          nil,
	"stats":         nil,
	"events":        nil,
}

// globals are permissions without an action.
var globals = []string{"*", "health", "statistics", "statitics", "license"}

// ActionForMethod is the CRUD action an HTTP method needs.
func ActionForMethod(method string) string {
	switch method {
	case "GET", "HEAD":
		return "index"
	case "POST":
		return "create"
	case "PUT", "PATCH":
		return "update"
	case "DELETE":
		return "delete"
	}
	return ""
}

// Validate checks that every permission is known: "*", a global name,
// "resource:*" or "resource:action".
func Validate(perms []string) error {
	for _, p := range perms {
		if !Known(p) {
			return fmt.Errorf("unknown permission %q", p)
		}
	}
	return nil
}

// Known reports whether perm is a permission Hostplane knows.
func Known(perm string) bool {
	if slices.Contains(globals, perm) {
		return true
	}
	res, action, ok := strings.Cut(perm, ":")
	if !ok {
		return false
	}
	extra, ok := resources[res]
	if !ok {
		return false
	}
	return action == "*" || slices.Contains(crudActions, action) || slices.Contains(extra, action)
}

// Subset reports whether every permission of want is granted by have (a key
// can only hand out what it holds).
func Subset(have, want []string) (missing string, ok bool) {
	for _, w := range want {
		if w == "*" {
			if !slices.Contains(have, "*") {
				return w, false
			}
			continue
		}
		if strings.HasSuffix(w, ":*") {
			res := strings.TrimSuffix(w, ":*")
			if !slices.Contains(have, "*") && !slices.Contains(have, w) {
				// resource:* is granted only by * or resource:* itself, or
				// by holding every action of the resource.
				for _, a := range append(append([]string(nil), crudActions...), resources[res]...) {
					if !Allows(have, res+":"+a) {
						return w, false
					}
				}
			}
			continue
		}
		if !Allows(have, w) {
			return w, false
		}
	}
	return "", true
}
