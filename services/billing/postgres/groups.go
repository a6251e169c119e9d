package postgres

import (
	"context"
	"strconv"
	"strings"

	"github.com/hostplane/hostplane/libs/events"
	"github.com/hostplane/hostplane/libs/pgkit"
	"github.com/hostplane/hostplane/services/billing/groups"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Groups is the PostgreSQL groups.Store.
type Groups struct{ pool *pgxpool.Pool }

// NewGroups returns a store on pool.
func NewGroups(pool *pgxpool.Pool) *Groups { return &Groups{pool: pool} }

var groupConstraints = map[string]string{
	"product_groups_slug_key":       "slug",
	"product_groups_parent_id_fkey": "parent_id",
}

func groupErr(err error) error { return pgkit.MapError(err, "group", groupConstraints) }

const groupColumns = `id, name, slug, status, description, COALESCE(parent_id, 0), sort_order, pinned, date_created, date_modified`

func scanGroup(row pgx.Row) (groups.Group, error) {
	var g groups.Group
	err := row.Scan(&g.ID, &g.Name, &g.Slug, &g.Status, &g.Description, &g.ParentID, &g.SortOrder, &g.Pinned,
		&g.DateCreated, &g.DateModified)
	g.DateCreated, g.DateModified = micro(g.DateCreated), micro(g.DateModified)
	return g, err
}

// Create inserts g.
func (s *Groups) Create(ctx context.Context, g *groups.Group) error {
	g.DateCreated, g.DateModified = micro(g.DateCreated), micro(g.DateModified)
	err := inTx(ctx, s.pool, func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, `INSERT INTO product_groups (name, slug, status, description, parent_id, sort_order,
				pinned, date_created, date_modified) VALUES ($1, $2, $3, $4, NULLIF($5, 0::bigint), $6, $7, $8, $9) RETURNING id`,
			g.Name, g.Slug, g.Status, g.Description, g.ParentID, g.SortOrder, g.Pinned, g.DateCreated, g.DateModified).Scan(&g.ID); err != nil {
			return err
		}
		return events.Insert(ctx, tx, groups.Events(nil, g)...)
	})
	if err != nil {
		g.ID = 0
	}
	return groupErr(err)
}

// Get returns group id.
func (s *Groups) Get(ctx context.Context, id int64) (groups.Group, error) {
	g, err := scanGroup(db(ctx, s.pool).QueryRow(ctx, `SELECT `+groupColumns+` FROM product_groups WHERE id = $1`, id))
	return g, groupErr(err)
}

// List filters and pages groups by sort order then id.
func (s *Groups) List(ctx context.Context, f groups.ListFilter) ([]groups.Group, int, error) {
	var conds []string
	var args []any
	param := func(v any) string { args = append(args, v); return "$" + strconv.Itoa(len(args)) }
	if f.Status != "" {
		conds = append(conds, "status = "+param(f.Status))
	}
	if f.ParentID != nil {
		conds = append(conds, "COALESCE(parent_id, 0) = "+param(*f.ParentID))
	}
	if f.Search != "" {
		p := param(likePattern(strings.ToLower(f.Search)))
		conds = append(conds, "(lower(name) LIKE "+p+" OR slug LIKE "+p+")")
	}
	cond := whereOf(conds)
	dir := direction(f.Desc)
	return pageOf(ctx, db(ctx, s.pool), "product_groups", groupColumns, cond, " ORDER BY sort_order"+dir+", id"+dir,
		args, f.Offset, f.Limit, scanGroup, groupErr)
}

// Update applies fn to group id.
func (s *Groups) Update(ctx context.Context, id int64, fn func(*groups.Group) error) (groups.Group, error) {
	var out groups.Group
	var fnErr error
	err := inTx(ctx, s.pool, func(tx pgx.Tx) error {
		old, err := scanGroup(tx.QueryRow(ctx, `SELECT `+groupColumns+` FROM product_groups WHERE id = $1 FOR UPDATE`, id))
		if err != nil {
			return err
		}
		g := old
		if fnErr = fn(&g); fnErr != nil {
			return fnErr
		}
		g.ID, g.DateCreated, g.DateModified = old.ID, old.DateCreated, micro(g.DateModified)
		out = g
		if g == old {
			return nil
		}
		if _, err := tx.Exec(ctx, `UPDATE product_groups SET name = $2, slug = $3, status = $4, description = $5,
				parent_id = NULLIF($6, 0::bigint), sort_order = $7, pinned = $8, date_modified = $9 WHERE id = $1`,
			g.ID, g.Name, g.Slug, g.Status, g.Description, g.ParentID, g.SortOrder, g.Pinned, g.DateModified); err != nil {
			return err
		}
		return events.Insert(ctx, tx, groups.Events(&old, &g)...)
	})
	if fnErr != nil {
		return groups.Group{}, fnErr
	}
	if err != nil {
		return groups.Group{}, groupErr(err)
	}
	return out, nil
}

// Delete removes group id; its products and sub-groups lose it.
func (s *Groups) Delete(ctx context.Context, id int64) (groups.Group, error) {
	var g groups.Group
	err := inTx(ctx, s.pool, func(tx pgx.Tx) error {
		var err error
		if g, err = scanGroup(tx.QueryRow(ctx, `DELETE FROM product_groups WHERE id = $1 RETURNING `+groupColumns, id)); err != nil {
			return err
		}
		return events.Insert(ctx, tx, groups.Events(&g, nil)...)
	})
	return g, groupErr(err)
}
