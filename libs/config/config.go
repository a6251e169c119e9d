// Package config loads a service's configuration from environment variables
// (prefix HOSTPLANE_) and command-line flags into a struct described by tags,
// validates it, and renders it for logging with secrets masked.
//
//	type Config struct {
//		Addr        string        `env:"HOSTPLANE_ADDR" flag:"addr" default:":8080" usage:"listen address"`
//		DatabaseURL string        `env:"HOSTPLANE_DATABASE_URL" secret:"true"`
//		Timeout     time.Duration `env:"HOSTPLANE_TIMEOUT" default:"5s"`
//	}
//
// Flags win over the environment, which wins over defaults. A struct field
// that is itself a struct is walked; its fields keep their own tags.
package config

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"time"
)

// Validator is implemented by configs that check themselves after loading.
type Validator interface {
	Validate() error
}

// Load fills dst (a pointer to struct) from defaults, getenv and args, then
// validates it. args are flags only (no positional arguments).
func Load(dst any, args []string, getenv func(string) string) error {
	fs := flag.NewFlagSet("config", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	if err := Bind(fs, dst, getenv); err != nil {
		return err
	}
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("config: %w", err)
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("config: unexpected argument %q", fs.Arg(0))
	}
	return Validate(dst)
}

// Validate runs dst's Validate method, if any.
func Validate(dst any) error {
	if v, ok := dst.(Validator); ok {
		if err := v.Validate(); err != nil {
			return fmt.Errorf("config: %w", err)
		}
	}
	return nil
}

// Bind sets dst's fields from defaults and getenv and registers a flag for
// every field with a flag tag on fs, so that callers can add their own flags.
func Bind(fs *flag.FlagSet, dst any, getenv func(string) string) error {
	rv := reflect.ValueOf(dst)
	if rv.Kind() != reflect.Pointer || rv.Elem().Kind() != reflect.Struct {
		return errors.New("config: destination must be a pointer to a struct")
	}
	return walk(rv.Elem(), func(f reflect.StructField, v reflect.Value) error {
		if def, ok := f.Tag.Lookup("default"); ok {
			if err := set(v, def); err != nil {
				return fmt.Errorf("config: default of %s: %w", f.Name, err)
			}
		}
		if name := f.Tag.Get("env"); name != "" && getenv != nil {
			if s := getenv(name); s != "" {
				if err := set(v, s); err != nil {
					return fmt.Errorf("config: %s: %w", name, err)
				}
			}
		}
		if name := f.Tag.Get("flag"); name != "" {
			usage := f.Tag.Get("usage")
			if env := f.Tag.Get("env"); env != "" {
				usage = strings.TrimSpace(usage + " (env " + env + ")")
			}
			fs.Var(value{v}, name, usage)
		}
		return nil
	})
}

func walk(rv reflect.Value, fn func(reflect.StructField, reflect.Value) error) error {
	rt := rv.Type()
	for i := 0; i < rt.NumField(); i++ {
		f := rt.Field(i)
		if !f.IsExported() {
			continue
		}
		v := rv.Field(i)
		if f.Type.Kind() == reflect.Struct && f.Type != reflect.TypeOf(time.Time{}) && f.Tag.Get("env") == "" {
			if err := walk(v, fn); err != nil {
				return err
			}
			continue
		}
		if f.Tag.Get("env") == "" && f.Tag.Get("flag") == "" && f.Tag.Get("default") == "" {
			continue
		}
		if err := fn(f, v); err != nil {
			return err
		}
	}
	return nil
}

type value struct{ v reflect.Value }

func (v value) String() string {
	if !v.v.IsValid() {
		return ""
	}
	return format(v.v)
}
func (v value) Set(s string) error { return set(v.v, s) }
func (v value) IsBoolFlag() bool   { return v.v.IsValid() && v.v.Kind() == reflect.Bool }

