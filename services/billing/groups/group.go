// Package groups is the billing catalogue's product group aggregate (cx
// groups): a named, ordered, possibly nested set that products belong to.
package groups

import "time"

// Group is a product group.
type Group struct {
	ID           int64
	Name         string
	Slug         string // unique
	Status       string // active|hidden|unreferenced, as products
	Description  string
	ParentID     int64 // 0: top level
	SortOrder    int
	Pinned       bool
	DateCreated  time.Time
	DateModified time.Time
}

// Statuses of a group.
var Statuses = []string{"active", "hidden", "unreferenced"}

// Input creates (nil fields take their defaults) or changes a group.
type Input struct {
	Name, Slug, Status, Description *string
	ParentID                        *int64
	SortOrder                       *int
	Pinned                          *bool
}

// ListFilter selects and pages groups, by sort order then id.
type ListFilter struct {
	Status   string
	ParentID *int64
	Search   string // in name or slug, case-insensitively
	Desc     bool
	Offset   int
	Limit    int // 0: all
}
