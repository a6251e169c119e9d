package groups

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/hostplane/hostplane/libs/errs"
	"github.com/hostplane/hostplane/services/billing/products"
)

// apply sets in's fields on g and checks the result.
func (in Input) apply(g *Group) error {
	var c errs.Collector
	if in.Name != nil {
		g.Name = strings.TrimSpace(*in.Name)
	}
	if in.Slug != nil {
		g.Slug = strings.ToLower(strings.TrimSpace(*in.Slug))
	} else if g.Slug == "" {
		g.Slug = products.Slugify(g.Name)
	}
	if in.Status != nil {
		g.Status = strings.TrimSpace(*in.Status)
	}
	if in.Description != nil {
		g.Description = *in.Description
	}
	if in.ParentID != nil {
		g.ParentID = *in.ParentID
	}
	if in.SortOrder != nil {
		g.SortOrder = *in.SortOrder
	}
	if in.Pinned != nil {
		g.Pinned = *in.Pinned
	}
	switch {
	case g.Name == "":
		c.Missing("name")
	case !utf8.ValidString(g.Name) || utf8.RuneCountInString(g.Name) > products.MaxName:
		c.Invalid("name", fmt.Sprintf("Must be valid text of at most %d characters.", products.MaxName))
	}
	if !utf8.ValidString(g.Description) || utf8.RuneCountInString(g.Description) > products.MaxDescription {
		c.Invalid("description", fmt.Sprintf("Must be valid text of at most %d characters.", products.MaxDescription))
	}
	switch {
	case g.Slug == "":
		c.Missing("slug")
	case len(g.Slug) > products.MaxSlug || strings.Trim(g.Slug, "abcdefghijklmnopqrstuvwxyz0123456789-_") != "":
		c.Invalid("slug", "May only contain letters a-z, digits, '-' and '_' (at most 100).")
	}
	if !slices.Contains(Statuses, g.Status) {
		c.Invalid("status", "Must be one of: "+strings.Join(Statuses, ", ")+".")
	}
	if g.ParentID < 0 || g.ParentID != 0 && g.ParentID == g.ID {
		c.Invalid("parent_id", "Must be the id of another group.")
	}
	return c.Err()
}
