package main

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
)

// devCredentials is what `hostplane dev` saves so that `hostplane
// create-api-key` works from another terminal without exporting anything.
type devCredentials struct {
	Addr      string `json:"addr"`
	APIKey    string `json:"api_key"`
	APISecret string `json:"api_secret"`
}

func devCredentialsPath() (string, error) {
	dir := os.Getenv("XDG_STATE_HOME")
	if dir == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", err
		}
		dir = filepath.Join(home, ".local", "state")
	}
	return filepath.Join(dir, "hostplane", "dev-credentials.json"), nil
}

// writeDevCredentials saves c readable by the user only and returns where.
func writeDevCredentials(c devCredentials) (string, error) {
	path, err := devCredentialsPath()
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return "", err
	}
	b, _ := json.Marshal(c)
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		return "", err
	}
	return path, os.Rename(tmp, path)
}

// readDevCredentials loads what a running `hostplane dev` saved.
func readDevCredentials() (devCredentials, error) {
	var c devCredentials
	path, err := devCredentialsPath()
	if err != nil {
		return c, err
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return c, err
	}
	if err := json.Unmarshal(b, &c); err != nil || c.APIKey == "" || c.APISecret == "" {
		return devCredentials{}, errors.New("malformed " + path)
	}
	return c, nil
}
