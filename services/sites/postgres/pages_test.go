package postgres

import (
	"fmt"
	"slices"
	"testing"

	"github.com/hostplane/hostplane/services/sites/site"
)

func TestKeptFor(t *testing.T) {
	for _, c := range []struct {
		f    site.ListFilter
		want int
	}{
		{site.ListFilter{Limit: 20}, keptMin},
		{site.ListFilter{Offset: 40, Limit: 20}, keptMin},
		{site.ListFilter{Offset: keptMin, Limit: 20}, keptMin + 20},
		{site.ListFilter{Offset: keptMax - 20, Limit: 20}, keptMax},
		{site.ListFilter{Offset: keptMax - 19, Limit: 20}, 0},
		{site.ListFilter{}, 0}, // the whole list
		{site.ListFilter{Limit: 20, Select: site.SelectClosingSoon}, 0},
		{site.ListFilter{Limit: 20, Select: site.SelectOpen}, keptMin},
	} {
		if got := keptFor(c.f); got != c.want {
			t.Errorf("keptFor(%+v) = %d; want %d", c.f, got, c.want)
		}
	}
}

func TestPages(t *testing.T) {
	var p pages
	first := []int64{5, 3, 9, 1, 7}
	p.put("some", kept{version: 4, ids: first, total: 12}) // 5 of 12 matches
	p.put("all", kept{version: 4, ids: []int64{8, 2}, all: true, total: 2})
	for _, c := range []struct {
		key           string
		offset, limit int
		want          []int64
		ok            bool
	}{
		{"some", 0, 2, []int64{5, 3}, true},
		{"some", 2, 3, []int64{9, 1, 7}, true},
		{"some", 4, 2, nil, false}, // past what is kept of more matches
		{"some", 5, 2, nil, false},
		{"all", 0, 20, []int64{8, 2}, true}, // every match kept: a short last page
		{"all", 1, 20, []int64{2}, true},
		{"all", 2, 20, nil, false}, // past the end: counted afresh
		{"none", 0, 20, nil, false},
	} {
		ids, version, total, ok := p.page(c.key, c.offset, c.limit)
		if ok != c.ok || !slices.Equal(ids, c.want) || ok && version != 4 {
			t.Errorf("page(%s, %d, %d) = %v at %d, %v; want %v at 4, %v", c.key, c.offset, c.limit, ids, version, ok, c.want, c.ok)
		}
		if ok && total != map[string]int{"some": 12, "all": 2}[c.key] {
			t.Errorf("page(%s) total %d", c.key, total)
		}
	}

	p.put("some", kept{version: 3, ids: []int64{1}, total: 1}) // older: ignored
	if ids, _, _, _ := p.page("some", 0, 1); !slices.Equal(ids, []int64{5}) {
		t.Fatalf("an older search replaced a newer one: %v", ids)
	}
	p.drop("some", 3) // not the version kept: kept
	if _, _, _, ok := p.page("some", 0, 1); !ok {
		t.Fatal("drop of another version dropped the search")
	}
	p.drop("some", 4)
	if _, _, _, ok := p.page("some", 0, 1); ok {
		t.Fatal("dropped search still answers")
	}
	if want := 2 + keptCost; p.ids != want {
		t.Fatalf("cost %d counted; want %d (one search of 2 ids)", p.ids, want)
	}
}

func TestPagesBounded(t *testing.T) {
	for _, size := range []int{0, 1, keptMin, keptMax} {
		t.Run(fmt.Sprint(size), func(t *testing.T) {
			var p pages
			ids := make([]int64, size)
			n := 3 * maxKeptIDs / (size + keptCost)
			for i := range n {
				p.put(fmt.Sprint(i), kept{version: 1, ids: ids})
				if p.ids > maxKeptIDs {
					t.Fatalf("cost %d kept; at most %d", p.ids, maxKeptIDs)
				}
			}
			sum := 0
			for _, k := range p.m {
				sum += len(k.ids) + keptCost
			}
			if sum != p.ids || sum+size+keptCost <= maxKeptIDs {
				t.Fatalf("cost %d kept, %d counted; want %d, full", sum, p.ids, maxKeptIDs)
			}
			if _, ok := p.m[fmt.Sprint(n-1)]; !ok {
				t.Fatal("the last search put was dropped")
			}
		})
	}
}
