package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// TestOpsCollectorConfig checks the OpenTelemetry Collector's configuration
// holds together: the traces pipeline receives OTLP over HTTP on the port
// the components export to (OTEL_EXPORTER_OTLP_ENDPOINT in the compose
// file), and every component a pipeline names is defined.
func TestOpsCollectorConfig(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "observability", "otel-collector", "config.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var cfg struct {
		Receivers  map[string]map[string]any `yaml:"receivers"`
		Processors map[string]any            `yaml:"processors"`
		Exporters  map[string]struct {
			Endpoint string `yaml:"endpoint"`
		} `yaml:"exporters"`
		Extensions map[string]any `yaml:"extensions"`
		Service    struct {
			Extensions []string `yaml:"extensions"`
			Pipelines  map[string]struct {
				Receivers, Processors, Exporters []string
			} `yaml:"pipelines"`
		} `yaml:"service"`
	}
	if err := yaml.Unmarshal(b, &cfg); err != nil {
		t.Fatal(err)
	}
	traces, ok := cfg.Service.Pipelines["traces"]
	if !ok {
		t.Fatal("no traces pipeline")
	}
	has := func(kind string, names []string, defined func(string) bool) {
		if len(names) == 0 {
			t.Errorf("traces pipeline: no %s", kind)
		}
		for _, n := range names {
			if !defined(n) {
				t.Errorf("traces pipeline names %s %q, which is not defined", kind, n)
			}
		}
	}
	has("receiver", traces.Receivers, func(n string) bool { _, ok := cfg.Receivers[n]; return ok })
	has("processor", traces.Processors, func(n string) bool { _, ok := cfg.Processors[n]; return ok })
	has("exporter", traces.Exporters, func(n string) bool { _, ok := cfg.Exporters[n]; return ok })
	for _, n := range cfg.Service.Extensions {
		if _, ok := cfg.Extensions[n]; !ok {
			t.Errorf("extension %q not defined", n)
		}
	}
	protocols, _ := cfg.Receivers["otlp"]["protocols"].(map[string]any)
	httpRecv, _ := protocols["http"].(map[string]any)
	if ep, _ := httpRecv["endpoint"].(string); !strings.HasSuffix(ep, ":4318") {
		t.Errorf("otlp http receiver on %q, want :4318", ep)
	}
	for _, e := range traces.Exporters {
		if ep := cfg.Exporters[e].Endpoint; !strings.HasPrefix(ep, "jaeger:") {
			t.Errorf("exporter %s sends traces to %q, want Jaeger", e, ep)
		}
	}

	p, err := opsLoadCompose(t, "../.env.example")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range opsServices {
		if v := p.Services[name].Environment["OTEL_EXPORTER_OTLP_ENDPOINT"]; v == nil || *v != "http://otel-collector:4318" {
			t.Errorf("%s exports traces to %v, want http://otel-collector:4318", name, v)
		}
	}
}
