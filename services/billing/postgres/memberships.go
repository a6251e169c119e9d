package postgres

import (
	"context"
	"reflect"
	"strconv"
	"strings"

	"github.com/hostplane/hostplane/libs/errs"
	"github.com/hostplane/hostplane/libs/events"
	"github.com/hostplane/hostplane/libs/pgkit"
	"github.com/hostplane/hostplane/services/billing/memberships"
	"github.com/hostplane/hostplane/services/billing/txn"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Memberships is the PostgreSQL memberships.Store.
type Memberships struct{ pool *pgxpool.Pool }

// NewMemberships returns a store on pool.
func NewMemberships(pool *pgxpool.Pool) *Memberships { return &Memberships{pool: pool} }

var membershipConstraints = map[string]string{
	"memberships_customer_id_fkey": "customer_id",
	"memberships_plan_id_fkey":     "plan_id",
}

func membershipErr(err error) error { return pgkit.MapError(err, "membership", membershipConstraints) }

const membershipColumns = `id, customer_id, plan_id, addons, currency, initial_amount, amount, recurring, auto_renew,
	duration, duration_unit, status, times_billed, billing_cycles, gateway, gateway_customer_id,
	gateway_subscription_id, site_id, signup_method, suspend_reason, cancellation_reason, renewal_payment_id,
	date_created, date_modified, date_activated, date_trial_end, date_renewed, date_cancellation, date_expiration`

func scanMembership(row pgx.Row) (memberships.Membership, error) {
	var m memberships.Membership
	err := row.Scan(&m.ID, &m.CustomerID, &m.PlanID, &m.Addons, &m.Currency, &m.InitialAmount, &m.Amount,
		&m.Recurring, &m.AutoRenew, &m.Duration, &m.DurationUnit, &m.Status, &m.TimesBilled, &m.BillingCycles,
		&m.Gateway, &m.GatewayCustomerID, &m.GatewaySubscriptionID, &m.SiteID, &m.SignupMethod, &m.SuspendReason,
		&m.CancellationReason, &m.RenewalPaymentID, &m.DateCreated, &m.DateModified, &m.DateActivated,
		&m.DateTrialEnd, &m.DateRenewed, &m.DateCancellation, &m.DateExpiration)
	normalizeMembership(&m)
	return m, err
}

// normalizeMembership keeps what PostgreSQL keeps: UTC microseconds, and
// an empty add-on list rather than none.
func normalizeMembership(m *memberships.Membership) {
	*m = m.Clone()
	m.DateCreated, m.DateModified = micro(m.DateCreated), micro(m.DateModified)
	m.DateActivated, m.DateTrialEnd, m.DateRenewed = microPtr(m.DateActivated), microPtr(m.DateTrialEnd), microPtr(m.DateRenewed)
	m.DateCancellation, m.DateExpiration = microPtr(m.DateCancellation), microPtr(m.DateExpiration)
}

func membershipArgs(m *memberships.Membership) []any {
	return []any{m.CustomerID, m.PlanID, m.Addons, m.Currency, m.InitialAmount, m.Amount, m.Recurring, m.AutoRenew,
		m.Duration, m.DurationUnit, m.Status, m.TimesBilled, m.BillingCycles, m.Gateway, m.GatewayCustomerID,
		m.GatewaySubscriptionID, m.SiteID, m.SignupMethod, m.SuspendReason, m.CancellationReason, m.RenewalPaymentID,
		m.DateCreated, m.DateModified, m.DateActivated, m.DateTrialEnd, m.DateRenewed, m.DateCancellation, m.DateExpiration}
}

// Create inserts m.
func (s *Memberships) Create(ctx context.Context, m *memberships.Membership) error {
	normalizeMembership(m)
	err := inTx(ctx, s.pool, func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, `INSERT INTO memberships (`+strings.TrimPrefix(membershipColumns, "id, ")+`)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21,
				$22, $23, $24, $25, $26, $27, $28) RETURNING id`, membershipArgs(m)...).Scan(&m.ID); err != nil {
			return err
		}
		return events.Insert(ctx, tx, memberships.Events(nil, m)...)
	})
	if err != nil {
		m.ID = 0
		return membershipErr(err)
	}
	txn.MemoOf(ctx).Put(memoMembership, m.ID, m.Clone(), txOf(ctx) != nil)
	return nil
}

