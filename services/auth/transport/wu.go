package transport

import (
	"encoding/json"
	"net/http"
	"sort"

	"github.com/hostplane/hostplane/libs/dialect/decode"
	"github.com/hostplane/hostplane/libs/dialect/wu"
	"github.com/hostplane/hostplane/libs/errs"
	"github.com/hostplane/hostplane/libs/httpkit"
	"github.com/hostplane/hostplane/services/auth/settings"
)

// settingView is one setting as GET /wp-json/wu/v2/settings/{key} shows
// it. A secret's value and default are null; is_set says whether one is
// stored.
type settingView struct {
	Key          string          `json:"key"`
	Value        json.RawMessage `json:"value"`
	Type         string          `json:"type"`
	Default      any             `json:"default"`
	Description  string          `json:"description"`
	Secret       bool            `json:"secret"`
	IsSet        bool            `json:"is_set"`
	DateModified *string         `json:"date_modified"`
}

func settingViewOf(s settings.Setting) settingView {
	v := settingView{Key: s.Key, Value: s.Value, Type: string(s.Type), Default: s.Default, Description: s.Description,
		Secret: s.Secret, IsSet: s.IsSet}
	if v.Value == nil {
		v.Value = json.RawMessage("null")
	}
	if s.UpdatedAt != nil {
		d := wu.FormatDate(*s.UpdatedAt)
		v.DateModified = &d
	}
	return v
}

// MountWU mounts the wu dialect's settings:
//
//	GET               /wp-json/wu/v2/settings        every setting but secrets, as {key: value}
//	GET               /wp-json/wu/v2/settings/{key}  one setting with its type and default
//	PUT, PATCH, POST  /wp-json/wu/v2/settings/{key}  {"value": …} (or {"<key>": …})
func MountWU(r *httpkit.Router, e Endpoints) {
	const base = "/wp-json/wu/v2/settings"
	r.Handle(http.MethodGet, base, httpkit.Endpoint(e.Settings.List,
		func(*http.Request) (any, error) { return settings.ListRequest{}, nil },
		func(w http.ResponseWriter, _ *http.Request, resp any) error {
			wu.WriteJSON(w, http.StatusOK, settingValues(resp.([]settings.Setting)))
			return nil
		}, wu.WriteError))
	one := func(w http.ResponseWriter, _ *http.Request, resp any) error {
		wu.WriteJSON(w, http.StatusOK, settingViewOf(resp.(settings.Setting)))
		return nil
	}
	r.Handle(http.MethodGet, base+"/{key}", httpkit.Endpoint(e.Settings.Get, decodeSettingKey, one, wu.WriteError))
	for _, method := range []string{http.MethodPut, http.MethodPatch, http.MethodPost} {
		r.Handle(method, base+"/{key}", httpkit.Endpoint(e.Settings.Set, decodeSetting(e.Settings.Get), one, wu.WriteError))
	}
}

// settingValues is {key: value} of every setting that is not secret.
func settingValues(all []settings.Setting) map[string]json.RawMessage {
	out := make(map[string]json.RawMessage, len(all))
	for _, s := range all {
		if !s.Secret {
			out[s.Key] = s.Value
		}
	}
	return out
}

func decodeSettingKey(r *http.Request) (any, error) {
	return settings.KeyRequest{Key: r.PathValue("key")}, nil
}

// decodeSetting reads the new value of a setting: {"value": X} or
// {"<key>": X}, JSON or form. An unknown key answers 404 whatever the body.
func decodeSetting(get httpkit.EndpointFunc) httpkit.Decoder {
	return func(r *http.Request) (any, error) {
		key := r.PathValue("key")
		if _, err := get(r.Context(), settings.KeyRequest{Key: key}); err != nil {
			return nil, err
		}
		value, err := readSettingValue(r, key)
		if err != nil {
			return nil, err
		}
		return settings.SetRequest{Key: key, Value: value}, nil
	}
}

// readSettingValue finds the value in a body: its "value" field or the
// field named after the setting; any other field is refused.
func readSettingValue(r *http.Request, key string) (json.RawMessage, error) {
	var body map[string]json.RawMessage
	if err := decode.Body(r, &body, decode.Options{}); err != nil {
		return nil, err
	}
	var c errs.Collector
	var extra []string
	for f := range body {
		if f != settings.ValueField && f != key {
			extra = append(extra, f)
		}
	}
	sort.Strings(extra)
	for _, f := range extra {
		c.Invalid(f, "Unknown parameter: send {\"value\": …}.")
	}
	v, hasValue := body[settings.ValueField]
	named, hasNamed := body[key]
	switch {
	case hasValue && hasNamed && key != settings.ValueField:
		c.Invalid(key, "Give the value once, as value.")
	case hasNamed:
		v = named
	case !hasValue:
		c.Missing(settings.ValueField)
	}
	if err := c.Err(); err != nil {
		return nil, err
	}
	return v, nil
}
