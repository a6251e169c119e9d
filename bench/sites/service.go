package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"time"

	"github.com/hostplane/hostplane/libs/principal"
)

// service is a running `hostplane sites` with its own database.
type service struct {
	base, dbURL, adminURL, dbName string
	secret                        string // HOSTPLANE_INTERNAL_SECRET
	cmd                           *exec.Cmd
	signer                        *principal.Signer
	http                          *http.Client
	logs                          *bytes.Buffer
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func freePort() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

func startService(ctx context.Context, bin, adminURL, dataDir string) (*service, error) {
	name := "hp_bench_sites_" + randomHex(4)
	dbURL, err := createDatabase(ctx, adminURL, name)
	if err != nil {
		return nil, err
	}
	addr, err := freePort()
	if err != nil {
		return nil, err
	}
	secret := randomHex(24)
	s := &service{base: "http://" + addr, dbURL: dbURL, adminURL: adminURL, dbName: name, secret: secret, signer: principal.NewSigner(secret),
		http: &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 4}}, logs: &bytes.Buffer{}}
	s.cmd = exec.Command(bin, "sites", "--addr="+addr)
	s.cmd.Env = []string{
		"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME"),
		"HOSTPLANE_INTERNAL_SECRET=" + secret, "HOSTPLANE_SITES_DATABASE_URL=" + dbURL, "HOSTPLANE_DATA_DIR=" + dataDir,
		"HOSTPLANE_LOG_LEVEL=warn", "HOSTPLANE_SITES_JOB_WORKERS=1",
	}
	s.cmd.Stdout, s.cmd.Stderr = s.logs, s.logs
	if err := s.cmd.Start(); err != nil {
		dropDatabase(adminURL, name)
		return nil, err
	}
	if err := waitHealthy(ctx, s.base+"/readyz"); err != nil {
		s.stop()
		return nil, fmt.Errorf("sites: %w: %s", err, s.logs)
	}
	return s, nil
}

func (s *service) stop() {
	if s.cmd != nil && s.cmd.Process != nil {
		stopProcess(s.cmd)
	}
	dropDatabase(s.adminURL, s.dbName)
}

var root = &principal.Principal{KeyID: 1, AccountID: 1, KeyName: "bench", Permissions: []string{"*"}}

// do sends a signed request and returns status and body.
func (s *service) do(ctx context.Context, method, target, body string) (int, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, method, s.base+target, strings.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	u, _ := url.Parse(target)
	if err := s.signer.Apply(req.Header, method, u.Path, root); err != nil {
		return 0, nil, err
	}
	resp, err := s.http.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, b, err
}

// sb sends an sb request and decodes its data.
func (s *service) sb(ctx context.Context, method, target string, out any) error {
	status, b, err := s.do(ctx, method, target, "")
	if err != nil {
		return err
	}
	var env struct {
		Meta struct {
			Success bool `json:"success"`
		} `json:"meta"`
		Data json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(b, &env); err != nil || !env.Meta.Success {
		return fmt.Errorf("%s %s: %d %s", method, target, status, b)
	}
	if out != nil {
		return json.Unmarshal(env.Data, out)
	}
	return nil
}

// job runs an asynchronous sb call and waits for its job.
func (s *service) job(ctx context.Context, method, target, code string) (map[string]any, error) {
	var j struct {
		JobID int64 `json:"job_id"`
	}
	if err := s.sb(ctx, method, target, &j); err != nil {
		return nil, err
	}
	deadline := time.Now().Add(30 * time.Minute)
	for time.Now().Before(deadline) {
		var st map[string]any
		if err := s.sb(ctx, "GET", fmt.Sprintf("/v1/sites/%s/jobs/%d.json", code, j.JobID), &st); err != nil {
			return nil, err
		}
		switch st["status"] {
		case "done":
			return st, nil
		case "halt":
			return nil, fmt.Errorf("job %d halted: %v", j.JobID, st["error"])
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
	}
	return nil, fmt.Errorf("job %d did not end", j.JobID)
}
