package tenancy_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/hostplane/hostplane/services/tenancy"
	"github.com/hostplane/hostplane/services/tenancy/tenancytest"
)

// TestPasswordNeverShows: after a bootstrap, verifications (passing and
// failing) and a teardown, the tenant's password is in no log line, no
// response and no span (SQL statements included).
func TestPasswordNeverShows(t *testing.T) {
	s := newStack(t, false, tenancy.Deps{})
	s.site(1, 10, 10)
	if code, _ := s.do(http.MethodPost, wu+"1/bootstrap", "", root); code != 202 {
		t.Fatal(code)
	}
	if m := s.waitState(1, "ready", "failed"); m["state"] != "ready" {
		t.Fatal(m)
	}
	password := s.password(1)
	s.verify(1)
	tenancytest.Exec(t, s.serverOf(1), `ALTER ROLE `+s.name(1)+` NOLOGIN`)
	if m, _ := s.verify(1); m["ready"] != false {
		t.Fatal(m)
	}
	tenancytest.Exec(t, s.serverOf(1), `ALTER ROLE `+s.name(1)+` LOGIN`)
	if code, _ := s.do(http.MethodDelete, wu+"1", "", root); code != 200 {
		t.Fatal(code)
	}

	var spans strings.Builder
	sql := 0
	for _, sp := range s.spans.GetSpans() {
		fmt.Fprintln(&spans, sp.Name, sp.Status)
		for _, a := range sp.Attributes {
			fmt.Fprintln(&spans, a.Key, a.Value.Emit())
			if a.Key == "db.statement" {
				sql++
			}
		}
		for _, e := range sp.Events {
			fmt.Fprintln(&spans, e.Name)
			for _, a := range e.Attributes {
				fmt.Fprintln(&spans, a.Key, a.Value.Emit())
			}
		}
	}
	if sql == 0 || s.logs.String() == "" || s.bodies.String() == "" {
		t.Fatalf("nothing recorded: %d SQL spans", sql)
	}
	for name, text := range map[string]string{"logs": s.logs.String(), "responses": s.bodies.String(), "spans": spans.String()} {
		if strings.Contains(text, password) {
			t.Errorf("the password shows in the %s", name)
		}
	}
}
