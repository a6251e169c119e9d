package memberships

import (
	"slices"
	"testing"
	"time"
)

func TestLifecycle(t *testing.T) {
	allowed := map[[2]string]bool{}
	for from, tos := range transitions {
		for _, to := range tos {
			allowed[[2]string{from, to}] = true
		}
	}
	for _, from := range Statuses {
		for _, to := range Statuses {
			want := from == to || allowed[[2]string{from, to}]
			if CanMove(from, to) != want {
				t.Errorf("CanMove(%s, %s) = %v", from, to, !want)
			}
		}
	}
	for _, bad := range [][2]string{{"cancelled", "active"}, {"pending", "on-hold"}, {"expired", "on-hold"}, {"active", "pending"}} {
		if CanMove(bad[0], bad[1]) {
			t.Errorf("%s → %s allowed", bad[0], bad[1])
		}
	}
}

func TestEvents(t *testing.T) {
	base := Membership{ID: 7, CustomerID: 3, PlanID: 2, SiteID: 9, Status: StatusActive}
	with := func(f func(*Membership)) *Membership { m := base; f(&m); return &m }
	for _, tt := range []struct {
		before, after *Membership
		want          []string
	}{
		{nil, &base, []string{EventCreated}},
		{&base, nil, []string{EventCancelled, EventDeleted}},
		{with(func(m *Membership) { m.Status = StatusCancelled }), nil, []string{EventDeleted}},
		{&base, with(func(m *Membership) { m.Status = StatusOnHold }), []string{EventSuspended}},
		{with(func(m *Membership) { m.Status = StatusOnHold }), &base, []string{EventUnsuspended}},
		{with(func(m *Membership) { m.Status = StatusPending }), &base, []string{EventActivated}},
		{&base, with(func(m *Membership) { m.Status = StatusExpired }), []string{EventExpired}},
		{&base, with(func(m *Membership) { m.Status = StatusCancelled }), []string{EventCancelled}},
		{&base, with(func(m *Membership) { m.TimesBilled = 1 }), []string{EventRenewed}},
		{with(func(m *Membership) { m.Status = StatusExpired }), with(func(m *Membership) { m.TimesBilled = 1 }), []string{EventActivated, EventRenewed}},
		{&base, with(func(m *Membership) { m.Amount = 5 }), []string{EventUpdated}},
	} {
		evs := Events(tt.before, tt.after)
		var got []string
		for _, e := range evs {
			got = append(got, e.Type)
			var d EventData
			if err := e.Decode(&d); err != nil || d.MembershipID != 7 || d.CustomerID != 3 || d.PlanID != 2 || d.SiteID != 9 ||
				e.Subject != "membership:7" || e.Source != "billing" {
				t.Errorf("%s data %+v %v", e.Type, d, err)
			}
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("Events(%v, %v) = %v, want %v", tt.before, tt.after, got, tt.want)
		}
	}
}

func TestAddPeriod(t *testing.T) {
	at := time.Date(2026, 1, 31, 12, 0, 0, 0, time.UTC)
	for unit, want := range map[string]time.Time{
		"day": at.AddDate(0, 0, 2), "week": at.AddDate(0, 0, 14), "month": at.AddDate(0, 2, 0), "year": at.AddDate(2, 0, 0),
	} {
		if got := AddPeriod(at, 2, unit); !got.Equal(want) {
			t.Errorf("%s: %v", unit, got)
		}
	}
}
