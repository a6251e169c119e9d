package postgres

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"strconv"
	"strings"
	"testing"

	"github.com/hostplane/hostplane/libs/testenv"
	"github.com/jackc/pgx/v5"
)

// TestScramVerifierMatchesPostgres: PostgreSQL hashes a password; the
// verifier computed here with its salt and iterations is the same.
func TestScramVerifierMatchesPostgres(t *testing.T) {
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, testenv.NeedPostgres(t))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var b [4]byte
	_, _ = rand.Read(b[:])
	role := "hp_scram_" + hex.EncodeToString(b[:])
	password := "Zm9vYmFyLXBhc3N3b3Jk-_42"
	if _, err := conn.Exec(ctx, "SET password_encryption = 'scram-sha-256'"); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(ctx, "CREATE ROLE "+role+" PASSWORD '"+password+"'"); err != nil {
		t.Fatal(err)
	}
	defer conn.Exec(ctx, "DROP ROLE "+role)
	var stored string
	if err := conn.QueryRow(ctx, "SELECT rolpassword FROM pg_authid WHERE rolname = $1", role).Scan(&stored); err != nil {
		t.Fatal(err)
	}
	// SCRAM-SHA-256$<iterations>:<salt>$<stored key>:<server key>
	head, _, _ := strings.Cut(strings.TrimPrefix(stored, "SCRAM-SHA-256$"), "$")
	iterText, saltText, _ := strings.Cut(head, ":")
	iterations, _ := strconv.Atoi(iterText)
	salt, err := base64.StdEncoding.DecodeString(saltText)
	if err != nil {
		t.Fatalf("stored %q: %v", stored, err)
	}
	got, err := scramVerifier(password, salt, iterations)
	if err != nil || got != stored {
		t.Fatalf("verifier\n got %s\nwant %s (%v)", got, stored, err)
	}
	fresh, _ := newScramVerifier(password)
	if !strings.HasPrefix(fresh, "SCRAM-SHA-256$4096:") || strings.Contains(fresh, password) {
		t.Fatalf("fresh verifier %s", fresh)
	}
}
