package txn_test

import (
	"context"
	"testing"

	"github.com/hostplane/hostplane/services/billing/txn"
)

func TestMemo(t *testing.T) {
	type step struct {
		op      string // put, putw (written), forget
		kind    string
		id      int64
		v       string
		wantV   any
		written bool
		ok      bool
	}
	for _, tt := range []struct {
		name  string
		steps []step
	}{
		{"empty", []step{{op: "get", kind: "a", id: 1}}},
		{"put then get", []step{{op: "put", kind: "a", id: 1, v: "x"}, {op: "get", kind: "a", id: 1, wantV: "x", ok: true}}},
		{"kinds apart", []step{{op: "put", kind: "a", id: 1, v: "x"}, {op: "get", kind: "b", id: 1}}},
		{"written stays written", []step{{op: "putw", kind: "a", id: 1, v: "x"}, {op: "put", kind: "a", id: 1, v: "y"},
			{op: "get", kind: "a", id: 1, wantV: "y", written: true, ok: true}}},
		{"forget", []step{{op: "putw", kind: "a", id: 1, v: "x"}, {op: "forget", kind: "a", id: 1}, {op: "get", kind: "a", id: 1}}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			m := txn.MemoOf(txn.WithMemo(context.Background()))
			for i, s := range tt.steps {
				switch s.op {
				case "put", "putw":
					m.Put(s.kind, s.id, s.v, s.op == "putw")
				case "forget":
					m.Forget(s.kind, s.id)
				case "get":
					v, written, ok := m.Get(s.kind, s.id)
					if v != s.wantV || written != s.written || ok != s.ok {
						t.Fatalf("step %d: Get = %v, %v, %v; want %v, %v, %v", i, v, written, ok, s.wantV, s.written, s.ok)
					}
				}
			}
		})
	}
}

func TestNoMemo(t *testing.T) {
	m := txn.MemoOf(context.Background())
	if m != nil {
		t.Fatal("a context without a memo has one")
	}
	m.Put("a", 1, "x", true) // a nil Memo keeps nothing
	if _, _, ok := m.Get("a", 1); ok {
		t.Fatal("a nil Memo returned a row")
	}
}
