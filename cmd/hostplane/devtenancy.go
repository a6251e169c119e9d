package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// devTenancyKeyFile is where single-node mode keeps the tenancy key it
// made, next to the dev credentials.
const devTenancyKeyFile = "dev-tenancy.key"

// devTenancyKey returns the key single-node mode gives the tenancy service
// when HOSTPLANE_TENANCY_KEY is unset: 32 random bytes (hex), made once and
// kept readable by the user only, so the tenant passwords stored in
// PostgreSQL can still be opened after a restart.
func devTenancyKey() (string, error) {
	creds, err := devCredentialsPath()
	if err != nil {
		return "", err
	}
	path := filepath.Join(filepath.Dir(creds), devTenancyKeyFile)
	if b, err := os.ReadFile(path); err == nil {
		return strings.TrimSpace(string(b)), nil
	} else if !errors.Is(err, fs.ErrNotExist) {
		return "", err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return "", err
	}
	key := randomToken(32)
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return devTenancyKey() // another dev made it first
	}
	if err != nil {
		return "", err
	}
	if _, err := fmt.Fprintln(f, key); err != nil {
		f.Close()
		return "", err
	}
	return key, f.Close()
}

// withTenancyKey gives tenancy a kept key when PostgreSQL is in use and no
// key is set (in memory, tenancy refuses isolation anyway).
func withTenancyKey(env func(string) string) (func(string) string, error) {
	if env("HOSTPLANE_TENANCY_KEY") != "" || (env("HOSTPLANE_DATABASE_URL") == "" && env("HOSTPLANE_TENANCY_DATABASE_URL") == "") {
		return env, nil
	}
	key, err := devTenancyKey()
	if err != nil {
		return nil, fmt.Errorf("tenancy key: %w", err)
	}
	return overlay(env, map[string]string{"HOSTPLANE_TENANCY_KEY": key}), nil
}
