package postgres_test

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hostplane/hostplane/services/billing/customers"
	"github.com/hostplane/hostplane/services/billing/postgres"
)

// wordsFixture is 400 customers registered a minute apart: first names
// and last names from small lists (a term matches a share of them),
// "zed" the last name of the 20 oldest alone (a walk from the newest
// finds none), a number in every username and email.
func wordsFixture(t *testing.T, s *postgres.Customers) []customers.Customer {
	t.Helper()
	ctx := context.Background()
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	firsts := []string{"john", "mary", "jean", "anne", "marty"}
	lasts := []string{"johnson", "brown", "lee", "martin", "smithers"}
	var made []customers.Customer
	for i := range 400 {
		fn, ln := firsts[(i/3)%len(firsts)], lasts[i%len(lasts)]
		if i < 20 {
			ln = "zed"
		}
		c := customers.Customer{
			User: customers.User{Username: fmt.Sprintf("%s.%s%d", fn, ln, i), Email: fmt.Sprintf("%s%d@Example.com", fn, i),
				DisplayName: fn + " " + ln, PasswordHash: "x", DateCreated: base},
			Type: "customer", EmailVerification: []string{"none", "pending", "verified"}[i%3], Status: "active",
			SignupForm: "by-admin", IPs: []string{}, VIP: i%6 == 0,
			DateRegistered: base.Add(time.Duration(i) * time.Minute), DateCreated: base, DateModified: base,
			Contact: customers.Contact{Firstname: fn, Lastname: ln},
		}
		if i%7 == 0 {
			c.Status = "suspended"
		}
		if i%4 != 0 {
			ll := base.Add(time.Duration(i*37%400) * time.Hour)
			c.LastLogin = &ll
		}
		if err := s.Create(ctx, &c); err != nil {
			t.Fatal(err)
		}
		made = append(made, c)
	}
	return made
}

// expectList is what List must answer for f over all, computed here.
func expectList(all []customers.Customer, f customers.ListFilter) ([]int64, int) {
	var in []customers.Customer
	for _, c := range all {
		text := strings.ToLower(strings.Join([]string{c.User.Username, c.User.Email, c.User.DisplayName, c.ExtraInformation,
			c.Contact.Firstname, c.Contact.Lastname, c.Contact.CompanyName}, customers.SearchSeparator))
		if strings.Contains(text, strings.ToLower(f.Search)) && (f.Status == "" || c.Status == f.Status) &&
			(f.EmailVerification == "" || c.EmailVerification == f.EmailVerification) {
			in = append(in, c)
		}
	}
	key := customers.CompareBy(f.OrderBy)
	slices.SortFunc(in, func(a, b customers.Customer) int {
		d := cmp.Or(key(a, b), cmp.Compare(a.ID, b.ID))
		if f.Desc {
			return -d
		}
		return d
	})
	out := []int64{}
	for i, c := range in {
		if i >= f.Offset && (f.Limit <= 0 || i < f.Offset+f.Limit) {
			out = append(out, c.ID)
		}
	}
	return out, len(in)
}

func TestChain(t *testing.T) {
	for _, tt := range []struct {
		words []string
		want  bool
	}{
		{nil, true}, {[]string{"smith"}, true}, {[]string{"smith", "smithson"}, true},
		{[]string{"johnson", "john", "ohn"}, true}, {[]string{"mary", "martin"}, false},
		{[]string{"john", "johnson", "mary"}, false},
	} {
		if got := postgres.Chain(tt.words); got != tt.want {
			t.Errorf("chain(%q) = %v, want %v", tt.words, got, tt.want)
		}
	}
}

func listIDs(t *testing.T, s *postgres.Customers, f customers.ListFilter) ([]int64, int) {
	t.Helper()
	got, total, err := s.List(context.Background(), f)
	if err != nil {
		t.Fatalf("%+v: %v", f, err)
	}
	out := []int64{}
	for _, c := range got {
		out = append(out, c.ID)
	}
	return out, total
}