// Get returns membership id (the unit of work's copy when it holds one:
// see txn.Memo).
func (s *Memberships) Get(ctx context.Context, id int64) (memberships.Membership, error) {
	if v, _, ok := txn.MemoOf(ctx).Get(memoMembership, id); ok {
		return v.(memberships.Membership).Clone(), nil
	}
	m, err := scanMembership(db(ctx, s.pool).QueryRow(ctx, `SELECT `+membershipColumns+` FROM memberships WHERE id = $1`, id))
	return m, membershipErr(err)
}

var membershipOrder = map[memberships.Order]string{
	memberships.ByID: "id", memberships.ByDateCreated: "date_created", memberships.ByDateModified: "date_modified",
	memberships.ByDateExpiration: "date_expiration", memberships.ByAmount: "amount", memberships.ByStatus: "status",
}

// List filters, orders and pages memberships.
func (s *Memberships) List(ctx context.Context, f memberships.ListFilter) ([]memberships.Membership, int, error) {
	col, ok := membershipOrder[f.OrderBy]
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
	if f.SiteID != 0 {
		conds = append(conds, "site_id = "+param(f.SiteID))
	}
	if f.PlanID != 0 {
		conds = append(conds, "plan_id = "+param(f.PlanID))
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
		conds = append(conds, "(lower(gateway) LIKE "+p+" OR lower(gateway_customer_id) LIKE "+p+
			" OR lower(gateway_subscription_id) LIKE "+p+")")
	}
	cond := whereOf(conds)
	dir := direction(f.Desc)
	return pageOf(ctx, db(ctx, s.pool), "memberships", membershipColumns, cond, " ORDER BY "+col+dir+" NULLS LAST, id"+dir,
		args, f.Offset, f.Limit, scanMembership, membershipErr)
}

// Update applies fn to membership id.
func (s *Memberships) Update(ctx context.Context, id int64, fn func(*memberships.Membership) error) (memberships.Membership, error) {
	var out memberships.Membership
	var fnErr error
	memo := txn.MemoOf(ctx)
	err := inTx(ctx, s.pool, func(tx pgx.Tx) error {
		var old memberships.Membership
		if v, written, ok := memo.Get(memoMembership, id); ok && written && txOf(ctx) != nil {
			// Written by this transaction: locked by it, as it reads it.
			old = v.(memberships.Membership).Clone()
		} else {
			var err error
			if old, err = scanMembership(tx.QueryRow(ctx, `SELECT `+membershipColumns+` FROM memberships WHERE id = $1 FOR UPDATE`, id)); err != nil {
				return err
			}
		}
		m := old.Clone()
		if fnErr = fn(&m); fnErr != nil {
			return fnErr
		}
		m.ID, m.DateCreated = old.ID, old.DateCreated
		normalizeMembership(&m)
		out = m
		if reflect.DeepEqual(old, m) {
			return nil
		}
		if _, err := tx.Exec(ctx, `UPDATE memberships SET customer_id = $1, plan_id = $2, addons = $3, currency = $4,
				initial_amount = $5, amount = $6, recurring = $7, auto_renew = $8, duration = $9, duration_unit = $10,
				status = $11, times_billed = $12, billing_cycles = $13, gateway = $14, gateway_customer_id = $15,
				gateway_subscription_id = $16, site_id = $17, signup_method = $18, suspend_reason = $19,
				cancellation_reason = $20, renewal_payment_id = $21, date_created = $22, date_modified = $23,
				date_activated = $24, date_trial_end = $25, date_renewed = $26, date_cancellation = $27,
				date_expiration = $28
			WHERE id = $29`, append(membershipArgs(&m), m.ID)...); err != nil {
			return err
		}
		return events.Insert(ctx, tx, memberships.Events(&old, &m)...)
	})
	if fnErr != nil {
		return memberships.Membership{}, fnErr
	}
	if err != nil {
		memo.Forget(memoMembership, id)
		return memberships.Membership{}, membershipErr(err)
	}
	memo.Put(memoMembership, id, out.Clone(), txOf(ctx) != nil)
	return out, nil
}

// Delete removes membership id (its payments keep their history).
func (s *Memberships) Delete(ctx context.Context, id int64) (memberships.Membership, error) {
	txn.MemoOf(ctx).Forget(memoMembership, id)
	var m memberships.Membership
	err := inTx(ctx, s.pool, func(tx pgx.Tx) error {
		var err error
		if m, err = scanMembership(tx.QueryRow(ctx, `DELETE FROM memberships WHERE id = $1 RETURNING `+membershipColumns, id)); err != nil {
			return err
		}
		return events.Insert(ctx, tx, memberships.Events(&m, nil)...)
	})
	return m, membershipErr(err)
}
