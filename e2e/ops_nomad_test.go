package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclparse"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hostplane/hostplane/libs/testenv"
	"github.com/zclconf/go-cty/cty"
)

// opsConsulTag is what the gateway and the services filter Consul on
// (HOSTPLANE_CONSUL_TAG's default in libs/component).
const opsConsulTag = "hostplane"

// opsNomadFiles are deploy/nomad's job files.
func opsNomadFiles(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("..", "deploy", "nomad", "*.nomad.hcl"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no Nomad job files: %v", err)
	}
	return files
}

// hclBlocks returns the blocks of type typ in body b.
func hclBlocks(b *hclsyntax.Body, typ string) []*hclsyntax.Block {
	var out []*hclsyntax.Block
	for _, bl := range b.Blocks {
		if bl.Type == typ {
			out = append(out, bl)
		}
	}
	return out
}

// hclAttr evaluates a literal attribute of b (nil when absent or not literal).
func hclAttr(b *hclsyntax.Body, name string) *cty.Value {
	a, ok := b.Attributes[name]
	if !ok {
		return nil
	}
	v, diags := a.Expr.Value(&hcl.EvalContext{})
	if diags.HasErrors() {
		return nil
	}
	return &v
}

func hclStrings(v *cty.Value) []string {
	if v == nil || !v.CanIterateElements() {
		return nil
	}
	var out []string
	for _, e := range v.AsValueSlice() {
		if e.Type() == cty.String {
			out = append(out, e.AsString())
		}
	}
	return out
}

// nomadServices parses every job file and returns, per job name, the
// Consul services it registers with their tags and check paths.
type opsNomadService struct {
	job, name string
	tags      []string
	checks    []string // http check paths
}

func opsParseNomad(t *testing.T) (map[string]*hclsyntax.Body, []opsNomadService) {
	t.Helper()
	p := hclparse.NewParser()
	jobs := map[string]*hclsyntax.Body{}
	var svcs []opsNomadService
	for _, f := range opsNomadFiles(t) {
		file, diags := p.ParseHCLFile(f)
		if diags.HasErrors() {
			t.Fatalf("%s: %s", f, diags.Error())
		}
		body := file.Body.(*hclsyntax.Body)
		js := hclBlocks(body, "job")
		if len(js) != 1 || len(js[0].Labels) != 1 {
			t.Fatalf("%s: want exactly one labelled job block", f)
		}
		job := js[0].Labels[0]
		if want := strings.TrimSuffix(filepath.Base(f), ".nomad.hcl"); job != want {
			t.Errorf("%s: job %q, want %q (the file's name)", f, job, want)
		}
		jobs[job] = js[0].Body
		for _, g := range hclBlocks(js[0].Body, "group") {
			for _, s := range hclBlocks(g.Body, "service") {
				ns := opsNomadService{job: job, tags: hclStrings(hclAttr(s.Body, "tags"))}
				if v := hclAttr(s.Body, "name"); v != nil && v.Type() == cty.String {
					ns.name = v.AsString()
				}
				for _, c := range hclBlocks(s.Body, "check") {
					if p := hclAttr(c.Body, "path"); p != nil && p.Type() == cty.String {
						ns.checks = append(ns.checks, p.AsString())
					}
				}
				svcs = append(svcs, ns)
			}
		}
	}
	return jobs, svcs
}

func TestOpsNomadJobsRegisterGatewayNames(t *testing.T) {
	jobs, svcs := opsParseNomad(t)
	for _, name := range append(slices.Clone(opsServices), "gateway") {
		t.Run(name, func(t *testing.T) {
			job, ok := jobs[name]
			if !ok {
				t.Fatalf("no job %q", name)
			}
			var found *opsNomadService
			for i := range svcs {
				if svcs[i].job == name && svcs[i].name == name {
					found = &svcs[i]
				}
			}
			if found == nil {
				t.Fatalf("job %s registers no Consul service %q", name, name)
			}
			if !slices.Contains(found.tags, opsConsulTag) {
				t.Errorf("service %s tags %q, want %q", name, found.tags, opsConsulTag)
			}
			if !slices.Contains(found.checks, "/readyz") {
				t.Errorf("service %s checks %q, want an http check on /readyz", name, found.checks)
			}
			if len(hclBlocks(job, "update")) != 1 {
				t.Error("no update stanza (rolling deploys)")
			}
			for _, g := range hclBlocks(job, "group") {
				for _, task := range hclBlocks(g.Body, "task") {
					if d := hclAttr(task.Body, "driver"); d == nil || d.AsString() != "docker" {
						t.Errorf("task %s: driver is not docker", task.Labels)
					}
					if len(hclBlocks(task.Body, "resources")) != 1 {
						t.Errorf("task %s: no resources", task.Labels)
					}
					cfg := hclBlocks(task.Body, "config")
					if len(cfg) != 1 {
						t.Fatalf("task %s: no config", task.Labels)
					}
					// args = [name, "--addr=:${NOMAD_PORT_http}"]: a template, so
					// read the first element's source.
					args, ok := cfg[0].Body.Attributes["args"].Expr.(*hclsyntax.TupleConsExpr)
					if !ok || len(args.Exprs) == 0 {
						t.Fatalf("task %s: no args", task.Labels)
					}
					if v, diags := args.Exprs[0].Value(nil); diags.HasErrors() || v.AsString() != name {
						t.Errorf("task %s: runs %v, want hostplane %s", task.Labels, v, name)
					}
					// The job's service stanza registers the task; a service
					// that registered itself too would be in Consul twice.
					if name != "gateway" {
						envs := hclBlocks(task.Body, "env")
						var skip *cty.Value
						if len(envs) == 1 {
							skip = hclAttr(envs[0].Body, "HOSTPLANE_CONSUL_SKIP_REGISTER")
						}
						if skip == nil || skip.Type() != cty.String || skip.AsString() != "true" {
							t.Errorf("task %s: env HOSTPLANE_CONSUL_SKIP_REGISTER is not \"true\" (double registration)", task.Labels)
						}
					}
				}
			}
		})
	}
	if _, ok := jobs["infra"]; !ok {
		t.Error("no infra job (development infrastructure)")
	}
}

// TestOpsNomadValidate runs `nomad job validate` and `nomad fmt -check` on
// every job file with Nomad v1.6.3, built by deploy/local/build-nomad.sh
// (minutes, once; cached). No agent is needed.
func TestOpsNomadValidate(t *testing.T) {
	nomad := os.Getenv("HOSTPLANE_NOMAD_BIN")
	if nomad == "" {
		nomad = opsToolPath("nomad", "v1.6.3")
	}
	if nomad == "" {
		if testenv.Required("nomad") {
			t.Fatal("HOSTPLANE_TEST_REQUIRE has nomad but no Nomad v1.6.3 is built: run deploy/local/build-nomad.sh")
		}
		t.Skip("no Nomad v1.6.3 built: run deploy/local/build-nomad.sh once (about 7 min)")
	}
	for _, f := range opsNomadFiles(t) {
		t.Run(filepath.Base(f), func(t *testing.T) {
			cmd := exec.Command(nomad, "job", "validate", f)
			cmd.Env = append(os.Environ(), "NOMAD_ADDR=http://127.0.0.1:1") // no agent: validate locally
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Errorf("nomad job validate: %v\n%s", err, out)
			}
			if out, err := exec.Command(nomad, "fmt", "-check", f).CombinedOutput(); err != nil {
				t.Errorf("nomad fmt -check: %v\n%s", err, out)
			}
		})
	}
}
