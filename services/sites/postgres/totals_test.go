package postgres

import "testing"

func TestTotals(t *testing.T) {
	var tt totals
	if _, ok := tt.get("a", 1); ok {
		t.Fatal("empty totals answered")
	}
	tt.put("a", 5, 100)
	tt.put("b", 4, 7)
	for _, c := range []struct {
		key      string
		version  int64
		want     int
		ok, hint bool
	}{
		{"a", 5, 100, true, true},
		{"a", 6, 100, false, true}, // written since: no answer, still a hint
		{"a", 4, 100, false, true},
		{"b", 4, 7, true, true},
		{"c", 5, 0, false, false},
	} {
		n, ok := tt.get(c.key, c.version)
		if ok != c.ok || ok && n != c.want {
			t.Errorf("get(%s, %d) = %d, %v; want %d, %v", c.key, c.version, n, ok, c.want, c.ok)
		}
		if n, ok := tt.hint(c.key); ok != c.hint || ok && n != c.want {
			t.Errorf("hint(%s) = %d, %v; want %d, %v", c.key, n, ok, c.want, c.hint)
		}
	}
	tt.put("a", 3, 1) // older than what is kept: ignored
	if n, ok := tt.get("a", 5); !ok || n != 100 {
		t.Fatalf("an older total replaced a newer one: %d, %v", n, ok)
	}
	tt.put("a", 6, 101)
	if n, ok := tt.get("a", 6); !ok || n != 101 {
		t.Fatalf("get(a, 6) = %d, %v; want 101", n, ok)
	}
	for i := range maxTotals {
		tt.put(string(rune('A'+i%26))+string(rune(i)), 6, i)
	}
	if len(tt.n) > maxTotals {
		t.Fatalf("%d totals kept; at most %d", len(tt.n), maxTotals)
	}
}
