package main

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// fakeJobs is a gateway serving one site's backups and jobs: each job
// walks through states, then ends as told.
type fakeJobs struct {
	mu     sync.Mutex
	polls  int
	end    string // done or halt
	auth   string
	method string
	path   string
}

func (f *fakeJobs) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	switch {
	case strings.HasPrefix(r.URL.Path, "/v1/sites/missing/"):
		w.WriteHeader(404)
		w.Write([]byte(`{"meta":{"success":false,"status_code":404},"error":{"code":4401,"message":"Item not found.","fields":{}},"data":null}`))
	case strings.Contains(r.URL.Path, "/jobs/"):
		f.polls++
		states := []string{
			`{"status":"todo","progression":0,"step":"","result":null,"error":null}`,
			`{"status":"working","progression":40,"step":"archiving","result":null,"error":null}`,
			`{"status":"working","progression":40,"step":"archiving","result":null,"error":null}`,
		}
		if f.polls <= len(states) {
			w.Write([]byte(`{"meta":{"success":true,"status_code":200},"error":null,"data":` + states[f.polls-1] + `}`))
			return
		}
		if f.end == "halt" {
			w.Write([]byte(`{"meta":{"success":true,"status_code":200},"error":null,"data":{"status":"halt","progression":40,"step":"extracting","result":null,"error":"The archive is corrupted."}}`))
			return
		}
		w.Write([]byte(`{"meta":{"success":true,"status_code":200},"error":null,"data":{"status":"done","progression":100,"step":"done","result":{"backup_id":"20261123-210251"},"error":null}}`))
	default:
		f.auth, f.method, f.path = r.Header.Get("Authorization"), r.Method, r.URL.Path
		w.Write([]byte(`{"meta":{"success":true,"status_code":200},"error":null,"data":{"job_id":7}}`))
	}
}

func env(addr string) func(string) string {
	m := map[string]string{"HOSTPLANE_ROOT_API_KEY": "hp_k", "HOSTPLANE_ROOT_API_SECRET": "s3cret-0123456789", "HOSTPLANE_ADDR": addr}
	return func(k string) string { return m[k] }
}

func TestSitesBackupWait(t *testing.T) {
	f := &fakeJobs{end: "done"}
	srv := httptest.NewServer(f)
	defer srv.Close()
	var out bytes.Buffer
	if err := run(context.Background(), []string{"sites", "backup", "shop", "--wait"}, &out, &out, env(srv.URL)); err != nil {
		t.Fatal(err)
	}
	if f.method != "POST" || f.path != "/v1/sites/shop/backups.json" || f.auth != "token hp_k.s3cret-0123456789" {
		t.Fatalf("request %s %s %q", f.method, f.path, f.auth)
	}
	// Not a terminal: one line per change, then the result.
	want := "  0% todo\n 40% archiving\n100% done\njob 7 done: {\"backup_id\":\"20261123-210251\"}\n"
	if out.String() != want {
		t.Fatalf("output\n%q\nwant\n%q", out.String(), want)
	}
}

func TestSitesRestoreHaltsWithTheJob(t *testing.T) {
	f := &fakeJobs{end: "halt"}
	srv := httptest.NewServer(f)
	defer srv.Close()
	var out bytes.Buffer
	err := run(context.Background(), []string{"sites", "restore", "--wait", "shop", "20261123-210251"}, &out, &out, env(srv.URL))
	if !errors.Is(err, errJobHalted) || !strings.Contains(err.Error(), "The archive is corrupted.") {
		t.Fatalf("err = %v", err)
	}
	if f.method != "PUT" || f.path != "/v1/sites/shop/backups/20261123-210251.json" {
		t.Fatalf("request %s %s", f.method, f.path)
	}
}

func TestSitesCommandLine(t *testing.T) {
	f := &fakeJobs{end: "done"}
	srv := httptest.NewServer(f)
	defer srv.Close()
	var out bytes.Buffer
	if err := run(context.Background(), []string{"sites", "backup", "shop"}, &out, &out, env(srv.URL)); err != nil ||
		!strings.Contains(out.String(), "hostplane jobs watch shop 7") {
		t.Fatalf("without --wait: %v %q", err, out.String())
	}
	for _, args := range [][]string{{"sites", "backup"}, {"sites", "restore", "shop"},
		{"jobs"}, {"jobs", "watch", "shop"}, {"jobs", "watch", "shop", "x"}, {"sites", "backup", "shop", "--bogus"}} {
		var ue usageError
		if err := run(context.Background(), args, &out, &out, env(srv.URL)); !errors.As(err, &ue) {
			t.Errorf("%v: %v, want a usage error", args, err)
		}
	}
	err := run(context.Background(), []string{"jobs", "watch", "missing", "3"}, &out, &out, env(srv.URL))
	if err == nil || !strings.Contains(err.Error(), "4401") {
		t.Fatalf("unknown site: %v", err)
	}
}

func TestProgressBar(t *testing.T) {
	var out bytes.Buffer
	p := newProgress(&out, true)
	p.show(jobState{Status: "working", Progression: 50, Step: "archiving"})
	p.show(jobState{Status: "working", Progression: 50, Step: "archiving"})
	p.show(jobState{Status: "done", Progression: 100, Step: "done"})
	p.done()
	got := out.String()
	if !strings.Contains(got, "\r[###############...............]  50% archiving") ||
		!strings.Contains(got, "\r[##############################] 100% done") || !strings.HasSuffix(got, "\n") ||
		strings.Count(got, "\r") != 2 {
		t.Fatalf("bar %q", got)
	}
}
