package e2e

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"go.yaml.in/yaml/v3"
)

// TestOpsGrafanaProvisioning checks Grafana finds what compose mounts: the
// dashboards provider reads the directory the dashboards are mounted on,
// and every panel queries a provisioned datasource by its uid.
func TestOpsGrafanaProvisioning(t *testing.T) {
	root := filepath.Join("..", "observability", "grafana")
	var ds struct {
		Datasources []struct {
			UID  string `yaml:"uid"`
			Type string `yaml:"type"`
			URL  string `yaml:"url"`
		} `yaml:"datasources"`
	}
	opsReadYAML(t, filepath.Join(root, "provisioning", "datasources", "hostplane.yml"), &ds)
	uids := map[string]string{}
	for _, d := range ds.Datasources {
		uids[d.UID] = d.Type
	}
	if uids["prometheus"] != "prometheus" || uids["jaeger"] != "jaeger" {
		t.Errorf("datasources %v, want prometheus and jaeger", uids)
	}

	var prov struct {
		Providers []struct {
			Options struct {
				Path string `yaml:"path"`
			} `yaml:"options"`
		} `yaml:"providers"`
	}
	opsReadYAML(t, filepath.Join(root, "provisioning", "dashboards", "hostplane.yml"), &prov)
	p, err := opsLoadCompose(t, "../.env.example")
	if err != nil {
		t.Fatal(err)
	}
	var targets []string
	for _, v := range p.Services["grafana"].Volumes {
		targets = append(targets, v.Target)
	}
	if len(prov.Providers) != 1 || !slices.Contains(targets, prov.Providers[0].Options.Path) {
		t.Errorf("dashboards provider reads %+v; grafana mounts %q", prov.Providers, targets)
	}

	files, _ := filepath.Glob(filepath.Join(root, "dashboards", "*.json"))
	seen := map[string]bool{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var d struct {
			UID    string `json:"uid"`
			Panels []struct {
				Title      string `json:"title"`
				Datasource struct {
					UID string `json:"uid"`
				} `json:"datasource"`
			} `json:"panels"`
		}
		if err := json.Unmarshal(b, &d); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if seen[d.UID] {
			t.Errorf("%s: uid %q used twice", f, d.UID)
		}
		seen[d.UID] = true
		for _, pn := range d.Panels {
			if _, ok := uids[pn.Datasource.UID]; !ok {
				t.Errorf("%s: panel %q queries datasource %q, not provisioned", f, pn.Title, pn.Datasource.UID)
			}
		}
	}
}

func opsReadYAML(t *testing.T, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}
