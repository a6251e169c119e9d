package postgres

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/hostplane/hostplane/libs/errs"
	"github.com/hostplane/hostplane/libs/events"
	"github.com/hostplane/hostplane/libs/pgkit"
	"github.com/hostplane/hostplane/services/billing/customers"
	"github.com/hostplane/hostplane/services/billing/txn"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Customers is the PostgreSQL customers.Store. List totals by status and
// email verification come from customer_counts; large lists go through a
// per-instance cache (listCache): a search's ordered ids, the total of a
// filter customer_counts cannot answer.
type Customers struct {
	pool  *pgxpool.Pool
	cache *listCache
	walk  *walkLimits
}

// NewCustomers returns a store on pool.
func NewCustomers(pool *pgxpool.Pool) *Customers {
	return &Customers{pool: pool, cache: newListCache(), walk: defaultWalkLimits()}
}

// changed drops the list cache around a write.
func (s *Customers) changed() { s.cache.invalidate() }

// constraints names the field each constraint guards.
var constraints = map[string]string{
	"users_username_key":     "username",
	"users_email_lower_key":  "email",
	"customers_user_id_key":  "user_id",
	"customers_user_id_fkey": "user_id",
}

// mapErr maps a pgx error once; errors already typed pass unchanged.
func mapErr(err error) error {
	var typed *errs.Error
	if errors.As(err, &typed) {
		return err
	}
	return pgkit.MapError(err, "customer", constraints)
}

// columns are read FROM customers c JOIN users u.
const columns = `c.id, c.user_id, c.type, c.email_verification, c.has_trialed, c.vip, c.ips,
	c.extra_information, c.signup_form, c.status, c.date_registered, c.date_created, c.date_modified,
	c.last_login, c.firstname, c.lastname, c.company_name, c.phone, c.address, c.address2, c.city,
	c.region, c.zipcode, c.country, u.id, u.username, u.email, u.display_name, u.password_hash, u.date_created`

const joined = ` FROM customers c JOIN users u ON u.id = c.user_id`

func scanCustomer(row pgx.Row) (customers.Customer, error) {
	var c customers.Customer
	k := &c.Contact
	err := row.Scan(&c.ID, &c.UserID, &c.Type, &c.EmailVerification, &c.HasTrialed, &c.VIP, &c.IPs,
		&c.ExtraInformation, &c.SignupForm, &c.Status, &c.DateRegistered, &c.DateCreated, &c.DateModified,
		&c.LastLogin, &k.Firstname, &k.Lastname, &k.CompanyName, &k.Phone, &k.Address, &k.Address2, &k.City,
		&k.Region, &k.Zipcode, &k.Country, &c.User.ID, &c.User.Username, &c.User.Email, &c.User.DisplayName,
		&c.User.PasswordHash, &c.User.DateCreated)
	normalizeTimes(&c)
	return c, err
}

// normalizeTimes keeps what PostgreSQL keeps: UTC, to the microsecond.
func normalizeTimes(c *customers.Customer) {
	c.DateRegistered, c.DateCreated, c.DateModified = micro(c.DateRegistered), micro(c.DateCreated), micro(c.DateModified)
	c.User.DateCreated = micro(c.User.DateCreated)
	if c.LastLogin != nil {
		t := micro(*c.LastLogin)
		c.LastLogin = &t
	}
	if c.IPs == nil {
		c.IPs = []string{}
	}
}

func micro(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

func microPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := micro(*t)
	return &u
}

// searchText is what searches look in, lower case (customers.ListFilter):
// the fields joined by the unit separator, which no search may contain, so
// that a match never spans two fields.
func searchText(c *customers.Customer) string {
	parts := []string{c.User.Username, c.User.Email, c.User.DisplayName, c.ExtraInformation,
		c.Contact.Firstname, c.Contact.Lastname, c.Contact.CompanyName}
	return strings.ToLower(strings.Join(parts, customers.SearchSeparator))
}

