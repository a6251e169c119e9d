package groups

import "context"

// Store is the persistence port of groups. A missing group is
// errs.NotFound (resource "group"); a taken slug errs.Conflict naming
// slug; an unknown parent errs.Invalid naming parent_id. Deleting a group
// detaches its products and sub-groups. Every change writes its events
// (Events) with it and joins the transaction of its context.
type Store interface {
	Create(ctx context.Context, g *Group) error
	Get(ctx context.Context, id int64) (Group, error)
	List(ctx context.Context, f ListFilter) ([]Group, int, error)
	Update(ctx context.Context, id int64, fn func(*Group) error) (Group, error)
	Delete(ctx context.Context, id int64) (Group, error)
}
