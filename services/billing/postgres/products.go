package postgres

import (
	"context"
	"errors"
	"reflect"
	"strconv"
	"strings"

	"github.com/hostplane/hostplane/libs/errs"
	"github.com/hostplane/hostplane/libs/events"
	"github.com/hostplane/hostplane/libs/pgkit"
	"github.com/hostplane/hostplane/services/billing/products"
	"github.com/hostplane/hostplane/services/billing/txn"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Products is the PostgreSQL products.Store (products and pricings).
type Products struct{ pool *pgxpool.Pool }

// NewProducts returns a store on pool.
func NewProducts(pool *pgxpool.Pool) *Products { return &Products{pool: pool} }

var productConstraints = map[string]string{
	"products_slug_key":             "slug",
	"products_group_id_fkey":        "group_id",
	"products_stock_check":          "stock",
	"pricings_product_currency_key": "currency",
	"pricings_product_id_fkey":      "product_id",
}

func productErr(err error) error { return pgkit.MapError(err, "product", productConstraints) }
func pricingErr(err error) error { return pgkit.MapError(err, "pricing", productConstraints) }

// inUse maps a foreign key violation on delete to a conflict.
func inUse(err error, what string) error {
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == "23503" {
		return &errs.Error{Kind: errs.Conflict, Reason: "in_use", Err: err, Message: what}
	}
	return nil
}

const productColumns = `id, slug, name, description, type, pricing_type, currency, amount, setup_fee, duration,
	duration_unit, trial_duration, trial_duration_unit, recurring, billing_cycles, status, COALESCE(group_id, 0), stock,
	pinned, sort_order, parent_id, taxable, tax_category, addons, quantity_max, limits, contact_us_label,
	contact_us_link, date_created, date_modified`

func scanProduct(row pgx.Row) (products.Product, error) {
	var p products.Product
	err := row.Scan(&p.ID, &p.Slug, &p.Name, &p.Description, &p.Type, &p.PricingType, &p.Currency, &p.Amount,
		&p.SetupFee, &p.Duration, &p.DurationUnit, &p.TrialDuration, &p.TrialDurationUnit, &p.Recurring,
		&p.BillingCycles, &p.Status, &p.GroupID, &p.Stock, &p.Pinned, &p.SortOrder, &p.ParentID, &p.Taxable,
		&p.TaxCategory, &p.Addons, &p.QuantityMax, &p.Limits, &p.ContactUsLabel, &p.ContactUsLink,
		&p.DateCreated, &p.DateModified)
	p = p.Clone()
	p.DateCreated, p.DateModified = micro(p.DateCreated), micro(p.DateModified)
	return p, err
}

func productArgs(p *products.Product) []any {
	return []any{p.Slug, p.Name, p.Description, p.Type, p.PricingType, p.Currency, p.Amount, p.SetupFee, p.Duration,
		p.DurationUnit, p.TrialDuration, p.TrialDurationUnit, p.Recurring, p.BillingCycles, p.Status, p.GroupID,
		p.Stock, p.Pinned, p.SortOrder, p.ParentID, p.Taxable, p.TaxCategory, p.Addons, p.QuantityMax, p.Limits,
		p.ContactUsLabel, p.ContactUsLink, p.DateCreated, p.DateModified}
}

// Create inserts p.
func (s *Products) Create(ctx context.Context, p *products.Product) error {
	*p = p.Clone()
	p.DateCreated, p.DateModified = micro(p.DateCreated), micro(p.DateModified)
	err := inTx(ctx, s.pool, func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, `INSERT INTO products (slug, name, description, type, pricing_type, currency, amount,
				setup_fee, duration, duration_unit, trial_duration, trial_duration_unit, recurring, billing_cycles, status,
				group_id, stock, pinned, sort_order, parent_id, taxable, tax_category, addons, quantity_max, limits,
				contact_us_label, contact_us_link, date_created, date_modified)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, NULLIF($16, 0::bigint), $17, $18, $19,
				$20, $21, $22, $23, $24, $25, $26, $27, $28, $29) RETURNING id`, productArgs(p)...).Scan(&p.ID); err != nil {
			return err
		}
		return events.Insert(ctx, tx, products.Events(nil, p)...)
	})
	if err != nil {
		p.ID = 0
	}
	return productErr(err)
}

