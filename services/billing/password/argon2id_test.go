package password

import (
	"errors"
	"regexp"
	"testing"
)

// cheap keeps the tests fast; production uses DefaultParams.
var cheap = Params{Memory: 64, Time: 1, Threads: 1}

func TestHashIsPHCAndVerifies(t *testing.T) {
	h, err := NewArgon2id(cheap)
	if err != nil {
		t.Fatal(err)
	}
	hash, err := h.Hash("s3cret-pass")
	if err != nil {
		t.Fatal(err)
	}
	phc := regexp.MustCompile(`^\$argon2id\$v=19\$m=64,t=1,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$`)
	if !phc.MatchString(hash) {
		t.Fatalf("hash %q is not a PHC argon2id string", hash)
	}
	other, _ := h.Hash("s3cret-pass")
	if other == hash {
		t.Fatal("two hashes of one password are equal: salt not random")
	}
	for _, tt := range []struct {
		password string
		want     bool
	}{{"s3cret-pass", true}, {"s3cret-pasS", false}, {"", false}} {
		ok, err := h.Verify(hash, tt.password)
		if err != nil || ok != tt.want {
			t.Errorf("Verify(%q) = %v, %v; want %v", tt.password, ok, err, tt.want)
		}
	}
}

func TestVerifyUsesTheStoredParams(t *testing.T) {
	old, _ := NewArgon2id(cheap)
	hash, _ := old.Hash("pw123456")
	stronger, _ := NewArgon2id(Params{Memory: 128, Time: 2, Threads: 2})
	if ok, err := stronger.Verify(hash, "pw123456"); err != nil || !ok {
		t.Fatalf("Verify with other params = %v, %v", ok, err)
	}
}

func TestDefaultParams(t *testing.T) {
	if DefaultParams != (Params{Memory: 7168, Time: 5, Threads: 1}) {
		t.Fatalf("defaults %+v", DefaultParams)
	}
	if err := DefaultParams.Validate(); err != nil {
		t.Fatal(err)
	}
}

func TestParamsValidate(t *testing.T) {
	for _, p := range []Params{{Memory: 64, Time: 0, Threads: 1}, {Memory: 64, Time: 1, Threads: 0}, {Memory: 15, Time: 1, Threads: 2}} {
		if _, err := NewArgon2id(p); err == nil {
			t.Errorf("NewArgon2id(%+v) accepted", p)
		}
	}
}

func TestVerifyMalformed(t *testing.T) {
	h, _ := NewArgon2id(cheap)
	for _, hash := range []string{
		"",
		"plain",
		"$argon2i$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2g",
		"$argon2id$v=18$m=64,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2g",
		"$argon2id$v=19$m=64,t=1$c2FsdHNhbHQ$aGFzaGhhc2g",
		"$argon2id$v=19$m=64,t=1,p=1,x=2$c2FsdHNhbHQ$aGFzaGhhc2g",
		"$argon2id$v=19$m=64,t=1,p=999$c2FsdHNhbHQ$aGFzaGhhc2g",
		"$argon2id$v=19$m=1,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2g",
		"$argon2id$v=19$m=64,t=1,p=1$!!$aGFzaGhhc2g",
		"$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$",
	} {
		if ok, err := h.Verify(hash, "x"); ok || !errors.Is(err, ErrMalformed) {
			t.Errorf("Verify(%q) = %v, %v; want ErrMalformed", hash, ok, err)
		}
	}
}
