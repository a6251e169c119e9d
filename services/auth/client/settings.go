package client

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"time"
)

// Internal settings routes: billing reads whether registration is open;
// the operator's CLI reads and writes settings without the gateway (its
// way back in when enable_api is false).
const (
	RegistrationSettingsPath = "/internal/v1/settings/registration"
	SettingsPath             = "/internal/v1/settings" // GET: every setting; /{key}: GET, PUT
)

// RegistrationSettings say whether new customers may register.
type RegistrationSettings struct {
	EnableRegistration bool `json:"enable_registration"`
}

// Setting is one setting as the internal routes show it. A secret's Value
// and Default are null.
type Setting struct {
	Key         string          `json:"key"`
	Value       json.RawMessage `json:"value"`
	Type        string          `json:"type"`
	Default     json.RawMessage `json:"default"`
	Description string          `json:"description"`
	Secret      bool            `json:"secret"`
	IsSet       bool            `json:"is_set"`
	UpdatedAt   *time.Time      `json:"updated_at,omitempty"`
}

// SetSettingRequest is the body of PUT SettingsPath/{key}: any JSON value
// the setting's type reads.
type SetSettingRequest struct {
	Value json.RawMessage `json:"value"`
}

// Registration reads whether registration is open.
func (c *Client) Registration(ctx context.Context) (RegistrationSettings, error) {
	var out RegistrationSettings
	err := c.up.Do(ctx, http.MethodGet, RegistrationSettingsPath, nil, &out)
	return out, err
}

// Settings lists every setting.
func (c *Client) Settings(ctx context.Context) ([]Setting, error) {
	var out []Setting
	err := c.up.Do(ctx, http.MethodGet, SettingsPath, nil, &out)
	return out, err
}

// Setting reads one setting; an unknown key is an errs.NotFound.
func (c *Client) Setting(ctx context.Context, key string) (Setting, error) {
	var out Setting
	err := c.up.Do(ctx, http.MethodGet, SettingsPath+"/"+url.PathEscape(key), nil, &out)
	return out, err
}

// SetSetting stores a value; a wrong one is an errs.Invalid naming "value".
func (c *Client) SetSetting(ctx context.Context, key string, value json.RawMessage) (Setting, error) {
	var out Setting
	err := c.up.Do(ctx, http.MethodPut, SettingsPath+"/"+url.PathEscape(key), SetSettingRequest{Value: value}, &out)
	return out, err
}