func set(v reflect.Value, s string) error {
	switch v.Interface().(type) {
	case time.Duration:
		d, err := time.ParseDuration(s)
		if err != nil {
			return err
		}
		v.SetInt(int64(d))
		return nil
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString(s)
	case reflect.Bool:
		b, err := strconv.ParseBool(s)
		if err != nil {
			return err
		}
		v.SetBool(b)
	case reflect.Int, reflect.Int64, reflect.Int32:
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return err
		}
		v.SetInt(n)
	case reflect.Float64:
		n, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return err
		}
		v.SetFloat(n)
	case reflect.Slice:
		if v.Type().Elem().Kind() != reflect.String {
			return fmt.Errorf("unsupported slice type %s", v.Type())
		}
		var parts []string
		for _, p := range strings.Split(s, ",") {
			if p = strings.TrimSpace(p); p != "" {
				parts = append(parts, p)
			}
		}
		v.Set(reflect.ValueOf(parts))
	default:
		return fmt.Errorf("unsupported type %s", v.Type())
	}
	return nil
}

func format(v reflect.Value) string {
	switch x := v.Interface().(type) {
	case time.Duration:
		return x.String()
	case []string:
		return strings.Join(x, ",")
	}
	return fmt.Sprint(v.Interface())
}

// Masked lists the configuration as name → value for logging, with secret
// fields replaced by "****" (or "" when unset) and passwords in URLs masked.
func Masked(cfg any) map[string]string {
	out := map[string]string{}
	rv := reflect.ValueOf(cfg)
	if rv.Kind() == reflect.Pointer {
		rv = rv.Elem()
	}
	if rv.Kind() != reflect.Struct {
		return out
	}
	_ = walk(rv, func(f reflect.StructField, v reflect.Value) error {
		name := f.Tag.Get("env")
		if name == "" {
			name = f.Tag.Get("flag")
		}
		s := format(v)
		switch {
		case f.Tag.Get("secret") == "true" && s != "":
			s = "****"
		default:
			s = MaskURL(s)
		}
		out[name] = s
		return nil
	})
	return out
}

// MaskURL hides the password of URLs (one or several, comma-separated), in
// the userinfo or a password query parameter; other strings are returned
// unchanged.
func MaskURL(s string) string {
	if !strings.Contains(s, "://") {
		return s
	}
	parts := splitURLs(s)
	for i, p := range parts {
		u, err := url.Parse(strings.TrimSpace(p))
		if err != nil {
			parts[i] = maskUnparsed(p)
			continue
		}
		changed := false
		if q := u.Query(); q.Has("password") {
			q.Set("password", "****")
			u.RawQuery = q.Encode()
			changed = true
		}
		masked := u.String()
		if u.User != nil {
			if _, has := u.User.Password(); has {
				// Neither the scheme nor the escaped user name holds an
				// "@": the first one ends the userinfo.
				u.User = url.User(u.User.Username())
				masked = u.String()
				at := strings.Index(masked, "@")
				masked = masked[:at] + ":****" + masked[at:]
				changed = true
			}
		}
		if changed {
			parts[i] = masked
		}
	}
	return strings.Join(parts, ",")
}

// maskUnparsed masks what looks like a password in a URL url.Parse
// refused, typically one with an unescaped "#", "/" or "?" in its password:
// from the first ":" after "://" to the last "@".
func maskUnparsed(s string) string {
	i := strings.Index(s, "://")
	if i < 0 {
		return s
	}
	rest := s[i+3:]
	at := strings.LastIndex(rest, "@")
	colon := strings.Index(rest, ":")
	if at < 0 || colon < 0 || colon > at {
		return s
	}
	return s[:i+3] + rest[:colon] + ":****" + rest[at:]
}

// splitURLs cuts a comma-separated list of URLs. A comma separates only
// when a URL ("scheme://") follows it: RFC 3986 allows commas unescaped in
// a password, which must not be cut in two (and so escape masking).
func splitURLs(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if n := len(out); n > 0 && !startsURL(p) && strings.Contains(out[n-1], "://") {
			out[n-1] += "," + p
			continue
		}
		out = append(out, p)
	}
	return out
}

// startsURL reports whether s begins with "scheme://".
func startsURL(s string) bool {
	scheme, _, ok := strings.Cut(strings.TrimSpace(s), "://")
	if !ok || scheme == "" {
		return false
	}
	for i, r := range scheme {
		letter := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'
		if !letter && (i == 0 || !(r >= '0' && r <= '9' || r == '+' || r == '-' || r == '.')) {
			return false
		}
	}
	return true
}
