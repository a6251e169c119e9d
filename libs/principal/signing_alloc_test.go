package principal

import (
	"strings"
	"testing"
)

// The gateway signs a principal on every proxied request: one allocation
// (the signature string) and nothing else.
func TestSignAllocatesOnlyItsResult(t *testing.T) {
	s := NewSigner("secret")
	enc := strings.Repeat("e", 300)
	s.Sign(1, "GET", "/wp-json/wu/v2/customers/1", enc) // fill the pool
	if n := testing.AllocsPerRun(200, func() { s.Sign(1, "GET", "/wp-json/wu/v2/customers/1", enc) }); n > 1 {
		t.Fatalf("Sign allocates %.0f times per call, want 1", n)
	}
}

func TestSignSameResultWithPooledState(t *testing.T) {
	s := NewSigner("secret")
	first := s.Sign(42, "GET", "/a", "payload")
	for i := 0; i < 3; i++ {
		s.Sign(43, "POST", "/other/path", strings.Repeat("x", 2000)) // grows the pooled buffer
		if got := s.Sign(42, "GET", "/a", "payload"); got != first {
			t.Fatalf("signature changed with pooled state: %s vs %s", got, first)
		}
	}
	if other := NewSigner("other").Sign(42, "GET", "/a", "payload"); other == first {
		t.Fatal("a different secret gives the same signature")
	}
}

func BenchmarkSign(b *testing.B) {
	s := NewSigner("secret")
	enc := strings.Repeat("e", 300)
	b.ReportAllocs()
	for b.Loop() {
		s.Sign(1, "GET", "/wp-json/wu/v2/customers/1", enc)
	}
}
