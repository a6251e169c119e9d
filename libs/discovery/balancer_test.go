package discovery

import (
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/hostplane/hostplane/libs/errs"
)

func TestBalancerNext(t *testing.T) {
	tests := []struct {
		name    string
		addrs   []string
		picks   int
		want    []string
		wantErr string
	}{
		{"one instance", []string{"a:1"}, 3, []string{"a:1", "a:1", "a:1"}, ""},
		{"round robin", []string{"c:3", "a:1", "b:2"}, 7, []string{"a:1", "b:2", "c:3", "a:1", "b:2", "c:3", "a:1"}, ""},
		{"no instance", nil, 1, nil, "no instance of svc"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := NewBalancer(NewStatic(map[string][]string{"svc": tt.addrs}), "svc")
			var got []string
			for range tt.picks {
				a, err := b.Next()
				if tt.wantErr != "" {
					if !errors.Is(err, errs.Unavailable) {
						t.Fatalf("Next() error = %v, want an Unavailable error", err)
					}
					var e *errs.Error
					if !errors.As(err, &e) || e.Message != tt.wantErr {
						t.Fatalf("Next() error = %v, want message %q", err, tt.wantErr)
					}
					return
				}
				if err != nil {
					t.Fatalf("Next() error = %v", err)
				}
				got = append(got, a)
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("picks = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestBalancerNextExcept(t *testing.T) {
	tests := []struct {
		name    string
		addrs   []string
		tried   string
		wantErr bool
	}{
		{"other of two", []string{"a:1", "b:2"}, "a:1", false},
		{"other of three", []string{"a:1", "b:2", "c:3"}, "b:2", false},
		{"tried is gone", []string{"a:1", "b:2"}, "z:9", false},
		{"only the tried one", []string{"a:1"}, "a:1", true},
		{"none", nil, "a:1", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := NewBalancer(NewStatic(map[string][]string{"svc": tt.addrs}), "svc")
			for range 2*len(tt.addrs) + 1 { // every starting position
				a, err := b.NextExcept(tt.tried)
				if tt.wantErr {
					if !errors.Is(err, errs.Unavailable) {
						t.Fatalf("NextExcept(%q) = %q, %v; want an Unavailable error", tt.tried, a, err)
					}
					continue
				}
				if err != nil || a == tt.tried {
					t.Fatalf("NextExcept(%q) = %q, %v", tt.tried, a, err)
				}
			}
		})
	}
}

func TestBalancerFollowsResolver(t *testing.T) {
	s := NewStatic(map[string][]string{"svc": {"a:1"}})
	b := NewBalancer(s, "svc")
	if a, _ := b.Next(); a != "a:1" {
		t.Fatalf("Next() = %q, want a:1", a)
	}
	s.Set("svc", "b:2")
	if a, _ := b.Next(); a != "b:2" {
		t.Fatalf("Next() after Set = %q, want b:2", a)
	}
	s.Set("svc")
	if _, err := b.Next(); !errors.Is(err, errs.Unavailable) {
		t.Fatalf("Next() after removal: err = %v, want Unavailable", err)
	}
}

func TestBalancerConcurrentIsEven(t *testing.T) {
	addrs := []string{"a:1", "b:2", "c:3", "d:4"}
	b := NewBalancer(NewStatic(map[string][]string{"svc": addrs}), "svc")
	const workers, each = 8, 1000
	var mu sync.Mutex
	counts := map[string]int{}
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			local := map[string]int{}
			for range each {
				a, err := b.Next()
				if err != nil {
					t.Error(err)
					return
				}
				local[a]++
			}
			mu.Lock()
			defer mu.Unlock()
			for k, v := range local {
				counts[k] += v
			}
		})
	}
	wg.Wait()
	for _, a := range addrs {
		if counts[a] != workers*each/len(addrs) {
			t.Errorf("instance %s picked %d times, want %d (counts %v)", a, counts[a], workers*each/len(addrs), counts)
		}
	}
}

func BenchmarkBalancerNext(b *testing.B) {
	bal := NewBalancer(NewStatic(map[string][]string{"svc": {"a:1", "b:2", "c:3"}}), "svc")
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := bal.Next(); err != nil {
				b.Fatal(err)
			}
		}
	})
}