// Create inserts c, and its user first when c.UserID is 0.
func (s *Customers) Create(ctx context.Context, c *customers.Customer) error {
	s.changed()
	defer s.changed()
	normalizeTimes(c)
	userID, user := c.UserID, c.User
	err := inTx(ctx, s.pool, func(tx pgx.Tx) error {
		if c.UserID == 0 {
			u := &c.User
			if err := tx.QueryRow(ctx, `INSERT INTO users (username, email, display_name, password_hash, date_created)
				VALUES ($1, $2, $3, $4, $5) RETURNING id`,
				u.Username, u.Email, u.DisplayName, u.PasswordHash, u.DateCreated).Scan(&u.ID); err != nil {
				return err
			}
			c.UserID = u.ID
		} else {
			err := tx.QueryRow(ctx, `SELECT id, username, email, display_name, password_hash, date_created
				FROM users WHERE id = $1 FOR KEY SHARE`, c.UserID).
				Scan(&c.User.ID, &c.User.Username, &c.User.Email, &c.User.DisplayName, &c.User.PasswordHash, &c.User.DateCreated)
			if errors.Is(err, pgx.ErrNoRows) {
				return errs.InvalidField("user_id", "No user exists with this id.")
			}
			if err != nil {
				return err
			}
			c.User.DateCreated = micro(c.User.DateCreated)
		}
		k := c.Contact
		if err := tx.QueryRow(ctx, `INSERT INTO customers (user_id, type, email_verification, has_trialed, vip, ips,
				extra_information, signup_form, status, date_registered, date_created, date_modified, last_login,
				firstname, lastname, company_name, phone, address, address2, city, region, zipcode, country, search_text)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24)
			RETURNING id`,
			c.UserID, c.Type, c.EmailVerification, c.HasTrialed, c.VIP, c.IPs, c.ExtraInformation, c.SignupForm,
			c.Status, c.DateRegistered, c.DateCreated, c.DateModified, c.LastLogin,
			k.Firstname, k.Lastname, k.CompanyName, k.Phone, k.Address, k.Address2, k.City, k.Region, k.Zipcode, k.Country,
			searchText(c)).Scan(&c.ID); err != nil {
			return err
		}
		return events.Insert(ctx, tx, customers.Events(nil, c)...)
	})
	if err != nil {
		// The transaction rolled back: nothing was created.
		c.ID, c.UserID, c.User = 0, userID, user
		return mapErr(err)
	}
	txn.MemoOf(ctx).Put(memoCustomer, c.ID, c.Clone(), txOf(ctx) != nil)
	return nil
}

// Get returns a customer with its user (the unit of work's copy when it
// holds one: see txn.Memo).
func (s *Customers) Get(ctx context.Context, id int64) (customers.Customer, error) {
	if v, _, ok := txn.MemoOf(ctx).Get(memoCustomer, id); ok {
		return v.(customers.Customer).Clone(), nil
	}
	c, err := scanCustomer(db(ctx, s.pool).QueryRow(ctx, `SELECT `+columns+joined+` WHERE c.id = $1`, id))
	return c, mapErr(err)
}

// orderColumns maps each sort key to its fixed column: no SQL is ever made
// from input.
var orderColumns = map[customers.Order]string{
	customers.ByID:                "c.id",
	customers.ByDateRegistered:    "c.date_registered",
	customers.ByDateCreated:       "c.date_created",
	customers.ByDateModified:      "c.date_modified",
	customers.ByLastLogin:         "c.last_login",
	customers.ByUserID:            "c.user_id",
	customers.ByVIP:               "c.vip",
	customers.ByEmailVerification: "c.email_verification",
}

// unique are the sort keys whose column is unique.
var unique = map[customers.Order]bool{customers.ByID: true, customers.ByUserID: true}

// likePattern matches s anywhere, its wildcard characters taken literally.
func likePattern(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + r.Replace(s) + "%"
}

