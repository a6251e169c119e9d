package postgres

import (
	"context"
	"reflect"
	"strconv"
	"strings"

	"github.com/hostplane/hostplane/libs/errs"
	"github.com/hostplane/hostplane/libs/events"
	"github.com/hostplane/hostplane/libs/pgkit"
	"github.com/hostplane/hostplane/services/billing/payments"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Payments is the PostgreSQL payments.Store.
type Payments struct{ pool *pgxpool.Pool }

// NewPayments returns a store on pool.
func NewPayments(pool *pgxpool.Pool) *Payments { return &Payments{pool: pool} }

var paymentConstraints = map[string]string{
	"payments_customer_id_fkey":   "customer_id",
	"payments_membership_id_fkey": "membership_id",
	"payments_product_id_fkey":    "product_id",
}

func paymentErr(err error) error { return pgkit.MapError(err, "payment", paymentConstraints) }

const paymentColumns = `id, customer_id, COALESCE(membership_id, 0), COALESCE(product_id, 0), parent_id, currency,
	subtotal, tax_total, discount_total, refund_total, total, status, gateway, gateway_payment_id, discount_code,
	invoice_number, kind, applied, date_created, date_modified`

func scanPayment(row pgx.Row) (payments.Payment, error) {
	var p payments.Payment
	err := row.Scan(&p.ID, &p.CustomerID, &p.MembershipID, &p.ProductID, &p.ParentID, &p.Currency, &p.Subtotal,
		&p.TaxTotal, &p.DiscountTotal, &p.RefundTotal, &p.Total, &p.Status, &p.Gateway, &p.GatewayPaymentID,
		&p.DiscountCode, &p.InvoiceNumber, &p.Kind, &p.Applied, &p.DateCreated, &p.DateModified)
	p.DateCreated, p.DateModified = micro(p.DateCreated), micro(p.DateModified)
	return p, err
}

// Create inserts p with the next invoice number.
func (s *Payments) Create(ctx context.Context, p *payments.Payment) error {
	p.DateCreated, p.DateModified = micro(p.DateCreated), micro(p.DateModified)
	err := inTx(ctx, s.pool, func(tx pgx.Tx) error {
		var n int64
		if err := tx.QueryRow(ctx, `SELECT nextval('invoice_numbers')`).Scan(&n); err != nil {
			return err
		}
		p.InvoiceNumber = payments.InvoiceNumber(n)
		if err := tx.QueryRow(ctx, `INSERT INTO payments (customer_id, membership_id, product_id, parent_id, currency,
				subtotal, tax_total, discount_total, refund_total, total, status, gateway, gateway_payment_id,
				discount_code, invoice_number, kind, applied, date_created, date_modified)
			VALUES ($1, NULLIF($2, 0::bigint), NULLIF($3, 0::bigint), $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14,
				$15, $16, $17, $18, $19) RETURNING id`,
			p.CustomerID, p.MembershipID, p.ProductID, p.ParentID, p.Currency, p.Subtotal, p.TaxTotal, p.DiscountTotal,
			p.RefundTotal, p.Total, p.Status, p.Gateway, p.GatewayPaymentID, p.DiscountCode, p.InvoiceNumber, p.Kind,
			p.Applied, p.DateCreated, p.DateModified).Scan(&p.ID); err != nil {
			return err
		}
		return events.Insert(ctx, tx, payments.Events(nil, p)...)
	})
	if err != nil {
		p.ID, p.InvoiceNumber = 0, ""
	}
	return paymentErr(err)
}

// Get returns payment id.
func (s *Payments) Get(ctx context.Context, id int64) (payments.Payment, error) {
	p, err := scanPayment(db(ctx, s.pool).QueryRow(ctx, `SELECT `+paymentColumns+` FROM payments WHERE id = $1`, id))
	return p, paymentErr(err)
}

var paymentOrder = map[payments.Order]string{
	payments.ByID: "id", payments.ByDateCreated: "date_created", payments.ByTotal: "total", payments.ByStatus: "status",
}

// List filters, orders and pages payments.
func (s *Payments) List(ctx context.Context, f payments.ListFilter) ([]payments.Payment, int, error) {
	col, ok := paymentOrder[f.OrderBy]
	if f.OrderBy == "" {
		col, ok = "id", true
	}
	if !ok {
		return nil, 0, errs.InvalidField("orderby", "Unknown sort key.")
	}
	var conds []string
	var args []any
	param := func(v any) string { args = append(args, v); return "$" + strconv.Itoa(len(args)) }
	if f.CustomerID != 0 {
		conds = append(conds, "customer_id = "+param(f.CustomerID))
	}
	if f.MembershipID != 0 {
		conds = append(conds, "membership_id = "+param(f.MembershipID))
	}
	if f.Status != "" {
		conds = append(conds, "status = "+param(f.Status))
	}
	if f.CreatedFrom != nil {
		conds = append(conds, "date_created >= "+param(*f.CreatedFrom))
	}
	if f.CreatedTo != nil {
		conds = append(conds, "date_created <= "+param(*f.CreatedTo))
	}
	if f.Search != "" {
		p := param(likePattern(strings.ToLower(f.Search)))
		conds = append(conds, "(lower(invoice_number) LIKE "+p+" OR lower(gateway_payment_id) LIKE "+p+")")
	}
	cond := whereOf(conds)
	dir := direction(f.Desc)
	return pageOf(ctx, db(ctx, s.pool), "payments", paymentColumns, cond, " ORDER BY "+col+dir+", id"+dir,
		args, f.Offset, f.Limit, scanPayment, paymentErr)
}

// Update applies fn to payment id.
func (s *Payments) Update(ctx context.Context, id int64, fn func(*payments.Payment) error) (payments.Payment, error) {
	var out payments.Payment
	var fnErr error
	err := inTx(ctx, s.pool, func(tx pgx.Tx) error {
		old, err := scanPayment(tx.QueryRow(ctx, `SELECT `+paymentColumns+` FROM payments WHERE id = $1 FOR UPDATE`, id))
		if err != nil {
			return err
		}
		p := old
		if fnErr = fn(&p); fnErr != nil {
			return fnErr
		}
		p.ID, p.InvoiceNumber, p.DateCreated, p.DateModified = old.ID, old.InvoiceNumber, old.DateCreated, micro(p.DateModified)
		out = p
		if reflect.DeepEqual(old, p) {
			return nil
		}
		if _, err := tx.Exec(ctx, `UPDATE payments SET customer_id = $2, membership_id = NULLIF($3, 0::bigint),
				product_id = NULLIF($4, 0::bigint), parent_id = $5, currency = $6, subtotal = $7, tax_total = $8,
				discount_total = $9, refund_total = $10, total = $11, status = $12, gateway = $13,
				gateway_payment_id = $14, discount_code = $15, kind = $16, applied = $17, date_modified = $18
			WHERE id = $1`, p.ID, p.CustomerID, p.MembershipID, p.ProductID, p.ParentID, p.Currency, p.Subtotal,
			p.TaxTotal, p.DiscountTotal, p.RefundTotal, p.Total, p.Status, p.Gateway, p.GatewayPaymentID,
			p.DiscountCode, p.Kind, p.Applied, p.DateModified); err != nil {
			return err
		}
		return events.Insert(ctx, tx, payments.Events(&old, &p)...)
	})
	if fnErr != nil {
		return payments.Payment{}, fnErr
	}
	if err != nil {
		return payments.Payment{}, paymentErr(err)
	}
	return out, nil
}

// Delete removes payment id.
func (s *Payments) Delete(ctx context.Context, id int64) (payments.Payment, error) {
	var p payments.Payment
	err := inTx(ctx, s.pool, func(tx pgx.Tx) error {
		var err error
		if p, err = scanPayment(tx.QueryRow(ctx, `DELETE FROM payments WHERE id = $1 RETURNING `+paymentColumns, id)); err != nil {
			return err
		}
		return events.Insert(ctx, tx, payments.Events(&p, nil)...)
	})
	return p, paymentErr(err)
}
