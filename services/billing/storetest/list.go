package storetest

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/hostplane/hostplane/services/billing/customers"
)

// listFixture is four customers whose every sort key orders them
// differently. A's customer was re-created for its user, so its id is the
// highest while its user id is the lowest.
type listFixture struct{ A, B, C, D int64 }

func seedList(t *testing.T, s customers.Store) listFixture {
	ctx := context.Background()
	type spec struct {
		username, email, display, extra, status, verification string
		vip                                                   bool
		registered, created, modified                         int
		lastLogin                                             *time.Time
	}
	specs := []spec{
		{"alice", "Alice@Example.com", "Alice A", "", "active", "pending", true, 3, 1, 4, nil},
		{"bob.smith", "bob@example.org", "Bob Smith", "likes VIP treatment", "suspended", "none", false, 1, 2, 2, ptr(at(5))},
		{"carol_x", "carol@example.net", "Carol", "", "active", "verified", true, 2, 3, 2, ptr(at(1))},
		{"dave", "dave@other.io", "Dave 100%", "", "banned", "none", false, 4, 4, 1, nil},
	}
	made := make([]*customers.Customer, len(specs))
	for i, sp := range specs {
		c := newCustomer(sp.username, sp.email)
		c.User.DisplayName, c.ExtraInformation, c.Status, c.EmailVerification = sp.display, sp.extra, sp.status, sp.verification
		c.VIP, c.LastLogin = sp.vip, sp.lastLogin
		c.DateRegistered, c.DateCreated, c.DateModified = at(sp.registered), at(sp.created), at(sp.modified)
		if err := s.Create(ctx, c); err != nil {
			t.Fatal(err)
		}
		made[i] = c
	}
	// Re-create A for the same user: highest id, lowest user id.
	old, err := s.Delete(ctx, made[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	a := old.Clone()
	a.ID, a.User = 0, customers.User{}
	if err := s.Create(ctx, &a); err != nil {
		t.Fatal(err)
	}
	return listFixture{A: a.ID, B: made[1].ID, C: made[2].ID, D: made[3].ID}
}

func listContract(t *testing.T, s customers.Store) {
	ctx := context.Background()
	x := seedList(t, s)
	A, B, C, D := x.A, x.B, x.C, x.D
	if !(B < C && C < D && D < A) {
		t.Fatalf("ids not increasing: %+v", x)
	}

	check := func(t *testing.T, f customers.ListFilter, want []int64, wantTotal int) {
		t.Helper()
		got, total, err := s.List(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		if got == nil {
			t.Fatal("nil page, want empty")
		}
		if !slices.Equal(ids(got), want) || total != wantTotal {
			t.Fatalf("List(%+v) = %v total %d; want %v total %d", f, ids(got), total, want, wantTotal)
		}
	}

	t.Run("orderby every key, both directions", func(t *testing.T) {
		for _, tt := range []struct {
			by  customers.Order
			asc []int64
		}{
			{"", []int64{B, C, D, A}},
			{customers.ByID, []int64{B, C, D, A}},
			{customers.ByDateRegistered, []int64{B, C, A, D}},
			{customers.ByDateCreated, []int64{A, B, C, D}},
			{customers.ByDateModified, []int64{D, B, C, A}},      // B and C tie: by id
			{customers.ByLastLogin, []int64{C, B, D, A}},         // never logged in: last
			{customers.ByUserID, []int64{A, B, C, D}},            // A has the first user
			{customers.ByVIP, []int64{B, D, C, A}},               // false first, ties by id
			{customers.ByEmailVerification, []int64{B, D, A, C}}, // none, pending, verified
		} {
			t.Run(string(tt.by)+" asc", func(t *testing.T) { check(t, customers.ListFilter{OrderBy: tt.by}, tt.asc, 4) })
			desc := slices.Clone(tt.asc)
			slices.Reverse(desc)
			t.Run(string(tt.by)+" desc", func(t *testing.T) { check(t, customers.ListFilter{OrderBy: tt.by, Desc: true}, desc, 4) })
		}
	})

	t.Run("pagination keeps the total", func(t *testing.T) {
		check(t, customers.ListFilter{Offset: 1, Limit: 2}, []int64{C, D}, 4)
		check(t, customers.ListFilter{Offset: 3, Limit: 2}, []int64{A}, 4)
		check(t, customers.ListFilter{Offset: 0, Limit: 1, Desc: true}, []int64{A}, 4)
		check(t, customers.ListFilter{Offset: 10, Limit: 2}, []int64{}, 4)
		check(t, customers.ListFilter{Limit: 0}, []int64{B, C, D, A}, 4)
	})

	t.Run("status", func(t *testing.T) {
		check(t, customers.ListFilter{Status: "active"}, []int64{C, A}, 2)
		check(t, customers.ListFilter{Status: "banned"}, []int64{D}, 1)
		check(t, customers.ListFilter{Status: "pending"}, []int64{}, 0)
	})

	t.Run("email verification", func(t *testing.T) {
		check(t, customers.ListFilter{EmailVerification: "none"}, []int64{B, D}, 2)
		check(t, customers.ListFilter{EmailVerification: "verified"}, []int64{C}, 1)
		check(t, customers.ListFilter{EmailVerification: "pending", Status: "suspended"}, []int64{}, 0)
	})

	t.Run("email, any case, whole", func(t *testing.T) {
		check(t, customers.ListFilter{Email: "alice@EXAMPLE.com"}, []int64{A}, 1)
		check(t, customers.ListFilter{Email: "bob@example.org", Status: "suspended"}, []int64{B}, 1)
		check(t, customers.ListFilter{Email: "example.org"}, []int64{}, 0)
		check(t, customers.ListFilter{Email: "%@example.org"}, []int64{}, 0)
	})

	t.Run("date_created ranges are inclusive", func(t *testing.T) {
		check(t, customers.ListFilter{CreatedFrom: ptr(at(2))}, []int64{B, C, D}, 3)
		check(t, customers.ListFilter{CreatedTo: ptr(at(3))}, []int64{B, C, A}, 3)
		check(t, customers.ListFilter{CreatedFrom: ptr(at(2)), CreatedTo: ptr(at(3))}, []int64{B, C}, 2)
		check(t, customers.ListFilter{CreatedFrom: ptr(at(2).Add(time.Second)), CreatedTo: ptr(at(3).Add(-time.Second))}, []int64{}, 0)
		check(t, customers.ListFilter{CreatedFrom: ptr(at(5))}, []int64{}, 0)
	})

	t.Run("search", func(t *testing.T) {
		for _, tt := range []struct {
			q    string
			want []int64
		}{
			{"EXAMPLE", []int64{B, C, A}}, // emails, any case
			{"smith", []int64{B}},         // username and display name
			{"vip", []int64{B}},           // extra information
			{"carol", []int64{C}},
			{"ALICE a", []int64{A}}, // display name
			{"%", []int64{D}},       // wildcards are literal
			{"100%", []int64{D}},
			{"_", []int64{C}},
			{`\`, []int64{}},
			{"zzz", []int64{}},
		} {
			t.Run(tt.q, func(t *testing.T) { check(t, customers.ListFilter{Search: tt.q}, tt.want, len(tt.want)) })
		}
	})

	t.Run("customer restriction", func(t *testing.T) {
		check(t, customers.ListFilter{CustomerID: B}, []int64{B}, 1)
		check(t, customers.ListFilter{CustomerID: B, Status: "active"}, []int64{}, 0)
		check(t, customers.ListFilter{CustomerID: 424242}, []int64{}, 0)
	})

	t.Run("filters combine", func(t *testing.T) {
		check(t, customers.ListFilter{Status: "active", Search: "example", OrderBy: customers.ByDateCreated, Desc: true}, []int64{C, A}, 2)
		check(t, customers.ListFilter{Search: "example", CreatedFrom: ptr(at(2)), Limit: 1, Offset: 1}, []int64{C}, 2)
	})
}
