package discovery

import (
	"slices"
	"testing"
	"time"
)

func TestStaticInstances(t *testing.T) {
	s := NewStatic(map[string][]string{
		"billing": {"127.0.0.1:8082", "127.0.0.1:9082", "127.0.0.1:8082"},
		"auth":    {"127.0.0.1:8081"},
		"empty":   nil,
	})
	tests := []struct {
		service string
		want    []string
	}{
		{"billing", []string{"127.0.0.1:8082", "127.0.0.1:9082"}}, // sorted, deduplicated
		{"auth", []string{"127.0.0.1:8081"}},
		{"empty", nil},
		{"unknown", nil},
	}
	for _, tt := range tests {
		t.Run(tt.service, func(t *testing.T) {
			if got := s.Instances(tt.service); !slices.Equal(got, tt.want) {
				t.Errorf("Instances(%q) = %v, want %v", tt.service, got, tt.want)
			}
		})
	}
}

func TestStaticSetCopiesInput(t *testing.T) {
	in := []string{"b:2", "a:1"}
	s := NewStatic(map[string][]string{"svc": in})
	in[0] = "changed:1"
	if got := s.Instances("svc"); !slices.Equal(got, []string{"a:1", "b:2"}) {
		t.Errorf("Instances = %v, want [a:1 b:2]", got)
	}
}

func TestStaticChanged(t *testing.T) {
	tests := []struct {
		name    string
		initial []string
		set     []string
		fires   bool
	}{
		{"add to unknown", nil, []string{"a:1"}, true},
		{"replace", []string{"a:1"}, []string{"b:2"}, true},
		{"remove all", []string{"a:1"}, nil, true},
		{"same set in another order", []string{"a:1", "b:2"}, []string{"b:2", "a:1"}, false},
		{"still empty", nil, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := NewStatic(map[string][]string{"svc": tt.initial})
			ch := s.Changed("svc")
			s.Set("svc", tt.set...)
			select {
			case <-ch:
				if !tt.fires {
					t.Fatal("Changed fired without a change")
				}
			case <-time.After(50 * time.Millisecond):
				if tt.fires {
					t.Fatal("Changed did not fire")
				}
			}
			want := slices.Sorted(slices.Values(tt.set))
			if got := s.Instances("svc"); !slices.Equal(got, want) {
				t.Errorf("Instances = %v, want %v", got, want)
			}
		})
	}
}
