// Package memory holds the billing service's in-memory store adapters, used
// in single-node mode and fast tests. They honour the same contract as the
// PostgreSQL adapters (see storetest).
package memory

import (
	"cmp"
	"context"
	"reflect"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/hostplane/hostplane/libs/errs"
	"github.com/hostplane/hostplane/libs/events"
	"github.com/hostplane/hostplane/services/billing/customers"
)

// Customers is an in-memory customers.Store.
type Customers struct {
	mu         sync.RWMutex
	nextUser   int64
	nextCust   int64
	users      map[int64]*customers.User
	byUsername map[string]int64 // username → user id
	byEmail    map[string]int64 // lower(email) → user id
	customers  map[int64]*customers.Customer
	byUser     map[int64]int64 // user id → customer id
	userBorn   map[int64]int64 // user id → the customer it was created with
	outbox     *events.MemoryOutbox
	// inUse reports whether memberships or payments name a customer (set
	// by NewStores).
	inUse func(id int64) bool
}

// NewCustomers returns an empty store writing its events to outbox (nil:
// none).
func NewCustomers(outbox *events.MemoryOutbox) *Customers {
	return &Customers{
		users: map[int64]*customers.User{}, byUsername: map[string]int64{}, byEmail: map[string]int64{},
		customers: map[int64]*customers.Customer{}, byUser: map[int64]int64{}, userBorn: map[int64]int64{},
		outbox: outbox,
	}
}

func conflict(field string) error {
	return &errs.Error{Kind: errs.Conflict, Message: "The " + field + " is already in use.", Params: map[string]string{field: "Already in use."}}
}

func notFound() error { return errs.NotFoundResource("customer", "") }

// Timestamps are kept to the microsecond, as PostgreSQL keeps them.
func micro(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

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

// read returns customer id joined with its current user; s.mu is held.
func (s *Customers) read(id int64) (customers.Customer, bool) {
	c, ok := s.customers[id]
	if !ok {
		return customers.Customer{}, false
	}
	out := c.Clone()
	out.User = *s.users[c.UserID]
	return out, true
}

// Create inserts c, and its user when c.UserID is 0.
func (s *Customers) Create(ctx context.Context, c *customers.Customer) error {
	if err := s.create(c); err != nil {
		return err
	}
	id, userID, newUser := c.ID, c.UserID, s.userIsNew(c.UserID, c.ID)
	onRollback(ctx, func() { s.forget(id, userID, newUser) })
	publish(ctx, s.outbox, customers.Events(nil, c))
	return nil
}

// userIsNew reports whether user userID was created with customer id (it
// has no older customer): a rolled-back creation removes both.
func (s *Customers) userIsNew(userID, id int64) bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.userBorn[userID] == id
}

// forget undoes a creation: the customer, and its user when it was new.
func (s *Customers) forget(id, userID int64, user bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.customers, id)
	delete(s.byUser, userID)
	if u, ok := s.users[userID]; ok && user {
		delete(s.byUsername, u.Username)
		delete(s.byEmail, strings.ToLower(u.Email))
		delete(s.users, userID)
		delete(s.userBorn, userID)
	}
}

func (s *Customers) create(c *customers.Customer) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c.UserID == 0 {
		if _, dup := s.byUsername[c.User.Username]; dup {
			return conflict("username")
		}
		if _, dup := s.byEmail[strings.ToLower(c.User.Email)]; dup {
			return conflict("email")
		}
	} else {
		u, ok := s.users[c.UserID]
		if !ok {
			return errs.InvalidField("user_id", "No user exists with this id.")
		}
		if _, taken := s.byUser[c.UserID]; taken {
			return conflict("user_id")
		}
		c.User = *u
	}
	normalizeTimes(c)
	if c.UserID == 0 {
		s.nextUser++
		c.User.ID, c.UserID = s.nextUser, s.nextUser
		u := c.User
		s.users[u.ID] = &u
		s.byUsername[u.Username] = u.ID
		s.byEmail[strings.ToLower(u.Email)] = u.ID
		s.userBorn[u.ID] = s.nextCust + 1
	}
	s.nextCust++
	c.ID = s.nextCust
	stored := c.Clone()
	stored.User = customers.User{}
	s.customers[c.ID] = &stored
	s.byUser[c.UserID] = c.ID
	return nil
}

// Get returns a customer with its user.
func (s *Customers) Get(_ context.Context, id int64) (customers.Customer, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	c, ok := s.read(id)
	if !ok {
		return customers.Customer{}, notFound()
	}
	return c, nil
}

