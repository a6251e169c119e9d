package customers

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/hostplane/hostplane/libs/errs"
	"github.com/hostplane/hostplane/libs/principal"
)

// Service manages customers. A caller whose key is restricted to one
// customer sees only that customer: any other id is not found (never
// forbidden, so ids do not leak), and it cannot create customers.
type Service interface {
	// Create makes a customer, and its user when in names no user_id.
	Create(ctx context.Context, in NewCustomer) (Customer, error)
	Get(ctx context.Context, id int64) (Customer, error)
	List(ctx context.Context, f ListFilter) ([]Customer, int, error)
	// Update changes the fields p sets and nothing else.
	Update(ctx context.Context, id int64, p Patch) (Customer, error)
	// Delete removes a customer (not its user) and returns it as it was.
	Delete(ctx context.Context, id int64) (Customer, error)
}

// PasswordHasher turns a password into the string stored for it
// (password.Argon2id in production, cheap parameters in tests).
type PasswordHasher interface {
	Hash(password string) (string, error)
}

// MaxSearch bounds the search term of lists.
const MaxSearch = 200

type service struct {
	store  Store
	hasher PasswordHasher
	now    func() time.Time
}

// NewService returns the customer service over store. Passwords are hashed
// with hasher; now (nil: time.Now) dates every change.
//
// Events: when billing gains its outbox, Create, Update and Delete write
// customer.created/updated/deleted in the store's transaction; the seam is
// the Store, whose adapters will take an outbox next to each change.
func NewService(store Store, hasher PasswordHasher, now func() time.Time) Service {
	if now == nil {
		now = time.Now
	}
	return &service{store: store, hasher: hasher, now: now}
}

// clock is the time of a change, to the second: every dialect shows dates
// to the second, so date filters then match what callers see.
func (s *service) clock() time.Time { return s.now().UTC().Truncate(time.Second) }

func notFound() error { return errs.NotFoundResource("customer", "") }

// visible reports whether the caller in ctx may see customer id.
func visible(ctx context.Context, id int64) bool {
	scope := principal.CustomerScope(ctx)
	return scope == 0 || scope == id
}

func (s *service) Create(ctx context.Context, in NewCustomer) (Customer, error) {
	if principal.CustomerScope(ctx) != 0 {
		return Customer{}, errs.New(errs.Forbidden, "Sorry, you are not allowed to do that: your key is restricted to one customer.")
	}
	in.normalize()
	if err := in.validate(); err != nil {
		return Customer{}, err
	}
	now := s.clock()
	c := Customer{
		UserID: in.UserID, Type: or(in.Type, DefaultType),
		EmailVerification: or(in.EmailVerification, VerificationNone), Status: or(in.Status, StatusActive),
		SignupForm: or(in.SignupForm, DefaultSignupForm), HasTrialed: in.HasTrialed, VIP: in.VIP,
		IPs: append([]string{}, in.IPs...), ExtraInformation: in.ExtraInformation,
		DateRegistered: now, DateCreated: now, DateModified: now, LastLogin: in.LastLogin,
	}
	if in.DateRegistered != nil {
		c.DateRegistered = *in.DateRegistered
	}
	if in.UserID == 0 {
		hash, err := s.hasher.Hash(in.Password)
		if err != nil {
			return Customer{}, fmt.Errorf("customers: hash password: %w", err)
		}
		c.User = User{
			Username: in.Username, Email: in.Email, DisplayName: or(in.DisplayName, in.Username),
			PasswordHash: hash, DateCreated: now,
		}
	}
	if err := s.store.Create(ctx, &c); err != nil {
		return Customer{}, err
	}
	return c, nil
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func (s *service) Get(ctx context.Context, id int64) (Customer, error) {
	if !visible(ctx, id) {
		return Customer{}, notFound()
	}
	return s.store.Get(ctx, id)
}

func (s *service) List(ctx context.Context, f ListFilter) ([]Customer, int, error) {
	if scope := principal.CustomerScope(ctx); scope != 0 {
		f.CustomerID = scope
	}
	var c errs.Collector
	if f.OrderBy == "" {
		f.OrderBy = ByID
	}
	if !slices.Contains(Orders, f.OrderBy) {
		c.Invalid("orderby", "Unknown sort key.")
	}
	if f.Status != "" && !slices.Contains(Statuses, f.Status) {
		c.Invalid("status", "Must be one of: "+strings.Join(Statuses, ", ")+".")
	}
	if !utf8.ValidString(f.Search) || strings.ContainsRune(f.Search, 0) {
		c.Invalid("search", "Must be valid UTF-8 text.")
	} else if utf8.RuneCountInString(f.Search) > MaxSearch {
		c.Invalid("search", fmt.Sprintf("Must be at most %d characters.", MaxSearch))
	}
	if f.Offset < 0 || f.Limit < 0 {
		c.Invalid("page", "Out of range.")
	}
	if err := c.Err(); err != nil {
		return nil, 0, err
	}
	return s.store.List(ctx, f)
}

func (s *service) Update(ctx context.Context, id int64, p Patch) (Customer, error) {
	if !visible(ctx, id) {
		return Customer{}, notFound()
	}
	p.normalize()
	if err := p.validate(); err != nil {
		// An unknown id answers 404 whatever the body says.
		if _, gerr := s.store.Get(ctx, id); gerr != nil {
			return Customer{}, gerr
		}
		return Customer{}, err
	}
	if p.Empty() {
		return s.store.Get(ctx, id)
	}
	var hash string
	if p.Password != nil {
		h, err := s.hasher.Hash(*p.Password)
		if err != nil {
			return Customer{}, fmt.Errorf("customers: hash password: %w", err)
		}
		hash = h
	}
	now := s.clock()
	return s.store.Update(ctx, id, func(c *Customer) error {
		p.apply(c, hash)
		c.DateModified = now
		return nil
	})
}

func (s *service) Delete(ctx context.Context, id int64) (Customer, error) {
	if !visible(ctx, id) {
		return Customer{}, notFound()
	}
	return s.store.Delete(ctx, id)
}