// TestWordSearch checks searches answered from customer_words (a walk of
// the order's index, or the cached ids when the walk falls short or the
// page is deep) against the same lists computed in Go, for terms of every
// kind, filters, orders and pages — and that the words follow the
// customers' writes.
func TestWordSearch(t *testing.T) {
	pool := migrated(t)
	reset(t, pool)
	ctx := context.Background()
	loose := postgres.NewCustomers(pool)
	all := wordsFixture(t, loose)
	tight := postgres.NewCustomers(pool)
	tight.SetWalkLimits(5_000, 1, 50) // walks of at most 50 rows: many fall short

	// "mar" is in three words (mary, marty, martin), "mart" in two, "ohn"
	// in two of which one contains the other (john, johnson).
	terms := []string{"john", "ohn", "mar", "mart", "zed", "SMITH", "example", "100", "qqq", "jo", "n.s", "10"}
	orders := []struct {
		by   customers.Order
		desc bool
	}{{customers.ByDateRegistered, true}, {customers.ByID, false}, {customers.ByLastLogin, false},
		{customers.ByLastLogin, true}, {customers.ByVIP, true}}
	pages := [][2]int{{0, 5}, {5, 5}, {60, 5}, {0, 0}, {500, 5}}
	for _, s := range []*postgres.Customers{loose, tight} {
		for _, term := range terms {
			for _, status := range []string{"", "active", "suspended"} {
				for _, o := range orders {
					for _, p := range pages {
						f := customers.ListFilter{Search: term, Status: status, OrderBy: o.by, Desc: o.desc, Offset: p[0], Limit: p[1]}
						if term == "john" && status == "" {
							f.EmailVerification = "pending"
						}
						want, wantTotal := expectList(all, f)
						got, total := listIDs(t, s, f)
						if total != wantTotal || !slices.Equal(got, want) {
							t.Fatalf("%+v: got %v (total %d), want %v (total %d)", f, got, total, want, wantTotal)
						}
					}
				}
			}
		}
	}
	if walked, _ := loose.Walks(); walked == 0 {
		t.Error("no search was answered by a walk")
	}
	if walked, short := tight.Walks(); walked == 0 || short == 0 {
		t.Errorf("tight walks: %d answered, %d fell short; want both", walked, short)
	}

	// The words follow writes: a new last name, a status, a deletion.
	check := func(f customers.ListFilter) {
		t.Helper()
		want, wantTotal := expectList(all, f)
		for _, s := range []*postgres.Customers{loose, postgres.NewCustomers(pool)} {
			got, total := listIDs(t, s, f)
			if total != wantTotal || !slices.Equal(got, want) {
				t.Fatalf("after writes, %+v: got %v (total %d), want %v (total %d)", f, got, total, want, wantTotal)
			}
		}
	}
	zed := customers.ListFilter{Search: "zed", OrderBy: customers.ByDateRegistered, Desc: true, Limit: 5}
	check(zed)
	for i, fn := range map[int]func(*customers.Customer){
		399: func(c *customers.Customer) { c.Contact.Lastname = "Zed" },
		3:   func(c *customers.Customer) { c.Status = "banned" },
		1:   func(c *customers.Customer) { c.User.Username = "plain" },
	} {
		up, err := loose.Update(ctx, all[i].ID, func(c *customers.Customer) error { fn(c); return nil })
		if err != nil {
			t.Fatal(err)
		}
		all[i] = up
	}
	if _, err := loose.Delete(ctx, all[2].ID); err != nil {
		t.Fatal(err)
	}
	all = slices.Delete(all, 2, 3)
	check(zed)
	check(customers.ListFilter{Search: "zed", Status: "active", OrderBy: customers.ByID, Limit: 50})
	check(customers.ListFilter{Search: "zed", Status: "banned", OrderBy: customers.ByID, Limit: 50})
	check(customers.ListFilter{Search: "plain", Limit: 5})
}