// Get returns product id (the unit of work's copy when it holds one: see
// txn.Memo).
func (s *Products) Get(ctx context.Context, id int64) (products.Product, error) {
	memo := txn.MemoOf(ctx)
	if v, _, ok := memo.Get(memoProduct, id); ok {
		return v.(products.Product).Clone(), nil
	}
	p, err := scanProduct(db(ctx, s.pool).QueryRow(ctx, `SELECT `+productColumns+` FROM products WHERE id = $1`, id))
	if err == nil {
		memo.Put(memoProduct, p.ID, p.Clone(), false)
	}
	return p, productErr(err)
}

// GetBySlug returns the product of slug.
func (s *Products) GetBySlug(ctx context.Context, slug string) (products.Product, error) {
	p, err := scanProduct(db(ctx, s.pool).QueryRow(ctx, `SELECT `+productColumns+` FROM products WHERE slug = $1`, slug))
	if err == nil {
		txn.MemoOf(ctx).Put(memoProduct, p.ID, p.Clone(), false)
	}
	return p, productErr(err)
}

var productOrder = map[products.Order]string{
	products.ByID: "id", products.BySortOrder: "sort_order", products.ByName: "lower(name)",
	products.ByAmount: "amount", products.ByDateCreated: "date_created",
}

// List filters, orders and pages products.
func (s *Products) List(ctx context.Context, f products.ListFilter) ([]products.Product, int, error) {
	col, ok := productOrder[f.OrderBy]
	if f.OrderBy == "" {
		col, ok = "id", true
	}
	if !ok {
		return nil, 0, errs.InvalidField("orderby", "Unknown sort key.")
	}
	var conds []string
	var args []any
	param := func(v any) string { args = append(args, v); return "$" + strconv.Itoa(len(args)) }
	if f.IDs != nil {
		conds = append(conds, "id = ANY("+param(f.IDs)+")")
	}
	if f.Type != "" {
		conds = append(conds, "type = "+param(f.Type))
	}
	if f.Status != "" {
		conds = append(conds, "status = "+param(f.Status))
	}
	if f.Statuses != nil {
		conds = append(conds, "status = ANY("+param(f.Statuses)+")")
	}
	if f.GroupID != 0 {
		conds = append(conds, "group_id = "+param(f.GroupID))
	}
	if f.CreatedFrom != nil {
		conds = append(conds, "date_created >= "+param(*f.CreatedFrom))
	}
	if f.CreatedTo != nil {
		conds = append(conds, "date_created <= "+param(*f.CreatedTo))
	}
	if f.Search != "" {
		p := param(likePattern(strings.ToLower(f.Search)))
		conds = append(conds, "(lower(name) LIKE "+p+" OR slug LIKE "+p+" OR lower(description) LIKE "+p+")")
	}
	cond := whereOf(conds)
	dir := direction(f.Desc)
	return pageOf(ctx, db(ctx, s.pool), "products", productColumns, cond, " ORDER BY "+col+dir+", id"+dir,
		args, f.Offset, f.Limit, scanProduct, productErr)
}

// Update applies fn to product id.
func (s *Products) Update(ctx context.Context, id int64, fn func(*products.Product) error) (products.Product, error) {
	txn.MemoOf(ctx).Forget(memoProduct, id)
	var out products.Product
	var fnErr error
	err := inTx(ctx, s.pool, func(tx pgx.Tx) error {
		old, err := scanProduct(tx.QueryRow(ctx, `SELECT `+productColumns+` FROM products WHERE id = $1 FOR UPDATE`, id))
		if err != nil {
			return err
		}
		p := old.Clone()
		if fnErr = fn(&p); fnErr != nil {
			return fnErr
		}
		p = p.Clone()
		p.ID, p.DateCreated, p.DateModified = old.ID, old.DateCreated, micro(p.DateModified)
		out = p
		if reflect.DeepEqual(old, p) {
			return nil
		}
		if _, err := tx.Exec(ctx, `UPDATE products SET slug = $1, name = $2, description = $3, type = $4, pricing_type = $5,
				currency = $6, amount = $7, setup_fee = $8, duration = $9, duration_unit = $10, trial_duration = $11,
				trial_duration_unit = $12, recurring = $13, billing_cycles = $14, status = $15,
				group_id = NULLIF($16, 0::bigint), stock = $17, pinned = $18, sort_order = $19, parent_id = $20,
				taxable = $21, tax_category = $22, addons = $23, quantity_max = $24, limits = $25,
				contact_us_label = $26, contact_us_link = $27, date_created = $28, date_modified = $29
			WHERE id = $30`, append(productArgs(&p), p.ID)...); err != nil {
			return err
		}
		return events.Insert(ctx, tx, products.Events(&old, &p)...)
	})
	if fnErr != nil {
		return products.Product{}, fnErr
	}
	if err != nil {
		return products.Product{}, productErr(err)
	}
	return out, nil
}

