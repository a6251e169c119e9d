package main

import (
	"context"
	"fmt"
	"net/http"
	"os/exec"
	"syscall"
	"time"

	"github.com/hostplane/hostplane/libs/pgkit"
)

// createDatabase makes database name on the server of adminURL and
// returns its URL.
func createDatabase(ctx context.Context, adminURL, name string) (string, error) {
	dbURL, err := pgkit.DatabaseURL(adminURL, name)
	if err != nil {
		return "", err
	}
	return dbURL, pgkit.EnsureDatabase(ctx, dbURL)
}

// dropDatabase removes database name, connections and all (best effort).
func dropDatabase(adminURL, name string) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	pool, err := pgkit.Open(ctx, adminURL, pgkit.Options{MaxConns: 1})
	if err != nil {
		return
	}
	defer pool.Close()
	_, _ = pool.Exec(ctx, `DROP DATABASE IF EXISTS "`+name+`" WITH (FORCE)`)
}

// stopProcess asks cmd to stop, and kills it after 10 s.
func stopProcess(cmd *exec.Cmd) {
	_ = cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		_ = cmd.Process.Kill()
		<-done
	}
}

func waitHealthy(ctx context.Context, target string) error {
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get(target)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return nil
			}
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("not ready in 30 s")
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}
