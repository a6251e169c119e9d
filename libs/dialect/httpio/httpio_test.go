package httpio

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/hostplane/hostplane/libs/errs"
)

func TestRetryAfterSeconds(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want int
	}{
		{0, 1},
		{-time.Second, 1},
		{time.Millisecond, 1},
		{time.Second, 1},
		{time.Second + time.Nanosecond, 2},
		{1500 * time.Millisecond, 2},
		{2 * time.Second, 2},
		{time.Minute, 60},
	}
	for _, tt := range tests {
		if got := RetryAfterSeconds(tt.d); got != tt.want {
			t.Errorf("RetryAfterSeconds(%v) = %d, want %d", tt.d, got, tt.want)
		}
	}
}

func TestSetRetryAfter(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"rate limited", &errs.Error{Kind: errs.RateLimited, RetryAfter: 2500 * time.Millisecond}, "3"},
		{"rate limited, no duration", errs.RateLimited, "1"},
		{"unavailable, retry after", &errs.Error{Kind: errs.Unavailable, RetryAfter: time.Second}, "1"},
		{"unavailable", errs.Unavailable, ""},
		{"other kind", errs.NotFound, ""},
		{"plain error", errors.New("boom"), ""},
		{"nil", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{}
			SetRetryAfter(h, tt.err)
			if got := h.Get("Retry-After"); got != tt.want {
				t.Errorf("Retry-After = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestWriteJSON(t *testing.T) {
	tests := []struct {
		name       string
		v          any
		wantStatus int
		wantBody   string
		wantErr    bool
	}{
		{"object", map[string]int{"a": 1}, 201, `{"a":1}`, false},
		{"unencodable", func() {}, 500, internalBody, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			err := WriteJSON(rec, tt.wantStatus, tt.v)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tt.wantErr)
			}
			if rec.Code != tt.wantStatus {
				t.Errorf("status = %d, want %d", rec.Code, tt.wantStatus)
			}
			if got := rec.Header().Get("Content-Type"); got != ContentTypeJSON {
				t.Errorf("Content-Type = %q", got)
			}
			if rec.Body.String() != tt.wantBody {
				t.Errorf("body = %s, want %s", rec.Body, tt.wantBody)
			}
		})
	}
}

func TestMarshalKeepsHTMLCharacters(t *testing.T) {
	got, err := Marshal(map[string]string{"label": "&laquo; <Previous>"})
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != `{"label":"&laquo; <Previous>"}` {
		t.Errorf("got %s", got)
	}
}