// Delete removes product id and its pricings.
func (s *Products) Delete(ctx context.Context, id int64) (products.Product, error) {
	txn.MemoOf(ctx).Forget(memoProduct, id)
	var p products.Product
	err := inTx(ctx, s.pool, func(tx pgx.Tx) error {
		var err error
		if p, err = scanProduct(tx.QueryRow(ctx, `DELETE FROM products WHERE id = $1 RETURNING `+productColumns, id)); err != nil {
			return err
		}
		return events.Insert(ctx, tx, products.Events(&p, nil)...)
	})
	if e := inUse(err, "Memberships still subscribe to this product: cancel and delete them first."); e != nil {
		return products.Product{}, e
	}
	return p, productErr(err)
}

// Take sells n of product id in one statement: the stock check and the
// decrement cannot interleave with another sale.
func (s *Products) Take(ctx context.Context, id int64, n int) (products.Product, error) {
	memo := txn.MemoOf(ctx)
	if v, _, ok := memo.Get(memoProduct, id); ok && v.(products.Product).Stock == products.Unlimited {
		// Unlimited when the unit of work read it: nothing to take.
		return v.(products.Product).Clone(), nil
	}
	var p products.Product
	err := inTx(ctx, s.pool, func(tx pgx.Tx) error {
		old, err := scanProduct(tx.QueryRow(ctx, `SELECT `+productColumns+` FROM products WHERE id = $1`, id))
		if err != nil {
			return err
		}
		if old.Stock == products.Unlimited {
			p = old
			return nil
		}
		p, err = scanProduct(tx.QueryRow(ctx, `UPDATE products SET stock = stock - $2
			WHERE id = $1 AND stock >= $2 RETURNING `+productColumns, id, n))
		if errors.Is(err, pgx.ErrNoRows) {
			return outOfStock(old)
		}
		if err != nil {
			return err
		}
		return events.Insert(ctx, tx, products.Events(&old, &p)...)
	})
	if err == nil {
		memo.Put(memoProduct, p.ID, p.Clone(), false)
	}
	return p, productErr(err)
}

func outOfStock(p products.Product) error {
	return &errs.Error{Kind: errs.Conflict, Reason: "out_of_stock", Message: "The product " + p.Slug + " is out of stock.",
		Params: map[string]string{"stock": "None left."}}
}

// pricingColumns read a pricing: the prices then the setup fees of every
// cycle, in products.Cycles order.
var pricingColumns = func() string {
	cols := []string{"id", "product_id", "currency"}
	cols = append(cols, products.Cycles...)
	for _, c := range products.Cycles {
		cols = append(cols, "setup_"+c)
	}
	return strings.Join(append(cols, "date_created", "date_modified"), ", ")
}()

func scanPricing(row pgx.Row) (products.Pricing, error) {
	p := products.Pricing{Prices: map[string]int64{}, Setup: map[string]int64{}}
	n := len(products.Cycles)
	vals := make([]*int64, 2*n)
	dst := []any{&p.ID, &p.ProductID, &p.Currency}
	for i := range vals {
		dst = append(dst, &vals[i])
	}
	dst = append(dst, &p.DateCreated, &p.DateModified)
	if err := row.Scan(dst...); err != nil {
		return products.Pricing{}, err
	}
	for i, c := range products.Cycles {
		if vals[i] != nil {
			p.Prices[c] = *vals[i]
		}
		if vals[n+i] != nil {
			p.Setup[c] = *vals[n+i]
		}
	}
	p.DateCreated, p.DateModified = micro(p.DateCreated), micro(p.DateModified)
	return p, nil
}

// cycleValues are p's prices then setup fees, nil where a cycle is absent.
func cycleValues(p *products.Pricing) []any {
	var out []any
	for _, m := range []map[string]int64{p.Prices, p.Setup} {
		for _, c := range products.Cycles {
			if v, ok := m[c]; ok {
				out = append(out, v)
			} else {
				out = append(out, nil)
			}
		}
	}
	return out
}

