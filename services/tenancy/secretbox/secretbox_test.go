package secretbox_test

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"strings"
	"testing"

	"github.com/hostplane/hostplane/services/tenancy/secretbox"
)

var key = bytes.Repeat([]byte{7}, 32)

func TestParseKey(t *testing.T) {
	for name, s := range map[string]string{
		"hex":        hex.EncodeToString(key),
		"HEX":        strings.ToUpper(hex.EncodeToString(key)),
		"base64":     base64.StdEncoding.EncodeToString(key),
		"raw base64": base64.RawStdEncoding.EncodeToString(key),
		"url":        base64.URLEncoding.EncodeToString(key),
		"spaces":     "  " + hex.EncodeToString(key) + "\n",
	} {
		got, err := secretbox.ParseKey(s)
		if err != nil || !bytes.Equal(got, key) {
			t.Errorf("%s: %x %v", name, got, err)
		}
	}
	for _, bad := range []string{"", "abc", hex.EncodeToString(key[:31]), base64.StdEncoding.EncodeToString(key[:16]), strings.Repeat("z", 64)} {
		if _, err := secretbox.ParseKey(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestSealOpen(t *testing.T) {
	box, err := secretbox.New(key)
	if err != nil {
		t.Fatal(err)
	}
	secret := []byte("correct horse battery staple")
	a, _ := box.Seal(secret, []byte("tenant:1"))
	b, _ := box.Seal(secret, []byte("tenant:1"))
	if bytes.Equal(a, b) {
		t.Fatal("two seals of one value are equal: nonce reused")
	}
	if bytes.Contains(a, secret) {
		t.Fatal("the plaintext shows in the sealed value")
	}
	got, err := box.Open(a, []byte("tenant:1"))
	if err != nil || !bytes.Equal(got, secret) {
		t.Fatalf("open: %q %v", got, err)
	}
	other, _ := secretbox.New(bytes.Repeat([]byte{8}, 32))
	flipped := append([]byte(nil), a...)
	flipped[len(flipped)-1] ^= 1
	for name, open := range map[string]func() ([]byte, error){
		"other aad": func() ([]byte, error) { return box.Open(a, []byte("tenant:2")) },
		"other key": func() ([]byte, error) { return other.Open(a, []byte("tenant:1")) },
		"altered":   func() ([]byte, error) { return box.Open(flipped, []byte("tenant:1")) },
		"short":     func() ([]byte, error) { return box.Open(a[:10], []byte("tenant:1")) },
	} {
		if _, err := open(); !errors.Is(err, secretbox.ErrOpen) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := secretbox.New(key[:16]); err == nil {
		t.Fatal("a 16-byte key was accepted")
	}
}
