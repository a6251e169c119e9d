package transport

import (
	"net/http"
	"strconv"

	"github.com/hostplane/hostplane/libs/dialect/sb"
	"github.com/hostplane/hostplane/libs/errs"
	"github.com/hostplane/hostplane/libs/httpkit"
	"github.com/hostplane/hostplane/libs/principal"
	"github.com/hostplane/hostplane/services/sites/backups"
	"github.com/hostplane/hostplane/services/sites/jobs"
	"github.com/hostplane/hostplane/services/sites/site"
)

func itoa(n int64) string {
	if n == 0 {
		return ""
	}
	return strconv.FormatInt(n, 10)
}

// MountSB mounts the sb routes of sites, backups and jobs:
//
//	GET, POST     /v1/sites.json
//	GET, DELETE   /v1/sites/{code_site}.json
//	GET, POST     /v1/sites/{code_site}/backups.json
//	PUT           /v1/sites/{code_site}/backups/{date}.json
//	GET           /v1/sites/{code_site}/jobs/{job_id}.json
//
// Creations, backups and restores answer {"job_id": N}.
func MountSB(r *httpkit.Router, s site.Endpoints, b backups.Endpoints, j jobs.Endpoints) {
	writeJob := func(w http.ResponseWriter, r *http.Request, resp any) error {
		sb.WriteData(w, r, http.StatusOK, map[string]int64{"job_id": resp.(jobs.Job).ID})
		return nil
	}
	r.Handle(http.MethodGet, "/v1/sites.json", httpkit.Endpoint(s.List, decodeSBList,
		func(w http.ResponseWriter, r *http.Request, resp any) error {
			lr := resp.(site.ListResponse)
			_, p, _ := readSBList(r)
			extra, _ := extraFields(r.URL.Query())
			views := make([]sbSite, len(lr.Sites))
			for i, st := range lr.Sites {
				views[i] = withExtra(r, sbView(st), extra, []string{})
			}
			sb.WriteList(w, r, views, lr.Total, p)
			return nil
		}, sb.WriteError))
	r.Handle(http.MethodPost, "/v1/sites.json", httpkit.Endpoint(s.Enqueue, decodeSBCreate, writeJob, sb.WriteError))
	r.Handle(http.MethodGet, "/v1/sites/{code}.json", httpkit.Endpoint(s.Detail, decodeSBDetail,
		func(w http.ResponseWriter, r *http.Request, resp any) error {
			d := resp.(site.DetailResponse)
			extra, _ := extraFields(r.URL.Query())
			sb.WriteData(w, r, http.StatusOK, withExtra(r, sbView(d.Site), extra, d.Options))
			return nil
		}, sb.WriteError))
	r.Handle(http.MethodDelete, "/v1/sites/{code}.json", httpkit.Endpoint(s.Delete, decodeCode,
		func(w http.ResponseWriter, r *http.Request, resp any) error {
			sb.WriteData(w, r, http.StatusOK, true)
			return nil
		}, sb.WriteError))

	r.Handle(http.MethodGet, "/v1/sites/{code}/backups.json", httpkit.Endpoint(b.List,
		func(r *http.Request) (any, error) { return backups.ListRequest{Code: r.PathValue("code")}, nil },
		func(w http.ResponseWriter, r *http.Request, resp any) error {
			bs := resp.([]backups.Backup)
			views := make([]sbBackup, len(bs))
			for i, x := range bs {
				views[i] = sbBackupView(x)
			}
			sb.WriteData(w, r, http.StatusOK, views)
			return nil
		}, sb.WriteError))
	r.Handle(http.MethodPost, "/v1/sites/{code}/backups.json", httpkit.Endpoint(b.Create,
		func(r *http.Request) (any, error) {
			return backups.CreateRequest{Code: r.PathValue("code"), IdempotencyKey: r.Header.Get("Idempotency-Key")}, nil
		}, writeJob, sb.WriteError))
	r.Handle(http.MethodPut, "/v1/sites/{code}/backups/{date}.json", httpkit.Endpoint(b.Restore,
		func(r *http.Request) (any, error) {
			return backups.RestoreRequest{Code: r.PathValue("code"), Ref: r.PathValue("date"),
				IdempotencyKey: r.Header.Get("Idempotency-Key")}, nil
		}, writeJob, sb.WriteError))
	r.Handle(http.MethodGet, "/v1/sites/{code}/jobs/{job_id}.json", httpkit.Endpoint(j.Get,
		func(r *http.Request) (any, error) {
			id, err := httpkit.PathID(r, "job_id", "job")
			return jobs.GetRequest{Code: r.PathValue("code"), ID: id}, err
		},
		func(w http.ResponseWriter, r *http.Request, resp any) error {
			sb.WriteData(w, r, http.StatusOK, sbJobView(resp.(jobs.Job)))
			return nil
		}, sb.WriteError))
}

// withExtra adds the extra_fields asked for.
func withExtra(r *http.Request, v sbSite, extra map[string]bool, features []string) sbSite {
	p := principal.From(r.Context())
	if extra["scopes"] {
		scopes := []string{}
		if p != nil {
			scopes = append(scopes, p.Permissions...)
		}
		v.Scopes = &scopes
	}
	if extra["features"] {
		f := append([]string{}, features...)
		v.Features = &f
	}
	if extra["account"] {
		acc := []any{}
		if p != nil {
			acc = append(acc, map[string]any{"account_id": p.AccountID, "key_name": p.KeyName})
		}
		v.Account = &acc
	}
	return v
}

func decodeSBList(r *http.Request) (any, error) {
	f, _, err := readSBList(r)
	if err == nil {
		_, err = extraFields(r.URL.Query())
	}
	return site.ListRequest{Filter: f}, err
}

func decodeSBCreate(r *http.Request) (any, error) {
	in, err := readSBCreate(r)
	return site.CreateRequest{New: in}, err
}

func decodeCode(r *http.Request) (any, error) {
	code := r.PathValue("code")
	if !site.ValidCode(code) {
		return nil, errs.NotFoundResource("site", "")
	}
	return site.CodeRequest{Code: code}, nil
}

func decodeSBDetail(r *http.Request) (any, error) {
	req, err := decodeCode(r)
	if err != nil {
		return nil, err
	}
	if _, err := extraFields(r.URL.Query()); err != nil {
		return nil, err
	}
	return req, nil
}
