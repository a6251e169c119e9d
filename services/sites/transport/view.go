// Package transport mounts the sites service's endpoints on HTTP: wu sites
// and domains (/wp-json/wu/v2/sites|site, domains|domain), sb sites,
// backups and jobs (/v1/sites…json), and the internal routes other services
// call through sites/client.
package transport

import (
	"encoding/json"
	"time"

	"github.com/hostplane/hostplane/libs/dialect/sb"
	"github.com/hostplane/hostplane/libs/dialect/wu"
	"github.com/hostplane/hostplane/services/sites/backups"
	"github.com/hostplane/hostplane/services/sites/client"
	"github.com/hostplane/hostplane/services/sites/domains"
	"github.com/hostplane/hostplane/services/sites/jobs"
	"github.com/hostplane/hostplane/services/sites/site"
)

// siteView is a site as the wu dialect shows it: the plugin's field names,
// with numbers and booleans typed, plus name and status.
type siteView struct {
	ID              int64    `json:"id"`
	Model           string   `json:"model"`
	Slug            string   `json:"slug"`
	DateCreated     string   `json:"date_created"`
	DateModified    string   `json:"date_modified"`
	MigratedFromID  *int64   `json:"migrated_from_id"`
	Title           string   `json:"title"`
	Name            string   `json:"name"`
	Description     string   `json:"description"`
	BlogID          int64    `json:"blog_id"`
	SiteID          int64    `json:"site_id"`
	Domain          string   `json:"domain"`
	Path            string   `json:"path"`
	SitePath        *string  `json:"site_path"` // never the server's path
	Registered      string   `json:"registered"`
	LastUpdated     string   `json:"last_updated"`
	IsPublishing    bool     `json:"is_publishing"`
	Active          bool     `json:"active"`
	Public          bool     `json:"public"`
	Archived        bool     `json:"archived"`
	Mature          bool     `json:"mature"`
	Spam            bool     `json:"spam"`
	Deleted         bool     `json:"deleted"`
	LangID          int64    `json:"lang_id"`
	CustomerID      *int64   `json:"customer_id"`
	MembershipID    *int64   `json:"membership_id"`
	TemplateID      *int64   `json:"template_id"`
	Type            string   `json:"type"`
	Status          string   `json:"status"`
	FeaturedImageID *int64   `json:"featured_image_id"`
	Categories      []string `json:"categories"`
	Transient       []string `json:"transient"`
	SignupOptions   []string `json:"signup_options"`
	SignupMeta      []string `json:"signup_meta"`
	Limitations     []string `json:"limitations"`
	Notes           *string  `json:"notes"`
}

func nonZero(v int64) *int64 {
	if v == 0 {
		return nil
	}
	return &v
}

func wuSite(s site.Site) siteView {
	empty := []string{}
	return siteView{
		ID: s.ID, Model: "site", Slug: s.Code, DateCreated: wu.FormatDate(s.DateCreated),
		DateModified: wu.FormatDate(s.DateModified), Title: s.Title, Name: s.Title, Description: s.Description,
		BlogID: s.ID, SiteID: 1, Domain: s.Domain, Path: s.Path,
		Registered: wu.FormatDate(s.DateCreated), LastUpdated: wu.FormatDate(s.DateModified),
		IsPublishing: s.Provisioning, Active: s.Active, Public: s.Public, Archived: s.Archived,
		CustomerID: nonZero(s.CustomerID), MembershipID: nonZero(s.MembershipID), TemplateID: nonZero(s.TemplateID),
		Type: s.Type, Status: s.Status, Categories: empty, Transient: empty, SignupOptions: empty, SignupMeta: empty,
		Limitations: empty,
	}
}

// domainView is a domain as the wu dialect shows it.
type domainView struct {
	ID             int64  `json:"id"`
	Model          string `json:"model"`
	Slug           string `json:"slug"`
	DateCreated    string `json:"date_created"`
	DateModified   string `json:"date_modified"`
	MigratedFromID *int64 `json:"migrated_from_id"`
	BlogID         int64  `json:"blog_id"`
	Domain         string `json:"domain"`
	Active         bool   `json:"active"`
	PrimaryDomain  bool   `json:"primary_domain"`
	Secure         bool   `json:"secure"`
	Stage          string `json:"stage"`
}

