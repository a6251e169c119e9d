package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
	"time"

	"github.com/hostplane/hostplane/libs/errs"
	"github.com/hostplane/hostplane/libs/principal"
	"github.com/hostplane/hostplane/libs/upstream"
	authclient "github.com/hostplane/hostplane/services/auth/client"
)

// defaultAuthAddr is where single-node mode runs the auth service.
const defaultAuthAddr = "127.0.0.1:8081"

const settingsUsage = "usage: hostplane settings get [KEY] | hostplane settings set KEY VALUE [--addr=HOST:PORT]"

// settingsArgs is the command line of `hostplane settings`.
type settingsArgs struct {
	Action string // get or set
	Key    string // "" with get: every setting
	Value  json.RawMessage
	Addr   string
}

// parseSettings reads `get [KEY]` or `set KEY VALUE`; VALUE is JSON when it
// parses as JSON (true, 3600, "x"), text otherwise (24h, ACME SAS).
func parseSettings(args []string, getenv func(string) string) (settingsArgs, error) {
	var a settingsArgs
	fs := flag.NewFlagSet("settings", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&a.Addr, "addr", "", "the auth service (env HOSTPLANE_AUTH_ADDR, default "+defaultAuthAddr+")")
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return a, usageError{"settings: " + err.Error()}
		}
		if fs.NArg() == 0 {
			break
		}
		positional = append(positional, fs.Arg(0))
		args = fs.Args()[1:]
	}
	switch {
	case len(positional) >= 1 && positional[0] == "get" && len(positional) <= 2:
		a.Action = "get"
		if len(positional) == 2 {
			a.Key = positional[1]
		}
	case len(positional) == 3 && positional[0] == "set":
		a.Action, a.Key = "set", positional[1]
		v := strings.TrimSpace(positional[2])
		if json.Valid([]byte(v)) {
			a.Value = json.RawMessage(v)
		} else {
			a.Value, _ = json.Marshal(positional[2])
		}
	default:
		return a, usageError{settingsUsage}
	}
	if a.Action == "set" && strings.TrimSpace(a.Key) == "" {
		return a, usageError{settingsUsage}
	}
	if a.Addr == "" {
		a.Addr = getenv("HOSTPLANE_AUTH_ADDR")
	}
	if a.Addr == "" {
		a.Addr = readDevAuthAccess().AuthAddr
	}
	if a.Addr == "" {
		a.Addr = defaultAuthAddr
	}
	a.Addr = dialAddr(a.Addr)
	return a, nil
}

// dialAddr turns a listen address (":8081", "0.0.0.0:8081",
// "http://host:8081/") into one to dial.
func dialAddr(addr string) string {
	addr = strings.TrimSuffix(strings.TrimPrefix(strings.TrimPrefix(addr, "http://"), "https://"), "/")
	if h, p, err := net.SplitHostPort(addr); err == nil && (h == "" || h == "0.0.0.0" || h == "::") {
		return net.JoinHostPort("127.0.0.1", p)
	}
	return addr
}

// devAuthAccess is what a running `hostplane dev` saves beside the root
// credentials (dev-credentials.json) so that `hostplane settings` reaches
// its auth service without any environment: the way back in when
// enable_api is false.
type devAuthAccess struct {
	InternalSecret string `json:"internal_secret"`
	AuthAddr       string `json:"auth_addr"`
}

// readDevAuthAccess loads what a running `hostplane dev` saved, if any.
func readDevAuthAccess() devAuthAccess {
	var saved devAuthAccess
	path, err := devCredentialsPath()
	if err != nil {
		return saved
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return saved
	}
	_ = json.Unmarshal(b, &saved)
	return saved
}

// saveDevAuthAccess adds the internal secret and the auth service's address
// to the credentials file at path, keeping what it holds, readable by the
// user only.
func saveDevAuthAccess(path string, a devAuthAccess) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	fields := map[string]any{}
	if err := json.Unmarshal(b, &fields); err != nil {
		return fmt.Errorf("malformed %s: %w", path, err)
	}
	fields["internal_secret"], fields["auth_addr"] = a.InternalSecret, a.AuthAddr
	b, _ = json.Marshal(fields)
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// fixedPicker always picks one address.
type fixedPicker string

func (p fixedPicker) Next() (string, error) { return string(p), nil }
func (p fixedPicker) NextExcept(string) (string, error) {
	return "", errs.New(errs.Unavailable, "no other instance")
}

// runSettings reads or changes settings on the auth service's internal
// routes, signed as a system caller with HOSTPLANE_INTERNAL_SECRET: it does
// not go through the gateway, so it works when enable_api is false.
func runSettings(ctx context.Context, args []string, stdout io.Writer, getenv func(string) string) error {
	a, err := parseSettings(args, getenv)
	if err != nil {
		return err
	}
	secret := getenv("HOSTPLANE_INTERNAL_SECRET")
	if secret == "" {
		secret = readDevAuthAccess().InternalSecret
	}
	if len(secret) < 16 {
		return errors.New("settings: set HOSTPLANE_INTERNAL_SECRET to the auth service's internal secret")
	}
	up := upstream.New("auth", fixedPicker(a.Addr), principal.NewSigner(secret), upstream.Options{Timeout: 10 * time.Second})
	auth := authclient.New(up)
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	switch {
	case a.Action == "get" && a.Key == "":
		all, err := auth.Settings(ctx)
		if err != nil {
			return describeSettingsError(a.Addr, err)
		}
		for _, s := range all {
			fmt.Fprintf(stdout, "%s = %s\n", s.Key, shown(s))
		}
		return nil
	case a.Action == "get":
		s, err := auth.Setting(ctx, a.Key)
		if err != nil {
			return describeSettingsError(a.Addr, err)
		}
		fmt.Fprintln(stdout, shown(s))
		return nil
	}
	s, err := auth.SetSetting(ctx, a.Key, a.Value)
	if err != nil {
		return describeSettingsError(a.Addr, err)
	}
	fmt.Fprintf(stdout, "%s = %s\n", s.Key, shown(s))
	return nil
}

// shown is how a setting's value is printed: its JSON, or a note for a
// secret.
func shown(s authclient.Setting) string {
	switch {
	case s.Secret && s.IsSet:
		return "(secret, set)"
	case s.Secret:
		return "(secret, not set)"
	}
	return string(s.Value)
}

// describeSettingsError makes an answer of the auth service readable.
func describeSettingsError(addr string, err error) error {
	e := errs.From(err)
	switch e.Kind {
	case errs.Unavailable, errs.Timeout:
		return fmt.Errorf("settings: cannot reach the auth service at %s (set HOSTPLANE_AUTH_ADDR or --addr): %w", addr, err)
	case errs.Unauthorized, errs.Forbidden:
		return fmt.Errorf("settings: the auth service at %s refused the call: is HOSTPLANE_INTERNAL_SECRET the one it runs with? (%s)", addr, errs.PublicMessage(err))
	case errs.NotFound:
		return fmt.Errorf("settings: %s", errs.PublicMessage(err))
	}
	msg := errs.PublicMessage(err)
	for _, f := range e.Fields() {
		msg += " " + e.Params[f]
	}
	return fmt.Errorf("settings: %s", msg)
}
