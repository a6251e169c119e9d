package transport

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/hostplane/hostplane/libs/errs"
	"github.com/hostplane/hostplane/services/tenancy/client"
)

func TestInternalRoutes(t *testing.T) {
	h := newHarness(t)
	rec := h.do(http.MethodPost, "/internal/v1/tenants/4/shared-tables", "", "", root)
	var tables client.SharedTables
	if err := json.Unmarshal(rec.Body.Bytes(), &tables); err != nil || rec.Code != 200 || tables.SiteID != 4 || len(tables.Tables) != 1 {
		t.Fatalf("shared tables: %d %s", rec.Code, rec.Body)
	}
	rec = h.do(http.MethodGet, "/internal/v1/tenants/4", "", "", root)
	var st client.Status
	if err := json.Unmarshal(rec.Body.Bytes(), &st); err != nil || rec.Code != 200 || st.IsolationModel != "shared" || st.Verification.NoLegacy != "pending" {
		t.Fatalf("status: %d %s", rec.Code, rec.Body)
	}
	h.stub.err = errs.New(errs.Conflict, "Site 4 is a sovereign tenant.")
	rec = h.do(http.MethodPost, "/internal/v1/tenants/4/shared-tables", "", "", root)
	var e struct {
		Error struct{ Kind, Message string } `json:"error"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil || rec.Code != 409 || e.Error.Kind != "conflict" {
		t.Fatalf("conflict: %d %s", rec.Code, rec.Body)
	}
	if rec := h.do(http.MethodGet, "/internal/v1/tenants/x", "", "", root); rec.Code != 404 {
		t.Fatalf("bad id: %d", rec.Code)
	}
}
