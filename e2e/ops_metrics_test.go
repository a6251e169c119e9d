package e2e

import (
	"bufio"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

var (
	// opsMetricName finds the exported metric names in a PromQL expression;
	// opsRecordedName the recording rules' names (level:metric:operations).
	opsMetricName   = regexp.MustCompile(`\bhostplane_[a-z0-9_]+`)
	opsRecordedName = regexp.MustCompile(`\bhostplane:[a-z0-9_:]+`)
)

// opsRuleFile is the part of a Prometheus rule file the checks read.
type opsRuleFile struct {
	Groups []struct {
		Rules []struct {
			Record      string            `yaml:"record"`
			Alert       string            `yaml:"alert"`
			Expr        string            `yaml:"expr"`
			Annotations map[string]string `yaml:"annotations"`
		} `yaml:"rules"`
	} `yaml:"groups"`
}

func opsLoadRules(t *testing.T) map[string]opsRuleFile {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join("..", "observability", "prometheus", "rules", "*.yml"))
	if len(files) == 0 {
		t.Fatal("no rule files")
	}
	out := map[string]opsRuleFile{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var rf opsRuleFile
		if err := yaml.Unmarshal(b, &rf); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		out[f] = rf
	}
	return out
}

// opsDashboardExprs returns every PromQL expression of every dashboard.
func opsDashboardExprs(t *testing.T) map[string][]string {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join("..", "observability", "grafana", "dashboards", "*.json"))
	if len(files) < 4 {
		t.Fatalf("%d dashboards, want gateway, service RED, business, jobs and tenancy", len(files))
	}
	out := map[string][]string{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var d struct {
			UID    string `json:"uid"`
			Panels []struct {
				Title   string `json:"title"`
				Targets []struct {
					Expr string `json:"expr"`
				} `json:"targets"`
			} `json:"panels"`
		}
		if err := json.Unmarshal(b, &d); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if d.UID == "" || len(d.Panels) == 0 {
			t.Errorf("%s: no uid or no panels", f)
		}
		for _, p := range d.Panels {
			if len(p.Targets) == 0 {
				t.Errorf("%s: panel %q has no query", f, p.Title)
			}
			for _, tg := range p.Targets {
				out[f] = append(out[f], tg.Expr)
			}
		}
	}
	return out
}

// opsUsedMetrics returns the exported names (and, apart, the recorded names)
// the rules and dashboards use, each with a place that uses it.
func opsUsedMetrics(t *testing.T) (exported, recorded map[string]string) {
	t.Helper()
	exported, recorded = map[string]string{}, map[string]string{}
	add := func(where, expr string) {
		for _, n := range opsMetricName.FindAllString(expr, -1) {
			exported[n] = where
		}
		for _, n := range opsRecordedName.FindAllString(expr, -1) {
			recorded[n] = where
		}
	}
	for f, rf := range opsLoadRules(t) {
		for _, g := range rf.Groups {
			for _, r := range g.Rules {
				add(filepath.Base(f)+" "+r.Record+r.Alert, r.Expr)
			}
		}
	}
	for f, exprs := range opsDashboardExprs(t) {
		for _, e := range exprs {
			add(filepath.Base(f), e)
		}
	}
	return exported, recorded
}

// opsScrapeNames reads the metric names a /metrics page exports.
func opsScrapeNames(t *testing.T, url string) map[string]bool {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatalf("scrape %s: %v", url, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("scrape %s: %d %s", url, resp.StatusCode, b)
	}
	names := map[string]bool{}
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || line[0] == '#' {
			continue
		}
		if i := strings.IndexAny(line, "{ "); i > 0 {
			names[line[:i]] = true
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return names
}

// TestOpsRulesAndRunbooks checks that every recorded name a rule or a
// dashboard uses is recorded, and that every alert has its runbook page.
func TestOpsRulesAndRunbooks(t *testing.T) {
	_, recorded := opsUsedMetrics(t)
	defined := map[string]bool{}
	var alerts []string
	for _, rf := range opsLoadRules(t) {
		for _, g := range rf.Groups {
			for _, r := range g.Rules {
				if r.Record != "" {
					defined[r.Record] = true
				}
				if r.Alert != "" {
					alerts = append(alerts, r.Alert)
					url := r.Annotations["runbook_url"]
					if !strings.HasPrefix(url, "observability/runbooks/") {
						t.Errorf("%s: runbook_url %q", r.Alert, url)
						continue
					}
					page, err := os.ReadFile(filepath.Join("..", url))
					if err != nil {
						t.Errorf("%s: %v", r.Alert, err)
						continue
					}
					for _, section := range []string{"# " + r.Alert, "**Means.**", "**Confirm.**", "**Do.**"} {
						if !strings.Contains(string(page), section) {
							t.Errorf("%s: runbook lacks %q", url, section)
						}
					}
				}
			}
		}
	}
	for n, where := range recorded {
		if !defined[n] {
			t.Errorf("%s uses %s, which no rule records", where, n)
		}
	}
	for _, want := range []string{"HostplaneHigh5xxRatio", "HostplaneHighP99Latency", "HostplaneInstanceDown",
		"HostplaneLimiterFallback", "HostplaneStatsConsumerLag", "HostplaneSitesJobFailures", "HostplaneTenantVerificationFailures"} {
		if !slices.Contains(alerts, want) {
			t.Errorf("no alert %s", want)
		}
	}
}

// opsCheckExported fails for every name used but exported by no component.
func opsCheckExported(t *testing.T, used map[string]string, exported map[string]bool) {
	t.Helper()
	var missing []string
	for n, where := range used {
		if !exported[n] {
			missing = append(missing, n+" (used by "+where+")")
		}
	}
	sort.Strings(missing)
	for _, m := range missing {
		t.Errorf("not exported by any running component: %s", m)
	}
}