// where builds the WHERE clause of f from fixed fragments; values only
// ever travel as parameters.
func where(f customers.ListFilter) (string, []any) {
	var conds []string
	var args []any
	param := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	if f.CustomerID != 0 {
		conds = append(conds, "c.id = "+param(f.CustomerID))
	}
	if f.Status != "" {
		conds = append(conds, "c.status = "+param(f.Status))
	}
	if f.EmailVerification != "" {
		conds = append(conds, "c.email_verification = "+param(f.EmailVerification))
	}
	if f.Email != "" {
		// users_email_lower_key finds the user.
		conds = append(conds, "c.user_id IN (SELECT id FROM users WHERE lower(email) = lower("+param(f.Email)+"))")
	}
	if f.CreatedFrom != nil {
		conds = append(conds, "c.date_created >= "+param(*f.CreatedFrom))
	}
	if f.CreatedTo != nil {
		conds = append(conds, "c.date_created <= "+param(*f.CreatedTo))
	}
	if f.Search != "" {
		conds = append(conds, "c.search_text LIKE "+param(likePattern(strings.ToLower(f.Search))))
	}
	if len(conds) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

// maxCachedIDs bounds the ids of one search the cache keeps (1.6 MB).
const maxCachedIDs = 200_000

// List filters, orders and pages customers. The page's ids are chosen on
// customers alone (its indexes), then joined to their users. A list
// filtered by status and email verification alone (or not at all) takes
// its total from customer_counts; a word search its total from
// customer_words and a page near the start from a walk of the order's
// index (words.go); any other search (or another filter outside a
// transaction) its total, and a search its ordered ids, from the list
// cache.
func (s *Customers) List(ctx context.Context, f customers.ListFilter) ([]customers.Customer, int, error) {
	if f.OrderBy == "" {
		f.OrderBy = customers.ByID
	}
	col, ok := orderColumns[f.OrderBy]
	if !ok {
		return nil, 0, errs.InvalidField("orderby", "Unknown sort key.")
	}
	q := db(ctx, s.pool)
	cond, args := where(f)
	dir := direction(f.Desc)
	order := ` ORDER BY ` + col + dir + `, c.id` + dir
	if unique[f.OrderBy] {
		// No tie to break: the column's own unique index gives the order.
		order = ` ORDER BY ` + col + dir
	}
	if countable(f) {
		// Exact totals from customer_counts; the page from an index.
		total, err := s.countedTotal(ctx, q, f)
		if err != nil {
			return nil, 0, mapErr(err)
		}
		return s.page(ctx, q, cond, order, args, f, total)
	}
	if f.CustomerID != 0 || txOf(ctx) != nil {
		// One customer at most, or inside a transaction: no cache.
		var total int
		if err := q.QueryRow(ctx, `SELECT count(*) FROM customers c`+cond, args...).Scan(&total); err != nil {
			return nil, 0, mapErr(err)
		}
		return s.page(ctx, q, cond, order, args, f, total)
	}
	key := fmt.Sprintf("%q|%s|%s|%q|%s|%s|%s|%v", f.Search, f.Status, f.EmailVerification, f.Email,
		stamp(f.CreatedFrom), stamp(f.CreatedTo), f.OrderBy, f.Desc)
	if wordSearch(f) && !s.cache.has(key) {
		// A word search without its ordered ids at hand: counted from the
		// words, a page near the start walked (words.go).
		out, total, ok, err := s.listWords(ctx, q, f, key, col, cond, order, args)
		if err != nil {
			return nil, 0, mapErr(err)
		}
		if ok {
			return out, total, nil
		}
	}
	e, err := s.cache.get(ctx, key, func(ctx context.Context) (cacheEntry, error) {
		if f.Search == "" {
			var total int
			err := s.pool.QueryRow(ctx, `SELECT count(*) FROM customers c`+cond, args...).Scan(&total)
			return cacheEntry{total: total}, err
		}
		rows, err := s.pool.Query(ctx, `SELECT c.id FROM customers c`+cond+order+` LIMIT `+strconv.Itoa(maxCachedIDs+1), args...)
		if err != nil {
			return cacheEntry{}, err
		}
		ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
		if err != nil {
			return cacheEntry{}, err
		}
		if len(ids) <= maxCachedIDs {
			return cacheEntry{ids: ids, total: len(ids)}, nil
		}
		var total int
		err = s.pool.QueryRow(ctx, `SELECT count(*) FROM customers c`+cond, args...).Scan(&total)
		return cacheEntry{total: total}, err
	})
	if err != nil {
		return nil, 0, mapErr(err)
	}
	if e.ids == nil {
		return s.page(ctx, q, cond, order, args, f, e.total)
	}
	end := len(e.ids)
	if f.Limit > 0 {
		end = min(end, f.Offset+f.Limit)
	}
	if f.Offset >= end {
		return []customers.Customer{}, e.total, nil
	}
	out, err := s.byIDs(ctx, q, e.ids[f.Offset:end])
	return out, e.total, err
}

// page reads one page of the customers cond selects, in order.
func (s *Customers) page(ctx context.Context, q querier, cond, order string, args []any, f customers.ListFilter, total int) ([]customers.Customer, int, error) {
	if total == 0 || f.Offset >= total {
		return []customers.Customer{}, total, nil
	}
	limit := f.Limit
	if limit <= 0 {
		limit = total
	}
	n := len(args)
	sql := `SELECT ` + columns + ` FROM (SELECT c.id FROM customers c` + cond + order +
		` LIMIT $` + strconv.Itoa(n+1) + ` OFFSET $` + strconv.Itoa(n+2) + `) page
		JOIN customers c ON c.id = page.id JOIN users u ON u.id = c.user_id` + order
	rows, err := q.Query(ctx, sql, append(args, limit, f.Offset)...)
	if err != nil {
		return nil, 0, mapErr(err)
	}
	out, err := collect(rows, scanCustomer, mapErr)
	return out, total, err
}

// byIDs reads the customers of ids, in that order (a customer deleted
// since the ids were listed is left out).
func (s *Customers) byIDs(ctx context.Context, q querier, ids []int64) ([]customers.Customer, error) {
	rows, err := q.Query(ctx, `SELECT `+columns+joined+` WHERE c.id = ANY($1)`, ids)
	if err != nil {
		return nil, mapErr(err)
	}
	found, err := collect(rows, scanCustomer, mapErr)
	if err != nil {
		return nil, err
	}
	by := make(map[int64]customers.Customer, len(found))
	for _, c := range found {
		by[c.ID] = c
	}
	out := make([]customers.Customer, 0, len(ids))
	for _, id := range ids {
		if c, ok := by[id]; ok {
			out = append(out, c)
		}
	}
	return out, nil
}

// Update applies fn to customer id and its user in one transaction, both
// rows locked.
func (s *Customers) Update(ctx context.Context, id int64, fn func(*customers.Customer) error) (customers.Customer, error) {
	s.changed()
	defer s.changed()
	txn.MemoOf(ctx).Forget(memoCustomer, id)
	var out customers.Customer
	var fnErr error
	err := inTx(ctx, s.pool, func(tx pgx.Tx) error {
		old, err := scanCustomer(tx.QueryRow(ctx, `SELECT `+columns+joined+` WHERE c.id = $1 FOR UPDATE OF c, u`, id))
		if err != nil {
			return err
		}
		c := old.Clone()
		if err := fn(&c); err != nil {
			fnErr = err
			return err
		}
		c.ID, c.UserID, c.User.ID, c.User.DateCreated = old.ID, old.UserID, old.User.ID, old.User.DateCreated
		normalizeTimes(&c)
		out = c
		if reflect.DeepEqual(old, c) {
			return nil
		}
		if c.User != old.User {
			if _, err := tx.Exec(ctx, `UPDATE users SET username = $2, email = $3, display_name = $4, password_hash = $5
				WHERE id = $1`, c.User.ID, c.User.Username, c.User.Email, c.User.DisplayName, c.User.PasswordHash); err != nil {
				return err
			}
		}
		k := c.Contact
		if _, err := tx.Exec(ctx, `UPDATE customers SET type = $2, email_verification = $3, has_trialed = $4, vip = $5,
				ips = $6, extra_information = $7, signup_form = $8, status = $9, date_registered = $10,
				date_modified = $11, last_login = $12, firstname = $13, lastname = $14, company_name = $15, phone = $16,
				address = $17, address2 = $18, city = $19, region = $20, zipcode = $21, country = $22, search_text = $23
			WHERE id = $1`, c.ID, c.Type, c.EmailVerification, c.HasTrialed, c.VIP, c.IPs, c.ExtraInformation,
			c.SignupForm, c.Status, c.DateRegistered, c.DateModified, c.LastLogin, k.Firstname, k.Lastname,
			k.CompanyName, k.Phone, k.Address, k.Address2, k.City, k.Region, k.Zipcode, k.Country, searchText(&c)); err != nil {
			return err
		}
		return events.Insert(ctx, tx, customers.Events(&old, &c)...)
	})
	if fnErr != nil {
		return customers.Customer{}, fnErr
	}
	if err != nil {
		return customers.Customer{}, mapErr(err)
	}
	return out, nil
}

// Delete removes a customer, keeping its user. A customer that memberships
// or payments still name is a conflict.
func (s *Customers) Delete(ctx context.Context, id int64) (customers.Customer, error) {
	s.changed()
	defer s.changed()
	txn.MemoOf(ctx).Forget(memoCustomer, id)
	var c customers.Customer
	err := inTx(ctx, s.pool, func(tx pgx.Tx) error {
		var err error
		c, err = scanCustomer(tx.QueryRow(ctx, `WITH d AS (DELETE FROM customers WHERE id = $1 RETURNING *)
			SELECT `+columns+` FROM d c JOIN users u ON u.id = c.user_id`, id))
		if err != nil {
			return err
		}
		return events.Insert(ctx, tx, customers.Events(&c, nil)...)
	})
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == "23503" {
		return customers.Customer{}, &errs.Error{Kind: errs.Conflict, Reason: "in_use", Err: err,
			Message: "The customer still has memberships or payments: delete or move them first."}
	}
	return c, mapErr(err)
}

// stamp names an optional time in a cache key.
func stamp(t *time.Time) string {
	if t == nil {
		return "-"
	}
	return t.UTC().Format(time.RFC3339Nano)
}
