package projection

import (
	"fmt"
	"strings"

	"github.com/hostplane/hostplane/libs/events"
	"github.com/hostplane/hostplane/services/stats/activity"
)

// AuthSource is the source of the auth service's events.
const AuthSource = "auth"

// authData is what stats reads of an auth event (API keys, accounts,
// settings, sign-ins): the ids it names, all optional.
type authData struct {
	KeyID      int64  `json:"key_id"`
	AccountID  int64  `json:"account_id"`
	CustomerID int64  `json:"customer_id"`
	SiteID     int64  `json:"site_id"`
	Label      string `json:"label"`
	Name       string `json:"name"`
}

// loginWords mark an auth event as a sign-in (activity type login).
var loginWords = []string{"login", "logged_in", "signin", "signed_in", "authenticated", "session"}

// authChange turns an auth event into an activity entry: "login" for a
// sign-in, "update" for any other change (a key created, rotated or
// revoked, an account or a setting changed). It records nothing else.
func authChange(e events.Event) (Change, bool) {
	var d authData
	if e.Decode(&d) != nil {
		return Change{}, false
	}
	kind, verb, _ := strings.Cut(e.Type, ".")
	typ := activity.TypeUpdate
	for _, w := range loginWords {
		if kind == w || verb == w {
			typ = activity.TypeLogin
		}
	}
	what := strings.ReplaceAll(kind, "_", " ")
	if kind == "key" || kind == "api_key" {
		what = "API key"
	}
	if len(what) > 0 {
		what = strings.ToUpper(what[:1]) + what[1:]
	}
	switch {
	case d.KeyID != 0:
		what += fmt.Sprintf(" #%d", d.KeyID)
	case d.AccountID != 0:
		what += fmt.Sprintf(" #%d", d.AccountID)
	}
	if l := d.Label + d.Name; l != "" {
		what += fmt.Sprintf(" %q", firstNonEmpty(d.Label, d.Name))
	}
	text := what
	if verb != "" {
		text += " " + strings.ReplaceAll(verb, "_", " ")
	}
	return Change{Entry: &activity.Entry{SiteID: d.SiteID, CustomerID: d.CustomerID, Type: typ, URN: e.Subject, Text: text}}, true
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