// List filters, orders and pages customers.
func (s *Customers) List(_ context.Context, f customers.ListFilter) ([]customers.Customer, int, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	search := strings.ToLower(f.Search)
	var all []customers.Customer
	for id := range s.customers {
		c, _ := s.read(id)
		switch {
		case f.CustomerID != 0 && c.ID != f.CustomerID,
			f.Status != "" && c.Status != f.Status,
			f.EmailVerification != "" && c.EmailVerification != f.EmailVerification,
			f.Email != "" && !strings.EqualFold(c.User.Email, f.Email),
			f.CreatedFrom != nil && c.DateCreated.Before(*f.CreatedFrom),
			f.CreatedTo != nil && c.DateCreated.After(*f.CreatedTo),
			search != "" && !matches(c, search):
			continue
		}
		all = append(all, c)
	}
	by := customers.CompareBy(f.OrderBy)
	slices.SortFunc(all, func(a, b customers.Customer) int {
		n := by(a, b)
		if n == 0 {
			n = cmp.Compare(a.ID, b.ID)
		}
		if f.Desc {
			n = -n
		}
		return n
	})
	total := len(all)
	if f.Offset >= total {
		return []customers.Customer{}, total, nil
	}
	end := total
	if f.Limit > 0 && f.Offset+f.Limit < end {
		end = f.Offset + f.Limit
	}
	return all[f.Offset:end], total, nil
}

func matches(c customers.Customer, lowerSearch string) bool {
	for _, s := range []string{c.User.Username, c.User.Email, c.User.DisplayName, c.ExtraInformation,
		c.Contact.Firstname, c.Contact.Lastname, c.Contact.CompanyName} {
		if strings.Contains(strings.ToLower(s), lowerSearch) {
			return true
		}
	}
	return false
}

// Update applies fn to customer id and its user atomically.
func (s *Customers) Update(ctx context.Context, id int64, fn func(*customers.Customer) error) (customers.Customer, error) {
	old, c, err := s.update(id, fn)
	if err != nil || reflect.DeepEqual(old, c) {
		return c, err
	}
	onRollback(ctx, func() { s.restore(old) })
	publish(ctx, s.outbox, customers.Events(&old, &c))
	return c, nil
}

// restore puts a customer and its user back as they were.
func (s *Customers) restore(c customers.Customer) {
	_, _, _ = s.update(c.ID, func(x *customers.Customer) error { *x = c.Clone(); return nil })
}

func (s *Customers) update(id int64, fn func(*customers.Customer) error) (customers.Customer, customers.Customer, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	old, ok := s.read(id)
	if !ok {
		return old, customers.Customer{}, notFound()
	}
	c := old.Clone()
	if err := fn(&c); err != nil {
		return old, customers.Customer{}, err
	}
	c.ID, c.UserID, c.User.ID = old.ID, old.UserID, old.User.ID
	c.User.DateCreated = old.User.DateCreated
	oldEmail, newEmail := strings.ToLower(old.User.Email), strings.ToLower(c.User.Email)
	if c.User.Username != old.User.Username {
		if _, dup := s.byUsername[c.User.Username]; dup {
			return old, customers.Customer{}, conflict("username")
		}
	}
	if newEmail != oldEmail {
		if _, dup := s.byEmail[newEmail]; dup {
			return old, customers.Customer{}, conflict("email")
		}
	}
	normalizeTimes(&c)
	delete(s.byUsername, old.User.Username)
	delete(s.byEmail, oldEmail)
	s.byUsername[c.User.Username] = c.UserID
	s.byEmail[newEmail] = c.UserID
	u := c.User
	s.users[u.ID] = &u
	stored := c.Clone()
	stored.User = customers.User{}
	s.customers[id] = &stored
	return old, c, nil
}

// Delete removes a customer, keeping its user.
func (s *Customers) Delete(ctx context.Context, id int64) (customers.Customer, error) {
	if s.inUse != nil && s.inUse(id) {
		if _, err := s.Get(ctx, id); err != nil {
			return customers.Customer{}, err
		}
		return customers.Customer{}, inUseError()
	}
	s.mu.Lock()
	c, ok := s.read(id)
	if !ok {
		s.mu.Unlock()
		return customers.Customer{}, notFound()
	}
	delete(s.customers, id)
	delete(s.byUser, c.UserID)
	s.mu.Unlock()
	onRollback(ctx, func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		stored := c.Clone()
		stored.User = customers.User{}
		s.customers[id] = &stored
		s.byUser[c.UserID] = id
	})
	publish(ctx, s.outbox, customers.Events(&c, nil))
	return c, nil
}