// CreatePricing inserts p.
func (s *Products) CreatePricing(ctx context.Context, p *products.Pricing) error {
	*p = p.Clone()
	p.DateCreated, p.DateModified = micro(p.DateCreated), micro(p.DateModified)
	n := len(products.Cycles)
	params := make([]string, 2*n+4)
	for i := range params {
		params[i] = "$" + strconv.Itoa(i+1)
	}
	args := append([]any{p.ProductID, p.Currency}, cycleValues(p)...)
	args = append(args, p.DateCreated, p.DateModified)
	err := inTx(ctx, s.pool, func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, `INSERT INTO pricings (`+strings.TrimPrefix(pricingColumns, "id, ")+`)
			VALUES (`+strings.Join(params, ", ")+`) RETURNING id`, args...).Scan(&p.ID); err != nil {
			return err
		}
		return events.Insert(ctx, tx, products.PricingEvents(nil, p)...)
	})
	if err != nil {
		p.ID = 0
	}
	return pricingErr(err)
}

// GetPricing returns pricing id.
func (s *Products) GetPricing(ctx context.Context, id int64) (products.Pricing, error) {
	p, err := scanPricing(db(ctx, s.pool).QueryRow(ctx, `SELECT `+pricingColumns+` FROM pricings WHERE id = $1`, id))
	return p, pricingErr(err)
}

// ListPricings filters and pages pricings by id.
func (s *Products) ListPricings(ctx context.Context, f products.PricingFilter) ([]products.Pricing, int, error) {
	var conds []string
	var args []any
	param := func(v any) string { args = append(args, v); return "$" + strconv.Itoa(len(args)) }
	if f.ProductIDs != nil {
		conds = append(conds, "product_id = ANY("+param(f.ProductIDs)+")")
	}
	if f.Currency != "" {
		conds = append(conds, "currency = "+param(f.Currency))
	}
	cond := whereOf(conds)
	order := " ORDER BY id"
	if f.Desc {
		order += " DESC"
	}
	return pageOf(ctx, db(ctx, s.pool), "pricings", pricingColumns, cond, order, args, f.Offset, f.Limit, scanPricing, pricingErr)
}

// UpdatePricing applies fn to pricing id.
func (s *Products) UpdatePricing(ctx context.Context, id int64, fn func(*products.Pricing) error) (products.Pricing, error) {
	var out products.Pricing
	var fnErr error
	err := inTx(ctx, s.pool, func(tx pgx.Tx) error {
		old, err := scanPricing(tx.QueryRow(ctx, `SELECT `+pricingColumns+` FROM pricings WHERE id = $1 FOR UPDATE`, id))
		if err != nil {
			return err
		}
		p := old.Clone()
		if fnErr = fn(&p); fnErr != nil {
			return fnErr
		}
		p = p.Clone()
		p.ID, p.DateCreated, p.DateModified = old.ID, old.DateCreated, micro(p.DateModified)
		out = p
		if reflect.DeepEqual(old, p) {
			return nil
		}
		sets := []string{"product_id = $2", "currency = $3"}
		i := 4
		for _, prefix := range []string{"", "setup_"} {
			for _, c := range products.Cycles {
				sets = append(sets, prefix+c+" = $"+strconv.Itoa(i))
				i++
			}
		}
		sets = append(sets, "date_modified = $"+strconv.Itoa(i))
		args := append([]any{p.ID, p.ProductID, p.Currency}, cycleValues(&p)...)
		if _, err := tx.Exec(ctx, `UPDATE pricings SET `+strings.Join(sets, ", ")+` WHERE id = $1`,
			append(args, p.DateModified)...); err != nil {
			return err
		}
		return events.Insert(ctx, tx, products.PricingEvents(&old, &p)...)
	})
	if fnErr != nil {
		return products.Pricing{}, fnErr
	}
	if err != nil {
		return products.Pricing{}, pricingErr(err)
	}
	return out, nil
}

// DeletePricing removes pricing id.
func (s *Products) DeletePricing(ctx context.Context, id int64) (products.Pricing, error) {
	var p products.Pricing
	err := inTx(ctx, s.pool, func(tx pgx.Tx) error {
		var err error
		if p, err = scanPricing(tx.QueryRow(ctx, `DELETE FROM pricings WHERE id = $1 RETURNING `+pricingColumns, id)); err != nil {
			return err
		}
		return events.Insert(ctx, tx, products.PricingEvents(&p, nil)...)
	})
	return p, pricingErr(err)
}
