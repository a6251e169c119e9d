package e2e

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/compose-spec/compose-go/v2/cli"
	"github.com/compose-spec/compose-go/v2/types"
)

// opsServices are the Hostplane components: one image, `hostplane <name>`.
var opsServices = []string{"auth", "billing", "sites", "tenancy", "stats"}

// opsLoadCompose loads ../docker-compose.yml the way `docker compose` does,
// with the secrets of envFile (none when empty).
func opsLoadCompose(t *testing.T, envFile string) (*types.Project, error) {
	t.Helper()
	opts := []cli.ProjectOptionsFn{cli.WithWorkingDirectory(".."), cli.WithName("hostplane"), cli.WithResolvedPaths(true)}
	if envFile != "" {
		opts = append(opts, cli.WithEnvFiles(envFile), cli.WithDotEnv)
	}
	o, err := cli.NewProjectOptions([]string{"../docker-compose.yml"}, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return o.LoadProject(context.Background())
}

func TestOpsComposeLoads(t *testing.T) {
	// Every variable the file requires (${X:?…}) is in .env.example: without
	// it loading fails, with it every service is there.
	if _, err := opsLoadCompose(t, ""); err == nil || !strings.Contains(err.Error(), "set it in .env") {
		t.Errorf("compose without .env: err = %v, want a required-variable error", err)
	}
	p, err := opsLoadCompose(t, "../.env.example")
	if err != nil {
		t.Fatalf("load docker-compose.yml: %v", err)
	}
	want := append([]string{"postgres", "redis", "consul", "migrate", "gateway",
		"prometheus", "grafana", "otel-collector", "jaeger"}, opsServices...)
	for _, name := range want {
		if _, ok := p.Services[name]; !ok {
			t.Errorf("service %q missing", name)
		}
	}
	for name, svc := range p.Services {
		// A one-shot and the collector (its image has no shell to probe
		// with; nothing waits on its health) go without a health check.
		if name == "migrate" || name == "otel-collector" {
			continue
		}
		if svc.HealthCheck == nil || len(svc.HealthCheck.Test) == 0 || svc.HealthCheck.Disable {
			t.Errorf("%s: no health check", name)
		}
	}
	for _, f := range []string{"../.env.example"} {
		if _, err := os.Stat(f); err != nil {
			t.Error(err)
		}
	}
}

func TestOpsComposeHostplaneServices(t *testing.T) {
	p, err := opsLoadCompose(t, "../.env.example")
	if err != nil {
		t.Fatal(err)
	}
	ports := map[string]string{"auth": "8081", "billing": "8082", "sites": "8083", "tenancy": "8084", "stats": "8085", "gateway": "8080"}
	for _, name := range append(slices.Clone(opsServices), "gateway") {
		t.Run(name, func(t *testing.T) {
			svc := p.Services[name]
			if svc.Build == nil || !strings.HasSuffix(svc.Build.Dockerfile, "deploy/Dockerfile") {
				t.Errorf("build = %+v, want deploy/Dockerfile", svc.Build)
			}
			if len(svc.Command) < 2 || svc.Command[0] != name || svc.Command[1] != "--addr=:"+ports[name] {
				t.Errorf("command = %q, want [%s --addr=:%s]", svc.Command, name, ports[name])
			}
			if hc := strings.Join(svc.HealthCheck.Test, " "); !strings.Contains(hc, "hostplane healthcheck http://127.0.0.1:"+ports[name]+"/readyz") {
				t.Errorf("health check %q does not probe its own /readyz", hc)
			}
			for dep, cond := range map[string]string{
				"migrate": types.ServiceConditionCompletedSuccessfully,
				"redis":   types.ServiceConditionHealthy,
				"consul":  types.ServiceConditionHealthy,
			} {
				if got := svc.DependsOn[dep].Condition; got != cond {
					t.Errorf("depends_on %s: condition %q, want %q", dep, got, cond)
				}
			}
			for _, env := range []string{"HOSTPLANE_INTERNAL_SECRET", "HOSTPLANE_DATABASE_URL", "HOSTPLANE_REDIS_URL", "CONSUL_HTTP_ADDR", "OTEL_EXPORTER_OTLP_ENDPOINT"} {
				if v := svc.Environment[env]; v == nil || *v == "" {
					t.Errorf("environment %s unset", env)
				}
			}
		})
	}
	for name, n := range map[string]int{"billing": 2, "sites": 2} {
		if d := p.Services[name].Deploy; d == nil || d.Replicas == nil || *d.Replicas != n {
			t.Errorf("%s: replicas %+v, want %d", name, d, n)
		}
	}
	gw := p.Services["gateway"]
	if len(gw.Ports) != 1 || gw.Ports[0].Published != "8080" || gw.Ports[0].Target != 8080 {
		t.Errorf("gateway ports = %+v, want 8080:8080", gw.Ports)
	}
	for _, s := range opsServices {
		if gw.DependsOn[s].Condition != types.ServiceConditionHealthy {
			t.Errorf("gateway: depends_on %s %+v, want service_healthy", s, gw.DependsOn[s])
		}
	}
	if p.Services["migrate"].DependsOn["postgres"].Condition != types.ServiceConditionHealthy {
		t.Error("migrate must wait for a healthy postgres")
	}
	if got := p.Services["auth"].Environment["HOSTPLANE_ROOT_API_SECRET"]; got == nil || *got == "" {
		t.Error("auth: no root API secret from .env")
	}
}

// TestOpsComposeMounts checks every file the compose file mounts exists and
// that PostgreSQL's init script creates one database per service.
func TestOpsComposeMounts(t *testing.T) {
	p, err := opsLoadCompose(t, "../.env.example")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for name, svc := range p.Services {
		for _, v := range svc.Volumes {
			if v.Type != types.VolumeTypeBind {
				continue
			}
			n++
			if _, err := os.Stat(v.Source); err != nil {
				t.Errorf("%s mounts %s: %v", name, v.Source, err)
			}
		}
	}
	if n < 5 {
		t.Errorf("%d bind mounts, want init.sql, consul, prometheus, grafana and collector configs", n)
	}
	sql, err := os.ReadFile(filepath.Join("..", "deploy", "postgres", "init.sql"))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range opsServices {
		if !regexp.MustCompile(`(?m)^CREATE DATABASE hostplane_` + s + `;`).Match(sql) {
			t.Errorf("init.sql does not create hostplane_%s", s)
		}
	}
}

// opsToolPath is a tool deploy/local builds into its cache (nomad, consul),
// or "" when it is not built yet.
func opsToolPath(name, version string) string {
	dir := os.Getenv("HOSTPLANE_TOOLS_DIR")
	if dir == "" {
		cache, err := os.UserCacheDir()
		if err != nil {
			return ""
		}
		dir = filepath.Join(cache, "hostplane", "tools")
	}
	p := filepath.Join(dir, name+"-"+version, name)
	if _, err := os.Stat(p); err != nil {
		return ""
	}
	return p
}

// TestOpsComposeGatewayInConsul checks the Consul entry through which
// Prometheus finds the gateway under docker compose: the name and tag
// Prometheus selects, and a configuration Consul v1.16.6 accepts.
func TestOpsComposeGatewayInConsul(t *testing.T) {
	f := filepath.Join("..", "observability", "prometheus", "consul", "gateway.json")
	b, err := os.ReadFile(f)
	if err != nil {
		t.Fatal(err)
	}
	var entry struct {
		Service struct {
			Name string   `json:"name"`
			Port int      `json:"port"`
			Tags []string `json:"tags"`
		} `json:"service"`
	}
	if err := json.Unmarshal(b, &entry); err != nil {
		t.Fatal(err)
	}
	if entry.Service.Name != "gateway" || entry.Service.Port != 8080 || !slices.Contains(entry.Service.Tags, opsConsulTag) {
		t.Errorf("gateway entry %+v, want gateway:8080 tagged %s", entry.Service, opsConsulTag)
	}
	consul := opsToolPath("consul", "v1.16.6")
	if consul == "" {
		t.Skip("no Consul v1.16.6 built (deploy/local/build-consul.sh): entry not validated by consul")
	}
	dir := t.TempDir()
	base := filepath.Join(dir, "base.json")
	if err := os.WriteFile(base, []byte(`{"data_dir":"`+filepath.Join(dir, "data")+`","server":true,"bootstrap_expect":1}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(consul, "validate", base, f).CombinedOutput(); err != nil {
		t.Errorf("consul validate: %v\n%s", err, out)
	}
}
