package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/mail"
	"sort"
	"strings"
	"time"
)

// createKeyArgs is the command line of create-api-key.
type createKeyArgs struct {
	Name, Email string
	Permissions []string
	CustomerID  int64
	RateLimit   string
	ExpiresIn   time.Duration
	Addr        string
}

// parseCreateKey reads `NAME EMAIL --permissions=LIST [...]`; flags may come
// before, between or after the two arguments.
func parseCreateKey(args []string, getenv func(string) string) (createKeyArgs, error) {
	var a createKeyArgs
	fs := flag.NewFlagSet("create-api-key", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	perms := fs.String("permissions", "", "comma-separated permissions, e.g. '*' or customers:index,customers:create")
	fs.Int64Var(&a.CustomerID, "customer-id", 0, "restrict the key to one customer")
	fs.StringVar(&a.RateLimit, "rate-limit", "", "N/s, N/m or N/h")
	fs.DurationVar(&a.ExpiresIn, "expires-in", 0, "lifetime, e.g. 720h")
	fs.StringVar(&a.Addr, "addr", "", "gateway URL (env HOSTPLANE_ADDR, default http://127.0.0.1:8080)")
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return a, usageError{"create-api-key: " + err.Error()}
		}
		if fs.NArg() == 0 {
			break
		}
		positional = append(positional, fs.Arg(0))
		args = fs.Args()[1:]
	}
	if len(positional) != 2 {
		return a, usageError{"usage: hostplane create-api-key NAME EMAIL --permissions=LIST [--customer-id=N] [--rate-limit=N/s] [--expires-in=DURATION]"}
	}
	a.Name, a.Email = strings.TrimSpace(positional[0]), strings.TrimSpace(positional[1])
	for _, p := range strings.Split(*perms, ",") {
		if p = strings.TrimSpace(p); p != "" {
			a.Permissions = append(a.Permissions, p)
		}
	}
	switch {
	case a.Name == "":
		return a, usageError{"create-api-key: NAME must not be empty"}
	case !validEmail(a.Email):
		return a, usageError{fmt.Sprintf("create-api-key: %q is not an email address", a.Email)}
	case len(a.Permissions) == 0:
		return a, usageError{"create-api-key: --permissions is required (e.g. --permissions='*')"}
	case a.CustomerID < 0:
		return a, usageError{"create-api-key: --customer-id must be positive"}
	case a.ExpiresIn < 0:
		return a, usageError{"create-api-key: --expires-in must be positive"}
	}
	if a.Addr == "" {
		a.Addr = getenv("HOSTPLANE_ADDR")
	}
	return a, nil
}

func validEmail(s string) bool {
	addr, err := mail.ParseAddress(s)
	return err == nil && addr.Address == s
}

// createdKey is what create-api-key prints.
type createdKey struct {
	ID          int64    `json:"id"`
	Name        string   `json:"name"`
	Email       string   `json:"email"`
	APIKey      string   `json:"api_key"`
	APISecret   string   `json:"api_secret"`
	Token       string   `json:"token"`
	Permissions []string `json:"permissions"`
}

func runCreateAPIKey(ctx context.Context, args []string, stdout io.Writer, getenv func(string) string) error {
	a, err := parseCreateKey(args, getenv)
	if err != nil {
		return err
	}
	key, secret := getenv("HOSTPLANE_ROOT_API_KEY"), getenv("HOSTPLANE_ROOT_API_SECRET")
	if key == "" || secret == "" {
		saved, err := readDevCredentials()
		if err != nil {
			return fmt.Errorf("no credentials: set HOSTPLANE_ROOT_API_KEY and HOSTPLANE_ROOT_API_SECRET (or run `hostplane dev`, which saves them)")
		}
		key, secret = saved.APIKey, saved.APISecret
		if a.Addr == "" {
			a.Addr = saved.Addr
		}
	}
	if a.Addr == "" {
		a.Addr = "http://127.0.0.1:8080"
	}
	body := map[string]any{"name": a.Name, "email": a.Email, "permissions": a.Permissions}
	if a.CustomerID > 0 {
		body["customer_id"] = a.CustomerID
	}
	if a.RateLimit != "" {
		body["rate_limit"] = a.RateLimit
	}
	if a.ExpiresIn > 0 {
		body["expires_in"] = a.ExpiresIn.String()
	}
	payload, _ := json.Marshal(body)
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimRight(a.Addr, "/")+"/api/application/keys", bytes.NewReader(payload))
	if err != nil {
		return fmt.Errorf("bad --addr: %w", err)
	}
	req.SetBasicAuth(key, secret)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("cannot reach the gateway at %s: %w", a.Addr, err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if resp.StatusCode != http.StatusCreated && resp.StatusCode != http.StatusOK {
		return fmt.Errorf("the gateway refused (%d): %s", resp.StatusCode, describeCXError(data))
	}
	var out struct {
		Data createdKey `json:"data"`
	}
	if err := json.Unmarshal(data, &out); err != nil || out.Data.APIKey == "" {
		return fmt.Errorf("unexpected answer from the gateway: %s", strings.TrimSpace(string(data)))
	}
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(out.Data)
}

// describeCXError renders a cx error body ({"message","errors"}) in one line.
func describeCXError(body []byte) string {
	var e struct {
		Message string              `json:"message"`
		Errors  map[string][]string `json:"errors"`
	}
	if json.Unmarshal(body, &e) != nil || e.Message == "" {
		return strings.TrimSpace(string(body))
	}
	var parts []string
	for f, msgs := range e.Errors {
		parts = append(parts, f+": "+strings.Join(msgs, " "))
	}
	sort.Strings(parts)
	if len(parts) == 0 {
		return e.Message
	}
	return e.Message + " (" + strings.Join(parts, "; ") + ")"
}
