package settings_test

import (
	"encoding/json"
	"testing"

	"github.com/hostplane/hostplane/libs/errs"
	"github.com/hostplane/hostplane/services/auth/settings"
)

func def(t *testing.T, key string) settings.Definition {
	t.Helper()
	d, ok := settings.Lookup(key)
	if !ok {
		t.Fatalf("no setting %s", key)
	}
	return d
}

func TestCanonical(t *testing.T) {
	tests := []struct {
		key, in, want string // want "" means refused
	}{
		{settings.EnableAPI, `true`, `true`},
		{settings.EnableAPI, `false`, `false`},
		{settings.EnableAPI, `"false"`, `false`}, // a form's text
		{settings.EnableAPI, `"1"`, `true`},
		{settings.EnableAPI, `0`, `false`},
		{settings.EnableAPI, `"maybe"`, ""},
		{settings.EnableAPI, `2`, ""},
		{settings.EnableAPI, `null`, ""},
		{settings.EnableAPI, `[true]`, ""},
		{settings.EnableAPI, `{"a":1}`, ""},
		{settings.EnableAPI, `tru`, ""},
		{settings.CompanyName, `"ACME SAS"`, `"ACME SAS"`},
		{settings.CompanyName, `""`, `""`},
		{settings.CompanyName, `42`, ""},
		{settings.CompanyName, `"a\u0000b"`, ""},
		{settings.CompanyEmail, `" ops@example.com "`, `"ops@example.com"`},
		{settings.CompanyEmail, `""`, `""`},
		{settings.CompanyEmail, `"nope"`, ""},
		{settings.Currency, `"eur"`, `"EUR"`},
		{settings.Currency, `"XYZ"`, ""},
		{settings.Currency, `978`, ""},
		{settings.KeyRotationGrace, `"24h"`, `"24h"`},
		{settings.KeyRotationGrace, `"90m"`, `"1h30m"`},
		{settings.KeyRotationGrace, `3600`, `"1h"`},
		{settings.KeyRotationGrace, `"7200"`, `"2h"`},
		{settings.KeyRotationGrace, `"0s"`, `"0s"`},
		{settings.KeyRotationGrace, `"721h"`, ""},
		{settings.KeyRotationGrace, `"-1h"`, ""},
		{settings.KeyRotationGrace, `"soon"`, ""},
		{settings.KeyRotationGrace, `true`, ""},
		{settings.WebhookSecret, `"s3cret"`, `"s3cret"`},
	}
	for _, tt := range tests {
		got, err := settings.Canonical(def(t, tt.key), json.RawMessage(tt.in))
		if tt.want == "" {
			if e := errs.From(err); e == nil || e.Kind != errs.Invalid || e.Params[settings.ValueField] == "" {
				t.Errorf("%s = %s: err = %v, want invalid value", tt.key, tt.in, err)
			}
			continue
		}
		if err != nil || string(got) != tt.want {
			t.Errorf("%s = %s: %s, %v; want %s", tt.key, tt.in, got, err, tt.want)
		}
	}
}

func TestDefaultsAreCanonical(t *testing.T) {
	for _, d := range settings.Registry() {
		b, _ := json.Marshal(d.Default)
		got, err := settings.Canonical(d, b)
		if err != nil || string(got) != string(b) {
			t.Errorf("%s: default %s is not canonical (%s, %v)", d.Key, b, got, err)
		}
		if d.Description == "" {
			t.Errorf("%s: no description", d.Key)
		}
	}
}

func FuzzCanonical(f *testing.F) {
	for _, s := range []string{`true`, `"24h"`, `"eur"`, `3600`, `"x"`, `null`, `{}`, `1e999`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		for _, d := range settings.Registry() {
			got, err := settings.Canonical(d, json.RawMessage(raw))
			if err != nil {
				if errs.KindOf(err) != errs.Invalid {
					t.Fatalf("%s: %v", d.Key, err)
				}
				continue
			}
			again, err := settings.Canonical(d, got)
			if err != nil || string(again) != string(got) {
				t.Fatalf("%s: canonical %s of %q is not stable (%s, %v)", d.Key, got, raw, again, err)
			}
		}
	})
}