func wuDomain(d domains.Domain) domainView {
	return domainView{ID: d.ID, Model: "domain", DateCreated: wu.FormatDate(d.DateCreated),
		DateModified: wu.FormatDate(d.DateModified), BlogID: d.SiteID, Domain: d.Name, Active: d.Active,
		PrimaryDomain: d.Primary, Secure: d.Secure, Stage: d.Stage}
}

// sbPlan is the plan of an sb site.
type sbPlan struct {
	PlanID       int64   `json:"plan_id"`
	PlanName     string  `json:"plan_name"`
	IsClosed     bool    `json:"is_closed"`
	IsTrial      bool    `json:"is_trial"`
	IsDemo       bool    `json:"is_demo"`
	IsFree       bool    `json:"is_free"`
	ClosingDate  *string `json:"closing_date,omitempty"`
	EndTrialDate *string `json:"endtrial_date,omitempty"`
}

// sbSite is a site as the sb dialect shows it.
type sbSite struct {
	CodeSite     string    `json:"code_site"`
	Name         string    `json:"name"`
	Plan         sbPlan    `json:"plan"`
	Domain       string    `json:"domain"`
	Backoffice   string    `json:"backoffice"`
	CreationDate string    `json:"creation_date"`
	Scopes       *[]string `json:"scopes,omitempty"`
	Features     *[]string `json:"features,omitempty"`
	Account      *[]any    `json:"account,omitempty"`
}

func sbDate(t *time.Time) *string {
	if t == nil {
		return nil
	}
	s := sb.FormatDate(*t)
	return &s
}

func sbView(s site.Site) sbSite {
	return sbSite{
		CodeSite: s.Code, Name: s.Title, Domain: s.Domain, Backoffice: "https://" + s.Domain + "/admin/",
		CreationDate: sb.FormatDate(s.DateCreated),
		Plan: sbPlan{PlanID: s.PlanID, PlanName: s.Plan.Name, IsClosed: s.IsClosed(), IsTrial: s.Plan.IsTrial,
			IsDemo: s.Type == site.TypeDemo, IsFree: s.Plan.IsFree, ClosingDate: sbDate(s.Plan.ClosingDate),
			EndTrialDate: sbDate(s.Plan.EndTrialDate)},
	}
}

// sbJob is a job as the sb dialect shows it.
type sbJob struct {
	JobID       int64           `json:"job_id"`
	Status      string          `json:"status"`
	Progression int             `json:"progression"`
	Step        string          `json:"step"`
	Result      json.RawMessage `json:"result"`
	Error       *string         `json:"error"`
}

func sbJobView(j jobs.Job) sbJob {
	v := sbJob{JobID: j.ID, Status: j.Status, Progression: j.Progression, Step: j.Step, Result: j.Result}
	if len(v.Result) == 0 {
		v.Result = json.RawMessage("null")
	}
	if j.Error != "" {
		e := j.Error
		v.Error = &e
	}
	return v
}

// sbBackup is a backup as the sb dialect lists it.
type sbBackup struct {
	ID           string `json:"id"`
	CreationDate string `json:"creation_date"`
	Size         int64  `json:"size"`
	Checksum     string `json:"checksum"`
}

func sbBackupView(b backups.Backup) sbBackup {
	return sbBackup{ID: b.ID, CreationDate: sb.FormatDate(b.DateCreated), Size: b.Size, Checksum: "sha256:" + b.Checksum}
}

func internalView(s site.Site, root string) client.Site {
	return client.Site{ID: s.ID, Code: s.Code, CustomerID: s.CustomerID, MembershipID: s.MembershipID, Title: s.Title,
		Domain: s.Domain, Path: s.Path, Type: s.Type, Active: s.Active, Status: s.Status, Root: root,
		DateCreated: s.DateCreated.UTC()}
}
