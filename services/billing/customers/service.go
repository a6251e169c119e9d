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
	// Act applies a status action (ActionSuspend, ActionReactivate,
	// ActionBan): a conflict when the customer's status does not allow it.
	Act(ctx context.Context, id int64, action string) (Customer, error)
}

// PasswordHasher turns a password into the string stored for it
// (password.Argon2id in production, cheap parameters in tests).
type PasswordHasher interface {
	Hash(password string) (string, error)
}

// MaxSearch bounds the search term of lists.
const MaxSearch = 200

// SearchSeparator separates the fields a search looks in; no search may
// contain it.
const SearchSeparator = "\x1f"

type service struct {
	store  Store
	hasher PasswordHasher
	now    func() time.Time
}

// NewService returns the customer service over store. Passwords are hashed
// with hasher; now (nil: time.Now) dates every change. The store writes
// customer.created, .updated and .deleted with each change (Events).
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
	c.Contact = in.Contact
	if in.UserID == 0 {
		hash := in.PasswordHash
		if hash == "" {
			h, err := s.hasher.Hash(in.Password)
			if err != nil {
				return Customer{}, fmt.Errorf("customers: hash password: %w", err)
			}
			hash = h
		}
		name := strings.TrimSpace(in.Contact.Firstname + " " + in.Contact.Lastname)
		c.User = User{
			Username: in.Username, Email: in.Email, DisplayName: or(in.DisplayName, or(name, in.Username)),
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
	if f.EmailVerification != "" && !slices.Contains(EmailVerifications, f.EmailVerification) {
		c.Invalid("email_verification", "Must be one of: "+strings.Join(EmailVerifications, ", ")+".")
	}
	if !utf8.ValidString(f.Email) || strings.ContainsRune(f.Email, 0) || len(f.Email) > 254 {
		c.Invalid("email", "Must be an email address of at most 254 characters.")
	}
	if !utf8.ValidString(f.Search) || strings.ContainsRune(f.Search, 0) || strings.Contains(f.Search, SearchSeparator) {
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

// HashPassword hashes a password as Create would, for a caller that
// creates the customer later with NewCustomer.PasswordHash (checkout hashes
// before opening its transaction).
func HashPassword(h PasswordHasher, password string) (string, error) {
	var c errs.Collector
	checkPassword(&c, password)
	if err := c.Err(); err != nil {
		return "", err
	}
	hash, err := h.Hash(password)
	if err != nil {
		return "", fmt.Errorf("customers: hash password: %w", err)
	}
	return hash, nil
}

func (s *service) Act(ctx context.Context, id int64, action string) (Customer, error) {
	if !visible(ctx, id) {
		return Customer{}, notFound()
	}
	a, ok := actions[action]
	if !ok {
		return Customer{}, errs.InvalidField("action", "Must be one of: "+strings.Join(Actions, ", ")+".")
	}
	now := s.clock()
	return s.store.Update(ctx, id, func(c *Customer) error {
		if !slices.Contains(a.from, c.Status) {
			return &errs.Error{Kind: errs.Conflict, Reason: "status_transition",
				Message: fmt.Sprintf("The customer is %s: it cannot be %s.", c.Status, past(action)),
				Params:  map[string]string{"status": "Is " + c.Status + "."}}
		}
		c.Status = a.to
		c.DateModified = now
		return nil
	})
}

func past(action string) string {
	switch action {
	case ActionBan:
		return "banned"
	case ActionSuspend:
		return "suspended"
	}
	return "reactivated"
}
