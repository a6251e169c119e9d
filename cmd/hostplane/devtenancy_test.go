package main

import (
	"encoding/hex"
	"os"
	"path/filepath"
	"testing"
)

func TestDevTenancyKeyIsMadeOnceAndKept(t *testing.T) {
	state := t.TempDir()
	t.Setenv("XDG_STATE_HOME", state)
	env := func(vars map[string]string) func(string) string {
		return func(k string) string { return vars[k] }
	}

	// In memory: nothing to keep, no file.
	got, err := withTenancyKey(env(nil))
	if err != nil || got("HOSTPLANE_TENANCY_KEY") != "" {
		t.Fatalf("in memory: key %q, %v", got("HOSTPLANE_TENANCY_KEY"), err)
	}
	path := filepath.Join(state, "hostplane", devTenancyKeyFile)
	if _, err := os.Stat(path); err == nil {
		t.Fatal("a key file was made without PostgreSQL")
	}

	db := env(map[string]string{"HOSTPLANE_DATABASE_URL": "postgres://127.0.0.1/x"})
	first, err := withTenancyKey(db)
	if err != nil {
		t.Fatal(err)
	}
	key := first("HOSTPLANE_TENANCY_KEY")
	if b, err := hex.DecodeString(key); err != nil || len(b) != 32 {
		t.Fatalf("key %q is not 32 bytes of hex", key)
	}
	if first("HOSTPLANE_DATABASE_URL") == "" {
		t.Error("the other variables are lost")
	}
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v %v", fi, err)
	}
	again, err := withTenancyKey(db)
	if err != nil || again("HOSTPLANE_TENANCY_KEY") != key {
		t.Fatalf("second start: key %q, want the kept %q (%v)", again("HOSTPLANE_TENANCY_KEY"), key, err)
	}

	// A key set by the operator wins.
	own := env(map[string]string{"HOSTPLANE_DATABASE_URL": "postgres://127.0.0.1/x", "HOSTPLANE_TENANCY_KEY": "mine"})
	if got, _ := withTenancyKey(own); got("HOSTPLANE_TENANCY_KEY") != "mine" {
		t.Errorf("operator's key replaced by %q", got("HOSTPLANE_TENANCY_KEY"))
	}
}
