package pgkit

import (
	"context"
	"errors"
	"fmt"
	"net"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/hostplane/hostplane/libs/errs"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

const errorsSchema = `
CREATE TABLE IF NOT EXISTS map_accounts (
	id    bigserial PRIMARY KEY,
	email text NOT NULL CONSTRAINT map_accounts_email_key UNIQUE,
	age   int CONSTRAINT map_accounts_age_check CHECK (age >= 0)
);
CREATE TABLE IF NOT EXISTS map_orders (
	id         bigserial PRIMARY KEY,
	account_id bigint NOT NULL CONSTRAINT map_orders_account_fk REFERENCES map_accounts (id)
);
INSERT INTO map_accounts (email) VALUES ('taken@example.com') ON CONFLICT DO NOTHING;
`

// connect opens a connection to the package database with the test schema.
func connect(t *testing.T) *pgx.Conn {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, db.URL(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	if _, err := conn.Exec(ctx, errorsSchema); err != nil {
		t.Fatal(err)
	}
	return conn
}

func TestMapErrorPostgres(t *testing.T) {
	conn := connect(t)
	fields := map[string]string{
		"map_accounts_email_key": "email",
		"map_orders_account_fk":  "account_id",
		"map_accounts_age_check": "age",
	}
	exec := func(sql string, args ...any) func(ctx context.Context) error {
		return func(ctx context.Context) error {
			_, err := conn.Exec(ctx, sql, args...)
			return err
		}
	}
	tests := []struct {
		name     string
		run      func(ctx context.Context) error
		fields   map[string]string
		want     *errs.Error // Err is not compared
		wantCode string      // SQLSTATE kept in the cause
	}{
		{
			name: "unique violation with field", fields: fields, wantCode: "23505",
			run:  exec(`INSERT INTO map_accounts (email) VALUES ('taken@example.com')`),
			want: &errs.Error{Kind: errs.Conflict, Message: "The email is already in use.", Params: map[string]string{"email": "Already in use."}},
		},
		{
			name: "unique violation of an unmapped constraint", fields: fields, wantCode: "23505",
			run:  exec(`INSERT INTO map_accounts (id, email) SELECT min(id), 'other@example.com' FROM map_accounts`),
			want: &errs.Error{Kind: errs.Conflict, Message: "Already exists."},
		},
		{
			name: "unique violation without field", wantCode: "23505",
			run:  exec(`INSERT INTO map_accounts (email) VALUES ('taken@example.com')`),
			want: &errs.Error{Kind: errs.Conflict, Message: "Already exists."},
		},
		{
			name: "foreign key violation with field", fields: fields, wantCode: "23503",
			run:  exec(`INSERT INTO map_orders (account_id) VALUES (999999)`),
			want: &errs.Error{Kind: errs.Invalid, Message: "Invalid parameter(s): account_id", Params: map[string]string{"account_id": "Does not exist."}},
		},
		{
			name: "foreign key violation without field", wantCode: "23503",
			run:  exec(`INSERT INTO map_orders (account_id) VALUES (999999)`),
			want: &errs.Error{Kind: errs.Invalid, Message: "Refers to something that does not exist."},
		},
		{
			name: "check violation with field", fields: fields, wantCode: "23514",
			run:  exec(`INSERT INTO map_accounts (email, age) VALUES ('young@example.com', -1)`),
			want: &errs.Error{Kind: errs.Invalid, Message: "Invalid parameter(s): age", Params: map[string]string{"age": "Invalid value."}},
		},
		{
			name: "check violation without field", wantCode: "23514",
			run:  exec(`INSERT INTO map_accounts (email, age) VALUES ('young@example.com', -1)`),
			want: &errs.Error{Kind: errs.Invalid, Message: "Invalid value."},
		},
		{
			name: "not null violation", fields: fields, wantCode: "23502",
			run:  exec(`INSERT INTO map_accounts (email) VALUES (NULL)`),
			want: &errs.Error{Kind: errs.Invalid, Message: "Invalid value."},
		},
		{
			name: "invalid text representation", wantCode: "22P02",
			run:  exec(`SELECT 'abc'::int`),
			want: &errs.Error{Kind: errs.Invalid, Message: "Invalid value."},
		},
		{
			name: "numeric out of range", wantCode: "22003",
			run:  exec(`SELECT 2147483648::int`),
			want: &errs.Error{Kind: errs.Invalid, Message: "Invalid value."},
		},
		{
			name: "no rows",
			run: func(ctx context.Context) error {
				var id int64
				return conn.QueryRow(ctx, `SELECT id FROM map_accounts WHERE email = 'nobody'`).Scan(&id)
			},
			want: &errs.Error{Kind: errs.NotFound, Resource: "account", Message: "Item not found."},
		},
		{
			name: "other SQL error is internal", wantCode: "42P01",
			run:  exec(`SELECT * FROM no_such_table`),
			want: &errs.Error{Kind: errs.Internal},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			raw := tt.run(ctx)
			if raw == nil {
				t.Fatal("the statement did not fail")
			}
			got := MapError(raw, "account", tt.fields)
			var e *errs.Error
			if !errors.As(got, &e) {
				t.Fatalf("MapError = %v (%T), want *errs.Error", got, got)
			}
			if e.Err != raw {
				t.Errorf("cause = %v, want the pgx error", e.Err)
			}
			cmp := *e
			cmp.Err = nil
			if !reflect.DeepEqual(&cmp, tt.want) {
				t.Errorf("MapError = %#v, want %#v", &cmp, tt.want)
			}
			var pe *pgconn.PgError
			if tt.wantCode != "" && (!errors.As(got, &pe) || pe.Code != tt.wantCode) {
				t.Errorf("cause SQLSTATE = %v, want %s", pe, tt.wantCode)
			}
			if strings.Contains(errs.PublicMessage(got), "map_") {
				t.Errorf("public message %q names a table or constraint", errs.PublicMessage(got))
			}
		})
	}
}

func TestMapErrorTimeoutAndUnavailable(t *testing.T) {
	conn := connect(t)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, raw := conn.Exec(ctx, `SELECT pg_sleep(2)`)
	if got := errs.From(MapError(raw, "", nil)); got.Kind != errs.Timeout {
		t.Errorf("deadline: MapError(%v) = %#v, want Timeout", raw, got)
	}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	cctx, ccancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer ccancel()
	_, raw = pgx.Connect(cctx, "postgres://postgres@"+addr+"/x?sslmode=disable")
	if got := errs.From(MapError(raw, "", nil)); got.Kind != errs.Unavailable {
		t.Errorf("refused: MapError(%v) = %#v, want Unavailable", raw, got)
	}
}

func TestMapErrorPassThrough(t *testing.T) {
	typed := errs.NotFoundResource("site", "No such site.")
	wrapped := fmt.Errorf("in tx: %w", typed)
	tests := []struct {
		name string
		in   error
		want error
	}{
		{"nil", nil, nil},
		{"typed", typed, typed},
		{"wrapped typed", wrapped, wrapped},
	}
	for _, tt := range tests {
		if got := MapError(tt.in, "customer", map[string]string{"x": "y"}); got != tt.want {
			t.Errorf("%s: MapError = %#v, want %#v unchanged", tt.name, got, tt.want)
		}
	}
}

// Serialization failures and deadlocks are rare to provoke on demand; their
// mapping is checked on the error values pgx returns for them.
func TestMapErrorConcurrency(t *testing.T) {
	for _, code := range []string{"40001", "40P01"} {
		raw := fmt.Errorf("exec: %w", &pgconn.PgError{Code: code, Message: "could not serialize access"})
		if got := errs.From(MapError(raw, "", nil)); got.Kind != errs.Conflict || got.Message != "Concurrent update, retry." {
			t.Errorf("%s: MapError = %#v, want a retryable Conflict", code, got)
		}
	}
	if got := errs.From(MapError(errors.New("boom"), "", nil)); got.Kind != errs.Internal || got.Message != "" {
		t.Errorf("plain error: MapError = %#v, want Internal without a message", got)
	}
}
