package config

import (
	"errors"
	"testing"
	"time"
)

type sample struct {
	Addr    string        `env:"HOSTPLANE_ADDR" flag:"addr" default:":8080"`
	DB      string        `env:"HOSTPLANE_DATABASE_URL" flag:"database-url"`
	Secret  string        `env:"HOSTPLANE_SECRET" secret:"true"`
	Timeout time.Duration `env:"HOSTPLANE_TIMEOUT" default:"5s"`
	Debug   bool          `env:"HOSTPLANE_DEBUG" flag:"debug"`
	Hosts   []string      `env:"HOSTPLANE_HOSTS"`
	N       int           `env:"HOSTPLANE_N" default:"3"`
	Nested  struct {
		Inner string `env:"HOSTPLANE_INNER" default:"x"`
	}
}

func (s *sample) Validate() error {
	if s.N < 0 {
		return errors.New("N must be positive")
	}
	return nil
}

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestLoad(t *testing.T) {
	var c sample
	err := Load(&c, []string{"--addr=:9", "--debug"}, env(map[string]string{
		"HOSTPLANE_ADDR":         ":1",
		"HOSTPLANE_DATABASE_URL": "postgres://u:pw@h/db",
		"HOSTPLANE_SECRET":       "s3cret",
		"HOSTPLANE_HOSTS":        "a, b,,c",
		"HOSTPLANE_INNER":        "y",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != ":9" || !c.Debug || c.Timeout != 5*time.Second || c.N != 3 || len(c.Hosts) != 3 || c.Nested.Inner != "y" {
		t.Fatalf("got %+v", c)
	}
	m := Masked(&c)
	if m["HOSTPLANE_SECRET"] != "****" {
		t.Errorf("secret not masked: %q", m["HOSTPLANE_SECRET"])
	}
	if m["HOSTPLANE_DATABASE_URL"] != "postgres://u:****@h/db" {
		t.Errorf("url not masked: %q", m["HOSTPLANE_DATABASE_URL"])
	}
}

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		env  map[string]string
	}{
		{"bad int", nil, map[string]string{"HOSTPLANE_N": "x"}},
		{"bad duration", nil, map[string]string{"HOSTPLANE_TIMEOUT": "soon"}},
		{"validation", nil, map[string]string{"HOSTPLANE_N": "-1"}},
		{"unknown flag", []string{"--nope"}, nil},
		{"positional", []string{"extra"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var c sample
			if err := Load(&c, tt.args, env(tt.env)); err == nil {
				t.Fatal("expected an error")
			}
		})
	}
}

func TestMaskURL(t *testing.T) {
	tests := map[string]string{
		"plain":                              "plain",
		"redis://:pw@127.0.0.1:6379/0":       "redis://:****@127.0.0.1:6379/0",
		"postgres://a@h/db,postgres://b:c@h": "postgres://a@h/db,postgres://b:****@h",
	}
	for in, want := range tests {
		if got := MaskURL(in); got != want {
			t.Errorf("MaskURL(%q) = %q, want %q", in, got, want)
		}
	}
}
